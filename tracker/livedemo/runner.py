"""Play the live demo: its story and sources set up, its fictional web served, stages advanced, the desk run.

`python -m tracker demo-live` runs this until Ctrl-C; `python -m tracker
serve --live-demo` (what `make run` uses) starts it beside the editor, the
public site and a `watch` on the story. Fetching is not done here: the
watch loop scrapes the fictional sites like any others, so what arrives in
the editor is what the real scraper made of them.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path

import sqlite_utils

from tracker import sources, stories
from tracker.alerts import subscriptions
from tracker.db import TrackerError, path_of, storage_error, transaction
from tracker.livedemo import stages
from tracker.livedemo.desk import HELD, desk_user, run_desk
from tracker.livedemo.web import DemoWeb, Reached
from tracker.livedemo.world import World, load_world

# What the demo story's alert default sends everyone (Notifications, and any destination they add): each stage's
# changes, rulings and publishes as they go out. New candidates (several a page) are left to the triage queue.
ALERT_KINDS = (
    "statement_new",
    "coverage_changed",
    "evidence_changed",
    "ruling",
    "correction",
    "source_failing",
    "publish",
)
TICK = 1.0  # seconds between two looks at the clock, the database (the editor's button) and the desk


def setup(db: sqlite_utils.Database, world: World | None = None) -> dict:
    """The live demo's story, its sources (polled every few seconds) and the desk's account; idempotent.

    Returns the story. Sources already there are left as they are, so a
    reporter who paused one keeps it paused.
    """
    world = world or load_world()
    spec = world.story
    with transaction(db):
        try:
            story = stories.get_story(db, spec.slug)
        except stories.StoryNotFound:
            story = stories.create_story(db, spec.slug, spec.title, spec.description, keywords_include=spec.keywords)
        known = {s["url"] for s in sources.list_sources(db, story["id"])}
        for host, kind in spec.sources:
            url = world.source_url(host, kind)
            if url in known:
                continue
            site = world.sites[host]
            settings: dict = {"every": spec.poll_every}
            if kind == "statement" and site.newsroom_pattern:
                settings["pattern"] = site.newsroom_pattern
            sources.add_source(db, story["id"], url, kind, site.name, settings)
        desk = desk_user(db)
        # Set once: an editor who changed or muted it keeps their choice when the demo starts again.
        if not any(default["story_id"] == story["id"] for default in subscriptions.story_defaults(db)):
            subscriptions.set_story_default(db, desk, story["id"], {"kinds": list(ALERT_KINDS)})
    return story


def host_map_setting(world: World, port: int) -> str:
    """TRACKER_DEMO_HOSTS for a demo server on 127.0.0.1:port: each fictional site's name -> that server."""
    return ",".join(f"{host}=127.0.0.1:{port}" for host in world.sites)


def run(
    db: sqlite_utils.Database,
    port: int,
    public_db: str | Path | None,
    *,
    stop: threading.Event,
    echo: Callable[[str], object] = print,
    world: World | None = None,
    ready: Callable[[DemoWeb], object] | None = None,
    pace: float = 1.0,
) -> None:
    """Serve the fictional web on 127.0.0.1:port and play the story until `stop` is set.

    pace: stages.advance_if_due's (0: only the Next stage button moves past the first stage).
    """
    world = world or load_world()
    setup(db, world)
    reached = Reached(stages.reached(db))
    try:
        web = DemoWeb(world, reached, port).start()
    except OSError as e:
        raise TrackerError(
            f"Cannot serve the live demo on 127.0.0.1:{port} ({e.strerror}); set DEMO_PORT to a free port."
        ) from None
    echo(f"Live demo: the fictional sites are served at http://{web.address} (an index of their pages is there).")
    if ready is not None:
        ready(web)
    shown = max(reached.get(), default=0)
    said: set[str] = set()

    def once(line: str) -> None:
        """A problem that lasts is said once, not every second."""
        if line not in said:
            said.add(line)
            echo(line)

    try:
        while not stop.is_set():
            try:
                shown = _tick(db, world, reached, public_db, shown, echo, once, pace)
            except sqlite3.OperationalError as e:  # busy or locked past the timeout, or a full or read-only disk
                storage = storage_error(e, path_of(db))
                once(f"Live demo: {storage} It keeps trying." if storage else f"Live demo: {e}; trying again.")
            stop.wait(TICK)
    finally:
        web.close()


def _tick(
    db: sqlite_utils.Database,
    world: World,
    reached: Reached,
    public_db: str | Path | None,
    shown: int,
    echo: Callable[[str], object],
    once: Callable[[str], object],
    pace: float,
) -> int:
    stages.advance_if_due(db, world, pace=pace)
    state = stages.progress(db, world, pace)
    reached.set(state.reached)
    for number in range(shown + 1, state.stage + 1):
        stage = world.stages[number - 1]
        echo(f"Live demo: stage {number} of {world.last_stage}, {stage.title}. {stage.happens}")
        if number == world.last_stage:
            echo("Live demo: that was the last stage; the fictional web stays up as it is now.")
    try:
        report = run_desk(db, world, state.stage, public_db)
    except TrackerError as e:  # a data file that does not match its pages: say so, keep serving
        once(f"Live demo desk: {e}")
        return state.stage
    for line in report.done:
        echo(f"Live demo desk: {line}")
    if report.published:
        echo("Live demo desk: published.")
    if report.held_began:
        echo(f"Live demo desk: {HELD}.")
    if report.problem:
        then = "It logs that publish at its next turn." if report.published else "It publishes again at its next turn."
        once(f"Live demo desk: {report.problem} {then}")
    return state.stage
