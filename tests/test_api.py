"""The JSON API against its own OpenAPI document: every documented operation called, every answer validated."""

from __future__ import annotations

import base64
import json
import re
import sys

import pytest
from jsonschema import Draft202012Validator
from openapi_spec_validator import validate as validate_spec
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from tests.conftest import AuthActions, csrf_from
from tests.storage import read_only_file
from tracker import claims, coverage, users
from tracker.publish_log import publish_and_log

ARTICLE = (
    "Acme Widgets said on Monday that its plant would open in March.\nA spokesperson said the plant is fully funded."
)
QUOTE = "the plant is fully funded"


class Api:
    """A client that checks each response against the OpenAPI document and records what it called."""

    def __init__(self, client, token: str | None):
        self.client = client
        self.token = token
        self.doc = client.get("/api/openapi.json").get_json()
        self.registry = Registry().with_resource(
            "urn:api", Resource.from_contents(self.doc, default_specification=DRAFT202012)
        )
        self.called: set[tuple[str, str]] = set()

    def operation(self, method: str, path: str) -> tuple[str, dict]:
        """The documented path template and operation that a concrete path matches."""
        for template, item in self.doc["paths"].items():
            parts, actual = template.strip("/").split("/"), path.split("?")[0].strip("/").split("/")
            if len(parts) == len(actual) and all(p == a or p.startswith("{") for p, a in zip(parts, actual)):
                if method.lower() in item:
                    return template, item[method.lower()]
        raise AssertionError(f"{method} {path} is not in the OpenAPI document")

    def call(self, method: str, path: str, json=None, token: str | None = "default", headers=None):
        template, operation = self.operation(method, path)
        token = self.token if token == "default" else token
        headers = dict(headers or {})
        if token:
            headers["Authorization"] = f"Bearer {token}"
        response = self.client.open("/api" + path, method=method, json=json, headers=headers)
        documented = operation["responses"]
        assert str(response.status_code) in documented, (
            f"{method} {template} answered {response.status_code}, not documented: {response.get_data(as_text=True)}"
        )
        assert response.is_json, response.get_data(as_text=True)[:200]
        schema = documented[str(response.status_code)]["content"]["application/json"]["schema"]
        if "$ref" in schema:
            schema = {"$ref": "urn:api" + schema["$ref"]}
        errors = sorted(Draft202012Validator(schema, registry=self.registry).iter_errors(response.get_json()), key=str)
        assert not errors, f"{method} {template} {response.status_code}: {errors[0].message} at {list(errors[0].path)}"
        self.called.add((method.lower(), template))
        return response

    def request_schema_errors(self, method: str, path: str, body: dict) -> list:
        _, operation = self.operation(method, path)
        schema = {"$ref": "urn:api" + operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]}
        return list(Draft202012Validator(schema, registry=self.registry).iter_errors(body))


@pytest.fixture
def newsroom(db, accounts, story):
    item = coverage.upsert_item(db, story["id"], "https://news.example/acme", outlet="News Example", title="Acme plant")
    revision_id, _ = coverage.add_revision(db, item, ARTICLE)
    return {
        "revision_id": revision_id,
        "tokens": {role: users.create_token(db, role) for role in ("reporter", "editor", "admin")},
    }


def test_the_document_is_valid_openapi(client):
    doc = client.get("/api/openapi.json").get_json()
    validate_spec(doc)
    assert doc["openapi"].startswith("3.")


def follow(api: Api, response, link: dict) -> tuple[str, str]:
    """The method and path an OpenAPI link leads to from this response (its parameters' $response.body pointers
    read from the response, as schemathesis' stateful phase reads them)."""
    for template, methods in api.doc["paths"].items():
        for method, operation in methods.items():
            if operation["operationId"] == link["operationId"]:
                path = template
                for name, expression in link["parameters"].items():
                    value = expression
                    if isinstance(expression, str) and expression.startswith("$response.body#/"):
                        value = response.get_json()
                        for part in expression.removeprefix("$response.body#/").split("/"):
                            value = value[int(part)] if isinstance(value, list) else value[part]
                    path = path.replace("{" + name + "}", str(value))
                return method.upper(), path
    raise AssertionError(f"no operation {link['operationId']}")


