"""Nothing private reaches a reader, nothing scraped runs in a reader's browser, nothing can be written.

The first test crawls the whole served site (every table, row, query and
export, as HTML, JSON, CSV and Atom, then every same-site link found on those
pages) for the markers tests/test_publish.py plants in every private place of
the working database.
"""

from __future__ import annotations

import asyncio
import hashlib
import re
from collections import deque
from urllib.parse import quote, urlsplit

import pytest
from bs4 import BeautifulSoup

from tests.test_public import HOSTILE_URL, build_site, get, publish_into
from tests.test_publish import PUBLIC_QUOTE, build_newsroom, private_markers
from tracker.public import load_metadata, make_datasette
from tracker.public_tables import PUBLIC_TABLES

READER_PAGES = ("/", "/public", "/public/timeline", "/public/unclear", "/about")
# Raw fragments of the hostile strings build_site plants; any of them in a page means it was not escaped.
UNESCAPED = (
    "<script>alert('claim')",
    '<img src=x onerror="alert(1)">',
    "<img src=x onerror=alert('title')>",
    "<svg onload=alert('quote')>",
    "<i>Widgets</i>",
    "<b>bold</b>",
    "</script><script>alert('why')",
)


@pytest.fixture(scope="module")
def newsroom_site(tmp_path_factory) -> dict:
    folder, info = publish_into(tmp_path_factory, "secrets", build_newsroom)
    return {"ds": make_datasette(str(folder / "public.db")), "info": info, "folder": folder}


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory) -> dict:
    folder, info = publish_into(tmp_path_factory, "hostile", build_site)
    # One client makes every request here, and the crawl follows each table's "View and edit SQL" link: the
    # per-address SQL rate (held in tests/test_public_abuse.py) would answer the later tests' SQL with 429.
    ds = make_datasette(str(folder / "public.db"), plugin_config={"sql_per_minute": 100_000})
    return {"ds": ds, "info": info, "folder": folder}


def every_row(ds, base: str) -> list[dict]:
    """Every row of a public table, page by page (a table of large rows is listed a few a page)."""
    rows, after = [], ""
    while True:
        page = get(ds, f"{base}.json?_shape=objects&_size=10{after}").json()
        rows += page["rows"]
        if not page.get("next"):
            return rows
        after = f"&_next={page['next']}"


def seed_paths(ds) -> list[str]:
    """Every page a reader or a program can ask for: tables, rows, queries and exports in every format."""
    paths = [
        *READER_PAGES,
        "/public.json",
        "/-/metadata.json",
        "/-/settings.json",
        "/public/changes.atom",
        "/public/timeline-js.json",
    ]
    for table in PUBLIC_TABLES:
        base = f"/public/{table}"
        paths += [base, f"{base}.json?_shape=array&_size=max", f"{base}.csv?_stream=on", f"{base}?_search=kettle"]
        paths += [f"{base}.json?_shape=array&_size=10"]  # as large a page as a table of large rows gives
        for row in every_row(ds, base):
            key = row.get("id") if "id" in row else row.get("slug")
            paths += [f"{base}/{key}", f"{base}/{key}.json"]
    for name in load_metadata()["databases"]["public"]["queries"]:
        for params in ("", "?q=kettle", "?status=unclear", "?story=acme-kettles", "?q=recall&story=acme-kettles"):
            paths += [f"/public/{name}{params}", f"/public/{name}.json{params}", f"/public/{name}.csv{params}"]
    paths += ["/public/changes.atom?story=acme-kettles", "/public/timeline-js.json?status=unclear"]
    return paths


