"""The scrape pass against a real local site: feeds, pages, statements, conditional GET, failures, kills."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import textwrap
import threading
import time
from datetime import timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from scrapers.http.advice import ITEM, NEW_ITEM, SOURCE, advice
from scrapers.schedule import backoff, later
from scrapers.timestamps import parse_time
from tests.sites import RECALL, article, fetcher, json_feed, rss
from tracker import candidates, coverage, extraction, sources
from tracker.cli import cli
from tracker.db import connect, now
from tracker.scrape import run_pass, watch

ROOT = Path(__file__).resolve().parent.parent
OTHER = [
    "Acme Widgets told investors on Tuesday that the recall would cost it about four million "
    "dollars, most of it in replacement units shipped to customers over the coming weeks.",
    "Analysts at the fictional Exampleton Research said the cost was manageable for a company "
    "of its size but that the damage to the brand could last longer than the recall itself.",
    "The company also said it had replaced the wiring supplier whose part caused the fault and "
    "that new toasters leaving the factory had passed an independent safety inspection.",
]


def counts(db) -> dict[str, int]:
    return {t: db.execute(f"SELECT count(*) FROM [{t}]").fetchone()[0] for t in ("coverage", "revisions", "fetches")}


def two_feeds(site) -> dict[str, str]:
    """Two outlets' feeds on the site, each linking one article page."""
    a = site.put("/gazette/recall.html", article("Acme recalls 10,000 toasters", RECALL))
    b = site.put("/herald/cost.html", article("Acme puts recall cost at $4m", OTHER, outlet="Example Herald"))
    feed_a = site.put(
        "/gazette/feed.xml",
        rss(
            "Example Gazette", [{"link": a, "title": "Acme recalls toasters", "pubDate": "Mon, 02 Mar 2026 14:30 GMT"}]
        ),
        content_type="application/rss+xml",
    )
    feed_b = site.put(
        "/herald/feed.xml",
        rss(
            "Example Herald",
            [
                {"link": b, "title": "Acme puts recall cost at $4m", "pubDate": "Tue, 03 Mar 2026 09:00 GMT"},
                {"link": site.url("/herald/sport.html"), "title": "Local team wins the cup"},  # off-topic
            ],
        ),
        content_type="application/rss+xml",
    )
    return {"a": a, "b": b, "feed_a": feed_a, "feed_b": feed_b}


def test_one_pass_over_two_feeds_stores_items_pages_and_logs_every_fetch(db, story, site):
    urls = two_feeds(site)
    for feed in ("feed_a", "feed_b"):
        sources.add_source(db, story["id"], urls[feed], "feed")
    with fetcher() as f:
        result = run_pass(db, story["slug"], fetcher=f)
    assert {k: result[k] for k in ("new", "updated", "unchanged", "skipped", "failed")} == {
        "new": 2,
        "updated": 0,
        "unchanged": 0,
        "skipped": 1,
        "failed": 0,
    }
    assert result["texts"] == 2 and result["parsed"] == 4  # two feeds, two pages
    items = {i["canonical_url"]: i for i in coverage.list_items(db, story["id"])}
    assert set(items) == {urls["a"], urls["b"]}
    assert items[urls["a"]]["revision_count"] == 1 and items[urls["b"]]["revision_count"] == 1
    assert "wiring fault" in coverage.latest_revision(db, items[urls["a"]]["id"])["text"]
    assert items[urls["a"]]["published_at"] == "2026-03-02T14:30:00Z"
    assert items[urls["a"]]["next_check_at"] > now()  # scheduled, not due again at once
    assert site.hits("/herald/sport.html") == []  # off-topic entries are not fetched
    logged = db.execute("SELECT url, status, outcome FROM fetches ORDER BY url").fetchall()
    assert sorted(logged) == sorted(
        [(urls["feed_a"], 200, "ok"), (urls["feed_b"], 200, "ok"), (urls["a"], 200, "ok"), (urls["b"], 200, "ok")]
    )
    health = {s["url"]: s for s in sources.list_sources(db, story["id"])}
    assert health[urls["feed_a"]]["items"] == 1 and health[urls["feed_a"]]["last_status"] == 200
    assert health[urls["feed_a"]]["etag"]


def test_claims_are_read_after_the_pages_are_stored_and_a_pass_left_short_is_caught_up(db, story, site):
    urls = two_feeds(site)
    sources.add_source(db, story["id"], urls["feed_a"], "feed")
    with fetcher() as f:
        first = run_pass(db, story["slug"], fetcher=f, extract=False)  # as a pass stopped before its last stage
        assert first["texts"] == 1 and first["candidates"] == 0
        assert extraction.waiting_count(db, story["id"]) == 1
        assert candidates.counts(db, story["id"])["pending"] == 0
        second = run_pass(db, story["slug"], fetcher=f)  # nothing new to fetch: it reads what was left
    assert second["texts"] == 0 and second["candidates"] > 0
    assert candidates.counts(db, story["id"])["pending"] == second["candidates"]
    assert extraction.waiting_count(db) == 0


def test_second_pass_sends_validators_gets_304_and_parses_nothing(db, story, site):
    urls = two_feeds(site)
    for feed in ("feed_a", "feed_b"):
        sources.add_source(db, story["id"], urls[feed], "feed")
    with fetcher() as f:
        run_pass(db, story["slug"], fetcher=f)
        before = counts(db)
        second = run_pass(db, story["slug"], fetcher=f)
    assert second["parsed"] == 0 and second["unchanged"] == 2 and second["new"] == 0
    assert site.statuses("/gazette/feed.xml") == [200, 304]
    assert site.hits("/gazette/feed.xml")[1].headers.get("If-None-Match")
    assert site.statuses("/gazette/recall.html") == [200]  # items are not due yet
    after = counts(db)
    assert after["revisions"] == before["revisions"] and after["coverage"] == before["coverage"]
    assert db.execute("SELECT outcome FROM fetches ORDER BY id DESC LIMIT 2").fetchall() == [("not_modified",)] * 2


def test_an_identical_body_without_validators_is_not_parsed_again(db, story, site):
    page = site.put("/gazette/recall.html", article("Acme recalls toasters", RECALL))
    feed = site.put(
        "/feed.xml",
        rss("Gazette", [{"link": page, "title": "Acme recalls"}]),
        conditional=False,
        content_type="text/xml",
    )
    sources.add_source(db, story["id"], feed, "feed")
    with fetcher() as f:
        run_pass(db, story["slug"], fetcher=f)
        second = run_pass(db, story["slug"], fetcher=f)
    assert site.statuses("/feed.xml") == [200, 200]
    assert second["parsed"] == 0 and second["unchanged"] == 1


def lying_feed(site, entries: list[tuple[str, str]], **options) -> str:
    """A feed whose ETag never changes and which answers 304 to any conditional GET: entries are (path, title)."""
    return site.put(
        "/feed.xml",
        rss("Gazette", [{"link": site.url(path), "title": title} for path, title in entries]),
        lie=True,
        etag='"v1"',
        **options,
    )


@pytest.mark.parametrize("quiet_polls", [0, 1, 2, 5])
@pytest.mark.parametrize("ranges", [True, False], ids=["ranges", "no-ranges"])
def test_a_feed_hiding_a_change_behind_304_is_caught_within_three_polls(db, story, site, quiet_polls, ranges):
    """Whenever the change comes (quiet_polls after the last full fetch), at most three polls pass until it is seen."""
    site.put("/gazette/one.html", article("Acme recalls toasters", RECALL))
    site.put("/gazette/two.html", article("Acme denies the report", OTHER))
    lying_feed(site, [("/gazette/one.html", "Acme recalls")], ranges=ranges)
    source = sources.add_source(db, story["id"], site.url("/feed.xml"), "feed")
    with fetcher() as f:
        run_pass(db, story["slug"], fetcher=f)  # the full feed: its newest entry is noted
        for _ in range(quiet_polls):
            run_pass(db, story["slug"], fetcher=f)
        lying_feed(site, [("/gazette/two.html", "Acme denies"), ("/gazette/one.html", "Acme recalls")], ranges=ranges)
        polls, notes = 0, []
        while site.url("/gazette/two.html") not in {i["canonical_url"] for i in coverage.list_items(db, story["id"])}:
            assert polls < 3, f"the change is still hidden after {polls} polls"
            result = run_pass(db, story["slug"], fetcher=f)
            polls, notes = polls + 1, notes + result["notes"]
    assert any("validators lie" in note for note in notes)
    health = sources.get_source(db, source["id"])
    assert health["trust_validators"] == 0 and health["etag"] is None
    hits = site.hits("/feed.xml")
    checks = [h for h in hits if "Range" in h.headers]
    assert checks and all(h.headers.get("Accept-Encoding") == "identity" for h in checks)
    if ranges:
        assert {h.status for h in checks} == {206}


def test_an_honest_feed_is_checked_with_a_few_hundred_bytes_never_fetched_whole_again(db, story, site):
    page = site.put("/gazette/one.html", article("Acme recalls toasters", RECALL))
    entries = [{"link": page, "title": "Acme recalls"}] + [
        {"link": site.url(f"/gazette/old-{n}.html"), "title": f"Older story {n}", "description": "x" * 400}
        for n in range(30)
    ]
    site.put("/feed.xml", rss("Gazette", entries))
    source = sources.add_source(db, story["id"], site.url("/feed.xml"), "feed")
    with fetcher() as f:
        for _ in range(7):
            run_pass(db, story["slug"], fetcher=f)
    statuses = site.statuses("/feed.xml")
    assert statuses == [200, 304, 304, 206, 304, 304, 206], statuses
    trust, window = db.execute(
        "SELECT trust_validators, probe_length FROM sources WHERE id = ?", [source["id"]]
    ).fetchone()
    assert trust == 1 and window < 300
    sizes = [r[0] for r in db.execute("SELECT bytes FROM fetches WHERE url = ? ORDER BY id", [site.url("/feed.xml")])]
    assert sizes[3] == sizes[6] == window and sizes[0] > 20 * sizes[3]


def test_an_honest_etag_that_changes_with_the_content_stays_trusted(db, story, site):
    page = site.put("/gazette/one.html", article("Acme recalls toasters", RECALL))
    site.put("/feed.xml", rss("Gazette", [{"link": page, "title": "Acme recalls"}]))
    source = sources.add_source(db, story["id"], site.url("/feed.xml"), "feed")
    with fetcher() as f:
        run_pass(db, story["slug"], fetcher=f)
        run_pass(db, story["slug"], fetcher=f)  # 304
        site.put("/feed.xml", rss("Gazette", [{"link": page, "title": "Acme recalls toasters, updated"}]))
        run_pass(db, story["slug"], fetcher=f, at=later(now(), 25 * 3600))
    assert sources.get_source(db, source["id"])["trust_validators"] == 1


def test_a_failing_source_does_not_stop_the_others_and_backs_off(db, story, site):
    urls = two_feeds(site)
    site.put("/broken/feed.xml", "oops", status=500)
    # A server that accepts the connection and never answers: a real read timeout.
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(5)
    try:
        broken = sources.add_source(db, story["id"], site.url("/broken/feed.xml"), "feed")
        slow = sources.add_source(db, story["id"], f"http://127.0.0.1:{silent.getsockname()[1]}/feed.xml", "feed")
        sources.add_source(db, story["id"], urls["feed_a"], "feed")
        # Without robots.txt: the silent server would not answer for it either, and the source would be skipped.
        with fetcher(read_timeout=0.3, connect_timeout=1, respect_robots=False) as f:
            result = run_pass(db, story["slug"], fetcher=f)
            assert result["failed"] == 2 and result["new"] == 1
            first = {s["id"]: s for s in sources.list_sources(db, story["id"])}
            for failing in (broken, slow):
                assert first[failing["id"]]["failures"] == 1 and first[failing["id"]]["last_outcome"] == "error"
            assert "500" in first[broken["id"]]["last_error"]
            assert "timed out" in first[slow["id"]]["last_error"]
            # Not due yet: a forced pass (`scrape`) still leaves failing sources alone.
            again = run_pass(db, story["slug"], fetcher=f)
            assert again["waiting"] == 2 and len(site.hits("/broken/feed.xml")) == 1
            # Due again later; a second failure doubles the wait.
            run_pass(db, story["slug"], fetcher=f, at=first[broken["id"]]["next_poll_at"])
    finally:
        silent.close()
    second = sources.get_source(db, broken["id"])
    assert second["failures"] == 2
    gap1 = _seconds_between(first[broken["id"]]["last_fetched_at"], first[broken["id"]]["next_poll_at"])
    gap2 = _seconds_between(first[broken["id"]]["next_poll_at"], second["next_poll_at"])
    assert gap2 >= 2 * gap1 - 5


