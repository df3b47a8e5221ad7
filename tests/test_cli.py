import json
import os
import sqlite3
import stat

import pytest
from click.testing import CliRunner

from tracker import stories
from tracker.cli import cli


@pytest.fixture
def run(db_path):
    def run(*args, input=None):
        return CliRunner().invoke(cli, ["--db", str(db_path), *args], input=input)

    return run


def test_init_creates_then_reports_up_to_date(tmp_path):
    path = tmp_path / "new.db"
    first = CliRunner().invoke(cli, ["init", "--db", str(path)])
    assert first.exit_code == 0 and "applied" in first.output
    second = CliRunner().invoke(cli, ["--db", str(path), "init"])
    assert second.exit_code == 0 and "up to date" in second.output


def test_a_new_working_database_is_readable_by_its_owner_only(tmp_path):
    # It holds source identities, internal notes, uploaded documents and password hashes: under the usual
    # umask (022) SQLite made it, and the -wal and -shm that copy its mode, readable by every account.
    path = tmp_path / "new.db"
    old = os.umask(0o022)
    try:
        result = CliRunner().invoke(cli, ["init", "--db", str(path)])
    finally:
        os.umask(old)
    assert result.exit_code == 0, result.output
    made = [p for p in tmp_path.iterdir() if p.name.startswith("new.db")]
    assert path in made and len(made) > 1  # the -wal and -shm too, while the connection is open
    assert {p.name: stat.S_IMODE(p.stat().st_mode) for p in made} == {p.name: 0o600 for p in made}


def test_init_says_when_an_existing_database_is_readable_by_others(tmp_path):
    path = tmp_path / "old.db"
    assert CliRunner().invoke(cli, ["init", "--db", str(path)]).exit_code == 0
    path.chmod(0o644)
    result = CliRunner().invoke(cli, ["init", "--db", str(path)])
    assert result.exit_code == 0, result.output
    assert f"chmod 600 {path}" in result.output and "every account on this machine" in result.output
    assert stat.S_IMODE(path.stat().st_mode) == 0o644  # said, not changed: the newsroom may share it by group
    path.chmod(0o640)
    assert "chmod" not in CliRunner().invoke(cli, ["init", "--db", str(path)]).output


def test_users_add_reads_password_from_stdin(run, db):
    result = run("users", "add", "ana", "--role", "editor", "--password-stdin", input="kettle-lantern-orbit\n")
    assert result.exit_code == 0, result.output
    hashed = db.execute("SELECT password_hash FROM users WHERE username = 'ana'").fetchone()[0]
    assert "s3cret-pass" not in hashed


@pytest.mark.parametrize(
    "args,input,message",
    [
        (("users", "add", "ana", "--role", "boss", "--password-stdin"), "s3cret-pass\n", "Unknown role 'boss'"),
        (("users", "add", "ana", "--password-stdin"), "short\n", "at least 12"),
        (("users", "token", "nobody"), None, "No user named 'nobody'"),
        (("ingest", "no-such-story", "data/demo/feed.xml"), None, "No story with slug 'no-such-story'"),
    ],
)
def test_errors_are_one_line_and_non_zero(run, args, input, message):
    result = run(*args, input=input)
    assert result.exit_code != 0
    assert message in result.output
    assert len(result.output.strip().splitlines()) == 1, result.output
    assert "Traceback" not in result.output


def test_commands_refuse_a_missing_database(tmp_path):
    missing = tmp_path / "nope.db"
    result = CliRunner().invoke(cli, ["--db", str(missing), "users", "token", "x"])
    assert result.exit_code != 0 and "init" in result.output
    assert not missing.exists()


def test_backup_is_a_consistent_copy_and_never_overwrites(run, db, story, tmp_path):
    dest = tmp_path / "copy.db"
    result = run("backup", str(dest))
    assert result.exit_code == 0, result.output
    assert sqlite3.connect(dest).execute("SELECT slug FROM stories").fetchall() == [("test-story",)]
    again = run("backup", str(dest))
    assert again.exit_code != 0 and "already exists" in again.output


def test_a_backup_copied_in_beside_the_old_files_wal_is_refused_not_damaged(run, db, story, tmp_path):
    """Restoring by copying a backup over tracker.db but leaving the old -wal beside it (docs/operations.md warns
    against it) used to pass `init` as "up to date" while SQLite replayed the old file's pages onto the copy:
    it failed its integrity check from then on. The -wal is refused instead, and the copy left as it was."""
    import shutil

    backup = tmp_path / "copy.db"
    assert run("backup", str(backup)).exit_code == 0
    db.execute("PRAGMA wal_autocheckpoint = 0")
    stories.create_story(db, "later", "Added after the backup", keywords_include="Acme")
    restored = tmp_path / "restored"
    restored.mkdir()
    shutil.copy(f"{db.conn.execute('PRAGMA database_list').fetchone()[2]}-wal", restored / "tracker.db-wal")
    shutil.copy(backup, restored / "tracker.db")

    for command in (["init"], ["stories"]):
        result = CliRunner().invoke(cli, ["--db", str(restored / "tracker.db"), *command])
        assert result.exit_code == 1, result.output
        assert result.output.strip().splitlines() == [
            f"Error: {restored / 'tracker.db-wal'} belongs to another file than {restored / 'tracker.db'} (a "
            "backup copied in over the old one?): SQLite would write its pages into this one and damage it. Move "
            f"{restored / 'tracker.db-wal'} and {restored / 'tracker.db-shm'} out of the way, then run the command "
            "again (docs/operations.md, Back up and upgrade)."
        ]
    assert (restored / "tracker.db").read_bytes() == backup.read_bytes()

    (restored / "tracker.db-wal").unlink()
    assert CliRunner().invoke(cli, ["--db", str(restored / "tracker.db"), "init"]).exit_code == 0
    check = sqlite3.connect(restored / "tracker.db")
    assert check.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert check.execute("SELECT slug FROM stories").fetchall() == [("test-story",)]


