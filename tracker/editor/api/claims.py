"""Claims in the JSON API: list and search, log (with evidence, all or nothing), read, attach evidence, rule.

A ruling goes through the same checks as the editor's form
(tracker.editor.claims.rule); a stale version is 409 with the claim as it
is now (tracker/editor/api/errors.py).
"""

from __future__ import annotations

from flask import jsonify, url_for
from flask.typing import ResponseReturnValue

from tracker import claim_queries, claims, coverage, stories
from tracker.db import NotFound, TrackerError, transaction
from tracker.editor.api import idempotency, schemas
from tracker.editor.api.paging import cursor_in, cursor_out
from tracker.editor.api.routing import ApiError, api_user, endpoint
from tracker.editor.claims import rule
from tracker.editor.db import get_db
from tracker.editor.evidence import evidence_in_context
from tracker.editor.stories import snippet_html
from tracker.versions import StaleEdit


def claim_summary(c: dict, slug: str) -> dict:
    """A claims-list row as the ClaimSummary schema (with the search snippet as safe HTML when there is one)."""
    out = {k: c[k] for k in schemas.SCHEMAS["ClaimSummary"]["properties"] if k in c and k != "snippet_html"}
    out["story"] = slug
    out["published"] = bool(c["published"])
    if "snippet" in c:
        html = snippet_html(c.get("snippet"))
        out["snippet_html"] = str(html) if html is not None else None
    return out


@idempotency.rereads("claim")
def claim_detail(db, claim_id: int) -> dict:
    """One claim as the ClaimDetail schema: its confidential fields, evidence in context, history and related claims."""
    claim = claims.get_claim(db, claim_id)
    summary = claim_summary(
        {
            **claim,
            "evidence_count": db.execute("SELECT count(*) FROM evidence WHERE claim_id = ?", [claim_id]).fetchone()[0],
            "first_reported_offset": claims.first_reported_offset(db, claim_id),
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
            {"id": r["id"], "text": r["text"], "status": r["status"]} for r in claim_queries.related_claims(db, claim)
        ],
        "ruled_on_earlier_wording": next(
            (
                {k: held[k] for k in ("ruling_id", "ruled_at", "text", "claimant", "claimant_type")}
                for held in claims.reworded_since_ruling(db, claim_id=claim_id)
            ),
            None,
        ),
    }


def evidence_json(e: dict) -> dict:
    """An evidence row of tracker.editor.claims.evidence_in_context as the Evidence schema."""
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
        "published_precision": e["published_precision"],
        "published_offset": e["published_offset"],
        "added_by": e["added_by_name"],
        "added_at": e["added_at"],
        "changed_in_later_revision": bool(e.get("changed")),
        "coverage_kind": e["coverage_kind"],
        "page": e["page"],
        "capture_id": e["capture_id"],
        "received_at": e["received_at"],
        "sha256": e["sha256"],
        "public_attribution": e["told"] if e.get("attribution_approved_at") else None,
    }


@endpoint(
    "GET",
    "/stories/{slug}/claims",
    "List or search a story's claims (filters, sort, cursor pages)",
    {200: "ClaimList", 400: "Error", 401: "Error", 404: "Error"},
    params=schemas.CLAIM_LIST_PARAMS,
    rules={400: f"{schemas.CURSOR_RULE}; sort=relevance without q (there is nothing to rank by)"},
)
def list_claims(slug: str, query: dict) -> ResponseReturnValue:
    db = get_db()
    story = stories.get_story(db, slug)
    args = {k: query.get(k) for k in ("status", "claimant_type", "outlet", "since", "until", "q", "sort")}
    args["has_evidence"] = query.get("has_evidence")
    if args["sort"] == "relevance" and not args["q"]:
        raise ApiError("Invalid query: sort=relevance needs q.", 400)
    if "cursor" in query:
        args.update(cursor_in(query["cursor"]))
    try:
        page = claim_queries.find_claims(
            db, story["id"], **args, limit=query.get("limit", schemas.PAGE_LIMIT["default"])
        )
    except TrackerError as e:
        raise ApiError(f"Invalid query: {e}", 400) from None
    return jsonify(
        {"claims": [claim_summary(c, slug) for c in page["claims"]], "next_cursor": cursor_out(page["next"])}
    )


@endpoint(
    "POST",
    "/stories/{slug}/claims",
    "Log a claim, optionally with its evidence (all or nothing)",
    {201: "ClaimDetail", 400: "Error", 401: "Error", 404: "Error", 422: "Error"},
    body="ClaimCreate",
    rules={400: schemas.PAGE_RULE, 422: schemas.QUOTE_RULE},
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
    idempotency.shows("claim", claim_id)
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
    rules={400: schemas.PAGE_RULE, 422: schemas.QUOTE_RULE},
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
    rules={
        400: "evidence_ids that are not this claim's own evidence; a status the claim already has (a ruling changes it)"
    },
    description=schemas.SENT_TWICE.format(
        kind="claim",
        what="its latest ruling is this one (the same status, rationale, public rationale and evidence), whatever "
        "the version",
    ),
)
def set_status(claim_id: int, body: dict) -> ResponseReturnValue:
    db = get_db()
    claim = claims.get_claim(db, claim_id)
    try:
        rule(db, claim, body, api_user())
    except StaleEdit:
        asked = (body.get("rationale", ""), body.get("public_rationale"), body.get("evidence_ids"))
        if not claims.has_ruling(db, claim_id, body["status"], *asked):
            raise
    return jsonify(claim_detail(db, claim_id))


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
            db,
            claim_id,
            revision["id"],
            item["quote"],
            item.get("stance", "supports"),
            api_user(),
            item.get("start"),
            page=item.get("page"),
        )
    except claims.QuoteNotFound as e:
        field_name = f"{where}.quote" if where else "quote"
        raise ApiError(str(e), 422, [{"field": field_name, "message": "is not in the revision's text"}]) from None
