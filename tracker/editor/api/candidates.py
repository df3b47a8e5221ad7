"""Claim candidates in the JSON API: the triage queue, accept, merge and dismiss.

Reporters and editors both triage, as in the editor's queue
(tracker/editor/triage.py). A candidate already decided is
409; an unknown one 404; a body the schema or a domain rule refuses 422.
The same decision sent again by the same account (a retry whose answer was
lost) is answered as done, 200 with the candidate as it is, as the queue's
buttons answer a double click (candidates.decided_already).
"""

from __future__ import annotations

import json

from flask import jsonify
from flask.typing import ResponseReturnValue

from tracker import candidates, stories
from tracker.checkworthy import store as checkworthiness
from tracker.coverage import get_revision
from tracker.db import NotFound, TrackerError
from tracker.editor.api import idempotency, schemas
from tracker.editor.api.claims import claim_detail
from tracker.editor.api.paging import cursor_in, cursor_out
from tracker.editor.api.routing import ApiError, api_user, endpoint
from tracker.editor.db import get_db
from tracker.vocab import CANDIDATE_STATES, CLAIMANT_TYPES

STR, ID, STAMP, NULLABLE_STAMP, NULLABLE_STR = (
    schemas.STR,
    schemas.ID,
    schemas.STAMP,
    schemas.NULLABLE_STAMP,
    schemas.NULLABLE_STR,
)
NULLABLE_ID = {"type": ["integer", "null"], "minimum": 1}
OFFSET = {"type": "integer", "minimum": 0}
NULLABLE_OFFSET = {"type": ["integer", "null"], "minimum": 0}

