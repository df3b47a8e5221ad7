"""Documents and items kept as received: upload or fetch a document, read a page with its quotes marked,
transcribe a scan, open an item as received, publish an archived copy, download evidence bundles.

An item as received is never shown as a page of the editor: it is sent as a
download (Content-Disposition: attachment, application/octet-stream) with a
sandboxing Content-Security-Policy, so scraped HTML or a crafted PDF never
runs in the editor's origin.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator

from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask.typing import ResponseReturnValue

from scrapers.documents import DocumentError
from scrapers.records import size_in_words
from scrapers.urls import http_url_problem
from tracker import bundles, captures, claims, config, coverage, documents, extraction, photos, stories
from tracker.db import NotFound, TrackerError, connect
from tracker.editor import drafts
from tracker.editor.auth import current_row, require_editor
from tracker.editor.coverage import marked_segments, photo_warning, received_list, shown_revision
from tracker.editor.db import get_db
from tracker.editor.evidence import fetch_into_story, warn_of_extraction, warn_of_key
from tracker.editor.forms import FieldError, is_local_path

bp = Blueprint("documents", __name__)

SETTINGS = "tracker_settings"
# Room for the form's other fields beside the file.
FORM_SLACK = 64 * 1024
# Base64 in JSON through the API; past this, the upload form (streamed to disk) takes a document.
API_UPLOAD_BYTES = 20 * 1024 * 1024
# Sent with every item as received: a download, never a document of this origin.
RAW_HEADERS = {
    "Content-Security-Policy": "sandbox; default-src 'none'",
    "X-Content-Type-Options": "nosniff",
    "Cross-Origin-Resource-Policy": "same-origin",
}


def settings() -> config.Settings:
    return current_app.extensions.get(SETTINGS) or config.settings()


def upload_limits() -> None:
    """Before any form is read (CSRF checking reads it first): raise the body limit for the upload routes.

    The app's limit is 2 MB for every other request; a document may be up to
    TRACKER_DOCUMENT_MAX_MB, an attachment up to reporting.ATTACHMENT_MAX_BYTES.
    Werkzeug spools a large upload to a temporary file, never to memory.
    """
    if request.method != "POST":
        return
    found = _upload_limit(request.endpoint)
    if found is not None:
        request.max_content_length = found[0]


def _upload_limit(endpoint: str | None) -> tuple[int, str] | None:
    """An upload route's body limit, and what a file over it is told (the limit, and what to do); None elsewhere."""
    from tracker import reporting

    documents_limit = size_in_words(settings().document_max_bytes)
    attachments_limit = size_in_words(reporting.ATTACHMENT_MAX_BYTES)
    for_document = (
        f"The file is over the {documents_limit} limit for documents; split the file, or ask whoever runs the "
        "tracker to raise TRACKER_DOCUMENT_MAX_MB."
    )
    for_attachment = f"The file is over the {attachments_limit} limit for attachments; keep the part that matters."
    if endpoint == "documents.new":
        return settings().document_max_bytes + FORM_SLACK, for_document
    if endpoint in ("documents.attach", "reporting.new_note", "reporting.new_post"):
        return reporting.ATTACHMENT_MAX_BYTES + FORM_SLACK, for_attachment
    if endpoint == "api.add_document":  # base64 in JSON: a third larger than the file
        return API_UPLOAD_BYTES * 4 // 3 + FORM_SLACK, (
            f"The file is over the {size_in_words(API_UPLOAD_BYTES)} the API takes in JSON; upload it on the "
            "story's Add a document page, which takes documents up to the documents' limit."
        )
    if endpoint in ("api.add_attachment", "api.create_post"):
        return reporting.ATTACHMENT_MAX_BYTES * 4 // 3 + FORM_SLACK, for_attachment
    return None


def too_large() -> str | None:
    """What a request over its upload route's limit is told (a 413), or None for any other route."""
    found = _upload_limit(request.endpoint)
    return found[1] if found else None


ALREADY_STORED = "This form's document was already stored (it was sent twice); here it is."


