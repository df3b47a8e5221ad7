"""The browser's copy of a typed form is named back to it once a save kept the form, and only then."""

from __future__ import annotations

import io
import re

import pytest

from tests.conftest import csrf_from
from tracker.db import transaction

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


def new_claim(client, story: dict, draft: str = NAME):
    """The new-claim form as drafts.js sends it: the browser's copy named in `_draft`."""
    path = f"/stories/{story['slug']}/claims/new"
    form = {"csrf_token": token(client, path), "_draft": draft, "claimant_type": "organization"}
    return client.post(path, data={**form, "text": "Acme's plant is fully funded", "claimant": "Acme"})


def test_a_claim_sent_twice_from_one_form_is_logged_once(client, auth, accounts, story, db):
    """A double click, or Restore after a save whose answer never arrived: the same copy sent again."""
    auth.login("reporter")
    first = new_claim(client, story)
    again = new_claim(client, story)
    assert first.status_code == again.status_code == 302
    assert again.headers["Location"] == first.headers["Location"]
    assert db.execute("SELECT count(*) FROM claims").fetchone()[0] == 1
    assert "already logged" in client.get(again.headers["Location"]).get_data(as_text=True)


def test_another_form_or_another_account_logs_its_own_claim(client, auth, accounts, story, db):
    auth.login("reporter")
    new_claim(client, story)
    new_claim(client, story, draft="0a1b2c3d4e5f60718293a4b5")
    auth.logout()
    auth.login("editor")
    new_claim(client, story)
    assert db.execute("SELECT count(*) FROM claims").fetchone()[0] == 3


SENT_TWICE = [
    ("/stories/{slug}/questions/new", {"text": "Is the plant funded?"}, "questions"),
    ("/stories/{slug}/developments", {"text": "The plant opens"}, "developments"),
    (
        "/stories/{slug}/reporting/new",
        {"how": "call", "at": "2026-01-01T10:00", "words": "We will open in March.", "identity": "Jo"},
        "coverage",
    ),
    ("/stories/new", {"title": "Harbour inquiry", "description": "Who knew what"}, "stories"),
]


@pytest.mark.parametrize(("path", "form", "table"), SENT_TWICE, ids=[t for _, _, t in SENT_TWICE])
def test_a_story_question_development_or_reporting_sent_twice_from_one_form_is_made_once(
    client, auth, accounts, story, db, path, form, table
):
    auth.login("reporter")
    path = path.format(slug=story["slug"])
    page = "/stories/{slug}/questions".format(**story) if "/stories/" + story["slug"] + "/" in path else path
    page = path if "reporting" in path else page
    before = db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    sent = [client.post(path, data={**form, "csrf_token": token(client, page), "_draft": NAME}) for _ in range(2)]
    assert [s.status_code for s in sent] == [302, 302]
    assert sent[0].headers["Location"] == sent[1].headers["Location"]
    assert db.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == before + 1


def test_a_ruling_or_claim_edit_sent_twice_is_saved_once_not_called_someone_elses_change(
    client, auth, accounts, story, db
):
    """The second send carried the version the first one moved past: it was answered "changed by someone
    else", and sending it again as the page asked recorded the same ruling twice."""
    from tests.test_editor_workflow import claim_with_evidence

    claim_id, evidence_id = claim_with_evidence(db, story, accounts["reporter"])
    auth.login("editor")
    ruling = {"version": "1", "status": "denied", "rationale": "The filing says otherwise", "evidence_ids": evidence_id}
    edit = {"text": "Acme's plant is not funded", "claimant": "Acme", "claimant_type": "organization"}
    for path, form, draft in (
        (f"/claims/{claim_id}/status", ruling, NAME),
        (f"/claims/{claim_id}/edit", {**edit, "version": "2"}, "0a1b2c3d4e5f60718293a4b5"),
    ):
        sent = [client.post(path, data={**form, "csrf_token": token(client, "/"), "_draft": draft}) for _ in range(2)]
        assert [s.status_code for s in sent] == [302, 302], sent[1].get_data(as_text=True)[:300]
        assert sent[1].headers["Location"] == f"/claims/{claim_id}"
        assert "someone else" not in client.get(sent[1].headers["Location"]).get_data(as_text=True)
    assert db.execute("SELECT count(*) FROM status_history WHERE claim_id = ?", [claim_id]).fetchone()[0] == 1
    assert db.execute("SELECT version, text FROM claims WHERE id = ?", [claim_id]).fetchone() == (
        3,
        "Acme's plant is not funded",
    )


def test_a_copy_typed_into_again_after_its_save_is_a_new_claim(client, auth, accounts, story, db):
    """The script keeps a copy's name until a page says it was saved: a new claim typed into that copy
    carries the old name, and must be logged, not sent to the first claim."""
    auth.login("reporter")
    path = f"/stories/{story['slug']}/claims/new"
    first = new_claim(client, story)
    form = {"csrf_token": token(client, path), "_draft": NAME, "claimant_type": "organization"}
    second = client.post(path, data={**form, "text": "The mayor knew in May", "claimant": "City Hall"})
    assert second.headers["Location"] != first.headers["Location"]
    assert db.execute("SELECT count(*) FROM claims").fetchone()[0] == 2


def versioned_edits(db, story: dict, accounts: dict) -> dict[str, tuple[str, dict, str]]:
    """Each versioned edit form but the claim's: its address, what it sends, and the query that reads back
    what it saved (a question's and a development's version; a story has none, so its title)."""
    from tracker import developments, questions, stories

    question_id = questions.create_question(db, story["id"], "Is the plant funded?", accounts["reporter"])
    development_id = developments.create_development(db, story["id"], "The plant opens", accounts["reporter"])
    question_version = f"SELECT version FROM questions WHERE id = {question_id}"
    return {
        "question edit": (
            f"/questions/{question_id}/edit",
            {"text": "Is it paid for?", "version": "1"},
            question_version,
        ),
        "answer": (
            f"/questions/{question_id}/answer",
            {"answer": "Not yet, says the filing.", "version": "1"},
            question_version,
        ),
        "development edit": (
            f"/developments/{development_id}/edit",
            {"text": "The plant opens in March", "version": "1"},
            f"SELECT version FROM developments WHERE id = {development_id}",
        ),
        "story edit": (
            f"/stories/{story['slug']}/edit",
            {"title": "A renamed story", "keywords_include": "Acme", "seen": stories.story_seen(story)},
            f"SELECT title FROM stories WHERE id = {story['id']}",
        ),
    }


