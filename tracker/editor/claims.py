"""Claims: log one with its evidence, read it with its quotes in context, rule on it.

Forms that fail re-render with everything the person typed; a stale ruling
shows the claim as it is now beside the ruling that was not saved.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from markupsafe import Markup, escape

from tracker import claims, coverage, stories
from tracker.db import NotFound, TrackerError, transaction
from tracker.editor.auth import current_row, require_editor
from tracker.editor.db import get_db
from tracker.migrations import CLAIMANT_TYPES, STANCES

bp = Blueprint("claims", __name__)

STATUS_LABELS = {"unreviewed": "Unreviewed", "confirmed": "Confirmed", "denied": "Denied", "unclear": "Unclear"}
STATUS_HINTS = {
    "confirmed": "The evidence establishes it.",
    "denied": "The evidence shows it is false.",
    "unclear": "The evidence is missing, thin or conflicting.",
}
CLAIMANT_TYPE_LABELS = {
    "named": "Named person",
    "anonymous": "Anonymous source",
    "organization": "Organization",
    "outlet": "News outlet",
    "document": "Document",
    "unattributed": "Unattributed",
}
STANCE_LABELS = {"supports": "Supports", "contradicts": "Contradicts", "context": "Context"}
CLAIM_FIELDS = ("text", "claimant", "claimant_type", "source_identity", "internal_notes")
EVIDENCE_FIELDS = ("revision_id", "quote", "stance")
MAX_SQLITE_INT = 2**63 - 1
# Characters of revision text shown on each side of a quote.
CONTEXT_CHARS = 150


def template_context() -> dict:
    return {
        "STATUS_LABELS": STATUS_LABELS,
        "STATUS_HINTS": STATUS_HINTS,
        "CLAIMANT_TYPE_LABELS": CLAIMANT_TYPE_LABELS,
        "STANCE_LABELS": STANCE_LABELS,
        "CLAIMANT_TYPES": CLAIMANT_TYPES,
        "STANCES": STANCES,
        "RULINGS": claims.RULINGS,
        "http_url": http_url,
        "host": host,
    }


def http_url(url: str | None) -> str | None:
    """Only web addresses become links: a scraped `javascript:` URL stays inert text."""
    try:
        scheme = urlsplit((url or "").strip()).scheme.lower()
    except ValueError:  # e.g. an unbalanced IPv6 bracket
        return None
    return url.strip() if scheme in ("http", "https") else None


def host(url: str | None) -> str:
    try:
        return urlsplit(url or "").hostname or ""
    except ValueError:
        return ""


@bp.route("/stories/<slug>/claims/new", methods=("GET", "POST"))
def new(slug: str) -> ResponseReturnValue:
    db = get_db()
    story = stories.get_story(db, slug)
    typed = {k: request.form.get(k, "") for k in (*CLAIM_FIELDS, *EVIDENCE_FIELDS)}
    typed["stance"] = typed["stance"] or "supports"
    error = field = source_text = None
    if request.method == "POST":
        try:
            claim_id = _log_with_evidence(db, story, typed)
        except TrackerError as e:
            if e.status_code == 403:
                raise
            error, field = str(e), getattr(e, "field", None) or _field_for(e)
            if field == "quote":
                source_text = _source_text(db, story["id"], typed["revision_id"])
        else:
            flash("Claim logged. An editor will review it.", "success")
            return redirect(url_for("claims.detail", claim_id=claim_id))
    return render_template(
        "claims/new.html",
        story=story,
        typed=typed,
        coverage=coverage_choices(db, story["id"]),
        error=error,
        field=field,
        source_text=source_text,
    ), (422 if error else 200)


@bp.route("/claims/<int:claim_id>")
def detail(claim_id: int) -> ResponseReturnValue:
    return _render_detail(_load_claim(claim_id))


@bp.route("/claims/<int:claim_id>/evidence", methods=("POST",))
def add_evidence(claim_id: int) -> ResponseReturnValue:
    db = get_db()
    claim = _load_claim(claim_id)
    typed = {k: request.form.get(k, "") for k in EVIDENCE_FIELDS}
    try:
        with transaction(db):
            _attach_evidence(db, claim["story_id"], claim_id, typed, required=True)
    except TrackerError as e:
        if e.status_code == 403:
            raise
        field = getattr(e, "field", None) or _field_for(e)
        return _render_detail(
            claim,
            evidence_form=typed,
            evidence_error=str(e),
            evidence_field=field,
            source_text=_source_text(db, claim["story_id"], typed["revision_id"]) if field == "quote" else None,
            code=422,
        )
    flash("Evidence added.", "success")
    return redirect(url_for("claims.detail", claim_id=claim_id, _anchor="evidence"))


@bp.route("/claims/<int:claim_id>/status", methods=("POST",))
def set_status(claim_id: int) -> ResponseReturnValue:
    require_editor("change a claim's status")
    db = get_db()
    claim = _load_claim(claim_id)
    typed = {k: request.form.get(k, "") for k in ("status", "rationale", "public_rationale", "version")}
    try:
        if typed["status"] not in claims.RULINGS:
            raise TrackerError("Choose a status: confirmed, denied or unclear.")
        claims.set_status(
            db,
            claim_id,
            typed["status"],
            current_row(),
            typed["rationale"],
            _int(typed["version"]),
            public_rationale=typed["public_rationale"] if typed["public_rationale"].strip() else None,
        )
    except claims.StaleEdit as e:
        return _render_conflict(e, action="status", typed=typed)
    except TrackerError as e:
        if e.status_code in (403, 404):
            raise
        return _render_detail(claim, status_form=typed, status_error=str(e), code=e.status_code)
    flash(f"Claim marked {STATUS_LABELS[typed['status']].lower()}. The ruling is in the history.", "success")
    return redirect(url_for("claims.detail", claim_id=claim_id))


@bp.route("/claims/<int:claim_id>/publish", methods=("POST",))
def set_published(claim_id: int) -> ResponseReturnValue:
    require_editor("publish claims")
    db = get_db()
    _load_claim(claim_id)
    typed = {"published": request.form.get("published", ""), "version": request.form.get("version", "")}
    publish = typed["published"] == "1"
    try:
        claims.set_published(db, claim_id, publish, current_row(), _int(typed["version"]))
    except claims.StaleEdit as e:
        return _render_conflict(e, action="publish", typed=typed)
    if publish:
        flash("Marked publishable: it goes public with the next publish.", "success")
    else:
        flash("Withdrawn: it leaves the public site with the next publish.", "success")
    return redirect(url_for("claims.detail", claim_id=claim_id))


def coverage_choices(db, story_id: int) -> list[dict]:
    """The story's coverage that has text to quote, labelled for a select box."""
    choices = []
    for item in coverage.list_items(db, story_id):
        if not item["latest_revision_id"]:
            continue
        where = item["outlet"] or host(item["canonical_url"]) or item["canonical_url"]
        label = f"{where} — {item['title'] or item['canonical_url']}"
        if item["kind"] == "statement":
            label = f"Statement: {label}"
        choices.append({**item, "label": label, "revision_id": item["latest_revision_id"]})
    return choices


