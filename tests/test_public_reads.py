"""What one address may cost the public site outside visitors' own SQL: table pages, exports, searches.

Each such request runs SQL on one of Datasette's few threads. A per-address
limit (query_limits.py: `reads_per_minute`, `reads_at_once`) keeps one
client from holding them all; a page served from the page cache costs
nothing and is not counted. Bounds here never depend on the clock.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
import uvicorn

from tests.conftest import held_still
from tests.servers import free_port, wait_until_answering
from tests.test_public import build_site, publish_into
from tests.test_public_abuse import (
    BLOCKING_PLUGIN,
    LIMITS,
    PLUGINS,
    ROOT,
    Blocker,
    site_with_plugin,
    sql_url,
)
from tracker.config import Settings
from tracker.public import datasette_serve_args, make_datasette
from tracker.serve import public_site_env


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    folder, _ = publish_into(tmp_path_factory, "reads", build_site)
    return folder


def visitor(app, address: str) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=app, client=(address, 1000))
    return httpx.AsyncClient(transport=transport, base_url="http://localhost")


def settled(folder: Path) -> None:
    """The public file as a publish leaves it a while later (the page cache keeps no page of a file just written)."""
    past = time.time() - 60
    for name in ("public.db", "public.db-wal"):
        if (folder / name).exists():
            os.utime(folder / name, (past, past))


def test_table_pages_exports_and_searches_have_a_rate_per_address_whatever_their_query(folder):
    ds = make_datasette(str(folder / "public.db"), plugin_config={"reads_per_minute": 3}, rate_clock=held_still)

    async def scenario():
        app = ds.app()
        async with visitor(app, "203.0.113.5") as here, visitor(app, "198.51.100.6") as there:
            answers = [
                await here.get("/public/claims.json?_size=1&id__gt=1"),
                await here.get("/public/evidence.csv?_stream=on&x=2"),
                await here.get("/public/timeline?q=first"),
                await here.get("/public/claims?_size=2&id__gt=3"),
                await here.get("/public/timeline?q=second"),
            ]
            other = await there.get("/public/claims.json?_size=1&id__gt=1")
        return answers, other

    answers, other = asyncio.run(scenario())
    assert [r.status_code for r in answers] == [200, 200, 200, 429, 429]
    refused = answers[3]
    assert int(refused.headers["retry-after"]) >= 1
    message = refused.json()["error"]
    assert "\n" not in message and "address" in message
    assert other.status_code == 200


def test_a_readers_rate_refills_on_the_clock_its_site_is_given(folder):
    """The reads limit reads the clock make_datasette is given (held still by the tests here), not time.monotonic."""
    now = [0.0]
    ds = make_datasette(str(folder / "public.db"), plugin_config={"reads_per_minute": 2}, rate_clock=lambda: now[0])

    async def scenario():
        async with visitor(ds.app(), "203.0.113.11") as reader:
            codes = [(await reader.get(f"/public/claims.json?_size=1&id__gt={i}")).status_code for i in range(3)]
            now[0] = 45.0  # a token and a half
            codes += [(await reader.get(f"/public/claims.json?_size=2&id__gt={i}")).status_code for i in range(2)]
        return codes

    assert asyncio.run(scenario()) == [200, 200, 429, 200, 429]


BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


def test_a_reader_refused_in_a_browser_gets_a_page_and_a_download_keeps_its_json(folder):
    ds = make_datasette(str(folder / "public.db"), plugin_config={"reads_per_minute": 1}, rate_clock=held_still)

    async def scenario():
        async with visitor(ds.app(), "203.0.113.9") as reader:
            assert (await reader.get("/public/claims?_size=2", headers={"Accept": BROWSER_ACCEPT})).status_code == 200
            page = await reader.get("/public/claims?_size=3", headers={"Accept": BROWSER_ACCEPT})
            download = await reader.get("/public/claims.json?_size=3", headers={"Accept": BROWSER_ACCEPT})
            csv = await reader.get("/public/claims.csv?_size=3", headers={"Accept": BROWSER_ACCEPT})
            script = await reader.get("/public/claims?_size=4", headers={"Accept": "application/json"})
        return page, download, csv, script

    page, download, csv, script = asyncio.run(scenario())
    assert page.status_code == 429 and page.headers["content-type"].startswith("text/html")
    assert int(page.headers["retry-after"]) >= 1
    assert "/assets/public.css" in page.text and "<h1>" in page.text
    assert "Too many requests from your address" in page.text and "try again" in page.text
    for refused in (download, csv, script):
        assert refused.status_code == 429 and int(refused.headers["retry-after"]) >= 1
        assert "address" in refused.json()["error"]


def test_a_reader_clicking_through_cached_pages_is_never_refused(folder):
    settled(folder)
    ds = make_datasette(str(folder / "public.db"), plugin_config={"reads_per_minute": 2}, rate_clock=held_still)
    pages = ["/", "/public/timeline", "/public/unclear", "/about", "/public/timeline?status=confirmed"]

    async def scenario():
        app = ds.app()
        for number, page in enumerate(pages):  # rendered once, for whoever asks first
            async with visitor(app, f"198.51.100.{10 + number}") as first:
                assert (await first.get(page)).status_code == 200
        async with visitor(app, "203.0.113.8") as reader:
            clicks = [await reader.get(page) for page in pages * 4]
            table = [await reader.get("/public/claims?_size=3"), await reader.get("/public/claims?_size=4")]
        return clicks, table

    clicks, table = asyncio.run(scenario())
    assert [r.status_code for r in clicks] == [200] * len(clicks)
    assert all(r.headers.get("x-page-cache") == "hit" for r in clicks)
    assert [r.status_code for r in table] == [200, 200]


def test_local_and_private_addresses_are_a_proxy_not_a_reader_and_are_not_limited(folder):
    """Behind a proxy nobody declared (TRACKER_PROXIES), every reader comes from its address: limiting it
    would refuse everyone at once."""
    ds = make_datasette(str(folder / "public.db"), plugin_config={"reads_per_minute": 1}, rate_clock=held_still)

    async def scenario():
        app = ds.app()
        codes = []
        for address in ("127.0.0.1", "10.1.2.3", "::1", "fd00::5"):
            async with visitor(app, address) as proxy:
                codes += [(await proxy.get(f"/public/claims.json?_size=1&id__gt={i}")).status_code for i in range(3)]
        return codes

    assert asyncio.run(scenario()) == [200] * 12


def test_static_files_and_cors_preflights_are_not_counted_and_nothing_else_passes_for_them(folder):
    ds = make_datasette(str(folder / "public.db"), plugin_config={"reads_per_minute": 1}, rate_clock=held_still)

    async def scenario():
        async with visitor(ds.app(), "203.0.113.40") as reader:
            css = [(await reader.get("/-/static/app.css")).status_code for _ in range(3)]
            # Decoded, this path starts like a static file's; Datasette routes it by its raw form, as a database.
            disguised = (await reader.get("/assets%2F..%2Fpublic/claims.json")).status_code
            headers = {"Origin": "https://newsroom.example", "Access-Control-Request-Method": "GET"}
            preflights = [(await reader.options("/public/claims.json", headers=headers)).status_code for _ in range(3)]
            table = (await reader.get("/public/claims.json?_size=1")).status_code
        return css, preflights, disguised, table

    css, preflights, disguised, table = asyncio.run(scenario())
    assert css == [200] * 3
    assert 429 not in preflights
    assert disguised != 429 and table == 429


@pytest.mark.parametrize(
    "path",
    [
        "/public/timeline-js.json",
        "/public/timeline",
        "/public/claims.json",
        "/stories/acme-kettles",
        "/about",
        "/",
        "/assets/public.css",
        "/public/search?q=kettle",
    ],
)
def test_a_cors_preflight_runs_no_page(folder, path):
    """A preflight is not counted against an address's reads because it is answered without SQL; the TimelineJS
    export (a route of our own) answered OPTIONS with the whole export, up to 500 events read, so any number of
    them at once from one address held Datasette's SQL threads. Every page answers a preflight without itself: the
    front page's was a 405 ("Method not allowed") and a stylesheet's the whole file."""
    ds = make_datasette(str(folder / "public.db"))
    headers = {"Origin": "https://newsroom.example", "Access-Control-Request-Method": "GET"}
    response = asyncio.run(ds.client.request("OPTIONS", path, headers=headers))
    assert response.status_code == 200
    assert len(response.content) < 100, response.text[:200]
    assert response.headers["access-control-allow-origin"] == "*"


# The test's copy of the plugins gets test_public_abuse's blocking SQL function and a page whose SQL calls it.
BLOCKING_ROUTE = (
    BLOCKING_PLUGIN
    + """
