"""Serving the public file for real: a `datasette` process, publishes picked up live, snapshots served immutable."""

from __future__ import annotations

import asyncio
import contextlib
import importlib.util
import json
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from tests.servers import free_port
from tests.test_public import UNPUBLISHED, build_site, publish_into
from tracker import claims
from tracker.db import TrackerError, connect
from tracker.public import (
    METADATA_PATH,
    PLUGINS_DIR,
    TEMPLATE_DIR,
    datasette_serve_args,
    inspect_counts,
    make_datasette,
    setting_args,
)
from tracker.publish import publish

ROOT = Path(__file__).resolve().parent.parent


def load_deploy():
    spec = importlib.util.spec_from_file_location("deploy_public_snapshot", ROOT / "deploy" / "public_snapshot.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict:
    folder, info = publish_into(tmp_path_factory, "deploy", build_site)
    return {"folder": folder, **info}


@pytest.fixture(scope="module")
def snap(built, tmp_path_factory) -> Path:
    """One snapshot for the tests that only read it (`datasette inspect` takes about a second)."""
    return load_deploy().snapshot(built["folder"] / "public.db", tmp_path_factory.mktemp("snapshot"))


@pytest.fixture
def files(built, tmp_path) -> dict:
    for name in ("tracker.db", "public.db"):
        shutil.copy(built["folder"] / name, tmp_path / name)
    return {**built, "tracker": tmp_path / "tracker.db", "public": tmp_path / "public.db", "tmp": tmp_path}


class Server:
    """A `datasette` process on a free port, stopped by its own pid."""

    def __init__(self, argv: list[str], **popen):
        self.proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, **popen)

    def wait(self, url: str) -> None:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"datasette exited: {self.proc.stderr.read()[-2000:]}")
            try:
                httpx.get(url, timeout=2)
                return
            except httpx.TransportError:
                time.sleep(0.1)
        raise RuntimeError(f"{url} did not answer")

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


@pytest.fixture
def serve():
    servers: list[Server] = []

    def start(argv: list[str], port: int, **popen) -> str:
        server = Server(argv, **popen)
        servers.append(server)
        base = f"http://127.0.0.1:{port}"
        server.wait(base + "/public.json")
        return base

    yield start
    for server in servers:
        server.stop()


def test_a_datasette_process_picks_up_a_second_publish_without_restart(files, serve):
    port = free_port()
    base = serve(
        [sys.executable, "-m", "datasette", *datasette_serve_args(str(files["public"]), "127.0.0.1", port)], port
    )
    first = httpx.get(base + "/public/timeline.json?_shape=array").json()
    assert UNPUBLISHED not in {r["claim"] for r in first}
    assert httpx.get(base + "/public/timeline").headers["content-security-policy"].startswith("default-src 'self'")

    db = connect(files["tracker"], create=False)
    hidden = files["hidden"]
    claims.set_published(db, hidden, True, files["editor"], claims.get_claim(db, hidden)["version"])
    publish(db, files["public"])
    db.close()

    second = httpx.get(base + "/public/timeline.json?_shape=array").json()
    assert UNPUBLISHED in {r["claim"] for r in second}
    assert httpx.get(base + f"/public/claims/{hidden}").status_code == 200
    assert UNPUBLISHED in httpx.get(base + "/public/timeline").text


def test_immutable_arguments_need_an_inspected_snapshot(files):
    args = datasette_serve_args(str(files["public"]), "127.0.0.1", 8001, immutable=True, inspect_file="counts.json")
    assert args[:3] == ["serve", "-i", str(files["public"])]
    assert args[args.index("--inspect-file") + 1] == "counts.json"
    assert args[args.index("default_cache_ttl") + 1] == "60"
    with pytest.raises(TrackerError, match="immutable"):
        datasette_serve_args(str(files["public"]), "127.0.0.1", 8001, inspect_file="counts.json")


def test_inspect_counts_every_table(files):
    data = inspect_counts(files["public"], files["tmp"] / "inspect.json")
    tables = data["public"]["tables"]
    assert tables["claims"]["count"] == 4
    conn = sqlite3.connect(files["public"])
    assert tables["events"]["count"] == conn.execute("SELECT count(*) FROM events").fetchone()[0]
    conn.close()
    assert json.loads((files["tmp"] / "inspect.json").read_text()) == data


