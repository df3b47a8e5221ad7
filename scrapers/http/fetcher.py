"""The polite fetcher: robots.txt, one request at a time per host, conditional GET, retries, redirects.

`Fetcher.get` turns a URL into a `Response` and never raises for network or
HTTP trouble, so one bad source cannot stop a scrape pass. Each hop of a
redirect is checked by the address guard (guard.py); each request is one
exchange (exchange.py) on the deadline transport (transport.py).

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
"""

from __future__ import annotations

import base64
import math
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from urllib.parse import unquote, urljoin

from urllib3.exceptions import LocationParseError
from urllib3.util import Url, parse_url

from scrapers import robots
from scrapers.http.exchange import Reply, parse_content_type, send, status_error
from scrapers.http.guard import AddressGuard, normal_host, port
from scrapers.http.transport import Connections
from scrapers.urls import DEFAULT_PORTS

ACCEPT = (
    "text/html,application/xhtml+xml,application/rss+xml,application/atom+xml,"
    "application/xml;q=0.9,text/xml;q=0.9,text/plain;q=0.8,*/*;q=0.5"
)


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


@dataclass
class _HostSlot:
    """One host's turn: a lock so one request runs at a time, and when the next may start."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    next_allowed: float = -math.inf
    why_waiting: str = ""


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
        host_map: dict[str, tuple[str, int]] | None = None,
        connect_timeout: float = 10,
        read_timeout: float = 20,
        max_bytes: int = 10_000_000,
        max_document_bytes: int = 100 * 1024 * 1024,
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
        host_map: host name -> (address, port) to connect to instead of asking DNS (guard.AddressGuard).
        """
        self.user_agent = user_agent
        self.robots_token = robots.product_token(user_agent)
        self.allow_private = allow_private
        self.connect_timeout = connect_timeout
        self.read_timeout = read_timeout
        self.max_bytes = max_bytes
        self.max_document_bytes = max_document_bytes
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
        self.guard = AddressGuard(allow_private, allowed_hosts, host_map)
        self._headers = {"User-Agent": user_agent, "Accept": ACCEPT, "Accept-Encoding": "gzip, deflate"}
        self._connections = Connections(self.guard, connect_timeout, read_timeout)
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

    def get(
        self, url: str, *, etag: str | None = None, last_modified: str | None = None, documents: bool = False
    ) -> Response:
        """Fetch one URL, following redirects; never raises for network or HTTP problems.

        documents: the caller reads documents (PDF, .docx) too, so a binary answer is kept rather than
        refused, up to max_document_bytes (a page or feed stays within max_bytes).
        """
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
            parsed, problem = self.guard.check_url(current, via)
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
            reply = self._fetch_with_retries(
                current, parsed, {**headers, **_credentials(parsed)}, interval, documents=documents
            )
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
            parsed, problem = self.guard.check_url(url, " (robots.txt)")
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
            return self._slots.setdefault(normal_host(host), _HostSlot())

    def _fetch_with_retries(
        self, url: str, parsed: Url, headers: dict[str, str], interval: float, *, documents: bool = False
    ) -> Reply:
        attempt = 0
        limit = self.max_document_bytes if documents else self.max_bytes
        while True:
            attempt += 1
            reply = self._exchange(url, parsed, headers, interval, limit=limit, retrying=attempt, binary_ok=documents)
            reply.attempts = attempt
            if not reply.retryable or attempt > self.retries or reply.skipped:
                return reply
            if reply.retry_after is not None and reply.retry_after > self.max_wait:
                return reply

    def _retry_delay(self, reply: Reply, attempt: int) -> float:
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
        binary_ok: bool = False,
    ) -> Reply:
        """One request in the host's turn: wait for the turn, send, read, and set when the next may start."""
        host = parsed.host
        slot = self._slot(host)
        with slot.lock:
            wait = slot.next_allowed - self.clock.now()
            if wait > self.max_wait:
                return Reply(
                    url,
                    skipped=f"{host} asked us to wait {wait:.0f} s before the next request ({slot.why_waiting}); "
                    "not requested now, it will be fetched on a later pass.",
                    retry_after=wait,
                )
            while wait > 0:
                self.clock.sleep(wait)
                wait = slot.next_allowed - self.clock.now()
            reply = send(
                self._connections,
                url,
                parsed,
                {**self._headers, **headers},
                limit=limit,
                total_timeout=self.total_timeout,
                lenient=lenient,
                binary_ok=binary_ok,
            )
            now = self.clock.now()
            slot.next_allowed = now + interval
            slot.why_waiting = "Crawl-delay / minimum interval"
            if reply.retryable:
                delay = self._retry_delay(reply, retrying)
                if delay > interval:
                    slot.next_allowed = now + delay
                    slot.why_waiting = "Retry-After" if reply.retry_after is not None else "backing off after errors"
        return reply

    # -- the final Response ---------------------------------------------------------------------

    def _response(self, reply: Reply, elapsed: float, etag: str | None, last_modified: str | None) -> Response:
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
            response.error = status_error(reply)
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
        return normal_host(parse_url(url).host or "")
    except (LocationParseError, ValueError, TypeError):
        return ""


def _origin(parsed: Url) -> str:
    """scheme://host[:port], the port left out when it is the scheme's default, as robots.txt is cached per origin."""
    suffix = "" if port(parsed) == DEFAULT_PORTS[parsed.scheme] else f":{parsed.port}"
    return f"{parsed.scheme}://{parsed.host}{suffix}"


def _credentials(parsed: Url) -> dict[str, str]:
    """Basic authentication for a user:password@ written into the URL, as a browser would send it."""
    if not parsed.auth:
        return {}
    user, _, password = parsed.auth.partition(":")
    token = base64.b64encode(f"{unquote(user)}:{unquote(password)}".encode()).decode("ascii")
    return {"Authorization": f"Basic {token}"}
