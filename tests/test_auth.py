"""Signing in and the editor's defences: sessions, rate limits, headers, the secret key."""

from __future__ import annotations

import json
import re
import stat
import time

import pytest

from tests.conftest import PASSWORD, AuthActions, csrf_from
from tracker.config import SettingError
from tracker.db import TrackerError, connect, transaction
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


def limited_app(db_path):
    return create_app({"TESTING": True, "SECRET_KEY": "k", "DATABASE": str(db_path), "RATELIMIT_ENABLED": True})


def login_from(app, address: str, username: str, password: str = PASSWORD):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return AuthActions(client).login(username, password)


def test_a_guesser_elsewhere_cannot_lock_the_owner_out(db_path, accounts):
    """Ten wrong passwords from ten addresses used to make the right one from an eleventh get 429."""
    app = limited_app(db_path)
    codes = [login_from(app, f"10.0.0.{i + 1}", "editor", "wrong-password").status_code for i in range(10)]
    assert codes == [401] * 10
    assert login_from(app, "10.0.0.11", "editor").status_code == 302


def test_guessing_one_account_from_one_address_is_slowed_with_retry_after(db_path, accounts):
    app = limited_app(db_path)
    codes = [login_from(app, "10.0.1.1", "editor", "wrong-password") for _ in range(6)]
    assert [r.status_code for r in codes] == [401] * 5 + [429]
    assert int(codes[-1].headers["Retry-After"]) > 0
    assert "Too many attempts" in codes[-1].get_data(as_text=True)
    # Even the right password waits out the window from there; from the owner's own address it works.
    assert login_from(app, "10.0.1.1", "editor").status_code == 429
    assert login_from(app, "10.0.1.2", "editor").status_code == 302


def test_an_ipv6_guesser_counts_as_one_address_across_its_network(db_path, accounts):
    """A subscriber is given a whole /64: counted address by address, a guesser had 2^64 fresh limits."""
    app = limited_app(db_path)
    codes = [login_from(app, f"2001:db8:1:2::{i + 1:x}", "editor", "wrong-password").status_code for i in range(6)]
    assert codes == [401] * 5 + [429]
    wide = [login_from(app, f"2001:db8:1:2:{i + 1:x}::9", f"nobody{i}", "wrong-password") for i in range(5)]
    assert [r.status_code for r in wide] == [401] * 4 + [429]  # ten failures from the network, any accounts
    # Another network, and an IPv4 client, count on their own.
    assert login_from(app, "2001:db8:1:3::1", "editor").status_code == 302
    assert login_from(app, "::ffff:10.0.7.1", "editor", "wrong-password").status_code == 401


def test_the_editor_counts_a_client_s_address_by_the_public_site_s_rule(db_path):
    """An IPv6 client counted by its /64 (an IPv4 one written as IPv6 as that IPv4 address) was one rule written
    twice, in the editor's limit_address and the public site's network_of: one file now, read by both."""
    from tests.test_public_abuse import load_plugin
    from tracker.editor import auth

    public = load_plugin("query_limits.py").network_of
    app = limited_app(db_path)
    for address in ("2001:db8:1:2::7", "::ffff:10.0.7.1", "10.0.7.1", "not an address"):
        with app.test_request_context(environ_base={"REMOTE_ADDR": address}):
            assert auth.limit_address() == public(address), address
    assert auth.network_of.__code__.co_filename == public.__code__.co_filename
    assert public.__code__.co_filename.endswith("client_rate.py")


def _through_proxy(app, forwarded_for: str, username: str, password: str = PASSWORD):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = "10.9.9.9"  # the newsroom's reverse proxy
    client.environ_base["HTTP_X_FORWARDED_FOR"] = forwarded_for
    return AuthActions(client).login(username, password)


