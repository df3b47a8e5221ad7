"""Run the editor and the public site side by side until Ctrl-C.

The editor runs under gunicorn (a production WSGI server) in several worker
processes, each with a few threads: Python runs one thread at a time per
process, so on a machine with more than one core a single process would leave
the others idle while eight reporters wait in line. Datasette runs as another
child process on the public file. This process applies migrations and makes
the secret key once, binds the editor's port itself (so a busy port is a
clear message, not a worker crash loop), hands the socket to gunicorn, and
stops both children together; a crash in one is reported rather than taking
the other down silently.

What the workers share lives in the database: sessions are signed cookies,
the login rate limit's counters are a table (tracker/editor/login_limits.py),
and writers queue on a file lock across processes (tracker/db.py).
"""

from __future__ import annotations

import ctypes
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

from tracker.config import Settings
from tracker.db import TrackerError

THREADS_PER_WORKER = 2
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")


def is_loopback(host: str) -> bool:
    return host in LOOPBACK_HOSTS or host.startswith("127.")


# uvicorn's setting for whose X-Forwarded-For to believe: nobody's (see public_site_env); deploy/ uses it too.
DISTRUST_FORWARDED_FOR = {"FORWARDED_ALLOW_IPS": ""}
# What the public site's process takes from this one's environment besides its settings: what a Python process
# needs to find its interpreter, packages, temporary files, locale and clock.
PROCESS_VARIABLES = (
    "PATH", "HOME", "TMPDIR", "TZ", "LANG", "LANGUAGE", "LC_ALL", "LC_CTYPE", "LC_MESSAGES", "LC_NUMERIC", "LC_TIME",
    "LC_COLLATE", "PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "SYSTEMROOT",
)  # fmt: skip


def public_site_process_env(public_env: dict[str, str]) -> dict[str, str]:
    """The public site's whole environment: its settings and the process basics, nothing else.

    Datasette runs visitors' SQL and renders their requests; inheriting this
    process's environment gave it the editor's session-signing key
    (TRACKER_SECRET_KEY), the key sealing alert destinations
    (TRACKER_ALERTS_KEY) and whatever else the shell held, for any fault of it
    or its plugins to show.
    """
    basics = {name: os.environ[name] for name in PROCESS_VARIABLES if name in os.environ}
    return {**basics, **public_env}


def public_site_env(host: str, port: int, settings: Settings) -> dict[str, str]:
    """The public site's share of the settings: where it lives (TRACKER_PUBLIC_URL), which links are built from.

    Served on loopback only the machine itself can reach it, so its own
    address is the site's; served on any other address, readers reach it by
    a name this process cannot know, and a link built from the Host a
    request names would let anyone put their host into our feeds and caches.
    So TRACKER_PUBLIC_URL (or TRACKER_PUBLIC_HOSTS) is required there.

    Who a request comes from is the site's plugins' to decide (query_limits.py,
    with TRACKER_PROXIES): uvicorn, under Datasette, otherwise believes
    X-Forwarded-For from any loopback connection, and a client behind a local
    proxy that passes the header on (or any local process) wrote a new address
    into each request and had a fresh rate each time.
    """
    env = {
        "TRACKER_PUBLIC_HOSTS": ",".join(settings.public_hosts),
        "TRACKER_HTTPS": "1" if settings.https else "",
        # metadata.yml reads these two as well; the site's process gets no other environment to find them in.
        "TRACKER_PAGE_CACHE_SECONDS": str(settings.page_cache_seconds),
        "TRACKER_PROXIES": str(settings.trusted_proxies),
        **DISTRUST_FORWARDED_FOR,
    }
    url = settings.public_url
    if url:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname or parts.path not in ("", "/"):
            raise TrackerError(
                f"TRACKER_PUBLIC_URL={url!r} is not a site address: give scheme and host only, "
                "e.g. https://tracker.example.org"
            )
        return {**env, "TRACKER_PUBLIC_URL": url}
    if is_loopback(host):
        name = f"[{host}]" if ":" in host else host
        return {**env, "TRACKER_PUBLIC_URL": f"http://{name}:{port}"}
    if settings.public_hosts:
        return env
    raise TrackerError(
        f"Serving the public site on {host} needs its public address: set TRACKER_PUBLIC_URL "
        "(e.g. https://tracker.example.org), so feeds and ClaimReview links never name the Host a request claims."
    )


