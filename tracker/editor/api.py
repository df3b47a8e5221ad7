"""The JSON API for reporters' own tools: stories, claims (list, search, create, read), evidence, rulings.

Authentication is a bearer token (`python -m tracker users token NAME`, or
the Account page); such requests carry no cookie, so they need no CSRF token.
A signed-in browser session works too, and then its POSTs need the CSRF
token in an X-CSRFToken header like any form. Every route is declared with
@endpoint, which registers it with Flask and describes it in the OpenAPI
document from the same schemas it validates with. Errors are JSON:
{"message": ..., "errors": [...]}; bad input is 400 (query) or 422 (body).
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from dataclasses import dataclass, field

from flask import Blueprint, current_app, g, jsonify, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from werkzeug.exceptions import HTTPException

from tracker import claims, coverage, stories, users
from tracker.db import NotFound, TrackerError, transaction
from tracker.editor import schemas
from tracker.editor.claims import evidence_in_context, rule
from tracker.editor.db import get_db

bp = Blueprint("api", __name__, url_prefix="/api")

API_VERSION = "1.0.0"
MAX_INT = 2**63 - 1


@dataclass
class Endpoint:
    method: str
    path: str  # OpenAPI style: /claims/{claim_id}
    summary: str
    responses: dict[int, str]
    body: str | None = None
    params: dict[str, dict] = field(default_factory=dict)
    auth: bool = True
    editors_only: bool = False
    forbidden: str = "Only editors and admins change a claim's status."  # the 403 message of editors_only
    description: str = ""
    endpoint: str = ""


ENDPOINTS: list[Endpoint] = []
ERROR_TEXT = {
    400: "Bad query parameters or request",
    401: "No valid token or session",
    403: "Not allowed for this role",
    404: "Not found",
    409: "The claim changed since the version given",
    422: "The body failed validation, or a domain rule refused it",
}


def endpoint(method: str, path: str, summary: str, responses: dict[int, str], **options) -> Callable:
    """Declare an API route: registered with Flask here, described in /api/openapi.json from the same data."""

    def register(view: Callable) -> Callable:
        spec = Endpoint(method, path, summary, responses, endpoint=f"{bp.name}.{view.__name__}", **options)
        ENDPOINTS.append(spec)
        rule_path = path
        for name in _path_params(path):
            converter = "int:" if name.endswith("_id") else ""
            rule_path = rule_path.replace("{" + name + "}", f"<{converter}{name}>")
        bp.add_url_rule(rule_path, view.__name__, _wrap(view, spec), methods=[method])
        return view

    return register


def _path_params(path: str) -> list[str]:
    return [part[1:-1] for part in path.split("/") if part.startswith("{")]


def _wrap(view: Callable, spec: Endpoint) -> Callable:
    def wrapped(**kwargs) -> ResponseReturnValue:
        if spec.editors_only and not users.can_rule(api_user()):
            # Before reading the body: a reporter's tool learns it may not, not what it got wrong.
            raise ApiError(spec.forbidden, 403)
        for name, value in kwargs.items():
            if isinstance(value, int) and value > MAX_INT:
                raise NotFound(f"No {name.removesuffix('_id')} with id {value}.")
        if spec.params:
            kwargs["query"] = _query(spec.params)
        if spec.body:
            kwargs["body"] = _body(spec.body)
        return view(**kwargs)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


class ApiError(TrackerError):
    """A refusal with field-level details, shown as {"message", "errors"}."""

    def __init__(self, message: str, status_code: int, errors: list[dict] | None = None):
        super().__init__(message)
        self.status_code = status_code
        self.errors = errors or []


def _body(schema_name: str) -> dict:
    data = request.get_json(silent=True)
    if data is None:
        raise ApiError("Send a JSON object with Content-Type: application/json.", 400)
    errors = schemas.validate(schemas.ref(schema_name), data)
    if errors:
        first = errors[0]
        raise ApiError(f"Invalid request: {first['field']} {first['message']}.", 422, errors)
    return data


def _query(params: dict[str, dict]) -> dict:
    values: dict = {}
    errors = []
    for name, schema in params.items():
        raw = request.args.get(name)
        if raw is None or raw == "":
            continue
        value: object = raw
        if schema.get("type") == "integer":
            value = int(raw) if raw.lstrip("-").isdigit() and len(raw) < 19 else raw
        elif schema.get("type") == "boolean":
            value = {"true": True, "false": False, "1": True, "0": False}.get(raw.lower(), raw)
        problems = schemas.validate(schema, value, name)
        if not problems and schema.get("format") == "date":
            try:
                claims.parse_day(raw, name)
            except TrackerError:
                problems = [{"field": name, "message": "must be a date like 2026-11-24"}]
        errors += problems
        values[name] = value
    if errors:
        raise ApiError(f"Invalid query: {errors[0]['field']} {errors[0]['message']}.", 400, errors)
    return values


# Authentication: bearer token, else the browser session (with CSRF on writes), else 401.


@bp.before_request
def authenticate() -> ResponseReturnValue | None:
    if request.endpoint == "api.openapi":
        return None
    header = request.headers.get("Authorization", "")
    if header:
        scheme, _, token = header.partition(" ")
        user = users.user_for_token(get_db(), token.strip()) if scheme.lower() == "bearer" else None
        if user is None:
            return _unauthorized("That token is not valid (revoked, mistyped, or its account is deactivated).")
        g.api_user = user
        return None
    if current_user.is_authenticated:
        g.api_user = current_user.row
        if request.method not in ("GET", "HEAD", "OPTIONS"):
            current_app.extensions["csrf"].protect()
        return None
    return _unauthorized("Send Authorization: Bearer TOKEN (python -m tracker users token NAME prints one).")


def _unauthorized(message: str) -> ResponseReturnValue:
    response = jsonify({"message": message})
    response.status_code = 401
    response.headers["WWW-Authenticate"] = 'Bearer realm="newsroom-tracker"'
    return response


def api_user() -> dict:
    return g.api_user


def error_response(e: Exception) -> ResponseReturnValue:
    """Every API error as JSON with a message; used by the app's error handlers for /api/ paths."""
    if isinstance(e, claims.StaleEdit):
        return jsonify({"message": str(e), "current": claim_detail(get_db(), e.current["id"])}), 409
    if isinstance(e, HTTPException):
        status = e.code or 500
        message = {
            404: "No such API endpoint or object.",
            500: "The server hit an unexpected problem; nothing was saved.",
        }.get(status, e.description)
    elif isinstance(e, TrackerError):
        status, message = getattr(e, "status_code", 400), str(e)
    else:
        status, message = 500, "The server hit an unexpected problem; nothing was saved."
    body: dict = {"message": message}
    if getattr(e, "errors", None):
        body["errors"] = e.errors
    return jsonify(body), status


