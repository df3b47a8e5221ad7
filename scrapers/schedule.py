"""The parts of a scrape pass that need no database: when things are due, and fetching many URLs as a stream.

tracker/scrape.py runs the pass (what is due, hand records to ingest, keep
each source's health); this module decides the timing policy and feeds it
responses as they arrive, so parsing and storing one response overlaps with
fetching the next. Politeness stays the Fetcher's job: one worker per host,
and the Fetcher's own per-host turn-taking on top.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from scrapers.http import Fetcher, Response

POLL_EVERY = 600  # seconds between two polls of a healthy source (watch --every)
MAX_BACKOFF = 6 * 3600  # a failing source is polled at least this often, so a fixed site is seen again
GONE_AFTER = 3  # consecutive 404/410 answers before a source or an item counts as gone
UNCONDITIONAL_EVERY = 12  # every Nth poll of a source skips the validators ...
UNCONDITIONAL_AFTER = 24 * 3600  # ... and so does the first poll a day, to catch validators that lie
# How long until an item is fetched again, by its age: young items change most (corrections,
# updates to a developing story), old ones rarely. (age below, delay)
RECHECK = (
    (3600, 5 * 60),
    (6 * 3600, 15 * 60),
    (24 * 3600, 3600),
    (7 * 24 * 3600, 6 * 3600),
)
RECHECK_OLD = 24 * 3600
WORKERS = 8


def parse_time(value: str | None) -> datetime | None:
    """An ISO 8601 UTC timestamp as stored ('2026-03-02T14:30:00Z'), or None."""
    if not value:
        return None
    try:
        dt = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return dt if dt.tzinfo else dt.replace(tzinfo=UTC)


def format_time(dt: datetime) -> str:
    return dt.astimezone(UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def later(at: str, seconds: float) -> str:
    """The stored timestamp `seconds` after `at`."""
    return format_time((parse_time(at) or datetime.now(UTC)) + timedelta(seconds=seconds))


def backoff(failures: int, every: float = POLL_EVERY, retry_after: float | None = None) -> float:
    """Seconds until a source that failed `failures` times in a row is tried again: doubling, capped."""
    delay = min(every * 2 ** max(failures, 0), max(MAX_BACKOFF, every))
    if retry_after is not None:
        delay = max(delay, min(retry_after, 24 * 3600))
    return delay


def recheck_delay(age_seconds: float) -> float:
    """Seconds until an item of this age is fetched again (young: minutes; a week old and more: daily)."""
    for younger_than, delay in RECHECK:
        if age_seconds < younger_than:
            return delay
    return RECHECK_OLD


def item_backoff(age_seconds: float, failures: int) -> float:
    """Seconds until an item whose page failed `failures` times in a row is tried again."""
    return min(recheck_delay(age_seconds) * 2 ** max(failures, 0), RECHECK_OLD)


def unconditional_due(polls_since_full: int, last_full_at: str | None, at: str) -> bool:
    """Is it time to fetch without validators, to check that a 304 still tells the truth?"""
    if polls_since_full >= UNCONDITIONAL_EVERY:
        return True
    last = parse_time(last_full_at)
    now = parse_time(at) or datetime.now(UTC)
    return last is None or (now - last).total_seconds() >= UNCONDITIONAL_AFTER


@dataclass
class Request:
    """One URL to fetch, with the stored validators (None for an unconditional GET) and the caller's tag."""

    url: str
    etag: str | None = None
    last_modified: str | None = None
    tag: Any = None


def fetch_stream(
    fetcher: Fetcher,
    requests: list[Request],
    *,
    workers: int = WORKERS,
    cancel: threading.Event | None = None,
    buffer: int = 64,
    idle: Callable[[], object] | None = None,
) -> Iterator[tuple[Request, Response]]:
    """Fetch requests with one worker per host (up to `workers` hosts at once), yielding each as it arrives.

    The buffer bounds how many fetched bodies wait for the consumer, so a
    slow parser does not fill memory. Setting `cancel`, or closing the
    generator, stops the workers after the requests they are making.
    `idle` is called whenever the consumer would otherwise wait for the
    network (nothing fetched is ready): the moment to commit what it stored.
    """
    if not requests:
        return
    cancel = cancel or threading.Event()
    stopped = threading.Event()  # set when the consumer goes away
    groups: dict[str, list[Request]] = {}
    for request in requests:
        groups.setdefault((urlsplit(request.url).hostname or "").lower(), []).append(request)
    results: queue.Queue = queue.Queue(maxsize=buffer)
    done = object()

    def put(item) -> bool:
        while not stopped.is_set():
            try:
                results.put(item, timeout=0.2)
                return True
            except queue.Full:
                continue
        return False

    def work(group: list[Request]) -> None:
        try:
            for request in group:
                if cancel.is_set() or stopped.is_set():
                    break
                try:
                    response = fetcher.get(request.url, etag=request.etag, last_modified=request.last_modified)
                except Exception as exc:  # a bug in one fetch must not hang the pass or lose the others
                    response = Response(
                        url=request.url,
                        status=None,
                        headers={},
                        body=b"",
                        content_type=None,
                        charset=None,
                        elapsed_ms=0,
                        error=f"{request.url} could not be fetched (unexpected {type(exc).__name__}: {exc}).",
                    )
                if not put((request, response)):
                    break
        finally:
            put(done)

    pool = ThreadPoolExecutor(max_workers=max(1, min(workers, len(groups))), thread_name_prefix="fetch")
    try:
        for group in groups.values():
            pool.submit(work, group)
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
            yield item
    finally:
        stopped.set()
        pool.shutdown(wait=True, cancel_futures=True)
