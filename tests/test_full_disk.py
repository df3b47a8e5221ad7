"""A full disk: every command ends with one line naming the cause and what to do, a non-zero exit, true counts.

The working database lives on a real small file system (tests/storage.py)
that a ballast file fills, so SQLite meets a real "database or disk is full"
at whatever write comes next. Nothing here is mocked: the assertions compare
what a command printed with what is in the database afterwards.
"""

from __future__ import annotations

import contextlib
import gc
import html
import io
import re
import shutil
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.sites import RECALL, article, rss
from tests.storage import small_disk
from tracker import claims, migrations, stories, users
from tracker.cli import cli
from tracker.db import connect

COUNTS_LINE = re.compile(r"^new: (\d+), updated: (\d+), unchanged: (\d+), skipped: (\d+), failed: (\d+)")
PASSWORD = "correct-horse-battery"


@pytest.fixture
def disk(tmp_path):
    with small_disk(tmp_path / "disk", 12 * 1024) as mounted:
        yield mounted


@pytest.fixture
def db_path(disk) -> Path:
    path = disk.path / "tracker.db"
    db = connect(path)
    migrations.apply(db)
    stories.create_story(db, "acme", "Acme recalls toasters", keywords_include="Acme")
    users.add_user(db, "edith", PASSWORD, "editor")
    db.close()
    return path


@pytest.fixture
def run(db_path, monkeypatch):
    monkeypatch.setenv("TRACKER_ALLOW_PRIVATE", "1")
    monkeypatch.setenv("TRACKER_MIN_INTERVAL", "0")

    def run(*args, input=None):
        return CliRunner().invoke(cli, ["--db", str(db_path), *args], input=input)

    return run


def assert_disk_full_line(result) -> None:
    """Exit 1, no traceback, and the last line names the full disk and what to do."""
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output and result.exception is None or isinstance(result.exception, SystemExit)
    last = result.output.strip().splitlines()[-1]
    assert last.startswith("Error: ") and "Disk full:" in last and "Free some space" in last, last


def rows(db_path: Path, table: str) -> int:
    conn = sqlite3.connect(db_path)
    try:
        return conn.execute(f"SELECT count(*) FROM [{table}]").fetchone()[0]
    finally:
        conn.close()


def integrity(db_path: Path) -> str:
    conn = sqlite3.connect(db_path)
    try:
        return conn.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        conn.close()


def many_pages(site, count: int) -> str:
    """A feed linking `count` distinct article pages about Acme; returns the feed's URL.

    Each page holds about 18 KB of text of its own, so the texts alone of 40
    take more room than the scrape test leaves: the disk fills while pages
    are stored, however the pass groups them into transactions.
    """
    entries = []
    for n in range(count):
        paragraphs = [
            f"Report {n}, part {k}: {p} Item {n} adds detail number {n * 7919 + k}." for k in range(20) for p in RECALL
        ]
        link = site.put(f"/news/{n}.html", article(f"Acme recall report {n}", paragraphs))
        entries.append({"link": link, "title": f"Acme recall report {n}", "pubDate": "Mon, 02 Mar 2026 14:30 GMT"})
    return site.put("/news/feed.xml", rss("Example Gazette", entries), content_type="application/rss+xml")


def test_scrape_on_a_disk_that_fills_up_counts_only_what_was_stored(run, db_path, disk, site):
    feed = many_pages(site, 40)
    assert run("sources", "add", "acme", feed, "--kind", "feed").exit_code == 0
    disk.fill(leave=600_000)

    result = run("scrape", "acme")
    assert_disk_full_line(result)
    counts = next(COUNTS_LINE.match(line) for line in result.output.splitlines() if COUNTS_LINE.match(line))
    new, failed = int(counts.group(1)), int(counts.group(5))
    assert new == rows(db_path, "coverage"), result.output  # 'new' only for rows that are really there
    stored_texts = rows(db_path, "revisions")
    assert stored_texts < 40, "the disk filled before every page was stored"
    # A batch rolled back is not called stored: it held fetches that failed as well as pages.
    assert "item(s) stored in this pass" not in result.output
    assert integrity(db_path) == "ok"

    disk.empty()
    again = run("scrape", "acme")
    assert again.exit_code == 0, again.output
    assert rows(db_path, "revisions") == 40  # what was not stored was still due
    assert failed > 0 and integrity(db_path) == "ok"


