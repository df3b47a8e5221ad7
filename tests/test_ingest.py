import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from scrapers.http import Fetcher
from tests.sites import RECALL, article, rss
from tracker import coverage, stories
from tracker.cli import cli, ingest_lines
from tracker.ingest import ingest_targets, ingest_url
from tracker.store import ingest_feed, ingest_page, page_canonical_url
from tracker.stories import StoryNotFound

FIXTURES = Path(__file__).parent / "fixtures"
FEEDS = FIXTURES / "feeds"
PAGES = FIXTURES / "ingest"
RECALL_URL = "https://gazette.example/2026/03/02/acme-recall/"


def table_counts(db) -> dict[str, int]:
    return {t: db.execute(f"SELECT count(*) FROM [{t}]").fetchone()[0] for t in ("coverage", "revisions", "fetches")}


def test_feed_entry_and_the_page_it_links_to_become_one_item(db, story):
    first = ingest_targets(db, story["slug"], [str(FEEDS / "rss.xml")])
    assert first.counts == {"new": 1, "updated": 0, "unchanged": 0, "skipped": 1, "failed": 0, "candidates": 0}
    second = ingest_targets(db, story["slug"], [str(PAGES / "acme-recall.html")])
    assert second.counts == {"new": 0, "updated": 1, "unchanged": 0, "skipped": 0, "failed": 0, "candidates": 4}
    (item,) = coverage.list_items(db, story["id"])
    (page,) = second.results
    assert (page.kind, page.status, page.item_id, page.created) == ("page", "updated", item["id"], True)
    assert page.revision_id == coverage.latest_revision(db, item["id"])["id"]
    assert item["canonical_url"] == RECALL_URL  # tracking params and fragment gone from the feed link
    assert item["revision_count"] == 1
    assert item["outlet"] == "Example Gazette"
    assert item["title"] == "Acme Widgets recalls 10,000 toasters"
    assert item["byline"] == "Jo Example"
    assert item["published_at"] == "2026-03-02T14:30:00Z"
    assert item["summary"].startswith("Acme Widgets said on Monday")  # from the feed, the page has none
    assert item["language"] == "en"  # from the page
    text = coverage.latest_revision(db, item["id"])["text"]
    assert "wiring fault" in text and "Related:" not in text and "© 2026" not in text


def test_page_first_then_feed_is_the_same_single_item(db, story):
    result = ingest_targets(db, story["slug"], [str(PAGES / "acme-recall.html"), str(FEEDS / "rss.xml")])
    assert result.counts == {"new": 1, "updated": 0, "unchanged": 1, "skipped": 1, "failed": 0, "candidates": 4}
    assert [i["canonical_url"] for i in coverage.list_items(db, story["id"])] == [RECALL_URL]


def test_reingesting_an_unchanged_page_adds_no_revision(db, story):
    page = str(PAGES / "acme-recall.html")
    first = ingest_targets(db, story["slug"], [page]).results[0]
    before = table_counts(db)
    again = ingest_targets(db, story["slug"], [page])
    assert again.counts["unchanged"] == 1
    assert table_counts(db) == before
    (result,) = again.results
    assert (result.status, result.created, result.canonical_url) == ("unchanged", False, RECALL_URL)
    assert (result.item_id, result.revision_id) == (first.item_id, first.revision_id)
    assert ingest_lines(result) == [f"{page}: page, unchanged item {RECALL_URL}"]


def test_changed_page_text_adds_a_revision_with_a_diff(db, story, tmp_path):
    page = tmp_path / "saved.html"
    shutil.copy(PAGES / "acme-recall.html", page)
    ingest_targets(db, story["slug"], [str(page)])
    shutil.copy(PAGES / "acme-recall-v2.html", page)
    result = ingest_targets(db, story["slug"], [str(page)])
    assert result.counts["updated"] == 1
    (item,) = coverage.list_items(db, story["id"])
    assert item["revision_count"] == 2
    revisions = db.execute("SELECT text, diff FROM revisions ORDER BY id").fetchall()
    assert "no injuries had been reported" in revisions[0][0]  # the first version is kept, never overwritten
    assert revisions[0][1] is None
    diff = revisions[1][1]
    assert "-The company said no injuries had been reported." in diff
    assert "+The company said two minor injuries had been reported." in diff


