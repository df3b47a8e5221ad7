"""`python -m tracker serve` as `make run` starts it: gunicorn workers beside Datasette, as real processes."""

from __future__ import annotations

import http.cookiejar
import os
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import PASSWORD
from tests.e2e.conftest import free_port, wait_for
from tests.test_file_size_limit import LIMIT_AFTER_SWAP

ROOT = Path(__file__).resolve().parent.parent


def _children(pid: int) -> list[int]:
    """Direct child processes of pid, from /proc (Linux)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            # The command name may hold spaces and parentheses; the parent pid follows the last ')'.
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return Path(f"/proc/{pid}").exists() and "Z" not in Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1][:3]


@pytest.fixture
def served(tmp_path):
    env = {
        **os.environ,
        "TRACKER_DB": str(tmp_path / "tracker.db"),
        "TRACKER_PUBLIC_DB": str(tmp_path / "public.db"),
        "TRACKER_SECRET_KEY": "serve-test-secret-" + "0" * 32,
        "TRACKER_ALERTS_KEY": "c2VydmUtdGVzdC1hbGVydHMta2V5LTAwMDAwMDAwMDA=",  # a Fernet key: 32 bytes, base64
        "SOME_TOKEN_OF_THE_SHELL": "not-the-public-site-s",
    }

    def cli(*args: str, **kw) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "tracker", *args], env=env, cwd=ROOT, text=True, capture_output=True, **kw
        )

    cli.env = env

    cli("init", check=True)
    cli("users", "add", "eddie", "--role", "editor", "--password-stdin", input=PASSWORD + "\n", check=True)
    editor_port, public_port = free_port(), free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "tracker", "serve", "--workers", "2"]
        + ["--editor-port", str(editor_port), "--public-port", str(public_port)],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    editor = f"http://127.0.0.1:{editor_port}"
    proc.public_site = f"http://127.0.0.1:{public_port}"
    try:
        wait_for(editor + "/login", proc)
        wait_for(f"http://127.0.0.1:{public_port}/", proc)
        yield proc, editor, cli
    finally:
        if proc.poll() is None:
            proc.terminate()
        proc.wait(timeout=30)


def _gunicorn_master(serve_pid: int) -> int:
    for pid in _children(serve_pid):
        if "gunicorn" in Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace"):
            return pid
    raise AssertionError("no gunicorn process under `tracker serve`")


def test_the_editor_runs_in_worker_processes_that_share_one_login_limit(served):
    proc, editor, _ = served
    master = _gunicorn_master(proc.pid)
    assert len(_children(master)) == 2, "two worker processes, as --workers 2 asks"

    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    codes = []
    for i in range(11):
        page = opener.open(editor + "/login", timeout=10).read().decode()
        token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        form = urllib.parse.urlencode({"username": f"nobody{i}", "password": "wrong", "csrf_token": token}).encode()
        try:
            codes.append(opener.open(editor + "/login", data=form, timeout=10).status)
        except urllib.error.HTTPError as e:
            codes.append(e.code)
    # Kept in each worker's memory, the limit would let about twice as many through.
    assert codes == [401] * 10 + [429]


def test_the_alert_sender_links_to_the_port_the_editor_is_served_on(served):
    proc, editor, _ = served
    senders = [pid for pid in _children(proc.pid) if b"alerts\x00run" in Path(f"/proc/{pid}/cmdline").read_bytes()]
    assert len(senders) == 1
    environ = dict(
        item.split("=", 1)
        for item in Path(f"/proc/{senders[0]}/environ").read_bytes().decode().split("\0")
        if "=" in item
    )
    assert environ["TRACKER_EDITOR_URL"] == editor  # not the default port's, which another program may hold


def _environ(pid: int) -> dict[str, str]:
    raw = Path(f"/proc/{pid}/environ").read_bytes().decode()
    return dict(item.split("=", 1) for item in raw.split("\0") if "=" in item)


def test_alerts_and_the_editor_link_to_the_port_the_public_site_is_served_on(served):
    """`serve --public-port 8800`: a publish's alert linked each claim to http://127.0.0.1:8001/public/claims/1,
    the default port's, where nothing (or another program) answered."""
    from tracker.config import Settings

    proc, _, _ = served
    senders = [pid for pid in _children(proc.pid) if b"alerts\x00run" in Path(f"/proc/{pid}/cmdline").read_bytes()]
    for pid in [*senders, _gunicorn_master(proc.pid)]:
        assert Settings.from_env(_environ(pid)).public_site_url == proc.public_site, pid


