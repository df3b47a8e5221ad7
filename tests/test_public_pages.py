"""The reader pages: a story's front page, the data page, what remains unclear; landmarks and contrast."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from tests.test_public import HOSTILE_CLAIM, build_site, get, publish_into
from tracker import claims, stories
from tracker.db import connect
from tracker.public import make_datasette
from tracker.public_tables import PUBLIC_TABLES
from tracker.publish import publish

CSS = Path(__file__).resolve().parent.parent / "tracker" / "public" / "static" / "public.css"
READER_PAGES = ("/", "/public", "/public/timeline", "/public/unclear", "/public/claims/1", "/about")


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict:
    folder, info = publish_into(tmp_path_factory, "pages", build_site)
    return {"folder": folder, "ds": make_datasette(str(folder / "public.db")), **info}


def soup_of(ds, path: str) -> BeautifulSoup:
    response = get(ds, path)
    assert response.status_code == 200, (path, response.status_code)
    return BeautifulSoup(response.text, "html.parser")


@pytest.mark.parametrize("path", READER_PAGES)
def test_reader_pages_have_landmarks_a_skip_link_and_one_heading(built, path):
    soup = soup_of(built["ds"], path)
    assert soup.html.get("lang") == "en"
    first_link = soup.body.find("a")
    assert first_link["href"] == "#main" and "skip" in first_link["class"][0]
    assert len(soup.select("main#main")) == 1
    assert soup.select("header nav[aria-label]") and soup.find("footer")
    assert len(soup.find_all("h1")) == 1
    for aside in soup.find_all("aside"):
        assert aside.get("aria-label") or aside.get("aria-labelledby")
    for field in soup.select("input:not([type=hidden]), textarea, select"):
        assert soup.select_one(f'label[for="{field["id"]}"]'), field
    # A status is never colour alone: every badge carries its word.
    assert all(b.get_text(strip=True) for b in soup.select(".status"))
    for dot in soup.select(".dot"):
        assert dot.get("aria-hidden") == "true"


@pytest.mark.parametrize("path", READER_PAGES)
def test_reader_pages_name_a_status_in_the_same_words(built, path):
    """The About page called a claim "unreviewed" where every other page says "Not yet reviewed"."""
    soup = soup_of(built["ds"], path)
    for hidden in soup.select("code, pre, textarea, script, style, .visually-hidden"):
        hidden.decompose()  # a column's or a parameter's value, as a program gives it, is not a word readers read
    text = soup.get_text(" ")
    if path != "/public":  # the data page: its queries' parameters and columns take the stored value, "unreviewed"
        assert not re.search(r"\bunreviewed\b", text, re.I), path
    words = {b.get_text(" ", strip=True) for b in soup.select(".status")}
    assert words <= {"Confirmed", "Denied", "Unclear", "Not yet reviewed"}, (path, words)


def _luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _contrast(a: str, b: str) -> float:
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def test_status_colours_meet_wcag_aa_with_white_text():
    css = CSS.read_text()
    colours = dict(re.findall(r"--(confirmed|denied|unclear|unreviewed|muted|ink|link): (#[0-9a-f]{6})", css))
    assert colours == {
        "ink": "#1b1f24",
        "muted": "#57606a",
        "link": "#0b5cad",
        "confirmed": "#1a7f37",
        "denied": "#b42318",
        "unclear": "#b54708",
        "unreviewed": "#57606a",
    }
    for name in ("confirmed", "denied", "unclear", "unreviewed"):
        assert _contrast(colours[name], "#ffffff") >= 4.5, name
    for name in ("ink", "muted", "link"):
        assert _contrast(colours[name], "#f6f7f9") >= 4.5, name


def test_front_page_is_the_storys_front_page(built):
    soup = soup_of(built["ds"], "/")
    assert soup.select_one("h1").get_text() == "Acme kettles"
    assert soup.select_one(".dek").get_text() == "Questions about Acme Widgets' kettles."
    tally = {li["class"][1]: li.select_one(".tally-n").get_text() for li in soup.select(".tally-item")}
    assert tally == {"tally-confirmed": "1", "tally-denied": "1", "tally-unclear": "1", "tally-unreviewed": "1"}
    established = [p.get_text() for p in soup.select(".ruling-claim")]
    assert set(established) == {"Tests were skipped.", "Acme recalled its kettles."}
    open_claims = [a.get_text() for a in soup.select(".open-claim a")]
    assert open_claims == ["The tests were faked.", HOSTILE_CLAIM]
    assert len(soup.select(".latest-item")) == 6
    hrefs = {a["href"] for a in soup.find_all("a", href=True)}
    assert {"/public/timeline", "/public", "/public/changes.atom", "/public/timeline-js.json"} <= hrefs


def test_front_page_lists_stories_when_there_are_several(built, tmp_path):
    db = connect(built["folder"] / "tracker.db", create=False)
    copy = tmp_path / "tracker.db"
    db.execute("VACUUM INTO ?", [str(copy)])
    db.close()
    db = connect(copy, create=False)
    editor = db.execute("SELECT * FROM users").fetchone()
    editor = {"id": editor[0], "role": "editor"}
    other = stories.create_story(db, "second-story", "A second story", "Another one.")
    claim_id = claims.log_claim(db, other["id"], "Something else happened.", "a witness", "named", editor)
    claims.set_published(db, claim_id, True, editor, 1)
    publish(db, tmp_path / "public.db")
    db.close()
    soup = soup_of(make_datasette(str(tmp_path / "public.db")), "/")
    cards = soup.select(".story-card")
    assert [c.select_one("h2").get_text() for c in cards] == ["A second story", "Acme kettles"]
    assert cards[0].select_one("h2 a")["href"] == "/public/timeline?story=second-story"
    ds = make_datasette(str(tmp_path / "public.db"))
    timeline = soup_of(ds, "/public/timeline?story=second-story")
    assert timeline.select_one("h1").get_text() == "A second story"
    assert [c.get_text() for c in timeline.select(".card-claim")] == ["Something else happened."]
    assert timeline.select_one(".tally-unreviewed .tally-n").get_text() == "1"
    everything = soup_of(ds, "/public/timeline")
    assert everything.select_one("h1").get_text() == "Timeline"
    assert "Something else happened." in {c.get_text() for c in everything.select(".card-claim")}
    assert "Tests were skipped." in {c.get_text() for c in everything.select(".card-claim")}
    assert everything.select_one(".tally-unreviewed .tally-n").get_text() == "2"
    labels = {
        c.select_one(".card-claim").get_text(): c.select_one(".card-story").get_text()
        for c in everything.select(".card")
    }
    assert labels["Something else happened."] == "A second story"
    assert labels["Tests were skipped."] == "Acme kettles"
    assert timeline.select(".card-story") == []  # one story chosen: no label needed
    # The introduction is written for readers; the query's own description (its parameters) is for the API.
    intro = everything.select_one(".dek").get_text(" ", strip=True)
    assert intro.startswith("Everything that happened to the claims we follow, newest first"), intro
    assert "before (" not in intro and "story (" not in intro and "Optional filters" not in intro, intro
    assert soup_of(ds, "/public/unclear").select_one("h1").get_text() == "What remains unclear"


def test_data_page_lists_every_table_and_query(built):
    soup = soup_of(built["ds"], "/public")
    listed = [h.get_text(" ", strip=True).split(" ")[0] for h in soup.select("#tables-heading + .data-list h3")]
    assert sorted(listed) == sorted(PUBLIC_TABLES)
    queries = [a.get_text() for a in soup.select("#queries-heading + .data-list h3 a")]
    assert queries == [
        "Timeline",
        "What remains unclear",
        "Status changes and corrections",
        "Claims by claimant",
        "A claim's timeline events",
        "Search claims and evidence",
        "Coverage over time",
        "Claims by status over time",
    ]
    form = soup.select_one("form.sql-form")
    assert form["method"] == "get" and form.select_one("textarea[name=sql]")
    answer = get(built["ds"], "/public.json?sql=select+count(*)+as+n+from+claims&_shape=array").json()
    assert answer == [{"n": 4}]


def test_unclear_page_groups_ruled_and_unreviewed(built):
    soup = soup_of(built["ds"], "/public/unclear")
    groups = soup.select(".open-group")
    assert [g.select_one("h2").get_text(" ", strip=True) for g in groups] == [
        "Unclear Ruled unclear",
        "Not yet reviewed Not yet reviewed",
    ]
    assert [a.get_text() for a in groups[0].select(".open-claim a")] == ["The tests were faked."]
    assert [a.get_text() for a in groups[1].select(".open-claim a")] == [HOSTILE_CLAIM]
    assert groups[0].select_one(".open-reason").get_text() == "One outlet, one source."


def test_table_pages_keep_datasettes_tools(built):
    soup = soup_of(built["ds"], "/public/claims")
    assert soup.select("nav.data-crumbs .crumbs a")
    facets = {f.get("data-column") for f in soup.select(".facet-info")}
    assert {"status", "claimant_type"} <= facets
    assert soup.select_one("th.col-status")


# Where a page cut to the cells it may draw says so (html_cells.py): one line in the table's and the query's page.
CUT_SAID = '{% include "_html_cut.html" %}\n'


def test_the_table_page_is_datasette_s_own_with_labels_on_its_controls():
    """tracker/public/templates/table.html overrides Datasette's to label its filter and sort controls, to give
    the column descriptions again after the rows, folded, for a phone, and to say when a page is cut to the cells
    it may draw (CUT_SAID); an upgrade that changes Datasette's original
    must be looked at, not silently shadowed."""
    import re
    from pathlib import Path

    import datasette

    from tracker.public import TEMPLATE_DIR

    ours = (TEMPLATE_DIR / "table.html").read_text()
    stock = (Path(datasette.__file__).parent / "templates" / "table.html").read_text()
    labels = re.findall(r' aria-label="([^"]+)"', ours)
    assert sorted(set(labels)) == ["Column to filter", "Filter condition", "Filter value", "Sort by"]
    folded = re.findall(
        r'\n\{% if metadata.columns %\}\n<details class="column-notes">.*?</details>\n\{% endif %\}\n', ours, re.S
    )
    assert len(folded) == 1 and "metadata.columns.items()" in folded[0]
    ours = ours.replace(folded[0], "").replace(CUT_SAID, "")
    unlabelled = re.sub(r' aria-label="[^"]+"', "", re.sub(r"\A\{#.*?#\}\n", "", ours, flags=re.S))
    assert unlabelled.replace("<h2>", "<h3>").replace("</h2>", "</h3>") == stock


def test_the_query_page_is_datasette_s_own_with_its_headings_one_level_down_from_the_title():
    """tracker/public/templates/query.html overrides Datasette's only to make its h3 headings h2 (they followed
    the h1), give its box of results a Tab stop and a name (it scrolls sideways) and its SQL box a name, and to
    say when its rows are cut to the cells a page may draw (CUT_SAID); an
    upgrade that changes Datasette's original must be looked at, not silently shadowed."""
    import re
    from pathlib import Path

    import datasette

    from tracker.public import TEMPLATE_DIR

    ours = re.sub(r"\A\{#.*?#\}\n", "", (TEMPLATE_DIR / "query.html").read_text(), flags=re.S)
    stock = (Path(datasette.__file__).parent / "templates" / "query.html").read_text()
    assert "<h3>" not in ours and ours.count("<h2>") == 2
    scrolls = ' tabindex="0" role="region" aria-label="Results"'
    named = ' aria-label="SQL query"'
    assert ours.count(scrolls) == 1 and ours.count(named) == 1
    assert ours.count(CUT_SAID) == 1
    ours = ours.replace(CUT_SAID, "")
    assert ours.replace("<h2>", "<h3>").replace("</h2>", "</h3>").replace(scrolls, "").replace(named, "") == stock


