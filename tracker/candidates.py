"""Claim candidates: attributed sentences found in coverage, waiting for a reporter's triage.

Each new revision of a coverage item is run through tracker.attribution once,
after it is stored (tracker/extraction.py, the queue of revisions whose
extracted_at is NULL, run by every scrape pass and ingest); the candidates point
at exact offsets of that revision's text, so accepting one (a new claim) or
merging it (more evidence for an existing claim) never re-searches the text.

The same sentence comes back from every outlet that rewrites a report, and
from every later revision of the same page. The sentence's fingerprint
(tracker.attribution.fingerprint: case, quote marks and spacing set aside)
ties those copies together:

- once a reporter decides a sentence, every copy of it in the story follows
  that decision: copies still waiting are settled in the same transaction,
  and copies arriving later are stored already decided, never pending. They
  are recorded (not skipped) with decided_by NULL and the reason
  AUTO_REASON, so the queue stays short and the echo counts
  (tracker/echoes.py) still see each outlet that carried the sentence;
- a sentence still waiting in an earlier revision of the same item moves to
  the new revision, so evidence cites the text as it reads now.
"""

from __future__ import annotations

import logging
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass

import sqlite_utils

from tracker import claims, echoes, search
from tracker.checkworthy import store as checkworthiness
from tracker.checkworthy.ranking import HIGH
from tracker.claims import PermissionDenied
from tracker.db import NotFound, TrackerError, marks, now, one, rows, transaction, unknown_order
from tracker.vocab import CANDIDATE_STATES

DECIDED = ("accepted", "merged", "dismissed")
AUTO_REASON = "same sentence already decided"
# Orders of the triage queue: worth checking first, or newest coverage first.
SORTS = ("check", "newest")
MAX_REASON = 500
# Characters of a paragraph shown on each side of the highlighted sentence.
PARAGRAPH_CONTEXT = 600
# Suggestions search on at most this many of the candidate's rarest words ...
SUGGEST_TERMS = 12
# ... and leave out words that occur in more claims than this (they say nothing about the topic).
SUGGEST_BUDGET = 5000
# A suggestion is close when the candidate's sentence holds at least half of the claim's words (stop words aside),
# and at least CLOSE_WORDS of them. Measured on the demo story's 16 candidates x 6 claims: of the 13 pairs whose
# claim's evidence quotes the sentence, 9 pass (the others hold 0.11-0.38 of the words, or only "Amazon" and
# "claims"); of the other 83 pairs, 82 hold 0.4 or less, and the one that passes is a sentence saying two claims.
CLOSE_SHARE = 0.5
CLOSE_WORDS = 3
# How alike each suggestion is, in the words triage shows beside it.
MATCH_WORDS = {
    "cited": "cites this sentence",
    "part": "cites part of this sentence",
    "close": "most words alike",
    "loose": "few words alike",
}
# A piece of a sentence left unquoted starts at a word or an opening quote mark, and ends before spaces, commas,
# colons, dashes or an opening quote: what is left between a reporter's quote and the sentence's edges.
_OPENERS = "“‘\"'(["
_TRAILING = ",;:([“‘—–-"
# ... nor starts or ends with the word that joined it to the quoted words ("Details are still emerging, and [quoted]").
_JOINING = frozenset("and but or nor while whereas as so yet".split())
# A run with fewer words than this that are not stop words ("In response", "he told Reuters") is not quoted.
UNCITED_WORDS = 2
_SURROGATE = re.compile("[\ud800-\udfff]")

_COLUMNS = """k.id, k.story_id, k.revision_id, k.kind, k.text, k.quote, k.claimant, k.claimant_type,
       k.start, k."end", k.content, k.content_start, k.content_end, k.content_spans, k.cue, k.cue_start, k.cue_end,
       k.source_start, k.source_end, k.fingerprint, k.state, k.claim_id, k.reason, k.decided_by, k.decided_at,
       k.created_at,
       r.coverage_id, r.fetched_at, cov.outlet, cov.title, cov.canonical_url, cov.published_at, cov.published_offset,
       cov.kind AS coverage_kind, cov.cluster_id"""
# Check-worthiness (tracker/checkworthy/): score 0-1 and reasons, NULL until scored.
_COLUMNS += ", k.check_score, k.check_reasons"
_FROM = """candidates k JOIN revisions r ON r.id = k.revision_id JOIN coverage cov ON cov.id = r.coverage_id"""


log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Merged:
    """What merging a candidate did to its claim's evidence: the quotes it added, and the claim's quotes that
    already held the sentence or part of it (kept as they are; only the rest of the sentence is added)."""

    added: tuple[int, ...]
    already: tuple[int, ...]


class CandidateNotFound(NotFound):
    def __init__(self, candidate_id: int):
        super().__init__(f"No claim candidate with id {candidate_id}.")


