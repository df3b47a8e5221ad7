"""Read-only media: commands that only read work on a read-only database; writes say it is read-only.

The working database (and a published public file) sit in a folder seen
through a read-only mount (tests/storage.py), as on a write-protected disk
or a snapshot volume: no -wal or -shm can be created beside them, and root
cannot write there either.
"""

from __future__ import annotations

import contextlib
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from bs4 import BeautifulSoup
from click.testing import CliRunner

from tests.servers import free_port
from tests.storage import as_another_account, read_only_file, read_only_media
from tests.test_public_deploy import Server
from tracker import claims, coverage, migrations, sources, stories, users
from tracker.cli import cli
from tracker.db import connect
from tracker.publish import publish

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def media(tmp_path_factory):
    """A working database with a story, a source, a published claim and a public file, on read-only media."""
    folder = tmp_path_factory.mktemp("readonly-source")
    db = connect(folder / "tracker.db")
    migrations.apply(db)
    editor = users.add_user(db, "edith", "correct-horse-battery", "editor")
    story = stories.create_story(db, "acme", "Acme recalls toasters", keywords_include="Acme")
    sources.add_source(db, story["id"], "https://news.example/feed.xml", "feed")
    item = coverage.upsert_item(db, story["id"], "https://news.example/acme", outlet="Example News", title="Acme")
    revision, _ = coverage.add_revision(db, item, "Acme said it would recall every toaster.")
    claim_id = claims.log_claim(db, story["id"], "Acme will recall every toaster.", "Acme", "organization", editor)
    claims.add_evidence(db, claim_id, revision, "Acme said it would recall every toaster.", "supports", editor)
    claims.set_published(db, claim_id, True, editor, claims.get_claim(db, claim_id)["version"])
    publish(db, folder / "public.db")
    db.close()
    with read_only_media(folder, tmp_path_factory.mktemp("readonly") / "mount") as mounted:
        yield mounted


def run(media: Path, *args: str):
    return CliRunner().invoke(cli, ["--db", str(media / "tracker.db"), *args], input="correct-horse-battery\n")


def test_the_media_really_is_read_only(media):
    with pytest.raises(OSError):
        (media / "new-file").write_text("x")
    with pytest.raises(sqlite3.OperationalError):
        sqlite3.connect(media / "tracker.db").execute("PRAGMA journal_mode").fetchone()  # no -shm can be made


@pytest.mark.parametrize(
    ("command", "shows"),
    [
        (["stories"], "acme"),
        (["sources"], "https://news.example/feed.xml"),
        (["users", "list"], "edith"),
        (["candidates"], "acme"),
    ],
)
def test_commands_that_only_read_work_on_read_only_media(media, command, shows):
    result = run(media, *command)
    assert result.exit_code == 0, result.output
    assert shows in result.output


@pytest.mark.parametrize("command", [["init"], ["demo"]])
def test_a_new_database_on_read_only_media_is_not_offered_a_backup_of_itself(media, command):
    """It used to say the file (which does not exist) is read-only, and to copy it with `backup`, which then
    says there is no database there."""
    new = media / "new.db"
    result = CliRunner().invoke(cli, ["--db", str(new), *command])
    assert result.exit_code == 1, result.output
    assert result.output.strip().splitlines() == [
        f"Error: Cannot create {new}: its folder is read-only (a read-only folder or disk), so nothing was made. "
        "Give a path on writable storage with --db (or TRACKER_DB), or remount the disk read-write."
    ]
    assert not new.exists()


def test_backup_copies_a_database_off_read_only_media(media, tmp_path):
    dest = tmp_path / "copy.db"
    result = run(media, "backup", str(dest))
    assert result.exit_code == 0, result.output
    conn = sqlite3.connect(dest)
    assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert conn.execute("SELECT slug FROM stories").fetchall() == [("acme",)]
    conn.close()
    assert run(media, "init", "--db", str(dest)).exit_code == 0  # the copy is a normal, writable database


def test_a_backup_into_a_read_only_folder_names_the_path_given(media):
    """It used to name the hidden temporary file it tried first (.copy.db.tmp-...), a name nobody typed."""
    dest = media / "copy.db"
    result = run(media, "backup", str(dest))
    assert result.exit_code == 1, result.output
    assert result.output.strip().splitlines() == [
        f"Error: Cannot write {dest}: its folder is read-only (a read-only folder or disk), so no backup was made. "
        "Give a path on writable storage, or remount the disk read-write."
    ]
    assert not dest.exists()


def test_serve_with_a_public_file_in_a_read_only_folder_names_its_own_option(tmp_path):
    """The first publish's advice named `publish`'s --out, which serve does not take; serve's is --public-db."""
    db_path = tmp_path / "tracker.db"
    migrations.apply(connect(db_path))
    empty = tmp_path / "empty"
    empty.mkdir()
    with read_only_media(empty, tmp_path / "mount") as folder:
        public = folder / "public.db"
        result = CliRunner().invoke(
            cli,
            ["--db", str(db_path), "serve", "--public-db", str(public)]
            + ["--editor-port", str(free_port()), "--public-port", str(free_port())],
        )
    assert result.exit_code == 1, result.output
    assert result.output.strip().splitlines() == [
        f"Error: Publishing failed and {public} was left unchanged: it is read-only (a read-only file, folder or "
        "disk). Make it writable or remount the disk read-write, or publish to a file elsewhere with "
        "--public-db PATH."
    ]


