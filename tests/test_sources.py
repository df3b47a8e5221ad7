"""Sources: adding (with validation and duplicates), health, schedule, and the `sources` commands."""

from __future__ import annotations

import threading

import pytest
from click.testing import CliRunner

from scrapers.schedule import later
from tests.conftest import python_output
from tests.sites import RECALL, article, fetcher, rss
from tracker import coverage, sources, stories
from tracker.cli import cli
from tracker.db import NotFound, TrackerError, now
from tracker.scrape import run_pass


def count(db) -> int:
    return db.execute("SELECT count(*) FROM sources").fetchone()[0]


def test_add_source_returns_it_with_its_health_and_it_is_due_at_once(db, story):
    source = sources.add_source(db, story["id"], "  https://gazette.example/feed.xml ", "feed", outlet="Gazette")
    assert source["url"] == "https://gazette.example/feed.xml"
    assert source["kind"] == "feed" and source["outlet"] == "Gazette" and source["config"] == {}
    assert source["state"] == "active" and source["failures"] == 0 and source["items"] == 0
    assert source["last_fetched_at"] is None and source["next_poll_at"] is None
    assert [s["id"] for s in sources.due_sources(db, now()).sources] == [source["id"]]
    assert sources.get_source(db, source["id"]) == source


def test_statement_source_keeps_its_organisation_and_link_pattern(db, story):
    source = sources.add_source(
        db, story["id"], "https://acme.example/newsroom/", "statement", "Acme Widgets", {"pattern": r"/\d{4}/"}
    )
    assert source["config"] == {"pattern": r"/\d{4}/"} and source["outlet"] == "Acme Widgets"


def test_a_source_can_have_its_own_poll_interval(db, story):
    source = sources.add_source(db, story["id"], "https://gazette.example/feed.xml", "feed", config={"every": 30})
    assert source["config"] == {"every": 30} and sources.source_every(source) == 30.0
    plain = sources.add_source(db, story["id"], "https://ledger.example/feed.xml", "feed")
    assert sources.source_every(plain) is None


@pytest.mark.parametrize(
    "url,kind,outlet,config,message",
    [
        ("javascript:alert(1)", "feed", None, None, "not a web address"),
        ("ftp://gazette.example/feed.xml", "feed", None, None, "not a web address"),
        ("gazette.example/feed.xml", "feed", None, None, "not a web address"),
        ("", "feed", None, None, "not a web address"),
        ("https://gazette.example/feed.xml", "podcast", None, None, "Unknown source kind 'podcast'"),
        ("https://acme.example/newsroom/", "statement", None, None, "needs the organisation"),
        ("https://acme.example/newsroom/", "statement", "\u200b\u2060", None, "needs the organisation"),
        ("https://acme.example/newsroom/", "statement", "Acme", {"pattern": "(unclosed"}, "we can run safely"),
        ("https://acme.example/newsroom/", "statement", "Acme", {"pattern": r"(\d+)/\1"}, "backreferences"),
        ("https://gazette.example/feed.xml", "feed", None, {"pattern": "/2026/"}, "only applies to statement"),
        ("https://gazette.example/feed.xml", "feed", None, {"colour": "red"}, "Unknown source setting"),
        ("https://gazette.example/feed.xml", "feed", None, {"every": 1}, "5 seconds to a day"),
        ("https://gazette.example/feed.xml", "feed", None, {"every": "often"}, "5 seconds to a day"),
        ("https://gazette.example/feed.xml", "feed", None, {"every": True}, "5 seconds to a day"),
    ],
)
def test_bad_sources_are_refused_with_a_clear_message_and_nothing_stored(db, story, url, kind, outlet, config, message):
    with pytest.raises(TrackerError, match=message):
        sources.add_source(db, story["id"], url, kind, outlet, config)
    assert count(db) == 0


@pytest.mark.parametrize(
    "again",
    [
        "https://gazette.example/feed.xml",
        "https://GAZETTE.example/feed.xml?utm_source=newsletter#top",
    ],
)
def test_a_duplicate_source_is_refused_naming_the_one_that_exists(db, story, again):
    first = sources.add_source(db, story["id"], "https://gazette.example/feed.xml", "feed")
    with pytest.raises(TrackerError, match=f"already a source of story 'test-story' \\(source {first['id']}\\)"):
        sources.add_source(db, story["id"], again, "feed")
    assert count(db) == 1