def default_workers() -> int:
    """Two workers per core, at most eight: each runs Python on one core at a time, and a second
    per core is ready while the first waits on SQLite or the network (bench/editor.py: 4 × 2
    threads answered faster at the 95th percentile than 2 × 4 or 8 × 1 on two cores)."""
    return max(2, min(8, 2 * (os.cpu_count() or 1)))


def editor_command(bind: str, workers: int, threads: int = THREADS_PER_WORKER) -> list[str]:
    """The gunicorn command line that serves the editor; bench/editor.py measures this same one.

    bind is "HOST:PORT" or "fd://N". Each worker's create_app reads its
    settings from the environment the process is started with
    (Settings.editor_env), like `flask --app app run`.
    """
    return [
        sys.executable,
        "-m",
        "gunicorn",
        f"--bind={bind}",
        "--worker-class=gthread",
        f"--workers={workers}",
        f"--threads={threads}",
        # A publish or an evidence URL fetched while the reporter waits can take a while;
        # gthread workers keep answering the arbiter meanwhile, so this is only a hung worker's limit.
        "--timeout=120",
        "--graceful-timeout=10",
        # Whose X-Forwarded-Proto (and forwarded path) to believe: nobody's. gunicorn believes loopback's by
        # default, so with no proxy in front any local client could claim HTTPS (a Secure cookie, https links);
        # TRACKER_PROXIES, which says proxies are in front, is the one place that believes them (create_app).
        "--forwarded-allow-ips=",
        "--log-level=warning",
        "--error-logfile=-",
        "--name=newsroom-tracker-editor",
        "tracker.editor:create_app()",
    ]


