"""Finding claims at newsroom scale: the claims list's filters and keyset pages, search, counts, related claims.

Reads only; tracker/claims.py records claims, evidence and rulings. A page
of 50 out of 100,000 claims is an index range, not a sort: the list's sort
keys are the expressions migration 0004 indexes (REPORTED below).
"""

from __future__ import annotations

from datetime import date, timedelta

import sqlite_utils

from tracker import search
from tracker.db import TrackerError, rows, unknown_order
from tracker.search import snippet
from tracker.vocab import CLAIMANT_TYPES, STATUSES

# The list's date: when the claim was first reported, else when it was logged. The
# migration 0004 indexes use this exact expression, so keep the two in step.
REPORTED = "coalesce(c.first_reported_at, c.created_at)"
# sort name -> (SQL key, direction). "relevance" exists only with a search.
SORTS = {
    "newest": (REPORTED, "DESC"),
    "oldest": (REPORTED, "ASC"),
    "updated": ("c.updated_at", "DESC"),
    "claimant": ("c.claimant COLLATE NOCASE", "ASC"),
}
SEARCH_SORTS = ("relevance", *SORTS)
MAX_PAGE = 200
# Past this many matches a "best match" search lists the newest first instead (see find_claims).
RANK_BUDGET = 1000
DENSE_MATCHES = 1000
# A story's matches are counted up to this many; past it the count says "more than".
MATCHES_COUNTED = 10_000
# The offset (scrapers/timestamps.py utc_offset) of the page that first reported claim `c`, when its
# first_reported_at is that page's publication time (not words a later revision added, dated by our fetch):
# shown on that page's clock, the day it printed.
FIRST_REPORTED_OFFSET = """(SELECT cov.published_offset FROM evidence e JOIN revisions r ON r.id = e.revision_id
        JOIN coverage cov ON cov.id = r.coverage_id
        WHERE e.id = c.first_reported_evidence_id AND cov.published_at = c.first_reported_at)
    AS first_reported_offset"""
# What the editor's pages and the Publish lists say of a claim whose ruling predates its wording (ruled_wording_sql).
RULED_ON_EARLIER_WORDING = "Ruling made on earlier wording: rule again"
READERS_KEEP_RULED_WORDING = (
    "wording changed after its ruling; readers keep the ruled wording until an editor rules again"
)


def ruled_wording_sql(schema: str = "", scope: str = "") -> str:
    """Each claim whose latest ruling was made on other wording or attribution than it has now, with the wording
    ruled on: claim_id, ruling_id, ruled_at, text, claimant, claimant_type, and edit_mark (the last edit the ruling
    saw: the edits after it are the ones readers do not see yet).

    A verdict belongs to the words it was given on. claim_edits logs every change to a claim's public fields with
    the value it replaced (claims.update_claim, the only writer), and a ruling marks the last of them it saw
    (status_history.edit_mark): the first edit of each field after that mark holds the field as ruled on. A ruling
    made before the mark existed saw the edits up to its second. Wording edited and edited back is the ruled
    wording again. `schema` is "src." for the public build; `scope` is a condition on `x.claim_id`.
    """
    p = schema
    ruled = {
        field: f"""coalesce((SELECT e.old FROM {p}claim_edits e WHERE e.claim_id = l.claim_id AND e.field = '{field}'
                           AND e.id > l.mark ORDER BY e.id LIMIT 1), c.{field})"""
        for field in ("text", "claimant", "claimant_type")
    }
    return f"""SELECT * FROM (
        SELECT l.claim_id, l.ruling_id, l.ruled_at, l.mark AS edit_mark,
               {ruled["text"]} AS text, {ruled["claimant"]} AS claimant, {ruled["claimant_type"]} AS claimant_type,
               c.text AS now_text, c.claimant AS now_claimant, c.claimant_type AS now_claimant_type
        FROM (SELECT x.claim_id, h.id AS ruling_id, h.at AS ruled_at,
                     coalesce(h.edit_mark, (SELECT max(e.id) FROM {p}claim_edits e
                                            WHERE e.claim_id = h.claim_id AND e.at <= h.at), 0) AS mark
              FROM (SELECT DISTINCT claim_id FROM {p}claim_edits x {f"WHERE {scope}" if scope else ""}) x
              JOIN {p}status_history h
                ON h.id = (SELECT max(h2.id) FROM {p}status_history h2 WHERE h2.claim_id = x.claim_id)) l
        JOIN {p}claims c ON c.id = l.claim_id
        WHERE EXISTS (SELECT 1 FROM {p}claim_edits e WHERE e.claim_id = l.claim_id AND e.id > l.mark)
    ) WHERE text != now_text OR claimant != now_claimant OR claimant_type != now_claimant_type"""


