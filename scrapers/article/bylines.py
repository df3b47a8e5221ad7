"""Who wrote the article: authors from JSON-LD, meta tags or the visible byline, cleaned to names.

Bylines come wrapped in 'By', dates, job titles, labels, outlet names and
avatar initials; most of this module is taking those off.
"""

from __future__ import annotations

import re

from lxml.etree import XPath
from lxml.html import HtmlElement

from scrapers.article.cleaning import clean, fold
from scrapers.article.structured import Sources
from scrapers.article.titles import is_site, site_names
from scrapers.article.tree import is_comment_block

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


def find_byline(src: Sources, outlet: str | None) -> str | None:
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
    sites = site_names(src, outlet, None)
    people = [_strip_outlet(n, sites) for n in structured if not is_site(fold(n), sites)]
    if not people:
        people = [_strip_outlet(m, sites) for m in meta[:1] if not is_site(fold(m), sites)]
    visible = [_strip_outlet(v, sites) for v in _visible_bylines(src.tree) if not is_site(fold(v), sites)]
    if people and visible:
        # The visible byline joins the names the way the outlet writes them ("A and B").
        for line in visible:
            folded = fold(line)
            if all(fold(n) in folded for n in people) and len(line) <= sum(map(len, people)) + 12 * len(people):
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
        if any(a.tag in ("nav", "footer", "a") or is_comment_block(a) for a in el.iterancestors()):
            continue
        text = " ".join(el.itertext()).replace("\xa0", " ")
        name = _clean_author(re.split(r"\s{3,}|\s+(?:und|and|&)?\s*(?:Illustrationen?|Fotos?|Bilder?)\b", text)[0])
        if name and BYLINE_NAME.match(name) and not is_site(fold(name), sites):
            return name
    return None


def _strip_outlet(name: str, sites: list[str]) -> str:
    """'Bob Yirka, Phys.org', 'unocero - Alberto Ávila' or 'Adam Aaronson PhillyVoice' to the name alone."""
    parts = [p.strip() for p in re.split(r"\s*[,|/]\s*|\s+[-–—]\s+", name)]
    kept = [p for p in parts if p and not is_site(fold(p), sites)]
    if kept and len(kept) < len(parts):
        name = ", ".join(kept)
    words = name.split()
    site_words = {re.sub(r"[\W_]+", "", site) for site in sites}
    while len(words) > 2 and re.sub(r"[\W_]+", "", fold(words[-1])) in site_words:
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
    value = clean(value)
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
        if any(a.tag in ("footer", "nav") or is_comment_block(a) for a in el.iterancestors()):
            continue
        name_el = el.xpath(".//*[@itemprop='name']")
        text = " ".join((name_el[0] if name_el else el).itertext())
        text = _clean_author(text)
        if text and text not in found:
            found.append(text)
        if len(found) >= 5:
            break
    return found