def test_the_rows_are_datasette_s_own_in_a_box_the_keyboard_can_scroll():
    """tracker/public/templates/_table.html overrides Datasette's to give its box of rows, which scrolls sideways on
    a desktop, a Tab stop and a name; an upgrade that changes Datasette's original must be looked at, not silently
    shadowed."""
    import re
    from pathlib import Path

    import datasette

    from tracker.public import TEMPLATE_DIR

    ours = re.sub(r"\A\{#.*?#\}\n", "", (TEMPLATE_DIR / "_table.html").read_text(), flags=re.S)
    stock = (Path(datasette.__file__).parent / "templates" / "_table.html").read_text()
    scrolls = ' tabindex="0" role="region" aria-label="Rows"'
    assert ours.count(scrolls) == 1
    assert ours.replace(scrolls, "") == stock


def test_the_sql_editor_script_is_datasette_s_own_with_a_name_for_the_editor():
    """tracker/public/templates/_codemirror_foot.html overrides Datasette's to name the SQL editor for a screen
    reader; an upgrade that changes Datasette's original must be looked at, not silently shadowed."""
    import re
    from pathlib import Path

    import datasette

    from tracker.public import TEMPLATE_DIR

    ours = (TEMPLATE_DIR / "_codemirror_foot.html").read_text()
    stock = (Path(datasette.__file__).parent / "templates" / "_codemirror_foot.html").read_text()
    named = '          screenReaderLabel: "SQL query",\n'
    assert ours.count(named) == 1
    assert re.sub(r"\A\{#.*?#\}\n", "", ours, flags=re.S).replace(named, "") == stock


