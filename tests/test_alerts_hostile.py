"""Alerts against hostile input and broken receiving servers: real receivers on 127.0.0.1, real SQLite."""

from __future__ import annotations

import json
import logging
import socket
import ssl
import threading
import time

import pytest
from bs4 import BeautifulSoup

from scrapers.http import guard
from tests.conftest import csrf_from
from tests.test_alerts import STATEMENT, STATEMENT_V2, Clock, everything, statement
from tracker.alerts import destinations, sender, subscriptions
from tracker.db import TrackerError
from tracker.ingest import ingest_page

pytestmark = pytest.mark.usefixtures("alert_settings")


def posted_to_discord(db, story, accounts, webhook, monkeypatch, title: str, paragraph: str) -> str:
    """A statement page with this title and paragraph, sent to a reporter's Discord channel: the text posted."""
    from apprise.plugins.discord import NotifyDiscord

    # Discord's webhook address, played by the receiver on 127.0.0.1.
    monkeypatch.setattr(NotifyDiscord, "notify_url", f"http://127.0.0.1:{webhook.port}/api/webhooks")
    reporter = accounts["reporter"]
    everything(db, reporter, kinds=["statement_new"])
    destinations.add(db, reporter, "Desk channel", "discord://112233445566/Abc-Token_9")
    body = f"<html><head><title>{title}</title></head><body><article><h1>{title}</h1><p>{paragraph}</p>"
    body += "</article></body></html>"
    ingest_page(db, story, "https://acme.example/press/statement", body.encode(), kind="statement")
    assert sender.send_pending(db, Clock()) == {"sent": 1, "failed": 0}
    [post] = webhook.wait_for(1)
    return json.loads(post.raw)["content"]


def test_a_mail_server_refusing_the_recipient_is_recorded_in_its_own_words(db, story, accounts, smtp):
    """Apprise keeps a refused RCPT TO (or MAIL FROM, or DATA) to its debug log: the reason read only
    'Sending email to "..." failed.', which does not tell the person that the address does not exist."""
    reporter = accounts["reporter"]
    everything(db, reporter, kinds=["statement_new"])
    smtp.refuse["gone@example.org"] = "550 5.1.1 <gone@example.org>: Recipient address rejected: User unknown"
    destinations.add(db, reporter, "Old desk", smtp.url("gone@example.org"))
    statement(db, story, STATEMENT)
    clock = Clock()
    assert sender.send_pending(db, clock) == {"sent": 0, "failed": 1}
    ((state, attempts, error),) = db.execute("SELECT state, attempts, last_error FROM alert_deliveries")
    assert "550 5.1.1 <gone@example.org>: Recipient address rejected: User unknown" in error
    assert "\n" not in error and smtp.messages == []
    # A 5xx is the server's final word: failed at once, the reason naming the destination and what to do.
    assert (state, attempts) == ("failed", 1)
    assert error.startswith("Old desk: the mail server refused gone@example.org for good (550 5.1.1")
    assert "not retried" in error and "correct the to= address" in error
    clock.advance(sender.backoff(sender.MAX_ATTEMPTS))
    assert sender.send_pending(db, clock) == {"sent": 0, "failed": 0}


def test_a_mail_server_refusing_a_recipient_for_now_is_tried_again(db, story, accounts, smtp):
    """A 4xx (a full mailbox, greylisting) may pass: retried with growing pauses, and delivered once it does."""
    reporter = accounts["reporter"]
    everything(db, reporter, kinds=["statement_new"])
    smtp.refuse["busy@example.org"] = "450 4.2.1 <busy@example.org>: Mailbox busy, try again later"
    destinations.add(db, reporter, "Busy desk", smtp.url("busy@example.org"))
    statement(db, story, STATEMENT)
    clock = Clock()
    assert sender.send_pending(db, clock) == {"sent": 0, "failed": 1}
    ((state, attempts, error),) = db.execute("SELECT state, attempts, last_error FROM alert_deliveries")
    assert (state, attempts) == ("pending", 1) and "450 4.2.1" in error and "for good" not in error
    del smtp.refuse["busy@example.org"]
    clock.advance(sender.backoff(sender.MAX_ATTEMPTS))
    assert sender.send_pending(db, clock) == {"sent": 1, "failed": 0}
    assert [mail.path for mail in smtp.wait_for(1)] == ["busy@example.org"]


def test_a_scraped_title_mentioning_everyone_pings_nobody_in_the_chat_channel(
    db, story, accounts, webhook, monkeypatch
):
    """Discord reads @everyone, @here, <@id> and <@&role> in a webhook's text as pings (Mattermost and
    Rocket.Chat read @channel, @all and @here): a statement page titled so paged the whole desk."""
    title = "@everyone Recall <@&445566> @here"
    content = posted_to_discord(
        db, story, accounts, webhook, monkeypatch, title, "Ask <@778899> or @channel or @ALL about the @room recall."
    )
    assert "Recall" in content and "recall" in content  # the text is all there, to read
    for ping in ("@everyone", "@here", "<@&445566>", "<@778899>", "@channel", "@ALL", "@room"):
        assert ping not in content
    assert content.replace("\u200b", "").count("everyone") == 2  # in the title line and the quote


def test_a_message_to_two_addresses_one_refused_reaches_the_other_once_across_its_retries(db, story, accounts, smtp):
    """A destination may name several addresses (to=a,b): when the server refused one for now, the delivery was
    tried again up to 8 times, and each attempt mailed the address that had accepted it already."""
    reporter = accounts["reporter"]
    everything(db, reporter, kinds=["statement_new"])
    smtp.refuse["gone@example.org"] = "452 4.2.2 <gone@example.org>: Mailbox full"
    destinations.add(db, reporter, "Desk and old desk", smtp.url("desk@example.org,gone@example.org"))
    statement(db, story, STATEMENT)
    clock = Clock()
    for _ in range(sender.MAX_ATTEMPTS):  # each retry by a new sender, as by cron's send-pending
        assert sender.send_pending(db, clock) == {"sent": 0, "failed": 1}
        clock.advance(sender.backoff(sender.MAX_ATTEMPTS))
    assert sender.send_pending(db, clock) == {"sent": 0, "failed": 0}
    assert [mail.path for mail in smtp.wait_for(1)] == ["desk@example.org"]
    ((state, attempts, error),) = db.execute("SELECT state, attempts, last_error FROM alert_deliveries")
    assert (state, attempts) == ("failed", sender.MAX_ATTEMPTS) and "gone@example.org" in error


@pytest.mark.parametrize(
    ("url", "secret"),
    [
        ("ntfy://tk_Ab12Cd34Ef56Gh78Ij90Kl12Mn34@127.0.0.1/desk-topic", "tk_Ab12Cd34Ef56Gh78Ij90Kl12Mn34"),
        ("matrix://syt_ZGVzaw_Kq8LmN2pR4sT6vX8zB1@127.0.0.1/#desk", "syt_ZGVzaw_Kq8LmN2pR4sT6vX8zB1"),
    ],
)
def test_a_token_given_as_the_urls_user_is_never_shown_again(client, auth, db, accounts, url, secret):
    """ntfy's access token and a Matrix access token go before the @ with no password (so may Pushover's key):
    the masked form showed that part whole, on Account → Alert settings and in the API."""
    auth.login("reporter")
    page = client.get("/account/alerts").get_data(as_text=True)
    added = client.post(
        "/account/alerts/destinations", data={"label": "Desk", "url": url, "csrf_token": csrf_from(page)}
    )
    assert added.status_code == 302
    [saved] = destinations.list_for(db, accounts["reporter"]["id"])
    assert secret not in saved["url_masked"] and "…@127.0.0.1" in saved["url_masked"]
    assert secret not in client.get("/account/alerts").get_data(as_text=True)
    assert secret not in client.get("/api/alerts/destinations").get_data(as_text=True)


@pytest.mark.parametrize(
    "url",
    [
        "desk:Pw-Osprey-31@smtp.example.org:587?to=desk@example.org",  # the scheme left out
        "Pw-Osprey-31://smtp.example.org",  # a password pasted where the scheme goes
        "mailtos//desk:Pw-Osprey-31@smtp.example.org",  # a colon left out
    ],
)
def test_an_address_refused_for_its_scheme_never_shows_its_password_back(client, auth, db, accounts, url):
    """Refused for its scheme, the message quoted the address's first 12 characters ('desk:Pw-Ospr'), or what
    stood before :// whatever it was: a password typed or pasted there was shown back on the page."""
    auth.login("reporter")
    page = client.get("/account/alerts").get_data(as_text=True)
    refused = client.post(
        "/account/alerts/destinations", data={"label": "Desk", "url": url, "csrf_token": csrf_from(page)}
    )
    assert refused.status_code == 422
    shown = refused.get_data(as_text=True).lower()
    assert "destinations start with one of" in shown
    assert "osprey" not in shown and "pw-o" not in shown and "desk:" not in shown
    assert db.execute("SELECT count(*) FROM alert_destinations").fetchone() == (0,)


def test_saving_a_destination_whose_name_servers_are_silent_does_not_wait_for_them(db, accounts, monkeypatch):
    """The check of a destination's host asked the system resolver with no bound: a name server that took the
    question and never answered held the editor's request (a worker of the site) for as long as the resolver
    kept trying. The lookup gets the guard's LOOKUP_TIMEOUT; a host that does not answer is let through, as one
    that does not resolve is, and checked again before every send."""
    answered, release = [], threading.Event()
    real = socket.getaddrinfo

    def silent(host, *args, **kwargs):
        if host != "hooks.silent.example":
            return real(host, *args, **kwargs)
        release.wait(10)
        answered.append(host)
        raise socket.gaierror(socket.EAI_AGAIN, "Temporary failure in name resolution")

    monkeypatch.setattr("socket.getaddrinfo", silent)
    monkeypatch.setattr(guard, "LOOKUP_TIMEOUT", 0.05)
    try:
        saved = destinations.add(db, accounts["reporter"], "Hook", "jsons://hooks.silent.example/alerts")
        assert answered == []  # it returned while the name server was still silent
        assert saved["url_masked"] == "jsons://hooks.silent.example/al…"
    finally:
        release.set()


def test_a_destination_s_name_lookup_is_bounded_by_the_one_lookup_setting_of_the_project(db, accounts, monkeypatch):
    """Every name lookup waits at most scrapers/http/guard.py's LOOKUP_TIMEOUT, but a destination's check on saving
    had a bound of its own (5 s): two settings for one rule, and changing the project's left this one behind.
    Here the project's bound is made shorter than the name server's silence: the save returns within it."""
    answered, release = [], threading.Event()
    real = socket.getaddrinfo

    def silent(host, *args, **kwargs):
        if host != "hooks.quiet.example":
            return real(host, *args, **kwargs)
        release.wait(2)  # silent for longer than the bound set below, shorter than the 5 s the check had
        answered.append(host)
        raise socket.gaierror(socket.EAI_AGAIN, "Temporary failure in name resolution")

    monkeypatch.setattr("socket.getaddrinfo", silent)
    monkeypatch.setattr(guard, "LOOKUP_TIMEOUT", 0.05)
    try:
        saved = destinations.add(db, accounts["reporter"], "Hook", "jsons://hooks.quiet.example/alerts")
        assert answered == []  # the project's bound held: returned while the name server was still silent
        assert saved["url_masked"].startswith("jsons://hooks.quiet.example/")
    finally:
        release.set()


def test_no_log_record_names_a_destination_s_secret_path_whatever_the_log_level(db, story, accounts, webhook, caplog):
    """Apprise logs each webhook's whole address at DEBUG ("JSON POST URL: http://host/hook/SECRET"), and so
    does urllib3 ("POST /hook/SECRET HTTP/1.1"), failures included: a service run at DEBUG wrote every
    destination's token to its logs."""
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    closed_port = closed.getsockname()[1]
    closed.close()  # nothing listens there: the send to it fails
    reporter = accounts["reporter"]
    everything(db, reporter, kinds=["statement_new"])
    destinations.add(db, reporter, "Hook", webhook.url("/hook/Tok3nAccepted?key=Qu3ryKey"))
    destinations.add(db, reporter, "Down", f"json://user:Passw0rdX@127.0.0.1:{closed_port}/hook/Tok3nRefused")
    statement(db, story, STATEMENT)
    caplog.set_level(logging.DEBUG)
    assert sender.send_pending(db, Clock()) == {"sent": 1, "failed": 1}
    assert webhook.wait_for(1)[0].path.startswith("/hook/Tok3nAccepted")
    logged = [record.getMessage() for record in caplog.records]
    assert logged  # the sender did log (its warnings stay)
    errors = [row[0] for row in db.execute("SELECT last_error FROM alert_deliveries WHERE last_error IS NOT NULL")]
    assert errors
    for text in [*logged, *errors]:
        for secret in ("Tok3nAccepted", "Qu3ryKey", "Tok3nRefused", "Passw0rdX"):
            assert secret not in text, text


def test_a_webhook_whose_name_servers_hang_fails_its_delivery_in_time_and_is_retried(
    db, story, accounts, webhook, monkeypatch
):
    """Apprise resolved the webhook's host itself, with no bound: a name server that took the question and
    never answered held the sending thread, its place to send and the delivery's lease for as long as it kept
    silent, and the delivery was never recorded. The lookup now has SEND_LOOKUP seconds, the delivery fails
    saying why and is tried again like any failed send."""
    monkeypatch.setenv("TRACKER_ALLOWED_HOSTS", "127.0.0.1,hook.silent.example")
    answered, release = [], threading.Event()
    real = socket.getaddrinfo

    def silent(host, port, *args, **kwargs):
        if host != "hook.silent.example":
            return real(host, port, *args, **kwargs)
        if not release.wait(10):
            answered.append(host)
            raise socket.gaierror(socket.EAI_AGAIN, "Temporary failure in name resolution")
        return real("127.0.0.1", port, *args, **kwargs)  # the name servers answer again

    monkeypatch.setattr("socket.getaddrinfo", silent)
    monkeypatch.setattr(guard, "LOOKUP_TIMEOUT", 0.05)  # the checks on saving and before sending
    monkeypatch.setattr(sender, "SEND_LOOKUP", 0.05)
    reporter = accounts["reporter"]
    everything(db, reporter, kinds=["statement_new"])
    destinations.add(db, reporter, "Hook", f"json://hook.silent.example:{webhook.port}/hook")
    statement(db, story, STATEMENT)
    clock = Clock()
    try:
        assert sender.send_pending(db, clock) == {"sent": 0, "failed": 1}
        assert answered == []  # recorded while the name servers were still silent
        ((state, attempts, error),) = db.execute("SELECT state, attempts, last_error FROM alert_deliveries")
        assert (state, attempts) == ("pending", 1)
        assert "the name servers of hook.silent.example gave no answer in time" in error
    finally:
        release.set()
    for thread in threading.enumerate():  # the lookup left unanswered ends now that they answer
        if thread.name == "lookup hook.silent.example":
            thread.join()
    clock.advance(sender.backoff(1))
    assert sender.send_pending(db, clock) == {"sent": 1, "failed": 0}
    assert len(webhook.wait_for(1)) == 1


def test_a_hundred_deliveries_to_hosts_whose_name_server_never_answers_leave_few_lookups_and_the_scraper_its_own(
    db, story, accounts, monkeypatch
):
    """A lookup left unanswered runs on in the background until the resolver gives up. Per host there is one at
    a time, and the process had a bound of 32 in all, shared with the scraper: a hundred deliveries to names a
    silent name server holds (a real one on 127.0.0.1 here) left 32 lookups behind, and `watch`, which sends
    alerts on a thread of its own, could then look up no name of any source until they ended. The sender's
    lookups now have a share of their own."""
    from tests.alert_receivers import SilentNameServer

    server = SilentNameServer()
    monkeypatch.setattr("socket.getaddrinfo", server.resolver(socket.getaddrinfo))
    monkeypatch.setattr(guard, "LOOKUP_TIMEOUT", 0.2)  # the checks on saving and before sending
    monkeypatch.setattr(sender, "SEND_LOOKUP", 0.2)
    reporter = accounts["reporter"]
    everything(db, reporter, kinds=["statement_new"])
    for n in range(100):
        destinations.add(db, reporter, f"Hook {n}", f"jsons://hook{n}.blackhole.test/alerts")
    statement(db, story, STATEMENT)
    server.silent = True
    try:
        assert sender.send_pending(db, Clock()) == {"sent": 0, "failed": 100}
        hung = [t for t in threading.enumerate() if t.name.startswith("lookup hook")]
        asked = server.names_asked()
        # The scraper, in the same process, still looks names up (a name the hosts file answers).
        scraped = guard.AddressGuard(True, frozenset()).resolve("localhost", 80, 5.0)
    finally:
        server.close()
        for thread in threading.enumerate():
            if thread.name.startswith("lookup hook"):
                thread.join(10)
    assert scraped
    assert len(hung) == len(asked) == len(set(asked)) == guard.HUNG_LOOKUPS_OF["alerts"]
    deliveries = list(db.execute("SELECT state, last_error FROM alert_deliveries"))
    assert len(deliveries) == 100 and {state for state, _ in deliveries} == {"pending"}  # tried again later
    assert all("blackhole.test" in error and ("no answer in time" in error or "not asked" in error)
               for _, error in deliveries)  # fmt: skip


class DrippingSmtp:
    """A mail server on 127.0.0.1 that takes messages as usual, but answers the first `verb` (NOOP, QUIT) a byte
    at a time, each well within the read timeout, for a long while (`answered`: "whole" if it got to the end,
    "cut off" if the client shut the connection first)."""

    def __init__(self, verb: str) -> None:
        self.verb = verb
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.answered: list[str] = []
        self.dripped = threading.Event()
        self.threads: list[threading.Thread] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self.listener.accept()
            except OSError:
                return
            self.threads.append(threading.Thread(target=self._serve, args=(conn,), daemon=True))
            self.threads[-1].start()

    def _serve(self, conn: socket.socket) -> None:
        try:
            with conn, conn.makefile("rwb") as f:
                f.write(b"220 mail.example.org ESMTP\r\n")
                f.flush()
                in_data = False
                for line in f:
                    if in_data:
                        if line == b".\r\n":
                            in_data = False
                            f.write(b"250 queued\r\n")
                            f.flush()
                        continue
                    verb = line.split()[0].decode().upper()
                    if verb == self.verb and not self.dripped.is_set():
                        self.dripped.set()
                        f.write(b"221 " if verb == "QUIT" else b"250 ")
                        for _ in range(300):  # a minute at this pace: far past the send's deadline
                            f.flush()
                            time.sleep(0.2)
                            f.write(b".")
                        f.write(b"\r\n")
                        f.flush()
                        self.answered.append("whole")
                        if verb == "QUIT":
                            return
                        continue
                    answer = {"EHLO": b"250 mail.example.org", "DATA": b"354 go", "QUIT": b"221 bye"}.get(
                        verb, b"250 OK"
                    )
                    f.write(answer + b"\r\n")
                    f.flush()
                    in_data = verb == "DATA"
                    if verb == "QUIT":
                        return
        except OSError:
            self.answered.append("cut off")

    def close(self) -> None:
        """Stop taking connections, and wait for those it had to end (the dripping one, when it is cut off)."""
        self.listener.close()
        for thread in self.threads:
            thread.join(timeout=120)


def test_a_mail_server_dripping_its_answer_to_the_idle_check_is_cut_off_at_the_send_deadline(
    db, story, accounts, monkeypatch
):
    """An open session idle for a few seconds is asked NOOP before it is lent; that answer was read before the
    send's connections were noted, so a server dripping it held a sending thread past the deadline."""
    from tracker.alerts import smtp_sessions

    monkeypatch.setattr(sender, "SEND_DEADLINE", 1.0)
    reporter = accounts["reporter"]
    everything(db, reporter, kinds=["statement_new", "coverage_changed"])
    server = DrippingSmtp("NOOP")
    url = f"mailto://127.0.0.1:{server.port}?from=alerts@example.org&to=desk@example.org&mode=insecure"
    destinations.add(db, reporter, "Desk email", url)
    clock = Clock()
    running = sender.Sender(db, clock=clock)
    running.sessions.clock = clock
    try:
        statement(db, story, STATEMENT)
        while running.step(timeout=0.2) or running.in_flight:
            pass
        assert running.sent == 1 and running.sessions.opened == 1
        clock.advance(smtp_sessions.PROBE_AFTER + 60 / 30)  # idle long enough to be asked NOOP; past the rate limit
        statement(db, story, STATEMENT_V2)
        while running.step(timeout=0.2) or running.in_flight:
            pass
    finally:
        running.close()
        server.close()
    assert server.dripped.is_set() and server.answered[:1] == ["cut off"]


def test_a_mail_server_dripping_its_answer_to_quit_does_not_hold_the_sender_stopping(db, story, accounts):
    """Sessions left open are closed with QUIT when the sender stops (`serve` stopping, cron's send-pending at its
    end): waiting for that answer, a server dripping it, or answering line after line, held the process."""
    reporter = accounts["reporter"]
    everything(db, reporter, kinds=["statement_new"])
    server = DrippingSmtp("QUIT")
    url = f"mailto://127.0.0.1:{server.port}?from=alerts@example.org&to=desk@example.org&mode=insecure"
    destinations.add(db, reporter, "Desk email", url)
    statement(db, story, STATEMENT)
    try:
        assert sender.send_pending(db, Clock()) == {"sent": 1, "failed": 0}  # sent, then the session closed
    finally:
        server.close()
    assert server.dripped.is_set() and server.answered[:1] == ["cut off"]


