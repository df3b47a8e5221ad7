"""The allow-list of the public build: every public table, its columns and the SELECT that fills them.

Nothing reaches public.db unless PUBLIC_TABLES names it (tracker/publish.py
builds, checks and swaps the file). Copying named columns is the only safe
way: Datasette's `hidden: true` only hides a table from listings, so private
data must never be in the public file at all. public_link and short_quote
are the SQL functions the selects call on every link and quote.
"""

from __future__ import annotations

import hashlib
import zlib
from dataclasses import dataclass, field
from urllib.parse import urlsplit, urlunsplit

from scrapers.urls import KEY_IN_PATH, link_key, without_share_ids
from tracker import photos
from tracker.captures import FILENAME_MAX
from tracker.charts.buckets import BUCKET_SQL, finest_counted
from tracker.claim_queries import ruled_wording_sql
from tracker.public_ids import EVENT_SOURCES, event_key, kept_ids, next_ids

# Terms a search index's build keeps in memory before writing them to the file (PublicTable.fts_sql).
FTS_BUILD_HASH_BYTES = 8 * 1024 * 1024


@dataclass(frozen=True)
class PublicTable:
    """One public table: each column with its declaration, and the SELECT that fills them in order.

    `select` reads the working database as `src.` (attached read-only) or
    public tables built before it as `main.`.
    """

    name: str
    columns: dict[str, str]
    select: str
    # Each a tuple of columns; "col DESC" for the order a table is read newest first (metadata.yml's sort_desc):
    # Datasette pages it `order by col desc, id`, which only a descending index gives without sorting the table.
    indexes: tuple[tuple[str, ...], ...] = ()
    # (columns, condition): an index over only the rows a query selects by that same condition.
    partial_indexes: tuple[tuple[tuple[str, ...], str], ...] = ()
    fts: tuple[str, ...] = ()
    # `{placeholder}` in select -> (source table, source column, alias): the
    # aliased column when the working database has it, else NULL.
    optional: dict[str, tuple[str, str, str]] = field(default_factory=dict)
    # Statements run just before the insert, e.g. TEMP tables the select reads (never in the public file).
    prepare: tuple[str, ...] = ()
    # A SQL expression saying whether `prepare` is needed at all: its statements are run only when it is true.
    prepare_if: str | None = None

    def create_sql(self) -> str:
        cols = ",\n    ".join(f"[{name}] {decl}" for name, decl in self.columns.items())
        return f"CREATE TABLE [{self.name}] (\n    {cols}\n)"

    def index_sql(self) -> list[str]:
        return [
            f"CREATE INDEX [{self.name}_{'_'.join(c.replace(' ', '_').lower() for c in index)}] "
            f"ON [{self.name}] ({', '.join(_indexed(c) for c in index)})"
            for index in self.indexes
        ] + [
            f"CREATE INDEX [{self.name}_{'_'.join(index)}_partial] ON [{self.name}] "
            f"({', '.join(f'[{c}]' for c in index)}) WHERE {condition}"
            for index, condition in self.partial_indexes
        ]

    def fts_sql(self) -> list[str]:
        """The search index over `fts`, filled once the table is: one 'rebuild' reads the table in rowid order
        (the same index as inserting every row, for less work), as a SQLite FTS5 external-content table.

        The rebuild holds FTS_BUILD_HASH_BYTES of terms in memory before it writes them out (FTS5's default is
        1 MB, so 300,000 quotes were written as hundreds of small segments, each merged again into larger ones).
        The setting is the build connection's only: its row is deleted before the file is committed, so the
        public file's search index carries FTS5's defaults, as one built row by row would."""
        if not self.fts:
            return []
        fts, columns = f'"{self.name}_fts"', ", ".join(f'"{c}"' for c in self.fts)
        return [
            f'CREATE VIRTUAL TABLE {fts} USING FTS5 (\n    {columns},\n    content="{self.name}"\n)',
            f"INSERT INTO {fts} ({fts}, rank) VALUES ('hashsize', {FTS_BUILD_HASH_BYTES})",
            f"INSERT INTO {fts} ({fts}) VALUES ('rebuild')",
            f"DELETE FROM \"{self.name}_fts_config\" WHERE k = 'hashsize'",
        ]

    def insert_sql(self, source_columns: dict[str, set[str]] | None = None) -> str:
        """The INSERT ... SELECT, with each optional column resolved against the working database."""
        select = self.select
        for placeholder, (table, column, alias) in self.optional.items():
            present = column in (source_columns or {}).get(table, set())
            select = select.replace("{" + placeholder + "}", f"{alias}.[{column}]" if present else "NULL")
        return f"INSERT INTO main.[{self.name}] ({', '.join(f'[{c}]' for c in self.columns)})\n{select}"


def _public_ids(kind: str) -> tuple[str, ...]:
    """The build's temp table `{kind}_public_ids` of each published row of `kind` with the id readers know it by
    (tracker/public_ids.py): the one it was given, or the next ones for the rows readers have not seen."""
    return (
        f"CREATE TEMP TABLE {kind}_public_ids (id INTEGER PRIMARY KEY, public_id INTEGER NOT NULL UNIQUE)",
        f"INSERT INTO temp.{kind}_public_ids {kept_ids(kind, 'src.')}",
        f"INSERT INTO temp.{kind}_public_ids {next_ids(kind, 'src.')}",
    )


# Whether an event readers were given an id for is missing from the build: fewer events kept their ids than ids were
# kept (an event given a kept id has one no higher than the highest kept). Two index counts, where looking for the
# missing ones looked up each of the 206,000 events at 100,000 claims.
EVENTS_WITHDRAWN = """((SELECT count(*) FROM src.public_ids WHERE kind = 'event')
    > (SELECT count(*) FROM temp.event_rows
       WHERE public_id <= (SELECT coalesce(max(public_id), 0) FROM src.public_ids WHERE kind = 'event')))"""

# Longest evidence quote we publish, in characters. Evidence should be a
# sentence or two; a reporter who pasted a whole paragraph (or an article)
# as the quote must not turn the public file into a copy of the article.
QUOTE_MAX = 300

