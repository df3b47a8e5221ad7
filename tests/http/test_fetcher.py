"""The polite fetcher: conditional GET, redirects, robots.txt, pacing, retries, concurrency (scrapers/http/fetcher.py).

Politeness waits go through an injected clock that records what the fetcher
asked to sleep, so crawl-delay, backoff and Retry-After are checked without
waiting for real and without timing anything.
"""

from __future__ import annotations

import email.utils
import socket
import struct
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from http.server import BaseHTTPRequestHandler

import pytest

from scrapers.http import Fetcher, Response
from scrapers.http.advice import CONTEXTS, advice
from tests.http.local_server import PAGE, UA, answer


def test_200_records_body_type_charset_and_identifies_us(server, make_fetcher):
    url = server.reply("/page", PAGE.encode("latin-1"), content_type='text/html; charset="ISO-8859-1"', ETag='"v1"')
    response = make_fetcher().get(url)
    assert response.ok
    assert (response.status, response.url) == (200, url)
    assert response.body == PAGE.encode("latin-1")
    assert (response.content_type, response.charset) == ("text/html", "iso-8859-1")
    assert response.etag == '"v1"'
    assert response.headers["content-type"] == 'text/html; charset="ISO-8859-1"'
    assert all(name == name.lower() for name in response.headers)
    page_request = [r for r in server.requests if r.path == "/page"][0]
    assert page_request.headers["user-agent"] == UA
    # Every format the scrapers read is asked for by name: a site that negotiates sends its JSON Feed.
    accepted = [part.split(";")[0] for part in page_request.headers["accept"].split(",")]
    assert {"text/html", "application/rss+xml", "application/atom+xml", "application/feed+json"} <= set(accepted)


def test_conditional_get_returns_not_modified_with_empty_body(server, make_fetcher):
    def route(handler: BaseHTTPRequestHandler) -> None:
        if handler.headers.get("If-None-Match") == '"v1"':
            handler.send_response(304)
            handler.end_headers()
            return
        answer(200, PAGE, ETag='"v1"', Last_Modified="Mon, 01 Jan 2024 00:00:00 GMT")(handler)

    url = server.on("/story", route)
    fetcher = make_fetcher()
    first = fetcher.get(url)
    assert first.ok and first.body and not first.not_modified
    second = fetcher.get(url, etag=first.etag, last_modified=first.last_modified)
    assert second.ok
    assert second.not_modified
    assert (second.status, second.body) == (304, b"")
    assert second.etag == '"v1"'
    sent = [r.headers for r in server.requests if r.path == "/story"][1]
    assert sent["if-none-match"] == '"v1"'
    assert sent["if-modified-since"] == "Mon, 01 Jan 2024 00:00:00 GMT"


def test_a_last_modified_later_than_the_answer_s_date_is_no_validator(server, make_fetcher):
    """A Last-Modified in the future (a CMS's clock, a file dated ahead), sent back as If-Modified-Since, made every
    later change look older than it: a server comparing dates (as Django's, Werkzeug's and Python's own do)
    answered 304 until that date came, and the change was missed."""
    page = {"body": PAGE, "modified": "Tue, 01 Jan 2036 00:00:00 GMT"}

    def route(handler: BaseHTTPRequestHandler) -> None:
        since = handler.headers.get("If-Modified-Since")
        modified = email.utils.parsedate_to_datetime(page["modified"])
        if since and email.utils.parsedate_to_datetime(since) >= modified:
            handler.send_response(304)
            handler.end_headers()
            return
        answer(200, page["body"], Last_Modified=page["modified"])(handler)

    url = server.on("/story", route)
    fetcher = make_fetcher()
    first = fetcher.get(url)
    assert first.ok and first.last_modified is None
    page.update(body=PAGE + "<p>Updated.</p>", modified=email.utils.formatdate(usegmt=True))
    second = fetcher.get(url, etag=first.etag, last_modified=first.last_modified)
    assert (second.status, second.body) == (200, page["body"].encode())
    assert second.last_modified == page["modified"]  # a date not ahead of the answer's own is a validator


