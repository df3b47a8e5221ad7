"""The request's database connection: opened on first use, closed when the request ends.

One connection per request keeps the editor's writes short and lets WAL serve
readers while the scraper writes; nothing is shared between threads.
"""

from __future__ import annotations

import sqlite_utils
from flask import current_app, g

from tracker.db import connect


def get_db() -> sqlite_utils.Database:
    """This request's connection to the working database."""
    if "db" not in g:
        g.db = connect(current_app.config["DATABASE"], create=False)
    return g.db


def close_db(exc: BaseException | None = None) -> None:
    db = g.pop("db", None)
    if db is not None:
        db.close()
