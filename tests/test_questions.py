"""Story questions, their answers kept honest by the claims they link, and expected developments."""

from __future__ import annotations

import sqlite3

import pytest
from bs4 import BeautifulSoup

from tests.conftest import AuthActions, csrf_from
from tracker import claims, coverage, developments, questions, stories
from tracker.claims import PermissionDenied
from tracker.db import NotFound, TrackerError
from tracker.publish import publish
from tracker.versions import StaleEdit

ARTICLE = "Acme said the plant will open in March. A spokesperson said the plant is fully funded."


@pytest.fixture
def newsroom(db, accounts, story):
    item = coverage.upsert_item(db, story["id"], "https://news.example/acme", outlet="News Example", title="Acme")
    revision_id, _ = coverage.add_revision(db, item, ARTICLE)
    ids = []
    for text, quote in (
        ("The plant opens in March", "the plant will open in March"),
        ("The plant is fully funded", "the plant is fully funded"),
    ):
        claim_id = claims.log_claim(db, story["id"], text, "Acme", "organization", accounts["reporter"])
        claims.add_evidence(db, claim_id, revision_id, quote, "supports", accounts["reporter"])
        ids.append(claim_id)
    return {"claims": ids, "coverage_id": item, "revision_id": revision_id, "story": story, **accounts}


def rule(db, claim_id, status, editor, public=True):
    claim = claims.get_claim(db, claim_id)
    evidence = [e["id"] for e in claims.evidence_for(db, claim_id)]
    claims.set_status(db, claim_id, status, editor, "Checked.", claim["version"], evidence_ids=evidence)
    if public and not claims.get_claim(db, claim_id)["published"]:
        claims.set_published(db, claim_id, True, editor, claims.get_claim(db, claim_id)["version"])


# --- Domain -------------------------------------------------------------------------------------


def test_a_ruling_after_the_answer_makes_it_stale_with_the_details(db, newsroom):
    editor, reporter = newsroom["editor"], newsroom["reporter"]
    first, second = newsroom["claims"]
    qid = questions.create_question(db, newsroom["story"]["id"], "Will the plant open in March?", reporter)
    questions.link_claim(db, qid, first, "answers_yes", reporter)
    q = questions.get_question(db, qid)
    assert questions.stale_reasons(db, q) == []  # no answer yet, nothing to be stale
    q = questions.write_answer(db, qid, "Acme says so; we have not confirmed it.", editor, q["version"])
    assert questions.stale_reasons(db, q) == []

    rule(db, first, "unclear", editor)
    rule(db, second, "confirmed", editor)  # not linked: does not concern this answer
    (reason,) = questions.stale_reasons(db, questions.get_question(db, qid))
    assert reason["claim_id"] == first
    assert reason["message"].startswith(f"claim {first} moved from unreviewed to unclear on ")

    questions.link_claim(db, qid, second, "context", reporter)
    reasons = questions.stale_reasons(db, questions.get_question(db, qid))
    assert [r["kind"] for r in reasons] == ["status", "linked"]

    # Saving the same words is a review: the answer holds for what it has now seen.
    q = questions.get_question(db, qid)
    reviewed = questions.write_answer(db, qid, q["answer"], editor, q["version"])
    assert questions.stale_reasons(db, reviewed) == []
    assert reviewed["answer_changed_at"] == q["answer_changed_at"]
    assert reviewed["answer_written_at"] >= q["answer_written_at"]


def test_only_editors_write_answers_or_publish(db, newsroom):
    reporter, editor = newsroom["reporter"], newsroom["editor"]
    qid = questions.create_question(db, newsroom["story"]["id"], "Is it funded?", reporter)
    q = questions.get_question(db, qid)
    with pytest.raises(PermissionDenied):
        questions.write_answer(db, qid, "Yes.", reporter, q["version"])
    with pytest.raises(TrackerError, match="Write the answer before publishing"):
        questions.set_question_published(db, qid, True, editor, q["version"])
    with pytest.raises(PermissionDenied):
        questions.set_question_published(db, qid, True, reporter, q["version"])
    q = questions.write_answer(db, qid, "Yes, Acme says.", editor, q["version"])
    assert questions.set_question_published(db, qid, True, editor, q["version"])["published"] == 1
    assert questions.get_question(db, qid)["answered_by_name"] == "editor"