def test_the_same_url_may_be_a_source_of_two_stories(db, story):
    other = stories.create_story(db, "other", "Other story")
    sources.add_source(db, story["id"], "https://gazette.example/feed.xml", "feed")
    sources.add_source(db, other["id"], "https://gazette.example/feed.xml", "feed")
    assert [s["story_slug"] for s in sources.list_sources(db)] == ["other", "test-story"]
    assert len(sources.list_sources(db, other["id"])) == 1


def test_unknown_story_or_source_is_not_found(db):
    with pytest.raises(NotFound):
        sources.add_source(db, 999, "https://gazette.example/feed.xml", "feed")
    with pytest.raises(NotFound, match="No source with id 5"):
        sources.get_source(db, 5)


def test_record_fetch_refuses_an_unknown_outcome(db, story):
    source = sources.add_source(db, story["id"], "https://gazette.example/feed.xml", "feed")
    with pytest.raises(ValueError):
        sources.record_fetch(db, source["id"], source["url"], outcome="fine")
    fetch_id = sources.record_fetch(db, source["id"], source["url"], outcome="ok", status=200, size=10, ms=3)
    assert sources.recent_fetches(db, source["id"])[0]["id"] == fetch_id


def test_health_after_a_pass_and_the_schedule(db, story, site):
    page = site.put("/a.html", article("Acme recalls toasters", RECALL))
    feed = sources.add_source(
        db, story["id"], site.put("/feed.xml", rss("G", [{"link": page, "title": "Acme"}])), "feed"
    )
    broken = sources.add_source(db, story["id"], site.put("/broken.xml", "x", status=500), "feed")
    at = now()
    with fetcher() as f:
        run_pass(db, story["slug"], fetcher=f, at=at)
    health = {s["id"]: s for s in sources.list_sources(db, story["id"])}
    ok = health[feed["id"]]
    assert (ok["last_status"], ok["last_outcome"], ok["failures"], ok["items"]) == (200, "ok", 0, 1)
    assert ok["last_ok_at"] and ok["next_poll_at"] == later(at, 600) and ok["poll_count"] == 1
    bad = health[broken["id"]]
    assert (bad["last_status"], bad["last_outcome"], bad["failures"]) == (500, "error", 1)
    assert "500" in bad["last_error"] and bad["next_poll_at"] == later(at, 1200)
    # Asked after the pass (its fetches are stamped after `at`, which a clock set back would also look like).
    after = now()
    assert sources.due_sources(db, after).sources == []
    assert [s["id"] for s in sources.due_sources(db, later(at, 600)).sources] == [feed["id"]]
    assert {s["id"] for s in sources.due_sources(db, later(at, 1200)).sources} == {feed["id"], broken["id"]}
    # A pass run by hand (force) polls the healthy source before its time; the failing one keeps backing off.
    forced = sources.due_sources(db, after, force=True)
    assert [s["id"] for s in forced.sources] == [feed["id"]] and forced.backing_off == 1
    assert sources.due_sources(db, later(at, 1200), force=True).backing_off == 0


def test_paused_sources_are_not_due_and_resuming_makes_them_due_now(db, story):
    source = sources.add_source(db, story["id"], "https://gazette.example/feed.xml", "feed")
    sources.set_state(db, source["id"], "paused")
    assert sources.due_sources(db, now()).sources == []
    resumed = sources.set_state(db, source["id"], "active")
    assert resumed["state"] == "active" and sources.due_sources(db, now()).sources[0]["id"] == source["id"]
    with pytest.raises(TrackerError, match="Unknown source state"):
        sources.set_state(db, source["id"], "asleep")


@pytest.fixture
def run(db_path):
    def run(*args):
        return CliRunner().invoke(cli, ["--db", str(db_path), *args])

    return run


@pytest.mark.parametrize(
    "args, says",
    [
        (("--kind", "statement"), "(--outlet)"),
        (("--kind", "feed", "--pattern", "/press/"), "(--kind statement)"),
    ],
)
def test_the_cli_names_its_own_options_when_a_source_is_refused(run, db, story, args, says):
    refused = run("sources", "add", "test-story", "https://acme.example/press", *args)
    assert refused.exit_code == 1 and says in refused.output, refused.output
    assert count(db) == 0


