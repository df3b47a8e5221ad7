"""The public site: Datasette serving public.db with our metadata, templates and plugin."""

from __future__ import annotations

import asyncio
import importlib.util
import json
import os
import shutil
import sqlite3
import time
from pathlib import Path

import httpx
import pytest
from bs4 import BeautifulSoup
from click.testing import CliRunner
from datasette.cli import cli as datasette_cli

from tracker import claims, coverage, migrations, stories, users, vocab
from tracker.db import TrackerError, connect, path_of
from tracker.public import datasette_serve_args, load_metadata, make_datasette, settings
from tracker.public_tables import PUBLIC_TABLES
from tracker.publish import publish
from tracker.publish_log import publish_and_log

HOSTILE_CLAIM = "<script>alert('claim')</script> Kettles melt at 90 degrees"
HOSTILE_CLAIMANT = '<img src=x onerror="alert(1)"> a forum user'
HOSTILE_URL = "javascript:alert(document.cookie)"
HOSTILE_OUTLET = "Acme <i>Widgets</i>"
HOSTILE_TITLE = "<img src=x onerror=alert('title')> Statement on kettles"
HOSTILE_QUOTE = "\"<svg onload=alert('quote')>\" the source said"
HOSTILE_RATIONALE = "</script><script>alert('why')</script> The company's statement <!-- says otherwise & more."
UNPUBLISHED = "Weasel-3130 an unpublished claim"
PRIVATE_COLUMNS = {"source_identity", "internal_notes", "created_by", "published", "version", "story_id", "rationale"}
HOSTILE_STRINGS = (HOSTILE_CLAIM, HOSTILE_CLAIMANT, HOSTILE_OUTLET, HOSTILE_TITLE, HOSTILE_QUOTE, HOSTILE_RATIONALE)


def get(ds, path: str) -> httpx.Response:
    """Datasette's client is async; pytest-asyncio is not installed, so run each request to completion."""
    return asyncio.run(ds.client.get(path))


@pytest.fixture(scope="module")
def site_template(tmp_path_factory) -> dict:
    """Built and published once per module; each test gets its own copy of both files."""
    folder, info = publish_into(tmp_path_factory, "site", build_site)
    return {"folder": folder, **info}


@pytest.fixture
def site(site_template, tmp_path) -> dict:
    """A published story with a claim in every status, hostile strings everywhere and an unpublished claim."""
    for name in ("tracker.db", "public.db"):
        shutil.copy(site_template["folder"] / name, tmp_path / name)
    db = connect(tmp_path / "tracker.db", create=False)
    out = tmp_path / "public.db"
    yield {**site_template, "db": db, "out": out, "ds": make_datasette(str(out))}
    db.close()


def publish_into(tmp_path_factory, name: str, build) -> tuple:
    """A fresh working database filled by `build(db)` and published beside it; (folder, build's result)."""
    folder = tmp_path_factory.mktemp(name)
    db = connect(folder / "tracker.db")
    migrations.apply(db)
    try:
        info = build(db)
        publish(db, folder / "public.db")
    finally:
        db.close()
    return folder, info


def rule(db, claim_id: int, status: str, editor: dict, why: str) -> None:
    version = claims.get_claim(db, claim_id)["version"]
    claims.set_status(db, claim_id, status, editor, "internal note", version, public_rationale=why)


