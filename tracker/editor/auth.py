"""Signing in and out, and who the signed-in person is allowed to be."""

from __future__ import annotations

import hashlib
import hmac
import time
from functools import cached_property

from flask import Blueprint, current_app, flash, g, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_limiter.util import get_remote_address
from flask_login import UserMixin, current_user, login_user, logout_user
from limits import parse_many

from tracker import users
from tracker.claims import PermissionDenied
from tracker.db import NotFound, TrackerError
from tracker.editor import drafts, resume
from tracker.editor.client_rate import network_of
from tracker.editor.db import get_db
from tracker.editor.forms import is_local_path

bp = Blueprint("auth", __name__)


class Account(UserMixin):
    """The signed-in user for Flask-Login; `row` is the dict the domain functions expect."""

    def __init__(self, row: dict):
        self.row = row
        self.id = row["id"]
        self.username = row["username"]
        self.role = row["role"]

    def get_id(self) -> str:
        """What the session cookie keeps: the account and its session version ("12:3")."""
        return f"{self.id}:{self.row.get('session_version', 0)}"

    @property
    def is_active(self) -> bool:
        return bool(self.row.get("active", 1))

    @cached_property
    def can_rule(self) -> bool:
        return users.can_rule(self.row)


def load_user(session_id: str) -> Account | None:
    """Reload the account on each request; a session of an older version (signed out, password or role
    changed, deactivated since) or of a deactivated account is no session at all."""
    user_id, _, version = (session_id or "").partition(":")
    try:
        row = users.get_user(get_db(), int(user_id))
        version_number = int(version)
    except (NotFound, ValueError, OverflowError):
        return None
    if not row.get("active", 1) or version_number != row["session_version"]:
        return None
    lapsed = _lapsed(time.time())
    if lapsed:
        g.session_lapsed = lapsed  # the sign-in page says why (editor/__init__.py, _require_login)
        session.clear()
        return None
    return Account(row)


# A session's last use is written back at most this often, not on every request.
_SEEN_EVERY = 60


def start_session(row: dict) -> None:
    """Sign `row` in with a new session: nothing from before (its CSRF token included) carries over."""
    session.clear()
    login_user(Account(row))
    session["signed_in_at"] = session["seen_at"] = int(time.time())


def _lapsed(now: float) -> str | None:
    """Why this session has ended by time (unused too long, or signed in too long ago); None if it goes on.

    The reason is a clause without a full stop: each page that says it ends the sentence its own way
    ("…, before this was saved.", "…, so nothing was saved.", "… Sign in again to continue.").

    The limits are SESSION_IDLE_SECONDS and SESSION_MAX_SECONDS (TRACKER_SESSION_IDLE_HOURS,
    TRACKER_SESSION_MAX_DAYS; 0: none). A session without its times (from before they were kept,
    or tampered with, though the cookie is signed) has ended.
    """
    seen, signed_in = session.get("seen_at"), session.get("signed_in_at")
    if not isinstance(seen, int) or not isinstance(signed_in, int):
        return "Your session has ended"
    idle, longest = current_app.config["SESSION_IDLE_SECONDS"], current_app.config["SESSION_MAX_SECONDS"]
    if idle and now - seen > idle:
        return f"You were signed out after {_duration(idle)} without use"
    if longest and now - signed_in > longest:
        return f"You were signed out {_duration(longest)} after signing in"
    if now - seen >= _SEEN_EVERY:
        session["seen_at"] = int(now)
    return None


def _duration(seconds: int) -> str:
    """7 days, 12 hours, 90 minutes: a limit as a person would say it."""
    for unit, size in (("day", 86400), ("hour", 3600)):
        if seconds % size == 0:
            count = seconds // size
            return f"{count} {unit}{'s' if count != 1 else ''}"
    count = max(1, round(seconds / 60))
    return f"{count} minute{'s' if count != 1 else ''}"


def current_row() -> dict:
    """The signed-in user as the domain functions take it."""
    return current_user.row


def password_method() -> str:
    """The hash method new passwords get here (the app's settings, TRACKER_PASSWORD_METHOD)."""
    return current_app.config["PASSWORD_METHOD"]


def require_editor(action: str) -> None:
    """Refuse before reading the form: only editors and admins rule on claims or publish."""
    if not current_user.can_rule:
        raise PermissionDenied(f"Only editors can {action}. Ask an editor to review this claim.")


