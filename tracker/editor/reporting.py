"""The newsroom's own reporting and social posts in the editor: log them, read them, approve attribution.

A reporting note's page shows who (confidential, never published), the notes,
the exact words and the files attached; editors approve the one line readers
will see ("a company spokesperson told [outlet] on DATE"). A post is logged
by hand from what the reporter saw (nothing here fetches a social network).
"""

from __future__ import annotations

import sqlite3

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from tracker import claims, reporting, stories
from tracker.db import TrackerError, path_of, storage_error
from tracker.editor import drafts
from tracker.editor.auth import current_row
from tracker.editor.coverage import photo_warning, received_list
from tracker.editor.db import get_db
from tracker.editor.documents import settings
from tracker.editor.evidence import warn_of_key
from tracker.editor.forms import kept
from tracker.vocab import REPORTING_HOWS

bp = Blueprint("reporting", __name__)

NOTE_FIELDS = ("how", "at", "words", "identity", "notes", "attribution")
POST_FIELDS = ("url", "handle", "network", "posted_at", "text")
HOW_LABELS = {"interview": "Interview", "email": "Email", "call": "Phone call", "message": "Message", "other": "Other"}


@bp.route("/stories/<slug>/reporting/new", methods=("GET", "POST"))
def new_note(slug: str) -> ResponseReturnValue:
    """Log an interview, email or call by staff, with an optional file; identity and notes stay private."""
    db = get_db()
    story = stories.get_story(db, slug)
    typed = {k: request.form.get(k, "") for k in NOTE_FIELDS}
    typed["how"] = typed["how"] or "interview"
    error = field = None
    if request.method == "POST":
        logged_now: list[int] = []  # the item this send logged, to attach its file to

        def log() -> str:
            coverage_id = reporting.log_reporting(
                db,
                story["id"],
                how=typed["how"],
                at=typed["at"],
                words=typed["words"],
                identity=typed["identity"],
                notes=typed["notes"],
                attribution=typed["attribution"],
                user=current_row(),
                settings=settings(),
            )
            logged_now.append(coverage_id)
            return url_for("reporting.note", coverage_id=coverage_id)

        try:
            location, logged = drafts.once(db, log)
        except TrackerError as e:
            error, field = str(e), e.field
        else:
            if not logged:
                flash("This form's reporting was already logged (it was sent twice); here it is.", "success")
            elif _attach(db, logged_now[0], "attachment"):
                flash("Reporting logged. Cite its words as evidence from a claim.", "success")
            return redirect(location)
    return render_template(
        "reporting/new.html",
        story=story,
        typed=typed,
        error=error,
        field=field,
        hows=REPORTING_HOWS,
        how_labels=HOW_LABELS,
        outlet_name=settings().outlet_name,
    ), (422 if error else 200)


def _attach(db, coverage_id: int, role: str) -> bool:
    """Attach the form's file, if any, to what was just logged; False (and a message) if it was refused.

    The note or post is already stored when this runs, so a refused file must not send the reporter
    back to the filled form: submitting it again would log the same words twice. They land on the
    stored item instead, told why, with its own form to attach the file again.
    """
    upload = request.files.get("file")
    if not upload or not upload.filename:
        return True
    try:
        kept = reporting.attach_file(
            db,
            coverage_id,
            upload.stream,
            filename=upload.filename,
            media_type=upload.mimetype or None,
            user=current_row(),
            role=role,
        )
    except (TrackerError, sqlite3.Error) as e:
        # A full or read-only disk too: the page must not say "Nothing was saved" of a note that was.
        problem = storage_error(e, path_of(db)) if isinstance(e, sqlite3.Error) else e
        if problem is None:
            raise
        flash(f"Logged, but {upload.filename} was not attached: {problem} Attach it again below.", "error")
        return False
    if warning := photo_warning(db, kept):
        flash(warning, "warning")
    return True


@bp.route("/reporting/<int:coverage_id>")
def note(coverage_id: int) -> ResponseReturnValue:
    return _render_note(coverage_id)


def _render_note(coverage_id: int, typed: str | None = None, error: TrackerError | None = None) -> ResponseReturnValue:
    """The note's page; with `error`, its attribution form refused, holding what was typed."""
    db = get_db()
    found = reporting.get_reporting(db, coverage_id)
    story = stories.get_story_by_id(db, found["story_id"])
    return render_template(
        "reporting/note.html",
        story=story,
        note=found,
        how_label=HOW_LABELS.get(found["how"], found["how"]),
        files=received_list(db, coverage_id),
        citing=claims.claims_citing(db, coverage_id),
        attribution=found["attribution"] if typed is None else typed,
        error=str(error) if error else None,
        field=error.field if error else None,
    ), (422 if error else 200)


@bp.route("/reporting/<int:coverage_id>/attribution", methods=("POST",))
def attribution(coverage_id: int) -> ResponseReturnValue:
    """Propose (any staff) or approve (editors) how readers will see the source."""
    db = get_db()
    approve = request.form.get("approve") == "1"
    typed = kept(request.form.get("attribution", ""), reporting.get_reporting(db, coverage_id)["attribution"])
    try:
        reporting.set_attribution(db, coverage_id, typed, current_row(), approve=approve)
    except TrackerError as e:
        if e.status_code in (403, 404):
            raise
        # The page again with what was typed (a redirect showed the stored wording, the typed one gone).
        return _render_note(coverage_id, typed, e)
    else:
        flash(
            "Attribution approved: the evidence can be published with it."
            if approve
            else "Attribution saved; an editor approves it.",
            "success",
        )
    return redirect(url_for("reporting.note", coverage_id=coverage_id))


@bp.route("/stories/<slug>/posts/new", methods=("GET", "POST"))
def new_post(slug: str) -> ResponseReturnValue:
    """Log a social post by hand: its address, author, time, text, and a screenshot or saved file if any."""
    db = get_db()
    story = stories.get_story(db, slug)
    typed = {k: request.form.get(k, "") for k in POST_FIELDS}
    error = field = None
    if request.method == "POST":
        logged_now: list[int] = []  # the item this send logged, to attach its screenshot to

        def log() -> str:
            coverage_id, _ = reporting.log_post(
                db,
                story["id"],
                url=typed["url"],
                handle=typed["handle"],
                network=typed["network"],
                posted_at=typed["posted_at"],
                text=typed["text"],
                user=current_row(),
            )
            logged_now.append(coverage_id)
            return url_for("coverage.item", coverage_id=coverage_id)

        try:
            location, logged = drafts.once(db, log)
        except TrackerError as e:
            error, field = str(e), e.field
        else:
            if not logged:
                # The first send kept the screenshot: keeping it again would list it twice.
                flash("This form's post was already logged (it was sent twice); here it is.", "success")
                return redirect(location)
            warn_of_key(typed["url"])
            if _attach(db, logged_now[0], "screenshot"):
                flash("Post logged. Cite its words as evidence from a claim.", "success")
            return redirect(location)
    return render_template("reporting/post.html", story=story, typed=typed, error=error, field=field), (
        422 if error else 200
    )