def test_the_public_site_s_process_holds_none_of_the_editor_s_secrets(served):
    """Datasette (which runs visitors' SQL) inherited the whole environment: the editor's session-signing key,
    the key sealing alert destinations, whatever else the shell held. It gets its own settings and what a Python
    process needs to start."""
    from tracker.serve import PROCESS_VARIABLES

    proc, _, _ = served
    [site] = [pid for pid in _children(proc.pid) if b"datasette" in Path(f"/proc/{pid}/cmdline").read_bytes()]
    environ = _environ(site)
    assert not {"TRACKER_SECRET_KEY", "TRACKER_ALERTS_KEY", "TRACKER_DB", "SOME_TOKEN_OF_THE_SHELL"} & set(environ)
    public = {"TRACKER_PUBLIC_URL", "TRACKER_PUBLIC_HOSTS", "TRACKER_HTTPS", "TRACKER_PAGE_CACHE_SECONDS"}
    assert set(environ) - set(PROCESS_VARIABLES) - public - {"TRACKER_PROXIES", "FORWARDED_ALLOW_IPS"} == set()
    assert environ["TRACKER_PUBLIC_URL"] == proc.public_site
    urllib.request.urlopen(proc.public_site + "/public/timeline", timeout=30).read()  # and it serves


def test_stopping_serve_stops_every_process_it_started(served):
    proc, editor, _ = served
    master = _gunicorn_master(proc.pid)
    started = [*_children(proc.pid), *_children(master)]
    assert len(started) >= 4  # gunicorn, its two workers, Datasette
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=30) == 0
    assert not [pid for pid in started if _alive(pid)]
    assert "Stopping." in proc.stdout.read()


def _descendants(pid: int) -> list[int]:
    found = []
    for child in _children(pid):
        found += [child, *_descendants(child)]
    return found


def test_serve_killed_outright_takes_every_process_it_started_with_it_and_starts_again(served, tmp_path):
    """`kill -9` (or the OOM killer) on serve itself: the editor, Datasette and the alert sender it started kept
    running without it, holding both ports, so the next `serve` (or `make run`) failed with a busy port, and an
    editor's save went to a server nobody would ever stop."""
    proc, editor, cli = served
    started = _descendants(proc.pid)
    assert len(started) >= 4  # gunicorn and its workers, Datasette, the alert sender
    proc.send_signal(signal.SIGKILL)
    assert proc.wait(timeout=30) == -signal.SIGKILL
    gone = threading.Event()
    try:
        for _ in range(600):  # each stops on the signal its parent's death sends, gunicorn's workers after gunicorn
            if not [pid for pid in started if _alive(pid)]:
                break
            gone.wait(0.05)
        left = [Path(f"/proc/{pid}/cmdline").read_bytes() for pid in started if _alive(pid)]
    finally:
        for pid in started:  # none left running after a failure either
            if _alive(pid):
                os.kill(pid, signal.SIGKILL)
    assert not left, left

    ports = [editor.rsplit(":", 1)[1], proc.public_site.rsplit(":", 1)[1]]
    again = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tracker",
            "serve",
            "--workers",
            "1",
            "--editor-port",
            ports[0],
            "--public-port",
            ports[1],
        ],
        env=cli.env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        wait_for(editor + "/login", again)
        wait_for(proc.public_site + "/", again)
    finally:
        again.terminate()
        assert again.wait(timeout=60) == 0, again.stdout.read()


def _serve_on_a_taken_port(env: dict) -> tuple[int, subprocess.CompletedProcess]:
    """`serve` asked to listen on an editor port another socket holds: the port, and how serve ended."""
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        result = subprocess.run(
            [sys.executable, "-m", "tracker", "serve", "--editor-port", str(port), "--public-port", str(free_port())],
            env=env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=60,
        )
    return port, result


