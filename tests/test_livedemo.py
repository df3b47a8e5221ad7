"""The live demo: its fictional web served for real stage by stage, scraped through the real fetcher,
and the whole loop (scrape -> candidates -> claim -> ruling -> publish -> public timeline) played with no sleeping.

Stages are reached by inserting them with chosen times (tracker.livedemo.stages.advance), and each
scrape pass is given its time (`at`), so every source and item that should be due is due: the test
drives the story as fast as the code runs, never waiting for a timer.
"""

from __future__ import annotations

import json
import re
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from scrapers.feeds import parse_feed
from scrapers.http import Fetcher
from scrapers.schedule import later
from scrapers.timestamps import format_time
from tests.conftest import AuthActions, csrf_from, publish_form
from tests.test_file_size_limit import LIMIT_AFTER_SWAP
from tests.test_public import get
from tracker import candidates, claims, config, coverage, sources, stories, users
from tracker.db import connect
from tracker.livedemo import pages, runner, stages
from tracker.livedemo.desk import run_desk
from tracker.livedemo.web import DemoWeb, Reached
from tracker.livedemo.world import load_world
from tracker.public import make_datasette
from tracker.scrape import run_pass

UA = "NewsroomTrackerTests/1.0 (+https://tracker.example/contact)"
WORLD = load_world()
LEDGER = "http://lantern-ledger.example"
STATEMENT = WORLD.document("tessaline-safety")


def times(first: datetime, count: int, gap: float = 60) -> dict[int, str]:
    return {n: format_time(first + timedelta(seconds=gap * (n - 1))) for n in range(1, count + 1)}


@pytest.fixture
def web():
    reached = Reached()
    server = DemoWeb(WORLD, reached).start()
    yield server
    server.close()


@pytest.fixture
def fetcher(web):
    with Fetcher(UA, host_map=web.host_map(), min_interval=0, backoff=0.01) as f:
        yield f


def version_text(doc_id: str, stage: int) -> str:
    return " ".join(WORLD.version_at(WORLD.document(doc_id), stage).paragraphs)


def test_the_data_files_are_fictional_and_each_desk_quote_is_in_its_page():
    assert all(host.endswith(".example") for host in WORLD.sites)
    assert [s.number for s in WORLD.stages] == list(range(1, WORLD.last_stage + 1))
    for stage in WORLD.stages:
        for path in stage.down:
            assert path.split("/", 1)[0] in WORLD.sites
        for action in stage.desk:
            # A desk action quotes the page as it stands at its stage, word for word.
            assert action.quote in version_text(action.source, stage.number), (stage.number, action.claim)
    # Every claim the desk rules on was logged by an earlier (or the same) stage's desk.
    logged = set()
    for stage in WORLD.stages:
        logged |= {a.claim for a in stage.desk if a.action == "log"}
        assert {a.claim for a in stage.desk if a.action == "rule"} <= logged


def test_each_stage_is_served_over_http_as_the_fetcher_asks_for_it(web, fetcher):
    feed_url = LEDGER + "/feed.xml"
    article = WORLD.document("ledger-scorch")
    before = fetcher.get(feed_url)
    assert before.status == 200 and parse_feed(before.body, url=feed_url).entries == []
    assert fetcher.get(article.url).status == 404  # not published before its stage
    reached = times(datetime(2026, 12, 3, 10, 0, tzinfo=UTC), WORLD.last_stage)

    web.reached.set({1: reached[1]})
    entries = parse_feed(fetcher.get(feed_url).body, url=feed_url).entries
    assert [e.link for e in entries] == [article.url]
    first = fetcher.get(article.url)
    assert first.status == 200 and b"The kettles caused three kitchen fires" in first.body
    assert reached[1].encode() in first.body  # dated when its stage began
    assert fetcher.get(article.url, etag=first.etag).not_modified  # an honest ETag: 304 while unchanged
    robots = fetcher.get(LEDGER + "/robots.txt")
    assert b"Disallow: /account/" in robots.body
    assert fetcher.get(LEDGER + "/account/").skipped == "disallowed by robots.txt"

    web.reached.set({n: reached[n] for n in (1, 2, 3)})  # stage 3: the Ledger's feed is down
    assert fetcher.get(feed_url).status == 503
    listing = fetcher.get("http://tessaline.example/newsroom/")
    assert STATEMENT.url.encode() in listing.body
    assert b"no confirmed reports of overheating" in fetcher.get(STATEMENT.url).body

    web.reached.set({n: reached[n] for n in (1, 2, 3, 4)})  # stage 4: back, corrected, and a quiet edit
    assert fetcher.get(feed_url).status == 200
    corrected = fetcher.get(article.url)
    assert corrected.etag != first.etag and b"Correction: an earlier version" in corrected.body
    assert b"kitchen fires, according" not in corrected.body
    assert b"a small number of reports of overheating" in fetcher.get(STATEMENT.url).body
    # The server's own address shows a person the fictional web; an unknown name is refused.
    assert web.respond("127.0.0.1", "/").status == 200
    assert web.respond("real-news.example", "/").status == 421
    assert {hit.host for hit in web.hits} <= set(WORLD.sites)  # the fetcher only ever asked for the sites' names


