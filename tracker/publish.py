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
old, renamed-over inode. The served file is in WAL mode and the backup runs
as one write transaction, so readers see either the old snapshot or the new
one, never half of each, and a publish killed at any moment leaves nothing a
read-only reader would have to recover (_swap_in says why). A killed
publish's temporary files are removed by the next one.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import tempfile
from collections.abc import Callable, Iterator
from concurrent import futures
from concurrent.futures import Executor, Future, ThreadPoolExecutor
from pathlib import Path
from urllib.parse import quote

import sqlite_utils
from sqlite_utils.migrations import Migrations

from scrapers.timestamps import local_time
from scrapers.urls import link_key
from tracker import public_ids
from tracker.db import (
    BUSY_TIMEOUT_MS,
    DiskFull,
    ReadOnlyDatabase,
    TrackerError,
    file_too_large,
    fsync_path,
    has_wal_content,
    past_file_size_limit,
    read_only_uri,
    storage_error,
    writable,
)
from tracker.documents import metadata_kept, url_file_name
from tracker.public_tables import (
    PREPARE,
    PUBLIC_TABLES,
    chart_unit,
    expected_tables,
    inflate,
    public_copy,
    public_link,
    sha256_hex,
    short_quote,
    told_line,
)

MMAP_BYTES = 1 << 30
# Each kind of public id (tracker/public_ids.py), the build's temp table holding it, that table's working id, and
# the public table whose `id` is that kind's public id (an id the file in place holds was seen: note_shown).
PUBLIC_ID_TABLES = (
    ("archived_copy", "public_copies", "id", "archived_copies"),
    ("claim", "claim_public_ids", "id", "claims"),
    ("evidence", "cited_evidence", "id", "evidence"),
    ("coverage", "cited", "coverage_id", "coverage"),
    ("ruling", "ruling_public_ids", "id", "status_history"),
    ("question", "question_public_ids", "id", "questions"),
    ("development", "development_public_ids", "id", "developments"),
    ("event", "event_rows", "key", "events"),
)
# Pages copied per step of the swap: 8 MB at NEW_PAGE_SIZE. The copy is one write
# transaction whatever its steps; they only let `progress` show how far it has come.
SWAP_STEP_PAGES = 1024
# The page size of a new public file. The build writes, sorts into indexes and checks half as many pages as at
# SQLite's default of 4 KB: about a tenth less CPU at 100,000 claims, for the same rows. A public file that exists
# keeps its own (_page_size): the swap copies pages into it and cannot change their size.
NEW_PAGE_SIZE = 8192
SQLITE_HEADER = b"SQLite format 3\x00"
TMP_INFIX = ".tmp-"
JOURNAL_SUFFIXES = ("-journal", "-wal", "-shm")
# connection_limits.py's default, when metadata.yml names no max_value_bytes.
DEFAULT_MAX_VALUE_BYTES = 1_000_000
# Longer than any number's text (-1.23456789012346e+308 is 22 characters), which the size check counts.
NUMBER_TEXT_MAX = 32
Progress = Callable[[str, int, int], object]

try:
    import fcntl
except ImportError:  # Windows: publishes are not kept apart there
    fcntl = None


class PublishError(TrackerError):
    """The public build failed; the previous public file is still in place."""


def publish(
    db: sqlite_utils.Database,
    out_path: str | Path,
    *,
    before_swap: Callable[[Path, dict[str, list[tuple[int, int]]]], None] | None = None,
    progress: Progress | None = None,
    option: str | None = "--out",
) -> dict:
    """Build the public database from the allow-list and swap it in at out_path.

    Returns a summary: the path and the row count of each public table
    (`claims`, `events`, ...). On any failure the previous file at out_path
    is left as it was and PublishError says why. `before_swap`, when given,
    is shown the finished file, and per kind the (working id, public id) of each row the build gave its first
    public id, before it replaces out_path; whatever it raises stops the publish with out_path unchanged and
    no id kept (the publish log uses it to compare the two files and to refuse changes no editor reviewed).
    The public ids the build gave claims, quotes, items, copies, rulings and events readers had not seen are kept
    in the working database after that and before the swap (tracker/public_ids.py), so
    they keep them in every later publish.
    `option` is how the caller's user names the public file (`serve` takes
    --public-db), for the advice to publish elsewhere; None for the editor's
    Publish page, whose users name no file.
    `progress` hears (phase, done, total) as the work goes: "build" once the
    new file is built, "copy" after each step of the swap (pages),
    "checkpoint" before and after the new pages are merged into the file.
    """
    out = Path(out_path).absolute()
    report = progress or (lambda phase, done, total: None)
    with _built(db, out.parent, out.name, option=option, flush=True) as (tmp, counts, given, unseen):
        if real_path(out) == real_path(_database_file(db)):
            where = f"choose another {option} path" if option else "the public site must be served from another file"
            raise PublishError(f"The public database cannot be the working database; {where}.")
        report("build", 1, 1)
        if before_swap is not None:
            before_swap(tmp, given)
        # Kept once nothing refused the file, and before it reaches readers: a refused publish keeps no id (a row
        # withdrawn before the next publish would have left a gap in readers' ids), and a publish killed after
        # its swap has kept every id readers were shown.
        _keep_public_ids(db, given, out, option)
        try:
            _swap_in(tmp, out, report, option)
        except (sqlite3.Error, OSError) as e:
            raise _publish_failed(e, out, option) from None
        _note_seen(db, given, unseen)
    return {"path": str(out), **counts}