def test_a_claim_linked_in_place_of_an_unlinked_one_makes_the_answer_stale(db, newsroom, tmp_path):
    """Unlinking the newest link frees its id; the claim linked next must still count as linked after the answer."""
    editor = newsroom["editor"]
    first, second = newsroom["claims"]
    third = claims.log_claim(db, newsroom["story"]["id"], "The plant is late", "Acme", "organization", editor)
    for claim_id in (first, third):  # not the unlinked one, whose unlink would raise the public flag itself
        claims.set_published(db, claim_id, True, editor, claims.get_claim(db, claim_id)["version"])
    qid = questions.create_question(db, newsroom["story"]["id"], "Will the plant open in March?", editor)
    questions.link_claim(db, qid, first, "answers_yes", editor)
    questions.link_claim(db, qid, second, "context", editor)
    q = questions.write_answer(db, qid, "Acme says so.", editor, questions.get_question(db, qid)["version"])
    questions.set_question_published(db, qid, True, editor, q["version"])

    questions.unlink_claim(db, qid, second, editor)
    questions.link_claim(db, qid, third, "answers_no", editor)
    reasons = questions.stale_reasons(db, questions.get_question(db, qid))
    assert [(r["kind"], r["claim_id"]) for r in reasons] == [("unlinked", second), ("linked", third)]

    out = tmp_path / "public.db"
    publish(db, out)
    conn = sqlite3.connect(out)
    try:
        assert conn.execute("SELECT stale FROM questions WHERE id = ?", [qid]).fetchone() == (1,)
    finally:
        conn.close()


def stale_alerts(db) -> int:
    return db.execute("SELECT count(*) FROM alert_events WHERE kind = 'question_stale'").fetchone()[0]


def public_stale(db, qid: int, out) -> int:
    publish(db, out)
    conn = sqlite3.connect(out)
    try:
        return conn.execute("SELECT stale FROM questions WHERE id = ?", [qid]).fetchone()[0]
    finally:
        conn.close()


def test_a_changed_stance_or_an_unlinked_claim_makes_the_answer_stale(db, newsroom, tmp_path):
    """ "Yes." beside a claim that now points to no, or without the claim it rested on, is for an editor to review."""
    editor = newsroom["editor"]
    first, second = newsroom["claims"]
    for claim_id in (first, second):
        claims.set_published(db, claim_id, True, editor, claims.get_claim(db, claim_id)["version"])
    qid = questions.create_question(db, newsroom["story"]["id"], "Will the plant open in March?", editor)
    questions.link_claim(db, qid, first, "answers_yes", editor)
    questions.link_claim(db, qid, second, "context", editor)
    q = questions.write_answer(db, qid, "Yes.", editor, questions.get_question(db, qid)["version"])
    questions.set_question_published(db, qid, True, editor, q["version"])
    out = tmp_path / "public.db"
    assert public_stale(db, qid, out) == 0 and stale_alerts(db) == 0

    questions.link_claim(db, qid, first, "answers_no", editor)
    (reason,) = questions.stale_reasons(db, questions.get_question(db, qid))
    assert (reason["kind"], reason["claim_id"]) == ("stance", first)
    assert reason["message"].startswith(f"claim {first} went from answers yes to answers no on ")
    assert [(c["id"], c["stance"]) for c in questions.linked_claims(db, qid)] == [
        (first, "answers_no"),
        (second, "context"),
    ]  # the link keeps its place
    assert public_stale(db, qid, out) == 1
    assert stale_alerts(db) == 1

    q = questions.get_question(db, qid)
    q = questions.write_answer(db, qid, "No.", editor, q["version"])
    assert questions.stale_reasons(db, q) == [] and public_stale(db, qid, out) == 0

    questions.unlink_claim(db, qid, second, editor)
    (reason,) = questions.stale_reasons(db, questions.get_question(db, qid))
    assert (reason["kind"], reason["claim_id"]) == ("unlinked", second)
    assert reason["message"].startswith(f"claim {second} (context) was unlinked on ")
    assert public_stale(db, qid, out) == 1
    assert stale_alerts(db) == 2  # reviewed in between: a new alert

    # A link the answer never saw is already a reason; changing or removing it adds none.
    q = questions.write_answer(db, qid, "No.", editor, questions.get_question(db, qid)["version"])
    questions.link_claim(db, qid, second, "context", editor)
    questions.link_claim(db, qid, second, "answers_yes", editor)
    assert [r["kind"] for r in questions.stale_reasons(db, questions.get_question(db, qid))] == ["linked"]
    questions.unlink_claim(db, qid, second, editor)
    assert questions.stale_reasons(db, questions.get_question(db, qid)) == []
    assert public_stale(db, qid, out) == 0


