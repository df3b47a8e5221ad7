"""How Datasette serves the public file, described once.

`datasette_serve_args` (used by `python -m tracker serve`) and `make_datasette`
(used by the tests) are built from the same pieces, so what the tests check is
what readers get. This module imports Datasette, never the editor.
"""

from __future__ import annotations

from pathlib import Path

from datasette.app import DEFAULT_SETTINGS, Datasette
from datasette.utils import parse_metadata

from tracker.config import METADATA_PATH, PUBLIC_DIR
from tracker.db import TrackerError

# Datasette names a database after its file; metadata.yml describes `public`.
DATABASE_NAME = "public"
TEMPLATE_DIR = PUBLIC_DIR / "templates"
PLUGINS_DIR = PUBLIC_DIR / "plugins"
STATIC_DIR = PUBLIC_DIR / "static"
STATIC_MOUNT = "assets"
# The data is public and read-only: let other sites (embeds, notebooks) fetch the JSON.
CORS = True


def load_metadata(path: str | Path = METADATA_PATH) -> dict:
    """metadata.yml parsed the way `datasette serve -m` parses it."""
    return parse_metadata(Path(path).read_text(encoding="utf-8"))


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


def datasette_serve_args(public_db: str, host: str, port: int) -> list[str]:
    """The arguments after `datasette` that serve public_db as the public site."""
    path = _public_path(public_db)
    args = [
        "serve",
        str(path),
        "-m",
        str(METADATA_PATH),
        "--template-dir",
        str(TEMPLATE_DIR),
        "--plugins-dir",
        str(PLUGINS_DIR),
        "--static",
        f"{STATIC_MOUNT}:{STATIC_DIR}",
    ]
    if CORS:
        args.append("--cors")
    for name, value in settings().items():
        args += ["--setting", name, _setting_text(value)]
    return [*args, "-h", host, "-p", str(port)]


def make_datasette(public_db: str) -> Datasette:
    """An in-process Datasette configured exactly as `datasette_serve_args` configures the server."""
    path = _public_path(public_db)
    metadata = load_metadata()
    return Datasette(
        [str(path)],
        metadata=metadata,
        template_dir=str(TEMPLATE_DIR),
        plugins_dir=str(PLUGINS_DIR),
        static_mounts=[(STATIC_MOUNT, str(STATIC_DIR))],
        settings=settings(metadata),
        cors=CORS,
    )


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
