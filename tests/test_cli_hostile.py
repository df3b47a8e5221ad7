"""The command line given the wrong file, a closed input, hostile arguments: one clear line, nothing changed."""

from __future__ import annotations

import contextlib
import json
import shutil
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.conftest import python_output
from tracker.cli import cli


def _dump(path: Path) -> list[str]:
    conn = sqlite3.connect(path)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


def _one_line_error(result) -> str:
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    lines = result.output.strip().splitlines()
    return lines[-1]


@pytest.mark.parametrize("kind", ["another program's database", "a working database"])
def test_publish_never_replaces_a_database_that_is_not_a_public_one(db_path, story, tmp_path, kind):
    """`publish --yes --out` with the wrong path replaced the file with the public database, whatever it held."""
    target = tmp_path / "target.db"
    if kind == "a working database":
        shutil.copy(db_path, target)  # `--out data/tracker.db` typed for `--db`: every account and note was lost
    else:
        conn = sqlite3.connect(target)
        conn.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
        conn.execute("INSERT INTO notes (body) VALUES ('keep me')")
        conn.commit()
        conn.close()
    before = _dump(target)
    result = CliRunner().invoke(cli, ["--db", str(db_path), "publish", "--yes", "--out", str(target)])
    line = _one_line_error(result)
    assert "not a public database" in line and "nothing was changed" in line.lower(), line
    assert _dump(target) == before


@pytest.mark.parametrize("args", [("stories",), ("users", "list"), ("backup", "copy.db"), ("init",)])
def test_a_database_path_with_a_slash_after_the_file_says_to_leave_it_out(db_path, tmp_path, monkeypatch, args):
    """`--db data/tracker.db/` (a completed folder name) said only "Not a directory: data/tracker.db/"."""
    before = _dump(db_path)
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["--db", f"{db_path}/", *args])
    line = _one_line_error(result)
    assert line == (
        f"Error: {db_path}/ ends with /, but {db_path} is a file, not a folder: give the database file's path "
        f"without the /, {db_path}."
    ), line
    assert _dump(db_path) == before and not (tmp_path / "copy.db").exists()


@pytest.mark.parametrize("state", ["missing", "empty"])
def test_the_command_a_message_suggests_for_a_path_with_spaces_runs_as_given(tmp_path, state):
    """`--db "Shared Drive/tracker.db"` was told to run `python -m tracker init --db Shared Drive/tracker.db`: pasted
    into a shell, that is `--db Shared` and a stray argument. The path in a suggested command is quoted."""
    import shlex

    folder = tmp_path / "Shared Drive"
    folder.mkdir()
    path = folder / "reporter's notes.db"
    if state == "empty":
        path.touch()
    result = CliRunner().invoke(cli, ["--db", str(path), "stories"])
    line = _one_line_error(result)
    suggested = line[line.index("`") + 1 : line.rindex("`")]
    assert shlex.split(suggested) == ["python", "-m", "tracker", "init", "--db", str(path)], line


@pytest.mark.parametrize("host", ["", "  "])
def test_serve_refuses_an_empty_host_before_starting_anything(db_path, tmp_path, host):
    """`serve --host "$HOST"` with HOST unset was told to set TRACKER_PUBLIC_URL, as for a public address; with it
    set, "Cannot listen on :8001:  could not be resolved". An empty address is a mistake, said as one."""
    result = CliRunner(env={"TRACKER_PUBLIC_URL": "https://tracker.example.org"}).invoke(
        cli, ["--db", str(db_path), "serve", "--host", host, "--public-db", str(tmp_path / "public.db")]
    )
    assert result.exit_code == 2, result.output
    assert result.output.strip().splitlines() == [
        "Error: Invalid value for '--host': an empty address: give 127.0.0.1 (this machine only, the default), or "
        "0.0.0.0 for every interface. (see `cli serve --help`)"
    ]
    assert not (tmp_path / "public.db").exists()


def test_publish_to_an_empty_file_makes_it_the_public_database(db_path, story, tmp_path):
    """`touch public.db` (or a copy cut short) before the first publish: the swap opened the empty file as a
    database, gave it SQLite's default 4096-byte pages, and refused it for having pages of another size than the
    build's ("move it aside and publish again") though it had none. An empty file holds nothing readers saw."""
    out = tmp_path / "public.db"
    out.touch()
    link = tmp_path / "current.db"
    link.symlink_to(out)
    result = CliRunner().invoke(cli, ["--db", str(db_path), "publish", "--yes", "--out", str(link)])
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    assert link.is_symlink()  # the file it names was replaced, not the link
    conn = sqlite3.connect(out)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert conn.execute("SELECT count(*) FROM claims").fetchone() == (0,)
    finally:
        conn.close()


ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(
    "args",
    [
        ("users", "add", "ana", "--password-stdin"),
        ("users", "add", "ana"),
        ("users", "passwd", "edith"),
        ("check-worthiness", "-"),
        ("extract", "-"),
        ("extract-claims", "-"),
    ],
)
def test_a_closed_standard_input_is_one_line_not_a_traceback(db_path, args):
    """`cmd <&-` (or a service manager with no stdin): sys.stdin is None, and reading it was an AttributeError."""
    import os
    import subprocess
    import sys

    if args[:2] == ("users", "passwd"):  # the account must exist: its name is checked before the password is read
        from tracker import users
        from tracker.db import connect

        db = connect(db_path)
        users.add_user(db, args[2], "correct-horse-battery-staple", "reporter")
        db.close()
    before = _dump(db_path)
    result = subprocess.run(
        [sys.executable, "-m", "tracker", "--db", str(db_path), *args],
        cwd=ROOT,
        preexec_fn=lambda: os.close(0),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert "standard input is closed" in result.stderr.lower(), result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert _dump(db_path) == before


def test_scrape_stopped_before_a_source_answered_does_not_say_there_is_nothing_to_fetch(db_path, story, site):
    """Ctrl-C while the first fetch was in flight ended on "Nothing to fetch: add sources", with a source there."""
    import os
    import signal
    import subprocess
    import sys
    import threading

    from tests.sites import rss
    from tracker import sources
    from tracker.db import connect

    held = threading.Event()
    feed = site.put("/feed.xml", rss("Example Gazette", []), content_type="application/rss+xml", hold=held)
    db = connect(db_path)
    sources.add_source(db, story["id"], feed, "feed")
    db.close()
    env = {**os.environ, "TRACKER_DB": str(db_path), "TRACKER_ALLOW_PRIVATE": "1", "TRACKER_MIN_INTERVAL": "0"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "tracker", "scrape", story["slug"]],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        waited = threading.Event()
        for _ in range(1200):  # the feed's request has arrived and waits for its answer
            if site.held:
                break
            waited.wait(0.05)
        assert site.held, "the scrape never asked for the feed"
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=60)
    finally:
        held.set()
        if proc.poll() is None:
            proc.kill()
    assert "Stopped before the pass was done" in err and "Traceback" not in err
    assert "Nothing to fetch" not in out, out


@pytest.mark.parametrize(
    "url,why",
    [
        ("https://news.example/feed.xml\nrm -rf", "control character"),
        ("https://news.example/\tfeed.xml", "control character"),
        ("https://news.example:99999/feed.xml", "port"),
        ("https://news.example:0/feed.xml", "port"),
        ("https://news.example/" + "a" * 20_000, "at most 8,192"),  # a page of text pasted after the address
    ],
)
def test_sources_add_refuses_an_address_no_fetch_could_ever_use(db_path, story, url, why):
    """Each was stored, then failed at every poll as "not a valid web address"; a line break split `sources`."""
    before = _dump(db_path)
    result = CliRunner().invoke(cli, ["--db", str(db_path), "sources", "add", story["slug"], url, "--kind", "feed"])
    line = _one_line_error(result)
    assert why in line and len(line) < 300, line
    assert len(result.output.strip().splitlines()) == 1, result.output
    assert _dump(db_path) == before


def test_ingest_of_an_address_longer_than_any_site_takes_is_one_short_line(db_path, story):
    """It was fetched (every server refuses it) and its 20 kB were printed and kept in the fetch log."""
    before = _dump(db_path)
    url = "https://news.example/" + "a" * 20_000
    result = CliRunner().invoke(cli, ["--db", str(db_path), "ingest", story["slug"], url])
    (line,) = result.output.strip().splitlines()
    assert line.startswith("failed: https://news.example/aaa") and "at most 8,192" in line and len(line) < 400, line
    assert _dump(db_path) == before


