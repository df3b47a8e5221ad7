"""Answers that are not the page (a bot check, a cookie-consent wall, a "page not found" served with 200).

Such an answer must never become a revision: on a statement it would raise a
false "statement changed" alert and bury the real text under the wall's.
The scrape pass and `ingest URL` treat a bot check or consent wall as a
failed fetch (logged with its reason, tried again later) and a soft 404 as
a 404; the detector itself (scrapers/notpage.py) is checked on its own
below, and bench/notpage.py measures it on real articles.
"""

from __future__ import annotations

import json

import pytest

from scrapers.http import Response
from scrapers.http.advice import ADDRESS, ITEM, NEW_ITEM, SOURCE, advice
from scrapers.notpage import not_the_page
from scrapers.schedule import GONE_AFTER
from tests.conftest import python_output
from tests.sites import RECALL, article, fetcher, rss
from tracker import coverage, sources
from tracker.db import rows
from tracker.ingest import ingest_targets
from tracker.scrape import run_pass

CLOUDFLARE = """<!DOCTYPE html><html lang="en-US"><head><title>Just a moment...</title>
<meta http-equiv="refresh" content="390"></head><body><div class="main-wrapper" role="main">
<div class="main-content"><h1 class="zone-name-title h1">newsroom.example</h1>
<h2 class="h2" id="challenge-running">Checking if the site connection is secure</h2>
<noscript><div class="h2"><span id="challenge-error-text">Enable JavaScript and cookies to continue</span></div>
</noscript>
<div id="challenge-body-text" class="core-msg spacer">newsroom.example needs to review the security of your
connection before proceeding.</div></div></div>
<script src="/cdn-cgi/challenge-platform/h/b/orchestrate/chl_page/v1?ray=1"></script></body></html>"""

CONSENT = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Before you continue</title></head>
<body><h1>Before you continue</h1>
<p>We use cookies and data to deliver and maintain our services, measure audience engagement and site
statistics, and personalise content and ads. If you choose to accept all, we will also use cookies and data
to develop and improve new services.</p>
<p>Select "More options" to see additional information, including details about managing your privacy settings.</p>
<form><button>Reject all</button><button>Accept all</button></form><a href="/options">More options</a>
</body></html>"""

SOFT_404 = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Page not found | Acme Newsroom</title>
</head><body><nav><a href="/">Home</a> <a href="/newsroom/">Newsroom</a></nav>
<main><h1>Sorry, we couldn't find that page</h1>
<p>The page you were looking for may have been moved, renamed or removed. Try searching our newsroom or go
back to the home page to find the latest statements from Acme Widgets and its subsidiaries.</p></main>
<footer><p>© 2026 Acme Widgets. All rights reserved.</p></footer></body></html>"""

EDITED = [*RECALL[:1], "The company said one minor injury had been reported.", *RECALL[2:]]


def _statement(db, story, site) -> str:
    """A statement listing linking one statement page; returns the statement's path."""
    site.put("/newsroom/2026/recall.html", article("Statement on the recall", RECALL, outlet="Acme Newsroom"))
    listing = site.put("/newsroom/", '<a href="/newsroom/2026/recall.html">Statement</a>')
    sources.add_source(db, story["id"], listing, "statement", outlet="Acme Widgets")
    return "/newsroom/2026/recall.html"


def _recheck(db, story, f):
    (item,) = coverage.list_items(db, story["id"])
    return run_pass(db, story["slug"], fetcher=f, at=item["next_check_at"])


# Once marked gone, the statement is told as taken down, never as changed to the page answered instead.
TAKEN_DOWN = {"kind": "coverage_changed", "subject": "Statement taken down: Statement on the recall (Acme Widgets)"}


def _changed_alerts(db) -> list[dict]:
    return rows(db, "SELECT kind, subject FROM alert_events WHERE kind IN ('coverage_changed', 'evidence_changed')")


def _last_fetch(db, url: str) -> dict:
    return rows(db, "SELECT status, outcome, error FROM fetches WHERE url = ? ORDER BY id DESC LIMIT 1", [url])[0]


