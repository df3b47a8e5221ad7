"""The deadline transport: decoding, kept-alive connections, TLS, the total deadline (scrapers/http/transport.py)."""

from __future__ import annotations

import gzip
import re
import socket
import threading
import zlib
from http.server import BaseHTTPRequestHandler

import pytest

from scrapers.http.transport import Connections
from tests.http.local_server import OK, PAGE, answer


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


@pytest.mark.parametrize("coding", ["gzip, gzip", "deflate, gzip", "gzip, identity", "identity, x-gzip"])
def test_a_body_compressed_more_than_once_is_decoded_layer_by_layer(server, make_fetcher, coding):
    """RFC 9110 lists codings in the order they were applied; only the outer one was undone, and the page
    was refused as "a binary file (gzip-compressed data)"."""
    body = PAGE.encode()
    for name in coding.split(","):
        name = name.strip()
        body = zlib.compress(body) if name == "deflate" else body if name == "identity" else gzip.compress(body)
    url = server.reply("/twice", body, Content_Encoding=coding)
    response = make_fetcher().get(url)
    assert (response.error, response.body) == (None, PAGE.encode())


def test_a_gzip_body_of_several_members_is_read_whole(server, make_fetcher):
    """A gzip file may be members one after another (a server appending compressed pieces); gzip, urllib3
    and browsers read them all, and the page was cut after its first."""
    half = len(PAGE) // 2
    body = gzip.compress(PAGE[:half].encode()) + gzip.compress(PAGE[half:].encode())
    url = server.reply("/members", body, Content_Encoding="gzip")
    response = make_fetcher().get(url)
    assert (response.error, response.body) == (None, PAGE.encode())


def test_gzip_members_count_together_against_the_size_cap(server, make_fetcher):
    member = gzip.compress(b" " * 600_000)
    url = server.reply("/members-bomb", gzip.compress(b"<p>") + member * 3, Content_Encoding="gzip")
    response = make_fetcher(max_bytes=1_000_000).get(url)
    assert "response larger than 1000000 bytes" in response.error and response.body == b""


def test_a_bomb_compressed_twice_is_cut_at_the_size_cap_after_both_layers(server, make_fetcher):
    bomb = gzip.compress(gzip.compress(b"<p>" + b" " * 50_000_000))  # 50 MB that arrive as a few hundred bytes
    url = server.reply("/bomb", bomb, Content_Encoding="gzip, gzip")
    response = make_fetcher(max_bytes=1_000_000).get(url)
    assert "response larger than 1000000 bytes" in response.error and response.body == b""


@pytest.mark.parametrize(
    ("coding", "named"),
    [("br", "br"), ("zstd", "zstd"), ("gzip, br", "br"), ("compress", "compress"), ("x-\x1b[2J" * 50, "x-[2j")],
)
def test_a_body_in_a_coding_we_did_not_ask_for_is_refused_as_such_not_read_as_a_page(
    server, make_fetcher, coding, named
):
    """We ask for gzip or deflate; a server sending brotli anyway had its compressed bytes taken for the page:
    refused as "a binary file" (check the source URL: the wrong advice), or, in a stream of few control
    bytes (brotli keeps text it cannot shrink as it is), stored as the page's text."""
    brotli = b"\x0b\x3a\x80" + b"<p>Acme recalls toasters.</p>" * 4 + b"\x03"  # 3 control bytes in 120
    url = server.reply("/br", brotli, Content_Encoding=coding)
    response = make_fetcher().get(url)
    assert (response.status, response.body, response.attempts) == (200, b"", 1)
    assert response.error.startswith(f"{url} sent its body compressed as {named}")
    assert "which the tracker does not read" in response.error and "binary" not in response.error
    assert "\x1b" not in response.error and len(response.error) < 400


@pytest.mark.parametrize(("coding", "body"), [("br", b"\x0b\x3a\x80gone"), ("gzip", b"not gzip at all")])
def test_an_error_page_in_a_coding_we_cannot_read_still_says_its_status(server, make_fetcher, coding, body):
    """Three 404s in a row mark a source gone; the error page's own words are only shown, never needed."""
    url = server.reply("/gone", body, status=404, Content_Encoding=coding)
    response = make_fetcher().get(url)
    assert response.status == 404 and response.error.startswith(f"{url} answered HTTP 404 Not Found;")


