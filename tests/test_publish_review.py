"""Review before readers: every change to published content is listed for an editor, and a publish carries
exactly the list the editor saw (tracker/publish_review.py, the editor's Publish page, `publish` on the CLI)."""

from __future__ import annotations

import html
import json
import re
import sqlite3

import pytest
from bs4 import BeautifulSoup
from click.testing import CliRunner

from tests.conftest import csrf_from, publish_form, python_output
from tracker import claims, coverage, developments, questions, users
from tracker.cli import cli
from tracker.publish_log import publish_and_log
from tracker.publish_review import ReviewChanged, compare_files, review, word_diff

CLAIM = "Acme will close the Leeds plant in March"
CLAIMANT = "Acme spokesperson"
QUESTION = "Will the Leeds plant close?"
DEVELOPMENT = "Acme's March board meeting"


def published_story(db, story, accounts) -> dict:
    """A published claim with evidence, a published answered question linked to it and a published development."""
    editor = accounts["editor"]
    item = coverage.upsert_item(db, story["id"], "https://news.example/leeds", outlet="News Example", title="Leeds")
    revision_id, _ = coverage.add_revision(db, item, "An Acme spokesperson said the plant closes in March.")
    claim_id = claims.log_claim(db, story["id"], CLAIM, CLAIMANT, "organization", editor)
    evidence_id = claims.add_evidence(db, claim_id, revision_id, "the plant closes in March", "supports", editor)
    claims.set_status(
        db, claim_id, "unclear", editor, "One source", 1, "One source so far.", evidence_ids=[evidence_id]
    )
    claims.set_published(db, claim_id, True, editor, 2)
    question_id = questions.create_question(db, story["id"], QUESTION, editor)
    questions.link_claim(db, question_id, claim_id, "answers_yes", editor, 1)
    questions.write_answer(db, question_id, "Acme says so; nobody else has confirmed it.", editor, 2)
    questions.set_question_published(db, question_id, True, editor, 3)
    development_id = developments.create_development(db, story["id"], DEVELOPMENT, editor, expectation="in March")
    developments.set_development_published(db, development_id, True, editor, 1)
    return {"claim": claim_id, "question": question_id, "development": development_id, "coverage": item}


def rule_again(db, claim_id: int, editor: dict) -> None:
    """The editor's ruling on a claim's new wording (its earlier ruling stays with the earlier wording)."""
    cited = [e["id"] for e in claims.evidence_for(db, claim_id)]
    version = claims.get_claim(db, claim_id)["version"]
    claims.set_status(db, claim_id, "unclear", editor, "Still one", version, "One source so far.", evidence_ids=cited)