def test_the_editor_says_why_after_a_stance_change_or_an_unlink(client, db, newsroom):
    editor = newsroom["editor"]
    first, second = newsroom["claims"]
    qid = questions.create_question(db, newsroom["story"]["id"], "Will the plant open in March?", editor)
    questions.link_claim(db, qid, first, "answers_yes", editor)
    questions.link_claim(db, qid, second, "context", editor)
    questions.write_answer(db, qid, "Yes.", editor, questions.get_question(db, qid)["version"])
    AuthActions(client).login("editor")
    html = client.get(f"/questions/{qid}").get_data(as_text=True)
    version = questions.get_question(db, qid)["version"]
    changed = client.post(
        f"/questions/{qid}/claims",
        data={"csrf_token": csrf_from(html), "claim_id": str(first), "stance": "answers_no", "version": version},
    )
    assert changed.status_code == 302
    unlinked = client.post(
        f"/questions/{qid}/claims/{second}/unlink", data={"csrf_token": csrf_from(html), "version": version + 1}
    )
    assert unlinked.status_code == 302
    html = client.get(f"/questions/{qid}").get_data(as_text=True)
    assert f"claim {first} went from answers yes to answers no" in html
    assert f"claim {second} (context) was unlinked" in html


def test_a_stale_edit_is_refused_and_changes_nothing(db, newsroom):
    reporter, editor = newsroom["reporter"], newsroom["editor"]
    qid = questions.create_question(db, newsroom["story"]["id"], "Original?", reporter)
    seen = questions.get_question(db, qid)["version"]
    questions.update_question(db, qid, editor, seen, text="Reworded by the editor?")
    with pytest.raises(StaleEdit) as refused:
        questions.update_question(db, qid, reporter, seen, text="Reworded by the reporter?")
    assert refused.value.status_code == 409
    assert refused.value.current["text"] == "Reworded by the editor?"
    assert questions.get_question(db, qid)["text"] == "Reworded by the editor?"
    with pytest.raises(StaleEdit):
        questions.write_answer(db, qid, "An answer.", editor, seen)
    assert questions.get_question(db, qid)["answer"] == ""


def test_links_stay_inside_the_story_and_take_known_stances(db, newsroom):
    reporter = newsroom["reporter"]
    qid = questions.create_question(db, newsroom["story"]["id"], "Q?", reporter)
    other = stories.create_story(db, "other-story", "Another")
    foreign = claims.log_claim(db, other["id"], "Elsewhere", "X", "named", reporter)
    with pytest.raises(TrackerError, match="another story"):
        questions.link_claim(db, qid, foreign, "context", reporter)
    with pytest.raises(TrackerError, match="Unknown stance"):
        questions.link_claim(db, qid, newsroom["claims"][0], "maybe", reporter)
    with pytest.raises(NotFound):
        questions.link_claim(db, qid, 99999, "context", reporter)
    questions.link_claim(db, qid, newsroom["claims"][0], "context", reporter)
    questions.link_claim(db, qid, newsroom["claims"][0], "answers_no", reporter)  # a new stance, one link
    assert [(c["id"], c["stance"]) for c in questions.linked_claims(db, qid)] == [(newsroom["claims"][0], "answers_no")]
    questions.unlink_claim(db, qid, newsroom["claims"][0], reporter)
    assert questions.linked_claims(db, qid) == []
    with pytest.raises(NotFound):
        questions.unlink_claim(db, qid, newsroom["claims"][0], reporter)


