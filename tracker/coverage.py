"""Coverage items (articles and statements) and their revisions.

A page fetched again with changed text adds a revision; nothing is ever
overwritten, so a quietly edited statement stays visible.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import re
import sqlite3
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import sqlite_utils

from scrapers.article.datecandidates import WEEKDAYS
from scrapers.article.dates import MONTHS, dates_at, month_key
from scrapers.notpage import CONSENT_CHOICE
from scrapers.timestamps import DAY, format_time, parse_time
from scrapers.urls import canonical_url as scrapers_canonical_url
from scrapers.urls import is_http_url
from tracker.alerts import events
from tracker.db import NotFound, TrackerError, now, one, rows, transaction
from tracker.vocab import COVERAGE_KINDS

ITEM_FIELDS = (
    "outlet",
    "title",
    "byline",
    "authors",
    "summary",
    "language",
    "published_at",
    "modified_at",
    "feed_published_at",
    "published_precision",  # DAY when published_at is a day the source gave without a time (scrapers/timestamps.py)
    "published_offset",  # minutes east of UTC the source wrote published_at with (scrapers/timestamps.py utc_offset)
    "feed_guid",  # the guid of the feed entry that brought it first (tracker/store.py)
)
# A published date further ahead than this is a publisher's error, not a time zone slip.
FUTURE_SLACK = timedelta(hours=14)
# Parameters of an address that narrow the look-up of one stored before cleaning (_stored_uncleaned): a link may
# carry thousands, and SQL nested that deep is refused.
NARROWED_BY = 8
# How far a site's clock (or ours) may run ahead before a published time is later than it can be (_ahead).
CLOCK_SKEW = timedelta(minutes=10)

# What changes on every fetch of an unchanged article: relative times, "Updated <time>" stamps,
# share / comment / view counters, reading times. Removed before hashing, never from the stored text.
_MONTHS = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
_DAYS = r"(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)[a-z]*\.?,?"
_CLOCK = r"\d{1,2}[:.]\d{2}(?::\d{2})?\s*(?:[ap]\.?\s?m\.?)?(?:\s*[A-Z]{2,5}\b)?"
_DATE = (
    rf"(?:{_DAYS}\s+)?(?:\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTHS},?\s+\d{{4}}"
    rf"|{_MONTHS}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}"
    r"|\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2})?(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})?)?)"
)
# Each pattern with the words it cannot match without: a text holding none of them skips the regex.
_NOISE_INLINE = [
    (
        ("ago", "just"),
        re.compile(
            r"\b(?:(?:last\s+)?updated|edited|posted|published)?\s*:?\s*"
            r"(?:(?:\d+|an?|one|a\s+few)\s+(?:sec(?:ond)?s?|min(?:ute)?s?|hours?|hrs?|days?|weeks?)\s+ago"
            r"|just\s+now|moments?\s+ago)\b",
            re.I,
        ),
    ),
    (
        ("updated", "modified", "edited"),
        re.compile(
            rf"\b(?:last\s+)?(?:updated|modified|edited)\s*:?\s*(?:on\s+|at\s+)?"
            rf"(?:{_CLOCK}|{_DATE})(?:\s*(?:,|at|on|\||·)?\s*(?:{_CLOCK}|{_DATE}))*",
            re.I,
        ),
    ),
]
# Counters inside a line; only in lines that are not prose ("It drew 12,000 comments." is reporting).
_COUNT = r"\d[\d,.]*\s*[km]?\+?"
_COUNTERS = re.compile(
    rf"\b{_COUNT}\s+(?:shares?|comments?|likes?|views?|reactions?|retweets?|reposts?|replies)\b"
    r"|\b\d+\s*(?:-|\s)?(?:min(?:ute)?s?|hours?)\s+(?:read|listen)\b"
    # view counters and live reader counts: "Viewed 1,204 times", "1,204 people are reading this", "88 readers now"
    rf"|\b(?:viewed|read)\s+{_COUNT}\s+times\b"
    rf"|\b{_COUNT}\s+(?:(?:people|readers|others)\s+(?:are\s+)?(?:reading|viewing|watching)(?:\s+(?:this|now))*"
    r"|readers?(?:\s+now)?)\b",
    re.I,
)
_COUNTER_WORDS = tuple("share comment like view reaction retweet repost replies read listen watch".split())
# What a live counter written as a sentence is left with besides its number: "Right now, 88 people are reading this!"
_COUNTER_FILLER = frozenset("right now currently at the moment".split())
_COUNTER_SENTENCE_MAX = 80  # characters: a counter written as a sentence is short; a paragraph is not looked at
_PROSE_END = (".", "!", "?", '"', "'", ")")
_STAMP_LEFTOVER = " \t.|·•-–—,:;()"  # what a line made only of a stamp is left with once the stamp is gone
# A short line made only of these words, numbers, clock times and punctuation is a dateline or a
# counter ("12:04 PM EST", "Published Tue March 3, 2026", "Share 1.2K", "Comments (12)").
_NOISE_WORDS = frozenset(
    """updated last modified published posted edited on at by am pm a.m. p.m. a.m p.m et est edt pt pst pdt ct
    cst cdt gmt utc bst cet cest ist jst aest share shares sharing comment comments like likes view views
    reaction reactions retweet retweets repost reposts replies reply read reading time min mins minute minutes
    listen this article story page print email copy link facebook twitter x linkedin whatsapp""".split()
)
# The same stamp in the other languages statements come in: "Stand: 06.12.2026, 14:05 Uhr", "Mis à jour le
# 6 décembre 2026 à 14h05", "Actualizado el 6 de diciembre de 2026", and "Page last reviewed: ..."; month
# names whole (scrapers.article.dates), weekdays as the date reader knows them.
_STAMP_WORDS = frozenset(
    """reviewed revised stand uhr zuletzt aktualisiert geändert veröffentlicht erstellt am um vom mis à jour le
    mise publié modifié actualisé actualizado actualizada publicado modificado el de del a las aggiornato
    aggiornamento pubblicato il alle ore atualizado em às bijgewerkt gepubliceerd op om was""".split()
)
# Words of those lists that join a stamp's parts but say nothing of a stamp alone ("a", "de", "el", "on"): a line of
# only these and numbers is a score or a count ("a 3 de 5"), the text's own. A stamp needs a word that makes it one.
_JOINING_WORDS = frozenset("""on at by am um vom le à de del el a las il alle ore em às op om was et this x""".split())
# A number that is a date or a clock by itself: 06.12.2026, 2026-12-06, 14:05 (not 3, 1,204 or 1.2).
_NUMERIC_DATE_TEXT = r"\d{1,4}[.-]\d{1,2}[.-]\d{1,4}\.?"  # 06.12.2026, 2026-12-06: a date, not a clock
_DATE_OR_CLOCK = re.compile(rf"^(?:{_NUMERIC_DATE_TEXT}|\d{{1,2}}:\d{{2}}(?::\d{{2}})?)$")
_NUMERIC_DATE = re.compile(rf"^{_NUMERIC_DATE_TEXT}$")
# Words that make a line before a date a stamp's label ("Last updated:", "Stand:", "Mis à jour le", "Published").
_LABEL_WORDS = (_STAMP_WORDS - _JOINING_WORDS) | frozenset("updated modified published posted edited last".split())
# How far from a fetch's day (in UTC) a page printing the day it is served may date itself: its own time zone's day.
TODAY_REACH = timedelta(days=1)
_STAMP, _DATE_ONLY = "stamp", "date"  # what _noise_line finds a line to be
LABEL_REACH = 4  # blank lines a diff looks past for a date line's label (_label_before)
_STAMP_CLOCK = re.compile(r"^\d{1,2}h(?:\d{2})?$")  # 14h05, as French pages write a time
_WEEKDAY = re.compile(rf"^(?:{WEEKDAYS})$", re.I)
# A cookie banner that lands inside a statement's text (its markup in the article's own box), appearing on one
# fetch and gone on the next: the site speaking of its own cookies, and offering the choice (notpage's words).
_COOKIE_BANNER = re.compile(
    r"\b(?:we|this (?:web)?site|our (?:web)?site) (?:uses?|places?|sets?) cookies\b"
    r"|\bwir (?:verwenden|nutzen|setzen) cookies\b|\b(?:diese|unsere) (?:web)?seite (?:verwendet|nutzt) cookies\b"
    r"|\bnous utilisons des cookies\b|\bce site utilise des cookies\b"
    r"|\b(?:utilizamos|usamos) cookies\b|\beste sitio (?:web )?(?:utiliza|usa) cookies\b"
    r"|\butilizziamo (?:i )?cookie|\bquesto sito (?:utilizza|usa) (?:i )?cookie",
    re.I,
)
_COOKIE_BANNER_MAX = 400  # characters: a banner is a sentence or two; a longer paragraph is the page's own
_LINE_TOKEN = re.compile(r"[\w.:+-]+", re.U)
_DIGIT = re.compile(r"\d")  # decimal digits, in any script: what datelines and counters are written with
_MONTH_OR_DAY = re.compile(rf"^(?:{_MONTHS}|{_DAYS})$", re.I)
_NUMBERISH = re.compile(r"^[\d.,:+-]*\d[\d.,:+-]*(?:st|nd|rd|th|[kKmM]|z|Z)?$")
_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u00a0": " "})


def _noise_line(line: str, cookies: bool = True) -> str | None:
    """_STAMP for a dateline, stamp or counter line, or a cookie banner (`cookies`: the text speaks of cookies at
    all); _DATE_ONLY for a line that is a date and nothing that says it is a stamp; None for the text's own line.

    A date alone ("12 January 2027", "Monday, January 11, 2027") is as often
    the statement's news (a deadline, a recall's start) as a page's stamp:
    normalize_for_hash decides it from the line before it and the fetch's day.
    """
    if cookies and _cookie_banner(line):
        return _STAMP
    if not _DIGIT.search(line):  # most prose lines end here, before they are split into tokens
        return None
    tokens = _LINE_TOKEN.findall(line)
    if not tokens or len(tokens) > 12 or not all(_stamp_token(t) for t in tokens):
        return None
    marks = [t for t in tokens if _stamp_mark(t)]
    if not marks:
        return None
    return _DATE_ONLY if all(_date_part(t) for t in marks) else _STAMP


def _date_part(token: str) -> bool:
    """A month, a weekday or a numeric date: part of a date, which says nothing of a stamp (a clock or a zone does)."""
    return _month_or_weekday(token, token.lower().strip(".:")) or bool(_NUMERIC_DATE.match(token))


def _month_or_weekday(token: str, bare: str) -> bool:
    """A month or a weekday, short or whole, in any of the languages we read (`bare`: lower case, no "." or ":"
    around it): whole month names as "dezember", "décembre"."""
    return (
        bool(_MONTH_OR_DAY.match(token)) or bool(_WEEKDAY.match(bare)) or (len(bare) > 3 and month_key(bare) in MONTHS)
    )


def _stamp_label(line: str) -> bool:
    """A short line of only a stamp's words, one of them saying what it is: "Last updated:", "Stand:", "Published".

    A page that writes its stamp's label and its date on two lines makes
    the date line a stamp; "The recall starts on" does not.
    """
    if not line or _DIGIT.search(line):
        return False
    tokens = [t.lower().strip(".:") for t in _LINE_TOKEN.findall(line)]
    return (
        0 < len(tokens) <= 6
        and all(t in _NOISE_WORDS or t in _STAMP_WORDS for t in tokens)
        and any(t in _LABEL_WORDS for t in tokens)
    )


def _fetch_days(fetched: Sequence[str]) -> list[date]:
    """The UTC days of the fetches a text is weighed for (stored timestamps)."""
    return [when.astimezone(UTC).date() for when in map(parse_time, fetched) if when is not None]


def _day_of_fetch(line: str, days: list[date]) -> bool:
    """Whether a date line is one date alone (a weekday before it at most), within a day of a fetch's day.

    A news page's header prints the day it is served, in its own time zone;
    a range ("1 Jan-30 Jun 2026") or a date far from every fetch is text.
    """
    if not days:
        return False
    found = dates_at(line)
    if not found:  # "Monday, December 7": a header's day without its year is of the fetch's year (or one beside)
        years = sorted({(fetched + shift).year for fetched in days for shift in (-TODAY_REACH, TODAY_REACH)})
        found = [hit for year in years for hit in dates_at(f"{line} {year}")]
        found = [hit for hit in found if _near_fetch(hit[1], days)][:1]
    if len(found) != 1:
        return False
    start, written = found[0]
    if not all(_WEEKDAY.match(t.lower().strip(".,")) for t in _LINE_TOKEN.findall(line[:start])):
        return False
    return _near_fetch(written, days)


def _near_fetch(written: str, days: list[date]) -> bool:
    """Whether a date (YYYY-MM-DD) is within a day of one of the fetches' days."""
    day = date.fromisoformat(written)
    return any(abs(day - fetched) <= TODAY_REACH for fetched in days)


