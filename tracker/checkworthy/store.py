"""Check-worthiness scores on stored candidates: computed when they are created, refreshed when context changes.

A candidate's score depends on its sentence and on what the story knows
about it (tracker/checkworthy/ranking.py): its kind and claimant, the story's
keywords (who the story is about), how many outlets carry the same sentence
and whether a claim already holds it. New candidates are scored in the
transaction that stores them; the waiting copies of their sentences are
rescored with them, since one more outlet now carries it. Candidates stored
before scoring existed are scored by `python -m tracker score-candidates`.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable

import sqlite_utils

from tracker.checkworthy.ranking import HIGH, Context, Ranking, medium, rank_many
from tracker.db import marks, rows, transaction
from tracker.stories import split_keywords
from tracker.vocab import CANDIDATE_STATES

# Candidates scored per transaction by the one-off command: short writes, so
# the editor and a running scrape are never kept waiting long.
BATCH = 500


def _marks(values) -> str:
    return ", ".join("?" for _ in values)


def _contexts(db: sqlite_utils.Database, candidate_ids: list[int]) -> list[tuple[int, str, Context]]:
    """(id, text, Context) for each candidate, read in three queries whatever the count."""
    found = rows(
        db,
        f"""SELECT k.id, k.story_id, k.text, k.kind, k.claimant, k.claimant_type, k.fingerprint, k.claim_id,
                   s.keywords_include, cov.language,
                   (SELECT min(e.claim_id) FROM evidence e
                     WHERE e.revision_id = k.revision_id AND e.start < k."end" AND k.start < e."end") AS cited_by
            FROM candidates k JOIN stories s ON s.id = k.story_id
            JOIN revisions r ON r.id = k.revision_id JOIN coverage cov ON cov.id = r.coverage_id
            WHERE k.id IN ({_marks(candidate_ids)}) ORDER BY k.id""",
        candidate_ids,
    )
    outlets: dict[tuple[int, str], int] = {}
    for story_id in sorted({c["story_id"] for c in found}):
        prints = sorted({c["fingerprint"] for c in found if c["story_id"] == story_id})
        for fingerprint, n in db.execute(
            f"""SELECT k.fingerprint, count(DISTINCT coalesce(nullif(cov.outlet, ''), 'item ' || cov.id))
                FROM candidates k JOIN revisions r ON r.id = k.revision_id JOIN coverage cov ON cov.id = r.coverage_id
                WHERE k.story_id = ? AND k.fingerprint IN ({_marks(prints)}) GROUP BY k.fingerprint""",
            [story_id, *prints],
        ):
            outlets[(story_id, fingerprint)] = n
    return [
        (
            c["id"],
            c["text"],
            Context(
                kind=c["kind"],
                claimant=c["claimant"],
                claimant_type=c["claimant_type"],
                centre=tuple(split_keywords(c["keywords_include"])),
                outlets=outlets.get((c["story_id"], c["fingerprint"]), 1),
                logged_claim_id=c["claim_id"] or c["cited_by"],
                language=c["language"],
            ),
        )
        for c in found
    ]


def reasons_json(ranking: Ranking) -> str:
    """The reasons as stored in candidates.check_reasons."""
    return json.dumps([r.as_dict() for r in ranking.reasons], ensure_ascii=False)


def score_candidates(db: sqlite_utils.Database, candidate_ids: Iterable[int]) -> int:
    """Score these candidates in their context and store score and reasons; returns how many were written."""
    ids = sorted(set(candidate_ids))
    written = 0
    with transaction(db):
        for start in range(0, len(ids), BATCH):
            chunk = ids[start : start + BATCH]
            found = _contexts(db, chunk)
            # Copies of one sentence in one context score the same: each is ranked once, so a site
            # posting its page hundreds of times does not have every waiting copy ranked at each arrival.
            unique = list(dict.fromkeys((text, ctx) for _, text, ctx in found))
            ranked = {
                key: (r.score, reasons_json(r))
                for key, r in zip(unique, rank_many([text for text, _ in unique], [ctx for _, ctx in unique]))
            }
            updates = [(*ranked[(text, ctx)], candidate_id) for candidate_id, text, ctx in found]
            db.conn.executemany("UPDATE candidates SET check_score = ?, check_reasons = ? WHERE id = ?", updates)
            written += len(updates)
    return written


def score_revision(db: sqlite_utils.Database, revision_id: int) -> int:
    """Score a revision's candidates and rescore the waiting copies of their sentences elsewhere in the story."""
    ids = [
        i
        for (i,) in db.execute(
            """SELECT DISTINCT other.id FROM candidates k
               JOIN candidates other ON other.story_id = k.story_id AND other.fingerprint = k.fingerprint
               WHERE k.revision_id = ? AND (other.id = k.id OR other.state = 'pending')""",
            [revision_id],
        )
    ]
    return score_candidates(db, ids) if ids else 0


