import re
import sqlite3
from pathlib import Path

import pytest
import sqlite_utils

from tests.conftest import item_as_then
from tracker import migrations, stories, vocab
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


def test_the_writers_queue_keeps_no_file_open_between_writes(tmp_path):
    """A process that writes to many database files in turn (the tests; a tool run over many newsrooms'
    files) kept one lock file open for each, for good: over a thousand, select() could no longer watch
    a pipe the process opened after them."""
    import contextlib
    import os

    def lock_files() -> int:
        found = 0
        for fd in os.listdir("/proc/self/fd"):
            with contextlib.suppress(OSError):  # the listing's own descriptor, closed by now
                found += os.readlink(f"/proc/self/fd/{fd}").endswith("-lock")
        return found

    before = lock_files()
    for n in range(40):
        db = connect(tmp_path / f"newsroom-{n}.db")
        migrations.apply(db)
        with transaction(db):
            stories.create_story(db, f"story-{n}", "A story")
        db.close()
    assert lock_files() == before


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
    assert migrations.apply(db)[:1] == ["0009_sketch_blobs"]
    for coverage_id, values in old.items():
        (blob,) = db.execute("SELECT sketch FROM coverage WHERE id = ?", [coverage_id]).fetchone()
        assert clusters.unpack(blob) == sorted(values)
        indexed = db.execute(
            "SELECT hash FROM coverage_sketches WHERE coverage_id = ? ORDER BY hash", [coverage_id]
        ).fetchall()
        assert [h for (h,) in indexed] == sorted(values)[: clusters.INDEXED]


# The migrations that had shipped when they were rewritten to carry their own literals. A database built
# by them must keep exactly this schema forever: tests/fixtures/schema_0001_0009.sql was dumped from
# them as they were before the rewrite.
SHIPPED = "0009_sketch_blobs"
SCHEMA_DUMP = Path(__file__).parent / "fixtures" / "schema_0001_0009.sql"


def schema_dump(db) -> str:
    """sqlite_master as text, one entry per table, index, trigger and view, in a stable order."""
    entries = db.execute("SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name").fetchall()
    return "\n".join(f"-- {kind} {name} on {table}\n{sql};\n" for kind, name, table, sql in entries)


def _apply_shipped(db) -> None:
    names = [m.name for m in migrations.migrations.pending(db)]
    later = names[names.index(SHIPPED) + 1 :]
    migrations.migrations.apply(db, stop_before=later[0] if later else None)


def test_shipped_migrations_build_exactly_the_schema_they_always_built(tmp_path):
    db = connect(tmp_path / "shipped.db")
    _apply_shipped(db)
    assert schema_dump(db) == SCHEMA_DUMP.read_text()


def _old_story_with_echoes(db) -> dict[str, int]:
    """A database as 0005 left it: claims carried by an original, a copy, a credited rewrite and an outlet's claim."""
    db.execute("INSERT INTO stories (slug, title, created_at) VALUES ('s', 'S', '2026-01-01T00:00:00Z')")
    items = [
        ("https://ledger.example/a", "Daily Ledger", 1, "2026-01-01T08:00:00Z", "The mayor resigned on Monday."),
        ("https://metro.example/b", "Metro Post", 1, "2026-01-01T09:00:00Z", "The mayor resigned on Monday."),
        (
            "https://harbor.example/c",
            "Harbor Times",
            None,
            "2026-01-01T10:00:00Z",
            "According to a report by the Daily Ledger, the mayor resigned on Monday.",
        ),
        ("https://valley.example/d", "Valley News", None, "2026-01-01T11:00:00Z", "The mayor resigned on Monday."),
    ]
    for n, (url, outlet, cluster, published, text) in enumerate(items, start=1):
        db.execute(
            """INSERT INTO coverage (story_id, canonical_url, kind, outlet, cluster_id, published_at, first_seen_at)
               VALUES (1, ?, 'article', ?, ?, ?, ?)""",
            [url, outlet, cluster, published, published],
        )
        db.execute(
            "INSERT INTO revisions (coverage_id, fetched_at, content_hash, text) VALUES (?, ?, ?, ?)",
            [n, published, f"h{n}", text],
        )
    claims = {}
    for name, claimant, claimant_type in [
        ("carried", "", "unattributed"),
        ("contradicted", "", "unattributed"),
        ("outlet", "Daily Ledger", "outlet"),
        ("accepted", "", "unattributed"),
        ("bare", "", "unattributed"),
    ]:
        cur = db.execute(
            """INSERT INTO claims (story_id, text, claimant, claimant_type, created_at, updated_at)
               VALUES (1, ?, ?, ?, 'now', 'now')""",
            [f"The mayor resigned ({name})", claimant, claimant_type],
        )
        claims[name] = cur.lastrowid
    quote = "the mayor resigned on monday"
    evidence = [(claims["carried"], r, "supports") for r in (1, 2, 3, 4)]
    evidence += [(claims["contradicted"], 4, "contradicts"), (claims["outlet"], 4, "supports")]
    for claim_id, revision_id, stance in evidence:
        text = db.execute("SELECT text FROM revisions WHERE id = ?", [revision_id]).fetchone()[0]
        start = text.lower().find(quote)
        db.execute(
            """INSERT INTO evidence (claim_id, revision_id, quote, start, "end", stance, added_at)
               VALUES (?, ?, ?, ?, ?, ?, 'now')""",
            [claim_id, revision_id, text[start : start + len(quote)], start, start + len(quote), stance],
        )
    db.execute(
        """INSERT INTO candidates (story_id, revision_id, kind, text, claimant, claimant_type, start, "end",
               fingerprint, state, claim_id, created_at)
           VALUES (1, 3, 'claim', ?, 'Daily Ledger', 'outlet', 0, 72, 'f', 'accepted', ?, 'now')""",
        [items[2][4], claims["accepted"]],
    )
    db.conn.commit()
    return claims