def _only_counter(line: str, stripped: str) -> bool:
    """Whether a line ending like a sentence was nothing but its counters ("1,204 people are reading this now.").

    "It drew 12,000 comments." keeps words besides the counter: reporting, kept whole.
    """
    if stripped == line:
        return False
    words = [t.lower().strip(".:") for t in _LINE_TOKEN.findall(stripped)]
    return all(not w or w in _COUNTER_FILLER or w in _NOISE_WORDS for w in words)


def _stamp_mark(token: str) -> bool:
    """A token that makes a line a stamp or counter: a stamp token other than a joining word or a plain number.

    "Stand: 06.12.2026", "12:04 PM" and "Actualizado el 6 de diciembre" are
    stamps; "a 3 de 5" is made of the same short words and numbers but of
    no word or date that says so, and its change is a change of the text.
    """
    bare = token.lower().strip(".:")
    if bare in _JOINING_WORDS and not token.isupper():  # "ET" is a time zone, "et" a conjunction
        return False
    if _NUMBERISH.match(token):
        return bool(_DATE_OR_CLOCK.match(token))
    return True


def _stamp_token(token: str) -> bool:
    """A word a dateline, an update stamp or a counter is written with (any of the languages we read)."""
    lower = token.lower()
    bare = lower.strip(".:")
    return (
        bare in _NOISE_WORDS
        or lower in _NOISE_WORDS
        or bare in _STAMP_WORDS
        or bool(_NUMBERISH.match(token))
        or (token.isupper() and 2 <= len(token) <= 5)  # time zone abbreviations
        or bool(_STAMP_CLOCK.match(bare))
        or _month_or_weekday(token, bare)
    )


