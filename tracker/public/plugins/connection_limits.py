"""SQLite's own limits on every connection Datasette opens, so no single value can exhaust memory.

`select zeroblob(40000000)` (or a string doubled in a recursive query) makes
SQLite build the whole value in memory, and Datasette then encodes it into a
response several times its size. SQLITE_LIMIT_LENGTH caps any one string,
BLOB or row (`max_value_bytes`, 1 MB; a publish refuses a public file with a
longer value, tracker/publish.py), and SQLITE_LIMIT_SQL_LENGTH caps the
statement itself. Past either, SQLite refuses with "string or blob too big"
and the visitor gets a 400. query_limits.py bounds how many rows a result
may hold. The length limit covers a row SQLite stores, not a row it returns:
`select zeroblob(999999), zeroblob(999999), ...` built one row of 200
megabytes (2,000 columns fit in the statement's limit), held twice over in
a SQL worker before the response budget could see it. So a result has at
most MAX_COLUMNS columns (SQLITE_LIMIT_COLUMN); the widest table has 17.

And no statement may call `fts3_tokenizer()`: Debian builds SQLite with
SQLITE_ENABLE_FTS3_TOKENIZER, so from the SQL box it answered the address of
a tokenizer in memory and registered a tokenizer at any address a visitor
gave, which SQLite would then call. Nothing we serve uses it (our full-text
tables are FTS5). Nor may one read `sqlite_stmt` (SQLITE_ENABLE_STMTVTAB):
it lists the statements a connection keeps prepared, and every visitor's
SQL runs on the same few worker connections, so it showed one visitor the
text of others' recent queries.

Loaded by Datasette from --plugins-dir as a bare module, so it imports
nothing from `tracker`.
"""

from __future__ import annotations

import sqlite3

from datasette import hookimpl

CONFIG = "newsroom-tracker"
DEFAULT_MAX_VALUE_BYTES = 1_000_000
MAX_SQL_LENGTH = 100_000
MAX_COLUMNS = 64


def max_value_bytes(datasette) -> int:
    value = (datasette.plugin_config(CONFIG) or {}).get("max_value_bytes") if datasette else None
    try:
        return int(value) if value not in (None, "") else DEFAULT_MAX_VALUE_BYTES
    except (TypeError, ValueError):
        return DEFAULT_MAX_VALUE_BYTES


REFUSED_FUNCTIONS = frozenset({"fts3_tokenizer"})
REFUSED_TABLES = frozenset({"sqlite_stmt"})


def refuse_functions(action: int, arg1, arg2, database, trigger) -> int:
    """SQLite's authorizer: every statement may run, unless it calls one of REFUSED_FUNCTIONS or reads
    one of REFUSED_TABLES.

    And `pragma_database_list` reads its `file` column as NULL: /-/databases is
    closed because it named the file's path on disk, and the SQL box named it
    too. Datasette's own `PRAGMA database_list` statement reads no column.
    """
    if action == sqlite3.SQLITE_FUNCTION and str(arg2 or "").lower() in REFUSED_FUNCTIONS:
        return sqlite3.SQLITE_DENY
    if action == sqlite3.SQLITE_READ and str(arg1 or "").lower() in REFUSED_TABLES:
        return sqlite3.SQLITE_DENY
    if action == sqlite3.SQLITE_READ and str(arg1 or "").lower() == "pragma_database_list" and arg2 == "file":
        return sqlite3.SQLITE_IGNORE
    return sqlite3.SQLITE_OK


@hookimpl
def prepare_connection(conn, datasette):
    conn.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, max_value_bytes(datasette))
    conn.setlimit(sqlite3.SQLITE_LIMIT_SQL_LENGTH, MAX_SQL_LENGTH)
    conn.setlimit(sqlite3.SQLITE_LIMIT_COLUMN, MAX_COLUMNS)
    conn.set_authorizer(refuse_functions)