def require_admin() -> None:
    """Only admins manage accounts."""
    if current_user.role != "admin":
        raise PermissionDenied("Only admins manage accounts.")


def password_change_key() -> str:
    """Rate-limit key for wrong current passwords on the Account page: the account, from any address.

    Only someone holding one of the account's sessions reaches that form, so
    counting per account cannot let a stranger lock its owner out.
    """
    return f"password-change:{current_user.id}"


def limit_address() -> str:
    """The client's address as the login limits count it: an IPv6 client by its /64 network, as every limit of
    the editor and the public site counts (client_rate.network_of says why)."""
    return network_of(get_remote_address() or "")


def login_account_key() -> str:
    """Rate-limit key for failed logins to one account from one address (an IPv6 client's /64)."""
    account = (request.form.get("username") or "").strip().casefold()
    return f"account:{account}|{limit_address()}"


@bp.route("/login", methods=("GET", "POST"))
def login() -> ResponseReturnValue:
    if current_user.is_authenticated:
        return redirect(url_for("stories.index"))
    username = (request.form.get("username") or "").strip()
    if request.method == "POST":
        unsaved = resume.carried()  # a form whose session ended before it was saved (resume.py)
        row = users.authenticate(get_db(), username, request.form.get("password") or "", method=password_method())
        if row is not None:
            start_session(row)
            g.signed_in = True  # not a failed attempt for the login limits, whatever the answer's status
            flash(f"Signed in as {row['username']} ({row['role']}).", "success")
            if unsaved is not None:
                return render_template("auth/resume.html", unsaved=unsaved)
            return redirect(_safe_next(request.args.get("next")))
        return login_page(unsaved, username=username, error="Wrong username or password. Check both and try again.")
    return login_page(None)


def login_page(
    unsaved: resume.Resume | None, *, username: str = "", error: str | None = None, status: int | None = None
) -> ResponseReturnValue:
    """The sign-in form; with `unsaved`, also what a form sent after its session ended, to save once signed in.

    When this request's session had just ended by time (`_lapsed`), the page says why, whatever led here.
    """
    lapsed = g.get("session_lapsed")
    page = render_template("auth/login.html", username=username, error=error, unsaved=unsaved, lapsed=lapsed)
    return page, status or (401 if error else 200)


@bp.route("/logout", methods=("POST",))
def logout() -> ResponseReturnValue:
    """Sign out everywhere: a copy of this session's cookie (or any other device's) stops working too."""
    if current_user.is_authenticated:
        users.end_sessions(get_db(), current_user.id)
    logout_user()
    session.clear()
    drafts.forget_on_next_page()
    flash("Signed out.", "info")
    return redirect(url_for("auth.login"))


def _safe_next(target: str | None) -> str:
    """Only follow `next` to a path on this site, never to another host."""
    return target if is_local_path(target) else url_for("stories.index")


@bp.route("/account")
def account() -> ResponseReturnValue:
    """Your account: change your password, and API tokens for your own tools."""
    return _account_page()


# The password form's fields no record holds, even hashed (drafts.once's `unhashed`): a digest of a password is
# a hash of it, kept a week beside the account. The form's name, new each time it is served, tells sends apart.
PASSWORD_FIELDS = ("current", "new", "confirm")
ALREADY_CHANGED = "Your password was already changed: this form was sent twice, and nothing else was changed."


