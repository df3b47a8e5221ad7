"""The triage queue in the editor: accept, merge, dismiss, with CSRF, escaping and access checks."""

from __future__ import annotations

import random
import re

import pytest
from bs4 import BeautifulSoup

from tests.conftest import csrf_from
from tests.test_candidates import LEDGER, article_page, ingest, ingest_and_read
from tracker import candidates, claims, coverage, extraction
from tracker.store import ingest_page


@pytest.fixture(autouse=True)
def _people(accounts):
    """Every test here signs someone in."""
    return accounts


@pytest.fixture
def ledger(db, story):
    url = "https://ledger.example/acme"
    page = ingest_and_read(db, story, url, article_page(url, "Daily Ledger", LEDGER))
    found = {c["text"]: c for c in candidates.list_queue(db, story["id"], 50)}
    return {
        "revision_id": page["revision_id"],
        "claim": found[LEDGER[0]],
        "quote": found[LEDGER[1]],
        "union": found[LEDGER[2]],
    }


def queue_url(story) -> str:
    return f"/stories/{story['slug']}/triage"


def post(client, story, action: str, data: dict, token: str | None = None):
    if token is None:
        token = csrf_from(client.get(queue_url(story)).get_data(as_text=True))
    return client.post(f"{queue_url(story)}/{action}", data={"csrf_token": token, **data})


def state(db, candidate_id: int) -> str:
    return db.execute("SELECT state FROM candidates WHERE id = ?", [candidate_id]).fetchone()[0]


# --------------------------------------------------------------------------- access


def test_anonymous_visitors_are_sent_to_sign_in(client, story, ledger, db):
    response = client.get(queue_url(story))
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")
    token = csrf_from(client.get("/login").get_data(as_text=True))
    response = client.post(
        f"{queue_url(story)}/dismiss", data={"csrf_token": token, "candidate_id": ledger["union"]["id"], "reason": "x"}
    )
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")
    assert state(db, ledger["union"]["id"]) == "pending"


@pytest.mark.parametrize("role", ["reporter", "editor", "admin"])
def test_reporters_and_editors_triage(client, auth, accounts, story, ledger, db, role):
    auth.login(role)
    assert client.get(queue_url(story)).status_code == 200
    response = post(client, story, "accept", {"candidate_id": ledger["claim"]["id"]})
    assert response.status_code == 303
    candidate = candidates.get_candidate(db, ledger["claim"]["id"])
    assert (candidate["state"], candidate["decided_by"]) == ("accepted", accounts[role]["id"])


# --------------------------------------------------------------------------- the page


def test_queue_shows_each_sentence_highlighted_in_its_paragraph_with_its_attribution(client, auth, story, ledger):
    auth.login("reporter")
    html = client.get(queue_url(story) + "?sort=newest").get_data(as_text=True)  # one article: reading order
    soup = BeautifulSoup(html, "html.parser")
    cards = soup.select("[data-candidate]")
    assert [c["id"] for c in cards] == [f"candidate-{ledger[k]['id']}" for k in ("claim", "quote", "union")]
    quote = soup.select_one(f"#candidate-{ledger['quote']['id']}")
    sentence = quote.select_one("mark.attr-sentence")
    assert not sentence.select(".visually-hidden")  # the card's heading, and name, is the paragraph alone
    assert sentence.get_text() == LEDGER[1]
    parts = {m["class"][-1]: m.get_text() for m in sentence.select("mark.attr")}
    assert parts == {
        "attr--content": "We are reviewing every option",
        "attr--cue": "said",
        "attr--source": "Dana Okafor",
    }
    legend = quote.select_one(".attr-legend")
    assert not legend.has_attr("aria-hidden")  # read out, not only coloured, after the heading
    assert [m.get_text() for m in legend.select("mark")] == [
        "Source: Dana Okafor. ",
        "Cue: said. ",
        "What was said: We are reviewing every option. ",
    ]
    for hidden in legend.select(".visually-hidden"):
        hidden.extract()
    assert [m.get_text() for m in legend.select("mark")] == ["Source", "Cue", "What was said"]  # as it is seen
    assert quote.select_one(".kind").get_text() == "Quote"
    assert quote.select_one(".triage-claimant").get_text() == "Dana Okafor"
    assert "Named person" in quote.get_text()
    assert quote.select_one(".triage-outlet").get_text() == "Daily Ledger"
    assert "Published 2 Mar 2026" in quote.get_text()
    assert quote.select_one("textarea[name=text]").get_text() == "We are reviewing every option"
    for action in ("accept", "merge", "dismiss"):
        form = quote.select_one(f"form[action$='/triage/{action}']")
        assert form["method"] == "post"
        assert form.select_one("input[name=csrf_token]")["value"]
        assert form.select_one("input[name=candidate_id]")["value"] == str(ledger["quote"]["id"])


def test_the_page_loads_its_keys_from_a_file_and_shows_the_legend(client, auth, story, ledger):
    auth.login("reporter")
    soup = BeautifulSoup(client.get(queue_url(story)).get_data(as_text=True), "html.parser")
    assert soup.select_one("script[src='/static/triage.js']") is not None
    assert not [s for s in soup.find_all("script") if not s.get("src")], "inline script breaks the CSP"
    legend = soup.select_one(".triage-keys").get_text(" ", strip=True)
    for key in ("j", "k", "a", "m", "d"):
        assert re.search(rf"\b{key}\b", legend)
    assert client.get("/static/triage.js").status_code == 200


