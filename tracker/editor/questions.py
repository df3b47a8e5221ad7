"""Story questions and expected developments: ask, link claims, answer (editors), mark what happened.

A thin layer over tracker.questions. Reporters ask questions, link claims
and log expected developments; only editors write answers and publish
(refused with 403 before the form is read, and the forms are not shown to
reporters). A stale edit re-renders the form with what was typed beside the
current version; nothing typed is lost.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from tracker import claim_queries, claims, developments, questions, stories
from tracker.db import NotFound, TrackerError
from tracker.editor import drafts
from tracker.editor.auth import current_row, require_editor
from tracker.editor.db import get_db
from tracker.editor.evidence import coverage_choices
from tracker.editor.forms import MAX_SQLITE_INT, form_int, is_digits, kept, page_error, published_already
from tracker.versions import StaleEdit
from tracker.vocab import DEVELOPMENT_STATE_LABELS, DEVELOPMENT_STATES, QUESTION_STANCES

bp = Blueprint("questions", __name__)

# Claims offered in the "link a claim" select; older ones are linked by number.
MAX_CLAIM_CHOICES = 200


def template_context() -> dict:
    return {
        "QUESTION_STANCES": QUESTION_STANCES,
        "QUESTION_STANCE_LABELS": questions.QUESTION_STANCE_LABELS,
        "DEVELOPMENT_STATES": DEVELOPMENT_STATES,
        "DEVELOPMENT_STATE_LABELS": DEVELOPMENT_STATE_LABELS,
    }


@bp.app_context_processor
def _context() -> dict:
    return template_context()


def _load_question(question_id: int) -> dict:
    if question_id > MAX_SQLITE_INT:
        abort(404)
    return questions.get_question(get_db(), question_id)


def _load_development(development_id: int) -> dict:
    if development_id > MAX_SQLITE_INT:
        abort(404)
    return developments.get_development(get_db(), development_id)


def _chosen_id(value) -> int | None:
    """An id a saved development links to, or a form sent back: None when there is none."""
    text = "" if value is None else str(value)
    return int(text) if is_digits(text) and 0 < int(text) <= MAX_SQLITE_INT else None


def _coverage_options(db, story_id: int, chosen=()) -> list[dict]:
    """The newest coverage, plus the items in `chosen` (a select without its value would clear the link)."""
    return coverage_choices(db, story_id, items_chosen=[_chosen_id(c) for c in chosen])


def _claim_options(db, story_id: int, chosen=None) -> list[dict]:
    """The newest claims, plus the one in `chosen`, for the same reason."""
    options = claim_queries.find_claims(db, story_id, limit=MAX_CLAIM_CHOICES)["claims"]
    claim_id = _chosen_id(chosen)
    if claim_id is not None and all(c["id"] != claim_id for c in options):
        try:
            claim = claims.get_claim(db, claim_id)
        except NotFound:
            return options
        if claim["story_id"] == story_id:
            options.insert(0, claim)
    return options


# --- The story's questions page ------------------------------------------------------------------


def _render_index(
    story: dict,
    *,
    question_form=None,
    question_error=None,
    dev_form=None,
    dev_error=None,
    state_form=None,
    state_error=None,
    field=None,
    code=200,
):
    db = get_db()
    found = developments.list_developments(db, story["id"])
    return render_template(
        "questions/index.html",
        story=story,
        questions=questions.list_questions(db, story["id"]),
        developments=found,
        unclear=questions.remains_unclear(db, story["id"]),
        coverage=_coverage_options(db, story["id"], [d["evidence_coverage_id"] for d in found]),
        claim_options=_claim_options(db, story["id"]),
        question_form=question_form or {},
        question_error=question_error,
        dev_form=dev_form or {},
        dev_error=dev_error,
        state_form=state_form,
        state_error=state_error,
        field=field,
    ), code


@bp.route("/stories/<slug>/questions")
def index(slug: str) -> ResponseReturnValue:
    return _render_index(stories.get_story(get_db(), slug))


@bp.route("/stories/<slug>/questions/new", methods=("POST",))
def new(slug: str) -> ResponseReturnValue:
    db = get_db()
    story = stories.get_story(db, slug)
    typed = {"text": request.form.get("text", "")}
    try:
        location, added = drafts.once(
            db,
            lambda: url_for(
                "questions.detail", question_id=questions.create_question(db, story["id"], typed["text"], current_row())
            ),
        )
    except TrackerError as e:
        page_error(e)
        return _render_index(story, question_form=typed, question_error=str(e), field=e.field, code=422)
    if added:
        flash("Question added. Link the claims that bear on it.", "success")
    else:
        flash("This form's question was already added (it was sent twice); here it is.", "success")
    return redirect(location)


# --- One question --------------------------------------------------------------------------------


def _render_detail(question: dict, *, answer_form=None, error=None, link_form=None, field=None, code=200):
    db = get_db()
    return render_template(
        "questions/detail.html",
        question=question,
        story=stories.get_story_by_id(db, question["story_id"]),
        linked=questions.linked_claims(db, question["id"]),
        stale=questions.stale_reasons(db, question),
        claim_options=_claim_options(db, question["story_id"]),
        answer_form=answer_form or {"answer": question["answer"], "version": question["version"]},
        link_form=link_form or {"stance": "context"},
        error=error,
        field=field,
    ), code


@bp.route("/questions/<int:question_id>")
def detail(question_id: int) -> ResponseReturnValue:
    return _render_detail(_load_question(question_id))


@bp.route("/questions/<int:question_id>/edit", methods=("GET", "POST"))
def edit(question_id: int) -> ResponseReturnValue:
    db = get_db()
    question = _load_question(question_id)
    if request.method == "GET":
        typed = {"text": question["text"], "position": str(question["position"]), "version": str(question["version"])}
        return render_template("questions/edit.html", question=question, typed=typed, error=None, current=None)
    typed = {k: request.form.get(k, "") for k in ("text", "position", "version")}
    typed["text"] = kept(typed["text"], question["text"])
    page = url_for("questions.detail", question_id=question_id)
    try:
        version = form_int(typed["version"])

        def save() -> str:
            questions.update_question(
                db, question_id, current_row(), version, text=typed["text"], position=typed["position"]
            )
            return page

        _, edited = drafts.once(db, save)
    except StaleEdit as e:
        return render_template(
            "questions/edit.html", question=e.current, typed=typed, error=str(e), current=e.current
        ), 409
    except TrackerError as e:
        page_error(e)
        return render_template(
            "questions/edit.html", question=question, typed=typed, error=str(e), field=e.field, current=None
        ), 422
    if not edited:
        flash("This form's edit was already saved (it was sent twice); here is the question.", "success")
    else:
        flash("Question updated.", "success")
    return redirect(page)


def _published_message(wanted: bool, already: bool = False) -> str:
    if wanted:
        done = "Already marked publishable" if already else "Marked publishable"
        return f"{done}: readers see it after the next publish."
    return "Already withdrawn: nothing changed." if already else "Withdrawn."


@bp.route("/questions/<int:question_id>/claims", methods=("POST",))
def link(question_id: int) -> ResponseReturnValue:
    db = get_db()
    question = _load_question(question_id)
    typed = {k: request.form.get(k, "") for k in ("claim_id", "claim_number", "stance", "version")}
    # An error about the claim is about the number, when one was typed, else the list.
    claim_field = "claim_number" if typed["claim_number"].strip() else "claim_id"
    try:
        chosen = (typed["claim_number"] or typed["claim_id"]).strip().lstrip("#")
        if not chosen:
            raise TrackerError("Choose a claim, or give its number.")
        if not is_digits(chosen) or int(chosen) > MAX_SQLITE_INT:
            raise TrackerError(f"“{chosen[:60]}” is not a claim number; give a number like 12.")
        claim_id = int(chosen)
        questions.link_claim(db, question_id, claim_id, typed["stance"], current_row(), form_int(typed["version"]))
    except StaleEdit as e:
        if questions.linked_stance(db, question_id, claim_id) == typed["stance"]:
            stance = questions.QUESTION_STANCE_LABELS[typed["stance"]].lower()
            flash(f"Claim {claim_id} is already linked, as “{stance}”: nothing changed.", "success")
            return redirect(url_for("questions.detail", question_id=question_id, _anchor="claims"))
        return _render_detail(e.current, error=str(e), link_form=typed, code=409)
    except NotFound as e:
        return _render_detail(question, error=str(e), link_form=typed, field=claim_field, code=422)
    except TrackerError as e:
        page_error(e)
        return _render_detail(question, error=str(e), link_form=typed, field=e.field or claim_field, code=422)
    flash("Claim linked.", "success")
    return redirect(url_for("questions.detail", question_id=question_id, _anchor="claims"))


@bp.route("/questions/<int:question_id>/claims/<int:claim_id>/unlink", methods=("POST",))
def unlink(question_id: int, claim_id: int) -> ResponseReturnValue:
    db = get_db()
    question = _load_question(question_id)
    try:
        questions.unlink_claim(db, question_id, claim_id, current_row(), form_int(request.form.get("version")))
    except StaleEdit as e:
        if questions.linked_stance(db, question_id, claim_id) is None:
            flash(f"Claim {claim_id} is already unlinked: nothing changed.", "success")
            return redirect(url_for("questions.detail", question_id=question_id, _anchor="claims"))
        return _render_detail(e.current, error=str(e), code=409)
    except TrackerError as e:
        if e.status_code == 403:
            raise
        return _render_detail(question, error=str(e), code=422)
    flash("Claim unlinked.", "success")
    return redirect(url_for("questions.detail", question_id=question_id, _anchor="claims"))


@bp.route("/questions/<int:question_id>/answer", methods=("POST",))
def answer(question_id: int) -> ResponseReturnValue:
    require_editor("write answers")
    db = get_db()
    question = _load_question(question_id)
    typed = {k: request.form.get(k, "") for k in ("answer", "version")}
    typed["answer"] = kept(typed["answer"], question["answer"])
    page = url_for("questions.detail", question_id=question_id)
    try:
        version = form_int(typed["version"])

        def save() -> str:
            questions.write_answer(db, question_id, typed["answer"], current_row(), version)
            return page

        _, answered = drafts.once(db, save)
    except StaleEdit as e:
        return _render_detail(e.current, answer_form=typed, error=str(e), code=409)
    except TrackerError as e:
        page_error(e)
        return _render_detail(question, answer_form=typed, error=str(e), field=e.field, code=422)
    if not answered:
        flash("This form's answer was already saved (it was sent twice); here is the question.", "success")
        return redirect(page)
    same = typed["answer"].strip() == question["answer"]
    flash("Answer reviewed: it still holds." if same else "Answer saved.", "success")
    return redirect(page)


@bp.route("/questions/<int:question_id>/publish", methods=("POST",))
def publish(question_id: int) -> ResponseReturnValue:
    require_editor("publish questions")
    db = get_db()
    question = _load_question(question_id)
    wanted = request.form.get("published") == "1"
    try:
        questions.set_question_published(db, question_id, wanted, current_row(), form_int(request.form.get("version")))
    except StaleEdit as e:
        if not published_already(e, wanted):
            return _render_detail(e.current, error=str(e), code=409)
        flash(_published_message(wanted, already=True), "success")
        return redirect(url_for("questions.detail", question_id=question_id))
    except TrackerError as e:
        page_error(e)
        return _render_detail(question, error=str(e), code=422)
    flash(_published_message(wanted), "success")
    return redirect(url_for("questions.detail", question_id=question_id))


# --- Expected developments -----------------------------------------------------------------------

DEVELOPMENT_FORM = ("text", "expected_date", "expectation", "claim_id", "coverage_id")


@bp.route("/stories/<slug>/developments", methods=("POST",))
def new_development(slug: str) -> ResponseReturnValue:
    db = get_db()
    story = stories.get_story(db, slug)
    typed = {k: request.form.get(k, "") for k in DEVELOPMENT_FORM}

    def add() -> str:
        developments.create_development(
            db,
            story["id"],
            typed["text"],
            current_row(),
            expected_date=typed["expected_date"],
            expectation=typed["expectation"],
            claim_id=typed["claim_id"] or None,
            coverage_id=typed["coverage_id"] or None,
        )
        return url_for("questions.index", slug=slug, _anchor="next")

    try:
        location, added = drafts.once(db, add)
    except TrackerError as e:
        if e.status_code == 403:
            raise
        return _render_index(story, dev_form=typed, dev_error=str(e), field=e.field, code=422)
    if added:
        flash("Expected development added.", "success")
    else:
        flash("This form's development was already added (it was sent twice); here it is.", "success")
    return redirect(location)


def _render_development(development: dict, typed: dict, *, error=None, field=None, current=None, code=200):
    db = get_db()
    return render_template(
        "questions/development.html",
        development=development,
        typed=typed,
        error=error,
        field=field,
        current=current,
        coverage=_coverage_options(db, development["story_id"], [typed.get("coverage_id")]),
        claim_options=_claim_options(db, development["story_id"], typed.get("claim_id")),
    ), code


@bp.route("/developments/<int:development_id>/edit", methods=("GET", "POST"))
def edit_development(development_id: int) -> ResponseReturnValue:
    db = get_db()
    development = _load_development(development_id)
    if request.method == "GET":
        typed = {k: "" if development[k] is None else str(development[k]) for k in (*DEVELOPMENT_FORM, "version")}
        return _render_development(development, typed)
    typed = {k: request.form.get(k, "") for k in (*DEVELOPMENT_FORM, "version")}
    typed |= {k: kept(typed[k], development[k]) for k in ("text", "expectation")}
    page = url_for("questions.index", slug=development["story_slug"], _anchor="next")
    try:
        version = form_int(typed["version"])

        def save() -> str:
            developments.update_development(
                db, development_id, current_row(), version, **{k: typed[k] for k in DEVELOPMENT_FORM}
            )
            return page

        _, edited = drafts.once(db, save)
    except StaleEdit as e:
        return _render_development(e.current, typed, error=str(e), current=e.current, code=409)
    except TrackerError as e:
        if e.status_code == 403:
            raise
        return _render_development(development, typed, error=str(e), field=e.field, code=422)
    if not edited:
        flash("This form's edit was already saved (it was sent twice); here is the development.", "success")
    else:
        flash("Expected development updated.", "success")
    return redirect(page)


@bp.route("/developments/<int:development_id>/state", methods=("POST",))
def development_state(development_id: int) -> ResponseReturnValue:
    db = get_db()
    development = _load_development(development_id)
    typed = {k: request.form.get(k, "") for k in ("state", "evidence_coverage_id", "state_note", "version")}
    try:
        developments.set_development_state(
            db,
            development_id,
            typed["state"],
            current_row(),
            form_int(typed["version"]),
            evidence_coverage_id=typed["evidence_coverage_id"] or None,
            note=typed["state_note"],
        )
    except TrackerError as e:
        if e.status_code == 403:
            raise
        if isinstance(e, StaleEdit) and developments.has_state(
            e.current,
            developments.development_state(typed["state"], typed["evidence_coverage_id"] or None, typed["state_note"]),
        ):
            # The same marking sent twice (a double click, a reload of its post), or made by someone else: done.
            flash(f"Already marked “{DEVELOPMENT_STATE_LABELS[typed['state']].lower()}”: nothing changed.", "success")
            return redirect(url_for("questions.index", slug=development["story_slug"], _anchor="next"))
        # Back to the list the form is on, that form open with what was typed (the note is free text).
        story = stories.get_story(db, development["story_slug"])
        code = 409 if isinstance(e, StaleEdit) else 422
        return _render_index(
            story, state_form={"id": development_id, **typed}, state_error=str(e), field=e.field, code=code
        )
    flash(f"Marked “{DEVELOPMENT_STATE_LABELS[typed['state']].lower()}”.", "success")
    return redirect(url_for("questions.index", slug=development["story_slug"], _anchor="next"))


@bp.route("/developments/<int:development_id>/publish", methods=("POST",))
def publish_development(development_id: int) -> ResponseReturnValue:
    require_editor("publish expected developments")
    db = get_db()
    development = _load_development(development_id)
    wanted = request.form.get("published") == "1"
    try:
        developments.set_development_published(
            db, development_id, wanted, current_row(), form_int(request.form.get("version"))
        )
    except StaleEdit as e:
        if published_already(e, wanted):
            flash(_published_message(wanted, already=True), "success")
            return redirect(url_for("questions.index", slug=development["story_slug"], _anchor="next"))
        # As the other stale saves: 409, with the list as it is now (the button carries the current version).
        flash(str(e), "error")
        return _render_index(stories.get_story(db, development["story_slug"]), code=409)
    except TrackerError as e:
        page_error(e)
        flash(str(e), "error")
        return redirect(url_for("questions.index", slug=development["story_slug"], _anchor="next"))
    flash(_published_message(wanted), "success")
    return redirect(url_for("questions.index", slug=development["story_slug"], _anchor="next"))