def serve_both(
    settings: Settings,
    host: str,
    editor_port: int,
    public_port: int,
    workers: int | None = None,
    echo: Callable[[str], None] = print,
    demo_port: int | None = None,
) -> None:
    """Serve the editor on editor_port and Datasette on public_port; publish first if needed.

    The editor's workers get these settings in their environment (their
    create_app reads it, and instance/config.py still applies in each); this
    process's own environment is left as it was.

    demo_port: also play the live demo (tracker/livedemo/) with its fictional
    sites on 127.0.0.1:demo_port, and run `watch` on its story. Its sites'
    names reach that server, and only it, through the settings' demo hosts
    (TRACKER_DEMO_HOSTS in the children's environment: the watch loop, and
    the editor, which shows the demo's Next stage control and can fetch
    evidence from those sites).
    """
    from tracker.db import connect, readable_by_others, refuse_special_file, writable
    from tracker.editor import create_app
    from tracker.public import DATABASE_NAME, datasette_serve_args
    from tracker.publish import recover, serving_snapshot
    from tracker.publish_log import publish_and_log, refuse_unlogged

    if settings.bench_floor:
        raise TrackerError(
            "TRACKER_BENCH_FLOOR is set: it adds unauthenticated routes for bench/editor.py only. "
            "Unset it before serving."
        )
    public_env = public_site_env(host, public_port, settings)
    if not settings.editor_address:
        # Alert links lead to the port the editor is served on here, not the default one. Served beyond
        # loopback, readers of an alert reach it by a name only the newsroom knows: TRACKER_EDITOR_URL.
        name = host if is_loopback(host) and ":" not in host else "127.0.0.1"
        settings = settings.replace(editor_address=f"http://{name}:{editor_port}")
        # Served beyond loopback, these links reach this machine only: the alert sender started below says so
        # (sender.unfollowable_links), once, as it does from cron or `watch`; no sender, no alert to follow.
    # Links to the public site (a publish's alert, the editor's) lead to the port it is served on here, not the
    # default one, unless the newsroom named its address (TRACKER_PUBLIC_URL).
    settings = settings.replace(public_port=public_port)
    public_db = settings.public_db
    if Path(public_db).stem != DATABASE_NAME:  # said before a first publish builds a file it could not serve
        raise TrackerError(
            f"The public database must be a file named {DATABASE_NAME}.db (Datasette names the database after "
            f"the file, and metadata.yml describes {DATABASE_NAME!r}); got {Path(public_db).name}."
        )
    refuse_special_file(public_db)  # opened to be checked, a named pipe was waited on for ever
    # A read-only working database (tracker.db.opens_read_only) is browsed and searched in the editor, which
    # refuses every change; only what writes to it (the alert sender, a first publish, settling the log) waits.
    editing = writable(settings.db)
    if editor_port == public_port:
        raise TrackerError(
            f"The editor and the public site cannot share port {public_port}: give them two different ports."
        )
    # Datasette binds its port in a child process, after the editor has started: a taken one is said here.
    address = host_address(host, public_port)  # once: the editor binds it, Datasette is given it
    listen(host, public_port, "--public-port or PUBLIC_PORT", address=address).close()
    if note := readable_by_others(settings.db):  # on every start, whether or not it gets further
        echo(note)
    # The editor's port is bound below, after the first public file is built: a taken one is said first.
    listen(host, editor_port, address=address).close()
    if demo_port:
        # So is the live demo's: whatever holds it would answer the check that its sites are up, and `watch`
        # would poll that program for the fictional sites' pages.
        if demo_port in (editor_port, public_port):
            raise TrackerError(
                f"The live demo cannot share port {demo_port} with the editor or the public site: give it another "
                "(--demo-port or DEMO_PORT)."
            )
        listen("127.0.0.1", demo_port, "--demo-port or DEMO_PORT").close()
    if not Path(public_db).exists():
        if not editing:
            refuse_unlogged(
                settings.db,
                public_db,
                outcome=f"the public file {public_db} cannot be built from it and nothing was served",
                then="start serve again",
            )
        # Logged as every publish to the file readers see is: the Publish page's history starts with it, and the
        # file says which publish it is (its user_version), so a later start has nothing to settle.
        publish_and_log(connect(settings.db, create=False), public_db, option="--public-db")
        echo(f"Built {public_db} (no public database yet).")
    # On read-only media the public file cannot change: served immutable, it needs no -shm beside it.
    fixed = not writable(public_db)
    if fixed:
        _refuse_unmerged_publish(public_db)
    elif recover(public_db):
        echo(f"Rolled back an interrupted publish's journal beside {public_db}.")
    _check_public_file(public_db)

    demo_slug = None
    if demo_port:
        settings, demo_slug = _prepare_live_demo(settings, demo_port)
    public_args = [
        sys.executable,
        "-m",
        "datasette",
        *datasette_serve_args(public_db, address, public_port, immutable=fixed),
    ]
    children = {}
    # A `kill` (SIGTERM) stops every server the same way Ctrl-C does, from the first one started: set once all
    # had started, a kill in between ended serve at once and left those running holding their ports.
    stopper = _Stopper()
    signal.signal(signal.SIGTERM, stopper)
    try:
        # Migrations (a read-only database: the check that it needs none), the secret key and config errors,
        # once, before any worker starts.
        create_app(settings=settings)
        if editing and not fixed:
            _settle_publish_log(settings.db, public_db, echo)
            refresh_outdated_public_file(settings.db, public_db, echo)
        listener = listen(host, editor_port, address=address)
        workers = workers or default_workers()
        with stopper.held():
            children["The editor"] = _child(
                editor_command(f"fd://{listener.fileno()}", workers),
                pass_fds=[listener.fileno()],
                env={**os.environ, **settings.editor_env()},
            )
        listener.close()  # gunicorn holds it now
        if editing:
            # The alert sender (tracker/alerts/sender.py) beside them: what the editor and a `watch` store goes out.
            with stopper.held():
                children["The alert sender"] = _child(
                    [sys.executable, "-m", "tracker", "alerts", "run", "--db", settings.db],
                    env={**os.environ, **settings.editor_env()},
                )
        several = "workers" if workers != 1 else "worker"
        echo(f"Editor:      http://{host}:{editor_port}  ({workers} {several} × {THREADS_PER_WORKER} threads)")
        if not editing:
            echo(f"{settings.db} is read-only: the editor browses and searches it, and refuses every change.")
        if fixed:
            # Held by the Datasette process: while it runs, a publish into the file (made writable since) is refused.
            snapshot = serving_snapshot(public_db)
            try:
                with stopper.held():
                    children["The public site"] = _child(
                        public_args, env=public_site_process_env(public_env), pass_fds=(snapshot,)
                    )
            finally:
                os.close(snapshot)
        else:
            with stopper.held():
                children["The public site"] = _child(public_args, env=public_site_process_env(public_env))
        if fixed:
            echo(f"{public_db} is read-only: served as an unchanging snapshot.")
        echo(f"Public site: http://{host}:{public_port}  (timeline: http://{host}:{public_port}/public/timeline)")
        if editing:  # no alert sender runs on a read-only database: nothing new can be stored to send
            echo("Alerts:      sent as they happen (Account → Alert settings in the editor)")
        # The live demo's processes: the editor and the public site do without them, so one that stops (the
        # watch ends on a full disk) is said once and the rest keep running (the editor keeps what is typed).
        extras: set[str] = set()
        ended: set[str] = set()
        if demo_slug:
            with stopper.held():
                demo_children = _start_live_demo(settings, demo_port, demo_slug)
                children.update(demo_children)
            extras.update(demo_children)
            echo(
                f"Live demo:   http://{host}:{editor_port}/stories/{demo_slug}/dashboard (fictional sites: "
                f"http://127.0.0.1:{demo_port}); `make run DEMO_LIVE=0` leaves it out."
            )
        echo("Press Ctrl-C to stop them all.")
    except KeyboardInterrupt:
        # Ctrl-C (or a kill) while the servers were still starting: those started are stopped, and that is all
        # there is to say; nothing a reporter typed can be in flight yet.
        _stop(children)
        raise TrackerError("Stopped while starting: every server already started was stopped.") from None
    except BaseException:
        _stop(children)
        raise
    try:
        while True:
            for name, child in children.items():
                if name in ended or child.poll() is None:
                    continue
                if name not in extras:
                    raise TrackerError(
                        f"{name} stopped (exit code {child.returncode}); see its messages above, "
                        "then run `make run` again."
                    )
                ended.add(name)
                echo(
                    f"{name} stopped (exit code {child.returncode}); see its messages above. The editor and the "
                    "public site keep running; run `make run` again to restart it."
                )
            time.sleep(0.5)
    except KeyboardInterrupt:
        echo("Stopping.")
    finally:
        _stop(children)


