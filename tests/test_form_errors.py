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
    assert_field_refused(soup, "slug", "The short name 'Not A Short Name' cannot be used")
    assert "slug" not in soup.find(id="slug-error").get_text()
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


def _claim_with_evidence(db, story, accounts) -> tuple[int, int]:
    from tests.test_editor_workflow import claim_with_evidence

    return claim_with_evidence(db, story, accounts["reporter"])


def _rule(client, claim_id: int, **fields: str):
    page = client.get(f"/claims/{claim_id}").get_data(as_text=True)
    version = BeautifulSoup(page, "html.parser").select_one(".ruling-form input[name=version]")["value"]
    return client.post(f"/claims/{claim_id}/status", data={"csrf_token": csrf_from(page), "version": version, **fields})


def test_a_ruling_without_a_rationale_marks_the_rationale(client, auth, db, story, accounts):
    claim_id, evidence_id = _claim_with_evidence(db, story, accounts)
    auth.login("editor")
    soup = refused(
        _rule(client, claim_id, status="denied", evidence_ids=str(evidence_id), public_rationale="For readers"),
        400,
    )
    assert_field_refused(soup, "rationale", "Say why")
    assert soup.select_one("input[name=status][value=denied]").has_attr("checked")
    assert soup.select_one(f"input[name=evidence_ids][value='{evidence_id}']").has_attr("checked")
    assert soup.find(id="public_rationale").get_text() == "For readers"


def test_a_ruling_citing_no_evidence_marks_the_evidence_choices(client, auth, db, story, accounts):
    claim_id, evidence_id = _claim_with_evidence(db, story, accounts)
    auth.login("editor")
    soup = refused(_rule(client, claim_id, status="confirmed", rationale="Two filings agree."), 400)
    box = soup.select_one(f"input[name=evidence_ids][value='{evidence_id}']")
    box["id"] = "cited-box"  # assert_field_refused finds the field by id
    assert_field_refused(soup, "cited-box", "Cite the evidence")
    assert soup.find(id="rationale").get_text() == "Two filings agree."


def test_a_ruling_without_a_status_marks_the_status_choices(client, auth, db, story, accounts):
    claim_id, evidence_id = _claim_with_evidence(db, story, accounts)
    auth.login("editor")
    soup = refused(_rule(client, claim_id, rationale="Two filings agree.", evidence_ids=str(evidence_id)), 400)
    radios = soup.select("input[name=status]")
    assert radios and all(r.get("aria-invalid") == "true" for r in radios)
    radios[0]["id"] = "first-status"
    assert_field_refused(soup, "first-status", "Choose a status")


def test_a_ruling_with_several_problems_marks_every_one_at_once(client, auth, db, story, accounts, tmp_path):
    """A correction sent with no evidence ticked and no public rationale came back saying only the first; the
    editor fixed it, sent again, and only then heard about the second."""
    from tracker import claims
    from tracker.publish_log import publish_and_log

    claim_id, evidence_id = _claim_with_evidence(db, story, accounts)
    claims.set_status(db, claim_id, "unclear", accounts["editor"], "One source", 1, evidence_ids=[evidence_id])
    claims.set_published(db, claim_id, True, accounts["editor"], 2)
    publish_and_log(db, tmp_path / "public.db", accounts["editor"])
    auth.login("editor")
    soup = refused(_rule(client, claim_id, status="confirmed", rationale="Two filings agree."), 400)
    box = soup.select_one(f"input[name=evidence_ids][value='{evidence_id}']")
    assert box.get("aria-invalid") == "true"
    assert "Cite the evidence" in soup.find(id=box["aria-describedby"].split()[0]).get_text()
    public = soup.find(id="public_rationale")
    assert public.get("aria-invalid") == "true"
    assert "this ruling is a correction" in soup.find(id="public_rationale-error").get_text()
    assert {el.get("name") for el in soup.select('[aria-invalid="true"]')} == {"evidence_ids", "public_rationale"}
    summary = soup.select_one("#ruling .alert--error").get_text(" ", strip=True)
    assert "Cite the evidence" in summary and "this ruling is a correction" in summary
    assert [t.get("name") if t else None for t in _summary_targets(soup)] == ["evidence_ids", "public_rationale"]
    assert soup.find(id="rationale").get_text() == "Two filings agree."
    assert soup.select_one("input[name=status][value=confirmed]").has_attr("checked")
    assert len(claims.history(db, claim_id)) == 1  # nothing saved