def test_behind_a_trusted_proxy_the_login_limits_count_each_client_address(db_path, accounts):
    """Behind a proxy every request came from its address: ten wrong passwords anywhere locked all staff out."""
    from tracker import config

    app = create_app(
        {"TESTING": True, "SECRET_KEY": "k", "DATABASE": str(db_path), "RATELIMIT_ENABLED": True},
        settings=config.Settings(trusted_proxies=1),
    )
    codes = [_through_proxy(app, "203.0.113.7", f"nobody{i}", "wrong").status_code for i in range(11)]
    assert codes == [401] * 10 + [429]
    assert _through_proxy(app, "198.51.100.4", "editor").status_code == 302
    # Only the last hop is believed: an address a client wrote in front of it changes nothing.
    assert _through_proxy(app, "198.51.100.99, 203.0.113.7", "editor").status_code == 429


def test_without_a_trusted_proxy_a_forwarded_address_is_ignored(db_path, accounts):
    app = limited_app(db_path)
    codes = [_through_proxy(app, f"203.0.113.{i}", f"nobody{i}", "wrong").status_code for i in range(11)]
    assert codes == [401] * 10 + [429]  # one address, the connection's, whatever the header says


def test_successful_logins_do_not_count_toward_the_limits(db_path, accounts):
    app = limited_app(db_path)
    assert [login_from(app, "10.0.2.1", "editor").status_code for _ in range(12)] == [302] * 12


def test_a_sign_in_that_offers_an_unsaved_form_does_not_count_as_failed(db_path, accounts):
    """Signing in with a form whose session had ended answers 200 (the form to save), not 302: still a success."""
    client = limited_app(db_path).test_client()
    client.environ_base["REMOTE_ADDR"] = "10.0.2.2"
    unsaved = json.dumps({"path": "/stories/test-story/claims/new", "fields": [["text", "Acme will hire"]]})
    for _ in range(6):
        token = csrf_from(client.get("/login").get_data(as_text=True))
        signed_in = client.post(
            "/login", data={"csrf_token": token, "username": "editor", "password": PASSWORD, "resume": unsaved}
        )
        assert signed_in.status_code == 200 and "Save what you sent" in signed_in.get_data(as_text=True)
        client.post("/logout", data={"csrf_token": csrf_from(signed_in.get_data(as_text=True))})


def test_a_form_carried_through_sign_in_is_still_shown_when_attempts_are_refused(db_path, accounts):
    """Too many wrong passwords: the 429 page still holds what the form sent, to copy or save later."""
    client = limited_app(db_path).test_client()
    unsaved = json.dumps({"path": "/stories/test-story/claims/new", "fields": [["text", "Acme will hire"]]})
    token = csrf_from(client.get("/login").get_data(as_text=True))
    answers = [
        client.post("/login", data={"csrf_token": token, "username": "editor", "password": "wrong", "resume": unsaved})
        for _ in range(6)
    ]
    assert [a.status_code for a in answers] == [401] * 5 + [429]
    refused = answers[-1].get_data(as_text=True)
    assert "Too many attempts" in refused and "Acme will hire" in refused
    assert int(answers[-1].headers["Retry-After"]) > 0


def test_worker_processes_share_the_login_counters(db_path, accounts):
    """Each worker process builds its own app; the limit counts across them all (login_limits.py)."""
    workers = [
        create_app({"TESTING": True, "SECRET_KEY": "k", "DATABASE": str(db_path), "RATELIMIT_ENABLED": True})
        for _ in range(2)
    ]
    codes = [AuthActions(workers[i % 2].test_client()).login(f"nobody{i}", "wrong").status_code for i in range(11)]
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
        ours = ['<script src="/static/editor.js" defer>', '<script src="/static/drafts.js" defer>']
        assert scripts == ours or path == "/login", (path, scripts)
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


@pytest.mark.parametrize("key", ["changeme", "newsroom-tracker-secret", "x" * 31])
def test_a_session_key_short_enough_to_guess_is_refused_before_the_editor_starts(db_path, key):
    """The sign-in page hands anyone a signed cookie; a short key is found from it offline, and with it a cookie
    naming any account (id and session version, small numbers) signs its bearer in as that account."""
    from tracker import config

    with pytest.raises(SettingError, match=rf"is {len(key)} characters.*at least 32.*token_hex"):
        create_app(settings=config.Settings(db=str(db_path), secret_key=key))


