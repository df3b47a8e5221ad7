"""A pass's first phase: the sources that are due, each fetched, parsed and stored with its health.

A feed's entries become items, a statement listing's links become
statement items, a watched page becomes (or updates) its item. A 304 costs
no parsing, and neither does a 200 whose bytes are those stored last time.
A feed's 304s are checked at least every third poll with a ranged GET of
the bytes naming its newest entry (scrapers/http/verify.py); other sources
are fetched without validators now and then. When the content changed
although the source kept answering 304, its validators lie, and we stop
sending them (trust_validators = 0). A source that keeps failing is polled
less and less often, and one that answers 404/410 several times in a row is
marked gone.
"""

from __future__ import annotations

import functools
import hashlib
import threading

import sqlite_utils

from scrapers.discovery import feed_links
from scrapers.feeds import newest_entry_window, parse_feed
from scrapers.http import Request, Response, Window, fetch_stream, window_of
from scrapers.http.advice import SOURCE
from scrapers.http.stream import host_of
from scrapers.notpage import NOT_FOUND, not_the_page
from scrapers.records import ParseError
from scrapers.schedule import GONE_AFTER, MAX_DEFER, backoff, later, probe_due, unconditional_due
from scrapers.statements import listing_instead, statement_links
from scrapers.timestamps import parse_time
from scrapers.urls import canonical_url
from tracker import coverage
from tracker.alerts import events
from tracker.captures import received_from_response
from tracker.db import now, transaction
from tracker.scrape.context import Pass, count_page, follow_move, guarded, log_fetch
from tracker.sources import REFUSED, silent_sources, source_every, source_with_url, watches_statement
from tracker.store import parse_page, store_feed, store_page


def take_turns(ctx: Pass, sources: list[dict], items: list[dict]) -> list[dict]:
    """The due sources to poll now: on a host allowing one request per pass, only one that waited longest.

    A host whose Crawl-delay is longer than the fetcher waits for a turn, or
    than the host's share of the pass, gets about one request a pass. The
    feed, due again at every pass (and polled by every `scrape`), took it
    each time, and the pages it listed were never fetched. Its sources
    therefore wait while a page on the host (`items`, due now) has been
    waiting longer, and only the one of them due first is polled; the others
    are left as they are, due, so they come first next time.
    """
    spacing, max_wait = getattr(ctx.fetcher, "spacing", None), getattr(ctx.fetcher, "max_wait", None)
    if spacing is None or max_wait is None:
        return sources
    share = ctx.share.seconds if ctx.share is not None else None

    def one_a_pass(url: str) -> bool:
        delay = spacing(url)
        return delay > max_wait or (share is not None and delay >= share)

    waiting: dict[str, str] = {}  # host -> when its page waiting longest became due
    for item in items:
        host, since = host_of(item["fetch_url"]), item["next_check_at"] or item["first_seen_at"] or ""
        waiting[host] = min(since, waiting.get(host, since))
    polled: list[dict] = []
    taken: dict[str, int] = {}  # host -> sources left waiting
    for source in sorted(sources, key=lambda s: (s["next_poll_at"] or "", s["id"])):
        host = host_of(source["url"])
        if not one_a_pass(source["url"]):
            polled.append(source)
        elif host in taken or waiting.get(host, "~") < (source["next_poll_at"] or ""):
            taken[host] = taken.get(host, 0) + 1
        else:
            taken[host] = 0
            polled.append(source)
    for host, left in taken.items():
        if left:
            ctx.notes.append(
                f"{host} allows one request per pass (its Crawl-delay is longer than a pass waits for it): "
                f"{left} of its source(s) are left due while what waited longer on it is fetched."
            )
    return sorted(polled, key=lambda s: s["id"])


