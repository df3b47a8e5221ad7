"""What a page's fetches have in common: a date that is the statement's own, or a counter written as a sentence."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tests.sites import RECALL, article, fetcher
from tracker import coverage, sources
from tracker.coverage import content_hash, normalize_for_hash
from tracker.db import rows
from tracker.scrape import run_pass

DEC_7 = "2026-12-07T09:00:00Z"


@pytest.mark.parametrize("at", [(), (DEC_7,)])
@pytest.mark.parametrize(
    "before,after",
    [
        # A date on its own line is the statement's words when nothing says it is the page's stamp.
        ("The recall starts on\n12 January 2027", "The recall starts on\n12 February 2027"),
        ("The recall starts on\n12 February 2027", "The recall starts on\n31 March 2027"),
        ("Customers can return it until\n31 December 2026", "Customers can return it until\n31 March 2027"),
        ("Figures cover\n1 Jan-30 Jun 2026", "Figures cover\n1 Jan-30 Sep 2026"),
        ("Figures cover\n1 Jan – 30 Jun 2026", "Figures cover\n1 Jan – 30 Sep 2026"),
        ("Die Frist endet am\n06.01.2027", "Die Frist endet am\n06.02.2027"),
        ("Hearing:\nMonday, January 11, 2027", "Hearing:\nMonday, February 8, 2027"),
        # A sentence that states a number of people is the text, however short.
        ("Text.\n1,204 people were evacuated.", "Text.\n1,377 people were evacuated."),
        ("Police said 300 people are watching the building.", "Police said 400 people are watching the building."),
        ("Text.\nIt drew 12 comments.", "Text.\nIt drew 31 comments."),
    ],
)
def test_a_date_or_number_that_is_the_texts_own_changes_the_hash(before, after, at):
    assert content_hash(before, at) != content_hash(after, at), normalize_for_hash(after, at)


@pytest.mark.parametrize(
    "before,after",
    [
        # A date under a stamp's words on the line before: the stamp split over two lines.
        ("Text.\nLast updated:\n6 December 2026", "Text.\nLast updated:\n7 December 2026"),
        ("Text.\nPublished\nMarch 3, 2026", "Text.\nPublished\nMarch 4, 2026"),
        ("Text.\nThis page was last reviewed on\n6 December 2026", "Text.\nThis page was last reviewed on\n7 Dec 2026"),
        ("Text.\nStand:\n06.12.2026", "Text.\nStand:\n07.12.2026"),
        ("Text.\nMis à jour le\n6 décembre 2026", "Text.\nMis à jour le\n7 décembre 2026"),
        ("Text.\nActualizado el\n6 de diciembre de 2026", "Text.\nActualizado el\n7 de diciembre de 2026"),
        # A live reader counter written as a sentence, on a line of its own.
        ("Text.\n1,204 people are reading this now.", "Text.\n1,377 people are reading this now."),
        ("Text.\n1,204 people are reading this.", "Text.\n977 people are reading this."),
        ("Text.\nRight now, 88 people are reading this!", "Text.\nRight now, 91 people are reading this!"),
        ("Text.\n88 readers now.", "Text.\n91 readers now."),
        ("Text.\nViewed 1,204 times.", "Text.\nViewed 1,377 times."),
        ("Text.\n5 min read.", "Text.\n6 min read."),
    ],
)
def test_a_stamp_split_over_two_lines_or_a_counter_ending_like_a_sentence_is_noise(before, after):
    assert content_hash(before) == content_hash(after), (normalize_for_hash(before), normalize_for_hash(after))


def test_a_page_printing_the_day_it_is_fetched_is_noise_on_that_day_only():
    """A news page's header date is the day of the fetch (in some time zone); the same line far from it is text."""
    dec_8 = "2026-12-08T23:30:00Z"
    monday, tuesday = "Monday, 7 December 2026\nText.", "Tuesday, 8 December 2026\nText."
    assert content_hash(monday, [DEC_7]) == content_hash(tuesday, [dec_8])
    assert content_hash("7 December 2026\nText.", [DEC_7]) == content_hash("9 December 2026\nText.", [dec_8])  # UTC+14
    assert content_hash("7 December 2026\nText.") != content_hash("8 December 2026\nText.")
    # Without its year, as many headers print the day: the year of the fetch.
    assert content_hash("Monday, December 7\nText.", [DEC_7]) == content_hash("Tuesday, December 8\nText.", [dec_8])
    new_year = "2027-01-01T10:00:00Z"
    assert content_hash("Thursday, 31 December\nText.", [new_year]) == content_hash("1 January\nText.", [new_year])
    assert content_hash("The recall starts on\n12 January", [DEC_7]) != content_hash(
        "The recall starts on\n12 March", [DEC_7]
    )
    far = "2027-03-01T09:00:00Z"
    assert content_hash("7 December 2026\nText.", [far]) != content_hash("8 December 2026\nText.", [far])