@contextlib.contextmanager
def built(
    db: sqlite_utils.Database, directory: str | Path, name: str = "public.db", *, option: str | None = "--out"
) -> Iterator[tuple[Path, dict[str, int]]]:
    """The public file the next publish would make, built and checked in a temporary file (deleted after).

    Yields (path, row counts). The editor's Publish page builds one to show
    what would change for readers; publish() builds one and swaps it in.
    Both hold the public file's publish lock meanwhile, and first remove
    what killed publishes left beside it (remove_stale_files).
    """
    with _built(db, directory, name, option=option) as (tmp, counts, _, _):
        yield tmp, counts


def _keep_public_ids(
    db: sqlite_utils.Database, given: dict[str, list[tuple[int, int]]], out: Path, option: str | None
) -> None:
    """Keep the public ids a build gave, before its file reaches readers (tracker/public_ids.py).

    A working database that cannot be written (`serve` on read-only media) keeps none: it cannot change
    either, so the next build from it gives the same ids.
    """
    if not any(given.values()) or getattr(db, "read_only", False):
        return
    try:
        public_ids.record(db, given)
    except sqlite3.Error as e:
        storage = storage_error(e, _database_file(db))
        raise PublishError(
            f"Nothing was published and {out} was left unchanged: the claims' public ids could not be kept. "
            f"{storage or e}"
        ) from None


def _note_seen(
    db: sqlite_utils.Database, given: dict[str, list[tuple[int, int]]], unseen: dict[str, list[int]]
) -> None:
    """Once readers have the file: the ids it gave, and the ones kept by a publish that never reached them and shown
    now, are seen (public_ids.seen), so the withdrawn lists name them once they are withdrawn.

    The publish is done whatever happens here: ids left unseen (a working database that could not be written, a
    process killed before this) are found in the file in place by the next publish (note_shown).
    """
    if getattr(db, "read_only", False):
        return
    shown = {kind: [working for working, _ in given.get(kind, [])] + unseen.get(kind, []) for kind in {*given, *unseen}}
    with contextlib.suppress(sqlite3.Error):
        public_ids.seen(db, shown)


