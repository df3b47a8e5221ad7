"""When a routed event is due at a destination: at once, at the next hourly or daily digest, after quiet hours.

Pure functions of a subscription's settings and a clock value (seconds since
the epoch), so tests inject any moment they like. Hours are a person's own:
each subscription names an IANA time zone, and a daily digest at 08:00 in
Europe/Berlin stays at 08:00 across daylight-saving changes.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from tracker.db import TrackerError

CLOCK = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")


def parse_clock(value: str | None, what: str) -> str | None:
    """'7:05' / '07:05' -> '07:05'; empty -> None; anything else is a one-line error."""
    value = (value or "").strip()
    if not value:
        return None
    if re.match(r"^\d:\d\d$", value):
        value = "0" + value
    if not CLOCK.match(value):
        raise TrackerError(f"{what} must be a time of day like 07:30, not {value[:20]!r}.")
    return value


def zone(name: str | None) -> ZoneInfo:
    """The named IANA time zone ('Europe/London'); an unknown name is a one-line error.

    OSError too: 'Europe' opens a folder of the zone database, and a name
    longer than a file name can be fails before any lookup.
    """
    name = (name or "UTC").strip() or "UTC"
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise TrackerError(
            f"Unknown time zone {name[:60]!r}; use a name like Europe/London or America/New_York."
        ) from None


def due(sub: dict, at: float) -> float:
    """When an event stored at `at` goes out under this subscription (never before `at`)."""
    tz = zone(sub.get("timezone"))
    local = datetime.fromtimestamp(at, tz)
    mode = sub.get("mode") or "immediate"
    if mode == "hourly":
        local = (local + timedelta(hours=1)).replace(minute=0, second=0, microsecond=0)
    elif mode == "daily":
        local = _next_clock(local, sub.get("daily_at") or "08:00", inclusive=False)
    return _after_quiet(sub, local).timestamp()


def _after_quiet(sub: dict, local: datetime) -> datetime:
    """Moved to the end of the quiet hours when it falls inside them (a span may cross midnight)."""
    start, end = sub.get("quiet_start"), sub.get("quiet_end")
    if not start or not end or start == end:
        return local
    now_minutes = local.hour * 60 + local.minute
    s, e = _minutes(start), _minutes(end)
    inside = s <= now_minutes < e if s < e else (now_minutes >= s or now_minutes < e)
    return _next_clock(local, end, inclusive=True) if inside else local


def _next_clock(local: datetime, clock: str, *, inclusive: bool) -> datetime:
    """The next moment the wall clock in local's zone reads `clock` (today's if still ahead)."""
    hour, minute = map(int, clock.split(":"))
    candidate = local.replace(hour=hour, minute=minute, second=0, microsecond=0)
    if candidate < local or (candidate == local and not inclusive):
        candidate = (local + timedelta(days=1)).replace(hour=hour, minute=minute, second=0, microsecond=0)
    # Re-anchor in the zone: across a daylight-saving change the same wall time has another offset.
    return candidate.replace(tzinfo=None).replace(tzinfo=local.tzinfo)


def _minutes(clock: str) -> int:
    hour, minute = map(int, clock.split(":"))
    return hour * 60 + minute
