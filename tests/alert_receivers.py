"""Real receivers for alert tests and bench/alerts.py: an SMTP server (aiosmtpd) and an HTTP webhook, on 127.0.0.1.

Both record what arrived with the time it was accepted, so tests assert on
what a person would have received and the bench measures latency to the
moment a server accepted the message.
"""

from __future__ import annotations

import asyncio
import contextlib
import email
import email.policy
import functools
import json
import re
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from aiosmtpd.smtp import SMTP

DELIVERY_KEY = re.compile(rb"^X-Tracker-Delivery: *(\S+)", re.M | re.I)


@dataclass
class Received:
    """One message as it arrived: the delivery key, subject or title, text, headers, when accepted."""

    key: str | None
    title: str
    body: str
    headers: dict[str, str]
    at: float
    path: str = ""
    raw: bytes = b""


class ReceivedMail(Received):
    """An email as accepted: the bytes and the time, parsed only when a test reads it.

    A real mail server accepts a message without parsing its MIME structure;
    doing it in the receiver's one thread (email.policy.default is slow)
    would make every sender wait for the parse before its 250.
    """

    def __init__(self, raw: bytes, at: float, path: str) -> None:
        self.raw, self.at, self.path = raw, at, path

    @functools.cached_property
    def _parsed(self) -> Received:
        parsed = email.message_from_bytes(self.raw, policy=email.policy.default)
        part = parsed.get_body(preferencelist=("plain",))
        return Received(
            key=parsed.get("X-Tracker-Delivery"),
            title=str(parsed.get("Subject", "")),
            body=part.get_content().replace("\r\n", "\n") if part is not None else "",
            headers={k: str(v) for k, v in parsed.items()},
            at=self.at,
        )

    @property
    def key(self) -> str | None:
        """The delivery key, read from the header block alone (the bench reads it of every message)."""
        found = DELIVERY_KEY.search(self.raw.split(b"\r\n\r\n", 1)[0])
        return found.group(1).decode() if found else None

    title = property(lambda self: self._parsed.title)
    body = property(lambda self: self._parsed.body)
    headers = property(lambda self: self._parsed.headers)


@dataclass
class _Inbox:
    messages: list[Received] = field(default_factory=list)
    arrived: threading.Condition = field(default_factory=threading.Condition)

    def add(self, message: Received) -> None:
        with self.arrived:
            self.messages.append(message)
            self.arrived.notify_all()

    def wait_for(self, count: int, timeout: float = 30.0) -> list[Received]:
        """Block until `count` messages arrived (or fail after `timeout`): a condition, not a sleep."""
        with self.arrived:
            if not self.arrived.wait_for(lambda: len(self.messages) >= count, timeout=timeout):
                raise AssertionError(f"only {len(self.messages)} of {count} messages arrived in {timeout} s")
            return list(self.messages)


class SmtpReceiver(_Inbox):
    """aiosmtpd on 127.0.0.1 (port 0), in its own thread and event loop.

    `refuse` maps a recipient to the reply its RCPT TO gets instead of 250
    (e.g. "550 5.1.1 User unknown"): a server that knows one address but not another.
    `greeted` holds the name each accepted message's client gave in its EHLO (or HELO).
    """

    def __init__(self) -> None:
        super().__init__()
        self.loop = asyncio.new_event_loop()
        self.refuse: dict[str, str] = {}
        self.greeted: list[str] = []
        receiver = self

        class Handler:
            async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
                if address in receiver.refuse:
                    return receiver.refuse[address]
                envelope.rcpt_tos.append(address)
                return "250 OK"

            async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
                receiver.greeted.append(session.host_name)
                receiver.add(ReceivedMail(envelope.content, time.time(), ",".join(envelope.rcpt_tos)))
                return "250 OK"

        self.server = self.loop.run_until_complete(
            self.loop.create_server(lambda: SMTP(Handler(), hostname="127.0.0.1"), "127.0.0.1", 0)
        )
        self.port = self.server.sockets[0].getsockname()[1]
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()

    def url(self, to: str = "desk@example.org") -> str:
        return f"mailto://127.0.0.1:{self.port}?from=alerts@example.org&to={to}&mode=insecure"

    def close(self) -> None:
        self.loop.call_soon_threadsafe(self.server.close)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout=5)


