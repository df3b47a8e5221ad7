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
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

import sqlite_utils

from scrapers.documents import TEXT, decode_text
from scrapers.feeds import looks_like_feed
from scrapers.http.advice import ADDRESS
from scrapers.notpage import not_the_page
from scrapers.records import ParseError, size_in_words
from scrapers.urls import MAX_URL, is_http_url, without_credentials
from tracker import captures, config, documents, extraction
from tracker.db import DatabaseBusy, StorageError, TrackerError, not_utf8_at, now, path_of, stopping_error
from tracker.sources import record_fetch
from tracker.store import COUNTS, ingest_feed, ingest_page
from tracker.stories import get_story

MAX_FILE_BYTES = 20 * 1024 * 1024
FEED_OR_PAGE = "ingest an RSS, Atom or JSON feed, an HTML article page or a document (PDF, .docx)"


class TargetFailed(Exception):
    """One target could not be read; the message says why and what to do."""


@dataclass
class Loaded:
    """A target's bytes (or, for a document on disk, its path) and how they came to us."""

    data: bytes | None
    url: str  # http(s) URL, or a file:// URI for a local path
    received: captures.Received
    charset: str | None = None
    path: Path | None = None  # a local document, read from disk in pieces rather than loaded whole

    @property
    def head(self) -> bytes:
        if self.data is not None:
            return self.data[: documents.HEAD_BYTES]
        with self.path.open("rb") as f:
            return f.read(documents.HEAD_BYTES)


