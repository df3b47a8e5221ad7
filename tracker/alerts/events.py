"""The alerts outbox: one row per thing that happened, written in the transaction that made it happen.

Each write path (ingest, rulings, candidates, source health, publish,
questions) calls one function here inside its own transaction, so the event
commits with the change or not at all: a crash can neither lose an event
whose change was stored nor announce a change that rolled back. Nothing here
sends anything; tracker/alerts/router.py and sender.py read the outbox.

A payload carries what a message needs (the quote, the diff, the editor
path), so a message says what changed even if the row changes again before
it goes out. Anything that must not leave the newsroom unless a destination
is marked internal (an internal rationale, internal notes) goes under the
payload's "internal" key and nowhere else; tracker/alerts/messages.py drops
it for every other destination.
"""

from __future__ import annotations

import json
import time

import sqlite_utils

from scrapers.timestamps import parse_time
from tracker import public_ids
from tracker.alerts import messages
from tracker.db import now
from tracker.vocab import CORRECTION_LABEL, REVERSALS

QUOTE_MAX = 400  # characters of a statement or candidate sentence kept in the payload
DIFF_MAX = 4000  # characters of changed lines kept; a message shows less and links to the full diff
CANDIDATES_LISTED = 20  # candidate sentences kept in one event; the count covers the rest
FAILING_AFTER = 3  # failures in a row before a source is reported failing
PARAGRAPHS_KEPT = 5  # changed paragraphs of a coverage_changed event kept as their changed words in context
CONTEXT_WORDS = 8  # unchanged words kept either side of a change
CHANGED_MAX = 300  # characters of one removed or added run kept
RUNS_MAX = 15  # runs (unchanged, removed, added) kept of one paragraph


def record(
    db: sqlite_utils.Database,
    kind: str,
    subject: str,
    *,
    story_id: int | None = None,
    payload: dict | None = None,
    dedupe_key: str | None = None,
) -> int | None:
    """Add an event to the outbox inside the caller's open transaction; its id, or None when deduplicated.

    Refuses to run outside a transaction: an event written in a transaction
    of its own could commit without its change, or the change without it.
    `dedupe_key` makes a repeated condition one event (INSERT OR IGNORE).
    """
    if not db.conn.in_transaction:
        raise RuntimeError("alert events are written inside the transaction of the change they announce")
    cur = db.execute(
        """INSERT OR IGNORE INTO alert_events (kind, story_id, subject, payload, dedupe_key, at, stored)
           VALUES (?, ?, ?, ?, ?, ?, ?)""",
        [kind, story_id, subject[:300], json.dumps(payload or {}), dedupe_key, now(), time.time()],
    )
    return cur.lastrowid if cur.rowcount else None


