"""The public site under hostile requests: what one visitor's SQL may cost, and what the site answers anyone.

Bounds here never depend on the clock: a body is under its cap, a process's
memory grows by less than a cap, a reader's request completes while the
abusive queries are still held (they wait on an event the test sets).
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import quote

import httpx
import pytest
from datasette import hookimpl
from datasette.plugins import pm

from tests.test_public import build_site, get, publish_into
from tracker.public import datasette_serve_args, load_metadata, make_datasette

ROOT = Path(__file__).resolve().parent.parent
PLUGINS = ROOT / "tracker" / "public" / "plugins"
LIMITS = load_metadata()["plugins"]["newsroom-tracker"]
MAX_BODY = LIMITS.get("max_response_bytes", 4_000_000)
MEMORY_GROWTH_CAP_MB = 100


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    folder, _ = publish_into(tmp_path_factory, "abuse", build_site)
    return folder


def sql_url(sql: str, fmt: str = ".json", extra: str = "&_shape=array") -> str:
    return f"/public{fmt}?sql={quote(sql)}{extra}"


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no VmRSS")


@pytest.fixture(scope="module")
def server(folder):
    """A real `datasette` process serving the public file as `python -m tracker serve` runs it."""
    port = free_port()
    args = [sys.executable, "-m", "datasette", *datasette_serve_args(str(folder / "public.db"), "127.0.0.1", port)]
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=ROOT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        assert proc.poll() is None, proc.stderr.read().decode()[-2000:]
        try:
            httpx.get(base + "/public.json", timeout=5)
            break
        except httpx.TransportError:
            assert time.monotonic() < deadline, "datasette did not start"
            time.sleep(0.1)
    yield {"base": base, "pid": proc.pid}
    proc.terminate()
    proc.wait(timeout=15)


def test_one_request_cannot_make_a_huge_body_or_grow_the_process(server):
    """`select zeroblob(40000000)` once answered 200 with a 240 MB body and grew Datasette by 600 MB."""
    base = server["base"]
    for _ in range(3):  # warm: templates compiled, connections open
        assert httpx.get(base + "/public/timeline", timeout=60).status_code == 200
        assert httpx.get(base + sql_url("select id, text from claims"), timeout=60).status_code == 200
    before = rss_mb(server["pid"])
    hostile = [
        sql_url("select zeroblob(40000000) as b"),  # one value past SQLite's length limit
        sql_url("select length(zeroblob(40000000)) as n"),  # built in memory even if never sent
        # Each value under the limit, but hundreds of rows of them: stopped by the response budget.
        sql_url("select zeroblob(900000) as b from claims a, claims b, claims c limit 500"),
        sql_url("select replace(hex(zeroblob(450000)), '0', char(1)) as t from claims a, claims b limit 500"),
        sql_url("select zeroblob(900000) as b from claims a, claims b, claims c limit 500", "", ""),
        sql_url("with recursive r(s) as (select 'x' union all select s || s from r) select length(s) from r limit 40"),
    ]
    for path in hostile:
        response = httpx.get(base + path, timeout=60)
        assert len(response.content) <= MAX_BODY, path
        assert response.status_code == 400, (path, response.status_code, response.text[:300])
    # A CSV download streams: its 200 is sent before the rows, which stop at the budget.
    csv = httpx.get(base + sql_url("select zeroblob(900000) as b from claims a, claims b limit 500", ".csv", ""))
    assert len(csv.content) <= MAX_BODY
    growth = rss_mb(server["pid"]) - before
    assert growth < MEMORY_GROWTH_CAP_MB, f"the process grew by {growth:.0f} MB"
    # And the site still answers readers.
    assert httpx.get(base + "/public/claims.json?_size=1", timeout=60).status_code == 200


def test_sqlite_refuses_any_value_over_the_length_limit(folder):
    ds = make_datasette(str(folder / "public.db"))
    response = get(ds, sql_url("select length(zeroblob(2000000)) as n"))
    assert response.status_code == 400
    assert "too big" in response.text
    assert get(ds, sql_url("select length(zeroblob(500000)) as n")).json() == [{"n": 500000}]


class Blocker:
    """A SQL function that holds its thread until the test releases it: `select wait_for_release()`."""

    __name__ = "test_blocking_sql"  # Datasette lists plugins by module name

    def __init__(self) -> None:
        self.entered = 0
        self.changed = threading.Condition()
        self.release = threading.Event()
        self.released_by_watchdog = False

    @hookimpl
    def prepare_connection(self, conn):
        conn.create_function("wait_for_release", 0, self.wait)

    def wait(self) -> int:
        with self.changed:
            self.entered += 1
            self.changed.notify_all()
        self.release.wait()
        return 1

    def wait_entered(self, count: int) -> None:
        with self.changed:
            self.changed.wait_for(lambda: self.entered >= count)

    def watchdog(self) -> None:
        """Only so that a broken build fails instead of hanging: it releases the queries after a long while."""
        if not self.release.wait(120):
            self.released_by_watchdog = True
            self.release.set()


@pytest.fixture
def blocker():
    blocking = Blocker()
    pm.register(blocking, name="test-blocking-sql")
    threading.Thread(target=blocking.watchdog, daemon=True).start()
    yield blocking
    blocking.release.set()
    pm.unregister(name="test-blocking-sql")


def test_readers_are_served_while_visitors_sql_holds_its_threads(folder, blocker):
    """Eight clients' SQL in flight; the claims page, the timeline and a canned query still answer at once."""
    ds = make_datasette(str(folder / "public.db"))
    threads, in_flight = LIMITS.get("sql_threads", 2), LIMITS.get("sql_in_flight", 4)
    assert threads < in_flight < 8

    async def scenario():
        client = ds.client
        await client.get("/public/claims.json?_size=1")  # startup done before the clients arrive
        abusive = [asyncio.create_task(client.get(sql_url("select wait_for_release() as w"))) for _ in range(8)]
        await asyncio.to_thread(blocker.wait_entered, threads)
        readers = [
            await client.get(path)
            for path in ("/public/claims.json?_size=1", "/public/timeline", "/public/unclear.json", "/public/events")
        ]
        held_while_reading = not blocker.release.is_set() and blocker.entered == threads
        # Past sql_in_flight the answer is busy, come back (after a second's hold): those finish unreleased.
        busy = [t for t in abusive if not t.done()]
        done, _ = await asyncio.wait(busy, return_when=asyncio.FIRST_COMPLETED)
        early = [t.result() for t in done]
        blocker.release.set()
        finished = await asyncio.gather(*abusive)
        return readers, held_while_reading, early, finished

    readers, held, early, finished = asyncio.run(scenario())
    assert [r.status_code for r in readers] == [200, 200, 200, 200]
    assert held and not blocker.released_by_watchdog, "the reader pages waited behind visitors' SQL"
    assert {r.status_code for r in early} == {503}
    busy = [r for r in finished if r.status_code == 503]
    assert len(busy) == 8 - in_flight
    assert all(r.headers["retry-after"] == "1" for r in busy)


