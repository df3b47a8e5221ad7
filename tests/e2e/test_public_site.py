"""What a reader does on the public site, in headless Chromium against `python -m tracker serve`."""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import screenshot

pytestmark = pytest.mark.e2e

STATUS_WORDS = {"Confirmed", "Denied", "Unclear", "Not yet reviewed"}


def current_statuses(page) -> set[str]:
    return {
        t.strip().removeprefix("Current status:").strip() for t in page.locator(".card-now .status").all_inner_texts()
    }


def test_reader_filters_the_timeline_by_status_and_searches(page, site):
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(site.public + "/public/timeline")
    expect(page.locator("h1")).to_have_text("Amazon staff pressed to show AI activity")
    cards = page.locator(".rail-events > li.event")
    expect(cards.first).to_be_visible()
    everything = cards.count()
    assert everything >= 12
    assert current_statuses(page) <= STATUS_WORDS and "Unclear" in current_statuses(page)
    expect(page.get_by_role("heading", name="What remains unclear")).to_be_visible()
    screenshot(page, "public-timeline-1280")

    # Filter by status: one click on a link, no script needed.
    page.get_by_role("navigation", name="Filter by status").get_by_role("link", name=re.compile("^Confirmed")).click()
    expect(page).to_have_url(re.compile(r"status=confirmed"))
    expect(page.locator(".filter-summary")).to_contain_text("confirmed claims")
    assert 0 < cards.count() < everything
    assert current_statuses(page) == {"Confirmed"}
    expect(page.locator('.status-filter a[aria-current="true"]')).to_contain_text("Confirmed")
    screenshot(page, "public-timeline-confirmed")

    # Search on the same page keeps the status filter.
    page.get_by_label("Search claims and quotes").fill("commented")
    page.get_by_label("Search claims and quotes").press("Enter")
    expect(page).to_have_url(re.compile(r"q=commented"))
    expect(page.locator(".card-claim").first).to_contain_text("Amazon has not publicly commented")
    assert current_statuses(page) == {"Confirmed"}
    page.get_by_role("link", name="Show everything").click()
    expect(cards).to_have_count(everything)
    assert errors == []


def test_timeline_reads_on_a_phone_and_works_from_the_keyboard(page, site):
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(site.public + "/public/timeline")
    expect(page.locator(".card").first).to_be_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"the page scrolls sideways on a phone ({width}px)"
    screenshot(page, "public-timeline-375")
    page.keyboard.press("Tab")
    skip = page.locator(".skip-link")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"#main$"))


def test_front_page_claim_page_and_exports(page, site):
    page.goto(site.public + "/")
    expect(page.locator("h1")).to_have_text("Amazon staff pressed to show AI activity")
    expect(page.get_by_role("heading", name="What we have established")).to_be_visible()
    screenshot(page, "public-front-page")
    page.locator(".ruling").filter(has=page.locator(".status-confirmed")).first.locator(".ruling-claim a").click()
    expect(page.locator(".verdict-box")).to_contain_text("Confirmed")
    data = json.loads(page.locator('script[type="application/ld+json"]').text_content())
    assert data["@type"] == "ClaimReview" and data["reviewRating"]["alternateName"] == "Confirmed"
    assert data["url"] == page.url
    screenshot(page, "public-claim-page")
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(site.public + "/")
    screenshot(page, "public-front-page-375")
    response = page.request.get(site.public + "/public/timeline-js.json")
    assert response.ok and response.json()["events"]
    feed = page.request.get(site.public + "/public/changes.atom")
    assert feed.ok and "<feed" in feed.text()


CONTRAST = """el => {
  const rgb = c => c.match(/[\\d.]+/g).map(Number);
  const lum = c => {
    const [r, g, b] = rgb(c).slice(0, 3).map(v => v / 255)
      .map(v => v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  let bg = el;
  while (bg && (getComputedStyle(bg).backgroundColor === 'rgba(0, 0, 0, 0)')) bg = bg.parentElement;
  const back = bg ? getComputedStyle(bg).backgroundColor : 'rgb(255, 255, 255)';
  const [a, b] = [lum(getComputedStyle(el).color), lum(back)];
  return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
}"""


