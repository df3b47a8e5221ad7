"""Form input the editor's pages share: whole numbers from hidden fields, errors that belong to one field,
paths on this site to go back to.

A form that fails re-renders with everything the person typed; only a
permission or missing-object error leaves the form for the app's error page.
"""

from __future__ import annotations

import base64
import binascii
import json
import sys
import unicodedata
from urllib.parse import urlsplit

from werkzeug.routing import IntegerConverter

from tracker.db import TrackerError
from tracker.editor.display import shown
from tracker.versions import StaleEdit

MAX_SQLITE_INT = 2**63 - 1
MAX_POSITION = 2000  # characters of a page link's position: a few numbers and dates
# The most evidence items one ruling cites, on the ruling form and in the API: any number made the form read them
# all and answer with every one that is not the claim's, a line of thousands of numbers.
MAX_CITED = 100
INCOMPLETE = "That form was incomplete; reload the page and try again."


def whole_number(text: str | None) -> int | None:
    """A whole number a person or a page sent as text, in the digits 0-9 only and one SQLite can hold; else None.

    int() reads more than anyone typed as a number: any script's digits ("\u0663" is 3, "\uff13" too), blanks
    around it, a sign, "_" between digits. Each form and query that takes a number reads it here.
    """
    if not isinstance(text, str) or not is_digits(text):
        return None
    number = int(text)
    return number if number <= MAX_SQLITE_INT else None


def form_int(value: str | int | None) -> int:
    """A version or id the page put in the form (or the API's JSON sent as a number): a whole number SQLite can
    hold, else a clear error."""
    if isinstance(value, int) and not isinstance(value, bool):
        number = value if 0 <= value <= MAX_SQLITE_INT else None
    else:
        number = whole_number(value)
    if number is None:
        raise TrackerError(INCOMPLETE)
    return number


def is_unicode(value: str) -> bool:
    """No lone surrogate: JSON may escape one ("\\ud800"), but it is no character, and storing or showing it fails."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def is_digits(value: str) -> bool:
    """Only the digits 0-9, and no more of them than int() converts: str.isdigit() is true of '²' too, and of
    5,000 digits, both of which int() refuses (each such check was a 500)."""
    most = sys.get_int_max_str_digits()  # 4,300 unless the interpreter was told otherwise; 0: no limit
    return value.isascii() and value.isdigit() and (not most or len(value) <= most)


def numbered_page_start(raw: str, shown: int, page_size: int) -> int:
    """How many rows down the page a link of the older form names (`?page=3`) starts, in a list of `shown` rows
    as it is now: past the end, the last page; not a page number, the first (0).

    The editor's lists page from a row (`?at=`, `?after=`), so rows that come or go meanwhile move no page; links
    kept in bookmarks and notes still number pages, and opened the first page with no word of it. Each list
    redirects such a link to the page of today that starts here (the triage queue, the claims and coverage lists).
    """
    last = max(0, (shown - 1) // page_size)
    return min(max(int(raw[:12]) - 1, 0), last) * page_size if is_digits(raw) else 0  # twelve digits: past any end


def query_id(value: str | None) -> int | None:
    """An id from a query string (`?before=`): None when missing, not a whole number, or beyond SQLite's range."""
    return whole_number(value)


def position_link(key: list) -> str:
    """A list's position (the sort key of a page's first row) as a page link's `?at=` carries it: short, and
    opaque enough that nobody edits it by hand. A page starts at a row, not at an offset, so rows that come or
    go meanwhile move no page past others."""
    return base64.urlsafe_b64encode(json.dumps(key, separators=(",", ":")).encode()).decode().rstrip("=")


def position_from_link(raw: str) -> list | None:
    """The position a page link holds (see position_link); None when it is damaged. Its caller checks the
    values are a key of its own order."""
    if not raw or len(raw) > MAX_POSITION:
        return None
    try:
        values = json.loads(base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4)))
    except (ValueError, binascii.Error, RecursionError):  # nested past the parser's depth: no link of ours (a 500)
        return None
    return values if isinstance(values, list) else None