def test_story_keywords_decide_which_feed_entries_belong(db, story):
    result = ingest_targets(db, story["slug"], [str(FEEDS / "rss.xml")])
    assert result.counts["new"] == 1 and result.counts["skipped"] == 1
    assert "bike-lanes" not in str(coverage.list_items(db, story["id"]))
    assert result.results[0].skipped_reasons == {"off-topic for this story's keywords": 1}
    assert "1 off-topic for this story's keywords" in ingest_lines(result.results[0])[0]


def test_exclude_keywords_and_stories_without_keywords(db):
    everything = stories.create_story(db, "everything", "No keywords")
    result = ingest_targets(db, "everything", [str(FEEDS / "rss.xml")]).counts
    assert result["new"] == 2 and result["skipped"] == 0
    assert len(coverage.list_items(db, everything["id"])) == 2
    stories.create_story(
        db, "no-toasters", "Acme but not toasters", keywords_include="Acme", keywords_exclude="toaster"
    )
    result = ingest_targets(db, "no-toasters", [str(FEEDS / "rss.xml")]).counts
    assert result["new"] == 0 and result["skipped"] == 2


def test_feed_entries_without_links_are_counted_as_skipped(db, story):
    result = ingest_targets(db, story["slug"], [str(FEEDS / "no-links.xml")])
    assert result.counts == {"new": 1, "updated": 0, "unchanged": 0, "skipped": 3, "failed": 0, "candidates": 0}
    assert result.results[0].skipped_reasons == {"no link": 2, "link is not an http(s) URL": 1}


def test_a_saved_json_feed_is_ingested_as_a_feed_its_relative_links_resolved_against_its_own_address(db, story):
    result = ingest_targets(db, story["slug"], [str(FEEDS / "jsonfeed.json")])
    (feed,) = result.results
    assert (feed.kind, feed.title, result.counts["new"], result.counts["skipped"]) == (
        "feed",
        "Example Newsroom & Wire",
        2,
        3,
    )
    items = {i["canonical_url"]: i for i in coverage.list_items(db, story["id"])}
    recall = items["https://newsroom.example/2026/11/20/acme-recall/"]
    assert (recall["outlet"], recall["published_at"], recall["byline"]) == (
        "Example Newsroom & Wire",
        "2026-11-20T14:30:00Z",
        "Jo Example, Sam Placeholder",
    )


def test_malformed_feed_is_ingested_with_a_warning_line(db, story):
    result = ingest_targets(db, story["slug"], [str(FEEDS / "malformed.xml")])
    assert result.counts["new"] == 2 and result.counts["failed"] == 0
    (feed,) = result.results
    assert feed.kind == "feed" and feed.problem.startswith("malformed feed")
    assert ingest_lines(feed)[1].startswith(f"{FEEDS / 'malformed.xml'}: warning: malformed feed")


@pytest.mark.parametrize(
    "name,reason",
    [
        ("broken.html", "no article text found"),
        ("pixel.png", "a PNG image, not a feed or an HTML page"),
        ("empty.html", "an empty file"),
        ("missing.html", "no such file"),
        ("a-directory", "is a directory"),
    ],
)
def test_unreadable_target_is_one_failure_line_and_never_stops_the_others(db, story, tmp_path, name, reason):
    path = tmp_path / name
    if name in ("broken.html", "pixel.png"):
        shutil.copy(PAGES / name, path)
    elif name == "empty.html":
        path.write_bytes(b"")
    elif name == "a-directory":
        path.mkdir()
    result = ingest_targets(db, story["slug"], [str(path), str(PAGES / "acme-recall.html")])
    assert result.counts == {"new": 1, "updated": 0, "unchanged": 0, "skipped": 0, "failed": 1, "candidates": 4}
    failure = result.results[0]
    assert (failure.kind, failure.target, failure.item_id) == ("failed", str(path), None)
    assert reason in failure.problem
    assert [i["canonical_url"] for i in coverage.list_items(db, story["id"])] == [RECALL_URL]


def test_a_failure_while_writing_leaves_no_half_written_item(db, story):
    # The item is inserted before its revision; make the revision insert fail as a full disk would.
    db.execute(
        "CREATE TEMP TRIGGER fail_revisions BEFORE INSERT ON revisions BEGIN SELECT RAISE(ABORT, 'disk full'); END"
    )
    result = ingest_targets(db, story["slug"], [str(PAGES / "acme-recall.html")])
    assert result.counts["failed"] == 1
    problem = result.results[0].problem
    assert "database error" in problem and "nothing of it was stored" in problem
    assert table_counts(db) == {"coverage": 0, "revisions": 0, "fetches": 0}
    assert not db.conn.in_transaction