def test_the_links_from_a_new_document_and_a_new_destination_lead_to_them(client, newsroom):
    """Nothing pointed at a document's pages or a destination's delete: schemathesis' stateful phase, which
    follows links, called them only with ids that were not there (its "no links point to these operations")."""
    api = Api(client, newsroom["tokens"]["reporter"])
    text = base64.b64encode(b"Acme's memo says the plant is fully funded.").decode()
    made = api.call("POST", "/stories/test-story/documents", json={"filename": "memo.txt", "content_base64": text})
    destination = api.call(
        "POST", "/alerts/destinations", json={"label": "Desk", "url": "slack://T1JJ3T3L2/A1BRTD4JD/TIiajkdnlazkcOXr"}
    )
    followed = []
    for response, (method, template) in (
        (made, ("post", "/stories/{slug}/documents")),
        (destination, ("post", "/alerts/destinations")),
    ):
        assert response.status_code == 201, response.get_json()
        links = api.doc["paths"][template][method]["responses"]["201"]["links"]
        for name, link in sorted(links.items()):
            method_to, path = follow(api, response, link)
            answer = api.call(method_to, path, json={"text": "Page one, typed."} if method_to == "POST" else None)
            assert answer.status_code in (200, 201), (name, path, answer.get_json())
            followed.append(link["operationId"])
    assert followed == ["get_document", "get_page", "transcribe_page", "delete_destination"]


def test_the_bytes_a_request_sends_are_published_as_base64(client):
    """Without contentEncoding, generated content_base64 was almost never base64: the operations that take a file
    were tested only with refusals (schemathesis' "schema validation mismatch")."""
    doc = client.get("/api/openapi.json").get_json()
    sent = [(w, s) for w, s in request_strings(doc) if w.endswith("content_base64")]
    assert len(sent) == 3
    assert all(schema.get("contentEncoding") == "base64" for _, schema in sent), sent


