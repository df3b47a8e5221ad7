"""Revisions: noise is not a change, a real edit is (with a diff and a change event), re-checks back off with age."""

from __future__ import annotations

import hashlib
import json

import pytest
from click.testing import CliRunner

from scrapers.schedule import GONE_AFTER, RECHECK_OLD, backoff, item_backoff, later, recheck_delay
from scrapers.timestamps import parse_time
from tests.conftest import python_output
from tests.sites import RECALL, article, fetcher, rss
from tracker import coverage, sources
from tracker.alerts import messages
from tracker.cli import cli
from tracker.coverage import content_hash, normalize_for_hash
from tracker.db import now, rows
from tracker.scrape import run_pass


@pytest.mark.parametrize(
    "before,after",
    [
        ("Acme said.\nUpdated 3 minutes ago", "Acme said.\nUpdated 12 minutes ago"),
        ("Acme said.\nPosted 1 hour ago", "Acme said.\nPosted 5 hours ago"),
        (
            "By Jo Example | Updated 12:04 PM EST, Tue March 3, 2026\nText.",
            "By Jo Example | Updated 4:15 PM EST\nText.",
        ),
        ("Published March 3, 2026 at 12:04 p.m. ET\nText.", "Published March 3, 2026 at 1:30 p.m. ET\nText."),
        ("Text.\n1,234 shares", "Text.\n1,302 shares"),
        ("Text.\nComments (12)", "Text.\nComments (31)"),
        ("Jo Example · 5 min read · 88 comments\nText.", "Jo Example · 6 min read · 91 comments\nText."),
        ("Text.\nShare 1.2K", "Text.\nShare 1.4K"),
        ("Text.\nViewed 1,204 times", "Text.\nViewed 1,377 times"),
        ("Text.\nRead 2.1K times", "Text.\nRead 2.3K times"),
        ("Text.\n1,204 people are reading this", "Text.\n1,377 people are reading this"),
        ("Text.\n88 readers now", "Text.\n91 readers now"),
        ("Text.\n1,204 people watching now", "Text.\n977 people watching now"),
        ("Text.\n12:04 PM", "Text.\n12:09 PM"),
        ("Acme   said\u00a0it   would.", "Acme said it would."),
        ("Acme said \u201cno\u201d.", 'Acme said "no".'),
        # A newsroom's "last updated" line, in the languages statements come in, stamped anew on every build.
        ("Text.\nPage last reviewed: 6 December 2026", "Text.\nPage last reviewed: 7 December 2026"),
        (
            "Text.\nThis page was last reviewed on 6 December 2026",
            "Text.\nThis page was last reviewed on 7 December 2026",
        ),
        ("Text.\nStand: 06.12.2026, 14:05 Uhr", "Text.\nStand: 07.12.2026, 09:10 Uhr"),
        ("Text.\nZuletzt aktualisiert am 6. Dezember 2026", "Text.\nZuletzt aktualisiert am 7. Dezember 2026"),
        ("Text.\nMis à jour le 6 décembre 2026 à 14h05", "Text.\nMis à jour le 7 décembre 2026 à 09h10"),
        ("Text.\nActualizado el 6 de diciembre de 2026", "Text.\nActualizado el 7 de diciembre de 2026"),
        ("Text.\nAggiornato il 6 dicembre 2026 alle 14:05", "Text.\nAggiornato il 7 dicembre 2026 alle 09:10"),
        # A cookie banner that lands inside the statement's text, appearing or going away.
        ("Text.", "Text.\nWe use cookies to give you the best experience. Accept all cookies or manage your choices."),
        ("Text.", "Text.\nThis website uses cookies. By continuing to browse you agree to our use of cookies."),
        ("Text.", "Text.\nWir verwenden Cookies, um unsere Website zu verbessern. Alle akzeptieren"),
        ("Text.", "Text.\nNous utilisons des cookies pour améliorer votre expérience. Tout accepter"),
        # A stamp line with a real stamp word beside its short ones still changes on every build.
        ("Text.\nActualizado el 6 de 12 a las 14:05", "Text.\nActualizado el 7 de 12 a las 09:10"),
        ("Text.\nMis à jour le 06.12.2026", "Text.\nMis à jour le 07.12.2026"),
        ("Text.\n06.12.2026, 14:05", "Text.\n07.12.2026, 09:10"),
    ],
)
def test_noise_does_not_change_the_hash(before, after):
    assert content_hash(before) == content_hash(after), (normalize_for_hash(before), normalize_for_hash(after))


@pytest.mark.parametrize(
    "before,after",
    [
        ("The plant will resume at 9:00 on Monday.", "The plant will resume at 11:00 on Monday."),
        ("Acme will recall 10,000 toasters.", "Acme will recall 12,000 toasters."),
        ("The post drew 12,000 comments.", "The post drew 15,000 comments."),
        ("The notice was viewed 1,204 times, Acme said.", "The notice was viewed 9,204 times, Acme said."),
        ("Acme denied the report.", "Acme did not deny the report."),
        ("Published March 3, 2026\nAcme said yes.", "Published March 3, 2026\nAcme said no."),
        # Words that look like a page's clock but are the statement's own sentence: an edit to them is an edit.
        ("Acme said it was modified at 9:00 on Monday.", "Acme said it was modified at 11:00 on Monday."),
        ("The list was updated on March 3, 2026, Acme said.", "The list was updated on March 13, 2026, Acme said."),
        ("Acme said it learned of the fault 3 days ago.", "Acme said it learned of the fault 30 days ago."),
        ("The notice was posted 2 days ago on its site.", "The notice was posted 9 days ago on its site."),
        ("Die Frist endet am 6. Dezember 2026.", "Die Frist endet am 16. Dezember 2026."),
        ("Stand der Prüfung: 6 Modelle", "Stand der Prüfung: 16 Modelle"),
        # A statement about cookies is the statement's words, not a banner.
        ("Sites must let users reject all cookies.", "Sites must let users accept or reject all cookies."),
        ("Text.", "Text.\nThe office said sites that use cookies must let readers refuse them."),
        # A line of only short words a stamp is written with ("a", "de", "el") and numbers, with no word that makes
        # it a stamp: a score, a count, a chapter: its change is the text's.
        ("Resultado:\na 3 de 5", "Resultado:\na 4 de 5"),
        ("Votes:\nde 12 a 7", "Votes:\nde 12 a 9"),
        ("Text.\nel 3 y el 5", "Text.\nel 3 y el 6"),
        ("Text.\n3", "Text.\n5"),
    ],
)
def test_real_edits_change_the_hash(before, after):
    assert content_hash(before) != content_hash(after)


def _feed_with_one_page(site, story, db, page_html: str, published: str = "Mon, 02 Mar 2026 14:30 GMT") -> str:
    page = site.put("/gazette/recall.html", page_html)
    site.put("/feed.xml", rss("Gazette", [{"link": page, "title": "Acme recalls toasters", "pubDate": published}]))
    sources.add_source(db, story["id"], site.url("/feed.xml"), "feed")
    return page


def _recheck(db, story, f):
    """A pass at the moment the item is due again."""
    (item,) = coverage.list_items(db, story["id"])
    return run_pass(db, story["slug"], fetcher=f, at=item["next_check_at"])


def test_a_page_whose_only_change_is_a_relative_time_or_a_share_count_gets_no_new_revision(db, story, site):
    noisy = "<p>Updated 5 minutes ago · 1,204 shares</p>"
    page = _feed_with_one_page(site, story, db, article("Acme recalls toasters", RECALL, extra=noisy))
    with fetcher() as f:
        run_pass(db, story["slug"], fetcher=f)
        (item,) = coverage.list_items(db, story["id"])
        assert "Updated 5 minutes ago · 1,204 shares" in coverage.latest_revision(db, item["id"])["text"]
        later_noise = "<p>Updated 47 minutes ago · 1,377 shares</p>"
        site.put("/gazette/recall.html", article("Acme recalls toasters", RECALL, extra=later_noise))
        result = _recheck(db, story, f)
    assert site.statuses("/gazette/recall.html") == [200, 200]  # fetched and parsed again
    assert result["updated"] == 0 and result["changes"] == []
    assert result["unchanged"] == 2  # the feed (304) and the page (same text once noise is set aside)
    (item,) = coverage.list_items(db, story["id"])
    assert item["canonical_url"] == page and item["revision_count"] == 1


