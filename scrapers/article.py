"""Article pages: bytes in, metadata and main text out.

Metadata comes first from what publishers put there for machines (JSON-LD,
OpenGraph, meta tags, microdata), then from the visible page (the <h1>, the
byline, a written date), because the structured fields are more reliable than
layout guesses but often carry an outlet suffix, a kicker or a UTC date the
reader never sees. JSON-LD outranks OpenGraph, which outranks plain meta tags;
a visible headline wins when one of them confirms it.

The main text is trafilatura's (it measured best on the extraction corpus, see
bench/extraction.py), run on a tree from which we first drop what is never the
story: scripts, affiliate and product boxes, related links, share bars and
comments. The standfirst, which extractors tend to drop with the page header,
is put back; a final line filter removes the boilerplate lines that survive any
layout (affiliate disclosures, "Read more:" teasers, subscription prompts).
Pages too small for trafilatura fall back to our own block walk.
"""

from __future__ import annotations

import codecs
import html as htmllib
import json
import re
import unicodedata
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from itertools import islice
from urllib.parse import urljoin, urlsplit

import lxml.etree
import lxml.html
from bs4.dammit import EncodingDetector
from lxml.etree import XPath
from lxml.html import HtmlElement

from scrapers.records import Article, ParseError
from scrapers.sniff import binary_kind

# --------------------------------------------------------------------------- decoding

# WHATWG: these labels mean windows-1252 in practice.
LATIN1_LABELS = {"iso-8859-1", "iso8859-1", "latin-1", "latin1", "l1", "ascii", "us-ascii", "cp819", "iso-ir-100"}
C1_CONTROLS = re.compile("[\x80-\x9f]")


def decode_html(data: bytes, declared: str | None = None) -> str:
    """Bytes to text: a BOM, valid UTF-8, the declared charset, <meta charset>, then sniffing.

    Valid UTF-8 wins over a declaration because mislabelled pages are common
    and non-UTF-8 text with accented letters almost never validates as UTF-8;
    a declaration that decodes to C1 control characters is taken as the
    windows-1252 it almost certainly is.
    """
    if not isinstance(data, bytes | bytearray):
        raise ParseError("expected the page's bytes")
    data = bytes(data)
    kind = binary_kind(data, declared)
    if kind:
        raise ParseError(f"binary content ({kind}), not an HTML page")
    for bom, encoding in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            return data.decode(encoding, errors="replace")
    head = data[:4096]
    if b"\x00" in head:  # UTF-16 without a byte-order mark (binary_kind let it through as text)
        little_endian = head[1::2].count(0) > head[0::2].count(0)
        return data.decode("utf-16-le" if little_endian else "utf-16-be", errors="replace")
    if _control_ratio(head) > 0.1:
        raise ParseError("binary content, not an HTML page")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    mostly = _mostly_utf8(data)
    if mostly is not None:
        return mostly
    candidates = [declared, EncodingDetector.find_declared_encoding(data[:16384], is_html=True)]
    for label in candidates:
        text = _try_decode(data, label)
        if text is not None:
            return text
    sniffed = _sniff(data)
    text = _try_decode(data, sniffed) if sniffed else None
    return text if text is not None else data.decode("cp1252", errors="replace")


def _mostly_utf8(data: bytes) -> str | None:
    """A UTF-8 page with a few stray bytes (a pasted snippet, a truncated character) is still UTF-8."""
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    multibyte = sum(1 for c in text if "\u0080" <= c and c != "\ufffd")
    return text if multibyte >= 5 and bad * 5 <= multibyte else None


def _control_ratio(head: bytes) -> float:
    if not head:
        return 0.0
    controls = sum(1 for b in head if b < 9 or 13 < b < 32)
    return controls / len(head)


def _try_decode(data: bytes, label: str | None) -> str | None:
    if not label:
        return None
    label = label.strip().strip("\"'").lower()
    if label in LATIN1_LABELS:
        label = "cp1252"
    try:
        codec = codecs.lookup(label).name
    except LookupError:
        return None
    if codec in ("utf-8", "utf-16", "utf-32"):
        return None  # already tried (UTF-8), or a label no real page means
    try:
        text = data.decode(codec)
    except UnicodeDecodeError:
        return None
    if codec != "cp1252" and C1_CONTROLS.search(text):
        return _try_decode(data, "cp1252")
    return text


def _sniff(data: bytes) -> str | None:
    """charset_normalizer's guess, except that windows-1252 wins whenever it is about as plausible.

    Short Western pages fit several single-byte code pages equally well, and
    windows-1252 is by far the most common undeclared one (it is the web's default).
    """
    try:
        from charset_normalizer import from_bytes
    except ImportError:  # pragma: no cover - installed with trafilatura
        return None
    matches = list(from_bytes(data[:20000]))
    if not matches:
        return None
    best = min(m.chaos for m in matches)
    for match in matches:
        if match.chaos <= best + 0.05 and {"cp1252", "latin_1"} & set(match.could_be_from_charset):
            return "cp1252"
    return matches[0].encoding


# --------------------------------------------------------------------------- parsing


def parse_article(data: bytes | str, url: str | None = None, charset: str | None = None) -> Article:
    """Parse an HTML page into an Article. Broken HTML yields what can be read."""
    html = data if isinstance(data, str) else decode_html(data, charset)
    article = Article(url=url)
    tree = parse_tree(html)
    if tree is None:
        article.canonical_url = url
        return article
    _metadata(tree, article, url)
    article.text = main_text(tree)
    return article


def parse_tree(html: str) -> HtmlElement | None:
    """An lxml tree of any HTML, however broken; None for a page with nothing in it."""
    html = html.lstrip("\ufeff")
    if not html.strip():
        return None
    html = re.sub(r"^\s*<\?xml[^>]*>", "", html)  # lxml refuses str input with an encoding declaration
    try:
        return lxml.html.document_fromstring(html, parser=HTML_PARSER)
    except (lxml.etree.ParserError, ValueError):
        try:
            return lxml.html.document_fromstring(html.encode("utf-8"), parser=HTML_PARSER_UTF8)
        except (lxml.etree.ParserError, ValueError):
            return None


