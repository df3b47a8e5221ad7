"""A story at a glance: where the claims stand, what waits for someone, what went wrong."""

from __future__ import annotations

import functools

from flask import Blueprint, render_template
from flask.typing import ResponseReturnValue

from tracker import claim_queries, claims, sources, stories
from tracker.charts import data as chart_data
from tracker.charts import render as charts
from tracker.checkworthy import store as checkworthiness
from tracker.db import rows
from tracker.editor import livedemo
from tracker.editor.db import get_db

bp = Blueprint("dashboard", __name__)


@bp.route("/stories/<slug>/dashboard")
def story(slug: str) -> ResponseReturnValue:
    db = get_db()
    story = stories.get_story(db, slug)
    all_sources = sources.list_sources(db, story["id"])
    failing = [s for s in all_sources if s.get("failures") or s.get("last_outcome") in ("error", "refused")]
    counts = claim_queries.status_counts(db, story["id"])
    return render_template(
        "dashboard/story.html",
        story=story,
        counts=counts,
        total=sum(counts.values()),
        pending=pending_candidates(db, story["id"]),
        rulings=claims.recent_rulings(db, story["id"], 10),
        changed=claims.changed_evidence(db, story_id=story["id"])[:50],
        reworded=claims.reworded_since_ruling(db, story_id=story["id"]),
        failing=failing,
        source_count=len(all_sources),
        unpublished_rulings=_ruled_not_published(db, story["id"]),
        charts=story_charts(db, story["id"]),
        demo=livedemo.panel(db, story),
    )


def story_charts(db, story_id: int) -> list:
    """The dashboard's two charts, from everything the newsroom holds (published or not).

    Their rows cost a few milliseconds to read; drawing costs far more (a few
    hundred milliseconds for four SVGs on a busy core), so each worker keeps
    the figures of the last rows it drew: a reload with nothing new reuses them.
    """
    found = chart_data.kept_story_charts(db, story_id)
    return list(
        _figures(
            found.unit.name,
            found.span,
            tuple(tuple(r.items()) for r in found.coverage),
            tuple(tuple(r.items()) for r in found.claims),
        )
    )


@functools.lru_cache(maxsize=32)
def _figures(unit: str, span: tuple, coverage: tuple, claims: tuple) -> tuple:
    return (
        charts.figure(charts.coverage_chart(map(dict, coverage), unit, "editor-coverage", scope="coverage", span=span)),
        charts.figure(charts.claims_chart(map(dict, claims), unit, "editor-claims", scope="claims", span=span)),
    )


def pending_candidates(db, story_id: int, limit: int = 5) -> dict:
    """Candidates waiting for a reporter's triage: how many, how many score high, and the few worth checking first."""
    total = db.execute(
        "SELECT count(*) FROM candidates WHERE story_id = ? AND state = 'pending'", [story_id]
    ).fetchone()[0]
    first = rows(
        db,
        """SELECT k.id, k.text, k.claimant, k.kind, cov.outlet, cov.title, k.created_at, k.check_score
           FROM candidates k JOIN revisions r ON r.id = k.revision_id JOIN coverage cov ON cov.id = r.coverage_id
           WHERE k.story_id = ? AND k.state = 'pending'
           ORDER BY coalesce(k.check_score, -1.0) DESC, k.id DESC LIMIT ?""",
        [story_id, limit],
    )
    for k in first:
        k["check_level"] = checkworthiness.level(k["check_score"])
    return {"total": total, "high": checkworthiness.high_count(db, story_id), "first": first}


def _ruled_not_published(db, story_id: int) -> int:
    """Ruled claims that readers cannot see yet: an editor's to-do."""
    return db.execute(
        "SELECT count(*) FROM claims WHERE story_id = ? AND status != 'unreviewed' AND published = 0", [story_id]
    ).fetchone()[0]
