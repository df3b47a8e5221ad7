"""Login rate-limit counters in the tracker's own database, for Flask-Limiter.

The editor is served by several worker processes (tracker/serve.py). The
limits library's memory storage counts in each process apart, which would
multiply the attempts a password guesser gets by the number of workers, and
its shared storages need a Redis or Memcached server. The counters live in a
small table instead (migration 0008_login_limits), written through the same
writer lock as everything else. Only login attempts are limited, so this is
a handful of writes a minute, never on a page load.

Registered with `limits` under the scheme below: Flask-Limiter builds it from
RATELIMIT_STORAGE_URI = "tracker-sqlite:///path/to/tracker.db".
"""

from __future__ import annotations

import contextlib
import sqlite3
import time
from collections.abc import Iterator

import sqlite_utils
from limits.storage import Storage

from tracker.db import NotFound, transaction
from tracker.editor.db import open_database

SCHEME = "tracker-sqlite"


def storage_uri(database: str) -> str:
    return f"{SCHEME}:///{database}"


class TrackerStorage(Storage):
    """Fixed-window counters (Flask-Limiter's default strategy) in table login_limits."""

    STORAGE_SCHEME = [SCHEME]

    def __init__(self, uri: str, wrap_exceptions: bool = False, **options: object) -> None:
        self.path = uri.split("://", 1)[1][1:]
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)

    @property
    def base_exceptions(self) -> type[Exception]:
        return sqlite3.Error

    @contextlib.contextmanager
    def _db(self) -> Iterator[sqlite_utils.Database]:
        # A connection per call: login attempts are rare, and a worker process or
        # thread never inherits another's connection this way.
        db = open_database(self.path)
        try:
            yield db
        finally:
            db.close()

    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        now = time.time()
        with self._db() as db, transaction(db):
            db.execute("DELETE FROM login_limits WHERE expires_at <= ?", [now])
            return db.execute(
                """INSERT INTO login_limits (key, hits, expires_at) VALUES (?, ?, ?)
                   ON CONFLICT (key) DO UPDATE SET hits = hits + excluded.hits
                   RETURNING hits""",
                [key, amount, now + expiry],
            ).fetchone()[0]

    def get(self, key: str) -> int:
        row = self._row(key)
        return row[0] if row else 0

    def get_expiry(self, key: str) -> float:
        row = self._row(key)
        return row[1] if row else time.time()

    def _row(self, key: str) -> tuple[int, float] | None:
        with self._db() as db:
            return db.execute(
                "SELECT hits, expires_at FROM login_limits WHERE key = ? AND expires_at > ?", [key, time.time()]
            ).fetchone()

    def check(self) -> bool:
        try:
            with self._db() as db:
                db.execute("SELECT 1 FROM login_limits LIMIT 1")
        except (sqlite3.Error, NotFound):
            return False
        return True

    def reset(self) -> int | None:
        with self._db() as db, transaction(db):
            return db.execute("DELETE FROM login_limits").rowcount

    def clear(self, key: str) -> None:
        with self._db() as db, transaction(db):
            db.execute("DELETE FROM login_limits WHERE key = ?", [key])
