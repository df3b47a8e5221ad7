"""Account → Alert settings and the header's unread badge in a real browser, served as `make run` serves them.

`serve` runs the alert sender beside the editor: a publish from the command line reaches a reporter who
subscribed through the form, as a notification counted in the header.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import screenshot, sign_in

pytestmark = pytest.mark.e2e


def test_a_reporter_subscribes_and_sees_the_unread_badge(page, site):
    sign_in(page, site, "rita")
    page.get_by_role("link", name="Account").click()
    page.get_by_role("navigation", name="Your account").get_by_role("link", name="Alert settings").click()
    expect(page.locator("h1")).to_have_text("Alert settings")

    # A malformed destination is refused with one line; the URL typed (it may hold a password) is not echoed.
    page.fill("#dest-label", "Desk email")
    page.fill("#dest-url", "mailto://")
    page.get_by_role("button", name="Add destination").click()
    expect(page.locator(".alert--error")).to_contain_text("Apprise cannot use that mailto:// URL")
    expect(page.locator("#dest-url")).to_have_value("")
    expect(page.locator("#dest-label")).to_have_value("Desk email")

    page.locator(".sub--new summary").click()
    page.get_by_role("button", name="Subscribe").click()
    expect(page.locator(".flash--success")).to_contain_text("Subscription saved")
    expect(page.locator("#subscriptions summary").first).to_contain_text("Every story")

    site.cli("publish")  # an event: the sender started by serve routes it to rita
    badge = page.locator(".site-nav .alert-badge")
    for _ in range(100):  # the sender polls the outbox twice a second; wait for the condition, bounded
        page.reload()
        if badge.count():
            break
        page.wait_for_timeout(200)
    expect(badge).to_contain_text("1")
    screenshot(page, "e2e-alerts-account")

    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    expect(badge).to_be_visible()
    screenshot(page, "e2e-alerts-account-phone")

    page.set_viewport_size({"width": 1280, "height": 900})
    page.locator(".site-nav .nav-alerts").click()
    expect(page.locator(".inbox-item--unread")).to_have_count(1)
    expect(page.locator(".inbox-subject").first).to_contain_text("Published")
    screenshot(page, "e2e-alerts-notifications")
    page.get_by_role("button", name="Mark all read").click()
    expect(page.locator(".inbox-item--unread")).to_have_count(0)
    expect(badge).to_have_count(0)
