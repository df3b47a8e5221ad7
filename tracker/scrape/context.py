"""What one scrape pass carries and how it keeps one target's failure to that target.

Pass holds the pass's fetcher, its start time (every schedule counts from
it, so passes do not drift), its counts and what went wrong; guarded runs
one source's or item's handler so that an error fails that target only;
log_fetch records each response in `fetches` (tracker.sources.record_fetch).
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field

import sqlite_utils

from scrapers.http import HostShare, Request, Response
from scrapers.http.stream import host_of
from tracker import coverage
from tracker.alerts import events
from tracker.db import StorageError, TrackerError, path_of, stopping_error
from tracker.sources import record_fetch
from tracker.store import COUNTS
from tracker.stories import get_story_by_id

log = logging.getLogger(__name__)


def _unheard(phase: str) -> None:
    """A request robots.txt kept out, for a progress that does not count them apart."""


@dataclass(frozen=True)
class Progress:
    """What a pass tells whoever shows its progress (the scrape command's bars), one callback per thing told."""

    step: Callable[[str, int, int, str | None], object]  # phase, done, total, a line worth showing
    # A request of the phase that robots.txt kept out: done, not fetched (the bar says how many were skipped).
    kept_out_by_robots: Callable[[str], object] = _unheard


@dataclass
class Pass:
    """What one pass did, and what it needs at hand."""

    db: sqlite_utils.Database
    fetcher: object
    at: str  # when the pass started: every schedule is counted from here, so passes do not drift
    every: float
    progress: Progress | None
    counts: dict = field(default_factory=lambda: dict.fromkeys(COUNTS, 0))
    parsed: int = 0
    texts: int = 0
    late: int = 0  # of the texts, those of items listed on an earlier pass (its fetch failed, was skipped or killed)
    found: set[int] = field(default_factory=set)  # items this pass created (feed entries, statement links)
    folded: set[int] = field(default_factory=set)  # items removed as another's new address (coverage.fold_unread)
    sources: int = 0
    items: int = 0
    candidates: int = 0
    changes: list[dict] = field(default_factory=list)
    problems: list[tuple[str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    stories: dict[int, dict] = field(default_factory=dict)
    error: TrackerError | None = None  # what stopped the pass: a full or read-only disk, a database kept locked
    share: HostShare | None = None  # each host's share of the pass's time; what it put off
    put_off: set[tuple[str, str]] = field(default_factory=set)  # (phase, host) whose deferral progress heard of
    # Pages robots.txt kept us from, by (host, why): it disallows them, or could not be read (RFC 9309's "not now").
    robots: dict[tuple[str, str], int] = field(default_factory=dict)

    def deferred(self, phase: str, request: Request, response: Response, done: int, total: int) -> int:
        """A request its host's share left unmade: nothing recorded (it stays due); the phase's total shrinks.

        Returns the new total. The first of a host's requests put off gives the progress its reason.
        """
        key = (phase, host_of(request.url))
        first = key not in self.put_off
        self.put_off.add(key)
        if self.progress:
            self.progress.step(phase, done, total - 1, f"deferred: {response.skipped}" if first else None)
        return total - 1

    def kept_out_by_robots(self, phase: str, url: str, why: str) -> None:
        """A page not asked for because of its site's robots.txt: counted by host and reason, not a problem
        (the site asks us not to, or its robots.txt says nothing yet); the progress hears it was not fetched."""
        key = (host_of(url), why)
        self.robots[key] = self.robots.get(key, 0) + 1
        if self.progress:
            self.progress.kept_out_by_robots(phase)

    def tally(self) -> tuple:
        """The counts as they stand, to go back to if what was stored since is rolled back."""
        return dict(self.counts), self.texts, self.late, len(self.changes), dict(self.robots)

    def rewind(self, tally: tuple, lost: int) -> None:
        """Forget what was counted since `tally`: it was rolled back. Its `lost` items count as failed."""
        counts, self.texts, self.late, changes, self.robots = tally
        self.counts = {**counts, "failed": counts["failed"] + lost}
        del self.changes[changes:]

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
            "late": self.late,
            "changes": self.changes,
            "problems": self.problems,
            "notes": self.notes,
            "waiting": waiting,
            "stopped": stopped or self.error is not None,
            "error": self.error,
            "deferred": self.share.report() if self.share is not None else [],
            "robots": [{"host": host, "why": why, "pages": n} for (host, why), n in self.robots.items()],
        }


def guarded(ctx: Pass, url: str, handle: Callable[..., str | None], on_bug: Callable[[str], str], *args):
    """Run one target's handler; whatever goes wrong fails that target only.

    A database or domain error leaves the target due, to be tried again on
    the next pass. A full or read-only disk is raised instead (StorageError),
    and so is a database another program keeps locked (DatabaseBusy): every
    target after this one would fail the same way, so the pass stops there
    rather than fetch pages it cannot store. Any other exception is a bug met on one odd page or feed
    (a parser tripping on input it did not expect): it is logged with its
    traceback and the target is failed with backoff through `on_bug`, so a
    watch loop neither stops nor retries the bad input at every pass.
    """
    try:
        return handle(ctx, *args)
    except (sqlite3.Error, TrackerError) as e:
        path = path_of(ctx.db) or None
        disk = e if isinstance(e, StorageError) else stopping_error(e, path)
        if disk is not None:
            raise disk from None
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


def log_fetch(ctx: Pass, source_id: int | None, url: str, response: Response, outcome: str, error: str | None = None):
    """One response in the fetch log, in the transaction that stores what it brought."""
    record_fetch(
        ctx.db,
        source_id,
        url,
        outcome=outcome,
        status=response.status,
        size=len(response.body or b"") + response.probe_bytes,
        ms=response.elapsed_ms,
        error=error,
    )


def follow_move(
    db: sqlite_utils.Database, coverage_id: int, asked: str, response: Response, *, stored: bool
) -> str | None:
    """The item's page, asked for at `asked`, moved for good (response.moved) to response.url: followed there.

    The one rule for both phases (an item re-checked, a watched page polled):
    the same item at its new address, the move in its history
    (coverage.record_move); an item whose text was stored before (`stored`)
    is a "moved" alert too, unless only its scheme or www. changed, which is
    no news to a reporter. Returns the new address, or None when the move was known already.
    """
    moved_to = coverage.record_move(db, coverage_id, asked, response.url, response.redirects[0])
    if moved_to is not None and stored and not coverage.same_page_elsewhere(asked, moved_to):
        events.coverage_moved(db, coverage_id, asked, moved_to, response.redirects[0])
    return moved_to


def count_page(ctx: Pass, result: dict, story: dict, *, listed_before: bool = False) -> None:
    """A stored page in the pass's counts: new, a changed text (a timeline event), a first text, or unchanged.

    listed_before: the item was found on an earlier pass (a feed entry whose page could not be fetched
    then): its first text is counted `late`, since the pass that found it already counted it new.
    """
    if result["status"] == "new":
        ctx.counts["new"] += 1
    if result["changed"]:
        ctx.counts["updated"] += 1
        ctx.changes.append(
            {"coverage_id": result["coverage_id"], "revision_id": result["revision_id"], "story": story["slug"]}
        )
    elif result["created"]:
        ctx.texts += 1
        ctx.late += listed_before
    elif result["status"] != "new":
        ctx.counts["unchanged"] += 1
