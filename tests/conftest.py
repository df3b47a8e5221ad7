"""Shared fixtures: real SQLite files in temp dirs, the Flask test client, a real local HTTP server."""

from __future__ import annotations

import io
import os
import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

# Cheap password hashing for the suite (production uses scrypt); set before tracker.users is imported.
os.environ.setdefault("TRACKER_PASSWORD_METHOD", "pbkdf2:sha256:1000")
# Alert destinations are sealed with this key, never with one written into the checkout's instance/ folder.
os.environ.setdefault("TRACKER_ALERTS_KEY", "n3d8Z1Cd5bT9m2mQ6Sx0y7V4rKjWq1uHcE5fLpA9gYo=")

from tracker import migrations, stories, users
from tracker.db import connect, transaction

PASSWORD = "correct-horse-battery"


@pytest.fixture(autouse=True)
def fresh_settings() -> Iterator[None]:
    """Each test reads the settings its own environment gives, as a new process would.

    `config.settings()` is read once and kept: a test that set TRACKER_ALLOWED_HOSTS (the alert tests)
    left it in force for every test after it in the same run.
    """
    from tracker import config

    config.settings.cache_clear()
    yield
    config.settings.cache_clear()


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """A migrated working database in a temp dir."""
    path = tmp_path / "tracker.db"
    db = connect(path)
    migrations.apply(db)
    db.close()
    return path


@pytest.fixture
def db(db_path: Path):
    db = connect(db_path)
    yield db
    db.close()


@pytest.fixture
def accounts(db) -> dict[str, dict]:
    """One account per role, all with PASSWORD."""
    return {role: users.add_user(db, role, PASSWORD, role) for role in ("reporter", "editor", "admin")}


@pytest.fixture
def story(db) -> dict:
    return stories.create_story(db, "test-story", "A test story", keywords_include="Acme")


def held_still() -> float:
    """A clock that never moves, for a test's rate limits per client address (make_datasette's and create_app's
    `rate_clock`): a bucket a test empties stays empty however long its requests take. On real time, the public
    site's first visitor's query (which starts the SQL workers) took over 30 s on a loaded machine, a token's worth
    at 2 a minute, and the third was answered."""
    return 0.0


@pytest.fixture
def app_options() -> dict:
    """Keyword arguments of create_app besides the config; a test parametrizes it to give others."""
    return {}


@pytest.fixture
def app(db_path: Path, tmp_path: Path, app_options: dict):
    from tracker.editor import create_app

    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret",
            "DATABASE": str(db_path),
            "PUBLIC_DB": str(tmp_path / "public.db"),
            "RATELIMIT_ENABLED": False,
        },
        **app_options,
    )
    yield app


@pytest.fixture
def client(app):
    return app.test_client()


CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def item_as_then(db, story_id: int, url: str, outlet: str, title: str | None = None) -> int:
    """A coverage item stored as an older schema held it, for tests of upgrades: today's look-up of an item
    (coverage.find_item) reads columns added since, such as fetch_url."""
    return db.execute(
        "INSERT INTO coverage (story_id, canonical_url, kind, outlet, title, first_seen_at) VALUES (?, ?, ?, ?, ?, ?)",
        [story_id, url, "article", outlet, title, "2026-01-01T00:00:00Z"],
    ).lastrowid


def claim_as_then(db, story_id: int, text: str) -> int:
    """A claim stored as an older schema held it, for tests of upgrades: today's `claims.log_claim` also writes
    to tables added since (an alert for the desk in alert_events)."""
    with transaction(db):
        return db.execute(
            """INSERT INTO claims (story_id, text, claimant, claimant_type, created_at, updated_at)
               VALUES (?, ?, '', 'unattributed', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')""",
            [story_id, text],
        ).lastrowid


def csrf_from(html: str) -> str:
    """The CSRF token of the first form on a page, as a browser would submit it."""
    match = CSRF_RE.search(html)
    assert match, "page has no CSRF token"
    return match.group(1)