@pytest.mark.parametrize("form", ["question edit", "answer", "development edit", "story edit"])
def test_a_question_answer_development_or_story_edit_sent_twice_is_saved_once(client, auth, accounts, story, db, form):
    """The second send of the same copy carried the version (or what the form saw) the first one moved past:
    it was answered "changed by someone else", though it was the same person's same form."""
    path, typed, saved = versioned_edits(db, story, accounts)[form]
    auth.login("editor")
    before = db.execute(saved).fetchone()[0]
    sent = [client.post(path, data={**typed, "csrf_token": token(client, "/"), "_draft": NAME}) for _ in range(2)]
    assert [s.status_code for s in sent] == [302, 302], sent[1].get_data(as_text=True)[:300]
    assert sent[1].headers["Location"] == sent[0].headers["Location"]
    page = client.get(sent[1].headers["Location"]).get_data(as_text=True)
    assert "someone else" not in page
    assert "sent twice" in page
    assert db.execute(saved).fetchone()[0] == ("A renamed story" if form == "story edit" else before + 1)
    # Another copy of the form, opened before that save and typed differently, is still someone else's change.
    other = {k: v + " (other)" if k in ("text", "answer", "title") else v for k, v in typed.items()}
    stale = client.post(path, data={**other, "csrf_token": token(client, "/"), "_draft": "0a1b2c3d4e5f60718293a4b5"})
    assert stale.status_code == 409
    assert "someone else" in stale.get_data(as_text=True)


# --- Without the script: the server names each form it serves ---------------------------------------------------


def form_as_sent(html: str, action: str, **typed: str) -> dict[str, str]:
    """What a browser without script sends from the page's form posting to `action`: its fields as served
    (hidden ones included), with `typed` typed into them."""
    from bs4 import BeautifulSoup

    page = BeautifulSoup(html, "html.parser")
    form = next(f for f in page.find_all("form", method="post") if f.get("action", action) == action)
    sent: dict[str, str] = {}
    for field in form.find_all(["input", "textarea", "select"]):
        name, kind = field.get("name"), field.get("type", "text")
        if (
            not name
            or kind in ("submit", "button", "file")
            or (kind in ("checkbox", "radio") and not field.has_attr("checked"))
        ):
            continue
        if field.name == "textarea":
            sent[name] = field.get_text()
        elif field.name == "select":
            chosen = field.find("option", selected=True) or field.find("option")
            sent[name] = chosen.get("value", chosen.get_text()) if chosen else ""
        else:
            sent[name] = field.get("value", "")
    return {**sent, **typed}


def copy_names(html: str) -> list[str]:
    return re.findall(r'name="_draft" value="([^"]*)"', html)


def served_forms(story: dict, claim_id: int, question_id: int, development_id: int) -> list[tuple[str, int]]:
    """Each page serving a form that makes or edits something once per copy, and how many such forms it has."""
    return [
        ("/stories/new", 1),
        (f"/stories/{story['slug']}/edit", 1),
        (f"/stories/{story['slug']}/claims/new", 1),
        (f"/claims/{claim_id}/edit", 1),
        (f"/claims/{claim_id}", 2),  # the ruling form, evidence
        (f"/stories/{story['slug']}/sources", 1),
        (f"/stories/{story['slug']}/documents/new", 1),
        (f"/stories/{story['slug']}/posts/new", 1),
        (f"/stories/{story['slug']}/questions", 2),  # a question, an expected development
        (f"/questions/{question_id}/edit", 1),
        (f"/questions/{question_id}", 1),  # the answer
        (f"/developments/{development_id}/edit", 1),
        (f"/stories/{story['slug']}/reporting/new", 1),
        ("/account", 2),  # a password change, an API token
        ("/account/alerts", 2),  # an alert destination, a subscription
    ]


def test_every_form_that_makes_or_edits_something_is_served_with_a_name_of_its_own(client, auth, accounts, story, db):
    """The script names a tab's copy; without it the form had no name, and a double click made two."""
    from tests.test_editor_workflow import claim_with_evidence
    from tracker import developments, questions
    from tracker.editor.drafts import DRAFT_NAME

    claim_id, _ = claim_with_evidence(db, story, accounts["reporter"])
    question_id = questions.create_question(db, story["id"], "Is the plant funded?", accounts["reporter"])
    development_id = developments.create_development(db, story["id"], "The plant opens", accounts["reporter"])
    auth.login("editor")
    seen: list[str] = []
    for path, forms in served_forms(story, claim_id, question_id, development_id):
        names = copy_names(client.get(path).get_data(as_text=True))
        assert len(names) == forms, path
        assert all(DRAFT_NAME.fullmatch(n) and len(n) >= 24 for n in names), names
        again = copy_names(client.get(path).get_data(as_text=True))
        if path == "/account":  # the password form: one name in every tab of a session (auth.password_form_name)
            assert again[0] == names[0]
            names, again = names[1:], again[1:]
        seen += names + again  # served again: named anew
    assert len(set(seen)) == len(seen)


def test_a_form_sent_twice_without_the_script_makes_one_story(client, auth, accounts, db):
    auth.login("reporter")
    form = form_as_sent(client.get("/stories/new").get_data(as_text=True), "", title="Harbour inquiry")
    assert form["_draft"]
    sent = [client.post("/stories/new", data=form) for _ in range(2)]
    assert [s.status_code for s in sent] == [302, 302]
    assert sent[0].headers["Location"] == sent[1].headers["Location"]
    assert db.execute("SELECT count(*) FROM stories WHERE title = 'Harbour inquiry'").fetchone()[0] == 1
    assert "already created" in client.get(sent[1].headers["Location"]).get_data(as_text=True)
    # The form opened again is a new copy: the same words sent from it make a second story, as asked.
    again = form_as_sent(client.get("/stories/new").get_data(as_text=True), "", title="Harbour inquiry")
    assert client.post("/stories/new", data=again).status_code == 302
    assert db.execute("SELECT count(*) FROM stories WHERE title = 'Harbour inquiry'").fetchone()[0] == 2