# Shapes: rows from the domain modules as the schemas describe them.


def story_json(story: dict, counts: dict) -> dict:
    return {
        "slug": story["slug"],
        "title": story["title"],
        "description": story["description"],
        "keywords_include": story["keywords_include"],
        "keywords_exclude": story["keywords_exclude"],
        "created_at": story["created_at"],
        "claims": sum(counts.values()),
        "counts": counts,
    }


def claim_summary(c: dict, slug: str) -> dict:
    out = {k: c[k] for k in schemas.SCHEMAS["ClaimSummary"]["properties"] if k in c and k != "snippet_html"}
    out["story"] = slug
    out["published"] = bool(c["published"])
    if "snippet" in c:
        from tracker.editor.stories import snippet_html

        html = snippet_html(c.get("snippet"))
        out["snippet_html"] = str(html) if html is not None else None
    return out


def claim_detail(db, claim_id: int) -> dict:
    claim = claims.get_claim(db, claim_id)
    summary = claim_summary(
        {
            **claim,
            "evidence_count": db.execute("SELECT count(*) FROM evidence WHERE claim_id = ?", [claim_id]).fetchone()[0],
        },
        claim["story_slug"],
    )
    return {
        **summary,
        "source_identity": claim["source_identity"],
        "internal_notes": claim["internal_notes"],
        "created_by": claim["created_by_name"],
        "evidence": [evidence_json(e) for e in evidence_in_context(db, claim_id)],
        "history": [
            {
                "id": h["id"],
                "from_status": h["from_status"],
                "to_status": h["to_status"],
                "rationale": h["rationale"],
                "public_rationale": h["public_rationale"],
                "is_correction": bool(h["is_correction"]),
                "editor": h["editor"],
                "at": h["at"],
                "cited_evidence_ids": h["cited_evidence_ids"],
            }
            for h in claims.history(db, claim_id)
        ],
        "related": [
            {"id": r["id"], "text": r["text"], "status": r["status"]} for r in claims.related_claims(db, claim)
        ],
    }