def test_a_session_key_of_32_characters_or_the_generated_one_is_taken(db_path, tmp_path):
    from tracker import config

    assert create_app(settings=config.Settings(db=str(db_path), secret_key="k" * 32)).secret_key == "k" * 32
    assert len(instance_secret_key(tmp_path / "instance")) >= 32


def test_session_cookie_is_secure_when_served_over_https(db_path, monkeypatch):
    monkeypatch.setenv("TRACKER_HTTPS", "1")
    app = create_app({"TESTING": True, "SECRET_KEY": "k", "DATABASE": str(db_path)})
    assert app.config["SESSION_COOKIE_SECURE"] is True


def test_session_cookie_is_secure_on_a_request_that_came_over_https_without_the_setting(db_path, accounts):
    """Behind a TLS-terminating proxy (TRACKER_PROXIES) with TRACKER_HTTPS forgotten, the cookie went without
    Secure: a browser sent it on the next plain-HTTP request (a link typed as http://, a redirect), for anyone
    on the network to read and use."""
    from tracker import config

    app = create_app(
        {"TESTING": True, "SECRET_KEY": "k", "DATABASE": str(db_path)}, settings=config.Settings(trusted_proxies=1)
    )
    assert app.config["SESSION_COOKIE_SECURE"] is False
    proxied = app.test_client()
    proxied.environ_base["HTTP_X_FORWARDED_PROTO"] = "https"
    assert "; Secure" in AuthActions(proxied).login("editor").headers["Set-Cookie"]
    plain = app.test_client()  # plain HTTP (a laptop's demo): a Secure cookie would never come back
    assert "Secure" not in AuthActions(plain).login("editor").headers["Set-Cookie"]
    # A client's own header is believed only from a trusted proxy: without TRACKER_PROXIES it changes nothing.
    unproxied = create_app({"TESTING": True, "SECRET_KEY": "k", "DATABASE": str(db_path)}).test_client()
    unproxied.environ_base["HTTP_X_FORWARDED_PROTO"] = "https"
    assert "Secure" not in AuthActions(unproxied).login("editor").headers["Set-Cookie"]


def test_the_editor_asks_browsers_to_keep_to_https_when_served_over_it(db_path, accounts, monkeypatch):
    """Without it, a first visit typed as http:// could be kept on plain HTTP by whoever sits on the
    network, and the password typed into that sign-in page read (the public site already sent it)."""
    plain = create_app({"TESTING": True, "SECRET_KEY": "k", "DATABASE": str(db_path)}).test_client()
    assert "Strict-Transport-Security" not in plain.get("/login").headers
    monkeypatch.setenv("TRACKER_HTTPS", "1")
    client = create_app({"TESTING": True, "SECRET_KEY": "k", "DATABASE": str(db_path)}).test_client()
    client.environ_base["wsgi.url_scheme"] = "https"
    signed_out = client.get("/login")
    assert signed_out.headers["Strict-Transport-Security"] == "max-age=63072000; includeSubDomains"
    AuthActions(client).login("reporter")
    for path in ("/", "/api/stories", "/static/editor.css", "/claims/404404"):
        response = client.get(path)
        assert response.status_code in (200, 404), path
        assert response.headers["Strict-Transport-Security"] == "max-age=63072000; includeSubDomains", path
        response.close()


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


def session_copy(client, app):
    """A second browser holding a copy of client's session cookie, as a thief would."""
    thief = app.test_client()
    cookie = client.get_cookie(app.config["SESSION_COOKIE_NAME"])
    thief.set_cookie(cookie.key, cookie.value)
    return thief


