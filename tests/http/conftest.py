"""Fixtures for the HTTP client's tests: each behaviour is checked against a real server on 127.0.0.1."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from scrapers.http import Fetcher
from tests.http.local_server import UA, FakeClock, Server


@pytest.fixture
def server() -> Iterator[Server]:
    server = Server()
    server.thread.start()
    yield server
    server.httpd.shutdown()
    server.httpd.server_close()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def make_fetcher(clock: FakeClock) -> Iterator[Callable[..., Fetcher]]:
    made: list[Fetcher] = []

    def make(**settings) -> Fetcher:
        settings = {"allowed_hosts": {"127.0.0.1"}, "min_interval": 0, "clock": clock, **settings}
        fetcher = Fetcher(UA, **settings)
        made.append(fetcher)
        return fetcher

    yield make
    for fetcher in made:
        fetcher.close()
