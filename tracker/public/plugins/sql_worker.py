"""Visitors' own SQL, run in a process of its own at the lowest CPU priority.

A query that loops until its time limit burns a core for half a second. On
threads inside Datasette's process it also competes for the interpreter lock
with the event loop and the threads serving readers: every check of the time
limit takes the lock, and a thread at nice 19 that the kernel parks while
holding it stalls the whole process (bench/public.py measured readers' p95
rising 7 times under 8 such clients). In a separate process at nice 19 the
kernel alone shares the cores: readers' threads get them first, and nothing
the query does can hold them up.

query_limits.py starts one worker per free-form SQL slot (`sql_processes`),
sends it one query at a time and turns the answer back into what
`Database.execute` returns. The worker opens the same file read-only, with
every `prepare_connection` hook of the site (SQL functions, SQLite's length
limits) through a Datasette of its own built from the same metadata and
plugins directory, and the tokenizer's answer the site asked as it started
(sql_functions.py). It fetches at most the rows asked for and charges each to
the request's response budget, so an oversized result stops in the worker,
before it is pickled. It exits when its parent closes the pipe or after
IDLE_SECONDS without a query (the parent starts a new one when needed).

Run as `python sql_worker.py` by query_limits.py; Datasette also loads this
file from --plugins-dir, where it defines no hooks. It imports nothing from
`tracker` (a deployment ships only this directory).
"""

from __future__ import annotations

import contextlib
import os
import pickle
import select
import sqlite3
import struct
import sys
import time
from typing import BinaryIO

HEADER = struct.Struct("!I")
# A worker with nothing to do for this long exits; its memory goes back to the machine.
IDLE_SECONDS = 120.0
# SQLite instructions between two checks of the time limit (about 0.1 ms of work; this process is the only user).
PROGRESS_STEPS = 1_000
# Datasette's name for sql_functions.py loaded from --plugins-dir: handed the tokenizer's answer the site's process
# asked as it started (`fts_spaces`), so a visitor's query calling tracker_fts() never asks it here.
SEARCH_RULE_PLUGIN = "sql_functions.py"


def send(stream: BinaryIO, message: object) -> None:
    """One length-prefixed pickled message (both ends are this code; nothing from a visitor is unpickled)."""
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(HEADER.pack(len(data)) + data)
    stream.flush()


def receive(stream: BinaryIO) -> object | None:
    """The next message, or None at end of stream."""
    head = stream.read(HEADER.size)
    if len(head) < HEADER.size:
        return None
    (size,) = HEADER.unpack(head)
    data = stream.read(size)
    if len(data) < size:
        return None
    return pickle.loads(data)


class ResultTooLarge(sqlite3.OperationalError):
    """Raised while fetching: the rows of one request would pass the response budget."""


class Budget:
    """Characters a request's query results may still hold, charged as JSON would spell them."""

    def __init__(self, limit: int, left: int | None = None):
        self.limit = limit
        self.left = limit if left is None else left
        # Milliseconds of SQL the request's queries may still take together (query_limits.py sets and charges it;
        # None: no share, each query only its time limit).
        self.sql_ms_left: float | None = None
        # An HTML page's note of the cells it may draw (html_cells.py's `note`; None: JSON, CSV, no cap): its
        # result is cut to the rows that fit, and the note says so (query_limits.py).
        self.html_cut: dict | None = None

    def charge(self, row, names: int = 0) -> None:
        """Take one row off the budget; `names` is what its columns' names spell, repeated in each row
        of JSON objects (`_shape=array`): 64 names of 600 characters made each row of numbers 38 kB."""
        cost = 16 + names
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


def run_query(conn: sqlite3.Connection, request: dict) -> dict:
    """Run one query as Datasette's `Database.execute` would: time limit, at most `fetch` rows, budget.

    The answer is {"rows", "description", "left", "ms"} or {"error": exception class name, "args", "left", "ms"};
    "ms": how long it ran.
    """
    started = time.monotonic()
    deadline = started + request["time_limit_ms"] / 1000
    conn.set_progress_handler(lambda: 1 if time.monotonic() > deadline else 0, PROGRESS_STEPS)
    budget = Budget(request["limit"], request["left"])
    fetch = request["fetch"]
    try:
        cursor = conn.execute(request["sql"], request["params"])
        names = sum(len(str(column[0])) + 4 for column in cursor.description or ())
        rows = []
        while fetch is None or len(rows) < fetch:
            row = cursor.fetchone()
            if row is None:
                break
            budget.charge(row, names)
            rows.append(tuple(row))
        ms = (time.monotonic() - started) * 1000
        return {"rows": rows, "description": cursor.description, "left": budget.left, "ms": ms}
    except (sqlite3.Error, OverflowError) as error:
        # OverflowError: a parameter SQLite cannot hold (a filter of 2**63), raised while binding it;
        # uncaught, it ended this process, and the fresh one the query was retried on.
        ms = (time.monotonic() - started) * 1000
        return {"error": type(error).__name__, "args": error.args, "left": budget.left, "ms": ms}
    finally:
        conn.set_progress_handler(None, PROGRESS_STEPS)


def connect(setup: dict) -> sqlite3.Connection:
    """A connection to the file exactly as the site's Datasette prepares one (hooks, limits, row factory)."""
    from datasette.app import Datasette
    from datasette.database import Database
    from datasette.plugins import pm

    datasette = Datasette(
        [],
        metadata=setup["metadata"],
        plugins_dir=setup["plugins_dir"],
        settings=setup["settings"],
        sqlite_extensions=setup["sqlite_extensions"],
    )
    database = datasette.add_database(
        Database(datasette, path=setup["path"], is_mutable=setup["is_mutable"]), name=setup["name"]
    )
    conn = database.connect()
    datasette._prepare_connection(conn, setup["name"])
    functions = pm.get_plugin(SEARCH_RULE_PLUGIN)
    if functions is not None and setup.get("fts_spaces") is not None:
        functions.known_spaces(setup["fts_spaces"])
    return conn


def main() -> None:
    with contextlib.suppress(AttributeError, OSError):
        os.setpriority(os.PRIO_PROCESS, 0, 19)
    requests = sys.stdin.buffer
    # Answers go out on a copy of stdout; anything a library prints lands on stderr instead of in the protocol.
    answers = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    setup = receive(requests)
    if setup is None:
        return
    conn = connect(setup)
    send(answers, {"ready": os.getpid()})
    waiting = select.poll()  # select() takes no descriptor past 1023; poll() any
    waiting.register(requests, select.POLLIN)
    while True:
        if not waiting.poll(IDLE_SECONDS * 1000):
            return
        request = receive(requests)
        if request is None:
            return
        send(answers, run_query(conn, request))


if __name__ == "__main__":
    main()
