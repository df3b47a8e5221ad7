"""What the public site answers before Datasette sees a request.

- Reading only: the site has nothing to write, so anything but GET, HEAD and
  OPTIONS (CORS preflight) is a 405 with `Allow`, not a stack trace. A
  preflight is answered here, for every address alike (`preflight`).
- No introspection for readers: Datasette's `/-/` pages (versions, settings,
  databases with the file's path on disk, metadata, plugins, threads, actor,
  permissions, messages...) are 404. Only `/-/static/` and
  `/-/static-plugins/` (the assets pages load) stay open.
- No static file's name longer than a disk can hold (404): Datasette
  looked `/assets/` and 300 characters up, and the disk's "File name too
  long" was a 500.
- No backslash in a path (404): no page has one, and Datasette answers a
  path ending in `/` with a redirect to the same path without it, so
  `/\\evil.example/` was sent to `/\\evil.example`, which browsers read as
  `//evil.example`, another site. Nor a path starting `//` (404), for the same
  redirect: `///` was a 302 with an empty Location (to no page at all).
- One spelling of each table's or ready-made query's name, and of a row's
  names and key: Datasette reads `~XX` in a name as the character, but a
  route of ours matches the name as written, so `/public/~73earch` was
  Datasette's raw query form, not the search's redirect to the timeline, and
  `/public/cl~61ims/7` a claim's page never cached, a withdrawn one's a 404.
  The names are tilde-encoded as Datasette writes them (`/public/search`)
  before anything routes the request.
- A table page within bounds: every value of every facet links to the page's
  own address with one filter more, so a page costs its facets × their
  values × the length of its address, in memory and in SQL time (400 copies
  of `_facet=detail` on an address of 115,000 characters grew Datasette by
  1.7 GB, and kept 1.3 GB). So a table page takes at most MAX_FACETS facets
  of columns it does not facet anyway (400), a facet of a column asked for
  again left out (Datasette counted and showed each, under one id), and an
  address of at most MAX_TABLE_QUERY characters after the `?` (414); a
  ready-made query's page (a long search)
  and the SQL page are not table pages and keep theirs. A table whose page
  size metadata.yml sets (archived copies, a megabyte each) is read at most
  that many rows a page and never streamed (400); one whose
  `sortable_columns` it names is sorted and faceted by those only (400).
  A table is searched with its own index only: `_fts_table` and `_fts_pk`,
  which name another index or the column matches are compared with, are a 400.
  A search of no words (`_search=`, the table form's empty box) is left out:
  the table is shown whole, not FTS5's refusal of an empty search.
- A ready-made query's page without the parameters neither its SQL names
  nor Datasette reads on a query's page (QUERY_PAGE_PARAMS: `_shape`,
  `_hide_sql`...): its page repeats every parameter of its address in its
  links (JSON, CSV, the `Link:` header), so a 100 kB one nobody reads came
  back four or five times, as did a stray `sql=` it ignores.
- A search of at most `search_chars` characters (500), and of at most
  SEARCH_ADDRESS_CHARS (3,000) as an address writes it (400 past either, a
  line saying so, the site's error page to a browser): a table's `_search`
  (or `_search_COLUMN`), a ready-made query's `q` (the timeline's box, the
  search query). Each page repeats its search in its links and in the
  `Link:` header (the search query's redirect in its `Location`), and a
  search of many KB made the headers longer than a proxy holds: the page
  failed behind nginx. What those headers hold is the search percent-escaped
  (each byte of its UTF-8 past ASCII is 3 characters: a Cyrillic letter 6, a
  Chinese character 9, an emoji 12), so counting characters alone let 500
  Chinese characters make a 4.5 KB `Location`, and a table page's address
  pass MAX_TABLE_QUERY (a 414, not the 400 saying what a search may be).
  3,000 holds 500 letters of Latin or Cyrillic, 333 Chinese characters or
  250 emoji, and with the rest of a page's headers stays within 4 KB, and
  within a table page's address bound with room for its filters. No search
  a reader types is longer; a longer question is the SQL box's.
- At most MAX_QUERY_STRING bytes after the `?` of any address (414): the
  longest SQL a connection runs (connection_limits.py's 100,000 characters),
  each character percent-escaped, and a table page's bound on top. A page that
  repeats a parameter it does not read is bounded by it too.
- At most MAX_PARAMETERS parameters in any address (414): Datasette's
  query pages (a ready-made query's, the SQL page) read their parameters
  once for each one (`request.args` parses the whole query string each time
  it is asked), on the event loop every reader waits for: 3,000 parameters
  held it for 9 s of CPU, 10,000 for about a hundred. Counted as the `&`
  that part them, before anything parses them.
- A streamed download (`_stream=`) sorted by `_sort` or `_sort_desc` only
  by the primary key or a column an index starts with (400 otherwise): a
  stream reads a page at a time, `where col > :last order by col, id`, and
  with no index every page sorted the whole table
  (`evidence.csv?_stream=on&_sort=quote` on 300,000 quotes held a SQL
  thread for 34 s, then wrote the timed-out query's SQL into the file).
  One page in any order stays open; the table's own order is indexed.
- Links name the site, never the address a request claims to be for. Every
  absolute link Datasette and our plugins build (the Atom feed, ClaimReview,
  TimelineJS, `Link:` headers) comes from the request's Host and scheme, and
  the Host header is whatever a client sends: a cache or a crawler in the
  middle would keep a page pointing at an attacker's host. So the Host is
  rewritten before anything reads it: to the host of `public_url`
  (TRACKER_PUBLIC_URL) with its scheme, unless it is one of `public_hosts`
  (TRACKER_PUBLIC_HOSTS, comma-separated) or public_url's own host. With
  neither configured (only allowed when serving on loopback, see
  tracker/serve.py) a loopback Host (localhost, [::1] or an address in
  127.0.0.0/8, any port) is kept and any other becomes `localhost`: a name
  that only starts like one (`127.evil.example`) went into every Atom link.

- A cache lifetime no longer than the site's: Datasette sets the max-age of
  an answer from a `_ttl=` of its address, any number of seconds, so a link
  with `_ttl=31536000` had shared caches keep that page (a claim's ruling, a
  story's feed) a year, through every publish. A `_ttl` over the site's own
  `default_cache_ttl` is left out (the answer gets the site's); a shorter
  one, or `0` (no cache), stays a reader's choice.

Which table or ready-made query an address names is addresses.py's one rule
(query_limits.py and csv_cells.py read it there too).

Loaded by Datasette from --plugins-dir as a bare module, so it imports
nothing from `tracker` and loads addresses.py by its path.
"""

