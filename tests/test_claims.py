import pytest

from tests.conftest import python_output
from tracker import claim_queries, claims, coverage
from tracker.claims import PermissionDenied, QuoteNotFound
from tracker.db import TrackerError
from tracker.publish_log import publish_and_log
from tracker.versions import StaleEdit

ARTICLE = "Contoso announced layoffs on Monday.\nA spokesperson said: “We are restructuring.”"


@pytest.fixture
def revision(db, story):
    item = coverage.upsert_item(db, story["id"], "https://news.example.com/a", title="Layoffs", outlet="Example")
    rev, _ = coverage.add_revision(db, item, ARTICLE)
    return rev


@pytest.fixture
def claim_id(db, story, accounts):
    return claims.log_claim(
        db,
        story["id"],
        "Contoso is restructuring",
        "a spokesperson",
        "organization",
        accounts["reporter"],
        source_identity="J. Doe, HR",
        internal_notes="call back",
    )


def test_evidence_keeps_exact_offsets(db, claim_id, revision, accounts):
    ev = claims.add_evidence(db, claim_id, revision, "We are restructuring.", "supports", accounts["reporter"])
    row = claims.evidence_for(db, claim_id)[0]
    assert row["id"] == ev
    assert ARTICLE[row["start"] : row["end"]] == "We are restructuring."
    assert claims.get_claim(db, claim_id)["first_reported_at"] is not None


def test_quote_not_in_revision_is_refused_and_nothing_written(db, claim_id, revision, accounts):
    with pytest.raises(QuoteNotFound):
        claims.add_evidence(db, claim_id, revision, "We are hiring.", "supports", accounts["reporter"])
    assert claims.evidence_for(db, claim_id) == []


def test_only_editors_rule_and_history_is_written_with_the_status(db, claim_id, accounts):
    with pytest.raises(PermissionDenied):
        claims.set_status(db, claim_id, "confirmed", accounts["reporter"], "because", 1)
    assert claims.history(db, claim_id) == []
    ruled = claims.set_status(db, claim_id, "confirmed", accounts["editor"], "Two documents", 1)
    assert (ruled["status"], ruled["version"]) == ("confirmed", 2)
    [row] = claims.history(db, claim_id)
    assert (row["from_status"], row["to_status"], row["rationale"], row["editor"]) == (
        "unreviewed",
        "confirmed",
        "Two documents",
        "editor",
    )


def test_stale_edit_is_refused_and_current_version_returned(db, claim_id, accounts):
    claims.set_status(db, claim_id, "unclear", accounts["editor"], "one source", 1)
    with pytest.raises(StaleEdit) as err:
        claims.set_status(db, claim_id, "denied", accounts["admin"], "company denies", 1)
    assert err.value.current["status"] == "unclear"
    assert len(claims.history(db, claim_id)) == 1


@pytest.mark.parametrize(
    "status,rationale", [("confirmed", "  "), ("confirmed", "\u200b\u2060 "), ("maybe", "why"), ("unreviewed", "why")]
)
def test_bad_rulings_change_nothing(db, claim_id, accounts, status, rationale):
    with pytest.raises(TrackerError):
        claims.set_status(db, claim_id, status, accounts["editor"], rationale, 1)
    assert claims.get_claim(db, claim_id)["status"] == "unreviewed"
    assert claims.history(db, claim_id) == []


@pytest.mark.parametrize("blank", ["", " \n", "\u200b", "\u200e\u200f \ufeff"])
def test_a_claim_whose_text_shows_nothing_is_refused_and_nothing_stored(db, story, claim_id, accounts, blank):
    """Invisible characters alone pass str.strip(): such a claim would be published as an empty line."""
    with pytest.raises(TrackerError, match="needs its text"):
        claims.log_claim(db, story["id"], blank, "a spokesperson", "organization", accounts["reporter"])
    with pytest.raises(TrackerError, match="needs its text"):
        claims.update_claim(db, claim_id, accounts["reporter"], 1, text=blank)
    assert [r[0] for r in db.execute("SELECT text FROM claims")] == ["Contoso is restructuring"]
    # Visible text beside invisible marks is text, kept as typed.
    kept = claims.log_claim(db, story["id"], "\u200fAcme said no\u200e", "Acme", "organization", accounts["reporter"])
    assert claims.get_claim(db, kept)["text"] == "\u200fAcme said no\u200e"


def test_changing_a_published_ruling_is_a_correction(db, claim_id, accounts, tmp_path):
    claims.set_status(db, claim_id, "unclear", accounts["editor"], "one source", 1)
    claims.set_published(db, claim_id, True, accounts["editor"], 2)
    publish_and_log(db, tmp_path / "public.db", accounts["editor"])
    claims.set_status(db, claim_id, "confirmed", accounts["editor"], "documents obtained", 3)
    assert [h["is_correction"] for h in claims.history(db, claim_id)] == [0, 1]


def test_a_ruling_readers_were_never_shown_is_not_corrected(db, claim_id, accounts, tmp_path):
    """Marked publishable and ruled, but not yet published: the next ruling corrects nothing readers saw."""
    claims.set_status(db, claim_id, "unclear", accounts["editor"], "one source", 1)
    claims.set_published(db, claim_id, True, accounts["editor"], 2)
    claims.set_status(db, claim_id, "confirmed", accounts["editor"], "documents obtained", 3)
    assert [h["is_correction"] for h in claims.history(db, claim_id)] == [0, 0]


def test_search_survives_fts_syntax(db, story, claim_id):
    for q in ['restructuring"', "AND OR NOT", "Contoso*", "'; DROP TABLE claims; --"]:
        claim_queries.find_claims(db, story["id"], q=q)
    assert [c["id"] for c in claim_queries.find_claims(db, story["id"], q="restructuring")["claims"]] == [claim_id]


def test_internal_rationale_is_never_the_public_one_by_default(db, claim_id, accounts):
    claims.set_status(db, claim_id, "unclear", accounts["editor"], "Per J. Doe in HR (confidential)", 1)
    [row] = claims.history(db, claim_id)
    assert row["public_rationale"] == ""


def test_evidence_from_another_story_is_refused(db, claim_id, accounts):
    from tracker import stories

    other = stories.create_story(db, "other-story", "Other")
    item = coverage.upsert_item(db, other["id"], "https://news.example.com/b")
    rev, _ = coverage.add_revision(db, item, ARTICLE)
    with pytest.raises(TrackerError, match="another story"):
        claims.add_evidence(db, claim_id, rev, "We are restructuring.", "supports", accounts["reporter"])
    assert claims.evidence_for(db, claim_id) == []


def test_related_claims_share_the_longest_words_and_stay_in_the_story(db, story, accounts):
    from tracker import stories

    def log(text: str, story_id: int = story["id"]) -> int:
        return claims.log_claim(db, story_id, text, None, "unattributed", accounts["reporter"])

    this = log("Warehouse managers fabricated productivity dashboards for regional directors")
    closest = log("Regional directors saw fabricated productivity dashboards from warehouse managers")
    partial = log("Productivity dashboards were introduced last spring")
    log("The canteen menu changed on Tuesday")
    other = stories.create_story(db, "other-story", "Another story")
    log("Warehouse managers fabricated productivity dashboards for regional directors", other["id"])
    related = claim_queries.related_claims(db, claims.get_claim(db, this))
    assert [r["id"] for r in related] == [closest, partial]


def test_related_claims_past_the_budget_are_the_newest_matches(db, story, accounts):
    ids = [
        claims.log_claim(
            db, story["id"], f"Dashboards were fabricated at site {i}", None, "unattributed", accounts["reporter"]
        )
        for i in range(12)
    ]
    claim = claims.get_claim(db, ids[0])
    assert [r["id"] for r in claim_queries.related_claims(db, claim, budget=5)] == ids[:0:-1][:5]
    ranked = claim_queries.related_claims(db, claim, budget=100)
    assert len(ranked) == 5 and ids[0] not in [r["id"] for r in ranked]