def test_init_on_a_damaged_database_leaves_it_as_it_was(run, story, tmp_path):
    """A copy with a damaged page (a backup cut short by hand, a bad disk): `init` refused it, but had first put
    it in WAL mode, a write to the file an admin may want to hand to a recovery tool untouched."""
    damaged = tmp_path / "damaged.db"
    assert run("backup", str(damaged)).exit_code == 0
    data = bytearray(damaged.read_bytes())
    data[4096:8192] = b"\xff" * 4096  # the second page
    damaged.write_bytes(bytes(data))

    result = CliRunner().invoke(cli, ["--db", str(damaged), "init"])
    assert result.exit_code == 1
    assert "malformed" in result.output and len(result.output.strip().splitlines()) == 1
    assert damaged.read_bytes() == bytes(data)


def test_a_database_another_program_keeps_locked_is_said_so_not_taken_for_damage(run, db_path, monkeypatch):
    """A sqlite3 shell left inside a change: commands said "Database error ... check the file with
    PRAGMA integrity_check", sending the admin to look for damage instead of at the program holding the lock."""
    import tracker.db

    monkeypatch.setattr(tracker.db, "BUSY_TIMEOUT_MS", 50)
    shell = sqlite3.connect(db_path, isolation_level=None)
    shell.execute("BEGIN IMMEDIATE")
    try:
        result = run("users", "add", "kim", "--password-stdin", input="kettle-lantern-orbit\n")
    finally:
        shell.execute("ROLLBACK")
        shell.close()
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [
        f"Error: {db_path} is locked by another program (a sqlite3 shell or a database browser with a change not "
        "yet saved?), so the step in hand was not saved. Close that program, then run the command again."
    ]
    assert run("users", "add", "kim", "--password-stdin", input="kettle-lantern-orbit\n").exit_code == 0


def test_a_locked_database_is_said_in_one_wording_by_a_single_change_and_by_a_run(run, db_path, story, monkeypatch):
    """`users add` and `ingest` stopped by the same sqlite3 shell said it two ways ("the step in hand was not
    saved. ... run the command again" and "nothing more could be stored ... run it again: what was not stored is
    still due"): one rule now (tracker.db.stopping_error), one line."""
    from pathlib import Path

    import tracker.db

    page = Path(__file__).parent / "fixtures" / "ingest" / "acme-recall.html"
    monkeypatch.setattr(tracker.db, "BUSY_TIMEOUT_MS", 50)
    shell = sqlite3.connect(db_path, isolation_level=None)
    shell.execute("BEGIN IMMEDIATE")
    try:
        added = run("users", "add", "kim", "--password-stdin", input="kettle-lantern-orbit\n")
        ingested = run("ingest", "test-story", str(page))
    finally:
        shell.execute("ROLLBACK")
        shell.close()
    said = (
        f"Error: {db_path} is locked by another program (a sqlite3 shell or a database browser with a change not "
        "yet saved?), so the step in hand was not saved. Close that program, then run the command again."
    )
    assert (added.exit_code, ingested.exit_code) == (1, 1)
    assert added.output.strip().splitlines()[-1] == said
    assert ingested.stderr.strip().splitlines()[-1] == said


def test_stories_add_then_list(run):
    added = run("stories", "add", "acme-recall", "--title", "Acme recalls toasters", "--keywords", "Acme, toaster")
    assert added.exit_code == 0, added.output
    listed = run("stories")
    assert listed.exit_code == 0 and "acme-recall" in listed.output and "Acme recalls toasters" in listed.output


def test_users_passwd_changes_the_password(run, db, accounts):
    from tracker.users import authenticate

    result = run("users", "passwd", "editor", "--password-stdin", input="brand-new-pass\n")
    assert result.exit_code == 0, result.output
    assert authenticate(db, "editor", "brand-new-pass")["username"] == "editor"
    missing = run("users", "passwd", "ghost", "--password-stdin", input="brand-new-pass\n")
    assert missing.exit_code != 0 and "No user named 'ghost'" in missing.output


def test_users_passwd_revokes_the_accounts_api_tokens_unless_kept(run, db, accounts):
    """As the editor's box, ticked by default: after a compromise a token the intruder made must not outlive the
    new password; the output says how many went."""
    from tracker.users import create_token, user_for_token

    tokens = [create_token(db, "editor") for _ in range(2)]
    kept = run("users", "passwd", "editor", "--keep-tokens", "--password-stdin", input="brand-new-pass\n")
    assert kept.exit_code == 0, kept.output
    assert "Its 2 API tokens still work (--revoke-tokens revokes them)." in kept.output
    assert all(user_for_token(db, token) for token in tokens)
    revoked = run("users", "passwd", "editor", "--password-stdin", input="other-new-pass\n")
    assert revoked.exit_code == 0, revoked.output
    assert "2 API tokens revoked: tools using them are refused." in revoked.output
    assert not any(user_for_token(db, token) for token in tokens)
    again = run("users", "passwd", "editor", "--revoke-tokens", "--password-stdin", input="third-new-pass\n")
    assert again.exit_code == 0 and "No API tokens to revoke." in again.output


