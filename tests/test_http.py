"""The polite HTTP client, each behaviour against a real HTTP server on 127.0.0.1.

Politeness waits go through an injected clock that records what the fetcher
asked to sleep, so crawl-delay, backoff and Retry-After are checked without
waiting for real and without timing anything.
"""

from __future__ import annotations

import email.utils
import gzip
import socket
import threading
import time
import zlib
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from urllib3.util import parse_url

from scrapers.http import AddressRefused, Clock, Fetcher, Response, address_problem, parse_content_type

UA = "NewsroomTracker/0.1 (+https://newsroom-tracker.example/contact)"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
# A whole answer for the raw-socket servers below, which keep their connections alive as real sites do.
OK = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 4\r\n\r\n<p/>"
PAGE = "<html><head><title>Acme recall</title></head><body><p>Acme Widgets recalled a product.</p></body></html>"


@dataclass
class Seen:
    path: str
    headers: dict[str, str]


class Server:
    """A real HTTP server whose routes are Python functions, so a route can misbehave on purpose."""

    def __init__(self) -> None:
        self.routes: dict[str, Callable[[BaseHTTPRequestHandler], None]] = {}
        self.requests: list[Seen] = []
        self.active = 0
        self.max_active = 0
        self.overlap = threading.Event()
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - http.server's naming
                with server._lock:
                    server.requests.append(Seen(self.path, {k.lower(): v for k, v in self.headers.items()}))
                    server.active += 1
                    server.max_active = max(server.max_active, server.active)
                    if server.active > 1:
                        server.overlap.set()
                try:
                    route = server.routes.get(self.path)
                    if route is None:
                        self.send_error(404)
                    else:
                        route(self)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up on us, which is what some tests want
                finally:
                    with server._lock:
                        server.active -= 1

            def log_message(self, *args) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, args=(0.05,), daemon=True)

    def url(self, path: str, host: str = "127.0.0.1") -> str:
        return f"http://{host}:{self.httpd.server_address[1]}{path}"

    def on(self, path: str, route: Callable[[BaseHTTPRequestHandler], None]) -> str:
        self.routes[path] = route
        return self.url(path)

    def reply(
        self,
        path: str,
        body: bytes | str = PAGE,
        status: int = 200,
        content_type: str | None = "text/html; charset=utf-8",
        length: bool = True,
        **headers: str,
    ) -> str:
        """A fixed answer; length=False leaves Content-Length out so the body ends when the connection closes."""
        data = body.encode("utf-8") if isinstance(body, str) else body

        def route(handler: BaseHTTPRequestHandler) -> None:
            handler.send_response(status)
            if content_type:
                handler.send_header("Content-Type", content_type)
            for name, value in headers.items():
                handler.send_header(name.replace("_", "-"), value)
            if length:
                handler.send_header("Content-Length", str(len(data)))
            handler.end_headers()
            handler.wfile.write(data)

        return self.on(path, route)

    def sequence(self, path: str, *routes: Callable[[BaseHTTPRequestHandler], None]) -> str:
        """Answer the n-th request with the n-th route (the last one repeats)."""
        calls = iter(range(10_000))

        def route(handler: BaseHTTPRequestHandler) -> None:
            routes[min(next(calls), len(routes) - 1)](handler)

        return self.on(path, route)

    def count(self, path: str) -> int:
        return sum(1 for r in self.requests if r.path == path)

    def paths(self) -> list[str]:
        return [r.path for r in self.requests]