from __future__ import annotations

import functools
import importlib.util
import ipaddress
import json
from pathlib import Path
from urllib.parse import quote_plus, urlencode, urlsplit

from datasette import hookimpl
from datasette.plugins import pm
from datasette.utils import _escape_fts_re as FTS_BITS  # how Datasette's escape_fts parts a plain search
from datasette.utils import add_cors_headers, tilde_decode, tilde_encode

CONFIG = "newsroom-tracker"
READ_METHODS = ("GET", "HEAD", "OPTIONS")
OPEN_INTERNALS = ("/-/static/", "/-/static-plugins/")
# Where static files are served from: Datasette's and its plugins', and the site's own (tracker/public STATIC_MOUNT).
STATIC_PREFIXES = (*OPEN_INTERNALS, "/assets/")
# The longest file name, and path, a disk holds (bytes): a static address past either is no file.
NAME_MAX, PATH_MAX = 255, 4096
FALLBACK_HOST = "localhost"
LOOPBACK_NAMES = ("localhost", "127.0.0.1", "[::1]")
# Facets a table page may be asked for (`_facet`, `_facet_array`, `_facet_date`), on top of metadata.yml's.
MAX_FACETS = 5
# Datasette takes a table's search index, and the column its matches are compared with, from the address: another
# table's index listed rows under a search they do not match, and a large column compared every value of it.
SEARCH_INDEX_PARAMS = ("_fts_table", "_fts_pk")
# Characters of a search (`search_chars` under the site's plugin settings), and the parameter a ready-made query
# reads its search words from (the timeline's box, the search query).
DEFAULT_SEARCH_CHARS = 500
QUERY_SEARCH = "q"
# Characters of a search as an address writes it (percent-escaped UTF-8, as urlencode writes a page's links and the
# search query's redirect): within the headers a proxy holds, and a table page's MAX_TABLE_QUERY (the docstring).
SEARCH_ADDRESS_CHARS = 3000
# Characters after the `?` of a table page's address: filters, a search, a sort and a few facets fit many times.
MAX_TABLE_QUERY = 4096
# Parameters (`&`-separated parts) of any address: no page of the site takes a tenth of them.
MAX_PARAMETERS = 100
# The most columns a result may have (connection_limits.py's SQLITE_LIMIT_COLUMN): a page of fewer rows than fit
# in the HTML cells at this width is never cut, and its table's columns are not looked up.
MAX_PAGE_COLUMNS = 64
# What Datasette (0.65) and our plugins read on a ready-made query's page, besides the query's named parameters.
QUERY_PAGE_PARAMS = frozenset(
    "_shape _json _json_infinity _nl _dl _header _labels _next _nocount _nofacet _size _stream _trace _ttl "
    "_hide_sql _show_sql _timelimit _blob_column _blob_hash _show_hidden _success _extras _context".split()
)
# Bytes after the `?` of any address: the longest SQL a connection runs (connection_limits.py's MAX_SQL_LENGTH),
# each character percent-escaped (3 bytes), and a table page's bound on top.
MAX_QUERY_STRING = 3 * 100_000 + MAX_TABLE_QUERY