def test_stories_add_refuses_a_slug_longer_than_the_editor_allows(db_path):
    """The editor's form stops at 80 characters in the browser only; a 100 kB slug made a story no page could open."""
    before = _dump(db_path)
    result = CliRunner().invoke(cli, ["--db", str(db_path), "stories", "add", "a" * 100_000, "--title", "Long"])
    line = _one_line_error(result)
    assert "at most 80" in line and len(line) < 300, line
    assert _dump(db_path) == before
    ok = CliRunner().invoke(cli, ["--db", str(db_path), "stories", "add", "a" * 80, "--title", "Long"])
    assert ok.exit_code == 0, ok.output


@pytest.mark.parametrize("command", [("stories",), ("init",), ("stories", "add", "acme", "--title", "Acme")])
def test_another_programs_database_is_refused_with_its_file_untouched(tmp_path, command):
    """The refusal says the file was left unchanged; opening it had already switched it to WAL (its header)."""
    other = tmp_path / "notes.db"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
    conn.commit()
    conn.close()
    before = other.read_bytes()
    result = CliRunner().invoke(cli, ["--db", str(other), *command])
    line = _one_line_error(result)
    assert "not a Newsroom Tracker database" in line, line
    assert other.read_bytes() == before
    assert sqlite3.connect(other).execute("PRAGMA journal_mode").fetchone() == ("delete",)


@pytest.mark.parametrize("every", ["1e300", "99999999999d", "2d"])
def test_watch_refuses_an_interval_beyond_a_day(db_path, story, site, every):
    """A source's next poll is a date `every` away: 1e300 seconds was an OverflowError traceback in the first pass."""
    from tests.sites import rss
    from tracker import sources
    from tracker.db import connect

    feed = site.put("/feed.xml", rss("Example Gazette", []), content_type="application/rss+xml")
    db = connect(db_path)
    sources.add_source(db, story["id"], feed, "feed")
    db.close()
    before = _dump(db_path)
    result = CliRunner().invoke(
        cli,
        ["--db", str(db_path), "watch", story["slug"], "--every", every, "--no-alerts"],
        env={"TRACKER_ALLOW_PRIVATE": "1", "TRACKER_MIN_INTERVAL": "0"},
    )
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output and "the longest interval is a day" in result.output, result.output
    assert _dump(db_path) == before


@pytest.mark.parametrize("target", ["", "   "])
def test_ingest_of_an_empty_argument_says_so(db_path, story, target):
    """`ingest STORY "$UNSET"` read the empty path as the current folder: "failed: : is a directory"."""
    before = _dump(db_path)
    result = CliRunner().invoke(cli, ["--db", str(db_path), "ingest", story["slug"], target])
    assert result.exit_code == 1, result.output
    assert "an empty argument" in result.output and "directory" not in result.output, result.output
    assert _dump(db_path) == before


@pytest.mark.parametrize("command", [("stories",), ("init",)])
def test_a_device_or_pipe_as_the_database_is_refused_without_a_trace(tmp_path, command):
    """--db /dev/null was "disk I/O error ... check the file with PRAGMA integrity_check" and left /dev/null-journal."""
    import os

    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    result = CliRunner().invoke(cli, ["--db", str(pipe), *command])
    line = _one_line_error(result)
    assert "not a database file" in line and "I/O" not in line, line
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pipe"]


def test_a_rollback_journal_database_with_a_hot_journal_still_opens(db_path, story, tmp_path):
    """A restored backup (rollback journal mode) that another program was killed writing to: the look before
    opening it cannot roll the journal back, opening it does, as before."""
    import subprocess
    import sys

    copy = tmp_path / "restored.db"
    assert CliRunner().invoke(cli, ["--db", str(db_path), "backup", str(copy)]).exit_code == 0
    killed_mid_write = (
        "import os, sqlite3, sys\n"
        "c = sqlite3.connect(sys.argv[1], isolation_level=None)\n"
        "c.execute('PRAGMA cache_size = 2')\n"
        "c.execute('BEGIN')\n"
        "c.execute('CREATE TABLE junk (x)')\n"
        "for _ in range(300):\n"
        "    c.execute('INSERT INTO junk VALUES (randomblob(4000))')\n"
        "os._exit(0)\n"
    )
    subprocess.run([sys.executable, "-c", killed_mid_write, str(copy)], check=True, timeout=60)
    assert Path(f"{copy}-journal").stat().st_size > 0
    result = CliRunner().invoke(cli, ["--db", str(copy), "stories"])
    assert result.exit_code == 0, result.output
    assert story["slug"] in result.output


def test_serve_refuses_a_public_database_name_it_cannot_serve_before_building_it(db_path, tmp_path):
    """`serve --public-db site.db` built site.db, then said the file must be named public.db."""
    wrong = tmp_path / "site.db"
    result = CliRunner().invoke(cli, ["--db", str(db_path), "serve", "--public-db", str(wrong)])
    line = _one_line_error(result)
    assert "public.db" in line and "Built" not in result.output, result.output
    assert not wrong.exists()


def test_watch_of_a_story_that_does_not_exist_is_one_line(db_path):
    """It said "Watching nosuch every 1m; Ctrl-C to stop." first, as if it had started."""
    result = CliRunner().invoke(cli, ["--db", str(db_path), "watch", "nosuch", "--every", "1m", "--no-alerts"])
    line = _one_line_error(result)
    assert "No story with slug 'nosuch'" in line
    assert len(result.output.strip().splitlines()) == 1, result.output


def test_users_token_with_standard_output_closed_creates_no_token(db_path, accounts):
    """`users token ana >&-` stored a token no one would ever see, and exited 0."""
    import os
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-m", "tracker", "--db", str(db_path), "users", "token", accounts["editor"]["username"]],
        cwd=ROOT,
        preexec_fn=lambda: os.close(1),
        stderr=subprocess.PIPE,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1, result.stderr
    assert "standard output is closed" in result.stderr.lower() and "Traceback" not in result.stderr, result.stderr
    conn = sqlite3.connect(db_path)
    assert conn.execute("SELECT count(*) FROM api_tokens").fetchone() == (0,)
    conn.close()


@pytest.mark.parametrize(
    "name,value",
    [("TRACKER_USER_AGENT", "Bot\r\nX-Evil: 1"), ("TRACKER_CONTACT_URL", "https://desk.example/\ncontact")],
)
def test_a_user_agent_with_a_line_break_is_a_setting_error(db_path, name, value):
    """It reached the first fetch as an "Invalid header value" ValueError traceback."""
    result = CliRunner().invoke(cli, ["--db", str(db_path), "stories"], env={name: value})
    line = _one_line_error(result)
    assert name in line and "control character" in line, line


@pytest.mark.parametrize("method", ["bogus", "pbkdf2:no-such-hash", "scrypt:x"])
def test_an_unknown_password_hash_method_is_one_line_and_adds_no_account(db_path, method):
    """TRACKER_PASSWORD_METHOD=bogus was werkzeug's "Invalid hash method" ValueError traceback."""
    before = _dump(db_path)
    result = CliRunner().invoke(
        cli,
        ["--db", str(db_path), "users", "add", "ana", "--password-stdin"],
        input="kettle-lantern-orbit\n",
        env={"TRACKER_PASSWORD_METHOD": method},
    )
    line = _one_line_error(result)
    assert "TRACKER_PASSWORD_METHOD" in line, line
    assert _dump(db_path) == before


def test_ingest_of_a_url_with_credentials_stores_no_password(db_path, story, site):
    """sources add drops a user:password@ part; ingest kept it in the fetch log and the capture's address."""
    from tests.sites import article

    url = site.put("/acme.html", article("Acme recalls toasters", ["Acme said it would recall every toaster."]))
    with_password = url.replace("http://", "http://desk:s3cret-pass@")
    result = CliRunner().invoke(
        cli,
        ["--db", str(db_path), "ingest", story["slug"], with_password],
        env={"TRACKER_ALLOW_PRIVATE": "1", "TRACKER_MIN_INTERVAL": "0"},
    )
    assert result.exit_code == 0, result.output
    assert not [line for line in _dump(db_path) if "s3cret-pass" in line]
    assert "Authorization" not in site.hits("/acme.html")[0].headers


def test_a_story_title_with_an_escape_code_is_refused(db_path):
    """`stories` prints titles to a terminal, which runs an escape code in one (here: clear the screen)."""
    before = _dump(db_path)
    result = CliRunner().invoke(cli, ["--db", str(db_path), "stories", "add", "acme", "--title", "Acme\x1b[2J recall"])
    line = _one_line_error(result)
    assert "control character" in line and "\x1b" not in result.output, line
    assert _dump(db_path) == before