# Run first, inside the build's read transaction: the evidence of published
# claims with the coverage item each quote comes from, in the build
# connection's temp schema (never in the public file). Both the coverage
# index and the evidence table start from it, so the revision each quote
# cites is looked up once (for its coverage id; its text is never selected).
PREPARE = (
    # Each published claim with the id readers know it by (tracker/public_ids.py): the one it was given, or for a
    # claim readers have not seen yet the next ones, in the order it was logged. Every public table names a
    # claim by this id, never by the working one, whose gaps count the claims the newsroom holds back.
    *_public_ids("claim"),
    # The newsroom's own reporting is cited only once an editor approved how it is attributed;
    # until then it is left out as if it did not exist (tracker/reporting.py): its evidence, and
    # a development's link to it (citable). `line` is all readers ever get of it (told_line).
    # From each piece of reporting to its coverage item (CROSS JOIN keeps that order): SQLite otherwise
    # read every coverage item for the few that are reporting.
    """CREATE TEMP TABLE approved_reporting AS
       SELECT cov.id, told_line(p.attribution, cov.outlet, p.at) AS line
       FROM src.reporting p CROSS JOIN src.coverage cov ON cov.id = p.coverage_id
       WHERE cov.kind = 'reporting' AND p.attribution_approved_by IS NOT NULL AND trim(p.attribution) != ''""",
    # The reporting and the documents among the coverage, found once through the working database's index of
    # those two kinds (migration 0054; the same condition, which lets SQLite use it): the checks below each read one
    # kind, and a pass over the working database's coverage apiece cost as much as the three checks.
    """CREATE TEMP TABLE reporting_and_documents (id INTEGER PRIMARY KEY, kind TEXT, title TEXT, canonical_url TEXT)""",
    """INSERT INTO temp.reporting_and_documents
       SELECT id, kind, title, canonical_url FROM src.coverage WHERE kind IN ('reporting', 'document')""",
    # The rest of the reporting, whose evidence is left out: found once, which cost less than looking up each
    # quote's coverage item for its kind (a third of a second at 300,000 quotes).
    """CREATE TEMP TABLE unapproved_reporting (id INTEGER PRIMARY KEY)""",
    """INSERT INTO temp.unapproved_reporting
       SELECT id FROM temp.reporting_and_documents
       WHERE kind = 'reporting' AND id NOT IN (SELECT id FROM temp.approved_reporting)""",
    # Keyed by the evidence id, with the id readers know each quote by (public_id: given as a claim's is, in
    # tracker/public_ids.py; the next ones, in the order the quotes were added, for those readers have not seen).
    """CREATE TEMP TABLE cited_evidence (
           id INTEGER PRIMARY KEY, public_id INTEGER, claim_id, coverage_id, quote, stance, page, seen_at,
           words_from)""",
    """INSERT INTO temp.cited_evidence
       SELECT e.id, p.public_id, m.public_id, r.coverage_id, e.quote, e.stance, e.page, r.fetched_at, e.words_from
       FROM src.evidence e
       JOIN temp.claim_public_ids m ON m.id = e.claim_id
       JOIN src.revisions r ON r.id = e.revision_id
       LEFT JOIN src.public_ids p ON p.kind = 'evidence' AND p.id = e.id
       WHERE r.coverage_id NOT IN (SELECT id FROM temp.unapproved_reporting)
       ORDER BY e.id""",
    """UPDATE temp.cited_evidence SET public_id = n.public_id
       FROM (SELECT id, (SELECT coalesce(max(public_id), 0) FROM src.public_ids WHERE kind = 'evidence')
                        + row_number() OVER (ORDER BY id) AS public_id
             FROM temp.cited_evidence WHERE public_id IS NULL) n
       WHERE n.id = cited_evidence.id""",
    """CREATE UNIQUE INDEX temp.cited_evidence_public_id ON cited_evidence (public_id)""",
    # A document with no title of its own is titled in the editor by the name it was uploaded or saved
    # under (tracker/documents.py), which the newsroom chose ("interview-jane-doe.pdf"): file names are
    # private, so such an item is published as UNTITLED (public_title). The title keeps more of a long
    # name than the capture does (FILENAME_MAX), so a capture's name cut there is matched as a prefix.
    f"""CREATE TEMP TABLE titled_by_file_name AS
       SELECT DISTINCT cov.id FROM temp.reporting_and_documents cov
       JOIN src.captures c ON c.coverage_id = cov.id
       WHERE cov.kind = 'document' AND c.how IN ('upload', 'file')
         AND (substr(c.filename, 1, 500) = cov.title
              OR (length(c.filename) = {FILENAME_MAX} AND substr(cov.title, 1, {FILENAME_MAX}) = c.filename))""",
    # So is one fetched from a link that carries a key (link_key) and titled by the file name in it: the link is
    # private, and so is the name of the file it opens (a presigned "…/complaint-jane-doe.pdf").
    """INSERT INTO temp.titled_by_file_name
       SELECT id FROM temp.reporting_and_documents
       WHERE kind = 'document' AND title = url_file_name(canonical_url) AND link_key(canonical_url) IS NOT NULL""",
)
# Each published claim's first report on the clock of the source that reported it (first_reported_local), where that
# is its time and known: the item its dating evidence quotes (claims.first_reported_evidence_id), with its offset.
# Found before the claims, keyed by the working claim: asked per claim, in the claims' order, each claim looked up
# its evidence, that quote's revision and the revision's item, the last two in no order of theirs (0.35 s of the
# claims' 0.45 s of CPU at 100,000 claims). The quotes of published claims already carry their item
# (cited_evidence), so those claims' items are read in the items' order; a dating quote that is not among them (the
# newsroom's reporting no editor approved) is looked up as before.
FIRST_REPORTED_LOCAL = (
    """CREATE TEMP TABLE first_reported_local (claim_id INTEGER PRIMARY KEY, local TEXT NOT NULL)""",
    # Stored in the items' order, so the next statement reads them in it.
    """CREATE TEMP TABLE first_report_items AS
       SELECT c.id AS claim_id, ce.coverage_id, c.first_reported_at
       FROM temp.claim_public_ids m CROSS JOIN src.claims c ON c.id = m.id
       CROSS JOIN temp.cited_evidence ce ON ce.id = c.first_reported_evidence_id
       ORDER BY ce.coverage_id""",
    """INSERT INTO temp.first_reported_local
       SELECT f.claim_id, local_time(cov.published_at, cov.published_offset)
       FROM temp.first_report_items f CROSS JOIN src.coverage cov ON cov.id = f.coverage_id
       WHERE cov.published_at = f.first_reported_at AND cov.published_offset IS NOT NULL
       ORDER BY f.claim_id""",
    """INSERT INTO temp.first_reported_local
       SELECT c.id, local_time(cov.published_at, cov.published_offset)
       FROM temp.claim_public_ids m CROSS JOIN src.claims c ON c.id = m.id
       CROSS JOIN src.evidence e ON e.id = c.first_reported_evidence_id
       CROSS JOIN src.revisions r ON r.id = e.revision_id
       CROSS JOIN src.coverage cov ON cov.id = r.coverage_id
       WHERE c.first_reported_evidence_id NOT IN (SELECT id FROM temp.cited_evidence)
         AND cov.published_at = c.first_reported_at AND cov.published_offset IS NOT NULL""",
)
UNTITLED = "Untitled document"


# The published claims whose latest ruling was made on earlier wording, with that wording (the edit history gives
# it exactly: claim_queries.ruled_wording_sql). Few or none, keyed by the working claim.
RULED_WORDING = (
    """CREATE TEMP TABLE ruled_wording
       (claim_id INTEGER PRIMARY KEY, text TEXT, claimant TEXT, claimant_type TEXT, edit_mark INTEGER)""",
    f"""INSERT INTO temp.ruled_wording SELECT claim_id, text, claimant, claimant_type, edit_mark
        FROM ({ruled_wording_sql("src.", "x.claim_id IN (SELECT id FROM temp.claim_public_ids)")})""",
)


def public_title(alias: str) -> str:
    """The SQL for the public title of coverage item `alias`: its own, UNTITLED for a file name, and for the
    newsroom's own reporting its approved public line (its own title, "Call, 2025-11-24", says how)."""
    return (
        f"CASE WHEN {alias}.kind = 'reporting' "
        f"THEN (SELECT a.line FROM temp.approved_reporting a WHERE a.id = {alias}.id) "
        f"WHEN {alias}.id IN (SELECT id FROM temp.titled_by_file_name) THEN '{UNTITLED}' ELSE {alias}.title END"
    )


def citable(alias: str) -> str:
    """The SQL condition that coverage item `alias` may be named publicly: not reporting nobody approved."""
    return f"({alias}.kind != 'reporting' OR {alias}.id IN (SELECT id FROM temp.approved_reporting))"


def plain_link(column: str) -> str:
    """The SQL condition under which a stored http(s) link is published as it is, without calling public_link:
    no credentials, no query (where a key would be) and none of the hosts whose sharing links are keys, in
    whatever case the link writes them (urlsplit lowers a host before link_key reads it; LIKE ignores the case
    of ASCII letters, which is all the hosts hold). Each character is looked for with instr, which reads the
    whole value (GLOB and LIKE stop at a NUL, which sends the link to public_link instead)."""
    characters = " AND ".join(f"instr({column}, {c}) = 0" for c in ("'@'", "'?'", "';'", "' '", "char(9)", "char(10)"))
    hosts = " ".join(f"AND {column} NOT LIKE '%{host}%'" for host, _, _ in KEY_IN_PATH)
    return (
        f"({column} GLOB 'https://[A-Za-z0-9]*' OR {column} GLOB 'http://[A-Za-z0-9]*') "
        f"AND instr({column}, char(0)) = 0 AND {characters} {hosts}"
    )


def public_outlet(alias: str) -> str:
    """The SQL for the public outlet of coverage item `alias`: a document's is its address's host, which for a link
    that carries a key (link_key) names the private bucket or storage account it opens, so it goes with the link."""
    return (
        f"CASE WHEN {alias}.kind = 'document' AND NOT ({plain_link(f'{alias}.canonical_url')}) "
        f"AND link_key({alias}.canonical_url) IS NOT NULL THEN NULL ELSE {alias}.outlet END"
    )


