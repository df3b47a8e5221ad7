"""Who may reach what: every route of the editor and its API, for anonymous visitors and each role.

The matrix is built from app.url_map, so a new route without an entry in
ACCESS fails here until someone decides who may use it.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest

from tests.conftest import PASSWORD, AuthActions, csrf_from
from tracker import (
    captures,
    claims,
    coverage,
    developments,
    extraction,
    migrations,
    questions,
    sources,
    stories,
    users,
)
from tracker.alerts import destinations, subscriptions
from tracker.db import connect
from tracker.editor import create_app

ROLES = ("anonymous", "reporter", "editor", "admin")

# endpoint -> who may use it: public (anyone), staff (any signed-in role), editor (editors and admins), admin.
ACCESS = {
    "static": "public",
    "auth.login": "public",
    "api.openapi": "public",
    "auth.logout": "staff",
    "auth.account": "staff",
    "auth.change_password": "staff",
    "auth.create_token": "staff",
    "auth.revoke_token": "staff",
    "stories.index": "staff",
    "stories.new": "staff",
    "stories.edit": "editor",
    "stories.story": "staff",
    "claims.new": "staff",
    "claims.detail": "staff",
    "claims.edit": "staff",
    "claims.add_evidence": "staff",
    "claims.set_status": "editor",
    "claims.set_published": "editor",
    "coverage.index": "staff",
    "coverage.item": "staff",
    "coverage.choices": "staff",
    "sources.index": "staff",
    "sources.detail": "staff",
    "sources.set_state": "staff",
    "dashboard.story": "staff",
    "livedemo.next_stage": "staff",
    "publishing.index": "editor",
    "publishing.publish_now": "editor",
    "publishing.result": "editor",
    "admin.users_index": "admin",
    "admin.user": "admin",
    "admin.set_role": "admin",
    "admin.set_active": "admin",
    "admin.reset_password": "admin",
    "triage.queue": "staff",
    "triage.accept": "staff",
    "triage.merge": "staff",
    "triage.dismiss": "staff",
    "triage.put_back": "staff",
    "api.list_stories": "staff",
    "api.get_story": "staff",
    "api.list_coverage": "staff",
    "api.get_coverage": "staff",
    "api.get_revision": "staff",
    "api.story_latest": "staff",
    "api.mark_looked": "staff",
    "api.list_claims": "staff",
    "api.create_claim": "staff",
    "api.get_claim": "staff",
    "api.add_evidence": "staff",
    "api.set_status": "editor",
    "questions.index": "staff",
    "questions.new": "staff",
    "questions.detail": "staff",
    "questions.edit": "staff",
    "questions.link": "staff",
    "questions.unlink": "staff",
    "questions.answer": "editor",
    "questions.publish": "editor",
    "questions.new_development": "staff",
    "questions.edit_development": "staff",
    "questions.development_state": "staff",
    "questions.publish_development": "editor",
    "api.list_questions": "staff",
    "api.create_question": "staff",
    "api.get_question": "staff",
    "api.update_question": "staff",
    "api.link_claim": "staff",
    "api.write_answer": "editor",
    "api.publish_question": "editor",
    "api.list_developments": "staff",
    "api.create_development": "staff",
    "api.set_development_state": "staff",
    "api.list_candidates": "staff",
    "api.accept_candidate": "staff",
    "api.merge_candidate": "staff",
    "api.dismiss_candidate": "staff",
    "api.put_back_candidate": "staff",
    "api.list_subscriptions": "staff",
    "api.create_subscription": "staff",
    "api.delete_subscription": "staff",
    "api.set_story_default": "editor",
    "api.list_destinations": "staff",
    "api.create_destination": "staff",
    "api.delete_destination": "staff",
    "api.list_notifications": "staff",
    "api.mark_notifications_read": "staff",
    "alerts.settings": "staff",
    "alerts.add_subscription": "staff",
    "alerts.update_subscription": "staff",
    "alerts.delete_subscription": "staff",
    "alerts.story_default": "editor",
    "alerts.add_destination": "staff",
    "alerts.delete_destination": "staff",
    "alerts.resume_destination": "staff",
    "alerts.unsubscribe": "public",  # an alert email's List-Unsubscribe link (RFC 8058): a signed token instead
    "alerts.set_internal": "admin",
    "alerts.inbox": "staff",
    "alerts.mark_read": "staff",
    "documents.new": "staff",
    "documents.page": "staff",
    "documents.transcribe": "staff",
    "documents.raw": "staff",
    "documents.publish_copy": "editor",
    "documents.claim_bundle": "editor",
    "documents.story_bundle": "editor",
    "documents.attach": "staff",
    "reporting.new_note": "staff",
    "reporting.note": "staff",
    "reporting.attribution": "staff",
    "reporting.new_post": "staff",
    "api.add_document": "staff",
    "api.get_document": "staff",
    "api.get_page": "staff",
    "api.transcribe_page": "staff",
    "api.list_captures": "staff",
    "api.get_capture": "staff",
    "api.publish_capture": "editor",
    "api.claim_bundle": "editor",
    "api.story_bundle": "editor",
    "api.create_reporting": "staff",
    "api.get_reporting": "staff",
    "api.set_attribution": "staff",
    "api.add_attachment": "staff",
    "api.create_post": "staff",
}
ALLOWED = {
    "public": set(ROLES),
    "staff": {"reporter", "editor", "admin"},
    "editor": {"editor", "admin"},
    "admin": {"admin"},
}


def _routes() -> list[tuple[str, str, str]]:
    """(endpoint, method, rule) for every route, read from a real app's url_map."""
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app({"TESTING": True, "SECRET_KEY": "k", "DATABASE": str(Path(tmp) / "t.db")})
        found = []
        for rule in app.url_map.iter_rules():
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                found.append((rule.endpoint, method, rule.rule))
    return sorted(found)