class AlreadyDecided(TrackerError):
    """Someone (or an earlier decision on the same sentence) already triaged this candidate."""

    status_code = 409

    def __init__(self, candidate: dict):
        self.candidate = candidate
        who = "automatically, as a copy of a sentence already decided" if candidate["decided_by"] is None else ""
        where = f" into claim {candidate['claim_id']}" if candidate["claim_id"] else ""
        super().__init__(
            f"Candidate {candidate['id']} was already {candidate['state']}{where}"
            f"{' ' + who if who else ''}; nothing was changed."
        )


def decided_already(
    db: sqlite_utils.Database,
    candidate: dict,
    user: dict,
    state: str,
    *,
    claim_id: int | None = None,
    reason: str | None = None,
    text: str | None = None,
    claimant: str | None = None,
    claimant_type: str | None = None,
) -> bool:
    """Whether a candidate refused as AlreadyDecided was decided as this request asks, by this person: the same
    button sent twice (a double click, a reload of its post, a tool retrying a call whose answer was lost).

    That is answered as done, not as a conflict. Another person's decision, or another decision (another claim to
    merge into, another reason, another wording to accept as), is still refused: it may not be what was meant.
    `text`, `claimant`, `claimant_type`: what an accept asks the claim to say (None: the candidate's own, as
    accept takes them); `reason`: a dismissal's.
    """
    if candidate["state"] != state or candidate["decided_by"] != user["id"]:
        return False
    if claim_id is not None and candidate["claim_id"] != claim_id:
        return False
    if reason is not None and candidate["reason"] != " ".join(reason.split()):
        return False
    if state == "accepted":
        asked = (
            default_text(candidate) if text is None else text,
            (candidate["claimant"] or "") if claimant is None else claimant,
            claimant_type or candidate["claimant_type"] or "unattributed",
        )
        made = db.execute(
            "SELECT text, claimant, claimant_type FROM claims WHERE id = ?", [candidate["claim_id"]]
        ).fetchone()
        return made is not None and all(" ".join(a.split()) == " ".join(m.split()) for a, m in zip(asked, made))
    return True


class NotDismissed(TrackerError):
    """A candidate to put back in the queue that is not dismissed (any more): put back already, or decided since."""

    status_code = 409

    def __init__(self, candidate: dict, put_back: dict | None = None):
        self.candidate = candidate
        self.put_back = put_back
        if candidate["state"] == "pending" and put_back:
            said = f"was already put back in the queue by {put_back['username']} ({put_back['put_back_at']})"
        elif candidate["state"] == "pending":
            said = "is waiting in the queue"
        else:
            where = f" into claim {candidate['claim_id']}" if candidate["claim_id"] else ""
            said = f"is {candidate['state']}{where}, not dismissed"
        super().__init__(f"Candidate {candidate['id']} {said}; nothing was changed.")


def put_back_already(e: NotDismissed, user: dict) -> bool:
    """Whether a put-back refused as NotDismissed was this person's own, last: the same button sent twice."""
    return e.candidate["state"] == "pending" and bool(e.put_back) and e.put_back["username"] == user["username"]


class ReasonRequired(TrackerError):
    status_code = 422


# --------------------------------------------------------------------------- reading


def get_candidate(db: sqlite_utils.Database, candidate_id: int) -> dict:
    """One candidate with its coverage item, outlet and dates."""
    candidate = one(db, f"SELECT {_COLUMNS} FROM {_FROM} WHERE k.id = ?", [candidate_id])
    if candidate is None:
        raise CandidateNotFound(candidate_id)
    return candidate


def counts(db: sqlite_utils.Database, story_id: int) -> dict[str, int]:
    """Candidates by state for one story."""
    result = dict.fromkeys(CANDIDATE_STATES, 0)
    result.update(db.execute("SELECT state, count(*) FROM candidates WHERE story_id = ? GROUP BY state", [story_id]))
    return result