def test_a_claim_and_a_ruling_sent_twice_without_the_script_are_saved_once(client, auth, accounts, story, db):
    from tests.test_editor_workflow import claim_with_evidence

    claim_id, evidence_id = claim_with_evidence(db, story, accounts["reporter"])
    auth.login("editor")
    path = f"/stories/{story['slug']}/claims/new"
    form = form_as_sent(
        client.get(path).get_data(as_text=True),
        "",
        text="The mayor knew in May",
        claimant="City Hall",
        claimant_type="organization",
    )
    assert [client.post(path, data=form).status_code for _ in range(2)] == [302, 302]
    assert db.execute("SELECT count(*) FROM claims WHERE text = 'The mayor knew in May'").fetchone()[0] == 1

    ruling_path = f"/claims/{claim_id}/status"
    ruling = form_as_sent(
        client.get(f"/claims/{claim_id}").get_data(as_text=True),
        ruling_path,
        status="denied",
        rationale="The filing says otherwise",
        evidence_ids=str(evidence_id),
    )
    sent = [client.post(ruling_path, data=ruling) for _ in range(2)]
    assert [s.status_code for s in sent] == [302, 302], sent[1].get_data(as_text=True)[:300]
    assert db.execute("SELECT count(*) FROM status_history WHERE claim_id = ?", [claim_id]).fetchone()[0] == 1


# --- Records of saved copies are kept a week, whoever saves next -------------------------------------------------


def aged(db, days: float, **row: str) -> None:
    """A saved_drafts row as a save `days` ago left it."""
    from datetime import UTC, datetime, timedelta

    from scrapers.timestamps import format_time

    saved_at = format_time(datetime.now(UTC) - timedelta(days=days))
    with db.conn:
        db.execute(
            "INSERT INTO saved_drafts (user_id, name, sent, location, saved_at) VALUES (?, ?, ?, ?, ?)",
            [row["user_id"], row["name"], "0" * 64, "/", saved_at],
        )


def test_a_save_removes_records_a_week_old_of_every_account_not_only_its_own(client, auth, accounts, story, db):
    """An account that stopped saving (someone who left) kept its records for ever: only its own next save
    removed them."""
    aged(db, 8, user_id=accounts["admin"]["id"], name="a" * 24)
    aged(db, 6, user_id=accounts["admin"]["id"], name="b" * 24)
    auth.login("reporter")
    assert new_claim(client, story).status_code == 302
    left = set(db.execute("SELECT user_id, name FROM saved_drafts").fetchall())
    assert left == {(accounts["admin"]["id"], "b" * 24), (accounts["reporter"]["id"], NAME)}


def test_a_save_removes_a_bounded_number_of_old_records_oldest_first(client, auth, accounts, story, db):
    """However many have piled up (an upgrade, a quiet month), one save does a bounded amount of work."""
    from tracker.editor.drafts import EXPIRED_PER_SAVE

    for n in range(EXPIRED_PER_SAVE + 3):
        aged(db, 8 + n, user_id=accounts["admin"]["id"], name=f"{n:024d}")
    auth.login("reporter")
    assert new_claim(client, story).status_code == 302
    left = [r[0] for r in db.execute("SELECT name FROM saved_drafts WHERE user_id = ?", [accounts["admin"]["id"]])]
    assert sorted(left) == [f"{n:024d}" for n in range(3)]  # the oldest went, three are left for the next saves


# --- The same change asked twice: done already, not someone else's change --------------------------------------


def sent_twice(client, path: str, form: dict) -> list:
    """The same button's post, sent twice (a double click, a reload of the post): both responses."""
    return [client.post(path, data={**form, "csrf_token": token(client, "/")}) for _ in range(2)]


def said_done(client, sent: list) -> str:
    """Both sends answered as saved; the page the second one leads to, which says the first had done it."""
    assert [s.status_code for s in sent] == [302, 302], sent[1].get_data(as_text=True)[:400]
    page = client.get(sent[1].headers["Location"]).get_data(as_text=True)
    assert "someone else" not in page
    assert "already" in page.lower()
    return page


@pytest.fixture
def question(db, story, accounts) -> int:
    from tests.test_editor_workflow import claim_with_evidence
    from tracker import questions

    claim_with_evidence(db, story, accounts["reporter"])
    question_id = questions.create_question(db, story["id"], "Is the plant funded?", accounts["reporter"])
    questions.write_answer(db, question_id, "Not yet, says the filing.", accounts["editor"], 1)  # version 2
    return question_id


def test_a_claim_linked_twice_is_linked_once_and_another_stance_on_a_stale_page_is_refused(
    client, auth, accounts, story, db, question
):
    from tests.test_editor_workflow import claim_with_evidence

    claim_id = db.execute("SELECT id FROM claims").fetchone()[0]
    auth.login("reporter")
    link = {"claim_id": str(claim_id), "claim_number": "", "stance": "answers_no", "version": "2"}
    said_done(client, sent_twice(client, f"/questions/{question}/claims", link))
    assert db.execute("SELECT stance FROM question_claims").fetchall() == [("answers_no",)]
    assert db.execute("SELECT version FROM questions WHERE id = ?", [question]).fetchone()[0] == 3
    # The page opened before that link, asking for another stance, or for another claim, was not done: 409.
    other, _ = claim_with_evidence(db, story, accounts["reporter"], text="The mayor knew")
    for stale in ({**link, "stance": "answers_yes"}, {**link, "claim_id": str(other)}):
        refused = client.post(f"/questions/{question}/claims", data={**stale, "csrf_token": token(client, "/")})
        assert refused.status_code == 409
        assert "someone else" in refused.get_data(as_text=True)
    assert db.execute("SELECT claim_id, stance FROM question_claims").fetchall() == [(claim_id, "answers_no")]


