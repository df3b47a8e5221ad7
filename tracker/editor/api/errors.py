"""Every API error as JSON: {"message": ...} ("errors": [...] too when fields failed a schema), with its status.

The app's error handlers (tracker/editor/__init__.py) answer /api/ paths
with error_response instead of an HTML page.
"""

from __future__ import annotations

from flask import current_app, jsonify, request
from flask.typing import ResponseReturnValue
from werkzeug.exceptions import HTTPException

from tracker import developments, questions
from tracker.db import ReadOnlyDatabase, TrackerError
from tracker.editor.api.claims import claim_detail
from tracker.editor.api.questions import development_json, question_json
from tracker.editor.db import get_db
from tracker.stories import StoryNotFound
from tracker.versions import StaleEdit

# A read-only database, said to the API's caller: the command line's line (tracker.db.read_only) names the server's
# file and `backup`/`--db`, which only whoever runs the tracker can use. A read meets it only on a read-only folder,
# where SQLite cannot make the -shm a WAL database is read through.
READ_ONLY = (
    "The tracker's database is read-only right now, so nothing was saved. Ask whoever runs the tracker to make it "
    "writable, then send the request again."
)
READ_ONLY_READ = (
    "The tracker's database is on read-only storage and could not be read right now; nothing was changed. Ask "
    "whoever runs the tracker to make it writable, then try again."
)


def error_response(e: Exception) -> ResponseReturnValue:
    """Every API error as JSON with a message; used by the app's error handlers for /api/ paths."""
    if isinstance(e, StaleEdit):
        return jsonify({"message": str(e), "current": _current(e)}), 409
    if isinstance(e, HTTPException):
        status = e.code or 500
        message = {
            404: "No such API endpoint or object.",
            500: "The server hit an unexpected problem; nothing was saved.",
        }.get(status, e.description)
    elif isinstance(e, ReadOnlyDatabase):
        status, message = e.status_code, READ_ONLY_READ if request.method in ("GET", "HEAD") else READ_ONLY
        # The line with the file and the commands is for whoever runs the tracker: in the server's log, not here.
        current_app.logger.warning("API request refused: %s", e)
    elif isinstance(e, StoryNotFound):
        status, message = e.status_code, e.listed_by("GET /api/stories")
    elif isinstance(e, TrackerError):
        status, message = getattr(e, "status_code", 400), str(e)
    else:
        status, message = 500, "The server hit an unexpected problem; nothing was saved."
    body: dict = {"message": message}
    if getattr(e, "errors", None):
        body["errors"] = e.errors
    response = jsonify(body)
    response.status_code = status
    if isinstance(e, HTTPException) and getattr(e, "valid_methods", None):
        # A 405 says which methods the URL takes (RFC 9110): werkzeug knows them, the JSON body must keep them.
        response.headers["Allow"] = ", ".join(e.valid_methods)
    return response


def _current(e: StaleEdit) -> dict:
    """The claim, question or development a stale write was refused for, as it is now and as the API shows it: the
    409's message names the version the request gave and the current one, so a tool can compare them and ask again.
    """
    db = get_db()
    if e.kind == "claim":
        return claim_detail(db, e.current["id"])
    if e.kind == "question":
        question = questions.get_question(db, e.current["id"])
        return question_json(db, question, question["story_slug"])
    development = developments.get_development(db, e.current["id"])
    return development_json(development, development["story_slug"])
