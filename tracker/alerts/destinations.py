"""Where a person's alerts go: Apprise URLs (email, Slack, Matrix, Discord, Teams, ntfy, webhooks, ...).

A URL is checked when it is saved (Apprise must understand it, its scheme
must be one of the network services we allow, and a self-hosted one must not
point into the newsroom's own network unless the fetching settings allow
that), then stored encrypted (tracker/alerts/keys.py) beside a masked form
that is all anyone sees again. Only an admin can mark a destination
internal, which lets messages carry internal notes and rationales there.
"""

from __future__ import annotations

import contextlib
import json
import logging
import re
import threading
from collections.abc import Iterator
from urllib.parse import unquote, urlsplit

import sqlite_utils

from tracker import config
from tracker.alerts import keys
from tracker.claims import PermissionDenied
from tracker.db import NotFound, TrackerError, now, one, refuse_control_chars, rows, transaction

MAX_URL = 2000
# Whose the lookups of alerts are: left unanswered, they count against a bound of their own, not the scraper's
# (scrapers/http/guard.py, HUNG_LOOKUPS_OF).
LOOKUPS = "alerts"
MAX_LABEL = 80
# Network services only: Apprise also drives desktop pop-ups, local files and serial devices, none of
# which a reporter's URL should reach on the server. Schemes with a host of the newsroom's choosing
# are checked by the address guard: a Signal REST server, a Teams workflow and a Zulip server are
# reached at the URL's host too (zulip://bot@ORG/... is ORG.zulipchat.com, but bot@10.1.2.3 is 10.1.2.3).
SELF_HOSTED = {
    "mailto", "mailtos", "json", "jsons", "form", "forms", "xml", "xmls", "ntfy", "ntfys", "gotify", "gotifys",
    "matrix", "matrixs", "mmost", "mmosts", "rocket", "rockets", "apprise", "apprises",
    "signal", "signals", "workflow", "workflows", "zulip",
}  # fmt: skip
CLOUD = {
    "slack",
    "discord",
    "tgram",
    "pover",
    "gchat",
    "wxteams",
}
SCHEMES = SELF_HOSTED | CLOUD
# How each service shows a message's changed words (tracker/alerts/messages.py, MARKUPS): in markdown where it
# renders CommonMark with strikethrough, in Slack's own marks, in HTML for Matrix, an email as plain text and HTML
# together; everything else (webhooks, ntfy, Teams, Telegram, ...) reads plain text, marked [-removed-] [+added+].
MARKUP = {
    "discord": "markdown", "mmost": "markdown", "mmosts": "markdown", "zulip": "markdown",
    "slack": "slack", "matrix": "html", "matrixs": "html", "mailto": "email", "mailtos": "email",
}  # fmt: skip
EXAMPLE = "mailtos://user:password@smtp.example.org?to=desk@example.org"


class DestinationNotFound(NotFound):
    def __init__(self, destination_id: int):
        super().__init__(f"No alert destination with id {destination_id}.")


def check_url(url: str) -> tuple[str, str]:
    """(scheme, masked form) of an Apprise URL we will send to, or a one-line TrackerError saying why not."""
    url = (url or "").strip()
    if not url:
        raise TrackerError(f"Give the destination's Apprise URL, e.g. {EXAMPLE}.")
    if len(url) > MAX_URL or any(ord(ch) < 32 for ch in url):
        raise TrackerError(f"That destination URL is too long or has control characters; check it (e.g. {EXAMPLE}).")
    scheme = url.partition("://")[0].lower() if "://" in url else ""
    if scheme not in SCHEMES:
        # Only a scheme Apprise knows is quoted back: a password pasted or typed where the scheme goes is not.
        given = f"not {scheme}://" if _known_scheme(scheme) else "not one Apprise knows"
        raise TrackerError(
            f"Destinations start with one of {', '.join(sorted(SCHEMES))}:// ({given}); see docs/alerts.md."
        )
    plugin = plugin_for(url)
    if plugin is None:
        raise TrackerError(f"Apprise cannot use that {scheme}:// URL; check its parts against docs/alerts.md.")
    for name, value in (getattr(plugin, "headers", None) or {}).items():
        # Percent-decoded by Apprise: a line break would start another header, and fails every send as it is.
        if any(ord(ch) < 32 or ord(ch) == 127 for ch in f"{name}{value}"):
            raise TrackerError(
                f"A header in that address (+{name[:40]}=...) holds a line break or control character; remove it."
            )
    refuse_own_format(url, plugin, scheme)
    if scheme in SELF_HOSTED:
        guard_host(url)
        server = server_host(url, plugin)
        if server and server != urlsplit(url).hostname:
            guard_server(server)
        if server and not encrypted(plugin):
            refuse_in_clear(scheme, server)
    return scheme, mask(url)


def refuse_own_format(url: str, plugin, scheme: str) -> None:
    """Refuse an address whose ?format= would make Apprise convert a message from the markup it is written in.

    Apprise converts to the format an address asks for: HTML to text drops
    an email's or a Matrix message's <del> and <ins>, text to markdown
    backslashes a webhook's [-marks-]. A ?format= that changes nothing
    (one the service cannot show, or the one it is sent in anyway) is kept;
    the sender leaves it out of every address either way (without_format).
    """
    from tracker.alerts.messages import BODY_FORMAT

    asked = [value for name, value in _query(url) if unquote(name).lower() == "format"]
    if not asked:
        return
    ours = BODY_FORMAT[markup(scheme)]
    plain = plugin_for(without_format(url))
    if plain is None or plugin.resolve_format(ours) != plain.resolve_format(ours):
        raise TrackerError(
            f"That address asks for ?format={unquote(asked[-1])[:20]}, which would show the changed words of an "
            f"alert otherwise than they are written for {scheme}://: leave ?format= out (the tracker writes each "
            "service's own)."
        )


def _query(url: str) -> list[tuple[str, str]]:
    """The (name, value) parameters of an Apprise URL as written (not decoded), split at its first ?."""
    query = url.partition("?")[2]
    return [(part.partition("=")[0], part.partition("=")[2]) for part in query.split("&") if part]


def without_format(url: str) -> str:
    """The address without its ?format=: a message goes in the markup the tracker writes for the service."""
    base, mark, query = url.partition("?")
    kept = [part for part in query.split("&") if unquote(part.partition("=")[0]).lower() != "format"]
    return base + (mark + "&".join(kept) if any(kept) else "")


def _known_scheme(scheme: str) -> bool:
    """Whether Apprise has a plugin for this scheme (a desktop or file one is refused, and may be named)."""
    from apprise.manager_plugins import NotificationManager

    return bool(scheme) and scheme in NotificationManager()


def markup(scheme: str | None) -> str:
    """How a destination of this scheme shows a message's changed words (MARKUP; plain text when not listed)."""
    return MARKUP.get((scheme or "").lower(), "text")


def encrypted(plugin) -> bool:
    """Whether Apprise sends with TLS: an email's mode (ssl or starttls), else the scheme's s (jsons://)."""
    mode = getattr(plugin, "secure_mode", None)
    if mode is not None:
        return str(mode) != "insecure"
    return bool(getattr(plugin, "secure", True))


def refuse_in_clear(scheme: str, host: str) -> None:
    """Refuse sending without TLS to a server across the internet: every alert, and the password or token in
    the address, would travel in clear. Inside the newsroom's network (a private or loopback address the
    settings allow) or a host an admin lists in TRACKER_ALLOWED_HOSTS, it is the newsroom's choice."""
    from scrapers.http.guard import AddressGuard, AddressRefused, UnresolvableHost, normal_host

    if normal_host(host) in address_guard().allowed_hosts:
        return
    where = "across the internet"
    try:
        # Every address public: the internet. Looked up within the project's one bound (guard.LOOKUP_TIMEOUT).
        AddressGuard(False, frozenset(), share=LOOKUPS).resolve(host, 0)
    except AddressRefused:
        return  # inside the newsroom's network (guard_host has already checked it may be reached)
    except UnresolvableHost:
        where = "where DNS cannot say now (perhaps across the internet)"
    secure = "mailtos:// (or mode=starttls)" if scheme in ("mailto", "mailtos") else f"{scheme}s://"
    raise TrackerError(
        f"{scheme}:// would send alerts to {host} unencrypted {where}, with any password or token in the "
        f"address; use {secure}, or have an admin list {host} in TRACKER_ALLOWED_HOSTS if it is inside the "
        "newsroom's network."
    )


def server_host(url: str, plugin) -> str | None:
    """The host a self-hosted destination's messages are sent to, as Apprise reads the URL.

    For email the SMTP server, which `?smtp=` names apart from the URL's host
    (mailtos://me@example.org?smtp=10.1.2.3 sends to 10.1.2.3); and Apprise
    takes the host before the last @ where urllib takes it after
    (json://u:p@10.1.2.3@example.org posts to 10.1.2.3).
    """
    host = getattr(plugin, "smtp_host", None) or getattr(plugin, "host", None) or urlsplit(url).hostname
    return str(host).strip("[]") if host else None


def guard_server(host: str) -> None:
    """guard_host for a bare host name or address (an IPv6 address without its brackets)."""
    guard_host(f"x://[{host}]" if ":" in host else f"x://{host}")


class _QuietHere(logging.Filter):
    """Drops Apprise's log records on the thread that is parsing a URL: it logs the URL it rejects, secrets and all.

    Per thread, not by raising the logger's level: the sender's other
    threads are sending meanwhile, and their warnings are how a failed send
    gets its reason.
    """

    def __init__(self) -> None:
        super().__init__()
        self.local = threading.local()

    def filter(self, record: logging.LogRecord) -> bool:
        return not getattr(self.local, "on", False)


_QUIET = _QuietHere()
logging.getLogger("apprise").addFilter(_QUIET)

# A URL's user, path, query and fragment: where a destination keeps its token or password.
_URL_TAIL = re.compile(r"\b([a-z][a-z0-9+.-]{0,30}://)(?:[^\s/@'\"]*@)?([^\s/?#'\"]*)[^\s'\")]*", re.I)
# The HTTP client's loggers: at DEBUG they name every request's path ("POST /hook/SECRET HTTP/1.1").
_HTTP_LOGGERS = ("urllib3.connectionpool", "urllib3.connection", "urllib3.poolmanager", "urllib3.util.retry")


class _NoAddresses(logging.Filter):
    """Keeps a destination's address out of the logs, at any level the process logs at.

    Apprise logs each destination's whole URL below WARNING ("JSON POST URL:
    http://host/hook/SECRET", "Loaded JSON URL: ..."), as urllib3 does each
    request's path: a service run at DEBUG wrote every webhook's token to its
    logs. Those records are dropped: Apprise's on every thread (it sends
    nothing but alerts), urllib3's on a thread inside `unlogged` (the
    fetcher's are its own). A warning, which is how a failed send gets its
    reason, keeps its words with any URL in it cut to scheme and host.
    """

    def __init__(self, always: bool) -> None:
        super().__init__()
        self.always = always

    def filter(self, record: logging.LogRecord) -> bool:
        if not self.always and not getattr(_SENDING, "on", False):
            return True
        if record.levelno < logging.WARNING:
            return False
        message = record.getMessage()
        cut = _URL_TAIL.sub(r"\1\2", message)
        if cut != message:
            record.msg, record.args = cut, ()
        return True


_SENDING = threading.local()
logging.getLogger("apprise").addFilter(_NoAddresses(always=True))
for _name in _HTTP_LOGGERS:
    logging.getLogger(_name).addFilter(_NoAddresses(always=False))


@contextlib.contextmanager
def unlogged() -> Iterator[None]:
    """The HTTP client's records on this thread in the block never name a request's address (a send's)."""
    _SENDING.on = True
    try:
        yield
    finally:
        _SENDING.on = False


def plugin_for(url: str):
    """Apprise's notifier for a URL, or None when Apprise does not understand it (its complaint is not shown)."""
    import apprise

    _QUIET.local.on = True
    try:
        return apprise.Apprise.instantiate(url, suppress_exceptions=True)
    finally:
        _QUIET.local.on = False


def guard_host(url: str) -> None:
    """Refuse a self-hosted destination inside the newsroom's network unless the fetch settings allow it.

    An unresolvable host, or one whose name servers are silent for the
    project's one bound on a lookup (scrapers/http/guard.py, LOOKUP_TIMEOUT),
    is let through: DNS may be down now, and sending records the failure.
    Checked again before every send (sender.py).
    """
    from scrapers.http.guard import AddressRefused, UnresolvableHost
    from tracker.alerts.connect_guard import refusal

    parts = urlsplit(url)
    host = parts.hostname
    if not host:
        return
    try:
        port = parts.port or 443
    except ValueError:
        raise TrackerError("That destination URL has a port that is not a number; check it.") from None
    try:
        address_guard().resolve(host, port)
    except UnresolvableHost:  # or gave no answer within the guard's LOOKUP_TIMEOUT
        return
    except AddressRefused as e:
        raise TrackerError(f"{refusal(e)}.") from None


def address_guard():
    """The address guard alerts go through, as the settings are now.

    Read now, not once per process: an admin may allow a host while the sender runs.
    """
    from scrapers.http.guard import AddressGuard

    current = config.Settings.from_env()
    return AddressGuard(current.allow_private, current.allowed_hosts, share=LOOKUPS)


def mask(url: str) -> str:
    """A form of the URL safe to show again: scheme and host, no user, password, token or long path part."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    user = parts.username
    try:
        port = f":{parts.port}" if parts.port else ""
    except ValueError:
        port = ""
    shown_host = host if "." in host or host == "localhost" or ":" in host else _hide(host)
    # The part before the @ is a secret whether or not a password follows: ntfy's and Matrix's access
    # tokens, a Pushover user key are written there alone.
    who = f"{_hide(user)}@" if user else ""
    path = "/".join(_hide(p) for p in parts.path.split("/") if p)
    return f"{parts.scheme}://{who}{shown_host}{port}" + (f"/{path}" if path else "")


def mask_address(address: str) -> str:
    """An email address shown to whoever holds one of its messages' links: its domain, its name cut to two
    characters ("de…@example.org"), never whole: a name of three characters or fewer keeps only its first
    ("e…@example.org" for ed@), one of one character none.
    """
    name, at, domain = address.rpartition("@")
    if not at:
        name = address
    kept = 2 if len(name) > 3 else 1 if len(name) > 1 else 0
    return name[:kept] + "…" + (f"@{domain}" if at else "")


def _hide(part: str | None) -> str:
    part = part or ""
    return part if len(part) <= 3 else part[:2] + "…"


def add(db: sqlite_utils.Database, user: dict, label: str, url: str, *, per_minute: int = 30) -> dict:
    """Save a destination for this person, checked and encrypted; returns it masked."""
    label = " ".join((label or "").split())
    try:
        refuse_control_chars("destination's name", label)
    except TrackerError as e:
        raise TrackerError(str(e), field="label") from None
    if not label:
        raise TrackerError("Name the destination (e.g. 'Desk email' or 'Slack #story-desk').", field="label")
    if len(label) > MAX_LABEL:
        raise TrackerError(f"A destination's name is at most {MAX_LABEL} characters.", field="label")
    if not 1 <= int(per_minute) <= 600:
        raise TrackerError("The rate limit is between 1 and 600 messages a minute.", field="per_minute")
    try:
        scheme, masked = check_url(url)
    except TrackerError as e:
        e.field = "url"  # the form marks the field; the URL itself is not shown again (it may hold a password)
        raise
    with transaction(db):
        # It gets what is routed from now on, not the person's earlier notifications.
        cur = db.execute(
            """INSERT INTO alert_destinations (user_id, label, scheme, url_masked, url_secret, per_minute,
                   sent_through, created_at)
               VALUES (?, ?, ?, ?, ?, ?, coalesce((SELECT id FROM alert_events WHERE routed_at IS NOT NULL
                                                   ORDER BY id DESC LIMIT 1), 0), ?)""",
            [user["id"], label, scheme, masked, keys.seal(url.strip()), int(per_minute), now()],
        )
    return get(db, cur.lastrowid)


_SHOWN = """d.id, d.user_id, u.username, d.label, d.scheme, d.url_masked, d.internal, d.active, d.per_minute,
       d.failures, d.retry_at, d.last_ok_at, d.last_error, d.last_error_at, d.created_at"""


def get(db: sqlite_utils.Database, destination_id: int) -> dict:
    """One destination, masked (the sealed URL is never part of what is returned)."""
    found = one(db, f"SELECT {_SHOWN} FROM alert_destinations d JOIN users u ON u.id = d.user_id WHERE d.id = ?",
                [destination_id])  # fmt: skip
    if found is None:
        raise DestinationNotFound(destination_id)
    return found


def list_for(db: sqlite_utils.Database, user_id: int | None = None) -> list[dict]:
    """A person's active destinations (everyone's with None), masked, with their delivery record."""
    where, params = ("AND d.user_id = ?", [user_id]) if user_id is not None else ("", [])
    found = rows(
        db,
        f"""SELECT {_SHOWN},
                   (SELECT count(*) FROM alert_deliveries x WHERE x.destination_id = d.id AND x.state = 'sent') AS sent,
                   (SELECT count(*) FROM alert_deliveries x WHERE x.destination_id = d.id AND x.state = 'pending')
                       AS waiting,
                   (SELECT count(*) FROM alert_deliveries x WHERE x.destination_id = d.id AND x.state = 'failed')
                       AS failed
            FROM alert_destinations d JOIN users u ON u.id = d.user_id
            WHERE d.active = 1 {where} ORDER BY u.username, d.id""",
        params,
    )
    # The addresses of an email destination that left it by the unsubscribe link of their own emails, masked.
    left: dict[int, list[str]] = {}
    for destination_id, masked in db.execute(
        """SELECT destination_id, address_masked FROM alert_address_stops
           WHERE destination_id IN (SELECT value FROM json_each(?)) ORDER BY stopped_at, tag""",
        [json.dumps([d["id"] for d in found])],
    ):
        left.setdefault(destination_id, []).append(masked or "an address")
    for destination in found:
        destination["left"] = left.get(destination["id"], [])
    return found


def stopped_for(db: sqlite_utils.Database, user_id: int) -> list[dict]:
    """A person's email destinations stopped by the unsubscribe link of their own messages, masked, newest first."""
    return rows(
        db,
        f"""SELECT {_SHOWN}, d.unsubscribed_at FROM alert_destinations d JOIN users u ON u.id = d.user_id
            WHERE d.user_id = ? AND d.active = 0 AND d.unsubscribed_at IS NOT NULL ORDER BY d.unsubscribed_at DESC""",
        [user_id],
    )


def owned(db: sqlite_utils.Database, user: dict, destination_id: int, *, stopped: bool = False) -> dict:
    """The destination if it is this person's (an admin may act on anyone's); else as if it did not exist.

    `stopped`: one its unsubscribe link stopped is found too (to send there again, or remove it for good).
    """
    found = one(
        db,
        f"""SELECT {_SHOWN}, d.unsubscribed_at FROM alert_destinations d JOIN users u ON u.id = d.user_id
            WHERE d.id = ?""",
        [destination_id],
    )
    if found is None or (found["user_id"] != user["id"] and user.get("role") != "admin"):
        raise DestinationNotFound(destination_id)
    if not found["active"] and not (stopped and found["unsubscribed_at"]):
        raise DestinationNotFound(destination_id)
    return found


def retire(db: sqlite_utils.Database, destination_id: int, reason: str, *, keep_address: bool = False) -> None:
    """Nothing more goes there: inactive, what waited for it dropped, its messages not yet sent failed with `reason`.

    Inside the caller's transaction. `keep_address`: its sealed address is
    kept (an unsubscribe link stopped it, and its owner may send there again);
    otherwise it is wiped, and only the record of what was sent remains.
    """
    wipe = "" if keep_address else ", url_secret = X''"
    db.execute(f"UPDATE alert_destinations SET active = 0{wipe} WHERE id = ?", [destination_id])
    db.execute("DELETE FROM alert_queue WHERE destination_id = ?", [destination_id])
    db.execute(
        """UPDATE alert_deliveries SET state = 'failed', last_error = ?, lease_owner = NULL
           WHERE destination_id = ? AND state = 'pending'""",
        [reason, destination_id],
    )


def remove(db: sqlite_utils.Database, user: dict, destination_id: int) -> None:
    """Stop sending there: the destination is retired (its record kept), what waited for it is dropped."""
    with transaction(db):
        owned(db, user, destination_id, stopped=True)
        db.execute("UPDATE alert_destinations SET unsubscribed_at = NULL WHERE id = ?", [destination_id])
        retire(db, destination_id, "destination removed")


def resume(db: sqlite_utils.Database, user: dict, destination_id: int) -> dict:
    """Send again to a destination its unsubscribe links stopped, and to every address of it that left by its own
    link (alert_address_stops): what is routed from now on, not what it missed."""
    with transaction(db):
        found = owned(db, user, destination_id, stopped=True)
        db.execute("DELETE FROM alert_address_stops WHERE destination_id = ?", [destination_id])
        if found["active"]:
            return found
        db.execute(
            """UPDATE alert_destinations SET active = 1, unsubscribed_at = NULL, failures = 0, retry_at = NULL,
                   sent_through = max(sent_through, coalesce((SELECT id FROM alert_events WHERE routed_at IS NOT NULL
                                                              ORDER BY id DESC LIMIT 1), 0))
               WHERE id = ?""",
            [destination_id],
        )
    return get(db, destination_id)


def set_internal(db: sqlite_utils.Database, admin: dict, destination_id: int, internal: bool) -> dict:
    """An admin decides whether internal notes and rationales may go to this destination."""
    if (admin or {}).get("role") != "admin":
        raise PermissionDenied("Only admins mark a destination internal.")
    with transaction(db):
        owned(db, admin, destination_id)
        db.execute("UPDATE alert_destinations SET internal = ? WHERE id = ?", [int(bool(internal)), destination_id])
    return get(db, destination_id)


def url_of(db: sqlite_utils.Database, destination_id: int) -> str:
    """The real URL, for the sender only."""
    row = db.execute("SELECT url_secret FROM alert_destinations WHERE id = ?", [destination_id]).fetchone()
    if row is None:
        raise DestinationNotFound(destination_id)
    return keys.unseal(row[0])


def recent_deliveries(db: sqlite_utils.Database, user_id: int, limit: int = 20) -> list[dict]:
    """The person's latest messages across destinations, failures with their reason, newest first."""
    return rows(
        db,
        """SELECT x.id, x.destination_id, d.label, x.title, x.events, x.state, x.attempts, x.last_error,
                  x.created_at, x.sent_at
           FROM alert_deliveries x JOIN alert_destinations d ON d.id = x.destination_id
           WHERE d.user_id = ? ORDER BY x.id DESC LIMIT ?""",
        [user_id, limit],
    )
