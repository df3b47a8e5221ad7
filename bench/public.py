"""The public side at scale: publishing a big working database, and one Datasette process serving readers.

Synthetic, fictional data (no real organisations) is written straight into a
migrated working database with SQL: stories, coverage with one revision each
(plus revised statements), published and unpublished claims, three evidence
quotes per claim, rulings with corrections, private fields filled in.

Measured, each beside a floor taken in the same run:
- publish: `tracker.publish.publish` beside a bare `VACUUM INTO` of the same
  source file (the floor: copying the whole file once, the least a build that
  reads it can cost), each round to a new file, as a site's first publish;
- publish again (republish_ratio): the same, each round into the public file
  the rounds before left, as every later publish does (its pages copied into
  the served file through its WAL, then merged), beside the same floor;
- the timeline page (`/public/timeline`, 50 events as cards with their
  evidence, history and side panels) under N concurrent closed-loop clients on
  loopback against a real `datasette` process configured as `python -m
  tracker serve` runs it, beside stock Datasette (no metadata, templates or
  plugins, facet suggestions off) serving the same 50 newest events as its
  plain table page (`/public/events?_sort_desc=date&_size=50`);
- the `unclear` canned query as JSON, and a mixed reader workload;
- readers of small pages alone, under clients sending expensive SQL, and while
  clients ask for story pages not kept in the page cache (each draws its charts);
- requests/s one process holds, and its resident memory afterwards;
- with `--table-only`, only table pages as served (a facet, a search, a sort, a
  streamed CSV): their latency and the server's CPU time per page.

Clients and servers share this machine's cores, so latencies include queueing
(closed loop: latency ~ clients / throughput); the ratios are the figures to
compare. Rounds alternate floor and ours; medians over rounds are reported.

    .venv/bin/python bench/public.py --quick              # 5,000 claims, 50,000 coverage rows
    .venv/bin/python bench/public.py --quick --abuse-only # only abuse_ratio (readers under hostile SQL)
    .venv/bin/python bench/public.py --quick --table-only # only table pages: latency and server CPU a page
    .venv/bin/python bench/public.py --publish-only --rounds 5  # only publish ÷ floor (no servers)
    .venv/bin/python bench/public.py                      # 100,000 claims, 1,000,000 coverage rows
    .venv/bin/python bench/public.py --claims 30000 --coverage 300000

The last line printed is one JSON object with the figures.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from tracker import migrations  # noqa: E402
from tracker.db import connect  # noqa: E402
from tracker.public import datasette_serve_args  # noqa: E402
from tracker.publish import publish  # noqa: E402

STORIES = 3
OUTLETS = 60
CLAIMANTS = 2500
EVIDENCE_PER_CLAIM = 3
WORDS = (
    "Northwind Freight",
    "Contoso Mills",
    "Fabrikam Labs",
    "Tailspin Air",
    "Woodgrove Bank",
    "Litware Energy",
    "Adatum Health",
    "Proseware Media",
)
VERBS = ("delayed", "cancelled", "expanded", "audited", "closed", "relocated", "reviewed", "suspended")
OBJECTS = ("its depot", "a safety test", "the pilot programme", "two contracts", "its hiring", "a product line")


def seq(n: int) -> str:
    return f"WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq WHERE i < {int(n)})"


def pick(values: tuple[str, ...], expr: str) -> str:
    """A SQL CASE choosing values[expr % len(values)]: deterministic variety without random()."""
    whens = " ".join(f"WHEN {i} THEN '{v}'" for i, v in enumerate(values))
    return f"(CASE ({expr}) % {len(values)} {whens} END)"


def iso(offset_seconds_expr: str) -> str:
    return f"strftime('%Y-%m-%dT%H:%M:%SZ', '2026-01-01', '+' || ({offset_seconds_expr}) || ' seconds')"


def generate(path: Path, claims: int, coverage_rows: int) -> dict:
    """A migrated working database filled with fictional data; returns row counts."""
    db = connect(path)
    migrations.apply(db)
    db.close()
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA synchronous = OFF")
    conn.execute("PRAGMA cache_size = -200000")
    span = 60 * 86400  # coverage spread over 60 days
    unpublished = claims // 20
    total_claims = claims + unpublished
    statements = "(i % 20 = 0)"
    conn.execute("BEGIN")
    conn.execute(
        "INSERT INTO users (id, username, password_hash, role, created_at) VALUES "
        "(1, 'bench.editor', 'pbkdf2:sha256:1$x$y', 'editor', '2026-01-01T00:00:00Z')"
    )
    for s in range(1, STORIES + 1):
        conn.execute(
            "INSERT INTO stories (id, slug, title, description, keywords_include, created_at) "
            "VALUES (?, ?, ?, ?, 'synthetic', '2026-01-01T00:00:00Z')",
            [s, f"bench-story-{s}", f"Synthetic story {s}", f"A fictional developing story, number {s}."],
        )
    conn.execute(
        f"""{seq(coverage_rows)}
        INSERT INTO coverage (id, story_id, kind, canonical_url, outlet, title, byline, published_at, first_seen_at)
        SELECT i, 1 + i % {STORIES}, CASE WHEN {statements} THEN 'statement' ELSE 'article' END,
               'https://outlet' || (i % {OUTLETS}) || '.example/news/' || i,
               'Example Outlet ' || (i % {OUTLETS}),
               'Synthetic report ' || i || ': ' || {pick(WORDS, "i")} || ' ' || {pick(VERBS, "i / 7")},
               'Staff writer ' || (i % 300),
               {iso(f"i * {span} / {coverage_rows}")}, {iso(f"i * {span} / {coverage_rows} + 600")}
        FROM seq"""
    )
    body = (
        "'Synthetic body text for report ' || i || '. ' || "
        + pick(WORDS, "i")
        + " || ' ' || "
        + pick(VERBS, "i / 3")
        + " || ' ' || "
        + pick(OBJECTS, "i / 5")
        + " || ', according to people familiar with the matter. The company said it would comment later.'"
    )
    conn.execute(
        f"""{seq(coverage_rows)}
        INSERT INTO revisions (id, coverage_id, fetched_at, content_hash, text)
        SELECT i, i, {iso(f"i * {span} / {coverage_rows} + 600")}, printf('%064x', i), {body} FROM seq"""
    )
    # One statement in ten is revised once, a day later.
    conn.execute(
        """INSERT INTO revisions (coverage_id, fetched_at, content_hash, text, diff)
        SELECT id, strftime('%Y-%m-%dT%H:%M:%SZ', first_seen_at, '+1 day'), printf('%064x', -id),
               'Synthetic body text for report ' || id || ', revised.', '-old\n+new'
        FROM coverage WHERE kind = 'statement' AND id % 200 = 0"""
    )
    # Status by claim number: 20% confirmed, 10% denied, 35% unclear, 35% unreviewed.
    status = (
        "(CASE WHEN i % 20 < 4 THEN 'confirmed' WHEN i % 20 < 6 THEN 'denied' "
        "WHEN i % 20 < 13 THEN 'unclear' ELSE 'unreviewed' END)"
    )
    first_cov = f"((i * 7919) % {coverage_rows} + 1)"
    conn.execute(
        f"""{seq(total_claims)}
        INSERT INTO claims (id, story_id, text, claimant, claimant_type, status, status_changed_at, version,
                            published, first_reported_at, source_identity, internal_notes, created_by,
                            created_at, updated_at)
        SELECT i, 1 + i % {STORIES},
               'Synthetic claim ' || i || ': ' || {pick(WORDS, "i / 11")} || ' ' || {pick(VERBS, "i / 13")} || ' '
                   || {pick(OBJECTS, "i / 17")} || '.',
               'Claimant ' || (i % {CLAIMANTS}),
               {pick(("named", "anonymous", "organization", "outlet", "document", "unattributed"), "i / 19")},
               {status},
               CASE WHEN {status} = 'unreviewed' THEN NULL ELSE {iso(f"i * {span} / {total_claims} + 86400")} END,
               1, CASE WHEN i > {claims} THEN 0 ELSE 1 END,
               {iso(f"{first_cov} * {span} / {coverage_rows}")},
               'Confidential identity ' || i, 'Internal note ' || i, 1,
               {iso(f"i * {span} / {total_claims}")}, {iso(f"i * {span} / {total_claims}")}
        FROM seq"""
    )
    conn.execute(
        f"""{seq(total_claims * EVIDENCE_PER_CLAIM)}
        INSERT INTO evidence (id, claim_id, revision_id, quote, start, "end", stance, added_by, added_at)
        SELECT i, (i - 1) / {EVIDENCE_PER_CLAIM} + 1, r, 'Synthetic body text for report ' || r, 0,
               length('Synthetic body text for report ' || r),
               CASE i % {EVIDENCE_PER_CLAIM} WHEN 0 THEN 'contradicts' WHEN 1 THEN 'supports' ELSE 'context' END,
               1, '2026-03-01T00:00:00Z'
        FROM (SELECT i, (((i - 1) / {EVIDENCE_PER_CLAIM} + 1) * 7919 + (i % {EVIDENCE_PER_CLAIM}) * 104729)
                        % {coverage_rows} + 1 AS r FROM seq)"""
    )
    # The evidence that dates each claim's first report, as tracker/claims.py records it: the last of the claim's
    # items quotes the coverage first_reported_at was taken from.
    conn.execute(f"UPDATE claims SET first_reported_evidence_id = id * {EVIDENCE_PER_CLAIM}")
    # Rulings: every ruled claim went unreviewed -> unclear; confirmed and denied ones then moved on,
    # one in fifty of them as a correction of a published ruling.
    conn.execute(
        """INSERT INTO status_history (claim_id, from_status, to_status, rationale, public_rationale, is_correction,
                                       editor_id, at)
           SELECT id, 'unreviewed', 'unclear', 'Internal rationale ' || id, 'Public reason ' || id, 0, 1,
                  strftime('%Y-%m-%dT%H:%M:%SZ', status_changed_at, '-1 hour')
           FROM claims WHERE status != 'unreviewed'"""
    )
    conn.execute(
        """INSERT INTO status_history (claim_id, from_status, to_status, rationale, public_rationale, is_correction,
                                       editor_id, at)
           SELECT id, 'unclear', status, 'Internal rationale ' || id, 'Public reason for the ruling ' || id,
                  id % 50 = 0, 1, status_changed_at
           FROM claims WHERE status IN ('confirmed', 'denied')"""
    )
    conn.execute("COMMIT")
    counts = {
        table: conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        for table in ("claims", "coverage", "revisions", "evidence", "status_history")
    }
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    counts["published_claims"] = claims
    return counts


def cpu_seconds() -> float:
    """This process's CPU time so far, every thread's (the publish checks its file on two)."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def time_floor(source: Path, target: Path) -> tuple[float, float]:
    """Wall and CPU seconds of the floor: a bare VACUUM INTO of the working file (target removed after)."""
    conn = sqlite3.connect(source)
    start, cpu = time.perf_counter(), cpu_seconds()
    conn.execute("VACUUM INTO ?", [str(target)])
    wall, used = time.perf_counter() - start, cpu_seconds() - cpu
    conn.close()
    target.unlink()
    return wall, used


