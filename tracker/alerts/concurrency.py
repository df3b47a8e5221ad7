"""How many alerts to send at once: as many as make sending faster, found from how long the sends take.

A send to a service across the internet is mostly waiting for the far end,
and sixteen at once go out nearly sixteen times as fast as one. A send to a
server on this machine or the newsroom's network is mostly CPU: Python
threads then only queue for the interpreter lock, every send takes longer
and the sender's own work (routing, batching, recording) waits behind them.
No fixed number is right for both, and one sender serves both kinds.

So the number adapts to what the sends measure, the way TCP Vegas sizes
its window: each send's time is compared with the fastest recent send to
the same server (its time without contention); when sends typically take
more than SLOWER times that, they are queueing behind each other and the
limit comes down by one; when they take less than FAST times it, sending is
waiting on the network and the limit goes up by one, up to the pool's
threads. Failed sends are not measured: a timeout says nothing about
contention.
"""

from __future__ import annotations

import contextlib
import statistics
import threading
from collections import deque
from collections.abc import Iterator

SLOWER = 2.0  # median send time over the server's fastest recent one: above this, sends are queueing
FAST = 1.4  # below this, more at once would be faster
FASTEST_OF = 500  # recent sends per server the fastest is taken from (an old, lucky one is forgotten)
MINIMUM = 2  # one send at a time would leave the sender idle while a message waits on the network


class Limit:
    """A gate that lets `current` sends through at once, and adjusts `current` from their times."""

    def __init__(self, maximum: int, start: int | None = None) -> None:
        self.maximum = max(1, maximum)
        self.minimum = min(MINIMUM, self.maximum)
        self.current = max(self.minimum, min(self.maximum, start or self.maximum))
        self.busy = 0
        self.cond = threading.Condition()
        self.recent: dict[str, deque[float]] = {}
        self.window: list[float] = []

    @contextlib.contextmanager
    def slot(self) -> Iterator[None]:
        """Hold one of the `current` places while sending (waiting, without CPU, for one to free)."""
        with self.cond:
            self.cond.wait_for(lambda: self.busy < self.current)
            self.busy += 1
        try:
            yield
        finally:
            with self.cond:
                self.busy -= 1
                self.cond.notify()

    def measured(self, server: str, seconds: float) -> None:
        """One successful send to `server` took `seconds`; every `current` of them, the limit is reconsidered."""
        with self.cond:
            times = self.recent.setdefault(server, deque(maxlen=FASTEST_OF))
            times.append(seconds)
            fastest = min(times)
            self.window.append(seconds / fastest if fastest > 0 else 1.0)
            if len(self.window) < max(self.current, 4):
                return
            typical = statistics.median(self.window)
            self.window.clear()
            if typical > SLOWER and self.current > self.minimum:
                self.current -= 1
            elif typical < FAST and self.current < self.maximum:
                self.current += 1
                self.cond.notify()