def test_what_remains_unclear_groups_open_published_claims_by_question(db, newsroom):
    editor, reporter = newsroom["editor"], newsroom["reporter"]
    first, second = newsroom["claims"]
    third = claims.log_claim(db, newsroom["story"]["id"], "Hidden", "Acme", "organization", reporter)  # unpublished
    qid = questions.create_question(db, newsroom["story"]["id"], "Will it open?", reporter)
    questions.link_claim(db, qid, first, "answers_yes", reporter)
    questions.link_claim(db, qid, third, "context", reporter)
    rule(db, first, "unclear", editor)
    claim = claims.get_claim(db, second)
    claims.set_published(db, second, True, editor, claim["version"])  # published, unreviewed, no question
    groups = questions.remains_unclear(db, newsroom["story"]["id"])
    assert [(g["question"] and g["question"]["id"], [c["id"] for c in g["claims"]]) for g in groups] == [
        (qid, [first]),
        (None, [second]),
    ]
    rule(db, first, "confirmed", editor)
    assert [g["question"] for g in questions.remains_unclear(db, newsroom["story"]["id"])] == [None]


def test_developments_are_marked_with_the_coverage_that_shows_them(db, newsroom):
    reporter, editor = newsroom["reporter"], newsroom["editor"]
    sid = newsroom["story"]["id"]
    did = developments.create_development(
        db, sid, "Acme opens the plant", reporter, expected_date="2026-03-01", claim_id=newsroom["claims"][0]
    )
    vague = developments.create_development(db, sid, "Further disclosures", reporter, expectation="as reviews progress")
    with pytest.raises(TrackerError, match="must be a date"):
        developments.create_development(db, sid, "Bad date", reporter, expected_date="next week")
    with pytest.raises(TrackerError, match="Write the expected development"):
        developments.create_development(db, sid, "  ", reporter)
    d = developments.get_development(db, did)
    assert (d["state"], d["expected_date"], d["claim_text"]) == ("not_yet", "2026-03-01", "The plant opens in March")
    with pytest.raises(TrackerError, match="coverage that shows it happened"):
        developments.set_development_state(db, did, "happened", reporter, d["version"])
    d = developments.set_development_state(
        db, did, "happened", reporter, d["version"], evidence_coverage_id=newsroom["coverage_id"]
    )
    assert (d["state"], d["evidence_url"]) == ("happened", "https://news.example/acme")
    v = developments.get_development(db, vague)
    with pytest.raises(TrackerError, match="Say why"):
        developments.set_development_state(db, vague, "did_not_happen", reporter, v["version"])
    with pytest.raises(StaleEdit):
        developments.update_development(db, did, reporter, 1, text="Stale")
    with pytest.raises(PermissionDenied):
        developments.set_development_published(db, did, True, reporter, d["version"])
    developments.set_development_published(db, did, True, editor, d["version"])
    assert [x["id"] for x in developments.list_developments(db, sid, published_only=True)] == [did]
    assert [x["id"] for x in developments.list_developments(db, sid)] == [did, vague]


@pytest.mark.parametrize(
    "blank",
    ["\u200b", " \u2060 ", "\u200e\u200f\u202a\u202c", "\ufeff\u00ad", "\u200b\n\u200d\t\u200c"],
    ids=["zero-width space", "word joiner", "bidi marks", "bom and soft hyphen", "joiners and spaces"],
)
def test_text_of_invisible_characters_alone_is_blank(db, newsroom, blank):
    editor, sid = newsroom["editor"], newsroom["story"]["id"]
    with pytest.raises(TrackerError, match="Write the question"):
        questions.create_question(db, sid, blank, editor)
    qid = questions.create_question(db, sid, "Is it funded?", editor)
    with pytest.raises(TrackerError, match="Write the answer"):
        questions.write_answer(db, qid, blank, editor, 1)
    with pytest.raises(TrackerError, match="Write the expected development"):
        developments.create_development(db, sid, blank, editor)
    did = developments.create_development(db, sid, "Acme opens the plant", editor, expectation=blank)
    assert developments.get_development(db, did)["expectation"] == ""
    assert questions.get_question(db, qid)["answer"] == ""


