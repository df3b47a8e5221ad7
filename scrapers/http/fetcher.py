"""The polite fetcher: robots.txt, one request at a time per host, conditional GET, retries, redirects.

`Fetcher.get` turns a URL into a `Response` and never raises for network or
HTTP trouble, so one bad source cannot stop a scrape pass. Each hop of a
redirect is checked by the address guard (guard.py); each request is one
exchange (exchange.py) on the deadline transport (transport.py).

What "polite" means here:
- an identifying User-Agent (with a contact URL, from the configuration);
- robots.txt honoured per site, including Crawl-delay (see scrapers/robots.py
  for what each robots.txt answer means);
- at most one request at a time per host, and each request to a host starts
  at least the host's delay (Crawl-delay, else the minimum interval) after
  the previous one started: robots.txt, redirect hops and retries count as
  requests too. With a `pacing` store (tracker/pacing.py keeps it in the
  database) the last start per host outlives the process, so a restarted
  `watch`, or a second process, keeps the same distance; different hosts are
  fetched concurrently by `get_many`;
- retries with exponential backoff on timeouts, 429 and 5xx, honouring
  Retry-After; a host that asks us to wait longer than `max_wait` is not
  contacted again by this fetcher until that time has passed;
- conditional GET, so an unchanged page costs the site a 304 and us no parsing.
"""

from __future__ import annotations

import base64
import contextlib
import logging
import math
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Protocol
from urllib.parse import unquote, urldefrag

from urllib3.exceptions import LocationParseError
from urllib3.util import Url, parse_url

from scrapers import robots
from scrapers.http.advice import ADDRESS, SOURCE, advice
from scrapers.http.exchange import Reply, http_date, parse_content_type, send, status_error
from scrapers.http.guard import REFUSED, UNANSWERED, UNRESOLVABLE, AddressGuard, normal_host, port, shorten
from scrapers.http.transport import ACCEPT_ENCODING, Connections
from scrapers.urls import DEFAULT_PORTS, join_url