def test_the_facet_list_is_datasette_s_own_with_names_on_its_links():
    """tracker/public/templates/_facet_results.html overrides Datasette's to name its ✖ links and to say a facet is cut
    to the page's share of values (facet_values.py); an upgrade that changes Datasette's original must be looked at,
    not silently shadowed."""
    import re
    from pathlib import Path

    import datasette

    from tracker.public import TEMPLATE_DIR

    ours = (TEMPLATE_DIR / "_facet_results.html").read_text()
    stock = (Path(datasette.__file__).parent / "templates" / "_facet_results.html").read_text()
    assert len(re.findall(r' aria-label="[^"]+"', ours)) == 2
    unlabelled = re.sub(r' aria-label="(?:[^"{]|\{\{.*?\}\})+"', "", re.sub(r"\A\{#.*?#\}\n", "", ours, flags=re.S))
    assert len(re.findall(r"\{% if cut %\}", ours)) == 1
    uncut = re.sub(
        r"\{% if cut %\}.*?\{% elif ", "{% if ", re.sub(r"\n *\{% set cut = [^\n]*%\}", "", unlabelled), flags=re.S
    )
    assert uncut == stock


def test_a_story_with_more_open_claims_than_a_page_shows_the_newest_with_a_link_to_all(tmp_path):
    """The story page listed every open claim: from about 18,000 claims it passed the site's response limit and
    answered 400, so a reader got nothing. It shows the first OPEN_CLAIMS_SHOWN and links to all of them."""
    from bench.public import generate
    from tracker.public.plugins.story_page import OPEN_CLAIMS_SHOWN

    source = tmp_path / "tracker.db"
    generate(source, claims=3 * OPEN_CLAIMS_SHOWN, coverage_rows=3 * OPEN_CLAIMS_SHOWN)
    work = connect(source, create=False)
    try:
        work.execute("UPDATE claims SET story_id = 1")
        work.execute("UPDATE coverage SET story_id = 1")
        work.conn.commit()
        publish(work, tmp_path / "public.db")
    finally:
        work.close()
    ds = make_datasette(str(tmp_path / "public.db"))
    soup = soup_of(ds, "/stories/bench-story-1")
    section = soup.select_one("#unclear")
    shown = [a["href"] for a in section.select(".open-claim a")]
    open_total = sum(
        1 for i in range(1, 3 * OPEN_CLAIMS_SHOWN + 1) if i % 20 >= 6
    )  # bench/public.py: 70% of claims are unclear or unreviewed
    assert len(shown) == OPEN_CLAIMS_SHOWN < open_total
    more = section.select_one("a.more-link")
    assert f"All {open_total:,} open claims" in more.get_text()
    assert more["href"] == "/public/claims?status__in=unclear,unreviewed&story=bench-story-1"
    response = get(ds, more["href"] + "&_size=max")
    assert response.status_code == 200, response.text[:500]  # which 400: a guard's, or the SQL time limit's
    # The newest first, as before: the page's order, cut, not another order.
    rows = get(
        ds,
        "/public.json?_shape=array&sql="
        + "select id from claims where story = 'bench-story-1' and status in ('unclear', 'unreviewed') "
        "order by status = 'unreviewed', coalesce(status_changed_at, first_reported_at) desc, id desc limit 100",
    ).json()
    assert shown == [f"/public/claims/{r['id']}" for r in rows]
    # The page the link opens reads its rows in order from an index, and counts and facets from one too: it sorted
    # every open claim of the story in full to show 50 (96 ms at 42,000 open claims under load, 567 ms, past the
    # time limit, with _size=max) and its claimant_type facet read every row (283 ms, past the facets' 150 ms).
    for address in (more["href"], more["href"] + "&_size=max"):
        plans = claims_query_plans(ds, tmp_path / "public.db", address)
        assert len(plans) == 5, plans  # the rows, their count, the three facets (status, claimant_type, story)
        for sql, plan in plans.items():
            on_claims = [step for step in plan if step.startswith(("SCAN claims", "SEARCH claims"))]
            assert on_claims and all(step.startswith("SEARCH claims USING") for step in on_claims), (sql, plan)
            if sql.startswith("select id, "):  # the rows: read in the page's order, never all sorted
                # Only rows tied on the date are sorted among themselves, by the key that pages them
                # (sort_order.py): "FOR RIGHT PART OF ORDER BY", stopping at the page's end, not a whole sort.
                whole = [s for s in plan if "TEMP B-TREE" in s and "RIGHT PART" not in s]
                assert not whole, (sql, plan)
            else:
                assert all("COVERING INDEX" in step for step in on_claims), (sql, plan)


def claims_query_plans(ds, path: Path, address: str) -> dict[str, list[str]]:
    """EXPLAIN QUERY PLAN of each query the page at `address` runs on the claims table, by its SQL."""
    import asyncio
    import sqlite3

    from datasette.tracer import capture_traces

    async def fetch() -> list[dict]:
        traces: list[dict] = []
        with capture_traces(traces):
            assert (await ds.client.get(address)).status_code == 200
        return traces

    conn = sqlite3.connect(path)
    try:
        return {
            trace["sql"]: [row[3] for row in conn.execute("explain query plan " + trace["sql"], trace["params"])]
            for trace in asyncio.run(fetch())
            if " from claims where " in trace["sql"]
        }
    finally:
        conn.close()


def test_the_story_pages_open_claims_are_chosen_from_an_index_before_any_claims_row_is_read(built):
    """The open claims were sorted as whole rows: every open claim of the story read and sorted to show 100
    (29 ms alone for a story of 22,000 open claims, about 70 ms under load, on every render of its page). The
    100 are chosen from an index holding the columns they sort on; only their rows are read."""
    import sqlite3

    from tracker.public.plugins.story_page import OPEN_CLAIMS_SQL

    conn = sqlite3.connect(built["folder"] / "public.db")
    try:
        plan = [row[3] for row in conn.execute("explain query plan " + OPEN_CLAIMS_SQL, ["acme-kettles", 100])]
    finally:
        conn.close()
    on_claims = [step for step in plan if step.startswith(("SCAN claims", "SEARCH claims"))]
    assert any("COVERING INDEX" in step and "story=? AND status=?" in step for step in on_claims), plan
    assert all("COVERING INDEX" in step or "PRIMARY KEY" in step for step in on_claims), plan