def test_every_api_route_is_documented_and_every_documented_operation_exists(app, client):
    doc = client.get("/api/openapi.json").get_json()
    documented = {
        (method.upper(), "/api" + re.sub(r"\{(\w+_id)\}", r"<int:\1>", path).replace("{slug}", "<slug>"))
        for path, item in doc["paths"].items()
        for method in item
    }
    routed = {
        (method, rule.rule)
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith("api.")
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    assert documented == routed


def test_every_documented_operation_answers_as_documented(client, db, story, newsroom, tmp_path):
    api = Api(client, newsroom["tokens"]["reporter"])
    editor = newsroom["tokens"]["editor"]
    slug = story["slug"]

    api.call("GET", "/openapi.json", token=None)
    stories = api.call("GET", "/stories").get_json()["stories"]
    assert [s["slug"] for s in stories] == [slug]
    assert api.call("GET", f"/stories/{slug}").get_json()["counts"]["unreviewed"] == 0
    [item] = api.call("GET", f"/stories/{slug}/coverage").get_json()["coverage"]
    assert item["latest_revision_id"] == newsroom["revision_id"]
    assert api.call("GET", f"/coverage/{item['id']}").get_json()["revisions"][-1]["id"] == newsroom["revision_id"]
    assert api.call("GET", f"/revisions/{newsroom['revision_id']}").get_json()["text"] == ARTICLE

    body = {
        "text": "Acme's plant is fully funded",
        "claimant": "A spokesperson for Acme",
        "claimant_type": "organization",
        "source_identity": "Jo Bloggs",
        "evidence": [{"revision_id": item["latest_revision_id"], "quote": QUOTE, "stance": "supports"}],
    }
    assert api.request_schema_errors("POST", f"/stories/{slug}/claims", body) == []
    created = api.call("POST", f"/stories/{slug}/claims", json=body)
    assert created.status_code == 201
    claim = created.get_json()
    assert created.headers["Location"] == f"/api/claims/{claim['id']}"
    assert (claim["status"], claim["source_identity"], len(claim["evidence"])) == ("unreviewed", "Jo Bloggs", 1)

    listed = api.call("GET", f"/stories/{slug}/claims").get_json()
    assert [c["id"] for c in listed["claims"]] == [claim["id"]]
    found = api.call("GET", f"/stories/{slug}/claims?q=funded").get_json()["claims"]
    assert found[0]["snippet_html"] == "Acme&#39;s plant is fully <mark>funded</mark>"

    evidence = api.call(
        "POST",
        f"/claims/{claim['id']}/evidence",
        json={"revision_id": newsroom["revision_id"], "quote": "open in March"},
    )
    assert evidence.status_code == 201 and evidence.get_json()["stance"] == "supports"
    read = api.call("GET", f"/claims/{claim['id']}").get_json()
    assert read["evidence_count"] == 2

    ruling = {
        "status": "confirmed",
        "rationale": "The spokesperson's words are on the record.",
        "version": read["version"],
        "evidence_ids": [read["evidence"][0]["id"]],
    }
    assert api.call("POST", f"/claims/{claim['id']}/status", json=ruling).status_code == 403
    ruled = api.call("POST", f"/claims/{claim['id']}/status", json=ruling, token=editor).get_json()
    assert ruled["status"] == "confirmed"
    assert ruled["history"][0]["cited_evidence_ids"] == [read["evidence"][0]["id"]]

    stale = api.call("POST", f"/claims/{claim['id']}/status", json={**ruling, "status": "denied"}, token=editor)
    assert stale.status_code == 409
    assert stale.get_json()["current"]["status"] == "confirmed"

    from tests.test_questions import exercise_question_api

    exercise_question_api(api, editor, slug, claim["id"], item["id"])

    from tests.test_candidates import exercise_candidate_api

    exercise_candidate_api(api, db, story, claim["id"])

    from tests.test_alerts import exercise_alerts_api

    exercise_alerts_api(api, editor, slug)

    from tests.test_api_evidence import exercise_evidence_kinds_api

    exercise_evidence_kinds_api(api, editor, slug, claim["id"], tmp_path)

    from tests.test_api_seen import exercise_seen_api

    exercise_seen_api(api, slug)
    documented = {(m, p) for p, item in api.doc["paths"].items() for m in item}
    assert documented - api.called == set(), "documented operations never called"


def _cursor(position: dict) -> str:
    """A cursor as the API encodes one, around a position it never handed out."""
    return base64.urlsafe_b64encode(json.dumps(position).encode()).decode().rstrip("=")


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/stories/test-story/claims?status=maybe", 400),
        ("/stories/test-story/claims?limit=0", 400),
        ("/stories/test-story/claims?limit=abc", 400),
        ("/stories/test-story/claims?limit=\u0663", 400),  # int() reads any script's digits: it was 3
        ("/alerts/notifications?before=abc", 400),  # ignored: the newest page came back as if it were older
        ("/alerts/notifications?before=\u0663", 400),
        ("/alerts/notifications?before=0", 400),
        ("/stories/test-story/claims?since=yesterday", 400),
        ("/stories/test-story/claims?has_evidence=perhaps", 400),
        ("/stories/test-story/claims?sort=relevance", 400),
        ("/stories/test-story/claims?cursor=not-a-cursor", 400),
        # Cursors that decode, but to nothing this API hands out: each was a 500.
        (f"/stories/test-story/claims?cursor={_cursor({'after': [{'a': 1}, 1]})}", 400),
        (f"/stories/test-story/claims?cursor={_cursor({'after': [[1, 2], 1]})}", 400),
        (f"/stories/test-story/claims?cursor={_cursor({'after': ['2026-01-01', 10**30]})}", 400),
        (f"/stories/test-story/claims?sort=relevance&q=acme&cursor={_cursor({'offset': 10**30})}", 400),
        (f"/stories/test-story/candidates?cursor={_cursor({'offset': 10**30})}", 400),
        (f"/stories/test-story/candidates?cursor={_cursor({'offset': 1e300})}", 400),
        (f"/stories/test-story/candidates?cursor={_cursor({'offset': float('inf')})}", 400),
        (f"/stories/test-story/candidates?cursor={_cursor({'at': ['x', 1], 'upto': 1})}", 400),
        (f"/stories/test-story/candidates?cursor={_cursor({'at': [float('inf'), '2026', 1, 1, 1], 'upto': 1})}", 400),
        ("/stories/test-story/claims?since=2026-02-01&until=2026-01-01", 400),
        ("/stories/no-such-story/claims", 404),
        ("/claims/999", 404),
        ("/claims/99999999999999999999", 404),
    ],
)
def test_bad_queries_are_json_errors_never_500(client, newsroom, path, status):
    api = Api(client, newsroom["tokens"]["reporter"])
    response = api.call("GET", path)
    assert response.status_code == status
    assert response.get_json()["message"]


