"""A simulated day of feed polling: what checking the validators costs honest feeds, and how soon a liar is caught.

Used by bench/ingest.py (`verify_bytes_overhead` in its JSON line). A local
site (a thread, on 127.0.0.1) serves a developing story's feeds, each
changing on its own seeded schedule during the day: a new entry on top, as
feeds do. Outlet feeds are large and change often; official statement feeds
are small and change a few times a day. Honest feeds have ETags that follow
their content, answer 304 to a matching If-None-Match and 206 to a Range;
one more feed lies (the same ETag whatever its content, 304 to any
conditional GET). The real scrape pass (tracker.scrape.run_pass) polls them
every ten minutes of simulated time for a day, 144 polls, three times over
the same schedule:

- trusting: conditional GETs only, never checked (the cost floor for honest feeds);
- checked: the shipped schedule (a ranged GET of the newest entry at least every third poll);
- unconditional_12: the previous schedule (a full GET every twelfth poll and once a day).

The site counts every byte of every request and response to a feed (request
line and headers in, status line, headers and body out). Entries are
off-topic for the story, so the passes store no items and fetch no pages:
only feed traffic is measured.
"""

from __future__ import annotations

import hashlib
import html
import random
import re
import socket
import tempfile
import threading
from dataclasses import dataclass, field
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

POLLS = 144  # a day at one poll every ten minutes
EVERY = 600
WORDS = (
    "acme widgets toaster recall regulator wiring fault customers refund factory supplier safety review "
    "inspection shares investors statement company spokesperson board results union workers council court"
).split()


@dataclass
class SimFeed:
    """One feed's day: its entries at the start, and the polls after which a new entry appears on top."""

    path: str
    kind: str  # outlet, official or liar
    entries: list[tuple[str, str, str]]  # (title, link, description), newest first
    changes: list[int]  # poll indices (1..POLLS-1): the entry is there from that poll on
    added: list[tuple[str, str, str]] = field(default_factory=list)

    def body(self, poll: int, base: str) -> bytes:
        fresh = [entry for at, entry in zip(self.changes, self.added) if at <= poll][::-1]
        items = "".join(
            f"<item><title>{html.escape(t)}</title><link>{base}{link}</link><guid>{base}{link}</guid>"
            f"<pubDate>{format_datetime(_time(n))}</pubDate><description>{html.escape(d)}</description></item>"
            for n, (t, link, d) in enumerate(fresh + self.entries)
        )
        return (
            '<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom">'
            f"<channel><title>{self.path}</title><link>{base}/</link><description>News</description>{items}"
            "</channel></rss>"
        ).encode()


def _time(n: int):
    from datetime import UTC, datetime, timedelta

    return datetime(2026, 3, 2, 6, 0, tzinfo=UTC) - timedelta(minutes=17 * n)


def _text(rng: random.Random, low: int, high: int) -> str:
    words, size = [], rng.randint(low, high)
    while sum(len(w) + 1 for w in words) < size:
        words.append(rng.choice(WORDS))
    return " ".join(words)


def make_feeds(outlets: int, officials: int, seed: int = 11) -> list[SimFeed]:
    """The day's feeds: outlets (30 entries of 300-800 characters, 10-60 changes) and officials (10 short
    entries, 1-4 changes), plus one liar shaped like an official feed with 6 changes."""
    rng = random.Random(seed)
    feeds = []
    plan = [("outlet", 30, (300, 800), (10, 60))] * outlets + [("official", 10, (120, 400), (1, 4))] * officials
    plan.append(("liar", 10, (120, 400), (6, 6)))
    for n, (kind, size, lengths, (least, most)) in enumerate(plan):
        path = f"/{kind}-{n}/feed.xml"
        entries = [(_text(rng, 30, 80), f"/{kind}-{n}/old-{e}.html", _text(rng, *lengths)) for e in range(size)]
        changes = sorted(rng.sample(range(1, POLLS), rng.randint(least, most)))
        added = [(_text(rng, 30, 80), f"/{kind}-{n}/new-{c}.html", _text(rng, *lengths)) for c in changes]
        feeds.append(SimFeed(path, kind, entries, changes, added))
    return feeds


