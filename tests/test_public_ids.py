"""Readers' claim ids: they tell nothing of unpublished work, and an id once given to readers stays with its claim."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from tests.conftest import item_as_then
from tracker import claims, coverage, migrations, public_ids, stories, users
from tracker.db import connect, transaction
from tracker.publish import publish
from tracker.publish_log import publish_and_log
from tracker.publish_review import review

PASSWORD = "correct horse battery staple 42"
TEXT = "Tests were skipped. No recall is planned. A third thing. A fourth thing."


@pytest.fixture
def desk(tmp_path: Path) -> dict:
    db = connect(tmp_path / "tracker.db")
    migrations.apply(db)
    editor = users.add_user(db, "ida.editor", PASSWORD, "editor")
    story = stories.create_story(db, "kettles", "Kettles")
    item = coverage.upsert_item(db, story["id"], "https://news.example.com/k", outlet="News", title="Kettles")
    revision, _ = coverage.add_revision(db, item, TEXT)
    yield {"db": db, "editor": editor, "story": story, "revision": revision}
    db.close()


def _claim(desk: dict, text: str, *, published: bool = True, ruled: bool = False) -> int:
    db, editor = desk["db"], desk["editor"]
    claim_id = claims.log_claim(db, desk["story"]["id"], text, "a source", "anonymous", editor)
    claims.add_evidence(db, claim_id, desk["revision"], text, "supports", editor)
    if ruled and "edit_mark" not in {c.name for c in db["status_history"].columns}:
        _rule_as_then(db, claim_id, editor)
    elif ruled:
        claims.set_status(
            db,
            claim_id,
            "unclear",
            editor,
            "internal",
            claims.get_claim(db, claim_id)["version"],
            public_rationale="One source.",
        )
    if published:
        _set_published(desk, claim_id, True)
    return claim_id


def _rule_as_then(db, claim_id: int, editor: dict) -> None:
    """A ruling as the app wrote it before 0059 (no edit_mark): today's set_status writes a column such a file
    does not have yet."""
    stamp = "2026-03-02T14:30:00Z"
    with transaction(db):
        db.execute(
            """INSERT INTO status_history (claim_id, from_status, to_status, rationale, public_rationale,
                   is_correction, editor_id, at)
               VALUES (?, 'unreviewed', 'unclear', 'internal', 'One source.', 0, ?, ?)""",
            [claim_id, editor["id"], stamp],
        )
        db.execute(
            "UPDATE claims SET status = 'unclear', status_changed_at = ?, version = version + 1, updated_at = ? "
            "WHERE id = ?",
            [stamp, stamp, claim_id],
        )


def _set_published(desk: dict, claim_id: int, published: bool) -> None:
    db = desk["db"]
    claims.set_published(db, claim_id, published, desk["editor"], claims.get_claim(db, claim_id)["version"])


def _rows(path: Path, sql: str) -> list[tuple]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def _public_ids(path: Path) -> dict[str, int]:
    return {text: claim_id for claim_id, text in _rows(path, "SELECT id, text FROM claims")}


def test_an_unpublished_claim_between_two_published_ones_leaves_no_gap_in_readers_ids(desk, tmp_path):
    first = _claim(desk, "Tests were skipped.")
    held = _claim(desk, "A third thing.", published=False)
    second = _claim(desk, "No recall is planned.")
    assert first < held < second
    out = tmp_path / "public.db"
    publish(desk["db"], out)
    ids = _public_ids(out)
    assert sorted(ids.values()) == [1, 2], "the ids readers see count the claim the newsroom holds back"
    assert ids == {"Tests were skipped.": 1, "No recall is planned.": 2}


def _publish(desk: dict, out: Path) -> list[dict]:
    """Publish through the log, as the editor and the command line do; the publish alert's listed claims."""
    _, log_id, _ = publish_and_log(desk["db"], out)
    payloads = [
        json.loads(p)
        for (p,) in desk["db"].execute(
            "SELECT payload FROM alert_events WHERE kind = 'publish' AND json_extract(payload, '$.publish') = ?",
            [log_id],
        )
    ]
    return [claim for p in payloads for story in p["stories"] for claim in story["claims"]]


