"""The newsroom's own reporting and social posts in the JSON API.

A reporting note carries who (identity) and notes: confidential, returned to
staff, never published. Readers see only the line an editor approved
(public_line); approving is for editors.
"""

from __future__ import annotations

import base64
import binascii

from flask import jsonify
from flask.typing import ResponseReturnValue

from scrapers.urls import link_key
from tracker import captures, coverage, reporting, stories
from tracker.db import transaction
from tracker.editor.api import idempotency
from tracker.editor.api.documents import LINK_KEY, capture_json
from tracker.editor.api.routing import ApiError, api_user, endpoint
from tracker.editor.api.schemas import (
    BASE64_RULE,
    DATE_RULE,
    FILE_NAME,
    ID,
    NULLABLE_STAMP,
    NULLABLE_STR,
    STAMP,
    STR,
    URL,
    obj,
    ref,
)
from tracker.editor.db import get_db
from tracker.editor.documents import settings
from tracker.vocab import REPORTING_HOWS

ATTACHMENT = obj(
    {
        "filename": FILE_NAME,
        "media_type": {"type": "string", "maxLength": 200},
        "content_base64": {
            "type": "string",
            "minLength": 1,
            "maxLength": reporting.ATTACHMENT_MAX_BYTES * 4 // 3 + 4,
            "contentEncoding": "base64",
        },
        "role": {"type": "string", "enum": ["attachment", "screenshot"], "default": "attachment"},
    },
    required=["filename", "content_base64"],
)

SCHEMAS = {
    "Attachment": ATTACHMENT,
    "ReportingCreate": obj(
        {
            "how": {"type": "string", "enum": list(REPORTING_HOWS)},
            "at": {**STAMP, "description": "When it happened, UTC, ISO 8601."},
            "words": {"type": "string", "minLength": 1, "maxLength": reporting.WORDS_MAX},
            "identity": {"type": "string", "maxLength": 2000, "description": "Who: confidential, never published."},
            "notes": {"type": "string", "maxLength": 20000, "description": "Never published."},
            "attribution": {"type": "string", "maxLength": 300, "description": "Proposed wording for readers."},
        },
        required=["how", "at", "words"],
    ),
    "Reporting": obj(
        {
            "coverage_id": ID,
            "revision_id": ID,
            "story": STR,
            "how": {"type": "string", "enum": list(REPORTING_HOWS)},
            "at": STAMP,
            "words": STR,
            "identity": {"type": "string", "description": "Confidential; never published."},
            "notes": {"type": "string", "description": "Never published."},
            "attribution": STR,
            "approved_by": NULLABLE_STR,
            "approved_at": NULLABLE_STAMP,
            "public_line": {"type": ["string", "null"], "description": "What readers see, once approved."},
            "files": {"type": "array", "items": ref("Capture")},
        }
    ),
    "AttributionChange": obj(
        {
            "attribution": {"type": "string", "maxLength": 300},
            "approve": {"type": "boolean", "default": False, "description": "Editors only."},
        },
        required=["attribution"],
    ),
    "PostCreate": obj(
        {
            "url": URL,
            "handle": {"type": "string", "minLength": 1, "maxLength": 200},
            "network": {"type": "string", "maxLength": 200},
            "posted_at": STAMP,
            "text": {"type": "string", "minLength": 1, "maxLength": reporting.WORDS_MAX},
            "screenshot": ATTACHMENT,
        },
        required=["url", "handle", "text"],
    ),
    "Post": obj(
        {
            "coverage_id": ID,
            "revision_id": ID,
            "url": STR,
            "handle": STR,
            "network": STR,
            "posted_at": NULLABLE_STAMP,
            "link_key": LINK_KEY,
            "files": {"type": "array", "items": ref("Capture")},
        }
    ),
}


@idempotency.rereads("reporting")
def reporting_json(db, coverage_id: int) -> dict:
    note = reporting.get_reporting(db, coverage_id)
    story = stories.get_story_by_id(db, note["story_id"])
    return {
        "coverage_id": coverage_id,
        "revision_id": note["revision_id"],
        "story": story["slug"],
        "how": note["how"],
        "at": note["at"],
        "words": note["words"],
        "identity": note["identity"],
        "notes": note["notes"],
        "attribution": note["attribution"],
        "approved_by": note["approved_by"],
        "approved_at": note["attribution_approved_at"],
        "public_line": note["public_line"],
        "files": [capture_json(c) for c in captures.captures_for(db, coverage_id=coverage_id)],
    }


def _decoded(item: dict, where: str) -> bytes:
    """The bytes of a file sent as base64; a 422 naming the field when they are not base64."""
    try:
        return base64.b64decode(item["content_base64"], validate=True)
    except (binascii.Error, ValueError):
        raise ApiError("The file is not valid base64.", 422, [{"field": where, "message": "not base64"}]) from None