def test_a_claim_unlinked_twice_says_it_is_unlinked_and_a_stale_unlink_of_a_linked_claim_is_refused(
    client, auth, accounts, story, db, question
):
    from tests.test_editor_workflow import claim_with_evidence
    from tracker import questions

    claim_id = db.execute("SELECT id FROM claims").fetchone()[0]
    other, _ = claim_with_evidence(db, story, accounts["reporter"], text="The mayor knew")
    questions.link_claim(db, question, claim_id, "context", accounts["reporter"], 2)  # version 3
    questions.link_claim(db, question, other, "context", accounts["reporter"], 3)  # version 4
    auth.login("reporter")
    said_done(client, sent_twice(client, f"/questions/{question}/claims/{claim_id}/unlink", {"version": "4"}))
    assert db.execute("SELECT claim_id FROM question_claims").fetchall() == [(other,)]
    refused = client.post(
        f"/questions/{question}/claims/{other}/unlink", data={"version": "4", "csrf_token": token(client, "/")}
    )
    assert refused.status_code == 409
    assert db.execute("SELECT claim_id FROM question_claims").fetchall() == [(other,)]


def test_a_question_published_twice_is_published_once_but_not_over_words_changed_since(
    client, auth, accounts, db, question
):
    from tracker import questions

    auth.login("editor")
    path = f"/questions/{question}/publish"
    said_done(client, sent_twice(client, path, {"published": "1", "version": "2"}))
    assert db.execute("SELECT published, version FROM questions").fetchone() == (1, 3)
    said_done(client, sent_twice(client, path, {"published": "0", "version": "3"}))
    assert db.execute("SELECT published, version FROM questions").fetchone() == (0, 4)
    # Published by someone else, then its answer rewritten: the button pressed on the page that showed the old
    # answer did not agree to publish the new one.
    questions.set_question_published(db, question, True, accounts["editor"], 4)
    questions.write_answer(db, question, "Yes: the council voted the money.", accounts["editor"], 5)
    refused = client.post(path, data={"published": "1", "version": "4", "csrf_token": token(client, "/")})
    assert refused.status_code == 409
    assert "someone else" in refused.get_data(as_text=True)


def test_a_development_published_twice_is_published_once_but_not_over_words_changed_since(
    client, auth, accounts, story, db
):
    from tracker import developments

    development_id = developments.create_development(db, story["id"], "The plant opens", accounts["reporter"])
    auth.login("editor")
    path = f"/developments/{development_id}/publish"
    said_done(client, sent_twice(client, path, {"published": "1", "version": "1"}))
    assert db.execute("SELECT published, version FROM developments").fetchone() == (1, 2)
    developments.set_development_published(db, development_id, False, accounts["editor"], 2)
    developments.update_development(db, development_id, accounts["editor"], 3, text="The plant opens in May")
    refused = client.post(path, data={"published": "0", "version": "2", "csrf_token": token(client, "/")})
    said = client.post(path, data={"published": "1", "version": "2", "csrf_token": token(client, "/")})
    assert refused.status_code == 302  # withdrawing what is withdrawn: done, whatever its words say now
    assert said.status_code == 409
    assert db.execute("SELECT published, version FROM developments").fetchone() == (0, 4)


def test_a_development_state_sent_twice_is_marked_once_and_another_state_on_a_stale_page_is_refused(
    client, auth, accounts, story, db
):
    from tests.test_editor_workflow import add_coverage
    from tracker import developments

    coverage_id, _ = add_coverage(db, story)
    development_id = developments.create_development(db, story["id"], "The plant opens", accounts["reporter"])
    auth.login("reporter")
    path = f"/developments/{development_id}/state"
    state = {
        "state": "happened",
        "evidence_coverage_id": str(coverage_id),
        "state_note": " Opened on time ",
        "version": "1",
    }
    said_done(client, sent_twice(client, path, state))
    assert db.execute("SELECT state, state_note, version FROM developments").fetchone() == (
        "happened",
        "Opened on time",
        2,
    )
    for stale in ({**state, "state_note": "Opened late"}, {**state, "state": "did_not_happen"}):
        refused = client.post(path, data={**stale, "csrf_token": token(client, "/")})
        assert refused.status_code == 409
        assert "someone else" in refused.get_data(as_text=True)
    assert db.execute("SELECT version FROM developments").fetchone() == (2,)


def test_a_claim_published_twice_is_published_once_but_not_over_words_changed_since(client, auth, accounts, story, db):
    """The second send carried the version the first moved past, and was shown as someone else's change."""
    from tests.test_editor_workflow import claim_with_evidence
    from tracker import claims

    claim_id, _ = claim_with_evidence(db, story, accounts["reporter"])
    auth.login("editor")
    path = f"/claims/{claim_id}/publish"
    said_done(client, sent_twice(client, path, {"published": "1", "version": "1"}))
    assert db.execute("SELECT published, version FROM claims").fetchone() == (1, 2)
    said_done(client, sent_twice(client, path, {"published": "0", "version": "2"}))
    assert db.execute("SELECT published, version FROM claims").fetchone() == (0, 3)
    # Published by someone else, then reworded: the button pressed on the page that showed the old words did not
    # agree to publish the new ones; withdrawing what is withdrawn is done, whatever changed.
    claims.set_published(db, claim_id, True, accounts["editor"], 3)
    claims.update_claim(db, claim_id, accounts["editor"], 4, text="Acme's plant is half funded")
    refused = client.post(path, data={"published": "1", "version": "3", "csrf_token": token(client, "/")})
    assert refused.status_code == 409
    assert "someone else" in refused.get_data(as_text=True)
    claims.set_published(db, claim_id, False, accounts["editor"], 5)
    withdrawn = client.post(path, data={"published": "0", "version": "3", "csrf_token": token(client, "/")})
    assert withdrawn.status_code == 302
    assert db.execute("SELECT published, version FROM claims").fetchone() == (0, 6)


