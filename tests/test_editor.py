"""The editor through its real pages: login, the claims list, logging a claim with evidence, rulings."""

from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup
from werkzeug.exceptions import NotFound

from tests.conftest import csrf_from
from tracker import claims, coverage
from tracker.alerts import events
from tracker.db import transaction
from tracker.editor.evidence import highlight

ARTICLE = (
    "Acme Widgets said on Monday that its new plant would open in March.\n"
    "A spokesperson for Acme said the plant is fully funded and will employ 400 people.\n"
    "Analysts at Example Research were not convinced."
)
QUOTE = "the plant is fully funded and will employ 400 people"
XSS = "<script>alert(1)</script><img src=x onerror=alert(2)>"


def add_coverage(db, story, text=ARTICLE, title="Acme opens plant", url="https://news.example/acme-plant"):
    """A coverage item with one revision; returns the revision id."""
    coverage_id = coverage.upsert_item(db, story["id"], url, outlet="News Example", title=title)
    revision_id, _ = coverage.add_revision(db, coverage_id, text)
    return revision_id


def log_claim(db, story, user, text="Acme's plant is fully funded", claimant="Acme spokesperson"):
    return claims.log_claim(db, story["id"], text, claimant, "organization", user, source_identity="Jo Bloggs")


def claim_with_evidence(db, story, user, text="Acme's plant is fully funded") -> tuple[int, int]:
    """A claim with one evidence item from ARTICLE; returns (claim_id, evidence_id)."""
    revision_id = add_coverage(db, story)
    claim_id = log_claim(db, story, user, text=text)
    return claim_id, claims.add_evidence(db, claim_id, revision_id, QUOTE, "supports", user)


def version_on(html: str) -> str:
    match = re.search(r'name="version" value="(\d+)"', html)
    assert match, "page has no version field"
    return match.group(1)


def history_count(db, claim_id: int) -> int:
    return db.execute("SELECT count(*) FROM status_history WHERE claim_id = ?", [claim_id]).fetchone()[0]


# Signing in


def test_login_shows_the_user_and_role(client, auth, accounts):
    response = auth.login("editor")
    assert response.status_code == 302
    html = client.get("/").get_data(as_text=True)
    assert "editor" in html
    assert 'class="role role--editor"' in html
    assert 'action="/logout"' in html


def test_wrong_password_is_refused_with_a_message(client, auth, accounts):
    response = auth.login("editor", "not-the-password")
    assert response.status_code == 401
    assert "Wrong username or password" in response.get_data(as_text=True)
    assert client.get("/").status_code == 302


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/stories/test-story",
        "/stories/test-story/claims/new",
        "/claims/1",
        "/stories/no-such-story",
        "/claims/12345",
        "/no-such-page",
    ],
)
def test_anonymous_visitor_is_sent_to_login(client, story, db, accounts, path):
    log_claim(db, story, accounts["reporter"])
    response = client.get(path)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


def test_anonymous_post_changes_nothing(client, story, db, accounts):
    claim_id = log_claim(db, story, accounts["reporter"])
    token = csrf_from(client.get("/login").get_data(as_text=True))
    response = client.post(
        f"/claims/{claim_id}/status", data={"csrf_token": token, "status": "confirmed", "rationale": "x", "version": 1}
    )
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")
    assert history_count(db, claim_id) == 0


# Stories and claims lists


def test_story_list_shows_counts_by_status(client, auth, accounts, story, db):
    for _ in range(2):
        log_claim(db, story, accounts["reporter"])
    auth.login("reporter")
    html = client.get("/").get_data(as_text=True)
    assert "A test story" in html
    assert re.search(r'stat-num">2</span>\s*<span class="badge badge--unreviewed"', html)


def test_claims_list_filters_by_status_and_searches(client, auth, accounts, story, db):
    funded = log_claim(db, story, accounts["reporter"], text="The plant is fully funded")
    late = log_claim(db, story, accounts["reporter"], text="The opening is delayed", claimant="A supplier")
    claims.set_status(db, late, "unclear", accounts["editor"], "Only one source", 1)
    auth.login("reporter")

    everything = client.get("/stories/test-story").get_data(as_text=True)
    assert f"/claims/{funded}" in everything and f"/claims/{late}" in everything
    assert "badge badge--unclear" in everything

    unclear = client.get("/stories/test-story?status=unclear").get_data(as_text=True)
    assert f"/claims/{late}" in unclear and f"/claims/{funded}" not in unclear

    found = client.get("/stories/test-story?q=funded").get_data(as_text=True)
    assert f"/claims/{funded}" in found and f"/claims/{late}" not in found


