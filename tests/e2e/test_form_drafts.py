"""A form whose post never got an answer keeps what was typed, in a real browser.

The editor's pages are kept out of the back-button cache, so after the
browser's own "could not connect" page, going back showed the form empty. A
copy of the typed text is kept in the tab until the server says it saved it.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from tests.e2e.conftest import screenshot, sign_in

pytestmark = pytest.mark.e2e

CLAIM = "A team lead said the AI-activity dashboard counted a meeting invitation as an AI task."
IDENTITY = "M., team lead in Berlin, spoke by phone on 3 Dec"


def _open_new_claim_form(page) -> str:
    page.get_by_role("link", name=re.compile("Amazon", re.I)).first.click()
    page.get_by_role("link", name="Log a claim").first.click()
    return page.url


def test_a_claim_whose_post_got_no_answer_is_offered_back_and_forgotten_once_saved(page, site):
    sign_in(page, site, "rita")
    form_url = _open_new_claim_form(page)
    page.fill("#text", CLAIM)
    page.fill("#claimant", "A team lead at Amazon")
    page.select_option("#claimant_type", "anonymous")
    page.fill("#source_identity", IDENTITY)

    # The connection drops as she sends it: the browser shows its own error page, no answer from the editor.
    def drop(route):
        route.abort("connectionreset") if route.request.method == "POST" else route.continue_()

    page.route("**/*", drop)
    page.get_by_role("button", name="Log claim").click(no_wait_after=True)
    with pytest.raises(PlaywrightError, match="ERR_CONNECTION_RESET"):
        page.wait_for_url(re.compile("^chrome-error:"))
    page.unroute("**/*")

    # Back on the form, fetched afresh and empty, what she typed is offered.
    page.goto(form_url)
    expect(page.get_by_label("Claim", exact=False).first).to_have_value("")
    offer = page.get_by_role("status").filter(has_text="not saved")
    expect(offer).to_be_visible()
    expect(offer).to_contain_text(
        re.compile(r"sent from this form at \d{1,2} \w{3} \d{4}, \d\d:\d\d UTC got no answer")
    )
    screenshot(page, "e2e-form-draft-offer")
    offer.get_by_role("button", name="Restore it").click()
    expect(page.locator("#text")).to_have_value(CLAIM)
    expect(page.locator("#source_identity")).to_have_value(IDENTITY)
    expect(page.locator("#claimant_type")).to_have_value("anonymous")
    expect(page.locator("#text")).to_be_focused()

    page.select_option("#revision_id", index=1)
    page.fill("#quote", "Amazon")
    page.check("input[name=stance][value=supports]")
    page.get_by_role("button", name="Log claim").click()
    expect(page.locator("h1")).to_contain_text(CLAIM)
    # The claim's page forgets the saved copy in its deferred script: leaving before the page has loaded (as
    # a loaded machine let this test do) would leave before that script ran.
    page.wait_for_load_state("load")

    # Saved: the copy is forgotten, the form opens empty with nothing offered.
    page.goto(form_url)
    expect(page.locator("#text")).to_have_value("")
    expect(page.get_by_role("status").filter(has_text="not saved")).to_have_count(0)
    assert page.evaluate("Object.keys(window.sessionStorage).filter(k => k.startsWith('tracker.draft:'))") == []


def test_a_refusal_is_credited_to_the_send_it_answers_not_to_the_tab_s_latest(page, site):
    """A claim sent with no answer, then another form refused ("This form has expired"): the claim's offer
    still says it got no answer, and the refused form's own copy carries the refusal."""
    sign_in(page, site, "rita")
    form_url = _open_new_claim_form(page)
    page.fill("#text", CLAIM)
    page.fill("#claimant", "A team lead at Amazon")
    page.select_option("#claimant_type", "anonymous")

    def drop(route):
        route.abort("connectionreset") if route.request.method == "POST" else route.continue_()

    page.route("**/*", drop)
    page.get_by_role("button", name="Log claim").click(no_wait_after=True)
    with pytest.raises(PlaywrightError, match="ERR_CONNECTION_RESET"):
        page.wait_for_url(re.compile("^chrome-error:"))
    page.unroute("**/*")

    # A button form with no text box (no copy kept), sent with a stale token, is refused: not the claim's answer.
    page.goto(site.editor + "/account")
    page.evaluate("document.querySelectorAll('input[name=csrf_token]').forEach(el => { el.value = 'stale'; })")
    page.get_by_role("button", name="Create a token").click()
    expect(page.get_by_role("heading", name="This form has expired")).to_be_visible()

    page.goto(form_url)
    offer = page.get_by_role("status").filter(has_text="not saved")
    expect(offer).to_contain_text("got no answer from the editor")
    expect(offer).not_to_contain_text("This form has expired")

    # The claim itself sent again with a stale token: that refusal is the claim's, named by its copy.
    offer.get_by_role("button", name="Restore it").click()
    page.evaluate("document.querySelectorAll('input[name=csrf_token]').forEach(el => { el.value = 'stale'; })")
    page.evaluate("document.querySelectorAll('[required]').forEach(el => el.removeAttribute('required'))")
    page.get_by_role("button", name="Log claim").click()
    expect(page.get_by_role("heading", name="This form has expired")).to_be_visible()
    page.goto(form_url)
    expect(page.get_by_role("status").filter(has_text="not saved")).to_contain_text(
        "got the answer \u201cThis form has expired\u201d from the editor"
    )


