"""The statuses a claim can have, and the words readers see for them: one place for every plugin that shows one.

The reader pages (reader_data.py's `status_labels`), the badges of the data
pages (cells.py) and the TimelineJS slides (timeline_js.py) each once spelled
them on their own: the slides and the badges showed the stored value,
"unreviewed", where every other page says "Not yet reviewed".

Loaded by its path by those plugins (Datasette loads each file of
--plugins-dir as a bare module, so there is no package to import from);
Datasette also loads this file as a plugin, and it defines no hook. It imports
nothing.
"""

from __future__ import annotations

# Same values as tracker's vocabulary (a test keeps them in step).
STATUSES = ("unreviewed", "confirmed", "denied", "unclear")
# What readers read for each stored value (the editor's own words, tracker.vocab's, say "Unreviewed").
STATUS_LABELS = {
    "confirmed": "Confirmed",
    "denied": "Denied",
    "unclear": "Unclear",
    "unreviewed": "Not yet reviewed",
}


def status_label(value) -> str:
    """The readers' word for a stored status; any other value as it is."""
    return STATUS_LABELS.get(value, "" if value is None else str(value))