def public_rows(path, sql: str) -> list[tuple]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def test_a_reporters_edits_to_published_items_wait_for_an_editor_and_are_listed(app, client, auth, accounts, story, db):
    """As a reporter: reword a published key question (API), set a development's note, change a published
    claim's claimant. The Publish page used to say the site already showed exactly what was publishable, and
    the next publish put all three on the story page."""
    ids = published_story(db, story, accounts)
    public = app.config["PUBLIC_DB"]
    publish_and_log(db, public, accounts["editor"])

    token = users.create_token(db, "reporter")
    question = client.get(f"/api/questions/{ids['question']}", headers={"Authorization": f"Bearer {token}"})
    reworded = client.post(
        f"/api/questions/{ids['question']}",
        json={"text": "Will Acme shut the Leeds plant?", "version": question.get_json()["version"]},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert reworded.status_code == 200, reworded.get_json()
    auth.login("reporter")
    edit_page = client.get(f"/developments/{ids['development']}/edit").get_data(as_text=True)
    noted = client.post(
        f"/developments/{ids['development']}/state",
        data={
            "csrf_token": csrf_from(edit_page),
            "state": "did_not_happen",
            "state_note": "The board meeting was called off",
            "version": developments.get_development(db, ids["development"])["version"],
        },
    )
    assert noted.status_code == 302
    claim_page = client.get(f"/claims/{ids['claim']}/edit").get_data(as_text=True)
    edited = client.post(
        f"/claims/{ids['claim']}/edit",
        data={
            "csrf_token": csrf_from(claim_page),
            "text": CLAIM,
            "claimant": "A former Acme manager",
            "claimant_type": "named",
            "source_identity": "",
            "internal_notes": "",
            "version": claims.get_claim(db, ids["claim"])["version"],
        },
    )
    assert edited.status_code == 302
    # Nothing reached readers.
    assert public_rows(public, "SELECT question FROM questions") == [(QUESTION,)]
    assert public_rows(public, "SELECT claimant FROM claims") == [(CLAIMANT,)]
    client.post("/logout", data={"csrf_token": csrf_from(client.get("/").get_data(as_text=True))})

    auth.login("editor")
    # The claim's ruling was given on its earlier attribution: readers keep that until an editor rules again.
    held = client.get("/publish").get_data(as_text=True)
    assert f"claim {ids['claim']}: wording changed after its ruling" in held
    rule_again(db, ids["claim"], accounts["editor"])
    page = client.get("/publish").get_data(as_text=True)
    text = " ".join(html.unescape(re.sub(r"<[^>]+>", "", page)).split())
    assert "Readers already see exactly" not in text
    assert "wording changed after its ruling" not in text
    for expected in (
        "removed: plant close?",  # the question's old words struck out, the new ones marked
        "added: Acme shut",
        "The board meeting was called off",
        "Did not happen",
        "Claimant added: A former Acme removed: spokesperson",
        "added: manager",
        "wording edited by reporter",
        "Possibly stale",  # the answer's claim was edited since the answer was reviewed
    ):
        assert expected in text, expected
    assert "<del>" in page and "<ins>" in page

    assert client.post("/publish", data=publish_form(client, page)).status_code == 302
    assert public_rows(public, "SELECT question, stale FROM questions") == [("Will Acme shut the Leeds plant?", 1)]
    assert public_rows(public, "SELECT claimant FROM claims") == [("A former Acme manager",)]
    assert public_rows(public, "SELECT state_note FROM developments") == [("The board meeting was called off",)]


def test_a_claim_going_public_is_listed_with_who_it_is_attributed_to_and_the_reason_readers_see(
    client, auth, accounts, story, db
):
    """A claim going public showed its wording, status and evidence, but not its public attribution nor the
    public reason: the two things about it an editor must check before readers see them."""
    published_story(db, story, accounts)
    auth.login("editor")
    page = client.get("/publish").get_data(as_text=True)
    item = re.search(r'<li class="review-item review-item--added">(?:(?!</li>).)*?Claim.*?</li>', page, re.S).group()
    text = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", item)).split())
    assert f"Claimant {CLAIMANT} (Organisation)" in text
    assert "Public reason One source so far." in text


def _counts(page: str) -> list[str]:
    """The counts above a list of changes, as read: "1 claim going public", ..."""
    block = re.search(r'<ul class="publish-counts".*?</ul>', page, re.S).group()
    return [" ".join(html.unescape(re.sub(r"<[^>]+>", " ", li)).split()) for li in re.findall(r"<li>.*?</li>", block)]


def test_the_counts_of_changes_read_as_english_for_one_and_for_several(client, auth, accounts, story, db):
    """One claim going public read "1 claims going public", and "0 new status" beside it."""
    published_story(db, story, accounts)
    auth.login("editor")
    before = _counts(client.get("/publish").get_data(as_text=True))
    assert before[:4] == ["1 claim going public", "0 new statuses", "0 claims reworded", "0 withdrawn"]
    assert re.fullmatch(r"\d+ other changes", before[4]), before
    assert re.fullmatch(r"\d+ changes in all", before[5]), before
    response = client.post("/publish", data=publish_form(client), follow_redirects=True)
    after = _counts(response.get_data(as_text=True))
    assert after == ["1 went public", "0 new statuses", "0 claims reworded", "0 withdrawn"], after
    history = client.get("/publish").get_data(as_text=True)
    assert "1 added, 0 new statuses, 0 reworded, 0 withdrawn" in history


def test_the_counts_add_up_to_the_changes_in_all(client, auth, accounts, story, db):
    """The tiles above the list counted only claims ("1 claim going public") beside "4 changes in all": the
    evidence, question and development going public with it were counted nowhere an editor could see."""
    published_story(db, story, accounts)
    auth.login("editor")
    shown = _counts(client.get("/publish").get_data(as_text=True))
    figures = [int(line.split()[0]) for line in shown]
    claims_listed, others, total = figures[0] + figures[3], figures[4], figures[5]
    assert claims_listed + others == total, shown
    assert others > 0, shown


def test_publishing_never_carries_an_edit_no_editor_saw(app, client, auth, accounts, story, db):
    """A question's wording edited again while the editor reads the list is refused, not published unseen. (A ruled
    claim's rewording does not reach readers before a new ruling at all: tests/test_ruling_wording.py.)"""
    ids = published_story(db, story, accounts)
    public = app.config["PUBLIC_DB"]
    publish_and_log(db, public, accounts["editor"])

    def reword(text: str) -> None:
        version = questions.get_question(db, ids["question"])["version"]
        questions.update_question(db, ids["question"], accounts["reporter"], version, text=text)

    reword(QUESTION + " (first edit)")
    auth.login("editor")
    seen = client.get("/publish").get_data(as_text=True)
    assert "(first edit)" in seen
    # A reporter edits again while the editor reads the list.
    reword("Will Acme deny everything?")
    refused = client.post("/publish", data=publish_form(client, seen))
    assert refused.status_code == 409
    assert "nothing was published" in refused.get_data(as_text=True)
    assert "deny everything" in refused.get_data(as_text=True), "the page lists what changed since"
    assert public_rows(public, "SELECT question FROM questions") == [(QUESTION,)]
    assert db.execute("SELECT count(*) FROM publish_log").fetchone()[0] == 1
    # A form without the list it was shown publishes nothing either.
    assert client.post("/publish", data={"csrf_token": csrf_from(seen)}).status_code == 400
    again = client.post("/publish", data=publish_form(client, refused.get_data(as_text=True)))
    assert again.status_code == 302
    assert public_rows(public, "SELECT question FROM questions") == [("Will Acme deny everything?",)]


def test_a_publish_that_lost_the_race_to_another_says_someone_may_have_published(app, accounts, story, db):
    """Two editors review the same list and both publish: the second list is no longer what readers would get."""
    published_story(db, story, accounts)
    public = app.config["PUBLIC_DB"]
    seen = review(db, public)
    publish_and_log(db, public, accounts["editor"], reviewed=seen.digest)  # the first editor's publish
    with pytest.raises(ReviewChanged) as refused:
        publish_and_log(db, public, accounts["editor"], reviewed=seen.digest)
    assert "edited or published since" in str(refused.value) and "nothing was published" in str(refused.value)
    assert db.execute("SELECT count(*) FROM publish_log").fetchone()[0] == 1


def test_the_command_line_lists_changes_and_publishes_them_only_when_told(app, accounts, story, db):
    ids = published_story(db, story, accounts)
    public = app.config["PUBLIC_DB"]
    run = CliRunner().invoke
    first = run(cli, ["--db", app.config["DATABASE"], "publish", "--out", public])
    assert first.exit_code == 0, first.output  # nothing public yet: the editors' choices go out
    claims.update_claim(
        db, ids["claim"], accounts["reporter"], claims.get_claim(db, ids["claim"])["version"], claimant="Someone else"
    )
    rule_again(db, ids["claim"], accounts["editor"])  # readers keep the ruled claimant until then

    refused = run(cli, ["--db", app.config["DATABASE"], "publish", "--out", public])
    assert refused.exit_code == 1
    # The new ruling goes out labelled a correction, readers having seen the earlier one.
    assert f"~ claim {ids['claim']} correction: Claimant: '{CLAIMANT}' -> 'Someone else'" in refused.output
    assert "Traceback" not in refused.output
    kept = run(cli, ["--db", app.config["DATABASE"], "publish", "--out", public, "--refresh-only"])
    assert kept.exit_code == 0 and "wait for an editor" in kept.output
    assert public_rows(public, "SELECT claimant FROM claims") == [(CLAIMANT,)]
    done = run(cli, ["--db", app.config["DATABASE"], "publish", "--out", public, "--yes"])
    assert done.exit_code == 0, done.output
    assert public_rows(public, "SELECT claimant FROM claims") == [("Someone else",)]


def test_an_answer_is_possibly_stale_once_its_claim_is_reworded(accounts, story, db):
    ids = published_story(db, story, accounts)
    question = questions.get_question(db, ids["question"])
    assert questions.stale_reasons(db, question) == []
    claims.update_claim(
        db,
        ids["claim"],
        accounts["reporter"],
        claims.get_claim(db, ids["claim"])["version"],
        text="Acme will sell the plant",
    )
    reasons = questions.stale_reasons(db, questions.get_question(db, ids["question"]))
    assert [r["kind"] for r in reasons] == ["edited"]
    assert "text was edited" in reasons[0]["message"]
    # An editor reviews the answer: it holds again.
    question = questions.get_question(db, ids["question"])
    questions.write_answer(db, ids["question"], question["answer"], accounts["editor"], question["version"])
    assert questions.stale_reasons(db, questions.get_question(db, ids["question"])) == []


def test_evidence_changes_are_listed_under_their_claim(app, accounts, story, db, tmp_path):
    ids = published_story(db, story, accounts)
    public = app.config["PUBLIC_DB"]
    publish_and_log(db, public, accounts["editor"])
    revision_id, _ = coverage.add_revision(db, ids["coverage"], "Acme later said the plant closes in April instead.")
    claims.add_evidence(db, ids["claim"], revision_id, "the plant closes in April", "contradicts", accounts["reporter"])
    from tracker.publish import built

    with built(db, tmp_path) as (new_file, _):
        changes = compare_files(public, new_file).changes
    evidence = [c for c in changes if c.part == "evidence"]
    assert [(c.item, c.item_id, c.kind) for c in evidence] == [("claim", str(ids["claim"]), "added")]
    assert evidence[0].changed("quote").new == "the plant closes in April"


def test_word_diff_marks_only_what_changed():
    assert word_diff("Acme will close the plant", "Acme will sell the plant") == [
        ("same", "Acme will "),
        ("del", "close"),
        ("ins", "sell"),
        ("same", " the plant"),
    ]


def test_a_rewritten_text_is_shown_struck_out_whole_then_new_whole():
    """A public reason written anew was shown word by word, struck and added words interleaved ("has commented
    not on commented, the and record ..."): neither the old reason nor the new one could be read."""
    old = "The article reports that Amazon has not commented, and no statement has appeared since."
    new = "Amazon commented on the record on Dec 6; we were wrong to confirm this."
    assert word_diff(old, new) == [("del", old), ("ins", new)]
    # An edit that keeps most words is still marked word by word.
    assert word_diff("Acme will close the Leeds plant in March", "Acme will close the Leeds plant in April") == [
        ("same", "Acme will close the Leeds plant in "),
        ("del", "March"),
        ("ins", "April"),
    ]


def test_word_diff_of_long_repetitive_texts_ends_in_bounded_time():
    """A reporter's edit of a claim from 2,000 repeated words to others took minutes to show on the Publish
    page (the word diff grows with the cube of repeated words). A child process runs it so that a regression
    fails the suite instead of hanging it (the limit is a guard, not the measure)."""
    code = (
        "from tracker.publish_review import word_diff\n"
        "old = ' '.join(['a'] * 20_000)\n"
        "new = ' '.join('a' if i % 2 else 'b' for i in range(20_000))\n"
        "ops = word_diff('Acme: ' + old, 'Acme: ' + new)\n"
        "print(ops[0], ''.join(t for op, t in ops if op != 'ins') == 'Acme: ' + old, "
        "''.join(t for op, t in ops if op != 'del') == 'Acme: ' + new)\n"
    )
    output = python_output(code)
    assert output.strip() == "('same', 'Acme: ') True True"


def test_a_development_relinked_to_an_item_without_a_web_address_is_listed(app, accounts, story, db):
    """A published development's source and evidence are published as outlet and title too, not only as a link:
    a reporter relinking it from one uploaded document to another (neither has a web address, so the link
    stayed empty) changed what readers see, and `publish --refresh-only` put the new title out unreviewed."""
    ids = published_story(db, story, accounts)
    public = app.config["PUBLIC_DB"]
    first = coverage.upsert_item(db, story["id"], "file:///srv/docs/a.pdf", outlet="Acme", title="Annual report")
    second = coverage.upsert_item(db, story["id"], "file:///srv/docs/b.pdf", outlet="Acme", title="Board minutes")
    development = ids["development"]
    version = developments.get_development(db, development)["version"]
    developments.update_development(db, development, accounts["editor"], version, coverage_id=first)
    version = developments.get_development(db, development)["version"]
    developments.set_development_state(
        db, development, "happened", accounts["editor"], version, evidence_coverage_id=first
    )
    publish_and_log(db, public, accounts["editor"])
    version = developments.get_development(db, development)["version"]
    developments.update_development(db, development, accounts["reporter"], version, coverage_id=second)
    version = developments.get_development(db, development)["version"]
    developments.set_development_state(
        db, development, "happened", accounts["reporter"], version, evidence_coverage_id=second
    )

    changes = [c for c in review(db, public).changes if c.item == "development"]
    assert [(c.item_id, c.kind) for c in changes] == [(str(development), "changed")]
    assert changes[0].changed("source_title").new == "Board minutes"
    assert changes[0].changed("evidence_title").new == "Board minutes"
    kept = CliRunner().invoke(cli, ["--db", app.config["DATABASE"], "publish", "--out", public, "--refresh-only"])
    assert kept.exit_code == 0, kept.output
    assert public_rows(public, "SELECT source_title, evidence_title FROM developments") == [
        ("Annual report", "Annual report")
    ]


def test_a_folder_where_the_public_file_should_be_is_said_as_it_is_on_the_publish_page(
    app, client, auth, accounts, story, db
):
    """The page said the public file could not be read and that publishing replaces it, which it never does
    to a folder; Publish then told the editor to give a file path, an option an editor has no way to pass."""
    from pathlib import Path

    published_story(db, story, accounts)
    public = Path(app.config["PUBLIC_DB"])
    public.mkdir()
    auth.login("editor")
    page = html.unescape(client.get("/publish").get_data(as_text=True))
    assert "publishing replaces it" not in page
    assert f"Publishing would fail: Cannot publish to {public}: it is a folder" in page, page[:2000]
    assert "whoever runs the tracker" in page and "give a file path" not in page
    posted = client.post("/publish", data={"csrf_token": csrf_from(page), "reviewed": ""}, follow_redirects=True)
    text = html.unescape(posted.get_data(as_text=True))
    assert "Nothing was published: Cannot publish to" in text and "whoever runs the tracker" in text, text[:2000]
    assert public.is_dir() and not any(public.iterdir())
    assert db.execute("SELECT count(*) FROM publish_log").fetchone()[0] == 0


def test_another_program_s_database_in_the_public_file_s_place_gives_advice_an_editor_can_follow(
    app, client, auth, accounts, story, db
):
    """Publish refused to overwrite it, rightly, and told the editor to give --out another path: an option
    an editor has no way to pass."""
    published_story(db, story, accounts)
    public = app.config["PUBLIC_DB"]
    other = sqlite3.connect(public)
    other.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY, amount INTEGER)")
    other.execute("INSERT INTO invoices (amount) VALUES (120)")
    other.commit()
    other.close()
    auth.login("editor")
    posted = client.post("/publish", data=publish_form(client), follow_redirects=True)
    text = html.unescape(posted.get_data(as_text=True))
    assert f"{public} is not a public database" in text, text[:2000]
    assert "--out" not in text and "whoever runs the tracker" in text
    assert public_rows(public, "SELECT amount FROM invoices") == [(120,)]


def test_the_command_line_words_each_change_as_the_publish_page_does(app, accounts, story, db):
    """`publish` listed raw column values: "stale '0' -> '1'", "state 'not_yet' -> 'did_not_happen'"."""
    ids = published_story(db, story, accounts)
    public = app.config["PUBLIC_DB"]
    publish_and_log(db, public, accounts["editor"])
    claims.update_claim(
        db, ids["claim"], accounts["reporter"], claims.get_claim(db, ids["claim"])["version"], claimant="Someone else"
    )  # the question's answer rests on it, but readers keep the ruled claimant: not stale for them
    version = developments.get_development(db, ids["development"])["version"]
    developments.set_development_state(
        db, ids["development"], "did_not_happen", accounts["reporter"], version, note="Called off"
    )

    listed = CliRunner().invoke(cli, ["--db", app.config["DATABASE"], "publish", "--out", public])
    assert listed.exit_code == 1, listed.output
    for expected in (
        # Readers keep the claimant the claim was ruled on: listed apart, no change for them.
        f"claim {ids['claim']}: wording changed after its ruling; readers keep the ruled wording until an editor",
        f"~ development {ids['development']} changed: State: Not yet -> Did not happen; Note: (empty) -> 'Called off'",
    ):
        assert expected in listed.output, listed.output
    assert "'0'" not in listed.output and "did_not_happen" not in listed.output
    assert f"question {ids['question']}" not in listed.output, listed.output


def test_the_command_line_words_statuses_and_times_without_loading_the_editor():
    """`publish` words a status and a time as the Publish page does, without importing the editor's Flask app
    (the listing used to load Flask, its limiter and its forms to say "Confirmed")."""
    out = python_output(
        "import sys\n"
        "from tracker.publish_review import worded\n"
        "print(worded('status', 'confirmed'), worded('to_status', 'unreviewed'), sep='|')\n"
        "print(worded('evidence_published_at', '2025-11-24T09:30:00Z'))\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'flask' or m.startswith('tracker.editor')))\n"
    )
    assert out.splitlines() == ["Confirmed|Unreviewed", "24 Nov 2025, 09:30 UTC", "[]"]


def test_a_correction_is_labelled_correction_on_the_publish_page(app, client, auth, accounts, story, db):
    """Readers see a new ruling of a claim whose ruling they were shown labelled "Correction"; the Publish page
    listed it as a plain change, like a reworded claim."""
    ids = published_story(db, story, accounts)
    publish_and_log(db, app.config["PUBLIC_DB"], accounts["editor"])
    claim = claims.get_claim(db, ids["claim"])
    claims.set_status(db, ids["claim"], "denied", accounts["editor"], "Denied", claim["version"], "Acme denied it.")
    auth.login("editor")
    page = client.get("/publish").get_data(as_text=True)
    items = BeautifulSoup(page, "html.parser").select(".review-item")
    kinds = {i.select_one(".review-what").get_text(" ", strip=True): i.select_one(".change-kind").text for i in items}
    assert kinds.pop(f"Claim {CLAIM}") == "Correction", kinds
    assert kinds == {f"Key question {QUESTION}": "Changed"}, kinds


