"""The editor and its API under input no form would send: each is refused in one line and changes nothing."""

from __future__ import annotations

import html
import re

import pytest

from tests.conftest import PASSWORD, AuthActions, csrf_from, python_output
from tracker import claims, coverage, developments, questions, users

ARTICLE = "Acme said on Monday that its plant is fully funded and will open in March."


@pytest.fixture
def newsroom(db, accounts, story):
    item = coverage.upsert_item(db, story["id"], "https://news.example/acme", outlet="News Example", title="Acme")
    revision_id, _ = coverage.add_revision(db, item, ARTICLE)
    claim_id = claims.log_claim(db, story["id"], "The plant is funded", "Acme", "organization", accounts["reporter"])
    evidence_id = claims.add_evidence(db, claim_id, revision_id, "its plant is fully funded", "supports", None)
    question_id = questions.create_question(db, story["id"], "Is the plant funded?", accounts["reporter"])
    development_id = developments.create_development(db, story["id"], "The plant opens", accounts["reporter"])
    return {
        "slug": story["slug"],
        "claim_id": claim_id,
        "evidence_id": evidence_id,
        "question_id": question_id,
        "development_id": development_id,
        "coverage_id": item,
    }


def counts(db) -> dict[str, int]:
    tables = ("claims", "status_history", "questions", "developments", "posts", "coverage", "revisions")
    return {t: db.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables}


def signed_in(client, who: str = "editor") -> str:
    """Sign in; the CSRF token of this session."""
    AuthActions(client).login(who)
    return csrf_from(client.get("/account").get_data(as_text=True))


# SQLite's length() stops at a NUL, so text starting with one failed the tables' non-blank CHECKs: a 500.
NUL_FORMS = [
    ("/stories/{slug}/claims/new", {"text": "\x00Acme said", "claimant": "Acme", "claimant_type": "organization"}),
    ("/claims/{claim_id}/edit", {"version": "1", "text": "\x00Acme said", "claimant": "Acme",
                                 "claimant_type": "organization"}),
    ("/claims/{claim_id}/status", {"version": "1", "status": "unclear", "evidence_ids": "{evidence_id}",
                                   "rationale": "\x00 why"}),
    ("/stories/{slug}/questions/new", {"text": "\x00Is it?"}),
    ("/questions/{question_id}/edit", {"version": "1", "text": "\x00Is it?", "position": "1"}),
    ("/stories/{slug}/developments", {"text": "\x00It opens"}),
    ("/developments/{development_id}/edit", {"version": "1", "text": "\x00It opens"}),
    ("/stories/{slug}/posts/new", {"url": "https://social.example/p/1", "handle": "\x00@acme",
                                   "text": "Acme says the plant is funded"}),
]  # fmt: skip


@pytest.mark.parametrize(("path", "form"), NUL_FORMS, ids=[p for p, _ in NUL_FORMS])
def test_a_nul_character_in_typed_text_is_refused_in_the_form_and_saves_nothing(client, db, newsroom, path, form):
    token = signed_in(client)
    before = counts(db)
    data = {k: v.format(**newsroom) for k, v in form.items()}
    response = client.post(path.format(**newsroom), data={"csrf_token": token, **data})
    assert response.status_code in (400, 422)  # the ruling form answers 400, as for a missing rationale
    page = response.get_data(as_text=True)
    assert "NUL character" in page
    assert counts(db) == before
    assert claims.get_claim(db, newsroom["claim_id"])["version"] == 1


NUL_API = [
    ("/api/stories/{slug}/claims", {"text": "\x00Acme said", "claimant_type": "organization", "evidence": []}),
    ("/api/stories/{slug}/questions", {"text": "\x00Is it?"}),
    ("/api/stories/{slug}/developments", {"text": "\x00It opens"}),
    ("/api/stories/{slug}/posts", {"url": "https://social.example/p/1", "handle": "\x00@acme", "text": "Funded"}),
]


@pytest.mark.parametrize(("path", "body"), NUL_API, ids=[p for p, _ in NUL_API])
def test_a_nul_character_sent_to_the_api_is_a_json_error_and_saves_nothing(client, db, newsroom, path, body):
    token = users.create_token(db, "editor")
    before = counts(db)
    response = client.post(path.format(**newsroom), json=body, headers={"Authorization": f"Bearer {token}"})
    assert 400 <= response.status_code < 500
    assert "NUL character" in response.get_json()["message"]
    assert counts(db) == before