def test_ingest_on_a_disk_that_fills_up_names_the_cause_after_true_counts(run, db_path, disk, tmp_path):
    files = []
    for n in range(40):
        page = tmp_path / f"page-{n}.html"
        # About 18 KB of text of its own: the texts alone of 40 take more room than is left.
        paragraphs = [
            f"Page {n}, part {k}: {p} A detail only page {n} has: {n * 104729 + k}." for k in range(20) for p in RECALL
        ]
        page.write_text(article(f"Acme recall page {n}", paragraphs))
        files.append(str(page))
    disk.fill(leave=400_000)

    result = run("ingest", "acme", *files)
    assert_disk_full_line(result)
    stored_lines = [line for line in result.output.splitlines() if ": page, new item " in line]
    assert len(stored_lines) == rows(db_path, "coverage") < 40
    counts = next(COUNTS_LINE.match(line) for line in result.output.splitlines() if COUNTS_LINE.match(line))
    assert int(counts.group(1)) == rows(db_path, "coverage")
    assert integrity(db_path) == "ok"


@pytest.mark.parametrize(
    "command",
    [
        ["stories", "add", "second-story", "--title", "Another story", "--keywords", "Acme"],
        ["users", "add", "ben", "--role", "reporter", "--password-stdin"],
        ["users", "token", "edith"],
        ["sources", "add", "acme", "https://news.example/feed.xml", "--kind", "feed"],
    ],
    ids=lambda c: " ".join(c[:2]),
)
def test_writes_on_a_full_disk_are_one_line_and_change_nothing(run, db_path, disk, command):
    conn = connect(db_path)
    before = {t: rows(db_path, t) for t in ("stories", "users", "api_tokens", "sources")}
    conn.close()
    disk.fill(leave=0)
    result = run(*command, input=f"{PASSWORD}\n")
    assert_disk_full_line(result)
    disk.empty()
    assert {t: rows(db_path, t) for t in before} == before
    assert integrity(db_path) == "ok"


