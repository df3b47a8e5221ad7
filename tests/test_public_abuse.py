"""The public site under hostile requests: what one visitor's SQL may cost, and what the site answers anyone.

Bounds here never depend on the clock: a body is under its cap, a process's
memory (with its SQL workers') grows by less than a cap, a reader's request
completes while the abusive queries are still held in the SQL workers (they
wait on a socket the test answers).
"""

from __future__ import annotations

import asyncio
import contextlib
import html
import json
import os
import shutil
import socket
import sqlite3
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import quote, quote_plus

import httpx
import pytest
from datasette.plugins import pm

from tests.conftest import held_still
from tests.servers import public_datasette
from tests.test_public import build_site, get, publish_into
from tracker.public import load_metadata, make_datasette
from tracker.public_tables import PUBLIC_TABLES

ROOT = Path(__file__).resolve().parent.parent
PLUGINS = ROOT / "tracker" / "public" / "plugins"
LIMITS = load_metadata()["plugins"]["newsroom-tracker"]
MAX_BODY = LIMITS.get("max_response_bytes", 4_000_000)
SEARCH_CHARS = LIMITS["search_chars"]
MEMORY_GROWTH_CAP_MB = 100


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    folder, _ = publish_into(tmp_path_factory, "abuse", build_site)
    return folder


def sql_url(sql: str, fmt: str = ".json", extra: str = "&_shape=array") -> str:
    return f"/public{fmt}?sql={quote(sql)}{extra}"


def rss_mb(pid: int) -> float:
    """Resident memory of the process and its children (visitors' SQL runs in worker processes)."""
    total = 0.0
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            total += int(line.split()[1]) / 1024
    for children in Path(f"/proc/{pid}/task").glob("*/children"):
        for child in children.read_text().split():
            with contextlib.suppress(OSError):
                total += rss_mb(int(child))
    return total


def workers_of(pid: int) -> list[int]:
    return [
        int(child)
        for children in Path(f"/proc/{pid}/task").glob("*/children")
        for child in children.read_text().split()
    ]


@pytest.fixture(scope="module")
def server(folder):
    """A real `datasette` process serving the public file as `python -m tracker serve` runs it."""
    with public_datasette(folder) as (base, proc):
        yield {"base": base, "pid": proc.pid, "log": folder / "server.log"}


def test_one_request_cannot_make_a_huge_body_or_grow_the_process(server):
    """`select zeroblob(40000000)` once answered 200 with a 240 MB body and grew Datasette by 600 MB."""
    base = server["base"]
    for _ in range(3):  # warm: templates compiled, connections open
        assert httpx.get(base + "/public/timeline", timeout=60).status_code == 200
        assert httpx.get(base + sql_url("select id, text from claims"), timeout=60).status_code == 200
    with ThreadPoolExecutor(4) as pool:  # side by side, so that every SQL worker has started
        warm = list(pool.map(lambda _: httpx.get(base + sql_url("select count(*) from claims"), timeout=60), range(4)))
    assert [r.status_code for r in warm] == [200] * 4
    assert len(workers_of(server["pid"])) == LIMITS.get("sql_processes", 2)
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


def test_reader_pages_for_many_long_searches_cannot_grow_the_process(server):
    """Each search is a page of its own in the page cache, and the timeline shows its words several times:
    256 searches of 60,000 characters were kept as 256 pages of 600 kB, and grew Datasette by over 150 MB. A search
    past `search_chars` is now refused before any page is drawn (request_guard.py); the longest one taken is still
    a page of its own for each of 300 searches."""
    base = server["base"]
    with httpx.Client(base_url=base, timeout=60) as client:
        assert client.get("/public/timeline", params={"q": "warm"}).status_code == 200
        before = rss_mb(server["pid"])
        for i in range(300):
            for _ in range(5):
                response = client.get("/public/timeline", params={"q": f"w{i} " + "x" * 60_000})
                # uvicorn's HTTP parser (h11) refuses a request line past 16 kB that reaches it in pieces, as a
                # loaded machine's kernel may split it: that answer is the server's, before any page; ask again.
                if not (response.status_code == 400 and b"Invalid HTTP request" in response.content):
                    break
            assert response.status_code == 400 and b"A search is at most" in response.content
            longest = f"w{i} " + "x" * (SEARCH_CHARS - len(f"w{i} "))
            assert client.get("/public/timeline", params={"q": longest}).status_code == 200
    growth = rss_mb(server["pid"]) - before
    assert growth < MEMORY_GROWTH_CAP_MB, f"the process grew by {growth:.0f} MB"


def test_a_timeline_page_reads_its_search_once_not_once_per_card(folder, tmp_path):
    """The timeline marks its search's words in each card's claim and quote, and worked out which words those are
    from the whole search again for each of them, on the event loop every reader waits for: a search of 60,000
    characters of words on a page of 50 cards held it 12 s, so no reader anywhere was answered (a stylesheet
    waited for it). The words of a search are worked out once: counted here as the calls that split a search into
    words on the thread that renders the page (the event loop's), where it was two for each card."""
    path = tmp_path / "public.db"
    shutil.copy(folder / "public.db", path)
    with sqlite3.connect(path) as conn:
        columns = [row[1] for row in conn.execute("PRAGMA table_info(events)")]
        copied = ", ".join(f"{c} + k.n * 1000" if c in ("id", "position") else c for c in columns)
        conn.execute(
            f"INSERT INTO events ({', '.join(columns)}) SELECT {copied} FROM events,"
            " (WITH RECURSIVE k(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM k WHERE n < 60) SELECT n FROM k) k"
        )
        claim = conn.execute("SELECT claim FROM events WHERE claim IS NOT NULL ORDER BY id LIMIT 1").fetchone()[0]
    ds = make_datasette(str(path))
    rule = pm.get_plugin("sql_functions.py")
    word = max(rule.split_words(claim), key=len)
    splits = 0

    def count(frame, event, arg):
        nonlocal splits
        if event == "call" and frame.f_code is rule.split_words.__code__:
            splits += 1

    q = quote_plus((word + " a" * 5000)[:SEARCH_CHARS])  # the longest search taken (search_chars)
    sys.setprofile(count)
    try:
        page = get(ds, f"/public/timeline?q={q}")
    finally:
        sys.setprofile(None)
    assert page.status_code == 200
    cards = page.text.count('class="card-claim"')
    assert cards == 50, cards
    assert splits <= 2, f"the search was split into words {splits} times for {cards} cards"


def test_many_long_unknown_paths_cannot_grow_the_process(server):
    """The page cache remembered, for every path ever asked for, which parameters its page reads: 2,500
    requests for made-up paths of 60,000 characters kept 150 MB (10,000 paths were kept before any was let go).
    http.client, not httpx: a connection kept open, as a scanner would."""
    import http.client

    port = int(server["base"].rsplit(":", 1)[1])
    client = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    client.request("GET", "/no-such-page")
    assert client.getresponse().read()
    before = rss_mb(server["pid"])
    for i in range(2500):
        client.request("GET", f"/p{i}" + "x" * 60_000)
        response = client.getresponse()
        response.read()
        # Not found, or refused by uvicorn's HTTP parser (h11) when the 60 kB request line reaches it in
        # pieces, past its 16 kB limit on an unfinished request: which one depends on how the kernel splits
        # the bytes, so a loaded machine sees both. Either way nothing is kept for the path.
        assert response.status in (404, 400)
    client.close()
    growth = rss_mb(server["pid"]) - before
    assert growth < MEMORY_GROWTH_CAP_MB, f"the process grew by {growth:.0f} MB"


def test_many_facets_on_a_long_address_cannot_grow_the_process(server):
    """Every value of every facet links to the page's own address with one filter more: 400 copies of
    `_facet=detail` on an address of 115,000 characters grew Datasette by 1.7 GB on the demo story (12 events)
    and kept 1.3 GB of it; one facet of 500 values on such an address took 100 MB."""
    import http.client

    port = int(server["base"].rsplit(":", 1)[1])
    client = http.client.HTTPConnection("127.0.0.1", port, timeout=120)  # httpx refuses addresses this long

    def status(path: str) -> int:
        client.request("GET", path)
        response = client.getresponse()
        response.read()
        return response.status

    assert status("/public/events.json?_facet=detail") == 200
    before = rss_mb(server["pid"])
    padding = "&_pad=" + "x" * 50_000  # the answer's Link header repeats the address: under http.client's 64 kB
    hostile = [
        "/public/events.json?_size=1" + "&_facet=detail" * 400 + padding,
        "/public/events?_size=1" + "&_facet=detail" * 400 + padding,
        "/public/events.json?_size=1&_facet=detail&_facet=claim&_facet_size=max" + padding,
    ]
    statuses = [status(path) for path in hostile]
    client.close()
    growth = rss_mb(server["pid"]) - before
    assert growth < MEMORY_GROWTH_CAP_MB, f"the process grew by {growth:.0f} MB"
    assert all(code in (400, 414) for code in statuses), statuses


@pytest.mark.parametrize(
    ("query", "status", "says"),
    [
        (
            "_facet=id&_facet=text&_facet=claimant&_facet=status_rationale&_facet=first_reported_at"
            "&_facet=outlets_repeating",
            400,
            "at most",
        ),
        (
            "_facet=id&_facet_array=text&_facet_date=first_reported_at&_facet=claimant&_facet=status_rationale"
            "&_facet_date=status_changed_at",
            400,
            "at most",
        ),
        ("text__contains=" + "kettle+" * 1000, 414, "too long"),
        ("_search=" + "kettle+" * 1000, 400, "A search is at most"),
    ],
)
def test_a_table_page_asked_for_too_many_facets_or_too_long_an_address_says_why(folder, query, status, says):
    ds = make_datasette(str(folder / "public.db"))
    for path in ("/public/claims.json", "/public/claims", "/public/claims.csv"):
        response = get(ds, f"{path}?{query}")
        assert response.status_code == status, (path, response.status_code)
        assert says in response.text, path
    # What a reader or a data journalist asks for still works: a few facets, and the longest search on a query page.
    assert get(ds, "/public/claims.json?_facet=status&_facet=story&_facet=claimant&_facet_size=max").status_code == 200
    longest = quote_plus(("kettle " * 1000)[:SEARCH_CHARS])
    assert get(ds, "/public/timeline?q=" + longest).status_code == 200
    assert get(ds, "/public/search.json?q=" + longest).status_code == 200


@pytest.mark.parametrize(
    "query",
    [
        "_facet=status",  # the claims table's own facet (metadata.yml), asked for again
        "_facet=status&_facet=status",
        "_facet=story&_facet=story&_facet=%7B%22simple%22%3A%22story%22%7D",
        "_facet=status&_facet_date=status&%5Ffacet=status",
        "&".join(["_facet=story"] * 6 + ["_facet=claimant"] * 6),  # two columns, each asked for six times
    ],
)
def test_a_facet_asked_for_again_is_counted_and_shown_once(folder, query):
    """Datasette counts a facet as often as it is asked for, the table's own ones too, and shows each under the same
    `id="facet-COLUMN"`: `claims?_facet=status` repeated the page's status facet, an id twice in one page (which a
    screen reader's "go to" and every `#facet-status` link find only once) and its SQL run twice. The guard keeps
    the first facet of each column, so a typed repeat is the page without it, not an error."""
    import re

    ds = make_datasette(str(folder / "public.db"))
    page = get(ds, f"/public/claims?{query}")
    assert page.status_code == 200, page.text[:200]
    ids = re.findall(r'\bid="([^"]+)"', page.text)
    assert sorted(ids) == sorted(set(ids)), [i for i in set(ids) if ids.count(i) > 1]
    data = get(ds, f"/public/claims.json?{query}")
    assert data.status_code == 200
    names = list(data.json()["facet_results"])
    assert len(names) == len(set(names)) and not [n for n in names if n.endswith("_2")], names
    assert {"status", "claimant_type"} <= set(names)


def test_too_long_an_address_names_what_was_asked_for(folder):
    ds = make_datasette(str(folder / "public.db"))
    export = get(ds, "/public/timeline-js.json?story=" + "x" * 5000)
    assert export.status_code == 414
    message = export.json()["error"]
    assert "/public/timeline-js.json" in message and "table page" not in message and "SQL box" not in message
    table = get(ds, "/public/claims.json?text__contains=" + "kettle+" * 1000)
    assert table.status_code == 414 and "table page" in table.json()["error"]


