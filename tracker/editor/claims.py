"""Claims: log one with its evidence, read it with its quotes in context, edit it, rule on it.

Forms that fail re-render with everything the person typed; a stale edit or
ruling shows the claim as it is now beside the change that was not saved.
"""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from tracker import claim_queries, claims, public_ids, stories
from tracker.db import TrackerError, shows_nothing
from tracker.editor import display, drafts, evidence
from tracker.editor.auth import current_row, require_editor
from tracker.editor.db import get_db
from tracker.editor.forms import (
    MAX_CITED,
    MAX_SQLITE_INT,
    FieldError,
    FormErrors,
    form_int,
    is_digits,
    page_error,
    problems_of,
    published_already,
    unchanged,
)
from tracker.versions import StaleEdit
from tracker.vocab import RULINGS

bp = Blueprint("claims", __name__)

CLAIM_FIELDS = ("text", "claimant", "claimant_type", "source_identity", "internal_notes")
EVIDENCE_FIELDS = ("revision_id", "url", "quote", "stance")


@bp.route("/stories/<slug>/claims/new", methods=("GET", "POST"))
def new(slug: str) -> ResponseReturnValue:
    db = get_db()
    story = stories.get_story(db, slug)
    typed = {k: request.form.get(k, "") for k in (*CLAIM_FIELDS, *EVIDENCE_FIELDS)}
    typed["stance"] = typed["stance"] or "supports"
    if request.method == "GET" and is_digits(request.args.get("revision_id", "")):
        typed["revision_id"] = request.args["revision_id"]  # "cite this" from a coverage page
    error = field = source_text = None
    if request.method == "POST":
        try:
            location, logged = _log_with_evidence(db, story, typed)
        except TrackerError as e:
            if e.status_code == 403:
                raise
            error, field = str(e), getattr(e, "field", None) or evidence.field_for(e)
            if field == "quote":
                source_text = evidence.source_text(db, story["id"], typed["revision_id"])
        else:
            if logged:
                flash("Claim logged. An editor will review it.", "success")
            else:
                flash("This form's claim was already logged (it was sent twice); here it is.", "success")
            return redirect(location)
    return render_template(
        "claims/new.html",
        story=story,
        typed=typed,
        coverage=evidence.coverage_choices(db, story["id"], typed["revision_id"]),
        error=error,
        field=field,
        source_text=source_text,
    ), (422 if error else 200)


@bp.route("/claims/<int:claim_id>")
def detail(claim_id: int) -> ResponseReturnValue:
    return _render_detail(_load_claim(claim_id))


@bp.route("/claims/<int:claim_id>/edit", methods=("GET", "POST"))
def edit(claim_id: int) -> ResponseReturnValue:
    """Reporters and editors fix a claim's wording or attribution; the version they saw travels with the form."""
    db = get_db()
    claim = _load_claim(claim_id)
    if request.method == "GET":
        typed = {k: claim[k] or "" for k in CLAIM_FIELDS} | {"version": str(claim["version"])}
        return render_template("claims/edit.html", claim=claim, typed=typed, error=None)
    typed = {k: request.form.get(k, "") for k in (*CLAIM_FIELDS, "version")}
    changes = {k: typed[k] for k in CLAIM_FIELDS if not unchanged(typed[k], claim[k])}
    try:
        if shows_nothing(typed["text"]):
            raise TrackerError("Write the claim: what is being asserted, in one sentence.", field="text")
        version = form_int(typed["version"])

        def save() -> str:
            claims.update_claim(db, claim_id, current_row(), version, **changes)
            return url_for("claims.detail", claim_id=claim_id)

        _, edited = drafts.once(db, save)
    except StaleEdit as e:
        return _render_conflict(e, action="edit", typed=typed)
    except TrackerError as e:
        page_error(e)
        return render_template("claims/edit.html", claim=claim, typed=typed, error=str(e), field=e.field), 422
    if not edited:
        flash("This form's edit was already saved (it was sent twice); here is the claim.", "success")
    else:
        flash("Claim updated." if changes else "Nothing changed.", "success")
    return redirect(url_for("claims.detail", claim_id=claim_id))


