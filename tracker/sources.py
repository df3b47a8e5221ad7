"""Sources a story follows (feeds, pages, organisations' statement listings) and their health.

A reporter adds a source once; the scrape loop (tracker/scrape/) polls it
on a schedule, logs every fetch in `fetches`, and keeps on the source what a
newsroom needs to see at a glance: when it was last fetched, how that went,
how many times in a row it failed, how many items it brought, when it is
polled next. The editor's source pages are built on list_sources and
add_source; they return plain dicts.
"""

from __future__ import annotations

import ipaddress
import json
import re
from collections.abc import Callable
from typing import NamedTuple
from urllib.parse import quote, urlsplit, urlunsplit

import sqlite_utils

from scrapers.http.guard import CONTROL_CHARS
from scrapers.schedule import MAX_EVERY, MIN_EVERY
from scrapers.statements import link_pattern
from scrapers.timestamps import parse_time
from scrapers.urls import MAX_URL, canonical_url, is_http_url, without_credentials
from tracker import config
from tracker.coverage import find_item
from tracker.db import NotFound, TrackerError, now, one, refuse_control_chars, rows, shows_nothing, transaction
from tracker.stories import get_story_by_id
from tracker.vocab import FETCH_OUTCOMES, SOURCE_KINDS, SOURCE_STATES

REFUSED = "refused"  # a fetch outcome: the newsroom's own settings refuse the address, nothing was asked of the site
assert REFUSED in FETCH_OUTCOMES

MAX_PATTERN = 500
# An organisation's or outlet's name, as a post's network or an item's outlet is kept: it heads every alert
# about its statements and is published with them, so a paste of a page is refused rather than stored.
MAX_OUTLET = 200
# Whitespace other than control characters (a space, a no-break space pasted from a page): percent-encoded.
SPACES = re.compile(r"[^\S\x00-\x1f\x7f-\x9f]")
CONFIG_KEYS = {"pattern", "every", "statement"}


class SourceNotFound(NotFound):
    def __init__(self, source_id: int):
        super().__init__(f"No source with id {source_id}. `python -m tracker sources` lists them.")
        self.source_id = source_id


def add_source(
    db: sqlite_utils.Database,
    story_id: int,
    url: str,
    kind: str,
    outlet: str | None = None,
    config: dict | None = None,
) -> dict:
    """Add a source to a story and return it; it is due at once.

    kind: 'feed' (RSS, Atom, JSON Feed or a news sitemap), 'page' (one page watched for changes) or
    'statement' (an organisation's newsroom listing whose links are followed;
    its outlet is the organisation, and config['pattern'] a regular
    expression the statement links must match). config['statement'] true on a
    page: the page is one statement (an organisation's, its outlet), stored and
    told as a statement, not as an article. config['every'], seconds
    between two polls of this source (and the longest its young items wait
    for a re-check), overrides the watch loop's interval for it.
    """
    url = (url or "").strip()
    kind = (kind or "").strip().lower()
    if is_http_url(url):
        url = _spaces_encoded(without_credentials(url))
    # An outlet that shows nothing (zero-width characters alone, which split() keeps) is no outlet: it would head
    # every alert about the source's statements, and each published one, unreadable.
    outlet = None if shows_nothing(outlet) else " ".join(outlet.split())
    config = dict(config or {})
    if kind not in SOURCE_KINDS:
        raise TrackerError(f"Unknown source kind {kind!r}: use one of {', '.join(SOURCE_KINDS)}.", field="kind")
    if len(url) > MAX_URL:
        raise TrackerError(
            f"That address is {len(url):,} characters long; a web address is at most {MAX_URL:,}: "
            "give the feed's or page's own address.",
            field="url",
        )
    if not is_http_url(url):
        raise TrackerError(f"{url!r} is not a web address: give a full http:// or https:// URL.", field="url")
    try:
        _refuse_unfetchable(url)
    except TrackerError as e:
        raise TrackerError(str(e), field="url") from None
    try:
        refuse_control_chars("outlet", outlet)
    except TrackerError as e:
        raise TrackerError(str(e), field="outlet") from None
    if outlet and len(outlet) > MAX_OUTLET:
        raise TrackerError(
            f"The outlet is {len(outlet):,} characters long; a name is at most {MAX_OUTLET} characters: "
            "give the name alone.",
            field="outlet",
        )
    if kind == "statement" and not outlet:
        raise TrackerError(
            "A statement listing needs the organisation whose statements these are: give its name under "
            "Outlet or organisation.",
            field="outlet",
        )
    unknown = set(config) - CONFIG_KEYS
    if unknown:
        raise TrackerError(f"Unknown source setting(s): {', '.join(sorted(unknown))}.")
    every = config.get("every")
    if every in (None, ""):
        config.pop("every", None)
    elif isinstance(every, bool) or not isinstance(every, int | float) or not MIN_EVERY <= every <= MAX_EVERY:
        raise TrackerError(f"A source's poll interval must be {MIN_EVERY} seconds to a day, in seconds; got {every!r}.")
    pattern = config.get("pattern")
    if pattern in (None, ""):
        config.pop("pattern", None)
    else:
        try:
            _check_pattern(pattern)
        except TrackerError as e:
            raise TrackerError(str(e), field="pattern") from None
        if kind != "statement":
            raise TrackerError(
                "A statement link pattern only applies to statement listings: choose Statement listing as the "
                "kind, or leave the pattern empty.",
                field="pattern",
            )
    _check_statement_page(kind, config)
    story = get_story_by_id(db, story_id)
    with transaction(db):
        existing = source_with_url(db, story_id, url)
        if existing is not None:
            raise TrackerError(
                f"{url} is already a source of story {story['slug']!r} (source {existing['id']}).", field="url"
            )
        cur = db.execute(
            """INSERT INTO sources (story_id, kind, url, outlet, config, created_at)
               VALUES (?, ?, ?, ?, ?, ?)""",
            [story_id, kind, url, outlet, json.dumps(config, sort_keys=True), now()],
        )
    return get_source(db, cur.lastrowid)