def test_a_streamed_download_is_sorted_only_by_an_indexed_column(folder):
    """A CSV stream is read a page at a time, each page `where col > :last order by col, id`: sorted by a column
    with no index, every page sorted the whole table. `evidence.csv?_stream=on&_sort=quote` on 300,000 quotes held
    a SQL thread for 34 s, sent 2,850 rows and ended with the timed-out query's SQL written into the file."""
    ds = make_datasette(str(folder / "public.db"))
    for path in ("/public/evidence.csv?_stream=on&_sort=quote", "/public/events.csv?_stream=1&_sort_desc=detail"):
        response = get(ds, path)
        assert response.status_code == 400, path
        assert "sorted by" in response.text and "index" in response.text, response.text[:300]
    # The table's own order, its id, an indexed column, and any order of one page, still download.
    for path in (
        "/public/evidence.csv?_stream=on",
        "/public/evidence.csv?_stream=on&_sort=claim_id",
        "/public/events.csv?_stream=on&_sort_desc=date",
        "/public/claims.csv?_stream=on&_sort_desc=id",
        "/public/evidence.csv?_sort=quote",
        "/public/evidence.json?_sort=quote&_size=max",
    ):
        assert get(ds, path).status_code == 200, path


def test_sqlite_refuses_any_value_over_the_length_limit(folder):
    ds = make_datasette(str(folder / "public.db"))
    response = get(ds, sql_url("select length(zeroblob(2000000)) as n"))
    assert response.status_code == 400
    assert "too big" in response.text
    assert get(ds, sql_url("select length(zeroblob(500000)) as n")).json() == [{"n": 500000}]


# A plugin for the test's copy of the plugins directory: `select wait_for_release()` holds the query until the
# test releases it. Visitors' SQL runs in worker processes, so the test talks to it over a Unix socket.
BLOCKING_PLUGIN = """
import os
import socket

from datasette import hookimpl


def wait_for_release():
    with socket.socket(socket.AF_UNIX) as held:
        held.connect(os.environ["NEWSROOM_TEST_BLOCKER"])
        held.sendall(b"in")
        held.recv(1)
    return 1


@hookimpl
def prepare_connection(conn):
    conn.create_function("wait_for_release", 0, wait_for_release)
"""


class Blocker:
    """Counts the queries waiting in `wait_for_release()` and lets them all go at once."""

    def __init__(self, path: str) -> None:
        self.listener = socket.socket(socket.AF_UNIX)
        self.listener.bind(path)
        self.listener.listen(64)
        self.entered = 0
        self.held: list[socket.socket] = []
        self.changed = threading.Condition()
        self.release = threading.Event()
        self.released_by_watchdog = False
        threading.Thread(target=self.accept, daemon=True).start()
        threading.Thread(target=self.watchdog, daemon=True).start()

    def accept(self) -> None:
        while True:
            try:
                conn, _ = self.listener.accept()
            except OSError:
                return
            conn.recv(2)
            with self.changed:
                self.entered += 1
                self.held.append(conn)
                self.changed.notify_all()
                if self.release.is_set():
                    self.let_go()

    def let_go(self) -> None:
        for conn in self.held:
            with contextlib.suppress(OSError):
                conn.sendall(b"x")
            conn.close()
        self.held.clear()

    def set_release(self) -> None:
        with self.changed:
            self.release.set()
            self.let_go()

    def wait_entered(self, count: int) -> None:
        with self.changed:
            assert self.changed.wait_for(lambda: self.entered >= count, timeout=120), "the queries never started"

    def watchdog(self) -> None:
        """Only so that a broken build fails instead of hanging: it releases the queries after a long while."""
        if not self.release.wait(120):
            self.released_by_watchdog = True
            self.set_release()

    def close(self) -> None:
        self.set_release()
        self.listener.close()


@contextlib.contextmanager
def site_with_plugin(folder: Path, monkeypatch, name: str, source: str, **plugin_config):
    """The site with one more plugin (`source`, as file `name`) beside its own (linked, so they are the same
    files), and the Blocker its `wait_for_release()` waits on."""
    scratch = Path(tempfile.mkdtemp(prefix="blocker-"))  # short: a Unix socket path has a length limit
    plugins = scratch / "plugins"
    plugins.mkdir()
    for plugin in PLUGINS.glob("*.py"):
        (plugins / plugin.name).symlink_to(plugin)
    (plugins / name).write_text(source, encoding="utf-8")
    monkeypatch.setenv("NEWSROOM_TEST_BLOCKER", str(scratch / "blocker.sock"))
    blocking = Blocker(str(scratch / "blocker.sock"))
    try:
        yield make_datasette(str(folder / "public.db"), plugins_dir=plugins, plugin_config=plugin_config), blocking
    finally:
        blocking.close()
        pm.unregister(name=name)
        shutil.rmtree(scratch, ignore_errors=True)


@pytest.fixture
def blocking_site(folder, monkeypatch):
    """The site with the blocking plugin beside its own, and the Blocker."""
    with site_with_plugin(folder, monkeypatch, "blocking_sql.py", BLOCKING_PLUGIN) as site:
        yield site


def test_readers_are_served_while_visitors_sql_holds_its_workers(blocking_site):
    """Eight clients' SQL in flight; the claims page, the timeline and a canned query still answer at once."""
    ds, blocker = blocking_site
    processes, in_flight = LIMITS.get("sql_processes", 2), LIMITS.get("sql_in_flight", 4)
    assert processes < in_flight < 8

    async def scenario():
        client = ds.client
        await client.get("/public/claims.json?_size=1")  # startup done before the clients arrive
        abusive = [asyncio.create_task(client.get(sql_url("select wait_for_release() as w"))) for _ in range(8)]
        await asyncio.to_thread(blocker.wait_entered, processes)
        readers = [
            await client.get(path)
            for path in ("/public/claims.json?_size=1", "/public/timeline", "/public/unclear.json", "/public/events")
        ]
        held_while_reading = not blocker.release.is_set() and blocker.entered == processes
        # Past sql_in_flight the answer is busy, come back (after a second's hold): those finish unreleased.
        while sum(t.done() for t in abusive) < 8 - in_flight:
            await asyncio.wait([t for t in abusive if not t.done()], return_when=asyncio.FIRST_COMPLETED)
        early = [t.result() for t in abusive if t.done()]
        blocker.set_release()
        finished = await asyncio.gather(*abusive)
        return readers, held_while_reading, early, finished

    readers, held, early, finished = asyncio.run(scenario())
    assert [r.status_code for r in readers] == [200, 200, 200, 200]
    assert held and not blocker.released_by_watchdog, "the reader pages waited behind visitors' SQL"
    assert [r.status_code for r in early] == [503] * (8 - in_flight)
    busy = [r for r in finished if r.status_code == 503]
    assert len(busy) == 8 - in_flight
    assert all(r.headers["retry-after"] == "1" for r in busy)
    answered = [r for r in finished if r.status_code == 200]
    assert len(answered) == in_flight and all(r.json() == [{"w": 1}] for r in answered)


def test_visitors_sql_has_a_rate_per_address(folder):
    ds = make_datasette(str(folder / "public.db"), plugin_config={"sql_per_minute": 2}, rate_clock=held_still)

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


def test_visitors_sql_is_answered_while_the_site_holds_over_a_thousand_files_and_connections(folder):
    """select() takes no descriptor numbered past 1023: on a site holding that many sockets and files
    open (a busy day), the pipe to a new SQL worker got a higher number and every visitor's query was
    a 500."""
    ds = make_datasette(str(folder / "public.db"))
    held = [os.open(os.devnull, os.O_RDONLY) for _ in range(1100)]

    async def scenario():
        transport = httpx.ASGITransport(app=ds.app(), client=("192.0.2.9", 1000))
        async with httpx.AsyncClient(transport=transport, base_url="http://localhost") as visitor:
            return await visitor.get(sql_url("select 1 as one"))

    try:
        answer = asyncio.run(scenario())
    finally:
        for fd in held:
            os.close(fd)
    assert answer.status_code == 200, answer.text
    assert answer.json() == [{"one": 1}]


def test_an_ipv6_visitors_sql_rate_is_shared_across_its_network(folder):
    """One subscriber's /64 holds 2^64 addresses: counted apart, each would bring a fresh rate."""
    ds = make_datasette(str(folder / "public.db"), plugin_config={"sql_per_minute": 2}, rate_clock=held_still)

    async def scenario():
        app = ds.app()

        def client(address: str) -> httpx.AsyncClient:
            transport = httpx.ASGITransport(app=app, client=(address, 1000))
            return httpx.AsyncClient(transport=transport, base_url="http://localhost")

        codes = []
        for address in ("2001:db8:5:6::1", "2001:db8:5:6::2", "2001:db8:5:6:ffff::3", "2001:db8:5:7::1"):
            async with client(address) as visitor:
                codes.append((await visitor.get(sql_url("select 1 as one"))).status_code)
        return codes

    assert asyncio.run(scenario()) == [200, 200, 429, 200]


def test_behind_a_trusted_proxy_the_sql_rate_is_per_visitor_address(folder):
    ds = make_datasette(
        str(folder / "public.db"), plugin_config={"sql_per_minute": 2, "proxies": 1}, rate_clock=held_still
    )

    async def scenario():
        proxy = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=ds.app(), client=("10.9.9.9", 1000)), base_url="http://localhost"
        )
        async with proxy:

            async def ask(forwarded_for: str):
                return await proxy.get(sql_url("select 1 as one"), headers={"X-Forwarded-For": forwarded_for})

            one = [await ask("203.0.113.7") for _ in range(3)]
            other = await ask("198.51.100.4")
            # Only the last hop is the proxy's word; what a visitor writes before it is theirs.
            spoofed = await ask("198.51.100.77, 203.0.113.7")
        return one, other, spoofed

    one, other, spoofed = asyncio.run(scenario())
    assert [r.status_code for r in one] == [200, 200, 429]
    assert other.status_code == 200
    assert spoofed.status_code == 429


def test_without_a_trusted_proxy_a_forwarded_address_is_ignored_by_the_sql_rate(folder):
    ds = make_datasette(str(folder / "public.db"), plugin_config={"sql_per_minute": 2}, rate_clock=held_still)

    async def scenario():
        client = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=ds.app(), client=("192.0.2.9", 1000)), base_url="http://localhost"
        )
        async with client:
            return [
                await client.get(sql_url("select 1 as one"), headers={"X-Forwarded-For": f"203.0.113.{i}"})
                for i in range(3)
            ]

    assert [r.status_code for r in asyncio.run(scenario())] == [200, 200, 429]


def test_a_visitors_sql_rate_refills_on_the_clock_its_site_is_given(folder):
    """The rate limits read the clock make_datasette is given (held still by the tests above), not time.monotonic."""
    now = [0.0]
    ds = make_datasette(str(folder / "public.db"), plugin_config={"sql_per_minute": 2}, rate_clock=lambda: now[0])

    async def scenario():
        transport = httpx.ASGITransport(app=ds.app(), client=("192.0.2.3", 1000))
        async with httpx.AsyncClient(transport=transport, base_url="http://localhost") as here:
            codes = [(await here.get(sql_url("select 1 as one"))).status_code for _ in range(3)]
            now[0] = 45.0  # a token and a half
            codes += [(await here.get(sql_url("select 1 as one"))).status_code for _ in range(2)]
        return codes

    assert asyncio.run(scenario()) == [200, 200, 429, 200, 429]


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


def test_a_charge_puts_a_client_in_debt_and_the_table_of_clients_stays_bounded():
    """The share of SQL time (`sql_ms_per_minute`) is charged after a request with what it spent: a client that
    overspent waits until the refill has paid it off, and however many addresses spend, at most max_clients are
    remembered."""
    module = load_plugin("client_rate.py")
    now = [0.0]
    share = module.RateLimit(600, clock=lambda: now[0], max_clients=3)  # 600 ms a minute: 10 ms refilled a second
    assert share.take("a") == 0.0
    share.charge("a", 5_000 - 1)
    assert share.take("a") == pytest.approx(440.1)  # 4,400 ms in debt (and 1 to go on), at 10 ms a second
    assert share.take("b") == 0.0
    now[0] = 440.1
    assert share.take("a") == 0.0
    for client in ("c", "d", "e", "f"):
        share.charge(client, 10)
    assert len(share) == 3 and "a" not in share.buckets


def load_plugin(name: str):
    import importlib.util

    spec = importlib.util.spec_from_file_location(f"plugin_{name}", PLUGINS / name)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("name", list(load_metadata()["databases"]["public"]["queries"]))
