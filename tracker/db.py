"""Open the working database the same way everywhere.

WAL lets the editor read while the scraper writes; the busy timeout makes a
second writer wait instead of failing with "database is locked"; foreign keys
are off by default in SQLite and we rely on them.
"""

from __future__ import annotations

import contextlib
import errno
import glob
import logging
import os
import re
import shlex
import signal
import sqlite3
import stat
import sys
import tempfile
import threading
import time
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import sqlite_utils

from scrapers.timestamps import utc_now

try:
    import fcntl
except ImportError:  # Windows: SQLite's busy handler alone keeps writers apart there
    fcntl = None

try:
    import resource
except ImportError:  # Windows: no file size limit to meet
    resource = None

BUSY_TIMEOUT_MS = 5000

log = logging.getLogger(__name__)


class TrackerError(Exception):
    """Base class for errors a user can act on; the CLI and editor show the message.

    `field` names the form field the message is about, where there is one: the editor marks that field
    invalid and ties the message to it, so a screen reader reads them together.
    """

    status_code = 400
    field: str | None = None

    def __init__(self, *args, field: str | None = None) -> None:
        super().__init__(*args)
        if field is not None:
            self.field = field


class NotFound(TrackerError):
    status_code = 404


# Escape: a terminal runs what follows it as a command (clear the screen, retitle the window, hide what
# follows), so typed text holding one would act on the screen of whoever lists it with the CLI. (The C1
# controls do so only on terminals that do not read UTF-8, and API clients send them as ordinary text.)
ESCAPE = "\x1b"
# What refuse_control_chars refuses in typed text; the API's schemas publish the same (tracker/editor/api/schemas.py).
REFUSED_CONTROLS = ("\x00", ESCAPE)


# Format characters (Unicode's Cf) draw nothing: zero-width space and joiners, word joiner, bidi marks,
# byte order mark, soft hyphen. Text of only these and spaces is blank, though str.strip() keeps them.
# These few are format characters a font does draw (Arabic number sign and its kin), so they are text.
DRAWN_FORMAT_CHARS = frozenset("\u0600\u0601\u0602\u0603\u0604\u0605\u06dd\u070f\u0890\u0891\u08e2\U000110bd\U000110cd")


def shows_nothing(text: str | None) -> bool:
    """Whether typed text would show nothing on a page: empty, spaces, or invisible format characters alone.

    The one test for "was anything written": a claim, a rationale or a
    question of a zero-width space alone passes str.strip() and is published
    as an empty line.
    """
    return all(ch.isspace() or (unicodedata.category(ch) == "Cf" and ch not in DRAWN_FORMAT_CHARS) for ch in text or "")


def unknown_order(value: str, orders, what: str = "order") -> str:
    """The one line a list sorted by a name it does not have answers with (the editor's lists, the API, the CLI):
    the name as typed, cut short, and the names it has. `what`: the word the list's control uses ("sort")."""
    return f"Unknown {what} “{value[:40]}”; choose one of: {', '.join(orders)}."


def refuse_control_chars(what: str, value: str | None, *, plural: bool = False) -> None:
    """A one-line error when typed text holds a NUL or a terminal's control character, before it is stored.

    SQLite's text functions read a NUL as the end of the text: to the tables'
    non-blank CHECKs "\\x00Acme said" is empty (the insert failed, a 500),
    and to length() and search it is shorter than it is. An escape sequence
    prints as a command on a terminal (ESCAPE). No one types
    either; they come with a paste or from a script. `plural` for a name
    such as "internal notes", so the message reads "The internal notes hold".
    """
    if not value:
        return
    holds = "hold" if plural else "holds"
    if "\x00" in value:
        raise TrackerError(f"The {what} {holds} a NUL character (invisible, often pasted); remove it and try again.")
    if ESCAPE in value:
        raise TrackerError(
            f"The {what} {holds} a control character (an invisible escape code, often pasted); remove it and try again."
        )


def not_utf8_at(value: str) -> str | None:
    """Where text Python read from bytes that were not UTF-8 holds its first stand-in for one ("byte \\xe9 at
    character 4"), or None for text that is all UTF-8.

    A command line's arguments and file names are bytes; Python reads those that are not UTF-8 (a Latin-1
    terminal's "café") as surrogate escapes, which SQLite, storing only UTF-8, refuses as it is handed them.
    The one test for them, said with the byte as a person can read it rather than the stand-in.
    """
    at = next((i for i, ch in enumerate(value) if "\udc80" <= ch <= "\udcff"), None)
    if at is None:
        return None
    return f"byte {str(value[at].encode('utf-8', 'surrogateescape'))[2:-1]} at character {at + 1}"


class StorageError(TrackerError):
    """The disk under a file refused a write (full, read-only): what was in hand is not stored, the rest is kept.

    503: nothing is wrong with the request; the same request succeeds once
    the disk has room again (or is writable).
    """

    status_code = 503


class DiskFull(StorageError):
    pass


class FileSizeLimit(DiskFull):
    """The process's file size limit (`ulimit -f`, a quota on file size) was met: the disk may have room."""


class ReadOnlyDatabase(StorageError):
    pass


# SQLite's primary result codes for a disk that refused a write (the extended codes share the low byte).
SQLITE_READONLY, SQLITE_IOERR, SQLITE_FULL, SQLITE_CANTOPEN = 8, 10, 13, 14
FULL_ERRNOS = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG}
READ_ONLY_ERRNOS = {errno.EROFS, errno.EACCES, errno.EPERM}


def storage_error(exc: BaseException, path: str | Path | None = None) -> StorageError | None:
    """The StorageError (with what to do) behind a SQLite or file system error, or None for any other error.

    `path` names the file the failed write was for, so the message can say
    which disk. SQLITE_FULL is the disk (or a quota) full; SQLITE_READONLY a
    read-only file or mount; SQLITE_IOERR and SQLITE_CANTOPEN only when the
    file really cannot be written, since both also mean other things.
    """
    where = f" {path}" if path else " the database"
    if isinstance(exc, sqlite3.Error):
        code = (getattr(exc, "sqlite_errorcode", None) or 0) & 0xFF
        limited = code in (SQLITE_FULL, SQLITE_IOERR, SQLITE_READONLY, SQLITE_CANTOPEN) and path is not None
        if limited and writable(path) and past_file_size_limit(path):
            return file_too_large(path)
        if code == SQLITE_FULL:
            return disk_full(path)
        if code not in (SQLITE_READONLY, SQLITE_IOERR, SQLITE_CANTOPEN) or path is None:
            return read_only(path) if code == SQLITE_READONLY else None
        # A full disk also shows as a file that cannot be opened or grown (its -shm), or as a read-only
        # connection's refusal (the database was opened read-only because the disk was full).
        if _disk_has_no_room(path):
            return disk_full(path)
        if code == SQLITE_READONLY or not writable(path):
            return read_only(path)
        return None
    if isinstance(exc, OSError):
        if exc.errno == errno.EFBIG and (exc.filename or path) and _file_size_limit() is not None:
            return file_too_large(exc.filename or path)
        if exc.errno in FULL_ERRNOS:
            return disk_full(exc.filename or path)
        if exc.errno in READ_ONLY_ERRNOS and (exc.errno == errno.EROFS or not writable(exc.filename or path or ".")):
            return ReadOnlyDatabase(
                f"Cannot write{where if not exc.filename else ' ' + str(exc.filename)}: it is on read-only media "
                "or not writable. Nothing was changed; use a writable copy or remount the disk read-write."
            )
    return None


