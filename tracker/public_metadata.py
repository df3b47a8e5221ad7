"""metadata.yml, read once per version of the file, without Datasette.

Apart from tracker/public (which runs Datasette) because publishing reads the
value limit from it: importing Datasette to read one number cost every
publish, the editor's button included, about a second and Datasette's memory.
It is parsed as `datasette serve -m` parses it: JSON, else YAML.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path

import yaml

from tracker.config import METADATA_PATH
from tracker.db import TrackerError

# The `plugins:` entry of metadata.yml that the plugins in tracker/public/plugins read (publisher, public_url).
CONFIG_NAME = "newsroom-tracker"


def load_metadata(path: str | Path | None = None) -> dict:
    """metadata.yml parsed the way `datasette serve -m` parses it, refused in one line when malformed.

    It is the admin's to edit, and publish (the value limit) and serve read
    it: a slip in it was a traceback from both. Parsed once per version of
    the file (its size and modification time): every publish reads it, and
    parsing it took longer than copying a small public file.
    """
    path = Path(path or METADATA_PATH)
    stat = path.stat()
    key = (str(path.absolute()), stat.st_mtime_ns, stat.st_size)
    parsed = _PARSED.get(key)
    if parsed is None:
        parsed = _parse_metadata(path)
        _PARSED.clear()
        _PARSED[key] = parsed
    return copy.deepcopy(parsed)


_PARSED: dict[tuple, dict] = {}


def _parse_metadata(path: Path) -> dict:
    text = path.read_text(encoding="utf-8")
    try:
        metadata = _json_or_yaml(text)
    except yaml.YAMLError:
        raise TrackerError(f"{path} is not valid YAML{_yaml_error_line(text)}: correct it and try again.") from None
    if not isinstance(metadata, dict):
        raise TrackerError(f"{path} must be a mapping (title:, databases:, plugins:, ...); it holds {_kind(metadata)}.")
    plugins = metadata.get("plugins")
    for name, block in [("settings", metadata.get("settings")), ("plugins", plugins)] + (
        [(f"plugins: {CONFIG_NAME}", plugins.get(CONFIG_NAME))] if isinstance(plugins, dict) else []
    ):
        if block is not None and not isinstance(block, dict):
            raise TrackerError(f"{path}: {name} must be a mapping of names to values; it holds {_kind(block)}.")
    return metadata


def _json_or_yaml(text: str) -> object:
    """What datasette.utils.parse_metadata reads: JSON first, then YAML (safe_load)."""
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        return yaml.safe_load(text)


def _yaml_error_line(text: str) -> str:
    try:
        yaml.safe_load(text)
    except yaml.MarkedYAMLError as e:
        if e.problem_mark is not None:
            return f" (line {e.problem_mark.line + 1})"
    except yaml.YAMLError:
        pass
    return ""


def _kind(value: object) -> str:
    kinds = {list: "a list", str: "text", int: "a number", float: "a number", bool: "true or false"}
    return "nothing" if value is None else kinds.get(type(value), "something else")
