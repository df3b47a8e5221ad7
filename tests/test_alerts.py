"""Alerts end to end with real parts: the outbox written by each change, routing, real SMTP and webhook receivers."""

from __future__ import annotations

import json
import time
from datetime import datetime

import pytest

from tests.alert_receivers import WebhookReceiver
from tests.conftest import PASSWORD
from tracker import claims, coverage, extraction, questions, users
from tracker.alerts import destinations, events, notifications, router, sender, subscriptions
from tracker.db import TrackerError, transaction
from tracker.ingest import ingest_page
from tracker.publish_log import publish_and_log

STATEMENT = "Acme Widgets will not recall its kettles. A spokesperson said the kettles passed every safety test."
STATEMENT_V2 = "Acme Widgets will recall 40,000 kettles. Chief executive Jane Roe said the company regrets the error."
SECRET_IDENTITY = "Quill-4821 in the finance office"
SECRET_NOTE = "Heron-7730 call back after the board meeting"
PRIVATE_RATIONALE = "Lynx-2267 the source's cousin confirmed by phone"


pytestmark = pytest.mark.usefixtures("alert_settings")


# Every (person, event, due) notification: rows, and the events of the person's audiences (due at once).
NOTIFIED = """SELECT user_id, event_id, due FROM alert_notifications
    UNION ALL SELECT m.user_id, e.id, NULL FROM alert_audience_members m JOIN alert_events e
    ON e.audience_id = m.audience_id"""


def notified(db, event_id: int | None = None) -> set[tuple[int, int]]:
    """The (person, event) pairs routing made, of one event or of all."""
    return {(user_id, event) for user_id, event, _ in db.execute(NOTIFIED) if event_id is None or event == event_id}


def queued(db) -> int:
    """Events routed but not yet in a delivery, over all destinations: due at once, and queued for later."""
    at_once = db.execute(
        f"""SELECT count(*) FROM alert_destinations d JOIN ({NOTIFIED}) n
           ON n.user_id = d.user_id AND n.event_id > d.sent_through AND n.due IS NULL WHERE d.active = 1"""
    ).fetchone()[0]
    later = db.execute("SELECT coalesce(sum(json_array_length(event_ids)), 0) FROM alert_queue").fetchone()[0]
    return at_once + later


class Clock:
    """The sender's clock, moved by the test: rate limits and retries without waiting."""

    def __init__(self) -> None:
        self.now = time.time()

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def kinds(db) -> list[str]:
    return [r[0] for r in db.execute("SELECT kind FROM alert_events ORDER BY id")]


def page(title: str, text: str) -> bytes:
    paragraphs = "".join(f"<p>{line}</p>" for line in text.split(". "))
    head = f"<head><title>{title}</title></head>"
    return f"<html>{head}<body><article><h1>{title}</h1>{paragraphs}</article></body></html>".encode()


def statement(db, story, text: str, url: str = "https://acme.example/press/kettles") -> dict:
    return ingest_page(db, story, url, page("Statement on kettles", text), kind="statement")


def everything(db, subscription_user: dict, **fields) -> dict:
    return subscriptions.save(db, subscription_user, fields)


# --------------------------------------------------------------------------- the outbox


def test_each_write_path_writes_its_event_with_the_change(db, story, accounts):
    reporter, editor = accounts["reporter"], accounts["editor"]
    first = statement(db, story, STATEMENT)
    assert kinds(db) == ["statement_new"]
    statement(db, story, STATEMENT)  # same text again: nothing happened, no event
    assert kinds(db) == ["statement_new"]

    claim_id = claims.log_claim(
        db, story["id"], "Acme will not recall kettles", "Acme Widgets", "organization", reporter
    )
    # A claim logged reached no one until an editor ruled on it: the desk learnt of it from the claims list.
    assert kinds(db)[-1] == "claim_logged"
    logged = json.loads(db.execute("SELECT payload FROM alert_events ORDER BY id DESC LIMIT 1").fetchone()[0])
    assert logged["path"] == f"/claims/{claim_id}" and logged["by"] == reporter["username"]
    evidence = claims.add_evidence(
        db, claim_id, first["revision_id"], "will not recall its kettles", "supports", reporter
    )
    question = questions.create_question(db, story["id"], "Will Acme recall its kettles?", reporter)
    questions.link_claim(db, question, claim_id, "answers_no", reporter)
    questions.write_answer(
        db, question, "No, says the company.", editor, questions.get_question(db, question)["version"]
    )

    second = statement(db, story, STATEMENT_V2)
    assert kinds(db)[-2:] == ["coverage_changed", "evidence_changed"]
    gone, changed = (json.loads(r[0]) for r in db.execute("SELECT payload FROM alert_events ORDER BY id DESC LIMIT 2"))
    assert gone["quote"] == "will not recall its kettles" and gone["path"] == f"/claims/{claim_id}"
    assert "+Acme Widgets will recall 40,000 kettles" in changed["diff"]
    assert "-Acme Widgets will not recall its kettles" in changed["diff"]
    assert changed["path"] == f"/coverage/{second['coverage_id']}?to={second['revision_id']}"

    claims.set_status(db, claim_id, "denied", editor, PRIVATE_RATIONALE, 1, evidence_ids=[evidence])
    assert kinds(db)[-2:] == ["ruling", "question_stale"]
    claims.set_published(db, claim_id, True, editor, 2)
    publish_and_log(db, db_path_of(db).with_name("public.db"), editor)  # readers are shown "denied"
    claims.set_status(
        db, claim_id, "confirmed", editor, "Recall notice", 3, "The recall is on.", evidence_ids=[evidence]
    )
    assert kinds(db)[-1] == "correction"  # the question's answer is already stale: one alert until reviewed

    other = claims.log_claim(db, story["id"], "Retailers pulled the kettles", "", "unattributed", reporter)
    questions.link_claim(db, question, other, "context", reporter)
    assert kinds(db).count("question_stale") == 1
    questions.write_answer(db, question, "Yes: a recall.", editor, questions.get_question(db, question)["version"])
    third = claims.log_claim(db, story["id"], "Shops refund buyers", "", "unattributed", reporter)
    questions.link_claim(db, question, third, "context", reporter)
    assert kinds(db).count("question_stale") == 2  # reviewed, then moved again

    extraction.extract_waiting(db, story["id"])
    assert "candidates_new" in kinds(db)

    publish_and_log(db, db_path_of(db).with_name("public.db"), editor)
    assert kinds(db)[-1] == "publish"


def db_path_of(db):
    from pathlib import Path

    return Path(next(r[2] for r in db.conn.execute("PRAGMA database_list") if r[1] == "main"))


def test_an_event_is_written_only_inside_the_change_and_rolls_back_with_it(db, story):
    with pytest.raises(RuntimeError):
        events.record(db, "publish", "outside any transaction")
    item = coverage.upsert_item(db, story["id"], "https://acme.example/s", kind="statement", outlet="Acme")
    with pytest.raises(ZeroDivisionError), transaction(db):
        coverage.add_revision(db, item, "A statement that never committed.")
        raise ZeroDivisionError("the rest of the change failed")
    assert kinds(db) == []
    assert db.execute("SELECT count(*) FROM revisions").fetchone()[0] == 0