def test_notifications_page_from_before(client, db, newsroom):
    """`before` pages the notifications as it does the inbox: older than the id given, newest first."""
    api = Api(client, newsroom["tokens"]["reporter"])
    assert api.call("GET", "/alerts/notifications?before=1").get_json()["notifications"] == []
    assert api.call("GET", f"/alerts/notifications?before={2**63 - 1}").status_code == 200


@pytest.mark.parametrize("path", ["/stories/test-story/claims?page=2", "/stories/test-story/candidates?page=2&limit=5"])
def test_a_page_number_is_answered_with_how_these_lists_page(client, newsroom, path):
    """`?page=2` was ignored: the first page came back as if it were the second, and a person paging by number
    read the same claims twice without a word. It is a 400 that says how to get the next page."""
    api = Api(client, newsroom["tokens"]["reporter"])
    response = api.call("GET", path)
    assert response.status_code == 400
    message = response.get_json()["message"]
    assert "page" in message and "next_cursor" in message and "cursor" in message


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"text": "x"},
        {"text": "   ", "claimant_type": "named"},
        {"text": "x", "claimant_type": "psychic"},
        {"text": "x", "claimant_type": "named", "secret_field": 1},
        {"text": 5, "claimant_type": "named"},
        {"text": "x", "claimant_type": "named", "evidence": [{"revision_id": "1", "quote": "a"}]},
        {"text": "x", "claimant_type": "named", "evidence": [{"revision_id": 1, "quote": "not in the text"}]},
        {"text": "x", "claimant_type": "named", "evidence": [{"revision_id": 424242, "quote": "a"}]},
        {"text": "x" * 5001, "claimant_type": "named"},
    ],
)
def test_bad_bodies_are_422_and_change_nothing(client, db, newsroom, body):
    api = Api(client, newsroom["tokens"]["reporter"])
    response = api.call("POST", "/stories/test-story/claims", json=body)
    assert response.status_code == 422
    assert response.get_json()["message"]
    assert db.execute("SELECT count(*) FROM claims").fetchone()[0] == 0


# What counts as blank: Python's str.isspace() and ECMA-262's WhiteSpace and LineTerminator (the regex
# dialect a JSON Schema pattern is read in, as schemathesis reads it). The two lists differ.
PYTHON_BLANKS = [chr(c) for c in range(0x3001) if chr(c).isspace()]
ECMA_BLANKS = list("\t\n\v\f\r \xa0\u1680\u2028\u2029\u202f\u205f\u3000\ufeff") + [
    chr(c) for c in range(0x2000, 0x200B)
]


@pytest.mark.parametrize("blank", sorted(set(PYTHON_BLANKS) | set(ECMA_BLANKS)), ids=lambda c: f"U+{ord(c):04X}")
def test_text_of_blanks_is_refused_by_the_api_and_by_the_pattern_it_publishes(client, db, newsroom, blank):
    api = Api(client, newsroom["tokens"]["reporter"])
    response = api.call("POST", "/stories/test-story/claims", json={"text": blank * 3, "claimant_type": "named"})
    assert response.status_code == 422
    assert db.execute("SELECT count(*) FROM claims").fetchone()[0] == 0
    claim = client.get("/api/openapi.json").get_json()["components"]["schemas"]["ClaimCreate"]["properties"]["text"]
    assert not re.search(claim["pattern"], blank * 3)
    assert re.search(claim["pattern"], f"{blank}x{blank}")


