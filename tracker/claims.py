"""Claims, their evidence, and the editors' rulings on them.

Every ruling is a row in status_history, written in the same transaction as
the status itself; the table refuses UPDATE and DELETE, so the record of who
decided what, when and why cannot be rewritten.
"""

from __future__ import annotations

import logging
import re

import sqlite_utils

from tracker import documents, echoes
from tracker.alerts import events
from tracker.checkworthy import store as checkworthiness
from tracker.checkworthy.model import ModelMissing
from tracker.claim_queries import FIRST_REPORTED_OFFSET, ruled_wording_sql
from tracker.coverage import get_revision
from tracker.db import NotFound, TrackerError, now, one, refuse_control_chars, rows, shows_nothing, transaction
from tracker.publish_log import reached_readers
from tracker.users import can_rule
from tracker.versions import check_version
from tracker.vocab import CLAIMANT_TYPES, RULINGS, STANCES

log = logging.getLogger(__name__)

EDITABLE_FIELDS = ("text", "claimant", "claimant_type", "source_identity", "internal_notes")
# The most each field may hold, for the forms and the API alike: a claim is a sentence or two, a
# quote a passage, a rationale a few paragraphs. (A claim of 1 MB, once published, was more than the
# public site reads.)
MAX_CHARS = {
    "text": 5000,
    "claimant": 500,
    "source_identity": 2000,
    "internal_notes": 20000,
    "rationale": 20000,
    "public_rationale": 20000,
    "quote": 5000,
}
_NAMES = {"text": "claim", "source_identity": "confidential source", "public_rationale": "public rationale"}
_PLURAL = {"internal_notes"}  # "The internal notes are ...", as the form's label reads


def check_lengths(**fields: str | None) -> None:
    """TrackerError naming the first field over MAX_CHARS (and by how much), or holding a control character.

    The error's field is the keyword's name, the form field's own, so the form marks that field.
    """
    for name, value in fields.items():
        what = _NAMES.get(name, name.replace("_", " "))
        try:
            refuse_control_chars(what, value, plural=name in _PLURAL)
        except TrackerError as e:
            raise TrackerError(str(e), field=name) from None
        size = len((value or "").strip())
        if size > MAX_CHARS[name]:
            raise TrackerError(
                f"The {what} {'are' if name in _PLURAL else 'is'} {size:,} characters, over the limit of "
                f"{MAX_CHARS[name]:,}; shorten it "
                "(what you typed is kept in the form).",
                field=name,
            )


# The editable fields a published claim shows readers (the others never leave the newsroom).
PUBLIC_FIELDS = ("text", "claimant", "claimant_type")


class ClaimNotFound(NotFound):
    def __init__(self, claim_id: int):
        super().__init__(f"No claim with id {claim_id}.")


class PermissionDenied(TrackerError):
    status_code = 403


class QuoteNotFound(TrackerError):
    status_code = 422