def crawl(ds, limit: int = 1500) -> dict[str, tuple[int, str, bytes]]:
    """Every seed path, then every same-site link found on an HTML page (one level deep)."""
    seen: dict[str, tuple[int, str, bytes]] = {}
    queue = deque((p, 0) for p in seed_paths(ds))
    while queue and len(seen) < limit:
        path, depth = queue.popleft()
        if path in seen:
            continue
        response = get(ds, path)
        content_type = response.headers.get("content-type", "")
        seen[path] = (response.status_code, content_type, response.content)
        if depth >= 1 or not content_type.startswith("text/html"):
            continue
        for a in BeautifulSoup(response.text, "lxml").find_all("a", href=True):
            href = a["href"]
            parts = urlsplit(href)
            if parts.scheme or parts.netloc or not parts.path.startswith("/") or parts.path.startswith("/-/static"):
                continue
            queue.append((parts.path + (f"?{parts.query}" if parts.query else ""), depth + 1))
    return seen


def test_no_private_value_in_any_page_json_csv_or_feed(newsroom_site):
    pages = crawl(newsroom_site["ds"])
    assert len(pages) > 150, "the crawl should reach the whole site"
    formats = {ct.split(";")[0] for _, ct, _ in pages.values()}
    assert {"text/html", "application/json", "text/plain", "application/xml"} <= formats, formats
    errors = {p: status for p, (status, _, _) in pages.items() if status >= 500}
    assert errors == {}
    markers = [m.encode() for m in private_markers(newsroom_site["info"])]
    leaks = {path: [m.decode() for m in markers if m in body] for path, (_, _, body) in pages.items()}
    assert {p: found for p, found in leaks.items() if found} == {}
    # And the public content is really there, so the crawl was not looking at empty pages.
    assert any(PUBLIC_QUOTE.encode() in body for _, _, body in pages.values())


def test_scraped_and_typed_strings_are_escaped_everywhere(hostile_site):
    pages = crawl(hostile_site["ds"])
    html_pages = {p: body.decode() for p, (_, ct, body) in pages.items() if ct.startswith("text/html")}
    assert len(html_pages) > 60
    raw = {p: [u for u in UNESCAPED if u in body] for p, body in html_pages.items()}
    assert {p: found for p, found in raw.items() if found} == {}
    for path, body in html_pages.items():
        soup = BeautifulSoup(body, "lxml")
        hrefs = [a["href"].strip().lower() for a in soup.find_all(href=True)]
        assert not [h for h in hrefs if h.startswith(("javascript:", "data:", "vbscript:"))], path
        handlers = [attr for tag in soup.find_all(True) for attr in tag.attrs if attr.lower().startswith("on")]
        assert handlers == [], path
    # The javascript: URL is never published, so no response of any kind carries it.
    assert not [p for p, (_, _, body) in pages.items() if HOSTILE_URL.encode() in body]


@pytest.mark.parametrize("path", [*READER_PAGES, "/public/claims/1", "/public/claims/3"])
def test_reader_pages_run_no_inline_code(hostile_site, path):
    response = get(hostile_site["ds"], path)
    assert response.status_code == 200
    csp = response.headers["content-security-policy"]
    assert "script-src 'self';" in csp and "style-src 'self';" in csp and "unsafe-inline" not in csp
    assert response.headers["x-content-type-options"] == "nosniff"
    soup = BeautifulSoup(response.text, "html.parser")
    inline = [s for s in soup.find_all("script") if not s.get("src") and s.get("type") != "application/ld+json"]
    assert inline == []
    assert soup.find_all("style") == []
    assert [t.name for t in soup.find_all(style=True)] == []


@pytest.mark.parametrize("path", ["/", "/public/timeline", "/public/unclear", "/about", "/public/claims/1"])
def test_a_query_parameter_cannot_loosen_a_reader_page_s_content_security_policy(hostile_site, path):
    """Only the SQL page (`/public?sql=`) runs Datasette's inline scripts; `?sql=1` on any reader page, which the
    page ignores, loosened its policy to 'unsafe-inline' for a link anyone could send."""
    response = get(hostile_site["ds"], f"{path}?sql=select+1")
    assert response.status_code == 200
    assert "unsafe-inline" not in response.headers["content-security-policy"]


