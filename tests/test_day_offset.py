"""A report is shown on the day its outlet printed, not the UTC day: 23:30 in New York is still 7 December.

The instant is stored in UTC, and everything is ordered by it as before; the offset the page wrote its time
with is kept beside it, and every place that shows a day alone (or a clock) reads that clock. Real pages
served on 127.0.0.1, ingested as `ingest URL` does, a real publish and the public site.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from bs4 import BeautifulSoup

from scrapers.feeds import written_offset
from scrapers.http import Fetcher
from scrapers.timestamps import utc_offset, when, when_date
from tests.conftest import item_as_then
from tests.servers import free_port, wait_until_answering
from tests.sites import rss
from tests.test_api import Api
from tests.test_public import get
from tracker import claims, migrations, users
from tracker.config import Settings
from tracker.db import connect
from tracker.ingest import ingest_targets
from tracker.public import datasette_serve_args, make_datasette
from tracker.publish_log import publish_and_log
from tracker.serve import public_site_env
from tracker.store import ingest_feed

PAGE = """<!doctype html><html lang="en"><head><title>{title}</title>
<meta property="og:title" content="{title}">
<meta property="article:published_time" content="{published}">
</head><body><article><h1>{title}</h1><p class="byline">By Ann Writer · {written}</p>
<p>Acme said late on Sunday that {words}, according to a statement the company sent to reporters.</p>
<p>The company gave no further details about the recall and did not answer questions.</p>
</article></body></html>"""

# name: (path, the page's own time, its byline's words, the claim's words)
PAGES = {
    # 23:30 in New York is 04:30 UTC on the 8th.
    "west": ("/2025/12/07/acme-kettles.html", "2025-12-07T23:30:00-05:00", "Dec. 7, 2025 11:30 p.m. ET",
             "kettles were recalled"),
    # 00:30 in Tokyo is 15:30 UTC on the 8th.
    "east": ("/2025/12/09/acme-toasters.html", "2025-12-09T00:30:00+09:00", "9 December 2025, 00:30",
             "toasters were recalled"),
    # A page on UTC with nothing to place it: shown as it always was.
    "utc": ("/2025/12/05/acme-irons.html", "2025-12-05T10:00:00Z", "December 5, 2025", "irons were recalled"),
}  # fmt: skip


@pytest.fixture
def reports(db, story, accounts, http_server):
    """Three Acme pages, each with a published claim quoting it."""
    urls = {}
    for name, (path, published, written, words) in PAGES.items():
        title = f"Acme: {words}"
        html = PAGE.format(title=title, published=published, written=written, words=words)
        urls[name] = http_server.route(path, html)
    http_server.route("/robots.txt", "", status=404)
    agent = "NewsroomTrackerTests/1.0 (+https://tracker.example/contact)"
    with Fetcher(agent, allow_private=True, min_interval=0) as f:
        result = ingest_targets(db, story["slug"], list(urls.values()), fetcher=f)
    assert result.counts["new"] == 3
    reporter, editor = accounts["reporter"], accounts["editor"]
    ids, items = {}, {}
    for name, url in urls.items():
        items[name], revision = db.execute(
            "SELECT c.id, r.id FROM revisions r JOIN coverage c ON c.id = r.coverage_id WHERE c.canonical_url = ?",
            [url],
        ).fetchone()
        words = PAGES[name][3]
        claim_id = claims.log_claim(db, story["id"], f"Acme said {words}.", "Acme", "organization", reporter)
        claims.add_evidence(db, claim_id, revision, words, "supports", reporter)
        claims.set_published(db, claim_id, True, editor, claims.get_claim(db, claim_id)["version"])
        ids[name] = claim_id
    return {"urls": urls, "items": items, "claims": ids}


def test_the_utc_instant_is_kept_for_order_and_the_pages_offset_beside_it(db, reports):
    stored = {
        name: db.execute("SELECT published_at, published_offset FROM coverage WHERE id = ?", [item]).fetchone()
        for name, item in reports["items"].items()
    }
    assert stored == {
        "west": ("2025-12-08T04:30:00Z", -300),
        "east": ("2025-12-08T15:30:00Z", 540),
        "utc": ("2025-12-05T10:00:00Z", None),
    }


def test_the_editor_shows_each_report_on_its_own_day_and_says_whose_clock(db, story, reports, auth, client):
    auth.login("reporter")
    listing = BeautifulSoup(client.get(f"/stories/{story['slug']}/coverage").get_data(as_text=True), "html.parser")
    text = listing.get_text(" ", strip=True)
    assert "Published 7 Dec 2025" in text and "Published 9 Dec 2025" in text and "Published 5 Dec 2025" in text
    assert "Published 8 Dec 2025" not in text
    shown = {
        "west": "7 Dec 2025, 23:30 UTC−5",
        "east": "9 Dec 2025, 00:30 UTC+9",
        "utc": "5 Dec 2025, 10:00 UTC",
    }
    for name, item in reports["items"].items():
        page = client.get(f"/coverage/{item}").get_data(as_text=True)
        assert f"Published {shown[name]}" in page, name
        claim = BeautifulSoup(client.get(f"/claims/{reports['claims'][name]}").get_data(as_text=True), "html.parser")
        assert f"Published {shown[name][:10].rstrip(',')}" in claim.get_text(" ", strip=True), name
    queue = client.get(f"/stories/{story['slug']}/triage").get_data(as_text=True)
    assert "Published 8 Dec 2025" not in queue
    # A claim's first report is that page's publication: on its clock too.
    claim = client.get(f"/claims/{reports['claims']['west']}").get_data(as_text=True)
    assert "First reported 7 Dec 2025, 23:30 UTC−5" in claim
    story_page = BeautifulSoup(client.get(f"/stories/{story['slug']}").get_data(as_text=True), "html.parser")
    reported = story_page.get_text(" ", strip=True)
    assert "First reported 7 Dec 2025" in reported and "First reported 9 Dec 2025" in reported
    assert "First reported 8 Dec 2025" not in reported


def test_the_public_timeline_shows_each_report_on_its_own_day(db, reports, accounts, tmp_path):
    out = tmp_path / "public.db"
    publish_and_log(db, out, accounts["editor"])
    ds = make_datasette(str(out))
    page = BeautifulSoup(get(ds, "/public/timeline").text, "html.parser")
    days = {}
    for group in page.select(".rail-day"):
        day = group.select_one(".rail-date").get_text(" ", strip=True)
        for card in group.select("article.card-first_reported"):
            days[card.select_one(".card-claim").get_text(strip=True)] = (
                day,
                card.select_one(".card-time").get_text(strip=True),
            )
    assert days == {
        "Acme said kettles were recalled.": ("Dec 7, 2025 Sunday", "23:30 UTC−5"),
        "Acme said toasters were recalled.": ("Dec 9, 2025 Tuesday", "00:30 UTC+9"),
        "Acme said irons were recalled.": ("Dec 5, 2025 Friday", "10:00 UTC"),
    }
    # Claims waiting for a ruling are listed by the day they were reported, beside the timeline and on their own page.
    for path in ("/public/timeline", "/public/unclear"):
        waiting = BeautifulSoup(get(ds, path).text, "html.parser")
        reported = {
            item.select_one(".open-claim").get_text(strip=True): item.select_one(".open-meta time").get_text(strip=True)
            for item in waiting.select(".open-item")
        }
        assert reported["Acme said kettles were recalled."] == "Dec 7, 2025", path
        assert reported["Acme said toasters were recalled."] == "Dec 9, 2025", path
    claim_page = get(ds, f"/public/claims/{reports['claims']['west']}").text
    assert "Dec 7, 2025, 23:30 UTC−5" in claim_page and "Dec 8, 2025" not in claim_page
    story_page = get(ds, f"/stories/{db['stories'].get(1)['slug']}").text
    assert "Dec 7, 2025, 23:30 UTC−5" in story_page and "Dec 8, 2025, 04:30" not in story_page
    slides = {s["text"]["headline"]: s["start_date"] for s in get(ds, "/public/timeline-js.json").json()["events"]}
    kettles = slides["Acme said kettles were recalled."]
    assert (kettles["day"], kettles["hour"], kettles["minute"]) == ("7", "23", "30")
    conn = sqlite3.connect(out)
    try:
        local = dict(conn.execute("SELECT claim_id, date_local FROM events WHERE kind = 'first_reported'"))
        coverage = dict(conn.execute("SELECT published_at, published_local FROM coverage"))
    finally:
        conn.close()
    assert local == {
        reports["claims"]["west"]: "2025-12-07T23:30:00-05:00",
        reports["claims"]["east"]: "2025-12-09T00:30:00+09:00",
        reports["claims"]["utc"]: None,
    }
    assert coverage["2025-12-08T04:30:00Z"] == "2025-12-07T23:30:00-05:00"
    header, *_ = get(ds, "/public/timeline.csv?_size=max").text.splitlines()
    assert header.split(",")[-1] == "date_local"


@pytest.mark.parametrize(
    ("value", "offset"),
    [
        ("2025-12-07T23:30:00-05:00", -300),
        ("2025-12-09T00:30:00+09:00", 540),
        ("2025-12-09T00:30:00+0530", 330),
        ("2025-12-05T10:00:00Z", None),  # a UTC stamp says nothing of the outlet's clock
        ("2025-12-05T10:00:00+00:00", None),
        ("2025-12-05T10:00:00", None),
        ("2025-12-05", None),
        ("not a date", None),
        (None, None),
    ],
)
def test_utc_offset_reads_the_offset_a_time_is_written_with(value, offset):
    assert utc_offset(value) == offset


def test_when_shows_the_pages_own_clock_and_day_and_utc_when_none_is_known():
    assert when("2025-12-08T04:30:00Z", None, -300) == "7 Dec 2025, 23:30 UTC−5"
    assert when("2025-12-08T15:30:00Z", None, 540) == "9 Dec 2025, 00:30 UTC+9"
    assert when("2025-12-08T15:30:00Z", None, 330) == "8 Dec 2025, 21:00 UTC+5:30"
    assert when("2025-12-08T04:30:00Z") == "8 Dec 2025, 04:30 UTC"
    assert when("2025-12-05T23:59:59Z", "day", -300) == "5 Dec 2025"  # the day written is the day
    assert when_date("2025-12-08T04:30:00Z", -300) == "7 Dec 2025"
    assert when_date("2025-12-08T15:30:00Z", 540) == "9 Dec 2025"
    assert when_date("2025-12-08T04:30:00Z") == "8 Dec 2025"


def test_the_migration_keeps_old_items_as_they_were_shown(tmp_path):
    """An item stored before the offset was kept has none: it is shown on its UTC day, as before."""
    db = connect(tmp_path / "old.db")
    migrations.migrations.apply(db, stop_before="0056_coverage_published_offset")
    assert "published_offset" not in db["coverage"].columns_dict
    db.execute("INSERT INTO stories (id, slug, title, created_at) VALUES (1, 's', 'S', '2026-01-01T00:00:00Z')")
    item = item_as_then(db, 1, "https://news.example/acme", "News Example", "Acme")
    db.execute("UPDATE coverage SET published_at = '2025-12-08T04:30:00Z' WHERE id = ?", [item])
    db.conn.commit()
    migrations.apply(db)
    row = db.execute("SELECT published_at, published_offset FROM coverage WHERE id = ?", [item]).fetchone()
    assert row == ("2025-12-08T04:30:00Z", None)
    assert when_date(row[0], row[1]) == "8 Dec 2025"
    with pytest.raises(sqlite3.IntegrityError):
        db.execute("UPDATE coverage SET published_offset = 2000 WHERE id = ?", [item])


def test_a_feed_entrys_own_offset_is_kept_until_its_page_decides(db, story, accounts, auth, client):
    """An item only a feed has dated yet (its page not fetched, or refused) is shown on the feed's clock too."""
    entries = [
        {"link": "https://gazette.example/kettles", "title": "Acme recalls kettles",
         "pubDate": "Sun, 07 Dec 2025 23:30:00 -0500"},
        {"link": "https://gazette.example/toasters", "title": "Acme recalls toasters",
         "pubDate": "Tue, 09 Dec 2025 00:30:00 +0900"},
        {"link": "https://gazette.example/irons", "title": "Acme recalls irons",
         "pubDate": "Fri, 05 Dec 2025 10:00:00 GMT"},
    ]  # fmt: skip
    ingest_feed(db, story, "https://gazette.example/feed.xml", rss("Example Gazette", entries).encode())
    stored = dict(db.execute("SELECT canonical_url, published_offset FROM coverage").fetchall())
    assert stored == {
        "https://gazette.example/kettles": -300,
        "https://gazette.example/toasters": 540,
        "https://gazette.example/irons": None,
    }
    auth.login("reporter")
    text = BeautifulSoup(client.get(f"/stories/{story['slug']}/coverage").get_data(as_text=True), "html.parser")
    shown = text.get_text(" ", strip=True)
    assert "Published 7 Dec 2025" in shown and "Published 9 Dec 2025" in shown and "Published 8 Dec" not in shown


