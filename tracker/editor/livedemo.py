"""The live demo's controls in the editor: where the fictional story stands, and a "Next stage" button.

Shown only while `serve --live-demo` (make run) plays the demo, which it
tells the editor through its settings (TRACKER_DEMO_HOSTS, app.config
LIVE_DEMO), and only on the demo story's dashboard. The button reaches the next stage at once (the demo's
timer goes on from there); anyone signed in may press it, since it changes
nothing but the fictional web.
"""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Blueprint, abort, current_app, flash, redirect, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from scrapers.timestamps import parse_time
from tracker.alerts import notifications
from tracker.editor.db import get_db
from tracker.editor.forms import is_digits
from tracker.livedemo import stages
from tracker.livedemo.desk import HELD, held_since
from tracker.livedemo.world import load_world

bp = Blueprint("livedemo", __name__)
REFRESH_SECONDS = 15
LATEST_LOOKED_AT = 20  # of the viewer's newest notifications, looked through for the demo story's latest


def playing() -> bool:
    """Is the live demo running beside this editor? (serve --live-demo sets its host map for us.)"""
    return bool(current_app.config.get("LIVE_DEMO"))


def panel(db, story: dict) -> dict | None:
    """What the dashboard shows about the live demo for this story, or None when it is not the demo's."""
    if not playing():
        return None
    world = load_world()
    if story["slug"] != world.story.slug:
        return None
    state = stages.progress(db, world, current_app.config.get("DEMO_PACE", 1.0))
    paused = request.args.get("refresh") == "off"
    refresh = not state.finished and not paused
    due = parse_time(state.next_at) if state.next_at else None
    wait = max(0, round((due - datetime.now(UTC)).total_seconds())) if due else None
    # The alerts the stages send go out as the demo plays: the newest one on this story the viewer received.
    recent = notifications.latest(db, current_user.id, limit=LATEST_LOOKED_AT)
    alert = next((n for n in recent if n["story_slug"] == story["slug"]), None)
    return {
        "progress": state,
        "alert": alert,
        "last": world.last_stage,
        "refresh": REFRESH_SECONDS if refresh else None,
        "paused": paused and not state.finished,
        "wait": wait,
        # The desk publishes only its story's changes: while another story's wait for an editor, it holds.
        "held": HELD if held_since(db) is not None else None,
    }


@bp.route("/demo/next", methods=("POST",))
def next_stage() -> ResponseReturnValue:
    if not playing():
        abort(404, "The live demo is not running: start it with `make run` (DEMO_LIVE=1, the default).")
    world = load_world()
    db = get_db()
    shown = request.form.get("stage", "")  # the stage the page showed: a second press from it moves nothing
    number = stages.advance(db, world, "button", after=int(shown) if is_digits(shown) and len(shown) < 4 else None)
    if number is None:
        stage = stages.progress(db, world).stage
        if stage >= world.last_stage:
            flash("The live demo is already at its last stage.", "info")
        else:
            flash(f"The live demo is already at stage {stage} of {world.last_stage}: nothing changed.", "info")
    else:
        stage = world.stages[number - 1]
        flash(
            f"Stage {number} of {world.last_stage}: {stage.title}. {stage.happens} "
            "The tracker sees it at its next poll, in a few seconds.",
            "success",
        )
    return redirect(url_for("dashboard.story", slug=world.story.slug))
