"""A verdict belongs to the words it was given on: a claim reworded after its ruling keeps readers on the ruled
wording, with its verdict and ClaimReview, until an editor rules again; the editor's pages and Publish say so."""

from __future__ import annotations

import json
import sqlite3

import pytest
from bs4 import BeautifulSoup
from click.testing import CliRunner

from tests.conftest import csrf_from
from tests.test_public import get
from tracker import claims, migrations
from tracker.cli import cli
from tracker.db import connect
from tracker.public import make_datasette
from tracker.publish_log import publish_and_log

RULED = "Amazon staff were told to log fake AI tasks to meet targets."
REVERSED = "Amazon staff were never told to log fake AI tasks."
HELD = "wording changed after its ruling; readers keep the ruled wording until an editor rules again"


@pytest.fixture
def ruled(db, story, accounts) -> int:
    """A claim an editor confirmed, published, then reworded by a reporter to say the opposite."""
    claim_id = claims.log_claim(db, story["id"], RULED, "Staff", "anonymous", accounts["reporter"])
    claim = claims.set_status(db, claim_id, "confirmed", accounts["editor"], "Three staff", 1, "Three staff said so.")
    claims.set_published(db, claim_id, True, accounts["editor"], claim["version"])
    return claim_id


def reword(db, claim_id: int, user: dict, **fields: str) -> dict:
    return claims.update_claim(db, claim_id, user, claims.get_claim(db, claim_id)["version"], **fields)


def public_claim(public_path) -> dict:
    conn = sqlite3.connect(public_path)
    conn.row_factory = sqlite3.Row
    try:
        return dict(conn.execute("SELECT text, claimant, status FROM claims").fetchone())
    finally:
        conn.close()


def claim_review(public_path, public_id: int) -> dict:
    response = get(make_datasette(str(public_path)), f"/public/claims/{public_id}")
    assert response.status_code == 200
    page = BeautifulSoup(response.text, "html.parser")
    (review,) = [json.loads(b.string) for b in page.select('script[type="application/ld+json"]')]
    return review


def test_readers_keep_the_ruled_wording_and_its_claim_review_until_an_editor_rules_again(db, ruled, accounts, tmp_path):
    out = tmp_path / "public.db"
    publish_and_log(db, out, accounts["editor"])
    reword(db, ruled, accounts["reporter"], text=REVERSED)
    publish_and_log(db, out, accounts["editor"])

    assert public_claim(out) == {"text": RULED, "claimant": "Staff", "status": "confirmed"}
    review = claim_review(out, ruled)
    assert review["claimReviewed"] == RULED
    assert review["reviewRating"]["ratingValue"] == 5

    version = claims.get_claim(db, ruled)["version"]
    claims.set_status(db, ruled, "denied", accounts["editor"], "Reversed", version, "The staff said the opposite.")
    publish_and_log(db, out, accounts["editor"])
    assert public_claim(out) == {"text": REVERSED, "claimant": "Staff", "status": "denied"}
    assert claim_review(out, ruled)["claimReviewed"] == REVERSED


def test_a_claim_first_published_after_its_rewording_goes_out_with_the_ruled_wording(db, ruled, accounts, tmp_path):
    reword(db, ruled, accounts["reporter"], claimant="A spokesperson", claimant_type="named")
    out = tmp_path / "public.db"
    publish_and_log(db, out, accounts["editor"])
    assert public_claim(out) == {"text": RULED, "claimant": "Staff", "status": "confirmed"}


def test_the_ruled_wording_is_the_one_before_the_first_edit_after_the_ruling(db, ruled, accounts):
    reword(db, ruled, accounts["reporter"], text="A first rewording.")
    reword(db, ruled, accounts["reporter"], text=REVERSED, claimant="Nobody")
    (found,) = claims.reworded_since_ruling(db, claim_id=ruled)
    assert (found["text"], found["claimant"], found["claimant_type"]) == (RULED, "Staff", "anonymous")
    reword(db, ruled, accounts["reporter"], text=RULED, claimant="Staff")
    assert claims.reworded_since_ruling(db, claim_id=ruled) == []  # edited back: the ruling is on these words