def _summary_targets(soup: BeautifulSoup) -> list:
    """What each link of the ruling's error message leads to (None where its target is missing)."""
    links = soup.select("#ruling .alert--error a[href^='#']")
    return [soup.find(id=a["href"][1:]) for a in links]


@pytest.mark.parametrize(
    "fields, target",
    [
        ({"status": "denied", "public_rationale": "For readers"}, "rationale"),  # the evidence is added below
        ({"status": "denied", "rationale": "Two filings agree."}, "evidence_ids"),
        ({"rationale": "Two filings agree."}, "status"),
    ],
)
def test_a_refused_rulings_message_leads_to_the_field_to_fix(client, auth, db, story, accounts, fields, target):
    """A ruling refused for one reason said it in words only, and its links for several reasons led to the
    status and evidence by ids nothing had: from the message (where the focus lands), the keyboard had to find
    the field itself."""
    claim_id, evidence_id = _claim_with_evidence(db, story, accounts)
    auth.login("editor")
    if target != "evidence_ids":
        fields = {**fields, "evidence_ids": str(evidence_id)}
    soup = refused(_rule(client, claim_id, **fields), 400)
    targets = _summary_targets(soup)
    assert len(targets) == 1 and targets[0] is not None, soup.select_one("#ruling .alert--error")
    assert targets[0].name in ("input", "textarea") and targets[0].get("name") == target, targets[0]
    assert targets[0].get("aria-invalid") == "true"


def test_a_claim_edit_left_without_its_text_marks_the_text(client, auth, db, story, accounts):
    claim_id, _ = _claim_with_evidence(db, story, accounts)
    auth.login("reporter")
    fields = {"version": "1", "text": " ", "claimant": "Acme", "claimant_type": "organization"}
    soup = refused(post_form(client, f"/claims/{claim_id}/edit", {**fields, "internal_notes": "Kept notes"}))
    assert_field_refused(soup, "text", "Write the claim")
    assert soup.find(id="internal_notes").get_text() == "Kept notes"


def test_a_claim_edit_with_over_long_notes_marks_the_notes(client, auth, db, story, accounts):
    claim_id, _ = _claim_with_evidence(db, story, accounts)
    auth.login("reporter")
    notes = "n" * 20001
    fields = {"version": "1", "text": "Acme's plant is fully funded", "claimant_type": "organization"}
    soup = refused(post_form(client, f"/claims/{claim_id}/edit", {**fields, "internal_notes": notes}))
    assert_field_refused(soup, "internal_notes", "The internal notes are 20,001 characters")
    assert soup.find(id="internal_notes").get_text() == notes


def test_claim_notes_holding_a_nul_are_refused_in_plain_grammar(client, auth, db, story, accounts):
    claim_id, _ = _claim_with_evidence(db, story, accounts)
    auth.login("reporter")
    fields = {"version": "1", "text": "Acme's plant is fully funded", "claimant_type": "organization"}
    soup = refused(post_form(client, f"/claims/{claim_id}/edit", {**fields, "internal_notes": "Call\x00back"}))
    assert_field_refused(soup, "internal_notes", "The internal notes hold a NUL character")


def test_a_new_claim_with_an_over_long_confidential_source_marks_that_field(client, auth, db, story, accounts):
    from tests.test_editor_workflow import QUOTE, add_coverage

    _, revision_id = add_coverage(db, story)
    auth.login("reporter")
    typed = {
        "text": "The plant is funded",
        "claimant": "Acme",
        "claimant_type": "organization",
        "revision_id": str(revision_id),
        "quote": QUOTE,
        "stance": "supports",
        "source_identity": "s" * 2001,
    }
    soup = refused(post_form(client, f"/stories/{story['slug']}/claims/new", typed))
    assert_field_refused(soup, "source_identity", "The confidential source is 2,001 characters")
    assert soup.find(id="quote").get_text() == QUOTE


