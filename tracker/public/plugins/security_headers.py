"""Security headers on every response of the public site.

Outermost of the site's ASGI wrappers (`trylast`: Datasette applies wrappers
in the order the hooks answer, so the last one wraps all the others), so the
headers also reach answers that never get to Datasette: a cached page, a 405
or a refused query.

- A Content-Security-Policy: no inline script or style on the reader pages
  (ours from <html> to </html>), Datasette's own inline scripts allowed on its
  data pages (an error page, of any address, is ours: templates/error.html
  has neither, and a redirect runs no script); on both, `frame-ancestors 'none'` (and X-Frame-Options for
  older browsers), so no other site can frame ours and trick a click.
- `nosniff` and a referrer policy everywhere.
- Strict-Transport-Security when the site is served over HTTPS
  (TRACKER_HTTPS=1): a browser that has been here once never tries plain HTTP.
- No `Link:` header longer than MAX_LINK_HEADER bytes. Datasette names a
  page's JSON in one, with the page's whole query string: the SQL page's up to
  100,000 characters of SQL, a table page's 4 KB of filters. A proxy in front
  holds 4-8 KB of a response's headers (nginx's proxy_buffer_size) and answers
  502 past them, so such a page failed behind one. The header only points to
  the JSON, which the page itself links; a longer one is left out.

A page is judged by its address as Datasette routes it (addresses.py's
routed_path: the path as sent, percent-escapes as they are), then its names
tilde-decoded: read percent-decoded, `/public/claims/1%2Fx`, a claim's row to
Datasette (which redirects it to its tilde spelling), was `/public/claims/1/x`,
no reader page, and got the data pages' policy.

Loaded by Datasette from --plugins-dir as a bare module (here and in a
`datasette publish` container), so it imports nothing from `tracker` and loads
addresses.py by its path.
"""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path
from urllib.parse import parse_qsl

from datasette import hookimpl
from datasette.utils import tilde_decode

CONFIG = "newsroom-tracker"
# Pages that are ours from <html> to </html>: no inline script, no inline style. A claim's page is every row
# page of the claims table, however its id is spelled (`1`, `+1`, `1,2`: Datasette finds the row for each).
READER_PAGES = re.compile(r"^/(?:|about|public|public/timeline|public/unclear|public/claims/[^/]+|stories/[a-z0-9-]+)$")
# The one reader page that `sql=` changes: the database page becomes Datasette's SQL page, with its inline scripts.
# Every other reader page ignores it (`?sql=1` on the timeline once loosened its policy for a link anyone could send).
SQL_PAGE = "/public"
# Datasette renders an address ending in a format it does not know as the page itself (`/public/timeline.html`
# is the timeline): a page is judged by its address without that ending, or the ending loosened its policy.
UNKNOWN_FORMAT = re.compile(r"\.[^/.]*$")
COMMON_CSP = "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
STRICT_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
    f"connect-src 'self'; {COMMON_CSP}"
)
# Datasette's own data pages carry a few inline scripts and styles of their own.
DATA_CSP = (
    "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
    f"img-src 'self' data:; {COMMON_CSP}"
)
# Two years, as hstspreload.org asks; only sent when the site is really served over HTTPS.
HSTS = b"max-age=63072000; includeSubDomains"
OURS = frozenset(
    {b"content-security-policy", b"x-content-type-options", b"referrer-policy", b"x-frame-options"}
    | {b"strict-transport-security"}
)


def load_beside(name: str):
    """A file beside this one (Datasette loads plugins as bare modules: no package to import from)."""
    path = Path(__file__).resolve().with_name(name)
    spec = importlib.util.spec_from_file_location(f"newsroom_{path.stem}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# The path Datasette routes a request by: one rule with the other plugins'.
ADDRESSES = load_beside("addresses.py")


def as_datasette_reads(path: str) -> str:
    """The path with each part's `~XX` decoded, as Datasette reads a database's, table's or row's name:
    `/public/cl~61ims/1` is claim 1's page, and `/~70ublic/timeline` the timeline, which read as written got
    Datasette's 'unsafe-inline'."""
    return "/".join(tilde_decode(part) for part in path.split("/"))


def first_sql(query: bytes) -> str:
    """The query's first `sql=`, as Datasette reads it: an empty one is the data page, whatever follows."""
    pairs = parse_qsl(query.decode("latin-1"), keep_blank_values=True)
    return next((value for name, value in pairs if name == "sql"), "")


def https_on(datasette) -> bool:
    """TRACKER_HTTPS=1 (through metadata.yml's `https`): the site is served over HTTPS."""
    value = (datasette.plugin_config(CONFIG) or {}).get("https")
    return str(value or "").strip().lower() in ("1", "true", "yes", "on")


def headers_for(
    path: str, query: bytes, content_type: bytes, https: bool, status: int = 200
) -> list[tuple[bytes, bytes]]:
    """The security headers one response gets."""
    headers = [
        (b"x-content-type-options", b"nosniff"),
        (b"referrer-policy", b"strict-origin-when-cross-origin"),
        (b"x-frame-options", b"DENY"),
    ]
    if content_type.startswith(b"text/html"):
        page = UNKNOWN_FORMAT.sub("", as_datasette_reads(path))
        sql = page == SQL_PAGE and bool(first_sql(query))
        strict = status >= 300 or bool(READER_PAGES.match(page)) and not sql
        headers.append((b"content-security-policy", (STRICT_CSP if strict else DATA_CSP).encode()))
    if https:
        headers.append((b"strict-transport-security", HSTS))
    return headers


# The longest `Link:` header sent: with the other headers, well within the 4 KB a proxy holds by default.
MAX_LINK_HEADER = 2048


def too_long_link(name: bytes, value: bytes) -> bool:
    """A `Link:` header past MAX_LINK_HEADER bytes (the module's docstring says why it is left out)."""
    return name.lower() == b"link" and len(value) > MAX_LINK_HEADER


@hookimpl(trylast=True)
def asgi_wrapper(datasette):
    https = https_on(datasette)

    def wrap(app):
        async def with_security_headers(scope, receive, send):
            if scope.get("type") != "http":
                await app(scope, receive, send)
                return
            path = ADDRESSES.routed_path(scope, datasette.setting("base_url"))
            query = scope.get("query_string", b"")

            async def send_with_headers(message):
                if message["type"] == "http.response.start":
                    kept = [
                        (k, v)
                        for k, v in message.get("headers", [])
                        if k.lower() not in OURS and not too_long_link(k, v)
                    ]
                    content_type = next((v for k, v in kept if k.lower() == b"content-type"), b"")
                    message = {
                        **message,
                        "headers": [*kept, *headers_for(path, query, content_type, https, message.get("status", 200))],
                    }
                await send(message)

            await app(scope, receive, send_with_headers)

        return with_security_headers

    return wrap