def test_a_body_that_is_not_what_its_encoding_says_is_an_error(server, make_fetcher):
    url = server.reply("/fake-gzip", PAGE, Content_Encoding="gzip")
    response = make_fetcher(retries=0).get(url)
    assert not response.ok
    assert "sent a response we could not read" in response.error and url in response.error


def test_idle_connections_are_reused_then_dropped_after_keepalive(make_fetcher, monkeypatch):
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
        monkeypatch.setattr(Connections, "KEEPALIVE", 0.0)
        assert fetcher.get(url).ok
        fetcher.close()
        thread.join(5)
    assert requests == [0, 0, 1]  # two on one kept-alive connection; the third found it too old


def test_idle_connections_of_other_sites_are_closed_once_too_old(make_fetcher, monkeypatch):
    """A watch loop meets many sites: their idle connections do not pile up until the same site comes back."""
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
        monkeypatch.setattr(Connections, "KEEPALIVE", 0.0)
        assert fetcher.get(f"http://127.0.0.1:{two.getsockname()[1]}/page").ok
        assert closed.wait(5)  # the first site's idle connection was closed, though nothing went there again


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


def test_a_broken_response_is_an_error_not_a_crash(server, make_fetcher):
    def garbage(handler: BaseHTTPRequestHandler) -> None:
        handler.wfile.write(b"THIS IS NOT HTTP\r\n\r\n")

    url = server.on("/garbage", garbage)
    response = make_fetcher(retries=1, backoff=0).get(url)
    assert not response.ok
    assert response.status is None
    assert url in response.error
    assert server.count("/garbage") == 2


@pytest.mark.parametrize("lengths", [(4, 400), (400, 4)])
def test_an_answer_announcing_two_lengths_is_an_error_not_the_first_bytes_taken_for_the_page(
    server, make_fetcher, lengths
):
    """RFC 9112 makes differing Content-Lengths an unrecoverable error; the first was believed, and "<p>A",
    the page cut after four bytes, was stored as its text."""
    first, second = lengths

    def two_lengths(handler: BaseHTTPRequestHandler) -> None:
        handler.wfile.write(
            b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n"
            b"Content-Length: %d\r\nContent-Length: %d\r\nConnection: close\r\n\r\n<p>Acme</p>" % (first, second)
        )

    url = server.on("/two", two_lengths)
    response = make_fetcher(retries=0).get(url)
    assert response.body == b"" and response.error == (
        f"The connection to {url} failed (it announced two lengths, {first} and {second} bytes); "
        "the site may be having trouble."
    )


def test_an_answer_repeating_one_length_is_read(server, make_fetcher):
    """A proxy that repeats the header with the same length says nothing wrong."""

    def same_twice(handler: BaseHTTPRequestHandler) -> None:
        handler.wfile.write(
            b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n"
            b"Content-Length: 11\r\nContent-Length:  11\r\nConnection: close\r\n\r\n<p>Acme</p>"
        )

    response = make_fetcher(retries=0).get(server.on("/twice", same_twice))
    assert (response.error, response.body) == (None, b"<p>Acme</p>")


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


def _answering_slowly(route, release: threading.Event):
    """The route's answer, once the client has waited past its deadline (or the test ends)."""

    def slow(handler: BaseHTTPRequestHandler) -> None:
        release.wait(0.3)
        route(handler)

    return slow


def test_redirects_each_answered_just_in_time_are_cut_off_by_the_deadline_of_the_whole_fetch(server, make_fetcher):
    """Each hop had the deadline to itself: six hops answered just in time took six deadlines (three minutes
    at the default), and a 503 after them another three, for one page."""
    release = threading.Event()
    for n in range(6):
        server.on(f"/hop{n}", _answering_slowly(answer(302, "", Location=f"/hop{n + 1}"), release))
    server.on("/hop6", _answering_slowly(answer(503, "busy"), release))
    try:
        response = make_fetcher(total_timeout=0.5, retries=2, backoff=0, respect_robots=False).get(server.url("/hop0"))
    finally:
        release.set()
    assert server.paths() in (["/hop0"], ["/hop0", "/hop1"])  # one hop alone, on a busy machine, may take it all
    # A redirect answered is an answer begun: too slow in all, not silent (hop0 alone, on a busy machine, may not be).
    assert response.status is None and response.no_answer in ("answered too slowly", "gave no answer in time")
    assert response.error.startswith(f"{server.url('/hop0')} took longer than 0.5 s in total")
    assert response.error.endswith("the site is too slow: it will be tried again on a later pass.")


