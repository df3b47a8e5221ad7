"""Stories and their coverage in the JSON API: what a reporter's tool reads before it logs or quotes, what changed
last in a story and what is new in it since the token's account last looked (marked by POST .../looked, never by a
read: a tool polling a story would otherwise mark every change seen that nobody read)."""

from __future__ import annotations

from flask import jsonify
from flask.typing import ResponseReturnValue

from tracker import claim_queries, coverage, stories
from tracker.editor.api import schemas
from tracker.editor.api.paging import cursor_out, position_in
from tracker.editor.api.routing import api_user, endpoint
from tracker.editor.db import get_db
from tracker.vocab import STATUSES

STR, ID, STAMP, COUNT = schemas.STR, schemas.ID, schemas.STAMP, schemas.COUNT
NULLABLE_STR, NULLABLE_STAMP = schemas.NULLABLE_STR, schemas.NULLABLE_STAMP
MARK_IDS = {
    "last_ruling": "The largest ruling (status change) id",
    "last_claim": "The largest claim id",
    "last_candidate": "The largest candidate id",
    "last_revision": "The largest coverage revision id",
}
SCHEMAS = {
    "LookMark": schemas.obj(
        {k: {**COUNT, "description": f"{said} there was."} for k, said in MARK_IDS.items()},
        description="Where each list stood as this answer was read (before its reads): send it back as `mark` to "
        "POST /stories/{slug}/looked to mark as seen only what this answer showed.",
    ),
    "StoryLatest": schemas.obj(
        {
            "story": {**STR, "description": "The story's slug."},
            "ruling": schemas.nullable(
                schemas.obj(
                    {
                        "id": ID,
                        "claim_id": ID,
                        "claim_text": STR,
                        "from_status": schemas.STATUS,
                        "to_status": schemas.STATUS,
                        "is_correction": {"type": "boolean"},
                        "editor": NULLABLE_STR,
                        "at": STAMP,
                    },
                    description="The story's latest ruling; null before its first.",
                )
            ),
            "claim": schemas.nullable(
                schemas.obj(
                    {"id": ID, "text": STR, "author": NULLABLE_STR, "created_at": STAMP},
                    description="The claim logged last; null before the first.",
                )
            ),
            "waiting": schemas.obj(
                {"count": COUNT, "newest_at": {**NULLABLE_STAMP, "description": "When the newest was found."}},
                description="Claim candidates waiting for triage.",
            ),
            "coverage": schemas.nullable(
                schemas.obj(
                    {
                        "id": ID,
                        "url": STR,
                        "outlet": NULLABLE_STR,
                        "title": NULLABLE_STR,
                        "revision_count": COUNT,
                        "at": {**STAMP, "description": "When it was stored, or revised last. " + STAMP["description"]},
                    },
                    description="The scraped article or statement stored or revised last; null before the first.",
                )
            ),
            "new": {
                **schemas.nullable(schemas.SINCE_LOOKED),
                "description": "What came in since this account last looked; null when it never has, and on a "
                "read-only database, which keeps no look.",
            },
            "mark": schemas.ref("LookMark"),
        }
    ),
    "CoverageItem": schemas.obj(
        {
            **schemas.SCHEMAS["Coverage"]["properties"],
            "story": {**STR, "description": "The story's slug."},
            "revisions": {
                "type": "array",
                "items": schemas.obj({"id": ID, "fetched_at": STAMP}),
                "description": "Each text stored, oldest first: GET /revisions/{id} gives it, to quote from.",
            },
        },
        description="A coverage item and its revisions. Our own reporting's who and notes are not here: they are "
        "GET /reporting/{id}'s, which says they are confidential.",
    ),
    "Revision": schemas.obj(
        {
            "id": ID,
            "coverage_id": ID,
            "story": {**STR, "description": "The story's slug."},
            "fetched_at": STAMP,
            "text": {**STR, "description": "The text as stored: an evidence quote must be in it word for word."},
            "previous_revision_id": {
                "type": ["integer", "null"],
                "description": "The item's revision before this one; null for its first.",
            },
            "diff": {
                "type": ["string", "null"],
                "description": "What changed from the previous revision, as a unified diff; null for the first.",
            },
        }
    ),
    "LookCreate": schemas.obj(
        {
            "mark": schemas.obj(
                {k: {**COUNT, "maximum": ID["maximum"]} for k in MARK_IDS},
                description="A `mark` from GET /stories/{slug}/latest: only what that answer showed is marked seen "
                "(ids past the lists' ends count as their ends). Omit to mark everything up to now.",
            )
        },
        required=[],
    ),
}


