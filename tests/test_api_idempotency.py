"""Idempotency-Key on the API's creating operations: a retried POST whose answer was lost makes nothing twice."""

from __future__ import annotations

import base64

import pytest

from tests.test_api import QUOTE, Api, newsroom  # noqa: F401 (a fixture)
from tracker import claims, developments, reporting
from tracker.db import transaction

KEY = "retry-7f3a9c"
KEYED = {"Idempotency-Key": KEY}


def made(db, story, accounts, newsroom) -> dict:  # noqa: F811
    """What each creating operation needs: a claim to add evidence to, a note to attach a file to."""
    claim_id = claims.log_claim(db, story["id"], "Funded", "Acme", "organization", accounts["reporter"])
    note_id = reporting.log_reporting(
        db, story["id"], how="call", at="2026-01-02T10:00:00Z", words="No comment.", user=accounts["reporter"]
    )
    return {"claim_id": claim_id, "note_id": note_id}


# Each creating operation: its path, a body, and the table whose rows it adds.
CREATING = {
    "claim": (
        lambda m: "/stories/test-story/claims",
        {"text": "The plant is fully funded.", "claimant_type": "organization"},
        "claims",
    ),
    "evidence": (lambda m: f"/claims/{m['claim_id']}/evidence", {"revision_id": 0, "quote": QUOTE}, "evidence"),
    "development": (lambda m: "/stories/test-story/developments", {"text": "The plant opens"}, "developments"),
    "reporting": (
        lambda m: "/stories/test-story/reporting",
        {"how": "email", "at": "2026-01-02T10:00:00Z", "words": "We will not comment.", "identity": "Pat"},
        "reporting",
    ),
    "post": (
        lambda m: "/stories/test-story/posts",
        {"url": "https://social.example/@acme/42", "handle": "@acme", "text": "We stand by our plant."},
        "posts",
    ),
    "attachment": (
        lambda m: f"/coverage/{m['note_id']}/attachments",
        {"filename": "reply.eml", "content_base64": base64.b64encode(b"From: press").decode()},
        "captures",
    ),
}


def body_for(kind: str, newsroom) -> dict:  # noqa: F811
    body = dict(CREATING[kind][1])
    if "revision_id" in body:
        body["revision_id"] = newsroom["revision_id"]
    return body


def count(db, table: str) -> int:
    return db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]  # noqa: S608 (a name of this file's own)


@pytest.mark.parametrize("kind", sorted(CREATING))
def test_a_create_sent_again_with_its_key_answers_the_first_answer_and_makes_nothing(
    client,
    db,
    newsroom,  # noqa: F811
    accounts,
    story,
    kind,
):
    """A tool whose POST got no answer (a dropped connection) sends it again: it made a second claim, note or file."""
    objects = made(db, story, accounts, newsroom)
    path, table = CREATING[kind][0](objects), CREATING[kind][2]
    api = Api(client, newsroom["tokens"]["reporter"])
    before = count(db, table)
    sent = [api.call("POST", path, json=body_for(kind, newsroom), headers=KEYED) for _ in range(3)]
    assert [s.status_code for s in sent] == [201] * 3, sent[1].get_json()
    assert sent[1].get_json() == sent[0].get_json() == sent[2].get_json()
    assert sent[1].headers.get("Location") == sent[0].headers.get("Location")
    assert sent[1].headers["Idempotent-Replayed"] == "true" and "Idempotent-Replayed" not in sent[0].headers
    assert count(db, table) == before + 1
    # With another key the same body is a new request, run again (an evidence quote or a post's address already
    # kept is kept once by its own rule).
    again = api.call("POST", path, json=body_for(kind, newsroom), headers={"Idempotency-Key": KEY + "-2"})
    assert again.status_code == 201 and "Idempotent-Replayed" not in again.headers, again.get_json()


def test_a_key_sent_again_with_another_body_is_refused_in_one_line_and_makes_nothing(
    client,
    db,
    newsroom,  # noqa: F811
):
    api = Api(client, newsroom["tokens"]["reporter"])
    body = {"text": "The plant is fully funded.", "claimant_type": "organization"}
    assert api.call("POST", "/stories/test-story/claims", json=body, headers=KEYED).status_code == 201
    for other in ({**body, "text": "The plant is not funded."}, {**body, "claimant": "Acme"}):
        refused = api.call("POST", "/stories/test-story/claims", json=other, headers=KEYED)
        assert refused.status_code == 422
        message = refused.get_json()["message"]
        assert "Idempotency-Key" in message and "\n" not in message
    # The same key on another creating operation is another request too.
    other_path = api.call(
        "POST", "/stories/test-story/developments", json={"text": "x"}, headers={"Idempotency-Key": KEY}
    )
    assert other_path.status_code == 422
    assert count(db, "claims") == 1 and count(db, "developments") == 0


