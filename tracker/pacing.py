"""Each host's latest request start, kept in the working database so politeness outlives a process.

The fetcher (scrapers/http/fetcher.py) paces requests to a host from the
previous request's start. Kept in memory alone, that distance was lost when
`watch` restarted (its first request to a host could follow the last one of
the previous run at once), and two processes (a `watch` and a `scrape`) did
not see each other's requests. HostPacing is the fetcher's PacingStore: each
request's start is claimed here, in a short transaction of its own, before
the request is sent (a process killed right after still leaves its claim),
and a claim waits for any earlier one's delay.

It has its own connection: the fetch workers claim from their threads while
the scrape pass's connection may be inside a write transaction.

It is the fetcher's RobotsStore too: the robots.txt answers read (table
robots_kept), so a `scrape` run from cron does not spend its first request
to each site on robots.txt again; past a Crawl-delay longer than a pass
waits, that request was the only one such a site ever got.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections.abc import Callable
from pathlib import Path

from tracker.db import connect, transaction

# A delay is kept at least this long after the claim that raised it: a Crawl-delay seen before a
# restart holds for the robots.txt request of the next run too, until robots.txt is old enough to
# be read again (the fetcher keeps it an hour).
DELAY_MEMORY = 3600.0
# Added to another claimant's claim: the time between its claim and its request really leaving.
CLAIM_MARGIN = 0.05
# Origins whose robots.txt is kept, the latest to expire: a parsed robots.txt is large, and a feed can
# link a thousand subdomains of one hostile site, each with 500 kB of robots.txt.
ROBOTS_KEPT = 128


class HostPacing:
    """The fetcher's store of request starts per host, in the host_pacing table."""

    def __init__(self, db_path: str | Path) -> None:
        self.db_path = str(db_path)
        self.claimant = secrets.token_hex(8)  # this process's claims, told apart from others'
        self._db = None
        self._lock = threading.Lock()

    def reserve(self, host: str, delay: float, now: Callable[[], float] = time.time) -> float | None:
        """Claim a request to host starting now; None when claimed, else the wall time to wait for.

        `now` is read inside the write transaction, so the claim is the
        moment the request goes out give or take the commit. Only another
        claimant's claim gets CLAIM_MARGIN on top, for that commit and its
        trip back: this process's own requests are paced exactly in memory.
        """
        with self._lock:
            db = self._open()
            delay = min(delay, DELAY_MEMORY)  # as hold(): a day-long Crawl-delay must not keep robots.txt unread
            with transaction(db):
                start = now()
                row = db.execute(
                    "SELECT last_start_at, delay_seconds, claimed_by FROM host_pacing WHERE host = ?", [host]
                ).fetchone()
                if row is not None:
                    last, last_delay, claimant = row
                    if last > start:
                        # A claim later than now was made before the clock was set back (NTP, a restored VM):
                        # it counts from now, so it holds its delay and not the time the clock stepped as well.
                        last = start
                        db.execute("UPDATE host_pacing SET last_start_at = ? WHERE host = ?", [last, host])
                    margin = 0.0 if claimant == self.claimant else CLAIM_MARGIN
                    if start < last + last_delay + margin:
                        return last + last_delay + margin
                    if start - last < DELAY_MEMORY:
                        delay = max(delay, last_delay)
                db.execute(
                    """INSERT INTO host_pacing (host, last_start_at, delay_seconds, claimed_by) VALUES (?, ?, ?, ?)
                       ON CONFLICT (host) DO UPDATE SET last_start_at = excluded.last_start_at,
                           delay_seconds = excluded.delay_seconds, claimed_by = excluded.claimed_by""",
                    [host, start, delay, self.claimant],
                )
            return None

    def hold(self, host: str, delay: float) -> None:
        """The latest claim on host holds `delay` (robots.txt, read once claimed, asks it), an hour at most.

        At most DELAY_MEMORY: robots.txt is read again after that long, and
        its request must not be kept back by the delay the old file asked.
        """
        with self._lock:
            db = self._open()
            with transaction(db):
                db.execute(
                    "UPDATE host_pacing SET delay_seconds = MAX(delay_seconds, ?) WHERE host = ?",
                    [min(delay, DELAY_MEMORY), host],
                )

    def load_robots(self, origin: str) -> tuple[bytes | None, float] | None:
        """The robots.txt kept for origin (None: there was none) and its expiry (wall time), if one is kept."""
        with self._lock:
            row = self._open().execute("SELECT body, expires_at FROM robots_kept WHERE origin = ?", [origin]).fetchone()
        return (row[0], row[1]) if row is not None else None

    def save_robots(self, origin: str, body: bytes | None, expires_at: float) -> None:
        """Keep origin's robots.txt until expires_at; only the ROBOTS_KEPT latest to expire are kept."""
        with self._lock:
            db = self._open()
            with transaction(db):
                db.execute(
                    """INSERT INTO robots_kept (origin, body, expires_at) VALUES (?, ?, ?)
                       ON CONFLICT (origin) DO UPDATE SET body = excluded.body, expires_at = excluded.expires_at""",
                    [origin, body, expires_at],
                )
                db.execute(
                    """DELETE FROM robots_kept WHERE origin NOT IN
                       (SELECT origin FROM robots_kept ORDER BY expires_at DESC LIMIT ?)""",
                    [ROBOTS_KEPT],
                )

    def close(self) -> None:
        with self._lock:
            if self._db is not None:
                self._db.close()
                self._db = None

    def _open(self):
        if self._db is None:
            self._db = connect(self.db_path, create=False)
        return self._db