@pytest.mark.parametrize(
    "status,headers",
    [(200, {}), (200, {"cf-mitigated": "challenge"}), (403, {"cf-mitigated": "challenge"}), (503, {})],
)
def test_a_stored_statement_answering_a_bot_check_gets_no_revision_and_raises_no_alert(
    db, story, site, status, headers
):
    path = _statement(db, story, site)
    with fetcher() as f:
        run_pass(db, story["slug"], fetcher=f)
        site.put(path, CLOUDFLARE, status=status, headers=headers)
        result = _recheck(db, story, f)
        assert result["failed"] == 1 and result["updated"] == 0 and result["changes"] == []
        (item,) = coverage.list_items(db, story["id"])
        assert item["revision_count"] == 1
        assert "Acme Widgets said on Monday" in coverage.latest_revision(db, item["id"])["text"]
        assert _changed_alerts(db) == []
        assert "bot check" in item["check_error"] and not item["gone_at"]
        fetch = _last_fetch(db, site.url(path))
        assert fetch["outcome"] == "error" and fetch["status"] == status and "bot check" in fetch["error"]
        assert any("bot check" in reason for _, reason in result["problems"])
        # Tried again later, like any failure: once the wall is gone the real edit is a change, and only it.
        site.put(path, article("Statement on the recall", EDITED, outlet="Acme Newsroom"))
        again = _recheck(db, story, f)
    assert again["updated"] == 1
    (item,) = coverage.list_items(db, story["id"])
    assert item["revision_count"] == 2 and item["check_error"] is None
    assert [a["kind"] for a in _changed_alerts(db)] == ["coverage_changed"]


def test_a_stored_statement_redirected_to_a_consent_host_gets_no_revision(db, story, site):
    path = _statement(db, story, site)
    consent = "http://consent.example-portal.test/ml?continue=" + site.url(path)
    site.put("/ml", CONSENT)
    with fetcher(host_map={"consent.example-portal.test": ("127.0.0.1", site.httpd.server_address[1])}) as f:
        run_pass(db, story["slug"], fetcher=f)
        site.put(path, "", status=302, headers={"Location": consent})
        result = _recheck(db, story, f)
    assert result["failed"] == 1 and result["updated"] == 0
    (item,) = coverage.list_items(db, story["id"])
    assert item["revision_count"] == 1 and _changed_alerts(db) == []
    assert "consent" in item["check_error"]


def test_a_cookie_wall_on_the_site_itself_is_not_a_revision(db, story, site):
    path = _statement(db, story, site)
    with fetcher() as f:
        run_pass(db, story["slug"], fetcher=f)
        site.put(path, CONSENT)
        result = _recheck(db, story, f)
    assert result["failed"] == 1 and result["updated"] == 0
    (item,) = coverage.list_items(db, story["id"])
    assert item["revision_count"] == 1 and _changed_alerts(db) == []
    assert "consent" in item["check_error"]


def test_a_soft_404_on_a_stored_statement_is_a_404_not_a_revision(db, story, site):
    path = _statement(db, story, site)
    with fetcher() as f:
        run_pass(db, story["slug"], fetcher=f)
        site.put(path, SOFT_404)
        for _ in range(GONE_AFTER):
            result = _recheck(db, story, f)
            assert result["failed"] == 1 and result["updated"] == 0
    (item,) = coverage.list_items(db, story["id"])
    assert item["revision_count"] == 1 and _changed_alerts(db) == [TAKEN_DOWN]  # never the 404 page's text
    assert "not found" in item["check_error"]
    assert item["gone_at"] and item["next_check_at"] is None  # as an honest 404 three times in a row would be
    assert _last_fetch(db, site.url(path))["status"] == 200


