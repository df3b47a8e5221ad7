"""The charts: their SVG parsed and checked against the database, the same rows on both sites, and a
public chart that nothing unpublished can change."""

from __future__ import annotations

import re
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from lxml import etree

from scrapers.timestamps import format_time
from tests.test_public import get
from tracker import claims, coverage, stories
from tracker.charts import buckets, data, render
from tracker.db import connect, rows
from tracker.editor.dashboard import story_charts
from tracker.public import load_metadata, make_datasette
from tracker.public_tables import PUBLIC_TABLES
from tracker.publish import publish

ROOT = Path(__file__).resolve().parent.parent
SVG = "{http://www.w3.org/2000/svg}"
BARS = "//*[contains(concat(' ', @class, ' '), ' bar ')]/*[local-name()='rect']"  # each series' bar, one a bucket
HOSTILE = "<script>alert('outlet')</script> Gazette & Co"
# Times are relative to now, so the story is always about a day old (hourly charts) whatever the date:
# the rulings made by build() happen now, and a chart's span runs to its latest ruling.
BASE = (datetime.now(UTC) - timedelta(hours=26)).replace(minute=0, second=0, microsecond=0)


def at(minutes: int) -> str:
    return format_time(BASE + timedelta(minutes=minutes))


# (outlet, kind, published_at, cluster): a wire story and its copy share cluster "wire".
ITEMS = (
    ("Example Ledger", "article", at(10), None),
    ("Example Ledger", "article", at(160), None),
    ("Wire Service", "article", at(55), "wire"),
    (HOSTILE, "article", at(80), "wire"),
    ("Acme Widgets", "statement", at(170), None),
    ("Acme Widgets", "statement", at(22 * 60 + 50), None),
)


def build(db, editor) -> dict:
    """A story whose every item is cited by a published claim, with rulings at known times."""
    story = stories.create_story(db, "acme-kettles", "Acme kettles")
    ids = []
    for n, (outlet, kind, published, _) in enumerate(ITEMS):
        item = coverage.upsert_item(
            db,
            story["id"],
            f"https://news.example/{n}",
            kind=kind,
            outlet=outlet,
            title=f"Item {n}",
            published_at=published,
        )
        coverage.add_revision(db, item, f"Acme said the kettles from batch {n} overheat in tests.")
        ids.append(item)
    db.execute("UPDATE coverage SET cluster_id = ? WHERE id IN (?, ?)", [ids[2], ids[2], ids[3]])
    made = []
    for n, item in enumerate(ids):
        claim_id = claims.log_claim(db, story["id"], f"Batch {n} overheats", "Acme", "organization", editor)
        revision = coverage.latest_revision(db, item)
        evidence = claims.add_evidence(db, claim_id, revision["id"], f"batch {n} overheat", "supports", editor)
        made.append((claim_id, evidence))
    for n, (claim_id, evidence) in enumerate(made):
        if n < 4:
            status = ("confirmed", "denied", "unclear", "confirmed")[n]
            current = claims.get_claim(db, claim_id)
            claims.set_status(db, claim_id, status, editor, "why", current["version"], "why", evidence_ids=[evidence])
        current = claims.get_claim(db, claim_id)
        claims.set_published(db, claim_id, True, editor, current["version"])
    db.conn.commit()
    return {"story": story, "items": ids, "claims": made}


@pytest.fixture
def newsroom(db, accounts):
    return build(db, accounts["editor"])


def svg_of(markup: str) -> etree._Element:
    """The first <svg> of a chart figure, parsed as XML (it must be well formed)."""
    found = re.search(r"<svg [^>]*class=\"chart-svg\".*?</svg>", markup, re.S)
    assert found, "no chart SVG"
    return etree.fromstring(found.group(0).encode("utf-8"))


def series_values(svg) -> dict[str, list[int]]:
    """Each series (data-series) -> its bar values, read from the SVG as drawn."""
    values = {}
    for group in svg.iter(f"{SVG}g"):
        if group.get("data-series") and "series" in (group.get("class") or ""):
            values[group.get("data-series")] = [
                int(float(d.text)) for d in group.iter(f"{SVG}desc") if d.get("class") == "value"
            ]
    return values


def test_coverage_svg_has_its_axes_and_one_bar_per_bucket_per_series_counting_the_database(db, newsroom):
    found = data.story_charts(db, newsroom["story"]["id"])
    assert found.unit.name == "hour"  # about a day of coverage; the rulings (now) widen the span for the dashboard
    chart = render.coverage_chart(found.coverage, found.unit.name, "t-coverage")
    for shape in ("wide", "narrow"):
        svg = etree.fromstring(chart.svg[shape].encode("utf-8"))
        assert svg.get("role") == "img"
        title_id, desc_id = svg.get("aria-labelledby").split()
        assert svg.find(f"{SVG}title").get("id") == title_id and svg.find(f"{SVG}desc").get("id") == desc_id
        assert svg.find(f"{SVG}desc").text == chart.summary
        # Nothing a strict Content-Security-Policy would block, nothing that needs a script.
        assert not [e for e in svg.iter() if isinstance(e.tag, str) and etree.QName(e).localname in ("script", "style")]
        assert not [e for e in svg.iter() if e.get("style") or any(a.startswith("on") for a in e.attrib)]
        axes = [g.get("class") for g in svg.iter(f"{SVG}g") if (g.get("class") or "").startswith("axis")]
        assert any(a.startswith("axis x") for a in axes) and any(a.startswith("axis y") for a in axes)
        titles = [t.text for t in svg.iter(f"{SVG}text") if t.get("class") == "title"]
        assert titles == ["Hour (UTC)", "Items"]
        values = series_values(svg)
        assert set(values) == {"Example Ledger", "Wire Service", "copies", "statements"}
        assert all(len(v) == len(chart.buckets) for v in values.values())  # a bar (maybe 0) for every bucket
        x_labels = [t.text for t in svg.iter(f"{SVG}text") if t.getparent().get("class") == "guides"]
        assert len(chart.buckets) == 23 and len(x_labels) >= 4  # every hour from the first item's to the last's
        # The counts are the database's.
        count = dict(
            db.execute(
                "SELECT outlet, count(*) FROM coverage WHERE story_id = ? AND kind = 'article' GROUP BY outlet",
                [newsroom["story"]["id"]],
            ).fetchall()
        )
        assert sum(values["Example Ledger"]) == count["Example Ledger"] == 2
        assert sum(values["Wire Service"]) == 1 and sum(values["copies"]) == count[HOSTILE] == 1  # the later copy
        assert sum(values["statements"]) == 2
        total = db.execute("SELECT count(*) FROM coverage WHERE story_id = ?", [newsroom["story"]["id"]]).fetchone()
        assert sum(map(sum, values.values())) == total[0]
    page = str(render.figure(chart))
    assert (
        "<script>alert" not in page and "&lt;script&gt;alert(&#39;outlet&#39;)&lt;/script&gt; Gazette &amp; Co" in page
    )