from datasette.utils.asgi import Response


async def slow_page(datasette):
    await datasette.get_database("public").execute("select wait_for_release()")
    return Response.text("done")


@hookimpl
def register_routes():
    return [(r"^/slow-page$", slow_page)]
"""
)


@pytest.fixture
def slow_site(folder, monkeypatch):
    """The site with a page whose SQL waits on a socket the test answers (a stand-in for a slow table page)."""
    with site_with_plugin(folder, monkeypatch, "slow_page.py", BLOCKING_ROUTE, reads_at_once=2) as site:
        yield site


def test_one_address_holds_at_most_its_share_of_the_sql_threads(slow_site):
    """Twelve slow pages at once from one address: two run, eight wait their turn, two are told to come back;
    a reader from elsewhere is answered meanwhile, and every page that waited is served once released."""
    ds, blocker = slow_site

    async def scenario():
        app = ds.app()
        async with visitor(app, "203.0.113.20") as busy, visitor(app, "198.51.100.30") as reader:
            await reader.get("/public/claims.json?_size=1")  # startup done before the burst
            burst = [asyncio.create_task(busy.get("/slow-page")) for _ in range(12)]
            await asyncio.to_thread(blocker.wait_entered, 2)
            while sum(t.done() for t in burst) < 2:
                await asyncio.wait([t for t in burst if not t.done()], return_when=asyncio.FIRST_COMPLETED)
            done_early = [t for t in burst if t.done()]
            refused = [t.result() for t in done_early]
            answered = await reader.get("/public/claims.json?_size=1&id__gt=5")
            entered_while_held = blocker.entered
            blocker.set_release()
            served = await asyncio.gather(*[t for t in burst if t not in done_early])
        return refused, answered, entered_while_held, served

    refused, answered, entered, served = asyncio.run(scenario())
    assert not blocker.released_by_watchdog
    assert entered == 2
    assert [r.status_code for r in refused] == [429, 429]
    assert all(int(r.headers["retry-after"]) >= 1 for r in refused)
    assert answered.status_code == 200
    assert [r.status_code for r in served] == [200] * 10


# The test's copy of the plugins: the rate clock of the server's limits held still (make_datasette's `rate_clock`,
# which a server `datasette serve` starts has no argument for), set before query_limits.py's wrapper reads it.
HELD_RATE_CLOCK = """
from datasette import hookimpl


