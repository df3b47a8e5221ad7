"""Claim candidates from ingested coverage, and the triage decisions on them (tracker/candidates.py)."""

from __future__ import annotations

import sqlite3
from html import escape
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from click.testing import CliRunner

from tests.conftest import item_as_then
from tracker import attribution, candidates, claims, coverage, extraction, migrations, stories
from tracker.cli import cli
from tracker.db import connect, transaction
from tracker.demo import ARTICLE_URL, SLUG, load_demo
from tracker.ingest import ingest_targets
from tracker.store import ingest_page

DEMO_ARTICLE = Path(__file__).resolve().parents[1] / "data" / "demo" / "article.html"


def article_page(
    url: str,
    outlet: str,
    paragraphs: list[str],
    *,
    title: str = "Acme to close Riverside plant",
    published: str = "2026-03-02T10:00:00Z",
) -> bytes:
    """A small news page as a fictional outlet would publish it."""
    body = "".join(f"<p>{escape(p, quote=False)}</p>" for p in paragraphs)
    return (
        f"""<!doctype html><html lang="en"><head><title>{escape(title)}</title>
        <meta property="og:site_name" content="{escape(outlet)}">
        <meta property="article:published_time" content="{published}">
        <link rel="canonical" href="{url}"></head>
        <body><nav><a href="/">Home</a> <a href="/world">World</a></nav>
        <article><h1>{escape(title)}</h1>{body}</article>
        <footer>Copyright {escape(outlet)}</footer></body></html>"""
    ).encode()


LEDGER = [
    "Acme Corp will close its Riverside plant in June, according to people familiar with the plan.",
    "“We are reviewing every option,” said Dana Okafor, a spokesperson for Acme.",
    "The union declined to comment.",
]


def ingest_and_read(db, story, url: str, data: bytes) -> dict:
    """A page stored, then read for claims, as a scrape pass does in its two stages."""
    result = ingest_page(db, story, url, data)
    if result["created"]:
        assert extraction.extract_waiting(db, revision_ids=[result["revision_id"]])["revisions"] == 1
    return result


def ingest(db, story, url, outlet, paragraphs, **kw) -> dict:
    return ingest_and_read(db, story, url, article_page(url, outlet, paragraphs, **kw))


def waiting(db, story_id: int) -> list[dict]:
    return candidates.list_queue(db, story_id, limit=200)


def by_text(rows: list[dict], fragment: str) -> dict:
    found = [r for r in rows if fragment in r["text"]]
    assert len(found) == 1, (fragment, [r["text"] for r in rows])
    return found[0]


# --------------------------------------------------------------------------- the bundled article


@pytest.fixture
def demo(db):
    load_demo(db, echo=lambda line: None)
    story = stories.get_story(db, SLUG)
    revision = coverage.latest_revision(
        db, db.execute("SELECT id FROM coverage WHERE canonical_url = ?", [ARTICLE_URL]).fetchone()[0]
    )
    return {"story": story, "revision": revision, "queue": waiting(db, story["id"])}


def test_demo_ingest_creates_the_ground_truth_candidates(demo):
    queue = demo["queue"]
    employee = by_text(queue, "We’re told to show more AI activity")
    assert (employee["kind"], employee["claimant"], employee["claimant_type"]) == (
        "quote",
        "Anonymous Amazon employee",
        "anonymous",
    )
    assert employee["quote"] == (
        "We’re told to show more AI activity, but many of us are just making up tasks to meet the numbers."
    )
    analyst = by_text(queue, "Such practices, if confirmed")
    assert (analyst["kind"], analyst["claimant"], analyst["claimant_type"]) == (
        "quote",
        "Industry analyst",
        "anonymous",
    )
    no_comment = by_text(queue, "Amazon has not publicly commented on these claims")
    assert (no_comment["kind"], no_comment["claimant"], no_comment["claimant_type"]) == (
        "no_comment",
        "Amazon",
        "organization",
    )
    hedged = by_text(queue, "Investigations by Amazon are reportedly underway")
    assert hedged["text"] == "Investigations by Amazon are reportedly underway to assess the extent of these reports."
    assert hedged["kind"] == "hedged"
    fabricated = by_text(queue, "some employees have admitted to fabricating tasks")
    assert (fabricated["kind"], fabricated["claimant"], fabricated["claimant_type"]) == (
        "claim",
        "anonymous sources",
        "anonymous",
    )


def test_demo_candidates_carry_exact_offsets_coverage_outlet_and_date(demo):
    text = demo["revision"]["text"]
    for c in demo["queue"]:
        assert text[c["start"] : c["end"]] == c["text"]
        assert c["paragraph"][c["sentence_start"] : c["sentence_end"]] == c["text"]
        assert c["revision_id"] == demo["revision"]["id"]
        assert c["coverage_id"] == demo["revision"]["coverage_id"]
        assert c["outlet"] == "Example Tech Daily"
        assert c["published_at"] == "2026-11-24T14:05:00Z"
        assert c["state"] == "pending"


def test_demo_gives_nothing_from_the_affiliate_blurbs(demo):
    soup = BeautifulSoup(DEMO_ARTICLE.read_bytes(), "html.parser")
    blurbs = [
        el.get_text(" ", strip=True)
        for el in soup.select(".affiliate-product, .product-card, .amzn-affiliate-box, .affiliate-disclosure, footer")
    ]
    assert len(blurbs) >= 5
    for c in demo["queue"]:
        assert "affiliate" not in c["text"].lower()
        assert not any(c["text"] in blurb for blurb in blurbs), c["text"]


def test_re_ingesting_the_demo_adds_no_candidates(db, demo):
    before = db.execute("SELECT count(*) FROM candidates").fetchone()[0]
    summary = ingest_targets(db, SLUG, [str(DEMO_ARTICLE)])
    assert summary.counts["unchanged"] == 1
    assert extraction.create_candidates(db, demo["revision"]["id"]) == 0
    assert db.execute("SELECT count(*) FROM candidates").fetchone()[0] == before == len(demo["queue"])


# --------------------------------------------------------------------------- revisions and copies


def test_a_trivial_revision_adds_no_candidates(db, story):
    first = ingest(db, story, "https://ledger.example/acme", "Daily Ledger", LEDGER)
    assert len(waiting(db, story["id"])) == 3
    noisy = [*LEDGER, "Updated 3 minutes ago"]
    again = ingest(db, story, "https://ledger.example/acme", "Daily Ledger", noisy)
    assert again["status"] == "unchanged" and again["revision_id"] == first["revision_id"]
    assert db.execute("SELECT count(*) FROM candidates").fetchone()[0] == 3


def test_an_edited_revision_adds_only_its_new_sentences_and_moves_the_waiting_ones(db, story):
    first = ingest(db, story, "https://ledger.example/acme", "Daily Ledger", LEDGER)
    edited = [*LEDGER, "The mayor said the city would help the 400 workers find new jobs."]
    second = ingest(db, story, "https://ledger.example/acme", "Daily Ledger", edited)
    assert second["status"] == "updated" and second["revision_id"] != first["revision_id"]
    queue = waiting(db, story["id"])
    assert len(queue) == 4
    assert {c["revision_id"] for c in queue} == {second["revision_id"]}
    text = coverage.get_revision(db, second["revision_id"])["text"]
    for c in queue:
        assert text[c["start"] : c["end"]] == c["text"]
        assert not c["outdated"]


def test_a_dismissed_sentence_arriving_from_another_outlet_is_not_pending_again(db, story, accounts):
    ingest(db, story, "https://ledger.example/acme", "Daily Ledger", LEDGER)
    union = by_text(waiting(db, story["id"]), "The union declined to comment.")
    candidates.dismiss(db, union["id"], accounts["reporter"], "Not news")
    harbor = ingest(
        db,
        story,
        "https://harbor.example/acme",
        "Harbor Times",
        ["The union declined to comment.", "Acme had no plans."],
    )
    copy = db.execute(
        "SELECT state, reason, decided_by FROM candidates WHERE revision_id = ? AND text = ?",
        [harbor["revision_id"], "The union declined to comment."],
    ).fetchone()
    assert copy == ("dismissed", candidates.AUTO_REASON, None)
    assert "The union declined to comment." not in [c["text"] for c in waiting(db, story["id"])]


def test_a_merged_sentence_arriving_again_joins_the_same_claim(db, story, accounts):
    ingest(db, story, "https://ledger.example/acme", "Daily Ledger", LEDGER)
    quote = by_text(waiting(db, story["id"]), "We are reviewing every option")
    claim_id = claims.log_claim(db, story["id"], "Acme is reviewing its options.", "Dana Okafor", "named", None)
    candidates.merge(db, quote["id"], claim_id, accounts["reporter"])
    # Curly quotes straightened and spacing changed: still the same sentence.
    harbor = ingest(
        db,
        story,
        "https://harbor.example/acme",
        "Harbor Times",
        ['"We are reviewing  every option," said Dana Okafor, a spokesperson for Acme.'],
    )
    copy = db.execute(
        "SELECT state, claim_id, reason FROM candidates WHERE revision_id = ?", [harbor["revision_id"]]
    ).fetchone()
    assert copy == ("merged", claim_id, candidates.AUTO_REASON)


def test_deciding_one_settles_the_waiting_copies_from_other_outlets(db, story, accounts):
    ingest(db, story, "https://ledger.example/acme", "Daily Ledger", LEDGER)
    ingest(db, story, "https://harbor.example/acme", "Harbor Times", LEDGER[1:])
    queue = waiting(db, story["id"])
    union = [c for c in queue if c["text"] == "The union declined to comment."]
    assert len(union) == 2
    assert [k["outlet"] for k in union[0]["copies"]] == [union[1]["outlet"]]
    assert candidates.pending_copies(db, union[0]["id"]) == 1
    claim_id = candidates.accept(db, union[0]["id"], accounts["reporter"])
    states = dict(db.execute("SELECT id, state FROM candidates WHERE id IN (?, ?)", [union[0]["id"], union[1]["id"]]))
    assert states == {union[0]["id"]: "accepted", union[1]["id"]: "merged"}
    assert db.execute("SELECT claim_id FROM candidates WHERE id = ?", [union[1]["id"]]).fetchone()[0] == claim_id
    # The copy is settled, not cited: evidence is what a person attached.
    assert db.execute("SELECT count(*) FROM evidence WHERE claim_id = ?", [claim_id]).fetchone()[0] == 1


def test_queue_newest_first_is_newest_coverage_first_and_each_article_in_reading_order(db, story):
    ingest(db, story, "https://ledger.example/acme", "Daily Ledger", LEDGER, published="2026-03-01T08:00:00Z")
    ingest(
        db,
        story,
        "https://harbor.example/acme",
        "Harbor Times",
        ["Acme said the plant will close in June.", "The mayor declined to comment."],
        published="2026-03-03T08:00:00Z",
    )
    queue = candidates.list_queue(db, story["id"], limit=200, sort="newest")
    assert [c["outlet"] for c in queue] == ["Harbor Times"] * 2 + ["Daily Ledger"] * 3
    assert [c["start"] for c in queue[:2]] == sorted(c["start"] for c in queue[:2])
    page = candidates.list_queue(db, story["id"], limit=2, offset=2, sort="newest")
    assert [c["id"] for c in page] == [c["id"] for c in queue[2:4]]


def test_texts_stored_without_extraction_wait_and_are_read_once(db, db_path, story):
    item = coverage.upsert_item(db, story["id"], "https://ledger.example/old", outlet="Daily Ledger")
    coverage.add_revision(db, item, "\n".join(LEDGER))  # stored directly, as a stopped pass leaves it
    assert candidates.counts(db, story["id"])["pending"] == 0 and extraction.waiting_count(db, story["id"]) == 1
    listing = CliRunner().invoke(cli, ["--db", str(db_path), "candidates"])
    assert listing.exit_code == 0 and "1 text(s) not yet read for claims: --extract" in listing.output
    result = CliRunner().invoke(cli, ["--db", str(db_path), "candidates", story["slug"], "--extract"])
    assert result.exit_code == 0, result.output
    assert "3 candidate(s) added from 1 revision(s)" in result.output
    assert extraction.extract_waiting(db, story["id"]) == {"revisions": 0, "added": 0, "problems": [], "error": None}
    again = CliRunner().invoke(cli, ["--db", str(db_path), "candidates", story["slug"], "--backfill"])  # old name
    assert again.exit_code == 0 and "0 candidate(s) added from 0 revision(s)" in again.output
    listing = CliRunner().invoke(cli, ["--db", str(db_path), "candidates"])
    assert listing.exit_code == 0 and f"{story['slug']}" in listing.output and "3 pending" in listing.output
    assert "not yet read" not in listing.output
    missing = CliRunner().invoke(cli, ["--db", str(db_path), "candidates", "no-such-story"])
    assert missing.exit_code == 1 and "Traceback" not in missing.output


def test_the_queue_migration_leaves_only_unread_latest_texts_waiting(tmp_path):
    db = connect(tmp_path / "old.db")
    migrations.migrations.apply(db, stop_before="0007_extraction_queue")
    story = stories.create_story(db, "old-story", "An old story")
    revisions = {}
    for name, texts in {"read": ["v1", "v2"], "unread": ["v1"], "edited": ["v1", "v2"]}.items():
        item = item_as_then(db, story["id"], f"https://{name}.example/x", name)
        # Rows as that schema held them: today's add_revision also writes tables added later (alert events).
        revisions[name] = [
            db.execute(
                "INSERT INTO revisions (coverage_id, fetched_at, content_hash, text) VALUES (?, ?, ?, ?)",
                [item, "2026-01-01T00:00:00Z", t, "\n".join(LEDGER) + f" {t}"],
            ).lastrowid
            for t in texts
        ]
    with transaction(db):  # read for claims at ingest, as before this migration
        db.execute(
            """INSERT INTO candidates (story_id, revision_id, kind, text, start, "end", fingerprint, created_at)
               VALUES (?, ?, 'claim', 'x', 0, 1, 'x', '2026-01-01T00:00:00Z')""",
            [story["id"], revisions["read"][1]],
        )
    assert migrations.apply(db)[0] == "0007_extraction_queue"
    waiting = [r[0] for r in db.execute("SELECT id FROM revisions WHERE extracted_at IS NULL ORDER BY id")]
    assert waiting == [revisions["unread"][0], revisions["edited"][1]]
    assert extraction.extract_waiting(db, story["id"])["revisions"] == 2
    assert extraction.waiting_count(db) == 0
    db.close()


def test_a_text_that_trips_extraction_is_stored_reported_and_not_retried(db, story, monkeypatch):
    url = "https://ledger.example/acme"
    good = "https://harbor.example/acme"
    ingest_page(db, story, url, article_page(url, "Daily Ledger", LEDGER))
    ingest_page(db, story, good, article_page(good, "Harbor Times", ["Acme said the plant will close in June."]))
    real = extraction.extract_candidates

    def tripping(text: str):
        if "Okafor" in text:
            raise IndexError("a rule met text it did not expect")
        return real(text)

    monkeypatch.setattr(extraction, "extract_candidates", tripping)
    result = extraction.extract_waiting(db, story["id"])
    assert result["revisions"] == 2 and result["added"] == 1
    ((_, where, reason),) = result["problems"]
    assert where == url and "IndexError" in reason and "the page is stored" in reason
    assert {i["canonical_url"] for i in coverage.list_items(db, story["id"])} == {good, url}
    assert extraction.waiting_count(db, story["id"]) == 0
    assert extraction.extract_waiting(db, story["id"])["revisions"] == 0  # not retried at every pass


def test_extraction_stopped_by_a_lock_another_program_took_keeps_the_count_of_what_it_stored(
    db, db_path, story, monkeypatch
):
    """A sqlite3 shell taking the write lock half-way: the database error was raised out of the run, so the pass
    or the `candidates --extract` that ran it lost the count of the candidates already stored."""
    import tracker.db

    monkeypatch.setattr(tracker.db, "BUSY_TIMEOUT_MS", 50)
    db.execute(f"PRAGMA busy_timeout = {tracker.db.BUSY_TIMEOUT_MS}")
    for n, url in enumerate(["https://ledger.example/a", "https://ledger.example/b"]):
        item = coverage.upsert_item(db, story["id"], url, outlet="Daily Ledger")
        coverage.add_revision(db, item, "\n".join(LEDGER) + f" Part {n}.")
    shell = sqlite3.connect(db_path, isolation_level=None)

    def lock_after_the_first(done: int, total: int) -> None:
        if done == 1:
            shell.execute("BEGIN IMMEDIATE")

    try:
        result = extraction.extract_waiting(db, story["id"], progress=lock_after_the_first)
    finally:
        if shell.in_transaction:
            shell.execute("ROLLBACK")
        shell.close()
    assert isinstance(result["error"], tracker.db.DatabaseBusy), result
    assert result["revisions"] == 1 and result["added"] == candidates.counts(db, story["id"])["pending"] > 0
    assert extraction.waiting_count(db, story["id"]) == 1
    assert extraction.extract_waiting(db, story["id"])["revisions"] == 1  # the rest, once the lock is gone


def test_a_page_of_more_sentences_than_sqlite_takes_parameters_is_read(db, story, monkeypatch):
    """Each distinct sentence was one SQL parameter: a page of more candidates than the build's limit
    (32,766 in SQLite's own builds, about a megabyte of short sentences) failed its pass with "too many
    SQL variables" and, left waiting, failed every pass after it. Here the limit is lowered to 999,
    SQLite's older default, rather than storing a megabyte, and the cap on one page's candidates
    raised past the page's."""
    monkeypatch.setattr(extraction, "MAX_CANDIDATES", 5000)
    n = 1200
    text = "\n".join(f"Acme said plant {i} will close." for i in range(n))
    item = coverage.upsert_item(db, story["id"], "https://many.example/a", outlet="Many")
    db.execute(
        "INSERT INTO revisions (coverage_id, fetched_at, content_hash, text) VALUES (?, 'now', 'h', ?)", [item, text]
    )
    db.conn.commit()
    db.conn.setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, 999)
    result = extraction.extract_waiting(db, story["id"])
    assert (result["revisions"], result["added"], result["problems"]) == (1, n, [])
    assert extraction.waiting_count(db) == 0


def test_a_page_that_would_flood_triage_gives_its_first_candidates_and_says_so(db, story):
    """A page of thousands of "X said" lines (a list, or a page written to bury the queue) is read up to
    MAX_CANDIDATES, in the order of its text; the pass reports the rest as left out, naming the page."""
    n = extraction.MAX_CANDIDATES + 150
    text = "\n".join(f"Acme said plant {i} will close." for i in range(n))
    item = coverage.upsert_item(db, story["id"], "https://flood.example/a", outlet="Flood")
    db.execute(
        "INSERT INTO revisions (coverage_id, fetched_at, content_hash, text) VALUES (?, 'now', 'h', ?)", [item, text]
    )
    db.conn.commit()
    result = extraction.extract_waiting(db, story["id"])
    assert (result["revisions"], result["added"]) == (1, extraction.MAX_CANDIDATES)
    [(_, url, reason)] = result["problems"]
    assert url == "https://flood.example/a"
    assert f"first {extraction.MAX_CANDIDATES:,} of {n:,}" in reason
    texts = [r[0] for r in db.execute("SELECT text FROM candidates ORDER BY start")]
    assert texts[0] == "Acme said plant 0 will close." and texts[-1].startswith(
        f"Acme said plant {extraction.MAX_CANDIDATES - 1} "
    )
    assert extraction.waiting_count(db) == 0  # read once, not again at every pass


@pytest.mark.parametrize(
    "text",
    ["", "   \n\n", "x" * 1_000_000, "“Unbalanced quote said Acme", "<p>Acme said <b>nothing</b>.</p>", "أكمي قالت"],
)
def test_odd_revision_text_gives_candidates_or_none_never_a_crash(db, story, text):
    item = coverage.upsert_item(db, story["id"], "https://odd.example/a", outlet="Odd")
    db.execute(
        "INSERT INTO revisions (coverage_id, fetched_at, content_hash, text) VALUES (?, 'now', 'h', ?)", [item, text]
    )
    revision_id = db.execute("SELECT max(id) FROM revisions").fetchone()[0]
    added = extraction.create_candidates(db, revision_id)
    assert added == db.execute("SELECT count(*) FROM candidates").fetchone()[0]


# --------------------------------------------------------------------------- decisions


@pytest.fixture
def ledger(db, story):
    page = ingest(db, story, "https://ledger.example/acme", "Daily Ledger", LEDGER)
    queue = waiting(db, story["id"])
    return {
        "revision_id": page["revision_id"],
        "claim": by_text(queue, "Acme Corp will close"),
        "quote": by_text(queue, "We are reviewing every option"),
        "union": by_text(queue, "The union declined"),
    }


def test_accept_creates_the_claim_with_the_sentence_as_evidence_at_its_exact_offsets(db, story, accounts, ledger):
    c = ledger["quote"]
    claim_id = candidates.accept(db, c["id"], accounts["reporter"])
    claim = claims.get_claim(db, claim_id)
    assert (claim["text"], claim["claimant"], claim["claimant_type"]) == (
        "We are reviewing every option",
        "Dana Okafor",
        "named",
    )
    assert claim["story_id"] == story["id"] and claim["created_by"] == accounts["reporter"]["id"]
    assert claim["first_reported_at"] == "2026-03-02T10:00:00Z"
    [evidence] = claims.evidence_for(db, claim_id)
    assert (evidence["revision_id"], evidence["start"], evidence["end"]) == (c["revision_id"], c["start"], c["end"])
    assert evidence["quote"] == c["text"] and evidence["stance"] == "supports"
    text = coverage.get_revision(db, c["revision_id"])["text"]
    assert text[evidence["start"] : evidence["end"]] == evidence["quote"]
    decided = candidates.get_candidate(db, c["id"])
    assert (decided["state"], decided["claim_id"], decided["decided_by"]) == (
        "accepted",
        claim_id,
        accounts["reporter"]["id"],
    )


def test_accept_takes_the_reporters_wording_and_attribution(db, accounts, ledger):
    claim_id = candidates.accept(
        db,
        ledger["claim"]["id"],
        accounts["editor"],
        text="Acme will close its Riverside plant in June.",
        claimant="People familiar with the plan",
        claimant_type="anonymous",
    )
    claim = claims.get_claim(db, claim_id)
    assert (claim["text"], claim["claimant"], claim["claimant_type"]) == (
        "Acme will close its Riverside plant in June.",
        "People familiar with the plan",
        "anonymous",
    )


def test_a_refused_accept_leaves_no_claim_and_the_candidate_waiting(db, accounts, ledger):
    with pytest.raises(claims.TrackerError, match="claimant type"):
        candidates.accept(db, ledger["claim"]["id"], accounts["reporter"], claimant_type="psychic")
    with pytest.raises(claims.TrackerError, match="needs its text"):
        candidates.accept(db, ledger["claim"]["id"], accounts["reporter"], text="   ")
    assert db.execute("SELECT count(*) FROM claims").fetchone()[0] == 0
    assert db.execute("SELECT count(*) FROM evidence").fetchone()[0] == 0
    assert candidates.get_candidate(db, ledger["claim"]["id"])["state"] == "pending"


def test_merge_adds_the_sentence_as_evidence_to_an_existing_claim(db, story, accounts, ledger):
    claim_id = candidates.accept(db, ledger["claim"]["id"], accounts["reporter"])
    [evidence_id] = candidates.merge(db, ledger["quote"]["id"], claim_id, accounts["reporter"]).added
    evidence = [e for e in claims.evidence_for(db, claim_id) if e["id"] == evidence_id][0]
    assert (evidence["start"], evidence["end"], evidence["quote"]) == (
        ledger["quote"]["start"],
        ledger["quote"]["end"],
        ledger["quote"]["text"],
    )
    assert len(claims.evidence_for(db, claim_id)) == 2
    merged = candidates.get_candidate(db, ledger["quote"]["id"])
    assert (merged["state"], merged["claim_id"]) == ("merged", claim_id)


def test_merging_a_sentence_the_claim_quotes_part_of_adds_only_the_words_not_yet_quoted(db, story, accounts, ledger):
    """A reporter quoted the words spoken; the sentence also says who spoke them. It was suggested as "cites this
    sentence", and merging it added the whole sentence as a second quote overlapping the reporter's."""
    sentence = ledger["quote"]
    claim_id = claims.log_claim(db, story["id"], "Acme is weighing its options.", "Acme", "organization", None)
    typed = claims.add_evidence(
        db, claim_id, ledger["revision_id"], "We are reviewing every option", "supports", accounts["reporter"]
    )
    before = [dict(e) for e in claims.evidence_for(db, claim_id)]
    [suggested] = [s for s in candidates.suggest_claims(db, sentence["id"]) if s["id"] == claim_id]
    assert (suggested["why"], suggested["match"]) == ("cites part of this sentence", "part")
    [noted] = [c["cited_by"] for c in waiting(db, story["id"]) if c["id"] == sentence["id"]]
    assert [(k["id"], k["part"]) for k in noted] == [(claim_id, True)]

    merged = candidates.merge(db, sentence["id"], claim_id, accounts["reporter"])
    assert merged.already == (typed,)
    quotes = {e["id"]: e for e in claims.evidence_for(db, claim_id)}
    assert [quotes[i]["quote"] for i in merged.added] == ["said Dana Okafor, a spokesperson for Acme."]
    assert quotes[typed] == before[0], "the reporter's quote is kept as typed"
    spans = sorted((e["start"], e["end"]) for e in quotes.values())
    assert all(a_end <= b_start for (_, a_end), (b_start, _) in zip(spans, spans[1:])), "no two quotes overlap"
    assert candidates.get_candidate(db, sentence["id"])["state"] == "merged"


def test_the_rest_of_a_sentence_merged_bears_on_the_claim_as_the_reporters_quote_of_it_does(
    db, story, accounts, ledger
):
    """The reporter marked their quote of the sentence as context; merging the sentence added its rest as
    supporting the claim, and a ruling could have cited it as support."""
    claim_id = claims.log_claim(db, story["id"], "Acme is weighing its options.", "Acme", "organization", None)
    claims.add_evidence(db, claim_id, ledger["revision_id"], "We are reviewing every option", "context", None)
    [added] = candidates.merge(db, ledger["quote"]["id"], claim_id, accounts["reporter"]).added
    assert {e["id"]: e["stance"] for e in claims.evidence_for(db, claim_id)}[added] == "context"


def test_merging_a_sentence_inside_a_longer_quote_adds_nothing(db, story, accounts, ledger):
    """The claim quotes the sentence and the next: the sentence is cited whole, and merging only decides it; so
    does a quote lacking only the sentence's full stop."""
    claim_id = claims.log_claim(db, story["id"], "Acme is weighing its options.", "Acme", "organization", None)
    both = claims.add_evidence(db, claim_id, ledger["revision_id"], f"{LEDGER[1]} {LEDGER[2]}", "supports", None)
    held = claims.add_evidence(db, claim_id, ledger["revision_id"], LEDGER[0][:-1], "supports", None)
    for sentence, covering in ((ledger["union"], both), (ledger["claim"], held)):
        [suggested] = [s for s in candidates.suggest_claims(db, sentence["id"]) if s["id"] == claim_id]
        assert (suggested["why"], suggested["match"]) == ("cites this sentence", "cited")
        merged = candidates.merge(db, sentence["id"], claim_id, accounts["reporter"])
        assert (merged.added, merged.already) == ((), (covering,))
    assert db.execute("SELECT count(*) FROM evidence").fetchone()[0] == 2


def test_merge_into_another_storys_claim_is_refused(db, accounts, ledger):
    other = stories.create_story(db, "other-story", "Another story")
    foreign = claims.log_claim(db, other["id"], "Something else.", "", "unattributed", None)
    with pytest.raises(claims.TrackerError, match="another story"):
        candidates.merge(db, ledger["quote"]["id"], foreign, accounts["reporter"])
    with pytest.raises(claims.ClaimNotFound):
        candidates.merge(db, ledger["quote"]["id"], 999_999, accounts["reporter"])
    assert candidates.get_candidate(db, ledger["quote"]["id"])["state"] == "pending"
    assert db.execute("SELECT count(*) FROM evidence").fetchone()[0] == 0


@pytest.mark.parametrize("reason", ["", "   ", None])
def test_dismiss_needs_a_reason(db, accounts, ledger, reason):
    with pytest.raises(candidates.ReasonRequired):
        candidates.dismiss(db, ledger["union"]["id"], accounts["reporter"], reason)
    assert candidates.get_candidate(db, ledger["union"]["id"])["state"] == "pending"


def test_dismiss_keeps_the_reason_and_who(db, accounts, ledger):
    candidates.dismiss(db, ledger["union"]["id"], accounts["editor"], "  Not about   the closure ")
    row = candidates.get_candidate(db, ledger["union"]["id"])
    assert (row["state"], row["reason"], row["decided_by"], row["claim_id"]) == (
        "dismissed",
        "Not about the closure",
        accounts["editor"]["id"],
        None,
    )
    assert row["decided_at"]


def test_an_already_decided_candidate_refuses_a_second_decision(db, accounts, ledger):
    claim_id = candidates.accept(db, ledger["claim"]["id"], accounts["reporter"])
    before = (
        db.execute("SELECT count(*) FROM claims").fetchone()[0],
        db.execute("SELECT count(*) FROM evidence").fetchone()[0],
    )
    for decide in (
        lambda: candidates.accept(db, ledger["claim"]["id"], accounts["editor"]),
        lambda: candidates.merge(db, ledger["claim"]["id"], claim_id, accounts["editor"]),
        lambda: candidates.dismiss(db, ledger["claim"]["id"], accounts["editor"], "Changed my mind"),
    ):
        with pytest.raises(candidates.AlreadyDecided, match="already accepted into claim"):
            decide()
    after = (
        db.execute("SELECT count(*) FROM claims").fetchone()[0],
        db.execute("SELECT count(*) FROM evidence").fetchone()[0],
    )
    assert after == before
    row = candidates.get_candidate(db, ledger["claim"]["id"])
    assert (row["state"], row["decided_by"]) == ("accepted", accounts["reporter"]["id"])


def test_decisions_need_a_signed_in_person(db, ledger):
    with pytest.raises(claims.PermissionDenied):
        candidates.dismiss(db, ledger["union"]["id"], None, "No")


def test_unknown_candidate_is_not_found(db, accounts):
    with pytest.raises(candidates.CandidateNotFound):
        candidates.accept(db, 12345, accounts["reporter"])


# --------------------------------------------------------------------------- suggestions


def test_suggestions_put_the_claim_with_the_same_words_first(db, story, accounts, ledger):
    unrelated = claims.log_claim(db, story["id"], "The mayor opened a new library.", "City Hall", "organization", None)
    closure = claims.log_claim(
        db, story["id"], "Acme will close the Riverside plant in June.", "Acme", "organization", None
    )
    suggested = candidates.suggest_claims(db, ledger["claim"]["id"])
    assert suggested[0]["id"] == closure and suggested[0]["why"] == "similar words"
    assert unrelated not in [s["id"] for s in suggested]


def test_a_suggestion_is_ticked_only_when_it_alone_is_close_to_the_sentence(db, story, accounts, ledger):
    """Two claims each holding the sentence's words are two guesses: neither is ticked for the reporter."""
    closure = claims.log_claim(db, story["id"], "Acme will close the Riverside plant.", "Acme", "organization", None)
    claims.log_claim(db, story["id"], "Acme opened a new office in Lagos.", "Acme", "organization", None)
    suggested = candidates.suggest_claims(db, ledger["claim"]["id"])
    assert [s["match"] for s in suggested] == ["close", "loose"]
    assert candidates.preselected(suggested) == closure
    claims.log_claim(db, story["id"], "Acme will close its Riverside plant in June.", "Acme", "organization", None)
    suggested = candidates.suggest_claims(db, ledger["claim"]["id"])
    assert [s["match"] for s in suggested] == ["close", "close", "loose"]
    assert candidates.preselected(suggested) is None


def test_suggestions_start_with_claims_already_citing_the_sentence(db, story, accounts, ledger):
    claim_id = claims.log_claim(db, story["id"], "Unions stay quiet.", "Union", "organization", None)
    claims.add_evidence(db, claim_id, ledger["revision_id"], "declined to comment", "supports", None)
    suggested = candidates.suggest_claims(db, ledger["union"]["id"])
    # "The union" is left of the sentence: nothing to quote on its own.
    assert suggested[0] == {**suggested[0], "id": claim_id, "why": "cites this sentence"}
    assert [c["cited_by"] for c in waiting(db, story["id"]) if c["id"] == ledger["union"]["id"]][0][0]["id"] == claim_id


def test_suggestions_survive_fts_syntax_in_the_sentence(db, story):
    claims.log_claim(db, story["id"], "Acme NEAR plant closure OR not.", "Acme", "organization", None)
    page = ingest(
        db,
        story,
        "https://odd.example/a",
        "Odd Outlet",
        ['Acme said "NEAR(plant*" OR closure AND "not" - ^ : {col} will happen.'],
    )
    [c] = db.execute("SELECT id FROM candidates WHERE revision_id = ?", [page["revision_id"]]).fetchall()
    suggested = candidates.suggest_claims(db, c[0])
    assert [s["text"] for s in suggested] == ["Acme NEAR plant closure OR not."]


def test_suggestions_without_any_claims_are_empty(db, ledger):
    assert candidates.suggest_claims(db, ledger["claim"]["id"]) == []


def test_a_pages_suggestions_come_in_a_few_queries_and_are_those_of_each_candidate_alone(db, story, accounts):
    """Triage asked for each card's suggestions in turn: four queries a card, forty a page."""
    from tracker.stories import create_story

    plants = [
        f"Acme will close plant number {i} in {m}, a spokesperson said." for i, m in enumerate("May June July".split())
    ]
    sentences = [*LEDGER, *plants, "Workers at plant number 2 said the union declined to comment on closure."]
    page = ingest(db, story, "https://ledger.example/many", "Daily Ledger", sentences * 2)
    other = create_story(db, "other", "Other story", keywords_include="Acme")
    ingest(db, other, "https://ledger.example/other", "Daily Ledger", plants)
    for i in range(30):  # similar words everywhere, in both stories, some claims citing sentences of the page
        for where in (story, other):
            claim_id = claims.log_claim(
                db, where["id"], f"Acme closes plant number {i % 4} in June ({i}).", "Acme", "organization", None
            )
            if where is story and i % 7 == 0:
                claims.add_evidence(db, claim_id, page["revision_id"], plants[i % 3], "supports", None)
    claims.log_claim(db, story["id"], "The union declined to comment.", "Union", "organization", None)
    queue = candidates.list_queue(db, story["id"], 10)
    assert len(queue) == 10
    for limit in (1, 3, 5):
        alone = {c["id"]: candidates.suggest_claims(db, c["id"], limit) for c in queue}
        assert any(len(s) == limit for s in alone.values())
        assert any(any(x["why"] == "cites this sentence" for x in s) for s in alone.values())
        statements = []
        db.conn.set_trace_callback(statements.append)
        try:
            together = candidates.suggestions(db, queue, limit)
        finally:
            db.conn.set_trace_callback(None)
        assert together == alone
        assert len([s for s in statements if not s.startswith("--")]) <= 3, statements  # "--": FTS5 inside one


# --------------------------------------------------------------------------- JSON API

API_SENTENCES = [
    "Acme will close its Riverside plant in June, the company said in a memo to staff.",
    "About 400 workers are employed at the plant, two managers told reporters on Monday.",
    "Acme has not publicly commented on the plans for the site.",
]


def exercise_candidate_api(api, db, story: dict, claim_id: int) -> None:
    """Every candidate operation, as a reporter's tool would call them (called from tests/test_api.py)."""
    slug = story["slug"]
    item = coverage.upsert_item(db, story["id"], "https://wire.example/acme-api", outlet="Wire Service", title="Acme")
    revision_id, _ = coverage.add_revision(db, item, "\n".join(API_SENTENCES))
    assert extraction.create_candidates(db, revision_id) >= 3
    page = api.call("GET", f"/stories/{slug}/candidates?limit=2").get_json()
    assert len(page["candidates"]) == 2 and page["next_cursor"]
    assert page["counts"]["pending"] >= 3
    rest = api.call("GET", f"/stories/{slug}/candidates?limit=2&cursor={page['next_cursor']}").get_json()
    waiting = {c["text"]: c for c in page["candidates"] + rest["candidates"]}
    first = waiting[API_SENTENCES[0]]
    assert first["paragraph"][first["sentence_start"] : first["sentence_end"]] == first["text"]
    assert api.call("GET", f"/stories/{slug}/candidates?state=maybe").status_code == 400
    assert api.call("GET", "/stories/no-such-story/candidates").status_code == 404

    accepted = api.call("POST", f"/candidates/{first['id']}/accept", json={"claimant_type": "organization"})
    assert accepted.status_code == 201
    decision = accepted.get_json()
    assert decision["candidate"]["state"] == "accepted" and decision["candidate"]["decided_by"] == "reporter"
    assert decision["claim"]["claimant_type"] == "organization"
    assert decision["claim"]["evidence"][0]["quote"] == API_SENTENCES[0]
    # Sent again (a retry whose answer was lost): the claim the first made, none made now; other words: 409.
    again = api.call("POST", f"/candidates/{first['id']}/accept", json={"claimant_type": "organization"})
    assert again.status_code == 200 and again.get_json()["claim"]["id"] == decision["claim"]["id"]
    reworded = api.call("POST", f"/candidates/{first['id']}/accept", json={"text": "Other words"})
    assert reworded.status_code == 409
    assert db.execute("SELECT count(*) FROM claims WHERE id > ?", [claim_id]).fetchone()[0] == 1
    assert api.call("POST", "/candidates/424242/accept", json={}).status_code == 404
    assert api.call("POST", f"/candidates/{first['id']}/accept", json={"text": 5}).status_code == 422

    second = waiting[API_SENTENCES[1]]
    assert api.call("POST", f"/candidates/{second['id']}/merge", json={}).status_code == 422
    assert api.call("POST", f"/candidates/{second['id']}/merge", json={"claim_id": 424242}).status_code == 422
    merged = api.call("POST", f"/candidates/{second['id']}/merge", json={"claim_id": claim_id}).get_json()
    assert (merged["candidate"]["state"], merged["candidate"]["claim_id"]) == ("merged", claim_id)
    assert API_SENTENCES[1] in [e["quote"] for e in merged["claim"]["evidence"]]
    merged_again = api.call("POST", f"/candidates/{second['id']}/merge", json={"claim_id": claim_id})
    assert (
        merged_again.status_code == 200 and merged_again.get_json()["claim"]["evidence"] == merged["claim"]["evidence"]
    )
    other = decision["claim"]["id"]
    assert api.call("POST", f"/candidates/{second['id']}/merge", json={"claim_id": other}).status_code == 409
    assert api.call("POST", "/candidates/424242/merge", json={"claim_id": claim_id}).status_code == 404

    third = waiting[API_SENTENCES[2]]
    assert api.call("POST", f"/candidates/{third['id']}/dismiss", json={"reason": "  "}).status_code == 422
    dismissed = api.call("POST", f"/candidates/{third['id']}/dismiss", json={"reason": "Not news"}).get_json()
    assert (dismissed["state"], dismissed["reason"]) == ("dismissed", "Not news")
    assert api.call("POST", f"/candidates/{third['id']}/dismiss", json={"reason": "again"}).status_code == 409
    assert api.call("POST", f"/candidates/{third['id']}/dismiss", json={"reason": "Not news"}).status_code == 200
    assert api.call("POST", "/candidates/424242/dismiss", json={"reason": "x"}).status_code == 404
    decided = api.call("GET", f"/stories/{slug}/candidates?state=dismissed").get_json()["candidates"]
    assert [c["id"] for c in decided] == [third["id"]]

    # A dismissal put back: waiting again, the dismissal kept; the same put-back sent again is answered as done,
    # one of a candidate waiting that nobody put back is 409.
    back = api.call("POST", f"/candidates/{third['id']}/put-back")
    assert back.status_code == 200
    returned = back.get_json()
    assert (returned["state"], returned["reason"], returned["decided_by"]) == ("pending", None, None)
    again = api.call("POST", f"/candidates/{third['id']}/put-back")
    assert again.status_code == 200 and again.get_json()["state"] == "pending"
    assert api.call("POST", f"/candidates/{first['id']}/put-back").status_code == 409
    assert api.call("POST", "/candidates/424242/put-back").status_code == 404
    kept = db.execute("SELECT reason FROM candidate_put_backs WHERE candidate_id = ?", [third["id"]]).fetchall()
    assert kept == [("Not news",)]


# --------------------------------------------------------------------------- putting a dismissal back


def _union_dismissed_in_three_outlets(db, story, accounts) -> list[int]:
    """The union's sentence from three outlets, dismissed by a reporter: one waiting copy, one arriving later."""
    ingest(db, story, "https://ledger.example/acme", "Daily Ledger", LEDGER)
    ingest(db, story, "https://harbor.example/acme", "Harbor Times", LEDGER[2:])
    union = [c["id"] for c in waiting(db, story["id"]) if c["text"] == "The union declined to comment."]
    candidates.dismiss(db, union[0], accounts["reporter"], "Not news")
    ingest(db, story, "https://wire.example/acme", "Wire", LEDGER[2:])
    ids = [
        i
        for (i,) in db.execute(
            "SELECT id FROM candidates WHERE text = ? AND state = 'dismissed' ORDER BY id",
            ["The union declined to comment."],
        )
    ]
    assert len(ids) == 3 and union[0] in ids
    return ids


@pytest.mark.parametrize("which", [0, 2])
def test_putting_back_a_dismissal_returns_it_and_its_copies_and_keeps_the_record(db, story, accounts, which):
    ids = _union_dismissed_in_three_outlets(db, story, accounts)
    dismissed = {row[0]: row[1:] for row in db.execute("SELECT id, reason, decided_by, decided_at FROM candidates")}
    assert candidates.put_back(db, ids[which], accounts["editor"]) == 3
    rows = db.execute(
        f"SELECT state, claim_id, reason, decided_by, decided_at FROM candidates WHERE id IN ({','.join('?' * 3)})",
        ids,
    ).fetchall()
    assert rows == [("pending", None, None, None, None)] * 3
    kept = db.execute(
        "SELECT candidate_id, state, reason, decided_by, decided_at, put_back_by, put_back_at "
        "FROM candidate_put_backs ORDER BY candidate_id"
    ).fetchall()
    assert [k[:5] for k in kept] == [(i, "dismissed", *dismissed[i]) for i in ids]
    assert {(k[5], bool(k[6])) for k in kept} == {(accounts["editor"]["id"], True)}
    # The sentence waits again: a copy arriving now waits with it, not dismissed.
    harbor = ingest(db, story, "https://post.example/acme", "Post", LEDGER[2:])
    copy = db.execute("SELECT state FROM candidates WHERE revision_id = ?", [harbor["revision_id"]]).fetchone()
    assert copy == ("pending",)


def test_a_dismissal_already_put_back_says_so_and_changes_nothing(db, story, accounts):
    ids = _union_dismissed_in_three_outlets(db, story, accounts)
    candidates.put_back(db, ids[0], accounts["editor"])
    with pytest.raises(candidates.NotDismissed, match="already put back in the queue by editor"):
        candidates.put_back(db, ids[1], accounts["reporter"])
    assert db.execute("SELECT count(*) FROM candidate_put_backs").fetchone()[0] == 3


def test_only_a_dismissed_candidate_is_put_back_and_only_by_someone_signed_in(db, accounts, ledger):
    claim_id = candidates.accept(db, ledger["claim"]["id"], accounts["reporter"])
    with pytest.raises(candidates.NotDismissed, match="is accepted into claim"):
        candidates.put_back(db, ledger["claim"]["id"], accounts["editor"])
    with pytest.raises(candidates.NotDismissed, match="is waiting"):
        candidates.put_back(db, ledger["union"]["id"], accounts["editor"])
    candidates.dismiss(db, ledger["union"]["id"], accounts["reporter"], "No")
    with pytest.raises(claims.PermissionDenied):
        candidates.put_back(db, ledger["union"]["id"], None)
    with pytest.raises(candidates.CandidateNotFound):
        candidates.put_back(db, 12345, accounts["editor"])
    assert candidates.get_candidate(db, ledger["union"]["id"])["state"] == "dismissed"
    assert candidates.get_candidate(db, ledger["claim"]["id"])["claim_id"] == claim_id


def test_api_pages_hold_still_while_candidates_arrive(client, db, story, accounts):
    """As the editor's queue: a scrape pass adding candidates between two pages pushed page 1's onto page 2."""
    from tracker import users

    headers = {"Authorization": f"Bearer {users.create_token(db, 'reporter')}"}
    sentences = [f"Acme will close plant number {i}, a spokesperson said." for i in range(6)]
    ingest(db, story, "https://ledger.example/plants", "Daily Ledger", sentences, published="2026-03-02T10:00:00Z")
    url = f"/api/stories/{story['slug']}/candidates?limit=3"
    first = client.get(url, headers=headers).get_json()
    before = db.execute("SELECT max(id) FROM candidates").fetchone()[0]
    arriving = [f"Acme will also sell warehouse number {i}, the mayor said." for i in range(2)]
    ingest(db, story, "https://wire.example/sale", "Wire", arriving, published="2026-03-03T10:00:00Z")
    db.execute("UPDATE candidates SET check_score = 0.99 WHERE id > ?", [before])  # worth checking first
    db.conn.commit()
    second = client.get(f"{url}&cursor={first['next_cursor']}", headers=headers).get_json()
    ids = [c["id"] for c in first["candidates"] + second["candidates"]]
    assert sorted(ids) == list(range(1, 7)) and second["next_cursor"] is None
    top = client.get(url, headers=headers).get_json()["candidates"]  # from the top: the new ones first
    assert {c["id"] for c in top[:2]} == {7, 8}


def test_api_pages_skip_nothing_while_a_colleague_decides(client, db, story, accounts):
    """As the editor's queue: candidates decided on page 1 moved the rest up, and the next page (an offset) skipped
    as many."""
    from tracker import users

    headers = {"Authorization": f"Bearer {users.create_token(db, 'reporter')}"}
    sentences = [f"Acme will close plant number {i}, a spokesperson said." for i in range(9)]
    ingest(db, story, "https://ledger.example/plants", "Daily Ledger", sentences, published="2026-03-02T10:00:00Z")
    url = f"/api/stories/{story['slug']}/candidates?limit=3&sort=newest"
    shown, cursor = [], ""
    while True:
        page = client.get(url + cursor, headers=headers).get_json()
        shown += [c["id"] for c in page["candidates"]]
        for c in page["candidates"][:2]:
            candidates.dismiss(db, c["id"], accounts["editor"], "Not a claim")
        if not page["next_cursor"]:
            break
        cursor = f"&cursor={page['next_cursor']}"
    assert shown == list(range(1, 10))


@pytest.mark.parametrize(
    ("sentence", "quoted", "rest"),
    [
        # A connective before the quoted words is nothing to quote ("In response" was added as evidence).
        (
            "In response, some employees have admitted to inventing tasks.",
            "some employees have admitted to inventing",
            [],
        ),
        # A run ends at its last word, not at the conjunction that joined it to the quoted words.
        (
            "Details about internal responses are still emerging, and Amazon has not confirmed it.",
            "Amazon has not confirmed it.",
            ["Details about internal responses are still emerging"],
        ),
        ("“We are reviewing every option,” said Dana Okafor.", "We are reviewing every option", ["said Dana Okafor."]),
        # ... nor starts with it: merged into the claim quoting the first half, the second half is added.
        (
            "Details about internal responses are still emerging, and Amazon has not confirmed it.",
            "Details about internal responses are still emerging",
            ["Amazon has not confirmed it."],
        ),
        ("The union declined to comment, he said.", "The union declined to comment", []),
    ],
)
def test_the_rest_of_a_partly_quoted_sentence_is_what_a_reader_would_quote(sentence, quoted, rest):
    at = 100
    lo = at + sentence.index(quoted)
    parts = candidates.uncited_parts(sentence, at, [(lo, lo + len(quoted))])
    assert [sentence[s - at : e - at] for s, e in parts] == rest


def test_a_text_longer_than_is_read_gives_the_candidates_of_its_first_part_and_says_so(db, story, monkeypatch):
    """A document may be 100 MB and reading a text for candidates grows faster than the text (3 MB took
    minutes and 290 MB): one text is read up to attribution.MAX_TEXT_CHARS, cut at a paragraph break, and
    the pass says how much was read. Here the limit is lowered rather than storing megabytes."""
    monkeypatch.setattr(attribution, "MAX_TEXT_CHARS", 200)
    first = "Acme said the plant will close in May.\nThe council said the vote was delayed by a week."
    text = first + "\n" + "\n".join(f"Contoso said depot {i} will open in June." for i in range(20))
    item = coverage.upsert_item(db, story["id"], "https://long.example/a", outlet="Long")
    db.execute(
        "INSERT INTO revisions (coverage_id, fetched_at, content_hash, text) VALUES (?, 'now', 'h', ?)", [item, text]
    )
    db.conn.commit()
    result = extraction.extract_waiting(db, story["id"])
    [(_, url, reason)] = result["problems"]
    assert url == "https://long.example/a"
    read = text.rfind("\n", 0, 200)
    assert f"only the first {read:,} of {len(text):,} characters were read for candidates: split the" in reason
    ends = [r[0] for r in db.execute('SELECT "end" FROM candidates ORDER BY start')]
    assert ends and max(ends) <= read and result["added"] == len(ends)
    assert extraction.waiting_count(db) == 0  # read once, not again at every pass


def test_a_text_is_read_whole_up_to_the_limit_then_to_its_last_paragraph_break():
    text = "Acme said the plant will close in May.\n" + "x" * (attribution.MAX_TEXT_CHARS - 60)
    assert attribution.readable(text) == text
    assert attribution.readable(text + "\n" + "y" * 100) == text  # the paragraph past the limit is left
    one_line = "z" * (attribution.MAX_TEXT_CHARS + 5)
    assert attribution.readable(one_line) == one_line[: attribution.MAX_TEXT_CHARS]  # no break: the limit
