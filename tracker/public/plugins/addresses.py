"""Which table or ready-made query an address names, read as Datasette reads it: one rule for every plugin asking.

request_guard.py (a table page's bounds), query_limits.py (which requests are
visitors' SQL) and csv_cells.py (the columns a ready-made query's CSV leaves
out) each need to know what an address names; page_cache.py (which page it is)
and security_headers.py (which policy it gets) read its path by routed_path;
query_limits.py and request_guard.py answer a refusal with a page only to a
browser asking for one (`wants_page`). Each read it with a copy of its own:
a copy that read a name as written, not as Datasette does, let
`/~70ublic/archived~5Fcopies.json` past the table guards and kept the
timeline's hidden columns in `/public/~74imeline.csv`, and had two copies
disagreed, an address one took for a ready-made query and the other for a
table would be held by neither.

Read as Datasette reads it:

- the path as sent (`raw_path`, percent-escapes as they are: Datasette routes
  by it, and answers `/public/%74imeline` with a redirect to its tilde-encoded
  spelling, which is then read here in turn), without the query string and the
  site's `base_url`;
- matched by Datasette's own route for a table's page (no dot in a name: a dot
  in one is spelled `~2E`);
- each name tilde-decoded (`~74imeline` is `timeline`).

Loaded by its path by those plugins (Datasette loads each file of
--plugins-dir as a bare module, so there is no package to import from);
Datasette also loads this file as a plugin, and it defines no hook. It imports
only the standard library and Datasette's tilde decoding and Request. It also
draws the site's error page for a refusal made before Datasette routes the
request (`refusal_page`), for the two plugins that refuse so.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import parse_qsl

from datasette.utils import tilde_decode
from datasette.utils.asgi import Request

# An address for data, not a page: the last part of its path ends in a format (.json, .csv, .atom...).
DATA_FORMAT = re.compile(r"\.\w+$")
# Datasette's route for a table's or a ready-made query's page: /DATABASE/NAME or /DATABASE/NAME.FORMAT.
TABLE_ROUTE = re.compile(r"^/([^/.]+)/([^/.]+)(?:\.\w+)?$")
# Datasette's route for a row's page: /DATABASE/TABLE/KEYS or /DATABASE/TABLE/KEYS.FORMAT (KEYS comma-separated).
ROW_ROUTE = re.compile(r"^/([^/.]+)/([^/]+?)/([^/]+?)(?:\.\w+)?$")
# A named parameter of a ready-made query's SQL (`:story`), not a magic one (`:_site_url`), nor a `::` cast.
NAMED_PARAMETER = re.compile(r"(?<![:\w]):([A-Za-z][A-Za-z0-9_]*)")


def query_parts(query_string: bytes) -> list[tuple[bytes, tuple[str, str] | None]]:
    """Each `&`-separated part of a query string as sent, beside its (name, value) as Datasette reads it
    (percent-decoded: `%5Ftrace` is `_trace`), or None for a part that holds no parameter (empty)."""
    parts = []
    for part in query_string.split(b"&"):
        pairs = parse_qsl(part.decode("latin-1"), keep_blank_values=True)
        parts.append((part, pairs[0] if len(pairs) == 1 else None))
    return parts


def without_parts(query_string: bytes, drop: Callable[[str, str], bool]) -> bytes:
    """The query string without each `name=value` part that `drop` says to leave out; every other part as sent.

    Each part is read as Datasette reads it (query_parts), and the parts kept
    are passed on byte for byte, in order.
    """
    return b"&".join(part for part, pair in query_parts(query_string) if pair is None or not drop(*pair))


def routed_path(scope: dict, base_url: str = "/") -> str:
    """The path Datasette routes a request by: the raw path without its query string and without `base_url`."""
    raw = scope.get("raw_path")
    path = raw.decode("latin-1") if isinstance(raw, bytes) else scope.get("path", "")
    path = path.partition("?")[0]
    base = base_url.rstrip("/")
    if base and path.startswith(base):
        path = path[len(base) :] or "/"
    return path


def table_or_query(path: str) -> tuple[str, str] | None:
    """(database, name) of a table's or a ready-made query's address (`path` as routed_path gives it), each name
    tilde-decoded; None for any other address."""
    match = TABLE_ROUTE.match(path)
    return (tilde_decode(match.group(1)), tilde_decode(match.group(2))) if match else None


def named_parameters(sql: str) -> tuple[str, ...]:
    """The parameters a ready-made query's SQL names (`:story`), sorted; not the magic `_` ones Datasette fills."""
    return tuple(sorted(set(NAMED_PARAMETER.findall(sql))))


def ready_made_query(datasette, path: str) -> dict | None:
    """metadata.yml's entry for the ready-made query whose page `path` is (its SQL, `csv_leaves_out`...), else None.

    A query given as bare SQL is given back as {"sql": ...}."""
    names = table_or_query(path)
    if names is None or names[0] not in datasette.databases:
        return None
    query = (datasette.metadata("queries", database=names[0]) or {}).get(names[1])
    if query is None:
        return None
    return query if isinstance(query, dict) else {"sql": query}


def wants_page(scope: dict, path: str) -> bool:
    """Is this a browser asking for an HTML page: no data format in the address (.json, .csv, _format=), and
    an Accept that names text/html and ranks it at least as high as JSON?"""
    if DATA_FORMAT.search(path) or b"_format=" in scope.get("query_string", b""):
        return False
    accept = b",".join(v for k, v in scope.get("headers") or () if k.lower() == b"accept").decode("latin-1")
    ranks: dict[str, float] = {}
    for part in accept.split(","):
        media, *params = (p.strip() for p in part.split(";"))
        quality = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        ranks[media.lower()] = max(quality, ranks.get(media.lower(), 0.0))
    html = ranks.get("text/html", 0.0)
    return html > 0 and html >= ranks.get("application/json", 0.0)


async def refusal_page(datasette, scope: dict, receive, status: int, title: str | None, message: str) -> str:
    """The site's error page (templates/error.html) headed `title`, saying `message`, for a browser asking for a
    page (wants_page) whose request is refused before Datasette's CSRF layer gives the scope its token: the page has
    no form to use one."""
    context = {"status": status, "title": title, "error": message}
    request = Request({**scope, "csrftoken": lambda: ""}, receive)
    return await datasette.render_template("error.html", context, request=request)