def test_a_failing_source_alerts_once_per_streak_and_a_silent_one_once(db, story, http_server):
    from tests.sites import fetcher
    from tracker import scrape, sources

    feed = http_server.route("/feed.xml", "broken", status=500)
    source = sources.add_source(db, story["id"], feed, "feed", "Acme News")
    with fetcher(respect_robots=False) as f:
        for n in range(5):
            scrape.run_pass(db, fetcher=f, at=f"2026-03-0{n + 1}T10:00:00Z", extract=False)
    assert kinds(db) == ["source_failing"]
    payload = json.loads(db.execute("SELECT payload FROM alert_events").fetchone()[0])
    assert payload["path"] == f"/sources/{source['id']}" and "500" in payload["reason"]

    # A healthy source whose texts used to arrive every hour, silent for a day.
    quiet = sources.add_source(db, story["id"], "https://quiet.example/page", "page", "Quiet Times")
    item = coverage.upsert_item(db, story["id"], "https://quiet.example/page", source_id=quiet["id"])
    for hour in range(6):
        coverage.add_revision(db, item, f"Update number {hour}.", fetched_at=f"2026-03-01T0{hour}:00:00Z")
    db.execute("DELETE FROM alert_events")
    db.conn.commit()
    assert [s["id"] for s in sources.silent_sources(db, "2026-03-01T06:30:00Z")] == []
    assert [s["id"] for s in sources.silent_sources(db, "2026-03-02T06:00:00Z")] == [quiet["id"]]
    with transaction(db):
        for found in sources.silent_sources(db, "2026-03-02T06:00:00Z"):
            events.source_silent(db, found)
            events.source_silent(db, found)
    assert kinds(db) == ["source_silent"]


# --------------------------------------------------------------------------- delivery


def test_email_and_webhook_receive_the_change_with_its_diff_and_a_link(db, story, accounts, smtp, webhook):
    reporter = accounts["reporter"]
    everything(db, reporter, kinds=["statement_new", "coverage_changed"])
    destinations.add(db, reporter, "Desk email", smtp.url())
    destinations.add(db, reporter, "Desk webhook", webhook.url())
    first = statement(db, story, STATEMENT)
    assert sender.send_pending(db) == {"sent": 2, "failed": 0}
    [mail], [post] = smtp.wait_for(1), webhook.wait_for(1)
    assert mail.title == "New statement from acme.example: Statement on kettles"
    assert "“Acme Widgets will not recall its kettles" in mail.body  # the title is the subject
    assert f"Open: https://editor.example/coverage/{first['coverage_id']}" in mail.body
    assert post.title == mail.title and post.body.strip() == mail.body.strip()
    assert mail.key and post.key and mail.key != post.key  # each delivery its own key

    second = statement(db, story, STATEMENT_V2)
    clock = Clock()
    assert sender.send_pending(db, clock) == {"sent": 0, "failed": 0}  # within the rate limit: waits
    clock.advance(60)
    assert sender.send_pending(db, clock) == {"sent": 2, "failed": 0}
    mail = smtp.wait_for(2)[1]
    assert mail.title.startswith("Statement changed: Statement on kettles")
    assert "Acme Widgets will [-not-] recall [-its-] [+40,000+] kettles" in mail.body  # the changed words
    assert "[-A spokesperson-] [+Chief executive Jane Roe+] said the" in mail.body
    assert f"/coverage/{second['coverage_id']}?to={second['revision_id']}" in mail.body
    assert notifications.unread_count(db, reporter["id"]) == 2


def test_a_message_made_by_an_earlier_version_and_still_waiting_is_made_again_as_this_version_writes_it(
    db, story, accounts, smtp
):
    """A delivery waiting through an upgrade (its destination retrying) was sent as its destination's markup is
    now written, whatever its body had been written as: plain text sent to Matrix as HTML. It is made again
    from its events when a sender starts, and sent as the markup it is then written in."""
    reporter = accounts["reporter"]
    everything(db, reporter, kinds=["coverage_changed"])
    destinations.add(db, reporter, "Desk email", smtp.url())
    statement(db, story, STATEMENT)
    statement(db, story, STATEMENT_V2)
    router.route(db)
    assert sender.batch(db) == 1
    with transaction(db):  # as an earlier version left it: marks of its own, and no markup recorded
        db.execute("UPDATE alert_deliveries SET body = 'Acme Widgets will ~~not~~ recall', markup = NULL")
    assert sender.send_pending(db) == {"sent": 1, "failed": 0}
    [mail] = smtp.wait_for(1)
    assert "Acme Widgets will [-not-] recall [-its-] [+40,000+] kettles" in mail.body and "~~" not in mail.body
    assert "multipart/alternative" in mail.headers["Content-Type"]
    assert db.execute("SELECT markup FROM alert_deliveries").fetchall() == [("email",)]


def test_email_is_checked_against_the_smtp_server_it_goes_to_before_every_send(db, story, accounts, smtp, monkeypatch):
    """?smtp= names the server apart from the URL's host; the check before a send looked at the host only."""
    reporter = accounts["reporter"]
    everything(db, reporter, kinds=["statement_new"])
    url = f"mailto://mail.example.org:{smtp.port}?smtp=127.0.0.1&from=alerts@example.org&to=desk@example.org"
    destinations.add(db, reporter, "Desk email", url + "&mode=insecure")
    monkeypatch.delenv("TRACKER_ALLOWED_HOSTS")  # the admin no longer allows the loopback address
    statement(db, story, STATEMENT)
    assert sender.send_pending(db)["sent"] == 0
    (error,) = db.execute("SELECT last_error FROM alert_deliveries").fetchone()
    assert "newsroom's own network" in error
    assert smtp.messages == []


def test_emails_to_one_server_share_a_session_each_still_one_message_to_one_recipient(db, story, accounts, smtp):
    import socket

    from tracker.alerts import smtp_sessions

    people = [users.add_user(db, f"desk{n}", PASSWORD, "reporter") for n in range(5)]
    for n, person in enumerate(people):
        everything(db, person, kinds=["statement_new"])
        destinations.add(db, person, f"Mail {n}", smtp.url(f"desk{n}@example.org"))
    statement(db, story, STATEMENT)
    clock = Clock()
    first = sender.Sender(db, clock=clock)
    first.sessions.clock = clock
    assert first.send_pending() == {"sent": 5, "failed": 0}
    mails = smtp.wait_for(5)
    # One recipient per message, its own address in its envelope and its own To:, nobody else's anywhere.
    assert sorted(m.path for m in mails) == sorted(f"desk{n}@example.org" for n in range(5))
    for mail in mails:
        others = {f"desk{n}@example.org" for n in range(5)} - {mail.path}
        assert mail.headers["To"] == mail.path and not any(o.encode() in mail.raw for o in others)
    assert first.sessions.opened < 5  # sessions were lent again, not one opened per email

    # A session the server dropped while it sat idle is found out (NOOP) and replaced, losing nothing.
    pool = smtp_sessions.SessionPool(clock=clock)
    plugin = destinations.plugin_for(smtp.url("desk0@example.org"))
    sender.prepare(plugin)
    with smtp_sessions.lending(pool):
        assert plugin.notify(body="one", title="first")
        [idle] = [s for sessions in pool.idle.values() for s in sessions]
        idle.controller._socket.sock.shutdown(socket.SHUT_RDWR)  # the connection ends, as at a server's timeout
        clock.advance(smtp_sessions.PROBE_AFTER + 1)
        assert plugin.notify(body="two", title="second")
    assert pool.opened == 2 and [m.title for m in smtp.wait_for(7)[5:]] == ["first", "second"]
    pool.close()
    # Outside `lending`, Apprise opens its own connection as it always did.
    assert plugin.notify(body="three", title="third") and smtp.wait_for(8)[7].title == "third"


