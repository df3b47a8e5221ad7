"""Alerts, measured: change stored → message accepted by a local SMTP server and a local webhook.

Subscribers each follow one of STORIES stories, half with an email
destination, half with a webhook, all on 127.0.0.1 (tests/alert_receivers.py).
`python -m tracker watch` scrapes a local site every two seconds and sends
alerts on its sender thread (--sender process: `watch --no-alerts` and
`python -m tracker alerts run` beside it in a process of its own, as
`serve` runs it).

1. Latency: statements are stored through the real write path
   (coverage.add_revision) at a steady rate; for every event, the time from
   its commit to the moment a receiver accepted the message carrying it;
   p50 and p95 over all (event, subscriber) pairs.
2. Throughput: a backlog of events is stored at once, then the sender is
   started and timed until every message is accepted. The floor sends the
   very same messages (title, body, destination) by a bare loop through
   the same Apprise calls. ratio_to_floor = sender time ÷ floor time.
   The sender keeps SMTP sessions open between emails to one server
   (tracker/alerts/smtp_sessions.py), which a bare Apprise loop does not:
   floor_sessions_s is the same bare loop lending the same open sessions,
   and ratio_to_floor_sessions the sender against that.

The machine is shared: read the ratio, not the seconds. Last line: one JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# bench/public.py would shadow the `public` module aiosmtpd imports: the repository root instead of bench/.
sys.path[:] = [str(ROOT)] + [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]

from cryptography.fernet import Fernet  # noqa: E402

from tests.alert_receivers import SmtpReceiver, WebhookReceiver  # noqa: E402

STORIES = 20


def site() -> ThreadingHTTPServer:
    """A feed of 30 articles for `watch` to poll (it changes a little on every request)."""
    hits = {"n": 0}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802
            hits["n"] += 1
            if self.path == "/feed.xml":
                items = "".join(
                    f"<item><title>Acme item {i} {hits['n'] % 3}</title><link>http://127.0.0.1:{self.server.server_port}"
                    f"/a/{i}.html</link></item>"
                    for i in range(30)
                )
                body = f"<rss version='2.0'><channel><title>Local</title>{items}</channel></rss>".encode()
                kind = "application/rss+xml"
            else:
                text = "".join(f"<p>Acme said paragraph {k} of {self.path} is here, version {hits['n']}.</p>"
                               for k in range(8))  # fmt: skip
                body = (
                    f"<html><head><title>Acme {self.path}</title></head><body><article>{text}</article></body></html>"
                )
                body, kind = body.encode(), "text/html"
            self.send_response(200)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="100 subscribers, 1,000 events")
    parser.add_argument("--subscribers", type=int)
    parser.add_argument("--events", type=int)
    parser.add_argument("--rate", type=float, default=50.0, help="events stored per second in the latency run")
    parser.add_argument("--sender", choices=("watch", "process"), default="watch",
                        help="the sender: watch's thread, or `alerts run` in its own process")  # fmt: skip
    args = parser.parse_args()
    subscribers = args.subscribers or (100 if args.quick else 1000)
    total = args.events or (1000 if args.quick else 10000)

    tmp = Path(tempfile.mkdtemp(prefix="bench-alerts-"))
    env = {
        **os.environ,
        "TRACKER_DB": str(tmp / "tracker.db"),
        "TRACKER_ALERTS_KEY": Fernet.generate_key().decode(),
        "TRACKER_ALLOWED_HOSTS": "127.0.0.1",
        "TRACKER_ALLOW_PRIVATE": "1",
        "TRACKER_MIN_INTERVAL": "0",
        "TRACKER_EDITOR_URL": "https://editor.example",
        # Fictional subscribers: cheap password hashes (production uses scrypt, a second per thousand accounts).
        "TRACKER_PASSWORD_METHOD": "pbkdf2:sha256:1000",
    }
    os.environ.update(env)
    from tracker import coverage, migrations, sources, stories, users
    from tracker.alerts import destinations, messages, sender, smtp_sessions, subscriptions
    from tracker.db import connect

    smtp, hook, pages = SmtpReceiver(), WebhookReceiver(), site()
    db = connect(tmp / "tracker.db")
    migrations.apply(db)
    story_ids = [stories.create_story(db, f"story-{s}", f"Story {s}", keywords_include="Acme")["id"]
                 for s in range(STORIES)]  # fmt: skip
    sources.add_source(db, story_ids[0], f"http://127.0.0.1:{pages.server_port}/feed.xml", "feed", "Local")
    print(f"setting up {subscribers} subscribers (half email, half webhook) on {STORIES} stories", file=sys.stderr)
    for i in range(subscribers):
        person = users.add_user(db, f"sub{i:04d}", "quiet-kettle-recall-desk", "reporter")
        subscriptions.save(db, person, {"story_id": story_ids[i % STORIES], "kinds": ["statement_new"]})
        url = smtp.url(f"u{i}@example.org") if i % 2 == 0 else hook.url(f"/u/{i}")
        destinations.add(db, person, f"dest {i}", url, per_minute=60)
    per_story = {sid: sum(1 for i in range(subscribers) if story_ids[i % STORIES] == sid) for sid in story_ids}

    def store(n: int, offset: int, rate: float | None) -> list[int]:
        started = time.monotonic()
        for k in range(n):
            sid = story_ids[(offset + k) % STORIES]
            item = coverage.upsert_item(db, sid, f"https://org.example/s/{offset + k}", kind="statement", outlet="Org")
            coverage.add_revision(db, item, f"Statement {offset + k}: Acme will say more soon.")
            if rate:
                ahead = started + (k + 1) / rate - time.monotonic()
                if ahead > 0:
                    time.sleep(ahead)  # the pace of arriving changes, not a wait for a result
        return [sid for sid in range(n)]

    def expected_pairs(first_event: int) -> int:
        found = db.execute("SELECT story_id FROM alert_events WHERE id >= ? AND kind = 'statement_new'", [first_event])
        return sum(per_story[r[0]] for r in found)

    def delivered(first_delivery: int) -> int:
        """(event, subscriber) pairs accepted so far in deliveries made after `first_delivery`.

        Subscribers follow statements only, so every event a delivery carries is one of the pairs counted.
        """
        return db.execute(
            "SELECT coalesce(sum(events), 0) FROM alert_deliveries WHERE id > ? AND state = 'sent'",
            [first_delivery],
        ).fetchone()[0]

    def wait_delivered(first_event: int, first_delivery: int, timeout: float) -> None:
        want = expected_pairs(first_event)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if delivered(first_delivery) >= want:
                return
            time.sleep(0.5)  # polling the bench's own progress, not a result being waited into existence
        raise SystemExit(f"not all messages were delivered within {timeout} s")

    def started(*command: str) -> subprocess.Popen:
        """A tracker command, once it says it has started (its start-up is not an alert's latency)."""
        proc = subprocess.Popen([sys.executable, "-m", "tracker", *command], env=env, cwd=ROOT,
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)  # fmt: skip
        proc.stderr.readline()
        threading.Thread(target=proc.stderr.read, daemon=True).start()  # drained: a full pipe would stall it
        return proc

    # 1. Latency while watch scrapes.
    if args.sender == "watch":
        running = [started("watch", "--every", "2s")]
    else:
        running = [started("watch", "--every", "2s", "--no-alerts"), started("alerts", "run")]
    latency_events = total
    print(f"latency: {latency_events} statements at {args.rate:g}/s while watch scrapes ({args.sender} sends)",
          file=sys.stderr)  # fmt: skip
    first = (db.execute("SELECT coalesce(max(id), 0) FROM alert_events").fetchone()[0]) + 1
    first_delivery = db.execute("SELECT coalesce(max(id), 0) FROM alert_deliveries").fetchone()[0]
    store(latency_events, 0, args.rate)
    wait_delivered(first, first_delivery, 900)
    for proc in running:
        proc.terminate()
        proc.wait(60)
    receipts = {m.key: m.at for m in smtp.messages + hook.messages}
    stored = dict(db.execute("SELECT id, stored FROM alert_events WHERE id >= ? AND kind = 'statement_new'", [first]))
    latencies = []
    for delivery_id, event_ids in db.execute(
        "SELECT id, event_ids FROM alert_deliveries WHERE id > ?", [first_delivery]
    ):
        accepted = receipts.get(str(delivery_id))
        if accepted is not None:
            latencies += [accepted - stored[i] for i in json.loads(event_ids) if i in stored]
    latencies.sort()
    p50 = statistics.median(latencies)
    p95 = latencies[int(0.95 * (len(latencies) - 1))]
    messages_latency = db.execute("SELECT count(*) FROM alert_deliveries WHERE id > ?", [first_delivery]).fetchone()[0]

    # 2. Throughput: a backlog, the sender timed, then the same messages through a bare Apprise loop.
    backlog_first = db.execute("SELECT coalesce(max(id), 0) FROM alert_events").fetchone()[0] + 1
    before = db.execute("SELECT coalesce(max(id), 0) FROM alert_deliveries").fetchone()[0]
    store(total, latency_events, None)
    db.execute("UPDATE alert_destinations SET last_sent = NULL")  # the backlog is not held by the last run's limit
    db.conn.commit()
    print(f"throughput: a backlog of {total} events", file=sys.stderr)
    started = time.monotonic()
    # The same sender in this process (no interpreter start-up in the figure), stepped until every pair is
    # delivered: after its first message a destination's next waits for its rate limit.
    want = expected_pairs(backlog_first)
    backlog_sender = sender.Sender(db, workers=int(os.environ.get("BENCH_WORKERS", sender.WORKERS)))
    while delivered(before) < want:
        if not backlog_sender.step(timeout=0.05):
            time.sleep(0.05)  # a pass found nothing ready: the next one is due when a rate limit lapses
    backlog_sender.close()
    sender_seconds = time.monotonic() - started
    batch = [
        (destinations.url_of(db, d), title, body, markup or "text")
        for d, title, body, markup in db.execute(
            "SELECT destination_id, title, body, markup FROM alert_deliveries WHERE id > ? ORDER BY id", [before]
        )
    ]

    def bare_loop() -> float:
        plugins = {}
        floor_started = time.monotonic()
        for url, title, body, markup in batch:
            if url not in plugins:
                plugins[url] = destinations.plugin_for(url)
                sender.prepare(plugins[url])
            plain = None
            if markup == messages.EMAIL:  # the very same email: its plain part and its HTML page
                plain, body = messages.email_parts(title, body)
            with sender.plain_part(body, plain):
                plugins[url].notify(body=body, title=title, body_format=messages.BODY_FORMAT[markup])
        return time.monotonic() - floor_started

    floor_seconds = bare_loop()
    # The same loop with the one thing the sender does differently on the wire: an open SMTP session
    # lent to each email (tracker/alerts/smtp_sessions.py). Not the goal's floor; it shows what is left
    # of the sender's own overhead once the handshakes it saves are saved by the floor too.
    reuse = smtp_sessions.SessionPool()
    with smtp_sessions.lending(reuse):
        reuse_seconds = bare_loop()
    reuse.close()
    smtp.close()
    hook.close()
    pages.shutdown()

    result = {
        "subscribers": subscribers,
        "events": total,
        "latency_messages": messages_latency,
        "event_to_delivery_p50_s": round(p50, 3),
        "event_to_delivery_p95_s": round(p95, 3),
        "backlog_messages": len(batch),
        "sender_s": round(sender_seconds, 2),
        "floor_s": round(floor_seconds, 2),
        "events_per_s": round(total / sender_seconds, 1),
        "ratio_to_floor": round(sender_seconds / floor_seconds, 2),
        "floor_sessions_s": round(reuse_seconds, 2),
        "ratio_to_floor_sessions": round(sender_seconds / reuse_seconds, 2),
        "sender": args.sender,
        "quick": args.quick,
    }
    print(
        f"latency p50 {p50:.2f} s, p95 {p95:.2f} s over {len(latencies)} (event, subscriber) pairs; backlog: "
        f"{len(batch)} messages in {sender_seconds:.1f} s, floor {floor_seconds:.1f} s "
        f"({reuse_seconds:.1f} s reusing SMTP sessions)",
        file=sys.stderr,
    )
    db.conn.close()
    shutil.rmtree(tmp, ignore_errors=True)  # a full run leaves a database of about 100 MB
    print(json.dumps(result))


if __name__ == "__main__":
    main()
