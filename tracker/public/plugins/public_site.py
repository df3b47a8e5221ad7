"""Datasette hooks for the public site: reader pages, safe defaults, and what the canned queries need.

Loaded by Datasette from --plugins-dir as a bare module (here and in a
`datasette publish` container), so it imports nothing from `tracker` and
nothing beyond Datasette and the standard library.

- our stylesheet on every page, statuses shown as badges (colour and word);
- security headers: a Content-Security-Policy with no inline script on the
  reader pages (the timeline, the front page, claim pages), `nosniff` and a
  referrer policy everywhere;
- `tracker_fts(q)`, a SQL function that turns what a reader typed into a safe
  FTS5 query, used by the `timeline` and `search` canned queries;
- the magic parameter `:_site_url` (the site's address) for absolute links in
  the Atom feed;
- an Atom feed that stays valid when there is nothing in it yet;
- a page cache: each reader page is rendered once per publish, not once per
  reader (PageCache);
- data helpers the reader templates call (evidence and history of the claims
  on a page, status counts, what remains unclear), and Jinja filters for dates.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import time
from collections import OrderedDict
from pathlib import Path
from xml.sax.saxutils import escape as xml_escape

from datasette import hookimpl
from datasette.utils.asgi import Response
from markupsafe import Markup, escape

DATABASE = "public"
CONFIG = "newsroom-tracker"
# Same values as tracker.vocab.STATUSES (a test keeps them in step).
STATUSES = ("unreviewed", "confirmed", "denied", "unclear")
STATUS_COLUMNS = ("status", "from_status", "to_status")
_CSS = Path(__file__).resolve().parent.parent / "static" / "public.css"

# Pages that are ours from <html> to </html>: no inline script, no inline style.
READER_PAGES = re.compile(r"^/(?:|about|public|public/timeline|public/unclear|public/claims/\d+|stories/[a-z0-9-]+)$")
STRICT_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'"
)
# Datasette's own data pages carry a few inline scripts and styles of their own.
DATA_CSP = (
    "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'"
)
TIMELINE_JS_PATH = "/public/timeline-js.json"
# Rendered reader pages are kept this long at most (a new publish replaces them at once).
DEFAULT_PAGE_CACHE_SECONDS = 300.0
FTS_MAX_WORDS = 16
EVIDENCE_PER_CARD = 4


_css_versions: dict[int, str] = {}


def _css_version() -> str:
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
    return [{"url": datasette.urls.path(f"/assets/public.css?v={_css_version()}")}]


@hookimpl
def render_cell(value, column, database):
    """A status reads as a word in a coloured badge, and a search snippet marks what matched."""
    if database != DATABASE:
        return None
    if column == "snippet" and isinstance(value, str):
        return highlight(value)
    if column not in STATUS_COLUMNS or value not in STATUSES:
        return None
    return Markup('<span class="status status-{0}">{0}</span>').format(escape(value))


# --- SQL helpers for the canned queries ---------------------------------------------------------


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


def site_url(datasette, request) -> str:
    """The site's address without a trailing slash: configured `public_url`, else where the request came in."""
    configured = (datasette.plugin_config(CONFIG) or {}).get("public_url")
    if configured:
        return str(configured).rstrip("/")
    return datasette.absolute_url(request, datasette.urls.path("/")).rstrip("/")


@hookimpl
def register_magic_parameters(datasette):
    def site(key, request):
        if key != "url":
            raise KeyError(key)
        return site_url(datasette, request)

    return [("site", site)]


@hookimpl
def startup(datasette):
    """datasette-atom fails on a query with no rows (max() of nothing); serve an empty, valid feed instead."""
    atom = datasette.renderers.get("atom")
    if atom and not getattr(atom[0], "_tracker_wrapped", False):
        datasette.renderers["atom"] = (_atom_even_when_empty(atom[0]), atom[1])


