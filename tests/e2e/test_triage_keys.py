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
    card = page.locator("[data-candidate]").filter(has=page.locator("input[name=claim_id]:checked")).first
    card.focus()
    page.keyboard.press("m")
    focused = page.locator(":focus")
    expect(focused).to_have_attribute("name", "claim_id")
    expect(focused).to_be_checked()
    expect(focused).to_have_accessible_name(re.compile(r"Claim \d+"))
    claim_id = focused.get_attribute("value")
    page.keyboard.press("Enter")
    # "as more evidence", or only the rest of a sentence the claim quotes part of
    expect(page.locator(".flashes")).to_contain_text(f"Merged into claim {claim_id}")


def test_m_then_enter_merges_nothing_until_a_claim_is_chosen_when_no_suggestion_is_close(page, site):
    """`m` ticked the first suggestion whatever it was, one sharing a single word with the sentence as readily as
    the claim it says: `m` then Enter made a wrong merge. Where no suggestion is close, none is ticked and Enter
    sends nothing; Space chooses the focused claim, and Enter then merges into it."""
    from playwright.sync_api import expect

    sign_in(page, site, "rita")
    page.goto(f"{site.editor}/stories/{SLUG}/triage")
    cards = page.locator("[data-candidate]").filter(has=page.locator("input[name=claim_id]"))
    card = cards.filter(has_not=page.locator("input[name=claim_id]:checked")).first
    expect(card).to_contain_text("few words alike")
    card.focus()
    page.keyboard.press("m")
    focused = page.locator(":focus")
    expect(focused).to_have_attribute("name", "claim_id")
    expect(focused).not_to_be_checked()
    posted = []
    page.on("request", lambda request: posted.append(request.url) if request.method == "POST" else None)
    page.keyboard.press("Enter")
    expect(focused).to_have_attribute("name", "claim_id")  # the page is still there, and the keyboard on it
    assert posted == [] and page.locator(".triage-error").count() == 0, posted
    claim_id = focused.get_attribute("value")
    page.keyboard.press(" ")
    expect(focused).to_be_checked()
    page.keyboard.press("Enter")
    # "as more evidence", or only the rest of a sentence the claim quotes part of
    expect(page.locator(".flashes")).to_contain_text(f"Merged into claim {claim_id}")


# Records text put into a live region once the page is parsed: what a screen reader announces. A region
# that arrives with its text already in it (a page loaded after a POST) is read by no screen reader.
ANNOUNCED = """
window.__announced = [];
let watching = false;
const observer = new MutationObserver((records) => {
  if (!watching) return;
  for (const r of records) {
    const el = r.target.nodeType === 1 ? r.target : r.target.parentElement;
    const region = el && el.closest('[role=status], [role=alert], [aria-live]');
    if (region && region.textContent.trim()) window.__announced.push(region.textContent.trim());
  }
});
observer.observe(document, { childList: true, subtree: true, characterData: true });
document.addEventListener("readystatechange", () => {
  if (document.readyState === "interactive") { observer.takeRecords(); watching = true; }
});
"""

# Waits (the page's CSP refuses wait_for_function's eval) until the text is announced, or 10 s; returns all announced.
WAIT_FOR_ANNOUNCEMENT = """(text) => new Promise((resolve) => {
  const started = Date.now();
  (function check() {
    if (window.__announced.some((t) => t.includes(text)) || Date.now() - started > 10000) resolve(window.__announced);
    else setTimeout(check, 50);
  })();
})"""


