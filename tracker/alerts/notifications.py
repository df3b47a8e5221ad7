"""The in-app list: what reached a person, newest first, with an unread count for the editor's header.

A notification is one event for one person, so the event's id is its id in
that person's list (paging, marking read). It is stored one of two ways
(tracker/alerts/router.py): a row of alert_notifications (a subscription
with words to look for, a digest, quiet hours), read_at on the row; or the
person's membership of the event's audience (a plain subscription), read
state in alert_reads (one by one) and alert_read_through ("all read" up to
an event). `AUDIENCE_EVENTS` is how the list, its count and marking read
join a person to those events; the sender reads the same membership one
audience at a time (sender._ready, sender._owed), which a join cannot do as
cheaply for a thousand destinations.
"""

from __future__ import annotations

import json

import sqlite_utils

from tracker.db import now, rows, transaction

BADGE_MAX = 99  # the header shows "99+" past this; counting stops there too

# The events a person (:user) has through their audiences: m and e, to be narrowed further by the caller.
AUDIENCE_EVENTS = """alert_audience_members m JOIN alert_events e ON e.audience_id = m.audience_id
    WHERE m.user_id = :user"""
_THROUGH = "coalesce((SELECT t.event_id FROM alert_read_through t WHERE t.user_id = :user), 0)"
_READ_ONE = "EXISTS (SELECT 1 FROM alert_reads r WHERE r.user_id = :user AND r.event_id = e.id)"


def unread_count(db: sqlite_utils.Database, user_id: int) -> int:
    """Unread notifications, counted up to BADGE_MAX + 1 (the header needs no more, and stays cheap)."""
    return db.execute(
        f"""SELECT count(*) FROM (
              SELECT 1 FROM alert_notifications WHERE user_id = :user AND read_at IS NULL
              UNION ALL
              SELECT 1 FROM {AUDIENCE_EVENTS} AND e.id > {_THROUGH} AND NOT {_READ_ONE}
              LIMIT :cap)""",
        {"user": user_id, "cap": BADGE_MAX + 1},
    ).fetchone()[0]


def latest(db: sqlite_utils.Database, user_id: int, *, limit: int = 50, before: int | None = None) -> list[dict]:
    """A page of the person's notifications with their events, newest first (`before`: an id to page from)."""
    found = rows(
        db,
        f"""SELECT x.event_id AS id, x.read_at, e.routed_at AS created_at, e.id AS event_id, e.kind, e.subject,
                   e.payload, e.at, s.slug AS story_slug, s.title AS story_title
            FROM (SELECT event_id, read_at FROM alert_notifications
                  WHERE user_id = :user AND event_id < :before
                  UNION ALL
                  SELECT e.id, coalesce(
                      (SELECT r.read_at FROM alert_reads r WHERE r.user_id = :user AND r.event_id = e.id),
                      (SELECT t.read_at FROM alert_read_through t WHERE t.user_id = :user AND t.event_id >= e.id))
                  FROM {AUDIENCE_EVENTS} AND e.id < :before
                  ORDER BY 1 DESC LIMIT :limit) x
            JOIN alert_events e ON e.id = x.event_id
            LEFT JOIN stories s ON s.id = e.story_id
            ORDER BY x.event_id DESC""",
        {"user": user_id, "before": before or 2**63 - 1, "limit": max(1, min(int(limit), 200))},
    )
    for note in found:
        payload = json.loads(note.pop("payload") or "{}")
        note["path"] = payload.get("path", "/")
    return found


def mark_read(db: sqlite_utils.Database, user_id: int, ids: list[int] | None = None) -> int:
    """Mark these notifications read (all of the person's with None); returns how many changed."""
    stamp = now()
    params = {"user": user_id, "at": stamp}
    with transaction(db):
        if ids is None:
            changed = db.execute(
                "UPDATE alert_notifications SET read_at = :at WHERE user_id = :user AND read_at IS NULL", params
            ).rowcount
            changed += db.execute(
                f"SELECT count(*) FROM {AUDIENCE_EVENTS} AND e.id > {_THROUGH} AND NOT {_READ_ONE}", params
            ).fetchone()[0]
            newest = db.execute(f"SELECT max(e.id) FROM {AUDIENCE_EVENTS}", params).fetchone()[0]
            if newest is not None:
                db.execute(
                    """INSERT INTO alert_read_through (user_id, event_id, read_at) VALUES (:user, :newest, :at)
                       ON CONFLICT (user_id) DO UPDATE SET event_id = excluded.event_id, read_at = excluded.read_at
                       WHERE excluded.event_id > event_id""",
                    {**params, "newest": newest},
                )
                db.execute(
                    "DELETE FROM alert_reads WHERE user_id = :user AND event_id <= :newest",
                    {**params, "newest": newest},
                )
            return changed
        params["ids"] = json.dumps([int(i) for i in ids])
        changed = db.execute(
            """UPDATE alert_notifications SET read_at = :at WHERE user_id = :user AND read_at IS NULL
               AND event_id IN (SELECT value FROM json_each(:ids))""",
            params,
        ).rowcount
        changed += db.execute(
            f"""INSERT INTO alert_reads (user_id, event_id, read_at)
                SELECT DISTINCT :user, e.id, :at FROM {AUDIENCE_EVENTS}
                AND e.id IN (SELECT value FROM json_each(:ids)) AND e.id > {_THROUGH} AND NOT {_READ_ONE}""",
            params,
        ).rowcount
    return changed
