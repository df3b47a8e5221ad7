"""Politeness that holds from request start to request start, and across processes and restarts.

Every request to a host (robots.txt, each redirect hop, each retry) must
start at least the host's delay (Crawl-delay, else the minimum interval)
after the previous one started, whichever Fetcher made it: the last start
per host is kept in the working database (tracker/pacing.py). The fetcher
tests run on a clock that moves only when the fetcher sleeps, and the
server records that clock's time as each request arrives: the recorded
starts are exact, and the assertions are bounds on them, not timings.
The last test kills a real `watch` process and starts another, with the
server recording real arrival times.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest

from scrapers import robots
from scrapers.http import Fetcher
from scrapers.http.fetcher import DISALLOWED
from scrapers.timestamps import format_time
from tests.http.local_server import PAGE, UA, FakeClock, Server, answer
from tests.sites import RECALL, article, rss
from tests.sites import fetcher as sites_fetcher
from tracker import sources
from tracker.pacing import HostPacing
from tracker.scrape import run_pass

ROOT = Path(__file__).resolve().parent.parent


class StampedServer(Server):
    """A Server that notes the clock's time as each request arrives."""

    def __init__(self, clock) -> None:
        super().__init__()
        self.clock = clock
        self.starts: list[tuple[str, float]] = []

    def stamp(self, route):
        def stamped(handler: BaseHTTPRequestHandler) -> None:
            self.starts.append((handler.path, self.clock.now()))
            route(handler)

        return stamped

    def add(self, path: str, *routes) -> str:
        routes = [self.stamp(r) for r in routes]
        return self.sequence(path, *routes) if len(routes) > 1 else self.on(path, routes[0])

    def gaps(self) -> list[float]:
        times = [t for _, t in self.starts]
        return [b - a for a, b in zip(times, times[1:])]


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def stamped(clock):
    server = StampedServer(clock)
    server.thread.start()
    yield server
    server.httpd.shutdown()
    server.httpd.server_close()


def fetcher(clock, **options) -> Fetcher:
    return Fetcher(UA, allowed_hosts={"127.0.0.1"}, clock=clock, **{"min_interval": 0.5, **options})


