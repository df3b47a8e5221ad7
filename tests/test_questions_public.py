"""Questions on the public site: only published claims, live badges, a stale flag, escaped everywhere."""

from __future__ import annotations

import asyncio
import sqlite3

import feedparser
import pytest
from bs4 import BeautifulSoup

from tests.conftest import AuthActions
from tracker import claims, coverage, developments, questions, stories
from tracker.public import make_datasette
from tracker.publish import publish

ARTICLE = (
    "Acme Widgets said the plant will open in March. Stoat-4471 told us the roof leaks. "
    "Vole-9182 said the kettles were recalled."
)
HOSTILE_Q = "<script>alert('q')</script> Will the <img src=x onerror=alert(1)> plant open?"
HOSTILE_A = "</p><script>alert('a')</script> Acme says so <b onmouseover=alert(2)>; we have not confirmed it."
HIDDEN_TEXT = "Stoat-4471 the roof leaks (unpublished)"
HIDDEN_QUESTION = "Vole-9182 is an unpublished question?"


def get(ds, path: str):
    return asyncio.run(ds.client.get(path))


def rule(db, claim_id, status, editor):
    claim = claims.get_claim(db, claim_id)
    evidence = [e["id"] for e in claims.evidence_for(db, claim_id)]
    return claims.set_status(db, claim_id, status, editor, "Checked.", claim["version"], evidence_ids=evidence)


@pytest.fixture
def newsroom(db, accounts, tmp_path):
    editor = accounts["editor"]
    story = stories.create_story(db, "acme-plant", "Acme plant", "Will Acme's plant open?")
    item = coverage.upsert_item(db, story["id"], "https://news.example/acme", outlet="News Example", title="Acme")
    revision_id, _ = coverage.add_revision(db, item, ARTICLE)
    shown = claims.log_claim(db, story["id"], "The plant opens in March", "Acme Widgets", "organization", editor)
    claims.add_evidence(db, shown, revision_id, "the plant will open in March", "supports", editor)
    claims.set_published(db, shown, True, editor, claims.get_claim(db, shown)["version"])
    hidden = claims.log_claim(db, story["id"], HIDDEN_TEXT, "Stoat-4471", "anonymous", editor)
    claims.add_evidence(db, hidden, revision_id, "Stoat-4471 told us the roof leaks", "supports", editor)
    qid = questions.create_question(db, story["id"], HOSTILE_Q, editor)
    questions.link_claim(db, qid, shown, "answers_yes", editor)
    questions.link_claim(db, qid, hidden, "context", editor)
    q = questions.write_answer(db, qid, HOSTILE_A, editor, questions.get_question(db, qid)["version"])
    questions.set_question_published(db, qid, True, editor, q["version"])
    questions.create_question(db, story["id"], HIDDEN_QUESTION, editor)  # never published
    did = developments.create_development(
        db, story["id"], "<i>Acme</i> opens the plant", editor, expected_date="2027-03-01"
    )
    developments.set_development_published(db, did, True, editor, 1)
    out = tmp_path / "public.db"
    return {"db": db, "story": story, "qid": qid, "shown": shown, "hidden": hidden, "editor": editor, "out": out}


def published(newsroom):
    publish(newsroom["db"], newsroom["out"])
    return make_datasette(str(newsroom["out"]))


def public_rows(path, sql):
    conn = sqlite3.connect(path)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def test_an_unpublished_linked_claim_never_appears_publicly_not_even_as_a_count(newsroom):
    ds = published(newsroom)
    data = newsroom["out"].read_bytes()
    for marker in (b"Stoat-4471", b"roof leaks", b"Vole-9182"):
        assert marker not in data
    assert public_rows(newsroom["out"], "SELECT question_id, claim_id, stance FROM question_claims") == [
        (newsroom["qid"], newsroom["shown"], "answers_yes")
    ]
    # Its ruling after the answer does not flag the public answer either: that would reveal it exists.
    rule(newsroom["db"], newsroom["hidden"], "confirmed", newsroom["editor"])
    ds = published(newsroom)
    assert public_rows(newsroom["out"], "SELECT stale FROM questions") == [(0,)]
    for path in (
        "/stories/acme-plant",
        "/public/questions.json?_shape=array",
        "/public/question_claims.json?_shape=array",
        "/public/changes.json?_shape=array",
        "/public/changes.atom",
        "/public/questions.csv",
    ):
        response = get(ds, path)
        assert response.status_code == 200, path
        assert "Stoat" not in response.text and "Vole" not in response.text, path
    soup = BeautifulSoup(get(ds, "/stories/acme-plant").text, "html.parser")
    (question,) = soup.select("article.question")
    assert len(question.select(".question-claims li")) == 1
    assert "2" not in question.select_one(".question-claims").get_text().replace("2027", "")


