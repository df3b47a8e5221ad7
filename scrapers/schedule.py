"""When sources and items are due again: polling, backoff after failures, re-checks by age, unconditional polls.

tracker/scrape.py runs the pass (what is due, hand records to ingest, keep
each source's health); this module is its timing policy, with no database
and no network, so each rule can be tested on plain numbers.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from scrapers.timestamps import format_time, parse_time

POLL_EVERY = 600  # seconds between two polls of a healthy source (watch --every)
# A source's own poll interval (config["every"], seconds), and `watch --every`'s longest: a breaking story's
# feed may need polling more often than the watch loop's default. Below 5 s a site would see us as a flood; above
# a day a source's next poll is a date that far away (1e300 seconds overflowed it). Here, with the schedule, so the
# command line can refuse an interval before it loads the scrapers that use it.
MIN_EVERY, MAX_EVERY = 5, 24 * 3600
MAX_BACKOFF = 6 * 3600  # a failing source is polled at least this often, so a fixed site is seen again
# The longest a site's own request to wait (Retry-After, a Crawl-delay) defers a source: a year asked is a day.
MAX_DEFER = 24 * 3600
GONE_AFTER = 3  # consecutive 404/410 answers before a source or an item counts as gone
UNCONDITIONAL_EVERY = 12  # every Nth poll of a source skips the validators ...
UNCONDITIONAL_AFTER = 24 * 3600  # ... and so does the first poll a day, to catch validators that lie
# A feed whose newest entry we can locate is checked instead with a ranged GET of it (scrapers/http/verify.py)
# at least every PROBE_EVERY-th poll: a change its validators hide is caught within that many polls.
PROBE_EVERY = 3
# How long until an item is fetched again, by its age: young items change most (corrections,
# updates to a developing story), old ones rarely. (age below, delay)
RECHECK = (
    (3600, 5 * 60),
    (6 * 3600, 15 * 60),
    (24 * 3600, 3600),
    (7 * 24 * 3600, 6 * 3600),
)
RECHECK_OLD = 24 * 3600


def later(at: str, seconds: float) -> str:
    """The stored timestamp `seconds` after `at`."""
    return format_time((parse_time(at) or datetime.now(UTC)) + timedelta(seconds=seconds))


def backoff(failures: int, every: float = POLL_EVERY, retry_after: float | None = None) -> float:
    """Seconds until a source that failed `failures` times in a row is tried again: doubling, capped."""
    delay = min(every * 2 ** max(failures, 0), max(MAX_BACKOFF, every))
    if retry_after is not None:
        delay = max(delay, min(retry_after, MAX_DEFER))
    return delay


def recheck_delay(age_seconds: float, every: float | None = None) -> float:
    """Seconds until an item of this age is fetched again (young: minutes; a week old and more: daily).

    every: the poll interval its source was given, if any; a source polled
    that often has its items re-checked at least as often.
    """
    delay = RECHECK_OLD
    for younger_than, step in RECHECK:
        if age_seconds < younger_than:
            delay = step
            break
    return min(delay, every) if every else delay


def item_backoff(age_seconds: float, failures: int, every: float | None = None) -> float:
    """Seconds until an item whose page failed `failures` times in a row is tried again."""
    return min(recheck_delay(age_seconds, every) * 2 ** max(failures, 0), RECHECK_OLD)


def probe_due(polls_since_checked: int) -> bool:
    """Is this poll of a feed the one that checks its 304s (after PROBE_EVERY - 1 polls that trusted them)?"""
    return polls_since_checked >= PROBE_EVERY - 1


def unconditional_due(polls_since_full: int, last_full_at: str | None, at: str) -> bool:
    """Is it time to fetch without validators, to check that a 304 still tells the truth?"""
    if polls_since_full >= UNCONDITIONAL_EVERY:
        return True
    last = parse_time(last_full_at)
    now = parse_time(at) or datetime.now(UTC)
    return last is None or (now - last).total_seconds() >= UNCONDITIONAL_AFTER
