import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from tracker import claim_queries, claims, config, coverage, demo, users
from tracker.claims import QuoteNotFound
from tracker.cli import cli
from tracker.db import TrackerError

SEED = Path(__file__).parent / "fixtures" / "demo" / "seed-capture.txt"  # copy of shared/seed/000_*.txt
NOISE = (
    "As an affiliate, we earn on qualifying purchases.",
    "AI Tools for Everyday Tasks",
    "Activity Log Notepad",
    "Boost Office Productivity",
    "AI for Kids Ages 8",
    "Express Schedule Free Employee Scheduling Software",
    "Simple shift planning",
    "media-amazon.com",
    "Share this article",
    "Get the Daily Brief",
    "Related stories",
    "Not surprised at all",
    "We use cookies",
)


def is_noise(line: str) -> bool:
    return any(n in line for n in NOISE) or line.startswith("![")


def all_rows(db) -> dict[str, list]:
    tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
    return {t: sorted(db.execute(f"SELECT * FROM [{t}]").fetchall(), key=repr) for t in tables}


@pytest.fixture
def loaded(db):
    result = demo.load_demo(db, echo=lambda line: None)
    return db, result


def test_demo_twice_changes_nothing_in_any_table(db):
    first = demo.load_demo(db, echo=lambda line: None)
    before = all_rows(db)
    second = demo.load_demo(db, echo=lambda line: None)
    after = all_rows(db)
    assert {t: len(r) for t, r in after.items()} == {t: len(r) for t, r in before.items()}
    assert after == before
    assert first["password"] and second["password"] is None
    assert first["slug"] == second["slug"] == "amazon-ai-activity"
    assert len(before["claims"]) == len(demo.CLAIMS) and len(before["coverage"]) == 1


def test_revision_holds_the_article_and_none_of_its_affiliate_noise(loaded):
    db, _ = loaded
    page = (config.DEMO_DIR / "article.html").read_text()
    assert all(noise in page for noise in NOISE)  # the noise is really there to be removed
    texts = [r[0] for r in db.execute("SELECT text FROM revisions")]
    assert len(texts) == 1
    for text in texts:
        for noise in NOISE:
            assert noise not in text
    # Every line of the captured article that is not noise is there, in order.
    article_lines = [line.strip() for line in SEED.read_text().splitlines() if line.strip() and not is_noise(line)]
    assert len(article_lines) > 20
    position = 0
    for line in article_lines:
        found = texts[0].find(line, position)
        assert found >= 0, f"missing or out of order: {line!r}"
        position = found + len(line)
    for quote in (
        "We’re told to show more AI activity, but many of us are just making up tasks to meet the numbers.",
        "— Anonymous Amazon employee",
        "Such practices, if confirmed, could undermine trust in reported AI progress",
        "— Industry analyst",
    ):
        assert quote in texts[0]


def test_every_evidence_quote_is_the_revision_text_at_its_offsets(loaded):
    db, _ = loaded
    evidence = db.execute(
        'SELECT e.quote, e.start, e."end", r.text FROM evidence e JOIN revisions r ON r.id = e.revision_id'
    )
    rows = evidence.fetchall()
    assert len(rows) == sum(len(c.evidence) for c in demo.CLAIMS)
    for quote, start, end, text in rows:
        assert text[start:end] == quote


def test_demo_claims_carry_the_rulings_an_editor_could_defend_on_one_article(loaded):
    db, _ = loaded
    story_id = db.execute("SELECT id FROM stories WHERE slug = 'amazon-ai-activity'").fetchone()[0]
    logged = {c["claimant"]: c for c in claim_queries.find_claims(db, story_id, limit=100)["claims"]}
    assert {name: (c["status"], c["claimant_type"]) for name, c in logged.items()} == {
        "Anonymous Amazon employee": ("unclear", "anonymous"),
        "Industry analyst": ("unclear", "anonymous"),
        "Amazon": ("confirmed", "organization"),
        "Unnamed reports": ("unclear", "unattributed"),
        "Anonymous sources": ("unclear", "anonymous"),
        "Sources familiar with the situation": ("unclear", "anonymous"),
    }
    assert "fabricating" in logged["Anonymous sources"]["text"]
    assert "reportedly" in logged["Unnamed reports"]["text"]  # the hedge stays in the claim
    for claim in logged.values():
        assert claim["published"] == 1
        assert claim["first_reported_at"] == "2026-11-24T14:05:00Z"
        (ruling,) = claims.history(db, claim["id"])
        assert ruling["from_status"] == "unreviewed" and ruling["to_status"] == claim["status"]
        assert ruling["editor"] == "demo-editor" and len(ruling["rationale"]) > 40
    confirmed = claims.history(db, logged["Amazon"]["id"])[0]["rationale"]
    assert "24 Nov 2026" in confirmed and "press office" in confirmed  # says what was and was not checked
    notes = dict(db.execute("SELECT claimant, internal_notes FROM claims WHERE internal_notes != ''").fetchall())
    assert notes == {"Anonymous Amazon employee": "Seek a second source in AWS before any change of status."}
    assert db.execute("SELECT count(*) FROM claims WHERE source_identity != ''").fetchone()[0] == 0