def test_a_copied_session_cookie_stops_working_after_sign_out(app, client, auth, accounts, db):
    auth.login("reporter")
    thief = session_copy(client, app)
    assert thief.get("/account").status_code == 200
    token = csrf_from(thief.get("/account").get_data(as_text=True))
    auth.logout()
    assert thief.get("/account").status_code == 302
    assert thief.post("/account/tokens", data={"csrf_token": token}).status_code == 302
    assert db.execute("SELECT count(*) FROM api_tokens").fetchone()[0] == 0


def test_signing_in_again_after_sign_out_works(client, auth, accounts):
    auth.login("reporter")
    auth.logout()
    assert auth.login("reporter").status_code == 302
    assert client.get("/account").status_code == 200


def test_a_password_change_ends_every_other_session(app, client, auth, accounts):
    auth.login("reporter")
    other = app.test_client()
    AuthActions(other).login("reporter")
    page = client.get("/account").get_data(as_text=True)
    response = client.post(
        "/account/password",
        data={
            "csrf_token": csrf_from(page),
            "current": PASSWORD,
            "new": "lantern-orbit-kettle",
            "confirm": "lantern-orbit-kettle",
        },
    )
    assert response.status_code == 302
    assert client.get("/account").status_code == 200, "the session that changed it goes on"
    assert other.get("/account").status_code == 302


def test_guessing_the_current_password_on_the_account_page_is_slowed_like_signing_in(db_path, accounts):
    """A session left open on a shared machine could try passwords there without limit, to take the account."""
    app = limited_app(db_path)
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = "10.0.3.1"
    assert AuthActions(client).login("reporter").status_code == 302

    def change(current: str):
        token = csrf_from(client.get("/account").get_data(as_text=True))
        new = "lantern-orbit-kettle"
        return client.post(
            "/account/password", data={"csrf_token": token, "current": current, "new": new, "confirm": new}
        )

    codes = [change(f"guess-{i}").status_code for i in range(6)]
    assert codes == [422] * 5 + [429]
    refused = change(PASSWORD)
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0
    assert "Too many attempts" in refused.get_data(as_text=True)
    assert AuthActions(app.test_client()).login("reporter").status_code == 302, "the password was not changed"


def test_a_mistyped_new_password_does_not_count_as_a_guess(db_path, accounts):
    client = limited_app(db_path).test_client()
    assert AuthActions(client).login("reporter").status_code == 302
    for _ in range(7):
        token = csrf_from(client.get("/account").get_data(as_text=True))
        data = {"csrf_token": token, "current": PASSWORD, "new": "lantern-orbit-kettle", "confirm": "lantern-orbit"}
        assert client.post("/account/password", data=data).status_code == 422


def test_a_role_change_or_deactivation_ends_the_accounts_sessions(app, client, auth, accounts, db):
    from tracker import users

    auth.login("reporter")
    users.set_role(db, accounts["reporter"]["id"], "editor")
    assert client.get("/account").status_code == 302
    auth.login("reporter")
    assert client.get("/account").status_code == 200
    users.set_active(db, accounts["reporter"]["id"], False)
    users.set_active(db, accounts["reporter"]["id"], True)
    assert client.get("/account").status_code == 302, "reactivated, but that old session stays ended"


def test_login_renews_the_session_and_its_csrf_token(client, auth, accounts):
    before = csrf_from(client.get("/login").get_data(as_text=True))
    auth.login("reporter")
    assert client.post("/account/tokens", data={"csrf_token": before}).status_code == 400
    after = csrf_from(client.get("/account").get_data(as_text=True))
    assert client.post("/account/tokens", data={"csrf_token": after}).status_code == 200


@pytest.mark.parametrize(
    "password", ["        ", " " * 16, "\t" * 14, "short-pass1", "password1234", "aaaaaaaaaaaaaaaa"]
)
def test_weak_passwords_are_refused(db, password):
    from tracker import users
    from tracker.db import TrackerError

    with pytest.raises(TrackerError):
        users.add_user(db, "newbie", password, "reporter")
    assert db.execute("SELECT count(*) FROM users").fetchone()[0] == 0


