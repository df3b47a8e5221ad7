"""Keyboard and screen reader checks that axe (test_accessibility.py) cannot make.

A keyboard walk through the main pages, on a desktop and a 390-pixel phone: every stop Tab reaches is
on screen and shows a focus ring, the page never scrolls sideways, and nothing is fetched from
anywhere but the two local sites. Going back up the phone's timeline leaves nothing focused under
its stuck date. A form's error is read with its field (aria-describedby); Datasette's SQL editor and
✖ links have names; its one animation stops for a reader who asked for less motion; the editor's
single-key shortcuts can be turned off.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import sign_in
from tracker.demo import SLUG

pytestmark = pytest.mark.e2e

WIDTHS = {"desktop": 1280, "phone": 390}
PUBLIC = [
    "/",
    f"/stories/{SLUG}",
    "/public/timeline",
    "/public/unclear",
    "/public/claims_by_claimant",
    "/public",
    "/public/claims",
    "/public?sql=select+status+from+claims",
    "/about",
]
EDITOR = [
    "/",
    f"/stories/{SLUG}",
    f"/stories/{SLUG}/claims/new",
    f"/stories/{SLUG}/dashboard",
    f"/stories/{SLUG}/coverage",
    f"/stories/{SLUG}/questions",
    f"/stories/{SLUG}/sources",
    # A date and time field: Tab stops on its calendar button too, which has the focus inside the field.
    f"/stories/{SLUG}/reporting/new",
    f"/stories/{SLUG}/posts/new",
    "/publish",
    "/account",
    "/account/alerts",
]
MAX_STOPS = 150

# Where the focus is and whether it shows: an outline (the browser's own ring, or one at least 2px wide) or
# a shadow on the element, or on the box that draws the control. Datasette wraps each select in one and
# hides the select's own outline, leaving a 1px border that turns from grey to black; its SQL editor
# (CodeMirror) takes the focus in a textarea of its own, marked by nothing but the caret.
FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const shows = e => {
    const s = getComputedStyle(e);
    return s.outlineStyle === 'auto' || (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2)
      || s.boxShadow !== 'none';
  };
  const r = el.getBoundingClientRect();
  return {
    what: `${el.tagName.toLowerCase()} "${(el.textContent || el.value || el.name || '').trim().slice(0, 40)}"`,
    ring: shows(el) || [el.closest('.select-wrapper, .CodeMirror')].some(box => box && shows(box)),
    onScreen: r.width > 0 && r.height > 0 && r.right > 0 && r.left < innerWidth && r.bottom > 0 && r.top < innerHeight,
  };
}"""


@pytest.fixture(scope="module")
def signed_in(browser, site) -> Iterator[dict[str, tuple]]:
    """An editor's browser context per width, signed in once, each recording every address it asks for."""
    made: dict[str, object] = {}
    for name, width in WIDTHS.items():
        context = browser.new_context(viewport={"width": width, "height": 900})
        requested: list[str] = []
        context.on("request", lambda request, into=requested: into.append(request.url))
        page = context.new_page()
        sign_in(page, site, "eddie")
        page.close()
        made[name] = (context, requested)
    yield made
    for context, _ in made.values():
        context.close()


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize(
    "where", [("public", p) for p in PUBLIC] + [("editor", p) for p in EDITOR], ids=lambda w: f"{w[0]}{w[1]}"
)
def test_every_keyboard_stop_is_on_screen_with_a_focus_ring(signed_in, site, width, where):
    kind, path = where
    context, requested = signed_in[width]
    requested.clear()
    page = context.new_page()
    page.set_default_timeout(15000)
    try:
        response = page.goto((site.public if kind == "public" else site.editor) + path)
        assert response is not None and response.status == 200, f"{path}: {response and response.status}"
        page.wait_for_load_state("networkidle")
        wide = page.evaluate("document.scrollingElement.scrollWidth - innerWidth")
        assert wide <= 0, f"{path} scrolls sideways by {wide}px at {width}"
        stops, problems = 0, []
        for _ in range(MAX_STOPS):
            page.keyboard.press("Tab")
            focused = page.evaluate(FOCUSED)
            if focused is None:
                break
            stops += 1
            if not focused["onScreen"]:
                problems.append(f"stop {stops}, {focused['what']}: off screen")
            elif not focused["ring"]:
                problems.append(f"stop {stops}, {focused['what']}: no focus ring")
        assert stops > 3, f"{path}: only {stops} keyboard stops"
        assert not problems, f"{path} at {width}:\n" + "\n".join(problems)
    finally:
        page.close()
    local = (site.public, site.editor)
    elsewhere = [url for url in requested if not url.startswith(local)]
    assert elsewhere == [], f"{path} asked for {elsewhere}"