def test_retries_stop_once_the_fetch_has_taken_its_deadline(server, make_fetcher):
    release = threading.Event()
    url = server.on("/busy", _answering_slowly(answer(503, "busy"), release))
    try:
        response = make_fetcher(total_timeout=0.5, retries=5, backoff=0, respect_robots=False).get(url)
    finally:
        release.set()
    assert server.count("/busy") == response.attempts <= 2
    assert response.error.startswith(f"{url} ")


def test_a_silent_server_is_cut_off_by_the_total_deadline_not_the_read_timeout(server, make_fetcher):
    release = threading.Event()
    url = server.on("/silent", lambda handler: release.wait(10))
    try:
        response = make_fetcher(read_timeout=10, total_timeout=0.5, retries=0).get(url)
    finally:
        release.set()
    assert "took longer than 0.5 s in total" in response.error


class Resolver:
    """A name server for one test: `stalls.test` is 127.0.0.1, answered after `delay` s or not until released."""

    def __init__(self, delay: float | None = None, answered: int = 0) -> None:
        self.delay, self.answered = delay, answered  # the first `answered` lookups come at once
        self.release = threading.Event()
        self.lookups = 0

    def __call__(self, host: str, port: int, *args, **kwargs):
        self.lookups += 1
        if self.lookups > self.answered:
            self.release.wait(self.delay if self.delay is not None else 60)
        return socket.getaddrinfo("127.0.0.1", port, *args, **kwargs)


def _fetch_in_a_thread(fetcher, url: str):
    """The fetch's response, or None if it did not come back within 20 s (the fetch had no deadline at all)."""
    got = []
    thread = threading.Thread(target=lambda: got.append(fetcher.get(url)), daemon=True)
    thread.start()
    thread.join(20)
    return got[0] if got else None


@pytest.mark.parametrize("answered", [0, 1], ids=["checking the address", "connecting"])
def test_a_resolver_that_never_answers_costs_a_fetch_its_deadline_not_for_ever(server, make_fetcher, answered):
    """A name server that takes the question and never answers held the fetch (and a scrape pass with it)
    for as long as it kept silent: no deadline of ours covered the lookup, before a request or as it connected."""
    url = server.reply("/page").replace("127.0.0.1", "stalls.test")
    resolver = Resolver(answered=answered)
    fetcher = make_fetcher(
        allowed_hosts={"stalls.test"}, lookup=resolver, total_timeout=0.5, retries=0, respect_robots=False
    )
    try:
        response = _fetch_in_a_thread(fetcher, url)
    finally:
        resolver.release.set()
    assert response is not None, "the fetch waited on the resolver past 20 s"
    assert (response.status, response.skipped, response.no_answer) == (None, None, "gave no answer in time")
    assert "stalls.test" in response.error and "in time" in response.error
    assert server.count("/page") == 0


def _lookup_threads(host: str = "") -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name.startswith(f"lookup {host}")]


def test_a_host_whose_lookup_still_hangs_fails_at_once_without_another_lookup(server, make_fetcher):
    """Each fetch to a host whose name server kept silent started one more lookup thread, each left until the
    system resolver gave up: a feed linking a hundred pages of that host, or watch's passes, piled them up."""
    url = server.reply("/page").replace("127.0.0.1", "stalls.test")
    resolver = Resolver()
    settings = {"allowed_hosts": {"stalls.test"}, "total_timeout": 0.5, "retries": 0, "respect_robots": False}
    fetchers = [make_fetcher(lookup=resolver, **settings) for _ in range(2)]  # a fetcher per ingest, say
    try:
        first = _fetch_in_a_thread(fetchers[0], url)
        again = [fetcher.get(url) for fetcher in fetchers for _ in range(3)]
        hung = _lookup_threads("stalls.test")
    finally:
        resolver.release.set()
    assert first is not None and first.no_answer == "gave no answer in time"
    assert {r.error for r in again} == {first.error} and {r.no_answer for r in again} == {first.no_answer}
    assert (resolver.lookups, len(hung)) == (1, 1)
    hung[0].join(10)  # the name server answers at last: the host is looked up again, and fetched
    assert fetchers[0].get(url).ok and resolver.lookups == 3  # checking the address, then connecting