def revision_stored(
    db: sqlite_utils.Database, coverage_id: int, revision_id: int, text: str, previous: str | None, diff: str | None
) -> None:
    """A new revision: a first statement text is news, a changed text is news, and so is a cited quote gone."""
    item = db.execute(
        "SELECT story_id, kind, title, outlet, canonical_url FROM coverage WHERE id = ?", [coverage_id]
    ).fetchone()
    story_id, kind, title, outlet, url = item
    if previous is None and kind != "statement":
        return  # a new article is not an alert of its own: its candidates and echoes are
    name = title or url
    base = {"title": title, "outlet": outlet, "url": url, "claimant": outlet or "", "path": f"/coverage/{coverage_id}"}
    if previous is None:
        record(
            db,
            "statement_new",
            f"New statement from {outlet or 'an organisation'}: {name}",
            story_id=story_id,
            payload={**base, "quote": _cut(_without_title(text, title), QUOTE_MAX), "text": text[:2000]},
            dedupe_key=f"statement_new:{coverage_id}",
        )
        return
    changed, truncated = changed_lines(diff or "")
    paragraphs, count = changed_words(previous, text)
    what = "Statement" if kind == "statement" else "Article"
    record(
        db,
        "coverage_changed",
        f"{what} changed: {name}" + (f" ({outlet})" if outlet else "") + _first_change(paragraphs),
        story_id=story_id,
        payload={
            **base,
            "kind": kind,
            "diff": changed,
            "diff_truncated": truncated,
            "changes": paragraphs,
            "changes_count": count,
            "text": changed,
            "path": f"/coverage/{coverage_id}?to={revision_id}",
        },
        dedupe_key=f"coverage_changed:{revision_id}",
    )
    gone: dict[int, dict] = {}
    for claim_id, claim_text, claimant, quote in db.execute(
        """SELECT e.claim_id, c.text, c.claimant, e.quote
           FROM revisions r JOIN evidence e ON e.revision_id = r.id JOIN claims c ON c.id = e.claim_id
           WHERE r.coverage_id = ? AND r.id < ? ORDER BY e.claim_id, e.id""",
        [coverage_id, revision_id],
    ):
        # Gone in this change: in the text before it, not after (an old loss is not news again).
        if quote in previous and quote not in text:
            gone.setdefault(claim_id, {"claim_text": claim_text, "claimant": claimant, "quotes": []})["quotes"].append(
                _cut(quote, QUOTE_MAX)
            )
    for claim_id, found in gone.items():
        said = f" ({_cut(found['claimant'], 60)})" if found["claimant"] else ""
        record(
            db,
            "evidence_changed",
            f"Evidence changed under claim {claim_id}{said}: {_cut(found['claim_text'], 120)}",
            story_id=story_id,
            payload={
                "claim_text": found["claim_text"],
                "claimant": found["claimant"],
                "quote": found["quotes"][0],
                "quotes": found["quotes"],
                "title": title or url,
                "outlet": outlet,
                # The changed paragraph the quote was in, and the diff: what it says now.
                "changes": [runs for runs in paragraphs if _was_in(runs, found["quotes"][0])][:1],
                "diff_path": f"/coverage/{coverage_id}?to={revision_id}",
                "text": f"{found['claim_text']}\n{' '.join(found['quotes'])}",
                "path": f"/claims/{claim_id}",
            },
            dedupe_key=f"evidence_changed:{claim_id}:{revision_id}",
        )


def claim_logged(db: sqlite_utils.Database, claim: dict, *, by: str = "") -> None:
    """A claim logged (typed in, or accepted from triage): the desk learns a claim waits for a ruling.

    Its confidential source and internal notes are never in it. `by`: who logged it."""
    said = f" ({_cut(claim['claimant'], 60)})" if claim.get("claimant") else ""
    record(
        db,
        "claim_logged",
        f"New claim logged: {_cut(claim['text'], 120)}{said}",
        story_id=claim["story_id"],
        payload={
            "claim_text": claim["text"],
            "claimant": claim["claimant"],
            "by": by,
            "claim_id": claim["id"],
            "text": claim["text"],
            "path": f"/claims/{claim['id']}",
        },
        dedupe_key=f"claim_logged:{claim['id']}",
    )


def ruling_recorded(
    db: sqlite_utils.Database,
    claim: dict,
    history_id: int,
    to_status: str,
    *,
    rationale: str,
    public_rationale: str,
    is_correction: bool,
    by: str = "",
) -> None:
    """A ruling (or a correction), and every answered question whose answer it may have made stale.

    `by`: the editor who ruled."""
    kind = "correction" if is_correction else "ruling"
    label = ruling_title(claim["status"], to_status, is_correction)
    said = f" ({_cut(claim['claimant'], 60)})" if claim.get("claimant") else ""
    record(
        db,
        kind,
        f"{label}: {_cut(claim['text'], 120)}{said}",
        story_id=claim["story_id"],
        payload={
            "claim_text": claim["text"],
            "claimant": claim["claimant"],
            "from_status": claim["status"],
            "to_status": to_status,
            "public_rationale": public_rationale,
            "by": by,
            "claim_id": claim["id"],
            "text": f"{claim['text']}\n{public_rationale}",
            "path": f"/claims/{claim['id']}",
            "internal": {"rationale": rationale, "notes": claim.get("internal_notes") or ""},
        },
        dedupe_key=f"{kind}:{history_id}",
    )
    for question_id, question_text, history_mark, link_mark, relink_mark in db.execute(
        """SELECT q.id, q.text, q.answer_history_mark, q.answer_link_mark, q.answer_relink_mark
           FROM question_claims qc JOIN questions q ON q.id = qc.question_id
           WHERE qc.claim_id = ? AND q.answer != '' AND qc.id <= q.answer_link_mark""",
        [claim["id"]],
    ):
        question_stale(
            db,
            claim["story_id"],
            question_id,
            question_text,
            f"claim {claim['id']} (“{_cut(claim['text'], 80)}”) moved from {claim['status']} to {to_status}",
            mark=f"{history_mark}:{link_mark}:{relink_mark}",  # as tracker.questions.stale_mark
        )