def _send_unchecked(page, button: str) -> None:
    """Press a form's button past the browser's own checks, to see the server's message."""
    page.evaluate("document.querySelectorAll('form').forEach(f => f.noValidate = true)")
    page.get_by_role("button", name=button).first.click()


def test_a_document_forms_error_is_read_with_its_field(page, site):
    sign_in(page, site, "rita")
    page.goto(f"{site.editor}/stories/{SLUG}/documents/new")
    _send_unchecked(page, "Add document")
    expect(page.locator("#form-error")).to_be_visible()
    field = page.locator("#file")
    expect(field).to_have_attribute("aria-invalid", "true")
    expect(field).to_have_accessible_description(re.compile(r"^Choose a file to upload.*PDF, Word"))


def test_a_refused_form_puts_the_focus_on_its_message(page, site):
    """A message already there when the page loads is not announced by every screen reader, and the
    keyboard would start again from the top: the focus goes to the message, which names the field."""
    sign_in(page, site, "rita")
    page.goto(f"{site.editor}/stories/new")
    page.fill("#title", "Harbour cranes")
    page.fill("#slug", "Not A Short Name")
    _send_unchecked(page, "Create story")
    message = page.locator(".alert--error[role=alert]")
    expect(message).to_contain_text("The short name")
    expect(message).to_be_focused()
    # The field the message is about is marked, and reads the message with its hint; what was typed stays.
    slug = page.locator("#slug")
    expect(slug).to_have_attribute("aria-invalid", "true")
    expect(slug).to_have_accessible_description(
        re.compile(r"^The short name 'Not A Short Name' cannot be used.*Lowercase letters")
    )
    expect(slug).to_have_value("Not A Short Name")
    # And marked for the eye too: the red border of an invalid field, not the grey of every input.
    expect(slug).to_have_css("border-top-width", "2px")
    expect(page.locator("#title")).to_have_css("border-top-width", "1px")
    # Tab goes on from the message into the form, not back to the top of the page.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('form') !== null")


def test_a_refused_ruling_focuses_its_message_and_marks_the_rationale(page, site):
    sign_in(page, site, "eddie")
    page.goto(f"{site.editor}/stories/{SLUG}")
    page.locator("a[href^='/claims/']").first.click()
    ruling = page.locator("#ruling")
    ruling.locator("input[name=status]:not(:checked)").first.check()
    ruling.locator("input[name=evidence_ids]").first.check()
    ruling.locator("#public_rationale").fill("Readers see this")
    _send_unchecked(page, "Save ruling")
    message = page.locator("#ruling .alert--error[role=alert]")
    expect(message).to_contain_text("Say why")
    expect(message).to_be_focused()
    rationale = page.locator("#rationale")
    expect(rationale).to_have_attribute("aria-invalid", "true")
    expect(rationale).to_have_accessible_description(re.compile(r"^Say why: a status change needs a rationale"))
    expect(page.locator("#public_rationale")).to_have_value("Readers see this")