@pytest.mark.parametrize(
    ("value", "offset"),
    [
        ("Sun, 07 Dec 2025 23:30:00 -0500", -300),
        ("Sun, 07 Dec 2025 23:30:00 EST", -300),
        ("Tue, 09 Dec 2025 00:30:00 +0900", 540),
        ("Fri, 05 Dec 2025 10:00:00 GMT", None),
        ("2025-12-07T23:30:00-05:00", -300),
        ("2025-12-05T10:00:00Z", None),
        ("", None),
        (None, None),
        ("gibberish", None),
    ],
)
def test_written_offset_reads_a_feeds_dates(value, offset):
    assert written_offset(value) == offset


def test_the_api_gives_each_date_with_the_offset_its_source_wrote(db, story, reports, client):
    api = Api(client, users.create_token(db, "reporter"))  # every answer checked against the OpenAPI document
    west, utc = reports["claims"]["west"], reports["claims"]["utc"]
    listed = {
        c["id"]: c["first_reported_offset"] for c in api.call("GET", f"/stories/{story['slug']}/claims").json["claims"]
    }
    assert listed == {west: -300, reports["claims"]["east"]: 540, utc: None}
    detail = api.call("GET", f"/claims/{west}").json
    assert detail["first_reported_offset"] == -300
    assert [(e["published_at"], e["published_offset"]) for e in detail["evidence"]] == [("2025-12-08T04:30:00Z", -300)]
    items = api.call("GET", f"/stories/{story['slug']}/coverage").json["coverage"]
    assert {i["url"]: i["published_offset"] for i in items} == {
        reports["urls"]["west"]: -300,
        reports["urls"]["east"]: 540,
        reports["urls"]["utc"]: None,
    }