def test_the_shortcut_list_names_the_triage_keys(client, auth, story, ledger):
    """On a phone the queue's legend of keys is hidden to leave room for the candidates, and "?" listed every
    shortcut but accept, merge and dismiss: a reporter with a keyboard on a phone had nowhere to learn them."""
    auth.login("reporter")
    soup = BeautifulSoup(client.get(queue_url(story)).get_data(as_text=True), "html.parser")
    listed = {
        " ".join(dt.get_text(" ", strip=True).split()): dd.get_text(" ", strip=True)
        for dt, dd in zip(soup.select("#shortcuts dt"), soup.select("#shortcuts dd"), strict=True)
    }
    triage = [said for keys, said in listed.items() if keys.split()[:3] == ["a", "m", "d"]]
    assert len(triage) == 1, listed
    assert all(word in triage[0] for word in ("accept", "merge", "dismiss", "Enter", "Esc")), triage


def test_suggestions_are_offered_for_merging(client, auth, story, ledger, db):
    claim_id = claims.log_claim(db, story["id"], "Acme will close the Riverside plant.", "Acme", "organization", None)
    auth.login("reporter")
    soup = BeautifulSoup(client.get(queue_url(story)).get_data(as_text=True), "html.parser")
    card = soup.select_one(f"#candidate-{ledger['claim']['id']}")
    assert [r["value"] for r in card.select("input[name=claim_id]")][0] == str(claim_id)


def test_only_a_close_suggestion_is_ticked_and_each_says_how_alike_it_is(client, auth, story, ledger, db):
    """The first suggestion was ticked whatever it was, one matched on a single shared word ("similar words")
    as readily as the claim the sentence says: `m` then Enter merged into the unrelated claim. Only a claim
    sharing most of its words with the sentence is ticked now, and each says how alike it is."""
    closure = claims.log_claim(
        db, story["id"], "Acme will close the Riverside plant in June.", "Acme", "organization", None
    )
    office = claims.log_claim(db, story["id"], "Acme opened a new office in Lagos.", "Acme", "organization", None)
    auth.login("reporter")
    soup = BeautifulSoup(client.get(queue_url(story)).get_data(as_text=True), "html.parser")

    def offered(candidate) -> dict[int, tuple[bool, str]]:
        card = soup.select_one(f"#candidate-{candidate['id']}")
        return {
            int(r["value"]): (
                r.has_attr("checked"),
                r.find_parent("label").select_one(".muted").get_text(" ", strip=True),
            )
            for r in card.select("input[name=claim_id]")
        }

    close = offered(ledger["claim"])
    assert close[closure][0] and close[closure][1].startswith("most words alike"), close
    assert not close[office][0] and close[office][1].startswith("few words alike"), close
    loose = offered(ledger["quote"])  # shares only "Acme" with either
    assert set(loose) == {closure, office} and not any(ticked for ticked, _ in loose.values()), loose
    assert all(said.startswith("few words alike") for _, said in loose.values()), loose
    card = soup.select_one(f"#candidate-{ledger['quote']['id']}")
    assert "None is ticked" in card.select_one(".triage-form--merge").get_text(" ", strip=True)


def test_empty_queue_explains_where_candidates_come_from_and_what_is_still_unread(client, auth, story, db):
    auth.login("reporter")
    html = client.get(queue_url(story)).get_data(as_text=True)
    assert "Nothing waiting" in html and "after each scrape pass" in html and "--extract" not in html
    url = "https://ledger.example/acme"
    ingest_page(db, story, url, article_page(url, "Daily Ledger", LEDGER))  # stored, not yet read for claims
    html = client.get(queue_url(story)).get_data(as_text=True)
    assert "1 stored text is not read yet" in html and f"candidates {story['slug']} --extract" in html
    extraction.extract_waiting(db, story["id"])
    html = client.get(queue_url(story)).get_data(as_text=True)
    assert "Nothing waiting" not in html and "not read yet" not in html


# --------------------------------------------------------------------------- decisions


def test_accept_logs_the_claim_with_exact_evidence_and_reopens_at_the_next_candidate(client, auth, story, ledger, db):
    auth.login("reporter")
    response = post(client, story, "accept", {"candidate_id": ledger["quote"]["id"], "next": ledger["union"]["id"]})
    assert response.status_code == 303
    assert response.headers["Location"] == f"{queue_url(story)}#candidate-{ledger['union']['id']}"
    claim_id = candidates.get_candidate(db, ledger["quote"]["id"])["claim_id"]
    [evidence] = claims.evidence_for(db, claim_id)
    assert (evidence["start"], evidence["end"], evidence["quote"]) == (
        ledger["quote"]["start"],
        ledger["quote"]["end"],
        LEDGER[1],
    )
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert f"Accepted as claim {claim_id}" in page
    assert f'id="candidate-{ledger["quote"]["id"]}"' not in page


def test_accept_with_the_reporters_wording(client, auth, story, ledger, db):
    auth.login("editor")
    post(
        client,
        story,
        "accept",
        {
            "candidate_id": ledger["claim"]["id"],
            "text": "Acme will close the Riverside plant in June.",
            "claimant": "People familiar with the plan",
            "claimant_type": "anonymous",
        },
    )
    claim = claims.get_claim(db, candidates.get_candidate(db, ledger["claim"]["id"])["claim_id"])
    assert (claim["text"], claim["claimant"], claim["claimant_type"]) == (
        "Acme will close the Riverside plant in June.",
        "People familiar with the plan",
        "anonymous",
    )


def test_a_refused_accept_keeps_what_was_typed(client, auth, story, ledger, db):
    auth.login("reporter")
    response = post(
        client,
        story,
        "accept",
        {"candidate_id": ledger["claim"]["id"], "text": "My rewording", "claimant_type": "psychic"},
    )
    assert response.status_code == 422
    soup = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    card = soup.select_one(f"#candidate-{ledger['claim']['id']}")
    assert "Unknown claimant type" in card.select_one(".triage-error").get_text()
    assert card.select_one("textarea[name=text]").get_text() == "My rewording"
    assert card.select_one("details.triage-edit").has_attr("open")
    assert state(db, ledger["claim"]["id"]) == "pending"
    assert db.execute("SELECT count(*) FROM claims").fetchone()[0] == 0


