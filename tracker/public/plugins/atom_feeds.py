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
title, so a reader following two stories saw two feeds of one name.

A visitor's own feed (`/public.atom?sql=`) takes its text as atom_content,
never atom_content_html: datasette-atom cleans that HTML with bleach on the
event loop, and a few hundred kilobytes of nested tags held every reader's
request for minutes. Our own feed (the `changes` query) sends text.

Loaded by Datasette from --plugins-dir as a bare module, so it imports
nothing from `tracker`.
"""

from __future__ import annotations

import datetime as dt
import re
from xml.sax.saxutils import escape as xml_escape

from datasette import hookimpl
from datasette.utils.asgi import Response
from datasette.views.base import DatasetteError

CONFIG = "newsroom-tracker"
HTML_HELP = (
    "A feed of your own query takes its text as atom_content; atom_content_html is read only in the site's own feeds."
)
# What XML 1.0 cannot hold: control characters but tab, newline and carriage return; surrogates; U+FFFE, U+FFFF.
NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


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
        publisher = str((datasette.plugin_config(CONFIG) or {}).get("publisher") or "") if query_name else ""
        author = {"atom_author_name": publisher} if publisher and "atom_author_name" not in columns else {}
        title = query_name or table or "Feed"
        if query_name:
            title = ((datasette.metadata(database=database) or {}).get("queries") or {}).get(query_name, {}).get(
                "title"
            ) or title
        named = await story_title(datasette, database, request.args.get("story")) if query_name else None
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
            return response
        if named:
            title = story_feed_title(named, title)
        now = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        url = xml_escape(request.url, {'"': "&quot;"})
        body = (
            "<?xml version='1.0' encoding='UTF-8'?>\n"
            '<feed xmlns="http://www.w3.org/2005/Atom">'
            f"<id>{url}</id><title>{xml_escape(str(title))}</title><updated>{now}</updated>"
            f'<link href="{url}" rel="self"/><generator uri="https://datasette.io/">Datasette</generator>'
            + (f"<author><name>{xml_escape(publisher)}</name></author>" if publisher else "")
            + "</feed>\n"
        )
        return Response(body, content_type="application/xml; charset=utf-8")

    render_atom._tracker_wrapped = True
    return render_atom


def story_feed_title(story: str, title: str) -> str:
    """The title of a story's feed: "Acme kettles: status changes and corrections"."""
    return f"{story}: {title[:1].lower()}{title[1:]}"


async def story_title(datasette, database: str, slug: str | None) -> str | None:
    """The title of the published story `slug` names, or None."""
    if not slug:
        return None
    found = await datasette.get_database(database).execute("select title from stories where slug = ?", [slug])
    return str(found.rows[0][0]) if found.rows else None
