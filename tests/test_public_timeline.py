"""What the public timeline tells readers: who reported a claim first, a statement's change once, a true correction.

Real working files, real publishes (through the publish log, as the editor and the command line do)
and the public site in process.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import feedparser
import pytest
import yaml
from bs4 import BeautifulSoup

from tests.test_public import get
from tracker import claims, coverage, stories
from tracker.editor.claims import is_correction
from tracker.public import make_datasette
from tracker.publish_log import publish_and_log

CITY = "https://city.example/notice"
WIRE = "https://wire.example/plant"


def _query(path, sql, params=()):
    conn = sqlite3.connect(path)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


def _rule(db, claim_id, status, editor, public="Why we ruled so."):
    return claims.set_status(
        db, claim_id, status, editor, "internal", claims.get_claim(db, claim_id)["version"], public
    )


def _publishable(db, claim_id, editor):
    claims.set_published(db, claim_id, True, editor, claims.get_claim(db, claim_id)["version"])


@pytest.fixture
def plant(db, story, accounts):
    """A city notice issued at 07:15 and quietly edited at 21:00, and a wire report at 09:00."""
    city = coverage.upsert_item(
        db, story["id"], CITY, kind="statement", outlet="City of Example", title="Notice",
        published_at="2026-12-05T07:15:00Z",
    )  # fmt: skip
    first, _ = coverage.add_revision(db, city, "The plant is operating normally.", "2026-12-05T07:20:00Z")
    edited, _ = coverage.add_revision(
        db, city, "The plant is operating normally. A pump fault was repaired.", "2026-12-05T21:00:00Z"
    )
    wire = coverage.upsert_item(
        db, story["id"], WIRE, outlet="Example Wire", title="Pump fault at plant", published_at="2026-12-05T09:00:00Z"
    )
    wire_rev, _ = coverage.add_revision(db, wire, "Workers say a pump fault was repaired.", "2026-12-05T09:05:00Z")
    return {"city": city, "first": first, "edited": edited, "wire": wire_rev}


def test_the_outlet_credited_first_is_the_one_whose_evidence_dates_the_claim(db, story, accounts, plant, tmp_path):
    reporter, editor = accounts["reporter"], accounts["editor"]
    # Words the city only added at 21:00: the wire had them at 09:00, so the wire reported them first.
    pump = claims.log_claim(db, story["id"], "A pump fault was repaired.", "workers", "named", reporter)
    claims.add_evidence(db, pump, plant["edited"], "A pump fault was repaired.", "supports", reporter)
    claims.add_evidence(db, pump, plant["wire"], "a pump fault was repaired.", "supports", reporter)
    # Words the city had from the start: the city reported them first, at 07:15, before the wire existed.
    normal = claims.log_claim(db, story["id"], "The plant is operating normally.", "City", "organization", reporter)
    claims.add_evidence(db, normal, plant["wire"], "Workers say a pump fault was repaired.", "context", reporter)
    claims.add_evidence(db, normal, plant["edited"], "The plant is operating normally.", "supports", reporter)
    for claim_id in (pump, normal):
        _publishable(db, claim_id, editor)
    out = tmp_path / "public.db"
    publish_and_log(db, out, editor)

    first = dict(
        (claim_id, (date, outlet, url))
        for claim_id, date, outlet, url in _query(
            out, "SELECT claim_id, date, outlet, source_url FROM events WHERE kind = 'first_reported'"
        )
    )
    assert first[pump] == ("2026-12-05T09:00:00Z", "Example Wire", WIRE)
    assert first[normal] == ("2026-12-05T07:15:00Z", "City of Example", CITY)
    ds = make_datasette(str(out))
    for claim_id, outlet in ((pump, "Example Wire"), (normal, "City of Example")):
        page = BeautifulSoup(get(ds, f"/public/claims/{claim_id}").text, "html.parser")
        first_line = page.select(".history-list li")[0].get_text(" ", strip=True)
        assert first_line.endswith(f"First reported by {outlet}."), first_line


def test_a_claim_dated_by_no_public_evidence_credits_nobody(db, story, accounts, plant, tmp_path):
    reporter, editor = accounts["reporter"], accounts["editor"]
    # Logged with the date it was first reported, before any evidence we hold: no source is credited with it.
    early = claims.log_claim(
        db, story["id"], "The plant closed.", "City", "organization", reporter, first_reported_at="2026-12-04T00:00:00Z"
    )
    claims.add_evidence(db, early, plant["wire"], "Workers say a pump fault was repaired.", "context", reporter)
    _publishable(db, early, editor)
    out = tmp_path / "public.db"
    publish_and_log(db, out, editor)
    assert _query(out, "SELECT date, outlet, source_url FROM events WHERE kind = 'first_reported'") == [
        ("2026-12-04T00:00:00Z", None, None)
    ]
    page = BeautifulSoup(get(make_datasette(str(out)), f"/public/claims/{early}").text, "html.parser")
    assert page.select(".history-list li")[0].get_text(" ", strip=True).endswith("First reported.")


def _three_claims_citing_the_notice(db, story, accounts, plant) -> list[int]:
    """Three publishable claims citing the notice's first words: one confirmed, one denied, one unreviewed."""
    reporter, editor = accounts["reporter"], accounts["editor"]
    cited = []
    for text, status in (("Normal operation.", "confirmed"), ("No fault found.", "denied"), ("All fine.", None)):
        claim_id = claims.log_claim(db, story["id"], text, "City", "organization", reporter)
        claims.add_evidence(db, claim_id, plant["first"], "The plant is operating normally.", "supports", reporter)
        if status:
            _rule(db, claim_id, status, editor)
        _publishable(db, claim_id, editor)
        cited.append(claim_id)
    return cited


