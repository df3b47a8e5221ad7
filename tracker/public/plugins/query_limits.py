"""What one visitor's SQL may cost the public site.

Open SQL stays (metadata.yml says why), but a query box on the internet is an
attack surface: `select zeroblob(40000000)` once answered with a 240 MB body
and grew the process by 600 MB, and six looping recursive queries made the
claims page wait seconds, because visitors' SQL and the reader pages shared
Datasette's three SQL threads. So free-form SQL (a request with `sql=` or
`_where=`) gets:

- its own threads (`sql_threads`): it runs on a separate executor with its
  own connections, so the reader pages, the tables and the canned queries,
  which stay on Datasette's executor, never wait behind it; and those
  threads run at the lowest CPU priority (nice 19, Linux), so on a busy
  machine the threads serving readers get the cores first;
- a limit on how many run or wait at once (`sql_in_flight`); past it the
  answer is 503 with Retry-After at once, rather than a queue that grows;
- a rate per client address (`sql_per_minute`, a token bucket); past it 429
  with Retry-After;
- a refusal (429, 503) that comes after a second's wait, holding the
  connection but no thread: a client that loops on its refusals otherwise
  sends hundreds a second, and answering them takes the event loop the
  reader pages need (bench/public.py, abuse_ratio). At most
  MAX_HELD refusals wait at once; past that they are answered at once;
- a budget on what its rows may hold (`max_response_bytes`, counted as the
  rows are fetched, so an oversized result stops before it is held in
  memory, not after); the query answers 400 saying so.

Every response without a streamed body is also held to `max_response_bytes`
(a second lock: a table page cannot grow past it either). CSV streams of a
table (`_stream=on`) are paged by Datasette and bounded by the public file.
The length limit on single values (sqlite3 `setlimit`) is set on every
connection in connection_limits.py.

Loaded by Datasette from --plugins-dir as a bare module, so it imports
nothing from `tracker`.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import json
import math
import os
import sqlite3
import threading
import time
from collections import OrderedDict
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import parse_qsl

from datasette import hookimpl

CONFIG = "newsroom-tracker"
DEFAULTS = {"sql_threads": 2, "sql_in_flight": 4, "sql_per_minute": 30, "max_response_bytes": 4_000_000}
FREE_FORM_PARAMS = frozenset({"sql", "_where"})
# Clients remembered by the rate limit; the least recently seen are forgotten first.
MAX_CLIENTS = 10_000
# SQLite instructions between two checks of the time limit for visitors' SQL (about 8 ms of work).
PROGRESS_STEPS = 100_000
# How long a refusal waits before it is sent, and how many may wait at once.
HOLD_SECONDS = 1.0
MAX_HELD = 512


def setting(datasette, name: str) -> int:
    value = (datasette.plugin_config(CONFIG) or {}).get(name)
    try:
        return int(value) if value not in (None, "") else DEFAULTS[name]
    except (TypeError, ValueError):
        return DEFAULTS[name]


def is_free_form(query_string: bytes) -> bool:
    """Does this request carry SQL of the visitor's own (`sql=` or `_where=`)?"""
    if b"sql" not in query_string and b"_where" not in query_string:
        return False
    names = {name for name, _ in parse_qsl(query_string.decode("latin-1"), keep_blank_values=True)}
    return bool(names & FREE_FORM_PARAMS)


class RateLimit:
    """A token bucket per client: `per_minute` queries, refilled evenly; a burst of at most `per_minute`."""

    def __init__(self, per_minute: int, clock=time.monotonic, max_clients: int = MAX_CLIENTS):
        self.rate = per_minute / 60.0
        self.capacity = float(per_minute)
        self.clock = clock
        self.max_clients = max_clients
        self.buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()

    def take(self, client: str) -> float:
        """0 when the client may go ahead (one token taken), else the seconds until it may."""
        now = self.clock()
        tokens, at = self.buckets.get(client, (self.capacity, now))
        tokens = min(self.capacity, tokens + (now - at) * self.rate)
        self.buckets[client] = (tokens, now)
        self.buckets.move_to_end(client)
        while len(self.buckets) > self.max_clients:
            self.buckets.popitem(last=False)
        if tokens >= 1:
            self.buckets[client] = (tokens - 1, now)
            return 0.0
        return (1 - tokens) / self.rate if self.rate > 0 else 3600.0


class ResultTooLarge(sqlite3.OperationalError):
    """Raised while fetching: the rows of one request would pass the response budget."""


class Budget:
    """Characters a request's query results may still hold, charged as JSON would spell them."""

    def __init__(self, limit: int):
        self.limit = limit
        self.left = limit

    def charge(self, row) -> None:
        cost = 16
        for value in row:
            if isinstance(value, str):
                # Control and non-ASCII characters become \\uXXXX in JSON: six characters each.
                cost += len(value) if value.isascii() and value.isprintable() else 6 * len(value)
            elif isinstance(value, bytes):
                cost += 2 * len(value)  # base64 in JSON, hex links in HTML
            else:
                cost += 8
        self.left -= cost
        if self.left < 0:
            raise ResultTooLarge(
                f"This query's result is larger than the site serves ({self.limit:,} bytes): "
                "select fewer or shorter columns, or add a LIMIT."
            )


class BudgetedCursor:
    """A sqlite3 cursor whose fetches are charged to the request's Budget."""

    def __init__(self, cursor: sqlite3.Cursor, budget: Budget):
        self._cursor = cursor
        self._budget = budget

    def execute(self, *args):
        self._cursor.execute(*args)
        return self

    def fetchone(self):
        row = self._cursor.fetchone()
        if row is not None:
            self._budget.charge(row)
        return row

    def fetchmany(self, size: int | None = None):
        rows = []
        for _ in range(self._cursor.arraysize if size is None else size):
            row = self.fetchone()
            if row is None:
                break
            rows.append(row)
        return rows

    def fetchall(self):
        return list(iter(self.fetchone, None))

    def __iter__(self):
        return iter(self.fetchone, None)

    def __getattr__(self, name):
        return getattr(self._cursor, name)


class BudgetedConnection:
    """A connection handed to Datasette for one free-form request: its cursors are budgeted.

    Datasette enforces sql_time_limit_ms with a progress handler, a Python
    function SQLite calls every 1,000 instructions (about 0.08 ms): each
    call takes the GIL, so a looping query took it some 12,000 times a
    second and the event loop serving readers waited in line for it
    (readers' p95 rose 5-10 times in bench/public.py). Here the handler runs
    every PROGRESS_STEPS instructions instead (about 8 ms): the time limit
    still holds to within those few milliseconds.
    """

    def __init__(self, conn: sqlite3.Connection, budget: Budget):
        self._conn = conn
        self._budget = budget

    def cursor(self, *args):
        return BudgetedCursor(self._conn.cursor(*args), self._budget)

    def set_progress_handler(self, handler, n: int) -> None:
        self._conn.set_progress_handler(handler, max(n, PROGRESS_STEPS))

    def execute(self, *args):
        return self.cursor().execute(*args)

    def __getattr__(self, name):
        return getattr(self._conn, name)


# Set for the duration of a free-form request: the Budget its queries are charged to.
FREE_FORM: contextvars.ContextVar[Budget | None] = contextvars.ContextVar("newsroom_free_form_sql", default=None)


def lowest_priority() -> None:
    """Run this thread at nice 19: the kernel gives its CPU to every other thread first (Linux: per thread)."""
    with contextlib.suppress(AttributeError, OSError):
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 19)