# --- Evidence, sources, documents and posts: made once per copy too ------------------------------------------------

ADDED_TWICE = [
    # (page serving the form, the form's action ("": the page itself), what is typed, a file, table counted)
    ("/claims/{claim_id}", "/claims/{claim_id}/evidence", {"quote": "Acme Widgets said on Monday"}, None, "evidence"),
    ("/stories/{slug}/sources", "", {"url": "https://news.example/feed.xml", "outlet": "News"}, None, "sources"),
    ("/stories/{slug}/documents/new", "", {}, ("memo.txt", b"The council voted the money on 3 May."), "captures"),
    (
        "/stories/{slug}/posts/new",
        "",
        {"url": "https://social.example/@acme/9", "handle": "@acme", "text": "Acme is hiring."},
        ("post.png", b"\x89PNG screenshot"),
        "captures",
    ),
]


@pytest.mark.parametrize(
    ("page", "action", "typed", "upload", "table"), ADDED_TWICE, ids=["evidence", "source", "document", "post"]
)
def test_evidence_a_source_a_document_or_a_post_sent_twice_from_one_form_is_saved_once(
    client, auth, accounts, story, db, page, action, typed, upload, table
):
    """A double click: the second send answered "already a source" (422), or kept a post's screenshot twice."""
    from tests.test_editor_workflow import claim_with_evidence

    claim_id, _ = claim_with_evidence(db, story, accounts["reporter"])
    revision_id = db.execute("SELECT id FROM revisions").fetchone()[0]
    page, action = (p.format(slug=story["slug"], claim_id=claim_id) for p in (page, action))
    auth.login("reporter")
    if table == "evidence":
        typed = {**typed, "revision_id": str(revision_id)}
    form = form_as_sent(client.get(page).get_data(as_text=True), action, **typed)
    assert form["_draft"]
    before = db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    sent = []
    for _ in range(2):
        data = dict(form)
        if upload:
            data["file"] = (io.BytesIO(upload[1]), upload[0])
        sent.append(client.post(action or page, data=data, content_type="multipart/form-data"))
    assert [s.status_code for s in sent] == [302, 302], sent[1].get_data(as_text=True)[:400]
    assert sent[0].headers["Location"] == sent[1].headers["Location"]
    assert db.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == before + 1
    assert "already" in client.get(sent[1].headers["Location"]).get_data(as_text=True)


def test_a_file_attached_twice_from_one_form_is_kept_once(client, auth, accounts, story, db):
    """A double click on Attach kept the same file twice, listed twice under what was received."""
    from tracker import reporting

    post_id, _ = reporting.log_post(
        db, story["id"], url="https://social.example/@acme/9", handle="@acme", text="Acme is hiring.", user=None
    )
    auth.login("reporter")
    action = f"/coverage/{post_id}/attachments"
    form = form_as_sent(client.get(f"/coverage/{post_id}").get_data(as_text=True), action)
    assert form["_draft"]
    sent = [client.post(action, data={**form, "file": (io.BytesIO(b"\x89PNG shot"), "shot.png")}) for _ in range(2)]
    assert [s.status_code for s in sent] == [302, 302]
    assert sent[0].headers["Location"] == sent[1].headers["Location"]
    assert db.execute("SELECT count(*) FROM captures WHERE coverage_id = ?", [post_id]).fetchone()[0] == 1
    assert "already" in client.get(sent[1].headers["Location"]).get_data(as_text=True)


def test_a_subscription_sent_twice_from_one_form_is_saved_once(client, auth, accounts, story, db):
    """A double click on Subscribe made two subscriptions alike: each alert would have reached the desk twice."""
    auth.login("reporter")
    action = "/account/alerts/subscriptions"
    form = form_as_sent(client.get("/account/alerts").get_data(as_text=True), action, story_id=str(story["id"]))
    assert form["_draft"]
    sent = [client.post(action, data=form) for _ in range(2)]
    assert [s.status_code for s in sent] == [302, 302], sent[1].get_data(as_text=True)[:400]
    assert sent[0].headers["Location"] == sent[1].headers["Location"]
    assert db.execute("SELECT count(*) FROM alert_subscriptions WHERE user_id IS NOT NULL").fetchone()[0] == 1
    assert "already" in client.get(sent[1].headers["Location"]).get_data(as_text=True)


@pytest.mark.usefixtures("alert_settings")
def test_a_destination_sent_twice_from_one_form_is_added_once_and_its_address_is_kept_out_of_the_record(
    client, auth, accounts, db
):
    """A double click on Add destination added it twice: each alert went there twice. The record of the send must
    not hold its address, even hashed: it is the destination's token or password (stored only encrypted)."""
    auth.login("reporter")
    action = "/account/alerts/destinations"
    secret = "jsons://127.0.0.1/hooks/sekrit-token-42"
    form = form_as_sent(client.get("/account/alerts").get_data(as_text=True), action, label="Desk", url=secret)
    assert form["_draft"]
    sent = [client.post(action, data=form) for _ in range(2)]
    assert [s.status_code for s in sent] == [302, 302], sent[1].get_data(as_text=True)[:400]
    assert sent[0].headers["Location"] == sent[1].headers["Location"]
    assert db.execute("SELECT count(*) FROM alert_destinations").fetchone()[0] == 1
    assert "already" in client.get(sent[1].headers["Location"]).get_data(as_text=True)
    # Nothing of the address goes into the record: the same served form sent with another one is the same send
    # (its name, new each time the form is served, tells sends apart), and the form opened again adds anew.
    assert client.post(action, data={**form, "url": secret.replace("42", "43")}).status_code == 302
    assert db.execute("SELECT count(*) FROM alert_destinations").fetchone()[0] == 1
    again = form_as_sent(client.get("/account/alerts").get_data(as_text=True), action, label="Desk", url=secret)
    assert client.post(action, data=again).status_code == 302
    assert db.execute("SELECT count(*) FROM alert_destinations").fetchone()[0] == 2


def shown_token(html: str) -> str | None:
    found = re.search(r'<p class="secret"><code>([^<]+)</code>', html)
    return found.group(1) if found else None


