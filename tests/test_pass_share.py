"""A host's share of a pass: one slow or hostile host cannot hold the pass, and every other source, for hours.

Two fictional hosts (slow.example and fast.example, pinned to two real servers on 127.0.0.1) feed
one story. Time goes by on a clock that moves only when the fetcher sleeps or a server says an
answer took long (tests/http/local_server.py's FakeClock): no test waits, and what is asserted is
which requests were made and what the database and the summary say, never how long anything took.
"""

from __future__ import annotations

import threading

import pytest
from click.testing import CliRunner

from scrapers.http.stream import LOOKAHEAD
from tests.http.local_server import FakeClock
from tests.sites import RECALL, Site, article, fetcher, rss
from tracker import sources
from tracker.cli import cli
from tracker.db import connect, now
from tracker.scrape import Progress, rechecks, run_pass, watch

PAGES = 40


class Slow:
    """Stands in for a page's `hold`: each answer takes `seconds` on the test clock (a page dripped to just
    under the response deadline), and none of real time."""

    def __init__(self, clock: FakeClock, seconds: float) -> None:
        self.clock, self.seconds = clock, seconds

    def wait(self, timeout: float | None = None) -> bool:
        self.clock.advance(self.seconds)
        return True


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def hosts(story, db, clock):
    """slow.example: a feed of PAGES entries, each its own page; fast.example: a feed of one. Both sources added."""
    slow, fast = Site(), Site()
    port = {"slow": slow.httpd.server_address[1], "fast": fast.httpd.server_address[1]}
    pages = []
    for n in range(PAGES):
        path = f"/news/{n}.html"
        slow.put(path, article(f"Acme recall, part {n}", RECALL))
        pages.append(f"http://slow.example:{port['slow']}{path}")
    entries = [{"link": url, "title": f"Acme recall, part {n}"} for n, url in enumerate(pages)]
    slow.put("/feed.xml", rss("Slow Gazette", entries), content_type="application/rss+xml")
    fast.put("/story.html", article("Acme recall widens", RECALL))
    fast_page = f"http://fast.example:{port['fast']}/story.html"
    fast.put(
        "/feed.xml",
        rss("Fast Herald", [{"link": fast_page, "title": "Acme recall widens"}]),
        content_type="application/rss+xml",
    )
    sources.add_source(db, story["id"], f"http://slow.example:{port['slow']}/feed.xml", "feed")
    sources.add_source(db, story["id"], f"http://fast.example:{port['fast']}/feed.xml", "feed")
    host_map = {"slow.example": ("127.0.0.1", port["slow"]), "fast.example": ("127.0.0.1", port["fast"])}
    yield {"slow": slow, "fast": fast, "pages": pages, "fast_page": fast_page, "host_map": host_map}
    slow.close()
    fast.close()


def fetched_pages(site: Site) -> list[str]:
    return [hit.path for hit in site.log if hit.path.startswith("/news/")]


def item_state(db, url: str) -> tuple:
    return db.execute(
        "SELECT next_check_at, check_count, check_failures, check_error FROM coverage WHERE canonical_url = ?", [url]
    ).fetchone()