@pytest.mark.parametrize(
    ("text", "quote", "found"),
    [
        ("Acme said the plant\n  will open in March.", "plant will open", (14, 31)),
        ("Acme said the plant will open.", "the\tplant\n\nwill", (10, 24)),
        ("No  such words here.", "such here", None),
        ("a a a a b", "a a b", (4, 9)),
    ],
)
def test_a_quote_is_found_whatever_the_spacing_between_its_words(text, quote, found):
    assert claims.find_quote(text, quote) == found
    if found:
        assert claims.find_quote(text, quote, start=found[0]) == found
        assert claims.find_quote(text, quote, start=found[0] + 1) is None
        assert claims.find_quote(text, quote, lo=found[0] + 1) is None
        assert claims.find_quote(text, quote, hi=found[1] - 1) is None
        assert claims.find_quote(text, quote, lo=found[0], hi=found[1]) == found


def test_a_quote_differently_spaced_is_looked_for_in_time_linear_in_the_text():
    """A quote of many repeated words, differently spaced from a long text of the same words, used to be
    looked for with a regular expression that rescanned the quote's words from every place in the text:
    5,000 characters against a 1 MB document held the writer lock for about 15 s, growing with both. The
    sizes below would take hours that way. A child process runs it so that a regression fails the suite
    instead of hanging it (the limit is a guard, not the measure).
    """
    code = (
        "from tracker.claims import find_quote\n"
        "text = 'a ' * 1_000_000 + 'a  b'\n"
        "print(find_quote(text, 'a ' * 100_000 + 'c'), find_quote(text, 'a\\n' * 100_000 + 'b'))\n"
    )
    output = python_output(code)
    assert output.strip() == "None (1800002, 2000004)"


@pytest.mark.parametrize(
    "field, size",
    [("text", 5001), ("claimant", 501), ("source_identity", 2001), ("internal_notes", 20001)],
)
def test_a_field_over_its_limit_is_refused_and_nothing_stored(db, story, accounts, field, size):
    typed = {"text": "Acme cut 40 jobs.", "claimant": "Acme", "source_identity": "", "internal_notes": ""}
    typed[field] = "x" * size
    before = db.execute("SELECT COUNT(*) FROM claims").fetchone()[0]
    with pytest.raises(TrackerError, match=rf"(is|are) {size:,} characters, over the limit of {size - 1:,}"):
        claims.log_claim(
            db,
            story["id"],
            typed["text"],
            typed["claimant"],
            "organization",
            accounts["reporter"],
            source_identity=typed["source_identity"],
            internal_notes=typed["internal_notes"],
        )
    assert db.execute("SELECT COUNT(*) FROM claims").fetchone()[0] == before


def test_a_rationale_over_its_limit_is_refused_and_the_status_kept(db, story, accounts):
    claim_id = claims.log_claim(db, story["id"], "Acme cut 40 jobs.", "Acme", "organization", accounts["reporter"])
    with pytest.raises(TrackerError, match="rationale is 20,001 characters"):
        claims.set_status(db, claim_id, "unclear", accounts["editor"], "x" * 20001, 1)
    assert claims.get_claim(db, claim_id)["status"] == "unreviewed"


def test_words_added_by_a_later_revision_were_first_reported_when_that_revision_was_seen(db, story, claim_id, accounts):
    # A statement published at 07:15 and quietly edited at 21:00: the words the edit added were not
    # there at 07:15, so a claim resting on them was not reported then (the public timeline said it was).
    issued = "2026-12-05T07:15:00Z"
    item = coverage.upsert_item(db, story["id"], "https://city.example/n", title="Notice", published_at=issued)
    coverage.add_revision(db, item, "The plant is operating normally.", "2026-12-05T07:20:00Z")
    later, _ = coverage.add_revision(
        db, item, "The plant is operating normally. A pump fault was repaired.", "2026-12-05T21:00:00Z"
    )
    claims.add_evidence(db, claim_id, later, "A pump fault was repaired.", "supports", accounts["reporter"])
    assert claims.get_claim(db, claim_id)["first_reported_at"] == "2026-12-05T21:00:00Z"
    # Words the item carried from the start date from its publication, whichever revision is cited.
    claims.add_evidence(db, claim_id, later, "The plant is operating normally.", "supports", accounts["reporter"])
    assert claims.get_claim(db, claim_id)["first_reported_at"] == issued