def test_the_demo_host_setting_maps_only_example_names_to_loopback():
    settings = config.Settings.from_env({"TRACKER_DEMO_HOSTS": runner.host_map_setting(WORLD, 8188)})
    assert settings.host_map == {host: ("127.0.0.1", 8188) for host in WORLD.sites}
    assert settings.fetcher_options()["host_map"] == settings.host_map
    assert config.Settings.from_env({}).host_map == {}  # nothing mapped unless the demo says so
    for bad in ("news.example.com=127.0.0.1:80", "courier.example=10.0.0.5:80", "courier.example=127.0.0.1"):
        with pytest.raises(config.SettingError, match="only for the live demo"):
            config.Settings.from_env({"TRACKER_DEMO_HOSTS": bad})


def test_stages_advance_on_their_timer_once_each_and_resume_where_they_stopped(db):
    start = datetime(2026, 12, 3, 10, 0, tzinfo=UTC)
    assert stages.advance_if_due(db, WORLD, at=format_time(start)) == 1  # the demo starts at stage 1
    assert stages.advance_if_due(db, WORLD, at=format_time(start + timedelta(seconds=5))) is None
    due = later(format_time(start), WORLD.stages[1].after)
    assert stages.progress(db, WORLD).next_at == due
    assert stages.advance_if_due(db, WORLD, at=due) == 2
    assert stages.advance(db, WORLD, "button") == 3  # the editor's button, at once
    for _ in range(WORLD.last_stage):
        stages.advance(db, WORLD, "button")
    state = stages.progress(db, WORLD)
    assert state.stage == WORLD.last_stage and state.finished and stages.advance(db, WORLD, "button") is None
    assert [r[0] for r in db.execute("SELECT reached_by FROM demo_stages ORDER BY stage")][:3] == [
        "start",
        "timer",
        "button",
    ]


def _sign_in(app, username: str):
    client = app.test_client()
    assert AuthActions(client).login(username).status_code == 302
    return client


def _post(client, url: str, page: str, **form):
    token = csrf_from(client.get(page).get_data(as_text=True))
    return client.post(url, data={"csrf_token": token, **form})


