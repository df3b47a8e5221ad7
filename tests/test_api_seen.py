"""What is new in a story since the token's account last looked, and what changed last in it, over the JSON API."""

from __future__ import annotations

import pytest

from tests.storage import read_only_file
from tests.test_api import Api
from tests.test_candidates import LEDGER, ingest
from tracker import claims, migrations, stories, users
from tracker.db import connect

STORY = "/stories/test-story"


def _looks(db) -> list[tuple]:
    return db.execute(
        "SELECT user_id, story_id, looked_at, last_ruling, last_claim, last_candidate, last_revision "
        "FROM story_looks ORDER BY user_id, story_id"
    ).fetchall()


def _counts(new: dict) -> tuple:
    return new["rulings"], new["claims"], new["candidates"], new["coverage"], new["total"], new["capped"]


def _waiting_from(db, story: dict, title: str) -> int:
    """Candidates waiting that were read from the coverage of this title."""
    return db.execute(
        "SELECT count(*) FROM candidates WHERE story_id = ? AND state = 'pending' AND revision_id IN "
        "(SELECT r.id FROM revisions r JOIN coverage c ON c.id = r.coverage_id WHERE c.title = ?)",
        [story["id"], title],
    ).fetchone()[0]


@pytest.fixture
def tokens(db, accounts) -> dict[str, str]:
    return {role: users.create_token(db, role) for role in ("reporter", "editor")}


def exercise_seen_api(api: Api, slug: str) -> None:
    """Each operation of this file once, for the test that calls every documented operation."""
    latest = api.call("GET", f"/stories/{slug}/latest").get_json()
    marked = api.call("POST", f"/stories/{slug}/looked", json={"mark": latest["mark"]})
    assert marked.status_code == 200 and marked.get_json()["total"] == 0


def test_the_api_says_what_is_new_since_you_looked_and_only_a_post_marks_a_look(db, story, accounts, tokens, client):
    """The editor's story page and list said what came in since each person last looked; the API said nothing of
    it, so a newsroom's own tool (a morning digest, a desk bot) could not ask "what is new for me". It now says the
    same counts in each story, marks a look with a POST, and a GET marks nothing."""
    api = Api(client, tokens["editor"])
    reporter, editor = accounts["reporter"], accounts["editor"]
    ruled = claims.log_claim(db, story["id"], "Acme will close Riverside", "Dana Okafor", "named", reporter)

    assert api.call("GET", "/stories").get_json()["stories"][0]["new"] is None
    assert api.call("GET", f"/stories/{story['slug']}/latest").get_json()["new"] is None
    assert _looks(db) == []  # reading is no look

    first = api.call("POST", f"/stories/{story['slug']}/looked", json={}).get_json()
    assert _counts(first) == (0, 0, 0, 0, 0, [])
    [look] = _looks(db)
    assert look[:2] == (editor["id"], story["id"]) and look[2] == first["looked_at"]

    claims.set_status(db, ruled, "confirmed", editor, "Two outlets and the filing", 1)
    claims.log_claim(db, story["id"], "Acme plans layoffs", "A supplier", "named", reporter)
    claims.log_claim(db, story["id"], "The union declined to comment", "", "unattributed", reporter)
    ingest(db, story, "https://ledger.example/acme", "Daily Ledger", LEDGER, title="Acme to close Riverside plant")
    waiting_new = _waiting_from(db, story, "Acme to close Riverside plant")
    assert waiting_new > 1
    expected = (1, 2, waiting_new, 1, 3 + waiting_new + 1, [])

    [listed] = api.call("GET", "/stories").get_json()["stories"]
    assert _counts(listed["new"]) == expected and listed["new"]["looked_at"] == first["looked_at"]
    assert _counts(api.call("GET", STORY).get_json()["new"]) == expected
    latest = api.call("GET", f"{STORY}/latest").get_json()
    assert _counts(latest["new"]) == expected
    assert latest["ruling"]["claim_id"] == ruled and latest["ruling"]["to_status"] == "confirmed"
    assert latest["ruling"]["editor"] == "editor" and latest["ruling"]["is_correction"] is False
    assert (latest["claim"]["text"], latest["claim"]["author"]) == ("The union declined to comment", "reporter")
    assert latest["waiting"]["count"] >= waiting_new and latest["waiting"]["newest_at"]
    assert (latest["coverage"]["title"], latest["coverage"]["url"]) == (
        "Acme to close Riverside plant",
        "https://ledger.example/acme",
    )
    assert _looks(db) == [look]  # three reads, no look

    # A claim logged after the tool read `latest`: marked with that answer's mark, it is still new.
    after = claims.log_claim(db, story["id"], "Acme denies the report", "Acme", "organization", reporter)
    marked = api.call("POST", f"{STORY}/looked", json={"mark": latest["mark"]}).get_json()
    assert _counts(marked) == (0, 1, 0, 0, 1, [])
    assert api.call("GET", f"{STORY}/latest").get_json()["claim"]["id"] == after
    assert _counts(api.call("POST", f"{STORY}/looked", json={}).get_json()) == (0, 0, 0, 0, 0, [])
    # An older mark sent again takes nothing back.
    assert _counts(api.call("POST", f"{STORY}/looked", json={"mark": latest["mark"]}).get_json())[4] == 0


