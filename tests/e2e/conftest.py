"""Real servers and a real browser: `python -m tracker serve` in a subprocess, Debian's Chromium via Playwright."""

from __future__ import annotations

import contextlib
import os
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import PASSWORD
from tests.servers import free_port

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def wait_for(url: str, proc: subprocess.Popen, timeout: float = 60) -> None:
    """Poll until the server answers; fail fast if its process died."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode} before answering {url}")
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"{url} did not answer within {timeout} s")


@dataclass
class Site:
    editor: str
    public: str
    env: dict[str, str]
    db: Path

    def cli(self, *args: str, input: str | None = None) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "tracker", *args],
            env=self.env,
            input=input,
            text=True,
            capture_output=True,
            check=True,
            cwd=ROOT,
        )


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> Iterator[Site]:
    """The demo story served exactly as `make run` serves it, on free ports, from a temp dir."""
    tmp = tmp_path_factory.mktemp("site")
    env = {
        **os.environ,
        "TRACKER_DB": str(tmp / "tracker.db"),
        "TRACKER_PUBLIC_DB": str(tmp / "public.db"),
        "TRACKER_SECRET_KEY": "e2e-secret-" + "0" * 32,
    }
    site = Site("", "", env, tmp / "tracker.db")
    site.cli("init")
    site.cli("demo")
    site.cli("users", "add", "rita", "--role", "reporter", "--password-stdin", input=PASSWORD + "\n")
    site.cli("users", "add", "eddie", "--role", "editor", "--password-stdin", input=PASSWORD + "\n")
    site.cli("publish")
    with serving(site, subprocess.DEVNULL, stop_within=15):
        yield site


@contextlib.contextmanager
def serving(site: Site, output, *extra: str, stop_within: float, demo_port: int | None = None) -> Iterator[None]:
    """`python -m tracker serve` for site on free ports, until every site it serves answers; stopped after.

    `extra` adds serve options (the live demo's); `demo_port`, when given, is
    waited for too. The editor's and public site's addresses are set on site.
    """
    editor_port, public_port = free_port(), free_port()
    command = ["serve", "--editor-port", str(editor_port), "--public-port", str(public_port), *extra]
    proc = subprocess.Popen(
        [sys.executable, "-m", "tracker", *command], env=site.env, cwd=ROOT, stdout=output, stderr=subprocess.STDOUT
    )
    site.editor, site.public = f"http://127.0.0.1:{editor_port}", f"http://127.0.0.1:{public_port}"
    try:
        wait_for(site.editor + "/login", proc)
        wait_for(site.public + "/", proc)
        if demo_port is not None:
            wait_for(f"http://127.0.0.1:{demo_port}/", proc)
        yield
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=stop_within)
        except subprocess.TimeoutExpired:
            proc.kill()


# Module scope: Playwright's sync API keeps an event loop running while it is open,
# which would break asyncio.run() in the Datasette tests collected after these.
@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run `make test` (it installs Debian's chromium) or set CHROMIUM.")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


def sign_in(page, site: Site, username: str) -> None:
    """Sign in through the real login form and wait for the signed-in header."""
    from playwright.sync_api import expect

    page.goto(site.editor + "/login")
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def log_claim(page, story_link: str, text: str, claimant: str, claimant_type: str, quote: str, **fields: str) -> None:
    """From the signed-in reporter's story list: open the story, fill "Log a claim" and submit it.

    The quote comes from the first coverage in the list, with stance "supports";
    `fields` fill further inputs by id (internal_notes, source_identity).
    """
    import re

    from playwright.sync_api import expect

    page.get_by_role("link", name=re.compile(story_link, re.I)).first.click()
    page.get_by_role("link", name="Log a claim").first.click()
    page.fill("#text", text)
    page.fill("#claimant", claimant)
    page.select_option("#claimant_type", claimant_type)
    page.select_option("#revision_id", index=1)
    page.fill("#quote", quote)
    page.check("input[name=stance][value=supports]")
    for field, value in fields.items():
        page.fill(f"#{field}", value)
    page.get_by_role("button", name="Log claim").click()
    expect(page.locator("h1")).to_contain_text(text)


def public_claim_id(site: Site, claim_id: int | str) -> int:
    """The id readers know a published claim by (tracker/public_ids.py): the editor's address holds another."""
    conn = sqlite3.connect(site.db)
    try:
        return conn.execute(
            "SELECT public_id FROM public_ids WHERE kind = 'claim' AND id = ?", [int(claim_id)]
        ).fetchone()[0]
    finally:
        conn.close()


def screenshot(page, name: str) -> Path:
    """Save a full-page screenshot as a test artifact (test-artifacts/NAME.png)."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