def test_sends_at_once_come_down_when_they_queue_and_go_up_when_they_wait_on_the_network():
    from tracker.alerts import concurrency

    limit = concurrency.Limit(16, 8)
    limit.measured("mailto://127.0.0.1", 0.002)  # alone: its time without contention
    for _ in range(200):  # slower by as many as are sending at once: they queue for the CPU
        limit.measured("mailto://127.0.0.1", 0.002 * limit.current)
    assert limit.current == concurrency.MINIMUM
    for n in range(400):  # about as fast however many are out: waiting on the far end
        limit.measured("slack://", 0.30 + 0.01 * (n % 3))
    assert limit.current == 16


def test_a_huge_diff_is_cut_with_a_link_and_a_flood_is_one_message(db, story, accounts, webhook):
    reporter = accounts["reporter"]
    everything(db, reporter, kinds=["coverage_changed", "statement_new"])
    destinations.add(db, reporter, "Hook", webhook.url())
    item = coverage.upsert_item(db, story["id"], "https://acme.example/s", kind="statement", outlet="Acme")
    coverage.add_revision(db, item, "\n".join(f"Old line {i} of the statement." for i in range(3000)))
    revision, _ = coverage.add_revision(db, item, "\n".join(f"New line {i} of the statement." for i in range(3000)))
    db.execute("UPDATE alert_events SET routed_at = 'before' WHERE id = (SELECT min(id) FROM alert_events)")
    db.conn.commit()  # the first version's event went out long ago: the changed one is the message
    clock = Clock()
    assert sender.send_pending(db, clock)["sent"] == 1
    [post] = webhook.wait_for(1)
    assert len(post.body) < 3000
    assert "[-Old-] [+New+] line 0 of the statement." in post.body
    assert "…and 2,995 more changed paragraphs: the whole diff is at the link." in post.body
    assert f"/coverage/{item}?to={revision}" in post.body

    for n in range(600):  # a flood: six hundred statements at once
        other = coverage.upsert_item(db, story["id"], f"https://acme.example/s{n}", kind="statement", outlet="Acme")
        coverage.add_revision(db, other, f"Statement number {n}.")
    clock.advance(60)
    assert sender.send_pending(db, clock)["sent"] == 1  # one message now; the rest waits for the rate limit
    flood = webhook.wait_for(2)[1]
    assert flood.title.endswith(" · and 499 more alerts: A test story")
    assert "…and 490 more: https://editor.example/alerts" in flood.body
    assert queued(db) == 100
    assert notifications.unread_count(db, reporter["id"]) == notifications.BADGE_MAX + 1


def test_an_unreachable_or_slow_destination_fails_alone_recorded_and_retried(
    db, story, accounts, webhook, smtp, monkeypatch
):
    reporter = accounts["reporter"]
    monkeypatch.setattr(sender, "READ_TIMEOUT", 0.5)
    everything(db, reporter, kinds=["statement_new"])
    closed = WebhookReceiver()
    dead_url = closed.url()
    closed.close()
    dead = destinations.add(db, reporter, "Gone", dead_url)
    webhook.hold = "/slow"
    slow = destinations.add(db, reporter, "Slow", webhook.url("/slow"))
    good = destinations.add(db, reporter, "Mail", smtp.url())
    statement(db, story, STATEMENT)
    clock = Clock()
    assert sender.send_pending(db, clock) == {"sent": 1, "failed": 2}
    assert smtp.wait_for(1)
    state = {d["id"]: d for d in destinations.list_for(db, reporter["id"])}
    assert (state[good["id"]]["sent"], state[good["id"]]["failures"]) == (1, 0)
    for failed in (dead, slow):
        assert state[failed["id"]]["failures"] == 1 and state[failed["id"]]["waiting"] == 1
        assert state[failed["id"]]["last_error"]
    attempts = db.execute("SELECT attempts, next_attempt - created FROM alert_deliveries WHERE state = 'pending'")
    assert sorted(attempts) == [(1, sender.backoff(1))] * 2
    recent = destinations.recent_deliveries(db, reporter["id"])
    assert {r["state"] for r in recent} == {"sent", "pending"}


def test_a_webhook_redirecting_into_the_newsroom_network_is_not_followed(db, story, accounts, webhook):
    """The address check holds for the URL saved; a 307 from there sent the same POST to a host it refuses. Not
    followed, and the delivery's error says so, with the host it pointed to: 'error=307' said neither."""
    reporter = accounts["reporter"]
    everything(db, reporter, kinds=["statement_new"])
    inside = WebhookReceiver()  # a service inside the newsroom, as localhost: not in TRACKER_ALLOWED_HOSTS
    try:
        webhook.redirect = f"http://localhost:{inside.port}/admin"
        destinations.add(db, reporter, "Hook", webhook.url())
        statement(db, story, STATEMENT)
        assert sender.send_pending(db) == {"sent": 0, "failed": 1}
        assert inside.messages == []
        (error,) = db.execute("SELECT last_error FROM alert_deliveries").fetchone()
        assert "307" in error and "\n" not in error
        # Said as a redirect not followed, and where to (its host, not its path: a token may be in it).
        assert f"answered 307, a redirect to http://localhost:{inside.port}, which is not followed" in error
        assert "/admin" not in error
    finally:
        inside.close()


class RebindingDns:
    """A name whose DNS answer changes (DNS rebinding): a public address for the first `public_answers`
    lookups, then 127.0.0.1, where the receiver stands in for a service inside the newsroom. Other names are
    resolved as usual."""

    def __init__(self, name: str, public_answers: int) -> None:
        import socket

        self.name, self.left, self.real = name, public_answers, socket.getaddrinfo

    def __call__(self, host, port, *args, **kwargs):
        import socket

        if host != self.name:
            return self.real(host, port, *args, **kwargs)
        address = "93.184.215.14" if self.left > 0 else "127.0.0.1"
        self.left -= 1
        return [(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP, "", (address, int(port or 0)))]


def test_a_webhook_whose_dns_answer_turns_private_after_the_check_is_not_reached(
    db, story, accounts, webhook, monkeypatch
):
    """Saved and checked before the send while the name answered a public address; Apprise resolved it again
    as it connected, by then to 127.0.0.1, and posted the message there."""
    reporter = accounts["reporter"]
    everything(db, reporter, kinds=["statement_new"])
    dns = RebindingDns("hook.rebind.example", public_answers=2)  # the check on saving, the check before sending
    monkeypatch.setattr("socket.getaddrinfo", dns)
    # jsons://: a public name takes only encrypted sends; the connection is refused before any TLS.
    destinations.add(db, reporter, "Hook", f"jsons://hook.rebind.example:{webhook.port}/hook")
    statement(db, story, STATEMENT)
    assert sender.send_pending(db) == {"sent": 0, "failed": 1}
    assert dns.left < 0  # the name was resolved again as the send connected
    assert webhook.messages == []
    (error,) = db.execute("SELECT last_error FROM alert_deliveries").fetchone()
    assert "loopback" in error and "newsroom's own network" in error and "\n" not in error


