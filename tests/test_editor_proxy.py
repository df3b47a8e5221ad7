"""Whose word the editor takes that a request came over HTTPS, under gunicorn as `serve` runs it.

gunicorn believes X-Forwarded-Proto from loopback unless told otherwise: an editor served directly (no proxy
in front) took any local client's "https" as true. Only TRACKER_PROXIES, the setting that says proxies are in
front, makes the editor believe it (tracker/editor's ProxyFix, the one place).
"""

from __future__ import annotations

import os
import socket
import subprocess
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.e2e.conftest import wait_for
from tracker.serve import editor_command

ROOT = Path(__file__).resolve().parent.parent


@contextmanager
def editor(db_path: Path, **env: str) -> Iterator[str]:
    """The editor under gunicorn on a port the system chose, handed over as `serve` hands it; its address."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    base = f"http://127.0.0.1:{listener.getsockname()[1]}"
    environment = {k: v for k, v in os.environ.items() if k not in ("TRACKER_PROXIES", "FORWARDED_ALLOW_IPS")}
    environment |= {"TRACKER_DB": str(db_path), "TRACKER_SECRET_KEY": "proxy-test-secret-" + "0" * 32, **env}
    proc = subprocess.Popen(
        editor_command(f"fd://{listener.fileno()}", workers=1),
        pass_fds=[listener.fileno()],
        cwd=ROOT,
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    listener.close()
    try:
        wait_for(base + "/login", proc)
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def session_cookie(base: str, **headers: str) -> str:
    """The Set-Cookie of the sign-in page (its form's token is kept in the session), asked with `headers`."""
    with urllib.request.urlopen(urllib.request.Request(base + "/login", headers=headers), timeout=30) as answer:
        return answer.headers["Set-Cookie"]


@pytest.mark.parametrize(("proxies", "believed"), [("", False), ("1", True)], ids=["served directly", "behind a proxy"])
def test_a_local_client_saying_https_is_believed_only_when_a_proxy_is_said_to_be_in_front(db_path, proxies, believed):
    """Believed, the session cookie is marked Secure (and links say https): a local process or a client behind a
    local program passing headers on could claim a connection it did not have."""
    with editor(db_path, TRACKER_PROXIES=proxies) as base:
        assert "Secure" not in session_cookie(base)
        assert ("; Secure" in session_cookie(base, **{"X-Forwarded-Proto": "https"})) is believed
