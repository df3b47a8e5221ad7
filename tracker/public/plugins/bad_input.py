"""Datasette's answers to a malformed table URL: a 400 that says what was wrong, not a 500.

Datasette raises a server error (500) for a few mistakes that are the
visitor's: sorting by a column the table does not have, `_sort` together
with `_sort_desc`, and a `_through` filter that is not the JSON object it
expects (a KeyError or a JSON error surfacing as "'column'"). A 500 tells
monitoring the site is broken and tells the visitor nothing useful; these
become 400s with a one-line reason, rendered as Datasette renders every
error (JSON for .json, the error page otherwise).

Every error is answered here. Datasette's own handler still runs beside
this one (it runs every hook), and it printed each exception, a 404
included, with its local variables to the console whenever the `rich`
package happened to be installed: a scanner's stream of 404s would fill the
server's log. It is told `rich` is absent, as on a machine without it, so
it prints only what it always prints, a plain traceback of a server error
(500). A 500's page says only that the site could not answer, never the
exception's own words.

Loaded by Datasette from --plugins-dir as a bare module, so it imports
nothing from `tracker`.
"""

from __future__ import annotations

import json

import datasette.handle_exception as datasette_errors
from datasette import Response, hookimpl
from datasette.utils import add_cors_headers
from datasette.utils.asgi import BadRequest, Base400
from datasette.views.base import DatasetteError
from markupsafe import Markup

datasette_errors.rich = None  # see the module's docstring

SORT_MISTAKES = ("Cannot sort table by ", "Cannot use _sort and _sort_desc")
THROUGH_HELP = '_through must be JSON naming a table, a column and a value: {"table": …, "column": …, "value": …}.'


def visitors_mistake(request, exception: BaseException) -> BadRequest | None:
    """The 400 to answer instead, when the exception comes from what the visitor typed; else None."""
    if isinstance(exception, DatasetteError) and exception.status == 500:
        message = str(exception.message)
        if message.startswith(SORT_MISTAKES):
            return BadRequest(f"{message}: sort by one of the table's columns, with _sort or _sort_desc, not both.")
    if "_through" in request.args and isinstance(exception, KeyError | TypeError | ValueError | json.JSONDecodeError):
        return BadRequest(THROUGH_HELP)
    return None


def _error(exception: BaseException) -> tuple[int, str, str | None, dict]:
    """Status, message, title and extra fields of an error, as Datasette would give them."""
    if isinstance(exception, Base400):
        return exception.status, exception.args[0], None, {}
    if isinstance(exception, DatasetteError):
        message = Markup(exception.message) if exception.message_is_html else exception.message
        return exception.status, message, exception.title, dict(exception.error_dict)
    return 500, "The site could not answer this request.", None, {}


@hookimpl(tryfirst=True)
def handle_exception(datasette, request, exception):
    replacement = visitors_mistake(request, exception)
    status, message, title, info = _error(replacement or exception)

    async def answer() -> Response:
        info.update({"ok": False, "error": message, "status": status, "title": title})
        headers = {}
        if datasette.cors:
            add_cors_headers(headers)
        if request.path.split("?")[0].endswith(".json"):
            return Response.json(info, status=status, headers=headers)
        template = datasette.jinja_env.select_template([f"{status}.html", "error.html"])
        context = dict(info, urls=datasette.urls, app_css_hash=datasette.app_css_hash(), menu_links=lambda: [])
        return Response.html(await template.render_async(context), status=status, headers=headers)

    return answer
