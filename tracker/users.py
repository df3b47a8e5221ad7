"""Accounts and roles: reporters log claims, editors rule on them, admins manage people."""

from __future__ import annotations

import functools
import hashlib
import logging
import re
import secrets
import sqlite3
from datetime import datetime

import sqlite_utils
from werkzeug.security import check_password_hash, generate_password_hash

from tracker import config
from tracker.db import NotFound, TrackerError, now, one, rows, transaction
from tracker.vocab import ROLES

log = logging.getLogger(__name__)
USERNAME_RE = re.compile(r"^[A-Za-z0-9_.-]{2,40}$")
MIN_PASSWORD = 12
# A passphrase of many words is some hundred characters; the editor's forms take 2 MB, the CLI a pipe of any length.
MAX_PASSWORD = 1000
TOO_LONG = f"Passwords are at most {MAX_PASSWORD:,} characters; this one is longer. A few unrelated words are enough."
# zxcvbn's scale: 3 is "safely unguessable" against an offline attack on slow hashes.
MIN_PASSWORD_SCORE = 3
# Control characters (a NUL, a tab, an escape code, C1's \x80-\x9f): the sign-in form cannot type them (Tab moves
# on, Enter sends, a password box drops line breaks), so a password holding one, piped in or pasted, would be stored
# and lock its owner out of the editor.
PASSWORD_CONTROL_CHARS = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def _method(method: str | None) -> str:
    """The hash method for new passwords, as stored hashes name it (scrypt:32768:8:1): the caller's settings',
    else the process's (TRACKER_PASSWORD_METHOD).

    scrypt unless overridden; the test suite sets a cheap method so hundreds
    of logins stay fast.
    """
    method = method or config.settings().password_method
    try:
        return _stored_method(method)
    except ValueError as e:  # werkzeug's "Invalid hash method", hashlib's unsupported hash or bad scrypt cost
        raise TrackerError(
            f"TRACKER_PASSWORD_METHOD={method!r} is not a password hash method ({e}); unset it for scrypt, "
            "or give e.g. pbkdf2:sha256."
        ) from None


@functools.lru_cache(maxsize=4)
def _stored_method(method: str) -> str:
    """How hashes made with `method` name it, its costs written out ("scrypt" is scrypt:32768:8:1); ValueError if
    werkzeug cannot hash with it."""
    return _method_of(generate_password_hash("not-a-real-password", method=method))


def _method_of(password_hash: str) -> str:
    """The method (and its costs) a stored hash was made with; "" for something that is no werkzeug hash."""
    method, dollar, _ = password_hash.partition("$")
    return method if dollar else ""


@functools.lru_cache(maxsize=16)
def _dummy_hash(method: str) -> str:
    """A hash of `method` that no password matches (its value is empty), checked in place of an account's own,
    so a login takes as long whoever it names: checking it is the same work as checking a real one."""
    return f"{method}${secrets.token_urlsafe(12)}$"


def add_user(db: sqlite_utils.Database, username: str, password: str, role: str, *, method: str | None = None) -> dict:
    """Create an account with a hashed password."""
    check_new_user(db, username, role)
    check_password(password, username)
    with transaction(db):
        _refuse_taken(db, username)
        cur = db.execute(
            "INSERT INTO users (username, password_hash, role, created_at) VALUES (?, ?, ?, ?)",
            [username, generate_password_hash(password, method=_method(method)), role, now()],
        )
    return get_user(db, cur.lastrowid)


def check_new_user(db: sqlite_utils.Database, username: str, role: str) -> None:
    """Refuse a malformed or taken username or an unknown role, before anyone is asked to type a password."""
    if not USERNAME_RE.fullmatch(username or ""):
        if not username:
            wrong = "A username is needed."
        elif not 2 <= len(username) <= 40:
            wrong = f"{username!r} is {len(username)} character{'s' if len(username) != 1 else ''} long."
        else:
            wrong = f"{username!r} is not: letters a-z or A-Z only, without accents or spaces."
        raise TrackerError(
            f"Usernames are 2-40 letters, digits, dots, hyphens or underscores. {wrong}", field="username"
        )
    if role not in ROLES:
        raise TrackerError(f"Unknown role {role!r}; choose one of: {', '.join(ROLES)}.", field="role")
    _refuse_taken(db, username)


def _refuse_taken(db: sqlite_utils.Database, username: str) -> None:
    if db.execute("SELECT 1 FROM users WHERE username = ?", [username]).fetchone():
        raise TrackerError(f"User {username!r} already exists.", field="username")


