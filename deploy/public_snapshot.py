"""Serve or deploy the public site from a published snapshot of the public database.

A snapshot is a copy of data/public.db that never changes again, plus the
`datasette inspect` counts of its tables. Datasette serves such a file
immutable (`-i`): no locking, no counting rows on every page, content-hashed
cache headers. That is what a story that goes viral needs, and it is what
`datasette publish` deploys: many replicas of the same file behind the
platform's load balancer. (The live `python -m tracker serve` keeps serving
data/public.db mutable, because `publish` rewrites it in place.)

    python deploy/public_snapshot.py snapshot [--public-db data/public.db] [--out deploy/build]
    python deploy/public_snapshot.py serve [--snapshot deploy/build] [--port 8001]
    python deploy/public_snapshot.py cloudrun --service NAME --public-url URL [--dry-run]
    python deploy/public_snapshot.py fly --app NAME --public-url URL [--dry-run]

`cloudrun` needs the gcloud CLI, logged in; `fly` needs flyctl, logged in, and
`pip install datasette-publish-fly`. Both print the command they run;
--dry-run prints it without running it. Publishing again replaces the
deployed snapshot: run `publish`, then `snapshot`, then the deploy command.
"""

from __future__ import annotations

import argparse
import os
import shlex
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import click

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from scrapers.timestamps import utc_now  # noqa: E402
from tracker.cli.common import output_error  # noqa: E402
from tracker.config import Settings  # noqa: E402
from tracker.db import (  # noqa: E402
    DiskFull,
    FileSizeLimit,
    TrackerError,
    file_too_large,
    past_file_size_limit,
    storage_error,
)
from tracker.public import (  # noqa: E402
    CONFIG_NAME,
    SNAPSHOT_CACHE_TTL,
    datasette_serve_args,
    inspect_counts,
    setting_args,
    site_options,
)
from tracker.publish import check_public_file  # noqa: E402
from tracker.serve import DISTRUST_FORWARDED_FOR, host_address  # noqa: E402

DEFAULT_OUT = ROOT / "deploy" / "build"
INSPECT_FILE = "inspect-data.json"
# Where a snapshot is made, inside its folder (one disk: moved into place by renames), until it is complete.
STAGING = ".snapshot-in-progress"
# What the deployed container installs next to Datasette: the versions this repository is tested with.
INSTALL = ("datasette==0.65.5", "datasette-atom==0.9")
PLATFORMS = ("cloudrun", "fly")


def snapshot(public_db: str | Path, out_dir: str | Path = DEFAULT_OUT) -> Path:
    """Copy the public database to out_dir/public.db (consistently, even mid-publish) with its inspect counts.

    All or nothing: the copy and its counts are made in a folder beside them (STAGING) and moved into place
    only when both are complete, so a disk that fills at either step leaves the last snapshot and its counts
    as they were (an immutable server given the counts of another file shows wrong figures).
    """
    source = Path(public_db)
    if not source.is_file():
        raise TrackerError(f"No public database at {source}: run `python -m tracker publish` first.")
    out = Path(out_dir)
    stage = out / STAGING
    staged = stage / "public.db"
    try:
        try:
            out.mkdir(parents=True, exist_ok=True)
            shutil.rmtree(stage, ignore_errors=True)  # left by a snapshot that was killed
            stage.mkdir()
            src = sqlite3.connect(f"file:{source.absolute()}?mode=ro", uri=True)
            try:
                dst = sqlite3.connect(staged)
                try:
                    src.backup(dst)
                    # The served file is in WAL mode and the copy takes its header: a snapshot is served immutable,
                    # and an immutable reader ignores a WAL, so it must be one self-contained file.
                    dst.execute("PRAGMA journal_mode = DELETE")
                finally:
                    dst.close()
            finally:
                src.close()
        except (sqlite3.Error, OSError) as e:
            # A copy as large as the file size limit: SQLite has emptied the copy by now, the source's size tells
            # (as for a backup: tracker.db).
            problem = file_too_large(staged) if past_file_size_limit(source) else storage_error(e, staged)
            if problem is None:
                raise
            raise _no_room(out, problem, source) from None
        check_public_file(staged)
        try:
            inspect_counts(staged, stage / INSPECT_FILE, served_as=out / "public.db")
        except OSError as e:
            problem = storage_error(e, stage / INSPECT_FILE)
            if problem is None:
                raise
            raise _no_room(out, problem, source, counts=True) from None
        # Both complete: moved in (renames on one disk, which need no room), the file first, then its counts.
        staged.replace(out / "public.db")
        (stage / INSPECT_FILE).replace(out / INSPECT_FILE)
    finally:
        shutil.rmtree(stage, ignore_errors=True)
    return out