def story_json(story: dict, counts: dict, new: dict | None) -> dict:
    """A story row with its claims by status and what is new in it for this account, as the Story schema."""
    return {
        "slug": story["slug"],
        "title": story["title"],
        "description": story["description"],
        "keywords_include": story["keywords_include"],
        "keywords_exclude": story["keywords_exclude"],
        "created_at": story["created_at"],
        "claims": sum(counts.values()),
        "counts": counts,
        "new": since_looked_json(new),
    }


def since_looked_json(new: dict | None) -> dict | None:
    """One story's entry of stories.new_since_looked as the SinceLooked schema (`capped` a list, in its order)."""
    if new is None:
        return None
    return {
        **{k: new[k] for k in ("looked_at", "rulings", "claims", "candidates", "coverage", "total")},
        "capped": [kind for kind in stories.CAPPED if kind in new["capped"]],
    }


@endpoint("GET", "/stories", "List stories with their claims by status", {200: "StoryList", 401: "Error"})
def list_stories() -> ResponseReturnValue:
    db = get_db()
    new = stories.new_since_kept_look(db, api_user()["id"]) or {}  # every story's in one query, as the editor's
    out = []
    for s in stories.list_stories(db):
        counts = {status: s[status] or 0 for status in STATUSES}
        out.append(story_json(s, counts, new.get(s["id"])))
    return jsonify({"stories": out})


@endpoint("GET", "/stories/{slug}", "One story", {200: "Story", 401: "Error", 404: "Error"})
def get_story(slug: str) -> ResponseReturnValue:
    db = get_db()
    story = stories.get_story(db, slug)
    new = (stories.new_since_kept_look(db, api_user()["id"], story["id"]) or {}).get(story["id"])
    return jsonify(story_json(story, claim_queries.status_counts(db, story["id"]), new))


@endpoint(
    "GET",
    "/stories/{slug}/latest",
    "What changed last in a story, and what is new in it since you last looked (marks nothing seen)",
    {200: "StoryLatest", 401: "Error", 404: "Error"},
    description="The story page's Latest panel: the latest ruling, the claim logged last, the candidates waiting "
    "and the coverage scraped last, with what came in since this account last looked (`new`). Reading it marks "
    "nothing seen: POST /stories/{slug}/looked does, with this answer's `mark` to mark only what it showed.",
)
def story_latest(slug: str) -> ResponseReturnValue:
    """The Latest panel as the page puts it together (stories.latest_panel), with the mark drawn first."""
    db = get_db()
    story = stories.get_story(db, slug)
    mark = stories.look_mark(db)  # before the reads, as the page draws it: a row stored meanwhile stays new
    panel = stories.latest_panel(db, story["id"], api_user()["id"])
    return jsonify(
        {
            "story": story["slug"],
            "ruling": _ruling_json(panel["ruling"]),
            **_changes_json(panel),
            "new": since_looked_json(panel["new"]),
            "mark": {k: mark[k] for k in stories.LOOK_MARKS},
        }
    )


@endpoint(
    "POST",
    "/stories/{slug}/looked",
    "Mark a story as looked at by you: what is new in it counts from here",
    {200: "SinceLooked", 400: "Error", 401: "Error", 404: "Error", 422: "Error"},
    body="LookCreate",
    description="Your last look, as opening the story's page in the editor keeps it, and each person's own. With "
    "`mark` (from GET /stories/{slug}/latest) only what that answer showed is marked seen, so what came in after it "
    "stays new; without, everything up to now. A look never takes an earlier one back, so sending it again, or an "
    "older mark, marks nothing more seen. The answer is what is new since (nothing, unless the mark was older).",
)
def mark_looked(slug: str, body: dict) -> ResponseReturnValue:
    """A look kept as the page keeps one (stories.record_look), at the mark given or at now; a write, so a POST."""
    db = get_db()
    story = stories.get_story(db, slug)
    mark = stories.look_mark(db)
    given = body.get("mark")
    if given is not None:  # never past the lists' ends: an id not yet given out would hide what gets it as new
        mark = {**mark, **{k: min(given[k], mark[k]) for k in stories.LOOK_MARKS}}
    stories.record_look(db, api_user()["id"], story["id"], mark)
    return jsonify(since_looked_json(stories.new_since_looked(db, api_user()["id"], story["id"])[story["id"]]))


