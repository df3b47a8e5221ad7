"""The one HTTP client every scraper uses: polite to the sites, safe with the URLs reporters type in.

Fetching is kept apart from parsing: `Fetcher.get` turns a URL into a
`Response` (bytes plus what we learned on the way) and never raises for
network or HTTP trouble, so one bad source cannot stop a scrape pass. The
caller records `error` or `skipped` per source and moves on.

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

import email.utils
import ipaddress
import math
import re
import socket
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http import HTTPStatus
from urllib.parse import urljoin

import httpcore
import httpx

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
        super().__init__(f"{host} resolves to {address}, a {kind} address")


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

    def __init__(self, allow_private: bool, allowed_hosts: set[str] | frozenset[str]) -> None:
        self.allow_private = allow_private
        self.allowed_hosts = {_normal_host(h) for h in allowed_hosts}

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

    httpx's read timeout applies to each read, so a server dripping a byte a
    second would never trip it; clamping each read to the time left does.
    """

    at: float | None = None
    binding: bool = False  # the last operation's timeout was cut short by the deadline

    def clamp(self, timeout: float | None) -> float | None:
        if self.at is None:
            return timeout
        remaining = max(self.at - time.monotonic(), 0.001)
        self.binding = timeout is None or remaining < timeout
        return remaining if self.binding else timeout


