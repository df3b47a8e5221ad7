"""The editor's coverage list: both orders and their pages, exactly as the items' rows say, ties included."""

from __future__ import annotations

import random
import sqlite3

import pytest

from tracker import coverage, migrations, stories
from tracker.db import connect

TIMES = [f"2026-03-0{d}T0{h}:00:00Z" for d in (1, 2, 3) for h in (0, 6)]  # few values: many ties


def _fill(db, story_id: int, rng: random.Random, n: int) -> None:
    """Items with tied, missing and out-of-order dates; 0-3 revisions each, stored out of time order; clusters."""
    ids = []
    for _ in range(n):
        ids.append(
            db.execute(
                """INSERT INTO coverage (story_id, canonical_url, kind, published_at, first_seen_at, cluster_id)
                   VALUES (?, ?, 'article', ?, ?, ?)""",
                [
                    story_id,
                    f"https://news.example/{story_id}/{rng.random()}",
                    rng.choice([None, *TIMES]),
                    rng.choice(TIMES[:3]),
                    rng.choice(ids) if ids and rng.random() < 0.3 else None,
                ],
            ).lastrowid
        )
    revisions = [(item, rng.choice(TIMES)) for item in ids for _ in range(rng.choice([0, 1, 1, 2, 3]))]
    rng.shuffle(revisions)
    for item, at in revisions:
        db.execute(
            "INSERT INTO revisions (coverage_id, fetched_at, content_hash, text) VALUES (?, ?, ?, ?)",
            [item, at, f"h{rng.random()}", f"text {rng.random()}"],
        )
    db.conn.commit()


def _expected(db, story_id: int, order: str) -> list[int]:
    """The order as its rule says it, from the rows themselves: the key (a tie broken by the id), newest first."""
    items = db.execute("SELECT id, published_at, first_seen_at FROM coverage WHERE story_id = ?", [story_id])
    latest = dict(db.execute("SELECT coverage_id, max(fetched_at) FROM revisions GROUP BY coverage_id").fetchall())
    key = {i: (latest.get(i) if order == "changed" else published) or first_seen for i, published, first_seen in items}
    return sorted(key, key=lambda i: (key[i], i), reverse=True)


def _walk(db, story_id: int, order: str, size: int) -> list[int]:
    """Every page as the editor's list walks them (tracker/editor/coverage.py), checking each page's way back."""
    seen, position = [], None
    while True:
        page = coverage.list_items(db, story_id, order, limit=size + 1, at=position)
        following = coverage.item_key(page.pop()) if len(page) > size else None
        if page:
            first = coverage.item_key(page[0])
            assert coverage.count_items(db, story_id, order, before=first) == len(seen)
            earlier = coverage.list_items(db, story_id, order, limit=size, before=first)
            assert [i["id"] for i in earlier] == seen[-size:]
        seen += [i["id"] for i in page]
        if following is None:
            return seen
        position = following


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_both_orders_and_every_page_follow_the_rows_ties_included(db, seed):
    rng = random.Random(seed)
    mine = stories.create_story(db, "mine", "Mine")["id"]
    other = stories.create_story(db, "other", "Other")["id"]
    _fill(db, other, rng, 40)
    _fill(db, mine, rng, 90)
    _fill(db, other, rng, 40)
    for order in coverage.ITEM_ORDERS:
        expected = _expected(db, mine, order)
        assert [i["id"] for i in coverage.list_items(db, mine, order)] == expected
        assert _walk(db, mine, order, size=7) == expected
        assert _walk(db, mine, order, size=1) == expected
        # An old `?page=` link: the item that many further on.
        assert [i["id"] for i in coverage.list_items(db, mine, order, limit=1, offset=20)] == expected[20:21]
    _assert_kept(db, mine)


def _assert_kept(db, story_id: int) -> None:
    """Each item's latest revision time and count, as listed, are its revisions' own."""
    latest = {
        i: (at, n)
        for i, at, n in db.execute("SELECT coverage_id, max(fetched_at), count(*) FROM revisions GROUP BY coverage_id")
    }
    for item in coverage.list_items(db, story_id, "changed"):
        assert (item["changed_at"], item["revision_count"]) == latest.get(item["id"], (None, 0))


