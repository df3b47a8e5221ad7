"""An HTML page of a table or of a visitor's SQL draws at most `html_cells` cells, and says so when it draws fewer.

Datasette draws a page on the event loop every reader's request waits for, and the limits per address count SQL
time, not drawing: a SQL page of 500 rows of 64 columns held the loop 0.7-1.5 s, `events?_size=max` 0.4-0.7 s,
at 30 and 60 a minute per address. A real `datasette` process as `python -m tracker serve` runs it; the tests
look at what is drawn and said, never at the clock.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from urllib.parse import quote, urlsplit

import httpx
import pytest
from bs4 import BeautifulSoup
from datasette.plugins import pm

from tests.servers import public_datasette
from tests.test_public import build_site, publish_into
from tracker import claims
from tracker.public import load_metadata, make_datasette

CELLS = load_metadata()["plugins"]["newsroom-tracker"]["html_cells"]
PAGE = {"accept": "text/html,application/xhtml+xml;q=0.9,*/*;q=0.8"}  # as a browser asks
MORE_CLAIMS = 250


def build_wide_site(db) -> dict:
    """The demo story and MORE_CLAIMS more published claims: more events than one HTML page of them draws."""
    info = build_site(db)
    story = db.execute("select id from stories").fetchone()[0]
    for n in range(MORE_CLAIMS):
        claim = claims.log_claim(db, story, f"Claim number {n}.", "someone", "anonymous", info["editor"])
        claims.set_published(db, claim, True, info["editor"], claims.get_claim(db, claim)["version"])
    return info


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    folder, _ = publish_into(tmp_path_factory, "wide", build_wide_site)
    return folder


@pytest.fixture(scope="module")
def base(folder):
    """The address of a real `datasette` serving the public file as `python -m tracker serve` runs it."""
    with public_datasette(folder) as (url, _):
        yield url


def columns_of(folder: Path, table: str) -> int:
    with sqlite3.connect(folder / "public.db") as conn:
        return len(conn.execute(f"pragma table_info({table})").fetchall())


def rows_drawn(page: BeautifulSoup) -> int:
    return len(page.select("table.rows-and-columns tbody tr"))


def cut_note(page: BeautifulSoup):
    return page.select_one("p.html-cut")


def get_page(base: str, path: str) -> BeautifulSoup:
    response = httpx.get(base + path, headers=PAGE, timeout=60)
    assert response.status_code == 200, (path, response.status_code, response.text[:300])
    return BeautifulSoup(response.text, "html.parser")


def test_a_table_page_asking_for_more_cells_than_drawn_lists_fewer_rows_a_page_and_says_so(base, folder):
    """`events?_size=max` drew 500 rows of 18 columns on the event loop; now as many whole rows as fit, the next
    page going on from the last, every row reached, and the JSON and CSV linked with the size asked for."""
    events = columns_of(folder, "events")
    fits = CELLS // events
    with sqlite3.connect(folder / "public.db") as conn:
        total = conn.execute("select count(*) from events").fetchone()[0]
    assert total > fits  # the test site has more events than one page of them draws
    for path in ("/public/events?_size=max", "/public/events.html?_size=max", "/public/events?_size=max&_format=json"):
        page = get_page(base, path)
        assert rows_drawn(page) == fits, path
        note = cut_note(page)
        assert note is not None, path
        said = " ".join(note.get_text().split())
        assert f"This page shows {fits} rows at a time, not the 500 asked for" in said
        assert f"at most {CELLS:,} cells ({events} columns a row)" in said
        links = {a.get_text(): a["href"] for a in note.select("a")}
        assert links["JSON"].startswith("/public/events.json?_size=max")
        assert links["CSV"].startswith("/public/events.csv?_size=max")
    whole = httpx.get(base + links["JSON"], timeout=60).json()
    assert len(whole["rows"]) == total  # the JSON is not cut
    csv_lines = httpx.get(base + links["CSV"], timeout=60).text.strip().splitlines()
    assert len(csv_lines) == total + 1
    # The next-page link goes on through every event, a page that fits at a time.
    seen, path = 0, "/public/events?_size=max"
    while path:
        page = get_page(base, path)
        seen += rows_drawn(page)
        following = next((a for a in page.select("a") if a.get_text() == "Next page"), None)
        path = None if following is None else "?".join(filter(None, urlsplit(following["href"])[2:4]))
        assert path is None or f"_size={fits}" in path
    assert seen == total


def test_the_sql_page_draws_the_first_rows_that_fit_and_links_the_whole_result(base):
    """A SQL page of 300 rows of 64 columns drew 19,200 cells; now the first rows that fit, saying how many there
    are, with the whole result as JSON and CSV."""
    columns = ", ".join(f"i as c{n}" for n in range(64))
    sql = f"with recursive n(i) as (select 1 union all select i + 1 from n limit 300) select {columns} from n"
    page = get_page(base, f"/public?sql={quote(sql)}")
    fits = CELLS // 64
    assert rows_drawn(page) == fits
    assert f"returning more than {fits} rows" in " ".join(page.select_one("form.sql h2").get_text().split())
    said = " ".join(cut_note(page).get_text().split())
    assert f"This page shows the first {fits} of these 300 rows" in said
    assert f"at most {CELLS:,} cells (64 columns a row)" in said
    links = {a.get_text(): a["href"] for a in cut_note(page).select("a")}
    assert links["JSON"].startswith("/public.json?sql=")
    whole = httpx.get(base + links["JSON"], timeout=60)
    assert whole.status_code == 200 and len(whole.json()["rows"]) == 300
    csv = httpx.get(base + links["CSV"], timeout=60)
    assert csv.status_code == 200 and len(csv.text.strip().splitlines()) == 301


def test_a_readers_ordinary_pages_are_drawn_whole_and_say_nothing(base, folder):
    """The default page of a table, a page size that fits, a small SQL result and the ready-made queries are drawn
    as before: every row, no note."""
    events = columns_of(folder, "events")
    within = CELLS // events
    for path, rows in (
        ("/public/events", 50),
        (f"/public/events?_size={within}", within),
        ("/public/claims?_size=100", 100),
        ("/public?sql=" + quote("select id, text from claims"), MORE_CLAIMS + 4),
    ):
        page = get_page(base, path)
        assert rows_drawn(page) == rows, path
        assert cut_note(page) is None, path
    timeline = get_page(base, "/public/timeline")
    assert cut_note(timeline) is None and "at most" not in timeline.get_text()


def test_a_table_page_whose_rows_all_fit_says_nothing_of_a_cut(base, folder):
    """`_size=max` on a filtered table of fewer rows than a page draws: served with the smaller `_size` as any
    such page, it still shows every row there is, so it has nothing left out to say (it said "This page shows 138
    rows at a time, not the 500 asked for" above 26 rows)."""
    fits = CELLS // columns_of(folder, "events")
    page = get_page(base, "/public/events?_size=max&id__lte=5")
    assert 0 < rows_drawn(page) <= 5 < fits
    assert cut_note(page) is None


def test_a_table_page_of_chosen_columns_is_cut_by_the_columns_it_draws(base, folder):
    """`_col` and `_nocol` choose the columns a page draws, with the primary key always: the cut counted every column
    of the table, so `events?_size=max&_col=kind&_col=claim` (3 cells a row) drew 138 rows and said it was cut, and
    with `_nocol` the same."""
    with sqlite3.connect(folder / "public.db") as conn:
        total = conn.execute("select count(*) from events").fetchone()[0]
        names = [row[1] for row in conn.execute("pragma table_info(events)") if not row[5]]
    assert CELLS // columns_of(folder, "events") < total <= CELLS // 3
    chosen = "_col=kind&_col=claim&_col=kind"
    dropped = "&".join(f"_nocol={name}" for name in names if name not in ("kind", "claim"))
    for path in (f"/public/events?_size=max&{chosen}", f"/public/events?_size=max&{dropped}"):
        page = get_page(base, path)
        assert len(page.select("table.rows-and-columns thead th")) == 3, path
        assert rows_drawn(page) == total, path
        assert cut_note(page) is None, path
    # Chosen columns still more than fit are cut by their own count, the next page going on from there.
    wide = "&".join(f"_col={name}" for name in names[:11])  # with the key, 12 a row
    page = get_page(base, f"/public/events?_size=max&{wide}")
    assert rows_drawn(page) == CELLS // 12
    assert "(12 columns a row)" in " ".join(cut_note(page).get_text().split())


def test_every_plugin_reads_a_whole_number_setting_by_the_one_rule(folder):
    """html_cells.py's `setting` is the one reader of the site's whole-number settings: query_limits.py's copy took
    a negative number as it was (`sql_in_flight: -2`), where the others read it as 0, their "off"."""
    odd = {"sql_in_flight": "-2", "sql_per_minute": "7", "html_cells": "many", "search_chars": "", "facet_values": -1}
    ds = make_datasette(str(folder / "public.db"), plugin_config=odd)
    limits, cells, facets = (pm.get_plugin(name) for name in ("query_limits.py", "html_cells.py", "facet_values.py"))
    assert (limits.setting(ds, "sql_in_flight"), limits.setting(ds, "sql_per_minute")) == (0, 7)
    assert cells.html_cells(ds) == cells.DEFAULT_HTML_CELLS
    assert cells.setting(ds, "search_chars", 500) == 500
    assert facets.facet_values(ds) == cells.setting(ds, "facet_values", 500) == 0
