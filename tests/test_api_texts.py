"""The texts a quote must match, in the JSON API: a coverage item's revisions, each revision's text and diff."""

from __future__ import annotations

import pytest

from tests.test_api import Api, newsroom  # noqa: F401 (a fixture)
from tracker import coverage, reporting


@pytest.fixture
def texts(db, story, newsroom):  # noqa: F811
    """An article revised once, and a note of our own reporting with its confidential who and notes."""
    item = coverage.upsert_item(db, story["id"], "https://news.example/plant", outlet="News Example", title="Plant")
    first, _ = coverage.add_revision(db, item, "The plant opens in March.\nIt is fully funded.")
    second, _ = coverage.add_revision(db, item, "The plant opens in April.\nIt is fully funded.")
    note = reporting.log_reporting(
        db,
        story["id"],
        how="call",
        at="2026-01-02T10:00:00Z",
        words="We expect to open in April.",
        user=None,
        identity="Jo Bloggs, plant manager",
        notes="Asked not to be named.",
    )
    return {"item": item, "revisions": [first, second], "note": note}


def test_a_coverage_item_lists_its_revisions_to_quote_from(client, newsroom, texts):  # noqa: F811
    api = Api(client, newsroom["tokens"]["reporter"])
    item = api.call("GET", f"/coverage/{texts['item']}").json
    assert item["id"] == texts["item"] and item["url"] == "https://news.example/plant" and item["story"] == "test-story"
    assert [r["id"] for r in item["revisions"]] == texts["revisions"]
    assert all(r["fetched_at"] for r in item["revisions"])
    assert item["latest_revision_id"] == texts["revisions"][-1] and item["revision_count"] == 2
    assert api.call("GET", "/coverage/999999").status_code == 404


def test_a_revision_gives_its_text_word_for_word_and_what_changed(client, newsroom, texts):  # noqa: F811
    api = Api(client, newsroom["tokens"]["editor"])
    first, second = texts["revisions"]
    older = api.call("GET", f"/revisions/{first}").json
    assert older["text"] == "The plant opens in March.\nIt is fully funded." and older["diff"] is None
    newer = api.call("GET", f"/revisions/{second}").json
    assert newer["text"] == "The plant opens in April.\nIt is fully funded."
    assert newer["coverage_id"] == texts["item"] and newer["previous_revision_id"] == first
    assert "-The plant opens in March." in newer["diff"] and "+The plant opens in April." in newer["diff"]
    # The text is the one a quote is checked against: a quote taken from it is accepted.
    claim = {
        "text": "The plant opens in April",
        "claimant_type": "organization",
        "evidence": [{"revision_id": second, "quote": newer["text"][:25], "stance": "supports"}],
    }
    assert api.call("POST", "/stories/test-story/claims", json=claim).status_code == 201
    assert api.call("GET", "/revisions/999999").status_code == 404


def test_our_reporting_gives_its_words_but_never_who_said_them_nor_the_notes(client, newsroom, texts):  # noqa: F811
    api = Api(client, newsroom["tokens"]["reporter"])
    item = api.call("GET", f"/coverage/{texts['note']}")
    (revision,) = item.json["revisions"]
    words = api.call("GET", f"/revisions/{revision['id']}")
    assert words.json["text"] == "We expect to open in April."
    for answer in (item, words):
        body = answer.get_data(as_text=True)
        assert "Jo Bloggs" not in body and "not to be named" not in body


def test_texts_are_for_the_newsroom_only(client, texts):
    for path in (f"/api/coverage/{texts['item']}", f"/api/revisions/{texts['revisions'][0]}"):
        answer = client.get(path)
        assert answer.status_code == 401 and answer.json["message"]
