"""The fictional web on loopback: one HTTP server that answers as each `.example` site, by Host header.

The scraper reaches it under the sites' own names (the fetcher's host map
connects those names, and only those, to this server), so URLs, robots.txt
and per-host politeness work exactly as on the web. Opened at its own
address in a browser, it shows an index of the sites as they stand, for a
person who wants to read what the tracker is reading.

What the sites say depends only on the stages reached (`Reached`), which
the runner updates from the database and a test sets directly: no clock
inside, so a test can play the story stage by stage without waiting.
"""

from __future__ import annotations

import socket
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from tracker.livedemo import pages
from tracker.livedemo.world import World

OWN_HOSTS = ("127.0.0.1", "localhost", "[::1]", "::1")
HITS_KEPT = 10_000  # the latest answers remembered: the server runs as long as `make run` does
# Of each answer, the first this many characters of its Host (a DNS name is at most 253) and path are remembered:
# a request line or header may be 64 KB, and 10,000 of those kept whole were over a gigabyte.
HOST_KEPT, PATH_KEPT = 255, 2_000
# Each open connection has a thread and a file descriptor. One that sends nothing for IDLE_SECONDS is closed (a
# browser or the fetcher keeping it alive comes back sooner, or opens another), and at most MOST_CONNECTIONS are
# open at once: past that a connection is told the server is busy and closed, so no client, however many
# connections it holds, takes the process's threads or the file descriptors its database needs.
IDLE_SECONDS = 20.0
MOST_CONNECTIONS = 64
# On every answer, errors included: the fictional pages load their own stylesheet and nothing else (their JSON-LD is
# data, never run), are framed by no one, never sniffed into another type, and always asked for again.
HEADERS = (
    (
        "Content-Security-Policy",
        "default-src 'none'; style-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; "
        "frame-ancestors 'none'",
    ),
    ("X-Content-Type-Options", "nosniff"),
    ("X-Frame-Options", "DENY"),
    ("Referrer-Policy", "no-referrer"),
    ("Cache-Control", "no-cache"),
)
BUSY = (
    b"HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain; charset=utf-8\r\nRetry-After: 2\r\n"
    + b"".join(f"{name}: {value}\r\n".encode() for name, value in HEADERS)
    + b"Connection: close\r\nContent-Length: 31\r\n\r\nBusy. Please try again shortly.\n"
)


class Reached:
    """The stages reached so far (stage number -> ISO time), shared by the server's threads."""

    def __init__(self, reached: dict[int, str] | None = None) -> None:
        self._lock = threading.Lock()
        self._reached = dict(reached or {})

    def get(self) -> dict[int, str]:
        with self._lock:
            return dict(self._reached)

    def set(self, reached: dict[int, str]) -> None:
        with self._lock:
            self._reached = dict(reached)


@dataclass(frozen=True)
class Hit:
    host: str
    path: str
    status: int


