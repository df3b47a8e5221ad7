"""The magic parameter `:_site_url`: the site's address, for absolute links in the Atom feed.

Built from the request's scheme and Host, which request_guard.py has already
replaced with the configured site (TRACKER_PUBLIC_URL or a listed host), so
a client cannot put its own host into our links.

Loaded by Datasette from --plugins-dir as a bare module, so it imports
nothing from `tracker`.
"""

from __future__ import annotations

from datasette import hookimpl


def site_url(datasette, request) -> str:
    """The site's address without a trailing slash."""
    return datasette.absolute_url(request, datasette.urls.path("/")).rstrip("/")


@hookimpl
def register_magic_parameters(datasette):
    def site(key, request):
        if key != "url":
            raise KeyError(key)
        return site_url(datasette, request)

    return [("site", site)]
