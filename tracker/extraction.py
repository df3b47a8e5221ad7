"""Claim extraction over stored revisions: the queue of texts waiting, each read for candidates once.

A revision is stored first and read for claims after (extracted_at NULL
until then, migration 0007): every scrape pass, watch pass and ingest runs
extract_waiting once its pages are stored, so fetching never waits on
extraction and a rule that trips on one odd text cannot keep that page out
of the database. create_candidates runs tracker.attribution over one text
and stores what it finds, following decisions already taken on the same
sentence (tracker/candidates.py has the triage queue and its decisions).
"""

from __future__ import annotations

import json
import logging
import sqlite3
import threading
from collections.abc import Callable

import sqlite_utils

from tracker import echoes
from tracker.alerts import events
from tracker.attribution import ModelUnavailable, cut_notice, extract_candidates, readable
from tracker.candidates import AUTO_REASON
from tracker.checkworthy import store as checkworthiness
from tracker.checkworthy.model import ModelMissing
from tracker.coverage import get_revision
from tracker.db import now, path_of, rows, stopping_error, transaction

log = logging.getLogger(__name__)

# Candidates kept from one text, in its order. A long report gives a few hundred; a page of thousands of
# "X said" lines (a list, or one written to bury the triage queue) gave 30,000 to a reporter's queue.
MAX_CANDIDATES = 500


def create_candidates(db: sqlite_utils.Database, revision_id: int) -> int:
    """Extract the revision's candidates and store them once; returns how many rows were added."""
    return _store_candidates(db, revision_id)[0]