def test_evidence_with_an_unknown_stance_marks_the_stance_choices(client, auth, db, story, accounts):
    from tests.test_editor_workflow import QUOTE

    claim_id, evidence_id = _claim_with_evidence(db, story, accounts)
    revision_id = db.execute("SELECT revision_id FROM evidence WHERE id = ?", [evidence_id]).fetchone()[0]
    auth.login("reporter")
    typed = {"revision_id": str(revision_id), "quote": QUOTE, "stance": "agrees"}
    page = client.get(f"/claims/{claim_id}").get_data(as_text=True)
    soup = refused(client.post(f"/claims/{claim_id}/evidence", data={**typed, "csrf_token": csrf_from(page)}))
    radios = soup.select("input[name=stance]")
    # The message above the form leads to the choices: its link pointed at an id nothing had.
    link = soup.select_one(".alert--error a[href^='#']")
    assert link is not None and soup.find(id=link["href"][1:]) is radios[0]
    radios[0]["id"] = "first-stance"
    assert_field_refused(soup, "first-stance", "Unknown stance")
    assert soup.find(id="quote").get_text() == QUOTE


def test_a_source_that_is_no_web_address_marks_the_address(client, auth, story):
    auth.login("reporter")
    typed = {"url": "ftp://files.example/feed", "kind": "feed", "outlet": "Example News"}
    soup = refused(post_form(client, f"/stories/{story['slug']}/sources", typed))
    assert_field_refused(soup, "source-url", "is not a web address")
    assert soup.find(id="source-url")["value"] == "ftp://files.example/feed"
    assert soup.find(id="outlet")["value"] == "Example News"


def test_a_statement_source_without_its_organisation_marks_the_outlet(client, auth, story):
    auth.login("reporter")
    typed = {"url": "https://acme.example/press", "kind": "statement", "pattern": "/press/"}
    soup = refused(post_form(client, f"/stories/{story['slug']}/sources", typed))
    assert_field_refused(soup, "outlet", "needs the organisation")
    assert "Outlet or organisation" in soup.find(id="outlet-error").get_text()
    assert "--" not in soup.find(id="outlet-error").get_text()
    assert soup.find(id="pattern")["value"] == "/press/"
    assert soup.select_one("input[name=kind][value=statement]").has_attr("checked")


def test_a_link_pattern_on_a_feed_names_the_kind_as_the_form_shows_it(client, auth, story):
    auth.login("reporter")
    typed = {"url": "https://acme.example/feed.xml", "kind": "feed", "pattern": "/press/"}
    soup = refused(post_form(client, f"/stories/{story['slug']}/sources", typed))
    assert_field_refused(soup, "pattern", "only applies to statement listings")
    message = soup.find(id="pattern-error").get_text()
    assert "Statement listing" in message and "--" not in message


def test_an_official_statement_ticked_on_a_feed_marks_the_box(client, auth, story):
    auth.login("reporter")
    typed = {"url": "https://acme.example/feed.xml", "kind": "feed", "statement": "1"}
    soup = refused(post_form(client, f"/stories/{story['slug']}/sources", typed))
    assert_field_refused(soup, "statement", "Only a web page can be marked as an official statement")
    message = soup.find(id="statement-error").get_text()
    assert "Web page" in message and "--" not in message
    assert soup.find(id="statement").has_attr("checked")


def test_a_story_short_name_already_taken_is_named_as_labelled(client, auth, story):
    auth.login("reporter")
    soup = refused(post_form(client, "/stories/new", {"title": "Another", "slug": story["slug"]}))
    assert_field_refused(soup, "slug", f"A story with the short name '{story['slug']}' already exists")
    assert "slug" not in soup.find(id="slug-error").get_text().replace(story["slug"], "")