def _dump(path) -> list[str]:
    conn = sqlite3.connect(path)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


def test_a_passphrase_longer_than_72_characters_is_accepted(run, db):
    from tracker.users import authenticate

    passphrase = "kettle lantern orbit meadow " * 4  # 112 characters, as a password manager might make
    result = run("users", "add", "ana", "--password-stdin", input=passphrase + "\n")
    assert result.exit_code == 0, result.output
    assert authenticate(db, "ana", passphrase)["username"] == "ana"
    weak = run("users", "add", "ben", "--password-stdin", input="a" * 100 + "\n")
    assert weak.exit_code == 1 and "harder password" in weak.output, weak.output


@pytest.mark.parametrize(
    "command", [("users", "add", "ana", "--password-stdin"), ("users", "passwd", "editor", "--password-stdin")]
)
@pytest.mark.parametrize(
    "typed",
    [
        "kettle-lantern\x00orbit",
        "kettle\tlantern-orbit",
        "kettle-\x1b[2Jlantern-orbit",
        "kettle-lantern\rorbit",
        "kettle-lantern-orbit\x7f",
        "kettle-\x85lantern-orbit",
    ],
)
def test_a_password_holding_a_control_character_is_refused_in_one_line(run, db_path, accounts, command, typed):
    """A NUL, a tab or an escape code piped in with the password was hashed and stored: no one could then sign in
    with it at the editor's form, which cannot type them."""
    before = _dump(db_path)
    result = run(*command, input=typed + "\n")
    assert result.exit_code == 1, result.output
    said = result.output.strip()
    assert len(said.splitlines()) == 1 and "control character" in said and "Traceback" not in said, said
    assert "kettle" not in said  # the password is never echoed
    assert _dump(db_path) == before


def test_a_password_that_is_not_utf8_is_one_line(run, db_path):
    before = _dump(db_path)
    result = run("users", "add", "ana", "--password-stdin", input=b"\xff\xfe long-enough-password\n")
    assert result.exit_code == 1 and "not UTF-8" in result.output, result.output
    assert len(result.output.strip().splitlines()) == 1 and "Traceback" not in result.output
    assert _dump(db_path) == before


def _insert_migration(path, name: str) -> None:
    conn = sqlite3.connect(path)
    conn.execute(
        "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) VALUES ('tracker', ?, '2030-01-01')", [name]
    )
    conn.commit()
    conn.close()


@pytest.mark.parametrize("args", [("init",), ("stories",), ("stories", "add", "acme", "--title", "Acme"), ("demo",)])
def test_a_database_from_a_newer_version_is_refused_and_left_unchanged(run, db_path, args):
    _insert_migration(db_path, "9999_from_a_newer_version")
    before = _dump(db_path)
    result = run(*args)
    assert result.exit_code == 1, result.output
    assert "newer version" in result.output and "9999_from_a_newer_version" in result.output
    assert len(result.output.strip().splitlines()) == 1, result.output
    assert _dump(db_path) == before


@pytest.mark.parametrize("args", [("init",), ("stories",), ("users", "list"), ("demo",)])
def test_a_sqlite_file_of_another_program_is_refused_and_left_unchanged(tmp_path, args):
    other = tmp_path / "notes.db"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
    conn.execute("INSERT INTO notes (body) VALUES ('keep me')")
    conn.commit()
    conn.close()
    before = _dump(other)
    result = CliRunner().invoke(cli, ["--db", str(other), *args])
    assert result.exit_code == 1, result.output
    assert "not a Newsroom Tracker database" in result.output and "notes" in result.output
    assert len(result.output.strip().splitlines()) == 1, result.output
    assert _dump(other) == before


def test_a_folder_given_as_the_database_says_so(tmp_path):
    result = CliRunner().invoke(cli, ["--db", str(tmp_path), "stories"])
    assert result.exit_code == 1
    assert "is a folder, not a database file" in result.output and str(tmp_path / "tracker.db") in result.output
    assert len(result.output.strip().splitlines()) == 1, result.output


@pytest.mark.parametrize("text", ["nan", "inf", "1e400", "-inf"])
def test_a_duration_must_be_a_finite_number(text):
    import click

    from tracker.cli.coverage import parse_duration

    with pytest.raises(click.BadParameter):
        parse_duration(text)


@pytest.mark.parametrize(
    "args",
    [
        ("serve", "--editor-port", "99999"),
        ("serve", "--public-port", "70000"),
        ("serve", "--live-demo", "--demo-port", "0"),
        ("serve", "--editor-port", "99999999999999999999999"),
        ("demo-live", "--port", "99999"),
        ("demo-live-hosts", "--port", "65536"),
    ],
)
def test_a_port_outside_1_to_65535_is_refused_before_anything_starts(run, db_path, args):
    before = _dump(db_path)
    # Were the port let through, serve would stop at the benchmark-floor check, before starting anything.
    result = CliRunner().invoke(cli, ["--db", str(db_path), *args], env={"TRACKER_BENCH_FLOOR": "1"})
    assert result.exit_code == 2, result.output
    assert "is not in the range 1<=x<=65535" in result.output, result.output
    assert _dump(db_path) == before


@pytest.mark.parametrize("command", ["pause", "resume"])
def test_an_absurd_source_id_is_one_line(run, command):
    result = run("sources", command, "99999999999999999999999")
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert "is not in the range" in result.output, result.output