def _spaces_encoded(url: str) -> str:
    """The URL with each space in its path, query or fragment percent-encoded, as browsers and the fetcher do.

    The fetcher requests /f3%20x for "/f3 x": stored as typed, the source list showed an address other than
    the one fetched, and the two spellings were taken for two sources. A space in the host is not a site's
    address at all (is_http_url refuses it); control characters are refused, not encoded (_refuse_unfetchable).
    """
    if not SPACES.search(url) or CONTROL_CHARS.search(url):  # urlsplit drops a line break: refused as it was typed
        return url
    parts = urlsplit(url)

    def encoded(text: str) -> str:
        return SPACES.sub(lambda m: quote(m.group()), text)

    return urlunsplit(
        parts._replace(path=encoded(parts.path), query=encoded(parts.query), fragment=encoded(parts.fragment))
    )


def _refuse_unfetchable(url: str) -> None:
    """Refuse an address the fetcher refuses every time: stored, it failed each poll as "not a valid web address"."""
    if CONTROL_CHARS.search(url):
        raise TrackerError(
            f"{url!r} has a control character (a line break or tab pasted with it?): give the address alone."
        )
    try:
        port = urlsplit(url).port
    except ValueError:
        port = 0
    if port == 0:
        raise TrackerError(f"{url!r} has no valid port: a port is a number from 1 to 65535.")


def refused_when_fetched(source: dict, settings: config.Settings | None = None) -> str | None:
    """Why the fetcher will refuse a source's address under these settings, said when the source is added.

    Only for a host written as an address or `localhost` (an intranet source, a newsroom trying the
    tracker on its own machine): a name is not looked up here, the fetcher checks every address it
    resolves to on each fetch anyway. Said, not refused: the scraper may run with other settings.
    `localhost` is looked up through the guard, within its bound: a silent name server is said nothing of.
    """
    from scrapers.http.guard import AddressGuard, AddressRefused, UnresolvableHost

    try:
        parts = urlsplit(source["url"])
        host, port = (parts.hostname or "").strip("[]"), parts.port or (443 if parts.scheme == "https" else 80)
        if host != "localhost":
            ipaddress.ip_address(host)  # a name is left to the fetcher
    except ValueError:
        return None
    settings = settings or config.settings()
    try:
        AddressGuard(settings.allow_private, settings.allowed_hosts, settings.host_map).resolve(host, port)
    except AddressRefused as e:
        return (
            f"it will be refused when fetched: {e}; add {e.host} to TRACKER_ALLOWED_HOSTS (or set "
            "TRACKER_ALLOW_PRIVATE=1) where the scraper runs, and its first pass under those settings fetches it."
        )
    except UnresolvableHost:
        pass
    return None


