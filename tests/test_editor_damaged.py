"""A damaged working database (a page SQLite finds malformed) met by the editor's pages and the API: said in one
line, what is wrong and what to do, never the bare "Something went wrong" of an unexpected error."""

from __future__ import annotations

import contextlib
import html
import os
import sqlite3
from pathlib import Path

import pytest

from tests.conftest import AuthActions, csrf_from
from tests.test_read_only import _working_database
from tracker import users
from tracker.db import connect


@pytest.fixture
def damaged(tmp_path):
    """An editor app on a working database whose claims table is damaged (its schema, users and stories read), an
    editor signed in, and an API token of hers."""
    return _signed_in_over(tmp_path, "claims")


def _signed_in_over(tmp_path: Path, table: str) -> tuple:
    """The test client of an editor signed in over a working database whose `table` is damaged, and her API token."""
    from tracker.editor import create_app

    db_path = tmp_path / "tracker.db"
    _working_database(db_path)
    with contextlib.closing(connect(db_path)) as db:
        token = users.create_token(db, "edith")
    Path(f"{db_path}-lock").unlink(missing_ok=True)
    _damage_table(db_path, table)
    app = create_app(
        {"TESTING": True, "SECRET_KEY": "k", "DATABASE": str(db_path), "PUBLIC_DB": str(tmp_path / "public.db")}
        | {"RATELIMIT_ENABLED": False}
    )
    client = app.test_client()
    assert AuthActions(client).login("edith", "correct-horse-battery").status_code == 302
    return client, token


def _damage_table(db_path: Path, table: str) -> None:
    """Overwrite the page `table` starts on, as _damage_working_claims does the claims table's: the file opens and
    its schema reads, and reading that table fails with "database disk image is malformed"."""
    with contextlib.closing(sqlite3.connect(db_path)) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", [table]).fetchone()[0]
        size = conn.execute("PRAGMA page_size").fetchone()[0]
    with open(db_path, "r+b") as f:
        f.seek(size * (root - 1))
        f.write(b"\xff" * size)


def _said(page: str) -> str:
    return " ".join(html.unescape(page.split('class="lede">')[1].split("</p>")[0]).split())


@pytest.mark.parametrize("url", ["/stories/acme", "/stories/acme?q=toaster", "/claims/1", "/claims/1/edit"])
def test_a_page_over_a_damaged_database_says_so_in_one_line(damaged, url):
    """Every page reading the damaged table was a 500, "The editor hit an unexpected problem ... Try again in a
    moment": trying again meets the same damaged page. It is a 503 saying the database is damaged, and to tell
    whoever runs the tracker (who reads SQLite's own words and the way to restore it beneath)."""
    client, _ = damaged
    response = client.get(url)
    page = response.get_data(as_text=True)
    assert response.status_code == 503, page[:300]
    said = _said(page)
    assert "damaged" in said and "tell whoever runs the tracker" in said.lower(), said
    assert said.count(". ") == 0 and "Try again in a moment" not in said, said
    assert "Traceback" not in page and "malformed" in html.unescape(page) and "backup" in html.unescape(page)


def test_a_claim_typed_over_a_damaged_database_comes_back_on_the_page(damaged):
    client, _ = damaged
    token = csrf_from(client.get("/stories/acme/claims/new").get_data(as_text=True))
    typed = {"text": "Acme knew of the faulty thermostats in May.", "claimant": "Acme", "claimant_type": "organization"}
    response = client.post("/stories/acme/claims/new", data={**typed, "csrf_token": token})
    page = response.get_data(as_text=True)
    assert response.status_code == 503, page[:300]
    assert "damaged" in _said(page) and "this change was not saved" in _said(page), _said(page)
    assert typed["text"] in page  # to copy, and send again once it is restored


