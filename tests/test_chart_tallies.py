"""The dashboard's chart rows read from counts the database keeps (migration 0041) are a bare count's, whatever
is written: items and claims added, changed, moved and removed, rulings given, and on a database upgraded from
before the counts were kept; the same for the first and last ruling of each story, which the charts' span reads."""

from __future__ import annotations

import random

import pytest

from tracker import migrations, stories
from tracker.charts import data
from tracker.db import connect, rows

# Few values, many ties, a story of days (so counted by the hour, day and week); a date with no time, one with an
# offset, one no date function reads, and none at all.
TIMES = [
    *(f"2026-03-0{d}T{h:02d}:{m:02d}:00Z" for d in (1, 2, 4, 9) for h in (0, 7, 23) for m in (0, 59)),
    "2026-03-03",
    "2026-03-05T01:30:00+02:00",
    "not a date",
]
OUTLETS = ["Example Ledger", "Wire Service", None, ""]
STATUSES = ["confirmed", "denied", "unclear"]
WRITES = "item redate cluster uncluster kind outlet move delete claim rule reclaim claim-move claim-delete many".split()


def assert_tallies_are_a_bare_count(db, *story_ids: int) -> None:
    for story_id in story_ids:
        for unit in ("hour", "day", "week"):
            params = {"story": story_id, "unit": unit}
            assert rows(db, data.TALLIED_COVERAGE_SQL, params) == rows(db, data.COVERAGE_SQL, params), unit
            assert rows(db, data.TALLIED_CLAIMS_SQL, params) == rows(db, data.CLAIMS_SQL, params), unit
        assert data.tallied_story_charts(db, story_id) == data.story_charts(db, story_id)
        rulings = db.execute(
            "SELECT min(h.at), max(h.at) FROM status_history h JOIN claims c ON c.id = h.claim_id WHERE c.story_id = ?",
            [story_id],
        ).fetchone()
        kept = db.execute("SELECT first, last FROM chart_ruling_spans WHERE story_id = ?", [story_id]).fetchone()
        assert (tuple(kept) if kept else (None, None)) == tuple(rulings)


def add_item(db, rng: random.Random, story_id: int) -> int:
    clusters = [i for (i,) in db.execute("SELECT id FROM coverage WHERE story_id = ?", [story_id])]
    return db.execute(
        """INSERT INTO coverage (story_id, kind, canonical_url, outlet, published_at, first_seen_at, cluster_id)
           VALUES (?, ?, ?, ?, ?, ?, ?)""",
        [
            story_id,
            rng.choice(["article", "article", "statement"]),
            f"https://news.example/{rng.random()}",
            rng.choice(OUTLETS),
            rng.choice([None, *TIMES]),
            rng.choice(TIMES[:-1]),
            rng.choice(clusters) if clusters and rng.random() < 0.5 else None,
        ],
    ).lastrowid


def add_claim(db, rng: random.Random, story_id: int) -> int:
    return db.execute(
        """INSERT INTO claims (story_id, text, first_reported_at, created_at, updated_at)
           VALUES (?, ?, ?, ?, ?)""",
        [story_id, f"Claim {rng.random()}", rng.choice([None, *TIMES]), rng.choice(TIMES[:-1]), TIMES[0]],
    ).lastrowid


def rule(db, rng: random.Random, claim_id: int, editor: int) -> None:
    status = db.execute("SELECT status FROM claims WHERE id = ?", [claim_id]).fetchone()[0]
    to = rng.choice([s for s in STATUSES if s != status])
    db.execute(
        "INSERT INTO status_history (claim_id, from_status, to_status, rationale, editor_id, at) "
        "VALUES (?, ?, ?, 'Why.', ?, ?)",
        [claim_id, status, to, editor, rng.choice(TIMES)],  # some before the claim was first reported
    )
    db.execute("UPDATE claims SET status = ? WHERE id = ?", [to, claim_id])