@bp.route("/account/password", methods=("POST",))
def change_password() -> ResponseReturnValue:
    """Change your own password, once per form: the same form sent again (a double click) says it is changed.

    A second send checks the current password after the first changed it, so it is wrong: that is no guess, and
    is not counted as one. A form already saved is answered so before any password is checked: otherwise, sent
    again with a right current password and differing new ones, it would tell a right guess from a wrong one
    without counting either. It mostly never reaches here: the change ends the session the form was served in
    and renews the CSRF token of the one that sent it (password_changed_before answers those sends).
    """
    db = get_db()
    if drafts.saved_before(db, PASSWORD_FIELDS) is not None:
        return _already_changed(db, current_user.id)
    error = field = None
    revoked: dict[str, int] = {}
    if (
        users.authenticate(db, current_user.username, request.form.get("current") or "", method=password_method())
        is None
    ):
        if drafts.saved_before(db, PASSWORD_FIELDS) is not None:  # the first send's change, saved since the above
            return _already_changed(db, current_user.id)
        error, field = "Your current password is not right; nothing was changed.", "current"
        g.wrong_password = True  # a guess, counted like a failed sign-in (editor/__init__.py, _init_rate_limits)
    elif request.form.get("new") != request.form.get("confirm"):
        error, field = "The two new passwords differ; type the same one twice.", "confirm"
    else:

        def change() -> str:
            revoked["count"] = users.set_password(
                db,
                current_user.username,
                request.form.get("new") or "",
                method=password_method(),
                revoke_tokens=request.form.get("revoke_tokens") == "1",
            )
            return url_for("auth.account")

        try:
            _, changed = drafts.once(db, change, unhashed=PASSWORD_FIELDS)
        except TrackerError as e:
            error, field = str(e), "new"
        else:
            if not changed:
                return _already_changed(db, current_user.id)
    if error:
        return _account_page(password_error=error, password_field=field, code=422)
    # Every other session ended with the old password; this one goes on, renewed.
    start_session(users.get_user(db, current_user.id))
    flash(f"Password changed. You are signed out everywhere else.{users.tokens_revoked(revoked['count'])}", "success")
    return redirect(url_for("auth.account"))


def password_changed_before() -> ResponseReturnValue | None:
    """The answer to a password form sent again after it changed the password, when the send's session no longer
    lets it through; None for any other request.

    A double click sends it twice. If the second send left before the first's answer came, it carries the session
    the change ended; if after, the renewed session, whose CSRF token is new. Either was answered "nothing was
    saved" (and the first, which the browser shows, signed its owner out). The account is the one the signed cookie
    names, and only a form that account's session saved is recognised (drafts.saved_by), by its served name: no
    other session can learn more from it than that this form changed the password. Nothing is changed here.
    """
    if request.method != "POST" or request.endpoint != "auth.change_password":
        return None
    account = current_user.id if current_user.is_authenticated else _cookie_account()
    if account is None or drafts.saved_by(account, get_db(), PASSWORD_FIELDS) is None:
        return None
    return _already_changed(get_db(), account)


def _already_changed(db, account: int) -> ResponseReturnValue:
    """The answer to a password form (or the same change from another tab: password_form_name) that changed the
    password already, and whose sender stays signed in when it is the account's owner.

    Both sends of a double click, or of two tabs, can leave with the session the change then ends; the browser keeps
    the cookie of the answer it gets last, and when that was the second's, the ended session, the person who changed
    their password was signed out. So a send of the session the change ended (its version, one before the account's)
    that carries the new password, as the owner's does, is signed in anew, as the first send's was. A copy of that
    session's cookie (the reason to change a password) does not know the new password: it is sent to sign in, and
    its guesses count against the sign-in limits (_new_password_sent).
    """
    row = users.get_user(db, account)
    sent_version = _cookie_version()
    if sent_version == row["session_version"] and current_user.is_authenticated:
        flash(ALREADY_CHANGED, "success")  # the session the first send renewed: it goes on
        return redirect(url_for("auth.account"))
    if sent_version == row["session_version"] - 1 and _new_password_sent(db, row):
        start_session(row)
        flash(f"{ALREADY_CHANGED} You are still signed in.", "success")
        return redirect(url_for("auth.account"))
    flash(f"{ALREADY_CHANGED} That ended the session this form was sent from: sign in with your new password.", "info")
    return redirect(url_for("auth.login"))


def _new_password_sent(db, row: dict) -> bool:
    """Whether this send's new password (typed twice alike) is the account's password now: a check of a password,
    limited as a sign-in is (LOGIN_LIMIT_PER_ACCOUNT_ADDRESS, per account), and counted only when wrong."""
    new = request.form.get("new") or ""
    if not new or new != request.form.get("confirm"):
        return False
    limiter = current_app.extensions.get("tracker_limiter")
    counted = limiter is not None and current_app.config.get("RATELIMIT_ENABLED", True)
    limits = parse_many(current_app.config["LOGIN_LIMIT_PER_ACCOUNT_ADDRESS"]) if counted else []
    key = f"renew-after-password-change:{row['id']}"
    if any(not limiter.limiter.test(limit, key) for limit in limits):
        return False
    if users.authenticate(db, row["username"], new, method=password_method()) is not None:
        return True
    for limit in limits:
        limiter.limiter.hit(limit, key)
    return False


