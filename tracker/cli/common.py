"""What every command shares: the --db option, one clear line instead of a traceback, opening the database.

`with_db` is the one decorator a command over the working database needs
(like sqlite-utils' shared option decorators): it adds --db, passes the
click context, and turns a domain error (TrackerError), a database error or
a file system error into click's one-line message and a non-zero exit. A
full or read-only disk gets a line naming the file and what to do
(tracker.db.storage_error); a command that prints a summary prints it
first, so the last line says why it stopped.
"""

from __future__ import annotations

import errno
import functools
import math
import os
import select
import shlex
import sqlite3
import sys
from collections.abc import Callable
from pathlib import Path

import click

from scrapers.records import size_in_words
from tracker.config import Settings
from tracker.db import (
    SQLITE_NOTADB,
    NotFound,
    TrackerError,
    connect,
    damaged,
    database_error,
    has_wal_content,
    not_permitted,
    not_utf8_at,
    opens_read_only,
    read_only,
    read_only_outdated,
    refuse_folder_name,
    refuse_foreign_wal,
    stopping_error,
    storage_error,
)

# The exit status of a run that did its work but not all of it (a source or a target failed), told apart from 1,
# a run that could not start or stopped on an error, so a cron job can tell them apart (docs/operations.md).
PARTLY_FAILED = 3


class WholeNumber(click.IntRange):
    """A bounded integer, named as a person would: click's own says "'abc' is not a valid integer range"."""

    name = "whole number"


class Number(click.FloatRange):
    """A bounded number, named as a person would ("'fast' is not a valid number"), not a "float range".

    NaN is no number here: float() takes "nan", and every comparison with it is false, so the range let it
    through (`demo-live --pace nan` started a demo whose stages never came due). The settings refuse it too.
    """

    name = "number"

    def convert(self, value, param, ctx) -> float:
        number = super().convert(value, param, ctx)
        if math.isnan(number):
            self.fail(f"{value!r} is not a valid {self.name}.", param, ctx)
        return number


# A TCP port: beyond 65535 the socket layer wraps the number round (99999 listens on 34463) or overflows.
PORT = WholeNumber(1, 65535)


# Saved pages, texts and sentence lists are kilobytes to a few megabytes; /dev/zero or a runaway pipe never ends.
INPUT_LIMIT = 64 * 1024 * 1024


def read_input(file: str) -> bytes:
    """The bytes of FILE (- for standard input); OSError (EFBIG) past INPUT_LIMIT rather than memory running out."""
    if not file.strip():  # `extract "$UNSET"`: open("") said only "No such file or directory: ''"
        raise OSError(errno.ENOENT, "an empty path: give a file's path, or - for standard input", file)
    if file == "-":
        if sys.stdin is None:  # `<&-`: Python leaves sys.stdin None when file descriptor 0 is closed
            raise OSError(errno.EBADF, "standard input is closed; pipe the text in or give a file's path", file)
        data = sys.stdin.buffer.read(INPUT_LIMIT + 1)
    else:
        with open(file, "rb") as f:
            data = f.read(INPUT_LIMIT + 1)
    if len(data) > INPUT_LIMIT:
        raise OSError(errno.EFBIG, f"larger than {size_in_words(INPUT_LIMIT)}; split it into smaller files", file)
    return data


def shown(name: str) -> str:
    """A file name or address as a line on the terminal shows it, never runs it: a byte that is not UTF-8 as \\xe9
    (standard output takes only UTF-8), an escape code or other control character as \\x1b.

    Names come from elsewhere: `ingest STORY saved/*` lists pages saved under names a site chose, and an escape
    code in one acted on the terminal of whoever ran it (cleared it, retitled it, hid what followed).
    """
    text = name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    return "".join(ch if ch.isprintable() else ascii(ch)[1:-1] for ch in text)


# What the shell reports for a command SIGPIPE ended (128 + 13): `yes | head -1`'s yes, and ours when `| head` stops
# reading. Python ignores SIGPIPE, so the write fails with EPIPE instead and the command ends with this status.
READER_GONE = 141


def gone_readers(e: BaseException) -> list[int]:
    """Standard output and error among the pipes whose reader stopped reading (`sources | head -2`), if e came of one.

    Empty for any other error, a full disk under standard output included: that one is reported. A pipe whose
    reader has closed it polls as an error (POLLERR); a file, a terminal or a live pipe does not.
    """
    if not isinstance(e, BrokenPipeError):
        return []
    gone = []
    for stream in (sys.stdout, sys.stderr):
        try:
            fd = stream.fileno()
            poller = select.poll()
            poller.register(fd, select.POLLOUT)
            if any(events & select.POLLERR for _, events in poller.poll(0)):
                gone.append(fd)
        except (AttributeError, OSError, ValueError):  # closed, or no file descriptor (a test runner's buffer)
            continue
    return gone


