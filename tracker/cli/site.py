"""The public site: `publish` builds it, `serve` runs it beside the editor."""

from __future__ import annotations

import click

from tracker.cli.common import open_db, resolve_db_path, settings_of, with_db


@click.command()
@click.option(
    "--out", default=None, metavar="PATH", help="Public database (default: $TRACKER_PUBLIC_DB or data/public.db)."
)
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
    summary, _ = publish_and_log(db, out or settings_of(ctx).public_db)
    click.echo(f"Published {summary['claims']} claim(s), {summary['events']} timeline event(s) to {summary['path']}.")


@click.command()
@click.option("--editor-port", type=int, help="The editor's port (default: $EDITOR_PORT or 5000).")
@click.option("--public-port", type=int, help="The public site's port (default: $PUBLIC_PORT or 8001).")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option(
    "--public-db", default=None, metavar="PATH", help="Public database (default: $TRACKER_PUBLIC_DB or data/public.db)."
)
@click.option(
    "--workers",
    type=click.IntRange(1, 64),
    help="Editor worker processes, 2 threads each (default: $EDITOR_WORKERS, else two per core, at most 8).",
)
@with_db
def serve(
    ctx: click.Context,
    editor_port: int | None,
    public_port: int | None,
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

    settings = settings_of(ctx)
    settings = settings.replace(db=resolve_db_path(ctx, db_path), public_db=public_db or settings.public_db)
    workers = workers or settings.editor_workers
    if workers is not None and not 1 <= workers <= 64:
        raise click.BadParameter(f"EDITOR_WORKERS={workers} is not in the range 1-64.", param_hint="--workers")
    open_db(ctx, settings.db)
    serve_both(
        settings,
        host,
        settings.editor_port if editor_port is None else editor_port,
        settings.public_port if public_port is None else public_port,
        workers,
        echo=click.echo,
    )
