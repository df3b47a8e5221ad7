"""Sending alerts: queued items become one message per destination, sent through Apprise, each one recorded.

A step of the sender:

1. route new events (tracker/alerts/router.py);
2. batch: a destination with items due, nothing in flight, not backing
   off and past its rate limit gets ONE delivery holding all its due items
   (a flood of events is one message, never thousands), written with the
   items it carries in one transaction that also takes them off the queue;
   a running sender makes only as many as it has threads free, those
   waiting longest first, so each message carries all that arrived until
   it could go out;
3. claim ready deliveries with a lease (owner and expiry written in one
   UPDATE) and send them on a bounded pool of threads (the network waits,
   not the CPU), never two at once to one destination; while they are out
   the next round routes and batches;
4. record the outcomes that came back, together in one transaction: sent,
   or the error with a retry time that backs off per delivery and per
   destination; after MAX_ATTEMPTS a delivery is failed for good and shown
   on the owner's account page, and at once when a mail server refused it
   for good (a 5xx: smtp_sessions.Refusals), saying what to do.

Exactly once: routing and batching are transactions, so an event reaches a
destination in one delivery only, even across crashes. A delivery is
claimed before it is sent and marked sent after; a sender killed between
the two leaves a lease that expires (at once, when the dead sender ran on
this machine), and the delivery is sent again under the same delivery key,
which goes out as the `X-Tracker-Delivery` header of emails and webhook
posts so the receiving end can recognise the repeat. That window is the
only way a message can arrive twice, and it is at most one message per
destination per crash.
"""

from __future__ import annotations

import contextlib
import contextvars
import heapq
import itertools
import json
import logging
import os
import socket
import sqlite3
import ssl
import threading
import time
import types
from collections import defaultdict
from collections.abc import Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field

import sqlite_utils

from scrapers.article import without_controls
from scrapers.http.guard import AddressGuard
from tracker import config
from tracker.alerts import (
    concurrency,
    connect_guard,
    deadline,
    destinations,
    keys,
    messages,
    once,
    reasons,
    router,
    smtp_sessions,
    unsubscribe,
)
from tracker.db import TrackerError, connect, now, path_of, rows, storage_error, transaction

LEASE_SECONDS = 120.0  # longer than the slowest send allowed (SEND_DEADLINE), so a live lease is never taken
CONNECT_TIMEOUT = 10.0
READ_TIMEOUT = 15.0  # a webhook that has not answered by then has failed: retried later
SEND_LOOKUP = CONNECT_TIMEOUT  # a name lookup as the send connects: as long as connecting may take (connect_guard)
SEND_DEADLINE = 60.0  # a whole send, however its answer trickles in (deadline.py): then it has failed
MAX_ATTEMPTS = 8
MAX_EVENTS = 500  # events carried by one delivery; a longer backlog goes in the next
NO_EVENT = 2**62  # "no event" where SQL takes the least of two ids that may be missing
WORKERS = 16  # threads that send, each to another destination; how many send at once adapts (concurrency.py)
START = 4  # sends at once to begin with, before their times say whether more would be faster
ROUTE_MOST = 20_000  # events routed in one round at most: a huge backlog still lets the round send
AHEAD = 4  # deliveries made ahead per sending thread: a round makes dozens, so its fixed looks are paid rarely
POLL = 0.25  # seconds between looks at the outbox when idle: two indexed reads, no write unless there is work
DELIVERY_HEADER = "X-Tracker-Delivery"

log = logging.getLogger(__name__)


def backoff(attempt: int) -> float:
    """Seconds before retry number `attempt` (1, 2, ...): 15 s doubling to an hour."""
    return min(3600.0, 15.0 * 2 ** max(0, attempt - 1))


def owner_id() -> str:
    """This process, as written on its leases: host, pid and the process's start time (pids are reused)."""
    return f"{socket.gethostname()}:{os.getpid()}:{_start_time(os.getpid())}"