def test_the_message_after_a_decision_is_announced_and_the_keyboard_stays_on_the_next_candidate(page, site):
    from playwright.sync_api import expect

    sign_in(page, site, "rita")
    page.add_init_script(ANNOUNCED)
    page.goto(f"{site.editor}/stories/{SLUG}/triage")
    cards = page.locator("[data-candidate]")
    cards.first.focus()
    page.keyboard.press("d")
    page.keyboard.type("Not about this story")
    page.keyboard.press("Enter")
    expect(page.locator(".flashes")).to_contain_text("Dismissed: Not about this story.")
    page.wait_for_load_state("load")
    anchored = page.evaluate("location.hash")
    assert anchored.startswith("#candidate-")
    expect(page.locator(anchored)).to_have_class(re.compile(r"\bis-current\b"))
    announced = page.evaluate(WAIT_FOR_ANNOUNCEMENT, "Dismissed: Not about this story.")
    assert any("Dismissed: Not about this story." in t for t in announced), announced
    # Focus is where the keyboard user goes on from, not on the message.
    assert page.evaluate("document.activeElement.closest('.flashes') === null")
    assert page.evaluate("document.activeElement.id") == anchored[1:]


def test_j_past_the_last_card_opens_the_next_page_and_k_comes_back_to_the_last_card(page, site):
    """j on a page's last candidate did nothing, so a reporter working the queue by keys stopped at ten with no word
    why; the next page was only a Tab journey away."""
    from playwright.sync_api import expect

    sign_in(page, site, "rita")
    page.goto(f"{site.editor}/stories/{SLUG}/triage")
    cards = page.locator("[data-candidate]")
    first_page = [cards.nth(i).get_attribute("id") for i in range(cards.count())]
    assert page.locator(".pager a[rel=next]").count() == 1
    for _ in range(len(first_page) - 1):
        page.keyboard.press("j")
    expect(page.locator("[data-candidate].is-current")).to_have_id(first_page[-1])
    with page.expect_navigation():
        page.keyboard.press("j")
    expect(page.locator("[data-candidate].is-current")).to_have_id(cards.first.get_attribute("id"))
    assert cards.first.get_attribute("id") not in first_page
    with page.expect_navigation():
        page.keyboard.press("k")
    expect(page.locator("[data-candidate].is-current")).to_have_id(first_page[-1])


@pytest.mark.parametrize("width", [390, 1280])
def test_a_decision_further_down_the_page_is_confirmed_where_the_reporter_lands(browser, site, width):
    """The queue reopens at the next candidate, and "Dismissed: Not a claim." (or the new claim's number) was at the top
    of the page, thousands of pixels above, out of sight: nothing on screen said the decision was made."""
    from playwright.sync_api import expect

    context = browser.new_context(viewport={"width": width, "height": 844})
    page = context.new_page()
    try:
        sign_in(page, site, "rita")
        page.goto(f"{site.editor}/stories/{SLUG}/triage")
        card = page.locator("[data-candidate]").nth(3)
        card.locator("input[name=reason]").fill("Not a claim")
        with page.expect_navigation():
            card.get_by_role("button", name="Dismiss").click()
        flash = page.locator(".flash--success")
        expect(flash).to_contain_text("Dismissed: Not a claim.")
        expect(flash).to_be_in_viewport()
        expect(page.locator("[data-candidate].is-current")).to_be_in_viewport()
    finally:
        context.close()


def test_esc_in_a_candidates_field_leaves_the_keyboard_on_that_candidate(page, site):
    """Esc in the dismiss reason blurred the field and put focus on the page itself: a screen reader was left
    nowhere and Tab started again from the header. Focus now goes back to the candidate the field belongs to."""
    from playwright.sync_api import expect

    sign_in(page, site, "rita")
    page.goto(f"{site.editor}/stories/{SLUG}/triage")
    card = page.locator("[data-candidate]").nth(1)
    card.focus()
    page.keyboard.press("d")
    expect(page.locator(":focus")).to_have_attribute("name", "reason")
    page.keyboard.press("Escape")
    assert page.evaluate("document.activeElement.id") == card.get_attribute("id")
    expect(card).to_have_class(re.compile(r"\bis-current\b"))
    page.keyboard.press("j")
    expect(page.locator("[data-candidate]").nth(2)).to_have_class(re.compile(r"\bis-current\b"))
