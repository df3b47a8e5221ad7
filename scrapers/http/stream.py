"""Fetching many URLs as a stream: one worker per host, each response handed over as it arrives.

A scrape pass (tracker/scrape.py) parses and stores one response while the
next are being fetched. Politeness stays the Fetcher's job: one worker per
host here, and the Fetcher's own per-host turn-taking on top.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from scrapers.http.fetcher import Fetcher, Response
from scrapers.http.verify import Window, verified_get

WORKERS = 8


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
                    if request.window is not None:
                        response = verified_get(
                            fetcher, request.url, request.etag, request.last_modified, request.window
                        )
                    else:
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
                if cancel.is_set() and response.skipped:
                    break  # not requested because of the stop (a host's turn not waited for): left due, not recorded
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
