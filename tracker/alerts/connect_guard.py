"""A send to a self-hosted destination connects only to addresses the address guard approves as it connects.

The destination's host is checked when it is saved and again before every
send (destinations.guard_host), but Apprise then resolves the name again
itself: a name whose DNS answer changes between the two (a public address
for the check, 127.0.0.1 or 10.x a moment later: DNS rebinding) would take
the message, and its body, into the newsroom's own network. Inside
`guarding`, the connections a send opens (urllib3's for web services,
smtplib's for email) resolve through the guard and connect to the
addresses it has just approved, as the fetcher's do
(scrapers/http/transport.py).

Every lookup in the block waits at most the `lookup` seconds given: Apprise
resolved names with no bound, so a name server that took the question and
never answered held the sending thread, and the delivery's lease, for as
long as it kept silent. A name left unanswered fails the send, which says
so ("the name servers of HOST gave no answer in time") and is tried again
later (scrapers/http/guard.py keeps the lookup running in the background).

A connection through a proxy from the environment is left as it is: the
proxy, not this machine, resolves the destination, and the proxy is the
newsroom's own choice.

An email session names this machine in its EHLO without a lookup: smtplib
asked socket.getfqdn() on every new connection (Apprise gives it no name),
a reverse lookup with no bound that a silent name server held for as long
as it kept silent. The name given is the address literal of this side of
the connection ("[192.0.2.7]"), what RFC 5321 (4.1.4) asks of a client
without a name of its own, and what smtplib itself falls back to.
"""

from __future__ import annotations

import contextlib
import functools
import ipaddress
import smtplib
import socket
import threading
from collections.abc import Iterator

from scrapers.http.guard import AddressGuard, AddressRefused, LookupTimeout, UnresolvableHost
from tracker.alerts import once
from tracker.alerts.reasons import TRIED_AGAIN


class _Guarding(threading.local):
    guard: AddressGuard | None = None
    refused: list[str] | None = None
    lookup: float | None = None


_guarding = _Guarding()


@contextlib.contextmanager
def guarding(guard: AddressGuard | None, lookup: float | None = None) -> Iterator[list[str]]:
    """Connections opened on this thread in the block go only to addresses `guard` approves (None: unguarded),
    each name looked up in at most `lookup` seconds (None: the guard's bound, LOOKUP_TIMEOUT).

    Yields the list the refusals are added to, one sentence each: Apprise
    reports a refused connection as a bare "connection error", and the
    reporter should read why.
    """
    _install()
    _guarding.guard, _guarding.refused, _guarding.lookup = guard, [], lookup
    try:
        yield _guarding.refused
    finally:
        _guarding.guard = _guarding.refused = _guarding.lookup = None


def refusal(e: AddressRefused, when: str = "") -> str:
    """The sentence for a destination refused for where its host leads: the rule, never the address.

    What a name resolves to inside the newsroom is not a reporter's to read
    (nor a way to map the internal network one destination at a time), as
    with the fetcher's refusals (scrapers/http/guard.py). `when` opens the
    sentence ("as it was connected to, ").
    """
    return f"{when}{e}: alerts may not go into the newsroom's own network unless TRACKER_ALLOWED_HOSTS lists {e.host}"


def _approved(host: str, port: int) -> list[str]:
    """The addresses host:port may be reached at now, or an OSError saying why none may."""
    try:
        return _guarding.guard.resolve(host, port, _guarding.lookup)
    except AddressRefused as e:
        why = refusal(e, "as it was connected to, ")
        _guarding.refused.append(why)
        raise ConnectionRefusedError(why) from None
    except LookupTimeout as e:  # Apprise would call it a connection error, with no word of DNS
        why = f"{e}; {TRIED_AGAIN}"
        _guarding.refused.append(why)
        raise socket.gaierror(socket.EAI_AGAIN, why) from None
    except UnresolvableHost as e:
        raise socket.gaierror(str(e)) from None


def _each_approved(connect, host: str, port: int):
    """connect(address) for each approved address of host:port in turn; the first that succeeds."""
    failure: OSError | None = None
    for address in _approved(host, port):
        try:
            return connect(address)
        except OSError as e:
            failure = e
    raise failure or OSError(f"{host} has no address")


def _urllib3_new_conn(original):
    @functools.wraps(original)
    def wrapper(self):
        if _guarding.guard is None or self.proxy is not None:
            return original(self)
        name = self._dns_host

        def connect(address: str):
            # urllib3 connects to _dns_host; the name stays everywhere else (Host header, TLS server name),
            # which are read after the socket is made, once the name is back.
            self._dns_host = address
            try:
                return original(self)
            finally:
                self._dns_host = name

        return _each_approved(connect, name.strip("[]"), self.port)

    return wrapper


def _smtp_get_socket(original):
    @functools.wraps(original)
    def wrapper(self, host, port, timeout):
        if _guarding.guard is None:
            return original(self, host, port, timeout)
        # SMTP_SSL wraps the socket with its own _host as the TLS server name, and STARTTLS uses _host too.
        return _each_approved(lambda address: original(self, address, port, timeout), host, port)

    return wrapper


def _smtp_init(original):
    @functools.wraps(original)
    def wrapper(self, host="", port=0, local_hostname=None, *args, **kwargs):
        if local_hostname is not None:
            return original(self, host, port, local_hostname, *args, **kwargs)
        # A name of our own keeps smtplib from asking socket.getfqdn(); the connection's address replaces it.
        original(self, host, port, UNCONNECTED_NAME, *args, **kwargs)
        sock = getattr(self, "sock", None)
        if sock is not None:
            self.local_hostname = address_literal(sock.getsockname()[0])
        return None

    return wrapper


UNCONNECTED_NAME = "[127.0.0.1]"  # the EHLO name of a session made without connecting (smtplib's own fallback)


def address_literal(address: str) -> str:
    """An address as an EHLO names the client by it (RFC 5321, 4.1.3): "[192.0.2.7]", "[IPv6:2001:db8::7]"."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    ip = getattr(ip, "ipv4_mapped", None) or ip  # an IPv4 connection on a dual-stack socket
    return f"[IPv6:{ip.compressed}]" if ip.version == 6 else f"[{ip}]"


@once
def _install() -> None:
    from urllib3.connection import HTTPConnection

    HTTPConnection._new_conn = _urllib3_new_conn(HTTPConnection._new_conn)
    smtplib.SMTP._get_socket = _smtp_get_socket(smtplib.SMTP._get_socket)
    smtplib.SMTP.__init__ = _smtp_init(smtplib.SMTP.__init__)