def test_a_ruling_on_a_linked_claim_flags_the_answer_and_shows_the_new_badge(newsroom, client):
    db = newsroom["db"]
    ds = published(newsroom)
    soup = BeautifulSoup(get(ds, "/stories/acme-plant").text, "html.parser")
    question = soup.select_one("article.question")
    assert [b.get_text() for b in question.select(".status")] == ["Not yet reviewed"]
    assert question.select_one(".question-stale") is None
    assert (
        question.select_one(".question-reviewed time")["datetime"]
        == questions.get_question(db, newsroom["qid"])["answer_written_at"]
    )

    rule(db, newsroom["shown"], "confirmed", newsroom["editor"])
    AuthActions(client).login("editor")
    html = client.get("/stories/acme-plant/questions").get_data(as_text=True)
    assert f"answer may be stale: claim {newsroom['shown']} moved from unreviewed to confirmed" in html
    ds = published(newsroom)
    soup = BeautifulSoup(get(ds, "/stories/acme-plant").text, "html.parser")
    question = soup.select_one("article.question")
    assert [b.get_text() for b in question.select(".status")] == ["Confirmed"]
    assert "changed since the answer was last reviewed" in question.select_one(".question-stale").get_text()

    # The editor reviews the answer (same words): the flag clears with the next publish.
    q = questions.get_question(db, newsroom["qid"])
    questions.write_answer(db, q["id"], q["answer"], newsroom["editor"], q["version"])
    ds = published(newsroom)
    soup = BeautifulSoup(get(ds, "/stories/acme-plant").text, "html.parser")
    assert soup.select_one("article.question .question-stale") is None


def test_the_story_page_follows_the_articles_order(newsroom):
    ds = published(newsroom)
    response = get(ds, "/stories/acme-plant")
    assert response.status_code == 200
    assert "script-src 'self';" in response.headers["content-security-policy"]  # a strict reader page
    soup = BeautifulSoup(response.text, "html.parser")
    assert [h.get_text() for h in soup.select("main h2")] == [
        "Summary",
        "What we have established",  # what editors settled, and why, before the charts
        "How the story spread",  # the charts, between the summary and the article's own order
        "Timeline",
        "What remains unclear",
        "What’s next",
        "Key questions",
        "Follow and download",  # the story's own feed and downloads, after the article
    ]
    assert len(soup.find_all("h1")) == 1 and soup.h1.get_text() == "Acme plant"
    assert soup.select_one("#next .next-text").get_text() == "<i>Acme</i> opens the plant"
    assert get(ds, "/stories/no-such-story").status_code == 404


def test_question_and_answer_text_is_escaped_everywhere(newsroom, client):
    ds = published(newsroom)
    for path in ("/stories/acme-plant", "/public/questions", f"/public/questions/{newsroom['qid']}"):
        text = get(ds, path).text
        assert "<script>alert" not in text and "<img src=x" not in text and "<b onmouseover" not in text, path
        assert "<i>Acme</i>" not in text, path
    soup = BeautifulSoup(get(ds, "/stories/acme-plant").text, "html.parser")
    question = soup.select_one("article.question")
    assert question.select_one(".question-text").get_text() == HOSTILE_Q
    assert question.select_one(".question-answer").get_text() == HOSTILE_A
    feed = get(ds, "/public/changes.atom")
    assert "<script>" not in feed.text and "<img" not in feed.text and "<b " not in feed.text
    (entry,) = [e for e in feedparser.parse(feed.text).entries if e.title.startswith("Answer updated")]
    assert entry.title == f"Answer updated: {HOSTILE_Q}"
    assert entry.content[0].type == "text/plain" and HOSTILE_A in entry.content[0].value
    AuthActions(client).login("editor")
    for path in (
        "/stories/acme-plant/questions",
        f"/questions/{newsroom['qid']}",
        f"/questions/{newsroom['qid']}/edit",
    ):
        html = client.get(path).get_data(as_text=True)
        assert "<script>alert" not in html and "<img src=x" not in html and "<b onmouseover" not in html, path