def test_snapshot_is_served_immutable_with_its_counts(files, serve):
    deploy = load_deploy()
    out = deploy.snapshot(files["public"], files["tmp"] / "build")
    assert sorted(p.name for p in out.iterdir()) == ["inspect-data.json", "public.db"]
    port = free_port()
    command = deploy.serve_command(out, "127.0.0.1", port)
    assert command[:3] == [sys.executable, "-m", "datasette"] and "-i" in command
    base = serve(command, port)
    # Datasette offers a database file for download only when it is served immutable.
    assert httpx.head(base + "/public.db").status_code == 200
    counts = {t["name"]: t["count"] for t in httpx.get(base + "/public.json").json()["tables"]}
    inspected = json.loads((out / "inspect-data.json").read_text())["public"]
    assert counts["claims"] == inspected["tables"]["claims"]["count"] == 4
    assert inspected["file"] == str((out / "public.db").absolute())  # the file served, not where it was made
    page = httpx.get(base + "/public/timeline")
    assert page.status_code == 200 and "max-age=60" in page.headers["cache-control"]
    assert httpx.get(base + "/public/changes.atom").status_code == 200


def test_in_process_immutable_matches(snap):
    out = snap
    inspected = json.loads((out / "inspect-data.json").read_text())
    ds = make_datasette(str(out / "public.db"), immutable=True, inspect_data=inspected)
    response = asyncio.run(ds.client.get("/public/claims.json?_shape=array"))
    assert len(response.json()) == 4


@pytest.mark.parametrize("platform", ["cloudrun", "fly"])
def test_deploy_command_publishes_the_snapshot_with_the_site(snap, platform):
    deploy = load_deploy()
    out = snap
    command = deploy.publish_command(
        platform, out, "acme-tracker", public_url="https://tracker.example.org/", region="cdg"
    )
    assert command[:4] == ["datasette", "publish", platform, str(out / "public.db")]

    def value(flag: str) -> str:
        return command[command.index(flag) + 1]

    assert value("--metadata") == str(METADATA_PATH)
    assert value("--template-dir") == str(TEMPLATE_DIR)
    assert value("--plugins-dir") == str(PLUGINS_DIR)
    assert value("--static").startswith("assets:")
    assert value("--extra-options") == " ".join(setting_args(default_cache_ttl=60))
    installs = [command[i + 1] for i, part in enumerate(command) if part == "--install"]
    assert installs == ["datasette==0.65.5", "datasette-atom==0.9"]
    secret = command.index("--plugin-secret")
    assert command[secret + 1 : secret + 4] == ["newsroom-tracker", "public_url", "https://tracker.example.org"]
    if platform == "cloudrun":
        assert value("--service") == "acme-tracker"
        assert int(value("--max-instances")) > 1, "a viral story needs more than one replica"
        assert "--app" not in command
    else:
        assert value("--app") == "acme-tracker"
        assert value("--region") == "cdg"


def test_deploy_script_dry_run_prints_the_command(snap, capsys):
    deploy = load_deploy()
    out = snap
    assert (
        deploy.main(
            [
                "cloudrun",
                "--service",
                "acme",
                "--snapshot",
                str(out),
                "--public-url",
                "https://tracker.example.org",
                "--dry-run",
            ]
        )
        == 0
    )
    printed = capsys.readouterr().out.strip()
    assert printed.startswith("datasette publish cloudrun ") and "--service acme" in printed


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["heroku", "x"], "Unknown platform"),
        (["cloudrun", "bad name"], "not a valid service name"),
        (["cloudrun", "--service"], "not a valid service name"),
    ],
)
def test_deploy_command_refuses_bad_input(snap, tmp_path, args, message):
    deploy = load_deploy()
    out = snap
    with pytest.raises(TrackerError, match=message):
        deploy.publish_command(args[0], out, args[1])
    with pytest.raises(TrackerError, match="public-url"):
        deploy.publish_command("cloudrun", out, "ok", public_url="javascript:alert(1)")
    with pytest.raises(TrackerError, match="No snapshot"):
        deploy.publish_command("cloudrun", tmp_path / "nowhere", "ok")
    with pytest.raises(TrackerError, match="public-url is required"):
        deploy.publish_command("cloudrun", out, "ok")