def load_beside(name: str):
    """A file beside this one (Datasette loads plugins as bare modules: no package to import from)."""
    path = Path(__file__).resolve().with_name(name)
    spec = importlib.util.spec_from_file_location(f"newsroom_{path.stem}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# Which table or ready-made query an address names, read as Datasette reads it: one rule with query_limits.py's.
ADDRESSES = load_beside("addresses.py")
# How many cells an HTML page draws: a table page's `_size` is brought within them here; and the site's one reader
# of a whole-number setting (`search_chars`).
HTML_CELLS = load_beside("html_cells.py")
table_or_query = ADDRESSES.table_or_query


class Site:
    """Where the site lives: the scheme and host links are built from, and the other hosts it answers to."""

    def __init__(self, public_url: str | None, public_hosts: str | list | None):
        self.scheme, self.host = None, FALLBACK_HOST
        allowed: list[str] = []
        if public_url:
            parts = urlsplit(str(public_url).strip())
            if parts.scheme in ("http", "https") and parts.netloc:
                self.scheme, self.host = parts.scheme, parts.netloc.lower()
                allowed.append(self.host)
        hosts = public_hosts.split(",") if isinstance(public_hosts, str) else list(public_hosts or [])
        allowed += [str(h).strip().lower() for h in hosts if str(h).strip()]
        if not public_url and allowed:
            self.host = allowed[0]
        self.allowed = frozenset(allowed)

    def rewrite(self, scope: dict) -> dict:
        """The scope with one Host (and a scheme) this site answers to.

        The first Host header is the one judged, and the only one passed on: Datasette reads the last (its
        headers are a dict), so a second one after the site's was the host every link named.
        """
        headers = scope.get("headers") or []
        hosts = [v for k, v in headers if k.lower() == b"host"]
        host = hosts[0].decode("latin-1").lower() if hosts else ""
        if host in self.allowed and host != self.host or not self.allowed and is_loopback(host):
            scheme, named = scope.get("scheme"), hosts[0]
        else:
            scheme, named = self.scheme or scope.get("scheme") or "http", self.host.encode("latin-1")
        if hosts == [named] and scheme == scope.get("scheme"):
            return scope
        kept = [(k, v) for k, v in headers if k.lower() != b"host"]
        return {**scope, "scheme": scheme, "headers": [*kept, (b"host", named)]}


def is_loopback(host: str) -> bool:
    """A Host naming this machine: localhost, [::1] or an address in 127.0.0.0/8 (not a name like 127.evil.example)."""
    name = host.rsplit(":", 1)[0] if not host.endswith("]") else host
    if name in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.IPv4Address(name).is_loopback
    except ValueError:
        return False


async def preflight(send, cors: bool) -> None:
    """A CORS preflight's answer, for every address alike, as Datasette's table and query views give it: "ok", and
    with CORS on, the headers add_cors_headers sets. Left to each view, the front page answered 405 and a static
    file its whole body; no preflight needs a page, or its SQL."""
    headers: dict[str, str] = {}
    if cors:
        add_cors_headers(headers)
    await send(
        {
            "type": "http.response.start",
            "status": 200,
            "headers": [(b"content-type", b"text/plain; charset=utf-8")]
            + [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in headers.items()],
        }
    )
    await send({"type": "http.response.body", "body": b"ok"})


async def refuse(send, status: int, message: str, extra_headers: list | None = None) -> None:
    body = json.dumps({"ok": False, "error": message, "status": status}).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-type", b"application/json; charset=utf-8"), *(extra_headers or [])],
        }
    )
    await send({"type": "http.response.body", "body": body})


