"""SMTP sessions kept open between alerts to one mail server; every alert is still its own email to one recipient.

Apprise's email plugin connects, greets (EHLO), secures (STARTTLS),
logs in, sends and says QUIT for every message. When a story moves, the
newsroom's mail server gets one message per subscriber within seconds, and
that handshake costs both ends more than the message itself. A sender lends
the plugin an open session instead, kept per server and login (host, port,
security mode, user, password, certificate checking): the plugin builds and
sends its message exactly as it would (MAIL FROM, RCPT TO its one recipient,
DATA), and the session goes back for the next message to that server under
that same login. Nothing passes from one recipient's message to another's:
each message is a transaction of its own, and a session is used by one
thread at a time and only for the login it was opened with.

A session is retired after MAX_MESSAGES (servers limit messages per
connection), after any failure (no half-finished exchange is reused), when
it has been idle IDLE_CLOSE seconds (servers drop idle clients after a few
minutes), and when the sender stops. One the server has hung up on (a limit
of messages per connection) is seen closed before it is lent, without a round
trip, and replaced; one idle for more than PROBE_AFTER seconds is asked NOOP
before it is lent, and replaced if it does not answer.

Only sends made inside `lending(pool)` use the pool; anywhere else (a bare
Apprise call, the bench's floor) the plugin opens its own connection as usual.

A refusal is noted as for good or for now (`noting_refusals`): a 5xx reply is
the server's final word (RFC 5321, 4.2.1: an unknown recipient, a sender it
will not relay for, a message it rejects, a login it refuses), which the
sender fails at once with what to do; a 4xx, or a connection that failed, may
pass and is tried again.
"""

from __future__ import annotations

import contextlib
import contextvars
import select
import smtplib
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field

from tracker.alerts import deadline, once, reasons

MAX_MESSAGES = 100
IDLE_CLOSE = 60.0
PROBE_AFTER = 5.0

_lending: contextvars.ContextVar[SessionPool | None] = contextvars.ContextVar("smtp_sessions", default=None)


@dataclass
class Refusals:
    """How a send's mail server refused it: `permanent`, each 5xx as one line saying what to do; `temporary`,
    whether anything failed that may pass (a 4xx, a connection, TLS)."""

    permanent: list[str] = field(default_factory=list)
    temporary: bool = False

    @property
    def for_good(self) -> bool:
        """Only refusals that trying again cannot change."""
        return bool(self.permanent) and not self.temporary


_refusals: contextvars.ContextVar[Refusals | None] = contextvars.ContextVar("smtp_refusals", default=None)

# What to do about a 5xx, by what the server refused.
ADVICE = {
    "recipient": "correct the to= address of this destination under Account → Alert settings, or remove it",
    "sender": "correct its from= address, or ask the mail server's administrator to let that address send",
    "login": "correct the user and password in its address under Account → Alert settings",
    "message": "ask the mail server's administrator why it refuses these messages",
}


@contextlib.contextmanager
def noting_refusals() -> Iterator[Refusals]:
    """The refusals of the mail server during this block (on this thread), each noted for good or for now."""
    found = Refusals()
    token = _refusals.set(found)
    try:
        yield found
    finally:
        _refusals.reset(token)


@dataclass
class _Idle:
    controller: object  # Apprise's AppriseSMTPController, entered: connected, secured and logged in
    sent: int
    since: float


@dataclass
class SessionPool:
    """Open SMTP sessions by server and login, each lent to one send at a time."""

    clock: object = time.monotonic
    idle: dict[tuple, list[_Idle]] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)
    opened: int = 0

    def take(self, key: tuple) -> _Idle | None:
        """An idle session for this server and login that still answers, or None (the caller opens one)."""
        while True:
            with self.lock:
                found = self.idle.get(key)
                session = found.pop() if found else None  # the most recently used: the likeliest still open
            if session is None:
                return None
            if _hung_up(session.controller):
                _quit(session.controller)
                continue
            if self.clock() - session.since < PROBE_AFTER:
                return session
            # The check is part of the send: a server dripping its answer is cut off at the send's deadline.
            deadline.note(session.controller._socket)
            if _answers(session.controller):
                return session
            _quit(session.controller)

    def give_back(self, key: tuple, controller: object, sent: int) -> None:
        """A session that finished a message cleanly, kept for the next (retired at MAX_MESSAGES)."""
        if sent >= MAX_MESSAGES:
            _quit(controller)
            return
        now = self.clock()
        with self.lock:
            self.idle.setdefault(key, []).append(_Idle(controller, sent, now))
            stale = self._expired(now)
        for session in stale:
            _quit(session.controller)

    def close(self) -> None:
        """QUIT every idle session (the sender is stopping)."""
        with self.lock:
            every = [s for sessions in self.idle.values() for s in sessions]
            self.idle.clear()
        for session in every:
            _quit(session.controller)

    def _expired(self, now: float) -> list[_Idle]:
        stale: list[_Idle] = []
        for key, sessions in list(self.idle.items()):
            keep = [s for s in sessions if now - s.since < IDLE_CLOSE]
            stale += [s for s in sessions if now - s.since >= IDLE_CLOSE]
            if keep:
                self.idle[key] = keep
            else:
                del self.idle[key]
        return stale


@contextlib.contextmanager
def lending(pool: SessionPool) -> Iterator[None]:
    """Apprise email sends made in this block (on this thread) use `pool`'s sessions."""
    _install()
    token = _lending.set(pool)
    try:
        yield
    finally:
        _lending.reset(token)


class _Lent:
    """What Apprise's email plugin gets in place of its controller inside `lending`: a pooled session.

    Same calls as AppriseSMTPController (a context manager with `sendmail`),
    so the plugin's own code builds and sends each message unchanged.
    """

    def __init__(self, pool: SessionPool, original: type, **settings) -> None:
        self.pool, self.original, self.settings = pool, original, settings
        self.key = tuple(sorted(settings.items(), key=lambda kv: kv[0]))
        self.controller: object | None = None
        self.sent = 0
        self.failed = False

    def __enter__(self) -> _Lent:
        session = self.pool.take(self.key)
        if session is not None:
            self.controller, self.sent = session.controller, session.sent
            deadline.note(session.controller._socket)  # the send's deadline covers a lent session too
        else:
            controller = self.original(**self.settings)
            try:
                controller.__enter__()  # connects, secures, logs in; raises as Apprise expects when it cannot
            except (OSError, smtplib.SMTPException, RuntimeError) as e:
                self._explain(e)
                raise
            self.controller = controller
            self.pool.opened += 1
        return self

    def _explain(self, error: Exception) -> None:
        """Why this session failed, naming its server (host and port) and the bound its reads had."""
        settings = self.settings
        _explain(error, settings.get("host"), settings.get("port"), settings.get("socket_connect_timeout"))

    def sendmail(self, from_addr: str, to_addrs: list, message: str) -> bool:
        """Apprise's sendmail, saying why the server refused the message.

        Apprise keeps a refusal (an unknown recipient, a full mailbox, a
        message rejected as spam) to its debug log, and the reason left reads
        only "Sending email to ... failed".
        """
        try:
            refused = self.controller._socket.sendmail(from_addr, to_addrs, message)
        except (OSError, smtplib.SMTPException, RuntimeError) as e:
            self._explain(e)
            ok = False
        else:
            for address, (code, said) in refused.items():  # some recipients (a Cc, a Bcc) refused, the rest accepted
                _explain(smtplib.SMTPRecipientsRefused({address: (code, said)}))
            ok = not refused
        self.sent += 1
        self.failed |= not ok
        return ok

    def __exit__(self, exc_type, exc, tb) -> None:
        if self.controller is None:
            return
        if exc_type is None and not self.failed:
            self.pool.give_back(self.key, self.controller, self.sent)
        else:
            _quit(self.controller)
        self.controller = None