_SUMMARY_COLUMNS = f"""c.id, c.story_id, c.text, c.claimant, c.claimant_type, c.status, c.status_changed_at,
       c.version, c.published, c.first_reported_at, c.first_reported_precision, c.created_at, c.updated_at,
       (SELECT count(*) FROM evidence e WHERE e.claim_id = c.id) AS evidence_count, {FIRST_REPORTED_OFFSET}"""


def parse_day(value: str | None, name: str, field: str | None = None) -> str | None:
    """'2026-11-24' -> itself; empty -> None; anything else is a clear error (about `field`, the form's)."""
    value = (value or "").strip()
    if not value:
        return None
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError:
        raise TrackerError(f"{name} must be a date like 2026-11-24, not {value[:40]!r}.", field=field) from None


def find_claims(
    db: sqlite_utils.Database,
    story_id: int,
    *,
    status: str | None = None,
    claimant_type: str | None = None,
    outlet: str | None = None,
    since: str | None = None,
    until: str | None = None,
    has_evidence: bool | None = None,
    q: str | None = None,
    sort: str | None = None,
    after: tuple | None = None,
    before: tuple | None = None,
    offset: int = 0,
    limit: int = 50,
) -> dict:
    """One page of a story's claims: {"claims", "next", "prev", "sort"}.

    "next"/"prev" are the arguments that fetch the neighbouring page
    ({"after": (key, id)}, {"before": (key, id)} or {"offset": n}), or None.

    Pages are keyset pages — `after`/`before` are the (key, id) of the last/first
    row seen — so page 2,000 costs what page 1 costs. A search (q) restricts to
    FTS matches, adds an escaped-later `snippet` with MARK_START/MARK_END
    around the matched words and the number of `matches` (the story's claims
    holding the words, before other filters; MATCHES_COUNTED + 1 means more);
    sorted by relevance it pages by offset, since bm25 ranks are computed
    for all matches anyway, and past RANK_BUDGET matches it sorts
    newest first instead ("sort" says which). since/until are inclusive days
    on the reported date. `offset` without a cursor starts a keyset page that
    many rows down (one row there names a page by number: its "next").
    """
    q = (q or "").strip()
    sort = sort or ("relevance" if q else "newest")
    if sort not in (SEARCH_SORTS if q else SORTS):
        raise TrackerError(unknown_order(sort, SEARCH_SORTS if q else SORTS, "sort"), field="sort")
    limit = max(1, min(int(limit), MAX_PAGE))
    where, params = _filters(story_id, status, claimant_type, outlet, since, until, has_evidence)
    params["limit"] = limit + 1
    if q:
        params["q"] = search.fts_query(q)
        if params["q"] == search.NOTHING:
            return {"claims": [], "next": None, "prev": None, "sort": sort, "matches": 0}
    matches = None
    if q:
        # Counting every story's matches is cheap (doclists only) and is what ranking and the plan cost:
        # bm25 scores every match before the story is known. Ranking thousands of them is neither cheap
        # nor useful.
        everywhere = db.execute("SELECT count(*) FROM claims_fts WHERE claims_fts MATCH ?", [params["q"]]).fetchone()[0]
        # What the reporter is told is this story's count, read up to MATCHES_COUNTED past its match.
        matches = db.execute(
            """SELECT count(*) FROM (SELECT 1 FROM claims_fts JOIN claims c ON c.id = claims_fts.rowid
                                     WHERE claims_fts MATCH :q AND c.story_id = :story_id LIMIT :cap)""",
            {"q": params["q"], "story_id": story_id, "cap": MATCHES_COUNTED + 1},
        ).fetchone()[0]
        if sort == "relevance" and everywhere > RANK_BUDGET:
            sort = "newest"
    if q and sort == "relevance":
        offset = max(0, int(offset))
        params["offset"] = offset
        found = rows(
            db,
            f"""SELECT {_SUMMARY_COLUMNS}
                FROM claims_fts JOIN claims c ON c.id = claims_fts.rowid
                WHERE claims_fts MATCH :q AND {" AND ".join(where)}
                ORDER BY claims_fts.rank, c.id LIMIT :limit OFFSET :offset""",
            params,
        )
        more = len(found) > limit
        found = found[:limit]
        for c in found:
            c["snippet"] = snippet(c["text"], q)
        return {
            "claims": found,
            "next": {"offset": offset + limit} if more else None,
            "prev": {"offset": max(0, offset - limit)} if offset else None,
            "sort": sort,
            "matches": matches,
        }
    if q:
        # Many matches: walk the sort index and test membership ("+" keeps the planner off the rowid
        # lookups), stopping after one page. Few matches: fetch them and sort those few.
        dense = "+" if everywhere > DENSE_MATCHES else ""
        where.append(f"{dense}c.id IN (SELECT rowid FROM claims_fts WHERE claims_fts MATCH :q)")
    key, direction = SORTS[sort]
    backwards = before is not None
    cursor = before if backwards else after
    # Walking backwards is the same index range in the opposite direction.
    forward_desc = direction == "DESC"
    desc = forward_desc != backwards
    if cursor is not None:
        cmp = "<" if desc else ">"
        where.append(f"{key} {cmp}= :key AND ({key} {cmp} :key OR c.id {cmp} :id)")
        params["key"], params["id"] = cursor[0], int(cursor[1])
    order = "DESC" if desc else "ASC"
    # An offset only from the top: the row at a page number's place (an old `?page=` link), whose "next" is then
    # the keyset link to that page.
    params["offset"] = max(0, int(offset)) if cursor is None else 0
    found = rows(
        db,
        f"""SELECT {_SUMMARY_COLUMNS}, {key} AS sort_key FROM claims c
            WHERE {" AND ".join(where)}
            ORDER BY {key} {order}, c.id {order} LIMIT :limit OFFSET :offset""",
        params,
    )
    more = len(found) > limit
    found = found[:limit]
    if backwards:
        found.reverse()
    for c in found if q else ():
        c["snippet"] = snippet(c["text"], q)
    first, last = (found[0], found[-1]) if found else (None, None)
    has_newer = (more if backwards else cursor is not None or params["offset"] > 0) and first is not None
    has_older = (cursor is not None if backwards else more) and last is not None
    return {
        "claims": found,
        "next": {"after": (last["sort_key"], last["id"])} if has_older else None,
        "prev": {"before": (first["sort_key"], first["id"])} if has_newer else None,
        "sort": sort,
        "matches": matches,
    }


