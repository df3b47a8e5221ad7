"""SQL functions the canned queries call: `tracker_fts(q)`, a reader's words as a safe FTS5 query.

Loaded by Datasette from --plugins-dir as a bare module, so it imports
nothing from `tracker`.
"""

from __future__ import annotations

import re

from datasette import hookimpl

FTS_MAX_WORDS = 16


def fts_query(q: str | None) -> str:
    """Every word of q as a quoted prefix term: "kettle tests" -> `"kettle"* "tests"*` (all must match).

    Quoting makes FTS5 syntax typed into a search box (quotes, AND, NEAR,
    column filters, a lone `*`) plain words, so a search never errors. Text
    with no words at all becomes `""`, which matches nothing.
    """
    words = re.findall(r"\w+", q or "")[:FTS_MAX_WORDS]
    if not words:
        return '""'
    return " ".join(f'"{w}"*' for w in words)


@hookimpl
def prepare_connection(conn):
    conn.create_function("tracker_fts", 1, fts_query, deterministic=True)
