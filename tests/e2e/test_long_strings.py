"""In Chromium on a phone: a long word or link in a title, quote, name or reason wraps, never widens the page."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import public_claim_id, screenshot, sign_in

pytestmark = pytest.mark.e2e

# A story of its own, so the demo story's lists (which other browser tests pick from) stay as they are.
SLUG = "long-strings"
# A real German law's name: one word, wider than a phone in any heading.
WORD = "Rindfleischetikettierungsüberwachungsaufgabenübertragungsgesetz"
# A shared link as people paste it: the part after the last "?" has no place to break.
LINK = (
    "https://docs.example.com/document/d/1BxiMVs0XRA5nFMdKvBdBZjgmUUqptlbs74OgvE2upms/edit"
    "?usp=sharing&utm_source=newsletter&utm_medium=email&utm_campaign=ai_activity_week_48"
)
QUOTE = f"A spokesperson said the activity figures were posted at {LINK} for every team to see."
CLAIMANT = "pressofficeawseuropecommunications@amazon.example"
PAGE = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{WORD}: activity targets</title>
<meta property="article:published_time" content="2026-11-25T10:00:00Z"></head>
<body><article><h1>{WORD}: activity targets</h1>
<p>{QUOTE}</p>
<p>"The activity numbers were inflated on purpose," said Jane Doe, a former engineer, in an interview on Monday.</p>
</article></body></html>
"""


@pytest.fixture(scope="module", autouse=True)
def long_story(site, tmp_path_factory):
    page = tmp_path_factory.mktemp("long-strings") / "article.html"
    page.write_text(PAGE, encoding="utf-8")
    site.cli("stories", "add", SLUG, "--title", f"{WORD} activity", "--keywords", "activity")
    site.cli("ingest", SLUG, str(page))


def _fits(page, what: str) -> None:
    # A page's stylesheet may still be loading when its text is already there (a busy machine): measured then,
    # the unstyled page is as wide as its longest link. The load event comes after the stylesheets.
    page.wait_for_load_state("load")
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"{what} scrolls sideways by {overflow}px on a 390px phone"


def test_long_words_and_links_wrap_in_the_editor_and_on_the_public_site(browser, site):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.set_default_timeout(20000)
    try:
        sign_in(page, site, "eddie")
        page.goto(f"{site.editor}/stories/{SLUG}/triage")
        expect(page.locator(".triage-list")).to_contain_text("docs.example.com")
        _fits(page, "the triage queue")
        screenshot(page, "e2e-long-strings-triage-390")

        page.goto(f"{site.editor}/stories/{SLUG}/claims/new")
        page.fill("#text", f"The activity figures were posted at {LINK}")
        page.fill("#claimant", CLAIMANT)
        page.select_option("#claimant_type", "organization")
        page.select_option("#revision_id", index=1)
        page.fill("#quote", QUOTE)
        page.check("input[name=stance][value=supports]")
        page.get_by_role("button", name="Log claim").click()
        expect(page.locator(".evidence").first).to_contain_text("docs.example.com")
        claim_url = page.url
        page.check("input[name=status][value=confirmed]")
        page.fill("#rationale", "The shared document shows the figures.")
        page.fill("#public_rationale", f"The figures are in the shared document: {LINK}")
        page.get_by_role("button", name="Save ruling").click()
        expect(page.locator(".claim-head-tags")).to_contain_text("Confirmed")
        _fits(page, "the claim page")
        screenshot(page, "e2e-long-strings-claim-390")
        for path, what in (
            (f"/stories/{SLUG}", "the story's claims"),
            (f"/stories/{SLUG}/dashboard", "the dashboard"),
            (f"/stories/{SLUG}/coverage", "the coverage list"),
        ):
            page.goto(site.editor + path)
            _fits(page, what)
        page.goto(claim_url)
        page.get_by_role("button", name="Mark publishable").click()
        expect(page.get_by_role("button", name="Withdraw from publishing")).to_be_visible()
        claim_id = claim_url.rstrip("/").rsplit("/", 1)[1]
    finally:
        context.close()
    site.cli("publish", "--yes")
    claim_id = public_claim_id(site, claim_id)  # as readers know it
    try:
        reader = browser.new_context(viewport={"width": 390, "height": 844})
        try:
            page = reader.new_page()
            for path, what in (
                (f"/public/claims/{claim_id}", "the public claim page"),
                (f"/public/timeline?story={SLUG}", "the timeline"),
                (f"/stories/{SLUG}", "the public story page"),
            ):
                page.goto(site.public + path)
                expect(page.locator("h1")).to_be_visible()
                _fits(page, what)
            page.goto(f"{site.public}/public/claims/{claim_id}")
            expect(page.locator(".verdict-box")).to_contain_text("docs.example.com")
            screenshot(page, "e2e-long-strings-public-claim-390")
        finally:
            reader.close()
    finally:
        # The other browser tests read the public site as the demo left it: one story.
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        page = context.new_page()
        try:
            sign_in(page, site, "eddie")
            page.goto(claim_url)
            page.get_by_role("button", name="Withdraw from publishing").click()
            expect(page.get_by_role("button", name="Mark publishable")).to_be_visible()
        finally:
            context.close()
        site.cli("publish", "--yes")
