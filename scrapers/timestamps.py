"""The one timestamp format every table stores and every record carries: UTC, whole seconds, a Z.

'2026-03-02T14:30:00Z'. Text in this shape sorts in time order, so SQL
compares stored times as plain strings, and every layer writes it the same
way. It lives in scrapers, which import nothing from tracker, so the parsers
and the tracker share it. `when` is how a person reads one, the same on the
editor's pages and on the command line.
"""

from __future__ import annotations

import functools
import re
from datetime import UTC, date, datetime, timedelta, timezone

FORMAT = "%Y-%m-%dT%H:%M:%SZ"
# How precise a stored publication or first-report time is: DAY when the source gave only the date, so the
# clock of the stored value is only where the item stands within that day (`within_day`); NULL when it is
# the source's own time, to the second.
DAY = "day"
# A date alone, or a clock of exactly midnight in any zone: what a CMS writes for a date without a time.
_DAY_ONLY = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:[T ]00:00(?::00(?:[.,]0+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$")
# The offset a time of day is written with: "...T23:30:00-05:00", "...T00:30+0530".
_OFFSET = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?([+-])(\d{2}):?(\d{2})$")
# Offsets a stored one may hold, in minutes east of UTC (real ones run from -12:00 to +14:00).
OFFSET_LIMIT = 18 * 60


def format_time(dt: datetime) -> str:
    """A datetime as stored: in UTC, to the second. A naive one is taken to be UTC already."""
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    # isoformat, not strftime("%Y"): glibc writes year 1 as "1", which neither sorts nor reads back.
    return dt.astimezone(UTC).replace(tzinfo=None).isoformat(timespec="seconds") + "Z"


def parse_time(value: str | None) -> datetime | None:
    """A stored timestamp (or any ISO 8601 one) as an aware datetime, or None when there is none to read."""
    if not value:
        return None
    try:
        dt = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return dt if dt.tzinfo else dt.replace(tzinfo=UTC)


def utc_now() -> str:
    """Now, as stored."""
    return format_time(datetime.now(UTC))


def day_only(value: str | None) -> str | None:
    """The day, 'YYYY-MM-DD' as the source wrote it, of a publication time that gives no time of day; else None.

    '2026-12-05' is one; so is '2026-12-05T00:00:00+02:00', what a CMS writes
    for a date alone (read as a time, it is 4 Dec in UTC: the wrong day). A
    report really published at midnight is taken as its day too: the date
    is still right, and only a clock nobody can tell from a default is lost.
    """
    match = _DAY_ONLY.match((value or "").strip())
    if not match:
        return None
    try:
        return date.fromisoformat(match[1]).isoformat()
    except ValueError:
        return None


def within_day(day: str, seen_at: str) -> str:
    """Where an item the source dated only by `day` stands in that day, as a stored timestamp.

    When we first saw it (`seen_at`), kept inside the day: it was published
    no later than we saw it, so it sorts after the timed items of that day we
    saw before it, and never before midnight or on another day. Seen on a
    later day, it stands at the day's last second. Its clock is never shown.
    """
    return min(max(seen_at, f"{day}T00:00:00Z"), f"{day}T23:59:59Z")


def utc_offset(value: str | None) -> int | None:
    """The offset, in minutes east of UTC, a source wrote its time with: '2026-12-07T23:30:00-05:00' -> -300.

    None when it wrote none: a date alone, a time without a zone, or UTC itself ('Z', '+00:00'), which
    is what a page we could not place on its outlet's clock keeps (scrapers/article/zones.py), so it
    says nothing of that clock. Kept beside the UTC instant stored, it gives back the day the outlet
    printed: 23:30 in New York is already the next day in UTC.
    """
    match = _OFFSET.match((value or "").strip())
    if not match:
        return None
    minutes = int(match[2]) * 60 + int(match[3])
    if not minutes or int(match[3]) >= 60 or minutes > OFFSET_LIMIT:
        return None
    return -minutes if match[1] == "-" else minutes


def clock_name(offset: int | None) -> str:
    """Which clock a time is shown on: 'UTC', or the source's own as readers say it ('UTC−5', 'UTC+5:30')."""
    if not offset:
        return "UTC"
    hours, minutes = divmod(abs(offset), 60)
    return f"UTC{'−' if offset < 0 else '+'}{hours}" + (f":{minutes:02d}" if minutes else "")


@functools.lru_cache(maxsize=8192)
def when(stamp: str | None, precision: str | None = None, offset: int | None = None) -> str:
    """'2025-11-24T09:30:00Z' -> '24 Nov 2025, 09:30 UTC': unambiguous for an international newsroom.

    With the `offset` the source wrote its time with (`utc_offset`), on its own clock, named:
    '7 Dec 2026, 23:30 UTC−5', the day the outlet printed. A date alone, or a time whose source gave
    only its day (precision DAY: its clock only places it within the day, `within_day`), is its date
    as written: '24 Nov 2025', never moved a day.
    """
    if precision == DAY and day_only((stamp or "")[:10]):
        return when_date((stamp or "")[:10])
    parsed = _parse(stamp, offset)
    if parsed is None:
        return stamp or ""
    if len(stamp or "") <= 10:
        return parsed.strftime("%-d %b %Y")
    return f"{parsed:%-d %b %Y, %H:%M} {clock_name(offset)}"


@functools.lru_cache(maxsize=8192)
def when_date(stamp: str | None, offset: int | None = None) -> str:
    """The calendar day of a stored time: on the source's own clock when its `offset` is known, else in UTC.

    A stored date alone ('2026-12-05', or a day-only time's date) is that day, whatever the offset.
    """
    parsed = _parse(stamp, offset if len(stamp or "") > 10 else None)
    return parsed.strftime("%-d %b %Y") if parsed else (stamp or "")


def local_time(stamp: str | None, offset: int | None) -> str | None:
    """A stored UTC time on the source's own clock, as ISO 8601 with its offset ('2026-12-07T23:30:00-05:00').

    None without an offset or a time to shift: what the public file publishes beside the UTC instant.
    """
    if offset is None or len(stamp or "") <= 10:
        return None
    parsed = _parse(stamp, offset)
    return parsed.isoformat(timespec="seconds") if parsed else None


def _parse(stamp: str | None, offset: int | None = None) -> datetime | None:
    """A stored timestamp (or date) for display: in UTC, or on the clock `offset` minutes east; None when not one."""
    parsed = parse_time(stamp)
    if parsed is None:
        return None
    if offset and -OFFSET_LIMIT <= offset <= OFFSET_LIMIT:
        try:
            return parsed.astimezone(timezone(timedelta(minutes=offset)))
        except OverflowError:  # the first or last instant a datetime holds, moved past it
            return parsed.astimezone(UTC)
    return parsed.astimezone(UTC)