@pytest.mark.parametrize(
    "query, says",
    [
        ({"q": "zzqxnothing"}, "No claims match: try fewer words, or other ones."),
        (
            {"q": "zzqxnothing", "status": "unclear"},
            "No claims match: try fewer words, or other ones, or fewer filters.",
        ),
        ({"status": "denied"}, "No claims match: try fewer filters."),
    ],
)
def test_a_claims_search_that_finds_nothing_says_what_to_try_and_links_back_once(
    client, auth, accounts, story, db, query, says
):
    """ "0 claims contain the words ... · Show all" was followed by "No claims match. Show all claims": the same
    news twice, two links to one place, and nothing on what to try instead."""
    log_claim(db, story, accounts["reporter"])
    auth.login("reporter")
    soup = BeautifulSoup(client.get("/stories/test-story", query_string=query).get_data(as_text=True), "html.parser")
    main = soup.find("main")
    assert " ".join(main.select_one(".empty").get_text(" ", strip=True).split()) == says
    back = [a.get_text() for a in main.select("a") if a.get_text().startswith("Show all")]
    assert back == ["Show all"], back


@pytest.mark.parametrize("q", ['"', "AND OR NOT", "plant*)", "'; DROP TABLE claims; --", "NEAR(a b)"])
def test_search_syntax_in_the_box_is_not_an_error(client, auth, accounts, story, db, q):
    log_claim(db, story, accounts["reporter"])
    auth.login("reporter")
    assert client.get("/stories/test-story", query_string={"q": q}).status_code == 200
    assert db.execute("SELECT count(*) FROM claims").fetchone()[0] == 1


# Logging a claim with evidence


def test_reporter_logs_a_claim_with_evidence(client, auth, accounts, story, db):
    revision_id = add_coverage(db, story)
    auth.login("reporter")
    form = client.get("/stories/test-story/claims/new").get_data(as_text=True)
    assert "Never published" in form
    response = client.post(
        "/stories/test-story/claims/new",
        data={
            "csrf_token": csrf_from(form),
            "text": "Acme's new plant is fully funded",
            "claimant": "A spokesperson for Acme",
            "claimant_type": "organization",
            "source_identity": "Jo Bloggs, head of comms",
            "internal_notes": "Call back Tuesday",
            "revision_id": str(revision_id),
            "quote": QUOTE,
            "stance": "supports",
        },
    )
    assert response.status_code == 302
    claim_id = int(response.headers["Location"].rsplit("/", 1)[1])
    claim = claims.get_claim(db, claim_id)
    assert (claim["text"], claim["claimant_type"], claim["source_identity"]) == (
        "Acme's new plant is fully funded",
        "organization",
        "Jo Bloggs, head of comms",
    )
    [evidence] = claims.evidence_for(db, claim_id)
    assert ARTICLE[evidence["start"] : evidence["end"]] == QUOTE

    page = client.get(f"/claims/{claim_id}").get_data(as_text=True)
    assert f"<mark>{QUOTE}</mark>" in page
    assert "Jo Bloggs, head of comms" in page and "Call back Tuesday" in page


def test_quote_not_in_the_revision_is_refused_and_the_form_keeps_what_was_typed(client, auth, accounts, story, db):
    revision_id = add_coverage(db, story)
    auth.login("reporter")
    token = csrf_from(client.get("/stories/test-story/claims/new").get_data(as_text=True))
    typed = {
        "text": "Acme will hire 4,000 people",
        "claimant": "An Acme manager",
        "claimant_type": "anonymous",
        "source_identity": "Sam from logistics",
        "internal_notes": "Met at the trade fair",
        "revision_id": str(revision_id),
        "quote": "will employ 4,000 people",
        "stance": "contradicts",
    }
    response = client.post("/stories/test-story/claims/new", data={"csrf_token": token, **typed})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "The quote is not in the stored text" in html
    for key in ("text", "claimant", "source_identity", "quote"):
        assert typed[key].replace("'", "&#39;") in html, key
    assert "Met at the trade fair</textarea>" in html
    assert f'<option value="{revision_id}" selected>' in html
    assert '<option value="anonymous" selected>' in html
    assert 'value="contradicts" checked' in html
    assert "Text of the chosen coverage" in html  # so the exact words can be copied
    assert "Analysts at Example Research were not convinced." in html
    assert db.execute("SELECT count(*) FROM claims").fetchone()[0] == 0
    assert db.execute("SELECT count(*) FROM evidence").fetchone()[0] == 0


