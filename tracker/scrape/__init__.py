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

By job: context.py (what a pass carries, one target's failure kept to
itself), polling.py (sources), rechecks.py (items); this module runs them.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime

import sqlite_utils

from scrapers.http import Clock, HostShare
from scrapers.schedule import POLL_EVERY
from scrapers.timestamps import parse_time
from tracker import config, extraction, retention
from tracker.db import DatabaseBusy, StorageError, database_error, now, path_of, rows, stopping_error
from tracker.ingest import default_fetcher
from tracker.scrape.context import Pass, Progress
from tracker.scrape.polling import poll_sources, report_silent, take_turns
from tracker.scrape.rechecks import check_items, due_items
from tracker.sources import due_sources, source_every
from tracker.stories import get_story

__all__ = ["run_pass", "watch", "Progress"]


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
    share: float | None = None,
) -> dict:
    """One pass over a story's sources (all stories' when story is None), then over its items that are due.

    force: poll every active source now, not only those due (sources backing
    off after failures still wait). Returns the counts new, updated,
    unchanged, skipped, failed, plus `sources` and `items` fetched, `parsed`
    (documents parsed; a 304 or an identical body costs none), `texts`
    (items whose text was stored for the first time), `changes` (items whose
    text changed: events for the timeline), `problems` (url, reason),
    `waiting` (sources still backing off), `candidates` (claim candidates
    found in the texts stored), `stopped` (the stop event cut the pass
    short) and `deferred` (the hosts that used their share, with the
    requests to them left due: scrapers/http/stream.HostShare).

    share: the seconds of fetching and reading each host may take in this
    pass (its requests' time, the waits for its turn and the reading of its
    answers), 0 for no limit; None for the default (the CLI passes
    TRACKER_HOST_SHARE's). A host slow to answer, asking a long
    Crawl-delay, or serving pages slow to read would otherwise hold the
    pass, and every other story's sources, for as long as its pages take.

    Claim extraction runs last, over every revision waiting for it
    (extraction.extract_waiting): fetching never waits on it, and what a
    stopped pass leaves waiting the next one picks up. extract=False leaves
    it to a later pass (bench/ingest.py times the two stages apart).
    """
    story_id = get_story(db, story)["id"] if story else None
    stop = stop or threading.Event()
    owned = fetcher is None
    fetcher = default_fetcher(db=db) if owned else fetcher
    share = config.Settings.host_share if share is None else share
    clock = getattr(fetcher, "clock", None) or Clock()
    ctx = Pass(db=db, fetcher=fetcher, at=at or now(), every=every, progress=progress, share=HostShare(share, clock))
    waiting = 0  # sources backing off, once known: a damaged database can stop the pass before they are
    try:
        due = due_sources(db, ctx.at, story_id, force=force, allowed=getattr(fetcher, "allows", None))
        waiting = due.backing_off
        poll_sources(ctx, take_turns(ctx, due.sources, due_items(db, ctx.at, story_id)), stop)
        report_silent(ctx, story_id)
        if not stop.is_set():
            check_items(ctx, due_items(db, ctx.at, story_id), stop)
        if extract and not stop.is_set():
            _extract(ctx, story_id, stop)
        if not stop.is_set():
            _prune(ctx)
    except (StorageError, DatabaseBusy) as e:
        ctx.error = e  # the counts are what was committed before it
    except sqlite3.Error as e:  # a batch's COMMIT, say, or claim extraction meeting a damaged page
        path = path_of(db) or None
        ctx.error = stopping_error(e, path) or database_error(e, path)
    finally:
        if owned:
            fetcher.close()
    return ctx.summary(stop.is_set(), waiting)


def _prune(ctx: Pass) -> None:
    """Old fetch-log rows and sent alerts go (tracker/retention.py); a failure is a note, never the pass's end."""
    try:
        pruned = retention.prune(ctx.db, parse_time(ctx.at) or datetime.now(UTC))
    except sqlite3.Error as e:
        ctx.notes.append(f"old fetch-log rows could not be removed ({e}); the next pass tries again.")
        return
    if pruned.fetches or pruned.deliveries:  # hosts' pacing rows go without a word: nothing anyone reads
        ctx.notes.append(
            f"removed {pruned.fetches} fetch-log row(s) and {pruned.deliveries} sent alert(s) older than "
            f"{retention.KEEP_DAYS} days."
        )


def _extract(ctx: Pass, story_id: int | None, stop: threading.Event) -> None:
    def step(done: int, total: int) -> None:
        if ctx.progress:
            ctx.progress.step("claims", done, total, None)

    extracted = extraction.extract_waiting(ctx.db, story_id, stop=stop, progress=step)
    ctx.candidates += extracted["added"]
    for _, url, reason in extracted["problems"]:
        ctx.problem(url, reason)
    if extracted["error"] is not None:
        raise extracted["error"]


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
    share: float | None = None,
) -> int:
    """Run a pass every `every` seconds until `stop` is set; returns how many passes ran.

    Only what is due is fetched. A source with its own, shorter poll
    interval (sources.add_source, config['every']) shortens the wait between
    passes to that interval, so it is polled on time. Setting `stop` (the CLI does on Ctrl-C and
    SIGTERM) ends the current pass after the item being stored, so the
    database is consistent and the next run resumes where this one stopped.
    A full or read-only disk ends the watch after that pass is reported
    (StorageError): fetching on would only fetch what cannot be stored. A
    database another program keeps locked, or any other database error,
    ends the pass, said through `echo`, and the next pass tries again.
    Each host gets `share` seconds of a pass (None: the default; 0: no
    limit) and at most half the time between passes: a slow host's pages
    wait for the next pass rather than make every other source's late.
    """
    story_id = get_story(db, story)["id"] if story else None  # a typo fails now, not after the first wait
    stop = stop or threading.Event()
    owned = fetcher is None
    fetcher = default_fetcher(db=db) if owned else fetcher
    share = config.Settings.host_share if share is None else share
    passes = 0
    try:
        while not stop.is_set():
            started = time.monotonic()
            interval = pass_interval(db, story_id, every)
            limit = min(share, interval / 2) if share else 0
            try:
                result = run_pass(
                    db, story, fetcher=fetcher, force=False, every=every, stop=stop, progress=progress, share=limit
                )
            except sqlite3.OperationalError as e:
                echo(f"pass stopped by a database error ({e}); the next pass tries again.")
            else:
                passes += 1
                if on_pass is not None:
                    on_pass(result)
                if isinstance(result["error"], StorageError):
                    raise result["error"]
                if result["error"] is not None:  # a database kept locked: it may be free by the next pass
                    echo(f"pass stopped: {result['error']}")
            _wait(stop, pass_interval(db, story_id, every) - (time.monotonic() - started))
    finally:
        if owned:
            fetcher.close()
    return passes


def pass_interval(db: sqlite_utils.Database, story_id: int | None, every: float) -> float:
    """Seconds between two passes: `every`, or the shortest own interval of an active source in scope."""
    where = "state = 'active'" + (" AND story_id = ?" if story_id is not None else "")
    found = rows(db, f"SELECT config FROM sources WHERE {where}", [story_id] if story_id is not None else [])
    return min([every, *filter(None, (source_every(s) for s in found))])


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
