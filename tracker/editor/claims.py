"""Claims: log one with its evidence, read it with its quotes in context, edit it, rule on it.

Forms that fail re-render with everything the person typed; a stale edit or
ruling shows the claim as it is now beside the change that was not saved.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from markupsafe import Markup, escape

from tracker import claims, coverage, stories
from tracker.db import NotFound, TrackerError, now, transaction
from tracker.editor.auth import current_row, require_editor
from tracker.editor.db import get_db
from tracker.vocab import CLAIMANT_TYPES, RULINGS, STANCES, STATUSES

bp = Blueprint("claims", __name__)

STATUS_LABELS = {"unreviewed": "Unreviewed", "confirmed": "Confirmed", "denied": "Denied", "unclear": "Unclear"}
# Shape as well as colour and word, so a status reads at a glance without colour vision.
STATUS_ICONS = {"confirmed": "✓", "denied": "✕", "unclear": "?", "unreviewed": "○"}
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
EVIDENCE_FIELDS = ("revision_id", "url", "quote", "stance")
MAX_SQLITE_INT = 2**63 - 1
# Characters of revision text shown on each side of a quote.
CONTEXT_CHARS = 150
# The coverage select lists the newest items; older ones are cited from their coverage page or by URL.
MAX_COVERAGE_CHOICES = 100


def template_context() -> dict:
    return {
        "STATUS_LABELS": STATUS_LABELS,
        "STATUS_ICONS": STATUS_ICONS,
        "STATUS_HINTS": STATUS_HINTS,
        "CLAIMANT_TYPE_LABELS": CLAIMANT_TYPE_LABELS,
        "STANCE_LABELS": STANCE_LABELS,
        "CLAIMANT_TYPES": CLAIMANT_TYPES,
        "STANCES": STANCES,
        "STATUSES": STATUSES,
        "RULINGS": RULINGS,
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
    if request.method == "GET" and request.args.get("revision_id", "").isdigit():
        typed["revision_id"] = request.args["revision_id"]  # "cite this" from a coverage page
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
        coverage=coverage_choices(db, story["id"], typed["revision_id"]),
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
    changes = {k: typed[k] for k in CLAIM_FIELDS if typed[k].strip() != (claim[k] or "").strip()}
    try:
        if not typed["text"].strip():
            raise TrackerError("Write the claim: what is being asserted, in one sentence.")
        claims.update_claim(db, claim_id, current_row(), _int(typed["version"]), **changes)
    except claims.StaleEdit as e:
        return _render_conflict(e, action="edit", typed=typed)
    except TrackerError as e:
        if e.status_code in (403, 404):
            raise
        return render_template("claims/edit.html", claim=claim, typed=typed, error=str(e)), 422
    flash("Claim updated." if changes else "Nothing changed.", "success")
    return redirect(url_for("claims.detail", claim_id=claim_id))


@bp.route("/claims/<int:claim_id>/evidence", methods=("POST",))
def add_evidence(claim_id: int) -> ResponseReturnValue:
    db = get_db()
    claim = _load_claim(claim_id)
    typed = {k: request.form.get(k, "") for k in EVIDENCE_FIELDS}
    typed["stance"] = typed["stance"] or "supports"
    try:
        if typed["url"].strip() and not typed["revision_id"]:
            typed["revision_id"] = str(ingest_for_evidence(db, claim["story_slug"], typed["url"].strip()))
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
    typed["evidence_ids"] = request.form.getlist("evidence_ids")
    try:
        rule(db, claim, typed, current_row())
    except claims.StaleEdit as e:
        return _render_conflict(e, action="status", typed=typed)
    except TrackerError as e:
        if e.status_code in (403, 404):
            raise
        return _render_detail(claim, status_form=typed, status_error=str(e), code=e.status_code)
    flash(f"Claim marked {STATUS_LABELS[typed['status']].lower()}. The ruling is in the history.", "success")
    return redirect(url_for("claims.detail", claim_id=claim_id))


def rule(db, claim: dict, typed: dict, user: dict) -> dict:
    """An editor's ruling as the editor and the API take it: status, rationale, cited evidence, version.

    A ruling that will be a public correction needs a public note: readers
    are owed the reason a published verdict changed.
    """
    if typed["status"] not in RULINGS:
        raise TrackerError("Choose a status: confirmed, denied or unclear.")
    version = _int(typed["version"])
    if not str(typed.get("rationale") or "").strip():
        raise TrackerError("Say why: a status change needs a rationale.")
    cited = [_int(i) for i in typed.get("evidence_ids") or []]
    if not cited:
        raise TrackerError("Cite the evidence the ruling rests on: tick at least one evidence item.")
    public = str(typed.get("public_rationale") or "").strip()
    if is_correction(claim) and not public and version == claim["version"]:
        raise TrackerError(
            "This claim is published, so this ruling is a public correction: write the public rationale "
            "readers will see with it."
        )
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


def is_correction(claim: dict) -> bool:
    """Mirrors tracker.claims.set_status: a new ruling on a published, already ruled claim."""
    return bool(claim["published"]) and claim["status"] != "unreviewed"


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


def coverage_choices(db, story_id: int, selected: str | int | None = None) -> list[dict]:
    """The story's newest coverage with text to quote, labelled for a select box (plus the one chosen)."""
    items = coverage.quotable_items(db, story_id, MAX_COVERAGE_CHOICES)
    chosen = str(selected or "")
    if chosen.isdigit() and all(str(i["latest_revision_id"]) != chosen for i in items):
        try:
            revision = coverage.get_revision(db, int(chosen))
        except (NotFound, OverflowError):
            revision = None
        if revision is not None and revision["story_id"] == story_id:
            items.insert(0, {**coverage.get_item(db, revision["coverage_id"]), "latest_revision_id": revision["id"]})
    choices = []
    for item in items:
        where = item["outlet"] or host(item["canonical_url"]) or item["canonical_url"]
        label = f"{where} — {item['title'] or item['canonical_url']}"
        if item["kind"] == "statement":
            label = f"Statement: {label}"
        if item["published_at"]:
            label = f"{label} ({item['published_at'][:10]})"
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


