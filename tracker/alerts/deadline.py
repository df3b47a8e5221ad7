"""A send's overall deadline: the connections it opens or borrows, shut down once it has taken too long.

Socket timeouts bound each read, not a send: a webhook dripping its answer a
byte at a time, or an SMTP server doing the same after EHLO, would hold a
sending thread, one of the places to send (concurrency.py) and the delivery's
lease forever, and a few such destinations would stop every other one.
Apprise opens its connections itself, so the connections made on a sending
thread (urllib3's for web services, smtplib's for email) are noted here as
they are made, and the sender shuts down those of a send past its deadline:
the blocked read ends and the send fails like any broken connection.

An answer is read up to MAX_ANSWER bytes (after decoding) and no further: a
receiver answering with gigabytes, or a small gzip body that decodes to them,
would otherwise be held whole in the sender's memory.

A web send that fails is explained there too (`explain`, in reasons.py's
words): Apprise words a TLS failure, a refused connection, a name that does
not resolve and a receiver that never answered alike ("A Connection error
occurred sending JSON notification to ..."), and the person reading the
delivery's error needs to know which, to fix it.
"""

from __future__ import annotations

import contextlib
import functools
import smtplib
import socket
import threading
from collections.abc import Iterator
from urllib.parse import urljoin, urlsplit

from tracker.alerts import once, reasons

MAX_ANSWER = 2**20  # bytes of a web service's answer kept; services answer in a few hundred


class _Noted(threading.local):
    connections: list | None = None


_noted = _Noted()


@contextlib.contextmanager
def noting(into: list) -> Iterator[None]:
    """Connections opened (or lent, `note`) on this thread in the block are appended to `into`."""
    _install()
    _noted.connections = into
    try:
        yield
    finally:
        _noted.connections = None


def note(connection: object) -> None:
    """A connection (anything with a `sock`) the current send uses; nothing outside `noting`."""
    if _noted.connections is not None:
        _noted.connections.append(connection)


def abort(connections: list) -> None:
    """Shut down these connections' sockets, ending any read blocked on them (safe from another thread)."""
    for connection in list(connections):
        sock = getattr(connection, "sock", None)
        if sock is not None:
            with contextlib.suppress(OSError):
                socket.socket.shutdown(sock, socket.SHUT_RDWR)  # the plain socket's: an SSL one is not unwrapped


def _noting(method):
    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        note(self)
        return method(self, *args, **kwargs)

    return wrapper


def explain(url: str, error: BaseException, timeout: object = None) -> str | None:
    """One sentence on why a web send to `url` failed, naming its host and port and what to check
    (reasons.connection); None when nothing more is known than Apprise's own words."""
    host, port = _host_port(url)
    timeouts = timeout if isinstance(timeout, tuple) else (timeout, timeout)
    return reasons.connection(host or url[:80], port, error, mail=False, timeouts=timeouts)


def refused(url: str, response) -> str | None:
    """A web service's 401 or 403 in words (reasons.refused_request); None for any other answer."""
    if response.status_code not in (401, 403):
        return None
    host, port = _host_port(url)
    where = f"{host}:{port}" if port is not None else host or url[:80]
    return reasons.refused_request(where, response.status_code, response.reason)


def _host_port(url: str) -> tuple[str | None, int | None]:
    """A web address's host and the port it connects to (the scheme's own when none is given); None for a port
    that is not one."""
    parts = urlsplit(url)
    try:
        return parts.hostname, parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        return parts.hostname, None


def redirected(url: str, response) -> str:
    """A web send answered with a redirect: where to (scheme, host and port; its path may hold a token), and that
    it is not followed, as the address check never saw that host."""
    parts = urlsplit(url)
    try:
        target = urlsplit(urljoin(url, response.headers.get("Location") or ""))
        where = f"{target.scheme}://{target.hostname}" + (f":{target.port}" if target.port else "")
    except ValueError:
        where = "an address that is not one"
    return (
        f"{parts.hostname} answered {response.status_code}, a redirect to {where[:120]}, which is not followed: if "
        "that is the service's address now, change the destination's to it"
    )


def _bounded(send):
    @functools.wraps(send)
    def wrapper(self, request, *args, **kwargs):
        try:
            response = send(self, request, *args, **kwargs)
        except OSError as e:  # requests' errors are OSErrors
            why = explain(request.url, e, kwargs.get("timeout")) if _noted.connections is not None else None
            if why:
                reasons.say(why)  # the sender's reason for the failed send
            raise
        if _noted.connections is None:
            return response
        if response.is_redirect:  # never followed (sender.prepare): said as such, with where it pointed
            reasons.say(redirected(request.url, response))
        elif why := refused(request.url, response):
            reasons.say(why)
        body = bytearray()
        for chunk in response.iter_content(64 * 1024):
            body += chunk
            if len(body) > MAX_ANSWER:
                break
        response._content, response._content_consumed = bytes(body[:MAX_ANSWER]), True
        response.close()  # the rest unread: the connection is closed, not kept
        return response

    return wrapper


@once
def _install() -> None:
    from requests.adapters import HTTPAdapter
    from urllib3.connection import HTTPConnection

    HTTPConnection._new_conn = _noting(HTTPConnection._new_conn)
    # Below requests' Session, which reads a whole answer (even a redirect's) before anyone looks at it.
    HTTPAdapter.send = _bounded(HTTPAdapter.send)
    smtplib.SMTP._get_socket = _noting(smtplib.SMTP._get_socket)