def test_a_public_id_stays_with_its_claim_across_publishes_and_is_never_given_again(desk, tmp_path):
    out = tmp_path / "public.db"
    first = _claim(desk, "Tests were skipped.")
    held = _claim(desk, "A third thing.", published=False, ruled=True)
    second = _claim(desk, "No recall is planned.")
    _publish(desk, out)
    assert _public_ids(out) == {"Tests were skipped.": 1, "No recall is planned.": 2}

    # The held claim goes public: the next id, whatever its working id; the others keep theirs.
    _set_published(desk, held, True)
    listed = _publish(desk, out)
    assert _public_ids(out) == {"Tests were skipped.": 1, "No recall is planned.": 2, "A third thing.": 3}
    assert [(c["change"], c["path"], c["text"]) for c in listed] == [("public", "/public/claims/3", "A third thing.")]
    # Every public table names it by that id: its evidence, its ruling, its timeline events.
    assert _rows(out, "SELECT DISTINCT claim_id FROM evidence WHERE quote = 'A third thing.'") == [(3,)]
    assert _rows(out, "SELECT claim_id FROM status_history") == [(3,)]
    assert {r[0] for r in _rows(out, "SELECT claim_id FROM events")} == {1, 2, 3}

    # Withdrawn, a claim's id is not given to the next claim; published again, the claim has it back.
    _set_published(desk, first, False)
    fourth = _claim(desk, "A fourth thing.")
    listed = _publish(desk, out)
    assert _public_ids(out) == {"No recall is planned.": 2, "A third thing.": 3, "A fourth thing.": 4}
    assert sorted((c["change"], c["path"]) for c in listed) == [("public", "/public/claims/4"), ("withdrawn", "")]
    _set_published(desk, first, True)
    _publish(desk, out)
    assert _public_ids(out)["Tests were skipped."] == 1
    assert first < held < second < fourth


def test_a_refused_publish_gives_no_public_id(desk, tmp_path):
    """A publish refused because its changes were not the ones reviewed never reached readers: the claim, its
    quote and its event it would have shown keep no id, so a claim withdrawn before the next publish leaves no
    gap readers could count."""
    from tracker.publish_review import ReviewChanged

    out = tmp_path / "public.db"
    _claim(desk, "Tests were skipped.")
    _publish(desk, out)
    held = _claim(desk, "A third thing.")
    kept = desk["db"].execute("SELECT kind, id, public_id FROM public_ids ORDER BY kind, id").fetchall()
    with pytest.raises(ReviewChanged):
        publish_and_log(desk["db"], out, reviewed="the digest of another list")
    assert desk["db"].execute("SELECT kind, id, public_id FROM public_ids ORDER BY kind, id").fetchall() == kept
    _set_published(desk, held, False)
    _claim(desk, "No recall is planned.")
    _publish(desk, out)
    assert _public_ids(out) == {"Tests were skipped.": 1, "No recall is planned.": 2}
    assert [r[0] for r in _rows(out, "SELECT id FROM events ORDER BY id")] == [1, 2]


def test_the_review_names_a_claim_by_its_public_id_and_links_the_editor_to_its_working_one(desk, tmp_path):
    out = tmp_path / "public.db"
    _claim(desk, "Tests were skipped.")
    _claim(desk, "A third thing.", published=False)
    second = _claim(desk, "No recall is planned.")
    found = review(desk["db"], out)
    assert {c.item_id for c in found.changes if c.item == "claim" and not c.part} == {"1", "2"}
    from tracker.editor.publishing import describe

    groups = {g["item_id"]: g for g in describe(desk["db"], found.changes, since=None) if g["item"] == "claim"}
    assert groups["2"]["working_id"] == second and groups["2"]["title"] == "No recall is planned."
    assert groups["2"]["exists"]


def _old_desk(tmp_path, stop_before: str) -> dict:
    """A database an older version kept (migrated up to, not including, `stop_before`), with an editor, a story
    and one page's revision to quote: what _claim and its kin need."""
    db = connect(tmp_path / "old.db")
    migrations.migrations.apply(db, stop_before=stop_before)
    editor = users.add_user(db, "ida.editor", PASSWORD, "editor")
    story = stories.create_story(db, "kettles", "Kettles")
    old = {"db": db, "editor": editor, "story": story}
    item = item_as_then(db, story["id"], "https://news.example.com/k", "News", "Kettles")
    old["revision"], _ = coverage.add_revision(db, item, TEXT)
    return old


