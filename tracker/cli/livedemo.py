"""The live demo's own commands: play it (`demo-live`), and say where its fictional sites are."""

from __future__ import annotations

import click

from tracker.cli.common import PORT, Number, handle_errors, not_empty, open_db, settings_of, with_db


@click.command("demo-live")
@click.option("--port", type=PORT, help="Port on 127.0.0.1 (default: $DEMO_PORT or 8188).")
@click.option(
    "--public-db", default=None, metavar="PATH", callback=not_empty, help="Public database the desk publishes to."
)
@click.option(
    "--pace",
    type=Number(0, 100),  # 100: some four hours; far beyond, a stage's time overflows the date
    help="Stretch the wait between stages (2: twice as slow); 0: only the Next stage button moves the story "
    "(default: $DEMO_PACE or 1).",
)
@with_db
def demo_live(ctx: click.Context, port: int | None, public_db: str | None, pace: float | None, db_path: str | None):
    """Play the live demo: a fictional story on fictional sites served on 127.0.0.1, until Ctrl-C.

    Adds the story and its sources, serves the sites (data/demo/live/),
    advances the stages on a timer and runs the demo desk, which logs,
    rules and publishes a few claims at each stage. The scraping is
    `watch`'s, told where the fictional sites are by TRACKER_DEMO_HOSTS;
    `make run` (`serve --live-demo`) starts both with the editor and the
    public site.

    \b
    Example, by hand:
        python -m tracker demo-live --port 8188 &
        TRACKER_DEMO_HOSTS=$(python -m tracker demo-live-hosts --port 8188) \\
            python -m tracker watch steampro-kettles
    """
    from tracker.cli.stop_signals import stop_on_signals
    from tracker.livedemo import runner
    from tracker.serve import listen

    settings = settings_of(ctx)
    port = settings.demo_port if port is None else port
    # A taken port said before the story and its sources are added, naming what moves it.
    listen("127.0.0.1", port, "--port or DEMO_PORT").close()
    db = open_db(ctx, db_path, create=True)

    def stopping() -> None:
        click.echo("Live demo: stopping.", err=True)

    try:
        with stop_on_signals(stopping) as stop:
            runner.run(
                db,
                port,
                public_db or settings.public_db,
                stop=stop,
                echo=click.echo,
                pace=settings.demo_pace if pace is None else pace,
            )
    except KeyboardInterrupt:  # a second Ctrl-C, or `serve` stopping us after the terminal's Ctrl-C
        pass


@click.command("demo-live-hosts")
@click.option("--port", type=PORT, help="Port on 127.0.0.1 (default: $DEMO_PORT or 8188).")
@click.pass_context
@handle_errors
def demo_live_hosts(ctx: click.Context, port: int | None) -> None:
    """Print the TRACKER_DEMO_HOSTS value that maps the live demo's fictional sites to 127.0.0.1:PORT.

    \b
    Example:
        export TRACKER_DEMO_HOSTS=$(python -m tracker demo-live-hosts --port 8188)
    """
    from tracker.livedemo.runner import host_map_setting
    from tracker.livedemo.world import load_world

    click.echo(host_map_setting(load_world(), settings_of(ctx).demo_port if port is None else port))
