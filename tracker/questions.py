"""Story questions ("Key questions") and what remains unclear; expected developments are tracker/developments.py.

A newsroom explains a developing story with short answers to the questions
readers ask. Written by hand they go stale the moment a ruling changes, so
here each question is tied to the claims that bear on it and the answer
records which rulings, links and claim edits it had seen
(`answer_history_mark`, `answer_link_mark`, `answer_edit_mark`,
`answer_relink_mark`: the highest status_history, question_claims,
claim_edits and question_link_changes ids when the answer was last written
or reviewed). Any later ruling on a linked claim, a change to its wording or
claimant, a claim linked since, or a linked claim's stance changed or the
claim unlinked, makes the answer "possibly stale" until an editor reviews it
again. Only editors write answers and decide what is published, as with
claims (tracker.users.can_rule).
"""

from __future__ import annotations

import sqlite_utils

from tracker.alerts import events
from tracker.claims import PermissionDenied
from tracker.db import NotFound, TrackerError, now, one, rows, transaction
from tracker.story_lists import clean_text, next_position, position_value, require_story
from tracker.users import can_rule
from tracker.versions import check_version
from tracker.vocab import QUESTION_STANCES

MAX_ANSWER = 5000
QUESTION_STANCE_LABELS = {"answers_yes": "Answers yes", "answers_no": "Answers no", "context": "Context"}


class QuestionNotFound(NotFound):
    def __init__(self, question_id: int):
        super().__init__(f"No question with id {question_id}.")


# --- Questions -----------------------------------------------------------------------------------