@pytest.mark.parametrize("how", ["claim_id", "number", "hash", "address"])
def test_merge_into_a_suggested_or_numbered_claim(client, auth, story, ledger, db, how):
    claim_id = claims.log_claim(db, story["id"], "Acme is weighing its options.", "Acme", "organization", None)
    data = {
        "claim_id": {"claim_id": str(claim_id)},
        "number": {"claim_ref": str(claim_id)},
        "hash": {"claim_ref": f" #{claim_id} "},
        "address": {"claim_ref": f"http://localhost/claims/{claim_id}"},
    }[how]
    auth.login("reporter")
    response = post(client, story, "merge", {"candidate_id": ledger["quote"]["id"], **data})
    assert response.status_code == 303
    assert [e["quote"] for e in claims.evidence_for(db, claim_id)] == [LEDGER[1]]
    assert candidates.get_candidate(db, ledger["quote"]["id"])["claim_id"] == claim_id


@pytest.mark.parametrize(
    ("data", "message"),
    [({}, "Choose the claim to merge into"), ({"claim_ref": "twelve"}, "is not a claim number")],
)
def test_merge_without_a_claim_is_refused_clearly(client, auth, story, ledger, db, data, message):
    auth.login("reporter")
    response = post(client, story, "merge", {"candidate_id": ledger["quote"]["id"], **data})
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert state(db, ledger["quote"]["id"]) == "pending"


def test_merge_into_a_missing_claim_is_refused(client, auth, story, ledger, db):
    auth.login("reporter")
    response = post(client, story, "merge", {"candidate_id": ledger["quote"]["id"], "claim_ref": "98765"})
    assert response.status_code == 422
    assert "No claim with id 98765" in response.get_data(as_text=True)
    assert state(db, ledger["quote"]["id"]) == "pending"


def test_dismiss_needs_a_reason(client, auth, story, ledger, db):
    auth.login("reporter")
    response = post(client, story, "dismiss", {"candidate_id": ledger["union"]["id"], "reason": "  "})
    assert response.status_code == 422
    soup = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    reason = soup.select_one(f"#reason-{ledger['union']['id']}")
    assert reason["aria-invalid"] == "true"
    assert "a reason is required" in soup.select_one(f"#candidate-{ledger['union']['id']}-error").get_text()
    assert state(db, ledger["union"]["id"]) == "pending"
    response = post(client, story, "dismiss", {"candidate_id": ledger["union"]["id"], "reason": "Not about the plant"})
    assert response.status_code == 303
    assert state(db, ledger["union"]["id"]) == "dismissed"
    decided = client.get(f"{queue_url(story)}?state=dismissed").get_data(as_text=True)
    assert "Not about the plant" in decided and "by reporter" in decided


@pytest.mark.parametrize("reason", ["Not a claim: the minutes are a document.", "Already logged!", "Who said it?"])
def test_the_dismissal_notice_ends_the_reason_once(client, auth, story, ledger, reason):
    """A reason typed as a sentence came back as "Dismissed: ... document.." with a second full stop."""
    auth.login("reporter")
    post(client, story, "dismiss", {"candidate_id": ledger["union"]["id"], "reason": reason})
    page = BeautifulSoup(client.get(queue_url(story)).get_data(as_text=True), "html.parser")
    assert page.select_one(".flash--success").get_text(" ", strip=True) == f"Dismissed: {reason}"


def test_an_already_decided_candidate_is_refused_cleanly(client, auth, story, ledger, db):
    auth.login("reporter")
    post(client, story, "dismiss", {"candidate_id": ledger["union"]["id"], "reason": "No"})
    response = post(client, story, "accept", {"candidate_id": ledger["union"]["id"]})
    assert response.status_code == 409
    assert "was already dismissed" in response.get_data(as_text=True)
    assert db.execute("SELECT count(*) FROM claims").fetchone()[0] == 0
    assert state(db, ledger["union"]["id"]) == "dismissed"


def test_a_form_without_its_csrf_token_changes_nothing(client, auth, story, ledger, db):
    auth.login("reporter")
    for action, extra in (("accept", {}), ("merge", {"claim_ref": "1"}), ("dismiss", {"reason": "No"})):
        response = client.post(f"{queue_url(story)}/{action}", data={"candidate_id": ledger["union"]["id"], **extra})
        assert response.status_code == 400
        assert "This form has expired" in response.get_data(as_text=True)
        response = post(client, story, action, {"candidate_id": ledger["union"]["id"], **extra}, token="forged")
        assert response.status_code == 400
    assert state(db, ledger["union"]["id"]) == "pending"


@pytest.mark.parametrize("candidate_id", ["", "abc", "99999999", "1" * 30])
def test_a_bad_or_unknown_candidate_is_a_clear_error(client, auth, story, ledger, candidate_id):
    auth.login("reporter")
    response = post(client, story, "dismiss", {"candidate_id": candidate_id, "reason": "No"})
    assert response.status_code in (400, 404)
    assert "Traceback" not in response.get_data(as_text=True)


def test_a_candidate_of_another_story_is_not_found_here(client, auth, db, ledger):
    from tracker import stories

    other = stories.create_story(db, "other-story", "Another story")
    auth.login("reporter")
    response = post(client, other, "dismiss", {"candidate_id": ledger["union"]["id"], "reason": "No"})
    assert response.status_code == 404
    assert state(db, ledger["union"]["id"]) == "pending"


def test_unknown_story_is_not_found(client, auth):
    auth.login("reporter")
    assert client.get("/stories/no-such-story/triage").status_code == 404


# --------------------------------------------------------------------------- escaping