@bp.route("/stories/<slug>/documents/new", methods=("GET", "POST"))
def new(slug: str) -> ResponseReturnValue:
    """Add a document: upload a file (PDF, .docx, text, saved HTML) or give its address to fetch."""
    db = get_db()
    story = stories.get_story(db, slug)
    typed = {"url": request.form.get("url", "")}
    error = field = None
    if request.method == "POST":
        # The same copy sent twice goes to what its first send stored. Reading or fetching the file holds no
        # lock, so this form's record is made after the store (which keeps the same file's text once anyway),
        # and looked for before it, so a double click neither reads the file again nor fetches its address twice.
        earlier = drafts.saved_before(db)
        if earlier is not None:
            flash(ALREADY_STORED, "success")
            return redirect(earlier)
        try:
            stored = _add(db, story, typed)
            location, stored_now = drafts.once(
                db, lambda: url_for("documents.page", coverage_id=stored.coverage_id, page=1)
            )
        except TrackerError as e:
            error, field = str(e), getattr(e, "field", None)
        else:
            if not stored_now:
                flash(ALREADY_STORED, "success")
                return redirect(location)
            extracted = extraction.extract_waiting(
                db, story["id"], revision_ids=[stored.revision_id] if stored.created else []
            )
            warn_of_extraction(reason for _, _, reason in extracted["problems"])
            pages = f"{stored.pages} page{'s' if stored.pages != 1 else ''}"
            if stored.flag:
                flash(f"Document stored, {pages}; {stored.flag}.", "info")
            else:
                flash(f"Document stored: {pages}, {stored.text_pages} with text.", "success")
            capture_id = _capture_of(db, stored)
            whole = capture_id is not None and captures.cannot_be_cleaned(captures.get_capture(db, capture_id))
            if not whole and (warning := documents.properties_warning(stored.reveals)):
                flash(warning, "warning")  # (a file that cannot be cleaned names its properties in the next one)
            if warning := photo_warning(db, capture_id):
                flash(warning, "warning")
            return redirect(location)
    return render_template(
        "documents/new.html",
        story=story,
        typed=typed,
        error=error,
        field=field,
        max_size=size_in_words(settings().document_max_bytes),
        max_pages=f"{settings().document_max_pages:,} page{'s' if settings().document_max_pages != 1 else ''}",
    ), (422 if error else 200)


def _capture_of(db, stored: documents.StoredDocument) -> int | None:
    """The capture keeping the document's file (an upload of a file kept before is the capture kept then)."""
    if stored.capture_id is not None:
        return stored.capture_id
    found = db.execute(
        "SELECT id FROM captures WHERE coverage_id = ? AND sha256 = ? ORDER BY id LIMIT 1",
        [stored.coverage_id, stored.sha256],
    ).fetchone()
    return found[0] if found else None


def _add(db, story: dict, typed: dict) -> documents.StoredDocument:
    upload = request.files.get("file")
    url = typed["url"].strip()
    if upload and upload.filename:
        received = captures.Received(
            how="upload", filename=upload.filename, media_type=upload.mimetype or None, received_at=None
        )
        try:
            return documents.store_document(db, story, upload.stream, received, user=current_row(), settings=settings())
        except DocumentError as e:
            raise FieldError(f"{received.shown}: {e}.", "file") from None
    if url:
        problem = http_url_problem(url, "the document's")
        if problem:
            raise FieldError(problem, "url")
        result = fetch_into_story(db, story["slug"], url, as_document=True)
        if result.kind != "document":
            raise FieldError(f"Could not add {url}: {result.problem}", "url")
        warn_of_key(url)
        warn_of_extraction(result.warnings)  # read as it was fetched
        revision = coverage.get_revision(db, result.revision_id)
        return documents.StoredDocument(
            result.item_id,
            result.revision_id,
            result.status,
            False,
            result.canonical_url,
            revision["title"],
            "",
            result.pages,
            result.text_pages,
            result.sha256,
            None,
        )
    raise FieldError("Choose a file to upload, or give the document's web address.", "file")


