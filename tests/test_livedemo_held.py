"""The live demo's desk publishes only its own story's changes: another story's, waiting for an editor, hold it.

A newsroom's own story may share the database `make run` plays the live demo on (docs/operations.md). Its
changes reach readers only when an editor publishes the list the Publish page showed them; the desk publishing
the whole allow-list at each stage put them out unreviewed. Played here on real SQLite files, through the real
scraper, build and publish log.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from scrapers.http import Fetcher
from scrapers.timestamps import format_time
from tests.conftest import publish_form
from tracker import claims, users
from tracker.db import read_only_uri, transaction
from tracker.demo import load_demo
from tracker.livedemo import runner, stages
from tracker.livedemo.desk import HELD, HELD_RECHECK, held_since, run_desk
from tracker.livedemo.web import DemoWeb, Reached
from tracker.livedemo.world import load_world
from tracker.publish_log import publish_and_log
from tracker.scrape import run_pass

WORLD = load_world()
UA = "NewsroomTrackerTests/1.0 (+https://tracker.example/contact)"


@pytest.fixture
def fetcher():
    web = DemoWeb(WORLD, Reached()).start()
    try:
        with Fetcher(UA, host_map=web.host_map(), min_interval=0, backoff=0.01) as f:
            f.web = web
            yield f
    finally:
        web.close()


@pytest.fixture
def published(db, app) -> Path:
    """`demo` then `publish --yes`: the bundled Amazon story is what readers see; its public file."""
    load_demo(db, echo=lambda *_: None)
    public_db = Path(app.config["PUBLIC_DB"])
    publish_and_log(db, public_db)
    return public_db


def public_claim(public_db: Path, public_id: int) -> tuple[str, str]:
    conn = sqlite3.connect(read_only_uri(public_db), uri=True)
    try:
        return conn.execute("SELECT status, status_rationale FROM claims WHERE id = ?", [public_id]).fetchone()
    finally:
        conn.close()


def demo_claims_public(public_db: Path) -> int:
    conn = sqlite3.connect(read_only_uri(public_db), uri=True)
    try:
        return conn.execute("SELECT count(*) FROM claims WHERE story = ?", [WORLD.story.slug]).fetchone()[0]
    finally:
        conn.close()


def play_first_stage(db, fetcher) -> None:
    """The live demo started (`demo-live --pace 0`) and its first stage scraped (`watch`)."""
    story = runner.setup(db, WORLD)
    stages.advance(db, WORLD, "timer", at=format_time(datetime.now(UTC) - timedelta(minutes=5)))
    fetcher.web.reached.set(stages.reached(db))
    run_pass(db, story["slug"], fetcher=fetcher, force=True)


def test_another_story_s_unreviewed_ruling_holds_the_desk_until_an_editor_publishes_it(
    db, published, fetcher, client, auth, accounts
):
    # An editor re-rules the Amazon story's claim 1 and has not published: `publish` lists it as waiting.
    claim = claims.get_claim(db, 1)
    claims.set_status(
        db,
        1,
        "denied",
        users.find_user(db, "demo-editor"),
        "in the newsroom",
        claim["version"],
        public_rationale="Draft reason",
    )
    before = public_claim(published, 1)
    assert before[0] != "denied"

    play_first_stage(db, fetcher)
    report = run_desk(db, WORLD, 1, published)
    assert report.done and not report.published and report.problem is None
    assert report.held and report.held_began
    assert public_claim(published, 1) == before  # nobody reviewed the draft reason: readers do not get it
    assert demo_claims_public(published) == 0
    assert held_since(db) is not None

    # The next turn says nothing new, and still publishes nothing.
    again = run_desk(db, WORLD, 1, published)
    assert again.held and not again.held_began and not again.published
    assert public_claim(published, 1) == before

    # The live demo's panel says why its claims are not on the public site.
    client.application.config["LIVE_DEMO"] = True
    auth.login("reporter")
    page = client.get(f"/stories/{WORLD.story.slug}/dashboard?refresh=off").get_data(as_text=True)
    panel = BeautifulSoup(page, "html.parser").select_one(".demo-panel").get_text(" ", strip=True)
    assert HELD in panel

    # An editor reviews the list on Publish and publishes it: the desk publishes again at its next turn.
    auth.logout()
    auth.login("editor")
    assert client.post("/publish", data=publish_form(client)).status_code in (302, 303)
    assert public_claim(published, 1) == ("denied", "Draft reason")
    after = run_desk(db, WORLD, 1, published)
    assert after.published and not after.held and after.problem is None
    assert held_since(db) is None
    assert demo_claims_public(published) == len(report.done)
    desk_publishes = db.execute(
        "SELECT count(*) FROM publish_log p JOIN users u ON u.id = p.user_id WHERE u.username = 'demo-desk'"
    ).fetchone()[0]
    assert desk_publishes == 1
    page = client.get(f"/stories/{WORLD.story.slug}/dashboard?refresh=off").get_data(as_text=True)
    assert HELD not in page


def test_with_nothing_else_waiting_the_desk_publishes_its_story_as_before(db, published, fetcher):
    play_first_stage(db, fetcher)
    report = run_desk(db, WORLD, 1, published)
    assert report.done and report.published and not report.held and report.problem is None
    assert demo_claims_public(published) == len(report.done)
    assert held_since(db) is None
    assert not run_desk(db, WORLD, 1, published).published  # owed no more


def test_the_runner_says_the_hold_once_in_its_log(db, published, fetcher):
    claim = claims.get_claim(db, 2)
    claims.set_status(
        db,
        2,
        "denied",
        users.find_user(db, "demo-editor"),
        "in the newsroom",
        claim["version"],
        public_rationale="Draft",
    )
    play_first_stage(db, fetcher)
    said: list[str] = []
    shown = runner._tick(db, WORLD, fetcher.web.reached, published, 1, said.append, said.append, 0)
    runner._tick(db, WORLD, fetcher.web.reached, published, shown, said.append, said.append, 0)
    held = [line for line in said if HELD in line]
    assert held == [f"Live demo desk: {HELD}."]
    assert not any(line == "Live demo desk: published." for line in said)


def test_a_hold_whose_waiting_change_was_undone_ends_when_the_desk_looks_again(db, published, fetcher):
    """While held the desk builds the change list again only after a publish or HELD_RECHECK seconds."""
    editor = users.find_user(db, "demo-editor")
    claims.set_published(db, 2, False, editor, claims.get_claim(db, 2)["version"])  # to be withdrawn
    play_first_stage(db, fetcher)
    assert run_desk(db, WORLD, 1, published).held
    claims.set_published(db, 2, True, editor, claims.get_claim(db, 2)["version"])  # undone: nothing waits
    assert run_desk(db, WORLD, 1, published).held  # looked at a moment ago: not built again yet
    looked = format_time(datetime.now(UTC) - timedelta(seconds=HELD_RECHECK + 1))
    with transaction(db):
        db.execute("UPDATE demo_desk_hold SET checked_at = ?", [looked])
    again = run_desk(db, WORLD, 1, published)
    assert again.published and not again.held and held_since(db) is None
    assert demo_claims_public(published) == 2