def as_sent(value: str | None) -> str:
    """Text as a form field showing it sends it back untouched: without what the page does not show (bidi
    controls, display.shown), its line breaks as browsers send them (CRLF: LF here), its outer spaces trimmed."""
    return shown(value or "").replace("\r\n", "\n").strip()


def unchanged(typed: str | None, stored: str | None) -> bool:
    """Whether a field that showed stored text came back as it was shown: nobody edited it."""
    return as_sent(typed) == as_sent(stored)


def kept(typed: str, stored: str | None) -> str:
    """The stored text, byte for byte, when its field came back untouched; else what was typed.

    Pages never print bidi overrides (display.shown), so a form showing stored text that holds one sent it back
    without it, and saving the form changed text nobody had edited. Display and storage are different things:
    what was stored stays stored until someone changes the words.
    """
    return stored if stored is not None and unchanged(typed, stored) else typed


def digits_at_most(most: int) -> str:
    """A regular expression for the decimal numbers from 0 to `most` (no sign, leading zeros allowed)."""
    top = str(most)
    shorter = [rf"\d{{1,{len(top) - 1}}}"] if len(top) > 1 else []
    below = [rf"{top[:i]}[0-{int(digit) - 1}]\d{{{len(top) - i - 1}}}" for i, digit in enumerate(top) if digit != "0"]
    return f"0*(?:{'|'.join([*shorter, *below, top])})"


class RowIdConverter(IntegerConverter):
    """`<int:...>` in every route: a number SQLite can hold, so a larger id is a 404 at routing.

    Without it, /reporting/99999999999999999999999 reached a query and failed there with an
    OverflowError (a 500); one converter for the whole app holds every route, present and future.
    The bound is in the converter's regex, not only its max: werkzeug matches a URL's shape for
    every route first and converts after, so a URL whose GET and POST are two routes answered a
    POST with a too-large id 405 "GET allowed" when only max refused it.
    """

    regex = digits_at_most(MAX_SQLITE_INT)

    def __init__(self, url_map, *args, **kwargs) -> None:
        kwargs.setdefault("max", MAX_SQLITE_INT)
        super().__init__(url_map, *args, **kwargs)


class FieldError(TrackerError):
    """A form error that belongs to one field, so the form can point at it."""

    status_code = 422

    def __init__(self, message: str, field: str):
        super().__init__(message, field=field)


class FormErrors(TrackerError):
    """Every problem of one submission, each with the field it belongs to, so the form marks them all at once
    (one round trip per problem was the old way). The message holds them all, in the form's order."""

    def __init__(self, problems: dict[str, str]):
        super().__init__(" ".join(problems.values()), field=next(iter(problems)))
        self.problems = problems


def published_already(e: StaleEdit, wanted: bool) -> bool:
    """Whether a stale publish (or withdrawal) asks for what holds now: the same button sent twice, or two editors'.

    Withdrawn is withdrawn whatever changed meanwhile. Published counts as done only when the one change since
    the page was opened is that publish (the version moved by one): an editor who saw other words agreed to
    publish those, and is shown the new ones (409). Claims, questions and expected developments alike.
    """
    if bool(e.current["published"]) != wanted:
        return False
    return not wanted or e.current["version"] == e.expected_version + 1


def problems_of(e: TrackerError) -> dict[str, str]:
    """A refused form's problems by field: all of them for FormErrors, else the one (under "" without a field)."""
    return getattr(e, "problems", None) or {e.field or "": str(e)}


def page_error(e: TrackerError) -> None:
    """Permission and missing-object errors go to the app's error pages; the rest belong on the form."""
    if e.status_code in (403, 404):
        raise e


def is_local_path(target: str | None) -> bool:
    """Is `target` a path on this site, safe to redirect to?

    Not "//host" nor "/\\host", and no control character: browsers drop tabs
    and newlines from a URL, so "/<TAB>/host" is "//host", another site, and a
    newline cannot go in a Location header at all.
    """
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return False
    if any(unicodedata.category(ch) == "Cc" for ch in target):
        return False
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc
