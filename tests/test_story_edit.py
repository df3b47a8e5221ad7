"""Editing a story from the editor, and command-line publishes showing up in the editor's publish log."""

from __future__ import annotations

import json
import re
import sqlite3

import pytest
from click.testing import CliRunner

from tests.conftest import PASSWORD, csrf_from
from tracker import claims, coverage, stories
from tracker.cli import cli
from tracker.db import TrackerError

EDIT = "/stories/test-story/edit"
XSS = '<script>alert(1)</script><img src=x onerror="alert(2)">'


def token(client, path=EDIT) -> str:
    return csrf_from(client.get(path).get_data(as_text=True))


def form_state(html: str) -> dict[str, str]:
    """The edit form's token and `seen` digest, as the page sent them."""
    return {"csrf_token": csrf_from(html), "seen": re.search(r'name="seen" value="([^"]*)"', html).group(1)}


# Editing a story


def test_update_story_keeps_the_slug_and_tidies_keywords(db, story):
    updated = stories.update_story(
        db, "test-story", title="  New title ", description=" Why ", keywords_include="Acme,, widget ,"
    )
    assert (updated["slug"], updated["title"], updated["description"]) == ("test-story", "New title", "Why")
    assert (updated["keywords_include"], updated["keywords_exclude"]) == ("Acme, widget", "")
    assert updated["id"] == story["id"]


def test_update_story_refuses_an_empty_title_and_changes_nothing(db, story):
    with pytest.raises(TrackerError, match="needs a title"):
        stories.update_story(db, "test-story", title="  ", keywords_include="Other")
    assert stories.get_story(db, "test-story")["keywords_include"] == "Acme"
    with pytest.raises(stories.StoryNotFound):
        stories.update_story(db, "no-such-story", title="T")


def test_an_editor_edits_a_story_from_its_page(client, auth, accounts, story, db):
    auth.login("editor")
    page = client.get("/stories/test-story").get_data(as_text=True)
    assert f'href="{EDIT}"' in page
    form = client.get(EDIT).get_data(as_text=True)
    assert 'value="A test story"' in form and 'value="Acme"' in form
    assert 'name="slug"' not in form and "<code>test-story</code>" in form
    response = client.post(
        EDIT,
        data={
            **form_state(form),
            "title": "Acme plant inquiry",
            "description": "Who knew what",
            "keywords_include": "Acme, plant",
            "keywords_exclude": "golf",
            "slug": "renamed",  # ignored: the slug is the public URL
        },
    )
    assert response.status_code == 302 and response.headers["Location"] == "/stories/test-story"
    saved = stories.get_story(db, "test-story")
    assert (saved["title"], saved["description"]) == ("Acme plant inquiry", "Who knew what")
    assert (saved["keywords_include"], saved["keywords_exclude"]) == ("Acme, plant", "golf")
    assert db.execute("SELECT count(*) FROM stories WHERE slug = 'renamed'").fetchone()[0] == 0
    assert "Story saved" in client.get("/stories/test-story").get_data(as_text=True)