@pytest.mark.parametrize(
    ("path", "raw"),
    [
        ("/api/stories/{slug}/questions", '{"text": "Is it \\ud800?"}'),
        ("/api/stories/{slug}/claims", '{"text": "Acme", "claimant": "\\udfff", "claimant_type": "named"}'),
        ("/api/questions/{question_id}/answer", '{"answer": "Yes \\ud83d", "version": 1}'),
    ],
)
def test_json_text_with_a_lone_surrogate_is_refused_as_not_text(client, db, newsroom, path, raw):
    """\\ud800 is valid JSON syntax but no character; stored, it failed in SQLite's UTF-8 encoding: a 500."""
    token = users.create_token(db, "editor")
    before = counts(db)
    response = client.post(
        path.format(**newsroom),
        data=raw,
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 422
    assert "Unicode" in response.get_json()["message"]
    assert counts(db) == before
    assert questions.get_question(db, newsroom["question_id"])["answer"] == ""


def alert_rows(db) -> int:
    return db.execute("SELECT count(*) FROM alert_subscriptions").fetchone()[0]


@pytest.mark.parametrize("zone", ["Europe", "America", "A" * 300])
def test_a_time_zone_that_names_a_folder_or_no_file_is_refused_on_the_page(client, db, newsroom, zone):
    """'Europe' is a folder of the zone database and 300 letters no file name: both were an OSError, a 500."""
    token = signed_in(client)
    before = alert_rows(db)
    for path in ("/account/alerts/subscriptions", "/account/alerts/defaults"):
        response = client.post(
            path,
            data={
                "csrf_token": token,
                "story_id": "1",
                "kinds": "ruling",
                "keywords": "Typed keywords",
                "timezone": zone,
            },
        )
        assert response.status_code == 422
        page = response.get_data(as_text=True)
        assert "Unknown time zone" in page and "Typed keywords" in page
    assert alert_rows(db) == before


def test_a_time_zone_that_names_a_folder_is_refused_by_the_api(client, db, newsroom):
    token = users.create_token(db, "editor")
    before = alert_rows(db)
    for path in ("/api/alerts/subscriptions", f"/api/stories/{newsroom['slug']}/alerts-default"):
        response = client.post(
            path, json={"kinds": ["ruling"], "timezone": "Europe"}, headers={"Authorization": f"Bearer {token}"}
        )
        assert response.status_code in (400, 422)
        assert "Unknown time zone" in response.get_json()["message"]
    assert alert_rows(db) == before


@pytest.mark.parametrize("story_id", ["9223372036854775808", "99999999999999999999999"])
def test_an_alert_story_beyond_what_sqlite_holds_is_refused_on_the_page(client, db, newsroom, story_id):
    """A story id past 2**63 - 1 reached SQLite and failed there with an OverflowError: a 500."""
    token = signed_in(client)
    before = alert_rows(db)
    for path in ("/account/alerts/subscriptions", "/account/alerts/defaults"):
        response = client.post(path, data={"csrf_token": token, "story_id": story_id, "kinds": "ruling"})
        assert 400 <= response.status_code < 500
        assert "Choose a story" in response.get_data(as_text=True)
    assert alert_rows(db) == before


@pytest.mark.parametrize(
    ("state", "stale", "code"),
    [("happened", False, 422), ("did_not_happen", True, 409)],
    ids=["happened-without-coverage", "stale-version"],
)
def test_a_refused_development_state_comes_back_with_the_note_typed(client, db, newsroom, state, stale, code):
    """The state form's note was dropped: the error page was the development's edit form, which has no note."""
    token = signed_in(client, "reporter")
    development_id = newsroom["development_id"]
    if stale:  # someone else edited it meanwhile
        developments.update_development(db, development_id, None, 1, text="The plant opens in March")
    note = "Typed: the council's 4 May minutes say <the vote> was postponed"
    response = client.post(
        f"/developments/{development_id}/state",
        data={"csrf_token": token, "version": "1", "state": state, "evidence_coverage_id": "", "state_note": note},
    )
    assert response.status_code == code
    page = response.get_data(as_text=True)
    assert "Typed: the council&#39;s 4 May minutes say &lt;the vote&gt; was postponed" in page
    assert f'value="{state}" checked' in page
    assert developments.get_development(db, development_id)["state"] == "not_yet"


def test_a_candidate_decided_meanwhile_keeps_the_reworded_claim_typed_for_it(client, db, newsroom, accounts):
    """Two people on one queue: the later one's reworded claim was dropped with the card of the decided candidate."""
    from tracker import candidates, extraction

    revision_id = db.execute("SELECT max(id) FROM revisions").fetchone()[0]
    extraction.create_candidates(db, revision_id)
    pending = candidates.list_queue(db, 1, 10, 0, state="pending")
    assert pending, "the article yields a candidate"
    candidate_id = pending[0]["id"]
    token = signed_in(client, "reporter")
    candidates.dismiss(db, candidate_id, accounts["editor"], "Not a claim")  # a colleague, a moment earlier
    typed = {"text": "Typed: Acme says <its plant> is fully funded", "claimant": "Typed: Acme's spokesperson"}
    response = client.post(
        f"/stories/{newsroom['slug']}/triage/accept",
        data={"csrf_token": token, "candidate_id": str(candidate_id), "page": "1", "claimant_type": "organization"}
        | typed,
    )
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert "Typed: Acme says &lt;its plant&gt; is fully funded" in page
    assert "Typed: Acme&#39;s spokesperson" in page
    assert db.execute("SELECT count(*) FROM claims").fetchone()[0] == 1


def test_a_keyword_list_pasted_as_a_document_is_refused_with_the_form_kept(client, db, newsroom):
    """Every feed entry is matched against each keyword, one regular expression each: 20,000 keywords took
    2.4 s per entry, and a 2 MB form held 600,000, which would stall every scrape pass of the story."""
    token = signed_in(client)
    pasted = ", ".join(f"word{i}" for i in range(5000))
    stories_before = db.execute("SELECT count(*), group_concat(keywords_include) FROM stories").fetchone()
    created = client.post(
        "/stories/new",
        data={"csrf_token": token, "title": "Typed title", "slug": "pasted", "keywords_include": pasted},
    )
    edited = client.post(
        f"/stories/{newsroom['slug']}/edit",
        data={"csrf_token": token, "title": "Typed title", "keywords_exclude": pasted},
    )
    for response in (created, edited):
        assert response.status_code == 422
        page = response.get_data(as_text=True)
        assert "keywords" in page and "5,000" in page
        assert "word4999" in page and "Typed title" in page
    assert db.execute("SELECT count(*), group_concat(keywords_include) FROM stories").fetchone() == stories_before


def test_a_keyword_longer_than_a_phrase_is_refused(client, db, newsroom):
    token = signed_in(client)
    response = client.post(
        "/stories/new",
        data={"csrf_token": token, "title": "T", "slug": "long-word", "keywords_include": "Acme, " + "x" * 5000},
    )
    assert response.status_code == 422
    assert db.execute("SELECT count(*) FROM stories WHERE slug = 'long-word'").fetchone()[0] == 0


@pytest.mark.parametrize("field", ["title", "description", "keywords_include", "keywords_exclude"])
def test_a_nul_character_in_a_story_is_refused_with_the_form_kept(client, db, newsroom, field):
    """A title starting with a NUL was stored and published: SQLite, and the public site's queries, read it as empty."""
    token = signed_in(client)
    before = db.execute("SELECT * FROM stories").fetchall()
    form = {"title": "Acme plant", "description": "Typed description", "keywords_include": "Acme"}
    form[field] = "\x00" + form.get(field, "Acme")
    edited = client.post(f"/stories/{newsroom['slug']}/edit", data={"csrf_token": token, **form})
    created = client.post("/stories/new", data={"csrf_token": token, "slug": "acme-plant", **form})
    for response in (edited, created):
        assert response.status_code == 422
        page = response.get_data(as_text=True)
        assert "NUL character" in page and "Typed description" in page
    assert db.execute("SELECT * FROM stories").fetchall() == before


@pytest.mark.parametrize("password", ["wrong password", PASSWORD])
def test_a_carried_form_holding_a_lone_surrogate_is_not_carried(client, db, newsroom, password):
    """The sign-in's carried form is JSON: "\\ud800" in it reached the page, which could not be encoded (a 500)."""
    page = client.get("/login").get_data(as_text=True)
    path = f"/stories/{newsroom['slug']}/questions/new"
    carried = '{"path": "%PATH", "fields": [["text", "Is it \\ud800?"]]}'.replace("%PATH", path)
    response = client.post(
        "/login",
        data={"csrf_token": csrf_from(page), "username": "editor", "password": password, "resume": carried},
    )
    assert response.status_code in (302, 401)
    assert "Is it" not in response.get_data(as_text=True)
    assert db.execute("SELECT count(*) FROM questions").fetchone()[0] == 1


def test_an_api_cursor_holding_a_lone_surrogate_is_a_damaged_cursor(client, db, newsroom):
    """A cursor is base64 of JSON; one whose sort key was "\\ud800" reached the query and failed there (a 500)."""
    import base64

    token = users.create_token(db, "editor")
    cursor = base64.urlsafe_b64encode(b'{"after": ["\\ud800", 1]}').decode().rstrip("=")
    response = client.get(
        f"/api/stories/{newsroom['slug']}/claims?cursor={cursor}", headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 400
    assert "cursor is damaged" in response.get_json()["message"]


@pytest.mark.parametrize("page", ["/stories/{slug}/coverage", "/stories/{slug}/triage"])
def test_a_page_link_nested_deeper_than_the_json_parser_recurses_is_a_damaged_link(client, db, newsroom, page):
    """A page link's position (`?at=`) is base64 of a JSON list: 1,400 brackets fit in its 2,000 characters and
    took Python's parser past its recursion limit, a 500 with a traceback in the log. Such a link is damaged,
    answered as any other damaged link is (the list from its top, or triage's one line saying so)."""
    import base64

    signed_in(client)
    address = page.format(slug=newsroom["slug"])
    nested = base64.urlsafe_b64encode(b"[" * 1400).decode().rstrip("=")
    damaged = client.get(f"{address}?at=damaged")
    response = client.get(f"{address}?at={nested}")
    assert response.status_code == damaged.status_code < 500
    if damaged.status_code == 400:
        assert "That page link is damaged" in response.get_data(as_text=True)


def test_a_claim_reference_of_a_megabyte_of_spaces_is_refused_in_linear_time():
    """Triage's "merge into claim" number was matched with a pattern whose two runs of spaces could share
    them: 20,000 spaces then a letter took 11 s, and a 2 MB form would have held a worker for hours. A
    child process runs it so that a regression fails the suite instead of hanging it."""
    code = (
        "from tracker.db import TrackerError\n"
        "from tracker.editor.triage import _claim_ref\n"
        "for value in (' ' * 1_900_000 + 'x', 'claim' + ' ' * 1_900_000 + 'x', '#' + ' ' * 1_900_000 + '1 x'):\n"
        "    try:\n"
        "        _claim_ref(value)\n"
        "    except TrackerError as e:\n"
        "        print('refused' if 'claim number' in str(e) else str(e))\n"
        "print(_claim_ref('  claim #12 '), _claim_ref('https://editor.example/claims/34?x=1'))\n"
    )
    assert python_output(code).split() == ["refused", "refused", "refused", "12", "34"]


@pytest.mark.parametrize("when", ["9999-12-31T23:59:59-12:00", "0001-01-01T00:00:00+14:00"])
def test_a_time_beyond_the_calendar_once_in_utc_is_refused_with_the_form_kept(client, db, newsroom, when):
    """Read in UTC, 9999-12-31 23:59 at UTC-12 is in year 10000: converting it raised an OverflowError, a 500."""
    token = signed_in(client, "reporter")
    before = counts(db)
    post = client.post(
        f"/stories/{newsroom['slug']}/posts/new",
        data={"csrf_token": token, "url": "https://social.example/p/9", "handle": "@acme", "posted_at": when,
              "text": "Typed: Acme says the plant is funded"},
    )  # fmt: skip
    note = client.post(
        f"/stories/{newsroom['slug']}/reporting/new",
        data={"csrf_token": token, "how": "call", "at": when, "words": "Typed: yes, it is funded",
              "attribution": "a spokesperson"},
    )  # fmt: skip
    assert post.status_code == note.status_code == 422
    assert "Typed: Acme says the plant is funded" in post.get_data(as_text=True)
    assert "Typed: yes, it is funded" in note.get_data(as_text=True)
    assert counts(db) == before


# '²' is a digit to str.isdigit() but not to int(): each of these checked one and then called the other, a 500.
SUPERSCRIPT_TWO = [
    ("GET", "/stories/{slug}/claims/new?revision_id=%C2%B2", {}),
    ("GET", "/stories/{slug}?after=x~%C2%B2", {}),
    ("GET", "/stories/{slug}/triage?page=%C2%B2", {}),
    ("POST", "/alerts/read", {"id": "²"}),
    ("POST", "/questions/{question_id}/claims", {"version": "1", "claim_number": "²", "stance": "context"}),
    ("POST", "/stories/{slug}/triage/dismiss", {"candidate_id": "²", "reason": "Not a claim", "page": "1"}),
    (
        "POST",
        "/stories/{slug}/triage/dismiss",
        {"candidate_id": "{candidate_id}", "reason": "Not a claim", "page": "²"},
    ),
    ("POST", "/claims/{claim_id}/evidence", {"revision_id": "²", "quote": "fully funded"}),
]


@pytest.mark.parametrize(("method", "path", "form"), SUPERSCRIPT_TWO, ids=[f"{m} {p}" for m, p, _ in SUPERSCRIPT_TWO])
def test_a_superscript_digit_where_a_number_goes_is_not_a_number(client, db, newsroom, method, path, form):
    from tracker import candidates, extraction

    extraction.create_candidates(db, db.execute("SELECT max(id) FROM revisions").fetchone()[0])
    ids = {**newsroom, "candidate_id": candidates.list_queue(db, 1, 10, 0, state="pending")[0]["id"]}
    token = signed_in(client)
    before = counts(db), db.execute("SELECT count(*) FROM candidates WHERE state = 'pending'").fetchone()
    if method == "GET":
        response = client.get(path.format(**ids))
    else:
        response = client.post(
            path.format(**ids), data={"csrf_token": token} | {k: v.format(**ids) for k, v in form.items()}
        )
    assert response.status_code < 500
    if path.endswith("/dismiss") and form["candidate_id"] != "²":
        return  # a page number it cannot read is the first page: the dismissal itself is fine
    assert (counts(db), db.execute("SELECT count(*) FROM candidates WHERE state = 'pending'").fetchone()) == before


# More digits than int() converts (4,300): each of these checked for digits and then called int(), a 500.
LONG_NUMBER = "1" * 5000
TOO_LONG = [
    ("POST", "/alerts/read", {"id": LONG_NUMBER}),
    ("POST", "/questions/{question_id}/claims", {"version": "1", "claim_number": LONG_NUMBER, "stance": "context"}),
    ("GET", "/coverage/{document_id}/pages/1?rev=" + LONG_NUMBER, {}),
    ("GET", "/stories/{slug}/claims/new?revision_id=" + LONG_NUMBER, {}),
    ("POST", "/claims/{claim_id}/evidence", {"revision_id": LONG_NUMBER, "quote": "fully funded"}),
]


@pytest.mark.parametrize(("method", "path", "form"), TOO_LONG, ids=[f"{m} {p[:40]}" for m, p, _ in TOO_LONG])
def test_a_number_longer_than_int_converts_is_not_a_number(client, db, newsroom, story, method, path, form):
    from tracker import documents
    from tracker.captures import Received

    stored = documents.store_document(db, story, b"The plant is funded.", Received(how="upload", filename="memo.txt"))
    ids = {**newsroom, "document_id": stored.coverage_id}
    token = signed_in(client)
    before = counts(db), db.execute("SELECT count(*) FROM question_claims").fetchone()
    if method == "GET":
        response = client.get(path.format(**ids))
        if "/pages/" in path:  # no such revision: never the latest shown in its place (the item page's rule)
            assert response.status_code == 404
            assert "The plant is funded." not in response.get_data(as_text=True)
        else:
            assert response.status_code == 200
    else:
        response = client.post(path.format(**ids), data={"csrf_token": token, **form})
        assert response.status_code in (302, 422)
        # The form keeps what was typed; the message names it without copying all of it once more.
        assert response.get_data(as_text=True).count(LONG_NUMBER) <= 1
    assert (counts(db), db.execute("SELECT count(*) FROM question_claims").fetchone()) == before


ESCAPES = ["\x1b]0;owned\x07Acme said", "Acme said\x1b[2J", "Acme \x1b[8m said"]


@pytest.mark.parametrize("text", ESCAPES, ids=["retitle", "clear", "hide"])
def test_an_escape_code_in_typed_text_is_refused_before_it_reaches_a_terminal(client, db, newsroom, text):
    # A claim or a story title listed by the command line would run it on the reader's terminal.
    token = signed_in(client)
    before = counts(db)
    form = {"text": text, "claimant": "Acme", "claimant_type": "organization"}
    response = client.post(f"/stories/{newsroom['slug']}/claims/new", data={"csrf_token": token, **form})
    assert response.status_code in (400, 422)
    page = response.get_data(as_text=True)
    assert "control character" in page and "Acme" in page  # the form is shown back
    assert counts(db) == before
    api = client.post(
        f"/api/stories/{newsroom['slug']}/questions",
        json={"text": text},
        headers={"Authorization": f"Bearer {users.create_token(db, 'editor')}"},
    )
    assert 400 <= api.status_code < 500 and "control character" in api.get_json()["message"]
    assert counts(db) == before


@pytest.mark.parametrize(
    ("outlet", "says"),
    [
        ("Acme\x00 Widgets", "NUL character"),
        ("Acme \x1b]0;owned\x07Widgets", "control character"),
        ("Acme Widgets " * 40, "at most 200 characters"),
    ],
)
def test_an_outlet_holding_a_control_code_or_a_page_of_text_is_refused_with_the_form_kept(
    client, db, newsroom, outlet, says
):
    """A statement source's outlet names the organisation in every alert about its statements, in the command
    line's list of sources and on the public site: a NUL, an escape code and a pasted page were all stored."""
    token = signed_in(client)
    before = db.execute("SELECT count(*) FROM sources").fetchone()[0]
    response = client.post(
        f"/stories/{newsroom['slug']}/sources",
        data={"csrf_token": token, "url": "https://acme.example/newsroom/", "kind": "statement", "outlet": outlet},
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert says in page and "https://acme.example/newsroom/" in page
    assert db.execute("SELECT count(*) FROM sources").fetchone()[0] == before


def test_an_outlet_pasted_across_lines_is_stored_as_one_line(client, db, newsroom):
    token = signed_in(client)
    response = client.post(
        f"/stories/{newsroom['slug']}/sources",
        data={"csrf_token": token, "url": "https://acme.example/newsroom/", "kind": "statement",
              "outlet": " Acme\r\n  Widgets\t"},
    )  # fmt: skip
    assert response.status_code == 302
    assert db.execute("SELECT outlet FROM sources").fetchall() == [("Acme Widgets",)]


LONG_URL = "https://acme.example/press/" + "kettle-recall-" * 700  # past the 8,192 characters a web address has


@pytest.mark.parametrize(
    ("path", "form"),
    [
        ("/stories/{slug}/documents/new", {"url": LONG_URL}),
        ("/stories/{slug}/posts/new", {"url": LONG_URL, "handle": "@acme", "text": "Acme says the plant is funded"}),
    ],
)
def test_an_address_too_long_to_be_one_is_refused_saying_so(client, db, newsroom, path, form):
    """A pasted address past 8,192 characters (a page of text pasted with it) was told to start with http:// or
    https://, which it did: the reporter could not see what was wrong."""
    token = signed_in(client, "reporter")
    before = counts(db)
    response = client.post(path.format(**newsroom), data={"csrf_token": token, **form})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert f"{len(LONG_URL):,} characters long" in page and "at most 8,192" in page
    assert "starting with http://" not in page
    assert counts(db) == before


REPORTING = {"how": "call", "at": "2026-02-02T09:00", "words": "Acme said the plant is funded."}
POST = {"url": "https://social.example/p/2", "handle": "@acme", "text": "Acme says the plant is funded"}
EVIDENCE_FORMS = [
    ("/stories/{slug}/reporting/new", {**REPORTING, "words": "\x00Acme said the plant is funded."}, "NUL"),
    ("/stories/{slug}/reporting/new", {**REPORTING, "attribution": "A spokesperson\x1b]0;x\x07"}, "control"),
    ("/stories/{slug}/reporting/new", {**REPORTING, "identity": "\x00Jane"}, "NUL"),
    ("/stories/{slug}/reporting/new", {**REPORTING, "notes": "Call back \x1b[2J"}, "control"),
    ("/stories/{slug}/posts/new", {**POST, "text": "\x00Acme says the plant is funded"}, "NUL"),
    ("/stories/{slug}/posts/new", {**POST, "network": "Social\x1b[31m"}, "control"),
]


@pytest.mark.parametrize(("path", "form", "says"), EVIDENCE_FORMS, ids=[str(i) for i in range(len(EVIDENCE_FORMS))])
def test_reporting_and_posts_holding_a_nul_or_an_escape_code_are_refused_with_the_form_kept(
    client, db, newsroom, path, form, says
):
    """The words of our reporting and of a post, their attribution and network are published once approved;
    the identity and notes stay in the newsroom: a NUL (the end of the text to SQLite) and an escape code
    (a command to the terminal that lists them) were stored as typed in all of them."""
    token = signed_in(client, "reporter")
    before = counts(db)
    response = client.post(path.format(**newsroom), data={"csrf_token": token, **form})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert f"{says}" in page and ("Acme said the plant" in page or "Acme says the plant" in page)
    assert counts(db) == before


# A title that reads "Acme not recalling the kettles" on screen, whatever its characters say.
OVERRIDDEN_TITLE = "Acme \u202egnillacer ton\u202c the kettles"
OVERRIDDEN_OUTLET = "Daily \u2067regdeL\u2069"


def test_a_scraped_title_or_outlet_with_bidi_overrides_reaches_no_editor_page_with_them(client, db, accounts, story):
    """An outlet's title holding U+202E read as something it does not say on every page that showed it (the alerts
    already drop these controls); each page now shows the characters in the order they are stored."""
    from tests.test_candidates import LEDGER, article_page, ingest_and_read
    from tracker import candidates

    url = "https://ledger.example/acme"
    page = ingest_and_read(
        db, story, url, article_page(url, OVERRIDDEN_OUTLET, LEDGER, title=OVERRIDDEN_TITLE.replace("\u202c", ""))
    )
    candidate = candidates.list_queue(db, story["id"], 50)[0]
    claim_id = candidates.accept(db, candidate["id"], accounts["editor"])
    signed_in(client)
    slug = story["slug"]
    for path in (
        f"/stories/{slug}/coverage",
        f"/coverage/{page['coverage_id']}",
        f"/stories/{slug}/triage?state=accepted",
        f"/stories/{slug}/claims/new",
        f"/claims/{claim_id}",
        f"/stories/{slug}/dashboard",
    ):
        html = client.get(path).get_data(as_text=True)
        assert "gnillacer ton" in html or "regdeL" in html, path
        assert not set(html) & set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"), path


@pytest.fixture
def served(app):
    """The editor served for real on loopback (chunked bodies need a server: the test client sends a length)."""
    import threading

    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_port
    server.shutdown()
    thread.join()


def _post_chunked(port: int, path: str, body: bytes, headers: dict) -> tuple[int, str]:
    """POST `body` with Transfer-Encoding: chunked (no Content-Length), as a streaming client sends it."""
    import http.client

    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        pieces = (body[i : i + 65536] for i in range(0, len(body), 65536))
        connection.request("POST", path, body=pieces, headers=headers)
        response = connection.getresponse()
        return response.status, response.read().decode()
    finally:
        connection.close()


OVER_THE_LIMIT = 2 * 1024 * 1024 + 300_000
TOO_LARGE = "That submission is too large: over the 2 MB limit. Shorten it and try again."


def test_a_chunked_form_over_the_limit_is_a_413_not_a_cut_form(app, client, auth, accounts, served):
    """Werkzeug stops reading a chunked body at the limit without saying so: the form was handled cut at 2 MB."""
    auth.login("editor")
    token = csrf_from(client.get("/stories/new").get_data(as_text=True))
    cookie = client.get_cookie("tracker_session").value
    form = f"csrf_token={token}&slug=huge&title=".encode() + b"x" * OVER_THE_LIMIT
    headers = {"Content-Type": "application/x-www-form-urlencoded", "Cookie": f"tracker_session={cookie}"}
    status, page = _post_chunked(served, "/stories/new", form, headers)
    assert status == 413
    assert TOO_LARGE in page
    assert client.get("/stories/huge").status_code == 404
    small = f"csrf_token={token}&slug=small&title=A+small+story".encode()
    assert _post_chunked(served, "/stories/new", small, headers)[0] == 302, "a chunked form under the limit is read"


def test_chunked_api_json_over_the_limit_is_a_413(db, accounts, served):
    import json

    token = users.create_token(db, "editor")
    headers = {"Content-Type": "application/json", "Authorization": f"Bearer {token}"}
    body = json.dumps({"story": "x" * OVER_THE_LIMIT}).encode()
    status, answer = _post_chunked(served, "/api/alerts/subscriptions", body, headers)
    assert status == 413, answer
    assert json.loads(answer) == {"message": TOO_LARGE}


def test_api_json_with_a_content_length_over_the_limit_is_told_the_limit(client, db, accounts):
    """The API answered werkzeug's "The data value transmitted exceeds the capacity limit.": no limit, no way out."""
    token = users.create_token(db, "editor")
    answer = client.post(
        "/api/alerts/subscriptions",
        data=b'{"story": "' + b"x" * OVER_THE_LIMIT + b'"}',
        headers={"Content-Type": "application/json", "Authorization": f"Bearer {token}"},
    )
    assert answer.status_code == 413
    assert answer.get_json() == {"message": TOO_LARGE}


def test_a_ruling_citing_a_thousand_evidence_items_is_refused_in_one_short_line(client, db, newsroom):
    """The API takes at most 100 cited evidence items; the editor's ruling form took any number (up to the 2 MB a
    form may be, some 100,000): each was read, and the field error listed every one that is not the claim's, a
    line of thousands of numbers. The form now has the API's limit, said in a line of its own length."""
    token = signed_in(client)
    before = counts(db)
    cited = [str(newsroom["evidence_id"])] + [str(n) for n in range(1_000_000, 1_001_000)]
    response = client.post(
        f"/claims/{newsroom['claim_id']}/status",
        data={"csrf_token": token, "version": "1", "status": "unclear", "rationale": "One source."}
        | {"evidence_ids": cited},
    )
    assert response.status_code == 400, response.status_code
    [said] = re.findall(r'<a href="#evidence_ids">([^<]*)</a>', response.get_data(as_text=True))
    assert said == "Cite at most 100 evidence items in one ruling (this one cited 1,001).", said
    assert counts(db) == before


@pytest.mark.parametrize(
    ("slug", "said"),
    [
        ("test-stroy", "No story with slug 'test-stroy'; did you mean 'test-story'? GET /api/stories lists them."),
        ("\x00", "No story with slug '\\x00'. GET /api/stories lists them."),
    ],
)
def test_an_api_call_for_no_such_story_names_the_api_list_not_the_command_line(client, db, newsroom, slug, said):
    """A story the API did not find was told "`python -m tracker stories` lists them": a command on the server, not
    the caller's to run (as the read-only 503 once named `backup`). It names the API's own list, and still the story
    meant by a mistyped short name."""
    token = users.create_token(db, "editor")
    response = client.get(f"/api/stories/{slug}/claims", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 404
    assert response.get_json()["message"] == said


def test_a_source_address_with_no_source_names_the_editors_list_not_the_command_line(client, db, newsroom):
    """/sources/999 said "`python -m tracker sources` lists them" to a reporter in a browser, as a story not found
    once did; it names the story's Sources tab, as the story's refusal names the Stories page."""
    signed_in(client, "reporter")
    response = client.get("/sources/999")
    assert response.status_code == 404
    page = response.get_data(as_text=True)
    [said] = re.findall(r'class="lede">([^<]*)</p>', html.unescape(page))
    assert said == "No source has the number 999; each story's Sources tab lists its sources.", said


@pytest.mark.parametrize(
    ("raw", "said"),
    [
        (b'{"text": "Acme \xe9"}', "The body is not UTF-8 (byte 0xe9 at byte 16): send JSON in UTF-8."),
        (b'{"text": "Acme",}', "The body is not JSON: expecting property name enclosed in double quotes at line 1, "
         "column 17."),
        (b"[" * 100_000 + b"]" * 100_000, "The body nests arrays or objects deeper than any request does: send a JSON "
         "object."),
        (b'{"text": ' + b"9" * 5000 + b"}", "The body holds a number longer than 4,300 digits: send a JSON object."),
        (b"", "Send a JSON object with Content-Type: application/json."),
    ],
    ids=["latin-1", "trailing comma", "nested", "long number", "empty"],
)  # fmt: skip
def test_a_json_body_that_cannot_be_read_says_what_is_wrong_with_it(client, db, newsroom, raw, said):
    """Sent as application/json, a body in Latin-1, with a syntax error, nested 100,000 deep or holding a number of
    5,000 digits was told to "Send a JSON object with Content-Type: application/json", which it had done: the
    caller had nothing to go on. Each is told what is wrong with it, in one line."""
    token = users.create_token(db, "editor")
    before = counts(db)
    response = client.post(
        f"/api/stories/{newsroom['slug']}/claims",
        data=raw,
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 400
    assert response.get_json()["message"] == said
    assert counts(db) == before