def highlight(text: str, start: int, end: int, quote: str = "", context: int = CONTEXT_CHARS) -> Markup:
    """The quote in <mark> inside its surrounding text; each part escaped on its own."""
    if quote and text[start:end] != quote:
        start = text.find(quote)
        if start < 0:
            return Markup("<mark>") + escape(quote) + Markup("</mark>")
        end = start + len(quote)
    lo, hi = max(0, start - context), min(len(text), end + context)
    if lo > 0:
        space = text.find(" ", lo, start)
        lo = space + 1 if space >= 0 else lo
    if hi < len(text):
        space = text.rfind(" ", end, hi)
        hi = space if space >= 0 else hi
    before = ("…" if lo > 0 else "") + text[lo:start]
    after = text[end:hi] + ("…" if hi < len(text) else "")
    return Markup("").join(
        [escape(before), Markup("<mark>"), escape(text[start:end]), Markup("</mark>"), escape(after)]
    )


def _log_with_evidence(db, story: dict, typed: dict) -> int:
    """The claim and its first evidence commit together, so a refused quote leaves no orphan claim."""
    if not typed["text"].strip():
        raise _FieldError("Write the claim: what is being asserted, in one sentence.", "text")
    if not typed["claimant_type"]:
        raise _FieldError("Choose the claimant type.", "claimant_type")
    with transaction(db):
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
        _attach_evidence(db, story["id"], claim_id, typed, required=False)
    return claim_id