class TableRequest:
    """A request for a table's or a ready-made query's page, read once as Datasette reads it: what every check
    below looks at.

    Each check once read the query string again (parse_qsl of the whole of
    it, up to five times a request) and asked the database again whether the
    address names a table: `table_names()`, a trip to one of the SQL threads
    readers' pages wait for, twice for one streamed CSV and three times for a
    long address. Here the parts are read once (addresses.query_parts), a
    part left out or replaced keeps the others as read, and whether the name
    is a table (or a view) is asked at most once, only by a check that needs it.
    """

    def __init__(
        self,
        datasette,
        path: str,
        names: tuple[str, str],
        parts: list[tuple[bytes, tuple[str, str] | None]],
        ready_made: bool,
        known: dict | None = None,
    ):
        self.datasette, self.path = datasette, path
        self.database, self.name = names
        self.parts = parts
        # A ready-made query's page: no facets, no table bounds, and a long search is a reader's.
        self.ready_made = ready_made
        self._known = {} if known is None else known  # shared with the requests made from this one

    @classmethod
    def read(cls, datasette, path: str, query_string: bytes) -> TableRequest | None:
        """The request for the table or ready-made query `path` names (as addresses.routed_path gives it), or None
        for any other address."""
        names = table_or_query(path)
        if not names or names[0] not in datasette.databases:
            return None
        ready_made = ADDRESSES.ready_made_query(datasette, path) is not None
        return cls(datasette, path, names, ADDRESSES.query_parts(query_string), ready_made)

    @property
    def query_string(self) -> bytes:
        return b"&".join(part for part, _ in self.parts)

    @functools.cached_property
    def params(self) -> list[tuple[str, str]]:
        """Every parameter, decoded, in order."""
        return [pair for _, pair in self.parts if pair is not None]

    @functools.cached_property
    def first(self) -> dict[str, str]:
        """Each parameter's first value, as Datasette reads it (first_values)."""
        return first_values(self.params)

    @property
    def is_csv(self) -> bool:
        """The address asks for CSV: its `.csv` ending, as Datasette reads it (a `_format=csv` parameter it does not
        read: taken for CSV here, `claims?_format=csv&_stream=on&_size=1` listed 500 rows a page)."""
        return self.path.endswith(".csv")

    def without(self, drop) -> TableRequest:
        """This request without each parameter `drop(name, value)` says to leave out; every other part as sent."""
        kept = [(part, pair) for part, pair in self.parts if pair is None or not drop(*pair)]
        return self if len(kept) == len(self.parts) else self._with_parts(kept)

    def with_values(self, change) -> TableRequest:
        """This request with each parameter's value `change(name, value)` gives in its place (None: as sent)."""
        parts = []
        for part, pair in self.parts:
            value = change(*pair) if pair is not None else None
            if value is None or value == pair[1]:
                parts.append((part, pair))
            else:
                parts.append((urlencode([(pair[0], value)]).encode("latin-1"), (pair[0], value)))
        return self._with_parts(parts) if parts != self.parts else self

    def with_part(self, name: str, value: str) -> TableRequest:
        """This request with `name=value` in place of any `name` it has (ASCII: a name and value of our own)."""
        kept = [(part, pair) for part, pair in self.parts if not (pair and pair[0] == name)]
        return self._with_parts([*kept, (f"{name}={value}".encode(), (name, value))])

    def _with_parts(self, parts: list[tuple[bytes, tuple[str, str] | None]]) -> TableRequest:
        return TableRequest(
            self.datasette, self.path, (self.database, self.name), parts, self.ready_made, known=self._known
        )

    async def kind(self) -> str | None:
        """ "table", "view" or None (a route of ours at a table's place, the TimelineJS export): asked once."""
        if "kind" not in self._known:
            database = self.datasette.get_database(self.database)
            kind = None
            if self.name in await database.table_names():
                kind = "table"
            elif self.name in await database.view_names():
                kind = "view"
            self._known["kind"] = kind
        return self._known["kind"]


def without_unread_parameters(request: TableRequest) -> TableRequest:
    """A ready-made query's request without each parameter neither its SQL names nor Datasette reads on a query's
    page (QUERY_PAGE_PARAMS); any other request as it is. Datasette's query page repeats every parameter in its
    links (JSON, CSV, the `Link:` header), so one nobody reads came back several times over."""
    if not request.ready_made:
        return request
    query = ADDRESSES.ready_made_query(request.datasette, request.path) or {}
    read = QUERY_PAGE_PARAMS | set(ADDRESSES.named_parameters(str(query.get("sql", ""))))
    return request.without(lambda name, value: name not in read)


async def table_page_problem(request: TableRequest) -> tuple[int, str] | None:
    """(status, reason) when a table page asks for more than it may (the module's docstring says why), else None."""
    if request.ready_made:
        return None  # a ready-made query's page: no facets, and a long search is a reader's
    if len(request.query_string) > MAX_TABLE_QUERY:
        if await request.kind() is not None:
            return 414, (
                f"That address is too long for a table page (at most {MAX_TABLE_QUERY:,} characters after the ?); "
                "for a longer query, use the SQL box."
            )
        # Another page at a table's place (the TimelineJS export): named as asked for, not called a table.
        return 414, f"That address is too long for {request.path} (at most {MAX_TABLE_QUERY:,} characters after the ?)."
    if sum(is_facet(name) for name, _ in request.params) > MAX_FACETS:
        return 400, f"Ask for at most {MAX_FACETS} facets."
    if any(name in SEARCH_INDEX_PARAMS for name, _ in request.params):
        return 400, (
            "Each table is searched with its own index: leave _fts_table and _fts_pk out, and search with _search."
        )
    return _rows_problem(request) or _columns_problem(request)


def is_facet(name: str) -> bool:
    """A parameter asking for a facet: `_facet`, `_facet_array`, `_facet_date` (not `_facet_size`)."""
    return name.startswith("_facet") and name != "_facet_size"


def without_repeated_facets(request: TableRequest) -> TableRequest:
    """A table page's request with each facet of a column after the first left out, the table's own
    (metadata.yml's `facets`) first; every other part as sent.

    Datasette counts a facet as often as it is asked for and shows each under
    the same `id="facet-COLUMN"`: `claims?_facet=status` showed the page's
    status facet twice, one id twice in a page, its SQL run twice. A repeat
    adds nothing a reader asked for, so it is dropped, not refused. An
    address too long for a table page is left as it is (a 414 anyway).
    """
    if request.ready_made or len(request.query_string) > MAX_TABLE_QUERY:
        return request
    if not any(is_facet(name) for name, _ in request.params):
        return request
    own = request.datasette.table_metadata(request.database, request.name).get("facets")
    seen = {_facet_column(facet) for facet in _own_facets(own)}

    def repeated(name: str, value: str) -> bool:
        if not is_facet(name):
            return False
        column = _facet_column(value)
        if column in seen:
            return True
        seen.add(column)
        return False

    return request.without(repeated)