def test_a_site_refusing_connections_fails_its_source_backs_off_and_raises_the_failing_alert(db, story, site):
    """A site that refused every connection left its source "skipped" at each pass (its robots.txt unreadable):
    polled every ten minutes for ever, never counted as failing, never announced. Robots.txt is honoured here."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    down = sources.add_source(db, story["id"], f"http://127.0.0.1:{port}/feed.xml", "feed", "Down Daily")
    at = now()
    with fetcher() as f:
        for failures in (1, 2, 3):
            result = run_pass(db, story["slug"], fetcher=f, at=at, extract=False)
            assert (result["failed"], result["skipped"]) == (1, 0), result["problems"]
            health = sources.get_source(db, down["id"])
            assert (health["last_outcome"], health["failures"], health["state"]) == ("error", failures, "active")
            assert health["last_error"] == (
                f"Could not connect to 127.0.0.1:{port} (connection refused); {advice('down', SOURCE)}."
            )
            assert health["next_poll_at"] == later(at, backoff(failures))  # 20, 40, 80 minutes: backing off
            # Not polled early. Asked at the fetch's own time at least: a pass that crossed into the next second
            # recorded the fetch "later" than `at`, read as a clock set back, and polled it again (a flaky failure).
            again = max(at, health["last_fetched_at"])
            assert run_pass(db, story["slug"], fetcher=f, at=again, extract=False)["waiting"] == 1
            at = health["next_poll_at"]
    alerts = db.execute("SELECT kind, subject FROM alert_events").fetchall()
    assert alerts == [("source_failing", "Source failing (3 times in a row): Down Daily")]
    logged = db.execute("SELECT outcome FROM fetches WHERE source_id = ?", [down["id"]]).fetchall()
    assert logged == [("error",)] * 3


def test_a_robots_txt_answering_503_pass_after_pass_fails_its_source_and_raises_the_failing_alert(db, story, site):
    """A robots.txt answering 503 left its source "skipped" at every pass, however long it lasted: never counted
    as failing, never announced, and `scrape` exited 0. Once is "not now" (RFC 9309: assume disallowed); the
    same at the next poll is the site failing, counted and backed off like a site refusing connections."""
    site.put("/robots.txt", "down for maintenance", status=503)
    feed = site.put("/feed.xml", rss("Example Gazette", []))
    gazette = sources.add_source(db, story["id"], feed, "feed", "Example Gazette")
    at = now()
    with fetcher() as f:
        first = run_pass(db, story["slug"], fetcher=f, at=at, extract=False)
        assert (first["failed"], first["skipped"]) == (0, 1), first["problems"]
        health = sources.get_source(db, gazette["id"])
        assert (health["last_outcome"], health["failures"]) == ("skipped", 0)
        at = health["next_poll_at"]
        for failures in (1, 2, 3):
            result = run_pass(db, story["slug"], fetcher=f, at=at, extract=False)
            assert (result["failed"], result["skipped"]) == (1, 0), result["problems"]
            health = sources.get_source(db, gazette["id"])
            assert (health["last_outcome"], health["failures"], health["state"]) == ("error", failures, "active")
            assert health["last_error"] == (
                f"robots.txt of {site.url('')} still cannot be read (it answered HTTP 503); until it can be, the "
                "robots.txt standard asks us to fetch nothing from 127.0.0.1: it will be tried again on a later "
                "pass; if it lasts, tell the site, or remove the source."
            )
            assert health["next_poll_at"] == later(at, backoff(failures))  # 20, 40, 80 minutes: backing off
            at = health["next_poll_at"]
    alerts = db.execute("SELECT kind, subject FROM alert_events").fetchall()
    assert alerts == [("source_failing", "Source failing (3 times in a row): Example Gazette")]
    assert [hit.path for hit in site.log].count("/feed.xml") == 0  # disallowed all along, as the standard asks


def test_an_item_whose_site_refuses_connections_backs_off_its_recheck(db, story, site):
    """A page a feed listed, on a site that now takes no connection: re-checked at every pass, never failing."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        page = f"http://127.0.0.1:{sock.getsockname()[1]}/recall.html"
    feed = site.put("/feed.xml", rss("Example Gazette", [{"link": page, "title": "Acme recalls toasters"}]))
    sources.add_source(db, story["id"], feed, "feed")
    with fetcher() as f:
        result = run_pass(db, story["slug"], fetcher=f, extract=False)
    assert (result["failed"], result["skipped"]) == (1, 0), result["problems"]
    ((failures, error, next_check),) = db.execute(
        "SELECT check_failures, check_error, next_check_at FROM coverage WHERE canonical_url = ?", [page]
    ).fetchall()
    assert failures == 1 and next_check is not None
    assert error.endswith(f"(connection refused); {advice('down', ITEM)}.")


def test_a_source_with_its_own_interval_is_polled_and_its_items_rechecked_that_often(db, story, site):
    urls = two_feeds(site)
    quick = sources.add_source(db, story["id"], urls["feed_a"], "feed", config={"every": 30})
    slow = sources.add_source(db, story["id"], urls["feed_b"], "feed")
    at = now()
    with fetcher() as f:
        run_pass(db, story["slug"], fetcher=f, at=at, every=600)
    assert sources.get_source(db, quick["id"])["next_poll_at"] == later(at, 30)
    assert sources.get_source(db, slow["id"])["next_poll_at"] == later(at, 600)
    checks = dict(db.execute("SELECT source_id, next_check_at FROM coverage WHERE source_id IS NOT NULL").fetchall())
    assert checks[quick["id"]] == later(at, 30)  # an item of March waits a day, at most its source's interval
    assert checks[slow["id"]] == later(at, 24 * 3600)
    # watch waits the shortest interval of the story's sources between passes
    from tracker.scrape import pass_interval

    assert pass_interval(db, story["id"], 600) == 30
    sources.set_state(db, quick["id"], "paused")
    assert pass_interval(db, story["id"], 600) == 600


@pytest.mark.parametrize("retry_after", ["31536000", "99999999999999", "9" * 400])
def test_an_absurd_retry_after_defers_the_hosts_sources_a_day_at_most(db, story, site, retry_after):
    """A year, or a date past 9999, in Retry-After: the host's other sources are not put off for longer than a day."""
    urls = two_feeds(site)
    busy = site.put("/gazette/busy.xml", "slow down", status=429, headers={"Retry-After": retry_after})
    first = sources.add_source(db, story["id"], busy, "feed")
    second = sources.add_source(db, story["id"], urls["feed_a"], "feed")
    at = now()
    with fetcher(max_wait=60, respect_robots=False) as f:
        result = run_pass(db, story["slug"], fetcher=f, at=at, extract=False)
    assert "bug in the tracker" not in " ".join(reason for _, reason in result["problems"])
    assert (result["failed"], result["skipped"]) == (1, 1)
    for source in (first, second):
        assert sources.get_source(db, source["id"])["next_poll_at"] <= later(at, 24 * 3600)
    assert site.hits("/gazette/feed.xml") == []  # the host asked us to wait, and we did


@pytest.mark.parametrize(
    "rule", ["Crawl-delay: 31536000", "Crawl-delay: 99999999999999", "Request-rate: 1/9999999999999999s"]
)
def test_an_absurd_crawl_delay_defers_the_sites_sources_a_day_at_most(db, story, site, rule):
    urls = two_feeds(site)
    site.put("/robots.txt", f"User-agent: *\n{rule}\n", content_type="text/plain")
    source = sources.add_source(db, story["id"], urls["feed_a"], "feed")
    at = now()
    with fetcher(max_wait=60) as f:
        result = run_pass(db, story["slug"], fetcher=f, at=at, extract=False)
    assert "bug in the tracker" not in " ".join(reason for _, reason in result["problems"])
    assert result["skipped"] == 1
    assert sources.get_source(db, source["id"])["next_poll_at"] <= later(at, 24 * 3600)
    assert site.hits("/gazette/feed.xml") == []  # the delay after robots.txt is kept


def test_a_feed_entry_linking_to_the_feed_stores_no_article_made_of_the_feed(db, story, site):
    """Feeds that link an entry to themselves (or to another feed) exist: the feed is not an article page."""
    page = site.put("/gazette/recall.html", article("Acme recalls 10,000 toasters", RECALL))
    other = site.put("/herald/feed.xml", rss("Example Herald", [{"link": page, "title": "Acme recalls"}]))
    feed = site.url("/gazette/feed.xml")
    entries = [
        {"link": feed, "title": "Acme news feed"},
        {"link": other, "title": "Acme coverage elsewhere"},
        {"link": page, "title": "Acme recalls toasters"},
    ]
    site.put("/gazette/feed.xml", rss("Example Gazette", entries), content_type="application/rss+xml")
    sources.add_source(db, story["id"], feed, "feed")
    with fetcher() as f:
        result = run_pass(db, story["slug"], fetcher=f, extract=False)
    assert result["texts"] == 1
    assert [url for url, _ in result["problems"]] == [other]  # the feed's link to itself is not even an item
    assert "is a feed (RSS, Atom or JSON Feed), not an article page" in result["problems"][0][1]
    stored = db.execute("SELECT c.canonical_url FROM revisions r JOIN coverage c ON c.id = r.coverage_id").fetchall()
    assert stored == [(page,)]
    assert coverage.find_item(db, story["id"], feed) is None


def test_a_host_answering_429_is_left_alone_for_the_rest_of_the_pass(db, story, site):
    """A rate limit is the site's, not one page's: asking for each of its pages, and waiting for each, would make
    the pass last hours (every other source waiting) while the site keeps saying "too many requests"."""
    from tests.http.local_server import FakeClock

    pages = [site.put(f"/busy/{n}.html", "slow down", status=429, headers={"Retry-After": "30"}) for n in range(6)]
    entries = [{"link": page, "title": f"Acme recall, part {n}"} for n, page in enumerate(pages)]
    feed = site.put("/feed.xml", rss("Example Gazette", entries), content_type="application/rss+xml")
    sources.add_source(db, story["id"], feed, "feed")
    clock = FakeClock()
    with fetcher(clock=clock, retries=2) as f:
        result = run_pass(db, story["slug"], fetcher=f, extract=False)
    assert sum(len(site.hits(f"/busy/{n}.html")) for n in range(6)) == 3  # the first page, retried twice
    assert (result["failed"], result["skipped"]) == (1, 5)
    assert sum(clock.sleeps) <= 60
    reasons = [reason for _, reason in result["problems"]]
    assert len(reasons) == 6 and all("HTTP 429" in r and "later pass" in r for r in reasons), reasons


@pytest.mark.parametrize(
    "settings",
    [
        {"total_timeout": 0.3},  # the whole answer not in within the deadline: not retried
        {"read_timeout": 0.2, "total_timeout": 10},  # silent past the read timeout: retried twice
    ],
    ids=["deadline", "read-timeout"],
)
def test_a_host_that_gives_no_answer_in_time_is_left_alone_for_the_rest_of_the_pass(db, story, site, settings):
    """A site that is down or stalls every response cost the deadline, and its retries, for each of its pages:
    a feed linking a hundred of them held the pass (and every other source) for an hour."""
    release = threading.Event()
    pages = [site.put(f"/stalled/{n}.html", article(f"Acme recall, part {n}", RECALL), hold=release) for n in range(6)]
    entries = [{"link": page, "title": f"Acme recall, part {n}"} for n, page in enumerate(pages)]
    feed = site.put("/feed.xml", rss("Example Gazette", entries), content_type="application/rss+xml")
    sources.add_source(db, story["id"], feed, "feed")
    try:
        with fetcher(retries=2, **settings) as f:
            result = run_pass(db, story["slug"], fetcher=f, extract=False)
        asked = list(site.held)
    finally:
        release.set()
    assert len(asked) == (1 if "read_timeout" not in settings else 3)  # the first page (and its retries) only
    assert (result["failed"], result["skipped"]) == (1, 5)
    reasons = [reason for _, reason in result["problems"]]
    assert len(reasons) == 6 and sum("gave no answer in time; not requested now" in r for r in reasons) == 5, reasons
    not_asked = "SELECT count(*) FROM coverage WHERE check_error LIKE '%gave no answer in time; not%'"
    waiting = db.execute(not_asked).fetchone()[0]
    assert waiting == 5  # asked for again on a later pass, like any page not fetched now