def test_cli_sources_add_and_list(run, story):
    added = run("sources", "add", "test-story", "https://gazette.example/feed.xml", "--kind", "feed")
    assert added.exit_code == 0, added.output
    assert added.output.strip() == "Added feed source 1 to 'test-story': https://gazette.example/feed.xml"
    statement = run(
        "sources",
        "add",
        "test-story",
        "https://acme.example/newsroom/",
        "--kind",
        "statement",
        "--outlet",
        "Acme Widgets",
        "--pattern",
        r"/newsroom/\d{4}/",
    )
    assert statement.exit_code == 0, statement.output
    for args in (("sources",), ("sources", "test-story"), ("sources", "list", "test-story")):
        listed = run(*args)
        assert listed.exit_code == 0, listed.output
        lines = listed.output.strip().splitlines()
        assert lines[0].split()[:4] == ["id", "story", "kind", "state"]
        assert "https://gazette.example/feed.xml" in lines[1] and "feed" in lines[1] and "active" in lines[1]
        assert "statement" in lines[2] and "(Acme Widgets)" in lines[2]


def test_cli_sources_shows_the_last_error_under_the_source(run, db, story, site, monkeypatch):
    monkeypatch.setenv("TRACKER_ALLOW_PRIVATE", "1")
    monkeypatch.setenv("TRACKER_MIN_INTERVAL", "0")
    run("sources", "add", "test-story", site.put("/broken.xml", "x", status=403), "--kind", "feed")
    run("scrape")
    listed = run("sources", "test-story").output.strip().splitlines()
    assert "error 403" in listed[1]
    assert "403" in listed[2] and listed[2].startswith("      ")


@pytest.mark.parametrize(
    "args,message",
    [
        (("sources", "add", "test-story", "not a url", "--kind", "feed"), "is not a web address"),
        (("sources", "add", "no-such-story", "https://a.example/f", "--kind", "feed"), "No story with slug"),
        (("sources", "add", "test-story", "https://a.example/f", "--kind", "tv"), "Invalid value for '--kind'"),
        (("sources", "no-such-story"), "No story with slug 'no-such-story'"),
    ],
)
def test_cli_sources_errors_are_clear_and_change_nothing(run, db, story, args, message):
    result = run(*args)
    assert result.exit_code != 0
    assert message in result.output and "Traceback" not in result.output
    assert count(db) == 0


def test_cli_sources_without_any_says_how_to_add_one(run, story):
    result = run("sources")
    assert result.exit_code == 0 and "sources add" in result.output


def test_cli_pause_and_resume_a_source(run, db, story):
    source = sources.add_source(db, story["id"], "https://gazette.example/feed.xml", "feed")
    db.execute("UPDATE sources SET state = 'gone', failures = 3, missing_count = 3 WHERE id = ?", [source["id"]])
    db.conn.commit()
    resumed = run("sources", "resume", str(source["id"]))
    assert resumed.exit_code == 0 and resumed.output.startswith(f"Resumed source {source['id']}")
    health = sources.get_source(db, source["id"])
    assert (health["state"], health["failures"], health["missing_count"]) == ("active", 0, 0)
    assert run("sources", "pause", str(source["id"])).exit_code == 0
    assert sources.get_source(db, source["id"])["state"] == "paused"
    missing = run("sources", "resume", "99")
    assert missing.exit_code == 1 and "No source with id 99" in missing.output


def test_cli_pausing_a_paused_source_or_resuming_an_active_one_says_it_already_was(run, db, story):
    """Both said "Paused source 3" / "Resumed source 3" again, as if something had changed; resuming an active
    source also made it due at once, throwing away the poll time it had."""
    source = sources.add_source(db, story["id"], "https://gazette.example/feed.xml", "feed")
    with db.conn:
        db.execute("UPDATE sources SET next_poll_at = '2026-12-06T10:30:00Z' WHERE id = ?", [source["id"]])
    before = sources.get_source(db, source["id"])
    resumed = run("sources", "resume", str(source["id"]))
    assert resumed.exit_code == 0
    assert resumed.output == (
        f"Source {source['id']} is already active; nothing changed (next poll 2026-12-06 10:30Z): "
        "https://gazette.example/feed.xml\n"
    )
    assert sources.get_source(db, source["id"]) == before
    assert sources.set_state(db, source["id"], "active") == before
    assert run("sources", "pause", str(source["id"])).output.startswith(f"Paused source {source['id']}")
    again = run("sources", "pause", str(source["id"]))
    assert again.exit_code == 0
    assert again.output == f"Source {source['id']} was already paused: https://gazette.example/feed.xml\n"
    assert sources.get_source(db, source["id"])["state"] == "paused"


