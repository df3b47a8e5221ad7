"""The new-claim and evidence forms: reaching any stored coverage, and stored text kept as it was."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from tests.conftest import csrf_from
from tracker import claims, coverage, stories


def no_fetching():
    raise AssertionError("the form fetched an address it already holds")


no_fetch = pytest.mark.parametrize("app_options", [{"fetcher_factory": no_fetching}])


@pytest.fixture
def archive(db, story) -> list[dict]:
    """150 stored articles, oldest first; the form's list holds only the newest 100."""
    items = []
    for i in range(150):
        url = f"https://ledger.example/2026/plant-{i}"
        item_id = coverage.upsert_item(
            db,
            story["id"],
            url,
            outlet="Daily Ledger",
            title="Harbour crane report" if i == 0 else f"Plant report number {i}",
            published_at="2026-01-01T00:00:00Z" if i == 0 else f"2026-02-{1 + i // 10:02d}T{i % 10:02d}:00:00Z",
        )
        revision_id, _ = coverage.add_revision(db, item_id, f"Acme said plant {i} will close in March.")
        items.append({"id": item_id, "url": url, "revision_id": revision_id})
    return items


def _options(html: str) -> list[str]:
    return [o["value"] for o in BeautifulSoup(html, "html.parser").select("select#revision_id option") if o["value"]]


def _new_claim(client, story, **fields):
    page = client.get(f"/stories/{story['slug']}/claims/new").get_data(as_text=True)
    data = {"csrf_token": csrf_from(page), "text": "Plant 0 closes", "claimant": "Acme"}
    data |= {"claimant_type": "organization", "stance": "supports", **fields}
    return client.post(f"/stories/{story['slug']}/claims/new", data=data)


def test_the_form_lists_the_newest_and_finds_any_older_item(client, auth, accounts, story, db, archive):
    auth.login("reporter")
    html = client.get(f"/stories/{story['slug']}/claims/new").get_data(as_text=True)
    listed = _options(html)
    assert len(listed) == 100 and str(archive[0]["revision_id"]) not in listed
    search = BeautifulSoup(html, "html.parser").select_one("[data-coverage-search]")
    assert search is not None and search["data-coverage-search"]
    found = client.get(search["data-coverage-search"], query_string={"q": "CRANE harbour"}).get_json()
    assert [c["revision_id"] for c in found["choices"]] == [archive[0]["revision_id"]]
    assert "Harbour crane report" in found["choices"][0]["label"]
    # By address, outlet, several words in any order; never more than a page of them.
    by_url = client.get(search["data-coverage-search"], query_string={"q": "plant-3"}).get_json()["choices"]
    assert archive[3]["revision_id"] in [c["revision_id"] for c in by_url]
    many = client.get(search["data-coverage-search"], query_string={"q": "ledger report"}).get_json()
    assert len(many["choices"]) == 50 and many["more"] is True
    for hostile in ("%25", "_", "%5C", "'", "x" * 5000, "%ED%A0%80"):
        response = client.get(f"{search['data-coverage-search']}?q={hostile}")
        assert response.status_code == 200 and response.get_json()["choices"] == [], hostile


def test_a_claim_cites_an_older_item_chosen_from_a_search(client, auth, accounts, story, db, archive):
    auth.login("reporter")
    response = _new_claim(client, story, revision_id=archive[0]["revision_id"], quote="plant 0 will close")
    assert response.status_code == 302, response.get_data(as_text=True)[:400]
    [evidence] = db.execute("SELECT revision_id FROM evidence").fetchall()
    assert evidence[0] == archive[0]["revision_id"]


@no_fetch
@pytest.mark.parametrize("how", ["url", "editor_link", "editor_path"])
def test_an_older_item_is_cited_by_its_address_without_fetching_it(client, auth, accounts, story, db, archive, how):
    """Without scripts, the address of an article the story holds (or of its coverage page) picks it."""
    auth.login("reporter")
    old = archive[0]
    typed = {
        "url": old["url"],
        "editor_link": f"http://localhost/coverage/{old['id']}",
        "editor_path": f"/coverage/{old['id']}?rev={old['revision_id']}",
    }[how]
    response = _new_claim(client, story, url=typed, quote="plant 0 will close")
    assert response.status_code == 302, response.get_data(as_text=True)[:400]
    assert db.execute("SELECT revision_id FROM evidence").fetchall() == [(old["revision_id"],)]