def test_a_ready_made_query_ignores_sql_and_where_instead_of_failing(folder, name):
    """A ready-made query runs its own SQL; `?sql=` or `?_where=` added to it (a crawler, a stray link) sent it to
    the visitors' SQL workers with parameters that cannot cross to them: every one, the timeline and the Atom feed
    included, answered 500."""
    ds = make_datasette(str(folder / "public.db"))
    params = "story=acme-kettles&q=kettle&unit=day"
    plain = get(ds, f"/public/{name}.json?_shape=array&{params}")
    assert plain.status_code == 200
    for extra in ("sql=select+1", "_where=1", "sql=select+1&_where=1"):
        response = get(ds, f"/public/{name}.json?_shape=array&{params}&{extra}")
        assert response.status_code == 200, (extra, response.text[:200])
        assert response.json() == plain.json(), extra
    page = get(ds, f"/public/{name}?{params}&sql=select+1")
    assert page.status_code == (302 if name == "search" else 200)  # search's page: the timeline's search
    # Datasette reads a name's ~XX as the character (tilde encoding): the same page, and it answered 500 the same way.
    spelled = f"~{ord(name[0]):02X}{name[1:]}"
    response = get(ds, f"/public/{spelled}.json?_shape=array&{params}&sql=select+1")
    assert response.status_code == 200, response.text[:200]
    assert response.json() == plain.json()


def test_a_reader_page_with_sql_added_is_still_served_from_the_page_cache(folder):
    public = folder / "public.db"
    os.utime(public, (time.time() - 60, time.time() - 60))
    ds = make_datasette(str(public))
    first = get(ds, "/public/timeline?status=unclear")
    stray = get(ds, "/public/timeline?status=unclear&sql=select+1&_where=1")
    assert (first.headers["x-page-cache"], stray.headers["x-page-cache"]) == ("miss", "hit")
    assert stray.text == first.text


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


@pytest.mark.parametrize(
    "spelling", ["/public%2Ftimeline", "/public/%74imeline", "/%61bout", "/stories/acme%2Dkettles"]
)
def test_the_page_cache_reads_an_address_as_datasette_routes_it(folder, spelling):
    """Datasette routes the path as sent and redirects one with a percent-escape to its tilde spelling
    (`/public%2Ftimeline` to `/public~2Ftimeline`, no page); the page cache read the decoded path, the timeline's.
    Sent while the timeline was not cached, that redirect was the render the timeline's readers waited for: a
    reader asking for the timeline at the same moment was sent away to no page. Once cached, the same address was
    answered the timeline instead of the redirect. Read as Datasette routes it (addresses.py), it is no page of
    the cache's."""
    public = folder / "public.db"
    os.utime(public, (time.time() - 60, time.time() - 60))
    ds = make_datasette(str(public))
    page = {"/%61bout": "/about", "/stories/acme%2Dkettles": "/stories/acme-kettles"}.get(spelling, "/public/timeline")

    async def at_once() -> list[httpx.Response]:
        return await asyncio.gather(ds.client.get(spelling), ds.client.get(page))

    odd, reader = asyncio.run(at_once())
    assert reader.status_code == 200, (reader.status_code, reader.headers.get("location"))
    assert odd.status_code == 302 and "~" in odd.headers["location"]
    assert get(ds, page).headers["x-page-cache"] == "hit"
    again = get(ds, spelling)
    assert again.status_code == 302 and "x-page-cache" not in again.headers


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


def test_a_second_host_header_is_never_the_one_links_are_built_from(folder):
    """The guard judged a request's first Host header and, when that one was the site's, passed every Host on;
    Datasette reads the last one (its headers are a dict), so `Host: tracker.example.org` then `Host: evil.example`
    put the other host into every absolute link (h11 refuses such a request; a server or proxy that passes both
    on does not). The request Datasette sees has one Host, the one judged."""
    configured = make_datasette(str(folder / "public.db"), plugin_config={"public_url": "https://tracker.example.org"})
    unconfigured = make_datasette(str(folder / "public.db"), plugin_config={"public_url": None})
    for ds, site in ((configured, "tracker.example.org"), (unconfigured, "127.0.0.1:8001")):

        async def fetch(ds=ds, site=site):
            headers = [("host", site), ("host", "evil.example")]
            pages = ["/public/changes.atom", "/public/timeline-js.json", "/public/claims/1", "/public.json"]
            return [await ds.client.get(path, headers=headers) for path in pages]

        responses = asyncio.run(fetch())
        assert all(r.status_code == 200 for r in responses), [r.status_code for r in responses]
        text = "\n".join(r.text + str(r.headers) for r in responses)
        assert "evil.example" not in text, site
        assert f"//{site}/public/claims/" in text, site


def test_only_a_real_loopback_address_is_believed_as_the_host(folder):
    """Without a configured address, a loopback Host is kept: `127.evil.example` once counted as one, because it
    starts with `127.`, and went into every Atom id and link (`deploy/public_snapshot.py serve` needs no address)."""
    unconfigured = make_datasette(str(folder / "public.db"), plugin_config={"public_url": None})
    for host in ("127.evil.example", "127.0.0.1.evil.example:8001", "localhost.evil.example"):
        assert "evil.example" not in links_for(unconfigured, host), host
    assert "//127.0.0.2:8001/public/claims/" in links_for(unconfigured, "127.0.0.2:8001")
    assert "//[::1]:8001/public/claims/" in links_for(unconfigured, "[::1]:8001")


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


def test_a_trailing_slash_redirect_stays_on_the_site(server):
    """Datasette drops a trailing slash with a redirect to the same path; `/\\evil.example/` was sent to
    `/\\evil.example`, which a browser reads as `//evil.example`, another site. http.client, not httpx: a
    backslash sent as it is."""
    import http.client

    port = int(server["base"].rsplit(":", 1)[1])
    for path in ("/\\evil.example/", "//\\evil.example/", "/\\/evil.example/", "/public/claims/", "///", "//x/"):
        client = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        client.request("GET", path)
        response = client.getresponse()
        response.read()
        client.close()
        location = response.getheader("location") or ""
        assert response.status in (302, 404), (path, response.status)
        assert "\\" not in location and not location.startswith("//"), (path, location)
        assert location.startswith("/") or response.status == 404, (path, location)  # `///` was sent to ""


def test_a_csv_download_from_the_real_server_opens_as_text_in_a_spreadsheet(server):
    """The real process loads the same plugins: a cell a spreadsheet would run arrives with an apostrophe."""
    response = httpx.get(server["base"] + sql_url("select '=1+1' as f, -3 as n", ".csv", "&_dl=1"), timeout=60)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert response.text.splitlines() == ["f,n", '"\'=1+1",-3']


def from_address(address: str) -> httpx.Client:
    """A client whose requests come from another loopback address: a rate of its own, whatever else ran first."""
    return httpx.Client(transport=httpx.HTTPTransport(local_address=address), timeout=120)


ATOM_COLUMNS = "1 as atom_id, 'x' as atom_title, '2025-11-20T09:00:00Z' as atom_updated"


def test_one_row_cannot_hold_hundreds_of_large_values(server):
    """The length limit holds each value to a megabyte, and a row SQLite stores, but not a row it returns: one
    `select zeroblob(999999), zeroblob(999999), ...` of 200 columns grew a SQL worker by 400 MB before the response
    budget saw the row (2,000 columns fit in the SQL length limit). A result is held to 64 columns."""
    with from_address("127.0.0.34") as client:
        warm = client.get(server["base"] + sql_url("select count(*) from claims"))
        assert warm.status_code == 200
        before = rss_mb(server["pid"])
        columns = ", ".join(f"zeroblob(999999) as c{i}" for i in range(200))
        wide = client.get(server["base"] + sql_url(f"select {columns}"))
        assert wide.status_code == 400
        assert "too many columns" in wide.json()["error"]
        growth = rss_mb(server["pid"]) - before
        assert growth < MEMORY_GROWTH_CAP_MB, f"the process grew by {growth:.0f} MB"
        # Every table of the site, and a join of the widest two, are well within it.
        joined = client.get(server["base"] + sql_url("select * from developments, events limit 1"))
        assert joined.status_code == 200


def test_long_column_names_count_against_the_response_budget(server):
    """JSON rows as objects (`_shape=array`) spell every column's name in every row, and the budget counted only
    the values: 500 rows of 64 numbers named with 600 characters each were built into a 20 MB answer in Datasette's
    own process (it grew by 100 MB for each, and kept 60 MB) before the response cap refused it."""
    with from_address("127.0.0.35") as client:
        warm = client.get(server["base"] + sql_url("select count(*) from claims"))
        assert warm.status_code == 200
        before = rss_mb(server["pid"])
        columns = ", ".join(f'n as "{i}{"x" * 600}"' for i in range(64))
        sql = f"with recursive r(n) as (select 1 union all select n + 1 from r where n < 500) select {columns} from r"
        for _ in range(4):
            response = client.get(server["base"] + sql_url(sql))
            assert response.status_code == 400
            assert "select fewer or shorter columns" in response.json()["error"]
        growth = rss_mb(server["pid"]) - before
        assert growth < MEMORY_GROWTH_CAP_MB, f"the process grew by {growth:.0f} MB"
        # Ordinary names cost next to nothing: every claim, every column.
        assert client.get(server["base"] + sql_url("select * from claims")).status_code == 200


def test_a_visitors_own_feed_cannot_send_html_through_the_sanitizer(server):
    """datasette-atom cleans `atom_content_html` with bleach, on the event loop: one `/public.atom?sql=` of a few
    hundred kilobytes of nested tags held every reader's request for over five minutes. A visitor's own feed takes
    its text as atom_content; no HTML of theirs is parsed."""
    html_rows = "replace(hex(zeroblob(200000)), '00', '<b>') as atom_content_html"
    with from_address("127.0.0.31") as client:
        refused = client.get(server["base"] + sql_url(f"select {ATOM_COLUMNS}, {html_rows}", ".atom", ""))
        assert refused.status_code == 400
        assert "atom_content" in html.unescape(refused.text)
        text_rows = f"select {ATOM_COLUMNS}, '<b>bold</b>' as atom_content"
        as_text = client.get(server["base"] + sql_url(text_rows, ".atom", ""))
        assert as_text.status_code == 200 and "&lt;b&gt;bold&lt;/b&gt;" in as_text.text
    # The site's own feed is unchanged.
    assert httpx.get(server["base"] + "/public/changes.atom", timeout=60).status_code == 200


def test_a_visitor_cannot_read_other_visitors_sql(server):
    """Every visitor's SQL runs on the same few worker connections, and SQLite's `sqlite_stmt` table lists the
    statements a connection keeps prepared: one visitor read the text of another's recent queries."""
    with from_address("127.0.0.32") as client:
        mine = client.get(server["base"] + sql_url("select 'my-own-question' as q"))
        assert mine.status_code == 200
        for _ in range(4):  # enough to reach every worker
            spying = client.get(server["base"] + sql_url("select sql from sqlite_stmt"))
            assert spying.status_code == 400, spying.text[:300]
            assert "my-own-question" not in spying.text
        assert client.get(server["base"] + sql_url("select count(*) as n from claims")).status_code == 200


def test_a_failed_query_logs_only_the_start_of_its_long_sql(server):
    """A failed free-form query is logged (its SQL, parameters and SQLite's error, which can quote the SQL), and so
    is every request's address: at the SQL rate of 30 a minute, whole queries of up to 100 kB filled the server's
    log by megabytes a minute from one address. Each is logged by its start and its length."""
    log = server["log"]
    before = log.stat().st_size
    sql = "select logged_marker_" + "a" * 30_000 + " from claims"
    with from_address("127.0.0.34") as client:
        answer = client.get(server["base"] + sql_url(sql, extra=f"&note={'b' * 20_000}"))
    assert answer.status_code == 400
    logged = log.read_bytes()[before:].decode(errors="replace")
    assert "free-form SQL" in logged
    assert "select logged_marker_aaa" in logged
    assert "no such column: logged_marker_aaa" in logged
    assert f"{len(sql):,} characters" in logged
    assert "GET /public.json?sql=select" in logged
    assert len(logged) < 5_000, logged[:500]


def test_an_advanced_search_fts5_cannot_read_is_logged_as_the_readers_mistake_not_a_server_error(server):
    """A raw search with a stray quotation mark answered the reader 400, as it should, but the server logged an
    ERROR line with a traceback for it, as for a fault of the site: monitoring that counts ERROR lines paged
    someone for every reader's typo. It is logged as the reader's mistake, one line, without a traceback."""
    log = server["log"]
    before = log.stat().st_size
    with from_address("127.0.0.37") as client:
        for path in ("/public/claims.json", "/public/claims"):
            answer = client.get(server["base"] + path + "?_search=%22unclosed_marker&_searchmode=raw")
            assert answer.status_code == 400
            assert "could not be read as an advanced search" in html.unescape(answer.text)
    logged = log.read_bytes()[before:].decode(errors="replace")
    assert "Traceback" not in logged, logged[-3000:]
    assert not [line for line in logged.splitlines() if "ERROR" in line], logged[-3000:]
    assert "GET /public/claims?_search=" in logged  # the requests themselves are still in the access log
    assert logged.count("WARNING: free-form SQL") == 2 and "unclosed_marker" in logged  # what failed, as the reader's


