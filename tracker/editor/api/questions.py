"""Story questions and expected developments in the JSON API.

Any staff token reads and asks; answering and publishing are for editors and
admins, refused with 403 before the body is read.
"""

from __future__ import annotations

from flask import jsonify, url_for
from flask.typing import ResponseReturnValue

from tracker import developments, questions, stories
from tracker.editor.api import schemas
from tracker.editor.api.routing import api_user, endpoint
from tracker.editor.db import get_db
from tracker.editor.forms import published_already
from tracker.versions import StaleEdit
from tracker.vocab import DEVELOPMENT_STATES, QUESTION_STANCES

STR, ID, STAMP, NULLABLE_STAMP = schemas.STR, schemas.ID, schemas.STAMP, schemas.NULLABLE_STAMP
VERSION = {**ID, "description": "The version you based the change on (409 if it moved)."}
NULLABLE_ID = {"type": ["integer", "null"], "minimum": 1}
NULLABLE_STR = schemas.NULLABLE_STR

SCHEMAS = {
    "QuestionClaim": schemas.obj(
        {
            "id": ID,
            "text": STR,
            "claimant": STR,
            "status": schemas.STATUS,
            "published": {"type": "boolean"},
            "stance": {"type": "string", "enum": list(QUESTION_STANCES)},
        }
    ),
    "StaleReason": schemas.obj(
        {
            "kind": {"type": "string", "enum": ["status", "edited", "stance", "unlinked", "linked"]},
            "claim_id": ID,
            "at": STAMP,
            "message": {"type": "string", "description": "e.g. claim 12 moved from unclear to confirmed on …"},
        }
    ),
    "Question": schemas.obj(
        {
            "id": ID,
            "story": STR,
            "text": STR,
            "position": {"type": "integer", "minimum": 0},
            "answer": {"type": "string", "description": "The editor's short answer ('' until written)."},
            "answer_written_at": {**NULLABLE_STAMP, "description": "When the answer was last written or reviewed."},
            "answer_changed_at": NULLABLE_STAMP,
            "answered_by": NULLABLE_STR,
            "published": {"type": "boolean"},
            "version": ID,
            "created_at": STAMP,
            "updated_at": STAMP,
            "claims": {"type": "array", "items": schemas.ref("QuestionClaim")},
            "stale": {
                "type": "array",
                "items": schemas.ref("StaleReason"),
                "description": "Why the answer may be stale; empty when it is current.",
            },
        }
    ),
    "QuestionList": schemas.obj({"questions": {"type": "array", "items": schemas.ref("Question")}}),
    "QuestionCreate": schemas.obj({"text": {"type": "string", "minLength": 1, "maxLength": 2000}}, required=["text"]),
    "QuestionUpdate": schemas.obj(
        {
            "text": {"type": "string", "minLength": 1, "maxLength": 2000},
            "position": {"type": "integer", "minimum": 0, "maximum": 100000},
            "version": VERSION,
        },
        required=["version"],
    ),
    "QuestionLink": schemas.obj(
        {
            "claim_id": {**ID, "description": "A claim of the same story."},
            "stance": {"type": "string", "enum": list(QUESTION_STANCES)},
            "version": VERSION,
        },
        required=["claim_id", "stance", "version"],
    ),
    "Answer": schemas.obj(
        {
            "answer": {
                "type": "string",
                "minLength": 1,
                "maxLength": 5000,
                "description": "The same words again mark the answer reviewed.",
            },
            "version": VERSION,
        }
    ),
    "Publication": schemas.obj({"published": {"type": "boolean"}, "version": VERSION}),
    "Development": schemas.obj(
        {
            "id": ID,
            "story": STR,
            "text": STR,
            "expected_date": {"type": ["string", "null"], "description": "YYYY-MM-DD, when known."},
            "expectation": {"type": "string", "description": "The vague expectation, e.g. 'as reviews progress'."},
            "claim_id": NULLABLE_ID,
            "coverage_id": NULLABLE_ID,
            "state": {"type": "string", "enum": list(DEVELOPMENT_STATES)},
            "state_changed_at": NULLABLE_STAMP,
            "state_note": STR,
            "evidence_coverage_id": NULLABLE_ID,
            "published": {"type": "boolean"},
            "version": ID,
        }
    ),
    "DevelopmentList": schemas.obj({"developments": {"type": "array", "items": schemas.ref("Development")}}),
    "DevelopmentCreate": schemas.obj(
        {
            "text": {"type": "string", "minLength": 1, "maxLength": 2000},
            "expected_date": {"type": "string", "format": "date", "maxLength": 10},
            "expectation": {"type": "string", "maxLength": 500},
            "claim_id": ID,
            "coverage_id": ID,
        },
        required=["text"],
    ),
    "DevelopmentState": schemas.obj(
        {
            "state": {"type": "string", "enum": list(DEVELOPMENT_STATES)},
            "evidence_coverage_id": {**ID, "description": "Required for happened: the coverage that shows it."},
            "note": {"type": "string", "maxLength": 1000, "description": "Shown to readers once published."},
            "version": VERSION,
        },
        required=["state", "version"],
    ),
}
SCHEMAS["QuestionConflict"] = schemas.obj(
    {"message": STR, "current": schemas.ref("Question")},
    description="The question changed since the version given: the message names both versions, `current` holds "
    "it as it is now.",
)
SCHEMAS["DevelopmentConflict"] = schemas.obj(
    {"message": STR, "current": schemas.ref("Development")},
    description="The development changed since the version given: the message names both versions, `current` "
    "holds it as it is now.",
)
STALE_FIELDS = ("kind", "claim_id", "at", "message")
WRITE_ERRORS = {400: "Error", 401: "Error", 404: "Error", 409: "Error", 422: "Error"}
QUESTION_ERRORS = {**WRITE_ERRORS, 409: "QuestionConflict"}
DEVELOPMENT_ERRORS = {**WRITE_ERRORS, 409: "DevelopmentConflict"}
# What a versioned write says about a request sent twice: the editor's buttons answer it the same way.