def test_scraped_text_outlet_and_title_render_inert(client, auth, db, story):
    item = coverage.upsert_item(
        db,
        story["id"],
        "https://evil.example/x",
        outlet='<img src=x onerror="alert(1)">',
        title="<script>alert('title')</script>",
        published_at="2026-03-02T10:00:00Z",
    )
    text = "Intro line.\nAcme said <script>alert('xss')</script> the plant is <b onmouseover=alert(2)>safe</b>."
    revision_id, _ = coverage.add_revision(db, item, text)
    assert extraction.create_candidates(db, revision_id) == 1
    auth.login("reporter")
    html = client.get(queue_url(story)).get_data(as_text=True)
    assert "<script>alert" not in html
    assert "<img src=x" not in html and "<b onmouseover" not in html
    assert "&lt;script&gt;alert(&#39;xss&#39;)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=" in html
    soup = BeautifulSoup(html, "html.parser")
    assert not soup.select("[onerror], [onmouseover]")
    card = soup.select_one("[data-candidate]")
    assert len(card.select("mark.attr-sentence")) == 1
    assert all(m.get("class") for m in soup.select("mark"))  # every mark is the page's own, none scraped


def test_a_card_is_headed_by_its_sentence_then_says_who_said_it(client, auth, story, ledger):
    """A reporter triaging reads the sentence first; the claimant, kind and score describe it. The card's heading
    (what a screen reader lists and the card is named by) is the sentence in its paragraph, the claimant no
    heading at all."""
    auth.login("reporter")
    soup = BeautifulSoup(client.get(queue_url(story) + "?sort=newest").get_data(as_text=True), "html.parser")
    quote = soup.select_one(f"#candidate-{ledger['quote']['id']}")
    [heading] = quote.select("h2, h3")
    assert heading["id"] == quote["aria-labelledby"]
    assert heading.select_one("mark.attr-sentence") is not None
    assert quote.find(True) is heading  # the first thing on the card
    assert quote.select_one(".triage-claimant").name not in ("h2", "h3")
    assert quote.select_one(".triage-claimant").find_previous(["h2", "h3"]) is heading


# --------------------------------------------------------------------------- the claim page


def test_the_claim_page_shows_independent_and_repeating_outlets(client, auth, story, ledger, db):
    wire_url = "https://wire.example/acme"
    wire = ingest_and_read(db, story, wire_url, article_page(wire_url, "Wire Service", ["Acme will shut the plant."]))
    auth.login("reporter")
    post(client, story, "accept", {"candidate_id": ledger["claim"]["id"]})
    claim_id = candidates.get_candidate(db, ledger["claim"]["id"])["claim_id"]
    copy_url = "https://coastline.example/acme"
    copy = ingest_and_read(
        db,
        story,
        copy_url,
        article_page(
            copy_url, "Coastline News", ["Acme will close the plant, according to a report by the Daily Ledger."]
        ),
    )
    claims.add_evidence(db, claim_id, copy["revision_id"], "Acme will close the plant", "supports", None)
    assert wire["revision_id"]
    soup = BeautifulSoup(client.get(f"/claims/{claim_id}").get_data(as_text=True), "html.parser")
    panel = soup.select_one("#sources")
    assert "Independent sources: 1, outlets repeating: 1" in panel.get_text(" ", strip=True).replace(" ,", ",")
    assert "attributes it to the Daily Ledger" in panel.get_text(" ", strip=True)


def test_accepting_with_the_claim_text_emptied_marks_the_text(client, auth, story, ledger, db):
    auth.login("reporter")
    candidate_id = ledger["claim"]["id"]
    response = post(client, story, "accept", {"candidate_id": candidate_id, "text": "  ", "claimant": "Kept claimant"})
    assert response.status_code == 422
    soup = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    text = soup.select_one(f"#text-{candidate_id}")
    assert text["aria-invalid"] == "true"
    assert "needs its text" in soup.find(id=text["aria-describedby"]).get_text()
    assert soup.select_one(f"#claimant-{candidate_id}")["value"] == "Kept claimant"
    assert soup.select_one(f"#claimant-{candidate_id}").get("aria-invalid") is None
    assert state(db, candidate_id) == "pending"


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("state=dismised", "Unknown candidate state"),
        ("sort=oldest", "Unknown order"),
        ("state=dismissed&sort=%3Cb%3Ebold%3C/b%3E", "Unknown order"),
        ("at=not-a-place", "That page link is damaged"),
        ("at=WzEsMl0", "That page link is damaged"),  # [1,2]: a place in no queue's order
        ("at=WzFlOTk5LCIyMDI2IiwxLDEsMV0", "That page link is damaged"),  # a score of infinity
        ("state=dismissed&at=WzEsIjIwMjYiLDEsMSwxXQ", "That page link is damaged"),  # the waiting queue's place
    ],
)
def test_a_mistyped_filter_in_the_address_is_said_in_one_line(client, auth, story, ledger, db, query, message):
    """A link with a misspelt state once showed the waiting queue as if it were the one asked for."""
    auth.login("reporter")
    response = client.get(f"{queue_url(story)}?{query}")
    assert response.status_code == 400
    soup = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    [alert] = soup.select("[role=alert]")
    assert message in alert.get_text(" ", strip=True)
    assert "<b>" not in str(alert)
    assert not soup.select("[data-candidate]")
    assert state(db, ledger["union"]["id"]) == "pending"


def _page_ids(html: str) -> list[int]:
    return [int(card["id"].split("-")[1]) for card in BeautifulSoup(html, "html.parser").select("[data-candidate]")]


def _pager_link(html: str, rel: str) -> str:
    return BeautifulSoup(html, "html.parser").select_one(f".pager a[rel={rel}]")["href"]