def test_upgrading_a_database_from_before_echo_counts_fills_them_in(tmp_path):
    """0006 on an old database: every claim some outlet carries gets its counts, the rest stay NULL (unknown)."""
    db = connect(tmp_path / "old.db")
    migrations.migrations.apply(db, stop_before="0006_echo_counts")
    claims = _old_story_with_echoes(db)
    migrations.apply(db)
    stored = dict(
        (claim_id, (independent, repeating))
        for claim_id, independent, repeating in db.execute(
            "SELECT id, independent_sources, outlets_repeating FROM claims"
        )
    )
    # The Ledger and Valley News report it; the Metro Post copies the Ledger, the Harbor Times credits it.
    assert stored[claims["carried"]] == (2, 2)
    assert stored[claims["contradicted"]] == (None, None)
    assert stored[claims["outlet"]] == (0, 1)
    assert stored[claims["accepted"]] == (0, 1)
    assert stored[claims["bare"]] == (None, None)


# Where each word list of tracker/vocab.py is a CHECK constraint of the schema.
CHECKED_VOCABULARY = {
    ("users", "role"): "ROLES",
    ("sources", "kind"): "SOURCE_KINDS",
    ("sources", "state"): "SOURCE_STATES",
    ("coverage", "kind"): "COVERAGE_KINDS",
    ("claims", "claimant_type"): "CLAIMANT_TYPES",
    ("claims", "status"): "STATUSES",
    ("status_history", "from_status"): "STATUSES",
    ("status_history", "to_status"): "STATUSES",
    ("evidence", "stance"): "STANCES",
    ("candidates", "state"): "CANDIDATE_STATES",
    ("question_claims", "stance"): "QUESTION_STANCES",
    ("developments", "state"): "DEVELOPMENT_STATES",
}


@pytest.mark.parametrize(("table", "column"), sorted(CHECKED_VOCABULARY))
def test_vocabulary_is_what_the_schema_accepts(db, table, column):
    """A word added to tracker/vocab.py needs a migration that widens the column's CHECK constraint."""
    sql = db.execute("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", [table]).fetchone()[0]
    allowed = re.search(rf"CHECK \({column} IN \(([^)]*)\)\)", sql)
    assert allowed, f"no CHECK constraint on {table}.{column}"
    words = tuple(re.findall(r"'([^']*)'", allowed.group(1)))
    assert words == getattr(vocab, CHECKED_VOCABULARY[(table, column)])


def test_candidates_found_before_0011_keep_their_rows_with_no_spans(tmp_path):
    """0011 adds content, cue and source columns; a candidate stored before has them NULL, nothing else changes."""
    db = connect(tmp_path / "old.db")
    migrations.migrations.apply(db, stop_before="0011_candidate_spans")
    db.execute("INSERT INTO stories (slug, title, created_at) VALUES ('s', 'S', 'now')")
    db.execute(
        "INSERT INTO coverage (story_id, canonical_url, kind, first_seen_at) VALUES (1, 'https://e.x', 'article', 'n')"
    )
    db.execute(
        "INSERT INTO revisions (coverage_id, fetched_at, content_hash, text) VALUES (1, 'now', 'h', 'Acme said so.')"
    )
    db.execute(
        """INSERT INTO candidates (story_id, revision_id, kind, text, claimant, claimant_type, start, "end",
               fingerprint, created_at)
           VALUES (1, 1, 'claim', 'Acme said so.', 'Acme', 'organization', 0, 13, 'f', 'now')"""
    )
    db.conn.commit()
    assert "0011_candidate_spans" in migrations.apply(db)
    row = db.execute("SELECT claimant, content, content_spans, cue, cue_start, source_start FROM candidates").fetchone()
    assert row == ("Acme", None, None, None, None, None)


