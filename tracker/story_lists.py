"""What a story's editor-ordered lists share (its questions, its expected developments): text limits and order.

Each item has a position the editors set (1 comes first), text that must be
there and not be too long, and belongs to a story that exists.
"""

from __future__ import annotations

import sqlite_utils

from tracker.db import NotFound, TrackerError, refuse_control_chars, shows_nothing

MAX_TEXT = 2000


def clean_text(
    text: str | None, what: str, limit: int = MAX_TEXT, *, required: bool = True, field: str | None = None
) -> str:
    """Typed text trimmed; refused in one line when missing (if required), too long, or holding a control character.

    Text that shows nothing (spaces and invisible format characters alone) is missing: "" when not required.
    `field` is the form field the text came from, named on the error so the form can mark it.
    """
    text = (text or "").strip()
    try:
        refuse_control_chars(what, text)
    except TrackerError as e:
        raise TrackerError(str(e), field=field) from None
    if shows_nothing(text):
        text = ""
    if required and not text:
        raise TrackerError(f"Write the {what}.", field=field)
    if len(text) > limit:
        raise TrackerError(f"The {what} is too long ({len(text)} characters; at most {limit}).", field=field)
    return text


def require_story(db: sqlite_utils.Database, story_id: int) -> None:
    """NotFound unless the story exists."""
    if not db.execute("SELECT 1 FROM stories WHERE id = ?", [story_id]).fetchone():
        raise NotFound(f"No story with id {story_id}.")


def next_position(db: sqlite_utils.Database, table: str, story_id: int) -> int:
    """The place after the story's last item in `table` (questions or developments; never user input)."""
    return db.execute(f"SELECT coalesce(max(position), 0) + 1 FROM {table} WHERE story_id = ?", [story_id]).fetchone()[
        0
    ]


def position_value(value) -> int:
    """An order typed into a form or sent to the API, as a whole number from 0 to 100000."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise TrackerError("The order must be a whole number (1 comes first).", field="position") from None
    if not 0 <= number <= 100_000:
        raise TrackerError("The order must be between 0 and 100000.", field="position")
    return number
