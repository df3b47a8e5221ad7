"""A form sent after its session ended, or from a page whose security token went stale, is not lost.

Sessions end on purpose (signing out anywhere ends them all, so does a password
or role change), and signing in again in another tab makes the token of every
form already open stale. The reporter's paragraph is shown back and offered to
save once signed in, but only for a post the browser says came from the
editor's own pages: a forged post from another site must not put its text on
the editor's pages, let alone one click away from being saved.
"""

from __future__ import annotations

import html as htmllib
import io
import json
import re

import pytest

from tests.conftest import PASSWORD, csrf_from
from tracker import claims, coverage, users

SAME_ORIGIN = {"Sec-Fetch-Site": "same-origin"}
TYPED = {
    "text": "Acme will hire 4,000 people <b>next year</b>",
    "claimant": "An Acme manager",
    "claimant_type": "anonymous",
    "source_identity": "Sam from logistics",
    "internal_notes": "Met at the trade fair",
    "stance": "supports",
}
NEW_CLAIM = "/stories/test-story/claims/new"


@pytest.fixture
def form_token(client, auth, accounts, story, db) -> str:
    """The reporter signed in and opened the new-claim form; returns the form's token."""
    coverage.upsert_item(db, story["id"], "https://news.example/acme", outlet="News Example", title="Acme")
    auth.login("reporter")
    return csrf_from(client.get(NEW_CLAIM).get_data(as_text=True))


def hidden_fields(page: str) -> dict[str, str]:
    """The hidden inputs of a page, as a browser would send them."""
    found = re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page)
    return {name: htmllib.unescape(value) for name, value in found}


def claim_count(db) -> int:
    return db.execute("SELECT count(*) FROM claims").fetchone()[0]


def test_a_claim_sent_after_the_session_ended_is_saved_once_signed_in_again(client, accounts, form_token, db):
    users.end_sessions(db, accounts["reporter"]["id"])  # signed out on another device
    sent = client.post(NEW_CLAIM, data={"csrf_token": form_token, **TYPED}, headers=SAME_ORIGIN)
    assert sent.status_code == 401
    page = sent.get_data(as_text=True)
    assert "Your session ended before this was saved" in page
    assert "Acme will hire 4,000 people &lt;b&gt;next year&lt;/b&gt;" in page  # shown, escaped
    assert 'action="/login"' in page
    assert claim_count(db) == 0

    carried = hidden_fields(page)
    signed_in = client.post("/login", data={**carried, "username": "reporter", "password": PASSWORD})
    assert signed_in.status_code == 200
    offer = signed_in.get_data(as_text=True)
    assert "Save what you sent" in offer and f'action="{NEW_CLAIM}"' in offer
    assert "Sam from logistics" in offer
    fields = hidden_fields(offer)
    assert fields["csrf_token"] != form_token  # a new session's token
    assert "password" not in fields and "username" not in fields

    saved = client.post(NEW_CLAIM, data=fields)
    assert saved.status_code == 302
    claim = claims.get_claim(db, int(saved.headers["Location"].rsplit("/", 1)[1]))
    assert (claim["text"], claim["source_identity"], claim["internal_notes"]) == (
        TYPED["text"],
        TYPED["source_identity"],
        TYPED["internal_notes"],
    )


def test_a_wrong_password_keeps_the_text_for_the_next_try(client, accounts, form_token, db):
    users.end_sessions(db, accounts["reporter"]["id"])
    page = client.post(NEW_CLAIM, data={"csrf_token": form_token, **TYPED}, headers=SAME_ORIGIN).get_data(as_text=True)
    carried = hidden_fields(page)
    wrong = client.post("/login", data={**carried, "username": "reporter", "password": "not it at all"})
    assert wrong.status_code == 401
    again = wrong.get_data(as_text=True)
    assert "Wrong username or password" in again and "Sam from logistics" in again
    right = client.post("/login", data={**hidden_fields(again), "username": "reporter", "password": PASSWORD})
    assert "Save what you sent" in right.get_data(as_text=True)


