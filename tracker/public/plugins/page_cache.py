"""Reader pages rendered once per publish, not once per reader.

A reader page is a function of the public file and of the few parameters it
reads: between two publishes every reader of a story gets the same timeline,
so one process renders it once. The key is the page and only the parameters
that page uses (a canned query's named parameters; `story` and `status` for
the TimelineJS export): `/public/timeline?r=123` is the same page as
`/public/timeline`, so a parameter nobody reads can no longer force a fresh
render on every request. The request that renders a page is passed on with
exactly those parameters, so what is stored is what the key says (a stray
parameter cannot change a page that others then get from the cache).

Innermost of the site's ASGI wrappers (`tryfirst`): security headers and the
Host rewrite (request_guard.py) apply to cached answers as to fresh ones.
The file's inode, size and modification time tell a new publish apart; a
page rendered while the file was being rewritten (modified within the last
second, or changed during the render) is not kept. Only GET and HEAD, 200
answers without cookies, up to `max_bytes`.

Loaded by Datasette from --plugins-dir as a bare module, so it imports
nothing from `tracker`.
"""

from __future__ import annotations

import os
import re
import time
from collections import OrderedDict
from urllib.parse import parse_qsl, urlencode

from datasette import hookimpl

DATABASE = "public"
CONFIG = "newsroom-tracker"
# Rendered reader pages are kept this long at most (a new publish replaces them at once).
DEFAULT_PAGE_CACHE_SECONDS = 300.0
TIMELINE_JS_PATH = "/public/timeline-js.json"
# Cacheable pages -> the parameters each reads; None: a canned query, whose named parameters are read.
PAGES: tuple[tuple[re.Pattern, tuple[str, ...] | None], ...] = (
    (re.compile(r"^/(?:|about|public|stories/[a-z0-9-]+|public/claims/\d+)$"), ()),
    # Claims by claimant counts every published claim: rendered per reader, readers asking at once were cut off.
    (re.compile(r"^/public/(timeline|unclear|claims_by_claimant)$"), None),
    (re.compile(r"^" + re.escape(TIMELINE_JS_PATH) + r"$"), ("story", "status")),
)
# Visitors' own SQL is never a cached page (query_limits.py handles it); of the pages kept here, only the
# database page reads it. Every other one ignores `sql=` and `_where=`, and is cached without them.
FREE_FORM_PARAMS = frozenset({"sql", "_where"})
SQL_PAGE = f"/{DATABASE}"
# Longer paths are looked up each time, not remembered (no reader page has a path this long).
MAX_REMEMBERED_PATH = 200
_NAMED_PARAMETER = re.compile(r"(?<![:\w]):([A-Za-z][A-Za-z0-9_]*)")


class PageCache:
    """Rendered pages by key, each valid for one version of the public file and at most `seconds`.

    Bounded in bytes as well as in pages: every search is a page of its own
    and the timeline repeats its words, so 256 searches of 60,000 characters
    were 256 pages of 600 kB each, kept for anyone who sent them.
    """

    def __init__(
        self, seconds: float, max_entries: int = 256, max_bytes: int = 2_000_000, max_total_bytes: int = 32_000_000
    ):
        self.seconds = seconds
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self.max_total_bytes = max_total_bytes
        self.total_bytes = 0
        self.entries: OrderedDict = OrderedDict()

    def get(self, key, version):
        entry = self.entries.get(key)
        if entry is None:
            return None
        stored_version, stored_at, start, body = entry
        if stored_version != version or time.monotonic() - stored_at > self.seconds:
            self._drop(key)
            return None
        self.entries.move_to_end(key)
        return start, body

    def put(self, key, version, start, body) -> None:
        if key in self.entries:
            self._drop(key)
        self.entries[key] = (version, time.monotonic(), start, body)
        self.total_bytes += len(body)
        while len(self.entries) > self.max_entries or self.total_bytes > self.max_total_bytes:
            self._drop(next(iter(self.entries)))

    def _drop(self, key) -> None:
        self.total_bytes -= len(self.entries.pop(key)[3])


def file_version(path: str | None):
    """What changes whenever a publish does: the file, and its WAL (a publish commits there first).

    SQLite keeps the WAL beside the file a symlink points at, not beside the
    link, so the path is resolved first: looked for beside a link, the WAL of
    a publish whose checkpoint had to wait was never seen.
    """
    if not path:
        return None
    path = os.path.realpath(path)
    version = []
    for name in (path, f"{path}-wal"):
        try:
            st = os.stat(name)
        except OSError:
            st = None
        # An empty WAL (a reader created it, or a checkpoint emptied it) holds no content.
        version.append((st.st_ino, st.st_size, st.st_mtime_ns) if st and st.st_size else None)
    return tuple(version) if version[0] is not None else None