def test_a_host_whose_name_does_not_resolve_is_looked_up_once_in_the_pass(db, story, site, monkeypatch):
    """A name whose lookups time out (its DNS servers unreachable) costs seconds per lookup, for every page."""
    import socket

    lookups = []
    real = socket.getaddrinfo

    def dns(host, *args, **kwargs):
        if host == "gone.example":
            lookups.append(host)
            raise socket.gaierror(socket.EAI_AGAIN, "Temporary failure in name resolution")
        return real(host, *args, **kwargs)

    monkeypatch.setattr("socket.getaddrinfo", dns)
    entries = [{"link": f"http://gone.example/{n}.html", "title": f"Acme recall, part {n}"} for n in range(6)]
    feed = site.put("/feed.xml", rss("Example Gazette", entries), content_type="application/rss+xml")
    sources.add_source(db, story["id"], feed, "feed")
    with fetcher(retries=2) as f:
        result = run_pass(db, story["slug"], fetcher=f, extract=False)
    assert len(lookups) == 1
    assert (result["failed"], result["skipped"]) == (1, 5)
    reasons = [reason for _, reason in result["problems"]]
    assert sum("has a name that does not resolve; not requested now" in r for r in reasons) == 5, reasons


def test_a_news_aggregator_s_feed_brings_the_articles_themselves_under_their_own_outlets(db, story, site):
    """Bing News links every entry through apiclick.aspx: the wrapper's page was fetched (or refused by its
    robots.txt), and every item was credited to the search feed's title."""
    from urllib.parse import quote

    page = site.put("/herald/recall.html", article("Acme recalls 10,000 toasters", RECALL))
    wrapped = f"http://www.bing.com/news/apiclick.aspx?ref=FexRss&aid=&tid=A1&url={quote(page, safe='')}&c=1"
    entry = {"link": wrapped, "title": "Acme recalls toasters - Example Herald", "source": ("Example Herald", page)}
    feed = site.put("/news.xml", rss("Acme - Bing News", [entry]), content_type="application/rss+xml")
    sources.add_source(db, story["id"], feed, "feed")
    with fetcher() as f:
        result = run_pass(db, story["slug"], fetcher=f, extract=False)
    assert (result["new"], result["texts"], result["failed"]) == (1, 1, 0), result["problems"]
    [item] = coverage.list_items(db, story["id"])
    assert item["canonical_url"] == page and item["outlet"] == "Example Herald"
    assert [h.path for h in site.log if "bing" in h.path] == []


def test_a_feed_source_given_as_a_web_page_follows_the_feed_the_page_names(db, story, site):
    """Reporters add an outlet's section page where its feed is wanted: it failed as "not an RSS or Atom feed"
    on every poll, although the page names its feed, as browsers and feed readers find it."""
    page = site.put("/herald/recall.html", article("Acme recalls 10,000 toasters", RECALL))
    feed = site.put("/herald/feed.xml", rss("Example Herald", [{"link": page, "title": "Acme recalls toasters"}]))
    section = site.put(
        "/herald/business/",
        '<html><head><title>Business</title><link rel="alternate" type="application/rss+xml" title="Business" '
        'href="/herald/feed.xml"></head><body><h1>Business</h1></body></html>',
    )
    source = sources.add_source(db, story["id"], section, "feed")
    with fetcher() as f:
        first = run_pass(db, story["slug"], fetcher=f, extract=False)
        assert first["failed"] == 0 and any("now follows" in note and feed in note for note in first["notes"])
        moved = sources.get_source(db, source["id"])
        assert (moved["url"], moved["last_outcome"], moved["last_error"]) == (feed, "ok", None)
        second = run_pass(db, story["slug"], fetcher=f, extract=False)
    assert (second["new"], second["texts"], second["failed"]) == (1, 1, 0)
    assert [i["canonical_url"] for i in coverage.list_items(db, story["id"])] == [page]


def test_a_feed_that_was_read_before_and_now_answers_a_page_is_not_moved_but_its_error_names_the_feed(db, story, site):
    old = site.put("/gazette/feed.xml", rss("Example Gazette", []), content_type="application/rss+xml")
    source = sources.add_source(db, story["id"], old, "feed")
    with fetcher() as f:
        run_pass(db, story["slug"], fetcher=f, extract=False)
        site.put(
            "/gazette/feed.xml",
            '<html><head><link rel="alternate" type="application/atom+xml" href="/gazette/atom.xml"></head></html>',
        )
        result = run_pass(db, story["slug"], fetcher=f, extract=False)
    assert result["failed"] == 1
    kept = sources.get_source(db, source["id"])
    assert kept["url"] == old and site.url("/gazette/atom.xml") in kept["last_error"]


def test_a_news_sitemap_source_brings_the_outlet_s_articles_on_the_story(db, story, site):
    """Outlets that dropped RSS keep a news sitemap; as a feed source it failed "not an RSS or Atom feed"."""
    page = site.put("/business/recall.html", article("Acme recalls 10,000 toasters", RECALL))
    sitemap = site.put(
        "/news-sitemap.xml",
        f"""<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
        xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
        <url><loc>{page}</loc><news:news><news:publication><news:name>Example Wire</news:name></news:publication>
        <news:publication_date>2026-11-20T09:30:00Z</news:publication_date>
        <news:title>Acme recalls 10,000 toasters</news:title></news:news></url>
        <url><loc>{site.url("/sport/cup.html")}</loc><news:news><news:title>Local team wins the cup</news:title>
        </news:news></url></urlset>""",
        content_type="application/xml",
    )
    sources.add_source(db, story["id"], sitemap, "feed")
    with fetcher() as f:
        result = run_pass(db, story["slug"], fetcher=f, extract=False)
    assert (result["new"], result["texts"], result["failed"]) == (1, 1, 0), result["problems"]
    [item] = coverage.list_items(db, story["id"])
    assert (item["canonical_url"], item["outlet"]) == (page, "Example Wire")


def test_a_json_feed_source_stores_its_items_with_dates_and_outlet_and_the_next_passes_are_incremental(db, story, site):
    """Blogs and newsrooms publish JSON Feed; as a source it failed "not an RSS or Atom feed" on every poll."""
    recall = site.put("/newsroom/recall.html", article("Acme recalls 10,000 toasters", RECALL))
    cost = site.put("/newsroom/cost.html", article("Acme puts recall cost at $4m", OTHER))
    first_items = [
        {
            "url": "/newsroom/recall.html",
            "title": "Acme recalls toasters \ud800",  # half an emoji: no SQLite text column can hold it
            "date_published": "2026-11-20T09:30:00-05:00",
            "authors": [{"name": "Jo Example"}],
        },
        {"external_url": site.url("/elsewhere/acme.html"), "title": "Linked: Acme elsewhere"},
        {"url": "/newsroom/sport.html", "title": "Local team wins the cup"},  # off-topic
    ]
    feed = site.put(
        "/newsroom/feed.json",
        json_feed("Example Newsroom", first_items, home_page_url=site.url("/newsroom/")),
        content_type="application/feed+json",
    )
    source = sources.add_source(db, story["id"], feed, "feed")
    with fetcher() as f:
        first = run_pass(db, story["slug"], fetcher=f, extract=False)
        assert (first["new"], first["texts"], first["skipped"], first["failed"]) == (1, 1, 2, 0), first["problems"]
        [item] = coverage.list_items(db, story["id"])
        assert (item["canonical_url"], item["outlet"]) == (recall, "Example Newsroom")
        assert (item["published_at"], item["byline"]) == ("2026-11-20T14:30:00Z", "Jo Example")
        assert db.execute("SELECT probe_length FROM sources WHERE id = ?", [source["id"]]).fetchone()[0] < 100
        unchanged = run_pass(db, story["slug"], fetcher=f, extract=False)
        assert (unchanged["parsed"], unchanged["new"], unchanged["unchanged"]) == (0, 0, 1)
        added = {"url": "/newsroom/cost.html", "title": "Acme puts recall cost at $4m", "date_published": "2026-11-21"}
        site.put("/newsroom/feed.json", json_feed("Example Newsroom", [added, first_items[0]]))
        second = run_pass(db, story["slug"], fetcher=f, extract=False)
    assert (second["new"], second["texts"], second["failed"]) == (1, 1, 0), second["problems"]
    items = {i["canonical_url"]: i for i in coverage.list_items(db, story["id"])}
    assert set(items) == {recall, cost}
    # A date without a time is that day, seen after it: its last second, marked as a day (no clock to show).
    assert (items[cost]["published_at"], items[cost]["published_precision"]) == ("2026-11-21T23:59:59Z", "day")
    assert items[recall]["published_precision"] is None
    assert site.statuses("/newsroom/recall.html") == [200]  # known already: not fetched again
    assert site.statuses("/newsroom/feed.json") == [200, 304, 200]
    assert site.hits("/elsewhere/acme.html") == [] and site.hits("/newsroom/sport.html") == []


def test_a_feed_source_given_as_a_blog_page_follows_the_json_feed_it_names(db, story, site):
    page = site.put("/blog/recall.html", article("Acme recalls 10,000 toasters", RECALL))
    feed = site.put("/blog/feed.json", json_feed("Acme Watch", [{"url": page, "title": "Acme recalls toasters"}]))
    blog = site.put(
        "/blog/",
        '<html><head><title>Acme Watch</title><link rel="alternate" type="application/feed+json" title="Acme Watch" '
        'href="/blog/feed.json"></head><body><h1>Acme Watch</h1></body></html>',
    )
    source = sources.add_source(db, story["id"], blog, "feed")
    with fetcher() as f:
        first = run_pass(db, story["slug"], fetcher=f, extract=False)
        assert first["failed"] == 0 and sources.get_source(db, source["id"])["url"] == feed
        second = run_pass(db, story["slug"], fetcher=f, extract=False)
    assert (second["new"], second["texts"], second["failed"]) == (1, 1, 0), second["problems"]
    assert [(i["canonical_url"], i["outlet"]) for i in coverage.list_items(db, story["id"])] == [(page, "Acme Watch")]


def test_a_json_feed_hiding_a_new_item_behind_304_is_caught_by_its_newest_item_s_bytes(db, story, site):
    site.put("/gazette/one.html", article("Acme recalls toasters", RECALL))
    site.put("/gazette/two.html", article("Acme denies the report", OTHER))

    def put(paths: list[str]) -> None:
        body = json_feed(
            "Gazette", [{"url": path, "title": "Acme " + path, "content_html": "x" * 400} for path in paths]
        )
        site.put("/feed.json", body, lie=True, etag='"v1"', content_type="application/json")

    put(["/gazette/one.html"])
    source = sources.add_source(db, story["id"], site.url("/feed.json"), "feed")
    with fetcher() as f:
        for _ in range(3):
            run_pass(db, story["slug"], fetcher=f)
        put(["/gazette/two.html", "/gazette/one.html"])
        result = run_pass(db, story["slug"], fetcher=f)  # the third poll since the full fetch: checked
    assert result["new"] == 1 and any("validators lie" in note for note in result["notes"])
    assert site.url("/gazette/two.html") in {i["canonical_url"] for i in coverage.list_items(db, story["id"])}
    assert [h.status for h in site.hits("/feed.json") if "Range" in h.headers] == [206]
    assert sources.get_source(db, source["id"])["trust_validators"] == 0


def _seconds_between(a: str, b: str) -> float:
    from scrapers.timestamps import parse_time

    return (parse_time(b) - parse_time(a)).total_seconds()


