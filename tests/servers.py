"""Real servers the tests start on 127.0.0.1: a port for each, a process waited for until it answers, and the
public site's `datasette` as `python -m tracker serve` runs it.

One copy for every test module that starts a `datasette` (or any server) of its own: each had its own
`free_port` and its own wait loop, and the copies had drifted (one could hand the same port out twice); the
public site's start-up was written out again in each module that serves it.
"""

from __future__ import annotations

import contextlib
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx

from tracker.public import datasette_serve_args

ROOT = Path(__file__).resolve().parent.parent

_GIVEN: set[int] = set()


def free_port() -> int:
    """A port free now, and never one this test run handed out before.

    A port is released as soon as it is found, so two calls in a row could otherwise return the same one.
    """
    while True:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        if port not in _GIVEN:
            _GIVEN.add(port)
            return port


def wait_until_answering(url: str, proc: subprocess.Popen, log_path: Path | None = None, timeout: float = 60) -> None:
    """Return once `url` answers at all (any status); fail with the end of the server's log if its process stops
    first, or if it has not answered within `timeout` seconds (a start-up bound, not a timed assertion)."""
    deadline = time.monotonic() + timeout
    while True:
        if proc.poll() is not None:
            tail = log_path.read_text(errors="replace")[-2000:] if log_path is not None else ""
            raise AssertionError(f"server exited with {proc.returncode} before answering {url}\n{tail}")
        try:
            httpx.get(url, timeout=5)
            return
        except httpx.TransportError:
            assert time.monotonic() < deadline, f"{url} did not answer within {timeout:.0f} s"
            time.sleep(0.1)


@contextlib.contextmanager
def public_datasette(folder: Path) -> Iterator[tuple[str, subprocess.Popen]]:
    """A real `datasette` serving `folder`/public.db on 127.0.0.1 as `python -m tracker serve` runs it: (its address,
    its process), stopped on leaving.

    Its log (stderr, and uvicorn's access log on stdout) goes to `folder`/server.log: a pipe nobody reads fills at
    64 kB, and the server then stops at its next log line.
    """
    port = free_port()
    args = [sys.executable, "-m", "datasette", *datasette_serve_args(str(folder / "public.db"), "127.0.0.1", port)]
    log_path = folder / "server.log"
    with log_path.open("wb") as log:
        proc = subprocess.Popen(args, stdout=log, stderr=log, cwd=ROOT)
        try:
            url = f"http://127.0.0.1:{port}"
            wait_until_answering(url + "/public.json", proc, log_path)
            yield url, proc
        finally:
            proc.terminate()
            proc.wait(timeout=15)
