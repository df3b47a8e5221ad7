"""Why a send failed, as one sentence naming the server and what to check: the one place a failure becomes words.

Apprise words nearly every failure alike ("A Connection error occurred
sending JSON notification to hooks.example.org.", "Connection error while
submitting email to ...", "Verification Failed., error=401."), and the
standard library's words name no cause ("Connection unexpectedly closed:
timed out"): a name that does not resolve, a port nobody listens on, a TLS
failure, a server that hangs up or never speaks and a refused token read the
same, and the person reading the delivery's error could not tell what to fix.
The exception a send failed with tells them apart; `connection` turns it into
the sentence, for a web service (deadline.py) and a mail server
(smtp_sessions.py) alike, and `refused_request` does for a web service's
401 or 403.

The sentences of a send are noted (`noting`, `say`) rather than logged:
the sender's reason is these sentences when there are any, Apprise's own
words only when nothing more is known.
"""

from __future__ import annotations

import contextlib
import contextvars
import errno
import smtplib
import socket
import ssl
from collections.abc import Iterator

from scrapers.http.guard import os_words

# What a failed send's reason says of the next attempt; the last attempt's says it was given up instead
# (tracker.alerts.sender.given_up), so this is the words it takes out.
TRIED_AGAIN = "the message is tried again later"

# What to check when nobody takes the connection, by service.
RUNNING = {
    False: "check the port, and that the receiver is running",
    True: "check the port in its address, and that the mail server is running",
}
# A web address's scheme says whether the receiver is spoken to in TLS; a mail address's mode, how TLS is begun.
SCHEME = (
    "check the port, and that its address's scheme matches what the receiver speaks (jsons:// for https, json:// "
    "for http)"
)
MODE = "use mode=ssl if it takes TLS at once (usually port 465), mode=starttls if it offers STARTTLS (usually 587)"

_noted: contextvars.ContextVar[list[str] | None] = contextvars.ContextVar("alert_reasons", default=None)


@contextlib.contextmanager
def noting() -> Iterator[list[str]]:
    """The sentences said (`say`) on this thread during the block, in order: a send's reasons."""
    found: list[str] = []
    token = _noted.set(found)
    try:
        yield found
    finally:
        _noted.reset(token)


def say(sentence: str) -> None:
    """Note why the send in hand failed; nothing outside `noting`."""
    found = _noted.get()
    if found is not None:
        found.append(" ".join(sentence.split())[:300])


def causes(error: BaseException) -> Iterator[BaseException]:
    """The error and every error it wraps (requests wraps urllib3's, which wraps the socket's or the TLS one;
    smtplib raises its own while handling the socket's)."""
    seen: set[int] = set()
    waiting: list[object] = [error]
    while waiting:
        found = waiting.pop()
        if not isinstance(found, BaseException) or id(found) in seen:
            continue
        seen.add(id(found))
        yield found
        waiting += [found.__cause__, found.__context__, getattr(found, "reason", None), *found.args]


def within(seconds: object) -> str:
    """ "within 15 s", or "in time" when the bound is not known."""
    return f"within {seconds:g} s" if isinstance(seconds, int | float) else "in time"


def connection(
    host: str, port: object, error: BaseException, *, mail: bool, timeouts: tuple = (None, None)
) -> str | None:
    """The sentence for a send to host:port that failed with `error`, naming what to check; None when the error
    says nothing more than that it failed. `timeouts`: the connect and read bounds the send had."""
    where = f"{host}:{port}" if port else host
    found = list(causes(error))
    for check in (_tls, _unresolved, _timed_out, _refused, _hung_up, _unoffered):
        sentence = check(host, where, found, mail, timeouts)
        if sentence:
            return sentence
    return None


def refused_request(where: str, status: int, reason: str) -> str:
    """A web service's 401 or 403: the address's token or password is what it refused."""
    said = " ".join(str(reason or "").split())[:60]
    return (
        f"{where} refused the request ({status}{' ' + said if said else ''}): check the token or password in the "
        "destination's address under Account → Alert settings"
    )


def _tls(host, where, found, mail, timeouts) -> str | None:
    for cause in found:
        if isinstance(cause, ssl.SSLCertVerificationError):
            why = " ".join(str(cause.verify_message or cause.reason or cause).split())[:200]
            return f"{where} has a TLS certificate that could not be verified ({why}); check the address"
    for cause in found:
        if isinstance(cause, ssl.SSLError):
            why = " ".join(str(cause.reason or cause).split())[:200]
            if mail:
                return (
                    f"TLS could not be set up with {where} ({why}); if it offers STARTTLS (usually port 587) use "
                    "mode=starttls"
                )
            return (
                f"TLS could not be set up with {where} ({why}); if the receiver speaks plain http there, "
                "its address starts without the s (json:// rather than jsons://)"
            )
    return None


def _unresolved(host, where, found, mail, timeouts) -> str | None:
    for cause in found:
        if isinstance(cause, socket.gaierror):
            words = os_words(cause)
            if cause.errno == socket.EAI_AGAIN and "name servers" in words:
                return words  # the address guard's own sentence: its name servers were silent, tried again later
            if "could not be resolved" not in words:
                words = f"{host} could not be resolved ({words})"
            return f"{words}; check the host name in the destination's address under Account → Alert settings"
    return None


def _timed_out(host, where, found, mail, timeouts) -> str | None:
    from requests.exceptions import ConnectTimeout, ReadTimeout

    connect, read = timeouts
    if any(isinstance(cause, ConnectTimeout) for cause in found) or (
        mail and isinstance(found[0], TimeoutError)  # smtplib's connect, unwrapped
    ):
        return f"{where} did not take the connection {within(connect)}; check the address and port"
    if any(isinstance(cause, ReadTimeout) for cause in found):
        return f"{where} did not answer {within(read)}; {TRIED_AGAIN}"
    if mail and any(isinstance(cause, TimeoutError) for cause in found):
        # Most often a port that takes TLS at once, spoken to as if it offered STARTTLS: each side waits.
        return f"{where} took the connection but said nothing {within(read)}; {MODE}"
    return None


def _refused(host, where, found, mail, timeouts) -> str | None:
    if any(isinstance(cause, OSError) and cause.errno == errno.ECONNREFUSED for cause in found):
        return f"{where} refused the connection; {RUNNING[mail]}"
    return None


def _hung_up(host, where, found, mail, timeouts) -> str | None:
    from http.client import RemoteDisconnected

    if mail and any(isinstance(cause, smtplib.SMTPServerDisconnected | ConnectionResetError) for cause in found):
        return f"{where} closed the connection without a word; check the port and the mode in its address: {MODE}"
    if not mail and any(isinstance(cause, RemoteDisconnected | ConnectionResetError) for cause in found):
        return f"{where} closed the connection without answering; {SCHEME}"
    return None


def _unoffered(host, where, found, mail, timeouts) -> str | None:
    """A mail server without what the address asks of it: STARTTLS, or a login (SMTP AUTH)."""
    for cause in found:
        if not isinstance(cause, smtplib.SMTPNotSupportedError):
            continue
        if "STARTTLS" in str(cause).upper():
            return (
                f"{where} does not offer STARTTLS; if it takes TLS at once (usually port 465) use mode=ssl, "
                "else ask for a server that offers it"
            )
        if "AUTH" in str(cause).upper():
            return (
                f"{where} offers no login (SMTP AUTH) on this connection, and its address gives a user and "
                "password: most servers offer it only once the session is secured (mailtos:// with mode=starttls, "
                "usually port 587); a relay that takes mail without a login wants them left out"
            )
    return None