def test_an_absurd_poll_interval_for_the_alert_sender_is_refused(run):
    result = run("alerts", "run", "--poll", "inf")
    assert result.exit_code == 2 and "--poll" in result.output, result.output


def test_extract_reports_an_empty_file(tmp_path):
    empty = tmp_path / "empty.html"
    empty.write_bytes(b"")
    result = CliRunner().invoke(cli, ["extract", str(empty)])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert str(empty) in result.stderr and "empty" in result.stderr


@pytest.mark.parametrize("out, says", [("", "an empty path"), (".", "is a folder, not the public database file")])
def test_publish_to_an_empty_path_or_a_folder_is_refused_in_one_line(tmp_path, out, says):
    db_path = tmp_path / "tracker.db"
    CliRunner().invoke(cli, ["--db", str(db_path), "init"])
    result = CliRunner().invoke(cli, ["--db", str(db_path), "publish", "--out", out])
    assert result.exit_code != 0 and says in result.output
    assert "change(s) readers would see" not in result.output and "Traceback" not in result.output


@pytest.mark.parametrize("yes", [[], ["--yes"]], ids=["review", "publish"])
def test_publish_to_a_symlink_that_leads_nowhere_is_refused_in_one_line(tmp_path, yes):
    """A loop of links made Path.resolve raise RuntimeError: a traceback and exit status 0."""
    db_path = tmp_path / "tracker.db"
    CliRunner().invoke(cli, ["--db", str(db_path), "init"])
    (tmp_path / "a.db").symlink_to(tmp_path / "b.db")
    (tmp_path / "b.db").symlink_to(tmp_path / "a.db")
    result = CliRunner().invoke(cli, ["--db", str(db_path), "publish", *yes, "--out", str(tmp_path / "a.db")])
    assert result.exit_code == 1 and "a symbolic link that leads nowhere" in result.output, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert (tmp_path / "a.db").is_symlink() and not list(tmp_path.glob("*.db.*"))


@pytest.mark.parametrize("command", ["extract", "extract-claims", "check-worthiness"])
def test_a_file_that_never_ends_is_refused_in_one_line(command):
    # /dev/zero stands for any runaway input: read whole, it ran until memory was gone.
    result = CliRunner().invoke(cli, [command, "/dev/zero"])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert "/dev/zero" in result.stderr and "larger than 64 MB" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr


def _command_paths(group, prefix=()):
    import click

    for name, command in group.commands.items():
        yield (*prefix, name)
        if isinstance(command, click.Group):
            yield from _command_paths(command, (*prefix, name))


@pytest.mark.parametrize("path", sorted(_command_paths(cli)), ids=" ".join)
def test_every_command_help_has_an_example_and_names_nothing_outside_the_project(path):
    result = CliRunner().invoke(cli, [*path, "--help"])
    assert result.exit_code == 0, result.output
    assert "Example" in result.output
    assert "shared" not in result.output and "../" not in result.output
    # A user reads what a command does, not where its code lives.
    assert "tracker/" not in result.output and "scrapers/" not in result.output


def test_the_first_stop_signal_stops_even_when_saying_so_fails():
    import os
    import signal

    from tracker.cli.stop_signals import stop_on_signals

    def on_first() -> None:  # `watch 2>&1 | tee watch.log`: Ctrl-C ends tee first, so stderr has no reader
        raise BrokenPipeError(32, "Broken pipe")

    with stop_on_signals(on_first) as stop:
        os.kill(os.getpid(), signal.SIGTERM)
        assert stop.wait(10), "the first SIGTERM did not stop the work"


@pytest.mark.parametrize("args", [("--db", "", "init"), ("init", "--db", ""), ("--db", " ", "stories")])
def test_an_empty_db_path_is_refused_not_taken_for_the_default(tmp_path, args):
    default = tmp_path / "default.db"  # what TRACKER_DB names: `--db "$UNSET"` must not fall back to it
    result = CliRunner().invoke(cli, list(args), env={"TRACKER_DB": str(default)})
    assert result.exit_code == 2, result.output
    assert "--db" in result.output and "empty" in result.output
    assert not default.exists()


def test_an_absurd_live_demo_pace_is_refused(run, db_path):
    from tests.servers import free_port

    before = _dump(db_path)
    result = run("demo-live", "--pace", "1e300", "--port", str(free_port()))
    assert result.exit_code == 2, result.output
    assert "--pace" in result.output and "is not in the range" in result.output
    assert _dump(db_path) == before


@pytest.mark.parametrize(
    "args,expected",
    [
        (("stories", "--db", "{db}", "add", "acme", "--title", "Acme"), ("acme,test-story", 0)),
        (
            ("sources", "--db", "{db}", "add", "test-story", "https://news.example/feed.xml", "--kind", "feed"),
            ("test-story", 1),
        ),
        (("sources", "--db", "{db}", "test-story"), ("test-story", 0)),
    ],
)
def test_a_db_given_to_a_group_is_the_one_its_subcommand_uses(db_path, story, tmp_path, args, expected):
    default = tmp_path / "default.db"  # what TRACKER_DB names: the group's --db must win over it
    CliRunner().invoke(cli, ["--db", str(default), "init"])
    before = _dump(default)
    result = CliRunner().invoke(cli, [a.format(db=db_path) for a in args], env={"TRACKER_DB": str(default)})
    assert result.exit_code == 0, result.output
    assert _dump(default) == before
    conn = sqlite3.connect(db_path)
    slugs = ",".join(slug for (slug,) in conn.execute("SELECT slug FROM stories ORDER BY slug"))
    assert (slugs, conn.execute("SELECT count(*) FROM sources").fetchone()[0]) == expected
    conn.close()