SQLITE_BUSY, SQLITE_LOCKED, SQLITE_CORRUPT = 5, 6, 11
# SQLite's result code for a file that is not a database at all (a damaged one's is SQLITE_CORRUPT).
SQLITE_NOTADB = 26


def damaged(exc: BaseException) -> bool:
    """Whether SQLite could not read the file as a database: a damaged page, or a file that is not one at all."""
    return (getattr(exc, "sqlite_errorcode", None) or 0) & 0xFF in (SQLITE_CORRUPT, SQLITE_NOTADB)


def missing_table(exc: BaseException) -> bool:
    """Whether SQLite found no table of that name: in a database the migrations brought up to date on start, one
    dropped (or the file swapped for another) since."""
    return isinstance(exc, sqlite3.OperationalError) and str(exc).startswith("no such table: ")


class DatabaseBusy(TrackerError):
    """Another program held the database's write lock past the busy timeout: nothing more can be stored for now."""

    status_code = 503


def busy_error(exc: BaseException, path: str | Path | None = None, *, reading: bool = False) -> DatabaseBusy | None:
    """The DatabaseBusy behind "database is locked" (SQLITE_BUSY), or None for any other error.

    The tracker's own writers queue on the WriterLock and see it only when
    the writer ahead of them keeps the queue waiting (WriterWaitTimeout); a
    program outside the tracker (a sqlite3 shell, a database browser) left
    inside a write transaction does this, and keeps doing it until closed.
    One wording for every command, a single change (`users add`) or a run
    that stores item after item (`ingest`, `scrape`): the step in hand was
    not saved, as a full disk says it (disk_full); a run prints its summary
    of what was saved before this line. A command that only reads (`reading`:
    `stories`, `sources`) has no step to save: it could not read, and nothing
    was changed (a program in SQLite's exclusive locking mode keeps readers out).
    """
    code = (getattr(exc, "sqlite_errorcode", None) or 0) & 0xFF
    if not isinstance(exc, sqlite3.OperationalError) or code not in (SQLITE_BUSY, SQLITE_LOCKED):
        return None
    outcome = "it could not be read; nothing was changed" if reading else "the step in hand was not saved"
    if isinstance(exc, WriterWaitTimeout):  # another tracker process, stopped or hung inside a write
        return DatabaseBusy(exc.explain(outcome, path))
    return DatabaseBusy(
        f"{path or 'The working database'} is locked by another program (a sqlite3 shell or a database browser "
        f"with a change not yet saved?), so {outcome}. Close that program, then run the command again."
    )


def stopping_error(
    exc: BaseException, path: str | Path | None = None, *, reading: bool = False
) -> StorageError | DatabaseBusy | None:
    """What stops a run that stores item after item: a disk that refused the write (storage_error) or a lock
    another program keeps (busy_error, `reading` for a command that only reads); None for any other error. Every
    later item would fail the same way."""
    return storage_error(exc, path) or busy_error(exc, path, reading=reading)


def database_error(exc: BaseException, path: str | Path | None = None) -> TrackerError:
    """Any other SQLite error that stopped a run (a damaged page, the disk's own I/O error), in words.

    A run that counts what it stores reports its counts first and this as
    its last line: what it committed before the error is kept.
    """
    name = str(path) if path else "the working database"
    quoted = shlex.quote(str(path or "data/tracker.db"))
    if (getattr(exc, "sqlite_errorcode", None) or 0) & 0xFF == SQLITE_CORRUPT:  # every later run meets it too
        return TrackerError(
            f"{name[0].upper()}{name[1:]} is damaged ({exc}), so the step in hand was not saved (everything before "
            "it was). Restore the latest backup (docs/operations.md, Back up and upgrade), or save what it holds "
            f"with `sqlite3 {quoted} .recover | sqlite3 RECOVERED.db`."
        )
    return TrackerError(
        f"Database error in {name}: {exc}. Nothing of the step in hand was saved; if it happens again, check the "
        f"file with `sqlite3 {quoted} 'PRAGMA integrity_check'`."
    )


def disk_full(path: str | Path | None) -> DiskFull:
    where = f"the disk holding {path}" if path else "the database's disk"
    return DiskFull(
        f"Disk full: {where} has no room left, so the step in hand was not saved (everything before it was). "
        "Free some space on that disk (or move the file elsewhere), then try again."
    )


def file_too_large(path: str | Path, limit: int | None = None) -> FileSizeLimit:
    """The process's file size limit (`ulimit -f`) refused a write: the disk may have room, the file may not grow."""
    limit = _file_size_limit() if limit is None else limit
    return FileSizeLimit(
        f"File size limit: {path} (or the -wal beside it) reached the largest file this process may write "
        f"({limit:,} bytes, set by `ulimit -f` or a quota), so the step in hand was not saved (everything before it "
        "was). Raise the limit for the tracker (`ulimit -f unlimited`), then try again."
    )


def _file_size_limit() -> int | None:
    """The soft limit on the size of a file this process writes (RLIMIT_FSIZE), or None when there is none."""
    if resource is None:
        return None
    soft = resource.getrlimit(resource.RLIMIT_FSIZE)[0]
    return None if soft == resource.RLIM_INFINITY else soft


def past_file_size_limit(path: str | Path) -> bool:
    """Does the database, or a journal beside it, reach this process's file size limit (within a write or two)?

    A write at or past the limit fails with EFBIG, which SQLite reports as an
    I/O error (or as a full disk, for a write cut short), though the disk has room.
    Below 64 KB not even the -shm every WAL database needs (32 KB) can be made,
    which SQLite reports as a read-only database.
    """
    limit = _file_size_limit()
    if limit is None:
        return False
    if limit < 64 * 1024:
        return True
    for name in (str(path), f"{path}-wal", f"{path}-journal"):
        try:
            if os.path.getsize(name) >= limit - 64 * 1024:
                return True
        except OSError:
            continue
    return False