def test_datasette_pages_buttons_and_notes_are_readable(page, site):
    # WCAG AA: 4.5:1 for text of this size. Datasette's own blue button and grey cell notes fall short.
    page.goto(site.public + "/public/claims")
    apply = page.locator("form input[type=submit]").first
    expect(apply).to_be_visible()
    assert apply.evaluate(CONTRAST) >= 4.5
    note = page.locator("td em").first  # the story's slug beside its title, in the story column
    expect(note).to_be_visible()
    assert note.evaluate(CONTRAST) >= 4.5
    page.goto(site.public + "/public/claims_by_claimant?claimant=amazon")  # its designed page: a button of the site's
    find = page.get_by_role("button", name="Find")
    expect(find).to_be_visible()
    assert find.evaluate(CONTRAST) >= 4.5
    page.goto(site.public + "/public?sql=select+status+from+claims")
    format_sql = page.get_by_role("button", name="Format SQL")  # Datasette's blue outline button
    expect(format_sql).to_be_visible()
    assert format_sql.evaluate(CONTRAST) >= 4.5


# Each heading's level, in page order: a screen reader's list of headings, where a jump (h1 to h3) reads as a
# section missing.
HEADINGS = """() => Array.from(document.querySelectorAll('h1, h2, h3, h4, h5, h6'))
  .filter(h => h.getClientRects().length)
  .map(h => [Number(h.tagName[1]), h.textContent.trim().replace(/\\s+/g, ' ').slice(0, 60)])"""


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/stories/amazon-ai-activity",
        "/public/timeline",
        "/public/unclear",
        "/public",
        "/public/claims",
        "/public/events",
        "/public/claims?status=unclear&_facet=status",
        "/public/claims/1",
        "/public?sql=select+status+from+claims",
        "/about",
        "/no-such-page",
    ],
)
def test_public_headings_go_down_one_level_at_a_time(page, site, path):
    page.goto(site.public + path)
    levels = page.evaluate(HEADINGS)
    assert levels and levels[0][0] == 1, levels
    jumps = [(a, b) for a, b in zip(levels, levels[1:], strict=False) if b[0] > a[0] + 1]
    assert jumps == [], f"{path}: {jumps}"


def test_a_columns_menu_opens_and_closes_from_the_keyboard(page, site):
    """Datasette's column menu (sort, facet by this, hide column) opened from an icon only a mouse reached."""
    page.goto(site.public + "/public/claims")
    icon = page.get_by_role("button", name="Column options: status", exact=True)
    icon.focus()
    expect(icon).to_be_focused()
    page.keyboard.press("Enter")
    menu = page.locator(".dropdown-menu")
    expect(menu).to_be_visible()
    first = menu.get_by_role("link", name="Sort ascending")
    expect(first).to_be_focused()
    page.keyboard.press("Escape")
    expect(menu).to_be_hidden()
    expect(icon).to_be_focused()
    page.keyboard.press(" ")
    expect(menu).to_be_visible()
    page.keyboard.press("Tab")  # from "Sort ascending" on to the next choice
    expect(menu.get_by_role("link", name="Sort descending")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"_sort_desc=status"))


@pytest.mark.parametrize("path", ["/", "/public", "/public/timeline", "/public/unclear"])
def test_a_form_s_label_reads_on_one_line_on_a_phone(page, site, path):
    """On a phone, "A read-only SQL query (SQLite)" stood in a column a word wide, one word a line: Datasette's
    own stylesheet gives every form label 15% of the form's width."""
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(site.public + path)
    for label in page.locator("main label:visible").all():
        box = label.bounding_box()
        lines = box["height"] / float(label.evaluate("e => parseFloat(getComputedStyle(e).lineHeight) || 24"))
        assert lines < 2.5, (path, label.inner_text(), box)


# Where an element starts on the page, from the top of the document (not of the screen).
PAGE_TOP = "e => e.getBoundingClientRect().top + window.scrollY"


def test_a_table_page_on_a_phone_shows_its_rows_before_what_the_columns_mean(page, site):
    """On a phone the claims table's thirteen column descriptions stood one under another, a screen and a half of
    definitions, before the first claim: there the rows come first and the descriptions after them, folded."""
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(site.public + "/public/claims")
    first_row = page.locator("table.rows-and-columns tbody tr").first
    expect(first_row).to_be_visible()
    visible_notes = page.locator("dl.column-descriptions:visible")
    expect(visible_notes).to_have_count(0)  # folded, behind a summary a reader can open
    notes = page.locator("details.column-notes")
    assert first_row.evaluate(PAGE_TOP) < notes.evaluate(PAGE_TOP)
    # The same order for a screen reader and the keyboard: the rows come first in the page itself.
    follows = "(r, n) => !!(r.compareDocumentPosition(n) & Node.DOCUMENT_POSITION_FOLLOWING)"
    assert first_row.evaluate(follows, notes.element_handle())
    notes.get_by_text("What the columns mean").click()
    expect(visible_notes).to_have_count(1)
    expect(visible_notes.get_by_text("Our editors' ruling", exact=False)).to_be_visible()
    screenshot(page, "public-claims-390")

    # On a desktop they stay where they were, open, above the rows.
    page.set_viewport_size({"width": 1280, "height": 900})
    page.reload()
    expect(visible_notes).to_have_count(1)
    expect(notes).to_be_hidden()
    assert visible_notes.evaluate(PAGE_TOP) < first_row.evaluate(PAGE_TOP)
    screenshot(page, "public-claims-1280")


@pytest.mark.parametrize("width", [390, 1280])
def test_datasette_s_checkboxes_are_18_pixels_with_a_ring_on_focus(page, site, width):
    """Datasette's checkboxes ("descending", "download file", "expand labels") were 13-pixel squares, hard to hit
    with a thumb: 18 pixels, as the editor's, and ringed when the keyboard reaches them."""
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(site.public + "/public/claims")
    boxes = page.locator("main input[type=checkbox]:visible")
    assert boxes.count() >= 2
    for box in boxes.all():
        size = box.bounding_box()
        assert size["width"] >= 18 and size["height"] >= 18, (box.get_attribute("name"), size)
    download = page.locator("input[name=_dl]")
    page.locator("a", has_text="object").last.focus()  # the link just before the CSV options
    page.keyboard.press("Tab")
    expect(download).to_be_focused()
    ring = download.evaluate("e => [getComputedStyle(e).outlineStyle, parseFloat(getComputedStyle(e).outlineWidth)]")
    assert ring[0] != "none" and ring[1] >= 2, ring


# Each word of an element's text that the browser laid out across two lines: a word's Range gives one rectangle
# per line it stands on.
SPLIT_WORDS = r"""e => {
  const split = [];
  const walker = document.createTreeWalker(e, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    for (const m of node.data.matchAll(/\S+/g)) {
      const range = document.createRange();
      range.setStart(node, m.index);
      range.setEnd(node, m.index + m[0].length);
      const tops = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
      if (tops.size > 1) split.push(m[0]);
    }
  }
  return split;
}"""


def test_a_facet_s_values_wrap_at_spaces_on_a_phone(page, site):
    """On a phone the claims table's story facet read "Amazon staff pressed to sho / w AI activity": Datasette's
    stylesheet lets a facet's value break between any two letters. Words wrap at spaces; only a word wider than the
    facet itself may break."""
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(site.public + "/public/claims")
    page.wait_for_load_state("load")
    values = page.locator(".facet-info li")
    expect(values.first).to_be_visible()
    assert values.count() >= 3
    story = page.locator(".facet-info li a", has_text="Amazon staff pressed")
    expect(story).to_be_visible()
    assert story.bounding_box()["height"] > 30, "the story's title no longer wraps: the test would prove nothing"
    for value in values.all():
        assert value.evaluate(SPLIT_WORDS) == [], value.inner_text()
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0
    story.scroll_into_view_if_needed()
    screenshot(page, "public-claims-facets-390")
    # A value with no space in it, wider than the facet (a pasted link as a claimant's name), still breaks.
    wide = "a => { a.textContent = 'https://example.com/' + 'x'.repeat(80); const f = a.closest('.facet-info'); "
    assert story.evaluate(wide + "return f.scrollWidth - f.clientWidth }") <= 0
    assert page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") <= 0
