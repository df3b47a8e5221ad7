"""Datasette's answers to a malformed table URL: a 400 that says what was wrong, not a 500.

Datasette raises a server error (500) for a few mistakes that are the
visitor's: sorting by a column the table does not have, `_sort` together
with `_sort_desc`, a `_through` filter that is not the JSON object it
expects (a KeyError or a JSON error surfacing as "'column'") or that names
a table with no foreign key to this one ("Invalid _through"), a facet
given as JSON it cannot read (`_facet={`, `_facet_date={}`, and
`_facet_size={`, which it reads as a facet of kind "size"), a null
character where a column's name goes (`?%00=1`, `_facet=%00`: Python's
sqlite3 refuses the statement), a `_timelimit` that is not a whole number,
and a filter's number too large for SQLite's integers (an OverflowError,
in Datasette's thread or a SQL worker), an `in` or `notin` filter's JSON
list that does not parse or holds a list or an object (`id__in=[`,
`id__in=[[1]]`: a JSONDecodeError, or sqlite3 refusing to bind it), a
`_where=` clause holding a parameter (`:x`, `?`), which Datasette runs as
written with none bound (sqlite3's "You did not supply a value"), and
a next-page token of more parts than the table's sort and key
(`_next=a,b,c`: SQLite's syntax error in the clause Datasette wrote); a
filter or facet reading a column of text as JSON lists
(`text__arraycontains=x`, `_facet_array=text`: SQLite's "malformed JSON"
under "Invalid SQL"); a CSV download cut off at the time
limit (its page and JSON say the query took too long; the CSV was a 500),
and any query cut off there in words (Datasette's message was HTML naming
its sql_time_limit_ms setting, with the statement in a textarea and an
inline script, even inside a JSON error; a search is asked to be narrowed),
and a streamed CSV cut off there ends with a line that says so (it ended
with the page's SQL and parameters);
the data page (`/public`, no SQL) as CSV or as JSON rows (`_shape=array`),
which it does not have (a KeyError); a download (`.blob?_blob_column=`) of
a row that is not there (an IndexError), of a number, or by `_blob_hash` of
a value that is not bytes (a TypeError); a value read as JSON (`_json=`)
nested deeper than Python's parser goes (a RecursionError); and
datasette-atom raises a ValueError for a visitor's own feed
(`/public.atom?sql=`) whose atom_updated has no time zone or whose entries
have neither content nor link, and a TypeError for a number where it puts
text (atom_author_name); a plain table search with no word left once
Datasette has quoted it (a lone `"`) or with a null character (FTS5's
syntax error, under "Invalid SQL") says there is nothing to search for;
an advanced search (`_searchmode=raw`) whose words FTS5 cannot read
(`"unclosed`, `AND AND`) was a 400 headed "Invalid SQL" over
SQLite's own words, and now says so in a reader's words, with a link to the
same words searched plainly. A 500 tells
monitoring the site is broken and tells the visitor nothing useful; these
become 400s with a one-line reason, rendered as Datasette renders every
error (JSON for .json, the error page otherwise).

Those, and server errors, are rendered by Datasette's own renderer given a
stand-in error; the rest are left to it. Its handler runs for every error
(Datasette calls every hook), and it printed each exception, a 404
included, with its local variables to the console whenever the `rich`
package happened to be installed: a scanner's stream of 404s would fill the
server's log. It is told `rich` is absent, as on a machine without it, so
it prints only what it always prints, a plain traceback of a server error
(500); and its `traceback` stays quiet for an exception this module
answered as the visitor's mistake (it printed one for each `_timelimit=x`).
The address of a claim or an event we withdrew is a 410 that says so, not a 404, and so is the page of a
withdrawn claim's timeline events (`claim_events?claim_id=`); a row's address under a
name that is no table (`/public/timeline/1`, a scanner's `/public/wp-admin/x.php`), which Datasette answered
"Invalid SQL" over SQLite's "no such table", is a 404.
A 500's page says only that the site could not answer, never the
exception's own words.

Loaded by Datasette from --plugins-dir as a bare module, so it imports
nothing from `tracker`.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
import sys
import traceback
from urllib.parse import parse_qsl, urlencode

import datasette.handle_exception as datasette_errors
from datasette import hookimpl
from datasette.database import QueryInterrupted
from datasette.handle_exception import handle_exception as render_error
from datasette.utils.asgi import BadRequest, Base400, NotFound
from datasette.views.base import DatasetteError
from markupsafe import Markup

datasette_errors.rich = None  # see the module's docstring
# Set on an exception answered as a 400: Datasette's handler then prints no traceback for it.
VISITORS_MISTAKE = "_newsroom_visitors_mistake"


class QuietTraceback:
    """Datasette's handler's `traceback` module, with print_exc quiet for a visitor's mistake."""

    def print_exc(self, *args, **kwargs) -> None:
        if not getattr(sys.exc_info()[1], VISITORS_MISTAKE, False):
            traceback.print_exc(*args, **kwargs)

    def __getattr__(self, name: str):
        return getattr(traceback, name)


