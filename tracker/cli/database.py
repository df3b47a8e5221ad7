"""Commands on the working database itself: create or upgrade it, load the demo, back it up."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import click
import sqlite_utils

from tracker.cli.common import (
    gone_readers,
    not_empty,
    open_db,
    output_error,
    refuse_foreign,
    refuse_read_only,
    resolve_db_path,
    with_db,
)
from tracker.cli.coverage import report_ingest
from tracker.db import connect, readable_by_others, storage_error


@click.command()
@with_db
def init(ctx: click.Context, db_path: str | None) -> None:
    """Create the working database, or bring it up to date.

    \b
    Example:
        python -m tracker init --db data/tracker.db
    """
    from tracker import migrations

    path = resolve_db_path(ctx, db_path)
    refuse_foreign(path)
    refuse_read_only(path)  # an up-to-date file said "up to date" though nothing could be changed
    db = connect(path, create=True)
    try:
        applied = migrations.apply(db)
    except sqlite3.Error as exc:
        problem = storage_error(exc, path)
        if problem is None:
            raise
        raise type(problem)(f"{problem} {_migrations_saved(db)}") from None
    if applied:
        click.echo(f"{path}: applied {len(applied)} migration(s): {', '.join(applied)}")
    else:
        click.echo(f"{path}: up to date")
    if note := readable_by_others(path):
        click.echo(note)


def _migrations_saved(db: sqlite_utils.Database) -> str:
    """How far the schema got, read back through the connection that met the full disk: one that filled after
    the last migration was saved (writing a backfill or the checkpoint) left every one in, and "the step in hand
    was not saved" alone sounded as if nothing were. (A new connection to a file on a full disk may not open.)"""
    from tracker.migrations import migrations

    try:
        if db.conn.in_transaction:
            db.conn.rollback()
        if not db[migrations.migrations_table].exists():  # no migration table yet: nothing to add
            return ""
        saved = len(migrations.applied(db))
        total = saved + len(migrations.pending(db))
    except sqlite3.Error:  # the file unreadable: nothing to add
        return ""
    if saved >= total:
        return f"All {total} schema migrations are saved; run init again to finish."
    return f"{saved} of {total} schema migrations are saved; run init again to apply the rest."


@click.command()
@with_db
def demo(ctx: click.Context, db_path: str | None) -> None:
    """Load the bundled demo story from data/demo/, offline. Running it twice changes nothing.

    \b
    Example:
        python -m tracker demo
    """
    from tracker.demo import EDITOR, load_demo
    from tracker.users import find_user

    db = open_db(ctx, db_path, create=True)
    had_editor = find_user(db, EDITOR) is not None
    try:
        result = load_demo(db, echo=click.echo, report=report_ingest)
        if result.get("password"):
            click.echo(
                f"Demo editor account created: username {result['username']!r}, password {result['password']!r} "
                "(shown once; it is not stored in plain text)."
            )
        else:
            # Its editor's password was shown once, as it loaded: a run killed before that line never showed it.
            click.echo(
                f"Demo story {result['slug']!r} already loaded; nothing changed (its editor's password was shown "
                f"when it loaded; lost it? `python -m tracker users passwd {EDITOR}` sets a new one)."
            )
    except OSError as e:
        # The output failed once the demo was stored: run again, it is "already loaded", and the password it
        # shows once is gone with the output. Said how to set one, on standard error while a reader is there.
        if had_editor or find_user(db, EDITOR) is None:
            raise
        lost = (
            f"The demo is loaded, but the password of its editor account ({EDITOR}) was lost with the output: set "
            f"one with `python -m tracker users passwd {EDITOR}`."
        )
        if gone := gone_readers(e):
            if 2 not in gone:
                click.echo(lost, err=True)
            raise
        if problem := output_error(e, outcome=lost):
            raise click.ClickException(str(problem)) from None
        raise


@click.command()
@click.argument("path", type=click.Path(dir_okay=False), callback=not_empty)
@with_db
def backup(ctx: click.Context, path: str, db_path: str | None) -> None:
    """Write a consistent copy of the working database to PATH, safe while others write.

    \b
    Example:
        python -m tracker backup backups/tracker-2026-11-25.db
    """
    from tracker.cli.stop_signals import Terminated, terminate_as_interrupt
    from tracker.db import backup as do_backup

    db = open_db(ctx, db_path, write=False, migrate=False)
    try:
        with terminate_as_interrupt():  # SIGTERM's default end left the partial copy behind until the next backup
            dest = do_backup(db, path)
    except KeyboardInterrupt as e:
        # The copy is made under a temporary name and put in place whole: stopped, the copy in hand is removed;
        # a backup refuses a PATH that exists, so one there now is this one, stopped after it was put in place.
        how = "SIGTERM" if isinstance(e, Terminated) else "Ctrl-C"
        if Path(path).exists():
            raise click.ClickException(f"Stopped ({how}) as the backup finished; {path} is complete.") from None
        raise click.ClickException(
            f"Stopped ({how}) before the copy was done, so no backup was made at {path} (the partial copy was "
            "removed, the database is untouched); run it again."
        ) from None
    click.echo(f"Backed up to {dest} ({Path(dest).stat().st_size:,} bytes).")