def _cookie_banner(line: str) -> bool:
    return len(line) <= _COOKIE_BANNER_MAX and bool(_COOKIE_BANNER.search(line) and CONSENT_CHOICE.search(line))


def normalize_for_hash(text: str, fetched: Sequence[str] = ()) -> str:
    """Text reduced to what counts as a change, for a text fetched at the `fetched` times (stored timestamps).

    Whitespace, curly versus straight quotes, relative times ("Updated 3
    minutes ago"), update stamps (in the languages statements come in:
    "Stand: 06.12.2026, 14:05 Uhr"), share / comment / live reader
    counters, reading times and a cookie banner caught in the text change
    on every fetch of an unchanged page; none of them is an edit, so none
    of them makes a new revision. A line that ends like a sentence is the
    story's own words and keeps them, clock, date or "3 days ago" included:
    "will resume at 9:00" becoming "at 11:00", or "was updated on March 3"
    becoming "March 13", is a real change; only a counter that is the
    whole sentence ("1,204 people are reading this now.") goes.

    A date alone on its line is the text's own ("The recall starts on" /
    "12 January 2027"), unless the line before is a stamp's label ("Last
    updated:") or it is the day of a fetch, give or take one (a page printing
    the day it is served): a deadline moved is the news a statement carries.
    """
    text = (text or "").translate(_QUOTES)
    lower = text.lower()
    # Most texts skip most of the regexes, which ingest pays for on every page.
    inline = [pattern for words, pattern in _NOISE_INLINE if any(w in lower for w in words)]
    counters = any(w in lower for w in _COUNTER_WORDS)
    cookies = "cookie" in lower
    days = _fetch_days(fetched)
    kept = []
    previous = ""
    for line in text.splitlines():
        prose = line.rstrip().endswith(_PROSE_END)
        if inline:
            stamped = line
            for pattern in inline:
                stamped = pattern.sub(" ", stamped)
            # A sentence keeps its words ("the list was updated on March 3", "learned of it 3 days ago"):
            # only a line that is nothing but the stamp ("Updated 3 minutes ago.") loses it.
            if not prose or not stamped.strip(_STAMP_LEFTOVER):
                line = stamped
        if counters and (not prose or len(line) <= _COUNTER_SENTENCE_MAX):
            uncounted = _COUNTERS.sub(" ", line)
            if not prose or _only_counter(line, uncounted):
                line = uncounted
        line = " ".join(line.split()).strip(" |·•-–—,")  # the whitespace \s matches, a quarter of the cost
        if not line:
            continue
        noise = _noise_line(line, cookies)
        if noise == _DATE_ONLY and not (_stamp_label(previous) or _day_of_fetch(line, days)):
            noise = None
        if noise is None:
            kept.append(line)
        previous = line
    return " ".join(kept)


def content_hash(text: str, fetched: Sequence[str] = ()) -> str:
    """The fingerprint two fetches share when their text differs only by noise (normalize_for_hash)."""
    return hashlib.sha256(normalize_for_hash(text, fetched).encode("utf-8")).hexdigest()


def upsert_item(
    db: sqlite_utils.Database,
    story_id: int,
    canonical_url: str,
    *,
    kind: str = "article",
    source_id: int | None = None,
    **fields: str | None,
) -> int:
    """Find or create the coverage item for this canonical URL; fill fields we did not know yet.

    Known values are not overwritten by empty ones, so a feed entry and the
    page it links to enrich one item rather than fight over it.
    """
    with transaction(db):
        existing = find_item(db, story_id, canonical_url)
        return save_item(db, story_id, canonical_url, existing, kind=kind, source_id=source_id, **fields)


def find_item(db: sqlite_utils.Database, story_id: int, canonical_url: str) -> int | None:
    """The id of the story's item for this canonical URL, or None: the one look-up of an item by its address.

    An item stored before the cleaning of addresses grew (session ids and
    campaign tags stripped since) keeps the address it was stored under:
    it is found by what that address cleans to now (`_stored_uncleaned`),
    so the same article is never a second item. Nor is it when its site
    moves between http and https (`_either_scheme`): the same host and path
    under the other scheme is the same article, found after any item under
    the scheme given. Last, an item is found by where it lives now
    (fetch_url): the link a source gave it since, or the address its page
    moved to for good (record_move), so a listing linking a statement's new
    address finds the statement.
    """
    found = _found_at(db, story_id, canonical_url)
    if found is None:
        twin = www_twin(canonical_url)
        if twin is not None and _one_site(db, canonical_url, twin):
            found = _found_at(db, story_id, twin)
    return found


def _found_at(db: sqlite_utils.Database, story_id: int, canonical_url: str) -> int | None:
    """find_item's look-ups of one address: named so (either scheme, before cleaning), else living there now."""
    addresses = _either_scheme(canonical_url)
    for address in addresses:
        row = db.execute(
            "SELECT id FROM coverage WHERE story_id = ? AND canonical_url = ?", [story_id, address]
        ).fetchone()
        found = row[0] if row else _stored_uncleaned(db, story_id, address)
        if found is not None:
            return found
    for address in addresses:  # where an item lives now: its source gave it, or its page moved there for good
        row = db.execute(
            "SELECT id FROM coverage WHERE story_id = ? AND fetch_url = ? ORDER BY id LIMIT 1", [story_id, address]
        ).fetchone()
        if row is not None:
            return row[0]
    return None


def www_twin(url: str) -> str | None:
    """The same address with "www." taken off its host, or put on (None: no host a www. form is made of).

    `www.acme.example/x` and `acme.example/x` are often one page, and as
    often not (a company's site and a blog on its bare name): they are one
    only when the site says so (_one_site).
    """
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
    except ValueError:
        return None
    if not host or "." not in host or host.replace(".", "").isdigit() or ":" in host or "@" in parts.netloc:
        return None
    other = host.removeprefix("www.") if host.startswith("www.") else "www." + host
    if other.count(".") < 1:
        return None
    netloc = other + (f":{parts.port}" if parts.port else "")
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))


def same_page_elsewhere(a: str, b: str) -> bool:
    """Two addresses of one page that differ only by the scheme or a www. host: no move a reporter cares about."""
    return b in {a, *_either_scheme(a)} or any(b in _either_scheme(twin) for twin in [www_twin(a)] if twin)


MOVES_LOOKED_AT = 20  # of the moves from a host, enough to find one to its www twin (or from it)


def _one_site(db: sqlite_utils.Database, url: str, twin: str) -> bool:
    """Whether the site said its bare host and its www host are one: a page of one living at the other.

    A redirect from `acme.example/a` to `www.acme.example/a` (any page, any
    story: page_moves, record_move) says the bare host sends its readers to
    www; the reverse says the same of www; so does a page at one whose
    canonical link names the other (record_named_twin).
    """
    hosts = (urlsplit(url).hostname, urlsplit(twin).hostname)
    for source, target in (hosts, hosts[::-1]):
        for scheme in ("https", "http"):
            start = f"{scheme}://{source}"
            for (moved_to,) in db.execute(
                "SELECT to_url FROM page_moves WHERE from_url >= ? AND from_url < ? LIMIT ?",
                [start + "/", start + "0", MOVES_LOOKED_AT],
            ):
                try:
                    if urlsplit(moved_to).hostname == target:
                        return True
                except ValueError:
                    continue
    return False