def test_a_304_to_a_request_without_validators_is_an_error(server, make_fetcher):
    """Nothing was asked to be compared: a server answering 304 anyway would keep a source "unchanged" forever."""
    url = server.reply("/always-304", "", status=304)
    response = make_fetcher().get(url)
    assert not response.ok and not response.not_modified
    assert url in response.error and "304 Not Modified to a request without validators" in response.error


def test_a_validator_that_cannot_be_sent_means_an_unconditional_get(server, make_fetcher):
    url = server.reply("/page", PAGE)
    response = make_fetcher().get(url, etag='"caf\u00e9"\r\nX-Injected: 1')
    assert response.ok and response.body == PAGE.encode()
    (sent,) = [r.headers for r in server.requests if r.path == "/page"]
    assert "if-none-match" not in sent and "x-injected" not in sent


def test_relative_redirect_is_followed_to_the_final_url(server, make_fetcher):
    server.reply("/old", "", status=301, Location="/new")
    final = server.reply("/new", PAGE)
    response = make_fetcher().get(server.url("/old"))
    assert response.ok
    assert response.url == final
    assert response.body == PAGE.encode()


def test_validators_are_not_sent_to_the_address_a_redirect_leads_to(server, make_fetcher):
    """An item's ETag and Last-Modified describe the page at the address they were stored for. Sent on to the
    address a redirect leads to, a tag that matched there by chance (a hash, a weak tag both servers share) had
    a 304 answer, and the changed page at the new address was never stored."""
    old_tag, new_page = 'W/"shared"', PAGE + "<p>Moved and updated.</p>"
    old = server.reply("/old-slug", "", status=301, Location="/new-slug")

    def route(handler: BaseHTTPRequestHandler) -> None:
        if handler.headers.get("If-None-Match") == old_tag:
            handler.send_response(304)
            handler.end_headers()
            return
        answer(200, new_page, ETag='W/"new"')(handler)

    new = server.on("/new-slug", route)
    response = make_fetcher().get(old, etag=old_tag, last_modified="Mon, 01 Jan 2024 00:00:00 GMT")
    assert response.ok and not response.not_modified
    assert (response.status, response.url, response.body) == (200, new, new_page.encode())
    assert response.etag == 'W/"new"' and response.last_modified is None  # the new address's, not the old ones
    first, second = [r for r in server.requests if r.path != "/robots.txt"]
    assert first.path == "/old-slug" and first.headers["if-none-match"] == old_tag
    assert second.path == "/new-slug"
    assert "if-none-match" not in second.headers and "if-modified-since" not in second.headers


def test_a_redirect_back_to_the_same_address_keeps_its_validators(server, make_fetcher):
    """A site that sends a request round once (to set a cookie, to check a session) and back to the same address
    is still asked about the page the validators were stored for: a 304 there is an unchanged page."""
    hits = []

    def route(handler: BaseHTTPRequestHandler) -> None:
        hits.append(handler.headers.get("If-None-Match"))
        if len(hits) == 1:
            answer(302, "", Location="/story")(handler)
        elif handler.headers.get("If-None-Match") == '"v1"':
            handler.send_response(304)
            handler.end_headers()
        else:
            answer(200, PAGE, ETag='"v2"')(handler)

    url = server.on("/story", route)
    response = make_fetcher().get(url, etag='"v1"')
    assert response.ok and response.not_modified
    assert (response.status, response.etag, response.redirects) == (304, '"v1"', (302,))
    assert hits == ['"v1"', '"v1"']


def test_endless_redirects_are_capped(server, make_fetcher):
    url = server.reply("/loop", "", status=302, Location="/loop")
    response = make_fetcher(max_redirects=3).get(url)
    assert not response.ok
    assert "redirected more than 3 times" in response.error
    assert server.count("/loop") == 4  # the first request and three hops, then we stop