HTML_PARSER = lxml.html.HTMLParser(remove_comments=True, remove_pis=True, default_doctype=False)
HTML_PARSER_UTF8 = lxml.html.HTMLParser(remove_comments=True, remove_pis=True, default_doctype=False, encoding="utf-8")


# --------------------------------------------------------------------------- metadata

ARTICLE_TYPES = {
    "article",
    "newsarticle",
    "reportagenewsarticle",
    "analysisnewsarticle",
    "opinionnewsarticle",
    "reviewnewsarticle",
    "backgroundnewsarticle",
    "blogposting",
    "liveblogposting",
    "socialmediaposting",
    "discussionforumposting",
    "techarticle",
    "scholarlyarticle",
    "report",
    "pressrelease",
    "review",
    "recipe",
    "howto",
    "creativework",
    "medicalwebpage",
    "qapage",
    "podcastepisode",
    "videoobject",
}
PAGE_TYPES = {"webpage", "itempage", "aboutpage", "collectionpage", "profilepage"}
TITLE_SEPARATORS = re.compile(r"\s+[|\-–—·•»«:~⋆/\\]+\s+|\s*[|·•»⋆│]\s*|\s+::\s+")
TITLE_PREFIX = re.compile(r"^\s*([^:]{2,40}?)\s*:\s+(.+)$")
LEADING_DATE = re.compile(r"^\s*\d{1,4}[./-]\d{1,2}[./-]\d{1,4}\s*[-–—|:]\s*")
BYLINE_PREFIX = re.compile(
    r"^\s*(?:(?:text|texte|autor(?:in)?|author|auteur|autore|redakteur(?:in)?|written|posted|geschrieben|"
    r"verfasst|erstellt|publiziert|veröffentlicht|ein beitrag|beitrag|eingestellt|article|artikel|story|reporting|"
    r"gepostet|publicado|escrito|scritto|publié|écrit)\s*(?:by|von|par|por|di|de|from|am)?(?:\s*[:|]\s*|\s+)|"
    r"(?:(?:view |see )?(?:all |more )?(?:posts|articles|stories|beiträge|artikel) (?:by|von)\s+)|"
    r"(?:by|von|par|por|di|door|av|from|durch|de)(?:\s*[:|]\s*|\s+)|(?:text|autor|author|auteur|fotos?|bild)\s*:\s*)",
    re.I,
)
DATE_TIME_TAIL = re.compile(
    r"(?:[,|•·\-–—]\s*)?(?:\b(?:am|on|le|el|il|published|updated|veröffentlicht|aktualisiert)\b\s*)?"
    r"(?:\d{1,2}[./]\s?\d{1,2}[./]\s?\d{2,4}|\d{4}-\d{2}-\d{2}|\d{1,2}\.?\s+[A-Za-zÄÖÜäöüéû]+\.?,?\s+\d{4}|"
    r"[A-Z][a-z]+\.?\s+\d{1,2},?\s+\d{4}).*$",
    re.I,
)
NOT_A_NAME = re.compile(
    r"^(?:https?:|www\.)|@.*\.|\[at\]|^@|^\W*$|^(?:no author|unknown|admin|administrator|anonymous|null|none|"
    r"by|von|par|por|am|on|posted|published|published by|written by|posted by|autor|author|text)$",
    re.I,
)
# What follows the names in a byline element: labels, counters and calls to action.
AUTHOR_LABELS = re.compile(
    r"(?:\s+|,\s*)(?:(?:Kategorien?|Categor(?:y|ies)|Tags?|Schlagwörter|Themen|Datum|Date|Fecha)\s*:"
    r"|(?:Share|Teilen|Follow|Folgen|Kommentare?|Comments?|Lesezeit|Reading time|Updated|Aktualisiert|"
    r"Published|Veröffentlicht|Actualizado|Publicado|Mis à jour|Publié)\b"
    r"|(?:More|Mehr) (?:from|by|articles|stories|von|Artikel|Beiträge)\b).*$"
)
JOB_TITLES = re.compile(
    r"(?:,?\s+(?:Senior\s+|Chief\s+|Staff\s+|Contributing\s+|Freie[rn]?\s+)?(?:Staff(?:\s+Writer)?|Writer|Reporter|"
    r"Correspondent|Editor|Redakteur(?:in)?|Korrespondent(?:in)?|Autor(?:in)?|Contributor|Columnist|Kolumnist(?:in)?))+$",
    re.I,
)
AUTHOR_SUFFIX = re.compile(r",?\s+(?:Ph\.?D\.?|M\.?D\.?|MD|PhD|MSc|M\.A\.|B\.A\.|RD|LD|MPH)\b\.?$")
TRAILING_NOISE = re.compile(r"[\s|,;:·•\-–—]+$")
LEADING_NOISE = re.compile(r"^[\s|,;:·•\-–—]+")
AUTHOR_CLASS = re.compile(
    r"(?:^|[-_\s])(?:author|authors|byline|autor|autoren|auteur|verfasser|writer|creator|journalist|"
    r"author-?name|article-author|post-author|entry-author|meta-author|posted-by|submitted-by)(?:$|[-_\s])",
    re.I,
)
AUTHOR_CLASS_EXCLUDE = re.compile(r"(?:avatar|image|img|photo|bio|description|box|social|follow|more|about)", re.I)


class _Sources:
    """Everything the page says about itself, gathered once."""

    def __init__(self, tree: HtmlElement):
        self.tree = tree
        self.meta: dict[str, list[str]] = {}
        for el in tree.iter("meta"):
            key = (el.get("property") or el.get("name") or el.get("itemprop") or el.get("http-equiv") or "").strip()
            content = el.get("content")
            if key and content and content.strip():
                self.meta.setdefault(key.lower(), []).append(_clean(content))
        self.ld_items = list(_json_ld(tree))
        self.articles = [i for i in self.ld_items if _types(i) & ARTICLE_TYPES]
        self.pages = [i for i in self.ld_items if _types(i) & PAGE_TYPES]

    def first_meta(self, *keys: str) -> str | None:
        for key in keys:
            for value in self.meta.get(key, ()):
                if value:
                    return value
        return None

    def ld(self, key: str, items: Iterable[dict] | None = None):
        for item in self.articles if items is None else items:
            value = item.get(key)
            if value not in (None, "", [], {}):
                return value
        return None