def record_named_twin(db: sqlite_utils.Database, coverage_id: int, fetched: str, declared: str | None) -> None:
    """A page fetched at `fetched` whose canonical link names the same address under its www twin: one page.

    Kept as where the page lives (page_moves, status 200: the page answered
    and named it) and fetched from, and found by, that address, as when it
    moved there: the feed linking `acme.example/x` and a reporter pasting
    `www.acme.example/x` reach one item, and the bare host is the www site
    for the story's other pages too (_one_site). Any other canonical link
    changes nothing of an item already named.
    """
    if not declared:
        return
    try:
        named, here = scrapers_canonical_url(declared), scrapers_canonical_url(fetched)
    except ValueError:
        return
    if named != here and www_twin(here) in {named, *_either_scheme(named)}:
        _lives_at(db, coverage_id, here, named, 200)


def _either_scheme(url: str) -> list[str]:
    """url, then the same address under the other of http and https (canonical URLs write the scheme lowercase).

    A site that moves to https gives every article in its feed a new
    address; each was stored a second time, with a second "new coverage" alert.
    """
    for scheme, other in (("http://", "https://"), ("https://", "http://")):
        if url.startswith(scheme):
            return [url, other + url.removeprefix(scheme)]
    return [url]


def _stored_uncleaned(db: sqlite_utils.Database, story_id: int, url: str) -> int | None:
    """The oldest item stored under an address that today's canonical_url reduces to `url`, or None.

    What cleaning drops comes after the path (a query's tracking and
    campaign parameters, a `;jsessionid=` at the end of the path), so the
    candidates are the addresses that start with `url`'s path followed by
    `?` or `;` and hold each parameter `url` keeps: a range of the
    (story_id, canonical_url) index, each candidate cleaned again to be sure.
    Stored addresses are never rewritten: the item keeps the address its
    revisions were fetched from.
    """
    try:
        if not is_http_url(url):
            return None
        base, query = _address_base(url)
        kept = [urlencode([pair]) for pair in parse_qsl(query, keep_blank_values=True)]
    except ValueError:
        return None
    kept = kept[:NARROWED_BY]  # the first few narrow enough; each candidate is cleaned again below
    held = " AND instr(canonical_url, ?) > 0" * len(kept)
    for after in "?;":
        for coverage_id, stored in db.execute(
            "SELECT id, canonical_url FROM coverage WHERE story_id = ? AND canonical_url >= ? AND canonical_url < ?"
            f"{held} ORDER BY id",
            [story_id, base + after, base + after + "\U0010ffff", *kept],
        ):
            try:
                if scrapers_canonical_url(stored) == url:
                    return coverage_id
            except ValueError:
                continue
    return None


def _address_base(url: str) -> tuple[str, str]:
    """An address without its query (nor fragment), and its query. Raises ValueError for text that is no URL."""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, "", "")), parts.query


def _same_title(a: str | None, b: str | None) -> bool:
    """Two headlines that are one (case and spacing aside); an empty one is no headline to match."""
    a, b = " ".join((a or "").split()).casefold(), " ".join((b or "").split()).casefold()
    return bool(a) and a == b


def same_page_new_query(
    db: sqlite_utils.Database,
    story_id: int,
    source_id: int,
    canonical: str,
    title: str | None,
    linked: set[str],
    taken: set[int],
) -> int | None:
    """The item this source brought at the same path under another query, with the same headline: the article,
    linked with a value new on every poll.

    Some feeds put a session id, a timestamp or a cache-buster of their own
    name in every link and guid (`?sid=N`, `?ts=`, `?cb=`), new at each poll:
    no list of tracking parameters can know them all, and each poll would add
    every article again, fetched and alerted as new. A query that means
    something (`?id=123`, `?p=5`) names pages with their own headlines, and
    two pages linked at once are two pages: so the earlier address must no
    longer be linked by the feed (`linked`), nor the item matched by another
    entry of this feed already (`taken`), and the headline must be the same.
    """
    try:
        base, _ = _address_base(canonical)
    except ValueError:
        return None
    for coverage_id, stored, fetched, stored_title in db.execute(
        "SELECT id, canonical_url, fetch_url, title FROM coverage WHERE story_id = ? AND source_id = ? "
        "AND (canonical_url = ? OR (canonical_url >= ? AND canonical_url < ?)) ORDER BY id",
        [story_id, source_id, base, base + "?", base + "?\U0010ffff"],
    ):
        if coverage_id in taken or stored in linked or fetched in linked:
            continue
        if _same_title(stored_title, title):
            return coverage_id
    return None


def save_item(
    db: sqlite_utils.Database,
    story_id: int,
    canonical_url: str,
    existing: int | None,
    *,
    kind: str = "article",
    source_id: int | None = None,
    given: bool = True,
    **fields: str | int | None,
) -> int:
    """upsert_item for a caller that has just looked the item up (find_item) in its own transaction.

    Ingest looks every item up anyway, to count it as new or known; this
    spares it a second lookup per feed entry and per page. `given`: a source
    gives `canonical_url` as where the article lives now (a feed entry's
    link, a page's address), so the item is fetched from it from now on
    (`_fetched_from`). False when the caller only names the item by its own
    address (a re-check storing the page it fetched), which says nothing of
    where it lives.
    """
    if kind not in COVERAGE_KINDS:
        raise TrackerError(f"Unknown coverage kind {kind!r}.")
    unknown = set(fields) - set(ITEM_FIELDS)
    if unknown:
        raise TypeError(f"unknown coverage fields: {sorted(unknown)}")
    values = {k: v for k, v in fields.items() if v not in (None, "")}
    # The precision and the offset go with the published date they describe, and only with it.
    precision = values.pop("published_precision", None)
    offset = values.pop("published_offset", None)
    seen = now()
    flagged = _future_date(values)
    if not flagged and _ahead(values.get("published_at"), precision):
        seen = seen if existing is None else _first_seen(db, existing)
        flagged = _stored_as_seen(values["published_at"], seen)
        values["published_at"] = seen
        offset = None  # our clock's time now, not the source's
    if existing is None:
        values.update(flagged)
        if precision and "published_at" in values:
            values["published_precision"] = precision
        if offset is not None and "published_at" in values:
            values["published_offset"] = offset
        cols = ["story_id", "canonical_url", "kind", "source_id", "first_seen_at", *values]
        params = [story_id, canonical_url, kind, source_id, seen, *values.values()]
        cur = db.execute(f"INSERT INTO coverage ({', '.join(cols)}) VALUES ({', '.join('?' for _ in cols)})", params)
        return cur.lastrowid
    if flagged:  # before the date is filled in below: flagged only where the item had no date
        db.execute(
            "UPDATE coverage SET claimed_published_at = coalesce(claimed_published_at, ?), date_flag = ? "
            "WHERE id = ? AND published_at IS NULL",
            [flagged["claimed_published_at"], flagged["date_flag"], existing],
        )
    if values:
        # Columns come from ITEM_FIELDS, never from input. SET reads the row as it was: the precision is
        # written only where the published date is.
        sets = ", ".join(f"{k} = coalesce({k}, ?)" for k in values)
        if "published_at" in values:
            sets += ", published_precision = CASE WHEN published_at IS NULL THEN ? ELSE published_precision END"
            sets += ", published_offset = CASE WHEN published_at IS NULL THEN ? ELSE published_offset END"
            values["published_precision"] = precision
            values["published_offset"] = offset
        db.execute(f"UPDATE coverage SET {sets} WHERE id = ?", [*values.values(), existing])
    if given and is_http_url(canonical_url):
        _fetched_from(db, existing, canonical_url)
    if source_id is not None:  # an item stored by hand (ingest, evidence by address) a source now brings
        db.execute("UPDATE coverage SET source_id = coalesce(source_id, ?) WHERE id = ?", [source_id, existing])
    if kind == "statement":
        db.execute("UPDATE coverage SET kind = 'statement' WHERE id = ?", [existing])
    return existing