def test_a_real_change_adds_a_revision_with_a_readable_diff_and_a_change_event(db, story, site):
    _feed_with_one_page(site, story, db, article("Acme recalls toasters", RECALL))
    with fetcher() as f:
        run_pass(db, story["slug"], fetcher=f)
        edited = [RECALL[0].replace("10,000", "12,000"), *RECALL[1:]]
        site.put("/gazette/recall.html", article("Acme recalls toasters", edited))
        result = _recheck(db, story, f)
    assert result["updated"] == 1
    (change,) = result["changes"]
    latest = coverage.get_revision(db, change["revision_id"])
    assert "-Acme Widgets said on Monday it would recall 10,000 toasters" in latest["diff"]
    assert "+Acme Widgets said on Monday it would recall 12,000 toasters" in latest["diff"]
    events = rows(db, "SELECT event, coverage_id, revision_id, kind FROM coverage_events ORDER BY revision_id")
    assert [e["event"] for e in events] == ["first_seen", "changed"]
    assert events[1]["revision_id"] == change["revision_id"] and events[1]["kind"] == "article"


def test_a_changed_statement_is_a_change_event_of_kind_statement(db, story, site):
    site.put("/newsroom/2026/recall.html", article("Statement on the recall", RECALL, outlet="Acme Newsroom"))
    listing = site.put("/newsroom/", '<a href="/newsroom/2026/recall.html">Statement</a>')
    sources.add_source(db, story["id"], listing, "statement", outlet="Acme Widgets")
    with fetcher() as f:
        run_pass(db, story["slug"], fetcher=f)
        quietly_edited = [*RECALL[:1], "The company said one minor injury had been reported.", *RECALL[2:]]
        site.put("/newsroom/2026/recall.html", article("Statement on the recall", quietly_edited))
        result = _recheck(db, story, f)
    assert result["updated"] == 1
    (event,) = rows(db, "SELECT * FROM coverage_events WHERE event = 'changed'")
    assert event["kind"] == "statement" and event["outlet"] == "Acme Widgets"
    assert "+The company said one minor injury had been reported." in event["diff"]


def test_a_statement_sentence_edited_only_in_its_own_date_is_a_change_event(db, story, site):
    """A date inside a sentence of a statement is the statement's words, not the page's "Updated" stamp."""
    said = "Acme said the list of affected models was updated on March 3, 2026, after the review."
    site.put("/newsroom/2026/recall.html", article("Statement on the recall", [said, *RECALL]))
    listing = site.put("/newsroom/", '<a href="/newsroom/2026/recall.html">Statement</a>')
    sources.add_source(db, story["id"], listing, "statement", outlet="Acme Widgets")
    with fetcher() as f:
        run_pass(db, story["slug"], fetcher=f)
        backdated = said.replace("March 3", "March 13")
        site.put("/newsroom/2026/recall.html", article("Statement on the recall", [backdated, *RECALL]))
        result = _recheck(db, story, f)
    assert result["updated"] == 1
    (event,) = rows(db, "SELECT * FROM coverage_events WHERE event = 'changed'")
    assert event["kind"] == "statement" and f"+{backdated}" in event["diff"]


def test_cli_scrape_names_changed_items(db, db_path, story, site, monkeypatch):
    monkeypatch.setenv("TRACKER_ALLOW_PRIVATE", "1")
    monkeypatch.setenv("TRACKER_MIN_INTERVAL", "0")
    _feed_with_one_page(site, story, db, article("Acme recalls toasters", RECALL))
    runner = CliRunner()
    assert runner.invoke(cli, ["--db", str(db_path), "scrape"]).exit_code == 0
    site.put("/gazette/recall.html", article("Acme recalls toasters", [*RECALL, "Acme later apologised."]))
    db.execute("UPDATE coverage SET next_check_at = ?", [now()])
    db.conn.commit()
    result = runner.invoke(cli, ["--db", str(db_path), "scrape", story["slug"]])
    assert result.exit_code == 0, result.output
    assert "changed: Acme recalls toasters (Gazette) " in result.output
    assert (
        result.output.strip().splitlines()[-1]
        == "new: 0, updated: 1, unchanged: 1, skipped: 0, failed: 0, candidates: 0"
    )


def test_item_recheck_sends_its_validators_and_a_304_costs_no_parse(db, story, site):
    _feed_with_one_page(site, story, db, article("Acme recalls toasters", RECALL))
    with fetcher() as f:
        run_pass(db, story["slug"], fetcher=f)
        result = _recheck(db, story, f)
    assert site.statuses("/gazette/recall.html") == [200, 304]
    assert site.hits("/gazette/recall.html")[1].headers.get("If-None-Match")
    assert result["parsed"] == 0 and result["unchanged"] == 2  # the feed and the page


def test_young_items_are_checked_every_few_minutes_old_ones_daily(db, story, site):
    young = site.put("/young.html", article("Acme young", RECALL, published=now()))
    old = site.put("/old.html", article("Acme old", RECALL[1:], published="2025-01-01T00:00:00Z"))
    site.put(
        "/feed.xml",
        rss(
            "Gazette",
            [
                {"link": young, "title": "Acme young", "pubDate": now()},
                {"link": old, "title": "Acme old", "pubDate": "Wed, 01 Jan 2025 00:00 GMT"},
            ],
        ),
    )
    sources.add_source(db, story["id"], site.url("/feed.xml"), "feed")
    at = now()
    with fetcher() as f:
        run_pass(db, story["slug"], fetcher=f, at=at)
    due = {i["canonical_url"]: i["next_check_at"] for i in coverage.list_items(db, story["id"])}
    assert due[young] == later(at, 5 * 60)
    assert due[old] == later(at, 24 * 3600)


def test_schedule_backs_off_with_age_and_failures():
    ages = [0, 30 * 60, 2 * 3600, 12 * 3600, 3 * 86400, 30 * 86400]
    delays = [recheck_delay(a) for a in ages]
    assert delays == sorted(delays) and delays[0] == 300 and delays[-1] == RECHECK_OLD
    assert [backoff(n, 600) for n in (1, 2, 3)] == [1200, 2400, 4800]
    assert backoff(20, 600) == 6 * 3600  # capped
    assert backoff(1, 600, retry_after=7200) == 7200  # the site's Retry-After wins when longer
    assert item_backoff(0, 1) == 600 and item_backoff(0, 30) == RECHECK_OLD
    assert later("2026-03-02T14:30:00Z", 90) == "2026-03-02T14:31:30Z"
    assert parse_time("not a date") is None


def test_a_revision_hashed_the_old_way_is_not_duplicated_by_the_new_normalisation(db, story):
    item = coverage.upsert_item(db, story["id"], "https://gazette.example/a", title="Acme")
    text = "Acme said it would recall toasters.\nUpdated 3 minutes ago"
    old_hash = hashlib.sha256(" ".join(text.split()).encode()).hexdigest()  # whitespace-only, as first shipped
    db.execute(
        "INSERT INTO revisions (coverage_id, fetched_at, content_hash, text) VALUES (?, ?, ?, ?)",
        [item, now(), old_hash, text],
    )
    db.conn.commit()
    _, created = coverage.add_revision(db, item, "Acme said it would recall toasters.\nUpdated 9 minutes ago")
    assert not created


def _atom(link: str, updated: str) -> str:
    return f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Gazette</title><id>urn:gazette</id><updated>{updated}</updated>