def test_0016_widens_coverage_kinds_on_an_old_database_keeping_rows_indexes_views_and_links(tmp_path):
    """The coverage table is rebuilt for its new kinds: every row, index, view and reference survives."""
    db = connect(tmp_path / "old.db")
    migrations.migrations.apply(db, stop_before="0016_evidence_kinds")
    claims = _old_story_with_echoes(db)
    before = db.execute("SELECT * FROM coverage ORDER BY id").fetchall()
    indexes = {
        r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'coverage'")
    }
    migrations.apply(db)
    columns = [r[1] for r in db.execute("PRAGMA table_info(coverage)")]
    assert db.execute(f"SELECT {', '.join(columns[: len(before[0])])} FROM coverage ORDER BY id").fetchall() == before
    after = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'coverage'")}
    assert indexes <= after
    assert db.execute("SELECT count(*) FROM coverage_events").fetchone()[0] == 4
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    db.execute(
        "INSERT INTO coverage (story_id, canonical_url, kind, first_seen_at) "
        "VALUES (1, 'urn:sha256:ab', 'document', 'now')"
    )
    with pytest.raises(sqlite3.IntegrityError):
        db.execute("INSERT INTO revisions (coverage_id, fetched_at, content_hash, text) VALUES (999, 'now', 'h', 't')")
    db.conn.rollback()
    assert len(claims) == 5


PAUSING_UPGRADE = """
import os, signal, sys
from tracker import migrations

last = migrations.migrations._migrations[-1]
upgrade = last.fn

def pausing(db):
    upgrade(db)
    print("paused", flush=True)
    os.kill(os.getpid(), signal.SIGSTOP)  # inside the migration's transaction, before its commit

last.fn = pausing
from tracker.cli import cli
cli(sys.argv[1:], prog_name="tracker")
"""


def _waits_for_a_lock(pid: int) -> bool:
    """Is pid blocked in flock() or fcntl() on some file (a line "N: -> FLOCK ... PID ..." of /proc/locks)?"""
    return any("->" in line and line.split()[5] == str(pid) for line in Path("/proc/locks").read_text().splitlines())


