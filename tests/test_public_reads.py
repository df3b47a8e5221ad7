"""What one address may cost the public site outside visitors' own SQL: table pages, exports, searches.

Each such request runs SQL on one of Datasette's few threads. A per-address
limit (query_limits.py: `reads_per_minute`, `reads_at_once`) keeps one
client from holding them all; a page served from the page cache costs
nothing and is not counted. Bounds here never depend on the clock.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from tests.test_public import build_site, publish_into
from tests.test_public_abuse import ROOT, free_port, sql_url
from tracker.config import Settings
from tracker.public import datasette_serve_args
from tracker.serve import public_site_env


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    folder, _ = publish_into(tmp_path_factory, "reads", build_site)
    return folder


def test_the_server_believes_no_forwarded_address_it_was_not_told_to(folder, tmp_path):
    """Started as `serve` starts it, the site counts a loopback connection as loopback whatever
    X-Forwarded-For it writes: uvicorn's own default believed that header from 127.0.0.1, so a client
    writing a new address each time had a fresh SQL rate each time."""
    port = free_port()
    env = {**os.environ, **public_site_env("127.0.0.1", port, Settings.from_env({}))}
    env.pop("TRACKER_PROXIES", None)
    args = [sys.executable, "-m", "datasette", *datasette_serve_args(str(folder / "public.db"), "127.0.0.1", port)]
    log = (tmp_path / "server.log").open("wb")
    proc = subprocess.Popen(args, stdout=log, stderr=log, cwd=ROOT, env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            assert proc.poll() is None, (tmp_path / "server.log").read_text(errors="replace")[-2000:]
            try:
                httpx.get(base + "/public.json", timeout=5)
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline, "datasette did not start"
                time.sleep(0.1)
        codes = []
        with httpx.Client(base_url=base, timeout=30) as client:
            for i in range(40):
                answer = client.get(sql_url(f"select {i} as n"), headers={"X-Forwarded-For": f"203.0.113.{i}"})
                codes.append(answer.status_code)
                if answer.status_code == 429:
                    break
    finally:
        proc.terminate()
        proc.wait(timeout=15)
        log.close()
    assert codes[-1] == 429, codes