<entry><title>Acme recalls toasters</title><link href="{link}"/><id>urn:recall</id>
<published>2026-03-02T14:30:00Z</published><updated>{updated}</updated></entry></feed>"""


def test_a_feed_saying_an_entry_was_updated_brings_its_page_check_forward(db, story, site):
    from datetime import UTC, datetime, timedelta

    page = site.put("/gazette/recall.html", article("Acme recalls toasters", RECALL))
    site.put("/feed.xml", _atom(page, "2026-03-02T14:30:00Z"), content_type="application/atom+xml")
    sources.add_source(db, story["id"], site.url("/feed.xml"), "feed")
    with fetcher() as f:
        run_pass(db, story["slug"], fetcher=f)
        (item,) = coverage.list_items(db, story["id"])
        assert item["revision_count"] == 1 and item["next_check_at"] > now()
        # The outlet corrects the story and its feed says so, minutes later: long before the page is due.
        site.put("/gazette/recall.html", article("Acme recalls toasters", [*RECALL, "Correction: 12,000 units."]))
        soon = (datetime.now(UTC) + timedelta(minutes=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
        site.put("/feed.xml", _atom(page, soon), content_type="application/atom+xml")
        result = run_pass(db, story["slug"], fetcher=f)
    assert result["updated"] == 1, result["problems"]
    (item,) = coverage.list_items(db, story["id"])
    assert item["revision_count"] == 2 and item["modified_at"] == soon
    assert item["next_check_at"] > now()  # back on its schedule


def test_a_feed_update_date_in_the_far_future_or_before_the_last_check_changes_nothing(db, story, site):
    page = _feed_with_one_page(site, story, db, article("Acme recalls toasters", RECALL))
    with fetcher() as f:
        run_pass(db, story["slug"], fetcher=f)
    (item,) = coverage.list_items(db, story["id"])
    due = item["next_check_at"]
    assert coverage.recheck_if_updated(db, item["id"], "2026-03-01T00:00:00Z") == 0  # before we looked
    assert coverage.recheck_if_updated(db, item["id"], "2999-01-01T00:00:00Z") == 0  # not believed
    assert coverage.list_items(db, story["id"])[0]["next_check_at"] == due
    assert page


def test_the_diff_of_two_revisions_keeps_its_words_and_ends_in_bounded_time():
    """Two revisions of one paragraph of 2,000 words, "a a a …" and then "b a b a …", took four minutes to
    compare (the word diff grows with the cube of repeated words), and a statement's publisher chooses the
    words. A child process runs it so that a regression fails the suite instead of hanging it (the limit
    is a guard, not the measure)."""
    code = (
        "from tracker.coverage import diff_texts\n"
        "n = 20_000\n"
        "old = ' '.join(['a'] * n) + '\\n' + '\\n'.join(['x'] * n)\n"
        "new = ' '.join('a' if i % 2 else 'b' for i in range(n))\n"
        "new += '\\n' + '\\n'.join('x' if i % 2 else 'y' for i in range(n))\n"
        "rows = diff_texts(old, new)\n"
        "removed = ''.join(s['text'] for r in rows for s in r['old'] if s['op'] == 'removed')\n"
        "added = ''.join(s['text'] for r in rows for s in r['new'] if s['op'] == 'added')\n"
        "print(removed.count('a'), added.count('b'), added.count('y'))\n"
    )
    output = python_output(code)
    removed_a, added_b, added_y = map(int, output.split())
    assert added_b >= 10_000 and added_y >= 10_000 and removed_a >= 10_000  # every change is still shown


def test_an_edit_in_a_long_text_is_still_marked_word_by_word():
    old = "\n".join(f"Paragraph {i} says the plant opens in March." for i in range(300))
    new = old.replace("Paragraph 150 says the plant opens in March.", "Paragraph 150 says the plant opens in May.")
    rows = [r for r in coverage.diff_texts(old, new) if r["kind"] != "equal" and r["kind"] != "skip"]
    assert [r["kind"] for r in rows] == ["changed"]
    assert [s for s in rows[0]["old"] if s["op"] == "removed"] == [{"op": "removed", "text": "March."}]
    assert [s for s in rows[0]["new"] if s["op"] == "added"] == [{"op": "added", "text": "May."}]


def test_a_real_edit_alongside_page_noise_is_the_only_change_editors_are_shown(db, story, site):
    """The stamp and counter that change on every fetch are no change in the alert or the editor's diff."""
    stamp = "<p>Last updated {} minutes ago · {} views</p>"
    site.put("/newsroom/2026/recall.html", article("Statement on the recall", RECALL, extra=stamp.format(3, "1,204")))
    listing = site.put("/newsroom/", '<a href="/newsroom/2026/recall.html">Statement</a>')
    sources.add_source(db, story["id"], listing, "statement", outlet="Acme Widgets")
    with fetcher() as f:
        run_pass(db, story["slug"], fetcher=f)
        edited = [*RECALL[:1], RECALL[1].replace("no injuries had", "two injuries had"), *RECALL[2:]]
        site.put(
            "/newsroom/2026/recall.html", article("Statement on the recall", edited, extra=stamp.format(17, "1,377"))
        )
        result = _recheck(db, story, f)
    assert result["updated"] == 1
    (alert,) = rows(db, "SELECT subject, payload FROM alert_events WHERE kind = 'coverage_changed'")
    assert alert["subject"].endswith(": “no” → “two”"), alert["subject"]
    changes = json.loads(alert["payload"])["changes"]
    assert len(changes) == 1 and "minutes ago" not in json.dumps(changes)
    (item,) = coverage.list_items(db, story["id"])
    first, second = rows(db, "SELECT text FROM revisions WHERE coverage_id = ? ORDER BY id", [item["id"]])
    shown = [row for row in coverage.diff_texts(first["text"], second["text"]) if row["kind"] not in ("equal", "skip")]
    assert len(shown) == 1 and "two" in json.dumps(shown[0]["new"])


@pytest.mark.parametrize(
    "taken_down",
    [
        {"body": b"Gone", "status": 410, "content_type": "text/plain"},
        {"body": b"", "status": 301, "headers": {"Location": "/"}},  # sent to the site's home page
    ],
)
def test_a_statement_taken_down_is_an_alert_saying_so_once(db, story, site, taken_down):
    site.put("/", article("Acme Widgets", ["Welcome to Acme Widgets, makers of toasters and kettles since 1950."]))
    site.put("/newsroom/2026/recall.html", article("Statement on the recall", RECALL))
    listing = site.put("/newsroom/", '<a href="/newsroom/2026/recall.html">Statement</a>')
    sources.add_source(db, story["id"], listing, "statement", outlet="Acme Widgets")
    with fetcher() as f:
        run_pass(db, story["slug"], fetcher=f)
        site.put("/newsroom/2026/recall.html", **taken_down)
        for _ in range(4):  # gone after three answers in a row; a fourth pass no longer asks
            db.execute("UPDATE coverage SET next_check_at = ? WHERE gone_at IS NULL", ["2000-01-01T00:00:00Z"])
            db.conn.commit()
            run_pass(db, story["slug"], fetcher=f)
    (item,) = coverage.list_items(db, story["id"])
    assert item["gone_at"] is not None and item["revision_count"] == 1
    (alert,) = rows(db, "SELECT subject, payload FROM alert_events WHERE kind = 'coverage_changed'")
    assert alert["subject"] == "Statement taken down: Statement on the recall (Acme Widgets)"
    event = {"kind": "coverage_changed", **alert}
    body = messages.render([event], internal=True, editor_url="http://editor.example")
    assert "gone from the site" in body.body or "home page" in body.body, body.body
    assert "whitespace and layout only" not in body.body


def test_a_statement_listing_whose_links_carry_a_new_session_id_each_fetch_is_one_statement(db, story, site):
    site.put("/newsroom/2026/recall.html", article("Statement on the recall", RECALL))
    link = '<a href="/newsroom/2026/recall.html;jsessionid={}?xtor=RSS-{}">Statement</a>'
    site.put("/newsroom/", link.format("A1B2", 1))
    sources.add_source(db, story["id"], site.url("/newsroom/"), "statement", outlet="Acme Widgets")
    with fetcher() as f:
        run_pass(db, story["slug"], fetcher=f)
        site.put("/newsroom/", link.format("Z9Y8", 2))
        db.execute("UPDATE sources SET next_poll_at = NULL")
        db.conn.commit()
        result = run_pass(db, story["slug"], fetcher=f)
    assert result["new"] == 0
    (item,) = coverage.list_items(db, story["id"])
    assert item["canonical_url"] == site.url("/newsroom/2026/recall.html")
    assert len(rows(db, "SELECT id FROM alert_events WHERE kind = 'statement_new'")) == 1


def _listing(*paths: str) -> str:
    return "<!doctype html><html><head><title>Newsroom | Acme Widgets</title></head><body><h1>Newsroom</h1>" + "".join(
        f'<p><a href="{p}">Statement {n}</a></p>' for n, p in enumerate(paths)
    )


