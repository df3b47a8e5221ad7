"""The editor under load: claims list, search, claim page and status change at 100,000 claims.

Builds a fictional story (100,000 claims, 300,000 evidence rows, written with
plain SQL in seconds), starts the production server (gunicorn, two worker
processes per core with 2 threads each, the command `python -m tracker serve`
runs: tracker/serve.py) as a subprocess with TRACKER_BENCH_FLOOR=1,
and drives it with 8 concurrent clients on loopback. Each measurement sits
beside its floor, measured in the same run against the same server: a bare
route that returns the same rows as JSON with no template, session, login or
CSRF (tracker/editor/bench_floor.py). Rounds alternate page and floor; the
figures are medians over rounds.

    .venv/bin/python bench/editor.py            # 100,000 claims
    .venv/bin/python bench/editor.py --quick    # 5,000 claims, fewer requests

The last line printed is one JSON object.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from tracker import migrations  # noqa: E402
from tracker.db import connect  # noqa: E402
from tracker.editor.bench_floor import KEY_HEADER, floor_key  # noqa: E402
from tracker.serve import THREADS_PER_WORKER, default_workers, editor_command  # noqa: E402
from tracker.users import add_user  # noqa: E402
from tracker.vocab import CLAIMANT_TYPES  # noqa: E402

ORGS = [
    "Northwind Logistics",
    "Contoso Energy",
    "Fabrikam Health",
    "Tailspin Air",
    "Woodgrove Bank",
    "Litware Systems",
    "Adatum Foods",
    "Proseware Media",
    "Lamna Mining",
    "Trey Research",
    "Coho Vineyard",
    "Wingtip Toys",
]
PEOPLE = ["Ana Ruiz", "Tomas Berg", "Lena Okafor", "Priya Nair", "Marc Dubois", "Yuki Sato", "Ola Nilsen", "Sam Reyes"]
VERBS = ["said", "denied", "confirmed", "claimed", "warned", "insisted", "admitted", "suggested", "told reporters"]
OBJECTS = [
    "the recall would cost more than expected",
    "the pilots were never told about the fault",
    "the board approved the merger in secret",
    "quarterly losses were hidden from auditors",
    "the warehouse fire started in the loading bay",
    "regulators opened an inquiry last month",
    "the contract was signed before the tender closed",
    "staff were asked to delete internal messages",
    "the vaccine trial missed its enrolment target",
    "the factory will close by the end of the year",
    "customer data was exposed for three weeks",
    "the chief executive knew about the complaints",
    "the harbour expansion was approved without review",
    "emissions figures were revised twice",
    "the software update caused the outage",
    "the bank froze accounts without warning",
]
EXTRA = [
    "according to documents seen by reporters",
    "in an internal memo",
    "during a hearing on Tuesday",
    "in a statement to the press",
    "at a shareholder meeting",
    "on condition of anonymity",
    "citing two former employees",
    "in a filing with the regulator",
]
OUTLETS = ["Daily Example", "Harbour Times", "Metro Wire", "Northern Ledger", "Civic Post", "Valley Tribune"]
STATUSES = ["unreviewed", "unreviewed", "confirmed", "denied", "unclear"]
STANCES = ["supports", "supports", "contradicts", "context"]
SLUG = "bench-story"


def sentence(rng: random.Random) -> str:
    who = rng.choice(ORGS + PEOPLE)
    return f"{who} {rng.choice(VERBS)} {rng.choice(OBJECTS)} {rng.choice(EXTRA)} ({rng.randrange(10_000)})."


def make_database(
    path: str | Path,
    *,
    claims: int = 100_000,
    evidence_per_claim: int = 3,
    coverage_items: int = 1_000,
    password: str = "bench-password-1",
    seed: int = 5,
) -> dict:
    """Create and fill a working database at path; returns the ids and names the benchmark needs."""
    rng = random.Random(seed)
    db = connect(path)
    migrations.apply(db)
    editor = add_user(db, "bench-editor", password, "editor")
    reporter = add_user(db, "bench-reporter", password, "reporter")
    conn = db.conn
    stamp = "2026-01-01T00:00:00Z"
    conn.execute("BEGIN")
    story_id = conn.execute(
        "INSERT INTO stories (slug, title, description, keywords_include, created_at) VALUES (?, ?, ?, '', ?)",
        [SLUG, "Benchmark: the harbour inquiry", "A large fictional story for measuring the editor.", stamp],
    ).lastrowid
    # Coverage: one revision each, ~40 sentences of text; quotes are slices of it.
    revisions = []
    for i in range(coverage_items):
        day = 1 + i % 28
        cov_id = conn.execute(
            """INSERT INTO coverage (story_id, kind, canonical_url, outlet, title, published_at, first_seen_at)
               VALUES (?, ?, ?, ?, ?, ?, ?)""",
            [
                story_id,
                "statement" if i % 25 == 0 else "article",
                f"https://news{i % 7}.example/story/{i}",
                OUTLETS[i % len(OUTLETS)],
                f"Inquiry update {i}: {rng.choice(OBJECTS)}",
                f"2026-02-{day:02d}T08:00:00Z",
                stamp,
            ],
        ).lastrowid
        text = "\n".join(sentence(rng) for _ in range(40))
        rev_id = conn.execute(
            "INSERT INTO revisions (coverage_id, fetched_at, content_hash, text) VALUES (?, ?, ?, ?)",
            [cov_id, stamp, f"hash-{i}", text],
        ).lastrowid
        revisions.append((rev_id, text, f"2026-02-{day:02d}T08:00:00Z"))

    def claim_rows():
        for n in range(claims):
            day = 1 + n % 28
            status = rng.choice(STATUSES)
            yield (
                story_id,
                sentence(rng),
                rng.choice(ORGS + PEOPLE),
                rng.choice(CLAIMANT_TYPES),
                status,
                None if status == "unreviewed" else f"2026-03-{day:02d}T10:00:00Z",
                1 if status == "unreviewed" else 2,
                int(status != "unreviewed" and n % 3 == 0),
                f"2026-02-{day:02d}T{n % 24:02d}:{n % 60:02d}:00Z",
                "Confidential: a contact in the harbour office" if n % 10 == 0 else "",
                reporter["id"],
                stamp,
                stamp,
            )

    conn.executemany(
        """INSERT INTO claims (story_id, text, claimant, claimant_type, status, status_changed_at, version,
               published, first_reported_at, source_identity, created_by, created_at, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
        claim_rows(),
    )
    first_claim = conn.execute("SELECT min(id) FROM claims WHERE story_id = ?", [story_id]).fetchone()[0]

    def evidence_rows():
        for claim_id in range(first_claim, first_claim + claims):
            for k in range(evidence_per_claim):
                rev_id, text, _ = revisions[(claim_id * 7 + k * 131) % len(revisions)]
                start = (claim_id * 13 + k * 57) % (len(text) - 120)
                quote = text[start : start + 60 + k * 10]
                yield (claim_id, rev_id, quote, start, start + len(quote), STANCES[k % len(STANCES)], reporter["id"])

    conn.executemany(
        """INSERT INTO evidence (claim_id, revision_id, quote, start, "end", stance, added_by, added_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, '2026-02-01T00:00:00Z')""",
        evidence_rows(),
    )
    conn.execute(
        """INSERT INTO status_history (claim_id, from_status, to_status, rationale, editor_id, at)
           SELECT id, 'unreviewed', status, 'Benchmark ruling citing the evidence.', ?, status_changed_at
           FROM claims WHERE status != 'unreviewed'""",
        [editor["id"]],
    )
    conn.execute("COMMIT")
    conn.execute("ANALYZE")
    unreviewed = conn.execute(
        """SELECT c.id, min(e.id) FROM claims c JOIN evidence e ON e.claim_id = c.id
           WHERE c.story_id = ? AND c.status = 'unreviewed' GROUP BY c.id ORDER BY c.id""",
        [story_id],
    ).fetchall()
    counts = {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("claims", "evidence", "coverage")}
    db.close()
    return {"slug": SLUG, "story_id": story_id, "unreviewed": unreviewed, "password": password, **counts}