def test_claims_svg_ends_with_the_databases_counts_by_status(db, newsroom):
    found = data.story_charts(db, newsroom["story"]["id"])
    chart = render.claims_chart(found.claims, found.unit.name, "t-claims", span=found.span)
    svg = etree.fromstring(chart.svg["wide"].encode("utf-8"))
    values = series_values(svg)
    by_status = dict(
        db.execute("SELECT status, count(*) FROM claims WHERE story_id = ? GROUP BY status", [newsroom["story"]["id"]])
    )
    assert {status: bars[-1] for status, bars in values.items()} == by_status
    fills = {g.get("data-series"): g.get("fill") for g in svg.iter(f"{SVG}g") if g.get("data-series")}
    assert fills == {s: render.STATUS_COLOURS[s] for s in by_status}  # the sites' status colours
    assert [s.label for s in chart.series] == ["Confirmed", "Denied", "Unclear", "Not yet reviewed"]  # and words
    legend = BeautifulSoup(str(render.figure(chart)), "html.parser").select(".chart-legend li")
    assert [li.get_text() for li in legend] == ["Confirmed", "Denied", "Unclear", "Not yet reviewed"]


def test_the_dashboard_shows_both_charts_with_their_tables(client, auth, db, newsroom):
    auth.login("reporter")
    soup = BeautifulSoup(client.get("/stories/acme-kettles/dashboard").get_data(as_text=True), "html.parser")
    figures = soup.select("figure.chart-figure")
    assert [f["class"][1] for f in figures] == ["chart-figure--coverage", "chart-figure--claims"]
    for figure in figures:
        assert figure.select_one("figcaption .chart-title") and figure.select("svg[role=img]")
        assert figure.select_one("details summary").get_text() == "The numbers behind this chart"
    rows = figures[0].select("details tbody tr")
    assert sum(int(r.select("td")[-1].get_text()) for r in rows) == len(ITEMS)


def public_charts(folder: Path, slug: str = "acme-kettles") -> tuple[str, dict]:
    """The public story page's charts section, and the rows of both canned queries as JSON."""
    ds = make_datasette(str(folder / "public.db"))
    soup = BeautifulSoup(get(ds, f"/stories/{slug}").text, "html.parser")
    section = str(soup.select_one("#spread"))
    rows = {}
    for name in ("coverage_over_time", "claims_over_time"):
        link = soup.select_one(f'a[href*="/public/{name}.json"]')
        assert link, name
        rows[name] = get(ds, link["href"]).json()
    return section, rows


def test_public_rows_are_the_editors_when_everything_is_published(db, db_path, newsroom, tmp_path):
    publish(db, tmp_path / "public.db")
    section, rows = public_charts(tmp_path)
    found = data.story_charts(db, newsroom["story"]["id"])
    assert rows["coverage_over_time"] == found.coverage
    assert rows["claims_over_time"] == found.claims
    soup = BeautifulSoup(section, "html.parser")
    assert soup.select_one("figure.chart-figure--coverage svg[role=img]") and "unit=hour" in section
    csv_link = soup.select_one('a[href*="coverage_over_time.csv"]')["href"]
    csv = get(make_datasette(str(tmp_path / "public.db")), csv_link).text.splitlines()
    assert csv[0] == "bucket,outlet,kind,items,unit" and len(csv) == 1 + len(found.coverage)


def _story_at(db, editor, slug: str, times: list[datetime]) -> int:
    """A story whose items appeared at `times`, each first reported then and cited by a published claim, ruled now."""
    story = stories.create_story(db, slug, slug)
    for n, when in enumerate(times):
        item = coverage.upsert_item(
            db, story["id"], f"https://{slug}.example/{n}", outlet=f"Ledger {n % 2}", published_at=format_time(when)
        )
        revision, _ = coverage.add_revision(db, item, f"Acme said batch {n} overheats.")
        claim_id = claims.log_claim(
            db, story["id"], f"Batch {n} overheats", "Acme", "organization", editor, first_reported_at=format_time(when)
        )
        evidence = claims.add_evidence(db, claim_id, revision, f"batch {n} overheats", "supports", editor)
        if n % 2 == 0:
            current = claims.get_claim(db, claim_id)
            claims.set_status(
                db, claim_id, "confirmed", editor, "why", current["version"], "why", evidence_ids=[evidence]
            )
        claims.set_published(db, claim_id, True, editor, claims.get_claim(db, claim_id)["version"])
    db.conn.commit()
    return story["id"]