def question_json(db, question: dict, slug: str) -> dict:
    claims = questions.linked_claims(db, question["id"])
    return {
        "id": question["id"],
        "story": slug,
        "text": question["text"],
        "position": question["position"],
        "answer": question["answer"],
        "answer_written_at": question["answer_written_at"],
        "answer_changed_at": question["answer_changed_at"],
        "answered_by": question.get("answered_by_name"),
        "published": bool(question["published"]),
        "version": question["version"],
        "created_at": question["created_at"],
        "updated_at": question["updated_at"],
        "claims": [
            {
                "id": c["id"],
                "text": c["text"],
                "claimant": c["claimant"],
                "status": c["status"],
                "published": bool(c["published"]),
                "stance": c["stance"],
            }
            for c in claims
        ],
        "stale": [{k: r[k] for k in STALE_FIELDS} for r in questions.stale_reasons(db, question)],
    }


def development_json(d: dict, slug: str) -> dict:
    fields = SCHEMAS["Development"]["properties"]
    out = {k: d[k] for k in fields if k in d}
    out["story"] = slug
    out["published"] = bool(d["published"])
    return out


def _question(db, question_id: int) -> ResponseReturnValue:
    question = questions.get_question(db, question_id)
    return jsonify(question_json(db, question, question["story_slug"]))


@endpoint(
    "GET",
    "/stories/{slug}/questions",
    "A story's key questions with answers, linked claims' current status and stale warnings",
    {200: "QuestionList", 401: "Error", 404: "Error"},
)
def list_questions(slug: str) -> ResponseReturnValue:
    db = get_db()
    story = stories.get_story(db, slug)
    found = questions.list_questions(db, story["id"])
    return jsonify({"questions": [question_json(db, q, slug) for q in found]})


@endpoint(
    "POST",
    "/stories/{slug}/questions",
    "Ask a question (unanswered, unpublished)",
    {201: "Question", **WRITE_ERRORS},
    body="QuestionCreate",
)
def create_question(slug: str, body: dict) -> ResponseReturnValue:
    db = get_db()
    story = stories.get_story(db, slug)
    question_id = questions.create_question(db, story["id"], body["text"], api_user())
    response = _question(db, question_id)
    response.status_code = 201
    response.headers["Location"] = url_for("api.get_question", question_id=question_id)
    return response


@endpoint("GET", "/questions/{question_id}", "One question", {200: "Question", 401: "Error", 404: "Error"})
def get_question(question_id: int) -> ResponseReturnValue:
    return _question(get_db(), question_id)


@endpoint(
    "POST",
    "/questions/{question_id}",
    "Reword or reorder a question",
    {200: "Question", **QUESTION_ERRORS},
    body="QuestionUpdate",
)
def update_question(question_id: int, body: dict) -> ResponseReturnValue:
    db = get_db()
    questions.update_question(
        db, question_id, api_user(), body["version"], text=body.get("text"), position=body.get("position")
    )
    return _question(db, question_id)