def test_publish_reads_a_read_only_working_database_into_a_file_elsewhere(media, tmp_path):
    out = tmp_path / "public.db"
    result = run(media, "publish", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert "Published 1 claim(s)" in result.output and "Not logged" in result.output
    conn = sqlite3.connect(out)
    assert conn.execute("SELECT text FROM claims").fetchall() == [("Acme will recall every toaster.",)]
    conn.close()


@pytest.mark.parametrize(
    "command",
    [
        ["stories", "add", "other", "--title", "Other"],
        ["users", "add", "ben", "--password-stdin"],
        ["sources", "add", "acme", "https://news.example/other.xml", "--kind", "feed"],
        ["scrape", "acme"],
        ["candidates", "--extract"],
        ["score-candidates", "--all"],
        ["init"],
        ["publish", "--out", "{media}/public.db"],
    ],
    ids=lambda c: " ".join(c[:2]),
)
def test_writes_say_the_database_is_read_only(media, command):
    result = run(media, *[part.format(media=media) for part in command])
    assert result.exit_code == 1, result.output
    last = result.output.strip().splitlines()[-1]
    assert last.startswith("Error: ") and "read-only" in last and "Traceback" not in result.output, last


def test_serve_shows_both_sites_from_read_only_media_and_says_changes_are_refused(media, tmp_path):
    """The editor browses and searches a read-only database (tracker.db.opens_read_only), yet `serve` started
    only the public site there: the editor is started too, and one line says every change will be refused."""
    from tests.e2e.conftest import wait_for

    port, editor_port = free_port(), free_port()
    said = tmp_path / "serve.out"
    with said.open("w") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "tracker", "--db", str(media / "tracker.db"), "serve"]
            + ["--public-db", str(media / "public.db"), "--public-port", str(port), "--editor-port", str(editor_port)]
            + ["--workers", "1"],
            stdout=out,
            stderr=subprocess.STDOUT,
            cwd=ROOT,
        )
    try:
        base, editor = f"http://127.0.0.1:{port}", f"http://127.0.0.1:{editor_port}"
        wait_for(base + "/-/versions.json", proc)
        wait_for(editor + "/login", proc)
        rows = httpx.get(base + "/public/claims.json?_shape=array", timeout=10).json()
        assert [r["text"] for r in rows] == ["Acme will recall every toaster."]
        assert httpx.get(base + "/public/timeline", timeout=10).status_code == 200
        login = httpx.get(editor + "/login", timeout=10)
        assert login.status_code == 200 and "read-only" in login.text
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    lines = said.read_text().splitlines()
    [line] = [line for line in lines if "read-only" in line and str(media / "tracker.db") in line]
    assert "refuse" in line and "Traceback" not in said.read_text(), lines


def test_the_editors_publish_from_a_read_only_database_is_refused_in_a_browser_users_words(tmp_path):
    """The refusal repeated the command line's advice (`backup`, `--db`) to a person in a browser, and the
    refused publish (and the Publish page) left an empty public.db-publish-lock in the public folder."""
    import html

    from tests.conftest import AuthActions, csrf_from
    from tracker.editor import create_app

    folder, public_folder = tmp_path / "working", tmp_path / "public"
    folder.mkdir()
    public_folder.mkdir()
    db_path = folder / "tracker.db"
    _working_database(db_path)
    with read_only_file(db_path):
        app = create_app(
            {
                "TESTING": True,
                "SECRET_KEY": "k",
                "DATABASE": str(db_path),
                "PUBLIC_DB": str(public_folder / "public.db"),
            }
        )
        client = app.test_client()
        assert AuthActions(client).login("edith", "correct-horse-battery").status_code == 302
        page = client.get("/publish").get_data(as_text=True)
        assert "read-only" in html.unescape(page) and 'name="reviewed"' not in page
        published = client.post("/publish", data={"reviewed": "x", "csrf_token": csrf_from(page)})
        shown = html.unescape(client.get(published.headers["Location"]).get_data(as_text=True))
    [refusal] = re.findall(r"Nothing was published[^<]*", shown)
    assert "read-only" in refusal and "whoever runs the tracker" in refusal, refusal
    assert "backup" not in refusal and "--db" not in refusal and str(db_path) not in refusal, refusal
    assert list(public_folder.iterdir()) == []


def test_an_editor_reviews_what_is_waiting_on_a_read_only_database_beside_the_refusal(tmp_path):
    """On a read-only database the Publish page said only that nothing can be published: nobody could see what was
    waiting to go out. The review is now built apart from the public file (no publish lock or file beside it),
    listed as usual, and the Publish button is there, disabled, with the refusal beside it."""
    import html

    from tests.conftest import AuthActions
    from tracker.editor import create_app

    folder, public_folder = tmp_path / "working", tmp_path / "public"
    folder.mkdir()
    public_folder.mkdir()
    db_path = folder / "tracker.db"
    _working_database(db_path)
    with read_only_file(db_path):
        app = create_app(
            {"TESTING": True, "SECRET_KEY": "k", "DATABASE": str(db_path)}
            | {"PUBLIC_DB": str(public_folder / "public.db")}
        )
        client = app.test_client()
        assert AuthActions(client).login("edith", "correct-horse-battery").status_code == 302
        response = client.get("/publish")
    assert response.status_code == 200
    soup = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    assert "Acme will recall every toaster." in soup.select_one(".review-list").get_text()
    button = soup.select_one(".publish-form button")
    assert button is not None and button.has_attr("disabled")
    refusal = html.unescape(soup.find(id=button["aria-describedby"]).get_text(" ", strip=True))
    assert refusal.startswith("Nothing can be published:") and "read-only" in refusal, refusal
    assert soup.select_one("input[name=reviewed]") is None and soup.select_one("form.publish-form") is None
    assert list(public_folder.iterdir()) == []
    assert sorted(p.name for p in folder.iterdir()) == ["tracker.db"]


def _damage_public_claims(public: Path) -> None:
    """Overwrite the page the public file's claims table starts on: the file opens, its schema reads, and reading
    its claims fails with "database disk image is malformed" (a sqlite3.DatabaseError)."""
    with contextlib.closing(sqlite3.connect(public)) as conn:
        root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'claims'").fetchone()[0]
        size = conn.execute("PRAGMA page_size").fetchone()[0]
    with open(public, "r+b") as f:
        f.seek(size * (root - 1))
        f.write(b"\xff" * size)


