"""Commands on the working database itself: create or upgrade it, load the demo, back it up."""

from __future__ import annotations

from pathlib import Path

import click

from tracker.cli.common import not_empty, open_db, refuse_foreign, resolve_db_path, with_db
from tracker.cli.coverage import report_ingest
from tracker.db import connect, readable_by_others


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
    applied = migrations.apply(connect(path, create=True))
    if applied:
        click.echo(f"{path}: applied {len(applied)} migration(s): {', '.join(applied)}")
    else:
        click.echo(f"{path}: up to date")
    if note := readable_by_others(path):
        click.echo(note)


@click.command()
@with_db
def demo(ctx: click.Context, db_path: str | None) -> None:
    """Load the bundled demo story from data/demo/, offline. Running it twice changes nothing.

    \b
    Example:
        python -m tracker demo
    """
    from tracker.demo import load_demo

    result = load_demo(open_db(ctx, db_path, create=True), echo=click.echo, report=report_ingest)
    if result.get("password"):
        click.echo(
            f"Demo editor account created: username {result['username']!r}, password {result['password']!r} "
            "(shown once; it is not stored in plain text)."
        )
    else:
        click.echo(f"Demo story {result['slug']!r} already loaded; nothing changed.")


@click.command()
@click.argument("path", type=click.Path(dir_okay=False), callback=not_empty)
@with_db
def backup(ctx: click.Context, path: str, db_path: str | None) -> None:
    """Write a consistent copy of the working database to PATH, safe while others write.

    \b
    Example:
        python -m tracker backup backups/tracker-2026-11-25.db
    """
    from tracker.db import backup as do_backup

    dest = do_backup(open_db(ctx, db_path, write=False, migrate=False), path)
    click.echo(f"Backed up to {dest} ({Path(dest).stat().st_size:,} bytes).")
