"""Cursors of the API's paged lists: opaque to clients, a keyset position or an offset inside."""

from __future__ import annotations

import base64
import json

from tracker.editor.api.routing import ApiError


def cursor_out(page: dict | None) -> str | None:
    if page is None:
        return None
    raw = json.dumps({k: list(v) if isinstance(v, tuple) else v for k, v in page.items()})
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def cursor_in(value: str) -> dict:
    try:
        data = json.loads(base64.urlsafe_b64decode(value + "=" * (-len(value) % 4)))
        if "offset" in data:
            return {"offset": int(data["offset"])}
        key, ident = data["after"]
        return {"after": (key, int(ident))}
    except (ValueError, KeyError, TypeError):
        raise ApiError("Invalid query: cursor is damaged; start again without it.", 400) from None