def test_robots_disallow_is_recorded_as_skipped_and_not_fetched(db, story, site):
    page = site.put("/private/recall.html", article("Acme recalls toasters", RECALL))
    site.put("/robots.txt", "User-agent: *\nDisallow: /private/\n", content_type="text/plain")
    feed = site.put("/feed.xml", rss("Gazette", [{"link": page, "title": "Acme recalls"}]))
    watched = site.put("/private/page.html", article("Acme statement", RECALL))
    sources.add_source(db, story["id"], feed, "feed")
    blocked = sources.add_source(db, story["id"], watched, "page")
    with fetcher() as f:
        result = run_pass(db, story["slug"], fetcher=f)
    assert result["skipped"] == 2 and result["failed"] == 0
    assert site.hits("/private/recall.html") == [] and site.hits("/private/page.html") == []
    health = sources.get_source(db, blocked["id"])
    assert health["last_outcome"] == "skipped" and "robots.txt" in health["last_error"]
    assert health["failures"] == 0
    skipped = db.execute("SELECT url, outcome FROM fetches WHERE outcome = 'skipped' ORDER BY url").fetchall()
    assert skipped == sorted([(page, "skipped"), (watched, "skipped")])
    (item,) = coverage.list_items(db, story["id"])  # the entry is known, its page not fetched
    assert item["revision_count"] == 0


def test_statement_listing_follows_matching_links_and_attributes_them_to_the_organisation(db, story, site):
    site.put(
        "/newsroom/2026/recall-statement.html",
        article("Statement on the toaster recall", RECALL[:2], outlet="Acme Widgets Newsroom", byline="Acme Press"),
    )
    site.put("/newsroom/2026/q1-results.html", article("Acme first-quarter results", OTHER, outlet="Acme Newsroom"))
    listing = site.put(
        "/newsroom/",
        """<html><body><nav><a href="/">Home</a><a href="/careers/">Careers</a></nav>
        <ul><li><a href="/newsroom/2026/recall-statement.html">Statement on the toaster recall</a></li>
        <li><a href="2026/q1-results.html?utm_source=list">First-quarter results</a></li>
        <li><a href="/newsroom/2026/recall-statement.html#top">again</a></li>
        <li><a href="mailto:press@acme.example">Press office</a></li></ul></body></html>""",
    )
    source = sources.add_source(
        db, story["id"], listing, "statement", outlet="Acme Widgets", config={"pattern": r"/newsroom/\d{4}/"}
    )
    with fetcher() as f:
        result = run_pass(db, story["slug"], fetcher=f)
        assert result["new"] == 2 and result["texts"] == 2
        again = run_pass(db, story["slug"], fetcher=f)
    items = coverage.list_items(db, story["id"])
    assert {i["kind"] for i in items} == {"statement"}
    assert {i["outlet"] for i in items} == {"Acme Widgets"}  # the organisation, not the page's site name
    assert {i["source_id"] for i in items} == {source["id"]}
    assert {i["canonical_url"] for i in items} == {
        site.url("/newsroom/2026/recall-statement.html"),
        site.url("/newsroom/2026/q1-results.html"),
    }
    assert all(i["revision_count"] == 1 for i in items)
    assert again["new"] == 0 and site.statuses("/newsroom/2026/recall-statement.html") == [200]
    assert site.hits("/careers/") == []


def test_statement_pattern_filters_links_out(db, story, site):
    site.put("/press/a.html", article("Acme statement", RECALL))
    listing = site.put("/press/", '<a href="/press/a.html">A</a> <a href="/press/b.html">B</a>')
    sources.add_source(db, story["id"], listing, "statement", outlet="Acme", config={"pattern": r"/press/a\.html$"})
    with fetcher() as f:
        run_pass(db, story["slug"], fetcher=f)
    assert [i["canonical_url"] for i in coverage.list_items(db, story["id"])] == [site.url("/press/a.html")]
    assert site.hits("/press/b.html") == []


@pytest.mark.parametrize("pattern", [None, r"/press/\d{4}/"])
def test_a_statement_listing_that_links_no_statement_says_so_on_its_health(db, story, site, pattern):
    """A single statement added as a statement listing, or a pattern that matches nothing, was "Healthy" with
    0 items at every pass: nothing told the reporter that no statement would ever be stored from it."""
    listing = site.put("/press/statement.html", article("Acme statement on the recall", RECALL))
    config = {"pattern": pattern} if pattern else {}
    source = sources.add_source(db, story["id"], listing, "statement", outlet="Acme", config=config)
    with fetcher() as f:
        run_pass(db, story["slug"], fetcher=f)
    (row,) = [s for s in sources.list_sources(db, story["id"]) if s["id"] == source["id"]]
    assert row["last_error"] and "links no statement" in row["last_error"]
    assert ("--pattern" if pattern else "--kind page") in row["last_error"]
    with fetcher() as f:
        run_pass(db, story["slug"], fetcher=f)  # unchanged (a 304, or the same bytes): the note still holds
    (again,) = [s for s in sources.list_sources(db, story["id"]) if s["id"] == source["id"]]
    assert again["last_error"] == row["last_error"]
    site.put("/press/statement.html", '<a href="/press/2026/a.html">A</a>')  # the listing now links one
    site.put("/press/2026/a.html", article("Acme statement", RECALL))
    with fetcher() as f:
        run_pass(db, story["slug"], fetcher=f, force=True)
    (row,) = [s for s in sources.list_sources(db, story["id"]) if s["id"] == source["id"]]
    assert row["last_error"] is None


def test_a_watched_page_source_becomes_one_item_with_revisions(db, story, site):
    url = site.put("/acme/statement.html", article("Acme statement on the recall", RECALL))
    sources.add_source(db, story["id"], url, "page")
    with fetcher() as f:
        first = run_pass(db, story["slug"], fetcher=f)
        site.put("/acme/statement.html", article("Acme statement on the recall", RECALL + OTHER[:1]))
        second = run_pass(db, story["slug"], fetcher=f)
    assert first["new"] == 1 and second["updated"] == 1
    (item,) = coverage.list_items(db, story["id"])
    assert item["revision_count"] == 2


@pytest.mark.parametrize("status", [404, 410])
def test_a_source_answering_404_or_410_is_marked_gone_after_three_tries(db, story, site, status):
    site.put("/old/feed.xml", "gone", status=status)
    source = sources.add_source(db, story["id"], site.url("/old/feed.xml"), "feed")
    with fetcher() as f:
        for _ in range(3):
            due = sources.get_source(db, source["id"])["next_poll_at"]
            run_pass(db, story["slug"], fetcher=f, at=due)
        health = sources.get_source(db, source["id"])
        assert health["state"] == "gone" and health["failures"] == 3
        assert "gone" in health["last_error"]
        # Read on the source's page in the editor and in `sources`: both ways back are named.
        assert "Resume this source" in health["last_error"]
        assert f"python -m tracker sources resume {source['id']}" in health["last_error"]
        run_pass(db, story["slug"], fetcher=f, at=later(now(), 30 * 86400))
    assert len(site.hits("/old/feed.xml")) == 3  # never asked again
    assert sources.due_sources(db, later(now(), 30 * 86400)).sources == []


def test_an_item_page_that_keeps_answering_404_is_marked_gone(db, story, site):
    missing = site.url("/gazette/deleted.html")
    site.put("/feed.xml", rss("Gazette", [{"link": missing, "title": "Acme recalls"}]))
    sources.add_source(db, story["id"], site.url("/feed.xml"), "feed")
    with fetcher() as f:
        run_pass(db, story["slug"], fetcher=f)
        for _ in range(2):
            (item,) = coverage.list_items(db, story["id"])
            run_pass(db, story["slug"], fetcher=f, at=item["next_check_at"])
    (item,) = coverage.list_items(db, story["id"])
    assert item["gone_at"] and item["next_check_at"] is None and item["check_failures"] == 3
    assert "404" in item["check_error"]


def test_an_article_missing_at_its_first_fetch_is_not_said_to_keep_revisions_it_never_had(db, story, site):
    """A feed entry whose page answered 404 the first time it was asked for: "its stored revisions are kept"."""
    missing = site.url("/gazette/deleted.html")
    site.put("/feed.xml", rss("Gazette", [{"link": missing, "title": "Acme recalls"}]))
    sources.add_source(db, story["id"], site.url("/feed.xml"), "feed")
    with fetcher() as f:
        run_pass(db, story["slug"], fetcher=f)
    (item,) = coverage.list_items(db, story["id"])
    assert item["revision_count"] == 0 and item["check_failures"] == 1
    assert item["check_error"] == f"{missing} answered HTTP 404 Not Found; {advice('gone', NEW_ITEM)}."
    assert "revisions" not in item["check_error"] and "remove the source" not in item["check_error"]


def test_an_article_gone_on_a_recheck_is_advised_as_one_article_not_as_its_source(db, story, site):
    """A 404 for one article a feed brought says the article is gone and what is kept, never "remove the source"."""
    page = site.put("/gazette/story.html", article("Acme recalls toasters", RECALL))
    site.put("/feed.xml", rss("Gazette", [{"link": page, "title": "Acme recalls"}]))
    source = sources.add_source(db, story["id"], site.url("/feed.xml"), "feed")
    with fetcher() as f:
        run_pass(db, story["slug"], fetcher=f)
        site.put("/gazette/story.html", "gone", status=404)
        (item,) = coverage.list_items(db, story["id"])
        run_pass(db, story["slug"], fetcher=f, at=item["next_check_at"])
    (item,) = coverage.list_items(db, story["id"])
    assert item["revision_count"] == 1 and item["check_failures"] == 1
    assert item["check_error"] == (
        f"{page} answered HTTP 404 Not Found; the page is gone from the site; its stored revisions are kept."
    )
    assert "remove the source" not in item["check_error"]
    assert sources.get_source(db, source["id"])["state"] == "active"


# -- bad input from the list -------------------------------------------------------------


def test_malformed_truncated_feed_keeps_what_it_can_and_records_why(db, story, site):
    page = site.put("/a.html", article("Acme recalls toasters", RECALL))
    xml = rss("Gazette", [{"link": page, "title": "Acme one"}, {"link": site.url("/b.html"), "title": "Acme two"}])
    truncated = xml[: xml.index("/b.html")]
    source = sources.add_source(db, story["id"], site.put("/feed.xml", truncated), "feed")
    with fetcher() as f:
        result = run_pass(db, story["slug"], fetcher=f)
    assert result["new"] == 1 and result["failed"] == 0
    health = sources.get_source(db, source["id"])
    assert health["last_outcome"] == "ok" and "malformed feed" in health["last_error"]
    assert [i["canonical_url"] for i in coverage.list_items(db, story["id"])] == [page]


def test_a_page_of_garbage_as_a_feed_fails_clearly(db, story, site):
    source = sources.add_source(db, story["id"], site.put("/feed.xml", "<<<< not xml at all"), "feed")
    with fetcher() as f:
        result = run_pass(db, story["slug"], fetcher=f)
    assert result["failed"] == 1
    assert "not an RSS, Atom or JSON feed" in sources.get_source(db, source["id"])["last_error"]
    assert counts(db)["coverage"] == 0


def test_utf16_feed_is_read(db, story, site):
    xml = rss("Gazette é", [{"link": "https://gazette.example/café-acme", "title": "Acme café reopens"}])
    body = xml.replace('encoding="utf-8"', 'encoding="utf-16"').encode("utf-16")
    site.put("/feed.xml", body, content_type="application/rss+xml")
    sources.add_source(db, story["id"], site.url("/feed.xml"), "feed")
    with fetcher() as f:
        result = run_pass(db, story["slug"], fetcher=f)
    assert result["new"] == 1
    (item,) = coverage.list_items(db, story["id"])
    assert item["title"] == "Acme café reopens" and item["outlet"] == "Gazette é"


@pytest.mark.parametrize(
    ("charset", "title"),
    [
        ("windows-1252", "Acme\u2019s caf\u00e9 recall \u2013 \u20ac100 refunds"),
        ("iso-8859-1", "Acme caf\u00e9 recall, se\u00f1ora"),
        ("iso-8859-2", "Acme w \u0141odzi: \u017c\u00f3\u0142te tostery"),
        ("koi8-r", "Acme \u043e\u0442\u0437\u044b\u0432\u0430\u0435\u0442 \u0442\u043e\u0441\u0442\u0435\u0440\u044b"),
    ],
)
def test_a_feed_is_read_in_the_charset_its_content_type_names_when_its_bytes_name_none(db, story, site, charset, title):
    """A feed without an encoding in its XML declaration was read as UTF-8, then windows-1252, whatever the
    HTTP answer said: Polish and Russian titles came out as "\u00a3\u00f3dz" and "\u00e1\u00d4\u00da",
    and a windows-1252 feed's health said its bytes were not the encoding it declared."""
    xml = rss("Gazette", [{"link": site.url("/a.html"), "title": title}]).replace(' encoding="utf-8"', "")
    site.put("/feed.xml", xml.encode(charset), content_type=f"application/rss+xml; charset={charset}")
    source = sources.add_source(db, story["id"], site.url("/feed.xml"), "feed")
    with fetcher() as f:
        run_pass(db, story["slug"], fetcher=f, extract=False)
    (item,) = coverage.list_items(db, story["id"])
    assert item["title"] == title
    assert sources.get_source(db, source["id"])["last_error"] is None