def test_a_story_with_few_open_claims_lists_them_all_without_a_link_onward(built):
    section = soup_of(built["ds"], "/stories/acme-kettles").select_one("#unclear")
    assert len(section.select(".open-claim a")) == 2 and not section.select("a.more-link")


def test_a_public_file_from_before_the_chart_tables_still_serves_the_story_page(tmp_path_factory):
    """Upgraded, the site serves the old public file until an editor next publishes (`publish --refresh-only`
    leaves it while changes wait): a chart whose table is not there yet is left out, not a 500 for the page."""
    import sqlite3

    folder, _ = publish_into(tmp_path_factory, "old-file", build_site)
    conn = sqlite3.connect(folder / "public.db")
    conn.execute("DROP TABLE claim_status_counts")
    conn.execute("DROP TABLE coverage_counts")
    conn.commit()
    conn.close()
    page = soup_of(make_datasette(str(folder / "public.db")), "/stories/acme-kettles")
    assert page.select("#unclear .open-claim") and not page.select("figure svg")


def story_with_long_lists(tmp_path: Path, claims_count: int, developments_count: int) -> tuple:
    """A published bench story whose one question rests on every published claim, with developments_count
    developments: the question's id and the public file's Datasette."""
    from bench.public import generate
    from tracker import developments, questions

    source = tmp_path / "tracker.db"
    generate(source, claims=claims_count, coverage_rows=claims_count)
    work = connect(source, create=False)
    try:
        work.execute("UPDATE claims SET story_id = 1")
        work.execute("UPDATE coverage SET story_id = 1")
        work.conn.commit()
        editor = dict(next(work.query("SELECT * FROM users WHERE id = 1")))
        qid = questions.create_question(work, 1, "Did it happen?", editor)
        for claim in work.query("SELECT id FROM claims WHERE published = 1 ORDER BY id"):
            questions.link_claim(work, qid, claim["id"], "context", editor)
        version = questions.get_question(work, qid)["version"]
        version = questions.write_answer(work, qid, "Not yet known.", editor, version)["version"]
        questions.set_question_published(work, qid, True, editor, version)
        for n in range(1, developments_count + 1):
            did = developments.create_development(work, 1, f"Development number {n}", editor)
            developments.set_development_published(work, did, True, editor, 1)
        publish(work, tmp_path / "public.db")
    finally:
        work.close()
    return qid, make_datasette(str(tmp_path / "public.db"))