def test_the_same_text_fetched_on_the_day_its_date_names_is_not_a_new_revision(db, story):
    """A statement naming a day near one fetch and not another is the same text on both: no revision of its own."""
    item = coverage.upsert_item(db, story["id"], "https://acme.example/recall", kind="statement")
    text = "The recall starts on\n8 December 2026\nCall the support line."
    first, created = coverage.add_revision(db, item, text, fetched_at="2026-12-01T09:00:00Z")
    assert created
    for when in ("2026-12-07T09:00:00Z", "2026-12-08T09:00:00Z", "2026-12-12T09:00:00Z"):
        assert coverage.add_revision(db, item, text, fetched_at=when) == (first, False)
    moved, created = coverage.add_revision(db, item, text.replace("8 December", "15 December"), fetched_at=when)
    assert created and moved != first


def _statement_page(site, lines: list[str]) -> None:
    site.put("/newsroom/2026/recall.html", article("Statement on the recall", [*RECALL[:2], *lines, *RECALL[2:]]))


def _watch_statement(db, story, site) -> None:
    listing = site.put("/newsroom/", '<a href="/newsroom/2026/recall.html">Statement</a>')
    sources.add_source(db, story["id"], listing, "statement", outlet="Acme Widgets")


def _recheck(db, story, f):
    (item,) = coverage.list_items(db, story["id"])
    return run_pass(db, story["slug"], fetcher=f, at=item["next_check_at"])


def test_a_recall_date_moved_on_its_own_line_is_a_revision_each_time(db, story, site):
    _statement_page(site, ["The recall starts on", "12 January 2027"])
    _watch_statement(db, story, site)
    with fetcher() as f:
        run_pass(db, story["slug"], fetcher=f)
        results = []
        for moved in ("12 February 2027", "31 March 2027"):
            _statement_page(site, ["The recall starts on", moved])
            results.append(_recheck(db, story, f))
    assert [r["updated"] for r in results] == [1, 1]
    (item,) = coverage.list_items(db, story["id"])
    assert item["revision_count"] == 3
    changed = rows(db, "SELECT diff FROM coverage_events WHERE event = 'changed' ORDER BY revision_id")
    assert "+31 March 2027" in changed[-1]["diff"]
    (alert,) = rows(db, "SELECT subject FROM alert_events WHERE kind = 'coverage_changed' ORDER BY id DESC LIMIT 1")
    assert "“12 February” → “31 March”" in alert["subject"]


def test_a_page_printing_todays_date_and_a_live_reader_count_is_not_a_revision(db, story, site):
    today = datetime.now(UTC).date()
    tomorrow = today + timedelta(days=1)  # a fetch after midnight, or a page in a zone ahead of UTC
    _statement_page(site, [f"{today:%A, %d %B %Y}", "1,204 people are reading this now."])
    _watch_statement(db, story, site)
    with fetcher() as f:
        run_pass(db, story["slug"], fetcher=f)
        _statement_page(site, [f"{tomorrow:%A, %d %B %Y}", "1,377 people are reading this now."])
        result = _recheck(db, story, f)
    assert result["updated"] == 0 and result["unchanged"] == 2  # the listing and the statement
    (item,) = coverage.list_items(db, story["id"])
    assert item["revision_count"] == 1
    assert rows(db, "SELECT id FROM alert_events WHERE kind = 'coverage_changed'") == []


def test_a_revision_hashed_when_its_date_line_was_noise_is_not_stored_again_unchanged(db, story):
    """A revision stored while a date alone was taken for a stamp: its text unchanged is no revision after upgrade."""
    item = coverage.upsert_item(db, story["id"], "https://acme.example/recall", kind="statement")
    text = "The recall starts on\n12 January 2027\nCall the support line."
    hashed_then = content_hash("The recall starts on\nCall the support line.")  # the date line set aside, as it was
    db.execute(
        "INSERT INTO revisions (coverage_id, fetched_at, content_hash, text) VALUES (?, ?, ?, ?)",
        [item, "2026-12-01T09:00:00Z", hashed_then, text],
    )
    (stored,) = rows(db, "SELECT id FROM revisions WHERE coverage_id = ?", [item])
    assert coverage.add_revision(db, item, text, fetched_at=DEC_7) == (stored["id"], False)
    moved, created = coverage.add_revision(db, item, text.replace("January", "February"), fetched_at=DEC_7)
    assert created and moved != stored["id"]


def test_a_diff_shows_a_labelled_stamps_date_as_unchanged_and_a_moved_deadline_as_changed():
    """What an editor's diff and an alert name as changed follows the hash's rule, the label line before included."""
    old = "Last updated:\n6 December 2026\nThe recall starts on\n12 January 2027\nAcme said yes."
    new = "Last updated:\n7 December 2026\nThe recall starts on\n12 February 2027\nAcme said no."
    diff = coverage.diff_texts(old, new)
    changed = ["".join(seg["text"] for seg in row["old"]) for row in diff if row["kind"] == "changed"]
    assert changed == ["12 January 2027", "Acme said yes."]
