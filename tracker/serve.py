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

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from tracker.config import Settings
from tracker.db import TrackerError

THREADS_PER_WORKER = 2


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
) -> None:
    """Serve the editor on editor_port and Datasette on public_port; publish first if needed.

    The editor's workers get these settings in their environment (their
    create_app reads it, and instance/config.py still applies in each); this
    process's own environment is left as it was.
    """
    from tracker.editor import create_app
    from tracker.public import datasette_serve_args

    public_db = settings.public_db
    if not Path(public_db).exists():
        from tracker.db import connect
        from tracker.publish import publish

        publish(connect(settings.db, create=False), public_db)
        echo(f"Built {public_db} (no public database yet).")

    create_app(settings=settings)  # migrations, the secret key and config errors, once, before any worker starts
    public_args = [sys.executable, "-m", "datasette", *datasette_serve_args(public_db, host, public_port)]
    listener = _listen(host, editor_port)
    workers = workers or default_workers()
    editor = subprocess.Popen(
        editor_command(f"fd://{listener.fileno()}", workers),
        pass_fds=[listener.fileno()],
        env={**os.environ, **settings.editor_env()},
    )
    listener.close()  # gunicorn holds it now
    datasette = subprocess.Popen(public_args)
    # The alert sender (tracker/alerts/sender.py) beside them: what the editor and a `watch` store goes out.
    alerts = subprocess.Popen(
        [sys.executable, "-m", "tracker", "alerts", "run", "--db", settings.db],
        env={**os.environ, **settings.editor_env()},
    )
    children = {"The editor": editor, "The public site": datasette, "The alert sender": alerts}
    echo(f"Editor:      http://{host}:{editor_port}  ({workers} workers × {THREADS_PER_WORKER} threads)")
    echo(f"Public site: http://{host}:{public_port}  (timeline: http://{host}:{public_port}/public/timeline)")
    echo("Alerts:      sent as they happen (Account → Alerts in the editor)")
    echo("Press Ctrl-C to stop them.")
    # A `kill` (SIGTERM) stops both servers the same way Ctrl-C does.
    signal.signal(signal.SIGTERM, _raise_interrupt)
    try:
        while True:
            for name, child in children.items():
                if child.poll() is not None:
                    raise TrackerError(
                        f"{name} stopped (exit code {child.returncode}); see its messages above, "
                        "then run `make run` again."
                    )
            time.sleep(0.5)
    except KeyboardInterrupt:
        echo("Stopping.")
    finally:
        for child in children.values():
            if child.poll() is None:
                child.terminate()
        for child in children.values():
            try:
                child.wait(timeout=15)
            except subprocess.TimeoutExpired:
                child.kill()


def _listen(host: str, port: int) -> socket.socket:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        family, _, _, _, address = infos[0]
        listener = socket.socket(family, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(address)
        listener.listen(128)
    except OSError as e:
        raise TrackerError(f"Cannot listen on {host}:{port} ({e.strerror}); set EDITOR_PORT to a free port.") from None
    listener.set_inheritable(True)
    return listener


def _raise_interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt
