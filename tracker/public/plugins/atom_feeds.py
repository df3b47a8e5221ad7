"""An Atom feed that stays valid when there is nothing in it yet, and whatever the text holds.

datasette-atom fails on a query with no rows (max() of nothing); a feed
reader subscribed to a quiet story would see errors. The startup hook wraps
its renderer so an empty result is an empty, valid feed instead. XML cannot
hold most control characters, and text from a PDF carries form feeds: one
published claim or reason with one made the whole feed a 500 for every
subscriber. The feed gets each as a space (the tables keep the text as it
is). Its links
come from the request, whose Host request_guard.py has already made the
site's own.

Atom requires an author for a feed or for each of its entries (RFC 4287
4.1.1), and datasette-atom writes one only from an `atom_author_name`
column: the site's own feeds name the publisher (metadata.yml's
`publisher`) on every entry, and once on an empty feed.

A story's feed (`changes.atom?story=SLUG`, the one its page offers) is
titled with the story's title ("Acme kettles: status changes and
corrections"): datasette-atom titles every feed of a query with the query's
title, so a reader following two stories saw two feeds of one name. Its id
and self link are its own address (the path and `story`), not the address
it was fetched at with whatever tracking parameters that carried.

A visitor's own feed (`/public.atom?sql=`) takes its text as atom_content,
never atom_content_html: datasette-atom cleans that HTML with bleach on the
event loop, and a few hundred kilobytes of nested tags held every reader's
request for minutes. Our own feed (the `changes` query) sends text.

A feed links only to web pages: each `atom_link` and `atom_author_uri` is an
http(s) address or a path of the site's own (`/public/claims/7`), or the feed
is a 400 saying so (`unsafe_link`). A visitor's own feed took any value as an
entry's link, so a `/public.atom?sql=` address anyone could pass on gave feed
readers `javascript:` and `data:` links that run or show what the address's
author wrote, under the site's name. Our own feed's links are built from
`:_site_url` and pass.

Every feed answers a conditional GET, as news sites' feeds do: feed readers
poll every few minutes and send back the `ETag` (a hash of the feed's bytes)
or `Last-Modified` (its newest entry's `updated`) they were given, and get a
304 with no body while the feed is what they have (the renderer sets the two,
`asgi_wrapper` answers 304: Datasette makes every renderer's answer a 200). `If-None-Match`, when
sent, decides alone (RFC 9110 13.2.2): an entry withdrawn changes the bytes
but not the newest date. An empty feed is dated by its story's newest event
(quiet_since), not now, so its bytes stay the same between publishes.

Loaded by Datasette from --plugins-dir as a bare module, so it imports
nothing from `tracker`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import sqlite3
from email.utils import format_datetime, parsedate_to_datetime
from urllib.parse import urlencode, urlsplit
from xml.sax.saxutils import escape as xml_escape

from datasette import hookimpl
from datasette.database import QueryInterrupted
from datasette.utils.asgi import Response
from datasette.views.base import DatasetteError

CONFIG = "newsroom-tracker"
HTML_HELP = (
    "A feed of your own query takes its text as atom_content; atom_content_html is read only in the site's own feeds."
)
# What XML 1.0 cannot hold: control characters but tab, newline and carriage return; surrogates; U+FFFE, U+FFFF.
# An empty feed's `updated` when the site has no event to date it by (quiet_since).
QUIET_SINCE = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
# The longest name a story can have (tracker.stories.SLUG_MAX; a test keeps them in step): a longer `story` names
# none, and is refused before it is looked up or echoed (a 100 KB one went into the feed's id and self link).
STORY_MAX = 80
# The columns datasette-atom makes links of: an entry's link and its author's address.
LINK_COLUMNS = ("atom_link", "atom_author_uri")
LINK_HELP = (
    "A feed's links (atom_link, atom_author_uri) are http(s) addresses or this site's own paths (starting with one /): "
    "row {row} has another."
)
NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def is_web_link(value) -> bool:
    """Is `value` an http(s) address with a host, or a path of the site's own (one `/`, then no `/`, and no
    backslash, which a browser reads as another host's `//`)? urlsplit drops tabs and newlines and lowercases the
    scheme, as browsers do (`java` TAB `script:`, `JavaScript:`); a leading space or control character is no path
    and no scheme of ours."""
    if not isinstance(value, str) or not value or value != value.strip() or "\\" in value:
        return False
    parts = urlsplit(value)
    if parts.scheme:
        return parts.scheme in ("http", "https") and bool(parts.netloc)
    return not parts.netloc and parts.path.startswith("/") and not parts.path.startswith("//")


def unsafe_link(columns, rows) -> int | None:
    """The number (from 1) of the first row whose link columns hold anything but a web link (is_web_link); None
    when every one is. An empty author address is none at all (datasette-atom leaves it out)."""
    links = [column for column in LINK_COLUMNS if column in columns]
    for number, row in enumerate(rows, 1):
        for column in links:
            value = row[column]
            if column == "atom_author_uri" and value in (None, ""):
                continue
            if not is_web_link(value):
                return number
    return None


def xml_safe(value):
    """A string with what XML cannot hold made a space; anything else as it is."""
    return NOT_XML.sub(" ", value) if isinstance(value, str) else value


@hookimpl
def startup(datasette):
    atom = datasette.renderers.get("atom")
    if atom and not getattr(atom[0], "_tracker_wrapped", False):
        datasette.renderers["atom"] = (even_when_empty(atom[0]), atom[1])


def even_when_empty(render):
    async def render_atom(datasette, request, sql, columns, rows, database, table, query_name, view_name, data):
        if "atom_content_html" in columns and not query_name:
            raise DatasetteError(HTML_HELP, status=400)
        refused = unsafe_link(columns, rows)
        if refused is not None:
            raise DatasetteError(LINK_HELP.format(row=refused), status=400)
        publisher = str((datasette.plugin_config(CONFIG) or {}).get("publisher") or "") if query_name else ""
        author = {"atom_author_name": publisher} if publisher and "atom_author_name" not in columns else {}
        title = query_name or table or "Feed"
        if query_name:
            title = ((datasette.metadata(database=database) or {}).get("queries") or {}).get(query_name, {}).get(
                "title"
            ) or title
        named = await named_story(datasette, database, request.args.get("story")) if query_name else None
        if query_name:
            request = AtItsOwnAddress(request)
        if rows:
            response = render(
                datasette=datasette,
                request=request,
                sql=sql,
                columns=[*columns, *author],
                rows=[{**{column: xml_safe(row[column]) for column in columns}, **author} for row in rows],
                database=database,
                table=table,
                query_name=query_name,
                view_name=view_name,
                data=data,
            )
            if named:
                body = response.body.decode("utf-8") if isinstance(response.body, bytes) else response.body
                old, new = (f"<title>{xml_escape(t)}</title>" for t in (title, story_feed_title(named, title)))
                response.body = body.replace(old, new, 1).encode("utf-8")
            newest = max((when for when in map(instant, (row["atom_updated"] for row in rows)) if when), default=None)
            return with_validators(response, newest)
        if named:
            title = story_feed_title(named, title)
        since = await quiet_since(datasette, database, request.args.get("story") if named else None)
        updated = since.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        url = xml_escape(request.url, {'"': "&quot;"})
        body = (
            "<?xml version='1.0' encoding='UTF-8'?>\n"
            '<feed xmlns="http://www.w3.org/2005/Atom">'
            f"<id>{url}</id><title>{xml_escape(str(title))}</title><updated>{updated}</updated>"
            f'<link href="{url}" rel="self"/><generator uri="https://datasette.io/">Datasette</generator>'
            + (f"<author><name>{xml_escape(publisher)}</name></author>" if publisher else "")
            + "</feed>\n"
        )
        return with_validators(Response(body, content_type="application/xml; charset=utf-8"), None)

    render_atom._tracker_wrapped = True
    return render_atom


class AtItsOwnAddress:
    """The request as datasette-atom reads it, its `url` the feed's own address: the site's, the path and the story,
    nothing else. datasette-atom makes the feed's id and self link of the address it was fetched at, so the feed
    linked with `?utm_source=newsletter` or `&r=1` had an id of its own (RFC 4287: a feed's id is permanent)."""

    def __init__(self, request) -> None:
        self._request = request
        story = request.args.get("story")
        query = "?" + urlencode({"story": story}) if story else ""
        self.url = f"{request.scheme}://{request.host}{request.path}{query}"

    def __getattr__(self, name: str):
        return getattr(self._request, name)


def story_feed_title(story: str, title: str) -> str:
    """The title of a story's feed: "Acme kettles: status changes and corrections"."""
    return f"{story}: {title[:1].lower()}{title[1:]}"


async def named_story(datasette, database: str, slug: str | None) -> str | None:
    """The title of the story a feed's `story` names, None when it names none (every story's feed); a 400 for a name
    longer than a story's, a 404 for one no published story has, as TimelineJS answers (a 200 was an empty feed
    titled as every story's, to subscribe to forever)."""
    if not slug:
        return None
    if len(slug) > STORY_MAX:
        raise DatasetteError(
            f"A story's name is at most {STORY_MAX} characters; this one has {len(slug):,}.", status=400
        )
    title = await story_title(datasette, database, slug)
    if title is None:
        raise DatasetteError("No published story by that name: the front page lists the stories we follow.", status=404)
    return title


async def story_title(datasette, database: str, slug: str | None) -> str | None:
    """The title of the published story `slug` names, or None."""
    if not slug:
        return None
    found = await datasette.get_database(database).execute("select title from stories where slug = ?", [slug])
    return str(found.rows[0][0]) if found.rows else None


async def quiet_since(datasette, database: str, slug: str | None) -> dt.datetime:
    """An empty feed's `updated`: the newest event of the story `slug` names (of every story when it names none),
    or QUIET_SINCE when there is none. Dated now, the empty feed's bytes and ETag changed every second and a feed
    reader polling a quiet story never got a 304; this changes only when a publish does."""
    sql = "select last_event_at from stories" + (" where slug = ?" if slug else "")
    try:
        found = await datasette.get_database(database).execute(sql, [slug] if slug else [])
    except (sqlite3.Error, QueryInterrupted):  # a database without stories (a visitor's own feed elsewhere)
        return QUIET_SINCE
    # A date alone (the newest event's source gave only its day) is that day's midnight in UTC.
    dates = [
        when for when in (instant(f"{v}T00:00:00+00:00" if len(str(v)) == 10 else v) for (v,) in found.rows) if when
    ]
    return max(dates, default=QUIET_SINCE)


def instant(value) -> dt.datetime | None:
    """An entry's `updated` as an aware datetime, or None when it is not one (a visitor's own feed holds anything)."""
    try:
        when = dt.datetime.fromisoformat(str(value))
    except ValueError:
        return None
    return when if when.tzinfo else None


def with_validators(response: Response, newest: dt.datetime | None) -> Response:
    """The feed with its ETag (a hash of its bytes) and, when it has entries, Last-Modified (the newest's time)."""
    body = response.body if isinstance(response.body, bytes) else str(response.body).encode("utf-8")
    response.headers["etag"] = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
    if newest is not None:
        response.headers["last-modified"] = format_datetime(
            newest.astimezone(dt.UTC).replace(microsecond=0), usegmt=True
        )
    return response


def not_modified(asked: dict[str, str], given: dict[str, str]) -> bool:
    """Whether the reader's copy is current: its If-None-Match names the feed's ETag, or, sent alone, its
    If-Modified-Since is no earlier than the feed's Last-Modified."""
    etag = given.get("etag")
    if etag is None:
        return False
    if "if-none-match" in asked:
        tags = [tag.strip().removeprefix("W/") for tag in asked["if-none-match"].split(",")]
        return "*" in tags or etag in tags
    if "if-modified-since" not in asked or "last-modified" not in given:
        return False
    try:
        held, newest = (
            parsedate_to_datetime(asked["if-modified-since"]),
            parsedate_to_datetime(given["last-modified"]),
        )
    except (TypeError, ValueError):
        return False
    return held.tzinfo is not None and newest <= held


@hookimpl
def asgi_wrapper(datasette):
    """A feed the reader already holds is answered 304 with no body. Datasette sets the status of whatever a
    renderer returns to 200, so the renderer only sets the validators and this wrapper compares them."""

    def wrap(app):
        async def conditional_feed(scope, receive, send):
            if scope.get("type") != "http" or not scope.get("path", "").endswith(".atom"):
                await app(scope, receive, send)
                return
            asked = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
            held: list[bool] = []

            async def send_conditional(message):
                if message["type"] == "http.response.start":
                    headers = message.get("headers", [])
                    given = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in headers}
                    if message.get("status") == 200 and not_modified(asked, given):
                        held.append(True)
                        kept = [(k, v) for k, v in headers if k.lower() not in (b"content-length", b"content-type")]
                        await send({**message, "status": 304, "headers": kept})
                        await send({"type": "http.response.body", "body": b""})
                        return
                if held:
                    return
                await send(message)

            await app(scope, receive, send_conditional)

        return conditional_feed

    return wrap
