"""How many values a table page's facets list: at most `facet_values` (500) in all, shared by its facets.

Datasette builds each facet's values (a count, a label and a link that
repeats the page's address with one filter more) on the event loop every
reader's request waits for, and an address's shares count the SQL time of
the counts, not that building. `_facet_size=max` listed up to
max_returned_rows (500) values of each facet, the table's own and the five a
page may ask for: `events.json?_facet=claim&_facet=claimant&_facet=detail&
_facet=source_url&_facet=outlet&_facet_size=max&_size=0` took 230-250 ms of
the server's CPU a request on 10,000 events (the page 280-330 ms), against
50-60 ms at the default size, at 60 a minute per address. So the page's
facets share `facet_values` between them: each lists at most
`facet_values` ÷ the number of facets on the page (a page of the claims
table's own three and four asked for: 71 each), fewer when fewer are asked
for. A facet cut short says so as any facet does (`>71`, and `…`); every
value and its count is one `group by` in the SQL box.

A facet cut to its share lists what `_facet_size=max` would list, so it
does not offer Datasette's `…` link to that: it says it is cut, and why,
and links the whole column as a download (`TABLE.csv?_col=COLUMN&_stream=on`,
every row's value) where the table is streamed (`facet_cut`, read by
templates/_facet_results.html). Offered the link, a reader followed it to
the same cut list.

A reader's pages see no change: the default size (30) of a table's own
facets, or of a few asked for, is within the share; so is a larger
`_facet_size` of one or two facets.

Datasette (0.65) has no hook for a facet's size: this file's `startup` hook
gives its Facet class a `get_facet_size` that takes the smaller of
Datasette's own answer and the page's share, once per process. Loaded by
Datasette from --plugins-dir as a bare module; it imports only Datasette.

`facet_values` is read with a copy of the site's rule for a whole-number
setting (html_cells.py's `setting`: the default where unset or no number,
never below 0), not that rule itself: request_guard.py and query_limits.py
load html_cells.py anyway, but this file loads no sibling, and reaching the
rule would mean loading one (another copy of html_cells.py's module in the
process, and the `load_beside` every loading plugin repeats) for five lines.
A change to the rule is made in both places.
"""

from __future__ import annotations

from urllib.parse import urlencode

from datasette import hookimpl
from datasette.facets import Facet

CONFIG = "newsroom-tracker"
DEFAULT_FACET_VALUES = 500
# What a table page asks facets with (request_guard.py's is_facet: `_facet_size` is not one).
FACET_PARAMS = ("_facet", "_facet_array", "_facet_date")
# Set on Datasette's Facet once its get_facet_size is the shared one.
SHARED = "_newsroom_shared_size"


def facet_values(datasette) -> int:
    """The most values a page's facets list in all (`facet_values` under the site's plugin settings); 0: no cap.
    Read as html_cells.py's `setting` reads one (the module's docstring says why a copy)."""
    value = (datasette.plugin_config(CONFIG) or {}).get("facet_values")
    try:
        return max(0, int(value)) if value not in (None, "") else DEFAULT_FACET_VALUES
    except (TypeError, ValueError):
        return DEFAULT_FACET_VALUES


def facets_on_page(datasette, request, database: str, table: str) -> int:
    """How many facets a table page lists: the table's own (metadata.yml's `facets`) and each asked for
    (request_guard.py has left out a column asked for twice, and the table's own asked for again)."""
    own = datasette.table_metadata(database, table).get("facets")
    asked = sum(len(request.args.getlist(name)) for name in FACET_PARAMS) if request is not None else 0
    return max(1, len(own if isinstance(own, list) else []) + asked)


def page_share(datasette, request, database: str, table: str | None) -> int | None:
    """The most values each facet of a table page lists (facet_values shared by its facets); None: no cap."""
    most = facet_values(datasette)
    if most <= 0 or not table:
        return None
    return max(1, most // facets_on_page(datasette, request, database, table))


def shared(original):
    """Datasette's get_facet_size, no larger than the page's share of facet_values (the module's docstring)."""

    def get_facet_size(self) -> int:
        size = original(self)
        share = page_share(self.ds, self.request, self.database, self.table)
        return size if share is None else min(size, share)

    return get_facet_size


def whole_column_url(datasette, database: str, table: str, column: str) -> str | None:
    """The streamed CSV of every row's value of `column`, or None for a table never streamed (metadata.yml gives
    its page a `size`: its rows are large, request_guard.py refuses the stream)."""
    if isinstance(datasette.metadata("size", database=database, table=table, fallback=False), int):
        return None
    return datasette.urls.table(database, table, format="csv") + "?" + urlencode({"_col": column, "_stream": "on"})


@hookimpl
def extra_template_vars(view_name, database, table, request, datasette):
    """`facet_cut(facet_info)` for a table page's facet list: None for a facet not cut to its share (Datasette's
    own `…` link to `_facet_size=max` lists more), else what the list says instead: how many it shows, the values
    the page's facets share, and the whole column's download (None where the table is never streamed)."""
    if view_name != "table" or not table:
        return {}
    share = page_share(datasette, request, database, table)

    def facet_cut(facet: dict) -> dict | None:
        shown = len(facet.get("results") or ())
        if share is None or not facet.get("truncated") or shown < share:
            return None
        column = facet.get("name")
        download = whole_column_url(datasette, database, table, column) if isinstance(column, str) else None
        return {"shown": shown, "total": facet_values(datasette), "download": download}

    return {"facet_cut": facet_cut}


@hookimpl
def startup(datasette):
    if not getattr(Facet, SHARED, False):
        Facet.get_facet_size = shared(Facet.get_facet_size)
        setattr(Facet, SHARED, True)