def create_question(
    db: sqlite_utils.Database, story_id: int, text: str, user: dict | None, *, position: int | None = None
) -> int:
    """A new, unanswered, unpublished question; reporters and editors both ask them."""
    text = clean_text(text, "question", field="text")
    require_story(db, story_id)
    stamp = now()
    with transaction(db):
        pos = next_position(db, "questions", story_id) if position is None else position_value(position)
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
        fields["text"] = clean_text(text, "question", field="text")
    if position is not None and position != "":
        fields["position"] = position_value(position)
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
    answer = clean_text(answer, "answer", MAX_ANSWER, field="answer")
    stamp = now()
    with transaction(db):
        current = _check_question(db, question_id, expected_version)
        history_mark = db.execute("SELECT coalesce(max(id), 0) FROM status_history").fetchone()[0]
        link_mark = db.execute("SELECT coalesce(max(id), 0) FROM question_claims").fetchone()[0]
        edit_mark = db.execute("SELECT coalesce(max(id), 0) FROM claim_edits").fetchone()[0]
        relink_mark = db.execute("SELECT coalesce(max(id), 0) FROM question_link_changes").fetchone()[0]
        changed_at = stamp if answer != current["answer"] else current["answer_changed_at"]
        db.execute(
            """UPDATE questions SET answer = ?, answer_written_at = ?, answer_changed_at = ?, answered_by = ?,
                   answer_history_mark = ?, answer_link_mark = ?, answer_edit_mark = ?, answer_relink_mark = ?,
                   version = version + 1, updated_at = ?
               WHERE id = ?""",
            [
                answer,
                stamp,
                changed_at,
                user["id"],
                history_mark,
                link_mark,
                edit_mark,
                relink_mark,
                stamp,
                question_id,
            ],
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
        raise TrackerError(f"Unknown stance {stance!r}; choose one of: {', '.join(QUESTION_STANCES)}.", field="stance")
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
            _link_changed(db, question, claim_id, existing, stance, user)
        else:
            # The id is chosen, not left to SQLite, which reuses the id of the newest link once it is unlinked:
            # an answer's link mark says "every link up to here was seen", so a new link must be above every mark.
            db.execute(
                """INSERT INTO question_claims (id, question_id, claim_id, stance, added_by, added_at)
                   VALUES (max((SELECT coalesce(max(id), 0) FROM question_claims),
                               (SELECT coalesce(max(answer_link_mark), 0) FROM questions)) + 1, ?, ?, ?, ?, ?)""",
                [question_id, claim_id, stance, user["id"] if user else None, now()],
            )
            if question["answer"]:
                events.question_stale(
                    db,
                    question["story_id"],
                    question_id,
                    question["text"],
                    f"claim {claim_id} was linked after the answer",
                    mark=stale_mark(question),
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
        question = _check_question(db, question_id, expected_version)
        existing = one(
            db, "SELECT id, stance FROM question_claims WHERE question_id = ? AND claim_id = ?", [question_id, claim_id]
        )
        if existing is None:
            raise NotFound(f"Claim {claim_id} is not linked to question {question_id}.")
        db.execute("DELETE FROM question_claims WHERE id = ?", [existing["id"]])
        _link_changed(db, question, claim_id, existing, None, user)
        db.execute("UPDATE questions SET version = version + 1, updated_at = ? WHERE id = ?", [now(), question_id])
    return get_question(db, question_id)


def stale_mark(question: dict) -> str:
    """What the answer had seen when last written or reviewed: one stale alert per mark (tracker.alerts.events)."""
    return f"{question['answer_history_mark']}:{question['answer_link_mark']}:{question['answer_relink_mark']}"


def _link_changed(
    db: sqlite_utils.Database, question: dict, claim_id: int, link: dict, to_stance: str | None, user: dict | None
) -> None:
    """Record a linked claim's new stance (None: unlinked); it may undo an answer that had seen the link.

    A link made after the answer is a stale reason of its own, so changing
    it raises no alert (as a ruling on it raises none).
    """
    db.execute(
        """INSERT INTO question_link_changes (question_id, claim_id, link_id, from_stance, to_stance, user_id, at)
           VALUES (?, ?, ?, ?, ?, ?, ?)""",
        [question["id"], claim_id, link["id"], link["stance"], to_stance, user["id"] if user else None, now()],
    )
    if question["answer"] and link["id"] <= question["answer_link_mark"]:
        events.question_stale(
            db,
            question["story_id"],
            question["id"],
            question["text"],
            _change_message(claim_id, link["stance"], to_stance),
            mark=stale_mark(question),
        )


def _stance_words(stance: str) -> str:
    return QUESTION_STANCE_LABELS.get(stance, stance).lower()


def _change_message(claim_id: int, from_stance: str, to_stance: str | None) -> str:
    if to_stance is None:
        return f"claim {claim_id} ({_stance_words(from_stance)}) was unlinked"
    return f"claim {claim_id} went from {_stance_words(from_stance)} to {_stance_words(to_stance)}"


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


def linked_stance(db: sqlite_utils.Database, question_id: int, claim_id: int) -> str | None:
    """How the claim is linked to the question now (None: not linked), for a link or unlink refused as stale.

    The same request sent twice (a double click, a reload of its post, a tool retrying a call whose answer was
    lost) carries the version its first send moved past: asking for the link as it now is, it is answered as
    done, not as someone else's change (the editor's page and the API alike).
    """
    row = db.execute(
        "SELECT stance FROM question_claims WHERE question_id = ? AND claim_id = ?", [question_id, claim_id]
    ).fetchone()
    return row[0] if row else None


def stale_reasons(db: sqlite_utils.Database, question: dict) -> list[dict]:
    """Why the answer may no longer hold: rulings on its claims, edits, links changed or made since it was written.

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
        {**r, "kind": "edited", "message": f"claim {r['claim_id']}'s {r['field']} was edited on {r['at']}"}
        for r in rows(
            db,
            """SELECT e.id, e.claim_id, e.field, e.at, c.text AS claim_text, c.published
               FROM claim_edits e JOIN question_claims qc ON qc.claim_id = e.claim_id AND qc.question_id = ?
               JOIN claims c ON c.id = e.claim_id
               WHERE e.id > ? AND qc.id <= ? ORDER BY e.id""",
            [question["id"], question["answer_edit_mark"], question["answer_link_mark"]],
        )
    ]
    reasons += [
        {
            **r,
            "kind": "stance" if r["to_stance"] else "unlinked",
            "message": f"{_change_message(r['claim_id'], r['from_stance'], r['to_stance'])} on {r['at']}",
        }
        for r in rows(
            db,
            """SELECT x.id, x.claim_id, x.from_stance, x.to_stance, x.at, c.text AS claim_text, c.published
               FROM question_link_changes x JOIN claims c ON c.id = x.claim_id
               WHERE x.question_id = ? AND x.id > ? AND x.link_id <= ? ORDER BY x.id""",
            [question["id"], question["answer_relink_mark"], question["answer_link_mark"]],
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
