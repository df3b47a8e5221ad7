"""Stories: the developing news a newsroom follows, and the keywords that decide what belongs."""

from __future__ import annotations

import difflib
import functools
import hashlib
import json
import re
import unicodedata

import sqlite_utils

from tracker.db import NotFound, TrackerError, now, one, refuse_control_chars, rows, shows_nothing, transaction

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


class StoryNotFound(NotFound):
    def __init__(self, slug: str, meant: str | None = None):
        self.slug, self.meant = slug, meant
        super().__init__(self.listed_by("`python -m tracker stories`"))

    def listed_by(self, where: str) -> str:
        """The line with the story meant by a mistyped slug, and `where` the stories are listed for whoever reads
        it: the command line's command, the API's GET /api/stories (a command on the server is not its caller's
        to run), the editor's Stories page."""
        guess = f"; did you mean {self.meant!r}?" if self.meant else "."
        return f"No story with slug {self.slug!r}{guess} {where} lists them."


# How alike a mistyped short name and a story's must be to name that story: a letter dropped, doubled or swapped
# in a name of ten letters or more (0.9) passes; "no-such-story" beside "test-story" (0.61) does not.
MEANT_CUTOFF = 0.75


def _story_meant(db: sqlite_utils.Database, slug: str) -> str | None:
    """The story whose short name is closest to a mistyped one (case aside), if one is close enough."""
    slugs = {r["slug"].casefold(): r["slug"] for r in rows(db, "SELECT slug FROM stories")}
    close = difflib.get_close_matches((slug or "").strip().casefold(), slugs, n=1, cutoff=MEANT_CUTOFF)
    return slugs[close[0]] if close else None


def split_keywords(text: str) -> list[str]:
    """'a, b ,,c' -> ['a', 'b', 'c']: keywords are typed as one comma-separated line; one that shows nothing (a
    pasted zero-width space) is left out as an empty one is, or an item would have to hold it to belong."""
    return [k.strip() for k in (text or "").split(",") if not shows_nothing(k)]


# Every page and feed shows them whole: a headline and a paragraph or two, not a document.
TITLE_MAX = 300
SLUG_MAX = 80  # the editor's form says so too; far longer, a story's address passes what servers take in a request line
DESCRIPTION_MAX = 2000
# Each keyword is a regular expression tried on every feed entry (matches_keywords): 20,000 of them took
# 2.4 s an entry. A story is followed with words and short phrases, a few dozen at most.
KEYWORDS_MAX = 100
KEYWORD_MAX = 100