def cache_seconds(datasette) -> float:
    value = (datasette.plugin_config(CONFIG) or {}).get("page_cache_seconds")
    try:
        return float(value) if value not in (None, "") else DEFAULT_PAGE_CACHE_SECONDS
    except (TypeError, ValueError):
        return DEFAULT_PAGE_CACHE_SECONDS


def canned_parameters(datasette, name: str) -> tuple[str, ...]:
    """The named parameters of a canned query (not the magic `_` ones), from its SQL in metadata.yml."""
    queries = (datasette.metadata(database=DATABASE) or {}).get("queries") or {}
    query = queries.get(name) or {}
    sql = query.get("sql", "") if isinstance(query, dict) else str(query)
    return tuple(sorted(set(_NAMED_PARAMETER.findall(sql))))


def used_parameters(datasette, path: str) -> tuple[str, ...] | None:
    """The parameters the page at `path` reads, or None when it is not a cacheable page."""
    for pattern, params in PAGES:
        match = pattern.match(path)
        if match:
            return canned_parameters(datasette, match.group(1)) if params is None else params
    return None


def normal_query(query_string: bytes, used: tuple[str, ...]) -> bytes:
    """Only the parameters a page uses, first value of each, empty ones dropped, in a fixed order."""
    values: dict[str, str] = {}
    for name, value in parse_qsl(query_string.decode("latin-1"), keep_blank_values=True):
        if name in used and name not in values:
            values[name] = value
    return urlencode(sorted((k, v) for k, v in values.items() if v != "")).encode("latin-1")


@hookimpl(tryfirst=True)
def asgi_wrapper(datasette):
    cache = PageCache(cache_seconds(datasette))
    by_path: dict[str, tuple[str, ...] | None] = {}

    def wrap(app):
        async def cached(scope, receive, send):
            if (
                scope.get("type") != "http"
                or cache.seconds <= 0
                or scope.get("method") not in ("GET", "HEAD")
                or DATABASE not in datasette.databases
            ):
                await app(scope, receive, send)
                return
            path = scope.get("path", "")
            base = datasette.setting("base_url").rstrip("/")
            if base and path.startswith(base):
                path = path[len(base) :] or "/"
            query = scope.get("query_string", b"")
            if path in by_path:
                used = by_path[path]
            else:
                used = used_parameters(datasette, path)
                # Only paths a page could have: a scanner's made-up paths of 60 kB each were all kept.
                if len(path) <= MAX_REMEMBERED_PATH:
                    if len(by_path) > 10_000:
                        by_path.clear()
                    by_path[path] = used
            names = {name for name, _ in parse_qsl(query.decode("latin-1"))}
            if used is None or path == SQL_PAGE and FREE_FORM_PARAMS & names:
                await app(scope, receive, send)
                return
            scope = {**scope, "query_string": normal_query(query, used)}
            db_path = datasette.get_database(DATABASE).path
            version = file_version(db_path)
            headers = dict(scope.get("headers") or [])
            key = (scope.get("method"), scope.get("scheme"), headers.get(b"host"), path, scope["query_string"])
            hit = cache.get(key, version) if version else None
            if hit is not None:
                start, body = hit
                await send({**start, "headers": [*start["headers"], (b"x-page-cache", b"hit")]})
                await send({"type": "http.response.body", "body": body})
                return

            captured: dict = {"start": None, "body": [], "size": 0}

            async def send_and_capture(message):
                if message["type"] == "http.response.start":
                    captured["start"] = message
                    message = {**message, "headers": [*message.get("headers", []), (b"x-page-cache", b"miss")]}
                elif message["type"] == "http.response.body" and captured["size"] <= cache.max_bytes:
                    captured["body"].append(message.get("body", b""))
                    captured["size"] += len(message.get("body", b""))
                await send(message)

            await app(scope, receive, send_and_capture)
            start = captured["start"]
            if (
                start is not None
                and start.get("status") == 200
                and captured["size"] <= cache.max_bytes
                and not any(k.lower() == b"set-cookie" for k, _ in start.get("headers", []))
                and file_version(db_path) == version
                and time.time_ns() - max(part[2] for part in version if part) > 1_000_000_000
            ):
                cache.put(key, version, start, b"".join(captured["body"]))

        return cached

    return wrap