def test_one_statement_revision_is_one_event_naming_every_claim_it_bears_on(db, story, accounts, plant, tmp_path):
    editor = accounts["editor"]
    cited = _three_claims_citing_the_notice(db, story, accounts, plant)
    out = tmp_path / "public.db"
    publish_and_log(db, out, editor)

    changes = _query(
        out, "SELECT id, claim_id, claim_ids, coverage_id, date, detail FROM events WHERE kind = 'statement_changed'"
    )
    assert [row[1:] for row in changes] == [
        (
            cited[0],
            ",".join(map(str, cited)),
            plant["city"],
            "2026-12-05T21:00:00Z",
            "The statement was revised (version 2 of 2).",
        )
    ]
    # The same working file gives the same event ids, publish after publish.
    ids = _query(out, "SELECT id, kind, claim_id FROM events ORDER BY id")
    publish_and_log(db, out, editor)
    assert _query(out, "SELECT id, kind, claim_id FROM events ORDER BY id") == ids

    ds = make_datasette(str(out))
    timeline_page = BeautifulSoup(get(ds, "/public/timeline").text, "html.parser")
    story_page = BeautifulSoup(get(ds, f"/stories/{story['slug']}").text, "html.parser")
    front_page = BeautifulSoup(get(ds, "/").text, "html.parser")
    for where, items in (
        ("timeline", timeline_page.select(".card-statement_changed")),
        ("story", [li for li in story_page.select(".latest-item") if "Statement changed" in li.get_text()]),
        ("front", [li for li in front_page.select(".latest-item") if "Statement changed" in li.get_text()]),
    ):
        assert len(items) == 1, where
        named = [a.get_text(strip=True) for a in items[0].select(".card-claims a")]
        assert named == ["Normal operation.", "No fault found.", "All fine."], where
    timeline = get(ds, "/public/timeline.json?_shape=array").json()
    assert [r["claim_ids"] for r in timeline if r["kind"] == "statement_changed"] == [",".join(map(str, cited))]
    # Filtered by the status of any claim it bears on, the change is still there, once.
    denied = get(ds, "/public/timeline.json?_shape=array&status=denied").json()
    assert [r["kind"] for r in denied].count("statement_changed") == 1
    csv_rows = get(ds, "/public/events.csv?_stream=on&kind=statement_changed").text.strip().splitlines()
    assert len(csv_rows) == 2  # the header and the one change
    slides = get(ds, "/public/timeline-js.json").json()["events"]
    changed = [s for s in slides if s["group"] == "Statement changed"]
    assert len(changed) == 1 and changed[0]["text"]["headline"] == "City of Example revised its statement"
    assert all(text in changed[0]["text"]["text"] for text in ("Normal operation.", "No fault found.", "All fine."))