def test_a_common_password_is_refused_when_changed_too(client, auth, accounts):
    auth.login("reporter")
    page = client.get("/account").get_data(as_text=True)
    response = client.post(
        "/account/password",
        data={"csrf_token": csrf_from(page), "current": PASSWORD, "new": "123456789012", "confirm": "123456789012"},
    )
    assert response.status_code == 422
    assert "harder password" in response.get_data(as_text=True)


def test_a_new_password_holding_a_control_character_is_refused(client, auth, accounts):
    """The sign-in form cannot type a NUL or an escape: a password holding one would lock its owner out."""
    auth.login("reporter")
    page = client.get("/account").get_data(as_text=True)
    typed = "kettle-lantern\x00orbit-meadow"
    response = client.post(
        "/account/password", data={"csrf_token": csrf_from(page), "current": PASSWORD, "new": typed, "confirm": typed}
    )
    assert response.status_code == 422
    assert "control character" in response.get_data(as_text=True)
    auth.logout()
    assert auth.login("reporter").status_code == 302  # the old password still works


@pytest.mark.parametrize("value", ["a\x00b", "\r\nSet-Cookie: x=1", "\x7f", "\x1b[31m"])
def test_control_characters_in_a_query_parameter_are_a_400(client, auth, accounts, story, value):
    login_page = client.get("/login", query_string={"next": value})
    assert login_page.status_code == 400
    response = client.post(
        "/login",
        query_string={"next": "/" + value},
        data={
            "username": "editor",
            "password": PASSWORD,
            "csrf_token": csrf_from(client.get("/login").get_data(as_text=True)),
        },
    )
    assert response.status_code == 400
    auth.login("editor")
    assert client.get("/stories/test-story", query_string={"q": value}).status_code == 400
    api = client.get("/api/stories/test-story/claims", query_string={"q": value})
    assert api.status_code == 400
    assert "control character" in api.get_json()["message"]


def aged(client, *, seen: float = 0, signed_in: float = 0) -> None:
    """Move the session's clock back, as if its last use and its sign-in were that many seconds earlier."""
    with client.session_transaction() as state:
        state["seen_at"] -= seen
        state["signed_in_at"] -= signed_in


def ended_with(client, response) -> str:
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    return client.get(response.headers["Location"]).get_data(as_text=True)


def test_a_session_unused_longer_than_the_idle_limit_ends(client, auth, accounts):
    auth.login("reporter")
    aged(client, seen=12 * 3600 + 60)
    page = ended_with(client, client.get("/account"))
    assert "You were signed out after 12 hours without use" in page
    assert client.get("/account").status_code == 302  # and stays ended


def test_a_form_sent_or_the_sign_in_opened_after_the_idle_limit_says_why(db_path, accounts, story):
    """Whichever way a person comes back after the idle limit, the sign-in page gives the limit's real value."""
    config = {"TESTING": True, "SECRET_KEY": "k", "DATABASE": str(db_path), "RATELIMIT_ENABLED": False}
    app = create_app({**config, "SESSION_IDLE_SECONDS": 2 * 3600})
    client = app.test_client()
    why = "You were signed out after 2 hours without use"
    AuthActions(client).login("reporter")
    token = csrf_from(client.get("/stories/test-story/claims/new").get_data(as_text=True))
    aged(client, seen=2 * 3600 + 60)
    sent = client.post(
        "/stories/test-story/claims/new",
        data={"csrf_token": token, "text": "Acme will hire", "claimant": "A manager"},
        headers={"Sec-Fetch-Site": "same-origin"},
    )
    assert sent.status_code == 401 and f"{why}, before this was saved" in sent.get_data(as_text=True)

    AuthActions(client).login("reporter")
    aged(client, seen=2 * 3600 + 60)
    refused = client.post("/stories/test-story/claims/new", data={"csrf_token": token, "text": "x"})
    assert f"{why}, so nothing was saved" in ended_with(client, refused)

    AuthActions(client).login("reporter")
    aged(client, seen=2 * 3600 + 60)
    opened = client.get("/login")
    assert opened.status_code == 200 and why in opened.get_data(as_text=True)
    assert why not in client.get("/login").get_data(as_text=True)  # said once, not on every later visit