def build_site(db) -> dict:
    """One story: confirmed, denied (a correction), unclear and unreviewed claims, a revised statement."""
    editor = users.add_user(db, "edith.editor", "correct-horse-battery", "editor")
    story = stories.create_story(db, "acme-kettles", "Acme kettles", "Questions about Acme Widgets' kettles.")
    article = coverage.upsert_item(
        db,
        story["id"],
        "https://news.example.com/acme",
        outlet="Example News",
        title="Acme faces questions",
        published_at="2025-11-20T09:00:00Z",
    )
    rev, _ = coverage.add_revision(
        db, article, f"A former engineer said tests were skipped. Other body text. {HOSTILE_QUOTE}."
    )
    forum = coverage.upsert_item(db, story["id"], HOSTILE_URL, outlet="Forum <b>bold</b>", published_at="2025-11-22")
    forum_rev, _ = coverage.add_revision(db, forum, "Kettles melt, says a post.")
    statement = coverage.upsert_item(
        db,
        story["id"],
        "https://acme.example/press",
        kind="statement",
        outlet=HOSTILE_OUTLET,
        title=HOSTILE_TITLE,
        published_at="2025-11-21T12:00:00Z",
    )
    statement_rev, _ = coverage.add_revision(
        db, statement, "No kettle was recalled.", fetched_at="2025-11-21T12:05:00Z"
    )
    coverage.add_revision(db, statement, "No kettle was recalled, ever.", fetched_at="2025-11-24T08:00:00Z")

    skipped = claims.log_claim(db, story["id"], "Tests were skipped.", "a former engineer", "anonymous", editor)
    claims.add_evidence(db, skipped, rev, "A former engineer said tests were skipped.", "supports", editor)
    rule(db, skipped, "confirmed", editor, "Documents confirm it.")
    hostile = claims.log_claim(db, story["id"], HOSTILE_CLAIM, HOSTILE_CLAIMANT, "unattributed", editor)
    claims.add_evidence(db, hostile, forum_rev, "Kettles melt", "supports", editor)
    recall = claims.log_claim(db, story["id"], "Acme recalled its kettles.", "a forum post", "unattributed", editor)
    claims.add_evidence(db, recall, statement_rev, "No kettle was recalled.", "contradicts", editor)
    unclear = claims.log_claim(db, story["id"], "The tests were faked.", "Example News", "outlet", editor)
    claims.add_evidence(db, unclear, rev, HOSTILE_QUOTE, "supports", editor)
    rule(db, unclear, "unclear", editor, "One outlet, one source.")
    hidden = claims.log_claim(db, story["id"], UNPUBLISHED, "someone", "anonymous", editor)
    for claim_id in (skipped, hostile, recall, unclear):
        claims.set_published(db, claim_id, True, editor, claims.get_claim(db, claim_id)["version"])
    # Ruled unclear, published, then ruled denied: readers were shown "unclear", so this is a correction.
    rule(db, recall, "unclear", editor, "Checking with the company.")
    publish_and_log(db, Path(path_of(db)).with_name("public.db"), editor)
    rule(db, recall, "denied", editor, HOSTILE_RATIONALE)

    return {
        "editor": editor,
        "skipped": skipped,
        "hostile": hostile,
        "recall": recall,
        "unclear": unclear,
        "hidden": hidden,
    }


def test_timeline_query_lists_published_claims_newest_first(site):
    response = get(site["ds"], "/public/timeline.json?_shape=array")
    assert response.status_code == 200
    rows = response.json()
    for key in ("date", "kind", "claim", "claimant", "status", "source_url", "outlet", "detail", "story"):
        assert all(key in row for row in rows), key
    assert [r["date"] for r in rows] == sorted((r["date"] for r in rows), reverse=True)
    statuses = {(r["claim"], r["status"]) for r in rows}
    assert statuses == {
        ("Tests were skipped.", "confirmed"),
        (HOSTILE_CLAIM, "unreviewed"),
        ("Acme recalled its kettles.", "denied"),
        ("The tests were faked.", "unclear"),
    }
    change = [r for r in rows if r["kind"] == "status_changed" and r["claim_id"] == site["skipped"]]
    assert [(r["from_status"], r["to_status"], r["detail"]) for r in change] == [
        ("unreviewed", "confirmed", "Documents confirm it.")
    ]
    correction = [r for r in rows if r["kind"] == "correction"]
    assert [(r["from_status"], r["to_status"], r["detail"]) for r in correction] == [
        ("unclear", "denied", HOSTILE_RATIONALE)
    ]
    reported = {r["claim"]: r for r in rows if r["kind"] == "first_reported"}
    assert reported["Tests were skipped."]["source_url"] == "https://news.example.com/acme"
    assert reported["Tests were skipped."]["date"] == "2025-11-20T09:00:00Z"
    assert reported[HOSTILE_CLAIM]["source_url"] is None  # a javascript: URL is never published
    changed = [r for r in rows if r["kind"] == "statement_changed"]
    assert [(r["claim_id"], r["date"]) for r in changed] == [(site["recall"], "2025-11-24T08:00:00Z")]
    assert UNPUBLISHED not in response.text