def ruling_title(from_status: str, to_status: str, is_correction: bool) -> str:
    """How a ruling's alert title begins: "Ruled confirmed" for a claim readers were shown no ruling of; for one
    they were, "Correction, now denied (was confirmed)" when it turns the status round (REVERSALS), else what
    changed, "Now confirmed (was unclear)", which is no admission that the earlier ruling was wrong."""
    if not is_correction:
        return f"Ruled {to_status}"
    if (from_status, to_status) in REVERSALS:
        return f"{CORRECTION_LABEL}, now {to_status} (was {from_status})"
    return f"Now {to_status} (was {from_status})"


def question_stale(
    db: sqlite_utils.Database, story_id: int, question_id: int, question_text: str, reason: str, *, mark: str
) -> None:
    """An answered question whose answer may no longer hold; one event until an editor reviews the answer.

    `mark` is what the answer had seen when last written or reviewed (its
    history, link and relink marks): a review moves it, so the next change alerts again.
    """
    record(
        db,
        "question_stale",
        f"Answer may be stale: {_cut(question_text, 140)}",
        story_id=story_id,
        payload={
            "question": question_text,
            "reason": reason,
            "text": question_text,
            "path": f"/questions/{question_id}",
        },
        dedupe_key=f"question_stale:{question_id}:{mark}",
    )


def candidates_found(db: sqlite_utils.Database, story_id: int, revision_id: int, found: list[dict]) -> None:
    """New claim candidates waiting for triage from one revision, as one event (a page brings many at once).

    Each listed candidate carries its id, so a filter on a per-candidate
    score (check-worthiness) can be added to subscriptions without changing
    the event: tracker/alerts/subscriptions.py matches candidates one by one.
    """
    if not found:
        return
    item = db.execute(
        """SELECT c.id, c.title, c.outlet, s.slug FROM revisions r JOIN coverage c ON c.id = r.coverage_id
           JOIN stories s ON s.id = c.story_id WHERE r.id = ?""",
        [revision_id],
    ).fetchone()
    coverage_id, title, outlet, slug = item
    listed = [
        {
            "id": c["id"],
            "kind": c["kind"],
            "claimant": c.get("claimant") or "",
            "text": _cut(c["text"], QUOTE_MAX),
            **({"score": c["score"]} if c.get("score") is not None else {}),
        }
        for c in found[:CANDIDATES_LISTED]
    ]
    record(
        db,
        "candidates_new",
        f"{len(found)} new claim candidate{'s' if len(found) != 1 else ''} in {title or outlet or 'coverage'}"
        + (f" ({outlet})" if title and outlet else ""),
        story_id=story_id,
        payload={
            "count": len(found),
            "candidates": listed,
            "title": title,
            "outlet": outlet,
            "quote": listed[0]["text"],
            "claimant": " ".join(c["claimant"] for c in listed),
            "text": "\n".join(c["text"] for c in listed),
            "path": f"/stories/{slug}/triage",
            "coverage_id": coverage_id,
        },
        dedupe_key=f"candidates_new:{revision_id}",
    )


