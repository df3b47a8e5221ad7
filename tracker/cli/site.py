"""The public site: `publish` builds it, `serve` runs it beside the editor."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import click

from tracker.cli.common import PORT, WholeNumber, not_empty, open_db, resolve_db_path, settings_of, with_db
from tracker.db import TrackerError, refuse_special_file, storage_error


@click.command()
@click.option(
    "--out",
    default=None,
    metavar="PATH",
    callback=not_empty,
    help="Public database (default: $TRACKER_PUBLIC_DB or data/public.db).",
)
@click.option("--yes", is_flag=True, help="Publish the changes listed, without an editor's review on the Publish page.")
@click.option(
    "--refresh-only",
    is_flag=True,
    help="Rebuild only when readers would see no change (start-up scripts); listed changes wait for an editor.",
)
@with_db
def publish(ctx: click.Context, out: str | None, yes: bool, refresh_only: bool, db_path: str | None) -> None:
    """Build the public database from the allow-list and swap it in atomically.

    Changes readers would see are listed first, and published only with
    --yes: otherwise they wait for an editor on the editor's Publish page,
    which lists each one with its diff. With nothing to change for readers
    (or no public file yet) it simply rebuilds. Logged like the editor's
    "Publish now", so the editor's publish page lists it.

    \b
    Examples:
        python -m tracker publish --out data/public.db
        python -m tracker publish --yes
    """
    from tracker.publish import publish as build
    from tracker.publish_log import publish_and_log, refuse_unlogged
    from tracker.publish_review import one_line, review

    if yes and refresh_only:  # --refresh-only used to win silently, leaving the changes --yes asked for unpublished
        raise click.UsageError(
            "--yes publishes the changes listed and --refresh-only leaves them for an editor: give one of them."
        )
    db = open_db(ctx, db_path, write=False)
    public_db = settings_of(ctx).public_db
    out = out or public_db
    if getattr(db, "read_only", False) and os.path.realpath(out) == os.path.realpath(public_db):
        refuse_unlogged(
            resolve_db_path(ctx, db_path),
            out,
            outcome=f"nothing was published and {out} was left unchanged",
            then="publish again; to build a copy elsewhere meanwhile, give --out PATH",
        )
    if Path(out).is_dir():  # said before the review lists every change against a file that is not there
        raise TrackerError(
            f"{out} is a folder, not the public database file: give a file's path, e.g. {Path(out) / 'public.db'}."
        )
    refuse_special_file(out)  # a pipe was waited on for ever by the review's first read
    first = not Path(out).exists()
    if not first:
        _refuse_unreplaceable(out)  # said before the review lists every item as going public into it
    pending = review(db, out)
    if pending.held:
        click.echo(f"{len(pending.held)} claim(s) held at their ruled wording:")
        for claim in pending.held:
            click.echo("  " + claim["line"])
    if pending.changes and not first:
        click.echo(f"{len(pending.changes)} change(s) readers would see:")
        for change in pending.changes[:200]:
            click.echo("  " + one_line(change))
        if len(pending.changes) > 200:
            click.echo(f"  ... and {len(pending.changes) - 200} more (the editor's Publish page lists them all)")
        if refresh_only:
            click.echo("Left the public site as it is: these wait for an editor on the Publish page.")
            return
        if not yes:
            raise TrackerError(
                "Nothing was published: review these on the editor's Publish page, or run again with --yes "
                "to publish them as listed."
            )
    note = ""
    if getattr(db, "read_only", False):
        # The build only reads the working database (nothing can change it between the review and the
        # build); its log is the one thing a read-only file cannot take.
        summary = build(db, out)
        note = f" Not logged: {resolve_db_path(ctx, db_path)} is read-only."
    else:
        try:
            summary, _, _ = publish_and_log(db, out, reviewed=pending.digest)
        except sqlite3.Error as e:  # the build turns its own errors into PublishError: this is the log's write
            problem = storage_error(e, resolve_db_path(ctx, db_path)) or e
            raise click.ClickException(f"Published to {out}, but the publish log was not written: {problem}") from None
    click.echo(
        f"Published {summary['claims']} claim(s), {summary['events']} timeline event(s) to {summary['path']}.{note}"
    )


def _refuse_unreplaceable(out: str) -> None:
    """Refuse, before any review, a file the publish would refuse to replace: not a database, or another one.

    The review compares against what it can read of the file: nothing, for a text file, so every item was
    listed as going public and the advice was to review them on the Publish page; only --yes reached the
    swap, which said the file could never be published to. A file a read-only look cannot judge (a hot
    journal to roll back) is left to the publish, as before.
    """
    from tracker.db import damaged, read_only_uri
    from tracker.publish import refuse_other_databases

    try:
        conn = sqlite3.connect(read_only_uri(out), uri=True)
        try:
            refuse_other_databases(conn, Path(out), "--out")
        finally:
            conn.close()
    except sqlite3.DatabaseError as e:
        if not damaged(e):
            return
        raise TrackerError(
            f"Cannot publish to {out}: {e} (is it a SQLite file?), so nothing was changed: give --out the public "
            "database's path, or a new file's."
        ) from None


def _not_empty_host(ctx: click.Context, param: click.Parameter, value: str) -> str:
    """`--host "$HOST"` with HOST unset: an empty address means every interface to a server, and was told to set
    TRACKER_PUBLIC_URL (with it set, "Cannot listen on :8001:  could not be resolved"). Refused as the mistake it is."""
    if not value.strip():
        raise click.BadParameter(
            "an empty address: give 127.0.0.1 (this machine only, the default), or 0.0.0.0 for every interface."
        )
    return value


@click.command()
@click.option("--editor-port", type=PORT, help="The editor's port (default: $EDITOR_PORT or 5000).")
@click.option("--public-port", type=PORT, help="The public site's port (default: $PUBLIC_PORT or 8001).")
@click.option("--host", default="127.0.0.1", show_default=True, callback=_not_empty_host, help="Address to listen on.")
@click.option(
    "--public-db",
    default=None,
    metavar="PATH",
    callback=not_empty,
    help="Public database (default: $TRACKER_PUBLIC_DB or data/public.db).",
)
@click.option(
    "--workers",
    type=WholeNumber(1, 64),
    help="Editor worker processes, 2 threads each (default: $EDITOR_WORKERS, else two per core, at most 8).",
)
@click.option("--live-demo", is_flag=True, help="Also play the live demo story and watch its sources.")
@click.option("--demo-port", type=PORT, help="The live demo's port on 127.0.0.1 (default: $DEMO_PORT or 8188).")
@with_db
def serve(
    ctx: click.Context,
    editor_port: int | None,
    public_port: int | None,
    host: str,
    public_db: str | None,
    workers: int | None,
    live_demo: bool,
    demo_port: int | None,
    db_path: str | None,
) -> None:
    """Run the editor (gunicorn) and the public site (Datasette) together until Ctrl-C.

    With --live-demo (as `make run` does), also the live demo's fictional
    sites on 127.0.0.1:--demo-port, its stages and desk, and a `watch` on
    its story.

    \b
    Example:
        python -m tracker serve --editor-port 5000 --public-port 8001
        python -m tracker serve --live-demo --demo-port 8188
    """
    from tracker.serve import serve_both

    settings = settings_of(ctx)
    settings = settings.replace(db=resolve_db_path(ctx, db_path), public_db=public_db or settings.public_db)
    workers = workers or settings.editor_workers
    if workers is not None and not 1 <= workers <= 64:
        raise click.BadParameter(f"EDITOR_WORKERS={workers} is not in the range 1-64.", param_hint="--workers")
    open_db(ctx, settings.db, write=False).close()
    serve_both(
        settings,
        host,
        settings.editor_port if editor_port is None else editor_port,
        settings.public_port if public_port is None else public_port,
        workers,
        echo=click.echo,
        demo_port=(settings.demo_port if demo_port is None else demo_port) if live_demo else None,
    )
