"""A page that gives only its date is published as that date: no 00:00 readers were never told, no other day.

Real pages served on 127.0.0.1, fetched and stored as `ingest URL` does, a real publish and the public site.
"""

from __future__ import annotations

import sqlite3

import pytest
from bs4 import BeautifulSoup

from scrapers.http import Fetcher
from scrapers.timestamps import day_only, within_day
from tests.test_api import Api
from tests.test_public import get
from tracker import claims, users
from tracker.ingest import ingest_targets
from tracker.public import make_datasette
from tracker.publish_log import publish_and_log
from tracker.publish_review import review

PAGE = """<!doctype html><html lang="en"><head><title>{title}</title>
<meta property="og:title" content="{title}">
<meta property="article:published_time" content="{published}">
</head><body><article><h1>{title}</h1><p class="byline">By Ann Writer · Published {written}</p>
<p>Acme said on Friday that {words}, according to a statement the company sent to reporters.</p>
<p>The company gave no further details about the recall and did not answer questions.</p>
</article></body></html>"""


def _page(title: str, published: str, written: str, words: str) -> str:
    return PAGE.format(title=title, published=published, written=written, words=words)


@pytest.fixture
def dated(db, story, accounts, http_server):
    """Two Acme pages: one giving only its day (meta, byline and address agree), one its time; a claim on each."""
    day_url = http_server.route(
        "/2026/12/05/acme-day.html",
        _page("Acme recalls kettles", "2026-12-05", "December 5, 2026", "kettles were recalled"),
    )
    timed_url = http_server.route(
        "/2026/12/05/acme-timed.html",
        _page("Acme recalls toasters", "2026-12-05T07:30:00Z", "December 5, 2026, 07:30", "toasters were recalled"),
    )
    http_server.route("/robots.txt", "", status=404)
    agent = "NewsroomTrackerTests/1.0 (+https://tracker.example/contact)"
    with Fetcher(agent, allow_private=True, min_interval=0) as f:
        result = ingest_targets(db, story["slug"], [day_url, timed_url], fetcher=f)
    assert result.counts["new"] == 2
    reporter, editor = accounts["reporter"], accounts["editor"]
    ids = {}
    for name, url, words in (("day", day_url, "kettles were recalled"), ("timed", timed_url, "toasters were recalled")):
        revision = db.execute(
            "SELECT r.id FROM revisions r JOIN coverage c ON c.id = r.coverage_id WHERE c.canonical_url = ?", [url]
        ).fetchone()[0]
        claim_id = claims.log_claim(db, story["id"], f"Acme said {words}.", "Acme", "organization", reporter)
        claims.add_evidence(db, claim_id, revision, words, "supports", reporter)
        claims.set_published(db, claim_id, True, editor, claims.get_claim(db, claim_id)["version"])
        ids[name] = claim_id
    return {"day": day_url, "timed": timed_url, "claims": ids}


def test_a_page_giving_only_its_day_is_stored_as_that_day(db, dated):
    rows = dict(
        db.execute("SELECT canonical_url, published_precision FROM coverage WHERE canonical_url IN (?, ?)",
                   [dated["day"], dated["timed"]]).fetchall()
    )  # fmt: skip
    assert rows == {dated["day"]: "day", dated["timed"]: None}
    published = db.execute("SELECT published_at FROM coverage WHERE canonical_url = ?", [dated["day"]]).fetchone()[0]
    assert published[:10] == "2026-12-05"  # within its day, wherever we first saw it
    claim = claims.get_claim(db, dated["claims"]["day"])
    assert claim["first_reported_precision"] == "day" and claim["first_reported_at"][:10] == "2026-12-05"
    assert claims.get_claim(db, dated["claims"]["timed"])["first_reported_precision"] is None


