"""A file size limit (`ulimit -f`, a quota on file size): SQLite meets EFBIG, a write error like a full disk's.

Each command runs in its own process with RLIMIT_FSIZE set below what the
run needs and SIGXFSZ ignored, so the kernel answers the write that crosses
the limit with EFBIG, as it does for a shell whose `ulimit -f` is set. SQLite
reports that as a "disk I/O error". The command must stop with one line
naming the limit and what to do, after a summary that counts only what is in
the database, and the next run (without the limit) picks up the rest.
"""

from __future__ import annotations

import html
import os
import re
import resource
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import PASSWORD, csrf_from
from tests.e2e.conftest import free_port, wait_for
from tests.sites import RECALL, article, rss
from tracker import sources, stories, users
from tracker.db import connect
from tracker.serve import editor_command

ROOT = Path(__file__).resolve().parent.parent
COUNTS_LINE = re.compile(r"^new: (\d+), updated: \d+, unchanged: \d+, skipped: \d+, failed: (\d+), candidates: (\d+)$")

pytestmark = pytest.mark.skipif(not hasattr(resource, "RLIMIT_FSIZE"), reason="no file size limits here")


@pytest.fixture
def story(db_path):
    db = connect(db_path)
    created = stories.create_story(db, "acme", "Acme recalls toasters", keywords_include="Acme")
    db.close()
    return created


def limited_to(limit: int):
    """A preexec_fn limiting the child's files to `limit` bytes, a write past it failing (EFBIG) instead of killing."""

    def limited() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # inherited by the processes it starts (gunicorn's workers)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, resource.getrlimit(resource.RLIMIT_FSIZE)[1]))

    return limited


