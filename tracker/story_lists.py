"""What a story's editor-ordered lists share (its questions, its expected developments): text limits and order.

Each item has a position the editors set (1 comes first), text that must be
there and not be too long, and belongs to a story that exists.
"""

from __future__ import annotations

import unicodedata

import sqlite_utils

from tracker.db import NotFound, TrackerError, refuse_control_chars

MAX_TEXT = 2000
# Format characters (Unicode's Cf) draw nothing: zero-width space and joiners, word joiner, bidi marks,
# byte order mark, soft hyphen. Text of only these and spaces is blank, though str.strip() keeps them.
# These few are format characters a font does draw (Arabic number sign and its kin), so they are text.
DRAWN_FORMAT_CHARS = frozenset("\u0600\u0601\u0602\u0603\u0604\u0605\u06dd\u070f\u0890\u0891\u08e2\U000110bd\U000110cd")


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
    if all(ch.isspace() or (unicodedata.category(ch) == "Cf" and ch not in DRAWN_FORMAT_CHARS) for ch in text):
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