def test_a_host_name_behind_a_silent_name_server_is_a_one_line_message_not_a_stall(monkeypatch):
    """`serve --host NAME` looked the name up with no bound before listening: a name server that took the question
    and never answered held start-up for as long as the resolver kept trying, saying nothing. The lookup gets the
    project's one bound (scrapers/http/guard.py), and the message names the host and what to do; a name that does
    not exist said "choose a free port", which no port fixes."""
    from scrapers.http import guard
    from tests.alert_receivers import SilentNameServer
    from tracker import serve
    from tracker.db import TrackerError

    names = SilentNameServer()
    monkeypatch.setattr("socket.getaddrinfo", names.resolver(socket.getaddrinfo))
    monkeypatch.setattr(guard, "LOOKUP_TIMEOUT", 0.2)
    port = free_port()
    with pytest.raises(TrackerError) as unknown:
        serve.listen("nowhere.blackhole.test", port)
    names.silent = True
    try:
        with pytest.raises(TrackerError) as silent:
            serve.listen("editor.blackhole.test", port)
        asked = names.names_asked()  # the question went out, and is still unanswered as listen() gave up
    finally:
        names.close()
        for thread in threading.enumerate():
            if thread.name.startswith("lookup editor.blackhole.test"):
                thread.join(10)
    assert asked == ["editor.blackhole.test"]
    assert str(silent.value) == (
        f"Cannot listen on editor.blackhole.test:{port}: the name servers of editor.blackhole.test gave no answer in "
        "time (0.2 s); give --host an IP address (127.0.0.1, or one of this machine's), or put the name in /etc/hosts."
    )
    said = str(unknown.value)
    assert said.startswith(f"Cannot listen on nowhere.blackhole.test:{port}: nowhere.blackhole.test could not be")
    assert "--host" in said and "free port" not in said
    with serve.listen("localhost", port) as listener:  # a name the hosts file answers still listens
        assert listener.getsockname()[1] == port


def test_a_host_name_is_looked_up_once_and_the_public_site_given_its_address(tmp_path):
    """`serve --host NAME` looked the name up within the bound, then handed NAME to Datasette, which looked it up
    again with none: a name server gone silent in between held the public site's start for as long as it liked,
    and the two sites could land on two addresses of one name. Datasette is given the address serve bound."""
    import ipaddress

    env = {
        **os.environ,
        "TRACKER_DB": str(tmp_path / "tracker.db"),
        "TRACKER_PUBLIC_DB": str(tmp_path / "public.db"),
        "TRACKER_SECRET_KEY": "serve-test-secret-" + "0" * 32,
    }
    subprocess.run([sys.executable, "-m", "tracker", "init"], env=env, cwd=ROOT, check=True, capture_output=True)
    editor_port, public_port = free_port(), free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "tracker", "serve", "--host", "localhost", "--workers", "1"]
        + ["--editor-port", str(editor_port), "--public-port", str(public_port)],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        wait_for(f"http://localhost:{public_port}/", proc)
        [datasette] = [
            Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
            for pid in _children(proc.pid)
            if b"datasette" in Path(f"/proc/{pid}/cmdline").read_bytes()
        ]
    finally:
        proc.terminate()
        assert proc.wait(timeout=60) == 0, proc.stdout.read()
    given = datasette[datasette.index(b"-h") + 1].decode()
    assert ipaddress.ip_address(given).is_loopback, given


