"""The browser's copy of a typed form is named back to it once a save kept the form, and only then."""

from __future__ import annotations

import pytest

from tests.conftest import csrf_from

NAME = "3f9a0c1d2e4b5a6978c0d1e2"
META = f'<meta name="tracker-saved-draft" content="{NAME}">'


def token(client, path: str) -> str:
    return csrf_from(client.get(path).get_data(as_text=True))


def new_story(client, **changes: str):
    form = {"csrf_token": token(client, "/stories/new"), "title": "Harbour inquiry", "slug": "harbour-inquiry"}
    return client.post("/stories/new", data={**form, "_draft": NAME, **changes})


def test_a_saved_form_names_its_copy_on_the_next_page_once(client, auth, accounts):
    auth.login("reporter")
    saved = new_story(client)
    assert saved.status_code == 302
    assert META in client.get(saved.headers["Location"]).get_data(as_text=True)
    assert "tracker-saved-draft" not in client.get("/").get_data(as_text=True)


@pytest.mark.parametrize(
    "changes",
    [
        {"slug": "Not A Slug!"},  # refused by the form: sent back with the text, the copy stays
        {"_draft": '"><script>alert(1)</script>'},  # not a name the script makes
        {"_draft": "short"},
    ],
)
def test_a_refused_form_or_a_name_the_script_never_makes_names_nothing(client, auth, accounts, changes):
    auth.login("reporter")
    response = new_story(client, **changes)
    follow = client.get(response.headers["Location"]) if response.status_code == 302 else response
    later = client.get("/")
    for html in (response.get_data(as_text=True), follow.get_data(as_text=True), later.get_data(as_text=True)):
        assert "tracker-saved-draft" not in html
        assert "<script>alert(1)" not in html


def test_the_copys_name_is_never_shown_back_as_typed_text(client, auth, accounts):
    auth.login("reporter")
    refused = new_story(client, slug="Not A Slug!")
    assert refused.status_code == 422
    assert NAME not in refused.get_data(as_text=True)