def test_using_the_editor_keeps_the_session_going(client, auth, accounts):
    auth.login("reporter")
    aged(client, seen=11 * 3600, signed_in=11 * 3600)
    assert client.get("/account").status_code == 200
    aged(client, seen=11 * 3600)  # 22 hours since signing in, 11 since the last page
    assert client.get("/account").status_code == 200


def test_a_session_ends_at_its_longest_life_even_in_use(client, auth, accounts):
    auth.login("reporter")
    aged(client, signed_in=7 * 86400 + 60)
    page = ended_with(client, client.get("/account"))
    assert "You were signed out 7 days after signing in" in page
    assert auth.login("reporter").status_code == 302 and client.get("/account").status_code == 200


def test_a_session_without_its_times_is_no_session(client, auth, accounts):
    auth.login("reporter")
    with client.session_transaction() as state:
        del state["signed_in_at"], state["seen_at"]
    assert client.get("/account").status_code == 302


def test_session_limits_come_from_the_environment(db_path, monkeypatch):
    monkeypatch.setenv("TRACKER_SESSION_IDLE_HOURS", "1.5")
    monkeypatch.setenv("TRACKER_SESSION_MAX_DAYS", "0")
    app = create_app({"TESTING": True, "SECRET_KEY": "k", "DATABASE": str(db_path)})
    assert (app.config["SESSION_IDLE_SECONDS"], app.config["SESSION_MAX_SECONDS"]) == (5400, 0)
    monkeypatch.setenv("TRACKER_SESSION_IDLE_HOURS", "soon")
    with pytest.raises(SettingError, match="TRACKER_SESSION_IDLE_HOURS='soon' is not a number"):
        create_app({"TESTING": True, "SECRET_KEY": "k", "DATABASE": str(db_path)})


def test_zero_means_no_limit(db_path, accounts):
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "k",
            "DATABASE": str(db_path),
            "RATELIMIT_ENABLED": False,
            "SESSION_IDLE_SECONDS": 0,
            "SESSION_MAX_SECONDS": 0,
        }
    )
    client = app.test_client()
    AuthActions(client).login("reporter")
    aged(client, seen=400 * 86400, signed_in=400 * 86400)
    assert client.get("/account").status_code == 200


@pytest.mark.parametrize("username", ["alice\n", "alice\r\n", "\nalice", "al ice"])
def test_a_username_with_a_line_break_or_space_is_refused(db, username):
    """`^...$` let one trailing newline through: "alice\\n" was stored, and no one could sign in as it."""
    from tracker import users

    with pytest.raises(TrackerError, match="Usernames are"):
        users.add_user(db, username, PASSWORD, "reporter")
    assert db.execute("SELECT count(*) FROM users").fetchone()[0] == 0


