"""The API's errors as docs/api.md says they are sent: a message, and field by field what failed a schema."""

from __future__ import annotations

from pathlib import Path

from tests.test_api import newsroom  # noqa: F401 (a fixture)

DOCS = Path(__file__).parent.parent / "docs" / "api.md"


def test_errors_carry_a_message_and_only_a_schema_s_refusals_carry_errors(client, newsroom):  # noqa: F811
    token = {"Authorization": f"Bearer {newsroom['tokens']['reporter']}"}
    alone = {
        401: client.get("/api/stories"),
        404: client.get("/api/stories/no-such-story", headers=token),
        405: client.delete("/api/stories", headers=token),
    }
    for status, answer in alone.items():
        assert answer.status_code == status and set(answer.json) == {"message"}, answer.json
    query = client.get("/api/stories/test-story/claims?limit=0", headers=token)
    body = client.post("/api/stories/test-story/claims", json={"text": ""}, headers=token)
    for status, answer in ((400, query), (422, body)):
        assert answer.status_code == status and set(answer.json) == {"message", "errors"}, answer.json
    errors = DOCS.read_text().split("## Errors", 1)[1]
    assert "`message` alone" in " ".join(errors.split()), "docs/api.md says every error carries `errors`"
