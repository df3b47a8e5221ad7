"""The request's database connection: one per server thread, reused from request to request.

Opening a connection costs more than most pages (SQLite reads and parses the
whole schema on first use), so each of the server's threads keeps its own and
reuses it; nothing is shared between threads. A request never leaves a
transaction open: whatever it did not commit is rolled back when it ends, so
the next request on that thread starts clean and WAL readers never pin an old
snapshot. With DB_POOL off (the test suite's default) each request opens and
closes its own connection, as before.
"""

from __future__ import annotations

import threading

import sqlite_utils
from flask import Flask, current_app, g

from tracker.db import connect, opens_read_only

# SQLite checkpoints the WAL inside the COMMIT that crosses this many pages, and every
# writer queued behind it waits while it syncs: about 10 ms at 250 pages, 30 ms at the
# default 1,000 and 70 ms at 4,000 (measured on a 100,000-claim database). Editors'
# writes are small and someone is waiting on each, so the editor checkpoints often.
AUTOCHECKPOINT_PAGES = 250


def get_db() -> sqlite_utils.Database:
    """This request's connection to the working database.

    A database this account cannot write (a copy on a read-only share, a
    read-only file: tracker.db.opens_read_only) is opened read-only for each
    request, never kept: such a connection may read the file as unchanging
    (tracker.db.read_only_uri), which holds for one request, and a writer
    that opens it meanwhile is then noticed at the next.
    """
    if "db" not in g:
        app = current_app._get_current_object()  # type: ignore[attr-defined]
        if app.config.get("DB_POOL") and not opens_read_only(app.config["DATABASE"]):
            g.db = _pooled(app)
            g.db_pooled = True
        else:
            g.db = _open(app)
            g.db_pooled = False
    return g.db


def open_database(path: str) -> sqlite_utils.Database:
    """The working database as the editor opens it: read-only where this account cannot write it
    (tracker.db.opens_read_only), so pages and search still answer and every change is refused as
    read-only; else as usual. Opened as usual, SQLite could not read a database in a read-only folder at
    all (it needs a -shm beside it), and made a -wal and -shm beside a read-only file in a writable one."""
    if opens_read_only(path):
        return connect(path, readonly=True)
    return connect(path, create=False)


def close_db(exc: BaseException | None = None) -> None:
    db = g.pop("db", None)
    if db is None:
        return
    if g.pop("db_pooled", False):
        if db.conn.in_transaction:
            db.conn.rollback()
    else:
        db.close()


def _pooled(app: Flask) -> sqlite_utils.Database:
    local = app.extensions.setdefault("tracker_db_local", threading.local())
    db = getattr(local, "db", None)
    if db is None or getattr(local, "path", None) != app.config["DATABASE"]:
        db = _open(app)
        local.db, local.path = db, app.config["DATABASE"]
    return db


def _open(app: Flask) -> sqlite_utils.Database:
    db = open_database(app.config["DATABASE"])
    db.conn.execute(f"PRAGMA wal_autocheckpoint = {AUTOCHECKPOINT_PAGES}")
    # What people type is synced to the disk before the page says it is saved. The scraper's NORMAL (the
    # default of tracker.db) survives a killed process, not a power cut or a kernel panic, which may take
    # the last commits back; a page can be fetched again, a reporter's claim or an editor's ruling cannot.
    db.conn.execute("PRAGMA synchronous = FULL")
    return db