def coverage_gone(db: sqlite_utils.Database, coverage_id: int, reason: str, *, url: str | None = None) -> None:
    """A stored statement or article marked gone (404, 410, sent to the home page): the text changed to nothing.

    Told as a change of the item (kind coverage_changed), so whoever follows
    quiet edits hears of a statement taken down; once per item, as it is
    marked gone once. The one wording of a page taken down, whether a
    listing, a feed or a page source brought it: what is gone (its title and
    outlet, the address it answered at `url`, else its own), since when (the
    first of the failed answers since it last answered), and the last
    revision we keep of it.
    """
    story_id, kind, title, outlet, own, source_id, fetch_url = db.execute(
        "SELECT story_id, kind, title, outlet, canonical_url, source_id, fetch_url FROM coverage WHERE id = ?",
        [coverage_id],
    ).fetchone()
    address = url or fetch_url or own
    count, last_at = db.execute(
        "SELECT count(*), max(fetched_at) FROM revisions WHERE coverage_id = ?", [coverage_id]
    ).fetchone()
    what = "Statement" if kind == "statement" else "Article"
    record(
        db,
        "coverage_changed",
        f"{what} taken down: {title or own}" + (f" ({outlet})" if outlet else ""),
        story_id=story_id,
        payload={
            "title": title,
            "outlet": outlet,
            "url": address,
            "claimant": outlet or "",
            "kind": kind,
            "gone": _cut(reason, 500),
            "gone_since": _missing_since(db, source_id, address),
            "revisions": count,
            "last_revision_at": last_at,
            "text": _cut(reason, 500),
            "path": f"/coverage/{coverage_id}",
        },
        dedupe_key=f"coverage_gone:{coverage_id}",
    )


def coverage_moved(db: sqlite_utils.Database, coverage_id: int, old: str, new: str, status: int) -> None:
    """A stored statement or article whose address answered that it moved for good (301, 308) to a page of its own.

    It is followed there as the same item (coverage.record_move); whoever
    follows its changes hears where it went, once per new address.
    """
    story_id, kind, title, outlet, own = db.execute(
        "SELECT story_id, kind, title, outlet, canonical_url FROM coverage WHERE id = ?", [coverage_id]
    ).fetchone()
    what = "Statement" if kind == "statement" else "Article"
    record(
        db,
        "coverage_changed",
        f"{what} moved: {title or own}" + (f" ({outlet})" if outlet else ""),
        story_id=story_id,
        payload={
            "title": title,
            "outlet": outlet,
            "url": new,
            "claimant": outlet or "",
            "kind": kind,
            "moved": {"from": old, "to": new, "status": status},
            "text": f"Moved to {new}",
            "path": f"/coverage/{coverage_id}",
        },
        dedupe_key=f"coverage_moved:{coverage_id}:{new}",
    )


def _missing_since(db: sqlite_utils.Database, source_id: int | None, url: str) -> str | None:
    """When `url` first failed since it last answered (the fetch log of its source), or None when not logged."""
    if source_id is None:
        return None
    row = db.execute(
        """SELECT min(at) FROM fetches WHERE source_id = ? AND url = ? AND outcome = 'error'
             AND id > coalesce((SELECT max(id) FROM fetches WHERE source_id = ? AND url = ?
                                AND outcome IN ('ok', 'not_modified')), 0)""",
        [source_id, url, source_id, url],
    ).fetchone()
    return row[0] if row else None


def source_failing(db: sqlite_utils.Database, source: dict, failures: int, reason: str, *, gone: bool) -> None:
    """A source failed FAILING_AFTER times in a row, or was marked gone; one event per failing streak.

    A watched page whose text was stored is not told here when it is marked
    gone: it was taken down (coverage_gone, the one wording for that).
    """
    if not gone and failures != FAILING_AFTER:
        return
    state = "marked gone" if gone else f"failing ({failures} times in a row)"
    record(
        db,
        "source_failing",
        f"Source {state}: {source.get('outlet') or source['url']}",
        story_id=source["story_id"],
        payload={
            "url": source["url"],
            "reason": _cut(reason, 500),
            "gone": gone,
            **({"gone_since": _missing_since(db, source["id"], source["url"])} if gone else {}),
            "path": f"/sources/{source['id']}",
        },
        dedupe_key=f"source_failing:{source['id']}:{source.get('last_ok_at') or source.get('created_at')}:{gone}",
    )