def test_a_link_pattern_that_is_no_regular_expression_marks_the_pattern(client, auth, story):
    auth.login("reporter")
    typed = {"url": "https://acme.example/press", "kind": "statement", "outlet": "Acme", "pattern": "(unclosed"}
    soup = refused(post_form(client, f"/stories/{story['slug']}/sources", typed))
    pattern = soup.find(id="pattern")
    assert pattern.get("aria-invalid") == "true"
    assert pattern["value"] == "(unclosed"
    assert soup.find(id="pattern-error") is not None


def test_reporting_dated_in_the_future_marks_the_date(client, auth, story):
    auth.login("reporter")
    typed = {"how": "call", "at": "2999-01-01T10:00", "words": "We will open in March.", "identity": "Jo, press office"}
    soup = refused(post_form(client, f"/stories/{story['slug']}/reporting/new", typed))
    assert_field_refused(soup, "at", "is in the future")
    assert soup.find(id="at")["value"] == "2999-01-01T10:00"
    assert soup.find(id="words").get_text() == "We will open in March."
    assert soup.find(id="identity")["value"] == "Jo, press office"


def test_reporting_without_its_words_marks_the_words(client, auth, story):
    auth.login("reporter")
    typed = {"how": "interview", "at": "2026-01-01T10:00", "words": "  "}
    soup = refused(post_form(client, f"/stories/{story['slug']}/reporting/new", typed))
    assert_field_refused(soup, "words", "Give what was said")


def test_a_post_without_its_handle_marks_the_handle(client, auth, story):
    auth.login("reporter")
    typed = {"url": "https://social.example/acme/1", "handle": " ", "text": "We are hiring 400 people."}
    soup = refused(post_form(client, f"/stories/{story['slug']}/posts/new", typed))
    assert_field_refused(soup, "handle", "Give the author's handle")
    assert soup.find(id="text").get_text() == "We are hiring 400 people."
    assert soup.find(id="url")["value"] == "https://social.example/acme/1"


def test_a_weak_new_password_marks_the_new_password(client, auth):
    from tests.conftest import PASSWORD

    auth.login("reporter")
    typed = {"current": PASSWORD, "new": "passwordpassword", "confirm": "passwordpassword"}
    soup = refused(_change_password(client, typed))
    assert_field_refused(soup, "new", "Choose a harder password")


def test_new_passwords_that_differ_mark_the_second_one(client, auth):
    from tests.conftest import PASSWORD

    auth.login("reporter")
    typed = {"current": PASSWORD, "new": "amber otter violin lantern", "confirm": "amber otter violin lanter"}
    assert_field_refused(refused(_change_password(client, typed)), "confirm", "The two new passwords differ")


def _change_password(client, typed: dict):
    page = client.get("/account").get_data(as_text=True)
    return client.post("/account/password", data={**typed, "csrf_token": csrf_from(page)})


def test_a_person_added_with_a_bad_username_marks_the_username(client, auth):
    auth.login("admin")
    soup = refused(post_form(client, "/admin/users", {"username": "jo bloggs!", "role": "editor"}))
    assert_field_refused(soup, "username", "Usernames are 2-40 letters")
    assert soup.find(id="username")["value"] == "jo bloggs!"
    assert soup.select_one("input[name=role][value=editor]").has_attr("checked")


def test_an_empty_question_marks_its_box(client, auth, story):
    auth.login("reporter")
    path = f"/stories/{story['slug']}/questions"
    page = client.get(path).get_data(as_text=True)
    soup = refused(client.post(f"{path}/new", data={"text": "  ", "csrf_token": csrf_from(page)}))
    assert_field_refused(soup, "question-text", "Write the question")
    # The other forms on the page, whose fields share the name "text", are not marked.
    assert soup.find(id="dev-text").get("aria-invalid") is None