def test_the_timelines_filters_find_a_statement_revision_through_its_claims_by_index(
    db, story, accounts, plant, tmp_path
):
    """The status and q filters match a statement's revision through any claim citing it, found through the
    evidence citing the statement (an index on its coverage_id), never by reading each event's claim_ids: that
    read every event row by row, 7 ms for a status on 41,000 events where the index takes 0.2 ms."""
    reporter, editor = accounts["reporter"], accounts["editor"]
    _three_claims_citing_the_notice(db, story, accounts, plant)
    other = claims.log_claim(db, story["id"], "A pump was repaired.", "Workers", "anonymous", reporter)
    claims.add_evidence(db, other, plant["wire"], "Workers say a pump fault was repaired.", "context", reporter)
    _publishable(db, other, editor)
    out = tmp_path / "public.db"
    publish_and_log(db, out, editor)
    ds = make_datasette(str(out))

    def changes(query: str) -> int:
        rows = get(ds, f"/public/timeline.json?_shape=array&{query}").json()
        return [r["kind"] for r in rows].count("statement_changed")

    # Through the second or third claim it bears on (claim_id names the first), by status or by words.
    for query, found in (
        ("status=denied", 1),
        ("status=unreviewed", 1),
        ("status=unclear", 0),
        ("q=fault+found", 1),  # the second claim's words
        ("q=fine", 1),
        ("q=pump", 0),  # only the other claim's
        ("q=pump&status=denied", 0),
        ("q=fine&status=unreviewed", 1),
    ):
        assert changes(query) == found, query
    slides = get(ds, "/public/timeline-js.json?status=denied").json()["events"]
    assert [s["group"] for s in slides].count("Statement changed") == 1

    sql = yaml.safe_load((Path(__file__).parent.parent / "metadata.yml").read_text())["databases"]["public"]["queries"]
    conn = sqlite3.connect(out)
    conn.create_function("tracker_fts", 1, lambda q: q)
    plan = [
        row[3]
        for row in conn.execute(
            "EXPLAIN QUERY PLAN " + sql["timeline"]["sql"], {"story": "", "before": "", "status": "denied", "q": "fine"}
        )
    ]
    conn.close()
    assert not [step for step in plan if "VIRTUAL TABLE" in step and "_fts" not in step], plan  # no json_each
    assert any("evidence_coverage_id" in step for step in plan), plan


def test_a_ruling_is_a_correction_only_once_readers_were_shown_an_earlier_one(db, story, accounts, plant, tmp_path):
    reporter, editor = accounts["reporter"], accounts["editor"]
    claim_id = claims.log_claim(db, story["id"], "Normal operation.", "City", "organization", reporter)
    claims.add_evidence(db, claim_id, plant["first"], "The plant is operating normally.", "supports", reporter)
    out = tmp_path / "public.db"
    _rule(db, claim_id, "unclear", editor)
    _publishable(db, claim_id, editor)
    # Marked publishable and ruled, but never published: readers have seen no ruling to correct.
    assert not is_correction(db, claims.get_claim(db, claim_id))
    _rule(db, claim_id, "confirmed", editor)
    publish_and_log(db, out, editor)
    assert _query(out, "SELECT to_status, is_correction FROM status_history ORDER BY id") == [
        ("unclear", 0),
        ("confirmed", 0),
    ]
    assert "correction" not in {k for (k,) in _query(out, "SELECT kind FROM events")}
    # Now readers were shown "confirmed": changing it is a correction, in the editor and for readers.
    assert is_correction(db, claims.get_claim(db, claim_id))
    _rule(db, claim_id, "denied", editor)
    publish_and_log(db, out, editor)
    assert _query(out, "SELECT to_status, is_correction FROM status_history ORDER BY id")[-1] == ("denied", 1)
    assert _query(out, "SELECT kind FROM events WHERE kind IN ('status_changed', 'correction') ORDER BY id") == [
        ("status_changed",),
        ("status_changed",),
        ("correction",),
    ]
    feed = feedparser.parse(get(make_datasette(str(out)), "/public/changes.atom").text)
    assert sorted(entry.title for entry in feed.entries) == [
        "Confirmed: Normal operation.",
        "Correction: Denied: Normal operation.",
        "Unclear: Normal operation.",
    ]