SEARCH_TERMS = ["harbour", "recall", "Northwind", "pilots fault", "auditors", "anonymity", "Coho", "outage", "tender"]


SECRET_KEY = "bench-secret-" + "0" * 32  # the server's, so the floor routes' key can be given (bench_floor.py)


class Client:
    """One signed-in reporter or editor on a keep-alive connection, like a browser tab."""

    def __init__(self, port: int, username: str, password: str):
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.cookies: dict[str, str] = {}
        page = self.request("GET", "/login")[1]
        status, _ = self.request(
            "POST", "/login", {"username": username, "password": password, "csrf_token": _csrf(page)}
        )
        if status != 302:
            raise RuntimeError(f"login as {username} failed with {status}")
        self.csrf = _csrf(self.request("GET", "/account")[1])

    def request(self, method: str, path: str, form: dict | None = None, session: bool = True) -> tuple[int, str]:
        headers = {KEY_HEADER: floor_key(SECRET_KEY)} if path.startswith("/_bench/") else {}
        if session and self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            self.conn.request(method, path, body=body, headers=headers)
            response = self.conn.getresponse()
        except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
            # The server closed the idle keep-alive connection (gunicorn's keepalive is 2 s; a loaded
            # machine can leave a client idle that long): open a new one and send again, as a browser does.
            self.conn.close()
            self.conn.request(method, path, body=body, headers=headers)
            response = self.conn.getresponse()
        data = response.read().decode("utf-8", "replace")
        if method == "GET" or path == "/login":
            # A browser follows a ruling's redirect to the claim page, which shows and so clears the
            # flashed "Claim marked …" message; this client does not follow it, so it keeps the cookie
            # it had, or the unshown messages would pile up in every later request's session cookie.
            for header in response.msg.get_all("Set-Cookie") or []:
                name, _, rest = header.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response.status, data