SCHEMAS = {
    "Candidate": schemas.obj(
        {
            "id": ID,
            "story": STR,
            "kind": {
                "type": "string",
                "description": "quote, claim, denial, confirmation, no_comment or hedged.",
            },
            "text": {"type": "string", "description": "The sentence, exactly as in the revision's text."},
            "quote": {**NULLABLE_STR, "description": "The quoted words, if any."},
            "claimant": {**NULLABLE_STR, "description": "As written in the coverage."},
            "claimant_type": NULLABLE_STR,
            "revision_id": ID,
            "start": OFFSET,
            "end": OFFSET,
            "content": {**NULLABLE_STR, "description": "The attributed words alone, quotation marks stripped."},
            "content_spans": {
                "type": "array",
                "items": {"type": "array", "items": OFFSET},
                "description": "[start, end] of each piece of the content in the revision's text.",
            },
            "cue": {**NULLABLE_STR, "description": "The reporting words: said, according to, denied."},
            "cue_start": NULLABLE_OFFSET,
            "cue_end": NULLABLE_OFFSET,
            "source_start": {**NULLABLE_OFFSET, "description": "Where the source is named in the revision's text."},
            "source_end": NULLABLE_OFFSET,
            "coverage_id": ID,
            "outlet": NULLABLE_STR,
            "title": NULLABLE_STR,
            "url": NULLABLE_STR,
            "published_at": NULLABLE_STAMP,
            "fetched_at": STAMP,
            "paragraph": {"type": "string", "description": "The paragraph around the sentence."},
            "sentence_start": {**OFFSET, "description": "Where the sentence starts inside paragraph."},
            "sentence_end": OFFSET,
            "state": {"type": "string", "enum": list(CANDIDATE_STATES)},
            "claim_id": {**NULLABLE_ID, "description": "The claim it was accepted as or merged into."},
            "reason": {**NULLABLE_STR, "description": "Why it was dismissed (or settled automatically)."},
            "decided_by": {**NULLABLE_STR, "description": "Null when settled as a copy of a decided sentence."},
            "decided_at": NULLABLE_STAMP,
            "created_at": STAMP,
            "check_score": {
                "type": ["number", "null"],
                "minimum": 0,
                "maximum": 1,
                "description": "Check-worthiness, 0-1: how much it is worth checking first (the sentence model "
                "plus kind, claimant, outlets carrying it, whether a claim holds it). Null until scored.",
            },
            "check_level": {"type": "string", "enum": ["high", "medium", "low", "unscored"]},
            "check_reasons": {
                "type": "array",
                "maxItems": 3,
                "description": "What raised or lowered the score most, biggest first, in a reporter's words.",
                "items": schemas.obj({"text": STR, "direction": {"type": "string", "enum": ["raises", "lowers"]}}),
            },
        }
    ),
    "CandidateList": schemas.obj(
        {
            "candidates": {"type": "array", "items": schemas.ref("Candidate")},
            "counts": schemas.obj({s: {"type": "integer", "minimum": 0} for s in CANDIDATE_STATES}),
            "high": {"type": "integer", "minimum": 0, "description": "Candidates in this state scoring high."},
            "next_cursor": {**NULLABLE_STR, "description": "Pass as cursor for the next page; null at the end."},
        }
    ),
    "CandidateAccept": schemas.obj(
        {
            "text": {
                "type": "string",
                "minLength": 1,
                "maxLength": 5000,
                "description": "The claim's wording; default the quoted words of a quote, else the sentence.",
            },
            "claimant": {"type": "string", "maxLength": 500, "description": "Default: as extracted."},
            "claimant_type": {"type": "string", "enum": list(CLAIMANT_TYPES)},
        },
        required=[],
    ),
    "CandidateMerge": schemas.obj(
        {"claim_id": {**ID, "description": "A claim of the same story."}}, required=["claim_id"]
    ),
    "CandidateDismiss": schemas.obj(
        {"reason": {"type": "string", "minLength": 1, "maxLength": candidates.MAX_REASON}}, required=["reason"]
    ),
    "CandidateDecision": schemas.obj({"candidate": schemas.ref("Candidate"), "claim": schemas.ref("ClaimDetail")}),
}
LIST_PARAMS = {
    "state": {"type": "string", "enum": list(CANDIDATE_STATES), "default": "pending"},
    "limit": {"type": "integer", "minimum": 1, "maximum": 200, "default": 20},
    "cursor": schemas.CURSOR,
    "sort": {
        "type": "string",
        "enum": list(candidates.SORTS),
        "description": "check: highest check-worthiness first (default for waiting candidates); "
        "newest: newest coverage first (default for decided ones: latest decided first).",
    },
    "high": {"type": "boolean", "default": False, "description": "Only candidates whose check-worthiness is high."},
}
DECISION_ERRORS = {400: "Error", 401: "Error", 404: "Error", 409: "Error", 422: "Error"}
DECIDED_AGAIN = (
    "The same decision sent again by the same account (a retry whose answer was lost) is answered 200 with the "
    "candidate as it is; 409 when it was decided otherwise, or by someone else."
)


def candidate_json(c: dict, slug: str, text: str | None = None) -> dict:
    """A candidate row (list_queue or get_candidate) as the Candidate schema; `text` is its revision's text."""
    where = c if "paragraph" in c else candidates.paragraph_of(text or "", c["start"], c["end"])
    where = {k: where[k] for k in ("paragraph", "sentence_start", "sentence_end")}
    return {
        "id": c["id"],
        "story": slug,
        "kind": c["kind"],
        "text": c["text"],
        "quote": c["quote"],
        "claimant": c["claimant"],
        "claimant_type": c["claimant_type"],
        "revision_id": c["revision_id"],
        "start": c["start"],
        "end": c["end"],
        "content": c["content"],
        "content_spans": json.loads(c["content_spans"]) if c["content_spans"] else [],
        "cue": c["cue"],
        "cue_start": c["cue_start"],
        "cue_end": c["cue_end"],
        "source_start": c["source_start"],
        "source_end": c["source_end"],
        "coverage_id": c["coverage_id"],
        "outlet": c["outlet"],
        "title": c["title"],
        "url": c["canonical_url"],
        "published_at": c["published_at"],
        "fetched_at": c["fetched_at"],
        **where,
        "state": c["state"],
        "claim_id": c["claim_id"],
        "reason": c["reason"],
        "decided_by": c.get("decided_by_name"),
        "decided_at": c["decided_at"],
        "created_at": c["created_at"],
        "check_score": c["check_score"],
        "check_level": checkworthiness.level(c["check_score"]),
        "check_reasons": checkworthiness.reasons_of(c["check_reasons"]),
    }