def test_a_correction_is_called_correction_in_the_command_line_list_and_in_past_publishes(
    app, client, auth, accounts, story, db
):
    """Readers see a new ruling of a claim they were shown ruled labelled "Correction", and so did the Publish
    page; `publish`'s list showed it as a plain "~" change, the Recent publishes table as a new status only,
    and the page of that publish, once it was done, as "Changed"."""
    ids = published_story(db, story, accounts)
    public = app.config["PUBLIC_DB"]
    publish_and_log(db, public, accounts["editor"])
    claim = claims.get_claim(db, ids["claim"])
    claims.set_status(db, ids["claim"], "denied", accounts["editor"], "Denied", claim["version"], "Acme denied it.")

    listed = CliRunner().invoke(cli, ["--db", app.config["DATABASE"], "publish", "--out", public])
    assert listed.exit_code == 1, listed.output
    assert f"~ claim {ids['claim']} correction: Status: Unclear -> Denied" in listed.output, listed.output
    assert f"~ question {ids['question']} changed: Possibly stale: no -> yes" in listed.output, listed.output

    auth.login("editor")
    done = client.post("/publish", data=publish_form(client))
    assert done.status_code == 302
    past = BeautifulSoup(client.get(done.headers["Location"]).get_data(as_text=True), "html.parser")
    kinds = {
        i.select_one(".review-what").get_text(" ", strip=True): i.select_one(".change-kind").text
        for i in past.select(".review-item")
    }
    assert kinds.pop(f"Claim {CLAIM}") == "Correction", kinds
    assert kinds == {f"Key question {QUESTION}": "Changed"}, kinds
    figures = past.select_one(".publish-counts").get_text(" ", strip=True)
    assert "1 new status (1 correction)" in figures and "0 claims reworded" in figures, figures
    recent = BeautifulSoup(client.get("/publish").get_data(as_text=True), "html.parser")
    latest = recent.select_one("#log-title").find_next("tbody").select_one("tr")
    assert "1 new status (1 correction)" in latest.get_text(" ", strip=True), latest


