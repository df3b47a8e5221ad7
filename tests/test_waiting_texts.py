"""The texts waiting for claim extraction, as triage counts them per story (kept by migration 0043's triggers), are
a bare count of the revisions not yet read, whatever is written and on a database upgraded from before."""

from __future__ import annotations

import random

import pytest

from tracker import extraction, migrations, stories
from tracker.db import connect

BARE = """SELECT count(*) FROM revisions r JOIN coverage cov ON cov.id = r.coverage_id
          WHERE r.extracted_at IS NULL AND cov.story_id = ?"""


def assert_counts_are_bare(db, story_ids: list[int]) -> None:
    for story_id in story_ids:
        assert extraction.waiting_count(db, story_id) == db.execute(BARE, [story_id]).fetchone()[0]
    assert (
        extraction.waiting_count(db)
        == db.execute("SELECT count(*) FROM revisions WHERE extracted_at IS NULL").fetchone()[0]
    )


def add_item(db, rng: random.Random, story_id: int) -> int:
    return db.execute(
        "INSERT INTO coverage (story_id, canonical_url, first_seen_at) VALUES (?, ?, '2026-03-01T00:00:00Z')",
        [story_id, f"https://news.example/{rng.random()}"],
    ).lastrowid


def add_revision(db, rng: random.Random, item: int) -> None:
    db.execute(
        "INSERT INTO revisions (coverage_id, fetched_at, content_hash, text, extracted_at) VALUES (?, ?, ?, ?, ?)",
        [item, "2026-03-01T01:00:00Z", f"h{rng.random()}", "Text.", rng.choice([None, None, "2026-03-01T02:00:00Z"])],
    )


def one_of(db, rng: random.Random, sql: str, params: list | None = None) -> int | None:
    found = [i for (i,) in db.execute(sql, params or [])]
    return rng.choice(found) if found else None


def change(db, rng: random.Random, story_ids: list[int]) -> None:
    story_id, other = rng.sample(story_ids, 2)
    item = one_of(db, rng, "SELECT id FROM coverage WHERE story_id = ?", [story_id])
    revision = one_of(db, rng, "SELECT id FROM revisions")
    what = rng.choice(["item", "revision", "read", "unread", "move", "read-all", "empty-item"])
    if what == "item" or item is None:
        add_revision(db, rng, add_item(db, rng, story_id))
    elif what == "revision" or revision is None:
        add_revision(db, rng, item)
    elif what == "read":
        db.execute("UPDATE revisions SET extracted_at = '2026-03-02T00:00:00Z' WHERE id = ?", [revision])
    elif what == "unread":
        db.execute("UPDATE revisions SET extracted_at = NULL WHERE id = ?", [revision])
    elif what == "move":  # an item moved to another story takes its waiting texts along
        db.execute("UPDATE coverage SET story_id = ? WHERE id = ?", [other, item])
    elif what == "read-all":  # one statement over many rows, as an extraction pass's stamp could be
        db.execute("UPDATE revisions SET extracted_at = '2026-03-03T00:00:00Z' WHERE id % 3 = ?", [rng.randrange(3)])
    else:
        db.execute(
            "DELETE FROM coverage WHERE id = ? AND NOT EXISTS (SELECT 1 FROM revisions WHERE coverage_id = ?)",
            [add_item(db, rng, story_id)] * 2,
        )


def fill(db, rng: random.Random, story_ids: list[int]) -> None:
    for story_id in story_ids:
        for _ in range(15):
            item = add_item(db, rng, story_id)
            for _ in range(rng.choice([0, 1, 2, 3])):
                add_revision(db, rng, item)
    db.conn.commit()


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_each_story_s_waiting_texts_are_a_bare_count_after_every_kind_of_write(db, seed):
    rng = random.Random(seed)
    story_ids = [stories.create_story(db, f"s{n}", f"S{n}")["id"] for n in range(3)]
    fill(db, rng, story_ids)
    assert_counts_are_bare(db, story_ids)
    for _ in range(15):
        for _ in range(rng.randrange(1, 5)):
            change(db, rng, story_ids)
        db.conn.commit()
        assert_counts_are_bare(db, story_ids)
    db.execute("BEGIN")
    before = [extraction.waiting_count(db, s) for s in story_ids]
    for _ in range(5):
        change(db, rng, story_ids)
    db.conn.rollback()
    assert [extraction.waiting_count(db, s) for s in story_ids] == before


def test_a_database_from_before_the_counts_were_kept_gets_them_counted(tmp_path):
    db = connect(tmp_path / "old.db")
    migrations.migrations.apply(db, stop_before="0043_waiting_texts")
    story_ids = [
        db.execute(
            "INSERT INTO stories (slug, title, created_at) VALUES (?, ?, '2026-01-01T00:00:00Z')", [f"s{n}", f"S{n}"]
        ).lastrowid
        for n in range(3)
    ]
    rng = random.Random(5)
    fill(db, rng, story_ids)
    expected = [db.execute(BARE, [s]).fetchone()[0] for s in story_ids]
    assert any(expected)
    migrations.apply(db)
    assert [extraction.waiting_count(db, s) for s in story_ids] == expected
    for _ in range(10):
        change(db, rng, story_ids)
    db.conn.commit()
    assert_counts_are_bare(db, story_ids)


def test_a_story_s_count_reads_one_row_not_the_revisions(db, story):
    """Counting a story's waiting texts joined every waiting revision of every story to its item (0.2-0.6 s with a
    million waiting); it is now the story's one kept row."""
    statements: list[str] = []
    db.conn.set_trace_callback(statements.append)
    try:
        extraction.waiting_count(db, story["id"])
    finally:
        db.conn.set_trace_callback(None)
    assert statements and not any("revisions" in s for s in statements), statements