def _metadata(tree: HtmlElement, article: Article, url: str | None) -> None:
    src = _Sources(tree)
    article.canonical_url = _canonical(src, url)
    base = article.canonical_url or url
    article.outlet = _outlet(src, base)
    article.title = _title(src, article.outlet, base)
    article.byline = _byline(src, article.outlet)
    article.published = _published(src, base)
    article.modified = _modified(src)
    article.language = _language(src)
    article.description = _text(src.ld("description")) or src.first_meta("description", "og:description")


def _canonical(src: _Sources, url: str | None) -> str | None:
    for link in src.tree.iter("link"):
        if "canonical" in (link.get("rel") or "").lower().split() and (link.get("href") or "").strip():
            return _absolute(link.get("href").strip(), url)
    og = src.first_meta("og:url")
    if og:
        return _absolute(og, url)
    main = src.ld("mainEntityOfPage")
    if isinstance(main, dict):
        main = main.get("@id") or main.get("url")
    value = _text(src.ld("url")) or _text(main)
    if value and value.startswith(("http://", "https://", "/")):
        return _absolute(value, url)
    return url


def _absolute(href: str, base: str | None) -> str:
    return urljoin(base, href) if base else href


def _outlet(src: _Sources, base: str | None) -> str | None:
    publisher = _names(src.ld("publisher")) or _names(src.ld("publisher", src.pages))
    if not publisher:
        orgs = [i for i in src.ld_items if _types(i) & {"organization", "newsmediaorganization", "website"}]
        publisher = _names(orgs[0]) if orgs else None
    return (
        publisher
        or src.first_meta("og:site_name", "application-name", "apple-mobile-web-app-title", "publisher", "copyright")
        or (_host(base) or None)
    )


def _host(url: str | None) -> str:
    if not url:
        return ""
    host = urlsplit(url).hostname or ""
    return host.removeprefix("www.")


# ---- title


def _title(src: _Sources, outlet: str | None, base: str | None) -> str | None:
    structured = [
        _text(src.ld("headline")),
        src.first_meta("og:title"),
        src.first_meta("twitter:title"),
        src.first_meta("headline", "title", "dc.title", "dcterms.title", "parsely-title", "sailthru.title"),
        _text(src.ld("name")),
        _text(src.ld("headline", src.pages)),
    ]
    title_el = src.tree.find(".//title")
    html_title = _clean(title_el.text_content()) if title_el is not None else None
    known = list(dict.fromkeys(t for t in [*structured, html_title] if t))
    sites = _site_names(src, outlet, base)
    headings = [h for h in (_strip_site(h, sites) for h in _headings(src.tree)) if h]
    # The visible headline, when a machine-readable title confirms it (in their order of trust).
    for candidate in known:
        for heading in headings:
            if _confirms(heading, candidate, sites):
                return heading
    h1s = [h for h in (_clean(_block_spaced_text(el)) for el in src.tree.iter("h1")) if h]
    if not any(structured) and len(h1s) == 1 and not _is_site(_fold(h1s[0]), sites):
        # Only the <title> (often just the site or section) and one headline: trust the page.
        return _strip_site(h1s[0], sites)
    for candidate in known:
        cleaned = _strip_site(candidate, sites)
        if cleaned and not _is_site(_fold(cleaned), sites) and _fold(cleaned) not in GENERIC_TITLES:
            return cleaned
    return headings[0] if headings else (known[0] if known else None)


GENERIC_TITLES = {"home", "startseite", "news", "blog", "aktuelles", "accueil", "inicio", "index", "page", "menu"}
HEADLINE_CLASS = re.compile(r"(?:post|entry|article|page|story|content|news)[-_]?(?:title|headline)|headline", re.I)


def _headings(tree: HtmlElement) -> list[str]:
    """Candidate visible headlines: <h1>s, then headline-classed headings, then <h1>s in navigation."""
    first: list[str] = []
    last: list[str] = []
    for el in tree.xpath("//h1 | //h2 | //h3 | //*[@itemprop='headline'][not(self::meta)]"):
        if el.tag != "h1" and el.get("itemprop") != "headline":
            if not HEADLINE_CLASS.search(f"{el.get('class') or ''} {el.get('id') or ''}"):
                continue
        text = _clean(_block_spaced_text(el))
        if not text or len(text) < 3:
            continue
        in_nav = any(a.tag in ("nav", "footer") for a in el.iterancestors())
        (last if in_nav else first).append(text)
    return list(dict.fromkeys(first + last))[:8]


SPACED_TAGS = {
    "br",
    "div",
    "p",
    "li",
    "ul",
    "ol",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "td",
    "th",
    "tr",
    "dt",
    "dd",
    "section",
    "header",
    "figure",
    "figcaption",
    "blockquote",
}


def _block_spaced_text(el: HtmlElement) -> str:
    """text_content(), with a space wherever a block element or <br> separates words."""
    parts: list[str] = []

    def walk(node: HtmlElement) -> None:
        spaced = isinstance(node.tag, str) and node.tag in SPACED_TAGS
        if spaced:
            parts.append(" ")
        if node.text:
            parts.append(node.text)
        for child in node:
            if isinstance(child.tag, str):
                walk(child)
            if child.tail:
                parts.append(child.tail)
        if spaced:
            parts.append(" ")

    walk(el)
    return "".join(parts)


def _confirms(heading: str, candidate: str, sites: list[str]) -> bool:
    h = _fold(heading)
    if len(h) < 4 or _is_site(h, sites) or h in GENERIC_TITLES:
        return False
    c = _fold(candidate)
    if h == c:
        return True
    if h in (_fold(p) for p in TITLE_SEPARATORS.split(candidate)):
        return True
    return len(h.split()) >= 3 and h in c


def _site_names(src: _Sources, outlet: str | None, base: str | None) -> list[str]:
    names = [
        outlet,
        src.first_meta("og:site_name"),
        src.first_meta("application-name"),
        src.first_meta("twitter:site"),
        _names(src.ld("publisher")),
        _host(base),
    ]
    for item in src.ld_items:
        if _types(item) & {"website", "organization", "newsmediaorganization"}:
            names.append(_text(item.get("name")))
    return [_fold(n.lstrip("@")) for n in names if n]