@pytest.mark.parametrize(
    "visible",
    [
        "Is the \U0001f469\u200d\U0001f4bb team real?",  # an emoji joined by a zero-width joiner
        "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u062f\u061f",  # Persian, a zero-width non-joiner inside
        "\u200fYes\u200e.",  # marks around words
        "\u0600",  # an Arabic number sign is drawn, though Unicode calls it a format character
    ],
)
def test_visible_text_beside_invisible_characters_is_kept_as_typed(db, newsroom, visible):
    editor = newsroom["editor"]
    qid = questions.create_question(db, newsroom["story"]["id"], visible, editor)
    q = questions.write_answer(db, qid, visible, editor, 1)
    assert (q["text"], q["answer"]) == (visible, visible)


# --- Editor -------------------------------------------------------------------------------------

HOSTILE_Q = '<script>alert("q")</script> Will it <img src=x onerror=alert(1)> open?'
HOSTILE_A = '<script>alert("a")</script><img src=x onerror=alert(2)> Yes.'


def test_reporters_ask_editors_answer_and_the_page_warns_when_stale(client, db, newsroom):
    auth = AuthActions(client)
    slug = newsroom["story"]["slug"]
    first = newsroom["claims"][0]
    auth.login("reporter")
    page = client.get(f"/stories/{slug}/questions")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    created = client.post(f"/stories/{slug}/questions/new", data={"csrf_token": csrf_from(html), "text": HOSTILE_Q})
    assert created.status_code == 302
    (q,) = questions.list_questions(db, newsroom["story"]["id"])
    html = client.get(created.headers["Location"]).get_data(as_text=True)
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert" in html
    assert f'action="/questions/{q["id"]}/answer"' not in html  # reporters never see the answer form
    linked = client.post(
        f"/questions/{q['id']}/claims",
        data={"csrf_token": csrf_from(html), "claim_id": str(first), "stance": "answers_yes", "version": q["version"]},
    )
    assert linked.status_code == 302
    q = questions.get_question(db, q["id"])
    refused = client.post(
        f"/questions/{q['id']}/answer",
        data={"csrf_token": csrf_from(html), "answer": "Yes.", "version": q["version"]},
    )
    assert refused.status_code == 403
    assert questions.get_question(db, q["id"])["answer"] == ""
    auth.logout()

    auth.login("editor")
    html = client.get(f"/questions/{q['id']}").get_data(as_text=True)
    assert f'action="/questions/{q["id"]}/answer"' in html
    answered = client.post(
        f"/questions/{q['id']}/answer",
        data={"csrf_token": csrf_from(html), "answer": HOSTILE_A, "version": q["version"]},
    )
    assert answered.status_code == 302
    html = client.get(f"/stories/{slug}/questions").get_data(as_text=True)
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "answer may be stale" not in html
    assert "badge--unreviewed" in html

    rule(db, first, "unclear", newsroom["editor"])
    html = client.get(f"/stories/{slug}/questions").get_data(as_text=True)
    assert "answer may be stale" in html
    assert f"claim {first} moved from unreviewed to unclear" in html
    assert "badge--unclear" in html
    # The time as every other page of the editor gives one ("5 Dec 2026, 23:57 UTC"), not "2026-12-05T23:57:09Z".
    import re

    for page in (html, client.get(f"/questions/{q['id']}").get_data(as_text=True)):
        said = BeautifulSoup(page, "html.parser").find(string=re.compile("answer may be stale: claim"))
        assert re.search(r"to unclear on \d{1,2} \w{3} \d{4}, \d\d:\d\d UTC", said), said


def test_a_stale_question_edit_keeps_what_was_typed(client, db, newsroom):
    auth = AuthActions(client)
    auth.login("reporter")
    qid = questions.create_question(db, newsroom["story"]["id"], "First wording?", newsroom["reporter"])
    html = client.get(f"/questions/{qid}/edit").get_data(as_text=True)
    questions.update_question(db, qid, newsroom["editor"], 1, text="The editor's wording?")
    response = client.post(
        f"/questions/{qid}/edit",
        data={"csrf_token": csrf_from(html), "text": "My careful rewording?", "position": "1", "version": "1"},
    )
    assert response.status_code == 409
    body = response.get_data(as_text=True)
    assert "My careful rewording?" in body and "The editor&#39;s wording?" in body
    assert questions.get_question(db, qid)["text"] == "The editor's wording?"