@pytest.mark.parametrize(
    "headers",
    [{}, {"Sec-Fetch-Site": "cross-site"}, {"Sec-Fetch-Site": "same-site"}, {"Origin": "https://evil.example"}],
    ids=["no-header", "cross-site", "same-site", "foreign-origin"],
)
def test_a_post_not_from_the_editors_pages_is_not_shown_back(client, accounts, form_token, db, headers):
    users.end_sessions(db, accounts["reporter"]["id"])
    sent = client.post(NEW_CLAIM, data={"csrf_token": form_token, **TYPED}, headers=headers)
    assert sent.status_code == 302 and sent.headers["Location"].endswith("/login")
    login_page = client.get("/login").get_data(as_text=True)
    assert "Sam from logistics" not in login_page and "resume" not in hidden_fields(login_page)
    assert claim_count(db) == 0


def test_origin_of_the_editor_counts_as_its_own_page(client, accounts, form_token, db):
    users.end_sessions(db, accounts["reporter"]["id"])
    sent = client.post(NEW_CLAIM, data={"csrf_token": form_token, **TYPED}, headers={"Origin": "http://localhost"})
    assert sent.status_code == 401 and "Sam from logistics" in sent.get_data(as_text=True)


def test_a_stale_token_offers_to_save_with_a_fresh_one(client, auth, accounts, form_token, db):
    client.post("/logout", data={"csrf_token": form_token})
    auth.login("reporter")  # signed in again (another tab): the open form's token is stale
    sent = client.post(NEW_CLAIM, data={"csrf_token": form_token, **TYPED}, headers=SAME_ORIGIN)
    assert sent.status_code == 400
    page = sent.get_data(as_text=True)
    assert "This form has expired" in page and "Save what you sent" in page
    fields = hidden_fields(page)
    assert fields["csrf_token"] != form_token
    assert claim_count(db) == 0
    assert client.post(NEW_CLAIM, data=fields).status_code == 302
    assert claim_count(db) == 1


def test_a_stale_token_from_another_site_offers_nothing(client, auth, accounts, form_token, db):
    client.post("/logout", data={"csrf_token": form_token})
    auth.login("reporter")
    sent = client.post(NEW_CLAIM, data={"csrf_token": form_token, **TYPED}, headers={"Sec-Fetch-Site": "cross-site"})
    page = sent.get_data(as_text=True)
    assert sent.status_code == 400 and "Sam from logistics" not in page and "Save what you sent" not in page


def test_passwords_are_never_carried(client, accounts, form_token, db):
    users.end_sessions(db, accounts["reporter"]["id"])
    sent = client.post(
        "/account/password",
        data={"csrf_token": form_token, "current": PASSWORD, "new": "a new long passphrase 42", "confirm": "x"},
        headers=SAME_ORIGIN,
    )
    page = sent.get_data(as_text=True)
    assert PASSWORD not in page and "a new long passphrase 42" not in page


@pytest.mark.parametrize(
    "resume",
    [
        "not json",
        json.dumps({"path": "https://evil.example/x", "fields": [["text", "a"]]}),
        json.dumps({"path": "//evil.example/x", "fields": [["text", "a"]]}),
        json.dumps({"path": "/logout", "fields": []}),
        json.dumps({"path": "/login", "fields": [["username", "x"]]}),
        json.dumps({"path": "/api/claims", "fields": [["text", "a"]]}),
        json.dumps({"path": "/stories/test-story", "fields": [["text", "a"]]}),  # no form is sent there
        json.dumps({"path": NEW_CLAIM, "fields": [["text", 5]]}),
        json.dumps({"path": NEW_CLAIM, "fields": "text"}),
        json.dumps([NEW_CLAIM]),
        "[" * 100_000,  # nested deeper than the JSON parser recurses
        '{"path": "/stories/test-story/claims/new", "fields": ' + "[" * 100_000,
    ],
)
def test_a_resume_that_is_not_an_editor_form_is_ignored(client, accounts, resume):
    token = csrf_from(client.get("/login").get_data(as_text=True))
    signed_in = client.post(
        "/login", data={"csrf_token": token, "username": "reporter", "password": PASSWORD, "resume": resume}
    )
    assert signed_in.status_code == 302  # signed in as usual, nothing offered