def _one(db, candidate_id: int) -> dict:
    c = candidates.get_candidate(db, candidate_id)
    decider = None
    if c["decided_by"] is not None:
        row = db.execute("SELECT username FROM users WHERE id = ?", [c["decided_by"]]).fetchone()
        decider = row[0] if row else None
    slug = db.execute("SELECT slug FROM stories WHERE id = ?", [c["story_id"]]).fetchone()[0]
    return candidate_json({**c, "decided_by_name": decider}, slug, get_revision(db, c["revision_id"])["text"])


def _refused(e: TrackerError) -> ApiError:
    return ApiError(str(e), 422)


@endpoint(
    "GET",
    "/stories/{slug}/candidates",
    "A page of the story's claim candidates: waiting ones worth checking first, decided ones latest first",
    {200: "CandidateList", 400: "Error", 401: "Error", 404: "Error"},
    params=LIST_PARAMS,
    rules={400: schemas.CURSOR_RULE},
)
def list_candidates(slug: str, query: dict) -> ResponseReturnValue:
    db = get_db()
    story = stories.get_story(db, slug)
    limit = query.get("limit", 20)
    position = cursor_in(query["cursor"]) if "cursor" in query else {}
    offset = position.get("offset", 0)
    state = query.get("state", "pending")
    at = candidates.queue_position(position["at"], state, query.get("sort")) if "at" in position else None
    if offset < 0 or ("at" in position and at is None):
        raise ApiError("Invalid query: cursor is damaged; start again without it.", 400)
    # The pages hold still at the candidates there were on the first page, as the editor's queue does:
    # candidates a scrape pass adds meanwhile sort in among them and pushed some onto the next page twice.
    # Each page starts at a place in the order, not an offset: candidates decided on an earlier page
    # moved the rest up, and the next page skipped as many.
    upto = position.get("upto", candidates.newest_id(db, story["id"], state))
    order = {"state": state, "sort": query.get("sort"), "high_only": query.get("high", False), "upto": upto}
    found = candidates.list_queue(db, story["id"], limit + 1, offset, at=at, **order)
    more = len(found) > limit
    return jsonify(
        {
            "candidates": [candidate_json(c, slug) for c in found[:limit]],
            "counts": candidates.counts(db, story["id"]),
            "high": checkworthiness.high_count(db, story["id"], state),
            "next_cursor": cursor_out(
                {"at": candidates.queue_key(found[limit], state, query.get("sort")), "upto": upto} if more else None
            ),
        }
    )


@endpoint(
    "POST",
    "/candidates/{candidate_id}/accept",
    "Accept a candidate: it becomes a claim with its sentence as supporting evidence",
    {200: "CandidateDecision", 201: "CandidateDecision", **DECISION_ERRORS},
    body="CandidateAccept",
    description="201 with the claim made. " + DECIDED_AGAIN + " The same accept means the same wording, "
    "claimant and claimant type; answered 200, it carries the claim the first one made.",
)
def accept_candidate(candidate_id: int, body: dict) -> ResponseReturnValue:
    db = get_db()
    candidates.get_candidate(db, candidate_id)  # 404 before anything else
    try:
        claim_id = candidates.accept(
            db,
            candidate_id,
            api_user(),
            text=body.get("text"),
            claimant=body.get("claimant"),
            claimant_type=body.get("claimant_type"),
        )
    except candidates.AlreadyDecided as e:
        asked = {k: body.get(k) for k in ("text", "claimant", "claimant_type")}
        if not candidates.decided_already(db, e.candidate, api_user(), "accepted", **asked):
            raise
        # The same accept sent again (a retry whose answer was lost): the claim it made, nothing made now.
        idempotency.shows("decision", candidate_id, e.candidate["claim_id"])
        return jsonify(_decision(db, candidate_id, e.candidate["claim_id"]))
    except NotFound:
        raise
    except TrackerError as e:
        raise _refused(e) from None
    idempotency.shows("decision", candidate_id, claim_id)
    return jsonify(_decision(db, candidate_id, claim_id)), 201