def test_the_under_review_note_is_true_whatever_raised_it(newsroom):
    """A claim linked after the answer raises the flag too: the note must not say it was ruled on."""
    db, editor = newsroom["db"], newsroom["editor"]
    later = claims.log_claim(db, newsroom["story"]["id"], "The roof is fixed", "Acme Widgets", "organization", editor)
    claims.set_published(db, later, True, editor, claims.get_claim(db, later)["version"])
    questions.link_claim(db, newsroom["qid"], later, "context", editor)
    ds = published(newsroom)
    soup = BeautifulSoup(get(ds, "/stories/acme-plant").text, "html.parser")
    note = soup.select_one("article.question .question-stale").get_text()
    assert "ruled on" not in note
    assert "changed since the answer was last reviewed" in note


def test_changing_or_unlinking_an_unpublished_claim_does_not_flag_the_public_answer(newsroom):
    db, editor, qid, hidden = newsroom["db"], newsroom["editor"], newsroom["qid"], newsroom["hidden"]
    questions.link_claim(db, qid, hidden, "answers_no", editor)
    published(newsroom)
    assert public_rows(newsroom["out"], "SELECT stale FROM questions") == [(0,)]
    questions.unlink_claim(db, qid, hidden, editor)
    published(newsroom)
    assert public_rows(newsroom["out"], "SELECT stale FROM questions") == [(0,)]
    # In the editor it is a reason all the same.
    assert [r["kind"] for r in questions.stale_reasons(db, questions.get_question(db, qid))] == ["stance", "unlinked"]
    questions.unlink_claim(db, qid, newsroom["shown"], editor)
    published(newsroom)
    assert public_rows(newsroom["out"], "SELECT stale FROM questions") == [(1,)]


def test_a_rewording_readers_do_not_see_yet_does_not_flag_the_public_answer(newsroom):
    """A claim reworded after its ruling keeps readers on the ruled wording until an editor rules again
    (claim_queries.ruled_wording_sql): the answer beside it has not changed for them, and the flag would tell them
    an unpublished edit exists. The edit is a reason in the editor all the same, and readers see the flag once
    the new wording is ruled on and goes out."""
    db, editor, qid, shown = newsroom["db"], newsroom["editor"], newsroom["qid"], newsroom["shown"]
    rule(db, shown, "confirmed", editor)
    q = questions.get_question(db, qid)
    questions.write_answer(db, qid, q["answer"], editor, q["version"])  # reviewed after the ruling
    published(newsroom)
    assert public_rows(newsroom["out"], "SELECT stale FROM questions") == [(0,)]

    version = claims.get_claim(db, shown)["version"]
    claims.update_claim(db, shown, editor, version, text="The plant never opens")
    published(newsroom)
    assert public_rows(newsroom["out"], "SELECT text FROM claims") == [("The plant opens in March",)]
    assert public_rows(newsroom["out"], "SELECT stale FROM questions") == [(0,)]
    assert [r["kind"] for r in questions.stale_reasons(db, questions.get_question(db, qid))] == ["edited"]

    rule(db, shown, "denied", editor)
    published(newsroom)
    assert public_rows(newsroom["out"], "SELECT text FROM claims") == [("The plant never opens",)]
    assert public_rows(newsroom["out"], "SELECT stale FROM questions") == [(1,)]


def test_a_rewording_of_a_claim_never_ruled_on_flags_the_public_answer(newsroom):
    """No ruling holds its wording: readers see the new words at once, so the answer beside them may be stale."""
    db, editor, shown = newsroom["db"], newsroom["editor"], newsroom["shown"]
    claims.update_claim(db, shown, editor, claims.get_claim(db, shown)["version"], text="The plant never opens")
    published(newsroom)
    assert public_rows(newsroom["out"], "SELECT text FROM claims") == [("The plant never opens",)]
    assert public_rows(newsroom["out"], "SELECT stale FROM questions") == [(1,)]