def is_search(name: str) -> bool:
    """A parameter holding a table's search words: `_search` or `_search_COLUMN` (not `_searchmode`)."""
    return name.startswith("_search") and name != "_searchmode"


def without_empty_searches(request: TableRequest) -> TableRequest:
    """A table page's request with each search that holds no character but spaces left out; every other part as
    sent.

    Datasette's table form sends `_search=` whenever a reader applies a filter
    or a sort with its search box empty, and Datasette hands the empty words to
    FTS5, which cannot read them: a plain search answered "Nothing to search
    for" and an advanced one (`_searchmode=raw`) "remove the stray quotation
    mark". No words is no search, so the table is shown whole, as a page
    without the parameter is.
    """
    if request.ready_made:
        return request
    return request.without(lambda name, value: is_search(name) and not value.strip())


def with_each_search_word_once(request: TableRequest, search_rule) -> TableRequest:
    """A table page's plain search with each word or quoted phrase typed again left out; any other request as it is.

    Datasette hands FTS5 each word of a plain search as a phrase of its own
    (escape_fts), all of which must match: a word typed again adds nothing
    to what matches, and costs its whole list of rows again (`synthetic` 50
    times over 15,000 quotes: 0.28 s against 0.08 s once, up to the time
    limit at 200, on the threads readers' pages share). A word is the same
    as the index reads it (sql_functions.py's words, folded: `Tests,` is
    `tests`), as in the timeline's search. An advanced search
    (`_searchmode=raw`) is the visitor's own query, run in the SQL workers. An
    address too long for a table page is left as it is (a 414 anyway).
    """
    if request.ready_made or len(request.query_string) > MAX_TABLE_QUERY or request.first.get("_searchmode") == "raw":
        return request

    def once(name: str, value: str) -> str | None:
        if not is_search(name):
            return None
        query = value + '"' if value.count('"') % 2 else value  # as escape_fts reads it
        bits = [bit for bit in FTS_BITS.split(query) if bit and bit != '""']
        seen, kept = set(), []
        for bit in bits:
            key = tuple(search_rule.fold(word) for word in search_rule.split_words(bit))
            if key not in seen:
                seen.add(key)
                kept.append(bit)
        return " ".join(kept) if len(kept) < len(bits) else None

    return request.with_values(once)


async def stream_read_whole_pages(request: TableRequest) -> TableRequest:
    """A table's streamed CSV with `_size=max` in place of any `_size`; any other request as it is.

    Datasette means a stream to be read `max_returned_rows` a part and reads
    it 50 a part (its own `_size=max` is lost after the first part), or as few
    as the address's `_size` asks: each part costs a page's work, so all
    60,000 claims streamed in 32 s against 11 s with `_size=max` (under load),
    and `_size=1` made 60,000 parts of one request. Names are read as
    Datasette reads them (first values, percent-decoded).
    """
    if not request.first.get("_stream") or not request.is_csv:
        return request  # a page, or JSON: Datasette streams only CSV
    if await request.kind() != "table":
        return request
    return request.with_part("_size", "max")


async def html_page_within_cells(request: TableRequest, cells: int) -> tuple[TableRequest, tuple[int, int, int]]:
    """A table's (or a view's) HTML page with a `_size` whose rows would draw more than `cells` cells, with the
    `_size` that fits in its place, and (columns, rows kept, rows asked); any other request as it is, and ().

    Datasette draws a page on the event loop every reader waits for (html_cells.py says why). Its next-page link
    keeps the smaller `_size`, so a reader pages on through every row; JSON and CSV keep the `_size` asked for.
    A `_size` Datasette refuses (past `max_returned_rows`, not a number) is left for it to refuse."""
    if cells <= 0 or request.ready_made:
        return request, ()
    size = request.first.get("_size", "")
    most = request.datasette.max_returned_rows
    asked = most if size == "max" else int(size) if size.isascii() and size.isdigit() else 0
    if not 0 < asked <= most or asked <= HTML_CELLS.rows_within(cells, MAX_PAGE_COLUMNS):
        return request, ()  # the default page size, one Datasette refuses, or too few rows to matter
    if not HTML_CELLS.is_html(request.datasette, request.path) or not await request.kind():
        return request, ()
    database = request.datasette.get_database(request.database)
    columns = len(
        chosen_columns(request, await database.table_columns(request.name), await database.primary_keys(request.name))
    )
    kept = HTML_CELLS.rows_within(cells, columns)
    if asked <= kept:
        return request, ()
    return request.with_part("_size", str(kept)), (columns, kept, asked)


def chosen_columns(request: TableRequest, columns: list[str], keys: list[str]) -> list[str]:
    """The columns a table page draws, as Datasette chooses them (its `columns_to_select`): with `_col`, the primary
    key and each column named once; less each `_nocol`. The cut counts these: counted as every column of the table,
    `events?_size=max&_col=kind` (2 cells a row) was cut to the rows of 18. A name Datasette refuses (400) is left
    out here; the page is refused anyway."""
    asked = [value for name, value in request.params if name == "_col" and value in columns]
    chosen = [*keys, *dict.fromkeys(asked)] if any(name == "_col" for name, _ in request.params) else list(columns)
    dropped = {value for name, value in request.params if name == "_nocol"}
    return [column for column in chosen if column not in dropped or column in keys]