def test_evidence_from_another_story_is_refused(client, auth, accounts, story, db):
    from tracker import stories

    other = stories.create_story(db, "other-story", "Another story")
    foreign_revision = add_coverage(db, other)
    auth.login("reporter")
    token = csrf_from(client.get("/stories/test-story/claims/new").get_data(as_text=True))
    response = client.post(
        "/stories/test-story/claims/new",
        data={
            "csrf_token": token,
            "text": "A claim",
            "claimant_type": "unattributed",
            "revision_id": str(foreign_revision),
            "quote": QUOTE,
            "stance": "supports",
        },
    )
    assert response.status_code == 422
    assert "not part of this story" in response.get_data(as_text=True)
    assert db.execute("SELECT count(*) FROM claims").fetchone()[0] == 0


def test_evidence_can_be_added_from_the_claim_page(client, auth, accounts, story, db):
    revision_id = add_coverage(db, story)
    claim_id = log_claim(db, story, accounts["reporter"])
    auth.login("reporter")
    token = csrf_from(client.get(f"/claims/{claim_id}").get_data(as_text=True))
    missing = client.post(
        f"/claims/{claim_id}/evidence",
        data={"csrf_token": token, "revision_id": str(revision_id), "quote": "not there", "stance": "supports"},
    )
    assert missing.status_code == 422
    assert "The evidence was not saved" in missing.get_data(as_text=True)
    response = client.post(
        f"/claims/{claim_id}/evidence",
        data={"csrf_token": token, "revision_id": str(revision_id), "quote": QUOTE, "stance": "supports"},
    )
    assert response.status_code == 302
    assert len(claims.evidence_for(db, claim_id)) == 1


# Rulings


def test_reporter_cannot_change_a_status_and_never_sees_the_form(client, auth, accounts, story, db):
    claim_id = log_claim(db, story, accounts["reporter"])
    auth.login("reporter")
    page = client.get(f"/claims/{claim_id}").get_data(as_text=True)
    assert f'action="/claims/{claim_id}/status"' not in page
    assert f'action="/claims/{claim_id}/publish"' not in page
    assert 'name="rationale"' not in page

    response = client.post(
        f"/claims/{claim_id}/status",
        data={"csrf_token": csrf_from(page), "status": "confirmed", "rationale": "I think so", "version": "1"},
    )
    assert response.status_code == 403
    assert history_count(db, claim_id) == 0
    assert claims.get_claim(db, claim_id)["status"] == "unreviewed"

    publish = client.post(
        f"/claims/{claim_id}/publish", data={"csrf_token": csrf_from(page), "published": "1", "version": "1"}
    )
    assert publish.status_code == 403
    assert claims.get_claim(db, claim_id)["published"] == 0


def test_editor_changes_a_status_and_one_history_row_is_written(client, auth, accounts, story, db):
    claim_id, evidence_id = claim_with_evidence(db, story, accounts["reporter"])
    auth.login("editor")
    page = client.get(f"/claims/{claim_id}").get_data(as_text=True)
    assert f'action="/claims/{claim_id}/status"' in page
    # The only evidence item starts ticked: a ruling can only rest on it.
    assert f'name="evidence_ids" value="{evidence_id}" checked' in page
    response = client.post(
        f"/claims/{claim_id}/status",
        data={
            "csrf_token": csrf_from(page),
            "status": "confirmed",
            "rationale": "Two documents agree with the spokesperson.",
            "public_rationale": "",
            "version": version_on(page),
            "evidence_ids": str(evidence_id),
        },
    )
    assert response.status_code == 302
    assert claims.get_claim(db, claim_id)["status"] == "confirmed"
    [row] = claims.history(db, claim_id)
    assert (row["from_status"], row["to_status"], row["editor"]) == ("unreviewed", "confirmed", "editor")
    assert row["rationale"] == "Two documents agree with the spokesperson."
    assert row["cited_evidence_ids"] == [evidence_id]
    shown = client.get(f"/claims/{claim_id}").get_data(as_text=True)
    assert "Two documents agree with the spokesperson." in shown
    # Read aloud, the change says "to" between the two statuses; the arrow is for the eye only.
    from bs4 import BeautifulSoup

    change = BeautifulSoup(shown, "html.parser").select_one(".history-change")
    for hidden in change.select('[aria-hidden="true"]'):
        hidden.decompose()
    assert " ".join(change.get_text(" ").split()).lower().startswith("unreviewed to confirmed")