def test_snapshot_refuses_a_missing_public_database(tmp_path):
    deploy = load_deploy()
    with pytest.raises(TrackerError, match="publish"):
        deploy.snapshot(tmp_path / "public.db", tmp_path / "build")
    assert deploy.main(["snapshot", "--public-db", str(tmp_path / "public.db"), "--out", str(tmp_path / "b")]) == 1


@pytest.mark.parametrize(
    "command", [["snapshot"], ["fly", "--app", "x", "--public-url", "https://x.example", "--dry-run"]]
)
def test_a_full_standard_output_is_one_line_naming_it_not_a_traceback(files, command):
    """The deploy script printed with print(), outside the command line's one output path: `snapshot > /dev/full`
    ended in a traceback (the snapshot made, nothing saying so), where `python -m tracker` names standard output."""
    out = files["tmp"] / "snap"
    if command[0] != "snapshot":
        load_deploy().snapshot(files["public"], out)
    args = [*command, "--out" if command[0] == "snapshot" else "--snapshot", str(out)]
    if command[0] == "snapshot":
        args += ["--public-db", str(files["public"])]
    with open("/dev/full", "w") as full:
        done = subprocess.run(
            [sys.executable, str(ROOT / "deploy" / "public_snapshot.py"), *args],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            cwd=ROOT,
            timeout=120,
        )
    said = done.stderr.strip()
    assert done.returncode == 1 and "Traceback" not in said, said
    [line] = said.splitlines()
    assert line.startswith("Error: Could not write to standard output (/dev/full)"), line
    assert "database" not in line
    assert (out / "public.db").is_file()  # what it did is kept, as the line says