def _own_facets(facets) -> list[str]:
    """metadata.yml's facets of a table as the values a `_facet` parameter would give: `COLUMN`, or
    `{TYPE: COLUMN or CONFIG}` as JSON."""
    own = []
    for facet in facets if isinstance(facets, list) else []:
        if isinstance(facet, dict) and len(facet) == 1:
            facet = next(iter(facet.values()))
        own.append(facet if isinstance(facet, str) else json.dumps(facet))
    return own


def first_values(params: list[tuple[str, str]]) -> dict[str, str]:
    """Each parameter's first value, as Datasette's `request.args.get()` reads it.

    A dict of the pairs keeps the last: `_size=max&_size=10` was judged by
    its 10 while Datasette listed a page of `max`.
    """
    values: dict[str, str] = {}
    for name, value in params:
        values.setdefault(name, value)
    return values


def _rows_problem(request: TableRequest) -> tuple[int, str] | None:
    """A table whose page size metadata.yml sets (its rows are large) is read at most that many rows a page.

    A table page reads every row it lists in full: archived copies may be a
    megabyte each, so Datasette's 50 a page held 50 MB for one request,
    `_size=max` 500 MB, and a streamed CSV went through every copy.
    """
    most = request.datasette.metadata("size", database=request.database, table=request.name, fallback=False)
    if not isinstance(most, int):
        return None
    size = request.first.get("_size", "")
    if "_stream" in request.first or size and not (size.isascii() and size.isdigit() and int(size) <= most):
        return 400, (
            f"{request.name} is listed at most {most} rows a page (each may be large), and not streamed: "
            "follow the next-page link, or ask the SQL box for the columns you need."
        )
    return None


def _columns_problem(request: TableRequest) -> tuple[int, str] | None:
    """A table whose sortable columns metadata.yml names is sorted, faceted and filtered by those only.

    Its other columns hold large values (archived copies' bodies, a megabyte
    each): `_sort=body` ordered every copy to show ten, and `_facet=body`
    counted them all. Datasette itself refuses such a sort with a 500 and
    would run the facet; both are a 400 naming the columns, before any SQL.
    A filter (`body__like=`) compared each copy's megabyte in one SQLite step,
    where the time limit is never looked at: a `like` of a 4,000-character
    pattern is 4 s of CPU per copy of text on Datasette's own threads (where
    SQLite is built without LIKE_DOESNT_MATCH_BLOBS; Debian's answers a BLOB
    at once). It too is a 400; the SQL box's query runs in a worker that is
    stopped once it has used its CPU time (query_limits.py).
    """
    sortable = request.datasette.metadata(
        "sortable_columns", database=request.database, table=request.name, fallback=False
    )
    if not isinstance(sortable, list):
        return None
    asked = []
    for name, value in request.params:
        if name in ("_sort", "_sort_desc"):
            asked.append(value)
        elif is_facet(name):
            asked.append(_facet_column(value))
        else:
            asked.extend(_filter_column(name))
    refused = next((column for column in asked if column not in sortable), None)
    if refused is None:
        return None
    return 400, (
        f"{request.name} is sorted, faceted and filtered only by {', '.join(sortable)}, not by {refused} "
        "(its values are large): ask the SQL box for anything else."
    )


def _filter_column(name: str) -> list[str]:
    """The column a table page's parameter filters, as Datasette reads it: every name but a `_` one without `__`
    (`_sort`, `_search`) is a filter, `COLUMN__LOOKUP` or `COLUMN` alone (exact); [] for any other parameter."""
    if name.startswith("_") and "__" not in name:
        return []
    return [name.rsplit("__", 1)[0] if "__" in name else name]


def _facet_column(value: str) -> str:
    """The column a facet's value names: `COLUMN`, or JSON such as {"simple": "COLUMN"} (bad_input.py answers
    JSON it cannot read)."""
    if not value.startswith("{"):
        return value
    try:
        config = json.loads(value)
    except ValueError:
        return value
    if isinstance(config, dict):
        column = config.get("column", config.get("simple"))
        if isinstance(column, str):
            return column
    return value


# The columns a stream of `table` may be sorted by: its primary key (or rowid) and each index's first column.
SORTABLE_SQL = """
    select name from pragma_table_info(:table) where pk = 1
    union select 'rowid'
    union select ii.name from pragma_index_list(:table) il join pragma_index_info(il.name) ii where ii.seqno = 0
"""