def read_only(path: str | Path | None) -> ReadOnlyDatabase:
    if path and (refused := not_permitted(path)) is not None:  # no copy can be made of it either
        return ReadOnlyDatabase(str(refused))
    if path and not Path(path).exists():  # `init` in a read-only folder: there is no file to copy off
        return ReadOnlyDatabase(
            f"Cannot create {path}: its folder is read-only (a read-only folder or disk), so nothing was made. "
            "Give a path on writable storage with --db (or TRACKER_DB), or remount the disk read-write."
        )
    name = str(path) if path else "The database"
    quoted = shlex.quote(str(path)) if path else "PATH"
    # The file alone, in a folder that takes writes: no disk to remount, the file's own mode is what to change.
    alone = path is not None and os.access(Path(path).absolute().parent, os.W_OK)
    remedy = (
        f"make the file writable (`chmod u+w {quoted}`, or `chattr -i {quoted}` if it was made immutable)"
        if alone
        else "remount the disk read-write"
    )
    return ReadOnlyDatabase(
        f"{name} is read-only (a read-only file, folder or disk), so nothing was changed. Commands that only read "
        "(stories, sources, backup, publish --out elsewhere) still work; to change it, copy it to writable storage "
        f"with `python -m tracker backup COPY.db --db {quoted}` and use --db COPY.db, or {remedy}."
    )


def read_only_outdated(path: str | Path, upgrades: int) -> ReadOnlyDatabase:
    """A read-only database that needs upgrades (migrations) this version cannot apply to it, before it can be
    read: what to do, for the command line and the editor's start alike."""
    return ReadOnlyDatabase(
        f"{path} is read-only and needs {upgrades} upgrade(s) this version cannot apply to it. Copy it "
        f"with `python -m tracker backup COPY.db --db {shlex.quote(str(path))}`, then "
        "`python -m tracker init --db COPY.db`."
    )


def _disk_has_no_room(path: str | Path) -> bool:
    try:
        st = os.statvfs(Path(path).absolute().parent)
    except OSError:
        return False
    return st.f_bavail * st.f_frsize < 64 * 1024


def writable(path: str | Path) -> bool:
    """Can this database file (or the file to be created there) be written, with the journal files beside it?

    access() rather than permission bits: it also says no on a read-only
    mount and for an immutable file (chattr +i), even to root.
    """
    path = Path(path).absolute()
    try:
        if path.exists() and not os.access(path, os.W_OK):
            return False
    except OSError:  # Path.exists() raises on a folder this account may not enter (unreachable): no writing there
        return False
    return os.access(path.parent, os.W_OK)


def unreachable(path: str | Path) -> Path | None:
    """The folder on the way to path that this account may not enter (no search permission), or None.

    A file there cannot be opened, made or even looked at: Path.exists() raises PermissionError rather than
    answer, and SQLite says only "unable to open database file". It is no read-only disk, and no copy
    (`backup`) can be made of what cannot be read: the account, or the path, is what to change.
    """
    # As given, then where its links lead (a venv's python linked into another account's home).
    for named in dict.fromkeys([Path(path).absolute(), Path(os.path.realpath(path))]):
        for folder in reversed(named.parents):
            if not os.access(folder, os.X_OK):
                return folder if os.path.isdir(folder) else None
    return None


def not_permitted(path: str | Path) -> TrackerError | None:
    """The one line for a file this account may not reach (a folder on its way it may not enter: unreachable) or
    may not read, or None.

    Said as a read-only file, the advice was to read it (`stories` still works, copy it with `backup`), which
    fails the same way: the account running the command, or the file's permissions, are what to change.
    """
    folder = unreachable(path)
    if folder is not None:
        return TrackerError(
            f"Cannot reach {path}: this account may not enter the folder {folder} (permission denied), so nothing "
            "was read or changed. Run the command as the account that owns it, or give a path this account may use."
        )
    if os.path.isfile(path) and not os.access(path, os.R_OK):
        return TrackerError(
            f"Cannot read {path}: this account may not read it (permission denied), so nothing was read or "
            "changed. Run the command as the account that owns it, or let this account read it (chmod or chown)."
        )
    return None


def read_only_uri(path: str | Path, *, immutable: bool | None = None) -> str:
    """A URI that opens an existing database without ever writing, even on read-only media, and that makes
    nothing beside a file this account may not write.

    mode=ro refuses writes, but reading a WAL database still goes through
    its -shm (the index its connections share of what the -wal holds),
    which SQLite makes, with an empty -wal, when missing: in a read-only
    folder that open fails, and beside a file this account may not write
    they stay (a read-only connection cannot remove them), owned by the
    reader, and the owner's next write failed with "attempt to write a
    readonly database" until someone deleted them. immutable=1 tells SQLite
    nobody changes the file while it is open: it reads it without -shm or
    locks, and makes nothing.

    That is only safe when nothing writes meanwhile: SQLite no longer looks,
    and a read under a writer's checkpoint could see wrong rows or say the
    file is malformed (never damaging it: this connection cannot write). So
    immutable is chosen only for a database this account cannot write
    (`writable`), when no connection has it open: each WAL connection keeps
    the -shm while open, and the last to close removes it and merges the
    -wal. With a -shm beside it (a writer running elsewhere: the file's
    owner, another mount of the folder; or one that ended without closing)
    mode=ro shares that index, as SQLite's own readers and writers agree,
    and sees what the -wal holds. Such a connection is meant for one command
    or one request (the editor opens one per request on such a file), so a
    writer that starts later is noticed at the next. A rollback-journal file
    (a backup) in a folder that takes writes makes nothing beside it with
    mode=ro alone and keeps SQLite's locks. immutable=True asks for it
    whatever the file (a full disk, where nobody can write either).
    """
    path = Path(path).absolute()
    uri = f"file:{quote(str(path))}?mode=ro"
    if immutable is None:
        immutable = (
            not writable(path)
            and not Path(f"{path}-shm").exists()
            and not has_wal_content(path)
            and (in_wal_mode(path) or not os.access(path.parent, os.W_OK))
        )
    return uri + "&immutable=1" if immutable else uri


def in_wal_mode(path: str | Path) -> bool:
    """Is the file a SQLite database in WAL mode (byte 18 of its header is 2)? False for any other file, or none."""
    try:
        with open(path, "rb") as f:
            header = f.read(20)
    except OSError:
        return False
    return len(header) == 20 and header.startswith(b"SQLite format 3\x00") and header[18] == 2