def test_forms_without_csrf_are_refused(client, db, newsroom):
    AuthActions(client).login("editor")
    response = client.post(f"/stories/{newsroom['story']['slug']}/questions/new", data={"text": "No token?"})
    assert response.status_code == 400
    assert questions.list_questions(db, newsroom["story"]["id"]) == []


def test_developments_in_the_editor(client, db, newsroom):
    auth = AuthActions(client)
    slug = newsroom["story"]["slug"]
    auth.login("reporter")
    html = client.get(f"/stories/{slug}/questions").get_data(as_text=True)
    bad = client.post(
        f"/stories/{slug}/developments",
        data={"csrf_token": csrf_from(html), "text": "Acme <b>opens</b>", "expected_date": "soon"},
    )
    assert bad.status_code == 422
    assert "must be a date" in bad.get_data(as_text=True)
    assert "Acme &lt;b&gt;opens&lt;/b&gt;" in bad.get_data(as_text=True)  # what was typed, escaped
    ok = client.post(
        f"/stories/{slug}/developments",
        data={"csrf_token": csrf_from(html), "text": "Acme <b>opens</b>", "expectation": "as reviews progress"},
    )
    assert ok.status_code == 302
    (d,) = developments.list_developments(db, newsroom["story"]["id"])
    marked = client.post(
        f"/developments/{d['id']}/state",
        data={
            "csrf_token": csrf_from(html),
            "state": "happened",
            "evidence_coverage_id": str(newsroom["coverage_id"]),
            "version": d["version"],
        },
    )
    assert marked.status_code == 302
    assert developments.get_development(db, d["id"])["state"] == "happened"
    refused = client.post(
        f"/developments/{d['id']}/publish",
        data={"csrf_token": csrf_from(html), "published": "1", "version": d["version"] + 1},
    )
    assert refused.status_code == 403
    html = client.get(f"/stories/{slug}/questions").get_data(as_text=True)
    assert "<b>opens</b>" not in html and "Happened" in html


def test_the_demo_ships_the_articles_questions_and_whats_next(db):
    from tracker import demo

    demo.load_demo(db, echo=lambda line: None)
    story = stories.get_story(db, demo.SLUG)
    asked = questions.list_questions(db, story["id"], published_only=True)
    assert [q["text"] for q in asked] == [q.text for q in demo.QUESTIONS]
    first = asked[0]
    assert first["answer"].startswith("According to anonymous sources, some employees have admitted")
    assert first["answered_by_name"] == "demo-editor" and first["stale"] == []
    assert {(c["claimant"], c["stance"], c["status"]) for c in first["claims"]} == {
        ("Anonymous sources", "answers_yes", "unclear"),
        ("Anonymous Amazon employee", "answers_yes", "unclear"),
        ("Amazon", "context", "confirmed"),
    }
    assert all(q["claims"] and q["answer"] for q in asked)
    expected = developments.list_developments(db, story["id"], published_only=True)
    assert [(d["state"], d["expectation"]) for d in expected] == [
        ("not_yet", "reportedly underway"),
        ("not_yet", "as internal reviews progress"),
        ("not_yet", "ongoing"),
    ]
    assert expected[0]["claim_text"].startswith("Investigations by Amazon are reportedly underway")
    unclear = questions.remains_unclear(db, story["id"])
    assert sum(len(g["claims"]) for g in unclear) == 5  # every demo claim but Amazon's "no comment"
    assert unclear[0]["question"]["text"] == demo.QUESTIONS[0].text
    counts = "SELECT (SELECT count(*) FROM questions), (SELECT count(*) FROM developments)"
    before = db.execute(counts).fetchone()
    demo.load_demo(db, echo=lambda line: None)
    assert db.execute(counts).fetchone() == before


# --- JSON API (called from tests/test_api.py, which checks every answer against the OpenAPI document) ---


