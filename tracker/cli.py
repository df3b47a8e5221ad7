"""The one command line: `python -m tracker [--db PATH] COMMAND`.

Each command is a few lines over a domain function; domain errors become one
clear line and a non-zero exit, never a traceback.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from pathlib import Path

import click

from tracker import config
from tracker.db import TrackerError, connect


def db_option(f: Callable) -> Callable:
    """Every command takes --db, so it works before or after the command name."""
    return click.option(
        "--db",
        "db_path",
        default=None,
        metavar="PATH",
        help="Working database (default: $TRACKER_DB or data/tracker.db).",
    )(f)


def handle_errors(f: Callable) -> Callable:
    @functools.wraps(f)
    def wrapper(*args, **kwargs):
        try:
            return f(*args, **kwargs)
        except TrackerError as e:
            raise click.ClickException(str(e)) from None
        except OSError as e:
            raise click.ClickException(f"{e.strerror or e}: {e.filename or ''}".strip(": ")) from None

    return wrapper


def open_db(ctx: click.Context, db_path: str | None, *, create: bool = False):
    """The database named on the command, else on the group, else the default.

    Commands other than init refuse to silently create an empty database.
    """
    path = db_path or ctx.find_root().params.get("db_path") or config.default_db()
    from tracker import migrations

    db = connect(path, create=create)
    migrations.apply(db)
    return db


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@db_option
@click.version_option(package_name=None, version=__import__("tracker").__version__)
def cli(db_path: str | None) -> None:
    """Newsroom Tracker: follow a developing story from coverage to a public evidence timeline.

    \b
    Start with the bundled demo story:
        python -m tracker init
        python -m tracker demo
        python -m tracker publish
        python -m tracker serve
    """


@cli.command()
@db_option
@click.pass_context
@handle_errors
def init(ctx: click.Context, db_path: str | None) -> None:
    """Create the working database, or bring it up to date.

    \b
    Example:
        python -m tracker init --db data/tracker.db
    """
    from tracker import migrations

    path = db_path or ctx.find_root().params.get("db_path") or config.default_db()
    db = connect(path, create=True)
    applied = migrations.apply(db)
    if applied:
        click.echo(f"{path}: applied {len(applied)} migration(s): {', '.join(applied)}")
    else:
        click.echo(f"{path}: up to date")


@cli.group()
def users() -> None:
    """Manage accounts: reporters, editors and admins."""


@users.command("add")
@click.argument("username")
@click.option("--role", default="reporter", show_default=True, help="reporter, editor or admin.")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@db_option
@click.pass_context
@handle_errors
def users_add(ctx: click.Context, username: str, role: str, password_stdin: bool, db_path: str | None) -> None:
    """Add an account; the password is prompted for, or read with --password-stdin.

    \b
    Examples:
        python -m tracker users add ana --role editor
        echo "$PASSWORD" | python -m tracker users add ben --role reporter --password-stdin
    """
    from tracker.users import add_user

    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    user = add_user(open_db(ctx, db_path), username, password, role)
    click.echo(f"Added {user['role']} {user['username']}.")


@users.command("token")
@click.argument("username")
@db_option
@click.pass_context
@handle_errors
def users_token(ctx: click.Context, username: str, db_path: str | None) -> None:
    """Create an API token for USERNAME and print it once, as the last line.

    \b
    Example:
        python -m tracker users token ana
    """
    from tracker.users import create_token

    token = create_token(open_db(ctx, db_path), username)
    click.echo("Store this token now; it is not shown again:", err=True)
    click.echo(token)


@cli.command()
@db_option
@click.pass_context
@handle_errors
def demo(ctx: click.Context, db_path: str | None) -> None:
    """Load the bundled demo story from data/demo/, offline. Running it twice changes nothing.

    \b
    Example:
        python -m tracker demo
    """
    from tracker.demo import load_demo

    path = db_path or ctx.find_root().params.get("db_path") or config.default_db()
    db = connect(path, create=True)
    from tracker import migrations

    migrations.apply(db)
    result = load_demo(db, echo=click.echo)
    if result.get("password"):
        click.echo(
            f"Demo editor account created: username {result['username']!r}, password {result['password']!r} "
            "(shown once; it is not stored in plain text)."
        )
    else:
        click.echo(f"Demo story {result['slug']!r} already loaded; nothing changed.")


@cli.command()
@click.argument("story")
@click.argument("targets", nargs=-1, required=True, metavar="PATH_OR_URL...")
@db_option
@click.pass_context
@handle_errors
def ingest(ctx: click.Context, story: str, targets: tuple[str, ...], db_path: str | None) -> None:
    """Ingest saved files or URLs into STORY now; feeds and pages are told apart by their content.

    \b
    Examples:
        python -m tracker ingest amazon-ai-activity data/demo/feed.xml
        python -m tracker ingest amazon-ai-activity https://news.example.com/story.html
    """
    from tracker.ingest import ingest_targets

    summary = ingest_targets(open_db(ctx, db_path), story, list(targets), echo=click.echo)
    if summary.get("failed") and summary.get("failed") == len(targets):
        ctx.exit(1)  # nothing ingested; each target's reason is already on its own line
    click.echo(", ".join(f"{k}: {v}" for k, v in summary.items()))


@cli.command()
@click.option("--out", default=None, metavar="PATH", help="Public database (default: data/public.db).")
@db_option
@click.pass_context
@handle_errors
def publish(ctx: click.Context, out: str | None, db_path: str | None) -> None:
    """Build the public database from the allow-list and swap it in atomically.

    \b
    Example:
        python -m tracker publish --out data/public.db
    """
    from tracker.publish import publish as build

    db = open_db(ctx, db_path)
    summary = build(db, out or config.default_public_db())
    click.echo(f"Published {summary['claims']} claim(s), {summary['events']} timeline event(s) to {summary['path']}.")


@cli.command()
@click.argument("path", type=click.Path(dir_okay=False))
@db_option
@click.pass_context
@handle_errors
def backup(ctx: click.Context, path: str, db_path: str | None) -> None:
    """Write a consistent copy of the working database to PATH, safe while others write.

    \b
    Example:
        python -m tracker backup backups/tracker-2026-11-25.db
    """
    from tracker.db import backup as do_backup

    dest = do_backup(open_db(ctx, db_path), path)
    click.echo(f"Backed up to {dest} ({Path(dest).stat().st_size:,} bytes).")


@cli.command()
@click.option("--editor-port", default=5000, show_default=True, envvar="EDITOR_PORT", type=int)
@click.option("--public-port", default=8001, show_default=True, envvar="PUBLIC_PORT", type=int)
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--public-db", default=None, metavar="PATH", help="Public database (default: data/public.db).")
@db_option
@click.pass_context
@handle_errors
def serve(
    ctx: click.Context, editor_port: int, public_port: int, host: str, public_db: str | None, db_path: str | None
) -> None:
    """Run the editor (waitress) and the public site (Datasette) together until Ctrl-C.

    \b
    Example:
        python -m tracker serve --editor-port 5000 --public-port 8001
    """
    from tracker.serve import serve_both

    path = db_path or ctx.find_root().params.get("db_path") or config.default_db()
    open_db(ctx, path)
    serve_both(path, public_db or config.default_public_db(), host, editor_port, public_port, echo=click.echo)