# Runs `backup` with the process stopping itself (SIGSTOP) once the copy is written under its temporary
# name, before it is renamed into place: the test kills it there, as a cron timeout or a reboot would.
PAUSING_BACKUP = """
import os, signal, sys
import tracker.db as db
real_fsync = db.fsync_path

def fsync_path(path):
    real_fsync(path)
    if ".tmp-" in str(path):
        print("paused", flush=True)
        os.kill(os.getpid(), signal.SIGSTOP)

db.fsync_path = fsync_path
from tracker.cli import cli
cli(sys.argv[1:], prog_name="tracker")
"""


def kill_when_paused(script: str, db_path, dest) -> None:
    """Run `backup DEST` through script (which prints "paused" at the point it holds), then SIGKILL it there."""
    import os
    import signal
    import subprocess
    import sys
    from pathlib import Path

    killed = subprocess.Popen(
        [sys.executable, "-c", script, "--db", str(db_path), "backup", str(dest)],
        cwd=Path(__file__).resolve().parent.parent,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert killed.stdout.readline().strip() == "paused"
    finally:
        os.kill(killed.pid, signal.SIGKILL)
        killed.wait()
        killed.stdout.close()


def test_a_backup_killed_before_its_rename_leaves_no_copy_behind_once_the_next_one_ran(db_path, story, tmp_path):
    """A killed backup's temporary copy (as large as the database) is removed by the next backup to that path."""
    dest = tmp_path / "backups" / "copy.db"
    dest.parent.mkdir()
    kill_when_paused(PAUSING_BACKUP, db_path, dest)
    assert not dest.exists() and [p.name for p in dest.parent.iterdir() if ".tmp-" in p.name]

    result = CliRunner().invoke(cli, ["--db", str(db_path), "backup", str(dest)])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in dest.parent.iterdir()) == ["copy.db"]
    assert sqlite3.connect(dest).execute("SELECT slug FROM stories").fetchall() == [("test-story",)]


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (
            ("users", "add", "no spaces!"),
            "Error: Usernames are 2-40 letters, digits, dots, hyphens or underscores. 'no spaces!' is not: letters "
            "a-z or A-Z only, without accents or spaces.",
        ),
        (("users", "add", "editor"), "Error: User 'editor' already exists."),
        (
            ("users", "add", "ana", "--role", "boss"),
            "Error: Unknown role 'boss'; choose one of: reporter, editor, admin.",
        ),
        (("users", "passwd", "ghost"), "Error: No user named 'ghost'."),
    ],
)
def test_a_bad_user_name_is_refused_before_the_password_is_asked_for(run, accounts, args, says):
    """The admin used to type a password twice only to hear the name was wrong."""
    result = run(*args, input="kettle-lantern-orbit\nkettle-lantern-orbit\n")
    assert result.exit_code == 1, result.output
    assert result.output.strip().splitlines() == [says]


def test_no_token_is_made_for_a_deactivated_account(run, db, accounts):
    """It would never work (tokens of a deactivated account are refused) yet was printed as if it would."""
    from tracker.users import set_active

    set_active(db, accounts["reporter"]["id"], False)
    result = run("users", "token", "reporter")
    assert result.exit_code == 1, result.output
    assert result.output.strip().splitlines() == [
        "Error: reporter is deactivated, so a token would not work; none was created. An admin can reactivate the "
        "account on the editor's People page first."
    ]
    assert db.execute("SELECT count(*) FROM api_tokens").fetchone() == (0,)


def _paused_backup(db_path, dest):
    """A `backup` process stopped (SIGSTOP) with its copy written under the temporary name, not yet renamed."""
    import subprocess
    import sys
    from pathlib import Path

    process = subprocess.Popen(
        [sys.executable, "-c", PAUSING_BACKUP, "--db", str(db_path), "backup", str(dest)],
        cwd=Path(__file__).resolve().parent.parent,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout.readline().strip() == "paused"
    return process


# Runs `backup` with the process stopping itself (SIGSTOP) in the middle of VACUUM INTO, once the rollback
# journal SQLite keeps beside the temporary copy exists: the test kills it there.
PAUSING_INSIDE_THE_COPY = """
import os, signal, sys
from pathlib import Path
import tracker.db as db
real_connect = db.connect
folder = Path(sys.argv[-1]).parent

def paused_once_the_journal_exists():
    if list(folder.glob(".*.tmp-*-journal")):
        print("paused", flush=True)
        os.kill(os.getpid(), signal.SIGSTOP)
    return 0

def connect(*args, **kwargs):
    opened = real_connect(*args, **kwargs)
    opened.conn.set_progress_handler(paused_once_the_journal_exists, 100)
    return opened

db.connect = connect
from tracker.cli import cli
cli(sys.argv[1:], prog_name="tracker")
"""


def test_a_backup_killed_inside_its_copy_leaves_no_journal_behind_once_the_next_one_ran(db_path, story, tmp_path):
    """VACUUM INTO keeps a rollback journal beside the temporary copy: the next backup removed the killed one's
    copy but not its journal, a hidden file left in the backups' folder for good."""
    dest = tmp_path / "backups" / "tracker-2026-11-24.db"
    dest.parent.mkdir()
    kill_when_paused(PAUSING_INSIDE_THE_COPY, db_path, dest)
    assert [p.name for p in dest.parent.iterdir() if p.name.endswith("-journal")]

    result = CliRunner().invoke(cli, ["--db", str(db_path), "backup", str(dest.parent / "tracker-2026-11-25.db")])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in dest.parent.iterdir()) == ["tracker-2026-11-25.db"]