class Site:
    """The feeds at the current simulated poll; bytes and statuses counted per feed."""

    def __init__(self, feeds: list[SimFeed]) -> None:
        self.feeds = {f.path: f for f in feeds}
        self.poll = 0
        self.bytes: dict[str, int] = {}
        self.statuses: dict[str, list[tuple[int, int]]] = {}  # path -> [(poll, status)]
        self.lock = threading.Lock()
        site = self

        class Counting:
            def __init__(self, raw) -> None:
                self.raw, self.count = raw, 0

            def write(self, data: bytes) -> int:
                self.count += len(data)
                return self.raw.write(data)

            def flush(self) -> None:
                self.raw.flush()

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def setup(self) -> None:
                super().setup()
                self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

            def do_GET(self) -> None:  # noqa: N802 - http.server's naming
                feed = site.feeds.get(self.path)
                if feed is None:
                    body = b"User-agent: *\nAllow: /\n" if self.path == "/robots.txt" else b""
                    self.send_response(200 if body else 404)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                    return
                counting = Counting(self.wfile)
                self.wfile = counting
                request = len(self.raw_requestline) + sum(len(k) + len(v) + 4 for k, v in self.headers.items()) + 2
                status = self._answer(feed, site.poll, f"http://{self.headers.get('Host')}")
                self.wfile.flush()
                with site.lock:
                    site.bytes[self.path] = site.bytes.get(self.path, 0) + request + counting.count
                    site.statuses.setdefault(self.path, []).append((site.poll, status))
                self.wfile = counting.raw

            def _answer(self, feed: SimFeed, poll: int, base: str) -> int:
                body = feed.body(poll, base)
                etag = '"fixed"' if feed.kind == "liar" else '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
                asked = self.headers.get("If-None-Match")
                if asked and (feed.kind == "liar" or asked == etag):
                    self.send_response(304)
                    self.send_header("ETag", etag)
                    self.end_headers()
                    return 304
                wanted = re.fullmatch(r"bytes=(\d+)-(\d+)", self.headers.get("Range", ""))
                status = 200
                if wanted and int(wanted.group(1)) < len(body):
                    first, last = int(wanted.group(1)), min(int(wanted.group(2)), len(body) - 1)
                    self.send_response(206)
                    self.send_header("Content-Range", f"bytes {first}-{last}/{len(body)}")
                    body, status = body[first : last + 1], 206
                else:
                    self.send_response(200)
                self.send_header("Content-Type", "application/rss+xml")
                self.send_header("ETag", etag)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
                return status

            def log_message(self, *args) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def run_day(feeds: list[SimFeed], schedule: str) -> Site:
    """Poll every feed POLLS times with the real scrape pass under one schedule; the site's counts."""
    from scrapers import schedule as timing
    from scrapers.http import Fetcher
    from scrapers.schedule import later
    from tracker import migrations, sources, stories
    from tracker.db import connect
    from tracker.scrape import polling, run_pass

    site = Site(feeds)
    saved = (timing.PROBE_EVERY, polling._window)
    if schedule == "trusting":
        timing.PROBE_EVERY = 10**9  # never checked
    elif schedule == "unconditional_12":
        polling._window = lambda source: None  # no window: the old full GET every 12th poll and daily
    try:
        with tempfile.TemporaryDirectory() as tmp:
            db = connect(Path(tmp) / "day.db")
            migrations.apply(db)
            story = stories.create_story(db, "day", "Day", keywords_include="nothing-in-these-feeds")
            for feed in feeds:
                sources.add_source(db, story["id"], site.base + feed.path, "feed")
            fetcher = Fetcher("NewsroomTrackerBench/1.0", allow_private=True, min_interval=0.0)
            start = "2026-03-02T06:00:00Z"
            try:
                for poll in range(POLLS):
                    site.poll = poll
                    run_pass(db, "day", fetcher=fetcher, at=later(start, poll * EVERY), every=EVERY, extract=False)
            finally:
                fetcher.close()
                db.close()
    finally:
        timing.PROBE_EVERY, polling._window = saved
        site.close()
    return site


def caught_within(feed: SimFeed, statuses: list[tuple[int, int]]) -> int:
    """The most polls any change of the lying feed stayed hidden: from the first poll that could see it
    to the poll that fetched the feed in full (1: seen at once)."""
    worst = 0
    full = [poll for poll, status in statuses if status == 200]
    for change in feed.changes:
        seen = next((poll for poll in full if poll >= change), None)
        worst = max(worst, (POLLS - change + 1) if seen is None else seen - change + 1)
    return worst


def measure(outlets: int = 6, officials: int = 3, seed: int = 29) -> dict:
    """The three schedules over the same day; the overhead of each against the trusting one, for honest feeds."""
    feeds = make_feeds(outlets, officials, seed)
    honest = [f.path for f in feeds if f.kind != "liar"]
    liar = next(f for f in feeds if f.kind == "liar")
    days = {name: run_day(feeds, name) for name in ("trusting", "checked", "unconditional_12")}
    totals = {name: sum(site.bytes.get(p, 0) for p in honest) for name, site in days.items()}
    per_feed = {p: days["checked"].bytes.get(p, 0) / max(1, days["trusting"].bytes.get(p, 0)) - 1 for p in honest}
    officials_only = [p for p in honest if "/official-" in p]
    return {
        "verify_bytes_overhead": round(totals["checked"] / totals["trusting"] - 1, 4),
        "verify_bytes_overhead_officials": round(
            sum(days["checked"].bytes[p] for p in officials_only)
            / sum(days["trusting"].bytes[p] for p in officials_only)
            - 1,
            4,
        )
        if officials_only
        else None,
        "verify_bytes_overhead_worst_feed": round(max(per_feed.values()), 4),
        "unconditional_12_bytes_overhead": round(totals["unconditional_12"] / totals["trusting"] - 1, 4),
        "honest_feed_bytes_per_day": totals["trusting"],
        "liar_caught_within_polls": caught_within(liar, days["checked"].statuses.get(liar.path, [])),
        "liar_caught_within_polls_unconditional_12": caught_within(
            liar, days["unconditional_12"].statuses.get(liar.path, [])
        ),
        "honest_feeds": len(honest),
        "polls": POLLS,
    }