def _start_until_it_waits_for_a_lock(args: list[str], cwd):
    """`python -m tracker ARGS` started (a Popen), once blocked on a lock (or ended, or after a minute)."""
    import subprocess
    import sys
    import time

    started = subprocess.Popen(
        [sys.executable, "-m", "tracker", *args], cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    deadline = time.monotonic() + 60  # a guard against hanging, not a wait that makes the test pass
    while started.poll() is None and not _waits_for_a_lock(started.pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    return started


def test_two_commands_starting_together_after_an_upgrade_take_turns_at_the_migrations(tmp_path):
    """`serve` and `watch` started together after a `git pull` brought a migration both found it pending: the
    second failed with "duplicate column name" (or "database is locked") as a database error to check for damage."""
    import os
    import signal
    import subprocess
    import sys

    path = tmp_path / "tracker.db"
    db = connect(path)
    migrations.migrations.apply(db, stop_before=migrations.migrations._migrations[-1].name)
    db.close()
    root = Path(__file__).resolve().parent.parent
    first = subprocess.Popen(
        [sys.executable, "-c", PAUSING_UPGRADE, "--db", str(path), "init"], cwd=root, stdout=subprocess.PIPE, text=True
    )
    second = None
    try:
        assert first.stdout.readline().strip() == "paused"
        second = _start_until_it_waits_for_a_lock(["--db", str(path), "init"], root)
        os.kill(first.pid, signal.SIGCONT)
        assert first.wait(timeout=60) == 0
        out, err = second.communicate(timeout=60)
        assert second.returncode == 0, err
        assert "up to date" in out
    finally:
        for process in (first, second):
            if process is not None and process.poll() is None:
                process.kill()
                process.wait()
        first.stdout.close()
    check = sqlite3.connect(path)
    assert check.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert [n for (n,) in check.execute("SELECT name FROM _sqlite_migrations WHERE migration_set = 'tracker'")] == [
        m.name for m in migrations.migrations._migrations
    ]


def _history_in_every_append_only_table(db, story: dict, accounts: dict) -> None:
    """A ruling citing evidence, an edit of a claim's wording and a changed stance, through the app's own code.

    The evidence and the ruling are written as the app of that schema wrote them: today's code for them reads
    columns and tables later migrations added.
    """
    from tracker import claims, coverage, questions

    item = item_as_then(db, story["id"], "https://news.example/acme", "News Example", "Acme")
    revision_id, _ = coverage.add_revision(db, item, "Acme said the plant is fully funded.")
    claim_id = claims.log_claim(db, story["id"], "The plant is funded", "Acme", "organization", accounts["reporter"])
    with transaction(db):
        evidence_id = db.execute(
            """INSERT INTO evidence (claim_id, revision_id, quote, start, "end", stance, added_at)
               VALUES (?, ?, 'the plant is fully funded', 10, 35, 'supports', '2026-01-01T00:00:00Z')""",
            [claim_id, revision_id],
        ).lastrowid
        history_id = db.execute(
            """INSERT INTO status_history (claim_id, from_status, to_status, rationale, public_rationale,
                   is_correction, editor_id, at)
               VALUES (?, 'unreviewed', 'confirmed', 'Filed', '', 0, ?, '2026-01-01T00:00:00Z')""",
            [claim_id, accounts["editor"]["id"]],
        ).lastrowid
        db.execute(
            "INSERT INTO status_history_evidence (history_id, evidence_id) VALUES (?, ?)", [history_id, evidence_id]
        )
        db.execute("UPDATE claims SET status = 'confirmed', version = version + 1 WHERE id = ?", [claim_id])
    claims.update_claim(db, claim_id, accounts["editor"], 2, text="The plant is fully funded")
    question_id = questions.create_question(db, story["id"], "Is the plant funded?", accounts["editor"])
    questions.link_claim(db, question_id, claim_id, "answers_yes", accounts["editor"])
    questions.link_claim(db, question_id, claim_id, "answers_no", accounts["editor"])


# Each append-only table's existing row given again, reworded where there is a column to reword.
REWRITES = {
    "status_history": "(id, claim_id, from_status, to_status, rationale, at) "
    "SELECT id, claim_id, from_status, 'denied', 'rewritten', at FROM status_history",
    "status_history_evidence": "(history_id, evidence_id) SELECT history_id, evidence_id FROM status_history_evidence",
    "claim_edits": "(id, claim_id, at, field, old, new) "
    "SELECT id, claim_id, at, field, old, 'rewritten' FROM claim_edits",
    "question_link_changes": "(id, question_id, claim_id, link_id, from_stance, to_stance, at) "
    "SELECT id, question_id, claim_id, link_id, from_stance, NULL, at FROM question_link_changes",
    "revisions": "(id, coverage_id, fetched_at, content_hash, text) "
    "SELECT id, coverage_id, fetched_at, content_hash, 'rewritten' FROM revisions",
}


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE revisions SET text = 'The plant was never funded.'",
        "UPDATE revisions SET fetched_at = '2020-01-01T00:00:00Z'",
        "UPDATE revisions SET coverage_id = coverage_id",
        "UPDATE revisions SET diff = NULL, extracted_at = NULL",
        "DELETE FROM revisions",
    ],
)
@pytest.mark.parametrize("opened_by", ["tracker", "sqlite3"])
def test_a_fetched_text_is_never_rewritten_or_removed(db_path, db, story, accounts, statement, opened_by):
    """Evidence quotes a revision by offset and a changed statement is seen by comparing revisions: they only grow."""
    _history_in_every_append_only_table(db, story, accounts)
    before = db.execute("SELECT * FROM revisions ORDER BY id").fetchall()
    other = db if opened_by == "tracker" else sqlite_utils.Database(sqlite3.connect(db_path), recursive_triggers=False)
    with pytest.raises(sqlite3.IntegrityError, match="revisions is append-only"):
        other.execute(statement)
    other.conn.rollback()
    if other is not db:
        other.close()
    assert db.execute("SELECT * FROM revisions ORDER BY id").fetchall() == before


def test_the_extraction_stamp_is_the_one_thing_a_revision_may_change(db, story, accounts):
    """The extraction pass marks what it has read (and a re-run clears the mark): that column stays writable."""
    _history_in_every_append_only_table(db, story, accounts)
    db.execute("UPDATE revisions SET extracted_at = '2026-02-01T00:00:00Z'")
    db.execute("UPDATE revisions SET extracted_at = NULL")
    db.conn.commit()
    assert db.execute("SELECT count(*) FROM revisions WHERE extracted_at IS NULL").fetchone()[0] == 1