class DemoWeb:
    """Serves `world` at the stages in `reached` on 127.0.0.1:port (0: any free port) until close()."""

    def __init__(self, world: World, reached: Reached, port: int = 0, host: str = "127.0.0.1") -> None:
        self.world = world
        self.reached = reached
        self.hits: deque[Hit] = deque(maxlen=HITS_KEPT)  # the latest answers, in order: what the scraper asked for
        self._lock = threading.Lock()
        self.httpd = _Server((host, port), _handler(self.respond, self._record), MOST_CONNECTIONS)
        self.thread = threading.Thread(target=self.httpd.serve_forever, args=(0.2,), daemon=True, name="demo-web")

    @property
    def port(self) -> int:
        return self.httpd.server_address[1]

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.port}"

    def host_map(self) -> dict[str, tuple[str, int]]:
        """Each fictional site's name -> this server: what the fetcher needs to reach them."""
        return {site: ("127.0.0.1", self.port) for site in self.world.sites}

    def start(self) -> DemoWeb:
        self.thread.start()
        return self

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def respond(self, host: str, path: str) -> pages.Answer:
        reached = self.reached.get()
        if host not in OWN_HOSTS:  # a fictional site, or 421 for a name this server does not play
            return pages.answer(self.world, reached, host, path)
        if path.split("?", 1)[0] in ("/", "/index.html"):  # a query string (a shared link's) changes nothing
            return pages.preview(self.world, reached)
        if path.startswith("/view/"):
            site, _, rest = path[len("/view/") :].partition("/")
            return pages.answer(self.world, reached, site, "/" + rest)
        if path == "/demo.css":
            return pages.answer(self.world, reached, next(iter(self.world.sites)), path)
        return pages.Answer(404, "text/plain; charset=utf-8", b"Not found.\n")

    def _record(self, host: str, path: str, status: int) -> None:
        with self._lock:
            self.hits.append(Hit(host[:HOST_KEPT], path[:PATH_KEPT], status))

    def count(self, host: str, path: str) -> int:
        with self._lock:
            return sum(1 for h in self.hits if h.host == host and h.path == path)


class _Server(ThreadingHTTPServer):
    """A thread per connection, as http.server's, for at most `most` connections at once."""

    daemon_threads = True

    def __init__(self, address: tuple[str, int], handler: type, most: int) -> None:
        super().__init__(address, handler)
        self._slots = threading.BoundedSemaphore(most)

    def process_request(self, request, client_address) -> None:
        if not self._slots.acquire(blocking=False):
            try:
                request.settimeout(0)  # a few bytes into a new connection's empty buffer: never waits
                request.sendall(BUSY)
            except OSError:
                pass
            self.shutdown_request(request)
            return
        try:
            super().process_request(request, client_address)
        except BaseException:  # no thread started (none left to start): its slot is free again
            self._slots.release()
            raise

    def process_request_thread(self, request, client_address) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            self._slots.release()


def _handler(respond: Callable[[str, str], pages.Answer], record: Callable[[str, str, int], None]):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # kept-alive connections, as real sites and our fetcher use
        timeout = IDLE_SECONDS  # each read and write on the connection: a quiet one is closed
        # A request line it cannot read (a bad version) was answered as HTTP/0.9: an error page with no status
        # line or headers at all. No client here speaks 0.9: every answer has its status and HEADERS.
        default_request_version = "HTTP/1.1"

        def setup(self) -> None:
            super().setup()
            self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

        def handle(self) -> None:
            try:
                super().handle()
            except (ConnectionResetError, BrokenPipeError, TimeoutError):
                # The client left (a browser moving on before the page loaded) or stopped reading: nothing to
                # answer, and no traceback in `make run`'s output.
                self.close_connection = True

        def do_GET(self) -> None:  # noqa: N802 - http.server's naming
            self._answer(body=True)

        def do_HEAD(self) -> None:  # noqa: N802
            self._answer(body=False)

        def _answer(self, body: bool) -> None:
            host = (self.headers.get("Host") or "").strip().lower()
            if not host.startswith("["):
                host = host.rsplit(":", 1)[0] if host.count(":") == 1 else host
            else:
                host = host.split("]", 1)[0] + "]"
            found = respond(host, self.path)
            status = found.status
            etag = found.etag
            if status == 200 and etag in (self.headers.get("If-None-Match") or ""):
                status = 304
            record(host, self.path, status)
            self.send_response(status)
            self.send_header("Content-Type", found.content_type)
            self.send_header("ETag", etag)
            payload = found.body if status != 304 else b""
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            if body and payload:
                self.wfile.write(payload)

        def version_string(self) -> str:  # the Server header: not http.server's and Python's versions
            return "LiveDemo"

        def end_headers(self) -> None:  # http.server's own error pages too (a POST, a malformed request)
            for name, value in HEADERS:
                self.send_header(name, value)
            super().end_headers()

        def log_message(self, *args) -> None:
            pass

    return Handler
