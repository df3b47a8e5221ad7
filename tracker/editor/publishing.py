"""Publish now: the same build as `python -m tracker publish`, with what it changes shown before and after.

The public file is the record of what readers saw, so "what changed since the
last publish" compares against it: before publishing, the working database's
publishable claims against the public file; after, the old public file
against the new one. Each publish from the editor is logged with its changes.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from urllib.parse import quote

from flask import Blueprint, current_app, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue

from tracker import publish as build
from tracker.db import NotFound, TrackerError, now, one, rows, transaction
from tracker.editor.auth import current_row, require_editor
from tracker.editor.db import get_db

bp = Blueprint("publishing", __name__)

MAX_LOGGED_CHANGES = 500
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
    public_path = current_app.config["PUBLIC_DB"]
    old, _ = public_snapshot(public_path)
    try:
        summary = build.publish(db, public_path)
    except TrackerError as e:
        flash(f"Nothing was published: {e}", "error")
        return redirect(url_for("publishing.index"))
    new, _ = public_snapshot(public_path)
    changes = compare(old, new)
    counts = count(changes)
    with transaction(db):
        cur = db.execute(
            """INSERT INTO publish_log (at, user_id, claims, added, removed, status_changed, text_changed, changes)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?)""",
            [
                now(),
                current_row()["id"],
                summary.get("claims", len(new)),
                counts["added"],
                counts["removed"],
                counts["status"],
                counts["text"],
                json.dumps(changes[:MAX_LOGGED_CHANGES]),
            ],
        )
    flash(f"Published: {summary.get('claims', len(new))} claims are public now.", "success")
    return redirect(url_for("publishing.result", log_id=cur.lastrowid))


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


def public_snapshot(path: str | Path) -> tuple[dict[int, tuple[str, str]], str | None]:
    """Claim id -> (status, text) as readers see them now; ({}, why) when there is no readable public file."""
    path = Path(path)
    if not path.exists():
        return {}, None
    try:
        conn = sqlite3.connect(f"file:{quote(str(path.absolute()))}?mode=ro", uri=True)
        try:
            return {r[0]: (r[1], r[2]) for r in conn.execute("SELECT id, status, text FROM claims")}, None
        finally:
            conn.close()
    except sqlite3.Error as e:
        return {}, f"The current public file could not be read ({e}); publishing replaces it."


def working_snapshot(db) -> dict[int, tuple[str, str]]:
    """What the next publish would make public (the publish build's own rule: claims marked publishable)."""
    return {r[0]: (r[1], r[2]) for r in db.execute("SELECT id, status, text FROM claims WHERE published = 1")}


def compare(old: dict[int, tuple[str, str]], new: dict[int, tuple[str, str]]) -> list[dict]:
    """Changes from old to new, one row per claim and kind: added, removed, status, text."""
    changes = []
    for claim_id in sorted(new.keys() - old.keys()):
        changes.append({"id": claim_id, "change": "added", "to": new[claim_id][0]})
    for claim_id in sorted(old.keys() - new.keys()):
        changes.append({"id": claim_id, "change": "removed", "from": old[claim_id][0]})
    for claim_id in sorted(old.keys() & new.keys()):
        if old[claim_id][0] != new[claim_id][0]:
            changes.append({"id": claim_id, "change": "status", "from": old[claim_id][0], "to": new[claim_id][0]})
        if old[claim_id][1] != new[claim_id][1]:
            changes.append({"id": claim_id, "change": "text"})
    return changes


def count(changes: list[dict]) -> dict[str, int]:
    counts = dict.fromkeys(CHANGE_LABELS, 0)
    for change in changes:
        counts[change["change"]] += 1
    return counts


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