# The allow-list. Adding a column here publishes it; nothing else is copied.
# Private by construction (never named below): users, api_tokens, sources,
# fetches, candidates, revisions.text and revisions.diff (copied article
# bodies), coverage.byline and coverage.summary, coverage not cited by a
# published claim, reporting.identity, reporting.notes, reporting.how and an
# attribution no editor approved, captures.headers, captures.url and
# captures.filename, the bytes of any capture an editor did not publish,
# document_pages, posts.logged_by, claims.source_identity, claims.internal_notes,
# claims.created_by, unpublished claims, status_history.rationale (the
# internal one) and status_history.editor_id, evidence.added_by,
# stories.keywords_*. Links are published only when they are http(s) URLs,
# without any user:password part and carrying no key (`public_link`); quotes
# are cut to QUOTE_MAX characters (`short_quote`); an archived photo goes
# without its metadata (`public_copy`).
#
# `{name}` in a select is an optional source column (PublicTable.optional):
# copied when the working database has it, NULL until then.
PUBLIC_TABLES: dict[str, PublicTable] = {
    t.name: t
    for t in (
        PublicTable(
            "claims",
            {
                "id": "INTEGER PRIMARY KEY",
                "story": "TEXT NOT NULL REFERENCES stories(slug)",
                "text": "TEXT NOT NULL",
                "claimant": "TEXT NOT NULL",
                "claimant_type": "TEXT NOT NULL",
                "status": "TEXT NOT NULL",
                "status_changed_at": "TEXT",
                "status_rationale": "TEXT",
                "first_reported_at": "TEXT",
                "first_reported_precision": "TEXT",
                "independent_sources": "INTEGER",
                "outlets_repeating": "INTEGER",
                "first_reported_local": "TEXT",
            },
            # A claim logged without coverage has no report date; when the
            # newsroom logged it is the latest it can have been reported.
            # status_rationale is the public reason of the latest ruling, so
            # the claims table explains itself without a join.
            # A claim reworded after its latest ruling keeps the wording ruled on (RULED_WORDING) until an editor
            # rules again: readers never see a verdict beside words it was not given on.
            """SELECT m.public_id, s.slug, coalesce(w.text, c.text), coalesce(w.claimant, c.claimant),
                      coalesce(w.claimant_type, c.claimant_type), c.status, c.status_changed_at,
                      (SELECT h.public_rationale FROM src.status_history h
                       WHERE h.claim_id = c.id ORDER BY h.id DESC LIMIT 1),
                      coalesce(c.first_reported_at, c.created_at),
                      CASE WHEN c.first_reported_at IS NOT NULL THEN c.first_reported_precision END,
                      {independent_sources}, {outlets_repeating},
                      -- on the clock of the source that first reported it, when that is its time and known
                      (SELECT l.local FROM temp.first_reported_local l WHERE l.claim_id = c.id)
               FROM temp.claim_public_ids m JOIN src.claims c ON c.id = m.id JOIN src.stories s ON s.id = c.story_id
               LEFT JOIN temp.ruled_wording w ON w.claim_id = c.id
               ORDER BY m.public_id""",
            indexes=(
                # Holds what the story page's open claims sort on, so it picks its 100 without a claim's row; and
                # claimant_type, so the page its "All N open claims" link opens (claims?status__in=...&story=) counts
                # and facets from it alone (its claimant_type facet read every row: 283 ms at 42,000 open claims
                # under load, past the facets' time limit).
                ("story", "status", "status_changed_at", "first_reported_at", "claimant_type"),
                # That page's rows, newest reported first, read in order: it sorted every open claim of the story to
                # show 50 (96 ms at 42,000, 567 ms with _size=max, past the time limit; now 6 and 14 ms).
                ("story", "first_reported_at", "status"),
                ("status", "status_changed_at"),
                ("status", "first_reported_at"),
                # Every column claims_by_claimant reads, in the order it groups them (metadata.yml).
                ("claimant", "claimant_type", "story", "status", "first_reported_at", "first_reported_local"),
                ("first_reported_at DESC",),
                # Each default facet of a large table (metadata.yml) is counted from an index of its column.
                ("claimant_type",),
            ),
            fts=("text", "claimant"),
            # Counted by the echo / independent analysis (issue 4) once the
            # working database carries them; NULL ("not known yet") until then.
            optional={
                "independent_sources": ("claims", "independent_sources", "c"),
                "outlets_repeating": ("claims", "outlets_repeating", "c"),
            },
            prepare=(*FIRST_REPORTED_LOCAL, *RULED_WORDING),
        ),
        PublicTable(
            "coverage",
            {
                "id": "INTEGER PRIMARY KEY",
                "story": "TEXT NOT NULL REFERENCES stories(slug)",
                "kind": "TEXT NOT NULL",
                "outlet": "TEXT",
                "title": "TEXT",
                "url": "TEXT",
                "published_at": "TEXT",
                "published_precision": "TEXT",
                "revisions": "INTEGER NOT NULL",
                "last_revised_at": "TEXT",
                "claims": "INTEGER NOT NULL",
                "is_copy": "INTEGER NOT NULL",
                "first_seen_at": "TEXT",
                "published_local": "TEXT",
            },
            # Only coverage that a published claim cites: what the newsroom
            # monitors, and items ingested for claims it has not published,
            # are newsgathering, not publication (docs/public-site.md says why).
            # is_copy: 1 when an earlier item of the same cluster exists (wire copy,
            # syndication), so the public chart tells echoes from independent reports;
            # the earlier item itself is published only if a published claim cites it.
            f"""-- The newsroom's own reporting is one line, "[attribution] told [outlet] on DATE"
               -- (told_line), with no address and no revisions to count: never its notes or who.
               SELECT cited.public_id, s.slug, cov.kind,
                      {public_outlet("cov")},
                      CASE WHEN cov.kind = 'reporting' THEN told_line(p.attribution, cov.outlet, p.at)
                           ELSE {public_title("cov")} END,
                      -- Plain web links skip the Python check; anything else goes through public_link.
                      CASE WHEN cov.kind = 'reporting' THEN NULL
                           WHEN {plain_link("cov.canonical_url")}
                           THEN cov.canonical_url ELSE public_link(cov.canonical_url) END,
                      coalesce(cov.published_at, cov.first_seen_at),
                      -- 'day': the source gave only the date (scrapers/timestamps.py within_day)
                      CASE WHEN cov.published_at IS NOT NULL THEN cov.published_precision END,
                      -- revision_count: the item's revisions, kept by triggers (migration 0038)
                      CASE WHEN cov.kind = 'reporting' THEN 1 ELSE cov.revision_count END,
                      CASE WHEN cov.revision_count > 1 AND cov.kind != 'reporting'
                           THEN (SELECT max(r.fetched_at) FROM src.revisions r WHERE r.coverage_id = cov.id) END,
                      cited.claims,
                      cov.kind != 'statement' AND cov.cluster_id IS NOT NULL
                          AND cov.id != (SELECT o.original FROM temp.cluster_originals o
                                         WHERE o.cluster_id = cov.cluster_id),
                      CASE WHEN cov.kind = 'reporting' THEN p.at ELSE cov.first_seen_at END,
                      -- published_at on the source's own clock ('2026-12-07T23:30:00-05:00'), where known
                      CASE WHEN cov.published_offset IS NOT NULL
                           THEN local_time(cov.published_at, cov.published_offset) END
               FROM temp.cited JOIN src.coverage cov ON cov.id = cited.coverage_id
               JOIN src.stories s ON s.id = cov.story_id
               LEFT JOIN src.reporting p ON p.coverage_id = cov.id
               ORDER BY cited.public_id""",
            indexes=(("story", "published_at"), ("published_at DESC",), ("kind",), ("outlet",)),
            prepare=(
                # The cited items with their claims counted, keyed by id, with the id readers know each by
                # (public_id, given as the evidence's is: tracker/public_ids.py). Every public table names an item
                # by that id; the working one counts every item collected, cited or not. Their revisions are not
                # counted here: the item keeps its count (coverage.revision_count), which the select above reads.
                """CREATE TEMP TABLE cited (coverage_id INTEGER PRIMARY KEY, public_id INTEGER, claims)""",
                # The quotes by item and claim: the count below reads them in that order from this index, where
                # grouping them sorted every quote and counted each item's claims apart (0.09 s less CPU at
                # 300,000 quotes, the index's sort included).
                """CREATE INDEX temp.cited_evidence_item ON cited_evidence (coverage_id, claim_id)""",
                """INSERT INTO temp.cited
                   SELECT coverage_id,
                          (SELECT p.public_id FROM src.public_ids p WHERE p.kind = 'coverage' AND p.id = e.coverage_id),
                          count(DISTINCT claim_id)
                   FROM temp.cited_evidence e GROUP BY coverage_id""",
                """UPDATE temp.cited SET public_id = n.public_id
                   FROM (SELECT coverage_id, (SELECT coalesce(max(public_id), 0) FROM src.public_ids
                                              WHERE kind = 'coverage') + row_number() OVER (ORDER BY coverage_id)
                                             AS public_id
                         FROM temp.cited WHERE public_id IS NULL) n
                   WHERE n.coverage_id = cited.coverage_id""",
                """CREATE UNIQUE INDEX temp.cited_public_id ON cited (public_id)""",
                # Each cluster's original, its earliest item (as tracker/charts/data.py finds it for the editor):
                # one window over the clustered items. Asking every other member of the cluster, per item, grew
                # with the square of a cluster's size (one 5,000-item wire cluster cost a publish 2 s).
                """CREATE TEMP TABLE cluster_originals (cluster_id INTEGER PRIMARY KEY, original INTEGER NOT NULL)""",
                """INSERT INTO temp.cluster_originals
                   SELECT DISTINCT cluster_id, first_value(id) OVER (
                       PARTITION BY cluster_id ORDER BY coalesce(published_at, first_seen_at), id)
                   FROM src.coverage WHERE cluster_id IS NOT NULL""",
            ),
        ),
        PublicTable(
            "archived_copies",
            {
                "id": "INTEGER PRIMARY KEY",
                "coverage_id": "INTEGER NOT NULL REFERENCES coverage(id)",
                "received_at": "TEXT NOT NULL",
                "sha256": "TEXT NOT NULL",
                "size": "INTEGER NOT NULL",
                "media_type": "TEXT",
                "body": "BLOB NOT NULL",
                "metadata_removed": "INTEGER NOT NULL",
                "metadata_kept": "TEXT",
            },
            # An item as we received it, only where an editor chose to publish that copy
            # (tracker/captures.py set_published), of coverage a published claim cites, never of
            # the newsroom's own reporting. Datasette serves the body as a download
            # (/public/archived_copies/ID.blob?_blob_column=body), never as a page of this site.
            # A photo goes without its metadata (GPS position, camera serial, owner: tracker/photos.py), so its
            # SHA-256 and size are the public copy's; the one as received stays with the newsroom. A photo that
            # cannot be cleaned is left out.
            # metadata_removed: the copy is not the bytes as received (a PDF's photos are cleaned in place, so its
            # copy is as long as the file received). metadata_kept: what the copy itself still records, in words
            # (a document an editor confirmed: "a HEIC photo's"; tracker/documents.py metadata_kept), else NULL.
            # A file nothing can be cleaned of (signed, an encrypted PDF, one that could not be read) is published
            # only when the latest choice of its copy (archived_copy_choices) was to publish it as received:
            # public_copy() is NULL for it otherwise, and it is left out.
            """SELECT public_id, coverage_id, received_at, sha256_hex(body), length(body), media_type, body,
                      sha256_hex(body) != received_sha256, metadata_kept(body)
               FROM temp.public_copies ORDER BY public_id""",
            indexes=(("coverage_id",),),
            prepare=(
                """CREATE TEMP TABLE public_copies AS
                   SELECT k.id, p.public_id, ci.public_id AS coverage_id, k.received_at, k.media_type,
                          k.sha256 AS received_sha256, public_copy(inflate(b.body), coalesce((
                              SELECT c.as_received FROM src.archived_copy_choices c
                              WHERE c.capture_id = k.id ORDER BY c.id DESC LIMIT 1), 0)) AS body
                   FROM src.captures k JOIN src.capture_blobs b ON b.id = k.blob_id
                   JOIN temp.cited ci ON ci.coverage_id = k.coverage_id
                   JOIN main.coverage cov ON cov.id = ci.public_id AND cov.kind != 'reporting'
                   LEFT JOIN src.public_ids p ON p.kind = 'archived_copy' AND p.id = k.id
                   WHERE k.published = 1""",
                "DELETE FROM temp.public_copies WHERE body IS NULL",
                # The id readers know each copy by, given as the evidence's is (tracker/public_ids.py): a capture's
                # working id counts every page and file the newsroom keeps.
                """UPDATE temp.public_copies SET public_id = n.public_id
                   FROM (SELECT id, (SELECT coalesce(max(public_id), 0) FROM src.public_ids
                                     WHERE kind = 'archived_copy') + row_number() OVER (ORDER BY id) AS public_id
                         FROM temp.public_copies WHERE public_id IS NULL) n
                   WHERE n.id = public_copies.id""",
            ),
        ),
        PublicTable(
            "evidence",
            {
                "id": "INTEGER PRIMARY KEY",
                "claim_id": "INTEGER NOT NULL REFERENCES claims(id)",
                "coverage_id": "INTEGER NOT NULL REFERENCES coverage(id)",
                "quote": "TEXT NOT NULL",
                "stance": "TEXT NOT NULL",
                "outlet": "TEXT",
                "title": "TEXT",
                "url": "TEXT",
                "published_at": "TEXT",
                "published_precision": "TEXT",
                "coverage_kind": "TEXT NOT NULL",
                "page": "INTEGER",
                "seen_at": "TEXT",
                "archived_copy_id": "INTEGER",
                "published_local": "TEXT",
            },
            # The short quote only: revisions.text (the copied article body) stays private.
            # page: the document page the quote is on; seen_at: when we received the text quoted;
            # archived_copy_id: the copy an editor chose to publish (archived_copies, built before), looked up per
            # quote only when the file holds any copy (one read, not a lookup for each of 300,000 quotes: 0.1 s).
            f"""SELECT e.public_id, e.claim_id, ci.public_id,
                       CASE WHEN length(e.quote) <= {QUOTE_MAX} THEN e.quote ELSE short_quote(e.quote) END,
                       e.stance, cov.outlet, cov.title, cov.url, cov.published_at, cov.published_precision, cov.kind,
                       e.page, e.seen_at,
                       CASE WHEN (SELECT 1 FROM main.archived_copies LIMIT 1)
                            THEN (SELECT max(a.id) FROM main.archived_copies a WHERE a.coverage_id = ci.public_id) END,
                       cov.published_local
               FROM temp.cited_evidence e JOIN temp.cited ci ON ci.coverage_id = e.coverage_id
               JOIN main.coverage cov ON cov.id = ci.public_id
               ORDER BY e.public_id""",
            indexes=(("claim_id",), ("coverage_id",), ("stance",)),
            fts=("quote", "title", "outlet"),
        ),
        PublicTable(
            "status_history",
            {
                "id": "INTEGER PRIMARY KEY",
                "claim_id": "INTEGER NOT NULL REFERENCES claims(id)",
                "at": "TEXT NOT NULL",
                "from_status": "TEXT NOT NULL",
                "to_status": "TEXT NOT NULL",
                "public_rationale": "TEXT NOT NULL",
                "is_correction": "INTEGER NOT NULL",
            },
            """SELECT r.public_id, m.public_id, h.at, h.from_status, h.to_status, h.public_rationale, h.is_correction
               FROM temp.ruling_public_ids r JOIN src.status_history h ON h.id = r.id
               JOIN temp.claim_public_ids m ON m.id = h.claim_id
               ORDER BY r.public_id""",
            # Each ruling of a published claim with the id readers know it by (tracker/public_ids.py), given as the
            # claims' are: the working ids count the rulings on claims the newsroom holds back.
            prepare=_public_ids("ruling"),
            indexes=(("claim_id",), ("at",), ("at DESC",), ("to_status",), ("is_correction",)),
        ),
        PublicTable(
            "events",
            {
                "id": "INTEGER PRIMARY KEY",
                "story": "TEXT NOT NULL REFERENCES stories(slug)",
                "date": "TEXT",
                "date_precision": "TEXT",
                "kind": "TEXT NOT NULL",
                "claim_id": "INTEGER NOT NULL REFERENCES claims(id)",
                "claim": "TEXT NOT NULL",
                "claimant": "TEXT NOT NULL",
                "status": "TEXT NOT NULL",
                "from_status": "TEXT",
                "to_status": "TEXT",
                "source_url": "TEXT",
                "outlet": "TEXT",
                "detail": "TEXT",
                "coverage_id": "INTEGER REFERENCES coverage(id)",
                "claim_ids": "TEXT NOT NULL",
                "position": "INTEGER NOT NULL UNIQUE",
                "date_local": "TEXT",
            },
            # Built from the public tables above (temp.event_rows, below); what is read from src is when
            # each later revision of a cited statement was fetched (its date, never its text) and which
            # evidence dates each claim's first report. An event's id is the one readers know it by, given as
            # a claim's is (tracker/public_ids.py): an earlier event added later takes the next id and moves
            # no other. `position` is its place in time order (date, then the kind's order, claim, the
            # ruling's or evidence's id, the statement), numbered afresh by each publish: "newest first" is
            # `ORDER BY position DESC`. A statement's revision is one event, whatever the number of claims
            # citing it: claim_id is the first of them, claim_ids ("3,7,9") every one; every other event
            # bears on its claim_id alone.
            """SELECT public_id, story, date, precision, kind, claim_id, claim, claimant, status,
                      from_status, to_status, source_url, outlet, detail, coverage_id, claim_ids, position, local
               FROM temp.event_rows ORDER BY public_id""",
            indexes=(("date DESC",), ("story", "date"), ("story", "position"), ("claim_id",), ("kind",)),
            # A claim's events (the claim_events query) include the revisions of every statement it cites,
            # found by the statement; only those few rows need that index.
            partial_indexes=((("coverage_id",), "kind = 'statement_changed'"),),
            prepare=(
                # Where each claim was first reported: the evidence that set its first_reported_at
                # (tracker/claims.py add_evidence), so the outlet credited and the date agree. None when no
                # published evidence did (a date given when the claim was logged, our unapproved reporting).
                # Used three times below, so found once, keyed by claim.
                """CREATE TEMP TABLE first_source (
                       claim_id INTEGER PRIMARY KEY, url TEXT, outlet TEXT, quote TEXT, coverage_id INTEGER)""",
                """INSERT INTO temp.first_source
                   SELECT m.public_id, e.url, e.outlet, e.quote, e.coverage_id
                   FROM temp.claim_public_ids m JOIN src.claims c ON c.id = m.id
                   JOIN temp.cited_evidence ce ON ce.id = c.first_reported_evidence_id
                   JOIN main.evidence e ON e.id = ce.public_id AND e.claim_id = m.public_id
                   ORDER BY m.public_id""",
                # Each revised statement's published claims, in id order: its revisions are one event each.
                """CREATE TEMP TABLE statement_claims (coverage_id INTEGER PRIMARY KEY, claim_id, claim_ids)""",
                """INSERT INTO temp.statement_claims
                   SELECT coverage_id, min(claim_id), group_concat(claim_id, ',')
                   FROM (SELECT DISTINCT e.coverage_id, e.claim_id FROM main.evidence e
                         JOIN main.coverage cov ON cov.id = e.coverage_id
                         WHERE cov.kind = 'statement' AND cov.revisions > 1
                         ORDER BY e.coverage_id, e.claim_id)
                   GROUP BY coverage_id""",
                # Every event in time order (its position), with its key in public_ids (event_key: the working
                # row it records) and the id readers know it by: the one kept, looked up as the row is made (an
                # UPDATE after it rewrote 206,000 wide rows at 100,000 claims), or for new ones filled in below.
                # Each key is one working row's, so no two events share it; its index is made only where it is
                # looked up (withdrawn_events), and a key given twice could not be kept (public_ids).
                """CREATE TEMP TABLE event_rows (
                       position INTEGER PRIMARY KEY, key INTEGER NOT NULL, public_id INTEGER UNIQUE,
                       story, date, precision, kind, claim_id, claim, claimant, status, from_status, to_status,
                       source_url, outlet, detail, coverage_id, claim_ids, seq, ref, local)""",
                f"""WITH statements AS (
                       SELECT id, working, claim_id, url, outlet, quote, published_at, precision, local, coverage_id
                       FROM (
                           SELECT e.id, ce.id AS working, e.claim_id, e.url, e.outlet, e.quote, e.coverage_id,
                                  -- words an edit added date from that edit, not from the statement's issue
                                  coalesce(ce.words_from, e.published_at) AS published_at,
                                  CASE WHEN ce.words_from IS NULL THEN e.published_precision END AS precision,
                                  CASE WHEN ce.words_from IS NULL THEN e.published_local END AS local,
                                  row_number() OVER (PARTITION BY e.claim_id, e.coverage_id ORDER BY e.id) AS n
                           FROM main.evidence e JOIN temp.cited_evidence ce ON ce.public_id = e.id
                           WHERE e.coverage_kind = 'statement')
                       WHERE n = 1
                   ),
                   statement_revisions AS (
                       SELECT coverage_id, id, fetched_at, n FROM (
                           SELECT ci.public_id AS coverage_id, r.id, r.fetched_at,
                                  row_number() OVER (PARTITION BY r.coverage_id ORDER BY r.id) AS n
                           FROM main.coverage cov JOIN temp.cited ci ON ci.public_id = cov.id
                           JOIN src.revisions r ON r.coverage_id = ci.coverage_id
                           WHERE cov.kind = 'statement' AND cov.revisions > 1)
                       WHERE n > 1
                   )
                   INSERT INTO temp.event_rows (key, public_id, story, date, precision, kind, claim_id, claim,
                                                claimant, status, from_status, to_status, source_url, outlet, detail,
                                                coverage_id, claim_ids, seq, ref, local)
                   SELECT key, (SELECT p.public_id FROM src.public_ids p WHERE p.kind = 'event' AND p.id = key),
                          story, date, precision, kind, claim_id, claim, claimant, status,
                          from_status, to_status, source_url, outlet, detail, coverage_id,
                          coalesce(claim_ids, claim_id), seq, ref, local
                   FROM (
                       SELECT {event_key("claim", "m.id")} AS key,
                              c.story, c.first_reported_at AS date, c.first_reported_precision AS precision,
                              'first_reported' AS kind, 1 AS seq,
                              c.id AS claim_id, c.text AS claim, c.claimant, c.status,
                              NULL AS from_status, NULL AS to_status,
                              f.url AS source_url, f.outlet, f.quote AS detail, f.coverage_id, 0 AS ref,
                              NULL AS claim_ids, c.first_reported_local AS local
                       FROM main.claims c JOIN temp.claim_public_ids m ON m.public_id = c.id
                       LEFT JOIN temp.first_source f ON f.claim_id = c.id
                       UNION ALL
                       SELECT {event_key("evidence", "s.working")}, c.story, s.published_at, s.precision, 'statement',
                              2, c.id, c.text, c.claimant, c.status, NULL, NULL, s.url, s.outlet, s.quote,
                              s.coverage_id, s.id, NULL, s.local
                       FROM statements s JOIN main.claims c ON c.id = s.claim_id
                       LEFT JOIN temp.first_source f ON f.claim_id = s.claim_id
                       WHERE f.coverage_id IS NOT s.coverage_id  -- already shown as where the claim was first reported
                       UNION ALL
                       SELECT {event_key("revision", "r.id")}, c.story, r.fetched_at, NULL, 'statement_changed', 3,
                              c.id, c.text, c.claimant, c.status, NULL, NULL, cov.url, cov.outlet,
                              'The statement was revised (version ' || r.n || ' of ' || cov.revisions || ').',
                              cov.id, r.n, sc.claim_ids, NULL
                       FROM statement_revisions r
                       JOIN main.coverage cov ON cov.id = r.coverage_id
                       JOIN temp.statement_claims sc ON sc.coverage_id = r.coverage_id
                       JOIN main.claims c ON c.id = sc.claim_id
                       UNION ALL
                       SELECT {event_key("ruling", "rp.id")}, c.story, h.at, NULL,
                              CASE WHEN h.is_correction THEN 'correction' ELSE 'status_changed' END, 4,
                              c.id, c.text, c.claimant, c.status, h.from_status, h.to_status,
                              f.url, f.outlet, h.public_rationale, f.coverage_id, h.id, NULL, NULL
                       FROM main.status_history h JOIN temp.ruling_public_ids rp ON rp.public_id = h.id
                       JOIN main.claims c ON c.id = h.claim_id
                       LEFT JOIN temp.first_source f ON f.claim_id = c.id
                   )
                   ORDER BY date, seq, claim_id, ref, coverage_id""",
                # The events readers have not seen take the next ids, in time order: on the first publish after
                # migration 0040, the ids that publish would have given every event.
                """UPDATE temp.event_rows SET public_id = n.public_id
                   FROM (SELECT position, (SELECT coalesce(max(public_id), 0) FROM src.public_ids
                                           WHERE kind = 'event') + row_number() OVER (ORDER BY position) AS public_id
                         FROM temp.event_rows WHERE public_id IS NULL) n
                   WHERE n.position = event_rows.position""",
            ),
        ),
        PublicTable(
            "withdrawn_events",
            {"id": "INTEGER PRIMARY KEY", "older": "INTEGER NOT NULL"},
            # Each event readers were given an id for and no longer see, with `older`: the position of the newest
            # event older than it in time (0: none). The timeline's before= lists the events up to that one for a
            # withdrawn event, so a reader's "Older events" link from it shows exactly the events before it in
            # time: ids follow the order events were first published, so the event with the next lower id could
            # be anywhere in time. Its place is read from the working row it records (event_key) as the events
            # table reads it: a claim's first report, a statement's words (from an edit that added them), a
            # statement's revision, a ruling.
            f"""WITH gone AS (
                    SELECT p.public_id AS id, p.id / {len(EVENT_SOURCES)} AS working,
                           p.id % {len(EVENT_SOURCES)} AS source
                    FROM src.public_ids p
                    -- Looked for only when some are (EVENTS_WITHDRAWN); else the kind is NULL and no row is read.
                    WHERE p.kind = (SELECT 'event' WHERE {EVENTS_WITHDRAWN})
                      AND NOT EXISTS (SELECT 1 FROM temp.event_rows r WHERE r.key = p.id)
                      -- kept by a publish whose file never reached readers (public_ids.seen): they never saw it
                      AND NOT EXISTS (SELECT 1 FROM src.public_ids_unseen u WHERE u.kind = 'event' AND u.id = p.id)),
                placed AS (
                    SELECT g.id, g.source + 1 AS seq,
                           CASE g.source
                               WHEN 0 THEN (SELECT coalesce(c.first_reported_at, c.created_at) FROM src.claims c
                                            WHERE c.id = g.working)
                               WHEN 1 THEN (SELECT coalesce(e.words_from, cov.published_at, cov.first_seen_at)
                                            FROM src.evidence e JOIN src.revisions r ON r.id = e.revision_id
                                            JOIN src.coverage cov ON cov.id = r.coverage_id WHERE e.id = g.working)
                               WHEN 2 THEN (SELECT r.fetched_at FROM src.revisions r WHERE r.id = g.working)
                               ELSE (SELECT h.at FROM src.status_history h WHERE h.id = g.working)
                           END AS date,
                           (SELECT c.public_id FROM src.public_ids c WHERE c.kind = 'claim' AND c.id = CASE g.source
                                WHEN 0 THEN g.working
                                WHEN 1 THEN (SELECT e.claim_id FROM src.evidence e WHERE e.id = g.working)
                                WHEN 3 THEN (SELECT h.claim_id FROM src.status_history h WHERE h.id = g.working)
                            END) AS claim_id,
                           CASE g.source
                               WHEN 0 THEN 0
                               WHEN 1 THEN (SELECT x.public_id FROM src.public_ids x
                                            WHERE x.kind = 'evidence' AND x.id = g.working)
                               WHEN 3 THEN (SELECT x.public_id FROM src.public_ids x
                                            WHERE x.kind = 'ruling' AND x.id = g.working)
                           END AS ref
                    FROM gone g)
                SELECT id, coalesce((SELECT r.position FROM temp.event_rows r
                                     WHERE (r.date, r.seq, r.claim_id, r.ref) < (p.date, p.seq, p.claim_id, p.ref)
                                     ORDER BY r.date DESC, r.seq DESC, r.claim_id DESC, r.ref DESC LIMIT 1), 0)
                FROM placed p ORDER BY id""",
            # Time order's key, to place each withdrawn event, and the key each is looked for by among the events:
            # made only when some were (0.1 s and 0.14 s of CPU at 100,000 claims).
            prepare=(
                "CREATE INDEX temp.event_rows_order ON event_rows (date, seq, claim_id, ref)",
                "CREATE UNIQUE INDEX temp.event_rows_key ON event_rows (key)",
            ),
            prepare_if=EVENTS_WITHDRAWN,
        ),
        PublicTable(
            "withdrawn_claims",
            {"id": "INTEGER PRIMARY KEY"},
            # Each claim readers were given an id for and no longer see: its address (/public/claims/ID) then says
            # the claim was withdrawn (410), not that nothing is there. Readers saw it go; it names nothing else.
            # An id a publish kept whose file never reached readers (public_ids_unseen) is not listed: readers never
            # saw that claim, so nothing was withdrawn from them.
            """SELECT p.public_id FROM src.public_ids p
               WHERE p.kind = 'claim'
                 AND NOT EXISTS (SELECT 1 FROM temp.claim_public_ids m WHERE m.public_id = p.public_id)
                 AND NOT EXISTS (SELECT 1 FROM src.public_ids_unseen u WHERE u.kind = 'claim' AND u.id = p.id)
               ORDER BY p.public_id""",
        ),
        PublicTable(
            "stories",
            {
                "slug": "TEXT PRIMARY KEY",
                "title": "TEXT NOT NULL",
                "description": "TEXT NOT NULL DEFAULT ''",
                "claims": "INTEGER NOT NULL",
                "confirmed": "INTEGER NOT NULL",
                "denied": "INTEGER NOT NULL",
                "unclear": "INTEGER NOT NULL",
                "unreviewed": "INTEGER NOT NULL",
                "last_event_at": "TEXT",
            },
            # Built last, from the public tables: a story appears once it has
            # a published claim (a story still being prepared is not announced
            # by an empty page), with its claims counted by status and the
            # date of its latest event, so no page has to count them.
            """WITH counts AS (
                   SELECT story, count(*) AS claims,
                          sum(status = 'confirmed') AS confirmed, sum(status = 'denied') AS denied,
                          sum(status = 'unclear') AS unclear, sum(status = 'unreviewed') AS unreviewed
                   FROM main.claims GROUP BY story
               )
               SELECT s.slug, s.title, s.description, n.claims, n.confirmed, n.denied, n.unclear, n.unreviewed,
                      -- the date alone when the latest event's source gave only its day
                      (SELECT CASE WHEN e.date_precision = 'day' THEN substr(e.date, 1, 10) ELSE e.date END
                       FROM main.events e WHERE e.story = s.slug ORDER BY e.position DESC LIMIT 1)
               FROM src.stories s JOIN counts n ON n.story = s.slug
               ORDER BY s.id""",
        ),
    )
}