def test_a_revision_stored_now_tops_recently_changed_and_an_older_one_moves_nothing(db, story):
    rng = random.Random(7)
    _fill(db, story["id"], rng, 30)
    before = _expected(db, story["id"], "changed")
    last = before[-1]
    coverage.add_revision(db, last, "Stored long ago.", fetched_at="2020-01-01T00:00:00Z")
    assert [i["id"] for i in coverage.list_items(db, story["id"], "changed")] == before
    coverage.add_revision(db, last, "Edited just now.")
    listed = coverage.list_items(db, story["id"], "changed")
    assert [i["id"] for i in listed] == [last, *before[:-1]]
    assert listed[0]["changed_at"] == db.execute("SELECT max(fetched_at) FROM revisions").fetchone()[0]
    _assert_kept(db, story["id"])


def test_an_upgraded_database_knows_when_each_item_last_changed(tmp_path):
    db = connect(tmp_path / "old.db")
    migrations.migrations.apply(db, stop_before="0037_coverage_changed_at")
    db.execute("INSERT INTO stories (slug, title, created_at) VALUES ('s', 'S', '2026-01-01T00:00:00Z')")
    _fill(db, 1, random.Random(11), 50)
    expected = {order: _expected(db, 1, order) for order in coverage.ITEM_ORDERS}
    migrations.apply(db)
    for order, ids in expected.items():
        assert _walk(db, 1, order, size=6) == ids
    _assert_kept(db, 1)
    unrevised = db.execute(
        "SELECT count(*) FROM coverage c WHERE NOT EXISTS (SELECT 1 FROM revisions r WHERE r.coverage_id = c.id)"
    ).fetchone()[0]
    assert unrevised and db.execute("SELECT count(*) FROM coverage WHERE changed_at IS NULL").fetchone()[0] == unrevised


@pytest.mark.parametrize("order", coverage.ITEM_ORDERS)
def test_a_page_reads_its_items_from_the_orders_index_and_sorts_none_of_the_story(db, story, order):
    """Both orders sorted every item of the story for one page, "Recently changed" reading each one's latest
    revision on the way (2.4 s for the first page at 333,000 items); each is now an index read from the page on."""
    _fill(db, story["id"], random.Random(5), 30)
    index = {"published": "coverage_story_published_key", "changed": "coverage_story_changed"}[order]
    at = coverage.item_key(coverage.list_items(db, story["id"], order, limit=10)[-1])
    statements: list[str] = []
    db.conn.set_trace_callback(statements.append)
    try:
        coverage.list_items(db, story["id"], order, limit=10, at=at)
        coverage.list_items(db, story["id"], order, limit=10, before=at)
        coverage.count_items(db, story["id"], order, before=at)
    finally:
        db.conn.set_trace_callback(None)
    for sql in [s for s in statements if "coverage" in s]:
        plan = [row[3] for row in db.execute("EXPLAIN QUERY PLAN " + sql).fetchall()]
        on_story = [step for step in plan if step.startswith(("SEARCH c USING INDEX", "SCAN c"))]
        assert on_story and all(f"INDEX {index} (story_id=? AND <expr>" in s for s in on_story), plan


def test_changed_at_cannot_be_moved_by_moving_or_removing_a_revision(db, story):
    """A fetched text stays on the item it was fetched for (revisions are append-only), so the order holds."""
    _fill(db, story["id"], random.Random(13), 30)
    revision, item = db.execute("SELECT id, coverage_id FROM revisions ORDER BY fetched_at DESC LIMIT 1").fetchone()
    other = db.execute("SELECT id FROM coverage WHERE id != ? LIMIT 1", [item]).fetchone()[0]
    expected = _expected(db, story["id"], "changed")
    for statement, params in [
        ("UPDATE revisions SET coverage_id = ?, fetched_at = '2027-01-01T00:00:00Z' WHERE id = ?", [other, revision]),
        ("DELETE FROM revisions WHERE coverage_id = ?", [other]),
    ]:
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            db.execute(statement, params)
        db.conn.rollback()
    assert [i["id"] for i in coverage.list_items(db, story["id"], "changed")] == expected
    _assert_kept(db, story["id"])