def test_unknown_story_raises_story_not_found_before_touching_anything(db):
    with pytest.raises(StoryNotFound, match="no-such-story"):
        ingest_targets(db, "no-such-story", [str(FEEDS / "rss.xml")])
    assert table_counts(db)["coverage"] == 0


def test_ingest_page_and_feed_take_fetched_bytes_for_the_scrape_loop(db, story):
    feed = ingest_feed(db, story, "https://gazette.example/feed.xml", (FEEDS / "rss.xml").read_bytes())
    assert feed["new"] == 1 and feed["title"] == "Example Gazette"
    page = ingest_page(
        db, story["slug"], RECALL_URL + "?utm_source=x", (PAGES / "acme-recall.html").read_bytes(), charset="utf-8"
    )
    assert page["status"] == "updated" and page["canonical_url"] == RECALL_URL
    assert coverage.get_revision(db, page["revision_id"])["coverage_id"] == feed["items"][0]


def test_a_page_ingested_by_hand_is_weighed_against_its_feed_entry_as_the_scrape_loop_weighs_it(db, story):
    """A reporter ingesting an address a feed brought had the page decide its date without the entry's: a page
    six weeks older than its entry, doubted when the scrape loop read it, was re-dated by its own date."""
    url = "https://gazette.example/business/old-recall"
    entry = {"link": url, "title": "Acme recalls toasters", "pubDate": "Mon, 02 Mar 2026 14:30 GMT"}
    ingest_feed(db, story, "https://gazette.example/feed.xml", rss("Example Gazette", [entry]).encode())
    old = article("Acme recalls 10,000 toasters", RECALL, published="2026-01-20T10:00:00Z")
    ingest_page(db, story["slug"], url, old.encode())
    [item] = coverage.list_items(db, story["id"])
    assert item["published_at"] == "2026-03-02T14:30:00Z"
    assert {d["reason"] for d in json.loads(item["date_doubts"])} == {"41 days from the feed entry's date"}


def test_a_page_time_without_a_zone_is_stored_as_the_moment_on_the_outlets_clock(db, story):
    """A Tokyo paper's CMS writes 08:00 on the 7th without a zone: 23:00 UTC on the 6th, not 08:00 UTC."""
    page = article("Acme recalls 10,000 toasters", RECALL, published="2026-03-07T08:00:00")
    ingest_page(db, story["slug"], "https://news.example.jp/business/acme-recall", page.encode())
    [item] = coverage.list_items(db, story["id"])
    assert (item["published_at"], item["published_precision"]) == ("2026-03-06T23:00:00Z", None)


@pytest.mark.parametrize("name", ["rss.xml", "jsonfeed.json"])
def test_a_feed_given_as_an_article_page_is_refused_naming_what_it_is(name):
    """A page source or a feed entry pointing at a JSON Feed was told it is "an RSS or Atom feed"."""
    from scrapers.records import ParseError
    from tracker.store import parse_page

    with pytest.raises(ParseError, match="it is a feed \\(RSS, Atom or JSON Feed\\), not an article page"):
        parse_page((FEEDS / name).read_bytes(), "https://gazette.example/feed")


@pytest.mark.parametrize(
    "declared,url,expected",
    [
        ("/a/story/", "https://news.example/a/story/?utm_source=x", "https://news.example/a/story/"),
        ("https://www.news.example/a", "https://m.news.example/a", "https://www.news.example/a"),
        ("https://news.example/a", "https://cdn.news.example/a.amp.html", "https://news.example/a"),
        # A fetched page must not claim another site's item.
        ("https://other.example/a", "https://news.example/copy", "https://news.example/copy"),
        # A saved file names the item by its canonical link...
        ("https://news.example/a", "file:///tmp/saved.html", "https://news.example/a"),
        # ...or by its path when it has none.
        ("file:///tmp/saved.html", "file:///tmp/saved.html", "file:///tmp/saved.html"),
        (None, "https://news.example/a#top", "https://news.example/a"),
        # A canonical link that is not a usable address counts as none.
        ("http://[oops/a", "https://news.example/a", "https://news.example/a"),
        ("https://news.example:99999/a", "https://news.example/a", "https://news.example/a"),
    ],
)
def test_page_canonical_url(declared, url, expected):
    assert page_canonical_url(declared, url) == expected