def _taken_down_after(db, story, site, f, **answer) -> dict:
    """The statement answers `answer` from now on; passes until it is marked gone or four checks went by."""
    site.put("/newsroom/2026/recall.html", **answer)
    for _ in range(4):
        db.execute("UPDATE coverage SET next_check_at = ? WHERE gone_at IS NULL", ["2000-01-01T00:00:00Z"])
        db.conn.commit()
        run_pass(db, story["slug"], fetcher=f)
    (item,) = [i for i in coverage.list_items(db, story["id"]) if i["canonical_url"].endswith("/recall.html")]
    return item


@pytest.mark.parametrize(
    "target",
    [
        "/newsroom/",  # the listing the source reads
        "/newsroom/2026/",  # a year's index above the statement, listing the others
        "/newsroom",  # the source's listing written without its slash, listing a single statement now
    ],
)
def test_a_statement_redirected_to_its_newsroom_listing_is_taken_down(db, story, site, target):
    others = [f"/newsroom/2026/other-{n}.html" for n in range(4)]
    site.put("/newsroom/2026/recall.html", article("Statement on the recall", RECALL))
    listing = site.put("/newsroom/", _listing("/newsroom/2026/recall.html"))
    site.put("/newsroom/2026/", _listing(*others))
    sources.add_source(
        db, story["id"], listing, "statement", outlet="Acme Widgets", config={"pattern": r"/recall\.html$"}
    )
    with fetcher() as f:
        run_pass(db, story["slug"], fetcher=f)
        site.put("/newsroom/", _listing(*others))  # the statement is no longer listed
        site.put("/newsroom", _listing(others[0]))
        item = _taken_down_after(db, story, site, f, body=b"", status=301, headers={"Location": target})
    assert item["gone_at"] is not None and item["revision_count"] == 1
    (alert,) = rows(db, "SELECT subject, payload FROM alert_events WHERE kind = 'coverage_changed'")
    assert alert["subject"] == "Statement taken down: Statement on the recall (Acme Widgets)"
    assert "listing" in json.loads(alert["payload"])["gone"]


def test_a_statement_redirected_to_its_new_address_above_it_is_not_taken_down(db, story, site):
    """An address above the statement that is a page of its own, not a listing (a slug dropped), is the page moved."""
    site.put("/newsroom/2026/recall.html", article("Statement on the recall", RECALL))
    listing = site.put("/newsroom/", _listing("/newsroom/2026/recall.html"))
    sources.add_source(db, story["id"], listing, "statement", outlet="Acme Widgets", config={"pattern": r"/2026/"})
    site.put("/newsroom/2026", article("Statement on the recall", RECALL))
    with fetcher() as f:
        run_pass(db, story["slug"], fetcher=f)
        item = _taken_down_after(db, story, site, f, body=b"", status=301, headers={"Location": "/newsroom/2026"})
    assert item["gone_at"] is None and item["check_failures"] == 0
    # Not taken down: moved, and followed there (a 301 is for good).
    subjects = [r["subject"] for r in rows(db, "SELECT subject FROM alert_events WHERE kind = 'coverage_changed'")]
    assert subjects == ["Statement moved: Statement on the recall (Acme Widgets)"]


def _as_stored_before_cleaning(db, url: str, stored: str) -> None:
    """The item as a version that kept session ids and campaign tags in addresses stored it."""
    db.execute("UPDATE coverage SET canonical_url = ? WHERE canonical_url = ?", [stored, url])
    db.execute("UPDATE sources SET next_poll_at = NULL, etag = NULL, last_modified = NULL")
    db.conn.commit()


def test_a_feed_item_stored_under_its_address_before_cleaning_is_found_under_its_cleaned_address(db, story, site):
    """An upgrade that strips session ids and campaign tags found every item stored before it once more under its
    cleaned address: a second item of the same article, and a second "new" alert."""
    page = _feed_with_one_page(site, story, db, article("Acme recalls toasters", RECALL))
    with fetcher() as f:
        run_pass(db, story["slug"], fetcher=f)
        old = page + ";jsessionid=A1B2?utm_source=rss&xtor=RSS-1"
        _as_stored_before_cleaning(db, page, old)
        entry = {"link": page + ";jsessionid=Z9Y8?xtor=RSS-2", "title": "Acme recalls toasters"}
        site.put("/feed.xml", rss("Gazette", [{**entry, "pubDate": "Mon, 02 Mar 2026 14:30 GMT"}]))
        result = run_pass(db, story["slug"], fetcher=f)
    assert result["new"] == 0
    (item,) = coverage.list_items(db, story["id"])
    assert item["canonical_url"] == old  # history is not rewritten: the item keeps the address it was stored under
    assert len(rows(db, "SELECT coverage_id FROM coverage_events WHERE event = 'first_seen'")) == 1


def test_a_statement_stored_under_its_address_before_cleaning_is_not_a_new_statement(db, story, site):
    for path in ("/newsroom/2026/recall.html?id=7", "/newsroom/2026/recall.html?at_medium=RSS&id=7"):
        site.put(path, article("Statement on the recall", RECALL))
    site.put("/newsroom/", '<a href="/newsroom/2026/recall.html?at_medium=RSS&amp;id=7">Statement</a>')
    sources.add_source(db, story["id"], site.url("/newsroom/"), "statement", outlet="Acme Widgets")
    with fetcher() as f:
        run_pass(db, story["slug"], fetcher=f)
        clean = site.url("/newsroom/2026/recall.html?id=7")
        _as_stored_before_cleaning(db, clean, site.url("/newsroom/2026/recall.html?at_medium=RSS&id=7"))
        site.put("/newsroom/", '<a href="/newsroom/2026/recall.html?id=7&amp;at_medium=Email">Statement</a>')
        result = run_pass(db, story["slug"], fetcher=f)
    assert result["new"] == 0
    assert len(coverage.list_items(db, story["id"])) == 1
    assert len(rows(db, "SELECT id FROM alert_events WHERE kind = 'statement_new'")) == 1


def test_a_statement_whose_only_change_is_its_stamp_and_a_cookie_banner_gets_no_new_revision(db, story, site):
    """A newsroom that stamps its build time in German and shows a cookie banner inside the statement's box on some
    fetches: each fetch was a new revision and a "Statement changed" alert of nothing the organisation said."""
    banner = (
        '<div class="notice"><p>Wir verwenden Cookies, um unsere Website zu verbessern. '
        "Alle akzeptieren oder Einstellungen wählen.</p></div>"
    )
    site.put("/newsroom/2026/recall.html", article("Statement on the recall", RECALL, extra="<p>Stand: 06.12.2026</p>"))
    listing = site.put("/newsroom/", '<a href="/newsroom/2026/recall.html">Statement</a>')
    sources.add_source(db, story["id"], listing, "statement", outlet="Acme Widgets")
    with fetcher() as f:
        run_pass(db, story["slug"], fetcher=f)
        stamped = banner + "<p>Stand: 07.12.2026, 09:10 Uhr</p>"
        site.put("/newsroom/2026/recall.html", article("Statement on the recall", RECALL, extra=stamped))
        result = _recheck(db, story, f)
    assert site.statuses("/newsroom/2026/recall.html") == [200, 200]
    assert result["updated"] == 0 and result["changes"] == []
    (item,) = coverage.list_items(db, story["id"])
    assert item["revision_count"] == 1
    assert not rows(db, "SELECT id FROM alert_events WHERE kind = 'coverage_changed'")