def test_claims_table_has_only_public_columns(site):
    data = get(site["ds"], "/public/claims.json?_shape=objects").json()
    assert data["columns"] == list(PUBLIC_TABLES["claims"].columns)
    assert not PRIVATE_COLUMNS & set(data["columns"])
    assert {row["id"] for row in data["rows"]} == {site["skipped"], site["hostile"], site["recall"], site["unclear"]}


def test_only_public_tables_are_served(site):
    data = get(site["ds"], "/public.json").json()
    visible = {t["name"] for t in data["tables"] if not t["hidden"]}
    assert visible == set(PUBLIC_TABLES)
    sql = get(site["ds"], "/public.json?sql=select+name+from+sqlite_master+where+name+like+'user%25'&_shape=array")
    assert sql.status_code == 200 and sql.json() == []


def test_timeline_page_shows_cards_and_escapes_everything(site):
    response = get(site["ds"], "/public/timeline")
    assert response.status_code == 200
    html = response.text
    assert "<script>alert('claim')" not in html
    assert "<img src=x" not in html
    assert "<b>bold</b>" not in html
    assert "<svg" not in html and "<i>Widgets</i>" not in html
    soup = BeautifulSoup(html, "html.parser")
    cards = soup.select("ol.rail-events > li.event")
    rows = get(site["ds"], "/public/timeline.json?_shape=array").json()
    assert len(cards) == len(rows)
    texts = [card.select_one(".card-claim").get_text(strip=True) for card in cards]
    # A statement's revision is headed by the statement, and lists the claims it bears on.
    assert texts == [
        f"{r['outlet']} revised its statement" if r["kind"] == "statement_changed" else r["claim"] for r in rows
    ]
    assert HOSTILE_CLAIM in texts  # shown as text, not run
    assert soup.select("main script, main img, main svg") == []
    hrefs = [a["href"].strip().lower() for a in soup.find_all("a", href=True)]
    assert not [h for h in hrefs if h.startswith("javascript:")]
    # The date rail: one heading per day, newest first.
    days = [t["datetime"] for t in soup.select(".rail-date time")]
    assert days == sorted(set(days), reverse=True)
    ruling = [c for c in cards if "event-status_changed" in c["class"] and "Tests were skipped." in c.get_text()][0]
    assert ruling.select_one(".card-now .status").get_text(" ", strip=True) == "Current status: Confirmed"
    assert [b.get_text() for b in ruling.select(".change .status")] == ["Not yet reviewed", "Confirmed"]
    assert ruling.select_one(".rationale").get_text() == "Documents confirm it."
    # Each card names its sources, as links only when they are web links.
    first = [c for c in cards if "event-first_reported" in c["class"] and HOSTILE_CLAIM in c.get_text()][0]
    assert first.select(".sources a") == []
    assert "Forum <b>bold</b>" in first.select_one(".sources").get_text()
    # And its history: "unclear since Nov 24 → ...: reason".
    faked = [c for c in cards if "event-first_reported" in c["class"] and "The tests were faked." in c.get_text()][0]
    history = faked.select_one(".history").get_text(" ", strip=True)
    assert "unclear since" in history and history.endswith("One outlet, one source.")
    links = [(a.get_text(), a["href"]) for a in soup.select(".reader-aside a")]
    hrefs = {text: [h for t, h in links if t == text] for text, _ in links}
    assert any(h.startswith("/public/timeline.json") for h in hrefs["JSON"])
    assert any(h.startswith("/public/timeline.csv") for h in hrefs["CSV"])
    assert any(h.startswith("/public/events.csv") for h in hrefs["CSV"])
    assert hrefs["Atom feed"] == ["/public/changes.atom"]
    assert hrefs["TimelineJS export"] == ["/public/timeline-js.json"]
    for _, href in links:
        assert get(site["ds"], href).status_code == 200, href


