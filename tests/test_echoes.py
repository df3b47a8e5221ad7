"""Echo or independent: outlets carrying a claim, and which of them only repeat another's report."""

from __future__ import annotations

import sqlite3

import pytest

from tests.conftest import claim_as_then, item_as_then
from tests.test_candidates import article_page, ingest_and_read
from tracker import candidates, claims, coverage, echoes, migrations, stories
from tracker.db import NotFound, connect, transaction

WIRE = [
    "Acme Corp will close its Riverside plant in June, the company said in a memo to staff.",
    "About 400 workers are employed at the plant, which opened in 1987 and makes parts for farm machinery.",
    "Production will move to a newer site in the north of the country over the next two years.",
]
HARBOR = [
    "Acme will close its Riverside plant in June, two managers told the Harbor Times.",
    "The managers spoke on condition of anonymity because they were not allowed to talk to reporters.",
]
COASTLINE = [
    "Acme Corp will close its Riverside plant in June, according to a report by the Wire Service.",
    "Local officials said they had not been told.",
]


def page(db, story, host: str, outlet: str, paragraphs: list[str], hour: int) -> dict:
    url = f"https://{host}/acme-riverside"
    return ingest_and_read(
        db, story, url, article_page(url, outlet, paragraphs, published=f"2026-03-02T{hour:02d}:00:00Z")
    )


def sentence(db, revision_id: int, fragment: str) -> dict:
    row = db.execute(
        "SELECT id FROM candidates WHERE revision_id = ? AND instr(text, ?) > 0", [revision_id, fragment]
    ).fetchone()
    assert row, fragment
    return candidates.get_candidate(db, row[0])


@pytest.fixture
def closure(db, story, accounts):
    """The wire's report, a copy of it, an independent report and one crediting the wire."""
    wire = page(db, story, "wire.example", "Wire Service", WIRE, 8)
    ledger = page(db, story, "ledger.example", "Daily Ledger", WIRE, 9)  # the wire copy, word for word
    harbor = page(db, story, "harbor.example", "Harbor Times", HARBOR, 10)
    coastline = page(db, story, "coastline.example", "Coastline News", COASTLINE, 11)
    reporter = accounts["reporter"]
    claim_id = candidates.accept(
        db,
        sentence(db, wire["revision_id"], "Acme Corp will close")["id"],
        reporter,
        text="Acme will close its Riverside plant in June.",
    )
    candidates.merge(db, sentence(db, harbor["revision_id"], "two managers told")["id"], claim_id, reporter)
    claims.add_evidence(
        db, claim_id, coastline["revision_id"], "Acme Corp will close its Riverside plant in June", "supports", reporter
    )
    return {"claim_id": claim_id, "wire": wire, "ledger": ledger, "harbor": harbor, "coastline": coastline}


def test_the_wire_copy_is_in_the_same_cluster(db, closure):
    cluster = {
        name: db.execute("SELECT cluster_id FROM coverage WHERE id = ?", [closure[name]["coverage_id"]]).fetchone()[0]
        for name in ("wire", "ledger", "harbor", "coastline")
    }
    assert cluster["wire"] is not None and cluster["wire"] == cluster["ledger"]
    assert cluster["harbor"] != cluster["wire"] and cluster["coastline"] != cluster["wire"]


def test_copies_and_credited_reports_repeat_independent_reports_do_not(db, closure):
    found = echoes.claim_sources(db, closure["claim_id"])
    assert (found["independent"], found["repeating"]) == (2, 2)
    by_outlet = {o["outlet"]: o for o in found["outlets"]}
    assert set(by_outlet) == {"Wire Service", "Daily Ledger", "Harbor Times", "Coastline News"}
    assert by_outlet["Wire Service"]["independent"] and by_outlet["Harbor Times"]["independent"]
    ledger = by_outlet["Daily Ledger"]
    assert not ledger["independent"]
    assert ledger["items"][0]["repeats"] == "Wire Service" and "copy" in ledger["items"][0]["why"]
    coastline = by_outlet["Coastline News"]
    assert not coastline["independent"]
    assert coastline["items"][0]["repeats"] == "the Wire Service"
    assert "attributes it to the Wire Service" == coastline["items"][0]["why"]
    # Independent outlets are listed first.
    assert [o["independent"] for o in found["outlets"]] == [True, True, False, False]