def tracker(db_path: Path, *args: str, limit: int | None = None) -> subprocess.CompletedProcess:
    """`python -m tracker ARGS` in its own process, its files limited to `limit` bytes (None: no limit)."""
    env = {**os.environ, "TRACKER_DB": str(db_path), "TRACKER_ALLOW_PRIVATE": "1", "TRACKER_MIN_INTERVAL": "0"}
    return subprocess.run(
        [sys.executable, "-m", "tracker", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        preexec_fn=limited_to(limit) if limit is not None else None,
    )


def count(db_path: Path, sql: str) -> int:
    conn = sqlite3.connect(db_path)
    try:
        return conn.execute(sql).fetchone()[0]
    finally:
        conn.close()


def consistent(db_path: Path) -> bool:
    conn = sqlite3.connect(db_path)
    try:
        return (
            conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
            and not conn.execute("PRAGMA foreign_key_check").fetchall()
        )
    finally:
        conn.close()


def pages(count: int, tag: str, parts: int = 10) -> list[list[str]]:
    """Paragraphs of some parts KB per page, each page's own: a dozen pages take more room than the limits leave."""
    return [
        [f"{tag} {n}, part {k}: {p} Detail {n * 7919 + k}." for k in range(parts) for p in RECALL] for n in range(count)
    ]


def page_files(folder: Path, count: int) -> list[str]:
    """Saved article pages to ingest, each a few KB of its own text (pages())."""
    files = []
    for n, paragraphs in enumerate(pages(count, "Page")):
        path = folder / f"page-{n}.html"
        path.write_text(article(f"Acme recall page {n}", paragraphs))
        files.append(str(path))
    return files


def assert_limit_line(result: subprocess.CompletedProcess, db_path: Path) -> None:
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("Error: File size limit:") and str(db_path) in last and "ulimit -f" in last, last


def test_scrape_meeting_the_file_size_limit_says_so_after_counts_of_what_was_stored(db_path, story, site):
    entries = []
    for n, paragraphs in enumerate(pages(12, "Report", parts=60)):  # several times what the limit leaves
        link = site.put(f"/news/{n}.html", article(f"Acme recall report {n}", paragraphs))
        entries.append({"link": link, "title": f"Acme recall report {n}"})
    db = connect(db_path)
    sources.add_source(db, story["id"], site.put("/feed.xml", rss("Gazette", entries)), "feed")
    db.close()

    result = tracker(db_path, "scrape", "acme", limit=os.path.getsize(db_path) + 100_000)
    assert_limit_line(result, db_path)
    (counts,) = [m for m in map(COUNTS_LINE.match, result.stdout.splitlines()) if m]
    assert int(counts.group(1)) == count(db_path, "SELECT count(*) FROM coverage")
    assert int(counts.group(3)) == count(db_path, "SELECT count(*) FROM candidates")
    assert count(db_path, "SELECT count(*) FROM revisions") < 12, "the limit was met before every page was stored"
    assert consistent(db_path)

    again = tracker(db_path, "scrape", "acme")
    assert again.returncode == 0, again.stdout + again.stderr
    assert count(db_path, "SELECT count(*) FROM revisions") == 12
    assert count(db_path, "SELECT count(*) FROM revisions WHERE extracted_at IS NULL") == 0


def test_ingest_meeting_the_file_size_limit_stops_at_the_first_target_it_cannot_store(db_path, story, tmp_path):
    files = page_files(tmp_path, 12)

    result = tracker(db_path, "ingest", "acme", *files, limit=os.path.getsize(db_path) + 200_000)
    assert_limit_line(result, db_path)
    stored = count(db_path, "SELECT count(*) FROM coverage")
    assert 0 < stored < 12
    assert len([line for line in result.stdout.splitlines() if ": page, new item " in line]) == stored
    # It stopped there: no target after the one the limit refused was tried, one by one, to fail the same way.
    assert len([line for line in result.stdout.splitlines() if line.startswith("failed:")]) == 1, result.stdout
    (counts,) = [m for m in map(COUNTS_LINE.match, result.stdout.splitlines()) if m]
    assert int(counts.group(1)) == stored
    assert consistent(db_path)

    # The same files again, with room: the rest is stored, and the texts the stopped run stored are read for
    # claims too (they were left waiting for a scrape or `candidates --extract`, the run's counts short of them).
    again = tracker(db_path, "ingest", "acme", *files)
    assert again.returncode == 0, again.stdout + again.stderr
    assert count(db_path, "SELECT count(*) FROM revisions") == 12
    assert count(db_path, "SELECT count(*) FROM revisions WHERE extracted_at IS NULL") == 0
    (counts,) = [m for m in map(COUNTS_LINE.match, again.stdout.splitlines()) if m]
    assert int(counts.group(3)) == count(db_path, "SELECT count(*) FROM candidates")


def test_extraction_meeting_the_file_size_limit_says_how_many_candidates_it_kept(db_path, story, tmp_path):
    files = page_files(tmp_path, 12)
    assert tracker(db_path, "ingest", "acme", *files).returncode == 0
    conn = sqlite3.connect(db_path)
    with conn:
        conn.execute("DELETE FROM candidates")
        conn.execute("UPDATE revisions SET extracted_at = NULL")
    conn.execute("VACUUM")
    conn.close()

    result = tracker(db_path, "candidates", "acme", "--extract", limit=os.path.getsize(db_path) + 100_000)
    assert_limit_line(result, db_path)
    (added,) = [line for line in result.stdout.splitlines() if line.startswith("acme: ")]
    assert added.startswith(f"acme: {count(db_path, 'SELECT count(*) FROM candidates')} candidate(s) added"), added
    assert count(db_path, "SELECT count(*) FROM revisions WHERE extracted_at IS NULL") > 0
    assert consistent(db_path)


def test_a_backup_larger_than_the_file_size_limit_names_the_limit_and_leaves_nothing(db_path, story, tmp_path):
    files = page_files(tmp_path, 6)
    assert tracker(db_path, "ingest", "acme", *files).returncode == 0
    folder = tmp_path / "backups"
    folder.mkdir()

    result = tracker(db_path, "backup", str(folder / "copy.db"), limit=os.path.getsize(db_path) // 2)
    assert result.returncode == 1, result.stdout + result.stderr
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("Error: File size limit:") and str(folder / "copy.db") in last, last
    assert [p.name for p in folder.iterdir()] == []


def test_a_limit_below_what_opening_the_database_writes_is_not_called_a_read_only_database(db_path, story):
    """Opening a WAL database writes its -shm (32 KB): below that, SQLite answered "read-only", and the command
    sent the admin to copy a database that is perfectly writable."""
    result = tracker(db_path, "stories", "add", "second", "--title", "Second story", limit=10_000)
    assert_limit_line(result, db_path)
    assert count(db_path, "SELECT count(*) FROM stories") == 1


def test_a_publish_meeting_the_file_size_limit_names_it_and_leaves_nothing(db_path, story, tmp_path):
    """The public file is built under a temporary name beside it, so the limit is met by a file the error
    did not name: the first publish under a `ulimit -f` said only "disk I/O error", nothing of the limit or
    what to do."""
    files = page_files(tmp_path, 6)
    assert tracker(db_path, "ingest", "acme", *files).returncode == 0
    measured = tmp_path / "measured" / "public.db"
    measured.parent.mkdir()
    assert tracker(db_path, "publish", "--yes", "--out", str(measured)).returncode == 0
    limit = max(os.path.getsize(measured) // 2, 64 * 1024)
    assert limit < os.path.getsize(measured) < os.path.getsize(db_path)  # the working database is read, not grown
    public = tmp_path / "public" / "public.db"
    public.parent.mkdir()

    result = tracker(db_path, "publish", "--yes", "--out", str(public), limit=limit)
    assert result.returncode == 1, result.stdout + result.stderr
    last = result.stderr.strip().splitlines()[-1]
    assert "File size limit:" in last and "ulimit -f" in last, last
    assert [p.name for p in public.parent.iterdir() if not p.name.endswith("-publish-lock")] == []


def test_a_file_written_past_the_limit_outside_sqlite_is_not_called_a_full_disk(tmp_path):
    """A plain file write past `ulimit -f` fails with EFBIG, one of the full-disk errnos: the message sent the
    admin to free space on a disk that has room."""
    script = (
        "import resource, signal, sys\n"
        "from tracker.db import storage_error\n"
        "signal.signal(signal.SIGXFSZ, signal.SIG_IGN)\n"
        "resource.setrlimit(resource.RLIMIT_FSIZE, (65536, resource.getrlimit(resource.RLIMIT_FSIZE)[1]))\n"
        "try:\n"
        "    with open(sys.argv[1], 'wb') as f:\n"
        "        f.write(b'x' * 200_000)\n"
        "except OSError as e:\n"
        "    print(storage_error(e, sys.argv[1]))\n"
    )
    target = tmp_path / "copy.bin"
    result = subprocess.run(
        [sys.executable, "-c", script, str(target)], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert result.stdout.startswith("File size limit:") and "ulimit -f" in result.stdout, result.stdout + result.stderr


def test_a_claim_saved_in_the_editor_past_the_file_size_limit_is_kept_on_a_page_that_names_the_limit(db_path, story):
    """The editor under gunicorn, as `serve` runs it, its files limited: the reporter's claim comes back on the
    503 page to copy, nothing of it is stored, and the page says the database may not grow, not that the disk
    is full (the disk has room: freeing space, as the page said, changes nothing)."""
    import httpx

    db = connect(db_path)
    users.add_user(db, "edith", PASSWORD, "editor")
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    port = free_port()
    env = {**os.environ, "TRACKER_DB": str(db_path), "TRACKER_SECRET_KEY": "limit-test-secret-" + "0" * 32}
    editor = subprocess.Popen(
        editor_command(f"127.0.0.1:{port}", workers=1),
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        preexec_fn=limited_to(50_000),  # room to sign in, not for a claim with 17 KB of notes
    )
    base = f"http://127.0.0.1:{port}"
    typed = {
        "text": "Acme <b>knew</b> of the faulty thermostats in May & said nothing.",
        "claimant": "A former Acme engineer",
        "claimant_type": "anonymous",
        "internal_notes": " ".join(f"Call {n}: she repeated the dates." for n in range(500)),
    }
    try:
        wait_for(base + "/login", editor)
        with httpx.Client(base_url=base, timeout=60) as client:
            signed_in = client.post(
                "/login",
                data={"username": "edith", "password": PASSWORD, "csrf_token": csrf_from(client.get("/login").text)},
            )
            assert signed_in.status_code == 302, signed_in.text[:500]
            form = client.get("/stories/acme/claims/new").text
            response = client.post("/stories/acme/claims/new", data={**typed, "csrf_token": csrf_from(form)})
    finally:
        editor.terminate()
        editor.wait(timeout=60)
    page = response.text
    assert response.status_code == 503, page[:500]
    lede = page.split('class="lede">')[1].split("</p>")[0]
    assert "full" not in lede and "largest" in lede and "whoever runs the tracker" in lede, lede
    assert "File size limit:" in page and "ulimit -f unlimited" in page
    shown = {**typed, "claimant_type": "Anonymous source"}  # a choice, in the words the form offered it in
    for value in shown.values():
        assert html.escape(value, quote=False) in page, value[:80]
    assert count(db_path, "SELECT count(*) FROM claims") == 0
    assert consistent(db_path)


# The start of a script run in its own process (sys.argv[1]: the working database) whose publishes lower the file
# size limit once the swap has returned: the public file has been replaced, and the publish log's write that
# follows meets the limit.
LIMIT_AFTER_SWAP = """
import json, os, re, resource, signal, sys
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
import tracker.publish as build
real_publish = build.publish

def publish(db, out, **options):
    summary = real_publish(db, out, **options)
    wal = os.path.getsize(sys.argv[1] + "-wal")  # it holds the pending row: the log may not grow past it
    resource.setrlimit(resource.RLIMIT_FSIZE, (wal, resource.getrlimit(resource.RLIMIT_FSIZE)[1]))
    return summary

build.publish = publish
"""

# The editor's "Publish now", its log's write meeting the limit after the swap.
LIMITED_AFTER_SWAP = (
    LIMIT_AFTER_SWAP
    + """from tests.conftest import AuthActions, publish_form
from tracker.editor import create_app

app = create_app({"TESTING": True, "SECRET_KEY": "test", "DATABASE": sys.argv[1], "PUBLIC_DB": sys.argv[2]})
client = app.test_client()
AuthActions(client).login("edith")
posted = client.post("/publish", data=publish_form(client))
hard = resource.getrlimit(resource.RLIMIT_FSIZE)[1]
resource.setrlimit(resource.RLIMIT_FSIZE, (hard, hard))  # room again
response = client.get(posted.headers.get("Location", "/publish"))
flashes = re.findall(r'<p class="flash flash--(\\w+)">(.*?)</p>', response.get_data(as_text=True), re.S)
print(json.dumps({"status": posted.status_code, "flashes": flashes}))
"""
)


def test_a_publish_whose_log_meets_the_file_size_limit_after_the_swap_says_readers_see_it(db_path, story, tmp_path):
    """The public file was replaced, then writing the publish log failed: the editor was told "Nothing was
    saved" on a full-disk page, though readers already saw every change, and would publish again."""
    import json

    db = connect(db_path)
    users.add_user(db, "edith", PASSWORD, "editor")
    db.close()
    public = tmp_path / "public.db"
    assert tracker(db_path, "publish", "--yes", "--out", str(public)).returncode == 0
    assert tracker(db_path, "stories", "add", "second", "--title", "A second story").returncode == 0

    result = subprocess.run(
        [sys.executable, "-c", LIMITED_AFTER_SWAP, str(db_path), str(public)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    shown = json.loads(result.stdout.strip().splitlines()[-1])
    said = " ".join(html.unescape(text) for _, text in shown["flashes"])
    assert "Nothing was saved" not in said and "Nothing was published" not in said, said
    assert "Published" in said and "File size limit:" in said and "publish log" in said, said
    assert shown["status"] == 302, shown
    # Once there is room, the Publish page settles the row: the log lists the publish readers saw.
    assert count(db_path, "SELECT count(*) FROM publish_log WHERE pending_out IS NULL") == 2
    conn = sqlite3.connect(public)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 2  # readers see the second publish's file
    conn.close()