def test_a_draft_can_be_discarded_and_a_refused_form_offers_nothing(page, site):
    sign_in(page, site, "rita")
    form_url = _open_new_claim_form(page)
    page.fill("#text", "A claim she will think better of.")
    page.fill("#claimant", "Someone")
    # She leaves by the address bar (the page asks first; the test's browser answers yes).
    page.on("dialog", lambda dialog: dialog.accept())
    page.goto(site.editor + "/")
    page.goto(form_url)
    offer = page.get_by_role("status").filter(has_text="not saved")
    expect(offer).to_be_visible()
    offer.get_by_role("button", name="Discard").click()
    expect(offer).to_have_count(0)
    page.reload()
    expect(page.get_by_role("status").filter(has_text="not saved")).to_have_count(0)

    # A form the server refuses comes back with the text in it: nothing to offer.
    page.fill("#text", "Only the claim, no claimant type and no evidence.")
    page.evaluate("document.querySelectorAll('[required]').forEach(el => el.removeAttribute('required'))")
    page.get_by_role("button", name="Log claim").click()
    expect(page.get_by_role("alert")).to_contain_text("not saved")
    expect(page.locator("#text")).to_have_value("Only the claim, no claimant type and no evidence.")
    expect(page.get_by_role("status").filter(has_text="not saved")).to_have_count(0)


def _drafts(page) -> list[str]:
    return page.evaluate("Object.keys(window.sessionStorage).filter(k => k.startsWith('tracker.draft:'))")


def test_a_draft_is_forgotten_when_its_author_signs_out_and_never_offered_to_someone_else(page, site):
    """A newsroom's machine is shared: a confidential identity typed and never sent stayed in the tab after
    signing out, readable there, and the next person to sign in on that tab was offered it on the same form."""
    sign_in(page, site, "rita")
    form_url = _open_new_claim_form(page)
    page.fill("#text", CLAIM)
    page.fill("#source_identity", IDENTITY)
    page.on("dialog", lambda dialog: dialog.accept())
    page.goto(site.editor + "/")
    assert _drafts(page) != []  # kept while she is signed in, as a dropped post needs
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("button", name="Sign in")).to_be_visible()
    assert _drafts(page) == []

    # The same, when she leaves without signing out (her session ends meanwhile) and Eddie signs in on her tab.
    sign_in(page, site, "rita")
    page.goto(form_url)
    page.fill("#text", CLAIM)
    page.fill("#source_identity", IDENTITY)
    page.goto(site.editor + "/")
    assert _drafts(page) != []
    page.context.clear_cookies()
    sign_in(page, site, "eddie")
    page.goto(form_url)
    expect(page.locator("#source_identity")).to_have_value("")
    expect(page.get_by_role("status").filter(has_text="not saved")).to_have_count(0)
    assert _drafts(page) == []