def fetch_mark(db: sqlite_utils.Database) -> int:
    """The last fetch logged so far (its id, 0 for none): asked_public_host looks at the fetches logged after it."""
    return db.execute("SELECT coalesce(max(id), 0) FROM fetches").fetchone()[0]


def asked_public_host(db: sqlite_utils.Database, after: int, settings: config.Settings) -> bool:
    """Did the fetches logged after the fetch_mark `after` ask a host outside the newsroom's own network and the demo's?

    Those are the sites that read the User-Agent's contact (config.placeholder_contact_note).
    A fetch our own settings refused, or one left for a later pass, asked nothing.
    """
    for (url,) in db.execute(
        "SELECT DISTINCT url FROM fetches WHERE id > ? AND outcome NOT IN (?, 'skipped')", [after, REFUSED]
    ):
        if _public_host(url, settings):
            return True
    return False


def _public_host(url: str, settings: config.Settings) -> bool:
    """A host on the public web: a global address, or a name other than localhost, a host TRACKER_ALLOWED_HOSTS lets
    through (the newsroom's own network) and the reserved names the live demo plays (.example, which
    config.demo_hosts holds every one of its names to)."""
    from scrapers.http.guard import normal_host

    try:
        host = normal_host(urlsplit(url).hostname or "")
    except ValueError:
        return False
    if not host or host in settings.allowed_hosts:
        return False
    if host == "localhost" or host.endswith((".localhost", config.DEMO_HOST_SUFFIX)):
        return False
    try:
        return ipaddress.ip_address(host).is_global
    except ValueError:
        return True


def _check_pattern(pattern: str) -> None:
    if not isinstance(pattern, str) or len(pattern) > MAX_PATTERN:
        raise TrackerError(f"The link pattern must be a regular expression of at most {MAX_PATTERN} characters.")
    try:
        link_pattern(pattern)
    except ValueError as e:
        # Shown as typed (a repr doubles every backslash); control characters, escaped, keep it one line.
        shown, why = (repr(pattern), "") if CONTROL_CHARS.search(pattern) else (f"“{pattern}”", f" ({e})")
        raise TrackerError(
            f"The link pattern {shown} is not a regular expression we can run safely{why}; "
            "backreferences and lookarounds are not supported."
        ) from None


def source_with_url(db: sqlite_utils.Database, story_id: int, url: str) -> dict | None:
    """The story's source at this address, or at one canonically the same (tracking parameters, AMP, ...)."""
    for existing in rows(db, "SELECT id, url FROM sources WHERE story_id = ?", [story_id]):
        if existing["url"] == url or _same_url(existing["url"], url):
            return existing
    return None


def _same_url(a: str, b: str) -> bool:
    try:
        return canonical_url(a) == canonical_url(b)
    except ValueError:
        return False


_HEALTH = """
    SELECT s.id, s.story_id, st.slug AS story_slug, s.kind, s.url, s.outlet, s.title, s.config, s.state,
           s.trust_validators, s.etag, s.last_modified, s.last_fetched_at, s.last_status, s.last_outcome,
           s.last_error, s.last_ok_at, s.failures, s.missing_count, s.poll_count, s.next_poll_at, s.created_at,
           (SELECT count(*) FROM coverage c WHERE c.source_id = s.id) AS items,
           (SELECT count(*) FROM fetches f WHERE f.source_id = s.id) AS fetch_count
    FROM sources s JOIN stories st ON st.id = s.story_id
"""


def source_config(source: dict) -> dict:
    """A source's settings (pattern, every), whether its row holds them as JSON text or already decoded."""
    value = source.get("config")
    if isinstance(value, dict):
        return value
    try:
        value = json.loads(value or "{}")
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def _check_statement_page(kind: str, config: dict) -> None:
    """config['statement'] kept only as true on a page: a listing's statements are statements already, and a feed's
    entries are coverage of every kind."""
    statement = config.pop("statement", None)
    if statement in (None, False, ""):
        return
    if statement is not True:
        raise TrackerError(f"A source's statement setting is true or false; got {statement!r}.")
    if kind != "page":  # in the editor form's words: `sources add` refuses --statement on another kind itself
        raise TrackerError(
            "Only a web page can be marked as an official statement (a statement listing's links are statements "
            "already): choose Web page as the kind, or untick Official statement.",
            field="statement",
        )
    config["statement"] = True