def test_demo_files_go_through_ingest_as_one_item(loaded):
    db, _ = loaded
    (item,) = coverage.list_items(db, 1)
    assert item["canonical_url"] == demo.ARTICLE_URL
    assert item["outlet"] == "Example Tech Daily"
    assert item["byline"] == "Tech Daily Staff"
    assert item["published_at"] == "2026-11-24T14:05:00Z"
    assert item["language"] == "en"
    assert item["revision_count"] == 1
    assert "fictional-widgets" not in str(item)  # the feed's off-topic entry was kept out by the keywords


def test_a_quote_not_in_the_article_fails_loudly_and_writes_nothing(db, monkeypatch):
    bad = demo.DemoClaim(
        text="A claim with a quote the article does not contain.",
        claimant="Nobody",
        claimant_type="unattributed",
        evidence=(("Amazon announced a new policy on Tuesday.", "supports"),),
        status="unclear",
        rationale="This must never be stored.",
    )
    monkeypatch.setattr(demo, "CLAIMS", (*demo.CLAIMS, bad))
    before = {t: len(r) for t, r in all_rows(db).items()}
    with pytest.raises(QuoteNotFound, match="not in the stored text"):
        demo.load_demo(db, echo=lambda line: None)
    assert {t: len(r) for t, r in all_rows(db).items()} == before
    assert not db.conn.in_transaction


def test_demo_refuses_a_newsroom_s_own_story_with_its_short_name_and_changes_nothing(db):
    """A newsroom following the real story may well name it amazon-ai-activity: the demo loaded its
    fictional article and published its claims into that story, for readers to see."""
    from tracker.stories import create_story

    create_story(db, "amazon-ai-activity", "Our own reporting", keywords_include="Amazon, AI")
    before = all_rows(db)
    with pytest.raises(TrackerError, match="amazon-ai-activity.*not the demo's"):
        demo.load_demo(db, echo=lambda line: None)
    assert all_rows(db) == before
    assert not db.conn.in_transaction


def test_demo_again_on_its_own_story_with_a_claim_unpublished_completes_it(loaded):
    """The demo's own story (it holds the demo's article) is still the demo's to complete."""
    db, _ = loaded
    claim = db.execute("SELECT id, version FROM claims ORDER BY id LIMIT 1").fetchone()
    editor = users.find_user(db, "demo-editor")
    claims.set_published(db, claim[0], False, editor, claim[1])
    demo.load_demo(db, echo=lambda line: None)
    assert db.execute("SELECT count(*) FROM claims WHERE published = 1").fetchone()[0] == len(demo.CLAIMS)


def test_cli_demo_refuses_a_newsroom_s_story_in_one_line(tmp_path):
    path = tmp_path / "t.db"
    CliRunner().invoke(cli, ["--db", str(path), "init"])
    made = CliRunner().invoke(cli, ["--db", str(path), "stories", "add", "amazon-ai-activity", "--title", "Ours"])
    assert made.exit_code == 0, made.output
    result = CliRunner().invoke(cli, ["--db", str(path), "demo"])
    assert result.exit_code == 1
    assert len(result.output.strip().splitlines()) == 1 and "Traceback" not in result.output
    assert "amazon-ai-activity" in result.output and "password" not in result.output


def test_demo_refuses_a_demo_editor_name_taken_by_a_reporter(db):
    users.add_user(db, "demo-editor", "reporter-password", "reporter")
    with pytest.raises(TrackerError, match="needs it to be an editor"):
        demo.load_demo(db, echo=lambda line: None)
    assert db.execute("SELECT count(*) FROM stories").fetchone()[0] == 0


def test_cli_demo_prints_working_credentials_once(tmp_path):
    path = tmp_path / "fresh.db"
    first = CliRunner().invoke(cli, ["--db", str(path), "demo"])
    assert first.exit_code == 0, first.output
    match = re.search(r"username 'demo-editor', password '([^']+)'", first.output)
    assert match, first.output
    assert "Traceback" not in first.output
    # Loading marks the demo's rulings publishable; it builds no public file, and says which command does.
    assert "all published" not in first.output and "`python -m tracker publish`" in first.output
    second = CliRunner().invoke(cli, ["--db", str(path), "demo"])
    assert second.exit_code == 0, second.output
    assert match.group(1) not in second.output and "already loaded" in second.output

    from tracker.db import connect

    db = connect(path, create=False)
    try:
        user = users.authenticate(db, "demo-editor", match.group(1))
        assert user and user["role"] == "editor"
        stored = db.execute("SELECT password_hash FROM users WHERE username = 'demo-editor'").fetchone()[0]
        assert match.group(1) not in stored
    finally:
        db.close()


def test_cli_demo_already_loaded_says_how_to_set_the_password_it_showed_once(tmp_path):
    """A demo killed after it was stored but before it printed (the machine's power, kill -9, a closed terminal)
    never showed its editor's password; run again, it said only "already loaded; nothing changed"."""
    from tracker import migrations
    from tracker.db import connect

    path = tmp_path / "fresh.db"
    db = connect(path)
    try:
        migrations.apply(db)
        assert demo.load_demo(db, echo=lambda line: None)["password"]  # stored, and the password never seen
    finally:
        db.close()
    again = CliRunner().invoke(cli, ["--db", str(path), "demo"])
    assert again.exit_code == 0, again.output
    line = again.output.strip().splitlines()[-1]
    assert "already loaded" in line and "users passwd demo-editor" in line, line