def fill(db, rng: random.Random, story_ids: list[int], editor: int, items: int = 60, claims: int = 25) -> None:
    for story_id in story_ids:
        for _ in range(items):
            add_item(db, rng, story_id)
        for _ in range(claims):
            claim_id = add_claim(db, rng, story_id)
            for _ in range(rng.choice([0, 0, 1, 2])):
                rule(db, rng, claim_id, editor)
    db.conn.commit()


def one_of(db, rng: random.Random, sql: str, params: list) -> int | None:
    found = [i for (i,) in db.execute(sql, params)]
    return rng.choice(found) if found else None


def change(db, rng: random.Random, story_ids: list[int], editor: int) -> None:
    """One write the charts count, chosen at random."""
    story_id, other = rng.sample(story_ids, 2)
    item = one_of(db, rng, "SELECT id FROM coverage WHERE story_id = ?", [story_id])
    claim = one_of(db, rng, "SELECT id FROM claims WHERE story_id = ?", [story_id])
    what = rng.choice(WRITES)
    if what == "item" or item is None:
        add_item(db, rng, story_id)
    elif what == "redate":
        column = rng.choice(["published_at", "first_seen_at"])
        value = rng.choice([None, *TIMES]) if column == "published_at" else rng.choice(TIMES[:-1])
        db.execute(f"UPDATE coverage SET {column} = ? WHERE id = ?", [value, item])
    elif what == "cluster":
        into = one_of(db, rng, "SELECT id FROM coverage WHERE story_id = ?", [story_id])
        db.execute("UPDATE coverage SET cluster_id = ? WHERE id = ?", [into, item])
    elif what == "uncluster":
        db.execute("UPDATE coverage SET cluster_id = NULL WHERE id = ?", [item])
    elif what == "kind":
        db.execute("UPDATE coverage SET kind = CASE kind WHEN 'statement' THEN 'article' ELSE 'statement' END "
                   "WHERE id = ?", [item])  # fmt: skip
    elif what == "outlet":
        db.execute("UPDATE coverage SET outlet = ? WHERE id = ?", [rng.choice(OUTLETS), item])
    elif what == "move":
        db.execute("UPDATE coverage SET story_id = ? WHERE id = ?", [other, item])
    elif what == "delete":
        db.execute("UPDATE coverage SET cluster_id = NULL WHERE cluster_id = ? AND id != ?", [item, item])
        db.execute("DELETE FROM coverage WHERE id = ?", [item])
    elif what == "claim" or claim is None:
        add_claim(db, rng, story_id)
    elif what == "rule":
        rule(db, rng, claim, editor)
    elif what == "reclaim":
        column = rng.choice(["first_reported_at", "created_at"])
        value = rng.choice([None, *TIMES]) if column == "first_reported_at" else rng.choice(TIMES[:-1])
        db.execute(f"UPDATE claims SET {column} = ? WHERE id = ?", [value, claim])
    elif what == "claim-move":
        db.execute("UPDATE claims SET story_id = ? WHERE id = ?", [other, claim])
    elif what == "claim-delete":
        unruled = one_of(
            db,
            rng,
            "SELECT id FROM claims c WHERE story_id = ? AND NOT EXISTS (SELECT 1 FROM status_history h "
            "WHERE h.claim_id = c.id)",
            [story_id],
        )
        if unruled is not None:
            db.execute("DELETE FROM claims WHERE id = ?", [unruled])
    else:  # one statement changing many rows: a cluster made of a day's items, rows re-dated together
        db.execute(
            "UPDATE coverage SET cluster_id = (SELECT max(id) FROM coverage WHERE story_id = ?) "
            "WHERE story_id = ? AND coalesce(published_at, first_seen_at) LIKE ?",
            [story_id, story_id, rng.choice(TIMES)[:10] + "%"],
        )
        db.execute(
            "UPDATE claims SET first_reported_at = ? WHERE story_id = ? AND id % 3 = ?",
            [rng.choice(TIMES), story_id, rng.randrange(3)],
        )


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_the_kept_chart_counts_are_a_bare_count_after_every_kind_of_write(db, accounts, seed):
    rng = random.Random(seed)
    story_ids = [stories.create_story(db, f"story-{n}", f"Story {n}")["id"] for n in range(3)]
    fill(db, rng, story_ids, accounts["editor"]["id"])
    assert_tallies_are_a_bare_count(db, *story_ids)
    for _ in range(12):
        for _ in range(rng.randrange(1, 6)):
            change(db, rng, story_ids, accounts["editor"]["id"])
        db.conn.commit()
        assert_tallies_are_a_bare_count(db, *story_ids)


