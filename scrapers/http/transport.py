"""The deadline transport: kept-alive connections on guarded sockets, every read held to a total deadline.

The standard library's http.client, its sockets and connections subclassed so
that the address guard and the total deadline hold on every connection and
read (Connections says why not a client library). Bodies are decoded here
(gzip, deflate, one layer after another) in bounded pieces, so a size cap
holds after decoding too.
"""

from __future__ import annotations

import functools
import http.client
import socket
import ssl
import threading
import time
import zlib
from collections.abc import Callable, Iterator

import certifi
from urllib3.util import Url

from scrapers.http.guard import CONTROL_CHARS, AddressGuard, LookupTimeout, UnresolvableHost, os_words, port

READ_CHUNK = 64 * 1024
ACCEPT_ENCODING = "gzip, deflate"  # what every request asks for (but a ranged one: identity)
DECODED = ("gzip", "x-gzip", "deflate")  # the codings read: those asked for, and gzip's older name


class _Deadline(threading.local):
    """The overall deadline of the request this thread is making, applied to every socket operation.

    Socket timeouts apply to each operation, so a server dripping a byte
    every 50 ms would never trip them; clamping each one to the time left does.
    """

    at: float | None = None
    binding: bool = False  # the last operation's timeout was cut short by the deadline

    def clamp(self, timeout: float | None) -> float | None:
        if self.at is None:
            return timeout
        remaining = max(self.at - time.monotonic(), 0.001)
        self.binding = timeout is None or remaining < timeout
        return remaining if self.binding else timeout


deadline = _Deadline()  # a thread makes one request at a time, whichever Fetcher it is for


class _DeadlineSocketMixin:
    """Each read and write waits what was asked (via settimeout) or the time left, whichever is shorter."""

    __slots__ = ()
    _asked: float | None = None

    def settimeout(self, timeout: float | None) -> None:
        self._asked = timeout
        super().settimeout(deadline.clamp(timeout))

    def recv_into(self, *args) -> int:
        super().settimeout(deadline.clamp(self._asked))
        return super().recv_into(*args)

    def sendall(self, *args) -> None:
        super().settimeout(deadline.clamp(self._asked))
        return super().sendall(*args)


class _DeadlineSocket(_DeadlineSocketMixin, socket.socket):
    pass


class _DeadlineSSLSocket(_DeadlineSocketMixin, ssl.SSLSocket):
    pass


class _FinalResponse(http.client.HTTPResponse):
    """A response read past any interim (1xx) answers before it, as RFC 9110 asks clients to.

    http.client skips only 100 Continue. A 103 Early Hints taken for the
    answer failed the page, and left the real one unread on a connection
    kept for the next request, which was then given this page as its own.
    A server sending interim answers without end is stopped by the deadline.
    """

    def _read_status(self) -> tuple[str, int, str]:
        while True:
            version, status, reason = super()._read_status()
            if not 100 <= status < 200:
                return version, status, reason
            http.client.parse_headers(self.fp)  # the interim answer's headers, held to http.client's limits
            if deadline.at is not None and time.monotonic() > deadline.at:
                raise TimeoutError("total deadline passed")


class _GuardedConnectionMixin:
    """Connects only to addresses the guard has just approved, so the check and the connection agree."""

    guard: AddressGuard

    def _guarded_socket(self) -> socket.socket:
        try:
            # The lookup is part of connecting: held to the connect timeout and the request's deadline.
            addresses = self.guard.resolve(self.host, self.port, deadline.clamp(self.timeout))
        except LookupTimeout as exc:
            raise LookupTimedOut(str(exc)) from exc
        except UnresolvableHost as exc:
            raise ConnectFailed(str(exc)) from exc
        connect_port = self.guard.connect_port(self.host, self.port)
        failure: OSError | None = None
        for address in addresses:  # numeric: getaddrinfo only supplies the family and any IPv6 scope
            family, kind, proto, _, sockaddr = socket.getaddrinfo(
                address, connect_port, type=socket.SOCK_STREAM, flags=socket.AI_NUMERICHOST
            )[0]
            sock = _DeadlineSocket(family, kind, proto)
            try:
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                sock.settimeout(self.timeout)
                sock.connect(sockaddr)
                return sock
            except OSError as exc:
                sock.close()
                failure = exc
        if isinstance(failure, TimeoutError):
            raise failure
        raise ConnectFailed(os_words(failure)) from failure


class _GuardedHTTPConnection(_GuardedConnectionMixin, http.client.HTTPConnection):
    response_class = _FinalResponse

    def connect(self) -> None:
        self.sock = self._guarded_socket()