def test_keys_are_each_accounts_own_and_expire_after_a_day(client, db, newsroom):  # noqa: F811
    body = {"text": "The plant is fully funded.", "claimant_type": "organization"}
    reporter, editor = (Api(client, newsroom["tokens"][role]) for role in ("reporter", "editor"))
    first = reporter.call("POST", "/stories/test-story/claims", json=body, headers=KEYED)
    # Another account's key of the same name is its own: no answer of the reporter's is shown to it.
    theirs = editor.call("POST", "/stories/test-story/claims", json=body, headers=KEYED)
    assert theirs.status_code == 201 and theirs.get_json()["id"] != first.get_json()["id"]
    assert count(db, "claims") == 2
    with transaction(db):
        db.execute("UPDATE api_idempotency_keys SET created_at = '2020-01-01T00:00:00Z'")
    again = reporter.call("POST", "/stories/test-story/claims", json=body, headers=KEYED)
    assert again.status_code == 201 and again.get_json()["id"] not in (first.get_json()["id"], theirs.get_json()["id"])
    assert count(db, "claims") == 3
    # A day-old key is removed, not kept for ever.
    assert db.execute("SELECT count(*) FROM api_idempotency_keys WHERE created_at < '2021-01-01'").fetchone()[0] == 0


def test_a_refusal_sent_again_with_its_key_is_the_same_refusal(client, db, newsroom, accounts, story):  # noqa: F811
    """A refused request is answered again as it was, not run again (its retry is no new request)."""
    claim_id = claims.log_claim(db, story["id"], "Funded", "Acme", "organization", accounts["reporter"])
    api = Api(client, newsroom["tokens"]["reporter"])
    body = {"revision_id": newsroom["revision_id"], "quote": "not in the text"}
    sent = [api.call("POST", f"/claims/{claim_id}/evidence", json=body, headers=KEYED) for _ in range(2)]
    assert [s.status_code for s in sent] == [422, 422] and sent[1].get_json() == sent[0].get_json()
    assert count(db, "evidence") == 0


@pytest.mark.parametrize("key", ["", "x" * 256, "two words", "naïve"])
@pytest.mark.parametrize(
    "body",
    [
        {"text": "The plant is fully funded.", "claimant_type": "organization"},
        {"text": "", "claimant_type": "a rumour"},  # the header is checked first: a 422 here hid the bad key
    ],
)
def test_a_malformed_key_is_a_400_and_makes_nothing(client, db, newsroom, key, body):  # noqa: F811
    headers = {"Idempotency-Key": key, "Authorization": f"Bearer {newsroom['tokens']['reporter']}"}
    refused = client.post("/api/stories/test-story/claims", json=body, headers=headers)
    assert refused.status_code == 400 and "Idempotency-Key" in refused.get_json()["message"]
    assert count(db, "claims") == 0


def test_a_key_whose_first_request_is_still_being_answered_is_409(client, db, newsroom, accounts):  # noqa: F811
    """The same request sent twice at once: the second waits for nothing and makes nothing; it is told to wait."""
    body = {"text": "The plant is fully funded.", "claimant_type": "organization"}
    api = Api(client, newsroom["tokens"]["reporter"])
    assert api.call("POST", "/stories/test-story/claims", json=body, headers=KEYED).status_code
    with transaction(db):  # as the first send's record is while its answer is being made
        db.execute("UPDATE api_idempotency_keys SET status = NULL, response = NULL")
    busy = api.call("POST", "/stories/test-story/claims", json=body, headers=KEYED)
    assert busy.status_code == 409 and "still being answered" in busy.get_json()["message"]
    assert count(db, "claims") == 1


def test_the_document_names_the_header_on_every_creating_operation(client, newsroom):  # noqa: F811
    doc = client.get("/api/openapi.json").get_json()
    keyed = {
        (method, path)
        for path, item in doc["paths"].items()
        for method, operation in item.items()
        if any(p["name"] == "Idempotency-Key" and p["in"] == "header" for p in operation.get("parameters", []))
    }
    for path in (
        "/stories/{slug}/claims",
        "/claims/{claim_id}/evidence",
        "/stories/{slug}/developments",
        "/stories/{slug}/reporting",
        "/stories/{slug}/posts",
        "/coverage/{coverage_id}/attachments",
        "/stories/{slug}/documents",
        "/stories/{slug}/questions",
    ):
        assert ("post", path) in keyed, path
        operation = doc["paths"][path]["post"]
        assert "Idempotency-Key" in operation["x-rules"]["422"] and "409" in operation["responses"]
    assert ("get", "/stories/{slug}/claims") not in keyed and ("post", "/claims/{claim_id}/status") not in keyed
    # An alert destination's body holds a password: no record keeps it, even hashed.
    assert ("post", "/alerts/destinations") not in keyed


def test_a_replay_is_the_first_answer_as_it_was(client, db, newsroom, accounts):  # noqa: F811
    """A replayed answer is the first one as it was: a development edited since is shown as it was then."""
    api = Api(client, newsroom["tokens"]["reporter"])
    first = api.call("POST", "/stories/test-story/developments", json={"text": "Opens"}, headers=KEYED)
    development_id = first.get_json()["id"]
    developments.update_development(db, development_id, accounts["reporter"], 1, text="Opens in March")
    again = api.call("POST", "/stories/test-story/developments", json={"text": "Opens"}, headers=KEYED)
    assert again.get_json() == first.get_json() and again.get_json()["text"] == "Opens"


