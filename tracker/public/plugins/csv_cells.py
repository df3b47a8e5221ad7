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

Loaded by Datasette from --plugins-dir as a bare module, so it imports
nothing from `tracker`.
"""

from __future__ import annotations

import codecs
import re

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
    """CSV text in, the same CSV out with formula cells neutralised; fed in pieces of any size."""

    def __init__(self) -> None:
        self._decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        self._pending = ""

    def feed(self, data: bytes, final: bool = False) -> bytes:
        text = self._pending + self._decoder.decode(data, final)
        out: list[str] = []
        pos = 0
        while True:
            match = FIELD.match(text, pos)
            if match is None:
                break
            out.append(neutral_field(match[1]) + match[2])
            pos = match.end()
        self._pending = text[pos:]
        if final and self._pending:
            out.append(neutral_field(self._pending))  # a last row without its line end
            self._pending = ""
        return "".join(out).encode("utf-8")


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
            escaper: list[FormulaEscaper] = []

            async def send_neutral(message):
                if message["type"] == "http.response.start" and is_csv(scope["path"], message.get("headers", [])):
                    escaper.append(FormulaEscaper())
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
