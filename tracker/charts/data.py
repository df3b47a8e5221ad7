"""The editor's chart rows: a story's coverage and claims over time, read from the working database.

The same columns as the public canned queries (`coverage_over_time`,
`claims_over_time` in metadata.yml), which read the public file: for a
story whose every claim is published and whose every item is cited, the
two give the same rows (tests/test_charts.py). The editor's charts show
everything the newsroom holds; the public ones, only what it published.
"""

from __future__ import annotations

import sqlite3
import threading
from collections import OrderedDict
from dataclasses import dataclass

import sqlite_utils

from tracker.charts.buckets import BUCKET_SQL, Unit, choose_unit
from tracker.db import path_of, rows

# When an item appeared: its publication date, else when we first saw it (as the public file dates it).
ITEM_DATE = "coalesce(c.published_at, c.first_seen_at)"

# An item is a copy when an item of its cluster was published before it: when it is not its cluster's original,
# the earliest (tracker/clusters.py; clusters are a story's own). One window over the story's items finds each
# cluster's original; asking every other member of the cluster, per item, grew with the square of a cluster's size.
# Statements are the organisation's own, counted apart.
COVERAGE_SQL = f"""
    WITH items AS (
        SELECT {ITEM_DATE} AS at, coalesce(c.outlet, '') AS outlet, c.kind, c.id, c.cluster_id,
               first_value(c.id) OVER (PARTITION BY c.cluster_id ORDER BY {ITEM_DATE}, c.id) AS original
        FROM coverage c WHERE c.story_id = :story
    )
    SELECT {BUCKET_SQL.format(col="at")} AS bucket, outlet,
           CASE WHEN kind = 'statement' THEN 'statement'
                WHEN cluster_id IS NOT NULL AND original != id THEN 'copy' ELSE 'report' END AS kind,
           count(*) AS items, :unit AS unit
    FROM items
    GROUP BY 1, 2, 3 ORDER BY 1, 3, 2
"""

# Running totals by status at the end of each bucket in which something changed, from per_bucket (bucket, status,
# n: the sum of the moves of that status in the bucket).
RUNNING_TOTALS = """
    SELECT bucket,
           sum(sum(CASE WHEN status = 'confirmed' THEN n ELSE 0 END)) OVER (ORDER BY bucket) AS confirmed,
           sum(sum(CASE WHEN status = 'denied' THEN n ELSE 0 END)) OVER (ORDER BY bucket) AS denied,
           sum(sum(CASE WHEN status = 'unclear' THEN n ELSE 0 END)) OVER (ORDER BY bucket) AS unclear,
           sum(sum(CASE WHEN status = 'unreviewed' THEN n ELSE 0 END)) OVER (ORDER BY bucket) AS unreviewed,
           :unit AS unit
    FROM per_bucket GROUP BY bucket ORDER BY bucket
"""

# A claim counts as unreviewed from when it was first reported (or logged), then moves with each ruling.
CLAIMS_SQL = f"""
    WITH started AS (
        SELECT c.id, min(coalesce(c.first_reported_at, c.created_at),
                         coalesce((SELECT min(h.at) FROM status_history h WHERE h.claim_id = c.id), '9999')) AS at
        FROM claims c WHERE c.story_id = :story
    ),
    moves AS (
        SELECT at, 'unreviewed' AS status, 1 AS n FROM started
        UNION ALL
        SELECT h.at, h.from_status, -1 FROM status_history h JOIN started s ON s.id = h.claim_id
        UNION ALL
        SELECT h.at, h.to_status, 1 FROM status_history h JOIN started s ON s.id = h.claim_id
    ),
    per_bucket AS (SELECT {BUCKET_SQL.format(col="at")} AS bucket, status, sum(n) AS n FROM moves GROUP BY 1, 2)
    {RUNNING_TOTALS}"""


# The story's first and last moment: its coverage, its claims' first reports and its rulings. Both charts
# share it (and so their unit), so a reader sees coverage and rulings on one time axis. Each part's least and
# greatest is its own query, so coverage and claims are each read at the two ends of an index on their date
# (coverage_story_published_key, claims_story_reported), not item by item.
SPAN_SQL = f"""
    SELECT min(first), max(last) FROM (
        SELECT (SELECT min({ITEM_DATE}) FROM coverage c WHERE c.story_id = :story) AS first,
               (SELECT max({ITEM_DATE}) FROM coverage c WHERE c.story_id = :story) AS last
        UNION ALL
        SELECT (SELECT min(coalesce(first_reported_at, created_at)) FROM claims WHERE story_id = :story),
               (SELECT max(coalesce(first_reported_at, created_at)) FROM claims WHERE story_id = :story)
        UNION ALL
        SELECT min(h.at), max(h.at) FROM status_history h JOIN claims c ON c.id = h.claim_id WHERE c.story_id = :story)
"""

# SPAN_SQL with the rulings' first and last as kept per story (0041_chart_tallies), not read from every ruling.
TALLIED_SPAN_SQL = SPAN_SQL.replace(
    "SELECT min(h.at), max(h.at) FROM status_history h JOIN claims c ON c.id = h.claim_id WHERE c.story_id = :story",
    "SELECT first, last FROM chart_ruling_spans WHERE story_id = :story",
)