@pytest.mark.parametrize(
    ("args", "level"),
    [
        (["unterminated string"], "WARNING"),
        (['fts5: syntax error near "AND"'], "WARNING"),
        (["no such column: nope"], "WARNING"),
        (["database is locked"], "ERROR"),  # the site's fault, not the visitor's: still an error
        (["disk I/O error"], "ERROR"),
    ],
)
def test_a_failed_query_is_an_error_in_the_log_only_when_the_database_failed(args, level, capsys):
    module = load_plugin("query_limits.py")
    module.worker_error({"error": "OperationalError", "args": args}, "select 1", {}, True)
    assert capsys.readouterr().err.startswith(f"{level}: free-form SQL")


@pytest.mark.parametrize(
    ("path", "says"),
    [
        # A download of a row that is not there, of a number, or by the hash of a text or an empty value.
        ("/public/claims.blob?_blob_column=text&id=999999", "nothing to download"),
        ("/public/claims/1.blob?_blob_column=id", "text or bytes"),
        ("/public/claims/1.blob?_blob_column=text&_blob_hash=abc", "text or bytes"),
        (sql_url("select 1e999 as a", ".blob", "&_blob_column=a"), "text or bytes"),
        (sql_url("select x'00' as a where 0", ".blob", "&_blob_column=a"), "nothing to download"),
        # A value read as JSON (_json=) nested past what Python's parser takes.
        (sql_url("select printf('%.*c', 100000, '[') as a", ".json", "&_json=a"), "nested too deeply"),
        # A visitor's own feed with a number where the feed needs text.
        (sql_url(f"select {ATOM_COLUMNS}, 'c' as atom_content, 5 as atom_author_name", ".atom", ""), "as text"),
    ],
)
def test_odd_downloads_and_formats_are_a_400_that_says_why_not_a_500(server, path, says):
    with from_address("127.0.0.33") as client:
        response = client.get(server["base"] + path)
        assert response.status_code == 400, response.text[:300]
        message = response.json()["error"] if ".json" in path else html.unescape(response.text)
        assert says in message and "could not answer" not in message
    assert httpx.get(server["base"] + "/public/claims/1.blob?_blob_column=text", timeout=60).status_code == 200


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


def test_visitors_sql_runs_in_low_priority_workers_that_come_back_when_killed(server):
    """Free-form SQL runs in worker processes at nice 19 (the server stays at its own); a killed worker is replaced."""
    base = server["base"]
    assert httpx.get(base + sql_url("select count(*) as n from claims"), timeout=60).status_code == 200
    workers = workers_of(server["pid"])
    assert workers, "no SQL worker process"
    assert {os.getpriority(os.PRIO_PROCESS, pid) for pid in workers} == {19}
    assert os.getpriority(os.PRIO_PROCESS, server["pid"]) < 19
    for pid in workers:
        os.kill(pid, 9)
    answers = [httpx.get(base + sql_url("select id from claims order by id limit 2"), timeout=60) for _ in range(3)]
    assert [r.status_code for r in answers] == [200] * 3
    assert all(r.json() == [{"id": 1}, {"id": 2}] for r in answers)
    assert not set(workers) & set(workers_of(server["pid"]))


def test_a_raw_search_is_a_visitors_query_with_its_rate_and_workers(folder):
    """`_searchmode=raw` hands the visitor's text to FTS5 as its query language: `1* OR 2* OR ... 9*` merged every
    term of the index on Datasette's own threads, one table page cost twice the time limit (1.0 s at 300,000
    quotes: its rows, its count and facets each up to the limit), and a client could send as many as its share of
    reads. It runs in the SQL workers, at the visitors' SQL rate, as `_where=` does; a plain search stays a read."""
    ds = make_datasette(str(folder / "public.db"), plugin_config={"sql_per_minute": 2}, rate_clock=held_still)
    raw = "/public/claims.json?_shape=array&_searchmode=raw&_search=" + quote("test* OR skip*")

    async def scenario():
        here = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=ds.app(), client=("192.0.2.1", 1000)), base_url="http://localhost"
        )
        async with here:
            answers = [await here.get(raw) for _ in range(3)]
            plain = await here.get("/public/claims.json?_shape=array&_search=skipped")
            broken = await here.get("/public/claims.json?_searchmode=raw&_search=" + quote('"unterminated'))
        return answers, plain, broken

    answers, plain, broken = asyncio.run(scenario())
    assert [r.status_code for r in answers] == [200, 200, 429]
    assert answers[0].json() and answers[0].json() == answers[1].json()
    assert plain.status_code == 200 and plain.json()
    assert broken.status_code == 429  # counted before it runs, like any visitor's query
    broken = get(make_datasette(str(folder / "public.db")), "/public/claims?_searchmode=raw&_search=tests%20OR")
    assert broken.status_code == 400 and "Traceback" not in broken.text


@pytest.mark.parametrize(
    "path",
    [
        "/public.json?%73ql=" + quote("select 1 as one") + "&_shape=array",
        "/public/claims.json?_shape=array&%5Fwhere=" + quote("id > 0"),
        "/public/claims.json?_shape=array&%5Fsearchmode=raw&_search=" + quote("test* OR skip*"),
    ],
)
def test_a_visitors_query_with_its_parameter_name_percent_encoded_is_still_a_visitors_query(folder, path):
    """Datasette decodes a parameter's name (`%73ql=` is `sql=`), and a query so spelled once skipped the check for a
    visitor's query: it ran on Datasette's own threads beside readers' pages, counted only as a read (60 a minute, 2
    at once), never killed for its CPU (`printf('%.*c', 2000000000, 'x')` held one of those threads for 21 s) and
    without the budget on its rows as they are fetched. It is a visitor's query, at their rate, as `sql=` is."""
    ds = make_datasette(str(folder / "public.db"), plugin_config={"sql_per_minute": 2}, rate_clock=held_still)

    async def scenario():
        here = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=ds.app(), client=("192.0.2.1", 1000)), base_url="http://localhost"
        )
        async with here:
            return [await here.get(path) for _ in range(3)]

    answers = asyncio.run(scenario())
    assert [r.status_code for r in answers] == [200, 200, 429]
    assert answers[0].json()


def test_where_filters_and_facets_go_through_the_workers(folder):
    ds = make_datasette(str(folder / "public.db"))
    response = get(ds, "/public/claims.json?_where=" + quote("id <= 3") + "&_facet=status&_size=2")
    assert response.status_code == 200
    data = response.json()
    assert len(data["rows"]) == 2 and {row[0] for row in data["rows"]} <= {1, 2, 3}
    assert data["filtered_table_rows_count"] == 3
    assert sum(item["count"] for item in data["facet_results"]["status"]["results"]) == 3
    page = get(ds, "/public/claims?_where=" + quote("id <= 3"))
    assert page.status_code == 200 and "3 rows" in page.text


def test_worker_rows_read_like_sqlite_rows():
    module = load_plugin("query_limits.py")
    conn = sqlite3.connect(":memory:")
    conn.row_factory = sqlite3.Row
    cursor = conn.execute("select 1 as Id, 'a' as text, 2 as id2")
    expected = cursor.fetchone()
    row = module.row_type(cursor.description)(tuple(expected))
    assert (row[0], row["Id"], row["id"], row["TEXT"], row[-1]) == (1, 1, 1, "a", 2)
    assert row.keys() == expected.keys() == ["Id", "text", "id2"]
    assert dict(row) == {"Id": 1, "text": "a", "id2": 2}
    assert json.dumps(row) == '[1, "a", 2]'
    with pytest.raises(IndexError):
        row["missing"]


def test_a_worker_query_keeps_the_time_limit_the_row_count_and_the_budget():
    worker = load_plugin("sql_worker.py")
    conn = sqlite3.connect(":memory:")
    conn.execute("create table t (id integer, body text)")
    conn.executemany("insert into t values (?, ?)", [(i, "x" * 100) for i in range(50)])

    def run(sql: str, fetch: int | None = None, limit: int = 100_000, time_limit_ms: int = 1_000) -> dict:
        request = {"sql": sql, "params": {}, "time_limit_ms": time_limit_ms, "fetch": fetch, "limit": limit}
        return worker.run_query(conn, {**request, "left": limit})

    answer = run("select id from t order by id", fetch=3)
    assert answer["rows"] == [(0,), (1,), (2,)] and answer["description"][0][0] == "id"
    assert answer["left"] == 100_000 - 3 * (16 + len("id") + 4 + 8)  # each row spells its column's name in JSON
    assert len(run("select id from t")["rows"]) == 50
    too_large = run("select body from t", limit=2_000)
    assert too_large["error"] == "ResultTooLarge" and "larger than the site serves" in too_large["args"][0]
    looping = run(
        "with recursive n(i) as (select 1 union all select i + 1 from n) select count(*) from n", time_limit_ms=50
    )
    assert (looping["error"], looping["args"]) == ("OperationalError", ("interrupted",))
    assert run("select nosuch()")["error"] == "OperationalError"
    assert run("select 1 as one")["rows"] == [(1,)]  # the connection is fine after each of those


def test_a_number_too_large_for_sqlite_is_an_error_answer_not_the_end_of_the_worker(folder):
    """`?_where=1&id__lt=9223372036854775808`: Datasette binds the filter as a Python int SQLite cannot hold. The
    OverflowError is not an sqlite3.Error: it ended the worker, and then the fresh one it was retried on, so each
    such request cost two worker starts and answered "The SQL service stopped"."""
    module = load_plugin("query_limits.py")
    ds = make_datasette(str(folder / "public.db"))
    worker = module.SqlWorker(module.worker_setup(ds, ds.get_database("public")))
    request = {"time_limit_ms": 1000, "limit": 10**6, "left": 10**6, "fetch": None}
    try:
        worker.ensure_started()
        pid = worker.proc.pid
        answer = worker.run({**request, "sql": "select id from claims where id < :p0", "params": {"p0": 2**63}})
        assert answer["error"] == "OverflowError" and "too large" in answer["args"][0]
        assert worker.proc is not None and worker.proc.pid == pid
        assert isinstance(module.worker_error(answer, "select", {}, False), OverflowError)
        assert worker.run({**request, "sql": "select 1 as one", "params": {}})["rows"] == [(1,)]
    finally:
        worker.stop()


def test_a_worker_that_ends_on_its_own_is_reaped_without_waiting_for_the_next_query(folder):
    """An idle worker exits by itself (or is killed): it must not stay a zombie until a visitor's next query."""
    module = load_plugin("query_limits.py")
    ds = make_datasette(str(folder / "public.db"))
    worker = module.SqlWorker(module.worker_setup(ds, ds.get_database("public")))
    worker.ensure_started()
    proc = worker.proc
    try:
        os.kill(proc.pid, 9)
        deadline = time.monotonic() + 60
        while proc.returncode is None:  # set only by a wait() on the process: nothing here calls one
            assert time.monotonic() < deadline, f"worker {proc.pid} left unreaped"
            time.sleep(0.05)
        assert not Path(f"/proc/{proc.pid}").exists() or "Z" not in _state(proc.pid)
        assert worker.run(
            {"sql": "select 1", "params": {}, "time_limit_ms": 1000, "limit": 10**6, "left": 10**6, "fetch": None}
        )["rows"]
    finally:
        worker.stop()


def test_a_query_stuck_inside_one_sqlite_step_is_stopped_once_it_has_used_its_cpu_time(folder, monkeypatch):
    """The time limit is checked between SQLite's steps; some single steps run for many seconds.

    `printf('%.*c', 2000000000, 'x')` repeats a character two billion times
    in one step before giving up (NULL: the value would pass the length
    limit), about 13 CPU seconds; a LIKE with a long pattern against a long
    string, a minute. Six such calls held a worker for a minute, and two
    requests kept every other visitor's SQL waiting that long. A worker
    that has used its query's CPU time and a little more is killed. The
    wall-clock grace (a worker starved of CPU by readers) is made huge
    here, so only CPU time can stop this query before it ends on its own.
    """
    module = load_plugin("query_limits.py")
    monkeypatch.setattr(module.SqlWorker, "GRACE_SECONDS", 3600.0)
    ds = make_datasette(str(folder / "public.db"))
    worker = module.SqlWorker(module.worker_setup(ds, ds.get_database("public")))
    worker.ensure_started()
    stuck = worker.proc.pid
    request = {"params": {}, "time_limit_ms": 100, "limit": 10**6, "left": 10**6, "fetch": None}
    try:
        answer = worker.run({**request, "sql": "select printf('%.*c', 2000000000, 'x') as x"})
        assert (answer.get("error"), answer.get("args"), answer.get("rows")) == (
            "OperationalError",
            ("interrupted",),
            None,
        )
        assert worker.proc is None or worker.proc.pid != stuck
        assert worker.run({**request, "sql": "select 1 as one"})["rows"] == [(1,)]
    finally:
        worker.stop()