def test_a_statement_watched_as_a_page_that_redirects_to_its_newsroom_listing_is_no_new_revision(db, story, site):
    """A single statement is watched as a page (--kind page); sent to its newsroom's listing, the listing was stored
    as the statement's next revision, and a "changed" alert told of a statement rewritten into a list of links."""
    others = [f"/newsroom/2026/other-{n}.html" for n in range(4)]
    page = site.put("/newsroom/2026/recall.html", article("Statement on the recall", RECALL))
    site.put("/newsroom/", _listing(*others))
    (source_id,) = [sources.add_source(db, story["id"], page, "page")["id"]]
    with fetcher() as f:
        run_pass(db, story["slug"], fetcher=f)
        site.put("/newsroom/2026/recall.html", b"", status=301, headers={"Location": "/newsroom/"})
        for _ in range(3):
            db.execute("UPDATE sources SET next_poll_at = NULL")
            db.conn.commit()
            run_pass(db, story["slug"], fetcher=f)
    (item,) = coverage.list_items(db, story["id"])
    assert item["revision_count"] == 1
    # No change told of a statement rewritten into a list of links: it was taken down.
    (alert,) = rows(db, "SELECT subject, payload FROM alert_events WHERE kind = 'coverage_changed'")
    assert alert["subject"].startswith("Article taken down: Statement on the recall")
    assert "listing" in json.loads(alert["payload"])["gone"]
    source = sources.get_source(db, source_id)
    assert source["state"] == "gone" and "listing" in source["last_error"], source["last_error"]


def _feed_pass(db, story, site, f, entries: list[dict]) -> dict:
    site.put("/feed.xml", rss("Gazette", entries))
    db.execute("UPDATE sources SET next_poll_at = NULL")
    db.conn.commit()
    return run_pass(db, story["slug"], fetcher=f)


def test_an_entry_whose_link_changed_under_the_same_guid_is_the_same_item(db, story, site):
    """An outlet that rewrites a headline changes the article's address (its slug) and keeps the entry's guid; the
    old address redirects to the new. The entry was found again as a new article: a second item of the same
    story, and a second "new coverage" alert. Its guid now names the item it brought first."""
    old = site.put("/gazette/acme-recalls-toasters.html", article("Acme recalls toasters", RECALL))
    guid = "https://gazette.example/?p=4512"
    entry = {"title": "Acme recalls toasters", "guid": guid, "pubDate": "Mon, 02 Mar 2026 14:30 GMT"}
    sources.add_source(db, story["id"], site.put("/feed.xml", rss("Gazette", [{**entry, "link": old}])), "feed")
    with fetcher() as f:
        run_pass(db, story["slug"], fetcher=f)
        new = site.put("/gazette/acme-recalls-10000-toasters.html", article("Acme recalls 10,000 toasters", RECALL))
        site.put("/gazette/acme-recalls-toasters.html", b"", status=301, headers={"Location": new})
        result = _feed_pass(db, story, site, f, [{**entry, "link": new, "title": "Acme recalls 10,000 toasters"}])
    assert result["new"] == 0
    (item,) = coverage.list_items(db, story["id"])
    assert item["canonical_url"] == old  # the address it was first stored under
    assert len(rows(db, "SELECT coverage_id FROM coverage_events WHERE event = 'first_seen'")) == 1


def test_an_item_moved_under_its_guid_is_fetched_from_its_new_link_when_the_old_one_is_gone(db, story, site):
    """An article whose slug changed was found by its guid and kept its first address, and re-checks fetched that
    address: a site that answers 404 there, without sending readers on, had the article marked gone (and a
    "taken down" alert sent) while it lives at the link its feed gives."""
    old = site.put("/gazette/acme-recalls-toasters.html", article("Acme recalls toasters", RECALL))
    entry = {"title": "Acme recalls toasters", "guid": "https://gazette.example/?p=4512"}
    sources.add_source(db, story["id"], site.put("/feed.xml", rss("Gazette", [{**entry, "link": old}])), "feed")
    with fetcher() as f:
        run_pass(db, story["slug"], fetcher=f)
        new = site.put("/gazette/acme-recalls-10000-toasters.html", article("Acme recalls toasters", RECALL))
        site.put("/gazette/acme-recalls-toasters.html", b"not found", status=404)
        _feed_pass(db, story, site, f, [{**entry, "link": new, "title": "Acme recalls 10,000 toasters"}])
        for _ in range(4):
            db.execute("UPDATE coverage SET next_check_at = ?", ["2000-01-01T00:00:00Z"])
            db.conn.commit()
            run_pass(db, story["slug"], fetcher=f)
    (item,) = coverage.list_items(db, story["id"])
    assert item["canonical_url"] == old  # still named by its first address
    assert item["gone_at"] is None and item["check_failures"] == 0
    assert 404 not in site.statuses("/gazette/acme-recalls-10000-toasters.html")
    assert len(site.statuses("/gazette/acme-recalls-10000-toasters.html")) >= 4  # each re-check asked it
    assert item["revision_count"] == 1
    assert not rows(db, "SELECT id FROM alert_events WHERE kind = 'coverage_changed'")  # no "taken down"


def test_an_item_moved_to_a_new_link_sends_it_none_of_the_old_links_validators(db, story, site):
    """The ETag and Last-Modified an item kept were its old address's; sent to its new link, a tag that matched
    there by chance (many sites number their versions: "7") was answered 304, and the article's new text at its
    new link was never stored."""
    old = site.put("/gazette/acme-recalls-toasters.html", article("Acme recalls toasters", RECALL), etag='"7"')
    entry = {"title": "Acme recalls toasters", "guid": "https://gazette.example/?p=4512"}
    sources.add_source(db, story["id"], site.put("/feed.xml", rss("Gazette", [{**entry, "link": old}])), "feed")
    with fetcher() as f:
        run_pass(db, story["slug"], fetcher=f)
        assert rows(db, "SELECT etag FROM coverage") == [{"etag": '"7"'}]
        edited = article("Acme recalls 10,000 toasters", [*RECALL, "Acme later said the recall was widened."])
        new = site.put("/gazette/acme-recalls-10000-toasters.html", edited, etag='"7"')
        _feed_pass(db, story, site, f, [{**entry, "link": new, "title": "Acme recalls 10,000 toasters"}])
        _recheck(db, story, f)
    (hit,) = site.hits("/gazette/acme-recalls-10000-toasters.html")
    assert "If-None-Match" not in hit.headers and hit.status == 200
    (item,) = coverage.list_items(db, story["id"])
    assert item["revision_count"] == 2  # the new text, stored
    assert item["etag"] == '"7"'  # the new link's own, kept for its next check


def test_an_item_whose_feed_gives_its_own_address_again_is_fetched_from_it_again(db, story, site):
    """A feed that moved an article to an interim link and then back to its first address: the item kept being
    re-checked at the interim link, and was marked gone once that link stopped answering."""
    old = site.put("/gazette/acme-recalls-toasters.html", article("Acme recalls toasters", RECALL))
    entry = {"title": "Acme recalls toasters", "guid": "https://gazette.example/?p=4512"}
    sources.add_source(db, story["id"], site.put("/feed.xml", rss("Gazette", [{**entry, "link": old}])), "feed")
    with fetcher() as f:
        run_pass(db, story["slug"], fetcher=f)
        interim = site.put("/gazette/draft-4512.html", article("Acme recalls toasters", RECALL))
        _feed_pass(db, story, site, f, [{**entry, "link": interim}])
        _recheck(db, story, f)
        assert len(site.hits("/gazette/draft-4512.html")) == 1
        site.put("/gazette/draft-4512.html", b"not found", status=404)
        _feed_pass(db, story, site, f, [{**entry, "link": old}])
        for _ in range(4):
            db.execute("UPDATE coverage SET next_check_at = ?", ["2000-01-01T00:00:00Z"])
            db.conn.commit()
            run_pass(db, story["slug"], fetcher=f)
    (item,) = coverage.list_items(db, story["id"])
    assert rows(db, "SELECT fetch_url FROM coverage") == [{"fetch_url": None}]
    assert item["gone_at"] is None and item["check_failures"] == 0
    assert len(site.hits("/gazette/draft-4512.html")) == 1  # not asked again
    assert len(site.hits("/gazette/acme-recalls-toasters.html")) >= 5  # the first fetch, then each re-check