def test_a_build_that_never_reached_readers_shows_them_nothing_to_correct(db, story, accounts, plant, tmp_path):
    """The Publish page's review builds the file without swapping it in: nothing went out."""
    from tracker.publish import built

    reporter, editor = accounts["reporter"], accounts["editor"]
    claim_id = claims.log_claim(db, story["id"], "Normal operation.", "City", "organization", reporter)
    claims.add_evidence(db, claim_id, plant["first"], "The plant is operating normally.", "supports", reporter)
    _rule(db, claim_id, "unclear", editor)
    _publishable(db, claim_id, editor)
    with built(db, tmp_path):
        pass
    assert not is_correction(db, claims.get_claim(db, claim_id))


def test_a_claims_timeline_link_lists_every_event_that_bears_on_it(db, story, accounts, plant, tmp_path):
    """A statement's revision is listed under each claim citing it, and under no claim whose id is only a substring."""
    reporter, editor = accounts["reporter"], accounts["editor"]
    made = []
    while len(made) < 17:  # ids up to 17, so "1" and "7" are substrings of cited ids
        claim_id = claims.log_claim(db, story["id"], f"Claim number {len(made)}.", "City", "organization", reporter)
        claims.add_evidence(db, claim_id, plant["wire"], "Workers say a pump fault was repaired.", "context", reporter)
        _publishable(db, claim_id, editor)
        made.append(claim_id)
    cited = [c for c in made if c >= 10]
    for claim_id in cited:
        claims.add_evidence(db, claim_id, plant["first"], "The plant is operating normally.", "supports", reporter)
    out = tmp_path / "public.db"
    publish_and_log(db, out, editor)
    (change,) = _query(out, "SELECT id, claim_id, claim_ids FROM events WHERE kind = 'statement_changed'")
    assert change[1] == cited[0] and change[2] == ",".join(map(str, cited))

    ds = make_datasette(str(out))
    for claim_id in made:
        page = BeautifulSoup(get(ds, f"/public/claims/{claim_id}").text, "html.parser")
        (link,) = [a["href"] for a in page.select(".link-list a") if a.get_text(strip=True) == "Its timeline events"]
        path, _, query = link.partition("?")
        rows = get(ds, f"{path}.json?{query}&_shape=array").json()
        kinds = [r["kind"] for r in rows]
        assert kinds.count("first_reported") == 1 and all(
            r["claim_id"] == claim_id for r in rows if r["kind"] != "statement_changed"
        )
        assert kinds.count("statement_changed") == (claim_id in cited), (claim_id, kinds)
        assert [r["id"] for r in rows] == sorted((r["id"] for r in rows), reverse=True)  # newest first
        listed = BeautifulSoup(get(ds, link).text, "html.parser").get_text(" ", strip=True)
        assert ("The statement was revised" in listed) == (claim_id in cited), claim_id
    # Found through indexes whatever the number of events: no step reads the whole events table.
    sql = yaml.safe_load((Path(__file__).parent.parent / "metadata.yml").read_text())["databases"]["public"]["queries"]
    plan = _query(out, "EXPLAIN QUERY PLAN " + sql["claim_events"]["sql"], {"claim_id": str(cited[1])})
    assert not [step for *_, step in plan if step.startswith("SCAN")], plan
    # Not a number: no events, and no error.
    assert get(ds, "/public/claim_events.json?claim_id=7%20or%201&_shape=array").json() == []


def test_times_of_day_are_shown_in_utc_the_same_way_on_timeline_story_and_claim_pages(
    db, story, accounts, plant, tmp_path
):
    """A story that moves within a day: each page says when, to the minute, in UTC, in a machine-readable <time>."""
    reporter, editor = accounts["reporter"], accounts["editor"]
    pump = claims.log_claim(db, story["id"], "A pump fault was repaired.", "workers", "named", reporter)
    claims.add_evidence(db, pump, plant["wire"], "a pump fault was repaired.", "supports", reporter)
    _publishable(db, pump, editor)
    out = tmp_path / "public.db"
    publish_and_log(db, out, editor)
    ((latest,),) = _query(out, "SELECT max(date) FROM events")
    ((first,),) = _query(out, "SELECT first_reported_at FROM claims WHERE id = ?", (pump,))
    assert first == "2026-12-05T09:00:00Z"

    ds = make_datasette(str(out))
    timeline = BeautifulSoup(get(ds, "/public/timeline").text, "html.parser")
    story_page = BeautifulSoup(get(ds, f"/stories/{story['slug']}").text, "html.parser")
    claim_page = BeautifulSoup(get(ds, f"/public/claims/{pump}").text, "html.parser")
    headers = [page.select_one(".kicker time") for page in (timeline, story_page)]
    assert [(t["datetime"], t.get_text(strip=True)) for t in headers] == [
        (latest, f"Dec 5, 2026, {latest[11:16]} UTC")
    ] * 2
    # Every event on the story page and the timeline says its time of day, as the timeline's cards do.
    for where, times in (
        ("story", story_page.select(".latest-item > time")),
        ("timeline", timeline.select(".card-time")),
    ):
        assert times and all(t.get_text(strip=True).endswith(" UTC") for t in times), where
        assert all(t.get_text(strip=True)[:5] == t["datetime"][11:16] for t in times if where == "timeline"), where
    assert "Dec 5, 2026, 09:00 UTC" in [t.get_text(strip=True) for t in story_page.select(".latest-item > time")]
    claim_times = {t.get_text(strip=True) for t in claim_page.select("time") if t["datetime"] == first}
    assert claim_times == {"Dec 5, 2026, 09:00 UTC"}
    (facts_first,) = [
        dt.find_next_sibling("dd") for dt in claim_page.select(".facts dt") if dt.text == "First reported"
    ]
    assert facts_first.get_text(strip=True) == "Dec 5, 2026, 09:00 UTC"