def test_a_development_with_a_bad_date_marks_the_date(client, auth, story):
    auth.login("reporter")
    page = client.get(f"/stories/{story['slug']}/questions").get_data(as_text=True)
    typed = {"text": "The plant opens", "expected_date": "next week", "expectation": "", "csrf_token": csrf_from(page)}
    soup = refused(client.post(f"/stories/{story['slug']}/developments", data=typed))
    assert_field_refused(soup, "dev-date", "expected date")
    assert soup.find(id="dev-date")["value"] == "next week"
    assert soup.find(id="dev-text")["value"] == "The plant opens"
    assert soup.find(id="question-text").get("aria-invalid") is None


def test_a_development_marked_happened_without_coverage_marks_the_coverage(client, auth, db, story, accounts):
    from tracker import developments

    development_id = developments.create_development(db, story["id"], "The plant opens", accounts["reporter"])
    auth.login("reporter")
    page = client.get(f"/stories/{story['slug']}/questions").get_data(as_text=True)
    typed = {"state": "happened", "state_note": "Opened Monday", "version": "1", "csrf_token": csrf_from(page)}
    soup = refused(client.post(f"/developments/{development_id}/state", data=typed))
    assert_field_refused(soup, f"evidence-{development_id}", "Choose the coverage that shows it happened")
    assert soup.find(id=f"note-{development_id}")["value"] == "Opened Monday"


def test_a_question_edit_with_a_bad_order_marks_the_order(client, auth, db, story, accounts):
    from tracker import questions

    question_id = questions.create_question(db, story["id"], "Will it open?", accounts["reporter"])
    auth.login("reporter")
    typed = {"text": "Will it open in March?", "position": "first", "version": "1"}
    soup = refused(post_form(client, f"/questions/{question_id}/edit", typed))
    assert_field_refused(soup, "position", "The order must be a whole number")
    assert soup.find(id="text").get_text() == "Will it open in March?"


def test_linking_a_claim_number_that_is_no_number_marks_the_number(client, auth, db, story, accounts):
    from tracker import questions

    question_id = questions.create_question(db, story["id"], "Will it open?", accounts["reporter"])
    auth.login("reporter")
    page = client.get(f"/questions/{question_id}").get_data(as_text=True)
    typed = {"claim_number": "twelve", "stance": "context", "version": "1", "csrf_token": csrf_from(page)}
    soup = refused(client.post(f"/questions/{question_id}/claims", data=typed))
    assert_field_refused(soup, "claim_number", "is not a claim number")
    assert soup.find(id="claim_number")["value"] == "twelve"


def test_a_refused_subscription_edit_comes_back_as_the_form_with_what_was_typed(client, auth, db, accounts):
    from tracker.alerts import subscriptions

    sub = subscriptions.save(db, accounts["reporter"], {"kinds": [], "mode": "immediate"})
    auth.login("reporter")
    page = client.get("/account/alerts").get_data(as_text=True)
    typed = {"mode": "immediate", "keywords": "recall, lawsuit", "quiet_start": "22:00", "timezone": "UTC"}
    soup = refused(
        client.post(f"/account/alerts/subscriptions/{sub['id']}", data={**typed, "csrf_token": csrf_from(page)})
    )
    assert "Quiet hours need both a start and an end" in soup.select_one(".alert--error").get_text()
    assert soup.find(id="sub1-keywords")["value"] == "recall, lawsuit"
    assert soup.find(id="sub1-quiet-start")["value"] == "22:00"
    # The subscription's own removal form still points at it.
    assert soup.select_one(f"form[action='/account/alerts/subscriptions/{sub['id']}/delete']")


def test_a_refused_subscription_edit_marks_the_missing_end_of_quiet_hours(client, auth, db, accounts):
    from tracker.alerts import subscriptions

    sub = subscriptions.save(db, accounts["reporter"], {"kinds": [], "mode": "immediate"})
    auth.login("reporter")
    page = client.get("/account/alerts").get_data(as_text=True)
    typed = {"mode": "immediate", "quiet_start": "22:00", "timezone": "UTC"}
    soup = refused(
        client.post(f"/account/alerts/subscriptions/{sub['id']}", data={**typed, "csrf_token": csrf_from(page)})
    )
    assert_field_refused(soup, "sub1-quiet-end", "Quiet hours need both a start and an end")


