"""What is closed to readers (403) answered like every other error: saying so, as JSON to a .json address.

Datasette refuses a few addresses itself: the database file (`/public.db`,
never downloaded from a mutable file) and its own `_internal` database of
schemas. Its default answer rendered the error page with no status, so the
page read "Error " and "Something went wrong on our side, try again in a
moment", as for a fault of the site, and a .json address got that HTML page.
They go through the same renderer as every other error (bad_input.py), with
one line that says what is true.

Loaded by Datasette from --plugins-dir as a bare module, so it imports
nothing from `tracker`.
"""

from __future__ import annotations

from datasette import hookimpl
from datasette.handle_exception import handle_exception as render_error
from datasette.views.base import DatasetteError

CLOSED = "That is not open to readers. Every published table and query is listed at /public, as JSON and CSV too."


@hookimpl(tryfirst=True)
def forbidden(datasette, request, message):
    return render_error(datasette, request, DatasetteError(CLOSED, status=403))
