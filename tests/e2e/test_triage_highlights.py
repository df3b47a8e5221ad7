"""The triage queue marks, in each candidate's sentence, who spoke, the reporting words and what was said."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import ARTIFACTS, screenshot, sign_in
from tracker.demo import SLUG

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("width", [1280, 390], ids=["desktop", "phone"])
def test_triage_card_highlights_source_cue_and_content(browser, site, width):
    from playwright.sync_api import expect

    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15000)
    try:
        sign_in(page, site, "rita")
        page.goto(f"{site.editor}/stories/{SLUG}/triage")
        card = page.locator("[data-candidate]").filter(has=page.locator("mark.attr--content")).first
        expect(card).to_be_visible()
        sentence = card.locator("mark.attr-sentence")
        expect(sentence.locator("mark.attr--content")).not_to_have_count(0)
        expect(sentence.locator("mark.attr--source, mark.attr--cue")).not_to_have_count(0)
        # named in words, not colour alone: the legend and the text a screen reader hears
        expect(card.locator(".attr-legend")).to_contain_text("What was said")
        assert "What was said:" in card.locator(".attr-legend").text_content()
        # nothing wider than the phone's screen
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0
        card.scroll_into_view_if_needed()
        screenshot(page, f"e2e-triage-highlights-{width}")
        card.screenshot(path=str(ARTIFACTS / f"e2e-triage-highlights-{width}-card.png"))
    finally:
        context.close()


def test_triage_card_heading_is_named_by_its_paragraph_alone(browser, site):
    """The card's heading, and the card it names, read as the paragraph: the part labels are said after it.

    Inside the heading, "Source: ", "Cue: " and "What was said: " were read into its name, so a screen
    reader's list of headings (and every card) began "Source: Multiple Amazon employeesCue: have indicated…".
    """
    from playwright.sync_api import expect

    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15000)
    try:
        sign_in(page, site, "rita")
        page.goto(f"{site.editor}/stories/{SLUG}/triage")
        card = page.locator("[data-candidate]").filter(has=page.locator("mark.attr--source")).first
        heading = card.locator("h2")
        paragraph = heading.evaluate("h => h.textContent")
        for label in ("Source:", "Cue:", "What was said:"):
            assert label not in paragraph
        expect(heading).to_have_accessible_name(paragraph.strip())
        expect(card).to_have_accessible_name(paragraph.strip())
        # the parts are still named in words, each with its own text, just after the heading
        source = card.locator("mark.attr--source").first.text_content()
        legend = card.locator(".attr-legend")
        expect(legend).not_to_have_attribute("aria-hidden", "true")
        expect(legend).to_contain_text(f"Source: {source}")
        expect(legend).to_contain_text("What was said: ")
    finally:
        context.close()