def test_visitors_sql_has_a_rate_per_address(folder):
    ds = make_datasette(str(folder / "public.db"), plugin_config={"sql_per_minute": 2})

    async def scenario():
        app = ds.app()
        here = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app, client=("192.0.2.1", 1000)), base_url="http://localhost"
        )
        there = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app, client=("192.0.2.2", 1000)), base_url="http://localhost"
        )
        async with here, there:
            answers = [await here.get(sql_url("select 1 as one")) for _ in range(3)]
            answers.append(await here.get("/public/claims.json?_where=" + quote("id > 0")))
            other = await there.get(sql_url("select 1 as one"))
            reader = await here.get("/public/claims.json?_size=1")
        return answers, other, reader

    answers, other, reader = asyncio.run(scenario())
    assert [r.status_code for r in answers] == [200, 200, 429, 429]
    assert int(answers[2].headers["retry-after"]) >= 1
    assert other.status_code == 200
    assert reader.status_code == 200


def test_rate_limit_refills_evenly():
    module = load_plugin("query_limits.py")
    now = [0.0]
    limit = module.RateLimit(6, clock=lambda: now[0])
    assert [limit.take("a") for _ in range(6)] == [0.0] * 6
    assert limit.take("a") == pytest.approx(10.0)  # one token every 10 s
    assert limit.take("b") == 0.0
    now[0] = 10.0
    assert limit.take("a") == 0.0
    assert limit.take("a") > 0


