"""What is new in a story since each person last looked at it: on its page, and counted on the story list."""

from __future__ import annotations

import contextlib
import re
import sqlite3
import threading
from collections.abc import Iterator

import flask
import pytest
from bs4 import BeautifulSoup

from tests.conftest import PASSWORD, AuthActions
from tests.storage import read_only_file
from tests.test_candidates import LEDGER, ingest
from tracker import claims, stories
from tracker.db import BUSY_TIMEOUT_MS, connect, transaction

STORY = "/stories/test-story"


def _looks(db) -> list[tuple]:
    return db.execute("SELECT user_id, story_id FROM story_looks ORDER BY user_id, story_id").fetchall()


def _panel(html: str):
    panel = BeautifulSoup(html, "html.parser").find("section", class_="latest")
    assert panel is not None, "the story page has no Latest panel"
    return panel


def _seen_line(html: str) -> str:
    return " ".join(_panel(html).select_one(".seen-line").get_text().split())


def _new_tags(html: str) -> dict[str, str]:
    """Each Latest row's "N new" tag, by the row's label."""
    found = {}
    for row in _panel(html).select(".latest-row"):
        tag = row.select_one(".tag--new")
        if tag is not None:
            label = row.select_one(".latest-label").get_text(strip=True).rstrip(":")
            found[label] = tag.get_text(" ", strip=True)
    return found


def test_the_story_page_marks_what_is_new_since_you_last_looked(db, story, accounts, client, auth):
    """The story page named the latest ruling, claim, candidates and coverage whether or not the editor had seen
    them yesterday. It now says what arrived since this person last opened it, in words and colour, and that
    nothing did when so."""
    reporter, editor = accounts["reporter"], accounts["editor"]
    older = claims.log_claim(db, story["id"], "Acme will close Riverside", "Dana Okafor", "named", reporter)
    ingest(db, story, "https://older.example/acme", "Older Ledger", LEDGER[:1], title="Acme weighs Riverside")
    auth.login("editor")

    first = client.get(STORY).get_data(as_text=True)
    assert _seen_line(first).startswith("Your first look at this story")
    assert _new_tags(first) == {}

    again = client.get(STORY).get_data(as_text=True)
    assert re.fullmatch(r"Nothing new since you last looked on \d+ \w+ \d{4}, \d\d:\d\d UTC\.", _seen_line(again))
    assert _new_tags(again) == {}

    claims.set_status(db, older, "confirmed", editor, "Two outlets and the filing", 1)
    claims.log_claim(db, story["id"], "Acme plans layoffs", "A supplier", "named", reporter)
    claims.log_claim(db, story["id"], "The union declined to comment", "", "unattributed", reporter)
    ingest(db, story, "https://ledger.example/acme", "Daily Ledger", LEDGER, title="Acme to close Riverside plant")
    waiting_new = db.execute(
        "SELECT count(*) FROM candidates WHERE story_id = ? AND state = 'pending' AND revision_id IN "
        "(SELECT r.id FROM revisions r JOIN coverage c ON c.id = r.coverage_id WHERE c.title LIKE 'Acme to close%')",
        [story["id"]],
    ).fetchone()[0]
    assert waiting_new > 1

    marked = client.get(STORY).get_data(as_text=True)
    assert _new_tags(marked) == {
        "Ruling": "1 new",
        "Claim logged": "2 new",
        "Triage": f"{waiting_new} new",
        "Coverage": "1 new",
    }
    line = _seen_line(marked)
    assert line.startswith("New since you last looked on ")
    assert line.endswith(f": 1 ruling, 2 claims logged, {waiting_new} candidates, 1 coverage item.")
    # Each mark is a word beside its colour, and the colour is the page's "new" one.
    assert all(t.get_text(strip=True).endswith("new") for t in _panel(marked).select(".tag--new"))

    assert _seen_line(client.get(STORY).get_data(as_text=True)).startswith("Nothing new since you last looked")


def test_each_person_has_their_own_last_look(db, story, accounts, client, auth, app):
    """One editor's look marks nothing as seen for another."""
    auth.login("editor")
    client.get(STORY)
    claims.log_claim(db, story["id"], "Acme plans layoffs", "", "unattributed", accounts["reporter"])
    other = app.test_client()
    AuthActions(other).login("reporter")
    other.get(STORY)
    other.get(STORY)
    assert _new_tags(client.get(STORY).get_data(as_text=True)) == {"Claim logged": "1 new"}
    assert _new_tags(other.get(STORY).get_data(as_text=True)) == {}


