"""The public site's canned queries, feed and exports, through Datasette's own client."""

from __future__ import annotations

import asyncio
import datetime as dt
import html
import json
import shutil
from email.utils import parsedate_to_datetime
from urllib.parse import quote

import feedparser
import pytest
from bs4 import BeautifulSoup

from tests.test_public import (
    HOSTILE_CLAIM,
    HOSTILE_CLAIMANT,
    HOSTILE_RATIONALE,
    HOSTILE_TITLE,
    UNPUBLISHED,
    build_site,
    get,
    publish_into,
)
from tracker import claims, coverage, migrations, stories, users
from tracker.db import connect
from tracker.public import load_metadata, make_datasette
from tracker.publish import publish

QUERIES = (
    "timeline",
    "unclear",
    "claim_events",
    "changes",
    "claims_by_claimant",
    "search",
    "coverage_over_time",
    "claims_over_time",
)


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict:
    folder, info = publish_into(tmp_path_factory, "queries", build_site)
    return {"folder": folder, **info}


@pytest.fixture(scope="module")
def ds(built):
    """Read-only tests share one in-process Datasette."""
    return make_datasette(str(built["folder"] / "public.db"))


def rows(ds, path: str) -> list[dict]:
    response = get(ds, path)
    assert response.status_code == 200, response.text
    return response.json()


def test_metadata_names_the_canned_queries():
    queries = load_metadata()["databases"]["public"]["queries"]
    assert set(queries) == set(QUERIES)
    for name, query in queries.items():
        assert query.get("title") and query.get("description"), name
        assert not query.get("write"), name


@pytest.mark.parametrize("name", QUERIES)
def test_every_canned_query_answers_in_every_format(ds, name):
    params = "q=kettles" if name == "search" else ""
    for suffix in (".json?_shape=array&", ".csv?", "?"):
        response = get(ds, f"/public/{name}{suffix}{params}")
        # The search query's page sends readers to the timeline's search (search_page.py); its data stays.
        expected = 302 if (name, suffix) == ("search", "?") else 200
        assert response.status_code == expected, (name, suffix, response.text[:300])
        assert UNPUBLISHED not in response.text


def test_timeline_filters_by_status_story_and_words(ds, built):
    all_rows = rows(ds, "/public/timeline.json?_shape=array")
    # Newest first: in time order (position), which ids follow only within one publish.
    assert [r["position"] for r in all_rows] == sorted((r["position"] for r in all_rows), reverse=True)
    assert [r["date"] for r in all_rows] == sorted((r["date"] for r in all_rows), reverse=True)
    denied = rows(ds, "/public/timeline.json?_shape=array&status=denied")
    assert denied and {r["status"] for r in denied} == {"denied"}
    assert {r["claim_id"] for r in denied} == {built["recall"]}
    assert rows(ds, "/public/timeline.json?_shape=array&story=acme-kettles") == all_rows
    assert rows(ds, "/public/timeline.json?_shape=array&story=no-such-story") == []
    # Every word must match, each as a word beginning; evidence quotes count too.
    assert {r["claim_id"] for r in rows(ds, "/public/timeline.json?_shape=array&q=skip")} == {built["skipped"]}
    assert {r["claim_id"] for r in rows(ds, "/public/timeline.json?_shape=array&q=former+skipped")} == {
        built["skipped"]
    }
    assert rows(ds, "/public/timeline.json?_shape=array&q=former+recalled") == []
    assert {r["claim_id"] for r in rows(ds, "/public/timeline.json?_shape=array&q=recalled")} == {built["recall"]}


def test_a_repeated_word_does_not_crowd_out_the_words_after_it(ds):
    """A word typed 16 times cost as much as 16 words, and took the place of the words typed after it."""
    assert rows(ds, "/public/timeline.json?_shape=array&q=" + "recalled+" * 16 + "former") == []


@pytest.mark.parametrize(
    "q",
    [
        '"',
        "'",
        "AND",
        "kettle OR",
        "NEAR(a b)",
        "*",
        "text:kettle",
        "-",
        "(",
        "😀",
        "a" * 500,  # the longest search taken (search_chars); a longer one is a 400 saying so (test_public_wide.py)
        "'; drop table claims; --",
    ],
)
def test_search_input_never_breaks_a_query(ds, q):
    for name in ("timeline", "search"):
        response = get(ds, f"/public/{name}.json?_shape=array&q={q}")
        assert response.status_code == 200, (name, q, response.text[:300])
    assert get(ds, f"/public/timeline?q={q}").status_code == 200