@pytest.mark.parametrize("path", ["/api/stories/acme/claims", "/api/claims/1", "/api/stories/acme/latest"])
def test_an_api_read_of_a_damaged_database_is_a_503_in_one_line(damaged, path):
    client, token = damaged
    response = client.get(path, headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 503, response.get_data(as_text=True)[:300]
    message = response.get_json()["message"]
    assert "damaged" in message and "whoever runs the tracker" in message and "\n" not in message, message


def test_the_damage_is_real(damaged, tmp_path):
    with contextlib.closing(sqlite3.connect(tmp_path / "tracker.db")) as conn, pytest.raises(sqlite3.DatabaseError):
        conn.execute("SELECT * FROM claims").fetchall()


@pytest.mark.parametrize("table", ["alert_notifications", "alert_audience_members"])
def test_a_damaged_alerts_table_leaves_out_the_header_badge_not_every_page(tmp_path, table):
    """Every signed-in page counts the header's unread notifications, and so did the page saying the database is
    damaged: with an alerts table damaged, every page (that one too) failed past every handler, a bare "Internal
    Server Error". A page whose own rows read is shown without the badge; the notifications page, reading those
    rows itself, says the database is damaged in one line, as every page meeting the damage does."""
    client, _ = _signed_in_over(tmp_path, table)
    story = client.get("/stories/acme")
    assert story.status_code == 200 and "Acme recalls toasters" in story.get_data(as_text=True)
    assert "alert-badge" not in story.get_data(as_text=True)
    inbox = client.get("/alerts")
    page = inbox.get_data(as_text=True)
    assert inbox.status_code == 503, page[:300]
    said = _said(page)
    assert "damaged" in said and "tell whoever runs the tracker" in said.lower() and ". " not in said, said


def _users_damaged(db_path: Path) -> None:
    _damage_table(db_path, "users")


def _users_dropped(db_path: Path) -> None:
    with contextlib.closing(sqlite3.connect(db_path)) as conn:
        conn.execute("PRAGMA foreign_keys = OFF")
        conn.execute("DROP TABLE users")
        conn.commit()


def _not_a_database(db_path: Path) -> None:
    """The file overwritten with random bytes after the editor started, its -wal and -shm gone with the old file."""
    db_path.write_bytes(os.urandom(40960))
    for suffix in ("-wal", "-shm"):
        Path(f"{db_path}{suffix}").unlink(missing_ok=True)


@pytest.mark.parametrize("damage", [_users_damaged, _users_dropped, _not_a_database])
def test_a_sign_in_over_an_unreadable_users_table_says_it_could_not_be_checked(tmp_path, damage):
    """Signing in when the accounts could not be read (their table damaged or gone, or the file damaged after the
    editor started) said "this change was not saved" (damaged) or "The editor hit an unexpected problem" (the table
    gone): a sign-in saves nothing anyone typed, and trying again meets the same file. It says the sign-in could
    not be checked because the database cannot be read, to tell whoever runs the tracker (who reads SQLite's words
    and the check or restore to run beneath), in one line, a 503."""
    from tracker.editor import create_app

    db_path = tmp_path / "tracker.db"
    _working_database(db_path)
    app = create_app(
        {"TESTING": True, "SECRET_KEY": "k", "DATABASE": str(db_path), "PUBLIC_DB": str(tmp_path / "public.db")}
        | {"RATELIMIT_ENABLED": False}
    )
    client = app.test_client()
    form = client.get("/login").get_data(as_text=True)
    damage(db_path)
    sent = {"username": "edith", "password": "correct-horse-battery", "csrf_token": csrf_from(form)}
    response = client.post("/login", data=sent)
    page = response.get_data(as_text=True)
    assert response.status_code == 503, page[:300]
    said = _said(page)
    assert "sign-in could not be checked" in said and "database cannot be read" in said, said
    assert "tell whoever runs the tracker" in said and "not saved" not in said and ". " not in said, said
    detail = html.unescape(page.split('class="error-detail">')[1].split("</p>")[0])
    assert "sqlite3 " in detail and ("integrity_check" in detail or "backup" in detail), detail
    assert "Traceback" not in page and "correct-horse-battery" not in page


def test_sign_ins_the_accounts_could_not_be_read_for_are_no_guesses_for_the_sign_in_limits(tmp_path):
    """A sign-in refused because the accounts could not be read was counted as a failed one: the sixth try said
    "too many attempts" instead of what was wrong, to the reporter and to whoever came to look. Nothing was
    checked, so nothing was guessed."""
    from tracker.editor import create_app

    db_path = tmp_path / "tracker.db"
    _working_database(db_path)
    app = create_app(
        {"TESTING": True, "SECRET_KEY": "k", "DATABASE": str(db_path), "PUBLIC_DB": str(tmp_path / "public.db")}
        | {"LOGIN_LIMIT_PER_ADDRESS": "2/minute", "LOGIN_LIMIT_PER_ACCOUNT_ADDRESS": "2/minute"}
    )
    client = app.test_client()
    form = client.get("/login").get_data(as_text=True)
    _users_damaged(db_path)
    sent = {"username": "edith", "password": "correct-horse-battery", "csrf_token": csrf_from(form)}
    statuses = [client.post("/login", data=sent).status_code for _ in range(4)]
    assert statuses == [503, 503, 503, 503], statuses
