"""The public site as an outsider finds it: a real `datasette` process, odd addresses, names and budgets.

Each test here asks the server `python -m tracker serve` starts (the same
arguments, metadata.yml with at most a limit tightened), over real sockets,
from loopback addresses of its own so that one test's limits are not
another's.
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import httpx
import pytest
from bs4 import BeautifulSoup

from tests.servers import free_port, wait_until_answering
from tests.test_public import build_site, publish_into
from tracker import claims, stories
from tracker.db import connect, path_of
from tracker.public import datasette_serve_args, load_metadata
from tracker.public_metadata import CONFIG_NAME
from tracker.publish_log import publish_and_log

ROOT = Path(__file__).resolve().parent.parent
# A client's share of SQL time, tightened so that a few queries cut off at the time limit spend it.
SQL_MS_PER_MINUTE = 1_200
# Loops until the time limit cuts it off: each such query spends the whole limit.
LOOPING_SQL = "with recursive r(n) as (select 1 union all select n + 1 from r) select count(*) from r"


def with_a_claim_withdrawn(db) -> dict:
    """build_site's story, published, then one claim taken back and published again: its address is withdrawn."""
    info = build_site(db)
    public = Path(path_of(db)).with_name("public.db")
    publish_and_log(db, public, info["editor"])
    claim = claims.get_claim(db, info["unclear"])
    claims.set_published(db, info["unclear"], False, info["editor"], claim["version"])
    return info


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[dict]:
    """A real `datasette` serving a published story with one claim withdrawn, as `python -m tracker serve` runs it,
    with metadata.yml's limits but the SQL time one client may spend tightened to SQL_MS_PER_MINUTE."""
    yield from running(tmp_path_factory, "outsider", sql_ms_per_minute=SQL_MS_PER_MINUTE)


@pytest.fixture(scope="module")
def proxied_server(tmp_path_factory) -> Iterator[dict]:
    """The same site behind one proxy (each client named by X-Forwarded-For, as readers are), and a share of SQL
    time of one millisecond: any table page spends it."""
    yield from running(tmp_path_factory, "proxied", sql_ms_per_minute=1, proxies=1)


def running(tmp_path_factory, name: str, **settings) -> Iterator[dict]:
    """A real `datasette` serving a published story with one claim withdrawn, as `python -m tracker serve` runs it,
    with metadata.yml's limits but `settings` in place of its own."""
    folder, info = publish_into(tmp_path_factory, name, with_a_claim_withdrawn)
    db = connect(folder / "tracker.db", create=False)
    try:
        publish_and_log(db, folder / "public.db", info["editor"])
    finally:
        db.close()
    metadata = load_metadata()
    metadata["plugins"][CONFIG_NAME].update(settings)
    metadata_path = folder / "metadata.json"
    metadata_path.write_text(json.dumps(metadata), encoding="utf-8")
    port = free_port()
    args = [sys.executable, "-m", "datasette", *datasette_serve_args(str(folder / "public.db"), "127.0.0.1", port)]
    args[args.index("--metadata") + 1] = str(metadata_path)
    log_path = folder / "server.log"
    log = log_path.open("wb")
    proc = subprocess.Popen(args, stdout=log, stderr=log, cwd=ROOT)
    base = f"http://127.0.0.1:{port}"
    wait_until_answering(base + "/public.json", proc, log_path)
    conn = sqlite3.connect(folder / "public.db")
    withdrawn = [row[0] for row in conn.execute("select id from withdrawn_claims")]
    published = [row[0] for row in conn.execute("select id from claims order by id")]
    conn.close()
    yield {"base": base, "log": log_path, "withdrawn": withdrawn, "published": published}
    proc.terminate()
    proc.wait(timeout=15)
    log.close()


def from_address(address: str) -> httpx.Client:
    """A client whose requests come from a loopback address of its own: limits of its own."""
    return httpx.Client(transport=httpx.HTTPTransport(local_address=address), timeout=120)