def test_urls_are_fetched_with_the_injected_client_and_logged(db, story, http_server):
    page_url = http_server.route(
        "/news/acme-recall.html",
        (PAGES / "acme-recall.html")
        .read_text()
        .replace("https://gazette.example/2026/03/02/acme-recall/", "/news/acme-recall.html"),
    )
    feed_xml = (FEEDS / "rss.xml").read_text().replace("https://gazette.example/2026/03/02/acme-recall/", page_url)
    feed_url = http_server.route("/feed", feed_xml, content_type="text/plain")  # wrong type: content decides
    missing = http_server.url("/gone.html")
    with Fetcher(
        "NewsroomTrackerTests/1.0 (+https://tracker.example/contact)", allow_private=True, min_interval=0
    ) as f:
        result = ingest_targets(db, story["slug"], [feed_url, page_url, missing], fetcher=f)
    assert result.counts == {"new": 1, "updated": 1, "unchanged": 0, "skipped": 1, "failed": 1, "candidates": 4}
    (item,) = coverage.list_items(db, story["id"])
    assert item["canonical_url"] == page_url  # relative canonical link made absolute
    assert [r.kind for r in result.results] == ["feed", "page", "failed"]
    assert result.results[1].item_id == item["id"]
    assert "404" in result.results[2].problem
    fetches = db.execute("SELECT url, status, outcome FROM fetches ORDER BY id").fetchall()
    assert fetches == [(feed_url, 200, "ok"), (page_url, 200, "ok"), (missing, 404, "error")]
    assert all("NewsroomTrackerTests" in headers.get("User-Agent", "") for _, headers in http_server.requests)


def test_default_client_refuses_loopback_urls_with_one_line(db, story, http_server):
    url = http_server.route("/page.html", (PAGES / "acme-recall.html").read_bytes())
    result = ingest_targets(db, story["slug"], [url])
    assert result.counts["failed"] == 1 and [r.kind for r in result.results] == ["failed"]
    assert not [path for path, _ in http_server.requests if path == "/page.html"]
    assert table_counts(db)["coverage"] == 0


def test_unsupported_address_schemes_fail_clearly(db, story):
    result = ingest_url(db, story["slug"], "ftp://news.example/feed.xml")
    assert result.kind == "failed" and "unsupported address" in result.problem


@pytest.fixture
def run(db_path):
    def run(*args):
        return CliRunner().invoke(cli, ["--db", str(db_path), *args])

    return run


@pytest.mark.parametrize(
    "args,message",
    [
        (("ingest", "no-such-story", str(FEEDS / "rss.xml")), "No story with slug 'no-such-story'"),
        (("ingest", "test-story", "no/such/file.xml"), "failed: no/such/file.xml: no such file"),
        (("ingest", "test-story", str(PAGES / "pixel.png")), "a PNG image"),
        # A device or pipe has no size to check against the limit, and may never end (/dev/zero).
        (("ingest", "test-story", "/dev/null"), "failed: /dev/null: not a regular file"),
        (("ingest", "test-story", "--document", "/dev/null"), "failed: /dev/null: not a regular file"),
    ],
)
def test_cli_ingest_errors_are_one_line_and_non_zero(run, story, args, message):
    result = run(*args)
    assert result.exit_code != 0
    assert message in result.output
    assert len(result.output.strip().splitlines()) == 1, result.output
    assert "Traceback" not in result.output


def test_cli_ingest_prints_a_line_per_target_and_the_counts(run, story):
    result = run("ingest", "test-story", str(FEEDS / "rss.xml"), str(PAGES / "acme-recall.html"), "missing.xml")
    out = result.stdout.strip().splitlines()
    assert len(out) == 4
    assert out[-1] == "new: 1, updated: 1, unchanged: 0, skipped: 1, failed: 1, candidates: 4"


def test_cli_ingest_on_a_database_another_program_keeps_locked_stops_and_says_so(run, db_path, story, monkeypatch):
    """A sqlite3 shell left inside a change: every target waited out the busy timeout in turn to fail with
    "database error (database is locked)", and the run ended on exit 1 with neither counts nor a reason."""
    import sqlite3

    import tracker.db

    monkeypatch.setattr(tracker.db, "BUSY_TIMEOUT_MS", 50)
    targets = [str(FEEDS / "rss.xml"), str(PAGES / "acme-recall.html"), str(PAGES / "acme-recall.html")]
    shell = sqlite3.connect(db_path, isolation_level=None)
    shell.execute("BEGIN IMMEDIATE")
    try:
        result = run("ingest", "test-story", *targets)
    finally:
        shell.execute("ROLLBACK")
        shell.close()
    assert result.exit_code == 1, result.output
    out = result.stdout.strip().splitlines()
    assert [line.split(":")[0] for line in out] == ["failed", "new"], out  # the first target, then the counts
    assert out[-1] == "new: 0, updated: 0, unchanged: 0, skipped: 0, failed: 1, candidates: 0"
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith(f"Error: {db_path} is locked by another program") and "run the command again" in last, last
    assert run("ingest", "test-story", *targets).exit_code == 0


