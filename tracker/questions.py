"""Story questions ("Key questions"), what remains unclear, and expected developments ("What's next").

A newsroom explains a developing story with short answers to the questions
readers ask. Written by hand they go stale the moment a ruling changes, so
here each question is tied to the claims that bear on it and the answer
records which rulings and links it had seen (`answer_history_mark`,
`answer_link_mark`: the highest status_history and question_claims ids when
the answer was last written or reviewed). Any later ruling on a linked claim,
or a claim linked since, makes the answer "possibly stale" until an editor
reviews it again. Only editors write answers and decide what is published,
as with claims (tracker.users.can_rule).
"""

from __future__ import annotations

import sqlite_utils

from tracker.alerts import events
from tracker.claims import PermissionDenied, parse_day
from tracker.db import NotFound, TrackerError, now, one, rows, transaction
from tracker.users import can_rule
from tracker.versions import check_version
from tracker.vocab import DEVELOPMENT_STATES, QUESTION_STANCES

MAX_TEXT = 2000
MAX_ANSWER = 5000
DEVELOPMENT_FIELDS = ("text", "expected_date", "expectation", "claim_id", "coverage_id", "position")
QUESTION_STANCE_LABELS = {"answers_yes": "Answers yes", "answers_no": "Answers no", "context": "Context"}
DEVELOPMENT_STATE_LABELS = {"not_yet": "Not yet", "happened": "Happened", "did_not_happen": "Did not happen"}


class QuestionNotFound(NotFound):
    def __init__(self, question_id: int):
        super().__init__(f"No question with id {question_id}.")


class DevelopmentNotFound(NotFound):
    def __init__(self, development_id: int):
        super().__init__(f"No expected development with id {development_id}.")


def _clean(text: str | None, what: str, limit: int = MAX_TEXT, *, required: bool = True) -> str:
    text = (text or "").strip()
    if required and not text:
        raise TrackerError(f"Write the {what}.")
    if len(text) > limit:
        raise TrackerError(f"The {what} is too long ({len(text)} characters; at most {limit}).")
    return text


def _story_exists(db: sqlite_utils.Database, story_id: int) -> None:
    if not db.execute("SELECT 1 FROM stories WHERE id = ?", [story_id]).fetchone():
        raise NotFound(f"No story with id {story_id}.")


def _next_position(db: sqlite_utils.Database, table: str, story_id: int) -> int:
    return db.execute(f"SELECT coalesce(max(position), 0) + 1 FROM {table} WHERE story_id = ?", [story_id]).fetchone()[
        0
    ]


def _position(value) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise TrackerError("The order must be a whole number (1 comes first).") from None
    if not 0 <= number <= 100_000:
        raise TrackerError("The order must be between 0 and 100000.")
    return number


# --- Questions -----------------------------------------------------------------------------------


def create_question(
    db: sqlite_utils.Database, story_id: int, text: str, user: dict | None, *, position: int | None = None
) -> int:
    """A new, unanswered, unpublished question; reporters and editors both ask them."""
    text = _clean(text, "question")
    _story_exists(db, story_id)
    stamp = now()
    with transaction(db):
        pos = _next_position(db, "questions", story_id) if position is None else _position(position)
        cur = db.execute(
            """INSERT INTO questions (story_id, text, position, created_by, created_at, updated_at)
               VALUES (?, ?, ?, ?, ?, ?)""",
            [story_id, text, pos, user["id"] if user else None, stamp, stamp],
        )
    return cur.lastrowid


def get_question(db: sqlite_utils.Database, question_id: int) -> dict:
    question = one(
        db,
        """SELECT q.*, s.slug AS story_slug, s.title AS story_title,
                  a.username AS answered_by_name, u.username AS created_by_name
           FROM questions q JOIN stories s ON s.id = q.story_id
           LEFT JOIN users a ON a.id = q.answered_by
           LEFT JOIN users u ON u.id = q.created_by
           WHERE q.id = ?""",
        [question_id],
    )
    if question is None:
        raise QuestionNotFound(question_id)
    return question


