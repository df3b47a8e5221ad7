"""How a cell reads on Datasette's data pages: a status as a word in a coloured badge, a search snippet marked.

Loaded by Datasette from --plugins-dir as a bare module, so it imports
nothing from `tracker`.
"""

from __future__ import annotations

from datasette import hookimpl
from markupsafe import Markup, escape

DATABASE = "public"
# Same values as tracker's vocabulary (a test keeps them in step).
STATUSES = ("unreviewed", "confirmed", "denied", "unclear")
STATUS_COLUMNS = ("status", "from_status", "to_status")


@hookimpl
def render_cell(value, column, database, datasette):
    if database != DATABASE:
        return None
    if column == "snippet" and isinstance(value, str):
        # The same marking as the reader pages: the `highlight` filter (template_filters.py).
        return datasette.jinja_env.filters["highlight"](value)
    if column not in STATUS_COLUMNS or value not in STATUSES:
        return None
    return Markup('<span class="status status-{0}">{0}</span>').format(escape(value))