def test_the_ledger_copy_counts_through_its_automatically_merged_candidate(db, closure):
    copy = sentence(db, closure["ledger"]["revision_id"], "Acme Corp will close")
    assert (copy["state"], copy["claim_id"], copy["reason"]) == ("merged", closure["claim_id"], candidates.AUTO_REASON)
    assert not [e for e in claims.evidence_for(db, closure["claim_id"]) if e["outlet"] == "Daily Ledger"]


def test_a_whole_story_recount_matches_the_single_claim_counts_and_leaves_uncarried_claims_unknown(db, story, closure):
    lonely = claims.log_claim(db, story["id"], "Acme will open a museum.", "Acme", "organization", None)
    db.execute("UPDATE claims SET independent_sources = NULL, outlets_repeating = NULL")
    db.conn.commit()
    echoes.refresh_story(db, story["id"])
    stored = dict(
        (claim_id, (independent, repeating))
        for claim_id, independent, repeating in db.execute(
            "SELECT id, independent_sources, outlets_repeating FROM claims"
        )
    )
    single = echoes.claim_sources(db, closure["claim_id"])
    assert stored[closure["claim_id"]] == (single["independent"], single["repeating"]) == (2, 2)
    assert stored[lonely] == (None, None)
    assert echoes.claim_sources(db, lonely) == {"independent": 0, "repeating": 0, "outlets": []}


def test_contradicting_evidence_does_not_carry_the_claim(db, story, closure):
    denial = page(
        db, story, "gazette.example", "Valley Gazette", ["Acme denied that it will close its Riverside plant."], 12
    )
    claims.add_evidence(
        db, closure["claim_id"], denial["revision_id"], "Acme denied that it will close", "contradicts", None
    )
    found = echoes.claim_sources(db, closure["claim_id"])
    assert (found["independent"], found["repeating"]) == (2, 2)
    assert "Valley Gazette" not in [o["outlet"] for o in echoes.claim_sources(db, closure["claim_id"])["outlets"]]


def test_an_outlet_with_one_independent_item_is_independent(db, story, closure):
    second = page(
        db,
        story,
        "ledger.example/follow-up",
        "Daily Ledger",
        ["Acme will close its Riverside plant in June, three workers told the Daily Ledger on Tuesday."],
        13,
    )
    claims.add_evidence(
        db, closure["claim_id"], second["revision_id"], "Acme will close its Riverside plant", "supports", None
    )
    found = echoes.claim_sources(db, closure["claim_id"])
    assert (found["independent"], found["repeating"]) == (3, 1)
    ledger = [o for o in found["outlets"] if o["outlet"] == "Daily Ledger"][0]
    assert ledger["independent"] and len(ledger["items"]) == 2


def stored(db, story, outlet: str, text: str) -> int:
    """A revision stored without candidates, as coverage from before extraction existed."""
    item = coverage.upsert_item(db, story["id"], f"https://{outlet.lower().replace(' ', '')}.example/x", outlet=outlet)
    revision_id, _ = coverage.add_revision(db, item, text)
    return revision_id


@pytest.mark.parametrize(
    ("outlet", "text", "quote", "repeats"),
    [
        (
            "Metro Post",
            "Acme will close the plant, the Daily Ledger first reported on Monday.",
            "Acme will close the plant",
            "the Daily Ledger",
        ),
        (
            "Metro Post",
            "As first reported by Coastline, Acme will close the plant in June.",
            "Acme will close the plant",
            "Coastline",
        ),
        (
            "Metro Post",
            "Citing a story in The Harbor Times, analysts said Acme will close the plant.",
            "Acme will close the plant",
            "The Harbor Times",
        ),
        # An outlet crediting itself, an institution's report and plain attribution are independent.
        (
            "Daily Ledger",
            "Acme will close the plant, the Daily Ledger first reported on Monday.",
            "Acme will close",
            None,
        ),
        (
            "Metro Post",
            "Acme will close the plant, according to a report by the World Bank on regional industry.",
            "Acme will close the plant",
            None,
        ),
        ("Metro Post", "Acme will close the plant, officials first reported on Monday.", "Acme will close", None),
        # a date is no outlet, and the word opening the sentence is no part of the outlet's name
        ("Metro Post", "Acme will close the plant, as first reported in March.", "Acme will close the plant", None),
        (
            "Metro Post",
            "As Coastline News first reported, Acme will close the plant.",
            "Acme will close the plant",
            "Coastline News",
        ),
        ("Metro Post", "Acme said it will close the plant.", "it will close the plant", None),
    ],
)
def test_a_sentence_crediting_another_outlet_repeats_it(db, story, outlet, text, quote, repeats):
    revision_id = stored(db, story, outlet, f"Riverside news.\n{text}\nMore follows.")
    claim_id = claims.log_claim(db, story["id"], "Acme will close the plant.", "", "unattributed", None)
    claims.add_evidence(db, claim_id, revision_id, quote, "supports", None)
    [found] = echoes.claim_sources(db, claim_id)["outlets"]
    assert found["items"][0]["repeats"] == repeats
    assert found["independent"] == (repeats is None)


def test_a_claim_attributed_to_an_outlet_is_repeated_by_the_others(db, story):
    claim_id = claims.log_claim(db, story["id"], "Acme will close the plant.", "Daily Ledger", "outlet", None)
    for outlet in ("Daily Ledger", "Metro Post"):
        revision_id = stored(db, story, outlet, "Acme will close the plant in June.")
        claims.add_evidence(db, claim_id, revision_id, "Acme will close the plant", "supports", None)
    found = echoes.claim_sources(db, claim_id)
    assert (found["independent"], found["repeating"]) == (1, 1)
    assert [o["outlet"] for o in found["outlets"]] == ["Daily Ledger", "Metro Post"]


def test_unknown_claim_is_not_found(db):
    with pytest.raises(NotFound):
        echoes.claim_sources(db, 424242)


# --------------------------------------------------------------------------- stored counts


def counts(db, claim_id: int) -> tuple:
    return tuple(
        db.execute("SELECT independent_sources, outlets_repeating FROM claims WHERE id = ?", [claim_id]).fetchone()
    )


def test_counts_are_stored_after_accept_merge_and_add_evidence(db, story, accounts):
    reporter = accounts["reporter"]
    wire = page(db, story, "wire.example", "Wire Service", WIRE, 8)
    harbor = page(db, story, "harbor.example", "Harbor Times", HARBOR, 10)
    coastline = page(db, story, "coastline.example", "Coastline News", COASTLINE, 11)
    claim_id = candidates.accept(db, sentence(db, wire["revision_id"], "Acme Corp will close")["id"], reporter)
    assert counts(db, claim_id) == (1, 0)
    candidates.merge(db, sentence(db, harbor["revision_id"], "two managers told")["id"], claim_id, reporter)
    assert counts(db, claim_id) == (2, 0)
    claims.add_evidence(
        db, claim_id, coastline["revision_id"], "Acme Corp will close its Riverside plant in June", "supports", reporter
    )
    assert counts(db, claim_id) == (2, 1)
    stored_counts = echoes.claim_sources(db, claim_id)
    assert counts(db, claim_id) == (stored_counts["independent"], stored_counts["repeating"])


def test_counts_are_refreshed_when_a_wire_copy_joins_the_cluster(db, story, closure):
    assert counts(db, closure["claim_id"]) == (2, 2)
    copy = page(db, story, "metro.example", "Metro Post", WIRE, 12)
    wire_cluster = db.execute("SELECT cluster_id FROM coverage WHERE id = ?", [closure["wire"]["coverage_id"]])
    assert db.execute("SELECT cluster_id FROM coverage WHERE id = ?", [copy["coverage_id"]]).fetchone() == (
        wire_cluster.fetchone()
    )
    assert counts(db, closure["claim_id"]) == (2, 3)