def _claims_with_events(db, story, accounts, n):
    reporter, editor = accounts["reporter"], accounts["editor"]
    for i in range(n):
        claim_id = claims.log_claim(db, story["id"], f"Claim number {i}.", "City", "organization", reporter)
        _publishable(db, claim_id, editor)


@pytest.mark.parametrize("events, older", [(50, False), (51, True)])
def test_older_events_is_offered_only_when_there_is_an_older_event(db, story, accounts, tmp_path, events, older):
    _claims_with_events(db, story, accounts, events)
    out = tmp_path / "public.db"
    publish_and_log(db, out, accounts["editor"])
    assert _query(out, "SELECT count(*) FROM events") == [(events,)]

    ds = make_datasette(str(out))
    page = BeautifulSoup(get(ds, "/public/timeline").text, "html.parser")
    assert len(page.select(".rail-events > li")) == 50
    links = page.select('.pager a[rel="next"]')
    assert len(links) == older
    if older:
        next_page = BeautifulSoup(get(ds, links[0]["href"]).text, "html.parser")
        assert len(next_page.select(".rail-events > li")) == events - 50
        assert not next_page.select('.pager a[rel="next"]')
    # The JSON is the same page of 50.
    assert len(get(ds, "/public/timeline.json?_shape=array").json()) == 50


def _pump_cited_by_the_city(db, story, accounts, plant, tmp_path) -> tuple[int, Path]:
    """A claim the wire reported at 09:00, citing too the words the city's 21:00 edit added; published."""
    reporter, editor = accounts["reporter"], accounts["editor"]
    pump = claims.log_claim(db, story["id"], "A pump fault was repaired.", "workers", "named", reporter)
    claims.add_evidence(db, pump, plant["wire"], "a pump fault was repaired.", "supports", reporter)
    claims.add_evidence(db, pump, plant["edited"], "A pump fault was repaired.", "supports", reporter)
    _publishable(db, pump, editor)
    out = tmp_path / "public.db"
    publish_and_log(db, out, editor)
    return pump, out


def test_a_statement_cited_on_someone_elses_claim_is_not_labelled_as_that_claim_being_issued(
    db, story, accounts, plant, tmp_path
):
    """The 'statement' event is a statement cited as evidence on a claim, whoever made the claim."""
    pump, out = _pump_cited_by_the_city(db, story, accounts, plant, tmp_path)
    assert [k for (k,) in _query(out, "SELECT kind FROM events")].count("statement") == 1

    ds = make_datasette(str(out))
    page = BeautifulSoup(get(ds, "/public/timeline").text, "html.parser")
    (card,) = page.select(".card-statement")
    label = card.select_one(".card-kind").get_text(" ", strip=True)
    assert "issued" not in label.lower()
    assert label == "Statement cited: City of Example"
    story_page = BeautifulSoup(get(ds, f"/stories/{story['slug']}").text, "html.parser")
    kinds = [s.get_text(" ", strip=True) for s in story_page.select(".latest-kind")]
    assert "Statement cited: City of Example" in kinds and not [k for k in kinds if "issued" in k.lower()]