def test_timelinejs_refuses_an_overlong_story_name_and_never_echoes_markup(server):
    """TimelineJS's 404 echoed the story name it was given, up to the 4,096 characters a table address may hold, as
    it was typed (markup too): the feed's answer is the model, a 400 for a name longer than a story's can be, and a
    404 naming none of what was sent."""
    with from_address("127.0.0.51") as client:
        long_name = "x" * (stories.SLUG_MAX + 1)
        refused = client.get(server["base"] + "/public/timeline-js.json", params={"story": long_name})
        assert refused.status_code == 400
        assert f"at most {stories.SLUG_MAX} characters" in refused.json()["error"]
        assert long_name not in refused.text
        markup = "<script>alert(1)</script>"
        unknown = client.get(server["base"] + "/public/timeline-js.json", params={"story": markup})
        assert unknown.status_code == 404
        assert "<script>" not in unknown.text and "No published story" in unknown.json()["error"]
        status = client.get(server["base"] + "/public/timeline-js.json", params={"status": "<b>" + "y" * 3000})
        assert status.status_code == 400 and "<b>" not in status.text and "y" * 100 not in status.text
        assert client.get(server["base"] + "/public/timeline-js.json?story=acme-kettles").status_code == 200


def test_a_withdrawn_claims_timeline_events_page_is_gone_as_its_page_is(server):
    """The claim's own page says it was withdrawn (410); the page of its timeline events, linked from it, said only
    that no claim has this number (404), as for a mistyped one."""
    [gone] = server["withdrawn"]
    with from_address("127.0.0.52") as client:
        claim_page = client.get(f"{server['base']}/public/claims/{gone}")
        events_page = client.get(f"{server['base']}/public/claim_events?claim_id={gone}")
        assert claim_page.status_code == 410
        assert events_page.status_code == 410
        said = BeautifulSoup(events_page.text, "html.parser").get_text(" ", strip=True)
        assert "This claim was withdrawn" in said and "We withdrew this claim" in said
        never = client.get(f"{server['base']}/public/claim_events?claim_id=999")
        assert never.status_code == 404 and "withdrawn" not in never.text
        shown = client.get(f"{server['base']}/public/claim_events?claim_id={server['published'][0]}")
        assert shown.status_code == 200


def spend_until_refused(client: httpx.Client, url: str, **headers: str) -> list[httpx.Response]:
    """Ask for `url` until refused, at most 8 times: each answer spends the whole time limit (500 ms) of SQL, so the
    client's share (SQL_MS_PER_MINUTE, refilled a fiftieth as fast as it is spent) runs out within a few."""
    answers = []
    for _ in range(8):
        answers.append(client.get(url, headers=headers))
        if answers[-1].status_code == 429:
            break
    return answers


def test_a_client_spending_its_share_of_sql_time_waits_while_another_is_served(server):
    """Within its 30 queries a minute, one address could keep a SQL worker busy all the time, each query using its
    request's 5 s of SQL. Past its share of SQL time (SQL_MS_PER_MINUTE here) it is told to wait, with Retry-After
    and a sentence a reader can act on; another address is served as before."""
    url = server["base"] + "/public.json?_shape=array&sql=" + quote(LOOPING_SQL)
    with from_address("127.0.0.53") as busy:
        answers = spend_until_refused(busy, url)
        refused = answers[-1]
        assert refused.status_code == 429, [a.status_code for a in answers]
        assert [a.status_code for a in answers[:-1]] == [400] * (len(answers) - 1)  # cut off at the time limit
        assert int(refused.headers["retry-after"]) >= 1
        assert "share of the site's SQL time" in refused.json()["error"]
        # A browser is told so on the site's error page.
        pages = spend_until_refused(busy, url.replace("/public.json", "/public"), accept="text/html")
        assert pages[-1].status_code == 429 and "share of the site" in pages[-1].text, [a.status_code for a in pages]
        assert "<h1" in pages[-1].text and int(pages[-1].headers["retry-after"]) >= 1
        # Pages of the site's own are not visitors' SQL: still served to the same address.
        assert busy.get(server["base"] + "/public/timeline").status_code == 200
        assert busy.get(server["base"] + "/public/claims.json").status_code == 200
    with from_address("127.0.0.54") as other:
        count = "select count(*) as n from claims"
        served = other.get(server["base"] + "/public.json?_shape=array&sql=" + quote(count))
        assert served.status_code == 200 and served.json()[0]["n"] >= 1