def test_cli_adding_a_url_with_credentials_says_they_were_dropped_without_printing_them(run, db, story):
    """The user name and password vanished from the stored address without a word."""
    result = run("sources", "add", story["slug"], "https://editor:hunter2@gazette.example/feed.xml", "--kind", "feed")
    assert result.exit_code == 0, result.output
    assert "hunter2" not in result.output and "editor:" not in result.output
    lines = result.output.splitlines()
    assert lines[-1] == (
        "note: the user name and password in the URL were dropped, not stored: the tracker follows public sources only."
    ), result.output
    assert sources.list_sources(db, story["id"])[0]["url"] == "https://gazette.example/feed.xml"
    plain = run("sources", "add", story["slug"], "https://wire.example/rss", "--kind", "feed")
    assert "note:" not in plain.output


def test_a_nested_quantifier_pattern_runs_in_linear_time(db, story):
    """`(a+)+$` took 2.4 s on a 24-character link with Python's re, doubling with each character.

    The listing below has a 60-character link; backtracking would need 2^60
    steps. A child process runs it so that a regression fails the suite
    instead of hanging it (the limit is a guard, not the measure).
    """

    sources.add_source(db, story["id"], "https://acme.example/newsroom/", "statement", "Acme", {"pattern": "(a+)+$"})
    code = (
        "from scrapers.statements import statement_links\n"
        "page = b'<a href=\"/news/' + b'a' * 60 + b'!\">x</a><a href=\"/news/aaaa\">y</a>'\n"
        "print(statement_links(page, 'https://acme.example/newsroom/', '(a+)+$'))\n"
    )
    output = python_output(code)
    assert output.strip() == "['https://acme.example/news/aaaa']"


def test_credentials_are_stripped_from_a_source_url(db, story):
    source = sources.add_source(db, story["id"], "https://editor:hunter2@gazette.example/feed.xml", "feed")
    assert source["url"] == "https://gazette.example/feed.xml"
    stored = db.execute("SELECT url FROM sources").fetchone()[0]
    assert "hunter2" not in stored and "editor@" not in stored


def test_a_space_in_a_source_url_is_stored_percent_encoded_as_the_fetcher_requests_it(db, story):
    """The fetcher asks for /f3%20x; stored with the space, the list showed an address that was not the one
    fetched, and "f3 x" and "f3%20x" were taken for two sources."""
    source = sources.add_source(db, story["id"], "https://y.example/f3 x?q=a b", "page")
    assert source["url"] == "https://y.example/f3%20x?q=a%20b"
    with pytest.raises(TrackerError, match="already a source"):
        sources.add_source(db, story["id"], "https://y.example/f3%20x?q=a%20b", "page")
    assert count(db) == 1


def test_a_space_in_a_source_s_host_is_still_refused(db, story):
    with pytest.raises(TrackerError, match="not a web address"):
        sources.add_source(db, story["id"], "https://exa mple.example/feed", "feed")
    assert count(db) == 0


def test_cli_sources_add_says_the_address_it_stored(run, story):
    added = run("sources", "add", "test-story", "https://y.example/f3 x", "--kind", "page")
    assert added.exit_code == 0, added.output
    assert added.output.strip() == "Added page source 1 to 'test-story': https://y.example/f3%20x"


def test_a_source_refused_for_a_private_address_names_the_setting_that_allows_it(run, db, story):
    """It said "add … to the allowed hosts in the configuration", naming no setting to look for."""
    sources.add_source(db, story["id"], "http://127.0.0.1:9/feed.xml", "feed")
    scraped = run("scrape", "test-story")
    assert "Refused to fetch http://127.0.0.1:9/feed.xml" in scraped.output, scraped.output
    assert "TRACKER_ALLOWED_HOSTS" in scraped.output
    listed = run("sources", "test-story")
    assert "TRACKER_ALLOWED_HOSTS" in listed.output, listed.output


def test_a_refused_link_pattern_is_shown_as_it_was_typed(db, story):
    """The message showed the pattern as Python writes a string, every backslash doubled: a reporter who typed
    /press/(\\d{4}/ read back /press/(\\\\d{4}/ and could not tell the mistake (the missing bracket) from ours."""
    with pytest.raises(TrackerError) as refused:
        sources.add_source(db, story["id"], "https://city.example/p/", "statement", "City", {"pattern": r"/p/(\d{4}/"})
    assert "“/p/(\\d{4}/”" in str(refused.value) and "\\\\" not in str(refused.value)
    with pytest.raises(TrackerError) as refused:  # a line break is still shown escaped: the message is one line
        sources.add_source(db, story["id"], "https://city.example/press/", "statement", "City", {"pattern": "(a\nb"})
    assert "\n" not in str(refused.value)


def test_the_cli_health_table_keeps_its_columns_whatever_the_last_result(run, db, story):
    """A last result of "not_modified 304" (and its "*" for distrusted validators) ran past the result column
    and pushed that row's failures, items and next poll out from under their headings."""
    for n, (outcome, status, trusted) in enumerate((("ok", 200, 1), ("not_modified", 304, 0), ("error", None, 1))):
        source = sources.add_source(db, story["id"], f"https://acme.example/feed{n}.xml", "feed")
        with db.conn:
            db.execute(
                "UPDATE sources SET last_outcome = ?, last_status = ?, trust_validators = ?, failures = ?, "
                "last_fetched_at = '2026-12-05T21:07:00Z', next_poll_at = '2026-12-05T21:17:00Z' WHERE id = ?",
                [outcome, status, trusted, n, source["id"]],
            )
    listed = run("sources", story["slug"])
    assert listed.exit_code == 0, listed.output
    header, *rows = [line for line in listed.output.splitlines() if line.startswith(("  id", "   "))]
    fails_end = header.index("fails") + len("fails")
    next_at = header.index("next poll")
    for n, row in enumerate(row for row in rows if "acme.example" in row):
        assert row[fails_end - 1] == str(n), row
        assert row[next_at:].startswith("2026-12-05 21:17Z"), row


def test_a_page_source_added_for_a_page_already_stored_counts_it_as_its_item(db, story, site):
    """A reporter fetched an article for evidence, then watched it as a page source: the source said 0 items
    (the item kept no source), its page listed none, and pausing it left the item re-checked regardless."""
    from tracker.ingest import ingest_url

    page = site.put("/hospital.html", article("Acme recalls toasters", RECALL))
    with fetcher() as f:
        ingest_url(db, story["slug"], page, fetcher=f)
    watched = sources.add_source(db, story["id"], page, "page")
    with fetcher() as f:
        run_pass(db, story["slug"], fetcher=f)
    assert {s["id"]: s["items"] for s in sources.list_sources(db, story["id"])} == {watched["id"]: 1}


def test_adding_a_source_on_the_newsrooms_own_network_says_at_once_it_will_be_refused(run, story, monkeypatch):
    """A newsroom's first source on an intranet address was added without a word, refused at the first pass,
    and then backed off for twenty minutes once the setting was fixed."""
    added = run("sources", "add", story["slug"], "http://127.0.0.1:8765/feed.xml", "--kind", "feed")
    assert added.exit_code == 0, added.output
    assert "Added feed source 1" in added.output
    assert "note: it will be refused when fetched: 127.0.0.1 is a loopback address" in added.output
    assert "TRACKER_ALLOWED_HOSTS" in added.output
    monkeypatch.setenv("TRACKER_ALLOWED_HOSTS", "127.0.0.1")
    from tracker import config

    config.settings.cache_clear()
    allowed = run("sources", "add", story["slug"], "http://127.0.0.1:8765/other.xml", "--kind", "feed")
    assert allowed.exit_code == 0 and "note:" not in allowed.output, allowed.output
    public = run("sources", "add", story["slug"], "https://gazette.example/feed.xml", "--kind", "feed")
    assert public.exit_code == 0 and "note:" not in public.output, public.output  # no lookup of a name here


def test_adding_a_localhost_source_behind_a_silent_name_server_does_not_wait_for_it(run, story, monkeypatch):
    """Adding a source on `localhost` looks the name up to say whether the fetcher will refuse it, and that lookup
    had no bound: where the hosts file does not answer for the name and the name server never does (a real one
    on 127.0.0.1 here), `sources add`, or the editor's request, waited for as long as the resolver kept trying.
    The lookup now has the guard's bound; a name left unanswered is said nothing of, as one that does not
    resolve, and the fetcher checks it on every fetch."""
    import socket

    from scrapers.http import guard
    from tests.alert_receivers import SilentNameServer

    server = SilentNameServer("localhost", itself=True)
    resolve, answered = server.resolver(socket.getaddrinfo), []

    def getaddrinfo(host, *args, **kwargs):
        try:
            return resolve(host, *args, **kwargs)
        finally:
            answered.append(host)

    monkeypatch.setattr("socket.getaddrinfo", getaddrinfo)
    monkeypatch.setattr(guard, "LOOKUP_TIMEOUT", 0.2)
    server.silent = True
    try:
        added = run("sources", "add", story["slug"], "http://localhost:8765/feed.xml", "--kind", "feed")
        waited = list(answered)
        asked = server.names_asked()
    finally:
        server.close()
        for thread in threading.enumerate():
            if thread.name == "lookup localhost":
                thread.join(10)
    assert asked == ["localhost"]  # the name server was asked...
    assert waited == []  # ...and the command ended while it was still silent
    assert added.exit_code == 0, added.output
    assert "Added feed source 1" in added.output and "note:" not in added.output