def test_the_timeline_shows_a_day_only_report_by_its_date_and_a_timed_one_by_its_time(db, dated, accounts, tmp_path):
    out = tmp_path / "public.db"
    publish_and_log(db, out, accounts["editor"])
    ds = make_datasette(str(out))
    page = BeautifulSoup(get(ds, "/public/timeline").text, "html.parser")
    cards = {
        card.select_one(".card-claim").get_text(strip=True): card for card in page.select("article.card-first_reported")
    }
    day_card = cards["Acme said kettles were recalled."]
    timed_card = cards["Acme said toasters were recalled."]
    assert day_card.select(".card-time") == [] and "00:00" not in day_card.get_text()
    assert timed_card.select_one(".card-time").get_text(strip=True) == "07:30 UTC"
    assert [g.get_text(" ", strip=True) for g in page.select(".rail-date")] == ["Dec 5, 2026 Saturday"]
    # Newest first: the day-only report was seen after 07:30 that day or later, so it is not put at midnight.
    assert [c.select_one(".card-claim").get_text(strip=True) for c in page.select("article.card-first_reported")] == [
        "Acme said kettles were recalled.",
        "Acme said toasters were recalled.",
    ]
    clock = claims.get_claim(db, dated["claims"]["day"])["first_reported_at"][11:16]  # where it stands in the day
    claim_page = get(ds, f"/public/claims/{dated['claims']['day']}").text
    assert "Dec 5, 2026" in claim_page and "00:00 UTC" not in claim_page and f"{clock} UTC" not in claim_page
    assert '<time datetime="2026-12-05">' in claim_page
    story_page = get(ds, f"/stories/{db['stories'].get(1)['slug']}").text
    assert "Dec 5, 2026, 07:30 UTC" in story_page and f"{clock} UTC" not in story_page
    conn = sqlite3.connect(out)
    try:
        precision = dict(conn.execute("SELECT claim_id, date_precision FROM events WHERE kind = 'first_reported'"))
    finally:
        conn.close()
    assert precision == {dated["claims"]["day"]: "day", dated["claims"]["timed"]: None}
    slides = {s["text"]["headline"]: s["start_date"] for s in get(ds, "/public/timeline-js.json").json()["events"]}
    assert slides["Acme said kettles were recalled."]["display_date"] == "Dec 5, 2026"
    assert "display_date" not in slides["Acme said toasters were recalled."]
    conn = sqlite3.connect(out)
    try:
        buckets = conn.execute("SELECT unit, bucket, sum(items) FROM coverage_counts GROUP BY 1, 2").fetchall()
    finally:
        conn.close()
    # Counted by hour, the day-only page is in its day at the hour we first saw it (or the day's last): not hour 00.
    assert ("hour", "2026-12-05T00:00:00Z", 1) not in buckets and ("day", "2026-12-05T00:00:00Z", 2) in buckets
    # Downloads say so too: the events CSV carries the precision beside the date.
    header, *rows = get(ds, "/public/events.csv?_stream=on&kind=first_reported").text.strip().splitlines()
    assert header.split(",")[2:4] == ["date", "date_precision"]
    assert sorted(row.split(",")[3] for row in rows) == ["", "day"]


def test_the_editor_shows_a_day_only_publication_without_a_clock(db, dated, auth, client):
    clock = claims.get_claim(db, dated["claims"]["day"])["first_reported_at"][11:16]
    auth.login("reporter")
    for path in (f"/claims/{dated['claims']['day']}", f"/coverage/{_item(db, dated['day'])}"):
        html = client.get(path).get_data(as_text=True)
        assert "5 Dec 2026" in html, path
        assert "00:00 UTC" not in html and f"{clock} UTC" not in html, path
    timed = client.get(f"/claims/{dated['claims']['timed']}").get_data(as_text=True)
    assert "5 Dec 2026, 07:30 UTC" in timed


def _item(db, url: str) -> int:
    return db.execute("SELECT id FROM coverage WHERE canonical_url = ?", [url]).fetchone()[0]


