"""The one HTTP client every scraper uses: polite to the sites, safe with the URLs reporters type in.

Fetching is kept apart from parsing: `Fetcher.get` turns a URL into a
`Response` (bytes plus what we learned on the way) and never raises for
network or HTTP trouble, so one bad source cannot stop a scrape pass. The
caller records `error` or `skipped` per source and moves on.

The transport is the standard library's http.client, its sockets and
connections subclassed so that the address guard and the total deadline below
hold on every connection and read (_Connections says why not a client
library). URLs are parsed and host names IDNA-encoded by urllib3's parse_url.

What "polite" means here:
- an identifying User-Agent (with a contact URL, from the configuration);
- robots.txt honoured per site, including Crawl-delay (see scrapers/robots.py
  for what each robots.txt answer means);
- at most one request at a time per host and a minimum interval between two
  requests to it; different hosts are fetched concurrently by `get_many`;
- retries with exponential backoff on timeouts, 429 and 5xx, honouring
  Retry-After; a host that asks us to wait longer than `max_wait` is not
  contacted again by this fetcher until that time has passed;
- conditional GET, so an unchanged page costs the site a 304 and us no parsing.

What "safe" means: only http and https; every address a host resolves to is
checked, on every redirect hop and again at connect time (so DNS answers that
change between the check and the connection cannot reach the newsroom's own
network); responses are capped in size and in total time; binary files are
refused even when served as text/html.
"""

from __future__ import annotations

import base64
import email.utils
import functools
import http.client
import ipaddress
import math
import re
import socket
import ssl
import threading
import time
import zlib
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http import HTTPStatus
from urllib.parse import unquote, urljoin

import certifi
from urllib3.exceptions import LocationParseError
from urllib3.util import Url, parse_url

from scrapers import robots
from scrapers.sniff import binary_kind

__all__ = ["AddressRefused", "Clock", "Fetcher", "Response", "address_problem", "parse_content_type"]

ACCEPT = (
    "text/html,application/xhtml+xml,application/rss+xml,application/atom+xml,"
    "application/xml;q=0.9,text/xml;q=0.9,text/plain;q=0.8,*/*;q=0.5"
)
REDIRECT_STATUSES = {301, 302, 303, 307, 308}
# How much of an error page (4xx/5xx) we read: enough to show a human, not the whole thing.
ERROR_BODY_BYTES = 64 * 1024
READ_CHUNK = 64 * 1024

BINARY_MAJOR_TYPES = {"image", "audio", "video", "font", "model"}
BINARY_TYPES = {
    "application/octet-stream",
    "application/pdf",
    "application/zip",
    "application/x-zip-compressed",
    "application/gzip",
    "application/x-gzip",
    "application/x-tar",
    "application/x-bzip2",
    "application/x-xz",
    "application/x-7z-compressed",
    "application/x-rar-compressed",
    "application/vnd.rar",
    "application/java-archive",
    "application/msword",
    "application/x-msdownload",
    "application/x-shockwave-flash",
    "application/wasm",
}
CONTROL_CHARS = re.compile(r"[\x00-\x1f\x7f]")
HOST_CHARS = re.compile(r"^(?:[A-Za-z0-9_.-]+|[0-9A-Fa-f:.]+(?:%[A-Za-z0-9]+)?)$")
NAT64_PREFIX = ipaddress.IPv6Network("64:ff9b::/96")


@dataclass
class Response:
    """What came back for one URL; `error` or `skipped` say why nothing usable did."""

    url: str  # final URL after redirects
    status: int | None  # None when no HTTP answer (timeout, refused, skipped)
    headers: dict[str, str]  # lower-case names
    body: bytes
    content_type: str | None  # e.g. 'text/html'
    charset: str | None  # declared in Content-Type, if any
    elapsed_ms: int  # time on the network, politeness waits excluded
    not_modified: bool = False  # 304 after a conditional GET: nothing to parse
    error: str | None = None  # a sentence naming the URL and what to do
    skipped: str | None = None  # e.g. 'disallowed by robots.txt': we chose not to ask
    etag: str | None = None
    last_modified: str | None = None
    attempts: int = 0  # HTTP requests made for the final hop (1 + retries)
    retry_after: float | None = None  # seconds the site asked us to wait, when it did

    @property
    def ok(self) -> bool:
        """True when the body can be parsed, or when it is unchanged (not_modified)."""
        return self.error is None and self.skipped is None and self.status is not None