def _fetched_from(db: sqlite_utils.Database, coverage_id: int, address: str) -> None:
    """The item is fetched from `address` from now on: the address a source gives for it now.

    Found under another address than its name (find_item; tracker/store.py,
    by its feed guid), it keeps its name and is fetched from where the
    source says it lives (fetch_url); its own address given again (the
    article moved back) is fetched from again (fetch_url NULL). When that
    changes, the ETag and Last-Modified kept are the other address's: sent
    to this one, a tag matching by chance was answered 304 and a changed
    page never stored, so they go with it. An address its page moved away
    from for good (record_move), and not back to since, is not gone back
    to: feeds keep linking the old address (a redirector's, an http link to
    a site on https), and each poll had the move followed and recorded anew.
    """
    db.execute(
        "UPDATE coverage SET fetch_url = nullif(?, canonical_url), etag = NULL, last_modified = NULL,"
        " validators_url = NULL "
        "WHERE id = ? AND fetch_url IS NOT nullif(?, canonical_url)"
        " AND coalesce((SELECT max(id) FROM page_moves WHERE coverage_id = ? AND from_url = ?), 0)"
        " <= coalesce((SELECT max(id) FROM page_moves WHERE coverage_id = ? AND to_url = ?), 0)",
        [address, coverage_id, address, coverage_id, address, coverage_id, address],
    )


def record_move(db: sqlite_utils.Database, coverage_id: int, asked: str, answered: str, status: int) -> str | None:
    """The item's page, asked for at `asked`, answered that it moved for good (`status`: 301, 308) to `answered`.

    It is the same page at a new address: it keeps its name and revisions,
    is fetched from there from now on (_fetched_from) and found by it
    (find_item), and the move is kept in its history (page_moves). A move
    to a listing or a home page never gets here: that is the page taken
    down (scrapers.notpage, scrapers.statements.listing_instead). Returns
    the cleaned new address, or None when the answer is where it was asked
    (the same address once cleaned) or no address to keep.
    """
    try:
        old, new = scrapers_canonical_url(asked), scrapers_canonical_url(answered)
    except ValueError:
        return None
    if old == new or not is_http_url(new):
        return None
    row = db.execute("SELECT coalesce(fetch_url, canonical_url) FROM coverage WHERE id = ?", [coverage_id]).fetchone()
    if row is not None and row[0] == new:  # known already (a watched page's source keeps its first address)
        return None
    _lives_at(db, coverage_id, old, new, status)
    return new


def _lives_at(db: sqlite_utils.Database, coverage_id: int, old: str, new: str, status: int) -> None:
    """The item's page said, answering `status` at `old`, that it lives at `new`: kept, and fetched from there."""
    db.execute(
        "INSERT INTO page_moves (coverage_id, from_url, to_url, status, at) VALUES (?, ?, ?, ?, ?)",
        [coverage_id, old, new, status, now()],
    )
    _fetched_from(db, coverage_id, new)


def fold_unread(db: sqlite_utils.Database, coverage_id: int, address: str) -> int | None:
    """Another item of the story named by `address`, where coverage_id's page now lives, and never read: removed.

    A listing that links a page's new address in the same pass as the old
    address first answers 301 made the new link an item before the re-check
    found the move (record_move); once it is found, the two are one page,
    and the item with revisions keeps it. Only an item with no revision goes
    (nothing of it was stored or shown: a listing's link, a feed entry's
    title), and only when nothing refers to it (the foreign keys say so: it
    is kept otherwise). Its feed guid, if the item kept has none, stays with
    the page, so the feed's entry finds it. Returns the id removed, or None.
    """
    row = db.execute("SELECT story_id FROM coverage WHERE id = ?", [coverage_id]).fetchone()
    if row is None:
        return None
    marks = ", ".join("?" for _ in _either_scheme(address))
    other = db.execute(
        f"SELECT id, feed_guid FROM coverage WHERE story_id = ? AND id != ? AND canonical_url IN ({marks})"
        " AND NOT EXISTS (SELECT 1 FROM revisions r WHERE r.coverage_id = coverage.id) ORDER BY id LIMIT 1",
        [row[0], coverage_id, *_either_scheme(address)],
    ).fetchone()
    if other is None:
        return None
    try:
        with transaction(db):
            db.execute("DELETE FROM coverage WHERE id = ?", [other[0]])
            db.execute("UPDATE coverage SET feed_guid = coalesce(feed_guid, ?) WHERE id = ?", [other[1], coverage_id])
    except sqlite3.IntegrityError:  # something refers to it (evidence, a capture): it stays an item of its own
        return None
    return other[0]


def list_moves(db: sqlite_utils.Database, coverage_id: int) -> list[dict]:
    """The addresses the item's page moved to for good, oldest first (record_move)."""
    return rows(
        db, "SELECT from_url, to_url, status, at FROM page_moves WHERE coverage_id = ? ORDER BY id", [coverage_id]
    )


def record_page_dates(
    db: sqlite_utils.Database,
    coverage_id: int,
    published_at: str | None,
    published_from: list[str],
    date_doubts: list[dict],
    published_precision: str | None = None,
    published_offset: int | None = None,
) -> None:
    """The page's own date decision, with its sources, precision, offset and doubts, on its item.

    Unlike the other fields, a published date the page decided replaces one a
    feed entry gave: the decision already weighed the entry's date (see
    scrapers/article/datechoice.py) together with everything the page says.
    A page that decided nothing leaves the item's date as it was. A time
    ahead of now (a page's clock set ahead, or the feed's it weighed) is
    stored as when the item was first seen, flagged (`_ahead`).
    """
    if _ahead(published_at, published_precision):
        seen = _first_seen(db, coverage_id)
        flagged = _stored_as_seen(published_at, seen)
        db.execute(
            "UPDATE coverage SET claimed_published_at = ?, date_flag = ? WHERE id = ?",
            [flagged["claimed_published_at"], flagged["date_flag"], coverage_id],
        )
        published_at, published_offset = seen, None
    db.execute(
        """UPDATE coverage SET published_at = coalesce(?, published_at),
                  published_precision = CASE WHEN ? IS NULL THEN published_precision ELSE ? END,
                  published_offset = CASE WHEN ? IS NULL THEN published_offset ELSE ? END,
                  published_from = CASE WHEN ? IS NULL THEN published_from ELSE ? END,
                  date_doubts = ?
           WHERE id = ?""",
        [
            published_at,
            published_at,
            published_precision,
            published_at,
            published_offset,
            published_at,
            json.dumps(published_from) if published_from else None,
            json.dumps(date_doubts, ensure_ascii=False) if date_doubts else None,
            coverage_id,
        ],
    )


