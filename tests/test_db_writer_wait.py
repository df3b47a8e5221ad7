"""The writers' queue waits as long as SQLite's busy timeout, then says who holds the database.

A tracker process stopped inside a write (Ctrl-Z on a scrape, a debugger) held the lock file's flock()
for as long as it stayed stopped, and every other writer waited behind it forever: the editor's saves
hung, and so did every command that writes. The holder here is a real process, stopped with SIGSTOP
while it is inside a write, and always resumed (then ended) when the test is over.
"""

from __future__ import annotations

import contextlib
import fcntl
import html
import logging
import os
import signal
import sqlite3
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

import tracker.db
from tests.conftest import AuthActions, csrf_from
from tracker.cli import cli
from tracker.db import WriterWaitTimeout, busy_error, connect, transaction, writer_lock

REPO = Path(__file__).resolve().parent.parent

HOLD_A_WRITE = """
import sys
from tracker.db import connect, transaction
db = connect(sys.argv[1])
sys.argv = sys.argv[2:] or sys.argv  # the command line the process is to have, when given one
with transaction(db):
    db.execute("UPDATE stories SET title = title || ' (checked)'")
    print("holding", flush=True)
    sys.stdin.readline()
"""


class Holder:
    """A tracker process inside a write transaction, stopped (SIGSTOP) as Ctrl-Z stops a command."""

    def __init__(self, db_path: Path, *, stop: bool = True, argv: list[str] = ()) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-c", HOLD_A_WRITE, str(db_path), *argv],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            cwd=REPO,
        )
        self.pid = self.process.pid
        assert self.process.stdout.readline().strip() == "holding"
        if not stop:  # it keeps running inside its write: a long migration elsewhere
            return
        os.kill(self.pid, signal.SIGSTOP)
        _, status = os.waitpid(self.pid, os.WUNTRACED)  # returns once it is stopped
        assert os.WIFSTOPPED(status)

    def resume_and_finish(self) -> None:
        """Resume it (fg) and let it commit and end."""
        os.kill(self.pid, signal.SIGCONT)
        self.process.stdin.write("go\n")
        self.process.stdin.close()
        assert self.process.wait(30) == 0

    def end(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGCONT)
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait(30)
        with contextlib.suppress(OSError):
            self.process.stdin.close()
        self.process.stdout.close()


@pytest.fixture
def stopped_holder(db_path, story, monkeypatch) -> Iterator[Holder]:
    monkeypatch.setattr(tracker.db, "BUSY_TIMEOUT_MS", 50)
    holder = Holder(db_path)
    try:
        yield holder
    finally:
        holder.end()


@pytest.fixture
def stopped_holder_argv(db_path, story, monkeypatch) -> Iterator[Holder]:
    """A stopped holder whose command line is an editor worker's, as `tracker serve` starts it."""
    import gunicorn

    from tracker.serve import editor_command

    monkeypatch.setattr(tracker.db, "BUSY_TIMEOUT_MS", 50)
    command = editor_command("fd://3", 4)
    assert command[1:3] == ["-m", "gunicorn"]  # so the workers' sys.argv[0] is the package's __main__.py
    holder = Holder(db_path, argv=[str(Path(gunicorn.__file__).with_name("__main__.py")), *command[3:]])
    try:
        yield holder
    finally:
        holder.end()


def held_by(holder: Holder, db_path: Path, outcome: str) -> str:
    return (
        f"Another tracker process (pid {holder.pid}, python -c) has held the write lock of {db_path} for 0.05 s, "
        f"so {outcome}; it is stopped (Ctrl-Z, or paused in a debugger): resume it with fg or end it, then try again."
    )


def lock_files_open() -> int:
    found = 0
    for fd in os.listdir("/proc/self/fd"):
        with contextlib.suppress(OSError):  # the listing's own descriptor, closed by now
            found += os.readlink(f"/proc/self/fd/{fd}").endswith(".db-lock")
    return found


