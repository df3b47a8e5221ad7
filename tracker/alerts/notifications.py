"""The in-app list: what reached a person, newest first, with an unread count for the editor's header.

A notification is one event for one person, so the event's id is its id in
that person's list (paging, marking read).
"""

from __future__ import annotations

import json

import sqlite_utils

from tracker.db import now, rows, transaction

BADGE_MAX = 99  # the header shows "99+" past this; counting stops there too


def unread_count(db: sqlite_utils.Database, user_id: int) -> int:
    """Unread notifications, counted up to BADGE_MAX + 1 (the header needs no more, and stays cheap)."""
    return db.execute(
        "SELECT count(*) FROM (SELECT 1 FROM alert_notifications WHERE user_id = ? AND read_at IS NULL LIMIT ?)",
        [user_id, BADGE_MAX + 1],
    ).fetchone()[0]


def latest(db: sqlite_utils.Database, user_id: int, *, limit: int = 50, before: int | None = None) -> list[dict]:
    """A page of the person's notifications with their events, newest first (`before`: an id to page from)."""
    found = rows(
        db,
        f"""SELECT n.event_id AS id, n.read_at, e.routed_at AS created_at, e.id AS event_id, e.kind, e.subject,
                   e.payload, e.at, s.slug AS story_slug, s.title AS story_title
            FROM alert_notifications n JOIN alert_events e ON e.id = n.event_id
            LEFT JOIN stories s ON s.id = e.story_id
            WHERE n.user_id = ? {"AND n.event_id < ?" if before else ""} ORDER BY n.event_id DESC LIMIT ?""",
        [user_id, *([before] if before else []), max(1, min(int(limit), 200))],
    )
    for note in found:
        payload = json.loads(note.pop("payload") or "{}")
        note["path"] = payload.get("path", "/")
    return found


def mark_read(db: sqlite_utils.Database, user_id: int, ids: list[int] | None = None) -> int:
    """Mark these notifications read (all of the person's with None); returns how many changed."""
    with transaction(db):
        if ids is None:
            cur = db.execute(
                "UPDATE alert_notifications SET read_at = ? WHERE user_id = ? AND read_at IS NULL", [now(), user_id]
            )
        else:
            cur = db.execute(
                """UPDATE alert_notifications SET read_at = ? WHERE user_id = ? AND read_at IS NULL
                   AND event_id IN (SELECT value FROM json_each(?))""",
                [now(), user_id, json.dumps([int(i) for i in ids])],
            )
    return cur.rowcount