def _no_room(out: Path, problem: TrackerError, source: Path, *, counts: bool = False) -> TrackerError:
    """A write the disk under `out` refused, said of the snapshot's folder: what is kept there, and what to do.

    `counts`: the copy fitted, its inspect counts did not."""
    kept = "the snapshot already there is kept" if (out / "public.db").is_file() else "nothing was written there"
    size = f"{source.stat().st_size / 1e6:.1f} MB"
    what = (
        f"the snapshot's inspect counts ({INSPECT_FILE}) beside its copy of the public database ({size})"
        if counts
        else f"the snapshot's copy of the public database ({size})"
    )
    if isinstance(problem, FileSizeLimit):
        return FileSizeLimit(
            f"File size limit: {what} is larger than this process may write in {out} (`ulimit -f` or a quota); "
            f"{kept}. Raise the limit (`ulimit -f unlimited`), then run snapshot again."
        )
    if isinstance(problem, DiskFull):
        return DiskFull(
            f"Disk full: no room in {out} for {what}; {kept}. Free some space on that disk, or give --out a folder "
            "on another, then run snapshot again."
        )
    return problem


def serve_command(snapshot_dir: str | Path, host: str = "127.0.0.1", port: int = 8001) -> list[str]:
    """`datasette serve -i public.db --inspect-file ...` with the site's metadata, templates and plugins.

    A host given by name is looked up here, once, within the project's one bound (as `python -m tracker serve`
    does: tracker.serve.host_address), and Datasette given the address: given the name, it looked it up again
    with no bound, and a silent name server held the site's start for as long as it liked.
    """
    folder = Path(snapshot_dir)
    address = host_address(host, port)
    return [
        sys.executable,
        "-m",
        "datasette",
        *datasette_serve_args(
            str(folder / "public.db"), address, port, immutable=True, inspect_file=folder / INSPECT_FILE
        ),
    ]


def serve_env(environ: dict[str, str] | None = None) -> dict[str, str]:
    """The environment a served snapshot runs in: the project importable from wherever it is started.

    The story page's chart plugin draws with tracker/charts/ (the editor's drawing code); with the
    project off Python's path it shows only the charts' data links, so a snapshot served from another
    directory lost its drawings.
    """
    env = dict(os.environ if environ is None else environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, (str(ROOT), env.get("PYTHONPATH"))))
    env.update(DISTRUST_FORWARDED_FOR)  # who a request comes from is the plugins' to decide, as under `serve`
    return env


