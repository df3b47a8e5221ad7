"""A real HTTP server on 127.0.0.1 whose routes misbehave on purpose, and a clock that only moves when asked."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from scrapers.http import Clock

UA = "NewsroomTracker/0.1 (+https://newsroom-tracker.example/contact)"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
# A whole answer for the raw-socket servers of test_transport.py, which keep their connections alive as real sites do.
OK = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 4\r\n\r\n<p/>"
PAGE = "<html><head><title>Acme recall</title></head><body><p>Acme Widgets recalled a product.</p></body></html>"


@dataclass
class Seen:
    path: str
    headers: dict[str, str]


class Server:
    """A real HTTP server whose routes are Python functions, so a route can misbehave on purpose."""

    def __init__(self) -> None:
        self.routes: dict[str, Callable[[BaseHTTPRequestHandler], None]] = {}
        self.requests: list[Seen] = []
        self.active = 0
        self.max_active = 0
        self.overlap = threading.Event()
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - http.server's naming
                with server._lock:
                    server.requests.append(Seen(self.path, {k.lower(): v for k, v in self.headers.items()}))
                    server.active += 1
                    server.max_active = max(server.max_active, server.active)
                    if server.active > 1:
                        server.overlap.set()
                try:
                    route = server.routes.get(self.path)
                    if route is None:
                        self.send_error(404)
                    else:
                        route(self)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up on us, which is what some tests want
                finally:
                    with server._lock:
                        server.active -= 1

            def log_message(self, *args) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, args=(0.05,), daemon=True)

    def url(self, path: str, host: str = "127.0.0.1") -> str:
        return f"http://{host}:{self.httpd.server_address[1]}{path}"

    def on(self, path: str, route: Callable[[BaseHTTPRequestHandler], None]) -> str:
        self.routes[path] = route
        return self.url(path)

    def reply(
        self,
        path: str,
        body: bytes | str = PAGE,
        status: int = 200,
        content_type: str | None = "text/html; charset=utf-8",
        length: bool = True,
        **headers: str,
    ) -> str:
        """A fixed answer; length=False leaves Content-Length out so the body ends when the connection closes."""
        data = body.encode("utf-8") if isinstance(body, str) else body

        def route(handler: BaseHTTPRequestHandler) -> None:
            handler.send_response(status)
            if content_type:
                handler.send_header("Content-Type", content_type)
            for name, value in headers.items():
                handler.send_header(name.replace("_", "-"), value)
            if length:
                handler.send_header("Content-Length", str(len(data)))
            handler.end_headers()
            handler.wfile.write(data)

        return self.on(path, route)

    def sequence(self, path: str, *routes: Callable[[BaseHTTPRequestHandler], None]) -> str:
        """Answer the n-th request with the n-th route (the last one repeats)."""
        calls = iter(range(10_000))

        def route(handler: BaseHTTPRequestHandler) -> None:
            routes[min(next(calls), len(routes) - 1)](handler)

        return self.on(path, route)

    def count(self, path: str) -> int:
        return sum(1 for r in self.requests if r.path == path)

    def paths(self) -> list[str]:
        return [r.path for r in self.requests]


def answer(status: int, body: bytes | str = PAGE, **headers: str) -> Callable[[BaseHTTPRequestHandler], None]:
    data = body.encode("utf-8") if isinstance(body, str) else body

    def route(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(status)
        handler.send_header("Content-Type", "text/html; charset=utf-8")
        for name, value in headers.items():
            handler.send_header(name.replace("_", "-"), value)
        handler.send_header("Content-Length", str(len(data)))
        handler.end_headers()
        handler.wfile.write(data)

    return route


class FakeClock(Clock):
    """Time that only moves when the fetcher sleeps; every sleep is recorded."""

    def __init__(self) -> None:
        self.time = 1000.0
        self.sleeps: list[float] = []
        self._lock = threading.Lock()

    def now(self) -> float:
        with self._lock:
            return self.time

    def wall(self) -> float:
        """The same time as seconds since the epoch (a fixed day in 2026), so claims in a pacing store compare."""
        return 1_780_000_000.0 + self.now()

    def sleep(self, seconds: float) -> None:
        with self._lock:
            self.sleeps.append(seconds)
            self.time += seconds

    def advance(self, seconds: float) -> None:
        with self._lock:
            self.time += seconds