def test_a_logged_change_of_a_kind_this_version_does_not_know_is_shown_as_changed(
    app, client, auth, accounts, story, db
):
    """A publish log row from an older or newer version (or edited by hand) may name a kind of change this one has
    no label for; the Publish page and that publish's own page answered 500 with a KeyError."""
    ids = published_story(db, story, accounts)
    publish_and_log(db, app.config["PUBLIC_DB"], accounts["editor"])
    changes = f'[{{"item": "claim", "item_id": "{ids["claim"]}", "kind": "renamed", "title": "{CLAIM}"}}, ' + (
        f'{{"item": "claim", "item_id": "{ids["claim"]}", "kind": "moved", "part": "evidence", "part_id": "1"}}]'
    )
    db.execute("UPDATE publish_log SET changes = ?", [changes])
    db.conn.commit()
    log_id = db.execute("SELECT id FROM publish_log").fetchone()[0]
    auth.login("editor")
    listed = client.get("/publish")
    assert listed.status_code == 200
    past = client.get(f"/publish/{log_id}")
    assert past.status_code == 200
    page = BeautifulSoup(past.get_data(as_text=True), "html.parser")
    assert [k.text for k in page.select(".change-kind")] == ["Changed"]
    assert [" ".join(k.text.split()) for k in page.select(".part-kind")] == ["Evidence changed"]


