import sqlite3
from pathlib import Path

import pytest

from tracker import migrations
from tracker.db import connect, transaction


def test_migrations_apply_to_empty_file_and_are_idempotent(tmp_path):
    db = connect(tmp_path / "fresh.db")
    applied = migrations.apply(db)
    assert applied == [m.name for m in migrations.migrations._migrations]
    tables = set(db.table_names())
    assert {"stories", "sources", "coverage", "revisions", "claims", "evidence", "status_history", "users"} <= tables
    schema_before = db.execute("SELECT sql FROM sqlite_master ORDER BY name").fetchall()
    assert migrations.apply(db) == []
    assert db.execute("SELECT sql FROM sqlite_master ORDER BY name").fetchall() == schema_before


def test_database_uses_wal_foreign_keys_and_busy_timeout(db):
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert db.execute("PRAGMA busy_timeout").fetchone()[0] >= 1000


def _history_row(db):
    db.execute("INSERT INTO stories (slug, title, created_at) VALUES ('s', 'S', 'now')")
    db.execute("INSERT INTO claims (story_id, text, created_at, updated_at) VALUES (1, 'x', 'now', 'now')")
    db.execute(
        "INSERT INTO status_history (claim_id, from_status, to_status, rationale, at) "
        "VALUES (1, 'unreviewed', 'unclear', 'why', 'now')"
    )
    db.conn.commit()


@pytest.mark.parametrize(
    "statement",
    ["UPDATE status_history SET rationale = 'rewritten'", "DELETE FROM status_history"],
)
def test_status_history_refuses_update_and_delete(db, statement):
    _history_row(db)
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        db.execute(statement)
    db.conn.rollback()
    assert db.execute("SELECT rationale FROM status_history").fetchall() == [("why",)]


def test_fts_indexes_new_claims_and_revisions(db, story):
    db.execute(
        "INSERT INTO claims (story_id, text, claimant, created_at, updated_at) "
        "VALUES (?, 'Contoso denied the merger', 'Contoso', 'now', 'now')",
        [story["id"]],
    )
    db.conn.commit()
    assert db.execute("SELECT rowid FROM claims_fts WHERE claims_fts MATCH 'merger'").fetchall() == [(1,)]


def test_fts_follows_text_edits_and_ignores_other_updates(db, story):
    db.execute(
        "INSERT INTO claims (story_id, text, claimant, created_at, updated_at) "
        "VALUES (?, 'Contoso denied the merger', 'Contoso', 'now', 'now')",
        [story["id"]],
    )
    db.execute("UPDATE claims SET text = 'Contoso confirmed the takeover' WHERE id = 1")
    db.conn.commit()
    assert db.execute("SELECT rowid FROM claims_fts WHERE claims_fts MATCH 'merger'").fetchall() == []
    assert db.execute("SELECT rowid FROM claims_fts WHERE claims_fts MATCH 'takeover'").fetchall() == [(1,)]
    # Changes that do not touch the text leave the index alone: its segment count stays put.
    segments = db.execute("SELECT count(*) FROM claims_fts_data").fetchone()[0]
    for status in ("confirmed", "denied", "unclear"):
        db.execute("UPDATE claims SET status = ?, independent_sources = 2 WHERE id = 1", [status])
        db.conn.commit()
    assert db.execute("SELECT count(*) FROM claims_fts_data").fetchone()[0] == segments
    assert db.execute("SELECT rowid FROM claims_fts WHERE claims_fts MATCH 'takeover'").fetchall() == [(1,)]


def test_foreign_keys_are_enforced(db):
    with pytest.raises(sqlite3.IntegrityError):
        db.execute("INSERT INTO claims (story_id, text, created_at, updated_at) VALUES (999, 'x', 'n', 'n')")


def test_nested_transactions_roll_back_only_their_own_level(db, story):
    """tracker.db.transaction nests as savepoints of one name; each level must still undo only itself."""

    def add(slug: str) -> None:
        db.execute(
            "INSERT INTO stories (slug, title, keywords_include, created_at) VALUES (?, ?, '', 'now')", [slug, slug]
        )

    with transaction(db):
        add("outer")
        with transaction(db):
            add("middle")
            with pytest.raises(ValueError), transaction(db):
                add("inner-undone")
                raise ValueError("the innermost level fails")
            with transaction(db):
                add("inner-kept")
        with pytest.raises(ValueError), transaction(db):
            add("second-undone")
            with transaction(db):
                add("second-inner-undone")
            raise ValueError("a level fails after its inner level succeeded")
    assert not db.conn.in_transaction
    slugs = {r[0] for r in db.execute("SELECT slug FROM stories WHERE slug != ?", [story["slug"]])}
    assert slugs == {"outer", "middle", "inner-kept"}