class _RecordingFetcher:
    """Passes requests to the real fetcher and remembers the last response, to tell a page from a feed."""

    def __init__(self, inner) -> None:
        self.inner = inner
        self.response = None

    def get(self, url: str):
        self.response = self.inner.get(url)
        return self.response


def ingest_for_evidence(db, slug: str, url: str) -> int:
    """Fetch an article by URL into the story (the same ingest as the CLI) and return its latest revision id.

    Every refusal comes back as a message the reporter can act on: a bad
    address, a fetch error, a feed instead of an article, an off-topic page.
    """
    from scrapers.feeds import looks_like_feed
    from scrapers.urls import canonical_url, is_http_url
    from tracker import ingest

    if not is_http_url(url):
        raise _FieldError("Give the article's full web address, starting with http:// or https://.", "url")
    factory = current_app.config.get("FETCHER_FACTORY") or ingest.default_fetcher
    inner = factory()
    fetcher = _RecordingFetcher(inner)
    lines: list[str] = []
    stamp = now()
    try:
        result = ingest.ingest_targets(db, slug, [url], echo=lines.append, fetcher=fetcher)
    finally:
        close = getattr(inner, "close", None)
        if close is not None:
            close()
    if result.get("failed"):
        problem = next((line for line in lines if line.startswith("failed:")), "failed: the page could not be read")
        problem = problem.split(": ", 2)[-1]
        raise _FieldError(f"Could not ingest {url}: {problem}", "url")
    response = fetcher.response
    body = getattr(response, "body", None) or b""
    if looks_like_feed(body):
        raise _FieldError(
            "That address is a feed, not an article: open the story's coverage and cite one of its items, "
            "or give the article's own address.",
            "url",
        )
    candidates = set()
    for address in (url, getattr(response, "url", None)):
        try:
            candidates.add(canonical_url(address))
        except (TypeError, ValueError):
            pass
    for line in lines:  # "URL: page, new item CANONICAL"
        if " item " in line:
            candidates.add(line.rsplit(" item ", 1)[1].strip())
    item = None
    if candidates:
        marks = ", ".join("?" for _ in candidates)
        item = db.execute(
            f"""SELECT c.id FROM coverage c JOIN stories s ON s.id = c.story_id
                WHERE s.slug = ? AND c.canonical_url IN ({marks}) ORDER BY c.id DESC LIMIT 1""",
            [slug, *candidates],
        ).fetchone()
    if item is None:
        item = db.execute(
            """SELECT c.id FROM coverage c JOIN stories s ON s.id = c.story_id
               WHERE s.slug = ? AND c.last_checked_at >= ? ORDER BY c.last_checked_at DESC, c.id DESC LIMIT 1""",
            [slug, stamp],
        ).fetchone()
    latest = coverage.latest_revision(db, item[0]) if item else None
    if latest is None:
        skipped = "; ".join(lines[-2:]) or "nothing was stored"
        raise _FieldError(f"{url} was fetched but gave no article text to quote ({skipped}).", "url")
    return latest["id"]