async def sorted_stream_problem(request: TableRequest) -> tuple[int, str] | None:
    """(400, reason) for a streamed download sorted by a column no index starts with, else None.

    Read as Datasette reads them (first values, names percent-decoded): looking for the bytes `_stream`
    and `_sort` let `%5Fstream=on` through, and each one's last value `_sort=quote&_sort=id`.
    """
    column = request.first.get("_sort") or request.first.get("_sort_desc")
    if not request.first.get("_stream") or not column or await request.kind() != "table":
        return None
    database = request.datasette.get_database(request.database)
    sortable = [row[0] for row in await database.execute(SORTABLE_SQL, {"table": request.name})]
    if column in sortable:
        return None
    named = ", ".join(sorted(c for c in sortable if c != "rowid"))
    return 400, (
        f"A streamed download is sorted by a column with an index ({named}), not by {column}: "
        "leave _sort out (the table's own order) and sort the file once downloaded, or sort one page with _size=max."
    )


async def matched_stream_problem(request: TableRequest) -> tuple[int, str] | None:
    """(400, reason) for a streamed download of rows matched through another table (a search's index, or
    `_through`'s table), else None.

    Each part of a stream runs the page's query again from where the last one
    ended, and such a query (`rowid in (select rowid from claims_fts where
    ... match ...)`, `id in (select claim_id from question_claims where ...)`)
    matches every row first, then takes the next part:
    `claims.csv?_stream=on&_search=synthetic` at 60,000 matching claims ran the
    search 1,200 times, 139 s of a SQL thread (under load) for one request,
    and the 20,000 claims of one question through `_through` 21 s (all 60,000
    claims unmatched: 11 s), each part within the time limit. Read as
    Datasette reads it: `_search` or `_search_COLUMN` on a table with a search
    index, or `_through`.
    """
    searched = any(is_search(name) for name in request.first)
    through = "_through" in request.first
    if not request.first.get("_stream") or not searched and not through or await request.kind() != "table":
        return None
    if not through and not await request.datasette.get_database(request.database).fts_table(request.name):
        return None  # no search index: Datasette ignores the search
    return 400, (
        "A search (or _through) is downloaded a page at a time, not streamed: leave _stream out and add _size=max "
        "(500 rows a page), then follow each page's next link."
    )


def within_site_ttl(query_string: bytes, site_ttl: int) -> bytes:
    """The query string without each `_ttl` Datasette would make a max-age longer than `site_ttl` (the module's
    docstring says why); each other part as sent. A `_ttl` that is no number Datasette ignores anyway, and one of
    thousands of digits it cannot read as one (Python's int() refuses past 4,300 digits)."""
    if not query_string:
        return query_string

    def too_long(name: str, value: str) -> bool:
        return name == "_ttl" and not (
            value.isascii() and value.isdigit() and len(value) <= 10 and int(value) <= site_ttl
        )

    return ADDRESSES.without_parts(query_string, too_long)


def with_names_as_datasette_writes_them(scope: dict, base_url: str, databases) -> dict:
    """The scope with a table's or ready-made query's names (`/DATABASE/NAME.FORMAT`), or a row's names and keys
    (`/DATABASE/TABLE/KEYS.FORMAT`), tilde-encoded as Datasette writes them (`/public/~73earch` is `/public/search`,
    `/public/cl~61ims/7` claim 7's page), so every spelling reaches the same route and the plugins that know a page
    by its address (page_cache.py, query_limits.py, bad_input.py's withdrawn rows) know it; a `~2E` stays one, so a
    name keeps its dot. Any other address, one of a database the site does not serve (a static file's), or one
    with a percent-escape (Datasette redirects those to their tilde spelling), as it is."""
    routed = ADDRESSES.routed_path(scope, base_url)
    if "~" not in routed or "%" in routed:
        return scope
    match = ADDRESSES.TABLE_ROUTE.match(routed) or ADDRESSES.ROW_ROUTE.match(routed)
    if not match or tilde_decode(match.group(1)) not in databases:
        return scope
    names = [tilde_encode(tilde_decode(name)) for name in match.groups()[:2]]
    if match.re is ADDRESSES.ROW_ROUTE:  # each key of a compound one on its own, as Datasette splits them
        names.append(",".join(tilde_encode(tilde_decode(key)) for key in match.group(3).split(",")))
    written = "/" + "/".join(names) + routed[match.end(match.lastindex) :]
    if written == routed:
        return scope
    path = base_url.rstrip("/") + written
    return {**scope, "path": path, "raw_path": path.encode("latin-1")}


def not_a_file_name(path: str) -> bool:
    """A static file's address no disk can hold: a name longer than NAME_MAX bytes, or a path longer than PATH_MAX.
    Datasette looks such a file up as asked, and the disk's "File name too long" was a 500 with a traceback."""
    if not path.startswith(STATIC_PREFIXES):
        return False
    encoded = path.encode("utf-8", "surrogatepass")
    return len(encoded) > PATH_MAX or any(len(name) > NAME_MAX for name in encoded.split(b"/"))