def list_queue(
    db: sqlite_utils.Database,
    story_id: int,
    limit: int = 20,
    offset: int = 0,
    *,
    state: str = "pending",
    sort: str | None = None,
    high_only: bool = False,
    upto: int | None = None,
    at: list | None = None,
    before: list | None = None,
) -> list[dict]:
    """A page of a story's candidates, waiting ones worth checking first by default.

    Sorts (SORTS): "check" puts the highest check-worthiness score first
    (unscored last, then newest coverage first); "newest" puts the newest
    coverage first (an article's in reading order). Waiting candidates sort
    by "check" unless told otherwise; decided ones (accepted / merged /
    dismissed) by "newest", which for them means most recently decided first.
    `high_only` keeps candidates scoring HIGH or more; `upto` only those with an id up to it (the
    queue as it was when a reporter started paging through it: see arrived_since). `at`: only those
    from this position on (queue_key of a row); `before`: only those before it, nearest first. Pages
    that start at a position neither skip nor repeat a candidate when others are decided, put back
    or arrive meanwhile, as pages at an offset did. Each row
    carries its coverage item, outlet and dates, the paragraph around the sentence (`paragraph`,
    with `sentence_start` / `sentence_end` inside it) for highlighting, `copies`: the other outlets'
    copies of the sentence still waiting, `cited_by`: claims whose evidence
    already quotes this span, and `outdated` when the item has a newer
    revision.
    """
    if state not in CANDIDATE_STATES:
        raise TrackerError(f"Unknown candidate state {state!r}; choose one of: {', '.join(CANDIDATE_STATES)}.")
    limit = max(1, min(int(limit), 200))
    offset = max(0, int(offset))
    sort = sort or default_sort(state)
    if sort not in SORTS:
        raise TrackerError(unknown_order(sort, SORTS))
    keys = _queue_keys(state, sort)
    where, params = _queue_where(story_id, state, high_only, upto)
    if at is not None or before is not None:
        condition, values = _before(keys, before if at is None else at)
        bound, value = _first_key_bound(keys, before if at is None else at, before=at is None)
        where += f" AND {'NOT ' if at is not None else ''}{condition} AND {bound}"
        params += [*values, value]
    backwards = at is None and before is not None
    order = ", ".join(f"{expr} {'DESC' if desc != backwards else 'ASC'}" for expr, desc, _ in keys)
    found = rows(
        db,
        f"""SELECT {_COLUMNS}, u.username AS decided_by_name, cl.text AS claim_text,
                   (SELECT max(id) FROM revisions WHERE coverage_id = r.coverage_id) AS latest_revision_id
            FROM {_FROM} LEFT JOIN users u ON u.id = k.decided_by LEFT JOIN claims cl ON cl.id = k.claim_id
            WHERE {where} ORDER BY {order} LIMIT ? OFFSET ?""",
        [*params, limit, offset],
    )
    if not found:
        return []
    revision_ids = sorted({c["revision_id"] for c in found})
    texts = dict(db.execute(f"SELECT id, text FROM revisions WHERE id IN ({marks(revision_ids)})", revision_ids))
    cites: dict[int, list[dict]] = {}
    for e in rows(
        db,
        f"""SELECT e.revision_id, e.start, e."end", e.claim_id, c.text AS claim_text, c.status
            FROM evidence e JOIN claims c ON c.id = e.claim_id
            WHERE e.revision_id IN ({marks(revision_ids)}) ORDER BY e.claim_id""",
        revision_ids,
    ):
        cites.setdefault(e["revision_id"], []).append(e)
    copies = _copies(db, story_id, found)
    for c in found:
        c.update(paragraph_of(texts[c["revision_id"]], c["start"], c["end"]))
        cited: dict[int, dict] = {}
        for e in cites.get(c["revision_id"], []):
            if e["start"] < c["end"] and c["start"] < e["end"]:
                cited.setdefault(
                    e["claim_id"],
                    {"id": e["claim_id"], "text": e["claim_text"], "status": e["status"], "spans": []},
                )["spans"].append((e["start"], e["end"]))
        for k in cited.values():
            k["part"] = bool(uncited_parts(c["text"], c["start"], k.pop("spans")))
        c["cited_by"] = list(cited.values())
        c["copies"] = [k for k in copies.get(c["fingerprint"], []) if k["id"] != c["id"]]
        c["outdated"] = c["latest_revision_id"] != c["revision_id"]
        c["check_reasons"] = checkworthiness.reasons_of(c["check_reasons"])
    return found


def default_sort(state: str) -> str:
    """A queue's order when none is asked for: waiting candidates worth checking first, decided ones newest."""
    return "check" if state == "pending" else "newest"


def _queue_keys(state: str, sort: str) -> list[tuple[str, bool, type]]:
    """The columns a queue sorts on, in order, as (expression, descending, type); the last is unique.

    "check": highest check-worthiness first, unscored last (scores run 0 to 1); then "newest": for
    waiting candidates the newest coverage first, an article's in reading order; for decided ones the
    most recently decided first.
    """
    if state == "pending":
        newest = [
            ("coalesce(cov.published_at, r.fetched_at)", True, str),
            ("k.revision_id", True, int),
            ("k.start", False, int),
            ("k.id", False, int),
        ]
    else:
        newest = [("k.decided_at", True, str), ("k.id", True, int)]
    return ([("coalesce(k.check_score, -1.0)", True, float)] if sort == "check" else []) + newest


