"""The feeds a web page names for itself: <link rel="alternate" type="application/rss+xml" href="...">.

Reporters add an outlet's section page ("https://example.org/technology")
where a feed is wanted; the page usually names its feed in its head, the way
browsers and feed readers find it. Pure functions: no network.
"""

from __future__ import annotations

import lxml.etree
import lxml.html

from scrapers.urls import is_http_url, join_url

FEED_TYPES = frozenset({"application/rss+xml", "application/atom+xml", "application/rdf+xml"})  # JSON Feed: not read
HEAD_BYTES = 512 * 1024  # a page's head comes first; its body is not read for this
MAX_LINKS = 20


def feed_links(data: bytes, url: str) -> list[str]:
    """The absolute http(s) addresses of the RSS and Atom feeds the page declares, in its order, without repeats."""
    try:
        tree = lxml.html.document_fromstring(data[:HEAD_BYTES])
    except (lxml.etree.ParserError, ValueError):
        return []
    found: list[str] = []
    for link in tree.iter("link"):
        rel = (link.get("rel") or "").lower().split()
        kind = (link.get("type") or "").lower().split(";")[0].strip()
        if "alternate" not in rel or kind not in FEED_TYPES:
            continue
        address = join_url(url, (link.get("href") or "").strip())
        if address and is_http_url(address) and address not in found:
            found.append(address)
        if len(found) >= MAX_LINKS:
            break
    return found