def _state(pid: int) -> str:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("State:"):
            return line.split()[1]
    return ""


@pytest.mark.parametrize(
    ("query", "says"),
    [
        ("_sort=nonexistent", "Cannot sort table by nonexistent"),
        ("_sort_desc=nonexistent", "Cannot sort table by nonexistent"),
        ("_sort=text&_sort_desc=id", "not both"),
        ("_through=garbage", "_through must be JSON"),
        ("_through=%7B%22table%22%3A%22x%22%7D", "_through must be JSON"),
        # Well-formed, but naming a table with no foreign key to this one (or none at all).
        ("_through=" + quote('{"table": "stories", "column": "slug", "value": "x"}'), "_through must be JSON"),
        ("_through=" + quote('{"table": "nosuch", "column": "x", "value": 1}'), "_through must be JSON"),
        ("_facet=%7B", "A facet names a column"),
        ("_facet_date=%7B%7D", "A facet names a column"),
        ("_facet_array=%7B%22simple%22%3A1%7D", "A facet names a column"),
        ("_facet_size=%7B", "A facet names a column"),  # read as a facet of kind "size" given in JSON
        ("_facet=%00", "null character"),
        ("%00=1", "null character"),
        ("_timelimit=soon", "_timelimit must be"),
        ("id__lt=9223372036854775808", "too large"),
        ("_where=1&id__lt=9223372036854775808", "too large"),  # the same, through the SQL workers
        # An `in` filter's list given as JSON that does not parse, or holding a list or an object.
        ("id__in=%5B", "JSON list of numbers"),
        ("id__in=%5B%5B1%5D%5D", "JSON list of numbers"),
        ("id__notin=%5B%7B%7D%5D", "JSON list of numbers"),
        ("_where=1&id__in=%5B%5B1%5D%5D", "JSON list of numbers"),  # the same, through the SQL workers
        # A next-page token of more parts than the table's sort and key: Datasette wrote `(... = :p0 and )`.
        ("_next=a,b,c", "next-page link"),
        ("_sort_desc=first_reported_at&_next=,,", "next-page link"),
        ("_where=1&_next=a,b,c,d", "next-page link"),
    ],
)
# Datasette gathers the facets' coroutines before the bad one raises; the others are dropped unawaited.
@pytest.mark.filterwarnings("ignore:coroutine .* was never awaited:RuntimeWarning")
def test_a_malformed_table_url_is_a_400_that_says_why_not_a_500(folder, query, says):
    ds = make_datasette(str(folder / "public.db"))
    as_json = get(ds, f"/public/claims.json?{query}")
    assert as_json.status_code == 400 and says in as_json.json()["error"]
    as_page = get(ds, f"/public/claims?{query}")
    assert as_page.status_code == 400 and says in html.unescape(as_page.text)
    assert get(ds, "/public/claims.json?_sort=text").status_code == 200  # a real column still sorts


@pytest.mark.parametrize(
    "path",
    [
        "/public/claims/99999999999999999999",
        "/public/events/9223372036854775808.json",
        "/public/claims/" + "1" * 5000,
    ],
)
def test_a_row_number_past_sqlites_integers_is_not_found_not_a_server_error(folder, path):
    """A claim's or an event's address not found is looked up among the withdrawn ones (a 410 says it was
    withdrawn): a number SQLite cannot hold (OverflowError) or Python will not read (5,000 digits, ValueError)
    was a server error with its traceback in the log. It is a number no row has: not found."""
    response = get(make_datasette(str(folder / "public.db")), path)
    assert response.status_code == 404 and "not found" in response.text.lower()


@pytest.mark.parametrize("path", ["/public/wp-admin/install.php", "/public/timeline/1", "/public/nosuch/1.json"])
def test_a_row_of_a_table_that_is_not_there_is_not_found(folder, path):
    """A row's address under a name that is no table (a ready-made query's, a scanner's `/public/wp-admin/x.php`)
    was answered "Invalid SQL" with SQLite's "no such table: wp-admin", a 400 blaming the visitor's SQL. It is an
    address with nothing at it: 404."""
    response = get(make_datasette(str(folder / "public.db")), path)
    assert response.status_code == 404, (response.status_code, response.text[:200])
    assert "no such table" not in response.text and "Invalid SQL" not in response.text


@pytest.mark.parametrize("words", ['"unclosed', "AND AND", "tests OR"])
def test_an_advanced_search_that_fts5_cannot_read_says_so_in_a_readers_words(folder, words):
    """`_searchmode=raw` with a stray quotation mark or operator answered Datasette's "Invalid SQL" heading over
    SQLite's own words ("unterminated string", `fts5: syntax error near "AND"`): a 400 that told a reader nothing."""
    ds = make_datasette(str(folder / "public.db"))
    query = "_search=" + quote(words) + "&_searchmode=raw"
    as_json = get(ds, f"/public/claims.json?{query}")
    assert as_json.status_code == 400
    error = as_json.json()["error"]
    assert "could not be read as an advanced search" in error and "fts5" not in error and "SQL" not in error
    assert as_json.json()["title"] != "Invalid SQL"
    as_page = get(ds, f"/public/claims?{query}")
    assert as_page.status_code == 400
    page = as_page.text
    assert "could not be read as an advanced search" in html.unescape(page)
    assert "Invalid SQL" not in page and "fts5" not in page and "unterminated" not in page and "style=" not in page
    assert "<h1>That search could not be read</h1>" in page
    plain = "/public/claims?_search=" + quote_plus(words)
    assert f'<a href="{html.escape(plain)}">' in page
    assert "unsafe-inline" not in as_page.headers["content-security-policy"]
    assert get(ds, plain).status_code == 200  # the link is the same words as a plain search


@pytest.mark.parametrize("words", ['"', '""', "\x00x"])
@pytest.mark.parametrize("table", ["claims", "evidence"])
def test_a_table_search_with_no_word_to_look_for_says_so_in_a_readers_words(folder, table, words):
    """A plain search (the claims or evidence table's box) of a lone quotation mark is no words once Datasette has
    quoted it, and FTS5 refused the empty match: a 400 headed "Invalid SQL" over `fts5: syntax error near ""`; a
    null character answered "unterminated string"."""
    ds = make_datasette(str(folder / "public.db"))
    query = "_search=" + quote(words)
    as_json = get(ds, f"/public/{table}.json?{query}")
    assert as_json.status_code == 400
    error = as_json.json()["error"]
    assert "no word to look for" in error and "fts5" not in error and "unterminated" not in error
    assert as_json.json()["title"] != "Invalid SQL"
    as_page = get(ds, f"/public/{table}?{query}")
    assert as_page.status_code == 400
    page = html.unescape(as_page.text)
    assert "no word to look for" in page
    assert "Invalid SQL" not in page and "fts5" not in page and "unterminated" not in page
    assert get(ds, f"/public/{table}.json?_search=" + quote('"tests')).status_code == 200  # words still search


@pytest.mark.parametrize("mode", ["", "&_searchmode=raw"])
@pytest.mark.parametrize("words", ["", "%20%20", "&_search_text="])
def test_an_empty_search_shows_the_whole_table(folder, words, mode):
    """A search box left empty (Datasette's table form sends `_search=` with every filter applied) is no search: an
    advanced one answered a 400 asking to "remove the stray quotation mark", a plain one "Nothing to search for"."""
    ds = make_datasette(str(folder / "public.db"))
    everything = get(ds, "/public/claims.json?_shape=array&_size=max")
    assert everything.status_code == 200 and len(everything.json()) >= 3
    query = (words.lstrip("&") if words.startswith("&") else "_search=" + words) + mode
    searched = get(ds, f"/public/claims.json?_shape=array&_size=max&{query}")
    assert searched.status_code == 200, searched.text
    assert searched.json() == everything.json()
    as_page = get(ds, f"/public/claims?{query}")
    assert as_page.status_code == 200
    assert "stray quotation mark" not in html.unescape(as_page.text)
    assert get(ds, "/public/claims.json?_search=" + quote('"') + mode).status_code == 400  # a lone mark still says so


@pytest.mark.parametrize(
    "path",
    [
        sql_url("with recursive n(i) as (select 1 union all select i + 1 from n) select count(*) from n", ".csv", ""),
        "/public/claims.csv?_where="
        + quote("id in (with recursive n(i) as (select 1 union all select i + 1 from n) select count(*) from n)"),
    ],
)
def test_a_csv_download_that_runs_out_of_time_says_so_not_that_the_site_failed(folder, path):
    """The page and the JSON of a query cut off at its time limit say it took too long (400); its CSV was a 500,
    "Something went wrong on our side"."""
    ds = make_datasette(str(folder / "public.db"))
    response = get(ds, path)
    assert response.status_code == 400
    page = html.unescape(response.text)
    assert "took too long" in page and "Something went wrong" not in page


@pytest.mark.parametrize("fmt", [".json", ""])
def test_a_query_cut_off_at_the_time_limit_says_so_in_words_not_in_datasettes_html(folder, fmt):
    """A page, a filter or a query cut off at the time limit answered Datasette's own message: HTML inside the JSON
    error, a link to the sql_time_limit_ms setting of a server the visitor does not run, the statement in a textarea
    (a ready-made query's SQL that hide_sql keeps off its page) and an inline script the CSP blocks."""
    ds = make_datasette(str(folder / "public.db"))
    endless = "with recursive n(i) as (select 1 union all select i + 1 from n) select count(*) from n"
    for path in (f"/public{fmt}?sql={quote(endless)}", f"/public/claims{fmt}?_where=" + quote(f"id in ({endless})")):
        response = get(ds, path)
        assert response.status_code == 400, path
        message = response.json()["error"] if fmt else html.unescape(response.text)
        assert "took too long" in message, message[:300]
        assert "<textarea" not in message and "sql_time_limit_ms" not in message and "<script>" not in message
        if not fmt:
            assert "<h1>That took too long to answer</h1>" in response.text


def test_a_search_cut_off_at_the_time_limit_asks_for_more_words():
    """Searching a word that most quotes hold ranks every one of them: on 300,000 quotes, 3.7 s. The reader is told
    to narrow the search, not about the site's time limit."""
    from datasette.utils.asgi import Request
    from datasette.views.base import DatasetteError

    module = load_plugin("bad_input.py")
    interrupted = DatasetteError("<p>SQL query took too long.</p>", title="SQL Interrupted", status=400)
    search = module.visitors_mistake(Request.fake("/public/search?q=the"), interrupted)
    assert search is not None and "add another word" in str(search)
    table = module.visitors_mistake(Request.fake("/public/claims?_sort=text"), interrupted)
    assert table is not None and "took too long" in str(table)


def test_a_where_clause_with_or_keeps_the_pages_filters(folder):
    """Datasette joined `_where=` into the table's WHERE as it was written: `status=confirmed&_where=id < 2 or id > 2`
    ran `"status" = :p0 and id < 2 or id > 2` and listed claims of every status, and the next-page condition
    bound to the `or`'s right side only, so a stream repeated its first row until the response cap."""
    ds = make_datasette(str(folder / "public.db"))
    claims = {r["id"]: r["status"] for r in get(ds, "/public/claims.json?_shape=array").json()}
    where = quote("id < 2 or id > 2")
    found = get(ds, f"/public/claims.json?_shape=array&status=confirmed&_where={where}").json()
    assert found and {r["status"] for r in found} == {"confirmed"}
    assert {r["id"] for r in found} == {i for i, s in claims.items() if s == "confirmed" and (i < 2 or i > 2)}
    # A stream, one row a page: each row once.
    rows = get(ds, f"/public/claims.csv?_stream=on&_size=1&_sort=id&_where={quote('id <= 2 or id >= 1')}").text
    ids = [line.split(",")[0] for line in rows.strip().splitlines()[1:]]
    assert sorted(ids, key=int) == sorted(map(str, claims), key=int)
    # A comment at its end does not swallow the parenthesis closing it.
    commented = get(ds, f"/public/claims.json?_shape=array&status=confirmed&_where={quote('id > 0 -- note')}")
    assert commented.status_code == 200 and {r["status"] for r in commented.json()} == {"confirmed"}