def test_a_redirect_to_an_unreadable_address_is_an_error_not_a_crash(server, make_fetcher):
    url = server.reply("/odd", "", status=302, Location="http://[::1/")
    response = make_fetcher().get(url)
    assert not response.ok
    assert url in response.error and "not a valid web address" in response.error


def test_a_robots_txt_redirect_to_an_unreadable_address_leaves_the_site_disallowed(server, make_fetcher):
    server.reply("/robots.txt", "", status=301, Location="http://[::1/")
    url = server.reply("/page")
    response = make_fetcher().get(url)
    assert not response.ok
    assert "robots.txt" in response.skipped and "not a valid web address" in response.skipped
    assert server.count("/page") == 0


def test_control_characters_a_server_sends_never_reach_the_error_sentence(server, make_fetcher):
    """The sentence goes to the fetch log and to a terminal running `watch`: no escape sequence of the site's."""
    to_script = server.reply("/script", "", status=302, Location="javascript:\x1b]0;owned\x07\x9b2J")

    def garbage(handler: BaseHTTPRequestHandler) -> None:
        handler.wfile.write(b"\x1b[2JHTTP/9 \x9b2J\x1b]0;owned\x07\r\n\r\n")

    broken = server.on("/broken", garbage)
    fetcher = make_fetcher(retries=0)
    for url in (to_script, broken):
        error = fetcher.get(url).error
        assert url in error
        assert not any(ord(c) < 32 or 127 <= ord(c) < 160 for c in error), repr(error)


