"""The newsroom's workflow through the editor: stories, sources, claims, evidence, rulings, publishing, people."""

from __future__ import annotations

import html as html_lib
import re
import sqlite3
from urllib.parse import urlencode

import pytest
from bs4 import BeautifulSoup

from tests.conftest import PASSWORD, AuthActions, csrf_from, publish_form
from tracker import claim_queries, claims, coverage, sources, stories, users
from tracker.editor import coverage as coverage_view
from tracker.editor import stories as stories_view
from tracker.publish_log import publish_and_log
from tracker.publish_review import KIND_LABELS

ARTICLE = (
    "Acme Widgets said on Monday that its new plant would open in March.\n"
    "A spokesperson for Acme said the plant is fully funded and will employ 400 people.\n"
    "Analysts at Example Research were not convinced."
)
QUOTE = "the plant is fully funded and will employ 400 people"
XSS = '<script>alert(1)</script><img src=x onerror="alert(2)"><a href="javascript:alert(3)">x</a>'


def add_coverage(
    db, story, text=ARTICLE, title="Acme opens plant", url="https://news.example/acme-plant", outlet="News Example"
):
    item = coverage.upsert_item(db, story["id"], url, outlet=outlet, title=title)
    revision_id, _ = coverage.add_revision(db, item, text)
    return item, revision_id


def claim_with_evidence(db, story, user, text="Acme's plant is fully funded", quote=QUOTE, revision_id=None):
    if revision_id is None:
        _, revision_id = add_coverage(db, story)
    claim_id = claims.log_claim(db, story["id"], text, "Acme", "organization", user, source_identity="Jo Bloggs")
    return claim_id, claims.add_evidence(db, claim_id, revision_id, quote, "supports", user)


def token(client, path="/") -> str:
    return csrf_from(client.get(path).get_data(as_text=True))


def version_on(html: str) -> str:
    return re.search(r'name="version" value="(\d+)"', html).group(1)


# Stories and sources


def test_a_story_is_created_from_the_editor(client, auth, accounts, db):
    auth.login("reporter")
    form = {
        "title": "Harbour inquiry",
        "slug": "Harbour Inquiry",
        "description": "Who knew what",
        "keywords_include": "harbour, inquiry",
    }
    refused = client.post("/stories/new", data={"csrf_token": token(client, "/stories/new"), **form})
    assert refused.status_code == 422
    html = refused.get_data(as_text=True)
    assert (
        "cannot be used: write it in lowercase" in html
        and 'value="Harbour inquiry"' in html
        and "Who knew what</textarea>" in html
    )
    created = client.post(
        "/stories/new", data={"csrf_token": token(client, "/stories/new"), **form, "slug": "harbour-inquiry"}
    )
    assert created.status_code == 302 and created.headers["Location"] == "/stories/harbour-inquiry/sources"
    story = stories.get_story(db, "harbour-inquiry")
    assert (story["title"], story["keywords_include"]) == ("Harbour inquiry", "harbour, inquiry")


def test_a_story_left_without_a_short_name_gets_one_made_from_its_title(client, auth, accounts, db):
    """A reporter names the story; its address is suggested from the title unless they type one."""
    auth.login("reporter")

    def create(title: str, slug: str = ""):
        data = {"csrf_token": token(client, "/stories/new"), "title": title, "slug": slug}
        return client.post("/stories/new", data=data)

    first = create("Hafenbehörde: Ausschreibung für Kräne geprüft?")
    assert first.status_code == 302
    assert first.headers["Location"] == "/stories/hafenbehorde-ausschreibung-fur-krane-gepruft/sources"
    # The same title again: the suggestion steps aside rather than refusing or taking over the first story.
    again = create("Hafenbehörde: Ausschreibung für Kräne geprüft?")
    assert again.headers["Location"] == "/stories/hafenbehorde-ausschreibung-fur-krane-gepruft-2/sources"
    assert stories.get_story(db, "hafenbehorde-ausschreibung-fur-krane-gepruft")["title"].startswith("Hafen")
    # A title with no Latin letters to make an address from asks for a short name, keeping what was typed.
    refused = create("港口起重机招标")
    assert refused.status_code == 422
    html = refused.get_data(as_text=True)
    assert "type a short name" in html and 'value="港口起重机招标"' in html
    assert "A story needs a title." in create("  ").get_data(as_text=True)
    # A typed short name is kept as typed, and checked as before.
    assert create("Anything", "my-own-name").headers["Location"] == "/stories/my-own-name/sources"
    assert create("Anything", "Bad Name").status_code == 422
    # The form no longer insists on a short name before it is sent.
    form = client.get("/stories/new").get_data(as_text=True)
    assert 'id="slug"' in form and not re.search(r'<input id="slug"[^>]*\brequired\b', form)


def test_sources_are_validated_and_show_their_health(client, auth, accounts, story, db):
    auth.login("reporter")
    page = "/stories/test-story/sources"
    bad = client.post(page, data={"csrf_token": token(client, page), "url": "ftp://feeds.example/x", "kind": "feed"})
    assert bad.status_code == 422
    assert "not a web address" in bad.get_data(as_text=True)
    assert 'value="ftp://feeds.example/x"' in bad.get_data(as_text=True)
    ok = client.post(
        page,
        data={
            "csrf_token": token(client, page),
            "url": "https://feeds.example/acme.xml",
            "kind": "feed",
            "outlet": "Feeds",
        },
    )
    assert ok.status_code == 302
    [source] = sources.list_sources(db, story["id"])
    db.execute(
        "UPDATE sources SET failures = 2, last_error = 'HTTP 503 from feeds.example', "
        "last_fetched_at = '2026-11-24T10:00:00Z' WHERE id = ?",
        [source["id"]],
    )
    db.conn.commit()
    html = client.get(page).get_data(as_text=True)
    assert "Failing ×2" in html and "HTTP 503 from feeds.example" in html
    assert '<td class="num" data-label="Items">0</td>' in html
    dashboard = client.get("/stories/test-story/dashboard").get_data(as_text=True)
    assert "Failing sources" in dashboard and "HTTP 503 from feeds.example" in dashboard
    detail = client.get(f"/sources/{source['id']}")
    assert detail.status_code == 200
    paused = client.post(f"/sources/{source['id']}/state", data={"csrf_token": token(client), "state": "paused"})
    assert paused.status_code == 302
    assert sources.get_source(db, source["id"])["state"] == "paused"


# The claims list