def test_a_statement_citing_words_a_later_revision_added_is_dated_when_they_were_added(
    db, story, accounts, plant, tmp_path
):
    """The city's 21:00 words were dated by the notice's 07:15, before the wire's 09:00 first report of them."""
    pump, out = _pump_cited_by_the_city(db, story, accounts, plant, tmp_path)
    assert _query(out, "SELECT kind, date FROM events WHERE claim_id = ? ORDER BY id", [pump]) == [
        ("first_reported", "2026-12-05T09:00:00Z"),
        ("statement", "2026-12-05T21:00:00Z"),
        ("statement_changed", "2026-12-05T21:00:00Z"),
    ]


def test_an_events_address_opens_the_same_event_after_a_publish_adds_an_earlier_one(
    db, story, accounts, plant, tmp_path
):
    """A reader's link to an event (/public/events/N, the timeline's #event-N, a TimelineJS slide) and the
    timeline's "Older events" page (before=N) mean the same event after the next publish, even when that publish
    adds an event earlier in time: events were numbered afresh in time order, so every later one moved up."""
    reporter, editor = accounts["reporter"], accounts["editor"]
    pump = claims.log_claim(db, story["id"], "A pump fault was repaired.", "workers", "named", reporter)
    claims.add_evidence(db, pump, plant["wire"], "a pump fault was repaired.", "supports", reporter)
    _rule(db, pump, "confirmed", editor)
    _publishable(db, pump, editor)
    out = tmp_path / "public.db"
    publish_and_log(db, out, editor)
    ds = make_datasette(str(out))
    seen = {r["id"]: (r["kind"], r["claim_id"], r["date"]) for r in get(ds, "/public/events.json?_shape=array").json()}
    (ruling,) = [n for n, (kind, _, _) in seen.items() if kind == "status_changed"]
    (reported,) = [n for n, (kind, _, _) in seen.items() if kind == "first_reported"]

    # Reported by the city at 07:15, before the wire's 09:00: an event earlier than every one readers have.
    normal = claims.log_claim(db, story["id"], "The plant is operating normally.", "City", "organization", reporter)
    claims.add_evidence(db, normal, plant["first"], "The plant is operating normally.", "supports", reporter)
    _publishable(db, normal, editor)
    publish_and_log(db, out, editor)
    ds = make_datasette(str(out))
    for event_id, event in seen.items():
        row = get(ds, f"/public/events/{event_id}.json?_shape=array").json()
        assert [(r["kind"], r["claim_id"], r["date"]) for r in row] == [event], event_id
    now = {r["id"]: (r["kind"], r["claim_id"], r["date"]) for r in get(ds, "/public/events.json?_shape=array").json()}
    assert min(set(now) - set(seen)) > max(seen)  # the new events take new ids, never one readers had
    # The page older than the ruling is every event before it in time, newest first, the new ones included.
    older = get(ds, f"/public/timeline.json?_shape=array&before={ruling}").json()
    assert [(r["kind"], r["claim_id"], r["date"]) for r in older] == [
        ("statement_changed", normal, "2026-12-05T21:00:00Z"),
        ("first_reported", pump, "2026-12-05T09:00:00Z"),
        ("first_reported", normal, "2026-12-05T07:15:00Z"),
    ]
    slides = {s["unique_id"]: s["text"]["headline"] for s in get(ds, "/public/timeline-js.json").json()["events"]}
    assert slides[f"event-{reported}"] == "A pump fault was repaired."
    page = BeautifulSoup(get(ds, "/public/timeline").text, "html.parser")
    assert page.select_one(f"#event-{reported}").get_text(strip=True) == "A pump fault was repaired."