def _atom_even_when_empty(render):
    def render_atom(datasette, request, sql, columns, rows, database, table, query_name, view_name, data):
        if rows:
            return render(
                datasette=datasette,
                request=request,
                sql=sql,
                columns=columns,
                rows=rows,
                database=database,
                table=table,
                query_name=query_name,
                view_name=view_name,
                data=data,
            )
        title = query_name or table or "Feed"
        if query_name:
            title = ((datasette.metadata(database=database) or {}).get("queries") or {}).get(query_name, {}).get(
                "title"
            ) or title
        now = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        url = xml_escape(request.url, {'"': "&quot;"})
        body = (
            "<?xml version='1.0' encoding='UTF-8'?>\n"
            '<feed xmlns="http://www.w3.org/2005/Atom">'
            f"<id>{url}</id><title>{xml_escape(str(title))}</title><updated>{now}</updated>"
            f'<link href="{url}" rel="self"/><generator uri="https://datasette.io/">Datasette</generator>'
            "</feed>\n"
        )
        return Response(body, content_type="application/xml; charset=utf-8")

    render_atom._tracker_wrapped = True
    return render_atom


# --- Security headers and the page cache -----------------------------------------------------


class PageCache:
    """Rendered reader pages, kept until the public file changes (or `seconds` pass).

    A reader page is a function of the public file and the URL: between two
    publishes every reader of a story gets the same timeline, so one process
    renders it once instead of once per reader. The file's inode, size and
    modification time tell a new publish apart; a page rendered while the
    file was being rewritten (modified within the last second, or changed
    during the render) is not kept. Only GET and HEAD of the reader pages and
    the TimelineJS export, 200 responses without cookies, up to `max_bytes`.
    """

    def __init__(self, seconds: float, max_entries: int = 256, max_bytes: int = 2_000_000):
        self.seconds = seconds
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self.entries: OrderedDict = OrderedDict()

    def get(self, key, version):
        entry = self.entries.get(key)
        if entry is None:
            return None
        stored_version, stored_at, start, body = entry
        if stored_version != version or time.monotonic() - stored_at > self.seconds:
            del self.entries[key]
            return None
        self.entries.move_to_end(key)
        return start, body

    def put(self, key, version, start, body) -> None:
        self.entries[key] = (version, time.monotonic(), start, body)
        self.entries.move_to_end(key)
        while len(self.entries) > self.max_entries:
            self.entries.popitem(last=False)


def _file_version(path: str | None):
    if not path:
        return None
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_ino, st.st_size, st.st_mtime_ns)


def _cache_seconds(datasette) -> float:
    value = (datasette.plugin_config(CONFIG) or {}).get("page_cache_seconds")
    try:
        return float(value) if value not in (None, "") else DEFAULT_PAGE_CACHE_SECONDS
    except (TypeError, ValueError):
        return DEFAULT_PAGE_CACHE_SECONDS