@pytest.mark.parametrize("sort", ["newest", "check"])
def test_candidates_arriving_while_a_reporter_pages_are_not_shown_twice(client, auth, story, db, sort):
    """A scrape pass adding candidates between page 1 and "Next" pushed page 1's last ones onto page 2."""
    sentences = [f"Acme will close plant number {i}, a spokesperson said." for i in range(14)]
    ingest(db, story, "https://ledger.example/plants", "Daily Ledger", sentences, published="2026-03-02T10:00:00Z")
    auth.login("reporter")
    first = client.get(f"{queue_url(story)}?sort={sort}").get_data(as_text=True)
    seen = _page_ids(first)
    assert len(seen) == 10
    before = db.execute("SELECT max(id) FROM candidates").fetchone()[0]
    arriving = [f"Acme will also sell warehouse number {i}, the mayor said." for i in range(4)]
    ingest(db, story, "https://wire.example/sale", "Wire", arriving, published="2026-03-03T10:00:00Z")
    db.execute("UPDATE candidates SET check_score = 0.99 WHERE id > ?", [before])  # worth checking first
    db.conn.commit()
    second = client.get(_pager_link(first, "next")).get_data(as_text=True)
    assert not set(_page_ids(second)) & set(seen)
    assert len(set(_page_ids(second)) | set(seen)) == 14
    assert "4 new candidates arrived" in BeautifulSoup(second, "html.parser").get_text(" ", strip=True)
    again = client.get(_pager_link(second, "prev")).get_data(as_text=True)
    assert _page_ids(again) == seen
    form = BeautifulSoup(second, "html.parser").select_one("form[action$='/triage/dismiss']")
    fields = {i["name"]: i["value"] for i in form.select("input[type=hidden]")}
    response = client.post(form["action"], data={**fields, "reason": "Not a claim"})
    assert response.status_code == 303
    after = client.get(response.headers["Location"]).get_data(as_text=True)
    assert set(_page_ids(after)) == set(_page_ids(second)) - {int(fields["candidate_id"])}


def test_after_a_decision_the_queue_reopens_past_the_copies_it_settled(client, auth, story, db):
    """Copies of a sentence score alike and sit together: the queue reopened at the copy just settled, gone."""
    ingest(db, story, "https://ledger.example/acme", "Daily Ledger", LEDGER, published="2026-03-02T10:00:00Z")
    ingest(db, story, "https://wire.example/acme", "Wire", LEDGER[:1], published="2026-03-01T10:00:00Z")
    db.execute("UPDATE candidates SET check_score = CASE WHEN text = ? THEN 0.9 ELSE 0.5 END", [LEDGER[0]])
    db.conn.commit()
    auth.login("reporter")
    html = client.get(queue_url(story)).get_data(as_text=True)
    [first, copy, following, *_] = _page_ids(html)
    assert {candidates.get_candidate(db, i)["text"] for i in (first, copy)} == {LEDGER[0]}
    form = BeautifulSoup(html, "html.parser").select_one(f"#candidate-{first} form[action$='/triage/dismiss']")
    fields = {i["name"]: i["value"] for i in form.select("input[type=hidden]")}
    response = client.post(form["action"], data={**fields, "reason": "Not about this story"})
    assert state(db, copy) == "dismissed"
    assert response.headers["Location"].endswith(f"#candidate-{following}")


# --------------------------------------------------------------------------- putting a dismissal back


def _put_back_form(client, story, candidate_id: int):
    html = client.get(f"{queue_url(story)}?state=dismissed").get_data(as_text=True)
    form = BeautifulSoup(html, "html.parser").select_one(f"#candidate-{candidate_id} form[action*='/triage/put-back']")
    assert form is not None, "no put-back form on the dismissed card"
    fields = {i["name"]: i["value"] for i in form.select("input[type=hidden]")}
    assert fields["csrf_token"] and fields["candidate_id"] == str(candidate_id)
    return form["action"], fields


@pytest.mark.parametrize("role", ["reporter", "editor"])
def test_a_dismissal_is_put_back_in_the_queue_with_its_copies(client, auth, accounts, story, db, role):
    ingest(db, story, "https://ledger.example/acme", "Daily Ledger", LEDGER)
    ingest(db, story, "https://wire.example/acme", "Wire", LEDGER[2:])
    auth.login("reporter")
    union = [c["id"] for c in candidates.list_queue(db, story["id"], 50) if c["text"] == LEDGER[2]]
    post(client, story, "dismiss", {"candidate_id": union[0], "reason": "Not about the plant"})
    assert {state(db, i) for i in union} == {"dismissed"}
    auth.logout()
    auth.login(role)
    action, fields = _put_back_form(client, story, union[0])
    response = client.post(action, data=fields)
    assert response.status_code == 303 and "state=dismissed" in response.headers["Location"]
    assert {state(db, i) for i in union} == {"pending"}
    put_by = {r for (r,) in db.execute("SELECT put_back_by FROM candidate_put_backs")}
    assert put_by == {accounts[role]["id"]}
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Put back in the queue" in page and "1 copy of the same sentence" in page
    # The same form sent again (a second tab, a double click): said done, nothing changed.
    again = client.post(action, data=fields)
    assert again.status_code == 303
    assert "Already put back in the queue" in client.get(again.headers["Location"]).get_data(as_text=True)
    assert db.execute("SELECT count(*) FROM candidate_put_backs").fetchone()[0] == 2
    # Someone else's page, opened while it was dismissed: said in one line as another's doing, nothing changed.
    auth.logout()
    auth.login("admin")
    fields = {**fields, "csrf_token": csrf_from(client.get(queue_url(story)).get_data(as_text=True))}
    other = client.post(action, data=fields)
    assert other.status_code == 409
    assert f"already put back in the queue by {role}" in other.get_data(as_text=True)
    assert db.execute("SELECT count(*) FROM candidate_put_backs").fetchone()[0] == 2