NOT_IN_TIME, UNRESOLVED = "gave no answer in time", "has a name that does not resolve"  # Response.no_answer
# Response.no_answer of a site whose answer began (a status, bytes) but did not end within the deadline: a slow
# site, not a silent one, and the rest of its pages are left for a later pass all the same (scrapers/http/stream.py).
TOO_SLOW = "answered too slowly"
CLOCK_SLACK = 60.0  # seconds a Last-Modified may be ahead of the answer's Date (or our clock) and still be sent back
DISALLOWED = "disallowed by robots.txt"  # Response.skipped for a page the site's robots.txt keeps us from
ROBOTS_CACHED = 128  # origins whose robots.txt rules are kept; a forgotten one is fetched again when needed
HOSTS_KEPT = 1024  # hosts whose turn is kept past its delay; a watch loop meets new hosts for as long as it runs
# Pages and every feed format read (RSS, Atom, JSON Feed), before generic XML and JSON: a server that
# negotiates answers with one of them rather than its default.
ACCEPT = (
    "text/html,application/xhtml+xml,application/rss+xml,application/atom+xml,application/feed+json,"
    "application/xml;q=0.9,text/xml;q=0.9,application/json;q=0.8,text/plain;q=0.8,*/*;q=0.5"
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
    verified: bool = False  # a ranged GET of the newest entry matched what we stored: unchanged, and checked
    validators_lied: bool = False  # the content changed, yet a conditional GET still answered 304
    probe_bytes: int = 0  # bytes of the ranged GET that checked the validators (scrapers/http/verify.py)
    no_answer: str | None = None  # why the server gave none in time: NOT_IN_TIME, UNRESOLVED or TOO_SLOW
    deferred: bool = False  # not asked for: its host used its share of the pass (stream.HostShare); still due
    settings_refused: bool = False  # our settings refuse the address asked for (guard.py): no request was made
    # Skipped because the site's robots.txt could not be read (5xx, 429, an error): RFC 9309's "not now". The
    # sentence of the failure it is once it persists, for a caller that knows it does (a source's poll after poll).
    robots_unreadable: str | None = None
    # The status of each redirect followed to `url`, in order (301, 308: moved for good; 302, 303, 307: for now).
    redirects: tuple[int, ...] = ()

    @property
    def moved(self) -> bool:
        """The address asked for answered with redirects that all say it moved for good (301, 308) to `url`."""
        return bool(self.redirects) and all(status in (301, 308) for status in self.redirects)

    @property
    def ok(self) -> bool:
        """True when the body can be parsed, or when it is unchanged (not_modified)."""
        return self.error is None and self.skipped is None and self.status is not None


log = logging.getLogger(__name__)


class Clock:
    """Monotonic time, wall time and sleeping, replaceable in tests so politeness waits need not be real."""

    def now(self) -> float:
        return time.monotonic()

    def wall(self) -> float:
        """Seconds since the epoch: what another process, or this one after a restart, can compare with."""
        return time.time()

    def sleep(self, seconds: float) -> None:
        if seconds > 0:
            time.sleep(seconds)


class PacingStore(Protocol):
    """Where the last request start per host is kept beyond this process (tracker/pacing.py: the database)."""

    def reserve(self, host: str, delay: float, now: Callable[[], float]) -> float | None:
        """Claim a request to `host` starting now (wall time, read from `now` once the store is locked).

        Returns None when the claim is recorded (start the request at once),
        or the wall time before which no request may start, because the
        store knows of one (by another process, or before a restart) whose
        delay has not passed; nothing is recorded then.
        """
        ...

    def hold(self, host: str, delay: float) -> None:
        """The latest request to host claimed holds `delay` after all: robots.txt, read once claimed, asks it."""
        ...


class RobotsStore(Protocol):
    """Where the robots.txt answers read are kept beyond this process (tracker/pacing.py: the database).

    A process that read robots.txt anew made that request its first to the
    host, and the page after it waited the Crawl-delay: past `max_wait`, a
    `scrape` run from cron spent its one request on robots.txt every time and
    never fetched anything else from the site.
    """

    def load_robots(self, origin: str) -> tuple[bytes | None, float] | None:
        """The robots.txt kept for origin (None: there was none, allow all) and when it expires (wall time)."""
        ...

    def save_robots(self, origin: str, body: bytes | None, expires_at: float) -> None: ...


@dataclass
class _HostSlot:
    """One host's turn: a lock so one request runs at a time, and when the next may start.

    `last_start` is when the latest request to the host started (monotonic);
    the next starts no sooner than its delay after that. `next_allowed` is
    any later time the host asked for (Retry-After) or backoff set.
    """

    lock: threading.Lock = field(default_factory=threading.Lock)
    next_allowed: float = -math.inf
    last_start: float = -math.inf
    delay: float = 0.0  # the delay the latest request was made under (robots.txt may raise it later)
    why_waiting: str = ""
    users: int = 0  # calls holding or waiting for the lock (changed under the Fetcher's lock): never forgotten then

    def idle(self, now: float, interval: float) -> bool:
        """Nobody is using it and every wait it holds is over: a fresh slot would pace the host the same."""
        return self.users == 0 and now >= max(self.next_allowed, self.last_start + max(self.delay, interval))


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
        total_timeout: float = 30.0,
        max_wait: float = 60.0,
        robots_ttl: float = 3600.0,
        robots_error_ttl: float = 600.0,
        clock: Clock | None = None,
        pacing: PacingStore | None = None,
        stop: threading.Event | None = None,
        robots_store: RobotsStore | None = None,
        lookup: Callable[..., list] | None = None,
    ) -> None:
        """
        total_timeout: the most one fetch may take on the network: its name lookups, the site's robots.txt
            when it is read first, each redirect hop and retry draw on it, each request waits only what is
            left of it, and a server still dripping its answer after that is abandoned (the error says so).
            Nor is a redirect followed, or a request retried, once it is spent. Waits for a host's turn
            (Crawl-delay, Retry-After) are politeness, not the network: they do not count.
        max_wait: the longest we wait for a host's turn (Crawl-delay, Retry-After, backoff); a longer
            wait returns an error or `skipped` instead of blocking the pass.
        robots_ttl / robots_error_ttl: how long robots.txt is cached, and how long an unreadable one
            (5xx, 429, network error) keeps the site disallowed before we ask again.
        clock: monotonic time and sleep used for every politeness wait.
        pacing: keeps each host's last request start beyond this process (None: this process only).
        robots_store: keeps the robots.txt answers read beyond this process, until they expire (None: this
            process only).
        stop: once set (Ctrl-C or SIGTERM in `watch`), a wait for a host's turn ends at once and the
            request is skipped for a later pass, so stopping never waits out a long Crawl-delay. It is
            waited on in real time: give none with a replaced clock.
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
        self.pacing = pacing
        self.robots_store = robots_store
        self.stop = stop
        self.guard = AddressGuard(allow_private, allowed_hosts, host_map, lookup)
        self._headers = {"User-Agent": user_agent, "Accept": ACCEPT, "Accept-Encoding": ACCEPT_ENCODING}
        self._connections = Connections(self.guard, connect_timeout, read_timeout)
        self._lock = threading.Lock()
        self._slots: dict[str, _HostSlot] = {}
        # The sites' rules, least recently used first; at most ROBOTS_CACHED origins (a parsed robots.txt
        # of 500 kB takes about 7 MB, and a feed can link a thousand hosts of one hostile site).
        self._robots: OrderedDict[str, robots.RobotsRules] = OrderedDict()
        self._robots_locks: dict[str, threading.Lock] = {}

    def close(self) -> None:
        self._connections.close()
        close = getattr(self.pacing, "close", None)
        if close is not None:
            close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    # -- the public API -------------------------------------------------------------------------

    def get(
        self,
        url: str,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        byte_range: tuple[int, int] | None = None,
        documents: bool = False,
        context: str = SOURCE,
        validated_at: str | None = None,
    ) -> Response:
        """Fetch one URL, following redirects; never raises for network or HTTP problems.

        byte_range=(offset, length) asks for those bytes only (a ranged GET,
        without compression so the offsets are the page's own): the body is
        then those bytes, from a 206, or cut from the start of a 200 from a
        server that ignores ranges (read no further than they reach).

        documents: the caller reads documents (PDF, .docx) too, so a binary answer is kept rather than
        refused, up to max_document_bytes (a page or feed stays within max_bytes).

        context: for whom the fetch is made, which an error's advice fits (scrapers/http/advice.py): a
        scheduled source (tried again on a later pass) or an address a person gave just now (ADDRESS).

        validated_at: the address `etag` and `last_modified` were answered from, when it is not `url` (the page
        a temporary redirect led to last time): they are sent there, and only there.
        """
        headers, validators = {}, {}
        # A validator that cannot go in a header (non-ASCII, line breaks) just means an unconditional GET.
        if etag and _header_safe(etag):
            validators["If-None-Match"] = etag
        if last_modified and _header_safe(last_modified):
            validators["If-Modified-Since"] = last_modified
        limit, lenient = (self.max_document_bytes if documents else self.max_bytes), False
        if byte_range is not None:
            offset, length = byte_range
            headers["Range"] = f"bytes={offset}-{offset + length - 1}"
            headers["Accept-Encoding"] = "identity"
            limit, lenient = offset + length, True
        elapsed, robots_time = 0.0, 0.0  # time on the network (lookups and robots.txt included); of it, robots.txt's
        current, redirects = url, []
        for hop in range(self.max_redirects + 1):
            if hop and elapsed >= self.total_timeout:  # each hop answered in time; all of them together did not
                return self._too_slow(url, current, hop, robots_time, elapsed, context)
            via = f" (redirected from {url})" if hop else ""
            started = time.monotonic()
            parsed, problem, kind = self.guard.check_url(current, via, context, self._lookup_time(elapsed))
            elapsed += time.monotonic() - started
            if problem:
                no_answer = {UNRESOLVABLE: UNRESOLVED, UNANSWERED: NOT_IN_TIME}.get(kind)
                response = failure(current, error=problem, elapsed=elapsed, no_answer=no_answer)
                response.settings_refused = kind == REFUSED and not hop
                return response
            host = parsed.host  # IDNA-encoded, as DNS and the connection see it
            origin = _origin(parsed)
            interval = self.min_interval
            if self.respect_robots:
                rules, spent = self._robots_rules(origin, host, self._time_left(elapsed))
                elapsed, robots_time = elapsed + spent, robots_time + spent
                if elapsed >= self.total_timeout:  # robots.txt took the fetch's time: the page is not asked for
                    return self._too_slow(url, current, hop, robots_time, elapsed, context)
                if rules.unreachable is not None and rules.cause is not None:
                    failed = _robots_failed(origin, host, port(parsed), rules, context)
                    if rules.no_connection or context == ADDRESS:
                        # A host that takes no connection is the site failing, whoever asked: robots.txt is only
                        # where it showed first. An address asked for now has no later pass to wait for either.
                        return failure(current, error=failed, elapsed=elapsed)
                    response = failure(current, skipped=rules.unreachable, elapsed=elapsed)
                    response.robots_unreadable = failed
                    return response
                if rules.unreachable is not None:
                    return failure(current, skipped=rules.unreachable, elapsed=elapsed)
                if not rules.allows(current, self.robots_token):
                    return failure(current, skipped=DISALLOWED, elapsed=elapsed)
                interval = max(interval, rules.delay(self.robots_token) or 0.0)
            # Validators describe the page at the address they were stored for: sent on to another address a
            # redirect leads to, a tag matching there by chance had a 304 and the page there was never read. Kept
            # for the page a redirect led to (validated_at), they go to that page, and not to the address asked.
            sent = validators if _same_address(current, validated_at or url) else {}
            reply = self._fetch_with_retries(
                current,
                parsed,
                {**headers, **sent, **_credentials(parsed)},
                interval,
                limit=limit,
                lenient=lenient,
                documents=documents,
                spent=elapsed,
                context=context,
            )
            elapsed += reply.elapsed
            if reply.timed_out and elapsed >= self.total_timeout and (hop or robots_time):
                # Cut short by what the earlier hops and robots.txt had taken of the deadline: say so.
                return self._too_slow(url, current, hop, robots_time, elapsed, context)
            if reply.location is None:
                response = self._response(reply, elapsed, etag, last_modified, bool(sent), context)
                if byte_range is not None and response.status == 200:
                    response.body = response.body[byte_range[0] : byte_range[0] + byte_range[1]]
                response.redirects = tuple(redirects)
                return response
            # A Location that cannot be joined is kept as sent, for the next hop's check to refuse by name.
            current = join_url(current, reply.location) or reply.location
            redirects.append(reply.status)
        return failure(
            current,
            error=f"{url} redirected more than {self.max_redirects} times (last to {shorten(current)}); "
            "open it in a browser to find the page's real address.",
            elapsed=elapsed,
        )

    def _time_left(self, elapsed: float) -> float:
        """What is left of the fetch's deadline once `elapsed` seconds of it have gone on the network."""
        return max(self.total_timeout - elapsed, 0.0)

    def _lookup_time(self, elapsed: float) -> float:
        """The seconds a name lookup may take: as long as connecting may, within what is left of the deadline."""
        return min(self.connect_timeout, self._time_left(elapsed))

    def _too_slow(self, url: str, current: str, hop: int, robots_time: float, elapsed: float, context: str) -> Response:
        """The fetch took its deadline in all: over redirects, or with robots.txt read first."""
        how = ""  # "... in total over 2 redirects (the last to ...), 0.3 s of it reading robots.txt; ..."
        if hop:
            how += f" over {hop} redirect{'s' if hop > 1 else ''} (the last to {shorten(current)})"
        if robots_time >= 0.05:
            how += f", {robots_time:.1f} s of it reading robots.txt"
        return failure(
            url,
            error=f"{url} took longer than {self.total_timeout:g} s in total{how}; "
            f"the site is too slow: {advice('later', context)}.",
            elapsed=elapsed,
            no_answer=TOO_SLOW if hop else NOT_IN_TIME,  # a redirect followed is an answer
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

    def allows(self, url: str) -> bool:
        """Whether these settings let url be fetched (the address guard's answer, asking DNS for a name)."""
        return self.guard.allows(url, timeout=self.connect_timeout)

    def spacing(self, url: str) -> float:
        """Seconds left between two requests to url's host, as far as this fetcher knows now.

        The host's Crawl-delay (or Request-rate) once its robots.txt has been
        read, else the minimum interval. Longer than `max_wait` (or the host's
        share of a pass), the host gets one request per pass: a scrape pass
        then gives that request to what
        has waited longest (tracker/scrape/polling.py), or a feed due at every
        pass would take it each time and its pages would never be fetched.
        """
        try:
            parsed = parse_url(url)
            key, origin = normal_host(parsed.host or ""), _origin(parsed)
        except (LocationParseError, ValueError, TypeError, KeyError):
            return self.min_interval
        with self._lock:
            rules = self._robots.get(origin)
        if rules is None and self.respect_robots:
            # Read by an earlier process: a new `scrape` knows the delay too. Remembered, as if fetched, so
            # the other sources on the host and the fetches after cost no second reading and parsing of it.
            rules = self._kept_robots(origin)
            if rules is not None:
                self._remember_robots(origin, parsed.host or "", rules)
        with self._lock:
            slot = self._slots.get(key)
        known = [self.min_interval, slot.delay if slot is not None else 0.0]
        if rules is not None and self.respect_robots:
            known.append(rules.delay(self.robots_token) or 0.0)
        return max(known)

    # -- robots.txt -----------------------------------------------------------------------------

    def _robots_rules(self, origin: str, host: str, budget: float) -> tuple[robots.RobotsRules, float]:
        """The origin's rules, read if need be within `budget` seconds (what is left of the fetch's deadline);
        and the seconds spent reading them on the network (0 when known already)."""
        with self._lock:
            lock = self._robots_locks.setdefault(origin, threading.Lock())
        with lock:
            with self._lock:
                cached = self._robots.get(origin)
                if cached is not None:
                    self._robots.move_to_end(origin)
            if cached is not None and self.clock.now() < cached.expires:
                return cached, 0.0
            if cached is not None:
                # Reading robots.txt again is how a site's new wishes are learnt: the Crawl-delay the old file
                # asked (1e20 holds a site off for good) must not keep that one request from being made.
                with self._turn(host) as slot:
                    slot.delay = min(slot.delay, self.max_wait)
            rules, spent = self._kept_robots(origin), 0.0
            if rules is None:
                rules, body, spent = self._load_robots(origin, budget)
                self._keep_robots(origin, rules, body)
                self._hold_crawl_delay(host, rules)
            self._remember_robots(origin, host, rules)
        return rules, spent

    def _remember_robots(self, origin: str, host: str, rules: robots.RobotsRules) -> None:
        """Keep origin's rules in memory until they expire, and hold the host to the Crawl-delay they ask.

        The one place for both, whether the rules were just fetched or taken
        from the store (by `spacing` or a fetch): rules found in memory are
        used as they are, so the host's slot must be raised when they are
        remembered. The robots.txt request itself counts: the first page
        waits out the Crawl-delay after its start.
        """
        with self._lock:
            self._robots[origin] = rules
            self._robots.move_to_end(origin)
            while len(self._robots) > ROBOTS_CACHED:
                forgotten, _ = self._robots.popitem(last=False)
                self._robots_locks.pop(forgotten, None)
        delay = rules.delay(self.robots_token)
        if delay:
            with self._turn(host) as slot:
                slot.delay = max(slot.delay, delay)

    def _load_robots(self, origin: str, budget: float) -> tuple[robots.RobotsRules, bytes | None, float]:
        """Fetch and interpret an origin's robots.txt (one attempt per hop; failures are cached briefly).

        Its lookups and requests take their time from `budget`, what is left
        of the deadline of the fetch that needs the rules: robots.txt is part
        of that fetch, not time besides it.
        Returns the rules, the body they were read from (None when there are none: allow all, unreachable),
        and the seconds spent on the network.
        """
        url, spent = f"{origin}/robots.txt", 0.0
        for _ in range(robots.MAX_ROBOTS_REDIRECTS + 1):
            started = time.monotonic()
            lookup_time = min(self.connect_timeout, max(budget - spent, 0.0))
            parsed, problem, kind = self.guard.check_url(url, " (robots.txt)", timeout=lookup_time)
            spent += time.monotonic() - started
            if problem and kind == UNANSWERED:  # the fetch's time ran out: nothing is known of robots.txt
                return robots.unreachable(problem, self.clock.now()), None, spent
            if problem:
                return self._robots_unreachable(origin, problem), None, spent
            reply = self._exchange(
                url, parsed, {}, self.min_interval, limit=robots.MAX_ROBOTS_BYTES, lenient=True, budget=budget - spent
            )
            spent += reply.elapsed
            if reply.location is None:
                break
            url = join_url(url, reply.location) or reply.location
        else:
            return self._robots_unreachable(origin, "it redirects too many times"), None, spent
        now = self.clock.now()
        if reply.skipped or (reply.timed_out and spent >= budget):
            # Not asked (the host's turn is too far off, or we are stopping), or cut short by the fetch's deadline:
            # nothing is known of robots.txt. Taken for an unreadable one, it kept the site disallowed for
            # robots_error_ttl, said to be so. Expired at once, it is asked for at the next fetch, which the
            # host's turn holds off as long as due.
            return robots.unreachable(reply.skipped or reply.error, now), None, spent
        if reply.no_connection is not None:  # the host answered nothing at all: say so, not the sentence's advice
            return self._robots_unreachable(origin, reply.no_connection, no_connection=True), None, spent
        if reply.status is None or reply.error:
            return self._robots_unreachable(origin, reply.error or "no answer"), None, spent
        if 200 <= reply.status < 300:
            body = reply.body[: robots.MAX_ROBOTS_BYTES]
            return robots.parse(body, now + self.robots_ttl), body, spent
        if reply.status == 429 or reply.status >= 500:
            return self._robots_unreachable(origin, f"it answered HTTP {reply.status}"), None, spent
        return robots.allow_all(now + self.robots_ttl), None, spent

    def _hold_crawl_delay(self, host: str, rules: robots.RobotsRules) -> None:
        """robots.txt's request was claimed under the minimum interval; it holds the Crawl-delay it asks.

        In memory that is the slot's delay (raised in _robots_rules). The
        pacing store must know it as well: a process that takes robots.txt
        from the store does not ask for it, and its first page would follow
        that request by the minimum interval only.
        """
        delay = rules.delay(self.robots_token)
        if not delay or self.pacing is None:
            return
        try:
            self.pacing.hold(normal_host(host), delay)
        except Exception as exc:  # best effort, as every claim in the store
            log.warning("could not record the Crawl-delay of %s in the pacing store: %s", host, exc)

    def _kept_robots(self, origin: str) -> robots.RobotsRules | None:
        """The rules another process (or this one before a restart) read, while they hold; None to ask the site.

        Rules that would hold longer than they were read for were kept on a clock since set back: asked again.
        """
        if self.robots_store is None:
            return None
        try:
            kept = self.robots_store.load_robots(origin)
        except Exception as exc:  # best effort, as the pacing store: the site is asked instead
            log.warning("could not read the robots.txt kept for %s: %s", origin, exc)
            return None
        if kept is None:
            return None
        body, expires_at = kept
        left = expires_at - self.clock.wall()
        if left <= 0 or left > self.robots_ttl:
            return None
        expires = self.clock.now() + left
        return robots.parse(body, expires) if body is not None else robots.allow_all(expires)

    def _keep_robots(self, origin: str, rules: robots.RobotsRules, body: bytes | None) -> None:
        """Rules read from the site are kept for other processes; an unreachable one is not (it may be our stop)."""
        if self.robots_store is None or rules.unreachable is not None:
            return
        expires_at = self.clock.wall() + (rules.expires - self.clock.now())
        try:
            self.robots_store.save_robots(origin, body, expires_at)
        except Exception as exc:
            log.warning("could not keep the robots.txt of %s: %s", origin, exc)

    def _robots_unreachable(self, origin: str, why: str, *, no_connection: bool = False) -> robots.RobotsRules:
        """no_connection: `why` is how connecting to the host failed ("connection refused"), not a sentence."""
        minutes = max(1, round(self.robots_error_ttl / 60))
        again = f"about {minutes} minute{'s' if minutes != 1 else ''}"
        if no_connection:  # said by _robots_failed, as a failure of the fetch; this is what the rules hold
            reason = f"Could not connect to {origin} ({why}); nothing is asked of it for {again}."
        else:
            reason = (
                f"robots.txt of {origin} could not be read ({why}); as the robots.txt standard asks, "
                f"the whole site is treated as disallowed for now and robots.txt will be asked again in {again}."
            )
        expires = self.clock.now() + self.robots_error_ttl
        return robots.unreachable(reason, expires, cause=why, no_connection=no_connection)

    # -- politeness and retries -----------------------------------------------------------------

    @contextlib.contextmanager
    def _turn(self, host: str) -> Iterator[_HostSlot]:
        """The host's slot, its lock held: one request at a time per host.

        Past HOSTS_KEPT hosts, the slots nobody is using and whose waits are
        over are forgotten as a new host comes: `watch` runs for days and its
        feeds keep linking hosts it never meets again.
        """
        key = normal_host(host)
        with self._lock:
            slot = self._slots.get(key)
            if slot is None:
                if len(self._slots) >= HOSTS_KEPT:
                    now = self.clock.now()
                    for name, kept in list(self._slots.items()):
                        if kept.idle(now, self.min_interval):
                            del self._slots[name]
                slot = self._slots[key] = _HostSlot()
            slot.users += 1
        try:
            with slot.lock:
                yield slot
        finally:
            with self._lock:
                slot.users -= 1

    def _fetch_with_retries(
        self,
        url: str,
        parsed: Url,
        headers: dict[str, str],
        interval: float,
        *,
        limit: int,
        lenient: bool = False,
        documents: bool = False,
        spent: float = 0.0,
        context: str = SOURCE,
    ) -> Reply:
        """One hop, retried as its answers allow; no retry once the fetch (`spent` on earlier hops, and these
        attempts) has taken the total deadline. The reply's `elapsed` counts every attempt."""
        attempt, elapsed = 0, 0.0
        while True:
            attempt += 1
            reply = self._exchange(
                url,
                parsed,
                headers,
                interval,
                limit=limit,
                retrying=attempt,
                lenient=lenient,
                binary_ok=documents,
                context=context,
                budget=self.total_timeout - spent - elapsed,
            )
            elapsed += reply.elapsed
            reply.attempts, reply.elapsed = attempt, elapsed
            if not reply.retryable or attempt > self.retries or reply.skipped:
                return reply
            if spent + elapsed >= self.total_timeout:
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
        context: str = SOURCE,
        budget: float | None = None,
    ) -> Reply:
        """One request in the host's turn: wait for the turn, send, read, and set when the next may start.

        budget: the seconds left of the fetch's deadline, which the request may take at most (from sending).
        """
        host = parsed.host
        with self._turn(host) as slot:
            wait = self._take_turn(slot, normal_host(host), interval)
            if wait is not None and self.stop is not None and self.stop.is_set():
                return Reply(url, skipped="not requested: stopping; it will be fetched on the next pass.")
            if wait is not None:
                return Reply(
                    url,
                    skipped=f"{host} asked us to wait {_wait_words(wait)} before the next request "
                    f"({slot.why_waiting}); not requested now, it will be fetched on a later pass.",
                    retry_after=wait,
                )
            slot.last_start = self.clock.now()
            slot.delay = interval
            slot.why_waiting = "Crawl-delay / minimum interval"
            reply = send(
                self._connections,
                url,
                parsed,
                {**self._headers, **headers},
                limit=limit,
                total_timeout=self.total_timeout,
                budget=budget,
                lenient=lenient,
                binary_ok=binary_ok,
                page_limit=self.max_bytes if binary_ok else None,
                context=context,
            )
            if reply.retryable:
                delay = self._retry_delay(reply, retrying)
                if delay > interval:
                    slot.next_allowed = self.clock.now() + delay
                    slot.why_waiting = "Retry-After" if reply.retry_after is not None else "backing off after errors"
        return reply

    def _take_turn(self, slot: _HostSlot, host: str, interval: float) -> float | None:
        """Wait until a request to host may start now, and claim it; or the seconds to wait, if too long.

        The delay counts from the previous request's start: the larger of the
        one it was made under and this one's (robots.txt may have raised it
        since). With a pacing store, the start is claimed there at the moment
        it is made, and a claim the store knows of (another process, or this
        host's last request before a restart) makes this one wait.
        """
        while True:
            now = self.clock.now()
            start = max(now, slot.next_allowed, slot.last_start + max(slot.delay, interval))
            if start - now > self.max_wait:
                return start - now
            if start > now:
                if self._pause(start - now):
                    return start - now
                continue
            if self.pacing is None or (interval <= 0 and slot.last_start > -math.inf):
                return None
            try:
                not_before = self.pacing.reserve(host, interval, self.clock.wall)
            except Exception as exc:  # the store is best effort beyond this process; pacing within it holds
                log.warning("could not record the request to %s in the pacing store: %s", host, exc)
                return None
            if not_before is None:
                return None
            slot.next_allowed = max(slot.next_allowed, now + not_before - self.clock.wall())
            slot.why_waiting = "a request by another process, or before a restart"

    def _pause(self, seconds: float) -> bool:
        """Sleep through a host's delay; True when the stop event cut the sleep short."""
        if self.stop is None:
            self.clock.sleep(seconds)
            return False
        return self.stop.wait(seconds)

    # -- the final Response ---------------------------------------------------------------------

    def _last_modified(self, headers: dict[str, str]) -> str | None:
        """Last-Modified as a validator to send back, unless it is later than the answer's Date (our clock's time
        without one). RFC 9110 forbids an origin to send such a date; sent back as If-Modified-Since it made
        every later change look older than it, and a server comparing dates answered 304 until it came."""
        value = headers.get("last-modified")
        modified = http_date(value)
        if modified is None:  # none, or not a date: kept as sent (nginx compares it as written)
            return value
        sent = http_date(headers.get("date"))
        return value if modified <= (sent if sent is not None else self.clock.wall()) + CLOCK_SLACK else None

    def _response(
        self,
        reply: Reply,
        elapsed: float,
        etag: str | None,
        last_modified: str | None,
        conditional: bool,
        context: str = SOURCE,
    ) -> Response:
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
            last_modified=self._last_modified(reply.headers),
            attempts=reply.attempts,
            retry_after=reply.retry_after,
            no_answer=_no_answer(reply),
        )
        if reply.error or reply.skipped or reply.status is None:
            return response
        if reply.status == 304 and not conditional:  # nothing was asked to be compared: no content, ever
            response.error = (
                f"{reply.url} answered 304 Not Modified to a request without validators, so there is nothing "
                "to read; check the address in a browser."
            )
        elif reply.status == 304:
            response.not_modified = True
            response.body = b""
            # A 304 need not repeat the validators; the ones we sent are still current.
            response.etag = response.etag or etag
            response.last_modified = response.last_modified or last_modified
        elif not 200 <= reply.status < 300:
            response.error = status_error(reply, context)
        return response