def test_the_tokenizer_is_asked_which_letters_it_reads_as_spaces_when_the_site_starts(built):
    """The first search holding a non-ASCII character in a process asked the tokenizer which letters it reads as
    spaces inside `tracker_fts()`, within one SQLite step of the search (0.3 s quiet, 3 s under load): past the time
    limit, that reader's search failed. The site asks when it starts, before it answers anyone; a search then
    finds the answer ready. A fresh interpreter: this one's plugin may have been asked already."""
    from tests.conftest import python_output

    said = python_output(
        f"""
import asyncio
from datasette.plugins import pm
from tracker.public import make_datasette
ds = make_datasette({str(built["folder"] / "public.db")!r})
(plugin,) = [p for p in pm.get_plugins() if getattr(p, "__name__", "").endswith("sql_functions.py")]
before = plugin.tokenizer_word.cache_info().currsize
asyncio.run(ds.invoke_startup())
started = plugin.tokenizer_word.cache_info().currsize
answer = asyncio.run(ds.client.get("/public/search.json?_shape=array&q=" + "k\u00e9ttle"))
print(before, started, answer.status_code, plugin.tokenizer_word.cache_info().misses)
"""
    )
    assert said.split() == ["0", "1", "200", "1"]


def test_the_tokenizer_is_asked_once_in_the_sites_process_a_page_with_a_search_included(built):
    """The timeline page shows which one-letter words a search left out (the `left_out` filter, template_filters.py),
    which read the words with a copy of sql_functions.py of its own: the first page with a non-ASCII search asked
    the tokenizer again, 0.25 s of CPU on the event loop every reader's request waits for. Counted here by the
    in-memory databases sql_functions.py opens to ask it."""
    from tests.conftest import python_output

    said = python_output(
        f"""
import asyncio, sqlite3, traceback
asked = []
connect = sqlite3.connect
def counting(database, *args, **kwargs):
    if any(frame.filename.endswith("sql_functions.py") for frame in traceback.extract_stack()):
        asked.append(1)
    return connect(database, *args, **kwargs)
sqlite3.connect = counting
from tracker.public import make_datasette
ds = make_datasette({str(built["folder"] / "public.db")!r})
asyncio.run(ds.invoke_startup())
started = len(asked)
page = asyncio.run(ds.client.get("/public/timeline?q=k\u00e9ttle+a"))
found = asyncio.run(ds.client.get("/public/search.json?_shape=array&q=k\u00e9ttle"))
print(started, page.status_code, found.status_code, len(asked))
"""
    )
    assert said.split() == ["1", "200", "200", "1"]


def test_timeline_pages_by_event_id(ds):
    first = rows(ds, "/public/timeline.json?_shape=array")
    middle = len(first) // 2
    older = rows(ds, f"/public/timeline.json?_shape=array&before={first[middle]['id']}")
    assert [r["id"] for r in older][: len(first) - middle - 1] == [r["id"] for r in first[middle + 1 :]]
    assert rows(ds, "/public/timeline.json?_shape=array&before=not-a-number") == []


@pytest.mark.parametrize(
    ("query", "says"),
    [
        ("status=rejected", "No claim has the status “rejected”"),
        ("story=no-such-story", "No published story “no-such-story”"),
    ],
)
def test_an_empty_timeline_page_says_why_not_that_nothing_is_published(ds, query, says):
    """An empty page of the timeline said "Nothing has been published yet." whenever no status or words were asked
    for: for a status that does not exist (status=Confirmed, an old link) and for a story that is not published,
    on a site with a timeline full of events."""
    page = BeautifulSoup(get(ds, f"/public/timeline?{query}").text, "html.parser")
    notice = page.select_one(".timeline-section .notice").get_text(" ", strip=True)
    assert says in notice and "Nothing has been published" not in notice, notice
    assert page.select_one(".timeline-section .notice a")["href"] == "/public/timeline?"


def test_past_the_oldest_event_the_timeline_says_so_not_that_nothing_is_published(ds):
    """ "Older events" on a last page of exactly 50 leads past the oldest event: the summary says there are none
    older (once, with one way back), on a site with a timeline full of events."""
    main = BeautifulSoup(get(ds, "/public/timeline?before=1").text, "html.parser").select_one("main")
    text = " ".join(main.get_text(" ", strip=True).split())
    assert "No events, older than the newest page" in text, text
    assert "Nothing has been published" not in text and main.select(".card") == []


def test_unclear_lists_unsettled_claims_with_their_reason(ds, built):
    found = rows(ds, "/public/unclear.json?_shape=array")
    assert [(r["claim_id"], r["status"]) for r in found] == [
        (built["unclear"], "unclear"),
        (built["hostile"], "unreviewed"),
    ]
    assert found[0]["reason"] == "One outlet, one source."
    assert found[0]["sources"] == 1
    assert found[1]["reason"] is None
    assert found[1]["since"] == found[1]["first_reported_at"]


def test_changes_are_every_ruling_newest_first_with_feed_columns(ds, built):
    found = rows(ds, "/public/changes.json?_shape=array")
    assert [(r["claim_id"], r["kind"], r["to_status"]) for r in found] == [
        (built["recall"], "correction", "denied"),
        (built["recall"], "status_changed", "unclear"),
        (built["unclear"], "status_changed", "unclear"),
        (built["skipped"], "status_changed", "confirmed"),
    ]
    first = found[0]
    assert first["atom_title"] == "Correction: Denied: Acme recalled its kettles."
    assert first["atom_link"] == f"http://localhost/public/claims/{built['recall']}"
    assert first["atom_id"].startswith("http://localhost/public/status_history/")
    assert len({r["atom_id"] for r in found}) == len(found)
    assert HOSTILE_RATIONALE in first["atom_content"]
    assert first["atom_updated"] == first["date"]