def test_the_evidence_picker_names_each_item_by_the_day_its_source_printed():
    from tracker.editor.evidence import labelled

    item = {"outlet": "Gazette", "canonical_url": "https://gazette.example/k", "title": "Kettles", "kind": "article",
            "latest_revision_id": 1}  # fmt: skip
    west = labelled([{**item, "published_at": "2025-12-08T04:30:00Z", "published_offset": -300}])
    plain = labelled([{**item, "published_at": "2025-12-08T04:30:00Z", "published_offset": None}])
    assert [west[0]["label"], plain[0]["label"]] == ["Gazette — Kettles (2025-12-07)", "Gazette — Kettles (2025-12-08)"]


def test_a_public_file_built_before_the_offsets_is_rebuilt_when_readers_would_see_no_other_change(
    db, db_path, reports, accounts, tmp_path
):
    """Upgraded and served, the public file of the version before has no *_local columns, which the timeline
    query reads: it is rebuilt with them, as nothing a reader sees waits for an editor."""
    from tracker.serve import refresh_outdated_public_file

    out = tmp_path / "public.db"
    publish_and_log(db, out, accounts["editor"])
    conn = sqlite3.connect(out)
    for table, column in (("events", "date_local"), ("coverage", "published_local"),
                          ("evidence", "published_local"), ("claims", "first_reported_local"),
                          ("developments", "evidence_published_local")):  # fmt: skip
        for (index,) in conn.execute(  # as that version built them: no index held the column
            "SELECT i.name FROM pragma_index_list(?) i WHERE EXISTS "
            "(SELECT 1 FROM pragma_index_info(i.name) c WHERE c.name = ?)",
            [table, column],
        ).fetchall():
            conn.execute(f"DROP INDEX [{index}]")
        conn.execute(f"ALTER TABLE {table} DROP COLUMN {column}")
    conn.commit()
    conn.close()
    said: list[str] = []
    refresh_outdated_public_file(str(db_path), str(out), said.append)
    assert len(said) == 1 and "readers see no change" in said[0], said
    page = BeautifulSoup(get(make_datasette(str(out)), "/public/timeline").text, "html.parser")
    assert "Dec 7, 2025 Sunday" in [d.get_text(" ", strip=True) for d in page.select(".rail-date")]