def test_an_older_events_page_from_an_event_withdrawn_since_still_lists_the_events_before_it(
    db, story, accounts, plant, tmp_path
):
    """A reader's "Older events" link names the last event of their page; withdrawn since, that event is not in the
    file, and the page lists the events before it in time instead of showing nothing."""
    reporter, editor = accounts["reporter"], accounts["editor"]
    made = []
    for text, revision, quote in (
        ("The plant is operating normally.", "first", "The plant is operating normally."),
        ("A pump fault was repaired.", "wire", "a pump fault was repaired."),
    ):
        claim_id = claims.log_claim(db, story["id"], text, "City", "organization", reporter)
        claims.add_evidence(db, claim_id, plant[revision], quote, "supports", reporter)
        _publishable(db, claim_id, editor)
        made.append(claim_id)
    out = tmp_path / "public.db"
    publish_and_log(db, out, editor)
    ds = make_datasette(str(out))
    ((pump_event,),) = _query(out, "SELECT id FROM events WHERE claim_id = ? AND kind = 'first_reported'", [made[1]])
    older = [
        (r["kind"], r["claim_id"]) for r in get(ds, f"/public/timeline.json?_shape=array&before={pump_event}").json()
    ]
    assert older == [("first_reported", made[0])]

    claims.set_published(db, made[1], False, editor, claims.get_claim(db, made[1])["version"])
    publish_and_log(db, out, editor)
    ds = make_datasette(str(out))
    assert _query(out, "SELECT id FROM events WHERE id = ?", [pump_event]) == []
    after = [
        (r["kind"], r["claim_id"]) for r in get(ds, f"/public/timeline.json?_shape=array&before={pump_event}").json()
    ]
    assert after == older


def test_an_older_events_page_from_a_withdrawn_event_lists_exactly_the_events_older_than_it_in_time(
    db, story, accounts, plant, tmp_path
):
    """Event ids follow the order events were first published, not time. A reader's "Older events" link named an
    event withdrawn since, and the page started after the event with the next lower id: here none, so the reader
    was shown no older event although one earlier in time, published after it, was there to see."""
    reporter, editor = accounts["reporter"], accounts["editor"]
    pump = claims.log_claim(db, story["id"], "A pump fault was repaired.", "workers", "named", reporter)
    claims.add_evidence(db, pump, plant["wire"], "a pump fault was repaired.", "supports", reporter)
    _rule(db, pump, "confirmed", editor)  # ruled now, after every report: the newest event
    _publishable(db, pump, editor)
    out = tmp_path / "public.db"
    publish_and_log(db, out, editor)
    ((pump_event,),) = _query(out, "SELECT id FROM events WHERE claim_id = ? AND kind = 'first_reported'", [pump])
    ((ruling_event,),) = _query(out, "SELECT id FROM events WHERE claim_id = ? AND kind = 'status_changed'", [pump])
    # Reported by the city at 07:15, before the wire's 09:00, and the notice edited at 21:00.
    normal = claims.log_claim(db, story["id"], "The plant is operating normally.", "City", "organization", reporter)
    claims.add_evidence(db, normal, plant["first"], "The plant is operating normally.", "supports", reporter)
    _publishable(db, normal, editor)
    publish_and_log(db, out, editor)
    ds = make_datasette(str(out))
    shown = [(r["kind"], r["claim_id"]) for r in get(ds, "/public/timeline.json?_shape=array").json()]
    assert shown == [
        ("status_changed", pump),
        ("statement_changed", normal),
        ("first_reported", pump),
        ("first_reported", normal),
    ]
    link = f"/public/timeline.json?_shape=array&before={pump_event}"
    assert [(r["kind"], r["claim_id"]) for r in get(ds, link).json()] == [("first_reported", normal)]

    claims.set_published(db, pump, False, editor, claims.get_claim(db, pump)["version"])
    publish_and_log(db, out, editor)
    ds = make_datasette(str(out))
    assert _query(out, "SELECT id FROM events WHERE id = ?", [pump_event]) == []
    assert [(r["kind"], r["claim_id"]) for r in get(ds, link).json()] == [("first_reported", normal)]
    from_ruling = get(ds, f"/public/timeline.json?_shape=array&before={ruling_event}").json()
    assert [(r["kind"], r["claim_id"]) for r in from_ruling] == [
        ("statement_changed", normal),
        ("first_reported", normal),
    ]
    html = BeautifulSoup(get(ds, f"/public/timeline?before={pump_event}").text, "html.parser")
    assert len(html.select(".rail-events > li")) == 1