def test_the_whole_loop_stage_by_stage(db, db_path, app, accounts, web, fetcher, tmp_path):
    """Scrape -> candidates -> a reporter's claim -> an editor's ruling -> publish -> the public timeline."""
    story = runner.setup(db, WORLD)
    slug = story["slug"]
    assert {s["url"] for s in sources.list_sources(db, story["id"])} == {
        WORLD.source_url(host, kind) for host, kind in WORLD.story.sources
    }
    assert all(s["config"]["every"] == WORLD.story.poll_every for s in sources.list_sources(db, story["id"]))
    public_db = Path(app.config["PUBLIC_DB"])
    start = datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=20)
    reached = times(start, WORLD.last_stage)

    def play(stage: int) -> dict:
        stages.advance(db, WORLD, "timer", at=reached[stage])
        web.reached.set(stages.reached(db))
        return run_pass(db, slug, fetcher=fetcher, force=False, at=later(reached[stage], 5))

    # Stage 1: the first report arrives and its attributed sentences wait in triage.
    first = play(1)
    assert first["new"] >= 2 and first["candidates"] > 0 and not first["problems"]
    ledger = coverage.find_item(db, story["id"], WORLD.document("ledger-scorch").url)
    assert ledger and coverage.get_item(db, ledger)["outlet"] == "The Lantern Ledger"
    assert coverage.find_item(db, story["id"], WORLD.document("gazette-fair").url) is None  # off-topic
    queue = candidates.list_queue(db, story["id"])
    wanted = next(c for c in queue if "passed the complaints" in c["text"])

    # A reporter accepts it in the triage queue; an editor rules and publishes it.
    reporter = _sign_in(app, "reporter")
    triage = f"/stories/{slug}/triage"
    response = _post(
        reporter,
        f"{triage}/accept",
        triage,
        candidate_id=wanted["id"],
        text="The consumer council passed the SteamPro 2 complaints to the safety board.",
        claimant="Lowland Consumer Safety Council",
        claimant_type="organization",
    )
    assert response.status_code in (302, 303)
    claim = db.execute("SELECT id, version FROM claims WHERE story_id = ?", [story["id"]]).fetchone()
    editor = _sign_in(app, "editor")
    page = f"/claims/{claim[0]}"
    evidence_id = claims.evidence_for(db, claim[0])[0]["id"]
    reason = "One outlet reports it from the council; the board has not said so."
    ruled = _post(
        editor,
        f"{page}/status",
        page,
        status="unclear",
        rationale=reason,
        public_rationale=reason,
        version=claim[1],
        evidence_ids=evidence_id,
    )
    assert ruled.status_code in (302, 303), ruled.get_data(as_text=True)[:500]
    version = claims.get_claim(db, claim[0])["version"]
    assert _post(editor, f"{page}/publish", page, published="1", version=version).status_code in (302, 303)
    assert editor.post("/publish", data=publish_form(editor)).status_code in (302, 303)
    timeline = get(make_datasette(str(public_db)), f"/public/timeline.json?_shape=array&story={slug}").json()
    assert {(e["claim_id"], e["status"]) for e in timeline} == {(claim[0], "unclear")}

    # The demo desk does the rest of the newsroom's work, stage by stage.
    run_desk(db, WORLD, 1, public_db)
    assert db.execute("SELECT count(*) FROM claims WHERE story_id = ?", [story["id"]]).fetchone()[0] == 3

    second = play(2)  # the wire story and its syndicated copy: one cluster
    assert second["new"] >= 2
    wire = coverage.find_item(db, story["id"], WORLD.document("wire-inquiry").url)
    copy = coverage.find_item(db, story["id"], WORLD.document("gazette-inquiry-copy").url)
    clusters = {coverage.get_item(db, i)["cluster_id"] for i in (wire, copy)}
    assert len(clusters) == 1 and None not in clusters
    run_desk(db, WORLD, 2, public_db)

    third = play(3)  # the company's statement; the Ledger's feed answers 503
    failing = [s for s in sources.list_sources(db, story["id"]) if s["failures"]]
    assert [s["url"] for s in failing] == [LEDGER + "/feed.xml"] and "503" in failing[0]["last_error"]
    assert any("503" in reason for _, reason in third["problems"])
    statement = coverage.find_item(db, story["id"], STATEMENT.url)
    assert coverage.get_item(db, statement)["kind"] == "statement"
    run_desk(db, WORLD, 3, public_db)

    fourth = play(4)  # the quiet edit and the correction: new revisions with their diffs
    assert fourth["updated"] == 2
    assert [s for s in sources.list_sources(db, story["id"]) if s["failures"]] == []  # the feed is back
    revisions = coverage.list_revisions(db, statement)
    assert len(revisions) == 2
    old, new = (coverage.get_revision(db, r["id"])["text"] for r in revisions)
    diff = coverage.diff_texts(old, new)
    removed = " ".join(seg["text"] for row in diff for seg in row["old"] if seg["op"] == "removed")
    added = " ".join(seg["text"] for row in diff for seg in row["new"] if seg["op"] == "added")
    assert "no confirmed" in removed and "small number" in added
    fires = db.execute("SELECT id FROM claims WHERE text LIKE '%three kitchen fires%'").fetchone()[0]
    company = db.execute("SELECT id FROM claims WHERE text LIKE 'Tessaline has received no confirmed%'").fetchone()[0]
    assert {fires, company} <= {e["claim_id"] for e in claims.changed_evidence(db, story_id=story["id"])}  # review
    # The desk ruled on both the second their new versions were read, so "Evidence changed" on the dashboard was
    # empty again before anyone could see it: it leaves them for the stage, and rules on them at the next one.
    assert not run_desk(db, WORLD, 4, public_db).done
    assert {fires, company} <= {e["claim_id"] for e in claims.changed_evidence(db, story_id=story["id"])}

    assert not play(5)["problems"]
    report = run_desk(db, WORLD, 5, public_db)
    assert report.published and len(report.done) == 4
    assert not {fires, company} & {e["claim_id"] for e in claims.changed_evidence(db, story_id=story["id"])}
    assert not play(6)["problems"]
    run_desk(db, WORLD, 6, public_db)
    assert not run_desk(db, WORLD, WORLD.last_stage, public_db).done  # all done: running it again changes nothing

    # The public site: every ruling, the statement's edit and the correction on the timeline.
    ds = make_datasette(str(public_db))
    events = get(ds, f"/public/timeline.json?_shape=array&story={slug}").json()
    kinds = {e["kind"] for e in events}
    assert {"first_reported", "status_changed", "statement_changed", "correction"} <= kinds
    public_claims = {c["text"]: c["status"] for c in get(ds, "/public/claims.json?_shape=array").json()}
    assert public_claims["SteamPro 2 kettles caused three kitchen fires."] == "denied"
    assert public_claims["Tessaline is recalling 41,000 SteamPro 2 kettles."] == "confirmed"
    story_page = BeautifulSoup(get(ds, f"/stories/{slug}").text, "html.parser")
    assert story_page.select_one("figure.chart-figure--coverage svg[role=img]")
    assert story_page.select_one("figure.chart-figure--claims svg[role=img]")
    # No name from the newsroom's side of the wall reached the public file.
    everything = json.dumps(get(ds, "/public/coverage.json?_shape=array&_size=max").json())
    assert "gazette-fair" not in everything and "demo-desk" not in get(ds, f"/stories/{slug}").text