def answer(status: int, body: bytes | str = PAGE, **headers: str) -> Callable[[BaseHTTPRequestHandler], None]:
    data = body.encode("utf-8") if isinstance(body, str) else body

    def route(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(status)
        handler.send_header("Content-Type", "text/html; charset=utf-8")
        for name, value in headers.items():
            handler.send_header(name.replace("_", "-"), value)
        handler.send_header("Content-Length", str(len(data)))
        handler.end_headers()
        handler.wfile.write(data)

    return route


class FakeClock(Clock):
    """Time that only moves when the fetcher sleeps; every sleep is recorded."""

    def __init__(self) -> None:
        self.time = 1000.0
        self.sleeps: list[float] = []
        self._lock = threading.Lock()

    def now(self) -> float:
        with self._lock:
            return self.time

    def sleep(self, seconds: float) -> None:
        with self._lock:
            self.sleeps.append(seconds)
            self.time += seconds

    def advance(self, seconds: float) -> None:
        with self._lock:
            self.time += seconds


@pytest.fixture
def server() -> Iterator[Server]:
    server = Server()
    server.thread.start()
    yield server
    server.httpd.shutdown()
    server.httpd.server_close()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def make_fetcher(clock: FakeClock) -> Iterator[Callable[..., Fetcher]]:
    made: list[Fetcher] = []

    def make(**settings) -> Fetcher:
        settings = {"allowed_hosts": {"127.0.0.1"}, "min_interval": 0, "clock": clock, **settings}
        fetcher = Fetcher(UA, **settings)
        made.append(fetcher)
        return fetcher

    yield make
    for fetcher in made:
        fetcher.close()


# -- plain fetching ---------------------------------------------------------------------------------


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


def test_gzip_body_is_decoded(server, make_fetcher):
    url = server.reply("/gz", gzip.compress(PAGE.encode()), Content_Encoding="gzip")
    response = make_fetcher().get(url)
    assert response.ok
    assert response.body == PAGE.encode()


@pytest.mark.parametrize("wbits", [15, -15], ids=["zlib", "raw"])
def test_deflate_body_is_decoded_with_or_without_its_zlib_header(server, make_fetcher, wbits):
    packer = zlib.compressobj(wbits=wbits)
    url = server.reply("/deflate", packer.compress(PAGE.encode()) + packer.flush(), Content_Encoding="deflate")
    response = make_fetcher().get(url)
    assert response.ok, response.error
    assert response.body == PAGE.encode()


def test_a_gzip_bomb_is_cut_at_the_size_cap_after_decoding(server, make_fetcher):
    bomb = gzip.compress(b"<p>" + b" " * 50_000_000)  # 50 MB that arrive as about 50 KB
    url = server.reply("/bomb", bomb, Content_Encoding="gzip")
    response = make_fetcher(max_bytes=1_000_000).get(url)
    assert "response larger than 1000000 bytes" in response.error
    assert len(response.body) == 1_000_000


def test_a_body_that_is_not_what_its_encoding_says_is_an_error(server, make_fetcher):
    url = server.reply("/fake-gzip", PAGE, Content_Encoding="gzip")
    response = make_fetcher(retries=0).get(url)
    assert not response.ok
    assert "sent a response we could not read" in response.error and url in response.error


def test_idle_connections_are_reused_then_dropped_after_keepalive(make_fetcher, monkeypatch):
    from scrapers.http import _Connections

    requests: list[int] = []  # the connection each request came on

    def serve(listener: socket.socket) -> None:
        for number in range(2):
            conn, _ = listener.accept()
            with conn:
                while conn.recv(65536):
                    requests.append(number)
                    conn.sendall(OK)

    with socket.create_server(("127.0.0.1", 0)) as listener:
        thread = threading.Thread(target=serve, args=(listener,), daemon=True)
        thread.start()
        url = f"http://127.0.0.1:{listener.getsockname()[1]}/page"
        fetcher = make_fetcher(respect_robots=False)
        assert fetcher.get(url).ok and fetcher.get(url).ok
        monkeypatch.setattr(_Connections, "KEEPALIVE", 0.0)
        assert fetcher.get(url).ok
        fetcher.close()
        thread.join(5)
    assert requests == [0, 0, 1]  # two on one kept-alive connection; the third found it too old


def test_idle_connections_of_other_sites_are_closed_once_too_old(make_fetcher, monkeypatch):
    """A watch loop meets many sites: their idle connections do not pile up until the same site comes back."""
    from scrapers.http import _Connections

    closed = threading.Event()

    def serve(listener: socket.socket, report_close: bool) -> None:
        conn, _ = listener.accept()
        with conn:
            while conn.recv(65536):
                conn.sendall(OK)
        if report_close:
            closed.set()

    with socket.create_server(("127.0.0.1", 0)) as one, socket.create_server(("127.0.0.1", 0)) as two:
        for listener, report in ((one, True), (two, False)):
            threading.Thread(target=serve, args=(listener, report), daemon=True).start()
        fetcher = make_fetcher(respect_robots=False)
        assert fetcher.get(f"http://127.0.0.1:{one.getsockname()[1]}/page").ok
        assert not closed.wait(0.05)  # kept alive
        monkeypatch.setattr(_Connections, "KEEPALIVE", 0.0)
        assert fetcher.get(f"http://127.0.0.1:{two.getsockname()[1]}/page").ok
        assert closed.wait(5)  # the first site's idle connection was closed, though nothing went there again


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


def test_endless_redirects_are_capped(server, make_fetcher):
    url = server.reply("/loop", "", status=302, Location="/loop")
    response = make_fetcher(max_redirects=3).get(url)
    assert not response.ok
    assert "redirected more than 3 times" in response.error
    assert server.count("/loop") == 4  # the first request and three hops, then we stop


# -- the address guard ----------------------------------------------------------------------------


def test_loopback_refused_by_default_with_a_way_to_allow_it(server):
    url = server.reply("/page")
    with Fetcher(UA, min_interval=0) as fetcher:
        response = fetcher.get(url)
    assert not response.ok
    assert response.status is None
    assert "loopback" in response.error
    assert "allowed hosts in the configuration" in response.error
    assert server.requests == []  # not even robots.txt was asked for


def test_allow_private_lets_loopback_through(server):
    url = server.reply("/page")
    with Fetcher(UA, allow_private=True, min_interval=0) as fetcher:
        assert fetcher.get(url).ok


@pytest.mark.parametrize(
    "target",
    ["http://localhost:{port}/secret", "http://169.254.169.254/latest/meta-data/", "http://[::1]:{port}/secret"],
)
def test_redirect_to_a_private_address_is_refused(server, make_fetcher, target):
    port = server.httpd.server_address[1]
    server.reply("/secret", "internal")
    url = server.reply("/go", "", status=302, Location=target.format(port=port))
    response = make_fetcher().get(url)  # only 127.0.0.1 is allowed
    assert not response.ok
    assert response.error.startswith("Refused to fetch")
    assert "redirected from" in response.error
    assert server.count("/secret") == 0


def test_address_guard_also_holds_at_connect_time(server):
    """A DNS answer that changes after the check still cannot reach a private address."""
    url = server.reply("/page")
    with Fetcher(UA, min_interval=0) as fetcher, pytest.raises(AddressRefused):
        fetcher._connections.open(parse_url(url), "/page", {})  # the transport itself, without the URL check
    assert server.requests == []


@pytest.mark.parametrize(
    "address, problem",
    [
        ("127.0.0.1", "loopback"),
        ("10.1.2.3", "private"),
        ("192.168.0.10", "private"),
        ("169.254.169.254", "link-local"),
        ("0.0.0.0", "unspecified"),
        ("224.0.0.1", "multicast"),
        ("240.0.0.1", "reserved"),
        ("100.64.0.1", "non-public"),
        ("::1", "loopback"),
        ("fe80::1", "link-local"),
        ("fc00::1", "private"),
        ("ff02::1", "multicast"),
        ("::ffff:127.0.0.1", "loopback"),
        ("::ffff:10.0.0.1", "private"),
        ("2002:7f00:1::", "loopback"),  # 6to4 wrapping 127.0.0.1
        ("64:ff9b::a00:1", "private"),  # NAT64 wrapping 10.0.0.1
        ("93.184.215.14", None),
        ("2606:2800:21f:cb07:6820:80da:af6b:8b2c", None),
        ("::ffff:93.184.215.14", None),
    ],
)
def test_address_problem(address, problem):
    import ipaddress

    assert address_problem(ipaddress.ip_address(address)) == problem


@pytest.mark.parametrize(
    "url, expected",
    [
        ("file:///etc/passwd", "not an http or https address"),
        ("ftp://ftp.example.com/file.txt", "not an http or https address"),
        ("javascript:alert(1)", "not an http or https address"),
        ("not a url", "not an http or https address"),
        ("http://", "has no host name"),
        ("http://exa mple.com/", "not a valid web address"),
        ("http://nothing.invalid/page", "could not be resolved"),
    ],
)
def test_unusable_urls_get_a_clear_error(make_fetcher, url, expected):
    response = make_fetcher().get(url)
    assert not response.ok
    assert response.status is None
    assert expected in response.error


def test_redirect_to_another_scheme_is_refused(server, make_fetcher):
    url = server.reply("/go", "", status=302, Location="file:///etc/passwd")
    response = make_fetcher().get(url)
    assert "not an http or https address" in response.error


# -- robots.txt -----------------------------------------------------------------------------------


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


# -- retries --------------------------------------------------------------------------------------


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
        release.wait(5)

    url = server.sequence("/slow", hang, answer(200, PAGE))
    try:
        response = make_fetcher(read_timeout=0.2, backoff=0).get(url)
    finally:
        release.set()
    assert response.ok
    assert response.attempts == 2


def test_a_broken_response_is_an_error_not_a_crash(server, make_fetcher):
    def garbage(handler: BaseHTTPRequestHandler) -> None:
        handler.wfile.write(b"THIS IS NOT HTTP\r\n\r\n")

    url = server.on("/garbage", garbage)
    response = make_fetcher(retries=1, backoff=0).get(url)
    assert not response.ok
    assert response.status is None
    assert url in response.error
    assert server.count("/garbage") == 2


def test_a_kept_alive_connection_the_server_drops_is_replaced_not_retried(make_fetcher):
    """A server may close an idle connection just as we reuse it; the request goes again on a fresh one."""
    received: list[bytes] = []

    def serve(listener: socket.socket) -> None:
        first, _ = listener.accept()
        with first:
            received.append(first.recv(65536))
            first.sendall(OK)
            received.append(first.recv(65536))  # the second request comes on the kept-alive connection...
        second, _ = listener.accept()  # ...which was closed unanswered
        with second:
            received.append(second.recv(65536))
            second.sendall(OK)

    with socket.create_server(("127.0.0.1", 0)) as listener:
        thread = threading.Thread(target=serve, args=(listener,), daemon=True)
        thread.start()
        url = f"http://127.0.0.1:{listener.getsockname()[1]}/page"
        fetcher = make_fetcher(respect_robots=False, retries=0)
        first, second = fetcher.get(url), fetcher.get(url)
        thread.join(5)
    assert first.ok and second.ok, second.error
    assert second.attempts == 1
    assert len(received) == 3


def test_a_refused_connection_is_an_error(make_fetcher):
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    response = make_fetcher(retries=0, respect_robots=False).get(f"http://127.0.0.1:{port}/")
    assert not response.ok
    assert "Could not connect" in response.error


# -- size, type and time limits -------------------------------------------------------------------


@pytest.mark.parametrize("length", [True, False], ids=["content-length", "until-close"])
def test_oversize_body_is_cut_with_an_error(server, make_fetcher, length):
    url = server.reply("/huge", b"<p>" + b"x" * 5000, length=length)
    response = make_fetcher(max_bytes=1000).get(url)
    assert not response.ok
    assert "response larger than 1000 bytes" in response.error
    assert len(response.body) <= 1000


@pytest.mark.parametrize(
    "body, why",
    [(PNG, "PNG image"), (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "PDF"), (b"<html>\x00\x01\x02\x03" * 50, "NUL bytes")],
)
def test_binary_served_as_text_html_is_refused(server, make_fetcher, body, why):
    url = server.reply("/file", body, content_type="text/html")
    response = make_fetcher().get(url)
    assert not response.ok
    assert "binary file" in response.error
    assert why in response.error
    assert "served as text/html" in response.error


@pytest.mark.parametrize("content_type", ["image/png", "application/pdf", "application/octet-stream"])
def test_declared_binary_types_are_refused(server, make_fetcher, content_type):
    url = server.reply("/file", PNG, content_type=content_type)
    response = make_fetcher().get(url)
    assert f"declared as {content_type}" in response.error


@pytest.mark.parametrize(
    "body, content_type",
    [
        ('<?xml version="1.0" encoding="utf-16"?><rss><channel/></rss>'.encode("utf-16"), "application/rss+xml"),
        ("<rss><channel><title>Acme</title></channel></rss>".encode("utf-16-le"), "text/xml; charset=utf-16"),
        ("<rss><channel><title>Acme</title></channel></rss>".encode("utf-16-be"), "text/xml"),
    ],
)
def test_utf16_feeds_are_not_mistaken_for_binary(server, make_fetcher, body, content_type):
    url = server.reply("/feed", body, content_type=content_type)
    response = make_fetcher().get(url)
    assert response.ok, response.error
    assert response.body == body


@pytest.fixture
def tls_site(server):
    """The test server behind TLS, with a certificate for 127.0.0.1 from a throwaway CA; yields the CA."""
    import ssl

    import trustme

    ca = trustme.CA()
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1").configure_cert(context)
    server.httpd.socket = context.wrap_socket(server.httpd.socket, server_side=True)
    return ca


def _https(url: str) -> str:
    return url.replace("http://", "https://", 1)


def test_https_with_a_trusted_certificate_is_fetched(server, tls_site, make_fetcher):
    fetcher = make_fetcher()
    tls_site.configure_trust(fetcher._connections.context)  # trust the throwaway CA, as certifi trusts real ones
    url = _https(server.reply("/page"))
    response = fetcher.get(url)
    assert response.ok, response.error or response.skipped
    assert (response.url, response.body) == (url, PAGE.encode())
    assert server.paths() == ["/robots.txt", "/page"]


def test_an_untrusted_certificate_is_refused_with_a_clear_error(server, tls_site, make_fetcher):
    url = _https(server.reply("/page"))
    response = make_fetcher(retries=2, respect_robots=False).get(url)
    assert not response.ok
    assert "TLS certificate that could not be verified" in response.error
    assert response.attempts == 1  # not retried: waiting will not mend a certificate
    assert server.requests == []  # nothing was asked over the refused connection
    # With robots.txt respected, its fetch meets the same certificate and the site waits its turn.
    skipped = make_fetcher().get(url).skipped
    assert "robots.txt" in skipped and "certificate" in skipped


def test_slow_drip_is_cut_off_by_the_total_deadline(server, make_fetcher):
    stop = threading.Event()

    def drip(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html")
        handler.end_headers()
        for _ in range(200):  # a byte every 50 ms: each read is quick, the whole never ends
            if stop.wait(0.05):
                return
            handler.wfile.write(b"x")
            handler.wfile.flush()

    url = server.on("/drip", drip)
    try:
        response = make_fetcher(read_timeout=5, total_timeout=0.5, retries=2).get(url)
    finally:
        stop.set()
    assert not response.ok
    assert "took longer than 0.5 s in total" in response.error
    assert server.count("/drip") == 1  # a dripping server is not asked again in the same pass


def test_a_silent_server_is_cut_off_by_the_total_deadline_not_the_read_timeout(server, make_fetcher):
    release = threading.Event()
    url = server.on("/silent", lambda handler: release.wait(10))
    try:
        response = make_fetcher(read_timeout=10, total_timeout=0.5, retries=0).get(url)
    finally:
        release.set()
    assert "took longer than 0.5 s in total" in response.error


# -- concurrency ----------------------------------------------------------------------------------


def test_one_request_at_a_time_per_host(server):
    def hold(handler: BaseHTTPRequestHandler) -> None:
        server.overlap.wait(0.2)  # gives a second request the chance to arrive; returns at once if one did
        answer(200, PAGE)(handler)

    urls = [server.on(f"/p{i}", hold) for i in range(4)]
    with Fetcher(UA, allowed_hosts={"127.0.0.1"}, min_interval=0) as fetcher:
        responses = fetcher.get_many(urls, max_workers=4)
    assert all(r.ok for r in responses)
    assert server.max_active == 1
    assert not server.overlap.is_set()


def test_threads_sharing_a_fetcher_take_turns_on_a_host(server):
    def hold(handler: BaseHTTPRequestHandler) -> None:
        server.overlap.wait(0.2)
        answer(200, PAGE)(handler)

    urls = [server.on(f"/p{i}", hold) for i in range(3)]
    with Fetcher(UA, allowed_hosts={"127.0.0.1"}, min_interval=0) as fetcher:
        with ThreadPoolExecutor(max_workers=3) as pool:
            responses = list(pool.map(fetcher.get, urls))
    assert all(r.ok for r in responses)
    assert server.max_active == 1


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


# -- small pieces ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value, expected",
    [
        (None, (None, None)),
        ("text/html", ("text/html", None)),
        ("Text/HTML; Charset=UTF-8", ("text/html", "utf-8")),
        ("application/rss+xml; charset='windows-1252'", ("application/rss+xml", "windows-1252")),
        ("text/html; charset=", ("text/html", None)),
    ],
)
def test_parse_content_type(value, expected):
    assert parse_content_type(value) == expected


def test_a_refusal_names_the_rule_not_the_address_a_name_resolves_to(server):
    port = server.httpd.server_address[1]
    with Fetcher(UA, min_interval=0) as fetcher:
        response = fetcher.get(f"http://localhost:{port}/page")
    assert not response.ok
    assert "localhost is a loopback address, and loopback addresses are refused" in response.error
    assert "127.0.0.1" not in response.error and "::1" not in response.error