def closed_port() -> int:
    """A port on 127.0.0.1 nobody listens on: connecting to it is refused."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.parametrize("context", CONTEXTS)
def test_a_host_refusing_connections_fails_the_fetch_in_every_context_never_skips_it(make_fetcher, context):
    """The site refusing us is the site failing: a source's poll was recorded "skipped" (its robots.txt
    unreadable), so it never backed off and never raised the failing-source alert."""
    port = closed_port()
    fetcher = make_fetcher(retries=0)
    # The first fetch asks for robots.txt and is refused; the second meets the site's rules kept since.
    for _ in range(2):
        response = fetcher.get(f"http://127.0.0.1:{port}/feed.xml", context=context)
        assert (response.skipped, response.status) == (None, None)
        assert response.error == (
            f"Could not connect to 127.0.0.1:{port} (connection refused); {advice('down', context)}."
        )


def test_a_host_resetting_every_connection_fails_the_fetch_never_skips_it(make_fetcher):
    """A server that takes the connection and resets it unanswered (a firewall, a crashed backend)."""

    def serve(listener: socket.socket) -> None:
        while True:
            try:
                conn, _ = listener.accept()
            except OSError:
                return
            conn.recv(65536)
            conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))  # close with a reset
            conn.close()

    with socket.create_server(("127.0.0.1", 0)) as listener:
        threading.Thread(target=serve, args=(listener,), daemon=True).start()
        port = listener.getsockname()[1]
        response = make_fetcher(retries=0).get(f"http://127.0.0.1:{port}/feed.xml")
    assert response.skipped is None
    assert response.error.startswith(f"Could not connect to 127.0.0.1:{port} (connection reset")
    assert response.error.endswith(f"; {advice('down', 'source')}.")


def test_robots_disallow_skips_the_page_without_requesting_it(server, make_fetcher):
    server.reply("/robots.txt", "User-agent: *\nDisallow: /private\n", content_type="text/plain")
    url = server.reply("/private/page")
    allowed = server.reply("/public")
    fetcher = make_fetcher()
    response = fetcher.get(url)
    assert response.skipped == "disallowed by robots.txt"
    assert not response.ok
    assert response.status is None
    assert fetcher.get(allowed).ok
    assert server.paths() == ["/robots.txt", "/public"]  # robots.txt asked once, the page never


def test_robots_group_for_our_crawler_applies(server, make_fetcher):
    server.reply(
        "/robots.txt",
        "User-agent: *\nAllow: /\n\nUser-agent: NewsroomTracker\nDisallow: /\n",
        content_type="text/plain",
    )
    url = server.reply("/page")
    assert make_fetcher().get(url).skipped == "disallowed by robots.txt"
    assert server.count("/page") == 0


def test_robots_can_be_ignored_when_configured(server, make_fetcher):
    server.reply("/robots.txt", "User-agent: *\nDisallow: /\n", content_type="text/plain")
    url = server.reply("/page")
    assert make_fetcher(respect_robots=False).get(url).ok
    assert server.paths() == ["/page"]


def test_robots_404_allows_everything(server, make_fetcher):
    url = server.reply("/page")
    assert make_fetcher().get(url).ok
    assert server.paths() == ["/robots.txt", "/page"]


def test_robots_5xx_treats_the_site_as_disallowed_for_a_while(server, make_fetcher, clock):
    server.sequence("/robots.txt", answer(503, "down"), answer(200, "User-agent: *\nAllow: /\n"))
    url = server.reply("/page")
    fetcher = make_fetcher(robots_error_ttl=600)
    first = fetcher.get(url)
    assert first.skipped is not None
    assert "robots.txt" in first.skipped and "HTTP 503" in first.skipped
    assert fetcher.get(url).skipped == first.skipped  # cached: robots.txt not asked again yet
    assert server.paths() == ["/robots.txt"]
    clock.advance(601)
    assert fetcher.get(url).ok
    assert server.paths() == ["/robots.txt", "/robots.txt", "/page"]


def test_robots_is_cached_per_site(server, make_fetcher, clock):
    server.reply("/robots.txt", "User-agent: *\nDisallow: /private\n", content_type="text/plain")
    urls = [server.reply(f"/page{i}") for i in range(3)]
    fetcher = make_fetcher(robots_ttl=3600)
    assert all(fetcher.get(url).ok for url in urls)
    assert server.count("/robots.txt") == 1
    clock.advance(3601)
    assert fetcher.get(urls[0]).ok
    assert server.count("/robots.txt") == 2


def test_crawl_delay_spaces_requests_to_the_host(server, make_fetcher, clock):
    server.reply("/robots.txt", "User-agent: *\nCrawl-delay: 5\n", content_type="text/plain")
    urls = [server.reply("/a"), server.reply("/b")]
    fetcher = make_fetcher(min_interval=0.5)
    assert all(response.ok for response in fetcher.get_many(urls))
    assert server.paths() == ["/robots.txt", "/a", "/b"]
    # Each page waited the full Crawl-delay after the previous request (fake time moves only when we sleep).
    assert clock.sleeps == [pytest.approx(5), pytest.approx(5)]


def test_min_interval_spaces_requests_to_the_host(server, make_fetcher, clock):
    urls = [server.reply("/a"), server.reply("/b")]
    fetcher = make_fetcher(min_interval=2)
    assert all(fetcher.get(url).ok for url in urls)
    assert clock.sleeps == [pytest.approx(2), pytest.approx(2)]  # robots.txt → /a, /a → /b


def test_a_crawl_delay_longer_than_max_wait_defers_instead_of_blocking(server, make_fetcher):
    server.reply("/robots.txt", "User-agent: *\nCrawl-delay: 3600\n", content_type="text/plain")
    url = server.reply("/page")
    response = make_fetcher(max_wait=60).get(url)
    assert response.skipped is not None and "wait" in response.skipped
    assert server.count("/page") == 0


@pytest.mark.parametrize("status", [404, 410])
def test_gone_pages_are_not_retried(server, make_fetcher, clock, status):
    url = server.reply("/gone", "gone", status=status)
    response = make_fetcher(retries=2).get(url)
    assert not response.ok
    assert response.status == status
    assert f"HTTP {status}" in response.error
    assert server.count("/gone") == 1
    assert clock.sleeps == []


def test_server_error_then_success_is_retried_with_backoff(server, make_fetcher, clock):
    url = server.sequence("/flaky", answer(500, "oops"), answer(200, PAGE))
    response = make_fetcher(retries=2, backoff=1.5).get(url)
    assert response.ok
    assert response.body == PAGE.encode()
    assert (response.attempts, server.count("/flaky")) == (2, 2)
    assert clock.sleeps == [pytest.approx(1.5)]


def test_persistent_server_errors_give_up_after_the_retries(server, make_fetcher, clock):
    url = server.reply("/down", "down", status=503)
    response = make_fetcher(retries=2, backoff=1).get(url)
    assert not response.ok
    assert response.status == 503
    assert "HTTP 503 Service Unavailable after 3 attempts" in response.error
    assert server.count("/down") == 3
    assert clock.sleeps == [pytest.approx(1), pytest.approx(2)]  # exponential backoff


def test_429_retry_after_seconds_is_honoured(server, make_fetcher, clock):
    url = server.sequence("/busy", answer(429, "slow down", Retry_After="7"), answer(200, PAGE))
    response = make_fetcher(backoff=1).get(url)
    assert response.ok
    assert server.count("/busy") == 2
    assert clock.sleeps == [pytest.approx(7)]


def test_retry_after_as_an_http_date_is_honoured(server, make_fetcher, clock):
    when = email.utils.formatdate(time.time() + 30, usegmt=True)
    url = server.sequence("/busy", answer(503, "later", Retry_After=when), answer(200, PAGE))
    assert make_fetcher().get(url).ok
    assert len(clock.sleeps) == 1
    assert 25 <= clock.sleeps[0] <= 31


def test_retry_after_beyond_max_wait_is_not_retried_and_the_host_is_left_alone(server, make_fetcher, clock):
    url = server.reply("/busy", "slow down", status=429, Retry_After="3600")
    other = server.reply("/other")
    fetcher = make_fetcher(max_wait=60)
    response = fetcher.get(url)
    assert not response.ok
    assert response.status == 429
    assert response.retry_after == 3600
    assert "HTTP 429" in response.error
    later = fetcher.get(other)  # same host: we do not knock again before the hour is up
    assert later.skipped is not None and "Retry-After" in later.skipped
    assert server.count("/busy") == 1 and server.count("/other") == 0
    assert clock.sleeps == []


def test_read_timeout_is_retried(server, make_fetcher):
    release = threading.Event()

    def hang(handler: BaseHTTPRequestHandler) -> None:
        release.wait(60)

    url = server.sequence("/slow", hang, answer(200, PAGE))
    try:
        # The first request is never answered while the client waits; the retry is answered at once,
        # with time to spare on a loaded machine (0.2 s once was not enough for the answer to arrive).
        response = make_fetcher(read_timeout=1.0, backoff=0).get(url)
    finally:
        release.set()
    assert response.ok
    assert response.attempts == 2


class Unanswered:
    """A route that counts the requests it holds unanswered: two at once means two were in flight together.

    Each is counted from its arrival until just before its answer is
    written, so a client cannot send its next request while the previous one
    still counts (the server's own `active` lasts until its handler thread
    returns, which a busy machine can delay past the client's next request).
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.count = 0
        self.most = 0
        self.overlap = threading.Event()

    def __call__(self, handler: BaseHTTPRequestHandler) -> None:
        with self._lock:
            self.count += 1
            self.most = max(self.most, self.count)
            if self.count > 1:
                self.overlap.set()
        self.overlap.wait(0.2)  # gives a second request the chance to arrive; returns at once if one did
        with self._lock:
            self.count -= 1
        answer(200, PAGE)(handler)


def test_one_request_at_a_time_per_host(server):
    hold = Unanswered()
    urls = [server.on(f"/p{i}", hold) for i in range(4)]
    with Fetcher(UA, allowed_hosts={"127.0.0.1"}, min_interval=0) as fetcher:
        responses = fetcher.get_many(urls, max_workers=4)
    assert all(r.ok for r in responses)
    assert hold.most == 1
    assert not hold.overlap.is_set()


def test_threads_sharing_a_fetcher_take_turns_on_a_host(server):
    hold = Unanswered()
    urls = [server.on(f"/p{i}", hold) for i in range(3)]
    with Fetcher(UA, allowed_hosts={"127.0.0.1"}, min_interval=0) as fetcher:
        with ThreadPoolExecutor(max_workers=3) as pool:
            responses = list(pool.map(fetcher.get, urls))
    assert all(r.ok for r in responses)
    assert hold.most == 1


def test_different_hosts_are_fetched_concurrently(server):
    both_arrived = threading.Barrier(2, timeout=5)

    def meet(handler: BaseHTTPRequestHandler) -> None:
        try:
            both_arrived.wait()  # only passes if the two hosts' requests are in flight together
        except threading.BrokenBarrierError:
            answer(500, "alone")(handler)
            return
        answer(200, PAGE)(handler)

    server.on("/page", meet)
    urls = [server.url("/page", "127.0.0.1"), server.url("/page", "localhost")]
    with Fetcher(UA, allowed_hosts={"127.0.0.1", "localhost"}, min_interval=0, retries=0) as fetcher:
        responses = fetcher.get_many(urls)
    assert [r.status for r in responses] == [200, 200]
    assert server.max_active == 2
    assert {r.headers["host"].split(":")[0] for r in server.requests if r.path == "/page"} == {"127.0.0.1", "localhost"}


def test_get_many_keeps_order_and_sends_validators(server, make_fetcher):
    a = server.reply("/a", "A", ETag='"a1"')
    b = server.reply("/b", "B")
    bad = "ftp://example.com/x"
    responses = make_fetcher().get_many([b, bad, a], validators={a: ('"a0"', None)})
    assert [r.url for r in responses] == [b, bad, a]
    assert [r.body for r in responses] == [b"B", b"", b"A"]
    assert isinstance(responses[1], Response) and responses[1].error
    assert [r.headers.get("if-none-match") for r in server.requests if r.path == "/a"] == ['"a0"']


def test_robots_rules_are_kept_for_a_bounded_number_of_sites_the_least_recently_used_forgotten(server):
    """A feed can link a thousand hosts of one hostile site, each with a robots.txt of 500 kB (7 MB parsed)."""
    from scrapers.http.fetcher import ROBOTS_CACHED

    port = server.httpd.server_address[1]
    server.reply("/robots.txt", "User-agent: *\nDisallow: /private/\n", content_type="text/plain")
    server.reply("/story")
    hosts = [f"site{i}.example" for i in range(ROBOTS_CACHED + 1)]
    with Fetcher(UA, min_interval=0, host_map={h: ("127.0.0.1", port) for h in hosts}) as fetcher:
        for host in hosts:
            assert fetcher.get(f"http://{host}/story").ok

        def asked() -> list[tuple[str, str]]:
            return [(r.headers["host"], r.path) for r in server.requests if r.path == "/robots.txt"]

        before = len(asked())
        assert fetcher.get(f"http://{hosts[-1]}/story").ok  # still known: not asked again
        assert len(asked()) == before
        assert fetcher.get(f"http://{hosts[0]}/story").ok  # the least recently used was forgotten: asked again
        assert asked()[-1] == (hosts[0], "/robots.txt") and len(asked()) == before + 1


def test_what_a_fetcher_keeps_per_host_stays_bounded_over_many_hosts(server, make_fetcher, monkeypatch):
    """`watch` keeps one fetcher for days, and feeds keep linking new hosts: per-host state must not pile up."""
    from scrapers.http import fetcher as fetcher_module
    from scrapers.http import guard as guard_module

    monkeypatch.setattr(fetcher_module, "ROBOTS_CACHED", 4)
    monkeypatch.setattr(fetcher_module, "HOSTS_KEPT", 8)
    monkeypatch.setattr(guard_module, "APPROVALS_KEPT", 8)
    port = server.httpd.server_address[1]
    server.reply("/robots.txt", "User-agent: *\nAllow: /\n", content_type="text/plain")
    server.reply("/story")
    hosts = [f"site{i}.example" for i in range(40)]
    fetcher = make_fetcher(host_map={h: ("127.0.0.1", port) for h in hosts})
    for host in hosts:
        assert fetcher.get(f"http://{host}:{port}/story").ok
    assert len(fetcher._robots) <= 4 and len(fetcher._robots_locks) <= 4
    assert len(fetcher._slots) <= 8
    assert len(fetcher.guard._approved) <= 8


def test_a_host_still_inside_its_crawl_delay_is_remembered_however_many_hosts_come_after(
    server, make_fetcher, clock, monkeypatch
):
    from scrapers.http import fetcher as fetcher_module

    monkeypatch.setattr(fetcher_module, "HOSTS_KEPT", 4)
    port = server.httpd.server_address[1]

    def robots(handler: BaseHTTPRequestHandler) -> None:
        slow = handler.headers["Host"].startswith("slow.")
        answer(200, "User-agent: *\nCrawl-delay: 5\n" if slow else "User-agent: *\nAllow: /\n")(handler)

    server.on("/robots.txt", robots)
    server.reply("/story")
    hosts = ["slow.example", *(f"site{i}.example" for i in range(20))]
    fetcher = make_fetcher(host_map={h: ("127.0.0.1", port) for h in hosts})
    assert fetcher.get(f"http://slow.example:{port}/story").ok  # robots.txt, then the page 5 s after it
    for host in hosts[1:]:
        assert fetcher.get(f"http://{host}:{port}/story").ok
    assert clock.sleeps == [pytest.approx(5)]
    assert fetcher.get(f"http://slow.example:{port}/story").ok  # the fake clock has not moved: 5 s more
    assert clock.sleeps == [pytest.approx(5), pytest.approx(5)]


def test_validators_stored_for_the_page_a_redirect_led_to_are_sent_there_only(server, make_fetcher):
    """An address that answers 302 to its page (a tracker link, a "latest" address): the ETag kept was the page's,
    and the rule above kept it from the page, so the page was fetched whole at every check. Said to be the page's
    (validated_at), it is sent to the page and to nothing else: not to the address asked, nor to another page the
    redirect leads to later."""
    server.reply("/latest", "", status=302, Location="/story-v1")

    def route(handler: BaseHTTPRequestHandler) -> None:
        if handler.headers.get("If-None-Match") == '"v1"':
            handler.send_response(304)
            handler.end_headers()
            return
        answer(200, PAGE, ETag='"v1"')(handler)

    page = server.on("/story-v1", route)
    other = server.on("/story-v2", route)
    fetcher = make_fetcher()
    response = fetcher.get(server.url("/latest"), etag='"v1"', validated_at=page)
    assert response.ok and response.not_modified and response.url == page
    assert (response.etag, response.redirects) == ('"v1"', (302,))
    server.reply("/latest", "", status=302, Location="/story-v2")
    response = fetcher.get(server.url("/latest"), etag='"v1"', validated_at=page)
    assert response.ok and not response.not_modified and response.url == other
    asked = [(r.path, r.headers.get("if-none-match")) for r in server.requests if r.path != "/robots.txt"]
    assert asked == [("/latest", None), ("/story-v1", '"v1"'), ("/latest", None), ("/story-v2", None)]