APP_SHELL = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Acme Newsroom</title>
<script defer src="/static/js/main.4f2a.js"></script></head><body>
<noscript>You need to enable JavaScript to run this app.</noscript><div id="root"></div></body></html>"""
EMPTY_SHELL = """<!doctype html><html><head><title>Acme Newsroom</title><script src="/app.js"></script></head>
<body><div id="app"></div></body></html>"""


@pytest.mark.parametrize("shell", [APP_SHELL, EMPTY_SHELL], ids=["noscript-note", "no-text-at-all"])
def test_a_stored_statement_whose_site_now_needs_javascript_keeps_its_text_and_raises_no_alert(db, story, site, shell):
    """A newsroom moved to pages built by scripts: the answer holds no statement, only an app's shell. Stored,
    it became a revision reading "You need to enable JavaScript" (or nothing), and a false "changed" alert."""
    path = _statement(db, story, site)
    with fetcher() as f:
        run_pass(db, story["slug"], fetcher=f)
        site.put(path, shell)
        result = _recheck(db, story, f)
    assert result["failed"] == 1 and result["updated"] == 0 and result["changes"] == []
    (item,) = coverage.list_items(db, story["id"])
    assert item["revision_count"] == 1 and _changed_alerts(db) == []
    assert "Acme Widgets said on Monday" in coverage.latest_revision(db, item["id"])["text"]
    assert "JavaScript" in item["check_error"] and "add the file" in item["check_error"]
    assert not item["gone_at"]


def test_a_new_feed_item_behind_a_bot_check_stores_nothing_and_is_fetched_again(db, story, site):
    page = site.put("/gazette/recall.html", CLOUDFLARE)
    site.put("/feed.xml", rss("Gazette", [{"link": page, "title": "Acme recalls toasters"}]))
    sources.add_source(db, story["id"], site.url("/feed.xml"), "feed")
    with fetcher() as f:
        first = run_pass(db, story["slug"], fetcher=f)
        assert first["new"] == 1 and first["failed"] == 1 and first["texts"] == 0
        assert rows(db, "SELECT id FROM revisions") == []
        assert rows(db, "SELECT id FROM candidates") == []
        site.put("/gazette/recall.html", article("Acme recalls toasters", RECALL))
        second = _recheck(db, story, f)
    assert second["texts"] == 1 and second["failed"] == 0


def _shell_carrying(paragraphs: list[str]) -> str:
    """An app's shell whose story is in its JSON-LD articleBody, as some script-built sites serve them."""
    ld = json.dumps({"@type": "NewsArticle", "headline": "Acme recalls toasters", "articleBody": "\n".join(paragraphs)})
    return APP_SHELL.replace("</head>", f'<script type="application/ld+json">{ld}</script></head>')


def test_a_new_feed_item_on_a_page_built_by_scripts_is_read_from_its_json_ld(db, story, site):
    page = site.put("/gazette/recall.html", _shell_carrying(RECALL))
    site.put("/feed.xml", rss("Gazette", [{"link": page, "title": "Acme recalls toasters"}]))
    sources.add_source(db, story["id"], site.url("/feed.xml"), "feed")
    with fetcher() as f:
        result = run_pass(db, story["slug"], fetcher=f)
    assert result["new"] == 1 and result["failed"] == 0 and result["texts"] == 1
    (item,) = coverage.list_items(db, story["id"])
    assert coverage.latest_revision(db, item["id"])["text"].splitlines() == RECALL
    assert not_the_page(_response(_shell_carrying(RECALL))) is None
    assert not_the_page(_response(_shell_carrying(["Read it in the app."]))).kind == "script_only"


def test_a_watched_page_source_behind_a_consent_wall_fails_with_the_reason_on_the_source(db, story, site):
    url = site.put("/acme/statement.html", article("Acme statement on the recall", RECALL))
    source = sources.add_source(db, story["id"], url, "page")
    with fetcher() as f:
        run_pass(db, story["slug"], fetcher=f)
        site.put("/acme/statement.html", CONSENT)
        result = run_pass(db, story["slug"], fetcher=f, at=sources.get_source(db, source["id"])["next_poll_at"])
    assert result["failed"] == 1 and result["updated"] == 0
    health = sources.get_source(db, source["id"])
    assert health["last_outcome"] == "error" and "consent" in health["last_error"] and health["failures"] == 1
    (item,) = coverage.list_items(db, story["id"])
    assert item["revision_count"] == 1


IMAGE_ONLY = """<html><head><title>Statement on the recall</title></head><body>
<img src="/newsroom/statement.png" alt=""></body></html>"""