# -- helpers ------------------------------------------------------------------------------------


def _no_answer(reply: Reply) -> str | None:
    """Why a timed-out exchange is no answer, in words for the pages of its host left for later: a status received
    is an answer begun, told as TOO_SLOW (a page dripped past the deadline), not as silence."""
    if not reply.timed_out:
        return None
    return TOO_SLOW if reply.status is not None else NOT_IN_TIME


def failure(
    url: str,
    *,
    error: str | None = None,
    skipped: str | None = None,
    elapsed: float = 0.0,
    retry_after: float | None = None,
    no_answer: str | None = None,
) -> Response:
    """A response with nothing received: an error, or a request not made (`skipped`) and when to try again."""
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
        retry_after=retry_after,
        no_answer=no_answer,
    )


def _robots_failed(origin: str, host: str, port_number: int, rules: robots.RobotsRules, context: str) -> str:
    """Why a URL was not fetched when its site's robots.txt could not be read: the host took no connection
    (a failure, said for `context`); for an address a person gave just now, robots.txt answered an error; for a
    scheduled fetch, robots.txt still answering an error at the next poll (Response.robots_unreadable)."""
    if rules.no_connection:
        return f"Could not connect to {host}:{port_number} ({rules.cause}); {advice('down', context)}."
    if context != ADDRESS:
        return (
            f"robots.txt of {origin} still cannot be read ({rules.cause}); until it can be, the robots.txt standard "
            f"asks us to fetch nothing from {host}: {advice('later', context)}; if it lasts, "
            f"{advice('unasked', context)}."
        )
    return (
        f"robots.txt of {origin} could not be read ({rules.cause}); until it can be, the robots.txt standard "
        f"asks us to fetch nothing from the site: {advice('later', ADDRESS)}, or save the page from a browser "
        "and add the saved file."
    )


def _wait_words(seconds: float) -> str:
    """A wait as the sentence says it: "90 s", or past a day "more than a day" (a Crawl-delay of 1e308 is
    309 digits written out, kept as the source's last error and in the fetch log)."""
    return f"{seconds:.0f} s" if seconds <= 24 * 3600 else "more than a day"


def _same_address(one: str, other: str) -> bool:
    """Whether two URLs name the same page: a fragment is the browser's, never sent, so it does not count."""
    return urldefrag(one).url == urldefrag(other).url


def _header_safe(value: str) -> bool:
    return value.isascii() and value.isprintable()


def _host_key(url: str) -> str:
    try:
        return normal_host(parse_url(url).host or "")
    except (LocationParseError, ValueError, TypeError):
        return ""


def origin_of(url: str) -> str:
    """scheme://host[:port] of a URL (as `_origin`), or "" for one that does not parse as http(s)."""
    try:
        return _origin(parse_url(url))
    except (LocationParseError, ValueError, TypeError, KeyError):
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