# Letters NFKD does not take apart into a Latin letter and a mark.
_LATIN = str.maketrans({"ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "đ": "d", "ł": "l", "þ": "th", "ð": "d", "ı": "i"})
SUGGESTED_MAX = 60  # a suggested address stops at the last whole word within this


def slug_from(title: str) -> str:
    """A short name made from a title ("Hafenbehörde: Kräne?" -> "hafenbehorde-krane"), or "" when it has none.

    A reporter who leaves the short name empty gets the one most tools would
    suggest: accents dropped, words joined by hyphens, cut at a whole word.
    """
    text = unicodedata.normalize("NFKD", (title or "").casefold().translate(_LATIN))
    words = re.findall(r"[a-z0-9]+", text.encode("ascii", "ignore").decode())
    slug = ""
    for word in words:
        longer = f"{slug}-{word}" if slug else word
        if len(longer) > SUGGESTED_MAX:
            break
        slug = longer
    return slug or "-".join(words)[:SUGGESTED_MAX].strip("-")


def free_slug(db: sqlite_utils.Database, title: str, reserved: set[str] | frozenset[str] = frozenset()) -> str:
    """The short name suggested for a title, numbered ("-2", "-3") past the stories that have it already."""
    if not (title or "").strip():
        raise TrackerError("A story needs a title.", field="title")
    base = slug_from(title)
    if not base:
        raise TrackerError(
            "The title has no Latin letters or digits to make an address from: type a short name, e.g. harbour-cranes.",
            field="slug",
        )
    taken = {r["slug"] for r in rows(db, "SELECT slug FROM stories WHERE slug = ? OR slug LIKE ?", [base, f"{base}-%"])}
    taken |= set(reserved)
    slug, n = base, 1
    while slug in taken:
        n += 1
        slug = f"{base}-{n}"
    return slug


def create_story(
    db: sqlite_utils.Database,
    slug: str,
    title: str,
    description: str = "",
    keywords_include: str = "",
    keywords_exclude: str = "",
) -> dict:
    """Create a story; the slug is its stable public name in URLs."""
    slug = (slug or "").strip()
    if len(slug) > SLUG_MAX:
        raise TrackerError(
            f"A story's short name is at most {SLUG_MAX} characters (it is in every address); this one has "
            f"{len(slug):,}.",
            field="slug",
        )
    if not SLUG_RE.match(slug):
        usable = slug_from(slug)  # what the editor would make of it: "Brücke Köln" -> brucke-koln
        raise TrackerError(
            f"The short name {slug!r} cannot be used: write it in lowercase letters a-z, digits and single hyphens "
            "(e.g. amazon-ai-activity)" + (f"; try {usable!r}." if usable else "."),
            field="slug",
        )
    fields = _typed_fields(title, description, keywords_include, keywords_exclude)
    with transaction(db):
        if db.execute("SELECT 1 FROM stories WHERE slug = ?", [slug]).fetchone():
            raise TrackerError(f"A story with the short name {slug!r} already exists; choose another.", field="slug")
        db.execute(
            """INSERT INTO stories (slug, title, description, keywords_include, keywords_exclude, created_at)
               VALUES (?, ?, ?, ?, ?, ?)""",
            [slug, *fields, now()],
        )
    return get_story(db, slug)


class StaleStory(TrackerError):
    """Someone else saved the story after this form was opened; `current` is the story as it is now."""

    status_code = 409

    def __init__(self, current: dict):
        self.current = current
        super().__init__(
            "The story was changed by someone else after you opened this form. Their version is shown; "
            "save again to put yours over it."
        )


def story_seen(story: dict) -> str:
    """A digest of the fields the edit form shows, sent back with it: a form sends every field, so one
    opened before someone else's save would otherwise put back what they had changed."""
    fields = [story["title"], story["description"], story["keywords_include"], story["keywords_exclude"]]
    return hashlib.sha256(json.dumps(fields).encode()).hexdigest()[:32]


def update_story(
    db: sqlite_utils.Database,
    slug: str,
    *,
    title: str,
    description: str = "",
    keywords_include: str = "",
    keywords_exclude: str = "",
    seen: str | None = None,
) -> dict:
    """Change a story's title, description and keywords; the slug never changes, it is the public URL.

    New keywords decide what later ingests keep; coverage already kept stays.
    `seen` is story_seen() of the story the form showed (None: no check):
    StaleStory when it has changed since.
    """
    fields = _typed_fields(title, description, keywords_include, keywords_exclude)
    with transaction(db):
        story = get_story(db, slug)
        if seen is not None and seen != story_seen(story):
            raise StaleStory(story)
        db.execute(
            """UPDATE stories SET title = ?, description = ?, keywords_include = ?, keywords_exclude = ?
               WHERE id = ?""",
            [*fields, story["id"]],
        )
    return get_story(db, slug)


def _typed_fields(title: str, description: str, keywords_include: str, keywords_exclude: str) -> list[str]:
    """Title, description and both keyword lists as stored, for a new story or an edited one."""
    if shows_nothing(title):  # zero-width spaces alone pass strip(): a story listed with no title
        raise TrackerError("A story needs a title.", field="title")
    for field, what, text in (
        ("title", "title", title),
        ("description", "description", description),
        ("keywords_include", "keywords to include", keywords_include),
        ("keywords_exclude", "keywords to exclude", keywords_exclude),
    ):
        try:
            refuse_control_chars(f"story's {what}", text)
        except TrackerError as e:
            raise TrackerError(str(e), field=field) from None
    if any(c in title.strip() for c in "\r\n\v\f\x85\u2028\u2029"):  # a headline; `stories` lists one a line
        raise TrackerError("A story's title is one line: remove the line break from it.", field="title")
    for what, text, most in (("title", title, TITLE_MAX), ("description", description or "", DESCRIPTION_MAX)):
        if len(text.strip()) > most:
            raise TrackerError(
                f"A story's {what} is at most {most:,} characters; this one has {len(text.strip()):,}.", field=what
            )
    for field, what, text in (
        ("keywords_include", "keywords to include", keywords_include),
        ("keywords_exclude", "keywords to exclude", keywords_exclude),
    ):
        words = split_keywords(text)
        if len(words) > KEYWORDS_MAX:
            raise TrackerError(
                f"A story's {what} are at most {KEYWORDS_MAX}; this list has {len(words):,}.", field=field
            )
        long = next((w for w in words if len(w) > KEYWORD_MAX), None)
        if long is not None:
            raise TrackerError(
                f"A keyword is at most {KEYWORD_MAX} characters; “{long[:40]}…” has {len(long):,}.", field=field
            )
    # Keywords match in any case: a word in both lists keeps out every entry it would let in.
    kept = {w.casefold() for w in split_keywords(keywords_include)}
    both = next((w for w in split_keywords(keywords_exclude) if w.casefold() in kept), None)
    if both is not None:
        raise TrackerError(
            f"{both!r} is both a keyword to include and one to exclude: an entry with it would always be left "
            "out; keep it in one list.",
            field="keywords_exclude",
        )
    return [
        title.strip(),
        (description or "").strip(),
        ", ".join(split_keywords(keywords_include)),
        ", ".join(split_keywords(keywords_exclude)),
    ]


def get_story(db: sqlite_utils.Database, slug: str) -> dict:
    """The story with this slug, or StoryNotFound."""
    story = one(db, "SELECT * FROM stories WHERE slug = ?", [slug])
    if story is None:
        raise StoryNotFound(slug, _story_meant(db, slug))
    return story


def get_story_by_id(db: sqlite_utils.Database, story_id: int) -> dict:
    story = one(db, "SELECT * FROM stories WHERE id = ?", [story_id])
    if story is None:
        raise NotFound(f"No story with id {story_id}.")
    return story


def list_stories(db: sqlite_utils.Database) -> list[dict]:
    """Every story with its claim counts by status, newest story first."""
    return rows(
        db,
        """
        SELECT s.*,
               count(c.id) AS claims,
               sum(c.status = 'confirmed') AS confirmed,
               sum(c.status = 'denied') AS denied,
               sum(c.status = 'unclear') AS unclear,
               sum(c.status = 'unreviewed') AS unreviewed
        FROM stories s LEFT JOIN claims c ON c.story_id = s.id
        GROUP BY s.id ORDER BY s.created_at DESC, s.id DESC
        """,
    )


def matches_keywords(story: dict, text: str) -> bool:
    """Does this text belong to the story? No include keywords means everything belongs.

    Keywords match whole words, case-insensitively, plus plural and possessive
    endings: "AI" does not match "said", "toaster" matches "toasters" and "Amazon's".
    """
    haystack = text or ""
    include = split_keywords(story.get("keywords_include", ""))
    exclude = split_keywords(story.get("keywords_exclude", ""))
    if any(_keyword_re(k).search(haystack) for k in exclude):
        return False
    return not include or any(_keyword_re(k).search(haystack) for k in include)


@functools.lru_cache(maxsize=256)
def _keyword_re(keyword: str) -> re.Pattern:
    return re.compile(r"(?<!\w)" + re.escape(keyword) + r"(?:s|es|['’]s)?(?!\w)", re.IGNORECASE)


# Coverage a scrape pass fetched from the web; documents, posts and the newsroom's reporting are added by hand.
SCRAPED_KINDS = ("article", "statement")


def latest_changes(db: sqlite_utils.Database, story_id: int) -> dict:
    """What changed last in a story besides rulings (claims.recent_rulings has those): the claim logged last,
    the candidates waiting for triage, the coverage a scrape stored or revised last.

    An editor opening a story in the morning asks what came in since they last looked; each of these was a
    different page away (the claims list sorted by hand, the triage queue, the coverage list).
    """
    return {
        "claim": one(
            db,
            """SELECT c.id, c.text, c.created_at, u.username AS author
               FROM claims c LEFT JOIN users u ON u.id = c.created_by
               WHERE c.story_id = ? ORDER BY c.id DESC LIMIT 1""",
            [story_id],
        ),
        "waiting": one(
            db,
            # count and max(id) from the (story_id, state, id) index; then one row for the newest's time.
            """SELECT w.n AS count, (SELECT k.created_at FROM candidates k WHERE k.id = w.newest) AS newest_at
               FROM (SELECT count(*) AS n, max(id) AS newest FROM candidates
                     WHERE story_id = ? AND state = 'pending') w""",
            [story_id],
        ),
        "coverage": one(
            db,
            # Newest first on the coverage_story_changed index: a page stored or revised just now is on top.
            f"""SELECT c.id, c.title, c.outlet, c.canonical_url, c.revision_count,
                       coalesce(c.changed_at, c.first_seen_at) AS at
                FROM coverage c WHERE c.story_id = ? AND c.kind IN ({", ".join("?" for _ in SCRAPED_KINDS)})
                ORDER BY coalesce(c.changed_at, c.first_seen_at) DESC, c.id DESC LIMIT 1""",
            [story_id, *SCRAPED_KINDS],
        ),
    }


def latest_panel(db: sqlite_utils.Database, story_id: int, user_id: int) -> dict:
    """The Latest panel, as the editor's story page and the API's GET /stories/{slug}/latest both give it: the
    story's latest ruling (claims.recent_rulings), what changed last besides (latest_changes), what came in
    since this person last looked (`new`, new_since_kept_look: None the first time, or where no look is kept)
    and whether a look is kept here at all (`recorded`, keeps_looks)."""
    from tracker import claims  # claims needs this module (through checkworthy.store) as it loads

    seen = new_since_kept_look(db, user_id, story_id)
    return {
        "ruling": next(iter(claims.recent_rulings(db, story_id, 1)), None),
        **latest_changes(db, story_id),
        "new": None if seen is None else seen.get(story_id),
        "recorded": seen is not None,
    }


def latest_rulings(db: sqlite_utils.Database) -> dict[int, dict]:
    """Each story's latest status change by story id, in one query for the story list (not one per story)."""
    found = rows(
        db,
        """SELECT c.story_id, h.claim_id, h.from_status, h.to_status, h.is_correction, h.at, c.text AS claim_text
           FROM status_history h JOIN claims c ON c.id = h.claim_id
           WHERE h.id IN (SELECT max(h2.id) FROM status_history h2 JOIN claims c2 ON c2.id = h2.claim_id
                          GROUP BY c2.story_id)""",
    )
    return {r["story_id"]: r for r in found}


# The lists a story page marks as new since a person's last look, each by the largest id it had then (0057).
LOOK_MARKS = ("last_ruling", "last_claim", "last_candidate", "last_revision")
# The most ids of each of rulings, claims and revisions, newest first, that new_since_looked reads for a count.
NEW_COUNTED = 20_000
# The counts new_since_looked reads from those windows (candidates waiting are counted whole, on their index).
CAPPED = ("rulings", "claims", "coverage")


def look_mark(db: sqlite_utils.Database) -> dict:
    """Where each list stood as a story page is drawn: now, and the largest ruling, claim, candidate and revision id.

    Read before the page's own reads: a row stored while the page is drawn is then marked new again at the next
    look (shown twice, never passed over). Ids, not times: they only grow, and a revision is dated by its fetch,
    which may come before a look that it is stored after.
    """
    row = one(
        db,
        """SELECT (SELECT max(id) FROM status_history) AS last_ruling,
                  (SELECT max(id) FROM claims) AS last_claim,
                  (SELECT max(id) FROM candidates) AS last_candidate,
                  (SELECT max(id) FROM revisions) AS last_revision""",
    )
    return {"looked_at": now(), **{k: (row or {}).get(k) or 0 for k in LOOK_MARKS}}


def record_look(db: sqlite_utils.Database, user_id: int, story_id: int, mark: dict, *, wait: bool = True) -> None:
    """Keep `mark` (look_mark) as this person's last look at the story; a look drawn earlier (another tab's,
    finishing later) never takes the marks back. wait=False: SQLITE_BUSY after db.SHORT_WAIT_S while another writer
    holds the lock (transaction's wait), for a look that is dropped then rather than keep a page waiting."""
    with transaction(db, wait=wait):
        db.execute(
            f"""INSERT INTO story_looks (user_id, story_id, looked_at, {", ".join(LOOK_MARKS)})
                VALUES (?, ?, ?, {", ".join("?" for _ in LOOK_MARKS)})
                ON CONFLICT (user_id, story_id) DO UPDATE SET
                  looked_at = max(looked_at, excluded.looked_at),
                  {", ".join(f"{k} = max({k}, excluded.{k})" for k in LOOK_MARKS)}""",
            [user_id, story_id, mark["looked_at"], *(mark[k] for k in LOOK_MARKS)],
        )


def keeps_looks(db: sqlite_utils.Database) -> bool:
    """Can a look at a story be kept in this database? Not in one opened read-only (a copy on a read-only share,
    tracker.db.opens_read_only): its looks are as they were when it was copied."""
    return not getattr(db, "read_only", False)


def new_since_kept_look(db: sqlite_utils.Database, user_id: int, story_id: int | None = None) -> dict[int, dict] | None:
    """new_since_looked where a look can be kept (keeps_looks), else None: nothing is said of a last look.

    The one place the editor's pages and the API decide it. On a read-only file no look can move the last one
    kept, so "1 new since you last looked" would be said on every visit of what was read each time; the story
    page said nothing of a last look there while the API counted from it, on the same file at the same moment.
    """
    return new_since_looked(db, user_id, story_id) if keeps_looks(db) else None


def new_since_looked(
    db: sqlite_utils.Database, user_id: int, story_id: int | None = None, window: int | None = None
) -> dict[int, dict]:
    """What came into each story since this person last looked at its page, by story id, in one query (the story
    list's, not one per story): rulings, claims logged, candidates still waiting and scraped coverage stored or
    revised (each item once), with their `total` and `looked_at`. A story never looked at is not in it.

    Rulings, claims and revisions are each read once, as a range of ids from the earliest of the person's marks,
    and shared out by story (CROSS JOIN keeps SQLite on that range): counted per story, each story looked at
    read them all again. The range is at most the newest `window` ids of each (NEW_COUNTED): one story looked
    at once, months ago, made every later story list read every revision stored since (34 ms on 50,000,
    growing with them). A count whose mark is further back is named in the story's `capped`: it is of that
    window, and said as "at least" (the editor's changes_in_words). Candidates waiting are counted per story on
    their (story, state, id) index.
    """
    looks = "story_looks WHERE user_id = :user" + (" AND story_id = :story" if story_id is not None else "")
    kinds = ", ".join(f":kind{n}" for n in range(len(SCRAPED_KINDS)))
    found = rows(
        db,
        f"""WITH tops (t, floor) AS (
                SELECT 'r', coalesce((SELECT max(id) FROM status_history), 0) - :window
                UNION ALL SELECT 'c', coalesce((SELECT max(id) FROM claims), 0) - :window
                UNION ALL SELECT 'v', coalesce((SELECT max(id) FROM revisions), 0) - :window),
            rulings AS (
                SELECT c.story_id, count(*) AS n
                FROM status_history h CROSS JOIN claims c CROSS JOIN story_looks v
                WHERE h.id > max((SELECT min(last_ruling) FROM {looks}), (SELECT floor FROM tops WHERE t = 'r'))
                  AND c.id = h.claim_id
                  AND v.user_id = :user AND v.story_id = c.story_id AND h.id > v.last_ruling
                GROUP BY c.story_id),
            logged AS (
                SELECT c.story_id, count(*) AS n FROM claims c NOT INDEXED CROSS JOIN story_looks v
                WHERE c.id > max((SELECT min(last_claim) FROM {looks}), (SELECT floor FROM tops WHERE t = 'c'))
                  AND v.user_id = :user AND v.story_id = c.story_id AND c.id > v.last_claim
                GROUP BY c.story_id),
            stored AS (
                SELECT c.story_id, count(DISTINCT r.coverage_id) AS n
                FROM revisions r CROSS JOIN coverage c CROSS JOIN story_looks v
                WHERE r.id > max((SELECT min(last_revision) FROM {looks}), (SELECT floor FROM tops WHERE t = 'v'))
                  AND c.id = r.coverage_id
                  AND c.kind IN ({kinds}) AND v.user_id = :user AND v.story_id = c.story_id
                  AND r.id > v.last_revision
                GROUP BY c.story_id)
            SELECT v.story_id, v.looked_at,
                   coalesce((SELECT n FROM rulings WHERE rulings.story_id = v.story_id), 0) AS rulings,
                   coalesce((SELECT n FROM logged WHERE logged.story_id = v.story_id), 0) AS claims,
                   (SELECT count(*) FROM candidates k
                    WHERE k.story_id = v.story_id AND k.state = 'pending' AND k.id > v.last_candidate) AS candidates,
                   coalesce((SELECT n FROM stored WHERE stored.story_id = v.story_id), 0) AS coverage,
                   v.last_ruling < (SELECT floor FROM tops WHERE t = 'r') AS capped_rulings,
                   v.last_claim < (SELECT floor FROM tops WHERE t = 'c') AS capped_claims,
                   v.last_revision < (SELECT floor FROM tops WHERE t = 'v') AS capped_coverage
            FROM {looks.replace("story_looks", "story_looks v")}""",
        {
            "user": user_id,
            "story": story_id,
            "window": NEW_COUNTED if window is None else window,
            **{f"kind{n}": k for n, k in enumerate(SCRAPED_KINDS)},
        },
    )
    for r in found:
        r["total"] = r["rulings"] + r["claims"] + r["candidates"] + r["coverage"]
        r["capped"] = {kind for kind in CAPPED if r.pop(f"capped_{kind}")}
    return {r["story_id"]: r for r in found}
