"""Expected developments ("What's next"): what the story expects to happen, and whether it did.

Where the expectation comes from (a claim and/or coverage) and, once it
happened, the coverage that shows it. Reporters log them; editors publish
them, as with claims (tracker.users.can_rule).
"""

from __future__ import annotations

import sqlite_utils

from tracker.claim_queries import parse_day
from tracker.claims import PermissionDenied
from tracker.db import NotFound, TrackerError, now, one, rows, transaction
from tracker.story_lists import clean_text, next_position, position_value, require_story
from tracker.users import can_rule
from tracker.versions import check_version
from tracker.vocab import DEVELOPMENT_STATES

DEVELOPMENT_FIELDS = ("text", "expected_date", "expectation", "claim_id", "coverage_id", "position")


class DevelopmentNotFound(NotFound):
    def __init__(self, development_id: int):
        super().__init__(f"No expected development with id {development_id}.")


def _check_links(db: sqlite_utils.Database, story_id: int, claim_id, coverage_id, evidence_coverage_id=None) -> None:
    for table, value, what, field in (
        ("claims", claim_id, "claim", "claim_id"),
        ("coverage", coverage_id, "coverage item", "coverage_id"),
        ("coverage", evidence_coverage_id, "coverage item", "evidence_coverage_id"),
    ):
        if value in (None, ""):
            continue
        row = db.execute(f"SELECT story_id FROM {table} WHERE id = ?", [int(value)]).fetchone()
        if row is None:
            raise NotFound(f"No {what} with id {value}.")
        if row[0] != story_id:
            raise TrackerError(
                f"That {what} ({value}) belongs to another story; choose one of this story.", field=field
            )


def _optional_id(value) -> int | None:
    if value in (None, "", 0, "0"):
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise TrackerError(f"{value!r} is not an id.") from None
    if not 1 <= number <= 2**63 - 1:
        raise TrackerError(f"{value!r} is not an id.")
    return number


def _development_fields(fields: dict) -> dict:
    out: dict = {}
    for key, value in fields.items():
        try:
            if key == "text":
                out[key] = clean_text(value, "expected development")
            elif key == "expected_date":
                out[key] = parse_day(value, "The expected date")
            elif key == "expectation":
                out[key] = clean_text(value, "expectation", 500, required=False)
            elif key in ("claim_id", "coverage_id"):
                out[key] = _optional_id(value)
            elif key == "position":
                out[key] = position_value(value)
            else:
                raise TrackerError(f"Cannot edit {key}.")
        except TrackerError as e:
            e.field = key  # the form field the value came from, so the form can mark it
            raise
    return out