def test_after_restoring_a_backup_every_session_can_be_ended_even_those_ended_since(
    app, client, auth, accounts, db_path, tmp_path
):
    """A backup keeps each account's session version of its day: restored, it brought back to life the cookies
    signed out (or ended by a password change) since. `users end-sessions --all` moves every version past any
    the lost days handed out, however many that was; adding one would wake a cookie from in between."""
    from click.testing import CliRunner

    from tracker.cli import cli

    auth.login("reporter")
    before_backup = session_copy(client, app)
    backup = tmp_path / "backup.db"
    assert CliRunner().invoke(cli, ["--db", str(db_path), "backup", str(backup)]).exit_code == 0
    auth.logout()
    auth.login("reporter")
    between = session_copy(client, app)
    auth.logout()
    assert before_backup.get("/account").status_code == 302 and between.get("/account").status_code == 302

    restored = create_app(
        {"TESTING": True, "SECRET_KEY": "test-secret", "DATABASE": str(backup), "RATELIMIT_ENABLED": False}
    )
    revived = [session_copy(browser, restored) for browser in (before_backup, between)]
    assert revived[0].get("/account").status_code == 200  # what a restore brings back

    result = CliRunner().invoke(cli, ["--db", str(backup), "users", "end-sessions", "--all"])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "Ended every session of 3 account(s); everyone signs in again."
    assert [browser.get("/account").status_code for browser in revived] == [302, 302]
    signed_in = restored.test_client()
    page = signed_in.get("/login").get_data(as_text=True)
    signed_in.post("/login", data={"username": "reporter", "password": PASSWORD, "csrf_token": csrf_from(page)})
    assert signed_in.get("/account").status_code == 200


@pytest.mark.parametrize(
    ("username", "said"),
    [
        ("", "A username is needed"),
        ("a", "'a' is 1 character long"),
        ("x" * 41, "is 41 characters long"),
        ("josé", "'josé' is not: letters a-z or A-Z only, without accents or spaces"),
    ],
)
def test_a_refused_username_is_told_what_is_wrong_with_it(db, username, said):
    """An empty name was "'' is not: letters a-z or A-Z only, without accents or spaces", and "a" the same: neither
    said that the name was missing or too short."""
    from tracker import users

    with pytest.raises(TrackerError, match="Usernames are 2-40") as refused:
        users.check_new_user(db, username, "reporter")
    assert said in str(refused.value)


@pytest.mark.parametrize("revoke", [True, False])
def test_a_password_change_revokes_the_accounts_api_tokens_when_asked(client, auth, accounts, db, revoke):
    """After a compromise, a token the intruder made must not outlive the new password."""
    from tracker import users

    token = users.create_token(db, "reporter")
    bearer = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/stories", headers=bearer).status_code == 200
    auth.login("reporter")
    page = client.get("/account").get_data(as_text=True)
    assert "Also revoke my 1 API token" in page and 'name="revoke_tokens" value="1" checked' in page
    new = "lantern-orbit-kettle"
    data = {"csrf_token": csrf_from(page), "current": PASSWORD, "new": new, "confirm": new}
    if revoke:
        data["revoke_tokens"] = "1"
    answer = client.post("/account/password", data=data, follow_redirects=True).get_data(as_text=True)
    assert client.get("/api/stories", headers=bearer).status_code == (401 if revoke else 200)
    assert ("1 API token revoked" in answer) is revoke
    assert ("Also revoke my" in answer) is not revoke, "the box shows only while there are tokens"


def test_an_admins_password_reset_can_revoke_the_accounts_api_tokens(client, auth, accounts, db):
    from tracker import users

    tokens = [users.create_token(db, "reporter") for _ in range(2)]
    auth.login("admin")
    page = client.get(f"/admin/users/{accounts['reporter']['id']}").get_data(as_text=True)
    assert "Also revoke reporter's 2 API tokens" in page
    reset = f"/admin/users/{accounts['reporter']['id']}/password"
    kept = client.post(reset, data={"csrf_token": csrf_from(page)})
    assert kept.status_code == 200 and "revoked" not in kept.get_data(as_text=True)
    assert client.get("/api/stories", headers={"Authorization": f"Bearer {tokens[0]}"}).status_code == 200
    answer = client.post(reset, data={"csrf_token": csrf_from(page), "revoke_tokens": "1"}).get_data(as_text=True)
    assert "2 API tokens revoked" in answer
    for token in tokens:
        assert client.get("/api/stories", headers={"Authorization": f"Bearer {token}"}).status_code == 401