def join_lock_waiters(db_path: Path) -> None:
    """Wait for the threads still queued for db_path's lock (a writer that gave up leaves its place in the queue)."""
    for thread in threading.enumerate():
        if thread.name == f"writer lock: {os.path.realpath(db_path)}-lock":
            thread.join(30)
            assert not thread.is_alive()


def titles(db_path: Path) -> list[str]:
    """The stories' titles, read on a connection of their own (a command run in this process drops the POSIX
    locks of the file's other connections here when it closes its descriptor: see refuse_foreign_wal)."""
    with contextlib.closing(sqlite3.connect(db_path)) as conn:
        return [t for (t,) in conn.execute("SELECT title FROM stories ORDER BY id")]


def test_a_write_behind_a_stopped_tracker_process_gives_up_after_the_busy_timeout_and_names_it(
    db_path, db, stopped_holder
):
    with pytest.raises(sqlite3.OperationalError) as raised:
        with transaction(db):
            db.execute("INSERT INTO stories (slug, title, created_at) VALUES ('late', 'Late', 'now')")
    error = raised.value
    assert isinstance(error, WriterWaitTimeout)
    # The error every handler of "database is locked" already knows: SQLITE_BUSY, with the holder named.
    assert error.sqlite_errorcode == tracker.db.SQLITE_BUSY and str(error).startswith("database is locked: ")
    assert f"pid {stopped_holder.pid}, python -c" in str(error)
    assert str(busy_error(error, db_path)) == held_by(stopped_holder, db_path, "the step in hand was not saved")
    assert not db.conn.in_transaction
    stopped_holder.resume_and_finish()
    assert titles(db_path) == ["A test story (checked)"]


def test_a_writer_that_gave_up_keeps_one_place_in_the_queue_and_lets_go_of_it_once_it_comes(
    db_path, db, stopped_holder
):
    """The blocking flock() a writer gave up on still gets the lock when the holder lets go: it must hand it
    on at once (not keep every later writer waiting), and close its descriptor; a writer trying again meanwhile
    takes that same place instead of queueing a second descriptor."""
    before = lock_files_open()
    for _ in range(3):
        with pytest.raises(WriterWaitTimeout):
            with transaction(db):
                pass
    assert lock_files_open() == before + 1
    stopped_holder.resume_and_finish()
    join_lock_waiters(db_path)
    assert lock_files_open() == before
    # Nobody holds it now: a descriptor of its own takes it without waiting, as another process would.
    fd = os.open(f"{db_path}-lock", os.O_RDWR)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    finally:
        os.close(fd)
    with transaction(db):
        db.execute("UPDATE stories SET title = 'after'")
    assert titles(db_path) == ["after"]


def test_a_writer_waiting_when_the_holder_resumes_goes_in_at_once(db_path, db, stopped_holder, monkeypatch):
    """The wait is bounded, not replaced by polling: a writer trying again with time to wait takes the place
    the one that gave up left in the queue (or queues afresh, if it starts after the holder let go) and goes
    in as the holder commits, its write after the holder's."""
    with pytest.raises(WriterWaitTimeout):
        with transaction(db):
            pass
    monkeypatch.setattr(tracker.db, "BUSY_TIMEOUT_MS", 60_000)
    outcome: list[str] = []

    def write() -> None:
        with transaction(db):
            db.execute("UPDATE stories SET title = title || ', then this one'")
        outcome.append("committed")

    writer = threading.Thread(target=write)
    writer.start()
    stopped_holder.resume_and_finish()
    writer.join(60)
    assert outcome == ["committed"]
    assert titles(db_path) == ["A test story (checked), then this one"]


def test_a_command_behind_a_stopped_tracker_process_says_so_in_one_line_and_stores_nothing(db_path, db, stopped_holder):
    def add_story():
        return CliRunner().invoke(cli, ["--db", str(db_path), "stories", "add", "late", "--title", "Late news"])

    result = add_story()
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [
        "Error: " + held_by(stopped_holder, db_path, "the step in hand was not saved")
    ]
    assert titles(db_path) == ["A test story"]
    stopped_holder.resume_and_finish()
    again = add_story()
    assert again.exit_code == 0, again.output
    assert titles(db_path) == ["A test story (checked)", "Late news"]


TYPED = {
    "text": "Acme <b>knew</b> of the faulty thermostats in May & said nothing.",
    "claimant": "A former Acme engineer",
    "claimant_type": "anonymous",
    "internal_notes": "Met her twice; second call on Thursday.",
}


def sqlite_shell(db_path: Path) -> contextlib.AbstractContextManager:
    """A program outside the tracker inside a change (a sqlite3 shell): SQLite's own "database is locked"."""

    @contextlib.contextmanager
    def held() -> Iterator[None]:
        shell = sqlite3.connect(db_path, isolation_level=None)
        shell.execute("BEGIN IMMEDIATE")
        try:
            yield
        finally:
            shell.execute("ROLLBACK")
            shell.close()

    return held()


@pytest.mark.parametrize("holder", ["sqlite3 shell", "stopped tracker process"])
def test_a_claim_typed_while_the_database_is_held_comes_back_on_the_error_page(
    client, db_path, db, accounts, story, monkeypatch, holder
):
    monkeypatch.setattr(tracker.db, "BUSY_TIMEOUT_MS", 50)  # before the editor opens its connections
    AuthActions(client).login("reporter")
    new_claim = f"/stories/{story['slug']}/claims/new"
    token = csrf_from(client.get(new_claim).get_data(as_text=True))
    with contextlib.ExitStack() as stack:
        if holder == "sqlite3 shell":
            stack.enter_context(sqlite_shell(db_path))
        else:
            stopped = Holder(db_path)
            stack.callback(stopped.end)
        response = client.post(new_claim, data={**TYPED, "csrf_token": token})
        page = response.get_data(as_text=True)
        assert response.status_code == 503, page[:500]
        for value in {**TYPED, "claimant_type": "Anonymous source"}.values():  # a choice, in the form's words
            assert html.escape(value, quote=False) in page, value
        assert "<b>knew</b>" not in page
        if holder == "stopped tracker process":
            lede = page.split('class="lede">')[1].split("</p>")[0]
            assert "Another tracker program has kept the database busy" in lede, lede
            assert html.escape(held_by(stopped, db_path, "this change was not saved"), quote=False) in page
            stopped.resume_and_finish()
    assert db.execute("SELECT count(*) FROM claims").fetchone()[0] == 0
    saved = client.post(new_claim, data={**TYPED, "csrf_token": token})
    assert saved.status_code in (302, 303), saved.get_data(as_text=True)[:500]
    assert db.execute("SELECT count(*) FROM claims").fetchone()[0] == 1


def test_the_api_says_who_holds_the_database_and_stores_nothing(client, db_path, db, accounts, story, monkeypatch):
    from tracker import users

    token = users.create_token(db, "reporter")
    monkeypatch.setattr(tracker.db, "BUSY_TIMEOUT_MS", 50)
    holder = Holder(db_path)
    try:
        body = {"text": "A claim", "claimant_type": "unattributed"}
        headers = {"Authorization": f"Bearer {token}"}
        response = client.post(f"/api/stories/{story['slug']}/claims", json=body, headers=headers)
        assert response.status_code == 503
        assert response.get_json() == {"message": held_by(holder, db_path, "this change was not saved")}
    finally:
        holder.end()
    assert db.execute("SELECT count(*) FROM claims").fetchone()[0] == 0