def test_a_write_rolled_back_leaves_the_counts_as_they_were(db, accounts):
    rng = random.Random(9)
    story_ids = [stories.create_story(db, f"story-{n}", f"Story {n}")["id"] for n in range(2)]
    fill(db, rng, story_ids, accounts["editor"]["id"], items=20, claims=10)
    before = [data.tallied_story_charts(db, s) for s in story_ids]
    db.execute("BEGIN")
    for _ in range(10):
        change(db, rng, story_ids, accounts["editor"]["id"])
    db.conn.rollback()
    assert [data.tallied_story_charts(db, s) for s in story_ids] == before
    assert_tallies_are_a_bare_count(db, *story_ids)


def test_a_database_from_before_the_counts_were_kept_gets_them_counted(tmp_path):
    db = connect(tmp_path / "old.db")
    migrations.migrations.apply(db, stop_before="0041_chart_tallies")
    db.execute(
        "INSERT INTO users (username, password_hash, role, created_at) VALUES ('ed', 'x', 'editor', '2026-01-01')"
    )
    story_ids = [
        db.execute(
            "INSERT INTO stories (slug, title, created_at) VALUES (?, ?, '2026-01-01T00:00:00Z')", [f"s{n}", f"S{n}"]
        ).lastrowid
        for n in range(3)
    ]
    rng = random.Random(21)
    fill(db, rng, story_ids, 1)
    expected = [data.story_charts(db, s) for s in story_ids]
    migrations.apply(db)
    assert [data.tallied_story_charts(db, s) for s in story_ids] == expected
    assert_tallies_are_a_bare_count(db, *story_ids)
    for _ in range(10):  # and the triggers keep them from there
        change(db, rng, story_ids, 1)
    db.conn.commit()
    assert_tallies_are_a_bare_count(db, *story_ids)


def test_a_story_of_minutes_is_counted_bare_and_still_matches(db, accounts):
    story_id = stories.create_story(db, "minutes", "Minutes")["id"]
    for minute in range(20):
        db.execute(
            "INSERT INTO coverage (story_id, canonical_url, outlet, published_at, first_seen_at) "
            "VALUES (?, ?, ?, ?, ?)",
            [story_id, f"https://m.example/{minute}", "Ledger", f"2026-03-01T10:{minute:02d}:30Z", "2026-03-01T10:00Z"],
        )
    db.conn.commit()
    found = data.tallied_story_charts(db, story_id)
    assert found.unit.name == "minute" and found == data.story_charts(db, story_id)
    assert sum(r["items"] for r in found.coverage) == 20


def test_the_dashboard_reads_the_kept_counts_not_the_story_s_rows(db, accounts):
    """The first view after a change counted every item and claim of the story (9.8 s at 333,000 items); it now
    reads the counts kept per hour, and its statements never group the story's coverage or claims."""
    rng = random.Random(4)
    story_id = stories.create_story(db, "kept", "Kept")["id"]
    fill(db, rng, [story_id], accounts["editor"]["id"], items=40, claims=10)
    statements: list[str] = []
    db.conn.set_trace_callback(statements.append)
    try:
        data.kept_story_charts(db, story_id)
    finally:
        db.conn.set_trace_callback(None)
    grouped = [s for s in statements if "GROUP BY" in s.upper()]
    assert grouped and all("_tallies" in s for s in grouped), grouped