def test_a_host_asking_a_long_crawl_delay_gets_its_share_of_the_pass_and_the_rest_waits_for_the_next(
    db, story, hosts, clock
):
    """A feed of thousands of entries on a host asking 50 s between requests held the pass (and every other
    story's sources) for a day; now the host gets its share and the rest of its pages stay due, untouched."""
    hosts["slow"].put("/robots.txt", "User-agent: *\nCrawl-delay: 50\n", content_type="text/plain")
    with fetcher(clock=clock, host_map=hosts["host_map"]) as f:
        result = run_pass(db, story["slug"], fetcher=f, extract=False, share=300)
    first = fetched_pages(hosts["slow"])
    assert 0 < len(first) <= 300 // 50 + 1  # its share, give or take the request in hand
    assert [hit.path for hit in hosts["fast"].log if hit.path == "/story.html"] == ["/story.html"]
    assert (result["failed"], result["skipped"]) == (0, 0)
    (deferred,) = result["deferred"]
    assert deferred["host"] == "slow.example" and deferred["requests"] == PAGES - len(first)
    assert deferred["share"] == 300 and deferred["used"] >= 300
    # The pages not asked for are as they were: due, never checked, no failure, nothing in the fetch log.
    left = [url for url in hosts["pages"] if f"/news/{url.rsplit('/', 1)[1]}" not in first]
    assert len(left) == PAGES - len(first)
    assert all(item_state(db, url) == (None, 0, 0, None) for url in left)
    logged = {row[0] for row in db.execute("SELECT url FROM fetches")}
    assert not logged & set(left)

    # The next pass carries on where this one stopped: other pages, none asked twice.
    with fetcher(clock=clock, host_map=hosts["host_map"]) as f:
        again = run_pass(db, story["slug"], fetcher=f, extract=False, share=300)
    second = fetched_pages(hosts["slow"])[len(first) :]
    assert second and not set(second) & set(first)
    assert again["deferred"][0]["requests"] == PAGES - len(first) - len(second)


def test_a_host_whose_every_page_takes_nearly_the_deadline_gets_its_share_of_the_pass(db, story, hosts, clock):
    """Each page dripped to just under the response deadline: no single request is too slow, all of them are."""
    for path, page in hosts["slow"].pages.items():
        if path.startswith("/news/"):
            page.hold = Slow(clock, 29)
    with fetcher(clock=clock, host_map=hosts["host_map"]) as f:
        result = run_pass(db, story["slug"], fetcher=f, extract=False, share=120)
    first = fetched_pages(hosts["slow"])
    assert 0 < len(first) <= 120 // 29 + 1
    assert result["texts"] == len(first) + 1  # the slow host's pages stored, and the fast host's one
    assert result["failed"] == 0
    assert result["deferred"] == [
        {"host": "slow.example", "requests": PAGES - len(first), "used": pytest.approx(29 * len(first)), "share": 120}
    ]


def test_a_host_whose_pages_take_long_to_read_gets_its_share_of_the_pass(db, story, hosts, clock, monkeypatch):
    """Its pages answered at once, and each took the pass 29 s to read (10 MB of paragraphs, compressed to
    30 KB on the wire, take 25 s): only the fetching was counted, so a feed of a thousand such pages held the
    pass, and every other story's sources, for seven hours."""
    read = rechecks.parse_page

    def slow_to_read(*args, **kwargs):
        clock.advance(29)
        return read(*args, **kwargs)

    monkeypatch.setattr(rechecks, "parse_page", slow_to_read)
    with fetcher(clock=clock, host_map=hosts["host_map"]) as f:
        result = run_pass(db, story["slug"], fetcher=f, extract=False, share=120)
    first = fetched_pages(hosts["slow"])
    assert 0 < len(first) <= 120 // 29 + 1 + LOOKAHEAD  # its share, and the pages fetched ahead of the reading
    assert result["texts"] == len(first) + 1 and result["failed"] == 0
    assert result["deferred"][0]["host"] == "slow.example"
    assert result["deferred"][0]["requests"] == PAGES - len(first)


def test_a_host_is_fetched_only_a_few_pages_ahead_of_the_reading(db, story, hosts, monkeypatch):
    """Every page of a host was fetched as fast as it answered and queued for the pass to read, 64 at a time:
    pages of 10 MB held 640 MB, and a host out of its share had all of them read anyway."""
    slow = hosts["slow"]
    pause, calls = threading.Event(), []  # never set: a wait of 10 ms between two looks
    read = rechecks.parse_page

    def reading_while_the_host_answers(*args, **kwargs):
        if not calls:  # the first page read: gives the fetching every chance to run ahead, and no more
            for _ in range(200):
                if len(fetched_pages(slow)) >= PAGES or pause.wait(0.01):
                    break
        calls.append(1)
        return read(*args, **kwargs)

    monkeypatch.setattr(rechecks, "parse_page", reading_while_the_host_answers)
    with fetcher(host_map=hosts["host_map"]) as f:
        seen = []
        run_pass(
            db,
            story["slug"],
            fetcher=f,
            extract=False,
            share=0,
            progress=Progress(lambda phase, done, total, line: seen.append((phase, done, len(fetched_pages(slow))))),
        )
    first_read = next(fetched for phase, done, fetched in seen if phase == "items" and done == 1)
    assert first_read <= 1 + LOOKAHEAD
    assert len(fetched_pages(slow)) == PAGES  # all of them, in the end