def test_the_feed_reads_the_newest_rulings_through_an_index_whatever_their_number(built):
    """The changes query (the Atom feed) sorted every ruling to keep the newest 100: 456 ms on 95,000 rulings, and
    past the site's time limit a little later, so the feed answered 400. It reads them newest first by the index on
    status_history.at and stops at 100."""
    import sqlite3

    sql = load_metadata()["databases"]["public"]["queries"]["changes"]["sql"]
    conn = sqlite3.connect(built["folder"] / "public.db")
    try:
        for story in ("", "acme-kettles"):
            plan = [r[3] for r in conn.execute("EXPLAIN QUERY PLAN " + sql, {"story": story, "_site_url": "http://x"})]
            on_rulings = [step for step in plan if step.startswith(("SCAN h", "SEARCH h"))]
            assert on_rulings and all("status_history_at" in step for step in on_rulings), plan
    finally:
        conn.close()


@pytest.fixture(scope="module")
def many(tmp_path_factory):
    """A public file with more rows in each table than a page of 20, and more events in each story than the
    timeline's 50 (bench/public.py's fictional newsroom)."""
    from bench.public import generate

    folder = tmp_path_factory.mktemp("many")
    generate(folder / "tracker.db", 120, 300)
    db = connect(folder / "tracker.db")
    try:
        publish(db, folder / "public.db")
    finally:
        db.close()
    return folder / "public.db"


@pytest.mark.parametrize("table", ["claims", "evidence", "coverage", "status_history", "events"])
def test_a_tables_next_pages_in_its_own_order_are_read_through_an_index(many, table):
    """Datasette pages a table sorted newest first by `(col < :p1 or col is null or (col = :p1 and id > :p0)) order
    by col desc, id`: an ascending index on col cannot give that order, so every next page, and every page of a
    streamed CSV, sorted the whole table. On 206,000 events the second page took 0.8 s and answered 'SQL query took
    too long' with the SQL, and `events.csv?_stream=on` stopped after 50 rows with the error in the file."""
    import sqlite3

    ds = make_datasette(str(many))
    first = get(ds, f"/public/{table}.json?_size=20").json()
    assert first["next"], first
    second = get(ds, f"/public/{table}.json?_size=20&_next={first['next']}").json()
    assert second["rows"], second
    query = second["query"]
    conn = sqlite3.connect(many)
    try:
        plan = [r[3] for r in conn.execute("EXPLAIN QUERY PLAN " + query["sql"], query["params"])]
    finally:
        conn.close()
    assert not [step for step in plan if "TEMP B-TREE" in step], (query["sql"], plan)


def _plan(public_db, sql: str, params=()) -> list[str]:
    import sqlite3

    conn = sqlite3.connect(public_db)
    try:
        return [r[3] for r in conn.execute("EXPLAIN QUERY PLAN " + sql, params)]
    finally:
        conn.close()


@pytest.mark.parametrize("claimant", ["", "Claimant 1"])
@pytest.mark.parametrize("story", ["", "bench-story-1"])
def test_claims_by_claimant_reads_one_index_already_in_claimant_order(many, story, claimant):
    """Claims by claimant looked up every claim's row and sorted them all to group them: 0.15-0.3 s for 100,000
    claims on a quiet machine, past the site's half second under load, so the page answered "SQL query took too
    long". One index holds every column it reads, in the order it groups by."""
    sql = load_metadata()["databases"]["public"]["queries"]["claims_by_claimant"]["sql"]
    plan = _plan(many, sql, {"story": story, "claimant": claimant})
    assert any(step.startswith("SCAN claims USING COVERING INDEX") for step in plan), plan
    assert "USE TEMP B-TREE FOR GROUP BY" not in plan, plan


def test_claims_by_claimant_is_rendered_once_per_publish_for_each_filter(ds, built):
    """It counts every published claim: 8 readers asking at once on two busy cores ran the count 8 times side by
    side and most were cut off at the time limit ("SQL query took too long"). Like the timeline, the page is the
    same for every reader until the next publish."""
    import os
    import time

    published = time.time() - 60
    os.utime(built["folder"] / "public.db", (published, published))
    for query in ("", "?claimant=forum", "?story=acme-kettles"):
        first, second = (get(ds, "/public/claims_by_claimant" + query) for _ in range(2))
        assert (first.headers.get("x-page-cache"), second.headers.get("x-page-cache")) == ("miss", "hit"), query
        assert second.text == first.text
    assert "a forum post" in get(ds, "/public/claims_by_claimant?claimant=forum").text