def evidence_json(e: dict) -> dict:
    return {
        "id": e["id"],
        "claim_id": e["claim_id"],
        "revision_id": e["revision_id"],
        "coverage_id": e["coverage_id"],
        "quote": e["quote"],
        "start": e["start"],
        "end": e["end"],
        "stance": e["stance"],
        "url": e["canonical_url"],
        "outlet": e["outlet"],
        "title": e["title"],
        "published_at": e["published_at"],
        "added_by": e["added_by_name"],
        "added_at": e["added_at"],
        "changed_in_later_revision": bool(e.get("changed")),
    }


def _cursor_out(page: dict | None) -> str | None:
    if page is None:
        return None
    raw = json.dumps({k: list(v) if isinstance(v, tuple) else v for k, v in page.items()})
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _cursor_in(value: str) -> dict:
    try:
        data = json.loads(base64.urlsafe_b64decode(value + "=" * (-len(value) % 4)))
        if "offset" in data:
            return {"offset": int(data["offset"])}
        key, ident = data["after"]
        return {"after": (key, int(ident))}
    except (ValueError, KeyError, TypeError):
        raise ApiError("Invalid query: cursor is damaged; start again without it.", 400) from None


# Endpoints


@endpoint("GET", "/stories", "List stories with their claims by status", {200: "StoryList", 401: "Error"})
def list_stories() -> ResponseReturnValue:
    db = get_db()
    out = []
    for s in stories.list_stories(db):
        counts = {status: s[status] or 0 for status in schemas.STATUSES}
        out.append(story_json(s, counts))
    return jsonify({"stories": out})


@endpoint("GET", "/stories/{slug}", "One story", {200: "Story", 401: "Error", 404: "Error"})
def get_story(slug: str) -> ResponseReturnValue:
    db = get_db()
    story = stories.get_story(db, slug)
    return jsonify(story_json(story, claims.status_counts(db, story["id"])))


@endpoint(
    "GET",
    "/stories/{slug}/coverage",
    "A story's coverage with stored text, newest first (revision ids to quote from)",
    {200: "CoverageList", 401: "Error", 404: "Error"},
)
def list_coverage(slug: str) -> ResponseReturnValue:
    db = get_db()
    story = stories.get_story(db, slug)
    items = [
        {
            "id": i["id"],
            "kind": i["kind"],
            "url": i["canonical_url"],
            "outlet": i["outlet"],
            "title": i["title"],
            "published_at": i["published_at"],
            "latest_revision_id": i["latest_revision_id"],
            "revision_count": i["revision_count"],
        }
        for i in coverage.list_items(db, story["id"])
    ]
    return jsonify({"coverage": items})


@endpoint(
    "GET",
    "/stories/{slug}/claims",
    "List or search a story's claims (filters, sort, cursor pages)",
    {200: "ClaimList", 400: "Error", 401: "Error", 404: "Error"},
    params=schemas.CLAIM_LIST_PARAMS,
)
def list_claims(slug: str, query: dict) -> ResponseReturnValue:
    db = get_db()
    story = stories.get_story(db, slug)
    args = {k: query.get(k) for k in ("status", "claimant_type", "outlet", "since", "until", "q", "sort")}
    args["has_evidence"] = query.get("has_evidence")
    if args["sort"] == "relevance" and not args["q"]:
        raise ApiError("Invalid query: sort=relevance needs q.", 400)
    if "cursor" in query:
        args.update(_cursor_in(query["cursor"]))
    try:
        page = claims.find_claims(db, story["id"], **args, limit=query.get("limit", 50))
    except TrackerError as e:
        raise ApiError(f"Invalid query: {e}", 400) from None
    return jsonify(
        {"claims": [claim_summary(c, slug) for c in page["claims"]], "next_cursor": _cursor_out(page["next"])}
    )


@endpoint(
    "POST",
    "/stories/{slug}/claims",
    "Log a claim, optionally with its evidence (all or nothing)",
    {201: "ClaimDetail", 400: "Error", 401: "Error", 404: "Error", 422: "Error"},
    body="ClaimCreate",
)
def create_claim(slug: str, body: dict) -> ResponseReturnValue:
    db = get_db()
    story = stories.get_story(db, slug)
    with transaction(db):
        claim_id = claims.log_claim(
            db,
            story["id"],
            body["text"],
            body.get("claimant", ""),
            body["claimant_type"],
            api_user(),
            source_identity=body.get("source_identity", ""),
            internal_notes=body.get("internal_notes", ""),
        )
        for i, item in enumerate(body.get("evidence", [])):
            _add_evidence(db, story["id"], claim_id, item, f"evidence[{i}]")
    response = jsonify(claim_detail(db, claim_id))
    response.status_code = 201
    response.headers["Location"] = url_for("api.get_claim", claim_id=claim_id)
    return response


