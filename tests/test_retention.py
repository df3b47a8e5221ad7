"""The fetch log and sent alerts are kept for KEEP_DAYS, then removed at the end of a pass (tracker/retention.py)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from scrapers.timestamps import format_time
from tracker import retention
from tracker.scrape import run_pass

AT = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


def days_ago(days: float) -> str:
    return format_time(AT - timedelta(days=days))


def log_fetches(db, stamps: list[str]) -> None:
    with db.conn:
        db.conn.executemany(
            "INSERT INTO fetches (source_id, url, at, status, outcome) VALUES (NULL, ?, ?, 200, 'ok')",
            [(f"https://example.org/{n}", stamp) for n, stamp in enumerate(stamps)],
        )


def kept_fetches(db) -> list[str]:
    return [at for (at,) in db.execute("SELECT at FROM fetches ORDER BY id")]


def test_fetch_log_rows_older_than_the_window_go_and_the_rest_stay(db):
    log_fetches(db, [days_ago(200), days_ago(120), days_ago(91), days_ago(89), days_ago(1)])
    pruned = retention.prune(db, AT)
    assert pruned.fetches == 3
    assert kept_fetches(db) == [days_ago(89), days_ago(1)]
    assert retention.prune(db, AT).fetches == 0  # nothing left to do: a second call removes nothing


def test_a_backlog_goes_in_batches_and_at_most_the_given_number_per_call(db):
    log_fetches(db, [days_ago(100)] * (2 * retention.BATCH + 500) + [days_ago(5)])
    assert retention.prune(db, AT, most=retention.BATCH + 10).fetches == retention.BATCH + 10
    assert retention.prune(db, AT).fetches == retention.BATCH - 10 + 500
    assert kept_fetches(db) == [days_ago(5)]


def test_sent_and_failed_alerts_go_a_pending_one_stays_whatever_its_age(db, accounts):
    user = accounts["reporter"]["id"]
    with db.conn:
        destination = db.execute(
            "INSERT INTO alert_destinations (user_id, label, scheme, url_masked, url_secret, created_at) "
            "VALUES (?, 'Desk', 'json', 'json://x', x'00', ?)",
            [user, days_ago(300)],
        ).lastrowid
        for state, age in [("sent", 200), ("pending", 150), ("failed", 120), ("sent", 30), ("failed", 2)]:
            db.execute(
                "INSERT INTO alert_deliveries (destination_id, title, body, events, state, next_attempt, created, "
                "created_at) VALUES (?, 'New claim', 'Body', 1, ?, 0, 0, ?)",
                [destination, state, days_ago(age)],
            )
    assert retention.prune(db, AT).deliveries == 2
    left = db.execute("SELECT state, created_at FROM alert_deliveries ORDER BY id").fetchall()
    assert left == [("pending", days_ago(150)), ("sent", days_ago(30)), ("failed", days_ago(2))]


def test_a_pass_removes_what_is_old_and_says_so(db, story):
    log_fetches(db, [days_ago(100), days_ago(100), days_ago(3)])
    result = run_pass(db, story["slug"], at=format_time(AT), extract=False)
    assert kept_fetches(db) == [days_ago(3)]
    assert any("removed 2 fetch-log row(s)" in note for note in result["notes"]), result["notes"]
    again = run_pass(db, story["slug"], at=format_time(AT), extract=False)
    assert not any("removed" in note for note in again["notes"])


def test_pacing_rows_of_hosts_whose_wait_ended_long_ago_go(db):
    now = AT.timestamp()
    with db.conn:
        db.conn.executemany(
            "INSERT INTO host_pacing (host, last_start_at, delay_seconds, claimed_by) VALUES (?, ?, ?, 'p')",
            [
                ("old.example", now - 3 * 86400, 1.0),
                ("slow.example", now - 1.5 * 86400, 86400.0),  # its day-long Crawl-delay ended only half a day ago
                ("recent.example", now - 60, 1.0),
            ],
        )
    assert retention.prune(db, AT).hosts == 1
    assert sorted(h for (h,) in db.execute("SELECT host FROM host_pacing")) == ["recent.example", "slow.example"]


def test_a_robots_txt_kept_goes_once_it_has_expired(db):
    with db.conn:
        db.conn.executemany(
            "INSERT INTO robots_kept (origin, body, expires_at) VALUES (?, ?, ?)",
            [
                ("https://old.example", b"User-agent: *\n", AT.timestamp() - 1),
                ("https://new.example", None, AT.timestamp() + 60),
            ],
        )
    retention.prune(db, AT)
    assert [o for (o,) in db.execute("SELECT origin FROM robots_kept")] == ["https://new.example"]