def _read_only_review(
    tmp_path: Path, *, damaged: bool = False, damaged_working: bool = False, while_held=None
) -> BeautifulSoup:
    """The Publish page of an editor on a read-only working database, its public file published (and damaged, or
    the working database's claims damaged); `while_held`, a lock held while the page is asked for."""
    from tests.conftest import AuthActions
    from tracker.editor import create_app

    folder, public_folder = tmp_path / "working", tmp_path / "public"
    folder.mkdir(parents=True)
    public_folder.mkdir()
    db_path, public = folder / "tracker.db", public_folder / "public.db"
    _working_database(db_path)
    with contextlib.closing(connect(db_path)) as db:
        publish(db, public)
        editor, story = users.find_user(db, "edith"), stories.get_story(db, "acme")
        claim_id = claims.log_claim(db, story["id"], "Acme will recall every kettle.", "Acme", "organization", editor)
        claims.set_published(db, claim_id, True, editor, claims.get_claim(db, claim_id)["version"])
    Path(f"{db_path}-lock").unlink(missing_ok=True)
    if damaged:
        _damage_public_claims(public)
    if damaged_working:
        _damage_working_claims(db_path)
    with read_only_file(db_path):
        app = create_app({"TESTING": True, "SECRET_KEY": "k", "DATABASE": str(db_path), "PUBLIC_DB": str(public)})
        client = app.test_client()
        assert AuthActions(client).login("edith", "correct-horse-battery").status_code == 302
        with while_held or contextlib.nullcontext():
            response = client.get("/publish")
    assert response.status_code == 200
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def test_a_damaged_public_file_says_so_on_the_read_only_review(tmp_path):
    """A public file that SQLite finds malformed while the review reads it raised a sqlite3.Error, which the
    read-only review did not catch (only TrackerError and OSError): a 500. The file is compared as no file now
    (publish_review.compare_files), as one damaged at its first page was, and the page says so above the list."""
    soup = _read_only_review(tmp_path, damaged=True)
    problem = " ".join(soup.select_one(".alert--warning").get_text().split())
    assert problem == (
        "The current public file could not be read (database disk image is malformed); publishing replaces it."
    )
    assert soup.select_one(".review-list") is not None


def _damage_working_claims(db_path: Path) -> None:
    """Overwrite the page the working database's claims table starts on: it opens and its schema reads (the editor
    starts), and reading its claims fails with "database disk image is malformed"."""
    with contextlib.closing(sqlite3.connect(db_path)) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'claims'").fetchone()[0]
        size = conn.execute("PRAGMA page_size").fetchone()[0]
    with open(db_path, "r+b") as f:
        f.seek(size * (root - 1))
        f.write(b"\xff" * size)


def _unbuilt_review_says_why(soup: BeautifulSoup) -> str:
    """The one line a Publish page whose review could not be built says, after checking it shows no counts (zeros
    read as "nothing waiting") and no list."""
    assert soup.select(".publish-counts") == [], "a review never built shows counts"
    assert soup.select_one(".review-list") is None
    assert "Readers already see" not in soup.get_text()
    [problem] = soup.select(".alert--warning")
    line = " ".join(problem.get_text().split())
    assert "\n" not in problem.get_text().strip()
    return line


def test_a_review_never_built_on_a_damaged_working_database_says_why_not_zeros(tmp_path):
    """The read-only Publish page's review failed (the working database's claims unreadable), and the page showed
    its problem above "0 claims going public ... 0 changes in all", as if nothing were waiting. It now says in one
    line that the changes could not be listed and why, and shows no counts."""
    soup = _read_only_review(tmp_path, damaged_working=True)
    line = _unbuilt_review_says_why(soup)
    assert line.startswith("The changes waiting could not be listed:") and "malformed" in line, line


def test_a_review_never_built_in_a_read_only_temporary_folder_says_why_not_zeros(tmp_path, monkeypatch):
    """The read-only review is built in a temporary folder of its own: one on read-only storage failed it with
    "[Errno 30] Read-only file system: '...'" over zero counts. It says the folder is read-only, and no counts."""
    import tempfile

    unwritable = tmp_path / "tmp"
    unwritable.mkdir()
    with read_only_media(unwritable, tmp_path / "tmp-mount") as mounted:
        monkeypatch.setattr(tempfile, "tempdir", str(mounted))
        soup = _read_only_review(tmp_path / "site")
    line = _unbuilt_review_says_why(soup)
    assert line.startswith("The changes waiting could not be listed:") and "read-only" in line, line
    assert str(mounted) in line and "Errno" not in line, line


def test_a_review_never_built_in_a_full_temporary_folder_says_why_not_zeros(tmp_path, monkeypatch):
    """A temporary folder with no room left failed the build with the publish's own line, "Publishing failed and
    /tmp/tracker-review-x1y2/public.db was left unchanged. Disk full: ... then try again", of a file nobody
    publishes, in three sentences. It says the folder is full, in one line, and no counts."""
    import tempfile

    from tests.storage import small_disk

    with small_disk(tmp_path / "tmp", 600) as disk:
        monkeypatch.setattr(tempfile, "tempdir", str(disk.path))
        disk.fill(leave=20_000)
        soup = _read_only_review(tmp_path / "site")
    line = _unbuilt_review_says_why(soup)
    assert line == (
        f"The changes waiting could not be listed: they are built in the temporary folder {disk.path}, which is "
        "full; tell whoever runs the tracker."
    ), line


def test_the_read_only_review_is_built_once_at_a_time(tmp_path):
    """Each visit to the read-only Publish page builds a whole public database in a folder of its own, and any
    number of visitors built as many at once (the CPU and disk of the server). One is built at a time in a process:
    a visitor meanwhile is told that it is being built, and the next visit lists the changes."""
    from tracker.editor import publishing

    busy = _read_only_review(tmp_path / "busy", while_held=publishing.REVIEW_APART)
    problem = " ".join(busy.select_one(".alert--warning").get_text().split())
    assert problem == "The changes waiting are being listed for someone else right now: open this page again shortly."
    assert busy.select_one(".review-list") is None
    assert "Readers already see" not in busy.get_text()
    after = _read_only_review(tmp_path / "after")
    assert "Acme will recall every kettle." in after.select_one(".review-list").get_text()