datasette_errors.traceback = QuietTraceback()

STREAM_CUT_OFF = (
    "The download stopped here: the site stops each query at its time limit. "
    "Ask for fewer rows (a filter), or download the table in its own order."
)


def interrupted_in_words(self) -> str:
    """What a query cut off at the time limit says as text: the one place Datasette prints it is a streamed CSV,
    whose last line it became (the page's SQL and parameters, in Python's repr), and the log line beside it."""
    return STREAM_CUT_OFF


QueryInterrupted.__str__ = interrupted_in_words

SORT_MISTAKES = ("Cannot sort table by ", "Cannot use _sort and _sort_desc")
THROUGH_MISTAKE = "Invalid _through"
THROUGH_HELP = (
    "_through must be JSON naming a table linked to this one, a column of it and a value: "
    '{"table": …, "column": …, "value": …}.'
)
ATOM_HELP = (
    "An Atom feed's query needs atom_id, atom_title, atom_updated (a date and time with its time zone, "
    "such as 2025-11-20T09:00:00Z) and atom_content or atom_link, each as text."
)
BLOB_HELP = (
    "Only a value of text or bytes downloads as a file (and _blob_hash names bytes): read numbers as JSON or CSV."
)
NO_BLOB_HELP = "No row matches this address, so there is nothing to download."
JSON_DEPTH_HELP = "A value named in _json is nested too deeply to read as JSON; leave it out of _json to get its text."
FACET_HELP = 'A facet names a column: _facet=COLUMN (or _facet_date=, _facet_array=), or {"simple": "COLUMN"}.'
NULL_HELP = "A column's name cannot hold a null character (%00)."
IN_LIST_HELP = (
    "An in or notin filter takes values separated by commas (id__in=1,2) or a JSON list of numbers and "
    'strings (id__in=[1,2] or text__in=["a","b"]).'
)
IN_FILTERS = ("__in", "__notin")
# A next-page token of more parts than the table's sort and key: Datasette writes `(COLUMN = :p0 and )`.
NEXT_MISTAKE = 'near ")": syntax error'
NEXT_HELP = "That next-page link is not one this table gave: start from the first page and follow its next link."
# What reads a column's values as JSON lists (json_each): SQLite's "malformed JSON" when they are other text.
JSON_LIST_FILTERS = ("__arraycontains", "__arraynotcontains")
JSON_LIST_HELP = (
    'The arraycontains and arraynotcontains filters and _facet_array read a column of JSON lists (["a", "b"]), '
    "and this column holds other values: filter it with exact, contains or like instead."
)
TIMELIMIT_HELP = "_timelimit must be a whole number of milliseconds."
WHERE_PARAMETER_HELP = (
    "A _where clause is run as written and is given no parameters: instead of :name or ?, "
    "write the value into it ('text' in quotes, or a number)."
)
TOO_LARGE_HELP = "A number in this address is too large: SQLite's integers go up to 9223372036854775807."
TOO_BIG_HELP = (
    "This filter builds a text or blob larger than the site's SQLite holds (string or blob too big): ask for less."
)
NO_ROWS_HELP = (
    "The data page lists the tables and queries; it has no rows of its own. Download a table or a query "
    "instead (/public/claims.csv, /public/timeline.json?_shape=array), or ask the SQL box (?sql=select ...)."
)
TOO_LONG_HELP = "This query took too long: the site stops each query at its time limit. Ask for less, or add a LIMIT."
SEARCH_TOO_BROAD_HELP = (
    "This search took too long: it matches too much to rank in time. Narrow it: add another word, or use longer words."
)
# Datasette's title for a query it cut off at the time limit (its message: HTML naming the setting, and the SQL).
INTERRUPTED = "SQL Interrupted"
# The error page's heading for it (templates/error.html shows a 400's title, when it has one, as its heading).
TOO_LONG_TITLE = "That took too long to answer"
# Datasette's title for a statement SQLite refused; FTS5's words for a raw search it cannot parse.
INVALID_SQL = "Invalid SQL"
FTS5_MISTAKES = ("fts5: ", "unterminated string")
RAW_SEARCH_TITLE = "That search could not be read"
RAW_SEARCH_HELP = (
    "These search words could not be read as an advanced search: remove the stray quotation mark or the "
    "operator (AND, OR, NOT, NEAR) it points at, or {link}."
)
PLAIN_SEARCH = "search for the same words without advanced syntax"
NO_WORDS_TITLE = "Nothing to search for"
NO_WORDS_HELP = "This search has no word to look for: type a word or a name (a lone quotation mark is not one)."


