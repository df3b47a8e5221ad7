"""The address guard: which URLs a reporter types in may be fetched, and which addresses they may reach.

Only http and https; every address a host resolves to is checked, on every
redirect hop (the fetcher calls `check_url` for each) and again at connect
time (scrapers/http/transport.py connects only to addresses `resolve` has just
approved), so DNS answers that change between the check and the connection
cannot reach the newsroom's own network. A lookup waits only the time its
fetch has left (`resolve`'s timeout): a name server that never answers costs
a fetch its deadline, not the pass. A caller that gives no time gets
LOOKUP_TIMEOUT: no lookup through the guard is unbounded, and the guard is
the one place names are looked up (the fetcher, the alert sender's
connections, a source or destination as it is saved).
"""

from __future__ import annotations

import ipaddress
import math
import re
import socket
import threading
import time
from collections.abc import Callable

from urllib3.exceptions import LocationParseError
from urllib3.util import Url, parse_url

from scrapers.http.advice import SOURCE, advice
from scrapers.urls import DEFAULT_PORTS

CONTROL_CHARS = re.compile(r"[\x00-\x1f\x7f-\x9f]")
HOST_CHARS = re.compile(r"^(?:[A-Za-z0-9_.-]+|[0-9A-Fa-f:.]+(?:%[A-Za-z0-9]+)?)$")
NAT64_PREFIX = ipaddress.IPv6Network("64:ff9b::/96")
SHOWN = 300  # characters of a URL an error sentence quotes: a redirect's Location can be 64 KB
# Why check_url will not fetch a URL, when it is not the URL itself: its name does not resolve, the resolver
# gave no answer in time, or these settings refuse its address.
UNRESOLVABLE, UNANSWERED, REFUSED = "unresolvable", "unanswered", "refused"
# Approvals kept for check(): forgetting one costs a resolver call, keeping every host a watch loop meets
# would grow for as long as it runs.
APPROVALS_KEPT = 1024
# Lookups on threads of their own, still unanswered, in the whole process: past this many, no other is started
# (each holds a thread until the system resolver gives up, and a feed can link a thousand hosts).
HUNG_LOOKUPS = 32
# ... counted per share, by whose lookups they are (AddressGuard's `share`): the alert sender's have their own, one
# per sending thread, so a hundred alert destinations behind a silent name server leave the scraper of the same
# process (`watch` sends alerts on a thread) its own 32, where they had taken all of them.
HUNG_LOOKUPS_OF = {"fetch": HUNG_LOOKUPS, "alerts": 16}
# Seconds any lookup waits for its answer at most, when its caller gives no shorter time: as long as connecting may
# take (the fetcher's connect timeout, the alert sender's). Before it, a caller giving none waited for the resolver
# as long as it kept trying, and `sources add` on a `localhost` URL stalled behind a silent name server.
LOOKUP_TIMEOUT = 10.0


class AddressRefused(Exception):
    """A host resolves to an address reporters' URLs may not reach (the newsroom's own network)."""

    def __init__(self, host: str, address: str, kind: str) -> None:
        self.host, self.address, self.kind = host, address, kind
        # The rule, never the address: what a name resolves to inside the newsroom is not staff's business
        # (nor a way to map the internal network one refusal at a time).
        article = "an" if kind[0] in "aeiou" else "a"  # "an unspecified address"
        super().__init__(f"{host} is {article} {kind} address, and {kind} addresses are refused")


class UnresolvableHost(Exception):
    """DNS has no address for the host."""


class LookupTimeout(UnresolvableHost):
    """The resolver gave no answer within the time the fetch had left."""


class _Lookup:
    """One name lookup running on its own thread; whoever asks for the same host meanwhile waits for its answer."""

    def __init__(self, share: str) -> None:
        self.share = share  # whose lookup it is (HUNG_LOOKUPS_OF)
        self.done = threading.Event()
        self.answer: list = []
        self.abandoned = False  # a caller's time ran out waiting for it: the host's name servers are not answering


