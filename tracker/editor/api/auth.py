"""Who an API request acts for: a bearer token, else the signed-in browser session (with CSRF on writes), else 401.

Token requests carry no cookie, so they need no CSRF token; a session's
POSTs need it in an X-CSRFToken header like any form.
"""

from __future__ import annotations

from flask import current_app, g, jsonify, request
from flask.typing import ResponseReturnValue
from flask_login import current_user

from tracker import users
from tracker.editor.db import get_db


def authenticate() -> ResponseReturnValue | None:
    """Run before every API view (registered by the package): sets g.api_user or answers 401."""
    if request.endpoint == "api.openapi":
        return None
    header = request.headers.get("Authorization", "")
    if header:
        scheme, _, token = header.partition(" ")
        user = users.user_for_token(get_db(), token.strip()) if scheme.lower() == "bearer" else None
        if user is None:
            return _unauthorized("That token is not valid (revoked, mistyped, or its account is deactivated).")
        g.api_user = user
        return None
    if current_user.is_authenticated:
        g.api_user = current_user.row
        if request.method not in ("GET", "HEAD", "OPTIONS"):
            current_app.extensions["csrf"].protect()
        return None
    return _unauthorized("Send Authorization: Bearer TOKEN (python -m tracker users token NAME prints one).")


def _unauthorized(message: str) -> ResponseReturnValue:
    response = jsonify({"message": message})
    response.status_code = 401
    response.headers["WWW-Authenticate"] = 'Bearer realm="newsroom-tracker"'
    return response
