"""What a failed send's reason says: real receivers and real broken servers on 127.0.0.1
(tests/alert_receivers.py), real SQLite."""

from __future__ import annotations

import contextlib
import socket
import ssl
import threading
from collections.abc import Iterator

import pytest

from tests.test_alerts import STATEMENT, Clock, everything, statement
from tests.test_alerts_hostile import _self_signed
from tracker.alerts import destinations, sender

pytestmark = pytest.mark.usefixtures("alert_settings")

# Apprise's and the standard library's own words, which name no cause and nothing to check.
RAW = (
    "A Connection error occurred",
    "Connection error while submitting email",
    "Connection unexpectedly closed",
    "Errno",
    "Verification Failed",
    "SMTP AUTH extension",
    "CERTIFICATE_VERIFY_FAILED",
)


@contextlib.contextmanager
def broken_server(behaviour: str, tls: ssl.SSLContext | None = None) -> Iterator[int]:
    """A server on 127.0.0.1 that takes connections and then `behaviour`: "silent" (never writes a byte, as an
    SMTP server waiting for a TLS handshake the client never starts), "closes" (hangs up at once) or "tls" (a TLS
    handshake with `tls`). Yields its port."""
    server = socket.create_server(("127.0.0.1", 0))
    held: list[socket.socket] = []

    def serve() -> None:
        while True:
            try:
                connection, _ = server.accept()
            except OSError:
                return
            if behaviour == "closes":
                connection.close()
            elif behaviour == "tls":
                with contextlib.suppress(OSError):
                    held.append(tls.wrap_socket(connection, server_side=True))
            else:
                held.append(connection)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield server.getsockname()[1]
    finally:
        server.close()
        for connection in held:
            connection.close()


def mail(port: int, mode: str = "insecure", login: str = "") -> str:
    scheme = "mailto" if mode == "insecure" else "mailtos"
    return f"{scheme}://{login}127.0.0.1:{port}?from=alerts@example.org&to=desk@example.org&mode={mode}"


def reasons(db, accounts, story, urls: dict[str, str]) -> dict[str, str]:
    """Each destination's delivery error after one round of sends, by the destination's name."""
    reporter = accounts["reporter"]
    everything(db, reporter, kinds=["statement_new"])
    made = {destinations.add(db, reporter, name, url)["id"]: name for name, url in urls.items()}
    statement(db, story, STATEMENT)
    assert sender.send_pending(db, Clock()) == {"sent": 0, "failed": len(urls)}
    return {made[d]: error for d, error in db.execute("SELECT destination_id, last_error FROM alert_deliveries")}


def raw_words(error: str) -> list[str]:
    return [words for words in RAW if words in error]


def test_a_failed_send_says_what_to_check_never_apprise_s_or_the_socket_s_bare_words(
    db, story, accounts, smtp, webhook, monkeypatch, tmp_path
):
    """An unresolvable webhook host read "A Connection error occurred sending JSON notification to
    hooks.example.org.", a mail server that took the connection and never greeted "Connection unexpectedly
    closed: timed out": neither says what is wrong nor what to check, as docs/alerts.md promises."""
    monkeypatch.setattr(sender, "CONNECT_TIMEOUT", 0.5)  # a mail session's every read waits this long
    monkeypatch.setattr(sender, "READ_TIMEOUT", 0.5)
    webhook.status = 401
    closed = socket.create_server(("127.0.0.1", 0))
    shut = closed.getsockname()[1]
    closed.close()
    with (
        broken_server("silent") as silent,
        broken_server("closes") as closes,
        broken_server("tls", _self_signed(tmp_path)) as untrusted,
    ):
        said = reasons(
            db,
            accounts,
            story,
            {
                "hook unresolvable": "jsons://hooks.example.invalid/hook",
                "hook refused": f"json://127.0.0.1:{shut}/hook",
                "hook hangs up": f"json://127.0.0.1:{closes}/hook",
                "hook login": webhook.url("/hook"),
                "mail unresolvable": "mailtos://night:Pw-Heron-77@smtp.example.invalid:587?to=d@example.org",
                "mail silent": mail(silent),
                "mail hangs up": mail(closes),
                "mail refused": mail(shut),
                "mail untrusted": mail(untrusted, "ssl"),
                "mail no login": mail(smtp.port, login="night:Pw-Heron-77@"),
            },
        )
    assert {name: raw_words(error) for name, error in said.items() if raw_words(error)} == {}
    assert not any("\n" in error or "Pw-Heron-77" in error for error in said.values()), said
    expected = {
        "hook unresolvable": ["hooks.example.invalid could not be resolved", "check the host name"],
        "hook refused": [f"127.0.0.1:{shut} refused the connection", "check the port"],
        "hook hangs up": [f"127.0.0.1:{closes} closed the connection", "json://"],
        "hook login": [f"127.0.0.1:{webhook.port} refused the request (401", "token or password"],
        "mail unresolvable": ["smtp.example.invalid could not be resolved", "check the host name"],
        "mail silent": [f"127.0.0.1:{silent} took the connection but said nothing", "mode=ssl"],
        "mail hangs up": [f"127.0.0.1:{closes} closed the connection", "mode="],
        "mail refused": [f"127.0.0.1:{shut} refused the connection", "mail server is running"],
        "mail untrusted": [f"127.0.0.1:{untrusted} has a TLS certificate that could not be verified"],
        "mail no login": [f"127.0.0.1:{smtp.port} offers no login", "mode=starttls"],
    }
    missing = {name: [w for w in words if w not in said[name]] for name, words in expected.items()}
    assert {name: said[name] for name, words in missing.items() if words} == {}