def test_a_source_on_a_host_out_of_its_share_is_left_due_too(db, story, hosts, clock):
    """A second feed on the slow host, listed after the first used the host's share, is not polled: due next pass."""
    sources.set_state(db, 2, "paused")  # the fast host's feed: nothing else asked while the test clock jumps
    slow = hosts["slow"]
    slow.pages["/feed.xml"].hold = Slow(clock, 200)
    slow.put("/other.xml", rss("Slow Gazette, more", []), content_type="application/rss+xml")
    port = slow.httpd.server_address[1]
    other = sources.add_source(db, story["id"], f"http://slow.example:{port}/other.xml", "feed")
    with fetcher(clock=clock, host_map=hosts["host_map"]) as f:
        result = run_pass(db, story["slug"], fetcher=f, extract=False, share=100)
    assert slow.statuses("/other.xml") == []
    assert sources.get_source(db, other["id"])["last_fetched_at"] is None
    assert result["deferred"] == [{"host": "slow.example", "requests": 1 + PAGES, "used": 200, "share": 100}]


def test_watch_keeps_each_host_to_half_the_time_between_passes(db_path, story, hosts, clock):
    """watch --every 2m: a host gets at most a minute of each pass, so the next pass, and every other source
    due in it, starts on time."""
    hosts["slow"].put("/robots.txt", "User-agent: *\nCrawl-delay: 50\n", content_type="text/plain")
    stop = threading.Event()
    passes: list[dict] = []

    def on_pass(result: dict) -> None:
        passes.append(result)
        stop.set()

    with fetcher(clock=clock, host_map=hosts["host_map"]) as f:
        watch(connect(db_path), story["slug"], every=120, fetcher=f, stop=stop, on_pass=on_pass, share=3600)
    (result,) = passes
    assert 0 < len(fetched_pages(hosts["slow"])) <= 60 // 50 + 1
    assert result["deferred"][0]["host"] == "slow.example" and result["deferred"][0]["share"] == 60
    assert hosts["fast"].statuses("/story.html") == [200]


def test_scrape_says_which_host_was_put_off_and_why_and_exits_zero(db_path, story, hosts, clock, monkeypatch):
    """Nothing failed: the summary names the host and what was left, and the exit status is 0."""
    hosts["slow"].put("/robots.txt", "User-agent: *\nCrawl-delay: 50\n", content_type="text/plain")
    made = fetcher(clock=clock, host_map=hosts["host_map"])
    monkeypatch.setattr("tracker.ingest.default_fetcher", lambda *args, **kwargs: made)
    monkeypatch.setenv("TRACKER_HOST_SHARE", "100")
    result = CliRunner().invoke(cli, ["--db", str(db_path), "scrape", story["slug"]])
    assert result.exit_code == 0, result.output
    fetched = len(fetched_pages(hosts["slow"]))
    line = (
        f"deferred: slow.example used its share of the pass (100 s, TRACKER_HOST_SHARE); {PAGES - fetched} "
        "request(s) to it are left due for the next pass."
    )
    assert line in result.stdout.splitlines()
    assert f"items: {fetched + 1}/{PAGES + 1} fetched, {PAGES - fetched} deferred to the next pass" in result.stderr