@pytest.mark.parametrize(
    "command",
    [
        ["users", "passwd", "edith", "--password-stdin"],
        ["users", "end-sessions", "--all"],
        ["sources", "pause", "1"],
        ["sources", "resume", "1"],
        ["score-candidates", "--all"],
        ["alerts", "send-pending"],
    ],
    ids=lambda c: " ".join(c[:2]),
)
def test_changes_to_stored_rows_on_a_full_disk_are_one_line_and_change_nothing(run, db_path, disk, tmp_path, command):
    """The writes that change rows already there (a password, a source's state, scores), not only those adding one."""
    page = tmp_path / "said.html"
    page.write_text(article("Acme statement", ['"We will replace every toaster," said Jo Example of Acme.', *RECALL]))
    assert run("ingest", "acme", str(page)).exit_code == 0  # candidates for score-candidates to rescore
    assert run("sources", "add", "acme", "https://news.example/feed.xml", "--kind", "feed").exit_code == 0
    if command[:2] == ["sources", "resume"]:
        assert run("sources", "pause", "1").exit_code == 0
    conn = sqlite3.connect(db_path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # every page in the file: the command's own writes need room
    before = list(conn.iterdump())
    conn.close()
    disk.fill(leave=0)
    result = run(*command, input="kettle-lantern-orbit-42\n")
    assert_disk_full_line(result)
    disk.empty()
    conn = sqlite3.connect(db_path)
    assert list(conn.iterdump()) == before
    conn.close()
    assert integrity(db_path) == "ok"


def test_reads_work_on_a_full_disk(run, db_path, disk):
    disk.fill(leave=0)
    for command, shows in (
        (["stories"], "acme"),
        (["sources"], "No sources yet"),
        (["users", "list"], "edith"),
        (["candidates"], "0 pending"),
        (["init"], "up to date"),
    ):
        result = run(*command)
        assert result.exit_code == 0, (command, result.output)
        assert shows in result.output, (command, result.output)


def test_candidates_extract_on_a_full_disk_reports_what_it_added(run, db_path, disk, tmp_path):
    pages = []
    for n in range(30):
        page = tmp_path / f"said-{n}.html"
        said = [
            f'"We will replace every toaster in batch {n}," said Jo Example, a spokesperson for Acme Widgets.',
            *RECALL,
        ]
        page.write_text(article(f"Acme statement {n}", said))
        pages.append(str(page))
    db = connect(db_path)
    story = stories.get_story(db, "acme")
    from tracker.store import ingest_page

    for page in pages:
        ingest_page(db, story, Path(page).as_uri(), Path(page).read_bytes())  # stored, not yet read for claims
    db.close()
    disk.fill(leave=120_000)
    result = run("candidates", "acme", "--extract")
    assert_disk_full_line(result)
    added = int(re.search(r"acme: (\d+) candidate\(s\) added", result.output).group(1))
    assert added == rows(db_path, "candidates")
    assert integrity(db_path) == "ok"


def test_publish_to_a_full_disk_leaves_the_public_file_and_no_temporary_file(run, db_path, disk):
    db = connect(db_path)
    editor = users.find_user(db, "edith")
    story = stories.get_story(db, "acme")
    for n in range(40):
        claim_id = claims.log_claim(db, story["id"], f"Acme said thing {n}. " * 40, "Acme", "organization", editor)
        claims.set_published(db, claim_id, True, editor, claims.get_claim(db, claim_id)["version"])
    db.close()
    public = disk.path / "public.db"
    assert run("publish", "--out", str(public)).exit_code == 0
    before = public.read_bytes()
    disk.fill(leave=20_000)
    result = run("publish", "--out", str(public))
    assert_disk_full_line(result)
    assert "left unchanged" in result.output
    assert public.read_bytes() == before
    assert not [p.name for p in disk.path.iterdir() if ".tmp-" in p.name]


def test_backup_onto_a_full_disk_leaves_nothing_that_blocks_the_retry(run, db_path, disk, tmp_path):
    dest = disk.path / "backups" / "tracker-copy.db"
    dest.parent.mkdir()
    disk.fill(leave=8_000)
    result = run("backup", str(dest))
    assert_disk_full_line(result)
    assert not dest.exists()
    assert not [p for p in dest.parent.iterdir() if p.name != dest.name] if dest.parent.exists() else True
    disk.empty()
    retry = run("backup", str(dest))
    assert retry.exit_code == 0, retry.output
    assert integrity(dest) == "ok" and rows(dest, "stories") == 1


def test_watch_stops_on_a_full_disk_after_reporting_the_pass(run, db_path, disk, site):
    feed = many_pages(site, 30)
    assert run("sources", "add", "acme", feed, "--kind", "feed").exit_code == 0
    disk.fill(leave=400_000)
    result = run("watch", "acme", "--every", "1s")
    assert_disk_full_line(result)
    counts = next(COUNTS_LINE.match(line) for line in result.output.splitlines() if COUNTS_LINE.match(line))
    assert int(counts.group(1)) == rows(db_path, "coverage")


def test_api_token_requests_still_answer_on_a_full_disk(app, db_path, disk):
    """The editor (tests/conftest.py's app) over the database on the small disk."""
    db = connect(db_path)
    token = users.create_token(db, "edith")
    db.close()
    client = app.test_client()
    headers = {"Authorization": f"Bearer {token}"}
    disk.fill(leave=0)
    for _ in range(3):
        response = client.get("/api/stories", headers=headers)
        assert response.status_code == 200, response.get_data(as_text=True)
        assert [s["slug"] for s in response.get_json()["stories"]] == ["acme"]
    # A write cannot be saved: a clear 503 saying why, not a 500.
    refused = client.post(
        "/api/stories/acme/claims", json={"text": "Acme said so.", "claimant_type": "organization"}, headers=headers
    )
    assert refused.status_code == 503, refused.get_data(as_text=True)
    assert "Disk full" in refused.get_json()["message"]
    disk.empty()


def test_an_alert_sent_while_the_disk_filled_is_recorded_once_there_is_room_never_sent_again(
    db_path, disk, monkeypatch
):
    """The send went out, then recording it met a full disk: the sender keeps the outcome and records it later.

    The lease it holds runs out meanwhile; a sender that dropped the outcome
    would claim the delivery again then and post the same message twice.
    """
    from cryptography.fernet import Fernet

    from tests.alert_receivers import WebhookReceiver
    from tests.test_alerts import STATEMENT, Clock, statement
    from tracker.alerts import destinations, sender, subscriptions

    monkeypatch.setenv("TRACKER_ALERTS_KEY", Fernet.generate_key().decode())
    monkeypatch.setenv("TRACKER_ALLOWED_HOSTS", "127.0.0.1")
    webhook = WebhookReceiver()
    db = connect(db_path)
    try:
        editor = users.find_user(db, "edith")
        subscriptions.save(db, editor, {"kinds": ["statement_new"]})
        destinations.add(db, editor, "Desk webhook", webhook.url())
        statement(db, stories.get_story(db, "acme"), STATEMENT)
        clock = Clock()
        alerts = sender.Sender(db, clock=clock)
        alerts.step()  # routed, batched, claimed and handed to a sending thread
        webhook.wait_for(1)
        for future in list(alerts.in_flight):
            future.result()
        disk.fill(leave=0)
        with pytest.raises(sqlite3.OperationalError):
            alerts.step()  # the outcome cannot be written
        disk.empty()
        clock.advance(sender.LEASE_SECONDS + 1)  # the lease has run out by the time there is room
        while alerts.step(timeout=0.2) or alerts.in_flight:
            pass
        alerts.close()
        assert [m.key for m in webhook.messages] == ["1"]
        assert db.execute("SELECT state, attempts FROM alert_deliveries").fetchall() == [("sent", 1)]
        assert alerts.sent == 1
    finally:
        db.close()
        webhook.close()


def test_init_upgrading_an_older_database_on_a_disk_that_fills_names_the_full_disk(tmp_path):
    """Whatever step of the upgrade meets the full disk, the line says so, and init completes once there is room.

    The evidence migration rebuilds a table in a transaction of its own: a
    full disk that made SQLite roll it back used to be reported as "cannot
    rollback - no transaction is active", a database error to check for damage.
    """
    older = tmp_path / "older.db"
    db = connect(older)
    migrations.migrations.apply(db, stop_before="0016_evidence_kinds")
    with db.conn:
        for n in range(2000):
            db.execute(
                "INSERT INTO stories (slug, title, created_at) VALUES (?, ?, '2026-03-02T14:30:00Z')",
                [f"story-{n}", f"Story {n} " * 20],
            )
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    with small_disk(tmp_path / "disk", 8 * 1024) as disk:
        path = disk.path / "tracker.db"
        for leave in range(24_000, 112_000, 8_000):
            gc.collect()  # the last run's connections closed: the files unlinked next give their room back
            for leftover in disk.path.glob("tracker.db*"):
                leftover.unlink()
            shutil.copy(older, path)
            disk.fill(leave=leave)
            result = CliRunner().invoke(cli, ["--db", str(path), "init"])
            disk.empty()
            if result.exit_code != 0:
                assert_disk_full_line(result)
                # The line says how far the schema got, as the file says it (every migration saved, or some).
                with contextlib.closing(sqlite3.connect(path)) as check:
                    sql = "SELECT count(*) FROM _sqlite_migrations WHERE migration_set = 'tracker'"
                    saved = check.execute(sql).fetchone()[0]
                total = len(migrations.migrations._migrations)
                said = f"All {total} schema" if saved == total else f"{saved} of {total} schema"
                assert said in result.output.strip().splitlines()[-1], (saved, result.output)
            assert integrity(path) == "ok"
            again = CliRunner().invoke(cli, ["--db", str(path), "init"])
            assert again.exit_code == 0, again.output
            assert rows(path, "stories") == 2000 and integrity(path) == "ok"


def test_demo_on_a_full_disk_reports_nothing_it_did_not_store(run, db_path, disk):
    """The demo is one transaction: its ingest lines come once it committed, never before a rollback."""
    disk.fill(leave=300_000)
    result = run("demo")
    assert_disk_full_line(result)
    assert rows(db_path, "coverage") == 0 and rows(db_path, "claims") == 0
    assert "new item" not in result.output, result.output
    disk.empty()
    again = run("demo")
    assert again.exit_code == 0, again.output
    assert "page, new item" in again.output and rows(db_path, "coverage") == 1
    assert integrity(db_path) == "ok"


def test_a_claim_typed_in_the_editor_while_the_disk_is_full_comes_back_on_the_error_page(client, db_path, disk):
    """The 503 keeps what the reporter typed on the page, to copy and send again once there is room."""
    from tests.conftest import AuthActions, csrf_from

    AuthActions(client).login("edith", PASSWORD)
    form = client.get("/stories/acme/claims/new").get_data(as_text=True)
    typed = {
        "text": "Acme <b>knew</b> of the faulty thermostats in May & said nothing.",
        "claimant": "A former Acme engineer",
        "claimant_type": "anonymous",
        "internal_notes": "Met her twice; second call on Thursday.",
    }
    disk.fill(leave=0)
    response = client.post("/stories/acme/claims/new", data={**typed, "csrf_token": csrf_from(form)})
    page = response.get_data(as_text=True)
    disk.empty()
    assert response.status_code == 503, page[:500]
    assert "Disk full" in page
    lede = page.split('class="lede">')[1].split("</p>")[0]
    assert "disk the tracker saves to is full" in lede and "whoever runs the tracker" in lede, lede
    shown = {**typed, "claimant_type": "Anonymous source"}  # a choice, in the words the form offered it in
    for value in shown.values():
        assert html.escape(value, quote=False) in page, value
    assert "<b>knew</b>" not in page  # shown as typed, never as markup
    assert rows(db_path, "claims") == 0


def test_a_form_carried_through_a_failed_sign_in_on_a_full_disk_comes_back_on_the_error_page(db_path, disk):
    """A wrong password cannot be counted (login_limits.py writes the count after the page is made).

    That write failed after the login view had answered, past the editor's
    handler for a full disk, and gave the 500 page: the unsaved form carried
    through the sign-in was lost, and the page did not say why.
    """
    import json

    from tests.conftest import csrf_from
    from tracker.editor import create_app

    app = create_app(
        # As served: the login limits on, and an error after the view answers the user (not the test) with a page.
        {"SECRET_KEY": "k" * 32, "DATABASE": str(db_path), "RATELIMIT_ENABLED": True, "PROPAGATE_EXCEPTIONS": False}
    )
    client = app.test_client()
    typed = "Acme <b>knew</b> of the faulty thermostats in May & said nothing."
    unsaved = json.dumps({"path": "/stories/acme/claims/new", "fields": [["text", typed], ["claimant", "Jo"]]})
    token = csrf_from(client.get("/login").get_data(as_text=True))
    disk.fill(leave=0)
    response = client.post(
        "/login", data={"csrf_token": token, "username": "edith", "password": "not the password", "resume": unsaved}
    )
    page = response.get_data(as_text=True)
    disk.empty()
    assert response.status_code == 503, page[:500]
    assert "Disk full" in page
    assert html.escape(typed, quote=False) in page and "<b>knew</b>" not in page
    assert response.headers["Cache-Control"] == "no-store"


def test_publish_with_the_working_database_full_publishes_nothing_the_log_would_not_show(run, db_path, disk, tmp_path):
    """The log row is written before the swap: a working disk with no room for it stops the publish there."""
    db = connect(db_path)
    editor = users.find_user(db, "edith")
    story = stories.get_story(db, "acme")
    claim_id = claims.log_claim(db, story["id"], "Acme recalls every toaster.", "Acme", "organization", editor)
    claims.set_published(db, claim_id, True, editor, claims.get_claim(db, claim_id)["version"])
    db.close()
    public = tmp_path / "public.db"
    assert run("publish", "--out", str(public)).exit_code == 0
    db = connect(db_path)
    claim_id = claims.log_claim(db, story["id"], "Acme recalls every kettle.", "Acme", "organization", editor)
    claims.set_published(db, claim_id, True, editor, claims.get_claim(db, claim_id)["version"])
    db.close()
    before = public.read_bytes()
    disk.fill()
    result = run("publish", "--yes", "--out", str(public))
    assert_disk_full_line(result)
    assert "Nothing was published" in result.output and "left unchanged" in result.output
    assert public.read_bytes() == before
    disk.empty()
    assert rows(db_path, "publish_log") == 1 and integrity(db_path) == "ok"
    assert run("publish", "--yes", "--out", str(public)).exit_code == 0
    assert rows(db_path, "publish_log") == 2


def test_publish_elsewhere_with_the_working_database_full_names_the_working_database_s_disk(
    run, db_path, disk, tmp_path
):
    """Reading the working database needs room beside it (its -shm): with none, `publish --out` to a disk with room
    said only "disk I/O error", and the public file's disk, the one it names, had room to spare."""
    db = connect(db_path)
    editor = users.find_user(db, "edith")
    claim_id = claims.log_claim(
        db, stories.get_story(db, "acme")["id"], "Acme recalls every toaster.", "Acme", "organization", editor
    )
    claims.set_published(db, claim_id, True, editor, claims.get_claim(db, claim_id)["version"])
    db.close()
    public = tmp_path / "public.db"
    disk.fill()
    result = run("publish", "--yes", "--out", str(public))
    assert_disk_full_line(result)
    said = result.output.strip().splitlines()[-1]
    assert f"the disk holding {db_path}" in said and "working database" in said, said
    assert "disk I/O error" not in said and f"the disk holding {public}" not in said, said
    assert not public.exists() and not [p.name for p in tmp_path.iterdir() if ".tmp-" in p.name]
    disk.empty()
    assert run("publish", "--yes", "--out", str(public)).exit_code == 0


def test_a_publish_the_disk_filled_under_says_what_readers_see(tmp_path):
    """Whichever step of the swap meets the full disk, the line says what readers see, and so does the log.

    The new content is committed to public.db-wal before it is merged into
    the file; a disk that filled during that merge (the checkpoint) left
    readers on the new content while the line said the file was left unchanged.
    """
    from tests.test_publish_kill import working_db
    from tracker.publish import publish

    old, new = tmp_path / "old.db", tmp_path / "new.db"
    working_db(old, 1, "old")
    working_db(new, 300, "new")
    saved = tmp_path / "saved" / "public.db"
    saved.parent.mkdir()
    publish(connect(old, create=False), saved)
    measured = tmp_path / "measured" / "public.db"
    measured.parent.mkdir()
    publish(connect(new, create=False), measured)
    new_size, old_size = measured.stat().st_size, saved.stat().st_size
    outcomes = set()
    with small_disk(tmp_path / "disk", 3 * new_size // 1024 + 1024) as disk:
        public = disk.path / "public.db"
        for tenth in range(18, 34):
            gc.collect()
            for leftover in disk.path.glob("public.db*"):
                leftover.unlink()
            shutil.copy(saved, public)
            disk.fill(leave=tenth * new_size // 10)
            result = CliRunner().invoke(cli, ["--db", str(new), "publish", "--yes", "--out", str(public)])
            disk.empty()
            gc.collect()
            seen = rows(public, "claims")
            if result.exit_code == 0:
                assert seen == 300, result.output
                outcomes.add("published")
            else:
                assert_disk_full_line(result)
                assert "left unchanged" in result.output and seen == 1, (seen, result.output)
                outcomes.add("unchanged")
            assert integrity(public) == "ok"
        assert outcomes == {"published", "unchanged"}, (outcomes, old_size, new_size)
    logged = sqlite3.connect(new)
    try:
        published = logged.execute("SELECT count(*) FROM publish_log WHERE pending_out IS NULL").fetchone()[0]
        pending = logged.execute("SELECT count(*) FROM publish_log WHERE pending_out IS NOT NULL").fetchone()[0]
    finally:
        logged.close()
    assert pending == 0
    assert published >= 1


@pytest.mark.parametrize(
    ("form", "fields", "landing"),
    [
        (
            "/stories/acme/reporting/new",
            {"how": "interview", "at": "2026-03-02T10:00", "identity": "Jane Roe", "notes": "", "attribution": ""},
            "/reporting/1",
        ),
        (
            "/stories/acme/posts/new",
            {"url": "https://social.example/p/1", "handle": "@acme", "network": "other", "posted_at": "2026-03-02"},
            "/coverage/1",
        ),
    ],
)
def test_a_note_logged_with_a_file_the_full_disk_refused_lands_on_the_stored_note(
    client, db_path, disk, form, fields, landing
):
    """The note is stored before its file: the page must say so, not "Nothing was saved".

    Told nothing was saved, the reporter sends the form again and the note is logged twice.
    """
    import os

    from tests.conftest import AuthActions, csrf_from

    AuthActions(client).login("edith", PASSWORD)
    words = "Acme knew of the faulty thermostats in May."
    text_field = "words" if "reporting" in form else "text"
    token = csrf_from(client.get(form).get_data(as_text=True))
    disk.fill(leave=200_000)
    upload = (io.BytesIO(os.urandom(2_000_000)), "shot.png")
    response = client.post(
        form,
        data={**fields, text_field: words, "csrf_token": token, "file": upload},
        content_type="multipart/form-data",
    )
    stored = rows(db_path, "coverage")
    assert stored == 1, "the note is stored before its file"
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    assert response.headers["Location"] == landing
    page = client.get(landing).get_data(as_text=True)
    disk.empty()
    assert "shot.png was not attached" in page and "Disk full" in page, page[:3000]
    assert rows(db_path, "captures") == 0 and integrity(db_path) == "ok"


def test_the_alert_sender_on_a_full_disk_says_so_once_in_words_and_sends_once_there_is_room(
    db_path, disk, monkeypatch, caplog
):
    """It retries every quarter second, and each retry logged "database or disk is full" again: a flood in serve."""
    import logging
    import threading

    from cryptography.fernet import Fernet

    from tests.alert_receivers import WebhookReceiver
    from tests.test_alerts import STATEMENT, statement
    from tracker.alerts import destinations, sender, subscriptions

    monkeypatch.setenv("TRACKER_ALERTS_KEY", Fernet.generate_key().decode())
    monkeypatch.setenv("TRACKER_ALLOWED_HOSTS", "127.0.0.1")
    webhook = WebhookReceiver()
    db = connect(db_path)
    try:
        editor = users.find_user(db, "edith")
        subscriptions.save(db, editor, {"kinds": ["statement_new"]})
        destinations.add(db, editor, "Desk webhook", webhook.url())
        statement(db, stories.get_story(db, "acme"), STATEMENT)
        alerts = sender.Sender(db)
        stop = threading.Event()
        steps = {"full": 0}
        real_step = alerts.step

        def step(timeout: float = 0.0) -> int:
            if steps["full"] == 20:  # twenty tries on a full disk, then room again
                disk.empty()
            elif steps["full"] < 20:
                steps["full"] += 1
            if webhook.messages:
                stop.set()
            return real_step(timeout=timeout)

        alerts.step = step
        disk.fill(leave=0)
        with caplog.at_level(logging.WARNING, logger="tracker.alerts.sender"):
            alerts.run(stop, poll=0.01)
        said = [r.getMessage() for r in caplog.records if r.name == "tracker.alerts.sender"]
        assert [m.key for m in webhook.messages] == ["1"]
        assert len([line for line in said if "Disk full" in line]) == 1, said
        assert not [line for line in said if "database or disk is full" in line], said
    finally:
        disk.empty()
        db.close()
        webhook.close()


def test_the_live_demo_on_a_full_disk_says_which_disk_and_what_to_do(db_path, disk, tmp_path):
    """Its first stage cannot be recorded: one line in the words every other command uses, not SQLite's."""
    import threading

    from tracker.livedemo import runner
    from tracker.livedemo.world import load_world

    world = load_world()
    db = connect(db_path)
    runner.setup(db, world)  # while there is room: the story and its sources
    lines: list[str] = []
    stop = threading.Event()

    def echo(line: str) -> None:
        lines.append(line)
        if line.startswith("Live demo: ") and "served at" not in line:
            stop.set()

    disk.fill(leave=0)
    try:
        runner.run(db, 0, tmp_path / "public.db", stop=stop, echo=echo, world=world)
    finally:
        disk.empty()
        db.close()
    said = [line for line in lines if "served at" not in line]
    assert len(said) == 1, lines
    assert "Disk full" in said[0] and "Free some space" in said[0], said


def test_serve_starting_on_a_full_disk_leaves_an_interrupted_publish_to_the_next_one(db_path, disk, tmp_path):
    """Settling the log of a killed publish needs a write: on a full disk that waits, the sites still start."""
    from tracker.serve import _settle_publish_log

    public = tmp_path / "public.db"
    db = connect(db_path)
    db.execute(
        "INSERT INTO publish_log (at, claims, added, removed, status_changed, text_changed, pending_out) "
        "VALUES ('2026-03-02T10:00:00Z', 0, 0, 0, 0, 0, ?)",
        [str(public)],
    )
    db.conn.commit()
    db.close()
    lines: list[str] = []
    disk.fill(leave=0)
    try:
        _settle_publish_log(str(db_path), str(public), lines.append)
    finally:
        disk.empty()
    assert len(lines) == 1 and "Disk full" in lines[0], lines
    assert rows(db_path, "publish_log") == 1


def test_a_public_disk_with_no_room_left_after_the_build_names_the_public_file_s_disk(tmp_path):
    """The built file is stamped with its log row's id before the swap: that write is the public disk's too."""
    from tests.test_publish_kill import working_db
    from tracker.publish import publish

    working = tmp_path / "tracker.db"
    working_db(working, 60, "new")
    measured = tmp_path / "measured" / "public.db"
    measured.parent.mkdir()
    publish(connect(working, create=False), measured)
    size = measured.stat().st_size
    failed = []
    with small_disk(tmp_path / "disk", 2 * size // 1024 + 1024) as disk:
        public = disk.path / "public.db"
        for extra in range(0, 24 * 1024, 2048):
            gc.collect()
            for leftover in disk.path.glob("public.db*"):
                leftover.unlink()
            disk.fill(leave=size + extra)
            result = CliRunner().invoke(cli, ["--db", str(working), "publish", "--yes", "--out", str(public)])
            disk.empty()
            if result.exit_code != 0:
                failed.append(result.output)
                assert_disk_full_line(result)
                assert f"the disk holding {public}" in result.output, result.output
                assert "publish log" not in result.output, result.output
                assert not public.exists()
    assert failed
    logged = sqlite3.connect(working)
    try:
        assert logged.execute("SELECT count(*) FROM publish_log WHERE pending_out IS NOT NULL").fetchone() == (0,)
        assert logged.execute("SELECT count(*) FROM publish_log").fetchone() == (12 - len(failed),)
    finally:
        logged.close()


def test_a_keyed_create_that_met_a_full_disk_answers_truly_and_its_retry_runs(app, db_path, disk):
    """A keyed create (tracker/editor/api/idempotency.py) meeting a full disk at each point of its writes in turn.

    Its key's record is written before the operation and completed after it. The
    disk filling between them left the record without an answer: its retry was a
    409 for a day though nothing was made, or the create was made and answered 503
    ("not saved"). Whatever the room left, the answer is true: a 503 in one line
    and its retry makes the file once, or a 201 and the file is there.
    """
    import base64
    import os

    from tracker import reporting

    db = connect(db_path)
    token = users.create_token(db, "edith")
    note = reporting.log_reporting(
        db, 1, how="call", at="2026-01-02T10:00:00Z", words="No comment.", user=users.get_user(db, 1)
    )
    db.close()
    client = app.test_client()
    outcomes = set()
    for n, leave in enumerate(range(0, 280_000, 4096)):
        headers = {"Authorization": f"Bearer {token}", "Idempotency-Key": f"retry-{n}"}
        body = {"filename": f"reply-{n}.eml", "content_base64": base64.b64encode(os.urandom(120_000)).decode()}
        before = rows(db_path, "captures")
        disk.fill(leave=leave)
        first = client.post(f"/api/coverage/{note}/attachments", json=body, headers=headers)
        disk.empty()
        made = rows(db_path, "captures") - before
        outcomes.add(first.status_code)
        if first.status_code == 503:
            message = first.get_json()["message"]
            assert "Disk full" in message and "\n" not in message, message
            assert made == 0, f"room {leave}: answered 503, but the file was stored"
            again = client.post(f"/api/coverage/{note}/attachments", json=body, headers=headers)
            assert again.status_code == 201, (leave, again.get_data(as_text=True)[:300])
            assert "Idempotent-Replayed" not in again.headers
            assert rows(db_path, "captures") - before == 1
        else:
            assert first.status_code == 201 and made == 1, (leave, first.get_data(as_text=True)[:300])
    assert outcomes == {201, 503}, "the room left spans both outcomes"
    assert integrity(db_path) == "ok"


def test_a_document_uploaded_while_the_disk_is_full_is_named_on_the_error_page(client, db_path, disk):
    """No page can hand a file back: the 503 names the file the form sent, so the reporter chooses it again."""
    from tests.conftest import AuthActions, csrf_from

    AuthActions(client).login("edith", PASSWORD)
    token = csrf_from(client.get("/stories/acme/documents/new").get_data(as_text=True))
    name = "memo <b>May</b>.txt"
    disk.fill(leave=0)
    response = client.post(
        "/stories/acme/documents/new",
        data={"csrf_token": token, "url": "", "file": (io.BytesIO(b"Acme memo: we knew in May. " * 2000), name)},
        content_type="multipart/form-data",
    )
    page = response.get_data(as_text=True)
    disk.empty()
    assert response.status_code == 503, page[:500]
    assert "Disk full" in page
    assert f"Not kept either: {html.escape(name, quote=False)}. Choose it again" in page, page
    assert "<b>May</b>" not in page
    assert rows(db_path, "captures") == 0
