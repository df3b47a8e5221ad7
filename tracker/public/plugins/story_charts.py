"""Datasette hook for the charts on the public story page: coverage over time and claims by status.

Built from the public file only, through the canned queries
`coverage_over_time` and `claims_over_time` (metadata.yml), so the chart a
reader sees is made of exactly the rows they can download as JSON and CSV
under it, and nothing unpublished can reach it: the public file holds only
published claims, their public history and the coverage they cite.

Unlike the other plugins here, this one imports from the project: the
drawing (tracker/charts/render.py, pygal) is the editor's too, and one
chart should not be drawn two ways. render.py and buckets.py import only
pygal, lxml and the standard library. Where they cannot be imported (a
deployment that ships only this folder), the page shows the data links
without the drawings. A chart whose query fails (a public file published
by an older version, without the table it reads, until the next publish;
a query past the time limit) is left out: the rest of the page stands.

A chart is drawn on a thread of a small pool of its own (DRAWING), not in
the server's event loop: a story's first draw took 0.4 s, and every other
request to the process (a cached page, a table, a static file) waited for it.
"""

from __future__ import annotations

import asyncio
import sqlite3
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from urllib.parse import urlencode

from datasette import hookimpl
from datasette.database import QueryInterrupted

UNDRAWABLE = (sqlite3.Error, QueryInterrupted)

DATABASE = "public"
QUERIES = (("coverage", "coverage_over_time"), ("claims", "claims_over_time"))
# The public table each chart's rows are counted into at publish (tracker/public_tables.py): a table's CSV
# streams every row, where a query answers at most max_returned_rows.
TABLES = {"coverage": "coverage_counts", "claims": "claim_status_counts"}
# The story's first and last moment in the public file: both charts share it, as on the dashboard. Counted at
# publish (story_spans); SPAN is how a public file from before that is read.
COUNTED_SPAN = "select first, last from story_spans where story = :story"
SPAN = """select min(at), max(at) from (
              select published_at as at from coverage where story = :story
              union all
              select first_reported_at from claims where story = :story
              union all
              select h.at from status_history h join claims c on c.id = h.claim_id where c.story = :story)"""
# Charts drawn at once, each on a thread: two, as the machine's cores (pygal holds the interpreter lock as it
# draws, so more would not draw faster); a third story page's draw waits its turn, the event loop never does.
DRAWING = ThreadPoolExecutor(max_workers=2, thread_name_prefix="chart-draw")


def _drawn(render, draw, rows, unit, key, scope, span, downloads):
    return render.figure(draw(rows, unit, f"public-{key}", scope=scope, span=span), downloads)


async def _first_row(datasette, sql: str, params: dict) -> tuple:
    result = await datasette.get_database(DATABASE).execute(sql, params)
    return tuple(result.rows[0]) if result.rows else ()


async def _span(datasette, slug: str) -> tuple:
    """The story's span as counted at publish, else (a public file from before story_spans) found by SPAN."""
    if await datasette.get_database(DATABASE).table_exists("story_spans"):
        return await _first_row(datasette, COUNTED_SPAN, {"story": slug}) or (None, None)
    return await _first_row(datasette, SPAN, {"story": slug}) or (None, None)


async def story_charts(datasette, slug) -> list[dict]:
    """Each chart of a published story: its figure markup (or None) and the links to its rows as data."""
    if DATABASE not in datasette.databases or not isinstance(slug, str):
        return []
    try:
        from tracker.charts import buckets, render
    except ImportError:  # a deployment without the project: the data links still work
        buckets = render = None
    charts = []
    try:
        span = await _span(datasette, slug)
    except UNDRAWABLE:
        return []
    unit = buckets.choose_unit(*span).name if buckets and span[0] else "day"
    params = {"story": slug, "unit": unit}
    for key, query in QUERIES:
        canned = await datasette.get_canned_query(DATABASE, query, None)
        if canned is None:
            continue
        base = datasette.urls.path(f"/{DATABASE}/{query}")
        downloads = [
            ("JSON", f"{base}.json?{urlencode({**params, '_shape': 'array'})}"),
            ("CSV", f"{base}.csv?{urlencode({**params, '_size': 'max', '_dl': '1'})}"),
        ]
        figure = None
        try:
            result = await datasette.get_database(DATABASE).execute(canned["sql"], params)
        except UNDRAWABLE:
            continue
        most = datasette.setting("max_returned_rows")
        if len(result.rows) > most:
            # The query's JSON and CSV would stop at `most` rows without a word: say so, and offer every row.
            table = datasette.urls.path(f"/{DATABASE}/{TABLES[key]}")
            columns = [("_col", c) for c in result.columns]
            every = urlencode(
                [("story", slug), ("unit", unit), *columns, ("_stream", "on"), ("_size", "max"), ("_dl", "1")]
            )
            downloads = [
                (f"JSON (only the first {most:,} of its {len(result.rows):,} rows)", downloads[0][1]),
                (f"CSV (all {len(result.rows):,} rows)", f"{table}.csv?{every}"),
            ]
        if render is not None:
            rows = [dict(zip(result.columns, row)) for row in result.rows]
            draw = render.coverage_chart if key == "coverage" else render.claims_chart
            scope = "coverage our published claims cite" if key == "coverage" else "published claims"
            drawing = partial(_drawn, render, draw, rows, unit, key, scope, span, downloads)
            figure = await asyncio.get_running_loop().run_in_executor(DRAWING, drawing)
        charts.append({"key": key, "figure": figure, "downloads": downloads})
    return charts


@hookimpl
def extra_template_vars(datasette):
    async def load(slug) -> list[dict]:
        return await story_charts(datasette, slug)

    return {"story_charts": load}