def recheck_if_updated(db: sqlite_utils.Database, coverage_id: int, updated: str) -> int:
    """A feed says the item changed at `updated`: if that is after its page was last checked, make it due now.

    Returns 1 when the check was brought forward. A date in the future is
    not believed (it would make the item due at every pass), and an item
    whose page is gone stays gone. The newer date is kept as modified_at.
    """
    limit = format_time(datetime.now(UTC) + FUTURE_SLACK)
    if updated > limit:
        return 0
    with transaction(db):
        # NULL is "due now" (tracker.scrape.rechecks.due_items), and sorts first: the pass in hand checks it.
        cur = db.execute(
            """UPDATE coverage SET next_check_at = NULL, modified_at = max(coalesce(modified_at, ''), ?)
               WHERE id = ? AND gone_at IS NULL AND last_checked_at IS NOT NULL AND last_checked_at < ?
                 AND next_check_at IS NOT NULL""",
            [updated, coverage_id, updated],
        )
    return cur.rowcount


def _ahead(published_at: str | None, precision: str | None) -> bool:
    """A published time later than now: a time zone slip (local time written as GMT) or a clock set ahead.

    Nothing is published after we first see it listed, so such a time is
    stored as when the item was first seen, the time given kept in
    claimed_published_at with date_flag saying why (`_stored_as_seen`):
    stored as given, an item whose page gave no date of its own stood on top
    of every timeline for hours. A date without a time (DAY) is the day the
    source wrote, which is already tomorrow east of us, and is kept.
    """
    if not published_at or precision == DAY:
        return False
    return published_at > format_time(datetime.now(UTC) + CLOCK_SKEW)


def _stored_as_seen(claimed: str, seen: str) -> dict:
    return {
        "claimed_published_at": claimed,
        "date_flag": f"published date {claimed} is after it was first seen ({seen}); stored as then",
    }


def _first_seen(db: sqlite_utils.Database, coverage_id: int) -> str:
    row = db.execute("SELECT first_seen_at FROM coverage WHERE id = ?", [coverage_id]).fetchone()
    return row[0] if row and row[0] else now()


def _future_date(values: dict) -> dict:
    """Keep a published date from the future out of published_at (it would top every timeline); flag it.

    The claimed date is stored in claimed_published_at with date_flag saying
    why; published_at stays empty, so the item sorts by when we first saw it
    and a sane date from its page can still fill it. A modified date in the
    future is dropped.
    """
    limit = format_time(datetime.now(UTC) + FUTURE_SLACK)
    if (values.get("modified_at") or "") > limit:
        del values["modified_at"]
    claimed = values.get("published_at")
    if not claimed or claimed <= limit:
        return {}
    del values["published_at"]
    return {"claimed_published_at": claimed, "date_flag": f"published date {claimed} is in the future"}


def add_revision(
    db: sqlite_utils.Database, coverage_id: int, text: str, fetched_at: str | None = None
) -> tuple[int, bool]:
    """Store text as a new revision unless it matches the latest one.

    Returns (revision_id, created). The diff against the previous revision is
    kept with the new one so editors can read what changed. `fetched_at`
    (now when not given) is also the day a page printing the day it is
    served dates itself (normalize_for_hash).
    """
    fetched_at = fetched_at or now()
    digest = content_hash(text, [fetched_at])
    with transaction(db):
        latest = latest_revision(db, coverage_id)
        if latest is not None and _unchanged(latest, text, digest, fetched_at):
            db.execute("UPDATE coverage SET last_checked_at = ? WHERE id = ?", [now(), coverage_id])
            return latest["id"], False
        diff = None
        if latest is not None:
            diff = "\n".join(
                difflib.unified_diff(latest["text"].splitlines(), text.splitlines(), "before", "after", lineterm="")
            )
        cur = db.execute(
            "INSERT INTO revisions (coverage_id, fetched_at, content_hash, text, diff) VALUES (?, ?, ?, ?, ?)",
            [coverage_id, fetched_at, digest, text, diff],
        )
        db.execute("UPDATE coverage SET last_checked_at = ? WHERE id = ?", [now(), coverage_id])
        events.revision_stored(db, coverage_id, cur.lastrowid, text, latest["text"] if latest else None, diff)
        return cur.lastrowid, True


def _unchanged(latest: dict, text: str, digest: str, fetched_at: str) -> bool:
    """Whether a fetched text is the latest revision's once noise is set aside.

    Its stored hash decides most; failing that, both texts are normalized
    again under the same rules and for both fetches' days: what counts as
    noise may have grown since the revision was stored, and a date line
    that is the day of one fetch and not of the other is the same text,
    not a revision of its own.
    """
    if digest == latest["content_hash"]:
        return True
    fetched = [fetched_at, latest["fetched_at"]]
    return normalize_for_hash(text, fetched) == normalize_for_hash(latest["text"], fetched)


def latest_revision(db: sqlite_utils.Database, coverage_id: int) -> dict | None:
    revision_id = latest_revision_id(db, coverage_id)
    return get_revision(db, revision_id) if revision_id else None


def latest_revision_id(db: sqlite_utils.Database, coverage_id: int) -> int | None:
    row = db.execute(
        "SELECT id FROM revisions WHERE coverage_id = ? ORDER BY id DESC LIMIT 1", [coverage_id]
    ).fetchone()
    return row[0] if row else None


def previous_revision_id(db: sqlite_utils.Database, coverage_id: int, revision_id: int) -> int | None:
    """The id of the item's revision before this one (the one its diff is against), or None for its first."""
    return db.execute(
        "SELECT max(id) FROM revisions WHERE coverage_id = ? AND id < ?", [coverage_id, revision_id]
    ).fetchone()[0]


def get_revision(db: sqlite_utils.Database, revision_id: int) -> dict:
    revision = one(
        db,
        """SELECT r.id, r.coverage_id, r.fetched_at, r.content_hash, r.text, r.diff,
                  c.canonical_url, c.outlet, c.title, c.published_at, c.published_precision, c.kind, c.story_id
           FROM revisions r JOIN coverage c ON c.id = r.coverage_id WHERE r.id = ?""",
        [revision_id],
    )
    if revision is None:
        raise NotFound(f"No revision with id {revision_id}.")
    return revision


def get_item(db: sqlite_utils.Database, coverage_id: int) -> dict:
    item = one(db, "SELECT * FROM coverage WHERE id = ?", [coverage_id])
    if item is None:
        raise NotFound(f"No coverage item with id {coverage_id}.")
    return item


def item_provenance(item: dict) -> dict:
    """Where an item's date and byline came from, decoded from their JSON columns for display.

    published_from: the sources that agreed on published_at; date_doubts: the
    page's dates not used, each {value, source, reason}; authors: each
    {name, kind}. Empty lists for items stored before these were kept.
    """
    return {key: json.loads(item.get(key) or "[]") for key in ("published_from", "date_doubts", "authors")}


# How a story's coverage can be listed: by publication date (the default), or by its latest revision.
# Each order's sort key; the id breaks ties, so every item has one place in it (pages start at an item).
# What each order of a story's items sorts on, from its coverage row `c`; "changed": its latest revision stored
# (coverage.changed_at, kept by migration 0037's triggers). Each key is an index with the story and the id
# (coverage_story_published_key, coverage_story_changed): an expression here must stay the index's, word for word.
ITEM_KEYS = {
    "published": "coalesce(c.published_at, c.first_seen_at)",
    "changed": "coalesce(c.changed_at, c.first_seen_at)",
}
ITEM_ORDERS = tuple(ITEM_KEYS)