def test_a_triage_merge_error_is_read_with_the_claim_number(page, site):
    sign_in(page, site, "rita")
    page.goto(f"{site.editor}/stories/{SLUG}/triage")
    unticked = page.locator("[data-candidate]").filter(has_not=page.locator("input[name=claim_id]:checked"))
    unticked.first.get_by_role("button", name="Merge as evidence").click()
    card = page.locator(".triage-card--error")
    expect(card.locator(".triage-error")).to_contain_text("Choose the claim to merge into")
    number = card.locator("input[name=claim_ref]")
    expect(number).to_have_attribute("aria-invalid", "true")
    expect(number).to_have_accessible_description(re.compile("Choose the claim to merge into"))


def test_datasettes_menu_does_not_animate_for_a_reader_who_asked_for_less_motion(browser, site):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, reduced_motion="reduce")
    page = context.new_page()
    try:
        page.goto(site.public + "/public/claims")
        page.locator(".rows-and-columns th .dropdown-menu-icon").first.click()
        menu = page.locator(".dropdown-menu.anim-scale-in")
        expect(menu).to_be_visible()
        assert menu.evaluate("m => getComputedStyle(m).animationName") == "none"
    finally:
        context.close()


def test_the_column_menus_cog_is_a_24_pixel_target_where_it_was_drawn(page, site):
    """Datasette's cog after each column's name was a 14-pixel square 5 pixels from the column's sort link: the
    smallest target on the table pages (WCAG 2.5.8 asks 24). It is padded to 24 without moving the icon."""
    page.goto(site.public + "/public/claims")
    cog = page.locator(".rows-and-columns th .dropdown-menu-icon").first
    expect(cog).to_have_attribute("role", "button")  # column-menus.js has run
    box = cog.bounding_box()
    assert box is not None and box["width"] >= 24 and box["height"] >= 24, box
    sort_link = cog.locator("xpath=..").locator("a").first.bounding_box()
    assert sort_link is not None and box["x"] >= sort_link["x"] + sort_link["width"], (box, sort_link)


def test_the_sql_editor_has_a_name(page, site):
    # CodeMirror replaces the query box with a textarea of its own, which had no label at all.
    page.goto(site.public + "/public?sql=select+status+from+claims")
    editor = page.locator(".CodeMirror textarea")
    expect(editor).to_be_attached()
    expect(editor).to_have_accessible_name("SQL query")


def test_the_links_that_take_a_facet_or_filter_off_say_so(page, site):
    # Datasette draws them as a bare ✖, which a screen reader reads as "heavy multiplication x".
    page.goto(site.public + "/public/claims?status=unclear&_facet=claimant")  # a facet the table does not show itself
    crosses = page.locator("a.cross, .filter-row a[href='#']").filter(visible=True)
    expect(crosses.first).to_be_visible()
    assert crosses.count() >= 3  # the facet, its chosen value, the filter row
    for cross in crosses.all():
        expect(cross).to_have_accessible_name(re.compile(r"^(Hide|Remove|Show)\b"))


@pytest.mark.parametrize(
    "path",
    ["/public/events/{event}", "/public/events", "/public?sql=select+*+from+events"],
    ids=["row", "table", "query"],
)
def test_a_table_wider_than_the_screen_scrolls_from_the_keyboard(page, site, path):
    """Datasette's rows sit in a box that scrolls sideways on a desktop; its links took the focus, but nothing
    scrolled past the last one, so an event's outlet and detail could not be reached without a mouse. The box
    takes a Tab stop of its own, is named, and scrolls with the arrow keys."""
    event = page.request.get(site.public + "/public/events.json?_shape=array&_size=1").json()[0]["id"]
    page.goto(site.public + path.format(event=event))
    box = page.locator(".table-wrapper")
    assert box.evaluate("b => b.scrollWidth - b.clientWidth") > 0, "the table fits: nothing to test"
    expect(box).to_have_attribute("role", "region")
    expect(box).to_have_accessible_name(re.compile(r"\w"))
    for _ in range(MAX_STOPS):
        page.keyboard.press("Tab")
        if box.evaluate("b => b === document.activeElement"):
            break
    else:
        pytest.fail(f"{path}: Tab never stops on the box that scrolls")
    for _ in range(3):
        page.keyboard.press("ArrowRight")
    # Chromium animates a keyboard scroll: wait for it to start moving, however busy the machine.
    page.wait_for_function("() => document.querySelector('.table-wrapper').scrollLeft > 0")