def test_revoking_tokens_with_a_password_change_needs_the_csrf_token(client, auth, accounts, db):
    from tracker import users

    token = users.create_token(db, "reporter")
    auth.login("reporter")
    new = "lantern-orbit-kettle"
    refused = client.post(
        "/account/password", data={"current": PASSWORD, "new": new, "confirm": new, "revoke_tokens": "1"}
    )
    assert refused.status_code == 400
    assert client.get("/api/stories", headers={"Authorization": f"Bearer {token}"}).status_code == 200


def test_deactivating_can_revoke_the_accounts_api_tokens_for_good(client, auth, accounts, db):
    """A deactivated account's tokens are refused, but work again on reactivation unless revoked."""
    from tracker import users

    kept, revoked = users.create_token(db, "reporter"), users.create_token(db, "editor")
    auth.login("admin")
    for name, box in (("reporter", {}), ("editor", {"revoke_tokens": "1"})):
        page = client.get(f"/admin/users/{accounts[name]['id']}").get_data(as_text=True)
        assert f"Also revoke {name}'s 1 API token" in page
        data = {"csrf_token": csrf_from(page), "active": "0", **box}
        answer = client.post(f"/admin/users/{accounts[name]['id']}/active", data=data, follow_redirects=True)
        said = answer.get_data(as_text=True)
        assert f"{name} is deactivated and signed out everywhere." in said
        if box:
            assert "1 API token revoked: tools using it are refused." in said and "refused until" not in said
        else:
            assert "Its 1 API token is refused until the account is reactivated." in said
            assert "revoked" not in said
        users.set_active(db, accounts[name]["id"], True)
    assert client.get("/api/stories", headers={"Authorization": f"Bearer {kept}"}).status_code == 200
    assert client.get("/api/stories", headers={"Authorization": f"Bearer {revoked}"}).status_code == 401


OLD_METHOD = "pbkdf2:sha256:600"  # an account whose hash was made before the method new passwords get changed


@pytest.fixture
def hashes_checked(monkeypatch) -> list[str]:
    """The method of every password hash computed from here on, in order (the real hashing still runs)."""
    import werkzeug.security

    real, seen = werkzeug.security._hash_internal, []

    def counted(method: str, salt: str, password: str):
        seen.append(method)
        return real(method, salt, password)

    monkeypatch.setattr(werkzeug.security, "_hash_internal", counted)
    return seen


def _give_old_hash(db, username: str) -> None:
    from werkzeug.security import generate_password_hash

    with transaction(db):
        db.execute(
            "UPDATE users SET password_hash = ? WHERE username = ?",
            [generate_password_hash(PASSWORD, method=OLD_METHOD), username],
        )


def test_a_failed_sign_in_does_the_same_work_for_an_unknown_an_old_and_a_current_account(
    client, auth, accounts, db, hashes_checked
):
    """Timing told apart a username that exists with an older hash: it was checked with its own, slower method."""
    _give_old_hash(db, "reporter")
    work = {}
    for name in ("nobody-here", "reporter", "editor"):
        hashes_checked.clear()
        assert auth.login(name, "wrong-password-entirely").status_code == 401
        work[name] = sorted(hashes_checked)
    assert work["nobody-here"] == work["reporter"] == work["editor"]
    assert sorted(work["editor"]) == sorted(["pbkdf2:sha256:1000", OLD_METHOD]), "one check per method in use"


def test_signing_in_rehashes_an_old_password_hash_and_failures_are_one_check_again(
    client, auth, accounts, db, hashes_checked
):
    _give_old_hash(db, "reporter")
    assert auth.login("reporter").status_code == 302
    stored = db.execute("SELECT password_hash FROM users WHERE username = 'reporter'").fetchone()[0]
    assert stored.startswith("pbkdf2:sha256:1000$")
    auth.logout()
    assert auth.login("reporter").status_code == 302, "the new hash holds the same password"
    auth.logout()
    for name in ("nobody-here", "reporter"):
        hashes_checked.clear()
        assert auth.login(name, "wrong-password-entirely").status_code == 401
        assert hashes_checked == ["pbkdf2:sha256:1000"]
