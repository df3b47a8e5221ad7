"""A rate per client address, a token bucket kept in this process's memory, with a bound on how many it remembers.

The one rule for every limit per client address that is counted in memory:
the public site's visitors' SQL and reads (query_limits.py, `sql_per_minute`,
`reads_per_minute`), the SQL time a client's queries may spend
(`sql_ms_per_minute`: a bucket of milliseconds, charged after each request
with what it spent) and the editor's one page anyone may POST to without
signing in, an alert email's unsubscribe link (tracker/editor/alerts.py,
`UNSUBSCRIBE_PER_MINUTE`). Both load this file by its path: Datasette loads
the plugins as bare modules (a deployed container holds this directory, not
the project), and the editor importing it as a package would run
tracker/public/__init__.py, which imports Datasette
(tracker/editor/client_rate.py). It imports nothing but the standard
library, and defines no Datasette hook.

A token bucket per client: `per_minute` requests, refilled evenly, a burst
of at most `per_minute`; 0 lets nothing through (a caller that means "no
limit" does not ask). At most `max_clients` are remembered; the least
recently seen are forgotten first (one forgotten starts again with a full
bucket, as a new address would). A refusal costs a dictionary lookup and
writes nothing, so a client hammering a page is refused more cheaply than
the page is served. A lock guards the buckets: the editor serves each
worker's requests on several threads (the public site takes and gives back
on its event loop, where the lock is never contended).

What a client is, is one rule too (`network_of`): its address, an IPv6
client by its /64. The editor's login limits key their counts by it as well.

The editor's login limits count in the tracker database instead
(editor/login_limits.py), so that every worker process shares them, at the
price of a write per counted attempt; here each process counts on its own
(a client gets at most that many times the rate).
"""

from __future__ import annotations

import ipaddress
import threading
import time
from collections import OrderedDict
from collections.abc import Callable

# Clients remembered by a limit unless told otherwise; the least recently seen are forgotten first.
MAX_CLIENTS = 10_000
# The wait told to a client when the rate is 0: nothing will refill its bucket.
NEVER_SECONDS = 3600.0


def network_of(address: str) -> str:
    """An address as the limits count it: an IPv6 client by its /64, the block one subscriber is given (counted
    address by address, a client would have 2^64 fresh limits); an IPv4 address written as IPv6 (::ffff:10.0.0.1)
    as the IPv4 client it names; anything that is no address as it is."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


class RateLimit:
    """A token bucket per client: `per_minute` requests, refilled evenly; a burst of at most `per_minute`."""

    def __init__(
        self, per_minute: int, clock: Callable[[], float] = time.monotonic, max_clients: int = MAX_CLIENTS
    ) -> None:
        self.rate = max(per_minute, 0) / 60.0
        self.capacity = float(max(per_minute, 0))
        self.clock = clock
        self.max_clients = max(max_clients, 1)
        self.buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()  # client -> (tokens, when counted)
        self.lock = threading.Lock()

    def __len__(self) -> int:
        return len(self.buckets)

    def take(self, client: str) -> float:
        """0 when the client may go ahead (one token taken), else the seconds until it may."""
        with self.lock:
            now = self.clock()
            tokens, at = self.buckets.pop(client, (self.capacity, now))
            tokens = min(self.capacity, tokens + (now - at) * self.rate)
            if tokens >= 1:
                wait, tokens = 0.0, tokens - 1
            else:
                wait = (1 - tokens) / self.rate if self.rate > 0 else NEVER_SECONDS
            self.buckets[client] = (tokens, now)  # the most recently seen last
            while len(self.buckets) > self.max_clients:
                self.buckets.popitem(last=False)
            return wait

    def charge(self, client: str, amount: float) -> None:
        """Take `amount` more from the client's bucket, into debt if need be: what a request turned out to cost
        (the SQL time it spent, query_limits.py), known only once it has run. A client in debt waits until the
        refill has paid it off, so a request that overspent delays the next one by what it overspent."""
        if amount <= 0:
            return
        with self.lock:
            now = self.clock()
            tokens, at = self.buckets.pop(client, (self.capacity, now))
            tokens = min(self.capacity, tokens + (now - at) * self.rate) - amount
            self.buckets[client] = (tokens, now)  # the most recently seen last
            while len(self.buckets) > self.max_clients:
                self.buckets.popitem(last=False)

    def give_back(self, client: str) -> None:
        """Return the token a request took (it turned out to cost nothing: a page from the cache)."""
        with self.lock:
            if client in self.buckets:
                tokens, at = self.buckets[client]
                self.buckets[client] = (min(self.capacity, tokens + 1), at)