@endpoint(
    "POST",
    "/questions/{question_id}/claims",
    "Link a claim of the story to the question, with its stance (or change the stance)",
    {200: "Question", **QUESTION_ERRORS},
    body="QuestionLink",
    rules={400: "a claim_id of another story's claim"},
    description=schemas.SENT_TWICE.format(
        kind="question", what="the claim linked with that stance, whatever the version"
    ),
)
def link_claim(question_id: int, body: dict) -> ResponseReturnValue:
    db = get_db()
    try:
        questions.link_claim(db, question_id, body["claim_id"], body["stance"], api_user(), body["version"])
    except StaleEdit:
        if questions.linked_stance(db, question_id, body["claim_id"]) != body["stance"]:
            raise
    return _question(db, question_id)


@endpoint(
    "POST",
    "/questions/{question_id}/answer",
    "Write or review the short answer (editors and admins only)",
    {200: "Question", 403: "Error", **QUESTION_ERRORS},
    body="Answer",
    editors_only=True,
    forbidden="Only editors and admins write answers.",
)
def write_answer(question_id: int, body: dict) -> ResponseReturnValue:
    db = get_db()
    questions.write_answer(db, question_id, body["answer"], api_user(), body["version"])
    return _question(db, question_id)


@endpoint(
    "POST",
    "/questions/{question_id}/publish",
    "Mark an answered question publishable, or withdraw it (editors and admins only)",
    {200: "Question", 403: "Error", **QUESTION_ERRORS},
    body="Publication",
    editors_only=True,
    forbidden="Only editors and admins publish questions.",
    rules={400: "publishing a question that has no answer yet (readers get both or neither)"},
    description=schemas.SENT_TWICE.format(
        kind="question",
        what="withdrawn whatever the version; published when that publish is the one change since the version "
        "given (publishing as of an older version whose words changed since is still 409)",
    ),
)
def publish_question(question_id: int, body: dict) -> ResponseReturnValue:
    db = get_db()
    try:
        questions.set_question_published(db, question_id, body["published"], api_user(), body["version"])
    except StaleEdit as e:
        if not published_already(e, body["published"]):
            raise
    return _question(db, question_id)


@endpoint(
    "GET",
    "/stories/{slug}/developments",
    "A story's expected developments (What's next)",
    {200: "DevelopmentList", 401: "Error", 404: "Error"},
)
def list_developments(slug: str) -> ResponseReturnValue:
    db = get_db()
    story = stories.get_story(db, slug)
    return jsonify(
        {"developments": [development_json(d, slug) for d in developments.list_developments(db, story["id"])]}
    )


@endpoint(
    "POST",
    "/stories/{slug}/developments",
    "Log an expected development, with a date or the expectation in words",
    {201: "Development", **WRITE_ERRORS},
    body="DevelopmentCreate",
    rules={400: "a claim_id or coverage_id of another story"},
)
def create_development(slug: str, body: dict) -> ResponseReturnValue:
    db = get_db()
    story = stories.get_story(db, slug)
    development_id = developments.create_development(
        db,
        story["id"],
        body["text"],
        api_user(),
        expected_date=body.get("expected_date"),
        expectation=body.get("expectation", ""),
        claim_id=body.get("claim_id"),
        coverage_id=body.get("coverage_id"),
    )
    return jsonify(development_json(developments.get_development(db, development_id), slug)), 201


@endpoint(
    "POST",
    "/developments/{development_id}/state",
    "Mark an expected development happened (with coverage), did not happen, or not yet",
    {200: "Development", **DEVELOPMENT_ERRORS},
    body="DevelopmentState",
    rules={
        400: "happened without evidence_coverage_id, did_not_happen without a note or the coverage, or "
        "coverage of another story"
    },
    description=schemas.SENT_TWICE.format(
        kind="development", what="marked with that state, coverage and note, whatever the version"
    ),
)
def set_development_state(development_id: int, body: dict) -> ResponseReturnValue:
    db = get_db()
    evidence, note = body.get("evidence_coverage_id"), body.get("note", "")
    try:
        d = developments.set_development_state(
            db, development_id, body["state"], api_user(), body["version"], evidence_coverage_id=evidence, note=note
        )
    except StaleEdit as e:
        if not developments.has_state(e.current, developments.development_state(body["state"], evidence, note)):
            raise
        d = developments.get_development(db, development_id)
    return jsonify(development_json(d, d["story_slug"]))