def queue_key(candidate: dict, state: str, sort: str | None = None) -> list:
    """A list_queue row's position in its queue: the values of _queue_keys, for `at` and `before`."""
    sort = sort or default_sort(state)
    values = {
        "coalesce(k.check_score, -1.0)": -1.0 if candidate["check_score"] is None else candidate["check_score"],
        "coalesce(cov.published_at, r.fetched_at)": candidate["published_at"] or candidate["fetched_at"],
        "k.revision_id": candidate["revision_id"],
        "k.start": candidate["start"],
        "k.id": candidate["id"],
        "k.decided_at": candidate["decided_at"],
    }
    return [values[expr] for expr, _, _ in _queue_keys(state, sort)]


def queue_position(values: object, state: str, sort: str | None = None) -> list | None:
    """`values` when they are a position in this queue's order (as queue_key gives one), else None.

    Positions come back in page links and API cursors, so anything may arrive: a list of the wrong
    length, a string where a number goes, a number SQLite cannot hold, infinity, a lone surrogate.
    """
    sort = sort or default_sort(state)
    keys = _queue_keys(state, sort)
    if not isinstance(values, list) or len(values) != len(keys):
        return None
    for value, (_, _, kind) in zip(values, keys):
        if kind is int:
            fine = type(value) is int and 0 <= value <= 2**63 - 1
        elif kind is float:
            fine = type(value) in (int, float) and math.isfinite(value)
        else:
            fine = isinstance(value, str) and not _SURROGATE.search(value)  # "\ud800" is no text SQLite takes
        if not fine:
            return None
    return values


def _before(keys: list[tuple[str, bool, type]], values: list) -> tuple[str, list]:
    """SQL true of the rows that sort before `values` in the order of `keys`."""
    if len(values) != len(keys):
        raise TrackerError("That page link is damaged; go back to the first page.")
    ors, params = [], []
    for i, (expr, desc, _) in enumerate(keys):
        same = [f"{e} = ?" for e, _, _ in keys[:i]]
        ors.append("(" + " AND ".join([*same, f"{expr} {'>' if desc else '<'} ?"]) + ")")
        params += [*values[:i], values[i]]
    return "(" + " OR ".join(ors) + ")", params


def _first_key_bound(keys: list[tuple[str, bool, type]], values: list, *, before: bool) -> tuple[str, object]:
    """SQL true of every row before `values` (before=True) or from them on, on the first key alone.

    Implied by _before's condition (or its negation), it says the same rows; said apart, it is a range of the
    queue's index (0042), so a page and the count before it read from their position, not the whole queue.
    """
    expr, desc, _ = keys[0]
    return f"{expr} {'>=' if desc == before else '<='} ?", values[0]


def _queue_where(story_id: int, state: str, high_only: bool, upto: int | None) -> tuple[str, list]:
    # The unary plus keeps SQLite from reading the queue through an index on the score or the id for these two
    # filters: it then sorted every candidate they let through (0.3 s of the first page at 60,000 waiting) instead of
    # reading the queue's own index in order (0042).
    where, params = "k.story_id = ? AND k.state = ?", [story_id, state]
    if high_only:
        where, params = where + " AND +k.check_score >= ?", [*params, HIGH]
    if upto is not None:
        where, params = where + " AND +k.id <= ?", [*params, upto]
    return where, params


def count_before(
    db: sqlite_utils.Database,
    story_id: int,
    key: list,
    *,
    state: str = "pending",
    sort: str | None = None,
    high_only: bool = False,
    upto: int | None = None,
) -> int:
    """How many candidates of the queue list_queue would give sort before this position."""
    sort = sort or default_sort(state)
    where, params = _queue_where(story_id, state, high_only, upto)
    keys = _queue_keys(state, sort)
    condition, values = _before(keys, key)
    bound, value = _first_key_bound(keys, key, before=True)
    return db.execute(
        f"SELECT count(*) FROM {_FROM} WHERE {where} AND {condition} AND {bound}", [*params, *values, value]
    ).fetchone()[0]


def newest_id(db: sqlite_utils.Database, story_id: int, state: str) -> int:
    """The highest candidate id of a story in this state (0 for none): where a reporter's paging is pinned."""
    return db.execute(
        "SELECT coalesce(max(id), 0) FROM candidates WHERE story_id = ? AND state = ?", [story_id, state]
    ).fetchone()[0]


def arrived_since(db: sqlite_utils.Database, story_id: int, state: str, upto: int, *, high_only: bool = False) -> int:
    """Candidates of a story in this state stored after `upto`, which a pinned queue leaves out.

    Scrape passes add candidates while a reporter pages through the queue; they sort in among the
    others, so paging by offset showed some twice. The pages hold still and this says what came meanwhile.
    """
    high = " AND check_score >= ?" if high_only else ""
    return db.execute(
        f"SELECT count(*) FROM candidates WHERE story_id = ? AND state = ? AND id > ?{high}",
        [story_id, state, upto, *([HIGH] if high_only else [])],
    ).fetchone()[0]


