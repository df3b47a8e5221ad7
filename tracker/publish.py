"""The public build: named columns copied into a fresh file, checked, then swapped in.

Nothing reaches public.db unless PUBLIC_TABLES names it: the allow-list is
tracker/public_tables.py, this module builds from it, checks the result
against it, and swaps it in. The build reads the working database through a read-only attachment inside one
transaction, so it sees one consistent snapshot even while the scraper and
the editor keep writing, and it can never write to the working database.
Intermediate results live in TEMP tables of the build connection, which are
never part of the public file. Tables are built in PUBLIC_TABLES order, each
indexed as soon as it is filled, so later ones (events, stories) are built
from the public tables before them.

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
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import quote

import sqlite_utils

from tracker.db import BUSY_TIMEOUT_MS, TrackerError
from tracker.public_tables import (
    PREPARE,
    PUBLIC_TABLES,
    expected_tables,
    inflate,
    public_link,
    short_quote,
    told_line,
)

MMAP_BYTES = 1 << 30


class PublishError(TrackerError):
    """The public build failed; the previous public file is still in place."""


def publish(
    db: sqlite_utils.Database, out_path: str | Path, *, before_swap: Callable[[Path], None] | None = None
) -> dict:
    """Build the public database from the allow-list and swap it in at out_path.

    Returns a summary: the path and the row count of each public table
    (`claims`, `events`, ...). On any failure the previous file at out_path
    is left as it was and PublishError says why. `before_swap`, when given,
    is shown the finished file before it replaces out_path; whatever it
    raises stops the publish with out_path unchanged (the publish log uses
    it to compare the two files and to refuse changes no editor reviewed).
    """
    out = Path(out_path).absolute()
    with built(db, out.parent, out.name) as (tmp, counts):
        if out.is_dir():
            raise PublishError(f"Cannot publish to {out}: it is a directory; give a file path such as {out}/public.db.")
        if out.resolve() == Path(_database_file(db)).resolve():
            raise PublishError("The public database cannot be the working database; choose another --out path.")
        if before_swap is not None:
            before_swap(tmp)
        try:
            _swap_in(tmp, out)
        except sqlite3.Error as e:
            raise PublishError(f"Publishing failed, {out} was left unchanged: {e}.") from None
        except OSError as e:
            raise PublishError(f"Publishing failed, {out} was left unchanged: {e.strerror or e}.") from None
    return {"path": str(out), **counts}


@contextlib.contextmanager
def built(
    db: sqlite_utils.Database, directory: str | Path, name: str = "public.db"
) -> Iterator[tuple[Path, dict[str, int]]]:
    """The public file the next publish would make, built and checked in a temporary file (deleted after).

    Yields (path, row counts). The editor's Publish page builds one to show
    what would change for readers; publish() builds one and swaps it in.
    """
    folder = Path(directory).absolute()
    source = _database_file(db)
    if not folder.is_dir():
        raise PublishError(f"Cannot publish to {folder / name}: the directory {folder} does not exist.")
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f"{name}.tmp-", dir=folder)
    except OSError as e:
        raise PublishError(f"Cannot write in {folder}: {e.strerror or e}.") from None
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        try:
            counts = _build(source, tmp)
            check_public_file(tmp)
        except sqlite3.Error as e:
            hint = " Is the working database initialised (`python -m tracker init`)?" if "src." in str(e) else ""
            raise PublishError(f"Publishing failed, {folder / name} was left unchanged: {e}.{hint}") from None
        except OSError as e:
            raise PublishError(f"Publishing failed, {folder / name} was left unchanged: {e.strerror or e}.") from None
        yield tmp, counts
    finally:
        for leftover in (tmp, tmp.with_name(tmp.name + "-journal")):
            with contextlib.suppress(FileNotFoundError):
                leftover.unlink()


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
        # with a different page size. While it is being built the file is
        # ours alone and is thrown away on any failure, so it needs neither
        # a journal nor fsyncs; the swap into place is what must be safe.
        conn.execute("PRAGMA journal_mode = OFF")
        conn.execute("PRAGMA synchronous = OFF")
        conn.execute("PRAGMA cache_size = -65536")
        conn.execute("PRAGMA temp_store = MEMORY")
        conn.create_function("public_link", 1, public_link, deterministic=True)
        conn.create_function("short_quote", 1, short_quote, deterministic=True)
        conn.create_function("told_line", 3, told_line, deterministic=True)
        conn.create_function("inflate", 1, inflate, deterministic=True)
        conn.execute("ATTACH DATABASE ? AS src", [_file_uri(source, "ro")])
        # The build reads the working database out of order (evidence -> revision -> coverage):
        # a large cache and memory-mapped reads keep that from costing a system call per page.
        conn.execute("PRAGMA src.cache_size = -262144")
        conn.execute(f"PRAGMA src.mmap_size = {MMAP_BYTES}")
        source_columns = {
            table: {row[1] for row in conn.execute(f"PRAGMA src.table_info([{table}])")}
            for table in {t for public in PUBLIC_TABLES.values() for t, _, _ in public.optional.values()}
        }
        conn.execute("BEGIN")
        try:
            for statement in PREPARE:
                conn.execute(statement)
            for table in PUBLIC_TABLES.values():
                conn.execute(table.create_sql())
                for statement in table.prepare:
                    conn.execute(statement)
                conn.execute(table.insert_sql(source_columns))
                # Indexed once filled, which is faster than row by row, and before the
                # tables built from this one read it.
                for statement in table.index_sql():
                    conn.execute(statement)
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