def source_silent(db: sqlite_utils.Database, source: dict) -> None:
    """A source that answers but has brought nothing new for longer than its usual rhythm (sources.silent_sources)."""
    last = parse_time(source["last_new_at"])
    silent = f"{_hours(time.time() - last.timestamp())} h" if last else f"since {source['last_new_at']}"
    record(
        db,
        "source_silent",
        f"Source silent {'for ' if last else ''}{silent}: {source.get('outlet') or source['url']}",
        story_id=source["story_id"],
        payload={
            "url": source["url"],
            "last_new_at": source["last_new_at"],
            "silent_hours": _hours(time.time() - last.timestamp()) if last else None,
            "usual_gap_hours": _hours(source["usual_gap"]),
            "path": f"/sources/{source['id']}",
        },
        dedupe_key=f"source_silent:{source['id']}:{source['last_new_at']}",
    )


def published(
    db: sqlite_utils.Database, log_id: int, counts: dict, claims: int, user: dict | None, changes: list[dict] = ()
) -> None:
    """A publish of the public site: an event for each story it changed, with what went public, was ruled,
    withdrawn or reworded there.

    One event per story, as every other kind names its story: whoever follows
    one story hears of a publish only when it changed that story, and reads
    that story's lines alone. Whoever follows every story gets the events of
    one publish together, and a message shows them as one publish
    (messages.render joins them by their "publish" id). A publish that changed
    no story readers see is one event of no story. `changes` are the publish
    log's (publish_review.Change as dicts); `counts` its figures, which cover
    every claim even where the log keeps only the first changes.
    """
    stories = _published_stories(db, changes)
    by = (user or {}).get("username") or "command line"
    common = {"publish": log_id, "stories_total": len(stories), "all_counts": counts, "by": by, "path": "/publish"}
    if not stories:  # nothing for readers, or changes whose items are gone from the working database since
        record(
            db,
            "publish",
            messages.published_subject([], counts),
            payload={**common, "counts": counts, "claims": claims, "stories": [], "stories_count": 0},
            dedupe_key=f"publish:{log_id}",
        )
        return
    for story in stories:
        # A publish of one story counts it from the publish's own figures (every claim); of several, each story
        # from its changes.
        mine = counts if len(stories) == 1 else messages.story_counts(story)
        record(
            db,
            "publish",
            messages.published_subject([story], mine),
            story_id=story.pop("story_id"),
            payload={**common, "counts": mine, "claims": claims, "stories": [story], "stories_count": 1},
            dedupe_key=f"publish:{log_id}:{story['slug']}",
        )


PUBLISHED_LISTED = 5  # claims of one story listed in a publish event; the counts cover the rest
OWNERS = {"claim": "claims", "question": "questions", "development": "developments"}