def watches_statement(source: dict) -> bool:
    """Is this source one organisation's statement watched as a page? Its item is then of kind statement."""
    return source["kind"] == "page" and source_config(source).get("statement") is True


def source_every(source: dict) -> float | None:
    """The source's own poll interval in seconds, or None when the watch loop's applies."""
    every = source_config(source).get("every")
    return float(every) if isinstance(every, int | float) and not isinstance(every, bool) and every > 0 else None


def _decoded(source: dict) -> dict:
    """The source with its config (stored as JSON text) as a dict; anything unreadable counts as no settings."""
    source["config"] = source_config(source)
    return source


def _with_watched_page(db: sqlite_utils.Database, source: dict) -> dict:
    """A page source's item counted under it even when another source found that item first.

    An item is filed under the first source that brought it (coverage.source_id): an article a feed
    linked before the newsroom watched it as a page stayed the feed's, and its page source said
    "items 0" beside "ok 200", which reads as a watched page that is broken. The page is the item at
    its canonical address, looked up as any item is (coverage.find_item: stored before cleaning, or
    under the other of http and https); `first_found_by` names the source it is filed under (None
    when that is this source, or it has none).
    """
    source["first_found_by"] = None
    if source["kind"] != "page":
        return source
    try:
        address = canonical_url(source["url"])
    except ValueError:
        return source
    item_id = find_item(db, source["story_id"], address)
    item = None if item_id is None else one(db, "SELECT source_id FROM coverage WHERE id = ?", [item_id])
    if item is not None and item["source_id"] != source["id"]:
        source["items"] += 1
        source["first_found_by"] = item["source_id"]
    return source


def get_source(db: sqlite_utils.Database, source_id: int) -> dict:
    """One source with its health figures, or SourceNotFound."""
    source = one(db, _HEALTH + " WHERE s.id = ?", [source_id])
    if source is None:
        raise SourceNotFound(source_id)
    return _with_watched_page(db, _decoded(source))


def list_sources(db: sqlite_utils.Database, story_id: int | None = None) -> list[dict]:
    """Sources with their health (last fetch, status, error, failures in a row, items, next poll).

    A page source's items include the page it watches, filed under the source that found it first.
    """
    if story_id is None:
        found = rows(db, _HEALTH + " ORDER BY st.slug, s.id")
    else:
        found = rows(db, _HEALTH + " WHERE s.story_id = ? ORDER BY s.id", [story_id])
    return [_with_watched_page(db, _decoded(s)) for s in found]


def already_in(source: dict, state: str) -> bool:
    """Would setting `state` change nothing? An active source is already resumed unless it is backing off after
    failures (resuming one polls it on the next pass, once what failed is fixed)."""
    return source["state"] == state and not (state == "active" and source["failures"])


def set_state(db: sqlite_utils.Database, source_id: int, state: str) -> dict:
    """Pause, resume ('active') or retire ('gone') a source; resuming makes it due at once.

    A source already in that state is left as it is (already_in): resuming a healthy active source
    made it due at once, throwing away its next poll time.
    """
    if state not in SOURCE_STATES:
        raise TrackerError(f"Unknown source state {state!r}: use one of {', '.join(SOURCE_STATES)}.")
    source = get_source(db, source_id)
    if already_in(source, state):
        return source
    with transaction(db):
        if state == "active":
            db.execute(
                "UPDATE sources SET state = 'active', next_poll_at = NULL, missing_count = 0, failures = 0 "
                "WHERE id = ?",
                [source_id],
            )
        else:
            db.execute("UPDATE sources SET state = ? WHERE id = ?", [state, source_id])
    return get_source(db, source_id)


def record_fetch(
    db: sqlite_utils.Database,
    source_id: int | None,
    url: str,
    *,
    outcome: str,
    status: int | None = None,
    size: int | None = None,
    ms: int | None = None,
    error: str | None = None,
    at: str | None = None,
) -> int:
    """Log one fetch (of a source or of one of its items); outcome is ok, not_modified, skipped or error."""
    if outcome not in FETCH_OUTCOMES:
        raise ValueError(f"unknown fetch outcome {outcome!r}")
    with transaction(db):
        cur = db.execute(
            """INSERT INTO fetches (source_id, url, at, status, outcome, bytes, ms, error)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?)""",
            [source_id, url, at or now(), status, outcome, size, ms, error],
        )
    return cur.lastrowid