def test_a_desk_publish_that_failed_is_made_at_the_next_run_and_only_then(db, web, fetcher, tmp_path):
    """The desk's rulings reach readers after a failed publish, though nothing is left for the desk to do."""
    from tests.storage import read_only_media

    story = runner.setup(db, WORLD)
    stages.advance(db, WORLD, "timer", at=format_time(datetime.now(UTC) - timedelta(minutes=5)))
    web.reached.set(stages.reached(db))
    run_pass(db, story["slug"], fetcher=fetcher, force=True)
    folder = tmp_path / "public"
    folder.mkdir()
    public_db = folder / "public.db"
    with read_only_media(folder, tmp_path / "read-only") as read_only:
        failed = run_desk(db, WORLD, 1, read_only / "public.db")
    assert failed.done and not failed.published
    assert failed.problem and "\n" not in failed.problem
    assert db.execute("SELECT count(*) FROM claims WHERE published = 1").fetchone()[0] == len(failed.done)

    again = run_desk(db, WORLD, 1, public_db)  # the disk is back: nothing to do, but readers are owed the rulings
    assert again.published and not again.done and again.problem is None
    timeline = get(make_datasette(str(public_db)), f"/public/claims.json?_shape=array&story={story['slug']}").json()
    assert len(timeline) == len(failed.done)
    assert not run_desk(db, WORLD, 1, public_db).published  # owed no more


def test_the_runner_serves_and_starts_the_story_then_stops_on_request(db_path, tmp_path):
    db = connect(db_path)
    stop = threading.Event()
    ready = threading.Event()
    served: list[DemoWeb] = []
    lines: list[str] = []

    def on_ready(web: DemoWeb) -> None:
        served.append(web)
        ready.set()

    worker = threading.Thread(
        target=runner.run,
        args=(connect(db_path), 0, tmp_path / "public.db"),
        kwargs={"stop": stop, "echo": lines.append, "world": WORLD, "ready": on_ready},
    )
    worker.start()
    try:
        assert ready.wait(30)
        started = threading.Event()
        # The first stage is reached on the runner's first tick: recorded in the database, then handed
        # to the sites (a loaded machine once showed the index between the two).
        for _ in range(300):
            if stages.reached(db) and b"Stage <strong>1</strong>" in served[0].respond("127.0.0.1", "/").body:
                started.set()
                break
            stop.wait(0.1)
        assert started.is_set()
        assert users.find_user(db, "demo-desk")["role"] == "editor"
    finally:
        stop.set()
        worker.join(30)
    assert not worker.is_alive()
    assert any("stage 1 of" in line for line in lines)


def test_next_stage_control_shows_only_while_the_demo_plays(client, auth, accounts, db):
    runner.setup(db, WORLD)
    auth.login("reporter")
    dashboard = f"/stories/{WORLD.story.slug}/dashboard"
    assert "Next stage now" not in client.get(dashboard).get_data(as_text=True)
    assert client.post("/demo/next", data={"csrf_token": _token(client, dashboard)}).status_code == 404
    client.application.config["LIVE_DEMO"] = True  # as serve --live-demo's settings make it
    page = client.get(dashboard).get_data(as_text=True)
    assert "Next stage now" in page and 'http-equiv="refresh"' in page
    # The way to stop the reloading comes before anything else on the page (WCAG 2.2.1).
    assert page.index("Stop reloading") < page.index("<h1")
    paused = client.get(dashboard + "?refresh=off").get_data(as_text=True)
    assert 'http-equiv="refresh"' not in paused and "Reload by itself again" in paused
    response = client.post("/demo/next", data={"csrf_token": _token(client, dashboard)})
    assert response.status_code == 302 and stages.progress(db, WORLD).stage == 1
    assert client.post("/demo/next").status_code == 400  # CSRF
    # Only the demo's own story carries the control.
    stories.create_story(db, "other-story", "Another story")
    assert "Next stage now" not in client.get("/stories/other-story/dashboard").get_data(as_text=True)


def _token(client, page: str) -> str:
    return csrf_from(client.get(page).get_data(as_text=True))


def test_pages_are_pure_the_same_stages_give_the_same_bytes():
    reached = times(datetime(2026, 12, 3, 10, 0, tzinfo=UTC), 3)
    for doc in WORLD.visible(3):
        a = pages.answer(WORLD, reached, doc.site, doc.path)
        assert a.status == 200 and a.body == pages.answer(WORLD, dict(reached), doc.site, doc.path).body
    copy = pages.answer(WORLD, reached, "quarryhill-gazette.example", WORLD.document("gazette-inquiry-copy").path)
    assert b"first published by Kestrel Wire" in copy.body
    # A reprint is dated after the story it copies, so the original is the earlier of the two.
    original = pages.answer(WORLD, reached, "kestrel-wire.example", WORLD.document("wire-inquiry").path)
    assert reached[2].encode() in copy.body and reached[2].encode() not in original.body
    assert _published(original.body) < _published(copy.body)


