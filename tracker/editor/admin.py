"""People: admins create accounts, change roles, deactivate and reset passwords (the CLI does the same)."""

from __future__ import annotations

import secrets

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from tracker import users
from tracker.db import TrackerError
from tracker.editor.auth import current_row, password_method, require_admin
from tracker.editor.db import get_db
from tracker.vocab import ROLES

bp = Blueprint("admin", __name__, url_prefix="/admin")

ROLE_HINTS = {
    "reporter": "Logs claims and evidence, edits claims, adds stories and sources.",
    "editor": "Everything a reporter does, plus rulings and publishing.",
    "admin": "Everything an editor does, plus managing accounts.",
}


@bp.before_request
def _admins_only() -> None:
    require_admin()


@bp.route("/users", methods=("GET", "POST"))
def users_index() -> ResponseReturnValue:
    db = get_db()
    typed = {"username": request.form.get("username", "").strip(), "role": request.form.get("role", "reporter")}
    error = field = None
    if request.method == "POST":
        password = new_password()
        try:
            user = users.add_user(db, typed["username"], password, typed["role"], method=password_method())
        except TrackerError as e:
            error, field = str(e), e.field
        else:
            return render_template("admin/password.html", user=user, password=password, created=True)
    return render_template(
        "admin/users.html",
        users=users.list_users(db),
        typed=typed,
        error=error,
        field=field,
        ROLES=ROLES,
        ROLE_HINTS=ROLE_HINTS,
    ), (422 if error else 200)


@bp.route("/users/<int:user_id>")
def user(user_id: int) -> ResponseReturnValue:
    db = get_db()
    account = _user(user_id)
    return render_template(
        "admin/user.html",
        user=account,
        tokens=users.list_tokens(db, account["id"]),
        ROLES=ROLES,
        ROLE_HINTS=ROLE_HINTS,
        is_me=account["id"] == current_row()["id"],
    )


@bp.route("/users/<int:user_id>/role", methods=("POST",))
def set_role(user_id: int) -> ResponseReturnValue:
    account = _user(user_id)
    updated = users.set_role(get_db(), account["id"], request.form.get("role", ""))
    flash(f"{updated['username']} is now {updated['role']}.", "success")
    return redirect(url_for("admin.user", user_id=user_id))


@bp.route("/users/<int:user_id>/active", methods=("POST",))
def set_active(user_id: int) -> ResponseReturnValue:
    account = _user(user_id)
    active = request.form.get("active") == "1"
    if not active and account["id"] == current_row()["id"]:
        raise TrackerError("You cannot deactivate your own account; ask another admin.")
    revoked = users.set_active(
        get_db(), account["id"], active, revoke_tokens=not active and request.form.get("revoke_tokens") == "1"
    )
    if active:
        flash(f"{account['username']} can sign in again.", "success")
    else:
        said = f"{account['username']} is deactivated and signed out everywhere."
        if revoked:
            said += users.tokens_revoked(revoked)
        elif left := len(users.list_tokens(get_db(), account["id"])):
            token = "API token is" if left == 1 else "API tokens are"
            said += f" Its {left} {token} refused until the account is reactivated."
        flash(said, "success")
    return redirect(url_for("admin.user", user_id=user_id))


@bp.route("/users/<int:user_id>/password", methods=("POST",))
def reset_password(user_id: int) -> ResponseReturnValue:
    account = _user(user_id)
    password = new_password()
    revoked = users.set_password(
        get_db(),
        account["username"],
        password,
        method=password_method(),
        revoke_tokens=request.form.get("revoke_tokens") == "1",
    )
    return render_template(
        "admin/password.html", user=account, password=password, created=False, revoked=users.tokens_revoked(revoked)
    )


def new_password() -> str:
    """A random password shown once to the admin, who passes it on; the person changes it after signing in."""
    return secrets.token_urlsafe(12)


def _user(user_id: int) -> dict:
    return users.get_user(get_db(), user_id)
