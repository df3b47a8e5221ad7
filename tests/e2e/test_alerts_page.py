"""Account → Alert settings and the header's unread badge in a real browser, served as `make run` serves them.

`serve` runs the alert sender beside the editor: a publish from the command line reaches a reporter who
subscribed through the form, as a notification counted in the header.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.conftest import PASSWORD
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


def test_what_was_sent_reads_on_a_phone_each_row_stacked_and_named(page, site):
    """On a 390-pixel phone the "What was sent" table kept its four columns: the message was squeezed into a
    column a few words wide, a failure's reason ran down the screen a word a line, and "When" sat past the
    edge, to be scrolled to sideways. Each row now stacks, every value named by its column."""
    import sqlite3

    site.cli("users", "add", "nora", "--role", "reporter", "--password-stdin", input=PASSWORD + "\n")
    sign_in(page, site, "nora")
    page.goto(site.editor + "/account/alerts")
    page.fill("#dest-label", "Night desk hook")
    page.fill("#dest-url", "jsons://hooks.example.org/night")
    page.get_by_role("button", name="Add destination").click()
    expect(page.locator(".flash--success")).to_contain_text("Night desk hook")
    conn = sqlite3.connect(site.db)
    try:
        with conn:  # a delivery that failed for good, as the sender records one (it never takes a failed one up)
            conn.execute(
                """INSERT INTO alert_deliveries (destination_id, title, body, events, state, attempts, next_attempt,
                       last_error, created, created_at)
                   SELECT id, ?, 'body', 3, 'failed', 8, 0, ?, 1796601600, '2026-12-07T06:00:00Z'
                   FROM alert_destinations WHERE label = 'Night desk hook'""",
                [
                    "Ruled denied: SteamPro 2 kettles caused three kitchen fires (Lowland Consumer Safety Council)"
                    " · and 2 more alerts: SteamPro kettle overheating reports",
                    "hooks.example.org:443 did not take the connection within 10 s; check the address and port",
                ],
            )
    finally:
        conn.close()
    rows = page.locator("#deliveries tbody tr")
    for width in (390, 320):
        page.set_viewport_size({"width": width, "height": 844})
        page.reload()
        expect(rows).to_have_count(1)
        wrap = page.locator("#deliveries .table-wrap")
        assert wrap.evaluate("w => w.scrollWidth <= w.clientWidth"), width  # nothing to scroll sideways to
        for cell in rows.first.locator("td").all():
            box = cell.bounding_box()
            assert box["x"] >= 0 and box["x"] + box["width"] <= width, (width, cell.inner_text())
        labels = rows.first.locator("td").evaluate_all(
            "cells => cells.map(c => getComputedStyle(c, '::before').content)"
        )
        assert [label.strip('"').split(":")[0] for label in labels[1:]] == ["To", "State", "When"], labels
        screenshot(page, f"e2e-alerts-sent-phone-{width}")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.reload()
    expect(page.locator("#deliveries thead")).to_be_visible()  # a wide screen keeps the table's columns
