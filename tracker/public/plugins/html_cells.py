"""How many cells an HTML page of a table or of a visitor's SQL draws: at most `html_cells` (2,500).

Drawing a page happens on Datasette's event loop, which every reader's
request waits for, and the limits per address count the SQL time a request
spends, not that drawing: a SQL page of 500 rows of 64 columns held the loop
0.7-1.5 s, `events?_size=max` (500 rows of 18 columns) 0.4-0.7 s, and an
address may ask for 30 and 60 of those a minute. So a page asking for more
draws only as many whole rows as fit in `html_cells` and says so in words,
with links to the same result as JSON and CSV, which cost a fraction of the
HTML and hold every row (within the response budget):

- a table's page (or a view's) with a `_size` past the cap is served with a
  smaller `_size` (request_guard.py), so its next-page link goes on from
  the last row drawn, a page of that size at a time;
- the SQL page keeps the first rows that fit (query_limits.py cuts the
  worker's result).

A reader's ordinary pages draw far less (50 rows of at most 18 columns) and
see no change; JSON, CSV and the ready-made queries' pages are never cut.
`cut` is what a cut page's template says (`_html_cut.html`, given to the
templates as `html_cut` by this file's hook).

Loaded by its path by request_guard.py and query_limits.py (Datasette loads
each file of --plugins-dir as a bare module); Datasette also loads it as a
plugin for its one hook. It imports only the standard library and Datasette.
Being loaded by both, it also holds the site's one reader of a whole-number
setting (`setting`), which theirs use.
"""

from __future__ import annotations

import re

from datasette import hookimpl

CONFIG = "newsroom-tracker"
DEFAULT_HTML_CELLS = 2_500
# Where a cut page's wrapper leaves what the template says (a key of the ASGI scope Datasette's Request keeps).
SCOPE_KEY = "newsroom_html_cut"
# The format at the end of an address's last part (`.json`, `.csv`), as Datasette routes it.
FORMAT_ENDING = re.compile(r"\.(\w+)$")
# Datasette's route for a database's page, which runs `?sql=` (the SQL page): /DATABASE or /DATABASE.FORMAT.
DATABASE_ROUTE = re.compile(r"^/[^/.]+(?:\.\w+)?$")


def setting(datasette, name: str, default: int) -> int:
    """The whole number `name` under the site's plugin settings (metadata.yml, or its `$env`): `default` where it
    is not set, empty or no number, and never below 0 (0 is how each setting is turned off).

    The site's one reader of such a setting: this file's and request_guard.py's and query_limits.py's (which load
    this file anyway) are read here, where each had a copy of its own; facet_values.py's docstring says why it keeps
    one.
    """
    value = (datasette.plugin_config(CONFIG) or {}).get(name)
    try:
        return max(0, int(value)) if value not in (None, "") else default
    except (TypeError, ValueError):
        return default


def html_cells(datasette) -> int:
    """The most cells an HTML page draws (`html_cells` under the site's plugin settings); 0: no cap."""
    return setting(datasette, "html_cells", DEFAULT_HTML_CELLS)


def is_html(datasette, path: str) -> bool:
    """Will Datasette answer this address (its path as routed) with an HTML page? Datasette 0.65 reads the format
    from the ending of the address alone (a `_format=` parameter it ignores) and draws the page for an ending it
    renders no other way (`.xyz`, `.html`)."""
    ending = FORMAT_ENDING.search(path)
    return ending is None or ending.group(1) not in {"csv", "jsono", *datasette.renderers}


def is_sql_page(datasette, path: str) -> bool:
    """Is this (a path as routed) the SQL page drawn as HTML? A table's page with `_where=` runs its SQL in the
    workers too, but is brought within the cells by its `_size` (request_guard.py): cutting its rows would hide
    from Datasette the row past the page that tells it there is a next page."""
    return bool(DATABASE_ROUTE.match(path)) and is_html(datasette, path)


def rows_within(cells: int, columns: int) -> int:
    """How many whole rows of `columns` cells fit in `cells` (at least one: a page always shows a row)."""
    return max(1, cells // max(1, columns))


def note(scope: dict, cells: int) -> dict:
    """What a cut page will say, before it is known whether it is cut: the cap, and the addresses of the same
    result as JSON and CSV (the query string as sent, its `_size` too). Left in the scope passed on (SCOPE_KEY);
    `say_cut` fills in the rest once the page is cut, and a page with no `shown` says nothing."""
    raw = scope.get("raw_path")
    path = (raw.decode("latin-1") if isinstance(raw, bytes) else scope.get("path", "")).partition("?")[0]
    path = FORMAT_ENDING.sub("", path)
    query = scope.get("query_string", b"").decode("latin-1")
    suffix = f"?{query}" if query else ""
    return {"cells": cells, "json": f"{path}.json{suffix}", "csv": f"{path}.csv{suffix}"}


def say_cut(said: dict, columns: int, shown: int, asked: int, whole: bool) -> None:
    """Fill in `said` (a `note`) for a page drawing `shown` rows of `columns` cells where `asked` were asked for
    (a table's page size) or found (the SQL page's rows); `whole`: the SQL page, whose download has every row,
    not a table page, whose next-page link goes on from the last row drawn."""
    said.update(columns=columns, shown=shown, asked=asked, whole=whole)


@hookimpl
def extra_template_vars(request):
    """`html_cut`: what a page cut to `html_cells` says (`_html_cut.html`), or None for a page drawn whole."""
    return {"html_cut": request.scope.get(SCOPE_KEY) if request is not None else None}