def test_putting_one_back_returns_to_the_card_that_followed_it(client, auth, story, ledger, db):
    """A dismissal put back reopened the Dismissed list at its top, the focus on nothing: a reporter going down
    the list lost their place after each one, where accepting or dismissing lands on the next card."""
    auth.login("reporter")
    for name in ("claim", "quote", "union"):
        post(client, story, "dismiss", {"candidate_id": ledger[name]["id"], "reason": "Not about the plant"})
    shown = _page_ids(client.get(f"{queue_url(story)}?state=dismissed").get_data(as_text=True))
    assert len(shown) == 3
    action, fields = _put_back_form(client, story, shown[0])
    response = client.post(action, data=fields)
    assert response.status_code == 303 and "state=dismissed" in response.headers["Location"]
    assert response.headers["Location"].endswith(f"#candidate-{shown[1]}")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert _page_ids(page) == shown[1:]


def test_put_back_needs_its_csrf_token_and_a_dismissed_candidate(client, auth, story, ledger, db):
    auth.login("reporter")
    post(client, story, "dismiss", {"candidate_id": ledger["union"]["id"], "reason": "No"})
    action, fields = _put_back_form(client, story, ledger["union"]["id"])
    assert client.post(action, data={**fields, "csrf_token": "forged"}).status_code == 400
    assert state(db, ledger["union"]["id"]) == "dismissed"
    for bad in ("", "abc", "1" * 30, "99999999"):
        response = client.post(action, data={**fields, "candidate_id": bad})
        assert response.status_code in (400, 404) and "Traceback" not in response.get_data(as_text=True)
    response = client.post(action, data={**fields, "candidate_id": ledger["claim"]["id"]})
    assert response.status_code == 409 and "is waiting in the queue" in response.get_data(as_text=True)
    assert state(db, ledger["union"]["id"]) == "dismissed"


def _walk_pages(client, first_url: str, between=None) -> list[int]:
    """Every candidate id shown from first_url on, following "Next", calling between(ids_so_far) after each page."""
    url, shown = first_url, []
    while url:
        html = client.get(url).get_data(as_text=True)
        shown += _page_ids(html)
        if between:
            between(list(shown))
        link = BeautifulSoup(html, "html.parser").select_one(".pager a[rel=next]")
        url = link["href"] if link else None
    return shown


@pytest.mark.parametrize("sort", ["newest", "check"])
def test_candidates_decided_elsewhere_while_a_reporter_pages_are_never_skipped(client, auth, accounts, story, db, sort):
    """A colleague deciding page 1's candidates moved the rest up: "Next" (an offset) jumped past as many."""
    sentences = [f"Acme will close plant number {i}, a spokesperson said." for i in range(35)]
    ingest(db, story, "https://ledger.example/plants", "Daily Ledger", sentences, published="2026-03-02T10:00:00Z")
    db.execute("UPDATE candidates SET check_score = (id % 7) / 10.0")
    db.conn.commit()
    everyone = [c["id"] for c in candidates.list_queue(db, story["id"], 200, sort=sort)]
    auth.login("reporter")
    decided: list[int] = []

    def colleague(shown):  # decides the first two waiting candidates of the page just read
        for candidate_id in shown[-10:][:2]:
            candidates.dismiss(db, candidate_id, accounts["editor"], "Not a claim")
            decided.append(candidate_id)

    shown = _walk_pages(client, f"{queue_url(story)}?sort={sort}", colleague)
    assert len(shown) == len(set(shown))
    assert shown == everyone


@pytest.mark.parametrize("sort", ["newest", "check"])
def test_a_decided_view_pages_through_every_candidate_once_while_the_queue_moves(
    client, auth, accounts, story, db, sort
):
    """Dismissals made meanwhile went to the top of the Dismissed view and pushed page 1's last ones onto page 2;
    putting some back pulled page 2's first ones onto page 1, where the reporter had already been."""
    sentences = [f"Acme will close plant number {i}, a spokesperson said." for i in range(40)]
    ingest(db, story, "https://ledger.example/plants", "Daily Ledger", sentences, published="2026-03-02T10:00:00Z")
    queue = [c["id"] for c in candidates.list_queue(db, story["id"], 200, sort="newest")]
    for candidate_id in queue[10:]:  # the first ten stay waiting, to be dismissed while the reporter pages
        candidates.dismiss(db, candidate_id, accounts["editor"], "Not a claim")
    everyone = [c["id"] for c in candidates.list_queue(db, story["id"], 200, state="dismissed", sort=sort)]
    auth.login("reporter")

    def meanwhile(shown):
        if len(shown) == 10:
            for candidate_id in queue[:5]:
                candidates.dismiss(db, candidate_id, accounts["editor"], "Not a claim")
            for candidate_id in shown[:3]:
                candidates.put_back(db, candidate_id, accounts["editor"])

    shown = _walk_pages(client, f"{queue_url(story)}?state=dismissed&sort={sort}", meanwhile)
    assert len(shown) == len(set(shown))
    assert [i for i in shown if i in everyone] == everyone  # those dismissed meanwhile may show too, once


def test_deciding_the_last_candidate_of_a_page_reopens_at_the_one_that_followed_it(client, auth, story, db):
    """The last card had no candidate after it on the page, so the queue reopened at the top of the page: a reporter
    working down it with the keys was sent back to the first card."""
    sentences = [f"Acme will close plant number {i}, a spokesperson said." for i in range(12)]
    ingest(db, story, "https://ledger.example/plants", "Daily Ledger", sentences, published="2026-03-02T10:00:00Z")
    auth.login("reporter")
    html = client.get(f"{queue_url(story)}?sort=newest").get_data(as_text=True)
    *_, last = _page_ids(html)
    following = [c["id"] for c in candidates.list_queue(db, story["id"], 50, sort="newest")][10]
    form = BeautifulSoup(html, "html.parser").select_one(f"#candidate-{last} form[action$='/triage/dismiss']")
    fields = {i["name"]: i["value"] for i in form.select("input[type=hidden]")}
    response = client.post(form["action"], data={**fields, "reason": "Not a claim"})
    assert response.headers["Location"].endswith(f"#candidate-{following}")
    assert following in _page_ids(client.get(response.headers["Location"]).get_data(as_text=True))


