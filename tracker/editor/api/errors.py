"""Every API error as JSON: {"message": ..., "errors": [...]}, with the status the domain error carries.

The app's error handlers (tracker/editor/__init__.py) answer /api/ paths
with error_response instead of an HTML page.
"""

from __future__ import annotations

from flask import jsonify
from flask.typing import ResponseReturnValue
from werkzeug.exceptions import HTTPException

from tracker.db import TrackerError
from tracker.editor.api.claims import claim_detail
from tracker.editor.db import get_db
from tracker.versions import StaleEdit


def error_response(e: Exception) -> ResponseReturnValue:
    """Every API error as JSON with a message; used by the app's error handlers for /api/ paths."""
    if isinstance(e, StaleEdit) and e.kind == "claim":
        return jsonify({"message": str(e), "current": claim_detail(get_db(), e.current["id"])}), 409
    if isinstance(e, HTTPException):
        status = e.code or 500
        message = {
            404: "No such API endpoint or object.",
            500: "The server hit an unexpected problem; nothing was saved.",
        }.get(status, e.description)
    elif isinstance(e, TrackerError):
        status, message = getattr(e, "status_code", 400), str(e)
    else:
        status, message = 500, "The server hit an unexpected problem; nothing was saved."
    body: dict = {"message": message}
    if getattr(e, "errors", None):
        body["errors"] = e.errors
    return jsonify(body), status