def test_a_stored_statement_answering_a_page_without_text_keeps_its_text(db, story, site):
    """A page with no readable text (a statement posted as an image, a broken answer) must not replace the
    stored text with an empty revision ("all text removed", and a false "changed" alert)."""
    path = _statement(db, story, site)
    with fetcher() as f:
        run_pass(db, story["slug"], fetcher=f)
        site.put(path, IMAGE_ONLY)
        result = _recheck(db, story, f)
    assert result["failed"] == 1 and result["updated"] == 0 and _changed_alerts(db) == []
    (item,) = coverage.list_items(db, story["id"])
    assert item["revision_count"] == 1 and "no article text found" in item["check_error"]


def test_a_watched_page_without_text_fails_saying_so(db, story, site):
    url = site.put("/acme/statement.html", article("Acme statement on the recall", RECALL))
    source = sources.add_source(db, story["id"], url, "page")
    with fetcher() as f:
        run_pass(db, story["slug"], fetcher=f)
        site.put("/acme/statement.html", IMAGE_ONLY)
        result = run_pass(db, story["slug"], fetcher=f, at=sources.get_source(db, source["id"])["next_poll_at"])
    assert result["failed"] == 1 and result["updated"] == 0
    assert "no article text found" in sources.get_source(db, source["id"])["last_error"]
    (item,) = coverage.list_items(db, story["id"])
    assert item["revision_count"] == 1


def test_a_feed_or_statement_listing_behind_a_bot_check_fails_with_that_reason(db, story, site):
    feed = sources.add_source(db, story["id"], site.put("/feed.xml", CLOUDFLARE), "feed")
    listing = sources.add_source(db, story["id"], site.put("/newsroom/", CLOUDFLARE), "statement", outlet="Acme")
    with fetcher() as f:
        result = run_pass(db, story["slug"], fetcher=f)
    assert result["failed"] == 2 and result["new"] == 0
    for source in (feed, listing):
        health = sources.get_source(db, source["id"])
        assert health["last_outcome"] == "error" and "bot check" in health["last_error"]
        assert health["url"] == source["url"]  # a challenge is no page naming a feed to follow


def test_a_watched_page_source_answering_a_soft_404_counts_towards_gone(db, story, site):
    url = site.put("/acme/statement.html", SOFT_404)
    source = sources.add_source(db, story["id"], url, "page")
    with fetcher() as f:
        for _ in range(GONE_AFTER):
            due = sources.get_source(db, source["id"])["next_poll_at"]
            run_pass(db, story["slug"], fetcher=f, at=due)
    health = sources.get_source(db, source["id"])
    assert health["state"] == "gone" and health["missing_count"] == GONE_AFTER
    assert coverage.list_items(db, story["id"]) == []


def test_ingesting_a_url_that_answers_a_bot_check_stores_nothing_and_says_why(db, story, site):
    url = site.put("/gazette/recall.html", CLOUDFLARE)
    with fetcher() as f:
        summary = ingest_targets(db, story["slug"], [url], fetcher=f)
    (result,) = summary.results
    assert result.kind == "failed" and "bot check" in result.problem and "add the file" in result.problem
    assert summary.counts["failed"] == 1
    assert coverage.list_items(db, story["id"]) == [] and rows(db, "SELECT id FROM revisions") == []
    fetch = _last_fetch(db, url)
    assert fetch["outcome"] == "error" and "bot check" in fetch["error"]


@pytest.mark.parametrize("kind", ["script_only", "sign_in", "bot_check", "not_found"])
def test_ingest_says_what_to_do_once(db, story, site, kind):
    # The app shell's and the sign-in's reasons end with the way on; ingest added it a second time.
    site.put("/login", SIGN_IN_PAGE)
    url = {
        "script_only": site.put("/gazette/shell.html", APP_SHELL),
        "sign_in": site.put("/gazette/members.html", "", status=302, headers={"Location": "/login"}),
        "bot_check": site.put("/gazette/check.html", CLOUDFLARE),
        "not_found": site.put("/gazette/missing.html", SOFT_404),
    }[kind]
    with fetcher() as f:
        (result,) = ingest_targets(db, story["slug"], [url], fetcher=f).results
    assert result.kind == "failed"
    way_on = "Check the address in a browser" if kind == "not_found" else "save the page from a browser"
    assert result.problem.count(way_on) == 1, result.problem
    assert coverage.list_items(db, story["id"]) == []