class Clock:
    """Monotonic time and sleeping, replaceable in tests so politeness waits need not be real."""

    def now(self) -> float:
        return time.monotonic()

    def sleep(self, seconds: float) -> None:
        if seconds > 0:
            time.sleep(seconds)


class AddressRefused(Exception):
    """A host resolves to an address reporters' URLs may not reach (the newsroom's own network)."""

    def __init__(self, host: str, address: str, kind: str) -> None:
        self.host, self.address, self.kind = host, address, kind
        # The rule, never the address: what a name resolves to inside the newsroom is not staff's business
        # (nor a way to map the internal network one refusal at a time).
        super().__init__(f"{host} is a {kind} address, and {kind} addresses are refused")


class UnresolvableHost(Exception):
    """DNS has no address for the host."""


def parse_content_type(value: str | None) -> tuple[str | None, str | None]:
    """('text/html', 'iso-8859-1') from 'text/html; charset="ISO-8859-1"'."""
    if not value:
        return None, None
    mime, *params = value.split(";")
    charset = None
    for param in params:
        name, _, val = param.partition("=")
        if name.strip().lower() == "charset":
            charset = val.strip().strip("\"'").strip().lower() or None
    return mime.strip().lower() or None, charset


def address_problem(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str | None:
    """Why an address must not be fetched from ('loopback', 'private', ...), or None if it is public."""
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return address_problem(ip.ipv4_mapped)
        embedded = [ip.sixtofour]
        if ip.teredo is not None:
            embedded.append(ip.teredo[1])
        if ip in NAT64_PREFIX:
            embedded.append(ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF))
        for inner in embedded:
            if inner is not None and (problem := address_problem(inner)):
                return problem
        if ip.is_site_local:
            return "site-local"
    checks = (
        ("is_unspecified", "unspecified"),
        ("is_loopback", "loopback"),
        ("is_link_local", "link-local"),
        ("is_multicast", "multicast"),
        ("is_reserved", "reserved"),
        ("is_private", "private"),
    )
    for attribute, kind in checks:
        if getattr(ip, attribute):
            return kind
    if not ip.is_global:
        return "non-public"
    return None


class AddressGuard:
    """Resolves host names and refuses non-public addresses unless the configuration allows them."""

    CHECKED_FOR = 60.0  # seconds a host's approval stands for check(); connections always resolve afresh

    def __init__(self, allow_private: bool, allowed_hosts: set[str] | frozenset[str]) -> None:
        self.allow_private = allow_private
        self.allowed_hosts = {_normal_host(h) for h in allowed_hosts}
        self._approved: dict[tuple[str, int], float] = {}

    def check(self, host: str, port: int) -> None:
        """resolve() before a request, its approval remembered for a minute.

        A resolver call per request would cost more than the request on a
        kept-alive connection. Remembering is safe: a new connection resolves
        and checks again as it connects (_GuardedConnectionMixin), and a
        kept-alive one stays with the address it was approved for.
        Refusals are not remembered.
        """
        key = (host, port)
        if self._approved.get(key, -math.inf) > time.monotonic():
            return
        self.resolve(host, port)
        self._approved[key] = time.monotonic() + self.CHECKED_FOR

    def resolve(self, host: str, port: int) -> list[str]:
        """Every address of `host`, refusing the lot if any one of them is not public."""
        host = _normal_host(host)
        try:
            infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except (OSError, UnicodeError) as exc:
            raise UnresolvableHost(f"{host} could not be resolved ({exc})") from exc
        addresses = list(dict.fromkeys(info[4][0] for info in infos))
        if self.allow_private or host in self.allowed_hosts:
            return addresses
        for address in addresses:
            problem = address_problem(ipaddress.ip_address(address.split("%", 1)[0]))
            if problem:
                raise AddressRefused(host, address, problem)
        return addresses


def _normal_host(host: str) -> str:
    return host.strip().lower().rstrip(".").strip("[]")


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


_deadline = _Deadline()  # a thread makes one request at a time, whichever Fetcher it is for