@dataclass(frozen=True)
class IngestResult:
    """What ingesting one file or URL did: the CLI prints it, the editor reads its fields.

    kind is "page", "document", "feed" or "failed". A page or document names
    its coverage item and the revision holding its text now (new, or the
    unchanged one); a document also its pages, how many have text, its
    SHA-256 and its flag ("no text: quote by hand or OCR"); a failed
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
    pages: int | None = None  # document: its pages
    text_pages: int | None = None  # document: pages with text
    sha256: str | None = None  # document: of the file as received
    flag: str | None = None  # document: "no text: quote by hand or OCR"
    warnings: tuple[str, ...] = ()  # ingest_url: what claim extraction said of its text (only part of it read)


@dataclass
class IngestSummary:
    """Every target's result, the totals (COUNTS plus the candidates found), and extraction's warnings.

    `error` is the full or read-only disk, or the lock another program kept on
    the database, that stopped the ingest: the results and totals are what was
    stored before it; the targets after it were not tried.
    """

    results: list[IngestResult]
    counts: dict
    warnings: list[tuple[str, str]]  # (url, reason) of a text claim extraction could not read
    error: StorageError | DatabaseBusy | None = None


def ingest_targets(
    db: sqlite_utils.Database,
    story_slug: str,
    targets: list[str],
    *,
    fetcher=None,
    on_result: Callable[[IngestResult], object] | None = None,
    as_document: bool = False,
    settings: config.Settings | None = None,
    extract_progress: Callable[[int, int], object] | None = None,
) -> IngestSummary:
    """Ingest local files and URLs into a story, then find claim candidates in the pages stored.

    Feeds, pages and documents are told apart by their content, not their
    names; `as_document` stores a text or HTML file as a document (its text
    as it is, not an article's main text). Every page and document keeps its
    bytes as received (tracker/captures.py). One
    failing target is a failed result and never stops the others;
    `on_result` hears of each target as it is done (the CLI prints a line);
    `extract_progress` (done, total) of the reading for claims that follows.
    """
    story = get_story(db, story_slug)
    totals = dict.fromkeys(COUNTS, 0)
    clients = _Clients(fetcher, settings)
    results: list[IngestResult] = []
    error = None
    try:
        for target in targets:
            try:
                result = _ingest_one(db, story, target, clients, as_document=as_document)
            except (StorageError, DatabaseBusy) as e:  # every target after this one would fail the same way
                error, result = e, _failed(target, f"not stored: {e}")
            results.append(result)
            for key in COUNTS:
                totals[key] += result.counts[key]
            if on_result is not None:
                on_result(result)
            if error is not None:
                break
    finally:
        clients.close()
    totals["candidates"] = 0
    if error is not None:  # what was stored waits for the next ingest of it, a pass or `candidates --extract`
        return IngestSummary(results, totals, [], error)
    # Every text named, new or not: one an earlier run stored and did not get to read (it stopped on a full
    # disk, or was killed) is read now; one already read adds nothing (extract_waiting takes only those waiting).
    stored = [r.revision_id for r in results if r.revision_id is not None]
    extracted = extraction.extract_waiting(db, story["id"], revision_ids=stored, progress=extract_progress)
    totals["candidates"] = extracted["added"]
    warnings = [(url, reason) for _, url, reason in extracted["problems"]]
    return IngestSummary(results, totals, warnings, extracted["error"])


def ingest_url(
    db: sqlite_utils.Database, story_slug: str, url: str, *, fetcher=None, as_document: bool = False
) -> IngestResult:
    """Fetch one address into a story, as `python -m tracker ingest URL` does, and say what it stored.

    The extraction's warnings on its text come with it: the editor tells whoever gave the address.
    """
    summary = ingest_targets(db, story_slug, [url], fetcher=fetcher, as_document=as_document)
    return replace(summary.results[0], warnings=tuple(reason for _, reason in summary.warnings))


def _ingest_one(
    db: sqlite_utils.Database, story: dict, target: str, clients: _Clients, *, as_document: bool = False
) -> IngestResult:
    try:
        loaded = _load(db, target, clients, as_document=as_document)
        head = loaded.head
        if as_document or documents.is_document(head, loaded.received.filename, loaded.received.media_type):
            return _document_result(target, _store_document(db, story, loaded, clients.settings))
        if looks_like_feed(loaded.data):
            feed = ingest_feed(db, story, loaded.url, loaded.data, charset=loaded.charset)
            return IngestResult(
                target,
                "feed",
                problem=feed["problem"],
                title=feed["title"],
                counts={k: feed[k] for k in COUNTS},
                skipped_reasons=feed["skipped_reasons"],
            )
        if loaded.received.how == "file" and documents.media_type_of(head, loaded.received.filename) == TEXT:
            # A saved text file names no charset: read by the text files' rule (as --document and extract-claims
            # read it), not a page's guess; one that is not UTF-8 is refused saying how to convert it.
            decode_text(loaded.data)
        page = ingest_page(db, story, loaded.url, loaded.data, charset=loaded.charset, received=loaded.received)
    except (StorageError, DatabaseBusy):
        raise
    except (TargetFailed, ParseError, TrackerError) as e:
        return _failed(target, _with_advice(str(e)))
    except sqlite3.Error as e:
        path = path_of(db) or None
        disk = stopping_error(e, path)
        if disk is not None:
            raise disk from None
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


def _store_document(
    db: sqlite_utils.Database, story: dict, loaded: Loaded, settings: config.Settings
) -> documents.StoredDocument:
    if loaded.path is None:
        return documents.store_document(db, story, loaded.data, loaded.received, settings=settings)
    with loaded.path.open("rb") as stream:
        return documents.store_document(db, story, stream, loaded.received, settings=settings)


def _document_result(target: str, stored: documents.StoredDocument) -> IngestResult:
    return IngestResult(
        target,
        "document",
        item_id=stored.coverage_id,
        revision_id=stored.revision_id,
        status=stored.status,
        canonical_url=stored.canonical_url,
        created=stored.created,
        title=stored.title,
        counts={**dict.fromkeys(COUNTS, 0), stored.status: 1},
        pages=stored.pages,
        text_pages=stored.text_pages,
        sha256=stored.sha256,
        flag=stored.flag,
    )


def _failed(target: str, problem: str) -> IngestResult:
    return IngestResult(target, "failed", problem=problem, counts={**dict.fromkeys(COUNTS, 0), "failed": 1})


class _Clients:
    """The injected fetcher, or the project's own created on first use (and closed after); the run's settings."""

    def __init__(self, fetcher, settings: config.Settings | None = None) -> None:
        self.fetcher = fetcher
        self.owned = None
        self.settings = settings or config.settings()

    def get(self):
        if self.fetcher is None:
            self.fetcher = self.owned = default_fetcher(self.settings)
        return self.fetcher

    def close(self) -> None:
        if self.owned is not None:
            self.owned.close()


def default_fetcher(
    settings: config.Settings | None = None,
    db: sqlite_utils.Database | None = None,
    stop: threading.Event | None = None,
):
    """The project's polite HTTP client with the settings' user agent, pacing and address guard.

    Given the working database (a file that can be written), each host's
    request starts and each site's robots.txt are kept there too
    (tracker/pacing.py), so the pacing holds across processes and restarts. Given `stop`, a wait for a host's
    turn ends when it is set (the request is left for a later pass).
    """
    from scrapers.http import Fetcher
    from tracker.pacing import HostPacing

    settings = settings or config.settings()
    path = path_of(db) if db is not None and not getattr(db, "read_only", False) else ""
    pacing = HostPacing(path) if path else None
    return Fetcher(
        user_agent=settings.user_agent, pacing=pacing, robots_store=pacing, stop=stop, **settings.fetcher_options()
    )


def _load(db: sqlite_utils.Database, target: str, clients: _Clients, *, as_document: bool = False) -> Loaded:
    """The target's bytes: fetched, or read from a file; a file stored as a document (as_document, or one that is a
    PDF or .docx) is left on disk for the document reader, which holds it to the documents' size limit."""
    if "://" in target and (where := not_utf8_at(target)) is not None:  # a file's name in another encoding opens
        raise TargetFailed(f"an address that is not UTF-8 text ({where}: typed or saved in another encoding?)")
    if is_http_url(target):
        # As sources.add_source does: a user:password@ part would be kept in the fetch log and the capture.
        return _fetch(db, without_credentials(target), clients.get(), clients.settings)
    if "://" in target and len(target) > MAX_URL:
        raise TargetFailed(f"an address of {len(target):,} characters; a web address is at most {MAX_URL:,}")
    if "://" in target:
        raise TargetFailed(f"unsupported address; give a local file path or an http(s) URL ({FEED_OR_PAGE})")
    if not target.strip():  # Path("") is the current folder: "$UNSET" would read as a directory
        raise TargetFailed("an empty argument; give a file's path or an http(s) URL")
    path = Path(target).expanduser()
    try:
        if not path.exists():
            raise TargetFailed("no such file; check the path, or give an http(s) URL")
        if path.is_dir():
            raise TargetFailed("is a directory; name the feed or page files inside it")
        if not path.is_file():  # a device or pipe: no size to hold to the limit, and it may never end (/dev/zero)
            raise TargetFailed("not a regular file (a device or a pipe); save what it gives to a file and ingest that")
        size = path.stat().st_size
        received = captures.Received(how="file", url=path.resolve().as_uri(), filename=path.name, received_at=now())
        with path.open("rb") as f:
            head = f.read(documents.HEAD_BYTES)
        if as_document or documents.is_document(head, path.name):
            # Read from disk in pieces by the document reader; its own size limit applies.
            return Loaded(data=None, url=received.url, received=received, path=path)
        if size > MAX_FILE_BYTES:
            raise TargetFailed(
                f"file is {size_in_words(size)}, over the {size_in_words(MAX_FILE_BYTES)} limit for a page or feed"
            )
        data = path.read_bytes()
    except OSError as e:
        raise TargetFailed(f"cannot read the file ({e.strerror or e}); check its permissions") from None
    return Loaded(data=data, url=received.url, received=received)