def _store_candidates(db: sqlite_utils.Database, revision_id: int) -> tuple[int, int, str | None]:
    """Extract the revision's candidates and store them once; (rows added, candidates found in all, and what
    was left unread when the text is longer than is read: attribution.cut_notice, or None).

    Running it again on the same revision adds nothing (one row per sentence
    span, UNIQUE(revision_id, start, end)). A sentence already decided
    elsewhere in the story is stored decided (AUTO_REASON), and the claim it
    went to gets its echo counts refreshed: one more outlet carries it. One
    still waiting in an earlier revision of the same item is moved here
    instead of added. The revision leaves the extraction queue either way.
    """
    revision = get_revision(db, revision_id)
    text = revision["text"] or ""
    part = readable(text)
    unread = cut_notice(len(part), len(text)) if len(part) < len(text) else None
    found = extract_candidates(part)
    total = len(found)
    found = found[:MAX_CANDIDATES]
    story_id = revision["story_id"]
    stamp = now()
    added = 0
    with transaction(db):
        db.execute("UPDATE revisions SET extracted_at = ? WHERE id = ?", [stamp, revision_id])
        existing = {
            (start, end)
            for start, end in db.execute('SELECT start, "end" FROM candidates WHERE revision_id = ?', [revision_id])
        }
        found = [c for c in found if (c.start, c.end) not in existing]
        if not found:
            return 0, total, unread
        prints = sorted({c.fingerprint for c in found})
        decided = _decisions(db, story_id, prints)
        movable: dict[str, list[int]] = {}
        for candidate_id, print_ in db.execute(
            """SELECT k.id, k.fingerprint FROM candidates k JOIN revisions r ON r.id = k.revision_id
                WHERE r.coverage_id = ? AND k.revision_id < ? AND k.state = 'pending'
                  AND k.fingerprint IN (SELECT value FROM json_each(?)) ORDER BY k.id""",
            [revision["coverage_id"], revision_id, json.dumps(prints)],
        ):
            movable.setdefault(print_, []).append(candidate_id)
        echoed: set[int] = set()
        waiting: list[dict] = []
        for c in found:
            fields = [c.kind, c.text, c.quote, c.claimant, c.claimant_type, c.start, c.end, *_spans(c)]
            decision = decided.get(c.fingerprint)
            if decision is None and movable.get(c.fingerprint):
                db.execute(
                    """UPDATE candidates SET revision_id = ?, kind = ?, text = ?, quote = ?, claimant = ?,
                           claimant_type = ?, start = ?, "end" = ?, content = ?, content_start = ?,
                           content_end = ?, content_spans = ?, cue = ?, cue_start = ?, cue_end = ?,
                           source_start = ?, source_end = ? WHERE id = ?""",
                    [revision_id, *fields, movable[c.fingerprint].pop(0)],
                )
                continue
            state, claim_id, reason, decided_at = "pending", None, None, None
            if decision is not None:
                state = "dismissed" if decision["state"] == "dismissed" else "merged"
                claim_id, reason, decided_at = decision["claim_id"], AUTO_REASON, stamp
                if state == "merged" and claim_id is not None:
                    echoed.add(claim_id)
            cur = db.execute(
                """INSERT INTO candidates (story_id, revision_id, kind, text, quote, claimant, claimant_type,
                       start, "end", content, content_start, content_end, content_spans, cue, cue_start, cue_end,
                       source_start, source_end, fingerprint, state, claim_id, reason, decided_at, created_at)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                [story_id, revision_id, *fields, c.fingerprint, state, claim_id, reason, decided_at, stamp],
            )
            added += 1
            if state == "pending":
                waiting.append({"id": cur.lastrowid, "kind": c.kind, "claimant": c.claimant, "text": c.text})
        if echoed:
            echoes.refresh(db, sorted(echoed))
        checkworthiness.score_revision(db, revision_id)
        events.candidates_found(db, story_id, revision_id, waiting)
    return added, total, unread


def _spans(c) -> list:
    """The candidate's content, cue and source columns, pieces as JSON."""
    pieces = json.dumps([list(p) for p in c.content_spans]) if c.content_spans else None
    return [
        c.content,
        c.content_start,
        c.content_end,
        pieces,
        c.cue,
        c.cue_start,
        c.cue_end,
        c.source_start,
        c.source_end,
    ]


def waiting_count(db: sqlite_utils.Database, story_id: int | None = None) -> int:
    """Revisions stored but not yet through claim extraction (a story's: kept by migration 0043's triggers)."""
    if story_id is None:
        return db.execute("SELECT count(*) FROM revisions WHERE extracted_at IS NULL").fetchone()[0]
    try:
        return db.execute(
            "SELECT coalesce((SELECT texts FROM waiting_texts WHERE story_id = ?), 0)", [story_id]
        ).fetchone()[0]
    except sqlite3.OperationalError:  # a database opened read-only before the count was kept: counted
        return db.execute(
            """SELECT count(*) FROM revisions r JOIN coverage cov ON cov.id = r.coverage_id
               WHERE r.extracted_at IS NULL AND cov.story_id = ?""",
            [story_id],
        ).fetchone()[0]


def extract_waiting(
    db: sqlite_utils.Database,
    story_id: int | None = None,
    *,
    revision_ids: list[int] | None = None,
    stop: threading.Event | None = None,
    progress: Callable[[int, int], object] | None = None,
) -> dict:
    """Run claim extraction over the revisions waiting for it, oldest first; one transaction each.

    Scrape and watch passes and ingest call this once their pages are stored,
    so a page is in the database even when extraction trips on its text, and
    a pass stopped half-way leaves the rest waiting for the next one.
    `revision_ids` narrows the run to those revisions (an editor's request
    extracts the page it ingested, not what a running scrape left waiting).
    Returns {"revisions": n, "added": n, "problems": [(revision_id, url, reason)],
    "error": StorageError | DatabaseBusy | None}; a revision whose text breaks a rule is
    logged, reported and taken off the queue rather than retried at every
    pass. A full or read-only disk, or a lock another program keeps on the
    database, stops the run (`error`): the counts are what was committed
    before it, and the rest stays waiting.
    """
    where, params = "", []
    if story_id is not None:
        where, params = "AND cov.story_id = ?", [story_id]
    if revision_ids is not None:
        where += " AND r.id IN (SELECT value FROM json_each(?))"
        params.append(json.dumps(list(revision_ids)))
    todo = db.execute(
        f"""SELECT r.id, cov.canonical_url FROM revisions r JOIN coverage cov ON cov.id = r.coverage_id
            WHERE r.extracted_at IS NULL {where} ORDER BY r.id""",
        params,
    ).fetchall()
    result: dict = {"revisions": 0, "added": 0, "problems": [], "error": None}
    for done, (revision_id, url) in enumerate(todo, 1):
        if stop is not None and stop.is_set():
            break
        try:
            added, found, unread = _store_candidates(db, revision_id)
            result["added"] += added
        except sqlite3.Error as e:
            path = path_of(db) or None
            disk = stopping_error(e, path)
            if disk is None:
                raise  # the database is the problem, not the text: leave the queue as it is
            result["error"] = disk
            break
        except (ModelUnavailable, ModelMissing):
            raise  # a model file is the problem, not the text: leave the queue as it is
        except Exception as e:  # one text a rule trips on must not stall the queue behind it
            log.exception("claim extraction failed on revision %s of %s", revision_id, url)
            with transaction(db):
                db.execute("UPDATE revisions SET extracted_at = ? WHERE id = ?", [now(), revision_id])
            result["problems"].append(
                (
                    revision_id,
                    url,
                    f"claim extraction failed ({type(e).__name__}: {e}); the page is stored, its candidates are not. "
                    "This is a bug in the tracker: please report it with the URL.",
                )
            )
        else:
            if unread is not None:  # a reporter reads the rest, or adds it in parts
                result["problems"].append((revision_id, url, f"{unread}; the text is stored whole."))
            if found > MAX_CANDIDATES:
                result["problems"].append(
                    (
                        revision_id,
                        url,
                        f"claim extraction kept the first {MAX_CANDIDATES:,} of {found:,} candidates on this page "
                        "(a list, or a page built to flood triage); log any claim further down by hand.",
                    )
                )
        result["revisions"] += 1
        if progress is not None:
            progress(done, len(todo))
    return result


def _decisions(db: sqlite_utils.Database, story_id: int, prints: list[str]) -> dict[str, dict]:
    """The latest decision on each of these sentences in the story (a person's decision before a copied one)."""
    decided: dict[str, dict] = {}
    for row in rows(
        db,
        """SELECT fingerprint, state, claim_id FROM candidates
            WHERE story_id = ? AND state != 'pending' AND fingerprint IN (SELECT value FROM json_each(?))
            ORDER BY decided_by IS NOT NULL, decided_at, id""",
        [story_id, json.dumps(prints)],
    ):
        decided[row["fingerprint"]] = row
    return decided