# Story questions, answers and "What's next" (tracker/questions.py, issue 7). Built after `stories`,
# from the public claims, so a link to an unpublished claim can never be copied, or counted: it is
# not in main.claims. Only published questions with an answer go public. `stale` is 1 when a
# published linked claim was ruled on, or a published claim was linked, after the answer was last
# reviewed (answer_reviewed_at), or its wording or claimant was edited since (claim_edits), or a
# published claim the answer had seen linked was unlinked or took another stance since
# (question_link_changes); rulings on and links of unpublished claims never show, not even as this flag, nor do
# the edits of a claim reworded after its ruling, which readers do not see until an editor rules again (past its
# ruled_wording.edit_mark).
# A development's source and evidence coverage are published with it (an editor's decision), as
# outlet, title and a checked http(s) link; its state note only with an outcome ("not yet" has none
# and the story page shows none, so a note kept from an earlier state stays out).
PUBLIC_TABLES.update(
    (t.name, t)
    for t in (
        PublicTable(
            "questions",
            {
                "id": "INTEGER PRIMARY KEY",
                "story": "TEXT NOT NULL REFERENCES stories(slug)",
                "position": "INTEGER NOT NULL",
                "question": "TEXT NOT NULL",
                "answer": "TEXT NOT NULL",
                "answer_reviewed_at": "TEXT",
                "answer_changed_at": "TEXT",
                "stale": "INTEGER NOT NULL",
            },
            """SELECT m.public_id, s.slug, q.position, q.text, q.answer, q.answer_written_at,
                      coalesce(q.answer_changed_at, q.answer_written_at),
                      EXISTS (SELECT 1 FROM src.question_claims qc
                              JOIN temp.claim_public_ids m ON m.id = qc.claim_id
                              WHERE qc.question_id = q.id
                                AND (qc.id > q.answer_link_mark
                                     OR EXISTS (SELECT 1 FROM src.status_history h
                                                WHERE h.claim_id = qc.claim_id AND h.id > q.answer_history_mark)
                                     OR EXISTS (SELECT 1 FROM src.claim_edits ce
                                                WHERE ce.claim_id = qc.claim_id AND ce.id > q.answer_edit_mark
                                                  AND ce.id <= coalesce((SELECT w.edit_mark FROM temp.ruled_wording w
                                                                         WHERE w.claim_id = qc.claim_id), ce.id))))
                      OR EXISTS (SELECT 1 FROM src.question_link_changes x
                                 JOIN temp.claim_public_ids m ON m.id = x.claim_id
                                 WHERE x.question_id = q.id AND x.id > q.answer_relink_mark
                                   AND x.link_id <= q.answer_link_mark)
               FROM temp.question_public_ids m JOIN src.questions q ON q.id = m.id
               JOIN src.stories s ON s.id = q.story_id
               JOIN main.stories ps ON ps.slug = s.slug
               WHERE q.published = 1 AND trim(q.answer) != ''
               ORDER BY m.public_id""",
            # Each with the id readers know it by (tracker/public_ids.py), given as a claim's is: the working ids
            # count the questions the newsroom holds back. Every public table names a question by it.
            prepare=_public_ids("question"),
            indexes=(("story", "position"),),
        ),
        PublicTable(
            "question_claims",
            {
                "question_id": "INTEGER NOT NULL REFERENCES questions(id)",
                "claim_id": "INTEGER NOT NULL REFERENCES claims(id)",
                "stance": "TEXT NOT NULL",
                "status": "TEXT NOT NULL",
                "status_changed_at": "TEXT",
            },
            """SELECT qp.public_id, m.public_id, qc.stance, c.status, c.status_changed_at
               FROM src.question_claims qc
               JOIN temp.question_public_ids qp ON qp.id = qc.question_id
               JOIN main.questions q ON q.id = qp.public_id
               JOIN temp.claim_public_ids m ON m.id = qc.claim_id
               JOIN main.claims c ON c.id = m.public_id
               ORDER BY qp.public_id, qc.id""",
            indexes=(("question_id",), ("claim_id",)),
        ),
        PublicTable(
            "developments",
            {
                "id": "INTEGER PRIMARY KEY",
                "story": "TEXT NOT NULL REFERENCES stories(slug)",
                "position": "INTEGER NOT NULL",
                "text": "TEXT NOT NULL",
                "expected_date": "TEXT",
                "expectation": "TEXT NOT NULL",
                "state": "TEXT NOT NULL",
                "state_changed_at": "TEXT",
                "state_note": "TEXT NOT NULL",
                "claim_id": "INTEGER REFERENCES claims(id)",
                "source_outlet": "TEXT",
                "source_title": "TEXT",
                "source_url": "TEXT",
                "evidence_outlet": "TEXT",
                "evidence_title": "TEXT",
                "evidence_url": "TEXT",
                "evidence_published_at": "TEXT",
                "evidence_published_precision": "TEXT",
                "evidence_published_local": "TEXT",
            },
            f"""SELECT dp.public_id, s.slug, d.position, d.text, d.expected_date, d.expectation, d.state,
                      d.state_changed_at, CASE WHEN d.state = 'not_yet' THEN '' ELSE d.state_note END, pc.public_id,
                      {public_outlet("src_cov")}, {public_title("src_cov")}, public_link(src_cov.canonical_url),
                      {public_outlet("ev")}, {public_title("ev")}, public_link(ev.canonical_url), ev.published_at,
                      -- 'day': the source gave only the date (scrapers/timestamps.py within_day)
                      CASE WHEN ev.published_at IS NOT NULL THEN ev.published_precision END,
                      -- evidence_published_at on the evidence's own clock ('2026-12-07T23:30:00-05:00'), where known
                      CASE WHEN ev.published_offset IS NOT NULL
                           THEN local_time(ev.published_at, ev.published_offset) END
               FROM temp.development_public_ids dp JOIN src.developments d ON d.id = dp.id
               JOIN src.stories s ON s.id = d.story_id
               JOIN main.stories ps ON ps.slug = s.slug
               LEFT JOIN temp.claim_public_ids pc ON pc.id = d.claim_id
               LEFT JOIN src.coverage src_cov ON src_cov.id = d.coverage_id AND {citable("src_cov")}
               LEFT JOIN src.coverage ev ON ev.id = d.evidence_coverage_id AND {citable("ev")}
               WHERE d.published = 1
               ORDER BY dp.public_id""",
            prepare=_public_ids("development"),  # as the questions'
            indexes=(("story", "position"),),
        ),
    )
)


