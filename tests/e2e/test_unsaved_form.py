"""A reporter's claim survives the session ending under it, in a real browser.

Chromium sends Sec-Fetch-Site on its own: this is the check that the editor
recognises its own pages the way a browser reports them.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import PASSWORD, screenshot, sign_in

pytestmark = pytest.mark.e2e


def serious_violations(page) -> list[str]:
    """axe-core's serious and critical findings on the page as it stands (the audit's rules)."""
    from axe_playwright_python.sync_playwright import Axe

    from tests.e2e.test_accessibility import FAILING, RULES

    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": RULES}, "resultTypes": ["violations"]})
    return [f"{v['id']}: {v['help']}" for v in results.response["violations"] if v["impact"] in FAILING]


CLAIM = "Two managers said the AI-activity targets were dropped in one team after staff complained."


def test_a_claim_typed_while_signed_out_elsewhere_is_saved_after_signing_in(page, browser, site):
    sign_in(page, site, "rita")
    page.get_by_role("link", name=re.compile("Amazon", re.I)).first.click()
    page.get_by_role("link", name="Log a claim").first.click()
    page.fill("#text", CLAIM)
    page.fill("#claimant", "Two Amazon managers")
    page.select_option("#claimant_type", "anonymous")
    page.fill("#source_identity", "R. and K., met at the Seattle office")

    # Meanwhile she signs out on another device, which ends every session of hers.
    elsewhere = browser.new_context()
    other = elsewhere.new_page()
    sign_in(other, site, "rita")
    other.get_by_role("button", name="Sign out").click()
    elsewhere.close()

    page.get_by_role("button", name="Log claim").click()
    expect(page.get_by_role("status").filter(has_text="Your session ended before this was saved")).to_be_visible()
    expect(page.get_by_label("Text")).to_have_value(CLAIM)
    screenshot(page, "e2e-unsaved-form-login")
    assert serious_violations(page) == []
    page.fill("#username", "rita")
    page.fill("#password", PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    expect(page.get_by_role("heading", name="Save what you sent")).to_be_visible()
    expect(page.get_by_label("Source identity")).to_have_value("R. and K., met at the Seattle office")
    screenshot(page, "e2e-unsaved-form-offer")
    assert serious_violations(page) == []
    page.get_by_role("button", name="Save it now").click()
    expect(page.locator("h1")).to_contain_text(CLAIM)
    expect(page.locator("body")).to_contain_text("R. and K., met at the Seattle office")


def test_leaving_a_form_with_typed_text_asks_first(page, site):
    sign_in(page, site, "rita")
    page.get_by_role("link", name=re.compile("Amazon", re.I)).first.click()
    page.get_by_role("link", name="Log a claim").first.click()
    form_url = page.url
    asked = []

    def answer(dialog):
        asked.append(dialog.type)
        dialog.dismiss()  # "Stay on page"

    page.on("dialog", answer)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Stories").click()
    assert asked == []  # nothing typed yet: no question
    page.go_back()
    page.fill("#text", CLAIM)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Stories").click()
    expect(page.locator("#text")).to_have_value(CLAIM)
    assert asked == ["beforeunload"] and page.url == form_url

    page.fill("#claimant", "Two Amazon managers")
    page.select_option("#claimant_type", "anonymous")
    page.get_by_role("button", name="Log claim").click()  # sending the form is no leaving
    expect(page.locator("h1")).to_contain_text(CLAIM)
    assert asked == ["beforeunload"]


def test_sending_one_form_asks_first_when_another_on_the_page_holds_typed_text(page, site):
    """On the triage queue a rewording typed for one candidate was lost without a word when another candidate was
    dismissed: sending any form counted as not leaving, though the page and every other form went."""
    sign_in(page, site, "rita")
    page.goto(site.editor + "/stories/amazon-ai-activity/triage")
    asked = []

    def answer(dialog):
        asked.append(dialog.type)
        dialog.dismiss()  # "Stay on page"

    page.on("dialog", answer)
    first, second = page.locator("[data-candidate]").nth(0), page.locator("[data-candidate]").nth(1)
    second.locator("summary", has_text="Edit before accepting").click()
    second.locator("textarea[name=text]").fill(CLAIM)
    first.locator("input[name=reason]").fill("Not a claim")
    first.get_by_role("button", name="Dismiss").click()
    expect(second.locator("textarea[name=text]")).to_have_value(CLAIM)
    assert asked == ["beforeunload"]

    first.locator("input[name=reason]").fill("")  # nothing typed elsewhere now
    second.get_by_role("button", name="Accept as new claim").click()  # the form holding the text: no question
    expect(page.locator(".flash--success")).to_contain_text("Accepted as claim")
    assert asked == ["beforeunload"]


def test_a_paragraph_shown_back_on_a_phone_is_read_whole_without_scrolling_its_box(browser, site):
    """The box that shows what was sent was sized by counting 45 characters a line; a phone fits about 32, so a
    reworded claim of two such lines ended mid-word at the box's edge, the rest scrolled out of sight."""
    context = browser.new_context(viewport={"width": 375, "height": 740})
    page = context.new_page()
    page.set_default_timeout(15000)
    try:
        sign_in(page, site, "rita")
        page.get_by_role("link", name=re.compile("Amazon", re.I)).first.click()
        page.get_by_role("link", name="Log a claim").first.click()
        page.fill("#text", CLAIM + " " + CLAIM)
        page.fill("#claimant", "Two Amazon managers")
        page.select_option("#claimant_type", "anonymous")
        elsewhere = browser.new_context()
        other = elsewhere.new_page()
        sign_in(other, site, "rita")
        other.get_by_role("button", name="Sign out").click()
        elsewhere.close()
        page.get_by_role("button", name="Log claim").click()
        expect(page.get_by_role("status").filter(has_text="Your session ended")).to_be_visible()
        box = page.get_by_label("Text", exact=True)
        expect(box).to_have_value(CLAIM + " " + CLAIM)
        screenshot(page, "e2e-unsaved-form-phone")
        assert box.evaluate("b => b.scrollHeight - b.clientHeight") <= 0
    finally:
        context.close()