def test_single_key_shortcuts_can_be_turned_off(page, site):
    # WCAG 2.1.4: speech input "types" words as keys, so letters that act on their own must be able to stop.
    sign_in(page, site, "rita")
    story, triage = f"{site.editor}/stories/{SLUG}", f"{site.editor}/stories/{SLUG}/triage"
    page.goto(story)
    page.keyboard.press("j")
    expect(page.locator("[data-row].is-selected")).to_have_count(1)
    page.keyboard.press("?")
    shortcuts = page.get_by_role("dialog", name="Keyboard shortcuts")
    expect(shortcuts).to_be_visible()
    shortcuts.get_by_label("Turn off single-key shortcuts").check()
    shortcuts.get_by_role("button", name="Close").click()
    expect(shortcuts).to_be_hidden()

    page.goto(story)  # the choice outlives the page
    page.keyboard.press("j")
    page.keyboard.press("?")
    expect(page.locator("[data-row].is-selected")).to_have_count(0)
    expect(shortcuts).to_be_hidden()
    page.goto(triage)
    current = page.locator("[data-candidate].is-current")
    before = current.get_attribute("id")
    page.keyboard.press("j")
    assert current.get_attribute("id") == before

    # Back on from the footer's button, since "?" is off too.
    page.get_by_role("button", name="Keyboard shortcuts").click()
    expect(shortcuts).to_be_visible()
    shortcuts.get_by_label("Turn off single-key shortcuts").uncheck()
    shortcuts.get_by_role("button", name="Close").click()
    page.keyboard.press("j")
    expect(current).not_to_have_attribute("id", before)


def test_the_new_claim_shortcut_puts_the_focus_on_the_claim_field(page, site):
    # "n" opened the form with the focus nowhere, so a keyboard user tabbed through the whole header first.
    sign_in(page, site, "rita")
    page.goto(f"{site.editor}/stories/{SLUG}")
    page.keyboard.press("n")
    expect(page).to_have_url(re.compile(r"/claims/new$"))
    expect(page.locator("#text")).to_be_focused()
    # Only the shortcut does it: the same page opened any other way starts from the top, as every page does.
    page.reload()
    expect(page.locator("#text")).not_to_be_focused()


# The focused element's box, and any day heading stuck to the top of the screen that covers part of it.
UNDER_A_STUCK_DATE = """() => {
  const r = document.activeElement.getBoundingClientRect();
  return [...document.querySelectorAll('.rail-date')].some(d => {
    const q = d.getBoundingClientRect();
    return getComputedStyle(d).position === 'sticky' && q.top <= 1 && q.bottom > r.top && q.top < r.bottom
      && q.right > r.left && q.left < r.right;
  });
}"""


def test_going_back_up_the_timeline_on_a_phone_nothing_focused_is_under_the_date(browser, site):
    # On a phone each day's date sticks to the top of the screen; Shift+Tab scrolls the focus to the top edge.
    context = browser.new_context(viewport={"width": 390, "height": 700})
    page = context.new_page()
    try:
        page.goto(site.public + "/public/timeline")
        page.locator(".rail-events a").last.focus()
        covered = []
        for _ in range(40):
            page.keyboard.press("Shift+Tab")
            if not page.evaluate("!!document.activeElement.closest('.rail-events')"):
                break
            if page.evaluate(UNDER_A_STUCK_DATE):
                covered.append(page.evaluate("document.activeElement.textContent.trim().slice(0, 50)"))
        assert covered == []
    finally:
        context.close()