def list_items(
    db: sqlite_utils.Database,
    story_id: int,
    order: str = "published",
    *,
    limit: int | None = None,
    at: list | None = None,
    after: list | None = None,
    before: list | None = None,
    offset: int = 0,
) -> list[dict]:
    """A story's coverage, newest first, with revision counts and cluster membership.

    order: "published" (newest publication first) or "changed" (latest revision first: a page edited
    just now, or stored just now, at the top); `changed_at` is when its latest revision was stored.
    A page of them: `limit` items from position `at` on, or from just past position `after` (a cursor
    holding the last item listed, which may have gone since), or the `limit` just before position `before`
    (still newest first); a position is an item's `sort_key` and id (item_key). `offset` (with a limit):
    that many items further on (the item a page number names, for an old `?page=` link).

    cluster_size is 1 for an item nobody copied; in a cluster of copies
    (wire stories, syndication) cluster_original_id names the earliest
    published member and is_original marks it. See tracker/clusters.py.
    Revisions and clusters are counted for the page's items only (a cluster's members through the
    cluster index), not for every item of the story on every page.
    """
    order = order if order in ITEM_KEYS else "published"
    key = ITEM_KEYS[order]
    where, params, descending = "", [], True
    if at is not None:
        where, params = f"AND {_from_position(key, '<=')}", _position_params(at)
    elif after is not None:
        where, params = f"AND {_from_position(key, '<')}", _position_params(after)
    elif before is not None:
        where, params, descending = f"AND {_from_position(key, '>')}", _position_params(before), False
    direction = "DESC" if descending else "ASC"
    items = rows(
        db,
        # The page is chosen on keys alone, read in order from the order's index (an item's row holds its
        # sketch: sorting whole rows cost more, and sorting every item of the story for one page, more still).
        f"""WITH page AS (
               SELECT c.id, c.cluster_id, {key} AS sort_key FROM coverage c WHERE c.story_id = ? {where}
               ORDER BY {key} {direction}, c.id {direction}{" LIMIT ? OFFSET ?" if limit is not None else ""}
           ),
           -- A cluster is its items sharing coalesce(cluster_id, id): the members of each cluster on the page.
           clusters AS (SELECT DISTINCT coalesce(cluster_id, id) AS cluster FROM page),
           members AS (
               SELECT k.cluster, m.id, coalesce(m.published_at, m.first_seen_at) AS first_at
               FROM clusters k JOIN coverage m ON m.cluster_id = k.cluster WHERE m.story_id = ?
               UNION ALL
               SELECT k.cluster, m.id, coalesce(m.published_at, m.first_seen_at)
               FROM clusters k JOIN coverage m ON m.id = k.cluster WHERE m.cluster_id IS NULL AND m.story_id = ?
           ),
           -- One row per cluster, grouped: SQLite then indexes it for the join below. Made unique with DISTINCT
           -- it was read whole for every item (the square of a story's size unpaged: 30,000 items took 2 minutes).
           sized AS (
               SELECT cluster, max(cluster_size) AS cluster_size, max(cluster_original_id) AS cluster_original_id
               FROM (
                   SELECT cluster, count(*) OVER whole AS cluster_size,
                          first_value(id) OVER (whole ORDER BY first_at, id) AS cluster_original_id
                   FROM members WINDOW whole AS (PARTITION BY cluster)
               )
               GROUP BY cluster
           )
           SELECT c.*, p.sort_key, s.cluster_size, s.cluster_original_id,
                  (SELECT max(r.id) FROM revisions r WHERE r.coverage_id = c.id) AS latest_revision_id
           FROM page p JOIN coverage c ON c.id = p.id JOIN sized s ON s.cluster = coalesce(p.cluster_id, p.id)
           ORDER BY p.sort_key {direction}, p.id {direction}""",
        [story_id, *params, *([limit, max(0, offset)] if limit is not None else []), story_id, story_id],
    )
    if not descending:
        items.reverse()
    for item in items:
        item["is_original"] = item["cluster_original_id"] == item["id"]
    return items


def item_key(item: dict) -> list:
    """An item's position in its list's order, as list_items takes one."""
    return [item["sort_key"], item["id"]]


def count_items(db: sqlite_utils.Database, story_id: int, order: str = "published", before: list | None = None) -> int:
    """How many items the story has, or how many come before position `before` in the order."""
    if before is None:
        return db.execute("SELECT count(*) FROM coverage WHERE story_id = ?", [story_id]).fetchone()[0]
    key = ITEM_KEYS.get(order, ITEM_KEYS["published"])
    return db.execute(
        f"SELECT count(*) FROM coverage c WHERE c.story_id = ? AND {_from_position(key, '>')}",
        [story_id, *_position_params(before)],
    ).fetchone()[0]


def _from_position(key: str, op: str) -> str:
    """The SQL condition `(key, c.id) op (?, ?)` for op '<=', '<' or '>', written so the order's index reads only
    the items it keeps: SQLite compares a row value against an expression index item by item, over the whole
    story (0.7 s to count the items before a page of a story of 333,000). Takes _position_params's parameters."""
    strict, tie = ("<", op) if op in ("<=", "<") else (">", ">")
    return f"({key} {strict}= ? AND ({key} {strict} ? OR c.id {tie} ?))"


def _position_params(position: list) -> list:
    """A position [sort key, id] as _from_position's parameters."""
    sort_key, item_id = position
    return [sort_key, sort_key, item_id]


def revision_times(db: sqlite_utils.Database, coverage_id: int) -> list[dict]:
    """An item's revisions as their ids and fetch times only, oldest first."""
    return rows(db, "SELECT id, fetched_at FROM revisions WHERE coverage_id = ? ORDER BY id", [coverage_id])


def list_revisions(db: sqlite_utils.Database, coverage_id: int) -> list[dict]:
    """An item's revisions, oldest first, without their text (which can be long)."""
    return rows(
        db,
        """SELECT id, coverage_id, fetched_at, content_hash, length(text) AS length,
                  (SELECT count(*) FROM evidence e WHERE e.revision_id = r.id) AS evidence_count
           FROM revisions r WHERE coverage_id = ? ORDER BY id""",
        [coverage_id],
    )


_TOKENS = re.compile(r"\s+|[^\s]+")
# What SequenceMatcher (without autojunk, so that common words still match) may compare for one page of
# diffs: the product of the two lengths left once their common start and end are set aside, summed over
# the page's paragraphs. Its time grows with the cube of repeated words or lines ("a a a …" against
# "b a b a …": 2,000 words took four minutes), and those words are a publisher's or a reporter's; past
# the budget the rest of a change is shown removed and added whole.
DIFF_BUDGET = 100_000


class DiffBudget:
    """What is left of DIFF_BUDGET for one page of diffs."""

    def __init__(self, pairs: int = DIFF_BUDGET) -> None:
        self.pairs = pairs


def diff_opcodes(a: Sequence[str], b: Sequence[str], budget: DiffBudget | None = None) -> list[tuple]:
    """SequenceMatcher's opcodes for a and b, in bounded time.

    The common start and end are matched directly; the middle goes to
    SequenceMatcher while the budget lasts, else it is one "replace".
    """
    budget = budget or DiffBudget()
    shorter = min(len(a), len(b))
    start = 0
    while start < shorter and a[start] == b[start]:
        start += 1
    end = 0
    while end < shorter - start and a[len(a) - 1 - end] == b[len(b) - 1 - end]:
        end += 1
    a_end, b_end = len(a) - end, len(b) - end
    ops: list[tuple] = [("equal", 0, start, 0, start)] if start else []
    cost = (a_end - start) * (b_end - start)
    if cost <= budget.pairs:
        budget.pairs -= cost
        middle = difflib.SequenceMatcher(None, a[start:a_end], b[start:b_end], autojunk=False).get_opcodes()
        ops += [(tag, i1 + start, i2 + start, j1 + start, j2 + start) for tag, i1, i2, j1, j2 in middle]
    else:
        ops.append(("replace", start, a_end, start, b_end))
    if end:
        ops.append(("equal", a_end, len(a), b_end, len(b)))
    merged: list[tuple] = []
    for op in ops:
        if merged and op[0] == merged[-1][0] == "equal":
            merged[-1] = ("equal", merged[-1][1], op[2], merged[-1][3], op[4])
        else:
            merged.append(op)
    return merged