def test_the_editor_says_the_same_when_a_source_on_the_newsrooms_own_network_is_added(client, auth, accounts, story):
    auth.login("reporter")
    page = client.get(f"/stories/{story['slug']}/sources").get_data(as_text=True)
    from tests.conftest import csrf_from

    added = client.post(
        f"/stories/{story['slug']}/sources",
        data={"csrf_token": csrf_from(page), "url": "http://10.1.2.3/feed.xml", "kind": "feed"},
        follow_redirects=True,
    )
    text = added.get_data(as_text=True)
    assert "Source added: http://10.1.2.3/feed.xml" in text
    assert "It will be refused when fetched: 10.1.2.3 is a private address" in text


def test_a_source_our_settings_refuse_does_not_back_off_and_is_fetched_once_they_allow_it(
    run, db, story, site, monkeypatch
):
    """No request reached the site: the failure is ours, so no back-off grows, the health says the settings
    refuse it, and the first pass whose settings allow it fetches it, whenever it was next due."""
    monkeypatch.setenv("TRACKER_MIN_INTERVAL", "0")
    page = site.put("/a.html", article("Acme recalls toasters", RECALL))
    url = site.put("/feed.xml", rss("Harbor Gazette", [{"link": page, "title": "Acme"}]))
    run("sources", "add", story["slug"], url, "--kind", "feed")
    at = now()
    for _ in range(2):  # a second pass (`scrape` polls a source not failing at once) grows nothing either
        scraped = run("scrape", story["slug"])
        assert scraped.exit_code == 3, scraped.output
    assert site.log == []  # not even robots.txt: nothing was asked of the site
    (source,) = sources.list_sources(db, story["id"])
    assert (source["last_outcome"], source["failures"], source["state"]) == ("refused", 0, "active")
    assert "TRACKER_ALLOWED_HOSTS" in source["last_error"] and "No request was made" in source["last_error"]
    assert source["next_poll_at"] <= later(now(), 600) and source["next_poll_at"] >= later(at, 600)
    listed = run("sources", story["slug"]).output.strip().splitlines()
    assert "refused" in listed[1], listed
    # As `watch` polls (what is due): not due again under settings that still refuse it, due at once under
    # settings that allow it.
    from tracker.ingest import default_fetcher

    with default_fetcher(db=db) as refusing:
        assert run_pass(db, story["slug"], fetcher=refusing, force=False)["sources"] == 0
    with fetcher() as allowing:
        result = run_pass(db, story["slug"], fetcher=allowing, force=False)
    assert (result["failed"], result["new"]) == (0, 1), result
    (source,) = sources.list_sources(db, story["id"])
    assert (source["last_outcome"], source["failures"], source["last_error"]) == ("ok", 0, None)


def test_the_editor_shows_a_source_our_settings_refuse_as_such(client, auth, accounts, db, story):
    from tracker.ingest import default_fetcher

    sources.add_source(db, story["id"], "http://127.0.0.1:9/feed.xml", "feed")
    with default_fetcher(db=db) as refusing:
        run_pass(db, story["slug"], fetcher=refusing)
    auth.login("reporter")
    listed = client.get(f"/stories/{story['slug']}/sources").get_data(as_text=True)
    assert '<span class="health health--failing">Refused by our settings</span>' in listed
    assert "Failing ×" not in listed
    dashboard = client.get(f"/stories/{story['slug']}/dashboard").get_data(as_text=True)
    assert "Refused by our settings" in dashboard and "0 failures in a row" not in dashboard


def test_a_source_skipped_at_its_last_pass_is_not_called_healthy(client, auth, accounts, db, story, site):
    """A source not asked for at its last pass (its robots.txt unreadable) was shown as Healthy."""
    site.put("/robots.txt", "down for maintenance", status=503)
    sources.add_source(db, story["id"], site.put("/feed.xml", rss("G", [])), "feed")
    with fetcher() as f:
        run_pass(db, story["slug"], fetcher=f)
    auth.login("reporter")
    listed = client.get(f"/stories/{story['slug']}/sources").get_data(as_text=True)
    assert '<span class="health health--waiting">Skipped</span>' in listed and "Healthy" not in listed
    assert "robots.txt of http://127.0.0.1:" in listed and "HTTP 503" in listed