def test_claims_logged_before_public_ids_keep_their_working_id_as_readers_id(tmp_path):
    """Every address readers were given before the upgrade opens the same claim after it; new ids come after."""
    old = _old_desk(tmp_path, "0036_public_ids")
    db = old["db"]
    shown = _claim(old, "Tests were skipped.")
    held = _claim(old, "A third thing.", published=False)
    also_shown = _claim(old, "No recall is planned.")
    out = tmp_path / "public.db"
    migrations.apply(db)
    publish(db, out)
    assert _public_ids(out) == {"Tests were skipped.": shown, "No recall is planned.": also_shown}
    _set_published(old, held, True)
    newer = _claim(old, "A fourth thing.")
    publish(db, out)
    assert _public_ids(out) == {
        "Tests were skipped.": shown,
        "A third thing.": held,
        "No recall is planned.": also_shown,
        "A fourth thing.": also_shown + 1,
    }
    assert newer == also_shown + 1  # no claim was held back after the upgrade: nothing to leave out
    db.close()


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE public_ids SET public_id = 9",
        "DELETE FROM public_ids",
        "INSERT OR REPLACE INTO public_ids (kind, id, public_id) VALUES ('claim', 1, 5)",
        "INSERT OR REPLACE INTO public_ids (kind, id, public_id) VALUES ('claim', 7, 1)",
    ],
)
def test_a_public_id_once_given_cannot_be_changed_taken_back_or_given_again(desk, tmp_path, statement):
    _claim(desk, "Tests were skipped.")
    publish(desk["db"], tmp_path / "public.db")
    plain = sqlite3.connect(desk["db"].conn.execute("PRAGMA database_list").fetchone()[2])
    try:
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            plain.execute(statement)
    finally:
        plain.close()
    assert desk["db"].execute("SELECT kind, id, public_id FROM public_ids ORDER BY kind").fetchall() == [
        ("claim", 1, 1),
        ("coverage", 1, 1),
        ("event", 4, 1),  # the claim's first report: under the claim's working id (public_ids.event_key)
        ("evidence", 1, 1),
    ]


def _evidence_ids(path: Path) -> dict[str, int]:
    return {quote: evidence_id for evidence_id, quote in _rows(path, "SELECT id, quote FROM evidence")}


def test_evidence_ids_count_no_unpublished_evidence_and_stay_with_their_quote(desk, tmp_path):
    out = tmp_path / "public.db"
    first = _claim(desk, "Tests were skipped.")
    held = _claim(desk, "A third thing.", published=False)
    _claim(desk, "No recall is planned.")
    publish_and_log(desk["db"], out)
    assert _evidence_ids(out) == {"Tests were skipped.": 1, "No recall is planned.": 2}
    # The timeline's statement and first-report events still find their evidence by it.
    assert {r[0] for r in _rows(out, "SELECT detail FROM events WHERE kind = 'first_reported'")} == {
        "Tests were skipped.",
        "No recall is planned.",
    }

    _set_published(desk, held, True)
    _set_published(desk, first, False)
    claims.add_evidence(desk["db"], held, desk["revision"], "A fourth thing.", "context", desk["editor"])
    publish_and_log(desk["db"], out)
    assert _evidence_ids(out) == {"No recall is planned.": 2, "A third thing.": 3, "A fourth thing.": 4}
    _set_published(desk, first, True)
    publish_and_log(desk["db"], out)
    assert _evidence_ids(out)["Tests were skipped."] == 1