def _attach_evidence(db, story_id: int, claim_id: int, typed: dict, *, required: bool) -> None:
    has_quote = bool(typed["quote"].strip())
    if not typed["revision_id"] and not has_quote and not required:
        return
    if not typed["revision_id"]:
        raise _FieldError("Choose the coverage the quote comes from.", "revision_id")
    if not has_quote:
        raise _FieldError("Paste the exact quote from the coverage.", "quote")
    try:
        revision = coverage.get_revision(db, _int(typed["revision_id"]))
    except NotFound:
        revision = None
    if revision is None or revision["story_id"] != story_id:
        raise _FieldError("That coverage is not part of this story; choose another.", "revision_id")
    claims.add_evidence(db, claim_id, revision["id"], typed["quote"], typed["stance"], current_row())


class _FieldError(TrackerError):
    """A form error that belongs to one field, so the form can point at it."""

    def __init__(self, message: str, field: str):
        super().__init__(message)
        self.field = field


def _field_for(e: TrackerError) -> str | None:
    return "quote" if isinstance(e, claims.QuoteNotFound) else None


def _source_text(db, story_id: int, revision_id: str) -> str | None:
    """The text a refused quote was checked against, so the reporter can copy the exact words."""
    try:
        revision = coverage.get_revision(db, _int(revision_id))
    except TrackerError:
        return None
    return revision["text"] if revision["story_id"] == story_id else None


def _load_claim(claim_id: int) -> dict:
    if claim_id > MAX_SQLITE_INT:
        abort(404)
    return claims.get_claim(get_db(), claim_id)


def _int(value: str) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise TrackerError("That form was incomplete; reload the page and try again.") from None
    if not 0 <= number <= MAX_SQLITE_INT:
        raise TrackerError("That form was incomplete; reload the page and try again.")
    return number


def _render_detail(
    claim: dict,
    *,
    status_form: dict | None = None,
    status_error: str | None = None,
    evidence_form: dict | None = None,
    evidence_error: str | None = None,
    evidence_field: str | None = None,
    source_text: str | None = None,
    code: int = 200,
) -> ResponseReturnValue:
    db = get_db()
    texts: dict[int, str] = {}
    evidence = []
    for item in claims.evidence_for(db, claim["id"]):
        if item["revision_id"] not in texts:
            texts[item["revision_id"]] = coverage.get_revision(db, item["revision_id"])["text"]
        text = texts[item["revision_id"]]
        evidence.append({**item, "in_context": highlight(text, item["start"], item["end"], item["quote"])})
    return render_template(
        "claims/detail.html",
        claim=claim,
        evidence=evidence,
        history=claims.history(db, claim["id"]),
        coverage=coverage_choices(db, claim["story_id"]),
        status_form=status_form or {"version": claim["version"]},
        status_error=status_error,
        evidence_form=evidence_form or {"stance": "supports"},
        evidence_error=evidence_error,
        evidence_field=evidence_field,
        source_text=source_text,
    ), code


def _render_conflict(e: claims.StaleEdit, *, action: str, typed: dict) -> ResponseReturnValue:
    db = get_db()
    current = e.current
    return render_template(
        "claims/conflict.html",
        claim=current,
        history=claims.history(db, current["id"]),
        action=action,
        typed=typed,
        message=str(e),
        seen_version=e.expected_version,
    ), 409