def upload_document(client, story: dict, data: bytes, name: str):
    """Upload `data` as the document `name` through the story's form, as the signed-in account; the response."""
    page = client.get(f"/stories/{story['slug']}/documents/new")
    return client.post(
        f"/stories/{story['slug']}/documents/new",
        data={"csrf_token": csrf_from(page.get_data(as_text=True)), "file": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


def python_output(code: str) -> str:
    """What `code` prints, run in a fresh interpreter from the checkout.

    For work that must end in bounded time (a regex, a diff, a quote search on hostile text): a
    regression fails at the guard (120 s) instead of hanging the suite.
    """
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, cwd=Path(__file__).parent.parent
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


REVIEWED_RE = re.compile(r'name="reviewed" value="([^"]*)"')


def publish_form(client, page: str | None = None) -> dict:
    """The Publish form as an editor submits it: CSRF token and the digest of the changes the page listed."""
    page = page if page is not None else client.get("/publish").get_data(as_text=True)
    match = REVIEWED_RE.search(page)
    assert match, "the publish page has no review digest"
    return {"csrf_token": csrf_from(page), "reviewed": match.group(1)}


class AuthActions:
    """Log in and out through the real login form, CSRF token included."""

    def __init__(self, client):
        self._client = client

    def login(self, username: str, password: str = PASSWORD):
        page = self._client.get("/login").get_data(as_text=True)
        return self._client.post(
            "/login",
            data={"username": username, "password": password, "csrf_token": csrf_from(page)},
        )

    def logout(self):
        page = self._client.get("/").get_data(as_text=True)
        return self._client.post("/logout", data={"csrf_token": csrf_from(page)})


@pytest.fixture
def auth(client) -> AuthActions:
    return AuthActions(client)


@dataclass
class Route:
    body: bytes
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)


class LocalServer:
    """A real HTTP server on 127.0.0.1 with routes set by each test; records every request."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.requests: list[tuple[str, dict[str, str]]] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - http.server's naming
                server.requests.append((self.path, dict(self.headers)))
                route = server.routes.get(self.path)
                if route is None:
                    self.send_error(404)
                    return
                self.send_response(route.status)
                for k, v in route.headers.items():
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(route.body)))
                self.end_headers()
                self.wfile.write(route.body)

            def log_message(self, *args) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def url(self, path: str) -> str:
        return self.base_url + path

    def route(
        self,
        path: str,
        body: bytes | str,
        status: int = 200,
        content_type: str = "text/html; charset=utf-8",
        **headers: str,
    ) -> str:
        if isinstance(body, str):
            body = body.encode("utf-8")
        self.routes[path] = Route(body, status, {"Content-Type": content_type, **headers})
        return self.url(path)


@pytest.fixture
def http_server() -> Iterator[LocalServer]:
    server = LocalServer()
    server.thread.start()
    yield server
    server.httpd.shutdown()
    server.httpd.server_close()


@pytest.fixture
def site():
    """A fictional news site on 127.0.0.1 whose pages can change between scrape passes (tests/sites.py)."""
    from tests.sites import Site

    server = Site()
    yield server
    server.close()


@pytest.fixture
def alert_settings(monkeypatch):
    """A fresh alerts key, links to a known editor address, and the loopback receivers allowed (alert tests)."""
    from cryptography.fernet import Fernet

    monkeypatch.setenv("TRACKER_ALERTS_KEY", Fernet.generate_key().decode())
    monkeypatch.setenv("TRACKER_EDITOR_URL", "https://editor.example")
    monkeypatch.setenv("TRACKER_ALLOWED_HOSTS", "127.0.0.1")


@pytest.fixture
def smtp():
    """A real SMTP server on 127.0.0.1 (tests/alert_receivers.py)."""
    from tests.alert_receivers import SmtpReceiver

    server = SmtpReceiver()
    yield server
    server.close()


@pytest.fixture
def webhook():
    """A real webhook receiver on 127.0.0.1 (tests/alert_receivers.py)."""
    from tests.alert_receivers import WebhookReceiver

    server = WebhookReceiver()
    yield server
    server.close()