def test_cli_ingest_that_partly_failed_exits_3_with_a_line_saying_so(run, story):
    """A cron job told "ingested" (0) from "could not start" (1) only; one target failing out of three was 0."""
    result = run("ingest", "test-story", str(FEEDS / "rss.xml"), str(PAGES / "acme-recall.html"), "missing.xml")
    assert result.exit_code == 3, result.output
    assert result.stderr.strip().splitlines()[-1] == (
        "partly failed: 1 of 3 target(s) could not be ingested (the failed: lines say why); exit status 3."
    )
    whole = run("ingest", "test-story", str(PAGES / "acme-recall.html"))
    assert (whole.exit_code, whole.stderr) == (0, "")
    none = run("ingest", "test-story", "missing.xml")
    assert none.exit_code == 1  # nothing ingested at all
    unknown = run("ingest", "no-such-story", str(PAGES / "acme-recall.html"))
    assert unknown.exit_code == 1 and "no-such-story" in unknown.output


def _closed_port() -> int:
    """A loopback port nothing listens on: a connection to it is refused at once."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_an_address_ingested_now_is_advised_as_an_address_not_as_a_source(db_path, story, http_server, monkeypatch):
    """`ingest URL` has no source to remove or to try again on a later pass: the advice is for the address given."""
    monkeypatch.setenv("TRACKER_ALLOWED_HOSTS", "127.0.0.1")
    http_server.route("/robots.txt", "", status=404)
    missing = http_server.url("/gone.html")
    down = f"http://127.0.0.1:{_closed_port()}/story.html"
    result = CliRunner().invoke(cli, ["--db", str(db_path), "ingest", story["slug"], missing, down])
    assert result.exit_code == 1
    gone_line, down_line = result.output.strip().splitlines()
    assert gone_line == (
        f"failed: {missing}: {missing} answered HTTP 404 Not Found; there is no page at that address: "
        "check it for typos, or open it in a browser."
    )
    assert down_line.startswith(f"failed: {down}: Could not connect to 127.0.0.1:")
    assert "(connection refused)" in down_line, down_line
    for words in ("source", "Errno", "robots.txt", "later pass", "ingest the file"):
        assert words not in result.output, (words, result.output)


def test_an_address_the_settings_refuse_says_so_without_speaking_of_sources(db_path, story, http_server):
    url = http_server.route("/page.html", (PAGES / "acme-recall.html").read_bytes())
    result = CliRunner().invoke(cli, ["--db", str(db_path), "ingest", story["slug"], url])
    assert result.exit_code == 1
    assert "127.0.0.1 is a loopback address" in result.output and "TRACKER_ALLOWED_HOSTS" in result.output
    assert "source" not in result.output.lower(), result.output


def test_an_address_whose_robots_txt_fails_says_what_to_do_now_in_one_sentence(
    db_path, story, http_server, monkeypatch
):
    """The sentence for a scheduled source ("asked again in about 10 minutes") sat in brackets inside another."""
    monkeypatch.setenv("TRACKER_ALLOWED_HOSTS", "127.0.0.1")
    http_server.route("/robots.txt", "down for maintenance", status=503)
    url = http_server.route("/story.html", (PAGES / "acme-recall.html").read_bytes())
    result = CliRunner().invoke(cli, ["--db", str(db_path), "ingest", story["slug"], url])
    assert result.exit_code == 1
    assert result.output.strip() == (
        f"failed: {url}: robots.txt of {http_server.base_url} could not be read (it answered HTTP 503); until "
        "it can be, the robots.txt standard asks us to fetch nothing from the site: try again in a few minutes, or "
        "save the page from a browser and add the saved file."
    )


def _nameless_page(path: str) -> str:
    """The recall article with no name of its site: no site name, no publisher, its own address as canonical."""
    page = (PAGES / "acme-recall.html").read_text()
    page = page.replace('  <meta property="og:site_name" content="Example Gazette">\n', "")
    page = page.replace(',\n   "publisher": {"@type": "Organization", "name": "Example Gazette"}', "")
    page = page.replace(" – Example Gazette</title>", "</title>").replace("© 2026 Example Gazette", "")
    return page.replace("https://gazette.example/2026/03/02/acme-recall/", path)


def test_an_address_on_a_site_a_source_names_is_credited_to_that_organisation(db, story, http_server, tmp_path):
    from tests import pdfs
    from tracker import sources

    http_server.route("/robots.txt", "", status=404)
    first = http_server.route("/press/first.html", _nameless_page("/press/first.html"))
    assert "Example Gazette" not in _nameless_page("/press/first.html")
    with Fetcher("NewsroomTrackerTests/1.0", allow_private=True, min_interval=0) as f:
        result = ingest_url(db, story["slug"], first, fetcher=f)
        # Nothing known of the site: its host, as before.
        assert coverage.get_item(db, result.item_id)["outlet"] == "127.0.0.1"
        sources.add_source(db, story["id"], http_server.url("/newsroom/"), "statement", outlet="Acme Widgets")
        page = ingest_url(db, story["slug"], http_server.route("/press/second.html", _nameless_page("/p")), fetcher=f)
        made = pdfs.multi_page_pdf(tmp_path / "report.pdf", 1, seed=3)
        pdf = http_server.route("/press/report.pdf", made.data, content_type="application/pdf")
        document = ingest_url(db, story["slug"], pdf, fetcher=f)
        named = http_server.route("/press/named.html", (PAGES / "acme-recall.html").read_text())
        own = ingest_url(db, story["slug"], named, fetcher=f)
    assert (page.kind, document.kind) == ("page", "document")
    assert coverage.get_item(db, page.item_id)["outlet"] == "Acme Widgets"
    assert coverage.get_item(db, document.item_id)["outlet"] == "Acme Widgets"
    # A page that names its own site keeps that name; only a bare host gives way to the source's organisation.
    assert coverage.get_item(db, own.item_id)["outlet"] == "Example Gazette"


@pytest.mark.parametrize(
    ("url", "named", "expected"),
    [
        ("https://www.example.gov/press/1", "www.example.gov", "Example Agency"),
        ("https://example.gov/press/1", None, "Example Agency"),
        ("https://press.example.gov/1", "press.example.gov", "Example Agency"),
        ("https://www.example.gov/press/1", "Example Agency Newsroom", "Example Agency Newsroom"),
        ("https://www.shared.example/a", None, "shared.example"),  # two sources name it differently
        ("https://elsewhere.example/a", None, "elsewhere.example"),
    ],
)
def test_the_organisation_an_address_is_credited_to(db, story, url, named, expected):
    from tracker import sources
    from tracker.store import credited_outlet

    sources.add_source(db, story["id"], "https://www.example.gov/newsroom/", "statement", outlet="Example Agency")
    sources.add_source(db, story["id"], "https://shared.example/one/", "statement", outlet="One Agency")
    sources.add_source(db, story["id"], "https://shared.example/two/", "statement", outlet="Two Agency")
    assert credited_outlet(db, story["id"], url, named) == expected


def test_a_page_saying_only_how_long_ago_is_dated_when_fetched_now_and_not_from_a_saved_file(
    db, story, http_server, tmp_path
):
    page = (
        '<html lang="de"><head><title>Acme ruft Wasserkocher zurück</title></head><body><article>'
        '<h1>Acme ruft Wasserkocher zurück</h1><p class="meta"><time>vor 3 Stunden</time></p>'
        "<p>Acme ruft 10.000 Wasserkocher zurück, weil sich die Griffe lösen können, teilte das Unternehmen mit.</p>"
        "</article></body></html>"
    )
    url = http_server.route("/news/wasserkocher.html", page)
    saved = tmp_path / "wasserkocher.html"
    saved.write_text(page.replace("Wasserkocher zurück", "Toaster zurück"))
    with Fetcher(
        "NewsroomTrackerTests/1.0 (+https://tracker.example/contact)", allow_private=True, min_interval=0
    ) as f:
        ingest_targets(db, story["slug"], [url, str(saved)], fetcher=f)
    items = {i["title"]: i for i in coverage.list_items(db, story["id"])}
    fetched, read = items["Acme ruft Wasserkocher zurück"], items["Acme ruft Toaster zurück"]
    assert fetched["published_from"] == '["relative time"]' and "approximate" in fetched["date_doubts"]
    assert read["published_at"] is None and read["date_doubts"] is None