def test_a_host_asking_more_than_we_wait_between_requests_has_all_its_pages_fetched_in_turn(db, story, hosts, clock):
    """Crawl-delay 120 (more than the fetcher waits for a turn): a page a pass at most. The pages skipped were put
    off as far as the one fetched, and the first by id won every tie: the same page was fetched at every pass
    and the others never were."""
    from scrapers.schedule import later

    sources.set_state(db, 2, "paused")
    hosts["slow"].put("/robots.txt", "User-agent: *\nCrawl-delay: 120\n", content_type="text/plain")
    at = "2026-03-02T15:00:00Z"
    with fetcher(clock=clock, host_map=hosts["host_map"], respect_robots=False) as f:
        run_pass(db, story["slug"], fetcher=f, extract=False, at=at, share=0)  # the feed and its pages, once
    with db.conn:
        db.execute("UPDATE sources SET next_poll_at = '2027-01-01T00:00:00Z'")  # the pages' re-checks alone
    hits = len(hosts["slow"].log)
    with fetcher(clock=clock, host_map=hosts["host_map"]) as f:
        for n in range(1, 7):
            clock.advance(600)
            run_pass(db, story["slug"], fetcher=f, extract=False, at=later(at, 600 * n), share=0, force=False)
    fetched = [hit.path for hit in hosts["slow"].log[hits:] if hit.path.startswith("/news/")]
    assert len(fetched) >= 3 and len(set(fetched)) == len(fetched), fetched  # a different page each time


def test_a_page_robots_txt_disallows_still_waits_for_its_next_check(db, story, hosts):
    """Only a page not asked for now keeps its place; one the site disallows is not tried again at every pass."""
    sources.set_state(db, 2, "paused")
    hosts["slow"].put("/robots.txt", "User-agent: *\nDisallow: /news/\n", content_type="text/plain")
    with fetcher(host_map=hosts["host_map"]) as f:
        result = run_pass(db, story["slug"], fetcher=f, extract=False)
    assert result["skipped"] == PAGES and fetched_pages(hosts["slow"]) == []
    pushed = db.execute("SELECT count(*) FROM coverage WHERE next_check_at > ?", [now()]).fetchone()[0]
    assert pushed == PAGES


@pytest.mark.parametrize("force", [False, True], ids=["watch", "scrape"])
def test_a_feed_on_a_host_asking_more_than_we_wait_leaves_its_turn_to_the_pages_waiting_longer(
    db, story, hosts, clock, force
):
    """Crawl-delay 120: one request to the host a pass. The feed, due again at every pass (or polled by every
    `scrape`), took that request each time and the pages it listed were never fetched."""
    from scrapers.schedule import later

    sources.set_state(db, 2, "paused")
    slow = hosts["slow"]
    slow.put("/robots.txt", "User-agent: *\nCrawl-delay: 120\n", content_type="text/plain")
    at = now()  # items are first seen on the real clock
    with fetcher(clock=clock, host_map=hosts["host_map"]) as f:
        for n in range(8):
            clock.advance(600)
            result = run_pass(db, story["slug"], fetcher=f, extract=False, at=later(at, 600 * n), share=0, force=force)
    pages = fetched_pages(slow)
    # robots.txt, the feed, then a page a pass (robots.txt is read again after an hour): each page once.
    assert len(pages) >= 5 and len(set(pages)) == len(pages), [hit.path for hit in slow.log]
    assert slow.statuses("/feed.xml") == [200]
    assert any("slow.example allows one request per pass" in note for note in result["notes"])


def test_a_feed_on_a_host_asking_more_than_we_wait_is_polled_again_once_its_pages_are_fetched(db, story, hosts, clock):
    """Sharing the host's one request a pass goes both ways: the pages waiting longest first, then the feed."""
    from scrapers.schedule import later

    sources.set_state(db, 2, "paused")
    slow = hosts["slow"]
    slow.put("/robots.txt", "User-agent: *\nCrawl-delay: 120\n", content_type="text/plain")
    entries = [{"link": url, "title": f"Acme recall, part {n}"} for n, url in enumerate(hosts["pages"][:2])]
    slow.put("/feed.xml", rss("Slow Gazette", entries), content_type="application/rss+xml")
    at = now()
    with fetcher(clock=clock, host_map=hosts["host_map"]) as f:
        for n in range(5):
            clock.advance(600)
            run_pass(db, story["slug"], fetcher=f, extract=False, at=later(at, 600 * n), share=0, force=False)
    assert [hit.path for hit in slow.log] == ["/robots.txt", "/feed.xml", "/news/0.html", "/news/1.html", "/feed.xml"]