def diff_texts(old: str, new: str, context: int = 2, words: int | None = None) -> list[dict]:
    """A readable diff of two revisions: paragraphs side by side, changed words marked.

    Returns rows of {"kind": "equal" | "changed" | "removed" | "added" | "skip", "old": [...],
    "new": [...], "count": n}; "old"/"new" are lists of {"op": "equal" | "removed" | "added", "text"}
    segments. Text is returned as text, never markup: the template escapes it.
    A paragraph that changed only in noise (a relative time, a counter: what
    normalize_for_hash sets aside) is an "equal" row, so neither the editor's
    diff nor an alert names it as a change. Unchanged paragraphs more than
    `context` away from a change collapse into one "skip" row. `words`:
    compare words in only that many changed paragraphs, the rest shown
    removed and added whole (an alert shows only its first few).
    """
    a, b = (old or "").splitlines(), (new or "").splitlines()
    out: list[dict] = []
    budget = DiffBudget()
    for tag, i1, i2, j1, j2 in diff_opcodes(a, b, budget):
        if tag == "equal":
            out.extend(
                {"kind": "equal", "old": [_seg("equal", line)], "new": [_seg("equal", line)]} for line in a[i1:i2]
            )
            continue
        olds, news = a[i1:i2], b[j1:j2]
        for k in range(max(len(olds), len(news))):
            old_line, new_line = olds[k] if k < len(olds) else "", news[k] if k < len(news) else ""
            if _noise_only(old_line, new_line, _label_before(a, i1 + k), _label_before(b, j1 + k)):
                # A stamp or counter that moved: no change, as for the revision's hash; shown as it reads now.
                out.append(
                    {
                        "kind": "equal",
                        "old": [_seg("equal", olds[k])] if k < len(olds) else [],
                        "new": [_seg("equal", news[k])] if k < len(news) else [],
                    }
                )
            elif k < len(olds) and k < len(news):
                if words is not None and words <= 0:
                    old_segs, new_segs = [_seg("removed", olds[k])], [_seg("added", news[k])]
                else:
                    old_segs, new_segs = _word_diff(olds[k], news[k], budget)
                    words = None if words is None else words - 1
                out.append({"kind": "changed", "old": old_segs, "new": new_segs})
            elif k < len(olds):
                out.append({"kind": "removed", "old": [_seg("removed", olds[k])], "new": []})
            else:
                out.append({"kind": "added", "old": [], "new": [_seg("added", news[k])]})
    return _collapse(out, context)


def _noise_only(old: str, new: str, old_label: str = "", new_label: str = "") -> bool:
    """Whether a paragraph changed only in what normalize_for_hash sets aside ("Updated 3 minutes ago" → "17").

    Each is read after the stamp's label before it, if any ("Last updated:"), as the hash reads it.
    """
    return old != new and normalize_for_hash(f"{old_label}\n{old}") == normalize_for_hash(f"{new_label}\n{new}")


def _label_before(lines: list[str], index: int) -> str:
    """The nearest line with words before lines[index] when it is a stamp's label ("Last updated:"), else ""."""
    for line in reversed(lines[max(0, index - LABEL_REACH) : index]):
        if line.strip():
            return line if _stamp_label(line) else ""
    return ""


def _seg(op: str, text: str) -> dict:
    return {"op": op, "text": text}


def _word_diff(old: str, new: str, budget: DiffBudget) -> tuple[list[dict], list[dict]]:
    a, b = _TOKENS.findall(old), _TOKENS.findall(new)
    old_segs: list[dict] = []
    new_segs: list[dict] = []
    for tag, i1, i2, j1, j2 in diff_opcodes(a, b, budget):
        if tag == "equal":
            old_segs.append(_seg("equal", "".join(a[i1:i2])))
            new_segs.append(_seg("equal", "".join(b[j1:j2])))
            continue
        if i2 > i1:
            old_segs.append(_seg("removed", "".join(a[i1:i2])))
        if j2 > j1:
            new_segs.append(_seg("added", "".join(b[j1:j2])))
    return old_segs, new_segs


def _collapse(out: list[dict], context: int) -> list[dict]:
    near = set()
    for i, row in enumerate(out):
        if row["kind"] != "equal":
            near.update(range(i - context, i + context + 1))
    result: list[dict] = []
    for i, row in enumerate(out):
        if row["kind"] != "equal" or i in near:
            result.append(row)
        elif result and result[-1]["kind"] == "skip":
            result[-1]["count"] += 1
        else:
            result.append({"kind": "skip", "old": [], "new": [], "count": 1})
    return result


def quotable_items(db: sqlite_utils.Database, story_id: int, limit: int = 300) -> list[dict]:
    """A story's newest coverage that has stored text, with its latest revision id: what a quote can come from.

    Ordered along the (story_id, published_at) index, so only `limit` items are read; undated items come last.
    """
    return rows(
        db,
        """SELECT c.id, c.kind, c.canonical_url, c.outlet, c.title, c.published_at,
                  (SELECT max(r.id) FROM revisions r WHERE r.coverage_id = c.id) AS latest_revision_id
           FROM coverage c
           WHERE c.story_id = ? AND EXISTS (SELECT 1 FROM revisions r WHERE r.coverage_id = c.id)
           ORDER BY c.published_at DESC, c.id DESC LIMIT ?""",
        [story_id, limit],
    )


# Words of a coverage search that count, and characters of it read: a title's words, not a document.
FIND_WORDS, FIND_CHARS = 8, 200


def find_quotable(db: sqlite_utils.Database, story_id: int, typed: str, limit: int = 50) -> list[dict]:
    """The story's coverage with stored text whose title, outlet or address holds every word typed, newest first.

    What the new-claim form offers beyond its newest items: a story holds thousands, a select a hundred.
    Words match anywhere in a word, in any case for ASCII letters (SQLite's lower()), in any order.
    """
    words = list(dict.fromkeys(typed[:FIND_CHARS].lower().split()))[:FIND_WORDS]
    if not words:
        return []
    match = " AND ".join(
        "(instr(lower(coalesce(c.title, '') || ' ' || coalesce(c.outlet, '') || ' ' || c.canonical_url), ?) > 0)"
        for _ in words
    )
    return rows(
        db,
        f"""SELECT c.id, c.kind, c.canonical_url, c.outlet, c.title, c.published_at, c.published_offset,
                  (SELECT max(r.id) FROM revisions r WHERE r.coverage_id = c.id) AS latest_revision_id
           FROM coverage c
           WHERE c.story_id = ? AND {match} AND EXISTS (SELECT 1 FROM revisions r WHERE r.coverage_id = c.id)
           ORDER BY c.published_at DESC, c.id DESC LIMIT ?""",
        [story_id, *words, limit],
    )
