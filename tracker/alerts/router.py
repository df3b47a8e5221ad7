"""From the outbox to the people who asked: who each event reaches, and digests queued per destination.

One transaction routes a batch of events. Most people follow a story with a
plain subscription (its kinds, no words to look for, at once): everyone an
event reaches that way is its audience, a set of people stored once and
named by the event (alert_events.audience_id), so routing an event to a
thousand followers writes one value, not a thousand rows. Everyone else it
matches (words, claimants, a digest, quiet hours) gets a notification row
with the time it is due at their destinations (tracker/alerts/timing.py):
none when at once, and then each destination takes it (sender.batch); a
digest or quiet hours queue it per destination until then. The events are
marked routed in the same transaction, so a crash routes a batch entirely or
not at all, never twice. A person's notifications are both: their rows and
the events of their audiences (tracker/alerts/notifications.py).

What keeps routing cheap: the rules are loaded once and kept until
alert_rules_version says subscriptions, destinations or accounts changed;
an audience is looked up (or stored) once per set of people and kept; and
only the subscriptions that are not plain are checked event by event.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from dataclasses import dataclass, field

import sqlite_utils

from tracker.alerts import subscriptions, timing
from tracker.db import now, rows, transaction

BATCH = 2000  # events routed in one transaction


@dataclass
class Audience:
    """Who an event of one kind and story may reach: those it reaches at once, and rules still to check.

    `users` follow it with a subscription that matches on kind and story
    alone and is due at once (their earliest possible time, so nothing else
    of theirs needs checking). `others` are the subscriptions of everyone
    else: words, claimants, a digest or quiet hours, checked against each
    event.
    """

    users: tuple[int, ...]
    others: list[subscriptions.Rule]


@dataclass
class Rules:
    """Every active person's subscriptions, indexed for routing, as of one alert_rules_version."""

    version: int
    by_key: dict[tuple[str, int | None], list[subscriptions.Rule]]  # (kind, story or None for all)
    destinations: dict[int, list[int]]  # person -> their active destinations (for what a digest queues)
    audiences: dict[tuple[str, int | None], Audience] = field(default_factory=dict)

    def audience(self, kind: str, story_id: int | None) -> Audience:
        """The audience of an event of this kind and story (None: of no one story, e.g. a publish), kept."""
        key = (kind, story_id)
        if key not in self.audiences:
            if story_id is None:  # an event of no one story reaches every subscription to its kind
                rules = [r for (k, _), found in self.by_key.items() if k == kind for r in found]
            else:
                rules = self.by_key.get((kind, None), []) + self.by_key.get(key, [])
            users = tuple(dict.fromkeys(r.user_id for r in rules if r.plain and r.at_once))
            reached = set(users)
            self.audiences[key] = Audience(users=users, others=[r for r in rules if r.user_id not in reached])
        return self.audiences[key]


def load_rules(db: sqlite_utils.Database) -> Rules:
    """The routing rules as the database holds them now."""
    version = db.execute("SELECT n FROM alert_rules_version").fetchone()[0]
    by_key: dict[tuple[str, int | None], list[subscriptions.Rule]] = defaultdict(list)
    for r in subscriptions.rules_by_user(db):
        for kind in r.kinds:
            by_key[(kind, r.story_id)].append(r)
    destinations: dict[int, list[int]] = defaultdict(list)
    for destination_id, user_id in db.execute(
        "SELECT d.id, d.user_id FROM alert_destinations d JOIN users u ON u.id = d.user_id "
        "WHERE d.active = 1 AND u.active = 1 ORDER BY d.id"
    ):
        destinations[user_id].append(destination_id)
    return Rules(version, dict(by_key), dict(destinations))