@endpoint(
    "GET",
    "/claims/{claim_id}",
    "One claim with evidence, history and related claims",
    {200: "ClaimDetail", 401: "Error", 404: "Error"},
)
def get_claim(claim_id: int) -> ResponseReturnValue:
    return jsonify(claim_detail(get_db(), claim_id))


@endpoint(
    "POST",
    "/claims/{claim_id}/evidence",
    "Attach evidence: the exact quote from a coverage revision, and its stance",
    {201: "Evidence", 400: "Error", 401: "Error", 404: "Error", 422: "Error"},
    body="EvidenceCreate",
)
def add_evidence(claim_id: int, body: dict) -> ResponseReturnValue:
    db = get_db()
    claim = claims.get_claim(db, claim_id)
    evidence_id = _add_evidence(db, claim["story_id"], claim_id, body, "")
    item = next(e for e in evidence_in_context(db, claim_id) if e["id"] == evidence_id)
    return jsonify(evidence_json(item)), 201


@endpoint(
    "POST",
    "/claims/{claim_id}/status",
    "Rule on a claim (editors and admins only), citing its evidence",
    {200: "ClaimDetail", 400: "Error", 401: "Error", 403: "Error", 404: "Error", 409: "Conflict", 422: "Error"},
    body="StatusChange",
    editors_only=True,
)
def set_status(claim_id: int, body: dict) -> ResponseReturnValue:
    db = get_db()
    claim = claims.get_claim(db, claim_id)
    rule(db, claim, body, api_user())
    return jsonify(claim_detail(db, claim_id))


@endpoint("GET", "/openapi.json", "This document", {200: "OpenAPI"}, auth=False)
def openapi() -> ResponseReturnValue:
    return jsonify(openapi_document())


def _add_evidence(db, story_id: int, claim_id: int, item: dict, where: str) -> int:
    try:
        revision = coverage.get_revision(db, item["revision_id"])
    except NotFound:
        revision = None
    if revision is None or revision["story_id"] != story_id:
        field_name = f"{where}.revision_id" if where else "revision_id"
        raise ApiError(
            f"Revision {item['revision_id']} is not coverage of this story.",
            422,
            [{"field": field_name, "message": "is not coverage of this story"}],
        )
    try:
        return claims.add_evidence(
            db, claim_id, revision["id"], item["quote"], item.get("stance", "supports"), api_user(), item.get("start")
        )
    except claims.QuoteNotFound as e:
        field_name = f"{where}.quote" if where else "quote"
        raise ApiError(str(e), 422, [{"field": field_name, "message": "is not in the revision's text"}]) from None


def openapi_document() -> dict:
    """The OpenAPI 3.1 description of ENDPOINTS, with schemas.SCHEMAS as its components."""
    paths: dict = {}
    for spec in ENDPOINTS:
        operation: dict = {"summary": spec.summary, "operationId": spec.endpoint.split(".", 1)[1], "responses": {}}
        parameters = [
            {
                "name": name,
                "in": "path",
                "required": True,
                "schema": {"type": "integer"} if name.endswith("_id") else {"type": "string"},
            }
            for name in _path_params(spec.path)
        ]
        parameters += [
            {"name": name, "in": "query", "required": False, "schema": schema} for name, schema in spec.params.items()
        ]
        if parameters:
            operation["parameters"] = parameters
        if spec.body:
            operation["requestBody"] = {
                "required": True,
                "content": {"application/json": {"schema": schemas.ref(spec.body)}},
            }
        if not spec.auth:
            operation["security"] = []
        for status, schema_name in spec.responses.items():
            description = "OK" if status < 300 else ERROR_TEXT.get(status, "Error")
            content_schema = {"type": "object"} if schema_name == "OpenAPI" else schemas.ref(schema_name)
            operation["responses"][str(status)] = {
                "description": description,
                "content": {"application/json": {"schema": content_schema}},
            }
        paths.setdefault(spec.path, {})[spec.method.lower()] = operation
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Newsroom Tracker API",
            "version": API_VERSION,
            "description": (
                "Stories, claims, evidence and rulings of the newsroom's working database, for reporters' own tools. "
                "Authenticate with `Authorization: Bearer TOKEN` (`python -m tracker users token NAME`, or the "
                "Account page). Confidential fields (source_identity, internal_notes, rationale) are returned to "
                "staff and never published. Errors are JSON with a message."
            ),
        },
        "servers": [{"url": "/api"}],
        "components": {
            "schemas": schemas.SCHEMAS,
            "securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer"}},
        },
        "security": [{"bearerAuth": []}],
        "paths": paths,
    }