def exercise_question_api(api, editor_token: str, slug: str, claim_id: int, coverage_id: int) -> None:
    """Every questions/developments operation, as a reporter's tool and an editor's would call them."""
    created = api.call("POST", f"/stories/{slug}/questions", json={"text": HOSTILE_Q})
    assert created.status_code == 201
    question = created.get_json()
    assert created.headers["Location"] == f"/api/questions/{question['id']}"
    assert (question["text"], question["answer"], question["published"]) == (HOSTILE_Q, "", False)
    question = api.call(
        "POST",
        f"/questions/{question['id']}/claims",
        json={"claim_id": claim_id, "stance": "answers_yes", "version": question["version"]},
    ).get_json()
    assert [(c["id"], c["stance"]) for c in question["claims"]] == [(claim_id, "answers_yes")]
    answer = {"answer": HOSTILE_A, "version": question["version"]}
    refused = api.call("POST", f"/questions/{question['id']}/answer", json=answer)
    assert refused.status_code == 403 and "editors" in refused.get_json()["message"]
    question = api.call("POST", f"/questions/{question['id']}/answer", json=answer, token=editor_token).get_json()
    assert question["answer"] == HOSTILE_A and question["stale"] == []
    stale = api.call("POST", f"/questions/{question['id']}", json={"text": "Late?", "version": question["version"] - 1})
    assert stale.status_code == 409
    question = api.call(
        "POST", f"/questions/{question['id']}", json={"text": "Reworded?", "version": question["version"]}
    ).get_json()
    assert question["text"] == "Reworded?"
    published = api.call(
        "POST",
        f"/questions/{question['id']}/publish",
        json={"published": True, "version": question["version"]},
        token=editor_token,
    ).get_json()
    assert published["published"] is True
    assert api.call("GET", f"/questions/{question['id']}").get_json()["version"] == published["version"]
    assert [q["id"] for q in api.call("GET", f"/stories/{slug}/questions").get_json()["questions"]] == [question["id"]]

    development = api.call(
        "POST",
        f"/stories/{slug}/developments",
        json={"text": "The plant opens", "expected_date": "2027-03-01", "claim_id": claim_id},
    )
    assert development.status_code == 201
    d = development.get_json()
    assert api.call(
        "POST", f"/stories/{slug}/developments", json={"text": "x", "expected_date": "soon"}
    ).status_code in (
        400,
        422,
    )
    marked = api.call(
        "POST",
        f"/developments/{d['id']}/state",
        json={"state": "happened", "evidence_coverage_id": coverage_id, "version": d["version"]},
    ).get_json()
    assert (marked["state"], marked["evidence_coverage_id"]) == ("happened", coverage_id)
    listed = api.call("GET", f"/stories/{slug}/developments").get_json()["developments"]
    assert [x["id"] for x in listed] == [d["id"]]


def form_as_sent(html: str, action: str) -> dict[str, str]:
    """The form posting to `action` as a browser sends it unchanged: each select its selected option, else its first."""
    form = BeautifulSoup(html, "html.parser").find("form", action=action)
    sent = {i["name"]: i.get("value", "") for i in form.find_all("input") if i.get("type") not in ("radio", "checkbox")}
    sent.update({i["name"]: i.get("value", "") for i in form.find_all("input", checked=True)})
    for select in form.find_all("select"):
        options = select.find_all("option")
        sent[select["name"]] = next((o for o in options if o.has_attr("selected")), options[0]).get("value", "")
    return sent


def test_saving_a_development_keeps_links_older_than_the_forms_lists(client, db, newsroom, monkeypatch):
    """The claim and coverage selects list only the newest; a link to an older one must be offered, not cleared."""
    monkeypatch.setattr("tracker.editor.questions.MAX_CLAIM_CHOICES", 1)
    monkeypatch.setattr("tracker.editor.evidence.MAX_COVERAGE_CHOICES", 1)
    story_id, reporter = newsroom["story"]["id"], newsroom["reporter"]
    old_claim, old_coverage = newsroom["claims"][0], newsroom["coverage_id"]
    did = developments.create_development(
        db, story_id, "Acme opens the plant", reporter, expectation="soon", claim_id=old_claim, coverage_id=old_coverage
    )
    d = developments.set_development_state(
        db, did, "did_not_happen", reporter, 1, evidence_coverage_id=old_coverage, note="Delayed."
    )
    claims.log_claim(db, story_id, "A newer claim", "Acme", "organization", reporter)
    newer = coverage.upsert_item(
        db, story_id, "https://news.example/later", outlet="News Example", title="Later", published_at="2099-01-01"
    )
    coverage.add_revision(db, newer, "A later article.")
    AuthActions(client).login("reporter")

    action = f"/developments/{did}/edit"
    sent = form_as_sent(client.get(action).get_data(as_text=True), action)
    assert client.post(action, data={**sent, "text": "Acme opens the plant in April"}).status_code == 302
    d = developments.get_development(db, did)
    assert (d["text"], d["claim_id"], d["coverage_id"]) == ("Acme opens the plant in April", old_claim, old_coverage)

    action = f"/developments/{did}/state"
    sent = form_as_sent(client.get(f"/stories/{newsroom['story']['slug']}/questions").get_data(as_text=True), action)
    assert client.post(action, data={**sent, "state_note": "Delayed to April."}).status_code == 302
    d = developments.get_development(db, did)
    assert (d["state_note"], d["evidence_coverage_id"]) == ("Delayed to April.", old_coverage)