@pytest.fixture
def many(db, story, accounts):
    """45 claims over three days, two outlets, mixed claimant types and statuses; some without evidence."""
    _, rev_a = add_coverage(
        db, story, text="Contoso said the merger is off. " * 3, url="https://a.example/1", outlet="Alpha News"
    )
    _, rev_b = add_coverage(
        db, story, text="Fabrikam denied the report. " * 3, url="https://b.example/1", outlet="Beta Wire"
    )
    ids = []
    for n in range(45):
        kind = ("named", "anonymous", "organization")[n % 3]
        claim_id = claims.log_claim(
            db, story["id"], f"Claim number {n} about the merger", f"Speaker {n}", kind, accounts["reporter"]
        )
        db.execute(
            "UPDATE claims SET first_reported_at = ? WHERE id = ?", [f"2026-03-0{1 + n % 3}T10:{n:02d}:00Z", claim_id]
        )
        if n % 5:
            revision = rev_a if n % 2 else rev_b
            quote = "Contoso said the merger is off." if n % 2 else "Fabrikam denied the report."
            claims.add_evidence(db, claim_id, revision, quote, "supports", accounts["reporter"])
            db.execute(
                "UPDATE claims SET first_reported_at = ? WHERE id = ?",
                [f"2026-03-0{1 + n % 3}T10:{n:02d}:00Z", claim_id],
            )
        ids.append(claim_id)
    db.conn.commit()
    return ids


def listed(html: str) -> list[int]:
    return [int(i) for i in re.findall(r'class="claim-row-text" href="/claims/(\d+)"', html)]


def test_filters_narrow_the_list(client, auth, many, db):
    auth.login("reporter")
    get = lambda **q: listed(client.get("/stories/test-story", query_string=q).get_data(as_text=True))  # noqa: E731
    anonymous = get(claimant_type="anonymous")
    assert anonymous and all(
        db.execute("SELECT claimant_type FROM claims WHERE id = ?", [i]).fetchone()[0] == "anonymous" for i in anonymous
    )
    no_evidence = get(evidence="no")
    assert sorted(no_evidence) == sorted(many[n] for n in range(45) if n % 5 == 0)
    alpha = get(outlet="Alpha News")
    assert sorted(alpha) == sorted(many[n] for n in range(45) if n % 5 and n % 2)
    day = get(since="2026-03-02", until="2026-03-02")
    assert sorted(day) == sorted(many[n] for n in range(45) if n % 3 == 1)
    both = get(claimant_type="named", evidence="yes", since="2026-03-01", until="2026-03-01")
    assert sorted(both) == sorted(many[n] for n in range(45) if n % 3 == 0 and n % 5)