def test_stories_of_minutes_hours_and_months_draw_their_charts_from_the_units_counted(db, accounts, tmp_path):
    """Every unit was counted for every story at publish: a story of months got a row per minute of its coverage
    (most of the count tables, and a third of a publish at 100,000 claims) for a chart drawn in weeks. Only the
    units its span can be drawn in are finer than a day; day (the queries' default) and week are always there."""
    editor = accounts["editor"]
    now = datetime.now(UTC)
    made = {
        "acme-kettles": build(db, editor)["story"]["id"],  # about a day: hours
        "minutes-old": _story_at(db, editor, "minutes-old", [now - timedelta(minutes=m) for m in (30, 12, 2)]),
        "months-old": _story_at(db, editor, "months-old", [now - timedelta(days=d) for d in (95, 40, 3)]),
    }
    publish(db, tmp_path / "public.db")
    units = {}
    for slug, story_id in made.items():
        section, rows = public_charts(tmp_path, slug)
        found = data.story_charts(db, story_id)
        units[slug] = found.unit.name
        soup = BeautifulSoup(section, "html.parser")
        for key in ("coverage", "claims"):
            assert soup.select_one(f"figure.chart-figure--{key} svg[role=img]"), (slug, key)
        assert f"unit={found.unit.name}" in section, slug
        assert rows["coverage_over_time"] == found.coverage and found.coverage, slug
        assert rows["claims_over_time"] == found.claims and found.claims, slug
    assert units == {"acme-kettles": "hour", "minutes-old": "minute", "months-old": "week"}
    conn = sqlite3.connect(tmp_path / "public.db")
    for table in ("coverage_counts", "claim_status_counts"):
        stored = {}
        for slug, unit in conn.execute(f"SELECT DISTINCT story, unit FROM {table}"):
            stored.setdefault(slug, set()).add(unit)
        assert stored == {
            "acme-kettles": {"hour", "day", "week"},
            "minutes-old": {"minute", "hour", "day", "week"},
            "months-old": {"day", "week"},
        }, table
    conn.close()


def test_the_story_page_reads_its_span_counted_at_publish_and_an_older_file_s_from_its_rows(
    db, accounts, newsroom, tmp_path
):
    """The story page found the span its charts are drawn over with a query over all the story's coverage,
    claims and rulings on every view (0.17 s at 100,000 claims): it is counted at publish, beside the chart
    rows, and a public file from before that is still read the old way."""
    publish(db, tmp_path / "public.db")
    conn = sqlite3.connect(tmp_path / "public.db")
    first, last = conn.execute("SELECT first, last FROM story_spans WHERE story = 'acme-kettles'").fetchone()
    span = conn.execute(
        """SELECT min(at), max(at) FROM (
               SELECT published_at AS at FROM coverage WHERE story = 'acme-kettles'
               UNION ALL SELECT first_reported_at FROM claims WHERE story = 'acme-kettles'
               UNION ALL SELECT h.at FROM status_history h JOIN claims c ON c.id = h.claim_id
                         WHERE c.story = 'acme-kettles')"""
    ).fetchone()
    assert (first, last) == span and first < last
    section, _ = public_charts(tmp_path)
    assert "unit=hour" in section
    # The page draws the span it is given: one of months is drawn in weeks.
    conn.execute("UPDATE story_spans SET first = '2020-01-01T00:00:00Z' WHERE story = 'acme-kettles'")
    conn.commit()
    section, _ = public_charts(tmp_path)
    assert "unit=week" in section
    conn.execute("DROP TABLE story_spans")
    conn.commit()
    conn.close()
    section, _ = public_charts(tmp_path)
    assert "unit=hour" in section and "<svg" in section


def test_a_planted_unpublished_claim_and_private_coverage_never_change_the_public_chart(
    db, accounts, newsroom, tmp_path
):
    editor = accounts["editor"]
    publish(db, tmp_path / "public.db")
    before = public_charts(tmp_path)
    story_id = newsroom["story"]["id"]
    # Private coverage: a new item nobody's published claim cites, and an unpublished claim citing it, ruled on.
    hidden = coverage.upsert_item(
        db, story_id, "https://leak.example/x", outlet="Secret Source Weekly", published_at=at(25 * 60)
    )
    revision, _ = coverage.add_revision(db, hidden, "An insider said the recall is planned for Friday.")
    planted = claims.log_claim(db, story_id, "A recall is planned for Friday", "An insider", "anonymous", editor)
    evidence = claims.add_evidence(db, planted, revision, "the recall is planned for Friday", "supports", editor)
    current = claims.get_claim(db, planted)
    claims.set_status(db, planted, "confirmed", editor, "two sources", current["version"], "", evidence_ids=[evidence])
    # A published claim citing it too would publish the item; an unpublished one must not.
    coverage.upsert_item(db, story_id, "https://news.example/uncited", outlet="Example Ledger")
    db.conn.commit()
    publish(db, tmp_path / "public.db")
    after = public_charts(tmp_path)
    assert after == before
    assert "Secret Source Weekly" not in after[0] and "Secret Source Weekly" not in str(after[1])
    # The editor's chart does change: the newsroom sees everything it holds.
    editor_rows = data.story_charts(db, story_id).coverage
    assert any(r["outlet"] == "Secret Source Weekly" for r in editor_rows)


def test_story_charts_for_the_dashboard_are_two_figures(db, newsroom):
    figures = story_charts(db, newsroom["story"]["id"])
    assert len(figures) == 2 and all('role="img"' in str(f) for f in figures)


def test_an_empty_story_draws_no_bars_and_says_so(db):
    story = stories.create_story(db, "empty", "Empty")
    found = data.story_charts(db, story["id"])
    chart = render.coverage_chart(found.coverage, found.unit.name, "e")
    assert chart.empty and chart.summary == "No coverage yet." and "<svg" not in str(render.figure(chart))


@pytest.mark.parametrize(
    "stamp",
    ["2026-12-03T10:04:59Z", "2026-11-30T00:00:00Z", "2026-12-06T23:59:59Z", "2027-01-01T00:00:00Z"],
)
@pytest.mark.parametrize("unit", buckets.UNITS, ids=lambda u: u.name)
def test_sql_buckets_match_python_buckets(stamp, unit):
    conn = sqlite3.connect(":memory:")
    (in_sql,) = conn.execute(
        "SELECT " + buckets.BUCKET_SQL.format(col=":t"), {"unit": unit.name, "t": stamp}
    ).fetchone()
    assert in_sql == buckets.bucket_key(unit.floor(buckets.parse(stamp)))


