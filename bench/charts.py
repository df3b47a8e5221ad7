"""The editor's dashboard charts: what a view costs fresh (after a change) and unchanged, against a bare count.

Builds a fictional story of 20,000 claims (a third ruled, some twice) and
20,000 items of coverage (a tenth syndicated copies in clusters, a
twenty-fifth statements) over five days, in a real SQLite file with plain
SQL, then times, on one connection opened as the editor opens it:

- floor: the chart rows counted bare (tracker.charts.data.story_charts: the
  span and the two grouped queries, nothing kept);
- rows_fresh: the rows as the dashboard reads them
  (tracker.charts.data.kept_story_charts) right after a new ruling, so
  nothing kept can be used; rows_unchanged: the same call again with nothing
  written in between, as a dashboard open in a tab reloads every 15 s;
- view_fresh, view_unchanged: the same for the dashboard's whole charts
  (tracker.editor.dashboard.story_charts: rows, then figures drawn or reused).

Each round writes a ruling before each "fresh"; figures are medians over rounds.

    .venv/bin/python bench/charts.py            # 20,000 claims, 20,000 items, 15 rounds
    .venv/bin/python bench/charts.py --quick    # 5,000 and 5,000, 5 rounds

The last line printed is one JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from tracker import migrations  # noqa: E402
from tracker.charts import data as chart_data  # noqa: E402
from tracker.db import connect  # noqa: E402
from tracker.editor import dashboard  # noqa: E402
from tracker.users import add_user  # noqa: E402

OUTLETS = [f"Outlet {n}" for n in range(40)]
STATUSES = ("confirmed", "denied", "unclear")


def stamp(minutes: int) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:00Z", time.gmtime(1_796_000_000 + 60 * minutes))


def make_database(path: Path, claims: int, items: int, seed: int = 7) -> tuple[int, int]:
    """A working database with one story of `claims` claims and `items` items; returns (story id, editor id)."""
    rng = random.Random(seed)
    span = 5 * 24 * 60  # five days: the charts are drawn by the hour
    db = connect(path)
    migrations.apply(db)
    editor = add_user(db, "bench-editor", "bench-password-1", "editor")
    conn = db.conn
    conn.execute("BEGIN")
    story = conn.execute(
        "INSERT INTO stories (slug, title, description, keywords_include, created_at) "
        "VALUES ('bench-charts', 'Benchmark: charts', '', '', ?)",
        [stamp(0)],
    ).lastrowid
    conn.executemany(
        """INSERT INTO coverage (story_id, kind, canonical_url, outlet, published_at, first_seen_at, cluster_id)
           VALUES (?, ?, ?, ?, ?, ?, ?)""",
        (
            (
                story,
                "statement" if i % 25 == 0 else "article",
                f"https://news.example/{i}",
                rng.choice(OUTLETS),
                stamp(rng.randrange(span)) if i % 9 else None,
                stamp(rng.randrange(span)),
                1 + i % 200 if i % 10 == 1 else None,
            )
            for i in range(items)
        ),
    )
    conn.executemany(
        """INSERT INTO claims (story_id, text, first_reported_at, created_at, updated_at)
           VALUES (?, ?, ?, ?, ?)""",
        (
            (story, f"Claim {n}", stamp(rng.randrange(span)) if n % 4 else None, stamp(n * span // claims), stamp(0))
            for n in range(claims)
        ),
    )
    rulings = []
    for claim_id, at in conn.execute("SELECT id, coalesce(first_reported_at, created_at) FROM claims"):
        if claim_id % 3 == 0:
            first = rng.choice(STATUSES)
            rulings.append((claim_id, "unreviewed", first, at))
            if claim_id % 12 == 0:
                rulings.append((claim_id, first, rng.choice([s for s in STATUSES if s != first]), at[:-3] + "59Z"))
    conn.executemany(
        "INSERT INTO status_history (claim_id, from_status, to_status, rationale, editor_id, at) "
        f"VALUES (?, ?, ?, 'Benchmark ruling.', {editor['id']}, ?)",
        rulings,
    )
    conn.execute("COMMIT")
    conn.execute("ANALYZE")
    db.close()
    return story, editor["id"]


def rule_one(db, story: int, editor: int, n: int) -> None:
    """A new ruling on one of the story's claims: what an editor does, and what the charts count."""
    claim_id, status = db.execute(
        "SELECT id, status FROM claims WHERE story_id = ? ORDER BY id LIMIT 1 OFFSET ?", [story, n]
    ).fetchone()
    to = STATUSES[n % 3] if STATUSES[n % 3] != status else STATUSES[(n + 1) % 3]
    with db.conn:
        db.execute(
            "INSERT INTO status_history (claim_id, from_status, to_status, rationale, editor_id, at) "
            "VALUES (?, ?, ?, 'Benchmark ruling.', ?, ?)",
            [claim_id, status, to, editor, stamp(5 * 24 * 60 - 1)],
        )
        db.execute("UPDATE claims SET status = ? WHERE id = ?", [to, claim_id])


def timed(fn) -> float:
    started = time.perf_counter()
    fn()
    return (time.perf_counter() - started) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="5,000 claims and 5,000 items, 5 rounds")
    parser.add_argument("--claims", type=int, help="claims (default 20,000; 5,000 with --quick)")
    parser.add_argument("--items", type=int, help="items of coverage (default 20,000; 5,000 with --quick)")
    parser.add_argument("--rounds", type=int, help="rounds, medians reported (default 15; 5 with --quick)")
    args = parser.parse_args()
    n_claims = args.claims or (5_000 if args.quick else 20_000)
    n_items = args.items or (5_000 if args.quick else 20_000)
    rounds = args.rounds or (5 if args.quick else 15)
    tmp = Path(tempfile.mkdtemp(prefix="bench-charts-"))
    started = time.perf_counter()
    story, editor = make_database(tmp / "tracker.db", n_claims, n_items)
    print(f"built {n_claims:,} claims and {n_items:,} items in {time.perf_counter() - started:.1f} s", flush=True)
    db = connect(tmp / "tracker.db")
    dashboard.story_charts(db, story)  # imports and first drawing out of the way
    times: dict[str, list[float]] = {
        k: [] for k in ("floor", "rows_fresh", "rows_unchanged", "view_fresh", "view_unchanged")
    }
    for n in range(rounds):
        rule_one(db, story, editor, 2 * n)
        times["view_fresh"].append(timed(lambda: dashboard.story_charts(db, story)))
        times["view_unchanged"].append(
            statistics.median(timed(lambda: dashboard.story_charts(db, story)) for _ in range(3))
        )
        rule_one(db, story, editor, 2 * n + 1)
        times["rows_fresh"].append(timed(lambda: chart_data.kept_story_charts(db, story)))
        times["rows_unchanged"].append(
            statistics.median(timed(lambda: chart_data.kept_story_charts(db, story)) for _ in range(3))
        )
        times["floor"].append(timed(lambda: chart_data.story_charts(db, story)))
    # A benchmark of a wrong answer is no benchmark: what the dashboard reuses must be a fresh count.
    if chart_data.kept_story_charts(db, story) != chart_data.story_charts(db, story):
        raise SystemExit("the dashboard's chart rows differ from a fresh count")
    db.close()
    figures: dict = {"claims": n_claims, "items": n_items, "rounds": rounds}
    figures.update({f"{k}_ms": round(statistics.median(v), 3) for k, v in times.items()})
    for k in ("rows_fresh", "rows_unchanged", "view_fresh", "view_unchanged"):
        figures[f"{k}_ratio_to_floor"] = round(figures[f"{k}_ms"] / figures["floor_ms"], 3)
    figures["load_average"] = [round(x, 1) for x in os.getloadavg()]
    print(
        f"floor (bare count) {figures['floor_ms']} ms; rows after a ruling {figures['rows_fresh_ms']} ms, "
        f"unchanged {figures['rows_unchanged_ms']} ms; charts drawn after a ruling {figures['view_fresh_ms']} ms, "
        f"unchanged {figures['view_unchanged_ms']} ms"
    )
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