@pytest.mark.parametrize("blank", ["   ", "\u200b \u2060"], ids=["spaces", "invisible characters"])
def test_empty_rationale_is_refused_and_nothing_is_written(client, auth, accounts, story, db, blank):
    claim_id = log_claim(db, story, accounts["reporter"])
    auth.login("editor")
    page = client.get(f"/claims/{claim_id}").get_data(as_text=True)
    response = client.post(
        f"/claims/{claim_id}/status",
        data={
            "csrf_token": csrf_from(page),
            "status": "denied",
            "rationale": blank,
            "public_rationale": "Kept public text",
            "version": version_on(page),
        },
    )
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "needs a rationale" in html
    assert 'value="denied" required checked' in html
    assert "Kept public text</textarea>" in html
    assert history_count(db, claim_id) == 0
    assert claims.get_claim(db, claim_id)["status"] == "unreviewed"


def test_editor_publishes_and_withdraws(client, auth, accounts, story, db):
    claim_id = log_claim(db, story, accounts["reporter"])
    auth.login("editor")
    page = client.get(f"/claims/{claim_id}").get_data(as_text=True)
    response = client.post(
        f"/claims/{claim_id}/publish",
        data={"csrf_token": csrf_from(page), "published": "1", "version": version_on(page)},
    )
    assert response.status_code == 302
    assert claims.get_claim(db, claim_id)["published"] == 1
    page = client.get(f"/claims/{claim_id}").get_data(as_text=True)
    assert "Withdraw from publishing" in page
    client.post(
        f"/claims/{claim_id}/publish",
        data={"csrf_token": csrf_from(page), "published": "0", "version": version_on(page)},
    )
    assert claims.get_claim(db, claim_id)["published"] == 0


def test_stale_ruling_gets_a_conflict_page_that_keeps_the_rationale(app, client, auth, accounts, story, db):
    from tests.conftest import AuthActions

    claim_id, evidence_id = claim_with_evidence(db, story, accounts["reporter"])
    other = app.test_client()
    auth.login("editor")
    AuthActions(other).login("admin")
    first_page = client.get(f"/claims/{claim_id}").get_data(as_text=True)
    second_page = other.get(f"/claims/{claim_id}").get_data(as_text=True)

    first = client.post(
        f"/claims/{claim_id}/status",
        data={
            "csrf_token": csrf_from(first_page),
            "status": "confirmed",
            "rationale": "The filing confirms it.",
            "version": version_on(first_page),
            "evidence_ids": str(evidence_id),
        },
    )
    assert first.status_code == 302

    second = other.post(
        f"/claims/{claim_id}/status",
        data={
            "csrf_token": csrf_from(second_page),
            "status": "denied",
            "rationale": "My careful reasoning about the denial",
            "version": version_on(second_page),
            "evidence_ids": str(evidence_id),
        },
    )
    assert second.status_code == 409
    html = second.get_data(as_text=True)
    assert "My careful reasoning about the denial" in html
    assert "The filing confirms it." in html  # the change they missed
    assert "badge badge--confirmed" in html
    assert f'name="version" value="{claims.get_claim(db, claim_id)["version"]}"' in html
    assert 'value="denied" required checked' in html  # the ruling they chose, ready to submit again
    assert f'name="evidence_ids" value="{evidence_id}" checked' in html
    assert history_count(db, claim_id) == 1
    assert claims.get_claim(db, claim_id)["status"] == "confirmed"


def test_stale_publish_gets_a_conflict_page(app, client, auth, accounts, story, db):
    claim_id = log_claim(db, story, accounts["reporter"])
    auth.login("editor")
    page = client.get(f"/claims/{claim_id}").get_data(as_text=True)
    claims.set_status(db, claim_id, "unclear", accounts["admin"], "Pending a second source", 1)
    response = client.post(
        f"/claims/{claim_id}/publish",
        data={"csrf_token": csrf_from(page), "published": "1", "version": version_on(page)},
    )
    assert response.status_code == 409
    assert "mark it publishable" in response.get_data(as_text=True)
    assert claims.get_claim(db, claim_id)["published"] == 0


