"""On a 390-pixel phone: the hint a search box shows before anything is typed is read whole, not cut off.

Where a box has no visible label of its own, its placeholder is what tells a reader what to type; one cut
mid-word ("Search claims and claiman") says less than it should. Measured in Chromium with the box's own font.
"""

from __future__ import annotations

import pytest

from tests.e2e.conftest import sign_in
from tracker.demo import SLUG

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}
PAGES = {
    "editor": ["/", f"/stories/{SLUG}", f"/stories/{SLUG}/claims/new", f"/stories/{SLUG}/coverage", "/stories/new"],
    "public": ["/", f"/stories/{SLUG}", "/public/timeline", "/public/unclear"],
}

# Each visible box's placeholder against the room its content box has, in the box's own font.
CUT = """() => {
  const pen = document.createElement('canvas').getContext('2d'), cut = [];
  for (const el of document.querySelectorAll('input[placeholder], textarea[placeholder]')) {
    if (!el.getBoundingClientRect().width) continue;
    const s = getComputedStyle(el);
    pen.font = `${s.fontStyle} ${s.fontWeight} ${s.fontSize} ${s.fontFamily}`;
    const room = el.clientWidth - parseFloat(s.paddingLeft) - parseFloat(s.paddingRight);
    const needs = pen.measureText(el.placeholder).width;
    if (needs > room) cut.push(`#${el.id} "${el.placeholder}" needs ${Math.ceil(needs)}px, has ${Math.floor(room)}px`);
  }
  return cut;
}"""


@pytest.mark.parametrize("kind", PAGES)
def test_no_placeholder_is_cut_off_on_a_phone(browser, site, kind):
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.set_default_timeout(15000)
    try:
        if kind == "editor":
            sign_in(page, site, "rita")
        base = site.editor if kind == "editor" else site.public
        cut = []
        for path in PAGES[kind]:
            page.goto(base + path)
            page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
            cut += [f"{path}: {each}" for each in page.evaluate(CUT)]
    finally:
        context.close()
    assert not cut, "\n".join(cut)
