"""Stopping an email destination from its own messages: the List-Unsubscribe link every alert email carries.

Mail clients show an Unsubscribe button only for a message with a
List-Unsubscribe header (RFC 2369), and large mailbox providers require of
bulk senders RFC 8058's one-click form: an https link, and
`List-Unsubscribe-Post: List-Unsubscribe=One-Click`, to which the provider
POSTs that body when the reader presses the button, with no cookie and no
sign-in. An http link gets the first header alone, as RFC 8058 allows
one-click only over https. An editor left at its loopback address (no
TRACKER_EDITOR_URL) gets neither: a button leading to 127.0.0.1 stops
nothing, and the reader who pressed it then gets an alert they asked not to.

What it stops is the address the message went to. A person's subscriptions
feed every destination of theirs (and the in-app list) at once, and one email
carries the events of several of them: whoever reads a mailbox and asks for
no more of these emails means that mailbox, not the person's chat channel or
the stories they follow. A destination naming several addresses (to=a,b,
and those it copies in, cc= and bcc=) sends each its own message, to that
address alone, with the link of its own address (sender.py, `_email_each`):
a copy riding on another address's message would carry that address's link,
and its reader's Unsubscribe would stop someone else. The address is stopped
(alert_address_stops), the others go on. When every
address of the destination has left, the destination is retired as removing
it does (destinations.retire: active = 0, what waited for it dropped), but
its sealed address is kept and its owner sees it stopped under Account →
Alert settings, where one button sends there again (to every address).

The token is the destination's id, a tag of the address (48 bits of an
HMAC-SHA256 of the id and the address, under a key of its own: it names the
address without showing it) and 144 bits of an HMAC-SHA256 of the id,
creation time and tag, under a key derived from the alerts key
(keys.derived_key): unguessable, and nothing stored but the tag of an
address that left. A destination made later under the same id has another
creation time, so an old link never stops it. Links sent before each address
had its own name the destination alone (`id.MAC`): they still stop the whole
destination, as they said they would.

The endpoint (tracker/editor/alerts.py, `unsubscribe`) asks for no sign-in
and no CSRF token, so it does one thing only: a POST with a valid token
stops that destination if it is still sending. Its answer is the same
whatever the token (valid, used already, forged, unknown, malformed): it
tells no one whether a link is real or whose it is. A GET shows a button and
changes nothing: link scanners and previews open every link of a message.
The GET of a real link names, masked, whom it stops (`addresses`): its one
address, or every address of the destination for a link naming it alone.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
from urllib.parse import urlsplit

import sqlite_utils

from tracker.alerts import destinations, keys
from tracker.db import TrackerError, now, transaction
from tracker.serve import is_loopback

PURPOSE = "list-unsubscribe"
ADDRESS_PURPOSE = "list-unsubscribe-address"
MAC_BYTES = 18  # 144 bits: 24 url-safe base64 characters, no padding
TAG_BYTES = 6  # 48 bits: 8 characters; tells apart the few addresses of one destination
# An id SQLite can hold (18 digits at most stay below 2**63), an address's tag when the link has one (links sent
# before each address had its own name the destination alone), and the MAC's 24 characters.
TOKEN = re.compile(r"([1-9][0-9]{0,17})\.(?:([A-Za-z0-9_-]{8})\.)?([A-Za-z0-9_-]{24})")
PATH = "/alerts/unsubscribe/"
STOPPED = "stopped by the unsubscribe link of its emails"
EMAIL_SCHEMES = ("mailto", "mailtos")


def _digest(key: bytes, message: str, size: int) -> str:
    digest = hmac.new(key, message.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest[:size]).decode()


def _mac(destination_id: int, created_at: str, tag: str | None, key: bytes | None = None) -> str:
    message = f"{destination_id}\0{created_at}" + (f"\0{tag}" if tag is not None else "")
    return _digest(key or keys.derived_key(PURPOSE), message, MAC_BYTES)


def tag(destination_id: int, address: str, key: bytes | None = None) -> str:
    """The tag that names one address of a destination in its link and in alert_address_stops."""
    return _digest(key or keys.derived_key(ADDRESS_PURPOSE), f"{destination_id}\0{address.strip().lower()}", TAG_BYTES)


def token(destination_id: int, created_at: str, address: str | None = None) -> str:
    """The token of the unsubscribe link of one address of a destination (None: of the whole destination, as
    emails carried before each address had its own; made now only to check that those still work)."""
    if address is None:
        return f"{destination_id}.{_mac(destination_id, created_at, None)}"
    named = tag(destination_id, address)
    return f"{destination_id}.{named}.{_mac(destination_id, created_at, named)}"


def followable(editor_url: str) -> bool:
    """Whether a reader of an alert can follow a link to the editor: its address is not this machine's own.

    A link to 127.0.0.1 or localhost (the editor's address when
    TRACKER_EDITOR_URL is not set) opens the reader's own machine, or, for a
    one-click unsubscribe, the mailbox provider's.
    """
    try:
        host = urlsplit(editor_url).hostname or ""
    except ValueError:
        return False
    return bool(host) and not is_loopback(host) and not host.endswith(".localhost")


def _headers(editor_url: str, given: str) -> dict[str, str]:
    """The List-Unsubscribe headers of an email, none when the editor's address cannot be followed (`followable`):
    the reader's Unsubscribe button would stop nothing, and the next alert would look like mail sent against
    their wish; without the header, their mail client offers none, and they can ask the desk."""
    if not followable(editor_url):
        return {}
    url = f"{editor_url.rstrip('/')}{PATH}{given}"
    found = {"List-Unsubscribe": f"<{url}>"}
    if url.lower().startswith("https://"):
        found["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    return found


def headers(editor_url: str, destination_id: int, created_at: str, address: str) -> dict[str, str]:
    """The List-Unsubscribe header of an email to this address of the destination (the editor's address that
    stops it when POSTed to, and asks first when opened); with RFC 8058's one-click header when the link is
    https."""
    return _headers(editor_url, token(destination_id, created_at, address))


def targets_of(plugin) -> list[tuple]:
    """Every address an email destination sends to, as Apprise's (name, address) targets: those it sends to, then
    those it copies in (cc=) and in blind copy (bcc=), each once. Each gets a message of its own (`emails`)."""
    names = getattr(plugin, "names", None) or {}
    found = {address.strip().lower(): (name, address) for name, address in getattr(plugin, "targets", [])}
    for copied in (getattr(plugin, "cc", ()) or (), getattr(plugin, "bcc", ()) or ()):
        for address in sorted(copied):
            found.setdefault(address.strip().lower(), (names.get(address) or False, address))
    return list(found.values())


def emails(editor_url: str, destination_id: int, created_at: str, targets: list, gone: set[str]) -> list:
    """Each target of an email destination (Apprise's (name, address) pairs) whose address has not left it, with
    the headers of its email (`headers`), for the sender: the keys derived once for them all, not per address."""
    naming, signing = keys.derived_key(ADDRESS_PURPOSE), keys.derived_key(PURPOSE)
    found = []
    for target in targets:
        named = tag(destination_id, target[1], naming)
        if named not in gone:
            given = f"{destination_id}.{named}.{_mac(destination_id, created_at, named, signing)}"
            found.append((target, _headers(editor_url, given)))
    return found


def left(db: sqlite_utils.Database, destination_ids: list[int]) -> dict[int, set[str]]:
    """The tags of the addresses that left each of these destinations by their unsubscribe links."""
    found: dict[int, set[str]] = {}
    for destination_id, named in db.execute(
        "SELECT destination_id, tag FROM alert_address_stops WHERE destination_id IN (SELECT value FROM json_each(?))",
        [json.dumps(destination_ids)],
    ):
        found.setdefault(destination_id, set()).add(named)
    return found


def _named(db: sqlite_utils.Database, given: str) -> tuple[int, tuple, str | None] | None:
    """The destination a token of ours names (its id; its row: active, scheme, sealed address; the tag of the
    address it names, None for the whole destination), else None."""
    found = TOKEN.fullmatch(given or "")
    if found is None:
        return None
    destination_id, named = int(found.group(1)), found.group(2)
    row = db.execute(
        "SELECT created_at, active, scheme, url_secret FROM alert_destinations WHERE id = ?", [destination_id]
    ).fetchone()
    expected = _mac(destination_id, row[0] if row else "", named)  # made for an unknown id too: the same work
    if not hmac.compare_digest(expected, found.group(3)) or row is None:
        return None
    return destination_id, row[1:], named


def _recipients(scheme: str, sealed: bytes) -> tuple[list[str], list[str], int] | None:
    """An email destination's addresses: every one it sends a message to (`targets_of`), those of them shown on
    an older link's page (sent to and copied in), and how many in blind copy; None when its address cannot be
    read now (another alerts key) or it is no email."""
    if scheme not in EMAIL_SCHEMES:
        return None
    try:
        plugin = destinations.plugin_for(keys.unseal(sealed))
    except TrackerError:
        plugin = None
    if plugin is None:
        return None
    every = [address for _, address in targets_of(plugin)]
    shown = [address for _, address in getattr(plugin, "targets", [])] + sorted(getattr(plugin, "cc", ()) or ())
    return every, shown, len(every) - len(dict.fromkeys(a.strip().lower() for a in shown))


def addresses(db: sqlite_utils.Database, given: str) -> dict:
    """Who stops receiving, for the page of a real link to an email destination, whether it still sends or not.

    A link of one address (`alone`: that address, masked) stops that
    address; the page says how many `others` the destination sends to
    (they go on, those it copies in included: each has its own message). A
    link naming the whole destination,
    as emails carried before each address had its own, stops every address,
    which its reader must be told before pressing the button: `shown`, its
    addresses and those it copies in, and `blind`, how many it copies in
    blind. Masked (destinations.mask_address): whoever holds a forwarded
    email's link learns no whole address. Empty for any other token, and for
    a destination whose address cannot be read now (another alerts key).
    """
    found = {"shown": [], "blind": 0, "alone": None, "others": 0}
    named = _named(db, given)
    recipients = named and _recipients(named[1][1], named[1][2])
    if not recipients:
        return found
    every, shown, blind = recipients
    if named[2] is None:
        masked = [destinations.mask_address(address) for address in dict.fromkeys(shown)]
        return {**found, "shown": masked, "blind": blind}
    mine = [address for address in every if tag(named[0], address) == named[2]]
    if not mine:
        return found
    return {**found, "alone": destinations.mask_address(mine[0]), "others": len(every) - 1}


def stop(db: sqlite_utils.Database, given: str) -> bool:
    """Stop the address `given` names (or, for a link naming the whole destination, the destination), if the
    token is one of ours and the destination is still sending; the destination stops when its last address has.

    True only when it stopped one now: for the caller's log, never for the
    answer to whoever posted (that is the same whatever the token). A token
    used again, forged, or naming no destination changes nothing.
    """
    named = _named(db, given)
    if named is None:
        return False
    destination_id, row, address_tag = named
    if not row[0] or row[1] not in EMAIL_SCHEMES:
        return False
    with transaction(db):
        if address_tag is not None:
            recipients = _recipients(row[1], row[2])
            to = recipients[0] if recipients else []
            mine = [address for address in to if tag(destination_id, address) == address_tag]
            added = db.execute(
                """INSERT INTO alert_address_stops (destination_id, tag, address_masked, stopped_at)
                   VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING""",
                [destination_id, address_tag, destinations.mask_address(mine[0]) if mine else "", now()],
            ).rowcount
            if not added:
                return False
            gone = left(db, [destination_id]).get(destination_id, set())
            if any(tag(destination_id, address) not in gone for address in to) or not to:
                return True
        stopped = db.execute(
            "UPDATE alert_destinations SET unsubscribed_at = ? WHERE id = ? AND active = 1", [now(), destination_id]
        ).rowcount
        if stopped:
            destinations.retire(db, destination_id, STOPPED, keep_address=True)
    return bool(stopped)