# The tables that grow with the claims and the coverage they cite. The others are counted per story and bucket
# (the charts' rows), or written by hand (questions, developments): thousands of rows at 100,000 claims.
LARGE_TABLES = ("claims", "evidence", "coverage", "status_history", "events")
DEFAULT_FACETS = [
    (table, column)
    for table in LARGE_TABLES
    for column in load_metadata()["databases"]["public"]["tables"][table].get("facets", [])
]


@pytest.mark.parametrize(("table", "column"), DEFAULT_FACETS)
def test_a_large_tables_default_facets_count_an_index_not_the_table(many, table, column):
    """Datasette counts each facet of a table page with its own query, cut off after facet_time_limit_ms: on
    300,000 quotes each of the evidence table's facets read the whole table (0.17-0.24 s alone) and readers saw
    "These facets timed out" under every page of it. Each default facet of a large table counts an index of its
    column instead (the query is Datasette 0.65's, ColumnFacet.facet_results)."""
    sql = f"""select [{column}] as value, count(*) as count from (select * from [{table}])
              where [{column}] is not null group by [{column}] order by count desc, value limit 31"""
    plan = _plan(many, sql)
    reads = [step for step in plan if step.startswith(("SCAN", "SEARCH"))]
    assert reads and all("COVERING INDEX" in step for step in reads), plan
    assert "USE TEMP B-TREE FOR GROUP BY" not in plan, plan


def test_a_storys_download_of_every_event_holds_every_event(many):
    """The story's "timeline as CSV" was the timeline query, which answers its 50 newest events: a story of more
    events downloaded part of its timeline without a word. The 50 newest are said to be that, and a link downloads
    every event of the story."""
    import csv
    import io
    import sqlite3

    conn = sqlite3.connect(many)
    try:
        slug, events = conn.execute("select story, count(*) from events group by story order by 2 desc").fetchone()
    finally:
        conn.close()
    assert events > 50
    ds = make_datasette(str(many))
    follow = BeautifulSoup(get(ds, f"/stories/{slug}").text, "html.parser").select_one("#follow")
    text = follow.get_text(" ", strip=True)
    assert "50 newest events" in text, text
    (every,) = [a["href"] for a in follow.select("a") if a.get_text(strip=True) == "every event"]
    rows_ = list(csv.DictReader(io.StringIO(get(ds, html.unescape(every)).text)))
    assert len(rows_) == events and {r["story"] for r in rows_} == {slug}


def test_claims_by_claimant_counts_each_claimants_record(ds):
    found = rows(ds, "/public/claims_by_claimant.json?_shape=array")
    by_name = {r["claimant"]: r for r in found}
    assert set(by_name) == {"a former engineer", HOSTILE_CLAIMANT, "a forum post", "Example News"}
    assert by_name["a forum post"]["denied"] == 1 and by_name["a forum post"]["claims"] == 1
    assert by_name["a former engineer"]["confirmed"] == 1
    only = rows(ds, "/public/claims_by_claimant.json?_shape=array&claimant=forum")
    assert {r["claimant"] for r in only} == {"a forum post", HOSTILE_CLAIMANT}


@pytest.mark.parametrize("typed", ["%", "_", "a_forum", "%forum", "\\", "\\%"])
def test_a_claimant_filter_reads_percent_and_underscore_as_themselves(ds, typed):
    """`claimant=` is "part of the name": a reader typing "%" or "_" means those characters, and no claimant's
    name holds them. As LIKE wildcards, "%" listed every claimant and "a_forum" found "a forum post"."""
    assert rows(ds, f"/public/claims_by_claimant.json?_shape=array&claimant={quote(typed)}") == []


def test_a_claimant_filter_ignores_case(ds):
    found = rows(ds, "/public/claims_by_claimant.json?_shape=array&claimant=FORUM")
    assert {r["claimant"] for r in found} == {"a forum post", HOSTILE_CLAIMANT}


def test_search_finds_claims_and_evidence_with_marked_snippets(ds, built):
    found = rows(ds, "/public/search.json?_shape=array&q=recall")
    assert {(r["found_in"], r["claim_id"]) for r in found} == {
        ("claim", built["recall"]),
        ("evidence", built["recall"]),
    }
    assert all("⟦" in r["snippet"] and "⟧" in r["snippet"] for r in found)
    # Readers asking for the query's page are sent to the timeline's search, with their words.
    assert get(ds, "/public/search?q=recall").headers["location"] == "/public/timeline?q=recall"
    assert rows(ds, "/public/search.json?_shape=array") == []
    assert rows(ds, "/public/search.json?_shape=array&q=zzzz-nothing") == []


