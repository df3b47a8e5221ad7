"""Stopping an email destination from its own messages: the List-Unsubscribe link every alert email carries.

Mail clients show an Unsubscribe button only for a message with a
List-Unsubscribe header (RFC 2369), and large mailbox providers require of
bulk senders RFC 8058's one-click form: an https link, and
`List-Unsubscribe-Post: List-Unsubscribe=One-Click`, to which the provider
POSTs that body when the reader presses the button, with no cookie and no
sign-in. An http link (an editor left at its loopback address) gets the
first header alone, as RFC 8058 allows one-click only over https.

What it stops is the email destination the message went to. A person's
subscriptions feed every destination of theirs (and the in-app list) at once,
and one email carries the events of several of them: whoever reads a mailbox
and asks for no more of these emails means that mailbox, not the person's
chat channel or the stories they follow. The destination is retired as
removing it does (destinations.retire: active = 0, what waited for it
dropped), but its sealed address is kept and its owner sees it stopped under
Account → Alert settings, where one button sends there again.

The token is the destination's id and 144 bits of an HMAC-SHA256 of its id
and creation time, under a key derived from the alerts key
(keys.derived_key): unguessable, and nothing stored. A destination made
later under the same id has another creation time, so an old link never
stops it.

The endpoint (tracker/editor/alerts.py, `unsubscribe`) asks for no sign-in
and no CSRF token, so it does one thing only: a POST with a valid token
stops that destination if it is still sending. Its answer is the same
whatever the token (valid, used already, forged, unknown, malformed): it
tells no one whether a link is real or whose it is. A GET shows a button and
changes nothing: link scanners and previews open every link of a message.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re

import sqlite_utils

from tracker.alerts import destinations, keys
from tracker.db import now, transaction

PURPOSE = "list-unsubscribe"
MAC_BYTES = 18  # 144 bits: 24 url-safe base64 characters, no padding
# An id SQLite can hold (18 digits at most stay below 2**63) and the MAC's 24 characters.
TOKEN = re.compile(r"([1-9][0-9]{0,17})\.([A-Za-z0-9_-]{24})")
PATH = "/alerts/unsubscribe/"
STOPPED = "stopped by the unsubscribe link of its emails"
EMAIL_SCHEMES = ("mailto", "mailtos")


def _mac(destination_id: int, created_at: str) -> str:
    message = f"{destination_id}\0{created_at}".encode()
    digest = hmac.new(keys.derived_key(PURPOSE), message, hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest[:MAC_BYTES]).decode()


def token(destination_id: int, created_at: str) -> str:
    """The token of one destination's unsubscribe link."""
    return f"{destination_id}.{_mac(destination_id, created_at)}"


def link(editor_url: str, destination_id: int, created_at: str) -> str:
    """The editor's address that stops this destination when POSTed to (and asks first when opened)."""
    return f"{editor_url.rstrip('/')}{PATH}{token(destination_id, created_at)}"


def headers(editor_url: str, destination_id: int, created_at: str) -> dict[str, str]:
    """The List-Unsubscribe header of an email to this destination; with RFC 8058's one-click header when the
    link is https."""
    url = link(editor_url, destination_id, created_at)
    found = {"List-Unsubscribe": f"<{url}>"}
    if url.lower().startswith("https://"):
        found["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    return found


def stop(db: sqlite_utils.Database, given: str) -> bool:
    """Stop the email destination `given` names, if the token is one of ours and it is still sending.

    True only when it stopped one now: for the caller's log, never for the
    answer to whoever posted (that is the same whatever the token). A token
    used again, forged, or naming no destination changes nothing.
    """
    found = TOKEN.fullmatch(given or "")
    if found is None:
        return False
    destination_id = int(found.group(1))
    row = db.execute(
        "SELECT created_at, active, scheme FROM alert_destinations WHERE id = ?", [destination_id]
    ).fetchone()
    expected = _mac(destination_id, row[0] if row else "")  # made for an unknown id too: the same work either way
    if not hmac.compare_digest(expected, found.group(2)) or row is None:
        return False
    if not row[1] or row[2] not in EMAIL_SCHEMES:
        return False
    with transaction(db):
        stopped = db.execute(
            "UPDATE alert_destinations SET unsubscribed_at = ? WHERE id = ? AND active = 1", [now(), destination_id]
        ).rowcount
        if stopped:
            destinations.retire(db, destination_id, STOPPED, keep_address=True)
    return bool(stopped)
