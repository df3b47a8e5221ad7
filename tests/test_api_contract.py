"""The API keeps the contract /api/openapi.json states: schemathesis, all checks, as a reporter and as an editor.

The editor runs as a real HTTP server on 127.0.0.1 with the demo story
loaded; the schemathesis command line tests every operation of the
document with every check (server errors, status codes and content types
the document lists, response schemas and headers, schema-valid requests
accepted and schema-violating ones refused, 405 with Allow for undeclared
methods, missing auth, use after delete, ...), with a fixed seed and a few
examples per operation, so a run is repeatable and takes well under a
minute. A rule of the newsroom's data that no schema can state (a quote
must be in the text it quotes) is listed by the document under the status
it answers, in the operation's "x-rules": those statuses, and only for those
operations, count as accepting a schema-valid request (docs/api.md says why).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from tracker import migrations, users
from tracker.db import connect

SEED = 20261124
MAX_EXAMPLES = 3
# What positive_data_acceptance takes as "accepted" by default (schemathesis' own list).
ACCEPTED = ["2xx", "3xx", "401", "403", "404", "409", "429", "5xx"]


@pytest.fixture(scope="module")
def api(tmp_path_factory):
    """The editor with the demo story, served for real; yields its base URL and a token per role."""
    from tracker.demo import load_demo
    from tracker.editor import create_app

    folder = tmp_path_factory.mktemp("contract")
    db = connect(folder / "tracker.db")
    migrations.apply(db)
    load_demo(db, echo=lambda *_: None, report=lambda *_: None)
    users.add_user(db, "rita", "correct-horse-battery", "reporter")
    tokens = {"reporter": users.create_token(db, "rita"), "editor": users.create_token(db, "demo-editor")}
    db.close()
    app = create_app(
        {
            "SECRET_KEY": "contract-" + "0" * 32,
            "DATABASE": str(folder / "tracker.db"),
            "PUBLIC_DB": str(folder / "public.db"),
            "RATELIMIT_ENABLED": False,
        }
    )
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield {"base": f"http://127.0.0.1:{server.server_port}", "tokens": tokens, "folder": folder, "app": app}
    finally:
        server.shutdown()


def config_from_the_document(document: dict) -> str:
    """schemathesis.toml: each operation's documented rule statuses added to what counts as accepted."""
    sections = []
    for methods in document["paths"].values():
        for operation in methods.values():
            rules = operation.get("x-rules")
            if not rules:
                continue
            sections.append(
                "[[operations]]\n"
                f'include-operation-id = "{operation["operationId"]}"\n'
                "[operations.checks.positive_data_acceptance]\n"
                f"expected-statuses = {json.dumps(ACCEPTED + sorted(rules))}\n"
            )
    return "\n".join(sections)


def test_every_rule_the_document_lists_is_explained_under_its_status(api):
    document = api["app"].test_client().get("/api/openapi.json").get_json()
    ruled = {
        (path, method): operation["x-rules"]
        for path, methods in document["paths"].items()
        for method, operation in methods.items()
        if operation.get("x-rules")
    }
    assert ("/stories/{slug}/claims", "post") in ruled and ("/stories/{slug}/claims", "get") in ruled
    for (path, method), rules in ruled.items():
        for status, rule in rules.items():
            response = document["paths"][path][method]["responses"][status]
            assert rule in response["description"], (path, method, status)
    cursor = next(p for p in document["paths"]["/stories/{slug}/claims"]["get"]["parameters"] if p["name"] == "cursor")
    assert cursor["schema"]["pattern"] == "^[A-Za-z0-9_-]+$" and "as it came" in cursor["schema"]["description"]
    assert "sort=relevance without q" in ruled[("/stories/{slug}/claims", "get")]["400"]


def test_an_undeclared_method_is_a_405_that_says_which_methods_are_allowed(api):
    client = api["app"].test_client()
    headers = {"Authorization": f"Bearer {api['tokens']['reporter']}"}
    for method, path, allowed in (
        ("DELETE", "/api/stories", {"GET", "HEAD", "OPTIONS"}),
        ("PUT", "/api/stories/amazon-ai-activity/claims", {"GET", "HEAD", "OPTIONS", "POST"}),
        ("TRACE", "/api/claims/1/status", {"POST", "OPTIONS"}),
    ):
        response = client.open(path, method=method, headers=headers)
        assert response.status_code == 405, (method, path)
        assert {m.strip() for m in response.headers["Allow"].split(",")} == allowed
        assert response.get_json()["message"]


def test_integers_written_with_a_decimal_point_are_integers(api):
    """JSON Schema counts 10115.0 as an integer; so does the API, in bodies and in queries."""
    client = api["app"].test_client()
    headers = {"Authorization": f"Bearer {api['tokens']['reporter']}"}
    asked = client.post("/api/stories/amazon-ai-activity/questions", json={"text": "Who decided?"}, headers=headers)
    question = asked.get_json()
    moved = client.post(
        f"/api/questions/{question['id']}",
        json={"position": 2.0, "version": float(question["version"])},
        headers=headers,
    )
    assert moved.status_code == 200, moved.get_data(as_text=True)
    assert moved.get_json()["position"] == 2 and isinstance(moved.get_json()["position"], int)
    listed = client.get("/api/stories/amazon-ai-activity/claims?limit=2.0", headers=headers)
    assert listed.status_code == 200 and len(listed.get_json()["claims"]) <= 2
    assert client.get("/api/stories/amazon-ai-activity/claims?limit=2.5", headers=headers).status_code == 400


def test_a_parameter_sent_empty_is_checked_like_any_other(api):
    client = api["app"].test_client()
    headers = {"Authorization": f"Bearer {api['tokens']['reporter']}"}
    for query in ("until=", "cursor=", "status="):
        response = client.get(f"/api/stories/amazon-ai-activity/claims?{query}", headers=headers)
        assert response.status_code == 400, query
    assert client.get("/api/stories/amazon-ai-activity/claims?q=", headers=headers).status_code == 200


def test_the_api_keeps_its_openapi_contract_for_reporters_and_editors(api, tmp_path):
    schemathesis = shutil.which("schemathesis", path=str(Path(sys.executable).parent))
    assert schemathesis, "schemathesis is a dev dependency (requirements-dev.txt)"
    document = api["app"].test_client().get("/api/openapi.json").get_json()
    config = tmp_path / "schemathesis.toml"
    config.write_text(config_from_the_document(document))
    runs = {
        role: subprocess.Popen(
            [
                schemathesis,
                "--config-file",
                str(config),
                "--no-color",
                "run",
                f"{api['base']}/api/openapi.json",
                "--checks",
                "all",
                "--header",
                f"Authorization: Bearer {token}",
                "--seed",
                str(SEED),
                "--max-examples",
                str(MAX_EXAMPLES),
                "--workers",
                "1",
                "--request-timeout",
                "30",
            ],
            cwd=tmp_path,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for role, token in api["tokens"].items()
    }
    outputs = {role: run.communicate(timeout=600)[0] for role, run in runs.items()}
    for role, run in runs.items():
        assert run.returncode == 0, f"as the {role}:\n{outputs[role][-6000:]}"
        assert "Tested: " in outputs[role] and " failures" not in outputs[role].splitlines()[-1], outputs[role][-2000:]