def publish_round(source: Path, workdir: Path, out: Path, label: str) -> tuple[dict, dict]:
    """One round as the bench measures it: the floor, then a publish of the same working file to out; the
    publish's summary and the round's wall and CPU seconds of both."""
    floor_s, floor_cpu = time_floor(source, workdir / f"floor-{label}.db")
    db = connect(source, create=False)
    try:
        start, cpu = time.perf_counter(), cpu_seconds()
        summary = publish(db, out)
        ours_s, ours_cpu = time.perf_counter() - start, cpu_seconds() - cpu
    finally:
        db.close()
    each = {
        "publish_s": round(ours_s, 3),
        "publish_cpu_s": round(ours_cpu, 3),
        "floor_s": round(floor_s, 3),
        "floor_cpu_s": round(floor_cpu, 3),
        "load_1min": round(os.getloadavg()[0], 2),
    }
    print(
        f"  round {label}: publish {ours_s:.2f} s ({ours_cpu:.2f} s CPU), floor {floor_s:.2f} s ({floor_cpu:.2f} s "
        f"CPU), ratio {ours_s / floor_s:.2f}, load {each['load_1min']}",
        flush=True,
    )
    return summary, each


def time_publish(source: Path, workdir: Path, rounds: int) -> tuple[float, float, dict, list[dict]]:
    """Median seconds of publish and of the VACUUM INTO floor, alternating, fresh output each time.

    Also returns each round's wall and CPU seconds of both: the machine is shared, and a round's CPU ratio
    moves less with the load than its wall-time ratio does."""
    summary, each = {}, []
    for r in range(rounds):
        out_dir = workdir / f"pub-{r}"
        out_dir.mkdir()
        summary, measured = publish_round(source, workdir, out_dir / "public.db", str(r + 1))
        each.append(measured)
        if r < rounds - 1:
            (out_dir / "public.db").unlink()
    return (
        statistics.median(r["publish_s"] for r in each),
        statistics.median(r["floor_s"] for r in each),
        summary,
        each,
    )