def test_an_article_whose_site_moved_between_http_and_https_is_the_same_item(db, story, site):
    """A site moving to https (or back) gave every article in its feed a new address: each was stored a second
    time, with a second "new coverage" alert. The same host and path under the other scheme is the same item,
    named by its first address and fetched from the one the feed gives now. (The test site speaks http only, so
    the item is stored as if the site had served https before.)"""
    page = _feed_with_one_page(site, story, db, article("Acme recalls toasters", RECALL))
    with fetcher() as f:
        run_pass(db, story["slug"], fetcher=f)
        first = "https://" + page.removeprefix("http://")
        _as_stored_before_cleaning(db, page, first)
        entry = {"link": page, "title": "Acme recalls toasters", "pubDate": "Mon, 02 Mar 2026 14:31 GMT"}
        assert _feed_pass(db, story, site, f, [entry])["new"] == 0
        db.execute("UPDATE coverage SET next_check_at = ?", ["2000-01-01T00:00:00Z"])
        db.conn.commit()
        run_pass(db, story["slug"], fetcher=f)
    (item,) = coverage.list_items(db, story["id"])
    assert item["canonical_url"] == first
    assert item["check_failures"] == 0 and item["check_error"] is None
    assert len(site.statuses("/gazette/recall.html")) == 2  # the first fetch and the re-check, over http
    assert len(rows(db, "SELECT coverage_id FROM coverage_events WHERE event = 'first_seen'")) == 1


@pytest.mark.parametrize(
    "guids", [("1", "1"), ("https://gazette.example/feed.xml", "https://gazette.example/feed.xml")]
)
def test_a_guid_that_names_a_place_in_the_feed_or_the_feed_itself_names_no_article(db, story, site, guids):
    """Feeds whose guid is the entry's position, or the same for every entry: a new article under a guid seen
    before is a new article."""
    first = site.put("/gazette/acme-recalls-toasters.html", article("Acme recalls toasters", RECALL))
    second = site.put("/gazette/acme-recalls-kettles.html", article("Acme recalls kettles", RECALL[1:]))
    entry = {"pubDate": "Mon, 02 Mar 2026 14:30 GMT"}
    feed = [{**entry, "link": first, "title": "Acme recalls toasters", "guid": guids[0]}]
    if guids[1] == "https://gazette.example/feed.xml":
        feed.append({**entry, "link": site.url("/gazette/other.html"), "title": "Acme other", "guid": guids[1]})
    sources.add_source(db, story["id"], site.put("/feed.xml", rss("Gazette", feed)), "feed")
    with fetcher() as f:
        run_pass(db, story["slug"], fetcher=f)
        result = _feed_pass(
            db, story, site, f, [{**entry, "link": second, "title": "Acme recalls kettles", "guid": guids[1]}]
        )
    assert result["new"] == 1


def test_an_entry_whose_link_holds_thousands_of_parameters_is_stored_like_any_other(db, story, site):
    """The look-up of an address stored before cleaning narrows its candidates by each parameter kept: a link with
    thousands of them made SQL too deep to run, and the whole feed failed."""
    path = "/gazette/recall.html?" + "&".join("p=1" for _ in range(1500))  # under 8 KB, as links are
    link = site.put(path, article("Acme recalls toasters", RECALL))
    entry = {"link": link, "title": "Acme recalls toasters", "pubDate": "Mon, 02 Mar 2026 14:30 GMT"}
    sources.add_source(db, story["id"], site.put("/feed.xml", rss("Gazette", [entry])), "feed")
    with fetcher() as f:
        result = run_pass(db, story["slug"], fetcher=f)
    assert result["new"] == 1 and result["failed"] == 0
    (item,) = coverage.list_items(db, story["id"])
    assert item["title"] == "Acme recalls toasters" and item["revision_count"] == 1


def test_a_guid_longer_than_any_address_is_not_kept(db, story, site):
    """A guid is kept on its item for good: a feed's 100,000-character guid was copied into the database whole."""
    page = site.put("/gazette/recall.html", article("Acme recalls toasters", RECALL))
    entry = {"link": page, "title": "Acme recalls toasters", "guid": "x" * 100_000}
    sources.add_source(db, story["id"], site.put("/feed.xml", rss("Gazette", [entry])), "feed")
    with fetcher() as f:
        assert run_pass(db, story["slug"], fetcher=f)["new"] == 1
    assert rows(db, "SELECT feed_guid FROM coverage") == [{"feed_guid": None}]