def test_a_busy_editor_port_is_a_clear_message_and_starts_nothing(tmp_path):
    env = {**os.environ, "TRACKER_DB": str(tmp_path / "tracker.db"), "TRACKER_PUBLIC_DB": str(tmp_path / "public.db")}
    subprocess.run([sys.executable, "-m", "tracker", "init"], env=env, cwd=ROOT, check=True, capture_output=True)
    port, result = _serve_on_a_taken_port(env)
    assert result.returncode != 0
    assert f"Cannot listen on 127.0.0.1:{port}" in result.stderr
    assert "--editor-port or EDITOR_PORT" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    # Said before the first public file was built and its ids given in the working database, as a taken public
    # port is: a serve that cannot start changes nothing.
    assert not (tmp_path / "public.db").exists() and "Built" not in result.stdout, result.stdout
    # A database made before new ones were 0600 is pointed out on every start, not only by `init`.
    assert "readable by every account on this machine" not in result.stdout
    (tmp_path / "tracker.db").chmod(0o644)
    port, again = _serve_on_a_taken_port(env)
    assert "readable by every account on this machine, and it holds source identities" in again.stdout
    assert f"chmod 600 {tmp_path / 'tracker.db'}" in again.stdout


def test_a_busy_public_port_is_a_clear_message_and_starts_nothing(tmp_path):
    """Datasette binds its own port: taken, it used to start the editor first, then stop everything with
    uvicorn's lines and "run `make run` again", which fails the same way."""
    env = {**os.environ, "TRACKER_DB": str(tmp_path / "tracker.db"), "TRACKER_PUBLIC_DB": str(tmp_path / "public.db")}
    subprocess.run([sys.executable, "-m", "tracker", "init"], env=env, cwd=ROOT, check=True, capture_output=True)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        result = subprocess.run(
            [sys.executable, "-m", "tracker", "serve", "--editor-port", str(free_port()), "--public-port", str(port)],
            env=env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        f"Error: Cannot listen on 127.0.0.1:{port} (Address already in use); choose a free port with --public-port "
        "or PUBLIC_PORT."
    ]
    assert "Editor:" not in result.stdout


def test_one_port_for_both_sites_is_refused_before_anything_starts(tmp_path):
    port = str(free_port())
    result = _serve_refused(tmp_path, "--editor-port", port, "--public-port", port)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        f"Error: The editor and the public site cannot share port {port}: give them two different ports."
    ]
    assert "Editor:" not in result.stdout


def test_a_busy_live_demo_port_is_a_clear_message_and_starts_nothing(tmp_path):
    """The demo's own server refused the port, but whatever held it answered serve's readiness check: the
    sites started and `watch` polled the fictional sites' pages from that other program every ten seconds."""
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        result = _serve_refused(tmp_path, "--live-demo", "--demo-port", str(port))
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        f"Error: Cannot listen on 127.0.0.1:{port} (Address already in use); choose a free port with --demo-port "
        "or DEMO_PORT."
    ]
    assert "Editor:" not in result.stdout


def test_the_live_demo_cannot_share_a_port_with_a_site(tmp_path):
    port = str(free_port())
    result = _serve_refused(tmp_path, "--public-port", port, "--live-demo", "--demo-port", port)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        f"Error: The live demo cannot share port {port} with the editor or the public site: give it another "
        "(--demo-port or DEMO_PORT)."
    ]
    assert "Editor:" not in result.stdout


def test_demo_live_on_a_busy_port_names_its_option_and_changes_nothing(tmp_path):
    """It said "set DEMO_PORT" to someone who gave --port, after adding the demo's story and sources."""
    from click.testing import CliRunner

    from tracker.cli import cli

    db_path = tmp_path / "tracker.db"
    CliRunner().invoke(cli, ["--db", str(db_path), "init"])
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        result = CliRunner().invoke(cli, ["--db", str(db_path), "demo-live", "--port", str(port)])
    assert result.exit_code == 1, result.output
    assert result.output.strip().splitlines() == [
        f"Error: Cannot listen on 127.0.0.1:{port} (Address already in use); choose a free port with --port or "
        "DEMO_PORT."
    ]
    conn = sqlite3.connect(db_path)
    assert conn.execute("SELECT count(*) FROM stories").fetchone()[0] == 0
    conn.close()


