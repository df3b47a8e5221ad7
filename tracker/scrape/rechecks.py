"""A pass's second phase: the items that are due, their pages fetched again and stored as revisions.

Young items are checked every few minutes, old ones daily
(scrapers/schedule.py has the timing). Consecutive items commit together
(GroupCommit), each still in its own savepoint, so a page stored costs its
own writes and not a commit of its own.
"""

from __future__ import annotations

import contextlib
import functools
import sqlite3
import threading
import time

import sqlite_utils

from scrapers.http import DISALLOWED, Request, Response, fetch_stream
from scrapers.http.advice import ITEM, NEW_ITEM
from scrapers.http.stream import host_of
from scrapers.notpage import NOT_FOUND, not_the_page
from scrapers.records import ParseError
from scrapers.schedule import GONE_AFTER, UNCONDITIONAL_EVERY, item_backoff, later, recheck_delay
from scrapers.statements import listing_instead
from scrapers.timestamps import parse_time
from scrapers.urls import is_http_url
from tracker import coverage
from tracker.alerts import events
from tracker.captures import received_from_response
from tracker.db import now, rows, transaction, writer_lock
from tracker.scrape.context import Pass, count_page, follow_move, guarded, log_fetch
from tracker.sources import source_every
from tracker.store import parse_page, store_page

BATCH_SECONDS = 0.25  # longest a stored item waits for its commit while more pages keep arriving