def check_password(password: str | None, username: str = "") -> None:
    """Refuse a password that is short, blank, common or otherwise easy to guess, saying why.

    At least MIN_PASSWORD characters, not all whitespace, no control
    character (PASSWORD_CONTROL_CHARS: the sign-in form cannot type one), and
    a zxcvbn score of at least MIN_PASSWORD_SCORE. zxcvbn (Dropbox's estimator) checks the
    password against the 30,000 most common passwords it ships, dictionary
    words and names, and the patterns people use to stretch them (repeats,
    sequences, dates, l33t, the username itself).
    """
    password = password or ""
    if len(password) < MIN_PASSWORD:
        raise TrackerError(f"Passwords need at least {MIN_PASSWORD} characters.")
    if len(password) > MAX_PASSWORD:
        raise TrackerError(TOO_LONG)
    if not password.strip():
        raise TrackerError("A password cannot be only spaces.")
    if PASSWORD_CONTROL_CHARS.search(password):
        raise TrackerError(
            "A password cannot hold a control character (a NUL, tab, line break or escape code, often pasted): "
            "the sign-in form cannot type one. Remove it and try again."
        )
    from zxcvbn import zxcvbn  # its word lists take a moment to load: only when a password is set

    # zxcvbn refuses more than 72 characters (its time grows with the length); a passphrase's first 72 tell.
    verdict = zxcvbn(password[:72], user_inputs=[username] if username else [])
    if verdict["score"] < MIN_PASSWORD_SCORE:
        why = verdict["feedback"].get("warning") or "It would be easy to guess."
        raise TrackerError(f"Choose a harder password: {why.rstrip('.')}. A few unrelated words work well.")


def get_user(db: sqlite_utils.Database, user_id: int) -> dict:
    user = one(db, "SELECT id, username, role, active, session_version, created_at FROM users WHERE id = ?", [user_id])
    if user is None:
        raise NotFound(f"No user with id {user_id}.")
    return user


def list_users(db: sqlite_utils.Database) -> list[dict]:
    return rows(db, "SELECT id, username, role, active, session_version, created_at FROM users ORDER BY username")


def set_password(
    db: sqlite_utils.Database,
    username: str,
    password: str,
    *,
    method: str | None = None,
    revoke_tokens: bool = False,
) -> int:
    """Replace a user's password (the old one is not needed: this is an admin's command); how many API
    tokens were revoked with it.

    Every session of the account ends (end_sessions): whoever knew the old
    password is signed out everywhere. With revoke_tokens, its API tokens go
    too, in the same write: after a compromise, a token the intruder made
    would otherwise outlive the new password.
    """
    check_password(password, username)
    with transaction(db):
        cur = db.execute(
            "UPDATE users SET password_hash = ?, session_version = session_version + 1 WHERE username = ?",
            [generate_password_hash(password, method=_method(method)), username],
        )
        if cur.rowcount == 0:
            raise NotFound(f"No user named {username!r}.")
        user_id = db.execute("SELECT id FROM users WHERE username = ?", [username]).fetchone()[0]
        return _revoke_all_tokens(db, user_id) if revoke_tokens else 0


def has_password(db: sqlite_utils.Database, user_id: int, password: str) -> bool:
    """Whether `password` is the account's password now: a password shown again must not be one changed since.

    Not a sign-in: nothing is rehashed or counted, and only an admin's page asks, about a password it set.
    """
    row = db.execute("SELECT password_hash FROM users WHERE id = ?", [user_id]).fetchone()
    return row is not None and _matches(row[0], password)


def find_user(db: sqlite_utils.Database, username: str) -> dict | None:
    row = db.execute("SELECT id FROM users WHERE username = ?", [username]).fetchone()
    return get_user(db, row[0]) if row else None


def authenticate(db: sqlite_utils.Database, username: str, password: str, *, method: str | None = None) -> dict | None:
    """The active user with this username and password, else None.

    Every attempt does the same work whoever it names: one check for each
    hash method the accounts' passwords use (and the one new passwords get),
    against the account's own hash for its method and a hash no password
    matches for the others. So an unknown username, a wrong password on an
    account whose hash is older (made with another method, or other costs)
    and one on a current hash take as long, and timing tells no one which
    accounts exist, or which are old. A right password on an older hash is
    hashed again with the current method (rehash): once none is left, an
    attempt is a single check again.
    """
    current, password = _method(method), password or ""
    row = db.execute("SELECT id, password_hash, active FROM users WHERE username = ?", [username or ""]).fetchone()
    own = _method_of(row[1]) if row else None
    matched = False
    for each in _methods_in_use(db, current):
        if each == own:
            matched = _matches(row[1], password)
        else:
            _matches(_dummy_hash(each), password)
    if not matched or not row[2]:
        return None
    if own != current:
        _rehash(db, row[0], row[1], password, current)
    return get_user(db, row[0])