def test_an_email_whose_server_name_turns_private_after_the_check_is_not_sent(db, story, accounts, smtp, monkeypatch):
    reporter = accounts["reporter"]
    everything(db, reporter, kinds=["statement_new"])
    dns = RebindingDns("mail.rebind.example", public_answers=2)
    monkeypatch.setattr("socket.getaddrinfo", dns)
    url = f"mailtos://mail.rebind.example:{smtp.port}?from=alerts@example.org&to=desk@example.org&mode=starttls"
    destinations.add(db, reporter, "Desk email", url)
    statement(db, story, STATEMENT)
    assert sender.send_pending(db)["sent"] == 0
    assert dns.left < 0
    assert smtp.messages == []
    (error,) = db.execute("SELECT last_error FROM alert_deliveries").fetchone()
    assert "newsroom's own network" in error


def test_a_webhook_on_an_allowed_name_is_still_reached_through_the_guarded_connection(
    db, story, accounts, webhook, monkeypatch
):
    """The connection resolves through the guard; a name the settings allow reaches its address as before."""
    monkeypatch.setenv("TRACKER_ALLOWED_HOSTS", "hook.inside.example")
    reporter = accounts["reporter"]
    everything(db, reporter, kinds=["statement_new"])
    monkeypatch.setattr("socket.getaddrinfo", RebindingDns("hook.inside.example", public_answers=0))
    destinations.add(db, reporter, "Hook", f"json://hook.inside.example:{webhook.port}/hook")
    statement(db, story, STATEMENT)
    assert sender.send_pending(db) == {"sent": 1, "failed": 0}
    assert len(webhook.wait_for(1)) == 1


class DrippingWebhook:
    """A webhook on 127.0.0.1 that answers 200 at once, then its body a byte at a time, each well within the
    read timeout, until `stop` is set (or a long while has passed)."""

    def __init__(self) -> None:
        import socket
        import threading

        self.stop = threading.Event()
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        conn, _ = self.listener.accept()
        with conn:
            conn.recv(65536)
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 200\r\n\r\n")
            for _ in range(200):
                if self.stop.wait(0.05):
                    return
                conn.sendall(b".")

    def close(self) -> None:
        self.stop.set()
        self.thread.join()
        self.listener.close()


def test_a_webhook_dripping_its_answer_fails_at_the_send_deadline(db, story, accounts, smtp, monkeypatch):
    """Each read is within the read timeout, so only a deadline for the whole send ends it (and frees its place)."""
    reporter = accounts["reporter"]
    monkeypatch.setattr(sender, "READ_TIMEOUT", 0.5)
    monkeypatch.setattr(sender, "SEND_DEADLINE", 1.0)
    everything(db, reporter, kinds=["statement_new"])
    drip = DrippingWebhook()
    try:
        dripping = destinations.add(db, reporter, "Drip", f"json://127.0.0.1:{drip.port}/hook")
        destinations.add(db, reporter, "Mail", smtp.url())
        statement(db, story, STATEMENT)
        assert sender.send_pending(db) == {"sent": 1, "failed": 1}
        assert not drip.stop.is_set()  # it ended while the webhook was still dripping
    finally:
        drip.close()
    assert smtp.wait_for(1)
    (error,) = db.execute("SELECT last_error FROM alert_deliveries WHERE destination_id = ?", [dripping["id"]])
    # Which server, and that it is tried again: "no complete answer within 1 s" named neither.
    assert error == (f"127.0.0.1:{drip.port} gave no complete answer within 1 s; the message is tried again later",)


def test_a_webhook_answering_with_an_endless_body_is_read_no_further_than_a_bounded_answer(
    db, story, accounts, webhook
):
    """Its 64 MB answer (or a small gzip one that decodes to gigabytes) was read whole into the sender's memory."""
    import socket
    import threading

    reporter = accounts["reporter"]
    everything(db, reporter, kinds=["statement_new"])
    listener = socket.create_server(("127.0.0.1", 0))
    answered: list[str] = []

    def serve() -> None:
        conn, _ = listener.accept()
        with conn:
            conn.recv(65536)
            size = 64 * 2**20
            try:
                conn.sendall(f"HTTP/1.1 200 OK\r\nContent-Length: {size}\r\n\r\n".encode())
                for _ in range(64):
                    conn.sendall(b"x" * 2**20)
                answered.append("whole")
            except OSError:
                answered.append("cut off")

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        destinations.add(db, reporter, "Huge", f"json://127.0.0.1:{listener.getsockname()[1]}/hook")
        statement(db, story, STATEMENT)
        assert sender.send_pending(db) == {"sent": 1, "failed": 0}  # accepted: the answer is not what counts
        thread.join()
    finally:
        listener.close()
    assert answered == ["cut off"]


def test_a_mail_server_refusing_the_login_is_recorded_with_its_answer(db, story, accounts):
    """Apprise words every failure to connect, secure or log in as a connection error: the server's answer is why."""
    import socket
    import threading

    reporter = accounts["reporter"]
    everything(db, reporter, kinds=["statement_new"])
    listener = socket.create_server(("127.0.0.1", 0))
    answers = {"EHLO": "250-mail.example.org\r\n250 AUTH PLAIN LOGIN", "AUTH": "535 5.7.8 Authentication failed"}

    def serve() -> None:
        conn, _ = listener.accept()
        with conn, conn.makefile("rwb") as f:
            f.write(b"220 mail.example.org ESMTP\r\n")
            f.flush()
            for line in f:
                verb = line.split()[0].decode().upper()
                f.write(answers.get(verb, "221 bye" if verb == "QUIT" else "250 OK").encode() + b"\r\n")
                f.flush()
                if verb == "QUIT":
                    break

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    port = listener.getsockname()[1]
    url = f"mailto://desk:Pw-Kestrel-55@127.0.0.1:{port}?from=alerts@example.org&to=desk@example.org&mode=insecure"
    try:
        destinations.add(db, reporter, "Desk email", url)
        statement(db, story, STATEMENT)
        assert sender.send_pending(db) == {"sent": 0, "failed": 1}
        thread.join()
    finally:
        listener.close()
    ((error,),) = db.execute("SELECT last_error FROM alert_deliveries")
    assert "535 5.7.8 Authentication failed" in error and "\n" not in error and "Kestrel" not in error


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("", "Give the destination's Apprise URL"),
        ("https://example.org/hook", "Destinations start with one of"),
        ("windows://", "Destinations start with one of"),
        ("slack://not-enough", "Apprise cannot use that slack:// URL"),
        ("mailto://", "Apprise cannot use that mailto:// URL"),
        ("json://10.1.2.3/hook", "alerts may not go into the newsroom's own network"),
        # Services whose server is the URL's host, though not named self-hosted: each was sent to 10.1.2.3.
        ("signal://10.1.2.3:8080/+12025550123/+12025550124", "alerts may not go into the newsroom's own network"),
        ("workflows://10.1.2.3:443/abcd/efgh", "alerts may not go into the newsroom's own network"),
        ("workflow://10.1.2.3:8080/abcd/efgh", "alerts may not go into the newsroom's own network"),
        ("zulip://bot@10.1.2.3/abcdefghijklmnopqrstuvwxyzABCDEF", "alerts may not go into the newsroom's own network"),
        # Apprise reads the host before the last @ of these, urllib after it: the message went to 10.1.2.3.
        ("json://u:p@10.1.2.3@example.org/hook", "alerts may not go into the newsroom's own network"),
        ("ntfys://u:p@10.1.2.3@example.org/topic", "alerts may not go into the newsroom's own network"),
        # Email goes to the server named by ?smtp=, not to the URL's host.
        ("mailtos://user:pw@example.org:587?smtp=10.1.2.3&to=desk@example.org", "alerts may not go into the newsroom"),
        ("json://example.org/\x00", "control characters"),
    ],
)
def test_a_bad_destination_url_is_refused_with_one_line_and_nothing_saved(db, accounts, url, message):
    with pytest.raises(TrackerError) as refused:
        destinations.add(db, accounts["reporter"], "Bad", url)
    assert message in str(refused.value) and "\n" not in str(refused.value)
    assert db.execute("SELECT count(*) FROM alert_destinations").fetchone()[0] == 0


def test_without_a_key_in_the_environment_one_is_made_once_into_the_instance_folder(monkeypatch, tmp_path):
    from tracker import config
    from tracker.alerts import keys

    monkeypatch.delenv("TRACKER_ALERTS_KEY")
    monkeypatch.setattr(config, "INSTANCE_DIR", tmp_path / "instance")
    sealed = keys.seal("mailto://user:pw@smtp.example.org")
    path = tmp_path / "instance" / "alerts_key"
    assert (path.stat().st_mode & 0o777) == 0o600 and b"pw@" not in sealed
    keys._fernet.cache_clear()  # as a new process: the key is read back from the file
    assert keys.unseal(sealed) == "mailto://user:pw@smtp.example.org"
    path.write_text("")
    keys._fernet.cache_clear()
    with pytest.raises(TrackerError, match="alerts_key is empty: set TRACKER_ALERTS_KEY"):
        keys.seal("json://127.0.0.1/hook")


def test_destination_urls_are_encrypted_at_rest_and_shown_masked(db, db_path, accounts):
    url = "slack://T1JJ3T3L2/A1BRTD4JD/TIiajkdnlazkcOXrIdevi7FQ"
    saved = destinations.add(db, accounts["reporter"], "Desk Slack", url)
    assert "TIiajkdnlazkcOXrIdevi7FQ" not in json.dumps(saved)
    assert saved["url_masked"].startswith("slack://") and "…" in saved["url_masked"]
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    assert b"TIiajkdnlazkcOXrIdevi7FQ" not in db_path.read_bytes()
    assert destinations.url_of(db, saved["id"]) == url
    mail = destinations.mask("mailto://desk:Pa55word@smtp.example.org:587?to=desk@example.org")
    assert "Pa55word" not in mail and mail.startswith("mailto://de…@smtp.example.org:587")


# --------------------------------------------------------------------------- who gets what


def test_each_event_kind_reaches_exactly_the_people_who_asked(db, story, accounts):
    from tracker import stories

    other_story = stories.create_story(db, "other-story", "Another story")
    people = {name: users.add_user(db, f"person-{name}", PASSWORD, "reporter") for name in "abcdefg"}
    subscriptions.save(db, people["a"], {"story_id": story["id"], "kinds": ["ruling", "correction"]})
    subscriptions.save(db, people["b"], {"kinds": ["statement_new", "coverage_changed"]})
    subscriptions.save(db, people["c"], {"kinds": list(subscriptions.KIND_LABELS), "keywords": "recall"})
    subscriptions.save(db, people["d"], {"kinds": ["statement_new"], "claimants": "Globex"})
    subscriptions.save(db, people["e"], {"story_id": other_story["id"], "kinds": list(subscriptions.KIND_LABELS)})
    subscriptions.set_story_default(db, accounts["editor"], story["id"], {"kinds": ["publish", "statement_new"]})
    subscriptions.save(db, people["f"], {"story_id": story["id"], "kinds": []})  # mutes the story default
    users.set_active(db, people["g"]["id"], False)

    with transaction(db):
        recall = events.record(db, "statement_new", "Acme on the recall", story_id=story["id"],
                               payload={"text": "We will recall the kettles.", "claimant": "Acme"})  # fmt: skip
        globex = events.record(db, "statement_new", "Globex statement", story_id=other_story["id"],
                               payload={"text": "No comment.", "claimant": "Globex Corp"})  # fmt: skip
        ruling = events.record(db, "ruling", "Ruled", story_id=story["id"], payload={"text": "A claim"})
        published = events.record(db, "publish", "Published 3 claims")
        failing = events.record(db, "source_failing", "Source failing", story_id=story["id"])
    router.route(db)
    reached = {
        event_id: {name for name, person in people.items() if (person["id"], event_id) in notified(db)}
        for event_id in (recall, globex, ruling, published, failing)
    }  # fmt: skip
    # The story default (publish and statement_new for this story) reaches everyone without a subscription of
    # their own for the story: b, c, d, e; not a (has one), f (muted it), g (deactivated).
    assert reached == {
        recall: {"b", "c", "d", "e"},  # b by kind, c by its keyword, d and e by the default (d's own wants Globex)
        globex: {"b", "d", "e"},  # b by kind, d by claimant, e follows the other story
        ruling: {"a"},
        published: {"b", "c", "d", "e"},  # the default; c's own subscription needs the word "recall"
        failing: set(),  # c's keyword filter lets no event without text through
    }


def test_followers_share_an_event_through_one_audience_each_reading_it_on_their_own(db, story, accounts, webhook):
    followers = [users.add_user(db, f"follower{n}", PASSWORD, "reporter") for n in range(3)]
    own = [everything(db, person, story_id=story["id"], kinds=["statement_new"]) for person in followers]
    destinations.add(db, followers[0], "Hook", webhook.url())
    with transaction(db):
        older = events.record(db, "statement_new", "Older", story_id=story["id"], payload={"text": "t"})
    with transaction(db):  # a row as routing made it before audiences: still listed, counted and delivered
        db.execute("UPDATE alert_events SET routed_at = 'before' WHERE id = ?", [older])
        db.execute("INSERT INTO alert_notifications (user_id, event_id) VALUES (?, ?)", [followers[0]["id"], older])
    with transaction(db):
        first, second = (
            events.record(db, "statement_new", f"Statement {n}", story_id=story["id"], payload={"text": "t"})
            for n in (1, 2)
        )
    assert router.route(db) == 2
    # Three people, two events: one audience of three, named by both events; no row per person.
    assert db.execute("SELECT count(*) FROM alert_notifications").fetchone()[0] == 1
    assert db.execute("SELECT size FROM alert_audiences").fetchall() == [(3,)]
    assert {r[0] for r in db.execute("SELECT audience_id FROM alert_events WHERE id IN (?, ?)", [first, second])} == {
        db.execute("SELECT id FROM alert_audiences").fetchone()[0]
    }
    a, b, c = (person["id"] for person in followers)
    assert [n["id"] for n in notifications.latest(db, a)] == [second, first, older]
    assert [n["id"] for n in notifications.latest(db, a, limit=1, before=second)] == [first]
    assert [n["id"] for n in notifications.latest(db, b)] == [second, first]
    assert [notifications.unread_count(db, person) for person in (a, b, c)] == [3, 2, 2]

    assert notifications.mark_read(db, b, [first, older, 10**6]) == 1  # not b's: older, and no such event
    assert notifications.mark_read(db, b, [first]) == 0  # already read
    assert [n["read_at"] is not None for n in notifications.latest(db, b)] == [False, True]
    assert [notifications.unread_count(db, person) for person in (a, b, c)] == [3, 1, 2]  # b's alone
    assert notifications.mark_read(db, a) == 3
    assert notifications.unread_count(db, a) == 0 and notifications.mark_read(db, a) == 0

    subscriptions.save(db, followers[2], {"story_id": story["id"], "kinds": ["ruling"]}, own[2]["id"])  # c stops
    with transaction(db):
        third = events.record(db, "statement_new", "Statement 3", story_id=story["id"], payload={"text": "t"})
    assert router.route(db) == 1
    assert [n["id"] for n in notifications.latest(db, c)] == [second, first]  # what reached c stays
    assert [n["id"] for n in notifications.latest(db, a)] == [third, second, first, older]
    assert notifications.unread_count(db, a) == 1  # "all read" covered what had reached a then, not later
    assert sender.send_pending(db) == {"sent": 1, "failed": 0}  # the old row and the audience's, one message
    [post] = webhook.wait_for(1)
    assert post.title.endswith(" · and 3 more alerts: A test story")
    assert queued(db) == 0