@pytest.mark.parametrize("invisible", ["\u200b", "\xad", "\u2060", "\u202e", "\U000e0020"], ids=ascii)
def test_text_of_invisible_characters_is_refused_by_the_api_and_by_the_pattern_it_publishes(
    client, db, newsroom, invisible
):
    """A zero-width space shows nothing (tracker.db.shows_nothing), so the API refuses it as no text; the pattern
    let it through, and a schema-valid claim or question of it was refused 400."""
    api = Api(client, newsroom["tokens"]["reporter"])
    for path, body in (
        ("/stories/test-story/claims", {"text": invisible * 2, "claimant_type": "named"}),
        ("/stories/test-story/questions", {"text": f" {invisible} "}),
    ):
        assert api.request_schema_errors("POST", path, body), path
        assert api.call("POST", path, json=body).status_code == 422
    assert db.execute("SELECT count(*) FROM claims").fetchone()[0] == 0
    assert api.call("POST", "/stories/test-story/questions", json={"text": f"{invisible}Why?"}).status_code == 201


def test_the_published_pattern_counts_as_blank_exactly_what_shows_nothing_and_ecma_blanks():
    from tracker.db import REFUSED_CONTROLS, shows_nothing
    from tracker.editor.api.schemas import NONBLANK

    refused = {chr(c) for c in range(sys.maxunicode + 1) if not re.search(NONBLANK, chr(c))}
    assert refused == {chr(c) for c in range(sys.maxunicode + 1) if shows_nothing(chr(c))} | set(ECMA_BLANKS) | set(
        REFUSED_CONTROLS
    )


def request_strings(doc: dict) -> list[tuple[str, dict]]:
    """Every string a request can send (bodies, through their $refs, and query parameters), with its schema."""
    found: list[tuple[str, dict]] = []

    def walk(schema: dict, where: str, seen: frozenset) -> None:
        if "$ref" in schema:
            name = schema["$ref"].rsplit("/", 1)[1]
            if name not in seen:
                walk(doc["components"]["schemas"][name], name, seen | {name})
            return
        types = schema.get("type")
        if types == "string" or (isinstance(types, list) and "string" in types):
            found.append((where, schema))
        for key, sub in schema.get("properties", {}).items():
            walk(sub, f"{where}.{key}", seen)
        if isinstance(schema.get("items"), dict):
            walk(schema["items"], f"{where}[]", seen)

    for path, methods in doc["paths"].items():
        for method, operation in methods.items():
            body = operation.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema")
            if body:
                walk(body, f"{method} {path}", frozenset())
            for param in (p for p in operation.get("parameters", []) if p["in"] == "query"):  # a path's: 404
                walk(param["schema"], f"{method} {path} ?{param['name']}", frozenset())
    return found


@pytest.mark.parametrize("control", ["\x00", "\x1b"], ids=["NUL", "ESC"])
def test_every_string_a_request_sends_is_published_as_refusing_what_the_api_refuses(client, control):
    """The API refuses a NUL or an escape in typed text (tracker.db.refuse_control_chars); a string whose schema
    did not say so was schema-valid and refused (the contract test's ST202: "\x1b" in a question's text)."""
    doc = client.get("/api/openapi.json").get_json()
    strings = request_strings(doc)
    assert len(strings) > 50
    for where, schema in strings:
        if "enum" in schema or schema.get("format") == "date" or where.endswith(".filename"):
            continue  # a file's name is taken as the client wrote it, and cleaned (tests/test_api_evidence.py)
        assert "pattern" in schema, where
        assert not re.search(schema["pattern"], f"ab{control}c"), where