def _check_public_file(public_db: str) -> None:
    """Refuse a public file Datasette cannot open, or one holding tables never published, in one line.

    Datasette meets it in its own process, once the editor is up, and ends
    with a traceback hundreds of lines long. `publish` will not replace a
    file that is not a database (it may be someone's), so the admin moves it.
    And the working database under the public file's name (a symlink to it,
    or a copy) would have been served whole, every account and internal note
    with it: a table outside the allow-list stops it here.
    """
    from sqlite_utils.migrations import Migrations

    from tracker.db import read_only_uri
    from tracker.public_tables import expected_tables

    try:
        conn = sqlite3.connect(read_only_uri(public_db), uri=True)
        try:
            tables = [
                name
                for (name,) in conn.execute(
                    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
                )
            ]
        finally:
            conn.close()
    except sqlite3.DatabaseError as e:
        raise TrackerError(
            f"{public_db} is not a public database the site can serve ({e}). Move it out of the way and start "
            "serve again: it builds a new one."
        ) from None
    private = [name for name in tables if name not in expected_tables()]
    if private:
        more = f" and {len(private) - 3} more" if len(private) > 3 else ""
        what = (
            "it is a working database (a symlink to one, or a copy), with every account, internal note and "
            "unpublished claim"
            if Migrations.migrations_table in private
            else f"it holds tables that are never published ({', '.join(private[:3])}{more})"
        )
        raise TrackerError(
            f"{public_db} is not a public database: {what}. Move it out of the way and start serve again: "
            "it builds a new one."
        )


def _refuse_unmerged_publish(public_db: str) -> None:
    """Refuse to serve a read-only public file as a snapshot when its -wal holds a publish readers saw.

    A publish killed after its commit, before its checkpoint, leaves the new
    pages in the -wal until the next publish merges them. Datasette's -i
    (what read-only media is served with) reads the file alone: the site
    would go back to what readers saw before that publish, a withdrawn claim
    with it. The file's schema cookie tells the two apart (every publish's
    swap moves it on); a -wal whose pages are all merged changes nothing.
    """
    from tracker.db import has_wal_content, read_only_uri

    if not has_wal_content(public_db):
        return
    cookies = []
    for immutable in (True, False):
        try:
            conn = sqlite3.connect(read_only_uri(public_db, immutable=immutable), uri=True)
            try:
                cookies.append(conn.execute("PRAGMA schema_version").fetchone()[0])
            finally:
                conn.close()
        except sqlite3.Error:
            return  # _check_public_file says why it cannot be read
    if cookies[0] != cookies[1]:
        name = Path(public_db).name
        raise TrackerError(
            f"{public_db} is read-only and the last publish readers saw is still in {name}-wal, not merged into "
            f"it: served as an unchanging snapshot the site would show what it showed before. Make its folder "
            "writable and start serve again (the next publish merges it)."
        )


