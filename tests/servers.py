"""Real servers the tests start on 127.0.0.1: a port for each, and a process waited for until it answers.

One copy for every test module that starts a `datasette` (or any server) of its own: each had its own
`free_port` and its own wait loop, and the copies had drifted (one could hand the same port out twice).
"""

from __future__ import annotations

import socket
import subprocess
import time
from pathlib import Path

import httpx

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