@dataclass
class Router:
    """Routes events with rules kept between calls (a running sender's), reloaded when they change."""

    rules: Rules | None = field(default=None, repr=False)
    audiences: dict[tuple[int, ...], int] = field(default_factory=dict, repr=False)  # members -> audience id

    def route(self, db: sqlite_utils.Database, *, limit: int = BATCH) -> int:
        """Route up to `limit` unrouted events, oldest first; returns how many were routed."""
        if db.execute("SELECT 1 FROM alert_events WHERE routed_at IS NULL LIMIT 1").fetchone() is None:
            return 0
        stamp = now()
        with transaction(db):
            version = db.execute("SELECT n FROM alert_rules_version").fetchone()[0]
            if self.rules is None or self.rules.version != version:
                self.rules = load_rules(db)
                # The sets of people of the old rules: kept, every change would add sets for as long as the
                # sender runs. A set met again is found by its members_key.
                self.audiences.clear()
            events = rows(
                db,
                """SELECT id, kind, story_id, subject, payload, stored FROM alert_events
                   WHERE routed_at IS NULL ORDER BY id LIMIT ?""",
                [limit],
            )
            plain, notes, queued = _fan_out(self.rules, events)
            stored = self._audiences(db, {users for _, users in plain if users})
            notes.sort()  # in key order: each person's rows land together
            db.conn.executemany(
                "INSERT OR IGNORE INTO alert_notifications (user_id, event_id, due) VALUES (?, ?, ?)", notes
            )
            db.conn.executemany(
                "INSERT INTO alert_queue (destination_id, due, event_ids) VALUES (?, ?, ?)",
                [(d, due, json.dumps(ids)) for (d, due), ids in sorted(queued.items())],
            )
            db.execute(
                """UPDATE alert_events SET routed_at = :stamp, audience_id = a.audience_id
                   FROM (SELECT json_extract(value, '$[0]') AS event_id, json_extract(value, '$[1]') AS audience_id
                         FROM json_each(:events)) a
                   WHERE alert_events.id = a.event_id""",
                {
                    "stamp": stamp,
                    "events": json.dumps([[event_id, stored.get(users)] for event_id, users in plain]),
                },
            )
        self.audiences.update(stored)  # kept only once committed: a rolled-back audience is no audience
        return len(events)

    def _audiences(self, db: sqlite_utils.Database, sets: set[tuple[int, ...]]) -> dict[tuple[int, ...], int]:
        """The audience id of each set of people, stored the first time the set is met."""
        found = {users: self.audiences[users] for users in sets if users in self.audiences}
        for users in sorted(sets - found.keys()):
            key = hashlib.sha256(",".join(map(str, sorted(users))).encode()).hexdigest()
            row = db.execute("SELECT id FROM alert_audiences WHERE members_key = ?", [key]).fetchone()
            if row is None:
                audience_id = db.execute(
                    "INSERT INTO alert_audiences (members_key, size) VALUES (?, ?)", [key, len(users)]
                ).lastrowid
                db.conn.executemany(
                    "INSERT INTO alert_audience_members (user_id, audience_id) VALUES (?, ?)",
                    [(user_id, audience_id) for user_id in sorted(users)],
                )
            else:
                audience_id = row[0]
            found[users] = audience_id
        return found


def _fan_out(
    rules: Rules, events: list[dict]
) -> tuple[list[tuple[int, tuple[int, ...]]], list[tuple[int, int, float | None]], dict[tuple[int, float], list[int]]]:
    """Each event's audience (the people it reaches at once by a plain subscription), the other (person,
    event, due or None for at once) notifications, and the ids queued per (destination, due time)."""
    plain: list[tuple[int, tuple[int, ...]]] = []
    notes: list[tuple[int, int, float | None]] = []
    later: dict[tuple[int, float], list[int]] = defaultdict(list)
    now_due = max((e["stored"] for e in events), default=0.0)
    for event in events:
        audience = rules.audience(event["kind"], event["story_id"])
        event_id = event["id"]
        plain.append((event_id, audience.users))
        if not audience.others:
            continue
        payload = json.loads(event["payload"])
        due: dict[int, float] = {}
        for r in audience.others:
            if not r.plain and not subscriptions.matches(r, event, payload):
                continue
            when = event["stored"] if r.at_once else timing.due(r.settings, event["stored"])
            if r.user_id not in due or when < due[r.user_id]:
                due[r.user_id] = when
        for user_id, when in due.items():
            if when <= now_due:
                notes.append((user_id, event_id, None))
                continue
            notes.append((user_id, event_id, when))
            for destination_id in rules.destinations.get(user_id, ()):
                later[(destination_id, when)].append(event_id)
    return plain, notes, later


def route(db: sqlite_utils.Database, *, limit: int = BATCH) -> int:
    """Route up to `limit` unrouted events with the rules as they are now; returns how many were routed."""
    return Router().route(db, limit=limit)
