"""Ingest saved files and URLs into a story now: each target loaded, told feed from page, stored, reported.

`python -m tracker ingest` and the editor's "evidence from a URL" come
through here; what a target did comes back as a typed IngestResult (the CLI
prints it, the editor reads its fields). Storing is tracker/store.py's;
this module loads each target (a file, or a URL through the polite
fetcher, every fetch logged) and keeps one failing target from stopping
the others.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import sqlite_utils

from scrapers.feeds import looks_like_feed
from scrapers.records import ParseError
from scrapers.urls import is_http_url
from tracker import config, extraction
from tracker.db import TrackerError
from tracker.sources import record_fetch
from tracker.store import COUNTS, ingest_feed, ingest_page
from tracker.stories import get_story

MAX_FILE_BYTES = 20 * 1024 * 1024
FEED_OR_PAGE = "ingest an RSS/Atom feed or an HTML article page"


class TargetFailed(Exception):
    """One target could not be read; the message says why and what to do."""


@dataclass
class Loaded:
    """A target's bytes and where they came from."""

    data: bytes
    url: str  # http(s) URL, or a file:// URI for a local path
    charset: str | None = None


@dataclass(frozen=True)
class IngestResult:
    """What ingesting one file or URL did: the CLI prints it, the editor reads its fields.

    kind is "page", "feed" or "failed". A page names its coverage item and
    the revision holding its text now (new, or the unchanged one); a failed
    target says why and what to do in `problem`, as does a malformed feed
    that was still read.
    """

    target: str
    kind: str
    item_id: int | None = None
    revision_id: int | None = None
    problem: str | None = None
    status: str | None = None  # page: new, updated or unchanged
    canonical_url: str | None = None  # page: the URL naming its item
    created: bool = False  # page: a new revision was stored
    title: str | None = None  # feed: its title
    counts: dict = field(default_factory=lambda: dict.fromkeys(COUNTS, 0))  # this target's share of the totals
    skipped_reasons: dict = field(default_factory=dict)  # feed: entries kept out, by reason


@dataclass
class IngestSummary:
    """Every target's result, the totals (COUNTS plus the candidates found), and extraction's warnings."""

    results: list[IngestResult]
    counts: dict
    warnings: list[tuple[str, str]]  # (url, reason) of a text claim extraction could not read


def ingest_targets(
    db: sqlite_utils.Database,
    story_slug: str,
    targets: list[str],
    *,
    fetcher=None,
    on_result: Callable[[IngestResult], object] | None = None,
) -> IngestSummary:
    """Ingest local files and URLs into a story, then find claim candidates in the pages stored.

    Feeds and pages are told apart by their content, not their names. One
    failing target is a failed result and never stops the others;
    `on_result` hears of each target as it is done (the CLI prints a line).
    """
    story = get_story(db, story_slug)
    totals = dict.fromkeys(COUNTS, 0)
    clients = _Clients(fetcher)
    results: list[IngestResult] = []
    try:
        for target in targets:
            result = _ingest_one(db, story, target, clients)
            results.append(result)
            for key in COUNTS:
                totals[key] += result.counts[key]
            if on_result is not None:
                on_result(result)
    finally:
        clients.close()
    stored = [r.revision_id for r in results if r.created]
    extracted = extraction.extract_waiting(db, story["id"], revision_ids=stored)
    totals["candidates"] = extracted["added"]
    return IngestSummary(results, totals, [(url, reason) for _, url, reason in extracted["problems"]])


def ingest_url(db: sqlite_utils.Database, story_slug: str, url: str, *, fetcher=None) -> IngestResult:
    """Fetch one address into a story, as `python -m tracker ingest URL` does, and say what it stored."""
    return ingest_targets(db, story_slug, [url], fetcher=fetcher).results[0]