def linked_claims(ds, qid: int) -> list[str]:
    """The addresses of the claims a question rests on, in the order they were linked."""
    sql = f"select claim_id from question_claims where question_id = {qid} order by rowid"
    rows = get(ds, "/public.json?_shape=array&sql=" + sql).json()
    return [f"/public/claims/{row['claim_id']}" for row in rows]


def test_a_question_or_developments_longer_than_a_page_show_the_newest_with_a_link_to_all(tmp_path):
    """A question's claims and a story's developments were listed whole: a question resting on 20,000 claims made
    the story page larger than the site serves (a 400, so a reader got nothing), as would about 17,000
    developments. Each shows its newest, in the page's order, and links to all of them in their table."""
    from tracker.public.plugins.story_page import DEVELOPMENTS_SHOWN, QUESTION_CLAIMS_SHOWN

    qid, ds = story_with_long_lists(tmp_path, 3 * QUESTION_CLAIMS_SHOWN, DEVELOPMENTS_SHOWN + 5)
    soup = soup_of(ds, "/stories/bench-story-1")
    question = soup.select_one(f"#question-{qid}")
    linked = linked_claims(ds, qid)
    shown = [a["href"] for a in question.select(".question-claims a")]
    assert len(shown) == QUESTION_CLAIMS_SHOWN < len(linked)
    assert shown == linked[-QUESTION_CLAIMS_SHOWN:]
    more = question.select_one("a.more-link")
    assert f"All {len(linked):,} claims" in more.get_text()
    assert more["href"] == f"/public/question_claims?question_id={qid}"
    assert get(ds, more["href"]).status_code == 200
    # Every open claim bears on the question, those linked before the cut too: all listed under it.
    groups = soup.select("#unclear .unclear-group")
    assert [group.select_one(".unclear-question a")["href"] for group in groups] == [f"#question-{qid}"]
    assert set(a["href"] for a in groups[0].select(".open-claim a")) - set(shown)

    section = soup.select_one("#next")
    texts = [p.get_text() for p in section.select(".next-text")]
    assert texts == [f"Development number {n}" for n in range(6, DEVELOPMENTS_SHOWN + 6)]
    more = section.select_one("a.more-link")
    assert f"All {DEVELOPMENTS_SHOWN + 5:,} developments" in more.get_text()
    assert more["href"] == "/public/developments?story=bench-story-1"
    assert get(ds, more["href"]).status_code == 200