def test_a_refused_edit_keeps_what_was_typed_and_changes_nothing(client, auth, accounts, story, db):
    auth.login("admin")
    response = client.post(
        EDIT,
        data={"csrf_token": token(client), "title": " ", "description": "Kept text", "keywords_include": "kept, words"},
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "needs a title" in html and "Kept text</textarea>" in html and 'value="kept, words"' in html
    assert stories.get_story(db, "test-story")["title"] == "A test story"


def test_a_second_editor_saving_an_older_form_does_not_overwrite_the_first(app, client, auth, accounts, story, db):
    """Each form sends back every field: the second save would put back what the first had changed."""
    auth.login("editor")
    mine = client.get(EDIT).get_data(as_text=True)
    other = app.test_client()
    other_page = other.get("/login").get_data(as_text=True)
    other.post("/login", data={"username": "admin", "password": PASSWORD, "csrf_token": csrf_from(other_page)})
    theirs = other.get(EDIT).get_data(as_text=True)
    saved = other.post(EDIT, data={**form_state(theirs), "title": "A test story", "keywords_include": "Acme, kettle"})
    assert saved.status_code == 302

    typed = {"title": "A test story", "description": "Who knew what", "keywords_include": "Acme"}
    refused = client.post(EDIT, data={**form_state(mine), **typed})
    assert refused.status_code == 409
    html = refused.get_data(as_text=True)
    assert "changed by someone else" in html and "Who knew what</textarea>" in html and "Acme, kettle" in html
    assert stories.get_story(db, "test-story")["keywords_include"] == "Acme, kettle"

    again = client.post(EDIT, data={**form_state(html), **typed, "keywords_include": "Acme, kettle"})  # theirs seen
    assert again.status_code == 302
    saved = stories.get_story(db, "test-story")
    assert (saved["description"], saved["keywords_include"]) == ("Who knew what", "Acme, kettle")


def test_reporters_may_not_edit_a_story(client, auth, accounts, story, db):
    auth.login("reporter")
    assert f'href="{EDIT}"' not in client.get("/stories/test-story").get_data(as_text=True)
    assert client.get(EDIT).status_code == 403
    response = client.post(EDIT, data={"csrf_token": token(client, "/account"), "title": "Hijacked"})
    assert response.status_code == 403
    assert stories.get_story(db, "test-story")["title"] == "A test story"


def test_an_edit_without_a_csrf_token_is_refused(client, auth, accounts, story, db):
    auth.login("editor")
    response = client.post(EDIT, data={"title": "Forged"})
    assert response.status_code == 400 and "security token" in response.get_data(as_text=True)
    response = client.post(EDIT, data={"csrf_token": "forged", "title": "Forged"})
    assert response.status_code == 400
    assert stories.get_story(db, "test-story")["title"] == "A test story"


def test_a_story_title_is_escaped_everywhere_it_is_shown(client, auth, accounts, story, db):
    auth.login("editor")
    client.post(EDIT, data={**form_state(client.get(EDIT).get_data(as_text=True)), "title": XSS, "description": XSS})
    assert stories.get_story(db, "test-story")["title"] == XSS
    for path in ("/", "/stories/test-story", EDIT):
        html = client.get(path).get_data(as_text=True)
        assert "<script>alert(1)" not in html and "<img src=x" not in html, path
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html, path


def test_an_unknown_story_has_no_edit_page(client, auth, accounts, story):
    auth.login("editor")
    assert client.get("/stories/no-such-story/edit").status_code == 404


# Command-line publishes in the publish log


def test_a_command_line_publish_is_logged_and_listed_on_the_publish_page(app, client, auth, accounts, story, db):
    item = coverage.upsert_item(db, story["id"], "https://news.example/a", outlet="News Example", title="A")
    revision_id, _ = coverage.add_revision(db, item, "Acme said the plant will open in March.")
    claim_id = claims.log_claim(db, story["id"], "The plant opens in March", "Acme", "organization", accounts["editor"])
    evidence_id = claims.add_evidence(
        db, claim_id, revision_id, "the plant will open in March", "supports", accounts["editor"]
    )
    claims.set_status(db, claim_id, "confirmed", accounts["editor"], "Filing", 1, evidence_ids=[evidence_id])
    claims.set_published(db, claim_id, True, accounts["editor"], 2)
    public_db = app.config["PUBLIC_DB"]
    db_path = app.config["DATABASE"]

    result = CliRunner().invoke(cli, ["--db", db_path, "publish", "--out", public_db])
    assert result.exit_code == 0, result.output
    assert "Published 1 claim(s)" in result.output
    log = db.execute("SELECT user_id, claims, added, status_changed, changes FROM publish_log").fetchall()
    assert [row[:4] for row in log] == [(None, 1, 1, 0)]
    logged = {(c["item"], c["item_id"], c["kind"], c["part"]) for c in json.loads(log[0][4])}
    assert ("claim", str(claim_id), "added", "") in logged and ("claim", str(claim_id), "added", "evidence") in logged
    public = sqlite3.connect(public_db)
    assert public.execute("SELECT id FROM claims").fetchall() == [(claim_id,)]
    public.close()

    auth.login("editor")
    page = client.get("/publish").get_data(as_text=True)
    assert "command line" in page and "Readers already see exactly" in page
    log_id = db.execute("SELECT id FROM publish_log").fetchone()[0]
    assert f'href="/publish/{log_id}"' in page
    result_page = client.get(f"/publish/{log_id}").get_data(as_text=True)
    assert "By the command line" in result_page and "The plant opens in March" in result_page

    # A second publish with nothing new is logged too, with no changes.
    assert CliRunner().invoke(cli, ["--db", db_path, "publish", "--out", public_db]).exit_code == 0
    assert db.execute("SELECT added, removed, status_changed, text_changed FROM publish_log ORDER BY id").fetchall()[
        -1
    ] == (0, 0, 0, 0)


def test_a_failed_command_line_publish_logs_nothing(db_path, db, story, tmp_path):
    result = CliRunner().invoke(cli, ["--db", str(db_path), "publish", "--out", str(tmp_path / "missing" / "p.db")])
    assert result.exit_code != 0
    assert "Traceback" not in result.output
    assert db.execute("SELECT count(*) FROM publish_log").fetchone()[0] == 0