@no_fetch
def test_a_coverage_page_of_another_story_is_refused_in_one_line(client, auth, accounts, story, db, archive):
    other = stories.create_story(db, "other-story", "Other")
    item = coverage.upsert_item(db, other["id"], "https://other.example/a", title="Other")
    coverage.add_revision(db, item, "Acme said plant 0 will close in March.")
    auth.login("reporter")
    response = _new_claim(client, story, url=f"/coverage/{item}", quote="plant 0 will close")
    assert response.status_code == 422
    assert "not part of this story" in response.get_data(as_text=True)
    assert db.execute("SELECT count(*) FROM claims").fetchone()[0] == 0


# --------------------------------------------------------------------------- stored text kept as it was

# Stored text holding bidi controls (an isolate around Arabic, an override pasted from a chat), CRLF line breaks
# as browsers send them, and lines an API client sent with bare LF: none of it shows raw, all of it is kept.
BIDI = "Acme \u2067\u0627\u0644\u0645\u0635\u0646\u0639\u2069 said \u202egnillacer ton\u202c"
MULTI = "First line \u2066isolated\u2069\nsecond line"


def browser_fields(html: str, action: str) -> dict:
    """The fields of the form posting to `action` as a browser sends them untouched: textareas drop one leading
    newline and send line breaks as CRLF, selects their chosen option, radios and checkboxes when ticked."""
    form = BeautifulSoup(html, "html.parser").select_one(f"form[action='{action}']") or BeautifulSoup(
        html, "html.parser"
    ).select_one("form[method=post]:not([action])")
    assert form is not None, action
    sent = {}
    for el in form.select("input[name], textarea[name], select[name]"):
        if el.name == "textarea":
            text = el.get_text()
            text = text[1:] if text.startswith("\n") else text
            sent[el["name"]] = text.replace("\r\n", "\n").replace("\n", "\r\n")
        elif el.name == "select":
            chosen = el.select_one("option[selected]") or el.select_one("option")
            sent[el["name"]] = chosen.get("value", chosen.get_text()) if chosen else ""
        elif el.get("type") in ("checkbox", "radio"):
            if el.has_attr("checked"):
                sent[el["name"]] = el.get("value", "on")
        elif el.get("type") not in ("submit", "button", "file"):
            sent[el["name"]] = el.get("value", "")
    return sent


def _save_untouched(client, page: str, action: str, check_shown=True):
    html = client.get(page).get_data(as_text=True)
    if check_shown:
        assert "\u202e" not in html and "\u2067" not in html and "\u2066" not in html  # never shown raw
    response = client.post(action, data=browser_fields(html, action))
    assert response.status_code in (302, 303), response.get_data(as_text=True)[:600]
    return response


def test_saving_an_untouched_claim_form_keeps_its_text_byte_for_byte(client, auth, accounts, story, db):
    claim_id = claims.log_claim(
        db, story["id"], BIDI, BIDI, "organization", accounts["reporter"], source_identity=BIDI, internal_notes=MULTI
    )
    before = db.execute("SELECT text, claimant, source_identity, internal_notes, version FROM claims").fetchone()
    auth.login("reporter")
    _save_untouched(client, f"/claims/{claim_id}/edit", f"/claims/{claim_id}/edit")
    after = db.execute("SELECT text, claimant, source_identity, internal_notes, version FROM claims").fetchone()
    assert after == before
    # An edited field is saved as typed; the untouched ones beside it still keep their bytes.
    html = client.get(f"/claims/{claim_id}/edit").get_data(as_text=True)
    fields = browser_fields(html, f"/claims/{claim_id}/edit") | {"claimant": "Acme Corp"}
    assert client.post(f"/claims/{claim_id}/edit", data=fields).status_code == 302
    text, claimant, identity, notes = db.execute(
        "SELECT text, claimant, source_identity, internal_notes FROM claims"
    ).fetchone()
    assert (text, claimant, identity, notes) == (BIDI, "Acme Corp", BIDI, MULTI)