def test_a_backup_removes_what_killed_backups_left_under_other_names_but_not_a_running_ones(db_path, story, tmp_path):
    """Dated backup names (docs/operations.md) never repeat, so a killed one's hidden copy, as large as the
    database, used to stay for good. A backup still running keeps its own, and so does any other file."""
    import os
    import signal

    folder = tmp_path / "backups"
    folder.mkdir()
    killed = _paused_backup(db_path, folder / "tracker-2026-11-24.db")
    os.kill(killed.pid, signal.SIGKILL)
    killed.wait()
    killed.stdout.close()
    (stale,) = folder.glob(".tracker-2026-11-24.db.tmp-*")
    (folder / ".notes.txt.tmp-abcd1234").write_text("someone else's file")

    running = _paused_backup(db_path, folder / "tracker-2026-11-25.db")
    try:
        (live,) = folder.glob(".tracker-2026-11-25.db.tmp-*")
        result = CliRunner().invoke(cli, ["--db", str(db_path), "backup", str(folder / "tracker-2026-11-26.db")])
        assert result.exit_code == 0, result.output
        assert not stale.exists()
        assert live.exists() and (folder / ".notes.txt.tmp-abcd1234").exists()
    finally:
        os.kill(running.pid, signal.SIGCONT)
        assert running.wait() == 0
        running.stdout.close()
    assert sorted(p.name for p in folder.iterdir()) == [
        ".notes.txt.tmp-abcd1234",
        "tracker-2026-11-25.db",
        "tracker-2026-11-26.db",
    ]
    for name in ("tracker-2026-11-25.db", "tracker-2026-11-26.db"):
        conn = sqlite3.connect(folder / name)
        assert conn.execute("SELECT slug FROM stories").fetchall() == [("test-story",)]
        conn.close()


def test_a_refused_story_short_name_names_the_slug_argument(run, db):
    refused = run("stories", "add", "Bad Slug", "--title", "Harbour cranes")
    assert refused.exit_code == 1, refused.output
    assert "SLUG: The short name 'Bad Slug' cannot be used" in refused.output
    assert db.execute("SELECT count(*) FROM stories").fetchone()[0] == 0


def test_publish_refuses_yes_together_with_refresh_only(run, tmp_path):
    """The two flags contradict each other: --refresh-only used to win silently, --yes ignored."""
    public = tmp_path / "public.db"
    result = run("publish", "--out", str(public), "--yes", "--refresh-only")
    assert result.exit_code == 2, result.output
    assert "--yes" in result.output and "--refresh-only" in result.output
    assert "Traceback" not in result.output
    assert not public.exists()


JSON_FEED = b'{"version": "https://jsonfeed.org/version/1.1", "title": "Wire", "items": []}'


@pytest.mark.parametrize("command", ["extract", "extract-claims"])
def test_a_feed_given_to_the_page_commands_is_refused_and_the_rest_still_printed(command, tmp_path):
    """A feed read as a page ran its entries' titles, dates and links together into one "article" text."""
    json_feed = tmp_path / "feed.json"
    json_feed.write_bytes(JSON_FEED)
    files = ["data/demo/feed.xml", str(json_feed), "data/demo/article.html"]
    result = CliRunner().invoke(cli, [command, *files])
    assert result.exit_code == 1
    errors = result.stderr.splitlines()
    assert len(errors) == 2 and "Traceback" not in result.stderr
    for file, error in zip(files, errors, strict=False):
        assert file in error and "a feed, not a page" in error and "ingest" in error
    printed = {json.loads(line)["file"] for line in result.stdout.splitlines()}
    assert printed == {"data/demo/article.html"}


@pytest.mark.parametrize(
    "args,says",
    [
        (("users", "--db", "{db}", "list"), "editor"),
        (("alerts", "--db", "{db}", "send-pending"), "Sent 0 message(s)"),
        (("users", "--db", "{db}", "end-sessions", "--all"), "Ended every session of 3 account(s)"),
    ],
)
def test_users_and_alerts_take_the_db_before_their_subcommand_too(db_path, accounts, tmp_path, args, says):
    """`users --db X list` was "No such option: --db" while `stories --db X` and `sources --db X` took it."""
    default = tmp_path / "default.db"  # what TRACKER_DB names: the group's --db must win over it
    result = CliRunner().invoke(cli, [a.format(db=db_path) for a in args], env={"TRACKER_DB": str(default)})
    assert result.exit_code == 0, result.output
    assert says in result.output
    assert not default.exists()