def test_a_scraped_title_s_markdown_links_and_images_reach_the_chat_channel_as_plain_text(
    db, story, accounts, webhook, monkeypatch
):
    """Discord and Mattermost render [words](address) as a link showing only its words, and Mattermost loads
    ![image](address) for everyone reading the channel; Slack reads <address|words> the same way. A page's
    title is the outlet's to write: its links reach the channel as words and an address, not as a disguise."""
    title = "[Reuters: recall confirmed](https://elsewhere.example/x) ![](https://pixel.example/p.png)"
    paragraph = "Read <https://elsewhere.example/y|the regulator's notice> about the recall today."
    content = posted_to_discord(db, story, accounts, webhook, monkeypatch, title, paragraph)
    assert "](" not in content and "<https:" not in content
    assert "https://elsewhere.example/x" in content and "Reuters: recall confirmed" in content  # all there, to read


def test_a_destination_refused_for_its_network_names_the_rule_never_the_address_it_resolves_to(
    db, story, accounts, webhook, monkeypatch
):
    """A reporter typing internal names as destinations read back each one's address ("wiki.corp.example is
    loopback (127.0.0.1)"), on saving and, for a name that turned private later, in the delivery's error: a
    map of the newsroom's network one refusal at a time, which the fetcher never gives (docs/security.md)."""
    from tests.test_alerts import RebindingDns

    reporter = accounts["reporter"]
    everything(db, reporter, kinds=["statement_new"])
    monkeypatch.setattr("socket.getaddrinfo", RebindingDns("wiki.corp.example", public_answers=0))
    with pytest.raises(TrackerError) as refused:
        destinations.add(db, reporter, "Wiki", f"json://wiki.corp.example:{webhook.port}/hook")
    assert "wiki.corp.example is a loopback address" in str(refused.value)
    assert "127.0.0.1" not in str(refused.value) and "TRACKER_ALLOWED_HOSTS" in str(refused.value)

    monkeypatch.setattr("socket.getaddrinfo", RebindingDns("hook.corp.example", public_answers=2))
    destinations.add(db, reporter, "Hook", f"jsons://hook.corp.example:{webhook.port}/hook")
    statement(db, story, STATEMENT)
    assert sender.send_pending(db, Clock()) == {"sent": 0, "failed": 1}
    ((error,),) = db.execute("SELECT last_error FROM alert_deliveries")
    assert "hook.corp.example is a loopback address" in error and "127.0.0.1" not in error
    assert webhook.messages == []


def test_an_outlet_or_title_holding_line_breaks_and_control_codes_reaches_a_webhook_as_one_clean_line(
    db, story, accounts, webhook
):
    """An event's subject is made of a source's outlet and a page's or file's title: a line break in one went
    into the message's title whole, where a receiver putting the title in a header (a subject, ntfy's
    X-Title) reads a header of the sender's making, and an escape code retitled the terminal it was read on."""
    from tracker.alerts import events
    from tracker.db import transaction

    reporter = accounts["reporter"]
    everything(db, reporter, kinds=["statement_new"])
    destinations.add(db, reporter, "Hook", webhook.url())
    with transaction(db):  # as an outlet typed with a paste, and a title read from a file, would make it
        events.record(
            db,
            "statement_new",
            "New statement from Acme\r\nBcc: desk@evil.example\r\n\r\nX-Title: \x1b]0;owned\x07Recall\x00 now",
            story_id=story["id"],
            payload={"quote": "Acme will recall\x1b[2J its kettles.\nAll of them.", "path": "/coverage/1"},
        )
    assert sender.send_pending(db, Clock()) == {"sent": 1, "failed": 0}
    [post] = webhook.wait_for(1)
    assert post.title == "New statement from Acme Bcc: desk@evil.example X-Title: ]0;ownedRecall now"
    assert "Acme will recall[2J its kettles.\nAll of them." in post.body  # its lines kept, the escape defused
    assert not any(ch < " " and ch != "\n" for ch in post.body)


def test_a_webhook_that_fails_says_how_tls_a_refusal_or_silence_and_what_to_check(
    db, story, accounts, webhook, monkeypatch
):
    """Apprise words every failed web send alike ("A Connection error occurred sending JSON notification to
    127.0.0.1."): a receiver speaking plain HTTP to jsons://, a port nobody listens on and a receiver that never
    answers read the same, and the person could not tell what to fix."""
    monkeypatch.setattr(sender, "READ_TIMEOUT", 0.5)
    reporter = accounts["reporter"]
    everything(db, reporter, kinds=["statement_new"])
    closed = socket.create_server(("127.0.0.1", 0))
    shut_port = closed.getsockname()[1]
    closed.close()
    webhook.hold = "/slow"
    urls = {
        "tls": f"jsons://127.0.0.1:{webhook.port}/hook",  # the receiver speaks plain HTTP
        "refused": f"json://127.0.0.1:{shut_port}/hook",
        "silent": webhook.url("/slow"),
    }
    made = {why: destinations.add(db, reporter, why, url)["id"] for why, url in urls.items()}
    statement(db, story, STATEMENT)
    assert sender.send_pending(db, Clock()) == {"sent": 0, "failed": 3}
    errors = dict(db.execute("SELECT destination_id, last_error FROM alert_deliveries"))
    said = {why: errors[made[why]] for why in made}
    assert f"127.0.0.1:{webhook.port}" in said["tls"] and "TLS" in said["tls"] and "json://" in said["tls"]
    assert f"127.0.0.1:{shut_port} refused the connection" in said["refused"]
    assert "did not answer within 0.5 s" in said["silent"]
    assert not any("\n" in error for error in said.values()), said


def test_a_mail_server_that_is_not_running_is_named_with_its_port_and_what_to_check(client, auth, db, story, accounts):
    """A mail server nobody listens for read "[Errno 111] Connection refused; Connection error while submitting
    email to "127.0.0.1"": neither the port nor what to do, where a webhook's said both. It is still retried, and
    Account → Alert settings shows the reason as one sentence (it ended "127.0.0.1.. Retrying"), never the
    address's password."""
    reporter = accounts["reporter"]
    everything(db, reporter, kinds=["statement_new"])
    closed = socket.create_server(("127.0.0.1", 0))
    shut_port = closed.getsockname()[1]
    closed.close()
    dead = destinations.add(
        db,
        reporter,
        "Night desk mail",
        f"mailto://night:Pw-Heron-77@127.0.0.1:{shut_port}?from=alerts@example.org&to=night@example.org&mode=insecure",
    )
    destinations.add(db, reporter, "Night desk hook", f"json://127.0.0.1:{shut_port}/hook")
    statement(db, story, STATEMENT)
    assert sender.send_pending(db, Clock()) == {"sent": 0, "failed": 2}
    [(error, state)] = db.execute(
        "SELECT last_error, state FROM alert_deliveries WHERE destination_id = ?", [dead["id"]]
    ).fetchall()
    assert state == "pending"  # tried again later, not dropped
    assert f"127.0.0.1:{shut_port} refused the connection" in error, error
    assert "check the port" in error and "mail server is running" in error, error
    assert "Errno" not in error, error
    [(shown,)] = db.execute("SELECT last_error FROM alert_destinations WHERE id = ?", [dead["id"]]).fetchall()
    assert shown == error
    auth.login("reporter")
    page = " ".join(BeautifulSoup(client.get("/account/alerts").get_data(as_text=True), "html.parser").text.split())
    assert f"127.0.0.1:{shut_port} refused the connection" in page
    assert "Pw-Heron-77" not in page and "Pw-Heron-77" not in error
    assert "refused the connection" in page.replace(f"127.0.0.1:{shut_port} refused the connection", "", 1)
    assert ".. " not in page  # Apprise's own words end with a full stop, and the page added another