def due_items(db: sqlite_utils.Database, at: str, story_id: int | None) -> list[dict]:
    """Items from feeds and statement listings whose next check has come (or that have no text yet).

    An item last checked later than `at` was scheduled on a clock since set back: it is due now, once
    (tracker.sources.due_sources says why). `fetch_url` is where its page is fetched from: its own
    address, or the one a source gives it now (coverage.fetch_url: the article moved).
    """
    story_filter = " AND c.story_id = ?" if story_id is not None else ""
    params: list = [at, at] + ([story_id] if story_id is not None else [])
    found = rows(
        db,
        f"""SELECT c.id, c.story_id, c.kind, c.canonical_url, coalesce(c.fetch_url, c.canonical_url) AS fetch_url,
                   c.etag, c.last_modified, c.validators_url, c.check_count, c.last_checked_at,
                   c.check_failures, c.check_error, c.published_at, c.feed_published_at, c.first_seen_at,
                   c.next_check_at, c.source_id,
                   s.trust_validators, s.outlet AS source_outlet, s.config, s.url AS source_url,
                   EXISTS (SELECT 1 FROM revisions r WHERE r.coverage_id = c.id) AS stored
            FROM coverage c JOIN sources s ON s.id = c.source_id
            WHERE c.gone_at IS NULL AND (c.next_check_at IS NULL OR c.next_check_at <= ? OR c.last_checked_at > ?)
              AND s.state = 'active' AND s.kind IN ('feed', 'statement'){story_filter}
            ORDER BY c.next_check_at IS NOT NULL, c.next_check_at, c.id""",
        params,
    )
    for item in found:
        item["every"] = source_every(item)
    return [item for item in found if is_http_url(item["fetch_url"])]


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
    them again. What the batch counted is only kept once it commits: when
    the batch is rolled back (a full disk at COMMIT, an error SQLite answers
    by rolling back the whole transaction), the pass's counts go back to
    where the batch began and its items count as failed.
    """

    def __init__(self, ctx: Pass) -> None:
        self.ctx = ctx
        self.started: float | None = None
        self.items = 0
        self.tally: tuple | None = None
        self.held = contextlib.ExitStack()  # the process's writer lock, from BEGIN to COMMIT

    def begin(self) -> None:
        conn = self.ctx.db.conn
        if self.started is None and not conn.in_transaction:
            try:
                self.held.enter_context(writer_lock(self.ctx.db))
                conn.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError:
                self.held.close()
                return  # another writer holds on: the item tries its own transaction and fails alone
            self.started, self.items, self.tally = time.monotonic(), 0, self.ctx.tally()

    def stored(self) -> None:
        self.items += 1
        if self.started is not None and not self.ctx.db.conn.in_transaction:
            self._lost("a database error rolled back")  # this item's error took the whole batch with it
        elif self.started is not None and time.monotonic() - self.started >= BATCH_SECONDS:
            self.commit()

    def commit(self) -> None:
        if self.started is None:
            return
        conn = self.ctx.db.conn
        if not conn.in_transaction:
            self._lost("a database error rolled back")
            return
        try:
            conn.execute("COMMIT")
        except sqlite3.Error:
            self.abort()
            raise
        self.started = None
        self.held.close()

    def abort(self) -> None:
        """Roll the batch back (the pass is stopping on an error) and take back what it counted."""
        if self.started is None:
            return
        conn = self.ctx.db.conn
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        self._lost("the pass stopped on an error and rolled back")

    def _lost(self, why: str) -> None:
        self.ctx.rewind(self.tally, self.items)
        self.ctx.notes.append(
            f"{why} what {self.items} item(s) checked in this pass recorded (pages and failures alike); "
            "they are still due and the next pass fetches them again."
        )
        self.started = None
        self.held.close()


def check_items(ctx: Pass, items: list[dict], stop: threading.Event) -> None:
    """Fetch each due item's page again and store a new revision when its text changed.

    In two rounds (_after_moves): a page this pass found on a host whose stored pages are due waits for them,
    so that one of them moved there is found first, and the new link is not a second item of the same page.
    """
    batch = _GroupCommit(ctx)
    done, total = 0, len(items)
    try:
        for due in _after_moves(ctx, items):
            left = [item for item in due if item["id"] not in ctx.folded]  # another's new address: no item now
            total -= len(due) - len(left)
            requests = [_request(item) for item in left]
            for request, response in fetch_stream(
                ctx.fetcher, requests, cancel=stop, idle=batch.commit, share=ctx.share
            ):
                if response.deferred:
                    total = ctx.deferred("items", request, response, done, total)
                    continue
                done += 1
                item, conditional = request.tag
                batch.begin()
                line = guarded(
                    ctx,
                    item["fetch_url"],
                    _item_response,
                    functools.partial(_item_failed, ctx, item, response, age=_age(ctx, item)),
                    item,
                    response,
                    conditional,
                )
                batch.stored()
                ctx.items += 1
                if ctx.progress:
                    ctx.progress.step("items", done, total, line)
                if stop.is_set():
                    break
            if stop.is_set():
                break
    except BaseException:
        batch.abort()
        raise
    batch.commit()


def _request(item: dict) -> Request:
    conditional = item["trust_validators"] and (item["check_count"] + 1) % UNCONDITIONAL_EVERY != 0
    return Request(
        item["fetch_url"],
        item["etag"] if conditional else None,
        item["last_modified"] if conditional else None,
        tag=(item, conditional),
        context=_context(item),
        validated_at=item["validators_url"],
    )


def _after_moves(ctx: Pass, items: list[dict]) -> tuple[list[dict], list[dict]]:
    """The due items in two rounds: the pages never read that a due page of their host may have moved to, after it.

    A listing that links a page's new address in the same pass as its old address first answers 301 made the new
    link an item; read first, it was a second item of the page, with a second "new statement" alert. Read after,
    the move is found first and the new link is folded into the page (coverage.fold_unread). Such a link is one
    this pass found, or one found since a due page of its host was last checked: a pass killed after storing the
    listing's links, before the move, left the new link unread for the next pass, which read it first and kept
    two statements. A page never read that every due page of its host was checked after keeps its place (it has
    waited longer than they: a host allowing one request a pass reads it before checking them again).
    """
    checked: dict[str, str] = {}  # each host's due page checked longest ago, when it was
    for item in items:
        if item["stored"]:
            host = host_of(item["fetch_url"])
            checked[host] = min(checked.get(host, item["last_checked_at"] or ""), item["last_checked_at"] or "")
    later = [
        item
        for item in items
        if not item["stored"]
        and host_of(item["fetch_url"]) in checked
        and (item["id"] in ctx.found or checked[host_of(item["fetch_url"])] < item["first_seen_at"])
    ]
    waiting = {item["id"] for item in later}
    return [item for item in items if item["id"] not in waiting], later


def _context(item: dict) -> str:
    """Whom a failure's advice is for: a page stored before (its revisions are kept), or one not stored yet."""
    return ITEM if item["stored"] else NEW_ITEM


def _age(ctx: Pass, item: dict) -> float:
    born = parse_time(item["published_at"]) or parse_time(item["first_seen_at"])
    at = parse_time(ctx.at)
    return max(0.0, (at - born).total_seconds()) if born and at else 0.0


