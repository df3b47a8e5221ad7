"""Signing in and the editor's defences: sessions, rate limits, headers, the secret key."""

from __future__ import annotations

import re
import stat
import time

import pytest

from tests.conftest import PASSWORD, AuthActions, csrf_from
from tracker.db import connect, transaction
from tracker.editor import SECURITY_HEADERS, create_app, instance_secret_key
from tracker.editor.login_limits import TrackerStorage, storage_uri


def test_logout_is_post_only_and_ends_the_session(client, auth, accounts):
    auth.login("reporter")
    assert client.get("/logout").status_code == 405
    assert client.get("/").status_code == 200
    response = auth.logout()
    assert response.status_code == 302
    assert client.get("/").status_code == 302


def test_inactive_user_cannot_log_in_and_is_signed_out(client, auth, accounts, db):
    auth.login("reporter")
    db.execute("UPDATE users SET active = 0 WHERE username = 'reporter'")
    db.conn.commit()
    assert client.get("/").status_code == 302
    assert auth.login("reporter").status_code == 401


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "/\\evil.example"])
def test_login_never_redirects_off_site(client, accounts, target):
    page = client.get("/login").get_data(as_text=True)
    response = client.post(
        "/login",
        query_string={"next": target},
        data={"username": "editor", "password": PASSWORD, "csrf_token": csrf_from(page)},
    )
    assert response.headers["Location"] == "/"


def test_login_returns_to_the_page_asked_for(client, accounts, story):
    first = client.get("/stories/test-story")
    login_page = client.get(first.headers["Location"]).get_data(as_text=True)
    response = client.post(
        first.headers["Location"],
        data={"username": "editor", "password": PASSWORD, "csrf_token": csrf_from(login_page)},
    )
    assert response.headers["Location"] == "/stories/test-story"


def test_login_is_rate_limited_per_address(db_path, tmp_path, accounts):
    app = create_app({"TESTING": True, "SECRET_KEY": "k", "DATABASE": str(db_path), "RATELIMIT_ENABLED": True})
    client = app.test_client()
    auth = AuthActions(client)
    codes = [auth.login(f"nobody{i}", "wrong-password").status_code for i in range(11)]
    assert codes[:10] == [401] * 10
    assert codes[10] == 429
    assert "Too many attempts" in auth.login("editor").get_data(as_text=True)


def test_failed_logins_to_one_account_are_limited_from_any_address(db_path, accounts):
    app = create_app({"TESTING": True, "SECRET_KEY": "k", "DATABASE": str(db_path), "RATELIMIT_ENABLED": True})
    codes = []
    for i in range(11):
        client = app.test_client()
        client.environ_base["REMOTE_ADDR"] = f"10.0.0.{i + 1}"
        codes.append(AuthActions(client).login("editor", "wrong-password").status_code)
    assert codes[:10] == [401] * 10
    assert codes[10] == 429


def test_worker_processes_share_the_login_counters(db_path, accounts):
    """Each worker process builds its own app; the limit counts across them all (login_limits.py)."""
    workers = [
        create_app({"TESTING": True, "SECRET_KEY": "k", "DATABASE": str(db_path), "RATELIMIT_ENABLED": True})
        for _ in range(2)
    ]
    codes = [AuthActions(workers[i % 2].test_client()).login("editor", "wrong").status_code for i in range(11)]
    assert codes == [401] * 10 + [429]


def test_login_counters_end_with_their_window(db_path, accounts):
    storage = TrackerStorage(storage_uri(str(db_path)))
    assert storage.incr("address/10.0.0.9", 60) == 1
    assert storage.incr("address/10.0.0.9", 60) == 2
    assert storage.get("address/10.0.0.9") == 2
    db = connect(db_path)
    with transaction(db):
        db.execute("UPDATE login_limits SET expires_at = 1 WHERE key = 'address/10.0.0.9'")
    assert storage.get("address/10.0.0.9") == 0
    assert storage.incr("address/10.0.0.9", 60) == 1, "an ended window starts again from one"
    assert storage.get_expiry("address/10.0.0.9") > time.time() + 50
    storage.clear("address/10.0.0.9")
    assert storage.get("address/10.0.0.9") == 0
    assert storage.check()


def test_every_response_carries_the_security_headers(client, auth, accounts):
    responses = [client.get("/login"), client.get("/static/editor.css")]
    auth.login("reporter")
    responses += [client.get("/"), client.get("/claims/404404")]
    for response in responses:
        for name, value in SECURITY_HEADERS.items():
            assert response.headers[name] == value
        response.close()
    assert "'unsafe-inline'" not in SECURITY_HEADERS["Content-Security-Policy"]


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>|<script[^>]*>[^<]+</script>", re.I)
EVENT_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.I)


def test_pages_have_no_inline_script_or_style(client, auth, accounts, story):
    auth.login("admin")
    paths = (
        "/login",
        "/",
        "/stories/test-story",
        "/stories/test-story/claims/new",
        "/stories/test-story/dashboard",
        "/stories/test-story/coverage",
        "/stories/test-story/sources",
        "/stories/new",
        "/publish",
        "/admin/users",
        "/account",
    )
    for path in paths:
        html = client.get(path).get_data(as_text=True)
        scripts = re.findall(r"<script[^>]*>", html)
        assert scripts == ['<script src="/static/editor.js" defer>'] or path == "/login", (path, scripts)
        assert not INLINE_SCRIPT.search(html), path
        assert not EVENT_HANDLER.search(html), path
        assert "style=" not in html, path
        assert "<style" not in html, path


def test_session_cookie_is_httponly_and_samesite(client, accounts):
    response = AuthActions(client).login("editor")
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
    assert "Secure" not in cookie


def test_session_cookie_is_secure_when_served_over_https(db_path, monkeypatch):
    monkeypatch.setenv("TRACKER_HTTPS", "1")
    app = create_app({"TESTING": True, "SECRET_KEY": "k", "DATABASE": str(db_path)})
    assert app.config["SESSION_COOKIE_SECURE"] is True


def test_database_path_comes_from_the_environment(tmp_path, monkeypatch):
    path = tmp_path / "from-env.db"
    monkeypatch.setenv("TRACKER_DB", str(path))
    app = create_app({"TESTING": True, "SECRET_KEY": "k"})
    assert app.config["DATABASE"] == str(path)
    assert path.exists()  # created and migrated at startup


def test_secret_key_is_generated_once_and_private(tmp_path):
    instance = tmp_path / "instance"
    key = instance_secret_key(instance)
    assert len(key) == 64
    assert instance_secret_key(instance) == key
    assert stat.S_IMODE((instance / "secret_key").stat().st_mode) == 0o600