def _atom_entries(links: list[str], updated: str) -> str:
    entries = "".join(
        f'<entry><title>Acme recall, part {n}</title><link href="{link}"/><id>urn:recall-{n}</id>'
        f"<published>2026-03-02T14:30:00Z</published><updated>{updated}</updated></entry>"
        for n, link in enumerate(links)
    )
    return f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Gazette</title><id>urn:gazette</id><updated>{updated}</updated>
{entries}</feed>"""


def test_a_feed_stamping_every_entry_with_its_build_time_brings_no_check_forward(db, story, site):
    """A publishing system that writes the time it built the feed as every entry's <updated>: each poll said every
    article had just been updated, so every page was fetched again at every poll, and each item's modified date was
    the feed's build time. An update time all of three or more entries share says when the feed was built."""
    from datetime import UTC, datetime, timedelta

    links = [site.put(f"/gazette/recall-{n}.html", article(f"Acme recall, part {n}", RECALL)) for n in range(3)]
    site.put("/feed.xml", _atom_entries(links, "2026-03-02T14:30:00Z"), content_type="application/atom+xml")
    sources.add_source(db, story["id"], site.url("/feed.xml"), "feed")
    with fetcher() as f:
        run_pass(db, story["slug"], fetcher=f)
        built = (datetime.now(UTC) + timedelta(minutes=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
        site.put("/feed.xml", _atom_entries(links, built), content_type="application/atom+xml")
        db.execute("UPDATE sources SET next_poll_at = NULL")
        db.conn.commit()
        run_pass(db, story["slug"], fetcher=f)
    assert all(len(site.hits(f"/gazette/recall-{n}.html")) == 1 for n in range(3))
    assert [item["modified_at"] for item in coverage.list_items(db, story["id"])] == [None] * 3


def _gone_message(db, kind: str = "coverage_changed") -> tuple[dict, str]:
    (alert,) = rows(db, "SELECT subject, payload FROM alert_events WHERE kind = ?", [kind])
    event = {"kind": kind, **alert}
    return alert, messages.render([event], internal=False, editor_url="http://editor.example").body


def test_a_statement_taken_down_says_since_when_and_which_revision_is_kept(db, story, site):
    """A reporter reading "taken down" asks what is gone, since when, and what we still hold of it."""
    site.put("/newsroom/2026/recall.html", article("Statement on the recall", RECALL))
    listing = site.put("/newsroom/", '<a href="/newsroom/2026/recall.html">Statement</a>')
    sources.add_source(db, story["id"], listing, "statement", outlet="Acme Widgets")
    with fetcher() as f:
        run_pass(db, story["slug"], fetcher=f)
        item = _taken_down_after(db, story, site, f, body=b"Gone", status=410, content_type="text/plain")
    (first_missing,) = rows(
        db, "SELECT min(at) AS at FROM fetches WHERE url = ? AND outcome = 'error'", [item["canonical_url"]]
    )
    (kept,) = rows(db, "SELECT fetched_at FROM revisions WHERE coverage_id = ?", [item["id"]])
    alert, body = _gone_message(db)
    assert alert["subject"] == "Statement taken down: Statement on the recall (Acme Widgets)"
    assert f"Gone from {item['canonical_url']} since {first_missing['at']}" in body, body
    assert f"Its last revision (1 of 1, fetched {kept['fetched_at']}) is kept." in body, body


def test_a_watched_page_marked_gone_is_taken_down_as_a_statement_is(db, story, site):
    """A single statement watched as a page (--kind page) said "Source marked gone: 127.0.0.1" where the same
    statement read from a listing said "Statement taken down: TITLE (OUTLET)": one wording for one event."""
    page = site.put("/newsroom/2026/recall.html", article("Statement on the recall", RECALL, outlet="Acme Widgets"))
    source = sources.add_source(db, story["id"], page, "page")
    with fetcher() as f:
        run_pass(db, story["slug"], fetcher=f)
        site.put("/newsroom/2026/recall.html", b"not found", status=404, content_type="text/plain")
        for _ in range(GONE_AFTER):
            db.execute("UPDATE sources SET next_poll_at = NULL")
            db.conn.commit()
            run_pass(db, story["slug"], fetcher=f)
    assert sources.get_source(db, source["id"])["state"] == "gone"
    (item,) = coverage.list_items(db, story["id"])
    assert item["gone_at"] is not None and item["revision_count"] == 1
    assert not rows(db, "SELECT id FROM alert_events WHERE kind = 'source_failing'")  # not told twice
    alert, body = _gone_message(db)
    assert alert["subject"] == "Article taken down: Statement on the recall (Acme Widgets)"
    assert f"Gone from {page} since " in body and "Its last revision (1 of 1, fetched " in body, body
    # Resumed once the page is back: no longer marked gone.
    site.put("/newsroom/2026/recall.html", article("Statement on the recall", RECALL, outlet="Acme Widgets"))
    sources.set_state(db, source["id"], "active")
    with fetcher() as f:
        run_pass(db, story["slug"], fetcher=f)
    assert coverage.list_items(db, story["id"])[0]["gone_at"] is None


def _statement_moving(db, story, site, f, status: int) -> tuple[str, str]:
    """A statement stored, then answering `status` to its new address (its text edited there); one re-check."""
    old = site.put("/newsroom/2026/recall.html", article("Statement on the recall", RECALL))
    listing = site.put("/newsroom/", _listing("/newsroom/2026/recall.html"))
    sources.add_source(db, story["id"], listing, "statement", outlet="Acme Widgets", config={"pattern": r"/2026/"})
    run_pass(db, story["slug"], fetcher=f)
    moved = site.put(
        "/newsroom/2026/toaster-recall.html", article("Statement on the recall", [*RECALL, "Acme widened the recall."])
    )
    site.put("/newsroom/2026/recall.html", b"", status=status, headers={"Location": moved})
    _recheck(db, story, f)
    return old, moved


def test_a_statement_moved_for_good_is_followed_at_its_new_address_as_the_same_statement(
    db, story, site, client, auth, accounts
):
    """A statement whose address answers 301 to a new page (not the listing): the listing then linked the new
    address, a second statement with a second "new statement" alert, and nothing said it had moved."""
    with fetcher() as f:
        old, moved = _statement_moving(db, story, site, f, 301)
        site.put("/newsroom/", _listing("/newsroom/2026/toaster-recall.html"))
        db.execute("UPDATE sources SET next_poll_at = NULL")
        db.conn.commit()
        assert run_pass(db, story["slug"], fetcher=f)["new"] == 0
        _recheck(db, story, f)
    (item,) = coverage.list_items(db, story["id"])
    assert item["canonical_url"] == old and item["revision_count"] == 2  # its revisions, on the same statement
    assert len(site.hits("/newsroom/2026/recall.html")) == 2  # the first fetch, and the check that found the move
    assert site.statuses("/newsroom/2026/toaster-recall.html") == [200, 304]  # then asked at its new address
    assert len(rows(db, "SELECT id FROM alert_events WHERE kind = 'statement_new'")) == 1
    assert rows(db, "SELECT from_url, to_url, status FROM page_moves") == [
        {"from_url": old, "to_url": moved, "status": 301}
    ]
    (alert,) = rows(db, "SELECT subject, payload FROM alert_events WHERE dedupe_key LIKE 'coverage_moved:%'")
    assert alert["subject"] == "Statement moved: Statement on the recall (Acme Widgets)"
    body = messages.render([{"kind": "coverage_changed", **alert}], internal=False, editor_url="http://e.example").body
    assert f"Moved to {moved} (HTTP 301 at {old})" in body, body
    auth.login("reporter")
    page = client.get(f"/coverage/{item['id']}").get_data(as_text=True)
    assert "Moved to" in page and f'href="{moved}"' in page  # the statement's page says where it went


def test_a_statement_redirected_for_now_is_not_moved(db, story, site):
    """A 302 or 307 says the page is elsewhere for now: read there, but its address stays where it is asked."""
    with fetcher() as f:
        old, moved = _statement_moving(db, story, site, f, 302)
    (item,) = coverage.list_items(db, story["id"])
    assert item["revision_count"] == 2
    assert rows(db, "SELECT fetch_url FROM coverage") == [{"fetch_url": None}]
    assert not rows(db, "SELECT id FROM alert_events WHERE dedupe_key LIKE 'coverage_moved:%'")


def test_a_feed_still_linking_an_address_that_moved_for_good_does_not_undo_the_move(db, story, site):
    """Feeds keep linking an article's old address (a redirector's, http where the site serves https): each poll
    gave the item that address again, each check was redirected and recorded the move anew."""
    new = site.put("/gazette/2026/acme-recalls-toasters.html", article("Acme recalls toasters", RECALL))
    site.put("/gazette/recall.html", b"", status=301, headers={"Location": new})
    _feed_with_one_page(site, story, db, article("unused", RECALL))
    site.put("/gazette/recall.html", b"", status=301, headers={"Location": new})
    with fetcher() as f:
        run_pass(db, story["slug"], fetcher=f)
        for n in range(3):
            entry = {"link": site.url("/gazette/recall.html"), "title": "Acme recalls toasters", "description": str(n)}
            _feed_pass(db, story, site, f, [{**entry, "pubDate": "Mon, 02 Mar 2026 14:30 GMT"}])
            _recheck(db, story, f)
    (item,) = coverage.list_items(db, story["id"])
    assert item["revision_count"] == 1
    assert len(site.hits("/gazette/recall.html")) == 1  # asked once, then at the address it moved to
    assert len(rows(db, "SELECT id FROM page_moves")) == 1
    assert not rows(db, "SELECT id FROM alert_events WHERE dedupe_key LIKE 'coverage_moved:%'")  # moved before text


def test_a_watched_page_moved_for_good_is_the_same_item_at_its_new_address(db, story, site):
    """A page source whose page answers 301 to its new address: the page there was stored as a second item, new."""
    old = site.put("/newsroom/2026/recall.html", article("Statement on the recall", RECALL))
    sources.add_source(db, story["id"], old, "page")
    with fetcher() as f:
        run_pass(db, story["slug"], fetcher=f)
        edited = article("Statement on the recall", [*RECALL, "Acme widened the recall."])
        moved = site.put("/newsroom/2026/toaster-recall.html", edited)
        site.put("/newsroom/2026/recall.html", b"", status=301, headers={"Location": moved})
        for _ in range(2):
            db.execute("UPDATE sources SET next_poll_at = NULL, body_hash = NULL")
            db.conn.commit()
            run_pass(db, story["slug"], fetcher=f)
    (item,) = coverage.list_items(db, story["id"])
    assert item["canonical_url"] == old and item["revision_count"] == 2
    assert rows(db, "SELECT from_url, to_url FROM page_moves") == [{"from_url": old, "to_url": moved}]
    (alert,) = rows(db, "SELECT subject FROM alert_events WHERE dedupe_key LIKE 'coverage_moved:%'")
    assert alert["subject"].startswith("Article moved: Statement on the recall")


def test_a_watched_page_moved_for_good_with_its_bytes_unchanged_is_recorded_as_moved(db, story, site):
    """A page source whose page answers 301 to a new address serving the very same bytes: the pass took it for the
    page unchanged (its bytes' fingerprint matched) and recorded no move until its text changed."""
    body = article("Statement on the recall", RECALL)
    old = site.put("/newsroom/2026/recall.html", body)
    sources.add_source(db, story["id"], old, "page")
    with fetcher() as f:
        run_pass(db, story["slug"], fetcher=f)
        moved = site.put("/newsroom/2026/toaster-recall.html", body)
        site.put("/newsroom/2026/recall.html", b"", status=301, headers={"Location": moved})
        db.execute("UPDATE sources SET next_poll_at = NULL")
        db.conn.commit()
        summary = run_pass(db, story["slug"], fetcher=f)
    assert summary["unchanged"] == 1 and summary["new"] == 0
    (item,) = coverage.list_items(db, story["id"])
    assert item["canonical_url"] == old and item["revision_count"] == 1
    assert rows(db, "SELECT from_url, to_url, status FROM page_moves") == [
        {"from_url": old, "to_url": moved, "status": 301}
    ]
    assert rows(db, "SELECT fetch_url FROM coverage") == [{"fetch_url": moved}]


def test_an_item_redirected_for_now_is_asked_with_its_pages_validators_at_that_page_only(db, story, site):
    """A feed linking an address that answers 302 to the article (a tracking link, a "latest" address): the ETag
    kept was the article's, never sent across the redirect, so the article was fetched whole at every check. It is
    sent to the page it was answered from, and to no other page the address sends readers to later."""
    page = site.put("/gazette/2026/recall.html", article("Acme recalls toasters", RECALL))
    site.put("/gazette/recall.html", b"", status=302, headers={"Location": page})
    _feed_with_one_page(site, story, db, article("unused", RECALL))
    site.put("/gazette/recall.html", b"", status=302, headers={"Location": page})
    with fetcher() as f:
        run_pass(db, story["slug"], fetcher=f)
        _recheck(db, story, f)
        other = site.put("/gazette/2026/recall-2.html", article("Acme recalls toasters", RECALL), etag='"same"')
        site.put("/gazette/2026/recall.html", article("Acme recalls toasters", RECALL), etag='"same"')
        site.put("/gazette/recall.html", b"", status=302, headers={"Location": other})
        _recheck(db, story, f)
    assert site.statuses("/gazette/2026/recall.html") == [200, 304]
    assert [h.headers.get("If-None-Match") for h in site.hits("/gazette/recall.html")] == [None, None, None]
    (elsewhere,) = site.hits("/gazette/2026/recall-2.html")
    assert "If-None-Match" not in elsewhere.headers and elsewhere.status == 200
    (item,) = coverage.list_items(db, story["id"])
    assert item["revision_count"] == 1
    assert rows(db, "SELECT fetch_url FROM coverage") == [{"fetch_url": None}]  # redirected for now: not moved


def test_a_listing_linking_a_statement_s_new_address_in_the_pass_its_old_one_moves_keeps_one_statement(db, story, site):
    """The listing linked a statement's new address in the same pass as its old address first answered 301 to it:
    the new link became a second statement (with a second "new statement" alert) before the re-check found the
    move, and the move then pointed the first one at the second's address. One statement, its move recorded."""
    old = site.put("/newsroom/2026/recall.html", article("Statement on the recall", RECALL))
    listing = site.put("/newsroom/", _listing("/newsroom/2026/recall.html"))
    sources.add_source(db, story["id"], listing, "statement", outlet="Acme Widgets", config={"pattern": r"/2026/"})
    with fetcher() as f:
        run_pass(db, story["slug"], fetcher=f)
        moved = site.put(
            "/newsroom/2026/toaster-recall.html",
            article("Statement on the recall", [*RECALL, "Acme widened the recall."]),
        )
        site.put("/newsroom/2026/recall.html", b"", status=301, headers={"Location": moved})
        site.put("/newsroom/", _listing("/newsroom/2026/toaster-recall.html"))
        db.execute("UPDATE sources SET next_poll_at = NULL")
        db.conn.commit()
        summary = _recheck(db, story, f)
    (item,) = coverage.list_items(db, story["id"])
    assert item["canonical_url"] == old and item["revision_count"] == 2
    assert (summary["new"], summary["updated"]) == (0, 1)
    assert rows(db, "SELECT from_url, to_url, status FROM page_moves") == [
        {"from_url": old, "to_url": moved, "status": 301}
    ]
    assert len(rows(db, "SELECT id FROM alert_events WHERE kind = 'statement_new'")) == 1
    assert len(site.hits("/newsroom/2026/toaster-recall.html")) == 1  # read once, through the move


KILLED_AT = """
import os, signal, sys
from tests.sites import fetcher
from tracker.db import connect
from tracker.scrape import run_pass

db = connect(sys.argv[1])
db.conn.create_function("die", 0, lambda: os.kill(os.getpid(), signal.SIGKILL))
# Killed outright (as a power cut or the out-of-memory killer would) as the pass makes this change.
db.execute(f"CREATE TEMP TRIGGER kill_here BEFORE {sys.argv[3]} BEGIN SELECT die(); END")
with fetcher() as f:
    run_pass(db, sys.argv[2], fetcher=f, at=sys.argv[4])
"""


@pytest.mark.parametrize(
    "change",
    ["INSERT ON page_moves", "DELETE ON coverage", "INSERT ON revisions"],
)
def test_a_pass_killed_as_it_folds_a_moved_statement_s_new_link_leaves_the_next_pass_one_statement(
    db, db_path, story, site, change
):
    """The pass that finds a statement's 301 in the same pass as its listing links the new address, killed at
    each of its changes in turn: the next pass finishes the move, with one statement, one "new statement"
    alert, the move recorded once, and a summary that counts nothing new."""
    import signal
    import subprocess
    import sys

    from tests.test_scrape import ROOT, _cli_env

    old = site.put("/newsroom/2026/recall.html", article("Statement on the recall", RECALL))
    listing = site.put("/newsroom/", _listing("/newsroom/2026/recall.html"))
    sources.add_source(db, story["id"], listing, "statement", outlet="Acme Widgets", config={"pattern": r"/2026/"})
    with fetcher() as f:
        run_pass(db, story["slug"], fetcher=f)
    moved = site.put(
        "/newsroom/2026/toaster-recall.html", article("Statement on the recall", [*RECALL, "Acme widened the recall."])
    )
    site.put("/newsroom/2026/recall.html", b"", status=301, headers={"Location": moved})
    site.put("/newsroom/", _listing("/newsroom/2026/toaster-recall.html"))
    # The statement was last read a while before (its check is due): not within the second the new link is found.
    db.execute("UPDATE sources SET next_poll_at = NULL")
    db.execute("UPDATE coverage SET last_checked_at = '2026-03-01T09:00:00Z'")
    db.conn.commit()
    (item,) = coverage.list_items(db, story["id"])
    killed = subprocess.run(
        [sys.executable, "-c", KILLED_AT, str(db_path), story["slug"], change, item["next_check_at"]],
        cwd=ROOT,
        env={**_cli_env(db_path), "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)

    with fetcher() as f:
        db.execute("UPDATE sources SET next_poll_at = NULL")
        db.conn.commit()
        summary = run_pass(db, story["slug"], fetcher=f, at=item["next_check_at"])
        again = run_pass(db, story["slug"], fetcher=f, at=item["next_check_at"])
    items = [(i["canonical_url"], i["revision_count"]) for i in coverage.list_items(db, story["id"])]
    assert items == [(old, 2)], (items, summary)
    (kept,) = coverage.list_items(db, story["id"])
    assert kept["canonical_url"] == old and kept["revision_count"] == 2, coverage.list_items(db, story["id"])
    assert summary["new"] == 0 and again["new"] == 0, (summary, again)
    assert rows(db, "SELECT from_url, to_url, status FROM page_moves") == [
        {"from_url": old, "to_url": moved, "status": 301}
    ]
    assert len(rows(db, "SELECT id FROM alert_events WHERE kind = 'statement_new'")) == 1
    assert len(rows(db, "SELECT id FROM alert_events WHERE dedupe_key LIKE 'coverage_moved:%'")) == 1


def test_a_feed_linking_an_article_s_new_address_in_the_pass_its_old_one_moves_keeps_one_item(db, story, site):
    """The same with a feed whose entries have no guid to find the article by: its new link was a second item."""
    old = site.put("/gazette/acme-recalls-toasters.html", article("Acme recalls toasters", RECALL))
    entry = {"title": "Acme recalls toasters", "pubDate": "Mon, 02 Mar 2026 14:30 GMT"}
    sources.add_source(db, story["id"], site.put("/feed.xml", rss("Gazette", [{**entry, "link": old}])), "feed")
    with fetcher() as f:
        run_pass(db, story["slug"], fetcher=f)
        new = site.put("/gazette/2026/acme-recalls-toasters.html", article("Acme recalls toasters", RECALL))
        site.put("/gazette/acme-recalls-toasters.html", b"", status=301, headers={"Location": new})
        site.put("/feed.xml", rss("Gazette", [{**entry, "link": new}]))
        db.execute("UPDATE sources SET next_poll_at = NULL")
        db.conn.commit()
        summary = _recheck(db, story, f)
    (item,) = coverage.list_items(db, story["id"])
    assert item["canonical_url"] == old and item["revision_count"] == 1
    assert summary["new"] == 0
    assert rows(db, "SELECT from_url, to_url FROM page_moves") == [{"from_url": old, "to_url": new}]