def test_a_mail_server_s_refusal_holding_escape_codes_is_recorded_without_them(db, story, accounts):
    """A delivery's error quotes the server's own words, which are the server's to write: an escape sequence in
    its refusal was stored as sent, for the account page, the API and anyone reading the database."""
    reporter = accounts["reporter"]
    everything(db, reporter, kinds=["statement_new"])
    listener = socket.create_server(("127.0.0.1", 0))

    def serve() -> None:
        conn, _ = listener.accept()
        with conn:
            conn.sendall(b"421 4.3.2 Busy \x1b]0;owned\x07\x1b[2J try later\r\n")

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    port = listener.getsockname()[1]
    try:
        destinations.add(
            db, reporter, "Desk", f"mailto://127.0.0.1:{port}?from=a@example.org&to=d@example.org&mode=insecure"
        )
        statement(db, story, STATEMENT)
        assert sender.send_pending(db, Clock()) == {"sent": 0, "failed": 1}
        thread.join()
    finally:
        listener.close()
    ((delivery,),) = db.execute("SELECT last_error FROM alert_deliveries")
    ((destination,),) = db.execute("SELECT last_error FROM alert_destinations")
    for error in (delivery, destination):
        assert "421 4.3.2 Busy ]0;owned[2J try later" in error
        assert not any(ch < " " or "\x7f" <= ch <= "\x9f" for ch in error)


class OneMessageSmtp:
    """A mail server on 127.0.0.1 that takes one message per connection and then hangs up, as relays limiting
    messages per connection (or closing an idle one) do: `connections` counts the sessions it was opened."""

    def __init__(self) -> None:
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.connections = 0
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self.listener.accept()
            except OSError:
                return
            self.connections += 1
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn: socket.socket) -> None:
        with conn, conn.makefile("rwb") as f:
            f.write(b"220 relay.example.org ESMTP\r\n")
            f.flush()
            in_data = False
            for line in f:
                if in_data:
                    if line == b".\r\n":
                        # The answer and the hang-up in one segment (corked): the client reads both at once.
                        conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_CORK, 1)
                        conn.sendall(b"250 queued; one message per connection, goodbye\r\n")
                        conn.shutdown(socket.SHUT_WR)
                        return  # without waiting for QUIT
                    continue
                verb = line.split()[0].upper()
                f.write({b"DATA": b"354 go\r\n", b"QUIT": b"221 bye\r\n"}.get(verb, b"250 OK\r\n"))
                f.flush()
                in_data = verb == b"DATA"


def test_a_session_the_mail_server_hung_up_on_is_not_lent_to_the_next_email(db, story, accounts):
    """A session is kept open for the next email to the same server; a server that had hung up after the last
    one (a limit of messages per connection) failed the next email every time: 'Connection unexpectedly
    closed', retried 15 s later while the destination backed off, for every second alert."""
    server = OneMessageSmtp()
    for who in ("reporter", "editor", "admin"):
        everything(db, accounts[who], kinds=["statement_new"])
        url = f"mailto://127.0.0.1:{server.port}?from=alerts@example.org&to={who}@example.org&mode=insecure"
        destinations.add(db, accounts[who], "Desk", url)
    statement(db, story, STATEMENT)
    running = sender.Sender(db, clock=Clock(), workers=1)  # one thread: each email could take the last one's session
    try:
        while running.step(timeout=0.2) or running.in_flight:
            pass
    finally:
        running.close()
        server.listener.close()
    assert (running.sent, running.failed) == (3, 0)
    assert db.execute("SELECT count(*) FROM alert_deliveries WHERE state = 'sent' AND attempts = 1").fetchone() == (3,)
    assert server.connections == 3


@pytest.mark.parametrize(
    ("save", "says"),
    [
        (lambda db, who: destinations.add(db, who, "Desk\x00 email", "json://127.0.0.1/hook"), "NUL character"),
        (lambda db, who: destinations.add(db, who, "Desk \x1b[2J", "json://127.0.0.1/hook"), "control character"),
        (lambda db, who: subscriptions.save(db, who, {"keywords": "recall, \x00kettle"}), "NUL character"),
        (lambda db, who: subscriptions.save(db, who, {"claimants": "Acme\x1b]0;x\x07"}), "control character"),
    ],
)
def test_a_destination_name_or_watched_words_holding_a_nul_or_escape_code_are_refused(db, accounts, save, says):
    """Typed text elsewhere refuses a NUL and an escape code in one line; a destination's name and a
    subscription's keywords and claimants stored them as typed."""
    with pytest.raises(TrackerError) as refused:
        save(db, accounts["reporter"])
    assert says in str(refused.value) and "\n" not in str(refused.value)
    assert db.execute("SELECT count(*) FROM alert_destinations").fetchone() == (0,)
    assert db.execute("SELECT count(*) FROM alert_subscriptions").fetchone() == (0,)