def _append_to_title(db, story_id: int, suffix: str, outcome: list[str]) -> None:
    """A write in its own transaction; outcome gets "committed" or SQLite's error."""
    try:
        with transaction(db):
            db.execute("UPDATE stories SET title = title || ? WHERE id = ?", [suffix, story_id])
        outcome.append("committed")
    except sqlite3.OperationalError as e:
        outcome.append(str(e))


def test_writers_in_one_process_queue_for_each_other_instead_of_failing_busy(db_path, db, story):
    """A second writer waits for the first to commit, even with SQLite's own busy wait turned off."""
    import threading

    other = connect(db_path)
    other.conn.execute("PRAGMA busy_timeout = 0")  # without the process's writer lock: "database is locked"
    inside, release, done = threading.Event(), threading.Event(), threading.Event()
    outcome: list[str] = []

    def first() -> None:
        with transaction(db):
            db.execute("UPDATE stories SET title = 'first' WHERE id = ?", [story["id"]])
            inside.set()
            release.wait(30)

    def second() -> None:
        inside.wait(30)
        _append_to_title(other, story["id"], ", then second", outcome)
        done.set()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for t in threads:
        t.start()
    inside.wait(30)
    # While the first holds its transaction the second neither fails nor gets in: it waits.
    assert not done.wait(0.5), outcome
    release.set()
    for t in threads:
        t.join(30)
    assert outcome == ["committed"]
    assert db.execute("SELECT title FROM stories WHERE id = ?", [story["id"]]).fetchone()[0] == "first, then second"


HOLD_A_WRITE = """
import sys
from tracker.db import connect, transaction
db = connect(sys.argv[1])
with transaction(db):
    db.execute("UPDATE stories SET title = 'other process'")
    print("holding", flush=True)
    sys.stdin.readline()
"""


def test_writers_in_other_processes_queue_too(db_path, db, story):
    """Another process (a second editor worker, a scrape) holding a write makes this one wait, not fail."""
    import subprocess
    import sys
    import threading

    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_A_WRITE, str(db_path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=Path(__file__).resolve().parent.parent,
    )
    try:
        assert holder.stdout.readline().strip() == "holding"
        db.conn.execute("PRAGMA busy_timeout = 0")  # SQLite alone would answer "database is locked" at once
        outcome: list[str] = []

        writer = threading.Thread(target=_append_to_title, args=(db, story["id"], ", then this one", outcome))
        writer.start()
        writer.join(0.5)
        assert writer.is_alive() and not outcome, outcome
        holder.stdin.write("go\n")
        holder.stdin.flush()
        writer.join(30)
        assert outcome == ["committed"]
        assert db.execute("SELECT title FROM stories WHERE id = ?", [story["id"]]).fetchone()[0] == (
            "other process, then this one"
        )
    finally:
        holder.stdin.close()
        holder.wait(30)


def test_sketches_move_onto_their_items_with_the_smallest_values_indexed(tmp_path):
    """0009 keeps every stored sketch as it was: the whole on coverage.sketch, its 16 smallest in the lookup table."""
    from tracker import clusters

    db = connect(tmp_path / "old.db")
    migrations.migrations.apply(db, stop_before="0009_sketch_blobs")
    db.execute("INSERT INTO stories (slug, title, created_at) VALUES ('s', 'S', 'now')")
    for n in (1, 2):
        db.execute(
            "INSERT INTO coverage (story_id, canonical_url, kind, first_seen_at) VALUES (1, ?, 'article', 'now')",
            [f"https://example.com/{n}"],
        )
    old = {1: [(-1) ** k * (k * 7919 + 13) << 40 for k in range(32)], 2: list(range(100, 132))}
    for coverage_id, values in old.items():
        db.conn.executemany(
            "INSERT INTO coverage_sketches (coverage_id, story_id, hash) VALUES (?, 1, ?)",
            [(coverage_id, v) for v in values],
        )
    db.conn.commit()
    assert migrations.apply(db) == ["0009_sketch_blobs"]
    for coverage_id, values in old.items():
        (blob,) = db.execute("SELECT sketch FROM coverage WHERE id = ?", [coverage_id]).fetchone()
        assert clusters.unpack(blob) == sorted(values)
        indexed = db.execute(
            "SELECT hash FROM coverage_sketches WHERE coverage_id = ? ORDER BY hash", [coverage_id]
        ).fetchall()
        assert [h for (h,) in indexed] == sorted(values)[: clusters.INDEXED]