def test_every_table_with_append_only_triggers_is_listed_here(db):
    guarded = {
        table
        for (table, sql) in db.execute("SELECT tbl_name, sql FROM sqlite_master WHERE type = 'trigger'")
        if "is append-only" in sql
    }
    assert guarded == set(REWRITES) | {"candidate_put_backs", "archived_copy_choices", "public_ids"}


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE candidate_put_backs SET reason = 'rewritten'",
        "DELETE FROM candidate_put_backs",
        "INSERT OR REPLACE INTO candidate_put_backs (id, candidate_id, story_id, state, put_back_by, put_back_at) "
        "SELECT id, candidate_id, story_id, state, put_back_by, 'rewritten' FROM candidate_put_backs",
    ],
)
def test_a_put_back_dismissal_is_kept_as_it_was(db_path, db, story, accounts, statement):
    """Putting a dismissed candidate back in the queue clears its decision; the record of it cannot be rewritten."""
    from tracker import candidates, coverage

    item = coverage.upsert_item(db, story["id"], "https://news.example/acme", outlet="News Example", title="Acme")
    revision_id, _ = coverage.add_revision(db, item, "Acme said the plant is fully funded.")
    db.execute(
        """INSERT INTO candidates (story_id, revision_id, kind, text, start, "end", fingerprint, state, reason,
               decided_by, decided_at, created_at)
           VALUES (?, ?, 'claim', 'x', 0, 4, 'x', 'dismissed', 'No', ?, 'then', 'then')""",
        [story["id"], revision_id, accounts["reporter"]["id"]],
    )
    db.conn.commit()
    candidates.put_back(db, db.execute("SELECT max(id) FROM candidates").fetchone()[0], accounts["editor"])
    before = db.execute("SELECT * FROM candidate_put_backs").fetchall()
    plain = sqlite3.connect(db_path)
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        plain.execute(statement)
    plain.close()
    assert db.execute("SELECT * FROM candidate_put_backs").fetchall() == before


@pytest.mark.parametrize("table", sorted(REWRITES))
@pytest.mark.parametrize(
    "form",
    ["INSERT OR REPLACE INTO {table} {rows}", "REPLACE INTO {table} {rows}", "upsert", "sqlite-utils replace"],
)
@pytest.mark.parametrize("opened_by", ["tracker", "sqlite3"])
def test_append_only_history_cannot_be_replaced(db_path, db, story, accounts, table, form, opened_by):
    """REPLACE deletes the row it conflicts with and fires DELETE triggers only with recursive_triggers on.

    tracker.db.connect turns them on (sqlite-utils does); SQLite's own default is off, so a plain
    connection (the sqlite3 shell, a script) rewrote a ruling, an edit or a stance change in place.
    """
    _history_in_every_append_only_table(db, story, accounts)
    before = db.execute(f"SELECT * FROM {table} ORDER BY 1, 2").fetchall()
    assert before
    other = db if opened_by == "tracker" else sqlite_utils.Database(sqlite3.connect(db_path), recursive_triggers=False)
    assert other.execute("PRAGMA recursive_triggers").fetchone()[0] == (opened_by == "tracker")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        if form == "upsert":
            first = REWRITES[table].split("(")[1].split(",")[0]
            other.execute(
                f"INSERT INTO {table} {REWRITES[table]} WHERE true ON CONFLICT DO UPDATE SET {first} = {first}"
            )
        elif form == "sqlite-utils replace":
            row = other.execute(f"SELECT * FROM {table} LIMIT 1").fetchone()
            columns = [c.name for c in other[table].columns]
            other[table].insert(dict(zip(columns, row, strict=True)), replace=True)
        else:
            other.execute(form.format(table=table, rows=REWRITES[table]))
    other.conn.rollback()
    if other is not db:
        other.close()
    assert db.execute(f"SELECT * FROM {table} ORDER BY 1, 2").fetchall() == before