def _stopped_at_editor_line(tmp_path, editor_port: int, public_port: int, said: list | None = None) -> str:
    """Start one-worker `serve` on a fresh database, send SIGTERM once it prints its "Editor:" line; that line.

    said, if given, gets what serve printed after that line and its exit code.
    """
    env = {**os.environ, "TRACKER_DB": str(tmp_path / "tracker.db"), "TRACKER_PUBLIC_DB": str(tmp_path / "public.db")}
    env = {k: v for k, v in env.items() if not k.startswith("TRACKER_PUBLIC_") or k == "TRACKER_PUBLIC_DB"}
    subprocess.run([sys.executable, "-m", "tracker", "init"], env=env, cwd=ROOT, check=True, capture_output=True)
    proc = subprocess.Popen(
        [sys.executable, "-m", "tracker", "serve", "--workers", "1"]
        + ["--editor-port", str(editor_port), "--public-port", str(public_port)],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        line = ""
        while proc.poll() is None and not line.startswith("Editor:"):
            line = proc.stdout.readline()
    finally:
        proc.terminate()
        rest, _ = proc.communicate(timeout=60)
    if said is not None:
        said.extend([rest, proc.returncode])
    return line


def test_one_editor_worker_is_said_in_the_singular(tmp_path):
    """It said "1 workers"."""
    editor_port = free_port()
    line = _stopped_at_editor_line(tmp_path, editor_port, free_port())
    assert line.startswith("Editor:"), line
    assert f"127.0.0.1:{editor_port}  (1 worker × 2 threads)" in line


def test_a_kill_while_serve_starts_stops_what_it_had_started(tmp_path):
    """The SIGTERM handler was set only once everything had started: `kill` (a service manager's stop) in between
    ended serve at once and left the editor's workers and the public site running, holding their ports."""
    editor_port, public_port = free_port(), free_port()
    said = []
    line = _stopped_at_editor_line(tmp_path, editor_port, public_port, said)
    assert line.startswith("Editor:"), line
    # Stopped while starting, or just after: either way one line of its own, never click's bare "Aborted!".
    rest, code = said
    ours = [text for text in rest.splitlines() if not text.startswith(("INFO:", "[", " "))]
    assert "Aborted!" not in rest and "Traceback" not in rest, rest
    assert ours[-1] in ("Stopping.", "Error: Stopped while starting: every server already started was stopped."), rest
    assert code in (0, 1)
    for port in (editor_port, public_port):
        with socket.socket() as probe:
            assert probe.connect_ex(("127.0.0.1", port)) != 0, f"port {port} is still served"


def _serve_refused(tmp_path, *args: str, **env_extra: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TRACKER_PUBLIC_")}
    env.update(TRACKER_DB=str(tmp_path / "tracker.db"), TRACKER_PUBLIC_DB=str(tmp_path / "public.db"), **env_extra)
    subprocess.run([sys.executable, "-m", "tracker", "init"], env=env, cwd=ROOT, check=True, capture_output=True)
    return subprocess.run(
        [sys.executable, "-m", "tracker", "serve", "--editor-port", str(free_port())]
        + ["--public-port", str(free_port()), *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_a_public_file_that_is_not_a_database_is_one_line_and_starts_nothing(tmp_path):
    """Datasette met it after the editor had started, and printed a traceback some 500 lines long."""
    (tmp_path / "public.db").write_text("Not a database: a file copied to the wrong name.\n" * 4)
    result = _serve_refused(tmp_path)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        f"Error: {tmp_path / 'public.db'} is not a public database the site can serve (file is not a database). "
        "Move it out of the way and start serve again: it builds a new one."
    ]
    assert "Editor:" not in result.stdout


@pytest.mark.parametrize("how", ["symlink", "copy"])
def test_the_working_database_in_the_public_file_s_place_is_never_served(tmp_path, how):
    """public.db a symlink to tracker.db, or a copy of it under that name: Datasette served every account's
    password hash, every internal note and confidential source to anyone (publish refuses to write there)."""
    working, public = tmp_path / "tracker.db", tmp_path / "public.db"
    env = {**os.environ, "TRACKER_DB": str(working)}
    subprocess.run([sys.executable, "-m", "tracker", "init"], env=env, cwd=ROOT, check=True, capture_output=True)
    if how == "symlink":
        public.symlink_to(working)
    else:
        shutil.copy(working, public)
    result = _serve_refused(tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"Error: {public} is not a public database"), lines
    assert "is a working database" in lines[0] and "Traceback" not in result.stderr
    assert "Editor:" not in result.stdout and "Public site:" not in result.stdout


def test_serve_refuses_the_benchmark_floor_routes(tmp_path):
    """TRACKER_BENCH_FLOOR=1 adds unauthenticated routes that read confidential fields and rule on claims."""
    result = _serve_refused(tmp_path, TRACKER_BENCH_FLOOR="1")
    assert result.returncode != 0
    assert "TRACKER_BENCH_FLOOR" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "public.db").exists(), "nothing was started or built"


def test_serving_beyond_loopback_needs_the_public_address(tmp_path):
    result = _serve_refused(tmp_path, "--host", "0.0.0.0")
    assert result.returncode != 0
    assert "TRACKER_PUBLIC_URL" in result.stderr and "Traceback" not in result.stderr
    bad = _serve_refused(tmp_path, "--host", "0.0.0.0", TRACKER_PUBLIC_URL="tracker.example.org/path")
    assert bad.returncode != 0 and "not a site address" in bad.stderr


def test_the_public_site_is_told_its_address():
    from tracker.config import Settings
    from tracker.serve import public_site_env

    def env(host, **variables):
        return public_site_env(host, 8130, Settings.from_env(variables))

    assert env("127.0.0.1")["TRACKER_PUBLIC_URL"] == "http://127.0.0.1:8130"
    assert env("::1")["TRACKER_PUBLIC_URL"] == "http://[::1]:8130"
    configured = env("0.0.0.0", TRACKER_PUBLIC_URL="https://tracker.example.org", TRACKER_HTTPS="1")
    assert configured["TRACKER_PUBLIC_URL"] == "https://tracker.example.org" and configured["TRACKER_HTTPS"] == "1"
    assert env("0.0.0.0", TRACKER_PUBLIC_HOSTS="tracker.example.org")["TRACKER_PUBLIC_HOSTS"] == "tracker.example.org"


def test_the_benchmark_floor_routes_answer_only_the_benchmark_on_this_machine(db_path, story, tmp_path, monkeypatch):
    """`app.py` under gunicorn does not refuse TRACKER_BENCH_FLOOR as `serve` does, and behind a proxy on this
    machine every request comes from 127.0.0.1: the address alone let anyone read claims and rule on them."""
    from tracker.editor import create_app
    from tracker.editor.bench_floor import KEY_HEADER, floor_key

    monkeypatch.setenv("TRACKER_BENCH_FLOOR", "1")
    secret = "a secret key the benchmark chose, 0123456789"
    app = create_app(
        {"TESTING": True, "SECRET_KEY": secret, "DATABASE": str(db_path), "PUBLIC_DB": str(tmp_path / "p.db")}
    )
    client = app.test_client()
    path = f"/_bench/stories/{story['slug']}/claims"
    keyed = {KEY_HEADER: floor_key(secret)}
    assert client.get(path, headers=keyed, environ_base={"REMOTE_ADDR": "192.0.2.7"}).status_code == 404
    assert client.get(path).status_code == 404  # this machine (a proxy's requests), no key
    assert client.get(path, headers={KEY_HEADER: floor_key("another secret")}).status_code == 404
    assert client.post("/_bench/claims/1/status", data={"editor": "x", "status": "confirmed"}).status_code == 404
    assert client.get(path, headers=keyed).status_code == 200
    assert secret not in keyed[KEY_HEADER]


def test_the_live_demo_s_watch_stopped_by_a_full_disk_leaves_the_editor_and_the_public_site_up(tmp_path):
    """`watch` ends on a full disk by design; `serve` stopping every process with it took the editor down too.

    A reporter's next form then met no server at all, instead of the 503
    page that keeps what they typed (the editor's pages are never cached, so
    going back brings nothing either).
    """
    from tests.storage import small_disk

    with small_disk(tmp_path / "disk", 16 * 1024) as disk:
        env = {
            **os.environ,
            "TRACKER_DB": str(disk.path / "tracker.db"),
            "TRACKER_PUBLIC_DB": str(tmp_path / "public.db"),
            "TRACKER_SECRET_KEY": "serve-test-secret-" + "0" * 32,
            "DEMO_PACE": "0",
        }
        subprocess.run([sys.executable, "-m", "tracker", "init"], env=env, cwd=ROOT, check=True, capture_output=True)
        editor_port, public_port, demo_port = free_port(), free_port(), free_port()
        proc = subprocess.Popen(
            [sys.executable, "-m", "tracker", "serve", "--workers", "1", "--live-demo", "--demo-port", str(demo_port)]
            + ["--editor-port", str(editor_port), "--public-port", str(public_port)],
            env=env,
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        editor = f"http://127.0.0.1:{editor_port}"
        try:
            wait_for(editor + "/login", proc)
            for line in proc.stdout:
                if line.startswith("Press Ctrl-C"):
                    break
            disk.fill(leave=0)
            said = []
            for line in proc.stdout:  # the watch's next pass meets the full disk and it ends; then serve says so
                said.append(line)
                if "watch loop stopped" in line:
                    break
            assert any("Disk full" in line for line in said), said
            assert "The editor and the public site keep running" in said[-1], said
            disk.empty()
            assert urllib.request.urlopen(editor + "/login", timeout=10).status == 200
            assert urllib.request.urlopen(f"http://127.0.0.1:{public_port}/", timeout=10).status == 200
            assert proc.poll() is None, "".join(said)
        finally:
            if proc.poll() is None:
                proc.terminate()
            proc.wait(timeout=30)


def _public_file_of_an_earlier_version(tmp_path_factory, name: str):
    """A published pair of files whose public file lacks a column this version's pages read (the timeline's
    claim_ids, added by an upgrade): as left by the version before."""
    from tests.test_public import build_site, publish_into

    folder, info = publish_into(tmp_path_factory, name, build_site)
    conn = sqlite3.connect(folder / "public.db")
    conn.execute("ALTER TABLE events DROP COLUMN claim_ids")
    conn.commit()
    conn.close()
    return folder, info


def test_serve_rebuilds_a_public_file_of_an_earlier_version_when_readers_would_see_no_change(tmp_path_factory):
    """Upgraded and started with `serve` (not `make run`, which refreshes first), every reader page was a 500
    ("no such column: claim_ids") until an editor published."""
    from tests.test_public import get
    from tracker.public import make_datasette
    from tracker.serve import refresh_outdated_public_file

    folder, _ = _public_file_of_an_earlier_version(tmp_path_factory, "behind")
    said: list[str] = []
    refresh_outdated_public_file(str(folder / "tracker.db"), str(folder / "public.db"), said.append)
    assert said == [
        f"Rebuilt {folder / 'public.db'} for this version of the tracker (it had no events.claim_ids); "
        "readers see no change."
    ]
    columns = [row[1] for row in sqlite3.connect(folder / "public.db").execute("PRAGMA table_info(events)")]
    assert "claim_ids" in columns
    for path in ("/", "/public/timeline", "/stories/acme-kettles"):
        assert get(make_datasette(str(folder / "public.db")), path).status_code == 200, path
    said.clear()
    refresh_outdated_public_file(str(folder / "tracker.db"), str(folder / "public.db"), said.append)
    assert said == []  # up to date: nothing built, nothing said


def test_serve_says_a_public_file_of_an_earlier_version_waits_for_a_publish_when_changes_wait(tmp_path_factory):
    """With changes waiting for an editor, the rebuild would publish them: it is not done, and serve says why the
    reader pages fail and what ends it, instead of leaving the 500s unexplained."""
    from tests.test_public import rule
    from tracker.db import connect
    from tracker.serve import refresh_outdated_public_file

    folder, info = _public_file_of_an_earlier_version(tmp_path_factory, "behind-pending")
    db = connect(folder / "tracker.db")
    rule(db, info["skipped"], "unclear", info["editor"], "A second look.")
    db.close()
    before = (folder / "public.db").read_bytes()
    said: list[str] = []
    refresh_outdated_public_file(str(folder / "tracker.db"), str(folder / "public.db"), said.append)
    assert (folder / "public.db").read_bytes() == before
    assert len(said) == 1 and "earlier version" in said[0] and "events.claim_ids" in said[0]
    assert "1 change(s)" in said[0] and "Publish page" in said[0] and "publish --yes" in said[0]


REFRESH_LIMITED_AFTER_SWAP = (
    LIMIT_AFTER_SWAP
    + """from tracker.serve import refresh_outdated_public_file
said = []
refresh_outdated_public_file(sys.argv[1], sys.argv[2], said.append)
print(json.dumps(said))
"""
)


def test_a_rebuild_whose_log_cannot_be_written_says_the_file_was_rebuilt(tmp_path_factory):
    """The rebuild had replaced the public file when the log's write met the file size limit (or a full disk),
    and serve said the file "was not rebuilt", sending the admin after a problem readers no longer had."""
    import json

    folder, _ = _public_file_of_an_earlier_version(tmp_path_factory, "behind-limited")
    result = subprocess.run(
        [sys.executable, "-c", REFRESH_LIMITED_AFTER_SWAP, str(folder / "tracker.db"), str(folder / "public.db")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    (said,) = json.loads(result.stdout.strip().splitlines()[-1])
    assert said.startswith(f"Rebuilt {folder / 'public.db'} for this version of the tracker"), said
    assert "not rebuilt" not in said and "publish log" in said and "File size limit:" in said, said
    columns = [row[1] for row in sqlite3.connect(folder / "public.db").execute("PRAGMA table_info(events)")]
    assert "claim_ids" in columns


def test_serve_names_the_working_database_another_program_keeps_locked(tmp_path_factory, monkeypatch):
    """A sqlite3 shell left inside a change when serve started: settling an interrupted publish's log, and the
    rebuild of an earlier version's public file, said only "database is locked": neither the file nor what to do.
    Both now say it as publish does (tracker.db.stopping_error)."""
    import tracker.db
    from tracker.publish import PublishError
    from tracker.serve import _settle_publish_log, refresh_outdated_public_file

    monkeypatch.setattr(tracker.db, "BUSY_TIMEOUT_MS", 50)
    folder, _ = _public_file_of_an_earlier_version(tmp_path_factory, "behind-locked")
    working, public, killed = str(folder / "tracker.db"), str(folder / "public.db"), str(folder / "killed.db")
    conn = sqlite3.connect(working)
    conn.execute(
        "INSERT INTO publish_log (at, claims, added, removed, status_changed, text_changed, pending_out) "
        "VALUES ('2026-03-02T10:00:00Z', 0, 0, 0, 0, 0, ?)",
        [killed],
    )
    conn.commit()
    conn.close()
    before = Path(public).read_bytes()
    said: list[str] = []
    shell = sqlite3.connect(working, isolation_level=None)
    shell.execute("BEGIN IMMEDIATE")
    try:
        _settle_publish_log(working, killed, said.append)
        with pytest.raises(PublishError) as refused:
            refresh_outdated_public_file(working, public, said.append)
    finally:
        shell.execute("ROLLBACK")
        shell.close()
    assert len(said) == 1, said
    for line in (said[0], str(refused.value)):
        assert f"{working} is locked by another program" in line and "Close that program" in line, line
    assert Path(public).read_bytes() == before


def test_the_public_file_serve_builds_at_its_first_start_is_a_logged_publish(served):
    """With no public file yet, serve builds one: that is the first thing readers see, so the Publish page's
    history and the file itself say which publish it was, as every other publish to that file does."""
    proc, _editor, cli = served
    conn = sqlite3.connect(cli.env["TRACKER_DB"])
    try:
        rows = conn.execute("SELECT id, pending_out FROM publish_log").fetchall()
    finally:
        conn.close()
    assert len(rows) == 1 and rows[0][1] is None, rows
    public = sqlite3.connect(cli.env["TRACKER_PUBLIC_DB"])
    try:
        assert public.execute("PRAGMA user_version").fetchone()[0] == rows[0][0]
    finally:
        public.close()