def test_publishing_over_a_read_only_public_file_says_what_to_do_with_the_public_file(tmp_path):
    """The public file alone is read-only (chattr +i): the line is about that file, not the working database.

    It used to advise backing the public file up and using the copy as the
    working database (`--db COPY.db`), which would publish nothing anywhere.
    """
    import shutil
    import subprocess

    db_path, public = tmp_path / "tracker.db", tmp_path / "public.db"
    db = connect(db_path)
    migrations.apply(db)
    stories.create_story(db, "acme", "Acme recalls toasters", keywords_include="Acme")
    db.close()
    assert CliRunner().invoke(cli, ["--db", str(db_path), "publish", "--yes", "--out", str(public)]).exit_code == 0
    if shutil.which("chattr") is None or subprocess.run(["chattr", "+i", str(public)]).returncode != 0:
        pytest.skip("cannot make a file immutable here (chattr +i needs root and a file system that has it)")
    try:
        before = public.read_bytes()
        result = CliRunner().invoke(cli, ["--db", str(db_path), "publish", "--yes", "--out", str(public)])
    finally:
        subprocess.run(["chattr", "-i", str(public)])
    assert result.exit_code == 1, result.output
    last = result.output.strip().splitlines()[-1]
    assert last.startswith("Error: ") and "Traceback" not in result.output, last
    assert f"{public} was left unchanged" in last and "read-only" in last, last
    assert "--db" not in last and "backup" not in last, last
    assert "--out" in last, last
    assert public.read_bytes() == before


def test_a_claim_typed_as_the_working_database_went_read_only_comes_back_on_the_error_page(tmp_path):
    """The request's connection cannot even be opened (no -shm on read-only media): still the 503 with the text.

    The handler's page loads the signed-in account for its menu, through the
    same connection that could not be opened, so the handler failed too: a
    bare 500 and the reporter's paragraph gone.
    """
    import html

    from tests.conftest import AuthActions, csrf_from
    from tracker.editor import create_app

    folder = tmp_path / "working"
    folder.mkdir()
    db = connect(folder / "tracker.db")
    migrations.apply(db)
    users.add_user(db, "edith", "correct-horse-battery", "editor")
    stories.create_story(db, "acme", "Acme recalls toasters", keywords_include="Acme")
    db.close()
    app = create_app(
        {"TESTING": True, "SECRET_KEY": "k", "DATABASE": str(folder / "tracker.db"), "RATELIMIT_ENABLED": False}
    )
    client = app.test_client()
    AuthActions(client).login("edith", "correct-horse-battery")
    token = csrf_from(client.get("/stories/acme/claims/new").get_data(as_text=True))
    typed = {
        "text": "Acme <b>knew</b> of the faulty thermostats in May & said nothing.",
        "claimant": "A former Acme engineer",
        "claimant_type": "anonymous",
        "internal_notes": "Met her twice; second call on Thursday.",
    }
    with read_only_media(folder, folder):  # the same folder, seen read-only from now on
        response = client.post("/stories/acme/claims/new", data={**typed, "csrf_token": token})
    page = response.get_data(as_text=True)
    assert response.status_code == 503, page[:500]
    assert "read-only" in page and "Traceback" not in page
    # Said first to the reporter in front of it; the commands only in the line for whoever runs the tracker.
    lede = page.split('class="lede">')[1].split("</p>")[0]
    assert "whoever runs the tracker" in lede and "--db" not in lede and "backup" not in lede, lede
    assert "For whoever runs the tracker:" in page and "python -m tracker backup" in page
    for value in {**typed, "claimant_type": "Anonymous source"}.values():  # a choice, in the form's words
        assert html.escape(value, quote=False) in page, value
    conn = sqlite3.connect(folder / "tracker.db")
    assert conn.execute("SELECT count(*) FROM claims").fetchone() == (0,)
    conn.close()