def test_the_search_querys_page_sends_readers_to_the_designed_search(server):
    """`/public/search` showed readers Datasette's query form, its SQL as the page's title and rows of stored
    values; the timeline's search box searches claims and quotes on a designed page. The query's JSON and CSV stay."""
    with from_address("127.0.0.55") as client:
        moved = client.get(server["base"] + "/public/search?q=kettle&story=acme-kettles&_hide_sql=1")
        assert moved.status_code == 302
        assert moved.headers["location"] == "/public/timeline?q=kettle&story=acme-kettles"
        assert client.get(server["base"] + "/public/search").headers["location"] == "/public/timeline"
        landed = client.get(server["base"] + moved.headers["location"])
        assert landed.status_code == 200 and 'name="q"' in landed.text
        data = client.get(server["base"] + "/public/search.json?q=kettle&_shape=array")
        assert data.status_code == 200 and data.json()
        # A CORS preflight is answered as Datasette's own pages answer it, not sent elsewhere (browsers refuse that).
        preflight = client.options(server["base"] + "/public/search?q=kettle", headers={"origin": "https://x.example"})
        assert preflight.status_code == 200 and "location" not in preflight.headers
        assert preflight.headers["access-control-allow-origin"] == "*"


@pytest.mark.parametrize(
    "path",
    [
        "/public/claims.json?_where=" + quote(":x = 1"),
        "/public/claims.json?_where=" + quote(":x = 1") + "&x=2",
        "/public/claims?_where=" + quote("id = ?"),
        "/public/events.json?_where=" + quote(":_random_chars_99999999 = 1"),
    ],
)
def test_a_where_clause_holding_a_parameter_is_a_400_that_says_why_and_no_error_in_the_log(server, path):
    """Datasette runs a table's `_where=` as written and binds none of its parameters: one holding `:x` or `?` was a
    500 ("The site could not answer") with a traceback in the server's log, for every such address a scanner tries."""
    with from_address("127.0.0.56") as client:
        before = server["log"].stat().st_size
        response = client.get(server["base"] + path)
        assert response.status_code == 400, response.text[:300]
        said = response.json()["error"] if ".json" in path else response.text
        assert "write the value into it" in said
        with server["log"].open("rb") as log:
            log.seek(before)
            logged = log.read().decode("utf-8", "replace")
        assert "Traceback" not in logged and "ERROR" not in logged, logged[-2000:]


def test_a_visitors_query_naming_a_parameter_it_was_not_given_is_logged_as_their_mistake(server):
    """`select :_site_url` (a parameter only the site's own queries are given) is the visitor's mistake, answered 400:
    it was an ERROR in the log, as if the database had failed."""
    with from_address("127.0.0.57") as client:
        before = server["log"].stat().st_size
        response = client.get(server["base"] + "/public.json?sql=" + quote("select :_site_url as u"))
        assert response.status_code == 400
        with server["log"].open("rb") as log:
            log.seek(before)
            logged = log.read().decode("utf-8", "replace")
        assert "WARNING: free-form SQL" in logged and "ERROR" not in logged, logged[-2000:]


