"""Datasette's column menus on table pages, opened from the keyboard too (static/column-menus.js).

Loaded by Datasette from --plugins-dir as a bare module, so it imports
nothing from `tracker`.
"""

from __future__ import annotations

from datasette import hookimpl


@hookimpl
def extra_js_urls(template, datasette):
    if template != "table.html":
        return []
    return [{"url": datasette.urls.path("/assets/column-menus.js"), "module": True}]