RUN_IT_AGAIN = "What the command saved is kept; make room there or send the output elsewhere, then run it again."


def output_error(e: BaseException, outcome: str = RUN_IT_AGAIN) -> TrackerError | None:
    """The error of a write to standard output or error that failed (`> /dev/full`, a full disk under `> file`).

    None for any other error. All output goes through click.echo, so a failed write to a stream is told by
    echo's frame in the traceback; the file it went to is named when it has a path. Said as storage_error
    would, it blamed the database's disk. `outcome`: what became of the command's work and what to do, for a
    command whose lost output cannot be had by running it again (`users token`, `demo`'s password).
    """
    if not isinstance(e, OSError) or e.filename is not None:
        return None
    tb = e.__traceback__
    while tb is not None and tb.tb_frame.f_code is not click.echo.__code__:
        tb = tb.tb_next
    if tb is None:
        return None
    stream = tb.tb_frame.f_locals.get("file")
    try:
        fd = stream.fileno()
    except (AttributeError, OSError, ValueError):
        fd = None
    name = {1: "standard output", 2: "standard error"}.get(fd, "the output")
    try:
        target = os.readlink(f"/proc/self/fd/{fd}") if fd is not None else ""
    except OSError:
        target = ""
    where = f" ({target})" if target.startswith("/") else ""
    return TrackerError(f"Could not write to {name}{where}: {e.strerror or e}. {outcome}")


def stop_quietly(fds: list[int]) -> click.exceptions.Exit:
    """The exit of a command whose reader went away: no message, and nothing left to fail on the way out.

    Python flushes standard output once more as it ends: pointed at /dev/null, that flush cannot fail again
    and print "Exception ignored ... BrokenPipeError".
    """
    devnull = os.open(os.devnull, os.O_WRONLY)
    for fd in fds:
        os.dup2(devnull, fd)
    os.close(devnull)
    return click.exceptions.Exit(READER_GONE)


def exit_partly_failed(ctx: click.Context, what: str) -> None:
    """End the command with PARTLY_FAILED, saying so on standard error in one line."""
    click.echo(f"partly failed: {what}; exit status {PARTLY_FAILED}.", err=True)
    ctx.exit(PARTLY_FAILED)