def _methods_in_use(db: sqlite_utils.Database, current: str) -> list[str]:
    """Every method the accounts' password hashes use, and the current one: what each sign-in checks once."""
    stored = db.execute("SELECT DISTINCT substr(password_hash, 1, instr(password_hash, '$') - 1) FROM users").fetchall()
    return sorted({method for (method,) in stored if method} | {current})


def _matches(password_hash: str, password: str) -> bool:
    try:
        return check_password_hash(password_hash, password)
    except ValueError:  # a method this werkzeug no longer has: no password matches it
        return False


def _rehash(db: sqlite_utils.Database, user_id: int, old_hash: str, password: str, method: str) -> None:
    """Store the hash of a password just checked against an older hash with the current method; the sign-in goes
    on without it when it cannot be written (a full or read-only disk, a busy database): the old hash still works."""
    new_hash = generate_password_hash(password, method=method)  # before the write lock: hashing is slow
    try:
        with transaction(db):
            db.execute(
                "UPDATE users SET password_hash = ? WHERE id = ? AND password_hash = ?", [new_hash, user_id, old_hash]
            )
    except (sqlite3.Error, OSError, TrackerError) as e:  # busy, full, read-only, or its lock file refused
        log.warning("could not rehash the password of user %s with %s: %s", user_id, method, e)


def can_rule(user: dict | None) -> bool:
    """Only editors and admins change a claim's status or publish."""
    return bool(user) and user.get("role") in ("editor", "admin")


def create_token(db: sqlite_utils.Database, username: str, token: str | None = None) -> str:
    """A new API token for this user; only its hash is stored, so show it once.

    `token`: the secret, when the caller made it (the editor's token form derives one from the form, so the same
    form sent twice shows the one token it made: tracker/editor/auth.py); else a random one.
    """
    user = find_user(db, username)
    if user is None:
        raise NotFound(f"No user named {username!r}.")
    if not user["active"]:  # user_for_token refuses it: printing it would only mislead
        raise TrackerError(
            f"{username} is deactivated, so a token would not work; none was created. An admin can reactivate the "
            "account on the editor's People page first."
        )
    token = token or secrets.token_urlsafe(32)
    with transaction(db):
        db.execute(
            "INSERT INTO api_tokens (user_id, token_hash, created_at) VALUES (?, ?, ?)",
            [user["id"], hash_token(token), now()],
        )
    return token


def discard_token(db: sqlite_utils.Database, token: str) -> None:
    """Delete a token just created that could not be shown (its output failed): no one holds it, so it must not work."""
    with transaction(db):
        db.execute("DELETE FROM api_tokens WHERE token_hash = ?", [hash_token(token)])


def hash_token(token: str) -> str:
    """Tokens are long and random, so a fast hash is enough to keep them unreadable at rest."""
    return hashlib.sha256(token.encode()).hexdigest()


# How stale a token's "last used" may be: checking a token is a read, and a write per request would
# make every API call queue for the write lock and fail on a full or read-only disk.
LAST_USED_EVERY = 60


def user_for_token(db: sqlite_utils.Database, token: str) -> dict | None:
    """The active account a bearer token belongs to, or None; notes when it was used, at most once a minute.

    Noting it is bookkeeping: when it cannot be written (a full or read-only
    disk, a busy database) the request goes on without it.
    """
    row = db.execute(
        "SELECT t.id, t.user_id, t.last_used_at FROM api_tokens t JOIN users u ON u.id = t.user_id "
        "WHERE t.token_hash = ? AND u.active = 1",
        [hash_token(token or "")],
    ).fetchone()
    if row is None:
        return None
    token_id, user_id, last_used = row
    stamp = now()
    if last_used is None or _seconds_between(last_used, stamp) >= LAST_USED_EVERY:
        try:
            with transaction(db):
                db.execute(
                    "UPDATE api_tokens SET last_used_at = ? "
                    "WHERE id = ? AND (last_used_at IS NULL OR last_used_at < ?)",
                    [stamp, token_id, stamp],
                )
        except sqlite3.OperationalError as e:
            log.warning("could not note that API token %s was used: %s", token_id, e)
    return get_user(db, user_id)


def _seconds_between(earlier: str, later: str) -> float:
    try:
        return (
            datetime.fromisoformat(later.replace("Z", "+00:00"))
            - datetime.fromisoformat(earlier.replace("Z", "+00:00"))
        ).total_seconds()
    except ValueError:
        return float("inf")