def log_claim(
    db: sqlite_utils.Database,
    story_id: int,
    text: str,
    claimant: str,
    claimant_type: str,
    user: dict | None,
    *,
    source_identity: str = "",
    internal_notes: str = "",
    first_reported_at: str | None = None,
) -> int:
    """Record a claim as publicly attributed; the confidential identity stays private."""
    text = (text or "").strip()
    if shows_nothing(text):
        raise TrackerError("A claim needs its text.", field="text")
    check_lengths(text=text, claimant=claimant, source_identity=source_identity, internal_notes=internal_notes)
    if claimant_type not in CLAIMANT_TYPES:
        raise TrackerError(
            f"Unknown claimant type {claimant_type!r}; choose one of: {', '.join(CLAIMANT_TYPES)}.",
            field="claimant_type",
        )
    if not db.execute("SELECT 1 FROM stories WHERE id = ?", [story_id]).fetchone():
        raise NotFound(f"No story with id {story_id}.")
    stamp = now()
    with transaction(db):
        cur = db.execute(
            """INSERT INTO claims (story_id, text, claimant, claimant_type, source_identity,
                   internal_notes, first_reported_at, created_by, created_at, updated_at)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            [
                story_id,
                text,
                (claimant or "").strip(),
                claimant_type,
                (source_identity or "").strip(),
                (internal_notes or "").strip(),
                first_reported_at,
                user["id"] if user else None,
                stamp,
                stamp,
            ],
        )
        claim = {"id": cur.lastrowid, "story_id": story_id, "text": text, "claimant": (claimant or "").strip()}
        events.claim_logged(db, claim, by=(user or {}).get("username", ""))
    return cur.lastrowid


def first_reported_offset(db: sqlite_utils.Database, claim_id: int) -> int | None:
    """The offset of the page that first reported the claim (claim_queries.FIRST_REPORTED_OFFSET), for showing its
    first report on that page's clock: read where it is shown, not by get_claim, which every write reads."""
    row = db.execute(f"SELECT {FIRST_REPORTED_OFFSET} FROM claims c WHERE c.id = ?", [claim_id]).fetchone()
    return row[0] if row else None


def get_claim(db: sqlite_utils.Database, claim_id: int) -> dict:
    claim = one(
        db,
        """SELECT c.*, s.slug AS story_slug, s.title AS story_title, u.username AS created_by_name
           FROM claims c JOIN stories s ON s.id = c.story_id
           LEFT JOIN users u ON u.id = c.created_by WHERE c.id = ?""",
        [claim_id],
    )
    if claim is None:
        raise ClaimNotFound(claim_id)
    return claim


def update_claim(db: sqlite_utils.Database, claim_id: int, user: dict, expected_version: int, **fields: str) -> dict:
    """Edit a claim's wording or attribution; refuses a stale edit instead of overwriting."""
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TrackerError(f"Cannot edit {', '.join(sorted(unknown))}.")
    if "text" in fields and shows_nothing(fields["text"]):
        raise TrackerError("A claim needs its text.", field="text")
    check_lengths(**{k: v for k, v in fields.items() if k in MAX_CHARS})
    if "claimant_type" in fields and fields["claimant_type"] not in CLAIMANT_TYPES:
        raise TrackerError(f"Unknown claimant type {fields['claimant_type']!r}.", field="claimant_type")
    stamp = now()
    with transaction(db):
        current = _check_version(db, claim_id, expected_version)
        if not fields:
            return current
        sets = ", ".join(f"{k} = ?" for k in fields)  # keys checked against EDITABLE_FIELDS
        db.execute(
            f"UPDATE claims SET {sets}, version = version + 1, updated_at = ? WHERE id = ?",
            [*(v.strip() for v in fields.values()), stamp, claim_id],
        )
        # What readers may see changes: logged, for the Publish page (who) and for answers (stale).
        db.conn.executemany(
            "INSERT INTO claim_edits (claim_id, user_id, at, field, old, new) VALUES (?, ?, ?, ?, ?, ?)",
            [
                (claim_id, user["id"] if user else None, stamp, name, current[name], fields[name].strip())
                for name in PUBLIC_FIELDS
                if name in fields and fields[name].strip() != current[name]
            ],
        )
        if {"claimant", "claimant_type"} & set(fields):  # a claim credited to an outlet makes others echo it
            echoes.refresh(db, [claim_id])
    return get_claim(db, claim_id)


def set_status(
    db: sqlite_utils.Database,
    claim_id: int,
    to_status: str,
    user: dict | None,
    rationale: str,
    expected_version: int,
    public_rationale: str | None = None,
    *,
    evidence_ids: list[int] | None = None,
) -> dict:
    """An editor's ruling: the status and its history row commit together or not at all.

    `rationale` stays in the newsroom; only `public_rationale` is ever published.
    A ruling made after readers were shown an earlier ruling of the claim
    (readers_shown_a_ruling) is recorded as a public correction. `evidence_ids`, when given, are the
    claim's evidence items the ruling rests on: at least one, all of this
    claim, stored with the history row (the editor and the API always give
    them; None is for imports such as the demo).
    """
    if not can_rule(user):
        raise PermissionDenied("Only editors can change a claim's status.")
    if to_status not in RULINGS:
        raise TrackerError(f"Unknown status {to_status!r}; choose one of: {', '.join(RULINGS)}.")
    rationale = (rationale or "").strip()
    if shows_nothing(rationale):
        raise TrackerError("Say why: a status change needs a rationale.")
    check_lengths(rationale=rationale, public_rationale=public_rationale)
    # Never default the public text to the internal one: an internal rationale
    # may name a confidential source.
    public_rationale = (public_rationale or "").strip()
    cited = None if evidence_ids is None else sorted(set(evidence_ids))
    if cited is not None and not cited:
        raise TrackerError("Cite the evidence: a ruling rests on at least one evidence item of the claim.")
    stamp = now()
    with transaction(db):
        current = _check_version(db, claim_id, expected_version)
        if current["status"] == to_status and not reworded_since_ruling(db, claim_id=claim_id):
            raise TrackerError(f"Claim {claim_id} is already {to_status}.", field="status")
        if cited:
            own = {r[0] for r in db.execute("SELECT id FROM evidence WHERE claim_id = ?", [claim_id])}
            foreign = [i for i in cited if i not in own]
            if foreign:
                raise TrackerError(
                    f"Evidence {', '.join(map(str, foreign))} is not evidence of claim {claim_id}; "
                    "cite this claim's own evidence.",
                    field="evidence_ids",
                )
        is_correction = int(readers_shown_a_ruling(db, claim_id))
        cur = db.execute(
            """INSERT INTO status_history (claim_id, from_status, to_status, rationale,
                   public_rationale, is_correction, editor_id, at, edit_mark)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?,
                       (SELECT coalesce(max(id), 0) FROM claim_edits WHERE claim_id = ?))""",
            [
                claim_id,
                current["status"],
                to_status,
                rationale,
                public_rationale,
                is_correction,
                user["id"],
                stamp,
                claim_id,
            ],
        )
        if cited:
            db.conn.executemany(
                "INSERT INTO status_history_evidence (history_id, evidence_id) VALUES (?, ?)",
                [(cur.lastrowid, i) for i in cited],
            )
        db.execute(
            """UPDATE claims SET status = ?, status_changed_at = ?, version = version + 1, updated_at = ?
               WHERE id = ?""",
            [to_status, stamp, stamp, claim_id],
        )
        events.ruling_recorded(
            db,
            current,
            cur.lastrowid,
            to_status,
            rationale=rationale,
            public_rationale=public_rationale,
            is_correction=bool(is_correction),
            by=(user or {}).get("username") or "",
        )
    return get_claim(db, claim_id)


def reworded_since_ruling(
    db: sqlite_utils.Database, *, claim_id: int | None = None, story_id: int | None = None
) -> list[dict]:
    """Claims whose latest ruling was made on earlier wording or attribution, each with the wording ruled on.

    An edit by form, API or command line (update_claim) does not move the verdict to the new words: the claim
    waits for an editor to rule again (a ruling with the same status is then allowed), and the public build
    keeps showing readers the wording that was ruled on (claim_queries.ruled_wording_sql). Oldest claim first.
    """
    scope, params = "", {"claim_id": claim_id, "story_id": story_id}
    if claim_id is not None:
        scope = "x.claim_id = :claim_id"
    elif story_id is not None:
        scope = "x.claim_id IN (SELECT id FROM claims WHERE story_id = :story_id)"
    return rows(db, f"SELECT * FROM ({ruled_wording_sql(scope=scope)}) ORDER BY claim_id", params)


def has_ruling(
    db: sqlite_utils.Database,
    claim_id: int,
    to_status: str,
    rationale: str,
    public_rationale: str | None = None,
    evidence_ids: list[int] | None = None,
) -> bool:
    """Whether the claim's latest ruling is this one (status, rationale, public rationale and cited evidence, as
    set_status stores them): a ruling sent again once it is done, which its version no longer lets through.

    The rule a development's marking follows (developments.has_state): what is asked holds already, whatever the
    version; anything else asked on a stale version is someone else's change to look at first.
    """
    latest = db.execute(
        "SELECT id, to_status, rationale, public_rationale FROM status_history WHERE claim_id = ? ORDER BY id DESC",
        [claim_id],
    ).fetchone()
    if latest is None:
        return False
    cited = db.execute("SELECT evidence_id FROM status_history_evidence WHERE history_id = ?", [latest[0]])
    asked = (to_status, (rationale or "").strip(), (public_rationale or "").strip())
    return (latest[1], latest[2], latest[3] or "") == asked and sorted(r[0] for r in cited) == sorted(
        set(evidence_ids or [])
    )


def readers_shown_a_ruling(db: sqlite_utils.Database, claim_id: int) -> bool:
    """Whether a publish readers saw has shown a ruling of this claim: a new ruling then corrects it.

    Marked publishable is not enough: until a publish shows it, readers have
    seen no ruling, and the first they see is no correction of anything.
    Publishes record the rulings they show (tracker.publish_log); a publish
    still being swapped in, or killed before, has shown nothing. One killed
    after its swap, its row still pending until the next publish settles it,
    has: the public file readers see says so (publish_log.reached_readers).
    """
    publishes = db.execute(
        """SELECT DISTINCT l.id, l.pending_out FROM status_history h
           JOIN public_rulings p ON p.history_id = h.id
           JOIN publish_log l ON l.id = p.publish_id
           WHERE h.claim_id = ? ORDER BY l.pending_out IS NOT NULL""",
        [claim_id],
    ).fetchall()
    return any(pending_out is None or reached_readers(log_id, pending_out) for log_id, pending_out in publishes)


def set_published(
    db: sqlite_utils.Database, claim_id: int, published: bool, user: dict | None, expected_version: int
) -> dict:
    """Mark a claim as publishable (or withdraw it); only editors decide what readers see."""
    if not can_rule(user):
        raise PermissionDenied("Only editors can publish claims.")
    with transaction(db):
        _check_version(db, claim_id, expected_version)
        db.execute(
            "UPDATE claims SET published = ?, version = version + 1, updated_at = ? WHERE id = ?",
            [int(bool(published)), now(), claim_id],
        )
    return get_claim(db, claim_id)


def add_evidence(
    db: sqlite_utils.Database,
    claim_id: int,
    revision_id: int,
    quote: str,
    stance: str,
    user: dict | None,
    start: int | None = None,
    *,
    page: int | None = None,
) -> int:
    """Link a claim to the exact words of a coverage revision.

    The quote must appear in the revision's stored text; its offsets are kept
    so the evidence always points at real text. Runs of spaces and line
    breaks may differ (a quote copied across a line of a PDF); the words and
    punctuation may not, and the evidence keeps the text as stored. In a
    document, `page` looks for the quote on that page only, and the page the
    quote is on is kept with it either way.
    """
    if stance not in STANCES:
        raise TrackerError(f"Unknown stance {stance!r}; choose one of: {', '.join(STANCES)}.", field="stance")
    quote = (quote or "").strip()
    if not quote:
        raise TrackerError("Evidence needs the exact quote from the coverage.")
    check_lengths(quote=quote)
    claim = get_claim(db, claim_id)
    revision = get_revision(db, revision_id)
    if revision["story_id"] != claim["story_id"]:
        raise TrackerError("That coverage belongs to another story; attach coverage of this claim's story.")
    text = revision["text"]
    lo, hi = 0, len(text)
    if page is not None:
        if revision["kind"] != "document":
            raise TrackerError("Only documents have pages; leave the page out for other coverage.")
        lo, hi = documents.page_span(db, revision_id, page)
    found = find_quote(text, quote, start, lo, hi)
    if found is None:
        where = f"page {page} of " if page is not None else ""
        raise QuoteNotFound(
            f"The quote is not in the stored text of {where}“{revision['title'] or revision['canonical_url']}”; "
            "copy it exactly from the coverage text (same words, punctuation and quotation marks)."
        )
    start, end = found
    quote = text[start:end]
    page = documents.page_at(db, revision_id, start) if revision["kind"] == "document" else None
    with transaction(db):
        existing = evidence_at(db, claim_id, revision_id, start, end)
        if existing:
            return existing
        added_at = words_added_at(db, revision, quote)
        cur = db.execute(
            """INSERT INTO evidence (claim_id, revision_id, quote, start, "end", stance, added_by, added_at, page,
                                     words_from)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            [claim_id, revision_id, quote, start, end, stance, user["id"] if user else None, now(), page, added_at],
        )
        # The evidence that dates the claim's first report is the one credited with it (the public
        # timeline's "first reported by"): both are set together, here only.
        # A publication the source dated only by its day dates the report to that day (its precision goes
        # with it); words a later revision added date from when we fetched it, to the second.
        reported = added_at or revision["published_at"] or revision["fetched_at"]
        precision = revision["published_precision"] if reported == revision["published_at"] else None
        db.execute(
            """UPDATE claims SET first_reported_at = ?, first_reported_precision = ?, first_reported_evidence_id = ?
               WHERE id = ? AND (first_reported_at IS NULL OR first_reported_at > ?)""",
            [reported, precision, cur.lastrowid, claim_id, reported],
        )
        echoes.refresh(db, [claim_id])
        try:
            checkworthiness.score_span(db, revision_id, start, start + len(quote))  # now "already logged"
        except ModelMissing as e:  # the evidence stands; `score-candidates --all` re-ranks once it is rebuilt
            log.warning("%s; the candidates this evidence quotes keep their scores until then", e)
    return cur.lastrowid


def words_added_at(db: sqlite_utils.Database, revision: dict, quote: str) -> str | None:
    """When a revision after the item's first added the quoted words; None when its first revision held them.

    Words a later revision added (a statement quietly edited hours after it
    was issued) were not there when the item was published: they date from
    the first revision seen holding them, or the claim's first report, and
    the timeline's "statement cited", would be dated before the words existed.
    """
    earlier = db.execute(
        "SELECT id, fetched_at, text FROM revisions WHERE coverage_id = ? AND id <= ? ORDER BY id",
        [revision["coverage_id"], revision["id"]],
    )
    for n, (rev_id, fetched_at, text) in enumerate(earlier):
        if rev_id == revision["id"] or find_quote(text, quote) is not None:
            return fetched_at if n else None
    return None


def find_quote(
    text: str, quote: str, start: int | None = None, lo: int = 0, hi: int | None = None
) -> tuple[int, int] | None:
    """(start, end) of `quote` in text[lo:hi]: at `start` if given, else the first place; spacing may differ."""
    hi = len(text) if hi is None else hi
    if start is not None:
        if lo <= start and text[start : start + len(quote)] == quote and start + len(quote) <= hi:
            return start, start + len(quote)
        return _find_spaced(text, quote, start, hi, anchored=True) if lo <= start <= hi else None
    at = text.find(quote, lo, hi)
    if at >= 0:
        return at, at + len(quote)
    return _find_spaced(text, quote, lo, hi, anchored=False)


_SPACE_RUN = re.compile(r"\s+")
_LONG_SPACE_RUN = re.compile(r"\s{2,}")


def _find_spaced(text: str, quote: str, lo: int, hi: int, *, anchored: bool) -> tuple[int, int] | None:
    """The quote's words in text[lo:hi] with any run of whitespace between them, at lo if anchored.

    Each run of whitespace becomes one space on both sides and the quote is
    found with str.find, in time linear in the text. A regular expression
    with \\s+ between the words rescanned the quote from every place in the
    text: a long quote of repeated words against a long document held the
    writer lock for minutes. Offsets are mapped back through the runs longer
    than one character, the only ones that move them.
    """
    segment = text[lo:hi]
    needle = " ".join(quote.split())
    flat = _SPACE_RUN.sub(" ", segment)
    if anchored:
        at = 0 if flat.startswith(needle) else -1
    else:
        at = flat.find(needle)
    if at < 0 or not needle:
        return None
    last = at + len(needle) - 1  # a character of the last word: never a space
    shift_start = shift_last = 0
    for run in _LONG_SPACE_RUN.finditer(segment):
        flat_at = run.start() - shift_last
        if flat_at >= last:
            break
        if flat_at < at:
            shift_start += len(run.group()) - 1
        shift_last += len(run.group()) - 1
    return lo + at + shift_start, lo + last + shift_last + 1


def evidence_at(db: sqlite_utils.Database, claim_id: int, revision_id: int, start: int, end: int) -> int | None:
    """The id of the claim's evidence quoting exactly text[start:end] of the revision, if it has one."""
    row = db.execute(
        'SELECT id FROM evidence WHERE claim_id = ? AND revision_id = ? AND start = ? AND "end" = ?',
        [claim_id, revision_id, start, end],
    ).fetchone()
    return row[0] if row else None


def evidence_for(db: sqlite_utils.Database, claim_id: int) -> list[dict]:
    return rows(
        db,
        """SELECT e.*, r.coverage_id, r.fetched_at, c.canonical_url, c.outlet, c.title, c.published_at,
                  c.published_precision, c.published_offset, c.kind AS coverage_kind, u.username AS added_by_name,
                  k.id AS capture_id, k.received_at, k.sha256,
                  p.attribution, p.attribution_approved_at, p.at AS reported_at
           FROM evidence e JOIN revisions r ON r.id = e.revision_id
           JOIN coverage c ON c.id = r.coverage_id
           LEFT JOIN users u ON u.id = e.added_by
           LEFT JOIN captures k ON k.id = (SELECT max(k2.id) FROM captures k2 WHERE k2.revision_id = e.revision_id
                                            AND k2.role IN ('page', 'document'))
           LEFT JOIN reporting p ON p.coverage_id = c.id
           WHERE e.claim_id = ? ORDER BY coalesce(c.published_at, r.fetched_at), e.id""",
        [claim_id],
    )


def history(db: sqlite_utils.Database, claim_id: int) -> list[dict]:
    """The claim's rulings, oldest first, with the editor who made each and the evidence ids it cited."""
    entries = rows(
        db,
        """SELECT h.*, u.username AS editor FROM status_history h
           LEFT JOIN users u ON u.id = h.editor_id WHERE h.claim_id = ? ORDER BY h.id""",
        [claim_id],
    )
    cited: dict[int, list[int]] = {}
    for history_id, evidence_id in db.execute(
        """SELECT he.history_id, he.evidence_id FROM status_history_evidence he
           JOIN status_history h ON h.id = he.history_id WHERE h.claim_id = ? ORDER BY he.evidence_id""",
        [claim_id],
    ):
        cited.setdefault(history_id, []).append(evidence_id)
    for entry in entries:
        entry["cited_evidence_ids"] = cited.get(entry["id"], [])
    return entries


def _check_version(db: sqlite_utils.Database, claim_id: int, expected_version: int) -> dict:
    return check_version("claim", get_claim(db, claim_id), int(expected_version))


def recent_rulings(db: sqlite_utils.Database, story_id: int, limit: int = 10) -> list[dict]:
    """A story's latest status changes, newest first, with the claim and the editor."""
    return rows(
        db,
        """SELECT h.id, h.claim_id, h.from_status, h.to_status, h.rationale, h.is_correction, h.at,
                  u.username AS editor, c.text AS claim_text
           FROM status_history h JOIN claims c ON c.id = h.claim_id
           LEFT JOIN users u ON u.id = h.editor_id
           WHERE c.story_id = ? ORDER BY h.id DESC LIMIT ?""",
        [story_id, limit],
    )


def changed_evidence(
    db: sqlite_utils.Database, *, story_id: int | None = None, claim_id: int | None = None
) -> list[dict]:
    """Evidence whose quote is gone from a later revision of its coverage: "evidence changed, review".

    Only coverage with more than one revision can qualify, so this starts from
    those few items. Citing the quote again from the latest revision (new
    evidence on it) settles the warning; the history of the old quote stays.
    """
    # Only the coverage that matters is grouped: the claim's own, or the story's.
    where, params = [], {"claim_id": claim_id, "story_id": story_id}
    # coverage.revision_count (migration 0038): the story's revised items, from their own index.
    scope = "SELECT id FROM coverage WHERE revision_count > 1"
    if claim_id is not None:
        scope = (
            "SELECT r.coverage_id FROM evidence e JOIN revisions r ON r.id = e.revision_id WHERE e.claim_id = :claim_id"
        )
        where.append("e.claim_id = :claim_id")
    elif story_id is not None:
        scope = "SELECT id FROM coverage WHERE story_id = :story_id AND revision_count > 1"
    if story_id is not None:
        where.append("cov.story_id = :story_id")
    return rows(
        db,
        f"""WITH latest AS (
                SELECT coverage_id, max(id) AS id FROM revisions
                WHERE coverage_id IN ({scope})
                GROUP BY coverage_id HAVING count(*) > 1
            )
            SELECT e.id AS evidence_id, e.claim_id, e.quote, e.stance, e.revision_id,
                   l.id AS latest_revision_id, lr.fetched_at AS changed_at,
                   cov.id AS coverage_id, cov.title, cov.outlet, cov.canonical_url,
                   c.text AS claim_text, c.status, c.published
            FROM latest l
            JOIN revisions r ON r.coverage_id = l.coverage_id AND r.id < l.id
            JOIN evidence e ON e.revision_id = r.id
            JOIN revisions lr ON lr.id = l.id
            JOIN coverage cov ON cov.id = l.coverage_id
            JOIN claims c ON c.id = e.claim_id
            WHERE instr(lr.text, e.quote) = 0
              AND NOT EXISTS (SELECT 1 FROM evidence e2 WHERE e2.claim_id = e.claim_id AND e2.revision_id = l.id)
              {"AND " + " AND ".join(where) if where else ""}
            ORDER BY lr.id DESC, e.id""",
        params,
    )


def claims_citing(db: sqlite_utils.Database, coverage_id: int) -> list[dict]:
    """Claims with evidence from any revision of this coverage item, with which revision and quote."""
    return rows(
        db,
        """SELECT c.id, c.text, c.status, c.published, e.id AS evidence_id, e.quote, e.stance,
                  e.revision_id
           FROM evidence e JOIN revisions r ON r.id = e.revision_id
           JOIN claims c ON c.id = e.claim_id
           WHERE r.coverage_id = ? ORDER BY c.id, e.id""",
        [coverage_id],
    )