def test_a_where_clause_cannot_close_the_parenthesis_it_is_put_in(folder):
    """Each `_where=` is put in parentheses; a clause that closes one it did not open escaped them all the same:
    `status=confirmed&_where=1) or (1` listed claims of every status under "status = confirmed". Such a clause is
    a 400 that says so; parentheses, quotes and comments that hold one are read as SQLite reads them."""
    ds = make_datasette(str(folder / "public.db"))
    for clause in ("1) or (1", "id > 0) or (id > 0", "1 ) or ( 1 -- ("):
        refused = get(ds, f"/public/claims.json?_shape=array&status=confirmed&_where={quote(clause)}")
        assert refused.status_code == 400 and "parenthes" in refused.text, (clause, refused.text[:200])
        stream = get(ds, f"/public/claims.csv?_stream=on&_size=1&_sort=id&status=confirmed&_where={quote(clause)}")
        assert stream.status_code == 400, clause
    for clause in ("(id > 0) and (id < 1000)", "text != ')' and claimant != \"(\"", "[id] > 0 /* ) */", "id > 0 -- )"):
        kept = get(ds, f"/public/claims.json?_shape=array&status=confirmed&_where={quote(clause)}")
        assert kept.status_code == 200 and {r["status"] for r in kept.json()} == {"confirmed"}, clause


def test_a_streamed_csv_cut_off_at_the_time_limit_ends_with_a_sentence_not_sql(folder, tmp_path):
    """A stream whose later page ran out of time ended with Python's repr of the error: the page's SQL and its
    parameters written into the reader's file as its last line. It ends with a line saying it stopped there."""
    path = tmp_path / "public.db"
    shutil.copy(folder / "public.db", path)
    with sqlite3.connect(path) as conn:
        conn.execute(
            """WITH RECURSIVE n(i) AS (SELECT 1000 UNION ALL SELECT i + 1 FROM n WHERE i < 1999)
               INSERT INTO claims (id, story, text, claimant, claimant_type, status, first_reported_at)
               SELECT i, story, 'claim ' || i, claimant, claimant_type, status, first_reported_at
               FROM n, (SELECT * FROM claims LIMIT 1)"""
        )
    ds = make_datasette(str(path))
    endless = "(with recursive n(i) as (select 1 union all select i + 1 from n) select count(*) from n)"
    # A stream is read 500 rows a part: the first part (ids up to 1600) never reaches the endless subquery; the
    # second does.
    response = get(ds, "/public/claims.csv?_stream=on&_sort=id&_where=" + quote(f"(id <= 1600 or {endless} > 0)"))
    assert response.status_code == 200  # sent before the rows
    lines = response.text.strip().splitlines()
    assert lines[1].startswith("1,")
    assert "select" not in response.text.lower() and "OperationalError" not in response.text
    assert lines[-1].startswith("The download stopped here"), lines[-1]


@pytest.mark.parametrize(
    "path", ["/public.csv", "/public.csv?sql=", "/public.json?_shape=array", "/public.json?sql=&_shape=array"]
)
def test_the_data_page_as_csv_or_rows_says_where_the_rows_are_not_that_the_site_failed(folder, path):
    """The data page lists tables and queries; it has no rows, so its CSV and its JSON in a row shape (also with an
    empty SQL box) raised a KeyError in Datasette: a 500 for an address anyone might try."""
    ds = make_datasette(str(folder / "public.db"))
    response = get(ds, path)
    assert response.status_code == 400
    message = response.json()["error"] if ".json" in path else html.unescape(response.text)
    assert "/public/claims.csv" in message and "Something went wrong" not in message
    assert get(ds, "/public.json").status_code == 200


@pytest.mark.parametrize(
    "columns",
    [
        "'x' as atom_title, '2025-11-20' as atom_updated, 'about' as atom_content",  # a date without its time zone
        "'x' as atom_title, 'soon' as atom_updated, 'about' as atom_content",  # no date at all
        "'x' as atom_title, '2025-11-20T09:00:00Z' as atom_updated",  # neither content nor link
    ],
)
def test_a_visitors_own_atom_feed_that_atom_cannot_hold_is_a_400_not_a_500(folder, columns):
    """`/public.atom?sql=` makes a feed of any query with atom_* columns; datasette-atom raised a ValueError, and
    the site answered 500, for a date without a time zone or an entry with neither content nor link."""
    ds = make_datasette(str(folder / "public.db"))
    response = get(ds, sql_url(f"select 1 as atom_id, {columns}", ".atom", ""))
    assert response.status_code == 400
    assert "atom_updated" in html.unescape(response.text)
    valid = "'x' as atom_title, '2025-11-20T09:00:00Z' as atom_updated, 'about' as atom_content"
    assert get(ds, sql_url(f"select 1 as atom_id, {valid}", ".atom", "")).status_code == 200


@pytest.mark.parametrize(
    ("path", "status", "heading"),
    [
        ("/nowhere", 404, "Nothing at this address"),
        ("/public/claims/999999", 404, "Nothing at this address"),
        ("/public/claims?_sort=nonexistent", 400, "That address could not be read"),
    ],
)
def test_a_reader_s_error_page_is_the_site_s_own_with_its_stylesheet_and_a_way_on(folder, path, status, heading):
    ds = make_datasette(str(folder / "public.db"))
    response = get(ds, path)
    assert response.status_code == status
    page = html.unescape(response.text)
    assert f"<h1>{heading}</h1>" in page
    assert '<link rel="stylesheet" href="/assets/public.css' in page and "/public/timeline" in page
    assert "style=" not in page  # nothing the Content-Security-Policy would block


@pytest.mark.parametrize("path", ["/public.db", "/_internal", "/_internal/tables"])
def test_what_is_closed_to_readers_says_so_not_that_the_site_failed(folder, path):
    """The file itself and Datasette's own `_internal` database are closed (403); their page said "Something
    went wrong on our side, try again in a moment" under "Error " with no number, and a .json address got it too."""
    ds = make_datasette(str(folder / "public.db"))
    page = get(ds, path)
    assert page.status_code == 403
    text = html.unescape(page.text)
    assert "Error 403" in text and "Something went wrong" not in text and "not open to readers" in text
    assert '<link rel="stylesheet" href="/assets/public.css' in text
    if not path.endswith(".db"):
        as_json = get(ds, path + ".json")
        assert as_json.status_code == 403
        assert as_json.json()["ok"] is False and "not open to readers" in as_json.json()["error"]


def test_errors_are_not_written_to_the_console_with_their_locals(folder, capsys):
    """Datasette's own handler printed every exception with its locals when `rich` is installed (it is here):
    a scanner's 404s would fill the log."""
    pytest.importorskip("rich")
    ds = make_datasette(str(folder / "public.db"))
    for path in ("/nowhere", "/public/claims/999999", "/public/claims.json?_sort=nonexistent"):
        assert get(ds, path).status_code in (400, 404)
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err and "exception = " not in out + err


# Datasette gathers the facets' coroutines before the bad one raises; the others are dropped unawaited.
@pytest.mark.filterwarnings("ignore:coroutine .* was never awaited:RuntimeWarning")
def test_a_visitors_mistake_answered_400_leaves_no_traceback_in_the_log(folder, capsys):
    """Datasette's own handler runs too and printed a traceback for every exception that is not its own kind, also
    the ones answered as a 400: a scanner sending `?_timelimit=x` would fill the server's log with them."""
    ds = make_datasette(str(folder / "public.db"))
    for query in (
        "_through=garbage",
        "_timelimit=soon",
        "id__lt=9223372036854775808",
        "%00=1",
        "_facet=%7B",
        "id__in=%5B",
    ):
        assert get(ds, f"/public/claims.json?{query}").status_code == 400, query
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err


def test_archived_copies_are_listed_a_few_at_a_time(folder, tmp_path):
    """Each copy may be a megabyte, and a table page reads every body it lists: at Datasette's 50 a page (or
    `_size=max`'s 500) one request for the list held 50 MB (500 MB), and a streamed CSV went through them all."""
    path = tmp_path / "public.db"
    shutil.copy(folder / "public.db", path)
    with sqlite3.connect(path) as conn:
        coverage_id = conn.execute("SELECT id FROM coverage LIMIT 1").fetchone()[0]
        conn.executemany(
            "INSERT INTO archived_copies (coverage_id, received_at, sha256, size, media_type, body, metadata_removed)"
            " VALUES (?, '2026-12-01T00:00:00Z', ?, ?, 'application/pdf', ?, 0)",
            [(coverage_id, f"{n:064x}", 4096, bytes([n]) * 4096) for n in range(30)],
        )
    ds = make_datasette(str(path))
    listed = get(ds, "/public/archived_copies.json?_shape=objects")
    assert listed.status_code == 200 and len(listed.json()["rows"]) == 10 and listed.json()["next"]
    assert len(get(ds, "/public/archived_copies.json?_shape=objects&_size=4").json()["rows"]) == 4
    for query in ("_size=max", "_size=11", "_stream=on", "_size=5&_stream=1", "_size=%C2%B2", "_size=%EF%BC%95"):
        for page in ("/public/archived_copies.json", "/public/archived_copies", "/public/archived_copies.csv"):
            refused = get(ds, f"{page}?{query}")
            assert refused.status_code == 400 and "at most 10" in refused.text, (page, query, refused.status_code)
    with sqlite3.connect(path) as conn:
        newest = conn.execute("SELECT max(id) FROM archived_copies").fetchone()[0]
    download = get(ds, f"/public/archived_copies/{newest}.blob?_blob_column=body")
    assert download.status_code == 200 and download.content == bytes([29]) * 4096
    assert get(ds, "/public/claims.json?_size=max").status_code == 200  # other tables keep Datasette's limits


def test_a_search_is_downloaded_a_page_at_a_time_not_streamed(folder):
    """Each part of a streamed download runs the page's query again, and a search's query matches every row of
    the index before it takes the next 50: `claims.csv?_stream=on&_search=synthetic` at 60,000 matching claims ran
    the search 1,200 times, 139 s of a SQL thread (under load) for one request, each part within the time limit;
    the 20,000 claims of one question through `_through`, 21 s. Such a stream is a 400 that says how to have it:
    a page at a time, up to 500 rows each."""
    ds = make_datasette(str(folder / "public.db"))
    for address in (
        "/public/claims.csv?_stream=on&_search=kettles",
        "/public/evidence.csv?_stream=1&_size=max&_search=skipped",
        "/public/claims.csv?_stream=on&_search_text=kettles",
        "/public/claims.csv?%5Fstream=on&%5Fsearch=kettles",
        "/public/claims.csv?_search=kettles&_stream=on&_searchmode=raw",
        "/public/claims.csv?_stream=on&_through="
        + quote('{"table":"question_claims","column":"question_id","value":"1"}'),
    ):
        refused = get(ds, address)
        assert refused.status_code == 400 and "_size=max" in refused.text, (address, refused.status_code)
    assert get(ds, "/public/claims.csv?_search=kettles&_size=max").status_code == 200
    assert get(ds, "/public/coverage.csv?_stream=on&_search=kettles").status_code == 200  # no index, no search
    assert get(ds, "/public/claims.csv?_stream=on&status=confirmed").status_code == 200


@pytest.mark.parametrize(
    "query", ["_stream=on", "_stream=on&_size=1", "_size=2&_stream=1&%5Fsize=1", "_stream=on&_size=x"]
)
def test_a_streamed_download_is_read_500_rows_a_part_whatever_its_size(folder, query):
    """Datasette means a stream to be read `max_returned_rows` a part, and reads it 50 a part (its `_size=max` is
    lost after the first part), or as few as the address's `_size` says: every part costs a page's work, so all
    60,000 claims took 32 s against 11 s with `_size=max` (under load), and `_size=1` made 60,000 parts of one
    request. A stream is read 500 rows a part: here every claim in one part, whatever `_size` was asked."""
    from datasette.tracer import capture_traces

    ds = make_datasette(str(folder / "public.db"))
    with sqlite3.connect(folder / "public.db") as conn:
        claims = conn.execute("SELECT count(*) FROM claims").fetchone()[0]
    assert claims > 2

    async def stream() -> tuple[httpx.Response, list[dict]]:
        traces: list[dict] = []
        with capture_traces(traces):
            response = await ds.client.get(f"/public/claims.csv?{query}")
        return response, traces

    response, traces = asyncio.run(stream())
    assert response.status_code == 200 and len(response.text.strip().splitlines()) == claims + 1
    parts = [t for t in traces if t["sql"].startswith("select id, story, text")]
    assert len(parts) == 1, [t["sql"][-60:] for t in parts]
    assert len(get(ds, "/public/claims.json?_stream=on&_size=1").json()["rows"]) == 1  # JSON is never streamed
    # Nor is a page or JSON that names `_format=csv`, which Datasette does not read (only an address's .csv).
    assert len(get(ds, "/public/claims.json?_format=csv&_stream=on&_size=1").json()["rows"]) == 1