def search_too_long(request: TableRequest, most: int) -> str | None:
    """What a request whose search passes `most` characters (0: no count), or SEARCH_ADDRESS_CHARS as an address
    writes it, is told (the module's docstring says why), else None: a table's `_search` or `_search_COLUMN`, a
    ready-made query's `q`, read as Datasette reads them (decoded), and written as the site writes them back."""
    for name, value in request.params:
        if not (name == QUERY_SEARCH if request.ready_made else is_search(name)):
            continue
        if 0 < most < len(value):
            return f"A search is at most {most:,} characters (this one has {len(value):,}): search for fewer words."
        written = len(quote_plus(value))
        if written > SEARCH_ADDRESS_CHARS:
            return (
                f"A search is at most {SEARCH_ADDRESS_CHARS:,} characters as an address writes it, where a Chinese "
                f"character takes 9 and an emoji 12 (this one takes {written:,}): search for fewer words."
            )
    return None


async def refuse_as_asked(
    datasette, scope: dict, receive, send, path: str, status: int, message: str, title: str
) -> None:
    """`refuse`, or to a browser asking for a page (addresses.py's wants_page) the site's error page headed `title`,
    saying `message`: a reader who typed into a search box reads a page, not a line of JSON."""
    if not ADDRESSES.wants_page(scope, path):
        await refuse(send, status, message)
        return
    page = await ADDRESSES.refusal_page(datasette, scope, receive, status, title, message)
    await send(
        {"type": "http.response.start", "status": status, "headers": [(b"content-type", b"text/html; charset=utf-8")]}
    )
    await send({"type": "http.response.body", "body": page.encode()})


def is_introspection(path: str) -> bool:
    return path.startswith("/-/") and not path.startswith(OPEN_INTERNALS) or path == "/-"


# Datasette's name for sql_functions.py once loaded from --plugins-dir: the words of a search as the index reads them.
SEARCH_RULE_PLUGIN = "sql_functions.py"


def search_rule():
    """sql_functions.py as Datasette loaded it (its tokenizer's answer asked once as the site starts), or a copy
    loaded by its path where Datasette has none."""
    return pm.get_plugin(SEARCH_RULE_PLUGIN) or load_beside(SEARCH_RULE_PLUGIN)


@hookimpl
def asgi_wrapper(datasette):
    config = datasette.plugin_config(CONFIG) or {}
    site = Site(config.get("public_url"), config.get("public_hosts"))
    words = search_rule()
    cells = HTML_CELLS.html_cells(datasette)
    most_searched = HTML_CELLS.setting(datasette, "search_chars", DEFAULT_SEARCH_CHARS)

    def wrap(app):
        async def guarded(scope, receive, send):
            if scope.get("type") != "http":
                await app(scope, receive, send)
                return
            path = scope.get("path", "")
            base = datasette.setting("base_url").rstrip("/")
            if base and path.startswith(base):
                path = path[len(base) :] or "/"
            if scope.get("method") not in READ_METHODS:
                await refuse(
                    send,
                    405,
                    "The public site is read-only: use GET.",
                    [(b"allow", ", ".join(READ_METHODS).encode())],
                )
                return
            if is_introspection(path) or "\\" in path or path.startswith("//") or not_a_file_name(path):
                await refuse(send, 404, "Not found.")
                return
            if scope.get("method") == "OPTIONS":
                await preflight(send, datasette.cors)
                return
            if scope.get("query_string", b"").count(b"&") >= MAX_PARAMETERS:
                await refuse(send, 414, f"That address has too many parts: at most {MAX_PARAMETERS} parameters.")
                return
            if len(scope.get("query_string", b"")) > MAX_QUERY_STRING:
                await refuse(send, 414, f"That address is too long: at most {MAX_QUERY_STRING:,} characters after ?.")
                return
            query_string = within_site_ttl(scope.get("query_string", b""), datasette.setting("default_cache_ttl"))
            if query_string != scope.get("query_string", b""):
                scope = {**scope, "query_string": query_string}
            scope = with_names_as_datasette_writes_them(scope, datasette.setting("base_url"), datasette.databases)
            routed = ADDRESSES.routed_path(scope, datasette.setting("base_url"))
            request = TableRequest.read(datasette, routed, scope.get("query_string", b""))
            if request is not None:
                request = without_empty_searches(without_repeated_facets(without_unread_parameters(request)))
                request = with_each_search_word_once(request, words)
                too_long = search_too_long(request, most_searched)
                if too_long:
                    title = "That search is too long"
                    await refuse_as_asked(datasette, scope, receive, send, path, 400, too_long, title)
                    return
                problem = (
                    await table_page_problem(request)
                    or await sorted_stream_problem(request)
                    or await matched_stream_problem(request)
                )
                if problem:
                    await refuse(send, *problem)
                    return
                request = await stream_read_whole_pages(request)
                asked = request
                request, cut = await html_page_within_cells(request, cells)
                if request.query_string != scope.get("query_string", b""):
                    scope = {**scope, "query_string": request.query_string}
                if cut:
                    said = HTML_CELLS.note({**scope, "query_string": asked.query_string}, cells)
                    HTML_CELLS.say_cut(said, *cut, whole=False)
                    scope = {**scope, HTML_CELLS.SCOPE_KEY: said}
            await app(site.rewrite(scope), receive, send)

        return guarded

    return wrap
