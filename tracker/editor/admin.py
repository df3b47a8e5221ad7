"""People: admins create accounts, change roles, deactivate and reset passwords (the CLI does the same)."""

from __future__ import annotations

import secrets

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from tracker import users
from tracker.db import TrackerError
from tracker.editor import drafts
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
    """People, and the form adding one. Its password is derived from the form (first_password), so the same form
    sent twice (a double click: the browser shows only the second answer) adds the person once, and both answers
    show the one password that works."""
    db = get_db()
    typed = {"username": request.form.get("username", "").strip(), "role": request.form.get("role", "reporter")}
    error = field = None
    if request.method == "POST":
        password = first_password(typed["username"])
        made: dict[str, dict] = {}

        def make() -> str:
            made["user"] = users.add_user(db, typed["username"], password, typed["role"], method=password_method())
            return url_for("admin.user", user_id=made["user"]["id"])

        try:
            _, created = drafts.once(db, make)
        except TrackerError as e:
            error, field = str(e), e.field
        else:
            if created:
                return render_template("admin/password.html", user=made["user"], password=password, created=True)
            account = users.find_user(db, typed["username"])
            if account is not None:
                return _shown_again(account, password, created=True)
            error, field = f"User {typed['username']!r} was added by this form and is gone since.", "username"
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
    """A new random password, shown in this answer. The same form sent twice resets it once, and both answers
    show the one password that works (reset_password_for): two resets showed the second's, and had the browser
    shown the first answer, its password no longer worked."""
    account = _user(user_id)
    db = get_db()
    password = reset_password_for(account["id"])
    revoked: dict[str, int] = {}

    def reset() -> str:
        revoked["count"] = users.set_password(
            db,
            account["username"],
            password,
            method=password_method(),
            revoke_tokens=request.form.get("revoke_tokens") == "1",
        )
        return url_for("admin.user", user_id=account["id"])

    _, done = drafts.once(db, reset)
    if not done:
        return _shown_again(account, password, created=False)
    return render_template(
        "admin/password.html",
        user=account,
        password=password,
        created=False,
        revoked=users.tokens_revoked(revoked["count"]),
    )


def new_password() -> str:
    """A random password shown once to the admin, who passes it on; the person changes it after signing in."""
    return secrets.token_urlsafe(PASSWORD_BYTES)


# A password an admin sets: 16 characters (12 random bytes), random or derived from the form alike.
PASSWORD_BYTES = 12


def first_password(username: str) -> str:
    """The password the add-person form sets: the same for each send of that form to this session (the username
    is part of it, so the same form sent with another name sets another), random without the form's name."""
    return drafts.form_secret("first-password", username, size=PASSWORD_BYTES) or new_password()


def reset_password_for(user_id: int) -> str:
    """The password a reset form sets for `user_id`: the same for each send of that form to this session."""
    return drafts.form_secret("reset-password", user_id, size=PASSWORD_BYTES) or new_password()


def _shown_again(account: dict, password: str, *, created: bool) -> ResponseReturnValue:
    """The answer to a form sent twice: its password again, if it is still the account's (this session's form, not
    changed since); otherwise no password, and a reset to make a new one. Never a stale password."""
    done = "was already added" if created else "already had its password reset"
    if users.has_password(get_db(), account["id"], password):
        note = f"This form was sent twice: {account['username']} {done}, and the password is shown again here."
        return render_template("admin/password.html", user=account, password=password, created=created, note=note)
    note = (
        f"This form was sent twice: {account['username']} {done}. Its password is shown only in the session that "
        "set it, and only until it is changed: reset it to get a new one."
    )
    return render_template("admin/password.html", user=account, password=None, created=created, note=note)


def _user(user_id: int) -> dict:
    return users.get_user(get_db(), user_id)