def _check_question(db: sqlite_utils.Database, question_id: int, expected_version: int | None) -> dict:
    return check_version("question", get_question(db, question_id), expected_version)


def update_question(
    db: sqlite_utils.Database,
    question_id: int,
    user: dict | None,
    expected_version: int,
    *,
    text: str | None = None,
    position: int | str | None = None,
) -> dict:
    """Reword or reorder a question; refuses a stale edit instead of overwriting someone else's."""
    fields: dict = {}
    if text is not None:
        fields["text"] = _clean(text, "question")
    if position is not None and position != "":
        fields["position"] = _position(position)
    with transaction(db):
        _check_question(db, question_id, expected_version)
        if fields:
            sets = ", ".join(f"{k} = ?" for k in fields)  # keys are fixed above
            db.execute(
                f"UPDATE questions SET {sets}, version = version + 1, updated_at = ? WHERE id = ?",
                [*fields.values(), now(), question_id],
            )
    return get_question(db, question_id)


def set_question_published(
    db: sqlite_utils.Database, question_id: int, published: bool, user: dict | None, expected_version: int
) -> dict:
    """Only editors decide what readers see; an unanswered question is not published."""
    if not can_rule(user):
        raise PermissionDenied("Only editors can publish questions.")
    with transaction(db):
        current = _check_question(db, question_id, expected_version)
        if published and not current["answer"].strip():
            raise TrackerError("Write the answer before publishing the question: readers get both or neither.")
        db.execute(
            "UPDATE questions SET published = ?, version = version + 1, updated_at = ? WHERE id = ?",
            [int(bool(published)), now(), question_id],
        )
    return get_question(db, question_id)


def write_answer(
    db: sqlite_utils.Database, question_id: int, answer: str, user: dict | None, expected_version: int
) -> dict:
    """An editor writes the short answer, or saves it unchanged to say it still holds (a review).

    Either way the answer now reflects every ruling and link made so far, so
    it is no longer stale; answer_changed_at moves only when the words do.
    """
    if not can_rule(user):
        raise PermissionDenied("Only editors write answers. Ask an editor to answer this question.")
    answer = _clean(answer, "answer", MAX_ANSWER)
    stamp = now()
    with transaction(db):
        current = _check_question(db, question_id, expected_version)
        history_mark = db.execute("SELECT coalesce(max(id), 0) FROM status_history").fetchone()[0]
        link_mark = db.execute("SELECT coalesce(max(id), 0) FROM question_claims").fetchone()[0]
        changed_at = stamp if answer != current["answer"] else current["answer_changed_at"]
        db.execute(
            """UPDATE questions SET answer = ?, answer_written_at = ?, answer_changed_at = ?, answered_by = ?,
                   answer_history_mark = ?, answer_link_mark = ?, version = version + 1, updated_at = ?
               WHERE id = ?""",
            [answer, stamp, changed_at, user["id"], history_mark, link_mark, stamp, question_id],
        )
    return get_question(db, question_id)


