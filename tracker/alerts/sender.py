"""Sending alerts: queued items become one message per destination, sent through Apprise, each one recorded.

A step of the sender:

1. route new events (tracker/alerts/router.py);
2. batch: every destination with items due, nothing in flight, not backing
   off and past its rate limit gets ONE delivery holding all its due items
   (a flood of events is one message, never thousands), written with the
   items it carries in one transaction that also takes them off the queue;
3. claim ready deliveries with a lease (owner and expiry written in one
   UPDATE), send them on a few threads (the network waits, not the CPU),
   and record each outcome: sent, or the error with a retry time that backs
   off per delivery and per destination; after MAX_ATTEMPTS it is failed
   for good and shown on the owner's account page.

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

import functools
import json
import logging
import os
import socket
import ssl
import threading
import time
import types
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import sqlite_utils

from tracker import config
from tracker.alerts import destinations, messages, router
from tracker.db import TrackerError, now, rows, transaction

LEASE_SECONDS = 120.0  # longer than the slowest send allowed (timeouts below), so a live lease is never taken
CONNECT_TIMEOUT = 10.0
READ_TIMEOUT = 15.0  # a webhook that has not answered by then has failed: retried later
MAX_ATTEMPTS = 8
MAX_EVENTS = 500  # events carried by one delivery; a longer backlog goes in the next
WORKERS = 4
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


def batch(db: sqlite_utils.Database, *, at: float | None = None, editor_url: str | None = None) -> int:
    """Make one delivery for every destination that has items due and may be sent to now; returns how many."""
    at = time.time() if at is None else at
    editor_url = editor_url or config.Settings.from_env().editor_url
    made = 0
    with transaction(db):
        ready = rows(
            db,
            """SELECT d.id, d.internal FROM alert_destinations d
               WHERE d.active = 1
                 AND EXISTS (SELECT 1 FROM alert_queue q WHERE q.destination_id = d.id AND q.due <= :at)
                 AND (d.retry_at IS NULL OR d.retry_at <= :at)
                 AND (d.last_sent IS NULL OR d.last_sent + 60.0 / d.per_minute <= :at)
                 AND NOT EXISTS (SELECT 1 FROM alert_deliveries x
                                 WHERE x.destination_id = d.id AND x.state = 'pending')""",
            {"at": at},
        )
        stamp = now()
        for destination in ready:
            events = rows(
                db,
                """SELECT e.id, e.kind, e.story_id, e.subject, e.payload, e.at, s.slug AS story_slug,
                          s.title AS story_title
                   FROM alert_queue q JOIN alert_events e ON e.id = q.event_id LEFT JOIN stories s ON s.id = e.story_id
                   WHERE q.destination_id = ? AND q.due <= ? ORDER BY e.id LIMIT ?""",
                [destination["id"], at, MAX_EVENTS],
            )
            message = messages.render(events, internal=bool(destination["internal"]), editor_url=editor_url)
            cur = db.execute(
                """INSERT INTO alert_deliveries (destination_id, title, body, events, next_attempt, created, created_at)
                   VALUES (?, ?, ?, ?, ?, ?, ?)""",
                [destination["id"], message.title, message.body, len(events), at, at, stamp],
            )
            ids = [e["id"] for e in events]
            db.conn.executemany(
                "INSERT INTO alert_delivery_events (delivery_id, event_id) VALUES (?, ?)",
                [(cur.lastrowid, i) for i in ids],
            )
            db.execute(
                "DELETE FROM alert_queue WHERE destination_id = ? AND event_id IN (SELECT value FROM json_each(?))",
                [destination["id"], json.dumps(ids)],
            )
            made += 1
    return made


def claim(db: sqlite_utils.Database, owner: str, limit: int, *, at: float | None = None) -> list[dict]:
    """Lease up to `limit` ready deliveries to `owner`, counting the attempt; what to send."""
    at = time.time() if at is None else at
    if limit <= 0:
        return []
    with transaction(db):
        return rows(
            db,
            """UPDATE alert_deliveries SET lease_owner = :owner, lease_until = :until, attempts = attempts + 1
               WHERE id IN (SELECT id FROM alert_deliveries
                            WHERE state = 'pending' AND next_attempt <= :at
                              AND (lease_until IS NULL OR lease_until < :at)
                            ORDER BY next_attempt, id LIMIT :limit)
               RETURNING id, destination_id, title, body, attempts""",
            {"owner": owner, "until": at + LEASE_SECONDS, "at": at, "limit": limit},
        )


def record(db: sqlite_utils.Database, delivery: dict, error: str | None, *, at: float | None = None) -> None:
    """The outcome of one send: sent, or the error with its retry (or, after MAX_ATTEMPTS, failed for good)."""
    at = time.time() if at is None else at
    stamp = now()
    with transaction(db):
        if error is None:
            db.execute(
                """UPDATE alert_deliveries SET state = 'sent', sent = ?, sent_at = ?, last_error = NULL,
                       lease_owner = NULL, lease_until = NULL WHERE id = ?""",
                [at, stamp, delivery["id"]],
            )
            db.execute(
                """UPDATE alert_destinations SET failures = 0, retry_at = NULL, last_sent = ?, last_ok_at = ?
                   WHERE id = ?""",
                [at, stamp, delivery["destination_id"]],
            )
            return
        final = delivery["attempts"] >= MAX_ATTEMPTS
        db.execute(
            """UPDATE alert_deliveries SET state = ?, next_attempt = ?, last_error = ?, lease_owner = NULL,
                   lease_until = NULL WHERE id = ?""",
            ["failed" if final else "pending", at + backoff(delivery["attempts"]), error[:500], delivery["id"]],
        )
        db.execute(
            """UPDATE alert_destinations SET failures = failures + 1,
                   retry_at = ? + min(3600.0, 15.0 * (1 << min(failures, 8))),
                   last_error = ?, last_error_at = ? WHERE id = ?""",
            [at, error[:500], stamp, delivery["destination_id"]],
        )


class _Errors(logging.Handler):
    """What Apprise logged as a warning or error on this thread during one send: the reason it failed."""

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
    """Routes, batches, claims and sends, one step at a time; `run` loops, `send_pending` drains what is ready."""

    db: sqlite_utils.Database
    workers: int = WORKERS
    editor_url: str = field(default_factory=lambda: config.Settings.from_env().editor_url)
    clock: object = time.time
    owner: str = field(default_factory=owner_id)

    def __post_init__(self) -> None:
        self.pool = ThreadPoolExecutor(max_workers=self.workers, thread_name_prefix="alerts-send")
        self.in_flight: dict[Future, dict] = {}
        self.plugins: dict[int, tuple[bytes, object]] = {}
        self.errors = _Errors()
        logging.getLogger("apprise").addHandler(self.errors)
        self.guard = None
        self.sent = self.failed = 0
        release_dead_leases(self.db)

    def close(self) -> None:
        for future in list(self.in_flight):
            future.result()
        self.collect(0)
        self.pool.shutdown(wait=True)
        logging.getLogger("apprise").removeHandler(self.errors)

    def step(self, timeout: float = 0.0) -> bool:
        """One round; True when it did anything (routed, batched, claimed or recorded)."""
        at = self.clock()
        did = router.route(self.db) > 0
        did |= batch(self.db, at=at, editor_url=self.editor_url) > 0
        for delivery in claim(self.db, self.owner, self.workers * 2 - len(self.in_flight), at=at):
            try:
                plugin = self._plugin(delivery["destination_id"])
            except TrackerError as e:
                record(self.db, delivery, str(e), at=self.clock())
                self.failed += 1
                continue
            self.in_flight[self.pool.submit(self._send, plugin, delivery)] = delivery
            did = True
        did |= self.collect(timeout) > 0
        return did

    def collect(self, timeout: float) -> int:
        """Record the sends that finished (waiting up to `timeout` for the first); how many were recorded."""
        if not self.in_flight:
            return 0
        done, _ = wait(list(self.in_flight), timeout=timeout, return_when=FIRST_COMPLETED)
        for future in done:
            delivery = self.in_flight.pop(future)
            error = future.result()
            record(self.db, delivery, error, at=self.clock())
            if error is None:
                self.sent += 1
            else:
                self.failed += 1
        return len(done)

    def run(self, stop: threading.Event, poll: float = 0.5) -> None:
        """Step until `stop` is set: busy, it keeps going; idle, it looks for new events every `poll` seconds."""
        try:
            while not stop.is_set():
                if not self.step(timeout=0.05 if self.in_flight else 0.0):
                    stop.wait(poll)
        finally:
            self.close()

    def send_pending(self) -> dict:
        """Everything ready now, then stop (for cron); rate-limited and digest items wait for the next run."""
        while self.step(timeout=0.2) or self.in_flight:
            pass
        self.close()
        return {"sent": self.sent, "failed": self.failed}

    def _plugin(self, destination_id: int):
        """Apprise's notifier for a destination, made once per sender and URL (it parses the URL)."""
        sealed = self.db.execute("SELECT url_secret FROM alert_destinations WHERE id = ?", [destination_id]).fetchone()
        cached = self.plugins.get(destination_id)
        if cached and cached[0] == sealed[0]:
            return cached[1]
        url = destinations.url_of(self.db, destination_id)
        plugin = destinations.plugin_for(url)
        if plugin is None:
            raise TrackerError("Apprise no longer understands this destination's URL; remove it and add it again.")
        prepare(plugin)
        plugin.tracker_host = urlsplit(url).hostname if url.split("://")[0] in destinations.SELF_HOSTED else None
        self.plugins[destination_id] = (sealed[0], plugin)
        return plugin

    def _send(self, plugin, delivery: dict) -> str | None:
        """Send one delivery on a worker thread; None when accepted, else why not (one line)."""
        found = self.errors.capture()
        try:
            if plugin.tracker_host:
                destinations.guard_host(f"x://{plugin.tracker_host}")
            if hasattr(plugin, "headers"):
                plugin.headers[DELIVERY_HEADER] = str(delivery["id"])
            if plugin.notify(body=delivery["body"], title=delivery["title"], body_format="text"):
                return None
        except TrackerError as e:
            return str(e)
        except Exception as e:  # a plugin's own bug must fail this delivery, not the sender
            log.exception("alert delivery %s raised", delivery["id"])
            return f"{type(e).__name__}: {e}"
        reason = "; ".join(dict.fromkeys(found)) or "the destination did not accept the message"
        return reason[:500]


def prepare(plugin) -> None:
    """Our timeouts and rate limit instead of Apprise's: no sleeping between sends inside a worker thread."""
    plugin.request_rate_per_sec = 0  # rate limits are per destination, in batch(); Apprise would sleep 5.5 s
    plugin.socket_connect_timeout = CONNECT_TIMEOUT
    plugin.socket_read_timeout = READ_TIMEOUT
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


@functools.cache
def _share_tls_context() -> None:
    from apprise.plugins.email import smtp

    smtp.ssl = types.SimpleNamespace(
        **{k: getattr(ssl, k) for k in dir(ssl) if not k.startswith("__")},
    )
    smtp.ssl.create_default_context = _SharedContext


def send_pending(db: sqlite_utils.Database, clock=time.time) -> dict:
    """Route, batch and send everything that is ready now; {"sent": n, "failed": n}."""
    return Sender(db, clock=clock).send_pending()