def test_a_claim_without_evidence_stays_null(db, story, closure):
    lonely = claims.log_claim(db, story["id"], "Acme will open a museum.", "Acme", "organization", None)
    page(db, story, "metro.example", "Metro Post", WIRE, 12)
    assert counts(db, lonely) == (None, None)


def test_published_claims_carry_the_stored_counts(db, story, closure, tmp_path):
    from tracker.publish import publish

    lonely = claims.log_claim(db, story["id"], "Acme will open a museum.", "Acme", "organization", None)
    db.execute("UPDATE claims SET published = 1")
    db.conn.commit()
    out = tmp_path / "public.db"
    publish(db, out)
    conn = sqlite3.connect(out)
    try:
        found = dict(
            ((r[0]), tuple(r[1:]))
            for r in conn.execute("SELECT id, independent_sources, outlets_repeating FROM claims")
        )
    finally:
        conn.close()
    assert found == {closure["claim_id"]: (2, 2), lonely: (None, None)}


def test_the_migration_backfills_claims_with_evidence(tmp_path):
    db = connect(tmp_path / "old.db")
    migrations.migrations.apply(db, stop_before="0006_echo_counts")
    story = stories.create_story(db, "old-story", "An old story", keywords_include="Acme")
    claim_id = claim_as_then(db, story["id"], "Acme will close the plant.")
    lonely = claim_as_then(db, story["id"], "Acme will open a museum.")
    for outlet in ("Daily Ledger", "Metro Post"):
        item = item_as_then(db, story["id"], f"https://{outlet.split()[0].lower()}.example/x", outlet)
        revision_id, _ = coverage.add_revision(db, item, "Acme will close the plant in June.")
        with transaction(db):  # as evidence was stored before the counts existed
            db.execute(
                """INSERT INTO evidence (claim_id, revision_id, quote, start, "end", stance, added_at)
                   VALUES (?, ?, 'Acme will close the plant', 0, 25, 'supports', '2026-01-01T00:00:00Z')""",
                [claim_id, revision_id],
            )
    assert migrations.apply(db)[:2] == ["0006_echo_counts", "0007_extraction_queue"]
    assert counts(db, claim_id) == (2, 0)
    assert counts(db, lonely) == (None, None)
    db.close()


def test_a_site_posting_one_text_hundreds_of_times_is_judged_in_steps_that_grow_with_the_copies(
    db, story, accounts, monkeypatch
):
    """Each copy in a cluster was compared with every earlier copy of its own outlet, at every arrival:
    a site posting its text a few thousand times made each new page cost seconds, and the next more."""
    n = 150
    first = page(db, story, "copies.example", "Copy Times", WIRE, 1)
    claim_id = candidates.accept(
        db, sentence(db, first["revision_id"], "Acme Corp will close")["id"], accounts["reporter"], text="Acme closes."
    )
    for i in range(1, n):
        url = f"https://copies.example/acme-{i}"
        ingest_and_read(db, story, url, article_page(url, "Copy Times", WIRE, published="2026-03-02T02:00:00Z"))
    late = page(db, story, "metro.example", "Metro Post", WIRE, 12)  # a later copy, by another outlet
    assert db.execute("SELECT count(DISTINCT cluster_id), count(*) FROM coverage").fetchone() == (1, n + 1)
    compared = 0
    same_outlet = echoes._same_outlet

    def counted(a: str, b: str) -> bool:
        nonlocal compared
        compared += 1
        return same_outlet(a, b)

    monkeypatch.setattr(echoes, "_same_outlet", counted)
    found = echoes.claim_sources(db, claim_id)
    assert compared < 5 * n  # one by one against every earlier copy: n × n / 2, over 11,000
    assert (found["independent"], found["repeating"]) == (1, 1)
    by_outlet = {o["outlet"]: o for o in found["outlets"]}
    assert len(by_outlet["Copy Times"]["items"]) == n and by_outlet["Copy Times"]["independent"]
    assert [i["repeats"] for i in by_outlet["Metro Post"]["items"]] == ["Copy Times"]
    assert late["coverage_id"] in {i["coverage_id"] for i in by_outlet["Metro Post"]["items"]}
