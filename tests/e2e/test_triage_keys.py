"""In Chromium: the triage queue's keys say what they are about to do."""

from __future__ import annotations

import re

import pytest

from tests.e2e.conftest import sign_in
from tracker.demo import SLUG

pytestmark = pytest.mark.e2e


def test_m_puts_the_keyboard_on_the_claim_it_would_merge_into(page, site):
    """`m` ticked the first suggestion out of sight and sent focus to "Merge as evidence": Enter then merged
    into a claim nobody heard named. Focus is now on the ticked claim: read out, changed with the arrows."""
    from playwright.sync_api import expect

    sign_in(page, site, "rita")
    page.goto(f"{site.editor}/stories/{SLUG}/triage")
    card = page.locator("[data-candidate]").filter(has=page.locator("input[name=claim_id]")).first
    card.focus()
    page.keyboard.press("m")
    focused = page.locator(":focus")
    expect(focused).to_have_attribute("name", "claim_id")
    expect(focused).to_be_checked()
    expect(focused).to_have_accessible_name(re.compile(r"Claim \d+"))
    claim_id = focused.get_attribute("value")
    page.keyboard.press("Enter")
    expect(page.locator(".flashes")).to_contain_text(f"Merged into claim {claim_id} as more evidence.")
