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

Readers asking at once for a page not held yet (after a publish, or once it
expired) wait for one render of it, not one each (single flight): under 8
readers at once, the renders of the same timeline page competed for the SQL
threads and some were cut off at the time limit. The render is taken whole
first and then each reader is sent the bytes on its own, so a reader slow to
read cannot hold the others; a reader waits as long as that render runs (at
most FLIGHT_WAIT_LIMITS time limits), and renders the page itself only when
it failed. A page rendered for another reader is
marked `X-Page-Cache: shared` (query_limits.py does not count it).

Innermost of the site's ASGI wrappers (`tryfirst`): security headers and the
Host rewrite (request_guard.py) apply to cached answers as to fresh ones.
The file's inode, size and modification time tell a new publish apart; a
page rendered while the file was being rewritten (modified within the last
second, or changed during the render) is not kept. Only GET and HEAD, 200
answers without cookies, up to `max_bytes`.

A page is known by its address as Datasette routes it (addresses.py's
routed_path: the path as sent, percent-escapes as they are), the one rule
every plugin reads. Read decoded, `/public%2Ftimeline` (which Datasette
redirects to `/public~2Ftimeline`, no page) was the timeline: answered the
timeline once it was cached, and, sent while it was not, its redirect was
the render the timeline's readers waited for, so a reader asking at that
moment was sent away to no page.

Loaded by Datasette from --plugins-dir as a bare module, so it imports
nothing from `tracker` and loads addresses.py by its path.
"""

from __future__ import annotations

import asyncio
import importlib.util
import os
import re
import time
from collections import OrderedDict
from pathlib import Path
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
    # A claim's timeline events: rendered with `claim_id` alone, a parameter it does not read is never in its links
    # (a 100 kB one came back four times over, 400 kB an answer).
    (re.compile(r"^/public/(timeline|unclear|claims_by_claimant|claim_events)$"), None),
    (re.compile(r"^" + re.escape(TIMELINE_JS_PATH) + r"$"), ("story", "status")),
)
# Visitors' own SQL is never a cached page (query_limits.py handles it); of the pages kept here, only the
# database page reads it. Every other one ignores `sql=` and `_where=`, and is cached without them.
FREE_FORM_PARAMS = frozenset({"sql", "_where"})
SQL_PAGE = f"/{DATABASE}"
# How long at most a reader waits for another's render of the same page, in SQL time limits (sql_time_limit_ms).
# A reader waits for that render to end, not a fixed while: it ends however it goes (each query in it is stopped
# at the limit, each chart is drawn from bounded rows), with its bytes, or with None when it failed or was not one
# page to share, and only then does the reader render the page itself. A bound of four limits (2 s) gave up
# exactly when the machine was slow (the render waiting for a SQL thread) and rendered the page again on top.
# This bound is only for a render stuck past anything a page costs (a minute).
FLIGHT_WAIT_LIMITS = 120
# Longer paths are looked up each time, not remembered (no reader page has a path this long).
MAX_REMEMBERED_PATH = 200


def load_beside(name: str):
    """A file beside this one (Datasette loads plugins as bare modules: no package to import from)."""
    path = Path(__file__).resolve().with_name(name)
    spec = importlib.util.spec_from_file_location(f"newsroom_{path.stem}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# The path Datasette routes a request by: one rule with the other plugins'.
ADDRESSES = load_beside("addresses.py")


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
    return ADDRESSES.named_parameters(sql)


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


async def answer(send, start: dict, body: bytes, how: bytes) -> None:
    """A whole page to one reader, its X-Page-Cache saying how it was had (hit, shared, miss)."""
    await send({**start, "headers": [*start.get("headers", []), (b"x-page-cache", how)]})
    await send({"type": "http.response.body", "body": body})


@hookimpl(tryfirst=True)
def asgi_wrapper(datasette):
    cache = PageCache(cache_seconds(datasette))
    by_path: dict[str, tuple[str, ...] | None] = {}
    # Pages being rendered now, by key: a reader asking for one waits for those bytes (single flight).
    flights: dict[tuple, asyncio.Future] = {}
    flight_wait = FLIGHT_WAIT_LIMITS * datasette.setting("sql_time_limit_ms") / 1000

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
            path = ADDRESSES.routed_path(scope, datasette.setting("base_url"))
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
                await answer(send, *hit, b"hit")
                return
            flight = flights.get(key)
            if flight is not None:
                # Rendering for another reader now: wait for its end and its bytes, not render it again.
                try:
                    shared = await asyncio.wait_for(asyncio.shield(flight), flight_wait)
                except TimeoutError:
                    shared = None
                if shared is not None:
                    await answer(send, *shared, b"shared")
                    return
                await render(app, scope, receive, send)  # that render failed or is stuck: this reader's own
                return
            flight = flights[key] = asyncio.get_running_loop().create_future()
            rendered = None
            try:
                rendered = await render(app, scope, receive, send, lead=True)
            finally:
                if flights.get(key) is flight:
                    del flights[key]
                flight.set_result(rendered)
            if rendered is None:
                return
            start, body = rendered
            if (
                start.get("status") == 200
                and version is not None
                and file_version(db_path) == version
                and time.time_ns() - max(part[2] for part in version if part) > 1_000_000_000
            ):
                cache.put(key, version, start, body)
            await answer(send, start, body, b"miss")

        async def render(app, scope, receive, send, lead: bool = False):
            """Run the page; as the render others wait for (`lead`), to bytes first, which it returns.

            The bytes are sent only once the page is whole, so a reader slow to
            take them holds nobody else; a response that is not one page of at
            most `max_bytes` without a cookie is passed on as it comes, and
            nobody shares it (None).
            """
            captured: dict = {"start": None, "body": [], "size": 0, "passed": not lead}

            async def pass_on():
                captured["passed"] = True
                start = captured["start"]
                await send({**start, "headers": [*start.get("headers", []), (b"x-page-cache", b"miss")]})
                for chunk in captured["body"]:
                    await send({"type": "http.response.body", "body": chunk, "more_body": True})
                captured["body"] = []

            async def capture(message):
                if captured["passed"]:
                    if message["type"] == "http.response.start":
                        message = {**message, "headers": [*message.get("headers", []), (b"x-page-cache", b"miss")]}
                    await send(message)
                elif message["type"] == "http.response.start":
                    captured["start"] = message
                    if any(k.lower() == b"set-cookie" for k, _ in message.get("headers", [])):
                        await pass_on()
                elif message["type"] == "http.response.body":
                    captured["body"].append(message.get("body", b""))
                    captured["size"] += len(message.get("body", b""))
                    if captured["size"] > cache.max_bytes:
                        await pass_on()
                        await send({"type": "http.response.body", "body": b"", "more_body": message.get("more_body")})
                    elif not message.get("more_body"):
                        captured["done"] = True
                else:
                    await send(message)

            await app(scope, receive, capture)
            if captured["passed"]:
                return None
            if not captured.get("done"):  # ended without its last part: passed on as it is
                if captured["start"] is not None:
                    await pass_on()
                    await send({"type": "http.response.body", "body": b""})
                return None
            return captured["start"], b"".join(captured["body"])

        return cached

    return wrap