@hookimpl(tryfirst=True)
def asgi_wrapper(datasette):
    datasette.newsroom_rate_clock = lambda: 0.0
    return lambda app: app
"""


def test_the_server_believes_no_forwarded_address_it_was_not_told_to(folder, tmp_path):
    """Started as `serve` starts it, the site counts a loopback connection as loopback whatever
    X-Forwarded-For it writes: uvicorn's own default believed that header from 127.0.0.1, so a client
    writing a new address each time had a fresh SQL rate each time. The server's rate clock is held still
    (a plugin beside the site's), so a slow machine refills no token while the rate is used up."""
    per_minute = LIMITS.get("sql_per_minute", 30)
    plugins = Path(tempfile.mkdtemp(prefix="held-clock-"))
    for plugin in PLUGINS.glob("*.py"):
        (plugins / plugin.name).symlink_to(plugin)
    (plugins / "held_rate_clock.py").write_text(HELD_RATE_CLOCK, encoding="utf-8")
    port = free_port()
    env = {**os.environ, **public_site_env("127.0.0.1", port, Settings.from_env({}))}
    env.pop("TRACKER_PROXIES", None)
    serve_args = datasette_serve_args(str(folder / "public.db"), "127.0.0.1", port)
    serve_args[serve_args.index("--plugins-dir") + 1] = str(plugins)
    args = [sys.executable, "-m", "datasette", *serve_args]
    log = (tmp_path / "server.log").open("wb")
    proc = subprocess.Popen(args, stdout=log, stderr=log, cwd=ROOT, env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_answering(base + "/public.json", proc, (tmp_path / "server.log"))
        with httpx.Client(base_url=base, timeout=60) as client:
            codes = [
                client.get(sql_url(f"select {i} as n"), headers={"X-Forwarded-For": f"203.0.113.{i}"}).status_code
                for i in range(per_minute + 1)
            ]
    finally:
        proc.terminate()
        proc.wait(timeout=15)
        log.close()
        shutil.rmtree(plugins, ignore_errors=True)
    assert codes == [200] * per_minute + [429], codes


def test_a_reader_writing_sql_in_a_browser_past_the_rate_gets_a_page_and_a_script_its_json(folder):
    """The SQL page is a page too: a reader who ran a few queries too many saw the refusal as raw JSON."""
    from urllib.parse import quote

    ds = make_datasette(str(folder / "public.db"), plugin_config={"sql_per_minute": 1}, rate_clock=held_still)

    async def scenario():
        async with visitor(ds.app(), "203.0.113.10") as reader:
            query = "/public?sql=" + quote("select 1 as one")
            assert (await reader.get(query, headers={"Accept": BROWSER_ACCEPT})).status_code == 200
            page = await reader.get(query + "&again=1", headers={"Accept": BROWSER_ACCEPT})
            script = await reader.get(sql_url("select 1 as one"), headers={"Accept": BROWSER_ACCEPT})
        return page, script

    page, script = asyncio.run(scenario())
    assert page.status_code == 429 and page.headers["content-type"].startswith("text/html")
    assert int(page.headers["retry-after"]) >= 1
    assert "/assets/public.css" in page.text and "Too many SQL queries" in page.text
    assert script.status_code == 429 and "SQL" in script.json()["error"]


# The test's copy of the plugins: the About page's render waits on the test's socket, and every request for it
# says it has arrived (on a second socket, answered at once) before the page cache sees it.
SLOW_RENDER = (
    BLOCKING_PLUGIN
    + """


def arrived():
    with socket.socket(socket.AF_UNIX) as held:
        held.connect(os.environ["NEWSROOM_TEST_ARRIVALS"])
        held.sendall(b"in")
        held.recv(1)


@hookimpl
def extra_template_vars(datasette, request):
    async def held():
        if request is not None and request.path == "/about":
            await datasette.get_database("public").execute_fn(
                lambda conn: conn.execute("select wait_for_release()").fetchall()
            )
        return {}

    return held


@hookimpl
def asgi_wrapper():
    def wrap(app):
        async def noted(scope, receive, send):
            if scope.get("type") == "http" and scope.get("path") == "/about":
                arrived()
            await app(scope, receive, send)

        return noted

    return wrap
"""
)


@contextlib.contextmanager
def served(app):
    """`app` behind a real HTTP server on loopback, in a thread of this process."""
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 60
        while not server.started:
            assert thread.is_alive() and time.monotonic() < deadline, "the server did not start"
            time.sleep(0.05)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=30)


@pytest.fixture
def slow_about(folder, monkeypatch):
    """The site with an About page whose render waits for the test, and the sockets counting renders and arrivals."""
    scratch = Path(tempfile.mkdtemp(prefix="arrivals-"))  # short: a Unix socket path has a length limit
    arrivals = Blocker(str(scratch / "arrived.sock"))
    arrivals.set_release()
    monkeypatch.setenv("NEWSROOM_TEST_ARRIVALS", str(scratch / "arrived.sock"))
    settled(folder)
    try:
        with site_with_plugin(folder, monkeypatch, "slow_render.py", SLOW_RENDER) as (ds, renders):
            yield ds, renders, arrivals
    finally:
        arrivals.close()
        shutil.rmtree(scratch, ignore_errors=True)


def test_readers_asking_at_once_for_a_page_not_yet_kept_wait_for_one_render(slow_about):
    """After a publish (or once a page expired), eight readers asking for it at once each rendered it: the
    renders competed for the SQL threads and some were cut off at the time limit. Now the first renders it and
    the others wait for its bytes."""
    ds, renders, arrivals = slow_about
    with served(ds.app()) as base, ThreadPoolExecutor(8) as pool:
        asked = [pool.submit(httpx.get, base + "/about", timeout=120) for _ in range(8)]
        arrivals.wait_entered(8)  # every request has reached the site
        renders.wait_entered(1)
        renders.set_release()
        answers = [a.result() for a in asked]
        after = httpx.get(base + "/about", timeout=60)
    assert not renders.released_by_watchdog
    assert [r.status_code for r in answers] == [200] * 8
    assert renders.entered == 1
    assert len({r.content for r in answers}) == 1
    assert sorted(r.headers["x-page-cache"] for r in answers) == ["miss"] + ["shared"] * 7
    assert after.headers["x-page-cache"] == "hit" and after.content == answers[0].content


def test_a_reader_waits_for_another_readers_render_as_long_as_it_runs(slow_about):
    """A reader gave up on a render of the same page after four time limits (2 s) and rendered it too: exactly
    when the machine was slow, the page was rendered twice. A render held far past that (here: until the test
    lets it go) is waited for, and its bytes are the second reader's."""
    ds, renders, arrivals = slow_about
    ds._settings["sql_time_limit_ms"] = 20  # four time limits: 80 ms; the bound for a stuck render: 2.4 s
    with served(ds.app()) as base, ThreadPoolExecutor(2) as pool:
        first = pool.submit(httpx.get, base + "/about", timeout=120)
        renders.wait_entered(1)
        second = pool.submit(httpx.get, base + "/about", timeout=120)
        arrivals.wait_entered(2)  # the second reader has reached the site, and found the render under way
        with renders.changed:  # twelve times the old bound: the old rule renders again well within it
            rendered_again = renders.changed.wait_for(lambda: renders.entered >= 2, timeout=1)
        renders.set_release()
        answers = [first.result(), second.result()]
    assert not renders.released_by_watchdog
    assert not rendered_again and renders.entered == 1
    assert [r.status_code for r in answers] == [200, 200]
    assert [r.headers["x-page-cache"] for r in answers] == ["miss", "shared"]
    assert answers[0].content == answers[1].content


def test_a_reader_waits_for_a_stuck_render_only_a_while(slow_about):
    """A render stuck past anything a page costs (here: held until the test lets it go, with a time limit of
    5 ms) does not hold every other reader of the page for as long: past a bound, the next reader renders the
    page itself."""
    ds, renders, _ = slow_about
    ds._settings["sql_time_limit_ms"] = 5  # the bound for a stuck render: 0.6 s
    with served(ds.app()) as base, ThreadPoolExecutor(2) as pool:
        first = pool.submit(httpx.get, base + "/about", timeout=120)
        renders.wait_entered(1)
        second = pool.submit(httpx.get, base + "/about", timeout=120)
        renders.wait_entered(2)  # the second reader rendered it too, while the first render was still held
        renders.set_release()
        answers = [first.result(), second.result()]
    assert not renders.released_by_watchdog
    assert [r.status_code for r in answers] == [200, 200]
    assert [r.headers["x-page-cache"] for r in answers] == ["miss", "miss"]


@pytest.fixture
def held_draw(monkeypatch):
    """The story page's coverage chart, drawn only once the test lets it (`release`); `drawing` says it began."""
    from tracker.charts import render

    drawing, release, draws = threading.Event(), threading.Event(), []
    draw = render.coverage_chart

    def held(*args, **kwargs):
        draws.append(args)
        drawing.set()
        assert release.wait(120), "the test never let the draw go"
        return draw(*args, **kwargs)

    monkeypatch.setattr(render, "coverage_chart", held)
    yield drawing, release, draws
    release.set()


def test_other_readers_are_answered_while_a_story_page_draws_its_charts(folder, held_draw):
    """A story page not yet kept draws its charts (0.4 s for a story's first draw): drawn in the server's event
    loop, every other request to the process waited for it. Held mid-draw here, the cheap pages still answer."""
    drawing, release, draws = held_draw
    settled(folder)
    with served(make_datasette(str(folder / "public.db")).app()) as base, ThreadPoolExecutor(1) as pool:
        story = pool.submit(httpx.get, base + "/stories/acme-kettles", timeout=120)
        try:
            assert drawing.wait(120), "the story page never drew its chart"
            about = httpx.get(base + "/about", timeout=30)
            table = httpx.get(base + "/public/claims.json?_size=1", timeout=30)
            answered_while_held = not release.is_set() and not story.done()
        finally:
            release.set()  # a failing build fails at once, not after the draw's own bound
        page = story.result()
    assert answered_while_held
    assert about.status_code == 200 and table.status_code == 200
    assert page.status_code == 200 and "<svg" in page.text
    assert len(draws) == 1