def route_free_form_sql(datasette, executor: ThreadPoolExecutor) -> None:
    """Run every query of a free-form request on `executor`, with its own connections.

    Datasette has one executor for everything; `Database.execute_fn` is where
    each query goes to a thread, so each file database's execute_fn is
    replaced by one that sends free-form requests (FREE_FORM is set) to our
    executor and everything else to Datasette's own, unchanged.
    """
    local = threading.local()
    for name, database in datasette.databases.items():
        if database.is_memory or getattr(database, "_newsroom_routed", False):
            continue
        original = database.execute_fn

        def in_our_thread(fn, budget, name=name, database=database):
            conn = getattr(local, name, None)
            if conn is None:
                conn = database.connect()
                datasette._prepare_connection(conn, name)
                setattr(local, name, conn)
            return fn(BudgetedConnection(conn, budget))

        async def execute_fn(fn, original=original, in_our_thread=in_our_thread):
            budget = FREE_FORM.get()
            if budget is None:
                return await original(fn)
            return await asyncio.get_running_loop().run_in_executor(executor, in_our_thread, fn, budget)

        database.execute_fn = execute_fn
        database._newsroom_routed = True


async def refuse(send, state: dict, status: int, message: str, retry_after: float) -> None:
    """A 429 or 503, sent after HOLD_SECONDS (unless MAX_HELD are waiting already)."""
    if state["held"] < MAX_HELD:
        state["held"] += 1
        try:
            await asyncio.sleep(HOLD_SECONDS)
        finally:
            state["held"] -= 1
    await answer(send, status, message, retry_after)


async def answer(send, status: int, message: str, retry_after: float | None = None) -> None:
    headers = [(b"content-type", b"application/json; charset=utf-8")]
    if retry_after is not None:
        headers.append((b"retry-after", str(max(1, math.ceil(retry_after))).encode()))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": json.dumps({"ok": False, "error": message}).encode()})


def capped(send, limit: int, free_form: bool):
    """`send` holding a whole (unstreamed) body to `limit` bytes, and a free-form stream too."""
    state = {"start": None, "sent": 0, "streaming": False}

    async def send_capped(message):
        if message["type"] == "http.response.start":
            state["start"] = message
            return
        if message["type"] != "http.response.body":
            await send(message)
            return
        body = message.get("body", b"")
        if state["start"] is not None:
            start, state["start"] = state["start"], None
            if not message.get("more_body") and len(body) > limit:
                await answer(send, 400, f"The response would be larger than the site serves ({limit:,} bytes).")
                state["sent"] = -1
                return
            state["streaming"] = bool(message.get("more_body"))
            await send(start)
        if state["sent"] < 0:
            return
        state["sent"] += len(body)
        if free_form and state["streaming"] and state["sent"] > limit:
            state["sent"] = -1
            await send({"type": "http.response.body", "body": b"", "more_body": False})
            return
        await send(message)

    return send_capped


@hookimpl
def asgi_wrapper(datasette):
    limit = setting(datasette, "max_response_bytes")
    in_flight_max = setting(datasette, "sql_in_flight")
    rate = RateLimit(setting(datasette, "sql_per_minute"))
    executor = ThreadPoolExecutor(
        max_workers=setting(datasette, "sql_threads"), thread_name_prefix="free-form-sql", initializer=lowest_priority
    )
    state = {"in_flight": 0, "held": 0, "routed": False}

    def wrap(app):
        async def limited(scope, receive, send):
            if scope.get("type") != "http":
                await app(scope, receive, send)
                return
            if not state["routed"]:
                route_free_form_sql(datasette, executor)
                state["routed"] = True
            if not is_free_form(scope.get("query_string", b"")):
                await app(scope, receive, capped(send, limit, False))
                return
            client = (scope.get("client") or ("unknown", 0))[0]
            wait = rate.take(client)
            if wait:
                await refuse(send, state, 429, "Too many SQL queries from your address; wait and try again.", wait)
                return
            if state["in_flight"] >= in_flight_max:
                await refuse(send, state, 503, "The SQL service is busy; try again in a moment.", 1)
                return
            state["in_flight"] += 1
            token = FREE_FORM.set(Budget(limit))
            try:
                await app(scope, receive, capped(send, limit, True))
            finally:
                FREE_FORM.reset(token)
                state["in_flight"] -= 1

        return limited

    return wrap