def test_init_inside_a_file_says_the_file_is_in_the_way(tmp_path):
    """mkdir's own words were "File exists: FILE", which says nothing of what to do."""
    blocking = tmp_path / "notes.txt"
    blocking.write_text("keep me")
    result = CliRunner().invoke(cli, ["init", "--db", str(blocking / "sub" / "tracker.db")])
    line = _one_line_error(result)
    assert f"{blocking} is a file" in line and "another path" in line, line
    assert blocking.read_text() == "keep me"


@pytest.mark.parametrize("command", [["init"], ["demo"]])
def test_a_database_in_a_missing_folder_is_refused_and_creates_nothing(tmp_path, command):
    """`init --db /srv/trackr/x.db` (a typo) made the whole folder tree and a database nobody would find, while
    `backup` refused a missing folder: a mistyped --db is said in one line, naming the folder."""
    missing = tmp_path / "nonexistent" / "dir"
    result = CliRunner().invoke(cli, [*command, "--db", str(missing / "x.db")])
    assert result.exit_code == 1, result.output
    assert _one_line_error(result) == (
        f"Error: Cannot create the database {missing / 'x.db'}: the folder {missing} does not exist; "
        "create it first or check --db."
    )
    assert not (tmp_path / "nonexistent").exists()


def test_the_project_s_own_data_folder_is_made_when_missing(tmp_path, monkeypatch):
    """`make run` on a checkout without data/ (only the default database goes there) still starts."""
    from tracker import config, db

    monkeypatch.setattr(config, "DATA_DIR", tmp_path / "data")
    connect_db = db.connect(tmp_path / "data" / "tracker.db")
    connect_db.close()
    assert (tmp_path / "data" / "tracker.db").is_file()


def ctrl_c_as_at_a_terminal() -> None:
    """In the child before it runs: SIGINT as a terminal's Ctrl-C delivers it. A job a script starts in the
    background (`make test &`, some CI runners) inherits SIGINT ignored, and Python then never turns it into
    KeyboardInterrupt, so the test would see no interruption at all."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_DFL)


def test_ctrl_c_while_the_command_line_is_still_loading_is_one_line_not_a_traceback(db_path):
    """Ctrl-C in the second or so the command spends loading its modules printed thirty lines of import machinery."""
    import os
    import subprocess
    import sys

    # A real SIGINT, sent by the process to itself the moment the command line's first module is imported.
    loading = (
        "import builtins, os, runpy, signal, sys\n"
        "real = builtins.__import__\n"
        "def interrupted(name, *args, **kwargs):\n"
        "    if name == 'click':\n"
        "        builtins.__import__ = real\n"
        "        os.kill(os.getpid(), signal.SIGINT)\n"
        "    return real(name, *args, **kwargs)\n"
        "builtins.__import__ = interrupted\n"
        f"sys.argv = ['tracker', '--db', {str(db_path)!r}, 'stories', 'add', 'acme', '--title', 'Acme']\n"
        "runpy.run_module('tracker', run_name='__main__', alter_sys=True)\n"
    )
    before = _dump(db_path)
    result = subprocess.run(
        [sys.executable, "-c", loading],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env=os.environ,
        preexec_fn=ctrl_c_as_at_a_terminal,
    )
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr and "KeyboardInterrupt" not in result.stderr, result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "nothing was changed" in result.stderr, result.stderr
    assert _dump(db_path) == before


@pytest.mark.parametrize("args", [("users", "add", "kim"), ("users", "passwd", "edith")])
def test_a_password_prompt_with_no_terminal_says_to_pipe_it_with_password_stdin(db_path, args):
    """`echo "$PASSWORD" | users add kim` without --password-stdin: Python's getpass warning, then "Aborted!"."""
    import subprocess
    import sys

    from tracker import users
    from tracker.db import connect

    db = connect(db_path)
    users.add_user(db, "edith", "correct-horse-battery-staple", "editor")
    db.close()
    before = _dump(db_path)
    result = subprocess.run(
        [sys.executable, "-m", "tracker", "--db", str(db_path), *args],
        cwd=ROOT,
        input="kettle-lantern-orbit-meadow\n",
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1, result.stderr
    assert "Warning" not in result.stderr and "Aborted" not in result.stderr, result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "--password-stdin" in result.stderr, result.stderr
    assert _dump(db_path) == before


@pytest.mark.parametrize(
    "args",
    [
        ("sources", ""),
        ("sources", "list", " "),
        ("sources", "add", "", "https://gazette.example/feed.xml", "--kind", "feed"),
        ("scrape", ""),
        ("watch", ""),
        ("candidates", "", "--extract"),
        ("score-candidates", ""),
        ("ingest", "", "https://gazette.example/a.html"),
    ],
)
def test_an_empty_story_name_is_refused_not_taken_for_every_story(db_path, story, args):
    """`scrape "$STORY"` with STORY unset scraped every story; `sources ""` listed every story's sources."""
    before = _dump(db_path)
    result = CliRunner().invoke(cli, ["--db", str(db_path), *args])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output and "an empty story name" in result.output, result.output
    assert _dump(db_path) == before


@pytest.mark.parametrize("command", [("stories",), ("init",), ("users", "list")])
def test_a_file_that_is_not_sqlite_at_all_is_named_so_not_called_damaged(tmp_path, command):
    """`--db notes.txt` said "Database error ... if it happens again, check the file with PRAGMA integrity_check"."""
    notes = tmp_path / "notes.txt"
    notes.write_text("Riverton bridge: call the county engineer back\n" * 50)
    before = notes.read_bytes()
    result = CliRunner().invoke(cli, ["--db", str(notes), *command])
    line = _one_line_error(result)
    assert f"{notes} is not a SQLite database" in line and "--db" in line, line
    assert "integrity_check" not in line, line
    assert notes.read_bytes() == before


@pytest.mark.parametrize(
    "slug,suggested",
    [("brücke-köln", "brucke-koln"), ("Mill-Street", "mill-street"), ("mill street", "mill-street"), ("мост", None)],
)
def test_a_short_name_that_cannot_be_used_suggests_one_that_can(db_path, slug, suggested):
    """'brücke-köln' was told to use "lowercase letters", which ü and ö are; the editor would have made brucke-koln."""
    before = _dump(db_path)
    result = CliRunner().invoke(cli, ["--db", str(db_path), "stories", "add", slug, "--title", "Bridge"])
    line = _one_line_error(result)
    assert "a-z" in line, line
    if suggested:
        assert f"try {suggested!r}" in line, line
    else:
        assert "try " not in line, line
    assert _dump(db_path) == before


@pytest.mark.parametrize("typed", ["test-stroy", "Test-Story", "test-storey"])
def test_a_misspelled_story_names_the_one_meant(db_path, story, typed):
    before = _dump(db_path)
    result = CliRunner().invoke(cli, ["--db", str(db_path), "sources", typed])
    line = _one_line_error(result)
    assert f"No story with slug {typed!r}" in line and "did you mean 'test-story'?" in line, line
    assert _dump(db_path) == before


def test_a_story_name_like_none_suggests_nothing(db_path, story):
    result = CliRunner().invoke(cli, ["--db", str(db_path), "scrape", "no-such-story"])
    assert (
        _one_line_error(result) == "Error: No story with slug 'no-such-story'. `python -m tracker stories` lists them."
    )


def test_backup_to_an_empty_path_says_so(db_path, tmp_path, monkeypatch):
    """`backup "$UNSET"` said ". already exists; choose a new path for the backup"."""
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["--db", str(db_path), "backup", ""])
    assert result.exit_code == 2, result.output
    assert "an empty path" in result.output and "already exists" not in result.output, result.output


def test_sources_add_with_an_empty_every_is_refused_not_ignored(db_path, story):
    """`--every "$UNSET"` added the source with no interval of its own, as if the option had not been given."""
    before = _dump(db_path)
    url = "https://gazette.example/feed.xml"
    result = CliRunner().invoke(
        cli, ["--db", str(db_path), "sources", "add", "test-story", url, "--kind", "feed", "--every", ""]
    )
    assert result.exit_code == 2, result.output
    assert "not a duration" in result.output, result.output
    assert _dump(db_path) == before


@pytest.mark.parametrize("command", ["extract", "extract-claims", "check-worthiness"])
def test_an_empty_file_argument_says_so(command):
    """`extract "$UNSET"` said "Error: : No such file or directory"."""
    result = CliRunner().invoke(cli, [command, ""])
    assert result.exit_code == 1, result.output
    line = result.output.strip().splitlines()[-1]
    assert line.startswith("Error: an empty path") and "- for standard input" in line, line


