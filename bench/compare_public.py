"""Whether two public files hold the same thing: every table row by row, the search indexes' shadow tables too.

A change meant to make publishing faster must leave what readers get as it was: build the public file with the code
before and after from the same working database (`bench/public.py --keep DIR` leaves one), then

    .venv/bin/python bench/compare_public.py BEFORE.db AFTER.db

It compares the schema (every table, index and its SQL), each table's rows in rowid order (a search index's virtual
table is read through its shadow tables, which hold the index as stored) and the header fields readers' SQLite reads
(page size, encoding, user_version). Prints what differs and exits 1, or prints "same" and exits 0.
"""

from __future__ import annotations

import argparse
import hashlib
import sqlite3
import sys
from pathlib import Path
from urllib.parse import quote

HEADER = ("page_size", "encoding", "user_version", "application_id", "auto_vacuum")


def digest(path: Path) -> dict[str, object]:
    """Per table: its row count and a hash of its rows in rowid order; per schema object: its SQL; the header."""
    conn = sqlite3.connect(f"file:{quote(str(path.absolute()))}?mode=ro", uri=True)
    try:
        found: dict[str, object] = {f"pragma {name}": conn.execute(f"PRAGMA {name}").fetchone()[0] for name in HEADER}
        objects = conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name").fetchall()
        for kind, name, table, sql in objects:
            found[f"{kind} {name}"] = (table, sql)
            if kind != "table" or (sql or "").upper().startswith("CREATE VIRTUAL TABLE"):
                continue
            without_rowid = "WITHOUT ROWID" in (sql or "").upper()
            order = "" if without_rowid else " ORDER BY rowid"
            rows = conn.execute(f"SELECT {'' if without_rowid else 'rowid, '}* FROM [{name}]{order}")
            h, n = hashlib.sha256(), 0
            for row in rows:
                h.update(repr(row).encode())
                n += 1
            found[f"rows {name}"] = (n, h.hexdigest())
        return found
    finally:
        conn.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("before", type=Path)
    parser.add_argument("after", type=Path)
    args = parser.parse_args()
    for path in (args.before, args.after):
        if not path.is_file():
            print(f"{path}: no such file", file=sys.stderr)
            return 2
    before, after = digest(args.before), digest(args.after)
    differ = [key for key in sorted(set(before) | set(after)) if before.get(key) != after.get(key)]
    for key in differ:
        print(f"differs: {key}: {before.get(key, 'missing')!r} against {after.get(key, 'missing')!r}")
    tables = sum(1 for key in before if key.startswith("rows "))
    if not differ:
        print(f"same: {tables} tables, every row")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
