"""An organisation's newsroom or press page: listing bytes in, statement URLs out.

Pure: no network, no database. The scrape loop fetches the listing and each
statement with the one polite client and stores the statements.
"""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import urlsplit

import re2

from scrapers.article import decode_html, parse_tree
from scrapers.http.guard import shorten
from scrapers.notpage import NOT_FOUND, NotThePage
from scrapers.records import ParseError
from scrapers.urls import canonical_url, is_http_url, join_url

MAX_LINKS = 200
# Links to other pages below an address that make it an index of them (a newsroom's year, a section front):
# an article links one or two pages below its own address (its comments, its print view), an index many.
INDEX_LINKS = 3
_RE2_OPTIONS = re2.Options()
_RE2_OPTIONS.log_errors = False  # a refused pattern is our message to the reporter, not a line on stderr


def link_pattern(pattern: str) -> re2._Regexp:
    """A statement source's link pattern, compiled by RE2: matching takes time linear in the URL.

    Python's `re` backtracks: `(a+)+$` took 2.4 s on one 24-character link,
    and each extra character doubles it, so a reporter's pattern could stall
    every scrape. RE2 has no backtracking, and so no backreferences or
    lookaround; such a pattern is refused (ValueError) with RE2's reason.
    """
    try:
        return re2.compile(pattern, _RE2_OPTIONS)
    except re2.error as e:
        reason = e.args[0].decode("utf-8", "replace") if e.args and isinstance(e.args[0], bytes) else str(e)
        raise ValueError(reason) from None


def statement_links(data: bytes, url: str, pattern: str | None = None, charset: str | None = None) -> list[str]:
    """Absolute, canonical statement URLs linked from a listing page, in page order, without repeats.

    With a pattern (a regular expression searched in the absolute URL) only
    matching links are kept. Without one, links on the same site under the
    listing's own path are: /newsroom/ lists /newsroom/2026/acme-statement.
    The listing itself, fragments and non-web links are never statements.
    """
    tree = parse_tree(decode_html(data, charset))  # the article reader's: XHTML declarations, broken markup
    if tree is None:
        raise ParseError("the listing page is empty or not HTML")
    base = url
    for href in tree.xpath("//base/@href")[:1]:
        base = join_url(url, href.strip()) or url
    matcher = link_pattern(pattern) if pattern else None
    listing = canonical_url(url)
    found: list[str] = []
    seen = {listing}
    for href in tree.xpath("//a/@href"):
        href = href.strip()
        if not href or href.startswith("#"):
            continue
        absolute = join_url(base, href)
        if not is_http_url(absolute):
            continue
        if matcher is not None:
            if not matcher.search(absolute):
                continue
        elif not _under(absolute, url):
            continue
        try:
            link = canonical_url(absolute)
        except ValueError:
            continue
        if link not in seen:
            seen.add(link)
            found.append(link)
        if len(found) >= MAX_LINKS:
            break
    return found


def _under(link: str, listing: str) -> bool:
    a, b = urlsplit(link), urlsplit(listing)
    if (a.hostname or "").lower() != (b.hostname or "").lower():
        return False
    prefix = b.path if b.path.endswith("/") else b.path.rsplit("/", 1)[0] + "/"
    return a.path.startswith(prefix) and a.path.rstrip("/") != b.path.rstrip("/")


def listing_instead(
    asked: str, url: str, data: bytes, charset: str | None = None, listings: Iterable[str] = ()
) -> NotThePage | None:
    """The page asked for now redirects to a listing of pages instead of itself: how newsrooms retire a statement.

    A listing is one of `listings` (the addresses the item's source reads: its newsroom's listing), or an
    address above the one asked for (`/newsroom/` or `/newsroom/2026/` for `/newsroom/2026/recall.html`)
    whose page links at least INDEX_LINKS other pages below it. An address above that is a page of its
    own (a slug dropped, `/news/123/old-title` to `/news/123`) is the page moved, not a listing. Judged only
    when the answer came from somewhere else than the address asked (after redirects); a site's home page is
    scrapers.notpage's. Never raises.
    """
    try:
        asked_key, final_key = canonical_url(asked), canonical_url(url)
        known = {canonical_url(listing).rstrip("/") for listing in listings if is_http_url(listing)}
    except ValueError:
        return None
    if asked_key.rstrip("/") == final_key.rstrip("/"):
        return None
    what = f"a redirect to a listing of its site's pages ({shorten(url)})"
    if final_key.rstrip("/") in known:  # "/newsroom" sent on to "/newsroom/" is the same listing
        return NotThePage(NOT_FOUND, what, asked)
    above, below = urlsplit(final_key), urlsplit(asked_key)
    folder = above.path.rstrip("/") + "/"
    if above.netloc != below.netloc or above.query or not below.path.startswith(folder):
        return None
    try:
        tree = parse_tree(decode_html(data, charset))
    except (ParseError, LookupError, ValueError):
        return None
    if tree is None:
        return None
    linked = set()
    for href in tree.xpath("//a/@href"):
        link = join_url(url, href.strip())
        try:
            key = canonical_url(link) if link and is_http_url(link) else None
        except ValueError:
            continue
        if key is None or key in (asked_key, final_key):
            continue
        parts = urlsplit(key)
        if parts.netloc == above.netloc and parts.path.startswith(folder) and parts.path.rstrip("/") != folder[:-1]:
            linked.add(key)
        if len(linked) >= INDEX_LINKS:
            return NotThePage(NOT_FOUND, what, asked)
    return None