@contextlib.contextmanager
def served(public_db: Path, log_path: Path) -> Iterator[httpx.Client]:
    """The public site as `serve` starts it, a real Datasette process on 127.0.0.1, and a client of it."""
    port = free_port()
    env = {**os.environ, **public_site_env("127.0.0.1", port, Settings.from_env({}))}
    args = [sys.executable, "-m", "datasette", *datasette_serve_args(str(public_db), "127.0.0.1", port)]
    root = Path(__file__).resolve().parent.parent
    with log_path.open("wb") as log:
        proc = subprocess.Popen(args, stdout=log, stderr=log, cwd=root, env=env)
        base = f"http://127.0.0.1:{port}"
        try:
            wait_until_answering(base + "/public.json", proc, log_path)
            with httpx.Client(base_url=base, timeout=60) as client:
                yield client
        finally:
            proc.terminate()
            proc.wait(timeout=15)


def test_who_claimed_what_gives_each_claimants_range_on_the_days_their_sources_printed(
    db, story, reports, accounts, tmp_path
):
    """The range of a claimant's claims was read from the UTC instants: 23:30 in New York showed as 8 December."""
    reporter, editor = accounts["reporter"], accounts["editor"]
    west = reports["items"]["west"]
    (revision,) = db.execute("SELECT max(id) FROM revisions WHERE coverage_id = ?", [west]).fetchone()
    only = claims.log_claim(db, story["id"], "Kettles were recalled.", "Kettle Board", "organization", reporter)
    claims.add_evidence(db, only, revision, "kettles were recalled", "supports", reporter)
    claims.set_published(db, only, True, editor, claims.get_claim(db, only)["version"])
    out = tmp_path / "public.db"
    publish_and_log(db, out, accounts["editor"])
    with served(out, tmp_path / "server.log") as site:
        page = BeautifulSoup(site.get("/public/claims_by_claimant").text, "html.parser")
    meta = {
        item.select_one(".claimant-name").find(string=True).strip(): item.select_one(".claimant-meta")
        for item in page.select(".claimant-item")
    }
    board = meta["Kettle Board"]
    assert board.get_text(" ", strip=True) == "1 claim, on Dec 7, 2025"
    assert board.select_one("time")["datetime"] == "2025-12-07"
    # Its earliest on UTC (no offset known) as before; its latest, 00:30 in Tokyo, is 9 December there.
    acme = meta["Acme"]
    assert acme.get_text(" ", strip=True) == "3 claims, Dec 5, 2025 to Dec 9, 2025"
    assert [t["datetime"] for t in acme.select("time")] == ["2025-12-05", "2025-12-09"]