def test_the_canned_queries_bucket_with_the_same_sql_as_the_editor():
    queries = load_metadata()["databases"]["public"]["queries"]
    assert "from coverage_counts" in queries["coverage_over_time"]["sql"]
    # Each story's finest unit counted from the rows, each coarser one from the unit below it.
    build = "\n".join(PUBLIC_TABLES["coverage_counts"].prepare)
    for unit, col in (("u.finest", "c.published_at"), ("'hour'", "bucket"), ("'day'", "bucket"), ("'week'", "bucket")):
        assert buckets.BUCKET_SQL.replace(":unit", unit).format(col=col) in build, unit
    # The claims chart's rows are counted at publish, per unit, with the same expression.
    assert "from claim_status_counts" in queries["claims_over_time"]["sql"]
    build = "\n".join(PUBLIC_TABLES["claim_status_counts"].prepare)
    for unit, col in (
        ("u.finest", "h.at"),
        ("u.finest", "c.at"),
        ("'hour'", "bucket"),
        ("'day'", "bucket"),
        ("'week'", "bucket"),
    ):
        assert buckets.BUCKET_SQL.replace(":unit", unit).format(col=col) in build, unit


@pytest.mark.parametrize("css", ["tracker/editor/static/editor.css", "tracker/public/static/public.css"])
def test_chart_status_colours_are_the_sites(css):
    text = (ROOT / css).read_text(encoding="utf-8")
    for status, colour in render.STATUS_COLOURS.items():
        assert re.search(rf"--{status}:\s*{colour};", text), (css, status)