def test_each_cards_current_status_is_labelled_for_sighted_readers_too(site):
    """A ruling card read "Not yet reviewed → Confirmed" with a bare "Denied" badge in its corner once the claim
    was corrected: "Current status:" was said only to screen readers, and the eye read two verdicts."""
    soup = BeautifulSoup(get(site["ds"], "/public/timeline").text, "html.parser")
    for hidden in soup.select(".visually-hidden"):
        hidden.decompose()
    seen = {" ".join(now.get_text(" ", strip=True).split()) for now in soup.select(".card .card-now")}
    assert seen and all(text.startswith("Now ") for text in seen), seen


def test_timeline_page_filters_by_status_and_search(site):
    soup = BeautifulSoup(get(site["ds"], "/public/timeline?status=unclear").text, "html.parser")
    statuses = {c.select_one(".card-now .status")["class"][1] for c in soup.select(".card")}
    assert statuses == {"status-unclear"}
    current = soup.select('.status-filter a[aria-current="true"]')
    assert [a.get_text(" ", strip=True) for a in current] == ["Unclear 1"]
    found = BeautifulSoup(get(site["ds"], "/public/timeline?q=former+engin").text, "html.parser")
    claims_found = {c.get_text(strip=True) for c in found.select(".card-claim")}
    assert claims_found == {"Tests were skipped."}
    assert found.select_one("#timeline-q")["value"] == "former engin"
    none = BeautifulSoup(get(site["ds"], '/public/timeline?q="AND+NEAR(*').text, "html.parser")
    assert none.select(".card") == [] and "No events matching" in none.get_text()


def test_timeline_page_shows_what_remains_unclear(site):
    soup = BeautifulSoup(get(site["ds"], "/public/timeline").text, "html.parser")
    panel = soup.select_one(".panel-open")
    assert panel.select_one("h2").get_text() == "What remains unclear"
    listed = [a.get_text() for a in panel.select(".open-claim a")]
    assert listed == ["The tests were faked.", HOSTILE_CLAIM]


def test_pages_use_our_stylesheet_and_no_external_assets(site):
    for path in ("/", "/public/timeline", "/public/claims", "/about"):
        soup = BeautifulSoup(get(site["ds"], path).text, "html.parser")
        assets = [t.get("href") for t in soup.find_all("link", rel="stylesheet")]
        assets += [t.get("src") for t in soup.find_all("script", src=True)]
        assert any(a.startswith("/assets/public.css") for a in assets), path
        assert not [a for a in assets if "//" in a], path
    css = get(site["ds"], "/assets/public.css")
    assert css.status_code == 200 and "#1a7f37" in css.text


def test_status_shows_as_a_badge_with_its_word(site):
    """A table page read the stored values ("unreviewed", "confirmed") where every reader page says
    "Not yet reviewed" and "Confirmed"; the badge keeps the stored value as its class (its colour)."""
    soup = BeautifulSoup(get(site["ds"], "/public/claims").text, "html.parser")
    badges = {(b.get_text(), " ".join(b["class"])) for b in soup.select("td.col-status .status")}
    assert badges == {
        ("Confirmed", "status status-confirmed"),
        ("Not yet reviewed", "status status-unreviewed"),
        ("Denied", "status status-denied"),
        ("Unclear", "status status-unclear"),
    }
    # A claim's history, reached from its page: each ruling from and to, in the same words.
    history = BeautifulSoup(get(site["ds"], f"/public/status_history?claim_id={site['skipped']}").text, "html.parser")
    ruled = [
        (r.select_one("td.col-from_status").get_text(), r.select_one("td.col-to_status").get_text())
        for r in history.select("tbody tr")
    ]
    assert [(a.strip(), b.strip()) for a, b in ruled] == [("Not yet reviewed", "Confirmed")]