def test_an_attached_file_is_not_carried_and_the_page_says_so(client, accounts, form_token, db):
    users.end_sessions(db, accounts["reporter"]["id"])
    upload = "/stories/test-story/documents/new"
    sent = client.post(
        upload,
        data={"csrf_token": form_token, "url": "https://example.org/memo", "file": (io.BytesIO(b"memo"), "memo.txt")},
        headers=SAME_ORIGIN,
        content_type="multipart/form-data",
    )
    page = sent.get_data(as_text=True)
    assert sent.status_code == 401 and "https://example.org/memo" in page
    assert "A file attached to the form was not kept: attach it again." in page
    only_a_file = client.post(
        upload,
        data={"csrf_token": form_token, "file": (io.BytesIO(b"memo"), "memo.txt")},
        headers=SAME_ORIGIN,
        content_type="multipart/form-data",
    )
    assert only_a_file.status_code == 302  # nothing typed to keep: the login page says nothing was saved


def test_a_large_upload_after_the_session_ended_is_sent_to_sign_in_not_called_too_large(
    client, accounts, form_token, db
):
    """A document over the editor's 2 MB (an upload route allows more) is not read for a signed-out
    browser: the file could not be carried anyway, and "too large, shorten it" would be untrue."""
    users.end_sessions(db, accounts["reporter"]["id"])
    sent = client.post(
        "/stories/test-story/documents/new",
        data={"csrf_token": form_token, "url": "", "file": (io.BytesIO(b"%PDF-1.4 " + b"x" * 3_000_000), "memo.pdf")},
        headers=SAME_ORIGIN,
        content_type="multipart/form-data",
    )
    assert sent.status_code == 302 and sent.headers["Location"].endswith("/login")


@pytest.mark.parametrize(
    ("path", "sent", "named"),
    [
        (NEW_CLAIM, TYPED, "It was sent to log a new claim in the story test-story."),
        ("/claims/7/evidence", {"quote": "4,000 people"}, "It was sent to add evidence to claim 7."),
        ("/claims/7/status", {"status": "confirmed", "rationale": "Two sources"}, "It was sent to rule on claim 7."),
        ("/stories/test-story/triage/dismiss", {"reason": "Off topic"}, "dismiss a candidate in the story test-story"),
    ],
)
def test_the_offer_to_save_what_was_sent_says_what_the_form_was_for(
    client, accounts, form_token, db, path, sent, named
):
    """ "Save what you sent" with only the fields under it left the reporter guessing which claim a rationale was
    for; the form's address tells, and the page says it in one line."""
    users.end_sessions(db, accounts["reporter"]["id"])
    refused = client.post(path, data={"csrf_token": form_token, **sent}, headers=SAME_ORIGIN)
    signed_in = client.post(
        "/login", data={**hidden_fields(refused.get_data(as_text=True)), "username": "reporter", "password": PASSWORD}
    )
    offer = htmllib.unescape(signed_in.get_data(as_text=True))
    assert "Save what you sent" in offer and named in offer


def test_every_form_the_editor_serves_is_named_in_words(app):
    """A new form left out of FORM_PURPOSES would be offered again under its bare address."""
    from tracker.editor.resume import _NOT_FORMS, FORM_PURPOSES, SECRET_FORMS

    posted = {
        rule.endpoint
        for rule in app.url_map.iter_rules()
        if "POST" in (rule.methods or ()) and not rule.endpoint.startswith(("api.", "bench_floor"))
    }
    assert posted - _NOT_FORMS - SECRET_FORMS - set(FORM_PURPOSES) == set()


def test_a_claim_sent_after_the_session_lapsed_unused_is_offered_too(client, accounts, form_token, db):
    with client.session_transaction() as state:
        state["seen_at"] -= 13 * 3600  # lunch, a long meeting, the night
    sent = client.post(NEW_CLAIM, data={"csrf_token": form_token, **TYPED}, headers=SAME_ORIGIN)
    assert sent.status_code == 401 and "Sam from logistics" in sent.get_data(as_text=True)
    signed_in = client.post(
        "/login", data={**hidden_fields(sent.get_data(as_text=True)), "username": "reporter", "password": PASSWORD}
    )
    assert client.post(NEW_CLAIM, data=hidden_fields(signed_in.get_data(as_text=True))).status_code == 302
    assert claim_count(db) == 1