@hookimpl
def asgi_wrapper(datasette):
    cache = PageCache(_cache_seconds(datasette))

    def wrap(app):
        async def with_headers(scope, receive, send):
            if scope.get("type") != "http":
                await app(scope, receive, send)
                return
            path = scope.get("path", "")
            base = datasette.setting("base_url").rstrip("/")
            if base and path.startswith(base):
                path = path[len(base) :] or "/"
            query = scope.get("query_string", b"")
            strict = bool(READER_PAGES.match(path)) and b"sql=" not in query

            def with_security_headers(message):
                skip = {b"content-security-policy", b"x-content-type-options", b"referrer-policy"}
                headers = [(k, v) for k, v in message.get("headers", []) if k.lower() not in skip]
                content_type = next((v for k, v in headers if k.lower() == b"content-type"), b"")
                headers.append((b"x-content-type-options", b"nosniff"))
                headers.append((b"referrer-policy", b"strict-origin-when-cross-origin"))
                if content_type.startswith(b"text/html"):
                    csp = STRICT_CSP if strict else DATA_CSP
                    headers.append((b"content-security-policy", csp.encode()))
                return {**message, "headers": headers}

            cacheable = (
                cache.seconds > 0
                and scope.get("method") in ("GET", "HEAD")
                and (strict or path == TIMELINE_JS_PATH)
                and DATABASE in datasette.databases
            )
            if not cacheable:

                async def send_with_headers(message):
                    if message["type"] == "http.response.start":
                        message = with_security_headers(message)
                    await send(message)

                await app(scope, receive, send_with_headers)
                return

            db_path = datasette.get_database(DATABASE).path
            version = _file_version(db_path)
            headers = dict(scope.get("headers") or [])
            key = (scope.get("method"), scope.get("scheme"), headers.get(b"host"), path, query)
            hit = cache.get(key, version) if version else None
            if hit is not None:
                start, body = hit
                await send({**start, "headers": [*start["headers"], (b"x-page-cache", b"hit")]})
                await send({"type": "http.response.body", "body": body})
                return

            captured: dict = {"start": None, "body": [], "size": 0}

            async def send_and_capture(message):
                if message["type"] == "http.response.start":
                    message = with_security_headers(message)
                    captured["start"] = message
                    message = {**message, "headers": [*message["headers"], (b"x-page-cache", b"miss")]}
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
                and _file_version(db_path) == version
                and time.time_ns() - version[2] > 1_000_000_000
            ):
                cache.put(key, version, start, b"".join(captured["body"]))

        return with_headers

    return wrap


# --- Templates: filters and data helpers --------------------------------------------------------

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2}))?")


def _parts(value):
    match = _ISO.match(str(value or ""))
    if not match:
        return None
    year, month, day, hour, minute = match.groups()
    if not 1 <= int(month) <= 12:
        return None
    return int(year), int(month), int(day), hour, minute


def nice_date(value, year: bool = True) -> str:
    """'2026-11-24T14:05:00Z' -> 'Nov 24, 2026' (or 'Nov 24'); anything unparseable comes back as it was."""
    parts = _parts(value)
    if parts is None:
        return str(value or "")
    y, m, d, _, _ = parts
    return f"{_MONTHS[m - 1]} {d}, {y}" if year else f"{_MONTHS[m - 1]} {d}"


def nice_time(value) -> str:
    """'2026-11-24T14:05:00Z' -> '14:05 UTC'; '' when the value has no time of day."""
    parts = _parts(value)
    if parts is None or parts[3] is None:
        return ""
    return f"{parts[3]}:{parts[4]} UTC"


def day_of(value) -> str:
    """The calendar day of an ISO date ('2026-11-24'), or '' when there is none: the key of the date rail."""
    parts = _parts(value)
    return f"{parts[0]:04d}-{parts[1]:02d}-{parts[2]:02d}" if parts else ""


def web_url(value) -> str:
    """The URL when it is http(s), else '': only web links become links."""
    url = str(value or "").strip()
    return url if re.match(r"^https?://[^\s]+$", url, re.I) else ""


def highlight(snippet) -> Markup:
    """A search snippet with its ⟦marked⟧ words in <mark>, everything else escaped."""
    out = []
    for i, part in enumerate(re.split(r"[⟦⟧]", str(snippet or ""))):
        out.append(Markup("<mark>{}</mark>").format(part) if i % 2 else escape(part))
    return Markup("").join(out)


_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def by_day(rows, key: str = "date") -> list[dict]:
    """Consecutive rows grouped by calendar day, in the order given: the date rail of the timeline."""
    groups: list[dict] = []
    for row in rows or ():
        day = day_of(row[key])
        if not groups or groups[-1]["day"] != day:
            label, weekday = "Date unknown", ""
            if day:
                parts = _parts(day)
                label = nice_date(day)
                try:
                    weekday = _WEEKDAYS[dt.date(parts[0], parts[1], parts[2]).weekday()]
                except ValueError:
                    weekday = ""
            groups.append({"day": day, "label": label, "weekday": weekday, "rows": []})
        groups[-1]["rows"].append(row)
    return groups


