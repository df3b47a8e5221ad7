"""Open the working database the same way everywhere.

WAL lets the editor read while the scraper writes; the busy timeout makes a
second writer wait instead of failing with "database is locked"; foreign keys
are off by default in SQLite and we rely on them.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path

import sqlite_utils

from scrapers.timestamps import utc_now

try:
    import fcntl
except ImportError:  # Windows: SQLite's busy handler alone keeps writers apart there
    fcntl = None

BUSY_TIMEOUT_MS = 5000


class TrackerError(Exception):
    """Base class for errors a user can act on; the CLI and editor show the message."""

    status_code = 400


class NotFound(TrackerError):
    status_code = 404


def connect(path: str | Path, *, create: bool = True) -> sqlite_utils.Database:
    """Open `path` with WAL, foreign keys and a busy timeout.

    With create=False a missing file raises NotFound instead of quietly
    creating an empty database.
    """
    path = Path(path)
    if not create and not path.exists():
        raise NotFound(f"No database at {path}: run `python -m tracker init --db {path}` first.")
    if create:
        path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False)
    db = sqlite_utils.Database(conn)
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA foreign_keys = ON")
    if conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
        conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = NORMAL")
    return db


@contextlib.contextmanager
def transaction(db: sqlite_utils.Database) -> Iterator[sqlite_utils.Database]:
    """A short write transaction that takes the write lock up front.

    BEGIN IMMEDIATE avoids the deadlock where two readers both try to upgrade
    to writers; nested calls become savepoints so domain functions compose.
    """
    conn = db.conn
    if conn.in_transaction:
        # One name for every level: ROLLBACK TO and RELEASE act on the most recent savepoint of that
        # name, the innermost. A fresh name per call would be a new statement to compile each time,
        # and would push the queries in sqlite3's statement cache out.
        conn.execute("SAVEPOINT tracker_nested")
        try:
            yield db
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK TO SAVEPOINT tracker_nested")
                conn.execute("RELEASE SAVEPOINT tracker_nested")
            raise
        else:
            conn.execute("RELEASE SAVEPOINT tracker_nested")
        return
    with writer_lock(db):
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield db
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        else:
            conn.execute("COMMIT")


class WriterLock:
    """The queue a database file's writers wait in, across threads and processes.

    SQLite lets one writer in at a time; a second one waits in its busy
    handler, which sleeps in steps of up to 100 ms however soon the lock
    frees. Writers queue here instead and go in the moment the writer before
    them commits: threads of one process on a lock, processes (the editor's
    workers, a scrape) on an flock() of a file beside the database, which
    the kernel hands over at once and releases if its holder is killed.
    transaction() takes it; so does anything else that opens a write
    transaction itself (the group commit of tracker/scrape/rechecks.py). Re-entrant: only
    the outermost level locks the file.
    """

    def __init__(self, path: str) -> None:
        self.path = f"{path}-lock"
        self._thread_lock = threading.RLock()
        self._depth = 0
        self._fd: int | None = None

    def __enter__(self) -> WriterLock:
        self._thread_lock.acquire()
        if self._depth == 0 and fcntl is not None:
            try:
                if self._fd is None:
                    self._fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
                fcntl.flock(self._fd, fcntl.LOCK_EX)
            except OSError:
                # A read-only directory or a file system without flock: SQLite's busy handler still
                # keeps writers apart, only less promptly.
                self._fd = None
        self._depth += 1
        return self

    def __exit__(self, *exc: object) -> None:
        self._depth -= 1
        if self._depth == 0 and self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
        self._thread_lock.release()


_WRITER_LOCKS: dict[str, WriterLock] = {}
_LOCKS_GUARD = threading.Lock()


def _forget_locks_after_fork() -> None:
    # A forked child shares its parent's open lock files, and flock() counts them as one holder.
    _WRITER_LOCKS.clear()


os.register_at_fork(after_in_child=_forget_locks_after_fork)


def writer_lock(db: sqlite_utils.Database) -> WriterLock | contextlib.nullcontext:
    """The WriterLock of db's file (nothing to lock for an in-memory database)."""
    lock = getattr(db, "_tracker_writer_lock", None)
    if lock is None:
        path = next((row[2] for row in db.conn.execute("PRAGMA database_list") if row[1] == "main"), "")
        if not path:  # an in-memory or temporary database: no other connection can write to it
            lock = contextlib.nullcontext()
        else:
            real = os.path.realpath(path)
            with _LOCKS_GUARD:
                lock = _WRITER_LOCKS.setdefault(real, WriterLock(real))
        db._tracker_writer_lock = lock
    return lock


def marks(values) -> str:
    """One `?` per value, comma-separated: the placeholders of an IN (...) list."""
    return ", ".join("?" for _ in values)


def now() -> str:
    """UTC timestamp as ISO 8601 text, the one format every table stores."""
    return utc_now()


def backup(db: sqlite_utils.Database, dest: str | Path) -> Path:
    """A consistent copy of a live database, safe while others write."""
    dest = Path(dest)
    if dest.exists():
        raise TrackerError(f"{dest} already exists; choose a new path for the backup.")
    dest.parent.mkdir(parents=True, exist_ok=True)
    db.execute("VACUUM INTO ?", [str(dest)])
    return dest


def rows(db: sqlite_utils.Database, sql: str, params: dict | list | tuple = ()) -> list[dict]:
    """Run a parameterized query and return its rows as dicts."""
    cur = db.execute(sql, params)
    cols = [d[0] for d in cur.description]
    return [dict(zip(cols, r)) for r in cur.fetchall()]


def one(db: sqlite_utils.Database, sql: str, params: dict | list | tuple = ()) -> dict | None:
    """The first row of a parameterized query as a dict, or None."""
    cur = db.execute(sql, params)
    row = cur.fetchone()
    return None if row is None else dict(zip([d[0] for d in cur.description], row))