def test_the_coverage_order_is_chosen_from_the_keyboard_and_kept_in_the_address(page, site):
    sign_in(page, site, "rita")
    page.goto(f"{site.editor}/stories/{SLUG}/coverage")
    order = page.get_by_role("navigation", name="Order")
    expect(order.get_by_role("link", name="Newest published")).to_have_attribute("aria-current", "true")
    changed = order.get_by_role("link", name="Recently changed")
    changed.focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/coverage\?order=changed$"))
    expect(order.get_by_role("link", name="Recently changed")).to_have_attribute("aria-current", "true")
    expect(page.locator(".coverage-row .meta").first).to_contain_text(re.compile(r"(Revised|Stored) \d+ \w+ \d{4}"))
    page.reload()
    expect(order.get_by_role("link", name="Recently changed")).to_have_attribute("aria-current", "true")


def test_the_shortcuts_list_opens_at_its_title_on_a_phone(browser, site):
    """The "?" key opened the list with the keyboard on its tick box, its last control: on a phone the list was scrolled
    to its end, title and first keys out of sight. It opens at its title, which is read first."""
    context = browser.new_context(viewport={"width": 375, "height": 740})
    page = context.new_page()
    page.set_default_timeout(15000)
    try:
        sign_in(page, site, "rita")
        page.goto(site.editor + f"/stories/{SLUG}")
        page.keyboard.press("?")
        title = page.get_by_role("heading", name="Keyboard shortcuts")
        expect(title).to_be_focused()
        assert page.locator("#shortcuts").evaluate("d => d.scrollTop") == 0
        assert title.evaluate("t => t.getBoundingClientRect().top >= t.closest('dialog').getBoundingClientRect().top")
    finally:
        context.close()


@pytest.mark.parametrize("close", ["Escape", "Close"])
def test_closing_the_shortcuts_list_puts_focus_back_where_it_was_opened(page, site, close):
    """Opened by "?" on a claim link or a triage candidate, or by the footer's button, the list gives focus back to it
    when closed (Escape or its Close button): a keyboard user goes on from where they were."""
    sign_in(page, site, "rita")
    page.goto(f"{site.editor}/stories/{SLUG}")
    shortcuts = page.get_by_role("dialog", name="Keyboard shortcuts")
    # Pressed with nothing focused: focus is not left on the closed list's title, where a reader hears nothing.
    page.keyboard.press("?")
    expect(shortcuts).to_be_visible()
    expect(page.locator("#shortcuts-title")).to_be_focused()
    page.keyboard.press("Escape")
    expect(shortcuts).to_be_hidden()
    expect(page.locator("body")).to_be_focused()

    page.keyboard.press("j")
    link = page.locator("[data-row].is-selected a").first
    expect(link).to_be_focused()
    page.keyboard.press("?")
    expect(shortcuts).to_be_visible()
    if close == "Escape":
        page.keyboard.press("Escape")
    else:
        shortcuts.get_by_role("button", name="Close").press("Enter")
    expect(shortcuts).to_be_hidden()
    expect(link).to_be_focused()

    button = page.get_by_role("button", name="Keyboard shortcuts")
    button.focus()
    page.keyboard.press("Enter")
    expect(shortcuts).to_be_visible()
    if close == "Escape":
        page.keyboard.press("Escape")
    else:
        shortcuts.get_by_role("button", name="Close").press("Enter")
    expect(shortcuts).to_be_hidden()
    expect(button).to_be_focused()

    # On the triage queue the candidate that holds the keys gets them back, so j / k / a go on from it.
    page.goto(f"{site.editor}/stories/{SLUG}/triage")
    page.keyboard.press("j")
    current = page.locator("[data-candidate].is-current")
    expect(current).to_be_focused()
    page.keyboard.press("?")
    expect(shortcuts).to_be_visible()
    page.keyboard.press("Escape")
    expect(current).to_be_focused()
