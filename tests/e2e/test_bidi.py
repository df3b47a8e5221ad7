"""In Chromium: a quotation or a stored text in a right-to-left language reads right to left on our left-to-right pages.

Without its own paragraph direction an Arabic quote sat flush left with its full stop at the wrong end.
The pages' own stylesheets are loaded as they are served; the markup is the templates' elements.
"""

from __future__ import annotations

from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
ARABIC = "قال متحدث باسم الشركة إن الأرقام دقيقة."
ENGLISH = "A spokesperson said the figures were accurate."
CASES = [
    ("tracker/editor/static/editor.css", '<blockquote class="in-context">{}</blockquote>'),
    ("tracker/editor/static/editor.css", '<div class="revision-text card">{}</div>'),
    ("tracker/public/static/public.css", '<blockquote class="quote">{}</blockquote>'),
]


def _text_side(page, css: str, markup: str, text: str) -> str:
    """Which side of its box the text sits on: 'right' or 'left'."""
    page.set_content(
        f'<!DOCTYPE html><html lang="en" dir="ltr"><head><style>{(ROOT / css).read_text()}</style></head>'
        f'<body><main style="width:700px">{markup.format(text)}</main></body></html>'
    )
    return page.evaluate(
        """() => {
            const el = document.querySelector('main').firstElementChild;
            const box = el.getBoundingClientRect();
            const range = document.createRange();
            range.selectNodeContents(el);
            const text = range.getBoundingClientRect();
            return (box.right - text.right) < (text.left - box.left) ? 'right' : 'left';
        }"""
    )


@pytest.mark.parametrize(("css", "markup"), CASES, ids=["editor-context", "editor-stored-text", "public-quote"])
def test_a_right_to_left_quote_reads_from_the_right_and_a_left_to_right_one_from_the_left(browser, css, markup):
    page = browser.new_page()
    try:
        assert _text_side(page, css, markup, ARABIC) == "right"
        assert _text_side(page, css, markup, ENGLISH) == "left"
    finally:
        page.close()


# A name or title that brings a right-to-left override (U+202E) with it, in the elements that show them.
OVERRIDE_NAME = "\u202eAcme Corp"
OVERRIDDEN = [
    ("tracker/public/static/public.css", '<p class="claimant">Claimed by <strong>{}</strong> on Monday.</p>'),
    (
        "tracker/public/static/public.css",
        '<ul><li><a href="#">{}</a><span class="source-title">: on Monday.</span></li></ul>',
    ),
    ("tracker/editor/static/editor.css", '<ul><li><a href="#">{}</a> on Monday.</li></ul>'),
    ("tracker/editor/static/editor.css", "<p>Claimed by <strong>{}</strong> on Monday.</p>"),
]


@pytest.mark.parametrize(
    ("css", "markup"), OVERRIDDEN, ids=["public-claimant", "public-source", "editor-link", "editor-claimant"]
)
def test_a_right_to_left_override_in_a_scraped_name_stays_inside_it(browser, css, markup):
    """Unclosed, U+202E turned the rest of the line around ("on Monday." read ".yadnoM no" and moved before the
    name): a hostile outlet or claimant could make a line say something else. Each name is its own run."""
    page = browser.new_page()
    try:
        page.set_content(
            f'<!DOCTYPE html><html lang="en" dir="ltr"><head><style>{(ROOT / css).read_text()}</style></head>'
            f'<body><main style="width:700px">{markup.format(OVERRIDE_NAME)}</main></body></html>'
        )
        name_right, words_left = page.evaluate(
            """() => {
                const name = document.querySelector('main strong, main a');
                const walker = document.createTreeWalker(document.querySelector('main'), NodeFilter.SHOW_TEXT);
                let node;
                while ((node = walker.nextNode()) && !node.data.includes('Monday')) {}
                const range = document.createRange();
                range.setStart(node, node.data.indexOf('on'));
                range.setEnd(node, node.data.indexOf('on') + 2);
                return [name.getBoundingClientRect().right, range.getBoundingClientRect().left];
            }"""
        )
        assert words_left >= name_right - 1, (name_right, words_left)
    finally:
        page.close()
