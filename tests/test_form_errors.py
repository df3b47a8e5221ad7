"""A refused form, as a screen reader reads it: the field the message is about is marked invalid and
described by the message, and what was typed is still there.

Each test sends one of the editor's forms with bad input through the Flask test client and reads the
page that comes back. (Where the focus goes is a browser's business: tests/e2e/test_keyboard.py.)
"""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from tests.conftest import csrf_from

pytestmark = pytest.mark.usefixtures("accounts")


def refused(response, status: int = 422) -> BeautifulSoup:
    assert response.status_code == status, response.get_data(as_text=True)[:2000]
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def assert_field_refused(soup: BeautifulSoup, field_id: str, says: str) -> None:
    """The field is marked invalid and its description (what aria-describedby points at) holds the message."""
    field = soup.find(id=field_id)
    assert field is not None, f"no #{field_id}"
    assert field.get("aria-invalid") == "true", field
    ids = (field.get("aria-describedby") or "").split()
    described = " ".join(soup.find(id=i).get_text(" ", strip=True) for i in ids if soup.find(id=i))
    assert says in described, f"#{field_id} is described by {described!r}"
    marked = [el.get("id") or el.get("name") for el in soup.select('[aria-invalid="true"]')]
    assert {el.get("name") for el in soup.select('[aria-invalid="true"]')} == {field.get("name")}, marked


def post_form(client, path: str, data: dict):
    return client.post(path, data={**data, "csrf_token": csrf_from(client.get(path).get_data(as_text=True))})


def test_a_refused_new_story_marks_the_short_name(client, auth):
    auth.login("reporter")
    soup = refused(post_form(client, "/stories/new", {"title": "Harbour cranes", "slug": "Not A Short Name"}))
    assert_field_refused(soup, "slug", "Invalid slug")
    assert soup.find(id="slug")["value"] == "Not A Short Name"
    assert soup.find(id="title")["value"] == "Harbour cranes"


def test_a_new_story_without_a_title_marks_the_title(client, auth):
    auth.login("reporter")
    soup = refused(post_form(client, "/stories/new", {"title": " ", "description": "Cranes at the port"}))
    assert_field_refused(soup, "title", "A story needs a title")
    assert soup.find(id="description").get_text() == "Cranes at the port"


def test_a_refused_story_edit_marks_the_keyword_list_at_fault(client, auth, story):
    auth.login("editor")
    long = "x" * 500
    soup = refused(
        post_form(
            client,
            f"/stories/{story['slug']}/edit",
            {"title": "A test story", "keywords_include": "Acme", "keywords_exclude": long},
        )
    )
    assert_field_refused(soup, "keywords_exclude", "A keyword is at most")
    assert soup.find(id="keywords_exclude")["value"] == long
