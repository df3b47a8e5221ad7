"""Scraper records into the working database: coverage items and their revisions.

Parsing happens before the write transaction opens, so the write lock is held
only for the few inserts of one target; each target commits on its own. A
feed entry and the page it links to meet on their canonical URL and become
one coverage item. Both callers use the two halves of each, parse_feed /
store_feed and parse_page / store_page: `ingest` (tracker/ingest.py) with
the bytes of a file or URL it was given, the scrape loop (tracker/scrape/)
with the bytes it fetched, so it can parse before its write transaction and
keep a source's health in the same commit as its items.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import asdict
from datetime import datetime
from urllib.parse import urlsplit

import sqlite_utils

from scrapers.article import parse_article
from scrapers.feeds import iso_utc, looks_like_feed, parse_feed
from scrapers.records import Article, ParseError
from scrapers.sniff import binary_kind
from scrapers.timestamps import DAY, day_only, parse_time, utc_now, utc_offset, within_day
from scrapers.urls import canonical_url, is_http_url, join_url
from tracker import captures, clusters, coverage, echoes
from tracker.db import transaction
from tracker.stories import get_story, matches_keywords

COUNTS = ("new", "updated", "unchanged", "skipped", "failed")
OFF_TOPIC = "off-topic for this story's keywords"
SITE_PREFIXES = ("www.", "m.", "mobile.", "amp.")


def ingest_feed(
    db: sqlite_utils.Database,
    story: dict | str,
    url: str | None,
    data: bytes,
    *,
    source_id: int | None = None,
    charset: str | None = None,
) -> dict:
    """Feed bytes → one coverage item per on-topic entry, in one transaction.

    An entry has no body text, so it adds no revision; the page it links to
    does, on the same item. Returns counts plus the feed's title, the entries
    kept out and why, and the feed's problem when it was malformed. `charset`: the one the HTTP answer named.
    """
    story = get_story(db, story) if isinstance(story, str) else story
    feed = parse_feed(data, url=url if is_http_url(url) else None, charset=charset)
    return store_feed(db, story, feed, url, source_id=source_id)


def store_feed(db: sqlite_utils.Database, story: dict, feed, url: str | None, *, source_id: int | None = None) -> dict:
    """A parsed feed (scrapers.feeds.ParsedFeed) into coverage items, in one transaction.

    The result's `items` are the coverage ids of the kept entries and
    `new_items` those created now. An entry repeated in the same feed is
    skipped, so it is counted once. A known entry the feed says was updated
    since its page was last checked is due again now (`rechecks`): a
    corrected story is seen at this pass, not at its next scheduled check.
    """
    outlet = feed.title or _host(feed.link or url)
    result = {
        **dict.fromkeys(COUNTS, 0),
        "title": feed.title,
        "problem": feed.problem,
        "skipped_reasons": dict(feed.skipped),
        "items": [],
        "new_items": [],
        "rechecks": 0,
    }
    result["skipped"] = sum(feed.skipped.values())
    try:
        own = canonical_url(url) if is_http_url(url) else None
    except ValueError:
        own = None
    seen: set[str] = set()
    guids = Counter(entry.guid.strip() for entry in feed.entries if entry.guid)
    built = _build_stamp(feed.entries)
    built_as_published = _build_stamp(feed.entries, "published")
    build_times = {built, built_as_published} - {None}
    canonicals: list[str | None] = []
    for entry in feed.entries:
        try:
            canonicals.append(canonical_url(entry.link))
        except ValueError:
            canonicals.append(None)
    # The canonical addresses the feed links now: an item still linked is no earlier address of another entry.
    linked = {canonical for canonical in canonicals if canonical is not None} if source_id is not None else set()
    taken: set[int] = set()  # the items kept so far, as result["items"]
    with transaction(db):
        for entry, canonical in zip(feed.entries, canonicals):
            if not matches_keywords(story, f"{entry.title or ''}\n{entry.summary or ''}"):
                _skip(result, OFF_TOPIC)
                continue
            if canonical is None:
                _skip(result, "link is not a valid URL")
                continue
            if canonical in seen:
                _skip(result, "entry repeated in the feed")
                continue
            if canonical == own:
                _skip(result, "entry links to the feed itself")
                continue
            seen.add(canonical)
            guid = _article_guid(entry.guid, guids, (url, own, entry.link))
            existing = coverage.find_item(db, story["id"], canonical)
            if existing is None and guid and source_id is not None:
                existing = _brought_under_guid(db, story["id"], source_id, guid, canonical)
            if existing is None and source_id is not None:
                existing = coverage.same_page_new_query(
                    db, story["id"], source_id, canonical, entry.title, linked, taken
                )
            updated = None if entry.updated in build_times else entry.updated
            given = None if entry.published == built_as_published else entry.published
            published, precision, offset = published_as_stored(db, existing, given or updated)
            if given and precision is None:
                offset = entry.published_offset  # the entry's own clock: `given` is already in UTC
            coverage_id = coverage.save_item(
                db,
                story["id"],
                canonical,
                existing,
                source_id=source_id,
                outlet=entry.outlet or outlet,
                title=entry.title,
                byline=entry.author,
                summary=entry.summary,
                published_at=published,
                published_precision=precision,
                published_offset=offset,
                modified_at=updated if updated != given else None,
                # Only a publication weighs in the page's date decision: an update time alone (Atom's
                # <updated>, a sitemap's <lastmod>) says when the story last changed, weeks after it perhaps.
                feed_published_at=given,
                feed_guid=guid,
            )
            result["new" if existing is None else "unchanged"] += 1
            result["items"].append(coverage_id)
            taken.add(coverage_id)
            if existing is None:
                result["new_items"].append(coverage_id)
            elif updated and updated != given:
                result["rechecks"] += coverage.recheck_if_updated(db, coverage_id, updated)
    return result


BUILD_STAMPED = 3  # entries sharing one update time, to the second, that say when the feed was built


def _build_stamp(entries: list, field: str = "updated") -> str | None:
    """The update (or publication) time every entry of the feed gives, when there are BUILD_STAMPED or more: the
    feed's build time.

    Some publishing systems write the time they built the feed as every
    entry's <updated>: each poll then said every article had just changed,
    every page was fetched again at every poll, and each item's modified
    date was the feed's build time. Others write it as every entry's
    <pubDate>: every story was dated that second, and its page's own date,
    weeks older, doubted against it. Articles are not all edited or
    published in the same second; such a time says nothing of any of them.
    A date without a time (every entry of a day at 00:00) is still their day.
    """
    stamps = {getattr(entry, field) for entry in entries}
    if len(entries) < BUILD_STAMPED or len(stamps) != 1:
        return None
    (stamp,) = stamps
    if field == "published":
        return stamp if stamp and not day_only(stamp) else None
    return stamp if stamp and any(entry.published != stamp for entry in entries) else None


GUID_MIN = 6  # characters: a shorter guid is a place in the feed ("1", "2", ...) sooner than an article's name
GUID_MAX = 2048  # characters: a guid is kept on its item for good, and no article's name is longer than its address


def _article_guid(guid: str | None, guids: Counter, addresses: tuple) -> str | None:
    """The entry's guid (RSS) or id (Atom, JSON Feed) when it can name one article for good, else None.

    Not when the feed gives it to several entries, when it is short (a
    place in the feed, numbered anew each time) or longer than an address
    (GUID_MAX), or when it is the feed's
    own address or the entry's link (a link that changes is then a guid
    that changes: nothing to find the article by).
    """
    guid = (guid or "").strip()
    if not GUID_MIN <= len(guid) <= GUID_MAX or guids[guid] != 1 or guid in addresses:
        return None
    return guid


def _brought_under_guid(
    db: sqlite_utils.Database, story_id: int, source_id: int, guid: str, canonical: str
) -> int | None:
    """The item this source brought under the same guid, on the same site as `canonical`: the article, moved.

    An outlet that rewrites a headline often changes the article's address
    (its slug) and keeps the guid. The item keeps the address it was first
    stored under, so nothing of its history is rewritten, and is re-checked
    at the new link (coverage.save_item keeps it as its fetch_url): an old
    slug may answer 404 rather than redirect.
    """
    row = db.execute(
        "SELECT id, canonical_url FROM coverage WHERE source_id = ? AND feed_guid = ? AND story_id = ? ORDER BY id",
        [source_id, guid, story_id],
    ).fetchone()
    if row is None or _site_host(row[1]) != _site_host(canonical):
        return None
    return row[0]


def ingest_page(
    db: sqlite_utils.Database,
    story: dict | str,
    url: str | None,
    data: bytes,
    *,
    charset: str | None = None,
    source_id: int | None = None,
    kind: str = "article",
    fetched_at: str | None = None,
    received: captures.Received | None = None,
) -> dict:
    """Page bytes → a coverage item and, when its text changed, a new revision; in one transaction.

    `url` is where the bytes came from (an http(s) URL or a file:// URI); the
    page's own canonical link names the item when it is on the same site.
    Returns counts plus status ('new', 'updated', 'unchanged'), coverage_id,
    revision_id and canonical_url.
    """
    story = get_story(db, story) if isinstance(story, str) else story
    fetched = received is not None and received.how == "fetched"  # just now, not a saved file
    when = parse_time(received.received_at) if fetched else None
    article = parse_page(data, url, charset=charset, fetched_at=when)
    feed_date = _feed_date(db, story["id"], url, article)
    if feed_date:  # read again with the entry's date as a witness, as the scrape loop reads the page
        article = parse_page(data, url, charset=charset, feed_date=feed_date, fetched_at=when)
    raw = (data, received) if received is not None else None
    fetched_at = fetched_at or (received.received_at if received is not None else None)
    return store_page(db, story, url, article, source_id=source_id, kind=kind, fetched_at=fetched_at, raw=raw)


def _feed_date(db: sqlite_utils.Database, story_id: int, url: str | None, article: Article) -> str | None:
    """The publication a feed entry gave the item this page is, when a feed brought it: a witness of its date.

    A page ingested by hand is weighed against it as the scrape loop weighs it (rechecks); without it, a
    page weeks older than its entry, doubted there, was re-dated by its own date.
    """
    existing = coverage.find_item(db, story_id, page_canonical_url(article.canonical_url, url))
    if existing is None:
        return None
    row = db.execute("SELECT feed_published_at FROM coverage WHERE id = ?", [existing]).fetchone()
    return row[0] if row else None


def parse_page(
    data: bytes,
    url: str | None,
    *,
    charset: str | None = None,
    feed_date: str | None = None,
    fetched_at: datetime | None = None,
) -> Article:
    """Page bytes → Article, refusing binary files and pages without article text (ParseError).

    `feed_date` is what the feed entry linking to the page said of its date:
    one more witness for the page's date decision. `fetched_at` is when the
    page was fetched, for a page fetched just now (never a saved file): a page
    saying only "2 hours ago" is dated from it, approximately.
    """
    binary = sniff_binary(data)
    if binary:
        raise ParseError(f"{binary}, not a feed or an HTML page")
    if looks_like_feed(data):  # a feed entry linking to a feed: read as text it would be a garbage article
        raise ParseError(
            "it is a feed (RSS, Atom or JSON Feed), not an article page; add it as a feed source to follow it"
        )
    article = parse_article(data, url=url, charset=charset, feed_date=feed_date, fetched_at=fetched_at)
    text = article.text.strip()
    # A truncated download often yields nothing but its <title>: that is not the article.
    if not text or {line.strip() for line in text.splitlines()} <= {(article.title or "").strip()}:
        raise ParseError(
            "no article text found in the page; check it is an article page, not an index, "
            "an error page or a page that needs JavaScript"
        )
    return article


def store_page(
    db: sqlite_utils.Database,
    story: dict,
    url: str | None,
    article: Article,
    *,
    source_id: int | None = None,
    kind: str = "article",
    fetched_at: str | None = None,
    outlet: str | None = None,
    canonical: str | None = None,
    raw: tuple[bytes, captures.Received] | None = None,
) -> dict:
    """A parsed page into its coverage item and, when the text changed, a new revision; in one transaction.

    `outlet` overrides the page's own (a statement belongs to the organisation
    whose newsroom lists it); `canonical` names the item when the caller
    already knows it (a re-check: its name, not an address a source gives
    now, so where it is fetched from stays as it is). A new revision also
    refreshes the item's place among copies of the same text
    (tracker/clusters.py) and gets its claim candidates (tracker/candidates.py). `changed` is true when an earlier
    text existed: that revision is a change event. `raw` is the page's bytes
    and how they came: a new revision keeps them as received
    (tracker/captures.py), so what a citation rested on can be shown and
    proved after the outlet edits the page.
    """
    text = article.text.strip()
    given = canonical is None
    canonical = canonical or page_canonical_url(article.canonical_url, url)
    with transaction(db):
        existing = coverage.find_item(db, story["id"], canonical)
        had_text = existing is not None and coverage.latest_revision_id(db, existing) is not None
        published, precision, offset = published_as_stored(db, existing, article.published, fetched_at)
        coverage_id = coverage.save_item(
            db,
            story["id"],
            canonical,
            existing,
            kind=kind,
            source_id=source_id,
            given=given,
            outlet=outlet or credited_outlet(db, story["id"], canonical, article.outlet),
            title=article.title,
            byline=article.byline,
            authors=_authors_json(article),
            summary=article.description,  # kept to SUMMARY_MAX by the article reader
            language=article.language,
            published_at=published,
            published_precision=precision,
            published_offset=offset,
            modified_at=iso_utc(article.modified),
        )
        coverage.record_page_dates(
            db,
            coverage_id,
            published,
            list(article.published_from),
            [asdict(doubt) for doubt in article.date_doubts],
            precision,
            offset,
        )
        revision_id, created = coverage.add_revision(db, coverage_id, text, fetched_at=fetched_at)
        if created and raw is not None:
            captures.keep(db, coverage_id, raw[0], raw[1], role="page", revision_id=revision_id)
        if created:
            cluster_id = clusters.assign(db, coverage_id, story["id"], text)
            # A copy joining a cluster can turn the claims its cluster carries into echoes. An item's
            # first text outside any cluster has no claims citing it yet, nor copies: nothing to recompute.
            if cluster_id is not None or had_text:
                echoes.refresh_cluster(db, coverage_id)
    status = "new" if existing is None else ("updated" if created else "unchanged")
    return {
        **dict.fromkeys(COUNTS, 0),
        status: 1,
        "status": status,
        "coverage_id": coverage_id,
        "revision_id": revision_id,
        "canonical_url": canonical,
        "created": created,
        "changed": created and had_text,
    }


def published_as_stored(
    db: sqlite_utils.Database, existing: int | None, value: str | None, fetched_at: str | None = None
) -> tuple[str | None, str | None, int | None]:
    """A source's publication date or time as stored, with its precision (None: to the second) and offset.

    A date without a time ('2026-12-05', or a CMS's midnight) stays on the day
    the source wrote, never moved across midnight by a conversion to UTC, and
    stands within that day at when we first saw item `existing` (None: new,
    seen now or when fetched), with DAY saying its clock is ours: pages show
    the date alone. A time is stored in UTC, for order, with the offset the
    source wrote it with (None: UTC or not known), for the day it printed.
    """
    day = day_only(value)
    if day:
        return within_day(day, _seen_at(db, existing, fetched_at)), DAY, None
    stored = iso_utc(value)
    return stored, None, utc_offset(value) if stored else None


def _seen_at(db: sqlite_utils.Database, existing: int | None, fetched_at: str | None = None) -> str:
    """When we first saw an item: a known one's first_seen_at; a new one is seen now (or when it was fetched)."""
    if existing is not None:
        row = db.execute("SELECT first_seen_at FROM coverage WHERE id = ?", [existing]).fetchone()
        if row and row[0]:
            return row[0]
    return fetched_at or utc_now()


def _authors_json(article: Article) -> str | None:
    """The byline as a list, for the item's authors column: [{"name": ..., "kind": "person"}, ...]."""
    if not article.authors:
        return None
    return json.dumps([asdict(author) for author in article.authors], ensure_ascii=False)


def page_canonical_url(declared: str | None, url: str | None) -> str:
    """The URL that names a page's coverage item.

    The page's canonical link (made absolute) wins when it points to the same
    site as the fetched URL: a page elsewhere claiming another outlet's URL
    must not add revisions to that outlet's item. Saved files trust their
    canonical link, since a reporter chose the file.
    """
    fetched_from_web = is_http_url(url)
    if declared:
        absolute = join_url(url, declared) if url else declared
        if is_http_url(absolute) and (not fetched_from_web or same_site(absolute, url)):
            try:
                return canonical_url(absolute)
            except ValueError:  # a port out of range: no usable canonical link, so the fetched URL names the page
                pass
    if url:
        return canonical_url(url)
    raise ParseError("the page has no canonical link and no URL; give its URL")


def credited_outlet(db: sqlite_utils.Database, story_id: int, url: str | None, named: str | None = None) -> str | None:
    """Whom an item stored from an address alone (no feed, no statement listing) is credited to.

    The name the page gives its site, when it gives one; else the organisation or outlet a source of the
    story on the same site names (a statement listing's `--outlet`): a press release a reporter pastes is
    the organisation's, not its host's; else the host. A site two sources name differently is not guessed
    at. The article reader falls back on the host for a page that names no site, so a host is no name.
    """
    if named and named.strip().lower().removeprefix("www.") not in {_host(url), _site_host(url) if url else None}:
        return named
    if is_http_url(url):
        site = _site_host(url)
        named_by_sources = [
            (_site_host(row[0]) == site, row[1])
            for row in db.execute(
                "SELECT url, outlet FROM sources WHERE story_id = ? AND outlet IS NOT NULL", [story_id]
            ).fetchall()
            if same_site(row[0], url)
        ]
        closest = [outlet for exact, outlet in named_by_sources if exact] or [o for _, o in named_by_sources]
        if len(set(closest)) == 1:
            return closest[0]
    return _host(url)


def same_site(a: str, b: str) -> bool:
    """Same host once www./m./amp. are set aside, or one a subdomain of the other."""
    ha, hb = _site_host(a), _site_host(b)
    return bool(ha and hb) and (ha == hb or ha.endswith("." + hb) or hb.endswith("." + ha))


def sniff_binary(data: bytes) -> str | None:
    """What a binary file is ('a PDF document'), or None for text."""
    return "an empty file" if not data else binary_kind(data)


def _skip(result: dict, reason: str) -> None:
    result["skipped"] += 1
    result["skipped_reasons"][reason] = result["skipped_reasons"].get(reason, 0) + 1


def _host(url: str | None) -> str | None:
    if not is_http_url(url):
        return None
    host = urlsplit(url).hostname or ""
    return host.removeprefix("www.") or None


def _site_host(url: str) -> str:
    host = (urlsplit(url).hostname or "").lower().rstrip(".")
    for prefix in SITE_PREFIXES:
        if host.startswith(prefix) and host.count(".") >= 2:
            return host[len(prefix) :]
    return host
