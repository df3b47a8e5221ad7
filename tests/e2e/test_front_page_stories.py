"""The public front page with two stories, in a real browser: each story's card says what changed last."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import screenshot
from tests.servers import public_datasette
from tests.test_public import build_site, publish_into, rule
from tracker import claims, stories

SECOND_CLAIM = "The second factory stopped its line."


def two_stories(db) -> dict:
    """build_site's story, and a second one whose one claim was ruled confirmed: its latest change is that ruling."""
    info = build_site(db)
    editor = info["editor"]
    other = stories.create_story(db, "second-story", "A second story", "Another factory, other questions.")
    claim_id = claims.log_claim(db, other["id"], SECOND_CLAIM, "a witness", "named", editor)
    rule(db, claim_id, "confirmed", editor, "Two workers and a photo confirm it.")
    claims.set_published(db, claim_id, True, editor, claims.get_claim(db, claim_id)["version"])
    return info


@pytest.fixture(scope="module")
def front(tmp_path_factory) -> Iterator[str]:
    """A real `datasette` serving two published stories; its address."""
    folder, _ = publish_into(tmp_path_factory, "two-stories", two_stories)
    with public_datasette(folder) as (url, _):
        yield url


@pytest.mark.parametrize("width", [1280, 390])
def test_each_story_card_on_the_front_page_says_what_changed_last(page, front, width):
    """With one story the front page says "Latest change" and what it was; with two, each card said only "Updated"
    and a time. Each card now says its story's latest change, from the same timeline query, at a desktop's width
    and a phone's, without running past the screen's edge."""
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(front + "/")
    cards = page.locator(".story-card")
    expect(cards).to_have_count(2)
    second = cards.filter(has=page.get_by_role("heading", name="A second story"))
    expect(second.locator(".latest-change-line")).to_contain_text("Latest change")
    expect(second.locator(".latest-change-what")).to_contain_text(SECOND_CLAIM)
    expect(second.locator(".latest-change-what")).to_contain_text("Confirmed")
    first = cards.filter(has=page.get_by_role("heading", name="Acme kettles"))
    expect(first.locator(".latest-change-line")).to_contain_text("Latest change")
    newest = page.request.get(front + "/public/timeline.json?story=acme-kettles&_shape=array").json()[0]
    expect(first.locator(".latest-change-what")).to_contain_text(newest["claim"])
    for card in (first, second):
        line = card.locator(".latest-change-line").bounding_box()
        box = card.bounding_box()
        assert line["x"] >= box["x"] and line["x"] + line["width"] <= box["x"] + box["width"] + 0.5
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    screenshot(page, f"public-front-page-two-stories-{width}")