def _ruling_json(ruling: dict | None) -> dict | None:
    """claims.recent_rulings' row as the panel's ruling (is_correction a boolean; the internal rationale is left to
    GET /claims/{id}, as the panel leaves it to the claim's page)."""
    if ruling is None:
        return None
    keys = ("id", "claim_id", "claim_text", "from_status", "to_status", "editor", "at")
    return {**{k: ruling[k] for k in keys}, "is_correction": bool(ruling["is_correction"])}


def _changes_json(changes: dict) -> dict:
    """stories.latest_panel's latest changes as the StoryLatest fields (a coverage item's address under `url`, as
    /coverage)."""
    item = changes["coverage"]
    return {
        "claim": changes["claim"],
        "waiting": {"count": changes["waiting"]["count"], "newest_at": changes["waiting"]["newest_at"]},
        "coverage": None
        if item is None
        else {
            "id": item["id"],
            "url": item["canonical_url"],
            **{k: item[k] for k in ("outlet", "title", "revision_count", "at")},
        },
    }


@endpoint(
    "GET",
    "/stories/{slug}/coverage",
    "A story's coverage, newest published first, in cursor pages (revision ids to quote from)",
    {200: "CoverageList", 400: "Error", 401: "Error", 404: "Error"},
    params=schemas.COVERAGE_LIST_PARAMS,
    rules={400: schemas.CURSOR_RULE},
    description="Every article, statement, document, post and note of our own reporting, each with its latest "
    "revision (null for an item whose page was never stored: nothing to quote from yet). A page starts just past "
    "the last item of the one before, so an item stored meanwhile is never listed twice and none is skipped.",
)
def list_coverage(slug: str, query: dict) -> ResponseReturnValue:
    """One page of the story's coverage in the editor's order (coverage.list_items), and the cursor to the next."""
    db = get_db()
    story = stories.get_story(db, slug)
    limit = query.get("limit", schemas.PAGE_LIMIT["default"])
    after = position_in(query["cursor"]) if "cursor" in query else None
    items = coverage.list_items(db, story["id"], limit=limit + 1, after=after)
    following = items[limit - 1] if len(items) > limit else None
    return jsonify(
        {
            "coverage": [coverage_json(i) for i in items[:limit]],
            "next_cursor": cursor_out({"after": coverage.item_key(following)} if following else None),
        }
    )


def coverage_json(item: dict) -> dict:
    """A coverage row with its latest revision id (coverage.list_items') as the Coverage schema."""
    return {
        "id": item["id"],
        "kind": item["kind"],
        "url": item["canonical_url"],
        **{k: item[k] for k in ("outlet", "title", "published_at", "published_precision", "published_offset")},
        "latest_revision_id": item["latest_revision_id"],
        "revision_count": item["revision_count"],
    }


@endpoint(
    "GET",
    "/coverage/{coverage_id}",
    "A coverage item with its revisions (ids to read and quote from)",
    {200: "CoverageItem", 401: "Error", 404: "Error"},
)
def get_coverage(coverage_id: int) -> ResponseReturnValue:
    """The item as the editor's page lists it: its revisions, without their text (which can be long)."""
    db = get_db()
    item = coverage.get_item(db, coverage_id)
    revisions = coverage.revision_times(db, coverage_id)
    latest = {"latest_revision_id": revisions[-1]["id"] if revisions else None}
    return jsonify(
        {
            **coverage_json({**item, **latest}),
            "story": stories.get_story_by_id(db, item["story_id"])["slug"],
            "revisions": revisions,
        }
    )


@endpoint(
    "GET",
    "/revisions/{revision_id}",
    "One revision's text, word for word as quotes are checked against it, and what changed from the one before",
    {200: "Revision", 401: "Error", 404: "Error"},
)
def get_revision(revision_id: int) -> ResponseReturnValue:
    """A revision's text and its stored diff (coverage.add_revision's, against the item's revision before it)."""
    db = get_db()
    revision = coverage.get_revision(db, revision_id)
    return jsonify(
        {
            **{k: revision[k] for k in ("id", "coverage_id", "fetched_at", "text", "diff")},
            "story": stories.get_story_by_id(db, revision["story_id"])["slug"],
            "previous_revision_id": coverage.previous_revision_id(db, revision["coverage_id"], revision_id),
        }
    )