def poll_sources(ctx: Pass, sources: list[dict], stop: threading.Event) -> None:
    """Fetch the due sources (conditionally, checking the validators when due) and store what each brought."""
    requests = []
    for source in sources:
        trusted = source["trust_validators"] and (source["etag"] or source["last_modified"])
        window = _window(source)
        check = None
        if trusted and window is not None:
            # A feed whose newest entry we know: its 304s are checked by a ranged GET of it, never by
            # fetching it whole (polls_since_full counts the polls since its content was last seen).
            unconditional = False
            check = window if probe_due(source["polls_since_full"]) else None
        else:
            unconditional = not trusted or unconditional_due(source["polls_since_full"], source["last_full_at"], ctx.at)
        etag = None if unconditional else source["etag"]
        last_modified = None if unconditional else source["last_modified"]
        requests.append(
            Request(
                source["url"],
                etag,
                last_modified,
                tag=(source, unconditional),
                window=check,
                validated_at=source["validators_url"],
            )
        )
    done, total = 0, len(requests)
    for request, response in fetch_stream(ctx.fetcher, requests, cancel=stop, share=ctx.share):
        if response.deferred:
            total = ctx.deferred("sources", request, response, done, total)
            continue
        done += 1
        source, unconditional = request.tag
        line = guarded(
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
            ctx.progress.step("sources", done, total, line)
        if stop.is_set():
            break


def _source_response(ctx: Pass, source: dict, response: Response, unconditional: bool) -> str | None:
    db, url = ctx.db, source["url"]
    if response.robots_unreadable and source["last_outcome"] in ("skipped", "error"):
        # Its robots.txt unreadable once is "not now" (RFC 9309), a skip; still so at the next poll, the site is
        # failing: counted, backed off and announced like a site that takes no connection.
        return _source_failed(ctx, source, response, response.robots_unreadable)
    if response.skipped:
        with transaction(db):
            log_fetch(ctx, source["id"], url, response, "skipped", response.skipped)
            _update_source(
                db,
                source["id"],
                last_status=None,
                last_outcome="skipped",
                last_error=response.skipped,
                next_poll_at=later(ctx.at, max(_every(ctx, source), min(response.retry_after or 0, MAX_DEFER))),
            )
        ctx.counts["skipped"] += 1
        ctx.problem(url, response.skipped)
        return f"skipped: {url}: {response.skipped}"
    if response.settings_refused:
        return _source_refused(ctx, source, response)
    wall = not_the_page(response, url)  # a bot check, consent wall or soft 404: a failed fetch, nothing of it stored
    if response.error:
        return _source_failed(ctx, source, response, wall.refusal(response.status, SOURCE) if wall else response.error)
    if response.not_modified:
        # Checked by its newest entry's bytes: unchanged for sure, so the count of trusting polls starts over.
        polls = 0 if response.verified else source["polls_since_full"] + 1
        with transaction(db):
            log_fetch(ctx, source["id"], url, response, "not_modified")
            _page_back(db, source)
            _page_moved(db, source, response)
            _update_source(db, source["id"], **_unchanged(ctx, source, 304), polls_since_full=polls)
        ctx.counts["unchanged"] += 1
        return None
    if wall is None and source["kind"] == "page":  # a watched statement sent to its newsroom's listing
        wall = listing_instead(url, response.url, response.body, response.charset, _listings(db, source["story_id"]))
    if wall is not None:
        reason = wall.refusal(response.status, SOURCE)
        return _source_failed(ctx, source, response, reason, missing=wall.kind == NOT_FOUND)
    with transaction(db):
        _page_back(db, source)
    body_hash = hashlib.sha256(response.body).hexdigest()
    trust = source["trust_validators"]
    lied = response.validators_lied
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
    window = window_of(response.body, newest_entry_window(response.body)) if source["kind"] == "feed" else None
    validators = {
        "etag": response.etag if trust else None,
        "last_modified": response.last_modified if trust else None,
        # The page a redirect led to, whose validators these are (sent there next time, not where it is asked).
        "validators_url": response.url if trust and response.redirects else None,
        "trust_validators": trust,
        "body_hash": body_hash,
        "last_full_at": now(),
        "polls_since_full": 0,
        "probe_offset": window.offset if window else None,
        "probe_length": window.length if window else None,
        "probe_hash": window.digest if window else None,
    }
    if body_hash == source["body_hash"]:
        with transaction(db):
            log_fetch(ctx, source["id"], url, response, "ok")
            _page_moved(db, source, response)  # its bytes unchanged at a new address: still a move
            _update_source(db, source["id"], **_unchanged(ctx, source, response.status), **validators)
        ctx.counts["unchanged"] += 1
        return None
    story = ctx.story(source["story_id"])
    try:
        if source["kind"] == "feed":
            parsed = parse_feed(response.body, url=response.url, charset=response.charset)
        elif source["kind"] == "page":
            parsed = parse_page(response.body, response.url, charset=response.charset, fetched_at=parse_time(now()))
        else:
            pattern = source["config"].get("pattern")
            parsed = statement_links(response.body, response.url, pattern, charset=response.charset)
    except ParseError as e:
        if source["kind"] == "feed":
            return _follow_named_feed(ctx, source, response, str(e))
        return _source_failed(ctx, source, response, f"could not be read: {e}")
    ctx.parsed += 1
    problem = None
    with transaction(db):
        if source["kind"] == "feed":
            result = store_feed(db, story, parsed, response.url, source_id=source["id"])
            problem = result["problem"]
            if result["title"]:  # the name it gives itself, for a source added by its address alone
                validators["title"] = result["title"]
            line = f"feed: {url}: {result['new']} new, {result['skipped']} skipped"
        elif source["kind"] == "page":
            _page_moved(db, source, response)  # before the page is stored, so that its new address finds its item
            result = store_page(
                db,
                story,
                response.url,
                parsed,
                source_id=source["id"],
                fetched_at=now(),
                raw=(response.body, received_from_response(response)),
                **_as_statement(source),
            )
            line = f"page: {url}: {result['status']}"
        else:
            created = _statement_items(db, story, source, parsed)
            problem = None if parsed else _no_statement_links(source["config"].get("pattern"))
            line = f"statements: {url}: {len(parsed)} linked, {len(created)} new"
        log_fetch(ctx, source["id"], url, response, "ok", problem)
        _update_source(
            db, source["id"], **{**_healthy(ctx, source, response.status), "last_error": problem}, **validators
        )
    # Counted once committed: a transaction a full disk rolls back stored nothing.
    if source["kind"] == "feed":
        for key in ("new", "skipped"):
            ctx.counts[key] += result[key]
        ctx.found.update(result["new_items"])
    elif source["kind"] == "page":
        count_page(ctx, result, story)
    else:
        ctx.counts["new"] += len(created)
        ctx.found.update(created)
    if problem:
        ctx.problem(url, problem)
    return line


def _as_statement(source: dict) -> dict:
    """store_page's kind and outlet for a page source: a single statement watched as a page is a statement, credited
    to the organisation its source names, so its alerts, charts and the public timeline tell it as one."""
    if not watches_statement(source):
        return {}
    return {"kind": "statement", "outlet": source["outlet"]}


def _validators_lie(ctx: Pass, source: dict, response: Response) -> bool:
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
    check = ctx.fetcher.get(
        source["url"],
        etag=source["etag"],
        last_modified=source["last_modified"],
        validated_at=source["validators_url"],
    )
    return bool(check.not_modified)


def report_silent(ctx: Pass, story_id: int | None) -> None:
    """Sources that answer but brought nothing new for longer than usual: an alert each (once per silence)."""
    for source in silent_sources(ctx.db, ctx.at, story_id):
        with transaction(ctx.db):
            events.source_silent(ctx.db, source)


def _listings(db: sqlite_utils.Database, story_id: int) -> list[str]:
    """The statement listings the story reads: a watched page redirected to one of them was taken down."""
    return [
        row[0] for row in db.execute("SELECT url FROM sources WHERE story_id = ? AND kind = 'statement'", [story_id])
    ]


def _source_failed(ctx: Pass, source: dict, response: Response, reason: str, *, missing: bool = False) -> str:
    """missing: the page said "not found" although its status did not (a soft 404), so it counts as a 404."""
    status = response.status
    failures = source["failures"] + 1
    missing_count = source["missing_count"] + 1 if missing or status in (404, 410) else 0
    state = "gone" if missing_count >= GONE_AFTER else source["state"]
    if state == "gone":
        answers = f"HTTP {status}" if status in (404, 410) else '"page not found"'
        reason += (
            f" Marked gone after {missing_count} answers of {answers} in a row; "
            f"If it comes back: Resume this source on its page in the editor, or "
            f"`python -m tracker sources resume {source['id']}`."
        )
    with transaction(ctx.db):
        log_fetch(ctx, source["id"], source["url"], response, "error", reason)
        _update_source(
            ctx.db,
            source["id"],
            last_status=status,
            last_outcome="error",
            last_error=reason,
            failures=failures,
            missing_count=missing_count,
            # Only a change of state is written: an editor may have paused or retired it during the fetch.
            **({"state": state} if state != source["state"] else {}),
            next_poll_at=later(ctx.at, backoff(failures, _every(ctx, source), response.retry_after)),
        )
        newly_gone = state == "gone" and source["state"] != "gone"
        taken_down = _page_taken_down(ctx.db, source) if newly_gone else None
        if taken_down is not None:  # its page was stored: told as taken down, as a statement from a listing is
            ctx.db.execute("UPDATE coverage SET gone_at = ? WHERE id = ? AND gone_at IS NULL", [now(), taken_down])
            events.coverage_gone(ctx.db, taken_down, reason, url=source["url"])
        else:
            events.source_failing(ctx.db, source, failures, reason, gone=newly_gone)
    ctx.counts["failed"] += 1
    ctx.problem(source["url"], reason)
    return f"failed: {source['url']}: {reason}"


def _page_taken_down(db: sqlite_utils.Database, source: dict) -> int | None:
    """The item of a watched page (a `page` source) whose text was stored: marked gone, it was taken down.

    Its reader wants what a statement read from a listing says when taken
    down (events.coverage_gone: what, since when, the revision kept), not
    "Source marked gone" with the host for a name. A feed, a listing or a
    page never stored has nothing taken down: its source is gone.
    """
    if source["kind"] != "page":
        return None
    found = coverage.find_item(db, source["story_id"], source["url"])
    return found if found is not None and coverage.latest_revision_id(db, found) is not None else None


def _page_moved(db: sqlite_utils.Database, source: dict, response: Response) -> None:
    """A watched page whose address answered that it moved for good: its item followed there (follow_move).

    Stored under the new address, it was a second item, "new". The source
    keeps its address, as a reporter gave it: the next poll's redirect is
    the same move, recorded once. Called for every answer that reached the
    page (a 304, bytes unchanged, a page to store): a move with the page's
    bytes unchanged went unrecorded until its text changed. Any other
    source, or an answer that did not move, changes nothing.
    """
    if source["kind"] != "page" or not response.moved:
        return
    try:
        asked = canonical_url(source["url"])
    except ValueError:
        return
    found = coverage.find_item(db, source["story_id"], asked)
    if found is not None:
        follow_move(db, found, asked, response, stored=coverage.latest_revision_id(db, found) is not None)


def _page_back(db: sqlite_utils.Database, source: dict) -> None:
    """A watched page answering again (its source resumed): its item, marked gone when taken down, is not."""
    if source["kind"] == "page":
        found = coverage.find_item(db, source["story_id"], source["url"])
        if found is not None:
            db.execute("UPDATE coverage SET gone_at = NULL WHERE id = ? AND gone_at IS NOT NULL", [found])


def _source_refused(ctx: Pass, source: dict, response: Response) -> str:
    """Our settings refuse the source's address: nothing was asked of the site, so nothing of its health changes.

    No failure is counted (no back-off, no failing alert, never "gone"): the
    source is polled at its usual interval, and at once by a pass whose
    settings allow it (sources.due_sources). It still fails the pass (exit
    status 3), which names the setting to change.
    """
    reason = f"{response.error} No request was made: it does not back off, the first pass that allows it fetches it."
    with transaction(ctx.db):
        log_fetch(ctx, source["id"], source["url"], response, REFUSED, reason)
        _update_source(
            ctx.db,
            source["id"],
            last_status=None,
            last_outcome=REFUSED,
            last_error=reason,
            next_poll_at=later(ctx.at, _every(ctx, source)),
        )
    ctx.counts["failed"] += 1
    ctx.problem(source["url"], reason)
    return f"refused: {source['url']}: {reason}"


def _follow_named_feed(ctx: Pass, source: dict, response: Response, problem: str) -> str:
    """A feed source that answered with a web page: follow the feed the page names, if it was never a feed.

    Reporters add an outlet's section page where its feed is wanted, and the
    page names its feed in its head (scrapers/discovery.py), as browsers and
    feed readers find it. A source that has been read as a feed before is not
    moved (its feed may be broken for now): its error names the feed found.
    """
    links = feed_links(response.body, response.url)
    named = [link for link in links if source_with_url(ctx.db, source["story_id"], link) is None]
    if not named:
        return _source_failed(ctx, source, response, f"could not be read: {problem}")
    if source["last_ok_at"] is not None:
        advice = f"could not be read: {problem}; the page names a feed at {named[0]}, which may be the one to follow"
        return _source_failed(ctx, source, response, advice)
    with transaction(ctx.db):
        log_fetch(ctx, source["id"], source["url"], response, "ok", f"a web page naming its feed {named[0]}")
        # The page's validators and fingerprints are not the feed's: the feed is fetched whole, at once.
        ctx.db.execute("UPDATE sources SET url = ? WHERE id = ?", [named[0], source["id"]])
        _update_source(
            ctx.db,
            source["id"],
            **dict.fromkeys(
                ("etag", "last_modified", "validators_url", "body_hash", "probe_offset", "probe_length", "probe_hash")
            ),
            last_status=response.status,
            last_outcome="ok",
            last_error=None,
            polls_since_full=0,
            next_poll_at=ctx.at,
        )
    note = f"source {source['id']}: {source['url']} is a web page naming its feed {named[0]}, which it now follows."
    ctx.notes.append(note)
    return note


def _every(ctx: Pass, source: dict) -> float:
    """Seconds between two polls of this source: its own interval if it has one, else the pass's."""
    return source_every(source) or ctx.every


def _healthy(ctx: Pass, source: dict, status: int | None) -> dict:
    return {
        "last_status": status,
        "last_outcome": "ok" if status != 304 else "not_modified",
        "last_error": None,
        "last_ok_at": now(),
        "failures": 0,
        "missing_count": 0,
        "next_poll_at": later(ctx.at, _every(ctx, source)),
    }


def _unchanged(ctx: Pass, source: dict, status: int | None) -> dict:
    """_healthy, for a body unchanged since it was last read: what that read noted about it still holds."""
    kept = source["last_error"] if source["last_outcome"] in ("ok", "not_modified") else None
    return {**_healthy(ctx, source, status), "last_error": kept}


def _no_statement_links(pattern: str | None) -> str:
    """A statement listing that links nothing to store: said on its health, not "Healthy, 0 items" at every pass."""
    if pattern:
        return f"the listing links no statement matching its pattern ({pattern}): check --pattern against its links"
    return (
        "the listing links no statement under its own address: a single statement is watched as a web page "
        "(--kind page --statement), or give --pattern for the links to follow"
    )


SOURCE_COLUMNS = frozenset(
    "last_status last_outcome last_error last_ok_at failures missing_count state next_poll_at etag last_modified "
    "validators_url "
    "trust_validators body_hash last_full_at polls_since_full probe_offset probe_length probe_hash title".split()
)


def _window(source: dict) -> Window | None:
    """Where a feed's newest entry was in its last full body, and what it was (None until one was seen)."""
    if source["kind"] != "feed" or source.get("probe_hash") is None:
        return None
    return Window(source["probe_offset"], source["probe_length"], source["probe_hash"])


def _update_source(db: sqlite_utils.Database, source_id: int, **values) -> None:
    """Set health and schedule columns (names from SOURCE_COLUMNS only), counting the poll."""
    assert set(values) <= SOURCE_COLUMNS, set(values) - SOURCE_COLUMNS
    sets = ", ".join(f"{k} = ?" for k in values)
    db.execute(
        f"UPDATE sources SET {sets}, last_fetched_at = ?, poll_count = poll_count + 1 WHERE id = ?",
        [*values.values(), now(), source_id],
    )


def _statement_items(db: sqlite_utils.Database, story: dict, source: dict, links: list[str]) -> list[int]:
    """Statement links not seen before become statement items of the organisation; their pages come next.

    Returns the ids of the items created.
    """
    created = []
    for link in links:
        if coverage.find_item(db, story["id"], link) is not None:
            continue
        created.append(
            coverage.save_item(
                db, story["id"], link, None, kind="statement", source_id=source["id"], outlet=source["outlet"]
            )
        )
    return created