@pytest.mark.parametrize("control", ["\x00", "\x1b"], ids=["NUL", "ESC"])
@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/stories/test-story/claims", {"text": "Acme said {c}so", "claimant_type": "named"}),
        ("/stories/test-story/claims", {"text": "Acme said so", "claimant_type": "named", "claimant": "{c}"}),
        ("/stories/test-story/questions", {"text": "Who {c}decided?"}),
        ("/stories/test-story/reporting", {"how": "call", "at": "2026-12-01T10:00", "words": "ok", "notes": "{c}"}),
        ("/alerts/subscriptions", {"kinds": [], "keywords": "acme{c}"}),
    ],
)
def test_text_holding_a_control_character_is_refused_by_the_api_and_by_its_schema(
    client, db, newsroom, path, body, control
):
    api = Api(client, newsroom["tokens"]["reporter"])
    body = {k: v.replace("{c}", control) if isinstance(v, str) else v for k, v in body.items()}
    tables = ("claims", "questions", "coverage")
    counts = [db.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables]
    assert api.request_schema_errors("POST", path, body)
    response = api.call("POST", path, json=body)
    assert response.status_code == 422, response.get_json()
    assert ("NUL character" if control == "\x00" else "control character") in response.get_json()["message"]
    assert [db.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables] == counts


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        ("text=hello", None),
        # JSON nested deeper than Python's parser recurses: a RecursionError, answered 500.
        ("[" * 100_000 + "]" * 100_000, "application/json"),
    ],
)
def test_a_body_that_is_not_json_is_400(client, newsroom, body, content_type):
    response = client.post(
        "/api/stories/test-story/claims",
        data=body,
        content_type=content_type,
        headers={"Authorization": f"Bearer {newsroom['tokens']['reporter']}"},
    )
    assert response.status_code == 400
    assert "JSON" in response.get_json()["message"]


@pytest.mark.parametrize("header", ["", "Bearer wrong-token", "Basic cmVwb3J0ZXI6eA==", "Bearer "])
def test_missing_or_wrong_tokens_are_401(client, newsroom, header):
    headers = {"Authorization": header} if header else {}
    response = client.get("/api/stories", headers=headers)
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert response.get_json()["message"]