@pytest.mark.parametrize(
    ("method", "headers", "query"),
    [
        ("HEAD", {}, ""),
        ("GET", {"Sec-Purpose": "prefetch"}, ""),
        ("GET", {"Sec-Purpose": "prefetch;prerender"}, ""),
        ("GET", {"Purpose": "prefetch"}, ""),
        ("GET", {"X-Moz": "prefetch"}, ""),
        ("GET", {}, "?q=acme"),  # a search shows no Latest panel, so nothing new was shown either
        ("GET", {}, "?status=confirmed"),
        ("GET", {}, "?offset=50"),
    ],
)
def test_a_head_a_prefetch_or_a_search_is_no_look(db, story, accounts, client, auth, method, headers, query):
    """A browser fetching the page ahead of a click, or a HEAD, shows nobody anything: recorded as a look, the
    editor's next visit said "nothing new" of changes they never saw."""
    auth.login("editor")
    response = client.open(STORY + query, method=method, headers=headers)
    assert response.status_code == 200
    assert _looks(db) == []
    client.get(STORY)
    assert _looks(db) == [(accounts["editor"]["id"], story["id"])]


def test_a_read_only_database_records_no_look_and_the_page_still_opens(tmp_path):
    """Browsing a read-only copy (tracker.db.opens_read_only) must not try to write: the page opens, marks
    nothing and says nothing of a last look it cannot keep."""
    from tracker import migrations, users
    from tracker.editor import create_app

    db_path = tmp_path / "tracker.db"
    db = connect(db_path)
    migrations.apply(db)
    users.add_user(db, "edith", PASSWORD, "editor")
    stories.create_story(db, "test-story", "A test story")
    db.close()
    with read_only_file(db_path):
        app = create_app({"TESTING": True, "SECRET_KEY": "k", "DATABASE": str(db_path), "RATELIMIT_ENABLED": False})
        client = app.test_client()
        assert AuthActions(client).login("edith").status_code == 302
        for _ in range(2):
            response = client.get(STORY)
            assert response.status_code == 200
            assert _new_tags(response.get_data(as_text=True)) == {}
            assert _panel(response.get_data(as_text=True)).select_one(".seen-line") is None
    db = connect(db_path)
    assert _looks(db) == []


@contextlib.contextmanager
def _lock_held(db_path, by: str) -> Iterator[threading.Event]:
    """Another connection holding the database's write lock: another program's BEGIN IMMEDIATE, or another
    tracker writer's transaction (its writers' queue too). It lets go only when told, by the event yielded (or as
    the block ends), never after a time: each waiter ends its own wait as it would in use."""
    other = connect(db_path)
    held, let_go = threading.Event(), threading.Event()

    def hold() -> None:
        if by == "sqlite":
            other.conn.execute("BEGIN IMMEDIATE")
            held.set()
            let_go.wait()
            other.conn.execute("ROLLBACK")
        else:
            with transaction(other):
                held.set()
                let_go.wait()  # writes nothing: the commit lets go

    holder = threading.Thread(target=hold)
    holder.start()
    held.wait()
    try:
        yield let_go
    finally:
        let_go.set()
        holder.join()
        other.close()


