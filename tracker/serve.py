"""Run the editor and the public site side by side until Ctrl-C.

The editor runs under waitress (a production WSGI server) in this process;
Datasette runs as a child process on the public file, so a crash in one is
reported rather than taking the other down silently.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from tracker.db import TrackerError


def serve_both(
    db_path: str,
    public_db: str,
    host: str,
    editor_port: int,
    public_port: int,
    echo: Callable[[str], None] = print,
) -> None:
    """Serve the editor on editor_port and Datasette on public_port; publish first if needed."""
    from waitress import create_server

    from tracker.editor import create_app
    from tracker.public import datasette_serve_args

    if not Path(public_db).exists():
        from tracker.db import connect
        from tracker.publish import publish

        publish(connect(db_path, create=False), public_db)
        echo(f"Built {public_db} (no public database yet).")

    # Through the environment, not test_config, so instance/config.py still applies.
    os.environ["TRACKER_DB"] = db_path
    os.environ["TRACKER_PUBLIC_DB"] = public_db
    app = create_app()
    try:
        server = create_server(app, host=host, port=editor_port, threads=8, ident="newsroom-tracker")
    except OSError as e:
        raise TrackerError(
            f"Cannot listen on {host}:{editor_port} ({e.strerror}); set EDITOR_PORT to a free port."
        ) from None
    datasette = subprocess.Popen(
        [sys.executable, "-m", "datasette", *datasette_serve_args(public_db, host, public_port)],
    )
    echo(f"Editor:      http://{host}:{editor_port}")
    echo(f"Public site: http://{host}:{public_port}  (timeline: http://{host}:{public_port}/public/timeline)")
    echo("Press Ctrl-C to stop both.")
    # A `kill` (SIGTERM) stops both servers the same way Ctrl-C does.
    signal.signal(signal.SIGTERM, _raise_interrupt)
    try:
        server.run()
    except KeyboardInterrupt:
        echo("Stopping.")
    finally:
        server.close()
        datasette.terminate()
        try:
            datasette.wait(timeout=10)
        except subprocess.TimeoutExpired:
            datasette.kill()


def _raise_interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt
