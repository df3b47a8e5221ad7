"""`make run`'s live demo in a real browser: coverage arrives, triage fills, the charts move.

The servers are started as `make run` starts them (`serve --live-demo`), on free ports, from a temp
dir. Nothing here sleeps to pass: each step waits for its condition (the working or public database
holding what the step needs) and fails if it does not come. The Next stage button is pressed rather
than waiting for the demo's timer. Screenshots of the dashboard and the public story page, on a
desktop and on a 390-pixel phone, go to test-artifacts/.
"""

from __future__ import annotations

import os
import re
import sqlite3
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.conftest import PASSWORD
from tests.e2e.conftest import Site, free_port, screenshot, serving, sign_in

pytestmark = pytest.mark.e2e
SLUG = "steampro-kettles"


def until(condition: Callable[[], object], what: str, timeout: float = 120) -> object:
    """Wait for a condition on the databases (polled), failing with what was awaited."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            result = condition()
        except sqlite3.OperationalError:  # a writer holds the file for a moment
            result = None
        if result:
            return result
        time.sleep(0.25)
    raise AssertionError(f"timed out waiting for {what}")


def query(path: Path, sql: str, params=()) -> list[tuple]:
    if not path.exists():
        return []
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


@pytest.fixture(scope="module")
def live(tmp_path_factory) -> Iterator[Site]:
    tmp = tmp_path_factory.mktemp("live")
    env = {
        **os.environ,
        "TRACKER_DB": str(tmp / "tracker.db"),
        "TRACKER_PUBLIC_DB": str(tmp / "public.db"),
        "TRACKER_SECRET_KEY": "e2e-live-secret-" + "0" * 32,
        "TRACKER_PAGE_CACHE_SECONDS": "0",
        "DEMO_PACE": "0",  # the timer stops after the first stage: only the button moves the story here
    }
    site = Site("", "", env, tmp / "tracker.db")
    site.cli("init")
    site.cli("demo")
    site.cli("users", "add", "eddie", "--role", "editor", "--password-stdin", input=PASSWORD + "\n")
    site.cli("publish")
    demo_port = free_port()
    with (
        open(tmp / "serve.log", "w") as log,
        serving(site, log, "--live-demo", "--demo-port", str(demo_port), stop_within=30, demo_port=demo_port),
    ):
        yield site


def shots(browser, site: Site, name: str) -> None:
    """The dashboard and the public story page, desktop and phone, as test artifacts."""
    for width, device in ((1280, "desktop"), (390, "phone")):
        context = browser.new_context(viewport={"width": width, "height": 900})
        page = context.new_page()
        page.set_default_timeout(30000)
        sign_in(page, site, "eddie")
        page.goto(f"{site.editor}/stories/{SLUG}/dashboard?refresh=off")
        expect(page.locator("figure.chart-figure--coverage svg[role=img]").first).to_be_attached()
        screenshot(page, f"live-demo-{name}-dashboard-{device}")
        page.goto(f"{site.public}/stories/{SLUG}")
        expect(page.locator("figure.chart-figure--claims svg[role=img]").first).to_be_attached()
        screenshot(page, f"live-demo-{name}-public-story-{device}")
        context.close()


def test_the_live_demo_moves_without_a_click_and_on_next_stage(browser, live):
    db, public = live.db, Path(live.env["TRACKER_PUBLIC_DB"])
    story = f"SELECT id FROM stories WHERE slug = '{SLUG}'"
    # Without a click: coverage arrives from the fictional sites, its candidates wait in triage, the desk
    # publishes, and the public story page gets its charts.
    until(lambda: query(db, f"SELECT 1 FROM coverage WHERE story_id = ({story}) AND kind = 'article'"), "coverage")
    until(lambda: query(db, f"SELECT 1 FROM candidates WHERE story_id = ({story}) AND state = 'pending'"), "triage")
    until(lambda: query(public, "SELECT 1 FROM claims WHERE story = ?", [SLUG]), "the desk's first publish")
    shots(browser, live, "stage1")

    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(30000)
    sign_in(page, live, "eddie")
    page.goto(f"{live.editor}/stories/{SLUG}/triage")
    # A candidate from the fictional coverage waits, ready to accept, merge or dismiss.
    expect(page.locator("main")).to_contain_text(re.compile("Lantern Ledger|Tessaline"))
    expect(page.get_by_role("button", name="Accept as new claim").first).to_be_visible()
    page.goto(f"{live.editor}/stories/{SLUG}/dashboard?refresh=off")
    expect(page.locator(".demo-panel h2")).to_contain_text("stage 1 of 6")
    coverage_before = page.locator("figure.chart-figure--coverage .chart-summary").inner_text()
    # While the demo plays the dashboard reloads itself; a chart's table a reader opened folded away at each reload.
    table = page.locator("figure.chart-figure--coverage details.chart-data")
    table.locator("summary").click()
    expect(table).to_have_attribute("open", "")
    page.reload()
    expect(table).to_have_attribute("open", "")
    table.locator("summary").click()  # closed by the reader, it stays closed
    page.reload()
    expect(page.locator("figure.chart-figure--claims details.chart-data")).not_to_have_attribute("open", "")
    expect(table).not_to_have_attribute("open", "")
    # The demo's own control: the next stage now, and the wire story and its copy arrive.
    page.get_by_role("button", name="Next stage now").click()
    expect(page.locator(".flashes")).to_contain_text("Stage 2 of 6")
    until(
        lambda: query(db, f"SELECT 1 FROM coverage WHERE story_id = ({story}) AND cluster_id IS NOT NULL"),
        "the syndicated copy",
    )
    page.goto(f"{live.editor}/stories/{SLUG}/dashboard?refresh=off")
    expect(page.locator("figure.chart-figure--coverage .chart-legend")).to_contain_text("Syndicated copies")
    assert page.locator("figure.chart-figure--coverage .chart-summary").inner_text() != coverage_before
    page.get_by_role("button", name="Next stage now").click()  # stage 3: the statement, and a feed fails
    until(
        lambda: query(
            db,
            f"SELECT 1 FROM coverage WHERE story_id = ({story}) AND kind = 'statement' AND title LIKE 'Statement on%'",
        ),
        "the company's statement",
    )
    page.get_by_role("button", name="Next stage now").click()  # stage 4: the statement quietly edited
    until(
        lambda: query(
            db,
            f"""SELECT 1 FROM revisions r JOIN coverage c ON c.id = r.coverage_id
                WHERE c.story_id = ({story}) AND c.kind = 'statement' GROUP BY c.id HAVING count(*) > 1""",
        ),
        "the statement's second version",
    )
    # Both claims quoting words that are gone wait on the dashboard for the stage; the desk rules on them at the next.
    page.goto(f"{live.editor}/stories/{SLUG}/dashboard?refresh=off")
    changed = page.locator("section[aria-labelledby=changed-title]")
    expect(changed.locator(".count-pill")).to_have_text("2")
    expect(changed).to_contain_text("three kitchen fires")
    screenshot(page, "live-demo-stage4-evidence-changed")
    page.get_by_role("button", name="Next stage now").click()  # stage 5: the desk rules on them, a recall
    until(
        lambda: query(public, "SELECT 1 FROM events WHERE story = ? AND kind = 'statement_changed'", [SLUG]),
        "the statement's edit on the public timeline",
    )
    statement = query(db, f"SELECT id FROM coverage WHERE story_id = ({story}) AND title LIKE 'Statement on%'")[0][0]
    page.goto(f"{live.editor}/coverage/{statement}")
    expect(page.locator("main")).to_contain_text("small number of reports")
    screenshot(page, "live-demo-statement-diff")
    context.close()
    shots(browser, live, "stage5")
    page_text = query(public, "SELECT group_concat(to_status) FROM status_history")[0][0]
    assert re.search("denied", page_text or "")  # the correction and the changed statement were ruled on
