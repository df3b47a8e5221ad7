"""CSV downloads that a spreadsheet opens as text, never as formulas.

A reader downloads a table or a timeline as CSV and opens it in Excel,
LibreOffice or Google Sheets. Those programs run a cell that starts with
`=`, `+`, `-` or `@` (or a tab or carriage return before one) as a formula:
a scraped quote or a claimant's handle such as `=HYPERLINK("https://…","Click")`
or `@SUM(…)` would become a live link or a calculation on the reader's
machine (CWE-1236). Every such cell of a `.csv` answer gets a leading
apostrophe, the neutralising prefix OWASP recommends, which spreadsheets
show as text; a plain number ("-3", "+1.5") is left alone, it is no formula.
HTML and JSON are not touched: the apostrophe is only for spreadsheets.

An ASGI wrapper around Datasette, so it sees every CSV Datasette streams
(table pages, canned and free-form queries, `_stream=on`) row by row as it
is sent: a row is rewritten once it is complete, so memory stays one row.
Among the innermost wrappers (`tryfirst`), inside the response cap of
query_limits.py, so the apostrophes and quotes it adds (a one-character "="
cell becomes four) are counted by the cap, not added after it.

A canned query's `csv_leaves_out` (metadata.yml) names columns its CSV leaves out: what its page reads to
lay itself out (the timeline's `has_older`) and its JSON keeps for programs, no use in a reader's spreadsheet.
Which query an address names is read as Datasette reads it (addresses.py, the guards' one rule): read as
written, `/public/~74imeline.csv`, the timeline's CSV to Datasette, kept every column.

A `.csv` answer is always the CSV: Datasette's debug switch `_trace` (which it honours on a CSV whatever its
`trace_debug` setting) is left out of the request. With it, Datasette sent the CSV as an HTML page (a
textarea) that this wrapper, reading CSV only, passed on as it was: with `_dl=1` a reader saved a `.csv`
whose cells a spreadsheet runs as formulas, and the columns `csv_leaves_out` names.

Loaded by Datasette from --plugins-dir as a bare module, so it imports
nothing from `tracker` and loads addresses.py by its path.
"""

from __future__ import annotations

import codecs
import importlib.util
import re
from pathlib import Path

from datasette import hookimpl

# One field of Python's csv.writer output (Datasette's) and what ends it: a quoted field (quotes
# doubled inside) or a bare one, then a comma or the end of the row. Possessive, so a long quoted
# field still waiting for its closing quote fails at once instead of backtracking through it.
FIELD = re.compile(r'("(?:[^"]++|"")*+"|[^,\r\n"]*+)(,|\r\n|\n)')
FORMULA_START = re.compile(r"[\t\r\n ]*[=+\-@]|[\t\r]")
NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def neutral_field(raw: str) -> str:
    """One field as written in the CSV, with an apostrophe before a formula."""
    value = raw[1:-1].replace('""', '"') if raw.startswith('"') else raw
    if not FORMULA_START.match(value) or NUMBER.fullmatch(value):
        return raw
    return '"' + ("'" + value).replace('"', '""') + '"'


class FormulaEscaper:
    """CSV text in, the same CSV out with formula cells neutralised; fed in pieces of any size.

    `leave_out`: names of the header row's columns written in no row.
    """

    def __init__(self, leave_out: frozenset[str] = frozenset()) -> None:
        self._decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        self._pending = ""
        self._leave_out = leave_out
        self._left_out: set[int] = set()
        self._header = True
        self._column = 0  # the column of the row's next field
        self._written = 0  # fields of the row written so far

    def feed(self, data: bytes, final: bool = False) -> bytes:
        text = self._pending + self._decoder.decode(data, final)
        out: list[str] = []
        pos = 0
        while True:
            match = FIELD.match(text, pos)
            if match is None:
                break
            self._field(out, match[1], match[2])
            pos = match.end()
        self._pending = text[pos:]
        if final and self._pending:
            self._field(out, self._pending, "")  # a last row without its line end
            self._pending = ""
        return "".join(out).encode("utf-8")

    def _field(self, out: list[str], raw: str, end: str) -> None:
        if not self._leave_out:
            out.append(neutral_field(raw) + end)
            return
        if self._header and (raw[1:-1].replace('""', '"') if raw.startswith('"') else raw) in self._leave_out:
            self._left_out.add(self._column)
        if self._column not in self._left_out:
            out.append(("," if self._written else "") + neutral_field(raw))
            self._written += 1
        if end == ",":
            self._column += 1
        else:
            out.append(end)
            self._header, self._column, self._written = False, 0, 0


def load_beside(name: str):
    """A file beside this one (Datasette loads plugins as bare modules: no package to import from)."""
    path = Path(__file__).resolve().with_name(name)
    spec = importlib.util.spec_from_file_location(f"newsroom_{path.stem}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# Which ready-made query an address names, read as Datasette reads it: the guards' one rule.
ADDRESSES = load_beside("addresses.py")


def left_out_columns(datasette, scope: dict) -> frozenset[str]:
    """The columns a canned query's CSV leaves out (its `csv_leaves_out`); none for a table or other SQL."""
    query = ADDRESSES.ready_made_query(datasette, ADDRESSES.routed_path(scope, datasette.setting("base_url")))
    return frozenset((query or {}).get("csv_leaves_out") or ())


# Datasette's switch that turns a CSV into an HTML page showing it (views/base.py, as_csv).
DEBUG_SWITCH = "_trace"


def without_debug_switch(query_string: bytes) -> bytes:
    """The query string without `_trace`, its name read as Datasette reads it (`%5Ftrace` too); the rest as sent."""
    if b"trace" not in query_string.lower() and b"%" not in query_string:
        return query_string
    return ADDRESSES.without_parts(query_string, lambda name, _: name == DEBUG_SWITCH)


def is_csv(path: str, headers: list) -> bool:
    content_type = next((v for k, v in headers if k.lower() == b"content-type"), b"")
    return path.endswith(".csv") and content_type.split(b";")[0].strip() in (b"text/csv", b"text/plain")


@hookimpl(tryfirst=True)
def asgi_wrapper(datasette):
    def wrap(app):
        async def neutral_csv(scope, receive, send):
            if scope.get("type") != "http" or not scope.get("path", "").endswith(".csv"):
                await app(scope, receive, send)
                return
            query_string = scope.get("query_string", b"")
            if without_debug_switch(query_string) != query_string:
                scope = {**scope, "query_string": without_debug_switch(query_string)}
            escaper: list[FormulaEscaper] = []

            async def send_neutral(message):
                if message["type"] == "http.response.start" and is_csv(scope["path"], message.get("headers", [])):
                    escaper.append(FormulaEscaper(left_out_columns(datasette, scope)))
                    # The length changes with each apostrophe: let the server frame the body instead.
                    headers = [(k, v) for k, v in message.get("headers", []) if k.lower() != b"content-length"]
                    message = {**message, "headers": headers}
                elif message["type"] == "http.response.body" and escaper:
                    more = message.get("more_body", False)
                    message = {**message, "body": escaper[0].feed(message.get("body", b""), final=not more)}
                await send(message)

            await app(scope, receive, send_neutral)

        return neutral_csv

    return wrap
