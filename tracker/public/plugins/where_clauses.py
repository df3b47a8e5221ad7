"""A table's `_where=` clause in parentheses, so it narrows the page's other filters instead of escaping them.

Datasette adds each `_where=` to the table's WHERE as it was written, joined
to the other conditions with `and`: `status=confirmed&_where=id < 2 or
id > 2` ran `"status" = :p0 and id < 2 or id > 2` and listed claims of
every status, and the condition Datasette adds for the next page bound to
the `or`'s right side only, so a stream repeated its first row until the
response cap. Each clause is sent in parentheses (closed on a line of their
own, so a `--` comment at its end cannot swallow them); the page still
shows and removes it as it was written. A clause that closes a parenthesis it did
not open (`1) or (1`) would escape them all the same: it is a 400 (`closes_early`
reads quotes, bracketed names and comments as SQLite does).

A wrapper around Datasette's own `filters_from_request` implementations:
the one that reads `_where` answers exactly the clauses the request names,
and only those are changed.

Loaded by Datasette from --plugins-dir as a bare module, so it imports
nothing from `tracker`.
"""

from __future__ import annotations

from datasette import hookimpl
from datasette.filters import FilterArguments
from datasette.utils import await_me_maybe
from datasette.views.base import DatasetteError

UNBALANCED = (
    "A _where clause closes a parenthesis it did not open, which would escape the page's other filters: "
    "balance its parentheses."
)
# What opens a string or a quoted name, and what closes it (a doubled quote inside one is the quote itself).
QUOTES = {"'": "'", '"': '"', "`": "`", "[": "]"}


def parenthesized(clause: str) -> str:
    return f"({clause}\n)"


def closes_early(clause: str) -> bool:
    """Does the clause close a parenthesis it did not open, outside strings, quoted names and comments?

    Read as SQLite's tokenizer reads it. An unterminated string or comment
    swallows the parenthesis it is put in, and SQLite refuses the statement.
    """
    depth, at, end = 0, 0, len(clause)
    while at < end:
        ch = clause[at]
        if ch in QUOTES:
            close = QUOTES[ch]
            at = clause.find(close, at + 1)
            while at != -1 and close != "]" and clause.startswith(close * 2, at):
                at = clause.find(close, at + 2)
            if at == -1:
                return False
        elif clause.startswith("--", at):
            at = clause.find("\n", at)
            if at == -1:
                return False
        elif clause.startswith("/*", at):
            at = clause.find("*/", at + 2)
            if at == -1:
                return False
            at += 1
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth < 0:
                return True
        at += 1
    return False


def keeping_filters(found, clauses: list[str]):
    """`found` (a hook's answer) with its `_where` clauses in parentheses, when it is the answer that holds them."""

    async def answer():
        arguments = await await_me_maybe(found)
        if isinstance(arguments, FilterArguments) and clauses and list(arguments.where_clauses) == clauses:
            arguments.where_clauses = [parenthesized(clause) for clause in clauses]
        return arguments

    return answer


@hookimpl(hookwrapper=True)
def filters_from_request(request, database, table, datasette):
    clauses = request.args.getlist("_where")
    if any(closes_early(clause) for clause in clauses):
        raise DatasetteError(UNBALANCED, status=400)
    outcome = yield
    if clauses:
        outcome.force_result([keeping_filters(found, clauses) for found in outcome.get_result()])