def _fetch(db: sqlite_utils.Database, url: str, fetcher, settings: config.Settings) -> Loaded:
    """Fetch with the injected client (scrapers.http.Fetcher or alike) and log the fetch, whatever its outcome.

    Documents are welcome here (the reporter named this address), so a PDF is
    kept rather than refused; the scrape loop still fetches pages and feeds only.
    """
    started = time.monotonic()
    response = fetcher.get(url, documents=True, context=ADDRESS)
    ms = getattr(response, "elapsed_ms", None)
    ms = int((time.monotonic() - started) * 1000) if ms is None else ms
    status = response.status
    body = response.body or b""
    skipped = getattr(response, "skipped", None)
    error = response.error
    # A bot check, consent wall or soft 404 fetched in place of the page is refused, not stored as its text.
    wall = None if skipped else not_the_page(response, url)
    if wall is not None:
        error = wall.refusal(status, ADDRESS)
    ok = not error and not skipped and status is not None and 200 <= status < 300 and bool(body)
    outcome = "ok" if ok else ("skipped" if skipped else "error")
    record_fetch(db, None, url, outcome=outcome, status=status, size=len(body), ms=ms, error=error or skipped)
    if error:
        raise TargetFailed(error)
    if skipped:
        # Said for the command line and the editor alike: both take a saved page as a file.
        raise TargetFailed(f"not fetched: {skipped.rstrip('.')}; a page saved from a browser can be added as a file")
    if status is None or not 200 <= status < 300:
        raise TargetFailed(f"the server answered HTTP {status}; check the URL in a browser")
    if not body:
        raise TargetFailed("the server sent an empty response; try again later")
    received = captures.received_from_response(response)
    return Loaded(data=body, url=response.url or url, received=received, charset=response.charset)


def _with_advice(message: str) -> str:
    message = message.rstrip(".")
    if ";" not in message:
        message += f"; {FEED_OR_PAGE}"
    return message + "."
