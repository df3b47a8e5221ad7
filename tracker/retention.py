"""How long the logs the tracker writes on its own are kept: the fetch log and the alert messages sent.

Every request a pass makes is a row in `fetches`, and every alert that went
out keeps its title and body in `alert_deliveries`; a newsroom's `watch`
polling fifty sources every ten minutes writes some 7,000 fetch rows a day,
and alert bodies copy claim text (internal notes, for internal
destinations) into a table nobody reads after a week. Left alone, both grow
for as long as the tracker runs. Rows older than KEEP_DAYS go, a batch at a
time, at the end of a scrape pass: nothing a reporter typed, no claim,
revision, capture or audit row is ever removed here, and a delivery still
pending is never touched.

Both tables are appended to in time order, so the oldest rows are the
lowest ids: a pass with nothing to prune reads one row per table.

The per-host pacing store (`host_pacing`, tracker/pacing.py) gets a row for
every host ever fetched, and a feed can link endless new subdomains; a row
whose wait ended more than PACING_KEPT seconds ago paces nothing and goes,
and so does a robots.txt kept (`robots_kept`) once it has expired.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlite_utils

from scrapers.timestamps import format_time
from tracker.db import transaction

KEEP_DAYS = 90
PACING_KEPT = 86_400.0  # seconds after a host's wait ended (Crawl-delay and Retry-After are capped at a day)
BATCH = 2000  # rows per transaction: the writer lock is held for milliseconds, not the whole clean-up


@dataclass
class Pruned:
    fetches: int = 0
    deliveries: int = 0
    hosts: int = 0


def prune(db: sqlite_utils.Database, at: datetime, *, keep_days: float = KEEP_DAYS, most: int = 50_000) -> Pruned:
    """Delete fetch-log rows and finished alert deliveries older than keep_days before `at` (at most `most` each)."""
    cutoff = format_time(at - timedelta(days=keep_days))
    pruned = Pruned()
    pruned.fetches = _oldest(db, "fetches", "at", cutoff, "", most)
    pruned.deliveries = _oldest(db, "alert_deliveries", "created_at", cutoff, " AND state != 'pending'", most)
    ended = at.timestamp() - PACING_KEPT
    if db.execute("SELECT 1 FROM host_pacing WHERE last_start_at + delay_seconds < ? LIMIT 1", [ended]).fetchone():
        with transaction(db):  # only then: a pass with nothing to remove takes no write lock for it
            pruned.hosts = db.execute(
                "DELETE FROM host_pacing WHERE last_start_at + delay_seconds < ?", [ended]
            ).rowcount
    if db.execute("SELECT 1 FROM robots_kept WHERE expires_at < ? LIMIT 1", [at.timestamp()]).fetchone():
        with transaction(db):
            db.execute("DELETE FROM robots_kept WHERE expires_at < ?", [at.timestamp()])
    return pruned


def _oldest(db: sqlite_utils.Database, table: str, column: str, cutoff: str, keep: str, most: int) -> int:
    """Delete the leading run of rows (by id) stamped before cutoff, BATCH at a time; how many went.

    Table, column and condition are this module's constants, never input.
    """
    deleted, after = 0, 0
    while deleted < most:
        old = db.execute(
            f"SELECT id, {column} FROM {table} WHERE id > ? ORDER BY id LIMIT ?", [after, min(BATCH, most - deleted)]
        ).fetchall()
        last = None
        for row_id, stamp in old:
            if stamp >= cutoff:
                break
            last = row_id
        if last is None:
            return deleted
        with transaction(db):
            deleted += db.execute(f"DELETE FROM {table} WHERE id > ? AND id <= ?{keep}", [after, last]).rowcount
        if last != old[-1][0]:  # reached rows inside the window: done
            return deleted
        after = last
    return deleted