@pytest.mark.parametrize("how", ["full disk", "file size limit"])
def test_a_snapshot_with_no_room_is_one_line_naming_its_folder_and_keeps_the_last_one(files, how):
    """`snapshot --out FOLDER` on a disk with less room than the public file ended in SQLite's traceback ("database
    or disk is full"), a half-written public.db.tmp left in the folder. It says which folder and what to do, leaves
    no partial copy, and the snapshot already there stays whole."""
    from tests.storage import small_disk
    from tests.test_file_size_limit import limited_to

    size = files["public"].stat().st_size
    deploy = [sys.executable, str(ROOT / "deploy" / "public_snapshot.py"), "snapshot", "--public-db"]

    def snapshot(out: Path, **limit) -> subprocess.CompletedProcess:
        return subprocess.run(
            [*deploy, str(files["public"]), "--out", str(out)], capture_output=True, text=True, cwd=ROOT, timeout=120,
            **limit,
        )  # fmt: skip

    with contextlib.ExitStack() as stack:
        if how == "full disk":
            disk = stack.enter_context(small_disk(files["tmp"] / "disk", size // 1024 * 3 + 256))
            out = disk.path / "build"
            assert snapshot(out).returncode == 0  # the last snapshot, made while there was room
            kept = (out / "public.db").read_bytes()
            disk.fill(leave=size // 2)
            done = snapshot(out)
        else:
            out = files["tmp"] / "build"
            assert snapshot(out).returncode == 0
            kept = (out / "public.db").read_bytes()
            done = snapshot(out, preexec_fn=limited_to(size // 2))
        said = done.stderr.strip()
        assert done.returncode == 1 and "Traceback" not in said, said
        [line] = said.splitlines()
        assert line.startswith("Error: Disk full:" if how == "full disk" else "Error: File size limit:"), line
        assert str(out) in line and ("Free some space" in line or "ulimit -f" in line), line
        assert sorted(p.name for p in out.iterdir()) == ["inspect-data.json", "public.db"]
        assert (out / "public.db").read_bytes() == kept


def test_a_snapshot_served_from_another_directory_still_draws_the_story_charts(files, serve):
    """The chart plugin draws with the project's code: serve_env puts the project on the path wherever it starts."""
    deploy = load_deploy()
    out = deploy.snapshot(files["public"], files["tmp"] / "build")
    port = free_port()
    elsewhere = files["tmp"] / "elsewhere"
    elsewhere.mkdir()
    env = deploy.serve_env({k: v for k, v in os.environ.items() if k != "PYTHONPATH"})
    base = serve(deploy.serve_command(out, "127.0.0.1", port), port, cwd=elsewhere, env=env)
    page = httpx.get(base + "/stories/acme-kettles")
    assert page.status_code == 200 and "<svg" in page.text


def test_a_served_snapshot_does_not_believe_x_forwarded_for():
    """uvicorn under Datasette believes X-Forwarded-For from loopback unless FORWARDED_ALLOW_IPS says otherwise:
    `serve` clears it, and a snapshot served by this script gave every forged address a fresh rate."""
    deploy = load_deploy()
    assert deploy.serve_env({"FORWARDED_ALLOW_IPS": "*"})["FORWARDED_ALLOW_IPS"] == ""
    assert deploy.serve_env({})["FORWARDED_ALLOW_IPS"] == ""


def test_serving_a_snapshot_on_a_host_name_looks_it_up_once_within_the_bound(snap, monkeypatch):
    """`public_snapshot.py serve --host NAME` handed the name to Datasette, which looked it up with no bound: a
    name server that never answered held the site's start for as long as it kept silent, saying nothing. The name
    is looked up as `python -m tracker serve` looks it up (tracker.serve.host_address) and Datasette given the
    address; a name that gives none is one line naming the host and what to do."""
    import ipaddress
    import threading

    from scrapers.http import guard
    from tests.alert_receivers import SilentNameServer

    deploy = load_deploy()

    def host_of(command: list[str]) -> str:
        return command[command.index("-h") + 1]

    port = free_port()
    ipaddress.ip_address(host_of(deploy.serve_command(snap, "localhost", port)))  # an address, not the name
    names = SilentNameServer()
    monkeypatch.setattr("socket.getaddrinfo", names.resolver(socket.getaddrinfo))
    monkeypatch.setattr(guard, "LOOKUP_TIMEOUT", 0.2)
    names.silent = True
    try:
        with pytest.raises(TrackerError) as silent:
            deploy.serve_command(snap, "public.blackhole.test", port)
        asked = names.names_asked()
    finally:
        names.close()
        for thread in threading.enumerate():
            if thread.name.startswith("lookup public.blackhole.test"):
                thread.join(10)
    assert asked == ["public.blackhole.test"]
    assert str(silent.value) == (
        f"Cannot listen on public.blackhole.test:{port}: the name servers of public.blackhole.test gave no answer in "
        "time (0.2 s); give --host an IP address (127.0.0.1, or one of this machine's), or put the name in /etc/hosts."
    )


@pytest.mark.parametrize("previous", [False, True], ids=["first snapshot", "over the last one"])
def test_a_snapshot_whose_inspect_counts_find_the_disk_full_changes_nothing(files, monkeypatch, capsys, previous):
    """The copy fitted, was put in place, and `datasette inspect` then found no room: the new public.db was left
    beside a missing (or the last snapshot's) inspect file, which an immutable server reads as the counts of
    another file, and the message was "datasette inspect failed: [...]", not naming the full disk. The new pair
    goes in only once both are complete; the line says which folder is full and what to do."""
    from tests.storage import small_disk

    deploy = load_deploy()
    size = files["public"].stat().st_size
    real_inspect = deploy.inspect_counts
    with small_disk(files["tmp"] / "disk", size // 1024 * 3 + 256) as disk:
        out = disk.path / "build"
        if previous:
            deploy.snapshot(files["public"], out)  # the last snapshot, made while there was room
        kept = {p.name: p.read_bytes() for p in out.iterdir()} if out.exists() else {}

        def inspect_on_a_disk_filled_by_now(*args, **kwargs):
            disk.fill()  # the copy fitted; the disk fills (another program's writes) before the counts are written
            return real_inspect(*args, **kwargs)

        monkeypatch.setattr(deploy, "inspect_counts", inspect_on_a_disk_filled_by_now)
        capsys.readouterr()
        assert deploy.main(["snapshot", "--public-db", str(files["public"]), "--out", str(out)]) == 1
        said = capsys.readouterr().err.strip()
        [line] = said.splitlines()
        assert line.startswith("Error: Disk full:") and str(out) in line and "Free some space" in line, line
        assert "inspect" in line, line
        assert ("the snapshot already there is kept" if previous else "nothing was written there") in line, line
        assert {p.name: p.read_bytes() for p in out.iterdir()} == kept
