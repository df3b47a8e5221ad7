"""How Datasette serves the public file, described once.

`datasette_serve_args` (used by `python -m tracker serve`) and `make_datasette`
(used by the tests) are built from the same pieces, so what the tests check is
what readers get. This module imports Datasette, never the editor.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from datasette.app import DEFAULT_SETTINGS, Datasette

from tracker.config import METADATA_PATH, PUBLIC_DIR
from tracker.db import TrackerError
from tracker.public_metadata import CONFIG_NAME, load_metadata

# Datasette names a database after its file; metadata.yml describes `public`.
DATABASE_NAME = "public"
TEMPLATE_DIR = PUBLIC_DIR / "templates"
PLUGINS_DIR = PUBLIC_DIR / "plugins"
STATIC_DIR = PUBLIC_DIR / "static"
STATIC_MOUNT = "assets"
SNAPSHOT_CACHE_TTL = 60
# The data is public and read-only: let other sites (embeds, notebooks) fetch the JSON.
CORS = True
# The attribute of a Datasette holding make_datasette's rate_clock (plugins/query_limits.py reads it by this name).
RATE_CLOCK = "newsroom_rate_clock"


def settings(metadata: dict | None = None) -> dict:
    """The `settings:` block of metadata.yml, checked against what Datasette accepts."""
    block = (load_metadata() if metadata is None else metadata).get("settings") or {}
    for name, value in block.items():
        if name not in DEFAULT_SETTINGS:
            raise TrackerError(f"metadata.yml: unknown Datasette setting {name!r}.")
        if type(value) is not type(DEFAULT_SETTINGS[name]):
            raise TrackerError(
                f"metadata.yml: setting {name!r} should be a {type(DEFAULT_SETTINGS[name]).__name__}, got {value!r}."
            )
    return dict(block)


def site_options() -> list[str]:
    """The options that make a Datasette our public site: metadata, templates, plugins, static files.

    Shared by `datasette serve` here and `datasette publish` in deploy/, so the
    live site and a deployed snapshot cannot drift apart.
    """
    return [
        "--metadata",
        str(METADATA_PATH),
        "--template-dir",
        str(TEMPLATE_DIR),
        "--plugins-dir",
        str(PLUGINS_DIR),
        "--static",
        f"{STATIC_MOUNT}:{STATIC_DIR}",
    ]


def datasette_serve_args(
    public_db: str, host: str, port: int, *, immutable: bool = False, inspect_file: str | Path | None = None
) -> list[str]:
    """The arguments after `datasette` that serve public_db as the public site.

    immutable=True serves a published snapshot with `-i`: Datasette then
    opens it read-only without locking, caches table counts (from
    inspect_file, written by `inspect_counts`, instead of counting on every
    page) and sends far-future cache headers with a content hash. Only for a
    file that never changes in place: `publish` overwrites data/public.db
    page by page, which an immutable reader would not notice.
    """
    path = _public_path(public_db)
    args = [
        "serve",
        *(["-i", str(path)] if immutable else [str(path)]),
        *site_options(),
    ]
    if CORS:
        args.append("--cors")
    if inspect_file is not None:
        if not immutable:
            raise TrackerError("Inspect counts only apply to a database served immutable (-i).")
        args += ["--inspect-file", str(inspect_file)]
    # A snapshot only changes with a new deployment: let browsers and caches keep pages a minute.
    args += setting_args(default_cache_ttl=SNAPSHOT_CACHE_TTL) if immutable else setting_args()
    return [*args, "-h", host, "-p", str(port)]


def setting_args(**overrides: bool | int | str) -> list[str]:
    """metadata.yml's settings (with any overrides) as `--setting NAME VALUE` arguments."""
    args: list[str] = []
    for name, value in {**settings(), **overrides}.items():
        args += ["--setting", name, _setting_text(value)]
    return args


def inspect_counts(public_db: str | Path, inspect_file: str | Path, *, served_as: str | Path | None = None) -> dict:
    """Write `datasette inspect` data (file hash, size, row count of every table) for serving immutable.

    `served_as`: where the file will be served from, when it is inspected elsewhere first (recorded as its `file`).

    Datasette prints the data and it is written here, so a write the disk refuses is an OSError the caller can
    name (tracker.db.storage_error), not the last line of another program's traceback.
    """
    path = _public_path(public_db)
    result = subprocess.run(
        [sys.executable, "-m", "datasette", "inspect", str(path)],
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        raise TrackerError(f"datasette inspect failed: {(result.stderr or result.stdout).strip().splitlines()[-1:]}")
    data = json.loads(result.stdout)
    if served_as is not None:
        for entry in data.values():
            entry["file"] = str(Path(served_as).absolute())
    Path(inspect_file).write_text(json.dumps(data, indent=2), encoding="utf-8")
    return data


def make_datasette(
    public_db: str,
    *,
    immutable: bool = False,
    inspect_data: dict | None = None,
    plugin_config: dict | None = None,
    plugins_dir: str | Path = PLUGINS_DIR,
    rate_clock: Callable[[], float] | None = None,
) -> Datasette:
    """An in-process Datasette configured exactly as `datasette_serve_args` configures the server.

    plugin_config overrides entries of metadata.yml's `plugins: newsroom-tracker:` block (tests use it
    to tighten a limit); plugins_dir replaces the plugins directory (tests use a copy with one more
    plugin, which visitors' SQL workers, separate processes, load from there too); rate_clock is the
    clock of the rates per client address (query_limits.py; default time.monotonic, as the server's):
    tests hold it still, so a bucket they empty is not refilled by a slow machine.
    """
    path = _public_path(public_db)
    metadata = load_metadata()
    if plugin_config:
        plugins = metadata.setdefault("plugins", {})
        plugins[CONFIG_NAME] = {**(plugins.get(CONFIG_NAME) or {}), **plugin_config}
    datasette = Datasette(
        [] if immutable else [str(path)],
        immutables=[str(path)] if immutable else [],
        inspect_data=inspect_data,
        metadata=metadata,
        template_dir=str(TEMPLATE_DIR),
        plugins_dir=str(plugins_dir),
        static_mounts=[(STATIC_MOUNT, str(STATIC_DIR))],
        settings=settings(metadata),
        cors=CORS,
    )
    if rate_clock is not None:
        setattr(datasette, RATE_CLOCK, rate_clock)  # read as the plugin's hooks wrap the app, at datasette.app()
    return datasette


def _public_path(public_db: str | Path) -> Path:
    path = Path(public_db).absolute()
    if path.stem != DATABASE_NAME:
        raise TrackerError(
            f"The public database must be a file named {DATABASE_NAME}.db (metadata.yml describes the "
            f"database {DATABASE_NAME!r} and Datasette names it after the file); got {path.name}."
        )
    if not path.is_file():
        raise TrackerError(f"No public database at {path}: run `python -m tracker publish` first.")
    return path


def _setting_text(value: bool | int | str) -> str:
    if isinstance(value, bool):
        return "on" if value else "off"
    return str(value)