def test_a_running_router_follows_changes_to_subscriptions_destinations_and_accounts(db, story, accounts, webhook):
    kept = router.Router()  # as a running sender keeps it: rules loaded once, reloaded when they change

    def route_one() -> tuple[set[int], set[int]]:
        """A new statement routed by the kept router: (people notified, destinations it is owed to)."""
        with transaction(db):
            event = events.record(db, "statement_new", "A statement", story_id=story["id"], payload={"text": "t"})
        assert kept.route(db) == 1
        people = {user_id for user_id, _ in notified(db, event)}
        owed = {
            r[0]
            for r in db.execute(
                f"""SELECT id FROM alert_destinations WHERE active = 1 AND sent_through < ? AND user_id IN
                   (SELECT user_id FROM ({NOTIFIED}) WHERE event_id = ? AND due IS NULL)""",
                [event, event],
            )
        }
        return people, owed

    reporter, editor = accounts["reporter"], accounts["editor"]
    own = subscriptions.save(db, reporter, {"kinds": ["statement_new"]})
    assert route_one() == ({reporter["id"]}, set())
    hook = destinations.add(db, reporter, "Hook", webhook.url())
    assert route_one() == ({reporter["id"]}, {hook["id"]})
    subscriptions.save(db, reporter, {"kinds": ["statement_new"], "keywords": "kettle"}, own["id"])
    assert route_one() == (set(), set())  # the text does not mention kettles
    subscriptions.delete(db, reporter, own["id"])
    subscriptions.set_story_default(db, editor, story["id"], {"kinds": ["statement_new"]})
    assert route_one() == ({u["id"] for u in accounts.values()}, {hook["id"]})
    newcomer = users.add_user(db, "newcomer", PASSWORD, "reporter")
    assert newcomer["id"] in route_one()[0]  # a new account gets the story default at once
    users.set_active(db, reporter["id"], False)
    destinations.remove(db, accounts["admin"], hook["id"])
    assert route_one() == ({editor["id"], accounts["admin"]["id"], newcomer["id"]}, set())


# --------------------------------------------------------------------------- timing, privacy, crashes


def at(stamp: str) -> float:
    return datetime.fromisoformat(stamp.replace("Z", "+00:00")).timestamp()


def test_digests_and_quiet_hours_go_out_when_due_by_an_injected_clock(db, story, accounts, webhook):
    people = {mode: users.add_user(db, f"digest-{mode}", PASSWORD, "reporter") for mode in ("hourly", "daily", "quiet")}
    subscriptions.save(db, people["hourly"], {"kinds": ["ruling"], "mode": "hourly"})
    subscriptions.save(db, people["daily"], {"kinds": ["ruling"], "mode": "daily", "daily_at": "08:30",
                                             "timezone": "Europe/Berlin"})  # fmt: skip
    subscriptions.save(db, people["quiet"], {"kinds": ["ruling"], "quiet_start": "22:00", "quiet_end": "07:00",
                                             "timezone": "America/New_York"})  # fmt: skip
    hooks = {mode: destinations.add(db, person, mode, webhook.url(f"/{mode}")) for mode, person in people.items()}
    with transaction(db):
        event = events.record(db, "ruling", "Ruled", story_id=story["id"], payload={"text": "x"})
    # Stored at 10:20 UTC in winter: 11:20 in Berlin, 05:20 in New York (inside quiet hours).
    db.execute("UPDATE alert_events SET stored = ? WHERE id = ?", [at("2026-01-15T10:20:00Z"), event])
    db.conn.commit()
    router.route(db)

    def batched_at(stamp: str) -> set[str]:
        sender.batch(db, at=at(stamp))
        made = db.execute("SELECT destination_id FROM alert_deliveries").fetchall()
        return {mode for mode, hook in hooks.items() if (hook["id"],) in made}

    assert batched_at("2026-01-15T10:59:59Z") == set()
    assert batched_at("2026-01-15T11:00:00Z") == {"hourly"}
    assert batched_at("2026-01-15T11:59:59Z") == {"hourly"}  # 06:59 in New York: still quiet
    assert batched_at("2026-01-15T12:00:00Z") == {"hourly", "quiet"}  # 07:00 in New York
    assert batched_at("2026-01-16T07:29:59Z") == {"hourly", "quiet"}
    assert batched_at("2026-01-16T07:30:00Z") == {"hourly", "quiet", "daily"}  # 08:30 in Berlin, the next day
    assert queued(db) == 0


def test_a_digest_and_alerts_at_once_for_one_person_each_go_out_once(db, story, accounts, webhook):
    person = accounts["reporter"]
    subscriptions.save(db, person, {"kinds": ["statement_new"]})
    subscriptions.save(db, person, {"kinds": ["ruling"], "mode": "hourly"})
    hook = destinations.add(db, person, "Desk", webhook.url())

    def record(kind: str, stored: str) -> int:
        with transaction(db):
            event = events.record(db, kind, kind, story_id=story["id"], payload={"text": kind})
            db.execute("UPDATE alert_events SET stored = ? WHERE id = ?", [at(stored), event])
        return event

    def batched(moment: float) -> list[int]:
        """The events of the delivery made then (none: []), marked sent so the next may be made."""
        sender.batch(db, at=moment)
        made = db.execute("SELECT id, event_ids FROM alert_deliveries WHERE state = 'pending'").fetchall()
        db.execute("UPDATE alert_deliveries SET state = 'sent'")
        db.conn.commit()
        return json.loads(made[0][1]) if made else []

    first = [record(kind, "2026-01-15T10:20:00Z") for kind in ("statement_new", "ruling", "statement_new", "ruling")]
    router.route(db)
    assert batched(at("2026-01-15T10:20:01Z")) == [first[0], first[2]]  # the rulings wait for the hour
    assert batched(at("2026-01-15T10:59:59Z")) == []
    assert batched(at("2026-01-15T11:00:00Z")) == [first[1], first[3]]
    cursor = db.execute("SELECT sent_through FROM alert_destinations WHERE id = ?", [hook["id"]]).fetchone()[0]
    assert cursor == first[3]  # past the digest's rows too: the next look starts after them
    later = [record("statement_new", "2026-01-15T11:10:00Z"), record("ruling", "2026-01-15T11:10:00Z")]
    router.route(db)
    assert batched(at("2026-01-15T11:10:01Z")) == [later[0]]
    assert queued(db) == 1  # the new ruling, for the next hour