def unreadable_raw_search(request, exception: BaseException) -> DatasetteError | None:
    """The 400 for an advanced search (`_searchmode=raw`) FTS5 could not parse, linking the same search made plain."""
    if request.args.get("_searchmode") != "raw" or not isinstance(exception, DatasetteError):
        return None
    if exception.title != INVALID_SQL or not any(n.startswith("_search") and n != "_searchmode" for n in request.args):
        return None
    # Without `_where`, a raw search is the only text of the visitor's in the statement; with it, only FTS5's words.
    if "_where" in request.args and not str(exception.message).startswith(FTS5_MISTAKES):
        return None
    pairs = [(name, value) for name, value in parse_qsl(request.query_string, keep_blank_values=True)]
    plain = request.path + "?" + urlencode([(name, value) for name, value in pairs if name != "_searchmode"])
    if request.path.endswith(".json"):
        return DatasetteError(
            RAW_SEARCH_HELP.format(link=f"{PLAIN_SEARCH} ({plain})"), title=RAW_SEARCH_TITLE, status=400
        )
    link = Markup('<a href="{}">{}</a>').format(plain, PLAIN_SEARCH)
    message = Markup.escape(RAW_SEARCH_HELP).replace("{link}", link)
    return DatasetteError(str(message), title=RAW_SEARCH_TITLE, status=400, message_is_html=True)


def plain_search_without_words(request, exception: BaseException) -> DatasetteError | None:
    """The 400 for a plain table search FTS5 refused: Datasette quotes each word, so only a search left with no word
    (a lone quotation mark, which its quoting drops) or one holding a null character gets here."""
    if request.args.get("_searchmode") == "raw" or not isinstance(exception, DatasetteError):
        return None
    if exception.title != INVALID_SQL or not any(n.startswith("_search") and n != "_searchmode" for n in request.args):
        return None
    if not str(exception.message).startswith(FTS5_MISTAKES):
        return None
    return DatasetteError(NO_WORDS_HELP, title=NO_WORDS_TITLE, status=400)