def test_an_empty_sql_parameter_leaves_the_data_page_strict(hostile_site):
    """Datasette reads the first `sql=`: empty, `/public?sql=&sql=select+1` is the data page, not the SQL page,
    and the policy, which read the last one, gave it the SQL page's 'unsafe-inline'."""
    response = get(hostile_site["ds"], "/public?sql=&sql=select+1")
    assert response.status_code == 200 and "Custom SQL query" not in response.text
    assert "unsafe-inline" not in response.headers["content-security-policy"]
    assert "unsafe-inline" in get(hostile_site["ds"], "/public?sql=select+1").headers["content-security-policy"]


@pytest.mark.parametrize(
    "path",
    [
        "/public/timeline.html",
        "/public/unclear.xyz",
        "/public/claims/1.html",
        "/public/claims/3.page",
        # Other ways Datasette finds a claim's row, each rendered as its page.
        "/public/claims/1,2",
        "/public/claims/+1",
        # Names as Datasette reads them, `~XX` decoded (tilde encoding).
        "/public/cl~61ims/1",
        "/~70ublic/claims/1",
        "/public/time~6Cine",
        "/~70ublic/unclear",
    ],
)
def test_an_extension_on_a_reader_page_s_address_cannot_loosen_its_content_security_policy(hostile_site, path):
    """Datasette renders an address ending in a format it does not know as the page itself: the timeline, a claim's
    page, as `/public/timeline.html`, which the policy did not know as a reader page and gave 'unsafe-inline'; and
    a claim's page answers to other spellings of its id (`1,2`, `+1`), which it did not know either, and every page
    to its names tilde-encoded (`/public/cl~61ims/1`)."""
    response = get(hostile_site["ds"], path)
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
    assert "unsafe-inline" not in response.headers["content-security-policy"]


@pytest.mark.parametrize(
    "path", ["/public/claims/1%2Fx", "/public/claims%2Ejson", "/public%2Ftimeline", "/%61bout", "/public/time%6Cine"]
)
def test_a_percent_escaped_address_is_judged_as_datasette_routes_it(hostile_site, path):
    """Datasette routes the path as sent, and answers one with a percent-escape with a redirect to its tilde
    spelling; the policy read the decoded path, another address: `/public/claims/1%2Fx`, a claim's row to Datasette,
    was `/public/claims/1/x` to it, no reader page, and got 'unsafe-inline'. Read as Datasette routes it
    (addresses.py), and a redirect, which runs no script of Datasette's, given the strict policy."""
    response = get(hostile_site["ds"], path)
    assert response.status_code == 302 and "~" in response.headers["location"]
    assert "unsafe-inline" not in response.headers["content-security-policy"]


def test_data_pages_still_get_a_content_security_policy(hostile_site):
    for path in ("/public/claims", "/public/events/1", "/public?sql=select+1"):
        response = get(hostile_site["ds"], path)
        assert response.status_code == 200, path
        assert "object-src 'none'" in response.headers["content-security-policy"], path
        assert "base-uri 'none'" in response.headers["content-security-policy"], path


def test_no_write_endpoint(hostile_site):
    ds = hostile_site["ds"]
    public_db = hostile_site["folder"] / "public.db"
    before = hashlib.sha256(public_db.read_bytes()).hexdigest()
    queries = load_metadata()["databases"]["public"]["queries"]
    assert not [name for name, q in queries.items() if q.get("write")]

    async def attempts():
        client = ds.client
        responses = [await client.post(f"/public/{name}", data={"q": "x"}) for name in queries]
        responses.append(await client.post("/public/claims", data={"text": "x"}))
        responses.append(await client.post("/public", data={"sql": "delete from claims"}))
        responses.append(await client.post("/public/claims/1", data={"text": "x"}))
        return responses

    for response in asyncio.run(attempts()):
        assert response.status_code >= 400, (response.request.url if response.request else "", response.status_code)
    for sql in (
        "delete from claims",
        "update claims set text = 'x'",
        "insert into claims (id) values (999)",
        "attach database 'x.db' as x",
        "pragma writable_schema = 1",
        "select 1; delete from claims",
    ):
        response = get(ds, f"/public.json?sql={quote(sql)}")
        assert response.status_code == 400, sql
    assert hashlib.sha256(public_db.read_bytes()).hexdigest() == before
    rows = get(ds, "/public/claims.json?_shape=array").json()
    assert "x" not in {r["text"] for r in rows}