def test_the_guards_read_a_parameter_as_datasette_does(folder, tmp_path):
    """Datasette reads a parameter's first value, its name percent-decoded. The guard of streamed sorts looked for
    the bytes `_stream` and `_sort` and took each one's last value, and that of archived copies' page size the last
    `_size`: `evidence.csv?_stream=on&_sort=quote&_sort=id` streamed sorted by quote (the unindexed sort that held a
    thread for 34 s at 300,000 quotes), as did `%5Fstream=on`, and `archived_copies.json?_size=max&_size=10` read a
    thousand copies of up to a megabyte each."""
    path = tmp_path / "public.db"
    shutil.copy(folder / "public.db", path)
    ds = make_datasette(str(path))
    for query in (
        "%5Fstream=on&_sort=quote",
        "_stream=on&%5Fsort=quote",
        "_stream=on&_sort=quote&_sort=id",
        "_stream=on&_stream=&_sort=quote",
        "_stream=on&_sort_desc=quote&_sort_desc=id",
    ):
        response = get(ds, f"/public/evidence.csv?{query}")
        assert response.status_code == 400 and "sorted by" in response.text, (query, response.text[:200])
    for query in ("_size=max&_size=10", "_size=11&_size=5", "_size=%C2%B2&_size=1"):
        refused = get(ds, f"/public/archived_copies.json?{query}")
        assert refused.status_code == 400 and "at most 10" in refused.text, (query, refused.status_code)
    assert get(ds, "/public/evidence.csv?_stream=on&_sort=claim_id&_sort=quote").status_code == 200
    assert get(ds, "/public/archived_copies.json?_size=5&_size=max").status_code == 200


def test_the_guards_read_a_table_s_name_as_datasette_does(folder, tmp_path):
    """Datasette reads `~XX` in a database's or a table's name as the character (tilde encoding). The guards read
    the name as written, so `/~70ublic/...` and `archived~5Fcopies` were no table of theirs: a thousand archived
    copies a page, streamed too, their bodies faceted, an unindexed streamed sort, any number of facets on an
    address of any length (400 copies of `_facet=detail` grew Datasette by 1.7 GB)."""
    path = tmp_path / "public.db"
    shutil.copy(folder / "public.db", path)
    ds = make_datasette(str(path))
    facets = "&".join(f"_facet={column}" for column in ("detail", "claim", "claimant", "date", "status", "ref"))
    refused = {
        "/public/archived~5Fcopies.json?_size=max": "at most 10",
        "/~70ublic/archived_copies.json?_size=max": "at most 10",
        "/public/archived~5Fcopies.csv?_stream=on": "at most 10",
        "/public/archived~5Fcopies.json?_facet=body": "faceted and filtered only by",
        "/public/~65vidence.csv?_stream=on&_sort=quote": "sorted by a column with an index",
        f"/~70ublic/events.json?_size=1&{facets}": "at most 5 facets",
    }
    for address, said in refused.items():
        response = get(ds, address)
        assert response.status_code == 400 and said in response.text, (address, response.status_code)
    long = get(ds, "/~70ublic/claims.json?_size=1&pad=" + "x" * 5000)
    assert long.status_code == 414
    assert get(ds, "/~70ublic/archived~5Fcopies.json?_size=5").status_code == 200


# Spellings Datasette reads as the timeline's address: any character of its name or its database's tilde-encoded.
TIMELINE_SPELLINGS = ("/public/~74imeline", "/~70ublic/timeline", "/public/time~6Cine", "/~70ublic/timelin~65")


@pytest.mark.parametrize("spelling", TIMELINE_SPELLINGS)
def test_both_guards_read_a_ready_made_querys_address_as_one(folder, spelling):
    """request_guard.py (a table page's bounds) and query_limits.py (visitors' SQL) each decided with a copy of
    its own whether an address is a ready-made query's. Had one copy changed alone, an address one guard took for
    the query and the other for a table would be held by neither: a long search with a stray `sql=` on any
    spelling of the timeline's address is the timeline, not a 414 (request_guard taking it for another page) nor a
    visitor's query sent to the workers with the timeline's parameters (query_limits taking it for one: a 500).
    (A search is at most `search_chars`: the address is long by its `story`.)"""
    ds = make_datasette(str(folder / "public.db"))
    search = quote(" ".join(["kettle"] * 700)[:SEARCH_CHARS]) + "&story=" + "x" * 4096
    assert len(search) > 4096  # past a table page's bound
    plain = get(ds, f"/public/timeline.json?_shape=array&q={search}")
    assert plain.status_code == 200
    response = get(ds, f"{spelling}.json?_shape=array&q={search}&sql=select+1")
    assert response.status_code == 200, response.text[:200]
    assert response.json() == plain.json()


def test_a_percent_encoded_query_address_is_left_to_datasettes_redirect(folder):
    """Datasette routes by the path as sent: `/public/%74imeline` names no page, and it redirects to the
    tilde-encoded spelling, whose request the guards then read in turn. Both guards read the path as Datasette
    does (neither takes it for the timeline), so the answer is that redirect, with `sql=` or without."""
    ds = make_datasette(str(folder / "public.db"))
    for query in ("_shape=array", "_shape=array&sql=select+1"):
        response = get(ds, f"/public/%74imeline.json?{query}")
        assert response.status_code == 302, (query, response.status_code, response.text[:200])
        assert response.headers["location"].startswith("/public/~74imeline"), response.headers["location"]


def test_the_guards_and_the_csv_have_one_rule_for_what_an_address_names(folder):
    """Which table or ready-made query an address names is read in one file (addresses.py), which every plugin
    asking loads by its path; Datasette loads it too, as a plugin with no hook, as it does client_rate.py and
    sql_worker.py."""
    from datasette.plugins import get_plugins

    rule = str(PLUGINS / "addresses.py")
    for name in ("request_guard.py", "query_limits.py", "csv_cells.py"):
        addresses = load_plugin(name).ADDRESSES
        assert addresses.table_or_query.__code__.co_filename == rule, name
        assert addresses.ready_made_query.__code__.co_filename == rule, name
    make_datasette(str(folder / "public.db"))  # Datasette loads every file of the plugins directory
    hooks = {plugin["name"]: plugin["hooks"] for plugin in get_plugins()}
    for hookless in ("addresses.py", "client_rate.py", "sql_worker.py"):
        assert hooks.get(hookless) == [], (hookless, hooks.get(hookless))


def test_a_table_page_searches_its_own_index_only(folder):
    """Datasette takes the search index and the column it matches from the address (`_fts_table`, `_fts_pk`):
    `claims?_search=kettle&_fts_table=evidence_fts` listed the claims whose ids are those of quotes with the word,
    under "where search matches kettle", a page anyone could link to that says what the claims do not; and
    `archived_copies?_search=x&_fts_table=claims_fts&_fts_pk=body` compared every copy's body, up to a megabyte
    each. Each table searches the index metadata and the file give it; naming another is a 400."""
    ds = make_datasette(str(folder / "public.db"))
    for query in (
        "_search=kettle&_fts_table=evidence_fts",
        "_search=kettle&_fts_pk=claim_id",
        "_search=kettle&%5Ffts%5Ftable=evidence_fts",
    ):
        response = get(ds, f"/public/claims.json?{query}")
        assert response.status_code == 400 and "_fts_table" in response.text, (query, response.status_code)
    refused = get(ds, "/public/archived_copies.json?_search=x&_fts_table=claims_fts&_fts_pk=body")
    assert refused.status_code == 400
    searched = get(ds, "/public/claims.json?_search=skipped&_shape=array")
    assert searched.status_code == 200 and searched.json()


def test_values_read_as_json_are_bounded_before_they_are_parsed(server):
    """`_json=` parses each named value into Python objects, after the response budget counted it as text: a result
    of 3.6 MB of `[{},{},...]` (under the 4 MB budget) grew Datasette by 83 MB, every `{}` a dict. The values named
    in `_json` may hold at most JSON_VALUES_MAX characters in all; a larger result is a 400 that says so, and
    the same rows without `_json` (their text) are served as before."""
    with from_address("127.0.0.36") as client:
        base = server["base"]
        rows = "with recursive r(n) as (select 1 union all select n + 1 from r where n < 4)"
        sql = f"{rows} select '[' || replace(hex(zeroblob(299000)), '00', '{{}},') || '{{}}]' as v from r"
        assert client.get(base + sql_url(sql)).status_code == 200  # as text: within the budget
        before = rss_mb(server["pid"])
        for _ in range(3):
            response = client.get(base + sql_url(sql, ".json", "&_json=v"))
            assert response.status_code == 400, response.text[:300]
            assert "_json" in response.json()["error"] and "characters" in response.json()["error"]
        growth = rss_mb(server["pid"]) - before
        assert growth < 30, f"the process grew by {growth:.0f} MB"
        # A table's values, and small ones of a query, are still read as JSON.
        small = client.get(base + sql_url("select '[1, {\"a\": 2}]' as v", ".json", "&_shape=array&_json=v"))
        assert small.status_code == 200 and small.json() == [{"v": [1, {"a": 2}]}]
        table = client.get(base + "/public/events.json?_shape=array&_size=2&_json=claim_ids")
        assert table.status_code == 200 and len(table.json()) == 2


def test_a_table_of_large_values_is_sorted_and_faceted_only_by_its_small_columns(folder):
    """`archived_copies?_sort=body` sorted every published copy (up to a megabyte each) to show ten, and
    `_facet=body` counted them all. Such a table names the columns it can be sorted by (metadata.yml's
    `sortable_columns`); any other `_sort`, `_sort_desc` or facet is a 400 naming them, before any SQL runs."""
    ds = make_datasette(str(folder / "public.db"))
    metadata = load_metadata()["databases"]["public"]["tables"]
    for table in PUBLIC_TABLES.values():
        large = [name for name, kind in table.columns.items() if kind.startswith("BLOB")]
        if large:
            sortable = metadata[table.name].get("sortable_columns")
            assert sortable and not set(large) & set(sortable), table.name
    for query in (
        "_sort=body",
        "_sort_desc=body",
        "_facet=body",
        "_facet=%7B%22simple%22%3A%22body%22%7D",
        "_facet_array=body",
        "_facet_date=body",
        "_sort=received_at&_facet=body",
    ):
        for page in ("/public/archived_copies", "/public/archived_copies.json", "/public/archived_copies.csv"):
            refused = get(ds, f"{page}?{query}")
            assert refused.status_code == 400, (page, query, refused.status_code)
            assert "body" in refused.text and "received_at" in refused.text, (page, query)
    assert get(ds, "/public/archived_copies.json?_sort_desc=received_at&_facet=media_type").status_code == 200
    assert get(ds, "/public/claims.json?_sort=text&_facet=claimant").status_code == 200  # others keep every column


