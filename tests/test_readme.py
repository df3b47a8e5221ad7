"""The README's module map is the newcomer's map: it names every module there is, and none that is gone."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _module_map() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return text[text.index("## Modules") : text.index("## Command line")]


def _modules() -> dict[str, Path]:
    """Every module and package directly under tracker/ and scrapers/, as the map writes them: name.py, name/."""
    found = {}
    for top in ("tracker", "scrapers"):
        for path in (ROOT / top).iterdir():
            if path.name.startswith("_"):
                continue
            if path.suffix == ".py":
                found[path.name] = path
            elif path.is_dir() and (path / "__init__.py").exists():
                found[f"{path.name}/"] = path
    return found


def test_the_module_map_names_every_module_under_tracker_and_scrapers():
    listed = set(re.findall(r"\b([a-z_]+(?:\.py|/))", _module_map()))
    missing = sorted(f"{path.parent.name}/{name}" for name, path in _modules().items() if name not in listed)
    assert not missing, f"README.md's module map does not name {missing}"


def test_every_python_file_the_module_map_names_exists():
    listed = set(re.findall(r"\b([a-z_]+\.py)\b", _module_map()))
    known = set(_modules()) | {"app.py"}
    gone = sorted(listed - known)
    assert not gone, f"README.md's module map names {gone}, which no longer exist"