def redirect(to: str):
    def route(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(302)
        handler.send_header("Location", to)
        handler.send_header("Content-Length", "0")
        handler.end_headers()

    return route


def test_robots_redirects_and_retries_each_start_the_crawl_delay_after_the_previous_start(stamped, clock):
    stamped.add("/robots.txt", answer(200, "User-agent: *\nCrawl-delay: 2\n"))
    stamped.add("/old", redirect("/new"))
    stamped.add("/new", answer(200, PAGE))
    stamped.add("/flaky", answer(503, "busy"), answer(200, PAGE))
    stamped.add("/plain", answer(200, PAGE))
    with fetcher(clock, retries=1, backoff=0.1) as f:
        assert f.get(stamped.url("/old")).ok
        assert f.get(stamped.url("/flaky")).ok
        assert f.get(stamped.url("/plain")).ok
    assert [path for path, _ in stamped.starts] == ["/robots.txt", "/old", "/new", "/flaky", "/flaky", "/plain"]
    assert min(stamped.gaps()) >= 2.0, stamped.starts


def test_a_crawl_delay_the_site_drops_from_robots_txt_no_longer_holds_once_it_is_read_again(stamped, clock):
    """A Crawl-delay of days (or 1e20) keeps a site unfetched while robots.txt asks it; once the site fixes
    robots.txt and it is read again, pages are fetched, not skipped for as long as `watch` runs."""
    stamped.add("/robots.txt", answer(200, "User-agent: *\nCrawl-delay: 1e20\n"), answer(200, "User-agent: *\n"))
    stamped.add("/a", answer(200, PAGE))
    stamped.add("/b", answer(200, PAGE))
    with fetcher(clock, robots_ttl=3600.0) as f:
        assert f.get(stamped.url("/a")).skipped  # asked to wait far longer than we ever wait: not now
        clock.advance(3601.0)  # robots.txt is read again: the site has dropped its Crawl-delay
        assert f.get(stamped.url("/b")).ok
    assert [path for path, _ in stamped.starts] == ["/robots.txt", "/robots.txt", "/b"]


def test_a_restarted_fetcher_keeps_the_delay_after_the_last_run_s_last_request(db_path, stamped, clock):
    stamped.add("/robots.txt", answer(200, "User-agent: *\nCrawl-delay: 3\n"))
    stamped.add("/a", answer(200, PAGE))
    stamped.add("/b", answer(200, PAGE))
    first = fetcher(clock, pacing=HostPacing(db_path))
    assert first.get(stamped.url("/a")).ok
    # The process is killed here: no close(), nothing flushed. Its claims were written before each request.
    second = fetcher(clock, pacing=HostPacing(db_path))
    assert second.get(stamped.url("/b")).ok
    second.close()
    assert [path for path, _ in stamped.starts] == ["/robots.txt", "/a", "/robots.txt", "/b"]
    assert min(stamped.gaps()) >= 3.0, stamped.starts


def test_two_fetchers_at_once_take_turns_on_a_host(db_path):
    """Two processes' fetchers (here two threads, each its own Fetcher and store connection) on one host."""
    from scrapers.http import Clock

    server = StampedServer(Clock())  # real time: two fetchers sleeping at once cannot share a fake clock
    server.thread.start()
    try:
        server.add("/robots.txt", answer(200, ""))
        for n in range(6):
            server.add(f"/p{n}", answer(200, PAGE))
        claims: list[float] = []

        class Recorded(HostPacing):
            """Notes each claim's start, the clock reading the store compared: the spacing asserted is the
            fetchers' own decision, not arrival times a loaded machine can bunch or stretch."""

            def reserve(self, host, delay, now):
                read: list[float] = []
                granted = super().reserve(host, delay, lambda: read.append(now()) or read[-1])
                if granted is None:
                    claims.append(read[-1])
                return granted

        one, two = (Fetcher(UA, allowed_hosts={"127.0.0.1"}, min_interval=0.2, pacing=Recorded(db_path)) for _ in "12")
        threads = [
            threading.Thread(target=lambda f=f, k=k: [f.get(server.url(f"/p{n}")) for n in range(k, 6, 2)])
            for f, k in ((one, 0), (two, 1))
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        one.close()
        two.close()
    finally:
        server.httpd.shutdown()
        server.httpd.server_close()
    assert len(server.starts) == 8  # each fetcher read robots.txt once
    assert len(claims) == 8  # every request, robots.txt included, was claimed in the shared store
    claims.sort()
    assert min(b - a for a, b in zip(claims, claims[1:], strict=False)) >= 0.2 - 1e-9, claims


def test_the_pacing_store_remembers_the_largest_recent_delay(db_path):
    store, other = HostPacing(db_path), HostPacing(db_path)
    assert store.reserve("news.example", 5.0, lambda: 1000.0) is None  # claimed
    assert store.reserve("news.example", 1.0, lambda: 1001.0) == 1005.0  # the Crawl-delay of 5 still holds
    assert store.reserve("news.example", 1.0, lambda: 1005.0) is None
    assert other.reserve("news.example", 1.0, lambda: 1009.0) == 1010.05  # another claimant's: with the margin
    assert other.reserve("other.example", 1.0, lambda: 1000.0) is None
    store.close()
    other.close()


class SteppedBack(FakeClock):
    """A FakeClock whose wall clock can be set back (NTP correcting a clock that ran fast, a VM restored)."""

    def __init__(self) -> None:
        super().__init__()
        self.offset = 0.0

    def wall(self) -> float:
        return super().wall() + self.offset


def test_a_wall_clock_set_back_an_hour_does_not_hold_every_known_host_off_for_that_hour(db_path, stamped):
    """The stored last start was an hour ahead of the corrected clock: every host asked before the correction
    was skipped ("asked us to wait 3600 s") until the clock caught up, by this process and any restarted one."""
    clock = SteppedBack()
    stamped.clock = clock
    stamped.add("/robots.txt", answer(200, "User-agent: *\nCrawl-delay: 2\n"))
    stamped.add("/a", answer(200, PAGE))
    stamped.add("/b", answer(200, PAGE))
    stamped.add("/c", answer(200, PAGE))
    with fetcher(clock, pacing=HostPacing(db_path)) as f:
        assert f.get(stamped.url("/a")).ok
        clock.offset = -3600.0
        assert f.get(stamped.url("/b")).ok
    with fetcher(clock, pacing=HostPacing(db_path)) as restarted:
        assert restarted.get(stamped.url("/c")).ok
    assert [path for path, _ in stamped.starts] == ["/robots.txt", "/a", "/b", "/robots.txt", "/c"]
    assert min(stamped.gaps()) >= 2.0, stamped.starts  # the Crawl-delay still holds, from the claim in hand
    assert sum(clock.sleeps) <= 5 * 2.0 + 1, clock.sleeps  # nothing like the hour


def test_the_pacing_store_never_waits_longer_than_the_delay_for_a_claim_in_the_future(db_path):
    store = HostPacing(db_path)
    assert store.reserve("news.example", 5.0, lambda: 5000.0) is None
    assert store.reserve("news.example", 5.0, lambda: 1400.0) == 1405.0  # the clock went back an hour
    assert store.reserve("news.example", 5.0, lambda: 1405.0) is None
    store.close()


def test_a_response_still_dripping_at_the_deadline_is_abandoned_and_recorded(db, story, monkeypatch):
    """A page that trickles out a byte at a time is cut off at the response deadline, and the fetch log says so."""
    from tracker.scrape import run_pass

    sent = []
    stop = threading.Event()

    def drip(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "application/rss+xml")
        handler.send_header("Content-Length", "100000")
        handler.end_headers()
        for _ in range(100000):
            if stop.wait(0.02):
                return
            handler.wfile.write(b" ")
            handler.wfile.flush()
            sent.append(1)

    server = Server()
    server.on("/robots.txt", answer(404, "none"))
    url = server.on("/slow.xml", drip)
    server.thread.start()
    try:
        source = sources.add_source(db, story["id"], url, "feed")
        monkeypatch.setenv("TRACKER_ALLOW_PRIVATE", "1")
        monkeypatch.setenv("TRACKER_MIN_INTERVAL", "0")
        monkeypatch.setenv("TRACKER_RESPONSE_DEADLINE", "0.5")
        from tracker.config import Settings
        from tracker.ingest import default_fetcher

        with default_fetcher(Settings.from_env(), db) as f:
            result = run_pass(db, story["slug"], fetcher=f)
    finally:
        stop.set()
        server.httpd.shutdown()
        server.httpd.server_close()
    assert result["failed"] == 1
    (problem,) = [reason for u, reason in result["problems"] if u == url]
    assert "took longer than 0.5 s in total" in problem
    assert len(sent) < 100000, "abandoned before the server was done"
    row = db.execute("SELECT outcome, error FROM fetches WHERE url = ? ORDER BY id DESC", [url]).fetchone()
    assert row[0] == "error" and "took longer than 0.5 s" in row[1]
    assert (
        "took longer than 0.5 s"
        in db.execute("SELECT last_error FROM sources WHERE id = ?", [source["id"]]).fetchone()[0]
    )


def test_a_restarted_watch_waits_the_crawl_delay_after_the_killed_one_s_last_request(db_path, story, site):
    """A real `watch` killed with SIGKILL and started again: the server's own clock shows the gap held."""
    arrivals: list[tuple[str, float]] = []
    answer_for = site.answer

    def stamped(path, headers):
        arrivals.append((path, time.time()))
        return answer_for(path, headers)

    site.answer = stamped
    # Longer than a kill and a fresh start take here, so a restart that forgot the last request shows.
    site.put("/robots.txt", "User-agent: *\nCrawl-delay: 6\n", content_type="text/plain")
    pages = []
    for n in range(4):
        pages.append(
            {
                "link": site.put(f"/news/{n}.html", article(f"Acme report {n}", [f"{p} ({n})" for p in RECALL])),
                "title": f"Acme report {n}",
            }
        )
    feed = site.put("/news/feed.xml", rss("Example Gazette", pages), content_type="application/rss+xml")
    from tracker.db import connect

    db = connect(db_path)
    sources.add_source(db, story["id"], feed, "feed")
    db.close()
    env = {**os.environ, "TRACKER_ALLOW_PRIVATE": "1", "TRACKER_MIN_INTERVAL": "0"}
    command = [sys.executable, "-m", "tracker", "--db", str(db_path), "watch", story["slug"], "--every", "1h"]

    first = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        while len(arrivals) < 2:  # robots.txt and the feed: then kill it while it waits for the first page
            assert first.poll() is None
            time.sleep(0.05)
        first.send_signal(signal.SIGKILL)
        first.wait()
        killed_after = len(arrivals)
        second = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            while len(arrivals) < killed_after + 2:
                assert second.poll() is None
                time.sleep(0.05)
        finally:
            # Killed too: what is measured is the gap, and a clean stop has its own tests (test_scrape.py).
            # A SIGTERM would let it finish the item in hand, several Crawl-delays on a busy machine.
            second.kill()
            second.wait()
    finally:
        if first.poll() is None:
            first.kill()
    times = [t for _, t in arrivals]
    gaps = [b - a for a, b in zip(times, times[1:])]
    # The server notes a request once it has read it: a new connection's (accept, a thread) later than
    # a kept-alive one's, by up to a tenth of a second on a loaded machine (the fetcher's own starts are
    # exact). Half a second of that still tells a restart that forgot the last request, which comes a
    # kill and a start (a second or two) after it, from one that waited the six.
    assert min(gaps) >= 6.0 - 0.5, arrivals
    # robots.txt, as the killed one read it, is kept: the restarted one does not ask for it again.
    assert "/robots.txt" not in [p for p, _ in arrivals[killed_after:]], arrivals


def _watch_stopped_once(db_path, story, ready) -> tuple[subprocess.Popen, str]:
    """`watch` in its own process, sent SIGTERM once ready() holds; the finished process and its stderr."""
    env = {**os.environ, "TRACKER_ALLOW_PRIVATE": "1", "TRACKER_MIN_INTERVAL": "0"}
    command = [sys.executable, "-m", "tracker", "--db", str(db_path), "watch", story["slug"], "--every", "1h"]
    watch = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        while not ready():
            assert watch.poll() is None, watch.communicate()
            time.sleep(0.05)
        watch.send_signal(signal.SIGTERM)
        _, err = watch.communicate(timeout=120)
    finally:
        if watch.poll() is None:
            watch.kill()
            watch.wait()
    return watch, err


def test_sigterm_ends_a_watch_waiting_out_a_long_crawl_delay_without_making_the_request(db_path, story, site):
    """Stopping must not wait out a host's Crawl-delay: the request waited for is left for the next pass."""
    arrivals: list[str] = []
    answer_for = site.answer

    def noted(path, headers):
        arrivals.append(path)
        return answer_for(path, headers)

    site.answer = noted
    site.put("/robots.txt", "User-agent: *\nCrawl-delay: 50\n", content_type="text/plain")
    page = {"link": site.put("/news/0.html", article("Acme report", RECALL)), "title": "Acme report"}
    feed = site.put("/news/feed.xml", rss("Example Gazette", [page]), content_type="application/rss+xml")
    from tracker.db import connect

    db = connect(db_path)
    source = sources.add_source(db, story["id"], feed, "feed")
    db.close()
    # Once robots.txt arrived, the feed waits 50 s for its turn.
    watch, err = _watch_stopped_once(db_path, story, lambda: bool(arrivals))
    assert watch.returncode == 0, err
    assert "Traceback" not in err and "Stopped after 1 pass(es)" in err
    assert arrivals == ["/robots.txt"]  # the feed was not requested after the signal
    db = connect(db_path)
    try:
        row = db.execute(
            "SELECT last_outcome, last_error, failures, next_poll_at FROM sources WHERE id = ?", [source["id"]]
        ).fetchone()
    finally:
        db.close()
    assert row == (None, None, 0, None)  # nothing recorded: still due, the next pass fetches it


def test_an_item_left_waiting_for_its_turn_by_a_stop_is_still_due_for_the_next_pass(db_path, story, site):
    """Stopping while an item's page waits out its site's Crawl-delay leaves the item due, as the line says.

    It used to be recorded as skipped and put off until its next re-check, hours away.
    """
    arrivals: list[str] = []
    answer_for = site.answer

    def noted(path, headers):
        arrivals.append(f"{headers.get('Host', '').split(':')[0]}{path}")
        if path == "/robots.txt" and headers.get("Host", "").startswith("localhost"):
            return 200, {"Content-Type": "text/plain"}, b"User-agent: *\nCrawl-delay: 50\n"
        return answer_for(path, headers)

    site.answer = noted
    port = site.httpd.server_address[1]
    site.put("/news/0.html", article("Acme report", RECALL))
    page = {"link": f"http://localhost:{port}/news/0.html", "title": "Acme report"}  # the pages' site is slow
    feed = site.put("/news/feed.xml", rss("Example Gazette", [page]), content_type="application/rss+xml")
    from tracker.db import connect

    db = connect(db_path)
    sources.add_source(db, story["id"], feed, "feed")
    db.close()
    # Once the pages' site sent its robots.txt, the item's page waits 50 s for its turn.
    watch, err = _watch_stopped_once(db_path, story, lambda: "localhost/robots.txt" in arrivals)
    assert watch.returncode == 0, err
    assert "localhost/news/0.html" not in arrivals  # not requested after the signal
    db = connect(db_path)
    try:
        (row,) = db.execute("SELECT next_check_at, check_error FROM coverage").fetchall()
    finally:
        db.close()
    assert row == (None, None)  # nothing recorded: still due, the next pass fetches it


def test_a_robots_txt_kept_on_a_clock_that_ran_fast_is_read_again(db_path, stamped):
    """Kept to expire an hour after a clock an hour fast: read after the correction, it would hold for two."""
    clock = SteppedBack()
    stamped.clock = clock
    stamped.add("/robots.txt", answer(200, "User-agent: *\nDisallow: /a\n"), answer(200, "User-agent: *\n"))
    stamped.add("/a", answer(200, PAGE))
    store = HostPacing(db_path)
    with fetcher(clock, robots_store=store) as f:
        assert f.get(stamped.url("/a")).skipped
    clock.offset = -3600.0
    with fetcher(clock, robots_store=store) as restarted:
        assert restarted.get(stamped.url("/a")).ok
    with fetcher(clock, robots_store=store) as again:  # read and kept on the right clock: not asked a third time
        assert again.get(stamped.url("/a")).ok
    store.close()
    assert [path for path, _ in stamped.starts] == ["/robots.txt", "/robots.txt", "/a", "/a"]


def test_a_new_process_using_a_kept_robots_txt_waits_its_crawl_delay_after_the_robots_txt_request(
    db_path, stamped, clock
):
    """robots.txt's own request was claimed under the minimum interval: the next process, which does not read
    robots.txt again, sent its first page a minimum interval after it, not the Crawl-delay the file asks."""
    stamped.add("/robots.txt", answer(200, "User-agent: *\nCrawl-delay: 5\n"))
    stamped.add("/a", answer(200, PAGE))
    store = HostPacing(db_path)
    with fetcher(clock, pacing=store, robots_store=store, max_wait=2.0) as first:
        assert first.get(stamped.url("/a")).skipped  # 5 s to wait: more than this fetcher waits
    clock.advance(3.0)
    store = HostPacing(db_path)
    with fetcher(clock, pacing=store, robots_store=store, max_wait=2.5) as second:  # 2 s left, and the margin
        assert second.get(stamped.url("/a")).ok
    assert [path for path, _ in stamped.starts] == ["/robots.txt", "/a"]
    assert min(stamped.gaps()) >= 5.0, stamped.starts


def test_an_absurd_crawl_delay_kept_for_other_processes_still_lets_robots_txt_be_read_again(db_path, stamped, clock):
    """Held in the pacing store as asked (1e20 s), it would keep every later process from the site for good."""
    stamped.add("/robots.txt", answer(200, "User-agent: *\nCrawl-delay: 1e20\n"), answer(200, "User-agent: *\n"))
    stamped.add("/b", answer(200, PAGE))
    store = HostPacing(db_path)
    with fetcher(clock, pacing=store, robots_store=store) as first:
        assert first.get(stamped.url("/b")).skipped
    clock.advance(3601.0)  # robots.txt is old enough to be read again: the site has dropped its Crawl-delay
    store = HostPacing(db_path)
    with fetcher(clock, pacing=store, robots_store=store) as second:
        assert second.get(stamped.url("/b")).ok
    assert [path for path, _ in stamped.starts] == ["/robots.txt", "/robots.txt", "/b"]


@pytest.fixture
def parses(monkeypatch) -> list[bytes]:
    """The robots.txt bodies parsed, in order: each costs the CPU (and memory) of up to 500 kB of rules."""
    parsed: list[bytes] = []
    parse = robots.parse

    def counted(body: bytes, expires: float) -> robots.RobotsRules:
        parsed.append(body)
        return parse(body, expires)

    monkeypatch.setattr(robots, "parse", counted)
    return parsed


def test_a_pass_parses_a_kept_robots_txt_once_however_many_of_its_sources_share_the_host(
    db, db_path, story, site, clock, parses
):
    """Choosing which sources take their turn asked each due source's spacing, and each read and parsed the
    host's kept robots.txt again from the database before the first request: once per source per pass."""
    site.put("/robots.txt", "User-agent: *\nCrawl-delay: 2\n", content_type="text/plain")
    for n in range(5):
        site.put(f"/feed{n}.xml", rss(f"Feed {n}", []), content_type="application/rss+xml")
        sources.add_source(db, story["id"], site.url(f"/feed{n}.xml"), "feed")
    at = format_time(datetime.fromtimestamp(clock.wall(), UTC))  # the clock's day: what expires is pruned by it
    with sites_fetcher(clock=clock, pacing=HostPacing(db_path), robots_store=HostPacing(db_path)) as f:
        run_pass(db, story["slug"], fetcher=f, extract=False, at=at)
    assert len(site.hits("/robots.txt")) == 1 and len(parses) == 1
    parses.clear()
    # The next process takes robots.txt from the database: parsed once for the five sources and their fetches.
    with sites_fetcher(clock=clock, pacing=HostPacing(db_path), robots_store=HostPacing(db_path)) as f:
        result = run_pass(db, story["slug"], fetcher=f, extract=False, at=at)
    assert result["sources"] == 5 and result["failed"] == 0
    assert len(site.hits("/robots.txt")) == 1
    assert len(parses) == 1


def test_a_crawl_delay_taken_from_the_kept_robots_txt_spaces_every_request_to_the_host(db_path, clock):
    """Once spacing has read the kept robots.txt, fetching uses the rules in memory; the Crawl-delay they ask
    still holds, for the pages of that origin and for a request to another origin on the same host."""
    first, other = StampedServer(clock), StampedServer(clock)
    for server in (first, other):
        server.thread.start()
    try:
        first.add("/robots.txt", answer(200, "User-agent: *\nCrawl-delay: 4\n"))
        for path in ("/a", "/b", "/c"):
            first.add(path, answer(200, PAGE))
        other.add("/robots.txt", answer(404, "none"))
        other.add("/d", answer(200, PAGE))
        with fetcher(clock, robots_store=HostPacing(db_path)) as earlier:
            assert earlier.get(first.url("/a")).ok
        clock.advance(3000.0)  # long after: only robots.txt, kept, is known of the site
        with fetcher(clock, robots_store=HostPacing(db_path)) as f:
            assert f.spacing(first.url("/b")) == 4.0
            assert f.spacing(other.url("/d")) == 4.0  # the host's delay, as the requests to it are paced
            assert f.get(first.url("/b")).ok
            assert f.get(first.url("/c")).ok
            assert f.get(other.url("/d")).ok
        starts = sorted(first.starts[2:] + other.starts, key=lambda start: start[1])
        assert [path for path, _ in starts] == ["/b", "/c", "/robots.txt", "/d"]
        times = [t for _, t in starts]
        assert times[1] - times[0] >= 4.0 and times[2] - times[1] >= 4.0, starts
    finally:
        for server in (first, other):
            server.httpd.shutdown()
            server.httpd.server_close()


def test_a_robots_txt_changed_after_the_kept_one_expired_is_read_and_applies(db_path, stamped, clock, parses):
    """Rules spacing took from the database are kept in memory only until they expire, as fetched ones are."""
    stamped.add(
        "/robots.txt",
        answer(200, "User-agent: *\nCrawl-delay: 3\nDisallow: /b\n"),
        answer(200, "User-agent: *\nCrawl-delay: 1\n"),
    )
    stamped.add("/b", answer(200, PAGE))
    with fetcher(clock, robots_store=HostPacing(db_path)) as earlier:
        assert earlier.get(stamped.url("/b")).skipped == DISALLOWED
    with fetcher(clock, robots_store=HostPacing(db_path), robots_ttl=3600.0) as f:
        assert f.spacing(stamped.url("/b")) == 3.0
        assert f.get(stamped.url("/b")).skipped == DISALLOWED  # the kept rules, not asked again
        assert [path for path, _ in stamped.starts] == ["/robots.txt"]
        clock.advance(3601.0)
        assert f.get(stamped.url("/b")).ok  # read again: the site allows it now
        assert f.spacing(stamped.url("/b")) == 1.0
    assert [path for path, _ in stamped.starts] == ["/robots.txt", "/robots.txt", "/b"]
    assert len(parses) == 3  # the first process's reading, the kept one, the new one


def test_a_robots_txt_request_put_off_for_the_host_s_turn_is_asked_once_the_turn_comes(db_path, stamped, clock):
    """robots.txt not asked because the host's turn was too far off (here another process's request and the
    Crawl-delay it holds) was taken for an unreadable robots.txt: the site disallowed for ten minutes, and
    said to be so, although nothing had been asked and the host's turn came after 90 s."""
    stamped.add("/robots.txt", answer(200, "User-agent: *\nCrawl-delay: 90\n"))
    stamped.add("/a", answer(200, PAGE))
    with fetcher(clock, pacing=HostPacing(db_path), max_wait=60.0) as other:
        assert other.get(stamped.url("/a")).skipped  # robots.txt read; the page waits 90 s: not now
    with fetcher(clock, pacing=HostPacing(db_path), max_wait=60.0) as f:
        put_off = f.get(stamped.url("/a")).skipped
        assert put_off is not None and "could not be read" not in put_off and "asked us to wait 90 s" in put_off
        clock.advance(91.0)
        assert f.get(stamped.url("/a")).skipped  # robots.txt asked now: the page waits its Crawl-delay
        clock.advance(91.0)
        assert f.get(stamped.url("/a")).ok
    assert [path for path, _ in stamped.starts] == ["/robots.txt", "/robots.txt", "/a"]
    assert min(stamped.gaps()) >= 90.0, stamped.starts