# CSRF


def test_post_without_csrf_token_is_refused_and_changes_nothing(client, auth, accounts, story, db):
    claim_id = log_claim(db, story, accounts["reporter"])
    auth.login("editor")
    response = client.post(f"/claims/{claim_id}/status", data={"status": "confirmed", "rationale": "x", "version": 1})
    assert response.status_code == 400
    assert "security token" in response.get_data(as_text=True)
    assert history_count(db, claim_id) == 0

    response = client.post(
        "/stories/test-story/claims/new",
        data={"csrf_token": "forged", "text": "Planted", "claimant_type": "named"},
    )
    assert response.status_code == 400
    assert db.execute("SELECT count(*) FROM claims").fetchone()[0] == 1


# Not found


@pytest.mark.parametrize(
    "path",
    [
        "/stories/no-such-story",
        "/stories/no-such-story/claims/new",
        "/claims/999",
        "/claims/99999999999999999999999",
        "/claims/not-a-number",
        "/nowhere",
    ],
)
def test_unknown_story_or_claim_is_a_friendly_404(client, auth, accounts, path):
    auth.login("reporter")
    response = client.get(path)
    assert response.status_code == 404
    html = response.get_data(as_text=True)
    assert "Error 404" in html
    assert "Traceback" not in html


def test_every_page_with_an_id_beyond_sqlite_s_range_is_a_404_not_an_overflow(app, client, auth, accounts, story):
    """Every route, present and future: an id SQLite cannot hold never reaches a query (it was a 500 on several)."""
    import re

    auth.login("editor")
    huge = "99999999999999999999999"
    checked = 0
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or "<int:" not in rule.rule:
            continue
        path = re.sub(r"<int:[^>]+>", huge, re.sub(r"<(?:string:)?[a-z_]+>", story["slug"], rule.rule))
        response = client.get(path)
        assert response.status_code == 404, path
        checked += 1
    assert checked >= 20
    # An id in a query string out of range is said, as one that is not a number is (test_alerts_page_...).
    assert client.get(f"/alerts?before={huge}").status_code == 400


@pytest.mark.parametrize("huge", ["9223372036854775808", "99999999999999999999999"])
def test_an_id_beyond_sqlite_s_range_is_a_404_for_every_method_a_route_takes(app, client, auth, accounts, story, huge):
    """POST /api/questions/<huge> was a 405 saying GET is allowed (and a 405 is no answer the API documents):
    werkzeug matched the URL's shape for both the GET and the POST route, and only then did the id's range
    check fail, leaving the GET route's methods as the ones "allowed". An id too large never matches at all."""
    import re

    from tracker.editor.forms import MAX_SQLITE_INT

    auth.login("editor")
    checked = 0
    for rule in app.url_map.iter_rules():
        if "<int:" not in rule.rule:
            continue
        path = re.sub(r"<int:[^>]+>", huge, re.sub(r"<(?:string:)?[a-z_]+>", story["slug"], rule.rule))
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            assert client.open(path, method=method).status_code == 404, (method, path)
            checked += 1
    assert checked >= 60
    assert int(huge) > MAX_SQLITE_INT


@pytest.mark.parametrize("value", [0, 1, 9, 10, 99, 2**62, 2**63 - 10, 2**63 - 1, 2**63, 2**63 + 9, 10**19, 10**20])
def test_the_id_converter_takes_exactly_the_numbers_sqlite_holds(app, value):
    from tracker.editor.forms import MAX_SQLITE_INT

    adapter = app.url_map.bind("localhost")
    for text in (str(value), "000" + str(value)):
        try:
            endpoint, args = adapter.match(f"/claims/{text}", method="GET")
        except NotFound:
            assert value > MAX_SQLITE_INT, text
        else:
            assert value <= MAX_SQLITE_INT and args["claim_id"] == value, text


def test_post_to_unknown_claim_is_404(client, auth, accounts):
    auth.login("editor")
    token = csrf_from(client.get("/").get_data(as_text=True))
    response = client.post("/claims/999/status", data={"csrf_token": token, "status": "confirmed", "version": "1"})
    assert response.status_code == 404