ROUTES = _routes()


def test_every_route_has_an_access_rule():
    endpoints = {endpoint for endpoint, _, _ in ROUTES}
    assert endpoints - set(ACCESS) == set(), "new route(s): add them to ACCESS with who may use them"
    assert set(ACCESS) - endpoints == set(), "ACCESS names routes that no longer exist"


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> tuple[Path, dict]:
    """A database with one of everything a URL can name, built once; each test gets a fresh copy."""
    path = tmp_path_factory.mktemp("access") / "template.db"
    db = connect(path)
    migrations.apply(db)
    accounts = {role: users.add_user(db, role, PASSWORD, role) for role in ("reporter", "editor", "admin")}
    story = stories.create_story(db, "test-story", "A test story")
    item = coverage.upsert_item(db, story["id"], "https://news.example/a", outlet="News Example", title="A")
    revision_id, _ = coverage.add_revision(db, item, "Acme said the plant will open in March.")
    capture_id = captures.keep(
        db, item, b"<p>Acme said the plant will open in March.</p>", captures.Received(how="upload"), role="page"
    )
    claim_id = claims.log_claim(
        db, story["id"], "The plant opens in March", "Acme", "organization", accounts["reporter"]
    )
    claims.add_evidence(db, claim_id, revision_id, "the plant will open in March", "supports", accounts["reporter"])
    source = sources.add_source(db, story["id"], "https://news.example/feed.xml", "feed", "News Example")
    question_id = questions.create_question(db, story["id"], "Does the plant open in March?", accounts["reporter"])
    questions.link_claim(db, question_id, claim_id, "answers_yes", accounts["reporter"])
    development_id = developments.create_development(db, story["id"], "The plant opens", accounts["reporter"])
    extraction.create_candidates(db, revision_id)
    [candidate_id] = [r[0] for r in db.execute("SELECT id FROM candidates")]
    victim = users.add_user(db, "victim", "victim-password", "reporter")
    subscription = subscriptions.save(db, accounts["reporter"], {"kinds": ["ruling"]})
    destination = destinations.add(db, accounts["reporter"], "Desk Slack", "slack://T1JJ3T3L2/A1BRTD4JD/TIiajkdnlazkc")
    db.execute(
        "INSERT INTO publish_log (at, claims, added, removed, status_changed, text_changed) "
        "VALUES ('now', 0, 0, 0, 0, 0)"
    )
    db.conn.commit()
    tokens = {role: users.create_token(db, role) for role in ("reporter", "editor", "admin")}
    token_ids = {
        role: db.execute("SELECT max(id) FROM api_tokens WHERE user_id = ?", [accounts[role]["id"]]).fetchone()[0]
        for role in tokens
    }
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    world = {
        "slug": story["slug"],
        "claim_id": claim_id,
        "coverage_id": item,
        "revision_id": revision_id,
        "source_id": source["id"],
        "question_id": question_id,
        "development_id": development_id,
        "candidate_id": candidate_id,
        "subscription_id": subscription["id"],
        "destination_id": destination["id"],
        "capture_id": capture_id,
        "page": 1,
        "page_id": 1,
        "user_id": victim["id"],
        "log_id": 1,
        "filename": "editor.css",
        "token": "1.AAAAAAAAAAAAAAAAAAAAAAAA",  # an unsubscribe link's: made up, so it stops nothing
        "tokens": tokens,
        "token_ids": token_ids,
    }
    return path, world