class _DeadlineSocketMixin:
    """Each read and write waits what was asked (via settimeout) or the time left, whichever is shorter."""

    __slots__ = ()
    _asked: float | None = None

    def settimeout(self, timeout: float | None) -> None:
        self._asked = timeout
        super().settimeout(_deadline.clamp(timeout))

    def recv_into(self, *args) -> int:
        super().settimeout(_deadline.clamp(self._asked))
        return super().recv_into(*args)

    def sendall(self, *args) -> None:
        super().settimeout(_deadline.clamp(self._asked))
        return super().sendall(*args)


class _DeadlineSocket(_DeadlineSocketMixin, socket.socket):
    pass


class _DeadlineSSLSocket(_DeadlineSocketMixin, ssl.SSLSocket):
    pass


class _GuardedConnectionMixin:
    """Connects only to addresses the guard has just approved, so the check and the connection agree."""

    guard: AddressGuard

    def _guarded_socket(self) -> socket.socket:
        try:
            addresses = self.guard.resolve(self.host, self.port)
        except UnresolvableHost as exc:
            raise _ConnectFailed(str(exc)) from exc
        failure: OSError | None = None
        for address in addresses:  # numeric: getaddrinfo only supplies the family and any IPv6 scope
            family, kind, proto, _, sockaddr = socket.getaddrinfo(
                address, self.port, type=socket.SOCK_STREAM, flags=socket.AI_NUMERICHOST
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
        raise _ConnectFailed(str(failure)) from failure


class _GuardedHTTPConnection(_GuardedConnectionMixin, http.client.HTTPConnection):
    def connect(self) -> None:
        self.sock = self._guarded_socket()


class _GuardedHTTPSConnection(_GuardedConnectionMixin, http.client.HTTPSConnection):
    def connect(self) -> None:
        self.sock = self._context.wrap_socket(self._guarded_socket(), server_hostname=self.host)


class _ConnectFailed(OSError):
    """No connection could be made (refused, unreachable, no address); the words say which."""


class _ConnectTimeout(TimeoutError):
    """The connection (or its TLS handshake) was not made in time."""


class _Undecodable(Exception):
    """A body whose Content-Encoding does not match its bytes."""


class _Connections:
    """Kept-alive connections per origin, on guarded sockets; one request at a time on each.

    http.client rather than a client library: a scrape pass makes thousands
    of requests, and against http.client's CPU per request (10 KB pages on
    loopback) urllib3 cost twice as much and httpx four times, all of it
    taken from parsing on a busy core (README, "Ingest, measured"). What
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
        key = (parsed.scheme, parsed.host, _port(parsed))
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
        except TimeoutError as exc:
            raise _ConnectTimeout(f"connecting to {host} timed out") from exc
        return conn

    def _exchange(self, conn: http.client.HTTPConnection, path: str, headers: dict[str, str]):
        conn.sock.settimeout(self.read_timeout)
        conn.request("GET", path, headers=headers)
        return conn.getresponse()


def _body_chunks(response: http.client.HTTPResponse, encoding: str) -> Iterator[bytes]:
    """The body, decoded (gzip, deflate), in pieces of at most READ_CHUNK bytes: a cap holds for a gzip bomb too."""
    raw = iter(functools.partial(response.read1, READ_CHUNK), b"")
    if encoding not in ("gzip", "x-gzip", "deflate"):
        yield from raw
        return
    decoder = zlib.decompressobj(47)  # a gzip or zlib header, told apart by the decoder
    started = False
    for chunk in raw:
        while chunk:
            try:
                out = decoder.decompress(chunk, READ_CHUNK)
            except zlib.error as exc:
                if encoding == "deflate" and not started:  # "deflate" sent raw, without its zlib header
                    decoder = zlib.decompressobj(-zlib.MAX_WBITS)
                    continue
                raise _Undecodable(f"its {encoding} encoding is broken ({exc})") from exc
            started, chunk = True, decoder.unconsumed_tail
            if out:
                yield out
            if decoder.eof:
                return


@dataclass
class _HostSlot:
    """One host's turn: a lock so one request runs at a time, and when the next may start."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    next_allowed: float = -math.inf
    why_waiting: str = ""


@dataclass
class _Reply:
    """One HTTP exchange (no retries, no redirects)."""

    url: str
    status: int | None = None
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    error: str | None = None
    skipped: str | None = None
    retryable: bool = False
    retry_after: float | None = None
    location: str | None = None
    elapsed: float = 0.0
    attempts: int = 1


class Fetcher:
    """Fetches URLs politely and safely; one instance per scrape pass or per process, shared by threads.

    Settings come from the caller (tracker.config): this package imports nothing from tracker/.
    """

    def __init__(
        self,
        user_agent: str,
        *,
        allow_private: bool = False,
        allowed_hosts: set[str] | frozenset[str] = frozenset(),
        connect_timeout: float = 10,
        read_timeout: float = 20,
        max_bytes: int = 10_000_000,
        max_redirects: int = 5,
        min_interval: float = 1.0,
        retries: int = 2,
        backoff: float = 1.0,
        respect_robots: bool = True,
        total_timeout: float = 60.0,
        max_wait: float = 60.0,
        robots_ttl: float = 3600.0,
        robots_error_ttl: float = 600.0,
        clock: Clock | None = None,
    ) -> None:
        """
        total_timeout: the most one request may take from sending to the last body byte.
        max_wait: the longest we wait for a host's turn (Crawl-delay, Retry-After, backoff); a longer
            wait returns an error or `skipped` instead of blocking the pass.
        robots_ttl / robots_error_ttl: how long robots.txt is cached, and how long an unreadable one
            (5xx, 429, network error) keeps the site disallowed before we ask again.
        clock: monotonic time and sleep used for every politeness wait.
        """
        self.user_agent = user_agent
        self.robots_token = robots.product_token(user_agent)
        self.allow_private = allow_private
        self.connect_timeout = connect_timeout
        self.read_timeout = read_timeout
        self.max_bytes = max_bytes
        self.max_redirects = max_redirects
        self.min_interval = min_interval
        self.retries = retries
        self.backoff = backoff
        self.respect_robots = respect_robots
        self.total_timeout = total_timeout
        self.max_wait = max_wait
        self.robots_ttl = robots_ttl
        self.robots_error_ttl = robots_error_ttl
        self.clock = clock or Clock()
        self.guard = AddressGuard(allow_private, allowed_hosts)
        self._headers = {"User-Agent": user_agent, "Accept": ACCEPT, "Accept-Encoding": "gzip, deflate"}
        self._connections = _Connections(self.guard, connect_timeout, read_timeout)
        self._lock = threading.Lock()
        self._slots: dict[str, _HostSlot] = {}
        self._robots: dict[str, robots.RobotsRules] = {}
        self._robots_locks: dict[str, threading.Lock] = {}

    def close(self) -> None:
        self._connections.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    # -- the public API -------------------------------------------------------------------------

    def get(self, url: str, *, etag: str | None = None, last_modified: str | None = None) -> Response:
        """Fetch one URL, following redirects; never raises for network or HTTP problems."""
        headers = {}
        # A validator that cannot go in a header (non-ASCII, line breaks) just means an unconditional GET.
        if etag and _header_safe(etag):
            headers["If-None-Match"] = etag
        if last_modified and _header_safe(last_modified):
            headers["If-Modified-Since"] = last_modified
        elapsed = 0.0
        current = url
        for hop in range(self.max_redirects + 1):
            via = f" (redirected from {url})" if hop else ""
            parsed, problem = self._check_url(current, via)
            if problem:
                return _failure(current, error=problem, elapsed=elapsed)
            host = parsed.host  # IDNA-encoded, as DNS and the connection see it
            origin = _origin(parsed)
            interval = self.min_interval
            if self.respect_robots:
                rules = self._robots_rules(origin, host)
                if rules.unreachable is not None:
                    return _failure(current, skipped=rules.unreachable, elapsed=elapsed)
                if not rules.allows(current, self.robots_token):
                    return _failure(current, skipped="disallowed by robots.txt", elapsed=elapsed)
                interval = max(interval, rules.delay(self.robots_token) or 0.0)
            reply = self._fetch_with_retries(current, parsed, {**headers, **_credentials(parsed)}, interval)
            elapsed += reply.elapsed
            if reply.location is None:
                return self._response(reply, elapsed, etag, last_modified)
            current = urljoin(current, reply.location)
        return _failure(
            current,
            error=f"{url} redirected more than {self.max_redirects} times (last to {current}); "
            "open it in a browser to find the page's real address.",
            elapsed=elapsed,
        )

    def get_many(
        self,
        urls: list[str],
        *,
        validators: dict[str, tuple[str | None, str | None]] | None = None,
        max_workers: int = 8,
    ) -> list[Response]:
        """Fetch many URLs, different hosts concurrently, one request at a time per host.

        validators maps a URL to its stored (etag, last_modified) for a conditional GET.
        Responses come back in the order of `urls`.
        """
        validators = validators or {}
        groups: dict[str, list[int]] = {}
        for index, url in enumerate(urls):
            groups.setdefault(_host_key(url), []).append(index)
        results: list[Response | None] = [None] * len(urls)

        def fetch_group(indices: list[int]) -> None:
            for index in indices:
                etag, last_modified = validators.get(urls[index], (None, None))
                results[index] = self.get(urls[index], etag=etag, last_modified=last_modified)

        if groups:
            with ThreadPoolExecutor(max_workers=max(1, min(max_workers, len(groups)))) as pool:
                for future in [pool.submit(fetch_group, indices) for indices in groups.values()]:
                    future.result()
        return [r for r in results if r is not None]

    # -- checks ---------------------------------------------------------------------------------

    def _check_url(self, url: str, via: str) -> tuple[Url | None, str | None]:
        """The parsed URL (host IDNA-encoded), or a sentence saying why we will not fetch it."""
        if url.partition(":")[0].lower() not in ("http", "https"):
            return None, (
                f"{url}{via} is not an http or https address; only web pages and feeds can be fetched, "
                "check the source URL."
            )
        if CONTROL_CHARS.search(url):
            return None, f"{url!r}{via} is not a valid web address (a control character); check the source URL."
        try:
            parsed = parse_url(url)
        except (LocationParseError, ValueError) as exc:
            return None, f"{url!r}{via} is not a valid web address ({exc}); check the source URL."
        if not parsed.host:
            return None, f"{url}{via} has no host name; check the source URL."
        host = parsed.host.strip("[]")
        if not HOST_CHARS.match(host):
            return None, f"{url!r}{via} is not a valid web address (bad host name); check the source URL."
        try:
            self.guard.check(host, _port(parsed))
        except UnresolvableHost as exc:
            return None, f"Could not fetch {url}{via}: {exc}; check the address for typos."
        except AddressRefused as exc:
            return None, _refusal(url + via, exc)
        return parsed, None

    # -- robots.txt -----------------------------------------------------------------------------

    def _robots_rules(self, origin: str, host: str) -> robots.RobotsRules:
        with self._lock:
            lock = self._robots_locks.setdefault(origin, threading.Lock())
        with lock:
            cached = self._robots.get(origin)
            if cached is not None and self.clock.now() < cached.expires:
                return cached
            rules = self._load_robots(origin)
            self._robots[origin] = rules
        # The robots.txt request itself counts: the first page waits out the Crawl-delay after it.
        delay = rules.delay(self.robots_token)
        if delay:
            slot = self._slot(host)
            with slot.lock:
                slot.next_allowed = max(slot.next_allowed, self.clock.now() + delay)
        return rules

    def _load_robots(self, origin: str) -> robots.RobotsRules:
        """Fetch and interpret an origin's robots.txt (one attempt per hop; failures are cached briefly)."""
        url = f"{origin}/robots.txt"
        for _ in range(robots.MAX_ROBOTS_REDIRECTS + 1):
            parsed, problem = self._check_url(url, " (robots.txt)")
            if problem:
                return self._robots_unreachable(origin, problem)
            reply = self._exchange(url, parsed, {}, self.min_interval, limit=robots.MAX_ROBOTS_BYTES, lenient=True)
            if reply.location is None:
                break
            url = urljoin(url, reply.location)
        else:
            return self._robots_unreachable(origin, "it redirects too many times")
        now = self.clock.now()
        if reply.skipped:
            return self._robots_unreachable(origin, reply.skipped)
        if reply.status is None or reply.error:
            return self._robots_unreachable(origin, reply.error or "no answer")
        if 200 <= reply.status < 300:
            return robots.parse(reply.body, now + self.robots_ttl)
        if reply.status == 429 or reply.status >= 500:
            return self._robots_unreachable(origin, f"it answered HTTP {reply.status}")
        return robots.allow_all(now + self.robots_ttl)

    def _robots_unreachable(self, origin: str, why: str) -> robots.RobotsRules:
        minutes = max(1, round(self.robots_error_ttl / 60))
        reason = (
            f"robots.txt of {origin} could not be read ({why}); as the robots.txt standard asks, "
            f"the whole site is treated as disallowed for now and robots.txt will be asked again in "
            f"about {minutes} minute{'s' if minutes != 1 else ''}."
        )
        return robots.unreachable(reason, self.clock.now() + self.robots_error_ttl)

    # -- politeness and retries -----------------------------------------------------------------

    def _slot(self, host: str) -> _HostSlot:
        with self._lock:
            return self._slots.setdefault(_normal_host(host), _HostSlot())

    def _fetch_with_retries(self, url: str, parsed: Url, headers: dict[str, str], interval: float) -> _Reply:
        attempt = 0
        while True:
            attempt += 1
            reply = self._exchange(url, parsed, headers, interval, limit=self.max_bytes, retrying=attempt)
            reply.attempts = attempt
            if not reply.retryable or attempt > self.retries or reply.skipped:
                return reply
            if reply.retry_after is not None and reply.retry_after > self.max_wait:
                return reply

    def _retry_delay(self, reply: _Reply, attempt: int) -> float:
        if reply.retry_after is not None:
            return reply.retry_after
        return self.backoff * 2 ** (attempt - 1)

    def _exchange(
        self,
        url: str,
        parsed: Url,
        headers: dict[str, str],
        interval: float,
        *,
        limit: int,
        retrying: int = 1,
        lenient: bool = False,
    ) -> _Reply:
        """One request in the host's turn: wait for the turn, send, read, and set when the next may start."""
        host = parsed.host
        slot = self._slot(host)
        with slot.lock:
            wait = slot.next_allowed - self.clock.now()
            if wait > self.max_wait:
                return _Reply(
                    url,
                    skipped=f"{host} asked us to wait {wait:.0f} s before the next request ({slot.why_waiting}); "
                    "not requested now, it will be fetched on a later pass.",
                    retry_after=wait,
                )
            while wait > 0:
                self.clock.sleep(wait)
                wait = slot.next_allowed - self.clock.now()
            reply = self._send(url, parsed, headers, limit, lenient)
            now = self.clock.now()
            slot.next_allowed = now + interval
            slot.why_waiting = "Crawl-delay / minimum interval"
            if reply.retryable:
                delay = self._retry_delay(reply, retrying)
                if delay > interval:
                    slot.next_allowed = now + delay
                    slot.why_waiting = "Retry-After" if reply.retry_after is not None else "backing off after errors"
        return reply

    # -- one HTTP exchange ----------------------------------------------------------------------

    def _send(self, url: str, parsed: Url, headers: dict[str, str], limit: int, lenient: bool = False) -> _Reply:
        """One GET. lenient (for robots.txt): keep the first `limit` bytes of a larger body, skip type checks."""
        started = time.monotonic()
        _deadline.at = started + self.total_timeout
        _deadline.binding = False
        reply = _Reply(url)
        release, done = None, False
        try:
            response, release = self._connections.open(parsed, parsed.request_uri, {**self._headers, **headers})
            reply.status = response.status
            reply.headers = _headers(response)
            self._read_body(response, reply, limit, lenient)
            done = True
        except AddressRefused as exc:
            reply.error = _refusal(url, exc)
        except TimeoutError as exc:
            if _deadline.binding or time.monotonic() >= _deadline.at:
                reply.error = (
                    f"{url} took longer than {self.total_timeout:g} s in total to answer; the server is too slow "
                    "or drips its response. It will be tried again on a later pass."
                )
            else:
                phase = "while connecting" if isinstance(exc, _ConnectTimeout) else "waiting for data"
                reply.error = f"{url} timed out ({phase}); the site may be down or overloaded."
                reply.retryable = True
        except (http.client.HTTPException, OSError, _Undecodable) as exc:
            reply.error, reply.retryable = _transport_error(url, exc)
        finally:
            if release is not None:
                release(keep=done)
            _deadline.at = None
        reply.elapsed = time.monotonic() - started
        return reply

    def _read_body(self, response: http.client.HTTPResponse, reply: _Reply, limit: int, lenient: bool) -> None:
        """Read what is worth keeping; what is left unread closes the connection (_Connections._give_back)."""
        status = response.status
        headers = reply.headers
        if status in REDIRECT_STATUSES and headers.get("location"):
            reply.location = headers["location"]
            return
        if status == 304:
            return
        if status >= 400 or status < 200:
            limit = min(limit, ERROR_BODY_BYTES)
            reply.retryable = status == 429 or (status >= 500 and status not in (501, 505))
            reply.retry_after = _retry_after(headers.get("retry-after"))
        mime, charset = parse_content_type(headers.get("content-type"))
        ok_status = 200 <= status < 300
        checked = ok_status and not lenient
        if checked and (why := _binary_type(mime)):
            reply.error = _binary_error(reply.url, why)
            return
        declared = headers.get("content-length", "")
        if checked and declared.isdigit() and int(declared) > limit:
            reply.error = _oversize_error(reply.url, limit)
            return
        body = bytearray()
        for chunk in _body_chunks(response, headers.get("content-encoding", "").strip().lower()):
            body += chunk
            if len(body) > limit:
                if checked:
                    reply.error = _oversize_error(reply.url, limit)
                    reply.body = bytes(body[:limit])
                    return
                break
            if time.monotonic() > _deadline.at:
                raise TimeoutError("total deadline passed")
        reply.body = bytes(body[:limit])
        if checked and (why := _sniff_binary(reply.body, charset)):
            reply.error = _binary_error(reply.url, f"{why}, although served as {mime or 'an unknown type'}")

    # -- the final Response ---------------------------------------------------------------------

    def _response(self, reply: _Reply, elapsed: float, etag: str | None, last_modified: str | None) -> Response:
        mime, charset = parse_content_type(reply.headers.get("content-type"))
        response = Response(
            url=reply.url,
            status=reply.status,
            headers=reply.headers,
            body=reply.body,
            content_type=mime,
            charset=charset,
            elapsed_ms=round(elapsed * 1000),
            error=reply.error,
            skipped=reply.skipped,
            etag=reply.headers.get("etag"),
            last_modified=reply.headers.get("last-modified"),
            attempts=reply.attempts,
            retry_after=reply.retry_after,
        )
        if reply.error or reply.skipped or reply.status is None:
            return response
        if reply.status == 304:
            response.not_modified = True
            response.body = b""
            # A 304 need not repeat the validators; the ones we sent are still current.
            response.etag = response.etag or etag
            response.last_modified = response.last_modified or last_modified
        elif not 200 <= reply.status < 300:
            response.error = _status_error(reply)
        return response


# -- helpers ------------------------------------------------------------------------------------


def _failure(url: str, *, error: str | None = None, skipped: str | None = None, elapsed: float = 0.0) -> Response:
    return Response(
        url=url,
        status=None,
        headers={},
        body=b"",
        content_type=None,
        charset=None,
        elapsed_ms=round(elapsed * 1000),
        error=error,
        skipped=skipped,
    )


def _header_safe(value: str) -> bool:
    return value.isascii() and value.isprintable()


def _host_key(url: str) -> str:
    try:
        return _normal_host(parse_url(url).host or "")
    except (LocationParseError, ValueError, TypeError):
        return ""


_DEFAULT_PORTS = {"http": 80, "https": 443}


def _port(parsed: Url) -> int:
    """The port a URL (http or https, checked by _check_url) connects to."""
    return parsed.port or _DEFAULT_PORTS[parsed.scheme]


def _origin(parsed: Url) -> str:
    """scheme://host[:port], the port left out when it is the scheme's default, as robots.txt is cached per origin."""
    port = "" if _port(parsed) == _DEFAULT_PORTS[parsed.scheme] else f":{parsed.port}"
    return f"{parsed.scheme}://{parsed.host}{port}"


def _credentials(parsed: Url) -> dict[str, str]:
    """Basic authentication for a user:password@ written into the URL, as a browser would send it."""
    if not parsed.auth:
        return {}
    user, _, password = parsed.auth.partition(":")
    token = base64.b64encode(f"{unquote(user)}:{unquote(password)}".encode()).decode("ascii")
    return {"Authorization": f"Basic {token}"}


def _headers(response: http.client.HTTPResponse) -> dict[str, str]:
    """Lower-case names; a repeated header's values joined with commas, as HTTP allows."""
    headers: dict[str, str] = {}
    for name, value in response.getheaders():
        name, value = name.lower(), _header_text(value)
        headers[name] = f"{headers[name]}, {value}" if name in headers else value
    return headers


def _header_text(value: str) -> str:
    """A header value as sent: http.client reads headers as latin-1, but servers send UTF-8 (in a Location, say)."""
    if value.isascii():
        return value
    try:
        return value.encode("latin-1").decode("utf-8")
    except UnicodeError:
        return value


def _refusal(url: str, exc: AddressRefused) -> str:
    return (
        f"Refused to fetch {url}: {exc}. Sources may not point into the newsroom's own network; if this one "
        f"really should be fetched, add {exc.host} to the allowed hosts in the configuration (or allow "
        "private addresses)."
    )


def _transport_error(url: str, exc: BaseException) -> tuple[str, bool]:
    """A sentence for a network failure, and whether trying again soon could help."""
    detail = " ".join(str(exc).split())[:300] or type(exc).__name__
    if isinstance(exc, ssl.SSLCertVerificationError) or "certificate" in detail.lower():
        return f"{url} has a TLS certificate that could not be verified ({detail}); check the address.", False
    if isinstance(exc, _ConnectFailed | ConnectionRefusedError):
        return f"Could not connect to {url} ({detail}); the site may be down.", True
    if isinstance(exc, _Undecodable):  # e.g. a body that claims gzip but is not
        return f"{url} sent a response we could not read ({detail}); try it in a browser.", False
    return f"The connection to {url} failed ({detail}); the site may be having trouble.", True


def _retry_after(value: str | None) -> float | None:
    """Seconds from a Retry-After header: delta-seconds or an HTTP date; None if absent or unreadable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def _binary_type(mime: str | None) -> str | None:
    if not mime:
        return None
    major, _, subtype = mime.partition("/")
    binary = major in BINARY_MAJOR_TYPES or mime in BINARY_TYPES
    if major == "application" and subtype.startswith("vnd.") and not subtype.endswith(("+xml", "+json")):
        binary = True
    return f"declared as {mime}" if binary else None


def _sniff_binary(body: bytes, charset: str | None) -> str | None:
    """Why the first bytes look like a binary file, or None if they look like text."""
    kind = binary_kind(body, charset)
    return None if kind is None else f"the bytes are {kind}"


def _binary_error(url: str, why: str) -> str:
    return (
        f"{url} is a binary file ({why}), not a page or feed; nothing was stored. "
        "Check that the source URL points to an HTML page or an RSS/Atom feed."
    )


def _oversize_error(url: str, limit: int) -> str:
    return (
        f"{url}: response larger than {limit} bytes, so reading stopped and nothing was stored; "
        "if the page really is that large, raise the maximum response size in the configuration."
    )


def _status_error(reply: _Reply) -> str:
    status = reply.status or 0
    try:
        phrase = HTTPStatus(status).phrase
    except ValueError:
        phrase = "unknown status"
    tries = f" after {reply.attempts} attempts" if reply.attempts > 1 else ""
    advice = "check the address in a browser"
    if status in (404, 410):
        advice = "the page is gone; check the address or remove the source"
    elif status in (401, 403):
        advice = "the site refuses us; check the address in a browser or ask the site to allow our crawler"
    elif status == 429:
        advice = "the site asks us to slow down; it will be tried again on a later pass"
        if reply.retry_after is not None:
            advice += f" (it asked for {reply.retry_after:.0f} s)"
    elif status >= 500:
        advice = "the site has trouble; it will be tried again on a later pass"
    return f"{reply.url} answered HTTP {status} {phrase}{tries}; {advice}."