def opens_read_only(path: str | Path) -> bool:
    """Is this database opened read-only (connect's readonly=True): a file that exists and this account cannot
    write, or whose folder it cannot write (a read-only file, folder, mount or share)?

    The one rule the command line's reads and the editor open by: opened as
    usual, SQLite reads such a file only by making a -wal and -shm beside it
    (in a read-only folder it cannot, and every read failed), and a write
    would take the writers' lock file beside it first.
    """
    return Path(path).exists() and not writable(path)


def has_wal_content(path: str | Path) -> bool:
    """Does a -wal beside path hold changes not yet merged into the file? (Empty or absent: no.)"""
    wal = Path(f"{path}-wal")
    return wal.exists() and wal.stat().st_size > 0


def refuse_foreign_wal(path: str | Path) -> None:
    """Refuse a -wal beside a file in rollback-journal mode: it belongs to another file, and would damage this one.

    SQLite applies any -wal it finds beside a database to it, whatever file
    wrote it. The tracker's files are in WAL mode (byte 18 of the header is
    2) from their first write, and a backup (VACUUM INTO) is not: a file in
    rollback mode with changes in a -wal beside it is a backup copied in over
    tracker.db with the old file's -wal left there (docs/operations.md).
    A command calls this before it opens the database, never beside an open
    connection: closing another descriptor of the file would drop the locks
    SQLite holds on it for the whole process.
    """
    path = Path(path)
    if not path.is_file() or not has_wal_content(path):
        return
    try:
        with open(path, "rb") as f:
            header = f.read(20)
    except OSError:
        return  # sqlite3 says what is wrong with the file itself
    if len(header) == 20 and header.startswith(b"SQLite format 3\x00") and header[18] == 1:
        raise TrackerError(
            f"{path}-wal belongs to another file than {path} (a backup copied in over the old one?): SQLite would "
            f"write its pages into this one and damage it. Move {path}-wal and {path}-shm out of the way, then run "
            "the command again (docs/operations.md, Back up and upgrade)."
        )


def refuse_unreadable_wal(path: Path) -> None:
    """Refuse, saying what to copy, a database on read-only media whose changes are still in its -wal.

    A copy taken while the tracker ran (a snapshot, a disk image) holds changes not yet merged into the file in
    tracker.db-wal; SQLite reads them only through a -shm beside it, which a read-only folder cannot hold, and
    reading the file alone (immutable) would show it as it was before them. Neither `stories` nor `backup` can
    read it there, so read_only()'s advice (back it up) would send the admin round in a circle.
    """
    if not has_wal_content(path) or Path(f"{path}-shm").exists() or os.access(path.absolute().parent, os.W_OK):
        return
    raise ReadOnlyDatabase(
        f"{path} has changes not yet merged into it in {path}-wal, which SQLite reads only with a -shm file beside "
        "them, and their folder is read-only (a copy taken while the tracker ran?), so nothing was read. Copy both "
        f"to writable storage (`cp {shlex.quote(str(path))} {shlex.quote(f'{path}-wal')} DIR/`) and use --db "
        f"DIR/{path.name}, or remount the disk read-write."
    )


def refuse_special_file(path: str | Path) -> None:
    """Refuse a device or a named pipe where a database file goes, in one line.

    SQLite says "disk I/O error" of a device and leaves a -journal beside it; a pipe it waits on for ever.
    """
    path = Path(path)
    if path.exists() and not path.is_dir() and not path.is_file():
        raise TrackerError(f"{path} is not a database file (a device or a pipe): give a regular file's path.")


def refuse_missing_folder(path: Path) -> None:
    """A database is created only in a folder that exists, as `backup` and `publish --out` write only into one:
    a mistyped --db made the whole tree and a database nobody would find. The project's own data/ (where the
    default TRACKER_DB and TRACKER_PUBLIC_DB go) is the exception: it is made when missing."""
    from tracker.config import DATA_DIR

    blocking = next((p for p in (path.parent, *path.parent.parents) if p.exists()), None)
    if blocking is not None and not blocking.is_dir():  # mkdir says only "File exists: ..."
        raise TrackerError(f"{blocking} is a file, so no folder can be made in it for {path}: give another path.")
    if path.parent.resolve() != DATA_DIR:
        raise TrackerError(
            f"Cannot create the database {path}: the folder {path.parent} does not exist; "
            "create it first or check --db."
        )


def refuse_folder_name(path: str | Path) -> None:
    """Refuse a database path ending with a slash, which names a folder: Path() drops the slash, and a file was made
    (`--db backups/new/`); one naming a file that exists (`--db tracker.db/`) failed with "Not a directory"."""
    text = os.fspath(path)
    if not text.endswith(os.sep) or not text.strip(os.sep):
        return
    named = Path(text)
    if named.is_file():
        raise TrackerError(
            f"{text} ends with {os.sep}, but {named} is a file, not a folder: give the database file's path "
            f"without the {os.sep}, {named}."
        )
    raise TrackerError(
        f"{text} names a folder (it ends with {os.sep}), not a database file: give a file's path, "
        f"e.g. {named / 'tracker.db'}."
    )