@pytest.mark.parametrize(
    "make, says",
    [
        (lambda path: path.write_text("Meeting notes, not a database.\n" * 20), "not a database"),
        (lambda path: sqlite3.connect(path).execute("CREATE TABLE notes (t)").connection.close(), "holds notes"),
    ],
    ids=["text", "another-program-s-database"],
)
@pytest.mark.parametrize("yes", [(), ("--yes",)], ids=["review", "yes"])
def test_publish_to_a_file_that_is_not_a_public_database_says_so_first(tmp_path, make, says, yes):
    """It listed every item as going public, then said to review them on the Publish page: only --yes
    said the file could never be published to."""
    db_path = tmp_path / "tracker.db"
    loaded = CliRunner().invoke(cli, ["--db", str(db_path), "demo"])
    assert loaded.exit_code == 0, loaded.output
    out = tmp_path / "notes.db"
    make(out)
    before = out.read_bytes()
    result = CliRunner().invoke(cli, ["--db", str(db_path), "publish", "--out", str(out), *yes])
    assert result.exit_code == 1, result.output
    assert result.output.strip().splitlines() == [result.output.strip()]  # one line
    assert says in result.output and str(out) in result.output and "Publish page" not in result.output
    assert out.read_bytes() == before


@pytest.mark.parametrize("every, says", [("5", "every 5s;"), ("90s", "every 90s;"), ("2m", "every 2m;")])
def test_watch_says_its_interval_with_a_unit(db_path, every, says):
    """`watch --every 5` said "every 5": five what? A bare number is seconds."""
    first = _first_line_of_watch(["--every", every], env={**os.environ, "TRACKER_DB": str(db_path)})
    assert first.startswith("Watching every story ") and says in first, first


@pytest.mark.parametrize("command", [("serve",), ("demo-live",)])
def test_an_empty_public_db_is_refused_not_taken_for_the_default(run, tmp_path, command):
    """`--public-db "$UNSET"` served (or had the demo desk publish into) the default public file."""
    default = tmp_path / "public.db"  # what TRACKER_PUBLIC_DB names
    args = [*command, "--public-db", "", "--db", str(tmp_path / "tracker.db")]
    result = CliRunner().invoke(cli, args, env={"TRACKER_PUBLIC_DB": str(default)})
    assert result.exit_code == 2, result.output
    assert "--public-db" in result.output and "empty" in result.output
    assert not default.exists()