def _is_site(part: str, sites: list[str]) -> bool:
    """Whether a title part names the outlet ('ZEIT ONLINE', 'zeit.de', 'Die Zeit')."""
    compact = re.sub(r"[\W_]+", "", part)
    if not compact:
        return True
    for site in sites:
        roots = [site]
        if "." in site:
            roots.append(site.rsplit(".", 1)[0])
        for root in roots:
            root = re.sub(r"[\W_]+", "", root)
            if len(root) < 3:
                continue
            if compact == root:
                return True
            if len(compact) >= 4 and compact in root:
                return True
            if root in compact and len(compact) <= len(root) + 8:
                return True
    return False


def _strip_site(title: str, sites: list[str]) -> str | None:
    """'Headline | Outlet', 'Headline - Outlet' or 'Outlet: Headline' to 'Headline'."""
    title = _clean(LEADING_DATE.sub("", title)) or title
    title = re.sub(r"\s+[|\-–—·•»:~⋆/\\│]+$", "", title)
    prefix = TITLE_PREFIX.match(title)
    if prefix and _is_site(_fold(prefix[1]), sites):
        title = prefix[2]
    parts = [p for p in TITLE_SEPARATORS.split(title) if p.strip()]
    if len(parts) < 2:
        return title
    folded = [_fold(p) for p in parts]
    changed = False
    while len(parts) > 1 and _is_site(folded[-1], sites):
        parts, folded, changed = parts[:-1], folded[:-1], True
    while len(parts) > 1 and _is_site(folded[0], sites):
        parts, folded, changed = parts[1:], folded[1:], True
    if not changed:
        # "Headline | Section | Outlet" without a known outlet: the pipe is rarely part of a headline.
        if " | " in title:
            return _clean(title.split(" | ")[0]) or title
        return title
    # Rebuild from the original string so separators inside the headline survive.
    start = title.find(parts[0])
    end = title.rfind(parts[-1]) + len(parts[-1])
    return _clean(title[start:end]) if start >= 0 and end > start else _clean(" ".join(parts))


# ---- byline


def _byline(src: _Sources, outlet: str | None) -> str | None:
    """Authors from JSON-LD, then meta tags, then the visible byline; an outlet's own name only as a last resort."""
    structured = _author_names(src.ld("author")) or _author_names(src.ld("creator"))
    if not structured:
        structured = _author_names(src.ld("author", src.pages))
    meta = [
        name
        for key in AUTHOR_META
        for name in (_clean_author(v) for v in src.meta.get(key, ()))
        if name and not _is_handle(name)
    ]
    sites = _site_names(src, outlet, None)
    people = [_strip_outlet(n, sites) for n in structured if not _is_site(_fold(n), sites)]
    if not people:
        people = [_strip_outlet(m, sites) for m in meta[:1] if not _is_site(_fold(m), sites)]
    visible = [_strip_outlet(v, sites) for v in _visible_bylines(src.tree) if not _is_site(_fold(v), sites)]
    if people and visible:
        # The visible byline joins the names the way the outlet writes them ("A and B").
        for line in visible:
            folded = _fold(line)
            if all(_fold(n) in folded for n in people) and len(line) <= sum(map(len, people)) + 12 * len(people):
                return line
    if people:
        return ", ".join(people)
    if visible:
        return visible[0]
    written = _text_byline(src.tree, sites)
    if written:
        return written
    # An organisation signing its own page (a statement, a press release) is its author.
    return ", ".join(structured) if structured else (meta[0] if meta else None)


AUTHOR_META = (
    "author",
    "article:author",
    "byl",
    "parsely-author",
    "sailthru.author",
    "dc.creator",
    "dcterms.creator",
    "citation_author",
    "twitter:creator",
    "og:article:author",
    "cxenseparse:author",
)


BYLINE_TEXT = XPath(
    "//body//*[self::p or self::span or self::em or self::i or self::strong or self::b or self::div or "
    "self::address or self::small or self::li or self::h4 or self::h5 or self::h6]"
    "[string-length(normalize-space(.)) < 70]"
    "[re:test(normalize-space(.), '^(by|von|text von|text:|autor:|autorin:|author:|par|por|door|written by|"
    "ein beitrag von|ein kommentar von|geschrieben von)\\s+\\S', 'i')]",
    namespaces={"re": "http://exslt.org/regular-expressions"},
)
BYLINE_NAME = re.compile(r"^[A-ZÀ-ÖØ-Þ][\w'’.\-]+(?:\s+(?:[A-ZÀ-ÖØ-Þ][\w'’.\-]*|von|van|de|der|da|di|le|la))+$")


def _text_byline(tree: HtmlElement, sites: list[str]) -> str | None:
    """A short line written as a byline ('Von Daniela Obers', 'Text von X Illustration von Y')."""
    for el in BYLINE_TEXT(tree):
        if any(a.tag in ("nav", "footer", "a") or _is_comment_block(a) for a in el.iterancestors()):
            continue
        text = " ".join(el.itertext()).replace("\xa0", " ")
        name = _clean_author(re.split(r"\s{3,}|\s+(?:und|and|&)?\s*(?:Illustrationen?|Fotos?|Bilder?)\b", text)[0])
        if name and BYLINE_NAME.match(name) and not _is_site(_fold(name), sites):
            return name
    return None


def _strip_outlet(name: str, sites: list[str]) -> str:
    """'Bob Yirka, Phys.org', 'unocero - Alberto Ávila' or 'Adam Aaronson PhillyVoice' to the name alone."""
    parts = [p.strip() for p in re.split(r"\s*[,|/]\s*|\s+[-–—]\s+", name)]
    kept = [p for p in parts if p and not _is_site(_fold(p), sites)]
    if kept and len(kept) < len(parts):
        name = ", ".join(kept)
    words = name.split()
    site_words = {re.sub(r"[\W_]+", "", site) for site in sites}
    while len(words) > 2 and re.sub(r"[\W_]+", "", _fold(words[-1])) in site_words:
        words = words[:-1]
    return " ".join(words)


def _is_handle(value: str) -> bool:
    return value.startswith("@") and " " not in value


