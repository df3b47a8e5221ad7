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
"""

from __future__ import annotations

import contextlib
import functools
import smtplib
import socket
import threading
from collections.abc import Iterator

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


def _bounded(send):
    @functools.wraps(send)
    def wrapper(self, request, *args, **kwargs):
        response = send(self, request, *args, **kwargs)
        if _noted.connections is None:
            return response
        body = bytearray()
        for chunk in response.iter_content(64 * 1024):
            body += chunk
            if len(body) > MAX_ANSWER:
                break
        response._content, response._content_consumed = bytes(body[:MAX_ANSWER]), True
        response.close()  # the rest unread: the connection is closed, not kept
        return response

    return wrapper


@functools.cache
def _install() -> None:
    from requests.adapters import HTTPAdapter
    from urllib3.connection import HTTPConnection

    HTTPConnection._new_conn = _noting(HTTPConnection._new_conn)
    # Below requests' Session, which reads a whole answer (even a redirect's) before anyone looks at it.
    HTTPAdapter.send = _bounded(HTTPAdapter.send)
    smtplib.SMTP._get_socket = _noting(smtplib.SMTP._get_socket)