def link_claim(
    db: sqlite_utils.Database,
    question_id: int,
    claim_id: int,
    stance: str,
    user: dict | None,
    expected_version: int | None = None,
) -> dict:
    """Tie a claim of the same story to the question (or change its stance)."""
    if stance not in QUESTION_STANCES:
        raise TrackerError(f"Unknown stance {stance!r}; choose one of: {', '.join(QUESTION_STANCES)}.")
    with transaction(db):
        question = _check_question(db, question_id, expected_version)
        claim = one(db, "SELECT id, story_id FROM claims WHERE id = ?", [claim_id])
        if claim is None:
            raise NotFound(f"No claim with id {claim_id}.")
        if claim["story_id"] != question["story_id"]:
            raise TrackerError(f"Claim {claim_id} belongs to another story; link claims of this story.")
        existing = one(
            db, "SELECT id, stance FROM question_claims WHERE question_id = ? AND claim_id = ?", [question_id, claim_id]
        )
        if existing and existing["stance"] == stance:
            return question
        if existing:
            db.execute("UPDATE question_claims SET stance = ? WHERE id = ?", [stance, existing["id"]])
        else:
            db.execute(
                """INSERT INTO question_claims (question_id, claim_id, stance, added_by, added_at)
                   VALUES (?, ?, ?, ?, ?)""",
                [question_id, claim_id, stance, user["id"] if user else None, now()],
            )
            if question["answer"]:
                events.question_stale(
                    db,
                    question["story_id"],
                    question_id,
                    question["text"],
                    f"claim {claim_id} was linked after the answer",
                    mark=f"{question['answer_history_mark']}:{question['answer_link_mark']}",
                )
        db.execute("UPDATE questions SET version = version + 1, updated_at = ? WHERE id = ?", [now(), question_id])
    return get_question(db, question_id)


def unlink_claim(
    db: sqlite_utils.Database,
    question_id: int,
    claim_id: int,
    user: dict | None,
    expected_version: int | None = None,
) -> dict:
    with transaction(db):
        _check_question(db, question_id, expected_version)
        cur = db.execute("DELETE FROM question_claims WHERE question_id = ? AND claim_id = ?", [question_id, claim_id])
        if cur.rowcount == 0:
            raise NotFound(f"Claim {claim_id} is not linked to question {question_id}.")
        db.execute("UPDATE questions SET version = version + 1, updated_at = ? WHERE id = ?", [now(), question_id])
    return get_question(db, question_id)


def linked_claims(db: sqlite_utils.Database, question_id: int) -> list[dict]:
    """The question's claims with their stance and current status, in the order they were linked."""
    return rows(
        db,
        """SELECT c.id, c.text, c.claimant, c.claimant_type, c.status, c.status_changed_at, c.published,
                  qc.id AS link_id, qc.stance, qc.added_at
           FROM question_claims qc JOIN claims c ON c.id = qc.claim_id
           WHERE qc.question_id = ? ORDER BY qc.id""",
        [question_id],
    )


def stale_reasons(db: sqlite_utils.Database, question: dict) -> list[dict]:
    """Why the answer may no longer hold: rulings on its claims and claims linked since it was written.

    Empty when there is no answer yet, or nothing moved since the last review.
    A claim linked since is one reason, whatever its rulings. Each reason
    carries a sentence an editor can act on.
    """
    if not question["answer"] or not question["answer_written_at"]:
        return []
    reasons = [
        {
            **r,
            "kind": "status",
            "message": f"claim {r['claim_id']} moved from {r['from_status']} to {r['to_status']} on {r['at']}",
        }
        for r in rows(
            db,
            """SELECT h.id, h.claim_id, h.from_status, h.to_status, h.at, c.text AS claim_text, c.published
               FROM status_history h JOIN question_claims qc ON qc.claim_id = h.claim_id AND qc.question_id = ?
               JOIN claims c ON c.id = h.claim_id
               WHERE h.id > ? AND qc.id <= ? ORDER BY h.id""",
            [question["id"], question["answer_history_mark"], question["answer_link_mark"]],
        )
    ]
    reasons += [
        {**r, "kind": "linked", "message": f"claim {r['claim_id']} was linked on {r['at']}, after the answer"}
        for r in rows(
            db,
            """SELECT qc.id, qc.claim_id, qc.added_at AS at, c.text AS claim_text, c.published
               FROM question_claims qc JOIN claims c ON c.id = qc.claim_id
               WHERE qc.question_id = ? AND qc.id > ? ORDER BY qc.id""",
            [question["id"], question["answer_link_mark"]],
        )
    ]
    return reasons