def _csrf(html: str) -> str:
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
    if not match:
        raise RuntimeError("no CSRF token on the page")
    return match.group(1)


def run(clients: list[Client], jobs: list, expect: tuple[int, ...]) -> tuple[list[float], int]:
    """Run jobs (method, path, form, session) over the clients concurrently; return latencies (ms) and failures."""
    queue = list(reversed(jobs))
    lock = threading.Lock()
    latencies: list[float] = []
    failures = [0]

    def worker(client: Client) -> None:
        while True:
            with lock:
                if not queue:
                    return
                method, path, form, session = queue.pop()
            started = time.perf_counter()
            status, _ = client.request(method, path, form, session=session)
            elapsed = (time.perf_counter() - started) * 1000
            with lock:
                latencies.append(elapsed)
                if status not in expect:
                    failures[0] += 1

    threads = [threading.Thread(target=worker, args=(c,)) for c in clients]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return latencies, failures[0]


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="5,000 claims and fewer requests")
    parser.add_argument("--claims", type=int, help="number of claims (default 100,000; 5,000 with --quick)")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument(
        "--workers", type=int, default=default_workers(), help="editor worker processes (default: as `serve` runs it)"
    )
    parser.add_argument(
        "--threads", type=int, default=THREADS_PER_WORKER, help="threads per worker (default: as `serve`)"
    )
    parser.add_argument("--requests", type=int, help="requests per measurement (default 400; 120 with --quick)")
    parser.add_argument("--rounds", type=int, help="page/floor rounds, medians reported (default 5; 2 with --quick)")
    args = parser.parse_args()
    n_claims = args.claims or (5_000 if args.quick else 100_000)
    n_requests = args.requests or (120 if args.quick else 400)
    rounds = args.rounds or (2 if args.quick else 5)
    tmp = Path(tempfile.mkdtemp(prefix="bench-editor-"))
    started = time.perf_counter()
    data = make_database(tmp / "tracker.db", claims=n_claims, coverage_items=max(50, n_claims // 100))
    print(
        f"built {data['claims']:,} claims, {data['evidence']:,} evidence rows, {data['coverage']:,} coverage items "
        f"in {time.perf_counter() - started:.1f} s",
        flush=True,
    )
    port = free_port()
    env = {
        **os.environ,
        "TRACKER_DB": str(tmp / "tracker.db"),
        "TRACKER_PUBLIC_DB": str(tmp / "public.db"),
        "TRACKER_SECRET_KEY": SECRET_KEY,
        "TRACKER_BENCH_FLOOR": "1",
        "PYTHONPATH": str(REPO),
    }
    server = subprocess.Popen(
        editor_command(f"127.0.0.1:{port}", args.workers, args.threads),
        env=env,
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(300):
            try:
                http.client.HTTPConnection("127.0.0.1", port, timeout=1).request("GET", "/login")
                break
            except OSError:
                time.sleep(0.1)
        results = measure(port, data, args.clients, n_requests, rounds)
    finally:
        server.terminate()
        server.wait(timeout=30)
    report(results, data, args.clients, n_requests, rounds, args.workers, args.threads)


def measure(port: int, data: dict, n_clients: int, n_requests: int, rounds: int) -> dict:
    rng = random.Random(7)
    slug = data["slug"]
    editors = [Client(port, "bench-editor", data["password"]) for _ in range(n_clients)]
    unreviewed = list(data["unreviewed"])
    rng.shuffle(unreviewed)
    first = int(re.search(r"/claims/(\d+)", editors[0].request("GET", f"/stories/{slug}?sort=oldest")[1]).group(1))
    claim_ids = list(range(first, first + data["claims"]))

    def jobs(kind: str, floor: bool) -> tuple[list, tuple[int, ...]]:
        if kind == "list":
            path = f"/_bench/stories/{slug}/claims" if floor else f"/stories/{slug}"
            return [("GET", path, None, not floor)] * n_requests, (200,)
        if kind == "search":
            base = f"/_bench/stories/{slug}/claims" if floor else f"/stories/{slug}"
            return [
                ("GET", f"{base}?{urllib.parse.urlencode({'q': SEARCH_TERMS[i % len(SEARCH_TERMS)]})}", None, not floor)
                for i in range(n_requests)
            ], (200,)
        if kind == "claim":
            picks = [rng.choice(claim_ids) for _ in range(n_requests)]
            return [("GET", f"/_bench/claims/{c}" if floor else f"/claims/{c}", None, not floor) for c in picks], (200,)
        batch = [unreviewed.pop() for _ in range(min(n_requests, len(unreviewed)))]
        form = {"status": "unclear", "rationale": "Benchmark ruling: one source only.", "version": "1"}
        if floor:
            return [
                (
                    "POST",
                    f"/_bench/claims/{c}/status",
                    {**form, "evidence_ids": str(e), "editor": "bench-editor"},
                    False,
                )
                for c, e in batch
            ], (200,)
        return [
            ("POST", f"/claims/{c}/status", {**form, "evidence_ids": str(e), "csrf_token": editors[0].csrf}, True)
            for c, e in batch
        ], (302,)

    # Each client posts with its own session's CSRF token.
    results: dict = {}
    for kind in ("list", "search", "claim", "status"):
        for r in range(rounds):
            for floor in (False, True):
                work, expect = jobs(kind, floor)
                if kind == "status" and not floor:
                    work = [
                        (m, p, {**f, "csrf_token": editors[i % n_clients].csrf}, s)
                        for i, (m, p, f, s) in enumerate(work)
                    ]
                    latencies, failures = run_pinned(editors, work, expect)
                else:
                    latencies, failures = run(editors, work, expect)
                key = (kind, "floor" if floor else "page")
                results.setdefault(key, []).append(
                    {"p50": pct(latencies, 0.5), "p95": pct(latencies, 0.95), "n": len(latencies), "failures": failures}
                )
                print(
                    f"{kind:<6} {'floor' if floor else 'page':<5} round {r + 1}: p50 {pct(latencies, 0.5):7.1f} ms  "
                    f"p95 {pct(latencies, 0.95):7.1f} ms  ({len(latencies)} requests, {failures} unexpected)",
                    flush=True,
                )
    return results


def run_pinned(clients: list[Client], jobs: list, expect: tuple[int, ...]) -> tuple[list[float], int]:
    """Like run(), but job i goes to client i % n: a CSRF token only works with its own session."""
    lists = [jobs[i :: len(clients)] for i in range(len(clients))]
    latencies: list[float] = []
    failures = [0]
    lock = threading.Lock()

    def worker(client: Client, mine: list) -> None:
        for method, path, form, session in mine:
            started = time.perf_counter()
            status, _ = client.request(method, path, form, session=session)
            elapsed = (time.perf_counter() - started) * 1000
            with lock:
                latencies.append(elapsed)
                failures[0] += status not in expect

    threads = [threading.Thread(target=worker, args=(c, m)) for c, m in zip(clients, lists)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return latencies, failures[0]


def report(results: dict, data: dict, n_clients: int, n_requests: int, rounds: int, workers: int, threads: int) -> None:
    figures: dict = {}
    ratios = []
    print()
    print(f"{'':<8}{'p50 ms':>10}{'p95 ms':>10}{'floor p50':>11}{'floor p95':>11}{'p95 ratio':>11}")
    for kind in ("list", "search", "claim", "status"):
        page, floor = results[(kind, "page")], results[(kind, "floor")]
        p50 = statistics.median(r["p50"] for r in page)
        p95 = statistics.median(r["p95"] for r in page)
        f50 = statistics.median(r["p50"] for r in floor)
        f95 = statistics.median(r["p95"] for r in floor)
        ratio = p95 / f95 if f95 else None
        ratios.append(ratio)
        print(f"{kind:<8}{p50:>10.1f}{p95:>10.1f}{f50:>11.1f}{f95:>11.1f}{ratio:>11.2f}")
        figures.update(
            {
                f"{kind}_p50_ms": round(p50, 1),
                f"{kind}_p95_ms": round(p95, 1),
                f"{kind}_floor_p50_ms": round(f50, 1),
                f"{kind}_floor_p95_ms": round(f95, 1),
                f"{kind}_ratio_to_floor": round(ratio, 2),
                f"{kind}_unexpected_responses": sum(r["failures"] for r in page + floor),
            }
        )
    figures.update(
        {
            "ratio_to_floor": round(max(ratios), 2),
            "claims": data["claims"],
            "evidence": data["evidence"],
            "clients": n_clients,
            "requests_per_measurement": n_requests,
            "rounds": rounds,
            "cpu_count": os.cpu_count(),
            "server": f"gunicorn, {workers} workers x {threads} threads",
        }
    )
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
