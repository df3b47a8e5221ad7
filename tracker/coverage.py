"""Coverage items (articles and statements) and their revisions.

A page fetched again with changed text adds a revision; nothing is ever
overwritten, so a quietly edited statement stays visible.
"""

from __future__ import annotations

import difflib
import hashlib
import re

import sqlite_utils

from tracker.db import NotFound, TrackerError, now, one, rows, transaction
from tracker.migrations import COVERAGE_KINDS

_WS = re.compile(r"\s+")
ITEM_FIELDS = ("outlet", "title", "byline", "summary", "language", "published_at", "modified_at")


def normalize_for_hash(text: str) -> str:
    """Text reduced to what counts as a change: whitespace differences do not."""
    return _WS.sub(" ", text or "").strip()


def content_hash(text: str) -> str:
    return hashlib.sha256(normalize_for_hash(text).encode("utf-8")).hexdigest()


def upsert_item(
    db: sqlite_utils.Database,
    story_id: int,
    canonical_url: str,
    *,
    kind: str = "article",
    source_id: int | None = None,
    **fields: str | None,
) -> int:
    """Find or create the coverage item for this canonical URL; fill fields we did not know yet.

    Known values are not overwritten by empty ones, so a feed entry and the
    page it links to enrich one item rather than fight over it.
    """
    if kind not in COVERAGE_KINDS:
        raise TrackerError(f"Unknown coverage kind {kind!r}.")
    unknown = set(fields) - set(ITEM_FIELDS)
    if unknown:
        raise TypeError(f"unknown coverage fields: {sorted(unknown)}")
    values = {k: v for k, v in fields.items() if v not in (None, "")}
    with transaction(db):
        row = db.execute(
            "SELECT id FROM coverage WHERE story_id = ? AND canonical_url = ?", [story_id, canonical_url]
        ).fetchone()
        if row is None:
            cols = ["story_id", "canonical_url", "kind", "source_id", "first_seen_at", *values]
            params = [story_id, canonical_url, kind, source_id, now(), *values.values()]
            cur = db.execute(
                f"INSERT INTO coverage ({', '.join(cols)}) VALUES ({', '.join('?' for _ in cols)})",
                params,
            )
            return cur.lastrowid
        coverage_id = row[0]
        if values:
            # Columns come from ITEM_FIELDS, never from input.
            sets = ", ".join(f"{k} = coalesce({k}, ?)" for k in values)
            db.execute(f"UPDATE coverage SET {sets} WHERE id = ?", [*values.values(), coverage_id])
        if kind == "statement":
            db.execute("UPDATE coverage SET kind = 'statement' WHERE id = ?", [coverage_id])
        return coverage_id


def add_revision(
    db: sqlite_utils.Database, coverage_id: int, text: str, fetched_at: str | None = None
) -> tuple[int, bool]:
    """Store text as a new revision unless it matches the latest one.

    Returns (revision_id, created). The diff against the previous revision is
    kept with the new one so editors can read what changed.
    """
    digest = content_hash(text)
    with transaction(db):
        latest = latest_revision(db, coverage_id)
        if latest is not None and latest["content_hash"] == digest:
            db.execute("UPDATE coverage SET last_checked_at = ? WHERE id = ?", [now(), coverage_id])
            return latest["id"], False
        diff = None
        if latest is not None:
            diff = "\n".join(
                difflib.unified_diff(latest["text"].splitlines(), text.splitlines(), "before", "after", lineterm="")
            )
        cur = db.execute(
            "INSERT INTO revisions (coverage_id, fetched_at, content_hash, text, diff) VALUES (?, ?, ?, ?, ?)",
            [coverage_id, fetched_at or now(), digest, text, diff],
        )
        db.execute("UPDATE coverage SET last_checked_at = ? WHERE id = ?", [now(), coverage_id])
        return cur.lastrowid, True


def latest_revision(db: sqlite_utils.Database, coverage_id: int) -> dict | None:
    row = db.execute(
        "SELECT id FROM revisions WHERE coverage_id = ? ORDER BY id DESC LIMIT 1", [coverage_id]
    ).fetchone()
    return get_revision(db, row[0]) if row else None


def get_revision(db: sqlite_utils.Database, revision_id: int) -> dict:
    revision = one(
        db,
        """SELECT r.id, r.coverage_id, r.fetched_at, r.content_hash, r.text, r.diff,
                  c.canonical_url, c.outlet, c.title, c.published_at, c.kind, c.story_id
           FROM revisions r JOIN coverage c ON c.id = r.coverage_id WHERE r.id = ?""",
        [revision_id],
    )
    if revision is None:
        raise NotFound(f"No revision with id {revision_id}.")
    return revision


def get_item(db: sqlite_utils.Database, coverage_id: int) -> dict:
    item = one(db, "SELECT * FROM coverage WHERE id = ?", [coverage_id])
    if item is None:
        raise NotFound(f"No coverage item with id {coverage_id}.")
    return item


def list_items(db: sqlite_utils.Database, story_id: int) -> list[dict]:
    """A story's coverage, newest first, with revision counts."""
    return rows(
        db,
        """SELECT c.*, count(r.id) AS revision_count, max(r.id) AS latest_revision_id
           FROM coverage c LEFT JOIN revisions r ON r.coverage_id = c.id
           WHERE c.story_id = ? GROUP BY c.id
           ORDER BY coalesce(c.published_at, c.first_seen_at) DESC, c.id DESC""",
        [story_id],
    )
