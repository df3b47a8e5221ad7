"""JSON output with `_json=COLUMN` held to a bound: the named values are measured before any is parsed.

`_json=` makes Datasette parse each value of the named columns into Python
objects and encode them again. The response budget (query_limits.py)
counts a value as the text it is, but parsed, every `{}` of a `[{},{},...]`
is a dict of 64 bytes: a result of 3.6 MB of them, under the 4 MB budget,
grew Datasette by 83 MB for one request. So the values named in `_json`
may hold at most JSON_VALUES_MAX characters in all (a few megabytes once
parsed); past that the answer is a 400 that says so, and the same rows
without `_json` (their text) are served as before. No value of the public
tables is near it; a visitor's own SQL can build one.

This registers Datasette's `.json` renderer again (a plugin's renderer for
an extension replaces the built-in one) and hands every request within the
bound to Datasette's own.

Loaded by Datasette from --plugins-dir as a bare module, so it imports
nothing from `tracker`.
"""

from __future__ import annotations

from datasette import hookimpl
from datasette.renderer import json_renderer
from datasette.utils.asgi import BadRequest

# Characters of the values named in `_json`, in all the rows of one response.
JSON_VALUES_MAX = 500_000
TOO_MUCH_JSON = (
    f"The values named in _json hold more than {JSON_VALUES_MAX:,} characters, more than the site reads as JSON "
    "in one answer: leave _json out to get them as text, or ask for fewer rows."
)


def json_characters(columns: list, rows: list, names: list[str]) -> int:
    """Characters of the text values in `names`' columns, over every row (what `_json` would parse)."""
    positions = [i for i, column in enumerate(columns or ()) if column in set(names)]
    total = 0
    for row in rows or ():
        for i in positions:
            value = row[i]
            if isinstance(value, str | bytes):
                total += len(value)
    return total


def render_json(args, data, view_name):
    names = args.getlist("_json") if "_json" in args else []
    if names and json_characters(data.get("columns"), data.get("rows"), names) > JSON_VALUES_MAX:
        raise BadRequest(TOO_MUCH_JSON)
    return json_renderer(args, data, view_name)


@hookimpl
def register_output_renderer(datasette):
    return {"extension": "json", "render": render_json, "can_render": lambda: True}