def test_the_publish_page_gives_a_developments_evidence_date_on_its_sources_clock(
    db, reports, accounts, auth, client, app
):
    """The Publish page reviewed a development's evidence at its UTC time: "8 Dec 2025, 04:30 UTC" for a page
    the outlet dated 23:30 on 7 December, which readers of the public file are given on its own clock."""
    from tracker import developments

    editor, ids, public = accounts["editor"], {}, app.config["PUBLIC_DB"]
    for name in ("west", "utc"):
        ids[name] = developments.create_development(db, 1, f"Acme will say more ({name}).", editor, expectation="soon")
        version = developments.get_development(db, ids[name])["version"]
        developments.set_development_published(db, ids[name], True, editor, version)
    publish_and_log(db, public, editor)
    for name, dev in ids.items():
        version = developments.get_development(db, dev)["version"]
        developments.set_development_state(
            db, dev, "happened", editor, version, evidence_coverage_id=reports["items"][name]
        )
    auth.login("editor")
    page = BeautifulSoup(client.get("/publish").get_data(as_text=True), "html.parser")
    dates = [
        f.select_one(".value-change").get_text(" ", strip=True)
        for f in page.select(".field-change")
        if f.select_one(".field-name").get_text(strip=True) == "Evidence date"
    ]
    assert dates == ["(empty) → 7 Dec 2025, 23:30 UTC−5", "(empty) → 5 Dec 2025, 10:00 UTC"]
    publish_and_log(db, public, editor)
    conn = sqlite3.connect(public)
    try:
        shown = dict(conn.execute("SELECT id, evidence_published_local FROM developments"))
    finally:
        conn.close()
    assert shown == {ids["west"]: "2025-12-07T23:30:00-05:00", ids["utc"]: None}


def test_a_rulings_claim_review_gives_the_claims_report_with_its_sources_offset(db, reports, accounts, tmp_path):
    """The ClaimReview data on a claim's page gave the report's time in UTC; RFC 3339 lets a time carry the offset
    its source wrote it with, the same instant, so machines read the day the outlet printed as readers do."""
    import json

    editor = accounts["editor"]
    for name in ("west", "utc"):
        claim_id = reports["claims"][name]
        version = claims.get_claim(db, claim_id)["version"]
        claims.set_status(db, claim_id, "confirmed", editor, "internal", version, public_rationale="Recalled.")
    out = tmp_path / "public.db"
    publish_and_log(db, out, editor)
    shown, pages = {}, {}
    with served(out, tmp_path / "server.log") as site:
        for name in ("west", "utc"):
            pages[name] = site.get(f"/public/claims/{reports['claims'][name]}").text
    for name, text in pages.items():
        page = BeautifulSoup(text, "html.parser")
        (review,) = [json.loads(b.string) for b in page.select('script[type="application/ld+json"]')]
        item = review["itemReviewed"]
        shown[name] = (item["datePublished"], [a["datePublished"] for a in item["appearance"]])
    assert shown == {
        "west": ("2025-12-07T23:30:00-05:00", ["2025-12-07T23:30:00-05:00"]),
        "utc": ("2025-12-05T10:00:00Z", ["2025-12-05T10:00:00Z"]),
    }