@pytest.mark.parametrize(
    "path",
    [
        "/public/changes.json?" + "&".join(f"x{i}=1" for i in range(3000)),
        "/public/changes.atom?" + "&".join(f"x{i}=1" for i in range(3000)),
        "/public.json?sql=select+1&" + "&".join(f"x{i}" for i in range(3000)),
        "/public/timeline?" + "&".join(f"x{i}" for i in range(3000)),
    ],
)
def test_an_address_of_thousands_of_parameters_is_refused_before_datasette_reads_them(server, path):
    """Datasette's query pages read their parameters once for each parameter (`request.args` parses the whole query
    string each time it is asked): 3,000 of them in one address held the event loop, every reader's, for 9 s of CPU,
    10,000 for about a hundred. A table page's address is held to 4,096 characters; every address is now held to a
    hundred parameters, far more than any page of the site takes."""
    with from_address("127.0.0.58") as client:
        refused = client.get(server["base"] + path)
        assert refused.status_code == 414
        assert "at most 100 parameters" in refused.json()["error"]
        many = "&".join(f"x{i}=1" for i in range(90))  # within the bound: served as before
        assert client.get(server["base"] + "/public/changes.json?" + many).status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        "/assets/" + "a" * 300,
        "/-/static/" + "a" * 300,
        "/-/static-plugins/x/" + "a" * 300,
        "/assets/" + "a/" * 3000,
        "/assets/" + quote("é" * 200),
    ],
)
def test_a_static_file_name_no_disk_can_hold_is_not_found_not_a_server_error(server, path):
    """A static file's name longer than a file name can be (255 bytes) was a 500 with a traceback in the log: the
    disk's "File name too long" while looking for it."""
    with from_address("127.0.0.59") as client:
        before = server["log"].stat().st_size
        response = client.get(server["base"] + path)
        assert response.status_code == 404
        with server["log"].open("rb") as log:
            log.seek(before)
            logged = log.read().decode("utf-8", "replace")
        assert "Traceback" not in logged, logged[-2000:]
        assert client.get(server["base"] + "/assets/public.css").status_code == 200


def test_a_name_searched_with_a_pattern_longer_than_sqlite_takes_is_logged_as_the_readers_mistake(server):
    """Claims by claimant with a `claimant` of 60,000 characters is SQLite's "LIKE or GLOB pattern too complex",
    answered 400: it was an ERROR in the log, as if the database had failed."""
    with from_address("127.0.0.60") as client:
        before = server["log"].stat().st_size
        response = client.get(server["base"] + "/public/claims_by_claimant.json", params={"claimant": "x" * 60_000})
        assert response.status_code == 400
        with server["log"].open("rb") as log:
            log.seek(before)
            logged = log.read().decode("utf-8", "replace")
        assert "WARNING: SQL" in logged and "ERROR" not in logged, logged[-2000:]


def test_a_client_spending_its_share_of_sql_time_on_facet_pages_waits_while_another_is_served(proxied_server):
    """Table pages were never charged to the SQL-time share: one address asking for facet pages of a large table
    kept two of Datasette's three SQL threads busy. Their SQL time is charged now (a share of one millisecond here:
    one facet page spends it); past it, a 429 saying why, while the site's reader pages and another address are
    served as before."""
    facets = proxied_server["base"] + "/public/claims?_facet=status&_facet=claimant&_facet=story"
    with from_address("127.0.0.61") as client:
        busy = {"x-forwarded-for": "203.0.113.7"}
        answers = spend_until_refused(client, facets, **busy)
        assert answers[0].status_code == 200 and answers[-1].status_code == 429, [a.status_code for a in answers]
        assert "share of the site's SQL time" in answers[-1].text and int(answers[-1].headers["retry-after"]) >= 1
        json_page = client.get(facets.replace("/claims?", "/claims.json?"), headers=busy)
        assert json_page.status_code == 429
        assert client.get(proxied_server["base"] + "/public/timeline", headers=busy).status_code == 200
        claim = proxied_server["published"][0]
        assert client.get(f"{proxied_server['base']}/public/claims/{claim}", headers=busy).status_code == 200
        assert client.get(proxied_server["base"] + "/public/timeline-js.json", headers=busy).status_code == 200
        other = client.get(facets, headers={"x-forwarded-for": "203.0.113.8"})
        assert other.status_code == 200 and "claimant" in other.text


def test_an_unknown_parameter_is_not_echoed_in_a_claims_timeline_events_page(server):
    """Datasette's query page repeats every parameter of its address in its links: a 100 kB one no query reads came
    back about four times, 400 kB an answer. The page is rendered with the parameter it reads (`claim_id`) only (60 kB
    here: httpx sends no longer address)."""
    claim = server["published"][0]
    pad = "p" * 60_000
    with from_address("127.0.0.62") as client:
        plain = client.get(f"{server['base']}/public/claim_events?claim_id={claim}")
        padded = client.get(f"{server['base']}/public/claim_events?claim_id={claim}&pad={pad}")
        assert plain.status_code == padded.status_code == 200
        assert "p" * 1000 not in padded.text and "pad=" not in padded.text
        assert len(padded.content) < len(plain.content) + 1000