def connect(path: str | Path, *, create: bool = True, readonly: bool = False) -> sqlite_utils.Database:
    """Open `path` with WAL, foreign keys and a busy timeout.

    With create=False a missing file raises NotFound instead of quietly
    creating an empty database. readonly=True opens it without ever
    writing (read_only_uri): for a database on read-only media, or one that
    must not change; a write through it fails with SQLITE_READONLY.
    """
    refuse_folder_name(path)
    path = Path(path)
    if path.is_symlink() and not path.exists():  # SQLite says only "unable to open database file"
        try:
            target = path.resolve(strict=False)
        except RuntimeError:  # Python before 3.13 says a loop of links so
            target = None
        broken = (
            f"it links to {target}, in a folder that does not exist"
            if target is not None and not target.parent.is_dir()
            else None
        )
        if broken is not None or target is None or target == path.absolute():
            raise TrackerError(
                f"{path} is a symbolic link that leads nowhere ({broken or 'a loop of links'}), so nothing was "
                "opened or made: point it at the database (ln -sfn), or give the database's own path with --db."
            )
    if (where := not_utf8_at(str(path))) is not None:  # SQLite would make the file, then fail on reading its name
        raise TrackerError(
            f"The database path {str(os.fsencode(path))[2:-1]} is not UTF-8 ({where}: a folder or file named in "
            "another encoding?), so nothing was made or changed. Give a path in UTF-8 with --db (or TRACKER_DB)."
        )
    if path.is_dir():  # SQLite says only "unable to open database file"
        raise TrackerError(f"{path} is a folder, not a database file: give a file's path, e.g. {path / 'tracker.db'}.")
    refuse_special_file(path)
    if (readonly or not create) and not path.exists():
        raise NotFound(f"No database at {path}: run `python -m tracker init --db {shlex.quote(str(path))}` first.")
    if readonly:
        refuse_unreadable_wal(path)
        conn = sqlite3.connect(read_only_uri(path), uri=True, check_same_thread=False)
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        db = sqlite_utils.Database(conn)
        db.read_only = True
        return db
    if create and not path.parent.is_dir():
        refuse_missing_folder(path)
        path.parent.mkdir(parents=True, exist_ok=True)
    if create:
        _create_private(path)
    conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False)
    db = sqlite_utils.Database(conn)
    try:
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA foreign_keys = ON")
        if conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
            conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")
    except sqlite3.OperationalError as e:
        conn.close()
        # Reading a WAL database needs its -shm, which the last connection to close removed: on a full
        # disk it cannot be made again. With no -wal left, everything is in the file itself, and a
        # full disk lets nobody change it: read it as it is, so reads still work (writes say why not).
        if not path.exists() or has_wal_content(path) or not isinstance(storage_error(e, path), DiskFull):
            raise
        conn = sqlite3.connect(read_only_uri(path, immutable=True), uri=True, check_same_thread=False)
        db = sqlite_utils.Database(conn)
        db.read_only = True
    return db


def _create_private(path: Path) -> None:
    """Make a database file that is not there yet readable by its owner only (0600), as SQLite then finds it.

    The working database holds source identities, internal notes, uploaded documents and password hashes;
    SQLite creates a file by the umask, under the usual 022 readable by every account on the machine, and
    gives its -wal and -shm the mode of the file. An empty file is a valid empty database. Any other failure
    (a read-only folder, a full disk) is left for SQLite to meet and say in its words, as before.
    """
    # A link to a file not made yet (a data disk linked in): O_EXCL refuses to follow it, so make what it names.
    target = path.resolve() if path.is_symlink() else path
    with contextlib.suppress(OSError):
        os.close(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))


def readable_by_others(path: str | Path) -> str | None:
    """A note to print when every account on this machine may read the working database, else None.

    Files made before it was created 0600 kept the umask's 0644. Said, not changed: a newsroom may
    share the file with a group on purpose, and only the "other" read bit is named.
    """
    try:
        if not Path(path).stat().st_mode & stat.S_IROTH:
            return None
    except OSError:
        return None
    return (
        f"note: {path} is readable by every account on this machine, and it holds source identities and "
        f"password hashes; make it yours alone with `chmod 600 {shlex.quote(str(path))}`."
    )


@contextlib.contextmanager
def transaction(db: sqlite_utils.Database, *, wait: bool = True) -> Iterator[sqlite_utils.Database]:
    """A short write transaction that takes the write lock up front.

    BEGIN IMMEDIATE avoids the deadlock where two readers both try to upgrade
    to writers; nested calls become savepoints so domain functions compose.
    A read-only connection (connect's readonly) takes no lock: its first
    write fails with SQLITE_READONLY, said by storage_error, and the lock
    file it would have made (or marked) beside the database stays as it was.
    wait=False is for a write that may be dropped, done while someone waits
    for a page: it fails (WriterWaitTimeout, SQLITE_BUSY) when another writer
    holds the lock past SHORT_WAIT_S, rather than after the busy timeout.
    """
    if not wait and not db.conn.in_transaction:
        with _without_waiting(db):
            with transaction(db) as same:
                yield same
        return
    conn = db.conn
    if conn.in_transaction:
        # One name for every level: ROLLBACK TO and RELEASE act on the most recent savepoint of that
        # name, the innermost. A fresh name per call would be a new statement to compile each time,
        # and would push the queries in sqlite3's statement cache out.
        conn.execute("SAVEPOINT tracker_nested")
        try:
            yield db
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK TO SAVEPOINT tracker_nested")
                conn.execute("RELEASE SAVEPOINT tracker_nested")
            raise
        else:
            conn.execute("RELEASE SAVEPOINT tracker_nested")
        return
    with writer_lock(db) if not getattr(db, "read_only", False) else contextlib.nullcontext():
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield db
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        else:
            try:
                conn.execute("COMMIT")
            except BaseException:
                # A COMMIT that fails (a full disk) can leave the transaction open: end it, or the
                # connection's next user would write inside it.
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise


# How long a write that may be dropped waits for another writer (transaction's wait=False). Not at all: a look at
# a story was dropped whenever any other write was under way (a scrape's pass, another editor's save, a login's
# session), and the page said "Your first look" again; the busy timeout: the page waited 5 s behind a long write.
SHORT_WAIT_S = 0.5


@contextlib.contextmanager
def _without_waiting(db: sqlite_utils.Database) -> Iterator[None]:
    """The writers' queue taken only if it comes within SHORT_WAIT_S, and SQLite's busy timeout that long meanwhile
    (put back after): a transaction inside it waits no longer for another writer."""
    lock = writer_lock(db) if not getattr(db, "read_only", False) else contextlib.nullcontext()
    if isinstance(lock, WriterLock):
        lock.take(SHORT_WAIT_S)
    try:
        timeout = db.conn.execute("PRAGMA busy_timeout").fetchone()[0]
        db.conn.execute(f"PRAGMA busy_timeout = {int(SHORT_WAIT_S * 1000)}")
        try:
            yield
        finally:
            db.conn.execute(f"PRAGMA busy_timeout = {int(timeout)}")
    finally:
        if isinstance(lock, WriterLock):
            lock.__exit__(None, None, None)