def _contrast(one: str, two: str) -> float:
    def luminance(colour: str) -> float:
        channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    high, low = sorted((luminance(one), luminance(two)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_every_bar_colour_stands_out_from_the_paper():
    """WCAG's non-text contrast, 3:1 for the parts of a graphic (syndicated copies were drawn at 2.5:1)."""
    fills = [
        *render.STATUS_COLOURS.values(),
        *render.OUTLET_COLOURS,
        render.OTHER_COLOUR,
        render.STATEMENT_COLOUR,
        render.COPY_COLOUR,
    ]
    assert {c: round(_contrast(c, render.PAPER), 2) for c in fills if _contrast(c, render.PAPER) < 3} == {}


def test_units_follow_the_span():
    assert buckets.choose_unit("2026-12-03T10:00:00Z", "2026-12-03T10:30:00Z").name == "minute"
    assert buckets.choose_unit("2026-12-03T10:00:00Z", "2026-12-04T09:00:00Z").name == "hour"
    assert buckets.choose_unit("2026-11-01T10:00:00Z", "2026-12-04T09:00:00Z").name == "day"
    assert buckets.choose_unit("2025-01-01T10:00:00Z", "2026-12-04T09:00:00Z").name == "week"


def test_the_summary_read_aloud_counts_in_words_that_agree():
    rows = [{"bucket": "2026-11-24T00:00:00Z", "kind": "report", "outlet": "Example Tech Daily", "items": 1}]
    chart = render.coverage_chart(rows, "day", "t-one", scope="coverage our published claims cite")
    assert chart.summary.startswith("1 item of coverage our published claims cite at 24 Nov UTC: ")
    assert "1 independent report from 1 outlet. Busiest day: 24 Nov, 1 item." in chart.summary
    rows.append({"bucket": "2026-11-24T00:00:00Z", "kind": "copy", "outlet": "Wire", "items": 2})
    chart = render.coverage_chart(rows, "day", "t-two", scope="coverage")
    assert chart.summary.startswith("3 items of coverage") and "2 syndicated copies" in chart.summary
    one = [{"bucket": "2026-11-24T00:00:00Z", "confirmed": 0, "denied": 0, "unclear": 0, "unreviewed": 1}]
    chart = render.claims_chart(one, "day", "t-claim", scope="published claims")
    assert chart.summary.startswith("1 published claim by the end of 24 Nov UTC: 1 not yet reviewed.")
    assert render.claims_chart(one, "day", "t-claim").summary.startswith("1 claim by the end of")


def test_a_story_of_ten_thousand_claims_reads_its_numbers_with_thousands_separated():
    rows = [
        {"bucket": "2026-11-24T00:00:00Z", "confirmed": 0, "denied": 0, "unclear": 0, "unreviewed": 2500},
        {"bucket": "2026-11-25T00:00:00Z", "confirmed": 4000, "denied": 2000, "unclear": 2000, "unreviewed": 2000},
    ]
    chart = render.claims_chart(rows, "day", "t-many")
    assert chart.summary.startswith("10,000 claims by the end of 25 Nov UTC: 4,000 confirmed, 2,000 denied, ")
    for shape in render.SHAPES:
        ticks = [
            t.text
            for t in etree.fromstring(chart.svg[shape]).iterfind(f".//{SVG}g[@class='axis y always_show']//{SVG}text")
        ]
        assert "10,000" in ticks and "10000" not in ticks, ticks
    table = BeautifulSoup(str(render.figure(chart)), "html.parser")
    assert [td.get_text() for td in table.select("tbody tr")[-1].select("td.num")] == [
        "4,000",
        "2,000",
        "2,000",
        "2,000",
    ]
    coverage_rows = [{"bucket": "2026-11-24T00:00:00Z", "kind": "report", "outlet": "Wire", "items": 12345}]
    assert render.coverage_chart(coverage_rows, "day", "t-c").summary.startswith("12,345 items of coverage at ")


@pytest.mark.parametrize("weeks", [10, 49, 120, 400])
def test_no_bar_is_whitened_by_its_outline_however_many_bars(weeks):
    """An article cited from years before the story draws up to 480 weekly bars: a white outline one unit wide on
    bars a unit or two wide washed every colour out to white, and the chart read as empty."""
    start = datetime(2020, 1, 6, tzinfo=UTC)
    rows = [
        {
            "bucket": buckets.bucket_key(start + timedelta(weeks=i)),
            "confirmed": i,
            "denied": 1,
            "unclear": 2,
            "unreviewed": 1,
        }  # fmt: skip
        for i in range(weeks)
    ]
    chart = render.claims_chart(rows, "week", "t-thin")
    for shape in render.SHAPES:
        bars = etree.fromstring(chart.svg[shape]).xpath(BARS)
        assert len(bars) == 4 * weeks
        for bar in bars:
            assert float(bar.get("stroke-width", 0)) <= float(bar.get("width")) / 6, (shape, bar.attrib)
    wide = etree.fromstring(render.claims_chart(rows[:10], "week", "t-wide").svg["wide"])
    assert all(bar.get("stroke") for bar in wide.xpath(BARS))


def test_an_outlet_name_with_a_control_character_still_draws():
    """XML cannot hold most control characters: an outlet typed or scraped with one (a vertical tab pasted into a
    post's network) made the story page a 500 for every reader, where the SVG named the series."""
    rows = [
        {"bucket": "2026-11-24T00:00:00Z", "kind": "report", "outlet": "Example\x0bTech\x00 Daily", "items": 2},
        {"bucket": "2026-11-25T00:00:00Z", "kind": "statement", "outlet": "Acme\x0c Press", "items": 1},
    ]
    chart = render.coverage_chart(rows, "day", "t-controls", scope="coverage")
    page = str(render.figure(chart))
    assert "Example Tech  Daily" in page and "Statements (Acme  Press)" in page
    for svg in re.findall(r"<svg.*?</svg>", page, re.S):
        etree.fromstring(svg.encode())


def test_an_item_dated_years_before_the_story_keeps_the_dashboard_and_its_latest_weeks(client, auth, db, newsroom):
    """An article from 2014 cited in a story of today: more weeks than a chart draws (10 * MAX_BUCKETS).
    The series stopped at the cap from the first week and the latest rows had no bar: a KeyError, a 500
    on the dashboard. The chart now shows the latest weeks, with the claims' totals carried into them."""
    old = coverage.upsert_item(
        db,
        newsroom["story"]["id"],
        "https://news.example/2014",
        outlet="Old Paper",
        published_at="2014-03-01T10:00:00Z",
    )
    coverage.add_revision(db, old, "Acme said in 2014 that its kettles were tested.")
    claims.log_claim(db, newsroom["story"]["id"], "Acme tested kettles", "Acme", "organization", None,
                     first_reported_at="2014-03-01T10:00:00Z")  # fmt: skip
    db.conn.commit()
    auth.login("reporter")
    response = client.get("/stories/acme-kettles/dashboard")
    assert response.status_code == 200
    found = data.story_charts(db, newsroom["story"]["id"])
    assert found.unit.name == "week"
    cover = render.coverage_chart(found.coverage, found.unit.name, "t-cov", span=found.span)
    assert len(cover.buckets) == 10 * buckets.MAX_BUCKETS + 1
    # The chart ends at the story's last week (a claim logged today: this week), and the latest coverage is drawn.
    # (On a Monday the items, dated a day ago, fall in the week before the last bar.)
    assert cover.buckets[-1] == buckets.bucket_key(found.unit.floor(buckets.parse(found.span[1])))
    assert max(r["bucket"] for r in found.coverage) in cover.buckets
    assert sum(sum(s.values) for s in cover.series) == len(ITEMS)  # the 2014 item is before the bars
    assert sum(r[-1] for r in cover.rows) == len(ITEMS) + 1  # and still in the table
    chart = render.claims_chart(found.claims, found.unit.name, "t-claims", span=found.span)
    totals = dict(db.execute("SELECT status, count(*) FROM claims WHERE story_id = ? GROUP BY status",
                             [newsroom["story"]["id"]]))  # fmt: skip
    assert {s.key: s.values[-1] for s in chart.series} == totals
    assert {s.key: s.values[0] for s in chart.series}["unreviewed"] == 1  # 2014's claim, carried in


@pytest.mark.parametrize("unit_name,days", [("day", 12), ("day", 31), ("hour", 2)])
def test_x_labels_are_spaced_so_their_words_never_run_together(unit_name, days):
    # "24 Nov26 Nov28 Nov": labels closer than their own width read as one run of words.
    start = datetime(2026, 11, 24, tzinfo=UTC)
    step = timedelta(days=1) if unit_name == "day" else timedelta(hours=1)
    count = days if unit_name == "day" else days * 24
    rows = [
        {"bucket": (start + i * step).strftime("%Y-%m-%dT%H:00:00Z"), "outlet": "Ledger", "kind": "report", "items": 1}
        for i in range(count)
    ]
    chart = render.coverage_chart(rows, unit_name, "t-spacing")
    for shape in ("wide", "narrow"):
        svg = etree.fromstring(chart.svg[shape].encode("utf-8"))
        x_axis = next(g for g in svg.iter(f"{SVG}g") if (g.get("class") or "").startswith("axis x"))
        labels = [t for t in x_axis.iter(f"{SVG}text") if t.getparent().get("class") == "guides" and t.text]
        xs = [float(t.get("x")) for t in labels]
        assert len(labels) >= 3, shape
        # 13-unit type: a character is at most about 8 units wide; a space's worth of gap between labels.
        widest = max(len(t.text) for t in labels) * 8 + 8
        assert min(b - a for a, b in zip(xs, xs[1:], strict=False)) >= widest, (shape, [t.text for t in labels])


def test_the_summary_counts_what_the_bars_show_and_names_items_dated_before_the_chart_begins():
    # An article from years before the story, cited: the axis keeps the story's end, the old item stays in the table.
    rows = [{"bucket": "2010-01-04T00:00:00Z", "outlet": "Old Times", "kind": "report", "items": 2}] + [
        {"bucket": f"2026-11-{day:02d}T00:00:00Z", "outlet": "Ledger", "kind": "report", "items": 1}
        for day in (2, 9, 16)
    ]
    chart = render.coverage_chart(rows, "week", "t-earlier")
    assert "2010-01-04T00:00:00Z" not in chart.buckets
    assert chart.summary.startswith("3 items of coverage from ")
    assert "3 independent reports from 1 outlet" in chart.summary
    assert chart.summary.endswith("2 earlier items, dated before the chart begins, are in the table.")
    assert sum(1 for row in chart.rows if row[1] == "Old Times") == 1


def test_a_chart_across_new_year_labels_its_days_with_their_years():
    rows = [
        {"bucket": bucket, "outlet": "Ledger", "kind": "report", "items": 1}
        for bucket in ("2026-12-28T00:00:00Z", "2026-12-30T00:00:00Z", "2027-01-03T00:00:00Z")
    ]
    chart = render.coverage_chart(rows, "day", "t-new-year")
    assert chart.summary.startswith("3 items of coverage from 28 Dec 2026 to 3 Jan 2027 UTC")
    assert [row[0] for row in chart.rows] == ["28 Dec 2026", "30 Dec 2026", "3 Jan 2027"]
    svg = etree.fromstring(chart.svg["wide"].encode("utf-8"))
    x_axis = next(g for g in svg.iter(f"{SVG}g") if (g.get("class") or "").startswith("axis x"))
    assert "3 Jan 2027" in [t.text for t in x_axis.iter(f"{SVG}text")]
    # Within one year the labels stay short.
    same_year = render.coverage_chart(rows[:2], "day", "t-december")
    assert [row[0] for row in same_year.rows] == ["28 Dec", "30 Dec"]


def test_reports_from_an_item_with_no_outlet_are_drawn_as_bars(db, story):
    """A saved file ingested with no site name has no outlet: the chart named it "Unknown outlet" but matched its
    rows against that name, so its bars were all zero while the summary and the table counted it."""
    for n, outlet in enumerate((None, None, "Ledger 1", "Ledger 2", "Ledger 3", "Ledger 4", "Ledger 5", "Ledger 6")):
        coverage.upsert_item(db, story["id"], f"file:///saved/{n}.html", outlet=outlet, published_at=at(10 * n))
    db.conn.commit()
    found = data.story_charts(db, story["id"])
    chart = render.coverage_chart(found.coverage, found.unit.name, "t-unknown", span=found.span)
    drawn = {s.key: sum(s.values) for s in chart.series}
    assert drawn["Unknown outlet"] == 2 and sum(drawn.values()) == 8
    assert chart.summary.startswith("8 items of coverage")
    svg = etree.fromstring(chart.svg["wide"].encode("utf-8"))
    assert sum(series_values(svg)["Unknown outlet"]) == 2
    # With more outlets than colours, an unnamed one among the rest is drawn in "Other outlets".
    rows = [{"bucket": "2026-11-24T00:00:00Z", "outlet": f"Ledger {n}", "kind": "report", "items": 3} for n in range(5)]
    rows.append({"bucket": "2026-11-25T00:00:00Z", "outlet": "", "kind": "report", "items": 1})
    chart = render.coverage_chart(rows, "day", "t-other")
    assert {s.key: sum(s.values) for s in chart.series}["other"] == 1


def test_axis_labels_are_anchored_as_pygal_lays_them_out(db, newsroom):
    """pygal places an x label at its bar's centre, a y label at the axis and the axis titles at their middle, and
    anchors them with its stylesheet, which the CSP takes out: without the anchor each label began there instead,
    so "4 Dec 13:00" read under the bars to the right of its own and the y numbers ran into the first bar."""
    found = data.story_charts(db, newsroom["story"]["id"])
    for chart in (
        render.coverage_chart(found.coverage, found.unit.name, "t-cov", span=found.span),
        render.claims_chart(found.claims, found.unit.name, "t-claims", span=found.span),
    ):
        for shape in ("wide", "narrow"):
            svg = etree.fromstring(chart.svg[shape].encode("utf-8"))
            axes = {
                (g.get("class") or "").split()[1]: g
                for g in svg.iter(f"{SVG}g")
                if g.get("class", "").startswith("axis ")
            }
            x_labels = [t for t in axes["x"].iter(f"{SVG}text") if t.text]
            y_labels = [t for t in axes["y"].iter(f"{SVG}text") if t.text]
            titles = [t for t in svg.iter(f"{SVG}text") if t.get("class") == "title"]
            assert x_labels and y_labels and len(titles) == 2
            assert {t.get("text-anchor") for t in x_labels} == {"middle"}, shape
            assert {t.get("text-anchor") for t in y_labels} == {"end"}, shape
            assert {t.get("text-anchor") for t in titles} == {"middle"}, shape


def test_a_chart_in_minutes_says_which_day_in_its_summary_and_table(db, story):
    """A story minutes old (or one item alone) is charted per minute: its summary read "from 10:00 to 10:00 UTC" and
    its table "10:00", with no day anywhere, for a story that may be days or years old when read."""
    coverage.upsert_item(
        db, story["id"], "https://news.example/one", outlet="Ledger", published_at="2014-03-01T10:00:00Z"
    )
    db.conn.commit()
    found = data.story_charts(db, story["id"])
    assert found.unit.name == "minute"
    chart = render.coverage_chart(found.coverage, found.unit.name, "t-minute", span=found.span)
    assert chart.summary.startswith("1 item of coverage at 1 Mar 10:00 UTC: ")  # not "from 10:00 to 10:00"
    assert chart.rows[0][0] == "1 Mar 10:00"
    narrow = etree.fromstring(chart.svg["narrow"].encode("utf-8"))
    x_axis = next(g for g in narrow.iter(f"{SVG}g") if (g.get("class") or "").startswith("axis x"))
    assert [t.text for t in x_axis.iter(f"{SVG}text") if t.text] == ["10:00"]  # a phone's axis stays short


def _one_cluster_newest_first(db, slug: str, count: int) -> int:
    """A story whose `count` items are all copies of one text, stored newest first (as a feed lists them)."""
    story = stories.create_story(db, slug, slug)
    start = datetime(2026, 11, 2, tzinfo=UTC)
    db.conn.executemany(
        """INSERT INTO coverage (story_id, kind, canonical_url, outlet, published_at, first_seen_at)
           VALUES (?, 'article', ?, ?, ?, ?)""",
        [
            (story["id"], f"https://{slug}.example/{n}", f"Outlet {n % 7}", at_, format_time(start))
            for n in range(count)
            for at_ in [format_time(start - timedelta(seconds=30 * (n + 1)))]
        ],
    )
    db.execute("UPDATE coverage SET cluster_id = (SELECT min(id) FROM coverage WHERE story_id = ?) WHERE story_id = ?",
               [story["id"], story["id"]])  # fmt: skip
    db.conn.commit()
    return story["id"]


def test_the_editors_coverage_rows_cost_grows_with_the_items_not_with_their_square(db):
    """Whether an item is a copy was asked of every other member of its cluster: a story whose 5,000 items are one
    wire text, stored newest first, took 2.2 s of SQL per dashboard load (twice the items, four times the work).
    The work is counted in SQLite's own steps, not timed."""
    steps = []
    for slug, count in (("wire-small", 400), ("wire-large", 1600)):
        story_id = _one_cluster_newest_first(db, slug, count)
        counted = [0]

        def step(counted=counted) -> int:
            counted[0] += 1
            return 0

        db.conn.set_progress_handler(step, 100)
        found = data.story_charts(db, story_id)
        db.conn.set_progress_handler(None, 100)
        kinds = {}
        for r in found.coverage:
            kinds[r["kind"]] = kinds.get(r["kind"], 0) + r["items"]
        assert kinds == {"report": 1, "copy": count - 1}  # the earliest is the original, stored last
        steps.append(counted[0])
    assert steps[1] < 6 * steps[0], steps  # four times the items: about four times the steps, not sixteen


def _public_file_of_one_story(tmp_path: Path, claims_count: int) -> Path:
    """A public file (bench/public.py's builder, then a real publish) whose every claim is in one story."""
    from bench.public import generate

    source = tmp_path / f"work-{claims_count}.db"
    generate(source, claims=claims_count, coverage_rows=claims_count)
    conn = sqlite3.connect(source, isolation_level=None)
    conn.execute("UPDATE claims SET story_id = 1")
    conn.execute("UPDATE coverage SET story_id = 1")
    conn.close()
    out = tmp_path / f"site-{claims_count}" / "public.db"
    out.parent.mkdir()
    work = connect(source)
    try:
        publish(work, out)
    finally:
        work.close()
    return out


def test_the_public_claims_chart_query_costs_steps_by_bucket_not_by_claim(tmp_path):
    """Counted per request, the chart's rows took 0.44-0.86 s for a story of 100,000 ruled claims, past the site's
    500 ms limit, so the chart and its data links answered 400. Four times the claims over the same days must
    cost about the same SQLite steps (counted, not timed), and give each day's running totals of all the claims."""
    sql = load_metadata()["databases"]["public"]["queries"]["claims_over_time"]["sql"]
    steps, days = [], []
    for claims_count in (500, 2000):
        conn = sqlite3.connect(_public_file_of_one_story(tmp_path, claims_count))
        counted = [0]

        def step(counted=counted) -> int:
            counted[0] += 1
            return 0

        conn.set_progress_handler(step, 100)
        rows = conn.execute(sql, {"story": "bench-story-1", "unit": "day"}).fetchall()
        conn.set_progress_handler(None, 100)
        assert sum(rows[-1][1:5]) == claims_count  # every published claim stands at one status at the end
        statuses = conn.execute("SELECT status, count(*) FROM claims GROUP BY status").fetchall()
        assert dict(zip(("confirmed", "denied", "unclear", "unreviewed"), rows[-1][1:])) == dict(statuses)
        conn.close()
        steps.append(counted[0])
        days.append(len(rows))
    assert days[1] < 2 * days[0], days
    assert steps[1] < 2 * steps[0], steps  # the same days: about the same steps, not four times them


def test_a_chart_with_more_rows_than_a_query_answers_says_so_and_links_every_row(tmp_path):
    """ "The same rows as data" under a chart of 596 rows gave 500 of them (max_returned_rows) without a word. The
    JSON link now says it is cut and where, and the CSV link gives every row the chart counts."""
    public = _public_file_of_one_story(tmp_path, 1500)
    ds = make_datasette(str(public))
    soup = BeautifulSoup(get(ds, "/stories/bench-story-1").text, "html.parser")
    links = soup.select("figure.chart-figure--coverage .chart-downloads a")
    chart_rows = soup.select("figure.chart-figure--coverage .chart-table tbody tr")
    assert len(chart_rows) > 500, len(chart_rows)
    json_link, csv_link = links
    assert json_link.get_text() == f"JSON (only the first 500 of its {len(chart_rows):,} rows)"
    assert len(get(ds, json_link["href"]).json()) == 500
    assert csv_link.get_text() == f"CSV (all {len(chart_rows):,} rows)"
    csv = get(ds, csv_link["href"]).text.splitlines()
    assert csv[0].endswith("bucket,outlet,kind,items,unit") and len(csv) == 1 + len(chart_rows)
    assert sum(int(line.split(",")[-2]) for line in csv[1:]) == sum(
        int(r.select("td")[-1].get_text().replace(",", "")) for r in chart_rows
    )
    # The claims chart, within the limit, keeps its plain links to the query's rows.
    assert [a.get_text() for a in soup.select("figure.chart-figure--claims .chart-downloads a")] == ["JSON", "CSV"]


def test_an_hourly_chart_of_a_five_day_story_has_rows_and_a_unit_too_fine_answers_the_finest_counted(
    db, accounts, tmp_path
):
    """Minutes and hours were counted only for a story whose chart is drawn in them (under about two days), so
    `unit=hour` on a five-day story answered no rows: an empty chart with no reason. A unit is now counted for
    every story whose span holds at most buckets.COUNTED_BUCKETS of it (a five-day story: 120 hours), and a unit
    finer than that answers the finest one counted, its rows saying which (their `unit` column)."""
    editor = accounts["editor"]
    now = datetime.now(UTC)
    made = {
        "five-days": _story_at(db, editor, "five-days", [now - timedelta(days=d) for d in (5, 3, 0.05)]),
        "months-old": _story_at(db, editor, "months-old", [now - timedelta(days=d) for d in (95, 40, 3)]),
    }
    publish(db, tmp_path / "public.db")
    ds = make_datasette(str(tmp_path / "public.db"))

    def answer(query: str, slug: str, unit: str) -> list[dict]:
        response = get(ds, f"/public/{query}.json?story={slug}&unit={unit}&_shape=array")
        assert response.status_code == 200, response.text
        return response.json()

    for slug, asked, given in (
        ("five-days", "hour", "hour"),
        ("five-days", "minute", "hour"),
        ("months-old", "hour", "day"),
        ("months-old", "minute", "day"),
        ("months-old", "week", "week"),
    ):
        params = {"story": made[slug], "unit": given}
        for query, sql in (("coverage_over_time", data.COVERAGE_SQL), ("claims_over_time", data.CLAIMS_SQL)):
            found = answer(query, slug, asked)
            assert found, (slug, asked, query)
            assert found == rows(db, sql, params), (slug, asked, query)
            assert {r["unit"] for r in found} == {given}, (slug, asked, query)
    # Bounded: a story is counted by the hour over at most COUNTED_BUCKETS hours, and one of months not at all.
    conn = sqlite3.connect(tmp_path / "public.db")
    for table in ("coverage_counts", "claim_status_counts"):
        sql = f"SELECT story, count(DISTINCT bucket) FROM {table} WHERE unit = 'hour' GROUP BY 1"
        counted = dict(conn.execute(sql))
        assert set(counted) == {"five-days"} and counted["five-days"] <= buckets.COUNTED_BUCKETS + 1, table
    conn.close()


def test_an_outlet_keeps_its_colour_as_the_story_grows():
    """Colours went by the count of reports: when one outlet overtook another, the two swapped colours and places
    between two reloads of a live story's chart. The outlets shown are still those with most reports; each keeps its
    colour and place from the period of its first report on (outlets first reported in the same period by name), so
    an outlet reporting later takes the next colour rather than another's."""

    def colours(rows: list[dict]) -> dict[str, str]:
        chart = render.coverage_chart(rows, "minute", "c", span=("2026-12-05T23:45:00Z", "2026-12-05T23:47:00Z"))
        return {s.label: s.colour for s in chart.series}

    first = [{"bucket": "2026-12-05T23:45:00Z", "outlet": "The Lantern Ledger", "kind": "report", "items": 1}]
    later = first + [
        {"bucket": "2026-12-05T23:46:00Z", "outlet": "Kestrel Wire", "kind": "report", "items": 1},
        {"bucket": "2026-12-05T23:47:00Z", "outlet": "Kestrel Wire", "kind": "report", "items": 2},
    ]
    before, after = colours(first), colours(later)
    assert after["The Lantern Ledger"] == before["The Lantern Ledger"] == render.OUTLET_COLOURS[0]
    assert after["Kestrel Wire"] == render.OUTLET_COLOURS[1]


def _kept_is_fresh(db, story_id: int) -> data.StoryCharts:
    kept, fresh = data.kept_story_charts(db, story_id), data.story_charts(db, story_id)
    assert kept == fresh
    return kept


def test_the_dashboard_s_kept_rows_equal_a_fresh_count_after_every_kind_of_change(db, db_path, accounts, newsroom):
    """Each write the charts count changes the rows kept for the dashboard; none leaves a stale count behind."""
    editor = accounts["editor"]
    story = newsroom["story"]["id"]
    other = stories.create_story(db, "other-story", "Another story")["id"]
    db.conn.commit()
    writer = connect(db_path)  # another server process or `watch`: its writes reach this one only through the file

    def changes(write) -> None:
        before = (_kept_is_fresh(db, story), _kept_is_fresh(db, other))
        write()
        writer.conn.commit()
        assert (_kept_is_fresh(db, story), _kept_is_fresh(db, other)) != before

    def new_item():
        coverage.upsert_item(writer, story, "https://news.example/new", outlet="New Daily", published_at=at(300))

    def redated_item():
        writer.execute(
            "UPDATE coverage SET published_at = ? WHERE canonical_url = 'https://news.example/new'", [at(200)]
        )

    def new_claim():
        claims.log_claim(writer, story, "A new claim", "Acme", "organization", editor)

    def ruling():
        claim_id = newsroom["claims"][5][0]
        claims.set_status(writer, claim_id, "denied", editor, "why", claims.get_claim(writer, claim_id)["version"])

    def moved_claim():
        writer.execute("UPDATE claims SET story_id = ? WHERE id = ?", [other, newsroom["claims"][0][0]])

    def clustered():
        items = newsroom["items"]
        writer.execute("UPDATE coverage SET cluster_id = ? WHERE id IN (?, ?)", [items[0], items[0], items[1]])

    def item_moved():
        writer.execute("UPDATE coverage SET story_id = ? WHERE canonical_url = 'https://news.example/new'", [other])

    def item_deleted():
        writer.execute("DELETE FROM coverage WHERE canonical_url = 'https://news.example/new'")

    def claim_deleted():
        writer.execute("DELETE FROM claims WHERE text = 'A new claim'")

    for write in (new_item, redated_item, new_claim, ruling, moved_claim, clustered, item_moved, item_deleted):
        changes(write)
    changes(claim_deleted)
    writer.close()


def test_an_unchanged_story_reuses_its_kept_rows_and_a_rolled_back_write_leaves_none_behind(db, newsroom):
    story = newsroom["story"]["id"]
    first = _kept_is_fresh(db, story)
    coverage.upsert_item(db, story, "https://news.example/0", title="Item 0")  # a recheck that changes no count
    db.conn.commit()
    assert data.kept_story_charts(db, story) is first  # not counted again
    db.execute("BEGIN")
    db.execute("UPDATE coverage SET kind = 'statement' WHERE id = ?", [newsroom["items"][0]])
    assert _kept_is_fresh(db, story) != first  # counted inside the transaction, as it stood then
    db.conn.rollback()
    assert _kept_is_fresh(db, story) == first


def test_the_rows_kept_stay_within_their_bound(db, newsroom, monkeypatch):
    story = newsroom["story"]["id"]
    size = data.story_charts(db, story).size
    monkeypatch.setattr(data, "KEPT_ROWS", size - 1)
    first = data.kept_story_charts(db, story)
    assert data.kept_story_charts(db, story) is not first  # too big to keep: counted on every view
    monkeypatch.setattr(data, "KEPT_ROWS", size)
    first = data.kept_story_charts(db, story)
    assert data.kept_story_charts(db, story) is first
    assert sum(kept.size for _, kept in data._kept.values()) <= size