def _bucket(unit: str, col: str) -> str:
    """The chart's bucketing expression (tracker/charts/buckets.py, the editor's too) in SQL: `unit` is the SQL of
    the unit's name (a quoted name, or a column holding one)."""
    return BUCKET_SQL.replace(":unit", unit).format(col=col)


def chart_unit(first: str | None, last: str | None) -> str:
    """The finest unit to count a story in, from its span (buckets.finest_counted): minute or hour when its span
    holds at most COUNTED_BUCKETS of them, else day. Day, the canned queries' default, and week are counted for
    every story; a query asking a story for a finer unit than counted answers this one, and says so."""
    return finest_counted(first, last).name


# Each story's span in the public file, as the story page reads it (story_charts.py's SPAN: its coverage, its
# claims' first reports and their rulings), and the finest unit counted for it. Counting every story by the
# minute made a row per minute of a story of months, whose chart is drawn in weeks: most of both count tables.
CHART_UNITS = (
    """CREATE TEMP TABLE chart_units (story TEXT PRIMARY KEY, finest TEXT NOT NULL, first TEXT, last TEXT)""",
    """INSERT INTO temp.chart_units
       SELECT story, chart_unit(min(first), max(last)), min(first), max(last) FROM (
           SELECT s.slug AS story,
                  (SELECT min(c.published_at) FROM main.coverage c WHERE c.story = s.slug) AS first,
                  (SELECT max(c.published_at) FROM main.coverage c WHERE c.story = s.slug) AS last
           FROM src.stories s
           UNION ALL
           SELECT story, min(first_reported_at), max(first_reported_at) FROM main.claims GROUP BY story
           UNION ALL
           SELECT c.story, min(h.at), max(h.at)
           FROM main.status_history h JOIN main.claims c ON c.id = h.claim_id GROUP BY c.story)
       GROUP BY story""",
)