class WriterLock:
    """The queue a database file's writers wait in, across threads and processes.

    SQLite lets one writer in at a time; a second one waits in its busy
    handler, which sleeps in steps of up to 100 ms however soon the lock
    frees. Writers queue here instead and go in the moment the writer before
    them commits: threads of one process on a lock, processes (the editor's
    workers, a scrape) on an flock() of a file beside the database, which
    the kernel hands over at once and releases if its holder is killed.
    transaction() takes it; so does anything else that opens a write
    transaction itself (the group commit of tracker/scrape/rechecks.py). Re-entrant: only
    the outermost level locks the file. The file is open only while it is
    held or waited for: kept open, a process writing to many database files in turn (the
    tests, a tool run over many files) held one descriptor for each for good.

    A writer waits as long as SQLite's busy timeout (BUSY_TIMEOUT_MS), then
    raises WriterWaitTimeout, SQLite's "database is locked" naming the
    holder: a holder that is stopped (Ctrl-Z, a debugger) or hung never
    lets go, and every writer behind it waited with it for good. The holder
    writes its pid and command into the file once it has the lock, for that
    message. When the lock is not free at once, the blocking flock() waits
    in a thread of its own (_FlockWaiter), so the writer can give up on it
    while keeping the kernel's prompt handover.
    """

    def __init__(self, path: str) -> None:
        self.database = path
        self.path = f"{path}-lock"
        self._thread_lock = threading.RLock()
        self._depth = 0
        self._fd: int | None = None
        self._waiter: _FlockWaiter | None = None  # this process's place in the queue, kept by a writer that gave up

    def __enter__(self) -> WriterLock:
        return self.take(BUSY_TIMEOUT_MS / 1000)

    def take(self, patience: float) -> WriterLock:
        """Hold the lock, waiting at most `patience` seconds (0: only if it is free now) before WriterWaitTimeout;
        let go with __exit__. A write that may be dropped (a page's record of a look) does not wait its turn."""
        deadline = time.monotonic() + patience
        if not self._thread_lock.acquire(timeout=patience):
            raise self._held_too_long(patience)
        try:
            if self._depth == 0 and fcntl is not None:
                self._fd = self._take_file(deadline, patience)
        except BaseException:
            self._thread_lock.release()
            raise
        self._depth += 1
        return self

    def _take_file(self, deadline: float, patience: float) -> int | None:
        """The lock file's descriptor, holding its flock(); None where files cannot be locked (SQLite's busy
        handler still keeps writers apart there, only less promptly: a read-only folder, a file system
        without flock)."""
        waiter, self._waiter = self._waiter, None
        if waiter is None or not waiter.rejoin():
            try:
                fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
            except OSError:
                return None
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                waiter = _FlockWaiter(fd, self.path)
            except OSError:
                os.close(fd)
                return None
            else:
                return _mark_holder(fd)
        try:
            came, fd = waiter.take(deadline - time.monotonic())
        except BaseException:
            self._waiter = waiter
            raise
        if not came:
            self._waiter = waiter
            raise self._held_too_long(patience)
        return None if fd is None else _mark_holder(fd)

    def _held_too_long(self, patience: float) -> WriterWaitTimeout:
        pid, name, stopped = _holder_of(self.path)
        if pid is None:
            holder = "another process"
            advice = "if a tracker command is stopped (Ctrl-Z), resume it with fg or end it"
        elif pid == os.getpid():
            holder = f"another thread of this process (pid {pid}, {name})"
            advice = "if it is paused in a debugger, let it go on or end the process"
        else:
            holder = f"another tracker process (pid {pid}, {name})"
            advice = (
                "it is stopped (Ctrl-Z, or paused in a debugger): resume it with fg or end it"
                if stopped
                else "if it is stopped (Ctrl-Z), resume it with fg or end it"
            )
        error = WriterWaitTimeout(holder, self.database, patience, advice)
        error.holder_runs = pid is not None and pid != os.getpid() and not stopped
        return error

    def __exit__(self, *exc: object) -> None:
        self._depth -= 1
        if self._depth == 0 and self._fd is not None:
            fd, self._fd = self._fd, None
            _release(fd)
        self._thread_lock.release()


def _release(fd: int) -> None:
    try:
        fcntl.flock(fd, fcntl.LOCK_UN)  # first: a child forked meanwhile shares the open file
    finally:
        os.close(fd)


class _FlockWaiter:
    """A blocking flock() of a lock file in a thread of its own, that the writer waiting for it can give up on.

    The kernel wakes the thread the moment the holder lets go, and the
    writer waiting on the event with it at once. A writer that gave up
    leaves it queued (an flock() cannot be called off) but no longer wanted:
    when it comes, the thread lets go of it at once and closes the file, so
    it never holds up the writers behind it. A writer of the same process
    trying again meanwhile takes this place (rejoin) rather than queueing a
    second descriptor, so a process has at most one for each file.
    """

    def __init__(self, fd: int, path: str) -> None:
        self._fd: int | None = fd
        self._guard = threading.Lock()
        self._came = threading.Lock()  # held until the lock comes: a plain lock wakes its waiter soonest
        self._came.acquire()
        self._finished = False
        self._wanted = True
        threading.Thread(target=self._wait, name=f"writer lock: {path}", daemon=True).start()

    def _wait(self) -> None:
        try:
            fcntl.flock(self._fd, fcntl.LOCK_EX)
            failed = False
        except OSError:  # no lock to wait for after all (ENOLCK): the writer goes on without, as without flock()
            failed = True
        with self._guard:
            self._finished = True
            if failed or not self._wanted:
                fd, self._fd = self._fd, None
                if failed:
                    os.close(fd)
                else:
                    _release(fd)
        self._came.release()

    def rejoin(self) -> bool:
        """Want the lock again; False when it already came and was let go (queue afresh)."""
        with self._guard:
            if self._finished:
                return False
            self._wanted = True
            return True

    def take(self, timeout: float) -> tuple[bool, int | None]:
        """(True, the locked descriptor or None without a lock) once the lock came; (False, None) when the
        timeout ran out first: no longer wanted, the lock is let go as soon as it comes."""
        try:
            self._came.acquire(timeout=max(0.0, timeout))
        except BaseException:  # Ctrl-C while waiting: the lock must not stay with nobody to let go of it
            with self._guard:
                self._wanted = False
                fd = None
                if self._finished:
                    fd, self._fd = self._fd, None
            if fd is not None:
                _release(fd)
            raise
        with self._guard:
            if not self._finished:
                self._wanted = False
                return False, None
            fd, self._fd = self._fd, None
            return True, fd


class WriterWaitTimeout(sqlite3.OperationalError):
    """The writers' queue did not move within the busy timeout: SQLite's own "database is locked" (SQLITE_BUSY),
    which every handler of a locked database already knows, naming what holds the database and what to do."""

    def __init__(self, holder: str, database: str, seconds: float, advice: str) -> None:
        super().__init__(f"database is locked: {holder} has held it for {seconds:g} s; {advice}")
        self.holder, self.database, self.seconds, self.advice = holder, database, seconds, advice
        self.holder_runs = False  # another process holds it and is not stopped: it is working, not stuck
        self.sqlite_errorcode, self.sqlite_errorname = SQLITE_BUSY, "SQLITE_BUSY"

    def __reduce__(self):
        return type(self), (self.holder, self.database, self.seconds, self.advice)

    def explain(self, outcome: str, database: str | Path | None = None) -> str:
        """One line: who held which database for how long, so `outcome` (what was not done), and what to do."""
        said = (
            f"{self.holder} has held the write lock of {database or self.database} for {self.seconds:g} s, "
            f"so {outcome}; {self.advice}, then try again."
        )
        return said[0].upper() + said[1:]


