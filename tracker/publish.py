"""The public build: named columns copied into a fresh file, checked, then swapped in.

Nothing reaches public.db unless PUBLIC_TABLES names it. Copying named columns
is the only safe way: Datasette's `hidden: true` only hides a table from
listings, so private data must never be in the public file at all. The
build reads the working database through a read-only attachment inside one
transaction, so it sees one consistent snapshot even while the scraper and
the editor keep writing, and it can never write to the working database.

The finished file is swapped in so that a running Datasette serves the new
data without a restart: a fresh out_path is moved into place, an existing one
is overwritten page by page with SQLite's backup API. A rename would not do
for an existing file: connections Datasette already has open keep reading the
old, renamed-over inode. The backup runs as one write transaction, so readers
see either the old snapshot or the new one, never half of each.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import tempfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import sqlite_utils

from tracker.db import BUSY_TIMEOUT_MS, TrackerError


class PublishError(TrackerError):
    """The public build failed; the previous public file is still in place."""


@dataclass(frozen=True)
class PublicTable:
    """One public table: each column with its declaration, and the SELECT that fills them in order.

    `select` reads the working database as `src.` (attached read-only) or
    public tables built before it as `main.`.
    """

    name: str
    columns: dict[str, str]
    select: str
    indexes: tuple[tuple[str, ...], ...] = ()
    fts: tuple[str, ...] = ()

    def create_sql(self) -> list[str]:
        cols = ",\n    ".join(f"[{name}] {decl}" for name, decl in self.columns.items())
        statements = [f"CREATE TABLE [{self.name}] (\n    {cols}\n)"]
        for index in self.indexes:
            statements.append(
                f"CREATE INDEX [{self.name}_{'_'.join(index)}] ON [{self.name}] ({', '.join(f'[{c}]' for c in index)})"
            )
        return statements

    def insert_sql(self) -> str:
        return f"INSERT INTO main.[{self.name}] ({', '.join(f'[{c}]' for c in self.columns)})\n{self.select}"


# The allow-list. Adding a column here publishes it; nothing else is copied.
# Private by construction (never named below): users, api_tokens, sources,
# fetches, candidates, revisions.text, claims.source_identity,
# claims.internal_notes, claims.created_by, unpublished claims,
# status_history.rationale (the internal one) and status_history.editor_id,
# evidence.added_by, stories.keywords_*.
PUBLIC_TABLES: dict[str, PublicTable] = {
    t.name: t
    for t in (
        PublicTable(
            "stories",
            {
                "slug": "TEXT PRIMARY KEY",
                "title": "TEXT NOT NULL",
                "description": "TEXT NOT NULL DEFAULT ''",
            },
            # A story appears once it has a published claim: a story still
            # being prepared is not announced by an empty page.
            """SELECT s.slug, s.title, s.description
               FROM src.stories s
               WHERE EXISTS (SELECT 1 FROM src.claims c WHERE c.story_id = s.id AND c.published = 1)
               ORDER BY s.id""",
        ),
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
                "first_reported_at": "TEXT",
            },
            # A claim logged without coverage has no report date; when the
            # newsroom logged it is the latest it can have been reported.
            """SELECT c.id, s.slug, c.text, c.claimant, c.claimant_type, c.status, c.status_changed_at,
                      coalesce(c.first_reported_at, c.created_at)
               FROM src.claims c JOIN src.stories s ON s.id = c.story_id
               WHERE c.published = 1
               ORDER BY c.id""",
            indexes=(("story",), ("status",)),
            fts=("text", "claimant"),
        ),
        PublicTable(
            "evidence",
            {
                "id": "INTEGER PRIMARY KEY",
                "claim_id": "INTEGER NOT NULL REFERENCES claims(id)",
                "quote": "TEXT NOT NULL",
                "stance": "TEXT NOT NULL",
                "outlet": "TEXT",
                "title": "TEXT",
                "url": "TEXT NOT NULL",
                "published_at": "TEXT",
                "coverage_kind": "TEXT NOT NULL",
            },
            # The short quote only: revisions.text (the copied article body) stays private.
            """SELECT e.id, e.claim_id, e.quote, e.stance, cov.outlet, cov.title, cov.canonical_url,
                      coalesce(cov.published_at, r.fetched_at), cov.kind
               FROM src.evidence e
               JOIN src.claims c ON c.id = e.claim_id AND c.published = 1
               JOIN src.revisions r ON r.id = e.revision_id
               JOIN src.coverage cov ON cov.id = r.coverage_id
               ORDER BY e.id""",
            indexes=(("claim_id",),),
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
            """SELECT h.id, h.claim_id, h.at, h.from_status, h.to_status, h.public_rationale, h.is_correction
               FROM src.status_history h
               JOIN src.claims c ON c.id = h.claim_id AND c.published = 1
               ORDER BY h.id""",
            indexes=(("claim_id",),),
        ),
        PublicTable(
            "events",
            {
                "id": "INTEGER PRIMARY KEY",
                "story": "TEXT NOT NULL REFERENCES stories(slug)",
                "date": "TEXT",
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
            },
            # Built from the public tables above, never from src: the timeline
            # cannot carry anything that is not already public. Ids follow
            # time order, so "newest first" is `ORDER BY date DESC, id DESC`.
            """WITH first_source AS (
                   SELECT claim_id, url, outlet, quote FROM (
                       SELECT claim_id, url, outlet, quote,
                              row_number() OVER (PARTITION BY claim_id
                                                 ORDER BY published_at IS NULL, published_at, id) AS n
                       FROM main.evidence)
                   WHERE n = 1
               ),
               statements AS (
                   SELECT id, claim_id, url, outlet, quote, published_at FROM (
                       SELECT id, claim_id, url, outlet, quote, published_at,
                              row_number() OVER (PARTITION BY claim_id, url ORDER BY id) AS n
                       FROM main.evidence WHERE coverage_kind = 'statement')
                   WHERE n = 1
               )
               SELECT NULL, story, date, kind, claim_id, claim, claimant, status,
                      from_status, to_status, source_url, outlet, detail
               FROM (
                   SELECT c.story, c.first_reported_at AS date, 'first_reported' AS kind, 1 AS seq,
                          c.id AS claim_id, c.text AS claim, c.claimant, c.status,
                          NULL AS from_status, NULL AS to_status,
                          f.url AS source_url, f.outlet, f.quote AS detail, 0 AS ref
                   FROM main.claims c LEFT JOIN first_source f ON f.claim_id = c.id
                   UNION ALL
                   SELECT c.story, s.published_at, 'statement', 2, c.id, c.text, c.claimant, c.status,
                          NULL, NULL, s.url, s.outlet, s.quote, s.id
                   FROM statements s JOIN main.claims c ON c.id = s.claim_id
                   LEFT JOIN first_source f ON f.claim_id = s.claim_id
                   WHERE f.url IS NOT s.url  -- already shown as where the claim was first reported
                   UNION ALL
                   SELECT c.story, h.at, CASE WHEN h.is_correction THEN 'correction' ELSE 'status_changed' END, 3,
                          c.id, c.text, c.claimant, c.status, h.from_status, h.to_status,
                          f.url, f.outlet, h.public_rationale, h.id
                   FROM main.status_history h JOIN main.claims c ON c.id = h.claim_id
                   LEFT JOIN first_source f ON f.claim_id = c.id
               )
               ORDER BY date, seq, claim_id, ref""",
            indexes=(("date",), ("story", "date"), ("claim_id",)),
        ),
    )
}

EVENT_KINDS = ("first_reported", "statement", "status_changed", "correction")
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


def publish(db: sqlite_utils.Database, out_path: str | Path) -> dict:
    """Build the public database from the allow-list and swap it in at out_path.

    Returns a summary: the path and the row count of each public table
    (`claims`, `events`, ...). On any failure the previous file at out_path
    is left as it was and PublishError says why.
    """
    out = Path(out_path).absolute()
    source = _database_file(db)
    if not out.parent.is_dir():
        raise PublishError(f"Cannot publish to {out}: the directory {out.parent} does not exist.")
    if out.is_dir():
        raise PublishError(f"Cannot publish to {out}: it is a directory; give a file path such as {out}/public.db.")
    if out.resolve() == Path(source).resolve():
        raise PublishError("The public database cannot be the working database; choose another --out path.")
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f"{out.name}.tmp-", dir=out.parent)
    except OSError as e:
        raise PublishError(f"Cannot write in {out.parent}: {e.strerror or e}.") from None
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        counts = _build(source, tmp)
        check_public_file(tmp)
        _swap_in(tmp, out)
    except sqlite3.Error as e:
        hint = " Is the working database initialised (`python -m tracker init`)?" if "src." in str(e) else ""
        raise PublishError(f"Publishing failed, {out} was left unchanged: {e}.{hint}") from None
    except OSError as e:
        raise PublishError(f"Publishing failed, {out} was left unchanged: {e.strerror or e}.") from None
    finally:
        for leftover in (tmp, tmp.with_name(tmp.name + "-journal")):
            with contextlib.suppress(FileNotFoundError):
                leftover.unlink()
    return {"path": str(out), **counts}


def check_public_file(path: str | Path) -> None:
    """Refuse a public file that is damaged or holds anything outside the allow-list.

    The build only copies named columns, so this is the second lock on the
    door: it catches a future edit that adds a table, view or trigger
    without adding it to PUBLIC_TABLES.
    """
    conn = sqlite3.connect(_file_uri(path, "ro"), uri=True)
    try:
        result = [r[0] for r in conn.execute("PRAGMA integrity_check")]
        if result != ["ok"]:
            raise PublishError(f"The new public database failed its integrity check: {'; '.join(result[:5])}.")
        if conn.execute("PRAGMA foreign_key_check").fetchone():
            raise PublishError("The new public database has rows pointing at rows it does not contain.")
        expected = expected_tables()
        objects = conn.execute("SELECT type, name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'").fetchall()
        others = sorted(f"{kind} {name}" for kind, name in objects if kind in ("view", "trigger"))
        if others:
            raise PublishError(f"The new public database holds objects outside the allow-list: {', '.join(others)}.")
        tables = {name for kind, name in objects if kind == "table"}
        if tables != set(expected):
            extra, missing = sorted(tables - set(expected)), sorted(set(expected) - tables)
            raise PublishError(
                "The new public database does not match the allow-list"
                + (f"; unexpected tables: {', '.join(extra)}" if extra else "")
                + (f"; missing tables: {', '.join(missing)}" if missing else "")
                + "."
            )
        for name, columns in expected.items():
            if columns is None:
                continue
            actual = [r[1] for r in conn.execute(f"PRAGMA table_info([{name}])")]
            if actual != columns:
                raise PublishError(
                    f"Table {name} of the new public database has columns {actual}, the allow-list says {columns}."
                )
        mode = conn.execute("PRAGMA journal_mode").fetchone()[0]
        if mode != "delete":
            raise PublishError(f"The new public database is in {mode} mode; it must use a rollback journal.")
    finally:
        conn.close()


def _build(source: str, tmp: Path) -> dict[str, int]:
    """Fill tmp from the allow-list, reading the working database in one read transaction."""
    conn = sqlite3.connect(_file_uri(tmp, "rw"), uri=True, isolation_level=None)
    try:
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        # Rollback journal, not WAL: readers of a WAL file would need write
        # access to its -shm, and a WAL file cannot take a backup from one
        # with a different page size.
        conn.execute("PRAGMA journal_mode = DELETE")
        conn.execute("ATTACH DATABASE ? AS src", [_file_uri(source, "ro")])
        conn.execute("BEGIN")
        try:
            for table in PUBLIC_TABLES.values():
                for statement in table.create_sql():
                    conn.execute(statement)
            for table in PUBLIC_TABLES.values():
                conn.execute(table.insert_sql())
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        conn.execute("DETACH DATABASE src")
        public = sqlite_utils.Database(conn)
        for table in PUBLIC_TABLES.values():
            if table.fts:
                public[table.name].enable_fts(list(table.fts), fts_version="FTS5")
        return {name: public[name].count for name in PUBLIC_TABLES}
    finally:
        conn.close()


def _swap_in(tmp: Path, out: Path) -> None:
    """Make tmp the content of out, atomically for anyone reading out."""
    os.chmod(tmp, 0o644)
    if not out.exists():
        os.replace(tmp, out)
        return
    source = sqlite3.connect(_file_uri(tmp, "ro"), uri=True)
    target = sqlite3.connect(str(out), timeout=BUSY_TIMEOUT_MS / 1000)
    try:
        if target.execute("PRAGMA journal_mode").fetchone()[0] == "wal":
            target.execute("PRAGMA journal_mode = DELETE")
        source.backup(target)
    except sqlite3.DatabaseError as e:
        raise PublishError(f"Cannot replace {out}: {e}. Is it a SQLite file? Nothing was changed.") from None
    finally:
        target.close()
        source.close()


def _database_file(db: sqlite_utils.Database) -> str:
    for _, name, path in db.execute("PRAGMA database_list").fetchall():
        if name == "main":
            if not path:
                break
            return path
    raise PublishError("Publishing needs the working database on disk, not in memory.")


def _file_uri(path: str | Path, mode: str) -> str:
    """A SQLite URI, so odd characters in a path cannot be read as URI syntax."""
    return f"file:{quote(str(Path(path).absolute()))}?mode={mode}"