def works(client, api_token: str) -> bool:
    fresh = client.application.test_client()
    return fresh.get("/api/stories", headers={"Authorization": f"Bearer {api_token}"}).status_code == 200


def test_a_token_form_sent_twice_makes_one_token_and_shows_it_on_both_answers(client, auth, accounts, db):
    """A double click on Create a token made two: the browser shows the second answer only, so the first token
    worked without anyone having seen it. Both answers now show the one token the form made."""
    auth.login("reporter")
    form = form_as_sent(client.get("/account").get_data(as_text=True), "/account/tokens")
    assert form["_draft"]
    sent = [client.post("/account/tokens", data=form) for _ in range(2)]
    assert [s.status_code for s in sent] == [200, 200]
    first, second = (shown_token(s.get_data(as_text=True)) for s in sent)
    assert first and first == second and works(client, first)
    assert len(users_tokens(db, accounts)) == 1
    assert "already" in sent[1].get_data(as_text=True)
    # The form opened again is a new form: a second token, another secret.
    again = form_as_sent(client.get("/account").get_data(as_text=True), "/account/tokens")
    other = shown_token(client.post("/account/tokens", data=again).get_data(as_text=True))
    assert other and other != first and works(client, other)
    assert len(users_tokens(db, accounts)) == 2


def users_tokens(db, accounts) -> list:
    from tracker import users

    return users.list_tokens(db, accounts["reporter"]["id"])


def test_a_token_form_sent_again_after_its_token_was_revoked_makes_none(client, auth, accounts, db):
    """A reload of the page that showed a token sends its form again: after a revoke (the token leaked, say) that
    brought the revoked token back to life, or made another nobody asked for."""
    auth.login("reporter")
    form = form_as_sent(client.get("/account").get_data(as_text=True), "/account/tokens")
    api_token = shown_token(client.post("/account/tokens", data=form).get_data(as_text=True))
    [row] = users_tokens(db, accounts)
    client.post(f"/account/tokens/{row['id']}/revoke", data={"csrf_token": token(client, "/account")})
    resent = client.post("/account/tokens", data=form)
    assert resent.status_code == 200
    assert shown_token(resent.get_data(as_text=True)) is None
    assert "revoked" in resent.get_data(as_text=True)
    assert users_tokens(db, accounts) == [] and not works(client, api_token)


def test_a_token_form_sent_again_from_another_session_shows_no_secret(client, auth, accounts, db):
    """Signed in again (the form carried over by Save it now, say): the form's token exists, so none is made, and
    its secret is shown only in the session that made it."""
    auth.login("reporter")
    form = form_as_sent(client.get("/account").get_data(as_text=True), "/account/tokens")
    api_token = shown_token(client.post("/account/tokens", data=form).get_data(as_text=True))
    with client.session_transaction() as state:
        state["signed_in_at"] -= 60  # as if signed in a minute earlier: another session of the same account
    resent = client.post("/account/tokens", data=form)
    assert resent.status_code == 200
    page = resent.get_data(as_text=True)
    assert shown_token(page) is None and api_token not in page
    assert "already" in page
    assert len(users_tokens(db, accounts)) == 1 and works(client, api_token)


@pytest.mark.usefixtures("alert_settings")
@pytest.mark.parametrize("what", ["subscription", "destination", "token"])
def test_a_remove_or_revoke_button_sent_twice_says_it_is_done_not_404(client, auth, accounts, story, db, what):
    """A double click on Remove (a subscription, a destination) or Revoke (an API token) answered the second send
    with "not found", an error page for what had just been done."""
    from tracker import users
    from tracker.alerts import destinations, subscriptions

    reporter = accounts["reporter"]
    if what == "subscription":
        made = subscriptions.save(db, reporter, {"story_id": story["id"], "kinds": ["statement_new"]})
        page, action = "/account/alerts", f"/account/alerts/subscriptions/{made['id']}/delete"
    elif what == "destination":
        made = destinations.add(db, reporter, "Desk", "jsons://127.0.0.1/hooks/desk")
        page, action = "/account/alerts", f"/account/alerts/destinations/{made['id']}/delete"
    else:
        users.create_token(db, "reporter")
        [made] = users.list_tokens(db, reporter["id"])
        page, action = "/account", f"/account/tokens/{made['id']}/revoke"
    auth.login("reporter")
    form = form_as_sent(client.get(page).get_data(as_text=True), action)
    assert form["_draft"]
    sent = [client.post(action, data=form) for _ in range(2)]
    assert [s.status_code for s in sent] == [302, 302], sent[1].get_data(as_text=True)[:400]
    assert "already" in client.get(sent[1].headers["Location"]).get_data(as_text=True)
    # Someone else's, or one that never was, is still not found.
    assert client.post(action.replace(f"/{made['id']}/", "/424242/"), data=form).status_code == 404


# --- Accounts: a person added, a password reset or changed, sent twice ------------------------------------------


def signs_in(client, username: str, password: str) -> bool:
    from tests.conftest import AuthActions

    return AuthActions(client.application.test_client()).login(username, password).status_code == 302


def test_a_person_added_twice_from_one_form_is_added_once_and_both_answers_show_the_password(client, auth, accounts):
    """A double click on Add person: the second send was refused ("already exists"), and the password, shown only
    on the first answer, which the browser never shows, was seen by nobody. Both answers now show the one password
    the form set, and it works."""
    auth.login("admin")
    form = form_as_sent(client.get("/admin/users").get_data(as_text=True), "", username="nadia")
    assert form["_draft"]
    sent = [client.post("/admin/users", data=form) for _ in range(2)]
    assert [s.status_code for s in sent] == [200, 200], sent[1].get_data(as_text=True)[:400]
    first, second = (shown_token(s.get_data(as_text=True)) for s in sent)
    assert first and first == second and signs_in(client, "nadia", first)
    assert "already" in sent[1].get_data(as_text=True)
    # The form opened again is a new form: the same name is taken, as ever.
    again = form_as_sent(client.get("/admin/users").get_data(as_text=True), "", username="nadia")
    assert client.post("/admin/users", data=again).status_code == 422