class Due(NamedTuple):
    """The sources a pass polls now, and how many others are backing off after failures."""

    sources: list[dict]
    backing_off: int


def due_sources(
    db: sqlite_utils.Database,
    at: str,
    story_id: int | None = None,
    *,
    force: bool = False,
    allowed: Callable[[str], bool] | None = None,
) -> Due:
    """Active sources whose next poll time has come (or that were never polled), in the order they were added.

    force (`python -m tracker scrape`): healthy sources not yet due are
    polled too; a source backing off after failures still waits for its time.
    A source last polled later than `at` was scheduled on a clock since set
    back (NTP correcting one that ran fast): it is due now, once, and then
    scheduled on the right clock, rather than left unpolled for as long as
    the clock was ahead.
    allowed(url): whether this pass's settings let an address be fetched (Fetcher.allows). A source
    refused by the settings of an earlier pass is due as soon as they are changed to allow it: the
    newsroom's settings were at fault, not the site, and it waited for nothing.
    """
    where = "state = 'active'" + (" AND story_id = ?" if story_id is not None else "")
    params = [story_id] if story_id is not None else []
    active = [_decoded(s) for s in rows(db, f"SELECT * FROM sources WHERE {where} ORDER BY id", params)]
    due = [
        s
        for s in active
        if not s["next_poll_at"]
        or s["next_poll_at"] <= at
        or (s["last_fetched_at"] or "") > at
        or (force and not s["failures"])
        or (allowed is not None and s["last_outcome"] == REFUSED and allowed(s["url"]))
    ]
    backing_off = sum(1 for s in active if s["failures"] and s not in due)
    return Due(due, backing_off)


def recent_fetches(db: sqlite_utils.Database, source_id: int, limit: int = 20) -> list[dict]:
    """A source's latest fetches (its own and its items'), newest first."""
    return rows(
        db,
        "SELECT id, url, at, status, outcome, bytes, ms, error FROM fetches WHERE source_id = ? "
        "ORDER BY id DESC LIMIT ?",
        [source_id, limit],
    )


# A source is silent when nothing new came from it for SILENT_FACTOR times its usual gap between arrivals,
# and at least SILENT_MIN_SECONDS: a feed that brings a story every ten minutes and then nothing for two
# hours has probably stopped updating (or changed its address) while still answering 200.
SILENT_FACTOR = 4
SILENT_MIN_SECONDS = 3600
RHYTHM_SAMPLE = 20  # the latest arrivals the usual gap is measured on
RHYTHM_MIN = 4  # arrivals needed before a source has a rhythm at all


def silent_sources(db: sqlite_utils.Database, at: str, story_id: int | None = None) -> list[dict]:
    """Active, healthy sources whose latest new text is older than their usual rhythm allows.

    An arrival is a new revision of any item the source brought (a new
    article or statement, or a changed one). The usual gap is the median gap
    between the latest RHYTHM_SAMPLE arrivals. Each returned source carries
    `last_new_at` and `usual_gap` (seconds). A failing source is left to the
    failure alert.
    """
    now_at = parse_time(at)
    where = "s.state = 'active' AND s.failures = 0" + (" AND s.story_id = ?" if story_id is not None else "")
    found = []
    for source in rows(db, f"SELECT s.* FROM sources s WHERE {where}", [story_id] if story_id is not None else []):
        stamps = [
            parse_time(r[0])
            for r in db.execute(
                """SELECT r.fetched_at FROM coverage c JOIN revisions r ON r.coverage_id = c.id
                   WHERE c.source_id = ? ORDER BY r.id DESC LIMIT ?""",
                [source["id"], RHYTHM_SAMPLE + 1],
            )
        ]
        stamps = sorted(s for s in stamps if s is not None)
        if len(stamps) < RHYTHM_MIN or now_at is None:
            continue
        gaps = sorted((b - a).total_seconds() for a, b in zip(stamps, stamps[1:]))
        usual = gaps[len(gaps) // 2]
        quiet = (now_at - stamps[-1]).total_seconds()
        if quiet > max(SILENT_FACTOR * usual, SILENT_MIN_SECONDS):
            found.append(
                {**_decoded(source), "last_new_at": stamps[-1].strftime("%Y-%m-%dT%H:%M:%SZ"), "usual_gap": usual}
            )
    return found