@hookimpl
def prepare_jinja2_environment(env):
    env.filters["by_day"] = by_day
    env.filters["nice_date"] = nice_date
    env.filters["nice_time"] = nice_time
    env.filters["day_of"] = day_of
    env.filters["web_url"] = web_url
    env.filters["highlight"] = highlight


class Rows:
    """Query results as a list of dicts, shaped like Datasette's Results (`.rows`)."""

    def __init__(self, rows: list[dict]):
        self.rows = rows


async def run_query(datasette, sql: str, params=None) -> Rows:
    """Run one of the reader pages' own queries.

    These are bounded by design (index lookups, small LIMITs), so they run
    without the public sql_time_limit_ms: that limit is there for visitors'
    SQL, and applied to a page's own queries it would turn a busy moment
    into an error page instead of a slower one.
    """

    def run(conn):
        cursor = conn.execute(sql, params if params is not None else {})
        columns = [d[0] for d in cursor.description]
        return Rows([dict(zip(columns, row)) for row in cursor.fetchall()])

    return await datasette.get_database(DATABASE).execute_fn(run)


def _ids(rows_or_ids) -> list[int]:
    ids = set()
    for item in rows_or_ids or ():
        value = item if isinstance(item, int | str) else item["claim_id"]
        try:
            ids.add(int(value))
        except (TypeError, ValueError):
            continue
    return sorted(ids)