def test_two_feeds_on_a_host_asking_more_than_we_wait_take_turns(db, story, hosts, clock):
    """The feed skipped for its turn was put off as far as the one polled, and the first by id won every tie."""
    from scrapers.schedule import later

    sources.set_state(db, 2, "paused")
    slow = hosts["slow"]
    slow.put("/robots.txt", "User-agent: *\nCrawl-delay: 120\n", content_type="text/plain")
    slow.put("/feed.xml", rss("Slow Gazette", []), content_type="application/rss+xml")
    slow.put("/other.xml", rss("Slow Gazette, more", []), content_type="application/rss+xml")
    sources.add_source(db, story["id"], f"http://slow.example:{slow.httpd.server_address[1]}/other.xml", "feed")
    at = now()
    with fetcher(clock=clock, host_map=hosts["host_map"]) as f:
        for n in range(5):
            clock.advance(600)
            run_pass(db, story["slug"], fetcher=f, extract=False, at=later(at, 600 * n), share=0, force=False)
    assert [hit.path for hit in slow.log] == ["/robots.txt", "/feed.xml", "/other.xml", "/feed.xml", "/other.xml"]


def test_a_host_asking_more_than_we_wait_has_its_pages_fetched_by_scrape_run_after_scrape(
    db, db_path, story, hosts, clock
):
    """Each `scrape` (from cron, say) is a new process: its first request to the host is robots.txt, and the
    feed then waited for the Crawl-delay after it, longer than any pass waits: nothing was ever fetched."""
    import time

    from tracker.pacing import HostPacing

    started = time.time() - clock.now()
    clock.wall = lambda: started + clock.now()  # the epoch's seconds near today's, as the pass's own times are
    sources.set_state(db, 2, "paused")
    slow = hosts["slow"]
    slow.put("/robots.txt", "User-agent: *\nCrawl-delay: 120\n", content_type="text/plain")
    for _ in range(6):
        clock.advance(600)
        store = HostPacing(db_path)  # as tracker.ingest.default_fetcher gives a new process
        with fetcher(clock=clock, host_map=hosts["host_map"], pacing=store, robots_store=store) as f:
            run_pass(db, story["slug"], fetcher=f, extract=False, share=0)
    # robots.txt read once and kept for the runs after; the feed, then a page a run.
    assert [hit.path for hit in slow.log] == ["/robots.txt", "/feed.xml", *(f"/news/{n}.html" for n in range(4))]


def test_a_feed_polled_every_minute_on_a_host_asking_50_s_leaves_its_pages_their_turn(db, story, hosts, clock):
    """watch --every 1m gives a host 30 s of a pass: a Crawl-delay of 50 s is one request a pass, and the feed,
    due at every pass, took four in five of them while forty pages waited."""
    from scrapers.schedule import later

    sources.set_state(db, 2, "paused")
    slow = hosts["slow"]
    slow.put("/robots.txt", "User-agent: *\nCrawl-delay: 50\n", content_type="text/plain")
    at = now()
    with fetcher(clock=clock, host_map=hosts["host_map"]) as f:
        for n in range(10):
            started = clock.now()
            run_pass(db, story["slug"], fetcher=f, extract=False, at=later(at, 60 * n), every=60, share=30, force=False)
            clock.advance(max(0.0, 60 - (clock.now() - started)))  # as watch waits out the rest of the minute
    pages = fetched_pages(slow)
    assert len(pages) >= 6 and len(set(pages)) == len(pages), [hit.path for hit in slow.log]