@pytest.mark.parametrize("spelling", ["/public/~73earch", "/public/s~65arch", "/~70ublic/search", "/public/~73e~61rch"])
def test_every_spelling_of_the_search_querys_page_sends_readers_to_the_designed_search(server, spelling):
    """Datasette reads `~XX` in a name as the character, but the search page's route matched the name as written:
    `/public/~73earch` was Datasette's raw query form. Names are written as Datasette writes them before routing."""
    with from_address("127.0.0.63") as client:
        moved = client.get(server["base"] + spelling + "?q=kettle")
        assert moved.status_code == 302, moved.text[:200]
        assert moved.headers["location"] == "/public/timeline?q=kettle"
        data = client.get(server["base"] + spelling + ".json?q=kettle&_shape=array")
        assert data.status_code == 200 and data.json()


def tilde_spelled(text: str) -> str:
    """Each character of `text` written as its `~XX`, as Datasette reads any name or key of an address."""
    return "".join(f"~{byte:02X}" for byte in text.encode())


@pytest.mark.parametrize(
    "spelling",
    ["/public/cl~61ims/{id}", "/~70ublic/claims/{id}", "/public/~63~6C~61~69~6D~73/{id}", "/public/claims/{tilde_id}"],
)
def test_every_spelling_of_a_claims_page_is_the_designed_page_the_plain_spelling_gets(server, spelling):
    """Datasette reads `~XX` in a row's address as the character, so `/public/cl~61ims/ID` was claim ID's page, but
    what our plugins read by the name as written did not see a claim's page there: a withdrawn claim was a 404 "not
    found" instead of the 410 saying it was withdrawn, and the page was rendered for each reader, never cached, its
    links naming the odd spelling. Row addresses are written as Datasette writes them, the search's one rule."""
    [gone] = server["withdrawn"]
    shown = server["published"][0]
    with from_address("127.0.0.67") as client:
        for claim, status in ((shown, 200), (gone, 410)):
            plain = client.get(f"{server['base']}/public/claims/{claim}")
            odd = client.get(server["base"] + spelling.format(id=claim, tilde_id=tilde_spelled(str(claim))))
            assert plain.status_code == odd.status_code == status, (odd.status_code, odd.text[:300])
            title = BeautifulSoup(odd.text, "html.parser").title.get_text()
            assert title == BeautifulSoup(plain.text, "html.parser").title.get_text(), title
        page = client.get(server["base"] + spelling.format(id=shown, tilde_id=tilde_spelled(str(shown))))
        assert "x-page-cache" in page.headers, page.headers  # a reader page, rendered once for every reader
        assert f"/public/claims/{shown}.json" in page.headers["link"], page.headers["link"]
        data = client.get(server["base"] + spelling.format(id=shown, tilde_id=tilde_spelled(str(shown))) + ".json")
        assert data.status_code == 200 and data.json()["rows"], data.text[:300]
        # `~2E` is a dot inside the key, as Datasette reads it (no claim's key is `ID.json`), never the `.json` format
        dotted = client.get(server["base"] + spelling.format(id=shown, tilde_id=tilde_spelled(str(shown))) + "~2Ejson")
        assert dotted.status_code == 404, dotted.text[:300]


@pytest.mark.parametrize("path", ["///", "//", "//evil.example/", "////public/claims/"])
def test_a_path_starting_with_two_slashes_is_not_found(server, path):
    """Datasette drops a trailing slash with a redirect: `///` was a 302 to an empty Location (no page at all), and
    no page of the site starts with `//`. http.client, not httpx: the path sent as it is."""
    import http.client

    port = int(server["base"].rsplit(":", 1)[1])
    client = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    client.request("GET", path)
    response = client.getresponse()
    response.read()
    client.close()
    assert response.status == 404 and response.getheader("location") is None, (path, response.status)


