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

from tracker.db import connect


def get_db() -> sqlite_utils.Database:
    """This request's connection to the working database."""
    if "db" not in g:
        app = current_app._get_current_object()  # type: ignore[attr-defined]
        if app.config.get("DB_POOL"):
            g.db = _pooled(app)
            g.db_pooled = True
        else:
            g.db = connect(app.config["DATABASE"], create=False)
            g.db_pooled = False
    return g.db


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
        db = connect(app.config["DATABASE"], create=False)
        local.db, local.path = db, app.config["DATABASE"]
    return db