def _author_names(value) -> list[str]:
    if isinstance(value, list):
        out: list[str] = []
        for v in value:
            for name in _author_names(v):
                if name not in out:
                    out.append(name)
        return out
    if isinstance(value, dict):
        name = value.get("name")
        if isinstance(name, dict | list):
            return _author_names(name)
        if not name and (value.get("givenName") or value.get("familyName")):
            name = f"{value.get('givenName') or ''} {value.get('familyName') or ''}"
        value = name
    if isinstance(value, str):
        cleaned = _clean_author(value)
        return [cleaned] if cleaned else []
    return []


def _clean_author(value: str | None) -> str | None:
    """A byline as written to the names in it: no 'By', dates, job titles, labels or avatars' initials."""
    value = _clean(value)
    if not value or re.match(r"^(?:https?:|www\.|/)", value, re.I):
        return None
    value = re.sub(r"\s+([,;])", r"\1", value)
    value = BYLINE_PREFIX.sub("", value, count=1)
    value = BYLINE_PREFIX.sub("", value, count=1)
    label = re.match(r"^[^\W\d][\w\s&]{0,24}:\s*(?=[^\s/])", value)
    if label:
        value = value[label.end() :]
    inner = re.search(r"(?:^|\s)(?:Von|By|Par|Por)\s+(?=[A-ZÄÖÜ])", value)
    if inner and len(value.split()) <= 8:
        value = value[inner.end() :]
    value = DATE_TIME_TAIL.sub("", value)
    value = AUTHOR_LABELS.sub("", value)
    value = JOB_TITLES.sub("", value)
    value = AUTHOR_SUFFIX.sub("", value)
    value = re.split(r"\s+\|\s+", value)[0]
    value = _drop_avatar_initials(value)
    value = TRAILING_NOISE.sub("", LEADING_NOISE.sub("", value))
    if not value or NOT_A_NAME.search(value) or len(value) > 80 or len(value.split()) > 10:
        return None
    return value


def _drop_avatar_initials(value: str) -> str:
    """'LP Luana Patriolino' (an avatar's initials before the name) to 'Luana Patriolino'."""
    words = value.split()
    out: list[str] = []
    for i, word in enumerate(words):
        following = words[i + 1 : i + 1 + len(word)]
        if (
            2 <= len(word) <= 3
            and word.isupper()
            and len(following) == len(word)
            and "".join(w[0] for w in following) == word
        ):
            continue
        out.append(word)
    return " ".join(out)


def _visible_bylines(tree: HtmlElement) -> list[str]:
    """Texts of byline-looking elements: rel=author, itemprop=author, author/byline classes."""
    found: list[str] = []
    candidates = tree.xpath(
        "//*[@rel='author' or contains(@itemprop, 'author') or @class or @id]"
        "[not(self::meta or self::link or self::script or self::style or self::img or self::html or self::body)]"
    )
    for el in candidates:
        if el.get("rel") == "author" or "author" in (el.get("itemprop") or ""):
            pass
        else:
            names = f"{el.get('class') or ''} {el.get('id') or ''}"
            if not AUTHOR_CLASS.search(names) or AUTHOR_CLASS_EXCLUDE.search(names):
                continue
        if any(a.tag in ("footer", "nav") or _is_comment_block(a) for a in el.iterancestors()):
            continue
        name_el = el.xpath(".//*[@itemprop='name']")
        text = " ".join((name_el[0] if name_el else el).itertext())
        text = _clean_author(text)
        if text and text not in found:
            found.append(text)
        if len(found) >= 5:
            break
    return found


def _is_comment_block(el: HtmlElement) -> bool:
    names = f"{el.get('class') or ''} {el.get('id') or ''}".lower()
    return "comment" in names


# ---- dates


def _published(src: _Sources, base: str | None) -> str | None:
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
    from_url = _date_in_url(base)
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


def _modified(src: _Sources) -> str | None:
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
            if any(_is_comment_block(a) for a in el.iterancestors()):
                continue
            value = el.get("datetime") or el.text_content()
            if value and value.strip():
                return value
    return None


URL_DATE = re.compile(r"/((?:19|20)\d{2})[/-](0?[1-9]|1[0-2])[/-](0?[1-9]|[12]\d|3[01])(?:/|[-_]|\.html?|$)")


def _date_in_url(url: str | None) -> str | None:
    match = URL_DATE.search(url or "")
    if not match:
        return None
    year, month, day = (int(g) for g in match.groups())
    return _valid(year, month, day)


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


