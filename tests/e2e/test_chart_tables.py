"""In Chromium: the numbers behind the charts are on screen on a 390-pixel phone, without scrolling sideways.

The editor's dashboard and the public story page, rendered by their apps with the story of
tests/test_charts.py (published), with the sites' own stylesheets inlined as they are served. The claims
table's last column, "Not reviewed yet", sat past the right edge of a phone.
"""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.e2e.conftest import screenshot
from tests.test_charts import build
from tests.test_public import get
from tracker.public import make_datasette
from tracker.publish import publish

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
STYLESHEET = re.compile(r'<link rel="stylesheet" href="[^"]*?(\w+)\.css[^"]*"[^>]*>')
OURS = {"editor": "tracker/editor/static/editor.css"} | {
    name: f"tracker/public/static/{name}.css" for name in ("public", "story")
}
OFF_SCREEN = """() => [...document.querySelectorAll('.chart-table td, .chart-table th[scope=row]')]
    .filter(cell => { const box = cell.getBoundingClientRect(); return box.left < 0 || box.right > innerWidth; })
    .map(cell => cell.textContent)"""
# Each stacked cell whose ::before does not name its column (the header row is hidden on a phone): an outlet and a
# kind read as bare words after the numbers, named by nothing.
UNLABELLED = """() => [...document.querySelectorAll('.chart-table tbody tr')].flatMap(row => [...row.cells]
    .filter((cell, i) => {
        const name = cell.closest('table').tHead.rows[0].cells[i].textContent;
        return !getComputedStyle(cell, '::before').content.includes(name);
    })
    .map(cell => cell.textContent))"""


def inlined(html: str) -> str:
    """The page with our stylesheets in it (set_content has no server to fetch them from); Datasette's own left out."""
    return STYLESHEET.sub(lambda m: f"<style>{(ROOT / OURS[m[1]]).read_text()}</style>" if m[1] in OURS else "", html)


@pytest.fixture
def pages(client, auth, db, accounts, tmp_path) -> dict[str, str]:
    build(db, accounts["editor"])
    auth.login("reporter")
    dashboard = client.get("/stories/acme-kettles/dashboard").get_data(as_text=True)
    publish(db, tmp_path / "public.db")
    # In a thread of its own: Datasette's client runs an event loop, and Playwright's is running in this one.
    with ThreadPoolExecutor(1) as thread:
        ds = make_datasette(str(tmp_path / "public.db"))
        story_page = thread.submit(lambda: get(ds, "/stories/acme-kettles").text).result()
    return {"dashboard": inlined(dashboard), "story-page": inlined(story_page)}


@pytest.mark.parametrize("width", [390, 1280])
def test_every_number_behind_the_charts_is_on_screen(browser, pages, width):
    for name, html in pages.items():
        page = browser.new_page(viewport={"width": width, "height": 900})
        try:
            page.set_content(html)
            assert page.locator("style").count() >= 1
            page.evaluate("document.querySelectorAll('details.chart-data').forEach(d => d.open = true)")
            assert page.evaluate(OFF_SCREEN) == [], name
            assert page.evaluate("document.documentElement.scrollWidth") <= width, name
            numbers = page.locator(".chart-figure--claims tbody tr").first.locator("td.num")
            assert numbers.count() == 4 and all(n.is_visible() for n in numbers.all()), name
            if width < 480:
                assert page.evaluate(UNLABELLED) == [], name
            screenshot(page, f"chart-tables-{name}-{width}")
        finally:
            page.close()