def _run_with_stdout(db_path, stdout, *args):
    import subprocess
    import sys

    return subprocess.run(
        [sys.executable, "-m", "tracker", *args, "--db", str(db_path)],
        stdout=stdout,
        stderr=subprocess.PIPE,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize("args", [("sources",), ("stories",), ("stories", "test-story"), ("--help",)])
def test_a_reader_that_stopped_reading_ends_the_command_quietly(db_path, story, args):
    # `sources | head -2`: head exits after two lines; the command said "Error: Broken pipe" and exited 1.
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader is gone before the first line is written
    try:
        result = _run_with_stdout(db_path, write_end, *args)
    finally:
        os.close(write_end)
    assert result.stderr == ""
    assert result.returncode == 141  # 128 + SIGPIPE, what the shell reports for `yes | head -1`'s yes


def test_a_full_disk_under_standard_output_is_still_reported(db_path, story):
    with open("/dev/full", "w") as full:
        result = _run_with_stdout(db_path, full, "stories")
    assert result.returncode == 1
    assert result.stderr.startswith("Error: ") and len(result.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize("args", [("sources",), ("stories",), ("--help",)])
def test_a_full_standard_output_is_named_not_the_databases_disk(db_path, story, args):
    """`sources > /dev/full` said "Disk full: the database's disk has no room left", sending the reader after a
    disk that had room; `--help > /dev/full` ended in a traceback."""
    with open("/dev/full", "w") as full:
        result = _run_with_stdout(db_path, full, *args)
    assert result.returncode == 1
    said = result.stderr.strip()
    assert said.startswith("Error: ") and len(said.splitlines()) == 1, said
    assert "standard output" in said and "/dev/full" in said and "database" not in said, said


@pytest.mark.parametrize(
    "every, says",
    [
        ("1s", "--every: the shortest interval is 5s: give --every 5s or longer (e.g. --every 2m)."),
        # Under a second was "the interval must be at least one second", here where 5 s is the least.
        ("0.5s", "--every: the shortest interval is 5s: give --every 5s or longer (e.g. --every 2m)."),
        ("-3m", "--every: the shortest interval is 5s: give --every 5s or longer (e.g. --every 2m)."),
        ("2d", "--every: the longest interval is a day: give --every 1d or shorter."),
    ],
)
def test_sources_add_says_the_shortest_and_longest_interval_to_type(run, db_path, story, every, says):
    """`--every 1s` was refused with "must be 5 seconds to a day, in seconds; got 1.0": no unit to type."""
    before = _dump(db_path)
    result = run("sources", "add", "test-story", "https://gazette.example/feed.xml", "--kind", "feed", "--every", every)
    assert result.exit_code == 2, result.output
    assert len(result.output.strip().splitlines()) == 1 and says in result.output, result.output
    assert _dump(db_path) == before


@pytest.mark.parametrize("outlet", ["\u200b", "\u200b\u2060 \ufeff", "\u00ad\u200d"])
def test_sources_add_refuses_a_statement_outlet_that_shows_nothing(run, db_path, story, outlet):
    """`--outlet` of zero-width characters alone passed as a name: every alert about the statements, and each
    published one, was headed by an outlet no one could read."""
    before = _dump(db_path)
    result = run(
        "sources", "add", "test-story", "https://acme.example/newsroom/", "--kind", "statement", "--outlet", outlet
    )
    assert result.exit_code == 1, result.output
    said = result.output.strip()
    assert len(said.splitlines()) == 1 and "needs the organisation" in said and "(--outlet)" in said, said
    assert _dump(db_path) == before


def test_sources_add_keeps_no_outlet_that_shows_nothing(run, db, story):
    result = run(
        "sources", "add", "test-story", "https://gazette.example/feed.xml", "--kind", "feed", "--outlet", "\u200b\u2060"
    )
    assert result.exit_code == 0, result.output
    assert db.execute("SELECT outlet FROM sources").fetchall() == [(None,)]


def test_resuming_a_source_never_polled_says_when_it_will_be(run, story):
    added = run("sources", "add", "test-story", "https://gazette.example/feed.xml", "--kind", "feed")
    assert added.exit_code == 0, added.output
    result = run("sources", "resume", "1")
    assert result.exit_code == 0, result.output
    assert "(next poll on the next pass)" in result.output and "-)" not in result.output, result.output


def test_watch_says_the_interval_its_sources_are_polled_at(db_path, story):
    """The live demo's sources are polled every 10 s, and `watch` said "every 10m", its --every default."""
    from tracker import sources
    from tracker.db import connect

    db = connect(db_path)
    sources.add_source(db, story["id"], "https://gazette.invalid/feed.xml", "feed", config={"every": 10})
    db.close()
    first = _first_line_of_watch([story["slug"], "--db", str(db_path)])
    assert first.startswith(f"Watching {story['slug']} every 10s ("), first
    assert "--every 10m" in first and "every 10m;" not in first, first


def _first_line_of_watch(args: list[str], env: dict | None = None) -> str:
    """The first line `watch` (a real process, no alerts) says, before it is stopped."""
    import signal
    import subprocess
    import sys

    from tracker.config import ROOT

    proc = subprocess.Popen(
        [sys.executable, "-m", "tracker", "watch", *args, "--no-alerts"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        return proc.stderr.readline()
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.communicate(timeout=60)


@pytest.mark.parametrize("length", [1001, 50_000_000])
def test_a_password_longer_than_any_passphrase_is_refused_without_reading_it_all(run, db, length):
    """`users add --password-stdin` fed a runaway pipe (a file, /dev/urandom through base64) read it whole: 400 MB
    became an account's password after 1.2 GB of memory, one the editor's sign-in form (2 MB at most) never takes."""
    result = run("users", "add", "kim", "--password-stdin", input="kettle-lantern-orbit-" + "x" * length + "\n")
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [
        "Error: Passwords are at most 1,000 characters; this one is longer. A few unrelated words are enough."
    ]
    assert db.execute("SELECT count(*) FROM users WHERE username = 'kim'").fetchone()[0] == 0


def test_a_new_database_made_through_a_symbolic_link_is_readable_by_its_owner_only(tmp_path):
    """`--db data/tracker.db` linking to a file on another disk not made yet: the 0600 file was not made (a link
    is there already), SQLite made the target by the umask, readable by every account, and init said so."""
    target = tmp_path / "disk" / "tracker.db"
    target.parent.mkdir()
    link = tmp_path / "tracker.db"
    link.symlink_to(target)
    old = os.umask(0o022)
    try:
        result = CliRunner().invoke(cli, ["init", "--db", str(link)])
    finally:
        os.umask(old)
    assert result.exit_code == 0, result.output
    assert "chmod" not in result.output, result.output
    assert stat.S_IMODE(target.stat().st_mode) == 0o600 and link.is_symlink()


def test_a_count_of_one_is_said_in_the_singular(run, db, story, accounts):
    """`stories` listed a story with one claim as "1 claims"."""
    from tracker import claims

    claims.log_claim(db, story["id"], "Acme recalled its kettles", "Acme", "organization", accounts["reporter"])
    listed = run("stories")
    assert listed.exit_code == 0, listed.output
    assert " 1 claim " in listed.output and "1 claims" not in listed.output
    stories.create_story(db, "other-story", "Another story")
    assert " 0 claims " in run("stories", "other-story").output


@pytest.mark.parametrize("command", ["pause", "resume"])
@pytest.mark.parametrize("given", ["-1", "0", "-7"])
def test_a_source_id_below_one_says_ids_are_positive_numbers(run, story, command, given):
    """`sources pause -1` said "No such option: -1": click reads anything starting with a dash as an option."""
    result = run("sources", command, given)
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert "No such option" not in result.output
    assert "a positive whole number" in result.output and f"not {given}" in result.output, result.output
    assert "No such option" in run("sources", command, "--frequently", "1").output  # a real option still is


def test_a_read_only_command_stopped_by_a_lock_says_nothing_was_changed(run, db_path, monkeypatch):
    """A sqlite3 shell holding the database in exclusive locking mode stopped `stories`, which writes nothing, with
    "so the step in hand was not saved": a read says it could not read, and that nothing was changed."""
    import tracker.db

    monkeypatch.setattr(tracker.db, "BUSY_TIMEOUT_MS", 50)
    shell = sqlite3.connect(db_path, isolation_level=None)
    shell.execute("PRAGMA locking_mode=EXCLUSIVE")
    shell.execute("BEGIN EXCLUSIVE")
    shell.execute("COMMIT")  # the lock stays until the shell closes
    try:
        listed = run("stories")
        added = run("users", "add", "kim", "--password-stdin", input="kettle-lantern-orbit\n")
    finally:
        shell.close()
    assert (listed.exit_code, added.exit_code) == (1, 1)
    assert listed.output.strip().splitlines() == [
        f"Error: {db_path} is locked by another program (a sqlite3 shell or a database browser with a change not "
        "yet saved?), so it could not be read; nothing was changed. Close that program, then run the command again."
    ]
    assert "the step in hand was not saved" in added.output  # a write still says what it did not save
