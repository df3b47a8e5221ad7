"""The feeds a web page names for itself: <link rel="alternate" type="application/rss+xml" href="...">.

Reporters add an outlet's section page ("https://example.org/technology")
where a feed is wanted; the page usually names its feed in its head, the way
browsers and feed readers find it. Pure functions: no network.

A page naming both an RSS or Atom feed and a JSON Feed lists the same
stories in each; the XML one is named first, whatever the page's order,
because a malformed XML feed still gives its entries up to the error where
one slip in a JSON document loses every item.
"""

from __future__ import annotations

import lxml.etree
import lxml.html

from scrapers.urls import is_http_url, join_url

FEED_TYPES = frozenset({"application/rss+xml", "application/atom+xml", "application/rdf+xml"})
JSON_FEED_TYPE = "application/feed+json"
# JSON Feed 1.0 named its type application/json, which WordPress also gives its REST API on every page:
# such a link is taken for a feed only when its title or address says so.
OLD_JSON_FEED_TYPE = "application/json"
HEAD_BYTES = 512 * 1024  # a page's head comes first; its body is not read for this
MAX_LINKS = 20


def feed_links(data: bytes, url: str) -> list[str]:
    """The absolute http(s) addresses of the feeds the page declares, without repeats: RSS and Atom, then JSON Feeds.

    Each kind in the page's order.
    """
    try:
        tree = lxml.html.document_fromstring(data[:HEAD_BYTES])
    except (lxml.etree.ParserError, ValueError):
        return []
    xml: list[str] = []
    json_feeds: list[str] = []
    for link in tree.iter("link"):
        rel = (link.get("rel") or "").lower().split()
        kind = (link.get("type") or "").lower().split(";")[0].strip()
        href = (link.get("href") or "").strip()
        if "alternate" not in rel:
            continue
        if kind in FEED_TYPES:
            found = xml
        elif kind == JSON_FEED_TYPE or (
            kind == OLD_JSON_FEED_TYPE and "feed" in f"{link.get('title') or ''} {href}".lower()
        ):
            found = json_feeds
        else:
            continue
        address = join_url(url, href)
        if address and is_http_url(address) and address not in xml + json_feeds:
            found.append(address)
        if len(xml) + len(json_feeds) >= MAX_LINKS:
            break
    return xml + json_feeds
