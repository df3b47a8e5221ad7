"""`alerts run` (the sender, as `serve` starts it) and `alerts send-pending` (for cron)."""

from __future__ import annotations

import click

from tracker.cli.common import Number, db_option, open_db, with_db


@click.group()
@db_option
def alerts(db_path: str | None) -> None:
    """Send alerts: new statements, changes, rulings, candidates, source trouble (see docs/alerts.md).

    \b
    Examples:
        python -m tracker alerts run
        python -m tracker alerts send-pending
    """


@alerts.command("send-pending")
@with_db
def send_pending(ctx: click.Context, db_path: str | None) -> None:
    """Send every alert that is due now, then exit (for cron); digests and rate-limited ones wait.

    \b
    Example (every minute from cron):
        * * * * *  cd /srv/tracker && .venv/bin/python -m tracker alerts send-pending
    """
    from tracker.alerts.sender import send_pending as send

    result = send(open_db(ctx, db_path))
    click.echo(f"Sent {result['sent']} message(s); {result['failed']} failed (see Account → Alert settings).")
    if result["failed"] and not result["sent"]:
        ctx.exit(1)


@alerts.command("run")
@click.option(
    "--poll",
    default=0.25,
    show_default=True,
    type=Number(0, 3600),  # a wait beyond the platform's time_t (inf, 1e300) is an OverflowError
    help="Seconds between looks at the outbox when idle.",
)
@with_db
def run(ctx: click.Context, poll: float, db_path: str | None) -> None:
    """Send alerts as they happen until Ctrl-C or SIGTERM (`serve` starts this beside the editor).

    `watch` sends alerts itself; run this when neither `serve` nor `watch`
    runs, or as a sender of its own. Messages in flight when it stops are
    finished and recorded first.

    \b
    Example:
        python -m tracker alerts run
    """
    from tracker.alerts.sender import Sender
    from tracker.cli.stop_signals import stop_on_signals

    db = open_db(ctx, db_path)
    sender = Sender(db)
    click.echo(f"Sending alerts (links to {sender.editor_url}); Ctrl-C to stop.", err=True)
    with stop_on_signals(lambda: None) as stop:
        sender.run(stop, poll=max(0.05, poll))
    click.echo(f"Stopped: {sender.sent} sent, {sender.failed} failed.", err=True)
