"""The evidence form's search of older coverage, by keyboard: the list holds the newest hundred items only."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import screenshot, sign_in
from tracker import coverage, stories
from tracker.db import connect

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def archive(site) -> str:
    """A story of 130 stored articles; the oldest is the one a reporter needs."""
    db = connect(site.db)
    try:
        story = stories.create_story(db, "harbour-archive", "Harbour archive", keywords_include="harbour")
        for i in range(130):
            title = "Harbour crane inquiry opens" if i == 0 else f"Harbour report {i}"
            item = coverage.upsert_item(
                db,
                story["id"],
                f"https://ledger.example/harbour/{i}",
                outlet="Daily Ledger",
                title=title,
                published_at=f"2026-0{1 + i // 30}-{1 + i % 28:02d}T10:00:00Z",
            )
            coverage.add_revision(db, item, f"The port authority said crane {i} was inspected twice.")
    finally:
        db.close()
    return story["slug"]


@pytest.mark.parametrize("width", [1280, 390])
def test_an_older_item_is_found_and_chosen_with_the_keyboard(browser, site, archive, width):
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15000)
    try:
        sign_in(page, site, "rita")
        page.goto(f"{site.editor}/stories/{archive}/claims/new")
        options = page.locator("#revision_id option")
        expect(options).to_have_count(101)  # "Choose coverage…" and the newest hundred
        page.fill("#text", f"The crane inquiry opened ({width}).")
        page.select_option("#claimant_type", "organization")
        search = page.get_by_label("Find coverage")
        search.focus()
        page.keyboard.type("crane inquiry")
        page.keyboard.press("Enter")  # searches now; never sends the form
        expect(page.locator("#revision_id-search-status")).to_have_text("1 item matches: choose in the list below.")
        expect(page.locator("#revision_id")).to_be_focused()
        assert page.url.endswith("/claims/new")
        page.keyboard.press("ArrowDown")
        expect(page.locator("#revision_id option:checked")).to_contain_text("Harbour crane inquiry opens")
        page.fill("#quote", "crane 0 was inspected twice")
        screenshot(page, f"coverage-search-{width}")
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        page.get_by_role("button", name="Log claim").click()
        expect(page.locator("h1")).to_contain_text(f"The crane inquiry opened ({width}).")
        expect(page.get_by_role("link", name="Harbour crane inquiry opens").first).to_be_visible()
    finally:
        context.close()
