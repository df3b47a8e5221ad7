"""What one visitor's SQL may cost the public site.

Open SQL stays (metadata.yml says why), but a query box on the internet is an
attack surface: `select zeroblob(40000000)` once answered with a 240 MB body
and grew the process by 600 MB, and six looping recursive queries made the
claims page wait seconds, because visitors' SQL and the reader pages shared
Datasette's three SQL threads. So free-form SQL (a request with `sql=`,
`_where=` or a raw search, `_searchmode=raw`, except on a ready-made query's page, which runs its own SQL and
ignores both: sent to the workers, its parameters could not cross to them
and every one answered 500) gets:

- processes of its own (`sql_processes`, sql_worker.py says why): each of
  its queries runs in a worker process at the lowest CPU priority (nice 19)
  with its own connection, so the reader pages, the tables and the canned
  queries, which stay on Datasette's threads, never wait behind it, and the
  kernel, not the interpreter lock, decides who gets the cores: readers
  first;
- a limit on how many run or wait at once (`sql_in_flight`); past it the
  answer is 503 with Retry-After at once, rather than a queue that grows;
- a rate per client address (`sql_per_minute`, a token bucket, client_rate.py:
  the editor's unsubscribe link counts by the same file); past it 429 with
  Retry-After;
- a share of the machine per client address (`sql_ms_per_minute`, 20,000
  by default: a bucket of milliseconds refilled evenly over a minute,
  charged after each request with all it cost, its SQL and the CPU time
  drawing and encoding its answer held the event loop, `RequestCost`, in
  one place, `charged`; at most 10,000 addresses remembered as for the
  rate). Within its 30 queries a minute, each allowed 5 s
  (`sql_request_ms`), one address kept a worker busy 150 s a minute, more
  than the whole of one; past its share it gets 429 with Retry-After (the
  time until the refill has paid for what it overspent) and a sentence
  saying so. A table's pages are refused so too (its rows, its facets, a
  row's page, as HTML, JSON or CSV: `held_to_share`): with no share, one
  address kept two of the three threads busy with facet pages of a large
  table, and counting their SQL alone, a page cheap in SQL but costly to
  draw (a wide table page) cost nothing. The site's own reader pages (the
  front page, story pages, the ready-made queries' pages, most from the
  page cache) are charged what they cost but never refused for it;
- a refusal (429, 503) that comes after a second's wait, holding the
  connection but no thread: a client that loops on its refusals otherwise
  sends hundreds a second, and answering them takes the event loop the
  reader pages need (bench/public.py, abuse_ratio). At most
  MAX_HELD refusals wait at once; past that they are answered at once;
- a budget on what its rows may hold (`max_response_bytes`, counted as the
  worker fetches the rows, so an oversized result stops before it is held
  in memory, not after); the query answers 400 saying so.

Every other request that may run SQL on Datasette's few threads (a table
page, JSON or CSV, a stream, a search, a reader page the page cache does not
hold yet) is held to one client's share: `reads_per_minute` (a token bucket;
past it 429 with Retry-After), whatever its query string, and `reads_at_once`
running at a time (up to MAX_WAITING_READS more wait their turn; past that
429), so one address sending dozens at once holds two SQL threads, not all
three. A page answered from the page cache (or rendered for another reader asking
at the same moment) gives its token back: a reader
clicking through the story, the timeline and the claims is never counted,
nor are static files. A browser refused while asking for a page (no .json
or .csv in the address, an Accept preferring text/html) gets the site's
error page saying when to try again; a download gets the JSON line. A
local or private address is a proxy nobody declared
(`proxies`), carrying every reader at once, and is not held to one reader's
share.

Every response without a streamed body is also held to `max_response_bytes`
(a second lock: a table page cannot grow past it either). CSV streams of a
table (`_stream=on`) are paged by Datasette and bounded by the public file.
The length limit on single values (sqlite3 `setlimit`) is set on every
connection in connection_limits.py.

What the server logs of a visitor's SQL is its start and its length
(`for_log`): a failed query's line (its SQL, parameters and SQLite's error,
which can quote the SQL) and the access log's line of every request (its
address, query string included). Logged whole, queries of up to 100 kB at
`sql_per_minute` filled the log by megabytes a minute from one address. A
failed query's line is a WARNING when SQLite refused the visitor's own words
(a syntax error, an unknown column, an advanced search FTS5 cannot read: the
visitor is answered 400), an ERROR only when the database itself failed.

Loaded by Datasette from --plugins-dir as a bare module, so it imports
nothing from `tracker` and loads sql_worker.py, client_rate.py and
addresses.py by their paths.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import importlib.util
import ipaddress
import json
import logging
import math
import os
import re
import select
import sqlite3
import subprocess
import sys
import threading
import time
from collections import deque
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import parse_qsl

from datasette import hookimpl
from datasette.database import QueryInterrupted, Results
from datasette.plugins import pm
from datasette.tracer import trace

CONFIG = "newsroom-tracker"
DEFAULTS = {
    "sql_processes": 2,
    "sql_in_flight": 4,
    "sql_per_minute": 30,
    "max_response_bytes": 4_000_000,
    "proxies": 0,
    "reads_per_minute": 60,
    "reads_at_once": 2,
    "sql_request_ms": 5_000,
    "sql_ms_per_minute": 20_000,
}
FREE_FORM_PARAMS = frozenset({"sql", "_where"})
RAW_SEARCH = ("_searchmode", "raw")
FREE_FORM_BYTES = (b"sql", b"_where", b"_searchmode")  # each name above, as a query string spells it unescaped
# Requests of one client that may wait for one of its `reads_at_once` places; past them it is told to come back.
MAX_WAITING_READS = 8
# What never runs SQL: static files (Datasette's, the plugins', the site's own mounted at /assets/).
STATIC_PREFIXES = ("/-/static/", "/-/static-plugins/", "/assets/")
STATIC_PATHS = frozenset({"/favicon.ico", "/robots.txt"})
# The error page's heading for a refusal (templates/error.html).
REFUSAL_TITLES = {429: "Too many requests", 503: "The site is busy"}
# Addresses no reader on the internet has: a connection from one is a proxy (or this machine's own tools),
# carrying everyone's requests, and is not held to one reader's share.
NOT_A_READER = tuple(
    ipaddress.ip_network(n)
    for n in ("127.0.0.0/8", "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "169.254.0.0/16", "100.64.0.0/10")
) + tuple(ipaddress.ip_network(n) for n in ("::1/128", "fc00::/7", "fe80::/10"))
# SQLite's words for a statement it cannot read or run as written: the visitor's mistake (logged as a WARNING).
SQL_MISTAKES = (
    "near ", "no such ", "unrecognized token", "incomplete input", "unterminated string", "fts5: ",
    "wrong number of arguments", "ambiguous column name", "misuse of ", "sub-select returns", "row value misused",
    "malformed MATCH", "unable to use function MATCH", "parser stack overflow", "Expression tree is too large",
    "malformed JSON", "LIKE or GLOB pattern too complex",
)  # fmt: skip
# The attribute of a Datasette holding the clock of its rates per client address: set by make_datasette's
# rate_clock (tracker/public/__init__.py, where tests hold it still); a server `datasette serve` starts has none,
# and counts in time.monotonic.
RATE_CLOCK = "newsroom_rate_clock"
# How long a refusal waits before it is sent, and how many may wait at once.
HOLD_SECONDS = 1.0
MAX_HELD = 512


def setting(datasette, name: str) -> int:
    """One of this file's settings (DEFAULTS), read by the site's one rule (html_cells.py's `setting`)."""
    return HTML_CELLS.setting(datasette, name, DEFAULTS[name])


def is_free_form(query_string: bytes) -> bool:
    """Does this request carry a query of the visitor's own (`sql=`, `_where=`, or a search in FTS5's own query
    language, `_searchmode=raw`, where `1* OR 2* OR ... 9*` merges every term of the index)?

    Names are read as Datasette reads them, percent-escapes decoded: `%73ql=` is `sql=` to Datasette, and a
    look for the bytes `sql` let it run on Datasette's own threads as a read. Only a query string with none of
    the names and no escape at all is passed over without parsing."""
    if b"%" not in query_string and not any(name in query_string for name in FREE_FORM_BYTES):
        return False
    pairs = parse_qsl(query_string.decode("latin-1"), keep_blank_values=True)
    return any(name in FREE_FORM_PARAMS or (name, value) == RAW_SEARCH for name, value in pairs)


def is_ready_made_query(datasette, scope: dict) -> bool:
    """Is this the page of one of metadata.yml's queries (its SQL ours, whatever `sql=` or `_where=` it is sent)?

    The address is read as Datasette reads it, tilde-encoded names too (`time~6Cine` is the timeline), by
    addresses.py's one rule, request_guard.py's too: read as written, such a page with `sql=` went to the
    visitors' SQL workers with the query's parameters, which cannot cross (a 500)."""
    path = ADDRESSES.routed_path(scope, datasette.setting("base_url"))
    return ADDRESSES.ready_made_query(datasette, path) is not None


def client_address(scope: dict, proxies: int) -> str:
    """The visitor's address: the connection's, or behind `proxies` trusted reverse proxies (TRACKER_PROXIES)
    the address the first of them saw, that many entries from the end of X-Forwarded-For.

    Behind a proxy every connection comes from the proxy, so one visitor's queries would use up
    everyone's rate; entries further left are the visitor's to write, and are never believed.
    """
    address = (scope.get("client") or ("unknown", 0))[0]
    if proxies <= 0:
        return network_of(address)
    values = [v.decode("latin-1") for k, v in scope.get("headers") or () if k.lower() == b"x-forwarded-for"]
    hops = [h.strip() for h in ",".join(values).split(",") if h.strip()]
    return network_of(hops[-proxies] if len(hops) >= proxies else address)


def is_reader_address(client: str) -> bool:
    """Is this (as client_address counts it) a reader's own address, to hold to one reader's share of the site?"""
    try:
        network = ipaddress.ip_network(client, strict=False)
    except ValueError:
        return False  # no address at all (an in-process client)
    # An IPv6 client is counted by its /64: the loopback address's is ::/64.
    return not any(network.subnet_of(n) or n.subnet_of(network) for n in NOT_A_READER if n.version == network.version)


def is_static(scope: dict, path: str, base: str = "") -> bool:
    """A static file's address, both as `path` reads and as Datasette routes it: by the raw path, where
    `/assets%2F..%2Fpublic` is not a file but a database's name (addresses.py's routed_path)."""
    routed = ADDRESSES.routed_path(scope, base)
    return all(p.startswith(STATIC_PREFIXES) or p in STATIC_PATHS for p in (path, routed))


class ClientSlots:
    """At most `at_once` requests of one client run at a time; up to `waiting` more wait their turn, in order.

    A reader opening a few links in tabs waits a moment; a client sending
    dozens at once holds `at_once` of Datasette's SQL threads, never all of
    them.
    """

    def __init__(self, at_once: int, waiting: int = MAX_WAITING_READS):
        self.at_once = max(1, at_once)
        self.waiting = waiting
        self.clients: dict[str, list] = {}  # client -> [running, deque of waiting futures]

    async def acquire(self, client: str) -> bool:
        """True once the client's request may run (release() it after); False when too many already wait."""
        entry = self.clients.setdefault(client, [0, deque()])
        if entry[0] < self.at_once:
            entry[0] += 1
            return True
        if len(entry[1]) >= self.waiting:
            return False
        turn = asyncio.get_running_loop().create_future()
        entry[1].append(turn)
        try:
            await turn
        except asyncio.CancelledError:
            if turn.done() and not turn.cancelled():
                self.release(client)  # given the place just as the request went away: pass it on
            else:
                entry[1].remove(turn)
            raise
        return True

    def release(self, client: str) -> None:
        entry = self.clients[client]
        while entry[1]:
            turn = entry[1].popleft()
            if not turn.done():
                turn.set_result(None)  # the place passes to the next waiting request
                return
        entry[0] -= 1
        if entry[0] <= 0:
            del self.clients[client]


class Row(tuple):
    """A result row as Datasette uses sqlite3.Row: by position, by column name (any case), keys().

    A worker's rows cross the pipe as plain tuples; `row_type` makes the
    class for one result's columns.
    """

    _columns: tuple[str, ...] = ()
    _index: dict[str, int] = {}

    def __getitem__(self, key):
        if isinstance(key, str):
            index = self._index.get(key, self._index.get(key.lower()))
            if index is None:
                raise IndexError("No item with that key")
            key = index
        return tuple.__getitem__(self, key)

    def keys(self) -> list[str]:
        return list(self._columns)


def row_type(description) -> type[Row]:
    columns = tuple(column[0] for column in description or ())
    index: dict[str, int] = {}
    for position, name in enumerate(columns):
        index.setdefault(name, position)
        index.setdefault(name.lower(), position)
    return type("Row", (Row,), {"_columns": columns, "_index": index})


class SqlWorker:
    """One worker process (sql_worker.py), used by one thread at a time: sends a query, waits for its answer.

    Started on first use; started again when it has exited (idle, or killed).
    A worker that does not answer within its query's time limit plus
    GRACE_SECONDS is killed and the query reported interrupted, and so is
    one that has used more CPU time than its time limit plus
    CPU_GRACE_SECONDS: SQLite checks the time limit only between the steps
    of a query, and a single step can run for many seconds
    (`printf('%.*c', 2000000000, 'x')`, a LIKE with a long pattern), which
    held a worker for a minute. The wall-clock grace stays long: a worker at
    nice 19 may wait for the cores while readers use them.
    """

    GRACE_SECONDS = 60.0
    CPU_GRACE_SECONDS = 1.0
    # How often a worker's CPU time is looked at while its answer is awaited.
    CPU_CHECK_SECONDS = 0.25
    START_SECONDS = 120.0

    def __init__(self, setup: dict):
        self.setup = setup
        self.proc: subprocess.Popen | None = None

    def start(self) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, WORKER_PATH], stdin=subprocess.PIPE, stdout=subprocess.PIPE, close_fds=True
        )
        # A worker ends on its own when idle (or is killed from outside); waiting for it here reaps it at
        # once, instead of leaving a zombie in the process table until the next visitor's query.
        threading.Thread(target=self.proc.wait, name=f"sql-worker-{self.proc.pid}-reaper", daemon=True).start()
        WORKER.send(self.proc.stdin, self.setup)
        if not isinstance(self.answer(self.START_SECONDS), dict):
            self.stop()
            raise sqlite3.OperationalError("The SQL service could not start; try again in a moment.")

    def answer(self, timeout: float) -> dict | str:
        """The worker's next message, or "timeout", or "exited" (its end of the pipe closed).

        poll(), not select(): select takes no descriptor numbered past 1023,
        and a busy site holding that many sockets gave its new workers' pipes
        higher numbers (every visitor's query was a 500).
        """
        waiting = select.poll()
        waiting.register(self.proc.stdout, select.POLLIN)
        if not waiting.poll(max(0.0, timeout) * 1000):
            return "timeout"
        reply = WORKER.receive(self.proc.stdout)
        return "exited" if reply is None else reply

    def answer_within(self, time_limit: float) -> dict | str:
        """The worker's answer to a query, or "timeout" once it has used time_limit and its graces."""
        deadline = time.monotonic() + time_limit + self.GRACE_SECONDS
        started = cpu_seconds(self.proc.pid)
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                return "timeout"
            reply = self.answer(min(left, self.CPU_CHECK_SECONDS))
            if reply != "timeout":
                return reply
            used = cpu_seconds(self.proc.pid)
            if started is not None and used is not None and used - started > time_limit + self.CPU_GRACE_SECONDS:
                return "timeout"

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.kill()
            self.proc.wait()
            for stream in (self.proc.stdin, self.proc.stdout):
                with contextlib.suppress(OSError):
                    stream.close()
            self.proc = None

    def ensure_started(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            self.stop()
            self.start()

    def run(self, request: dict) -> dict:
        for _ in range(2):  # a worker may have just exited (idle, killed): one more try with a fresh one
            self.ensure_started()
            try:
                WORKER.send(self.proc.stdin, request)
            except OSError:
                self.stop()
                continue
            reply = self.answer_within(request["time_limit_ms"] / 1000)
            if isinstance(reply, dict):
                return reply
            self.stop()
            if reply == "timeout":
                return {"error": "OperationalError", "args": ("interrupted",), "left": request["left"]}
        return {"error": "OperationalError", "args": ("The SQL service stopped; try again.",), "left": request["left"]}


def cpu_seconds(pid: int) -> float | None:
    """CPU time (user and system) the process has used so far; None where /proc cannot tell."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
        fields = stat[stat.rindex(")") + 2 :].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return None


def load_beside(name: str):
    """A file beside this one (Datasette loads plugins as bare modules: no package to import from)."""
    path = Path(__file__).resolve().with_name(name)
    spec = importlib.util.spec_from_file_location(f"newsroom_{path.stem}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


WORKER_PATH = str(Path(__file__).resolve().with_name("sql_worker.py"))
WORKER = load_beside("sql_worker.py")
# The rate per client address, and what a client's address is: one rule with the editor's (client_rate.py).
CLIENT_RATE = load_beside("client_rate.py")
RateLimit, network_of = CLIENT_RATE.RateLimit, CLIENT_RATE.network_of
# Which ready-made query an address names, read as Datasette reads it: one rule with request_guard.py's.
ADDRESSES = load_beside("addresses.py")
# How many cells an HTML page draws: the SQL page's rows are cut to them here.
HTML_CELLS = load_beside("html_cells.py")
# A sorted table's first page ordered as its later pages are, so paging gives every row once.
SORT_ORDER = load_beside("sort_order.py")


# Set for the duration of a free-form request: the Budget its queries are charged to.
FREE_FORM: contextvars.ContextVar = contextvars.ContextVar("newsroom_free_form_sql", default=None)
# Set during a request counted to its address's share (`sql_ms_per_minute`): the RequestCost it is charged.
REQUEST_COST: contextvars.ContextVar = contextvars.ContextVar("newsroom_request_cost", default=None)
# A table's page (/DATABASE/TABLE) or a row's (/DATABASE/TABLE/ID), in any format.
TABLE_OR_ROW = re.compile(r"^/[^/]+/[^/.]+(?:/[^/]+)?$|^/[^/]+/[^/.]+\.\w+$")
# A claim's page (row-public-claims.html) and the TimelineJS export (timeline_js.py, at a table's place) are the
# site's own reader pages, not a table's.
READER_PAGES = re.compile(r"^/[^/]+/claims/[^/.]+$|^/public/timeline-js\.json$")


class RequestCost:
    """What one request cost the machine, in milliseconds, charged whole to its address's share once it is answered.

    Three parts, each counted where it is spent: its SQL on Datasette's
    threads (execute_fn, the time the SQL took, not the wait for a thread),
    its SQL in a worker process (the time the worker reports), and the CPU
    time its own code held the event loop (drawn), drawing the HTML,
    encoding a page's JSON or CSV. Counting SQL alone, a page cheap in SQL
    but costly to draw (a wide table page, `events?_size=max`) cost its
    address almost nothing however often it was asked for.
    """

    def __init__(self) -> None:
        self.ms = 0.0


class Drawn:
    """A request's coroutine, each of its steps on the event loop timed in CPU time (`time.thread_time`) and added
    to `cost`: what drawing and encoding its answer took, between the waits for SQL or for the client.

    The loop runs one step of one request at a time, on one thread, so the thread's CPU time across a step is that
    request's alone: other requests' steps, other threads (SQL, workers) and a machine busy elsewhere are not in it.
    """

    def __init__(self, coroutine, cost: RequestCost) -> None:
        self.coroutine = coroutine
        self.cost = cost

    def __await__(self):
        steps = self.coroutine.__await__()
        step, value = steps.send, None
        while True:
            started = time.thread_time()
            try:
                waits_for = step(value)
            except StopIteration as done:
                return done.value
            finally:
                self.cost.ms += (time.thread_time() - started) * 1000
            try:
                value, step = (yield waits_for), steps.send
            except GeneratorExit:
                steps.close()
                raise
            except BaseException as error:  # a cancellation thrown in: passed on to the request's own code
                value, step = error, steps.throw


def held_to_share(datasette, path: str) -> bool:
    """Is `path` (as routed_path gives it) a table's or a row's page, refused to a client past its share
    (`sql_ms_per_minute`)? A ready-made query's page, a claim's page, the TimelineJS export, the front page and the
    story pages are not: they are charged what they cost, but never refused for it."""
    if not TABLE_OR_ROW.match(path) or READER_PAGES.match(path) or ADDRESSES.ready_made_query(datasette, path):
        return False
    return ADDRESSES.tilde_decode(path.split("/")[1]) in datasette.databases


# Datasette's name for sql_functions.py once loaded from --plugins-dir, whose tokenizer answer workers are handed.
SEARCH_RULE_PLUGIN = "sql_functions.py"


def worker_setup(datasette, database) -> dict:
    """What a worker needs to open the file as this Datasette does, and the tokenizer's answer this process has
    (sql_functions.py's, asked as the site starts), so that no visitor's query in a worker asks again."""
    functions = pm.get_plugin(SEARCH_RULE_PLUGIN)
    return {
        "fts_spaces": functions.unicode61_spaces() if functions is not None else None,
        "path": database.path,
        "name": database.name,
        "is_mutable": database.is_mutable,
        "metadata": getattr(datasette, "_metadata_local", None) or {},
        "plugins_dir": datasette.plugins_dir,
        "settings": dict(datasette._settings),
        "sqlite_extensions": datasette.sqlite_extensions,
    }


class WorkerPool:
    """`size` threads, each with one worker process per database; a visitor's query takes a free thread."""

    def __init__(self, size: int):
        self.size = size
        self.executor = ThreadPoolExecutor(max_workers=size, thread_name_prefix="free-form-sql")
        self.local = threading.local()
        self.setups: dict[str, dict] = {}
        self.started = False

    def worker(self, name: str) -> SqlWorker:
        workers = self.local.__dict__.setdefault("workers", {})
        if name not in workers:
            workers[name] = SqlWorker(self.setups[name])
        return workers[name]

    def start(self) -> None:
        """Start every thread's workers at once (on the first visitor's query), not one per first query later."""
        if self.started:
            return
        self.started = True
        barrier = threading.Barrier(self.size)

        def start_here() -> None:
            # Each task holds its thread until every thread has one, so each thread starts its own workers.
            with contextlib.suppress(threading.BrokenBarrierError):
                barrier.wait(timeout=SqlWorker.START_SECONDS)
            for name in self.setups:
                with contextlib.suppress(sqlite3.Error, OSError):
                    self.worker(name).ensure_started()

        for _ in range(self.size):
            self.executor.submit(start_here)

    async def run(self, name: str, request: dict) -> dict:
        return await asyncio.get_running_loop().run_in_executor(self.executor, lambda: self.worker(name).run(request))


def route_free_form_sql(datasette, pool: WorkerPool) -> None:
    """Send every query of a free-form request to a worker process (sql_worker.py).

    `Database.execute` is where Datasette runs a query's SQL (the query page,
    a table's rows, count and facets under `_where=`); each file database's
    execute is replaced by one that, during a free-form request (FREE_FORM
    is set), hands the query to a worker through one of `executor`'s
    threads, and otherwise calls Datasette's own, with the line a failed query
    leaves in the log written here (log_failed_query). Schema lookups
    (`execute_fn`) run no SQL of the visitor's and stay where they were.
    """
    for name, database in datasette.databases.items():
        if database.is_memory or getattr(database, "_newsroom_routed", False):
            continue
        original = database.execute
        pool.setups[name] = worker_setup(datasette, database)

        async def execute(
            sql,
            params=None,
            truncate=False,
            custom_time_limit=None,
            page_size=None,
            log_sql_errors=True,
            original=original,
            name=name,
            database=database,
        ):
            sql = await SORT_ORDER.tiebroken(database, sql)
            budget = FREE_FORM.get()
            if budget is None:
                try:
                    return await original(sql, params, truncate, custom_time_limit, page_size, False)
                except sqlite3.DatabaseError as error:
                    if log_sql_errors:
                        log_failed_query("SQL", sql, params, error)
                    raise
            time_limit_ms = datasette.sql_time_limit_ms
            if custom_time_limit and custom_time_limit < time_limit_ms:
                time_limit_ms = custom_time_limit
            if budget.sql_ms_left is not None:
                # The request's share of SQL time (sql_request_ms), for all its queries: a stream's parts each
                # within the time limit held a worker for a minute. Spent, the next query is cut off unrun.
                if budget.sql_ms_left <= 0:
                    raise QueryInterrupted(sqlite3.OperationalError("interrupted"), sql, params)
                time_limit_ms = min(time_limit_ms, math.ceil(budget.sql_ms_left))
            # What Datasette's own execute fetches: one row past max_returned_rows to tell it was truncated.
            max_rows = datasette.max_returned_rows
            if max_rows == (page_size or datasette.page_size):
                max_rows += 1
            fetch = max_rows + 1 if max_rows and truncate else None
            request = {
                "sql": sql,
                "params": params if params is not None else {},
                "time_limit_ms": time_limit_ms,
                "fetch": fetch,
                "limit": budget.limit,
                "left": budget.left,
            }
            with trace("sql", database=name, sql=sql.strip(), params=params):
                reply = await pool.run(name, request)
            budget.left = reply["left"]
            spent = reply.get("ms", time_limit_ms)  # a worker killed for its time: all of it
            cost = REQUEST_COST.get()
            if cost is not None:
                cost.ms += spent
            if budget.sql_ms_left is not None:
                budget.sql_ms_left -= spent
            if "error" in reply:
                raise worker_error(reply, sql, params, log_sql_errors)
            make_row = row_type(reply["description"])
            rows = [make_row(row) for row in reply["rows"]]
            truncated = fetch is not None and len(rows) > max_rows
            rows = rows[:max_rows] if truncated else rows
            if budget.html_cut is not None and fetch is not None:
                cut = within_html_cells(budget.html_cut, rows, len(reply["description"] or ()), truncated)
                truncated, rows = truncated or len(cut) < len(rows), cut
            return Results(rows, truncated, reply["description"])

        async def execute_fn(fn, original_fn=database.execute_fn):
            """Datasette's, timing `fn` on its thread when the request is charged to its address (REQUEST_COST
            set): the time the SQL took, not the time it waited for a thread."""
            spent = REQUEST_COST.get()
            if spent is None:
                return await original_fn(fn)

            def timed(conn):
                start = time.perf_counter()
                try:
                    return fn(conn)
                finally:
                    spent.ms += (time.perf_counter() - start) * 1000

            return await original_fn(timed)

        database.execute = execute
        database.execute_fn = execute_fn
        database._newsroom_routed = True


def within_html_cells(said: dict, rows: list, columns: int, truncated: bool) -> list:
    """The first of a SQL page's `rows` that fit in the cells an HTML page draws (html_cells.py says why), the
    cut noted in `said` for the page to say (`more`: the query found more rows than these, `max_returned_rows`);
    all of them when they fit. The page is then told it shows part of the result (Datasette's `truncated`)."""
    kept = HTML_CELLS.rows_within(said["cells"], columns)
    if len(rows) <= kept:
        return rows
    HTML_CELLS.say_cut(said, columns, kept, len(rows), whole=True)
    said["more"] = truncated
    return rows[:kept]


LOGGED_CHARS = 500  # of a visitor's SQL, parameters, error or address, in a log line


def for_log(text: str, limit: int = LOGGED_CHARS) -> str:
    """The start of a visitor's text and its length, for a log line that stays short whatever they sent."""
    if len(text) <= limit:
        return text
    return f"{text[:limit]}... ({len(text):,} characters)"


class ShortAccessLog(logging.Filter):
    """uvicorn's access log (`"%s %s HTTP/%s"` of method, address, version) with the address cut by for_log."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if isinstance(args, tuple) and len(args) == 5 and isinstance(args[2], str):
            record.args = (*args[:2], for_log(args[2]), *args[3:])
        return True


logging.getLogger("uvicorn.access").addFilter(ShortAccessLog())


def worker_error(reply: dict, sql: str, params, log_sql_errors: bool) -> Exception:
    """The exception Datasette's own execute would have raised for a worker's error answer."""
    if reply["error"] == "OverflowError":
        return OverflowError(*reply["args"])
    # sqlite3's own, or the worker's ResultTooLarge (an OperationalError: the visitor asked for more than is served).
    kind = getattr(sqlite3, reply["error"], None) or getattr(WORKER, reply["error"], None)
    if not (isinstance(kind, type) and issubclass(kind, sqlite3.Error)):
        kind = sqlite3.DatabaseError
    error = kind(*reply["args"])
    if tuple(reply["args"]) == ("interrupted",):
        return QueryInterrupted(error, sql, params)
    if log_sql_errors:
        log_failed_query("free-form SQL", sql, params, error)
    return error


def log_failed_query(kind: str, sql: str, params, error: BaseException) -> None:
    """One line for a query that failed, on a worker or on Datasette's own threads (whose own line, an ERROR with
    the whole SQL and parameters, Datasette is told not to write): its start and length (for_log), a WARNING when
    SQLite refused what the visitor wrote (answered 400, no fault of the site), an ERROR when the database failed."""
    level = "WARNING" if visitors_sql_mistake(error) else "ERROR"
    logged = f"sql = {for_log(sql)!r}, params = {for_log(str(params))}: {for_log(str(error))}"
    sys.stderr.write(f"{level}: {kind}, {logged}\n")
    sys.stderr.flush()


def visitors_sql_mistake(error: BaseException) -> bool:
    """Whether SQLite refused the visitor's own words (its syntax, a name, an advanced search FTS5 cannot read), or
    the result passed the response budget (more than the site serves), not the database (locked, unreadable, a
    full disk), which stays a server error in the log."""
    return (
        isinstance(error, WORKER.ResultTooLarge)
        or isinstance(error, sqlite3.OperationalError)
        and str(error).startswith(SQL_MISTAKES)
        # A value built past SQLite's length limit (`zeroblob(5e6)`, `randomblob(2e9)`): a DataError.
        or isinstance(error, sqlite3.DataError)
        and "too big" in str(error)
        # A parameter the query names and the visitor did not give (`select :x`, a `_where=` holding one).
        or isinstance(error, sqlite3.ProgrammingError | sqlite3.InterfaceError)
        and "binding" in str(error).lower()
    )


async def refuse(send, state: dict, status: int, message: str, retry_after: float, page=None) -> None:
    """A 429 or 503, sent after HOLD_SECONDS (unless MAX_HELD are waiting already): to a reader's browser
    asking for a page, `page` (an async callable rendering the site's error page), else the JSON line."""
    if state["held"] < MAX_HELD:
        state["held"] += 1
        try:
            await asyncio.sleep(HOLD_SECONDS)
        finally:
            state["held"] -= 1
    if page is None:
        await answer(send, status, message, retry_after)
        return
    headers = [(b"content-type", b"text/html; charset=utf-8"), retry_header(retry_after)]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": (await page(status, message)).encode()})


def retry_header(retry_after: float) -> tuple[bytes, bytes]:
    return (b"retry-after", str(max(1, math.ceil(retry_after))).encode())


async def answer(send, status: int, message: str, retry_after: float | None = None) -> None:
    headers = [(b"content-type", b"application/json; charset=utf-8")]
    if retry_after is not None:
        headers.append(retry_header(retry_after))
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


def share_spent(wait: float) -> str:
    """The refusal of a client past its share of SQL time (`sql_ms_per_minute`), saying how long to wait."""
    return (
        "Your address has used its share of the site's SQL time for now: "
        f"wait {max(1, math.ceil(wait))} s and try again, or ask for less (a filter, a LIMIT, fewer facets)."
    )


@hookimpl
def asgi_wrapper(datasette):
    limit = setting(datasette, "max_response_bytes")
    in_flight_max = setting(datasette, "sql_in_flight")
    sql_request_ms = setting(datasette, "sql_request_ms")
    html_cells = HTML_CELLS.html_cells(datasette)
    clock = getattr(datasette, RATE_CLOCK, time.monotonic)
    rate = RateLimit(setting(datasette, "sql_per_minute"), clock)
    # The SQL time one client's requests may spend, a bucket of milliseconds refilled evenly over a minute; 0: none.
    sql_time = RateLimit(setting(datasette, "sql_ms_per_minute"), clock)
    proxies = max(0, min(setting(datasette, "proxies"), 5))
    pool = WorkerPool(setting(datasette, "sql_processes"))
    state = {"in_flight": 0, "held": 0, "routed": False}
    reads = RateLimit(setting(datasette, "reads_per_minute"), clock)
    slots = ClientSlots(setting(datasette, "reads_at_once"))

    def error_page(scope, receive, path):
        """For a browser asking for a page, what renders the site's error page for a refusal; else None."""
        if not ADDRESSES.wants_page(scope, path):
            return None

        async def render(status: int, message: str) -> str:
            return await ADDRESSES.refusal_page(datasette, scope, receive, status, REFUSAL_TITLES.get(status), message)

        return render

    async def charged(request, client: str, took: bool) -> None:
        """Run `request` (the app's coroutine for one request), then charge its address's share of SQL time with
        all it cost (RequestCost: its SQL, and the CPU drawing and encoding its answer took), whether it was
        answered or failed: the one place a request's cost is counted. `took`: a token was taken before it ran,
        part of what it cost."""
        if sql_time.capacity <= 0:
            await request
            return
        cost = RequestCost()
        token = REQUEST_COST.set(cost)
        try:
            await Drawn(request, cost)
        finally:
            REQUEST_COST.reset(token)
            sql_time.charge(client, cost.ms - (1 if took else 0))

    def wrap(app):
        async def read(scope, receive, send, path, table_page):
            """A request for anything but visitors' own SQL: held to one reader's share when it may run SQL, and
            refused past its share of SQL time when it is a table's or a row's page (`table_page`, held_to_share)."""
            client = client_address(scope, proxies)
            if (
                is_static(scope, path, datasette.setting("base_url").rstrip("/"))
                or scope.get("method") == "OPTIONS"  # a CORS preflight: answered without SQL
                or reads.capacity <= 0
                or not is_reader_address(client)
            ):
                await app(scope, receive, capped(send, limit, False))
                return
            wait = reads.take(client)
            if wait:
                message = f"Too many requests from your address: wait {max(1, math.ceil(wait))} s and try again."
                await refuse(send, state, 429, message, wait, error_page(scope, receive, path))
                return
            held = sql_time.capacity > 0 and table_page
            wait = sql_time.take(client) if held else 0
            if wait:
                reads.give_back(client)
                await refuse(send, state, 429, share_spent(wait), wait, error_page(scope, receive, path))
                return
            if not await slots.acquire(client):
                reads.give_back(client)
                message = "Too many requests at once from your address: wait a second and try again."
                await refuse(send, state, 429, message, 1, error_page(scope, receive, path))
                return
            cached = {"hit": False}

            async def send_noting_cache(message):
                if message["type"] == "http.response.start":
                    cached["hit"] = any(
                        k.lower() == b"x-page-cache" and v in (b"hit", b"shared") for k, v in message.get("headers", [])
                    )
                await send(message)

            try:
                await charged(app(scope, receive, capped(send_noting_cache, limit, False)), client, held)
            finally:
                slots.release(client)
            if cached["hit"]:
                reads.give_back(client)  # a page rendered for someone else costs nothing

        async def limited(scope, receive, send):
            if scope.get("type") != "http":
                await app(scope, receive, send)
                return
            if not state["routed"]:
                route_free_form_sql(datasette, pool)
                state["routed"] = True
            path = scope.get("path", "")
            base = datasette.setting("base_url").rstrip("/")
            if base and path.startswith(base):
                path = path[len(base) :] or "/"
            # A table's or a row's page (not a reader page drawn at such an address, `/stories/SLUG`, a claim's,
            # nor a ready-made query's: their SQL is ours, written for its indexes): Datasette's SQL for its rows
            # may get its tie-break (never a visitor's `?sql=`, sent to the database's page), and it is held to
            # the address's share. Each request is a task of its own, or sets it again: no reset needed.
            table_page = held_to_share(datasette, ADDRESSES.routed_path(scope, datasette.setting("base_url")))
            SORT_ORDER.TABLE_PAGE.set(table_page)
            if not is_free_form(scope.get("query_string", b"")) or is_ready_made_query(datasette, scope):
                await read(scope, receive, send, path, table_page)
                return
            client = client_address(scope, proxies)
            wait = rate.take(client)
            if wait:
                message = "Too many SQL queries from your address; wait and try again."
                await refuse(send, state, 429, message, wait, error_page(scope, receive, path))
                return
            wait = sql_time.take(client) if sql_time.capacity > 0 else 0
            if wait:
                await refuse(send, state, 429, share_spent(wait), wait, error_page(scope, receive, path))
                return
            if state["in_flight"] >= in_flight_max:
                message = "The SQL service is busy; try again in a moment."
                await refuse(send, state, 503, message, 1, error_page(scope, receive, path))
                return
            state["in_flight"] += 1
            pool.start()
            budget = WORKER.Budget(limit)
            budget.sql_ms_left = sql_request_ms
            routed = ADDRESSES.routed_path(scope, datasette.setting("base_url"))
            if html_cells > 0 and HTML_CELLS.is_sql_page(datasette, routed):
                budget.html_cut = HTML_CELLS.note(scope, html_cells)
                scope = {**scope, HTML_CELLS.SCOPE_KEY: budget.html_cut}
            token = FREE_FORM.set(budget)
            try:
                await charged(app(scope, receive, capped(send, limit, True)), client, sql_time.capacity > 0)
            finally:
                FREE_FORM.reset(token)
                state["in_flight"] -= 1

        return limited

    return wrap