@pytest.mark.parametrize("wall", ["bot_check", "sign_in"])
def test_a_wall_s_advice_fits_whoever_reads_it(db, story, site, wall):
    """A bot check or a sign-in wall said "save the page from a browser and ingest the file" to everyone: to a
    scheduled source, where one saved copy fixes nothing; to the editor's evidence form, which ingests nothing;
    and an article never fetched was told nothing of what is kept."""
    site.put("/login", SIGN_IN_PAGE)

    def walled(path: str) -> str:
        if wall == "bot_check":
            return site.put(path, CLOUDFLARE)
        return site.put(path, "", status=302, headers={"Location": "/login"})

    stored = site.put("/gazette/stored.html", article("Acme recalls toasters", RECALL))
    new = walled("/gazette/new.html")
    feed = site.put("/feed.xml", rss("Gazette", [{"link": stored, "title": "Acme"}, {"link": new, "title": "Acme 2"}]))
    sources.add_source(db, story["id"], feed, "feed")
    page_source = sources.add_source(db, story["id"], walled("/gazette/watched.html"), "page")
    with fetcher() as f:
        run_pass(db, story["slug"], fetcher=f)
        walled("/gazette/stored.html")
        items = {item["canonical_url"]: item for item in coverage.list_items(db, story["id"])}
        run_pass(db, story["slug"], fetcher=f, at=items[stored]["next_check_at"])
        (address,) = ingest_targets(db, story["slug"], [walled("/gazette/given.html")], fetcher=f).results
    items = {item["canonical_url"]: item for item in coverage.list_items(db, story["id"])}
    said = {
        SOURCE: sources.get_source(db, page_source["id"])["last_error"],
        NEW_ITEM: items[new]["check_error"],
        ITEM: items[stored]["check_error"],
        ADDRESS: address.problem,
    }
    for context, sentence in said.items():
        assert sentence.endswith(f"; nothing was stored: {advice('wall', context)}."), (context, sentence)
        assert "ingest" not in sentence, (context, sentence)
    assert "remove the source" in said[SOURCE] and "add the file" in said[ADDRESS]
    assert "its stored revisions are kept" in said[ITEM] and "revisions" not in said[NEW_ITEM]


def test_a_saved_file_of_the_same_wall_is_the_reporter_s_choice_and_is_not_refused(db, story, tmp_path):
    saved = tmp_path / "saved.html"
    saved.write_text(CONSENT.replace("We use cookies", "Acme uses cookies"))
    summary = ingest_targets(db, story["slug"], [str(saved)])
    assert summary.results[0].kind == "page" and summary.results[0].created


def test_an_article_about_cookies_or_a_missing_page_is_stored_as_usual(db, story, site):
    cookie_story = [
        *RECALL[:2],
        "Acme Widgets said the cookie banner on its support site would not track visitors who asked for a "
        "replacement, after privacy groups said the consent form before you continue was misleading.",
        "Customers who saw a page not found error on the recall form were asked to try again; the company "
        "said the 404 error was fixed on Tuesday and that no request had been lost.",
    ]
    path = _statement(db, story, site)
    site.put(path, article("Acme: cookie consent and 404 errors fixed on the recall form", cookie_story))
    with fetcher() as f:
        result = run_pass(db, story["slug"], fetcher=f)
    assert result["failed"] == 0 and result["texts"] == 1
    (item,) = coverage.list_items(db, story["id"])
    assert "cookie banner" in coverage.latest_revision(db, item["id"])["text"]


# -- the detector on its own ------------------------------------------------------------------------