# The same rows as COVERAGE_SQL and CLAIMS_SQL, from the counts the database keeps per story and hour (migration
# 0041_chart_tallies: triggers keep them in the transaction of every write they count). An hour, a day or a week is
# made of whole hours, so summing the hours gives each bucket; a story counted by the minute is counted bare.
TALLIED_COVERAGE_SQL = f"""
    SELECT {BUCKET_SQL.format(col="hour")} AS bucket, outlet, kind, sum(items) AS items, :unit AS unit
    FROM chart_coverage_tallies WHERE story_id = :story
    GROUP BY 1, 2, 3 HAVING sum(items) > 0 ORDER BY 1, 3, 2
"""

TALLIED_CLAIMS_SQL = f"""
    WITH per_bucket AS (
        SELECT {BUCKET_SQL.format(col="hour")} AS bucket, status, sum(n) AS n
        FROM chart_claim_tallies WHERE story_id = :story GROUP BY 1, 2 HAVING sum(moves) > 0
    )
    {RUNNING_TOTALS}"""
# Tallies are kept by the hour: units at least that coarse read them.
TALLIED_UNITS = ("hour", "day", "week")


@dataclass(frozen=True)
class StoryCharts:
    """The rows of both charts, with the story's span and the unit it called for."""

    unit: Unit
    span: tuple[str | None, str | None]
    coverage: list[dict]
    claims: list[dict]

    @property
    def size(self) -> int:
        return len(self.coverage) + len(self.claims)


def story_charts(db: sqlite_utils.Database, story_id: int) -> StoryCharts:
    """Both charts' rows for the editor: every item of coverage and every claim of the story."""
    span = tuple(db.execute(SPAN_SQL, {"story": story_id}).fetchone())
    unit = choose_unit(*span)
    params = {"story": story_id, "unit": unit.name}
    return StoryCharts(unit, span, rows(db, COVERAGE_SQL, params), rows(db, CLAIMS_SQL, params))


def tallied_story_charts(db: sqlite_utils.Database, story_id: int) -> StoryCharts:
    """story_charts()'s rows, read from the counts kept by the hour (a bare count for a story drawn by the minute,
    or a database opened read-only before the counts were kept)."""
    try:
        span = tuple(db.execute(TALLIED_SPAN_SQL, {"story": story_id}).fetchone())
    except sqlite3.OperationalError:  # no tallies to read: counted bare
        return story_charts(db, story_id)
    unit = choose_unit(*span)
    params = {"story": story_id, "unit": unit.name}
    if unit.name not in TALLIED_UNITS:
        return StoryCharts(unit, span, rows(db, COVERAGE_SQL, params), rows(db, CLAIMS_SQL, params))
    return StoryCharts(unit, span, rows(db, TALLIED_COVERAGE_SQL, params), rows(db, TALLIED_CLAIMS_SQL, params))


# Counted rows kept per process (each gunicorn worker has its own), for the stories most recently viewed, at most
# KEPT_ROWS rows in all, about 500 bytes each (10 MB a process). A story's rows are its buckets x outlets x kinds and
# its buckets of claims: 659 for bench/charts.py's 20,000 claims and 20,000 items from 40 outlets, so a few dozen
# stories fit; a story with more rows than that is counted on every view, as before.
KEPT_ROWS = 20_000
_kept: OrderedDict[tuple[str, int], tuple[int, StoryCharts]] = OrderedDict()
_kept_lock = threading.Lock()  # a worker's threads share _kept


def chart_mark(db: sqlite_utils.Database, story_id: int) -> int | None:
    """The story's chart mark (migration 0028): it changes with every write the charts count. None: no mark."""
    try:
        found = db.execute("SELECT mark FROM chart_marks WHERE story_id = ?", [story_id]).fetchone()
    except sqlite3.OperationalError:  # a database opened read-only before the migration: nothing to key by
        return None
    return found[0] if found else None


def kept_story_charts(db: sqlite_utils.Database, story_id: int) -> StoryCharts:
    """story_charts(), counted again only when the story's chart mark has changed since this process last counted.

    Always equal to a fresh count: the mark changes in the same transaction as
    any write to what the charts count, and rows are kept only when the mark
    read before counting is the mark read after (no write came in between).
    The rows returned are shared: read them, never change them.
    """
    path = path_of(db)
    mark = chart_mark(db, story_id) if path else None
    key = (path, story_id)
    if mark is not None:
        with _kept_lock:
            kept = _kept.get(key)
            if kept is not None and kept[0] == mark:
                _kept.move_to_end(key)
                return kept[1]
    found = tallied_story_charts(db, story_id)
    if mark is not None and found.size <= KEPT_ROWS and chart_mark(db, story_id) == mark:
        with _kept_lock:
            _kept[key] = (mark, found)
            _kept.move_to_end(key)
            while sum(charts.size for _, charts in _kept.values()) > KEPT_ROWS:
                _kept.popitem(last=False)
    return found