def test_timelinejs_slides_name_statuses_in_the_readers_words(site):
    """A slide read "now unreviewed" and "Status changed from unreviewed to confirmed": the stored values."""
    slides = get(site["ds"], "/public/timeline-js.json").json()["events"]
    texts = [s["text"]["text"] for s in slides]
    assert not [t for t in texts if "unreviewed" in t]
    assert any("now <strong>Not yet reviewed</strong>" in t for t in texts)
    assert any("Status changed from Not yet reviewed to Confirmed." in t for t in texts)
    assert any("Status changed from Unclear to Denied." in t for t in texts)  # the correction
    revised = [t for t in texts if "It bears on" in t]
    assert revised and "(now <strong>Denied</strong>)" in revised[0]


def test_about_page(site):
    response = get(site["ds"], "/about")
    assert response.status_code == 200
    assert "What the statuses mean" in response.text


def test_public_site_has_no_write_endpoint(site):
    response = asyncio.run(site["ds"].client.post("/public/claims", data={"text": "x"}))
    assert response.status_code >= 400
    assert get(site["ds"], "/public/claims.json?_shape=objects").json()["rows"][0]["text"] != "x"


def test_metadata_describes_every_public_table_and_column(site):
    tables = load_metadata()["databases"]["public"]["tables"]
    assert set(tables) == set(PUBLIC_TABLES)
    for name, table in PUBLIC_TABLES.items():
        assert tables[name].get("description"), name
        assert set(tables[name]["columns"]) == set(table.columns), name
        assert all(tables[name]["columns"].values()), name


def test_settings_are_tight_and_applied(site):
    ds = site["ds"]
    assert ds.setting("sql_time_limit_ms") == settings()["sql_time_limit_ms"] <= 1000
    assert ds.setting("max_returned_rows") == settings()["max_returned_rows"] <= 1000


def test_server_arguments_serve_the_same_site(site):
    """`datasette serve` with our arguments answers as the in-process instance does."""
    args = datasette_serve_args(str(site["out"]), "127.0.0.1", 8001)
    assert args[:2] == ["serve", str(site["out"])]
    assert args[-4:] == ["-h", "127.0.0.1", "-p", "8001"]
    for path in ("/public/timeline.json?_shape=array", "/public/claims.json?_shape=array&_size=max"):
        result = CliRunner().invoke(datasette_cli, [*args, "--get", path])
        assert result.exit_code == 0, result.output
        assert json.loads(result.output) == get(site["ds"], path).json()
    result = CliRunner().invoke(datasette_cli, [*args, "--get", "/public/timeline"])
    assert 'class="event ' in result.output


def test_a_new_publish_is_served_without_restart(site):
    ds = site["ds"]
    assert len(get(ds, "/public/claims.json?_shape=array").json()) == 4
    db = site["db"]
    claims.set_published(db, site["hidden"], True, site["editor"], claims.get_claim(db, site["hidden"])["version"])
    publish(db, site["out"])
    rows = get(ds, "/public/timeline.json?_shape=array").json()
    assert UNPUBLISHED in {r["claim"] for r in rows}
    assert len(get(ds, "/public/claims.json?_shape=array").json()) == 5


def test_refuses_a_file_not_named_public_db(tmp_path):
    other = tmp_path / "site.db"
    other.write_bytes(b"")
    with pytest.raises(TrackerError, match="public.db"):
        make_datasette(str(other))
    with pytest.raises(TrackerError, match="publish"):
        datasette_serve_args(str(tmp_path / "public.db"), "127.0.0.1", 8001)


