"""On a small screen: the hint a search box shows before anything is typed is read whole, not cut off, and at 320
CSS pixels (the narrowest phones, or a laptop's page zoomed to 400%) no page is wider than the screen.

Where a box has no visible label of its own, its placeholder is what tells a reader what to type; one cut
mid-word ("Search claims and claiman") says less than it should. Measured in Chromium with the box's own font.
"""

from __future__ import annotations

import pytest

from tests.e2e.conftest import sign_in
from tracker.demo import SLUG

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}
NARROWEST = {"width": 320, "height": 640}
PAGES = {
    "editor": [
        "/",
        f"/stories/{SLUG}",
        f"/stories/{SLUG}/claims/new",
        f"/stories/{SLUG}/coverage",
        f"/stories/{SLUG}/dashboard",
        f"/stories/{SLUG}/triage",
        "/stories/new",
        "/publish",
    ],
    "public": ["/", f"/stories/{SLUG}", "/public/timeline", "/public/unclear", "/public/claims_by_claimant", "/about"],
}

# Each visible box's placeholder against the room it has. A one-line box is given the placeholder as its value and
# asked whether that overflows: the room is what Chromium leaves the text, less what a search box keeps for its
# clear button even while empty ("Search claims and claimants" measured 229 px against 230 px of padding box, and
# showed "Search claims and claiman"). A text area's placeholder wraps: measured line by line in its own font.
CUT = """() => {
  const pen = document.createElement('canvas').getContext('2d'), cut = [];
  for (const el of document.querySelectorAll('input[placeholder], textarea[placeholder]')) {
    if (!el.getBoundingClientRect().width) continue;
    let needs, room;
    if (el.tagName === 'INPUT') {
      const typed = el.value;
      el.value = el.placeholder;
      [needs, room] = [el.scrollWidth, el.clientWidth];
      el.value = typed;
    } else {
      const s = getComputedStyle(el);
      pen.font = `${s.fontStyle} ${s.fontWeight} ${s.fontSize} ${s.fontFamily}`;
      room = el.clientWidth - parseFloat(s.paddingLeft) - parseFloat(s.paddingRight);
      needs = Math.max(...el.placeholder.split('\\n').map(line => pen.measureText(line).width));
    }
    if (needs > room) cut.push(`#${el.id} "${el.placeholder}" needs ${Math.ceil(needs)}px, has ${Math.floor(room)}px`);
  }
  return cut;
}"""


def _open(browser, site, kind: str, viewport: dict, **phone):
    """A page of a new browser context at this size, signed in as a reporter for the editor's pages."""
    context = browser.new_context(viewport=viewport, **phone)
    page = context.new_page()
    page.set_default_timeout(15000)
    if kind == "editor":
        sign_in(page, site, "rita")
    return context, page


@pytest.mark.parametrize("kind", PAGES)
def test_no_page_is_wider_than_a_320_pixel_screen(browser, site, kind):
    """The timeline's Search button sat 21 pixels past the edge and the dashboard's panels 16: a search form and a
    grid column each asked for more room than the screen had. (Without `is_mobile`: a phone's browser widens its
    layout to fit a page that is too wide, and the page then looks as if it fitted.)"""
    context, page = _open(browser, site, kind, NARROWEST)
    base = site.editor if kind == "editor" else site.public
    wide = []
    try:
        for path in PAGES[kind]:
            page.goto(base + path)
            over = page.evaluate("document.scrollingElement.scrollWidth - innerWidth")
            if over > 0:
                wide.append(f"{path}: {over}px too wide")
    finally:
        context.close()
    assert not wide, "\n".join(wide)


@pytest.mark.parametrize("viewport", [PHONE, NARROWEST], ids=["390px", "320px"])
@pytest.mark.parametrize("kind", PAGES)
def test_no_placeholder_is_cut_off_on_a_phone(browser, site, kind, viewport):
    context, page = _open(browser, site, kind, viewport, is_mobile=True, has_touch=True)
    try:
        base = site.editor if kind == "editor" else site.public
        cut = []
        for path in PAGES[kind]:
            page.goto(base + path)
            page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
            cut += [f"{path}: {each}" for each in page.evaluate(CUT)]
    finally:
        context.close()
    assert not cut, "\n".join(cut)


