"""An organisation's newsroom or press page: listing bytes in, statement URLs out.

Pure: no network, no database. The scrape loop fetches the listing and each
statement with the one polite client and stores the statements.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import re2

from scrapers.article import decode_html, parse_tree
from scrapers.records import ParseError
from scrapers.urls import canonical_url, is_http_url, join_url

MAX_LINKS = 200
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