def test_malformed_version_is_a_clear_400(client, auth, accounts, story, db):
    claim_id = log_claim(db, story, accounts["reporter"])
    auth.login("editor")
    token = csrf_from(client.get("/").get_data(as_text=True))
    response = client.post(
        f"/claims/{claim_id}/status",
        data={"csrf_token": token, "status": "confirmed", "rationale": "Fine", "version": "abc"},
    )
    assert response.status_code == 400
    assert "reload the page" in response.get_data(as_text=True)
    assert history_count(db, claim_id) == 0


# Escaping


def test_scraped_and_typed_markup_is_escaped_everywhere(client, auth, accounts, db):
    from tracker import stories

    story = stories.create_story(db, "xss-story", f"Story {XSS}", description=XSS)
    text = f"Before {XSS} quoted {XSS} after"
    revision_id = add_coverage(db, story, text=text, title=f"Title {XSS}", url="javascript:alert(3)")
    claim_id = claims.log_claim(
        db, story["id"], f"Claim {XSS}", f"Claimant {XSS}", "named", accounts["reporter"], internal_notes=XSS
    )
    claims.add_evidence(db, claim_id, revision_id, f"quoted {XSS}", "supports", accounts["reporter"])
    claims.set_status(db, claim_id, "unclear", accounts["editor"], f"Because {XSS}", 1)
    auth.login("editor")
    for path in ("/", "/stories/xss-story", "/stories/xss-story/claims/new", f"/claims/{claim_id}"):
        html = client.get(path).get_data(as_text=True)
        assert "<script>alert(1)" not in html, path
        assert "<img src=x" not in html, path
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html, path
    page = client.get(f"/claims/{claim_id}").get_data(as_text=True)
    assert 'href="javascript:' not in page
    assert "<mark>quoted &lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;</mark>" in page


def test_highlight_escapes_each_part_and_windows_long_text():
    text = "a " * 400 + "<b>the quote</b>" + " z" * 400
    start = text.index("<b>")
    shown = str(highlight(text, start, start + len("<b>the quote</b>")))
    assert "<mark>&lt;b&gt;the quote&lt;/b&gt;</mark>" in shown
    assert shown.startswith("…") and shown.endswith("…")
    assert len(shown) < 400


@pytest.mark.parametrize(
    "text, shown",
    [
        ("“We’re told to show more AI activity.”", "We’re told to show more AI activity."),
        ('"The AI numbers were made up."', "The AI numbers were made up."),
        ('He said "no"', 'He said "no"'),  # only quote marks around the whole are the page's to replace
        ("Plain words", "Plain words"),
        ("“", "“"),
        (None, ""),
    ],
)
def test_a_quotation_is_shown_inside_one_pair_of_quote_marks(text, shown):
    from tracker.editor.display import unquoted

    assert unquoted(text) == shown


@pytest.mark.parametrize(
    "text, shown",
    [
        ("Plain words", "“Plain words”"),
        ("“We’re told to show more AI activity.”", "“We’re told to show more AI activity.”"),
        ("“We are reviewing every option,” said Dana Okafor.", "“We are reviewing every option,” said Dana Okafor."),
        ("Dana Okafor said: “we are reviewing.”", "Dana Okafor said: “we are reviewing.”"),
        (None, ""),
    ],
)
def test_a_sentence_that_opens_or_closes_with_a_quotation_gets_no_second_pair_of_marks(text, shown):
    """The dashboard's waiting candidates read ““We are reviewing every option,” said Dana Okafor.”"""
    from tracker.editor.display import quoted

    assert quoted(text) == shown


def test_the_dashboard_shows_a_waiting_quotation_with_its_own_marks_once(client, auth, accounts, db, story):
    from bs4 import BeautifulSoup

    from tests.test_candidates import LEDGER, ingest

    ingest(db, story, "https://ledger.example/acme", "Daily Ledger", LEDGER)
    auth.login("reporter")
    page = BeautifulSoup(client.get(f"/stories/{story['slug']}/dashboard").get_data(as_text=True), "html.parser")
    shown = [q.get_text() for q in page.select(".cite-quote")]
    assert LEDGER[1] in shown and not any("““" in q or "””" in q for q in shown)