def test_tick_boxes_are_as_large_as_the_radio_buttons_beside_them(browser, site):
    """The alert settings' kinds to follow were browser-default 13-pixel boxes under radio buttons of 18: on a phone,
    the smallest things to tap on the page. Every tick box and radio button is drawn at least 18 pixels square."""
    context, page = _open(browser, site, "editor", PHONE, is_mobile=True, has_touch=True)
    try:
        page.goto(site.editor + "/account/alerts")
        page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
        sizes = page.evaluate(
            """() => [...document.querySelectorAll('input[type=checkbox], input[type=radio]')]
                 .map(el => [el.type, el.name, el.getBoundingClientRect()])
                 .filter(([, , r]) => r.width > 0)
                 .map(([type, name, r]) => [type, name, Math.round(r.width), Math.round(r.height)])"""
        )
    finally:
        context.close()
    assert {"checkbox", "radio"} <= {type for type, *_ in sizes}
    small = [f"{type} {name}: {w}x{h}" for type, name, w, h in sizes if min(w, h) < 18]
    assert not small, "\n".join(small)


def test_every_box_to_type_or_pick_in_is_as_tall_as_the_others(browser, site):
    """The "When (UTC)" of a note of our reporting or a post was the browser's own 21-pixel date box under text
    boxes of 44, in a smaller font, and "Choose File" a 21-pixel button: on a phone, the hardest things on the
    page to tap. Every box of the forms a reporter fills, whatever its type, is at least as tall as a text box."""
    context, page = _open(browser, site, "editor", PHONE, is_mobile=True, has_touch=True)
    forms = [
        f"/stories/{SLUG}/reporting/new",
        f"/stories/{SLUG}/posts/new",
        f"/stories/{SLUG}/documents/new",
        f"/stories/{SLUG}/claims/new",
        "/account/alerts",
    ]
    low = []
    try:
        for path in forms:
            page.goto(site.editor + path)
            page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
            low += page.evaluate(
                """path => [...document.querySelectorAll('input, select, textarea')]
                     .filter(el => !['hidden', 'checkbox', 'radio', 'submit', 'button'].includes(el.type))
                     .map(el => [el.type, el.name, el.getBoundingClientRect().height])
                     .filter(([, , h]) => h > 0 && h < 44)
                     .map(([type, name, h]) => `${path}: ${type} ${name} ${Math.round(h)}px`)""",
                path,
            )
    finally:
        context.close()
    assert not low, "\n".join(low)


# Each visible "required" or "optional" tag against the last word of its label: on the same line, or it wrapped.
TAG_ALONE = """() => {
  const alone = [];
  for (const tag of document.querySelectorAll('label .req, label .optional, legend .req, legend .optional')) {
    const box = tag.getBoundingClientRect();
    if (!box.width) continue;
    const text = [...tag.parentNode.childNodes]
      .filter(n => n.nodeType === 3 && n.textContent.trim() && n.compareDocumentPosition(tag) & 4).pop();
    if (!text) continue;
    const end = text.textContent.trimEnd().length, word = document.createRange();
    word.setStart(text, end - 1);
    word.setEnd(text, end);
    const last = word.getBoundingClientRect();
    if (Math.abs((last.top + last.bottom) / 2 - (box.top + box.bottom) / 2) > last.height / 2)
      alone.push(`${tag.parentNode.textContent.trim().replace(/\\s+/g, ' ')}`);
  }
  return alone;
}"""


@pytest.mark.parametrize("viewport", [PHONE, NARROWEST], ids=["390px", "320px"])
def test_a_required_tag_stays_on_the_line_of_its_label_on_a_phone(browser, site, viewport):
    """Beside "Reason to dismiss" in the triage queue, the "required" tag wrapped onto a line of its own: the box
    and its Dismiss button shared the row, and the field was narrower than its label."""
    context, page = _open(browser, site, "editor", viewport, is_mobile=True, has_touch=True)
    alone = []
    try:
        for path in PAGES["editor"]:
            page.goto(site.editor + path)
            alone += [f"{path}: {each}" for each in page.evaluate(TAG_ALONE)]
    finally:
        context.close()
    assert not alone, "\n".join(alone)


def test_the_reason_to_dismiss_label_is_one_line_on_a_phone(browser, site):
    """The triage queue's reason box shared its row with the Dismiss button, narrower than its own label."""
    context, page = _open(browser, site, "editor", PHONE, is_mobile=True, has_touch=True)
    try:
        page.goto(site.editor + f"/stories/{SLUG}/triage")
        label = page.locator(".triage-reason-field label").first
        lines = label.evaluate("el => el.getBoundingClientRect().height / parseFloat(getComputedStyle(el).lineHeight)")
    finally:
        context.close()
    assert round(lines) == 1