@pytest.fixture(scope="module")
def matrix_app(template, tmp_path_factory):
    """One app for the whole matrix (building one per test would dominate its time); its file is reset per test."""
    working = tmp_path_factory.mktemp("access-app") / "tracker.db"
    shutil.copy(template[0], working)
    return create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "matrix",
            "DATABASE": str(working),
            "PUBLIC_DB": str(working.with_name("public.db")),
            "RATELIMIT_ENABLED": False,
        }
    )


@pytest.fixture
def world(template, matrix_app) -> dict:
    working = Path(matrix_app.config["DATABASE"])
    for suffix in ("-wal", "-shm"):
        working.with_name(working.name + suffix).unlink(missing_ok=True)
    shutil.copy(template[0], working)
    return template[1]


def _url(rule: str, world: dict, role: str) -> str:
    values = {**world, "token_id": world["token_ids"].get(role, 1)}
    url = rule
    for name in (
        "slug",
        "claim_id",
        "coverage_id",
        "source_id",
        "user_id",
        "log_id",
        "token_id",
        "filename",
        "question_id",
        "development_id",
        "candidate_id",
        "subscription_id",
        "destination_id",
        "capture_id",
        "revision_id",
        "page_id",
        "page",
        "token",
    ):
        url = url.replace(f"<int:{name}>", str(values[name])).replace(f"<{name}>", str(values[name]))
        url = url.replace(f"<path:{name}>", str(values[name]))
    assert "<" not in url, f"no sample value for a parameter of {rule}"
    return url


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("endpoint", "method", "rule"), ROUTES, ids=[f"{m} {r}" for _, m, r in ROUTES])
def test_access_matrix(matrix_app, world, endpoint, method, rule, role):
    client = matrix_app.test_client()
    expected = ACCESS.get(endpoint)
    assert expected is not None, f"{endpoint} has no access rule"
    url = _url(rule, world, role)
    is_api = endpoint.startswith("api.")
    headers = {}
    if role != "anonymous":
        if is_api:
            headers["Authorization"] = f"Bearer {world['tokens'][role]}"
        else:
            assert AuthActions(client).login(role).status_code == 302
    if method == "GET":
        response = client.get(url, headers=headers)
    elif is_api:
        response = client.post(url, json={}, headers=headers)
    else:
        token = csrf_from(client.get("/login").get_data(as_text=True)) if role == "anonymous" else _token(client)
        response = client.post(url, data={"csrf_token": token}, headers=headers)
    allowed = role in ALLOWED[expected]
    location = response.headers.get("Location", "")
    if endpoint == "auth.login" and method == "POST":
        # An empty login form is a failed sign-in for anyone signed out; the signed-in are sent home.
        assert response.status_code == (401 if role == "anonymous" else 302)
    elif endpoint == "auth.logout" and role != "anonymous":
        assert response.status_code == 302 and location == "/login"  # signed out, as asked
        assert client.get("/").status_code == 302
    elif allowed:
        assert response.status_code not in (401, 403), (response.status_code, response.get_data(as_text=True)[:300])
        assert not location.startswith("/login"), location
        assert response.status_code < 500
    elif role == "anonymous":
        if is_api:
            assert response.status_code == 401
            assert response.is_json and response.get_json()["message"]
        else:
            assert response.status_code == 302 and location.startswith("/login"), (response.status_code, location)
    else:
        assert response.status_code == 403, response.status_code
        if is_api:
            assert response.get_json()["message"]


def _token(client) -> str:
    return csrf_from(client.get("/account").get_data(as_text=True))


def test_reporters_see_neither_ruling_nor_publishing_controls(matrix_app, world):
    client = matrix_app.test_client()
    auth = AuthActions(client)
    auth.login("reporter")
    for path in (
        "/",
        f"/stories/{world['slug']}",
        f"/stories/{world['slug']}/dashboard",
        f"/claims/{world['claim_id']}",
    ):
        html = client.get(path).get_data(as_text=True)
        assert 'href="/publish"' not in html, path
        assert "/status" not in html, path
        assert "Publish now" not in html, path
        assert "Mark publishable" not in html, path
        assert 'href="/admin/users"' not in html, path
    auth.logout()
    auth.login("editor")
    html = client.get(f"/claims/{world['claim_id']}").get_data(as_text=True)
    assert f'action="/claims/{world["claim_id"]}/status"' in html
    assert 'href="/publish"' in html
    assert 'href="/admin/users"' not in html