@pytest.mark.parametrize("stop", ["SIGINT", "SIGTERM"])
def test_ingest_stopped_by_ctrl_c_says_what_it_kept_and_what_to_run(db_path, story, site, stop):
    """Ctrl-C during the second of two addresses ended on "Aborted!": nothing said the first was kept. SIGTERM (what
    `timeout`, systemd and kill send) ended it with no word at all."""
    import os
    import signal
    import subprocess
    import sys
    import threading

    page = "<html><head><title>Acme recall</title></head><body><article><p>Acme recalled toasters.</p></article>"
    first = site.put("/first.html", page)
    held = threading.Event()
    second = site.put("/second.html", page, hold=held)
    env = {**os.environ, "TRACKER_DB": str(db_path), "TRACKER_ALLOW_PRIVATE": "1", "TRACKER_MIN_INTERVAL": "0"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "tracker", "ingest", story["slug"], first, second],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=ctrl_c_as_at_a_terminal,
    )
    try:
        waited = threading.Event()
        for _ in range(1200):  # the second address's request has arrived and waits for its answer
            if site.held:
                break
            waited.wait(0.05)
        assert site.held, "ingest never asked for the second address"
        proc.send_signal(getattr(signal, stop))
        out, err = proc.communicate(timeout=60)
    finally:
        held.set()
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 1, err
    assert "Traceback" not in err and "Aborted" not in err, err
    assert first in out, out
    line = err.strip().splitlines()[-1]
    assert "1 of 2" in line and "candidates" in line and "--extract" in line, line
    assert ("(Ctrl-C)" if stop == "SIGINT" else "(SIGTERM)") in line, line
    stored = sqlite3.connect(db_path).execute("SELECT canonical_url FROM coverage").fetchall()
    assert stored == [(first,)]


@pytest.mark.parametrize("username", ["zoë", "ana maría"])
def test_a_username_refused_names_itself_and_the_letters_allowed(db_path, username):
    """'zoë' was told usernames are "letters, digits ...", which ë is."""
    before = _dump(db_path)
    result = CliRunner().invoke(cli, ["--db", str(db_path), "users", "add", username, "--password-stdin"], input="x\n")
    line = _one_line_error(result)
    assert repr(username) in line and "a-z" in line, line
    assert _dump(db_path) == before


def test_stories_with_a_story_name_shows_that_story_as_sources_and_candidates_do(db_path, story):
    """`stories test-story` said "No such command 'test-story'", where `sources test-story` lists its sources."""
    CliRunner().invoke(cli, ["--db", str(db_path), "stories", "add", "other", "--title", "Other"])
    shown = CliRunner().invoke(cli, ["--db", str(db_path), "stories", "test-story"])
    assert shown.exit_code == 0, shown.output
    assert "test-story" in shown.output and "other" not in shown.output, shown.output
    mistyped = CliRunner().invoke(cli, ["--db", str(db_path), "stories", "test-stroy"])
    assert "did you mean 'test-story'?" in _one_line_error(mistyped)


def test_a_word_both_kept_and_excluded_is_refused(db_path):
    """`--keywords "Acme" --exclude "acme"` made a story no feed entry could ever join, without a word."""
    before = _dump(db_path)
    args = ["stories", "add", "acme", "--title", "Acme", "--keywords", "Acme, toaster", "--exclude", "anvil, acme"]
    line = _one_line_error(CliRunner().invoke(cli, ["--db", str(db_path), *args]))
    assert "'acme'" in line and "both" in line, line
    assert _dump(db_path) == before


def test_a_story_title_with_a_line_break_is_refused(db_path):
    """A title "Acme\\nrecall" was stored and broke the one-line-a-story list of `stories` in two."""
    before = _dump(db_path)
    result = CliRunner().invoke(cli, ["--db", str(db_path), "stories", "add", "acme", "--title", "Acme\nrecall"])
    line = _one_line_error(result)
    assert "title" in line and "line break" in line, line
    assert _dump(db_path) == before


def test_backup_into_a_missing_folder_is_refused_and_creates_nothing(db_path, tmp_path):
    """`backup /srv/bakups/x.db` (a typo) created the whole folder tree; `publish --out` refuses a missing folder."""
    missing = tmp_path / "nonexistent" / "dir"
    result = CliRunner().invoke(cli, ["--db", str(db_path), "backup", str(missing / "x.db")])
    assert result.exit_code == 1, result.output
    assert _one_line_error(result) == (
        f"Error: Cannot back up to {missing / 'x.db'}: the folder {missing} does not exist; create it first."
    )
    assert not (tmp_path / "nonexistent").exists()


@pytest.mark.parametrize(
    "args,command",
    [
        (["sources", "add", "--kind", "rss"], "sources add"),
        (["--db", "", "stories"], ""),
        (["backup"], "backup"),
        (["no-such-command"], ""),
        (["users", "end-sessions"], "users end-sessions"),
    ],
)
def test_usage_errors_are_one_line_naming_the_help(db_path, args, command):
    """Usage, a "Try ..." line, a blank line and the error: four lines where the README promises one."""
    result = CliRunner().invoke(cli, args, prog_name="python -m tracker", env={"TRACKER_DB": str(db_path)})
    assert result.exit_code == 2, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.output
    assert lines[0].endswith(f"(see `{' '.join(['python -m tracker', command]).strip()} --help`)"), lines[0]


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["sources", "resume", "abc"], "'abc' is not a valid whole number"),
        (["sources", "pause", "1.5"], "'1.5' is not a valid whole number"),
        (["demo-live-hosts", "--port", "abc"], "'abc' is not a valid whole number"),
        (["serve", "--workers", "two"], "'two' is not a valid whole number"),
        (["demo-live", "--pace", "fast"], "'fast' is not a valid number"),
    ],
)
def test_a_word_where_a_number_goes_is_called_not_a_number(db_path, args, said):
    """`sources resume abc` answered "'abc' is not a valid integer range.": no range was asked for, and a
    reporter who typed a story's name where the id goes was not told a number was wanted."""
    result = CliRunner().invoke(cli, ["--db", str(db_path), *args])
    assert result.exit_code == 2
    assert said in result.output and "range" not in result.output.split("(see")[0], result.output


def test_a_pipe_as_the_public_file_is_refused_not_waited_on(db_path, story, tmp_path):
    """`publish --out` a named pipe (or a device) waited for ever on the first read of the file it would replace;
    the folder's check said nothing of files that are not files."""
    import os
    import subprocess
    import sys

    folder = tmp_path / "out"
    folder.mkdir()
    pipe = folder / "public.db"
    os.mkfifo(pipe)
    result = subprocess.run(
        [sys.executable, "-m", "tracker", "--db", str(db_path), "publish", "--yes", "--out", str(pipe)],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=Path(__file__).resolve().parent.parent,
    )
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        f"Error: {pipe} is not a database file (a device or a pipe): give a regular file's path."
    ]
    assert sorted(p.name for p in folder.iterdir()) == ["public.db"]


@pytest.mark.parametrize(
    "args",
    [
        ["demo-live", "--pace", "nan"],
        ["demo-live", "--pace", "NaN"],
        ["alerts", "run", "--poll", "nan"],
    ],
)
def test_nan_where_a_number_goes_is_refused_before_the_command_starts(tmp_path, args):
    """float() takes "nan", and a range check passes it (every comparison with NaN is false): `demo-live --pace nan`
    started the demo with stages that never came due. The settings (DEMO_PACE=nan) already refused it."""
    missing = tmp_path / "missing" / "tracker.db"  # accepted, the command would get as far as the database
    result = CliRunner().invoke(cli, ["--db", str(missing), *args], prog_name="python -m tracker")
    assert result.exit_code == 2, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and f"'{args[-1]}' is not a valid number" in lines[0], result.output
    assert not missing.parent.exists()


def test_publish_while_another_program_keeps_the_database_locked_says_which_and_what_to_do(
    db_path, story, tmp_path, monkeypatch
):
    """A sqlite3 shell left inside a change: publish ended on "the publish log could not be written. database is
    locked", naming neither the file held nor what to do, where every other command says both."""
    import tracker.db

    monkeypatch.setattr(tracker.db, "BUSY_TIMEOUT_MS", 50)
    out = tmp_path / "public.db"
    shell = sqlite3.connect(db_path, isolation_level=None)
    shell.execute("BEGIN IMMEDIATE")
    try:
        result = CliRunner().invoke(cli, ["--db", str(db_path), "publish", "--yes", "--out", str(out)])
    finally:
        shell.execute("ROLLBACK")
        shell.close()
    line = _one_line_error(result)
    assert f"Nothing was published and {out} was left unchanged" in line, line
    assert f"{db_path} is locked by another program" in line and "Close that program" in line, line
    assert not out.exists()
    again = CliRunner().invoke(cli, ["--db", str(db_path), "publish", "--yes", "--out", str(out)])
    assert again.exit_code == 0, again.output