def _cookie_account() -> int | None:
    """The account the session cookie names (Flask-Login's "12:3"), its session ended or not: the cookie is signed."""
    user_id = str(session.get("_user_id") or "").partition(":")[0]
    return int(user_id) if user_id.isdigit() else None


def _cookie_version() -> int | None:
    """The session version the session cookie names (the 3 of "12:3"), its session ended or not."""
    version = str(session.get("_user_id") or "").partition(":")[2]
    return int(version) if version.isdigit() else None


def password_form_name() -> str | None:
    """The password form's name (its `_draft` field), the same in every tab of one session: HMAC-SHA256, under the
    secret key, of the account, the session's sign-in time and its version.

    A change typed again in a second tab (the first seemed stuck) is the same change, sent twice: with a name new
    each time the form is served, the second tab's send was a new form, answered "nothing was saved" (the session
    had ended) or "This form has expired" (its CSRF token had). The change renews the session, so a form served
    after it is a new form. None: a session without its sign-in time (the form is then served a random name).
    """
    signed_in = session.get("signed_in_at")
    if not isinstance(signed_in, int):
        return None
    message = "\0".join(["password-form", str(current_user.id), str(signed_in), str(_cookie_version())]).encode()
    key = current_app.secret_key
    key = key if isinstance(key, bytes) else str(key).encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()[:32]


# Where a token form's record (drafts.once) says its token is: the token's row on the account page.
TOKEN_ANCHOR = "token-"


@bp.route("/account/tokens", methods=("POST",))
def create_token() -> ResponseReturnValue:
    """A new API token, shown in this response only: only its hash is stored, and it never travels in a cookie.

    The same form sent twice (a double click: the browser shows only the second answer) makes one token, and
    both answers show it (drafts.form_secret); sent again after that token was revoked, it makes none.
    """
    db = get_db()
    secret = drafts.form_secret("api-token")
    made: dict[str, str] = {}

    def make() -> str:
        made["token"] = users.create_token(db, current_user.username, token=secret)
        anchor = f"{TOKEN_ANCHOR}{users.token_id(db, current_user.id, made['token'])}"
        return url_for("auth.account", _anchor=anchor)

    location, created = drafts.once(db, make)
    if created:
        return _account_page(new_token=made["token"])
    token_id = int(location.rpartition("#" + TOKEN_ANCHOR)[2])
    if not users.has_token(db, current_user.id, token_id):
        note = "This form's token was revoked since; no other was created. Create a token again if you need one."
        return _account_page(token_note=note)
    if secret is not None and users.token_id(db, current_user.id, secret) == token_id:
        note = "This form was sent twice: its token was already created, and is shown again here; no other was made."
        return _account_page(new_token=secret, token_note=note, token_shown=token_id)
    note = (
        "This form's token was already created (it was sent twice), and is shown only in the session that created "
        "it. Revoke it (marked below) and create another if you did not copy it."
    )
    return _account_page(token_note=note, token_shown=token_id)


@bp.route("/account/tokens/<int:token_id>/revoke", methods=("POST",))
def revoke_token(token_id: int) -> ResponseReturnValue:
    db = get_db()

    def revoke() -> str:
        users.revoke_token(db, current_user.id, token_id)
        return url_for("auth.account", _anchor="tokens")

    location, revoked = drafts.once(db, revoke)  # sent twice: said done, not "not found"
    flash(
        "Token revoked: tools using it are refused from now on."
        if revoked
        else "This token was already revoked (sent twice): tools using it are refused.",
        "success",
    )
    return redirect(location)


def _account_page(
    password_error: str | None = None,
    new_token: str | None = None,
    code: int = 200,
    password_field: str | None = None,
    token_note: str | None = None,
    token_shown: int | None = None,
) -> ResponseReturnValue:
    return render_template(
        "account/index.html",
        tokens=users.list_tokens(get_db(), current_user.id),
        new_token=new_token,
        token_note=token_note,
        token_shown=token_shown,
        password_error=password_error,
        password_field=password_field,
        password_form_name=password_form_name() or drafts.new_name(),
        min_password=users.MIN_PASSWORD,
    ), code
