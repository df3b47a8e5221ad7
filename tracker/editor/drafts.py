"""Which typed form a save has just kept, so the browser can forget its copy of it.

A form's post can get no answer at all: the editor restarting under it, a
dropped connection, a proxy timing out. The browser then shows its own error
page, and since the editor's pages are kept out of the back-button cache
(they show confidential identities), going back fetched the form afresh and
empty. So `static/drafts.js` keeps a copy of what is typed in the tab's own
storage, names it in a `_draft` field when the form is sent, and offers it
back on the empty form. This module tells the script when to forget it: a
post that saved (a redirect with a success message and no error) stores the
copy's name in the session, and the next page names it in a meta tag.

Nothing typed reaches the server this way that the form did not send anyway;
the name is a random token the script made, checked against a narrow pattern.

A copy can hold a confidential source's identity, and a newsroom's machine is
shared. Each copy names the account whose page kept it (the `tracker-draft-owner`
meta tag, the account's id), and a page of another account forgets it: the next
person to sign in on the tab is never offered it. Signing out forgets every copy
of the tab (the sign-in page that follows says so in `tracker-forget-drafts`), so
none is left readable in a tab nobody is signed in to.

The same copy can be sent twice: a double click, or Restore on a form whose save got no answer but was made.
A form that creates something makes it through `once`, which records the copy's name with where the save
went, in the save's own transaction, so the second send goes to what the first made instead of making it
again; the writers' queue orders the two sends, so the second sees the first's record. A document's form is
the one exception: reading or fetching its file holds no lock, so its record follows the store (which keeps the
same file once anyway), and is looked for before it (tracker/editor/documents.py). A versioned edit (a
ruling; a claim, question, answer, development or story edit) saves through it too: its second send carries the
version the first moved past, and would be refused as someone else's change. Only a send of the
same fields counts as the same: a copy the script kept its name for after a save (a save that flashed an
error beside its success, say) and that was then typed into again is a new form, and is saved.

A browser without the script names no copy, so each form that saves through `once` is served with a name
of its own (`new_name`, in a hidden `_draft` field, new each time the form is served): a double click there
sends that name twice and is saved once. The script, where it runs, puts the tab's copy's name in its place.
The password form is the one served a name derived from the session instead (auth.password_form_name), the same
in every tab, so the same change typed again in a second tab is the same form.

A form holding a secret (an alert destination's address: its token or password) leaves that field out of the
record (`unhashed`): a digest of it would be a hash of the secret, kept a week beside the account, and a password
in an address is short enough to guess against one. Such a form is never a tab's copy (the script keeps none of
it, and a sign-in never carries it), so its name is always the one served, new each time, and tells sends apart
alone.

A form that makes a secret shown only in its answer (an API token, a new account's first password, a reset
password) cannot show it again from a record: only its hash is stored. So the secret is derived from the form
(`form_secret`): the same send makes the same one, and the second answer, the one the browser shows, shows it too.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
import secrets
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import sqlite_utils
from flask import Response, current_app, request, session
from flask_login import current_user
from werkzeug.exceptions import HTTPException

from scrapers.timestamps import format_time
from tracker.db import now, transaction

DRAFT_FIELD = "_draft"
DRAFT_NAME = re.compile(r"[A-Za-z0-9-]{8,64}")
SAVED_KEY = "saved_draft"
FORGET_KEY = "forget_drafts"
# How long a save's record of the copy it kept is kept: drafts.js forgets a copy after a week too.
SAVED_FOR = timedelta(days=7)
# How many records past SAVED_FOR one save removes, oldest first: each save adds at most one, so they never pile
# up, and a backlog (a quiet month) costs each save a bounded amount of work in the writers' queue.
EXPIRED_PER_SAVE = 50


def new_name() -> str:
    """A name for one serving of a form (the `_draft` field), unguessable as the script's are: twelve random bytes."""
    return secrets.token_hex(12)


def note_saved(response: Response) -> Response:
    """After a post that saved, remember the name of the browser's copy of the form for the next page.

    The form is read last, and only after a save: by then the view has read it (a refused upload's body
    is never parsed here).
    """
    if request.method != "POST" or not 300 <= response.status_code < 400:
        return response
    categories = {category for category, _ in session.get("_flashes", [])}
    if "success" not in categories or "error" in categories:
        return response
    name = request.form.get(DRAFT_FIELD, "")
    if DRAFT_NAME.fullmatch(name):
        session[SAVED_KEY] = name
    return response


def saved_draft() -> str | None:
    """The name of the copy the last save kept, once: the page that shows it tells the script to forget it."""
    return session.pop(SAVED_KEY, None) if SAVED_KEY in session else None


def forget_on_next_page() -> None:
    """Signing out: the next page tells the script to forget every copy this tab holds."""
    session[FORGET_KEY] = True


def drafts_to_forget() -> bool:
    """Whether this page tells the script to forget every copy, once."""
    return bool(session.pop(FORGET_KEY, False)) if FORGET_KEY in session else False


def sent_name() -> str | None:
    """The name of the browser's copy this post carries, if it is one the script makes and someone is signed in."""
    name = request.form.get(DRAFT_FIELD, "")
    return name if DRAFT_NAME.fullmatch(name) and current_user.is_authenticated else None


def refused_name(status: int) -> str | None:
    """The name of the tab's copy a refused post carried, for its error page: the script credits the refusal to it.

    Without it the script could only guess the tab's latest send, and a form
    with no copy (a button) refused after a claim that got no answer would
    have the claim's offer quote that refusal. A body refused unread (413,
    too large) is not parsed for it: the page names the form's address
    instead, and the script goes by that.
    """
    if status == 413 or request.method != "POST":
        return None
    try:
        name = request.form.get(DRAFT_FIELD, "")
    except HTTPException:  # a body that cannot be read at all: no name, the address alone
        return None
    return name if DRAFT_NAME.fullmatch(name) else None


def _sent_digest(unhashed: tuple[str, ...] = ()) -> str:
    """What this post sent, as a digest: its address and fields, less the session's token (new after signing in)
    and the fields named in `unhashed` (secrets, which no record may hold even hashed)."""
    left_out = {"csrf_token", *unhashed}
    fields = sorted((k, v) for k, v in request.form.items(multi=True) if k not in left_out)
    sent = json.dumps([request.path, fields], ensure_ascii=False).encode("utf-8", "surrogatepass")
    return hashlib.sha256(sent).hexdigest()


def saved_before(db: sqlite_utils.Database, unhashed: tuple[str, ...] = ()) -> str | None:
    """Where an earlier save of the same copy of this form went (a path), if this account saved it already.

    Call inside the save's transaction, before making anything: the writers' queue puts a second send after the
    first's commit, so it finds the first's record. `unhashed`: fields holding a secret, left out of the record.
    """
    return saved_by(current_user.row["id"], db, unhashed) if current_user.is_authenticated else None


def saved_by(user_id: int, db: sqlite_utils.Database, unhashed: tuple[str, ...] = ()) -> str | None:
    """Where account `user_id`'s earlier save of the same copy of this form went, if it saved it already.

    For a send that no longer has its session (a password change ends the session the form was served in, and
    renews the one that sent it with a new CSRF token): the account is the one the request's signed cookie names.
    It tells where the save went, never what was sent, and only to a session of the account that saved it.
    """
    name = request.form.get(DRAFT_FIELD, "")
    if not DRAFT_NAME.fullmatch(name):
        return None
    row = db.execute(
        "SELECT location FROM saved_drafts WHERE user_id = ? AND name = ? AND sent = ?",
        [user_id, name, _sent_digest(unhashed)],
    ).fetchone()
    return row[0] if row else None


def record_saved(db: sqlite_utils.Database, location: str, unhashed: tuple[str, ...] = ()) -> None:
    """In the save's transaction: this account's copy of this form is saved, at `location` (a path)."""
    name = sent_name()
    if name is None:
        return
    db.execute(
        "INSERT OR REPLACE INTO saved_drafts (user_id, name, sent, location, saved_at) VALUES (?, ?, ?, ?, ?)",
        [current_user.row["id"], name, _sent_digest(unhashed), location, now()],
    )


def remove_expired(db: sqlite_utils.Database) -> None:
    """In a save's transaction: records older than SAVED_FOR, of any account, at most EXPIRED_PER_SAVE of them.

    A copy that old is forgotten by the browser too. Removing only the saving account's own left the records of
    an account that stopped saving (someone who left) for ever.
    """
    expired = format_time(datetime.now(UTC) - SAVED_FOR)
    db.execute(
        """DELETE FROM saved_drafts WHERE (user_id, name) IN (
               SELECT user_id, name FROM saved_drafts WHERE saved_at < ? ORDER BY saved_at LIMIT ?)""",
        [expired, EXPIRED_PER_SAVE],
    )


def once(db: sqlite_utils.Database, make: Callable[[], str], unhashed: tuple[str, ...] = ()) -> tuple[str, bool]:
    """Make what this form creates, once per copy of the form: `make` makes it and returns its page's path.

    Returns that path and whether it was made now; the same copy sent again (its `_draft` name saved before
    by this account) makes nothing and returns where the first send's save went. A post without a name (from
    a page of an older version, or a tool that leaves the field out) is made each time. `unhashed`: fields holding
    a secret, left out of the record (only for a form the script never copies: see the module's docstring).
    """
    with transaction(db):
        earlier = saved_before(db, unhashed)
        if earlier is not None:
            return earlier, False
        location = make()
        record_saved(db, location, unhashed)
        remove_expired(db)
    return location, True


def form_secret(purpose: str, *about: object, size: int = 32) -> str | None:
    """The secret a form served to this session makes (`purpose`, and what it is `about`), the same for each send
    of that form; None: the caller makes a random one (a post without the form's name, from an older page or a
    tool, or a session signed in too long ago).

    A double click sends the form twice, and the browser shows only the second answer: had the second send shown
    no secret, as "already created", nobody would ever see the one the first made. So the secret is derived from
    the form: HMAC-SHA256, under the app's secret key, of `purpose`, the account, this session's sign-in time, the
    form's name (`_draft`, new each time the form is served) and `about`, cut to `size` bytes. Nothing of it is
    stored (its hash only, as ever), and nothing secret is read back from the database. Whoever holds the secret
    key can sign session cookies, so act as anyone already; it gives them nothing more.
    Only in a session signed in within SAVED_FOR: the record that tells a second send apart is kept that long, and
    past it the same form would make the same secret again. An older session (only where sessions are set to last
    longer than a week) gets random ones.
    """
    name, signed_in = sent_name(), session.get("signed_in_at")
    if name is None or not isinstance(signed_in, int) or time.time() - signed_in > SAVED_FOR.total_seconds():
        return None
    message = "\0".join([purpose, str(current_user.id), str(signed_in), name, *map(str, about)]).encode()
    key = current_app.secret_key
    key = key if isinstance(key, bytes) else str(key).encode()
    digest = hmac.new(key, message, hashlib.sha256).digest()[:size]
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