def test_0023_on_a_database_with_history_keeps_it_refuses_replace_and_lets_the_app_append(tmp_path):
    """Applied to a database already holding history: nothing changes but REPLACE, and a second run does nothing."""
    from tracker import claims, coverage, questions, users

    db = connect(tmp_path / "old.db")
    migrations.migrations.apply(db, stop_before="0023_append_only_no_replace")
    story = stories.create_story(db, "old-story", "An older story")
    accounts = {role: users.add_user(db, role, "a long passphrase for tests", role) for role in ("reporter", "editor")}
    _history_in_every_append_only_table(db, story, accounts)
    kept = {table: db.execute(f"SELECT * FROM {table} ORDER BY 1, 2").fetchall() for table in REWRITES}
    db.close()

    db = connect(tmp_path / "old.db")
    assert migrations.apply(db)[0] == "0023_append_only_no_replace"
    assert migrations.apply(db) == []
    after = {table: db.execute(f"SELECT * FROM {table} ORDER BY 1, 2").fetchall() for table in REWRITES}
    # Later migrations may add columns (status_history.edit_mark, 0059): each row keeps the ones it had.
    assert {table: [row[: len(kept[table][0])] for row in found] for table, found in after.items()} == kept
    plain = sqlite3.connect(tmp_path / "old.db")
    for table, rows in REWRITES.items():
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            plain.execute(f"INSERT OR REPLACE INTO {table} {rows}")
    plain.close()
    # The app's own appends still go in, each a new row after the old ones.
    claim_id = kept["status_history"][0][1]
    evidence_id = kept["status_history_evidence"][0][1]
    claims.set_status(db, claim_id, "unclear", accounts["editor"], "Disputed", 3, evidence_ids=[evidence_id])
    claims.update_claim(db, claim_id, accounts["editor"], 4, text="The plant may be funded")
    question_id = kept["question_link_changes"][0][1]
    questions.unlink_claim(db, question_id, claim_id, accounts["editor"])
    coverage.add_revision(db, kept["revisions"][0][1], "Acme now says the plant is half funded.")
    counts = {table: db.execute(f"SELECT count(*) FROM {table}").fetchone()[0] for table in REWRITES}
    assert counts == {table: len(rows) + 1 for table, rows in kept.items()}


def test_0026_credits_a_stored_claim_to_the_evidence_that_dated_it_and_keeps_the_date(tmp_path):
    """A claim keeps its first_reported_at; the evidence credited is the first whose date it is, or none."""
    db = connect(tmp_path / "old.db")
    migrations.migrations.apply(db, stop_before="0026_first_reported_evidence")
    db.executescript(
        """
        INSERT INTO stories (id, slug, title, created_at) VALUES (1, 's', 'S', '2026-01-01T00:00:00Z');
        INSERT INTO coverage (id, story_id, canonical_url, kind, outlet, published_at, first_seen_at) VALUES
            (1, 1, 'https://wire.example/a', 'article', 'Wire', '2026-01-02T09:00:00Z', '2026-01-02T09:05:00Z'),
            (2, 1, 'https://city.example/b', 'statement', 'City', NULL, '2026-01-02T07:00:00Z');
        INSERT INTO revisions (id, coverage_id, fetched_at, content_hash, text) VALUES
            (1, 1, '2026-01-02T09:05:00Z', 'a', 'The pump failed.'),
            (2, 2, '2026-01-02T07:00:00Z', 'b', 'The pump failed.');
        INSERT INTO claims (id, story_id, text, claimant, claimant_type, first_reported_at, created_at, updated_at)
        VALUES (1, 1, 'The pump failed.', 'City', 'organization', '2026-01-02T07:00:00Z',
                '2026-01-03T00:00:00Z', '2026-01-03T00:00:00Z'),
               (2, 1, 'The pump failed early.', 'City', 'organization', '2025-12-31T00:00:00Z',
                '2026-01-03T00:00:00Z', '2026-01-03T00:00:00Z');
        INSERT INTO evidence (id, claim_id, revision_id, quote, start, "end", stance, added_at) VALUES
            (1, 1, 1, 'The pump failed.', 0, 16, 'supports', '2026-01-03T00:00:00Z'),
            (2, 1, 2, 'The pump failed.', 0, 16, 'supports', '2026-01-03T00:00:00Z'),
            (3, 2, 1, 'The pump failed.', 0, 16, 'supports', '2026-01-03T00:00:00Z');
        """
    )
    migrations.migrations.apply(db)
    assert db.execute(
        "SELECT id, first_reported_at, first_reported_evidence_id FROM claims ORDER BY id"
    ).fetchall() == [
        (1, "2026-01-02T07:00:00Z", 2),
        (2, "2025-12-31T00:00:00Z", None),
    ]


