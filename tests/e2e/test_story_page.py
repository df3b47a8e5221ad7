"""The public story page in headless Chromium: the bundled article's order, answers with live badges."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import screenshot

pytestmark = pytest.mark.e2e

SECTIONS = [
    "Summary",
    "What we have established",
    "How the story spread",
    "Timeline",
    "What remains unclear",
    "What’s next",
    "Key questions",
    "Follow and download",
]


def test_the_story_page_shows_the_sections_in_the_articles_order(page, site):
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(site.public + "/")
    page.get_by_role("link", name="The whole story: key questions, what’s next, what remains unclear →").click()
    expect(page.locator("h1")).to_have_text("Amazon staff pressed to show AI activity")
    assert page.locator("main h2").all_inner_texts() == SECTIONS
    tops = [
        page.locator(f"#{anchor}").bounding_box()["y"]
        for anchor in ("summary", "established", "spread", "timeline", "unclear", "next", "questions", "follow")
    ]
    assert tops == sorted(tops)

    questions = page.locator("article.question")
    expect(questions).to_have_count(5)
    first = questions.first
    expect(first.locator(".question-text")).to_have_text("Are Amazon employees actually making up tasks related to AI?")
    expect(first.locator(".question-answer")).to_contain_text("Amazon has not officially confirmed these claims.")
    expect(first.locator(".question-reviewed")).to_contain_text("Last reviewed")
    assert set(first.locator(".status").all_inner_texts()) == {"Unclear", "Confirmed"}
    expect(page.locator(".next-item")).to_have_count(3)
    expect(page.locator(".next-state").first).to_have_text("Not yet")
    expect(page.locator("#unclear .unclear-question").first).to_have_text(
        "Are Amazon employees actually making up tasks related to AI?"
    )
    screenshot(page, "public-story-1280")

    page.set_viewport_size({"width": 375, "height": 800})
    page.reload()
    assert page.locator("main h2").all_inner_texts() == SECTIONS
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"the page scrolls sideways on a phone ({width}px)"
    screenshot(page, "public-story-375")
    assert errors == []


LABELS_OUTSIDE = """() => [...document.querySelectorAll('.chart-shape')].filter(s => s.offsetParent).flatMap(shape => {
  const box = shape.querySelector('svg').getBoundingClientRect();
  return [...shape.querySelectorAll('svg .axis text')].filter(t => t.textContent.trim())
    .map(t => [t, t.getBoundingClientRect()])
    .filter(([t, r]) => r.left < box.left - 0.5 || r.right > box.right + 0.5).map(([t]) => t.textContent.trim());
})"""


@pytest.mark.parametrize("width", [1280, 390])
def test_chart_axis_labels_are_drawn_whole(page, site, width):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(site.public + "/stories/amazon-ai-activity")
    expect(page.locator(".chart-shape svg").locator("visible=true").first).to_be_visible()
    assert page.evaluate(LABELS_OUTSIDE) == [], "an axis label sticks out of its chart and is cut off"


TIMES_ON_MORE_THAN_ONE_LINE = """() => [...document.querySelectorAll('.latest-item time')].filter(t => {
  const range = document.createRange();
  range.selectNodeContents(t);
  return new Set([...range.getClientRects()].map(r => Math.round(r.top))).size > 1;
}).map(t => t.textContent.trim())"""


@pytest.mark.parametrize("path", ["/stories/amazon-ai-activity", "/"])
@pytest.mark.parametrize("width", [1280, 390])
def test_a_timeline_entry_shows_its_date_and_time_on_one_line(page, site, path, width):
    """At 1280 px the date column was 6.5rem wide: "Dec 6, 2026, 03:09 UTC" took two or three lines."""
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(site.public + path)
    expect(page.locator(".latest-item time").first).to_be_visible()
    assert page.evaluate(TIMES_ON_MORE_THAN_ONE_LINE) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= width
