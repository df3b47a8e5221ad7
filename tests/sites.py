"""A fictional news site on 127.0.0.1 for scraper tests: pages that answer conditional GETs, change, fail, lie.

Unlike conftest's LocalServer (fixed routes), a Site page can be edited
between passes, computes its ETag from its body, answers If-None-Match with
304 and a Range request with 206, can lie (304 whatever changed), and every request is logged with the
status it got, so a test can count what was fetched and what was parsed.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
import socket
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from scrapers.http import Fetcher

UA = "NewsroomTrackerTests/1.0 (+https://tracker.example/contact)"


@dataclass
class Page:
    body: bytes
    content_type: str = "text/html; charset=utf-8"
    status: int = 200
    etag: str | None = None  # None: computed from the body
    conditional: bool = True  # answer If-None-Match / If-Modified-Since
    lie: bool = False  # answer 304 to any conditional request, whatever changed
    ranges: bool = True  # answer a Range request with 206 and those bytes (False: ignore it, as many servers do)
    last_modified: str | None = None
    headers: dict[str, str] = field(default_factory=dict)
    hold: threading.Event | None = None  # the answer waits until the test sets it
    drip: threading.Event | None = None  # the status, headers and half the body go out; the rest waits for it


@dataclass
class Hit:
    path: str
    headers: dict[str, str]
    status: int


class Site:
    def __init__(self) -> None:
        self.pages: dict[str, Page] = {}
        self.log: list[Hit] = []
        self.held: list[str] = []  # paths of requests that arrived at a held page (logged in `log` once answered)
        self.lock = threading.Lock()
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def setup(self) -> None:
                super().setup()
                # Headers and body go out in two writes; without this, Nagle and delayed ACKs add 40 ms each.
                self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

            def do_GET(self) -> None:  # noqa: N802 - http.server's naming
                page = site.pages.get(self.path)
                if page is not None and page.hold is not None:
                    with site.lock:
                        site.held.append(self.path)
                    page.hold.wait(60)
                status, headers, body = site.answer(self.path, dict(self.headers))
                with site.lock:
                    site.log.append(Hit(self.path, dict(self.headers), status))
                self.send_response(status)
                for k, v in headers.items():
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                try:
                    if page is not None and page.drip is not None and status == 200:
                        self.wfile.write(body[: len(body) // 2])
                        self.wfile.flush()
                        page.drip.wait(60)
                        body = body[len(body) // 2 :]
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    self.close_connection = True  # the client stopped reading (a size limit, a stop): as a site sees it

            def log_message(self, *args) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def url(self, path: str) -> str:
        return self.base + path

    def put(self, path: str, body: bytes | str, **options) -> str:
        """Serve body at path (replacing what was there); returns its URL."""
        if isinstance(body, str):
            body = body.encode("utf-8")
        self.pages[path] = Page(body, **options)
        return self.url(path)

    def answer(self, path: str, headers: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
        page = self.pages.get(path)
        if page is None:
            return 404, {"Content-Type": "text/plain"}, b"not found"
        etag = page.etag or '"' + hashlib.sha1(page.body).hexdigest()[:16] + '"'
        out = {"Content-Type": page.content_type, **page.headers}
        if page.conditional and page.status == 200:
            out["ETag"] = etag
            if page.last_modified:
                out["Last-Modified"] = page.last_modified
            asked = headers.get("If-None-Match")
            if asked and (page.lie or asked == etag):
                return 304, {"ETag": etag}, b""
        wanted = re.fullmatch(r"bytes=(\d+)-(\d+)", headers.get("Range", ""))
        if wanted and page.ranges and page.status == 200:
            first, last = int(wanted.group(1)), min(int(wanted.group(2)), len(page.body) - 1)
            if first >= len(page.body):
                return 416, {"Content-Range": f"bytes */{len(page.body)}"}, b""
            out["Content-Range"] = f"bytes {first}-{last}/{len(page.body)}"
            return 206, out, page.body[first : last + 1]
        return page.status, out, page.body

    def hits(self, path: str) -> list[Hit]:
        with self.lock:
            return [h for h in self.log if h.path == path]

    def statuses(self, path: str) -> list[int]:
        return [h.status for h in self.hits(path)]


def fetcher(**options) -> Fetcher:
    """The project's Fetcher, allowed to reach 127.0.0.1, without waits between requests."""
    settings = {"allow_private": True, "min_interval": 0, "retries": 0, "backoff": 0, "total_timeout": 10}
    return Fetcher(UA, **{**settings, **options})


def article(
    title: str,
    paragraphs: list[str],
    *,
    published: str | None = "2026-03-02T14:30:00Z",
    outlet: str = "Example Gazette",
    byline: str = "Jo Example",
    extra: str = "",
) -> str:
    """A small article page with JSON-LD-free metadata, a nav and a footer, as outlets serve them."""
    body = "\n".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
    meta = f'<meta property="article:published_time" content="{published}">' if published else ""
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)} | {outlet}</title>
<meta property="og:site_name" content="{outlet}">
<meta property="og:title" content="{html.escape(title)}">{meta}
<meta name="author" content="{byline}"></head>
<body><nav><a href="/">Home</a> <a href="/business/">Business</a></nav>
<article><h1>{html.escape(title)}</h1><p class="byline">By {byline}</p>
{extra}
{body}
</article>
<footer><p>© 2026 {outlet}. All rights reserved.</p></footer></body></html>"""


def rss(title: str, entries: list[dict]) -> str:
    """An RSS 2.0 feed; each entry a dict with link, title and optionally pubDate, description, guid, source."""
    items = []
    for e in entries:
        parts = [f"<title>{html.escape(e['title'])}</title>"] if e.get("title") else []
        if e.get("link"):
            parts.append(f"<link>{html.escape(e['link'])}</link>")
        if e.get("pubDate"):
            parts.append(f"<pubDate>{e['pubDate']}</pubDate>")
        if e.get("description"):
            parts.append(f"<description>{html.escape(e['description'])}</description>")
        if e.get("guid"):
            parts.append(f"<guid>{html.escape(e['guid'])}</guid>")
        if e.get("source"):  # (name, url): the outlet an aggregator's entry comes from
            parts.append(f'<source url="{html.escape(e["source"][1])}">{html.escape(e["source"][0])}</source>')
        items.append("<item>" + "".join(parts) + "</item>")
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel>'
        f"<title>{html.escape(title)}</title><link>https://gazette.example/</link>"
        + "".join(items)
        + "</channel></rss>"
    )


def json_feed(title: str, items: list[dict], **fields) -> str:
    """A JSON Feed 1.1 (ASCII: a lone surrogate in a title is written as its escape, "\\ud800").

    Each item a dict of its members (url, title, date_published, ...), given an id when it has none.
    """
    listed = [{"id": item.get("url") or f"item-{n}", **item} for n, item in enumerate(items)]
    body = {"version": "https://jsonfeed.org/version/1.1", "title": title, **fields, "items": listed}
    return json.dumps(body, indent=2)


# Paragraphs long enough that article extraction keeps them and clustering can compare them.
RECALL = [
    "Acme Widgets said on Monday it would recall 10,000 toasters sold since January after "
    "reports that a wiring fault could cause them to overheat on the countertop.",
    "The company said no injuries had been reported, and that customers should stop using the "
    "affected models and contact its support line for a free replacement or a full refund.",
    "Regulators at the fictional Consumer Safety Office said they had opened a review of the "
    "wiring supplier and would publish their findings within ninety days of the recall notice.",
    "Shares of Acme Widgets fell three percent in early trading before recovering most of the "
    "loss by the close, according to figures from the exchange that lists the company.",
]