@pytest.mark.parametrize("output", ["a full output (/dev/full)", "a pipe no one reads"])
def test_users_token_that_could_not_be_shown_leaves_no_token(db_path, accounts, output):
    """`users token ana > /dev/full` (or into a pipe whose reader has gone) stored a working token no one had seen,
    and the error said what the command saved was kept."""
    import os
    import subprocess
    import sys

    if output.startswith("a full"):
        stdout = os.open("/dev/full", os.O_WRONLY)
    else:
        read_end, stdout = os.pipe()
        os.close(read_end)  # the reader is gone before the token is written
    try:
        result = subprocess.run(
            [sys.executable, "-m", "tracker", "--db", str(db_path), "users", "token", accounts["editor"]["username"]],
            cwd=ROOT,
            stdout=stdout,
            stderr=subprocess.PIPE,
            text=True,
            timeout=120,
        )
    finally:
        os.close(stdout)
    assert "Traceback" not in result.stderr, result.stderr
    if output.startswith("a full"):
        assert result.returncode == 1, result.stderr
        last = result.stderr.strip().splitlines()[-1]
        assert last.startswith("Error: Could not write to standard output (/dev/full)") and "no token" in last, last
    else:
        assert result.returncode == 141, result.stderr  # ended quietly, as `| head` ends Unix tools
    conn = sqlite3.connect(db_path)
    assert conn.execute("SELECT count(*) FROM api_tokens").fetchone() == (0,)
    conn.close()


@pytest.mark.parametrize("output", ["a full output (/dev/full)", "a pipe no one reads"])
def test_demo_whose_output_is_lost_says_how_to_set_the_demo_editor_s_password(tmp_path, output):
    """`demo > /dev/full` on a new database loaded the demo and lost the password it shows once, saying only "run it
    again": run again, it said "already loaded; nothing changed", and the password was never seen."""
    import os
    import subprocess
    import sys

    db_path = tmp_path / "new.db"
    if output.startswith("a full"):
        stdout = os.open("/dev/full", os.O_WRONLY)
    else:
        read_end, stdout = os.pipe()
        os.close(read_end)  # the reader is gone before the first line is written
    try:
        result = subprocess.run(
            [sys.executable, "-m", "tracker", "--db", str(db_path), "demo"],
            cwd=ROOT,
            stdout=stdout,
            stderr=subprocess.PIPE,
            text=True,
            timeout=120,
        )
    finally:
        os.close(stdout)
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode == (1 if output.startswith("a full") else 141), result.stderr
    last = result.stderr.strip().splitlines()[-1]
    assert "python -m tracker users passwd demo-editor" in last, result.stderr
    conn = sqlite3.connect(db_path)
    assert conn.execute("SELECT count(*) FROM users WHERE username = 'demo-editor'").fetchone() == (1,)
    conn.close()


def test_candidates_extract_shows_progress_and_stops_on_ctrl_c_saying_what_it_added(db_path, story):
    """`candidates --extract` over many waiting texts ran half a minute without a word, and Ctrl-C ended it on
    "Aborted!", with nothing said of the candidates it had added (kept) or of the texts still waiting."""
    import re
    import signal
    import subprocess
    import sys

    from tracker.db import connect
    from tracker.store import ingest_page

    db = connect(db_path)
    for n in range(40):
        said = "".join(
            f"<p>Acme said on day {k} that toaster batch {n * 100 + k} was recalled, a spokesperson confirmed.</p>"
            for k in range(150)
        )
        page = f"<html><head><title>Acme recall {n}</title></head><body><article><h1>Acme {n}</h1>{said}</article>"
        ingest_page(db, story, f"https://news.example/acme-{n}.html", page.encode())  # stored, waiting for claims
    db.close()
    proc = subprocess.Popen(
        [sys.executable, "-m", "tracker", "--db", str(db_path), "candidates", story["slug"], "--extract"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=ctrl_c_as_at_a_terminal,
    )
    try:
        first = proc.stderr.readline()  # the first text is read: the run is under way
        assert f"{story['slug']}: read 1 of 40 text(s) for claims" in first, first
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert "Traceback" not in err and "Aborted" not in err, err
    added, revisions = map(int, re.search(r"(\d+) candidate\(s\) added from (\d+) revision\(s\)", out).groups())
    conn = sqlite3.connect(db_path)
    assert conn.execute("SELECT count(*) FROM candidates").fetchone() == (added,)
    waiting = conn.execute("SELECT count(*) FROM revisions WHERE extracted_at IS NULL").fetchone()[0]
    conn.close()
    assert 1 <= revisions < 40 and waiting == 40 - revisions, out
    assert f"({waiting} text(s) not yet read for claims: --extract)" in out, out
    assert "--extract" in err.strip().splitlines()[-1], err


@pytest.mark.parametrize(
    "command",
    [
        ["stories"],
        ["users", "list"],
        ["scrape"],
        ["sources", "add", "acme", "https://news.example/f.xml", "--kind", "feed"],
    ],
    ids=lambda c: " ".join(c[:2]),
)
def test_an_empty_file_as_the_database_is_refused_as_a_missing_one_is(tmp_path, command):
    """A database file cut to nothing (a restore onto a full disk, `touch`) was silently made a new, empty database
    by any command: `stories` said "No stories yet" and `watch` would have started filling it, where a missing file
    is refused with "run init first"."""
    empty = tmp_path / "tracker.db"
    empty.touch()
    result = CliRunner().invoke(cli, ["--db", str(empty), *command])
    line = _one_line_error(result)
    assert f"{empty} is an empty file" in line and f"python -m tracker init --db {empty}" in line, line
    assert empty.stat().st_size == 0 and sorted(p.name for p in tmp_path.iterdir()) == ["tracker.db"]
    assert CliRunner().invoke(cli, ["--db", str(empty), "init"]).exit_code == 0  # init makes it a database
    assert CliRunner().invoke(cli, ["--db", str(empty), "stories"]).exit_code == 0


def test_ingest_shows_progress_while_it_reads_what_it_stored_for_claims(db_path, story, tmp_path):
    """After the last target's line, ingest read every text for claims without a word: half a minute for sixty
    long pages, as if it had hung."""
    pages = []
    for n in range(3):
        page = tmp_path / f"acme-{n}.html"
        said = "".join(f"<p>Acme said toaster batch {n * 10 + k} was recalled, officials said.</p>" for k in range(5))
        page.write_text(f"<html><head><title>Acme {n}</title></head><body><article><h1>Acme {n}</h1>{said}</article>")
        pages.append(str(page))
    result = CliRunner().invoke(cli, ["--db", str(db_path), "ingest", story["slug"], *pages])
    assert result.exit_code == 0, result.output
    assert f"{story['slug']}: read 3 of 3 text(s) for claims" in result.output, result.output


@pytest.mark.parametrize("args", [[], ["users"], ["alerts"]], ids=lambda a: " ".join(a) or "nothing")
def test_a_group_given_no_command_shows_its_help_not_an_error_wrapped_round_it(db_path, args):
    """`python -m tracker` alone (or `users`) printed its whole help as "Error: Usage: ..." ending in "(see
    `python -m tracker --help`)": the help, framed as an error that pointed to itself."""
    result = CliRunner().invoke(cli, args, prog_name="python -m tracker", env={"TRACKER_DB": str(db_path)})
    assert result.exit_code == 2, result.output
    assert result.output.startswith(f"Usage: {' '.join(['python -m tracker', *args])} [OPTIONS] COMMAND"), result.output
    assert "Error" not in result.output and "(see `" not in result.output, result.output


def _limited_memory(megabytes: int):
    """A preexec_fn capping the child's address space: a command whose memory grows with its input fails in it."""
    import resource

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (megabytes * 2**20, megabytes * 2**20))

    return limit