def _response(body: str, *, url: str = "https://news.example/2026/03/recall.html", status: int = 200, **headers):
    return Response(
        url=url,
        status=status,
        headers={k.replace("_", "-").lower(): v for k, v in headers.items()},
        body=body.encode("utf-8"),
        content_type="text/html",
        charset="utf-8",
        elapsed_ms=1,
    )


SMALL = "<html><head><title>{title}</title></head><body><p>{text}</p></body></html>"


@pytest.mark.parametrize(
    "response,kind",
    [
        (_response(CLOUDFLARE), "bot_check"),
        (_response(SMALL.format(title="Acme", text="x"), cf_mitigated="challenge"), "bot_check"),
        (_response(SMALL.format(title="Please Wait... | Cloudflare", text="x")), "bot_check"),
        (
            _response(SMALL.format(title="Attention Required! | Cloudflare", text="Sorry, you have been blocked")),
            "bot_check",
        ),
        (
            _response(
                SMALL.format(title="Access Denied", text="You don't have permission to access this server."), status=403
            ),
            "bot_check",
        ),
        (
            _response(
                SMALL.format(
                    title="Access to this page has been denied", text="Press & Hold to confirm you are a human"
                )
            ),
            "bot_check",
        ),
        (
            _response(
                SMALL.format(title="news.example", text="Please enable JS and disable any ad blocker")
                + '<script src="https://ct.captcha-delivery.com/c.js"></script>',
                status=403,
            ),
            "bot_check",
        ),
        (_response(CONSENT, url="https://consent.portal.example/ml?continue=x"), "consent"),
        (_response(SMALL.format(title="Yahoo", text="x"), url="https://guce.portal.example/consent"), "consent"),
        (_response(CONSENT), "consent"),
        (
            _response(
                SMALL.format(
                    title="Bevor Sie fortfahren", text="Wir verwenden Cookies und Daten, um … Alle akzeptieren"
                )
            ),
            "consent",
        ),
        (_response(APP_SHELL), "script_only"),
        (
            _response(
                SMALL.format(title="Beispiel-Zeitung", text="")
                + "<noscript>Bitte aktivieren Sie JavaScript, um diese Seite zu nutzen.</noscript>"
            ),
            "script_only",
        ),
        (_response(SOFT_404), "not_found"),
        (_response(SMALL.format(title="404", text="x")), "not_found"),
        (_response(SMALL.format(title="Seite nicht gefunden - Beispiel-Zeitung", text="Leider…")), "not_found"),
        (_response(SMALL.format(title="Page introuvable | Le Journal", text="Désolé")), "not_found"),
        (_response(SMALL.format(title="Página no encontrada", text="Lo sentimos")), "not_found"),
        (_response(SMALL.format(title="Error 404 – Gazzetta", text="Pagina non trovata")), "not_found"),
    ],
)
def test_the_detector_names_each_kind_of_wall(response, kind):
    found = not_the_page(response)
    assert found is not None and found.kind == kind, found
    assert response.url in found.reason or "news.example" in found.reason


@pytest.mark.parametrize(
    "response",
    [
        _response(article("Acme recalls toasters", RECALL)),
        _response(article("Missing hiker not found after two days", RECALL)),
        _response(article("Flight 404 lands safely", RECALL)),
        _response(article("Before you continue: what the recall means", RECALL)),
        _response(article("Acme recalls toasters", RECALL), cf_ray="8a1b2c3d4e5f-AMS", server="cloudflare"),
        _response(article("Acme recalls toasters", RECALL), x_datadome="protected"),
        _response(
            article("Acme recalls toasters", RECALL, extra='<div id="cookie-banner">We use cookies. Accept all</div>')
        ),
        _response(article("Page not found: the web's lost archives", RECALL * 4)),
        _response(
            SMALL.format(
                title="Privacy statement | Acme Widgets",
                text="Acme Widgets uses cookies on its support site only to keep you signed in. By using the site "
                "you accept them; write to privacy@acme.example to have your data removed.",
            )
        ),
        _response(SMALL.format(title="Cookie policy", text="We use two cookies. You can accept or refuse them.")),
        _response(
            article("Acme recalls toasters", RECALL)
            + "<noscript>Please enable JavaScript to view the comments powered by Disqus.</noscript>"
        ),
        _response(SMALL.format(title="Statement", text="Acme will not comment on the recall.")),
        _response(SMALL.format(title="JavaScript at 30", text="A language written in ten days turns thirty.")),
        _response('<?xml version="1.0"?><rss version="2.0"><channel><title>Just a moment...</title></channel></rss>'),
        _response(SMALL.format(title="Just a moment...", text="x"), status=304),
    ],
)
def test_the_detector_leaves_real_pages_feeds_and_empty_answers_alone(response):
    assert not_the_page(response) is None


