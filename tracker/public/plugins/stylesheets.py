"""Our stylesheets on every page: the site's (versioned by content) and the story page's.

Loaded by Datasette from --plugins-dir as a bare module, so it imports
nothing from `tracker`.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from datasette import hookimpl

DATABASE = "public"
_CSS = Path(__file__).resolve().parent.parent / "static" / "public.css"
_css_versions: dict[int, str] = {}


def css_version() -> str:
    """Changes when the stylesheet does, so browsers never keep a stale copy."""
    try:
        mtime = _CSS.stat().st_mtime_ns
        if mtime not in _css_versions:
            _css_versions.clear()
            _css_versions[mtime] = hashlib.sha256(_CSS.read_bytes()).hexdigest()[:12]
        return _css_versions[mtime]
    except OSError:
        return "0"


@hookimpl
def extra_css_urls(datasette):
    if DATABASE not in datasette.databases:
        return []
    return [
        {"url": datasette.urls.path(f"/assets/public.css?v={css_version()}")},
        {"url": datasette.urls.path("/assets/story.css")},
    ]