def test_a_short_question_and_developments_are_listed_whole_without_a_link_onward(tmp_path):
    qid, ds = story_with_long_lists(tmp_path, 20, 3)
    soup = soup_of(ds, "/stories/bench-story-1")
    question = soup.select_one(f"#question-{qid}")
    assert [a["href"] for a in question.select(".question-claims a")] == linked_claims(ds, qid)
    assert not question.select("a.more-link")
    section = soup.select_one("#next")
    assert [p.get_text() for p in section.select(".next-text")] == [f"Development number {n}" for n in (1, 2, 3)]
    assert not section.select("a.more-link")


def test_a_story_page_offers_its_own_feed_and_downloads(built):
    """The story page announced the whole site's feed to feed readers and linked no download: a reader who
    subscribed from it followed every story, and the story's timeline as CSV or JSON was not to be found there."""
    soup = soup_of(built["ds"], "/stories/acme-kettles")
    feeds = soup.select("head link[rel=alternate][type='application/atom+xml']")
    assert [f["href"] for f in feeds] == ["/public/changes.atom?story=acme-kettles"]
    links = {a.get_text(strip=True): a["href"] for a in soup.select("#follow a")}
    assert links["Atom feed"] == "/public/changes.atom?story=acme-kettles"
    assert links["JSON"] == "/public/timeline.json?story=acme-kettles&_shape=array"
    assert links["CSV"] == "/public/timeline.csv?story=acme-kettles&_size=max&_dl=1"
    assert soup.select_one(".story-jump a[href='#follow']")
    for href in links.values():
        assert get(built["ds"], href).status_code == 200, href


@pytest.mark.parametrize("path", ["/", "/stories/acme-kettles", "/public/timeline"])
def test_the_feed_link_says_how_to_follow_it(built, path):
    """A reader on a phone who tapped "Atom feed" got a page of XML code and nothing saying what a feed is
    for: each "Follow and download" panel now says to copy the link into a feed reader."""
    soup = soup_of(built["ds"], path)
    panel = soup.find(id="follow-heading").parent
    feed = panel.find("a", string="Atom feed")
    assert feed is not None and feed["href"].startswith("/public/changes.atom"), panel
    item = " ".join(feed.find_parent("li").get_text(" ", strip=True).split())
    assert "copy this link into a feed reader" in item, item
    assert feed.get("type") == "application/atom+xml"


@pytest.mark.parametrize(
    "query, says",
    [
        ("q=zzqxnothing", "No events matching “zzqxnothing”. Try fewer words, or other ones."),
        ("status=denied&q=zzqxnothing", "No events about denied claims matching “zzqxnothing”. Try fewer words"),
        ("before=1", "No events, older than the newest page. Show everything"),
    ],
)
def test_a_search_that_finds_nothing_says_so_once_with_what_to_try(built, query, says):
    """An empty search said it twice, in two wordings with two links ("No events matching ... Show everything",
    then "Nothing matches these filters. Show the whole timeline"), and never what to try instead."""
    main = soup_of(built["ds"], "/public/timeline?" + query).select_one(".timeline-section")
    assert main.select(".card") == []
    text = " ".join(main.get_text(" ", strip=True).split()).replace(" .", ".")
    assert says in text, text
    assert "Nothing matches" not in text and "No older events" not in text
    everything = [
        a for a in main.select("a") if a["href"].rstrip("?") == "/public/timeline" and not a.find_parent("nav")
    ]
    assert len(everything) == 1, everything


def test_the_story_pages_chart_names_each_status_as_the_rest_of_the_site(built):
    """The claims chart's legend and table said "Not reviewed yet" under the page's "0 not yet reviewed"."""
    soup = soup_of(built["ds"], "/stories/acme-kettles")
    tally = [w.get_text().lower() for w in soup.select(".tally-word")]
    figure = soup.select(".chart-legend")[-1].find_parent("figure")
    legend = [li.get_text().lower() for li in figure.select(".chart-legend li")]
    assert legend == tally, (legend, tally)
    headers = [th.get_text(" ", strip=True).lower() for th in figure.find_next("table").select("thead th")]
    assert headers[1:] == tally, headers