def _explain(error: Exception, host: str | None = None, port: object = None, timeout: object = None) -> None:
    """Say why a session could not be opened or a message was not taken (the sender's reason for a failed send).

    Apprise words a refused login, a refused STARTTLS, a server that never
    greets and a closed connection alike ("Connection error while submitting
    email"); the server's own answer, or what the failure was
    (reasons.connection), is what tells the person what to fix.
    `host` and `port` name the server when known (a session being opened).
    """
    refused = "the message"
    if isinstance(error, smtplib.SMTPRecipientsRefused) and error.recipients:
        refused = next(iter(error.recipients))
        error = smtplib.SMTPResponseException(*error.recipients[refused])
    noted = _refusals.get()
    if isinstance(error, smtplib.SMTPResponseException) and 500 <= error.smtp_code < 600:
        said = error.smtp_error.decode("utf-8", "replace") if isinstance(error.smtp_error, bytes) else error.smtp_error
        what, advice = _refused(error, refused)
        why = f"the mail server refused {what} for good ({error.smtp_code} {' '.join(str(said).split())[:200]})"
        if noted is not None:
            noted.permanent.append(f"{why}, so it is not retried: {advice}")
    elif noted is not None:
        noted.temporary = True
    if isinstance(error, smtplib.SMTPResponseException):
        said = error.smtp_error.decode("utf-8", "replace") if isinstance(error.smtp_error, bytes) else error.smtp_error
        why = f"the mail server answered {error.smtp_code} {' '.join(str(said).split())}"
    else:
        why = reasons.connection(host or "the mail server", port, error, mail=True, timeouts=(timeout, timeout))
        why = why or " ".join(str(error).split()) or type(error).__name__
    reasons.say(why[:300])


def _refused(error: smtplib.SMTPResponseException, recipient: str) -> tuple[str, str]:
    """What a 5xx refused (a recipient, the sender, the login, the message) and what to do about it."""
    if recipient != "the message":
        return recipient, ADVICE["recipient"]
    if isinstance(error, smtplib.SMTPSenderRefused):
        return f"the sender {error.sender}", ADVICE["sender"]
    if isinstance(error, smtplib.SMTPAuthenticationError):
        return "the login", ADVICE["login"]
    return "the message", ADVICE["message"]


def _hung_up(controller: object) -> bool:
    """Whether the server has closed the session, or said something unasked (a 421 before closing), since its
    last answer: the socket has something to read while no command is waiting. Looked at without a round trip
    and without waiting: a server limiting messages per connection hangs up right after its 250."""
    sock = getattr(controller._socket, "sock", None)
    if sock is None:
        return True
    try:
        pending = sock.pending() if hasattr(sock, "pending") else 0  # TLS bytes already read and decrypted
        return pending > 0 or bool(select.select([sock], [], [], 0)[0])
    except (OSError, ValueError):
        return True


def _answers(controller: object) -> bool:
    try:
        return controller._socket.noop()[0] == 250
    except (OSError, smtplib.SMTPException):
        return False


def _quit(controller: object) -> None:
    """Say QUIT and close the connection, without waiting for the answer.

    Sessions are closed outside any send's deadline (idle ones retired, the
    rest as the sender stops): a server dripping its answer to QUIT, or
    answering line after line, held the sender, and cron's send-pending
    never exited.
    """
    session = controller._socket
    if session is None:
        return
    with contextlib.suppress(OSError, smtplib.SMTPException):
        session.send("QUIT\r\n")
    session.close()


@once
def _install() -> None:
    """Put `_Lent` where Apprise's email plugin looks for its controller; outside `lending` it is the original."""
    from apprise.plugins.email import base

    original = base.AppriseSMTPController

    def controller(**settings):
        pool = _lending.get()
        if pool is None:
            return original(**settings)
        return _Lent(pool, original, **settings)

    base.AppriseSMTPController = controller