def _settle_publish_log(db_path: str, public_db: str, echo: Callable[[str], None]) -> None:
    """Log a publish readers see that was killed before it was logged (tracker.publish_log says how)."""
    from tracker.db import connect, stopping_error
    from tracker.publish_log import settle_interrupted

    db = connect(db_path, create=False)
    try:
        if settle_interrupted(db, public_db):
            echo(f"Logged the publish of {public_db} that was interrupted before its log was written.")
    except sqlite3.Error as e:  # a full disk, say: the sites still serve, and the next publish settles it
        echo(f"The publish log was left to the next publish: {stopping_error(e, db_path) or e}")
    finally:
        db.close()


def refresh_outdated_public_file(db_path: str, public_db: str, echo: Callable[[str], None]) -> None:
    """Rebuild a public file an earlier version built (a table or column this version's pages read is missing).

    `make run` refreshes it before serving (`publish --refresh-only`); `serve` started on its own after an
    upgrade served it as it was, and every reader page that reads the missing column was a 500. Rebuilt
    only when readers would see no other change: with changes waiting, the rebuild would publish them, so
    it is said instead, with what ends it (an editor's publish).
    """
    from tracker.db import connect, read_only_uri, stopping_error
    from tracker.public_tables import expected_tables
    from tracker.publish_log import publish_and_log
    from tracker.publish_review import review

    conn = sqlite3.connect(read_only_uri(public_db), uri=True)
    try:
        held = {
            name: {row[1] for row in conn.execute("SELECT * FROM pragma_table_info(?)", [name])}
            for name in expected_tables()
        }
    finally:
        conn.close()
    missing = [
        f"{table}.{column}" if held[table] else table
        for table, columns in expected_tables().items()
        if columns is not None
        for column in (columns if held[table] else columns[:1])
        if column not in held[table]
    ]
    if not missing:
        return
    db = connect(db_path, create=False)
    try:
        pending = review(db, public_db, option=None)
        if pending.changes:
            echo(
                f"{public_db} was built by an earlier version of the tracker (it has no {missing[0]}): reader pages "
                f"fail until an editor publishes the {len(pending.changes)} change(s) waiting (the editor's Publish "
                "page, or `python -m tracker publish --yes`)."
            )
            return
        try:
            publish_and_log(db, public_db, reviewed=pending.digest, option=None)
        except sqlite3.Error as e:
            # The build and the swap say their own failures as TrackerError: this is the log's write after the
            # swap (a full disk, say), so the file was rebuilt; the sites still start, the next publish logs it.
            echo(
                f"Rebuilt {public_db} for this version of the tracker (it had no {missing[0]}); readers see no "
                f"change, but the publish log could not be written: {stopping_error(e, db_path) or e}"
            )
            return
    except sqlite3.Error as e:  # reading for the review: the sites still start
        echo(f"{public_db} was built by an earlier version and was not rebuilt: {stopping_error(e, db_path) or e}")
        return
    finally:
        db.close()
    echo(f"Rebuilt {public_db} for this version of the tracker (it had no {missing[0]}); readers see no change.")


def _child(args: list[str], **options) -> subprocess.Popen:
    """Start one of serve's servers, to be stopped (SIGTERM) when serve ends, however it ends.

    Ctrl-C and a `kill` reach _stop, which stops each in turn. `kill -9` on
    serve, or the kernel's out-of-memory killer choosing it, runs no code of
    serve's: the editor, Datasette and the alert sender ran on without it,
    holding both ports, so the next `serve` could not start, and nothing
    would ever stop them. Linux sends each the signal its parent's death
    asks for (PR_SET_PDEATHSIG); each stops on SIGTERM as it does for _stop.
    """
    return subprocess.Popen(args, preexec_fn=_stop_with_parent(), **options)


PR_SET_PDEATHSIG = 1


