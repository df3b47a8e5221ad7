"""Documents and items kept as received in the JSON API: add a document, read it page by page, transcribe a
scan, read what was received (metadata, and the bytes when small), publish an archived copy, bundles.

Files travel as base64 in JSON (the API speaks JSON only); a document over
MAX_UPLOAD_BYTES, or a bundle over MAX_BUNDLE_BYTES, is refused with a
message pointing at the editor's upload form or download link, which stream.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import io

from flask import jsonify
from flask.typing import ResponseReturnValue

from scrapers.documents import DocumentError
from scrapers.records import size_in_words
from scrapers.urls import is_http_url, link_key
from tracker import bundles, captures, coverage, documents, extraction, stories
from tracker.db import NotFound
from tracker.editor.api.routing import ApiError, api_user, endpoint
from tracker.editor.api.schemas import BASE64_RULE, FILE_NAME, ID, NULLABLE_STR, STAMP, STR, URL, obj, ref
from tracker.editor.db import get_db
from tracker.editor.documents import API_UPLOAD_BYTES, settings
from tracker.editor.evidence import extraction_warnings, fetch_into_story
from tracker.vocab import CAPTURE_ROLES

# Base64 in JSON grows a file by a third; past this, use the editor's upload form (streamed to disk).
MAX_UPLOAD_BYTES = API_UPLOAD_BYTES
# Items returned inline (content_base64) up to this size; larger ones are downloaded from the editor.
MAX_INLINE_BYTES = 5 * 1024 * 1024
MAX_BUNDLE_BYTES = 50 * 1024 * 1024
NULLABLE_INT = {"type": ["integer", "null"]}
LINK_KEY = {
    "type": ["string", "null"],
    "description": "Why the address is kept private: it carries a key (a signed storage URL, a Drive or Dropbox "
    "sharing link) that opens the file to anyone holding it. Readers never get the link; null for an ordinary one.",
}

SCHEMAS = {
    "DocumentCreate": obj(
        {
            "url": {**URL, "description": "Fetch the document from this address."},
            "filename": FILE_NAME,
            "content_base64": {
                "type": "string",
                "minLength": 1,
                "maxLength": MAX_UPLOAD_BYTES * 4 // 3 + 4,
                "contentEncoding": "base64",
                "description": "The file's bytes, base64 (with filename); or give url instead.",
            },
        },
        required=[],
        description="Either url, or filename with content_base64.",
    ),
    "DocumentPage": obj(
        {
            "page": ID,
            "start": {"type": "integer", "minimum": 0},
            "end": {"type": "integer", "minimum": 0},
            "transcribed_by": NULLABLE_STR,
        }
    ),
    "Capture": obj(
        {
            "id": ID,
            "coverage_id": ID,
            "revision_id": NULLABLE_INT,
            "role": {"type": "string", "enum": list(CAPTURE_ROLES)},
            "how": {"type": "string", "enum": list(captures.HOWS)},
            "url": NULLABLE_STR,
            "filename": NULLABLE_STR,
            "status": NULLABLE_INT,
            "media_type": NULLABLE_STR,
            "received_at": STAMP,
            "sha256": STR,
            "size": {"type": "integer", "minimum": 0},
            "published": {"type": "boolean", "description": "An editor published this archived copy."},
            "reveals": {
                "type": "array",
                "items": STR,
                "description": "What a photo's metadata, or the photos inside a document, record, in words (where "
                "it was taken, the camera's serial number, its owner's name...): kept as received; left out of a "
                "published copy, or, where some cannot be, the copy (the rest left out) is published only when an "
                "editor confirmed it.",
            },
            "cannot_be_cleaned": {
                "type": ["string", "null"],
                "description": "Why nothing can be cleaned of this file (it is signed, an encrypted PDF, a file "
                "that could not be read): its copy is published only as received, with whatever it records, when "
                "an editor publishes it with `confirmed`; null for any other file.",
            },
        }
    ),
    "CaptureDetail": obj(
        {
            "capture": ref("Capture"),
            "headers": {"type": "object", "description": "The response headers as received (names in lower case)."},
            "content_base64": {
                "type": ["string", "null"],
                "description": f"The bytes as received, base64; null over {size_in_words(MAX_INLINE_BYTES)} "
                "(download from the editor's /captures/{id}/raw).",
            },
        }
    ),
    "Document": obj(
        {
            "coverage_id": ID,
            "revision_id": ID,
            "title": NULLABLE_STR,
            "url": STR,
            "media_type": NULLABLE_STR,
            "extractor": NULLABLE_STR,
            "text_pages": {"type": "integer", "minimum": 0},
            "flag": {"type": ["string", "null"], "description": '"no text: quote by hand or OCR" for a scan.'},
            "link_key": LINK_KEY,
            "pages": {"type": "array", "items": ref("DocumentPage")},
            "received": {"type": "array", "items": ref("Capture")},
        }
    ),
    "PageText": obj({"coverage_id": ID, "revision_id": ID, "page": ID, "text": STR}),
    "Transcription": obj({"text": {"type": "string", "minLength": 1, "maxLength": 100_000}}),
    "CapturePublish": obj(
        {
            "published": {"type": "boolean"},
            "confirmed": {
                "type": "boolean",
                "description": "Publish a document some of whose photos' metadata cannot be left out of its copy "
                "(the capture's reveals say what it records); the copy leaves out all the rest. For a file nothing "
                "can be cleaned of (signed, an encrypted PDF, a file that could not be read), publish it as "
                "received: the choice is kept in the copy's history.",
            },
        },
        required=["published"],
    ),
    "Bundle": obj(
        {
            "filename": STR,
            "items": {"type": "integer", "minimum": 0},
            "size": {"type": "integer", "minimum": 0},
            "sha256": STR,
            "content_base64": STR,
        }
    ),
}


# The answer to adding a document: the document, and what claim extraction said of its text then (not stored:
# GET /documents/{id} reads the document, not the text again).
SCHEMAS["DocumentAdded"] = obj(
    {
        **SCHEMAS["Document"]["properties"],
        "warnings": {
            "type": "array",
            "items": STR,
            "description": "What claim extraction said of the text as it was added, one line each, as the editor's "
            "form shows it: only its first part read for candidates (over a million characters: split the "
            "document), or candidates left out; empty when it was read whole.",
        },
    }
)


def capture_json(c: dict) -> dict:
    return {
        "id": c["id"],
        "coverage_id": c["coverage_id"],
        "revision_id": c["revision_id"],
        "role": c["role"],
        "how": c["how"],
        "url": c["url"],
        "filename": c["filename"],
        "status": c["status"],
        "media_type": c["media_type"],
        "received_at": c["received_at"],
        "sha256": c["sha256"],
        "size": c["size"],
        "published": bool(c["published"]),
        "reveals": captures.reveals(get_db(), c),
        "cannot_be_cleaned": captures.cannot_be_cleaned(c),
    }


def document_json(db, coverage_id: int, revision_id: int | None = None) -> dict:
    item = coverage.get_item(db, coverage_id)
    if item["kind"] != "document":
        raise NotFound(f"Coverage {coverage_id} is not a document.")
    revision_id = revision_id or coverage.latest_revision_id(db, coverage_id)
    document = documents.get_document(db, revision_id) or {}
    return {
        "coverage_id": coverage_id,
        "revision_id": revision_id,
        "title": item["title"],
        "url": item["canonical_url"],
        "media_type": document.get("media_type"),
        "extractor": document.get("extractor"),
        "text_pages": document.get("text_pages", 0),
        "flag": document.get("flag"),
        "link_key": link_key(item["canonical_url"]),
        "pages": [
            {"page": p["page"], "start": p["start"], "end": p["end"], "transcribed_by": p["transcribed_by_name"]}
            for p in documents.page_list(db, revision_id)
        ],
        "received": [capture_json(c) for c in captures.captures_for(db, coverage_id=coverage_id)],
    }


@endpoint(
    "POST",
    "/stories/{slug}/documents",
    "Add a document: fetch it from a URL, or send its bytes (PDF, .docx, text, saved HTML)",
    {201: "DocumentAdded", 400: "Error", 401: "Error", 404: "Error", 413: "Error", 422: "Error"},
    body="DocumentCreate",
    rules={
        400: "a file that cannot be read as a document (encrypted, broken, too many pages)",
        422: (
            f"content_base64 without a filename, {BASE64_RULE}, or a file that cannot be read; a url that is not "
            "an http(s) address or does not give a document; neither given"
        ),
    },
    links={
        "Document": {"operationId": "get_document", "parameters": {"coverage_id": "$response.body#/coverage_id"}},
        "FirstPage": {
            "operationId": "get_page",
            "parameters": {"coverage_id": "$response.body#/coverage_id", "page_id": "$response.body#/pages/0/page"},
        },
        "TranscribeFirstPage": {
            "operationId": "transcribe_page",
            "parameters": {"coverage_id": "$response.body#/coverage_id", "page_id": "$response.body#/pages/0/page"},
        },
    },
)
def add_document(slug: str, body: dict) -> ResponseReturnValue:
    db = get_db()
    story = stories.get_story(db, slug)
    if body.get("content_base64"):
        if not body.get("filename"):
            raise ApiError(
                "Give the file's name with its content.", 422, [{"field": "filename", "message": "required"}]
            )
        try:
            data = base64.b64decode(body["content_base64"], validate=True)
        except (binascii.Error, ValueError):
            raise ApiError(
                "content_base64 is not valid base64.", 422, [{"field": "content_base64", "message": "not base64"}]
            ) from None
        received = captures.Received(how="upload", filename=body["filename"], received_at=None)
        try:
            stored = documents.store_document(
                db, story, io.BytesIO(data), received, user=api_user(), settings=settings()
            )
        except DocumentError as e:
            problem = [{"field": "content_base64", "message": str(e)}]
            raise ApiError(f"{received.shown}: {e}.", 422, problem) from None
        coverage_id, revision_id, created = stored.coverage_id, stored.revision_id, stored.created
        said: list[str] = []
    elif body.get("url"):
        if not is_http_url(body["url"]):
            raise ApiError("Give an http(s) address.", 422, [{"field": "url", "message": "not an http(s) URL"}])
        result = fetch_into_story(db, slug, body["url"], as_document=True)
        if result.kind != "document":
            raise ApiError(
                f"Could not add {body['url']}: {result.problem}", 422, [{"field": "url", "message": "failed"}]
            )
        coverage_id, revision_id, created = result.item_id, result.revision_id, result.created
        said = list(result.warnings)  # read as it was fetched
    else:
        raise ApiError("Give url, or filename with content_base64.", 422, [{"field": "url", "message": "required"}])
    if created:
        extracted = extraction.extract_waiting(db, story["id"], revision_ids=[revision_id])
        said += [reason for _, _, reason in extracted["problems"]]
    return jsonify({**document_json(db, coverage_id, revision_id), "warnings": extraction_warnings(said)}), 201


@endpoint(
    "GET",
    "/documents/{coverage_id}",
    "A document: its pages (offsets into the revision's text), its flag, what was received",
    {200: "Document", 401: "Error", 404: "Error"},
)
def get_document(coverage_id: int) -> ResponseReturnValue:
    return jsonify(document_json(get_db(), coverage_id))


@endpoint(
    "GET",
    "/documents/{coverage_id}/pages/{page_id}",
    "One page's text (latest revision); quote from it with POST /claims/{id}/evidence and its page",
    {200: "PageText", 401: "Error", 404: "Error"},
)
def get_page(coverage_id: int, page_id: int) -> ResponseReturnValue:
    db = get_db()
    document = document_json(db, coverage_id)
    start, end = documents.page_span(db, document["revision_id"], page_id)
    text = coverage.get_revision(db, document["revision_id"])["text"][start:end]
    return jsonify({"coverage_id": coverage_id, "revision_id": document["revision_id"], "page": page_id, "text": text})


@endpoint(
    "POST",
    "/documents/{coverage_id}/pages/{page_id}/transcription",
    "Type what a page says (a scan has no text): a new revision, the page marked as transcribed",
    {201: "Document", 400: "Error", 401: "Error", 404: "Error", 422: "Error"},
    body="Transcription",
    rules={400: "a text of only spaces, or coverage that is not a document"},
)
def transcribe_page(coverage_id: int, page_id: int, body: dict) -> ResponseReturnValue:
    db = get_db()
    document_json(db, coverage_id)
    revision_id = documents.transcribe_page(db, coverage_id, page_id, body["text"], api_user())
    return jsonify(document_json(db, coverage_id, revision_id)), 201


@endpoint(
    "GET",
    "/coverage/{coverage_id}/captures",
    "What a coverage item kept as received: each fetch, upload and attachment with its SHA-256",
    {200: "CaptureList", 401: "Error", 404: "Error"},
)
def list_captures(coverage_id: int) -> ResponseReturnValue:
    db = get_db()
    coverage.get_item(db, coverage_id)
    return jsonify({"captures": [capture_json(c) for c in captures.captures_for(db, coverage_id=coverage_id)]})


SCHEMAS["CaptureList"] = obj({"captures": {"type": "array", "items": ref("Capture")}})


@endpoint(
    "GET",
    "/captures/{capture_id}",
    "One item as received: when and how, headers, SHA-256, and its bytes when small",
    {200: "CaptureDetail", 401: "Error", 404: "Error"},
)
def get_capture(capture_id: int) -> ResponseReturnValue:
    db = get_db()
    capture = captures.get_capture(db, capture_id)
    content = None
    if capture["size"] <= MAX_INLINE_BYTES:
        content = base64.b64encode(captures.raw_bytes(db, capture_id)).decode("ascii")
    return jsonify({"capture": capture_json(capture), "headers": capture["headers"], "content_base64": content})


@endpoint(
    "POST",
    "/captures/{capture_id}/publish",
    "Publish (or withdraw) an archived copy on the public site (editors and admins only)",
    {200: "Capture", 400: "Error", 401: "Error", 403: "Error", 404: "Error", 422: "Error"},
    body="CapturePublish",
    editors_only=True,
    rules={
        400: "a file of the newsroom's own reporting (never published); a copy over the public site's size limit; "
        "an image whose metadata cannot be left out (HEIC, TIFF, GIF, a damaged photo); a document holding photos "
        "whose metadata cannot be left out of it, or a file nothing can be cleaned of (signed, an encrypted PDF, "
        "a file that could not be read: published only as received), unless `confirmed`"
    },
    forbidden="Only editors decide which archived copies are published.",
)
def publish_capture(capture_id: int, body: dict) -> ResponseReturnValue:
    confirmed = bool(body.get("confirmed"))
    capture = captures.set_published(get_db(), capture_id, body["published"], api_user(), confirmed=confirmed)
    return jsonify(capture_json(capture))


@endpoint(
    "GET",
    "/claims/{claim_id}/bundle",
    "The claim's evidence bundle for legal review (zip, base64): items as received, WARC, manifest of hashes",
    {200: "Bundle", 401: "Error", 403: "Error", 404: "Error", 413: "Error"},
    editors_only=True,
    forbidden="Only editors download evidence bundles.",
)
def claim_bundle(claim_id: int) -> ResponseReturnValue:
    return _bundle_json(bundles.claim_bundle(get_db(), claim_id))


@endpoint(
    "GET",
    "/stories/{slug}/bundle",
    "The story's evidence bundle (zip, base64): every item its claims cite, as received",
    {200: "Bundle", 401: "Error", 403: "Error", 404: "Error", 413: "Error"},
    editors_only=True,
    forbidden="Only editors download evidence bundles.",
)
def story_bundle(slug: str) -> ResponseReturnValue:
    db = get_db()
    return _bundle_json(bundles.story_bundle(db, stories.get_story(db, slug)))


def _bundle_json(bundle: bundles.Bundle) -> ResponseReturnValue:
    data = bundle.file.read(MAX_BUNDLE_BYTES + 1)
    bundle.file.close()
    if len(data) > MAX_BUNDLE_BYTES:
        raise ApiError(
            f"The bundle is over {size_in_words(MAX_BUNDLE_BYTES)}; download it from the editor instead.", 413
        )
    return jsonify(
        {
            "filename": bundle.filename,
            "items": bundle.items,
            "size": len(data),
            "sha256": hashlib.sha256(data).hexdigest(),
            "content_base64": base64.b64encode(data).decode("ascii"),
        }
    )