def set_role(db: sqlite_utils.Database, user_id: int, role: str) -> dict:
    """Change an account's role; the last active admin cannot stop being one."""
    if role not in ROLES:
        raise TrackerError(f"Unknown role {role!r}; choose one of: {', '.join(ROLES)}.")
    with transaction(db):
        user = get_user(db, user_id)
        if user["role"] == "admin" and role != "admin":
            _keep_an_admin(db, user_id, f"{user['username']} is the last active admin; make someone else admin first.")
        if role != user["role"]:
            db.execute("UPDATE users SET role = ?, session_version = session_version + 1 WHERE id = ?", [role, user_id])
    return get_user(db, user_id)


def set_active(db: sqlite_utils.Database, user_id: int, active: bool, *, revoke_tokens: bool = False) -> int:
    """Deactivate (or reactivate) an account: a deactivated user is signed out and their API tokens stop working;
    how many tokens were revoked.

    Accounts are never deleted, so history rows keep naming who made each ruling.
    A deactivated account's tokens are refused, and work again if it is
    reactivated; with revoke_tokens they are deleted, in the same write.
    """
    with transaction(db):
        user = get_user(db, user_id)
        if not active and user["role"] == "admin":
            _keep_an_admin(db, user_id, f"{user['username']} is the last active admin; it cannot be deactivated.")
        db.execute(
            "UPDATE users SET active = ?, session_version = session_version + 1 WHERE id = ?",
            [int(bool(active)), user_id],
        )
        return _revoke_all_tokens(db, user_id) if revoke_tokens else 0


def tokens_revoked(count: int) -> str:
    """What a password change or deactivation says of the API tokens it revoked (nothing when it revoked none)."""
    if not count:
        return ""
    many = count != 1
    return f" {count} API token{'s' if many else ''} revoked: tools using {'them' if many else 'it'} are refused."


def _revoke_all_tokens(db: sqlite_utils.Database, user_id: int) -> int:
    """Delete every API token of the account (inside the caller's transaction); how many."""
    return db.execute("DELETE FROM api_tokens WHERE user_id = ?", [user_id]).rowcount


def end_sessions(db: sqlite_utils.Database, user_id: int) -> None:
    """End every signed-in session of the account, on every device (signing out does this).

    Sessions carry the account's session_version; the editor refuses one whose
    version is not the current one. API tokens are credentials of their own:
    revoked one by one, refused once the account is deactivated.
    """
    with transaction(db):
        db.execute("UPDATE users SET session_version = session_version + 1 WHERE id = ?", [user_id])


def end_all_sessions(db: sqlite_utils.Database) -> int:
    """End every signed-in session of every account (after restoring a backup); how many accounts.

    A restored backup holds the session versions of its day, while cookies
    signed out since carry later ones: adding one would make the next such
    cookie valid again. A random jump of at least 2**32 lands past any
    version handed out since, and past any an earlier jump like this one
    made, whatever happened after the backup.
    """
    with transaction(db):
        jump = 2**32 + secrets.randbelow(2**40)
        return db.execute("UPDATE users SET session_version = session_version + ?", [jump]).rowcount


def _keep_an_admin(db: sqlite_utils.Database, user_id: int, message: str) -> None:
    others = db.execute(
        "SELECT count(*) FROM users WHERE role = 'admin' AND active = 1 AND id != ?", [user_id]
    ).fetchone()[0]
    if not others:
        raise TrackerError(message)


def list_tokens(db: sqlite_utils.Database, user_id: int) -> list[dict]:
    """A user's API tokens (never the tokens themselves: only their hashes are stored)."""
    return rows(
        db,
        "SELECT id, created_at, last_used_at FROM api_tokens WHERE user_id = ? ORDER BY id DESC",
        [user_id],
    )


def token_id(db: sqlite_utils.Database, user_id: int, token: str) -> int | None:
    """Which of this user's tokens `token` is, by its hash as a request's is looked up; None if none is."""
    row = db.execute(
        "SELECT id FROM api_tokens WHERE user_id = ? AND token_hash = ?", [user_id, hash_token(token)]
    ).fetchone()
    return row[0] if row else None


def has_token(db: sqlite_utils.Database, user_id: int, token_id: int) -> bool:
    """Whether this user's token `token_id` is still there (not revoked)."""
    found = db.execute("SELECT 1 FROM api_tokens WHERE id = ? AND user_id = ?", [token_id, user_id]).fetchone()
    return found is not None


def revoke_token(db: sqlite_utils.Database, user_id: int, token_id: int) -> None:
    """Delete one of this user's tokens; tools using it get 401 from then on."""
    with transaction(db):
        cur = db.execute("DELETE FROM api_tokens WHERE id = ? AND user_id = ?", [token_id, user_id])
        if cur.rowcount == 0:
            raise NotFound(f"No API token {token_id} for this account.")
