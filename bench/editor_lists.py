"""The editor's list pages at scale: a story of 333,000 coverage items and its claims, one page at a time.

Builds bench/public.py's working file (1,000,000 coverage items over three
fictional stories, one revision each plus revised statements; 100,000
published claims with three evidence quotes each) and asks the editor's own
Flask app, in this process and logged in as an editor, for each list page of
the first story: its coverage in both orders (first page and the page 1,000
items in), its claims, triage queue (300,000 candidates in the story, a fifth
of them waiting), sources and dashboard, and the triage page of a story with no
candidates (which counts the texts waiting for extraction instead); then the
dashboard's first view after each of a few rulings, when its charts are
counted and drawn again (the views before it reuse them). Each page beside a
floor in the same run: the bare claims route of tracker/editor/bench_floor.py
(50 claims as JSON, no template, session or CSRF), the least a list costs
through the same app. Rounds alternate page and floor; medians over rounds.

    .venv/bin/python bench/editor_lists.py            # 1,000,000 items (333,333 in the story)
    .venv/bin/python bench/editor_lists.py --quick    # 50,000 items
    .venv/bin/python bench/editor_lists.py --keep DIR # build once in DIR, reuse it on the next run

The last line printed is one JSON object.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import re
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from tracker.db import connect  # noqa: E402
from tracker.editor.bench_floor import KEY_HEADER, floor_key  # noqa: E402
from tracker.users import add_user  # noqa: E402

PASSWORD = "bench-password-1"
SLUG = "bench-story-1"
CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
AT_RE = re.compile(r'href="[^"]*[?&;]at=([^"&]+)"[^>]*>Next')


def _public_bench():
    spec = importlib.util.spec_from_file_location("bench_public", REPO / "bench" / "public.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def build(path: Path, claims: int, items: int) -> dict:
    counts = _public_bench().generate(path, claims, items)
    db = connect(path)
    add_user(db, "bench-lists-editor", PASSWORD, "editor")
    db.close()
    counts["candidates"] = add_candidates(path, items * 3 // 10)
    return counts


def add_candidates(path: Path, count: int) -> int:
    """`count` triage candidates for the measured story, one per text, its texts read: a fifth of them waiting,
    the rest accepted, merged or dismissed, each scored. The story's other texts stay waiting for extraction.

    A file kept from before candidates were part of the bench gets them on its next run (none are added twice).
    """
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA synchronous = OFF")
    if conn.execute("SELECT count(*) FROM candidates").fetchone()[0]:
        conn.close()
        return 0
    state = "CASE r.id % 5 WHEN 0 THEN 'pending' WHEN 1 THEN 'accepted' WHEN 2 THEN 'merged' ELSE 'dismissed' END"
    conn.execute("BEGIN")
    conn.execute(
        f"""INSERT INTO candidates (story_id, revision_id, kind, text, quote, claimant, claimant_type, start, "end",
                                    fingerprint, state, claim_id, reason, decided_by, decided_at, created_at,
                                    check_score)
            SELECT cov.story_id, r.id, 'direct', 'Synthetic body text for report ' || cov.id || '.',
                   'Synthetic body text', 'people familiar with the matter', 'anonymous', 0, 31,
                   printf('%016x', r.id * 2654435761 % 4294967296), {state},
                   CASE WHEN r.id % 5 IN (1, 2) THEN 3 * ((r.id * 7919) % (? / 3)) + 3 END,
                   CASE WHEN r.id % 5 > 2 THEN 'Not a claim.' END,
                   CASE WHEN r.id % 5 != 0 THEN 1 END,
                   CASE WHEN r.id % 5 != 0 THEN r.fetched_at END, r.fetched_at, ((r.id * 7919) % 1000) / 1000.0
            FROM revisions r JOIN coverage cov ON cov.id = r.coverage_id JOIN stories s ON s.id = cov.story_id
            WHERE s.slug = ? ORDER BY r.id LIMIT ?""",
        [conn.execute("SELECT max(id) FROM claims").fetchone()[0], SLUG, count],
    )
    conn.execute("UPDATE revisions SET extracted_at = fetched_at WHERE id IN (SELECT revision_id FROM candidates)")
    conn.execute("COMMIT")
    added = conn.execute("SELECT count(*) FROM candidates").fetchone()[0]
    conn.close()
    return added


SECRET_KEY = "bench-secret-key-of-enough-length-0123456789"


def client_for(path: Path, workdir: Path):
    os.environ["TRACKER_BENCH_FLOOR"] = "1"
    from tracker.editor import create_app

    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": SECRET_KEY,
            "DATABASE": str(path),
            "PUBLIC_DB": str(workdir / "public.db"),
            "RATELIMIT_ENABLED": False,
        }
    )
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    client.post(
        "/login",
        data={"username": "bench-lists-editor", "password": PASSWORD, "csrf_token": CSRF_RE.search(page).group(1)},
    )
    return client


def timed(client, path: str) -> float:
    headers = {KEY_HEADER: floor_key(SECRET_KEY)} if path.startswith("/_bench/") else {}
    start = time.perf_counter()
    response = client.get(path, headers=headers)
    elapsed = time.perf_counter() - start
    if response.status_code != 200:
        raise SystemExit(f"{path} answered {response.status_code}")
    return elapsed * 1000


def page_at(client, path: str, pages: int) -> str:
    """The address of the page `pages` Next links on from `path`."""
    for _ in range(pages):
        html = client.get(path).get_data(as_text=True)
        at = AT_RE.search(html)
        if not at:
            break
        path = re.sub(r"([?&])at=[^&]*&?", r"\1", path).rstrip("?&")
        path += ("&" if "?" in path else "?") + "at=" + at.group(1).replace("&amp;", "&")
    return path


def rule_one(path: Path, n: int) -> None:
    """A new ruling on one of the story's claims, written as another server process would: the charts change."""
    db = connect(path)
    claim_id, status = db.execute(
        "SELECT c.id, c.status FROM claims c JOIN stories s ON s.id = c.story_id WHERE s.slug = ? "
        "ORDER BY c.id LIMIT 1 OFFSET ?",
        [SLUG, 7 * n],
    ).fetchone()
    to = "denied" if status != "denied" else "confirmed"
    with db.conn:
        db.execute(
            "INSERT INTO status_history (claim_id, from_status, to_status, rationale, editor_id, at) "
            "VALUES (?, ?, ?, 'Benchmark ruling.', 1, '2026-03-02T12:00:00Z')",
            [claim_id, status, to],
        )
        db.execute("UPDATE claims SET status = ? WHERE id = ?", [to, claim_id])
    db.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="50,000 coverage items and 5,000 claims")
    parser.add_argument("--rounds", type=int, help="page/floor rounds, medians reported (default 5; 3 with --quick)")
    parser.add_argument("--keep", metavar="DIR", help="build in DIR, or reuse the file an earlier run left there")
    args = parser.parse_args()
    items, claims = (50_000, 5_000) if args.quick else (1_000_000, 100_000)
    rounds = args.rounds or (3 if args.quick else 5)
    workdir = Path(args.keep or tempfile.mkdtemp(prefix="bench-editor-lists-"))
    workdir.mkdir(parents=True, exist_ok=True)
    path = workdir / f"tracker-{items}.db"
    if not path.exists():
        start = time.perf_counter()
        counts = build(path, claims, items)
        print(f"built {counts} in {time.perf_counter() - start:.0f} s: {path}", flush=True)
    else:
        print(f"reusing {path}", flush=True)
        added = add_candidates(path, items * 3 // 10)
        if added:
            print(f"added {added:,} candidates to the kept file", flush=True)
    from tracker import migrations

    db = connect(path)
    migrations.apply(db)  # a kept file from before a new migration gets it, as `init` would
    in_story = db.execute("SELECT count(*) FROM coverage c JOIN stories s ON s.id = c.story_id WHERE slug = ?", [SLUG])
    in_story = in_story.fetchone()[0]
    candidates = db.execute(
        "SELECT count(*) FROM candidates k JOIN stories s ON s.id = k.story_id WHERE slug = ?", [SLUG]
    )
    candidates = candidates.fetchone()[0]
    db.close()
    client = client_for(path, workdir)
    base = f"/stories/{SLUG}"
    pages = {
        "coverage, newest published": f"{base}/coverage",
        "coverage, recently changed": f"{base}/coverage?order=changed",
        "coverage, published, 10th page": page_at(client, f"{base}/coverage", 10),
        "coverage, changed, 10th page": page_at(client, f"{base}/coverage?order=changed", 10),
        "claims": base,
        "triage": f"{base}/triage",
        "triage, a story with no candidates": "/stories/bench-story-2/triage",
        "sources": f"{base}/sources",
        "dashboard": f"{base}/dashboard",
    }
    floor_path = f"/_bench{base}/claims"
    timed(client, floor_path)  # warm: the first request opens the file and reads the schema
    figures: dict[str, dict] = {}
    for name, path_ in pages.items():
        ours, floor = [], []
        for _ in range(rounds):
            ours.append(timed(client, path_))
            floor.append(timed(client, floor_path))
        p, f = statistics.median(ours), statistics.median(floor)
        figures[name] = {"ms": round(p, 1), "floor_ms": round(f, 1), "ratio": round(p / f, 2)}
        print(f"{name:<34}{p:>10.1f} ms   floor {f:>7.1f} ms   ratio {p / f:>7.2f}", flush=True)
    ours, floor = [], []
    for n in range(rounds):
        rule_one(path, n)
        ours.append(timed(client, pages["dashboard"]))
        floor.append(timed(client, floor_path))
    p, f = statistics.median(ours), statistics.median(floor)
    after_ruling = {"ms": round(p, 1), "floor_ms": round(f, 1), "ratio": round(p / f, 2)}
    print(f"{'dashboard, first view after a ruling':<34}{p:>10.1f} ms   floor {f:>7.1f} ms   ratio {p / f:>7.2f}")
    if not args.keep:
        shutil.rmtree(workdir, ignore_errors=True)
    summary = {"items_in_story": in_story, "candidates_in_story": candidates, "rounds": rounds, "pages": figures}
    print(json.dumps(summary | {"dashboard_after_a_ruling": after_ruling}))


if __name__ == "__main__":
    main()
