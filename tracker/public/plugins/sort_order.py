"""A sorted table page's first page ends its ORDER BY with the table's key, as its later pages do.

Datasette 0.65 orders the first page of a sorted table by the sort column
alone, and every later page (a `_next` link, each part of a streamed CSV)
by the column and then the key, starting after the last row's (value, key).
Rows tied on the column come in whatever order SQLite's plan gives them (an
index on `date DESC` read backwards for an ascending sort gives them by key
descending), so when the first page ended inside a run of ties, some rows
were sent twice and others never, with no error: `events.json?_sort=date`
paged seven at a time gave 8 of 259 events; a streamed CSV of 60,000 quotes
sorted by stance, 40,999 rows. Every table here has a default sort
(metadata.yml), so the site's own "every claim" and "every event" downloads
were exposed wherever dates tie (a day-only date ties often).

`tiebroken` is called by query_limits.py's `Database.execute` for every
query, on Datasette's threads and in the SQL workers alike; it changes only
the SQL Datasette writes for a table's rows (TABLE_PAGE, set by
query_limits.py for a table's address), never a facet's or a count's, nor a
visitor's own `?sql=`, even one written exactly as Datasette writes a page.
The table's key is looked up by one schema lookup (`execute_fn`), which stays
on Datasette's threads: on a `_where=` page it is neither sent to a worker nor
charged to the visitor's SQL budget.

Loaded by Datasette from --plugins-dir as a bare module, so it imports
nothing from `tracker`.
"""

from __future__ import annotations

import contextvars
import re

from datasette.utils import detect_primary_keys, escape_sqlite

NAME = r"(?:\[[^\]]+\]|[A-Za-z_][A-Za-z0-9_]*)"
# Datasette's table-rows SQL (datasette/views/table.py): "select COLUMNS from TABLE WHERE ORDER BY limit N OFFSET",
# its WHERE either empty or "where ... " (a `_where=` clause ends "\n)", where_clauses.py). Anchored at its end, so
# an `order by` inside a clause's subquery is never the one read.
PAGE_SQL = re.compile(
    rf"^select .+? from (?P<table>{NAME}) (?:where .* )?(?P<order>order by (?P<term>{NAME})(?: desc)?) "
    r"limit \d+(?: offset \d+)?$",
    re.S,
)

# True while a table's page (/DATABASE/TABLE, any format) is answered.
TABLE_PAGE: contextvars.ContextVar = contextvars.ContextVar("newsroom_table_page", default=False)


def table_keys(conn, table: str) -> list[str] | None:
    """`table`'s primary key columns ([] for a rowid table), or None when it is no table (a view)."""
    if conn.execute("select 1 from sqlite_master where type='table' and name=?", (table,)).fetchone() is None:
        return None
    return detect_primary_keys(conn, table)


async def tiebroken(database, sql: str) -> str:
    """`sql` with the table's key after its one sort column, when it is Datasette's SQL for a sorted table's rows."""
    match = PAGE_SQL.match(sql) if TABLE_PAGE.get() else None
    if match is None:
        return sql
    table = match["table"]
    table = table[1:-1] if table.startswith("[") else table
    keys = await database.execute_fn(lambda conn: table_keys(conn, table))
    if keys is None:  # a view pages by offset: the same plan gives the same order
        return sql
    keys = [escape_sqlite(pk) for pk in keys] or ["rowid"]
    if keys == [match["term"]]:  # sorted by its key: no ties
        return sql
    return f"{sql[: match.end('order')]}, {', '.join(keys)}{sql[match.end('order') :]}"
