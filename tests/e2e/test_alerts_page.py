"""Account → Alert settings and the header's unread badge in a real browser, served as `make run` serves them.

`serve` runs the alert sender beside the editor: a publish from the command line reaches a reporter who
subscribed through the form, as a notification counted in the header.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import screenshot, sign_in

pytestmark = pytest.mark.e2e

# The unread count's middle lies within the line box of the word "Notifications" beside it (it sat alone below
# the word on a phone, for an editor's longer nav).
BADGE_BESIDE_WORD = """() => {
    const link = document.querySelector('.site-nav .nav-alerts'), range = document.createRange();
    range.selectNodeContents(link.firstChild);
    const word = range.getBoundingClientRect(), badge = link.querySelector('.alert-badge').getBoundingClientRect();
    const middle = (badge.top + badge.bottom) / 2;
    return word.top <= middle && middle <= word.bottom;
}"""


@pytest.mark.parametrize("username", ["rita", "eddie"])  # a reporter; an editor, whose header has more links
def test_a_reporter_or_editor_subscribes_and_sees_the_unread_badge(page, site, username):
    sign_in(page, site, username)
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

    site.cli("publish")  # an event: the sender started by serve routes it to the person who subscribed
    badge = page.locator(".site-nav .alert-badge")
    for _ in range(100):  # the sender polls the outbox twice a second; wait for the condition, bounded
        page.reload()
        if badge.count():
            break
        page.wait_for_timeout(200)
    expect(badge).to_contain_text("1")
    screenshot(page, f"e2e-alerts-account-{username}")

    for width in (390, 320):  # a phone: the count stays on the word's line, and nothing runs past the edge
        page.set_viewport_size({"width": width, "height": 844})
        page.reload()
        expect(badge).to_be_visible()
        for count in ("1", "12", "99+"):  # the badge's widths (the number is its second text node)
            badge.evaluate("(b, count) => { b.childNodes[1].textContent = count; }", count)
            assert page.evaluate(BADGE_BESIDE_WORD), (width, count)
            assert page.evaluate("document.documentElement.scrollWidth") <= width, (width, count)
        screenshot(page, f"e2e-alerts-account-{username}-phone-{width}")

    page.set_viewport_size({"width": 1280, "height": 900})
    page.locator(".site-nav .nav-alerts").click()
    expect(page.locator(".inbox-item--unread")).to_have_count(1)
    expect(page.locator(".inbox-subject").first).to_contain_text("Published")
    screenshot(page, f"e2e-alerts-notifications-{username}")
    page.get_by_role("button", name="Mark all read").click()
    expect(page.locator(".inbox-item--unread")).to_have_count(0)
    expect(badge).to_have_count(0)
