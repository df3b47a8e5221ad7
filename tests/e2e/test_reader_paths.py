"""Links a reader follows from a reader page, on a phone and a desktop, in headless Chromium."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import screenshot

pytestmark = pytest.mark.e2e

# Names the database and the editors use, which a reader's page should say in words.
INTERNAL = ("status_changed", "first_reported", "date_precision", "claim_id", "unreviewed", "source_url")


@pytest.mark.parametrize("width", [375, 1280])
def test_a_claims_timeline_events_read_as_a_timeline(page, site, width):
    """The claim page's "Its timeline events" opened Datasette's query form: column names for headings,
    `status_changed` for a ruling, `unreviewed` for a status, and at 1280 pixels a table cut off at its right."""
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(site.public + "/public/timeline")
    page.locator(".card-claim a").first.click()
    claim_text = page.locator("h1").inner_text()
    claim_url = page.url
    page.get_by_role("link", name="Its timeline events").click()
    expect(page.locator("h1")).to_contain_text(claim_text)
    cards = page.locator(".rail-events > li.event")
    expect(cards.first).to_be_visible()
    assert cards.count() >= 2
    expect(page.locator(".card-now .status").first).to_have_text(
        re.compile(r"(Confirmed|Denied|Unclear|Not yet reviewed)$")
    )
    main = page.locator("main").inner_text()
    assert [word for word in INTERNAL if word in main] == []
    width_now = page.evaluate("document.documentElement.scrollWidth")
    assert width_now <= width, f"the page scrolls sideways ({width_now}px)"
    screenshot(page, f"public-claim-events-{width}")
    # The data stays one click away, and so does the claim.
    assert page.get_by_role("link", name="CSV").first.get_attribute("href").startswith("/public/claim_events.csv")
    page.get_by_role("link", name="Back to the claim").click()
    expect(page).to_have_url(claim_url)


def test_a_claims_timeline_without_a_claim_says_what_to_do(page, site):
    # No published claim of that number: the site's own 404 page, with its ways on.
    response = page.goto(site.public + "/public/claim_events?claim_id=999999")
    assert response.status == 404
    expect(page.locator("main")).to_contain_text("Nothing at this address")
    expect(page.get_by_role("link", name="The timeline of every claim")).to_be_visible()


def test_the_feed_a_reader_subscribes_to_says_statuses_in_words(page, site):
    """Entries read "Status changed from unreviewed to unclear": the stored value, not the reader's words."""
    page.goto(site.public + "/stories/amazon-ai-activity")
    href = page.get_by_role("link", name="Atom feed").first.get_attribute("href")
    feed = page.request.get(site.public + href).text()
    entries = re.findall(r"<(?:title|content)[^>]*>(.*?)</(?:title|content)>", feed, re.S)
    assert len(entries) > 2
    assert [e for e in entries if "unreviewed" in e.lower()] == []
    assert any("from not yet reviewed to unclear" in e for e in entries)


PAGE_TOP = "e => e.getBoundingClientRect().top + window.scrollY"


def test_the_story_page_says_what_is_established_before_its_charts(page, site):
    """The story page led with two charts, then the timeline; what editors had confirmed or denied, and why, was
    on the front page only. On a phone a reader scrolled two screens of bars to learn the one thing settled."""
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(site.public + "/stories/amazon-ai-activity")
    established = page.get_by_role("heading", name="What we have established")
    expect(established).to_be_visible()
    spread = page.get_by_role("heading", name="How the story spread")
    assert established.evaluate(PAGE_TOP) < spread.evaluate(PAGE_TOP)
    ruling = page.locator("#established .ruling").first
    expect(ruling.locator(".status")).to_have_text("Confirmed")
    expect(ruling.locator(".ruling-why")).not_to_be_empty()
    expect(page.get_by_role("navigation", name="On this page").get_by_role("link", name="Established")).to_be_visible()
    screenshot(page, "public-story-established-375")
    ruling.locator(".ruling-claim a").click()
    expect(page.locator(".verdict-box")).to_contain_text("Confirmed")


@pytest.mark.parametrize("path", ["/", "/stories/amazon-ai-activity"])
def test_the_first_screen_says_what_changed_last(page, site, path):
    """The head said when the story was updated ("Updated Dec 7") but not what changed: the newest event was in the
    timeline, below what is established and two charts, several screens down on a phone. The first screen now
    says it in words after the story's state, with the claim it is about and where that claim stands."""
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(site.public + path)
    latest = page.locator(".latest-change-line")
    expect(latest).to_have_count(1)
    expect(latest).to_contain_text("Latest change")
    assert latest.evaluate(PAGE_TOP) + latest.evaluate("e => e.getBoundingClientRect().height") <= 844
    tally = page.get_by_role("list", name="Claims by status")
    established = page.get_by_role("heading", name="What we have established")
    assert tally.evaluate(PAGE_TOP) < latest.evaluate(PAGE_TOP) < established.evaluate(PAGE_TOP)
    # The same event the timeline lists first, named by its claim, with the status in words.
    newest = page.locator(".latest-list .latest-item").first
    claim = newest.locator("a").first.inner_text()
    expect(latest.get_by_role("link", name=claim)).to_be_visible()
    expect(latest.locator("time")).to_have_text(newest.locator("time").inner_text())
    expect(latest.locator(".status")).not_to_be_empty()
    screenshot(page, "latest-change-" + ("front" if path == "/" else "story") + "-390")
