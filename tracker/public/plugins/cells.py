"""How a cell reads on Datasette's data pages: a status as a word in a coloured badge, a search snippet marked.

Loaded by Datasette from --plugins-dir as a bare module, so it imports
nothing from `tracker` and loads statuses.py by its path.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

from datasette import hookimpl
from markupsafe import Markup, escape

DATABASE = "public"


def load_beside(name: str):
    """A file beside this one (Datasette loads plugins as bare modules: no package to import from)."""
    path = Path(__file__).resolve().with_name(name)
    spec = importlib.util.spec_from_file_location(f"newsroom_{path.stem}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# The statuses and the readers' words for them: one place with the other plugins' (statuses.py).
STATUS_WORDS = load_beside("statuses.py")
STATUSES, STATUS_LABELS = STATUS_WORDS.STATUSES, STATUS_WORDS.STATUS_LABELS
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
    # The stored value is the badge's colour; its text is the readers' word, as on every reader page.
    return Markup('<span class="status status-{0}">{1}</span>').format(escape(value), STATUS_LABELS[value])