def test_0029_dates_stored_evidence_by_the_revision_that_added_its_words(tmp_path):
    """Evidence quoting words an edit added is dated by that edit; words the item held from the start are not."""
    db = connect(tmp_path / "old.db")
    migrations.migrations.apply(db, stop_before="0029_evidence_words_from")
    db.executescript(
        """
        INSERT INTO stories (id, slug, title, created_at) VALUES (1, 's', 'S', '2026-01-01T00:00:00Z');
        INSERT INTO coverage (id, story_id, canonical_url, kind, outlet, published_at, first_seen_at) VALUES
            (1, 1, 'https://city.example/b', 'statement', 'City', '2026-01-02T07:00:00Z', '2026-01-02T07:05:00Z');
        INSERT INTO revisions (id, coverage_id, fetched_at, content_hash, text) VALUES
            (1, 1, '2026-01-02T07:05:00Z', 'a', 'All is well.'),
            (2, 1, '2026-01-02T21:00:00Z', 'b', 'All is well. The pump failed.');
        INSERT INTO claims (id, story_id, text, claimant, claimant_type, first_reported_at, created_at, updated_at)
        VALUES (1, 1, 'The pump failed.', 'City', 'organization', '2026-01-02T21:00:00Z',
                '2026-01-03T00:00:00Z', '2026-01-03T00:00:00Z');
        INSERT INTO evidence (id, claim_id, revision_id, quote, start, "end", stance, added_at) VALUES
            (1, 1, 2, 'The pump failed.', 13, 29, 'supports', '2026-01-03T00:00:00Z'),
            (2, 1, 2, 'All is well.', 0, 12, 'context', '2026-01-03T00:00:00Z'),
            (3, 1, 1, 'All is well.', 0, 12, 'context', '2026-01-03T00:00:00Z');
        """
    )
    migrations.apply(db)
    assert db.execute("SELECT id, words_from FROM evidence ORDER BY id").fetchall() == [
        (1, "2026-01-02T21:00:00Z"),
        (2, None),
        (3, None),
    ]


def old_db_holding_a_file(tmp_path, stop_before: str, data: bytes):
    """A database migrated up to (not including) `stop_before`, with one story, one post and `data` stored as
    blob 1: what an older version kept, for an upgrade to read (its captures are the caller's)."""
    import zlib

    db = connect(tmp_path / "old.db")
    migrations.migrations.apply(db, stop_before=stop_before)
    db.execute("INSERT INTO stories (id, slug, title, created_at) VALUES (1, 's', 'S', '2026-01-01T00:00:00Z')")
    db.execute(
        "INSERT INTO coverage (id, story_id, canonical_url, kind, first_seen_at) "
        "VALUES (1, 1, 'https://social.example/1', 'post', '2026-01-01T00:00:00Z')"
    )
    db.execute(
        "INSERT INTO capture_blobs (id, sha256, size, compression, stored, body) VALUES (1, 'x', ?, 'zlib', 1, ?)",
        [len(data), zlib.compress(data)],
    )
    return db


def test_0031_stores_what_files_kept_before_it_reveal(tmp_path):
    """Photos and documents kept before 0031 are read once by the backfill; pages are not read."""
    from tests.test_photos import photo
    from tracker import captures

    data = photo()
    db = old_db_holding_a_file(tmp_path, "0031_capture_reveals", data)
    for capture_id, role in ((1, "screenshot"), (2, "page")):
        db.execute(
            "INSERT INTO captures (id, coverage_id, role, how, received_at, blob_id, sha256, size) "
            "VALUES (?, 1, ?, 'upload', '2026-01-01T00:00:00Z', 1, 'x', ?)",
            [capture_id, role, len(data)],
        )
    migrations.apply(db)
    assert captures.reveals(db, captures.get_capture(db, 1))[0] == "where it was taken (GPS position)"
    assert db.execute("SELECT reveals FROM captures WHERE id = 2").fetchone() == (None,)


