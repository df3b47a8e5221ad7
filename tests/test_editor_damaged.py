"""A damaged working database (a page SQLite finds malformed) met by the editor's pages and the API: said in one
line, what is wrong and what to do, never the bare "Something went wrong" of an unexpected error."""

from __future__ import annotations

import contextlib
import html
import sqlite3
from pathlib import Path

import pytest

from tests.conftest import AuthActions, csrf_from
from tests.test_read_only import _damage_working_claims, _working_database
from tracker import users
from tracker.db import connect


@pytest.fixture
def damaged(tmp_path):
    """An editor app on a working database whose claims table is damaged (its schema, users and stories read), an
    editor signed in, and an API token of hers."""
    from tracker.editor import create_app

    db_path = tmp_path / "tracker.db"
    _working_database(db_path)
    with contextlib.closing(connect(db_path)) as db:
        token = users.create_token(db, "edith")
    Path(f"{db_path}-lock").unlink(missing_ok=True)
    _damage_working_claims(db_path)
    app = create_app(
        {"TESTING": True, "SECRET_KEY": "k", "DATABASE": str(db_path), "PUBLIC_DB": str(tmp_path / "public.db")}
        | {"RATELIMIT_ENABLED": False}
    )
    client = app.test_client()
    assert AuthActions(client).login("edith", "correct-horse-battery").status_code == 302
    return client, token


def _said(page: str) -> str:
    return " ".join(html.unescape(page.split('class="lede">')[1].split("</p>")[0]).split())


@pytest.mark.parametrize("url", ["/stories/acme", "/stories/acme?q=toaster"])
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
