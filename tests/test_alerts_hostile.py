"""Alerts against hostile input and broken receiving servers: real receivers on 127.0.0.1, real SQLite."""

from __future__ import annotations

import pytest
from cryptography.fernet import Fernet

from tests.alert_receivers import SmtpReceiver
from tests.test_alerts import STATEMENT, Clock, everything, statement
from tracker.alerts import destinations, sender


@pytest.fixture(autouse=True)
def alert_settings(monkeypatch):
    """A fresh alerts key, links to a known editor address, and the loopback receivers allowed."""
    monkeypatch.setenv("TRACKER_ALERTS_KEY", Fernet.generate_key().decode())
    monkeypatch.setenv("TRACKER_EDITOR_URL", "https://editor.example")
    monkeypatch.setenv("TRACKER_ALLOWED_HOSTS", "127.0.0.1")


@pytest.fixture
def smtp():
    server = SmtpReceiver()
    yield server
    server.close()


def test_a_mail_server_refusing_the_recipient_is_recorded_in_its_own_words(db, story, accounts, smtp):
    """Apprise keeps a refused RCPT TO (or MAIL FROM, or DATA) to its debug log: the reason read only
    'Sending email to "..." failed.', which does not tell the person that the address does not exist."""
    reporter = accounts["reporter"]
    everything(db, reporter, kinds=["statement_new"])
    smtp.refuse["gone@example.org"] = "550 5.1.1 <gone@example.org>: Recipient address rejected: User unknown"
    destinations.add(db, reporter, "Old desk", smtp.url("gone@example.org"))
    statement(db, story, STATEMENT)
    assert sender.send_pending(db, Clock()) == {"sent": 0, "failed": 1}
    ((error,),) = db.execute("SELECT last_error FROM alert_deliveries")
    assert "550 5.1.1 <gone@example.org>: Recipient address rejected: User unknown" in error
    assert "\n" not in error and smtp.messages == []