def _filters(
    story_id: int,
    status: str | None,
    claimant_type: str | None,
    outlet: str | None,
    since: str | None,
    until: str | None,
    has_evidence: bool | None,
) -> tuple[list[str], dict]:
    """The claims list's filters as SQL conditions on `claims c` and their parameters; bad values are clear errors."""
    where = ["c.story_id = :story_id"]
    params: dict = {"story_id": story_id}
    if status:
        if status not in STATUSES:
            raise TrackerError(f"Unknown status {status!r}; choose one of: {', '.join(STATUSES)}.", field="status")
        where.append("c.status = :status")
        params["status"] = status
    if claimant_type:
        if claimant_type not in CLAIMANT_TYPES:
            raise TrackerError(
                f"Unknown claimant type {claimant_type!r}; choose one of: {', '.join(CLAIMANT_TYPES)}.",
                field="claimant_type",
            )
        where.append("c.claimant_type = :claimant_type")
        params["claimant_type"] = claimant_type
    if outlet:
        where.append(
            """EXISTS (SELECT 1 FROM evidence e JOIN revisions r ON r.id = e.revision_id
                       JOIN coverage v ON v.id = r.coverage_id WHERE e.claim_id = c.id AND v.outlet = :outlet)"""
        )
        params["outlet"] = outlet
    since, until = parse_day(since, "From", "since"), parse_day(until, "To", "until")
    if since and until and since > until:
        raise TrackerError("The date range ends before it starts; swap From and To.", field="until")
    if since:
        where.append(f"{REPORTED} >= :since")
        params["since"] = since
    if until and until != date.max.isoformat():  # the calendar's last day has no next day to stop before
        where.append(f"{REPORTED} < :until")
        params["until"] = (date.fromisoformat(until) + timedelta(days=1)).isoformat()
    if has_evidence is not None:
        where.append(("" if has_evidence else "NOT ") + "EXISTS (SELECT 1 FROM evidence e WHERE e.claim_id = c.id)")
    return where, params


