"""One scrape pass, and the watch loop that repeats it: sources and items in, coverage and revisions out.

A pass has two phases. First the sources that are due: a feed's entries
become items, a statement listing's links become statement items, a watched
page becomes (or updates) its item. Then the items that are due: their pages
are fetched and stored as revisions, young items every few minutes, old ones
daily (scrapers/schedule.py has the schedule).

Every response is parsed before its write transaction opens, and stored in
one transaction together with its fetch log and the source's or item's new
schedule, so a pass killed at any moment leaves whole items, and the next
pass picks up what is still due. One failing source or page is recorded
with its reason and never stops the others; a source that keeps failing is
polled less and less often, and one that answers 404/410 several times in a
row is marked gone.

Conditional GET: a 304 costs no parsing, and neither does a 200 whose bytes
are those we stored last time. Now and then a source is fetched without
validators; when its content changed although it kept answering 304, its
validators lie, and we stop sending them (trust_validators = 0).
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import logging
import sqlite3
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import sqlite_utils

from scrapers.feeds import parse_feed
from scrapers.http import Request, Response, fetch_stream
from scrapers.records import ParseError
from scrapers.schedule import (
    GONE_AFTER,
    POLL_EVERY,
    UNCONDITIONAL_EVERY,
    backoff,
    item_backoff,
    later,
    parse_time,
    recheck_delay,
    unconditional_due,
)
from scrapers.statements import statement_links
from scrapers.urls import is_http_url
from tracker import candidates, coverage
from tracker.alerts import events
from tracker.db import TrackerError, now, rows, transaction, writer_lock
from tracker.ingest import COUNTS, default_fetcher, parse_page, store_feed, store_page
from tracker.sources import due_sources, record_fetch, silent_sources
from tracker.stories import get_story, get_story_by_id

log = logging.getLogger(__name__)
BATCH_SECONDS = 0.25  # longest a stored item waits for its commit while more pages keep arriving
Progress = Callable[[str, int, int, str | None], object]  # phase, done, total, a line worth showing


@dataclass
class _Pass:
    """What one pass did, and what it needs at hand."""

    db: sqlite_utils.Database
    fetcher: object
    at: str  # when the pass started: every schedule is counted from here, so passes do not drift
    every: float
    progress: Progress | None
    counts: dict = field(default_factory=lambda: dict.fromkeys(COUNTS, 0))
    parsed: int = 0
    texts: int = 0
    sources: int = 0
    items: int = 0
    candidates: int = 0
    changes: list[dict] = field(default_factory=list)
    problems: list[tuple[str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    stories: dict[int, dict] = field(default_factory=dict)

    def story(self, story_id: int) -> dict:
        if story_id not in self.stories:
            self.stories[story_id] = get_story_by_id(self.db, story_id)
        return self.stories[story_id]

    def problem(self, url: str, reason: str) -> None:
        self.problems.append((url, reason))

    def summary(self, stopped: bool, waiting: int) -> dict:
        return {
            **self.counts,
            "sources": self.sources,
            "items": self.items,
            "candidates": self.candidates,
            "parsed": self.parsed,
            "texts": self.texts,
            "changes": self.changes,
            "problems": self.problems,
            "notes": self.notes,
            "waiting": waiting,
            "stopped": stopped,
        }


def run_pass(
    db: sqlite_utils.Database,
    story: str | None = None,
    *,
    fetcher=None,
    force: bool = True,
    every: float = POLL_EVERY,
    at: str | None = None,
    stop: threading.Event | None = None,
    progress: Progress | None = None,
    extract: bool = True,
) -> dict:
    """One pass over a story's sources (all stories' when story is None), then over its items that are due.

    force: poll every active source now, not only those due (sources backing
    off after failures still wait). Returns the counts new, updated,
    unchanged, skipped, failed, plus `sources` and `items` fetched, `parsed`
    (documents parsed; a 304 or an identical body costs none), `texts`
    (items whose text was stored for the first time), `changes` (items whose
    text changed: events for the timeline), `problems` (url, reason),
    `waiting` (sources still backing off), `candidates` (claim candidates
    found in the texts stored) and `stopped` (the stop event cut the pass
    short).

    Claim extraction runs last, over every revision waiting for it
    (candidates.extract_waiting): fetching never waits on it, and what a
    stopped pass leaves waiting the next one picks up. extract=False leaves
    it to a later pass (bench/ingest.py times the two stages apart).
    """
    story_id = get_story(db, story)["id"] if story else None
    stop = stop or threading.Event()
    owned = fetcher is None
    fetcher = default_fetcher() if owned else fetcher
    ctx = _Pass(db=db, fetcher=fetcher, at=at or now(), every=every, progress=progress)
    try:
        due = due_sources(db, ctx.at, story_id, force=force)
        _poll_sources(ctx, due.sources, stop)
        _report_silent(ctx, story_id)
        if not stop.is_set():
            _check_items(ctx, _due_items(db, ctx.at, story_id), stop)
        if extract and not stop.is_set():
            _extract(ctx, story_id, stop)
    finally:
        if owned:
            fetcher.close()
    return ctx.summary(stop.is_set(), due.backing_off)


def _extract(ctx: _Pass, story_id: int | None, stop: threading.Event) -> None:
    def step(done: int, total: int) -> None:
        if ctx.progress:
            ctx.progress("claims", done, total, None)

    extracted = candidates.extract_waiting(ctx.db, story_id, stop=stop, progress=step)
    ctx.candidates += extracted["added"]
    for _, url, reason in extracted["problems"]:
        ctx.problem(url, reason)


def watch(
    db: sqlite_utils.Database,
    story: str | None = None,
    *,
    every: float = POLL_EVERY,
    fetcher=None,
    stop: threading.Event | None = None,
    echo: Callable[[str], object] = print,
    on_pass: Callable[[dict], object] | None = None,
    progress: Progress | None = None,
) -> int:
    """Run a pass every `every` seconds until `stop` is set; returns how many passes ran.

    Only what is due is fetched. Setting `stop` (the CLI does on Ctrl-C and
    SIGTERM) ends the current pass after the item being stored, so the
    database is consistent and the next run resumes where this one stopped.
    """
    if story:
        get_story(db, story)  # a typo fails now, not after the first wait
    stop = stop or threading.Event()
    owned = fetcher is None
    fetcher = default_fetcher() if owned else fetcher
    passes = 0
    try:
        while not stop.is_set():
            started = time.monotonic()
            try:
                result = run_pass(db, story, fetcher=fetcher, force=False, every=every, stop=stop, progress=progress)
            except sqlite3.OperationalError as e:
                echo(f"pass stopped by a database error ({e}); the next pass tries again.")
            else:
                passes += 1
                if on_pass is not None:
                    on_pass(result)
            _wait(stop, every - (time.monotonic() - started))
    finally:
        if owned:
            fetcher.close()
    return passes


def _wait(stop: threading.Event, seconds: float) -> None:
    """Wait until `stop` is set or `seconds` pass, in short slices.

    A signal delivered to another thread does not interrupt a long wait in the
    main thread, so Python would run the Ctrl-C/SIGTERM handler only when the
    wait ends; waking every second lets it run promptly.
    """
    deadline = time.monotonic() + max(0.0, seconds)
    while not stop.is_set():
        left = deadline - time.monotonic()
        if left <= 0:
            return
        stop.wait(min(left, 1.0))


# -- sources -----------------------------------------------------------------------------------


def _report_silent(ctx: _Pass, story_id: int | None) -> None:
    """Sources that answer but brought nothing new for longer than usual: an alert each (once per silence)."""
    for source in silent_sources(ctx.db, ctx.at, story_id):
        with transaction(ctx.db):
            events.source_silent(ctx.db, source)


def _poll_sources(ctx: _Pass, sources: list[dict], stop: threading.Event) -> None:
    requests = []
    for source in sources:
        unconditional = (
            not source["trust_validators"]
            or not (source["etag"] or source["last_modified"])
            or unconditional_due(source["polls_since_full"], source["last_full_at"], ctx.at)
        )
        etag = None if unconditional else source["etag"]
        last_modified = None if unconditional else source["last_modified"]
        requests.append(Request(source["url"], etag, last_modified, tag=(source, unconditional)))
    for done, (request, response) in enumerate(fetch_stream(ctx.fetcher, requests, cancel=stop), 1):
        source, unconditional = request.tag
        line = _guarded(
            ctx,
            source["url"],
            _source_response,
            functools.partial(_source_failed, ctx, source, response),
            source,
            response,
            unconditional,
        )
        ctx.sources += 1
        if ctx.progress:
            ctx.progress("sources", done, len(requests), line)
        if stop.is_set():
            break


def _guarded(ctx: _Pass, url: str, handle: Callable[..., str | None], on_bug: Callable[[str], str], *args):
    """Run one target's handler; whatever goes wrong fails that target only.

    A database or domain error leaves the target due, to be tried again on
    the next pass. Any other exception is a bug met on one odd page or feed
    (a parser tripping on input it did not expect): it is logged with its
    traceback and the target is failed with backoff through `on_bug`, so a
    watch loop neither stops nor retries the bad input at every pass.
    """
    try:
        return handle(ctx, *args)
    except (sqlite3.Error, TrackerError) as e:
        reason = f"not stored ({type(e).__name__}: {e}); it will be tried again on the next pass"
    except Exception as e:  # recorded per target and logged, never swallowed
        log.exception("unexpected error while handling %s", url)
        reason = (
            f"unexpected {type(e).__name__} while reading it ({e}); nothing of it was stored. "
            "This is a bug in the tracker: please report it with the URL."
        )
        try:
            return on_bug(reason)
        except sqlite3.Error:
            pass
    ctx.counts["failed"] += 1
    ctx.problem(url, reason)
    return f"failed: {url}: {reason}"


def _source_response(ctx: _Pass, source: dict, response: Response, unconditional: bool) -> str | None:
    db, url = ctx.db, source["url"]
    if response.skipped:
        with transaction(db):
            _log(ctx, source["id"], url, response, "skipped", response.skipped)
            _update_source(
                db,
                source["id"],
                last_status=None,
                last_outcome="skipped",
                last_error=response.skipped,
                next_poll_at=later(ctx.at, max(ctx.every, response.retry_after or 0)),
            )
        ctx.counts["skipped"] += 1
        ctx.problem(url, response.skipped)
        return f"skipped: {url}: {response.skipped}"
    if response.error:
        return _source_failed(ctx, source, response, response.error)
    if response.not_modified:
        with transaction(db):
            _log(ctx, source["id"], url, response, "not_modified")
            _update_source(db, source["id"], **_healthy(ctx, 304), polls_since_full=source["polls_since_full"] + 1)
        ctx.counts["unchanged"] += 1
        return None
    body_hash = hashlib.sha256(response.body).hexdigest()
    trust = source["trust_validators"]
    lied = False
    if (
        unconditional
        and trust
        and source["polls_since_full"] > 0
        and source["body_hash"]
        and body_hash != source["body_hash"]
    ):
        lied = _validators_lie(ctx, source, response)
    if lied:
        trust = 0
        note = (
            f"{url} kept answering 304 Not Modified although its content changed: its validators lie, "
            "so it is now always fetched in full (a 200 with unchanged bytes is still not parsed)."
        )
        ctx.notes.append(note)
    validators = {
        "etag": response.etag if trust else None,
        "last_modified": response.last_modified if trust else None,
        "trust_validators": trust,
        "body_hash": body_hash,
        "last_full_at": now(),
        "polls_since_full": 0,
    }
    if body_hash == source["body_hash"]:
        with transaction(db):
            _log(ctx, source["id"], url, response, "ok")
            _update_source(db, source["id"], **_healthy(ctx, response.status), **validators)
        ctx.counts["unchanged"] += 1
        return None
    story = ctx.story(source["story_id"])
    try:
        if source["kind"] == "feed":
            parsed = parse_feed(response.body, url=response.url)
        elif source["kind"] == "page":
            parsed = parse_page(response.body, response.url, charset=response.charset)
        else:
            pattern = source["config"].get("pattern")
            parsed = statement_links(response.body, response.url, pattern, charset=response.charset)
    except ParseError as e:
        return _source_failed(ctx, source, response, f"could not be read: {e}")
    ctx.parsed += 1
    problem = None
    with transaction(db):
        if source["kind"] == "feed":
            result = store_feed(db, story, parsed, response.url, source_id=source["id"])
            problem = result["problem"]
            for key in ("new", "skipped"):
                ctx.counts[key] += result[key]
            line = f"feed: {url}: {result['new']} new, {result['skipped']} skipped"
        elif source["kind"] == "page":
            result = store_page(db, story, response.url, parsed, source_id=source["id"], fetched_at=now())
            _page_counts(ctx, result, story)
            line = f"page: {url}: {result['status']}"
        else:
            created = _statement_items(db, story, source, parsed)
            ctx.counts["new"] += created
            line = f"statements: {url}: {len(parsed)} linked, {created} new"
        _log(ctx, source["id"], url, response, "ok", problem)
        _update_source(db, source["id"], **{**_healthy(ctx, response.status), "last_error": problem}, **validators)
    if problem:
        ctx.problem(url, problem)
    return line


def _validators_lie(ctx: _Pass, source: dict, response: Response) -> bool:
    """The content changed since our last full fetch although the source kept answering 304: do its validators lie?

    The same ETag or Last-Modified on different content is a lie outright;
    otherwise one more request with the old validators tells: an honest
    server answers it with the new content, a lying one with 304 again.
    """
    if (source["etag"] and response.etag == source["etag"]) or (
        source["last_modified"] and response.last_modified == source["last_modified"]
    ):
        return True
    if not (source["etag"] or source["last_modified"]):
        return False
    check = ctx.fetcher.get(source["url"], etag=source["etag"], last_modified=source["last_modified"])
    return bool(check.not_modified)


def _source_failed(ctx: _Pass, source: dict, response: Response, reason: str) -> str:
    status = response.status
    failures = source["failures"] + 1
    missing = source["missing_count"] + 1 if status in (404, 410) else 0
    state = "gone" if missing >= GONE_AFTER else source["state"]
    if state == "gone":
        reason += (
            f" Marked gone after {missing} answers of HTTP {status} in a row; "
            f"`python -m tracker sources resume {source['id']}` if it comes back."
        )
    with transaction(ctx.db):
        _log(ctx, source["id"], source["url"], response, "error", reason)
        _update_source(
            ctx.db,
            source["id"],
            last_status=status,
            last_outcome="error",
            last_error=reason,
            failures=failures,
            missing_count=missing,
            state=state,
            next_poll_at=later(ctx.at, backoff(failures, ctx.every, response.retry_after)),
        )
        events.source_failing(ctx.db, source, failures, reason, gone=state == "gone" and source["state"] != "gone")
    ctx.counts["failed"] += 1
    ctx.problem(source["url"], reason)
    return f"failed: {source['url']}: {reason}"


def _healthy(ctx: _Pass, status: int | None) -> dict:
    return {
        "last_status": status,
        "last_outcome": "ok" if status != 304 else "not_modified",
        "last_error": None,
        "last_ok_at": now(),
        "failures": 0,
        "missing_count": 0,
        "next_poll_at": later(ctx.at, ctx.every),
    }


SOURCE_COLUMNS = frozenset(
    "last_status last_outcome last_error last_ok_at failures missing_count state next_poll_at etag last_modified "
    "trust_validators body_hash last_full_at polls_since_full".split()
)


def _update_source(db: sqlite_utils.Database, source_id: int, **values) -> None:
    """Set health and schedule columns (names from SOURCE_COLUMNS only), counting the poll."""
    assert set(values) <= SOURCE_COLUMNS, set(values) - SOURCE_COLUMNS
    sets = ", ".join(f"{k} = ?" for k in values)
    db.execute(
        f"UPDATE sources SET {sets}, last_fetched_at = ?, poll_count = poll_count + 1 WHERE id = ?",
        [*values.values(), now(), source_id],
    )


def _statement_items(db: sqlite_utils.Database, story: dict, source: dict, links: list[str]) -> int:
    """Statement links not seen before become statement items of the organisation; their pages come next."""
    created = 0
    for link in links:
        if coverage.find_item(db, story["id"], link) is not None:
            continue
        coverage.save_item(
            db, story["id"], link, None, kind="statement", source_id=source["id"], outlet=source["outlet"]
        )
        created += 1
    return created


def _log(ctx: _Pass, source_id: int | None, url: str, response: Response, outcome: str, error: str | None = None):
    record_fetch(
        ctx.db,
        source_id,
        url,
        outcome=outcome,
        status=response.status,
        size=len(response.body or b""),
        ms=response.elapsed_ms,
        error=error,
    )


# -- items -------------------------------------------------------------------------------------


def _due_items(db: sqlite_utils.Database, at: str, story_id: int | None) -> list[dict]:
    """Items from feeds and statement listings whose next check has come (or that have no text yet)."""
    story_filter = " AND c.story_id = ?" if story_id is not None else ""
    params: list = [at] + ([story_id] if story_id is not None else [])
    found = rows(
        db,
        f"""SELECT c.id, c.story_id, c.kind, c.canonical_url, c.etag, c.last_modified, c.check_count,
                   c.check_failures, c.published_at, c.first_seen_at, c.source_id,
                   s.trust_validators, s.outlet AS source_outlet
            FROM coverage c JOIN sources s ON s.id = c.source_id
            WHERE c.gone_at IS NULL AND (c.next_check_at IS NULL OR c.next_check_at <= ?)
              AND s.state = 'active' AND s.kind IN ('feed', 'statement'){story_filter}
            ORDER BY c.next_check_at IS NOT NULL, c.next_check_at, c.id""",
        params,
    )
    return [item for item in found if is_http_url(item["canonical_url"])]


class _GroupCommit:
    """Consecutive items stored in one write transaction, each still in its own savepoint.

    A commit per page cost about as much as storing the page: the WAL
    frames of the index pages every item touches, and a new full-text
    segment each time. Items are committed together when the fetcher has
    nothing ready (so a slow network never holds a stored item back), once
    the transaction is BATCH_SECONDS old, and at the end of the phase. An
    item that fails rolls back alone (tracker.db.transaction nests as a
    savepoint). A kill loses at most the batch in hand: nothing of it is
    half-written, and its items are still due, so the next pass fetches
    them again.
    """

    def __init__(self, ctx: _Pass) -> None:
        self.ctx = ctx
        self.started: float | None = None
        self.items = 0
        self.held = contextlib.ExitStack()  # the process's writer lock, from BEGIN to COMMIT

    def begin(self) -> None:
        conn = self.ctx.db.conn
        if self.started is None and not conn.in_transaction:
            self.held.enter_context(writer_lock(self.ctx.db))
            try:
                conn.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError:
                self.held.close()
                return  # another writer holds on: the item tries its own transaction and fails alone
            self.started, self.items = time.monotonic(), 0

    def stored(self) -> None:
        self.items += 1
        if self.started is not None and time.monotonic() - self.started >= BATCH_SECONDS:
            self.commit()

    def commit(self) -> None:
        if self.started is None:
            return
        conn = self.ctx.db.conn
        self.started = None
        try:
            if not conn.in_transaction:  # a database error rolled the whole batch back, not just its item
                self.ctx.notes.append(
                    f"a database error rolled back up to {self.items} item(s) stored in this pass; "
                    "they are still due and the next pass fetches them again."
                )
                return
            try:
                conn.execute("COMMIT")
            except sqlite3.Error:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise
        finally:
            self.held.close()


def _check_items(ctx: _Pass, items: list[dict], stop: threading.Event) -> None:
    requests = []
    for item in items:
        conditional = item["trust_validators"] and (item["check_count"] + 1) % UNCONDITIONAL_EVERY != 0
        requests.append(
            Request(
                item["canonical_url"],
                item["etag"] if conditional else None,
                item["last_modified"] if conditional else None,
                tag=(item, conditional),
            )
        )
    batch = _GroupCommit(ctx)
    try:
        for done, (request, response) in enumerate(
            fetch_stream(ctx.fetcher, requests, cancel=stop, idle=batch.commit), 1
        ):
            item, conditional = request.tag
            batch.begin()
            line = _guarded(
                ctx,
                item["canonical_url"],
                _item_response,
                functools.partial(_item_failed, ctx, item, response, age=_age(ctx, item)),
                item,
                response,
                conditional,
            )
            batch.stored()
            ctx.items += 1
            if ctx.progress:
                ctx.progress("items", done, len(requests), line)
            if stop.is_set():
                break
    finally:
        batch.commit()


def _age(ctx: _Pass, item: dict) -> float:
    born = parse_time(item["published_at"]) or parse_time(item["first_seen_at"])
    at = parse_time(ctx.at)
    return max(0.0, (at - born).total_seconds()) if born and at else 0.0


def _item_response(ctx: _Pass, item: dict, response: Response, conditional: bool) -> str | None:
    db, url = ctx.db, item["canonical_url"]
    age = _age(ctx, item)
    if response.skipped:
        with transaction(db):
            _log(ctx, item["source_id"], url, response, "skipped", response.skipped)
            _update_item(db, item["id"], next_check_at=later(ctx.at, recheck_delay(age)), check_error=response.skipped)
        ctx.counts["skipped"] += 1
        ctx.problem(url, response.skipped)
        return f"skipped: {url}: {response.skipped}"
    if response.error:
        return _item_failed(ctx, item, response, response.error, age=age)
    if response.not_modified:
        with transaction(db):
            _log(ctx, item["source_id"], url, response, "not_modified")
            _update_item(db, item["id"], **_item_ok(ctx, age, response))
        ctx.counts["unchanged"] += 1
        return None
    try:
        article = parse_page(response.body, response.url, charset=response.charset)
    except ParseError as e:
        return _item_failed(ctx, item, response, f"could not be read: {e}", age=age)
    ctx.parsed += 1
    story = ctx.story(item["story_id"])
    with transaction(db):
        result = store_page(
            db,
            story,
            response.url,
            article,
            source_id=item["source_id"],
            kind=item["kind"],
            fetched_at=now(),
            outlet=item["source_outlet"] if item["kind"] == "statement" else None,
            canonical=url,
        )
        _log(ctx, item["source_id"], url, response, "ok")
        _update_item(db, item["id"], **_item_ok(ctx, age, response))
        lied = (
            result["changed"]
            and not conditional
            and item["trust_validators"]
            and (
                (item["etag"] and response.etag == item["etag"])
                or (item["last_modified"] and response.last_modified == item["last_modified"])
            )
        )
        if lied:
            db.execute(
                "UPDATE sources SET trust_validators = 0, etag = NULL, last_modified = NULL WHERE id = ?",
                [item["source_id"]],
            )
            ctx.notes.append(f"{url} changed under an unchanged ETag / Last-Modified: validators of its site lie.")
    _page_counts(ctx, result, story)
    return f"{result['status']}: {url}" if result["created"] else None


def _page_counts(ctx: _Pass, result: dict, story: dict) -> None:
    if result["status"] == "new":
        ctx.counts["new"] += 1
    if result["changed"]:
        ctx.counts["updated"] += 1
        ctx.changes.append(
            {"coverage_id": result["coverage_id"], "revision_id": result["revision_id"], "story": story["slug"]}
        )
    elif result["created"]:
        ctx.texts += 1
    elif result["status"] != "new":
        ctx.counts["unchanged"] += 1


def _item_ok(ctx: _Pass, age: float, response: Response) -> dict:
    return {
        "etag": response.etag,
        "last_modified": response.last_modified,
        "check_failures": 0,
        "check_error": None,
        "next_check_at": later(ctx.at, recheck_delay(age)),
    }


def _item_failed(ctx: _Pass, item: dict, response: Response, reason: str, *, age: float) -> str:
    failures = item["check_failures"] + 1
    gone = response.status in (404, 410) and failures >= GONE_AFTER
    with transaction(ctx.db):
        _log(ctx, item["source_id"], item["canonical_url"], response, "error", reason)
        _update_item(
            ctx.db,
            item["id"],
            check_failures=failures,
            check_error=reason,
            next_check_at=None if gone else later(ctx.at, item_backoff(age, failures)),
            gone_at=now() if gone else None,
        )
    ctx.counts["failed"] += 1
    ctx.problem(item["canonical_url"], reason)
    return f"failed: {item['canonical_url']}: {reason}"


ITEM_COLUMNS = frozenset("etag last_modified check_failures check_error next_check_at gone_at".split())


def _update_item(db: sqlite_utils.Database, coverage_id: int, **values) -> None:
    """Set an item's re-check columns (names from ITEM_COLUMNS only), counting the check."""
    assert set(values) <= ITEM_COLUMNS, set(values) - ITEM_COLUMNS
    sets = ", ".join(f"{k} = ?" for k in values)
    db.execute(
        f"UPDATE coverage SET {sets}, last_checked_at = ?, check_count = check_count + 1 WHERE id = ?",
        [*values.values(), now(), coverage_id],
    )
