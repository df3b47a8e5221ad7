"""A story's sources: add feeds, pages and statement listings; see whether each is healthy."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from tracker import sources, stories
from tracker.db import TrackerError
from tracker.editor import drafts
from tracker.editor.db import get_db
from tracker.editor.documents import SETTINGS
from tracker.vocab import SOURCE_KINDS

bp = Blueprint("sources", __name__)

SOURCE_FIELDS = ("url", "kind", "outlet", "pattern", "statement")
KIND_LABELS = {"feed": "RSS / Atom / JSON feed", "page": "Web page", "statement": "Statement listing"}
KIND_HINTS = {
    "feed": "New entries become coverage items.",
    "page": "One page, watched for changes.",
    "statement": "An organisation's newsroom: its statement links are followed.",
}
STATE_ACTIONS = {"active": "Resume", "paused": "Pause"}


@bp.route("/stories/<slug>/sources", methods=("GET", "POST"))
def index(slug: str) -> ResponseReturnValue:
    db = get_db()
    story = stories.get_story(db, slug)
    typed = {k: request.form.get(k, "") for k in SOURCE_FIELDS}
    typed["kind"] = typed["kind"] or "feed"
    error = field = None
    if request.method == "POST":
        added_now: list[dict] = []  # the source this send added, for its message

        def add() -> str:
            added_now.append(
                sources.add_source(db, story["id"], typed["url"], typed["kind"], typed["outlet"], _settings(typed))
            )
            return url_for("sources.index", slug=slug)

        try:
            location, added = drafts.once(db, add)
        except TrackerError as e:
            error, field = str(e), e.field
        else:
            if not added:
                # Not "already a source" (422): that is what the first send of this form did.
                flash("This form's source was already added (it was sent twice); it is listed here.", "success")
                return redirect(location)
            source = added_now[0]
            flash(f"Source added: {source['url']}. It is fetched on the next scrape pass.", "success")
            refusal = sources.refused_when_fetched(source, current_app.extensions.get(SETTINGS))
            if refusal:
                flash(refusal[0].upper() + refusal[1:], "warning")
            return redirect(location)
    return render_template(
        "sources/index.html",
        story=story,
        sources=sources.list_sources(db, story["id"]),
        typed=typed,
        error=error,
        field=field,
        SOURCE_KINDS=SOURCE_KINDS,
        KIND_LABELS=KIND_LABELS,
        KIND_HINTS=KIND_HINTS,
        watches_statement=sources.watches_statement,
    ), (422 if error else 200)


def _settings(typed: dict) -> dict:
    """The form's settings as `sources add` passes them to add_source (a pattern, --statement), which judges them:
    a box ticked on a feed or a listing is refused there, as the command's own check refuses it."""
    settings = {
        "pattern": typed["pattern"] if typed["pattern"].strip() else None,
        "statement": typed["statement"] == "1",
    }
    return {k: v for k, v in settings.items() if v}


@bp.route("/sources/<int:source_id>")
def detail(source_id: int) -> ResponseReturnValue:
    db = get_db()
    source = sources.get_source(db, source_id)
    story = stories.get_story_by_id(db, source["story_id"])
    return render_template(
        "sources/detail.html",
        story=story,
        source=source,
        first_found_by=sources.get_source(db, source["first_found_by"]) if source["first_found_by"] else None,
        fetches=sources.recent_fetches(db, source_id, 30),
        KIND_LABELS=KIND_LABELS,
        watches_statement=sources.watches_statement,
        STATE_ACTIONS=STATE_ACTIONS,
    )


@bp.route("/sources/<int:source_id>/state", methods=("POST",))
def set_state(source_id: int) -> ResponseReturnValue:
    db = get_db()
    source = sources.get_source(db, source_id)
    state = request.form.get("state", "")
    if state not in STATE_ACTIONS:
        raise TrackerError("Choose pause or resume.")
    if sources.already_in(source, state):
        flash("Nothing changed: the source was already " + ("paused." if state == "paused" else "active."), "info")
        return redirect(url_for("sources.detail", source_id=source_id))
    sources.set_state(db, source["id"], state)
    flash("Source paused." if state == "paused" else "Source resumed: it is due at once.", "success")
    return redirect(url_for("sources.detail", source_id=source_id))