def score_span(db: sqlite_utils.Database, revision_id: int, start: int, end: int) -> int:
    """Rescore the waiting candidates a new piece of evidence quotes: a claim now holds them."""
    ids = [
        i
        for (i,) in db.execute(
            """SELECT id FROM candidates WHERE revision_id = ? AND start < ? AND ? < "end" AND state = 'pending'""",
            [revision_id, end, start],
        )
    ]
    return score_candidates(db, ids) if ids else 0


def score_stored(
    db: sqlite_utils.Database,
    story_id: int | None = None,
    *,
    rescore: bool = False,
    progress: Callable[[int, int], object] | None = None,
) -> int:
    """Score stored candidates that have no score yet (all of them with rescore, e.g. after a new model).

    One transaction per BATCH, so a stopped run keeps what it did and a
    second run carries on where it stopped.
    """
    where, params = [], []
    if not rescore:
        where.append("check_score IS NULL")
    if story_id is not None:
        where.append("story_id = ?")
        params.append(story_id)
    sql = "SELECT id FROM candidates" + (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY id"
    ids = [i for (i,) in db.execute(sql, params)]
    done = 0
    for start in range(0, len(ids), BATCH):
        done += score_candidates(db, ids[start : start + BATCH])
        if progress is not None:
            progress(done, len(ids))
    return done


def high_count(db: sqlite_utils.Database, story_id: int, state: str = "pending") -> int:
    """Candidates of a story in this state scoring HIGH or more (waiting ones: the dashboard's count)."""
    return db.execute(
        "SELECT count(*) FROM candidates WHERE story_id = ? AND state = ? AND check_score >= ?",
        [story_id, state, HIGH],
    ).fetchone()[0]


def level(score: float | None) -> str:
    """ "high", "medium", "low" or "unscored": the word shown beside a score, and its colour's name."""
    if score is None:
        return "unscored"
    return "high" if score >= HIGH else "medium" if score >= medium() else "low"


def unscored(db: sqlite_utils.Database, story_id: int) -> int:
    """Candidates of a story stored before scoring existed (the one-off command scores them).

    Asked state by state, so they are a range of candidates_check (story, state, score) each: asked for the story
    alone, SQLite could count them by reading every candidate of the story (1.4 s at 300,000, on every triage page).
    """
    return db.execute(
        f"SELECT count(*) FROM candidates WHERE story_id = ? AND state IN ({marks(CANDIDATE_STATES)}) "
        "AND check_score IS NULL",
        [story_id, *CANDIDATE_STATES],
    ).fetchone()[0]


def reasons_of(stored: str | list | None) -> list[dict]:
    """candidates.check_reasons back as a list of {"text", "direction"}; empty when not scored."""
    if not stored:
        return []
    try:
        value = json.loads(stored) if isinstance(stored, str) else stored
    except ValueError:
        return []
    return [r for r in value if isinstance(r, dict) and "text" in r and "direction" in r]