def _ingest_one(db: sqlite_utils.Database, story: dict, target: str, clients: _Clients) -> IngestResult:
    try:
        loaded = _load(db, target, clients)
        if looks_like_feed(loaded.data):
            feed = ingest_feed(db, story, loaded.url, loaded.data)
            return IngestResult(
                target,
                "feed",
                problem=feed["problem"],
                title=feed["title"],
                counts={k: feed[k] for k in COUNTS},
                skipped_reasons=feed["skipped_reasons"],
            )
        page = ingest_page(db, story, loaded.url, loaded.data, charset=loaded.charset)
    except (TargetFailed, ParseError, TrackerError) as e:
        return _failed(target, _with_advice(str(e)))
    except sqlite3.Error as e:
        return _failed(target, f"database error ({e}); nothing of it was stored, try again.")
    return IngestResult(
        target,
        "page",
        item_id=page["coverage_id"],
        revision_id=page["revision_id"],
        status=page["status"],
        canonical_url=page["canonical_url"],
        created=page["created"],
        counts={k: page[k] for k in COUNTS},
    )


def _failed(target: str, problem: str) -> IngestResult:
    return IngestResult(target, "failed", problem=problem, counts={**dict.fromkeys(COUNTS, 0), "failed": 1})


class _Clients:
    """The injected fetcher, or the project's own created on first use (and closed after)."""

    def __init__(self, fetcher) -> None:
        self.fetcher = fetcher
        self.owned = None

    def get(self):
        if self.fetcher is None:
            self.fetcher = self.owned = default_fetcher()
        return self.fetcher

    def close(self) -> None:
        if self.owned is not None:
            self.owned.close()


def default_fetcher(settings: config.Settings | None = None):
    """The project's polite HTTP client with the settings' user agent, pacing and address guard."""
    from scrapers.http import Fetcher

    settings = settings or config.settings()
    return Fetcher(user_agent=settings.user_agent, **settings.fetcher_options())


def _load(db: sqlite_utils.Database, target: str, clients: _Clients) -> Loaded:
    if is_http_url(target):
        return _fetch(db, target, clients.get())
    if "://" in target:
        raise TargetFailed(f"unsupported address; give a local file path or an http(s) URL ({FEED_OR_PAGE})")
    path = Path(target).expanduser()
    try:
        if not path.exists():
            raise TargetFailed("no such file; check the path, or give an http(s) URL")
        if path.is_dir():
            raise TargetFailed("is a directory; name the feed or page files inside it")
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise TargetFailed(f"file is {size:,} bytes, over the {MAX_FILE_BYTES:,} byte limit for a page or feed")
        data = path.read_bytes()
    except OSError as e:
        raise TargetFailed(f"cannot read the file ({e.strerror or e}); check its permissions") from None
    return Loaded(data=data, url=path.resolve().as_uri())


def _fetch(db: sqlite_utils.Database, url: str, fetcher) -> Loaded:
    """Fetch with the injected client (scrapers.http.Fetcher or alike) and log the fetch, whatever its outcome."""
    started = time.monotonic()
    response = fetcher.get(url)
    ms = getattr(response, "elapsed_ms", None)
    ms = int((time.monotonic() - started) * 1000) if ms is None else ms
    status = response.status
    body = response.body or b""
    skipped = getattr(response, "skipped", None)
    error = response.error
    ok = not error and not skipped and status is not None and 200 <= status < 300 and bool(body)
    outcome = "ok" if ok else ("skipped" if skipped else "error")
    record_fetch(db, None, url, outcome=outcome, status=status, size=len(body), ms=ms, error=error or skipped)
    if error:
        raise TargetFailed(error)
    if skipped:
        raise TargetFailed(f"not fetched ({skipped}); save the page from a browser and ingest the file")
    if status is None or not 200 <= status < 300:
        raise TargetFailed(f"the server answered HTTP {status}; check the URL in a browser")
    if not body:
        raise TargetFailed("the server sent an empty response; try again later")
    return Loaded(data=body, url=response.url or url, charset=response.charset)


def _with_advice(message: str) -> str:
    message = message.rstrip(".")
    if ";" not in message:
        message += f"; {FEED_OR_PAGE}"
    return message + "."