def test_the_editors_publish_on_a_read_only_public_folder_gives_advice_an_editor_can_follow(tmp_path):
    """An editor cannot pass --out: the Publish page's line says who can move the public file."""
    from tests.conftest import AuthActions, publish_form
    from tracker.editor import create_app

    db_path, folder = tmp_path / "tracker.db", tmp_path / "site"
    folder.mkdir()
    db = connect(db_path)
    migrations.apply(db)
    users.add_user(db, "edith", "correct-horse-battery", "editor")
    stories.create_story(db, "acme", "Acme recalls toasters", keywords_include="Acme")
    db.close()
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "k",
            "DATABASE": str(db_path),
            "PUBLIC_DB": str(folder / "public.db"),
            "RATELIMIT_ENABLED": False,
        }
    )
    client = app.test_client()
    AuthActions(client).login("edith", "correct-horse-battery")
    form = publish_form(client)
    with read_only_media(folder, folder):
        response = client.post("/publish", data=form, follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "read-only" in page and "Traceback" not in page, page[:800]
    assert "--out" not in page and "whoever runs the tracker" in page
    assert not (folder / "public.db").exists()


def test_a_public_file_served_as_a_snapshot_is_not_published_into_while_that_site_runs(tmp_path):
    """`serve` found the public file read-only and serves it immutable (-i), which never looks at it again.

    Made writable later (a disk remounted read-write, as the publish's own
    advice says), a publish rewrote it under that site: every page of the
    running site answered 500 until a restart, and the publish said only
    "Published". Now the publish is refused in one line saying to restart the
    site, the file and the site stay as they were, and once it stops the
    publish goes through.
    """
    import os
    import shutil
    import subprocess

    from tests.conftest import AuthActions
    from tracker.editor import create_app

    db_path, public = tmp_path / "tracker.db", tmp_path / "public.db"
    db = connect(db_path)
    migrations.apply(db)
    editor = users.add_user(db, "edith", "correct-horse-battery", "editor")
    story = stories.create_story(db, "acme", "Acme recalls toasters", keywords_include="Acme")
    for text in ("Acme will recall every toaster.", "Acme knew in May."):
        claim_id = claims.log_claim(db, story["id"], text, "Acme", "organization", editor)
        if text.startswith("Acme will"):
            claims.set_published(db, claim_id, True, editor, claims.get_claim(db, claim_id)["version"])
    later = claim_id
    db.close()
    assert CliRunner().invoke(cli, ["--db", str(db_path), "publish", "--yes", "--out", str(public)]).exit_code == 0
    if shutil.which("chattr") is None or subprocess.run(["chattr", "+i", str(public)]).returncode != 0:
        pytest.skip("cannot make a file immutable here (chattr +i needs root and a file system that has it)")
    port = free_port()
    server = Server(
        [sys.executable, "-m", "tracker", "--db", str(db_path), "serve", "--workers", "1"]
        + ["--public-db", str(public), "--public-port", str(port), "--editor-port", str(free_port())],
        cwd=ROOT,
        env={**os.environ, "TRACKER_SECRET_KEY": "snapshot-test-" + "0" * 32},
    )
    base = f"http://127.0.0.1:{port}"
    try:
        server.wait(base + "/public.json")
        still = CliRunner().invoke(cli, ["--db", str(db_path), "publish", "--yes", "--out", str(public)])
        assert "it is read-only" in still.output and "restart" not in still.output, still.output  # that first
        subprocess.run(["chattr", "-i", str(public)], check=True)  # writable again, the site still running
        db = connect(db_path, create=False)
        claims.set_published(db, later, True, editor, claims.get_claim(db, later)["version"])
        db.close()
        before = public.read_bytes()

        result = CliRunner().invoke(cli, ["--db", str(db_path), "publish", "--yes", "--out", str(public)])
        assert result.exit_code == 1, result.output
        assert result.output.count("\n") == 1 and result.output.startswith("Error: "), result.output
        assert f"{public} was left unchanged" in result.output and "restart" in result.output, result.output

        app = create_app(
            {"TESTING": True, "SECRET_KEY": "k", "DATABASE": str(db_path), "PUBLIC_DB": str(public)}
            | {"RATELIMIT_ENABLED": False}
        )
        client = app.test_client()
        AuthActions(client).login("edith", "correct-horse-battery")
        page = client.get("/publish").get_data(as_text=True)
        assert "unchanging snapshot" in page and "whoever runs the tracker" in page, page[:800]
        assert "--out" not in page

        assert public.read_bytes() == before
        rows = httpx.get(base + "/public/claims.json?_shape=array", timeout=10)
        assert rows.status_code == 200, rows.text[:300]
        assert [r["text"] for r in rows.json()] == ["Acme will recall every toaster."]
        assert httpx.get(base + "/public/timeline", timeout=10).status_code == 200
    finally:
        subprocess.run(["chattr", "-i", str(public)])
        server.stop()

    result = CliRunner().invoke(cli, ["--db", str(db_path), "publish", "--yes", "--out", str(public)])
    assert result.exit_code == 0, result.output
    conn = sqlite3.connect(public)
    assert conn.execute("SELECT count(*) FROM claims").fetchone() == (2,)
    conn.close()


def test_serve_refuses_a_read_only_public_file_whose_last_publish_is_not_merged_into_it(tmp_path, monkeypatch):
    """A publish killed after readers saw it, before its checkpoint, leaves its pages in public.db-wal.

    On read-only media `serve` serves the file immutable, and an immutable
    reader ignores the -wal: the site went back to what readers saw before
    that publish (a claim withdrawn came back), and nothing said so.
    """
    import subprocess

    import tracker.serve
    from tests.test_publish_kill import KILLED_PUBLISH, working_db

    source, folder = tmp_path / "tracker.db", tmp_path / "site"
    folder.mkdir()
    working_db(source, 3, "old")
    public = folder / "public.db"
    publish(connect(source, create=False), public)
    db = connect(source, create=False)
    claims.set_published(db, 1, False, users.find_user(db, "edith"), claims.get_claim(db, 1)["version"])
    db.close()
    # Killed at the swap's first "checkpoint" report: committed, readers see 2 claims, the -wal not merged.
    killed = subprocess.run(
        [sys.executable, "-c", KILLED_PUBLISH, "checkpoint 0/1", "--db", str(source), "publish", "--yes"]
        + ["--out", str(public)],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert killed.returncode == -9, killed.stderr
    assert Path(f"{public}-wal").stat().st_size > 0

    def served(public_db):
        raise AssertionError("serve went on to serve the file")

    monkeypatch.setattr(tracker.serve, "_check_public_file", served)  # the step before the sites start
    with read_only_media(folder, tmp_path / "mount") as mounted:
        reader = sqlite3.connect(f"file:{mounted / 'public.db'}?mode=ro", uri=True)
        assert reader.execute("SELECT count(*) FROM claims").fetchone() == (2,)  # what readers saw
        reader.close()
        result = CliRunner().invoke(
            cli,
            ["--db", str(source), "serve", "--public-db", str(mounted / "public.db")]
            + ["--editor-port", str(free_port()), "--public-port", str(free_port())],
        )
    assert result.exit_code == 1, (result.output, result.exception)
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.output
    assert "public.db-wal" in lines[0] and "writable" in lines[0], lines[0]


def test_a_database_whose_changes_are_still_in_its_wal_on_read_only_media_says_to_copy_both(tmp_path_factory):
    """A snapshot taken while the tracker ran keeps changes in tracker.db-wal; on read-only media SQLite cannot make
    the -shm it needs to read them, and every command said the file was read-only and that stories and backup
    (the very commands failing) still worked: no way out was given."""
    import os
    import shutil

    folder = tmp_path_factory.mktemp("wal-source")
    live = tmp_path_factory.mktemp("wal-live")
    db = connect(live / "tracker.db")
    migrations.apply(db)
    db.execute("PRAGMA wal_autocheckpoint = 0")
    stories.create_story(db, "acme", "Acme recalls toasters")
    shutil.copy(live / "tracker.db", folder / "tracker.db")  # copied while it runs: the story is in the -wal only
    shutil.copy(live / "tracker.db-wal", folder / "tracker.db-wal")
    db.close()
    with read_only_media(folder, tmp_path_factory.mktemp("wal-readonly") / "mount") as mounted:
        for command in (("stories",), ("backup", str(tmp_path_factory.mktemp("out") / "copy.db"))):
            result = run(mounted, *command)
            assert result.exit_code == 1, result.output
            line = result.output.strip().splitlines()[-1]
            assert "tracker.db-wal" in line and "cp " in line and "still work" not in line, line
        assert sorted(os.listdir(mounted)) == ["tracker.db", "tracker.db-wal"]


@pytest.fixture
def read_only_working_file(tmp_path):
    """A working database with a story, a published claim and a public file, the database file alone read-only:
    its folder stays writable, as for a file without write permission (tests/storage.py)."""
    db_path, public = tmp_path / "tracker.db", tmp_path / "public.db"
    db = connect(db_path)
    migrations.apply(db)
    editor = users.add_user(db, "edith", "correct-horse-battery", "editor")
    story = stories.create_story(db, "acme", "Acme recalls toasters", keywords_include="Acme")
    claim_id = claims.log_claim(db, story["id"], "Acme will recall every toaster.", "Acme", "organization", editor)
    claims.set_published(db, claim_id, True, editor, claims.get_claim(db, claim_id)["version"])
    db.close()
    assert CliRunner().invoke(cli, ["--db", str(db_path), "publish", "--yes", "--out", str(public)]).exit_code == 0
    db = connect(db_path, create=False)
    claims.log_claim(db, story["id"], "Acme knew in May.", "Acme", "organization", editor)
    claims.set_published(db, 2, True, editor, claims.get_claim(db, 2)["version"])
    db.close()
    with read_only_file(db_path):
        yield db_path, public


def folder_state(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


@pytest.mark.parametrize(
    "command",
    [
        ["init"],
        ["demo"],
        ["stories", "add", "other", "--title", "Other"],
        ["users", "add", "ben", "--password-stdin"],
        ["publish", "--yes"],
    ],
    ids=lambda c: " ".join(c[:2]),
)
def test_a_write_to_a_read_only_file_in_a_writable_folder_is_refused_in_one_line(read_only_working_file, command):
    """`init` on an up-to-date read-only file said "up to date" and exited 0, though nothing could be changed,
    and made its -wal and -shm beside it; `publish` swapped the public file in but could neither log the publish
    nor keep the public ids it gave, so the next publish could give readers' ids to other claims."""
    db_path, public = read_only_working_file
    before = folder_state(db_path.parent)
    result = CliRunner().invoke(
        cli,
        ["--db", str(db_path), *command],
        input="correct-horse-battery\n",
        env={"TRACKER_PUBLIC_DB": str(public)},
    )
    assert result.exit_code == 1, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: ") and "read-only" in lines[0], result.output
    assert str(db_path) in lines[0], lines[0]
    if command[0] != "publish":  # the file's own mode is what to change: no disk to remount
        assert f"chmod u+w {db_path}" in lines[0] and "remount" not in lines[0], lines[0]
    assert folder_state(db_path.parent) == before  # no -wal, -shm or lock file made, the public file as it was


def test_publish_from_a_read_only_file_to_the_public_file_readers_see_is_refused(read_only_working_file):
    """Without --out the public file is TRACKER_PUBLIC_DB, the one the publish log and public ids are about:
    refused before it is touched, naming what to do. --out elsewhere still reads the file (above)."""
    db_path, public = read_only_working_file
    before = public.read_bytes()
    for named in ([], ["--out", str(public)]):  # the same file named with --out is the same file
        result = CliRunner().invoke(
            cli, ["--db", str(db_path), "publish", "--yes", *named], env={"TRACKER_PUBLIC_DB": str(public)}
        )
        assert result.exit_code == 1, result.output
        (line,) = result.output.strip().splitlines()
        assert line.startswith(f"Error: {db_path} is read-only") and f"{public} was left unchanged" in line, line
        assert "--out" in line, line
        assert public.read_bytes() == before
        assert not Path(f"{public}-wal").exists() or Path(f"{public}-wal").stat().st_size == 0
    conn = sqlite3.connect(public)
    assert conn.execute("SELECT text FROM claims").fetchall() == [("Acme will recall every toaster.",)]
    conn.close()


@pytest.mark.parametrize(
    ("command", "shows"),
    [(["stories"], "acme"), (["users", "list"], "edith"), (["candidates"], "acme")],
)
def test_commands_that_only_read_work_on_a_read_only_file(read_only_working_file, command, shows):
    db_path, _ = read_only_working_file
    result = CliRunner().invoke(cli, ["--db", str(db_path), *command])
    assert result.exit_code == 0, result.output
    assert shows in result.output


@pytest.mark.parametrize("storage", ["file", "folder"])
def test_an_api_write_to_a_read_only_database_is_a_503_said_to_the_caller(tmp_path, storage):
    """The API answered with the command line's advice (`python -m tracker backup COPY.db --db /srv/...`, and
    the server's path): nothing a caller of the API can run. It says the database is read-only, that nothing
    was saved, and to ask whoever runs the tracker; reads still answer."""
    from tracker.editor import create_app

    folder = tmp_path / "working"
    folder.mkdir()
    db_path = folder / "tracker.db"
    db = connect(db_path)
    migrations.apply(db)
    users.add_user(db, "edith", "correct-horse-battery", "editor")
    stories.create_story(db, "acme", "Acme recalls toasters", keywords_include="Acme")
    token = users.create_token(db, "edith")
    db.close()
    app = create_app({"TESTING": True, "SECRET_KEY": "k", "DATABASE": str(db_path), "RATELIMIT_ENABLED": False})
    client = app.test_client()
    headers = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/stories", headers=headers).status_code == 200  # its last use noted while writable
    made = read_only_file(db_path) if storage == "file" else read_only_media(folder, folder)
    with made:
        read = client.get("/api/stories", headers=headers)  # opened read-only, on a read-only folder too
        assert [s["slug"] for s in read.get_json()["stories"]] == ["acme"]
        response = client.post(
            "/api/stories/acme/claims",
            json={"text": "Acme knew in May.", "claimant": "Acme", "claimant_type": "organization"},
            headers=headers,
        )
    assert response.status_code == 503, response.get_data(as_text=True)
    message = response.get_json()["message"]
    assert "read-only" in message and "nothing was saved" in message.lower(), message
    assert "ask whoever runs the tracker" in message.lower(), message
    for cli_words in ("--db", "backup", "python -m", str(tmp_path), "remount"):
        assert cli_words not in message, message
    assert "\n" not in message
    conn = sqlite3.connect(db_path)
    assert conn.execute("SELECT count(*) FROM claims").fetchone() == (0,)
    conn.close()


@pytest.fixture
def open_folder():
    """A folder every account may enter (tmp_path's parents are its owner's alone), removed after."""
    import shutil
    import tempfile

    folder = Path(tempfile.mkdtemp(prefix="tracker-permissions-"))
    folder.chmod(0o777)
    yield folder
    for p in [folder, *folder.rglob("*")]:
        if p.is_dir():
            p.chmod(0o755)
    shutil.rmtree(folder)


@pytest.mark.parametrize("where", ["closed folder", "unreadable file", "link into a closed folder"])
@pytest.mark.parametrize(
    "command",
    [["stories"], ["init"], ["users", "add", "ben", "--password-stdin"], ["backup", "{folder}/copy.db"], ["publish"]],
    ids=lambda c: c[0],
)
def test_a_database_this_account_may_not_reach_or_read_is_said_so_in_one_line(open_folder, tmp_path, where, command):
    """A --db in a folder this account may not enter was a PermissionError traceback from every command (the
    read-only check looked at the file, which raised); a file it may not read was called read-only, with advice
    to read it with `stories` or copy it with `backup`, which fail the same way."""
    db_path = open_folder / ("" if where == "unreadable file" else "closed") / "tracker.db"
    db_path.parent.mkdir(exist_ok=True)
    db = connect(db_path)
    migrations.apply(db)
    stories.create_story(db, "acme", "Acme recalls toasters", keywords_include="Acme")
    db.close()
    (db_path if where == "unreadable file" else db_path.parent).chmod(0)
    if where == "link into a closed folder":  # a data disk linked in, say: the folder named is the one behind it
        (open_folder / "linked.db").symlink_to(db_path)
        db_path = open_folder / "linked.db"
    args = ["--db", str(db_path), *[part.format(folder=open_folder) for part in command]]
    env = {"TRACKER_PUBLIC_DB": str(open_folder / "public.db")}
    assert CliRunner().invoke(cli, ["--db", str(tmp_path / "warm.db"), "init"]).exit_code == 0  # imports done
    before = sorted(p.name for p in open_folder.iterdir())

    def attempt() -> tuple[int, str]:
        result = CliRunner().invoke(cli, args, input="correct-horse-battery\n", env=env)
        return result.exit_code, result.output

    code, output = as_another_account(attempt)
    assert code == 1, output
    (line,) = output.strip().splitlines()
    said = f"Cannot read {db_path}" if where == "unreadable file" else f"Cannot reach {db_path}"
    assert line.startswith(f"Error: {said}: this account may not ") and "permission denied" in line, line
    if where != "unreadable file":
        assert f"may not enter the folder {open_folder / 'closed'} " in line, line
    assert "backup" not in line and "still work" not in line, line
    assert sorted(p.name for p in open_folder.iterdir()) == before  # no copy, public file or journal made


@pytest.mark.parametrize(
    "command", [["backup", "{closed}/copy.db"], ["publish", "--yes", "--out", "{closed}/public.db"]]
)
def test_a_copy_into_a_folder_this_account_may_not_enter_is_said_so_in_one_line(open_folder, tmp_path, command):
    """`backup` and `publish --out` into such a folder were a PermissionError traceback too."""
    db_path, closed = open_folder / "tracker.db", open_folder / "closed"
    db = connect(db_path)
    migrations.apply(db)
    db.close()
    db_path.chmod(0o666)  # nobody's to read and write
    closed.mkdir()
    closed.chmod(0)
    assert CliRunner().invoke(cli, ["--db", str(tmp_path / "warm.db"), "init"]).exit_code == 0  # imports done
    args = ["--db", str(db_path), *[part.format(closed=closed) for part in command]]

    def attempt() -> tuple[int, str]:
        result = CliRunner().invoke(cli, args)
        return result.exit_code, result.output

    code, output = as_another_account(attempt)
    assert code == 1, output
    (line,) = output.strip().splitlines()
    assert line.startswith(f"Error: Cannot reach {closed}/") and f"enter the folder {closed} " in line, line


@pytest.mark.parametrize("storage", ["immutable file", "read-only media"])
def test_serve_from_a_read_only_working_database_builds_no_public_file(tmp_path, storage):
    """With no public file yet, serve built one from a working database it could not write and served it:
    swapped in unlogged, the public ids it gave not kept, so the next publish could give readers' ids to other
    claims (`publish` refuses the same). Said in one line with what to do, exit 1; nothing is made or served.

    A real `serve` process: before, it went on serving, so it is given a start-up bound, not waited on for ever.
    """
    folder, site = tmp_path / "working", tmp_path / "site"
    folder.mkdir()
    site.mkdir()
    db = connect(folder / "tracker.db")
    migrations.apply(db)
    editor = users.add_user(db, "edith", "correct-horse-battery", "editor")
    story = stories.create_story(db, "acme", "Acme recalls toasters", keywords_include="Acme")
    claim_id = claims.log_claim(db, story["id"], "Acme will recall every toaster.", "Acme", "organization", editor)
    claims.set_published(db, claim_id, True, editor, claims.get_claim(db, claim_id)["version"])
    db.close()
    public = site / "public.db"
    made = (
        read_only_file(folder / "tracker.db")
        if storage == "immutable file"
        else read_only_media(folder, tmp_path / "mount")
    )
    with made as where:
        db_path = where if storage == "immutable file" else where / "tracker.db"
        before = db_path.read_bytes()
        ports = ["--editor-port", str(free_port()), "--public-port", str(free_port())]
        try:
            result = subprocess.run(
                [sys.executable, "-m", "tracker", "--db", str(db_path), "serve", "--public-db", str(public), *ports],
                capture_output=True,
                text=True,
                cwd=ROOT,
                timeout=120,
            )
        except subprocess.TimeoutExpired as e:
            raise AssertionError(f"serve did not stop: {e.stdout!r}") from None
        assert db_path.read_bytes() == before
    assert result.returncode == 1, result.stdout + result.stderr
    (line,) = (result.stdout + result.stderr).strip().splitlines()
    assert line.startswith(f"Error: {db_path} is read-only, so the public file {public} cannot be built"), line
    assert "logged" in line and "public ids" in line and "start serve again" in line, line
    assert list(site.iterdir()) == []  # no public file, nothing beside it


READ_COMMANDS = [
    ["stories"],
    ["stories", "acme"],
    ["sources"],
    ["sources", "acme"],
    ["users", "list"],
    ["candidates"],
    ["candidates", "acme"],
    ["backup", "{out}/copy.db"],
    ["publish", "--yes", "--out", "{out}/public.db"],
]


@pytest.mark.parametrize("storage", ["file", "folder"])
@pytest.mark.parametrize("command", READ_COMMANDS, ids=lambda c: " ".join(c[:2]))
def test_a_command_that_only_reads_leaves_a_read_only_database_and_its_folder_as_they_were(tmp_path, storage, command):
    """Reading a read-only file in a writable folder made tracker.db-wal and tracker.db-shm beside it (SQLite's
    read-only connection makes them and cannot remove them), owned by whoever ran the command: the owner's next
    write then failed with "attempt to write a readonly database" until someone deleted them. Every read command
    works on a read-only file and a read-only folder and changes nothing there."""
    folder, out = tmp_path / "working", tmp_path / "out"
    folder.mkdir()
    out.mkdir()
    _working_database(folder / "tracker.db")
    made = read_only_file(folder / "tracker.db") if storage == "file" else read_only_media(folder, folder)
    with made:
        before = folder_state(folder)
        args = ["--db", str(folder / "tracker.db"), *[part.format(out=out) for part in command]]
        result = CliRunner().invoke(cli, args, env={"TRACKER_PUBLIC_DB": str(tmp_path / "public.db")})
        assert result.exit_code == 0, result.output
        assert "Traceback" not in result.output
        assert folder_state(folder) == before
        assert sorted(p.name for p in folder.iterdir()) == sorted(before)


def _working_database(path: Path) -> None:
    """A closed working database with an editor (edith), a story (acme), a source and a claim, in WAL mode."""
    db = connect(path)
    migrations.apply(db)
    editor = users.add_user(db, "edith", "correct-horse-battery", "editor")
    story = stories.create_story(db, "acme", "Acme recalls toasters", keywords_include="Acme")
    sources.add_source(db, story["id"], "https://news.example/feed.xml", "feed")
    claim_id = claims.log_claim(db, story["id"], "Acme will recall every toaster.", "Acme", "organization", editor)
    claims.set_published(db, claim_id, True, editor, claims.get_claim(db, claim_id)["version"])
    db.close()
    Path(f"{path}-lock").unlink(missing_ok=True)  # as a copy of the file alone would arrive


def test_a_read_only_database_another_account_has_open_is_read_through_its_shared_index(open_folder):
    """A file this account may not write can be written by its owner, now: a read must not take it for
    unchanging (immutable) while a connection of the owner's has it open (its -shm beside it), or it would miss
    what that connection committed to the -wal and could read the file mid-checkpoint."""
    db_path = open_folder / "tracker.db"
    _working_database(db_path)
    db_path.chmod(0o644)
    owner = connect(db_path, create=False)  # the owner's running tracker: its -wal and -shm are beside the file
    owner.execute("PRAGMA wal_autocheckpoint = 0")
    stories.create_story(owner, "globex", "Globex denies everything")
    assert CliRunner().invoke(cli, ["--db", str(open_folder / "warm.db"), "init"]).exit_code == 0  # imports done

    def attempt() -> tuple[int, str]:
        result = CliRunner().invoke(cli, ["--db", str(db_path), "stories"])
        return result.exit_code, result.output

    try:
        code, output = as_another_account(attempt)
    finally:
        owner.close()
    assert code == 0, output
    assert "acme" in output and "globex" in output, output


@pytest.mark.parametrize("storage", ["file", "folder"])
def test_the_editor_reads_a_read_only_database_and_says_a_change_cannot_be_saved(tmp_path, storage):
    """A copy on a read-only share: the editor could not even start there (SQLite cannot make the -shm a WAL
    database is read through), and one already running answered 503 to every page. Pages and search work, each
    says the database is read-only, a change is refused in one sentence saying so, and nothing is made beside
    the file: no -wal, -shm or lock file, however many requests (each opens it afresh)."""
    import html

    from tests.conftest import AuthActions, csrf_from
    from tracker.editor import create_app

    folder = tmp_path / "working"
    folder.mkdir()
    db_path = folder / "tracker.db"
    _working_database(db_path)
    made = read_only_file(db_path) if storage == "file" else read_only_media(folder, folder)
    with made:
        before = folder_state(folder)
        public = tmp_path / "public.db"
        app = create_app(
            {"TESTING": True, "SECRET_KEY": "k", "DATABASE": str(db_path), "PUBLIC_DB": str(public), "DB_POOL": True}
        )
        client = app.test_client()
        assert AuthActions(client).login("edith", "correct-horse-battery").status_code == 302
        for url, shows in [
            ("/", "Acme recalls toasters"),
            ("/stories/acme", "Acme will recall every toaster."),
            ("/stories/acme?q=toaster", "recall every"),
        ]:
            page = client.get(url)
            text = page.get_data(as_text=True)
            assert page.status_code == 200, text[:500]
            assert shows in text, url
            assert "read-only" in text and "browse and search" in text, url
        token = csrf_from(client.get("/stories/acme/claims/new").get_data(as_text=True))
        typed = {"text": "Acme knew in May.", "claimant": "Acme", "claimant_type": "organization"}
        response = client.post("/stories/acme/claims/new", data={**typed, "csrf_token": token})
        page = response.get_data(as_text=True)
        assert response.status_code == 503, page[:500]
        lede = html.unescape(page.split('class="lede">')[1].split("</p>")[0])
        assert lede.count(". ") == 0 and "read-only" in lede and "not saved" in lede, lede
        assert "Acme knew in May." in page  # what was typed, to copy elsewhere
        review = client.get("/publish").get_data(as_text=True)  # unlogged, readers' ids would be given again
        published = client.post("/publish", data={"reviewed": "any", "csrf_token": csrf_from(review)})
        assert "Nothing was published" in client.get(published.headers["Location"]).get_data(as_text=True)
        assert not public.exists()
        wrong = AuthActions(app.test_client()).login("edith", "not-the-password")
        assert wrong.status_code == 401 and "Traceback" not in wrong.get_data(as_text=True)  # said as anywhere else
        assert folder_state(folder) == before
    conn = sqlite3.connect(db_path)
    assert conn.execute("SELECT count(*) FROM claims").fetchone() == (1,)
    conn.close()