def test_plugin_statuses_match_the_schema():
    for name in ("cells.py", "reader_data.py", "timeline_js.py", "statuses.py"):
        plugin = Path(__file__).resolve().parent.parent / "tracker" / "public" / "plugins" / name
        spec = importlib.util.spec_from_file_location(f"plugin_under_test_{name}", plugin)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        assert set(module.STATUSES) == set(vocab.STATUSES), name
        assert set(module.STATUS_LABELS) == set(vocab.STATUSES), name


def test_reader_pages_are_rendered_once_per_publish(site):
    ds, out = site["ds"], site["out"]
    os.utime(out, (time.time() - 60, time.time() - 60))  # published a minute ago
    first = get(ds, "/public/timeline")
    second = get(ds, "/public/timeline")
    assert (first.headers["x-page-cache"], second.headers["x-page-cache"]) == ("miss", "hit")
    assert second.text == first.text
    assert second.headers["content-security-policy"] == first.headers["content-security-policy"]
    assert "x-page-cache" not in get(ds, "/public/claims").headers  # data pages are never cached
    db = site["db"]
    claims.set_published(db, site["hidden"], True, site["editor"], claims.get_claim(db, site["hidden"])["version"])
    publish(db, out)
    after = get(ds, "/public/timeline")
    assert after.headers["x-page-cache"] == "miss"
    assert UNPUBLISHED in after.text


def test_a_publish_through_a_symlinked_public_file_is_not_hidden_by_the_page_cache(site, tmp_path, monkeypatch):
    """SQLite keeps the -wal beside the file a symlink points at; the cache looked beside the link.

    While the publish's checkpoint waits (a reader mid-query) the new pages are
    only in that -wal: the data pages showed the new claim and the cached
    timeline kept showing the old one.
    """
    real = tmp_path / "real"
    real.mkdir()
    site["out"].rename(real / "public.db")
    link = tmp_path / "served" / "public.db"
    link.parent.mkdir()
    link.symlink_to(real / "public.db")
    ds = make_datasette(str(link))
    os.utime(real / "public.db", (time.time() - 60, time.time() - 60))
    assert [get(ds, "/public/timeline").headers["x-page-cache"] for _ in range(2)] == ["miss", "hit"]

    db = site["db"]
    claims.set_published(db, site["hidden"], True, site["editor"], claims.get_claim(db, site["hidden"])["version"])
    monkeypatch.setattr("tracker.publish.BUSY_TIMEOUT_MS", 50)
    reader = sqlite3.connect(f"file:{link}?mode=ro", uri=True, isolation_level=None)
    try:
        reader.execute("BEGIN")
        reader.execute("SELECT count(*) FROM claims").fetchone()
        publish(db, link)
        assert Path(f"{real / 'public.db'}-wal").stat().st_size > 0  # the checkpoint had to leave it
    finally:
        reader.close()
    assert UNPUBLISHED in get(ds, "/public/claims.json?_shape=array").text
    after = get(ds, "/public/timeline")
    assert after.headers["x-page-cache"] == "miss"
    assert UNPUBLISHED in after.text


def test_page_cache_can_be_turned_off(site, monkeypatch):
    monkeypatch.setenv("TRACKER_PAGE_CACHE_SECONDS", "0")
    ds = make_datasette(str(site["out"]))
    os.utime(site["out"], (time.time() - 60, time.time() - 60))
    assert "x-page-cache" not in get(ds, "/public/timeline").headers
    assert "x-page-cache" not in get(ds, "/public/timeline").headers


def test_metadata_names_the_site_its_licence_and_the_sql_decision():
    metadata = load_metadata()
    for key in ("title", "description_html", "license", "license_url", "source", "source_url", "about", "about_url"):
        assert metadata.get(key), key
    assert metadata["allow_sql"] is True, "the decision is written down in metadata.yml and docs/public-site.md"
    assert metadata["plugins"]["newsroom-tracker"]["publisher"]
