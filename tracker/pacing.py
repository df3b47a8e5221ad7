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

    def close(self) -> None:
        with self._lock:
            if self._db is not None:
                self._db.close()
                self._db = None

    def _open(self):
        if self._db is None:
            self._db = connect(self.db_path, create=False)
        return self._db