@bp.route("/claims/<int:claim_id>/evidence", methods=("POST",))
def add_evidence(claim_id: int) -> ResponseReturnValue:
    db = get_db()
    claim = _load_claim(claim_id)
    typed = {k: request.form.get(k, "") for k in EVIDENCE_FIELDS}
    typed["stance"] = typed["stance"] or "supports"
    page = url_for("claims.detail", claim_id=claim_id, _anchor="evidence")

    def attach() -> str:
        evidence.attach_evidence(db, claim["story_id"], claim_id, typed, required=True)
        return page

    try:
        if typed["url"].strip() and not typed["revision_id"]:
            # Fetched before the transaction: a slow site must not hold the write lock.
            typed["revision_id"] = str(evidence.ingest_for_evidence(db, claim["story_slug"], typed["url"].strip()))
        _, added = drafts.once(db, attach)
    except TrackerError as e:
        if e.status_code == 403:
            raise
        field = getattr(e, "field", None) or evidence.field_for(e)
        return _render_detail(
            claim,
            evidence_form=typed,
            evidence_error=str(e),
            evidence_field=field,
            source_text=evidence.source_text(db, claim["story_id"], typed["revision_id"]) if field == "quote" else None,
            code=422,
        )
    if added:
        flash("Evidence added.", "success")
    else:
        flash("This form's evidence was already added (it was sent twice); here it is.", "success")
    return redirect(page)


@bp.route("/claims/<int:claim_id>/status", methods=("POST",))
def set_status(claim_id: int) -> ResponseReturnValue:
    require_editor("change a claim's status")
    db = get_db()
    claim = _load_claim(claim_id)
    typed = {k: request.form.get(k, "") for k in ("status", "rationale", "public_rationale", "version")}
    typed["evidence_ids"] = request.form.getlist("evidence_ids")
    page = url_for("claims.detail", claim_id=claim_id)

    def record() -> str:
        rule(db, claim, typed, current_row())
        return page

    try:
        _, ruled = drafts.once(db, record)
    except StaleEdit as e:
        return _render_conflict(e, action="status", typed=typed)
    except TrackerError as e:
        page_error(e)
        return _render_detail(claim, status_form=typed, status_errors=problems_of(e), code=e.status_code)
    if not ruled:
        flash("This form's ruling was already recorded (it was sent twice); it is in the history.", "success")
        return redirect(page)
    status = display.STATUS_LABELS[typed["status"]].lower()
    if claims.history(db, claim_id)[-1]["is_correction"]:
        flash(
            f"Correction recorded: the claim is now {status}. Readers see it, with the public rationale, after the "
            "next publish.",
            "success",
        )
    else:
        flash(f"Claim marked {status}. The ruling is in the history.", "success")
    return redirect(url_for("claims.detail", claim_id=claim_id))


def rule(db, claim: dict, typed: dict, user: dict) -> dict:
    """An editor's ruling as the editor and the API take it: status, rationale, cited evidence, version.

    A ruling that will be a correction needs a public note: readers
    are owed the reason a published verdict changed.
    """
    version = form_int(typed["version"])
    problems = {}
    if typed["status"] not in RULINGS:
        problems["status"] = "Choose a status: confirmed, denied or unclear."
    sent = typed.get("evidence_ids") or []
    cited = [form_int(i) for i in sent[:MAX_CITED]]
    if not cited:
        problems["evidence_ids"] = "Cite the evidence the ruling rests on: tick at least one evidence item."
    elif len(sent) > MAX_CITED:
        problems["evidence_ids"] = (
            f"Cite at most {MAX_CITED} evidence items in one ruling (this one cited {len(sent):,})."
        )
    if shows_nothing(str(typed.get("rationale") or "")):
        problems["rationale"] = "Say why: a status change needs a rationale."
    public = str(typed.get("public_rationale") or "").strip()
    if is_correction(db, claim) and not public and version == claim["version"]:
        problems["public_rationale"] = (
            "Readers have been shown a ruling of this claim, so this ruling is a correction: write the public "
            "rationale readers will see with it."
        )
    if problems:
        raise FormErrors(problems)
    return claims.set_status(
        db,
        claim["id"],
        typed["status"],
        user,
        str(typed["rationale"]),
        version,
        public_rationale=public or None,
        evidence_ids=cited,
    )


def is_correction(db, claim: dict) -> bool:
    """Whether a new ruling would be a correction readers see: the rule tracker.claims.set_status records it by."""
    return claims.readers_shown_a_ruling(db, claim["id"])