@pytest.mark.parametrize("name", ["pad", "_pad", "sql"])
@pytest.mark.parametrize("query", ["changes", "coverage_over_time", "claims_over_time", "timeline"])
def test_a_ready_made_querys_page_repeats_no_parameter_it_does_not_read(server, query, name):
    """A ready-made query's page repeats every parameter of its address in its links (JSON, CSV, the `Link:`
    header): one its SQL does not name came back four or five times. Left out, the page is as without it."""
    pad = "q" * 20_000
    with from_address("127.0.0.64") as client:
        plain = client.get(f"{server['base']}/public/{query}?story=acme-kettles")
        padded = client.get(f"{server['base']}/public/{query}?story=acme-kettles&{name}={pad}")
        assert plain.status_code == padded.status_code == 200
        assert "q" * 1000 not in padded.text and "q" * 1000 not in str(padded.headers)
        assert len(padded.content) < len(plain.content) + 1000


def test_the_timelines_search_marks_the_words_it_matched_and_escapes_every_scraped_string(server):
    """The timeline's search showed its cards without saying where they matched. Each word of the claim and the
    quote that a searched word starts (as the index matches it: `kettle` finds Kettles) is marked; the text around
    it, markup a source wrote included, is escaped as before: a claim holding `<script>` searched for `script` is
    `&lt;<mark>script</mark>&gt;`."""
    with from_address("127.0.0.65") as client:
        found = client.get(server["base"] + "/public/timeline", params={"q": "kettle script"})
        assert found.status_code == 200
        cards = BeautifulSoup(found.text, "html.parser").select("article.card")
        claim = next(card for card in cards if "Kettles melt" in card.get_text())
        heading = claim.select_one(".card-claim a")
        assert [mark.get_text() for mark in heading.find_all("mark")] == ["script", "script", "Kettles"]
        assert heading.find("script") is None and "<script>" not in found.text
        assert "&lt;<mark>script</mark>&gt;alert(" in str(heading)
        plain = client.get(server["base"] + "/public/timeline")
        assert "<mark>" not in plain.text


def test_claims_by_claimant_is_a_designed_page_listing_each_claimants_claims(server):
    """`/public/claims_by_claimant`, linked from the data page, was Datasette's raw query form ("Custom SQL query",
    "Run SQL", stored values such as `unreviewed`). Readers get a page of the site's own: each claimant, their
    claims counted by status and their latest claims, each status in colour and in words, a labelled search for a
    name, every scraped string escaped; the JSON and CSV stay the query's."""
    with from_address("127.0.0.66") as client:
        page = client.get(server["base"] + "/public/claims_by_claimant")
        assert page.status_code == 200
        assert "Custom SQL query" not in page.text and "Run SQL" not in page.text and "<textarea" not in page.text
        soup = BeautifulSoup(page.text, "html.parser")
        assert len(soup.find_all("h1")) == 1 and "<img src=x" not in page.text
        field = soup.find("input", attrs={"name": "claimant"})
        assert field is not None and soup.find("label", attrs={"for": field["id"]}) is not None
        listed = client.get(server["base"] + "/public/claims_by_claimant.json?_shape=array").json()
        items = soup.select(".claimant-item")
        assert len(items) == len(listed) >= 3
        forum = next(item for item in items if "a forum user" in item.get_text())
        assert forum.select_one(".status-unreviewed").get_text(strip=True) == "Not yet reviewed"
        claim_links = [a["href"] for item in items for a in item.select(".claimant-claims a")]
        assert len(claim_links) == sum(min(3, row["claims"]) for row in listed)
        assert all(href.startswith("/public/claims/") for href in claim_links)
        assets = [tag.get("src") for tag in soup.find_all(["script", "img"])]
        assets += [tag["href"] for tag in soup.find_all("link", rel="stylesheet")]
        assert assets and all(a is None or a.startswith("/") and not a.startswith("//") for a in assets), assets
        found = client.get(server["base"] + "/public/claims_by_claimant", params={"claimant": "forum"})
        assert len(BeautifulSoup(found.text, "html.parser").select(".claimant-item")) == 2