def test_marking_not_yet_drops_the_note_readers_would_not_see(client, db, newsroom, tmp_path):
    """The state form comes back with the old note; "not yet" shows none, so none is kept or published."""
    editor, slug = newsroom["editor"], newsroom["story"]["slug"]
    did = developments.create_development(db, newsroom["story"]["id"], "Acme opens", editor, expectation="soon")
    d = developments.set_development_state(db, did, "did_not_happen", editor, 1, note="Delayed by the strike.")
    developments.set_development_published(db, did, True, editor, d["version"])
    shown = newsroom["claims"][0]  # a story goes public with its first published claim
    claims.set_published(db, shown, True, editor, claims.get_claim(db, shown)["version"])
    AuthActions(client).login("editor")
    action = f"/developments/{did}/state"
    sent = form_as_sent(client.get(f"/stories/{slug}/questions").get_data(as_text=True), action)
    assert sent["state_note"] == "Delayed by the strike."
    assert client.post(action, data={**sent, "state": "not_yet"}).status_code == 302
    d = developments.get_development(db, did)
    assert (d["state"], d["state_note"]) == ("not_yet", "")
    out = tmp_path / "public.db"
    publish(db, out)
    conn = sqlite3.connect(out)
    try:
        assert conn.execute("SELECT state, state_note FROM developments").fetchall() == [("not_yet", "")]
    finally:
        conn.close()


def test_a_note_kept_under_not_yet_never_reaches_the_public_file(db, newsroom, tmp_path):
    """A database written before "not yet" dropped the note may still hold one: the build leaves it out."""
    editor = newsroom["editor"]
    did = developments.create_development(db, newsroom["story"]["id"], "Acme opens", editor, expectation="soon")
    developments.set_development_published(db, did, True, editor, 1)
    shown = newsroom["claims"][0]  # a story goes public with its first published claim
    claims.set_published(db, shown, True, editor, claims.get_claim(db, shown)["version"])
    with db.conn:
        db.execute("UPDATE developments SET state_note = 'Source Stoat-4471 says it is off.' WHERE id = ?", [did])
    out = tmp_path / "public.db"
    publish(db, out)
    assert b"Stoat-4471" not in out.read_bytes()
    conn = sqlite3.connect(out)
    try:
        assert conn.execute("SELECT id, state, state_note FROM developments").fetchall() == [(did, "not_yet", "")]
    finally:
        conn.close()


def test_a_stale_publish_of_a_development_is_refused_with_409(client, db, newsroom):
    editor, slug = newsroom["editor"], newsroom["story"]["slug"]
    did = developments.create_development(db, newsroom["story"]["id"], "Acme opens", editor, expectation="soon")
    AuthActions(client).login("editor")
    html = client.get(f"/stories/{slug}/questions").get_data(as_text=True)
    developments.update_development(db, did, editor, 1, text="Acme opens the plant in April")
    response = client.post(
        f"/developments/{did}/publish", data={"csrf_token": csrf_from(html), "published": "1", "version": "1"}
    )
    assert response.status_code == 409
    body = response.get_data(as_text=True)
    assert "was changed by someone else" in body and "Acme opens the plant in April" in body
    assert developments.get_development(db, did)["published"] == 0