def create_development(
    db: sqlite_utils.Database,
    story_id: int,
    text: str,
    user: dict | None,
    *,
    expected_date: str | None = None,
    expectation: str = "",
    claim_id: int | None = None,
    coverage_id: int | None = None,
) -> int:
    """Something the story expects to happen: a date when one is known, else the vague words ("as reviews progress")."""
    fields = _development_fields(
        {
            "text": text,
            "expected_date": expected_date,
            "expectation": expectation,
            "claim_id": claim_id,
            "coverage_id": coverage_id,
        }
    )
    require_story(db, story_id)
    _check_links(db, story_id, fields["claim_id"], fields["coverage_id"])
    stamp = now()
    with transaction(db):
        cur = db.execute(
            """INSERT INTO developments (story_id, text, expected_date, expectation, claim_id, coverage_id,
                   position, created_by, created_at, updated_at)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            [
                story_id,
                fields["text"],
                fields["expected_date"],
                fields["expectation"],
                fields["claim_id"],
                fields["coverage_id"],
                next_position(db, "developments", story_id),
                user["id"] if user else None,
                stamp,
                stamp,
            ],
        )
    return cur.lastrowid


def get_development(db: sqlite_utils.Database, development_id: int) -> dict:
    found = one(
        db,
        f"""{_DEVELOPMENT_SELECT} WHERE d.id = ?""",
        [development_id],
    )
    if found is None:
        raise DevelopmentNotFound(development_id)
    return found


_DEVELOPMENT_SELECT = """SELECT d.*, s.slug AS story_slug, s.title AS story_title,
           c.text AS claim_text, c.status AS claim_status, c.published AS claim_published,
           src.title AS coverage_title, src.outlet AS coverage_outlet, src.canonical_url AS coverage_url,
           ev.title AS evidence_title, ev.outlet AS evidence_outlet, ev.canonical_url AS evidence_url,
           ev.published_at AS evidence_published_at
    FROM developments d JOIN stories s ON s.id = d.story_id
    LEFT JOIN claims c ON c.id = d.claim_id
    LEFT JOIN coverage src ON src.id = d.coverage_id
    LEFT JOIN coverage ev ON ev.id = d.evidence_coverage_id"""


def _check_development(db: sqlite_utils.Database, development_id: int, expected_version: int | None) -> dict:
    return check_version("expected development", get_development(db, development_id), expected_version)


def update_development(
    db: sqlite_utils.Database, development_id: int, user: dict | None, expected_version: int, **fields
) -> dict:
    """Reword, redate or relink an expected development; a stale edit is refused."""
    clean = _development_fields(fields)
    with transaction(db):
        current = _check_development(db, development_id, expected_version)
        _check_links(db, current["story_id"], clean.get("claim_id"), clean.get("coverage_id"))
        if clean:
            sets = ", ".join(f"{k} = ?" for k in clean)  # keys checked by _development_fields
            db.execute(
                f"UPDATE developments SET {sets}, version = version + 1, updated_at = ? WHERE id = ?",
                [*clean.values(), now(), development_id],
            )
    return get_development(db, development_id)


def development_state(
    state: str, evidence_coverage_id: int | str | None = None, note: str = ""
) -> tuple[str, int | None, str]:
    """The state, evidence and note a form's marking asks for, as they are stored; a marking that cannot be is refused.

    Happened needs the coverage that shows it; did not happen, a reason or that coverage; "not yet" keeps neither.
    """
    if state not in DEVELOPMENT_STATES:
        raise TrackerError(f"Unknown state {state!r}; choose one of: {', '.join(DEVELOPMENT_STATES)}.", field="state")
    try:
        evidence = _optional_id(evidence_coverage_id)
    except TrackerError as e:
        raise TrackerError(str(e), field="evidence_coverage_id") from None
    note = clean_text(note, "note", 1000, required=False, field="state_note")
    if state == "happened" and evidence is None:
        raise TrackerError("Choose the coverage that shows it happened.", field="evidence_coverage_id")
    if state == "did_not_happen" and not note and evidence is None:
        raise TrackerError("Say why it did not happen, or choose the coverage that shows it.", field="state_note")
    if state == "not_yet":
        # Nothing shows a "not yet" outcome, so nothing of one is kept: the form comes back with the old note.
        evidence, note = None, ""
    return state, evidence, note


def has_state(development: dict, asked: tuple[str, int | None, str]) -> bool:
    """Whether the development is marked as `asked` (development_state's answer) already."""
    return (development["state"], development["evidence_coverage_id"], development["state_note"]) == asked


def set_development_state(
    db: sqlite_utils.Database,
    development_id: int,
    state: str,
    user: dict | None,
    expected_version: int,
    *,
    evidence_coverage_id: int | str | None = None,
    note: str = "",
) -> dict:
    """Mark it happened (with the coverage that shows it), did not happen (saying why), or not yet."""
    state, evidence, note = development_state(state, evidence_coverage_id, note)
    with transaction(db):
        current = _check_development(db, development_id, expected_version)
        _check_links(db, current["story_id"], None, None, evidence)
        stamp = now()
        db.execute(
            """UPDATE developments SET state = ?, evidence_coverage_id = ?, state_note = ?, state_changed_at = ?,
                   version = version + 1, updated_at = ? WHERE id = ?""",
            [state, evidence, note, stamp, stamp, development_id],
        )
    return get_development(db, development_id)


def set_development_published(
    db: sqlite_utils.Database, development_id: int, published: bool, user: dict | None, expected_version: int
) -> dict:
    if not can_rule(user):
        raise PermissionDenied("Only editors can publish expected developments.")
    with transaction(db):
        _check_development(db, development_id, expected_version)
        db.execute(
            "UPDATE developments SET published = ?, version = version + 1, updated_at = ? WHERE id = ?",
            [int(bool(published)), now(), development_id],
        )
    return get_development(db, development_id)


def list_developments(db: sqlite_utils.Database, story_id: int, *, published_only: bool = False) -> list[dict]:
    return rows(
        db,
        f"""{_DEVELOPMENT_SELECT} WHERE d.story_id = ? {"AND d.published = 1" if published_only else ""}
            ORDER BY d.position, d.id""",
        [story_id],
    )