def visitors_mistake(request, exception: BaseException) -> BadRequest | DatasetteError | None:
    """The 400 to answer instead, when the exception comes from what the visitor typed; else None."""
    if isinstance(exception, DatasetteError) and exception.status == 500:
        message = str(exception.message)
        if message.startswith(SORT_MISTAKES):
            return BadRequest(f"{message}: sort by one of the table's columns, with _sort or _sort_desc, not both.")
    if "_through" in request.args and (
        isinstance(exception, KeyError | TypeError | ValueError | json.JSONDecodeError)
        or isinstance(exception, DatasetteError)
        and str(exception.message).startswith(THROUGH_MISTAKE)
    ):
        return BadRequest(THROUGH_HELP)
    if (
        request.url_vars.get("format") == "atom"
        and "sql" in request.args
        and isinstance(exception, ValueError | TypeError)
    ):
        return BadRequest(ATOM_HELP)
    if request.url_vars.get("format") == "blob" and "_blob_column" in request.args:
        if isinstance(exception, IndexError):
            return BadRequest(NO_BLOB_HELP)
        if isinstance(exception, TypeError | AttributeError):
            return BadRequest(BLOB_HELP)
    if "_json" in request.args and isinstance(exception, RecursionError):
        return BadRequest(JSON_DEPTH_HELP)
    is_data_page = "database" in request.url_vars and "table" not in request.url_vars
    if is_data_page and not request.args.get("sql") and isinstance(exception, KeyError):
        return BadRequest(NO_ROWS_HELP)
    if (
        isinstance(exception, QueryInterrupted)
        or isinstance(exception, DatasetteError)
        and exception.title == INTERRUPTED
    ):
        searched = request.args.get("q") and "sql" not in request.args
        return DatasetteError(SEARCH_TOO_BROAD_HELP if searched else TOO_LONG_HELP, title=TOO_LONG_TITLE, status=400)
    if isinstance(exception, OverflowError):
        return BadRequest(TOO_LARGE_HELP)
    if isinstance(exception, sqlite3.DataError) and "too big" in str(exception):
        return BadRequest(TOO_BIG_HELP)
    raw_search = unreadable_raw_search(request, exception)
    if raw_search is not None:
        return raw_search
    no_words = plain_search_without_words(request, exception)
    if no_words is not None:
        return no_words
    if any(name.endswith(IN_FILTERS) for name in request.args) and (
        isinstance(exception, json.JSONDecodeError)
        or isinstance(exception, sqlite3.ProgrammingError | sqlite3.InterfaceError)
        and "binding parameter" in str(exception)
    ):
        return BadRequest(IN_LIST_HELP)
    if (
        "_next" in request.args
        and isinstance(exception, DatasetteError)
        and exception.title == INVALID_SQL
        and str(exception.message) == NEXT_MISTAKE
    ):
        return BadRequest(NEXT_HELP)
    if reads_json_lists(request) and (
        isinstance(exception, DatasetteError)
        and exception.title == INVALID_SQL
        and str(exception.message).startswith("malformed JSON")
    ):
        return BadRequest(JSON_LIST_HELP)
    if (
        "_where" in request.args
        and isinstance(exception, sqlite3.ProgrammingError | sqlite3.InterfaceError)
        and "binding" in str(exception).lower()
    ):
        return BadRequest(WHERE_PARAMETER_HELP)
    if "_timelimit" in request.args and isinstance(exception, ValueError):
        return BadRequest(TIMELIMIT_HELP)
    if isinstance(exception, sqlite3.ProgrammingError) and "null character" in str(exception):
        return BadRequest(NULL_HELP)
    facets = [
        name
        for name in request.args
        if name.startswith("_facet") and (name != "_facet_size" or request.args.get(name, "").startswith("{"))
    ]
    if facets and isinstance(exception, KeyError | TypeError | ValueError | json.JSONDecodeError):
        return BadRequest(FACET_HELP)
    return None


def reads_json_lists(request) -> bool:
    """Whether a table page reads a column's values as JSON lists: a filter `COLUMN__arraycontains` (or
    `__arraynotcontains`), or `_facet_array`."""
    return "table" in request.url_vars and any(
        name.endswith(JSON_LIST_FILTERS) or name == "_facet_array" for name in request.args
    )