@bp.route("/claims/<int:claim_id>/publish", methods=("POST",))
def set_published(claim_id: int) -> ResponseReturnValue:
    require_editor("publish claims")
    db = get_db()
    _load_claim(claim_id)
    typed = {"published": request.form.get("published", ""), "version": request.form.get("version", "")}
    publish = typed["published"] == "1"
    try:
        claims.set_published(db, claim_id, publish, current_row(), form_int(typed["version"]))
    except StaleEdit as e:
        if not published_already(e, publish):
            return _render_conflict(e, action="publish", typed=typed)
        flash(
            "Already marked publishable: it goes public with the next publish."
            if publish
            else "Already withdrawn: nothing changed.",
            "success",
        )
        return redirect(url_for("claims.detail", claim_id=claim_id))
    if publish:
        flash("Marked publishable: it goes public with the next publish.", "success")
    else:
        flash("Withdrawn: it leaves the public site with the next publish.", "success")
    return redirect(url_for("claims.detail", claim_id=claim_id))


def _log_with_evidence(db, story: dict, typed: dict) -> tuple[str, bool]:
    """The claim and its first evidence commit together, so a refused quote leaves no orphan claim.

    Returns the claim's page and whether it was logged now: the same form sent again (drafts.saved_before)
    goes to the claim its first send logged (drafts.once, whose transaction holds both).
    """
    if shows_nothing(typed["text"]):
        raise FieldError("Write the claim: what is being asserted, in one sentence.", "text")
    if not typed["claimant_type"]:
        raise FieldError("Choose the claimant type.", "claimant_type")
    if typed["url"].strip() and not typed["revision_id"]:
        # Fetched before the claim's transaction: a slow site must not hold the write lock.
        typed["revision_id"] = str(evidence.ingest_for_evidence(db, story["slug"], typed["url"].strip()))

    def log() -> str:
        claim_id = claims.log_claim(
            db,
            story["id"],
            typed["text"],
            typed["claimant"],
            typed["claimant_type"],
            current_row(),
            source_identity=typed["source_identity"],
            internal_notes=typed["internal_notes"],
        )
        evidence.attach_evidence(db, story["id"], claim_id, typed, required=False)
        return url_for("claims.detail", claim_id=claim_id)

    return drafts.once(db, log)


def _load_claim(claim_id: int) -> dict:
    if claim_id > MAX_SQLITE_INT:
        abort(404)
    return claims.get_claim(get_db(), claim_id)


def _render_detail(
    claim: dict,
    *,
    status_form: dict | None = None,
    status_errors: dict[str, str] | None = None,
    evidence_form: dict | None = None,
    evidence_error: str | None = None,
    evidence_field: str | None = None,
    source_text: str | None = None,
    code: int = 200,
) -> ResponseReturnValue:
    db = get_db()
    quoted = evidence.evidence_in_context(db, claim["id"])
    if status_form is None:
        # One evidence item: the ruling can only rest on it, so it starts ticked.
        status_form = {
            "version": claim["version"],
            "evidence_ids": [str(quoted[0]["id"])] if len(quoted) == 1 else [],
        }
    return render_template(
        "claims/detail.html",
        claim={**claim, "first_reported_offset": claims.first_reported_offset(db, claim["id"])},
        evidence=quoted,
        changed=[e for e in quoted if e["changed"]],
        history=claims.history(db, claim["id"]),
        reworded=next(iter(claims.reworded_since_ruling(db, claim_id=claim["id"])), None),
        related=claim_queries.related_claims(db, claim),
        coverage=evidence.coverage_choices(db, claim["story_id"], (evidence_form or {}).get("revision_id")),
        status_form=status_form,
        status_errors=status_errors or {},
        evidence_form=evidence_form or {"stance": "supports"},
        evidence_error=evidence_error,
        evidence_field=evidence_field,
        source_text=source_text,
        correction=is_correction(db, claim),
        public_address=_public_address(db, claim["id"]),
    ), code


def _public_address(db, claim_id: int) -> str | None:
    """The address readers know the claim by, once a publish gave it one (tracker/public_ids.py), else None."""
    public_id = public_ids.public_id(db, "claim", claim_id)
    if public_id is None:
        return None
    return f"{current_app.config['PUBLIC_SITE_URL'].rstrip('/')}/public/claims/{public_id}"


def _render_conflict(e: StaleEdit, *, action: str, typed: dict) -> ResponseReturnValue:
    db = get_db()
    current = e.current
    return render_template(
        "claims/conflict.html",
        claim=current,
        history=claims.history(db, current["id"]),
        evidence=evidence.evidence_in_context(db, current["id"]) if action == "status" else [],
        action=action,
        typed=typed,
        message=str(e),
        seen_version=e.expected_version,
        correction=is_correction(db, current),
    ), 409