# The servers that run nothing of the tracker's but the editor (tracker/serve.py starts its workers with
# gunicorn; docs/development.md runs it alone with flask), named as a reporter knows them.
EDITOR_SERVERS = {"gunicorn": "the editor run by tracker serve", "flask": "the editor's development server"}


def process_name(argv: list[str]) -> str:
    """How the lock file names a process to the writers waiting for it: "tracker scrape steampro", "the editor
    run by tracker serve".

    The program (a package run with -m by its package's name) and the
    command's first two words: never its options, nor what they give (a
    password on the command line), nor the arguments of `python -c`. The
    editor's servers are named as the editor (EDITOR_SERVERS).
    """
    if not argv:
        return "python"
    if argv[0] == "-c":  # python -c SCRIPT: its arguments say little without the script
        return "python -c"
    program = Path(argv[0])
    name = (program.parent.name if program.name == "__main__.py" else program.name).removesuffix(".py")
    if name in EDITOR_SERVERS:
        return EDITOR_SERVERS[name]
    words = []
    for word in argv[1:3]:
        if word.startswith("-"):
            break
        words.append(word)
    return _printable(" ".join([name, *words]))


def _printable(text: str) -> str:
    """At most 100 characters of text for a one-line message, every control character (an escape) shown as ?."""
    return "".join(ch if ch.isprintable() else "?" for ch in text[:100])


_HOLDER_RECORD: dict[int, bytes] = {}  # by pid: a forked child writes its own


def _holder_record() -> bytes:
    pid = os.getpid()
    record = _HOLDER_RECORD.get(pid)
    if record is None:
        record = _HOLDER_RECORD[pid] = f"{pid} {process_name(sys.argv)}\n".encode()
    return record


def _mark_holder(fd: int) -> int:
    """Write this process's pid and command into the lock file it just locked (unless they are there already)."""
    record = _holder_record()
    try:
        if os.pread(fd, 512, 0) != record:
            os.pwrite(fd, record, 0)
            os.ftruncate(fd, len(record))
    except OSError:  # a full disk: the lock holds all the same, and a writer that waits is told less
        pass
    return fd


def _holder_of(path: str) -> tuple[int | None, str, bool]:
    """The pid, command and stopped state (SIGSTOP, a debugger) of the process the lock file names, if it runs."""
    try:
        with open(path, "rb") as f:  # another descriptor of the file: flock() locks stay with the one that took them
            pid_text, _, name = f.read(512).decode("utf-8", "replace").strip().partition(" ")
        pid, name = int(pid_text), _printable(name)
    except (OSError, ValueError):  # no file, or nothing written in it yet
        return None, "", False
    if pid <= 0:
        return None, "", False
    try:
        os.kill(pid, 0)
    except PermissionError:  # it runs, as another user
        pass
    except OSError:  # that process has ended
        return None, "", False
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return pid, name, False
    return pid, name, stat.rpartition(")")[2].split()[:1] in (["T"], ["t"])


_WRITER_LOCKS: dict[str, WriterLock] = {}
_LOCKS_GUARD = threading.Lock()


def _forget_locks_after_fork() -> None:
    # A forked child shares its parent's open lock files, and flock() counts them as one holder.
    _WRITER_LOCKS.clear()


os.register_at_fork(after_in_child=_forget_locks_after_fork)


def path_of(db: sqlite_utils.Database) -> str:
    """The file of db's main database ("" for an in-memory or temporary one)."""
    return next((row[2] for row in db.conn.execute("PRAGMA database_list") if row[1] == "main"), "")


@contextlib.contextmanager
def patient_writer_lock(db: sqlite_utils.Database) -> Iterator[None]:
    """The writers' queue for work that waits its turn however long the writer ahead runs: migrations.

    A migration or backfill of a large database can hold the lock for
    minutes, and `serve` or `watch` started beside it (after an upgrade)
    must wait for it rather than fail after the busy timeout. Each time the
    timeout runs out while the holder is still running, the wait is logged
    and goes on; a holder that is stopped (Ctrl-Z) or gone ends it with
    WriterWaitTimeout, as any writer's would.
    """
    lock = writer_lock(db)
    while True:
        try:
            lock.__enter__()
            break
        except WriterWaitTimeout as error:
            if not error.holder_runs:
                raise
            log.info("waiting for %s to finish with %s", error.holder, error.database)
    try:
        yield
    finally:
        lock.__exit__(None, None, None)


def writer_lock(db: sqlite_utils.Database) -> WriterLock | contextlib.nullcontext:
    """The WriterLock of db's file (nothing to lock for an in-memory database)."""
    lock = getattr(db, "_tracker_writer_lock", None)
    if lock is None:
        path = path_of(db)
        if not path:  # an in-memory or temporary database: no other connection can write to it
            lock = contextlib.nullcontext()
        else:
            real = os.path.realpath(path)
            with _LOCKS_GUARD:
                lock = _WRITER_LOCKS.setdefault(real, WriterLock(real))
        db._tracker_writer_lock = lock
    return lock


def marks(values) -> str:
    """One `?` per value, comma-separated: the placeholders of an IN (...) list."""
    return ", ".join("?" for _ in values)


def now() -> str:
    """UTC timestamp as ISO 8601 text, the one format every table stores."""
    return utc_now()


def backup(db: sqlite_utils.Database, dest: str | Path) -> Path:
    """A consistent copy of a live database, safe while others write, and never a half-written file.

    VACUUM INTO writes a temporary name beside dest, which is renamed into
    place only once it is complete and on disk: a full disk or a kill leaves
    no file at dest to block the next attempt, and the temporary file is
    removed on failure. A killed backup cannot remove its own (a copy as
    large as the database, hidden by its dot), and dated backup names never
    repeat: every backup removes those a killed one left in its folder
    (_remove_stale_backups). VACUUM INTO only reads the source, so a
    database on read-only media can be backed up too.
    """
    dest = Path(dest)
    if dest.exists():
        raise TrackerError(f"{dest} already exists; choose a new path for the backup.")
    if not dest.parent.is_dir():  # a typo in the path made the whole tree; publish --out refuses it too
        what = "is not a folder" if dest.parent.exists() else "does not exist"
        raise TrackerError(f"Cannot back up to {dest}: the folder {dest.parent} {what}; create it first.")
    held = _hold_stop_signals()  # a Ctrl-C between making the temporary file and the try below left it behind
    try:
        _remove_stale_backups(dest)
        fd, tmp = _locked_temporary(dest)
    except OSError as e:
        _release_stop_signals(held)
        raise _backup_failed(e, dest) or TrackerError(f"Cannot write in {dest.parent}: {e.strerror or e}.") from None
    try:
        _release_stop_signals(held)  # a stop that came meanwhile is raised here, where the file is removed
        db.execute("VACUUM INTO ?", [str(tmp)])  # into the empty file, which SQLite allows
        fsync_path(tmp)
        _move_into_place(tmp, dest)
        fsync_path(dest.parent)
    except FileExistsError:
        raise TrackerError(f"{dest} already exists; choose a new path for the backup.") from None
    except (sqlite3.Error, OSError) as e:
        raise _backup_failed(e, dest, path_of(db) or None) or TrackerError(
            f"The backup to {dest} failed ({e}); nothing was written."
        ) from None
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        os.close(fd)  # releases the lock, once the file is gone
    return dest


