"""The editor's whole loop in a real browser: a reporter logs a claim with evidence, an editor confirms it
with the keyboard, publishes from the editor with "Publish now", and a reader finds it on the timeline."""

from __future__ import annotations

import json
import urllib.request

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import log_claim, screenshot, sign_in

pytestmark = pytest.mark.e2e

CLAIM = "Amazon's internal reviews are expected to bring further disclosures about the AI-activity reports."
QUOTE = "Further disclosures are expected as internal reviews progress"


def test_reporter_logs_editor_confirms_and_publishes_now(page, site):
    # The reporter logs the claim with its quote; the form checks the quote against the stored article.
    sign_in(page, site, "rita")
    log_claim(
        page,
        "Amazon staff",
        CLAIM,
        "Tech Daily",
        "outlet",
        QUOTE,
        internal_notes="Ask the desk whether Tech Daily has a second source.",
    )
    expect(page.locator("mark").first).to_contain_text(QUOTE)
    expect(page.locator("form[action$='/status']")).to_have_count(0)
    expect(page.get_by_role("link", name="Publish")).to_have_count(0)
    claim_url = page.url
    screenshot(page, "e2e-editor-flow-reporter")
    page.get_by_role("button", name="Sign out").click()

    # The editor confirms it: "c" picks Confirmed, the single evidence item is already cited.
    sign_in(page, site, "eddie")
    page.goto(claim_url)
    page.keyboard.press("c")
    expect(page.locator("input[name=status][value=confirmed]")).to_be_checked()
    expect(page.locator("input[name=evidence_ids]")).to_be_checked()
    page.fill("#rationale", "The article says so in its own words; internal note checked with the desk.")
    page.fill("#public_rationale", "The outlet's article says reviews are under way.")
    page.get_by_role("button", name="Save ruling").click()
    expect(page.locator(".claim-head-tags")).to_contain_text("Confirmed")
    expect(page.locator(".history .cited")).to_contain_text("evidence 1")
    page.get_by_role("button", name="Mark publishable").click()
    expect(page.get_by_role("button", name="Withdraw from publishing")).to_be_visible()

    # Publish now, from the editor: the page lists what is about to change, then what did.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Publish").click()
    pending = page.locator(".review-list")
    expect(pending).to_contain_text(CLAIM)
    expect(pending.locator(".review-item", has_text=CLAIM)).to_contain_text("Goes public")
    screenshot(page, "e2e-editor-flow-review")
    page.get_by_role("button", name="Publish these changes").click()
    expect(page.locator("h1")).to_contain_text("Published")
    expect(page.locator(".review-list")).to_contain_text(CLAIM)
    screenshot(page, "e2e-editor-flow-published")

    # The running public site serves the new file at once.
    rows = json.load(urllib.request.urlopen(site.public + "/public/timeline.json?_shape=array"))
    ours = [r for r in rows if r["claim"] == CLAIM]
    assert ours and {r["status"] for r in ours} == {"confirmed"}
    page.goto(site.public + "/public/timeline")
    expect(page.get_by_text(CLAIM).first).to_be_visible()
    screenshot(page, "e2e-editor-flow-public-timeline")
    html = page.content()
    assert "Ask the desk whether Tech Daily" not in html
    assert "internal note checked with the desk" not in html


def test_the_message_after_a_save_is_announced_on_every_editor_page(page, site):
    """The triage queue's message was said again for screen readers; a claim page's "Nothing changed." (any
    page's message) came already inside its region when the page loaded, and was read out by none."""
    from tests.e2e.test_triage_keys import ANNOUNCED, WAIT_FOR_ANNOUNCEMENT

    sign_in(page, site, "rita")
    page.add_init_script(ANNOUNCED)
    page.goto(f"{site.editor}/claims/1/edit")
    page.get_by_role("button", name="Save changes").click()
    expect(page.locator(".flashes")).to_contain_text("Nothing changed.")
    announced = page.evaluate(WAIT_FOR_ANNOUNCEMENT, "Nothing changed.")
    assert any("Nothing changed." in t for t in announced), announced
    assert page.evaluate("document.activeElement.closest('.flashes') === null")


def test_a_ruling_refused_as_someone_else_s_change_puts_the_focus_on_why(browser, site):
    """Two editors rule on one claim at once: the second's page says "Nothing was saved" (a warning, not an
    error, since nothing was wrong with it) and, as every refused form's message does, takes the focus, so the
    keyboard and a screen reader start from why instead of the top of the page."""
    context = browser.new_context(viewport={"width": 390, "height": 844})
    try:
        first, second = context.new_page(), context.new_page()
        sign_in(first, site, "eddie")
        claim = f"{site.editor}/claims/2"
        first.goto(claim)
        second.goto(claim)
        for page, status in ((first, "confirmed"), (second, "denied")):
            page.locator(f".ruling-form input[name=status][value={status}]").check()
            page.fill(".ruling-form textarea[name=rationale]", f"Ruled {status} while the other editor ruled too.")
            page.fill(".ruling-form textarea[name=public_rationale]", "Ruled again on what the evidence shows.")
            page.get_by_role("button", name="Save ruling").click()
            if page is first:
                expect(first.locator(".flashes")).to_contain_text("now confirmed")
        refused = second.get_by_role("alert").filter(has_text="Nothing was saved.")
        expect(refused).to_be_visible()
        expect(refused).to_be_focused()
        screenshot(second, "e2e-ruling-conflict-phone")
    finally:
        context.close()


def test_the_official_statement_box_is_on_for_a_web_page_only(page, site):
    """The Sources form's "Official statement" is a web page's setting (`sources add --kind page --statement`): off
    while another kind is chosen, on for Web page, and choosing another kind again unticks it, so the form never
    sends a box the server refuses."""
    sign_in(page, site, "rita")
    page.goto(site.editor + "/stories/amazon-ai-activity/sources")
    box = page.get_by_label("Official statement", exact=True)
    expect(page.locator("input[name=kind][value=feed]")).to_be_checked()
    expect(box).to_be_disabled()
    page.locator("input[name=kind][value=page]").check()
    expect(box).to_be_enabled()
    box.check()
    page.locator("input[name=kind][value=statement]").check()
    expect(box).not_to_be_checked()
    expect(box).to_be_disabled()