def test_0033_makes_midnight_publication_dates_day_only_and_places_them_within_their_day(tmp_path):
    """Every date-only page was stored at 00:00 UTC: its item and the claim it dates become day-only, standing
    at when we first saw the item within that day; a timed item and words a later revision added stay exact."""
    db = connect(tmp_path / "old.db")
    migrations.migrations.apply(db, stop_before="0033_date_precision")
    db.executescript(
        """
        INSERT INTO stories (id, slug, title, created_at) VALUES (1, 's', 'S', '2026-01-01T00:00:00Z');
        INSERT INTO coverage (id, story_id, canonical_url, kind, outlet, published_at, first_seen_at) VALUES
            (1, 1, 'https://day.example/a', 'article', 'Day', '2026-12-05T00:00:00Z', '2026-12-05T09:14:00Z'),
            (2, 1, 'https://late.example/b', 'article', 'Late', '2026-12-05T00:00:00Z', '2026-12-07T10:00:00Z'),
            (3, 1, 'https://timed.example/c', 'article', 'Timed', '2026-12-05T07:30:00Z', '2026-12-05T07:35:00Z');
        INSERT INTO revisions (id, coverage_id, fetched_at, content_hash, text) VALUES
            (1, 1, '2026-12-05T09:14:00Z', 'a', 'The pump failed.'),
            (2, 2, '2026-12-07T10:00:00Z', 'b', 'The pump failed.'),
            (3, 3, '2026-12-05T07:35:00Z', 'c', 'The pump failed.');
        INSERT INTO claims (id, story_id, text, claimant, claimant_type, first_reported_at, created_at, updated_at)
        VALUES (1, 1, 'A', 'City', 'organization', '2026-12-05T00:00:00Z', '2026-12-08', '2026-12-08'),
               (2, 1, 'B', 'City', 'organization', '2026-12-05T07:30:00Z', '2026-12-08', '2026-12-08');
        INSERT INTO evidence (id, claim_id, revision_id, quote, start, "end", stance, added_at) VALUES
            (1, 1, 1, 'The pump failed.', 0, 16, 'supports', '2026-12-08T00:00:00Z'),
            (2, 2, 3, 'The pump failed.', 0, 16, 'supports', '2026-12-08T00:00:00Z');
        UPDATE claims SET first_reported_evidence_id = id;
        """
    )
    migrations.migrations.apply(db)
    assert db.execute("SELECT id, published_at, published_precision FROM coverage ORDER BY id").fetchall() == [
        (1, "2026-12-05T09:14:00Z", "day"),
        (2, "2026-12-05T23:59:59Z", "day"),
        (3, "2026-12-05T07:30:00Z", None),
    ]
    assert db.execute("SELECT id, first_reported_at, first_reported_precision FROM claims ORDER BY id").fetchall() == [
        (1, "2026-12-05T09:14:00Z", "day"),
        (2, "2026-12-05T07:30:00Z", None),
    ]


def test_0055_drops_kept_api_answers_holding_confidential_fields_to_a_409_record(tmp_path):
    """Answers kept whole before 0055 held a source's name for a day: gone, the key answering 409 until it expires
    (never run twice unseen); an answer with nothing confidential in it is still replayed."""
    db = connect(tmp_path / "old.db")
    migrations.migrations.apply(db, stop_before="0055_api_idempotency_resource")
    db.executescript(
        """
        INSERT INTO users (id, username, role, password_hash, created_at)
        VALUES (1, 'rita', 'reporter', 'x', '2026-12-01T00:00:00Z');
        INSERT INTO api_idempotency_keys (user_id, key, request, status, response, location, created_at) VALUES
            (1, 'claim', 'r1', 201, '{"id": 1, "source_identity": "Dana Roe", "history": []}', '/api/claims/1',
             '2026-12-07T00:00:00Z'),
            (1, 'note', 'r2', 201, '{"coverage_id": 4, "files": [{"id": 1}], "identity": "Pat"}', NULL,
             '2026-12-07T00:00:00Z'),
            (1, 'development', 'r3', 201, '{"id": 2, "text": "Opens"}', NULL, '2026-12-07T00:00:00Z');
        """
    )
    migrations.migrations.apply(db)
    rows = db.execute("SELECT key, status, response, resource FROM api_idempotency_keys ORDER BY key").fetchall()
    assert rows == [
        ("claim", None, None, None),
        ("development", 201, '{"id": 2, "text": "Opens"}', None),
        ("note", None, None, None),
    ]


def test_0057_keeps_one_last_look_per_person_and_story_on_an_old_database(tmp_path):
    """story_looks on a database from before it: empty (nobody has looked yet, so nothing is marked new), one row
    per person and story, and only for people and stories that exist."""
    db = connect(tmp_path / "old.db")
    migrations.migrations.apply(db, stop_before="0057_story_looks")
    db.executescript(
        """
        INSERT INTO users (id, username, role, password_hash, created_at)
        VALUES (1, 'edith', 'editor', 'x', '2026-12-01T00:00:00Z');
        INSERT INTO stories (id, slug, title, created_at) VALUES (1, 's', 'S', '2026-12-01T00:00:00Z');
        """
    )
    migrations.migrations.apply(db)
    assert db.execute("SELECT count(*) FROM story_looks").fetchone()[0] == 0
    look = "INSERT INTO story_looks (user_id, story_id, looked_at) VALUES (?, ?, '2026-12-07T09:00:00Z')"
    db.execute(look, [1, 1])
    with pytest.raises(sqlite3.IntegrityError):
        db.execute(look, [1, 1])
    with pytest.raises(sqlite3.IntegrityError):
        db.execute(look, [1, 2])
    assert db.execute("SELECT last_ruling, last_claim, last_candidate, last_revision FROM story_looks").fetchall() == [
        (0, 0, 0, 0)
    ]
