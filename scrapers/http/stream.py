"""Fetching many URLs as a stream: one worker per host, each response handed over as it arrives.

A scrape pass (tracker/scrape.py) parses and stores one response while the
next are being fetched. Politeness stays the Fetcher's job: one worker per
host here, and the Fetcher's own per-host turn-taking on top. A host that
answers 429 Too Many Requests (after the Fetcher's retries) is asked for
nothing more in the pass: waiting out its Retry-After page by page would
hold the pass, and every other source, for hours. Nor is a server that gave
no answer, in time or at all: a site that is down, stalls every response
until the deadline, or whose name no longer resolves (a lookup that times
out takes seconds) would otherwise cost that for each of its pages, and a
feed linking a hundred of them would hold the pass for an hour, hammering a
struggling server all the while.

Nor may a host that answers, only slowly, take the pass: one asking a long
Crawl-delay, or dripping each page to just under the response deadline,
with a feed of a thousand entries would hold it for hours; so would one
whose pages answer at once and take long to read (10 MB of paragraphs,
compressed to 30 KB, take the article reader 25 s). A `HostShare` gives
each host so many seconds of a pass, counting the time the consumer takes
over its responses too; once a host has used them, its remaining requests
are handed back `deferred`: not asked for, nothing to record, still due for
the next pass. A host is fetched at most LOOKAHEAD responses ahead of the
consumer, so its share is counted before many more are fetched, and so a
queue of large pages does not fill memory.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from scrapers.http.advice import SOURCE
from scrapers.http.fetcher import Clock, Fetcher, Response, failure, origin_of
from scrapers.http.guard import shorten
from scrapers.http.verify import Window, verified_get

WORKERS = 8
# Responses of one host fetched and not yet handed back by the consumer (read and stored): a worker waits at this
# many. Enough to fetch while the pass reads; few enough that pages of 10 MB do not fill memory, and that the
# time the pass takes to read a host's pages counts towards its share before many more are fetched.
LOOKAHEAD = 4


@dataclass
class Request:
    """One URL to fetch, with the stored validators (None for an unconditional GET) and the caller's tag.

    With a `window`, the poll checks the validators first (verify.py).
    """

    url: str
    etag: str | None = None
    last_modified: str | None = None
    tag: Any = None
    window: Window | None = None
    context: str = SOURCE  # whom a failure's advice is for (advice.py): a source's poll, or an item's re-check
    validated_at: str | None = None  # the address the validators were answered from, when not `url` (Fetcher.get)


class HostShare:
    """Each host's share of a pass: the seconds its requests may take in all, waits for its turn included, and
    the consumer's reading of its answers.

    A request is started only while its host has time left, so a host goes
    over its share by the request in hand at most. `seconds` None (or 0):
    no limit. Time is read from `clock` (the fetcher's), so tests move it.
    """

    def __init__(self, seconds: float | None, clock: Clock | None = None) -> None:
        self.seconds = seconds or None
        self.clock = clock or Clock()
        self.used: dict[str, float] = {}
        self.deferred: dict[str, int] = {}
        self._busy: dict[str, tuple[int, float]] = {}  # per host: how many of its things are going on, since when
        self._lock = threading.Lock()

    def spent(self, host: str) -> bool:
        with self._lock:
            if self.seconds is None:
                return False
            used = self.used.get(host, 0.0)
            if host in self._busy:
                used += max(0.0, self.clock.now() - self._busy[host][1])
            return used >= self.seconds

    def begin(self, host: str) -> None:
        """Something of host's starts: a request (with the wait for its turn), or the consumer reading an answer.

        Time is counted while anything of a host is going on, once however
        many things are: a page read while the next is fetched counts once.
        """
        with self._lock:
            count, since = self._busy.get(host, (0, 0.0))
            self._busy[host] = (count + 1, since if count else self.clock.now())

    def end(self, host: str) -> None:
        with self._lock:
            count, since = self._busy.pop(host)
            if count > 1:
                self._busy[host] = (count - 1, since)
            else:
                self.used[host] = self.used.get(host, 0.0) + max(0.0, self.clock.now() - since)

    def defer(self, host: str) -> str:
        """Count one request to host not made; the reason to give for it."""
        with self._lock:
            self.deferred[host] = self.deferred.get(host, 0) + 1
        return (
            f"{host} used its share of this pass ({self.seconds:g} s); not requested now, "
            "it stays due for the next pass."
        )

    def report(self) -> list[dict]:
        """The hosts put off: name, requests not made, seconds used and the share, by host name."""
        with self._lock:
            return [
                {"host": host, "requests": n, "used": self.used.get(host, 0.0), "share": self.seconds}
                for host, n in sorted(self.deferred.items())
            ]


def fetch_stream(
    fetcher: Fetcher,
    requests: list[Request],
    *,
    workers: int = WORKERS,
    cancel: threading.Event | None = None,
    buffer: int = 64,
    idle: Callable[[], object] | None = None,
    share: HostShare | None = None,
) -> Iterator[tuple[Request, Response]]:
    """Fetch requests with one worker per host (up to `workers` hosts at once), yielding each as it arrives.

    The buffer bounds how many fetched bodies wait for the consumer, so a
    slow parser does not fill memory. Setting `cancel`, or closing the
    generator, stops the workers after the requests they are making.
    `idle` is called whenever the consumer would otherwise wait for the
    network (nothing fetched is ready): the moment to commit what it stored.
    Once a host has used its `share` of the pass, each of its requests left
    comes back at once as a `deferred` response (not asked for): the
    consumer records nothing of it, so it stays due.
    """
    if not requests:
        return
    cancel = cancel or threading.Event()
    stopped = threading.Event()  # set when the consumer goes away
    groups: dict[str, list[Request]] = {}
    for request in requests:
        groups.setdefault(host_of(request.url), []).append(request)
    results: queue.Queue = queue.Queue(maxsize=buffer)
    done = object()
    ahead = {host: 0 for host in groups}  # per host: responses fetched (or being fetched) and not yet handled
    turn = threading.Condition()

    def wait_to_fetch(host: str) -> bool:
        """Wait until fewer than LOOKAHEAD of host's responses are ahead of the consumer; False once stopping."""
        with turn:
            while ahead[host] >= LOOKAHEAD:
                if stopped.is_set() or cancel.is_set():
                    return False
                turn.wait(0.2)
            ahead[host] += 1
        return True

    def handled(host: str) -> None:
        with turn:
            ahead[host] -= 1
            turn.notify_all()

    def put(item) -> bool:
        while not stopped.is_set():
            try:
                results.put(item, timeout=0.2)
                return True
            except queue.Full:
                continue
        return False

    def work(host: str, group: list[Request]) -> None:
        throttled: Response | None = None  # the host's 429: a rate limit is the site's, not one page's
        stalled: dict[str, Response] = {}  # by origin: the first to go unanswered (no address, or not in time)
        try:
            for request in group:
                if cancel.is_set() or stopped.is_set() or not wait_to_fetch(host):
                    break
                deferred = share is not None and share.spent(host)
                if share is not None and not deferred:
                    share.begin(host)
                try:
                    if deferred:
                        response = failure(request.url, skipped=share.defer(host))
                        response.deferred = True
                    elif throttled is not None:
                        response = _throttled(request.url, throttled)
                    elif origin_of(request.url) in stalled:
                        response = _stalled(request.url, stalled[origin_of(request.url)])
                    elif request.window is not None:
                        response = verified_get(
                            fetcher,
                            request.url,
                            request.etag,
                            request.last_modified,
                            request.window,
                            request.validated_at,
                        )
                    else:
                        response = fetcher.get(
                            request.url,
                            etag=request.etag,
                            last_modified=request.last_modified,
                            context=request.context,
                            validated_at=request.validated_at,
                        )
                except Exception as exc:  # a bug in one fetch must not hang the pass or lose the others
                    response = failure(
                        request.url,
                        error=f"{request.url} could not be fetched (unexpected {type(exc).__name__}: {exc}).",
                    )
                finally:
                    if share is not None and not deferred:
                        share.end(host)
                if response.status == 429:
                    throttled = response
                if response.no_answer:
                    stalled.setdefault(origin_of(response.url), response)
                if cancel.is_set() and response.skipped:
                    break  # not requested because of the stop (a host's turn not waited for): left due, not recorded
                if not put((host, request, response)):
                    break
        finally:
            put(done)

    pool = ThreadPoolExecutor(max_workers=max(1, min(workers, len(groups))), thread_name_prefix="fetch")
    try:
        for host, group in groups.items():
            pool.submit(work, host, group)
        remaining = len(groups)
        while remaining:
            try:
                item = results.get_nowait()
            except queue.Empty:
                if idle is not None:
                    idle()
                item = results.get()
            if item is done:
                remaining -= 1
                continue
            host, request, response = item
            reading = share is not None and not response.deferred  # reading and storing it: the host's time too
            if reading:
                share.begin(host)
            try:
                yield request, response
            finally:
                if reading:
                    share.end(host)
                handled(host)
    finally:
        stopped.set()
        pool.shutdown(wait=True, cancel_futures=True)


def host_of(url: str) -> str:
    """The host a request is grouped (and its share of a pass counted) under."""
    return (urlsplit(url).hostname or "").lower()


def _throttled(url: str, throttled: Response) -> Response:
    """The rest of a host's URLs once it answered 429 Too Many Requests: not requested in this pass."""
    return failure(
        url,
        skipped=f"its site answered HTTP 429 Too Many Requests to {shorten(throttled.url)}; not requested now, "
        "it will be fetched on a later pass.",
        retry_after=throttled.retry_after,
    )


def _stalled(url: str, stalled: Response) -> Response:
    """The rest of a server's URLs once one of them got no answer in time (none, or one too slow): not requested in
    this pass."""
    return failure(
        url,
        skipped=f"its site ({shorten(stalled.url)}) {stalled.no_answer}; not requested now, "
        "it will be fetched on a later pass.",
    )