def _coarser(table: str, group: str, value: str) -> tuple[str, ...]:
    """Each coarser unit's rows of a count table from the unit below it (a bucket of a bucket is the same bucket),
    so the bucketing runs over every row once. A story counted from the day has no minute or hour rows to sum."""
    return tuple(
        f"""INSERT INTO temp.{table}
           SELECT story, '{unit}', {_bucket(f"'{unit}'", "bucket")}, {group}, {value}
           FROM temp.{table} WHERE unit = '{finer}' GROUP BY story, 3, {group}"""
        for finer, unit in (("minute", "hour"), ("hour", "day"), ("day", "week"))
    )


# The rows of the public chart of claims by status over time (the canned query `claims_over_time` reads them):
# for each story and unit (minute, hour, day, week), how many of its claims stood at each status at the end of
# each bucket in which something changed. A claim counts as unreviewed from when it was first reported, then
# moves with each ruling, as in the editor's chart (tracker/charts/data.py) and with the same bucketing SQL.
# Counted once per publish: counted per request, a story of 100,000 ruled claims took the query past the
# site's time limit (sql_time_limit_ms), so the chart and its data links answered with an error.
# Each story is counted in the units of CHART_UNITS: the one its chart is drawn in, and every coarser one.
PUBLIC_TABLES.update(
    (t.name, t)
    for t in (
        PublicTable(
            "coverage_counts",
            {
                "story": "TEXT NOT NULL REFERENCES stories(slug)",
                "unit": "TEXT NOT NULL",
                "bucket": "TEXT",
                "outlet": "TEXT NOT NULL",
                "kind": "TEXT NOT NULL",
                "items": "INTEGER NOT NULL",
            },
            """SELECT story, unit, bucket, outlet, kind, items FROM temp.coverage_moves
               ORDER BY story, unit, bucket, kind, outlet""",
            indexes=(("story", "unit", "bucket"),),
            # The published coverage counted per story, its finest unit, outlet and kind (statement, copy,
            # report), then each coarser unit from the one below it, as for claim_status_counts.
            prepare=(
                *CHART_UNITS,
                """CREATE TEMP TABLE coverage_moves (
                       story TEXT NOT NULL, unit TEXT NOT NULL, bucket TEXT, outlet TEXT NOT NULL,
                       kind TEXT NOT NULL, items INTEGER NOT NULL)""",
                f"""INSERT INTO temp.coverage_moves
                   SELECT c.story, u.finest, {_bucket("u.finest", "c.published_at")}, coalesce(c.outlet, ''),
                          CASE WHEN c.kind = 'statement' THEN 'statement' WHEN c.is_copy THEN 'copy' ELSE 'report' END,
                          count(*)
                   FROM main.coverage c JOIN temp.chart_units u ON u.story = c.story
                   GROUP BY c.story, 3, 4, 5""",
                *_coarser("coverage_moves", "outlet, kind", "sum(items)"),
            ),
        ),
        PublicTable(
            "claim_status_counts",
            {
                "story": "TEXT NOT NULL REFERENCES stories(slug)",
                "unit": "TEXT NOT NULL",
                "bucket": "TEXT",
                "confirmed": "INTEGER NOT NULL",
                "denied": "INTEGER NOT NULL",
                "unclear": "INTEGER NOT NULL",
                "unreviewed": "INTEGER NOT NULL",
            },
            """SELECT story, unit, bucket,
                      sum(sum(CASE WHEN status = 'confirmed' THEN n ELSE 0 END))
                          OVER (PARTITION BY story, unit ORDER BY bucket),
                      sum(sum(CASE WHEN status = 'denied' THEN n ELSE 0 END))
                          OVER (PARTITION BY story, unit ORDER BY bucket),
                      sum(sum(CASE WHEN status = 'unclear' THEN n ELSE 0 END))
                          OVER (PARTITION BY story, unit ORDER BY bucket),
                      sum(sum(CASE WHEN status = 'unreviewed' THEN n ELSE 0 END))
                          OVER (PARTITION BY story, unit ORDER BY bucket)
               FROM temp.claim_moves GROUP BY story, unit, bucket
               ORDER BY story, unit, bucket""",
            indexes=(("story", "unit", "bucket"),),
            # Every change of a published claim's status, summed per story, its finest unit (CHART_UNITS, made
            # for coverage_counts) and status, then each coarser unit from the one below it.
            prepare=(
                """CREATE TEMP TABLE claim_moves (
                       story TEXT NOT NULL, unit TEXT NOT NULL, bucket TEXT, status TEXT NOT NULL, n INTEGER)""",
                # Rulings and first reports are each bucketed and summed once, then read as moves: a ruling
                # takes one from the status it left and adds one to the one it set.
                f"""INSERT INTO temp.claim_moves
                   WITH ruled AS (
                       SELECT c.story, u.finest AS unit, {_bucket("u.finest", "h.at")} AS bucket,
                              h.from_status, h.to_status, count(*) AS n
                       FROM main.status_history h JOIN main.claims c ON c.id = h.claim_id
                       JOIN temp.chart_units u ON u.story = c.story
                       GROUP BY c.story, 3, 4, 5
                   ),
                   started AS (
                       SELECT c.story, u.finest AS unit, {_bucket("u.finest", "c.at")} AS bucket, count(*) AS n
                       FROM (SELECT f.story,
                                    min(f.first_reported_at,
                                        coalesce((SELECT min(h.at) FROM main.status_history h WHERE h.claim_id = f.id),
                                                 '9999')) AS at
                             FROM main.claims f) c
                       JOIN temp.chart_units u ON u.story = c.story
                       GROUP BY c.story, 3
                   )
                   SELECT story, unit, bucket, status, sum(n) FROM (
                       SELECT story, unit, bucket, 'unreviewed' AS status, n FROM started
                       UNION ALL
                       SELECT story, unit, bucket, from_status, -n FROM ruled
                       UNION ALL
                       SELECT story, unit, bucket, to_status, n FROM ruled)
                   GROUP BY story, bucket, status""",
                *_coarser("claim_moves", "status", "sum(n)"),
            ),
        ),
    )
)