def test_a_hand_edited_publish_log_row_never_stops_the_publish_pages(app, client, auth, accounts, story, db):
    """A publish log row from another version, or edited by hand, may carry a field this version's changes do not
    have, an item type it has no label for, or not be a list at all: that publish's page answered 500 (a
    TypeError building the change, a KeyError labelling the item). Each is shown in plain words instead."""
    ids = published_story(db, story, accounts)
    publish_and_log(db, app.config["PUBLIC_DB"], accounts["editor"])
    log_id = db.execute("SELECT id FROM publish_log").fetchone()[0]
    changes = [
        {
            "item": "claim",
            "item_id": ids["claim"],
            "kind": "changed",
            "reviewer": "kim",
            "title": CLAIM,
            "fields": [{"field": "text", "old": "Acme may close", "new": CLAIM, "note": "x"}, "not a field"],
        },
        {"item": "<poll>", "item_id": "7", "kind": "changed", "fields": [{"field": "votes", "old": 1, "new": 2}]},
        {"item": "claim"},
        "not an entry",
    ]
    db.execute("UPDATE publish_log SET changes = ?", [json.dumps(changes)])
    db.conn.commit()
    auth.login("editor")
    assert client.get("/publish").status_code == 200
    past = client.get(f"/publish/{log_id}")
    assert past.status_code == 200, past.get_data(as_text=True)[-2000:]
    text = past.get_data(as_text=True)
    assert "<poll>" not in text and "&lt;poll&gt;" in text
    page = BeautifulSoup(text, "html.parser")
    heads = [
        (i.select_one(".change-kind").text, " ".join(i.select_one(".review-what").text.split()))
        for i in page.select(".review-item")
    ]
    assert ("Changed", f"Claim {CLAIM}") in heads, heads
    assert ("Changed", "<poll> 7") in heads, heads
    assert "votes" in page.select_one(".review-list").get_text(" "), page
    assert [d.get_text(" ", strip=True) for d in page.select(".word-diff del")] == ["removed: may"]

    for broken in ("{not json", '{"item": "claim"}', "42"):
        db.execute("UPDATE publish_log SET changes = ?", [broken])
        db.conn.commit()
        assert client.get("/publish").status_code == 200, broken
        past = client.get(f"/publish/{log_id}")
        assert past.status_code == 200, broken