def test_a_table_of_large_values_is_filtered_only_by_its_small_columns(folder, tmp_path):
    """A filter on an archived copy's body compared every copy, up to a megabyte each, in one SQLite step per
    copy, where the time limit is never looked at: a `like` of a 4,000-character pattern against one megabyte of
    text is 4 s of CPU on a thread the readers' pages need (a SQLite built with LIKE_DOESNT_MATCH_BLOBS, as
    Debian's is, answers a BLOB at once; another build, a deployment's, does the work). Such a table is filtered
    by its small columns only: any filter on another (`body__like`, `body__contains`, `body__glob`, `body=`, its
    name percent-encoded, or the filter form's `_filter_column`) is a 400 naming them, before any SQL runs."""
    path = tmp_path / "public.db"
    shutil.copy(folder / "public.db", path)
    with sqlite3.connect(path) as conn:
        coverage_id = conn.execute("SELECT id FROM coverage LIMIT 1").fetchone()[0]
        conn.execute(
            "INSERT INTO archived_copies (coverage_id, received_at, sha256, size, media_type, body, metadata_removed)"
            " VALUES (?, '2026-12-01T00:00:00Z', ?, 999000, 'text/plain', ?, 0)",
            (coverage_id, "0" * 64, b"a" * 999_000),
        )
    ds = make_datasette(str(path))
    pattern = quote("%" + "a" * 4000 + "b%")
    for query in (
        f"body__like={pattern}",
        f"body__contains={'a' * 4000}b",
        f"body__glob=*{'a' * 4000}b*",
        f"body__notlike={pattern}",
        "body__endswith=b",
        "body=x",
        "body__isnull=1",
        f"%62ody__like={pattern}",
        "media_type=text%2Fplain&body__startswith=a",
    ):
        for page in ("/public/archived_copies", "/public/archived_copies.json", "/public/archived_copies.csv"):
            refused = get(ds, f"{page}?{query}")
            assert refused.status_code == 400, (page, query[:40], refused.status_code)
            assert "filtered only by" in refused.text and "received_at" in refused.text, (page, query[:40])
    form = asyncio.run(ds.client.get("/public/archived_copies?_filter_column=body&_filter_op=like&_filter_value=a"))
    assert form.status_code == 302 and get(ds, form.headers["location"]).status_code == 400
    kept = get(ds, "/public/archived_copies.json?_shape=array&media_type=text%2Fplain&size__gt=1000&id__gte=1")
    assert kept.status_code == 200 and [row["size"] for row in kept.json()] == [999000]
    assert get(ds, f"/public/claims.json?text__like={pattern}").status_code == 200  # others keep every column


@pytest.mark.parametrize(
    "query",
    ["text__arraycontains=json_marker", "text__arraynotcontains=json_marker", "_facet_array=text&_size=2"],
)
# Datasette gathers the facets' coroutines before the bad one raises; the others are dropped unawaited.
@pytest.mark.filterwarnings("ignore:coroutine .* was never awaited:RuntimeWarning")
def test_a_json_list_filter_on_a_column_of_text_is_a_400_in_words_and_no_error_in_the_log(server, query):
    """`claims?text__arraycontains=x` (or `_facet_array=text`) reads each claim's text as a JSON list: SQLite's
    "malformed JSON" was answered under "Invalid SQL" and logged as an ERROR line with the table's whole SQL, as
    for a fault of the site. It is the visitor's mistake: a 400 saying which filters read JSON lists, one line in
    the log, a WARNING."""
    log = server["log"]
    before = log.stat().st_size
    with from_address("127.0.0.38") as client:
        as_json = client.get(server["base"] + f"/public/claims.json?{query}")
        as_page = client.get(server["base"] + f"/public/claims?{query}")
    assert as_json.status_code == 400 and as_page.status_code == 400
    error = as_json.json()["error"]
    assert "JSON list" in error and "malformed" not in error and "\n" not in error
    assert as_json.json().get("title") != "Invalid SQL"
    assert "JSON list" in html.unescape(as_page.text) and "Invalid SQL" not in as_page.text
    logged = log.read_bytes()[before:].decode(errors="replace")
    assert "Traceback" not in logged, logged[-3000:]
    assert not [line for line in logged.splitlines() if "ERROR" in line], logged[-3000:]
    assert logged.count("WARNING: SQL, sql = ") == 2 and "malformed JSON" in logged


def test_a_sql_worker_is_given_the_tokenizers_answer_and_never_asks_it_for_a_query(folder):
    """A visitor's query calling `tracker_fts()` on words holding a non-ASCII character asked the tokenizer which
    letters it reads as spaces inside that query, in each worker (0.25 s of CPU at nice 19, within the query's
    time limit), again after every idle exit. The site's process asks once, as it starts, and hands each worker
    its answer: given a made-up answer here ("é" a space), the worker splits the words by it."""
    module = load_plugin("query_limits.py")
    ds = make_datasette(str(folder / "public.db"))
    asyncio.run(ds.invoke_startup())
    setup = module.worker_setup(ds, ds.get_database("public"))
    (functions,) = [p for p in pm.get_plugins() if getattr(p, "__name__", "").endswith("sql_functions.py")]
    assert setup["fts_spaces"] == functions.unicode61_spaces()
    worker = module.SqlWorker({**setup, "fts_spaces": "\u00e9"})
    request = {"time_limit_ms": 1000, "limit": 10**6, "left": 10**6, "fetch": None}
    try:
        answer = worker.run({**request, "sql": "select tracker_fts(:q) as q", "params": {"q": "kettle\u00e9tests"}})
        assert answer["rows"] == [('"kettle"* "tests"*',)]
    finally:
        worker.stop()


def test_the_request_guard_reads_an_address_and_looks_its_table_up_once(folder):
    """Each check of a table page (its bounds, a sorted stream, a matched stream, a stream's part size) read the
    query string again and asked the database for its tables again: `table_names()`, a trip to one of the SQL
    threads readers' pages wait for, two or three times for one streamed CSV. The guard reads a request once;
    what it passes on is as before (a stream read 500 rows a part)."""
    module = load_plugin("request_guard.py")
    ds = make_datasette(str(folder / "public.db"))
    database = ds.get_database("public")
    asked = []
    table_names = database.table_names

    async def counting_table_names():
        asked.append(1)
        return await table_names()

    database.table_names = counting_table_names
    passed = []

    async def app(scope, receive, send):
        passed.append(scope["query_string"])
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b""})

    guarded = module.asgi_wrapper(ds)(app)

    async def request(path: str, query: bytes) -> int:
        scope = {"type": "http", "method": "GET", "path": path, "raw_path": path.encode(), "query_string": query}
        scope |= {"headers": [(b"host", b"localhost")], "scheme": "http"}
        sent = []

        async def send(message):
            sent.append(message)

        await guarded(scope, None, send)
        return sent[0]["status"]

    for query, status in (
        (b"_stream=on&_sort=id&_size=5&_facet=claimant&_facet=claimant", 200),
        (b"_stream=on&_sort=text", 400),
        (b"_stream=on&_search=kettle", 400),
        (b"_search=&status=confirmed&" + b"x" * 5000, 414),
    ):
        asked.clear()
        assert asyncio.run(request("/public/claims.csv", query)) == status, query
        assert len(asked) <= 1, (query, len(asked))
    assert passed == [b"_stream=on&_sort=id&_facet=claimant&_size=max"]


def test_a_result_past_the_response_budget_is_the_visitors_in_the_log_not_an_error(capsys):
    """`select printf('%.9000c', 'x') from events limit 500` (or a stream with `_where=` through every event) is
    answered 400, or its stream ends with a line saying so: the visitor asked for more than the site serves. It was
    logged as an ERROR, as if the database had failed, once per such query (30 a minute from one address)."""
    module = load_plugin("query_limits.py")
    worker = load_plugin("sql_worker.py")
    budget = worker.Budget(10)
    with pytest.raises(worker.ResultTooLarge) as raised:
        budget.charge(("x" * 100,))
    reply = {"error": type(raised.value).__name__, "args": raised.value.args}
    error = module.worker_error(reply, "select 1", {}, True)
    assert isinstance(error, sqlite3.OperationalError) and "larger than the site serves" in str(error)
    assert capsys.readouterr().err.startswith("WARNING: free-form SQL")


def test_a_visitors_request_has_a_share_of_sql_time_for_all_its_queries(folder):
    """Each query of a visitor's is cut off at the time limit, but a request may run many: a streamed CSV with
    `_where=` runs one per 500 rows, and a clause costing just under the limit held a worker for as many parts as
    the table has (11 parts, 4 s, at 10,000 events; 60 s at 200,000), so two such requests kept every other
    visitor's SQL waiting. A request's queries share `sql_request_ms`: once spent, its next query is cut off
    as too long (a stream ends with the line saying it stopped), and a query is given only what is left."""
    from datasette.database import QueryInterrupted

    module = load_plugin("query_limits.py")
    ds = make_datasette(str(folder / "public.db"))
    pool = module.WorkerPool(1)
    module.route_free_form_sql(ds, pool)
    database = ds.get_database("public")
    forever = "with recursive n(i) as (select 1 union all select i + 1 from n) select count(*) from n"

    async def run(share_ms: float, *queries: str) -> list:
        budget = module.WORKER.Budget(10**6)
        budget.sql_ms_left = share_ms
        token = module.FREE_FORM.set(budget)
        answers = []
        try:
            for sql in queries:
                try:
                    answers.append((await database.execute(sql)).rows[0][0])
                except QueryInterrupted:
                    answers.append("interrupted")
        finally:
            module.FREE_FORM.reset(token)
        return answers

    try:
        assert asyncio.run(run(10_000, "select 1", "select 2")) == [1, 2]
        # The first query spends the request's share (a tenth of the time limit): the next, however cheap, is not run.
        assert asyncio.run(run(50, forever, "select 1")) == ["interrupted", "interrupted"]
        assert module.DEFAULTS["sql_request_ms"] >= 4 * ds.setting("sql_time_limit_ms")  # a page's rows, count, facets
    finally:
        pool.executor.submit(lambda: [w.stop() for w in pool.local.__dict__.get("workers", {}).values()]).result()
        pool.executor.shutdown()


def test_a_table_search_counts_each_word_once(folder):
    """A plain table search (`claims?_search=`) handed FTS5 every word as typed: `synthetic` 50 times over 15,000
    quotes cost 0.28 s against 0.08 s once, up to the time limit at 200, on the threads readers' pages share. A
    word typed again (in any case, with any punctuation the index ignores) adds nothing to what matches, so it
    counts once, as in the timeline's search; phrases in quotes stay as typed."""
    ds = make_datasette(str(folder / "public.db"))
    once = get(ds, "/public/claims.json?_search=tests&_shape=objects")
    again = get(ds, "/public/claims.json?_search=" + quote("tests Tests, TESTS tests. " * 20) + "&_shape=objects")
    assert once.status_code == again.status_code == 200
    assert [r["id"] for r in again.json()["rows"]] == [r["id"] for r in once.json()["rows"]] != []
    assert again.json()["human_description_en"].startswith('where search matches "tests"')
    phrase = get(ds, "/public/evidence.json?_search=" + quote('"tests were" "tests were" skipped'))
    assert phrase.status_code == 200
    assert phrase.json()["human_description_en"].startswith('where search matches ""tests were" skipped"')


def test_an_address_longer_than_any_the_site_reads_is_a_414_before_any_page(folder):
    """Past the parameter count, an address was bounded only by the server's HTTP parser, and a page repeats its
    address in its links: any address whose query string is longer than the longest SQL a connection runs, each
    character percent-escaped (and a table page's bound), is a 414 that says so, before Datasette sees it. Called as
    ASGI: httpx builds no address this long."""
    module = load_plugin("request_guard.py")
    ds = make_datasette(str(folder / "public.db"))
    passed = []

    async def app(scope, receive, send):
        passed.append(scope["path"])
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b""})

    guarded = module.asgi_wrapper(ds)(app)

    def status(path: str, query: bytes) -> tuple[int, bytes]:
        scope = {"type": "http", "method": "GET", "path": path, "raw_path": path.encode(), "query_string": query}
        scope |= {"headers": [(b"host", b"localhost")], "scheme": "http"}
        sent = []

        async def send(message):
            sent.append(message)

        asyncio.run(guarded(scope, None, send))
        return sent[0]["status"], sent[-1].get("body", b"")

    sql = b"sql=select+1+as+" + b"x" * (module.MAX_QUERY_STRING - 16)
    assert len(sql) == module.MAX_QUERY_STRING
    assert status("/public", sql)[0] == 200
    for path in ("/public", "/public/changes", "/"):
        code, body = status(path, sql + b"x")
        assert code == 414 and b"too long" in body and b"xxxx" not in body, path
    assert passed == ["/public"]


@pytest.mark.parametrize(
    "where",
    ["length(zeroblob(5000000)) > 0", "length(randomblob(2000000000)) > 0", "replace(hex(zeroblob(1e6)), '0', 'aa')"],
)
@pytest.mark.parametrize("page", ["/public/events.json", "/public/events.csv", "/public/events"])
def test_a_where_past_sqlites_length_limit_is_the_visitors_mistake(folder, where, page, capfd):
    """SQLite answers "string or blob too big" (a DataError, not an OperationalError) to a value past the site's
    length limit. Through `?sql=` that was a 400; through `_where=` it was a 500 with a traceback in the log, so any
    visitor could make the site report server errors at will."""
    ds = make_datasette(str(folder / "public.db"))
    response = get(ds, page + "?_where=" + quote(where))
    assert response.status_code == 400, response.text[:300]
    assert "too large" in response.text or "too big" in response.text
    logged = capfd.readouterr().err
    assert "Traceback" not in logged and "ERROR" not in logged
