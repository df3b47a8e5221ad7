"""Jinja filters the reader templates use: dates, links, search highlights, the timeline's date rail.

Loaded by Datasette from --plugins-dir as a bare module, so it imports
nothing from `tracker`; the search rule's words left out come from
sql_functions.py beside it, as Datasette loaded it.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import re
from pathlib import Path

from datasette import hookimpl
from datasette.plugins import pm
from markupsafe import Markup, escape

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2}))?")
# The offset a source's own clock is written with, at the end of a *_local value ('2026-12-07T23:30:00-05:00').
_OFFSET = re.compile(r"T\d{2}:\d{2}(?::\d{2})?([+-])(\d{2}):(\d{2})$")
# A stored time whose source gave only its date (the *_precision columns; scrapers/timestamps.py DAY): its
# clock only orders it within the day, so it is shown, and given to machines, as the date alone.
DAY = "day"


def _parts(value):
    match = _ISO.match(str(value or ""))
    if not match:
        return None
    year, month, day, hour, minute = match.groups()
    if not 1 <= int(month) <= 12:
        return None
    return int(year), int(month), int(day), hour, minute


def nice_date(value, year: bool = True) -> str:
    """'2026-11-24T14:05:00Z' -> 'Nov 24, 2026' (or 'Nov 24'); anything unparseable comes back as it was."""
    parts = _parts(value)
    if parts is None:
        return str(value or "")
    y, m, d, _, _ = parts
    return f"{_MONTHS[m - 1]} {d}, {y}" if year else f"{_MONTHS[m - 1]} {d}"


def nice_time(value, precision=None) -> str:
    """'2026-11-24T14:05:00Z' -> '14:05 UTC'; '' when the value has no time of day, or is only a day (`DAY`).

    A time on the source's own clock (a *_local column: '2026-12-07T23:30:00-05:00') says which clock:
    '23:30 UTC−5' (as the editor's pages say it, scrapers/timestamps.py clock_name).
    """
    parts = _parts(value)
    if parts is None or parts[3] is None or precision == DAY:
        return ""
    return f"{parts[3]}:{parts[4]} {clock_name(value)}"


def clock_name(value) -> str:
    """The clock a time is written on: 'UTC', or its offset as readers say it ('UTC−5', 'UTC+5:30')."""
    match = _OFFSET.search(str(value or ""))
    if not match or match[2] + match[3] == "0000":
        return "UTC"
    sign = "−" if match[1] == "-" else "+"
    return f"UTC{sign}{int(match[2])}" + (f":{match[3]}" if match[3] != "00" else "")


def local(row, key: str = "date"):
    """A row's time as its source's clock shows it (the `{key}_local` column, or `first_reported_local` for
    `first_reported_at`), else as stored (UTC): what every date and time readers are shown is read from.

    The stored UTC value stays what rows are ordered by; this is only what is shown.
    """
    name = f"{key[:-3] if key.endswith('_at') else key}_local"
    try:
        shown = row[name]
    except (KeyError, IndexError, TypeError):
        shown = None
    try:
        return shown or row[key]
    except (KeyError, IndexError, TypeError):
        return None


def nice_datetime(value, precision=None) -> str:
    """'2026-11-24T14:05:00Z' -> 'Nov 24, 2026, 14:05 UTC'; the date alone when the value has no time of day
    or the source gave only the day (precision `DAY`)."""
    time = nice_time(value, precision)
    return f"{nice_date(value)}, {time}" if time else nice_date(value)


def machine_time(value, precision=None) -> str:
    """The value for a <time datetime>: as stored, or its date alone ('2026-11-24') when that is all it is."""
    day = day_of(value) if precision == DAY else ""
    return day or str(value or "")


def day_of(value) -> str:
    """The calendar day of an ISO date ('2026-11-24'), or '' when there is none: the key of the date rail."""
    parts = _parts(value)
    return f"{parts[0]:04d}-{parts[1]:02d}-{parts[2]:02d}" if parts else ""


def web_url(value) -> str:
    """The URL when it is http(s), else '': only web links become links."""
    url = str(value or "").strip()
    return url if re.match(r"^https?://[^\s]+$", url, re.I) else ""


def highlight(snippet) -> Markup:
    """A search snippet with its ⟦marked⟧ words in <mark>, everything else escaped."""
    out = []
    for i, part in enumerate(re.split(r"[⟦⟧]", str(snippet or ""))):
        out.append(Markup("<mark>{}</mark>").format(part) if i % 2 else escape(part))
    return Markup("").join(out)


def mark_words(text, q) -> Markup:
    """`text` escaped, with each of its words a search for `q` matches (as the index matches it: a searched word
    starts it, accents and case aside; a one-letter one is only itself) in <mark>: the timeline's cards say where
    they matched. Every other character is escaped, markup a source wrote included."""
    text = str(text or "")
    rule = _search_rule()
    searched = [rule.fold(word) for word in rule.search_words(str(q or ""))]
    if not searched or not text:
        return escape(text)
    out, at = [], 0
    for match in rule.word_pattern(text).finditer(text):
        word = rule.fold(match.group())
        if any(word.startswith(s) if len(s) > 1 else word == s for s in searched):
            out += [escape(text[at : match.start()]), Markup("<mark>{}</mark>").format(match.group())]
            at = match.end()
    out.append(escape(text[at:]))
    return Markup("").join(out)


_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def by_day(rows, key: str = "date") -> list[dict]:
    """Consecutive rows grouped by calendar day, in the order given: the date rail of the timeline.

    The day is the one the source printed (`local`), so an event at 23:30 in New York is on that day; the
    order stays the UTC one, so such an event can stand between two of the next day's and make a day of its own.
    """
    groups: list[dict] = []
    for row in rows or ():
        day = day_of(local(row, key))
        if not groups or groups[-1]["day"] != day:
            label, weekday = "Date unknown", ""
            if day:
                parts = _parts(day)
                label = nice_date(day)
                try:
                    weekday = _WEEKDAYS[dt.date(parts[0], parts[1], parts[2]).weekday()]
                except ValueError:
                    weekday = ""
            groups.append({"day": day, "label": label, "weekday": weekday, "rows": []})
        groups[-1]["rows"].append(row)
    return groups


# Datasette's name for sql_functions.py once loaded from --plugins-dir (the file's name).
SEARCH_RULE_PLUGIN = "sql_functions.py"


def _search_rule():
    """sql_functions.py as Datasette loaded it, whose answer from the tokenizer is asked once as the site starts.

    A copy of it loaded here by its path asked again, on the first page
    showing a non-ASCII search: 0.25 s of CPU on the event loop every reader
    waits for. A copy by its path only where Datasette has none (this file
    loaded on its own)."""
    registered = pm.get_plugin(SEARCH_RULE_PLUGIN)
    if registered is not None:
        return registered
    path = Path(__file__).resolve().with_name(SEARCH_RULE_PLUGIN)
    spec = importlib.util.spec_from_file_location("newsroom_search_rule", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@hookimpl
def prepare_jinja2_environment(env):
    env.filters["left_out"] = _search_rule().left_out
    env.filters["by_day"] = by_day
    env.filters["local"] = local
    env.filters["nice_date"] = nice_date
    env.filters["nice_time"] = nice_time
    env.filters["nice_datetime"] = nice_datetime
    env.filters["machine_time"] = machine_time
    env.filters["day_of"] = day_of
    env.filters["web_url"] = web_url
    env.filters["highlight"] = highlight
    env.filters["mark_words"] = mark_words
