"""What changed last in a story, at the top of the editor's story page and on its story list."""

from __future__ import annotations

from bs4 import BeautifulSoup

from tests.test_candidates import LEDGER, ingest
from tracker import claims, stories


def _latest(html: str) -> dict[str, str]:
    """The story page's "Latest" panel: each row's heading and its text, spaces collapsed."""
    panel = BeautifulSoup(html, "html.parser").find("section", class_="latest")
    assert panel is not None, "the story page has no Latest panel"
    found = {}
    for row in panel.select(".latest-row"):
        label = row.select_one(".latest-label").extract().get_text(strip=True).rstrip(":")
        found[label] = " ".join(row.get_text(" ").split())
    return found


def test_the_story_page_names_the_latest_ruling_claim_candidates_and_coverage(db, story, accounts, client, auth):
    """The story page listed claims newest reported first and nothing else: the ruling an editor made last night,
    the claim a reporter logged after it, what waited in triage and what the scraper found were each on another
    page (the dashboard, the triage queue, the coverage list). The top of the page now names each."""
    other = stories.create_story(db, "other-story", "Another story")
    reporter, editor = accounts["reporter"], accounts["editor"]
    ingest(db, story, "https://older.example/acme", "Older Ledger", LEDGER[:1], title="Acme weighs Riverside")
    ingest(db, story, "https://ledger.example/acme", "Daily Ledger", LEDGER, title="Acme to close Riverside plant")
    ingest(db, other, "https://elsewhere.example/x", "Elsewhere", LEDGER, title="Not this story")
    first = claims.log_claim(db, story["id"], "Acme will close Riverside", "Dana Okafor", "named", reporter)
    second = claims.log_claim(db, story["id"], "The union declined to comment", "", "unattributed", reporter)
    claims.set_status(db, second, "unclear", editor, "One source only", 1)
    claims.set_status(db, first, "confirmed", editor, "Two outlets and the filing", 1)
    claims.log_claim(db, story["id"], "Acme plans layoffs", "A supplier", "named", reporter)
    claims.log_claim(db, other["id"], "A claim of another story", "", "unattributed", reporter)
    claims.set_status(
        db,
        claims.log_claim(db, other["id"], "Ruled elsewhere", "", "unattributed", reporter),
        "denied",
        editor,
        "Not so",
        1,
    )
    waiting = db.execute(
        "SELECT count(*) FROM candidates WHERE story_id = ? AND state = 'pending'", [story["id"]]
    ).fetchone()[0]
    assert waiting > 1

    auth.login("reporter")
    latest = _latest(client.get("/stories/test-story").get_data(as_text=True))

    assert latest["Ruling"].startswith("○ Unreviewed → to ✓ Confirmed Acme will close Riverside editor ·")
    assert latest["Claim logged"].startswith("Acme plans layoffs reporter ·")
    assert latest["Triage"].startswith(f"{waiting} candidates waiting newest found")
    assert latest["Coverage"].startswith("Acme to close Riverside plant Daily Ledger · found")


def test_a_new_story_says_nothing_has_happened_yet(story, accounts, client, auth):
    auth.login("reporter")
    latest = _latest(client.get("/stories/test-story").get_data(as_text=True))
    assert latest == {
        "Ruling": "No rulings yet.",
        "Claim logged": "No claims yet.",
        "Triage": "Nothing waiting.",
        "Coverage": "None scraped yet.",
    }


def test_the_story_list_names_each_storys_latest_ruling_in_one_query(db, story, accounts, client, auth):
    """The list showed counts by status: a story whose claim was ruled on overnight looked as it had the day
    before. Each story now says its latest ruling, all read in one query however many stories there are."""
    reporter, editor = accounts["reporter"], accounts["editor"]
    other = stories.create_story(db, "other-story", "Another story")
    stories.create_story(db, "quiet-story", "A quiet story")
    old = claims.log_claim(db, story["id"], "Acme will close Riverside", "", "unattributed", reporter)
    new = claims.log_claim(db, story["id"], "Acme plans layoffs", "", "unattributed", reporter)
    claims.set_status(db, old, "unclear", editor, "One source", 1)
    claims.set_status(db, new, "denied", editor, "The filing says otherwise", 1)
    claims.set_status(
        db,
        claims.log_claim(db, other["id"], "Ruled elsewhere", "", "unattributed", reporter),
        "confirmed",
        editor,
        "On the record",
        1,
    )

    auth.login("reporter")
    soup = BeautifulSoup(client.get("/").get_data(as_text=True), "html.parser")
    lines = {
        card.select_one(".story-title").get_text(strip=True): " ".join(
            card.select_one(".latest-line").get_text(" ").split()
        )
        for card in soup.select(".story-card")
    }
    assert lines["A test story"].startswith("Latest ruling ○ Unreviewed → to ✕ Denied Acme plans layoffs")
    assert lines["Another story"].startswith("Latest ruling ○ Unreviewed → to ✓ Confirmed Ruled elsewhere")
    assert lines["A quiet story"] == "Latest ruling none yet"

    statements = []
    db.conn.set_trace_callback(statements.append)
    try:
        by_story = stories.latest_rulings(db)
    finally:
        db.conn.set_trace_callback(None)
    assert len(statements) == 1
    assert {s: r["claim_text"] for s, r in by_story.items()} == {
        story["id"]: "Acme plans layoffs",
        other["id"]: "Ruled elsewhere",
    }


def test_a_search_a_filter_or_a_later_page_shows_its_claims_without_the_panel(db, story, accounts, client, auth):
    """The panel is the story as it opens; over a search its links would sit among the claims that answer it."""
    claims.set_status(
        db,
        claims.log_claim(db, story["id"], "Acme plans layoffs", "", "unattributed", accounts["reporter"]),
        "denied",
        accounts["editor"],
        "The filing says otherwise",
        1,
    )
    auth.login("reporter")
    for query in ("?q=riverside", "?status=confirmed", "?offset=50", "?sort=oldest"):
        html = client.get("/stories/test-story" + query).get_data(as_text=True)
        assert ('class="latest"' in html) is (query == "?sort=oldest"), query
