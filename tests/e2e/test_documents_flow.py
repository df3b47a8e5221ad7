"""In Chromium: upload a PDF, read page 3 with the quote marked, log our own reporting, and check the public site."""

from __future__ import annotations

import re
import urllib.request

import pytest

from tests import pdfs
from tests.e2e.conftest import public_claim_id, screenshot, sign_in

pytestmark = pytest.mark.e2e

# A story of its own, so the demo story's coverage lists (which other browser tests pick from) stay as they are.
SLUG = "evidence-in-chromium"


@pytest.fixture(scope="module", autouse=True)
def evidence_story(site):
    site.cli("stories", "add", SLUG, "--title", "Evidence in Chromium", "--keywords", "activity, regulator")


IDENTITY = "Wolverine-6021 chief of staff to the CEO"


def _no_overflow(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") <= 0


def test_upload_a_pdf_quote_page_3_and_see_it_marked(browser, site, tmp_path):
    from playwright.sync_api import expect

    made = pdfs.multi_page_pdf(tmp_path / "regulator-report.pdf", 5, seed=21)
    quote = made.pages[2][1]
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(20000)
    try:
        sign_in(page, site, "rita")
        page.goto(f"{site.editor}/stories/{SLUG}/coverage")
        page.get_by_role("link", name="Add a document").click()
        screenshot(page, "e2e-document-upload-1280")
        page.set_input_files("#file", str(made.path))
        page.get_by_role("button", name="Add document").click()
        expect(page.locator(".flash, .alert").first).to_contain_text("5 pages")
        expect(page.locator("h2#page-title")).to_have_text("Page 1")
        page.get_by_role("link", name="Page 2 →").click()
        page.get_by_role("link", name="Page 3 →").click()
        expect(page.locator(".document-page")).to_contain_text(quote)

        page.get_by_role("link", name="Log a claim from it").click()
        page.fill("#text", "The regulator found gaps in the activity figures")
        page.fill("#claimant", "The regulator's report")
        page.select_option("#claimant_type", "document")
        page.fill("#quote", quote)
        page.check("input[name=stance][value=supports]")
        page.get_by_role("button", name="Log claim").click()
        evidence = page.locator(".evidence").first
        expect(evidence).to_contain_text("page 3")
        expect(evidence).to_contain_text(re.compile(r"Received .*sha256"))
        evidence.get_by_role("link", name="page 3").click()
        expect(page.locator(".document-page mark")).to_have_text(quote)
        expect(page.locator("#received-title")).to_be_visible()
        screenshot(page, "e2e-document-page-1280")
        page.set_viewport_size({"width": 390, "height": 844})
        _no_overflow(page)
        screenshot(page, "e2e-document-page-390")
    finally:
        context.close()


def test_our_reporting_is_published_as_told_outlet_and_never_who(browser, site):
    from playwright.sync_api import expect

    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.set_default_timeout(20000)
    words = "We have paused the activity targets while the review runs."
    try:
        sign_in(page, site, "rita")
        page.goto(f"{site.editor}/stories/{SLUG}/reporting/new")
        _no_overflow(page)
        page.select_option("#how", "call")
        page.fill("#at", "2026-11-30T16:45")
        page.fill("#words", words)
        page.fill("#attribution", "a company spokesperson")
        page.fill("#identity", IDENTITY)
        page.fill("#notes", "Called back from a personal number.")
        screenshot(page, "e2e-reporting-form-390")
        page.get_by_role("button", name="Log reporting").click()
        expect(page.locator(".private")).to_contain_text(IDENTITY)
        page.get_by_role("link", name="Log a claim from it").click()
        page.fill("#text", "Amazon paused the activity targets")
        page.fill("#claimant", "A company spokesperson")
        page.select_option("#claimant_type", "organization")
        page.fill("#quote", "paused the activity targets")
        page.check("input[name=stance][value=supports]")
        page.get_by_role("button", name="Log claim").click()
        expect(page.locator(".evidence").first).to_contain_text("attribution not yet approved")
        claim_url = page.url
        page.goto(f"{site.editor}/stories/{SLUG}/posts/new")
        _no_overflow(page)
        screenshot(page, "e2e-post-form-390")
        page.set_viewport_size({"width": 1280, "height": 900})
        screenshot(page, "e2e-post-form-1280")
        page.get_by_role("button", name="Sign out").click()

        sign_in(page, site, "eddie")
        page.goto(claim_url)
        page.locator(".evidence").first.get_by_role("link", name="The reporting note").click()
        page.get_by_role("button", name="Approve for publication").click()
        expect(page.locator(".status-line")).to_contain_text("A company spokesperson told")
        screenshot(page, "e2e-reporting-note-1280")
        page.goto(claim_url)
        page.get_by_role("button", name="Mark publishable").click()
        claim_id = claim_url.rstrip("/").rsplit("/", 1)[1]
    finally:
        context.close()
    site.cli("publish", "--yes")
    claim_id = public_claim_id(site, claim_id)  # as readers know it
    try:
        reader = browser.new_context(viewport={"width": 390, "height": 844})
        try:
            claim_page = reader.new_page()
            claim_page.goto(f"{site.public}/public/claims/{claim_id}")
            evidence = claim_page.locator(".evidence-source").first
            expect(evidence).to_contain_text("A company spokesperson told the newsroom on 30 November 2026")
            expect(claim_page.locator("blockquote.quote").first).to_contain_text("paused the activity targets")
            _no_overflow(claim_page)
            screenshot(claim_page, "e2e-public-reporting-claim-390")
        finally:
            reader.close()
        public = urllib.request.urlopen(f"{site.public}/public/claims/{claim_id}").read().decode()
        front = urllib.request.urlopen(f"{site.public}/").read().decode()
        assert "A company spokesperson told the newsroom on 30 November 2026" in public
        assert "paused the activity targets" in public
        for page in (public, front):
            assert IDENTITY not in page and "personal number" not in page
        assert IDENTITY.encode() not in site.db.with_name("public.db").read_bytes()
    finally:
        # The other browser tests read the public site as the demo left it: one story.
        _withdraw(browser, site, claim_url)
        site.cli("publish", "--yes")


def _withdraw(browser, site, claim_url: str) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        sign_in(page, site, "eddie")
        page.goto(claim_url)
        page.get_by_role("button", name="Withdraw from publishing").click()
    finally:
        context.close()