def _stop_with_parent() -> Callable[[], None] | None:
    """A preexec_fn asking for SIGTERM when this process dies (Linux's prctl); None where there is none."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        prctl = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None
    parent = os.getpid()

    def stop_with_parent() -> None:
        prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
        if os.getppid() != parent:  # serve died before the request was made: nothing will send the signal
            os.kill(os.getpid(), signal.SIGTERM)

    return stop_with_parent


def _stop(children: dict[str, subprocess.Popen]) -> None:
    for child in children.values():
        if child.poll() is None:
            child.terminate()
    for child in children.values():
        try:
            child.wait(timeout=15)
        except subprocess.TimeoutExpired:
            child.kill()


def _prepare_live_demo(settings: Settings, demo_port: int) -> tuple[Settings, str]:
    """The live demo's story and sources in the database; the settings with its sites mapped to its server."""
    from tracker import config
    from tracker.db import connect
    from tracker.livedemo import runner
    from tracker.livedemo.world import load_world

    world = load_world()
    db = connect(settings.db, create=False)
    try:
        runner.setup(db, world)
    finally:
        db.close()
    hosts = config.demo_hosts(runner.host_map_setting(world, demo_port))
    return settings.replace(demo_hosts=hosts), world.story.slug


def _start_live_demo(settings: Settings, port: int, slug: str) -> dict[str, subprocess.Popen]:
    """The demo's sites and desk, then (once its port answers) `watch` on its story, printing only what changed."""
    tracker = [sys.executable, "-m", "tracker"]
    env = {**os.environ, **settings.editor_env()}
    demo = _child([*tracker, "demo-live", "--port", str(port)], env=env)
    started = {"The live demo": demo}
    deadline = time.monotonic() + 30
    while True:
        if demo.poll() is not None:
            raise TrackerError(f"The live demo stopped (exit code {demo.returncode}); see its message above.")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            if time.monotonic() > deadline:
                _stop(started)
                raise TrackerError(f"The live demo did not answer on 127.0.0.1:{port} within 30 s.") from None
            time.sleep(0.2)
    # serve's own alert sender sends what the demo's passes store
    started["The watch loop"] = _child([*tracker, "watch", slug, "--quiet", "--no-alerts"], env=env)
    return started


def host_address(host: str, port: int) -> str:
    """The address `host` names, to bind and to hand to a child server; one line when it names none.

    A host given by name is looked up as every name is, within the project's
    one bound (scrapers/http/guard.py, LOOKUP_TIMEOUT): unbounded, a name
    server that never answered held start-up for as long as it kept silent.
    Looked up once: a child given the name looked it up again, unbounded.
    """
    from scrapers.http import guard

    try:
        # Any address: serve binds where it is told (loopback, private), the guard only looks the name up.
        return guard.AddressGuard(True, frozenset()).resolve(host, port)[0]
    except guard.LookupTimeout as e:
        raise TrackerError(
            f"Cannot listen on {host}:{port}: {e} ({guard.LOOKUP_TIMEOUT:g} s); give --host an IP address "
            "(127.0.0.1, or one of this machine's), or put the name in /etc/hosts."
        ) from None
    except guard.UnresolvableHost as e:
        raise TrackerError(
            f"Cannot listen on {host}:{port}: {e}; give --host an IP address (127.0.0.1, or one of this machine's) "
            "or a name this machine resolves."
        ) from None


def listen(
    host: str, port: int, setting: str = "--editor-port or EDITOR_PORT", *, address: str | None = None
) -> socket.socket:
    """The port bound and listening on `host` (at `address`, when looked up already: host_address); taken, one
    line naming `setting`, the option or variable that moves it."""
    address = address or host_address(host, port)
    try:
        infos = socket.getaddrinfo(address, port, type=socket.SOCK_STREAM)  # an address: no name server asked
        family, _, _, _, address = infos[0]
        listener = socket.socket(family, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(address)
        listener.listen(128)
    except OSError as e:
        raise TrackerError(
            f"Cannot listen on {host}:{port} ({e.strerror}); choose a free port with {setting}."
        ) from None
    listener.set_inheritable(True)
    return listener


class _Stopper:
    """SIGTERM as Ctrl-C, held off while a child is being started and recorded.

    Raised inside Popen (its wait for the child's exec), the interrupt left a
    started child unrecorded, so nothing stopped it: the kill is kept and
    raised once the child is in the list that is stopped.
    """

    def __init__(self) -> None:
        self.holding = False
        self.requested = False

    def __call__(self, signum: int, frame: object) -> None:
        if not self.holding:
            raise KeyboardInterrupt
        self.requested = True

    @contextmanager
    def held(self) -> Iterator[None]:
        self.holding = True
        try:
            yield
        finally:
            self.holding = False
        if self.requested:
            raise KeyboardInterrupt