@bp.route("/coverage/<int:coverage_id>/pages/<int:page>")
def page(coverage_id: int, page: int) -> ResponseReturnValue:
    """One page of a document: its text with every cited quote marked, page by page, and how it was received."""
    db = get_db()
    item = coverage.get_item(db, coverage_id)
    if item["kind"] != "document":
        return redirect(url_for("coverage.item", coverage_id=coverage_id))
    story = stories.get_story_by_id(db, item["story_id"])
    revisions = coverage.list_revisions(db, coverage_id)
    ids = [r["id"] for r in revisions]
    shown = shown_revision(coverage_id, ids, url_for("documents.page", coverage_id=coverage_id, page=page))
    if shown is None:
        raise NotFound("The document has no text revision yet.")
    document = documents.get_document(db, shown) or {}
    pages = documents.page_list(db, shown)
    if not pages:
        raise NotFound("The document has no pages.")
    if not 1 <= page <= len(pages):
        raise NotFound(f"The document has pages 1 to {len(pages)}; there is no page {page}.")
    here = pages[page - 1]
    text = coverage.get_revision(db, shown)["text"]
    page_text = text[here["start"] : here["end"]]
    cited = [
        {**c, "quote": c["quote"]}
        for c in claims.claims_citing(db, coverage_id)
        if c["revision_id"] == shown and here["start"] <= _start_of(db, c["evidence_id"]) <= here["end"]
    ]
    received = received_list(db, coverage_id)
    return render_template(
        "documents/page.html",
        story=story,
        item=item,
        document=document,
        pages=pages,
        page=here,
        number=page,
        segments=marked_segments(page_text, cited),
        cited=cited,
        revisions=revisions,
        shown=shown,
        received=received,
    )


def _stream(path: str, capture_id: int) -> Iterator[bytes]:
    """The capture's pieces on a connection of its own: the request's is closed before a download ends."""
    db = connect(path, create=False)
    try:
        yield from captures.chunks(db, capture_id)
    finally:
        db.close()


def _start_of(db, evidence_id: int) -> int:
    return db.execute("SELECT start FROM evidence WHERE id = ?", [evidence_id]).fetchone()[0]


@bp.route("/coverage/<int:coverage_id>/pages/<int:page>/transcribe", methods=("POST",))
def transcribe(coverage_id: int, page: int) -> ResponseReturnValue:
    """A reporter types what a page says (a scan without a text layer); a new revision holds it."""
    db = get_db()
    try:
        revision_id = documents.transcribe_page(db, coverage_id, page, request.form.get("text", ""), current_row())
    except NotFound:
        raise
    except TrackerError as e:
        flash(f"The transcription was not saved: {e}", "error")
        return redirect(url_for("documents.page", coverage_id=coverage_id, page=page))
    flash(f"Page {page} transcribed. Quotes from it can now be cited.", "success")
    return redirect(url_for("documents.page", coverage_id=coverage_id, page=page, rev=revision_id))


@bp.route("/captures/<int:capture_id>/raw")
def raw(capture_id: int) -> ResponseReturnValue:
    """The item exactly as received, as a download that cannot run in the editor (see RAW_HEADERS)."""
    db = get_db()
    capture = captures.get_capture(db, capture_id)
    name = bundles.item_name(capture)
    response = Response(_stream(current_app.config["DATABASE"], capture_id), mimetype="application/octet-stream")
    response.headers["Content-Disposition"] = f'attachment; filename="{capture_id}-{name}"'
    response.headers["Content-Length"] = str(capture["size"])
    response.headers["X-Received-At"] = capture["received_at"]
    response.headers["X-Content-SHA256"] = capture["sha256"]
    response.headers.update(RAW_HEADERS)
    response.direct_passthrough = True
    return response


@bp.route("/captures/<int:capture_id>/publish", methods=("POST",))
def publish_copy(capture_id: int) -> ResponseReturnValue:
    """An editor publishes (or withdraws) the archived copy of an item on the public site."""
    require_editor("publish archived copies")
    db = get_db()
    publish = request.form.get("published") == "1"
    confirmed = request.form.get("confirmed") == "1"
    capture = captures.set_published(db, capture_id, publish, current_row(), confirmed=confirmed)
    flash(
        "The archived copy will be published with the next publish."
        if publish
        else "The archived copy is withdrawn from the next publish.",
        "success",
    )
    if publish:
        _tell_what_readers_get(db, capture)
    target = request.form.get("next", "")
    if is_local_path(target):
        return redirect(target)
    return redirect(url_for("coverage.item", coverage_id=capture["coverage_id"]))