def test_a_source_whose_site_takes_no_connection_is_shown_failing(client, auth, accounts, db, story):
    """A host refusing every connection left its source "Skipped", never failing, however long it stayed down."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        down = f"http://127.0.0.1:{s.getsockname()[1]}/feed.xml"
    sources.add_source(db, story["id"], down, "feed")
    with fetcher() as f:
        run_pass(db, story["slug"], fetcher=f)
    auth.login("reporter")
    listed = client.get(f"/stories/{story['slug']}/sources").get_data(as_text=True)
    assert '<span class="health health--failing">Failing ×1</span>' in listed and "Skipped" not in listed
    assert "Could not connect to 127.0.0.1:" in listed and "(connection refused)" in listed


def test_a_feed_added_without_an_outlet_is_named_by_its_own_title_once_read(client, auth, accounts, db, story, site):
    """A reporter adds a feed by its address alone: the Sources page called it "127.0.0.1", its host,
    where the feed names itself."""
    page = site.put("/a.html", article("Acme recalls toasters", RECALL))
    source = sources.add_source(db, story["id"], site.put("/feed.xml", rss("Harbor Gazette", [{"link": page}])), "feed")
    named = sources.add_source(db, story["id"], site.put("/b.xml", rss("Feed Title", [])), "feed", "Our Name")
    auth.login("reporter")
    before = client.get(f"/stories/{story['slug']}/sources").get_data(as_text=True)
    assert f'<a href="/sources/{source["id"]}">127.0.0.1</a>' in before  # not read yet: its host
    with fetcher() as f:
        run_pass(db, story["slug"], fetcher=f)
    after = client.get(f"/stories/{story['slug']}/sources").get_data(as_text=True)
    assert f'<a href="/sources/{source["id"]}">Harbor Gazette</a>' in after
    assert f'<a href="/sources/{named["id"]}">Our Name</a>' in after  # the outlet a reporter typed comes first
    detail = client.get(f"/sources/{source['id']}").get_data(as_text=True)
    assert "<h1>Harbor Gazette</h1>" in detail and "<title>Source Harbor Gazette" in detail


def test_a_page_source_counts_the_page_it_watches_when_a_feed_found_it_first(
    run, db, story, site, client, auth, accounts
):
    """A newsroom watching an article as a page source saw "ok 200, items 0" beside it: the feed linking the
    article had filed it first, under the feed, and the list counted an item under its first finder only."""
    page = site.put("/bridge-detour.html", article("Acme bridge detour", RECALL))
    feed = sources.add_source(
        db, story["id"], site.put("/feed.xml", rss("G", [{"link": page, "title": "Acme"}])), "feed"
    )
    with fetcher() as f:
        run_pass(db, story["slug"], fetcher=f)
    watched = sources.add_source(db, story["id"], page, "page")
    with fetcher() as f:
        run_pass(db, story["slug"], fetcher=f)
    health = {s["id"]: s for s in sources.list_sources(db, story["id"])}
    assert (health[watched["id"]]["last_outcome"], health[watched["id"]]["items"]) == ("ok", 1)
    assert health[watched["id"]]["first_found_by"] == feed["id"]
    assert (health[feed["id"]]["items"], health[feed["id"]]["first_found_by"]) == (1, None)
    assert sources.get_source(db, watched["id"])["items"] == 1
    listed = run("sources", story["slug"])
    row = next(line for line in listed.output.splitlines() if line.endswith(page))
    assert row.split()[-4] == "1", row  # items, before the next poll (a date and a time) and the url
    auth.login("reporter")
    shown = client.get(f"/sources/{watched['id']}").get_data(as_text=True)
    assert "<dt>Items</dt><dd>1" in shown
    # Which source the item is filed under, so the reporter finds its revisions and candidates there.
    assert f'<a href="/sources/{feed["id"]}">' in shown and "found it first" in shown


def test_a_page_source_counts_the_page_a_feed_stored_under_its_address_before_cleaning(db, story, site):
    """An item stored before addresses lost their campaign tags is found by its cleaned address when stored; the
    page source watching that address looked for it by the address alone, and said "items 0"."""
    page = site.put("/bridge-detour.html", article("Acme bridge detour", RECALL))
    feed = sources.add_source(
        db, story["id"], site.put("/feed.xml", rss("G", [{"link": page, "title": "Acme"}])), "feed"
    )
    with fetcher() as f:
        run_pass(db, story["slug"], fetcher=f)
    db.execute("UPDATE coverage SET canonical_url = ?", [page + "?xtor=RSS-1"])  # as an older version stored it
    db.conn.commit()
    watched = sources.add_source(db, story["id"], page, "page")
    with fetcher() as f:
        run_pass(db, story["slug"], fetcher=f)
    health = sources.get_source(db, watched["id"])
    assert (health["items"], health["first_found_by"]) == (1, feed["id"])


def test_a_single_statement_watched_as_a_page_is_stored_and_told_as_a_statement(run, db, story, site):
    url = site.put("/acme/statement.html", article("Acme statement on the recall", RECALL))
    added = run("sources", "add", story["slug"], url, "--kind", "page", "--statement", "--outlet", "Acme Widgets")
    assert added.exit_code == 0, added.output
    assert "statement" in run("sources", story["slug"]).output.splitlines()[1]
    with fetcher() as f:
        run_pass(db, story["slug"], fetcher=f)
        site.put("/acme/statement.html", article("Acme statement on the recall", RECALL[:1]))
        run_pass(db, story["slug"], fetcher=f)
    (item,) = coverage.list_items(db, story["id"])
    assert item["kind"] == "statement" and item["outlet"] == "Acme Widgets" and item["revision_count"] == 2
    (told,) = db.execute("SELECT subject FROM alert_events WHERE kind = 'coverage_changed'").fetchall()
    assert told[0].startswith("Statement changed: Acme statement on the recall (Acme Widgets)")


@pytest.mark.parametrize("kind", ["feed", "statement"])
def test_only_a_watched_page_is_a_single_statement(run, story, kind):
    added = run(
        "sources", "add", story["slug"], "https://acme.example/x", "--kind", kind, "--statement", "--outlet", "A"
    )
    assert added.exit_code != 0 and "--kind page" in added.output


def _sources_form(client, slug: str) -> str:
    from tests.conftest import csrf_from

    return csrf_from(client.get(f"/stories/{slug}/sources").get_data(as_text=True))


def test_the_editor_marks_a_watched_page_as_an_official_statement_as_the_cli_does(
    client, auth, accounts, db, db_path, story
):
    """`sources add --kind page --statement` had no counterpart on the Sources form: a single statement added there
    was an article, alerted and charted as a report. The form's box stores it as the command does (config
    statement: true, through add_source), and the list says "Statement" in words beside the kind."""
    auth.login("editor")
    url = "https://acme.example/newsroom/2026/recall.html"
    sent = {"url": url, "kind": "page", "outlet": "Acme Widgets", "statement": "1"}
    added = client.post(
        f"/stories/{story['slug']}/sources", data={**sent, "csrf_token": _sources_form(client, story["slug"])}
    )
    assert added.status_code == 302, added.get_data(as_text=True)[:500]
    (source,) = sources.list_sources(db, story["id"])
    assert (source["kind"], source["outlet"], source["config"]) == ("page", "Acme Widgets", {"statement": True})
    assert sources.watches_statement(source)
    by_cli = [
        "sources",
        "add",
        story["slug"],
        url + "?cli",
        "--kind",
        "page",
        "--statement",
        "--outlet",
        "Acme Widgets",
    ]
    run = CliRunner().invoke(cli, ["--db", str(db_path), *by_cli])
    assert run.exit_code == 0, run.output
    by_cli = [s for s in sources.list_sources(db, story["id"]) if s["url"].endswith("?cli")][0]
    assert by_cli["config"] == source["config"]
    listed = client.get(f"/stories/{story['slug']}/sources").get_data(as_text=True)
    row = listed.split(f'href="/sources/{source["id"]}"')[1].split("</tr>")[0]
    assert ">Statement<" in row, row
    assert 'name="statement"' in listed and "Official statement" in listed
    assert ">Statement<" in client.get(f"/sources/{source['id']}").get_data(as_text=True)


@pytest.mark.parametrize("kind", ["feed", "statement"])
def test_the_editor_refuses_a_statement_box_ticked_on_any_kind_but_a_page(client, auth, accounts, db, story, kind):
    auth.login("reporter")
    sent = {"url": "https://acme.example/feed.xml", "kind": kind, "outlet": "Acme Widgets", "statement": "1"}
    refused = client.post(
        f"/stories/{story['slug']}/sources", data={**sent, "csrf_token": _sources_form(client, story["slug"])}
    )
    page = refused.get_data(as_text=True)
    assert refused.status_code == 422, page[:300]
    said = " ".join(page.split("<strong>Not added.</strong>")[1].split("</div>")[0].split())
    assert "Web page" in said and "--" not in said and "\n" not in said, said
    assert sources.list_sources(db, story["id"]) == []
    assert 'name="statement" value="1" checked' in page  # the form comes back as sent