# (getaddrinfo or its stand-in, host) -> its lookup still running, for every guard of the process: a fetcher is
# made per ingest, and its guard's own table would let each start a thread of its own for the same silent host.
_running: dict[tuple[Callable[..., list], str], _Lookup] = {}
_running_lock = threading.Lock()


class _Unfit(Exception):
    """A URL check_url will not fetch; the words say why, `kind` whether it is UNRESOLVABLE or REFUSED."""

    def __init__(self, words: str, kind: str | None = None) -> None:
        super().__init__(words)
        self.kind = kind


# Where cloud machines keep their credentials (AWS, Google Cloud, Azure, OpenStack: 169.254.169.254; AWS over IPv6:
# fd00:ec2::254; Alibaba Cloud: 100.100.100.200). A page's redirect is enough to reach one, so these and every
# link-local address are never fetched, whatever TRACKER_ALLOW_PRIVATE or the allowed hosts say.
METADATA_ADDRESSES = frozenset(map(ipaddress.ip_address, ("169.254.169.254", "fd00:ec2::254", "100.100.100.200")))
NEVER_FETCHED = ("cloud metadata", "link-local")


def never_fetched(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str | None:
    """Why an address is refused even where private addresses are allowed (one of NEVER_FETCHED), or None."""
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if ip in METADATA_ADDRESSES:
        return "cloud metadata"
    if ip.is_link_local:
        return "link-local"
    return None


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
    """Resolves host names and refuses non-public addresses unless the configuration allows them.

    host_map pins named hosts to one address and port, like curl's
    --connect-to: the URL, the Host header and robots.txt keep the name, the
    connection goes to the pinned address, and DNS is never asked. The live
    demo maps its fictional `.example` sites to its own server on loopback
    this way, so exactly those names reach exactly that server and nothing
    else on the machine becomes fetchable (tracker/config.py builds the map).
    """

    CHECKED_FOR = 60.0  # seconds a host's approval stands for check(); connections always resolve afresh

    def __init__(
        self,
        allow_private: bool,
        allowed_hosts: set[str] | frozenset[str],
        host_map: dict[str, tuple[str, int]] | None = None,
        lookup: Callable[..., list] | None = None,
        share: str = "fetch",
    ) -> None:
        self.lookup = lookup  # getaddrinfo's stand-in (tests give a resolver that stalls); None: getaddrinfo
        self.share = share  # whose lookups these are: each share has its own bound (HUNG_LOOKUPS_OF)
        self.allow_private = allow_private
        self.allowed_hosts = {normal_host(h) for h in allowed_hosts}
        self.host_map = {normal_host(h): target for h, target in (host_map or {}).items()}
        self._approved: dict[tuple[str, int], float] = {}

    def check_url(
        self, url: str, via: str, context: str = SOURCE, timeout: float | None = None
    ) -> tuple[Url | None, str | None, str | None]:
        """The parsed URL (host IDNA-encoded), or a sentence saying why we will not fetch it (its advice for
        `context`, scrapers/http/advice.py); and UNRESOLVABLE when that is because the host name did not
        resolve (the site's other pages would fail the same way, and a lookup that times out costs seconds
        each time), UNANSWERED when the resolver gave no answer within `timeout` seconds, REFUSED when these
        settings refuse the address it resolves to (no request is made: the failure is ours, not the site's)."""
        try:
            return self._check_url(url, via, context, timeout), None, None
        except _Unfit as exc:
            return None, str(exc), exc.kind

    def allows(self, url: str, timeout: float | None = None) -> bool:
        """Whether a URL may be fetched under these settings now (its host resolves to addresses they allow)."""
        return self.check_url(url, "", timeout=timeout)[1] is None

    def _check_url(self, url: str, via: str, context: str, timeout: float | None) -> Url:
        shown = shorten(url)
        check = advice("check", context)
        # Control characters first: a redirect's Location is the site's text, and the sentence goes to a terminal.
        if CONTROL_CHARS.search(url):
            raise _Unfit(f"{shown!r}{via} is not a valid web address (a control character); {check}.")
        if url.partition(":")[0].lower() not in ("http", "https"):
            raise _Unfit(
                f"{shown}{via} is not an http or https address; only web pages and feeds can be fetched, {check}."
            )
        try:
            parsed = parse_url(url)
        except (LocationParseError, ValueError) as exc:
            why = shorten(str(exc))
            raise _Unfit(f"{shown!r}{via} is not a valid web address ({why}); {check}.") from None
        if not parsed.host:
            raise _Unfit(f"{shown}{via} has no host name; {check}.")
        host = parsed.host.strip("[]")
        if not HOST_CHARS.match(host):
            raise _Unfit(f"{shown!r}{via} is not a valid web address (bad host name); {check}.")
        try:
            self.check(host, port(parsed), timeout)
        except LookupTimeout as exc:
            raise _Unfit(f"Could not fetch {shown}{via}: {exc}; {advice('later', context)}.", UNANSWERED) from exc
        except UnresolvableHost as exc:
            raise _Unfit(f"Could not fetch {shown}{via}: {exc}; check the address for typos.", UNRESOLVABLE) from exc
        except AddressRefused as exc:
            raise _Unfit(refusal(shown + via, exc, context), REFUSED) from None
        return parsed

    def check(self, host: str, port: int, timeout: float | None = None) -> None:
        """resolve() before a request, its approval remembered for a minute.

        A resolver call per request would cost more than the request on a
        kept-alive connection. Remembering is safe: a new connection resolves
        and checks again as it connects (transport._GuardedConnectionMixin), and
        a kept-alive one stays with the address it was approved for.
        Refusals are not remembered.
        """
        key = (host, port)
        if self._approved.get(key, -math.inf) > time.monotonic():
            return
        self.resolve(host, port, timeout)
        if len(self._approved) >= APPROVALS_KEPT:
            self._approved.clear()  # all of them at once: one call, safe while other threads check
        self._approved[key] = time.monotonic() + self.CHECKED_FOR

    def resolve(self, host: str, port: int, timeout: float | None = None) -> list[str]:
        """Every address of `host`, refusing the lot if any one of them is not public.

        timeout: the seconds the lookup may take (the time its fetch has left), else LookupTimeout; None
        waits LOOKUP_TIMEOUT.
        """
        host = normal_host(host)
        if host in self.host_map:  # pinned by the configuration: that address, whatever DNS would say
            return [self.host_map[host][0]]
        try:
            infos = self._lookup(host, port, timeout)
        except LookupTimeout:
            raise
        except (OSError, UnicodeError) as exc:
            raise UnresolvableHost(f"{host} could not be resolved ({os_words(exc)})") from exc
        addresses = list(dict.fromkeys(info[4][0] for info in infos))
        private_allowed = self.allow_private or host in self.allowed_hosts
        for address in addresses:
            ip = ipaddress.ip_address(address.split("%", 1)[0])
            problem = never_fetched(ip) or (None if private_allowed else address_problem(ip))
            if problem:
                raise AddressRefused(host, address, problem)
        return addresses

    def _lookup(self, host: str, port: int, timeout: float | None) -> list:
        """getaddrinfo's answer, waited for at most `timeout` seconds.

        getaddrinfo takes no timeout, and a name server that takes the
        question and never answers held the fetch, and the scrape pass with
        it, for as long as it kept silent. So the lookup runs on a thread of
        its own, left to finish in the background if the time runs out (the
        system resolver gives up in the end). At most one runs per host: a
        lookup of a host whose last one is still unanswered after its
        caller gave up fails at once, without a thread, and one asked while
        another is under way waits for that one's answer. Past the bound of
        this guard's share (HUNG_LOOKUPS_OF) running in the process, none
        of it is started. An address written as one
        is never asked of a resolver: no thread for it. The answer's
        addresses serve any port (resolve reads only them).
        """
        lookup = self.lookup or socket.getaddrinfo  # read at each call: replaced in some tests once made
        if _numeric(host):
            return lookup(host, port, type=socket.SOCK_STREAM)
        if timeout is None:
            timeout = LOOKUP_TIMEOUT
        silent = LookupTimeout(f"the name servers of {host} gave no answer in time")
        key = (lookup, host)
        with _running_lock:
            running = _running.get(key)
            if running is not None and running.abandoned:
                raise silent
            if running is None:
                waiting = sum(1 for other in _running.values() if other.share == self.share)
                if waiting >= HUNG_LOOKUPS_OF[self.share]:
                    raise LookupTimeout(
                        f"the name servers of {host} were not asked: {waiting} lookups are still waiting for an answer"
                    )
                running = _running[key] = _Lookup(self.share)
                threading.Thread(
                    target=_ask, args=(key, running, port), name=f"lookup {host[:40]}", daemon=True
                ).start()
        if not running.done.wait(max(timeout, 0.0)):
            running.abandoned = True
            raise silent
        if isinstance(running.answer[0], BaseException):
            raise running.answer[0]
        return running.answer[0]

    def connect_port(self, host: str, port: int) -> int:
        """The port a connection to host:port really goes to: the pinned one for a mapped host."""
        pinned = self.host_map.get(normal_host(host))
        return pinned[1] if pinned else port


def _ask(key: tuple[Callable[..., list], str], running: _Lookup, port: int) -> None:
    """A lookup's thread: its answer, or the exception the callers raise; then it is no longer running."""
    lookup, host = key
    try:
        running.answer.append(lookup(host, port, type=socket.SOCK_STREAM))
    except BaseException as exc:
        running.answer.append(exc)
    finally:
        with _running_lock:
            if _running.get(key) is running:
                del _running[key]
        running.done.set()


def os_words(exc: BaseException) -> str:
    """What went wrong in words, without the "[Errno 111]" a reporter can do nothing with: "connection refused"."""
    words = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
    words = " ".join(str(words).split())
    return words[:1].lower() + words[1:] if words[1:2].islower() else words


def _numeric(host: str) -> bool:
    """Whether a host is an IP address written out (a resolver answers it without asking anyone)."""
    try:
        ipaddress.ip_address(host.split("%", 1)[0])
    except ValueError:
        return False
    return True


def shorten(text: str) -> str:
    """A URL as an error sentence quotes it: at most SHOWN characters, so the sentence stays one readable line."""
    return text if len(text) <= SHOWN else text[:SHOWN] + "…"


def normal_host(host: str) -> str:
    """A host name as the guard and the per-host pacing key it: lower case, no trailing dot or brackets."""
    return host.strip().lower().rstrip(".").strip("[]")


def port(parsed: Url) -> int:
    """The port a URL (http or https, checked by check_url) connects to."""
    return parsed.port or DEFAULT_PORTS[parsed.scheme]


def refusal(url: str, exc: AddressRefused, context: str = SOURCE) -> str:
    """The sentence for a URL the guard refused, saying how to allow it if it really should be fetched."""
    if exc.kind in NEVER_FETCHED:  # no setting allows these: advising one would hand over the machine's keys
        return (
            f"Refused to fetch {url}: {exc}. Such addresses are never fetched (cloud machines keep their "
            "credentials there)."
        )
    return (
        f"Refused to fetch {url}: {exc}. {advice('own network', context)}, "
        f"add {exc.host} to the allowed hosts in the configuration "
        "(TRACKER_ALLOWED_HOSTS), or allow private addresses (TRACKER_ALLOW_PRIVATE)."
    )