def test_a_word_in_most_quotes_ranks_the_newest_and_says_there_are_more(built, tmp_path):
    """Ranking every quote holding a common word ("synthetic" in 300,000 quotes) ran past the time limit, so the reader
    got no answer: the newest 10,001 matches of each table are ranked, and the rows say there are more."""
    path = tmp_path / "public.db"
    shutil.copy(built["folder"] / "public.db", path)
    db = connect(path, create=False)
    with db:
        coverage_id = db.execute("SELECT coverage_id FROM evidence LIMIT 1").fetchone()[0]
        db.execute(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 10050) "
            "INSERT INTO evidence (claim_id, coverage_id, quote, stance, outlet, url, coverage_kind) "
            "SELECT ?, ?, 'Synthetic quote number ' || i, 'context', 'Example News', "
            "'https://news.example.com/q' || i, 'article' FROM n",
            [built["recall"], coverage_id],
        )
        db.execute("INSERT INTO evidence_fts (evidence_fts) VALUES ('rebuild')")
    db.close()
    many = make_datasette(str(path))
    found = rows(many, "/public/search.json?_shape=array&q=synthetic")
    assert len(found) == 100
    assert all(r["note"].startswith("More than 10,000 matches") for r in found)
    # Equal ranks: the newest first, all from the newest 10,001.
    assert found[0]["url"] == "https://news.example.com/q10050"
    assert all(int(r["url"].rsplit("q", 1)[1]) > 10050 - 10001 for r in found)
    assert all("⟦Synthetic⟧" in r["snippet"] for r in found)
    few = rows(many, "/public/search.json?_shape=array&q=recall")
    assert few and all(r["note"] is None for r in few)


def test_atom_feed_of_changes_parses_back(ds, built):
    response = get(ds, "/public/changes.atom")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/xml")
    feed = feedparser.parse(response.content)
    assert feed.bozo == 0, feed.get("bozo_exception")
    assert feed.feed.title == "Status changes and corrections"
    changes = rows(ds, "/public/changes.json?_shape=array")
    entries = sorted(feed.entries, key=lambda e: e.id)
    assert len(entries) == len(changes)
    by_id = {e.id: e for e in entries}
    for change in changes:
        entry = by_id[change["atom_id"]]
        assert entry.title == change["atom_title"]
        assert entry.link == change["atom_link"]
        assert entry.content[0].value == change["atom_content"]
    correction = by_id[changes[0]["atom_id"]]
    assert HOSTILE_RATIONALE in correction.content[0].value  # text content, escaped in the XML
    assert "<script>" not in response.text
    story = feedparser.parse(get(ds, "/public/changes.atom?story=acme-kettles").content)
    assert len(story.entries) == len(changes)


@pytest.mark.parametrize("story", ["", "acme-kettles"])
def test_atom_feed_names_its_author_as_atom_requires(ds, story):
    """RFC 4287 4.1.1: a feed holds an author, or every entry does. Ours had none (the W3C validator: "Missing feed
    element: author"), full or empty: the entries name the publisher, and an empty feed names it once."""
    from xml.etree import ElementTree

    atom = "{http://www.w3.org/2005/Atom}"
    publisher = load_metadata()["plugins"]["newsroom-tracker"]["publisher"]
    response = get(ds, f"/public/changes.atom?story={story}")
    assert response.status_code == 200
    feed = ElementTree.fromstring(response.content)
    entries = feed.findall(f"{atom}entry")
    assert entries
    named = [feed, *entries] if not entries else entries
    for element in named:
        assert element.findtext(f"{atom}author/{atom}name") == publisher, ElementTree.tostring(element)[:300]


@pytest.mark.parametrize(
    ("story", "title"),
    [
        ("acme-kettles", "Acme kettles: status changes and corrections"),
        ("", "Status changes and corrections"),
    ],
)
def test_a_storys_feed_is_named_for_the_story(ds, story, title):
    """The story page offers its own feed (changes.atom?story=), but every feed was titled "Status changes and
    corrections": a reader following two stories saw two feeds of the same name in their feed reader."""
    feed = feedparser.parse(get(ds, f"/public/changes.atom?story={story}").content)
    assert feed.bozo == 0 and feed.feed.title == title


def test_a_feed_of_no_published_story_is_not_found_and_an_overlong_name_is_refused(ds):
    """`changes.atom?story=` naming no published story answered 200, an empty feed titled as every story's, and a
    100 KB name was echoed in its id and self link: a 404 now, as TimelineJS answers, and a name longer than a
    story's can be a 400 that says so, without echoing it."""
    unknown = get(ds, "/public/changes.atom?story=no-such-story")
    assert unknown.status_code == 404
    assert "Nothing at this address" in unknown.text and "<feed" not in unknown.text
    huge = "a" * 60_000  # httpx builds no longer address
    refused = get(ds, f"/public/changes.atom?story={huge}")
    assert refused.status_code == 400
    assert f"at most {stories.SLUG_MAX} characters" in refused.text
    assert huge not in refused.text and len(refused.content) < 20_000
    longest = "a" * stories.SLUG_MAX  # as long as a story's name may be: looked up, not refused
    assert get(ds, f"/public/changes.atom?story={longest}").status_code == 404
    assert get(ds, "/public/changes.atom?story=acme-kettles").status_code == 200


def _feed(ds, path: str, **headers: str):
    return asyncio.run(ds.client.get(path, headers=headers))