def test_the_lock_file_names_the_command_that_holds_it():
    name = tracker.db.process_name
    assert name(["/srv/tracker/tracker/__main__.py", "scrape", "steampro-kettles", "--db", "x.db"]) == (
        "tracker scrape steampro-kettles"
    )
    assert name(["/srv/tracker/tracker/__main__.py", "--db", "x.db", "users", "add", "kim"]) == "tracker"
    assert name(["/venv/lib/python3.11/site-packages/gunicorn/__main__.py", "--bind=fd://3"]) == (
        "the editor run by tracker serve"
    )
    assert name(["/srv/tracker/.venv/bin/flask", "--app", "app", "run"]) == "the editor's development server"
    assert name(["-c", "scrape"]) == "python -c"
    assert name(["/usr/bin/tracker\x1b[2J", "watch\nnow"]) == "tracker?[2J watch?now"
    assert name([]) == "python"


def test_a_write_behind_a_stopped_editor_worker_names_the_editor_not_gunicorn(db_path, db, stopped_holder_argv):
    """ "Another tracker process (pid N, gunicorn)" did not tell a reporter that the editor held the lock."""
    with pytest.raises(WriterWaitTimeout) as raised:
        with transaction(db):
            pass
    assert (
        raised.value.holder
        == f"another tracker process (pid {stopped_holder_argv.pid}, the editor run by tracker serve)"
    )


def test_a_writer_of_the_same_process_waits_for_the_thread_inside_a_write_as_long(db_path, db, story, monkeypatch):
    """A thread inside a write that does not end (a request paused in a debugger): the other threads' writes
    give up after the busy timeout too, rather than hang the editor's every save."""
    monkeypatch.setattr(tracker.db, "BUSY_TIMEOUT_MS", 50)
    inside, release = threading.Event(), threading.Event()

    def hold() -> None:
        with writer_lock(db):
            inside.set()
            release.wait(60)

    thread = threading.Thread(target=hold)
    thread.start()
    try:
        inside.wait(60)
        other = connect(db_path)
        with pytest.raises(WriterWaitTimeout) as raised:
            with transaction(other):
                pass
        assert f"another thread of this process (pid {os.getpid()}" in str(raised.value)
        other.close()
    finally:
        release.set()
        thread.join(60)


class _Heard(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.waiting = threading.Event()
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())
        if record.getMessage().startswith("waiting for"):
            self.waiting.set()


def test_migrations_wait_for_a_running_writer_past_the_busy_timeout_and_give_up_on_a_stopped_one(
    db_path, story, monkeypatch
):
    """`serve` started beside a long migration elsewhere waits its turn (and says so in its log) instead of
    failing after 5 s; behind a stopped process it gives up with the line naming it, as every writer does."""
    from tracker import migrations

    monkeypatch.setattr(tracker.db, "BUSY_TIMEOUT_MS", 50)
    heard = _Heard()
    logger = logging.getLogger("tracker.db")
    logger.addHandler(heard)
    monkeypatch.setattr(logger, "level", logging.INFO)
    holder = Holder(db_path, stop=False)
    outcome: list[object] = []
    try:

        def apply() -> None:
            db = connect(db_path)
            try:
                outcome.append(migrations.apply(db))
            except BaseException as error:  # noqa: BLE001 - the test reports it below
                outcome.append(error)
            finally:
                db.close()

        waiter = threading.Thread(target=apply)
        waiter.start()
        assert heard.waiting.wait(30), "the migration never waited past its busy timeout"
        assert not outcome  # still waiting, not failed
        assert f"pid {holder.pid}, python -c" in heard.messages[0]
        holder.resume_and_finish()
        waiter.join(30)
        assert outcome == [[]]  # up to date: nothing to apply, and no error
    finally:
        logger.removeHandler(heard)
        holder.end()

    stopped = Holder(db_path)
    try:
        db = connect(db_path)
        with pytest.raises(WriterWaitTimeout) as raised:
            migrations.apply(db)
        db.close()
        assert f"pid {stopped.pid}" in str(raised.value) and "it is stopped" in str(raised.value)
    finally:
        stopped.end()