def test_an_alert_destination_s_address_is_never_shown_back_or_carried(client, accounts, form_token, db):
    """A destination's address holds its token or password: stored encrypted and shown masked everywhere."""
    users.end_sessions(db, accounts["reporter"]["id"])
    secret = "https://hooks.example/services/T000/B000/sekrit-token-42"
    sent = client.post(
        "/account/alerts/destinations",
        data={"csrf_token": form_token, "label": "Desk channel", "url": secret},
        headers=SAME_ORIGIN,
    )
    assert sent.status_code == 302 and sent.headers["Location"].endswith("/login")
    assert secret not in client.get("/login").get_data(as_text=True)


def shown_labels(page: str) -> list[str]:
    """The labels of the read-only boxes a page shows what was sent in."""
    return re.findall(r'<label for="(?:unsaved|typed)-\d+">([^<]*)</label>', page)


def test_what_the_page_set_itself_is_carried_but_not_shown_as_typed(client, auth, accounts, form_token, db):
    """A triage decision sent after its session ended showed "Candidate id 1", "Upto 16", "Next 2" beside the
    rewording, in boxes like those of the words typed: the reporter could not tell what to check. The queue's
    place (hidden fields) and the row a list chose ("Revision id 8") go back with the form, unshown."""
    users.end_sessions(db, accounts["reporter"]["id"])
    accept = "/stories/test-story/triage/accept"
    typed = {
        "candidate_id": "1",
        "upto": "16",
        "next": "2",
        "text": "Staff say they were pushed to invent AI tasks.",
        "claimant": "sources familiar with the situation",
        "claimant_type": "anonymous",
        "revision_id": "8",
    }
    sent = client.post(accept, data={"csrf_token": form_token, **typed}, headers=SAME_ORIGIN)
    assert sent.status_code == 401
    assert shown_labels(sent.get_data(as_text=True)) == ["Text", "Claimant", "Claimant type"]
    assert ">Anonymous source</textarea>" in sent.get_data(as_text=True)  # the words the form offered, not "anonymous"
    signed_in = client.post(
        "/login", data={**hidden_fields(sent.get_data(as_text=True)), "username": "reporter", "password": PASSWORD}
    )
    offer = signed_in.get_data(as_text=True)
    assert "Save what you sent" in offer and shown_labels(offer) == ["Text", "Claimant", "Claimant type"]
    carried = hidden_fields(offer)
    assert {name: carried[name] for name in typed} == typed  # all of it is sent again, as it was sent


def test_a_form_of_only_what_the_page_set_is_still_offered_to_send_again(client, auth, accounts, form_token, db):
    """A button's form (Mark publishable: `published`, `version`) holds nothing typed to show, but is offered as
    before, so the button pressed as the session ended does not need finding again."""
    users.end_sessions(db, accounts["reporter"]["id"])
    sent = client.post(
        "/claims/1/publish", data={"csrf_token": form_token, "published": "1", "version": "3"}, headers=SAME_ORIGIN
    )
    assert sent.status_code == 401 and shown_labels(sent.get_data(as_text=True)) == []
    signed_in = client.post(
        "/login", data={**hidden_fields(sent.get_data(as_text=True)), "username": "reporter", "password": PASSWORD}
    )
    carried = hidden_fields(signed_in.get_data(as_text=True))
    assert (carried["published"], carried["version"]) == ("1", "3")


def test_every_field_kept_unshown_is_one_the_editors_forms_only_set_themselves():
    """resume.SET_BY_THE_PAGE names fields no one types: each is a hidden input wherever a template has it, so a
    box someone types in is never left off the page that shows what they sent."""
    from pathlib import Path

    from tracker.editor import resume

    templates = Path(__file__).resolve().parents[1] / "tracker" / "editor" / "templates"
    boxes = set()
    for template in templates.rglob("*.html"):
        for tag in re.findall(r"<(?:input|select|textarea)\b[^>]*>", template.read_text(), re.S):
            name = re.search(r'name="([^"{]+)"', tag)
            if name and 'type="hidden"' not in tag:
                boxes.add(name[1])
    assert resume.SET_BY_THE_PAGE and not resume.SET_BY_THE_PAGE & boxes