def list_questions(db: sqlite_utils.Database, story_id: int, *, published_only: bool = False) -> list[dict]:
    """A story's questions in reading order, each with its linked claims and stale reasons."""
    found = rows(
        db,
        f"""SELECT q.*, a.username AS answered_by_name FROM questions q
            LEFT JOIN users a ON a.id = q.answered_by
            WHERE q.story_id = ? {"AND q.published = 1" if published_only else ""}
            ORDER BY q.position, q.id""",
        [story_id],
    )
    for question in found:
        question["claims"] = linked_claims(db, question["id"])
        question["stale"] = stale_reasons(db, question)
    return found


# --- What remains unclear ------------------------------------------------------------------------


def remains_unclear(db: sqlite_utils.Database, story_id: int) -> list[dict]:
    """Published claims still unclear or unreviewed, grouped under the first question they bear on.

    Returns [{"question": dict | None, "claims": [...]}]: question groups in
    reading order, then the claims no question covers (question None).
    """
    open_claims = rows(
        db,
        """SELECT c.id, c.text, c.claimant, c.claimant_type, c.status, c.status_changed_at,
                  coalesce(c.first_reported_at, c.created_at) AS reported_at,
                  (SELECT q.id FROM question_claims qc JOIN questions q ON q.id = qc.question_id
                   WHERE qc.claim_id = c.id ORDER BY q.position, q.id LIMIT 1) AS question_id
           FROM claims c
           WHERE c.story_id = ? AND c.published = 1 AND c.status IN ('unclear', 'unreviewed')
           ORDER BY c.status = 'unreviewed', coalesce(c.status_changed_at, c.first_reported_at, c.created_at) DESC,
                    c.id DESC""",
        [story_id],
    )
    questions = {q["id"]: q for q in rows(db, "SELECT * FROM questions WHERE story_id = ?", [story_id])}
    groups: dict[int | None, list[dict]] = {}
    for claim in open_claims:
        groups.setdefault(claim["question_id"], []).append(claim)
    ordered = sorted((k for k in groups if k is not None), key=lambda k: (questions[k]["position"], k))
    out = [{"question": questions[k], "claims": groups[k]} for k in ordered]
    if None in groups:
        out.append({"question": None, "claims": groups[None]})
    return out


# --- Expected developments ("What's next") -------------------------------------------------------


def _check_links(db: sqlite_utils.Database, story_id: int, claim_id, coverage_id, evidence_coverage_id=None) -> None:
    for table, value, what in (
        ("claims", claim_id, "claim"),
        ("coverage", coverage_id, "coverage item"),
        ("coverage", evidence_coverage_id, "coverage item"),
    ):
        if value in (None, ""):
            continue
        row = db.execute(f"SELECT story_id FROM {table} WHERE id = ?", [int(value)]).fetchone()
        if row is None:
            raise NotFound(f"No {what} with id {value}.")
        if row[0] != story_id:
            raise TrackerError(f"That {what} ({value}) belongs to another story; choose one of this story.")


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
        if key == "text":
            out[key] = _clean(value, "expected development")
        elif key == "expected_date":
            out[key] = parse_day(value, "The expected date")
        elif key == "expectation":
            out[key] = _clean(value, "expectation", 500, required=False)
        elif key in ("claim_id", "coverage_id"):
            out[key] = _optional_id(value)
        elif key == "position":
            out[key] = _position(value)
        else:
            raise TrackerError(f"Cannot edit {key}.")
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
    _story_exists(db, story_id)
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
                _next_position(db, "developments", story_id),
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
    if state not in DEVELOPMENT_STATES:
        raise TrackerError(f"Unknown state {state!r}; choose one of: {', '.join(DEVELOPMENT_STATES)}.")
    evidence = _optional_id(evidence_coverage_id)
    note = _clean(note, "note", 1000, required=False)
    if state == "happened" and evidence is None:
        raise TrackerError("Choose the coverage that shows it happened.")
    if state == "did_not_happen" and not note and evidence is None:
        raise TrackerError("Say why it did not happen, or choose the coverage that shows it.")
    if state == "not_yet":
        evidence, note = None, note
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