def _copies(db: sqlite_utils.Database, story_id: int, found: list[dict]) -> dict[str, list[dict]]:
    prints = sorted({c["fingerprint"] for c in found})
    grouped: dict[str, list[dict]] = {}
    # Sorted here, not by SQL: asked for them in id order, SQLite read every waiting candidate of the story through
    # the index already in that order instead of the few with these fingerprints (candidates_story_state_fingerprint).
    found_copies = rows(
        db,
        f"""SELECT k.id, k.fingerprint, r.coverage_id, cov.outlet, cov.title, cov.canonical_url
            FROM {_FROM} WHERE k.story_id = ? AND k.state = 'pending' AND k.fingerprint IN ({marks(prints)})""",
        [story_id, *prints],
    )
    for row in sorted(found_copies, key=lambda row: row["id"]):
        grouped.setdefault(row["fingerprint"], []).append(row)
    return grouped


def paragraph_of(text: str, start: int, end: int, context: int = PARAGRAPH_CONTEXT) -> dict:
    """The line (paragraph) holding text[start:end], cut to `context` characters on each side.

    Returns {"paragraph", "sentence_start", "sentence_end"} with the
    sentence's offsets inside the returned paragraph, for highlighting, and
    "paragraph_start", where the paragraph begins in text (to place the
    candidate's content, cue and source inside it).
    """
    lo = text.rfind("\n", 0, start) + 1
    hi = text.find("\n", end)
    hi = len(text) if hi < 0 else hi
    lo, hi = max(lo, start - context), min(hi, end + context)
    return {"paragraph": text[lo:hi], "sentence_start": start - lo, "sentence_end": end - lo, "paragraph_start": lo}


def pending_copies(db: sqlite_utils.Database, candidate_id: int) -> int:
    """How many other waiting candidates hold the same sentence (they follow this one's decision)."""
    candidate = get_candidate(db, candidate_id)
    return db.execute(
        "SELECT count(*) FROM candidates WHERE story_id = ? AND fingerprint = ? AND state = 'pending' AND id != ?",
        [candidate["story_id"], candidate["fingerprint"], candidate_id],
    ).fetchone()[0]


# --------------------------------------------------------------------------- deciding


def default_text(candidate: dict) -> str:
    """What the claim says when the reporter does not reword it: the quoted words of a quote, else the sentence."""
    if candidate["kind"] == "quote" and (candidate["quote"] or "").strip(" ,;:"):
        return candidate["quote"].strip().rstrip(",;:").strip()  # “We are reviewing every option,” said …
    return candidate["text"].strip()


def accept(
    db: sqlite_utils.Database,
    candidate_id: int,
    user: dict | None,
    text: str | None = None,
    claimant: str | None = None,
    claimant_type: str | None = None,
) -> int:
    """The candidate becomes a claim, with its sentence as supporting evidence; returns the claim id.

    The claim, its evidence (at the candidate's exact offsets) and the
    decision commit together: a refused claim leaves the candidate waiting.
    """
    _require_user(user)
    with transaction(db):
        candidate = _pending(db, candidate_id)
        claim_id = claims.log_claim(
            db,
            candidate["story_id"],
            default_text(candidate) if text is None else text,
            (candidate["claimant"] or "") if claimant is None else claimant,
            claimant_type or candidate["claimant_type"] or "unattributed",
            user,
        )
        # Decided before its sentence is cited: citing rescores the waiting candidates it quotes ("already
        # logged as claim N"), and this one keeps the score it was decided on.
        _decide(db, candidate, "accepted", user, claim_id=claim_id)
        _cite(db, candidate, claim_id, user)
        echoes.refresh(db, [claim_id])
    return claim_id


def merge(db: sqlite_utils.Database, candidate_id: int, claim_id: int, user: dict | None) -> Merged:
    """The candidate's sentence becomes more evidence for an existing claim of the story.

    Where the claim's evidence already quotes part of the sentence (a reporter quoted the words spoken, the
    sentence also says who spoke them), that quote is kept as it is and only the words it leaves out are added,
    each run of them its own quote (uncited_parts) with that quote's stance: evidence is never edited or removed
    (rulings cite it by id), so a second quote over the first would stay beside it for good. A sentence the claim
    quotes whole adds nothing.
    """
    _require_user(user)
    with transaction(db):
        candidate = _pending(db, candidate_id)
        claim = claims.get_claim(db, claim_id)
        if claim["story_id"] != candidate["story_id"]:
            raise TrackerError(f"Claim {claim_id} belongs to another story; merge into a claim of this story.")
        _decide(db, candidate, "merged", user, claim_id=claim_id)  # before citing, as in accept
        quoting = _quoting(db, candidate, claim_id)
        if not quoting:
            added = (_cite(db, candidate, claim_id, user),)
        else:
            sentence, at = candidate["text"], candidate["start"]  # text[start:end] of the revision, as extracted
            # The rest bears on the claim as the reporter's quotes of the sentence do ("context" stays context).
            stances = {stance for _, _, _, stance in quoting}
            stance = stances.pop() if len(stances) == 1 else "supports"
            added = tuple(
                claims.add_evidence(
                    db, claim_id, candidate["revision_id"], sentence[s - at : e - at], stance, user, start=s
                )
                for s, e in uncited_parts(sentence, at, [(s, e) for _, s, e, _ in quoting])
            )
        echoes.refresh(db, [claim_id])
    return Merged(added, tuple(i for i, _, _, _ in quoting))