class _OrdinaryWriter:
    """A write that waits its whole turn for the lock (the busy timeout, as a look did before), begun when told:
    the measure a look's shorter wait is held to, by which of the two ends first rather than by a clock."""

    def __init__(self, db_path, by: str) -> None:
        self.db_path, self.by = db_path, by
        self.waiting, self.gave_up, self.wrote = threading.Event(), threading.Event(), threading.Event()
        self.thread = threading.Thread(target=self._write)

    def begin(self, *_args, **_kwargs) -> None:
        """Start waiting for the lock, and return once about to (the page's template drawn: its look comes next)."""
        if not self.thread.is_alive() and not self.waiting.is_set():
            self.thread.start()
            self.waiting.wait()

    def _write(self) -> None:
        if self.by == "sqlite":  # SQLite's own busy handler, as another program's write waits
            conn = sqlite3.connect(self.db_path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
            try:
                self.waiting.set()
                conn.execute("BEGIN IMMEDIATE")
                conn.execute("ROLLBACK")
                self.wrote.set()
            except sqlite3.OperationalError:
                self.gave_up.set()
            finally:
                conn.close()
            return
        writer = connect(self.db_path)
        try:
            self.waiting.set()
            with transaction(writer):  # the tracker's writers' queue, waited in as long as any writer waits
                pass
            self.wrote.set()
        except sqlite3.OperationalError:
            self.gave_up.set()
        finally:
            writer.close()


@pytest.mark.parametrize("by", ["sqlite", "tracker"])
def test_a_look_is_not_waited_for_while_another_writer_holds_the_lock(
    app, db, db_path, story, accounts, client, auth, by
):
    """The page waited for the write lock after it was drawn, up to the 5 s busy timeout, to keep a look that is
    dropped anyway when it cannot be written: 0.02 s became 5.03 s while a scrape pass stored. It now waits
    at most SHORT_WAIT_S (half a second).

    No clock decides it. The lock is let go only once the page has answered; an ordinary writer starts waiting for
    it as the page's template is drawn, just before the look tries. The page must answer while that writer still
    waits: a look that waited as long as it would answer only after it gave up (and, the lock held till the
    answer, never before the writer's turn ended, however slow the machine)."""
    auth.login("editor")
    ordinary = _OrdinaryWriter(db_path, by)
    with _lock_held(db_path, by) as let_go, flask.template_rendered.connected_to(ordinary.begin, app):
        response = client.get(STORY)
        answered_first = not ordinary.gave_up.is_set() and not ordinary.wrote.is_set()
        kept = _looks(db)
        let_go.set()
        ordinary.thread.join()
    assert ordinary.waiting.is_set(), "the ordinary writer never began: the page drew no template"
    assert answered_first, "the page answered only after a writer waiting its whole turn for the lock gave up"
    assert ordinary.wrote.is_set() and not ordinary.gave_up.is_set()  # it was waiting, and went in once let go
    assert response.status_code == 200
    assert _seen_line(response.get_data(as_text=True)).startswith("Your first look at this story")
    assert kept == []
    client.get(STORY)  # the lock free again: kept as before
    assert _looks(db) == [(accounts["editor"]["id"], story["id"])]


def test_the_story_list_counts_what_is_new_for_you_in_each_story_in_one_query(db, story, accounts, client, auth):
    """The list named each story's latest ruling, seen or not. Each story now says how many changes came in
    since this person last opened it, all counted in one query however many stories there are."""
    reporter, editor = accounts["reporter"], accounts["editor"]
    other = stories.create_story(db, "other-story", "Another story")
    stories.create_story(db, "quiet-story", "A quiet story")
    ruled = claims.log_claim(db, story["id"], "Acme will close Riverside", "", "unattributed", reporter)
    auth.login("editor")
    client.get(STORY)
    client.get("/stories/other-story")
    claims.set_status(db, ruled, "unclear", editor, "One source", 1)
    claims.log_claim(db, story["id"], "Acme plans layoffs", "", "unattributed", reporter)
    claims.log_claim(db, story["id"], "Acme plans more layoffs", "", "unattributed", reporter)

    soup = BeautifulSoup(client.get("/").get_data(as_text=True), "html.parser")
    lines = {
        card.select_one(".story-title").get_text(strip=True): " ".join(
            card.select_one(".seen-count").get_text(" ").split()
        )
        for card in soup.select(".story-card")
    }
    assert lines == {
        "A test story": "3 new since you last looked: 1 ruling, 2 claims logged",
        "Another story": "Nothing new since you last looked",
        "A quiet story": "Not opened yet",
    }
    assert soup.select_one(".story-card .seen-count--new") is not None

    statements = []
    db.conn.set_trace_callback(statements.append)
    try:
        counted = stories.new_since_looked(db, editor["id"])
    finally:
        db.conn.set_trace_callback(None)
    assert len(statements) == 1
    assert counted[story["id"]]["total"] == 3 and counted[other["id"]]["total"] == 0
    assert set(counted) == {story["id"], other["id"]}


def test_a_look_long_ago_counts_the_newest_ids_only_and_says_at_least(db, story, accounts, client, auth, monkeypatch):
    """One story looked at once, long ago, made every story list read every ruling, claim and revision stored
    since (34 ms a list on 50,000 revisions, growing with them). The counts now read the newest NEW_COUNTED ids
    of each, and a count cut so says "at least"."""
    reporter = accounts["reporter"]
    auth.login("editor")
    client.get(STORY)
    for n in range(3):
        claims.log_claim(db, story["id"], f"Acme plans layoffs {n}", "", "unattributed", reporter)
    monkeypatch.setattr(stories, "NEW_COUNTED", 2)

    counted = stories.new_since_looked(db, accounts["editor"]["id"])[story["id"]]
    assert (counted["claims"], counted["capped"]) == (2, {"claims"})
    card = BeautifulSoup(client.get("/").get_data(as_text=True), "html.parser").select_one(".seen-count")
    assert " ".join(card.get_text(" ").split()) == "2+ new since you last looked: at least 2 claims logged"
    page = client.get(STORY).get_data(as_text=True)
    assert _new_tags(page) == {"Claim logged": "2+ new"}
    assert _seen_line(page).endswith(": at least 2 claims logged.")

    monkeypatch.setattr(stories, "NEW_COUNTED", 20_000)
    again = stories.new_since_looked(db, accounts["editor"]["id"])[story["id"]]
    assert (again["claims"], again["capped"]) == (0, set())


def _card(client, title: str) -> str:
    soup = BeautifulSoup(client.get("/").get_data(as_text=True), "html.parser")
    card = next(c for c in soup.select(".story-card") if c.select_one(".story-title").get_text(strip=True) == title)
    return " ".join(card.select_one(".seen-count").get_text(" ").split())


def test_a_capped_count_of_nothing_never_says_nothing_new(db, story, accounts, client, auth, monkeypatch):
    """A count cut to the newest ids (capped) is 0 when this story's changes are all older than those: the list
    and the page said "Nothing new since you last looked", and the visit then kept a look past them, so they
    were never shown as new. They now say that too much came in to count."""
    reporter = accounts["reporter"]
    other = stories.create_story(db, "other-story", "Another story")
    auth.login("editor")
    client.get(STORY)
    for n in range(3):
        claims.log_claim(db, story["id"], f"Acme plans layoffs {n}", "", "unattributed", reporter)
    for n in range(3):
        claims.log_claim(db, other["id"], f"Other thing {n}", "", "unattributed", reporter)
    monkeypatch.setattr(stories, "NEW_COUNTED", 2)
    counted = stories.new_since_looked(db, accounts["editor"]["id"])[story["id"]]
    assert (counted["total"], counted["capped"]) == (0, {"claims"})

    assert _card(client, "A test story") == (
        "More than 2 changes in all stories since you last looked, too many to count"
    )
    page = client.get(STORY).get_data(as_text=True)
    assert re.fullmatch(
        r"More than 2 changes in all stories since you last looked on \d+ \w+ \d{4}, \d\d:\d\d UTC, too many to "
        r"count: none of the newest is in this story\.",
        _seen_line(page),
    )
    assert "Nothing new" not in _panel(page).get_text()


def test_at_least_is_said_of_each_capped_count_only(db, story, accounts, client, auth, monkeypatch):
    """With the claims capped, "at least" was put before the whole line, candidates and coverage too, which are
    counted whole. It is now said of each count that is cut, and the total, cut with it, has its "+"."""
    reporter = accounts["reporter"]
    other = stories.create_story(db, "other-story", "Another story")
    auth.login("editor")
    client.get(STORY)
    ingest(db, story, "https://ledger.example/acme", "Daily Ledger", LEDGER, title="Acme to close Riverside plant")
    claims.log_claim(db, story["id"], "Acme plans layoffs", "", "unattributed", reporter)
    for n in range(3):
        claims.log_claim(db, other["id"], f"Other thing {n}", "", "unattributed", reporter)
    monkeypatch.setattr(stories, "NEW_COUNTED", 3)
    counted = stories.new_since_looked(db, accounts["editor"]["id"])[story["id"]]
    assert counted["capped"] == {"claims"} and counted["claims"] == 0 and counted["candidates"] > 1
    waiting = counted["candidates"]

    assert _card(client, "A test story") == (
        f"{waiting + 1}+ new since you last looked: {waiting} candidates, 1 coverage item"
    )
    claims.log_claim(db, story["id"], "Acme plans more layoffs", "", "unattributed", reporter)
    page = client.get(STORY).get_data(as_text=True)
    assert _seen_line(page).endswith(f": at least 1 claim logged, {waiting} candidates, 1 coverage item.")
    assert _new_tags(page) == {"Claim logged": "1+ new", "Triage": f"{waiting} new", "Coverage": "1 new"}