# A table whose rows' addresses say so once withdrawn: the public table listing the ids withdrawn, and what to say.
WITHDRAWN = {
    "claims": (
        "withdrawn_claims",
        "This claim was withdrawn",
        "We withdrew this claim and no longer publish it, so its ruling and evidence are not shown here. "
        "Its number is never given to another claim.",
    ),
    "events": (
        "withdrawn_events",
        "This event was withdrawn",
        "We withdrew this event from the timeline and no longer publish it. "
        "Its number is never given to another event.",
    ),
}

# A ready-made query's page about one row, named by its parameter: it is gone when the row is, in the same words (a
# claim's timeline events, linked from the claim's page, was a 404 where the claim's page said it was withdrawn).
WITHDRAWN_BY_PARAMETER = {"claim_events": ("claims", "claim_id")}  # query -> (table in WITHDRAWN, its parameter)


async def withdrawn_row(datasette, request, exception: BaseException) -> DatasetteError | None:
    """The 410 for the address of a claim or an event readers were shown and we withdrew (the public
    `withdrawn_claims`, `withdrawn_events`), instead of the 404 of a mistyped address: a link from the feed, an
    alert, a TimelineJS slide or a bookmark says what happened."""
    if not isinstance(exception, NotFound):
        return None
    table = request.url_vars.get("table")
    if table in WITHDRAWN_BY_PARAMETER:  # a ready-made query's page of one row, named by a parameter
        table, parameter = WITHDRAWN_BY_PARAMETER[table]
        pks = (request.args.get(parameter) or "").strip()
    else:
        pks = request.url_vars.get("pks") or ""
    if table not in WITHDRAWN:
        return None
    # A number SQLite's integers hold, read only then: more digits than 2**63 has raised a ValueError (past 4,300)
    # or an OverflowError binding it, each a server error; no withdrawn row has such an id.
    if (
        not (pks.isascii() and pks.isdigit() and len(pks) <= 19 and int(pks) < 2**63)
        or "database" not in request.url_vars
    ):
        return None
    listed, title, help_text = WITHDRAWN[table]
    try:
        found = await datasette.get_database(request.url_vars["database"]).execute(
            f"select 1 from {listed} where id = ?", [int(pks)]
        )
    except (KeyError, sqlite3.Error):  # another file, or one published before the table existed
        return None
    return DatasetteError(help_text, title=title, status=410) if found.rows else None


def row_of_no_table(request, exception: BaseException) -> NotFound | None:
    """The 404 for a row's address under a name that is no table (`/public/timeline/1`, a scanner's
    `/public/wp-admin/install.php`): Datasette runs the row's SQL anyway, and SQLite's "no such table" was
    answered as "Invalid SQL", a 400 blaming the visitor."""
    if "pks" not in request.url_vars or not isinstance(exception, DatasetteError):
        return None
    if exception.title != INVALID_SQL or not str(exception.message).startswith("no such table: "):
        return None
    return NotFound("Not found.")


def hidden(exception: BaseException) -> DatasetteError | None:
    """A server error's stand-in, whose page says only that the site could not answer (not Python's words)."""
    if isinstance(exception, Base400 | DatasetteError):
        return None
    return DatasetteError("The site could not answer this request.", status=500)


@hookimpl(tryfirst=True)
def handle_exception(datasette, request, exception):
    mistake = visitors_mistake(request, exception) or row_of_no_table(request, exception)
    if mistake is not None:
        with contextlib.suppress(AttributeError, TypeError):
            setattr(exception, VISITORS_MISTAKE, True)
    replacement = mistake or hidden(exception)
    if replacement is not None:
        return render_error(datasette, request, replacement)
    if not isinstance(exception, NotFound):
        return None

    async def withdrawn_or_not_found():
        withdrawn = await withdrawn_row(datasette, request, exception)
        return None if withdrawn is None else await render_error(datasette, request, withdrawn)()

    return withdrawn_or_not_found
