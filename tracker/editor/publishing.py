"""Publish now: the same build and log as `python -m tracker publish`, with what it changes shown before and after.

What changed is computed by tracker.publish_log, against the public file
(the record of what readers saw); this module only shows it.
"""

from __future__ import annotations

import json
from pathlib import Path

from flask import Blueprint, current_app, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue

from tracker.db import NotFound, TrackerError, one, rows
from tracker.editor.auth import current_row, require_editor
from tracker.editor.db import get_db
from tracker.publish_log import compare, count, public_snapshot, publish_and_log, working_snapshot

bp = Blueprint("publishing", __name__)

CHANGE_LABELS = {
    "added": "Goes public",
    "removed": "Withdrawn",
    "status": "New status",
    "text": "Wording changed",
}
CHANGE_LABELS_DONE = {**CHANGE_LABELS, "added": "Went public"}


@bp.before_request
def _editors_only() -> None:
    require_editor("publish")


@bp.route("/publish")
def index() -> ResponseReturnValue:
    db = get_db()
    public_path = current_app.config["PUBLIC_DB"]
    old, problem = public_snapshot(public_path)
    changes = compare(old, working_snapshot(db))
    return render_template(
        "publishing/index.html",
        pending=describe(db, changes),
        counts=count(changes),
        problem=problem,
        public_exists=Path(public_path).exists(),
        log=rows(
            db,
            """SELECT p.*, u.username FROM publish_log p LEFT JOIN users u ON u.id = p.user_id
               ORDER BY p.id DESC LIMIT 10""",
        ),
        CHANGE_LABELS=CHANGE_LABELS,
    )


@bp.route("/publish", methods=("POST",))
def publish_now() -> ResponseReturnValue:
    db = get_db()
    try:
        summary, log_id = publish_and_log(db, current_app.config["PUBLIC_DB"], current_row())
    except TrackerError as e:
        flash(f"Nothing was published: {e}", "error")
        return redirect(url_for("publishing.index"))
    flash(f"Published: {summary['claims']} claims are public now.", "success")
    return redirect(url_for("publishing.result", log_id=log_id))


@bp.route("/publish/<int:log_id>")
def result(log_id: int) -> ResponseReturnValue:
    db = get_db()
    entry = one(
        db,
        "SELECT p.*, u.username FROM publish_log p LEFT JOIN users u ON u.id = p.user_id WHERE p.id = ?",
        [min(log_id, 2**63 - 1)],
    )
    if entry is None:
        raise NotFound(f"No publish number {log_id}.")
    changes = json.loads(entry["changes"] or "[]")
    return render_template(
        "publishing/result.html",
        entry=entry,
        changes=describe(db, changes),
        truncated=len(changes) < entry["added"] + entry["removed"] + entry["status_changed"] + entry["text_changed"],
        CHANGE_LABELS=CHANGE_LABELS_DONE,
    )


def describe(db, changes: list[dict], limit: int = 200) -> list[dict]:
    """The first `limit` changes with each claim's current text and story, for the page."""
    shown = changes[:limit]
    ids = sorted({c["id"] for c in shown})
    texts = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        texts.update(
            (r["id"], r)
            for r in rows(
                db,
                f"""SELECT c.id, c.text, s.slug, s.title FROM claims c JOIN stories s ON s.id = c.story_id
                    WHERE c.id IN ({", ".join("?" for _ in chunk)})""",
                chunk,
            )
        )
    return [{**c, "claim": texts.get(c["id"])} for c in shown]