def _tell_what_readers_get(db, capture: dict) -> None:
    """What the editor who publishes a copy is told readers get, read from that copy: the file is read once and
    its copy made at most once, however many of these it takes (a document may be 100 MB)."""
    received = captures.raw_bytes(db, capture["id"])
    whole = captures.cannot_be_cleaned(capture) is not None
    copy = functools.cache(lambda: photos.public_copy(received, as_received=whole))
    if whole:
        flash(
            "Readers get it as received, as you chose, with everything it records; your choice is kept in the "
            "copy's history. Withdraw it before the next publish if that was not what you meant.",
            "info",
        )
    elif captures.reveals(db, capture):
        flash(_what_readers_get(capture, received, copy), "info")
    if note := documents.comments_note(received):
        flash(note, "warning")
    if capture["coverage_kind"] == "document" and capture["role"] == "document":
        if warning := documents.properties_warning(*documents.copy_reveals(capture, received, copy)):
            flash(warning, "warning")


def _what_readers_get(capture: dict, received: bytes, copy: Callable[[], bytes | None]) -> str:
    """What the editor who publishes a copy of a photo or a document holding photos is told readers get: read
    from that copy, so it says what could not be removed from it."""
    if not captures.needs_confirming(capture):
        return "Readers get it without its photos' metadata; the newsroom keeps it as received."
    kept = documents.metadata_kept(copy()) or "none"
    if copy() == received:
        return f"Readers get it as received, as you confirmed; what could not be removed: {kept}."
    return (
        f"Readers get it with its metadata removed, as you confirmed, but for what could not be: {kept}; "
        "the newsroom keeps it as received."
    )


@bp.route("/claims/<int:claim_id>/bundle")
def claim_bundle(claim_id: int) -> ResponseReturnValue:
    """Editors only: the claim's evidence as received, a WARC of its web items and a manifest of hashes."""
    require_editor("download evidence bundles")
    bundle = bundles.claim_bundle(get_db(), claim_id)
    return _send(bundle)


@bp.route("/stories/<slug>/bundle")
def story_bundle(slug: str) -> ResponseReturnValue:
    """Editors only: every item the story's claims cite, as one bundle for legal review."""
    require_editor("download evidence bundles")
    db = get_db()
    return _send(bundles.story_bundle(db, stories.get_story(db, slug)))


def _send(bundle: bundles.Bundle) -> ResponseReturnValue:
    response = send_file(bundle.file, mimetype="application/zip", as_attachment=True, download_name=bundle.filename)
    response.headers.update(RAW_HEADERS)
    return response


@bp.route("/coverage/<int:coverage_id>/attachments", methods=("POST",))
def attach(coverage_id: int) -> ResponseReturnValue:
    """Attach a file (a screenshot, a saved email) to a post, a reporting note or a document."""
    from tracker import reporting

    db = get_db()
    item = coverage.get_item(db, coverage_id)
    page = url_for("reporting.note" if item["kind"] == "reporting" else "coverage.item", coverage_id=coverage_id)
    upload = request.files.get("file")
    if not upload or not upload.filename:
        flash("Choose a file to attach.", "error")
        return redirect(page)
    role = "screenshot" if request.form.get("role") == "screenshot" else "attachment"
    kept_now: list[int] = []
    # Hashed and compressed before the save's transaction: a large file must not hold the write lock meanwhile.
    prepared = captures.prepare(upload.stream)

    def keep() -> str:
        kept_now.append(
            reporting.attach_file(
                db,
                coverage_id,
                prepared,
                filename=upload.filename,
                media_type=upload.mimetype or None,
                user=current_row(),
                role=role,
            )
        )
        return page

    try:
        _, attached = drafts.once(db, keep)
    except NotFound:
        raise
    except TrackerError as e:
        flash(f"The file was not attached: {e}", "error")
    else:
        if not attached:
            flash("This form's file was already attached (it was sent twice); it is listed once.", "success")
        else:
            flash(f"{captures.file_name(upload.filename)} attached, kept as received.", "success")
            if warning := photo_warning(db, kept_now[0]):
                flash(warning, "warning")
    finally:
        prepared.close()
    return redirect(page)