@hookimpl
def extra_template_vars(datasette):
    """Async helpers for the reader templates; each runs its query only when a template calls it."""

    async def query(sql: str, params=None) -> Rows:
        return await run_query(datasette, sql, params)

    async def claim_details(rows_or_ids) -> dict:
        """{claim_id: {"sources": [...], "more_sources": n, "history": [...]}} for the claims on a page."""
        ids = _ids(rows_or_ids)
        details = {i: {"sources": [], "more_sources": 0, "history": []} for i in ids}
        if not ids or DATABASE not in datasette.databases:
            return details
        marks = ", ".join("?" for _ in ids)
        evidence = await query(
            f"""select claim_id, coverage_id, stance, outlet, title, url, published_at, coverage_kind
                from evidence where claim_id in ({marks})
                order by claim_id, published_at is null, published_at, id""",
            ids,
        )
        seen = set()
        for row in evidence.rows:
            key = (row["claim_id"], row["coverage_id"])
            if key in seen:
                continue
            seen.add(key)
            entry = details[row["claim_id"]]
            if len(entry["sources"]) < EVIDENCE_PER_CARD:
                entry["sources"].append(dict(row))
            else:
                entry["more_sources"] += 1
        history = await query(
            f"""select claim_id, at, from_status, to_status, public_rationale, is_correction
                from status_history where claim_id in ({marks}) order by claim_id, id""",
            ids,
        )
        for row in history.rows:
            details[row["claim_id"]]["history"].append(dict(row))
        return details

    async def claim_record(claim_id) -> dict | None:
        """One claim with its story, all its evidence and its history: the claim page."""
        try:
            claim_id = int(claim_id)
        except (TypeError, ValueError):
            return None
        claim = await query(
            """select c.*, s.title as story_title from claims c
               left join stories s on s.slug = c.story where c.id = ?""",
            [claim_id],
        )
        if not claim.rows:
            return None
        evidence = await query(
            """select id, coverage_id, quote, stance, outlet, title, url, published_at, coverage_kind,
                      page, seen_at, archived_copy_id
               from evidence where claim_id = ? order by published_at is null, published_at, id""",
            [claim_id],
        )
        history = await query(
            "select at, from_status, to_status, public_rationale, is_correction from status_history "
            "where claim_id = ? order by id",
            [claim_id],
        )
        return {
            **dict(claim.rows[0]),
            "evidence": [dict(r) for r in evidence.rows],
            "history": [dict(r) for r in history.rows],
        }

    async def stories() -> list[dict]:
        """Every published story with its claims counted by status (counted once, by publish)."""
        if DATABASE not in datasette.databases:
            return []
        rows = await query(
            f"select slug, title, description, last_event_at, {', '.join(STATUSES)} from stories order by title"
        )
        return [
            {
                **dict(row),
                "counts": {status: row[status] for status in STATUSES},
                "total": sum(row[status] for status in STATUSES),
                "updated": row["last_event_at"],
            }
            for row in rows.rows
        ]

    async def status_counts(story: str = "") -> dict:
        """Claims per status (all stories, or one), for the filter chips."""
        sql = f"select {', '.join(f'coalesce(sum({s}), 0) as {s}' for s in STATUSES)} from stories"
        rows = await query(sql + (" where slug = ?" if story else ""), [story] if story else [])
        return {status: rows.rows[0][status] for status in STATUSES}

    async def open_claims(story: str = "", limit: int = 5) -> list[dict]:
        """The first rows of the `unclear` query (same order, same columns but `sources`), for side panels."""
        branch = """select id as claim_id, story, text as claim, claimant, claimant_type, status,
                           {since} as since, status_rationale as reason, first_reported_at
                    from claims where status = '{status}' and (:story = '' or story = :story)
                    order by {since} desc, id desc limit :limit"""
        params = {"story": story, "limit": limit}
        unclear = await query(branch.format(status="unclear", since="status_changed_at"), params)
        found = [dict(r) for r in unclear.rows]
        if len(found) < limit:
            params["limit"] = limit - len(found)
            waiting = await query(branch.format(status="unreviewed", since="first_reported_at"), params)
            found += [dict(r) for r in waiting.rows]
        return found

    async def canned(name: str, **params) -> list[dict]:
        """Rows of one of metadata.yml's canned queries: the pages show what the JSON serves."""
        canned_query = await datasette.get_canned_query(DATABASE, name, None)
        if canned_query is None:
            return []
        results = await query(canned_query["sql"], params)
        return [dict(r) for r in results.rows]

    async def established(story: str = "", limit: int = 8) -> list[dict]:
        """The most recent confirmed and denied rulings: what we have established."""
        sql = """select id, story, text, claimant, claimant_type, status, status_changed_at, status_rationale
                 from claims where status = :status and (:story = '' or story = :story)
                 order by status_changed_at desc, id desc limit :limit"""
        found = []
        for status in ("confirmed", "denied"):
            rows = await query(sql, {"status": status, "story": story, "limit": limit})
            found += [dict(r) for r in rows.rows]
        found.sort(key=lambda r: (r["status_changed_at"] or "", r["id"]), reverse=True)
        return found[:limit]

    def archive_base() -> str | None:
        """Where archived copies are linked from: only once the site's public address is configured."""
        configured = (datasette.plugin_config(CONFIG) or {}).get("public_url")
        return str(configured).rstrip("/") if configured else None

    return {
        "claim_details": claim_details,
        "claim_record": claim_record,
        "archive_base": archive_base,
        "public_stories": stories,
        "status_counts": status_counts,
        "open_claims": open_claims,
        "canned": canned,
        "established": established,
        "statuses": ["confirmed", "denied", "unclear", "unreviewed"],
        "status_labels": {
            "confirmed": "Confirmed",
            "denied": "Denied",
            "unclear": "Unclear",
            "unreviewed": "Not yet reviewed",
        },
        "kind_labels": {
            "first_reported": "First reported",
            "statement": "Statement issued",
            "statement_changed": "Statement changed",
            "status_changed": "Ruling",
            "correction": "Correction",
        },
        "claimant_types": {
            "named": "named source",
            "anonymous": "anonymous source",
            "organization": "organisation",
            "outlet": "news outlet",
            "document": "document",
            "unattributed": "unattributed",
        },
    }
