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

A web send that fails is explained there too (`explain`): Apprise words a TLS
failure, a refused connection and a receiver that never answered alike ("A
Connection error occurred sending JSON notification to ..."), and the person
reading the delivery's error needs to know which, to fix it.
"""

from __future__ import annotations

import contextlib
import errno
import functools
import logging
import smtplib
import socket
import ssl
import threading
from collections.abc import Iterator
from urllib.parse import urljoin, urlsplit

from tracker.alerts import once

# What a failed send's reason says of the next attempt; the last attempt's says it was given up instead
# (tracker.alerts.sender.given_up), so this is the words it takes out.
TRIED_AGAIN = "the message is tried again later"

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
    """One sentence on why a web send to `url` failed, naming its host and port and what to check; None when
    nothing more is known than Apprise's own words (which follow it in the delivery's error)."""
    from requests.exceptions import ConnectTimeout, ReadTimeout

    parts = urlsplit(url)
    try:
        where = f"{parts.hostname}:{parts.port or (443 if parts.scheme == 'https' else 80)}"
    except ValueError:
        where = parts.hostname or url[:80]
    connect, read = (f"within {t:g} s" if isinstance(t, int | float) else "in time"
                     for t in (timeout if isinstance(timeout, tuple) else (timeout, timeout)))  # fmt: skip
    causes = list(_causes(error))
    for cause in causes:
        if isinstance(cause, ssl.SSLCertVerificationError):
            why = " ".join(str(cause.verify_message or cause.reason or cause).split())[:200]
            return f"{where} has a TLS certificate that could not be verified ({why}); check the address"
    for cause in causes:
        if isinstance(cause, ssl.SSLError):
            why = " ".join(str(cause.reason or cause).split())[:200]
            return (
                f"TLS could not be set up with {where} ({why}); if the receiver speaks plain http there, "
                "its address starts without the s (json:// rather than jsons://)"
            )
    if isinstance(error, ConnectTimeout):
        return f"{where} did not take the connection {connect}; check the address and port"
    if isinstance(error, ReadTimeout):
        return f"{where} did not answer {read}; {TRIED_AGAIN}"
    if any(isinstance(cause, OSError) and cause.errno == errno.ECONNREFUSED for cause in causes):
        return f"{where} refused the connection; check the port, and that the receiver is running"
    return None


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


def _causes(error: BaseException) -> Iterator[BaseException]:
    """The error and every error it wraps (requests wraps urllib3's, which wraps the socket's or the TLS one)."""
    seen: set[int] = set()
    waiting: list[object] = [error]
    while waiting:
        found = waiting.pop()
        if not isinstance(found, BaseException) or id(found) in seen:
            continue
        seen.add(id(found))
        yield found
        waiting += [found.__cause__, found.__context__, getattr(found, "reason", None), *found.args]


def _bounded(send):
    @functools.wraps(send)
    def wrapper(self, request, *args, **kwargs):
        try:
            response = send(self, request, *args, **kwargs)
        except OSError as e:  # requests' errors are OSErrors
            why = explain(request.url, e, kwargs.get("timeout")) if _noted.connections is not None else None
            if why:
                logging.getLogger("apprise").warning("%s", why)  # the sender's reason for the failed send
            raise
        if _noted.connections is None:
            return response
        if response.is_redirect:  # never followed (sender.prepare): said as such, with where it pointed
            logging.getLogger("apprise").warning("%s", redirected(request.url, response))
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