# What a creating operation's answer can hold that is never published: no kept answer holds it (a day of copies
# of a source's name beside the account, still there after the claim's own field was cleared).
SECRETS = {
    "claim": {"source_identity": "Dana Roe, plant manager", "internal_notes": "Call her back on Tuesday"},
    "reporting": {"identity": "Pat Quinn, press office", "notes": "Said off the record the plant is late"},
}


@pytest.mark.parametrize("kind", sorted(SECRETS))
def test_a_kept_answer_holds_no_confidential_field_and_its_replay_reads_the_resource_again(
    client,
    db,
    newsroom,  # noqa: F811
    accounts,
    story,
    kind,
):
    """Only what a replay needs is kept (status, Location, which resource): the replay reads the claim or note
    again as GET shows it now, so a source's name cleared since is not shown again, and no copy of it is kept."""
    path = CREATING[kind][0]({})
    api = Api(client, newsroom["tokens"]["reporter"])
    first = api.call("POST", path, json={**body_for(kind, newsroom), **SECRETS[kind]}, headers=KEYED)
    assert first.status_code == 201
    kept = db.execute("SELECT * FROM api_idempotency_keys").fetchall()
    assert len(kept) == 1
    for secret in SECRETS[kind].values():
        assert secret not in repr(kept)
    replay = api.call("POST", path, json={**body_for(kind, newsroom), **SECRETS[kind]}, headers=KEYED)
    assert replay.status_code == 201 and replay.headers["Idempotent-Replayed"] == "true"
    assert replay.get_json() == first.get_json()
    assert replay.headers.get("Location") == first.headers.get("Location")

    # The source's name is cleared: the replay shows it cleared, as a GET of the claim or note does.
    if kind == "claim":
        claim = claims.get_claim(db, first.get_json()["id"])
        claims.update_claim(db, claim["id"], accounts["reporter"], claim["version"], source_identity="")
        field, read = "source_identity", api.call("GET", f"/claims/{claim['id']}")
    else:
        coverage_id = first.get_json()["coverage_id"]
        with transaction(db):
            db.execute("UPDATE reporting SET identity = '' WHERE coverage_id = ?", [coverage_id])
        field, read = "identity", api.call("GET", f"/reporting/{coverage_id}")
    again = api.call("POST", path, json={**body_for(kind, newsroom), **SECRETS[kind]}, headers=KEYED)
    assert again.status_code == 201 and again.get_json()[field] == "" and again.get_json() == read.get_json()
    assert count(db, CREATING[kind][2]) == 1


def test_an_accepted_candidate_s_kept_answer_names_its_claim_and_its_replay_reads_it_again(
    client,
    db,
    newsroom,  # noqa: F811
    accounts,
    story,
):
    """Accepting a candidate answers with the claim made, confidential fields and all: kept by name only."""
    from tracker import coverage, extraction

    item = coverage.upsert_item(db, story["id"], "https://wire.example/keyed", outlet="Wire", title="Acme")
    revision_id, _ = coverage.add_revision(db, item, "Acme said the plant will open in March, a spokesperson said.")
    assert extraction.create_candidates(db, revision_id) >= 1
    candidate_id = db.execute("SELECT max(id) FROM candidates").fetchone()[0]
    api = Api(client, newsroom["tokens"]["reporter"])
    path, body = f"/candidates/{candidate_id}/accept", {"claimant_type": "organization"}
    first = api.call("POST", path, json=body, headers=KEYED)
    assert first.status_code == 201
    claim_id = first.get_json()["claim"]["id"]
    claim = claims.get_claim(db, claim_id)
    claims.update_claim(db, claim_id, accounts["reporter"], claim["version"], source_identity="Dana Roe")
    ((response, resource),) = db.execute("SELECT response, resource FROM api_idempotency_keys").fetchall()
    assert response is None and resource is not None
    replay = api.call("POST", path, json=body, headers=KEYED)
    assert replay.status_code == 201 and replay.headers["Idempotent-Replayed"] == "true"
    assert replay.get_json()["claim"] == api.call("GET", f"/claims/{claim_id}").get_json()
    assert "Dana Roe" not in repr(db.execute("SELECT * FROM api_idempotency_keys").fetchall())


@pytest.mark.parametrize("kind", sorted(CREATING))
def test_no_kept_answer_holds_a_confidential_field(client, db, newsroom, accounts, story, kind):  # noqa: F811
    from tracker.editor.api.idempotency import CONFIDENTIAL

    objects = made(db, story, accounts, newsroom)
    path = CREATING[kind][0](objects)
    api = Api(client, newsroom["tokens"]["reporter"])
    assert api.call("POST", path, json=body_for(kind, newsroom), headers=KEYED).status_code == 201
    (response,) = db.execute("SELECT response FROM api_idempotency_keys").fetchone()
    held = {key for (key,) in db.execute("SELECT key FROM json_tree(?)", [response or "null"])}
    assert not held & CONFIDENTIAL