def _self_signed(tmp_path) -> ssl.SSLContext:
    """A server TLS context with a certificate made on the spot for 127.0.0.1."""
    import datetime
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), False)
        .sign(key, hashes.SHA256())
    )
    (tmp_path / "cert.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (tmp_path / "key.pem").write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(tmp_path / "cert.pem", tmp_path / "key.pem")
    return context


def test_a_mail_session_secured_with_starttls_is_kept_for_the_next_email(db, story, accounts, tmp_path):
    """A session is looked at before it is lent (has the server hung up?): over TLS 1.3 the server sends session
    tickets after the handshake, bytes on the socket that are no answer, and must not retire a live session."""
    import asyncio

    from aiosmtpd.smtp import SMTP

    received = []

    class Handler:
        async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
            received.append(envelope.rcpt_tos)
            return "250 OK"

    context = _self_signed(tmp_path)
    loop = asyncio.new_event_loop()
    server = loop.run_until_complete(
        loop.create_server(
            lambda: SMTP(Handler(), hostname="127.0.0.1", tls_context=context, require_starttls=True), "127.0.0.1", 0
        )
    )
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    try:
        port = server.sockets[0].getsockname()[1]
        for who in ("reporter", "editor", "admin"):
            everything(db, accounts[who], kinds=["statement_new"])
            url = f"mailtos://127.0.0.1:{port}?from=alerts@example.org&to={who}@example.org&mode=starttls&verify=no"
            destinations.add(db, accounts[who], "Desk", url)
        statement(db, story, STATEMENT)
        running = sender.Sender(db, clock=Clock(), workers=1)
        try:
            while running.step(timeout=0.2) or running.in_flight:
                pass
        finally:
            running.close()
    finally:
        loop.call_soon_threadsafe(server.close)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(timeout=5)
    assert (running.sent, running.failed, len(received)) == (3, 0, 3)
    assert running.sessions.opened == 1


@pytest.mark.parametrize(
    ("url", "host", "says"),
    [
        # Apprise reads a mail server it has no template for as plain SMTP on port 25: the login goes in clear.
        ("mailto://desk:Pw-Kestrel-55@smtp.example.org?to=desk@example.org", "smtp.example.org", "mailtos://"),
        (
            "mailto://smtp.example.org:25?from=a@example.org&to=d@example.org&mode=insecure",
            "smtp.example.org",
            "mailtos://",
        ),
        ("json://hooks.example.org/alerts", "hooks.example.org", "jsons://"),
        ("ntfy://tk_Ab12Cd34@ntfy.example.org/desk", "ntfy.example.org", "ntfys://"),
    ],
)
def test_a_destination_that_would_cross_the_internet_unencrypted_is_refused(db, accounts, monkeypatch, url, host, says):
    """mailto://, json://, ntfy://, matrix:// ... send without TLS: to a server across the internet, every
    alert (internal notes too, at an internal destination) and the password or token in the address went in
    clear. The example the refusals themselves gave was such an address."""
    from tests.test_alerts import RebindingDns

    monkeypatch.setattr("socket.getaddrinfo", RebindingDns(host, public_answers=99))  # a public address
    with pytest.raises(TrackerError) as refused:
        destinations.add(db, accounts["reporter"], "Desk", url)
    assert f"{host} unencrypted" in str(refused.value) and says in str(refused.value)
    assert "Kestrel" not in str(refused.value) and "\n" not in str(refused.value)
    assert db.execute("SELECT count(*) FROM alert_destinations").fetchone() == (0,)


def test_an_unencrypted_destination_inside_the_newsroom_or_allowed_by_name_is_kept(db, accounts, monkeypatch):
    from tests.test_alerts import RebindingDns

    reporter = accounts["reporter"]
    destinations.add(db, reporter, "Relay", "mailto://127.0.0.1:25?from=a@example.org&to=d@example.org&mode=insecure")
    monkeypatch.setenv("TRACKER_ALLOWED_HOSTS", "127.0.0.1,hooks.partner.example")
    monkeypatch.setattr("socket.getaddrinfo", RebindingDns("hooks.partner.example", public_answers=99))
    destinations.add(db, reporter, "Partner", "json://hooks.partner.example/alerts")  # an admin's explicit choice
    destinations.add(db, reporter, "Secure", "jsons://hooks.partner.example/alerts")
    assert db.execute("SELECT count(*) FROM alert_destinations").fetchone() == (3,)


@pytest.mark.parametrize(
    "url",
    [
        "jsons://127.0.0.1/hook?+X-Token=tk-Heron-7730%0d%0aX-Forwarded-For:%20127.0.0.1",
        "mailtos://desk:pw@127.0.0.1?from=a@example.org&to=d@example.org&+X-Desk=a%0d%0aBcc:%20leak@elsewhere.example",
    ],
)
def test_a_header_in_the_address_holding_a_line_break_is_refused_when_saved(db, accounts, url):
    """Apprise takes extra headers in the address (+Name=value), percent-decoded: one holding a line break was
    saved, then failed every send in words that did not say why ('A Connection error occurred ...'), eight
    times over, its value (a token) in the log."""
    with pytest.raises(TrackerError) as refused:
        destinations.add(db, accounts["reporter"], "Desk", url)
    assert "header" in str(refused.value) and "line break" in str(refused.value)
    assert "Heron" not in str(refused.value) and "\n" not in str(refused.value)
    assert db.execute("SELECT count(*) FROM alert_destinations").fetchone() == (0,)


@pytest.mark.parametrize(
    ("mode", "says"),
    [
        ("starttls", "does not offer STARTTLS"),
        ("ssl", "TLS could not be set up"),
    ],
)
def test_a_mail_server_that_cannot_secure_the_session_as_asked_is_named_with_what_to_change(
    db, story, accounts, smtp, mode, says
):
    """A server without STARTTLS, or one that speaks STARTTLS where mode=ssl expects TLS at once, failed in the
    TLS library's words ('[SSL: WRONG_VERSION_NUMBER] wrong version number (_ssl.c:1006)'), which say nothing of
    the mode and port to try."""
    reporter = accounts["reporter"]
    everything(db, reporter, kinds=["statement_new"])
    url = f"mailtos://127.0.0.1:{smtp.port}?from=alerts@example.org&to=desk@example.org&mode={mode}"
    destinations.add(db, reporter, "Desk", url)
    statement(db, story, STATEMENT)
    assert sender.send_pending(db, Clock()) == {"sent": 0, "failed": 1}
    ((error,),) = db.execute("SELECT last_error FROM alert_deliveries")
    assert f"127.0.0.1:{smtp.port}" in error and says in error and "mode=" in error
    assert smtp.messages == []


def test_an_unencrypted_destination_saved_before_the_rule_is_not_sent_in_clear(db, story, accounts, monkeypatch):
    """A destination saved before plain-text sends across the internet were refused kept sending in clear:
    the check is made again before every send, as the network check is."""
    from tests.test_alerts import RebindingDns
    from tracker.alerts import keys

    reporter = accounts["reporter"]
    everything(db, reporter, kinds=["statement_new"])
    monkeypatch.setattr("socket.getaddrinfo", RebindingDns("hooks.example.org", public_answers=99))
    url = "json://desk:Pw-Kestrel-55@hooks.example.org/alerts"
    with db.conn:  # as an earlier version saved it
        db.execute(
            """INSERT INTO alert_destinations (user_id, label, scheme, url_masked, url_secret, per_minute,
                   sent_through, created_at) VALUES (?, 'Hook', 'json', ?, ?, 30, 0, '2026-01-01T00:00:00Z')""",
            [reporter["id"], destinations.mask(url), keys.seal(url)],
        )
    statement(db, story, STATEMENT)
    assert sender.send_pending(db, Clock()) == {"sent": 0, "failed": 1}
    ((error,),) = db.execute("SELECT last_error FROM alert_deliveries")
    assert "hooks.example.org unencrypted across the internet" in error and "jsons://" in error
    assert "Kestrel" not in error


BIDI_CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"


def test_a_scraped_title_s_bidi_overrides_never_reorder_an_emails_subject(db, story, accounts, smtp):
    """A title holding RIGHT-TO-LEFT OVERRIDE made "Acme \u202egnillacer ton\u202c" read "Acme not recalling" in
    the subject line. Embeddings, overrides and isolates go (Unicode TR #36, UTS #39); Arabic and Hebrew are
    text and stay, with the right-to-left mark that places their neighbours."""
    reporter = accounts["reporter"]
    everything(db, reporter, kinds=["statement_new"])
    destinations.add(db, reporter, "Desk", smtp.url())
    title = "Acme \u202egnillacer ton\u202c \u2067بيان الشركة\u2069 \u202bהודעה\u202c\u200f \u202dkettles\u2066"
    paragraph = "Acme said \u202esllettk\u202c its kettles are safe: \u2067بيان الشركة\u2069 and \u202bהודעה\u202c."
    body = f"<html><head><title>{title}</title></head><body><article><h1>{title}</h1><p>{paragraph}</p>"
    body += "</article></body></html>"
    ingest_page(db, story, "https://acme.example/press/statement", body.encode(), kind="statement")
    assert sender.send_pending(db, Clock()) == {"sent": 1, "failed": 0}
    [mail] = smtp.wait_for(1)
    assert "Acme gnillacer ton بيان الشركة הודעה\u200f kettles" in mail.title
    assert not set(BIDI_CONTROLS) & set(mail.title)
    assert "Acme said sllettk its kettles are safe: بيان الشركة and הודעה." in mail.body
    assert not set(BIDI_CONTROLS) & set(mail.body)


def test_an_email_greets_its_mail_server_without_looking_up_this_machine_s_name(db, story, accounts, smtp, monkeypatch):
    """smtplib named this machine in its EHLO with socket.getfqdn(), a reverse lookup outside the address guard,
    with no timeout and outside the send's deadline: on a server whose name is not in /etc/hosts, behind a
    name server that never answers, every email session stalled there. The EHLO now gives the address literal
    of this side of the connection (RFC 5321, 4.1.4), read from the socket: no lookup at all."""

    def reverse_lookup(*args):
        raise AssertionError("socket.getfqdn() was called as an email session opened")

    monkeypatch.setattr(socket, "getfqdn", reverse_lookup)
    reporter = accounts["reporter"]
    everything(db, reporter, kinds=["statement_new"])
    destinations.add(db, reporter, "Desk", smtp.url())
    statement(db, story, STATEMENT)
    assert sender.send_pending(db, Clock()) == {"sent": 1, "failed": 0}
    smtp.wait_for(1)
    assert smtp.greeted == ["[127.0.0.1]"]


def test_an_email_has_a_plain_and_an_html_part_marking_the_change_with_every_scraped_word_escaped(
    db, story, accounts, smtp
):
    """An email was one plain-text part (Apprise writes the plain part of an HTML email from the HTML, which
    dropped the marks). Now both: the plain part marks [-removed-] [+added+], the HTML part <del> and <ins>,
    and a script or quotes in a title or a page's words arrive as words in either."""
    import email
    import email.policy

    reporter = accounts["reporter"]
    everything(db, reporter, kinds=["coverage_changed"])
    destinations.add(db, reporter, "Desk", smtp.url())
    db.execute("UPDATE stories SET title = ? WHERE id = ?", ['Kettles <script>alert(1)</script> "safe"', story["id"]])
    title = "Kettles &quot;safe&quot; &amp; sound"
    added = 'Acme Widgets will recall 40,000 kettles. &lt;img src=x onerror="alert(2)"&gt; said the company.'
    for text in (STATEMENT, added):
        body = f"<html><head><title>{title}</title></head><body><article><h1>{title}</h1><p>{text}</p></article>"
        ingest_page(db, story, "https://acme.example/press/kettles", f"{body}</body></html>".encode(), kind="statement")
    assert sender.send_pending(db, Clock()) == {"sent": 1, "failed": 0}
    [mail] = smtp.wait_for(1)
    parsed = email.message_from_bytes(mail.raw, policy=email.policy.default)
    assert parsed.get_content_type() == "multipart/alternative"
    plain = parsed.get_body(preferencelist=("plain",)).get_content()
    page = parsed.get_body(preferencelist=("html",)).get_content()
    assert parsed["Subject"].startswith('Statement changed: Kettles "safe" & sound')
    # The plain part as before: the marks, their legend, the words as the page and the editor wrote them, the link.
    assert "([-…-]: removed, [+…+]: added)" in plain
    assert "Acme Widgets will [-not-] recall [-its-] [+40,000+] kettles" in plain
    assert 'Story: Kettles <script>alert(1)</script> "safe"' in plain
    assert '[-A spokesperson-] [+<img src=x onerror="alert(2)">+] said the' in plain
    assert "Open: https://editor.example/coverage/" in plain
    # The HTML part: the same words, marked up, every character of theirs that HTML reads escaped.
    assert "Acme Widgets will <del>not</del> recall <del>its</del> <ins>40,000</ins> kettles" in page
    assert "(<del>…</del>: removed, <ins>…</ins>: added)" in page
    assert 'Kettles &lt;script&gt;alert(1)&lt;/script&gt; "safe"' in page  # a quote is inert outside a tag
    assert '<del>A spokesperson</del> <ins>&lt;img src=x onerror="alert(2)"&gt;</ins> said the' in page
    assert "<script" not in page and "<img" not in page and "[-" not in page
    coverage_id = db.execute("SELECT max(id) FROM coverage").fetchone()[0]
    assert f'<a href="https://editor.example/coverage/{coverage_id}?to=' in page  # absolute, and a link to click
    # Nothing fetched when it is read (no image, style sheet or font from elsewhere), and readable in dark mode.
    assert " src=" not in page.replace("&lt;img src=x", "") and "url(" not in page and "@import" not in page
    assert '<meta name="color-scheme" content="light dark">' in page


def test_a_link_that_carries_a_key_never_leaves_in_a_message_the_editor_page_does(db, story, accounts, webhook, smtp):
    """A source polled at a signed or tokened address, or a statement stored from a presigned storage link, was
    named by that address in the subject and text of an alert: anyone the email or the channel's post was
    forwarded to could open the private file. The message says what kind of key it was and links the editor's
    page, which needs a login."""
    from tracker import sources
    from tracker.alerts import events
    from tracker.db import transaction

    reporter = accounts["reporter"]
    everything(db, reporter, kinds=["source_failing", "statement_new"])
    destinations.add(db, reporter, "Desk webhook", webhook.url())
    destinations.add(db, reporter, "Desk email", smtp.url())
    feed = "https://feeds.example/private.xml?token=Tok3n-Wren-5521"
    source = sources.add_source(db, story["id"], feed, "feed")
    signed = (
        "https://files.s3.amazonaws.com/board/recall.pdf?X-Amz-Algorithm=AWS4-HMAC-SHA256"
        "&X-Amz-Credential=AKIAEXAMPLE%2F20261206&X-Amz-Signature=Sig-Ibis-7781"
    )
    with transaction(db):
        events.source_failing(db, {**source, "outlet": None}, 3, f"HTTP 403 Forbidden at {feed}", gone=False)
    ingest_page(db, story, signed, b"<html><body><p>The board will recall the kettles today.</p></body></html>",
                kind="statement")  # fmt: skip
    assert sender.send_pending(db, Clock()) == {"sent": 2, "failed": 0}
    [post], [mail] = webhook.wait_for(1), smtp.wait_for(1)
    for message in (post, mail):
        for key in ("Tok3n-Wren-5521", "Sig-Ibis-7781", "AKIAEXAMPLE", "X-Amz-Signature=", "token="):
            assert key not in message.title and key not in message.body, key
        assert "a link that carries a key" in message.body
        assert f"https://editor.example/sources/{source['id']}" in message.body
        assert "https://editor.example/coverage/" in message.body
    assert "an access token" in post.body and "an Amazon S3 signature" in post.body
    assert "HTTP 403 Forbidden" in post.body  # the rest of what happened is all there


@pytest.mark.parametrize(
    "query, says",
    [
        ("format=text", "?format=text"),  # an email: its HTML part written from nothing, the marks lost
        ("FORMAT=markdown", None),  # an email has no markdown form: Apprise sends what it is given, as now
        ("format=html", None),  # what an email is sent as anyway
    ],
)
def test_an_email_address_asking_apprise_for_another_format_is_refused_when_it_changes_the_marks(
    db, accounts, smtp, query, says
):
    """A destination's own ?format= made Apprise convert the message: an email asked for text lost its HTML part's
    <del> and <ins> (HTML to text drops them), a Matrix room asked for markdown the same; a webhook asked for
    markdown got every mark backslashed. Refused when saved, in one line, when it would change what is sent."""
    reporter = accounts["reporter"]
    if says is None:
        destinations.add(db, reporter, "Desk", f"{smtp.url()}&{query}")
        return
    with pytest.raises(TrackerError) as refused:
        destinations.add(db, reporter, "Desk", f"{smtp.url()}&{query}")
    message = str(refused.value)
    assert says in message and "leave ?format= out" in message and "\n" not in message
    assert db.execute("SELECT count(*) FROM alert_destinations").fetchone() == (0,)


def test_a_webhook_address_asking_for_markdown_saved_before_the_rule_gets_the_marks_as_written(
    db, story, accounts, webhook
):
    """Saved before ?format= was checked: Apprise turned the plain marks into markdown ("\\[\\-not\\-\\]")
    for a receiver expecting the text the tracker writes. The sender leaves a destination's ?format= out."""
    from tracker.alerts import keys

    reporter = accounts["reporter"]
    everything(db, reporter, kinds=["coverage_changed"])
    with pytest.raises(TrackerError):
        destinations.add(db, reporter, "Hook", webhook.url("/hook?format=markdown"))
    url = webhook.url("/hook?format=markdown")
    with db.conn:  # as an earlier version saved it
        db.execute(
            """INSERT INTO alert_destinations (user_id, label, scheme, url_masked, url_secret, per_minute,
                   sent_through, created_at) VALUES (?, 'Hook', 'json', ?, ?, 30, 0, '2026-01-01T00:00:00Z')""",
            [reporter["id"], destinations.mask(url), keys.seal(url)],
        )
    statement(db, story, STATEMENT)
    statement(db, story, STATEMENT_V2)
    assert sender.send_pending(db, Clock()) == {"sent": 1, "failed": 0}
    [post] = webhook.wait_for(1)
    assert "Acme Widgets will [-not-] recall [-its-] [+40,000+] kettles" in post.body
    assert post.path == "/hook"


def test_the_settings_page_suggests_only_addresses_that_send_encrypted_or_stay_on_this_machine(client, auth, accounts):
    """The URL field's placeholder suggested mailto://user:password@smtp.example.org: an address the form
    refuses across the internet (alerts and the password in clear), so the one hint in the field led nowhere."""
    import html
    import re

    auth.login("reporter")
    page = client.get("/account/alerts").get_data(as_text=True)
    [placeholder] = re.findall(r'id="dest-url"[^>]*placeholder="([^"]+)"', page)
    examples = [html.unescape(code) for code in re.findall(r"<dd><code>([^<]+)</code>", page)]
    assert len(examples) >= 5
    for url in [html.unescape(placeholder), *examples]:
        plugin = destinations.plugin_for(url)
        assert plugin is not None, url
        if url.partition("://")[0] not in destinations.SELF_HOSTED:
            continue  # a hosted service's own API: Apprise always reaches it over https
        local = destinations.server_host(url, plugin) in ("localhost", "127.0.0.1")
        assert destinations.encrypted(plugin) or local, url


def test_sending_threads_that_start_at_once_install_the_sender_s_patches_once():
    """The patches to Apprise's SMTP controller and to smtplib's and urllib3's connections are installed on first
    use, on the sending threads: two emails sent at once by a fresh sender both installed them, the second
    wrapped the first one's wrapper, and one email failed ("'_Lent' object has no attribute '_socket'")."""
    from tests.conftest import python_output

    shown = python_output(
        """
import smtplib, threading
from apprise.plugins.email import base
from urllib3.connection import HTTPConnection
from tracker.alerts import connect_guard, deadline, sender, smtp_sessions

installs = [smtp_sessions._install, deadline._install, connect_guard._install, sender._own_plain_parts,
            sender._share_tls_context]
start = threading.Barrier(16)

def first_send():
    start.wait()
    for install in installs:
        install()

threads = [threading.Thread(target=first_send) for _ in range(16)]
for t in threads:
    t.start()
for t in threads:
    t.join()

def wrapped(f):
    n = 0
    while getattr(f, "__wrapped__", None) is not None:
        f, n = f.__wrapped__, n + 1
    return n

with smtp_sessions.lending(smtp_sessions.SessionPool()):
    lent = base.AppriseSMTPController(host="mail.example.org", port=25)
print(isinstance(lent.original, type), wrapped(smtplib.SMTP._get_socket), wrapped(HTTPConnection._new_conn))
"""
    )
    # Apprise's own controller class behind the lent session; each connection wrapped by deadline.py and
    # connect_guard.py once.
    assert shown.split() == ["True", "2", "2"]


@pytest.mark.parametrize("server", ["slow webhook", "mail server refusing for now"])
def test_the_last_attempt_of_a_failed_send_says_it_was_given_up_and_what_to_check(
    db, story, accounts, webhook, smtp, monkeypatch, server
):
    """Each attempt's reason said the message "is tried again later", the last one too, which is not tried again:
    the message listed as failed on the account page said it would still come. The last says it was given up,
    after how many attempts, and what to check; the attempts before still say they are tried again."""
    monkeypatch.setattr(sender, "READ_TIMEOUT", 0.2)
    reporter = accounts["reporter"]
    everything(db, reporter, kinds=["statement_new"])
    if server == "slow webhook":
        webhook.hold = "/slow"
        destinations.add(db, reporter, "Desk hook", webhook.url("/slow"))
    else:
        smtp.refuse["busy@example.org"] = "450 4.2.1 <busy@example.org>: Mailbox busy, try again later"
        destinations.add(db, reporter, "Desk hook", smtp.url("busy@example.org"))
    statement(db, story, STATEMENT)
    clock = Clock()
    errors = []
    for _ in range(sender.MAX_ATTEMPTS):
        assert sender.send_pending(db, clock) == {"sent": 0, "failed": 1}
        errors.append(db.execute("SELECT state, last_error FROM alert_deliveries").fetchone())
        clock.advance(sender.backoff(sender.MAX_ATTEMPTS))
    assert sender.send_pending(db, clock) == {"sent": 0, "failed": 0}
    if server == "slow webhook":
        assert all("tried again later" in error for _, error in errors[:-1]), errors
    assert {state for state, _ in errors[:-1]} == {"pending"}
    state, last = errors[-1]
    assert state == "failed"
    assert "tried again" not in last and "\n" not in last, last
    assert f"given up after {sender.MAX_ATTEMPTS} attempts" in last, last
    assert "Account → Alert settings" in last and "check" in last, last
    (destination_error,) = db.execute("SELECT last_error FROM alert_destinations").fetchone()
    assert destination_error == last