def _item_response(ctx: Pass, item: dict, response: Response, conditional: bool) -> str | None:
    db, url = ctx.db, item["fetch_url"]
    age = _age(ctx, item)
    if response.robots_unreadable and item["check_error"] == response.skipped:
        # Its robots.txt unreadable once is "not now" (RFC 9309), a skip; still so at its next check, the site is
        # failing, as for a source (polling._source_response): counted, and backed off.
        return _item_failed(ctx, item, response, response.robots_unreadable, age=age)
    if response.skipped:
        # Not asked for now, it keeps its place in the queue: put off as far as a page fetched in the same pass,
        # the first by id won every tie, and a host allowing a request a pass had that one page fetched each time.
        # A page robots.txt disallows waits for its next check like any other.
        put_off = {}
        if response.skipped == DISALLOWED:
            put_off["next_check_at"] = later(ctx.at, recheck_delay(age, item["every"]))
        with transaction(db):
            log_fetch(ctx, item["source_id"], url, response, "skipped", response.skipped)
            _update_item(db, item["id"], check_error=response.skipped, **put_off)
        ctx.counts["skipped"] += 1
        if response.skipped == DISALLOWED or response.robots_unreadable:
            ctx.kept_out_by_robots("items", url, response.skipped)
        else:
            ctx.problem(url, response.skipped)
        return f"skipped: {url}: {response.skipped}"
    wall = not_the_page(response, url)  # a bot check, consent wall or soft 404: a failed fetch, never a revision
    if response.error:
        reason = wall.refusal(response.status, _context(item)) if wall else response.error
        return _item_failed(ctx, item, response, reason, age=age)
    if response.not_modified:
        with transaction(db):
            log_fetch(ctx, item["source_id"], url, response, "not_modified")
            if response.moved:  # moved, its text unchanged there
                _moved(ctx, item, follow_move(db, item["id"], item["fetch_url"], response, stored=bool(item["stored"])))
            _update_item(db, item["id"], **_item_ok(ctx, item, age, response))
        ctx.counts["unchanged"] += 1
        return None
    if wall is None:  # a statement sent to its newsroom's listing is taken down, as one sent home (notpage) is
        wall = listing_instead(url, response.url, response.body, response.charset, [item["source_url"]])
    if wall is not None:
        reason = wall.refusal(response.status, _context(item))
        return _item_failed(ctx, item, response, reason, age=age, missing=wall.kind == NOT_FOUND)
    try:
        article = parse_page(
            response.body,
            response.url,
            charset=response.charset,
            feed_date=item["feed_published_at"],
            fetched_at=parse_time(now()),
        )
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
            canonical=item["canonical_url"],
            raw=(response.body, received_from_response(response)),
        )
        log_fetch(ctx, item["source_id"], url, response, "ok")
        if response.moved:  # a 301 or 308 to a page of its own (a listing or home page was refused above)
            stored = result["changed"] or not result["created"]
            _moved(ctx, item, follow_move(db, item["id"], item["fetch_url"], response, stored=stored))
        else:
            coverage.record_named_twin(db, item["id"], response.url, article.canonical_url)
        _update_item(db, item["id"], **_item_ok(ctx, item, age, response))
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
    count_page(ctx, result, story, listed_before=item["id"] not in ctx.found)
    return f"{result['status']}: {url}" if result["created"] else None


def _moved(ctx: Pass, item: dict, moved_to: str | None) -> None:
    """The item's page moved to `moved_to`: an item a listing made of that address and never read is this page.

    Removed (coverage.fold_unread), it is not fetched later in the pass, and the pass that counted it new does
    not: the summary says what is in the database. A batch rolled back puts both back (Pass.rewind).
    """
    folded = coverage.fold_unread(ctx.db, item["id"], moved_to) if moved_to is not None else None
    if folded is not None:
        ctx.folded.add(folded)
        if folded in ctx.found:
            ctx.counts["new"] -= 1


def _item_ok(ctx: Pass, item: dict, age: float, response: Response) -> dict:
    return {
        "etag": response.etag,
        "last_modified": response.last_modified,
        # The page a redirect led to, whose validators these are (sent there next time, not where it is asked).
        "validators_url": response.url if response.redirects else None,
        "check_failures": 0,
        "check_error": None,
        "next_check_at": later(ctx.at, recheck_delay(age, item["every"])),
    }


def _item_failed(ctx: Pass, item: dict, response: Response, reason: str, *, age: float, missing: bool = False) -> str:
    """missing: the page said "not found" although its status did not (a soft 404), so it counts as a 404."""
    failures = item["check_failures"] + 1
    gone = (missing or response.status in (404, 410)) and failures >= GONE_AFTER
    with transaction(ctx.db):
        log_fetch(ctx, item["source_id"], item["fetch_url"], response, "error", reason)
        _update_item(
            ctx.db,
            item["id"],
            check_failures=failures,
            check_error=reason,
            next_check_at=None if gone else later(ctx.at, item_backoff(age, failures, item["every"])),
            gone_at=now() if gone else None,
        )
        if gone and item["stored"]:
            events.coverage_gone(ctx.db, item["id"], reason)
    ctx.counts["failed"] += 1
    ctx.problem(item["fetch_url"], reason)
    return f"failed: {item['fetch_url']}: {reason}"


ITEM_COLUMNS = frozenset("etag last_modified validators_url check_failures check_error next_check_at gone_at".split())


def _update_item(db: sqlite_utils.Database, coverage_id: int, **values) -> None:
    """Set an item's re-check columns (names from ITEM_COLUMNS only), counting the check."""
    assert set(values) <= ITEM_COLUMNS, set(values) - ITEM_COLUMNS
    sets = ", ".join(f"{k} = ?" for k in values)
    db.execute(
        f"UPDATE coverage SET {sets}, last_checked_at = ?, check_count = check_count + 1 WHERE id = ?",
        [*values.values(), now(), coverage_id],
    )
