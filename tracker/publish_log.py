"""The publish log: every publish, from the editor or the command line, with what it changed for readers.

The public file is the record of what readers saw, so "what changed" compares
against it: before publishing, the working database's publishable claims
against the public file; after, the old public file against the new one.
Both the editor's "Publish now" and `python -m tracker publish` go through
publish_and_log, so the log on the editor's publish page is complete.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from urllib.parse import quote

import sqlite_utils

from tracker import publish as build
from tracker.alerts import events
from tracker.db import now, transaction

MAX_LOGGED_CHANGES = 500
CHANGE_KINDS = ("added", "removed", "status", "text")

Snapshot = dict[int, tuple[str, str]]


def public_snapshot(path: str | Path) -> tuple[Snapshot, str | None]:
    """Claim id -> (status, text) as readers see them now; ({}, why) when there is no readable public file."""
    path = Path(path)
    if not path.exists():
        return {}, None
    try:
        conn = sqlite3.connect(f"file:{quote(str(path.absolute()))}?mode=ro", uri=True)
        try:
            return {r[0]: (r[1], r[2]) for r in conn.execute("SELECT id, status, text FROM claims")}, None
        finally:
            conn.close()
    except sqlite3.Error as e:
        return {}, f"The current public file could not be read ({e}); publishing replaces it."


def working_snapshot(db: sqlite_utils.Database) -> Snapshot:
    """What the next publish would make public (the publish build's own rule: claims marked publishable)."""
    return {r[0]: (r[1], r[2]) for r in db.execute("SELECT id, status, text FROM claims WHERE published = 1")}


def compare(old: Snapshot, new: Snapshot) -> list[dict]:
    """Changes from old to new, one row per claim and kind: added, removed, status, text."""
    changes = []
    for claim_id in sorted(new.keys() - old.keys()):
        changes.append({"id": claim_id, "change": "added", "to": new[claim_id][0]})
    for claim_id in sorted(old.keys() - new.keys()):
        changes.append({"id": claim_id, "change": "removed", "from": old[claim_id][0]})
    for claim_id in sorted(old.keys() & new.keys()):
        if old[claim_id][0] != new[claim_id][0]:
            changes.append({"id": claim_id, "change": "status", "from": old[claim_id][0], "to": new[claim_id][0]})
        if old[claim_id][1] != new[claim_id][1]:
            changes.append({"id": claim_id, "change": "text"})
    return changes


def count(changes: list[dict]) -> dict[str, int]:
    counts = dict.fromkeys(CHANGE_KINDS, 0)
    for change in changes:
        counts[change["change"]] += 1
    return counts


def publish_and_log(db: sqlite_utils.Database, out_path: str | Path, user: dict | None = None) -> tuple[dict, int]:
    """Build the public file and log what it changed; (build summary, log id).

    `user` is the signed-in editor, or None for the command line (the log
    shows "command line"). A failed build raises before anything is logged.
    """
    old, _ = public_snapshot(out_path)
    summary = build.publish(db, out_path)
    new, _ = public_snapshot(out_path)
    changes = compare(old, new)
    counts = count(changes)
    with transaction(db):
        cur = db.execute(
            """INSERT INTO publish_log (at, user_id, claims, added, removed, status_changed, text_changed, changes)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?)""",
            [
                now(),
                user["id"] if user else None,
                summary.get("claims", len(new)),
                counts["added"],
                counts["removed"],
                counts["status"],
                counts["text"],
                json.dumps(changes[:MAX_LOGGED_CHANGES]),
            ],
        )
        events.published(db, cur.lastrowid, counts, summary.get("claims", len(new)), user)
    return summary, cur.lastrowid