def test_a_logged_item_gone_from_the_working_database_is_named_once_by_its_type(app, client, auth, accounts, story, db):
    """A past publish's change whose item has no working row and no logged title was headed "Claim Claim 99999":
    the item's type was written before the title, and the title made up of the type again."""
    published_story(db, story, accounts)
    publish_and_log(db, app.config["PUBLIC_DB"], accounts["editor"])
    log_id = db.execute("SELECT id FROM publish_log").fetchone()[0]
    changes = [{"item": "claim", "item_id": "99999", "kind": "removed"}]
    db.execute("UPDATE publish_log SET changes = ?", [json.dumps(changes)])
    db.conn.commit()
    auth.login("editor")
    page = BeautifulSoup(client.get(f"/publish/{log_id}").get_data(as_text=True), "html.parser")
    assert [" ".join(w.text.split()) for w in page.select(".review-what")] == ["Claim 99999"]


def test_publish_sent_twice_says_it_went_out_not_that_someone_changed_it(app, client, auth, accounts, story, db):
    """A double click on Publish these changes: the second send found the list it carried published already, and
    said "someone edited or published since: nothing was published" (409) of the publish just made."""
    published_story(db, story, accounts)
    public = app.config["PUBLIC_DB"]
    auth.login("editor")
    form = publish_form(client)
    sent = [client.post("/publish", data=form) for _ in range(2)]
    assert [s.status_code for s in sent] == [302, 302], sent[1].get_data(as_text=True)[:400]
    page = client.get(sent[1].headers["Location"]).get_data(as_text=True)
    assert "already published" in page.lower() and "nothing was published" not in page
    assert db.execute("SELECT count(*) FROM publish_log").fetchone()[0] == 1
    assert public_rows(public, "SELECT text FROM claims") == [(CLAIM,)]
    # Another editor's page that showed the same list, sent after the publish: not theirs, so still refused.
    auth.logout()
    auth.login("admin")
    refused = client.post(
        "/publish", data={**form, "csrf_token": csrf_from(client.get("/publish").get_data(as_text=True))}
    )
    assert refused.status_code == 409


def test_a_public_file_damaged_past_its_first_page_is_replaced_by_the_publish(app, client, auth, accounts, story, db):
    """A public file whose claims SQLite finds malformed while the review reads them (past the first read that
    compare_files checks) raised a sqlite3.Error: the page was a 500, then a one-line "could not be listed", and
    Publish said "Published: readers see the new public file" of a file never swapped in. It is now what a file
    damaged at its first page already was: compared as no file, said so above the list, and replaced."""
    from pathlib import Path

    from tests.test_read_only import _damage_public_claims

    published_story(db, story, accounts)
    publish_and_log(db, app.config["PUBLIC_DB"], None, reviewed=None)
    _damage_public_claims(Path(app.config["PUBLIC_DB"]))
    auth.login("editor")
    response = client.get("/publish")
    assert response.status_code == 200
    problem = " ".join(
        BeautifulSoup(response.get_data(as_text=True), "html.parser").select_one(".alert").get_text().split()
    )
    assert problem == (
        "The current public file could not be read (database disk image is malformed); publishing replaces it."
    )
    sent = client.post("/publish", data=publish_form(client), follow_redirects=True)
    said = " ".join(BeautifulSoup(sent.get_data(as_text=True), "html.parser").select_one(".flash").get_text().split())
    assert said == "Published: 1 claims are public now."
    assert public_rows(app.config["PUBLIC_DB"], "SELECT text FROM claims") == [(CLAIM,)]
