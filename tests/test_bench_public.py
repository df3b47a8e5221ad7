"""The public-site benchmark's publish figures, on a working file small enough for a test."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent.parent / "bench" / "public.py"


def test_publish_only_measures_a_first_publish_and_a_publish_into_the_file_in_place(tmp_path):
    """A site's first publish renames a new file into place; every later one copies its pages into the file readers
    have open and merges them: the last line gives each its own ratio to the same floor."""
    run = subprocess.run(
        [sys.executable, str(BENCH), "--publish-only", "--rounds", "2", "--claims", "200", "--coverage", "2000"],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=tmp_path,
        check=True,
    )
    figures = json.loads(run.stdout.strip().splitlines()[-1])
    assert figures["publish_ratio_to_floor"] > 0 and figures["republish_ratio"] > 0, figures
    assert len(figures["publish_rounds"]) == len(figures["republish_rounds"]) == 2, figures
    assert all(r["publish_s"] > 0 and r["floor_s"] > 0 for r in figures["republish_rounds"]), figures