def count_claims(
    db: sqlite_utils.Database,
    story_id: int,
    *,
    status: str | None = None,
    claimant_type: str | None = None,
    outlet: str | None = None,
    since: str | None = None,
    until: str | None = None,
    has_evidence: bool | None = None,
    q: str | None = None,
) -> int:
    """How many of a story's claims find_claims lists with the same filters and words, over all its pages."""
    where, params = _filters(story_id, status, claimant_type, outlet, since, until, has_evidence)
    if (q or "").strip():
        params["q"] = search.fts_query(q.strip())
        if params["q"] == search.NOTHING:
            return 0
        where.append("c.id IN (SELECT rowid FROM claims_fts WHERE claims_fts MATCH :q)")
    return db.execute(f"SELECT count(*) FROM claims c WHERE {' AND '.join(where)}", params).fetchone()[0]


def status_counts(db: sqlite_utils.Database, story_id: int) -> dict[str, int]:
    """Claims by status for one story, from the trigger-kept claim_counts table (migration 0004)."""
    counts = dict.fromkeys(STATUSES, 0)
    counts.update(db.execute("SELECT status, n FROM claim_counts WHERE story_id = ?", [story_id]))
    return counts


def outlets(db: sqlite_utils.Database, story_id: int) -> list[str]:
    """The outlets of a story's coverage, for the claims filter."""
    return [
        r[0]
        for r in db.execute(
            "SELECT DISTINCT outlet FROM coverage WHERE story_id = ? AND coalesce(outlet, '') != '' ORDER BY outlet",
            [story_id],
        )
    ]


_STOPWORDS = frozenset(
    """a an and are as at be been but by for from had has have he her his i in is it its of on or our she
    that the their there they this to was we were which who will with would said says not no also than
    then into over about after before more most such only other some what when where how all any can""".split()
)


def _terms(text: str) -> list[str]:
    """Words as the index holds them (search.index_words), minus stop words and numbers, each once."""
    words = search.index_words(text)
    return list(dict.fromkeys(w for w in words if w not in _STOPWORDS and len(w) > 2 and not w.isdigit()))


def related_claims(db: sqlite_utils.Database, claim: dict, limit: int = 5, budget: int = 150) -> list[dict]:
    """Other claims of the story that share the claim's key words, best match first.

    Long words say most about what a claim is about: claims with all three
    longest ones come first, newest first (they are all close; ranking them
    with bm25 would first read every document holding each word, 3 ms a page
    at 100,000 claims), then claims with any of the four longest, ranked by
    bm25 when they are at most `budget` (so each word is rare), else newest
    first. Counts stop at the budget.
    """
    words = sorted(_terms(f"{claim['text']} {claim.get('claimant') or ''}"), key=len, reverse=True)
    if not words:
        return []
    found: list[dict] = []
    for query, rank in (
        (" ".join(search.term(w) for w in words[:3]), False),
        (" OR ".join(search.term(w) for w in words[:4]), True),
    ):
        matches = db.execute(
            "SELECT count(*) FROM (SELECT 1 FROM claims_fts WHERE claims_fts MATCH ? LIMIT ?)", [query, budget + 1]
        ).fetchone()[0]
        if matches <= 1:
            continue
        order = "claims_fts.rank" if rank and matches <= budget else "claims_fts.rowid DESC"
        seen = [claim["id"], *(f["id"] for f in found)]
        found += rows(
            db,
            f"""SELECT c.id, c.text, c.claimant, c.claimant_type, c.status, c.published
                FROM claims_fts JOIN claims c ON c.id = claims_fts.rowid
                WHERE claims_fts MATCH ? AND c.story_id = ? AND c.id NOT IN ({", ".join("?" for _ in seen)})
                ORDER BY {order} LIMIT ?""",
            [query, claim["story_id"], *seen, limit - len(found)],
        )
        if len(found) >= limit:
            break
    return found