def _published_stories(db: sqlite_utils.Database, changes: list[dict]) -> list[dict]:
    """Each story a publish changed, in the order of its first change, with its claims' changes and counts."""
    wanted: dict[str, set[str]] = {}
    for change in changes:
        wanted.setdefault(change.get("item", ""), set()).add(str(change.get("item_id")))
    owner: dict[tuple[str, str], tuple[str, str]] = {}
    claimants: dict[str, str] = {}  # as the working database has them: a change lists only what moved
    # A change names a claim, question or development by the id readers know it by (tracker/public_ids.py), its
    # working row by another.
    for item, table in OWNERS.items():
        named = {str(w): str(p) for p, w in public_ids.working_ids(db, item, wanted.get(item, ())).items()}
        ids = sorted(named)
        if ids:
            for item_id, story_id, slug, title, claimant in db.execute(
                f"""SELECT t.id, s.id, s.slug, s.title, {"t.claimant" if item == "claim" else "''"}
                    FROM {table} t JOIN stories s ON s.id = t.story_id
                    WHERE t.id IN (SELECT value FROM json_each(?))""",
                [json.dumps(ids)],
            ):
                key = named[str(item_id)]
                owner[(item, key)] = (story_id, slug, title)
                if item == "claim":
                    claimants[key] = claimant or ""
    if wanted.get("story"):
        for story_id, slug, title in db.execute(
            "SELECT id, slug, title FROM stories WHERE slug IN (SELECT value FROM json_each(?))",
            [json.dumps(sorted(wanted["story"]))],
        ):
            owner[("story", slug)] = (story_id, slug, title)
    stories: dict[str, dict] = {}
    counted: set[tuple[str, str]] = set()  # items counted once: a claim going public, not its evidence too
    for change in sorted(changes, key=lambda c: bool(c.get("part"))):
        key = (change.get("item", ""), str(change.get("item_id")))
        found = owner.get(key)
        if found is None:
            continue
        story_id, slug, title = found
        story = stories.setdefault(
            slug,
            {
                "story_id": story_id,
                "slug": slug,
                "title": title,
                "path": f"/stories/{slug}",
                "claims": [],
                **dict.fromkeys(WHAT, 0),
                "corrections": 0,  # of the "ruled": a ruling readers were shown one before (publish_review.counts)
            },
        )
        if key in counted:
            continue
        counted.add(key)
        fields = {f.get("field"): f for f in change.get("fields") or ()}
        what = _what_changed(change, fields)
        if change.get("item") == "story" and change.get("kind") == "added":
            story["new"] = True  # the story's first publish: news of its own, not one more change
            continue
        story[what] += 1
        correction = what == "ruled" and bool(change.get("correction"))
        story["corrections"] += correction
        if what in ("public", "ruled", "withdrawn") and len(story["claims"]) < PUBLISHED_LISTED:
            status = fields.get("status") or {}
            story["claims"].append(
                {
                    "id": change["item_id"],
                    "change": what,
                    "text": _cut(change.get("title") or (fields.get("text") or {}).get("new"), QUOTE_MAX),
                    "claimant": _cut(claimants.get(str(change["item_id"])), 120),
                    "from_status": status.get("old"),
                    "status": status.get("new") or status.get("old"),
                    "path": "" if what == "withdrawn" else f"/public/claims/{change['item_id']}",
                    "correction": correction,
                }
            )
    return list(stories.values())


WHAT = ("public", "withdrawn", "ruled", "reworded", "other")


def _what_changed(change: dict, fields: dict) -> str:
    """What one change of a publish is to a reader, as counted in its alert (publish_review.counts's rules)."""
    if change.get("item") != "claim" or change.get("part"):
        return "other"
    if change.get("kind") in ("added", "removed"):
        return "public" if change["kind"] == "added" else "withdrawn"
    if "status" in fields:
        return "ruled"
    return "reworded" if any(f in fields for f in ("text", "claimant", "claimant_type")) else "other"


def changed_lines(diff: str, limit: int = DIFF_MAX) -> tuple[str, bool]:
    """The removed and added lines of a unified diff (no headers or context), cut to `limit`; (text, truncated)."""
    lines = [line for line in diff.splitlines() if line[:1] in "+-" and not line.startswith(("+++", "---"))]
    text = "\n".join(lines)
    if len(text) <= limit:
        return text, False
    return text[:limit].rsplit("\n", 1)[0], True