@idempotency.rereads("decision")
def _decision(db, candidate_id: int, claim_id: int) -> dict:
    """An accept's answer: the candidate and the claim it made (with the claim's confidential fields)."""
    return {"candidate": _one(db, candidate_id), "claim": claim_detail(db, claim_id)}


@endpoint(
    "POST",
    "/candidates/{candidate_id}/merge",
    "Merge a candidate into an existing claim of its story: its sentence becomes more evidence",
    {200: "CandidateDecision", **DECISION_ERRORS},
    body="CandidateMerge",
    description=DECIDED_AGAIN + " The same merge means into the same claim.",
    rules={422: "a claim_id that is not a claim of the candidate's story"},
)
def merge_candidate(candidate_id: int, body: dict) -> ResponseReturnValue:
    db = get_db()
    candidates.get_candidate(db, candidate_id)  # 404 before anything else
    try:
        candidates.merge(db, candidate_id, body["claim_id"], api_user())
    except candidates.AlreadyDecided as e:
        if not candidates.decided_already(db, e.candidate, api_user(), "merged", claim_id=body["claim_id"]):
            raise
    except candidates.CandidateNotFound:
        raise
    except NotFound as e:  # the claim named in the body
        raise ApiError(str(e), 422, [{"field": "claim_id", "message": "is not a claim"}]) from None
    except TrackerError as e:
        raise ApiError(str(e), 422, [{"field": "claim_id", "message": "is not a claim of this story"}]) from None
    return jsonify({"candidate": _one(db, candidate_id), "claim": claim_detail(db, body["claim_id"])})


@endpoint(
    "POST",
    "/candidates/{candidate_id}/dismiss",
    "Dismiss a candidate with a reason; waiting copies of the same sentence are dismissed with it",
    {200: "Candidate", **DECISION_ERRORS},
    body="CandidateDismiss",
    description=DECIDED_AGAIN + " The same dismissal means for the same reason.",
)
def dismiss_candidate(candidate_id: int, body: dict) -> ResponseReturnValue:
    db = get_db()
    candidates.get_candidate(db, candidate_id)  # 404 before anything else
    try:
        candidates.dismiss(db, candidate_id, api_user(), body["reason"])
    except candidates.AlreadyDecided as e:
        if not candidates.decided_already(db, e.candidate, api_user(), "dismissed", reason=body["reason"]):
            raise
    except NotFound:
        raise
    except TrackerError as e:
        raise ApiError(str(e), 422, [{"field": "reason", "message": str(e)}]) from None
    return jsonify(_one(db, candidate_id))


@endpoint(
    "POST",
    "/candidates/{candidate_id}/put-back",
    "Put a dismissed candidate back in the queue, with the copies of its sentence dismissed with it",
    {200: "Candidate", 401: "Error", 404: "Error", 409: "Error"},
    description="The dismissal (reason, who, when) is kept in the tracker's history. Sent again by the account "
    "that put it back, 200 with the candidate as it is; 409 when the candidate "
    "is not dismissed (put back by someone else, or decided since).",
)
def put_back_candidate(candidate_id: int) -> ResponseReturnValue:
    db = get_db()
    try:
        candidates.put_back(db, candidate_id, api_user())
    except candidates.NotDismissed as e:
        if not candidates.put_back_already(e, api_user()):
            raise
    return jsonify(_one(db, candidate_id))