def not_empty(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """`--db "$UNSET"` (or `--out`, or `backup`'s PATH) is a mistake, not a request for the default database."""
    if value is not None and not value.strip():
        if isinstance(param, click.Argument):  # `backup "$UNSET"`: no default to fall back to
            raise click.BadParameter("an empty path: give the database file's path.")
        raise click.BadParameter(
            f"an empty path: give the database file's path, or leave {param.opts[0]} out for the default."
        )
    return value


def story_argument(*, required: bool = True) -> Callable:
    """STORY, a story's short name: an empty one (`scrape "$STORY"` with STORY unset) is refused, not read as none.

    Without it, an optional STORY left empty meant every story: `scrape ""` scraped them all.
    """

    def not_empty_story(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
        if value is not None and not value.strip():
            leave_out = "" if required else ", or leave STORY out for every story"
            raise click.BadParameter(
                f"an empty story name: give a story's short name (`python -m tracker stories` lists them){leave_out}."
            )
        return value

    return click.argument("story", required=required, callback=not_empty_story)


class StoryFirstGroup(click.Group):
    """`sources [STORY]` and `stories [STORY]` list, `sources add ...` adds: a first word that is not a subcommand
    names the story, and goes to the group's `list`."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        i = 0
        while i < len(args) and args[i].startswith("-"):
            i += 1 if "=" in args[i] or args[i] in ("-h", "--help") else 2
        if i < len(args) and args[i] not in self.commands:
            args = [*args[:i], "list", *args[i:]]
        return super().parse_args(ctx, args)


def db_option(f: Callable) -> Callable:
    """Every command takes --db, so it works before or after the command name."""
    return click.option(
        "--db",
        "db_path",
        default=None,
        metavar="PATH",
        callback=not_empty,
        help="Working database (default: $TRACKER_DB or data/tracker.db).",
    )(f)


def handle_errors(f: Callable) -> Callable:
    """A domain or file system error as one line and exit status 1, never a traceback.

    Ctrl-C in a command that does not say what it kept itself (ingest, scrape, backup do) is said here too: click
    said only "Aborted!". Each write is one transaction, rolled back when stopped (tracker.db.transaction).
    """

    @functools.wraps(f)
    def wrapper(*args, **kwargs):
        try:
            return f(*args, **kwargs)
        except KeyboardInterrupt as e:
            from tracker.cli.stop_signals import Terminated

            how = "SIGTERM" if isinstance(e, Terminated) else "Ctrl-C"
            raise click.ClickException(
                f"Stopped ({how}) before the command was done: the step in hand was not saved (what it said it had "
                "done is kept); run it again."
            ) from None
        except TrackerError as e:
            raise click.ClickException(str(e)) from None
        except sqlite3.Error as e:
            path = _db_path_of_current_command()
            problem = (
                (path and not_permitted(path))
                or stopping_error(e, path, reading=_reads_only())
                or _not_sqlite(e, path)
                or database_error(e, path)
            )
            raise click.ClickException(str(problem)) from None
        except UnicodeEncodeError as e:
            problem = not_utf8(e)
            if problem is None:
                raise
            raise click.ClickException(str(problem)) from None
        except OSError as e:
            if gone_readers(e):
                raise  # not an error to report: the command group ends the command quietly
            problem = output_error(e) or _not_permitted(e) or storage_error(e)
            if problem is not None:
                raise click.ClickException(str(problem)) from None
            raise click.ClickException(f"{e.strerror or e}: {e.filename or ''}".strip(": ")) from None

    return wrapper


def _not_permitted(e: OSError) -> TrackerError | None:
    """A file refused because this account may not reach or read it (tracker.db.not_permitted), not a read-only disk."""
    if e.errno not in (errno.EACCES, errno.EPERM) or not e.filename:
        return None
    return not_permitted(e.filename)


def not_utf8(e: UnicodeEncodeError) -> TrackerError | None:
    """An argument typed in another encoding than UTF-8, named, with its bytes as a person reads them; else None.

    Python reads a command line's bytes that are not UTF-8 (a Latin-1 terminal's "café", a script's file) as
    stand-ins (surrogate escapes), which SQLite, a UTF-8 store, refuses as it is handed them: before the write,
    so the transaction it was in rolls back and nothing is changed. A file name in another encoding is not this:
    it is opened by its bytes, and only the text made of it is stored.
    """
    if "surrogates" not in (e.reason or ""):
        return None
    name, where = _argument_holding_surrogates(click.get_current_context(silent=True))
    if where is None:
        name, where = "An argument", not_utf8_at(e.object) if isinstance(e.object, str) else None
    return TrackerError(
        f"{name} is not UTF-8 text ({where or 'a byte'}: typed or saved in another encoding?), so nothing was "
        "changed. Set the terminal or script to UTF-8 and give it again."
    )


def _argument_holding_surrogates(ctx: click.Context | None) -> tuple[str, str | None]:
    """The command line's parameter (its option or its name, as --help shows it) whose value holds a stand-in byte,
    and where (tracker.db.not_utf8_at)."""
    while ctx is not None:
        for param in ctx.command.params:
            values = ctx.params.get(param.name)
            for value in values if isinstance(values, (list, tuple)) else [values]:
                if isinstance(value, str) and (where := not_utf8_at(value)) is not None:
                    return (param.opts[0] if isinstance(param, click.Option) else param.human_readable_name), where
        ctx = ctx.parent
    return "", None


SQLITE_HEADER = b"SQLite format 3\x00"


def _not_sqlite(e: sqlite3.Error, path: str | None) -> TrackerError | None:
    """A file that is no SQLite database at all (`--db notes.txt`), said so rather than taken for a damaged one."""
    if path is None or (getattr(e, "sqlite_errorcode", 0) or 0) & 0xFF != SQLITE_NOTADB:
        return None
    try:
        with open(path, "rb") as f:
            header = f.read(len(SQLITE_HEADER))
    except OSError:
        return None
    if header == SQLITE_HEADER:
        return None  # a database whose first page is damaged: the integrity check is the next step
    return TrackerError(
        f"{path} is not a SQLite database, so nothing was changed: give --db (or TRACKER_DB) the tracker's "
        "database file, or a new file's path to create one with `python -m tracker init`."
    )


def _db_path_of_current_command() -> str | None:
    ctx = click.get_current_context(silent=True)
    if ctx is None:
        return None
    try:
        return resolve_db_path(ctx, ctx.params.get("db_path"))
    except TrackerError:
        return None


# Set by open_db in the command's context: True while every database it opened was opened to read only.
READS_ONLY = "tracker.reads_only"


def _reads_only() -> bool:
    """Whether the current command only reads the working database (open_db's write=False), so an error has no
    step in hand to leave unsaved."""
    ctx = click.get_current_context(silent=True)
    return ctx is not None and ctx.meta.get(READS_ONLY, False)


def with_db(f: Callable) -> Callable:
    """--db, the click context as the first argument, and errors as one line: the stack every such command had."""
    return db_option(click.pass_context(handle_errors(f)))


def settings_of(ctx: click.Context) -> Settings:
    """The settings this invocation read from the environment, once, when the group started."""
    root = ctx.find_root()
    if not isinstance(root.obj, Settings):
        root.obj = Settings.from_env()
    return root.obj


def resolve_db_path(ctx: click.Context, db_path: str | None) -> str:
    """The database named on the command, else on the nearest group that names one, else the settings' (TRACKER_DB).

    Every group between counts: `sources --db X add ...` and `stories --db X add ...` mean X.
    """
    level = ctx
    while not db_path and level is not None:
        db_path, level = level.params.get("db_path"), level.parent
    path = db_path or settings_of(ctx).db
    refuse_folder_name(path)  # before any look at the file: "Not a directory" said nothing of the slash
    return path


def open_db(ctx: click.Context, db_path: str | None, *, create: bool = False, write: bool = True, migrate: bool = True):
    """Open and migrate the working database.

    Commands other than init and demo refuse to silently create an empty
    database. A command that only reads says write=False: a database on
    read-only media (a read-only file, folder or mount) is then opened
    read-only, without the upgrade a read-only file cannot take; a command
    that writes is refused up front with what to do. migrate=False (backup)
    reads the file as it is.
    """
    from tracker import migrations

    ctx.meta[READS_ONLY] = ctx.meta.get(READS_ONLY, True) and not write
    path = resolve_db_path(ctx, db_path)
    refuse_foreign_wal(path)
    if not create:
        refuse_empty_file(path)
    if write:
        refuse_read_only(path)
    elif opens_read_only(path):
        db = connect(path, readonly=True)
        pending = migrations.pending_names(db) if migrate else []
        if pending:
            db.close()
            raise read_only_outdated(path, len(pending))
        return db
    if migrate:
        refuse_foreign(path)
    db = connect(path, create=create)
    if migrate:
        migrations.apply(db)
    return db


def refuse_read_only(path: str) -> None:
    """Refuse a command that writes a database that exists and cannot be written (a read-only file, folder or
    disk), before it is opened: in one line saying what to do (tracker.db.read_only), nothing made beside it.

    Opened anyway, SQLite reads a read-only file in a writable folder and made its -wal and -shm there, and a
    command with nothing to write (`init` on an up-to-date file) said it was done.
    """
    if opens_read_only(path):
        raise read_only(path)


def refuse_empty_file(path: str) -> None:
    """Refuse a database file of no bytes, as a missing one is (connect's NotFound), to commands that do not create.

    SQLite takes an empty file for a new database, and the migrations made it one: a file cut to nothing (a
    restore onto a full disk, `touch`) became an empty database under `stories` or `watch`, with no word.
    One whose pages are all still in its -wal (a new database no checkpoint has reached) is a database.
    """
    file = Path(path)
    if file.is_file() and file.stat().st_size == 0 and not has_wal_content(file):
        raise NotFound(
            f"{path} is an empty file, not a database (a copy or restore cut short?), so nothing was changed: put "
            "the database there, or make this one a new database with "
            f"`python -m tracker init --db {shlex.quote(path)}`."
        )


def refuse_foreign(path: str) -> None:
    """Refuse another program's database (or a newer tracker's) before opening it for writing changes it.

    connect() puts a database in WAL mode, a change to its header, before
    migrations.apply() could say the file is not ours and leave it alone.
    A read-only look first keeps that promise. An empty or missing file is a new database; a file
    already in WAL mode (byte 18 of its header) is left as it is by connect(), which then reads it.
    """
    from tracker import migrations

    if not Path(path).is_file():
        return
    refuse_foreign_wal(path)
    with open(path, "rb") as f:
        header = f.read(20)
    if not header or header[18:19] == b"\x02":
        return
    db = connect(path, readonly=True)
    try:
        migrations.check_ours(db)
    except sqlite3.Error as e:
        if damaged(e):
            raise  # damaged, or not a database: said as it is, and the file left for a recovery tool untouched
        # Unreadable without writing (a hot journal to roll back): connect() and migrations.apply() open
        # and judge it, as they did before this look.
        return
    finally:
        db.close()