def test_a_form_clicked_twice_without_javascript_makes_one_story(browser, site):
    """Without the script no copy of the form is named in the tab: the server names each form it serves, so
    the second of two sends is the same form's and opens the story the first one made.

    The first send is held in the browser until the second click has sent the form again (a click that lands
    before the first send has left the browser replaces it, and only one is sent), then delivered: the editor
    gets the same form twice, and the later one makes nothing.
    """
    import sqlite3

    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(15000)
    held = []
    try:
        sign_in(page, site, "rita")
        page.goto(site.editor + "/stories/new")
        page.fill("#title", "Harbour cranes inquiry")
        page.route("**/stories/new", lambda route: held.append(route) if not held else route.continue_())
        create = page.get_by_role("button", name="Create story")
        create.scroll_into_view_if_needed()
        box = create.bounding_box()
        x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
        with page.expect_request(lambda request: request.method == "POST"):
            page.mouse.click(x, y)
        with page.expect_request(lambda request: request.method == "POST") as again:
            page.mouse.click(x, y)  # the page still shows the form: its answer is held
        page.wait_for_url(re.compile(r"/stories/harbour-cranes-inquiry/sources$"))
        expect(page.locator("body")).to_contain_text("Harbour cranes inquiry")
        first = held[0].fetch(max_redirects=0)  # the first send, delivered late
        assert held[0].request.post_data == again.value.post_data
        assert (first.status, first.headers["location"]) == (302, "/stories/harbour-cranes-inquiry/sources")
    finally:
        context.close()
    conn = sqlite3.connect(site.db)
    try:
        made = conn.execute("SELECT count(*) FROM stories WHERE title = 'Harbour cranes inquiry'").fetchone()[0]
    finally:
        conn.close()
    assert made == 1


def test_a_note_refused_as_too_large_leads_back_to_its_form_and_its_words(page, site, tmp_path):
    """A note's file over the 25 MB limit: the page says nothing was saved, "Back to the form" opens it, and
    "Restore it" puts back the words typed beside the file, the confidential "Who" too."""
    big = tmp_path / "call.wav"
    big.write_bytes(b"0" * (26 * 1024 * 1024))
    words = "We never set quotas for AI use, the spokesperson told me on the phone."
    sign_in(page, site, "rita")
    page.goto(site.editor + "/stories/amazon-ai-activity/reporting/new")
    page.fill("#at", "2026-12-06T10:30")
    page.fill("#words", words)
    page.fill("#identity", "J. Roe, press office")
    page.set_input_files("#file", str(big))
    page.get_by_role("button", name="Log reporting").click()
    expect(page.get_by_role("heading", name="Too large")).to_be_visible()
    expect(page.get_by_text("Nothing was saved.")).to_be_visible()
    screenshot(page, "e2e-note-too-large")
    page.get_by_role("link", name="Back to the form").click()
    # The editor did answer, with a refusal: the offer says so, not that the form got no answer.
    offer = page.get_by_role("status").filter(has_text="not saved")
    expect(offer).to_contain_text(
        re.compile(r"at \d{1,2} \w{3} \d{4}, \d\d:\d\d UTC got the answer “Too large” from the editor")
    )
    expect(offer).not_to_contain_text("no answer")
    page.get_by_role("button", name="Restore it").click()
    expect(page.locator("#words")).to_have_value(words)
    expect(page.locator("#identity")).to_have_value("J. Roe, press office")