def _quoting(db: sqlite_utils.Database, candidate: dict, claim_id: int) -> list[tuple[int, int, int, str]]:
    """(id, start, end, stance) of the claim's evidence quoting any of the candidate's sentence, at its place."""
    return db.execute(
        """SELECT id, start, "end", stance FROM evidence
           WHERE claim_id = ? AND revision_id = ? AND start < ? AND "end" > ? ORDER BY start, id""",
        [claim_id, candidate["revision_id"], candidate["end"], candidate["start"]],
    ).fetchall()


def uncited_parts(sentence: str, start: int, spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """The runs of a sentence (starting at `start` of its text) that no (start, end) of `spans` quotes, as
    (start, end) of the text, each from its first word to its last.

    A run starts at a letter, digit or an opening quote mark before one, past a joining word ("and", "but"), and
    ends before spaces, commas, colons, dashes, an opening quote or a joining word; a run of fewer than
    UNCITED_WORDS words that are not stop words ("he said.", "In response", a full stop) says nothing a quote
    already there does not, and is left out. Empty: the spans quote the sentence whole.
    """
    end = start + len(sentence)
    runs, at = [], start
    for lo, hi in sorted(spans):
        if hi <= at:
            continue
        if lo >= end:
            break
        if lo > at:
            runs.append((at, lo))
        at = max(at, hi)
    if at < end:
        runs.append((at, end))
    parts = []
    for lo, hi in runs:
        lo, hi = lo - start, hi - start
        while True:
            while lo < hi and not (
                sentence[lo].isalnum() or (sentence[lo] in _OPENERS and lo + 1 < hi and sentence[lo + 1].isalnum())
            ):
                lo += 1
            first = sentence[lo:hi].split(None, 1)
            if len(first) < 2 or first[0].lower() not in _JOINING:
                break
            lo += len(first[0])
        while True:
            while hi > lo and (sentence[hi - 1].isspace() or sentence[hi - 1] in _TRAILING):
                hi -= 1
            last = sentence[lo:hi].rsplit(None, 1)
            if len(last) < 2 or last[1].lower() not in _JOINING:
                break
            hi -= len(last[1])
        if sum(w not in _STOPWORDS for w in search.index_words(sentence[lo:hi])) >= UNCITED_WORDS:
            parts.append((start + lo, start + hi))
    return parts


def dismiss(db: sqlite_utils.Database, candidate_id: int, user: dict | None, reason: str) -> None:
    """Not a claim worth logging; the reason is kept, and copies of the sentence are dismissed with it."""
    _require_user(user)
    reason = " ".join((reason or "").split())
    if not reason:
        raise ReasonRequired("Say why it is dismissed: a reason is required (for example “not about this story”).")
    if len(reason) > MAX_REASON:
        raise ReasonRequired(f"Keep the reason under {MAX_REASON} characters.")
    with transaction(db):
        candidate = _pending(db, candidate_id)
        _decide(db, candidate, "dismissed", user, reason=reason)


def put_back(db: sqlite_utils.Database, candidate_id: int, user: dict | None) -> int:
    """Undo a dismissal: the candidate and the copies of its sentence dismissed with it wait again.

    Returns how many candidates went back. Each one's dismissal (reason, who,
    when) is kept in candidate_put_backs with who put it back and when, so
    history is added to, never rewritten. The state is checked inside the
    write transaction: two people putting back the same sentence (or one
    putting it back while another decides it) get NotDismissed, not a double.
    """
    _require_user(user)
    with transaction(db):
        candidate = get_candidate(db, candidate_id)
        if candidate["state"] != "dismissed":
            raise NotDismissed(candidate, _last_put_back(db, candidate_id))
        # Every dismissal of the sentence in the story: the person's, and the copies it settled or stored.
        ids = [
            i
            for (i,) in db.execute(
                "SELECT id FROM candidates WHERE story_id = ? AND fingerprint = ? AND state = 'dismissed' ORDER BY id",
                [candidate["story_id"], candidate["fingerprint"]],
            )
        ]
        stamp = now()
        db.execute(
            f"""INSERT INTO candidate_put_backs
                    (candidate_id, story_id, state, reason, decided_by, decided_at, put_back_by, put_back_at)
                SELECT id, story_id, state, reason, decided_by, decided_at, ?, ?
                FROM candidates WHERE id IN ({marks(ids)}) ORDER BY id""",
            [user["id"], stamp, *ids],
        )
        return db.execute(
            f"""UPDATE candidates SET state = 'pending', claim_id = NULL, reason = NULL, decided_by = NULL,
                    decided_at = NULL WHERE id IN ({marks(ids)}) AND state = 'dismissed'""",
            ids,
        ).rowcount


def _last_put_back(db: sqlite_utils.Database, candidate_id: int) -> dict | None:
    return one(
        db,
        """SELECT p.put_back_at, u.username FROM candidate_put_backs p JOIN users u ON u.id = p.put_back_by
           WHERE p.candidate_id = ? ORDER BY p.id DESC LIMIT 1""",
        [candidate_id],
    )


def _require_user(user: dict | None) -> None:
    if not user:
        raise PermissionDenied("Sign in to triage candidates.")


def _pending(db: sqlite_utils.Database, candidate_id: int) -> dict:
    candidate = get_candidate(db, candidate_id)
    if candidate["state"] != "pending":
        raise AlreadyDecided(candidate)
    return candidate


def _cite(db: sqlite_utils.Database, candidate: dict, claim_id: int, user: dict) -> int:
    return claims.add_evidence(
        db, claim_id, candidate["revision_id"], candidate["text"], "supports", user, start=candidate["start"]
    )


def _decide(
    db: sqlite_utils.Database,
    candidate: dict,
    state: str,
    user: dict,
    *,
    claim_id: int | None = None,
    reason: str | None = None,
) -> int:
    """Record the decision, and settle the waiting copies of the same sentence; returns how many were settled."""
    stamp = now()
    cur = db.execute(
        """UPDATE candidates SET state = ?, claim_id = ?, reason = ?, decided_by = ?, decided_at = ?
           WHERE id = ? AND state = 'pending'""",
        [state, claim_id, reason, user["id"], stamp, candidate["id"]],
    )
    if cur.rowcount != 1:
        raise AlreadyDecided(get_candidate(db, candidate["id"]))
    copied = "dismissed" if state == "dismissed" else "merged"
    return db.execute(
        """UPDATE candidates SET state = ?, claim_id = ?, reason = ?, decided_by = NULL, decided_at = ?
           WHERE story_id = ? AND fingerprint = ? AND state = 'pending' AND id != ?""",
        [copied, claim_id, AUTO_REASON, stamp, candidate["story_id"], candidate["fingerprint"], candidate["id"]],
    ).rowcount


# --------------------------------------------------------------------------- suggestions

_STOPWORDS = frozenset(
    """a an and are as at be been but by for from had has have he her his i in is it its of on or our she
    that the their there they this to was we were which who will with would said says say not no also than
    then into over about after before more most such only other some what when where how all any can could
    may might according told reported reportedly""".split()
)


def _words(text: str) -> list[str]:
    """Words as the index holds them (search.index_words), minus stop words and numbers, each once."""
    words = search.index_words(text)
    return list(dict.fromkeys(w for w in words if w not in _STOPWORDS and len(w) > 2 and not w.isdigit()))


_SUGGESTED = "c.id, c.text, c.claimant, c.claimant_type, c.status, c.published"
_SUGGESTED_KEYS = tuple(column.split(".")[1] for column in _SUGGESTED.split(", "))
# Candidates' searches in one statement: SQLite allows 500 arms to a compound SELECT.
_ARMS = 100


def suggest_claims(db: sqlite_utils.Database, candidate_id: int, limit: int = 5) -> list[dict]:
    """The story's claims this candidate most likely supports, best first (see suggestions)."""
    return suggestions(db, [get_candidate(db, candidate_id)], limit)[candidate_id]


def suggestions(db: sqlite_utils.Database, found: list[dict], limit: int = 5) -> dict[int, list[dict]]:
    """The claims each candidate most likely supports, best first, by candidate id: a page's in three queries.

    First the claims of its story whose evidence already quotes this very span, then claims
    sharing the candidate's significant words (OR'd, ranked by bm25 on claims_fts), the close
    ones first. Each has a `why`: "cites this sentence", "cites part of this sentence" (its evidence
    quotes some of the words, uncited_parts the rest) or "similar words"; `match`: "cited", "part",
    "close" or "loose" (MATCH_WORDS), and `shared` of `words`: how many of the claim's words the
    sentence holds. `found` are candidate rows (get_candidate, list_queue). Asked one card at a
    time, triage made four queries a card; each candidate's search is still its own (its own
    terms rank its own matches), one arm of a UNION ALL.
    """
    if not found:
        return {}
    revision_ids = sorted({c["revision_id"] for c in found})
    cited = rows(
        db,
        f"""SELECT {_SUGGESTED}, c.story_id, e.revision_id, e.start, e."end"
            FROM evidence e JOIN claims c ON c.id = e.claim_id
            WHERE e.revision_id IN ({marks(revision_ids)}) ORDER BY c.id""",
        revision_ids,
    )
    picked: dict[int, dict[int, dict]] = {}
    for c in found:
        mine = picked.setdefault(c["id"], {})
        spans: dict[int, list[tuple[int, int]]] = {}
        for e in cited:
            if (e["revision_id"], e["story_id"]) == (c["revision_id"], c["story_id"]) and e["start"] < c["end"]:
                if c["start"] < e["end"]:
                    mine.setdefault(e["id"], {k: e[k] for k in _SUGGESTED_KEYS})
                    spans.setdefault(e["id"], []).append((e["start"], e["end"]))
        for claim_id, quoted in spans.items():
            whole = not uncited_parts(c["text"], c["start"], quoted)
            mine[claim_id]["why"] = MATCH_WORDS["cited" if whole else "part"]
    words = {c["id"]: _words(f"{c['text']} {c['claimant'] or ''}")[:60] for c in found}
    docs = _claim_counts(db, sorted({w for ws in words.values() for w in ws}))
    arms, params = [], []
    for c in found:
        terms = _rare_terms(words[c["id"]], docs)
        if terms and len(picked[c["id"]]) < limit:
            arms.append(
                f"""SELECT * FROM (SELECT ? AS candidate_id, {_SUGGESTED}, bm25(claims_fts) AS rank
                    FROM claims_fts JOIN claims c ON c.id = claims_fts.rowid
                    WHERE claims_fts MATCH ? AND c.story_id = ? ORDER BY bm25(claims_fts), c.id DESC LIMIT ?)"""
            )
            params += [c["id"], " OR ".join(search.term(t) for t in terms), c["story_id"], limit + len(picked[c["id"]])]
    similar = []
    for at in range(0, len(arms), _ARMS):
        similar += rows(db, " UNION ALL ".join(arms[at : at + _ARMS]), params[4 * at : 4 * (at + _ARMS)])
    for row in sorted(similar, key=lambda r: (r["candidate_id"], r["rank"], -r["id"])):
        picked[row["candidate_id"]].setdefault(
            row["id"], {k: row[k] for k in _SUGGESTED_KEYS} | {"why": "similar words"}
        )
    out = {}
    for c in found:
        mine = list(picked[c["id"]].values())
        held = set(_words(c["text"]))
        for s in mine:
            claim_words = set(_words(s["text"]))
            s["shared"], s["words"] = len(held & claim_words), len(claim_words)
            close = s["shared"] >= CLOSE_WORDS and s["shared"] >= CLOSE_SHARE * s["words"]
            cites = {MATCH_WORDS["cited"]: "cited", MATCH_WORDS["part"]: "part"}
            s["match"] = cites.get(s["why"]) or ("close" if close else "loose")
        out[c["id"]] = sorted(mine, key=lambda s: s["match"] == "loose")[:limit]  # stable: citing, close, loose
    return out


def preselected(suggested: list[dict]) -> int | None:
    """The one suggestion triage ticks for the reporter: the only one citing the sentence or close to it; else None.

    A loose match (a word or two alike) is never ticked, nor one of two strong ones: Enter then merges nothing
    until the reporter chooses.
    """
    strong = [s["id"] for s in suggested if s["match"] != "loose"]
    return strong[0] if len(strong) == 1 else None


def _claim_counts(db: sqlite_utils.Database, words: list[str]) -> dict[str, int]:
    """How many claims hold each word (claims_fts_vocab), for the words some claim holds."""
    if not words:
        return {}
    return dict(db.execute(f"SELECT term, doc FROM claims_fts_vocab WHERE term IN ({marks(words)})", words))


def _rare_terms(words: list[str], docs: dict[str, int]) -> list[str]:
    """The words that occur in some claim, rarest first, leaving out ones in more than SUGGEST_BUDGET claims.

    None when every word the candidate shares with claims is that common: searching on one ranked every claim
    holding it, for each card of the page (0.4 s a page at 100,000 claims), to suggest claims alike only in it.
    """
    words = words[:60]
    present = sorted((w for w in words if docs.get(w)), key=lambda w: docs[w])
    return [w for w in present if docs[w] <= SUGGEST_BUDGET][:SUGGEST_TERMS]