def changed_words(previous: str, text: str) -> tuple[list[list[list[str]]], int]:
    """The changed paragraphs as runs [op, words] (op "same", "del" or "ins"), as a reader of the alert sees the
    change: "residents is our" [first] [top] "priority". The first PARAGRAPHS_KEPT, each cut to its changed words
    with CONTEXT_WORDS either side, and how many paragraphs changed in all.

    The words come from the editor's own diff (tracker.coverage.diff_texts, bounded in time), so the alert and the
    page it links to agree on what changed.
    """
    from tracker.coverage import diff_texts  # imported here: tracker.coverage imports this module

    rows = [row for row in diff_texts(previous, text, context=0, words=PARAGRAPHS_KEPT) if row["kind"] != "skip"]
    kept = []
    for row in rows[:PARAGRAPHS_KEPT]:
        old, new = row["old"], row["new"]
        runs: list[list[str]] = []
        i = j = 0
        # Both sides hold the same unchanged runs in the same order, each change between them.
        while i < len(old) or j < len(new):
            if i < len(old) and old[i]["op"] != "equal":
                runs.append(["del", _words(old[i]["text"], CHANGED_MAX)])
                i += 1
            elif j < len(new) and new[j]["op"] != "equal":
                runs.append(["ins", _words(new[j]["text"], CHANGED_MAX)])
                j += 1
            else:
                runs.append(["same", (old[i] if i < len(old) else new[j])["text"]])
                i, j = i + 1, j + 1
        runs = _joined(runs)
        # Context cut to words, then to characters: a "word" of a hostile page may be a megabyte long.
        kept.append(
            [[op, _words(words, CHANGED_MAX)] for op, words in messages.in_context(runs, CONTEXT_WORDS)][:RUNS_MAX]
        )
    return kept, len(rows)


def _without_title(text: str, title: str | None) -> str:
    """A page's text without its first line when that is the title (the subject has it already)."""
    first, _, rest = text.partition("\n")
    return rest if title and rest.strip() and " ".join(first.split()) == " ".join(title.split()) else text


def _first_change(paragraphs: list[list[list[str]]]) -> str:
    """': “first” → “top”', the first change in a few words for a subject; "" when it takes more."""
    runs = paragraphs[0] if len(paragraphs) == 1 else []
    changed = [(op, " ".join(text.split())) for op, text in runs if op != "same"]
    if not changed or len(changed) > 2 or any(len(text) > 40 for _, text in changed):
        return ""
    words = dict(changed)
    if len(changed) == 2 and set(words) == {"del", "ins"}:
        return f": “{words['del']}” → “{words['ins']}”"
    if len(changed) == 1:
        return f": {'removed' if 'del' in words else 'added'} “{changed[0][1]}”"
    return ""


def _was_in(runs: list[list[str]], quote: str) -> bool:
    """Whether a changed paragraph's old words hold the start or end of a quote (its context is cut)."""
    old = " ".join(" ".join(text.split()) for op, text in runs if op != "ins")
    words = quote.split()
    return any(" ".join(part) in old for part in (words[:3], words[-3:]) if part)


def _joined(runs: list[list[str]]) -> list[list[str]]:
    """Changes only a space apart read as one: "remain closed" → "reopened on Tuesday", not word against word."""
    out: list[list[str]] = []
    removed = added = ""
    for k, (op, text) in enumerate(runs):
        between = op == "same" and not text.strip() and 0 < k < len(runs) - 1 and (removed or added)
        if op != "same" or between:
            removed += text if op in ("del", "same") else ""
            added += text if op in ("ins", "same") else ""
            continue
        out += [[o, t] for o, t in (("del", removed), ("ins", added)) if t.strip()]
        removed = added = ""
        out.append([op, text])
    out += [[o, t] for o, t in (("del", removed), ("ins", added)) if t.strip()]
    return out


def _words(text: str, limit: int) -> str:
    """A run cut to `limit` characters, keeping whether a space starts or ends it."""
    lead, trail = (" " if text[:1].isspace() else ""), (" " if text[-1:].isspace() else "")
    return lead + _cut(text[: 2 * limit], limit) + trail  # sliced first: no copy of a megabyte to keep 300 characters


def _hours(seconds: float) -> float | int:
    """Seconds as hours to read at a glance: 12, 1.5."""
    hours = round(seconds / 3600, 1)
    return int(hours) if hours >= 10 or hours.is_integer() else hours


def _cut(text: str | None, limit: int) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"
