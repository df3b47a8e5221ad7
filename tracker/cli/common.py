"""What every command shares: the --db option, one clear line instead of a traceback, opening the database.

`with_db` is the one decorator a command over the working database needs
(like sqlite-utils' shared option decorators): it adds --db, passes the
click context, and turns a domain error (TrackerError) or a file system
error into click's one-line message and a non-zero exit.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

import click

from tracker.config import Settings
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
    """A domain or file system error as one line and exit status 1, never a traceback."""

    @functools.wraps(f)
    def wrapper(*args, **kwargs):
        try:
            return f(*args, **kwargs)
        except TrackerError as e:
            raise click.ClickException(str(e)) from None
        except OSError as e:
            raise click.ClickException(f"{e.strerror or e}: {e.filename or ''}".strip(": ")) from None

    return wrapper


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
    """The database named on the command, else on the group, else the settings' (TRACKER_DB)."""
    return db_path or ctx.find_root().params.get("db_path") or settings_of(ctx).db


def open_db(ctx: click.Context, db_path: str | None, *, create: bool = False):
    """Open and migrate the working database.

    Commands other than init and demo refuse to silently create an empty database.
    """
    from tracker import migrations

    db = connect(resolve_db_path(ctx, db_path), create=create)
    migrations.apply(db)
    return db
