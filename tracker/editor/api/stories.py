"""Stories and their coverage in the JSON API: what a reporter's tool reads before it logs or quotes."""

from __future__ import annotations

from flask import jsonify
from flask.typing import ResponseReturnValue

from tracker import claim_queries, coverage, stories
from tracker.editor.api.routing import endpoint
from tracker.editor.db import get_db
from tracker.vocab import STATUSES


def story_json(story: dict, counts: dict) -> dict:
    """A story row with its claims by status, as the Story schema."""
    return {
        "slug": story["slug"],
        "title": story["title"],
        "description": story["description"],
        "keywords_include": story["keywords_include"],
        "keywords_exclude": story["keywords_exclude"],
        "created_at": story["created_at"],
        "claims": sum(counts.values()),
        "counts": counts,
    }


@endpoint("GET", "/stories", "List stories with their claims by status", {200: "StoryList", 401: "Error"})
def list_stories() -> ResponseReturnValue:
    db = get_db()
    out = []
    for s in stories.list_stories(db):
        counts = {status: s[status] or 0 for status in STATUSES}
        out.append(story_json(s, counts))
    return jsonify({"stories": out})


@endpoint("GET", "/stories/{slug}", "One story", {200: "Story", 401: "Error", 404: "Error"})
def get_story(slug: str) -> ResponseReturnValue:
    db = get_db()
    story = stories.get_story(db, slug)
    return jsonify(story_json(story, claim_queries.status_counts(db, story["id"])))


@endpoint(
    "GET",
    "/stories/{slug}/coverage",
    "A story's coverage with stored text, newest first (revision ids to quote from)",
    {200: "CoverageList", 401: "Error", 404: "Error"},
)
def list_coverage(slug: str) -> ResponseReturnValue:
    db = get_db()
    story = stories.get_story(db, slug)
    items = [
        {
            "id": i["id"],
            "kind": i["kind"],
            "url": i["canonical_url"],
            "outlet": i["outlet"],
            "title": i["title"],
            "published_at": i["published_at"],
            "published_precision": i["published_precision"],
            "published_offset": i["published_offset"],
            "latest_revision_id": i["latest_revision_id"],
            "revision_count": i["revision_count"],
        }
        for i in coverage.list_items(db, story["id"])
    ]
    return jsonify({"coverage": items})