def _start_time(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[19]
    except (OSError, IndexError):
        return "?"


def _owner_dead(owner: str) -> bool:
    host, _, rest = owner.partition(":")
    pid, _, started = rest.partition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return False  # another machine's sender: wait for its lease to expire
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return started != "?" and _start_time(int(pid)) != started


def release_dead_leases(db: sqlite_utils.Database) -> int:
    """Leases held by senders of this machine that no longer run are released, so their work resumes now."""
    owners = [
        r[0]
        for r in db.execute(
            "SELECT DISTINCT lease_owner FROM alert_deliveries WHERE state = 'pending' AND lease_owner IS NOT NULL"
        )
    ]
    dead = [o for o in owners if o != owner_id() and _owner_dead(o)]
    if not dead:
        return 0
    with transaction(db):
        cur = db.execute(
            """UPDATE alert_deliveries SET lease_owner = NULL, lease_until = NULL
               WHERE state = 'pending' AND lease_owner IN (SELECT value FROM json_each(?))""",
            [json.dumps(dead)],
        )
    return cur.rowcount


def batch(
    db: sqlite_utils.Database,
    *,
    at: float | None = None,
    editor_url: str | None = None,
    public_url: str | None = None,
    limit: int | None = None,
) -> int:
    """Make one delivery for each destination that has events due and may be sent to now; returns how many.

    A destination's events due at once are its person's notifications past
    its `sent_through`; digests and quiet hours wait in alert_queue until
    due. `limit`: at most that many deliveries, those waiting longest first.
    A running sender makes only as many as it has threads free to send them,
    so a message holds everything that arrived until the moment it can go out.
    One transaction: the delivery is written as `sent_through` moves past
    what it took and its queue rows are deleted (what is left past MAX_EVENTS
    stays), so an event reaches a destination in one delivery only.
    Destinations of one story usually get the very same events: each
    distinct message is rendered once.
    """
    at = time.time() if at is None else at
    if editor_url is None or public_url is None:
        settings = config.Settings.from_env()
        editor_url, public_url = editor_url or settings.editor_url, public_url or settings.public_site_url
    if limit is not None and limit <= 0:
        return 0
    locked = db.conn.in_transaction  # inside a busy round's transaction: what it reads now holds
    candidates = _ready(db, at, limit)  # a read: an idle sender looks several times a second, writing nothing
    if not candidates:
        return 0
    with transaction(db):
        # Looked at again under the write lock, unless it was held already: another sender may have taken some.
        ready = candidates if locked else _ready(db, at, limit, among=list(candidates))
        taken = _take(db, ready, at)
        keys = {
            destination_id: (tuple(ids), bool(ready[destination_id]["internal"]),
                             destinations.markup(ready[destination_id]["scheme"]))
            for destination_id, ids in taken.items()
        }  # fmt: skip
        rendered = _rendered(db, list(keys.values()), editor_url=editor_url, public_url=public_url)
        made = []
        stamp = now()
        for destination_id, ids in taken.items():
            key = keys[destination_id]
            message = rendered[key]
            made.append((destination_id, message.title, message.body, key[2], len(ids), json.dumps(ids), at, at, stamp))
        db.conn.executemany(
            """INSERT INTO alert_deliveries (destination_id, title, body, markup, events, event_ids, next_attempt,
                   created, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            made,
        )
    return len(taken)


MessageKey = tuple[tuple[int, ...], bool, str]  # the events, for an internal destination or not, in which markup


def _rendered(
    db: sqlite_utils.Database, keys: list[MessageKey], *, editor_url: str, public_url: str
) -> dict[MessageKey, messages.Message]:
    """The message of each (events, internal, markup), each distinct one made once: destinations of one story
    usually get the very same events. A message whose events are all gone (pruned) is left out."""
    lists = list(dict.fromkeys(ids for ids, _, _ in keys))
    # A message details its first MAX_LISTED events and names the stories of the rest: only those are read.
    events = _events(db, {i for ids in lists for i in ids[: messages.MAX_LISTED]})
    stories = _stories(db, [ids for ids in lists if len(ids) > messages.MAX_LISTED])
    rendered = {}
    for key in dict.fromkeys(keys):
        ids, internal, markup = key
        found = [events[i] for i in ids[: messages.MAX_LISTED] if i in events]
        if found:
            rendered[key] = messages.render(
                found,
                internal=internal,
                editor_url=editor_url,
                public_url=public_url,
                count=len(ids),
                stories=stories.get(ids),
                markup=markup,
            )
    return rendered


def rewrite_unmarked(db: sqlite_utils.Database, *, editor_url: str, public_url: str) -> int:
    """Deliveries still waiting that were made before a delivery recorded its body's markup, made again from their
    events as this version writes them for their destination; how many.

    Such a body was written by an earlier version (plain text with ~~old~~
    **new** marks, or already in the destination's markup) and there is no
    telling which: sent as the destination's markup is now, a Matrix
    message's plain text was read as HTML, a page's own <img> with it. One
    whose events are gone is sent as it is, as plain text.
    """
    waiting = rows(
        db,
        """SELECT x.id, x.event_ids, d.internal, d.scheme FROM alert_deliveries x
           JOIN alert_destinations d ON d.id = x.destination_id WHERE x.state = 'pending' AND x.markup IS NULL""",
    )
    if not waiting:
        return 0
    keys = {
        row["id"]: (tuple(json.loads(row["event_ids"])), bool(row["internal"]), destinations.markup(row["scheme"]))
        for row in waiting
    }
    rendered = _rendered(db, list(keys.values()), editor_url=editor_url, public_url=public_url)
    with transaction(db):
        for delivery_id, key in keys.items():
            message = rendered.get(key)
            title, body, markup = (message.title, message.body, key[2]) if message else (None, None, "text")
            db.execute(
                """UPDATE alert_deliveries SET title = coalesce(?, title), body = coalesce(?, body), markup = ?
                   WHERE id = ? AND markup IS NULL""",
                [title, body, markup, delivery_id],
            )
    return len(keys)


def _ready(
    db: sqlite_utils.Database, at: float, limit: int | None, *, among: list[int] | None = None
) -> dict[int, dict]:
    """Destinations that may get a delivery now, longest waiting first: {id: the destination's row}.

    Waiting since: the oldest event due at once past its `sent_through`
    (when it was stored), or the oldest queue row that came due. `among`:
    only these destinations. Filtered and ordered in SQL: with a thousand
    destinations this runs several times a second, and most have nothing.
    """
    found = rows(
        db,
        f"""SELECT id, user_id, internal, sent_through, scheme FROM (
              SELECT d.id, d.user_id, d.internal, d.sent_through, d.scheme,
                  (SELECT e.stored FROM alert_events e WHERE e.id = nullif(min(
                      coalesce((SELECT min((SELECT a.id FROM alert_events a
                                            WHERE a.audience_id = m.audience_id AND a.id > d.sent_through
                                            ORDER BY a.id LIMIT 1))
                                FROM alert_audience_members m WHERE m.user_id = d.user_id), :none),
                      coalesce((SELECT n.event_id FROM alert_notifications n
                                WHERE n.user_id = d.user_id AND n.event_id > d.sent_through AND n.due IS NULL
                                ORDER BY n.event_id LIMIT 1), :none)), :none)) AS now_since,
                  (SELECT min(q.due) FROM alert_queue q WHERE q.destination_id = d.id AND q.due <= :at) AS later_since
              FROM alert_destinations d
              WHERE d.active = 1 {"AND d.id IN (SELECT value FROM json_each(:among))" if among is not None else ""}
                AND (d.retry_at IS NULL OR d.retry_at <= :at)
                AND (d.last_sent IS NULL OR d.last_sent + 60.0 / d.per_minute <= :at)
                AND NOT EXISTS (SELECT 1 FROM alert_deliveries x WHERE x.destination_id = d.id AND x.state = 'pending'))
            WHERE now_since IS NOT NULL OR later_since IS NOT NULL
            ORDER BY min(coalesce(now_since, later_since), coalesce(later_since, now_since)), id
            LIMIT :limit""",
        {"at": at, "among": json.dumps(among or []), "limit": -1 if limit is None else limit, "none": NO_EVENT},
    )
    return {row["id"]: row for row in found}


def _take(db: sqlite_utils.Database, ready: dict[int, dict], at: float) -> dict[int, list[int]]:
    """Take each ready destination's due event ids (up to MAX_EVENTS, oldest first), moving what it was owed.

    The same few statements for all the destinations of a round, not two for
    each: the queue rows that came due, and each destination's notifications
    due at once past its cursor (`_owed`).
    """
    queued: dict[int, list[tuple[int, float, str]]] = {}
    for row_id, destination_id, due, ids in db.execute(
        """SELECT id, destination_id, due, event_ids FROM alert_queue
           WHERE due <= ? AND destination_id IN (SELECT value FROM json_each(?)) ORDER BY destination_id, id""",
        [at, json.dumps(list(ready))],
    ):
        queued.setdefault(destination_id, []).append((row_id, due, ids))
    owed = _owed(db, ready)
    taken: dict[int, list[int]] = {}
    emptied: list[int] = []
    left: list[tuple[int, float, str]] = []
    moved: list[tuple[int, int]] = []
    for destination_id, destination in ready.items():
        later: list[int] = []
        for _, _, text in queued.get(destination_id, ()):
            later += json.loads(text)
        later.sort()  # runs already in order: a merge
        if len(later) > MAX_EVENTS:
            due = min(due for _, due, _ in queued[destination_id])
            left.append((destination_id, due, json.dumps(later[MAX_EVENTS:])))
            later = later[:MAX_EVENTS]
        emptied += [row_id for row_id, _, _ in queued.get(destination_id, ())]
        room = MAX_EVENTS - len(later)
        at_once, top = owed.get(destination_id, ([], None))
        at_once = at_once[:room]
        if len(at_once) < room:
            # Everything due at once was taken: the cursor moves past the person's digest rows as well,
            # so the look for what is due at once does not wade through a digest reader's whole history.
            moved.append((max(top or 0, destination["sent_through"]), destination_id))
        elif at_once:
            moved.append((at_once[-1], destination_id))
        taken[destination_id] = sorted(later + at_once)
    db.conn.executemany("UPDATE alert_destinations SET sent_through = ? WHERE id = ?", moved)
    db.execute("DELETE FROM alert_queue WHERE id IN (SELECT value FROM json_each(?))", [json.dumps(emptied)])
    db.conn.executemany("INSERT INTO alert_queue (destination_id, due, event_ids) VALUES (?, ?, ?)", left)
    return taken


def _owed(db: sqlite_utils.Database, ready: dict[int, dict]) -> dict[int, tuple[list[int], int]]:
    """Each destination's event ids due at once past its cursor (up to MAX_EVENTS, oldest first), and its
    person's newest notification (where the cursor moves when all of them were taken).

    The events of an audience past one cursor are read once, however many
    destinations share them: in a flood, the fifty destinations of the people
    following one story usually sit at the same cursor, and reading the run
    once for all of them, then merging each person's runs here, is most of
    what a round of batching costs otherwise. A person's own rows (words,
    digests, quiet hours) are read per destination, one index seek for most.
    """
    people = sorted({row["user_id"] for row in ready.values()})
    audiences: dict[int, list[int]] = defaultdict(list)
    for user_id, audience_id in db.execute(
        "SELECT user_id, audience_id FROM alert_audience_members WHERE user_id IN (SELECT value FROM json_each(?))",
        [json.dumps(people)],
    ):
        audiences[user_id].append(audience_id)
    runs: dict[tuple[int, int], list[int]] = {}
    newest: dict[int, int] = {}
    wanted = sorted({(a, row["sent_through"]) for row in ready.values() for a in audiences[row["user_id"]]})
    for audience_id, after, ids, top in db.execute(
        """SELECT g.audience_id, g.after,
                  (SELECT json_group_array(id) FROM (
                       SELECT a.id FROM alert_events a WHERE a.audience_id = g.audience_id AND a.id > g.after
                       ORDER BY a.id LIMIT :most)),
                  (SELECT max(a.id) FROM alert_events a WHERE a.audience_id = g.audience_id)
           FROM (SELECT json_extract(value, '$[0]') AS audience_id, json_extract(value, '$[1]') AS after
                 FROM json_each(:wanted)) g""",
        {"most": MAX_EVENTS, "wanted": json.dumps(wanted)},
    ):
        runs[(audience_id, after)] = json.loads(ids)
        newest[audience_id] = top or 0
    owed: dict[int, tuple[list[int], int]] = {}
    for destination_id, own, top in db.execute(
        """SELECT r.destination_id,
                  (SELECT json_group_array(event_id) FROM (
                       SELECT n.event_id FROM alert_notifications n
                       WHERE n.user_id = r.user_id AND n.event_id > r.sent_through AND n.due IS NULL
                       ORDER BY n.event_id LIMIT :most)),
                  (SELECT max(n.event_id) FROM alert_notifications n WHERE n.user_id = r.user_id)
           FROM (SELECT json_extract(value, '$[0]') AS destination_id, json_extract(value, '$[1]') AS user_id,
                        json_extract(value, '$[2]') AS sent_through FROM json_each(:ready)) r""",
        {
            "most": MAX_EVENTS,
            "ready": json.dumps([[d, row["user_id"], row["sent_through"]] for d, row in ready.items()]),
        },
    ):
        row = ready[destination_id]
        mine = [runs[(a, row["sent_through"])] for a in audiences[row["user_id"]]]
        own = json.loads(own)
        if own:
            mine.append(own)
        # An event has one audience, and a person's own row only for an event whose audience they are not in:
        # the runs never share an id.
        ids = mine[0] if len(mine) == 1 else list(itertools.islice(heapq.merge(*mine), MAX_EVENTS))
        top = max([top or 0, *(newest[a] for a in audiences[row["user_id"]])])
        owed[destination_id] = (ids, top)
    return owed


def _events(db: sqlite_utils.Database, ids: set[int]) -> dict[int, dict]:
    """The events a message is made of, with their story, by id."""
    return {
        e["id"]: e
        for e in rows(
            db,
            """SELECT e.id, e.kind, e.story_id, e.subject, e.payload, e.at, s.slug AS story_slug,
                      s.title AS story_title
               FROM alert_events e LEFT JOIN stories s ON s.id = e.story_id
               WHERE e.id IN (SELECT value FROM json_each(?))""",
            [json.dumps(sorted(ids))],
        )
    }


def _stories(db: sqlite_utils.Database, lists: list[tuple[int, ...]]) -> dict[tuple[int, ...], list[str | None]]:
    """The stories each list of events is about, in the order they first appear (a long message's title)."""
    found: dict[tuple[int, ...], list[str | None]] = {ids: [] for ids in lists}
    if lists:
        for index, title in db.execute(
            """SELECT l.key, s.title FROM json_each(?) l, json_each(l.value) j
               JOIN alert_events e ON e.id = j.value LEFT JOIN stories s ON s.id = e.story_id
               GROUP BY l.key, e.story_id ORDER BY l.key, min(e.id)""",
            [json.dumps(lists)],
        ):
            found[lists[index]].append(title)
    return found


def claim(db: sqlite_utils.Database, owner: str, limit: int, *, at: float | None = None) -> list[dict]:
    """Lease up to `limit` ready deliveries to `owner`, counting the attempt; what to send, with the sealed URL."""
    at = time.time() if at is None else at
    if (
        limit <= 0
        or not db.execute(
            "SELECT 1 FROM alert_deliveries WHERE state = 'pending' AND next_attempt <= ? LIMIT 1", [at]
        ).fetchone()
    ):
        return []
    with transaction(db):
        claimed = rows(
            db,
            """UPDATE alert_deliveries SET lease_owner = :owner, lease_until = :until, attempts = attempts + 1
               WHERE id IN (SELECT id FROM alert_deliveries
                            WHERE state = 'pending' AND next_attempt <= :at
                              AND (lease_until IS NULL OR lease_until < :at)
                            ORDER BY next_attempt, id LIMIT :limit)
               RETURNING id, destination_id, title, body, markup, attempts, accepted""",
            {"owner": owner, "until": at + LEASE_SECONDS, "at": at, "limit": limit},
        )
    if claimed:
        sealed = {
            destination_id: (secret, label, created_at)
            for destination_id, secret, label, created_at in db.execute(
                """SELECT id, url_secret, label, created_at FROM alert_destinations
                   WHERE id IN (SELECT value FROM json_each(?))""",
                [json.dumps([d["destination_id"] for d in claimed])],
            )
        }
        # The addresses of an email destination that left it by their own emails' unsubscribe links.
        gone = unsubscribe.left(db, [d["destination_id"] for d in claimed])
        for delivery in claimed:
            found = sealed.get(delivery["destination_id"], (None, "", ""))
            delivery["url_secret"], delivery["label"], delivery["destination_created"] = found
            delivery["left"] = gone.get(delivery["destination_id"], set())
    return sorted(claimed, key=lambda d: d["id"])


def record(db: sqlite_utils.Database, delivery: dict, error: str | None, *, at: float | None = None) -> None:
    """The outcome of one send: sent, or the error with its retry (or, after MAX_ATTEMPTS, failed for good)."""
    record_all(db, [(delivery, error)], at=at)


def record_all(db: sqlite_utils.Database, outcomes: list[tuple[dict, str | None]], *, at: float | None = None) -> None:
    """The outcomes of several sends, in one transaction (a busy sender records a handful at a time)."""
    at = time.time() if at is None else at
    stamp = now()
    # An error quotes a server's own words, the server's to write: kept as one line without control characters.
    outcomes = [
        (d, None if error is None else " ".join(without_controls(error).split())[:500]) for d, error in outcomes
    ]
    sent = [d for d, error in outcomes if error is None]
    with transaction(db):
        db.conn.executemany(
            """UPDATE alert_deliveries SET state = 'sent', sent = ?, sent_at = ?, last_error = NULL,
                   lease_owner = NULL, lease_until = NULL WHERE id = ?""",
            [(at, stamp, d["id"]) for d in sent],
        )
        db.conn.executemany(
            """UPDATE alert_destinations SET failures = 0, retry_at = NULL, last_sent = ?, last_ok_at = ?
               WHERE id = ?""",
            [(at, stamp, d["destination_id"]) for d in sent],
        )
        for delivery, error in outcomes:
            if error is None:
                continue
            final = delivery["attempts"] >= MAX_ATTEMPTS or bool(delivery.get("for_good"))
            if final and not delivery.get("for_good"):  # a refusal for good says what to do already
                error = given_up(error)
            db.execute(
                # Still pending: a destination removed while this was out failed it for good already.
                """UPDATE alert_deliveries SET state = ?, next_attempt = ?, last_error = ?, lease_owner = NULL,
                       lease_until = NULL, accepted = coalesce(?, accepted) WHERE id = ? AND state = 'pending'""",
                [
                    "failed" if final else "pending",
                    at + backoff(delivery["attempts"]),
                    error[:500],
                    delivery.get("accepted"),
                    delivery["id"],
                ],
            )
            db.execute(
                """UPDATE alert_destinations SET failures = failures + 1,
                       retry_at = ? + min(3600.0, 15.0 * (1 << min(failures, 8))),
                       last_error = ?, last_error_at = ? WHERE id = ?""",
                [at, error[:500], stamp, delivery["destination_id"]],
            )


def unfollowable_links(editor_url: str) -> str | None:
    """One line for whoever runs the sender when its messages' links lead to this machine only; else None.

    Without TRACKER_EDITOR_URL, a sender from cron (`send-pending`), `alerts
    run` or `watch` links every message to 127.0.0.1, which a reader's phone
    or laptop cannot open, and nothing said so (`serve` did, for an editor
    served beyond loopback). The messages still go out, the alert being the
    point of them; emails carry no List-Unsubscribe header (unsubscribe.followable).
    """
    if unsubscribe.followable(editor_url):
        return None
    return (
        f"Alert links lead to {editor_url}, which only this machine can open, and alert emails go out without an "
        "Unsubscribe link: set TRACKER_EDITOR_URL to the address people open the editor at."
    )


def given_up(error: str) -> str:
    """The reason of a send's last attempt (MAX_ATTEMPTS): that the message was given up, and what to check.

    Every attempt's reason said what the next would do ("the message is tried again later"), the last one's too:
    the message listed as failed on the account page read as still on its way. One line, at most 500 characters,
    the reason cut rather than what to do.
    """
    reason = error.replace(f"; {reasons.TRIED_AGAIN}", "").rstrip(". ")
    advice = (
        f"given up after {MAX_ATTEMPTS} attempts, so this message will not be sent: check the destination's address "
        "under Account → Alert settings, and that its server is up and takes messages from the tracker."
    )
    return f"{reason[: 500 - len(advice) - 2]}; {advice}"


class _Errors(logging.Handler):
    """What Apprise logged as a warning or error on this thread during one send: the reason it failed when
    reasons.py could say nothing more (Apprise words most failures alike)."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.local = threading.local()

    def emit(self, record: logging.LogRecord) -> None:
        found = getattr(self.local, "found", None)
        if found is not None:
            found.append(record.getMessage())

    def capture(self) -> list[str]:
        self.local.found = []
        return self.local.found


@dataclass
class Sender:
    """Routes, batches, claims and sends, one round at a time; `run` loops, `send_pending` drains what is ready.

    A round records what finished since the last one (one transaction for
    all of them), routes new events, makes deliveries, and hands as many as
    there are free places to the pool of `workers` threads, which send while
    the next round routes: a destination has at most one delivery out at a
    time, so the pool sends to `workers` different destinations at once and
    one slow server holds up only its own messages.
    """

    db: sqlite_utils.Database
    workers: int = WORKERS
    editor_url: str = field(default_factory=lambda: config.Settings.from_env().editor_url)
    public_url: str = field(default_factory=lambda: config.Settings.from_env().public_site_url)
    clock: object = time.time
    owner: str = field(default_factory=owner_id)

    def __post_init__(self) -> None:
        self.pool = ThreadPoolExecutor(max_workers=self.workers, thread_name_prefix="alerts-send")
        self.limit = concurrency.Limit(self.workers, START)
        self.in_flight: dict[Future, dict] = {}
        self.router = router.Router()
        self.plugins: dict[int, tuple[bytes, object]] = {}
        self.plugins_for: router.Rules | None = None  # the routing rules `plugins` was last pruned against
        destinations.plugin_for("json://localhost")  # Apprise loads its plugins now, not during the first send
        self.errors = _Errors()
        self.sessions = smtp_sessions.SessionPool()
        logging.getLogger("apprise").addHandler(self.errors)
        self.sent = self.failed = 0
        self.renew_at = self.clock() + LEASE_SECONDS / 4
        if said := unfollowable_links(self.editor_url):
            log.warning("%s", said)  # once per sender: per `send-pending`, `alerts run` or `watch`
        release_dead_leases(self.db)
        rewrite_unmarked(self.db, editor_url=self.editor_url, public_url=self.public_url)

    def close(self) -> None:
        while not all(future.done() for future in self.in_flight):
            wait(list(self.in_flight), timeout=POLL)
            self.expire()
            self.renew()
        self.collect(0)
        self.pool.shutdown(wait=True)
        self.sessions.close()
        logging.getLogger("apprise").removeHandler(self.errors)

    def step(self, timeout: float = 0.0) -> bool:
        """One round; True when it did anything (recorded, routed, batched or claimed)."""
        # Routing first, everything waiting (up to ROUTE_MOST): routing is cheap (an event names its audience),
        # and a message made after it carries all a destination is owed, where a message made halfway through
        # a backlog would leave the rest to a second one, held back by the destination's rate limit.
        routed = 0
        while routed < ROUTE_MOST:
            found = self.router.route(self.db, limit=router.BATCH)
            routed += found
            if found < router.BATCH:  # a short batch: nothing more is waiting
                break
        self.forget_removed()
        # Recording what went out, making the next messages and claiming them are one transaction when
        # there is something to record (a busy sender, every round): one commit instead of three. Idle, it
        # takes no write lock: batch and claim look first and write only when they found something.
        self.renew()
        busy = any(future.done() for future in self.in_flight)
        flying, counts = dict(self.in_flight), (self.sent, self.failed)
        try:
            with transaction(self.db) if busy else contextlib.nullcontext():
                did = self.collect(0) > 0  # first: a destination whose message went out may have more waiting
                free = self.workers * AHEAD - len(self.in_flight)  # a few waiting per thread: none idles between rounds
                did |= (
                    batch(self.db, at=self.clock(), editor_url=self.editor_url, public_url=self.public_url, limit=free)
                    > 0
                )
                claimed = claim(self.db, self.owner, free, at=self.clock())
        except BaseException:
            # The round's one transaction was rolled back (a full disk at COMMIT): what it recorded as sent is
            # not, so those outcomes stay in hand for the next round. Dropped, their leases would run out and
            # the messages go out a second time. (Idle, collect() recorded in a transaction of its own.)
            if busy:
                self.in_flight, (self.sent, self.failed) = flying, counts
            raise
        for delivery in claimed:  # handed to the threads once committed: a lease is real before its send
            self.in_flight[self.pool.submit(self._send, delivery)] = delivery
            did = True
        did |= self.collect(timeout) > 0
        return did or routed > 0

    def forget_removed(self) -> None:
        """Drop the notifiers of destinations no longer active, each time the routing rules are reloaded.

        A sender runs for days while people add and remove destinations: kept,
        each removed one's notifier (its decrypted URL with it) stayed for good.
        """
        rules = self.router.rules
        if rules is None or rules is self.plugins_for:
            return
        self.plugins_for = rules
        active = {d for ids in rules.destinations.values() for d in ids}
        # A new dict, not one changed in place: the sending threads add to it as they go.
        self.plugins = {d: found for d, found in list(self.plugins.items()) if d in active}

    def renew(self) -> None:
        """Extend the leases of the deliveries handed to the threads, a quarter of a lease before they run out.

        A sender hands out a few deliveries per thread, and one may wait its
        turn behind slow sends for longer than a lease: unrenewed, it would be
        claimed again (by this sender or another) while still queued here, and
        sent twice.
        """
        at = self.clock()
        if at < self.renew_at:
            return
        self.renew_at = at + LEASE_SECONDS / 4
        if self.in_flight:
            with transaction(self.db):
                self.db.execute(
                    """UPDATE alert_deliveries SET lease_until = ? WHERE lease_owner = ? AND state = 'pending'
                       AND id IN (SELECT value FROM json_each(?))""",
                    [at + LEASE_SECONDS, self.owner, json.dumps([d["id"] for d in self.in_flight.values()])],
                )

    def collect(self, timeout: float) -> int:
        """Record the sends that finished; how many were recorded.

        With `timeout`, it first waits (up to that long) for one send to
        finish and for no more than `workers` to be left: half the sends
        handed out. A round then makes and records sends by the dozen, not
        one by one; each round's looks and transactions cost the same
        however many it handles.
        """
        if not self.in_flight:
            return 0
        self.expire()
        if timeout > 0:
            deadline = time.monotonic() + timeout
            waiting = [future for future in self.in_flight if not future.done()]
            while waiting and (len(waiting) == len(self.in_flight) or len(waiting) > self.workers):
                left = deadline - time.monotonic()
                if left <= 0:
                    break
                wait(waiting, timeout=left, return_when=FIRST_COMPLETED)
                waiting = [future for future in waiting if not future.done()]
        done = [future for future in self.in_flight if future.done()]
        if not done:
            return 0
        outcomes = [(self.in_flight[future], future.result()) for future in done]
        record_all(self.db, outcomes, at=self.clock())
        for future in done:  # only once recorded: an outcome that could not be written is written next round
            del self.in_flight[future]
        failed = sum(1 for _, error in outcomes if error is not None)
        self.sent += len(outcomes) - failed
        self.failed += failed
        return len(outcomes)

    def expire(self) -> None:
        """End the sends that have run past SEND_DEADLINE: their connections are shut down under them."""
        for delivery in self.in_flight.values():
            started = delivery.get("started")
            if started is not None and not delivery.get("expired") and time.monotonic() - started > SEND_DEADLINE:
                delivery["expired"] = True
                deadline.abort(delivery["connections"])

    def run(self, stop: threading.Event, poll: float = POLL) -> None:
        """Step until `stop` is set: busy, it keeps going; idle, it looks for new events every `poll` seconds."""
        said = ""
        try:
            while not stop.is_set():
                try:
                    did = self.step(timeout=0.05 if self.in_flight else 0.0)
                except sqlite3.OperationalError as e:  # the file stayed locked past the busy timeout, or its disk
                    # A full or read-only disk fails every try: said once, in words, not once per poll.
                    storage = storage_error(e, path_of(self.db))
                    problem = f"{storage} It keeps trying meanwhile." if storage else f"{e}; trying again in {poll} s"
                    if problem != said:
                        log.warning("alert sender: %s", problem)
                        said = problem
                    did = False
                else:
                    said = "" if did else said
                if not did:
                    stop.wait(poll)
        finally:
            self.close()

    def send_pending(self) -> dict:
        """Everything ready now, then stop (for cron); rate-limited and digest items wait for the next run."""
        while self.step(timeout=0.2) or self.in_flight:
            pass
        self.close()
        return {"sent": self.sent, "failed": self.failed}

    def _plugin(self, delivery: dict):
        """Apprise's notifier for a destination, made once per sender and URL (it parses the URL)."""
        destination_id, sealed = delivery["destination_id"], delivery["url_secret"]
        cached = self.plugins.get(destination_id)
        if cached and cached[0] == sealed:
            return cached[1]
        # A ?format= of its own would have Apprise convert the message from the markup it is written in (an address
        # saved before that was refused): left out.
        url = destinations.without_format(keys.unseal(sealed or b""))
        plugin = destinations.plugin_for(url)
        if plugin is None:
            raise TrackerError("Apprise no longer understands this destination's URL; remove it and add it again.")
        prepare(plugin)
        scheme = url.split("://")[0].lower()
        plugin.tracker_host = destinations.server_host(url, plugin) if scheme in destinations.SELF_HOSTED else None
        plugin.tracker_scheme = scheme
        # The server its sends are timed against (concurrency.py): the host for a self-hosted service, else
        # the service itself (every slack:// URL goes to Slack's servers).
        plugin.tracker_server = f"{scheme}://{plugin.tracker_host or ''}"
        self.plugins[destination_id] = (sealed, plugin)
        return plugin

    def _send(self, delivery: dict) -> str | None:
        """Send one delivery on a worker thread; None when accepted, else why not (one line)."""
        with self.limit.slot():
            delivery["connections"] = []
            delivery["started"] = time.monotonic()  # from here the deadline runs (expire)
            with deadline.noting(delivery["connections"]):
                error = self._send_now(delivery)
        if error is not None and delivery.get("expired"):
            # Which server, and that it is tried again: "no complete answer within 60 s" alone named neither.
            where = delivery.get("where") or delivery.get("label") or "The destination"
            return f"{where} gave no complete answer within {SEND_DEADLINE:g} s; {reasons.TRIED_AGAIN}"
        return error

    def _send_now(self, delivery: dict) -> str | None:
        found = self.errors.capture()
        try:
            plugin = self._plugin(delivery)
            if plugin.tracker_host:
                port = getattr(plugin, "port", None)
                delivery["where"] = f"{plugin.tracker_host}:{port}" if port else plugin.tracker_host
                destinations.guard_server(plugin.tracker_host)
                if not destinations.encrypted(plugin):  # saved before the rule, or its name now leads elsewhere
                    destinations.refuse_in_clear(plugin.tracker_scheme, plugin.tracker_host)
            if hasattr(plugin, "headers"):
                plugin.headers[DELIVERY_HEADER] = str(delivery["id"])
            recipients = None
            if plugin.tracker_scheme in unsubscribe.EMAIL_SCHEMES:
                # The addresses that have not left by the unsubscribe link of their own emails (unsubscribe.py).
                recipients = unsubscribe.emails(
                    self.editor_url,
                    delivery["destination_id"],
                    delivery["destination_created"],
                    unsubscribe.targets_of(plugin),
                    delivery["left"],
                )
                if not recipients:
                    return unsubscribe.STOPPED
            # As the body was written (a delivery made before bodies recorded it was plain text), not as the
            # destination's scheme would be written now.
            markup = delivery.get("markup") or "text"
            body, plain = delivery["body"], None
            if markup == messages.EMAIL:
                plain, body = messages.email_parts(delivery["title"], body)
            started = time.monotonic()
            # A service of its own (slack://) goes where Apprise says, any address: the guard only times its lookups.
            guard = (
                destinations.address_guard()
                if plugin.tracker_host
                else AddressGuard(True, frozenset(), share=destinations.LOOKUPS)
            )
            with (
                destinations.unlogged(),
                smtp_sessions.lending(self.sessions),
                smtp_sessions.noting_refusals() as mail_refused,
                reasons.noting() as worded,
                connect_guard.guarding(guard, SEND_LOOKUP) as refused,
                _skipping_accepted(delivery),
                plain_part(body, plain),
            ):
                message = {"body": body, "title": delivery["title"], "body_format": messages.BODY_FORMAT[markup]}
                if recipients is None:
                    sent = plugin.notify(**message)
                else:
                    sent = self._email_each(plugin, recipients, message)
            if sent:
                self.limit.measured(plugin.tracker_server, time.monotonic() - started)
                return None
        except TrackerError as e:
            return str(e)
        except Exception as e:  # a plugin's own bug must fail this delivery, not the sender
            log.exception("alert delivery %s raised", delivery["id"])
            return f"{type(e).__name__}: {e}"
        if mail_refused.for_good:  # the server's final word: failed now, not tried again for hours
            delivery["for_good"] = True
            return f"{delivery.get('label') or 'This destination'}: {'; '.join(mail_refused.permanent)}."[:500]
        # What the failure was, in words that say what to check (reasons.py); Apprise's own only when nothing
        # more is known ("A Connection error occurred sending ..." names no cause).
        reason = "; ".join(dict.fromkeys(refused + worded or found)) or "the destination did not accept the message"
        return reason[:500]

    def _email_each(self, plugin, recipients: list, message: dict) -> bool:
        """An email to each address, each with the List-Unsubscribe link of its own address (`recipients`: each
        target with its headers, unsubscribe.emails), those copied in (cc=, bcc=) included.

        Apprise's email plugin sends each address of a destination its own
        message but writes the same `headers` into every one (as it writes
        ours above), and copies the cc= and bcc= addresses in on each: one
        notify per address, the plugin's targets narrowed to it and no one
        copied in meanwhile, so that each reader's Unsubscribe button stops
        their own address (a copy carried the link of the address it was
        copied with, and came once per address). Each runs on that address's part of the delivery's
        record of who accepted it (`_AcceptedBy`): Apprise marks a whole
        message accepted once one notify succeeds, which would skip the next
        address, and a retry skips the addresses that took it before.
        """
        from apprise.plugins.base import _delivery_tracker

        every, copied, accepted = plugin.targets, (plugin.cc, plugin.bcc), _delivery_tracker.get()
        plugin.cc, plugin.bcc = set(), set()
        sent = True
        try:
            for target, headers in recipients:
                plugin.targets = [target]
                plugin.headers.update(headers)
                token = _delivery_tracker.set(_AcceptedBy(accepted, target[1]))
                try:
                    sent = plugin.notify(**message) and sent
                finally:
                    _delivery_tracker.reset(token)
        finally:
            plugin.targets = every
            plugin.cc, plugin.bcc = copied
        return sent


class _Accepted(set):
    """Apprise's record of the targets that accepted a message (its delivery tracker), kept as text.

    Apprise notes a target as a tuple holding the target's type; its repr
    reads the same in every process, so the record is stored with the
    delivery (alert_deliveries.accepted) and read back for its next attempt.
    """

    def __contains__(self, slot: object) -> bool:
        return super().__contains__(repr(slot))

    def add(self, slot: object) -> None:
        super().add(repr(slot))


class _AcceptedBy:
    """One address's part of a delivery's _Accepted, for a destination that sends each address a notify of its own
    (Sender._email_each): its entries are kept under the address, so one address's accepted message is not
    another's. An entry noted before each address had its own notify (a delivery tried then, tried again now)
    still counts: it names its recipient already."""

    def __init__(self, accepted: _Accepted, address: str) -> None:
        self.accepted, self.prefix = accepted, f"{address}\0"

    def __contains__(self, slot: object) -> bool:
        return set.__contains__(self.accepted, self.prefix + repr(slot)) or slot in self.accepted

    def add(self, slot: object) -> None:
        set.add(self.accepted, self.prefix + repr(slot))


@contextlib.contextmanager
def _skipping_accepted(delivery: dict) -> Iterator[None]:
    """Apprise skips the targets that accepted this delivery at an earlier attempt, and notes who accepts now.

    A destination naming several targets (to=a,b) where one refuses is
    tried again: without this, each attempt sent the message again to the
    targets that had taken it.
    """
    from apprise.plugins.base import _delivery_tracker

    accepted = _Accepted(json.loads(delivery.get("accepted") or "[]"))
    token = _delivery_tracker.set(accepted)
    try:
        yield
    finally:
        _delivery_tracker.reset(token)
        delivery["accepted"] = json.dumps(sorted(accepted))


@contextlib.contextmanager
def sending_beside(db_path: str, *, poll: float = POLL) -> Iterator[Sender]:
    """A sender on a thread of this process, with a connection of its own, while the block runs (`watch`'s).

    Leaving the block stops it after the sends in flight are finished and
    recorded. Running beside another sender (`serve`'s) is safe: deliveries
    are leased, so each goes out once.
    """
    db = connect(db_path, create=False)
    stop = threading.Event()
    sender = Sender(db)
    thread = threading.Thread(target=sender.run, args=(stop,), kwargs={"poll": poll}, name="alerts", daemon=True)
    thread.start()
    try:
        yield sender
    finally:
        stop.set()
        thread.join()
        db.conn.close()


def prepare(plugin) -> None:
    """Our timeouts and rate limit instead of Apprise's (no sleeping inside a worker thread), and no redirects."""
    plugin.request_rate_per_sec = 0  # rate limits are per destination, in batch(); Apprise would sleep 5.5 s
    plugin.socket_connect_timeout = CONNECT_TIMEOUT
    plugin.socket_read_timeout = READ_TIMEOUT
    # A redirect would take the message to a host the address check never saw (the newsroom's own network):
    # a 3xx is a failed send, its status the reason.
    plugin.redirects = False
    _share_tls_context()


class _SharedContext:
    """A TLS context for Apprise's SMTP module: the one made once, until someone changes a setting on it.

    Apprise builds a new default context for every email, reading the CA bundle again: about 130 ms of CPU
    each time here, more than the SMTP exchange itself. Reads go to one context made once (a context is
    safe to share between connections and threads); a destination that turns verification off gets a
    context of its own at that moment, so the shared one is never weakened.
    """

    shared: ssl.SSLContext | None = None

    def __init__(self) -> None:
        object.__setattr__(self, "_own", None)

    def __getattr__(self, name: str):
        own = object.__getattribute__(self, "_own")
        if own is not None:
            return getattr(own, name)
        if _SharedContext.shared is None:
            _SharedContext.shared = ssl.create_default_context()
        return getattr(_SharedContext.shared, name)

    def __setattr__(self, name: str, value) -> None:
        if object.__getattribute__(self, "_own") is None:
            object.__setattr__(self, "_own", ssl.create_default_context())
        setattr(object.__getattribute__(self, "_own"), name, value)


_plain: contextvars.ContextVar[tuple[str, str] | None] = contextvars.ContextVar("email_plain_part", default=None)


@contextlib.contextmanager
def plain_part(page: str, plain: str | None) -> Iterator[None]:
    """An HTML email sent in this block gets `plain` as its plain-text part.

    Apprise writes the plain part of an HTML email from the HTML, which
    drops the <del> and <ins> of a change and leaves its words unmarked; the
    message's own plain text marks them [-removed-] [+added+].
    """
    if plain is None:
        yield
        return
    _own_plain_parts()
    token = _plain.set((page, plain))
    try:
        yield
    finally:
        _plain.reset(token)


@once
def _own_plain_parts() -> None:
    from apprise.common import NotifyFormat
    from apprise.plugins.email import base

    convert = base.convert_between

    def converted(source, target, content, *args, **kwargs):
        given = _plain.get()
        if given is not None and target == NotifyFormat.TEXT and content.strip() == given[0].strip():
            return given[1]
        return convert(source, target, content, *args, **kwargs)

    base.convert_between = converted


@once
def _share_tls_context() -> None:
    from apprise.plugins.email import smtp

    smtp.ssl = types.SimpleNamespace(
        **{k: getattr(ssl, k) for k in dir(ssl) if not k.startswith("__")},
    )
    smtp.ssl.create_default_context = _SharedContext


def send_pending(db: sqlite_utils.Database, clock=time.time) -> dict:
    """Route, batch and send everything that is ready now; {"sent": n, "failed": n}."""
    return Sender(db, clock=clock).send_pending()
