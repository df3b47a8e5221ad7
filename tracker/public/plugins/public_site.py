"""Datasette hooks for the public site: our stylesheet, and statuses shown as badges.

Loaded by Datasette from --plugins-dir as a bare module, so it imports
nothing from `tracker` (the package need not be importable there).
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from datasette import hookimpl
from markupsafe import Markup, escape

DATABASE = "public"
# Same values as tracker.migrations.STATUSES (a test keeps them in step).
STATUSES = ("unreviewed", "confirmed", "denied", "unclear")
STATUS_COLUMNS = ("status", "from_status", "to_status")
_CSS = Path(__file__).resolve().parent.parent / "static" / "public.css"


def _css_version() -> str:
    """Changes when the stylesheet does, so browsers never keep a stale copy."""
    try:
        return hashlib.sha256(_CSS.read_bytes()).hexdigest()[:12]
    except OSError:
        return "0"


@hookimpl
def extra_css_urls(datasette):
    if DATABASE not in datasette.databases:
        return []
    return [{"url": datasette.urls.path(f"/assets/public.css?v={_css_version()}")}]


@hookimpl
def render_cell(value, column, database):
    """A status reads as a word in a coloured badge, in tables and query results alike."""
    if database != DATABASE or column not in STATUS_COLUMNS or value not in STATUSES:
        return None
    return Markup('<span class="status status-{0}">{0}</span>').format(escape(value))