def test_a_utf8_feed_its_server_calls_iso_8859_1_is_read_as_utf8(db, story, site):
    """Servers label every text/xml answer ISO-8859-1 by default: bytes that are valid UTF-8 stay UTF-8."""
    title = "Acme caf\u00e9 recall \u2013 \u0141\u00f3d\u017a"
    xml = rss("Gazette", [{"link": site.url("/a.html"), "title": title}]).replace(' encoding="utf-8"', "")
    site.put("/feed.xml", xml.encode("utf-8"), content_type="text/xml; charset=iso-8859-1")
    sources.add_source(db, story["id"], site.url("/feed.xml"), "feed")
    with fetcher() as f:
        run_pass(db, story["slug"], fetcher=f, extract=False)
    (item,) = coverage.list_items(db, story["id"])
    assert item["title"] == title


def test_duplicate_entries_entries_without_links_or_dates(db, story, site):
    page = site.put("/a.html", article("Acme recalls toasters", RECALL))
    xml = rss(
        "Gazette",
        [
            {"link": page, "title": "Acme recalls"},
            {"link": page + "?utm_source=rss", "title": "Acme recalls (again)"},
            {"title": "Acme entry with no link"},
        ],
    )
    sources.add_source(db, story["id"], site.put("/feed.xml", xml), "feed")
    with fetcher() as f:
        result = run_pass(db, story["slug"], fetcher=f)
    assert result["new"] == 1 and result["skipped"] == 2
    (item,) = coverage.list_items(db, story["id"])
    assert item["published_at"] is not None  # no date in the entry: the page's date fills it
    assert len(site.hits("/a.html")) == 1


def test_a_date_in_the_future_is_stored_and_flagged_not_put_on_top(db, story, site):
    soon = later(now(), 3600)  # within a time zone's slip: stored as when it was first seen, flagged
    xml = rss(
        "Gazette",
        [
            {"link": "https://gazette.example/future", "title": "Acme future", "pubDate": "Fri, 01 Jan 2099 00:00 GMT"},
            {"link": "https://gazette.example/soon", "title": "Acme soon", "pubDate": soon},
        ],
    )
    sources.add_source(db, story["id"], site.put("/feed.xml", xml), "feed")
    with fetcher() as f:
        run_pass(db, story["slug"], fetcher=f)
    items = coverage.list_items(db, story["id"])
    assert [i["title"] for i in items] == ["Acme soon", "Acme future"]
    future = items[1]
    assert future["published_at"] is None and future["claimed_published_at"] == "2099-01-01T00:00:00Z"
    assert "in the future" in future["date_flag"]


def test_a_time_hours_ahead_of_when_the_item_was_seen_is_stored_as_then_and_flagged(db, story, site):
    """A feed that writes its local time as GMT (or a page whose clock is set ahead) dated its items hours into the
    future: an item whose page gives no date of its own was stored as published after we first saw it, and stood
    on top of every timeline until then. Nothing is published after it is listed: it is stored as published when
    we first saw it, and the time the source gave is kept, flagged. A page's own date in the past still wins."""
    ahead = later(now(), 9 * 3600)
    undated = site.put("/undated.html", article("Acme recalls kettles", RECALL, published=None))
    an_hour_ago = parse_time(later(now(), -3600)).strftime("%Y-%m-%dT%H:%M:%SZ")
    dated = site.put("/dated.html", article("Acme recalls toasters", RECALL, published=an_hour_ago))
    entries = [
        {"link": undated, "title": "Acme recalls kettles", "pubDate": ahead},
        {"link": dated, "title": "Acme recalls toasters", "pubDate": ahead},
    ]
    sources.add_source(db, story["id"], site.put("/feed.xml", rss("Gazette", entries)), "feed")
    with fetcher() as f:
        run_pass(db, story["slug"], fetcher=f)
    items = {i["title"]: i for i in coverage.list_items(db, story["id"])}
    kettles, toasters = items["Acme recalls kettles"], items["Acme recalls toasters"]
    assert kettles["published_at"] == kettles["first_seen_at"], kettles
    assert kettles["claimed_published_at"] == parse_time(ahead).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert "after it was first seen" in kettles["date_flag"]
    assert toasters["published_at"] == an_hour_ago  # the page's own date, not when it was seen


def test_the_feed_entrys_date_weighs_in_when_its_page_is_read(db, story, site):
    # The page's only date is six weeks older than its feed entry's: doubted and recorded, the feed's date kept.
    old = site.put("/old.html", article("Acme recalls 10,000 toasters", RECALL, published="2026-01-20T10:00:00Z"))
    # This page's date agrees with its entry: the page's own value, with the sources that agreed.
    fresh = site.put("/fresh.html", article("Acme puts recall cost at $4m", OTHER, published="2026-03-03T10:05:00Z"))
    feed = rss(
        "Example Gazette",
        [
            {"link": old, "title": "Acme recalls toasters", "pubDate": "Mon, 02 Mar 2026 14:30 GMT"},
            {"link": fresh, "title": "Acme puts recall cost at $4m", "pubDate": "Tue, 03 Mar 2026 10:00 GMT"},
        ],
    )
    sources.add_source(db, story["id"], site.put("/feed.xml", feed, content_type="application/rss+xml"), "feed")
    with fetcher() as f:
        run_pass(db, story["slug"], fetcher=f)
    items = {i["canonical_url"]: i for i in coverage.list_items(db, story["id"])}
    doubted, agreed = items[old], items[fresh]
    assert doubted["feed_published_at"] == doubted["published_at"] == "2026-03-02T14:30:00Z"
    assert json.loads(doubted["published_from"]) == ["feed"]
    assert {
        "value": "2026-01-20T10:00:00Z",
        "source": "meta article:published_time",
        "reason": "41 days from the feed entry's date",
    } in json.loads(doubted["date_doubts"])
    assert agreed["feed_published_at"] == "2026-03-03T10:00:00Z"
    assert agreed["published_at"] == "2026-03-03T10:05:00Z"
    assert {"meta article:published_time", "feed"} <= set(json.loads(agreed["published_from"]))
    assert agreed["date_doubts"] is None
    assert json.loads(agreed["authors"]) == [{"name": "Jo Example", "kind": "person"}]


def test_a_publication_time_every_entry_of_a_feed_shares_is_when_the_feed_was_built(db, story, site):
    """A feed writing the time it was built as every entry's pubDate dated every story that second: the pages' own
    dates, weeks older, were doubted against it. Three or more entries sharing one time to the second say nothing
    of any of them; a date without a time (a day's entries at 00:00) is still their day."""
    built = later(now(), -3600)
    pages = [site.put(f"/built-{n}.html", article(f"Acme recall, part {n}", RECALL)) for n in range(3)]
    entries = [{"link": page, "title": f"Acme recall, part {n}", "pubDate": built} for n, page in enumerate(pages)]
    sources.add_source(db, story["id"], site.put("/feed.xml", rss("Example Gazette", entries)), "feed")
    with fetcher() as f:
        run_pass(db, story["slug"], fetcher=f, extract=False)
    items = coverage.list_items(db, story["id"])
    assert [(i["published_at"], i["feed_published_at"], i["date_doubts"]) for i in items] == [
        ("2026-03-02T14:30:00Z", None, None)
    ] * 3


def test_a_feed_entry_giving_only_when_it_was_updated_does_not_redate_its_page(db, story, site):
    """An entry with an update time and no publication (JSON Feed's date_modified alone, Atom's <updated>, a
    sitemap's <lastmod>) says when the story last changed. Weighed as the publication, it had the page's own
    date, weeks older, doubted, and the item dated when it was corrected."""
    page = site.put("/corrected.html", article("Acme recalls 10,000 toasters", RECALL))  # published 2 March
    entry = {"url": "/corrected.html", "title": "Acme recalls toasters", "date_modified": "2026-04-10T08:00:00Z"}
    feed = site.put("/feed.json", json_feed("Example Gazette", [entry]), content_type="application/feed+json")
    sources.add_source(db, story["id"], feed, "feed")
    with fetcher() as f:
        run_pass(db, story["slug"], fetcher=f, extract=False)
    [item] = coverage.list_items(db, story["id"])
    assert item["canonical_url"] == page
    assert item["published_at"] == "2026-03-02T14:30:00Z"
    assert item["modified_at"] == "2026-04-10T08:00:00Z"
    assert item["date_doubts"] is None
    assert "feed" not in json.loads(item["published_from"])


@pytest.mark.parametrize("state", ["paused", "gone"])
def test_a_source_paused_or_retired_while_the_pass_fetches_it_stays_so_when_the_fetch_fails(
    db, db_path, story, site, state
):
    """The failure recorded after the fetch wrote back the state read when the pass began: a source an editor
    paused or retired meanwhile was active again, and polled (and alerted on) from the next pass on."""
    url = site.put("/broken.xml", "no", status=404)
    source = sources.add_source(db, story["id"], url, "feed")

    class ChangedMeanwhile:  # in the page's `hold`: the editor acts while the request is in flight
        def wait(self, timeout: float | None = None) -> bool:
            editor = connect(db_path)
            sources.set_state(editor, source["id"], state)
            editor.close()
            return True

    site.pages["/broken.xml"].hold = ChangedMeanwhile()
    with fetcher() as f:
        result = run_pass(db, story["slug"], fetcher=f, extract=False)
    assert result["failed"] == 1
    kept = sources.get_source(db, source["id"])
    assert (kept["state"], kept["failures"], kept["last_status"]) == (state, 1, 404)


def test_a_database_another_program_keeps_locked_stops_the_pass_rather_than_fetch_what_it_cannot_store(
    db, db_path, story, site
):
    """A sqlite3 shell or a database browser left inside a write transaction: every due page was fetched, waited
    out the busy timeout twice and was counted failed, for a thousand pages hours of fetching stored nowhere."""
    pages = [site.put(f"/a/{n}.html", article(f"Acme recall, part {n}", RECALL)) for n in range(3)]
    entries = [{"link": page, "title": f"Acme recall, part {n}"} for n, page in enumerate(pages)]
    site.put("/feed.xml", rss("Example Gazette", entries), content_type="application/rss+xml")
    sources.add_source(db, story["id"], site.url("/feed.xml"), "feed")
    with fetcher() as f:
        run_pass(db, story["slug"], fetcher=f, extract=False)
    with db.conn:
        db.execute("UPDATE coverage SET next_check_at = NULL")  # every page due again
    db.execute("PRAGMA busy_timeout = 50")  # the test's patience; the tracker's own is seconds
    asked = len(site.log)
    shell = sqlite3.connect(db_path, isolation_level=None)
    shell.execute("BEGIN IMMEDIATE")
    try:
        with fetcher() as f:
            result = run_pass(db, story["slug"], fetcher=f, extract=False)
    finally:
        shell.execute("ROLLBACK")
        shell.close()
    assert result["stopped"] and result["failed"] == 0
    assert "locked" in str(result["error"]) and str(db_path) in str(result["error"])
    assert len(site.log) - asked <= 2  # the feed, and at most the page in hand: not every page of the pass
    due = db.execute("SELECT count(*) FROM coverage WHERE next_check_at IS NULL").fetchone()[0]
    assert due == 3  # nothing recorded against them: all still due


def test_watch_goes_on_after_a_pass_a_locked_database_stopped(db_path, story, site):
    db = connect(db_path)
    site.put("/feed.xml", rss("Example Gazette", []), content_type="application/rss+xml")
    sources.add_source(db, story["id"], site.url("/feed.xml"), "feed")
    watched = connect(db_path)
    watched.execute("PRAGMA busy_timeout = 50")
    shell = sqlite3.connect(db_path, isolation_level=None)
    shell.execute("BEGIN IMMEDIATE")
    stop, said, passes = threading.Event(), [], []

    def on_pass(result: dict) -> None:
        passes.append(result)
        stop.set()

    try:
        with fetcher() as f:
            ran = watch(watched, story["slug"], every=3600, fetcher=f, stop=stop, echo=said.append, on_pass=on_pass)
    finally:
        shell.execute("ROLLBACK")
        shell.close()
    assert ran == 1 and passes[0]["stopped"]
    assert any("locked" in line for line in said), said