def test_a_new_subscription_in_an_unknown_time_zone_marks_the_zone(client, auth):
    auth.login("reporter")
    page = client.get("/account/alerts").get_data(as_text=True)
    typed = {"mode": "immediate", "keywords": "recall", "timezone": "Mars/Olympus", "csrf_token": csrf_from(page)}
    soup = refused(client.post("/account/alerts/subscriptions", data=typed))
    assert_field_refused(soup, "new-tz", "Mars/Olympus")
    assert soup.find(id="new-tz")["value"] == "Mars/Olympus"
    assert soup.find(id="new-keywords")["value"] == "recall"


def test_a_destination_without_a_name_marks_the_name(client, auth):
    auth.login("reporter")
    page = client.get("/account/alerts").get_data(as_text=True)
    typed = {"label": " ", "url": "json://hooks.example.org/path", "per_minute": "30", "csrf_token": csrf_from(page)}
    soup = refused(client.post("/account/alerts/destinations", data=typed))
    assert_field_refused(soup, "dest-label", "Name the destination")


def test_a_rate_in_digits_other_than_0_to_9_marks_the_rate(client, auth, db):
    """int() reads any script's digits: "\u0663" (Arabic-Indic three) was taken as 3, a rate nobody saw typed."""
    auth.login("reporter")
    page = client.get("/account/alerts").get_data(as_text=True)
    typed = {"label": "Desk", "url": "json://hooks.example.org/p", "per_minute": "\u0663"}
    typed["csrf_token"] = csrf_from(page)
    soup = refused(client.post("/account/alerts/destinations", data=typed))
    assert_field_refused(soup, "dest-rate", "between 1 and 600")
    assert db.execute("SELECT count(*) FROM alert_destinations").fetchone()[0] == 0


@pytest.mark.parametrize("text", ["\u0663", "\uff13", " 3", "+3", "3_0", "-3", "", None])
def test_whole_numbers_from_people_are_ascii_digits_only(text):
    from tracker.db import TrackerError
    from tracker.editor.forms import form_int, query_id

    assert query_id(text) is None
    with pytest.raises(TrackerError):
        form_int(text)


def test_the_new_password_field_asks_for_the_length_the_server_asks_for(client, auth):
    from tracker.users import MIN_PASSWORD

    auth.login("reporter")
    soup = BeautifulSoup(client.get("/account").get_data(as_text=True), "html.parser")
    for field_id in ("new", "confirm"):
        assert soup.find(id=field_id)["minlength"] == str(MIN_PASSWORD)
    hint = soup.find(id=soup.find(id="new")["aria-describedby"])
    assert f"At least {MIN_PASSWORD} characters" in hint.get_text()


def test_an_over_long_attribution_comes_back_typed_and_marked(client, auth, db, story, accounts):
    from tracker import reporting

    coverage_id = reporting.log_reporting(
        db, story["id"], how="call", at="2026-01-01T10:00", words="We open in March.", user=accounts["reporter"]
    )
    auth.login("reporter")
    long = "a spokesperson " * 25
    page = client.get(f"/reporting/{coverage_id}").get_data(as_text=True)
    soup = refused(
        client.post(
            f"/reporting/{coverage_id}/attribution",
            data={"attribution": long, "approve": "0", "csrf_token": csrf_from(page)},
        )
    )
    assert_field_refused(soup, "attribution", "Keep the attribution under 300 characters")
    assert soup.find(id="attribution")["value"] == long
    assert soup.select_one(".alert--error[role=alert]") is not None
    assert reporting.get_reporting(db, coverage_id)["attribution"] == ""


def test_reporting_with_an_over_long_attribution_is_refused_not_cut(client, auth, db, story):
    auth.login("reporter")
    long = "a spokesperson " * 25
    typed = {"how": "call", "at": "2026-01-01T10:00", "words": "We open in March.", "attribution": long}
    soup = refused(post_form(client, f"/stories/{story['slug']}/reporting/new", typed))
    assert_field_refused(soup, "attribution", "Keep the attribution under 300 characters")
    assert soup.find(id="attribution")["value"] == long
    assert db.execute("SELECT count(*) FROM reporting").fetchone()[0] == 0


