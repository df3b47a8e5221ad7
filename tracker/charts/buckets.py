"""Time buckets for the charts: minutes for a story an hour old, hours for a young one, then days and weeks.

One rule for both sites: the editor's queries (tracker/charts/data.py) and
the public canned queries (metadata.yml, `coverage_over_time` and
`claims_over_time`) bucket with the same SQL expression, BUCKET_SQL, and
the unit is chosen here from the span of the data. Times are UTC ISO
strings as the database stores them ('2026-12-03T10:04:59Z').
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

MAX_BUCKETS = 48  # bars a chart shows at most before a coarser unit is chosen
# Buckets a story is counted in at most, per unit finer than a day, for the public file (tracker/public_tables.py)
# and the most a chart draws (series): a five-day story is counted by the hour (120), one of months is not.
COUNTED_BUCKETS = 10 * MAX_BUCKETS


@dataclass(frozen=True)
class Unit:
    name: str  # minute, hour, day or week: the value of the canned queries' :unit
    step: timedelta
    noun: str  # "items per {noun}"
    years: bool = False  # labels carry the year: the chart spans more than one calendar year

    def floor(self, value: datetime) -> datetime:
        value = value.astimezone(UTC).replace(second=0, microsecond=0)
        if self.name == "minute":
            return value
        value = value.replace(minute=0)
        if self.name == "hour":
            return value
        value = value.replace(hour=0)
        if self.name == "day":
            return value
        return value - timedelta(days=value.weekday())  # weeks start on Monday

    def label(self, bucket: datetime, short: bool = False) -> str:
        """How a bucket reads on an axis or in a table (UTC); with its year when the chart spans several."""
        day = "%-d %b %Y" if self.years else "%-d %b"
        if self.name == "minute":
            return bucket.strftime("%H:%M") if short else bucket.strftime(f"{day} %H:%M")
        if self.name == "hour":
            return bucket.strftime("%H:00") if short else bucket.strftime(f"{day} %H:00")
        if self.name == "day":
            return bucket.strftime(day)
        return ("w/c " if not short else "") + bucket.strftime(day)


UNITS = (
    Unit("minute", timedelta(minutes=1), "minute"),
    Unit("hour", timedelta(hours=1), "hour"),
    Unit("day", timedelta(days=1), "day"),
    Unit("week", timedelta(weeks=1), "week"),
)
BY_NAME = {u.name: u for u in UNITS}

# The bucket a stored time falls in, as the same ISO text `bucket_key` gives: SQLite's date
# functions read the stored 'Z' times. {col} is the column; :unit the unit's name.
BUCKET_SQL = (
    "CASE :unit WHEN 'minute' THEN strftime('%Y-%m-%dT%H:%M:00Z', {col}) "
    "WHEN 'hour' THEN strftime('%Y-%m-%dT%H:00:00Z', {col}) "
    "WHEN 'week' THEN strftime('%Y-%m-%dT00:00:00Z', {col}, '-6 days', 'weekday 1') "
    "ELSE strftime('%Y-%m-%dT00:00:00Z', {col}) END"
)


def parse(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def choose_unit(first: str | None, last: str | None) -> Unit:
    """The finest unit that shows the span from first to last in at most MAX_BUCKETS bars."""
    start, end = parse(first), parse(last)
    if start is None or end is None:
        return BY_NAME["day"]
    for unit in UNITS:
        if (unit.floor(end) - unit.floor(start)) / unit.step < MAX_BUCKETS:
            return unit
    return UNITS[-1]


def finest_counted(first: str | None, last: str | None) -> Unit:
    """The finest unit whose buckets cover the span from first to last in at most COUNTED_BUCKETS (at least a day).

    Finer than choose_unit's, so the unit a chart is drawn in is always counted; a story of months is not counted
    by the hour, which would be a row per hour of its coverage for a chart drawn in weeks.
    """
    start, end = parse(first), parse(last)
    if start is None or end is None:
        return BY_NAME["day"]
    for unit in UNITS[:2]:
        if (unit.floor(end) - unit.floor(start)) / unit.step <= COUNTED_BUCKETS:
            return unit
    return BY_NAME["day"]


def bucket_key(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def series(unit: Unit, first: str, last: str) -> list[str]:
    """Every bucket from first's to last's, in order, as keys: empty buckets are bars of zero, not gaps.

    At most the latest COUNTED_BUCKETS + 1: an item dated years before the
    story (an old article cited) would otherwise ask for thousands of weeks.
    The story is at the end, so the end is kept.
    """
    start, end = parse(first), parse(last)
    if start is None or end is None:
        return []
    current, stop = unit.floor(start), unit.floor(end)
    current = max(current, stop - unit.step * COUNTED_BUCKETS)
    keys = []
    while current <= stop:
        keys.append(bucket_key(current))
        current += unit.step
    return keys