# -- stopping and killing ------------------------------------------------------------------------


def test_watch_runs_a_pass_and_stops_on_the_event_leaving_a_consistent_database(db_path, site):
    db = connect(db_path)
    from tracker import stories

    story = stories.create_story(db, "watched", "Watched", keywords_include="Acme")
    urls = two_feeds(site)
    sources.add_source(db, story["id"], urls["feed_a"], "feed")
    stop = threading.Event()
    passes: list[dict] = []

    def on_pass(result: dict) -> None:
        passes.append(result)
        stop.set()

    with fetcher() as f:
        worker = threading.Thread(
            target=watch,
            args=(connect(db_path), "watched"),
            kwargs={"every": 3600, "fetcher": f, "stop": stop, "on_pass": on_pass},
        )
        worker.start()
        worker.join(timeout=60)
    assert not worker.is_alive()
    assert len(passes) == 1 and passes[0]["new"] == 1
    assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    (item,) = coverage.list_items(db, story["id"])
    assert item["revision_count"] == 1


def _cli_env(db_path: Path) -> dict[str, str]:
    return {**os.environ, "TRACKER_DB": str(db_path), "TRACKER_ALLOW_PRIVATE": "1", "TRACKER_MIN_INTERVAL": "0"}


def _tracker(db_path: Path, *args: str) -> subprocess.Popen:
    """`python -m tracker ARGS` in its own process on db_path, its output read as text."""
    return subprocess.Popen(
        [sys.executable, "-m", "tracker", *args],
        cwd=ROOT,
        env=_cli_env(db_path),
        stderr=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )


def test_watch_process_stops_cleanly_on_sigterm_and_the_next_pass_resumes(db_path, story, site):
    urls = two_feeds(site)
    db = connect(db_path)
    sources.add_source(db, story["id"], urls["feed_a"], "feed")
    proc = _tracker(db_path, "watch", story["slug"], "--every", "1h")
    try:
        for line in proc.stderr:
            if "pass done" in line:
                break
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, err
    assert "Stopped after 1 pass" in err and "Traceback" not in err
    assert "new: 1" in out
    assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    (item,) = coverage.list_items(db, story["id"])
    assert item["revision_count"] == 1


def test_scrape_stopped_by_sigterm_says_what_it_stored_and_the_next_pass_resumes(db_path, story, site):
    """`scrape` used to end on "Aborted!" with no word of what it had already stored."""
    urls = two_feeds(site)
    held = threading.Event()
    for path in ("/gazette/recall.html", "/herald/cost.html"):
        site.pages[path].hold = held  # the pass is in its pages when the signal comes
    db = connect(db_path)
    sources.add_source(db, story["id"], urls["feed_a"], "feed")
    sources.add_source(db, story["id"], urls["feed_b"], "feed")
    proc = _tracker(db_path, "scrape", story["slug"])
    try:
        waited = threading.Event()
        for _ in range(600):  # both feeds read: the pass has moved on to their pages, which wait
            if site.hits("/gazette/feed.xml") and site.hits("/herald/feed.xml"):
                break
            waited.wait(0.05)
        proc.send_signal(signal.SIGTERM)
        held.set()
        out, err = proc.communicate(timeout=60)
    finally:
        held.set()
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, err
    assert "Stopped before the pass was done" in err and "Traceback" not in err and "Aborted" not in err
    stored = len(coverage.list_items(db, story["id"]))
    assert f"new: {stored}," in out  # the counts are what the database holds
    assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    # What the signal left unfetched is still due: the next pass fetches it (it was put off for hours).
    again = subprocess.run(
        [sys.executable, "-m", "tracker", "scrape", story["slug"]],
        cwd=ROOT,
        env=_cli_env(db_path),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert again.returncode == 0, again.stderr
    assert [item["revision_count"] for item in coverage.list_items(db, story["id"])] == [1, 1]


PROGRESS_LINE = re.compile(
    r"^(sources|items|claims): \d+/\d+ (fetched|read for claims)(, \d+ deferred to the next pass)?$"
)


def test_scrape_s_progress_and_listing_share_one_pipe_line_by_line(db_path, story, site):
    """Standard output and standard error written to one pipe (`scrape 2>&1 | tee`, cron mailing both):
    every line is one progress line, one line of the listing, or one problem, never two run together."""
    urls = two_feeds(site)
    site.put("/broken.xml", "no", status=404)
    db = connect(db_path)
    for feed in (urls["feed_a"], urls["feed_b"], site.url("/broken.xml")):
        sources.add_source(db, story["id"], feed, "feed")
    proc = subprocess.run(
        [sys.executable, "-m", "tracker", "scrape", story["slug"]],
        cwd=ROOT,
        env=_cli_env(db_path),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 3, proc.stdout
    lines = proc.stdout.splitlines()
    progress = [line for line in lines if PROGRESS_LINE.match(line)]
    assert [line.split(":")[0] for line in progress] == ["sources", "items", "claims"], lines
    listing = [line for line in lines if line not in progress]
    assert [line.split(":")[0] for line in listing] == ["problem", "new", "partly failed"], lines


def _in_a_terminal(db_path, *args: str) -> tuple[subprocess.Popen, int, list[bytes]]:
    """`python -m tracker ARGS` with a terminal for standard output and error, as typed at a prompt; what it
    writes is read into the list as it comes."""
    import pty

    main, terminal = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "tracker", *args], cwd=ROOT, env=_cli_env(db_path), stdout=terminal, stderr=terminal
    )
    os.close(terminal)
    written: list[bytes] = []

    def read() -> None:
        while True:
            try:
                chunk = os.read(main, 65536)
            except OSError:  # the process ended and closed the terminal
                return
            if not chunk:
                return
            written.append(chunk)

    threading.Thread(target=read, daemon=True).start()
    return proc, main, written


def test_a_message_while_scrape_s_progress_bar_is_drawn_takes_a_line_of_its_own(db_path, story, site):
    """Ctrl-C during a pass wrote "Stopping after the item in hand..." after the bar, on its line, in a terminal;
    so would any warning logged meanwhile."""
    urls = two_feeds(site)
    held = threading.Event()
    for path in ("/gazette/recall.html", "/herald/cost.html"):
        site.pages[path].hold = held  # the pass is in its pages, its bar drawn, when the signal comes
    db = connect(db_path)
    sources.add_source(db, story["id"], urls["feed_a"], "feed")
    sources.add_source(db, story["id"], urls["feed_b"], "feed")
    proc, terminal, written = _in_a_terminal(db_path, "scrape", story["slug"])
    try:
        waited = threading.Event()
        for _ in range(600):  # the sources' bar is drawn, both read; the pass waits on their pages
            if b"2/2" in b"".join(written):
                break
            waited.wait(0.05)
        proc.send_signal(signal.SIGTERM)
        held.set()
        proc.wait(timeout=60)
    finally:
        held.set()
        if proc.poll() is None:
            proc.kill()
        os.close(terminal)
    shown = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", b"".join(written).decode())
    # What the terminal shows of each line: a carriage return draws again from the line's start.
    visible = [line.split("\r")[-1] if line.split("\r")[-1].strip() else line for line in shown.split("\r\n")]
    (stopping,) = [line for line in visible if "Stopping after the item in hand" in line]
    assert stopping.startswith("Stopping after the item in hand"), visible


KILLER = textwrap.dedent(
    """
    import os, signal, sys
    from tests.sites import fetcher
    from tracker.db import connect
    from tracker.scrape import run_pass

    db = connect(sys.argv[1])
    def die():
        os.kill(os.getpid(), signal.SIGKILL)
    db.conn.create_function("die", 0, die)
    # The revision insert after sys.argv[3] stored ones kills the process mid-transaction, like a power cut.
    db.execute(
        "CREATE TEMP TRIGGER kill_next BEFORE INSERT ON revisions "
        f"WHEN (SELECT count(*) FROM revisions) >= {int(sys.argv[3])} BEGIN SELECT die(); END"
    )
    with fetcher() as f:
        run_pass(db, sys.argv[2], fetcher=f)
    """
)


