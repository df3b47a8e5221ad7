"""What changed last in a story, on the editor's first screen, on a phone and a desktop, in headless Chromium."""

from __future__ import annotations

import sqlite3

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import screenshot, sign_in

pytestmark = pytest.mark.e2e

PAGE_BOTTOM = "e => e.getBoundingClientRect().bottom + window.scrollY"
PAGE_TOP = "e => e.getBoundingClientRect().top + window.scrollY"


@pytest.mark.parametrize("width, height", [(390, 844), (1280, 900)])
def test_the_story_page_opens_on_what_changed_last(page, site, width, height):
    """An editor opening a story in the morning saw the filters and the claims newest reported first; the latest
    ruling was on the dashboard, what waited in triage and what the scraper found on pages of their own. The
    first screen now names them, above the story's counts and the search."""
    page.set_viewport_size({"width": width, "height": height})
    sign_in(page, site, "eddie")
    page.goto(site.editor + "/stories/amazon-ai-activity")
    latest = page.get_by_role("region", name="Latest")
    expect(latest).to_be_visible()
    assert latest.evaluate(PAGE_BOTTOM) <= height, "the Latest panel is below the first screen"
    chips = page.get_by_role("navigation", name="Filter claims by status")
    search = page.get_by_role("search")
    assert latest.evaluate(PAGE_TOP) < chips.evaluate(PAGE_TOP) < search.evaluate(PAGE_TOP)
    for row in ("Ruling", "Claim logged", "Triage", "Coverage"):
        expect(latest.locator(".latest-label", has_text=row)).to_be_visible()
    expect(latest.locator(".latest-row--ruling .badge")).to_have_count(2)
    width_now = page.evaluate("document.documentElement.scrollWidth")
    assert width_now <= width, f"the page scrolls sideways ({width_now}px)"
    screenshot(page, f"editor-story-latest-{width}")
    # The ruling named is the dashboard's newest status change.
    ruled = latest.locator(".latest-row--ruling .latest-what").inner_text()
    page.goto(site.editor + "/stories/amazon-ai-activity/dashboard")
    newest = page.locator("#rulings-title ~ .dash-list li a").first
    expect(newest).to_have_text(ruled)


def test_the_story_list_says_each_storys_latest_ruling(page, site):
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, site, "eddie")
    page.goto(site.editor + "/")
    card = page.locator(".story-card").filter(
        has=page.get_by_role("link", name="Amazon staff pressed to show AI activity")
    )
    line = card.locator(".latest-line")
    expect(line).to_contain_text("Latest ruling")
    expect(line.locator(".badge")).to_have_count(2)
    width_now = page.evaluate("document.documentElement.scrollWidth")
    assert width_now <= 390, f"the page scrolls sideways ({width_now}px)"
    screenshot(page, "editor-story-list-latest-390")


def test_a_ruling_made_since_you_last_looked_is_marked_new_on_a_phones_first_screen(page, site):
    """The Latest panel named the newest ruling whether or not the editor had seen it: opening the story in the
    morning, they could not tell last night's ruling from one made since. A ruling made after their last look
    is now marked "1 new" on its row, with the line above saying what came in since, on the first screen."""
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, site, "eddie")
    story = site.editor + "/stories/amazon-ai-activity"
    page.goto(story)
    page.goto(story)  # the look before the ruling
    latest = page.get_by_role("region", name="Latest")
    expect(latest.locator(".seen-line")).to_contain_text("since you last looked on")
    expect(latest.locator(".latest-row--ruling .tag--new")).to_have_count(0)

    conn = sqlite3.connect(site.db)
    try:
        # A claim readers have not seen: a ruling on a published one is also tagged "Correction".
        claim_id, status = conn.execute(
            "SELECT c.id, c.status FROM claims c JOIN stories s ON s.id = c.story_id "
            "WHERE s.slug = 'amazon-ai-activity' ORDER BY c.published, c.id LIMIT 1"
        ).fetchone()
    finally:
        conn.close()
    page.goto(f"{site.editor}/claims/{claim_id}")
    ruled = "confirmed" if status != "confirmed" else "unclear"
    page.locator(f".ruling-form input[name=status][value={ruled}]").check()
    page.locator(".ruling-form input[name=evidence_ids]").first.check()
    page.fill(".ruling-form textarea[name=rationale]", "One outlet only so far; waiting for a second source.")
    page.fill(".ruling-form textarea[name=public_rationale]", "Reported by one outlet; not yet confirmed.")
    page.get_by_role("button", name="Save ruling").click()
    expect(page.locator(".claim-head-tags")).to_contain_text(ruled.capitalize())

    page.goto(story)
    mark = latest.locator(".latest-row--ruling .tag--new")
    expect(mark).to_have_text("1 new")
    expect(latest.locator(".seen-line")).to_contain_text("New since you last looked on")
    expect(latest.locator(".seen-line")).to_contain_text("1 ruling")
    screenshot(page, "editor-story-new-since-390")
    assert mark.evaluate(PAGE_BOTTOM) <= 844, "the new ruling's mark is below the first screen"
    assert latest.evaluate(PAGE_BOTTOM) <= 844, "the Latest panel is below the first screen"
    width_now = page.evaluate("document.documentElement.scrollWidth")
    assert width_now <= 390, f"the page scrolls sideways ({width_now}px)"
