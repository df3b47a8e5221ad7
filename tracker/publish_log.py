"""The publish log: every publish, from the editor or the command line, with what it changed for readers.

What changed is found by tracker.publish_review, comparing the file about to
be swapped in with the one readers saw. Both the editor's "Publish now" and
`python -m tracker publish` go through publish_and_log, so the log on the
editor's publish page is complete, and both refuse changes nobody reviewed.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

import sqlite_utils

from tracker import publish as build
from tracker.db import now, transaction
from tracker.publish_review import Change, Review, ReviewChanged, compare_files, counts

MAX_LOGGED_CHANGES = 500


def publish_and_log(
    db: sqlite_utils.Database,
    out_path: str | Path,
    user: dict | None = None,
    *,
    reviewed: str | None = None,
) -> tuple[dict, int, list[Change]]:
    """Build the public file, swap it in and log what it changed; (build summary, log id, changes).

    `user` is the signed-in editor, or None for the command line (the log
    shows "command line"). `reviewed` is the digest of the change list the
    person publishing was shown (publish_review.Review.digest): when the
    build would change anything else, ReviewChanged is raised with the
    current list and nothing is swapped in. None publishes whatever the build
    holds (a first publish, or the command line's --yes). A failed build
    raises before anything is logged.
    """
    seen: dict[str, Review] = {}

    def check(new_file: Path) -> None:
        found = compare_files(out_path, new_file)
        if reviewed is not None and found.digest != reviewed:
            raise ReviewChanged(found)
        seen["review"] = found

    summary = build.publish(db, out_path, before_swap=check)
    changes = seen["review"].changes
    figures = counts(changes)
    with transaction(db):
        cur = db.execute(
            """INSERT INTO publish_log (at, user_id, claims, added, removed, status_changed, text_changed, changes)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?)""",
            [
                now(),
                user["id"] if user else None,
                summary.get("claims", 0),
                figures["added"],
                figures["removed"],
                figures["status"],
                figures["text"],
                json.dumps([asdict(c) for c in changes[:MAX_LOGGED_CHANGES]], default=str, ensure_ascii=False),
            ],
        )
    return summary, cur.lastrowid, changes