_STOP_SIGNALS = {getattr(signal, name) for name in ("SIGINT", "SIGTERM") if hasattr(signal, name)}


def _hold_stop_signals() -> set | None:
    """Hold Ctrl-C and SIGTERM back (on the main thread, where Python raises them) while a file that
    must be removed on failure is made; what the mask was, for _release_stop_signals. None where
    signals cannot be held (Windows, or another thread)."""
    if not hasattr(signal, "pthread_sigmask") or threading.current_thread() is not threading.main_thread():
        return None
    return signal.pthread_sigmask(signal.SIG_BLOCK, _STOP_SIGNALS)


def _release_stop_signals(held: set | None) -> None:
    """Let the signals _hold_stop_signals held back through again: one that came meanwhile is raised now."""
    if held is not None:
        signal.pthread_sigmask(signal.SIG_SETMASK, held)


# A backup's temporary file: "." + the backup's name + ".tmp-" + mkstemp's eight characters.
_BACKUP_TEMPORARY = re.compile(r"\..+\.tmp-[A-Za-z0-9_]{8}")


def _locked_temporary(dest: Path) -> tuple[int, Path]:
    """A new empty temporary file beside dest, and its descriptor holding an flock() on it for as long as
    it is open: the kernel drops the lock when the backup ends, killed or not, so a file whose lock is
    free was left by a backup that is no longer running."""
    while True:
        fd, name = tempfile.mkstemp(prefix=f".{dest.name}.tmp-", dir=dest.parent)
        if fcntl is None:
            return fd, Path(name)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
        except OSError:  # a file system without locks (ENOLCK): other backups cannot lock it either, so keep it
            return fd, Path(name)
        if os.fstat(fd).st_nlink:
            return fd, Path(name)
        os.close(fd)  # another backup took it for a killed one's before it was locked: make another


def _remove_stale_backups(dest: Path) -> None:
    """Remove the temporary files killed backups left in dest's folder, whatever their backup's name.

    Only files named as backup() names them, that hold the start of a
    database copy (nothing yet, zeros: VACUUM INTO writes the header last,
    or a SQLite header) and whose lock no running backup holds. Without
    flock() (Windows) only what one left under dest's own name goes.
    """
    if fcntl is None:
        leftovers = dest.parent.glob(f".{glob.escape(dest.name)}.tmp-*")
    else:
        leftovers = (p for p in dest.parent.glob(".*.tmp-*") if _BACKUP_TEMPORARY.fullmatch(p.name))
    for leftover in leftovers:
        try:
            fd = os.open(leftover, os.O_RDONLY)
        except OSError:
            continue
        try:
            if fcntl is not None:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            head = os.read(fd, 16)
            if head.strip(b"\0") and head != b"SQLite format 3\0":
                continue
            if os.path.samestat(os.fstat(fd), os.stat(leftover)):
                leftover.unlink()
        except OSError:  # a running backup's (BlockingIOError), or gone meanwhile
            continue
        finally:
            os.close(fd)
    # VACUUM INTO keeps a rollback journal beside the copy it writes: once the copy is gone (removed above, or
    # by an older version that left the journal), its journal belongs to no backup.
    for journal in dest.parent.glob(".*.tmp-*-journal"):
        copy = journal.with_name(journal.name.removesuffix("-journal"))
        if _BACKUP_TEMPORARY.fullmatch(copy.name) and not copy.exists():
            with contextlib.suppress(OSError):
                journal.unlink()


def _backup_failed(e: BaseException, dest: Path, source: str | None = None) -> StorageError | None:
    """What a full or read-only disk means for a backup, about dest: the temporary name it was
    writing is not one the admin typed, and a read-only folder wants another path, not a copy.
    A copy of `source` (the database backed up) as large as the file size limit could not be written:
    SQLite has emptied the temporary file by now, so the source's size tells."""
    if source is not None and isinstance(e, (sqlite3.Error, OSError)) and past_file_size_limit(source):
        return file_too_large(dest)
    if isinstance(e, OSError) and e.filename:
        e = OSError(e.errno, e.strerror)
    storage = storage_error(e, dest)
    if isinstance(storage, ReadOnlyDatabase):
        return ReadOnlyDatabase(
            f"Cannot write {dest}: its folder is read-only (a read-only folder or disk), so no backup was made. "
            "Give a path on writable storage, or remount the disk read-write."
        )
    return storage


def _move_into_place(tmp: Path, dest: Path) -> None:
    """Give the finished file its name: a hard link, which refuses to replace a file someone made at dest
    meanwhile, or a rename on file systems without hard links (FAT, exFAT: backup sticks)."""
    try:
        os.link(tmp, dest)
    except FileExistsError:
        raise
    except OSError as e:
        if e.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EMLINK):
            raise
        if dest.exists():
            raise FileExistsError(errno.EEXIST, "exists", str(dest)) from None
        os.rename(tmp, dest)


def fsync_path(path: str | Path) -> None:
    """Flush a file, or a folder's entries (a rename into it), to the disk."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def rows(db: sqlite_utils.Database, sql: str, params: dict | list | tuple = ()) -> list[dict]:
    """Run a parameterized query and return its rows as dicts."""
    cur = db.execute(sql, params)
    cols = [d[0] for d in cur.description]
    return [dict(zip(cols, r)) for r in cur.fetchall()]


def one(db: sqlite_utils.Database, sql: str, params: dict | list | tuple = ()) -> dict | None:
    """The first row of a parameterized query as a dict, or None."""
    cur = db.execute(sql, params)
    row = cur.fetchone()
    return None if row is None else dict(zip([d[0] for d in cur.description], row))