def test_the_same_verdict_can_be_given_again_on_the_new_wording_and_clears_the_mark(db, ruled, accounts):
    before = claims.history(db, ruled)
    with pytest.raises(claims.TrackerError, match="already confirmed"):
        claims.set_status(db, ruled, "confirmed", accounts["editor"], "again", claims.get_claim(db, ruled)["version"])
    reword(db, ruled, accounts["reporter"], text="Amazon staff were told to log fake AI tasks.")
    version = claims.get_claim(db, ruled)["version"]
    claims.set_status(db, ruled, "confirmed", accounts["editor"], "Still holds", version, "Still holds.")
    assert claims.reworded_since_ruling(db, claim_id=ruled) == []
    assert claims.history(db, ruled)[: len(before)] == before  # the earlier ruling is kept as it was


def test_a_ruling_made_before_the_edit_mark_existed_is_told_from_later_edits_by_time(tmp_path):
    path = tmp_path / "old.db"
    db = connect(path)
    migrations.migrations.apply(db, stop_before="0059_ruling_edit_mark")
    db.execute("INSERT INTO stories (slug, title, created_at) VALUES ('s', 'S', '2026-01-01T00:00:00Z')")
    db.execute(
        """INSERT INTO claims (story_id, text, claimant, claimant_type, status, published, created_at, updated_at)
           VALUES (1, ?, 'Staff', 'anonymous', 'confirmed', 1, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')""",
        [REVERSED],
    )
    db.execute(
        """INSERT INTO status_history (claim_id, from_status, to_status, rationale, at)
           VALUES (1, 'unreviewed', 'confirmed', 'Three staff', '2026-01-02T00:00:00Z')"""
    )
    db.execute(
        """INSERT INTO claim_edits (claim_id, at, field, old, new)
           VALUES (1, '2026-01-03T00:00:00Z', 'text', ?, ?)""",
        [RULED, REVERSED],
    )
    db.conn.commit()
    migrations.apply(db)
    (found,) = claims.reworded_since_ruling(db, claim_id=1)
    assert found["text"] == RULED
    db.close()


def test_the_command_lines_publish_lists_the_reworded_claim_apart(db_path, db, ruled, accounts, tmp_path):
    out = tmp_path / "public.db"
    publish_and_log(db, out, accounts["editor"])
    reword(db, ruled, accounts["reporter"], text=REVERSED)
    result = CliRunner().invoke(cli, ["--db", str(db_path), "publish", "--out", str(out), "--yes"])
    assert result.exit_code == 0, result.output
    assert f"claim {ruled}: {HELD}" in result.output
    assert "Wording" not in result.output  # readers' wording does not change
    assert public_claim(out)["text"] == RULED


def test_the_editors_pages_say_the_ruling_was_made_on_earlier_wording(client, auth, db, story, ruled, accounts):
    auth.login("reporter")
    page = client.get(f"/claims/{ruled}/edit").get_data(as_text=True)
    form = {"csrf_token": csrf_from(page), "version": str(claims.get_claim(db, ruled)["version"])}
    form |= {"text": REVERSED, "claimant": "Staff", "claimant_type": "anonymous", "source_identity": ""}
    form |= {"internal_notes": ""}
    assert client.post(f"/claims/{ruled}/edit", data=form).status_code == 302
    detail = client.get(f"/claims/{ruled}").get_data(as_text=True)
    assert "Ruling made on earlier wording: rule again" in detail and RULED in detail
    dashboard = client.get(f"/stories/{story['slug']}/dashboard").get_data(as_text=True)
    assert "Ruling made on earlier wording: rule again" in dashboard
    listing = client.get(f"/stories/{story['slug']}").get_data(as_text=True)
    assert "Ruling made on earlier wording" in listing
    auth.logout()
    auth.login("editor")
    publish = client.get("/publish").get_data(as_text=True)
    assert HELD in publish


def test_the_api_says_the_ruling_was_made_on_earlier_wording(client, auth, db, ruled, accounts):
    """An API client (a newsroom's CMS) read `status: confirmed` beside the reversed words, nothing more."""
    auth.login("reporter")
    before = client.get(f"/api/claims/{ruled}").get_json()
    assert before["status"] == "confirmed" and before["ruled_on_earlier_wording"] is None
    reword(db, ruled, accounts["reporter"], text=REVERSED)
    after = client.get(f"/api/claims/{ruled}").get_json()
    assert after["text"] == REVERSED and after["status"] == "confirmed"
    held = after["ruled_on_earlier_wording"]
    assert held["text"] == RULED and held["ruling_id"] == after["history"][-1]["id"]
    claims.set_status(db, ruled, "denied", accounts["editor"], "Now denied", claims.get_claim(db, ruled)["version"])
    assert client.get(f"/api/claims/{ruled}").get_json()["ruled_on_earlier_wording"] is None