# Each public story's span (CHART_UNITS, made for coverage_counts): the story page draws its charts over it. Found
# per view, it was a query over all the story's coverage, claims and rulings (0.17 s at 100,000 claims).
PUBLIC_TABLES["story_spans"] = PublicTable(
    "story_spans",
    {
        "story": "TEXT PRIMARY KEY REFERENCES stories(slug)",
        "first": "TEXT",
        "last": "TEXT",
    },
    """SELECT u.story, u.first, u.last FROM temp.chart_units u JOIN main.stories s ON s.slug = u.story
       ORDER BY u.story""",
)

EVENT_KINDS = ("first_reported", "statement", "statement_changed", "status_changed", "correction")
# Shadow tables SQLite creates for an FTS5 table with external content.
FTS5_SHADOW_SUFFIXES = ("data", "idx", "docsize", "config")


def expected_tables() -> dict[str, list[str]]:
    """Every table the public file may contain, with its columns in order (shadow tables: None)."""
    tables: dict[str, list[str] | None] = {}
    for table in PUBLIC_TABLES.values():
        tables[table.name] = list(table.columns)
        if table.fts:
            tables[f"{table.name}_fts"] = list(table.fts)
            for suffix in FTS5_SHADOW_SUFFIXES:
                tables[f"{table.name}_fts_{suffix}"] = None
    return tables


