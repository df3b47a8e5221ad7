"""Edits that name the version they were based on: a stale one is refused, never applied over another's change.

Claims, questions and expected developments each carry a `version` that
every change increments. A form or an API call sends the version it showed;
check_version compares it with the row as it is now, inside the write
transaction, and StaleEdit carries that current row so the editor can show
it beside what was typed (409 in the API).
"""

from __future__ import annotations

from tracker.db import TrackerError


class StaleEdit(TrackerError):
    """Someone else changed the claim, question or development after this person loaded it."""

    status_code = 409

    def __init__(self, kind: str, current: dict, expected_version: int):
        self.kind = kind
        self.current = current
        self.expected_version = expected_version
        super().__init__(
            f"{kind.capitalize()} {current['id']} was changed by someone else (you saw version {expected_version}, "
            f"it is now version {current['version']}). Review the current version and submit again."
        )


def check_version(kind: str, current: dict, expected_version: int | None) -> dict:
    """The row as it is now, or StaleEdit when it moved past the version the edit was based on.

    None skips the check: for changes that cannot overwrite anyone's words
    (linking a claim from the API without a version, an import).
    """
    if expected_version is not None and int(expected_version) != current["version"]:
        raise StaleEdit(kind, current, int(expected_version))
    return current
