"""From the outbox to the people who asked: in-app notifications, and items queued per destination.

One transaction routes a batch of events: each matching person gets one
notification per event (however many of their subscriptions match) and
each of their destinations one queue item, due when their timing says
(tracker/alerts/timing.py). The events are marked routed in the same
transaction, so a crash routes a batch entirely or not at all, never twice.
"""

from __future__ import annotations

import json
from collections import defaultdict

import sqlite_utils

from tracker.alerts import subscriptions, timing
from tracker.db import now, rows, transaction

BATCH = 2000  # events routed in one transaction


def route(db: sqlite_utils.Database, *, limit: int = BATCH) -> int:
    """Route up to `limit` unrouted events, oldest first; returns how many were routed."""
    pending = db.execute("SELECT 1 FROM alert_events WHERE routed_at IS NULL LIMIT 1").fetchone()
    if pending is None:
        return 0
    by_key: dict[tuple[str, int | None], list[subscriptions.Rule]] = defaultdict(list)
    for r in subscriptions.rules_by_user(db):
        for kind in r.kinds:
            by_key[(kind, r.story_id)].append(r)
    destinations: dict[int, list[int]] = defaultdict(list)
    for destination_id, user_id in db.execute(
        "SELECT d.id, d.user_id FROM alert_destinations d JOIN users u ON u.id = d.user_id "
        "WHERE d.active = 1 AND u.active = 1"
    ):
        destinations[user_id].append(destination_id)
    stamp = now()
    with transaction(db):
        events = rows(
            db,
            """SELECT id, kind, story_id, subject, payload, stored FROM alert_events
               WHERE routed_at IS NULL ORDER BY id LIMIT ?""",
            [limit],
        )
        notes: list[tuple] = []
        queued: list[tuple] = []
        for event in events:
            payload = json.loads(event["payload"])
            due: dict[int, float] = {}
            candidates = by_key.get((event["kind"], None), [])
            if event["story_id"] is not None:
                candidates = candidates + by_key.get((event["kind"], event["story_id"]), [])
            else:  # an event of no one story (a publish) reaches every subscription to its kind
                candidates = [r for (kind, _), found in by_key.items() if kind == event["kind"] for r in found]
            for r in candidates:
                if subscriptions.matches(r, event, payload):
                    when = timing.due(r.settings, event["stored"])
                    due[r.user_id] = min(when, due.get(r.user_id, when))
            for user_id, when in due.items():
                notes.append((user_id, event["id"], stamp))
                queued += [(d, event["id"], when) for d in destinations.get(user_id, ())]
        db.conn.executemany(
            "INSERT OR IGNORE INTO alert_notifications (user_id, event_id, created_at) VALUES (?, ?, ?)", notes
        )
        db.conn.executemany(
            "INSERT OR IGNORE INTO alert_queue (destination_id, event_id, due) VALUES (?, ?, ?)", queued
        )
        db.execute(
            "UPDATE alert_events SET routed_at = ? WHERE id IN (SELECT value FROM json_each(?))",
            [stamp, json.dumps([e["id"] for e in events])],
        )
    return len(events)