@pytest.mark.parametrize(
    ("value", "day"),
    [
        ("2026-12-05", "2026-12-05"),
        ("2026-12-05T00:00:00+02:00", "2026-12-05"),  # a CMS's midnight for a date alone: not 4 Dec in UTC
        ("2026-12-05T00:00:00Z", "2026-12-05"),
        ("2026-12-05T00:00", "2026-12-05"),
        ("2026-12-05T07:30:00Z", None),
        ("2026-12-05T00:00:01Z", None),
        ("", None),
        (None, None),
    ],
)
def test_day_only_reads_a_date_or_a_midnight_as_the_day_written(value, day):
    assert day_only(value) == day


def test_within_day_keeps_the_first_seen_time_inside_the_day():
    assert within_day("2026-12-05", "2026-12-05T09:14:00Z") == "2026-12-05T09:14:00Z"
    assert within_day("2026-12-05", "2026-12-07T10:00:00Z") == "2026-12-05T23:59:59Z"
    assert within_day("2026-12-05", "2026-12-04T23:00:00Z") == "2026-12-05T00:00:00Z"


def test_the_api_says_which_dates_are_only_a_day(db, story, dated, client):
    api = Api(client, users.create_token(db, "reporter"))  # every answer checked against the OpenAPI document
    day, timed = dated["claims"]["day"], dated["claims"]["timed"]
    listed = {
        c["id"]: c["first_reported_precision"]
        for c in api.call("GET", f"/stories/{story['slug']}/claims").json["claims"]
    }
    assert listed == {day: "day", timed: None}
    detail = api.call("GET", f"/claims/{day}").json
    assert [e["published_precision"] for e in detail["evidence"]] == ["day"]
    items = api.call("GET", f"/stories/{story['slug']}/coverage").json["coverage"]
    assert {i["url"]: i["published_precision"] for i in items} == {dated["day"]: "day", dated["timed"]: None}


def test_a_development_shown_by_a_day_only_page_keeps_its_date_without_a_clock(db, dated, accounts, auth, client, app):
    """developments.evidence_published_at held a day-only page's stand-in clock with nothing to say it was one:
    readers of the public table and the editor reviewing a publish read a time the page never gave."""
    from tracker import developments

    editor, ids, public = accounts["editor"], {}, app.config["PUBLIC_DB"]
    for name in ("day", "timed"):
        ids[name] = developments.create_development(db, 1, f"Acme will say more ({name}).", editor, expectation="soon")
        version = developments.get_development(db, ids[name])["version"]
        developments.set_development_published(db, ids[name], True, editor, version)
    publish_and_log(db, public, editor)
    for name, dev in ids.items():  # then it happened, as a page shows: a change to what readers already see
        version = developments.get_development(db, dev)["version"]
        developments.set_development_state(
            db, dev, "happened", editor, version, evidence_coverage_id=_item(db, dated[name])
        )
    clock = developments.get_development(db, ids["day"])["evidence_published_at"][11:16]

    auth.login("editor")
    page = BeautifulSoup(client.get("/publish").get_data(as_text=True), "html.parser")
    dates = [
        f.select_one(".value-change").get_text(" ", strip=True)
        for f in page.select(".field-change")
        if f.select_one(".field-name").get_text(strip=True) == "Evidence date"
    ]
    assert dates == ["(empty) → 5 Dec 2026", "(empty) → 5 Dec 2026, 07:30 UTC"]
    assert f"{clock} UTC" not in page.get_text()

    publish_and_log(db, public, editor)
    conn = sqlite3.connect(public)
    try:
        precision = dict(conn.execute("SELECT id, evidence_published_precision FROM developments"))
    finally:
        conn.close()
    assert precision == {ids["day"]: "day", ids["timed"]: None}
    # A public file built before the column was (an upgrade) is rebuilt without any change to review for it.
    conn = sqlite3.connect(public)
    try:
        conn.execute("ALTER TABLE developments DROP COLUMN evidence_published_precision")
        conn.commit()
    finally:
        conn.close()
    assert [c for c in review(db, public).changes if c.item == "development"] == []