class _GuardedHTTPSConnection(_GuardedConnectionMixin, http.client.HTTPSConnection):
    response_class = _FinalResponse

    def connect(self) -> None:
        self.sock = self._context.wrap_socket(self._guarded_socket(), server_hostname=self.host)


class ConnectFailed(OSError):
    """No connection could be made (refused, unreachable, no address); the words say which."""


class ConnectTimeout(TimeoutError):
    """The connection (or its TLS handshake) was not made in time."""


class LookupTimedOut(ConnectTimeout):
    """The host's name was not resolved in time to connect; the words say so."""


class Undecodable(Exception):
    """A body whose Content-Encoding does not match its bytes."""


class UnaskedEncoding(Undecodable):
    """A body in a Content-Encoding we did not ask for and do not read (brotli, zstd); the words name it."""


class Connections:
    """Kept-alive connections per origin, on guarded sockets; one request at a time on each.

    http.client rather than a client library: a scrape pass makes thousands
    of requests, and against http.client's CPU per request (10 KB pages on
    loopback) urllib3 cost twice as much and httpx four times, all of it
    taken from parsing on a busy core (docs/performance.md, "Ingest"). What
    the libraries would add is done here: connections reused per origin and
    dropped after KEEPALIVE seconds idle, a request that meets a kept-alive
    connection the server has just closed sent once more on a fresh one, TLS
    verified against certifi's bundle, no proxy or environment settings.
    Redirects and retries are the Fetcher's.
    """

    KEEPALIVE = 5.0  # seconds an idle connection is kept; servers commonly close theirs after 5 to 15

    def __init__(self, guard: AddressGuard, connect_timeout: float, read_timeout: float) -> None:
        self.guard = guard
        self.connect_timeout = connect_timeout
        self.read_timeout = read_timeout
        self.context = ssl.create_default_context(cafile=certifi.where())
        self.context.sslsocket_class = _DeadlineSSLSocket
        self._idle: dict[tuple[str, str, int], list[tuple[http.client.HTTPConnection, float]]] = {}
        self._swept = time.monotonic()
        self._lock = threading.Lock()

    def open(self, parsed: Url, path: str, headers: dict[str, str]) -> tuple[http.client.HTTPResponse, Callable]:
        """Send a GET; returns the response and `release(keep)`, to call once done with it.

        release(keep=True) keeps the connection for the origin's next request
        if the response was read to its end; keep=False (the exchange failed)
        closes it.
        """
        key = (parsed.scheme, parsed.host, port(parsed))
        conn = self._take(key)
        if conn is not None:
            try:
                response = self._exchange(conn, path, headers)
            except (ConnectionError, http.client.RemoteDisconnected):  # closed unanswered: not the site failing
                conn.close()
                conn = None
        if conn is None:
            conn = self._connect(key)
            try:
                response = self._exchange(conn, path, headers)
            except BaseException:
                conn.close()
                raise
        return response, functools.partial(self._release, key, conn, response)

    def close(self) -> None:
        with self._lock:
            idle, self._idle = self._idle, {}
        for conns in idle.values():
            for conn, _ in conns:
                conn.close()

    def _take(self, key) -> http.client.HTTPConnection | None:
        now = time.monotonic()
        with self._lock:
            conns = self._idle.get(key)
            while conns:
                conn, since = conns.pop()
                if now - since < self.KEEPALIVE:
                    return conn
                conn.close()
        return None

    def _release(self, key, conn: http.client.HTTPConnection, response: http.client.HTTPResponse, keep: bool) -> None:
        reusable = keep and not response.will_close and (response.isclosed() or response.length == 0)
        response.close()  # its file holds the socket open until it is closed too
        if not reusable:  # a body left unread, or the server's close
            conn.close()
            return
        now = time.monotonic()
        with self._lock:
            self._idle.setdefault(key, []).append((conn, now))
            if now - self._swept > self.KEEPALIVE:
                self._sweep(now)

    def _sweep(self, now: float) -> None:
        """Close every connection idle too long, whatever its origin: a watch loop meets thousands of hosts."""
        self._swept = now
        for key, conns in list(self._idle.items()):
            kept = []
            for conn, since in conns:
                if now - since < self.KEEPALIVE:
                    kept.append((conn, since))
                else:
                    conn.close()
            if kept:
                self._idle[key] = kept
            else:
                del self._idle[key]

    def _connect(self, key) -> http.client.HTTPConnection:
        scheme, host, port = key
        if scheme == "https":
            conn = _GuardedHTTPSConnection(host, port, timeout=self.connect_timeout, context=self.context)
        else:
            conn = _GuardedHTTPConnection(host, port, timeout=self.connect_timeout)
        conn.guard = self.guard
        try:
            conn.connect()
        except ConnectTimeout:
            raise
        except TimeoutError as exc:
            raise ConnectTimeout(f"connecting to {host} timed out") from exc
        return conn

    def _exchange(self, conn: http.client.HTTPConnection, path: str, headers: dict[str, str]):
        conn.sock.settimeout(self.read_timeout)
        conn.request("GET", path, headers=headers)
        return conn.getresponse()