def test_one_storys_timeline_reads_that_storys_events_through_its_index(db, story, accounts, plant, tmp_path):
    """A story's timeline reads its own events newest first from the (story, position) index: `:story = '' or story =
    :story` read every story's events until 51 were the story's, all 206,000 at 100,000 claims for a small story."""
    reporter, editor = accounts["reporter"], accounts["editor"]
    other = stories.create_story(db, "other-story", "Another story", keywords_include="Harbour")
    wire = coverage.upsert_item(db, other["id"], "https://wire.example/harbour", outlet="Example Wire", title="Harbour")
    harbour, _ = coverage.add_revision(db, wire, "The harbour reopened on Monday.", "2026-12-05T10:00:00Z")
    for slug_story, revision, quote in (
        (story, plant["wire"], "Workers say a pump fault was repaired."),
        (other, harbour, "The harbour reopened on Monday."),
    ):
        claim_id = claims.log_claim(db, slug_story["id"], "Something happened.", "City", "organization", reporter)
        claims.add_evidence(db, claim_id, revision, quote, "context", reporter)
        _publishable(db, claim_id, editor)
    out = tmp_path / "public.db"
    publish_and_log(db, out, editor)

    ds = make_datasette(str(out))
    for slug in ("test-story", "other-story"):
        rows = get(ds, f"/public/timeline.json?_shape=array&story={slug}").json()
        assert rows and {r["story"] for r in rows} == {slug}, rows
    assert {r["story"] for r in get(ds, "/public/timeline.json?_shape=array").json()} == {"test-story", "other-story"}
    sql = yaml.safe_load((Path(__file__).parent.parent / "metadata.yml").read_text())["databases"]["public"]["queries"]
    conn = sqlite3.connect(out)
    conn.create_function("tracker_fts", 1, lambda q: q)
    plan = [
        row[3]
        for row in conn.execute(
            "EXPLAIN QUERY PLAN " + sql["timeline"]["sql"],
            {"story": "other-story", "before": "", "status": "", "q": ""},
        )
    ]
    conn.close()
    assert any(step.startswith("SEARCH events USING INDEX events_story_position (story=?)") for step in plan), plan


def test_one_storys_timelinejs_export_reads_that_storys_events_through_its_index(db, story, accounts, plant, tmp_path):
    """The TimelineJS export of one story reads its own events from the (story, position) index, as the timeline
    does: it read every story's events newest first until 500 were the story's."""
    from tracker.public.plugins.timeline_js import EVENTS_SQL

    reporter, editor = accounts["reporter"], accounts["editor"]
    claim_id = claims.log_claim(db, story["id"], "A pump was repaired.", "Workers", "anonymous", reporter)
    claims.add_evidence(db, claim_id, plant["wire"], "Workers say a pump fault was repaired.", "context", reporter)
    _publishable(db, claim_id, editor)
    out = tmp_path / "public.db"
    publish_and_log(db, out, editor)
    ds = make_datasette(str(out))
    slides = get(ds, "/public/timeline-js.json?story=test-story").json()["events"]
    assert slides and len(slides) == len(get(ds, "/public/timeline-js.json").json()["events"])
    plan = _query(out, "EXPLAIN QUERY PLAN " + EVENTS_SQL, {"story": "test-story", "status": "", "limit": 500})
    assert any(step.startswith("SEARCH events USING INDEX events_story_position (story=?)") for *_, step in plan), plan


def test_a_claims_timeline_of_no_published_claim_is_not_found(db, story, accounts, plant, tmp_path):
    """`claim_events?claim_id=999999` said "No published claim" with a 200, so crawlers and link checkers kept
    the address as a page; an unpublished claim's number the same. Both are a 404 now, as the claim's own page is;
    without a claim_id the page still says how to reach one (a 200)."""
    reporter, editor = accounts["reporter"], accounts["editor"]
    shown = claims.log_claim(db, story["id"], "The pump was repaired.", "City", "organization", reporter)
    claims.add_evidence(db, shown, plant["wire"], "Workers say a pump fault was repaired.", "context", reporter)
    _publishable(db, shown, editor)
    hidden = claims.log_claim(db, story["id"], "The pump never failed.", "City", "organization", reporter)
    claims.add_evidence(db, hidden, plant["wire"], "Workers say a pump fault was repaired.", "context", reporter)
    out = tmp_path / "public.db"
    publish_and_log(db, out, editor)
    ds = make_datasette(str(out))
    assert get(ds, f"/public/claim_events?claim_id={shown}").status_code == 200
    for claim_id in ("999999", str(hidden), "x"):
        response = get(ds, f"/public/claim_events?claim_id={claim_id}")
        assert response.status_code == 404, claim_id
        assert "Nothing at this address" in response.text
    assert get(ds, "/public/claim_events").status_code == 200
    # The data stays Datasette's: a query with no rows is an empty list, not an error.
    assert get(ds, "/public/claim_events.json?claim_id=999999&_shape=array").json() == []