def test_open_sql_is_time_limited(hostile_site):
    slow = "with recursive n(i) as (select 1 union all select i + 1 from n) select count(*) from n"  # never ends
    ds = make_datasette(str(hostile_site["folder"] / "public.db"))  # a rate limit of its own, whatever ran before
    response = get(ds, f"/public.json?sql={quote(slow)}")
    assert response.status_code == 400
    assert re.search(r"interrupted|time limit", response.text, re.I)


@pytest.mark.parametrize(
    "path",
    [
        # The address of SQLite's tokenizer module in memory.
        "/public.json?sql=" + quote("select hex(fts3_tokenizer('simple'))"),
        # A tokenizer registered at an address of the visitor's choosing: SQLite would call it.
        "/public.json?sql=" + quote("select fts3_tokenizer('simple', x'4141414141414141')"),
        "/public/claims.json?_where=" + quote("text like hex(fts3_tokenizer('porter'))"),
    ],
)
def test_sql_cannot_reach_sqlite_s_tokenizer_pointers(hostile_site, path):
    """Debian's SQLite is built with SQLITE_ENABLE_FTS3_TOKENIZER: fts3_tokenizer() answered a visitor with a
    memory address, and would register a tokenizer at any address a visitor gave."""
    ds = make_datasette(str(hostile_site["folder"] / "public.db"))  # a rate limit of its own
    response = get(ds, path)
    assert response.status_code == 400, response.text[:300]
    assert "not authorized" in response.text
    assert get(ds, "/public.json?sql=select+count(*)+from+claims").status_code == 200


def test_sql_does_not_tell_where_the_file_is_on_disk(hostile_site):
    """/-/databases is closed because it named the file's path; `pragma_database_list` named it to the SQL box."""
    ds = make_datasette(str(hostile_site["folder"] / "public.db"))  # a rate limit of its own
    folder = str(hostile_site["folder"])
    for path in (
        "/public.json?_shape=array&sql=" + quote("select * from pragma_database_list()"),
        "/public.json?_shape=array&sql=" + quote("select file from pragma_database_list where name = 'main'"),
        "/public/claims.json?_shape=array&_where=" + quote("instr((select file from pragma_database_list), '/')"),
    ):
        response = get(ds, path)
        assert response.status_code == 200, response.text[:300]
        assert folder not in response.text
    assert [
        r["name"] for r in get(ds, "/public.json?_shape=array&sql=select+name+from+pragma_database_list").json()
    ] == ["main"]
    assert get(ds, "/public").status_code == 200  # Datasette's own database page still lists attached files


@pytest.mark.parametrize(
    ("path", "max_age"),
    [
        ("/public/claims?_ttl=31536000", "max-age=5"),
        ("/public/claims.json?_ttl=31536000&_ttl=2", "max-age=2"),
        ("/public/timeline.json?_ttl=%31%30%30%30%30%30", "max-age=5"),
        ("/public/claims/1?_ttl=" + "9" * 5000, "max-age=5"),
        ("/public/claims.json?_ttl=\u0661\u0662\u0663\u0664\u0665", "max-age=5"),
        ("/public/claims.json?_ttl=3", "max-age=3"),
        ("/public/claims.json?_ttl=0", "no-cache"),
    ],
)
def test_a_visitor_cannot_set_a_longer_cache_lifetime_than_the_sites(hostile_site, path, max_age):
    """Datasette's `_ttl=` set any max-age asked for on the visitor's own address: a link with `_ttl=31536000`
    had shared caches keep that page a year through every publish. No longer than the site's own (metadata.yml's
    default_cache_ttl, 5 s): a shorter one, or none (0), stays a reader's choice."""
    assert load_metadata()["settings"]["default_cache_ttl"] == 5
    response = get(hostile_site["ds"], path)
    assert response.status_code == 200, response.text[:300]
    assert response.headers["cache-control"] == max_age
