"""The triage queue ordered by check-worthiness, in a real browser: order, score, reasons, high filter, phone width."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import ARTIFACTS, screenshot, sign_in

pytestmark = pytest.mark.e2e


def scores(page) -> list[float]:
    return [float(s) for s in page.locator("[data-candidate] .check-score").all_inner_texts()]


def test_triage_is_worth_checking_first_with_reasons_and_a_high_filter(site, browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15000)
    sign_in(page, site, "rita")
    page.goto(site.editor + "/stories/amazon-ai-activity/triage")
    expect(page.get_by_role("navigation", name="Order").locator("[aria-current]")).to_have_text("Worth checking first")
    first = scores(page)
    assert len(first) >= 5 and first == sorted(first, reverse=True)
    card = page.locator("[data-candidate]").first
    expect(card.locator(".check")).to_contain_text(re.compile(r"High|Medium|Low"))
    expect(card.locator(".check-reason").first).to_be_visible()
    screenshot(page, "e2e-triage-checkworthy")
    page.screenshot(path=str(ARTIFACTS / "e2e-triage-checkworthy-top.png"))  # what the reporter sees first

    page.get_by_role("link", name="Newest first").click()
    expect(page.get_by_role("navigation", name="Order").locator("[aria-current]")).to_have_text("Newest first")
    assert scores(page) != first  # reading order, not score order

    page.get_by_role("link", name=re.compile("High only")).click()
    expect(page.locator(".chip--high")).to_have_attribute("aria-current", "true")
    levels = page.locator("[data-candidate] .check").all_inner_texts()
    assert all(t.startswith("High") for t in levels)
    context.close()

    phone = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    page = phone.new_page()
    page.set_default_timeout(15000)
    sign_in(page, site, "rita")
    page.goto(site.editor + "/stories/amazon-ai-activity/triage")
    expect(page.locator("[data-candidate]").first.locator(".check")).to_be_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page scrolls sideways at phone width ({width}px)"
    screenshot(page, "e2e-triage-checkworthy-phone")
    page.screenshot(path=str(ARTIFACTS / "e2e-triage-checkworthy-phone-top.png"))
    page.locator("[data-candidate]").first.screenshot(path=str(ARTIFACTS / "e2e-triage-checkworthy-phone-card.png"))
    box = page.get_by_role("link", name="Newest first").bounding_box()
    worth = page.get_by_role("navigation", name="Order").locator("[aria-current]").bounding_box()
    assert abs(box["y"] - worth["y"]) < 2, "the two orders should sit on one line at phone width"
    phone.close()
