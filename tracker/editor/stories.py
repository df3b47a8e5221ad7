"""The stories a newsroom follows, and each story's claims at a glance."""

from __future__ import annotations

from flask import Blueprint, render_template, request
from flask.typing import ResponseReturnValue

from tracker import claims, stories
from tracker.editor.db import get_db
from tracker.migrations import STATUSES

bp = Blueprint("stories", __name__)

PAGE_SIZE = 50


@bp.route("/")
def index() -> ResponseReturnValue:
    return render_template("stories/index.html", stories=stories.list_stories(get_db()))


@bp.route("/stories/<slug>")
def story(slug: str) -> ResponseReturnValue:
    db = get_db()
    story = stories.get_story(db, slug)
    status = request.args.get("status") or None
    if status not in STATUSES:
        status = None
    q = (request.args.get("q") or "").strip()[:200]
    page = _page_number(request.args.get("page"))
    found = claims.list_claims(
        db, story["id"], status=status, q=q or None, limit=PAGE_SIZE + 1, offset=(page - 1) * PAGE_SIZE
    )
    counts = next((s for s in stories.list_stories(db) if s["id"] == story["id"]), {})
    return render_template(
        "stories/story.html",
        story=story,
        claims=found[:PAGE_SIZE],
        has_next=len(found) > PAGE_SIZE,
        page=page,
        status=status,
        q=q,
        counts={s: counts.get(s) or 0 for s in STATUSES},
        total=counts.get("claims") or 0,
    )


def _page_number(value: str | None) -> int:
    try:
        return min(max(int(value or 1), 1), 10_000)
    except ValueError:
        return 1