def test_a_feed_reader_asking_again_gets_not_modified_until_a_publish_changes_the_feed(tmp_path):
    """Feed readers poll every few minutes, most of them sending back the ETag or Last-Modified they were given, as
    they do to every news site's feed; ours had neither, so each poll fetched the whole feed again. Unchanged, it is
    a 304 with no body; a new ruling published changes the ETag, and the next poll gets the feed."""
    db, editor, claim_id = _one_published_claim(tmp_path, "The kettles were tested.", "Acme", "named")
    version = claims.get_claim(db, claim_id)["version"]
    claims.set_status(db, claim_id, "unclear", editor, "internal", version, public_rationale="One source.")
    publish(db, tmp_path / "public.db")
    ds = make_datasette(str(tmp_path / "public.db"))
    first = _feed(ds, "/public/changes.atom")
    assert first.status_code == 200
    etag, modified = first.headers["etag"], first.headers["last-modified"]
    [entry] = feedparser.parse(first.content).entries
    assert parsedate_to_datetime(modified) == dt.datetime.fromisoformat(entry.updated).replace(microsecond=0)
    again = _feed(ds, "/public/changes.atom", **{"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b"" and again.headers["etag"] == etag
    assert _feed(ds, "/public/changes.atom", **{"If-Modified-Since": modified}).status_code == 304
    assert _feed(ds, "/public/changes.atom", **{"If-None-Match": '"other"'}).status_code == 200
    assert _feed(ds, "/public/changes.atom?story=one-claim", **{"If-None-Match": etag}).status_code == 200
    version = claims.get_claim(db, claim_id)["version"]
    claims.set_status(db, claim_id, "confirmed", editor, "internal", version, public_rationale="Two sources.")
    publish(db, tmp_path / "public.db")
    db.close()
    changed = _feed(ds, "/public/changes.atom", **{"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["etag"] != etag
    assert len(feedparser.parse(changed.content).entries) == 2


@pytest.mark.parametrize("path", ["/public/changes.atom?story=one-claim", "/public/changes.atom"])
def test_a_quiet_storys_empty_feed_keeps_its_etag_and_answers_not_modified(tmp_path, path):
    """A feed with no entries yet (a story with no ruling) dated itself now: its bytes, so its ETag, changed every
    second and a feed reader polling it never got a 304. It is dated by the story's newest event, which only a
    publish changes (the newest of every story's when it names none)."""
    db = connect(tmp_path / "tracker.db")
    migrations.apply(db)
    editor = users.add_user(db, "edith.editor", "correct-horse-battery", "editor")
    story = stories.create_story(db, "one-claim", "A story of one claim")
    claim_id = claims.log_claim(
        db, story["id"], "Nothing happened.", "someone", "named", editor, first_reported_at="2026-03-02T09:30:00+01:00"
    )
    claims.set_published(db, claim_id, True, editor, 1)
    ds = _published_site(db, tmp_path)
    first = _feed(ds, path)
    feed = feedparser.parse(first.content)
    assert first.status_code == 200 and feed.bozo == 0 and feed.entries == []
    assert feed.feed.updated == "2026-03-02T08:30:00Z"
    again = _feed(ds, path)
    assert again.content == first.content and again.headers["etag"] == first.headers["etag"]
    held = _feed(ds, path, **{"If-None-Match": first.headers["etag"]})
    assert held.status_code == 304 and held.content == b""


@pytest.mark.parametrize(
    ("asked", "canonical"),
    [
        ("/public/changes.atom?utm_source=newsletter", "/public/changes.atom"),
        ("/public/changes.atom?story=", "/public/changes.atom"),
        ("/public/changes.atom?story=acme-kettles&utm_medium=social&r=1", "/public/changes.atom?story=acme-kettles"),
        ("/public/changes.atom?r=2&story=acme-kettles", "/public/changes.atom?story=acme-kettles"),
    ],
)
def test_a_feeds_id_and_self_link_are_its_own_address_whatever_else_the_link_carried(ds, asked, canonical):
    """RFC 4287: a feed's id is permanent. It was the address it was fetched at, tracking parameters and all, so the
    one feed shared in a newsletter (utm_source=...) and on the story page had two ids, and readers two subscriptions
    of the same entries."""
    plain = feedparser.parse(get(ds, canonical).content)
    feed = feedparser.parse(get(ds, asked).content)
    assert feed.bozo == 0 and plain.bozo == 0
    assert feed.feed.id == plain.feed.id == "http://localhost" + canonical
    assert [link.href for link in feed.feed.links if link.rel == "self"] == [plain.feed.id]
    assert [e.id for e in feed.entries] == [e.id for e in plain.entries]


def _one_published_claim(tmp_path, text: str, claimant: str, claimant_type: str):
    """A working database holding one story and one claim marked publishable; (db, editor, claim_id)."""
    db = connect(tmp_path / "tracker.db")
    migrations.apply(db)
    editor = users.add_user(db, "edith.editor", "correct-horse-battery", "editor")
    story = stories.create_story(db, "one-claim", "A story of one claim")
    claim_id = claims.log_claim(db, story["id"], text, claimant, claimant_type, editor)
    claims.set_published(db, claim_id, True, editor, 1)
    return db, editor, claim_id


def _published_site(db, tmp_path):
    """The public file built from db, served in process."""
    publish(db, tmp_path / "public.db")
    db.close()
    return make_datasette(str(tmp_path / "public.db"))


def test_atom_feed_is_valid_before_any_ruling(tmp_path):
    db, _, _ = _one_published_claim(tmp_path, "Nothing happened.", "someone", "named")
    ds = _published_site(db, tmp_path)
    response = get(ds, "/public/changes.atom")
    assert response.status_code == 200
    feed = feedparser.parse(response.content)
    assert feed.bozo == 0 and feed.entries == []
    assert feed.feed.title == "Status changes and corrections"


def test_atom_feed_stays_valid_with_control_characters_in_published_text(tmp_path):
    """Text from a PDF carries form feeds, and XML has no way to write one (nor most other control characters):
    one published claim or reason holding one made the whole feed a 500 for every subscriber."""
    db, editor, claim_id = _one_published_claim(tmp_path, "Page one\x0cpage two.", "the\x01report", "document")
    version = claims.get_claim(db, claim_id)["version"]
    claims.set_status(db, claim_id, "confirmed", editor, "internal", version, public_rationale="Read\x01 it\x0b.")
    ds = _published_site(db, tmp_path)
    response = get(ds, "/public/changes.atom")
    assert response.status_code == 200
    feed = feedparser.parse(response.content)
    assert feed.bozo == 0, feed.get("bozo_exception")
    [entry] = feed.entries
    assert entry.title == "Confirmed: Page one page two."
    assert "Why: Read  it . Claimed by the report: Page one page two." in entry.content[0].value
    # The data itself is published as it was typed.
    [row] = rows(ds, "/public/changes.json?_shape=array")
    assert row["claim"] == "Page one\x0cpage two." and row["rationale"] == "Read\x01 it\x0b."


def test_timelinejs_export_follows_the_timelinejs_format(ds, built):
    response = get(ds, "/public/timeline-js.json")
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == "*"
    doc = response.json()
    assert doc["title"]["text"]["headline"] == "Acme kettles"
    events = doc["events"]
    timeline = rows(ds, "/public/events.json?_shape=array&_size=max")
    assert len(events) == len([e for e in timeline if e["date"]])
    for slide in events:
        date = slide["start_date"]
        assert date["year"].isdigit() and 1 <= int(date["month"]) <= 12 and 1 <= int(date["day"]) <= 31
        assert set(slide["text"]) == {"headline", "text"}
        assert slide["text"]["headline"] and slide["text"]["text"].startswith("<p>")
        soup = BeautifulSoup(slide["text"]["text"], "html.parser")
        assert soup.find("script") is None and soup.find("img") is None
        assert all(a["href"].startswith(("http://", "https://")) for a in soup.find_all("a"))
    assert len({s["unique_id"] for s in events}) == len(events)
    dates = [
        (s["start_date"]["year"], s["start_date"]["month"].zfill(2), s["start_date"]["day"].zfill(2)) for s in events
    ]
    assert dates == sorted(dates)
    hostile = [s for s in events if html.unescape(s["text"]["headline"]) == HOSTILE_CLAIM]
    assert hostile and "<script>" not in hostile[0]["text"]["headline"]
    assert "javascript:" not in response.text
    first = [s for s in events if "Tests were skipped." in s["text"]["headline"]][0]
    assert first["start_date"] == {
        "year": "2025",
        "month": "11",
        "day": "20",
        "hour": "9",
        "minute": "0",
        "second": "0",
    }


def test_timelinejs_export_filters_and_refuses_bad_input(ds):
    denied = get(ds, "/public/timeline-js.json?status=denied").json()["events"]
    assert denied and all("now <strong>Denied</strong>" in s["text"]["text"] for s in denied)
    bad = get(ds, "/public/timeline-js.json?status=maybe")
    assert bad.status_code == 400 and "Unknown status" in bad.json()["error"]
    assert get(ds, "/public/timeline-js.json?story=nope").status_code == 404


def claim_review(ds, claim_id: int):
    response = get(ds, f"/public/claims/{claim_id}")
    assert response.status_code == 200
    soup = BeautifulSoup(response.text, "html.parser")
    blocks = soup.select('script[type="application/ld+json"]')
    return response.text, [json.loads(b.string) for b in blocks]


def test_confirmed_claim_page_carries_claim_review(ds, built):
    page, blocks = claim_review(ds, built["skipped"])
    assert len(blocks) == 1
    review = blocks[0]
    claim = rows(ds, f"/public/claims.json?_shape=array&id={built['skipped']}")[0]
    assert review["@context"] == "https://schema.org"
    assert review["@type"] == "ClaimReview"
    assert review["claimReviewed"] == "Tests were skipped."
    assert review["url"] == f"http://localhost/public/claims/{built['skipped']}"
    assert review["datePublished"] == claim["status_changed_at"][:10]
    assert review["author"] == {"@type": "Organization", "name": "Newsroom Tracker", "url": "http://localhost/"}
    assert review["reviewRating"] == {
        "@type": "Rating",
        "ratingValue": 5,
        "bestRating": 5,
        "worstRating": 1,
        "alternateName": "Confirmed",
    }
    assert review["reviewBody"] == "Documents confirm it."
    item = review["itemReviewed"]
    assert item["@type"] == "Claim"
    assert item["author"] == {"@type": "Person", "name": "a former engineer"}
    assert item["datePublished"] == "2025-11-20T09:00:00Z"
    assert item["appearance"] == [
        {
            "@type": "CreativeWork",
            "url": "https://news.example.com/acme",
            "headline": "Acme faces questions",
            "datePublished": "2025-11-20T09:00:00Z",
            "publisher": {"@type": "Organization", "name": "Example News"},
        }
    ]
    assert item["firstAppearance"] == item["appearance"][0]


def test_denied_claim_review_is_escaped_inside_its_script(ds, built):
    page, blocks = claim_review(ds, built["recall"])
    review = blocks[0]
    assert review["reviewRating"]["alternateName"] == "Denied"
    assert review["reviewRating"]["ratingValue"] == 1
    assert review["reviewBody"] == HOSTILE_RATIONALE
    assert review["itemReviewed"]["author"] == {"@type": "Organization", "name": "a forum post"}
    # The statement contradicts the claim, so it is not where the claim appeared.
    assert review["itemReviewed"]["appearance"] == []
    block = page.split('<script type="application/ld+json">', 1)[1].split("</script>", 1)[0]
    for raw in ("</script", "<script", "<!--", "<img", "&"):
        assert raw not in block
    assert "\\u003c/script\\u003e" in block
    # The rest of the page escapes the same strings as HTML.
    soup = BeautifulSoup(page, "html.parser")
    assert soup.select_one(".verdict-box").get_text(" ", strip=True).endswith(HOSTILE_RATIONALE)
    assert HOSTILE_TITLE in soup.select_one(".evidence-source").get_text()
    assert [s.get("type") for s in soup.find_all("script")] == ["application/ld+json"]


@pytest.mark.parametrize("which", ["unclear", "hostile"])
def test_unsettled_claims_carry_no_claim_review(ds, built, which):
    page, blocks = claim_review(ds, built[which])
    assert blocks == []
    assert "ClaimReview" not in page


def test_claim_page_shows_evidence_and_history(ds, built):
    soup = BeautifulSoup(get(ds, f"/public/claims/{built['recall']}").text, "html.parser")
    assert soup.select_one("h1").get_text() == "Acme recalled its kettles."
    history = [li.get_text(" ", strip=True) for li in soup.select(".history-list li")]
    assert history[0] == "Nov 21, 2025, 12:00 UTC First reported by Acme <i>Widgets</i>."
    assert "Correction" in history[-1] and "Unclear → changed to Denied" in history[-1]
    assert history[-1].endswith(HOSTILE_RATIONALE)
    assert [q.get_text() for q in soup.select(".evidence-item .quote")] == ["No kettle was recalled."]
    assert soup.select(".evidence-item a")[0]["href"] == "https://acme.example/press"


def test_unpublished_claim_has_no_page(ds, built):
    assert get(ds, f"/public/claims/{built['hidden']}").status_code == 404


def test_a_statement_that_changes_shows_on_the_timeline(built, tmp_path):
    """Fetched again with new text after the first publish: the next publish adds the event."""
    for name in ("tracker.db", "public.db"):
        shutil.copy(built["folder"] / name, tmp_path / name)
    db = connect(tmp_path / "tracker.db", create=False)
    item = db.execute("SELECT id FROM coverage WHERE kind = 'statement'").fetchone()[0]
    coverage.add_revision(db, item, "No kettle was recalled, ever, anywhere.", fetched_at="2025-11-26T10:00:00Z")
    publish(db, tmp_path / "public.db")
    db.close()
    ds = make_datasette(str(tmp_path / "public.db"))
    changed = [r for r in rows(ds, "/public/timeline.json?_shape=array") if r["kind"] == "statement_changed"]
    assert [(r["date"], r["detail"]) for r in changed] == [
        ("2025-11-26T10:00:00Z", "The statement was revised (version 3 of 3)."),
        ("2025-11-24T08:00:00Z", "The statement was revised (version 2 of 3)."),
    ]
    page = BeautifulSoup(get(ds, "/public/timeline").text, "html.parser")
    cards = page.select(".card-statement_changed")
    assert len(cards) == 2 and "Statement changed" in cards[0].select_one(".card-kind").get_text()


def test_async_client_handles_concurrent_page_loads(ds):
    """Reader pages run their helper queries concurrently without interfering."""

    async def load():
        return await asyncio.gather(*(ds.client.get(p) for p in ("/", "/public/timeline", "/public/unclear") * 3))

    assert {r.status_code for r in asyncio.run(load())} == {200}