class _DeadlineStream(httpcore.NetworkStream):
    def __init__(self, stream: httpcore.NetworkStream, deadline: _Deadline) -> None:
        self._stream = stream
        self._deadline = deadline

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._stream.read(max_bytes, self._deadline.clamp(timeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._stream.write(buffer, self._deadline.clamp(timeout))

    def close(self) -> None:
        self._stream.close()

    def start_tls(self, ssl_context, server_hostname=None, timeout=None) -> httpcore.NetworkStream:
        stream = self._stream.start_tls(ssl_context, server_hostname, self._deadline.clamp(timeout))
        return _DeadlineStream(stream, self._deadline)

    def get_extra_info(self, info: str):
        return self._stream.get_extra_info(info)


class _GuardedBackend(httpcore.NetworkBackend):
    """Connects only to addresses the guard has just approved, so the check and the connection agree."""

    def __init__(self, guard: AddressGuard, deadline: _Deadline) -> None:
        self._backend = httpcore.SyncBackend()
        self._guard = guard
        self._deadline = deadline

    def connect_tcp(self, host, port, timeout=None, local_address=None, socket_options=None):
        try:
            addresses = self._guard.resolve(host, port)
        except UnresolvableHost as exc:
            raise httpcore.ConnectError(str(exc)) from exc
        failure: Exception | None = None
        for address in addresses:
            try:
                stream = self._backend.connect_tcp(
                    address, port, self._deadline.clamp(timeout), local_address, socket_options
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                failure = exc
                continue
            return _DeadlineStream(stream, self._deadline)
        raise failure or httpcore.ConnectError(f"{host} has no address")

    def connect_unix_socket(self, path, timeout=None, socket_options=None):
        raise httpcore.ConnectError("unix sockets are not used by the scrapers")

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)


class _GuardedTransport(httpx.HTTPTransport):
    """httpx's own transport, with its connection pool built on the guarded network backend.

    httpx does not take a network backend directly; its pool is swapped for one
    built the same way. tests/test_http.py checks the swap still takes effect.
    """

    def __init__(self, backend: httpcore.NetworkBackend, limits: httpx.Limits) -> None:
        super().__init__(trust_env=False, http1=True, http2=False, limits=limits)
        self._pool = httpcore.ConnectionPool(
            ssl_context=httpx.create_ssl_context(trust_env=False),
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            http1=True,
            http2=False,
            network_backend=backend,
        )


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
        self._deadline = _Deadline()
        limits = httpx.Limits(max_connections=100, max_keepalive_connections=20, keepalive_expiry=5.0)
        self._client = httpx.Client(
            transport=_GuardedTransport(_GuardedBackend(self.guard, self._deadline), limits),
            headers={"User-Agent": user_agent, "Accept": ACCEPT},
            timeout=httpx.Timeout(connect=connect_timeout, read=read_timeout, write=read_timeout, pool=read_timeout),
            follow_redirects=False,
            trust_env=False,
        )
        self._lock = threading.Lock()
        self._slots: dict[str, _HostSlot] = {}
        self._robots: dict[str, robots.RobotsRules] = {}
        self._robots_locks: dict[str, threading.Lock] = {}

    def close(self) -> None:
        self._client.close()

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
            host = parsed.raw_host.decode("ascii")  # IDNA-encoded, as DNS and the connection see it
            origin = f"{parsed.scheme}://{parsed.netloc.decode('ascii')}"
            interval = self.min_interval
            if self.respect_robots:
                rules = self._robots_rules(origin, host)
                if rules.unreachable is not None:
                    return _failure(current, skipped=rules.unreachable, elapsed=elapsed)
                if not rules.allows(current, self.robots_token):
                    return _failure(current, skipped="disallowed by robots.txt", elapsed=elapsed)
                interval = max(interval, rules.delay(self.robots_token) or 0.0)
            reply = self._fetch_with_retries(current, headers, host, interval)
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

    def _check_url(self, url: str, via: str) -> tuple[httpx.URL | None, str | None]:
        """The parsed URL, or a sentence saying why we will not fetch it."""
        try:
            parsed = httpx.URL(url)
        except (httpx.InvalidURL, ValueError, TypeError) as exc:
            return None, f"{url!r}{via} is not a valid web address ({exc}); check the source URL."
        if parsed.scheme not in ("http", "https"):
            return None, (
                f"{url}{via} is not an http or https address; only web pages and feeds can be fetched, "
                "check the source URL."
            )
        if not parsed.host:
            return None, f"{url}{via} has no host name; check the source URL."
        host = parsed.raw_host.decode("ascii", errors="replace")
        if not HOST_CHARS.match(host):
            return None, f"{url!r}{via} is not a valid web address (bad host name); check the source URL."
        try:
            self.guard.resolve(host, parsed.port or (443 if parsed.scheme == "https" else 80))
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
            host = parsed.raw_host.decode("ascii")
            reply = self._exchange(url, {}, host, self.min_interval, limit=robots.MAX_ROBOTS_BYTES, lenient=True)
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

    def _fetch_with_retries(self, url: str, headers: dict[str, str], host: str, interval: float) -> _Reply:
        attempt = 0
        while True:
            attempt += 1
            reply = self._exchange(url, headers, host, interval, limit=self.max_bytes, retrying=attempt)
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
        headers: dict[str, str],
        host: str,
        interval: float,
        *,
        limit: int,
        retrying: int = 1,
        lenient: bool = False,
    ) -> _Reply:
        """One request in the host's turn: wait for the turn, send, read, and set when the next may start."""
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
            reply = self._send(url, headers, limit, lenient)
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

    def _send(self, url: str, headers: dict[str, str], limit: int, lenient: bool = False) -> _Reply:
        """One GET. lenient (for robots.txt): keep the first `limit` bytes of a larger body, skip type checks."""
        started = time.monotonic()
        self._deadline.at = started + self.total_timeout
        self._deadline.binding = False
        reply = _Reply(url)
        try:
            with self._client.stream("GET", url, headers=headers) as response:
                reply.status = response.status_code
                reply.headers = dict(response.headers.items())
                self._read_body(response, reply, limit, lenient)
        except AddressRefused as exc:
            reply.error = _refusal(url, exc)
        except httpx.TimeoutException as exc:
            if self._deadline.binding or time.monotonic() >= self._deadline.at:
                reply.error = (
                    f"{url} took longer than {self.total_timeout:g} s in total to answer; the server is too slow "
                    "or drips its response. It will be tried again on a later pass."
                )
            else:
                reply.error = f"{url} timed out ({_timeout_kind(exc)}); the site may be down or overloaded."
                reply.retryable = True
        except httpx.TransportError as exc:
            reply.error, reply.retryable = _transport_error(url, exc)
        except httpx.HTTPError as exc:  # e.g. a body that claims gzip but is not
            reply.error = f"{url} sent a response we could not read ({exc}); try it in a browser."
        finally:
            self._deadline.at = None
        reply.elapsed = time.monotonic() - started
        return reply

    def _read_body(self, response: httpx.Response, reply: _Reply, limit: int, lenient: bool) -> None:
        status = response.status_code
        if status in REDIRECT_STATUSES and response.headers.get("location"):
            reply.location = response.headers["location"]
            return
        if status == 304:
            return
        if status >= 400 or status < 200:
            limit = min(limit, ERROR_BODY_BYTES)
            reply.retryable = status == 429 or (status >= 500 and status not in (501, 505))
            reply.retry_after = _retry_after(response.headers.get("retry-after"))
        mime, charset = parse_content_type(response.headers.get("content-type"))
        ok_status = 200 <= status < 300
        checked = ok_status and not lenient
        if checked and (why := _binary_type(mime)):
            reply.error = _binary_error(reply.url, why)
            return
        declared = response.headers.get("content-length", "")
        if checked and declared.isdigit() and int(declared) > limit:
            reply.error = _oversize_error(reply.url, limit)
            return
        body = bytearray()
        for chunk in response.iter_bytes():
            body += chunk
            if len(body) > limit:
                if checked:
                    reply.error = _oversize_error(reply.url, limit)
                    reply.body = bytes(body[:limit])
                    return
                break
            if self._deadline.at is not None and time.monotonic() > self._deadline.at:
                raise httpx.ReadTimeout("total deadline passed")
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
        return _normal_host(httpx.URL(url).raw_host.decode("ascii", errors="replace"))
    except (httpx.InvalidURL, ValueError, TypeError):
        return ""


def _refusal(url: str, exc: AddressRefused) -> str:
    return (
        f"Refused to fetch {url}: {exc}. Sources may not point into the newsroom's own network; if this one "
        f"really should be fetched, add {exc.host} to the allowed hosts in the configuration (or allow "
        "private addresses)."
    )


def _timeout_kind(exc: httpx.TimeoutException) -> str:
    if isinstance(exc, httpx.ConnectTimeout):
        return "while connecting"
    if isinstance(exc, httpx.ReadTimeout):
        return "waiting for data"
    if isinstance(exc, httpx.WriteTimeout):
        return "while sending the request"
    return "waiting for a free connection"


def _transport_error(url: str, exc: httpx.TransportError) -> tuple[str, bool]:
    """A sentence for a network failure, and whether trying again soon could help."""
    detail = str(exc) or type(exc).__name__
    if "CERTIFICATE_VERIFY_FAILED" in detail or "certificate" in detail.lower():
        return f"{url} has a TLS certificate that could not be verified ({detail}); check the address.", False
    if isinstance(exc, httpx.ConnectError):
        return f"Could not connect to {url} ({detail}); the site may be down.", True
    if isinstance(exc, httpx.UnsupportedProtocol):
        return f"{url} uses a protocol we cannot fetch ({detail}); check the source URL.", False
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
