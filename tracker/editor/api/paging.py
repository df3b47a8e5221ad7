"""Cursors of the API's paged lists: opaque to clients, a keyset position or an offset inside."""

from __future__ import annotations

import base64
import json

from tracker.editor.api.routing import ApiError
from tracker.editor.forms import MAX_SQLITE_INT, is_unicode

DAMAGED = "Invalid query: cursor is damaged; start again without it."


def cursor_out(page: dict | None) -> str | None:
    if page is None:
        return None
    raw = json.dumps({k: list(v) if isinstance(v, tuple) else v for k, v in page.items()})
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def cursor_in(value: str) -> dict:
    """The position a cursor of cursor_out holds; anything else (a sort key that is no text or holds a lone
    surrogate, a number SQLite cannot hold: each was a 500 from the query) is the one-line 400 of a damaged cursor."""
    try:
        data = json.loads(base64.urlsafe_b64decode(value + "=" * (-len(value) % 4)))
        if "at" in data:  # a place in the candidate queue's order (tracker.candidates.queue_position checks it)
            return {"at": data["at"], "upto": _whole(data["upto"])}
        if "offset" in data:  # "upto": the newest id the pages hold still at (the candidate queue's)
            return {"offset": _whole(data["offset"]), **({"upto": _whole(data["upto"])} if "upto" in data else {})}
        key, ident = data["after"]
        text = isinstance(key, str) and is_unicode(key)  # "\ud800" is no text SQLite can take
        if not (key is None or text or isinstance(key, float) or isinstance(key, int) and abs(key) <= MAX_SQLITE_INT):
            raise ValueError(key)
        return {"after": (key, _whole(ident))}
    except (ValueError, KeyError, TypeError, OverflowError):
        raise ApiError(DAMAGED, 400) from None


def position_in(value: str) -> list:
    """The keyset position [sort key, id] a cursor of cursor_out({"after": ...}) holds; a cursor of another kind
    of list (an offset, a place in the candidate queue) is as damaged here as any other."""
    page = cursor_in(value)
    if "after" not in page:
        raise ApiError(DAMAGED, 400)
    return list(page["after"])


def _whole(value) -> int:
    number = int(value)
    if not 0 <= number <= MAX_SQLITE_INT:
        raise ValueError(value)
    return number