def test_the_story_page_reads_its_latest_events_through_the_index_without_sorting_the_story(built):
    """Sorting the story's events read every one of them (0.3 s for a story of 69,000 events, on each render
    of its page). The story's (story, position) index gives them newest first, in the timeline's order, and
    stops after the few it shows."""
    import sqlite3

    from tracker.public.plugins.story_page import LATEST_EVENTS_SQL, TIMELINE_EVENTS

    conn = sqlite3.connect(built["folder"] / "public.db")
    story = conn.execute("select story from events group by story order by count(*) desc limit 1").fetchone()[0]
    plan = " ".join(row[3] for row in conn.execute("explain query plan " + LATEST_EVENTS_SQL, [story, 5]))
    assert "TEMP B-TREE" not in plan and "events_story_position" in plan, plan
    newest = conn.execute(LATEST_EVENTS_SQL, [story, TIMELINE_EVENTS]).fetchall()
    by_time = conn.execute(
        "select * from events where story = ? order by date desc, position desc limit ?", [story, TIMELINE_EVENTS]
    ).fetchall()
    assert newest == by_time and newest


def test_a_search_says_which_one_letter_words_it_left_out(built):
    """Beside a longer word a one-letter word is not searched for (tracker/search.py); the page says so."""
    mixed = soup_of(built["ds"], "/public/timeline?q=plan+B+a").select_one(".filter-summary").get_text(" ", strip=True)
    assert "“B”" in mixed and "“a”" in mixed and "left out" in mixed
    plain = soup_of(built["ds"], "/public/timeline?q=plan").select_one(".filter-summary").get_text(" ", strip=True)
    alone = soup_of(built["ds"], "/public/timeline?q=B").select_one(".filter-summary").get_text(" ", strip=True)
    assert "left out" not in plain and "left out" not in alone


@pytest.mark.parametrize("path", ("/", "/public", "/public/timeline", "/stories/acme-kettles"))
def test_every_csv_link_on_a_reader_page_downloads_a_file(built, path):
    """The "CSV" link under Follow and download opened the rows as plain text in the tab (on a phone, a wall of commas
    to save by hand): each link now asks for the file (`_dl=1`), named after its table or query."""
    soup = soup_of(built["ds"], path)
    hrefs = [a["href"] for a in soup.select("main a[href]") if ".csv" in a["href"].split("?")[0]]
    assert hrefs
    for href in hrefs:
        response = get(built["ds"], href.replace("&amp;", "&"))
        assert response.status_code == 200, href
        assert response.headers.get("content-disposition", "").startswith("attachment; filename="), href
        assert response.headers["content-type"].startswith("text/csv"), href


def test_who_claimed_what_draws_the_most_prolific_claimants_and_links_the_rest_as_data(tmp_path):
    """The page drew every claimant its query returns (500), each with three latest claims: 744 kB and 0.55-0.83 s
    on the event loop a render, and each search for part of a name (`claimant=a`, `=an`, `=%`...) is a page of its
    own to the page cache, so an address could have it drawn afresh sixty times a minute. It draws the
    CLAIMANTS_SHOWN most prolific, says so, and links the whole list as JSON and CSV (which keep all 500)."""
    from bench.public import generate
    from tracker.public.plugins.reader_data import CLAIMANTS_SHOWN

    source = tmp_path / "tracker.db"
    generate(source, claims=4 * CLAIMANTS_SHOWN, coverage_rows=CLAIMANTS_SHOWN)
    work = connect(source, create=False)
    try:
        publish(work, tmp_path / "public.db")
    finally:
        work.close()
    ds = make_datasette(str(tmp_path / "public.db"))
    listed = get(ds, "/public/claims_by_claimant.json?_shape=array&claimant=a").json()
    assert len(listed) > CLAIMANTS_SHOWN
    soup = soup_of(ds, "/public/claims_by_claimant?claimant=a")
    drawn = soup.select(".claimant-item")
    assert len(drawn) == CLAIMANTS_SHOWN
    assert [d.select_one(".claimant-name").get_text().split(" · ")[0] for d in drawn[:3]] == [
        row["claimant"] for row in listed[:3]
    ]
    said = " ".join(soup.select_one(".filter-summary").get_text(" ").split())
    assert f"the {CLAIMANTS_SHOWN} with the most claims" in said, said
    data = {a.get_text(): a["href"] for a in soup.select(".filter-summary a")}
    assert "claims_by_claimant.json" in data["JSON"] and "claimant=a" in data["JSON"]