def test_lookups_that_hang_on_many_hosts_are_bounded_in_all(server, make_fetcher):
    """One hung lookup per host still grows with the hosts a feed links: past a bound, no more are started."""
    from scrapers.http.guard import HUNG_LOOKUPS

    resolver = Resolver()
    fetcher = make_fetcher(allow_private=True, lookup=resolver, total_timeout=0.1, retries=0, respect_robots=False)
    urls = [server.reply("/page").replace("127.0.0.1", f"stalls{n}.test") for n in range(HUNG_LOOKUPS + 5)]
    try:
        responses = [fetcher.get(url) for url in urls]
        hung = _lookup_threads("stalls")
    finally:
        resolver.release.set()
    assert all(r.no_answer == "gave no answer in time" for r in responses)
    assert resolver.lookups == len(hung) == HUNG_LOOKUPS
    assert f"stalls{len(urls) - 1}.test" in responses[-1].error
    for thread in hung:
        thread.join(10)


@pytest.mark.parametrize("slow", ["robots.txt", "lookup"])
def test_a_fetch_s_deadline_counts_its_robots_txt_and_its_name_lookups(server, make_fetcher, slow):
    """robots.txt and each name lookup had time of their own besides the fetch's deadline: a robots.txt (or a
    lookup) answered just in time, then the page just in time, took twice the deadline, and a fetch could take
    a deadline for robots.txt, one per lookup and one per request."""
    release = threading.Event()
    if slow == "robots.txt":  # robots.txt, then the page, each answered 0.3 s after it is asked for
        server.on("/robots.txt", _answering_slowly(answer(200, "User-agent: *\nAllow: /\n"), release))
        page = server.on("/page", _answering_slowly(answer(200, PAGE), release))
        fetcher = make_fetcher(total_timeout=0.5, read_timeout=5, retries=0)
    else:  # the name checked, then looked up again to connect, each answered in 0.3 s; the page at once
        page = server.reply("/page").replace("127.0.0.1", "stalls.test")
        resolver = Resolver(delay=0.3)
        release = resolver.release
        fetcher = make_fetcher(
            allowed_hosts={"stalls.test"}, lookup=resolver, total_timeout=0.5, retries=0, respect_robots=False
        )
    try:
        response = fetcher.get(page)
    finally:
        release.set()
    assert not response.ok
    assert response.error.startswith(f"{page} took longer than 0.5 s in total"), response.error
    assert response.no_answer == "gave no answer in time"
    if slow == "robots.txt":  # one sentence: "took longer than 1 s in total 0.1 s of it reading robots.txt" was not
        assert re.search(r" in total, 0\.\d s of it reading robots\.txt; the site is too slow: ", response.error)


@pytest.mark.parametrize("status", [200, 404])
def test_a_body_shorter_than_its_content_length_is_an_error_not_a_page(server, make_fetcher, status):
    """A server that closes before the length it announced sent a cut page: storing it would be a false revision.

    An error page cut short still counts by its status (a 404 three times marks the source gone).
    """

    def cut(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(status)
        handler.send_header("Content-Type", "text/html; charset=utf-8")
        handler.send_header("Content-Length", str(len(PAGE) + 500))
        handler.end_headers()
        handler.wfile.write(PAGE.encode())  # then the connection closes, 500 bytes short

    url = server.on("/cut", cut)
    response = make_fetcher(retries=0).get(url)
    assert not response.ok
    if status == 200:
        assert url in response.error and f"closed after {len(PAGE)} of the {len(PAGE) + 500} bytes" in response.error
    else:
        assert response.status == 404 and "HTTP 404 Not Found" in response.error


@pytest.mark.parametrize("encoding", ["gzip", "deflate"])
def test_a_compressed_body_that_ends_mid_stream_is_an_error_not_a_page(server, make_fetcher, encoding):
    """The framing is whole but the compressed stream stops early: what it decodes to is a cut page."""
    page = ("<html><body>" + "<p>Acme Widgets recalled a product.</p>" * 2000 + "</body></html>").encode()
    packed = gzip.compress(page) if encoding == "gzip" else zlib.compress(page)
    url = server.reply("/cut", packed[: len(packed) // 2], Content_Encoding=encoding)
    response = make_fetcher(retries=0).get(url)
    assert not response.ok
    assert url in response.error and f"its {encoding} stream ends early" in response.error