def test_daily_digest_keeps_its_wall_clock_time_across_daylight_saving():
    from tracker.alerts import timing

    sub = {"mode": "daily", "daily_at": "08:00", "timezone": "Europe/London"}
    # The night the clocks go forward (29 March 2026): 08:00 BST is 07:00 UTC.
    assert timing.due(sub, at("2026-03-28T20:00:00Z")) == at("2026-03-29T07:00:00Z")
    assert timing.due(sub, at("2026-03-27T20:00:00Z")) == at("2026-03-28T08:00:00Z")
    with pytest.raises(TrackerError, match="Unknown time zone"):
        subscriptions.clean({"timezone": "Mars/Olympus"})
    with pytest.raises(TrackerError, match="time of day like 07:30"):
        subscriptions.clean({"quiet_start": "25:00", "quiet_end": "07:00"})


def test_nothing_private_in_a_message_unless_an_admin_marked_the_destination_internal(
    db, story, accounts, webhook, smtp
):
    reporter, editor, admin = accounts["reporter"], accounts["editor"], accounts["admin"]
    subscriptions.save(db, reporter, {"kinds": list(subscriptions.KIND_LABELS)})
    open_hook = destinations.add(db, reporter, "Slack-like channel", webhook.url("/open"))
    internal = destinations.add(db, reporter, "Desk only", smtp.url())
    with pytest.raises(Exception, match="Only admins"):
        destinations.set_internal(db, reporter, internal["id"], True)
    destinations.set_internal(db, admin, internal["id"], True)

    first = statement(db, story, STATEMENT)
    claim_id = claims.log_claim(db, story["id"], "Acme will not recall kettles", "a person close to the board",
                                "anonymous", reporter, source_identity=SECRET_IDENTITY,
                                internal_notes=SECRET_NOTE)  # fmt: skip
    evidence = claims.add_evidence(db, claim_id, first["revision_id"], "will not recall its kettles", "supports",
                                   reporter)  # fmt: skip
    claims.set_status(db, claim_id, "unclear", editor, PRIVATE_RATIONALE, 1, "One source so far.",
                      evidence_ids=[evidence])  # fmt: skip
    statement(db, story, STATEMENT_V2)
    extraction.extract_waiting(db, story["id"])
    assert sender.send_pending(db) == {"sent": 2, "failed": 0}
    [post], [mail] = webhook.wait_for(1), smtp.wait_for(1)
    bodies = [r[0] + r[1] for r in db.execute("SELECT title, body FROM alert_deliveries")]
    bodies += [n["subject"] for n in notifications.latest(db, reporter["id"])]
    for text in [post.title + post.body, *bodies]:
        assert SECRET_IDENTITY not in text  # never, not even internally: events do not carry it
    assert PRIVATE_RATIONALE not in post.body and SECRET_NOTE not in post.body and "One source so far." in post.body
    assert PRIVATE_RATIONALE in mail.body and SECRET_NOTE in mail.body
    assert open_hook["internal"] == 0


def test_a_sender_killed_mid_batch_and_restarted_delivers_every_event_once(db, db_path, story, accounts, webhook):
    import os
    import signal
    import subprocess
    import sys

    reporter = accounts["reporter"]
    subscriptions.save(db, reporter, {"kinds": ["statement_new"]})
    hooks = [destinations.add(db, reporter, f"Hook {n}", webhook.url(f"/hook/{n}"))["id"] for n in range(40)]
    for n in range(40):
        item = coverage.upsert_item(db, story["id"], f"https://acme.example/s{n}", kind="statement", outlet="Acme")
        coverage.add_revision(db, item, f"Statement number {n}.")
    env = {**os.environ, "TRACKER_DB": str(db_path)}
    command = [sys.executable, "-m", "tracker", "alerts", "run", "--poll", "0.1"]
    # Hooks 3 and 30-39 do not answer until released: however fast the rest go, the kill finds those
    # eleven unsent (some of them on the wire), without the test timing anything.
    webhook.hold = "/hook/3"
    first = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        webhook.wait_for(12, timeout=60)
    finally:
        first.send_signal(signal.SIGKILL)
        first.wait(10)
    mid = db.execute("SELECT count(*) FROM alert_deliveries WHERE state = 'sent'").fetchone()[0]
    assert mid <= 29  # some accepted may not be recorded yet: the window the delivery key covers
    webhook.hold = None
    webhook.release.set()
    restart = subprocess.run(
        [sys.executable, "-m", "tracker", "alerts", "send-pending"], env=env, capture_output=True, text=True,
        timeout=120,
    )  # fmt: skip
    assert restart.returncode == 0, restart.stderr
    received = webhook.wait_for(40)
    # Each destination's one event arrived; a repeat can only be the delivery the kill interrupted, same key.
    by_path: dict[str, set[str]] = {}
    for message in received:
        by_path.setdefault(message.path, set()).add(message.key)
    assert sorted(by_path) == sorted(f"/hook/{n}" for n in range(40))
    assert all(len(keys) == 1 for keys in by_path.values())
    assert len(received) - 40 <= 2 * sender.WORKERS  # at most the sends in flight when it died
    states = db.execute("SELECT state, count(*) FROM alert_deliveries GROUP BY state").fetchall()
    assert states == [("sent", 40)], restart.stderr
    # Every event reached every destination in exactly one delivery.
    pairs = db.execute(
        """SELECT x.destination_id, e.value, count(*) FROM alert_deliveries x, json_each(x.event_ids) e
           GROUP BY 1, 2"""
    ).fetchall()
    assert len(pairs) == 40 * 40 and {n for _, _, n in pairs} == {1}
    assert set(hooks) == {r[0] for r in db.execute("SELECT destination_id FROM alert_deliveries")}


def test_a_delivery_waiting_its_turn_behind_a_slow_send_keeps_its_lease_and_goes_out_once(db, story, accounts, webhook):
    """A sender claims a few deliveries per thread; one still queued when its lease ran out was claimed again
    (by this sender, or by another beside it) and sent twice."""
    reporter = accounts["reporter"]
    everything(db, reporter, kinds=["statement_new"])
    destinations.add(db, reporter, "Slow", webhook.url("/slow"))
    destinations.add(db, reporter, "Fast", webhook.url("/fast"))
    statement(db, story, STATEMENT)
    webhook.hold = "/slow"
    clock = Clock()
    running = sender.Sender(db, workers=1, clock=clock)  # one thread: the second delivery waits for the first
    try:
        running.step()
        assert len(running.in_flight) == 2
        clock.advance(sender.LEASE_SECONDS + 1)  # the slow send and the queue take longer than a lease
        running.step()
        beside = sender.Sender(db, clock=clock, owner="other-host:1:1")
        beside.step()
        beside.close()
    finally:
        webhook.release.set()
        running.close()
    fast = [m for m in webhook.messages if m.path == "/fast"]
    assert len(fast) == 1