def test_the_calendars_last_day_as_to_date_lists_everything_since_from(client, auth, many, db):
    """9999-12-31 is a date like any other: there is no next day to stop before, and it was a 500."""
    expected = sorted(many[n] for n in range(45) if n % 3)
    auth.login("reporter")
    page = client.get("/stories/test-story", query_string={"since": "2026-03-02", "until": "9999-12-31"})
    assert page.status_code == 200
    assert sorted(listed(page.get_data(as_text=True))) == expected
    token = users.create_token(db, "reporter")
    api = client.get(
        "/api/stories/test-story/claims",
        query_string={"since": "2026-03-02", "until": "9999-12-31"},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert api.status_code == 200
    assert sorted(c["id"] for c in api.get_json()["claims"]) == expected


@pytest.mark.parametrize(
    "query",
    [
        {"since": "03/02/2026"},
        {"until": "2026-13-45"},
        {"since": "2026-03-03", "until": "2026-03-01"},
        {"evidence": "maybe"},
        {"status": "' OR 1=1 --"},
        {"claimant_type": "robot"},
        {"sort": "random()"},
        {"after": "no-cursor"},
    ],
)
def test_bad_filters_are_explained_not_errors(client, auth, many, query):
    auth.login("reporter")
    response = client.get("/stories/test-story", query_string=query)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "Those filters cannot be applied" in html and "Traceback" not in html


@pytest.mark.parametrize(
    "q", ["'; DROP TABLE claims; --", '" OR 1=1', "merger*) OR (", "NEAR(a b", "%_\\", "claims_fts MATCH 'x'"]
)
def test_sql_and_fts_metacharacters_in_search_and_filters_are_inert(client, auth, many, db, q):
    auth.login("reporter")
    for params in ({"q": q}, {"q": q, "sort": "oldest"}, {"outlet": q}, {"q": q, "outlet": q}):
        assert client.get("/stories/test-story", query_string=params).status_code == 200
    assert db.execute("SELECT count(*) FROM claims").fetchone()[0] == 45


def test_pages_walk_the_whole_list_forwards_and_back(client, auth, many, monkeypatch):
    from tracker.editor import stories as story_pages

    monkeypatch.setattr(story_pages, "PAGE_SIZE", 20)
    auth.login("reporter")
    for sort in ("newest", "oldest", "updated", "claimant"):
        seen, pages, url = [], [], f"/stories/test-story?sort={sort}"
        while url:
            html = client.get(url).get_data(as_text=True)
            pages.append((url, listed(html)))
            seen += listed(html)
            match = re.search(r'rel="next" href="([^"]+)"', html)
            url = match.group(1).replace("&amp;", "&") if match else None
        assert sorted(seen) == sorted(many) and len(seen) == 45, sort
        html = client.get(pages[-1][0]).get_data(as_text=True)
        back = re.search(r'rel="prev" href="([^"]+)"', html).group(1).replace("&amp;", "&")
        assert listed(client.get(back).get_data(as_text=True)) == pages[-2][1], sort


@pytest.mark.parametrize(
    ("query", "page"),
    [
        ({"sort": "oldest"}, 2),
        ({"sort": "claimant", "outlet": "Alpha News"}, 2),
        ({"q": "merger"}, 3),  # best match: pages by offset
        ({"sort": "newest"}, 99),  # past the end: the last page
        ({"sort": "newest"}, "two"),  # not a page number: the first
    ],
)
def test_a_page_number_in_the_address_opens_that_page_of_the_list(client, auth, many, monkeypatch, query, page):
    """`?page=3` was ignored: the first page came back under an address that asked for the third."""
    from tracker.editor import stories as story_pages

    monkeypatch.setattr(story_pages, "PAGE_SIZE", 10)
    auth.login("reporter")
    pages, url = [], "/stories/test-story?" + urlencode(query)
    while url:
        html = client.get(url).get_data(as_text=True)
        pages.append(listed(html))
        match = re.search(r'rel="next" href="([^"]+)"', html)
        url = match.group(1).replace("&amp;", "&") if match else None
    assert len(pages) > 1
    wanted = pages[min(page, len(pages)) - 1] if isinstance(page, int) else pages[0]
    response = client.get("/stories/test-story", query_string={**query, "page": page})
    assert response.status_code == 302
    assert "page=" not in response.headers["Location"]
    assert listed(client.get(response.headers["Location"]).get_data(as_text=True)) == wanted


def test_search_shows_escaped_snippets_with_the_words_marked(client, auth, accounts, story, db):
    claims.log_claim(
        db, story["id"], f"The merger <b>collapsed</b> {XSS} after talks", "", "unattributed", accounts["reporter"]
    )
    auth.login("reporter")
    for sort in ("relevance", "newest"):
        html = client.get("/stories/test-story", query_string={"q": "collapsed", "sort": sort}).get_data(as_text=True)
        assert "<mark>collapsed</mark>" in html
        assert "&lt;b&gt;<mark>collapsed</mark>&lt;/b&gt;" in html
        assert "<script>alert" not in html and "<img src=x" not in html and 'href="javascript:' not in html


# Editing a claim


def test_reporter_edits_a_claim_and_the_version_moves(client, auth, accounts, story, db):
    claim_id, _ = claim_with_evidence(db, story, accounts["reporter"])
    auth.login("reporter")
    form = client.get(f"/claims/{claim_id}/edit").get_data(as_text=True)
    response = client.post(
        f"/claims/{claim_id}/edit",
        data={
            "csrf_token": csrf_from(form),
            "version": version_on(form),
            "text": "Acme's new plant is fully funded",
            "claimant": "Acme",
            "claimant_type": "organization",
            "source_identity": "Jo Bloggs",
            "internal_notes": "Checked",
        },
    )
    assert response.status_code == 302
    claim = claims.get_claim(db, claim_id)
    assert (claim["text"], claim["internal_notes"], claim["version"]) == (
        "Acme's new plant is fully funded",
        "Checked",
        2,
    )


def test_a_stale_edit_shows_both_versions_and_loses_nothing(app, client, auth, accounts, story, db):
    claim_id, _ = claim_with_evidence(db, story, accounts["reporter"])
    auth.login("reporter")
    form = client.get(f"/claims/{claim_id}/edit").get_data(as_text=True)
    other = app.test_client()
    AuthActions(other).login("editor")
    other_form = other.get(f"/claims/{claim_id}/edit").get_data(as_text=True)
    first = other.post(
        f"/claims/{claim_id}/edit",
        data={
            "csrf_token": csrf_from(other_form),
            "version": version_on(other_form),
            "text": "Editor's sharper wording",
            "claimant": "Acme",
            "claimant_type": "organization",
            "source_identity": "Jo Bloggs",
            "internal_notes": "",
        },
    )
    assert first.status_code == 302
    mine = {
        "text": "My careful rewrite of the claim",
        "claimant": "Acme's spokesperson",
        "claimant_type": "named",
        "source_identity": "Jo Bloggs, comms",
        "internal_notes": "Two calls on Tuesday",
    }
    stale = client.post(
        f"/claims/{claim_id}/edit", data={"csrf_token": csrf_from(form), "version": version_on(form), **mine}
    )
    assert stale.status_code == 409
    html = stale.get_data(as_text=True)
    assert "Editor&#39;s sharper wording" in html  # theirs
    for value in (
        "My careful rewrite of the claim",
        "Acme&#39;s spokesperson",
        "Jo Bloggs, comms",
        "Two calls on Tuesday",
    ):
        assert html.count(value) >= 2, value  # shown beside theirs and kept in the form to submit again
    assert f'name="version" value="{claims.get_claim(db, claim_id)["version"]}"' in html
    assert '<option value="named" selected>' in html
    assert claims.get_claim(db, claim_id)["text"] == "Editor's sharper wording"
    again = client.post(
        f"/claims/{claim_id}/edit", data={"csrf_token": csrf_from(html), "version": version_on(html), **mine}
    )
    assert again.status_code == 302
    assert claims.get_claim(db, claim_id)["text"] == "My careful rewrite of the claim"


def test_an_empty_claim_text_is_refused_and_the_form_kept(client, auth, accounts, story, db):
    claim_id, _ = claim_with_evidence(db, story, accounts["reporter"])
    auth.login("reporter")
    form = client.get(f"/claims/{claim_id}/edit").get_data(as_text=True)
    response = client.post(
        f"/claims/{claim_id}/edit",
        data={
            "csrf_token": csrf_from(form),
            "version": "1",
            "text": "  ",
            "claimant": "Kept claimant",
            "claimant_type": "organization",
            "source_identity": "",
            "internal_notes": "Kept notes",
        },
    )
    assert response.status_code == 422
    assert "Kept notes</textarea>" in response.get_data(as_text=True)
    assert claims.get_claim(db, claim_id)["version"] == 1


def test_a_claim_longer_than_the_limit_is_refused_with_the_whole_text_kept_in_the_form(
    client, auth, accounts, story, db
):
    # The API refused more than 5,000 characters; the form took 1 MB, which the public site then could not read.
    claim_id, _ = claim_with_evidence(db, story, accounts["reporter"])
    auth.login("reporter")
    form = client.get(f"/claims/{claim_id}/edit").get_data(as_text=True)
    long_text = "Acme said " + "very " * 1200 + "much."
    response = client.post(
        f"/claims/{claim_id}/edit",
        data={
            "csrf_token": csrf_from(form),
            "version": "1",
            "text": long_text,
            "claimant": "Kept claimant",
            "claimant_type": "organization",
            "source_identity": "",
            "internal_notes": "Kept notes",
        },
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "The claim is 6,015 characters, over the limit of 5,000" in html
    assert long_text in html and "Kept notes</textarea>" in html
    assert claims.get_claim(db, claim_id)["version"] == 1


# Evidence from a URL


PAGE = """<html><head><title>Acme statement</title><link rel="canonical" href="{url}"></head>
<body><article><h1>Acme statement on the plant</h1>
<p>Acme said on Tuesday that the plant is fully funded and will employ 400 people.</p>
<p>The company did not give a date for the opening of the plant in the harbour district.</p></article></body></html>"""


def loopback_fetcher():
    """A fetcher that may reach the test's own server on 127.0.0.1 (the default one refuses private addresses)."""
    from scrapers.http import Fetcher

    return Fetcher("test-agent", allow_private=True, min_interval=0, retries=0)


fetching = pytest.mark.parametrize("app_options", [{"fetcher_factory": loopback_fetcher}])


@fetching
def test_evidence_from_a_url_is_ingested_then_checked(client, auth, accounts, story, db, http_server):
    claim_id = claims.log_claim(db, story["id"], "Funded plant", "Acme", "organization", accounts["reporter"])
    http_server.route("/robots.txt", "", status=404)
    url = http_server.route("/statement", PAGE.format(url=http_server.url("/statement")))
    auth.login("reporter")
    page = client.get(f"/claims/{claim_id}").get_data(as_text=True)
    wrong = client.post(
        f"/claims/{claim_id}/evidence",
        data={"csrf_token": csrf_from(page), "url": url, "quote": "hiring 4,000", "stance": "supports"},
    )
    assert wrong.status_code == 422
    assert "The quote is not in the stored text" in wrong.get_data(as_text=True)
    response = client.post(
        f"/claims/{claim_id}/evidence",
        data={"csrf_token": csrf_from(page), "url": url, "quote": QUOTE, "stance": "supports"},
    )
    assert response.status_code == 302
    [evidence] = claims.evidence_for(db, claim_id)
    assert evidence["quote"] == QUOTE and evidence["canonical_url"].endswith("/statement")


@fetching
def test_a_url_that_fails_is_explained(client, auth, accounts, story, db, http_server):
    claim_id = claims.log_claim(db, story["id"], "Funded plant", "Acme", "organization", accounts["reporter"])
    http_server.route("/robots.txt", "", status=404)
    missing = http_server.url("/gone")
    feed = http_server.route(
        "/feed.xml",
        "<?xml version='1.0'?><rss version='2.0'><channel><title>F</title></channel></rss>",
        content_type="application/rss+xml",
    )
    auth.login("reporter")
    page = client.get(f"/claims/{claim_id}").get_data(as_text=True)
    for url, message in ((missing, "HTTP 404"), (feed, "is a feed"), ("javascript:alert(1)", "full web address")):
        response = client.post(
            f"/claims/{claim_id}/evidence",
            data={"csrf_token": csrf_from(page), "url": url, "quote": QUOTE, "stance": "supports"},
        )
        assert response.status_code == 422, url
        html = response.get_data(as_text=True)
        assert message in html, (url, html[html.find("alert--error") :][:400])
        assert 'aria-invalid="true"' in html
    assert claims.evidence_for(db, claim_id) == []


# Rulings


def ruling(client, claim_id, **fields):
    page = client.get(f"/claims/{claim_id}").get_data(as_text=True)
    data = {
        "csrf_token": csrf_from(page),
        "version": version_on(page),
        "status": "confirmed",
        "rationale": "Filed documents agree.",
    }
    data.update(fields)
    return client.post(f"/claims/{claim_id}/status", data=data)


def test_a_ruling_must_cite_the_claims_own_evidence(client, auth, accounts, story, db):
    claim_id, evidence_id = claim_with_evidence(db, story, accounts["reporter"])
    other_id, other_evidence = claim_with_evidence(db, story, accounts["reporter"], text="Another claim")
    auth.login("editor")
    none = ruling(client, claim_id)
    assert none.status_code == 400 and "Cite the evidence" in none.get_data(as_text=True)
    assert "Filed documents agree.</textarea>" in none.get_data(as_text=True)
    foreign = ruling(client, claim_id, evidence_ids=str(other_evidence))
    assert foreign.status_code == 400 and "not evidence of claim" in foreign.get_data(as_text=True)
    assert claims.history(db, claim_id) == []
    assert ruling(client, claim_id, evidence_ids=str(evidence_id)).status_code == 302
    assert claims.history(db, claim_id)[0]["cited_evidence_ids"] == [evidence_id]
    page = client.get(f"/claims/{claim_id}").get_data(as_text=True)
    assert f'href="#evidence-{evidence_id}"' in page


def test_the_correction_form_does_not_offer_to_leave_the_required_public_note_empty(
    client, auth, accounts, story, db, tmp_path
):
    """Marked publishable, the ruling form called the note required and, beneath it, said to leave it empty; and it
    called the claim published while the same page said it goes to readers with the next publish."""
    claim_id, evidence_id = claim_with_evidence(db, story, accounts["reporter"])
    claims.set_status(db, claim_id, "unclear", accounts["editor"], "One source", 1, evidence_ids=[evidence_id])
    claims.set_published(db, claim_id, True, accounts["editor"], 2)
    publish_and_log(db, tmp_path / "public.db", accounts["editor"])
    auth.login("editor")
    form = BeautifulSoup(client.get(f"/claims/{claim_id}").get_data(as_text=True), "html.parser").select_one(
        "form.ruling-form"
    )
    assert form.select_one("#public_rationale").has_attr("required")
    hint = form.select_one("#public_rationale-hint").get_text(" ", strip=True)
    assert "Leave empty" not in hint and "correction" in hint
    notice = form.select_one(".alert--warning").get_text(" ", strip=True)
    assert notice.startswith("Readers have been shown a ruling of this claim")


def test_changing_a_published_ruling_is_a_public_correction_with_a_note(client, auth, accounts, story, db, tmp_path):
    claim_id, evidence_id = claim_with_evidence(db, story, accounts["reporter"])
    claims.set_status(db, claim_id, "unclear", accounts["editor"], "One source", 1, evidence_ids=[evidence_id])
    claims.set_published(db, claim_id, True, accounts["editor"], 2)
    auth.login("editor")
    # Marked publishable, not yet published: readers have seen no ruling, so none is being corrected.
    assert "public correction" not in client.get(f"/claims/{claim_id}").get_data(as_text=True)
    publish_and_log(db, tmp_path / "public.db", accounts["editor"])
    page = client.get(f"/claims/{claim_id}").get_data(as_text=True)
    assert "a new ruling is recorded as a correction" in page
    refused = ruling(client, claim_id, evidence_ids=str(evidence_id))
    assert refused.status_code == 400 and "this ruling is a correction" in refused.get_data(as_text=True)
    done = ruling(
        client, claim_id, evidence_ids=str(evidence_id), public_rationale="Documents filed on Friday confirm it."
    )
    assert done.status_code == 302
    last = claims.history(db, claim_id)[-1]
    assert (last["is_correction"], last["public_rationale"]) == (1, "Documents filed on Friday confirm it.")
    # It said "Claim marked confirmed. The ruling is in the history.", as if nothing were owed to readers.
    said = client.get(done.headers["Location"]).get_data(as_text=True)
    assert "Correction recorded: the claim is now confirmed. Readers see it, with the public rationale" in said
    # The history names it as readers, the Publish page and `publish` do: one word, from one place.
    shown = BeautifulSoup(client.get(f"/claims/{claim_id}").get_data(as_text=True), "html.parser")
    assert [t.get_text(strip=True) for t in shown.select(".tag--correction")] == [KIND_LABELS["correction"]]
    assert "public correction" not in str(shown).lower()


def test_cited_evidence_of_a_ruling_is_append_only(db, story, accounts):
    claim_id, evidence_id = claim_with_evidence(db, story, accounts["reporter"])
    claims.set_status(db, claim_id, "confirmed", accounts["editor"], "Documents", 1, evidence_ids=[evidence_id])
    for statement in ("UPDATE status_history_evidence SET evidence_id = 0", "DELETE FROM status_history_evidence"):
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            db.execute(statement)
        db.conn.rollback()
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        db.execute("UPDATE status_history SET rationale = 'rewritten'")
    db.conn.rollback()
    assert claims.history(db, claim_id)[0]["cited_evidence_ids"] == [evidence_id]


# Coverage revisions and changed evidence


def test_changed_evidence_is_flagged_until_cited_again(client, auth, accounts, story, db):
    item, revision_id = add_coverage(db, story)
    claim_id, _ = claim_with_evidence(db, story, accounts["reporter"], revision_id=revision_id)
    auth.login("reporter")
    assert "Evidence changed: review" not in client.get(f"/claims/{claim_id}").get_data(as_text=True)
    changed_text = ARTICLE.replace("is fully funded", "is <b>partly</b> funded")
    new_revision, created = coverage.add_revision(db, item, changed_text)
    assert created
    page = client.get(f"/claims/{claim_id}").get_data(as_text=True)
    assert "Evidence changed: review" in page
    assert f"/coverage/{item}?from={revision_id}&amp;to={new_revision}#diff" in page
    assert "Evidence changed" in client.get("/stories/test-story/dashboard").get_data(as_text=True)
    diff = client.get(f"/coverage/{item}").get_data(as_text=True)
    assert '<del class="diff-del">fully</del>' in diff
    assert '<ins class="diff-ins">&lt;b&gt;partly&lt;/b&gt;</ins>' in diff
    assert "Evidence changed: review" in diff
    claims.add_evidence(db, claim_id, new_revision, "is <b>partly</b> funded", "contradicts", accounts["reporter"])
    assert "Evidence changed: review" not in client.get(f"/claims/{claim_id}").get_data(as_text=True)


def test_coverage_page_marks_quotes_and_lists_citing_claims(client, auth, accounts, story, db):
    item, revision_id = add_coverage(db, story)
    claim_id, _ = claim_with_evidence(db, story, accounts["reporter"], revision_id=revision_id)
    auth.login("reporter")
    html = client.get(f"/coverage/{item}").get_data(as_text=True)
    assert f'<mark title="Cited by claim {claim_id}">{QUOTE}</mark>' in html
    assert f'href="/claims/{claim_id}"' in html
    listing = client.get("/stories/test-story/coverage").get_data(as_text=True)
    assert f'href="/coverage/{item}"' in listing
    assert client.get(f"/coverage/{item}?from=abc&to=-1").status_code == 200


@pytest.mark.parametrize("rev", ["999", "99999999999999999999", "abc", "other"])
def test_a_revision_that_is_not_this_items_is_a_one_line_not_found(client, auth, accounts, story, db, rev):
    """A link to a revision that does not exist, or to another item's, must not quietly show this item's latest
    text as if it were the one asked for, nor ever show the other item's."""
    item, revision_id = add_coverage(db, story)
    other, other_revision = add_coverage(db, story, text="A different article entirely.", url="https://news.example/b")
    rev = str(other_revision) if rev == "other" else rev
    auth.login("reporter")
    response = client.get(f"/coverage/{item}?rev={rev}")
    page = response.get_data(as_text=True)
    assert response.status_code == 404
    assert f"Coverage item {item} has no revision {rev}." in html_lib.unescape(page)
    assert f'href="/coverage/{item}">Read the latest revision</a>' in page
    assert "A different article entirely." not in page and "Acme Widgets said" not in page
    assert client.get(f"/coverage/{item}?rev={revision_id}").status_code == 200
    assert client.get(f"/coverage/{item}?rev=").status_code == 200


def test_coverage_page_says_where_the_date_came_from_and_which_dates_were_doubted(client, auth, accounts, story, db):
    from tracker import store

    page = (
        '<html><head><meta property="og:site_name" content="Example Wire">'
        '<script type="application/ld+json">{"@type": "NewsArticle", "datePublished": "2099-01-01T00:00:00Z",'
        ' "author": {"@type": "Organization", "name": "Example Wire"}}</script></head>'
        "<body><article><h1>Acme plant funded</h1><p class='date'>14 March 2026</p>"
        f"<p>{ARTICLE}</p></article></body></html>"
    )
    result = store.ingest_page(db, story, "https://wire.example/news/2026/03/14/acme", page.encode())
    auth.login("reporter")
    html = client.get(f"/coverage/{result['coverage_id']}").get_data(as_text=True)
    assert "(from url, text" in html
    assert 'By Example Wire <span class="tag">Organisation</span>' in html
    assert "Dates on the page that were not used:" in html
    assert "<li>2099-01-01T00:00:00Z (json-ld datePublished): in the future</li>" in html


def test_coverage_page_says_when_its_last_check_failed_or_the_page_has_gone(client, auth, accounts, story, db):
    """A recheck that met a bot check or a "not found" keeps the last good text; the page says so, and why."""
    item, _ = add_coverage(db, story)
    reason = 'news.example answered with a bot check ("<b>Just a moment</b>" page) instead of the page'
    db.execute(
        "UPDATE coverage SET check_failures = 2, check_error = ?, last_checked_at = ?, next_check_at = ? WHERE id = ?",
        [reason, "2026-03-14T09:00:00Z", "2026-03-14T10:00:00Z", item],
    )
    db.conn.commit()
    auth.login("reporter")
    html = client.get(f"/coverage/{item}").get_data(as_text=True)
    assert "The last 2 checks of this page failed" in html
    assert "&lt;b&gt;Just a moment&lt;/b&gt;" in html and "<b>Just a moment</b>" not in html
    assert "The text below is the last one stored" in html
    listing = client.get(f"/stories/{story['slug']}/coverage").get_data(as_text=True)
    assert ">Check failed</span>" in listing

    db.execute("UPDATE coverage SET gone_at = ?, check_error = 'HTTP 404' WHERE id = ?", ["2026-03-15T08:00:00Z", item])
    db.conn.commit()
    html = client.get(f"/coverage/{item}").get_data(as_text=True)
    assert "This page has gone" in html and "no longer checked" in html
    assert "The last 2 checks" not in html
    listing = client.get(f"/stories/{story['slug']}/coverage").get_data(as_text=True)
    assert ">Gone</span>" in listing and ">Check failed</span>" not in listing


# Publishing


def test_publish_now_builds_the_public_file_and_shows_what_changed(app, client, auth, accounts, story, db):
    claim_id, evidence_id = claim_with_evidence(db, story, accounts["reporter"])
    claims.set_status(db, claim_id, "unclear", accounts["editor"], "One source", 1, evidence_ids=[evidence_id])
    claims.set_published(db, claim_id, True, accounts["editor"], 2)
    auth.login("editor")
    preview = client.get("/publish").get_data(as_text=True)
    assert "Goes public" in preview and "Acme&#39;s plant is fully funded" in preview
    response = client.post("/publish", data=publish_form(client, preview))
    assert response.status_code == 302
    result = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "went public" in result and "Acme&#39;s plant is fully funded" in result
    public = sqlite3.connect(app.config["PUBLIC_DB"])
    assert public.execute("SELECT id, status FROM claims").fetchall() == [(claim_id, "unclear")]
    assert "source_identity" not in {r[1] for r in public.execute("PRAGMA table_info(claims)")}
    public.close()

    claims.set_status(
        db, claim_id, "confirmed", accounts["editor"], "Filing", 3, "A filing confirms it.", evidence_ids=[evidence_id]
    )
    preview = client.get("/publish").get_data(as_text=True)
    assert "Status" in preview and "badge badge--confirmed" in preview
    again = client.post("/publish", data=publish_form(client, preview))
    log = db.execute("SELECT added, status_changed, removed FROM publish_log ORDER BY id").fetchall()
    assert log == [(1, 0, 0), (0, 1, 0)]
    assert "1</span> new status" in client.get(again.headers["Location"]).get_data(as_text=True)
    assert "Readers already see exactly" in client.get("/publish").get_data(as_text=True)


def test_a_failed_publish_is_reported_and_changes_nothing(app, client, auth, accounts, db, tmp_path):
    app.config["PUBLIC_DB"] = str(tmp_path / "missing-dir" / "public.db")
    auth.login("editor")
    page = client.get("/publish").get_data(as_text=True)
    assert "Publishing would fail" in page and "missing-dir" in page
    response = client.post("/publish", data=publish_form(client, page), follow_redirects=True)
    assert "Nothing was published" in response.get_data(as_text=True)
    assert db.execute("SELECT count(*) FROM publish_log").fetchone()[0] == 0


# People and accounts


def test_admin_creates_promotes_resets_and_deactivates_a_user(app, client, auth, accounts, db):
    auth.login("admin")
    created = client.post(
        "/admin/users", data={"csrf_token": token(client, "/admin/users"), "username": "nadia", "role": "reporter"}
    )
    assert created.status_code == 200
    password = re.search(r'<p class="secret"><code>([^<]+)</code>', created.get_data(as_text=True)).group(1)
    nadia = users.find_user(db, "nadia")
    assert users.authenticate(db, "nadia", password)["role"] == "reporter"

    other = app.test_client()
    assert AuthActions(other).login("nadia", password).status_code == 302
    client.post(f"/admin/users/{nadia['id']}/role", data={"csrf_token": token(client), "role": "editor"})
    assert users.get_user(db, nadia["id"])["role"] == "editor"
    reset = client.post(f"/admin/users/{nadia['id']}/password", data={"csrf_token": token(client)})
    new_password = re.search(r'<p class="secret"><code>([^<]+)</code>', reset.get_data(as_text=True)).group(1)
    assert users.authenticate(db, "nadia", password) is None and users.authenticate(db, "nadia", new_password)
    client.post(f"/admin/users/{nadia['id']}/active", data={"csrf_token": token(client), "active": "0"})
    assert other.get("/").status_code == 302  # signed out at once
    assert AuthActions(app.test_client()).login("nadia", new_password).status_code == 401


def test_admins_cannot_lock_themselves_or_everyone_out(client, auth, accounts, db):
    auth.login("admin")
    me = accounts["admin"]["id"]
    own = client.post(f"/admin/users/{me}/active", data={"csrf_token": token(client), "active": "0"})
    assert own.status_code == 400 and "your own account" in own.get_data(as_text=True)
    last = client.post(f"/admin/users/{me}/role", data={"csrf_token": token(client), "role": "reporter"})
    assert last.status_code == 400 and "last active admin" in last.get_data(as_text=True)
    bad = client.post(
        "/admin/users", data={"csrf_token": token(client, "/admin/users"), "username": "x y", "role": "reporter"}
    )
    assert bad.status_code == 422
    assert users.get_user(db, me)["role"] == "admin" and users.get_user(db, me)["active"] == 1


def test_api_tokens_are_shown_once_work_and_can_be_revoked(client, auth, accounts, db):
    auth.login("reporter")
    page = client.post("/account/tokens", data={"csrf_token": token(client, "/account")}).get_data(as_text=True)
    api_token = re.search(r'<p class="secret"><code>([^<]+)</code>', page).group(1)
    assert api_token not in client.get("/account").get_data(as_text=True)
    fresh = client.application.test_client()
    assert fresh.get("/api/stories", headers={"Authorization": f"Bearer {api_token}"}).status_code == 200
    [row] = users.list_tokens(db, accounts["reporter"]["id"])
    client.post(f"/account/tokens/{row['id']}/revoke", data={"csrf_token": token(client, "/account")})
    assert fresh.get("/api/stories", headers={"Authorization": f"Bearer {api_token}"}).status_code == 401


def test_people_change_their_own_password(client, auth, accounts, db):
    auth.login("reporter")
    wrong = client.post(
        "/account/password",
        data={
            "csrf_token": token(client, "/account"),
            "current": "nope",
            "new": "a-new-password",
            "confirm": "a-new-password",
        },
    )
    assert wrong.status_code == 422
    ok = client.post(
        "/account/password",
        data={
            "csrf_token": token(client, "/account"),
            "current": PASSWORD,
            "new": "a-new-password",
            "confirm": "a-new-password",
        },
    )
    assert ok.status_code == 302
    assert users.authenticate(db, "reporter", "a-new-password")


# CSRF and escaping everywhere


def _post_routes(app) -> list[str]:
    return sorted(
        {rule.rule for rule in app.url_map.iter_rules() if "POST" in rule.methods and not rule.rule.startswith("/api/")}
    )


def test_every_form_post_without_a_csrf_token_is_refused(app, client, auth, accounts, story, db):
    claim_id, evidence_id = claim_with_evidence(db, story, accounts["reporter"])
    source = sources.add_source(db, story["id"], "https://feeds.example/x.xml", "feed")
    before = db.execute("SELECT total_changes()").fetchone()[0]
    auth.login("admin")
    values = {
        "slug": "test-story",
        "claim_id": claim_id,
        "user_id": accounts["reporter"]["id"],
        "source_id": source["id"],
        "token_id": 1,
        "question_id": 1,
        "development_id": 1,
        "subscription_id": 1,
        "destination_id": 1,
        "coverage_id": 1,
        "capture_id": 1,
        "page": 1,
        "token": "1.AAAAAAAAAAAAAAAAAAAAAAAA",
    }
    for rule in _post_routes(app):
        if rule == "/login":
            continue
        url = re.sub(r"<(?:int:)?(\w+)>", lambda m: str(values[m.group(1)]), rule)
        if rule.startswith("/alerts/unsubscribe/"):
            # An alert email's one-click unsubscribe, POSTed by a mailbox provider, which holds no CSRF token
            # (RFC 8058): its signed token is its check, and a made-up one changes nothing (test_alert_unsubscribe).
            assert client.post(url, data={"List-Unsubscribe": "One-Click"}).status_code == 200
            continue
        data = {
            "status": "confirmed",
            "rationale": "x",
            "version": "1",
            "evidence_ids": str(evidence_id),
            "text": "Planted",
            "claimant_type": "named",
            "title": "T",
            "url": "https://x.example/",
            "kind": "feed",
            "role": "reporter",
            "username": "planted",
            "active": "0",
            "state": "paused",
            "published": "1",
        }
        response = client.post(url, data=data)
        assert response.status_code == 400, rule
        assert "security token" in response.get_data(as_text=True), rule
    page_changes = db.execute("SELECT total_changes()").fetchone()[0]
    assert page_changes == before
    assert claims.history(db, claim_id) == [] and users.find_user(db, "planted") is None
    assert client.get("/").status_code == 200  # still signed in: logout was refused too


def test_typed_and_scraped_markup_is_inert_on_every_page(app, client, auth, accounts, db, tmp_path):
    story = stories.create_story(db, "xss-story", f"Story {XSS}", description=XSS)
    item, revision_id = add_coverage(
        db,
        story,
        text=f"Before {XSS} quoted {XSS} after",
        title=f"Title {XSS}",
        url="javascript:alert(4)",
        outlet=f"Outlet {XSS}",
    )
    claim_id = claims.log_claim(
        db,
        story["id"],
        f"Claim {XSS} words",
        f"Claimant {XSS}",
        "named",
        accounts["reporter"],
        internal_notes=XSS,
        source_identity=XSS,
    )
    evidence_id = claims.add_evidence(db, claim_id, revision_id, f"quoted {XSS}", "supports", accounts["reporter"])
    claims.set_status(
        db, claim_id, "unclear", accounts["editor"], f"Because {XSS}", 1, f"Public {XSS}", evidence_ids=[evidence_id]
    )
    claims.set_published(db, claim_id, True, accounts["editor"], 2)
    coverage.add_revision(db, item, f"Before {XSS} changed {XSS} after <i>new</i>")
    source = sources.add_source(db, story["id"], "https://feeds.example/xss.xml", "statement", f"Org {XSS}")
    db.execute("UPDATE sources SET failures = 1, last_error = ? WHERE id = ?", [f"Error {XSS}", source["id"]])
    db.execute(
        """INSERT INTO candidates (story_id, revision_id, kind, text, claimant, start, "end", fingerprint, created_at)
           VALUES (?, ?, 'claim', ?, ?, 0, 5, 'fp', 'now')""",
        [story["id"], revision_id, f"Candidate {XSS}", f"Who {XSS}"],
    )
    db.conn.commit()
    auth.login("admin")
    assert client.post("/publish", data=publish_form(client)).status_code == 302
    claims.update_claim(db, claim_id, accounts["editor"], 3, text=f"Reworded {XSS}")
    paths = [
        "/",
        "/stories/xss-story",
        "/stories/xss-story?q=reworded",
        "/stories/xss-story?q=reworded&sort=newest",
        "/stories/xss-story?outlet=" + "Outlet%20%3Cscript%3E",
        "/stories/xss-story/claims/new",
        f"/claims/{claim_id}",
        f"/claims/{claim_id}/edit",
        "/stories/xss-story/dashboard",
        "/stories/xss-story/coverage",
        f"/coverage/{item}",
        f"/coverage/{item}?rev={revision_id}",
        "/stories/xss-story/sources",
        f"/sources/{source['id']}",
        "/publish",
        "/publish/1",
    ]
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, path
        html = response.get_data(as_text=True)
        assert "<script>alert" not in html, path
        assert "<img src=x" not in html and 'onerror="alert' not in html, path
        assert 'href="javascript:' not in html, path
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html, path
    api = client.get(f"/api/claims/{claim_id}")
    assert api.headers["Content-Type"] == "application/json"
    assert api.headers["X-Content-Type-Options"] == "nosniff"


def test_a_search_with_too_many_matches_to_rank_lists_the_newest(client, auth, many, db, monkeypatch):
    monkeypatch.setattr(claim_queries, "RANK_BUDGET", 10)
    auth.login("reporter")
    html = client.get("/stories/test-story", query_string={"q": "merger"}).get_data(as_text=True)
    assert "45 claims contain the words" in html and "too many to rank" in html
    reported = [
        db.execute("SELECT first_reported_at FROM claims WHERE id = ?", [i]).fetchone()[0] for i in listed(html)
    ]
    assert len(reported) == 45 and reported == sorted(reported, reverse=True)
    assert "<mark>merger</mark>" in html


def result_note(html: str) -> str:
    return " ".join(BeautifulSoup(html, "html.parser").select_one(".result-note").get_text(" ", strip=True).split())


def test_a_search_whose_matches_are_all_shown_counts_them_once(client, auth, many, monkeypatch):
    """It said "45 claims contain the words · 45 claims shown matching “merger”": the same number twice."""
    auth.login("reporter")
    note = result_note(client.get("/stories/test-story", query_string={"q": "merger"}).get_data(as_text=True))
    assert note.startswith("45 claims contain the words “merger”"), note
    assert "shown" not in note
    # A page of them: how many there are, then how many this page shows.
    monkeypatch.setattr(stories_view, "PAGE_SIZE", 20)
    note = result_note(client.get("/stories/test-story", query_string={"q": "merger"}).get_data(as_text=True))
    assert note.startswith("45 claims contain the words · 20+ claims shown matching “merger”"), note


def test_a_search_counts_the_matches_of_this_story_alone(client, auth, many, db, accounts):
    """The count read every story's claims: another story's three "merger" claims made this one say 48."""
    other = stories.create_story(db, "other-story", "Another story")
    for n in range(3):
        claims.log_claim(db, other["id"], f"The merger elsewhere {n}", f"Speaker {n}", "named", accounts["reporter"])
    auth.login("reporter")
    note = result_note(client.get("/stories/test-story", query_string={"q": "merger"}).get_data(as_text=True))
    assert note.startswith("45 claims contain the words “merger”"), note
    note = result_note(client.get("/stories/other-story", query_string={"q": "merger"}).get_data(as_text=True))
    assert note.startswith("3 claims contain the words “merger”"), note


def test_a_story_with_more_matches_than_are_counted_says_more_than(client, auth, many, monkeypatch):
    monkeypatch.setattr(claim_queries, "MATCHES_COUNTED", 40)
    auth.login("reporter")
    note = result_note(client.get("/stories/test-story", query_string={"q": "merger"}).get_data(as_text=True))
    assert note.startswith("More than 40 claims contain the words"), note


def coverage_listed(html: str) -> list[int]:
    return [int(i) for i in re.findall(r'class="coverage-title" href="/coverage/(\d+)"', html)]


def page_links(html: str) -> dict[str, str]:
    soup = BeautifulSoup(html, "html.parser")
    return {a["rel"][0]: html_lib.unescape(a["href"]) for a in soup.select("nav.pager a[rel]")}


@pytest.mark.parametrize("order", ["published", "changed"])
def test_the_coverage_list_comes_in_pages_that_keep_their_order(client, auth, accounts, db, story, monkeypatch, order):
    """It listed up to 500 items on one page (190 KB at 481); now a page at a time, Next and Previous in the
    same order, each page starting at an item (not an offset), so an item arriving meanwhile moves nothing."""
    monkeypatch.setattr(coverage_view, "PAGE_SIZE", 3)
    for n in range(8):  # two share a date: the id breaks the tie
        coverage.upsert_item(
            db, story["id"], f"https://news.example/{n}", title=f"Item {n}", published_at=f"2025-03-0{min(n, 6) + 1}"
        )
    auth.login("reporter")
    path = "/stories/test-story/coverage" + ("?order=changed" if order == "changed" else "")
    everything = [i["id"] for i in coverage.list_items(db, story["id"], order)]
    html = client.get(path).get_data(as_text=True)
    assert "8 items" in html
    seen, pages = coverage_listed(html), [html]
    while "next" in page_links(html):
        link = page_links(html)["next"]
        assert (order == "changed") == ("order=changed" in link)
        html = client.get(link).get_data(as_text=True)
        pages.append(html)
        seen += coverage_listed(html)
    assert seen == everything and len(pages) == 3
    assert "Items 7–8 of 8" in " ".join(BeautifulSoup(pages[-1], "html.parser").get_text().split())
    # Back from the last page: the page before it, then the first (whose address is the list's own).
    middle = client.get(page_links(pages[-1])["prev"]).get_data(as_text=True)
    assert coverage_listed(middle) == everything[3:6]
    assert page_links(middle)["prev"] == path
    # A damaged position is the first page, never an error.
    assert (
        coverage_listed(client.get(path + ("&" if "?" in path else "?") + "at=%%%").get_data(as_text=True))
        == (everything[:3])
    )
    # A page named by number (a link of the older form) is that page, in the same order; past the end the last.
    for number, shown in (("2", everything[3:6]), ("3", everything[6:]), ("40", everything[6:]), ("x", everything[:3])):
        response = client.get(path + ("&" if "?" in path else "?") + f"page={number}")
        assert response.status_code == 302 and "page=" not in response.headers["Location"], number
        assert (order == "changed") == ("order=changed" in response.headers["Location"])
        assert coverage_listed(client.get(response.headers["Location"]).get_data(as_text=True)) == shown, number


def test_pooled_connections_never_carry_a_transaction_to_the_next_request(db_path, accounts, story, db):
    from tracker.editor import create_app

    app = create_app({"TESTING": True, "SECRET_KEY": "k", "DATABASE": str(db_path), "DB_POOL": True})
    client = app.test_client()
    AuthActions(client).login("reporter")
    page = client.get("/stories/new").get_data(as_text=True)
    refused = client.post("/stories/new", data={"csrf_token": csrf_from(page), "slug": "Bad Slug", "title": "T"})
    assert refused.status_code == 422
    with app.app_context():
        from tracker.editor.db import get_db

        pooled = get_db()
        assert not pooled.conn.in_transaction
    created = client.post("/stories/new", data={"csrf_token": csrf_from(page), "slug": "good-slug", "title": "T"})
    assert created.status_code == 302
    assert stories.get_story(db, "good-slug")["title"] == "T"  # committed, visible to another connection


@pytest.mark.parametrize("pooled", [True, False])
def test_what_people_type_is_synced_to_disk_before_the_page_says_saved(db_path, pooled):
    """The scraper's connections commit with synchronous=NORMAL: a power cut may take the last commits back.
    The editor's use FULL, so a claim or a ruling the page called saved is on the disk."""
    from tracker.editor import create_app
    from tracker.editor.db import get_db

    app = create_app({"TESTING": True, "SECRET_KEY": "k", "DATABASE": str(db_path), "DB_POOL": pooled})
    with app.test_request_context("/"):
        assert get_db().conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL


@fetching
def test_a_failed_evidence_address_is_advised_as_an_address_not_as_a_source(client, auth, accounts, story, db):
    """The form's address is not a source: a 404 is not "remove the source", a host down is no robots.txt puzzle."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        down = f"http://127.0.0.1:{s.getsockname()[1]}/statement"
    claim_id = claims.log_claim(db, story["id"], "Funded plant", "Acme", "organization", accounts["reporter"])
    auth.login("reporter")
    page = client.get(f"/claims/{claim_id}").get_data(as_text=True)
    response = client.post(
        f"/claims/{claim_id}/evidence",
        data={"csrf_token": csrf_from(page), "url": down, "quote": QUOTE, "stance": "supports"},
    )
    assert response.status_code == 422
    text = html_lib.unescape(response.get_data(as_text=True))
    # In the reporter's words, the address once: it read "Could not ingest URL: Could not fetch URL: ...".
    assert "Nothing was taken from that address. Could not connect to 127.0.0.1:" in text
    assert "(connection refused)" in text
    start = text.find("Nothing was taken from that address")
    said = text[start : text.find("<", start)]
    for words in ("source", "Errno", "robots.txt", "ingest"):
        assert words not in said, words