def note_shown(db: sqlite_utils.Database, out: Path) -> None:
    """Before a build reads which ids are unseen: the ones the file readers have holds are seen (public_ids.seen_in),
    whatever became of the publish that swapped it in. A working database that cannot be written, or a file
    that cannot be read as a public one, changes nothing here (the build or the swap says what is wrong): the working
    database given as the public file by mistake numbers its claims by their working ids."""
    if getattr(db, "read_only", False) or not out.is_file():
        return
    with contextlib.suppress(sqlite3.Error, PublishError):
        # Read-write, as the swap opens it: a read-only connection to a WAL file leaves its -wal and -shm behind
        # (no later swap removes them when this build fails), and must see what a killed swap left in the -wal.
        conn = sqlite3.connect(str(out), timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
        try:
            refuse_other_databases(conn, out)
            public_ids.seen_in(db, conn, {kind: public for kind, _, _, public in PUBLIC_ID_TABLES})
        finally:
            conn.close()


@contextlib.contextmanager
def _built(
    db: sqlite_utils.Database,
    directory: str | Path,
    name: str = "public.db",
    *,
    option: str | None = "--out",
    flush: bool = False,
) -> Iterator[tuple[Path, dict[str, int], dict[str, list[tuple[int, int]]], dict[str, list[int]]]]:
    """built(), also yielding per kind the (working id, public id) of each row the build gave a public id to, and
    the working ids of the rows it shows whose ids are kept but unseen (public_ids.seen).

    `flush`: the file is for a publish, which renames it into place when there is no public file yet (_renamed_in)
    and must have its pages on the disk first. They are then flushed while the finished file is checked, on the
    thread the build's row checks are done with: the flush waits for the disk, the check for the CPU, and a publish
    of 100,000 claims waited 0.2 s for the flush after its check. A build that is thrown away (the Publish page's)
    or copied into the served file (_swap_in) is not flushed."""
    folder = Path(directory).absolute()
    source = _database_file(db)
    if not folder.is_dir():
        raise PublishError(f"Cannot publish to {folder / name}: the directory {folder} does not exist.")
    if (folder / name).is_dir():  # said before the Publish page lists changes against a file that is not there
        out = folder / name
        what = (
            f"give a file path such as {out / 'public.db'}"
            if option
            else "ask whoever runs the tracker to move it aside or to serve the public site from a file"
        )
        raise PublishError(f"Cannot publish to {out}: it is a folder, not a file; {what}.")
    if (folder / name).is_symlink() and not (folder / name).exists():  # a loop of links, or one to a missing file
        out = folder / name
        what = f"give {option} the file itself" if option else "ask whoever runs the tracker to mend or remove it"
        raise PublishError(
            f"Cannot publish to {out}: it is a symbolic link that leads nowhere (a loop, or a missing "
            f"file), so nothing was changed; {what}."
        )
    try:
        lock = publish_lock(real_path(folder / name))
        lock.__enter__()
    except OSError as e:
        raise _publish_failed(e, folder / name, option) from None
    try:
        _refuse_served_snapshot(folder / name, option)
        note_shown(db, folder / name)
        try:
            remove_stale_files(folder / name)
            fd, tmp_name = tempfile.mkstemp(prefix=f"{name}{TMP_INFIX}", dir=folder)
        except OSError as e:
            raise _publish_failed(e, folder / name, option) from None
        os.close(fd)
        tmp = Path(tmp_name)
        try:
            try:
                # Its threads end before the file is removed, whatever the build raised.
                with ThreadPoolExecutor(max_workers=1) as pool:
                    counts, given, unseen, rows = _build(source, tmp, _page_size(folder / name), pool)
                    flushed = pool.submit(fsync_path, tmp) if flush and _renamed_in(folder / name) else None
                    check_public_file(tmp, fresh=True, rows_checked=rows)
                    if flushed is not None:
                        flushed.result()
            except (sqlite3.Error, OSError) as e:
                raise _publish_failed(e, folder / name, option, built=tmp, working=source) from None
            yield tmp, counts, given, unseen
        finally:
            _remove_with_journals(tmp)
    finally:
        lock.__exit__(None, None, None)


def remove_stale_files(out: str | Path) -> int:
    """Remove what killed publishes left beside out (`public.db.tmp-*` and their journals); how many files.

    Called with the publish lock held (built() does), so no file it removes
    belongs to a publish or a review still running.
    """
    out = Path(out)
    removed = 0
    for leftover in out.parent.glob(f"{_glob_escape(out.name)}{TMP_INFIX}*"):
        with contextlib.suppress(FileNotFoundError):
            leftover.unlink()
            removed += 1
    return removed


def _glob_escape(name: str) -> str:
    return "".join(f"[{c}]" if c in "*?[" else c for c in name)


def real_path(path: str | Path) -> Path:
    """The public file's own path, every symlink followed: the name its publish lock and log rows go by.

    One file has many names (a symlink to it, a linked folder above it):
    keyed on the name as given, a publish through a link and one through the
    file ran at once, and a killed publish's log row was settled only by a
    later publish or `serve` naming the file the same way. os.path.realpath,
    not Path.resolve, which raises on a symlink loop before Python 3.13.
    """
    return Path(os.path.realpath(Path(path).absolute()))


@contextlib.contextmanager
def publish_lock(out: Path) -> Iterator[None]:
    """One build at a time per public file, across processes: an flock() the kernel drops if its holder dies.

    Two publishes at once would only queue on SQLite's write lock, and one
    could remove the other's temporary file as stale. `out` is the file's
    real_path, so every name of one file takes the same lock.
    """
    fd = os.open(out.with_name(out.name + "-publish-lock"), os.O_RDWR | os.O_CREAT, 0o644)
    try:
        if fcntl is not None:
            fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # releases the lock


def serving_snapshot(out: str | Path) -> int:
    """Mark out as served immutable for as long as the returned descriptor stays open; the descriptor.

    `serve` serves a public file it finds read-only as an unchanging
    snapshot (Datasette's -i), which reads it without locks and remembers
    its pages, counts and schema. Made writable later and published into,
    that site answered 500 on every page until it was restarted. The shared
    flock() (which needs no write access, and is apart from SQLite's own
    locks) tells a publish so: serve hands the descriptor to the Datasette
    process, and the kernel drops the lock when that process ends.
    """
    fd = os.open(out, os.O_RDONLY)
    if fcntl is not None:
        fcntl.flock(fd, fcntl.LOCK_SH)
    return fd


def _refuse_served_snapshot(out: Path, option: str | None) -> None:
    """Refuse to change a public file a running site serves as an unchanging snapshot (serving_snapshot).

    Only once the file is writable again: while it is read-only, that is what
    the publish must say (a restarted site would serve it as a snapshot again).
    """
    if fcntl is None or not out.is_file() or not writable(out):
        return
    try:
        fd = os.open(out, os.O_RDONLY)
    except OSError:
        return  # the build or the swap says what is wrong with it
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        restart = "restart `serve`" if option else "ask whoever runs the tracker to restart the public site"
        raise PublishError(
            f"Nothing was published and {out} was left unchanged: the public site running on it serves it as an "
            f"unchanging snapshot (it was read-only when the site started) and would fail on a changed file; "
            f"{restart}, then publish again."
        ) from None
    finally:
        os.close(fd)  # releases the lock, if taken


def _remove_with_journals(path: Path) -> None:
    for leftover in (path, *(path.with_name(path.name + suffix) for suffix in JOURNAL_SUFFIXES)):
        with contextlib.suppress(FileNotFoundError):
            leftover.unlink()


def _publish_failed(
    e: BaseException,
    out: Path,
    option: str | None = "--out",
    built: Path | None = None,
    working: Path | None = None,
) -> PublishError:
    """The one-line reason a publish failed, with what to do; the previous public file is untouched.

    `built` is the temporary file being built beside out, when there was
    one: it, not out, is what grew to the file size limit (`ulimit -f`), an
    error SQLite reports only as "disk I/O error". `working` is the working
    database the build reads, when it was being read: reading it needs room
    for its -shm beside it, and a full disk there is also only "disk I/O
    error", while out's disk, the one a reader would look at, has room.
    """
    storage = storage_error(e, out)
    if storage is None and built is not None and isinstance(e, (sqlite3.Error, OSError)):
        storage = file_too_large(out) if past_file_size_limit(built) else None
    reading = storage_error(e, working) if storage is None and working is not None else None
    if isinstance(reading, DiskFull):
        return PublishError(
            f"Nothing was published and {out} was left unchanged: the working database could not be read, as "
            f"reading it needs a little room beside it. {reading}"
        )
    if isinstance(storage, ReadOnlyDatabase):  # its own words are about the working database, not this file
        elsewhere = (
            f"or publish to a file elsewhere with {option} PATH"
            if option
            else "or ask whoever runs the tracker to serve the public site from a writable place"
        )
        return PublishError(
            f"Publishing failed and {out} was left unchanged: it is read-only (a read-only file, folder or disk). "
            f"Make it writable or remount the disk read-write, {elsewhere}."
        )
    if storage is not None:
        return PublishError(f"Publishing failed and {out} was left unchanged. {storage}")
    if isinstance(e, sqlite3.Error):
        hint = " Is the working database initialised (`python -m tracker init`)?" if "src." in str(e) else ""
        return PublishError(f"Publishing failed, {out} was left unchanged: {e}.{hint}")
    return PublishError(f"Publishing failed, {out} was left unchanged: {getattr(e, 'strerror', None) or e}.")


def public_value_limit() -> int:
    """The largest value the public site's SQLite will read: `max_value_bytes` in metadata.yml.

    tracker/public/plugins/connection_limits.py sets it on every connection
    Datasette opens; a published value past it (a claim of 1 MB) made every
    page that reads the row a 500, the front page and the timeline included.
    """
    from tracker.public_metadata import CONFIG_NAME, load_metadata

    plugin = (load_metadata().get("plugins") or {}).get(CONFIG_NAME) or {}
    try:
        return int(plugin.get("max_value_bytes") or DEFAULT_MAX_VALUE_BYTES)
    except (TypeError, ValueError):  # the plugin reads the default then: so does this check
        return DEFAULT_MAX_VALUE_BYTES


def check_public_file(
    path: str | Path,
    *,
    journal_mode: str = "delete",
    fresh: bool = False,
    rows_checked: tuple[Future[None], Future[None]] | None = None,
) -> None:
    """Refuse a public file that is damaged or holds anything outside the allow-list.

    The build only copies named columns, so this is the second lock on the
    door: it catches a future edit that adds a table, view or trigger
    without adding it to PUBLIC_TABLES. It also refuses a value the public
    site could not read (public_value_limit). A new build and a deployed snapshot
    are single files with a rollback journal (an immutable reader ignores a
    WAL); the file `publish` serves is in WAL mode (journal_mode="wal").
    `fresh`: a file this process has just built and nobody else has opened
    gets PRAGMA quick_check (every page, record and NOT NULL, not every index
    entry against its row: a tenth of a publish at 100,000 claims, for
    indexes SQLite wrote from those rows a moment before); any other file
    (a snapshot of the served one) the full integrity check.
    `rows_checked`: the foreign keys and the value sizes, already being checked (_build checks them while it builds
    the search indexes, which change no public table's rows); their findings are said here, in the same order.
    """
    # The page check with the value sizes, and the foreign keys with the allow-list, each read the whole file:
    # they run side by side on two connections (SQLite lets go of the GIL while it reads), so a publish waits
    # for the longer, not for both. Their findings are said in the order they were checked one after another.
    with ThreadPoolExecutor(max_workers=1) as pool:
        pages = pool.submit(_check_pages, path, fresh)
        if rows_checked is None:
            foreign_keys = None
            sizes = pool.submit(_check_sizes, path)  # after the pages, on the same thread: not on a damaged file
        else:
            foreign_keys, sizes = rows_checked
        try:
            if foreign_keys is not None:
                foreign_keys.result()
            mode = _check_contents(path, foreign_keys=foreign_keys is None)
        except (PublishError, sqlite3.Error):
            pages.result()  # a damaged file is said as such, before what its damage made the other checks find
            sizes.cancel()
            raise
        pages.result()
        sizes.result()
    if mode != journal_mode:
        raise PublishError(f"The public database {path} is in {mode} journal mode; it must be in {journal_mode}.")


def _check_connection(path: str | Path) -> sqlite3.Connection:
    conn = sqlite3.connect(read_only_uri(path), uri=True)
    # The checks read the whole file several times, and the foreign keys out of order: memory-mapped
    # reads cost no system call per page (the integrity check took half as long again without).
    conn.execute(f"PRAGMA mmap_size = {MMAP_BYTES}")
    return conn


def _check_pages(path: str | Path, fresh: bool) -> None:
    """check_public_file's integrity check: quick_check for a file just built, else the full one."""
    conn = _check_connection(path)
    try:
        result = [r[0] for r in conn.execute("PRAGMA quick_check" if fresh else "PRAGMA integrity_check")]
        if result != ["ok"]:
            raise PublishError(f"The new public database failed its integrity check: {'; '.join(result[:5])}.")
    finally:
        conn.close()


def _check_contents(path: str | Path, *, foreign_keys: bool = True) -> str:
    """check_public_file's foreign keys (unless checked apart: _check_foreign_keys) and allow-list (tables, columns,
    no views or triggers); the journal mode."""
    if foreign_keys:
        _check_foreign_keys(path)
    conn = _check_connection(path)
    try:
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
        return conn.execute("PRAGMA journal_mode").fetchone()[0]
    finally:
        conn.close()


def _check_foreign_keys(path: str | Path) -> None:
    """check_public_file's foreign keys: no row points at a row the file does not hold.

    Each key is checked by its distinct values (_dangling_reference_sql), read in order from an index of the column
    where the file has one, so the rows they point at are looked up in order too. PRAGMA foreign_key_check looked
    each row's up in the order of the rows (a quote's item, an event's claim): 0.52 s of CPU at 100,000 claims, where
    this takes 0.32 s. A key of several columns, naming no parent column or a table the file does not hold (a file
    someone added a table to), is left to the pragma, which says what it makes of them."""
    conn = _check_connection(path)
    try:
        tables = [name for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        held = {name.lower() for name in tables}
        for table in tables:
            keys: dict[int, list[tuple[str, str, str | None]]] = {}
            for key, _, parent, column, parent_column, *_ in conn.execute(
                f"PRAGMA foreign_key_list({_identifier(table)})"
            ):
                keys.setdefault(key, []).append((parent, column, parent_column))
            for columns in keys.values():
                (parent, column, parent_column), *others = columns
                if others or parent_column is None or parent.lower() not in held:
                    dangling = conn.execute(f"PRAGMA foreign_key_check({_identifier(table)})").fetchone()
                else:
                    dangling = conn.execute(_dangling_reference_sql(table, column, parent, parent_column)).fetchone()
                if dangling:
                    raise PublishError("The new public database has rows pointing at rows it does not contain.")
    finally:
        conn.close()


def _dangling_reference_sql(table: str, column: str, parent: str, parent_column: str) -> str:
    """The SQL of one value of `table`.`column` that no row of `parent` holds in `parent_column` (none: no row).

    NULL points at nothing and is not looked for, as in SQLite's own check."""
    table, column, parent, parent_column = map(_identifier, (table, column, parent, parent_column))
    return f"""SELECT c.v FROM (SELECT DISTINCT {column} AS v FROM {table} WHERE {column} IS NOT NULL) AS c
               WHERE NOT EXISTS (SELECT 1 FROM {parent} AS p WHERE p.{parent_column} = c.v) LIMIT 1"""


def _identifier(name: str) -> str:
    """A table or column name as SQL, whatever it holds: the checks read names from files they have not vetted yet."""
    return '"' + name.replace('"', '""') + '"'


def _check_sizes(path: str | Path) -> None:
    """check_public_file's value sizes: none past what the public site reads (public_value_limit)."""
    limit = public_value_limit()
    conn = _check_connection(path)
    try:
        largest = _largest_records(conn) if limit >= NUMBER_TEXT_MAX else {}
        for table in PUBLIC_TABLES.values():
            if largest.get(table.name, limit + 1) <= limit:
                continue  # no row of it is longer than the limit, so no value in it is
            # One pass over each table for all its columns: a pass per column read every table a dozen times.
            sizes = [f"length(CAST([{column}] AS BLOB))" for column in table.columns]
            too_big = conn.execute(
                f"SELECT rowid, {', '.join(sizes)} FROM [{table.name}] "
                f"WHERE {' OR '.join(f'{size} > :limit' for size in sizes)} LIMIT 1",
                {"limit": limit},
            ).fetchone()
            if too_big:
                column, size = next((c, n) for c, n in zip(table.columns, too_big[1:]) if n is not None and n > limit)
                raise PublishError(
                    f"{table.name} {too_big[0]}: its {column} is {size:,} bytes, more than the public "
                    f"site reads ({limit:,}, max_value_bytes in metadata.yml); shorten it or leave it unpublished."
                )
    finally:
        conn.close()


def _largest_records(conn: sqlite3.Connection) -> dict[str, int]:
    """Each table's longest row in bytes, as stored (SQLite's dbstat, one pass over the pages); {} without dbstat.

    A value is never longer than its row: a table whose rows all fit under the limit needs no pass of its own
    (a number's text is counted, at most NUMBER_TEXT_MAX bytes, and can be longer than the few bytes it is stored in).
    """
    try:
        return dict(conn.execute("SELECT name, mx_payload FROM dbstat WHERE aggregate = TRUE"))
    except sqlite3.OperationalError:  # a SQLite built without dbstat: every table is read
        return {}


def _page_size(out: Path) -> int:
    """The page size to build out's next content with: the one out has (read from its header, without opening it
    as a database), or NEW_PAGE_SIZE for a new file or one that is not a SQLite file (the swap says so)."""
    try:
        with open(out, "rb") as f:
            header = f.read(18)
    except OSError:
        return NEW_PAGE_SIZE
    if len(header) < 18 or not header.startswith(SQLITE_HEADER):
        return NEW_PAGE_SIZE
    size = int.from_bytes(header[16:18], "big")
    return 65536 if size == 1 else size


def _build(
    source: str, tmp: Path, page_size: int, pool: Executor
) -> tuple[dict[str, int], dict[str, list[tuple[int, int]]], dict[str, list[int]], tuple[Future[None], Future[None]]]:
    """Fill tmp (an empty file) from the allow-list, reading the working database in one read transaction.

    Returns the row counts, per kind of public id (PUBLIC_ID_TABLES) the (working id, public id) of each
    row given one by this build, per kind the working ids of the rows it shows whose ids a publish that never
    reached readers kept (public_ids_unseen), and the checks of its rows' foreign keys and value sizes
    (check_public_file's rows_checked), run on `pool`.

    The tables are committed first, then their search indexes are built from them alone in a second
    transaction, while `pool` checks the rows on its own connection: the search indexes add no row to a
    public table, and the two checks and the indexes each took about a second of CPU at 100,000 claims, one
    after the other, with a second core idle. The commit waits for the checks, whose reads its exclusive
    lock would otherwise wait on."""
    conn = _build_connection(tmp, page_size)
    try:
        conn.execute("ATTACH DATABASE ? AS src", [read_only_uri(source)])
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
                if table.prepare_if is None or conn.execute(f"SELECT {table.prepare_if}").fetchone()[0]:
                    for statement in table.prepare:
                        conn.execute(statement)
                conn.execute(table.insert_sql(source_columns))
                # Indexed once filled, which is faster than row by row, and before the
                # tables built from this one read it.
                for statement in table.index_sql():
                    conn.execute(statement)
            given = {
                kind: conn.execute(given_ids_sql(table, key), [kind]).fetchall()
                for kind, table, key, _ in PUBLIC_ID_TABLES
            }
            # Few or none: only a publish whose swap failed leaves any.
            unseen = {
                kind: [working for (working,) in conn.execute(unseen_ids_sql(table, key), [kind])]
                for kind, table, key, _ in PUBLIC_ID_TABLES
            }
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        conn.execute("DETACH DATABASE src")
        rows = (pool.submit(_check_foreign_keys, tmp), pool.submit(_check_sizes, tmp))
        conn.execute("BEGIN")
        try:
            for table in PUBLIC_TABLES.values():
                for statement in table.fts_sql():
                    conn.execute(statement)
            futures.wait(rows)
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        public = sqlite_utils.Database(conn)
        return {name: public[name].count for name in PUBLIC_TABLES}, given, unseen, rows
    finally:
        conn.close()


def _build_connection(tmp: Path, page_size: int) -> sqlite3.Connection:
    """A connection to build the public file tmp (an empty file) with: its pages, cache, temporary storage and the
    SQL functions the allow-list's selects call."""
    conn = sqlite3.connect(_file_uri(tmp, "rw"), uri=True, isolation_level=None)
    conn.execute(f"PRAGMA page_size = {int(page_size)}")  # before the file's first page is written
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    # While it is being built the file is ours alone and is thrown away
    # on any failure, so it needs neither a journal nor fsyncs; the swap
    # into place is what must be safe (_swap_in).
    conn.execute("PRAGMA journal_mode = OFF")
    conn.execute("PRAGMA synchronous = OFF")
    # Room for the whole new file at 100,000 claims (about 260 MB): with 64 MB its pages were written
    # out and read back for each index and the search index built from them.
    conn.execute("PRAGMA cache_size = -262144")
    # Temporary tables in a temporary file's page cache, not in memory: with temp_store = MEMORY, SQLite's sorter
    # allocates each row it sorts apart (every index, grouping and ordering of the build, some five million rows
    # at 100,000 claims, each allocation and its free counted under SQLite's one process-wide lock) where it
    # otherwise holds them in a few large blocks: about 0.6 s of CPU of a publish of 100,000 claims. The cache is
    # large enough that the temporary tables (about 100 MB there) are never written out: a temporary file's pages
    # are written at a commit only when a quarter of its cache is dirty, and 1 GB is a bound, not an allocation.
    conn.execute("PRAGMA temp_store = FILE")
    conn.execute("PRAGMA temp.cache_size = -1048576")
    conn.create_function("public_link", 1, public_link, deterministic=True)
    conn.create_function("short_quote", 1, short_quote, deterministic=True)
    conn.create_function("told_line", 3, told_line, deterministic=True)
    conn.create_function("local_time", 2, local_time, deterministic=True)
    conn.create_function("inflate", 1, inflate, deterministic=True)
    conn.create_function("public_copy", 2, public_copy, deterministic=True)
    conn.create_function("metadata_kept", 1, metadata_kept, deterministic=True)
    conn.create_function("sha256_hex", 1, sha256_hex, deterministic=True)
    conn.create_function("link_key", 1, link_key, deterministic=True)
    conn.create_function("url_file_name", 1, url_file_name, deterministic=True)
    conn.create_function("chart_unit", 2, chart_unit, deterministic=True)
    return conn


def given_ids_sql(table: str, key: str) -> str:
    """The SQL of (working id, public id) of each row of the build's temp `table` (PUBLIC_ID_TABLES) given its first
    public id by this build, in working id order; `?` is the kind.

    Those are the ids after the highest ever kept (public_ids.next_ids): one comparison a row, where asking public_ids
    about each (300,000 quotes kept before) cost a tenth of a second. They are found through the public_id index and
    then sorted (`+`): ordered by the key's index instead, SQLite read every row, all 206,000 events at 100,000
    claims, to find none new."""
    return f"""SELECT m.{key}, m.public_id FROM temp.{table} m
               WHERE m.public_id > (SELECT coalesce(max(public_id), 0) FROM src.public_ids WHERE kind = ?)
               ORDER BY +m.{key}"""


def unseen_ids_sql(table: str, key: str) -> str:
    """The SQL of the working id of each row of the build's temp `table` (PUBLIC_ID_TABLES) whose public id a publish
    that never reached readers kept (public_ids_unseen); `?` is the kind.

    The unseen ids are read first and each looked for among the build's rows (`+` keeps SQLite from reading the
    build's rows to look each up among the unseen): the events' keys have no index (withdrawn_events makes one when
    it needs it), and read first they were all 206,000 at 100,000 claims, to find none unseen."""
    return f"""SELECT u.id FROM src.public_ids_unseen u
               WHERE u.kind = ? AND +u.id IN (SELECT m.{key} FROM temp.{table} m)"""


def _empty_file(out: Path) -> bool:
    """A public file of no bytes, with no -wal holding its pages (`touch public.db`, a copy cut short): nothing
    readers could be shown, so it is replaced as a missing one is. Opened as a database it got SQLite's default
    page size, and the swap refused it for not having the build's."""
    return out.is_file() and out.stat().st_size == 0 and not has_wal_content(out)


def _renamed_in(out: Path) -> bool:
    """Whether a publish to out renames its new file into place (_swap_in): there is no public file yet, or only an
    empty one. Otherwise its pages are copied into the file readers have open."""
    return not out.exists() or _empty_file(out)


def _swap_in(tmp: Path, out: Path, progress: Progress, option: str | None = "--out") -> None:
    """Make tmp the content of out, atomically for every reader of out, whenever this process is killed.

    The served file is in WAL mode. The new pages are copied into it with
    SQLite's backup API as one write transaction, and in WAL mode a write
    transaction only appends to out-wal: the file readers have open is not
    touched until the commit record is written, and a reader only reads the
    WAL up to the last commit record. So a kill at any point of the copy
    leaves readers on the old content with nothing to recover (the next
    writer simply starts the WAL over), and after the commit they read the
    new. The checkpoint that then merges the WAL into out is safe to kill
    too: readers take each page from the WAL until it is merged.

    A rollback journal, as before, could not give this: the backup wrote
    the new pages into out itself, a kill left out-journal "hot", and
    Datasette's read-only connections cannot roll a hot journal back, so
    every reader got "attempt to write a readonly database" until the next
    publish. Opening out read-write here rolls back such a journal, left by
    an older version, before anything else.

    A first publish (no out yet: _renamed_in) renames a finished WAL-mode
    file into place; a rename is atomic, and nobody has the old file open.
    It was built without fsyncs, so its pages are flushed before the rename
    (most of them while it was checked: _built): after a power cut the name
    must never point at a file whose pages were lost.
    """
    os.chmod(tmp, 0o644)
    if _renamed_in(out):
        out = out.resolve()  # an empty file through a symlink: the file is replaced, the link kept
        _set_wal(tmp)
        fsync_path(tmp)
        os.replace(tmp, out)
        fsync_path(out.parent)
        return
    target = sqlite3.connect(str(out), timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
    source = sqlite3.connect(_file_uri(tmp, "ro"), uri=True)
    try:
        try:
            mode = target.execute("PRAGMA journal_mode").fetchone()[0]  # reading rolls back a hot journal
        except sqlite3.DatabaseError as e:
            raise PublishError(f"Cannot replace {out}: {e}. Is it a SQLite file? Nothing was changed.") from None
        refuse_other_databases(target, out, option)
        if mode != "wal":
            # Once per file (one from before WAL publishing, or restored from a copy): a header change.
            target.execute("PRAGMA journal_mode = WAL")
        size, new_size = (c.execute("PRAGMA page_size").fetchone()[0] for c in (target, source))
        if size != new_size:
            # The backup API cannot change the page size of a WAL file: rename over it, once.
            raise PublishError(
                f"{out} has {size}-byte pages, the new build {new_size}: move {out} aside and publish again "
                "(a running public site then needs a restart)."
            )
        source.backup(
            target, pages=SWAP_STEP_PAGES, progress=lambda status, left, total: progress("copy", total - left, total)
        )
        progress("checkpoint", 0, 1)
        # Merge the WAL into out and empty it, waiting for readers mid-query (busy timeout); if they keep it
        # busy, the WAL simply stays until the next publish: readers still see the new content. So it does
        # when the merge fails (out could not grow on a full disk): the publish is done, committed above.
        with contextlib.suppress(sqlite3.Error):
            target.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        progress("checkpoint", 1, 1)
    finally:
        source.close()
        target.close()


def refuse_other_databases(conn: sqlite3.Connection, out: Path, option: str | None = "--out") -> None:
    """Refuse to replace a SQLite file that is not a public database: --out mistyped for --db (a working
    database, with every account and internal note) or another program's file would be lost for good.
    `option` as for publish(): None for the editor's Publish page, whose users name no file."""
    tables = [name for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    public = set(expected_tables())
    if tables and (Migrations.migrations_table in tables or not public.intersection(tables)):
        advice = (
            f"give {option} the public database's path, or a new file's"
            if option
            else "ask whoever runs the tracker to move it aside or to serve the public site from another file"
        )
        raise PublishError(
            f"{out} is not a public database (it holds {', '.join(tables[:3])}), so nothing was changed: {advice}."
        )


def _set_wal(path: Path) -> None:
    """Put a private, finished file in WAL mode (the header says so; no -wal is left behind)."""
    conn = sqlite3.connect(str(path), isolation_level=None)
    try:
        conn.execute("PRAGMA journal_mode = WAL")
    finally:
        conn.close()


def recover(out_path: str | Path) -> bool:
    """Roll back a hot journal a killed publish of an older version left beside the public file; True if one was.

    Readers open the public file read-only and cannot do it themselves, so
    `serve` calls this before starting the public site.
    """
    out = Path(out_path)
    journal = out.with_name(out.name + "-journal")
    if not journal.exists() or not out.exists():
        return False
    conn = sqlite3.connect(str(out), timeout=BUSY_TIMEOUT_MS / 1000)
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    finally:
        conn.close()
    return True


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