def test_a_person_added_twice_after_their_password_changed_shows_no_stale_password(client, auth, accounts, db):
    """Sent again once the password was changed (the person signed in and changed it, or it was reset), the form's
    password no longer works: the answer says so and offers a reset, and shows no password."""
    from tracker import users

    auth.login("admin")
    form = form_as_sent(client.get("/admin/users").get_data(as_text=True), "", username="nadia")
    first = shown_token(client.post("/admin/users", data=form).get_data(as_text=True))
    users.set_password(db, "nadia", "lantern-orbit-kettle-meadow")
    resent = client.post("/admin/users", data=form)
    page = resent.get_data(as_text=True)
    assert resent.status_code == 200
    assert shown_token(page) is None and first not in page
    assert "already" in page and "Reset password" in page
    assert signs_in(client, "nadia", "lantern-orbit-kettle-meadow")


def test_a_person_added_again_from_another_session_shows_no_password(client, auth, accounts):
    """The form's password is shown only in the session that sent it first."""
    auth.login("admin")
    form = form_as_sent(client.get("/admin/users").get_data(as_text=True), "", username="nadia")
    first = shown_token(client.post("/admin/users", data=form).get_data(as_text=True))
    with client.session_transaction() as state:
        state["signed_in_at"] -= 60  # as if signed in a minute earlier: another session of the same account
    resent = client.post("/admin/users", data=form)
    page = resent.get_data(as_text=True)
    assert resent.status_code == 200 and shown_token(page) is None and first not in page
    assert "already added" in page and signs_in(client, "nadia", first)


def test_a_password_reset_twice_from_one_form_resets_it_once_and_both_answers_show_the_password(client, auth, accounts):
    """A double click on Reset password set two passwords: the browser showed the second, and the first answer's,
    had it been the one shown, no longer worked. Both answers now show the one password the form set."""
    auth.login("admin")
    user_id = accounts["reporter"]["id"]
    action = f"/admin/users/{user_id}/password"
    form = form_as_sent(client.get(f"/admin/users/{user_id}").get_data(as_text=True), action)
    assert form["_draft"]
    sent = [client.post(action, data=form) for _ in range(2)]
    assert [s.status_code for s in sent] == [200, 200]
    first, second = (shown_token(s.get_data(as_text=True)) for s in sent)
    assert first and first == second and signs_in(client, "reporter", first)
    assert "already" in sent[1].get_data(as_text=True)
    # The form opened again is a new form: a new password.
    again = form_as_sent(client.get(f"/admin/users/{user_id}").get_data(as_text=True), action)
    other = shown_token(client.post(action, data=again).get_data(as_text=True))
    assert other and other != first and signs_in(client, "reporter", other) and not signs_in(client, "reporter", first)
    # The first form sent again now: its password is stale, and is not shown.
    page = client.post(action, data=form).get_data(as_text=True)
    assert shown_token(page) is None and first not in page and "already" in page
    assert signs_in(client, "reporter", other)


def password_form(client, current: str, new: str) -> dict[str, str]:
    page = client.get("/account").get_data(as_text=True)
    return form_as_sent(page, "/account/password", current=current, new=new, confirm=new)


def test_a_password_change_sent_again_once_its_answer_came_says_it_is_changed(db_path, accounts):
    """A double click whose second send left once the first's answer had come (with the renewed session, which has
    a new CSRF token): the second answer, the one shown, said "This form has expired ... nothing was saved yet" and
    offered the form to save again, though the password was changed."""
    from tests.conftest import PASSWORD, AuthActions
    from tests.test_auth import limited_app

    client = limited_app(db_path).test_client()
    assert AuthActions(client).login("reporter").status_code == 302
    new = "lantern-orbit-kettle"
    form = password_form(client, PASSWORD, new)
    assert form["_draft"]
    sent = [client.post("/account/password", data=form) for _ in range(7)]  # more than the 5 guesses a minute
    assert [s.status_code for s in sent] == [302] * 7, sent[1].get_data(as_text=True)[:600]
    page = client.get(sent[-1].headers["Location"]).get_data(as_text=True)
    assert "already changed" in page and "nothing was saved" not in page
    assert signs_in(client, "reporter", new)
    # A wrong current password in a form opened anew is still a wrong password.
    refused = client.post("/account/password", data=password_form(client, "guess-1", new))
    assert refused.status_code == 422 and "not right" in refused.get_data(as_text=True)


def test_a_password_change_sent_twice_at_once_says_it_is_changed_not_that_nothing_was_saved(client, auth, accounts):
    """A double click whose two sends both left with the session the form was served in: the change ended that
    session, so the second answer (the one shown) said "Your session has ended, so nothing was saved"."""
    from tests.conftest import PASSWORD

    auth.login("reporter")
    new = "lantern-orbit-kettle"
    form = password_form(client, PASSWORD, new)
    cookie_name = client.application.config["SESSION_COOKIE_NAME"]
    cookie = client.get_cookie(cookie_name)
    assert client.post("/account/password", data=form).status_code == 302
    client.set_cookie(cookie_name, cookie.value, domain=cookie.domain)  # the second send's cookie: the first's
    second = client.post("/account/password", data=form)
    assert second.status_code == 302
    page = client.get(second.headers["Location"]).get_data(as_text=True)
    assert "already changed" in page and "nothing was saved" not in page
    assert signs_in(client, "reporter", new)


def still_signed_in(client) -> bool:
    """Whether the browser's cookie, as the last answer left it, is a session: the account page, not the sign-in."""
    return client.get("/account").status_code == 200