def test_coverage_ids_count_none_of_the_items_the_newsroom_collected_but_cites_nowhere(desk, tmp_path):
    """The coverage index lists what published claims cite; its ids must not count what else was collected."""
    db, story = desk["db"], desk["story"]
    for n in range(3):  # collected, cited by no published claim: newsgathering
        uncited = coverage.upsert_item(db, story["id"], f"https://news.example.com/lead-{n}", title=f"Lead {n}")
        coverage.add_revision(db, uncited, "Nothing yet.")
    statement = coverage.upsert_item(
        db, story["id"], "https://acme.example/press", kind="statement", outlet="Acme", title="Statement"
    )
    statement_rev, _ = coverage.add_revision(db, statement, "We stand by our kettles.")
    coverage.add_revision(db, statement, "We stand by our kettles. We are reviewing the tests.")
    claim_id = _claim(desk, "Tests were skipped.")
    claims.add_evidence(db, claim_id, statement_rev, "We stand by our kettles.", "contradicts", desk["editor"])
    out = tmp_path / "public.db"
    publish_and_log(db, out)
    assert _rows(out, "SELECT id, title FROM coverage ORDER BY id") == [(1, "Kettles"), (2, "Statement")]
    assert sorted(_rows(out, "SELECT DISTINCT coverage_id FROM evidence")) == [(1,), (2,)]
    # The statement's revision is still a timeline event, found through its public id.
    assert _rows(out, "SELECT coverage_id, claim_id FROM events WHERE kind = 'statement_changed'") == [(2, 1)]

    # An item cited later gets the next id; the cited ones keep theirs.
    lead = coverage.find_item(db, story["id"], "https://news.example.com/lead-1")
    claims.add_evidence(db, claim_id, coverage.latest_revision_id(db, lead), "Nothing yet.", "context", desk["editor"])
    publish_and_log(db, out)
    assert _rows(out, "SELECT id, title FROM coverage ORDER BY id") == [(1, "Kettles"), (2, "Statement"), (3, "Lead 1")]


def test_archived_copy_ids_count_none_of_the_copies_the_newsroom_keeps_unpublished(desk, tmp_path):
    """Every page fetched and file received is kept as a capture; the ids of the copies readers get count none."""
    from tracker import captures, reporting

    db, story, editor = desk["db"], desk["story"], desk["editor"]
    post, post_rev = reporting.log_post(
        db, story["id"], url="https://social.example/@acme/1", handle="@acme", text="Safe.", user=editor
    )
    kept = reporting.attach_file(db, post, b"<html>kept</html>", filename="a.html", media_type="text/html", user=editor)
    shown = reporting.attach_file(db, post, b"shown", filename="b.txt", media_type="text/plain", user=editor)
    captures.set_published(db, shown, True, editor)
    claim_id = _claim(desk, "Tests were skipped.")
    claims.add_evidence(db, claim_id, post_rev, "Safe.", "context", editor)
    out = tmp_path / "public.db"
    publish_and_log(db, out)
    assert shown > kept
    assert _rows(out, "SELECT id, body FROM archived_copies") == [(1, b"shown")]
    assert _rows(out, "SELECT archived_copy_id FROM evidence WHERE quote = 'Safe.'") == [(1,)]
    captures.set_published(db, kept, True, editor)
    publish_and_log(db, out)
    assert _rows(out, "SELECT id, body FROM archived_copies ORDER BY id") == [(1, b"shown"), (2, b"<html>kept</html>")]


def test_ruling_ids_count_no_ruling_on_an_unpublished_claim(desk, tmp_path):
    """status_history's ids were the working ones: a gap, dated by its neighbours, said when a held claim was ruled."""
    out = tmp_path / "public.db"
    _claim(desk, "Tests were skipped.", ruled=True)
    held = _claim(desk, "A third thing.", published=False, ruled=True)
    _claim(desk, "No recall is planned.", ruled=True)
    publish_and_log(desk["db"], out)
    assert [r[0] for r in _rows(out, "SELECT id FROM status_history ORDER BY id")] == [1, 2]
    shown = [r[0] for r in desk["db"].execute("SELECT history_id FROM public_rulings ORDER BY history_id")]
    assert shown == [1, 3]  # the working rulings readers were shown, as corrections are told from them

    _set_published(desk, held, True)
    publish_and_log(desk["db"], out)
    assert _rows(out, "SELECT s.id, c.text FROM status_history s JOIN claims c ON c.id = s.claim_id ORDER BY s.id") == [
        (1, "Tests were skipped."),
        (2, "No recall is planned."),
        (3, "A third thing."),
    ]
    assert [r[0] for r in desk["db"].execute("SELECT history_id FROM public_rulings ORDER BY history_id")] == [1, 2, 3]