@pytest.mark.parametrize("story_id", ["cranes", "99999999999999999999999", "4242"])
def test_a_new_subscription_for_a_story_not_in_the_list_comes_back_as_the_form(client, auth, db, story_id):
    auth.login("reporter")
    page = client.get("/account/alerts").get_data(as_text=True)
    typed = {"story_id": story_id, "mode": "immediate", "keywords": "recall", "timezone": "UTC"}
    soup = refused(client.post("/account/alerts/subscriptions", data={**typed, "csrf_token": csrf_from(page)}))
    assert_field_refused(soup, "new-story", "Choose a story from the list")
    assert soup.find(id="new-keywords")["value"] == "recall"
    assert db.execute("SELECT count(*) FROM alert_subscriptions").fetchone()[0] == 0


@pytest.mark.parametrize("story_id", ["cranes", "99999999999999999999999", "4242"])
def test_an_edited_subscription_for_a_story_not_in_the_list_comes_back_as_the_form(
    client, auth, db, accounts, story_id
):
    from tracker.alerts import subscriptions

    sub = subscriptions.save(db, accounts["reporter"], {"kinds": [], "mode": "immediate"})
    auth.login("reporter")
    page = client.get("/account/alerts").get_data(as_text=True)
    typed = {"story_id": story_id, "mode": "immediate", "keywords": "recall", "timezone": "UTC"}
    soup = refused(
        client.post(f"/account/alerts/subscriptions/{sub['id']}", data={**typed, "csrf_token": csrf_from(page)})
    )
    assert_field_refused(soup, f"sub{sub['id']}-story", "Choose a story from the list")
    assert soup.find(id=f"sub{sub['id']}-keywords")["value"] == "recall"


@pytest.mark.parametrize("story_id", ["cranes", "99999999999999999999999", "4242", ""])
def test_a_story_default_for_a_story_not_in_the_list_comes_back_as_the_form(client, auth, db, story, story_id):
    auth.login("editor")
    page = client.get("/account/alerts").get_data(as_text=True)
    typed = {"story_id": story_id, "mode": "immediate", "keywords": "recall", "timezone": "UTC"}
    soup = refused(client.post("/account/alerts/defaults", data={**typed, "csrf_token": csrf_from(page)}))
    assert_field_refused(soup, "default-story", "Choose a story from the list")
    assert soup.find(id="default-keywords")["value"] == "recall"
    assert db.execute("SELECT count(*) FROM alert_subscriptions").fetchone()[0] == 0


@pytest.mark.parametrize(
    "query, field_id, says",
    [
        ({"since": "last week"}, "since", "must be a date like 2026-11-24"),
        ({"until": "soon"}, "until", "must be a date like 2026-11-24"),
        ({"since": "2026-05-02", "until": "2026-05-01"}, "until", "ends before it starts"),
        ({"evidence": "maybe"}, "evidence", "The evidence filter is"),
        ({"claimant_type": "alien"}, "claimant_type", "Unknown claimant type"),
        ({"sort": "loudest"}, "sort", "Unknown sort"),
    ],
)
def test_a_bad_claims_filter_marks_its_field(client, auth, story, query, field_id, says):
    auth.login("reporter")
    soup = refused(client.get(f"/stories/{story['slug']}", query_string=query), 400)
    assert_field_refused(soup, field_id, says)


def test_a_story_address_that_names_no_story_says_so_in_the_editor_words(client, auth):
    auth.login("reporter")
    response = client.get("/stories/no-such-story")
    assert response.status_code == 404
    text = BeautifulSoup(response.get_data(as_text=True), "html.parser").get_text(" ", strip=True)
    assert "No story has the short name 'no-such-story'" in text
    assert "python -m" not in text and "slug" not in text.replace("no-such-story", "")