def test_a_mark_past_the_lists_ends_hides_nothing_still_to_come(db, story, accounts, tokens, client):
    """A mark holds ids this API handed out; one past every list's end (a typo, a tool's bug) counts as the ends,
    else every claim, ruling and page stored later would arrive already seen."""
    api = Api(client, tokens["editor"])
    far = {k: 10**15 for k in stories.LOOK_MARKS}
    assert api.call("POST", f"{STORY}/looked", json={"mark": far}).get_json()["total"] == 0
    claims.log_claim(db, story["id"], "Acme plans layoffs", "", "unattributed", accounts["reporter"])
    assert _counts(api.call("GET", STORY).get_json()["new"]) == (0, 1, 0, 0, 1, [])


def test_each_accounts_looks_are_its_own(db, story, accounts, tokens, client):
    """A reporter's tool marking the story seen leaves the editor's last look, and what is new for them, as it was."""
    editor_api, reporter_api = Api(client, tokens["editor"]), Api(client, tokens["reporter"])
    editor_api.call("POST", f"{STORY}/looked", json={})
    claims.log_claim(db, story["id"], "Acme plans layoffs", "", "unattributed", accounts["reporter"])
    editors_look = _looks(db)

    assert _counts(reporter_api.call("POST", f"{STORY}/looked", json={}).get_json())[4] == 0
    assert [row for row in _looks(db) if row[0] == accounts["editor"]["id"]] == editors_look
    assert _counts(editor_api.call("GET", STORY).get_json()["new"]) == (0, 1, 0, 0, 1, [])
    assert reporter_api.call("GET", STORY).get_json()["new"]["total"] == 0


def test_a_look_long_ago_says_which_counts_are_at_least(db, story, accounts, tokens, client, monkeypatch):
    """Counts are of the newest NEW_COUNTED ids of each list: one cut so is named in `capped`, as the editor writes
    it "2+", so a tool never reports an exact number it does not have."""
    api = Api(client, tokens["editor"])
    api.call("POST", f"{STORY}/looked", json={})
    for n in range(3):
        claims.log_claim(db, story["id"], f"Acme plans layoffs {n}", "", "unattributed", accounts["reporter"])
    monkeypatch.setattr(stories, "NEW_COUNTED", 2)
    assert _counts(api.call("GET", f"{STORY}/latest").get_json()["new"]) == (0, 2, 0, 0, 2, ["claims"])


def test_a_look_is_refused_on_a_read_only_database_and_reads_still_answer(db, db_path, story, tokens, client):
    """A look is a write: on a read-only database it is the API's one-line 503 and nothing is kept; nothing is
    said of the last look kept, which opening the story can no longer move."""
    api = Api(client, tokens["editor"])
    api.call("POST", f"{STORY}/looked", json={})
    kept = _looks(db)
    with read_only_file(db_path):
        refused = api.call("POST", f"{STORY}/looked", json={})
        assert refused.status_code == 503
        message = refused.get_json()["message"]
        assert "read-only" in message and "nothing was saved" in message and "\n" not in message
        assert str(db_path) not in message
        assert api.call("GET", f"{STORY}/latest").get_json()["new"] is None  # as the editor's page: no look kept
    assert _looks(db) == kept