def public_link(url: str | None) -> str | None:
    """An http(s) link without credentials, or None: a file path, a `javascript:` URL or a link that carries a
    key (link_key: a signed storage URL, a Drive or Dropbox sharing link) is never published."""
    if not url or link_key(url):
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    if "@" in parts.netloc:
        host = parts.netloc.rsplit("@", 1)[1]
        parts = parts._replace(netloc=host)
    return without_share_ids(urlunsplit(parts))


def key_warning(url: str | None) -> str | None:
    """What the reporter who saves a link that carries a key is told: why, and that readers never get it."""
    reason = link_key(url)
    if reason is None:
        return None
    return (
        f"This link carries a key ({reason}): anyone holding it can open what it points to. The newsroom keeps "
        "it; the public site shows no link for it. If readers need the file, an editor can publish its archived "
        "copy; if the page is public, cite its public address instead."
    )


def told_line(attribution: str | None, outlet: str | None, at: str | None) -> str:
    """The one public line of the newsroom's own reporting (tracker.reporting.public_line)."""
    from tracker.reporting import public_line

    return public_line(attribution or "", outlet, at)


def sha256_hex(body: bytes | None) -> str | None:
    return None if body is None else hashlib.sha256(body).hexdigest()


def inflate(body: bytes | None) -> bytes | None:
    """A capture's bytes as received, from the compressed blob (tracker/captures.py)."""
    return None if body is None else zlib.decompress(body)


def public_copy(body: bytes | None, as_received: int | None) -> bytes | None:
    """What readers get of a published item (tracker/photos.py public_copy); the file as received, where nothing
    can be cleaned of it, only when the editor's latest choice was to publish it so (`as_received`)."""
    return None if body is None else photos.public_copy(body, as_received=bool(as_received))


def short_quote(quote: str | None) -> str | None:
    """A quote cut to QUOTE_MAX characters at a word boundary, marked with an ellipsis."""
    if quote is None or len(quote) <= QUOTE_MAX:
        return quote
    cut = quote[: QUOTE_MAX - 1]
    space = cut.rfind(" ")
    if space > QUOTE_MAX // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:.-–—") + "…"


def _indexed(column: str) -> str:
    """A column of an index as SQL: `date` or, for a table read newest first, `date DESC`."""
    name, _, order = column.partition(" ")
    return f"[{name}] {order}".rstrip() if order in ("", "DESC") else f"[{column}]"
