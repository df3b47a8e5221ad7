"""The first page of a story's triage queue, and the dashboard's few candidates worth checking first, cost what a
page holds, not what the queue holds: counted in SQLite's own steps, never timed."""

from __future__ import annotations

import pytest

from tracker import candidates, claims, stories
from tracker.checkworthy import store as checkworthiness
from tracker.editor.dashboard import pending_candidates


def _queue(db, slug: str, count: int, editor: dict) -> int:
    """A story of `count` candidates, one per text, a fifth waiting, each scored (a tenth not), 20 claims."""
    story_id = stories.create_story(db, slug, slug)["id"]
    for n in range(20):
        claims.log_claim(db, story_id, f"Claim {n} about kettles", "Acme", "organization", editor)
    conn = db.conn
    conn.execute("BEGIN")
    for n in range(count):
        item = conn.execute(
            "INSERT INTO coverage (story_id, canonical_url, published_at, first_seen_at) VALUES (?, ?, ?, ?)",
            [story_id, f"https://{slug}.example/{n}", f"2026-03-01T{n % 24:02d}:00:00Z", "2026-03-01T00:00:00Z"],
        ).lastrowid
        revision = conn.execute(
            "INSERT INTO revisions (coverage_id, fetched_at, content_hash, text, extracted_at) VALUES (?, ?, ?, ?, ?)",
            [item, "2026-03-01T00:00:00Z", f"{slug}{n}", f"Acme said batch {n} is safe.", "2026-03-01T00:00:00Z"],
        ).lastrowid
        state = ("pending", "accepted", "merged", "dismissed", "dismissed")[n % 5]
        conn.execute(
            """INSERT INTO candidates (story_id, revision_id, kind, text, start, "end", fingerprint, state,
                                       decided_at, created_at, check_score)
               VALUES (?, ?, 'direct', ?, 0, 20, ?, ?, ?, '2026-03-01T00:00:00Z', ?)""",
            [story_id, revision, f"Acme said batch {n} is safe.", f"{slug}-{n}", state,
             None if state == "pending" else f"2026-03-02T{n % 24:02d}:00:00Z",
             None if n % 10 == 3 else (n * 7919 % 1000) / 1000],
        )  # fmt: skip
    conn.execute("COMMIT")
    return story_id


def _steps(db, work) -> int:
    counted = [0]

    def step() -> int:
        counted[0] += 1
        return 0

    db.conn.set_progress_handler(step, 100)
    try:
        work()
    finally:
        db.conn.set_progress_handler(None, 100)
    return counted[0]


def _first_page(db, story_id: int, state: str) -> None:
    """What triage asks for its first page: the queue pinned where it stands (upto), its page, the count before."""
    upto = candidates.newest_id(db, story_id, state)
    found = candidates.list_queue(db, story_id, 21, state=state, upto=upto)
    assert found
    assert candidates.count_before(db, story_id, candidates.queue_key(found[0], state), state=state, upto=upto) == 0
    at = candidates.queue_key(found[-1], state)
    assert candidates.list_queue(db, story_id, 21, state=state, at=at, upto=upto)[0]["id"] == found[-1]["id"]


@pytest.mark.parametrize("state", ["pending", "dismissed"])
def test_the_first_page_of_the_queue_reads_a_page_not_the_queue(db, accounts, state):
    """At 300,000 candidates in one story, the first page sorted every waiting candidate by score (twice: the page
    and the count before it), 0.4 s of the 0.75 s the page took; decided ones sorted all of theirs too."""
    steps = []
    for slug, count in (("small", 500), ("large", 2500)):
        story_id = _queue(db, slug, count, accounts["editor"])
        steps.append(_steps(db, lambda story_id=story_id: _first_page(db, story_id, state)))
    assert steps[1] < 2 * steps[0], steps  # five times the candidates: not five times the work


def test_the_dashboard_reads_its_first_candidates_from_the_queue_s_index(db, accounts):
    """The dashboard's five worth checking first sorted every waiting candidate of the story by score; they are now
    the first five of the queue's index (its counts still count the index, as a count must)."""
    story_id = _queue(db, "dashboard", 500, accounts["editor"])
    statements: list[str] = []
    db.conn.set_trace_callback(statements.append)
    try:
        found = pending_candidates(db, story_id)
    finally:
        db.conn.set_trace_callback(None)
    scores = [k["check_score"] for k in found["first"]]
    assert found["total"] == 100 and len(scores) == 5 and scores == sorted(scores, reverse=True)
    (first,) = [s for s in statements if "LIMIT" in s]
    plan = " ".join(row[3] for row in db.execute(f"EXPLAIN QUERY PLAN {first}"))
    assert "candidates_story_state_score" in plan and "TEMP B-TREE" not in plan, plan


def test_a_candidate_sharing_only_words_every_claim_holds_is_not_searched_for_them(db, accounts, monkeypatch):
    """A word in more than SUGGEST_BUDGET claims says nothing about the topic: searching on it ranked every claim that
    holds it, for each card of the page (0.4 s a page at 100,000 claims). Such a candidate is suggested what cites its
    sentence, and no claim for its words alone."""
    story_id = _queue(db, "common", 10, accounts["editor"])
    found = candidates.list_queue(db, story_id, 5)
    assert {s["id"] for s in candidates.suggestions(db, found, 5)[found[0]["id"]]}  # "Acme" is in 20 claims
    monkeypatch.setattr(candidates, "SUGGEST_BUDGET", 19)
    assert candidates.suggestions(db, found, 5)[found[0]["id"]] == []


def test_the_candidates_not_yet_scored_are_counted_from_their_own_index(db, accounts):
    """Triage counts them on every page; SQLite could count them by reading every candidate of the story (1.4 s at
    300,000, through an index of the story's candidates without their scores); each state's are a range."""
    story_id = _queue(db, "unscored", 100, accounts["editor"])
    assert checkworthiness.unscored(db, story_id) == 10
    statements: list[str] = []
    db.conn.set_trace_callback(statements.append)
    try:
        checkworthiness.unscored(db, story_id)
    finally:
        db.conn.set_trace_callback(None)
    plan = " ".join(row[3] for row in db.execute(f"EXPLAIN QUERY PLAN {statements[-1]}"))
    assert "candidates_check (story_id=? AND state=? AND check_score=?)" in plan, plan