def _published(body: bytes) -> str:
    return json.loads(re.search(rb'<script type="application/ld\+json">(.*?)</script>', body, re.S)[1])["datePublished"]


def test_no_page_or_feed_entry_is_dated_after_the_moment_it_appeared():
    """A reprint was dated 30 s after its stage began: the tracker fetched it "before it was published", a reader
    of the fictional web saw a date in the future, and the coverage chart drew it in the next minute."""
    reached = times(datetime(2026, 12, 3, 10, 0, tzinfo=UTC), WORLD.last_stage, gap=25)
    for stage in range(1, WORLD.last_stage + 1):
        now = {n: reached[n] for n in range(1, stage + 1)}
        for doc in WORLD.visible(stage):
            page = pages.answer(WORLD, now, doc.site, doc.path)
            assert page.status == 200
            assert _published(page.body) <= reached[stage], (doc.id, stage)
        for site in WORLD.sites.values():
            if not site.feed_path or f"{site.host}{site.feed_path}" in WORLD.stages[stage - 1].down:
                continue
            feed = pages.answer(WORLD, now, site.host, site.feed_path).body.decode()
            for stamp in re.findall(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", feed):
                assert stamp <= reached[stage], (site.host, stage, stamp)


def ask(port: int, path: str, *, read: bool = True) -> int:
    """GET path from the demo server on a connection of its own; `read=False` leaves without reading the body,
    as a browser does when a person clicks on before a page has loaded."""
    import http.client

    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        if read:
            response.read()
        return response.status
    finally:
        conn.close()


def test_the_demo_index_opened_with_a_query_string_is_the_index(web):
    """A bookmark or a shared link with ?utm_source=... answered 404; the sites' own pages ignore a query."""
    assert ask(web.port, "/?utm_source=chat&q=%00%ff<script>") == 200
    assert ask(web.port, "/index.html?x=1") == 200
    assert ask(web.port, "/nothing?x=1") == 404


def test_a_client_resetting_its_connection_prints_no_traceback(web, capsys):
    """A client that resets its connection (a browser moving on, a crashed scraper) made the server print a
    traceback into `make run`'s output for each one."""
    import socket
    import struct

    for _ in range(3):
        client = socket.create_connection(("127.0.0.1", web.port))
        client.sendall(b"GET /demo.css HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        assert client.recv(12) == b"HTTP/1.1 200"
        client.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        client.close()  # with linger 0: a reset, not a goodbye
    assert ask(web.port, "/demo.css") == 200  # still serving
    for thread in threading.enumerate():  # the threads that served those connections, done with them
        if "process_request_thread" in thread.name:
            thread.join(timeout=10)
    assert "Traceback" not in capsys.readouterr().err


def test_the_demo_server_keeps_a_bounded_record_of_what_it_answered(monkeypatch):
    """`make run` serves the demo for as long as it runs, and every answer was appended to a list for good:
    any local client asking fast enough grew the serving process without end."""
    from concurrent.futures import ThreadPoolExecutor

    from tracker.livedemo import web as demo_web

    monkeypatch.setattr(demo_web, "HITS_KEPT", 50)
    server = DemoWeb(WORLD, Reached()).start()
    try:
        with ThreadPoolExecutor(8) as pool:
            statuses = list(pool.map(lambda n: ask(server.port, f"/view/{LEDGER[7:]}/robots.txt?n={n}"), range(200)))
    finally:
        server.close()
    assert statuses == [200] * 200
    assert len(server.hits) == 50 and server.count("127.0.0.1", f"/view/{LEDGER[7:]}/robots.txt?n=199") <= 1


def _first_version(data: dict) -> dict:
    return data["documents.yml"]["documents"][0]["versions"][0]


# A data file edited by hand, wrong in one place: (which file, how).
BAD_FILES = {
    "stages-a-list": lambda d: d.update({"stages.yml": ["A first report"]}),
    "stages-not-a-list": lambda d: d["stages.yml"].update(stages="A first report"),
    "stage-not-a-mapping": lambda d: d["stages.yml"]["stages"].__setitem__(0, "A first report"),
    "down-not-a-list": lambda d: d["stages.yml"]["stages"][0].update(down="lantern-ledger.example/feed.xml"),
    "documents-a-list": lambda d: d.update({"documents.yml": ["ledger-scorch"]}),
    "version-without-stage": lambda d: _first_version(d).pop("stage"),
    "version-stage-a-word": lambda d: _first_version(d).update(stage="one"),
    "version-stage-zero": lambda d: _first_version(d).update(stage=0),
    "version-without-body": lambda d: _first_version(d).pop("body"),
    "version-body-a-number": lambda d: _first_version(d).update(body=5),
    "version-not-a-mapping": lambda d: d["documents.yml"]["documents"][0].update(versions=["text"]),
    "version-note-a-number": lambda d: _first_version(d).update(note=5),
    "sites-a-list": lambda d: d.update({"sites.yml": ["lantern-ledger.example"]}),
    "feed-not-a-mapping": lambda d: d["sites.yml"]["sites"][0].update(feed="/feed.xml"),
    "newsroom-not-a-mapping": lambda d: d["sites.yml"]["sites"][0].update(newsroom="/news"),
    "robots-a-number": lambda d: d["sites.yml"]["sites"][0].update(robots=5),
    "story-a-list": lambda d: d.update({"story.yml": ["steampro-kettles"]}),
}


@pytest.mark.parametrize("mistake", BAD_FILES)
def test_a_wrong_data_file_is_one_line_naming_it(tmp_path, mistake):
    """Each of these was a traceback (AttributeError, KeyError, ValueError, TypeError) when the demo started, or,
    for `down` as one name and not a list, a stage whose page never failed."""
    import yaml

    from tracker.livedemo.world import WorldError

    files = {p.name: yaml.safe_load(p.read_text(encoding="utf-8")) for p in config.LIVE_DEMO_DIR.glob("*.yml")}
    BAD_FILES[mistake](files)
    for name, content in files.items():
        (tmp_path / name).write_text(yaml.safe_dump(content, allow_unicode=True), encoding="utf-8")
    with pytest.raises(WorldError) as raised:
        load_world(tmp_path)
    message = str(raised.value)
    assert "\n" not in message and str(tmp_path) in message and ".yml" in message, message


def test_a_data_file_that_is_not_yaml_is_one_line_with_its_line_number(tmp_path):
    from tracker.livedemo.world import WorldError

    for source in config.LIVE_DEMO_DIR.glob("*.yml"):
        (tmp_path / source.name).write_bytes(source.read_bytes())
    (tmp_path / "stages.yml").write_text("stages:\n  - title: [A first report\n", encoding="utf-8")
    with pytest.raises(WorldError) as raised:
        load_world(tmp_path)
    assert "\n" not in str(raised.value) and "stages.yml is not valid YAML (line 3)" in str(raised.value)


def test_everyone_is_told_of_the_demo_story_in_notifications_unless_an_editor_chose_otherwise(db, accounts):
    """The demo shows alerts going out: its story has a default reaching every account, set once."""
    from tracker.alerts import events, notifications, router, subscriptions
    from tracker.db import transaction

    story = runner.setup(db, WORLD)
    [default] = [s for s in subscriptions.story_defaults(db) if s["story_id"] == story["id"]]
    assert {"ruling", "correction", "coverage_changed", "evidence_changed", "publish"} <= set(default["kinds"].split())
    assert "candidates_new" not in default["kinds"]  # a few a page: the triage queue shows them
    with transaction(db):
        events.record(
            db, "ruling", "Ruled denied: SteamPro 2 kettles caused three kitchen fires.", story_id=story["id"]
        )
    assert router.route(db) == 1
    [note] = notifications.latest(db, accounts["reporter"]["id"])
    assert note["subject"].startswith("Ruled denied") and note["story_slug"] == WORLD.story.slug
    # An editor's own default for the story is kept when the demo starts again.
    subscriptions.set_story_default(db, accounts["editor"], story["id"], {"kinds": ["publish"]})
    runner.setup(db, WORLD)
    [default] = [s for s in subscriptions.story_defaults(db) if s["story_id"] == story["id"]]
    assert default["kinds"] == "publish"


def test_the_demo_panel_shows_the_latest_alert_that_went_out_on_its_story(client, auth, accounts, db):
    from tracker.alerts import events, router
    from tracker.db import transaction

    story = runner.setup(db, WORLD)
    client.application.config["LIVE_DEMO"] = True
    auth.login("reporter")
    dashboard = f"/stories/{WORLD.story.slug}/dashboard?refresh=off"
    panel = BeautifulSoup(client.get(dashboard).get_data(as_text=True), "html.parser").select_one(".demo-panel")
    assert "No alert has gone out on this story yet" in panel.get_text(" ", strip=True)
    with transaction(db):
        events.record(db, "ruling", "Ruled denied: SteamPro 2 kettles caused three kitchen fires", story_id=story["id"])
    router.route(db)
    panel = BeautifulSoup(client.get(dashboard).get_data(as_text=True), "html.parser").select_one(".demo-panel")
    assert "Latest alert: Ruled denied: SteamPro 2 kettles caused three kitchen fires" in panel.get_text(
        " ", strip=True
    )
    assert panel.find("a", string="Notifications")["href"] == "/alerts"


def raw(port: int, request: bytes) -> bytes:
    """What the demo server answers to exactly these bytes, read until it closes the connection."""
    import socket

    with socket.create_connection(("127.0.0.1", port), timeout=10) as client:
        client.sendall(request)
        received = b""
        try:
            while chunk := client.recv(65536):
                received += chunk
        except ConnectionResetError:  # a server that answered without reading the request may reset after it
            pass
    return received


def test_what_the_demo_server_remembers_of_an_answer_is_bounded_however_long_the_request():
    """The record kept the whole path and Host of each of its latest 10,000 answers: 64 KB each, so one local
    client sending long paths grew the serving process by 190 MB in 3,000 requests (1.4 s), 1.3 GB when full."""
    server = DemoWeb(WORLD, Reached()).start()
    try:
        long_path = "/view/" + "a" * 60_000
        long_host = "h" * 60_000 + ".example"
        assert raw(server.port, f"GET {long_path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode())
        assert raw(server.port, f"GET / HTTP/1.1\r\nHost: {long_host}\r\nConnection: close\r\n\r\n".encode())
        assert ask(server.port, "/demo.css") == 200
    finally:
        server.close()
    assert [hit.status for hit in server.hits] == [421, 421, 200]
    assert all(len(hit.host) + len(hit.path) <= 2_500 for hit in server.hits), [len(h.path) for h in server.hits]
    assert server.hits[0].path.startswith("/view/aaa") and server.count("127.0.0.1", "/demo.css") == 1


def test_a_connection_that_goes_quiet_is_closed_by_the_demo_server(monkeypatch):
    """A client that opened a connection and sent half a request (or nothing) held a server thread and a file
    descriptor for as long as it liked: 300 such connections were 300 threads, and nothing ever let them go."""
    import socket

    from tracker.livedemo import web as demo_web

    monkeypatch.setattr(demo_web, "IDLE_SECONDS", 0.5)
    server = DemoWeb(WORLD, Reached()).start()
    try:
        with socket.create_connection(("127.0.0.1", server.port), timeout=10) as client:
            client.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")  # and never the blank line
            assert client.recv(100) == b""  # closed by the server, well before the client's own 10 s
        assert ask(server.port, "/") == 200
    finally:
        server.close()


def test_connections_past_the_demo_server_s_limit_are_told_it_is_busy_and_the_others_are_served(monkeypatch):
    """Connections held open took a thread each without a limit, until the process ran out of file descriptors
    and its own database could not be opened. Past the limit a connection is now answered 503 at once."""
    import socket

    from tracker.livedemo import web as demo_web

    monkeypatch.setattr(demo_web, "MOST_CONNECTIONS", 3)
    server = DemoWeb(WORLD, Reached()).start()
    held = []
    try:
        for _ in range(3):
            client = socket.create_connection(("127.0.0.1", server.port), timeout=10)
            client.sendall(b"GET /demo.css HTTP/1.1\r\nHost: 127.0.0.1\r\n")
            held.append(client)
        busy = raw(server.port, b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        assert busy.startswith(b"HTTP/1.1 503 ") and b"Retry-After: " in busy and b"Connection: close" in busy
        assert b"frame-ancestors 'none'" in busy and b"nosniff" in busy
        for client in held:  # the connections already open are answered as ever
            client.sendall(b"Connection: close\r\n\r\n")
            assert client.recv(12) == b"HTTP/1.1 200"
    finally:
        for client in held:
            client.close()
    try:
        for thread in threading.enumerate():  # the threads that served those connections, done with them
            if "process_request_thread" in thread.name:
                thread.join(timeout=10)
        assert ask(server.port, "/") == 200
    finally:
        server.close()


def test_every_answer_of_the_demo_server_forbids_framing_sniffing_and_scripts_errors_too(web):
    """Its pages had no Content-Security-Policy, nosniff or framing rule, and http.server's own error pages
    (a POST, a malformed or overlong request) no Cache-Control either; a bad request line was answered with no
    status line or headers at all (as HTTP/0.9); the Server header named the Python."""
    import re

    web.reached.set(times(datetime(2026, 12, 3, 10, 0, tzinfo=UTC), 3))  # stage 3: the Ledger's feed is down
    article = WORLD.document("ledger-scorch")
    asked = {
        "index": b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n",
        "article": f"GET {article.path} HTTP/1.1\r\nHost: {article.site}\r\n".encode(),
        "feed down": b"GET /feed.xml HTTP/1.1\r\nHost: lantern-ledger.example\r\n",
        "not found": b"GET /nothing HTTP/1.1\r\nHost: 127.0.0.1\r\n",
        "other host": b"GET / HTTP/1.1\r\nHost: <script>alert(1)</script>\r\n",
        "post": b"POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 3\r\n\r\nx=1",
        "options": b"OPTIONS * HTTP/1.1\r\nHost: 127.0.0.1\r\n",
        "malformed": b"GET / HTTP/9\r\nHost: 127.0.0.1\r\n",
        "http/2.0": b"GET / HTTP/2.0\r\nHost: 127.0.0.1\r\n",
        "overlong": b"GET /" + b"a" * 70_000 + b" HTTP/1.1\r\nHost: 127.0.0.1\r\n",
    }
    statuses = {}
    for name, request in asked.items():
        answer = raw(web.port, request + b"Connection: close\r\n\r\n")
        head = answer.split(b"\r\n\r\n", 1)[0].decode("latin-1")
        headers = {k.lower(): v for k, v in re.findall(r"\r\n([^:\r\n]+): ([^\r\n]*)", head)}
        statuses[name] = int(head.split()[1])
        csp = headers.get("content-security-policy", "")
        assert "default-src 'none'" in csp and "frame-ancestors 'none'" in csp, (name, head)
        assert headers.get("x-content-type-options") == "nosniff", (name, head)
        assert headers.get("x-frame-options") == "DENY" and headers.get("referrer-policy") == "no-referrer", name
        assert headers.get("cache-control") in ("no-cache", "no-store"), (name, head)
        assert headers.get("server") == "LiveDemo", (name, head)
    assert statuses == {"index": 200, "article": 200, "feed down": 503, "not found": 404, "other host": 421,
                        "post": 501, "options": 501, "malformed": 400, "http/2.0": 505, "overlong": 414}  # fmt: skip


DESK_LIMITED_AFTER_SWAP = (
    LIMIT_AFTER_SWAP
    + """from tracker.db import connect
from tracker.livedemo.desk import run_desk
from tracker.livedemo.world import load_world
report = run_desk(connect(sys.argv[1]), load_world(), 1, sys.argv[2])
print(json.dumps({"published": report.published, "problem": report.problem, "done": len(report.done)}))
"""
)


def test_a_desk_publish_whose_log_cannot_be_written_after_the_swap_says_readers_see_it(
    db, db_path, web, fetcher, tmp_path
):
    """The public file had been replaced when the log's write met the file size limit (or a full disk): the
    error escaped the desk, and the demo said nothing of the publish readers already saw."""
    import subprocess
    import sys

    story = runner.setup(db, WORLD)
    stages.advance(db, WORLD, "timer", at=format_time(datetime.now(UTC) - timedelta(minutes=5)))
    web.reached.set(stages.reached(db))
    run_pass(db, story["slug"], fetcher=fetcher, force=True)
    public_db = tmp_path / "public.db"

    result = subprocess.run(
        [sys.executable, "-c", DESK_LIMITED_AFTER_SWAP, str(db_path), str(public_db)],
        cwd=Path(__file__).resolve().parent.parent,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["done"] and report["published"], report
    problem = report["problem"]
    assert problem and "\n" not in problem and "publish log" in problem and "File size limit:" in problem, problem
    assert problem.startswith("Readers see the new public file"), problem
    timeline = get(make_datasette(str(public_db)), f"/public/claims.json?_shape=array&story={story['slug']}").json()
    assert len(timeline) == report["done"]  # readers see the desk's rulings

    # Room again: the next turn settles the log, and does not publish again what readers already have.
    again = run_desk(db, WORLD, 1, public_db)
    assert not again.published and again.problem is None and not again.done
    logged = db.execute("SELECT count(*), count(pending_out) FROM publish_log").fetchone()
    assert tuple(logged) == (1, 0), tuple(logged)
    assert db.execute("SELECT count(*) FROM alert_events WHERE kind = 'publish'").fetchone()[0] == 1


def test_next_stage_pressed_twice_moves_the_story_one_stage(client, auth, accounts, db):
    """A double click on Next stage now (or the timer moving first) skipped a stage: the presenter saw stage 3 when
    they asked for 2. The button names the stage it was pressed at, and moves the story on from that one only."""
    from bs4 import BeautifulSoup

    runner.setup(db, WORLD)
    stages.advance(db, WORLD, "start")
    client.application.config["LIVE_DEMO"] = True
    auth.login("reporter")
    dashboard = f"/stories/{WORLD.story.slug}/dashboard"
    form = BeautifulSoup(client.get(dashboard).get_data(as_text=True), "html.parser").find("form", action="/demo/next")
    fields = {i["name"]: i.get("value", "") for i in form.find_all("input")}
    sent = [client.post("/demo/next", data=fields) for _ in range(2)]
    assert [s.status_code for s in sent] == [302, 302]
    assert stages.progress(db, WORLD).stage == 2
    assert "already at stage 2" in client.get(sent[1].headers["Location"]).get_data(as_text=True)