def test_check_worthiness_refuses_a_line_far_longer_than_a_sentence_before_scoring_anything(tmp_path):
    """One 6 MB line (a text saved without line breaks) was scored as one sentence: over a minute, and memory
    growing with the line (160,000 words took 344 MB), so a big enough line exhausted the machine."""
    import os
    import subprocess
    import sys

    file = tmp_path / "one-line.txt"
    sentence = "The minister said unemployment rose by 4.2 percent in March. "
    file.write_text("A first short sentence.\n" + sentence * (6 * 2**20 // len(sentence)) + "\n", encoding="utf-8")
    env = {**os.environ, "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1"}
    small = tmp_path / "small.txt"
    small.write_text(sentence + "\n", encoding="utf-8")
    args = [sys.executable, "-m", "tracker", "check-worthiness"]
    fits = subprocess.run(
        [*args, str(small)], cwd=ROOT, env=env, capture_output=True, text=True, preexec_fn=_limited_memory(1024)
    )
    assert fits.returncode == 0 and fits.stdout.count("\n") == 1, fits.stderr[-2000:]  # the limit leaves room

    done = subprocess.run(
        [*args, str(file)], cwd=ROOT, env=env, capture_output=True, text=True, preexec_fn=_limited_memory(1024)
    )
    assert done.returncode == 1 and done.stdout == "", done.stderr[-2000:]
    assert done.stderr.strip().splitlines() == [
        f"Error: {file}: line 2 is {len(sentence) * (6 * 2**20 // len(sentence)) - 1:,} characters long, longer "
        "than any sentence (at most 5,000); put one sentence a line"
    ]


def test_check_worthiness_scores_in_batches_bounded_by_their_length():
    """Batches of a thousand lines each: a thousand lines of a few thousand characters each were scored in
    one model call, and its memory grows with the words in the batch (1,000 lines of 300 words: 400 MB)."""
    from tracker.cli.checkworthiness import BATCH_CHARACTERS, MAX_SENTENCE, batches

    lines = [(n, "word " * (MAX_SENTENCE // 5)) for n in range(1, 2001)] + [(2001, "short")] * 3000
    done = list(batches(lines))
    assert [line for batch in done for line in batch] == lines  # every line, once, in order
    assert all(sum(len(text) for _, text in batch) <= max(BATCH_CHARACTERS, MAX_SENTENCE) for batch in done)
    assert max(len(batch) for batch in done) == 1000  # short lines still go a thousand at a time


SAVE_AS_UTF8 = (
    "save it as UTF-8 and try again (a text editor's Save As offers the encoding; or iconv -f WINDOWS-1252 -t UTF-8)"
)


@pytest.mark.parametrize("command", ["extract-claims", "check-worthiness"])
def test_a_text_file_that_is_not_utf8_is_refused_alike_by_both_commands(tmp_path, command):
    """Notes saved as Windows-1252: extract-claims guessed an encoding (a wrong guess turns quotes and accents
    into other letters, and every offset with them) while check-worthiness refused the same file."""
    notes = tmp_path / "notes.txt"
    notes.write_bytes("The minister said the caf\u00e9 had \u201cno licence\u201d.\n".encode("cp1252"))
    result = CliRunner().invoke(cli, [command, str(notes)])
    assert result.exit_code == 1 and result.stdout == "", result.output
    assert result.stderr.strip().splitlines() == [f"Error: {notes}: not UTF-8 text (byte 25); {SAVE_AS_UTF8}"]


@pytest.mark.parametrize("encoding", ["cp1252", "utf-16", "utf-8-sig", "utf-8"])
def test_ingest_document_reads_a_text_file_by_the_rule_extract_claims_reads_it(db_path, story, tmp_path, encoding):
    """`ingest --document` guessed Windows-1252 for notes that `extract-claims` refused: one file, two readings.
    Both now take UTF-8 (with or without its mark) and UTF-16 with its mark, and refuse anything else alike."""
    import json

    from tracker.db import connect

    notes = tmp_path / "notes.txt"
    notes.write_bytes("The minister said the caf\u00e9 had \u201cno licence\u201d.\n".encode(encoding))
    before = _dump(db_path)
    claims = CliRunner().invoke(cli, ["extract-claims", str(notes)])
    ingest = CliRunner().invoke(cli, ["--db", str(db_path), "ingest", "test-story", str(notes), "--document"])
    if encoding == "cp1252":
        refusal = f"{notes}: not UTF-8 text (byte 25); {SAVE_AS_UTF8}"
        assert claims.exit_code == 1 and claims.stderr.strip().splitlines() == [f"Error: {refusal}"], claims.output
        assert ingest.exit_code == 1, ingest.output
        assert f"failed: {refusal}." in ingest.stdout.splitlines(), ingest.output
        assert "Traceback" not in ingest.output
        assert _dump(db_path) == before  # nothing stored under a guessed encoding
        return
    assert claims.exit_code == 0 and ingest.exit_code == 0, (claims.output, ingest.output)
    assert "caf\u00e9" in json.loads(claims.stdout.splitlines()[0])["text"]
    db = connect(db_path)
    stored = db.execute("SELECT text FROM revisions ORDER BY id DESC LIMIT 1").fetchone()[0]
    db.close()
    assert stored == "The minister said the caf\u00e9 had \u201cno licence\u201d.", stored


def test_ingest_refuses_notes_that_are_not_utf8_as_a_page_too(db_path, story, tmp_path):
    """Without --document a saved text file is read as a page, whose charset was guessed (Windows-1252 here) for
    notes `extract-claims` and `ingest --document` refuse: a text file without markup gets the text files' rule."""
    notes = tmp_path / "notes.txt"
    notes.write_bytes("The minister said the caf\u00e9 had \u201cno licence\u201d.\n".encode("cp1252"))
    before = _dump(db_path)
    result = CliRunner().invoke(cli, ["--db", str(db_path), "ingest", "test-story", str(notes)])
    assert result.exit_code == 1, result.output
    assert f"failed: {notes}: not UTF-8 text (byte 25); {SAVE_AS_UTF8}." in result.stdout.splitlines(), result.output
    assert _dump(db_path) == before


def test_ingest_document_holds_a_text_file_to_the_document_limit_not_a_page_s(db_path, story, tmp_path):
    """`ingest --document` read a text file as a page first, so a text document over 20 MB was refused by the
    page limit ("over the 20,971,520 byte limit for a page or feed") whatever TRACKER_DOCUMENT_MAX_MB allowed: the
    line named neither the kind nor the setting that applies. A document is held to the documents' limit."""
    notes = tmp_path / "transcript.txt"
    with notes.open("wb") as f:
        f.truncate(21 * 1024 * 1024)  # sparse: no disk used, refused before it is read
    before = _dump(db_path)
    result = CliRunner(env={"TRACKER_DOCUMENT_MAX_MB": "20"}).invoke(
        cli, ["--db", str(db_path), "ingest", "test-story", str(notes), "--document"]
    )
    assert result.exit_code == 1, result.output
    failed = [line for line in result.stdout.splitlines() if line.startswith("failed:")]
    assert len(failed) == 1 and "over the 20 MB limit for documents" in failed[0], result.output
    assert "TRACKER_DOCUMENT_MAX_MB" in failed[0] and "page or feed" not in failed[0], failed
    assert _dump(db_path) == before


@pytest.mark.parametrize("content", [b"\xef\xbb\xbf", b"\xff\xfe", b"  \n\n\t\n", b"\f\f\n"])
def test_ingest_document_refuses_a_text_file_with_no_text(db_path, story, tmp_path, content):
    """A text file of nothing but its byte-order mark or blank lines (a save that wrote nothing) was stored as a
    document flagged "no text: quote by hand or OCR", advice for a scan; an empty file was refused as empty."""
    notes = tmp_path / "notes.txt"
    notes.write_bytes(content)
    before = _dump(db_path)
    result = CliRunner().invoke(cli, ["--db", str(db_path), "ingest", "test-story", str(notes), "--document"])
    assert result.exit_code == 1, result.output
    assert f"failed: {notes}: no text in the file, only blank lines; save it again with its text." in (
        result.stdout.splitlines()
    ), result.output
    assert _dump(db_path) == before


def test_extract_claims_still_reads_a_page_in_the_charset_it_declares(tmp_path):
    """A saved page names its own charset: that is no guess, and it is read as before."""
    import json

    page = tmp_path / "page.html"
    page.write_bytes(
        '<html><head><meta charset="windows-1252"><title>Caf\u00e9s</title></head><body><article><p>The '
        "minister said the caf\u00e9 had \u201cno licence\u201d, according to officials.</p></article></body></html>"
        "".encode("cp1252")
    )
    result = CliRunner().invoke(cli, ["extract-claims", str(page)])
    assert result.exit_code == 0, result.output
    texts = [json.loads(line)["text"] for line in result.stdout.splitlines()]
    assert any("caf\u00e9" in text for text in texts), texts


@pytest.mark.parametrize("command", ["extract-claims", "check-worthiness"])
def test_a_text_file_saved_as_utf16_with_its_mark_is_read_by_both_commands(tmp_path, command):
    """Notepad's "Unicode" (UTF-16 with a byte-order mark) names its encoding: extract-claims read it, while
    check-worthiness called it "a binary file"."""
    notes = tmp_path / "notes.txt"
    notes.write_bytes("The minister said the caf\u00e9 had closed.\n".encode("utf-16"))
    result = CliRunner().invoke(cli, [command, str(notes)])
    assert result.exit_code == 0, result.output
    assert "caf\u00e9 had closed" in result.stdout, result.stdout


NOT_UTF8 = "T\udcff\udcfe"  # what Python makes of the bytes b"T\xff\xfe" on a command line: a Latin-1 terminal


@pytest.mark.parametrize(
    ("args", "named"),
    [
        (("stories", "add", "kettles", "--title", NOT_UTF8), "--title"),
        (("stories", "add", "kettles", "--title", "Kettles", "--keywords", NOT_UTF8), "--keywords"),
        (("stories", "add", "kettles", "--title", "Kettles", "--description", NOT_UTF8), "--description"),
        (("stories", NOT_UTF8), "STORY"),
        (("scrape", NOT_UTF8), "STORY"),
        (("candidates", NOT_UTF8), "STORY"),
        (("ingest", NOT_UTF8, "page.html"), "STORY"),
        (("sources", "add", "test-story", "https://example.com/\udcff", "--kind", "feed"), "URL"),
        (
            ("sources", "add", "test-story", "https://example.com/", "--kind", "statement", "--outlet", NOT_UTF8),
            "--outlet",
        ),
        (("users", "passwd", NOT_UTF8, "--password-stdin"), "USERNAME"),
        (("users", "token", NOT_UTF8), "USERNAME"),
    ],
)
def test_an_argument_that_is_not_utf8_is_one_line_naming_it_and_changes_nothing(db_path, story, accounts, args, named):
    """Bytes a terminal or script sent in another encoding (Latin-1 "café") reached SQLite as Python's stand-ins
    for them, and the command ended on a 40-line UnicodeEncodeError traceback."""
    before = _dump(db_path)
    result = CliRunner().invoke(cli, ["--db", str(db_path), *args], input="kettle-lantern-orbit\n")
    line = _one_line_error(result)
    assert named in line and "not UTF-8" in line and "nothing was changed" in line, line
    assert "\\xff" in line and "\udcff" not in line, line  # the byte as a person can read it, not a stand-in
    assert _dump(db_path) == before


def test_a_non_utf8_argument_from_a_real_terminal_is_one_line(db_path):
    """The same, as the bytes really arrive: through the process's own command line."""
    import os
    import subprocess
    import sys

    before = _dump(db_path)
    result = subprocess.run(
        [sys.executable, "-m", "tracker", "--db", str(db_path), "stories", "add", "kettles", "--title", b"Caf\xe9"],
        capture_output=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    err = result.stderr.decode("utf-8")
    assert result.returncode == 1 and "Traceback" not in err, err
    assert len(err.strip().splitlines()) == 1 and "--title" in err and "\\xe9" in err, err
    assert _dump(db_path) == before


def test_an_address_that_is_not_utf8_fails_alone_and_the_targets_before_it_are_kept(db_path, story, tmp_path):
    """`ingest STORY page.html https://ex<0xff>ample.com/`: the page was stored, then the address's stand-in byte
    ended the run on "nothing was changed" without its summary. Now that target alone fails, in its own line."""
    page = tmp_path / "page.html"
    page.write_text(
        '<html><head><title>Acme recall</title><link rel="canonical" href="https://news.example/acme"></head>'
        "<body><article><p>Acme said on Tuesday it would recall the kettles.</p></article></body></html>"
    )
    result = CliRunner().invoke(
        cli, ["--db", str(db_path), "ingest", "test-story", str(page), "https://ex\udcffample.com/"]
    )
    assert result.exit_code == 3, result.output
    failed = [line for line in result.stdout.splitlines() if line.startswith("failed:")]
    assert len(failed) == 1 and "not UTF-8" in failed[0] and "\\xff" in failed[0], result.stdout
    assert "new: 1," in result.stdout and "Traceback" not in result.output
    conn = sqlite3.connect(db_path)
    assert conn.execute("SELECT count(*) FROM coverage").fetchone()[0] == 1
    conn.close()


@pytest.mark.parametrize("command", [("init",), ("demo",), ("stories",)])
def test_a_database_path_that_is_not_utf8_is_refused_and_creates_nothing(tmp_path, command):
    """`--db` naming a folder or file in another encoding: init made an empty file there and failed on "Database
    error ... Could not decode to UTF-8 column 'file'", sending the admin to check the file for damage."""
    path = tmp_path / "caf\udce9.db"
    result = CliRunner().invoke(cli, ["--db", str(path), *command])
    line = _one_line_error(result)
    assert "not UTF-8" in line and "\\xe9" in line and "integrity" not in line, line
    assert list(tmp_path.iterdir()) == []


def test_a_file_named_in_another_encoding_is_ingested_and_named_readably(db_path, story, tmp_path):
    """A file's name is bytes, and one in Latin-1 opens as any other; its line printed the stand-in, which a
    UTF-8 standard output refuses, and the run ended on an error after storing it."""
    page = tmp_path / "caf\udce9.html"
    page.write_text(
        '<html><head><title>Acme recall</title><link rel="canonical" href="https://news.example/acme"></head>'
        "<body><article><p>Acme said on Tuesday it would recall the kettles.</p></article></body></html>"
    )
    result = CliRunner().invoke(cli, ["--db", str(db_path), "ingest", "test-story", str(page)])
    assert result.exit_code == 0, result.output
    assert f"{tmp_path}/caf\\xe9.html: page, new item https://news.example/acme" in result.stdout


@pytest.mark.parametrize("command", ["extract", "extract-claims"])
def test_a_file_named_in_another_encoding_is_read_and_named_in_valid_json(tmp_path, command):
    """extract's JSON line carried the name's stand-in byte, which a UTF-8 standard output refuses: a traceback
    (extract) or a line blaming the argument (extract-claims). The line is ASCII JSON then, read back exactly."""
    import json

    page = tmp_path / "caf\udce9.html"
    page.write_text(
        "<html><head><title>Acme</title></head><body><p>Acme said on Tuesday it would recall.</p></body></html>"
    )
    result = CliRunner().invoke(cli, [command, str(page)])
    assert result.exit_code == 0 and result.exception is None, result.output
    record = json.loads(result.stdout.splitlines()[0])
    assert record["file"] == str(page) and "Acme" in result.stdout


@pytest.mark.parametrize("stop", ["SIGINT", "SIGTERM"])
def test_backup_stopped_mid_copy_says_whether_a_backup_was_made_and_leaves_no_partial_copy(db_path, tmp_path, stop):
    """Ctrl-C during a backup's copy ended on click's "Aborted!" (was a backup made?); SIGTERM (`timeout`, systemd)
    ended it without a word and left its partial copy, as large as the database, hidden in the folder."""
    import signal
    import subprocess
    import sys
    import threading

    conn = sqlite3.connect(db_path)  # large enough that the copy takes a while: 64 MB
    conn.execute("CREATE TABLE ballast (b BLOB)")
    conn.executemany("INSERT INTO ballast VALUES (zeroblob(1048576))", [()] * 64)
    conn.commit()
    conn.close()
    folder = tmp_path / "backups"
    folder.mkdir()
    dest = folder / "copy.db"
    proc = subprocess.Popen(
        [sys.executable, "-m", "tracker", "--db", str(db_path), "backup", str(dest)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=ctrl_c_as_at_a_terminal,
    )
    try:
        waited = threading.Event()
        for _ in range(1200):  # the copy has begun: its temporary file is there
            if any(folder.iterdir()) or proc.poll() is not None:
                break
            waited.wait(0.01)
        proc.send_signal(getattr(signal, stop))
        out, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    if proc.returncode == 0 and out.startswith("Backed up"):
        pytest.skip("the copy was done before the signal came")
    assert proc.returncode == 1, (out, err)
    assert "Traceback" not in err and "Aborted" not in err, err
    line = err.strip().splitlines()[-1]
    assert len(err.strip().splitlines()) == 1 and ("(Ctrl-C)" if stop == "SIGINT" else "(SIGTERM)") in line, line
    if dest.exists():  # the signal came as the finished copy was put in place
        assert "is complete" in line, line
    else:
        assert "no backup was made" in line and "run it again" in line, line
    assert [p.name for p in folder.iterdir()] == ([dest.name] if dest.exists() else [])


def test_ctrl_c_in_a_command_without_its_own_stop_says_what_was_kept_not_aborted(db_path, accounts):
    """Ctrl-C in `users add` (waiting for its password), `init`, `demo` or `stories add` ended on click's bare
    "Aborted!": nothing said whether the account or the change was made. Each write is one transaction, rolled
    back when stopped, so the line can say the step in hand was not saved."""
    import signal
    import subprocess
    import sys
    import threading

    before = _dump(db_path)
    proc = subprocess.Popen(
        [sys.executable, "-m", "tracker", "--db", str(db_path), "users", "add", "kim", "--password-stdin"],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=ctrl_c_as_at_a_terminal,
    )
    try:
        waited = threading.Event()
        wchan = Path(f"/proc/{proc.pid}/wchan")
        for _ in range(1200):  # loaded, and reading the password from the pipe the test never writes to
            if "pipe_read" in wchan.read_text() or proc.poll() is not None:
                break
            waited.wait(0.05)
        assert "pipe_read" in wchan.read_text(), "users add never waited for its password"
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 1, (out, err)
    assert "Aborted" not in err and "Traceback" not in err, err
    assert err.strip().splitlines() == [
        "Error: Stopped (Ctrl-C) before the command was done: the step in hand was not saved (what it said it had "
        "done is kept); run it again."
    ]
    assert _dump(db_path) == before


def test_ctrl_c_at_the_password_prompt_says_nothing_was_changed(db_path):
    """Ctrl-C (or Ctrl-D) at `users add kim`'s password prompt ended on click's bare "Aborted!"."""
    import os
    import pty
    import signal
    import subprocess
    import sys

    before = _dump(db_path)
    main, secondary = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "tracker", "--db", str(db_path), "users", "add", "kim"],
        cwd=ROOT,
        stdin=secondary,
        stdout=secondary,
        stderr=secondary,
        preexec_fn=ctrl_c_as_at_a_terminal,
    )
    os.close(secondary)
    seen = b""
    try:
        while b"Password:" not in seen:  # the prompt is on the terminal, and the command waits at it
            seen += os.read(main, 1024)
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=60) == 1
        with contextlib.suppress(OSError):  # EIO once the command has closed the terminal
            while chunk := os.read(main, 1024):
                seen += chunk
    finally:
        os.close(main)
        if proc.poll() is None:
            proc.kill()
    said = seen.decode().split("Password:", 1)[1].strip().splitlines()
    assert said == ["Error: Stopped at the password prompt, so nothing was changed; run the command again to type it."]
    assert _dump(db_path) == before


def test_a_file_name_holding_an_escape_code_is_shown_not_run_on_the_terminal(db_path, story, tmp_path):
    """`ingest STORY saved/*`: a page saved under a name a site chose can hold an escape code, which the line
    naming it printed as it is, to act on the terminal (clear it, retitle it, hide what follows)."""
    page = tmp_path / "\x1b]0;owned\x07\x1b[2Jpage.html"
    page.write_text(
        '<html><head><title>Acme recall</title><link rel="canonical" href="https://news.example/acme"></head>'
        "<body><article><p>Acme said on Tuesday it would recall the kettles.</p></article></body></html>"
    )
    # color=True: as at a terminal, where click leaves escape codes in (it strips some from a pipe)
    result = CliRunner().invoke(cli, ["--db", str(db_path), "ingest", "test-story", str(page)], color=True)
    assert result.exit_code == 0, result.output
    assert "\x1b" not in result.output and "\x07" not in result.output, repr(result.output)
    assert f"{tmp_path}/\\x1b]0;owned\\x07\\x1b[2Jpage.html: page, new item" in result.stdout


def test_extract_names_a_file_it_cannot_read_without_running_its_escape_code(tmp_path):
    missing = tmp_path / "\x1b[2Jgone.html"
    result = CliRunner().invoke(cli, ["extract", str(missing)], color=True)
    assert result.exit_code == 1
    assert "\x1b" not in result.output and f"{tmp_path}/\\x1b[2Jgone.html" in result.output, repr(result.output)


@pytest.mark.parametrize("command", [("init",), ("stories",)])
def test_a_database_path_ending_in_a_slash_is_taken_for_a_folder_not_made_a_file(tmp_path, command):
    """`--db backups/new/` (a folder meant): init made a database file named `new`, which `stories` then could not
    open ("Not a directory")."""
    folder = tmp_path / "new"
    result = CliRunner().invoke(cli, ["--db", f"{folder}/", *command])
    line = _one_line_error(result)
    assert "folder" in line and f"{folder}/tracker.db" in line, line
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("link_to", ["a missing folder", "itself"])
def test_a_database_path_that_is_a_broken_link_is_named_so_not_called_damaged(tmp_path, link_to):
    """init on a symbolic link to a file in a folder that is gone (a moved data disk), or on a loop of links, said
    "Database error ... unable to open database file" and sent the admin to check the file for damage."""
    link = tmp_path / "tracker.db"
    target = tmp_path / "gone" / "tracker.db" if link_to == "a missing folder" else link
    link.symlink_to(target)
    result = CliRunner().invoke(cli, ["--db", str(link), "init"])
    line = _one_line_error(result)
    assert "link" in line and "integrity" not in line and "Database error" not in line, line
    assert [p.name for p in tmp_path.iterdir()] == ["tracker.db"] and link.is_symlink()


@pytest.mark.parametrize("command", [("stories",), ("users", "list"), ("init",)])
def test_a_damaged_database_says_to_restore_a_backup_not_if_it_happens_again(db_path, tmp_path, command):
    """A database cut short (a copy or restore stopped half-way) said "Database error ... malformed ... if it happens
    again, check the file": it happens every time, and the line never said what to do about it."""
    damaged = tmp_path / "damaged.db"
    damaged.write_bytes(db_path.read_bytes()[: db_path.stat().st_size // 2])
    before = damaged.read_bytes()
    result = CliRunner().invoke(cli, ["--db", str(damaged), *command])
    line = _one_line_error(result)
    assert "is damaged" in line and "backup" in line and "if it happens again" not in line, line
    assert damaged.read_bytes() == before


def test_a_story_title_of_invisible_characters_alone_is_refused_as_an_empty_one(db_path):
    """A title of zero-width spaces (pasted) passed str.strip() and made a story listed with no title at all."""
    before = _dump(db_path)
    result = CliRunner().invoke(cli, ["--db", str(db_path), "stories", "add", "blank", "--title", "\u200b\u200b "])
    assert _one_line_error(result) == "Error: A story needs a title."
    assert _dump(db_path) == before


def test_an_invisible_keyword_is_left_out_as_an_empty_one_is(db_path):
    """`--keywords "\u200b, Acme"` stored a keyword of one zero-width space: an item had to hold that to belong."""
    result = CliRunner().invoke(
        cli, ["--db", str(db_path), "stories", "add", "acme", "--title", "Acme", "--keywords", "\u200b, Acme,\u2060"]
    )
    assert result.exit_code == 0, result.output
    conn = sqlite3.connect(db_path)
    try:
        assert conn.execute("SELECT keywords_include FROM stories WHERE slug = 'acme'").fetchone() == ("Acme",)
    finally:
        conn.close()


@pytest.mark.parametrize(
    "every, says",
    [
        ("bad", "'bad' is not a duration; use e.g. 90s, 10m or 1h."),
        ("0s", "the shortest interval is 1s"),
        ("2d", "the longest interval is a day: give --every 1d or shorter."),
    ],
)
def test_watch_refuses_a_bad_interval_before_loading_the_scraper_or_the_alert_sender(every, says):
    """`watch --every bad` loaded the alert sender, the scrapers and the attribution model's code (a second or two on
    a loaded machine) before saying the interval was not one: said first now, in one line, with nothing opened."""
    out = python_output(
        "import json, sys\n"
        "from click.testing import CliRunner\n"
        "from tracker.cli import cli\n"
        f"result = CliRunner().invoke(cli, ['--db', '/nonexistent/tracker.db', 'watch', '--every', {every!r}])\n"
        "heavy = sorted(m for m in ('tracker.alerts.sender', 'tracker.scrape', 'tracker.sources', 'tracker.ingest')"
        " if m in sys.modules)\n"
        "print(json.dumps([result.exit_code, result.output, heavy]))\n"
    )
    exit_code, said, heavy = json.loads(out)
    assert exit_code == 2 and len(said.strip().splitlines()) == 1 and says in said, said
    assert heavy == [], heavy


def test_ingest_document_says_a_limit_of_half_a_megabyte_as_set(db_path, story, tmp_path):
    """TRACKER_DOCUMENT_MAX_MB=0.5 refused a 0.6 MB file "over the 0 MB limit": a limit nobody set."""
    notes = tmp_path / "transcript.txt"
    notes.write_bytes(b"Acme said it.\n" * (600 * 1024 // 14))
    before = _dump(db_path)
    result = CliRunner(env={"TRACKER_DOCUMENT_MAX_MB": "0.5"}).invoke(
        cli, ["--db", str(db_path), "ingest", "test-story", str(notes), "--document"]
    )
    assert result.exit_code == 1, result.output
    (failed,) = [line for line in result.stdout.splitlines() if line.startswith("failed:")]
    assert "the file is 0.59 MB, over the 0.5 MB limit for documents" in failed, failed
    assert _dump(db_path) == before
