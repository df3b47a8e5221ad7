"""The one timestamp format every table stores and every record carries: UTC, whole seconds, a Z.

'2026-03-02T14:30:00Z'. Text in this shape sorts in time order, so SQL
compares stored times as plain strings, and every layer writes it the same
way. It lives in scrapers, which import nothing from tracker, so the parsers
and the tracker share it.
"""

from __future__ import annotations

from datetime import UTC, datetime

FORMAT = "%Y-%m-%dT%H:%M:%SZ"


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
