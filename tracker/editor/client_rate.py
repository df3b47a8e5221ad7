"""A rate per client address, kept in this process's memory with a bound on how many addresses it remembers.

For a page anyone may reach without signing in and that must stay cheap to
refuse: an alert email's unsubscribe link (editor/alerts.py). The login
limits count in the tracker database (login_limits.py) so that every worker
process shares them, at the price of a write per counted attempt; counting
every request to a page anyone may hammer that way would make each one a
write through the writer lock, more work than the page itself. Here each
worker process counts on its own (the editor runs a few: the limit a client
gets is at most that many times the rate), nothing is written, and a refusal
costs a dictionary lookup.

A token bucket per client: `per_minute` requests, refilled evenly, a burst of
at most `per_minute`. At most `max_clients` are remembered; the least
recently seen are forgotten first (one forgotten starts again with a full
bucket, as a new address would). The public site's own limits are the same
rule in a Datasette plugin, which imports nothing from the tracker
(public/plugins/query_limits.py, RateLimit).
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable


class ClientRate:
    def __init__(self, per_minute: int, max_clients: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.rate = max(per_minute, 1) / 60.0
        self.capacity = float(max(per_minute, 1))
        self.max_clients = max(max_clients, 1)
        self.clock = clock
        self.buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()  # client -> (tokens, when counted)
        self.lock = threading.Lock()  # the editor serves each worker's requests on several threads

    def __len__(self) -> int:
        return len(self.buckets)

    def take(self, client: str) -> float:
        """0 when the client may go ahead (one request counted), else the seconds until it may."""
        with self.lock:
            now = self.clock()
            tokens, at = self.buckets.pop(client, (self.capacity, now))
            tokens = min(self.capacity, tokens + (now - at) * self.rate)
            wait = 0.0 if tokens >= 1 else (1 - tokens) / self.rate
            self.buckets[client] = (tokens - 1 if not wait else tokens, now)
            while len(self.buckets) > self.max_clients:
                self.buckets.popitem(last=False)
            return wait