def test_a_password_change_sent_twice_at_once_leaves_its_owner_signed_in(client, auth, accounts):
    """The first send's change ended the session both sends carried, and the second's answer, the last the browser
    got, set that ended session back: the person who changed their password was signed out."""
    from tests.conftest import PASSWORD

    auth.login("reporter")
    new = "lantern-orbit-kettle"
    form = password_form(client, PASSWORD, new)
    cookie_name = client.application.config["SESSION_COOKIE_NAME"]
    cookie = client.get_cookie(cookie_name)
    assert client.post("/account/password", data=form).status_code == 302
    client.set_cookie(cookie_name, cookie.value, domain=cookie.domain)  # the second send's cookie: the first's
    second = client.post("/account/password", data=form)
    assert second.status_code == 302 and second.headers["Location"].endswith("/account")
    page = client.get(second.headers["Location"]).get_data(as_text=True)
    assert "already changed" in page and "Sign in" not in page.split("</header>")[-1][:2000]
    assert still_signed_in(client) and signs_in(client, "reporter", new)


@pytest.mark.parametrize("second_left", ["with the first", "after the first's answer"])
def test_the_same_password_change_from_two_tabs_is_one_change_and_signs_nobody_out(client, auth, accounts, second_left):
    """Two tabs of the Account page (the first seemed stuck, so the change was typed again in another): the second
    send said "nothing was saved" (or, with the renewed session, "This form has expired") though the password had
    changed, and with the session the first send ended, it signed its owner out."""
    from tests.conftest import PASSWORD

    auth.login("reporter")
    new = "lantern-orbit-kettle"
    tabs = [password_form(client, PASSWORD, new) for _ in range(2)]
    cookie_name = client.application.config["SESSION_COOKIE_NAME"]
    cookie = client.get_cookie(cookie_name)
    assert client.post("/account/password", data=tabs[0]).status_code == 302
    if second_left == "with the first":
        client.set_cookie(cookie_name, cookie.value, domain=cookie.domain)
    second = client.post("/account/password", data=tabs[1])
    assert second.status_code == 302, second.get_data(as_text=True)[:600]
    page = client.get(second.headers["Location"]).get_data(as_text=True)
    assert "already changed" in page and "nothing was saved" not in page and "expired" not in page
    assert still_signed_in(client) and signs_in(client, "reporter", new)


def test_an_ended_session_is_not_renewed_without_the_new_password(client, auth, accounts):
    """A copy of the session's cookie (the reason to change a password) with a form of that session, sent after the
    change, is never signed in again: only a send that carries the new password, as the owner's does, renews it."""
    from tests.conftest import PASSWORD

    auth.login("reporter")
    new = "lantern-orbit-kettle"
    cookie_name = client.application.config["SESSION_COOKIE_NAME"]
    copied = client.get_cookie(cookie_name)
    stolen_form = password_form(client, PASSWORD, "guessed-words-here")
    assert client.post("/account/password", data=password_form(client, PASSWORD, new)).status_code == 302
    client.set_cookie(cookie_name, copied.value, domain=copied.domain)
    resent = client.post("/account/password", data=stolen_form)
    assert resent.status_code == 302 and "/login" in resent.headers["Location"]
    assert not still_signed_in(client) and signs_in(client, "reporter", new)


def test_new_passwords_guessed_with_an_ended_session_count_as_guesses(db_path, accounts):
    """Renewing an ended session checks the new password it carries: a copy of the cookie may not try passwords
    there faster than at the sign-in form (5 a minute); past the limit, even the right one renews nothing."""
    from tests.conftest import PASSWORD, AuthActions
    from tests.test_auth import limited_app

    client = limited_app(db_path).test_client()
    assert AuthActions(client).login("reporter").status_code == 302
    new = "lantern-orbit-kettle"
    cookie_name = client.application.config["SESSION_COOKIE_NAME"]
    copied = client.get_cookie(cookie_name)
    form = password_form(client, PASSWORD, new)
    assert client.post("/account/password", data=form).status_code == 302
    for i in range(5):
        client.set_cookie(cookie_name, copied.value, domain=copied.domain)
        guess = f"guess-number-{i}-words"
        assert "/login" in client.post("/account/password", data={**form, "new": guess, "confirm": guess}).location
    client.set_cookie(cookie_name, copied.value, domain=copied.domain)
    assert "/login" in client.post("/account/password", data=form).location
    assert not still_signed_in(client) and signs_in(client, "reporter", new)


def test_a_password_change_sent_twice_checked_after_the_first_saved_counts_no_guess(db_path, accounts, db):
    """The second send of a double click read its session before the first's change ended it, and checked the
    current password after: the old one, now wrong. It answered "Your current password is not right" and counted
    a guess towards the account's lockout."""
    from tests.conftest import PASSWORD, AuthActions
    from tests.test_auth import limited_app

    client = limited_app(db_path).test_client()
    assert AuthActions(client).login("reporter").status_code == 302
    new = "lantern-orbit-kettle"
    form = password_form(client, PASSWORD, new)
    cookie_name = client.application.config["SESSION_COOKIE_NAME"]
    cookie = client.get_cookie(cookie_name)
    assert client.post("/account/password", data=form).status_code == 302
    for _ in range(6):  # more than the 5 guesses a minute
        # The second send's session as it read it: the first's, before the first's change ended it.
        client.set_cookie(cookie_name, cookie.value, domain=cookie.domain)
        with transaction(db):
            db.execute("UPDATE users SET session_version = session_version - 1 WHERE username = 'reporter'")
        second = client.post("/account/password", data=form)
        assert second.status_code == 302, second.get_data(as_text=True)[:600]
        with transaction(db):
            db.execute("UPDATE users SET session_version = session_version + 1 WHERE username = 'reporter'")
    page = client.get(second.headers["Location"], follow_redirects=True).get_data(as_text=True)
    assert "already changed" in page and "not right" not in page
    assert signs_in(client, "reporter", new)
    # The saved form sent again tells nothing of the password it carries: a right one is not told apart from a
    # wrong one (which would be guessing without the limit), whatever else the form holds.
    client.set_cookie(cookie_name, cookie.value, domain=cookie.domain)
    with transaction(db):
        db.execute("UPDATE users SET session_version = session_version - 1 WHERE username = 'reporter'")
    for current in (new, "guess-1"):
        probe = client.post("/account/password", data={**form, "current": current, "confirm": "other"})
        assert probe.status_code == 302, probe.get_data(as_text=True)[:600]
