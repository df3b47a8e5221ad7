"""The search query's page (`/public/search`) sends a reader to the timeline's search, with the words and story.

Datasette showed readers the `search` query as its own query page: the SQL
as the page's title, a form of parameter names and a table of stored values
(`found_in`, `unreviewed`, matches marked ⟦like this⟧). The timeline is the
site's designed search: one box first, the claims and quotes matching every
word as cards with their status in colour and in words, no script, read on a
phone and from the keyboard, every asset the site's own. So the query's page
is a redirect there (a 302: the page is the timeline's to design), keeping
`q` and `story` (one too long for a `Location` a proxy holds is a 400 of one
line); its JSON and CSV (`search.json`, `search.csv`), which
programs read, are Datasette's as before. Every spelling of the name reaches
this route (`/public/~73earch`): request_guard.py writes names as Datasette
writes them before anything routes a request. A CORS preflight never gets here
(request_guard.py answers every one): redirected, a browser would fail it.

Loaded by Datasette from --plugins-dir as a bare module: Datasette only.
"""

from __future__ import annotations

import re
from urllib.parse import urlencode

from datasette import hookimpl
from datasette.utils.asgi import Response

SEARCH_PATH = "/public/search"
TIMELINE_PATH = "/public/timeline"
# The search query's parameters the timeline reads alike: the words, and the story they are searched in.
KEPT = ("q", "story")
# The longest `Location` sent: the longest search taken (request_guard.py's SEARCH_ADDRESS_CHARS, 3,000) and a
# story's name, with the other headers within the 4 KB a proxy holds (as security_headers.py's MAX_LINK_HEADER).
MAX_LOCATION = 3500


async def _to_the_timeline(datasette, request):
    """A redirect to the timeline's search, or a 400 of one line for one too long to pass on: a `story` of
    kilobytes (no search bound holds it) made a `Location` past what a proxy holds, and the redirect failed there."""
    kept = [(name, request.args.get(name)) for name in KEPT if request.args.get(name)]
    location = datasette.urls.path(TIMELINE_PATH) + ("?" + urlencode(kept) if kept else "")
    if len(location) > MAX_LOCATION:
        error = f"That search is too long to pass on to the timeline (at most {MAX_LOCATION:,} characters)."
        return Response.json({"ok": False, "error": error, "status": 400}, status=400)
    return Response.redirect(location)


@hookimpl
def register_routes():
    return [(r"^" + re.escape(SEARCH_PATH) + r"$", _to_the_timeline)]
