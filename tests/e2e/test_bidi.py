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