HOME = article("Acme Widgets: kettles, toasters and more", RECALL[:1], outlet="Acme Widgets")


@pytest.mark.parametrize(
    "asked,final,home",
    [
        ("https://acme.example/newsroom/2026/recall.html", "https://acme.example/", True),
        ("https://acme.example/newsroom/2026/recall.html", "https://www.acme.example", True),
        ("http://acme.example/statements/recall", "https://acme.example/en/", True),
        ("https://acme.example/de/presse/rueckruf", "https://acme.example/de-de/index.html", True),
        ("https://acme.example/?p=123", "https://acme.example/", True),  # a post by its id, retired
        ("https://old-paper.example/2026/recall", "https://new-owner.example/", True),
        ("https://acme.example/", "https://acme.example/", False),  # the home page asked for
        ("https://acme.example/en/", "https://acme.example/en", False),
        ("https://acme.example/newsroom/2026/recall.html", "https://acme.example/newsroom/2026/recall.html", False),
        ("https://acme.example/newsroom/recall", "https://acme.example/newsroom/2026/recall.html", False),  # moved
        ("https://acme.example/newsroom/recall", "https://acme.example/newsroom/", False),  # a section: may be the page
    ],
)
def test_a_page_redirected_to_its_site_s_home_page_is_a_soft_404(asked, final, home):
    found = not_the_page(_response(HOME, url=final), asked)
    assert (found is not None and found.kind == "not_found") == home, found
    if home:
        assert asked in found.reason and "home page" in found.reason and "gone or moved" in found.reason
    assert not_the_page(_response(HOME, url=final)) is None  # without the address asked for, nothing to compare


SIGN_IN_PAGE = SMALL.format(title="Sign in | Acme Widgets", text="Sign in to keep reading. Email, password, Forgot it?")


@pytest.mark.parametrize(
    "asked,final,sign_in",
    [
        ("https://news.example/2026/03/recall.html", "https://news.example/login?next=/2026/03/recall.html", True),
        ("https://news.example/2026/03/recall.html", "https://accounts.news.example/signin", True),
        ("https://zeitung.example/politik/rueckruf", "https://zeitung.example/abo/angebote", True),
        ("https://journal.example/eco/rappel", "https://journal.example/connexion/", True),
        ("https://news.example/subscribe/offers", "https://news.example/subscribe/offers/", False),  # asked for it
        (
            "https://news.example/2026/03/the-login-problem.html",
            "https://news.example/2026/03/the-login-problem.html",
            False,
        ),
        ("https://news.example/2026/03/recall.html", "https://news.example/author/loginov/", False),
        ("https://news.example/2026/03/recall.html", "https://news.example/2026/03/recall-amp.html", False),
    ],
)
def test_a_page_redirected_to_a_sign_in_or_subscription_page_is_not_the_page(asked, final, sign_in):
    found = not_the_page(_response(SIGN_IN_PAGE, url=final), asked)
    assert (found is not None and found.kind == "sign_in") == sign_in, found
    if sign_in:
        assert asked in found.reason and "sign in or subscribe" in found.reason
        assert found.refusal(200, ADDRESS).endswith("save the page from a browser and add the file.")


def test_a_stored_statement_now_behind_a_sign_in_keeps_its_text_and_is_tried_again(db, story, site):
    path = _statement(db, story, site)
    site.put("/login?next=" + path, SIGN_IN_PAGE)
    with fetcher() as f:
        run_pass(db, story["slug"], fetcher=f)
        site.put(path, "", status=302, headers={"Location": "/login?next=" + path})
        result = _recheck(db, story, f)
    assert result["failed"] == 1 and result["updated"] == 0
    (item,) = coverage.list_items(db, story["id"])
    assert item["revision_count"] == 1 and _changed_alerts(db) == []
    assert "sign in" in item["check_error"] and not item["gone_at"] and item["next_check_at"]


