"""When the page was published and last modified, searched for in the page.

Structured fields first, then the URL, then htmldate and the date written on
the page; a written date also corrects a UTC timestamp that names the wrong
day for the outlet's readers. Reading date strings is `scrapers.article.dates`' job.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from itertools import islice

import lxml.etree
from lxml.html import HtmlElement

from scrapers.article.dates import date_in_text, date_in_url, normalise_date
from scrapers.article.structured import Sources
from scrapers.article.tree import first_headline, following, is_comment_block


def find_published(src: Sources, base: str | None) -> str | None:
    for value in (
        src.ld("datePublished"),
        src.ld("dateCreated"),
        src.first_meta(
            "article:published_time",
            "og:article:published_time",
            "og:published_time",
            "datepublished",
            "article.published",
            "published_time",
            "publish-date",
            "publishdate",
            "pubdate",
            "parsely-pub-date",
            "sailthru.date",
            "dc.date.issued",
            "dcterms.issued",
            "dc.date",
            "dcterms.date",
            "dc.date.created",
            "dcterms.created",
            "citation_publication_date",
            "citation_date",
            "date",
            "article:published",
            "release_date",
        ),
        src.ld("datePublished", src.pages),
        _microdata_date(src.tree, "datePublished"),
        _time_element(src.tree),
    ):
        iso = normalise_date(value)
        if iso:
            return _local_day(iso, src.tree)
    from_url = date_in_url(base)
    if from_url:
        return from_url
    return _htmldate(src.tree, base) or _visible_date(src.tree)


def _local_day(iso: str, tree: HtmlElement) -> str:
    """A UTC timestamp near midnight names the wrong day for the outlet's readers.

    When the page writes a date one day off the UTC one, the written date is the
    one its readers saw; keep the timestamp otherwise.
    """
    if len(iso) <= 10 or not (iso.endswith("Z") or re.search(r"T\d\d:\d\d:\d\d$", iso)):
        return iso
    written = _visible_date(tree) or _htmldate(tree, None)
    if not written or written == iso[:10]:
        return iso
    delta = abs((datetime.fromisoformat(written) - datetime.fromisoformat(iso[:10])).days)
    return written if delta == 1 else iso


def find_modified(src: Sources) -> str | None:
    for value in (
        src.ld("dateModified"),
        src.first_meta(
            "article:modified_time",
            "og:updated_time",
            "datemodified",
            "last-modified",
            "dc.date.modified",
            "dcterms.modified",
            "article.updated",
            "lastmod",
        ),
        _microdata_date(src.tree, "dateModified"),
    ):
        iso = normalise_date(value)
        if iso:
            return iso
    return None


def _microdata_date(tree: HtmlElement, prop: str) -> str | None:
    for el in tree.xpath(f"//*[@itemprop='{prop}'][not(self::meta)]"):
        value = el.get("datetime") or el.get("content") or el.text_content()
        if value and value.strip():
            return value
    return None


def _time_element(tree: HtmlElement) -> str | None:
    """The first <time> in the article (or the page), skipping comments and related lists."""
    scopes = tree.xpath("//article") or [tree]
    for scope in scopes[:1]:
        for el in scope.iter("time"):
            if any(is_comment_block(a) for a in el.iterancestors()):
                continue
            value = el.get("datetime") or el.text_content()
            if value and value.strip():
                return value
    return None


def _htmldate(tree: HtmlElement, url: str | None) -> str | None:
    """The last resort: htmldate's search of the whole page (the same as trafilatura's)."""
    try:
        from htmldate import find_date
    except ImportError:  # pragma: no cover - installed with trafilatura
        return None
    try:
        found = find_date(
            tree,
            url=url,
            original_date=True,
            extensive_search=False,
            max_date=datetime.now(UTC).strftime("%Y-%m-%d"),
        )
    except (ValueError, TypeError, lxml.etree.LxmlError):
        return None
    return normalise_date(found)


DATE_CLASS = re.compile(r"date|time|datum|published|pubdate|meta|byline|dateline|posted", re.I)
_DIGIT = re.compile(r"\d")


def _visible_date(tree: HtmlElement) -> str | None:
    """The first date written on the page: in the article, then after the headline, then anywhere.

    Within each region a date-classed element ('date', 'posted', 'meta') wins
    over a date merely mentioned in the text; starting from the headline skips
    the "today is ..." widgets at the top of many pages.
    """
    body = tree.find("body")
    if body is None:
        return None
    regions: list[list[HtmlElement]] = []
    article = (tree.xpath("//article") or tree.xpath("//main"))[:1]
    if article:
        regions.append(list(article[0].iter(lxml.etree.Element)))
    headline = first_headline(tree)
    if headline is not None:
        regions.append(list(islice(following(headline), 400)))
    regions.append(list(body.iter(lxml.etree.Element)))
    # The regions overlap (the article is in the body): an element that gave no date in one gives none in the next.
    classed: set[HtmlElement] = set()
    texted: set[HtmlElement] = set()
    for elements in regions:
        for el in elements:
            if el in classed:
                continue
            classed.add(el)
            names = f"{el.get('class') or ''} {el.get('id') or ''}"
            if names.strip() and DATE_CLASS.search(names) and len(el.text_content()) < 200:
                found = date_in_text(el.text_content())
                if found:
                    return found
        for el in elements:
            if el in texted or el.tag in ("script", "style", "nav", "footer", "aside"):
                continue
            texted.add(el)
            for text in (el.text, el.tail):
                found = date_in_text(text) if text and _DIGIT.search(text) else None
                if found:
                    return found
    return None