def _attach(db, coverage_id: int, item: dict, where: str, data: bytes | None = None) -> None:
    reporting.attach_file(
        db,
        coverage_id,
        _decoded(item, where) if data is None else data,
        filename=item["filename"],
        media_type=item.get("media_type"),
        user=api_user(),
        role=item.get("role", "attachment"),
    )


@endpoint(
    "POST",
    "/stories/{slug}/reporting",
    "Log an interview, email or call by staff (identity and notes stay private)",
    {201: "Reporting", 400: "Error", 401: "Error", 404: "Error", 422: "Error"},
    body="ReportingCreate",
    rules={400: DATE_RULE, 422: BASE64_RULE},
)
def create_reporting(slug: str, body: dict) -> ResponseReturnValue:
    db = get_db()
    story = stories.get_story(db, slug)
    coverage_id = reporting.log_reporting(
        db,
        story["id"],
        how=body["how"],
        at=body["at"],
        words=body["words"],
        identity=body.get("identity", ""),
        notes=body.get("notes", ""),
        attribution=body.get("attribution", ""),
        user=api_user(),
        settings=settings(),
    )
    idempotency.shows("reporting", coverage_id)
    return jsonify(reporting_json(db, coverage_id)), 201


@endpoint(
    "GET",
    "/reporting/{coverage_id}",
    "A reporting note with its confidential fields, words, approval and files",
    {200: "Reporting", 401: "Error", 404: "Error"},
)
def get_reporting(coverage_id: int) -> ResponseReturnValue:
    return jsonify(reporting_json(get_db(), coverage_id))


@endpoint(
    "POST",
    "/reporting/{coverage_id}/attribution",
    "Word (any staff) or approve (editors) how readers see the source",
    {200: "Reporting", 400: "Error", 401: "Error", 403: "Error", 404: "Error", 422: "Error"},
    body="AttributionChange",
    rules={400: "approving an attribution that is empty (readers would see no source)"},
)
def set_attribution(coverage_id: int, body: dict) -> ResponseReturnValue:
    db = get_db()
    reporting.set_attribution(db, coverage_id, body["attribution"], api_user(), approve=body.get("approve", False))
    return jsonify(reporting_json(db, coverage_id))


@endpoint(
    "POST",
    "/coverage/{coverage_id}/attachments",
    "Attach a file to a reporting note, post or document, kept as received",
    {201: "Capture", 400: "Error", 401: "Error", 404: "Error", 413: "Error", 422: "Error"},
    body="Attachment",
    rules={400: "a file attached to coverage other than reporting, posts and documents", 422: BASE64_RULE},
)
def add_attachment(coverage_id: int, body: dict) -> ResponseReturnValue:
    db = get_db()
    coverage.get_item(db, coverage_id)
    _attach(db, coverage_id, body, "content_base64")
    latest = captures.captures_for(db, coverage_id=coverage_id)[-1]
    return jsonify(capture_json(latest)), 201


@endpoint(
    "POST",
    "/stories/{slug}/posts",
    "Log a social post by hand (no network is fetched), with an optional screenshot",
    {201: "Post", 400: "Error", 401: "Error", 404: "Error", 422: "Error"},
    body="PostCreate",
    rules={400: f"a url that is not a full http(s) address; {DATE_RULE}", 422: BASE64_RULE},
)
def create_post(slug: str, body: dict) -> ResponseReturnValue:
    db = get_db()
    story = stories.get_story(db, slug)
    screenshot = body.get("screenshot")
    where = "screenshot.content_base64"
    data = _decoded(screenshot, where) if screenshot else None
    # One transaction: a screenshot refused (empty, too large) leaves no post behind its 422.
    with transaction(db):
        coverage_id, revision_id = reporting.log_post(
            db,
            story["id"],
            url=body["url"],
            handle=body["handle"],
            network=body.get("network", ""),
            posted_at=body.get("posted_at"),
            text=body["text"],
            user=api_user(),
        )
        if screenshot:
            _attach(db, coverage_id, {**screenshot, "role": "screenshot"}, where, data)
    post = reporting.get_post(db, coverage_id)
    item = coverage.get_item(db, coverage_id)
    return jsonify(
        {
            "coverage_id": coverage_id,
            "revision_id": revision_id,
            "url": item["canonical_url"],
            "handle": post["handle"],
            "network": post["network"],
            "posted_at": post["posted_at"],
            "link_key": link_key(item["canonical_url"]),
            "files": [capture_json(c) for c in captures.captures_for(db, coverage_id=coverage_id)],
        }
    ), 201