ISO_DATE = re.compile(
    r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})(?:[T\s]+(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?\s*"
    r"(Z|[+-]\d{2}:?\d{2}|UTC|GMT)?)?"
)
COMPACT_DATE = re.compile(r"^\s*((?:19|20)\d{2})(\d{2})(\d{2})(?:T?(\d{2})(\d{2})(\d{2})?)?\s*$")
DMY_DATE = re.compile(r"^\s*(\d{1,2})\.\s?(\d{1,2})\.\s?(\d{4})(?:\D+(\d{1,2}):(\d{2}))?")
SLASH_YMD = re.compile(r"^\s*(\d{4})/(\d{1,2})/(\d{1,2})")
MONTHS = {
    m: i
    for i, names in enumerate(
        [
            "jan january januar janvier enero gennaio janeiro jän jänner",
            "feb february februar février fevrier febrero febbraio fevereiro",
            "mar march märz maerz mars marzo março",
            "apr april avril abril aprile",
            "may mai mayo maggio maio",
            "jun june juni juin junio giugno junho",
            "jul july juli juillet julio luglio julho",
            "aug august août aout agosto",
            "sep sept september septembre septiembre settembre setembro",
            "oct october oktober octobre octubre ottobre outubro okt",
            "nov november novembre noviembre novembro",
            "dec december dezember décembre decembre diciembre dicembre dezembro dez",
        ],
        start=1,
    )
    for m in names.split()
}
for _i, _names in enumerate(
    [
        "januari stycznia января",
        "februari lutego февраля",
        "maart marca марта",
        "kwietnia апреля",
        "mei maja мая",
        "czerwca июня",
        "lipca июля",
        "augustus sierpnia августа",
        "września сентября",
        "października октября",
        "listopada ноября",
        "grudnia декабря",
    ],
    start=1,
):
    MONTHS.update(dict.fromkeys(_names.split(), _i))
TEXT_DATE = re.compile(
    r"(?<!\d)(\d{1,2})\.\s?(\d{1,2})\.\s?((?:19|20)\d{2})(?!\d)"
    r"|(?<!\d)((?:19|20)\d{2})-(\d{2})-(\d{2})(?!\d)"
    r"|(?<!\d)(\d{1,2})\.?\s+([^\W\d_]{3,12})\.?,?\s+((?:19|20)\d{2})(?!\d)"
    r"|\b([^\W\d_]{3,12})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+((?:19|20)\d{2})(?!\d)"
)
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
    headline = _first_headline(tree)
    if headline is not None:
        regions.append(list(islice(_following(headline), 400)))
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
                found = _date_in_text(el.text_content())
                if found:
                    return found
        for el in elements:
            if el in texted or el.tag in ("script", "style", "nav", "footer", "aside"):
                continue
            texted.add(el)
            for text in (el.text, el.tail):
                found = _date_in_text(text) if text and _DIGIT.search(text) else None
                if found:
                    return found
    return None


def _first_headline(tree: HtmlElement) -> HtmlElement | None:
    """The first <h1> outside navigation, sidebars and footers."""
    for h1 in tree.iter("h1"):
        if not any(a.tag in ("nav", "footer", "aside") for a in h1.iterancestors()):
            return h1
    return None


def _date_in_text(text: str) -> str | None:
    for m in TEXT_DATE.finditer(text):
        if m[1]:
            found = _valid(int(m[3]), int(m[2]), int(m[1]))
        elif m[4]:
            found = _valid(int(m[4]), int(m[5]), int(m[6]))
        elif m[7]:
            month = MONTHS.get(m[8].lower()) or MONTHS.get(m[8].lower()[:3])
            found = _valid(int(m[9]), month, int(m[7])) if month else None
        else:
            month = MONTHS.get(m[10].lower()) or MONTHS.get(m[10].lower()[:3])
            found = _valid(int(m[12]), month, int(m[11])) if month else None
        if found and found <= datetime.now(UTC).strftime("%Y-%m-%d"):
            return found
    return None


WORDY_DATE = re.compile(
    r"(\d{1,2})\.?\s+([^\W\d_]+)\.?,?\s+(\d{4})|([^\W\d_]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})"
)


def normalise_date(value) -> str | None:
    """Any date a page gives to ISO 8601: a datetime with its offset when the page has one, else a date."""
    if isinstance(value, list):
        value = next((v for v in value if isinstance(v, str) and v.strip()), None)
    if isinstance(value, dict):
        value = value.get("@value")
    if isinstance(value, int | float) and 10**9 < value < 10**11:
        return datetime.fromtimestamp(value, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    if not isinstance(value, str):
        return None
    value = " ".join(value.split())
    if not value:
        return None
    match = ISO_DATE.match(value)
    if match:
        year, month, day, hour, minute, second, zone = match.groups()
        date = _valid(int(year), int(month), int(day))
        if not date:
            return None
        if hour is None:
            return date
        if not (0 <= int(hour) < 24 and 0 <= int(minute) < 60):
            return date
        stamp = f"{date}T{int(hour):02d}:{minute}:{second or '00'}"
        if zone in ("Z", "UTC", "GMT"):
            return stamp + "Z"
        if zone:
            zone = zone if ":" in zone else f"{zone[:3]}:{zone[3:]}"
            return stamp + ("Z" if zone in ("+00:00", "-00:00") else zone)
        return stamp
    match = COMPACT_DATE.match(value)
    if match:
        return _valid(int(match[1]), int(match[2]), int(match[3]))
    match = DMY_DATE.match(value)
    if match:
        return _valid(int(match[3]), int(match[2]), int(match[1]))
    match = SLASH_YMD.match(value)
    if match:
        return _valid(int(match[1]), int(match[2]), int(match[3]))
    if re.match(r"^\s*\d{9,11}\s*$", value):
        return normalise_date(int(value))
    try:
        parsed = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        parsed = None
    if parsed is not None:
        if parsed.tzinfo is None:
            return parsed.strftime("%Y-%m-%dT%H:%M:%S")
        return parsed.isoformat().replace("+00:00", "Z")
    for match in WORDY_DATE.finditer(value.lower()):
        if match[1]:
            day, month_name, year = match[1], match[2], match[3]
        else:
            month_name, day, year = match[4], match[5], match[6]
        month = MONTHS.get(month_name) or MONTHS.get(month_name[:3])
        if month:
            return _valid(int(year), month, int(day))
    return None


def _valid(year: int, month: int, day: int) -> str | None:
    try:
        date = datetime(year, month, day)
    except ValueError:
        return None
    if not 1990 <= year <= datetime.now(UTC).year + 1:
        return None
    return date.strftime("%Y-%m-%d")


def _language(src: _Sources) -> str | None:
    root_lang = src.tree.get("lang") or src.tree.get("xml:lang")
    value = (
        _text(src.ld("inLanguage"))
        or (root_lang.strip() if root_lang and root_lang.strip() else None)
        or src.first_meta("content-language", "language", "dc.language", "og:locale")
    )
    return value.replace("_", "-") if value else None


# ---- JSON-LD and small helpers


def _json_ld(tree: HtmlElement) -> Iterator[dict]:
    for script in tree.xpath("//script[contains(translate(@type, 'LDJSON', 'ldjson'), 'ld+json')]"):
        raw = (script.text or "").strip()
        if not raw:
            continue
        raw = re.sub(r"^\s*(?:<!\[CDATA\[|<!--)|(?:\]\]>|-->)\s*$", "", raw)
        try:
            data = json.loads(raw, strict=False)
        except json.JSONDecodeError:
            try:
                data = json.loads(re.sub(r",\s*([}\]])", r"\1", raw), strict=False)
            except json.JSONDecodeError:
                continue
        yield from _ld_items(data)


def _ld_items(data, depth: int = 0) -> Iterator[dict]:
    if depth > 4:
        return
    if isinstance(data, list):
        for d in data:
            yield from _ld_items(d, depth + 1)
    elif isinstance(data, dict):
        if "@graph" in data:
            yield from _ld_items(data["@graph"], depth + 1)
        yield data
        main = data.get("mainEntity")
        if isinstance(main, dict | list):
            yield from _ld_items(main, depth + 1)


def _types(item: dict) -> set[str]:
    types = item.get("@type")
    if isinstance(types, str):
        types = [types]
    if not isinstance(types, list):
        return set()
    return {t.rsplit("/", 1)[-1].lower() for t in types if isinstance(t, str)}


def _names(value) -> str | None:
    if isinstance(value, list):
        names = [n for n in (_names(v) for v in value) if n]
        return ", ".join(dict.fromkeys(names)) or None
    if isinstance(value, dict):
        return _text(value.get("name"))
    return _text(value)


def _text(value) -> str | None:
    if isinstance(value, list):
        value = next((v for v in value if isinstance(v, str)), None)
    if isinstance(value, str):
        return _clean(value)
    return None


def _clean(value: str | None) -> str | None:
    """Unescape (publishers double-escape entities in meta tags), drop tags and collapse whitespace."""
    if not value:
        return None
    if "&" in value:
        value = htmllib.unescape(htmllib.unescape(value))
    if "<" in value:
        value = re.sub(r"<[^>]{1,200}>", " ", value)
    value = " ".join(value.replace("\u00ad", "").split())
    return value or None


def _fold(value: str) -> str:
    value = unicodedata.normalize("NFKC", value).casefold()
    value = re.sub(r"[\u2010-\u2015\u2212]", "-", value)
    value = re.sub(r"[\u2018\u2019\u201a\u201b`´]", "'", value)
    value = re.sub(r"[\u201c\u201d\u201e\u201f«»]", '"', value)
    return " ".join(value.split())


# --------------------------------------------------------------------------- main text

DROP_TAGS = ("script", "style", "noscript", "template", "svg", "iframe", "object", "embed", "canvas", "dialog")
BOILERPLATE_WORDS = frozenset(
    """affiliate affiliates advert adverts advertisement advertising ad ads adslot sponsored sponsor promo promos
    related recommended recommendations share sharing shares social newsletter comment comments commentlist
    subscribe subscription cookie cookies consent breadcrumb breadcrumbs outbrain taboola
    teaserlist morestories productcard productbox products""".split()
)
# Wrapper classes that mention a word without being that thing: "has-ads", "no-share", "non-paywall".
NEGATING_PARTS = frozenset("has no non with without is show enable disable hide".split())
NEVER_BOILERPLATE = {"html", "body", "article", "main"}
BOILERPLATE_LINES = re.compile(
    r"^(?:"
    # affiliate and sponsorship disclosures
    r"As an (?:Amazon Associate|affiliate),? (?:I|we) earn (?:from|on) qualifying purchases\.?"
    r"|(?:This|Our) (?:post|article|page|story|site) (?:contains|may contain|includes) "
    r"(?:affiliate links?|references to products|sponsored).*"
    r"|.{0,160}\b(?:we|I) (?:may )?(?:earn|receive|get) (?:a )?(?:small |affiliate )?"
    r"(?:commission|compensation)\b.{0,160}"
    r"|We recommend the best products.*"
    r"|Advertisement|Anzeige|Werbung|Publicité|Publicidad|Sponsored|Gesponsert|Ad"
    # share bars, photo credits, loaders
    r"|Share this(?: article| story)?:?|Teilen(?: mit)?:?|Partager|Compartir"
    r"|(?:Photo|Foto|Fotos|Bild|Image|Credits?|Crédits? photos?|Titelbild|Bildquelle)\s*:.{0,120}"
    r"|(?:Wird geladen|Loading)\W*"
    r"|(?:View|Show|Load|Read) (?:all )?(?:\d+ )?comments?\W*|Kommentare?(?: insgesamt)?:?\s*\d*"
    # teasers for other stories, in the languages we meet
    r"|(?:Read|See) (?:more|also)(?::.*|)|Related(?: articles| stories)?:.*|More from .{1,40}:.*"
    r"|Mehr zum Thema:?.*|Mehr Themen:?.*|Auch lesen:.*|Lesen Sie (?:auch|mehr):?.*|Weiterlesen|Schon gelesen\?"
    r"|Empfohlene Beiträge|Vorschau auf den nächsten Artikel.*"
    r"|.{0,40}könnte (?:dich|Sie|euch) (?:auch )?interessieren:?.*"
    r"|Lea(?: también| más)?:.*|Lee(?: también| más)?:.*|Vea también:.*|Mire:.*|Mira:.*|Notas relacionadas"
    r"|Leia (?:também|mais):.*|Lire aussi:.*|À lire aussi:.*|Leggi anche:.*|Czytaj (?:też|także).*"
    # subscription and follow prompts
    r"|Sign up for (?:our|the) .{0,40}newsletter.*|Subscribe (?:now |today )?to .*|Subscribe now.*"
    r"|To (?:view|read|continue reading) the full (?:story|article).*|Pour (?:lire la suite|accéder en illimité).*"
    r"|Follow .{1,60} on (?:Twitter|Facebook|Instagram|X|Telegram|WhatsApp)\b.*"
    r")$",
    re.I,
)


def main_text(tree: HtmlElement) -> str:
    """The article's own blocks, one per line, boilerplate removed.

    Mutates the tree (metadata must be read first).
    """
    _drop_boilerplate(tree)
    headline = _first_headline(tree)
    lead = _lead(headline) if headline is not None else None
    text = _trafilatura_text(tree) if _has_body_text(tree) else ""
    if len(text) < 200:
        # Small or unusual pages trafilatura declines: our plain block walk is better than nothing.
        ours = _block_text(tree)
        if len(ours) > 2 * len(text):
            text = ours
    if lead and _squash(lead) not in _squash(text):
        # The standfirst sits apart from the body, and extractors tend to drop it with the header.
        lines = text.splitlines()
        at = 1 if lines and headline is not None and _squash(lines[0]) == _squash(headline.text_content()) else 0
        text = "\n".join([*lines[:at], lead, *lines[at:]])
    return _filter_lines(text)


def _squash(text: str) -> str:
    return " ".join(text.replace("\u00ad", "").split())


LEAD_CLASS = re.compile(
    r"(?:^|[\s_-])(?:lead|intro|introduction|teaser-text|abstract|excerpt|chapo|deck|standfirst|summary|preface|"
    r"subtitle|subheadline|sub-headline|bajada|kicker-text|article-lead|entry-excerpt|field--summary|descr)(?:$|[\s_-])",
    re.I,
)


def _lead(headline: HtmlElement) -> str | None:
    """The standfirst: the first lead-classed block after the headline, outside sidebars and navigation."""
    for distance, el in enumerate(_following(headline)):
        if distance > 80:
            break
        if el.tag not in ("p", "div", "h2", "h3", "span", "strong"):
            continue
        names = f"{el.get('class') or ''} {el.get('id') or ''}"
        if not LEAD_CLASS.search(names):
            continue
        if any(
            a.tag in ("aside", "nav", "footer", "li", "a") or "sidebar" in (a.get("class") or "")
            for a in el.iterancestors()
        ):
            continue
        text = _clean(_block_spaced_text(el))
        if text and 40 <= len(text) <= 1200:
            return text
        return None
    return None


def _following(el: HtmlElement) -> Iterator[HtmlElement]:
    """Elements after el in document order (its descendants excluded)."""
    node = el
    while node is not None:
        for sibling in node.itersiblings():
            yield sibling
            yield from sibling.iterdescendants()
        node = node.getparent()


def _drop_boilerplate(tree: HtmlElement) -> None:
    """Remove what is never the story. An element holding most of the page's text is a wrapper, whatever its class."""
    for el in list(tree.iter(*DROP_TAGS)):
        _remove(el)
    body = tree.find("body")
    wrapper_size = max(1500, 0.4 * len(body.text_content())) if body is not None else 1500
    for el in list(tree.iter(lxml.etree.Element)):
        if el.tag in NEVER_BOILERPLATE or el.getparent() is None:
            continue
        if el.get("aria-hidden") == "true" or el.get("hidden") is not None:
            _remove(el)
            continue
        names = f"{el.get('class') or ''} {el.get('id') or ''}"
        if names.strip() and _names_boilerplate(names) and len(el.text_content()) < wrapper_size:
            _remove(el)
    if body is not None:
        _drop_affiliate_boxes(body)


AFFILIATE_DISCLOSURE = re.compile(
    r"\b(?:as an (?:amazon associate|affiliate)|(?:earn|earns) (?:from|on) qualifying purchases|"
    r"affiliate (?:links?|commission)|(?:earn|receive) (?:a )?(?:small )?commission)",
    re.I,
)
AFFILIATE_BOX_SIZE = 800


def _drop_affiliate_boxes(body: HtmlElement) -> None:
    """A small box carrying an affiliate disclosure is a product blurb, whatever its markup: drop the box."""
    hits = [el for el in body.iter(lxml.etree.Element) if el.text and AFFILIATE_DISCLOSURE.search(el.text)]
    for el in hits:
        if el.getparent() is None or not any(a is body for a in el.iterancestors()):
            continue  # already removed with an earlier box
        box = el
        while (
            box.getparent() is not None
            and box.getparent() is not body
            and box.getparent().tag not in NEVER_BOILERPLATE
            and len(box.getparent().text_content()) < AFFILIATE_BOX_SIZE
        ):
            box = box.getparent()
        if box is el:
            # No box around it: the blurb is the run of product lines just before the disclosure.
            previous = el.getprevious()
            while previous is not None and _looks_like_blurb(previous):
                el, previous = previous, previous.getprevious()
                _remove(el)
        if len(box.text_content()) < AFFILIATE_BOX_SIZE:
            _remove(box)


def _looks_like_blurb(el: HtmlElement) -> bool:
    """A product line: an image link, a line that is all link, a teaser cut off with an ellipsis, a disclosure."""
    if el.tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
        return False
    text = " ".join(el.text_content().split())
    if not text:
        return el.find(".//img") is not None
    if len(text) > 300:
        return False
    linked = sum(len(" ".join(a.text_content().split())) for a in el.iter("a"))
    return linked >= 0.8 * len(text) or text.endswith(("…", "...")) or bool(AFFILIATE_DISCLOSURE.search(text))


def _names_boilerplate(names: str) -> bool:
    """'related-posts', 'comment-list', 'affiliate_box': a class or id token led by a boilerplate word."""
    for token in names.lower().split():
        parts = [p for p in re.split(r"[-_]+", token) if p]
        for i, part in enumerate(parts):
            joined = part + (parts[i + 1] if i + 1 < len(parts) else "")
            if (part in BOILERPLATE_WORDS or joined in BOILERPLATE_WORDS) and (
                i == 0 or parts[i - 1] not in NEGATING_PARTS
            ):
                return True
    return False


def _remove(el: HtmlElement) -> None:
    parent = el.getparent()
    if parent is None:
        return
    tail = el.tail
    if tail and tail.strip():
        prev = el.getprevious()
        if prev is not None:
            prev.tail = (prev.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(el)


def _has_body_text(tree: HtmlElement) -> bool:
    body = tree.find("body")
    return body is not None and bool((body.text_content() or "").strip())


def _trafilatura_text(tree: HtmlElement) -> str:
    import trafilatura

    try:
        text = trafilatura.extract(
            tree,
            include_comments=False,
            include_tables=True,
            include_images=False,
            include_links=False,
            deduplicate=False,
        )
    except (ValueError, TypeError, lxml.etree.LxmlError):
        return ""
    return text or ""


BLOCKS = ("p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre", "figcaption", "dt", "dd", "td", "th")


def _block_text(tree: HtmlElement) -> str:
    """Innermost block elements in document order, inside <article> or <main> if there is one."""
    roots = tree.xpath("//article") or tree.xpath("//main") or tree.xpath("//*[@role='main']")
    root = roots[0] if roots else (tree.find("body") if tree.find("body") is not None else tree)
    lines: list[str] = []
    for el in root.iter(*BLOCKS):
        if any(True for _ in el.iterdescendants(*BLOCKS)):
            continue
        if any(a.tag in ("nav", "footer", "header", "aside", "form") for a in el.iterancestors()):
            continue
        text = _clean(el.text_content())
        if text:
            lines.append(text)
    if not lines:
        text = _clean(root.text_content())
        lines = [text] if text else []
    return "\n".join(lines)


def _filter_lines(text: str) -> str:
    lines = []
    for line in text.splitlines():
        line = " ".join(line.split()).removeprefix("- ")  # trafilatura's list-item marker
        if line and not BOILERPLATE_LINES.match(line):
            lines.append(line)
    return "\n".join(lines)
