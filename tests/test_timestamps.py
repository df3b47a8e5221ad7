"""The stored timestamp format: one writer for every table, text that sorts in time order."""

from datetime import UTC, datetime, timedelta, timezone

from scrapers.timestamps import format_time, parse_time, utc_now
from tracker.db import now


def test_times_are_stored_in_utc_to_the_second_with_a_z():
    paris = timezone(timedelta(hours=1))
    assert format_time(datetime(2026, 3, 2, 15, 30, 5, 999_999, tzinfo=paris)) == "2026-03-02T14:30:05Z"
    assert format_time(datetime(2026, 3, 2, 14, 30)) == "2026-03-02T14:30:00Z"  # naive means UTC


def test_a_stored_time_reads_back_as_the_same_moment():
    moment = datetime(2026, 11, 24, 9, 30, tzinfo=UTC)
    assert parse_time(format_time(moment)) == moment
    assert parse_time("") is None and parse_time("yesterday") is None


def test_stored_text_sorts_in_time_order_and_the_database_clock_writes_it():
    stamps = [format_time(datetime(2026, 1, 1, tzinfo=UTC) + timedelta(hours=h * 7)) for h in range(40)]
    assert sorted(stamps) == stamps
    assert parse_time(now()) is not None and len(now()) == len(utc_now()) == len("2026-01-01T00:00:00Z")


def test_a_year_before_1000_keeps_four_digits_so_it_reads_back_and_sorts_first():
    """Feeds from .NET servers write an unset date as 0001-01-01T00:00:00; strftime's %Y wrote "1-01-01"."""
    stamp = format_time(datetime(1, 1, 1, tzinfo=UTC))
    assert stamp == "0001-01-01T00:00:00Z"
    assert parse_time(stamp) == datetime(1, 1, 1, tzinfo=UTC)
