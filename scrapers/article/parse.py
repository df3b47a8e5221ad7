"""Article pages: bytes in, metadata and main text out.

Metadata comes first from what publishers put there for machines (JSON-LD,
OpenGraph, meta tags, microdata), then from the visible page (the <h1>, the
byline, a written date), because the structured fields are more reliable than
layout guesses but often carry an outlet suffix, a kicker or a UTC date the
reader never sees. JSON-LD outranks OpenGraph, which outranks plain meta tags;
a visible headline wins when one of them confirms it.

This module assembles the Article (the package re-exports its entry point); the
parts live beside it: charset (bytes to text), structured and jsonld (what the
page says for machines), titles, bylines, pagedates and dates (the metadata
fields), maintext and boilerplate (the story's text), cleaning and tree (helpers
they share).
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import datetime
from urllib.parse import urlsplit

import lxml.etree
import lxml.html
from lxml.html import HtmlElement

from scrapers.article import datechoice
from scrapers.article.bylines import find_byline
from scrapers.article.charset import decode_html
from scrapers.article.datecandidates import gather
from scrapers.article.jsonld import ld_names, ld_text, ld_types
from scrapers.article.maintext import (
    BLOCKS,
    SHELL_TEXT,
    STRUCTURED_BODY_MIN,
    main_text,
    shell_of,
    structured_body,
    teaser_of,
)
from scrapers.article.structured import Sources
from scrapers.article.titles import bare_host, find_title
from scrapers.article.tree import unwrap
from scrapers.records import LANGUAGE_MAX, OUTLET_MAX, SUMMARY_MAX, TITLE_MAX, Article, shorten
from scrapers.urls import join_url


def parse_article(
    data: bytes | str,
    url: str | None = None,
    charset: str | None = None,
    feed_date: str | None = None,
    fetched_at: datetime | None = None,
) -> Article:
    """Parse an HTML page into an Article. Broken HTML yields what can be read.

    `feed_date` is the publication date of the feed entry that linked to the
    page, when it came from one: a witness for the page's own date.
    `fetched_at` is when the page was fetched, when it was just now: a page
    saying only "vor 3 Stunden" is dated from it, as an approximate date.
    """
    html = data if isinstance(data, str) else decode_html(data, charset)
    article = Article(url=url)
    tree = parse_tree(html)
    if tree is None:
        article.canonical_url = url
        return article
    src = _metadata(tree, article, url, feed_date, fetched_at)
    article.text = main_text(tree, article.title, _descriptions(src))
    body = structured_body(src.ld("articleBody"))
    if len(body) >= STRUCTURED_BODY_MIN and (
        len(article.text) < SHELL_TEXT or teaser_of(article.text, body) or shell_of(article.text, body, article.title)
    ):
        article.text = body  # the story as the page gives it for machines; its markup shows none, a teaser or a frame
    return article


def parse_tree(html: str) -> HtmlElement | None:
    """An lxml tree of any HTML, however broken; None for a page with nothing in it."""
    html = html.lstrip("\ufeff")
    if not html.strip():
        return None
    html = re.sub(r"^\s*<\?xml[^>]*>", "", html)  # lxml refuses str input with an encoding declaration
    try:
        tree = lxml.html.document_fromstring(html, parser=HTML_PARSER)
    except (lxml.etree.ParserError, ValueError):
        try:
            tree = lxml.html.document_fromstring(html.encode("utf-8"), parser=HTML_PARSER_UTF8)
        except (lxml.etree.ParserError, ValueError):
            return None
    _show_shadow_roots(tree)  # before the depth guard, which drops templates
    _flatten_deep(tree)
    return tree


# A <template> with one of these is a declarative shadow root: a web component's markup, rendered on the server,
# that the browser shows in the template's place (`shadowroot` is Chrome's first spelling of it).
SHADOW_ROOT_ATTRIBUTES = ("shadowrootmode", "shadowroot")


def _show_shadow_roots(tree: HtmlElement) -> None:
    """A declarative shadow root's <template> is unwrapped: its markup is what the page shows there.

    Every other <template> is inert (markup a script may copy, never shown) and is dropped with the page's
    scripts; a page that renders its story in a shadow root had lost all of it ("Home News Copyright" was its text).
    The page's own children that the component places in its slots stay where they are, after it.
    """
    unwrap(t for t in tree.iter("template") if any(t.get(name) is not None for name in SHADOW_ROOT_ATTRIBUTES))


MAX_DEPTH = 64  # elements; the deepest page of the extraction corpus nests 32
_AT_MAX_DEPTH = lxml.etree.XPath("/*" * MAX_DEPTH)
_DISCARDED = {"script", "style", "template", "noscript", "iframe", "object", "svg"}


def _flatten_deep(tree: HtmlElement) -> None:
    """Below MAX_DEPTH, elements are unwrapped into their ancestor there: their text stays, their tags go.

    The text extractor's work grows with the number of elements times their
    depth (its fallback builds each element's path): 1 MB of markup nested
    250 deep took 18 s, 10 MB would take minutes of a scrape pass or an
    editor's request, where a flat page of that size takes a second a
    megabyte. No real page nests that deep; one that does is read as text.
    """
    for element in _AT_MAX_DEPTH(tree):
        for inner in list(element.iterdescendants()):
            if not isinstance(inner.tag, str):
                continue
            if inner.tag in _DISCARDED:
                inner.drop_tree()
            else:
                if inner.tag in BLOCKS or inner.tag == "br":
                    inner.tail = "\n" + (inner.tail or "")
                inner.drop_tag()


HTML_PARSER = lxml.html.HTMLParser(remove_comments=True, remove_pis=True, default_doctype=False)
HTML_PARSER_UTF8 = lxml.html.HTMLParser(remove_comments=True, remove_pis=True, default_doctype=False, encoding="utf-8")


def _metadata(
    tree: HtmlElement, article: Article, url: str | None, feed_date: str | None, fetched_at: datetime | None
) -> Sources:
    """Fill the article's metadata; the page's structured sources, read once, for the text's fallback."""
    src = Sources(tree)
    article.canonical_url = _canonical(src, url)
    base = article.canonical_url or url
    article.outlet = shorten(_outlet(src, base), OUTLET_MAX)
    article.title = shorten(find_title(src, article.outlet, base), TITLE_MAX)
    byline = find_byline(src, article.outlet, base)
    article.byline = shorten(byline.byline, TITLE_MAX)
    article.authors = [
        a if len(a.name) <= OUTLET_MAX else replace(a, name=shorten(a.name, OUTLET_MAX)) for a in byline.authors
    ]
    decision = datechoice.choose(gather(src, base, feed_date, fetched_at))
    article.published, article.published_from = decision.published, decision.published_sources
    article.modified, article.modified_from = decision.modified, decision.modified_sources
    article.date_doubts = decision.doubts
    language = src.language()
    article.language = language if language and len(language) <= LANGUAGE_MAX else None
    description = ld_text(src.ld("description")) or src.first_meta("description", "og:description")
    article.description = shorten(description, SUMMARY_MAX)
    return src


def _descriptions(src: Sources) -> list[str]:
    """Every summary the page gives of itself: JSON-LD's, OpenGraph's, Twitter's, the meta tag's.

    They differ (a short one for search results, the standfirst itself for sharing), and any one of
    them said word for word on the page marks the standfirst.
    """
    keys = ("og:description", "twitter:description", "description")
    found = [ld_text(src.ld("description")), *(src.first_meta(key) for key in keys)]
    return list(dict.fromkeys(d for d in found if d))


def _canonical(src: Sources, url: str | None) -> str | None:
    for link in src.tree.iter("link"):
        if "canonical" in (link.get("rel") or "").lower().split() and (link.get("href") or "").strip():
            return _absolute(link.get("href").strip(), url)
    og = src.first_meta("og:url")
    if og:
        return _absolute(og, url)
    main = src.ld("mainEntityOfPage")
    if isinstance(main, dict):
        main = main.get("@id") or main.get("url")
    value = ld_text(src.ld("url")) or ld_text(main)
    if value and value.startswith(("http://", "https://", "/")):
        return _absolute(value, url)
    return url


def _absolute(href: str, base: str | None) -> str | None:
    """href made absolute against base; with no base (a saved file), href itself if it reads as a URL.

    A broken IPv6 host ("http://[oops/") would otherwise become the page's
    address and fail every later step that splits it.
    """
    if base:
        return join_url(base, href) or base
    try:
        urlsplit(href)
    except ValueError:
        return None
    return href


def _outlet(src: Sources, base: str | None) -> str | None:
    publisher = ld_names(src.ld("publisher")) or ld_names(src.ld("publisher", src.pages))
    if not publisher:
        orgs = [i for i in src.ld_items if ld_types(i) & {"organization", "newsmediaorganization", "website"}]
        publisher = ld_names(orgs[0]) if orgs else None
    return (
        publisher
        or src.first_meta("og:site_name", "application-name", "apple-mobile-web-app-title", "publisher", "copyright")
        or (bare_host(base) or None)
    )