@pytest.mark.parametrize(
    ("method", "path", "body", "status"),
    [
        ("POST", "/stories/no-such-story/looked", {}, 404),
        ("GET", "/stories/no-such-story/latest", None, 404),
        ("POST", f"{STORY}/looked", {"mark": {"last_claim": 1}}, 422),
        ("POST", f"{STORY}/looked", {"mark": {k: -1 for k in stories.LOOK_MARKS}}, 422),
        ("POST", f"{STORY}/looked", {"seen": True}, 422),
    ],
)
def test_a_look_at_no_story_or_with_a_bad_mark_is_refused_and_keeps_nothing(
    db, story, tokens, client, method, path, body, status
):
    api = Api(client, tokens["editor"])
    assert api.call(method, path, json=body).status_code == status
    assert _looks(db) == []


def test_a_look_is_refused_by_an_editor_opened_on_a_read_only_database(tmp_path):
    """An editor started on a read-only copy (tracker.db.opens_read_only) reads it through a read-only connection:
    a look there is the same one-line 503, and nothing is said of a last look, as the editor's pages say none."""
    from tracker.editor import create_app

    db_path, token, kept = _looked_then_claimed(tmp_path)
    with read_only_file(db_path):
        app = create_app({"TESTING": True, "SECRET_KEY": "k", "DATABASE": str(db_path), "RATELIMIT_ENABLED": False})
        api = Api(app.test_client(), token)
        refused = api.call("POST", f"{STORY}/looked", json={})
        assert refused.status_code == 503 and "read-only" in refused.get_json()["message"]
        assert api.call("GET", f"{STORY}/latest").get_json()["new"] is None
    db = connect(db_path)
    assert _looks(db) == kept
    db.close()


def test_the_api_and_the_editor_say_the_same_of_a_last_look_on_a_read_only_file(tmp_path):
    """On a read-only file the editor's story page and list said nothing of a last look (none can be kept: opening
    the page would not move it, and "1 new since you last looked" would be said on every visit), while the API
    said `new` from the last look kept, on the same file at the same moment. Both now say nothing (`new` null)."""
    from bs4 import BeautifulSoup

    from tests.conftest import AuthActions
    from tracker.editor import create_app

    db_path, token, _ = _looked_then_claimed(tmp_path)
    with read_only_file(db_path):
        app = create_app({"TESTING": True, "SECRET_KEY": "k", "DATABASE": str(db_path), "RATELIMIT_ENABLED": False})
        api = Api(app.test_client(), token)
        said = [
            api.call("GET", "/stories").get_json()["stories"][0]["new"],
            api.call("GET", STORY).get_json()["new"],
            api.call("GET", f"{STORY}/latest").get_json()["new"],
        ]
        browser = app.test_client()
        assert AuthActions(browser).login("edith", "correct-horse-battery").status_code == 302
        listed = BeautifulSoup(browser.get("/").get_data(as_text=True), "html.parser")
        page = BeautifulSoup(browser.get(STORY).get_data(as_text=True), "html.parser")
    assert said == [None, None, None]
    assert listed.select(".seen-count") == [] and listed.select(".tag--new") == []
    assert page.select(".seen-line") == [] and page.select(".tag--new") == []


def _looked_then_claimed(tmp_path) -> tuple:
    """A closed working database where edith (an editor, with an API token) looked at the story and a claim was
    logged after: one change new since her last look. Its path, her token and the looks kept."""
    db_path = tmp_path / "tracker.db"
    db = connect(db_path)
    migrations.apply(db)
    editor = users.add_user(db, "edith", "correct-horse-battery", "editor")
    story = stories.create_story(db, "test-story", "A test story")
    token = users.create_token(db, "edith")
    stories.record_look(db, editor["id"], story["id"], stories.look_mark(db))
    claims.log_claim(db, story["id"], "Acme plans layoffs", "", "unattributed", editor)
    kept = _looks(db)
    db.close()
    return db_path, token, kept