def test_the_editor_shows_the_address_readers_know_a_published_claim_by(
    db, accounts, story, client, auth, app, tmp_path
):
    editor = accounts["editor"]
    item = coverage.upsert_item(db, story["id"], "https://news.example.com/k", outlet="News", title="Kettles")
    revision, _ = coverage.add_revision(db, item, TEXT)
    here = {"db": db, "editor": editor, "story": story, "revision": revision}
    _claim(here, "Tests were skipped.", published=False)
    shown = _claim(here, "No recall is planned.")
    auth.login("editor")
    page = client.get(f"/claims/{shown}").get_data(as_text=True)
    assert "/public/claims/" not in page  # no address until a publish gives it one
    publish(db, app.config["PUBLIC_DB"])
    page = client.get(f"/claims/{shown}").get_data(as_text=True)
    assert f'href="{app.config["PUBLIC_SITE_URL"]}/public/claims/1"' in page
    _set_published(here, shown, False)
    page = client.get(f"/claims/{shown}").get_data(as_text=True)
    assert "/public/claims/1" in page and "kept for it" in page


def _question(desk: dict, text: str, *, published: bool = True) -> int:
    from tracker import questions

    db, editor = desk["db"], desk["editor"]
    question_id = questions.create_question(db, desk["story"]["id"], text, editor)
    version = questions.write_answer(db, question_id, f"Answer to {text}", editor, 1)["version"]
    if published:
        questions.set_question_published(db, question_id, True, editor, version)
    return question_id


def _development(desk: dict, text: str, *, published: bool = True) -> int:
    from tracker import developments

    db, editor = desk["db"], desk["editor"]
    development_id = developments.create_development(db, desk["story"]["id"], text, editor, expectation="soon")
    if published:
        version = developments.get_development(db, development_id)["version"]
        developments.set_development_published(db, development_id, True, editor, version)
    return development_id


def test_question_and_development_ids_count_none_the_newsroom_holds_back(desk, tmp_path):
    """Their working ids counted every question asked and development expected, published or not."""
    from tracker import developments, questions

    out = tmp_path / "public.db"
    claim_id = _claim(desk, "Tests were skipped.")
    first_q = _question(desk, "Who tested?")
    held_q = _question(desk, "Who paid?", published=False)
    second_q = _question(desk, "Who knew?")
    first_d = _development(desk, "A recall.")
    held_d = _development(desk, "A hearing.", published=False)
    _development(desk, "A report.")
    questions.link_claim(desk["db"], second_q, claim_id, "context", desk["editor"])
    assert first_q < held_q < second_q and first_d < held_d
    publish_and_log(desk["db"], out)
    assert _rows(out, "SELECT id, question FROM questions ORDER BY id") == [(1, "Who tested?"), (2, "Who knew?")]
    assert _rows(out, "SELECT question_id, claim_id FROM question_claims") == [(2, 1)]
    assert _rows(out, "SELECT id, text FROM developments ORDER BY id") == [(1, "A recall."), (2, "A report.")]

    # The held ones go public: the next ids; the others keep theirs, and a withdrawn one's id is not given again.
    q = questions.get_question(desk["db"], held_q)
    questions.set_question_published(desk["db"], held_q, True, desk["editor"], q["version"])
    d = developments.get_development(desk["db"], held_d)
    developments.set_development_published(desk["db"], held_d, True, desk["editor"], d["version"])
    d = developments.get_development(desk["db"], first_d)
    developments.set_development_published(desk["db"], first_d, False, desk["editor"], d["version"])
    publish_and_log(desk["db"], out)
    publish_and_log(desk["db"], out)
    assert _rows(out, "SELECT id, question FROM questions ORDER BY id") == [
        (1, "Who tested?"),
        (2, "Who knew?"),
        (3, "Who paid?"),
    ]
    assert _rows(out, "SELECT question_id, claim_id FROM question_claims") == [(2, 1)]
    assert _rows(out, "SELECT id, text FROM developments ORDER BY id") == [(2, "A report."), (3, "A hearing.")]


def test_questions_and_developments_from_before_their_public_ids_keep_their_working_id(tmp_path):
    old = _old_desk(tmp_path, "0039_question_development_public_ids")
    db = old["db"]
    _claim(old, "Tests were skipped.")
    _question(old, "Who paid?", published=False)
    shown_q = _question(old, "Who knew?")
    _development(old, "A hearing.", published=False)
    shown_d = _development(old, "A report.")
    migrations.apply(db)
    out = tmp_path / "public.db"
    publish(db, out)
    assert _rows(out, "SELECT id FROM questions") == [(shown_q,)]
    assert _rows(out, "SELECT id FROM developments") == [(shown_d,)]
    _question(old, "Who tested?")
    publish(db, out)
    assert _rows(out, "SELECT id FROM questions ORDER BY id") == [(shown_q,), (shown_q + 1,)]
    db.close()


def test_the_review_names_a_question_by_its_public_id_and_links_the_editor_to_its_working_one(desk, tmp_path):
    from tracker.editor.publishing import describe

    out = tmp_path / "public.db"
    _claim(desk, "Tests were skipped.")
    _question(desk, "Who paid?", published=False)
    shown_q = _question(desk, "Who knew?")
    _development(desk, "A hearing.", published=False)
    shown_d = _development(desk, "A report.")
    found = review(desk["db"], out)
    groups = {(g["item"], g["item_id"]): g for g in describe(desk["db"], found.changes, since=None)}
    assert groups[("question", "1")]["working_id"] == shown_q and groups[("question", "1")]["title"] == "Who knew?"
    assert groups[("development", "1")]["working_id"] == shown_d and groups[("development", "1")]["exists"]
    # The publish alert finds each story through the working rows.
    publish_and_log(desk["db"], out)
    payload = desk["db"].execute("SELECT payload FROM alert_events WHERE kind = 'publish'").fetchone()[0]
    assert [s["slug"] for s in json.loads(payload)["stories"]] == ["kettles"]


def test_events_from_before_their_public_ids_keep_the_ids_the_last_publish_gave_them(tmp_path):
    """Events were numbered afresh in time order by each publish: the first publish after the upgrade numbers
    them so, as the publish before it did, and a later one adds the next ids without moving them."""
    old = _old_desk(tmp_path, "0040_event_public_ids")
    db = old["db"]
    _claim(old, "Tests were skipped.", ruled=True)
    _claim(old, "No recall is planned.")
    migrations.apply(db)
    out = tmp_path / "public.db"
    publish(db, out)
    order = "SELECT id, kind, claim_id FROM events ORDER BY position"
    numbered = _rows(out, order)
    assert [r[0] for r in numbered] == [1, 2, 3]
    _claim(old, "A third thing.")
    publish(db, out)
    assert sorted(_rows(out, order)) == [*sorted(numbered), (4, "first_reported", 3)]
    db.close()


def test_a_withdrawn_claims_address_says_it_was_withdrawn_not_that_nothing_is_there(desk, tmp_path):
    """A reader following a link to a claim we withdrew (from the feed, an alert, a bookmark, someone's article) got
    the 404 of a mistyped address. News sites answer a page they took down with 410 Gone and a line saying so."""
    import asyncio

    from tracker.public import make_datasette

    out = tmp_path / "public.db"
    first = _claim(desk, "Tests were skipped.")
    _claim(desk, "No recall is planned.")
    _publish(desk, out)
    _set_published(desk, first, False)
    _publish(desk, out)
    assert _rows(out, "SELECT id FROM withdrawn_claims") == [(1,)]
    ds = make_datasette(str(out))
    page = asyncio.run(ds.client.get("/public/claims/1"))
    assert page.status_code == 410
    assert "This claim was withdrawn" in page.text and "mistyped" not in page.text
    as_json = asyncio.run(ds.client.get("/public/claims/1.json"))
    assert as_json.status_code == 410 and as_json.json()["title"] == "This claim was withdrawn"
    assert "We withdrew this claim" in as_json.json()["error"]
    never = asyncio.run(ds.client.get("/public/claims/99"))
    assert never.status_code == 404 and "withdrawn" not in never.text
    assert asyncio.run(ds.client.get("/public/claims/2")).status_code == 200
    # Its timeline events too: a link to one (the timeline's #event-N, a TimelineJS slide) says it was withdrawn.
    [(gone,)] = _rows(out, "SELECT id FROM withdrawn_events")
    event = asyncio.run(ds.client.get(f"/public/events/{gone}"))
    assert event.status_code == 410 and "This event was withdrawn" in event.text

    _set_published(desk, first, True)
    _publish(desk, out)
    assert _rows(out, "SELECT id FROM withdrawn_claims") == []
    assert asyncio.run(ds.client.get("/public/claims/1")).status_code == 200


def test_the_ids_a_publish_gave_are_kept_in_one_statement_per_kind_not_one_per_row(desk):
    """The first publish after an upgrade keeps 700,000 ids at 100,000 claims: one statement a row cost seconds of
    Python. Kept ones stay as they are, new ones are kept, and a clash still refuses the whole lot."""
    db = desk["db"]
    public_ids.record(db, {"claim": [(1, 1)]})
    ran = []
    db.conn.set_trace_callback(ran.append)
    public_ids.record(db, {"claim": [(1, 1), *((n, n) for n in range(2, 1002))], "evidence": [(5, 7)]})
    db.conn.set_trace_callback(None)
    # Each statement as run, its values written in (a trigger's steps repeat the statement that fired them).
    assert len({sql for sql in ran if "INSERT INTO public_ids" in sql}) == 2, ran[:5]
    assert db.execute("SELECT count(*), max(public_id) FROM public_ids WHERE kind = 'claim'").fetchone() == (1001, 1001)
    assert db.execute("SELECT id, public_id FROM public_ids WHERE kind = 'evidence'").fetchall() == [(5, 7)]
    with pytest.raises(sqlite3.IntegrityError):  # another row's public id: refused, and nothing of it kept
        public_ids.record(db, {"claim": [(5000, 5000), (5001, 3)]})
    assert db.execute("SELECT count(*) FROM public_ids WHERE kind = 'claim'").fetchone() == (1001,)


class _SwapStopped(Exception):
    """Stops a publish in its swap, after it kept the ids it gave and before readers have its file."""


def _stop_in_swap(phase: str, done: int, total: int) -> None:
    if phase == "copy":
        raise _SwapStopped


def test_a_claim_withdrawn_before_readers_ever_saw_it_is_not_listed_as_withdrawn(desk, tmp_path, monkeypatch):
    """A publish that kept its ids and then failed in its swap never showed readers its new claim. Withdrawn before
    the next publish, that claim was listed in withdrawn_claims (and its event in withdrawn_events): its address
    answered "This claim was withdrawn", telling readers an editor took back something that never went out."""
    from tracker import public_ids
    from tracker import publish as build

    out = tmp_path / "public.db"
    _claim(desk, "Tests were skipped.")
    _publish(desk, out)
    monkeypatch.setattr(build, "SWAP_STEP_PAGES", 1)  # the swap reports after its first page, mid-copy
    held = _claim(desk, "A third thing.")
    with pytest.raises(_SwapStopped):
        publish(desk["db"], out, progress=_stop_in_swap)
    assert public_ids.public_id(desk["db"], "claim", held) == 2  # kept before the swap, as it must be
    assert _public_ids(out) == {"Tests were skipped.": 1}  # readers never had it

    _set_published(desk, held, False)
    _publish(desk, out)
    assert _rows(out, "SELECT id FROM withdrawn_claims") == []
    assert _rows(out, "SELECT id FROM withdrawn_events") == []

    # Published, readers see it under the id it kept; withdrawn after that, readers saw it go.
    _set_published(desk, held, True)
    _publish(desk, out)
    assert _public_ids(out) == {"Tests were skipped.": 1, "A third thing.": 2}
    _set_published(desk, held, False)
    _publish(desk, out)
    assert _rows(out, "SELECT id FROM withdrawn_claims") == [(2,)]
    assert len(_rows(out, "SELECT id FROM withdrawn_events")) == 1