def test_the_two_alert_links_say_which_page_each_opens(client, auth, accounts):
    """The header's "Alerts" opened Notifications while the account's "Alerts" tab opened the settings."""
    from bs4 import BeautifulSoup

    auth.login("reporter")
    page = BeautifulSoup(client.get("/account/alerts").get_data(as_text=True), "html.parser")
    header = {a.get_text(" ", strip=True): a["href"] for a in page.select(".site-nav a")}
    tabs = {a.get_text(" ", strip=True): a["href"] for a in page.select('nav[aria-label="Your account"] a')}
    assert header["Notifications"] == "/alerts" and "Alerts" not in header
    assert tabs["Alert settings"] == "/account/alerts" and tabs["Notifications"] == "/alerts" and "Alerts" not in tabs
    assert page.h1.get_text(strip=True) == "Alert settings"
    assert page.title.get_text().startswith("Alert settings")


def test_the_alert_settings_page_shows_destination_examples_itself(client, auth, accounts):
    """It pointed to docs/alerts.md, which the editor does not serve: the examples are on the page."""
    auth.login("reporter")
    text = client.get("/account/alerts").get_data(as_text=True)
    assert "docs/alerts.md" not in text
    for example in ("mailtos://", "slack://", "discord://", "ntfys://", "jsons://", "TRACKER_ALLOWED_HOSTS"):
        assert example in text, example


def test_coverage_can_be_read_most_recently_changed_first(client, auth, accounts, db, story):
    """Sorted by publication date, a statement edited just now sat at the bottom; "Recently changed" puts it first."""
    from bs4 import BeautifulSoup

    from tracker import coverage

    ids = {}
    for name, published in (("Old statement", "2026-01-05T10:00:00Z"), ("New article", "2026-03-01T10:00:00Z")):
        ids[name] = coverage.save_item(
            db, story["id"], f"https://news.example/{name[:3].lower()}", None, title=name, published_at=published
        )
        coverage.add_revision(db, ids[name], f"{name} first text.", fetched_at="2026-03-01T12:00:00Z")
    coverage.add_revision(db, ids["Old statement"], "Old statement, quietly edited.", fetched_at="2026-03-02T08:00:00Z")
    auth.login("reporter")

    def titles(query: str = "") -> tuple[list[str], BeautifulSoup]:
        page = BeautifulSoup(
            client.get(f"/stories/{story['slug']}/coverage{query}").get_data(as_text=True), "html.parser"
        )
        return [a.get_text(strip=True) for a in page.select(".coverage-title")], page

    published, page = titles()
    assert published == ["New article", "Old statement"]
    order = page.find("nav", attrs={"aria-label": "Order"})
    links = {a.get_text(strip=True): a for a in order.find_all("a")}
    assert links["Newest published"].get("aria-current") == "true"
    changed_url = links["Recently changed"]["href"]
    changed, page = titles(changed_url[changed_url.index("?") :])
    assert changed == ["Old statement", "New article"]
    assert "Revised 2 Mar 2026" in page.select(".coverage-row")[0].get_text(" ", strip=True)
    # A mistyped order is said in one line, as the claims list and the triage queue say theirs, not passed off
    # as the default order under an address that asks for another.
    refused = client.get(f"/stories/{story['slug']}/coverage?order=<b>bogus</b>")
    assert refused.status_code == 400
    [alert] = BeautifulSoup(refused.get_data(as_text=True), "html.parser").select("[role=alert]")
    assert "Unknown order “<b>bogus</b>”; choose one of: published, changed." in alert.get_text(" ", strip=True)
    assert "<b>" not in str(alert)


@pytest.mark.parametrize("before", ["abc", "0", "\u0663", "99999999999999999999999"])
def test_a_damaged_older_link_on_the_notifications_page_says_so_and_shows_the_newest(
    db, story, accounts, client, auth, before
):
    """`/alerts?before=abc` showed the newest notifications as if they were the older ones asked for (the API
    answers 400): the page now says in one line that the link is damaged, above the first page."""
    with transaction(db):
        event = events.record(db, "statement_new", "Acme statement edited", story_id=story["id"], payload={"text": "t"})
        db.execute("UPDATE alert_events SET routed_at = ? WHERE id = ?", ["2026-01-01T00:00:00Z", event])
        editor = accounts["editor"]["id"]
        db.execute("INSERT INTO alert_notifications (user_id, event_id) VALUES (?, ?)", [editor, event])
    auth.login("editor")
    response = client.get(f"/alerts?before={before}")
    assert response.status_code == 400
    soup = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    alert = soup.select_one(".alert--error")
    assert alert is not None and "link to older notifications" in alert.get_text()
    assert [a.get_text(strip=True) for a in soup.select(".inbox-subject")] == ["Acme statement edited"]
    assert client.get("/alerts").status_code == 200