def test_saving_an_untouched_story_form_keeps_its_text_byte_for_byte(client, auth, accounts, db):
    story = stories.create_story(db, "bidi-story", BIDI, description=MULTI, keywords_include="Acme, \u2067x\u2069")
    before = db.execute("SELECT title, description, keywords_include, keywords_exclude FROM stories").fetchone()
    auth.login("editor")
    _save_untouched(client, f"/stories/{story['slug']}/edit", f"/stories/{story['slug']}/edit")
    after = db.execute("SELECT title, description, keywords_include, keywords_exclude FROM stories").fetchone()
    assert after == before


def test_saving_untouched_question_and_answer_forms_keeps_their_text(client, auth, accounts, story, db):
    from tracker import questions

    question_id = questions.create_question(db, story["id"], BIDI, accounts["editor"])
    questions.write_answer(db, question_id, MULTI, accounts["editor"], 1)
    before = db.execute("SELECT text, answer FROM questions").fetchone()
    auth.login("editor")
    _save_untouched(client, f"/questions/{question_id}/edit", f"/questions/{question_id}/edit")
    _save_untouched(client, f"/questions/{question_id}", f"/questions/{question_id}/answer")
    assert db.execute("SELECT text, answer FROM questions").fetchone() == before


def test_saving_untouched_development_and_attribution_forms_keeps_their_text(client, auth, accounts, story, db):
    from tracker import developments, reporting

    development_id = developments.create_development(db, story["id"], BIDI, accounts["editor"], expectation=BIDI)
    note = reporting.log_reporting(
        db,
        story["id"],
        how="call",
        at="2026-03-01T10:00:00Z",
        words="Acme said so.",
        user=accounts["editor"],
        attribution=BIDI,
    )
    before = (
        db.execute("SELECT text, expectation FROM developments").fetchone(),
        db.execute("SELECT attribution FROM reporting").fetchone(),
    )
    auth.login("editor")
    _save_untouched(client, f"/developments/{development_id}/edit", f"/developments/{development_id}/edit")
    _save_untouched(client, f"/reporting/{note}", f"/reporting/{note}/attribution")
    after = (
        db.execute("SELECT text, expectation FROM developments").fetchone(),
        db.execute("SELECT attribution FROM reporting").fetchone(),
    )
    assert after == before


def test_accepting_a_candidate_untouched_keeps_its_words(client, auth, accounts, story, db):
    """A reporter's notes keep what was typed, bidi controls too; their sentences come to triage as written."""
    from tracker import extraction, reporting

    words = "Acme will close the \u2067\u0627\u0644\u0645\u0635\u0646\u0639\u2069 plant, a spokesperson said."
    reporting.log_reporting(
        db, story["id"], how="call", at="2026-03-01T10:00:00Z", words=words, user=accounts["editor"]
    )
    extraction.extract_waiting(db)
    [(default,)] = db.execute("SELECT text FROM candidates").fetchall()
    assert "\u2067" in default
    auth.login("reporter")
    html = client.get(f"/stories/{story['slug']}/triage").get_data(as_text=True)
    action = f"/stories/{story['slug']}/triage/accept"
    assert client.post(action, data=browser_fields(html, action)).status_code == 303
    [(text,)] = db.execute("SELECT text FROM claims").fetchall()
    assert text == default.strip()


def test_a_story_whose_coverage_all_fits_the_list_offers_no_search(client, auth, accounts, story, db):
    item = coverage.upsert_item(db, story["id"], "https://ledger.example/one", title="One")
    coverage.add_revision(db, item, "Acme said so.")
    auth.login("reporter")
    html = client.get(f"/stories/{story['slug']}/claims/new").get_data(as_text=True)
    assert len(_options(html)) == 1
    assert BeautifulSoup(html, "html.parser").select_one("[data-coverage-search]") is None
    assert "Not listed? Give its address below." in html


def test_the_claimant_type_is_spelt_organisation_as_everywhere_else(client, auth, accounts, story, db):
    """The form offered "Organization" beside "Outlet or organisation" on the Sources page, while readers read
    "organisation" on the public site and the manual spells it so throughout."""
    auth.login("reporter")
    page = BeautifulSoup(client.get(f"/stories/{story['slug']}/claims/new").get_data(as_text=True), "html.parser")
    offered = {o["value"]: o.get_text(strip=True) for o in page.select("select#claimant_type option")}
    assert offered["organization"] == "Organisation", offered  # the stored word stays: the database checks it
    assert "Organization" not in page.get_text(" ")
