"""In Chromium: the triage queue's scraped outlet names stay inside themselves.

The queue is rendered by the editor itself (Flask test client, a real SQLite file) and shown with the
stylesheets it links, as served.
"""

from __future__ import annotations

import pytest

from tests.e2e.conftest import ROOT
from tests.test_candidates import LEDGER, ingest

pytestmark = pytest.mark.e2e

OVERRIDE_OUTLET = "\u202eEvil Wire"
STYLES = ("tracker/editor/static/editor.css", "tracker/editor/static/triage.css")


def _shown(browser, html: str, width: int):
    """A page holding the queue's <main> as the editor rendered it, with its stylesheets inlined."""
    start, end = html.index("<main"), html.index("</main>") + len("</main>")
    css = "".join((ROOT / path).read_text() for path in STYLES)
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.set_content(
        f'<!DOCTYPE html><html lang="en" dir="ltr"><head><style>{css}</style></head>'
        f"<body>{html[start:end]}</body></html>"
    )
    return page


def test_an_outlet_with_a_right_to_left_override_does_not_turn_the_copies_line_around(
    browser, client, auth, accounts, db, story
):
    """The line naming the other outlets that carry the same sentence: an unclosed U+202E in one outlet's
    name moved the outlets after it and "They follow this decision." before it, reversed."""
    ingest(db, story, "https://ledger.example/acme", "Daily Ledger", LEDGER[:1])
    ingest(db, story, "https://evil.example/acme", OVERRIDE_OUTLET, LEDGER[:1])
    ingest(db, story, "https://coast.example/acme", "Coastline News", LEDGER[:1])
    auth.login("reporter")
    html = client.get(f"/stories/{story['slug']}/triage?sort=newest").get_data(as_text=True)
    page = _shown(browser, html, 1280)
    try:
        lefts = page.evaluate(
            """() => {
                const line = [...document.querySelectorAll('.triage-notes li')]
                    .find(li => li.textContent.includes('Evil Wire') && li.textContent.includes('Coastline News'));
                const where = (word) => {
                    const walker = document.createTreeWalker(line, NodeFilter.SHOW_TEXT);
                    let node;
                    while ((node = walker.nextNode()) && !node.data.includes(word)) {}
                    const range = document.createRange();
                    range.setStart(node, node.data.indexOf(word));
                    range.setEnd(node, node.data.indexOf(word) + word.length);
                    return range.getBoundingClientRect();
                };
                const evil = where('Evil Wire'), other = where('News'), follow = where('They follow');
                return [evil.right, other.left, follow.left];
            }"""
        )
        evil_right, other_left, follow_left = lefts
        assert other_left >= evil_right - 1 and follow_left >= evil_right - 1, lefts
    finally:
        page.close()