def kill_after(db_path, story, revisions: int) -> None:
    """A scrape pass in its own process, killed when it stores the revision after `revisions`."""
    proc = subprocess.run(
        [sys.executable, "-c", KILLER, str(db_path), story["slug"], str(revisions)],
        cwd=ROOT,
        env=_cli_env(db_path),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == -signal.SIGKILL, proc.stderr


def test_a_pass_killed_inside_the_second_item_leaves_the_first_whole_and_no_half_item(db_path, story, site):
    db = connect(db_path)
    first = site.put("/a.html", article("Acme recalls toasters", RECALL))
    second = site.put("/b.html", article("Acme puts recall cost at $4m", OTHER))
    sources.add_source(db, story["id"], first, "page")
    sources.add_source(db, story["id"], second, "page")
    kill_after(db_path, story, 1)
    assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    items = coverage.list_items(db, story["id"])
    assert [(i["canonical_url"], i["revision_count"]) for i in items] == [(first, 1)]
    polled = {s["url"]: s for s in sources.list_sources(db, story["id"])}
    assert polled[first]["last_status"] == 200 and polled[second]["last_fetched_at"] is None
    assert db.execute("SELECT url FROM fetches").fetchall() == [(first,)]
    # The next pass resumes: the second page is still due and is stored whole.
    with fetcher() as f:
        run_pass(db, story["slug"], fetcher=f, force=False)
    assert sorted((i["canonical_url"], i["revision_count"]) for i in coverage.list_items(db, story["id"])) == [
        (first, 1),
        (second, 1),
    ]


def test_a_stored_item_is_committed_while_the_pass_waits_for_the_next_page(db_path, story, site):
    db = connect(db_path)
    first = site.put("/a.html", article("Acme recalls toasters", RECALL))
    held = threading.Event()
    second = site.put("/b.html", article("Acme puts recall cost at $4m", OTHER), hold=held)
    feed = site.put(
        "/feed.xml",
        rss("Gazette", [{"link": first, "title": "Acme recalls toasters"}, {"link": second, "title": "Acme cost"}]),
        content_type="application/rss+xml",
    )
    sources.add_source(db, story["id"], feed, "feed")
    results: list[dict] = []
    with fetcher() as f:
        worker = threading.Thread(target=lambda: results.append(run_pass(connect(db_path), story["slug"], fetcher=f)))
        worker.start()
        try:
            # Another connection (the editor's) sees the first page while the second is still on its way.
            reader = connect(db_path)
            deadline = time.monotonic() + 30
            seen = []
            while not seen and time.monotonic() < deadline and worker.is_alive():
                seen = reader.execute(
                    "SELECT c.canonical_url FROM revisions r JOIN coverage c ON c.id = r.coverage_id"
                ).fetchall()
                held.wait(0.05)  # a short pause between looks, not a condition of the test
            assert seen == [(first,)]
        finally:
            held.set()
            worker.join(timeout=60)
    assert results and results[0]["new"] == 2 and results[0]["texts"] == 2
    assert sorted(i["canonical_url"] for i in coverage.list_items(db, story["id"]) if i["revision_count"]) == [
        first,
        second,
    ]


def test_a_pass_killed_among_items_stored_together_leaves_no_half_item_and_the_next_pass_resumes(db_path, story, site):
    db = connect(db_path)
    pages = [site.put(f"/{n}.html", article(f"Acme report {n}", [RECALL[n], OTHER[n]])) for n in range(3)]
    feed = site.put(
        "/feed.xml",
        rss("Gazette", [{"link": u, "title": f"Acme {n}"} for n, u in enumerate(pages)]),
        content_type="application/rss+xml",
    )
    sources.add_source(db, story["id"], feed, "feed")
    kill_after(db_path, story, 2)
    assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    # Whatever the kill cut short left nothing behind: a checked item has its text and its fetch logged.
    checked = db.execute("SELECT canonical_url FROM coverage WHERE last_checked_at IS NOT NULL ORDER BY id").fetchall()
    with_text = db.execute(
        "SELECT DISTINCT c.canonical_url FROM coverage c JOIN revisions r ON r.coverage_id = c.id ORDER BY c.id"
    ).fetchall()
    logged = db.execute("SELECT url FROM fetches WHERE url != ? ORDER BY id", [feed]).fetchall()
    assert checked == with_text == logged and len(with_text) < 3
    with fetcher() as f:
        run_pass(db, story["slug"], fetcher=f, force=False)
    assert sorted((i["canonical_url"], i["revision_count"]) for i in coverage.list_items(db, story["id"])) == sorted(
        (u, 1) for u in pages
    )


def test_an_error_inside_the_second_item_rolls_it_back_and_the_pass_goes_on(db, story, site):
    first = site.put("/a.html", article("Acme recalls toasters", RECALL))
    second = site.put("/b.html", article("Acme puts recall cost at $4m", OTHER))
    third = site.put("/c.html", article("Acme statement", [*RECALL[2:], *OTHER[1:]]))
    for url in (first, second, third):
        sources.add_source(db, story["id"], url, "page")
    db.execute(
        "CREATE TEMP TRIGGER refuse_second BEFORE INSERT ON revisions "
        "WHEN NEW.coverage_id IN (SELECT id FROM coverage WHERE canonical_url LIKE '%/b.html') "
        "BEGIN SELECT RAISE(ABORT, 'disk full'); END"
    )
    with fetcher() as f:
        result = run_pass(db, story["slug"], fetcher=f)
    assert result["failed"] == 1 and result["new"] == 2, result["problems"]
    assert any("disk full" in reason for _, reason in result["problems"])
    stored = {i["canonical_url"]: i["revision_count"] for i in coverage.list_items(db, story["id"])}
    assert stored == {first: 1, third: 1}  # nothing of the second: no item without its text
    db.execute("DROP TRIGGER refuse_second")
    with fetcher() as f:
        run_pass(db, story["slug"], fetcher=f)
    assert {i["canonical_url"] for i in coverage.list_items(db, story["id"])} == {first, second, third}


# -- the command line ----------------------------------------------------------------------------


@pytest.fixture
def run(db_path, monkeypatch):
    monkeypatch.setenv("TRACKER_ALLOW_PRIVATE", "1")
    monkeypatch.setenv("TRACKER_MIN_INTERVAL", "0")

    def run(*args):
        return CliRunner().invoke(cli, ["--db", str(db_path), *args])

    return run


def test_cli_scrape_prints_changes_problems_and_the_summary_last(run, story, site):
    urls = two_feeds(site)
    site.put("/broken.xml", "no", status=404)  # not retried: no backoff waits in the test
    assert run("sources", "add", story["slug"], urls["feed_a"], "--kind", "feed").exit_code == 0
    assert run("sources", "add", story["slug"], site.url("/broken.xml"), "--kind", "feed").exit_code == 0
    result = run("scrape", story["slug"])
    lines = result.output.strip().splitlines()
    assert result.stdout.strip().splitlines()[-1] == (
        "new: 1, updated: 0, unchanged: 0, skipped: 0, failed: 1, candidates: 5"
    )
    assert any(line.startswith(f"problem: {site.url('/broken.xml')} answered HTTP 404") for line in lines)
    assert "Traceback" not in result.output


def test_cli_scrape_stopped_by_a_database_error_prints_what_it_stored_first(run, db, db_path, story, site):
    """An error SQLite gives for no full disk and no lock (a damaged page met half-way, the disk's own I/O error)
    ended the command with its one line alone: the pages the pass had stored and committed went uncounted."""
    urls = two_feeds(site)
    assert run("sources", "add", story["slug"], urls["feed_a"], "--kind", "feed").exit_code == 0
    # Claim extraction, after the pages are stored, meets the error (a trigger of the file: the command's own
    # connection sees it, as it would see a damaged page).
    db.execute("CREATE TRIGGER refuse BEFORE INSERT ON candidates BEGIN SELECT RAISE(ABORT, 'damaged page'); END")
    result = run("scrape", story["slug"])
    assert result.exit_code == 1, result.output
    stored = db.execute("SELECT count(*) FROM coverage").fetchone()[0]
    assert stored > 0 and db.execute("SELECT count(*) FROM revisions").fetchone()[0] > 0
    assert result.stdout.strip().splitlines()[-1] == (
        f"new: {stored}, updated: 0, unchanged: 0, skipped: 0, failed: 0, candidates: 0"
    )
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith(f"Error: Database error in {db_path}: damaged page.") and "integrity_check" in last, last
    db.execute("DROP TRIGGER refuse")
    again = run("scrape", story["slug"])
    assert again.exit_code == 0, again.output
    assert db.execute("SELECT count(*) FROM revisions WHERE extracted_at IS NULL").fetchone() == (0,)


def test_cli_scrape_that_partly_failed_exits_3_with_a_line_saying_so(run, story, site):
    """A pass with a failed source exited 0, as a clean one did: a cron job could not tell them apart."""
    urls = two_feeds(site)
    site.put("/broken.xml", "no", status=404)
    assert run("sources", "add", story["slug"], urls["feed_a"], "--kind", "feed").exit_code == 0
    clean = run("scrape", story["slug"])
    assert clean.exit_code == 0, clean.output
    assert run("sources", "add", story["slug"], site.url("/broken.xml"), "--kind", "feed").exit_code == 0
    result = run("scrape", story["slug"])
    assert result.exit_code == 3, result.output
    assert result.stderr.strip().splitlines()[-1] == (
        "partly failed: 1 of 2 fetch(es) failed (the problem: lines say why); exit status 3."
    )
    assert run("scrape", "no-such-story").exit_code == 1


def test_cli_scrape_says_when_it_stores_pages_an_earlier_pass_listed_but_could_not_fetch(run, db, story, site):
    """The pass that found the feed entry counted it new; the page stored on a later pass was counted nowhere,
    so the summary said nothing was stored while its candidates arrived."""
    page = site.put("/late.html", "not yet", status=404)  # not retried: no backoff waits in the test
    feed = site.put("/feed.xml", rss("Example Gazette", [{"link": page, "title": "Acme recalls toasters"}]))
    assert run("sources", "add", story["slug"], feed, "--kind", "feed").exit_code == 0
    first = run("scrape", story["slug"])
    assert first.stdout.strip().splitlines()[-1].startswith("new: 1, updated: 0, unchanged: 0, skipped: 0, failed: 1")
    assert "earlier pass" not in first.output
    site.put("/late.html", article("Acme recalls 10,000 toasters", RECALL))
    with db.conn:
        db.execute("UPDATE coverage SET next_check_at = NULL")  # its re-check has come
    second = run("scrape", story["slug"])
    assert second.exit_code == 0, second.output
    lines = second.output.strip().splitlines()
    assert "1 page(s) listed on an earlier pass but not fetched then were stored now." in lines
    assert lines[-1].startswith("new: 0, updated: 0, unchanged: 1, skipped: 0, failed: 0")


def test_cli_scrape_counts_pages_robots_txt_keeps_it_from_apart_and_says_why_without_calling_them_errors(
    run, db, story, site
):
    """Pages a feed linked that robots.txt disallows were each a "problem:" line, and the progress said
    "items: 3/3 fetched" of pages never asked for; pages whose robots.txt answered 503 read the same."""
    pages = [site.put(f"/private/{n}.html", article("Acme recalls toasters", RECALL)) for n in range(3)]
    site.put("/robots.txt", "User-agent: *\nDisallow: /private/\n", content_type="text/plain")
    from tests.sites import Site

    down = Site()
    try:
        elsewhere = [down.put(f"/{n}.html", article("Acme recalls toasters", RECALL)) for n in range(2)]
        down.put("/robots.txt", "busy", status=503, content_type="text/plain")
        entries = [{"link": link, "title": f"Acme recalls toasters {n}"} for n, link in enumerate(pages + elsewhere)]
        feed = site.put("/feed.xml", rss("Example Gazette", entries))
        assert run("sources", "add", story["slug"], feed, "--kind", "feed").exit_code == 0
        result = run("scrape", story["slug"])
    finally:
        down.close()
    assert result.exit_code == 0, result.output  # nothing failed: the sites were not asked
    host = "127.0.0.1"
    assert "items: 0/5 fetched, 5 skipped for robots.txt" in result.stderr
    assert "problem:" not in result.output
    lines = result.stdout.strip().splitlines()
    assert (
        f"skipped: 3 page(s) on {host} that its robots.txt disallows; the site asks crawlers not to fetch "
        "them (not an error: their feed entries are kept)." in lines
    )
    origin = down.base
    assert any(
        line.startswith(
            f"skipped: 2 page(s) on {host}: robots.txt of {origin} could not be read (it answered HTTP 503)"
        )
        for line in lines
    ), lines
    assert lines[-1] == "new: 5, updated: 0, unchanged: 0, skipped: 5, failed: 0, candidates: 0"


def test_a_linked_page_whose_robots_txt_still_cannot_be_read_at_its_next_check_fails(db, story, site):
    """Once, an unreadable robots.txt is "not now" (RFC 9309): a skip. Still so at the page's next check, the
    site is failing, as a source's is: the page was skipped pass after pass, never counted as failed."""
    from tests.sites import Site

    down = Site()
    try:
        page = down.put("/a.html", article("Acme recalls toasters", RECALL))
        down.put("/robots.txt", "busy", status=503, content_type="text/plain")
        sources.add_source(
            db, story["id"], site.put("/feed.xml", rss("Gazette", [{"link": page, "title": "Acme"}])), "feed"
        )
        with fetcher() as f:
            first = run_pass(db, story["slug"], fetcher=f, extract=False)
        assert (first["skipped"], first["failed"], first["problems"]) == (1, 0, [])
        with fetcher() as f:  # a later pass: robots.txt is asked again
            second = run_pass(db, story["slug"], fetcher=f, extract=False)
    finally:
        down.close()
    assert (second["skipped"], second["failed"]) == (0, 1)
    ((url, reason),) = second["problems"]
    assert url == page and reason.startswith(f"robots.txt of {down.base} still cannot be read (it answered HTTP 503)")


def test_cli_scrape_says_how_to_retry_a_source_backing_off_once_its_cause_is_fixed(run, story, site):
    """A feed that failed, then fixed, was skipped by `scrape` for twenty minutes with only a word that
    `sources` shows when; it says how to poll it now."""
    urls = two_feeds(site)
    body = site.pages["/gazette/feed.xml"].body
    site.put("/gazette/feed.xml", "broken", status=404)  # not retried: no backoff waits in the test
    assert run("sources", "add", story["slug"], urls["feed_a"], "--kind", "feed").exit_code == 0
    assert run("scrape", story["slug"]).exit_code == 3
    site.put("/gazette/feed.xml", body, content_type="application/rss+xml")
    waiting = run("scrape", story["slug"])
    assert "1 failing source(s) backing off" in waiting.output
    assert "`python -m tracker sources resume ID`" in waiting.output
    assert run("sources", "resume", "1").exit_code == 0
    retried = run("scrape", story["slug"])
    assert retried.exit_code == 0, retried.output
    assert retried.stdout.strip().splitlines()[-1].startswith("new: 1,")


def test_cli_scrape_fetches_a_source_our_settings_refused_as_soon_as_they_allow_it(run, story, site, monkeypatch):
    """A newsroom's first source on its own network was refused until TRACKER_ALLOWED_HOSTS named it; with the
    setting fixed, `scrape` still skipped it for twenty minutes: nothing had been asked of the site."""
    from tracker import config

    urls = two_feeds(site)
    monkeypatch.delenv("TRACKER_ALLOW_PRIVATE")
    assert run("sources", "add", story["slug"], urls["feed_a"], "--kind", "feed").exit_code == 0
    refused = run("scrape", story["slug"])
    assert refused.exit_code == 3 and "TRACKER_ALLOWED_HOSTS" in refused.output
    monkeypatch.setenv("TRACKER_ALLOWED_HOSTS", "127.0.0.1")
    config.settings.cache_clear()
    fetched = run("scrape", story["slug"])
    assert fetched.exit_code == 0, fetched.output
    assert "backing off" not in fetched.output
    assert fetched.stdout.strip().splitlines()[-1].startswith("new: 1,")


def test_cli_scrape_without_sources_says_what_to_do(run, story):
    result = run("scrape", story["slug"])
    assert result.exit_code == 0
    assert "sources add" in result.output


def test_cli_scrape_unknown_story_is_one_line(run, story):
    result = run("scrape", "no-such-story")
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [
        "Error: No story with slug 'no-such-story'. `python -m tracker stories` lists them."
    ]


def test_cli_watch_rejects_a_bad_interval(run, story):
    result = run("watch", story["slug"], "--every", "soon")
    assert result.exit_code == 2 and "not a duration" in result.output


def test_fetch_log_of_items_belongs_to_their_source(db, story, site):
    urls = two_feeds(site)
    source = sources.add_source(db, story["id"], urls["feed_a"], "feed")
    with fetcher() as f:
        run_pass(db, story["slug"], fetcher=f)
    assert {r[0] for r in db.execute("SELECT source_id FROM fetches").fetchall()} == {source["id"]}
    assert sources.get_source(db, source["id"])["fetch_count"] == 2


def test_demo_items_without_a_source_are_never_fetched(db, story, site):
    from tracker.coverage import upsert_item

    upsert_item(db, story["id"], site.url("/demo.html"), title="Acme demo")
    with fetcher() as f:
        result = run_pass(db, story["slug"], fetcher=f)
    assert result["items"] == 0 and site.log == []


def test_statement_links_without_a_pattern_keep_same_site_links_under_the_listing():
    from scrapers.statements import statement_links

    listing = b"""<html><head><base href="https://acme.example/newsroom/"></head><body>
    <a href="2026/recall.html">Recall</a> <a href="/newsroom/2026/recall.html?utm_medium=x">dup</a>
    <a href="/newsroom/">Newsroom home</a> <a href="/careers/">Careers</a>
    <a href="https://elsewhere.example/newsroom/2026/x.html">Elsewhere</a> <a href="javascript:void(0)">js</a>
    </body></html>"""
    assert statement_links(listing, "https://acme.example/newsroom/") == [
        "https://acme.example/newsroom/2026/recall.html"
    ]
    assert statement_links(listing, "https://acme.example/newsroom/", r"elsewhere\.example") == [
        "https://elsewhere.example/newsroom/2026/x.html"
    ]


def test_an_xhtml_statement_listing_with_an_xml_declaration_is_read():
    # Older government and company sites serve XHTML; lxml refuses a declaration in decoded text.
    from scrapers.statements import statement_links

    listing = (
        b'<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" '
        b'"http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd">\n<html xmlns="http://www.w3.org/1999/xhtml"><body>'
        b'<ul><li><a href="/press/2026/recall.html">Recall</a></li></ul></body></html>'
    )
    assert statement_links(listing, "https://ministry.example/press/") == [
        "https://ministry.example/press/2026/recall.html"
    ]


def test_a_broken_link_on_a_statement_listing_is_passed_over_not_fatal_to_the_listing():
    from scrapers.statements import statement_links

    listing = b"""<html><body><a href="/newsroom/a.html">A</a> <a href="http://[oops/newsroom/b.html">B</a>
    <a href="/newsroom/c.html">C</a></body></html>"""
    assert statement_links(listing, "https://acme.example/newsroom/") == [
        "https://acme.example/newsroom/a.html",
        "https://acme.example/newsroom/c.html",
    ]
    broken_base = b'<html><head><base href="http://[oops/"></head><body><a href="/newsroom/a.html">A</a></body></html>'
    assert statement_links(broken_base, "https://acme.example/newsroom/") == ["https://acme.example/newsroom/a.html"]


def test_a_clock_set_back_a_day_neither_skips_sources_and_pages_for_that_day_nor_polls_them_at_every_pass(
    db, story, site, monkeypatch
):
    """A clock that ran a day fast (a VM restored, a bad RTC) is corrected by NTP: every source and page had been
    scheduled on the fast clock, and a watch left them all unfetched for a day."""
    urls = two_feeds(site)
    source = sources.add_source(db, story["id"], urls["feed_a"], "feed")
    fast = later(now(), 24 * 3600)
    with monkeypatch.context() as m:
        m.setattr("tracker.db.utc_now", lambda: fast)
        with fetcher() as f:
            run_pass(db, story["slug"], fetcher=f, at=fast, force=False, extract=False)
    feed, page = "/gazette/feed.xml", "/gazette/recall.html"
    assert (len(site.hits(feed)), len(site.hits(page))) == (1, 1)
    with fetcher() as f:  # the clock is right again
        run_pass(db, story["slug"], fetcher=f, at=now(), force=False, extract=False)
        assert (len(site.hits(feed)), len(site.hits(page))) == (2, 2)
        run_pass(db, story["slug"], fetcher=f, at=now(), force=False, extract=False)
    assert (len(site.hits(feed)), len(site.hits(page))) == (2, 2)  # rescheduled on the right clock: not due again
    assert sources.get_source(db, source["id"])["next_poll_at"] < later(now(), 3600)


def test_cli_scrape_exits_3_when_a_source_s_robots_txt_still_answers_503(run, story, site):
    """The second pass meeting the same unreadable robots.txt failed nothing: cron saw exit 0 for a silent source."""
    site.put("/robots.txt", "down for maintenance", status=503)
    feed = site.put("/feed.xml", rss("Example Gazette", []))
    assert run("sources", "add", story["slug"], feed, "--kind", "feed").exit_code == 0
    first = run("scrape", story["slug"])
    assert first.exit_code == 0, first.output  # once: "not now", as RFC 9309 asks
    second = run("scrape", story["slug"])
    assert second.exit_code == 3, second.output
    problems = [line for line in second.stderr.splitlines() if line.startswith("problem:")]
    assert problems == [
        f"problem: {feed}: robots.txt of {site.url('')} still cannot be read (it answered HTTP 503); until it "
        "can be, the robots.txt standard asks us to fetch nothing from 127.0.0.1: it will be tried again on a "
        "later pass; if it lasts, tell the site, or remove the source."
    ]


def test_a_page_that_says_only_how_long_ago_it_was_published_is_dated_from_its_fetch(db, story, site):
    # No date the page writes, only a label its script keeps current: counted back from when we fetched it.
    url = site.put(
        "/acme/latest.html",
        article("Acme recalls kettles", RECALL, published=None, extra='<p class="meta"><time>2 hours ago</time></p>'),
    )
    sources.add_source(db, story["id"], url, "page")
    before = parse_time(now())
    with fetcher() as f:
        run_pass(db, story["slug"], fetcher=f)
    after = parse_time(now())
    (item,) = coverage.list_items(db, story["id"])
    published = parse_time(item["published_at"])
    assert before.replace(second=0) - timedelta(hours=2) <= published <= after - timedelta(hours=2)
    assert json.loads(item["published_from"]) == ["relative time"]
    (doubt,) = json.loads(item["date_doubts"])
    assert doubt["source"] == "relative time"
    assert doubt["reason"] == 'approximate: "2 hours ago" counted back from when the page was fetched'


def test_a_pass_over_a_damaged_sources_table_says_so_in_one_line(db_path, story):
    """A damaged page in the sources table, met while finding what is due: the pass ended in an UnboundLocalError
    (its summary read the due sources it never had), a traceback in place of the advice to restore a backup."""
    db = connect(db_path)
    for n in range(50):  # enough rows that the table's root page is a page of its own
        sources.add_source(db, story["id"], f"https://gazette{n}.example/feed.xml", "feed")
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    root = db.execute("SELECT rootpage FROM sqlite_master WHERE name = 'sources'").fetchone()[0]
    size = db.execute("PRAGMA page_size").fetchone()[0]
    db.close()
    with open(db_path, "r+b") as f:
        f.seek((root - 1) * size)
        f.write(b"\xff" * size)
    result = CliRunner().invoke(cli, ["--db", str(db_path), "scrape", story["slug"]])
    assert result.exit_code == 1, result.output
    said = result.output.strip().splitlines()
    assert "Traceback" not in result.output and said[-1].startswith("Error: "), result.output
    assert "is damaged" in said[-1] and ".recover" in said[-1], said


def test_a_feed_behind_a_temporary_redirect_is_asked_with_its_validators_at_the_feed(db, story, site):
    """A feed added by an address that answers 302 to the feed (a "latest" address, a feed service's): its ETag
    was the feed's, never sent across the redirect, so the feed was fetched whole at every poll its bytes were not
    probed. The validators go to the feed they were answered from, and not to the address asked."""
    urls = two_feeds(site)
    site.put("/gazette/latest.xml", b"", status=302, headers={"Location": urls["feed_a"]})
    sources.add_source(db, story["id"], site.url("/gazette/latest.xml"), "feed")
    with fetcher() as f:
        for _ in range(3):
            run_pass(db, story["slug"], fetcher=f)
    assert all("If-None-Match" not in hit.headers for hit in site.hits("/gazette/latest.xml"))
    assert site.statuses("/gazette/feed.xml").count(200) == 1, site.statuses("/gazette/feed.xml")
    assert 304 in site.statuses("/gazette/feed.xml")


def test_a_host_whose_page_answered_but_too_slowly_is_not_said_to_have_given_no_answer(db, story, site):
    """A page whose status and first bytes came, then the rest past the deadline, is a slow site, not a silent one:
    the pages of its host left for a later pass say it answered too slowly."""
    release = threading.Event()
    pages = [site.put(f"/slow/{n}.html", article(f"Acme recall, part {n}", RECALL), drip=release) for n in range(3)]
    entries = [{"link": page, "title": f"Acme recall, part {n}"} for n, page in enumerate(pages)]
    feed = site.put("/feed.xml", rss("Example Gazette", entries), content_type="application/rss+xml")
    sources.add_source(db, story["id"], feed, "feed")
    try:
        with fetcher(total_timeout=0.5) as f:
            result = run_pass(db, story["slug"], fetcher=f, extract=False)
    finally:
        release.set()
    reasons = [reason for _, reason in result["problems"]]
    assert (result["failed"], result["skipped"]) == (1, 2), reasons
    assert sum("answered too slowly; not requested now" in r for r in reasons) == 2, reasons
    assert not any("gave no answer" in r for r in reasons), reasons


CONTACT_NOTE = "note: sites are told to reach you at the placeholder https://newsroom-tracker.example/contact"


def public_and_own_feeds(run, story, site) -> None:
    """Two feeds on 127.0.0.1 and one on a public name (under .test: it answers nothing here, and is asked)."""
    urls = two_feeds(site)
    for url in (urls["feed_a"], urls["feed_b"], "http://news.tracker-note.test/feed.xml"):
        assert run("sources", "add", story["slug"], url, "--kind", "feed").exit_code == 0


def test_cli_scrape_says_once_when_a_public_host_is_asked_with_the_placeholder_contact(run, story, site):
    """Every request names a contact in its User-Agent; the default's is a placeholder nobody reads, so the sites
    asked could not reach the newsroom. A name not on our own network nor the demo's is a public host."""
    public_and_own_feeds(run, story, site)
    result = run("scrape", story["slug"])
    assert result.output.count(CONTACT_NOTE) == 1, result.output
    assert "TRACKER_CONTACT_URL" in next(line for line in result.output.splitlines() if CONTACT_NOTE in line)


def test_watch_says_the_placeholder_contact_once_a_pass_asked_a_public_host(run, db_path, story, site):
    public_and_own_feeds(run, story, site)
    proc = _tracker(db_path, "watch", story["slug"], "--every", "1h", "--no-alerts")
    told = []
    try:
        for line in proc.stderr:
            told.append(line)
            if "pass done" in line:
                break
        proc.send_signal(signal.SIGTERM)
        told += proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert "".join(told).count(CONTACT_NOTE) == 1, told


def test_cli_says_nothing_of_the_contact_when_only_our_own_network_is_asked_or_one_is_set(
    run, story, site, monkeypatch
):
    urls = two_feeds(site)
    assert run("sources", "add", story["slug"], urls["feed_a"], "--kind", "feed").exit_code == 0
    assert CONTACT_NOTE not in run("scrape", story["slug"]).output  # 127.0.0.1 only
    monkeypatch.setenv("TRACKER_CONTACT_URL", "https://paper.example/desk")
    assert (
        run("sources", "add", story["slug"], "http://news.tracker-note.test/feed.xml", "--kind", "feed").exit_code == 0
    )
    assert "placeholder" not in run("scrape", story["slug"]).output