def body_chunks(response: http.client.HTTPResponse, encoding: str) -> Iterator[bytes]:
    """The body, decoded, in pieces of at most READ_CHUNK bytes: a cap holds for a gzip bomb too.

    `encoding` is the Content-Encoding: its codings in the order they were
    applied (RFC 9110), each undone in turn, outermost first ("gzip, gzip"
    is a page compressed twice). We ask for gzip and deflate only; a coding
    beyond them (brotli, zstd) is refused by name rather than its compressed
    bytes taken for the page.
    """
    codings = [c.strip() for c in encoding.lower().split(",") if c.strip() not in ("", "identity")]
    for coding in codings:
        if coding not in DECODED:
            shown = CONTROL_CHARS.sub("", coding)[:40]
            raise UnaskedEncoding(f"{shown}, which the tracker does not read (it asks for gzip or deflate)")
    chunks = _raw_chunks(response)
    for coding in reversed(codings):
        chunks = _inflated(chunks, coding)
    yield from chunks


def _inflated(raw: Iterator[bytes], encoding: str) -> Iterator[bytes]:
    """One gzip or deflate layer undone, in pieces of at most READ_CHUNK bytes however much each piece inflates.

    A gzip body may be several members one after another, read as one (as
    gzip and urllib3 read them); what follows the last one, NUL padding or
    bytes that start no member, is left unread, as urllib3 leaves it.
    """
    decoder = zlib.decompressobj(47)  # a gzip or zlib header, told apart by the decoder
    started = False
    for chunk in raw:
        while chunk:
            if decoder.eof:
                chunk = chunk.lstrip(b"\x00")
                if encoding not in ("gzip", "x-gzip") or not chunk.startswith(b"\x1f\x8b"[: len(chunk)]):
                    return
                decoder = zlib.decompressobj(31)  # the next member
            try:
                out = decoder.decompress(chunk, READ_CHUNK)
            except zlib.error as exc:
                if encoding == "deflate" and not started:  # "deflate" sent raw, without its zlib header
                    decoder = zlib.decompressobj(-zlib.MAX_WBITS)
                    continue
                raise Undecodable(f"its {encoding} encoding is broken ({exc})") from exc
            started = True
            chunk = decoder.unused_data if decoder.eof else decoder.unconsumed_tail
            if out:
                yield out
    if started and not decoder.eof:  # the connection ended before the compressed stream did: a cut page
        raise Undecodable(f"its {encoding} stream ends early")


def _raw_chunks(response: http.client.HTTPResponse) -> Iterator[bytes]:
    """The body as sent, raising if a 2xx body ends before the Content-Length it announced.

    http.client's read1 ends such a body quietly, and a page cut short would
    be stored as a revision the site never published. An error page cut short
    still says what its status says.
    """
    received = 0
    while chunk := response.read1(READ_CHUNK):
        received += len(chunk)
        yield chunk
    if response.length and 200 <= response.status < 300:
        announced = received + response.length
        raise http.client.HTTPException(f"it closed after {received} of the {announced} bytes it announced")


def read_headers(response: http.client.HTTPResponse) -> dict[str, str]:
    """Lower-case names; a repeated header's values joined with commas, as HTTP allows.

    Raises if the answer announces two lengths: http.client reads the body
    to the first, and RFC 9112 makes that an unrecoverable error (a page cut
    short, or the next answer on the connection taken for its rest).
    """
    headers: dict[str, str] = {}
    for name, value in response.getheaders():
        name, value = name.lower(), _header_text(value)
        headers[name] = f"{headers[name]}, {value}" if name in headers else value
    lengths = list(dict.fromkeys(v.strip() for v in headers.get("content-length", "").split(",") if v.strip()))
    if len(lengths) > 1:
        first, second = (CONTROL_CHARS.sub("", length)[:20] for length in lengths[:2])
        raise http.client.HTTPException(f"it announced two lengths, {first} and {second} bytes")
    return headers


def _header_text(value: str) -> str:
    """A header value as sent: http.client reads headers as latin-1, but servers send UTF-8 (in a Location, say)."""
    if value.isascii():
        return value
    try:
        return value.encode("latin-1").decode("utf-8")
    except UnicodeError:
        return value
