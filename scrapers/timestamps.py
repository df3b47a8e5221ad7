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
from datetime import UTC, date, datetime

FORMAT = "%Y-%m-%dT%H:%M:%SZ"
# How precise a stored publication or first-report time is: DAY when the source gave only the date, so the
# clock of the stored value is only where the item stands within that day (`within_day`); NULL when it is
# the source's own time, to the second.
DAY = "day"
# A date alone, or a clock of exactly midnight in any zone: what a CMS writes for a date without a time.
_DAY_ONLY = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:[T ]00:00(?::00(?:[.,]0+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$")


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


@functools.lru_cache(maxsize=8192)
def when(stamp: str | None, precision: str | None = None) -> str:
    """'2025-11-24T09:30:00Z' -> '24 Nov 2025, 09:30 UTC': unambiguous for an international newsroom.

    A date alone, or a time whose source gave only its day (precision DAY: its clock only places it
    within the day, `within_day`), is its date as written: '24 Nov 2025', never moved a day.
    """
    if precision == DAY and day_only((stamp or "")[:10]):
        return when_date((stamp or "")[:10])
    parsed = _parse(stamp)
    if parsed is None:
        return stamp or ""
    if len(stamp or "") <= 10:
        return parsed.strftime("%-d %b %Y")
    return parsed.strftime("%-d %b %Y, %H:%M UTC")


@functools.lru_cache(maxsize=8192)
def when_date(stamp: str | None) -> str:
    parsed = _parse(stamp)
    return parsed.strftime("%-d %b %Y") if parsed else (stamp or "")


def _parse(stamp: str | None) -> datetime | None:
    """A stored timestamp (or date) in UTC, for display; None when it is not one."""
    parsed = parse_time(stamp)
    return parsed.astimezone(UTC) if parsed else None
