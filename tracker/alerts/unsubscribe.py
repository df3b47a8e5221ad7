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
A destination naming several addresses is stopped for all of them, so the
GET of a real link to one lists them first, masked (`addresses`).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re

import sqlite_utils

from tracker.alerts import destinations, keys
from tracker.db import TrackerError, now, transaction

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


def _named(db: sqlite_utils.Database, given: str) -> tuple[int, tuple] | None:
    """The destination a token of ours names (its id, and its row: active, scheme, sealed address), else None."""
    found = TOKEN.fullmatch(given or "")
    if found is None:
        return None
    destination_id = int(found.group(1))
    row = db.execute(
        "SELECT created_at, active, scheme, url_secret FROM alert_destinations WHERE id = ?", [destination_id]
    ).fetchone()
    expected = _mac(destination_id, row[0] if row else "")  # made for an unknown id too: the same work either way
    if not hmac.compare_digest(expected, found.group(2)) or row is None:
        return None
    return destination_id, row[1:]


def addresses(db: sqlite_utils.Database, given: str) -> dict[str, list[str] | int]:
    """Who stops receiving, for the page of a real link to an email destination, whether it still sends or not:
    its addresses and those it copies in, masked (`shown`), and how many it copies in blind (`blind`).

    A destination naming several addresses is one destination, and its
    link stops them all (one address cannot be stopped alone: the
    destination is what is stopped, alert_destinations.unsubscribed_at),
    which the reader of one of them must be told before pressing the button.
    Masked (destinations.mask_address): whoever holds a forwarded email's
    link learns no whole address. Empty for any other token, and for a
    destination whose address cannot be read now (another alerts key).
    """
    named = _named(db, given)
    if named is None or named[1][1] not in EMAIL_SCHEMES:
        return {"shown": [], "blind": 0}
    try:
        plugin = destinations.plugin_for(keys.unseal(named[1][2]))
    except TrackerError:
        plugin = None
    if plugin is None:
        return {"shown": [], "blind": 0}
    to = [address for _, address in getattr(plugin, "targets", [])]
    copied = sorted(getattr(plugin, "cc", ()) or ())
    shown = [destinations.mask_address(address) for address in dict.fromkeys([*to, *copied])]
    return {"shown": shown, "blind": len(getattr(plugin, "bcc", ()) or ())}


def stop(db: sqlite_utils.Database, given: str) -> bool:
    """Stop the email destination `given` names, if the token is one of ours and it is still sending.

    True only when it stopped one now: for the caller's log, never for the
    answer to whoever posted (that is the same whatever the token). A token
    used again, forged, or naming no destination changes nothing.
    """
    named = _named(db, given)
    if named is None:
        return False
    destination_id, row = named
    if not row[0] or row[1] not in EMAIL_SCHEMES:
        return False
    with transaction(db):
        stopped = db.execute(
            "UPDATE alert_destinations SET unsubscribed_at = ? WHERE id = ? AND active = 1", [now(), destination_id]
        ).rowcount
        if stopped:
            destinations.retire(db, destination_id, STOPPED, keep_address=True)
    return bool(stopped)