def load_plugin(name: str):
    import importlib.util

    spec = importlib.util.spec_from_file_location(f"plugin_{name}", PLUGINS / name)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_page_cache_ignores_parameters_the_page_does_not_use(folder):
    public = folder / "public.db"
    os.utime(public, (time.time() - 60, time.time() - 60))
    ds = make_datasette(str(public))
    first = get(ds, "/public/timeline")
    stray = get(ds, "/public/timeline?r=123&_hide_sql=0&utm_source=x%3Cscript%3E")
    assert (first.headers["x-page-cache"], stray.headers["x-page-cache"]) == ("miss", "hit")
    assert stray.text == first.text
    # A parameter the page reads is part of the key, in any order and with empty ones dropped.
    assert get(ds, "/public/timeline?status=unclear&q=").headers["x-page-cache"] == "miss"
    assert get(ds, "/public/timeline?q=&status=unclear&zzz=1").headers["x-page-cache"] == "hit"
    assert get(ds, "/public/claims/1?x=1").headers["x-page-cache"] == "miss"
    assert get(ds, "/public/claims/1?y=2").headers["x-page-cache"] == "hit"


def test_the_site_cannot_be_framed(folder):
    ds = make_datasette(str(folder / "public.db"))
    for path in ("/", "/public/timeline", "/public/claims", "/public?sql=select+1"):
        response = get(ds, path)
        assert "frame-ancestors 'none'" in response.headers["content-security-policy"], path
        assert response.headers["x-frame-options"] == "DENY", path


def test_hsts_is_sent_only_when_served_over_https(folder):
    plain = make_datasette(str(folder / "public.db"))
    assert "strict-transport-security" not in get(plain, "/public/timeline").headers
    secure = make_datasette(str(folder / "public.db"), plugin_config={"https": "1"})
    for path in ("/public/timeline", "/public/claims.json", "/-/static/app.css"):
        assert get(secure, path).headers["strict-transport-security"].startswith("max-age="), path


def links_for(ds, host: str) -> str:
    async def fetch():
        headers = {"host": host}
        pages = ["/public/changes.atom", "/public/timeline-js.json", "/public/claims/1", "/public.json"]
        return [await ds.client.get(path, headers=headers) for path in pages]

    responses = asyncio.run(fetch())
    assert all(r.status_code == 200 for r in responses), [r.status_code for r in responses]
    return "\n".join(r.text + str(r.headers) for r in responses)


def test_links_come_from_the_configured_site_never_the_request_host(folder):
    configured = make_datasette(str(folder / "public.db"), plugin_config={"public_url": "https://tracker.example.org"})
    text = links_for(configured, "evil.example")
    assert "evil.example" not in text
    assert "https://tracker.example.org/public/claims/" in text
    unconfigured = make_datasette(str(folder / "public.db"), plugin_config={"public_url": None})
    assert "evil.example" not in links_for(unconfigured, "evil.example")
    listed = make_datasette(
        str(folder / "public.db"),
        plugin_config={"public_url": "https://tracker.example.org", "public_hosts": "mirror.example.org"},
    )
    assert "//mirror.example.org/public/claims/" in links_for(listed, "mirror.example.org")


@pytest.mark.parametrize(
    "path",
    [
        "/-/versions",
        "/-/versions.json",
        "/-/settings.json",
        "/-/databases.json",
        "/-/metadata.json",
        "/-/plugins.json",
        "/-/config.json",
        "/-/threads.json",
        "/-/actor.json",
        "/-/permissions",
        "/-/messages",
        "/-/allow-debug",
        "/-/",
    ],
)
def test_introspection_pages_are_closed_to_readers(folder, path):
    ds = make_datasette(str(folder / "public.db"))
    response = get(ds, path)
    assert response.status_code == 404
    assert str(folder) not in response.text


def test_static_assets_stay_open(folder):
    ds = make_datasette(str(folder / "public.db"))
    assert get(ds, "/-/static/app.css").status_code == 200


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "PATCH"])
def test_anything_but_reading_is_405(folder, method):
    ds = make_datasette(str(folder / "public.db"))
    for path in ("/public", "/public/claims", "/public/timeline", "/", "/-/versions.json"):
        response = asyncio.run(ds.client.request(method, path, data={"sql": "delete from claims"}))
        assert response.status_code == 405, (method, path)
        assert "GET" in response.headers["allow"]