def test_the_dismissed_view_says_candidates_were_dismissed_meanwhile_not_that_new_ones_arrived(
    client, auth, accounts, story, db
):
    """Paging the Dismissed view while a colleague dismissed more said "1 new candidate arrived": none had."""
    sentences = [f"Acme will close plant number {i}, a spokesperson said." for i in range(14)]
    ingest(db, story, "https://ledger.example/plants", "Daily Ledger", sentences, published="2026-03-02T10:00:00Z")
    ids = sorted(c["id"] for c in candidates.list_queue(db, story["id"], 50))
    for candidate_id in ids[:-1]:
        candidates.dismiss(db, candidate_id, accounts["editor"], "Not a claim")
    auth.login("reporter")
    first = client.get(f"{queue_url(story)}?state=dismissed").get_data(as_text=True)
    candidates.dismiss(db, ids[-1], accounts["editor"], "Not a claim")
    second = client.get(_pager_link(first, "next")).get_data(as_text=True)
    notice = BeautifulSoup(second, "html.parser").select_one(".triage-arrived").get_text(" ", strip=True)
    assert notice.startswith("1 more candidate dismissed since you opened this list"), notice


def test_putting_back_a_long_sentence_says_which_one_without_cutting_a_word_in_two(client, auth, accounts, story, db):
    """It cut the sentence at 120 characters, mid-word and with no sign it went on ("..., a spokesp")."""
    sentence = (
        "Acme Corp will close its Riverside plant in June and move the production line to Ohio by the end of "
        "next year, a spokesperson for the company said on Tuesday."
    )
    ingest(db, story, "https://ledger.example/acme", "Daily Ledger", [sentence])
    [candidate] = candidates.list_queue(db, story["id"], 50)
    candidates.dismiss(db, candidate["id"], accounts["editor"], "Not a claim")
    auth.login("reporter")
    action, fields = _put_back_form(client, story, candidate["id"])
    page = client.get(client.post(action, data=fields).headers["Location"]).get_data(as_text=True)
    said = BeautifulSoup(page, "html.parser").select_one(".flash--success").get_text(" ", strip=True)
    assert said.startswith("Put back in the queue: “Acme Corp will close") and said.endswith(
        "by the end of next year, a…”"
    )


@pytest.mark.parametrize("sort", [None, "newest"])
def test_an_old_page_link_opens_that_page(client, auth, story, db, sort):
    """Links bookmarked before pages started at a candidate (`?page=3`) opened the first page, with no word of it."""
    sentences = [f"Acme will close plant number {i}, a spokesperson said." for i in range(25)]
    ingest(db, story, "https://ledger.example/plants", "Daily Ledger", sentences, published="2026-03-02T10:00:00Z")
    db.execute("UPDATE candidates SET check_score = (id % 7) / 10.0")
    db.conn.commit()
    auth.login("reporter")
    view = f"&sort={sort}" if sort else ""
    everyone = _walk_pages(client, f"{queue_url(story)}?{view[1:]}")
    assert len(everyone) == 25
    for page, expected in ((1, everyone[:10]), (2, everyone[10:20]), (3, everyone[20:])):
        response = client.get(f"{queue_url(story)}?page={page}{view}", follow_redirects=True)
        assert response.status_code == 200
        assert _page_ids(response.get_data(as_text=True)) == expected, page
    # Past the end: the last page; nonsense: the first. Never an error.
    for page, expected in (("9", everyone[20:]), ("0", everyone[:10]), ("x", everyone[:10]), ("9" * 40, everyone[20:])):
        response = client.get(f"{queue_url(story)}?page={page}{view}", follow_redirects=True)
        assert response.status_code == 200, page
        assert _page_ids(response.get_data(as_text=True)) == expected, page
    # The page it lands on pages on from there, as any other.
    third = client.get(f"{queue_url(story)}?page=2{view}", follow_redirects=True).get_data(as_text=True)
    assert _page_ids(client.get(_pager_link(third, "next")).get_data(as_text=True)) == everyone[20:]
    assert _page_ids(client.get(_pager_link(third, "prev")).get_data(as_text=True)) == everyone[:10]


def test_merging_a_sentence_the_claim_already_cites_adds_no_second_evidence(client, auth, story, ledger, db):
    """A sentence a claim already quotes is offered that claim, ticked: merging it says the claim already cites it
    and keeps the one piece of evidence, rather than reporting "more evidence" that is the same quote."""
    claim_id = claims.log_claim(db, story["id"], "Acme is weighing its options.", "Acme", "organization", None)
    claims.add_evidence(db, claim_id, ledger["revision_id"], LEDGER[1], "supports", None)
    auth.login("reporter")
    soup = BeautifulSoup(client.get(queue_url(story)).get_data(as_text=True), "html.parser")
    ticked = soup.select_one(f"#candidate-{ledger['quote']['id']} input[name=claim_id][checked]")
    assert ticked is not None and ticked["value"] == str(claim_id)
    response = post(client, story, "merge", {"candidate_id": ledger["quote"]["id"], "claim_id": str(claim_id)})
    assert response.status_code == 303
    assert [e["quote"] for e in claims.evidence_for(db, claim_id)] == [LEDGER[1]]
    assert db.execute("SELECT count(*) FROM evidence").fetchone()[0] == 1
    assert state(db, ledger["quote"]["id"]) == "merged"
    said = BeautifulSoup(client.get(queue_url(story)).get_data(as_text=True), "html.parser")
    flash = said.select_one(".flash--success").get_text(" ", strip=True)
    assert f"already cited by claim {claim_id}" in flash, flash


