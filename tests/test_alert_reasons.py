"""What a failed send's reason says, and what a sender says when its links lead nowhere a reader can follow.

Real receivers and real broken servers on 127.0.0.1 (tests/alert_receivers.py), real SQLite, a real `alerts
send-pending` process.
"""

from __future__ import annotations

import contextlib
import logging
import socket
import ssl
import subprocess
import sys
import threading
from collections.abc import Iterator

import pytest

from tests.test_alerts import STATEMENT, STATEMENT_V2, Clock, everything, statement
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


def run_send_pending(db_path, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "tracker", "alerts", "send-pending", "--db", str(db_path)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_send_pending_without_the_editor_s_address_says_so_once_and_sends_no_unsubscribe_link_to_nowhere(
    db, db_path, story, accounts, smtp, monkeypatch
):
    """From cron, without TRACKER_EDITOR_URL, every email's links and its List-Unsubscribe header led to
    127.0.0.1 and nothing said so: a reader's Unsubscribe button went to their own machine (or their mail
    provider's), stopped nothing, and the next alert read as spam. One line says it; the emails still go out,
    without the header."""
    import os

    reporter = accounts["reporter"]
    everything(db, reporter, kinds=["statement_new"])
    destinations.add(db, reporter, "Desk", smtp.url("desk@example.org"))
    destinations.add(db, reporter, "Night", smtp.url("night@example.org"))
    statement(db, story, STATEMENT)
    env = {k: v for k, v in os.environ.items() if k != "TRACKER_EDITOR_URL"}
    done = run_send_pending(db_path, env)
    assert done.returncode == 0, done.stderr
    said = [line for line in done.stderr.splitlines() if "TRACKER_EDITOR_URL" in line]
    assert len(said) == 1, done.stderr
    assert "127.0.0.1" in said[0] and "Unsubscribe" in said[0]
    received = smtp.wait_for(2)
    assert all("List-Unsubscribe" not in m.headers for m in received)
    assert all("http://127.0.0.1:" in m.body for m in received)  # the alert itself still goes out

    statement(db, story, STATEMENT_V2, "https://acme.example/press/kettles-recall")
    # As if a minute had gone by: a destination's pace (per_minute, 2 s apart) held the second run's messages
    # back whenever it started within 2 s of the first's sends, so the test failed on a fast machine only.
    with db.conn:
        db.execute("UPDATE alert_destinations SET last_sent = last_sent - 60")
    env["TRACKER_EDITOR_URL"] = "https://editor.example"
    done = run_send_pending(db_path, env)
    assert done.returncode == 0, done.stderr
    assert "TRACKER_EDITOR_URL" not in done.stderr
    received = smtp.wait_for(4)[2:]
    assert all(m.headers["List-Unsubscribe"].startswith("<https://editor.example/") for m in received)


def test_a_watch_s_sender_without_the_editor_s_address_says_so_once(db_path, db, monkeypatch, caplog):
    """`watch` sends alerts on a thread of its own (sending_beside) and said nothing of where its links led."""
    monkeypatch.delenv("TRACKER_EDITOR_URL")
    with caplog.at_level(logging.WARNING), sender.sending_beside(str(db_path), poll=0.05):
        pass
    said = [r.getMessage() for r in caplog.records if "TRACKER_EDITOR_URL" in r.getMessage()]
    assert len(said) == 1 and "127.0.0.1" in said[0], said
    caplog.clear()
    monkeypatch.setenv("TRACKER_EDITOR_URL", "https://editor.example")
    with caplog.at_level(logging.WARNING), sender.sending_beside(str(db_path), poll=0.05):
        pass
    assert not [r for r in caplog.records if "TRACKER_EDITOR_URL" in r.getMessage()]
