"""What a person clicks: a reporter logs a claim, an editor rules and publishes it, a reader finds it."""

from __future__ import annotations

import json
import re
import urllib.request

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import log_claim, screenshot, sign_in

pytestmark = pytest.mark.e2e

CLAIM = "Amazon has not confirmed or denied the fabricated-task claims publicly."
QUOTE = "Amazon has not confirmed or denied the claims publicly"


def test_reporter_logs_editor_rules_reader_sees(page, site):
    # The reporter logs a sourced claim from the demo article.
    sign_in(page, site, "rita")
    log_claim(
        page, "Amazon", CLAIM, "Amazon", "organization", QUOTE, source_identity="Desk contact at the press office"
    )
    expect(page.locator("form[action$='/status']")).to_have_count(0)  # reporters never see the ruling form
    claim_url = page.url
    screenshot(page, "e2e-reporter-claim")
    page.get_by_role("button", name=re.compile("Sign out|Log out", re.I)).click()

    # The editor confirms it with a rationale and marks it publishable.
    sign_in(page, site, "eddie")
    page.goto(claim_url)
    page.check("input[name=status][value=confirmed]")
    page.fill("#rationale", "The article says so in its own words; no statement on Amazon's newsroom.")
    page.get_by_role("button", name="Save ruling").click()
    expect(page.locator(".claim-head-tags")).to_contain_text("Confirmed")
    page.get_by_role("button", name="Mark publishable").click()
    expect(page.get_by_role("button", name="Withdraw from publishing")).to_be_visible()
    screenshot(page, "e2e-editor-claim")

    # Publishing (from the command line, with the changes it lists confirmed) is picked up by the
    # running public site without a restart.
    site.cli("publish", "--yes")
    rows = json.load(urllib.request.urlopen(site.public + "/public/timeline.json?_shape=array"))
    ours = [r for r in rows if r["claim"] == CLAIM]
    assert ours and {r["status"] for r in ours} == {"confirmed"}
    page.goto(site.public + "/public/timeline")
    expect(page.get_by_text(CLAIM).first).to_be_visible()
    screenshot(page, "e2e-public-timeline")
    html = page.content()
    assert "Desk contact at the press office" not in html
