"""The public site: `publish` builds it, `serve` runs it beside the editor."""

from __future__ import annotations

import click

from tracker import config
from tracker.cli.common import open_db, resolve_db_path, with_db


@click.command()
@click.option("--out", default=None, metavar="PATH", help="Public database (default: data/public.db).")
@with_db
def publish(ctx: click.Context, out: str | None, db_path: str | None) -> None:
    """Build the public database from the allow-list and swap it in atomically.

    Logged like the editor's "Publish now", so the editor's publish page lists it.

    \b
    Example:
        python -m tracker publish --out data/public.db
    """
    from tracker.publish_log import publish_and_log

    db = open_db(ctx, db_path)
    summary, _ = publish_and_log(db, out or config.default_public_db())
    click.echo(f"Published {summary['claims']} claim(s), {summary['events']} timeline event(s) to {summary['path']}.")


@click.command()
@click.option("--editor-port", default=5000, show_default=True, envvar="EDITOR_PORT", type=int)
@click.option("--public-port", default=8001, show_default=True, envvar="PUBLIC_PORT", type=int)
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--public-db", default=None, metavar="PATH", help="Public database (default: data/public.db).")
@click.option(
    "--workers",
    type=click.IntRange(1, 64),
    envvar="EDITOR_WORKERS",
    help="Editor worker processes, 2 threads each (default: two per core, at most 8).",
)
@with_db
def serve(
    ctx: click.Context,
    editor_port: int,
    public_port: int,
    host: str,
    public_db: str | None,
    workers: int | None,
    db_path: str | None,
) -> None:
    """Run the editor (gunicorn) and the public site (Datasette) together until Ctrl-C.

    \b
    Example:
        python -m tracker serve --editor-port 5000 --public-port 8001
    """
    from tracker.serve import serve_both

    path = resolve_db_path(ctx, db_path)
    open_db(ctx, path)
    serve_both(path, public_db or config.default_public_db(), host, editor_port, public_port, workers, echo=click.echo)