def test_a_destination_removed_while_its_message_is_out_is_not_tried_again(db, story, accounts, webhook):
    """Removing it fails what waits for it; a send already out came back and put its delivery up for retry."""
    reporter = accounts["reporter"]
    everything(db, reporter, kinds=["statement_new"])
    hook = destinations.add(db, reporter, "Hook", webhook.url("/slow"))
    statement(db, story, STATEMENT)
    webhook.hold = "/slow"
    clock = Clock()
    running = sender.Sender(db, clock=clock)
    try:
        running.step()
        assert len(running.in_flight) == 1
        destinations.remove(db, reporter, hook["id"])
    finally:
        webhook.release.set()  # the held request ends without an answer: the send fails
        running.close()
    clock.advance(3600)
    assert sender.send_pending(db, clock) == {"sent": 0, "failed": 0}
    ((state, attempts, error),) = db.execute("SELECT state, attempts, last_error FROM alert_deliveries")
    assert (state, attempts, error) == ("failed", 1, "destination removed")


def test_watch_sends_the_alerts_of_what_it_scrapes_and_stops_cleanly(db, db_path, story, accounts, site, webhook):
    import os
    import signal
    import subprocess
    import sys

    from tests.sites import article
    from tracker import sources

    reporter = accounts["reporter"]
    subscriptions.save(db, reporter, {"kinds": ["statement_new"]})
    destinations.add(db, reporter, "Desk hook", webhook.url("/desk"))
    site.put("/press/recall.html", article("Statement on the kettle recall", [STATEMENT]))
    listing = site.put("/press/", '<a href="/press/recall.html">Statement on the kettle recall</a>')
    sources.add_source(db, story["id"], listing, "statement", outlet="Acme Widgets")
    env = {**os.environ, "TRACKER_DB": str(db_path), "TRACKER_ALLOW_PRIVATE": "1", "TRACKER_MIN_INTERVAL": "0"}
    watch = subprocess.Popen(
        [sys.executable, "-m", "tracker", "watch", story["slug"], "--every", "1h"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        [post] = webhook.wait_for(1, timeout=120)  # no `alerts run`: the watch process sent it
        watch.send_signal(signal.SIGTERM)
        _, err = watch.communicate(timeout=60)
    finally:
        if watch.poll() is None:
            watch.kill()
    assert post.path == "/desk" and post.title.startswith("New statement from Acme Widgets")
    assert "Acme Widgets will not recall its kettles" in post.body
    assert watch.returncode == 0 and "Traceback" not in err
    assert db.execute("SELECT state, count(*) FROM alert_deliveries GROUP BY state").fetchall() == [("sent", 1)]


def exercise_alerts_api(api, editor_token: str, slug: str) -> None:
    """Every alerts operation of the API, called by tests/test_api.py against the OpenAPI document."""
    created = api.call("POST", "/alerts/subscriptions", json={"kinds": ["ruling"], "story": slug, "mode": "hourly"})
    assert created.status_code == 201 and created.get_json()["story"] == slug
    bad = api.call("POST", "/alerts/subscriptions", json={"kinds": ["ruling"], "timezone": "Mars/Olympus"})
    assert bad.status_code == 400 and "Unknown time zone" in bad.get_json()["message"]
    refused = api.call("POST", f"/stories/{slug}/alerts-default", json={"kinds": ["publish"]})
    assert refused.status_code == 403
    default = api.call("POST", f"/stories/{slug}/alerts-default", json={"kinds": ["publish"]}, token=editor_token)
    assert default.get_json()["default"] is True
    listed = api.call("GET", "/alerts/subscriptions").get_json()
    assert [s["id"] for s in listed["subscriptions"]] == [created.get_json()["id"]] and listed["defaults"]
    url = "slack://T1JJ3T3L2/A1BRTD4JD/TIiajkdnlazkcOXrIdevi7FQ"
    dest = api.call("POST", "/alerts/destinations", json={"label": "Desk", "url": url})
    assert dest.status_code == 201 and "TIiajkdnlazkc" not in dest.get_data(as_text=True)
    malformed = api.call("POST", "/alerts/destinations", json={"label": "Desk", "url": "slack://nope"})
    assert malformed.status_code == 400 and "\n" not in malformed.get_json()["message"]
    assert [d["label"] for d in api.call("GET", "/alerts/destinations").get_json()["destinations"]] == ["Desk"]
    assert api.call("POST", f"/alerts/destinations/{dest.get_json()['id']}/delete").get_json() == {"count": 1}
    assert api.call("POST", f"/alerts/subscriptions/{created.get_json()['id']}/delete").get_json() == {"count": 1}
    assert api.call("POST", "/alerts/subscriptions/999999/delete").status_code == 404
    notes = api.call("GET", "/alerts/notifications").get_json()
    assert notes["unread"] == len([n for n in notes["notifications"] if not n["read"]])
    assert api.call("POST", "/alerts/notifications/read", json={}).get_json()["count"] == notes["unread"]


def test_a_running_router_keeps_only_the_audiences_of_the_rules_it_routes_with(db, story):
    """A sender runs for days while people subscribe and unsubscribe: each change made a new set of people,
    and every set ever met was kept in memory."""
    kept = router.Router()
    people = [users.add_user(db, f"person{n}", PASSWORD, "reporter") for n in range(30)]
    for person in people:
        subscriptions.save(db, person, {"kinds": ["statement_new"], "story_id": story["id"]})
        with transaction(db):
            event = events.record(db, "statement_new", "A statement", story_id=story["id"], payload={"text": "t"})
        assert kept.route(db) == 1
        assert {user_id for user_id, _ in notified(db, event)} >= {person["id"]}
    assert len(kept.audiences) == 1


def test_a_running_sender_forgets_the_destinations_people_removed(db, story, accounts, webhook):
    """Each destination's parsed Apprise notifier (its decrypted URL with it) was kept for as long as the sender ran."""
    reporter = accounts["reporter"]
    everything(db, reporter, kinds=["statement_new"])
    clock = Clock()
    running = sender.Sender(db, clock=clock)
    try:
        for n in range(10):
            hook = destinations.add(db, reporter, f"Hook {n}", webhook.url(f"/hook{n}"))
            statement(db, story, f"Statement number {n} on the kettles.", url=f"https://acme.example/s{n}")
            clock.advance(3600)
            while running.step(timeout=0.2) or running.in_flight:
                pass
            destinations.remove(db, reporter, hook["id"])
        assert running.sent == 10
        assert len(running.plugins) <= 1
    finally:
        running.close()


def test_a_story_default_reads_as_its_story_then_what_it_sends(client, auth, db, story, accounts):
    """The list item is a grid: the story's name on one line, then the mode and kinds, which began with a
    stray ": " on a line of its own."""
    from bs4 import BeautifulSoup

    subscriptions.set_story_default(db, accounts["editor"], story["id"], {"kinds": ["publish", "statement_new"]})
    auth.login("reporter")
    page = BeautifulSoup(client.get("/account/alerts").get_data(as_text=True), "html.parser")
    item = page.select_one("#defaults li")
    lines = [child.get_text(" ", strip=True) for child in item.find_all(recursive=False)]
    assert lines[0] == story["title"], lines
    assert len(lines) == 2 and lines[1].startswith(subscriptions.MODE_LABELS["immediate"]), lines
    assert item.get_text(" ", strip=True) == f"{lines[0]} {lines[1]}"