def time_republish(source: Path, workdir: Path, public_db: Path, rounds: int) -> dict:
    """A later publish, the path every publish after a site's first takes: into the public file in place, whose
    pages it copies into the served file through its WAL and then merges (tracker/publish.py _swap_in), where the
    rounds above rename a new file into place. Alternating with the same floor; the figures for the last line."""
    each = [publish_round(source, workdir, public_db, f"{r + 1} (again)")[1] for r in range(rounds)]
    ours, floor = (statistics.median(r[key] for r in each) for key in ("publish_s", "floor_s"))
    return {
        "republish_s": round(ours, 3),
        "republish_floor_s": round(floor, 3),
        "republish_ratio": round(ours / floor, 2),
        "republish_cpu_ratio": round(statistics.median(r["publish_cpu_s"] / r["floor_cpu_s"] for r in each), 2),
        "republish_rounds": each,
    }


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(argv: list[str], port: int, env: dict | None = None) -> subprocess.Popen:
    proc = subprocess.Popen(
        argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=REPO, env={**os.environ, **(env or {})}
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}: {' '.join(argv)}")
        try:
            httpx.get(f"http://127.0.0.1:{port}/", timeout=2)
            return proc
        except httpx.TransportError:
            time.sleep(0.2)
    proc.kill()
    raise RuntimeError("server did not start")


def stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


class Connection:
    """A keep-alive HTTP/1.1 connection with just enough parsing for these servers.

    A lean client on purpose: the load generator shares the machine's cores
    with the server it measures, and httpx spends several times more CPU per
    request than the bytes below.
    """

    def __init__(self, host: str, port: int, local_host: str | None = None):
        self.host, self.port = host, port
        # A client of its own: another loopback address (127.0.0.2, ...) is another client to the server.
        self.local_addr = (local_host, 0) if local_host else None
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def get(self, path: str) -> int:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port, local_addr=self.local_addr)
        self.writer.write(f"GET {path} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\n\r\n".encode())
        await self.writer.drain()
        head = await self.reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split()[1])
        headers = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:] if line)}
        if "content-length" in headers:
            await self.reader.readexactly(int(headers["content-length"]))
        elif headers.get("transfer-encoding", "").lower() == "chunked":
            while True:
                size = int((await self.reader.readline()).split(b";")[0].strip(), 16)
                await self.reader.readexactly(size + 2)
                if size == 0:
                    break
        if headers.get("connection", "").lower() == "close":
            self.writer.close()
            self.reader = self.writer = None
        return status

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()


async def load(base: str, paths: list[str], total: int, clients: int) -> dict:
    """Closed-loop load: `clients` workers send `total` requests back to back, cycling through paths."""
    host, port = base.removeprefix("http://").split(":")
    latencies: list[float] = []
    failures: list[tuple[str, int]] = []
    counter = iter(range(total))

    async def worker() -> None:
        conn = Connection(host, int(port))
        try:
            for n in counter:
                start = time.perf_counter()
                status = await conn.get(paths[n % len(paths)])
                latencies.append((time.perf_counter() - start) * 1000)
                if status != 200:
                    failures.append((paths[n % len(paths)], status))
        finally:
            conn.close()

    start = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(clients)))
    wall = time.perf_counter() - start
    latencies.sort()
    return {
        "p50": latencies[len(latencies) // 2],
        "p95": latencies[min(len(latencies) - 1, int(len(latencies) * 0.95))],
        "rps": total / wall,
        "failures": failures,
    }


# Free-form SQL that runs until the time limit cuts it off: what a hostile visitor sends in a loop.
EXPENSIVE_SQL = (
    "/public.json?sql="
    + "with+recursive+n(i)+as+(select+1+union+all+select+i+%2B+1+from+n)+select+count(*)+from+n"
    + "&_shape=array"
)


async def under_abuse(
    base: str, paths: list[str], total: int, clients: int, abusers: int, abuse: tuple[str, ...] = (EXPENSIVE_SQL,)
) -> tuple[dict, dict]:
    """Readers' load while `abusers` clients (each from its own loopback address) send `abuse` back to back.

    Returns the readers' figures and how the abusive requests were answered (status -> count).
    """
    host, port = base.removeprefix("http://").split(":")
    stop = asyncio.Event()
    answered: dict[int, int] = {}

    async def abuser(n: int) -> None:
        conn = Connection(host, int(port), local_host=f"127.0.0.{n + 2}")
        try:
            sent = n
            while not stop.is_set():
                status = await conn.get(abuse[sent % len(abuse)])
                sent += 1
                answered[status] = answered.get(status, 0) + 1
        finally:
            conn.close()

    tasks = [asyncio.create_task(abuser(n)) for n in range(abusers)]
    while sum(answered.values()) < abusers:  # every abuser has had an answer: the SQL threads are busy
        await asyncio.sleep(0.05)
    readers = await load(base, paths, total, clients)
    stop.set()
    await asyncio.gather(*tasks)
    return readers, answered


def measure(base: str, paths: list[str], total: int, clients: int) -> dict:
    asyncio.run(load(base, paths, max(clients * 2, total // 10), clients))  # warm up
    return asyncio.run(load(base, paths, total, clients))


def rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


def median_of(runs: list[dict], key: str) -> float:
    return statistics.median(r[key] for r in runs)


def timeline_figures(timeline: list, floor: list, rendered: list, unclear: list, mixed: list) -> dict:
    """The reader pages' figures beside the stock-Datasette floor, medians over rounds."""
    return {
        "timeline_p50_ms": round(median_of(timeline, "p50"), 1),
        "timeline_p95_ms": round(median_of(timeline, "p95"), 1),
        "timeline_floor_p50_ms": round(median_of(floor, "p50"), 1),
        "timeline_floor_p95_ms": round(median_of(floor, "p95"), 1),
        "timeline_ratio_to_floor": round(median_of(timeline, "p95") / median_of(floor, "p95"), 2),
        "timeline_p50_ratio_to_floor": round(median_of(timeline, "p50") / median_of(floor, "p50"), 2),
        "timeline_uncached_p50_ms": round(median_of(rendered, "p50"), 1),
        "timeline_uncached_p95_ms": round(median_of(rendered, "p95"), 1),
        "timeline_uncached_ratio_to_floor": round(median_of(rendered, "p95") / median_of(floor, "p95"), 2),
        "uncached_requests_per_s": round(median_of(rendered, "rps"), 1),
        "unclear_p50_ms": round(median_of(unclear, "p50"), 1),
        "unclear_p95_ms": round(median_of(unclear, "p95"), 1),
        "requests_per_s": round(median_of(timeline, "rps"), 1),
        "floor_requests_per_s": round(median_of(floor, "rps"), 1),
        "mixed_requests_per_s": round(median_of(mixed, "rps"), 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="5,000 claims and 50,000 coverage rows")
    parser.add_argument("--claims", type=int)
    parser.add_argument("--coverage", type=int)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--requests", type=int, help="requests per measurement (default 300 quick, 800 full)")
    parser.add_argument("--rounds", type=int, default=3, help="alternating rounds of floor and ours")
    parser.add_argument("--keep", metavar="DIR", help="build in DIR and keep the files")
    parser.add_argument("--abusers", type=int, default=8, help="clients sending expensive SQL in the abuse test")
    parser.add_argument(
        "--abuse-only", action="store_true", help="only the readers-under-abuse measurement (abuse_ratio)"
    )
    parser.add_argument(
        "--table-only",
        action="store_true",
        help="only table pages as served (TABLE_PATHS: a facet, a search, a sort, a stream): p50/p95 and CPU per page",
    )
    parser.add_argument(
        "--publish-only",
        action="store_true",
        help="only publish ÷ VACUUM INTO (publish_ratio_to_floor), over --rounds rounds; no servers",
    )
    args = parser.parse_args()
    claims = args.claims or (5_000 if args.quick else 100_000)
    coverage_rows = args.coverage or (50_000 if args.quick else 1_000_000)
    total = args.requests or (300 if args.quick else 800)

    workdir = Path(args.keep or tempfile.mkdtemp(prefix="bench-public-"))
    workdir.mkdir(parents=True, exist_ok=True)
    source = workdir / "tracker.db"
    if source.exists():
        source.unlink()
    print(f"Generating {claims:,} published claims and {coverage_rows:,} coverage rows in {workdir} ...", flush=True)
    start = time.perf_counter()
    counts = generate(source, claims, coverage_rows)
    print(f"  generated in {time.perf_counter() - start:.1f} s: {counts}", flush=True)
    print(f"  working database: {source.stat().st_size / 1e6:,.0f} MB", flush=True)

    publish_rounds = 1 if args.table_only else max(1, args.rounds if args.publish_only else min(args.rounds, 3))
    ours_s, floor_s, summary, rounds = time_publish(source, workdir, publish_rounds)
    public_db = Path(summary["path"])
    print(
        f"Publish: {ours_s:.2f} s (median of {publish_rounds}); VACUUM INTO floor {floor_s:.2f} s; "
        f"ratio {ours_s / floor_s:.2f}; public.db {public_db.stat().st_size / 1e6:,.0f} MB, "
        f"{summary['claims']:,} claims, {summary['events']:,} events",
        flush=True,
    )
    republished = {} if args.table_only else time_republish(source, workdir, public_db, publish_rounds)
    if republished:
        print(
            f"Publish again into that file: {republished['republish_s']:.2f} s (median of {publish_rounds}); floor "
            f"{republished['republish_floor_s']:.2f} s; ratio {republished['republish_ratio']:.2f}",
            flush=True,
        )
    if args.publish_only:
        result = {
            "claims": claims,
            "coverage": coverage_rows,
            "events": summary["events"],
            "rounds": publish_rounds,
            "cpus": os.cpu_count(),
            "load_average": [round(x, 2) for x in os.getloadavg()],
            "publish_s": round(ours_s, 3),
            "publish_floor_s": round(floor_s, 3),
            "publish_ratio_to_floor": round(ours_s / floor_s, 2),
            "publish_cpu_ratio_to_floor": round(
                statistics.median(r["publish_cpu_s"] / r["floor_cpu_s"] for r in rounds), 2
            ),
            "publish_rounds": rounds,
            **republished,
        }
        remove_workdir(workdir, args.keep)
        print(json.dumps(result))
        return

    if args.table_only:
        result = {
            "claims": claims,
            "coverage": coverage_rows,
            "clients": args.clients,
            "requests_per_measurement": total,
            "rounds": args.rounds,
            "cpus": os.cpu_count(),
            "load_average_before": [round(x, 2) for x in os.getloadavg()],
            **table_pages(public_db, total, args.clients, args.rounds),
            "load_average": [round(x, 2) for x in os.getloadavg()],
        }
        remove_workdir(workdir, args.keep)
        print(json.dumps(result))
        return

    ours_port, stock_port, bare_port = free_port(), free_port(), free_port()
    ours = start_server(
        [sys.executable, "-m", "datasette", *datasette_serve_args(str(public_db), "127.0.0.1", ours_port)], ours_port
    )
    # The same site with the page cache off: what rendering the timeline costs per request.
    uncached = start_server(
        [sys.executable, "-m", "datasette", *datasette_serve_args(str(public_db), "127.0.0.1", bare_port)],
        bare_port,
        env={"TRACKER_PAGE_CACHE_SECONDS": "0"},
    )
    stock = start_server(
        [
            sys.executable,
            "-m",
            "datasette",
            "serve",
            str(public_db),
            "-h",
            "127.0.0.1",
            "-p",
            str(stock_port),
            "--setting",
            "suggest_facets",
            "off",
        ],
        stock_port,
    )
    ours_base, stock_base = f"http://127.0.0.1:{ours_port}", f"http://127.0.0.1:{stock_port}"
    uncached_base = f"http://127.0.0.1:{bare_port}"
    try:
        # Same rows: the 50 newest events. Check both answer before timing anything.
        for base, path in (
            (ours_base, "/public/timeline"),
            (uncached_base, "/public/timeline"),
            (stock_base, "/public/events?_sort_desc=date&_size=50"),
        ):
            response = httpx.get(base + path, timeout=60)
            assert response.status_code == 200, (path, response.status_code)
        timeline, floor, unclear, mixed, rendered = [], [], [], [], []
        claim_ids = [1 + (i * 7907) % claims for i in range(50)]
        mixed_paths = [
            "/public/timeline",
            "/",
            "/public/unclear",
            "/public/timeline?status=unclear",
            *[f"/public/claims/{c}" for c in claim_ids[:6]],
            "/public/timeline.json?_shape=array",
            "/public/claims.json?_shape=array&status=confirmed",
        ]
        for r in range(0 if args.abuse_only else args.rounds):
            floor.append(measure(stock_base, ["/public/events?_sort_desc=date&_size=50"], total, args.clients))
            timeline.append(measure(ours_base, ["/public/timeline"], total, args.clients))
            rendered.append(measure(uncached_base, ["/public/timeline"], total, args.clients))
            unclear.append(measure(ours_base, ["/public/unclear.json?_shape=array"], total, args.clients))
            mixed.append(measure(ours_base, mixed_paths, total, args.clients))
            print(
                f"  round {r + 1}: timeline p95 {timeline[-1]['p95']:.0f} ms ({timeline[-1]['rps']:.0f}/s), "
                f"uncached p95 {rendered[-1]['p95']:.0f} ms ({rendered[-1]['rps']:.0f}/s), "
                f"floor p95 {floor[-1]['p95']:.0f} ms ({floor[-1]['rps']:.0f}/s), "
                f"unclear p95 {unclear[-1]['p95']:.0f} ms, mixed {mixed[-1]['rps']:.0f}/s",
                flush=True,
            )
        # Readers alone, then the same readers while clients send expensive SQL: reader pages and canned
        # queries must not wait behind it (it has threads of its own, tracker/public/plugins/query_limits.py).
        reader_paths = [
            "/public/claims.json?_size=1",
            "/public/unclear.json?_shape=array",
            *[f"/public/claims/{c}" for c in claim_ids[:4]],
            "/public/events.json?_size=5",
        ]
        alone, abused, abuse_answers = [], [], {}
        reader_clients = 4
        for r in range(args.rounds):
            alone.append(measure(uncached_base, reader_paths, total, reader_clients))
            readers, answered = asyncio.run(
                under_abuse(uncached_base, reader_paths, total, reader_clients, args.abusers)
            )
            abused.append(readers)
            for status, n in answered.items():
                abuse_answers[status] = abuse_answers.get(status, 0) + n
            print(
                f"  round {r + 1}: readers alone p95 {alone[-1]['p95']:.0f} ms, with {args.abusers} clients sending "
                f"expensive SQL p95 {abused[-1]['p95']:.0f} ms; their answers so far {abuse_answers}",
                flush=True,
            )
        # The same readers while clients ask for story pages the cache does not keep: each draws its charts,
        # on threads of their own (tracker/public/plugins/story_charts.py), not in the loop the readers wait on.
        stories = tuple(f"/stories/bench-story-{s}" for s in range(1, STORIES + 1))
        drawn = []
        for r in range(0 if args.abuse_only else args.rounds):
            readers, answered = asyncio.run(under_abuse(uncached_base, reader_paths, total, reader_clients, 2, stories))
            drawn.append(readers)
            print(
                f"  round {r + 1}: readers while 2 clients draw story pages p95 {drawn[-1]['p95']:.0f} ms "
                f"(story pages {answered})",
                flush=True,
            )
        failed = [
            f for m in timeline + rendered + floor + unclear + mixed + alone + abused + drawn for f in m["failures"]
        ]
        if failed:
            print(f"  failed requests: {failed[:10]}", flush=True)
        server_rss = rss_mb(ours.pid)
        stock_rss = rss_mb(stock.pid)
    finally:
        stop(ours)
        stop(uncached)
        stop(stock)

    result = {
        "claims": claims,
        "coverage": coverage_rows,
        "events": summary["events"],
        "clients": args.clients,
        "requests_per_measurement": total,
        "rounds": args.rounds,
        "cpus": os.cpu_count(),
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "publish_s": round(ours_s, 3),
        "publish_floor_s": round(floor_s, 3),
        "publish_ratio_to_floor": round(ours_s / floor_s, 2),
        **{key: value for key, value in republished.items() if key != "republish_rounds"},
    }
    if not args.abuse_only:
        result |= timeline_figures(timeline, floor, rendered, unclear, mixed)
        result |= {
            "reader_while_drawing_p95_ms": round(median_of(drawn, "p95"), 1),
            "drawing_ratio": round(median_of(drawn, "p95") / median_of(alone, "p95"), 2),
        }
    result |= {
        "server_rss_mb": round(server_rss, 1),
        "stock_rss_mb": round(stock_rss, 1),
        "reader_alone_p95_ms": round(median_of(alone, "p95"), 1),
        "reader_under_abuse_p95_ms": round(median_of(abused, "p95"), 1),
        "abuse_ratio": round(median_of(abused, "p95") / median_of(alone, "p95"), 2),
        "abusers": args.abusers,
        "abuse_answers": {str(k): v for k, v in sorted(abuse_answers.items())},
        "failed_requests": len(failed),
    }
    remove_workdir(workdir, args.keep)
    print(json.dumps(result))


# Table pages as a reader or a script asks for them, each past a different check of request_guard.py: a filter,
# a sort and a facet; a search; a page of JSON; a streamed CSV sorted by its key (two parts at --quick).
TABLE_PATHS = (
    "/public/claims?status=confirmed&_sort=first_reported_at&_facet=claimant_type",
    "/public/claims.json?_search=Northwind&_size=10",
    "/public/events.json?_sort_desc=date&_size=10",
    "/public/coverage?kind=statement&_facet=outlet",
    "/public/claims.csv?_stream=on&_sort=id&status=denied",
)


def process_cpu_s(pid: int) -> float:
    """CPU time (user and system) a process has used so far."""
    stat = Path(f"/proc/{pid}/stat").read_text()
    fields = stat[stat.rindex(")") + 2 :].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def table_pages(public_db: Path, total: int, clients: int, rounds: int) -> dict:
    """TABLE_PATHS from one `datasette` process configured as `serve` runs it: latency under `clients` closed-loop
    clients, and the server's CPU time per page (less sensitive than latency to what else the machine runs)."""
    port = free_port()
    server = start_server(
        [sys.executable, "-m", "datasette", *datasette_serve_args(str(public_db), "127.0.0.1", port)], port
    )
    base = f"http://127.0.0.1:{port}"
    runs = []
    try:
        for path in TABLE_PATHS:
            response = httpx.get(base + path, timeout=60)
            assert response.status_code == 200, (path, response.status_code, response.text[:300])
        for r in range(rounds):
            asyncio.run(load(base, list(TABLE_PATHS), max(clients * 2, total // 10), clients))  # warm up
            before = process_cpu_s(server.pid)
            run = asyncio.run(load(base, list(TABLE_PATHS), total, clients))
            run["cpu_ms"] = (process_cpu_s(server.pid) - before) * 1000 / total
            runs.append(run)
            print(
                f"  round {r + 1}: table pages p50 {run['p50']:.0f} ms, p95 {run['p95']:.0f} ms, "
                f"{run['rps']:.0f}/s, server CPU {run['cpu_ms']:.2f} ms a page",
                flush=True,
            )
    finally:
        stop(server)
    return {
        "table_p50_ms": round(median_of(runs, "p50"), 1),
        "table_p95_ms": round(median_of(runs, "p95"), 1),
        "table_rps": round(median_of(runs, "rps"), 1),
        "table_cpu_ms_per_page": round(median_of(runs, "cpu_ms"), 2),
        "table_failed_requests": sum(len(run["failures"]) for run in runs),
    }


def remove_workdir(workdir: Path, keep: str | None) -> None:
    if not keep:
        for path in sorted(workdir.rglob("*"), reverse=True):
            path.rmdir() if path.is_dir() else path.unlink()
        workdir.rmdir()


if __name__ == "__main__":
    main()