def publish_command(
    platform: str,
    snapshot_dir: str | Path,
    name: str,
    *,
    public_url: str | None = None,
    max_instances: int = 20,
    min_instances: int = 1,
    memory: str = "1Gi",
    region: str | None = None,
) -> list[str]:
    """The `datasette publish cloudrun|fly` command that deploys the snapshot as the public site.

    `datasette publish` itself serves the files with `-i` and runs `datasette
    inspect` while building the image; the settings from metadata.yml go in as
    --extra-options, and --plugin-secret sets the site's public address.
    """
    if platform not in PLATFORMS:
        raise TrackerError(f"Unknown platform {platform!r}; choose one of: {', '.join(PLATFORMS)}.")
    if not name or not name.replace("-", "").isalnum() or name.startswith("-"):
        raise TrackerError(f"{name!r} is not a valid service name: use letters, digits and hyphens.")
    db = Path(snapshot_dir) / "public.db"
    if not db.is_file():
        raise TrackerError(f"No snapshot at {db}: run `python deploy/public_snapshot.py snapshot` first.")
    command = [
        "datasette",
        "publish",
        platform,
        str(db),
        *site_options(),
        "--extra-options",
        " ".join(setting_args(default_cache_ttl=SNAPSHOT_CACHE_TTL)),
        "--version-note",
        f"snapshot {utc_now()}",
    ]
    for package in INSTALL:
        command += ["--install", package]
    # A deployed site answers to whatever Host a request names; its links must name the site itself.
    if not public_url:
        raise TrackerError("--public-url is required: feeds and ClaimReview links are built from it.")
    if not public_url.startswith(("https://", "http://")):
        raise TrackerError(f"--public-url must be an http(s) address, got {public_url!r}.")
    command += ["--plugin-secret", CONFIG_NAME, "public_url", public_url.rstrip("/")]
    if platform == "cloudrun":
        command += [
            "--service",
            name,
            "--max-instances",
            str(max_instances),
            "--min-instances",
            str(min_instances),
            "--memory",
            memory,
        ]
    else:
        command += ["--app", name]
        if region:
            command += ["--region", region]
    return command


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    snap = sub.add_parser("snapshot", help="copy the public database and write its inspect counts")
    snap.add_argument(
        "--public-db",
        default=Settings.from_env().public_db,
        help="the published file to copy (default: $TRACKER_PUBLIC_DB or data/public.db)",
    )
    snap.add_argument("--out", default=str(DEFAULT_OUT), help="folder for the snapshot (default: deploy/build/)")
    serve = sub.add_parser("serve", help="serve a snapshot immutable, as a deployment would")
    serve.add_argument("--snapshot", default=str(DEFAULT_OUT), help="the snapshot's folder (default: deploy/build/)")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    serve.add_argument("--port", type=int, default=8001, help="port to listen on (default: 8001)")
    for platform, flag in (("cloudrun", "--service"), ("fly", "--app")):
        deploy = sub.add_parser(platform, help=f"deploy a snapshot with `datasette publish {platform}`")
        deploy.add_argument(flag, dest="name", required=True, help="its name on the platform")
        deploy.add_argument(
            "--snapshot", default=str(DEFAULT_OUT), help="the snapshot's folder (default: deploy/build/)"
        )
        deploy.add_argument("--public-url", required=True, help="the site's address, which every link is built from")
        deploy.add_argument("--max-instances", type=int, default=20, help="most copies running at once (default: 20)")
        deploy.add_argument("--region", help="where to run it (default: the platform's)")
        deploy.add_argument("--dry-run", action="store_true", help="print the command, do not run it")
    args = parser.parse_args(argv)
    try:
        if args.command == "snapshot":
            out = snapshot(args.public_db, args.out)
            click.echo(f"Snapshot in {out}: public.db and {INSPECT_FILE}.")
            return 0
        if args.command == "serve":
            command = serve_command(args.snapshot, args.host, args.port)
        else:
            command = publish_command(
                args.command,
                args.snapshot,
                args.name,
                public_url=args.public_url,
                max_instances=args.max_instances,
                region=args.region,
            )
        click.echo(" ".join(shlex.quote(part) for part in command))  # flushed: the command's own output follows
        if getattr(args, "dry_run", False):
            return 0
        if args.command == "serve":
            os.execve(command[0], command, serve_env())  # become the server: Ctrl-C and kill reach Datasette
        return subprocess.call(command)
    except TrackerError as e:
        click.echo(f"Error: {e}", err=True)
        return 1
    except OSError as e:  # printed through click.echo, the command line's one output path, so that it can be named
        problem = output_error(e)
        if problem is None:
            raise
        click.echo(f"Error: {problem}", err=True)
        return 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
