"""A publish killed at any point of its swap never breaks the public site.

A real `datasette` process serves public.db and a reader polls it the whole
time, while `python -m tracker publish` (a real process) is stopped at each
point where the swap reports progress and killed there with SIGKILL, and
then killed again at several sizes of the WAL it is writing. Every answer
the reader got must be the old content or the new one: never an error (the
rollback journal a killed publish used to leave made Datasette answer
"attempt to write a readonly database" until the next publish). The next
publish removes what the killed ones left.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import httpx
import pytest

from tests.servers import free_port
from tests.test_public_deploy import serve  # noqa: F401 - the `serve` fixture
from tracker import claims, migrations, stories, users
from tracker.db import connect
from tracker.public import datasette_serve_args
from tracker.publish import publish, recover
from tracker.publish_log import settle_interrupted

ROOT = Path(__file__).resolve().parent.parent
STEP_PAGES = 32  # 128 KB per copy step, so a public file of a few MB is copied in many steps
# Runs the real command line, with the swap's progress callback stopping the process (SIGSTOP) at the
# N-th report, after printing where it is. The test then kills it there.
PAUSING_PUBLISH = """
import os, signal, sys
import tracker.publish as build
build.SWAP_STEP_PAGES = {step_pages}
stop_at = int(sys.argv[1])
reports = 0
real_publish = build.publish

def publish(db, out, **options):
    def pause(phase, done, total):
        global reports
        reports += 1
        if reports == stop_at:
            print(f"paused at {{phase}} {{done}}/{{total}}", flush=True)
            os.kill(os.getpid(), signal.SIGSTOP)
    return real_publish(db, out, progress=pause, **options)

build.publish = publish
from tracker.cli import cli
cli(sys.argv[2:], prog_name="tracker")
"""
# The table's own JSON, not a query of the reader's own: free-form SQL is rate-limited per address.
COUNT_URL = "/public/claims.json?_size=1"


def working_db(path: Path, claims_count: int, tag: str) -> None:
    """A working database with `claims_count` published claims, each long enough that the public file is MBs."""
    db = connect(path)
    migrations.apply(db)
    editor = users.add_user(db, "edith", "correct-horse-battery", "editor")
    story = stories.create_story(db, "acme", "Acme", "Questions about Acme.")
    filler = " ".join(f"word{i}" for i in range(250))
    for n in range(claims_count):
        claim_id = claims.log_claim(db, story["id"], f"{tag} claim {n}: {filler}", "a source", "anonymous", editor)
        claims.set_published(db, claim_id, True, editor, claims.get_claim(db, claim_id)["version"])
    db.close()


class Reader(threading.Thread):
    """Polls the public site until stopped; keeps every answer (status, claim count or error text)."""

    def __init__(self, base: str):
        super().__init__(daemon=True)
        self.base = base
        self.answers: list[tuple[int, object]] = []
        self.stopping = threading.Event()
        self.client = httpx.Client(timeout=30)

    def read(self) -> None:
        response = self.client.get(self.base + COUNT_URL)
        body = response.json()["filtered_table_rows_count"] if response.status_code == 200 else response.text[:300]
        page = self.client.get(self.base + "/public/timeline")
        self.answers.append((response.status_code, body))
        self.answers.append((page.status_code, "timeline"))

    def run(self) -> None:
        while not self.stopping.is_set():
            self.read()

    def count(self) -> int:
        """One answer now, asserted good: the number of claims readers see."""
        response = self.client.get(self.base + COUNT_URL)
        assert response.status_code == 200, response.text[:300]
        return response.json()["filtered_table_rows_count"]


@pytest.fixture
def site(tmp_path, serve):  # noqa: F811 - the fixture imported above
    old, new = tmp_path / "old.db", tmp_path / "new.db"
    working_db(old, 200, "old")
    working_db(new, 240, "new")
    public = tmp_path / "public.db"
    publish(connect(old, create=False), public)
    port = free_port()
    base = serve([sys.executable, "-m", "datasette", *datasette_serve_args(str(public), "127.0.0.1", port)], port)
    return {"old": old, "new": new, "public": public, "base": base, "counts": (200, 240)}


def start_publish(db: Path, public: Path, stop_at: int) -> subprocess.Popen:
    code = PAUSING_PUBLISH.format(step_pages=STEP_PAGES)
    return subprocess.Popen(
        [sys.executable, "-c", code, str(stop_at), "--db", str(db), "publish", "--yes", "--out", str(public)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def next_stop(proc: subprocess.Popen) -> str:
    """The line saying where the publish stopped, or its last line if it ran to the end.

    The command lists the changes readers would see before it publishes, so
    the lines before the pause (or the final "Published ...") are skipped.
    """
    last = ""
    for line in proc.stdout:
        if line.startswith("paused"):
            return line
        last = line
    return last


def kill(proc: subprocess.Popen) -> None:
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert proc.returncode == -signal.SIGKILL


def run_publish(db: Path, public: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "tracker", "--db", str(db), "publish", "--yes", "--out", str(public)],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr


def test_a_publish_killed_anywhere_in_its_swap_never_shows_readers_an_error(site):
    public, base = site["public"], site["base"]
    old_count, new_count = site["counts"]
    reader = Reader(base)
    reader.start()
    killed_at: list[str] = []
    started: list[subprocess.Popen] = []
    try:
        # Stop a publish of the new content at each progress report in turn (build done, each copy
        # step, before and after the checkpoint), read while it is stopped there, then kill it.
        stop_at = 1
        while True:
            if reader.count() != old_count:  # the last kill came after the commit: start from the old again
                run_publish(site["old"], public)
            proc = start_publish(site["new"], public, stop_at)
            started.append(proc)
            line = next_stop(proc)
            if not line.startswith("paused"):  # fewer reports than stop_at: it ran to the end
                proc.wait()
                assert proc.returncode == 0, proc.stderr.read()
                assert line.startswith("Published"), line
                break
            _, status = os.waitpid(proc.pid, os.WUNTRACED)
            assert os.WIFSTOPPED(status), line
            killed_at.append(line.strip())
            _, _, phase, progress = line.split()
            done, total = map(int, progress.split("/"))
            committed = phase == "checkpoint" or (phase == "copy" and done == total)
            assert reader.count() == (new_count if committed else old_count), line
            kill(proc)
            assert reader.count() in (old_count, new_count)
            stop_at += 1
        assert len(killed_at) >= 10, killed_at  # several copy steps, not just the ends
        assert any("copy" in point for point in killed_at) and any("checkpoint" in point for point in killed_at)

        # And killed mid-step, as soon as its WAL has grown to a share of the new file, without stopping it.
        wal = Path(f"{public}-wal")
        new_bytes = public.stat().st_size
        # The watcher races the publish: on a busy machine a publish can pass a share between two looks and
        # finish, so each share gets a few tries (a publish that finishes is a publish, and is checked too).
        for share in (0.05, 0.3, 0.6, 0.9):
            for _attempt in range(5):
                run_publish(site["old"], public)  # the old content, merged: the WAL starts empty
                assert not wal.exists() or wal.stat().st_size == 0
                proc = start_publish(site["new"], public, 0)
                started.append(proc)
                killed = False
                while proc.poll() is None:
                    if wal.exists() and wal.stat().st_size >= share * new_bytes:
                        kill(proc)
                        killed_at.append(f"WAL at {share:.0%} of the file")
                        killed = True
                        break
                assert reader.count() in (old_count, new_count)
                if killed:
                    break
        assert sum("WAL" in point for point in killed_at) >= 3, killed_at
    finally:
        for proc in started:  # a failed assertion leaves none stopped behind
            if proc.poll() is None:
                proc.kill()
                proc.wait()
        reader.stopping.set()
        reader.join()

    bad = [answer for answer in reader.answers if answer[0] != 200]
    assert not bad, f"{len(bad)} of {len(reader.answers)} reader answers failed, e.g. {bad[:3]}"
    counts = {body for _, body in reader.answers if body != "timeline"}
    assert counts <= {old_count, new_count}, counts
    assert len(reader.answers) > 20

    leftovers = sorted(p.name for p in public.parent.iterdir() if ".tmp-" in p.name)
    assert leftovers, "a killed publish leaves its temporary file behind"
    assert not Path(f"{public}-journal").exists()
    run_publish(site["new"], public)
    assert not [p.name for p in public.parent.iterdir() if ".tmp-" in p.name], "the next publish removes them"
    assert reader.count() == new_count


def test_serving_recovers_a_hot_journal_an_older_publish_left(tmp_path):
    """A rollback journal a killed publish of an older version left is rolled back before serving."""
    working = tmp_path / "tracker.db"
    working_db(working, 30, "old")
    public = tmp_path / "public.db"
    publish(connect(working, create=False), public)
    conn = sqlite3.connect(public)
    conn.execute("PRAGMA journal_mode = DELETE")  # as an older version kept it
    conn.close()
    # What its killed swap left: pages of the file overwritten, the hot journal beside it.
    code = (
        "import sqlite3, os, signal, sys\n"
        "c = sqlite3.connect(sys.argv[1], isolation_level=None)\n"
        "c.execute('PRAGMA cache_size = 1')\n"
        "c.execute('BEGIN IMMEDIATE')\n"
        "c.execute('DELETE FROM claims')\n"
        "os.kill(os.getpid(), signal.SIGKILL)\n"
    )
    subprocess.run([sys.executable, "-c", code, str(public)])
    assert Path(f"{public}-journal").exists()
    reader = sqlite3.connect(f"file:{public}?mode=ro", uri=True)
    with pytest.raises(sqlite3.OperationalError, match="readonly"):
        reader.execute("SELECT count(*) FROM claims").fetchone()
    reader.close()

    assert recover(public) is True
    reader = sqlite3.connect(f"file:{public}?mode=ro", uri=True)
    assert reader.execute("SELECT count(*) FROM claims").fetchone() == (30,)
    reader.close()
    assert recover(public) is False


# Runs the real command line and kills it (SIGKILL) at one point of its publish: "after" the swap has
# returned, before the publish log is written, or at a progress report of the swap: the N-th, or the one
# named "PHASE DONE/TOTAL" ("checkpoint 1/1": the new file's pages merged, the publish not yet returned).
KILLED_PUBLISH = """
import os, signal, sys
import tracker.publish as build
build.SWAP_STEP_PAGES = 4
where = sys.argv[1]
reports = 0
real_publish = build.publish

def publish(db, out, **options):
    def progress(phase, done, total):
        global reports
        reports += 1
        if where in (str(reports), f"{phase} {done}/{total}"):
            os.kill(os.getpid(), signal.SIGKILL)
    summary = real_publish(db, out, progress=progress, **options)
    if where == "after":
        os.kill(os.getpid(), signal.SIGKILL)
    return summary

build.publish = publish
from tracker.cli import cli
cli(sys.argv[2:], prog_name="tracker")
"""


def publish_killed(db: Path, public: Path, where: str) -> None:
    proc = subprocess.run(
        [sys.executable, "-c", KILLED_PUBLISH, where, "--db", str(db), "publish", "--yes", "--out", str(public)],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert proc.returncode == -signal.SIGKILL, proc.stderr


def public_claims(public: Path) -> int:
    conn = sqlite3.connect(public)
    try:
        return conn.execute("SELECT count(*) FROM claims").fetchone()[0]
    finally:
        conn.close()


def log_rows(db_path: Path) -> list[tuple]:
    db = connect(db_path, create=False)
    try:
        return db.execute("SELECT claims, added FROM publish_log ORDER BY id").fetchall()
    finally:
        db.close()


def publish_events(db_path: Path) -> list[str]:
    db = connect(db_path, create=False)
    try:
        return [r[0] for r in db.execute("SELECT subject FROM alert_events WHERE kind = 'publish' ORDER BY id")]
    finally:
        db.close()


def publish_one_more_claim(db_path: Path, text: str) -> None:
    db = connect(db_path, create=False)
    editor = users.find_user(db, "edith")
    claim_id = claims.log_claim(db, 1, text, "a source", "anonymous", editor)
    claims.set_published(db, claim_id, True, editor, claims.get_claim(db, claim_id)["version"])
    db.close()


def test_a_publish_killed_after_its_swap_is_in_the_log_once_the_next_publish_runs(tmp_path):
    """Readers saw the publish, so the log shows it (and its alert goes out), whenever the process died."""
    working, public = tmp_path / "tracker.db", tmp_path / "public.db"
    working_db(working, 3, "old")
    run_publish(working, public)
    assert log_rows(working) == [(3, 3)]

    publish_one_more_claim(working, "A fourth claim")
    publish_killed(working, public, "after")
    assert public_claims(public) == 4  # readers see it

    # Started again, `serve` settles it first (so the editor's Publish page lists it) ...
    db = connect(working, create=False)
    assert settle_interrupted(db, public) == 1
    assert settle_interrupted(db, public) == 0
    db.close()
    assert log_rows(working) == [(3, 3), (4, 1)]
    # ... and a publish of the file would have.
    publish_one_more_claim(working, "A fifth claim")
    publish_killed(working, public, "after")
    run_publish(working, public)  # nothing new for readers after it
    assert log_rows(working) == [(3, 3), (4, 1), (5, 1), (5, 0)]
    assert publish_events(working) == [
        "Published Acme: 3 claims went public",
        "Published Acme: 1 claim went public",
        "Published Acme: 1 claim went public",
        "Published: nothing changed for readers",
    ]


def test_a_ruling_readers_see_through_a_publish_killed_after_its_swap_is_corrected_as_such(tmp_path):
    """Killed after its swap (a worker past gunicorn's timeout in the long merge after it, a deploy), the publish
    left its log row pending until the next publish or `serve` start. Readers saw its ruling meanwhile, but a
    new ruling of that claim was not recorded as a correction and asked for no public rationale: readers saw
    the verdict change with no correction note."""
    working, public = tmp_path / "tracker.db", tmp_path / "public.db"
    working_db(working, 3, "old")
    run_publish(working, public)
    db = connect(working, create=False)
    edith = users.find_user(db, "edith")
    claim_id, version = db.execute("SELECT id, version FROM claims ORDER BY id LIMIT 1").fetchone()
    claims.set_status(db, claim_id, "confirmed", edith, "two documents", version, "Two documents show it.")
    db.close()

    publish_killed(working, public, "after")
    assert pending_rows(working) == 1  # nothing has settled it: no publish since, no `serve` started
    assert public_ruling(public, claim_id) == "confirmed"  # readers see the ruling

    db = connect(working, create=False)
    assert claims.readers_shown_a_ruling(db, claim_id)
    version = claims.get_claim(db, claim_id)["version"]
    claims.set_status(db, claim_id, "denied", edith, "the documents were forged", version, "They were forged.")
    assert [h["is_correction"] for h in claims.history(db, claim_id)] == [False, True]
    db.close()


def test_the_publish_page_lists_a_publish_killed_after_its_swap_and_its_alert_goes_out(tmp_path):
    """The editor pressed Publish now and the worker died after the swap (gunicorn's timeout in the merge that
    follows, a deploy): readers saw the claims, but the Publish page listed no such publish, found nothing to
    change, and its alert waited for the next publish or a restart of `serve`."""
    from tests.conftest import AuthActions
    from tracker.editor import create_app

    working, public = tmp_path / "tracker.db", tmp_path / "public.db"
    working_db(working, 3, "old")
    run_publish(working, public)
    publish_one_more_claim(working, "A fourth claim")
    publish_killed(working, public, "after")
    assert public_claims(public) == 4 and pending_rows(working) == 1

    app = create_app({"TESTING": True, "SECRET_KEY": "test-secret", "DATABASE": str(working), "PUBLIC_DB": str(public)})
    client = app.test_client()
    AuthActions(client).login("edith")
    page = client.get("/publish").get_data(as_text=True)
    assert page.count('data-label="Public claims">4<') == 1, page
    assert pending_rows(working) == 0
    assert publish_events(working)[-1] == "Published Acme: 1 claim went public"


def public_ruling(public: Path, claim_id: int) -> str:
    conn = sqlite3.connect(public)
    try:
        return conn.execute("SELECT status FROM claims WHERE id = ?", [claim_id]).fetchone()[0]
    finally:
        conn.close()


def test_a_publish_killed_before_its_swap_committed_is_never_in_the_log(tmp_path):
    working, public = tmp_path / "tracker.db", tmp_path / "public.db"
    working_db(working, 40, "old")
    run_publish(working, public)

    publish_one_more_claim(working, "A claim readers never saw")
    db = connect(working, create=False)
    unseen = db.execute("SELECT id, version FROM claims WHERE text = 'A claim readers never saw'").fetchone()
    claims.set_status(db, unseen[0], "unclear", users.find_user(db, "edith"), "why", unseen[1], "Checking.")
    db.close()
    publish_killed(working, public, "3")  # the third report: build done, one copy step, then killed mid-copy
    assert public_claims(public) == 40
    db = connect(working, create=False)
    assert not claims.readers_shown_a_ruling(db, unseen[0])  # its publish is pending, never reached readers
    db.close()

    publish_one_more_claim(working, "A claim readers see")
    run_publish(working, public)
    assert public_claims(public) == 42
    assert log_rows(working) == [(40, 40), (42, 2)]
    assert publish_events(working) == ["Published Acme: 40 claims went public", "Published Acme: 2 claims went public"]
    # The ruling is recorded as shown by the publish that did show it, the killed one's record gone with its row.
    db = connect(working, create=False)
    assert db.execute("SELECT l.claims FROM public_rulings p JOIN publish_log l ON l.id = p.publish_id").fetchall() == [
        (42,)
    ]
    assert claims.readers_shown_a_ruling(db, unseen[0])
    db.close()


def pending_rows(db_path: Path) -> int:
    db = connect(db_path, create=False)
    try:
        return db.execute("SELECT count(*) FROM publish_log WHERE pending_out IS NOT NULL").fetchone()[0]
    finally:
        db.close()


def test_publishes_through_a_symlink_and_the_real_path_take_turns(tmp_path):
    """The lock was named after the path as given: one publish through a link and one through the file ran at once."""

    from tests.test_migrations import _start_until_it_waits_for_a_lock

    working, public = tmp_path / "tracker.db", tmp_path / "data" / "public.db"
    public.parent.mkdir()
    working_db(working, 3, "old")
    run_publish(working, public)
    link = tmp_path / "site" / "current.db"
    link.parent.mkdir()
    link.symlink_to(public)
    publish_one_more_claim(working, "A fourth claim")

    first = start_publish(working, link, stop_at=1)  # stopped once built: holding the file's publish lock
    second = None
    try:
        assert next_stop(first).startswith("paused at build")
        second = _start_until_it_waits_for_a_lock(
            ["--db", str(working), "publish", "--yes", "--out", str(public)], ROOT
        )
        assert second.poll() is None, "the publish through the real path ran while the other held the lock"
        os.kill(first.pid, signal.SIGCONT)
        first.stdout.read()
        assert first.wait(timeout=60) == 0, first.stderr.read()
        out, err = second.communicate(timeout=60)
        assert second.returncode == 0, err
    finally:
        for process in (first, second):
            if process is not None and process.poll() is None:
                process.kill()
                process.wait()
        for stream in (first.stdout, first.stderr):
            stream.close()
    assert link.is_symlink() and public_claims(public) == 4
    assert log_rows(working) == [(3, 3), (4, 1), (4, 0)]


@pytest.mark.parametrize("linked", ["file", "folder"])
def test_a_publish_killed_through_a_symlink_is_settled_by_one_through_the_real_path(tmp_path, linked):
    """The log row a killed publish left was keyed on the path as given: a publish of the same file by its real
    path (or `serve` given it) never settled it, so a publish readers saw stayed out of the log and its alert."""
    working, public = tmp_path / "tracker.db", tmp_path / "data" / "public.db"
    public.parent.mkdir()
    working_db(working, 3, "old")
    run_publish(working, public)
    if linked == "file":
        link = tmp_path / "current.db"
        link.symlink_to(public)
    else:
        (tmp_path / "site").symlink_to(public.parent, target_is_directory=True)
        link = tmp_path / "site" / "public.db"

    publish_one_more_claim(working, "A fourth claim")
    publish_killed(working, link, "after")
    assert public_claims(public) == 4 and pending_rows(working) == 1
    db = connect(working, create=False)
    assert settle_interrupted(db, public) == 1  # what `serve --public-db` with the real path does first
    db.close()
    assert pending_rows(working) == 0

    publish_one_more_claim(working, "A fifth claim")
    publish_killed(working, public, "after")
    run_publish(working, link)
    assert pending_rows(working) == 0
    assert publish_events(working) == [
        "Published Acme: 3 claims went public",
        "Published Acme: 1 claim went public",
        "Published Acme: 1 claim went public",
        "Published: nothing changed for readers",
    ]


def test_a_row_left_pending_under_a_link_s_name_before_keys_were_real_paths_is_still_settled(tmp_path):
    """Rows written by an earlier version name the file as the publish was given it, a link's path included."""
    working, public = tmp_path / "tracker.db", tmp_path / "data" / "public.db"
    public.parent.mkdir()
    working_db(working, 3, "old")
    run_publish(working, public)
    (tmp_path / "site").symlink_to(public.parent, target_is_directory=True)
    db = connect(working, create=False)
    log_id = db.execute(
        """INSERT INTO publish_log (at, claims, added, removed, status_changed, text_changed, changes, pending_out)
           VALUES ('2026-01-01T00:00:00Z', 3, 0, 0, 0, 0, '[]', ?)""",
        [str(tmp_path / "site" / "public.db")],
    ).lastrowid
    db.conn.commit()
    conn = sqlite3.connect(public)
    conn.execute(f"PRAGMA user_version = {log_id}")  # as that publish's swap left it
    conn.close()
    assert settle_interrupted(db, public) == 1
    db.close()
    assert pending_rows(working) == 0
    assert publish_events(working)[-1] == "Published: nothing changed for readers"


def public_rows(public: Path, sql: str) -> list[tuple]:
    conn = sqlite3.connect(public)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


# Killed with the new pages committed to the -wal and not merged yet, or merged.
@pytest.mark.parametrize("where", ["checkpoint 0/1", "checkpoint 1/1"])
def test_a_claim_readers_saw_through_a_publish_killed_after_its_swap_is_withdrawn_as_such(tmp_path, where):
    """Killed once its file was swapped in and before it could note that readers had the ids it gave, a publish left
    them unseen: a claim readers were shown then, withdrawn before the next publish, was not listed as withdrawn, and
    its address answered 404 (nothing was ever there) instead of 410. An id is seen once a file showing it is in
    place, whatever the process that put it there did afterwards."""
    working, public = tmp_path / "tracker.db", tmp_path / "public.db"
    working_db(working, 3, "old")
    run_publish(working, public)
    publish_one_more_claim(working, "A fourth claim")
    publish_killed(working, public, where)
    [(shown,)] = public_rows(public, "SELECT id FROM claims WHERE text = 'A fourth claim'")  # readers see it

    db = connect(working, create=False)
    claim_id, version = db.execute("SELECT id, version FROM claims WHERE text = 'A fourth claim'").fetchone()
    claims.set_published(db, claim_id, False, users.find_user(db, "edith"), version)
    db.close()
    run_publish(working, public)
    assert public_rows(public, "SELECT id FROM withdrawn_claims") == [(shown,)]
    assert len(public_rows(public, "SELECT id FROM withdrawn_events")) == 1  # its first report on the timeline
    db = connect(working, create=False)
    assert db.execute("SELECT count(*) FROM public_ids_unseen").fetchone() == (0,)
    db.close()


@pytest.mark.parametrize("other_before", [False, True])
def test_a_claim_readers_saw_through_a_killed_publish_is_withdrawn_as_such_by_a_publish_to_another_file(
    tmp_path, other_before
):
    """The ids a publish killed after its swap gave were found only by the next publish of the same file: one to
    another --out (a snapshot for a replica, a second site) left them unseen, so a claim readers of the first file
    were shown, withdrawn since, was missing from the other file's withdrawn lists (404, not 410). The killed
    publish's log row names its file: the next publish of any file settles it and reads that file's ids first."""
    working, public, other = tmp_path / "tracker.db", tmp_path / "public.db", tmp_path / "replica" / "public.db"
    other.parent.mkdir()
    working_db(working, 3, "old")
    run_publish(working, public)
    if other_before:  # the other file has readers too: its publish is reviewed against what they have
        run_publish(working, other)
    publish_one_more_claim(working, "A fourth claim")
    publish_killed(working, public, "checkpoint 1/1")
    [(shown,)] = public_rows(public, "SELECT id FROM claims WHERE text = 'A fourth claim'")  # readers see it

    db = connect(working, create=False)
    claim_id, version = db.execute("SELECT id, version FROM claims WHERE text = 'A fourth claim'").fetchone()
    claims.set_published(db, claim_id, False, users.find_user(db, "edith"), version)
    db.close()
    run_publish(working, other)
    assert public_rows(other, "SELECT id FROM withdrawn_claims") == [(shown,)]
    assert pending_rows(working) == 0  # and the killed publish is in the log, as readers of its file saw it
    assert "Published Acme: 1 claim went public" in publish_events(working)