def test_a_sentence_a_claim_quotes_part_of_says_so_and_merging_adds_only_the_rest(client, auth, story, ledger, db):
    """The card said the claim "cites this sentence" when its evidence quoted only the words spoken, and merging
    said "more evidence" while adding the whole sentence again over the reporter's quote."""
    claim_id = claims.log_claim(db, story["id"], "Acme is weighing its options.", "Acme", "organization", None)
    claims.add_evidence(db, claim_id, ledger["revision_id"], "We are reviewing every option", "supports", None)
    auth.login("reporter")
    card = BeautifulSoup(client.get(queue_url(story)).get_data(as_text=True), "html.parser").select_one(
        f"#candidate-{ledger['quote']['id']}"
    )
    choice = card.select_one(f"input[name=claim_id][value='{claim_id}']").find_parent("label").get_text(" ", strip=True)
    assert "cites part of this sentence" in choice and "words)" not in choice, choice
    notes = card.select_one(".triage-notes").get_text(" ", strip=True)
    assert f"Part of this sentence is already evidence of ○ Unreviewed claim {claim_id}" in notes, notes
    response = post(client, story, "merge", {"candidate_id": ledger["quote"]["id"], "claim_id": str(claim_id)})
    assert response.status_code == 303
    assert [e["quote"] for e in claims.evidence_for(db, claim_id)] == [
        "We are reviewing every option",
        "said Dana Okafor, a spokesperson for Acme.",
    ]
    said = BeautifulSoup(client.get(queue_url(story)).get_data(as_text=True), "html.parser")
    flash = said.select_one(".flash--success").get_text(" ", strip=True)
    assert (
        f"Merged into claim {claim_id}: it already quoted part of this sentence, so only the rest was added "
        "(“said Dana Okafor, a spokesperson for Acme.”)."
    ) in flash, flash


def test_merging_into_a_claim_with_many_small_quotes_keeps_the_session_cookie_small(client, auth, story, db):
    """A merge's message listed every quote it added and is carried to the next page in the session cookie: a long
    sentence a claim already quoted in many small pieces pushed the cookie past the 4 KB browsers keep, and the
    reporter lost the message or was signed out. The message names the first quotes and how many more."""
    letters = random.Random(7)  # random letters outside the BMP: text zlib barely shrinks, the cookie's worst case

    def word() -> str:
        return "".join(chr(letters.randrange(0x20000, 0x2A6E0)) for _ in range(3))

    small = [word() for _ in range(70)]
    sentence = "“" + " ".join(f"{w} {word()} {word()} {word()} {word()}" for w in small) + ",” said Dana Okafor."
    url = "https://ledger.example/many"
    page = ingest_and_read(db, story, url, article_page(url, "Daily Ledger", [sentence]))
    [candidate] = [c for c in candidates.list_queue(db, story["id"], 50) if c["text"] == sentence]
    claim_id = claims.log_claim(db, story["id"], "Acme listed its plans.", "Acme", "organization", None)
    for quote in small:
        claims.add_evidence(db, claim_id, page["revision_id"], quote, "supports", None)
    auth.login("reporter")
    response = post(client, story, "merge", {"candidate_id": candidate["id"], "claim_id": str(claim_id)})
    assert response.status_code == 303
    added = [e["quote"] for e in claims.evidence_for(db, claim_id)][len(small) :]
    assert len(added) == len(small), added
    cookie = next(h for h in response.headers.getlist("Set-Cookie") if h.startswith("tracker_session="))
    assert len(cookie.split(";", 1)[0]) < 4000, len(cookie)
    said = BeautifulSoup(client.get(queue_url(story)).get_data(as_text=True), "html.parser")
    flash = said.select_one(".flash--success").get_text(" ", strip=True)
    assert f"Merged into claim {claim_id}: it already quoted part of this sentence" in flash, flash
    assert f"(“{added[0]}”, “{added[1]}”, “{added[2]}” and {len(added) - 3} more)." in flash, flash


# --------------------------------------------------------------------------- the same decision sent twice


@pytest.mark.parametrize("action", ["accept", "merge", "dismiss"])
def test_a_decision_sent_twice_is_said_done_not_refused(client, auth, accounts, story, ledger, db, action):
    """A double click on Accept, Merge or Dismiss (or a reload of its post) answered 409 "already accepted", an
    error page for the decision the reporter had just made. Another person's decision is still refused."""
    claim_id = claims.log_claim(db, story["id"], "Acme closes the plant", "Acme", "organization", accounts["editor"])
    fields = {
        "accept": {},
        "merge": {"claim_id": str(claim_id)},
        "dismiss": {"reason": "Not about the plant"},
    }[action]
    candidate_id = ledger["quote"]["id"]
    auth.login("reporter")
    sent = [post(client, story, action, {"candidate_id": candidate_id, **fields}) for _ in range(2)]
    assert [s.status_code for s in sent] == [303, 303], sent[1].get_data(as_text=True)[:400]
    page = client.get(sent[1].headers["Location"]).get_data(as_text=True)
    assert "Already" in page and "someone" not in page
    assert db.execute("SELECT count(*) FROM claims").fetchone()[0] == (2 if action == "accept" else 1)
    assert db.execute("SELECT count(*) FROM evidence").fetchone()[0] == (0 if action == "dismiss" else 1)
    auth.logout()
    auth.login("editor")
    refused = post(client, story, action, {"candidate_id": candidate_id, **fields})
    assert refused.status_code == 409
    assert "already" in refused.get_data(as_text=True)