class WebhookReceiver(_Inbox):
    """A JSON webhook on 127.0.0.1 (port 0) as Apprise's json:// posts to it.

    `hold` (a path prefix) makes requests to it wait until `release` is set,
    a slow webhook that never answers in time; `status` answers other codes;
    `redirect` (a URL) answers 307 to it instead of accepting; `answer` is the body of an accepting answer
    (Slack's webhooks answer "ok").
    """

    def __init__(self) -> None:
        super().__init__()
        self.status = 200
        self.answer = b""
        self.redirect: str | None = None
        self.hold: str | None = None
        self.release = threading.Event()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's naming
                length = int(self.headers.get("Content-Length") or 0)
                data = self.rfile.read(length)
                if receiver.hold and self.path.startswith(receiver.hold):
                    receiver.release.wait(60)
                    return
                if receiver.redirect:
                    self.send_response(307)
                    self.send_header("Location", receiver.redirect)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                try:
                    payload = json.loads(data or b"{}")
                except ValueError:
                    payload = {}
                if receiver.status == 200:
                    receiver.add(
                        Received(
                            key=self.headers.get("X-Tracker-Delivery"),
                            title=payload.get("title", ""),
                            body=payload.get("message", ""),
                            headers=dict(self.headers),
                            at=time.time(),
                            path=self.path,
                            raw=data,
                        )
                    )
                answer = receiver.answer if receiver.status == 200 else b""
                self.send_response(receiver.status)
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, *args) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path: str = "/hook") -> str:
        return f"json://127.0.0.1:{self.port}{path}"

    def close(self) -> None:
        self.release.set()
        self.httpd.shutdown()
        self.httpd.server_close()


class SilentNameServer:
    """A DNS server on 127.0.0.1 (UDP, port 0) that takes every question and answers none until `close()`.

    The system resolver asks only the servers of /etc/resolv.conf, on port 53, so `resolver(real)` is the
    getaddrinfo a test puts in its place: names under `domain` are asked of this server as a stub resolver
    asks (one A question in a UDP datagram, waiting for its answer), every other name goes to `real` (`domain`
    itself too, unless `itself`: `SilentNameServer("localhost", itself=True)` holds that one name). Until
    `silent` is set, a name under `domain` is said not to exist at once. `close()` answers every question
    SERVFAIL, as a resolver in the end gives up, so the lookups left waiting end.
    """

    def __init__(self, domain: str = "blackhole.test", itself: bool = False) -> None:
        import socket

        self.domain = domain
        self.itself = itself
        self.silent = False
        self.questions: list[tuple[bytes, tuple]] = []
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind(("127.0.0.1", 0))
        self.address = self.sock.getsockname()
        self.lock = threading.Lock()
        self.thread = threading.Thread(target=self._listen, daemon=True)
        self.thread.start()

    def _listen(self) -> None:
        while True:
            try:
                packet, sender = self.sock.recvfrom(512)
            except OSError:
                return
            with self.lock:
                self.questions.append((packet, sender))

    def names_asked(self) -> list[str]:
        with self.lock:
            return [_qname(packet) for packet, _ in self.questions]

    def resolver(self, real):
        import socket
        import struct

        def getaddrinfo(host, port, *args, **kwargs):
            if not (str(host).endswith("." + self.domain) or (self.itself and host == self.domain)):
                return real(host, port, *args, **kwargs)
            if not self.silent:
                raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
            question = struct.pack(">HHHHHH", 0x7A7A, 0x0100, 1, 0, 0, 0)
            question += b"".join(bytes([len(label)]) + label.encode() for label in host.split(".")) + b"\0"
            question += struct.pack(">HH", 1, 1)
            with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as stub:
                stub.settimeout(60)  # a resolver's retries add up to about this much at most
                stub.sendto(question, self.address)
                with contextlib.suppress(OSError):
                    stub.recv(512)
            raise socket.gaierror(socket.EAI_AGAIN, "Temporary failure in name resolution")

        return getaddrinfo

    def close(self) -> None:
        with self.lock:
            waiting = list(self.questions)
        for packet, sender in waiting:  # SERVFAIL: the id and question back, the response bit and rcode 2 set
            reply = packet[:2] + bytes([0x81, 0x82]) + packet[4:]
            with contextlib.suppress(OSError):
                self.sock.sendto(reply, sender)
        self.sock.close()


def _qname(packet: bytes) -> str:
    labels, at = [], 12
    while packet[at]:
        labels.append(packet[at + 1 : at + 1 + packet[at]].decode())
        at += 1 + packet[at]
    return ".".join(labels)