def _log_with_evidence(db, story: dict, typed: dict) -> int:
    """The claim and its first evidence commit together, so a refused quote leaves no orphan claim."""
    if not typed["text"].strip():
        raise _FieldError("Write the claim: what is being asserted, in one sentence.", "text")
    if not typed["claimant_type"]:
        raise _FieldError("Choose the claimant type.", "claimant_type")
    if typed["url"].strip() and not typed["revision_id"]:
        # Fetched before the claim's transaction: a slow site must not hold the write lock.
        typed["revision_id"] = str(ingest_for_evidence(db, story["slug"], typed["url"].strip()))
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
        raise _FieldError("Choose the coverage the quote comes from, or give its web address.", "revision_id")
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

    status_code = 422

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


def _int(value) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise TrackerError("That form was incomplete; reload the page and try again.") from None
    if not 0 <= number <= MAX_SQLITE_INT:
        raise TrackerError("That form was incomplete; reload the page and try again.")
    return number


def evidence_in_context(db, claim_id: int) -> list[dict]:
    """The claim's evidence, each quote highlighted in its revision, flagged when a later revision dropped it."""
    texts: dict[int, str] = {}
    changed = {row["evidence_id"]: row for row in claims.changed_evidence(db, claim_id=claim_id)}
    evidence = []
    for item in claims.evidence_for(db, claim_id):
        if item["revision_id"] not in texts:
            texts[item["revision_id"]] = coverage.get_revision(db, item["revision_id"])["text"]
        text = texts[item["revision_id"]]
        evidence.append(
            {
                **item,
                "in_context": highlight(text, item["start"], item["end"], item["quote"]),
                "changed": changed.get(item["id"]),
            }
        )
    return evidence


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
    evidence = evidence_in_context(db, claim["id"])
    if status_form is None:
        # One evidence item: the ruling can only rest on it, so it starts ticked.
        status_form = {
            "version": claim["version"],
            "evidence_ids": [str(evidence[0]["id"])] if len(evidence) == 1 else [],
        }
    return render_template(
        "claims/detail.html",
        claim=claim,
        evidence=evidence,
        changed=[e for e in evidence if e["changed"]],
        history=claims.history(db, claim["id"]),
        related=claims.related_claims(db, claim),
        coverage=coverage_choices(db, claim["story_id"], (evidence_form or {}).get("revision_id")),
        status_form=status_form,
        status_error=status_error,
        evidence_form=evidence_form or {"stance": "supports"},
        evidence_error=evidence_error,
        evidence_field=evidence_field,
        source_text=source_text,
        correction=is_correction(claim),
    ), code


def _render_conflict(e: claims.StaleEdit, *, action: str, typed: dict) -> ResponseReturnValue:
    db = get_db()
    current = e.current
    return render_template(
        "claims/conflict.html",
        claim=current,
        history=claims.history(db, current["id"]),
        evidence=evidence_in_context(db, current["id"]) if action == "status" else [],
        action=action,
        typed=typed,
        message=str(e),
        seen_version=e.expected_version,
        correction=is_correction(current),
    ), 409