def test_a_deactivated_users_token_stops_working(client, db, newsroom, accounts):
    token = newsroom["tokens"]["reporter"]
    assert client.get("/api/stories", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    users.set_active(db, accounts["reporter"]["id"], False)
    assert client.get("/api/stories", headers={"Authorization": f"Bearer {token}"}).status_code == 401


def test_session_requests_need_csrf_but_token_requests_do_not(client, db, newsroom):
    body = {"text": "A claim", "claimant_type": "unattributed"}
    AuthActions(client).login("reporter")
    refused = client.post("/api/stories/test-story/claims", json=body)
    assert refused.status_code == 400
    assert "CSRF" in refused.get_json()["message"]
    assert db.execute("SELECT count(*) FROM claims").fetchone()[0] == 0
    token = csrf_from(client.get("/").get_data(as_text=True))
    assert client.post("/api/stories/test-story/claims", json=body, headers={"X-CSRFToken": token}).status_code == 201
    fresh = client.application.test_client()
    bearer = {"Authorization": f"Bearer {newsroom['tokens']['reporter']}"}
    assert fresh.post("/api/stories/test-story/claims", json=body, headers=bearer).status_code == 201


def test_unknown_api_paths_and_methods_are_json(client, newsroom):
    headers = {"Authorization": f"Bearer {newsroom['tokens']['reporter']}"}
    missing = client.get("/api/nothing-here", headers=headers)
    assert missing.status_code == 404 and missing.get_json()["message"]
    wrong_method = client.delete("/api/stories", headers=headers)
    assert wrong_method.status_code == 405 and wrong_method.get_json()["message"]


def test_a_correction_through_the_api_needs_a_public_rationale(client, db, newsroom, accounts, story, tmp_path):
    claim_id = claims.log_claim(db, story["id"], "Funded", "Acme", "organization", accounts["reporter"])
    evidence_id = claims.add_evidence(db, claim_id, newsroom["revision_id"], QUOTE, "supports", accounts["reporter"])
    claims.set_status(db, claim_id, "unclear", accounts["editor"], "One source", 1, evidence_ids=[evidence_id])
    claims.set_published(db, claim_id, True, accounts["editor"], 2)
    publish_and_log(db, tmp_path / "public.db", accounts["editor"])  # readers are shown "unclear"
    api = Api(client, newsroom["tokens"]["editor"])
    ruling = {"status": "confirmed", "rationale": "Filing seen", "version": 3, "evidence_ids": [evidence_id]}
    refused = api.call("POST", f"/claims/{claim_id}/status", json=ruling)
    assert refused.status_code == 400 and "this ruling is a correction" in refused.get_json()["message"]
    done = api.call("POST", f"/claims/{claim_id}/status", json={**ruling, "public_rationale": "A filing confirms it."})
    assert done.get_json()["history"][-1]["is_correction"] is True


def test_evidence_of_another_claim_cannot_be_cited(client, db, newsroom, accounts, story):
    first = claims.log_claim(db, story["id"], "One", "", "unattributed", accounts["reporter"])
    second = claims.log_claim(db, story["id"], "Two", "", "unattributed", accounts["reporter"])
    foreign = claims.add_evidence(db, second, newsroom["revision_id"], QUOTE, "supports", accounts["reporter"])
    api = Api(client, newsroom["tokens"]["editor"])
    response = api.call(
        "POST",
        f"/claims/{first}/status",
        json={"status": "denied", "rationale": "No", "version": 1, "evidence_ids": [foreign]},
    )
    assert response.status_code == 400
    assert claims.history(db, first) == []


# --- The same request sent twice: done already, not someone else's change ---------------------------------------


def answered_question(db, story, accounts) -> tuple[int, int]:
    """A question with its answer (version 2) and a claim of the story to link to it."""
    from tracker import questions

    claim_id = claims.log_claim(db, story["id"], "Funded", "Acme", "organization", accounts["reporter"])
    question_id = questions.create_question(db, story["id"], "Is the plant funded?", accounts["reporter"])
    questions.write_answer(db, question_id, "Not yet, says the filing.", accounts["editor"], 1)
    return question_id, claim_id


def test_a_question_published_twice_answers_200_but_not_over_words_changed_since(client, db, newsroom, accounts, story):
    """A tool retrying a publish whose answer was lost got 409 for its own change: the HTML side says "already"."""
    from tracker import questions

    question_id, _ = answered_question(db, story, accounts)
    api = Api(client, newsroom["tokens"]["editor"])
    path = f"/questions/{question_id}/publish"
    for published, version in ((True, 2), (False, 3)):
        sent = [api.call("POST", path, json={"published": published, "version": version}) for _ in range(2)]
        assert [s.status_code for s in sent] == [200, 200], sent[1].get_json()
        assert sent[1].get_json() == sent[0].get_json()
        assert (sent[1].get_json()["published"], sent[1].get_json()["version"]) == (published, version + 1)
    # Published by someone else, then its answer rewritten: publishing as of version 4 did not agree to the new words.
    questions.set_question_published(db, question_id, True, accounts["editor"], 4)
    questions.write_answer(db, question_id, "Yes: the council voted the money.", accounts["editor"], 5)
    refused = api.call("POST", path, json={"published": True, "version": 4})
    assert refused.status_code == 409
    body = refused.get_json()
    assert "version 4" in body["message"] and "version 6" in body["message"]
    assert (body["current"]["version"], body["current"]["answer"]) == (6, "Yes: the council voted the money.")


def test_a_claim_linked_twice_answers_200_and_another_stance_on_a_stale_version_is_409(
    client, db, newsroom, accounts, story
):
    question_id, claim_id = answered_question(db, story, accounts)
    api = Api(client, newsroom["tokens"]["reporter"])
    link = {"claim_id": claim_id, "stance": "answers_no", "version": 2}
    sent = [api.call("POST", f"/questions/{question_id}/claims", json=link) for _ in range(2)]
    assert [s.status_code for s in sent] == [200, 200], sent[1].get_json()
    assert [(c["id"], c["stance"]) for c in sent[1].get_json()["claims"]] == [(claim_id, "answers_no")]
    assert sent[1].get_json()["version"] == 3
    refused = api.call("POST", f"/questions/{question_id}/claims", json={**link, "stance": "answers_yes"})
    assert refused.status_code == 409
    assert refused.get_json()["current"]["claims"][0]["stance"] == "answers_no"


def test_a_development_marked_twice_answers_200_and_another_state_on_a_stale_version_is_409(
    client, db, newsroom, accounts, story
):
    from tracker import developments

    item_id = db.execute("SELECT coverage_id FROM revisions WHERE id = ?", [newsroom["revision_id"]]).fetchone()[0]
    development_id = developments.create_development(db, story["id"], "The plant opens", accounts["reporter"])
    api = Api(client, newsroom["tokens"]["reporter"])
    marking = {"state": "happened", "evidence_coverage_id": item_id, "version": 1}
    sent = [api.call("POST", f"/developments/{development_id}/state", json=marking) for _ in range(2)]
    assert [s.status_code for s in sent] == [200, 200], sent[1].get_json()
    assert (sent[1].get_json()["state"], sent[1].get_json()["version"]) == ("happened", 2)
    refused = api.call(
        "POST", f"/developments/{development_id}/state", json={"state": "did_not_happen", "note": "No", "version": 1}
    )
    assert refused.status_code == 409
    assert refused.get_json()["current"]["state"] == "happened"


def test_a_ruling_sent_twice_answers_200_and_another_ruling_on_a_stale_version_is_409(
    client, db, newsroom, accounts, story
):
    """A tool retrying a ruling whose answer was lost got 409 for its own ruling, as if another editor had ruled."""
    claim_id = claims.log_claim(db, story["id"], "Funded", "Acme", "organization", accounts["reporter"])
    evidence_id = claims.add_evidence(db, claim_id, newsroom["revision_id"], QUOTE, "supports", accounts["reporter"])
    api = Api(client, newsroom["tokens"]["editor"])
    ruling = {"status": "confirmed", "rationale": "The filing says so.", "evidence_ids": [evidence_id], "version": 1}
    sent = [api.call("POST", f"/claims/{claim_id}/status", json=ruling) for _ in range(2)]
    assert [s.status_code for s in sent] == [200, 200], sent[1].get_json()
    assert sent[1].get_json() == sent[0].get_json()
    assert len(claims.history(db, claim_id)) == 1
    for other in ({"rationale": "Another reason."}, {"status": "denied"}, {"public_rationale": "Shown to readers."}):
        refused = api.call("POST", f"/claims/{claim_id}/status", json={**ruling, **other})
        assert refused.status_code == 409, other
        assert refused.get_json()["current"]["version"] == 2
    assert len(claims.history(db, claim_id)) == 1


def test_every_operation_on_the_database_documents_the_503_of_a_full_or_read_only_disk(client, db_path, newsroom):
    """A write the database cannot take answers 503 (a full or read-only disk, another program keeping it busy), and
    a read on read-only storage too; the document listed no 503 at all, so a tool built from it had no word for it.
    Every operation that reads the account from the database lists it, with the body the API really sends."""
    api = Api(client, newsroom["tokens"]["reporter"])
    for path, methods in api.doc["paths"].items():
        for method, operation in methods.items():
            if operation.get("security") == []:  # this document itself: no account, no database
                assert "503" not in operation["responses"], (method, path)
                continue
            answer = operation["responses"].get("503")
            assert answer is not None, (method, path)
            assert answer["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Error"}
            said = "nothing was saved" if method != "get" else "nothing was changed"
            assert said in answer["description"], (method, path, answer["description"])
    with read_only_file(db_path):
        response = api.call(  # checked against the document's 503: listed, and the body its schema
            "POST",
            "/stories/test-story/claims",
            json={"text": "Acme will open a plant.", "claimant": "Acme", "claimant_type": "organization"},
        )
    assert response.status_code == 503 and "read-only" in response.get_json()["message"]