def test_a_stored_statement_redirected_to_the_home_page_counts_towards_gone_not_a_revision(db, story, site):
    path = _statement(db, story, site)
    site.put("/", HOME)
    with fetcher() as f:
        run_pass(db, story["slug"], fetcher=f)
        site.put(path, "", status=301, headers={"Location": "/"})
        for _ in range(GONE_AFTER):
            result = _recheck(db, story, f)
            assert result["failed"] == 1 and result["updated"] == 0
    (item,) = coverage.list_items(db, story["id"])
    assert item["revision_count"] == 1 and _changed_alerts(db) == [TAKEN_DOWN]  # never the home page's text
    assert "home page" in item["check_error"] and site.url(path) in item["check_error"]
    assert item["gone_at"] and item["next_check_at"] is None


def test_ingesting_a_url_that_redirects_to_the_home_page_stores_nothing_and_says_why(db, story, site):
    site.put("/", HOME)
    url = site.put("/gazette/retired.html", "", status=302, headers={"Location": "/"})
    with fetcher() as f:
        summary = ingest_targets(db, story["slug"], [url], fetcher=f)
    (result,) = summary.results
    assert result.kind == "failed" and "home page" in result.problem and "Check the address" in result.problem
    assert coverage.list_items(db, story["id"]) == []


def test_the_reason_shows_where_a_reporter_reads_a_source_s_health(client, auth, accounts, db, story, site):
    path = _statement(db, story, site)
    with fetcher() as f:
        run_pass(db, story["slug"], fetcher=f)
        site.put(path, CLOUDFLARE)
        _recheck(db, story, f)
    (source,) = sources.list_sources(db, story["id"])
    auth.login("reporter")
    html = client.get(f"/sources/{source['id']}").get_data(as_text=True)
    assert "answered with a bot check (Cloudflare&#39;s &#34;Just a moment...&#34; page) instead of the page" in html
    assert "checked again on a later pass" in html  # a page the listing brought, not the listing


@pytest.mark.parametrize(
    "unit,kind",
    [("<script>", "bot_check"), ("<!--", "bot_check"), ("<svg><p>", "bot_check"), ("<title>", "bot_check"),
     ("<", None), ("<p>&amp;", None), ("<title x", None)],
)  # fmt: skip
def test_the_detector_reads_hostile_markup_in_linear_time(unit, kind):
    """Unclosed tags repeated over a page: a backtracking pattern would take hours; this must take moments.

    What follows an unclosed <script> or comment is not shown, so the page is short and its title counts.
    """
    code = f"""
from scrapers.http import Response
from scrapers.notpage import not_the_page
body = ("<html><head><title>Access Denied</title></head><body>" + {unit!r} * 400_000).encode()
response = Response(url="https://news.example/a", status=200, headers={{}}, body=body, content_type="text/html",
                    charset="utf-8", elapsed_ms=1)
found = not_the_page(response)
print(found and found.kind)
"""
    assert python_output(code).strip() == str(kind)


@pytest.mark.parametrize(
    "unit,kind", [("<noscript>", "script_only"), ("<noscript><!--", "script_only"), ("<noscript></noscript x", None)]
)
def test_an_app_shell_of_hostile_noscript_tags_is_read_in_linear_time(unit, kind):
    code = f"""
from scrapers.http import Response
from scrapers.notpage import not_the_page
body = ("<html><head><title>Acme</title><script src=/a.js></script></head><body>" + {unit!r} * 400_000).encode()
response = Response(url="https://news.example/a", status=200, headers={{}}, body=body, content_type="text/html",
                    charset="utf-8", elapsed_ms=1)
found = not_the_page(response)
print(found and found.kind)
"""
    assert python_output(code).strip() == str(kind)  # the last shows "</noscript x" as text: no shell
