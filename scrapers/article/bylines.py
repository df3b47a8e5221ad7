"""Who wrote the article: every byline a page offers, weighed, to a list of people or an organisation.

Like the dates (`scrapers.article.datechoice`), bylines are gathered from
every place they can be, each with its source, then chosen by agreement: the
JSON-LD author, the meta tags, the visible byline elements (rel=author,
itemprop=author, author-classed blocks) and "By X" lines are witnesses, and a
name that two of them give wins over one that only one gives. People come
before organisations: a page signed by a person and a wire service is the
person's; a page signed by no person is its organisation's (a wire service
in the byline, else the publisher itself, as with a press release).

The byline line keeps the outlet's own wording ("A and B") when a byline
holds exactly the chosen names (a visible one first, then a name field);
names listed apart are joined with "; "; `authors` lists each name with its kind.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import unquote

from lxml.etree import XPath
from lxml.html import HtmlElement

from scrapers.article.cleaning import clean, fold
from scrapers.article.jsonld import ld_names, ld_types
from scrapers.article.names import (
    AND_JOIN,
    CASELESS,
    CASELESS_LABEL_END,
    CASELESS_LABELS,
    CASELESS_TITLES_AFTER,
    DATE_TIME_TAIL,
    GREEK_BYLINE_LABEL,
    JOINED_PARTICLE,
    NAME_PARTICLES,
    POSTED_ON_BY,
    clean_byline,
    has_middle_initial,
    is_acronym,
    is_organisation,
    is_staff,
    is_wire,
    looks_like_person,
    person_despite_outlet_word,
    split_names,
    without_honorific,
)
from scrapers.article.structured import Sources
from scrapers.article.titles import TITLE_SEPARATORS, is_site, site_names
from scrapers.article.tree import CARD_LINK_LETTERS, card_link_letters, is_comment_block
from scrapers.records import Author

PERSON = "person"
ORGANISATION = "organisation"
# How much each kind of source counts when names are compared across sources: the log-odds of how often
# its byline was the right one on the half of the extraction corpus rules are written on (docs/scraping.md).
# A profile link mostly repeats a visible byline, so it is the weakest witness: any weight from 0.3 to 1.2
# scored best on that half, and 0.75 is the middle of that range. A name in a dateline counts as little (not
# measured: on that half it is found on one page, alone).
WEIGHTS = {"json-ld": 1.73, "visible": 1.82, "meta": 1.32, "text": 2.44, "link": 0.75, "dateline": 0.75}
# Names read from one JSON-LD author list or one meta name's tags: a byline names a few people, and a hostile
# page listing 100,000 would make comparing each with the others take minutes.
MAX_LD_AUTHORS = 50
# The sources whose value is a name field, holding a name rather than a line written around one.
NAME_FIELDS = ("json-ld", "meta")
AUTHOR_META = (
    "author",
    "article:author",
    "byl",
    "parsely-author",
    "sailthru.author",
    "dc.creator",
    "dcterms.creator",
    "dc.author",
    "citation_author",
    "twitter:creator",
    "og:article:author",
    "cxenseparse:author",
    "shareaholic:article_author_name",
)
AUTHOR_CLASS = re.compile(
    r"(?:^|[-_\s])(?:authors?|byline|autor|autoren|auteurs?|autore|autori|verfasser|writer|creator|journalist|"
    r"author-?name|article-author|post-author|entry-author|meta-author|posted-by|submitted-by|submitted)(?:$|[-_\s])",
    re.I,
)
# Attributes naming a page's component for its tests and analytics: on sites whose class names are generated
# hashes ('QHbl nkdH'), the only words that say an element is the byline ('data-testid="prism-byline"').
COMPONENT_ATTRIBUTES = ("data-testid", "data-test-id", "data-test", "data-qa", "data-component", "data-component-name")
BYLINE_ELEMENTS = XPath(
    "//*[@rel='author' or contains(@itemprop, 'author') or @class or @id or "
    + " or ".join(f"@{name}" for name in COMPONENT_ATTRIBUTES)
    + "][not(self::meta or self::link or self::script or self::style or self::img or self::html or self::body)]"
)
AUTHOR_CLASS_EXCLUDE = re.compile(r"(?:avatar|image|img|photo|bio|description|box|social|follow|more|about)", re.I)
BYLINE_TEXT = XPath(
    "//body//*[self::p or self::span or self::em or self::i or self::strong or self::b or self::div or "
    "self::address or self::small or self::li or self::h4 or self::h5 or self::h6]"
    "[string-length(normalize-space(.)) < 70]"
    "[re:test(normalize-space(.), '^[-–—|•·]?\\s*(by|von|from|text von|text:|autor:|autorin:|author:|redaktion:|"
    "par|por|door|written by|geschrieben von|(ein|eine|a|an|un|une|una) [^ ]+ (von|by|par|de|di)|"
    "av|af|oleh|escribe|escreve|scrive|texto:|testo:|auteur\\s*:|autore:|"
    "di|текст:|автор:|автори:|yazar:|yazan:|szerző:|autorka:|tekst:|teksti:|piše:|tác giả:|texte\\s*:|"
    "(story|words|reporting|reported|compiled|posted|opinion|analysis|commentary|escrito|scritto|skrevet|skrivet) "
    "(by|por|da|af|av)|reporter:|penulis:|"
    f"kirjoittaja:|forfatter:|författare:|{GREEK_BYLINE_LABEL})\\s*:?\\s+\\S"
    f"|^({CASELESS_LABELS}){CASELESS_LABEL_END}\\S|^{POSTED_ON_BY}"
    f"|^[(（]?[{CASELESS}]{{1,12}}\\s?({CASELESS_TITLES_AFTER})(\\s|$|[)）=])', 'i')]",
    namespaces={"re": "http://exslt.org/regular-expressions"},
)
# "From our correspondent": a line from someone is a byline only when the staff sign it ("From Jane Doe's notebook",
# "From New York City" are no bylines).
FROM_LINE = re.compile(r"^\W*from\s", re.I)
# "Eine Kolumne von", "A column by": the kind of piece before the name.
ARTICLE_KIND = re.compile(r"^(?:ein|eine|a|an|un|une|una)\s+\S+\s+(?:von|by|par|de|di)\s+", re.I)
# The label of a Twitter card's field holding the author, as Yoast SEO writes it in the languages it is used in most.
WRITTEN_BY_LABEL = re.compile(
    r"^\s*(?:written by|verfasst von|geschrieben von|écrit par|escrito por|scritto da|geschreven door|napisane przez|"
    r"skrevet af|skrevet av|skrivet av|kirjoittanut|author|autor|auteur|autore)\s*$",
    re.I,
)
# A name as written: capitalised words (Latin, Cyrillic or Greek) and the particles between them, or one to
# four words of a script without capitals ('محمد العلي', '张伟', '迈克尔·乔丹').
BYLINE_NAME = re.compile(
    r"^[A-ZÀ-ÖØ-ÞА-ЯЁЄІЇЎҐΑ-Ω][\w'’.\-]+(?:\s+(?:(?:"
    + JOINED_PARTICLE
    + r")?[A-ZÀ-ÖØ-ÞА-ЯЁЄІЇЎҐΑ-Ω][\w'’.\-]*|"
    + "|".join(sorted(NAME_PARTICLES))
    + "))+$"
    + rf"|^[{CASELESS}][{CASELESS}·・]*(?:\s+[{CASELESS}][{CASELESS}·・]*){{0,3}}$"
)


# An organisation's name as written: capitalised words, the small words between them ("Times of India", "The
# Guardian", "Marks & Spencer"), and its staff after it ("Guardian staff"); no sentence's lower-case words.
ORGANISATION_AS_WRITTEN = re.compile(
    r"^[A-ZÀ-ÖØ-Þ][\w'’.&-]*(?:\s+(?:(?:of|the|for|de|du|des|di|del|della|la|le|and|und|&)\s+)*[A-ZÀ-ÖØ-Þ][\w'’.&-]*)*"
    r"(?:\s+(?:staff|reporters?|writers?|correspondents?|redaktion))?$"
)


@dataclass(frozen=True)
class BylineCandidate:
    """One byline found on the page: the names in it, where it was found, and its kind if the source says."""

    line: str
    names: tuple[str, ...]
    source: str  # "json-ld", "meta", "visible", "text" or "link"
    declared: str | None = None  # PERSON or ORGANISATION when JSON-LD types it
    in_parts: bool = False  # the source gives the name as a person's parts: a given name and a surname


@dataclass
class BylineDecision:
    byline: str | None
    authors: list[Author]


def find_byline(src: Sources, outlet: str | None, base: str | None = None) -> BylineDecision:
    """The page's authors and its byline line: people by agreement of sources, else an organisation.

    The outlet is known by every name the page gives itself and by its address's host ('Jane Doe,
    Westbury Echo' on westburyecho.example), so it is taken off a byline and never signs as a person.
    """
    sites = site_names(src, outlet, base)
    candidates = gather(src, sites)
    in_parts = {fold(name) for c in candidates if c.in_parts for name in c.names}
    people = [c for c in candidates if _kind(c, sites, in_parts) == PERSON]
    if people:
        chosen = max(people, key=lambda c: (_support(c, people), WEIGHTS[c.source]))
        names = [_cased(name, people) for name in _fullest(chosen.names, people)]
        line = _as_written(names, people) or "; ".join(names)  # listed apart, as `_listed_names` joins them
        kinds = [
            ORGANISATION
            if _organisation_name(n) and not (_coauthor(n, names) or _signed_person(n, in_parts))
            else PERSON
            for n in names
        ]
        return BylineDecision(line, [Author(n, kind) for n, kind in zip(names, kinds, strict=True)])
    organisations = [c for c in candidates if _kind(c, sites, in_parts) == ORGANISATION]
    if organisations:
        # A wire service or desk in the byline, before the publisher's own name in its meta tags.
        chosen = max(organisations, key=lambda c: (c.source != "meta" or not is_site(fold(c.line), sites),))
        return BylineDecision(chosen.line, [Author(chosen.line, ORGANISATION)])
    publisher = _publisher(src)
    if publisher and without_honorific(publisher) != publisher and looks_like_person(without_honorific(publisher)):
        # A site named after its author, titled: 'Dr. Anna Weber' is a person, whatever the page calls itself.
        return BylineDecision(without_honorific(publisher), [Author(without_honorific(publisher), PERSON)])
    return BylineDecision(publisher, [Author(publisher, ORGANISATION)] if publisher else [])


def gather(src: Sources, sites: list[str]) -> list[BylineCandidate]:
    """Every byline of the page, with its source, cleaned to names and with outlet names taken off."""
    found: list[BylineCandidate] = []

    def add(raw: str | None, source: str, declared: str | None = None, in_parts: bool = False) -> None:
        line = clean_byline(raw, name_field=source in NAME_FIELDS)
        if not line or (line.startswith("@") and " " not in line) or _not_a_name(line):
            return
        line = _strip_outlet(line, sites)
        candidate = BylineCandidate(line, tuple(split_names(line)), source, declared, in_parts)
        if candidate not in found:
            found.append(candidate)

    for value in (src.ld("author"), src.ld("creator"), src.ld("author", src.pages)):
        authors = _ld_authors(value, src.ld_items)
        listed = _listed_byline(authors)
        if listed:
            add(*listed)
        for name, declared, parts in authors:
            add(name, "json-ld", declared, parts)
    for key in AUTHOR_META:
        values = src.meta.get(key, ())
        # One tag per author ('parsely-author' twice): several signatures in one tag's name are one byline of them all.
        names = [n for v in src.own_meta(key)[:MAX_LD_AUTHORS] if (n := clean_byline(v, name_field=True))]
        signed = _signatures(names, names)
        add("; ".join(signed) if len(signed) >= 2 else values[0] if values else None, "meta")
    for n in range(1, 5):
        # Yoast SEO's Twitter card fields: the author is the field its label says was written by.
        if WRITTEN_BY_LABEL.match(src.first_meta(f"twitter:label{n}") or ""):
            add(src.first_meta(f"twitter:data{n}"), "meta")
    for text, parts in _visible_bylines(src.tree):
        add(text, "visible", in_parts=parts)
    for text in _text_bylines(src.tree):
        add(text, "text")
    for text in _profile_links(src.tree):
        add(text, "link")
    for text in _dateline_names(src.tree):
        add(text, "dateline")
    return found


def _listed_byline(authors: list[tuple[str, str | None, bool]]) -> tuple[str, str, str | None] | None:
    """A JSON-LD author list as one byline of its signatures ("Jane Roe; Reuters"), as a visible byline writes them.

    The people and the wire services beside them sign, as in a written byline ("Jane Roe, Reuters"); another
    organisation in the list ('Kingston Herald', the page's own outlet) is where they work and is left out, as
    after a comma. Anything else listed (no person's name, no organisation) leaves the list to its parts.
    """
    names = [clean(name) or "" for name, _, _ in authors]
    kinds = [kind for _, kind, _ in authors]
    signed = _signatures(names, [n for n, kind in zip(names, kinds, strict=True) if kind != ORGANISATION])
    outlets = [n for n, kind in zip(names, kinds, strict=True) if kind == ORGANISATION and n not in signed]
    if len(signed) < 2 or len(signed) + len(outlets) != len(names):
        return None
    people = [kind for n, kind in zip(names, kinds, strict=True) if n in signed and not is_wire(n)]
    return "; ".join(signed), "json-ld", PERSON if all(kind == PERSON for kind in people) else None


def _signatures(names: list[str], listed: list[str]) -> list[str]:
    """The names of a list that sign a byline together: its people, then the wire services beside them.

    `listed` are the names that may be people's (a name typed an Organization is not). With no person among them a
    list of wire services or outlets is no one byline: each is weighed alone.
    """
    people = [n for n in listed if _person_among(n, listed) and not is_wire(n)]
    wires = [n for n in names if is_wire(n)]
    return list(dict.fromkeys(people + wires)) if people else []


def _not_a_name(line: str) -> bool:
    """Dates, durations and counters that sit in byline elements ('juillet 2020', '01:30 Min.').

    A single word may hold digits (a user name such as 'Marianne1'); a name of several words does not.
    """
    return len(line.split()) > 1 and any(ch.isdigit() for ch in line)


def _kind(candidate: BylineCandidate, sites: list[str], in_parts: set[str] | frozenset[str] = frozenset()) -> str:
    """A person unless the words are an organisation's ('CNN' too), JSON-LD says so, or it is the outlet's own name.

    A person beside an organisation ('Jane Doe / Associated Press') makes the
    byline a person's, each name keeping its own kind.
    Organisation words win over a declared Person ("Staff" typed as a Person
    is still a desk); people's names joined win over a declared Organization
    ("Jane Smith and John Roe", where a CMS types every author so), as the
    firm 'Procter and Gamble' is no two people's full names. The outlet's
    name is a person's when it looks like one: a blog named after its author.
    A person's name holding an outlet's word ('Emily Post') is a person's with
    a person's sign (`_signed_person`).
    """
    line = candidate.line
    if _signed_person(line, in_parts):
        return PERSON
    people = len(candidate.names) >= 2 and all(looks_like_person(n) for n in candidate.names)
    beside = len(candidate.names) >= 2 and any(looks_like_person(n) for n in candidate.names)
    if (_organisation_name(line) and not beside) or (candidate.declared == ORGANISATION and not people):
        return ORGANISATION
    if candidate.declared == PERSON:
        return PERSON
    if is_site(fold(line), sites) and not looks_like_person(line):
        return ORGANISATION
    return PERSON


def _coauthor(name: str, names: list[str]) -> bool:
    """A name shaped as a person's with an outlet's word in it ('Emily Post') signing beside a person ('Jane Doe and
    Emily Post'): a co-author. An outlet beside a person follows a comma, a slash or 'for' and is taken off as where
    the person works (`names.clean_byline`); it is not joined to the person as one more author."""
    return person_despite_outlet_word(name) and any(looks_like_person(other) for other in names if other != name)


def _signed_person(name: str, in_parts: set[str] | frozenset[str]) -> bool:
    """A name shaped as a person's with an outlet's word in it ('Emily Post') that the page signs as a person's.

    Alone such a name reads as the outlet it is shaped as ('Washington Post'); what no outlet's name has says it is
    a person's: an initial between the names ('Emily J. Post'), or a source giving it in a person's parts, a given
    name and a surname (JSON-LD `givenName` and `familyName`, hCard's `given-name` and `family-name`), as a CMS does
    from its user's profile. A JSON-LD `Person` alone is no such sign: CMSs type every account so, outlets' too.
    """
    return person_despite_outlet_word(name) and (fold(name) in in_parts or has_middle_initial(name))


def _person_among(name: str, names: list[str]) -> bool:
    """Whether a name in a list of authors is a person's: shaped as one, or a co-author beside a person."""
    return looks_like_person(name) or _coauthor(name, names)


def _organisation_name(name: str) -> bool:
    """An organisation's by its words ('Reuters', 'Staff', 'Westbury Council') or an acronym alone ('CNN')."""
    return is_organisation(name) or is_acronym(name)


def _agrees(a: str, b: str) -> bool:
    fa, fb = fold(a), fold(b)
    return fa == fb or (len(fa) >= 4 and len(fb) >= 4 and (fa in fb or fb in fa))


def _support(candidate: BylineCandidate, others: list[BylineCandidate]) -> float:
    """The weight of every source that names one of the candidate's names (itself included), shared out.

    A source counts for a name in the share of its bylines that agree with it:
    byline elements or "By" lines that name five people (the page's own and
    a list of other stories, each signed) are no strong witness for any one
    of them, where a JSON-LD author given alone is.
    """
    agreeing: dict[str, int] = {}
    given: dict[str, int] = {}
    for other in others:
        given[other.source] = given.get(other.source, 0) + 1
        if any(_agrees(a, b) for a in candidate.names for b in other.names):
            agreeing[other.source] = agreeing.get(other.source, 0) + 1
    return sum(WEIGHTS[source] * agreeing[source] / given[source] for source in agreeing)


def _fullest(names: tuple[str, ...], candidates: list[BylineCandidate]) -> list[str]:
    """Each name in its longest form any source gives ('Nils' in JSON-LD, 'Nils Pickert' in the byline)."""
    out: list[str] = []
    for name in names:
        best = name
        for c in candidates:
            for other in c.names:
                words, other_words = fold(best).split(), fold(other).split()
                if len(other_words) > len(words) and other_words[: len(words)] == words and looks_like_person(other):
                    best = other
                elif best.islower() and _agrees(best, other) and looks_like_person(other):
                    best = other  # a user name ('sarah-indra') where the page also writes the name out
        out.append(best)
    return list(dict.fromkeys(out))


def _in_capitals(name: str) -> bool:
    """Whether a name is written in capitals alone ('JANE DOE'), a template's style rather than its spelling."""
    letters = [ch for ch in name if ch.isalpha()]
    return len(letters) >= 4 and all(ch.isupper() for ch in letters)


def _cased(name: str, candidates: list[BylineCandidate]) -> str:
    """A person's name in capitals ('BY JANE DOE') as names are written: another source's spelling, else each word's.

    Another source's spelling keeps what a guess cannot know ('JoAnne
    McDonald'); an organisation's capitals are its name ('BBC NEWS').
    """
    if not _in_capitals(name) or _organisation_name(name):
        return name
    for c in candidates:
        for other in c.names:
            if fold(other) == fold(name) and not _in_capitals(other):
                return other
    words = name.split()
    return " ".join(
        word.lower()
        if i and word.lower() in NAME_PARTICLES
        else re.sub(r"[^\W\d_]+", lambda m: m[0][:1].upper() + m[0][1:].lower(), word)
        for i, word in enumerate(words)
    )


def _as_written(names: list[str], candidates: list[BylineCandidate]) -> str | None:
    """A byline holding exactly these names, as the outlet joins them ("A and B"), unless in capitals.

    A line shown on the page first, then a name field's ('<meta name="author" content="A and B">'). Names listed
    apart (a JSON-LD author list, a meta tag each, one element each) are joined with "; " (`gather`,
    `_listed_names`), as nothing the outlet wrote joins them.
    """
    if len(names) < 2:
        return names[0] if names else None
    for c in sorted(candidates, key=lambda c: c.source not in ("visible", "text")):
        if len(c.names) == len(names) and all(any(fold(n) == fold(m) for m in c.names) for n in names):
            return _recased(c, names) if any(map(_in_capitals, c.names)) else c.line
    return None


def _recased(candidate: BylineCandidate, names: list[str]) -> str:
    """A byline in capitals ('SEAN O'NEIL AND JANE DOE') with its names as written elsewhere and its joins in small
    letters: 'Sean O'Neil and Jane Doe'."""
    line = candidate.line
    for written in candidate.names:
        line = line.replace(written, next((n for n in names if fold(n) == fold(written)), written), 1)
    return AND_JOIN.sub(lambda join: join[0].lower(), line)


def _publisher(src: Sources) -> str | None:
    """The organisation publishing the page, by its own name without a tagline ('Herz und Blut - Interior | ...').

    Only a name the page gives counts: a host name is no one's byline.
    """
    name = ld_names(src.ld("publisher")) or src.first_meta("og:site_name", "application-name")
    if not name:
        return None
    return clean(TITLE_SEPARATORS.split(name)[0]) or name


def _ld_authors(value, items: list[dict], depth: int = 0) -> list[tuple[str, str | None, bool]]:
    """JSON-LD authors as (name, declared kind, given in parts); a reference ({"@id": ...}) is looked up among the
    page's items. In parts: its `givenName` and `familyName` are the name (`_named_in_parts`).

    Nesting is followed only a few levels (as ld_names does): a reference can
    point back at the item holding it, and a hostile page can nest names
    deeper than Python recurses.
    """
    if depth > 4:
        return []
    if isinstance(value, list):
        out: list[tuple[str, str | None, bool]] = []
        for v in value:
            out.extend(n for n in _ld_authors(v, items, depth + 1) if n not in out)
            if len(out) >= MAX_LD_AUTHORS:
                return out[:MAX_LD_AUTHORS]
        return out
    if isinstance(value, dict):
        if set(value) <= {"@id", "@type"} and value.get("@id"):
            target = next((i for i in items if i.get("@id") == value["@id"] and set(i) - {"@id", "@type"}), None)
            if target is None:
                return []
            value = target
        types = ld_types(value)
        declared = ORGANISATION if types & {"organization", "newsmediaorganization", "corporation"} else None
        declared = PERSON if "person" in types else declared
        name = value.get("name")
        if isinstance(name, dict | list):
            return [(n, declared, False) for n, _, _ in _ld_authors(name, items, depth + 1)]
        parts = f"{value.get('givenName') or ''} {value.get('familyName') or ''}"
        if not name and parts.strip():
            name = parts
        if not isinstance(name, str) or not name.strip():
            return []
        return [(name, declared, declared != ORGANISATION and _named_in_parts(name, value))]
    if isinstance(value, str) and value.strip():
        return [(value, None, False)]
    return []


def _named_in_parts(name: str, item: dict) -> bool:
    """Whether a JSON-LD author's `givenName` and `familyName` are both given, and together its name."""
    given, family = item.get("givenName"), item.get("familyName")
    if not (isinstance(given, str) and isinstance(family, str) and given.strip() and family.strip()):
        return False
    return fold(f"{given} {family}") == fold(name)


def _strip_outlet(name: str, sites: list[str]) -> str:
    """'Bob Yirka, Phys.org', 'unocero - Alberto Ávila', 'Adam Aaronson PhillyVoice' or 'Jane Doe Westbury Post' to
    the name alone."""
    parts = [p.strip() for p in re.split(r"\s*[,|/]\s*|\s+[-–—]\s+", name)]
    kept = [p for p in parts if p and not is_site(fold(p), sites)]
    if kept and len(kept) < len(parts):
        name = ", ".join(kept)
    words = name.split()
    site_words = {re.sub(r"[\W_]+", "", site) for site in sites}
    while len(words) > 2 and re.sub(r"[\W_]+", "", fold(words[-1])) in site_words:
        words = words[:-1]
    # The outlet's whole name after the person's, as a byline block's second line ("Jane Doe Westbury Post").
    for size in (4, 3, 2):
        head, tail = " ".join(words[:-size]), re.sub(r"[\W_]+", "", fold(" ".join(words[-size:])))
        if len(words) - size >= 2 and tail.removeprefix("the") in site_words and looks_like_person(head):
            return head
    return " ".join(words)


def _text_bylines(tree: HtmlElement) -> list[str]:
    """Short lines written as a byline ('Von Daniela Obers', 'Text von X Illustration von Y')."""
    found: list[str] = []
    read: set[str] = set()  # a line read before is read the same: 9,000 copies of one byline were each read (2 s)
    for el in BYLINE_TEXT(tree):
        if any(a.tag in ("nav", "footer", "a") or is_comment_block(a) for a in el.iterancestors()):
            continue
        written = " ".join(el.itertext()).replace("\xa0", " ").strip()
        if written in read:
            continue
        read.add(written)
        text = ARTICLE_KIND.sub("", written)
        name = clean_byline(re.split(r"\s{3,}|\s+(?:und|and|&)?\s*(?:Illustrationen?|Fotos?|Bilder?)\b", text)[0])
        if name and FROM_LINE.match(text) and not is_staff(name):
            continue
        if name == written:
            continue  # no label taken off: a surname alone ("Di Maio") or a sentence, no byline
        if name and (_written_names(name) or is_staff(name)) and name not in found:
            found.append(name)
            if len(found) >= 3:
                break
    return found


def _written_names(line: str) -> bool:
    """Whether a written line names its authors: each name written as a person's or an organisation's.

    'Anna Weber und Jonas Berg', 'Anna Weber und dpa', 'Reuters' and 'Times of India' are bylines; 'the way,
    the council met' or 'Sunday, the news desk had left' after a 'By' is not: an organisation's words in a
    sentence make no byline, only an organisation's name as written (a line that is the staff's title or desk
    alone, 'By Our Correspondent', 'Von der Redaktion', is read by `is_staff`).
    """
    names = split_names(line)
    people = [n for n in names if BYLINE_NAME.match(n)]
    named = [n for n in names if is_organisation(n) and (is_wire(n) or ORGANISATION_AS_WRITTEN.match(n))]
    return bool(people or named) and all(n in people or is_organisation(n) for n in names)


# A short line of separated parts ('04.02.2026 | 13:10 Uhr | Anna Weber'): found from the separators' own text
# nodes upwards, so the text of every element of the page is not gathered to test it.
SEPARATOR_TEXTS = XPath("//body//text()[contains(., '|') or contains(., '·') or contains(., '•')]")
DATELINE_TAGS = {"p", "span", "small", "div", "li", "address", "time"}
DATELINE_MAX = 70  # characters, as for a written byline
DATELINE_PARTS = re.compile(r"\s+[|·•]\s+")
TIME_PART = re.compile(r"^\d{1,2}[:.]\d{2}(?:\s*(?:uhr|h|am|pm|a\.m\.|p\.m\.))?$", re.I)
WEEKDAY = re.compile(
    r"\b(?:(?:Mon|Tue|Tues|Wed|Thu|Thur|Thurs|Fri|Sat|Sun)\.?|(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day|"
    r"Montag|Dienstag|Mittwoch|Donnerstag|Freitag|Samstag|Sonntag)(?!\w)",
    re.I,
)


def _dateline_names(tree: HtmlElement) -> list[str]:
    """A name in a line holding only it and the story's date and time ('04.02.2026 | 13:10 Uhr | Anna Weber').

    Every other part must be a date or a time, so a line of sections or tags
    says nothing; a place before the date is one word or no person's name.
    """
    for el in _separator_lines(tree):
        if any(a.tag in ("nav", "footer", "a") or is_comment_block(a) for a in el.iterancestors()):
            continue
        line = " ".join(" ".join(el.itertext()).split())
        parts = DATELINE_PARTS.split(line)
        others = [p for p in parts if not (TIME_PART.match(p) or DATE_TIME_TAIL.fullmatch(p))]
        if len(parts) < 2 or len(others) != 1 or len(others) == len(parts):
            continue
        name = clean_byline(others[0])
        if name and BYLINE_NAME.match(name) and looks_like_person(name) and not WEEKDAY.search(name):
            return [name]
    return []


def _separator_lines(tree: HtmlElement) -> list[HtmlElement]:
    """The short elements holding a separator, innermost first ('<small>04.02.2026 <b>|</b> Anna Weber</small>').

    Each separator's ancestors are tried up to the first that is too long;
    an element found too long is remembered, so a block of a thousand
    separators has its text measured once, not once for each.
    """
    lines: list[HtmlElement] = []
    seen: set[HtmlElement] = set()
    for node in SEPARATOR_TEXTS(tree):
        el = node.getparent()
        while el is not None and el not in seen:
            seen.add(el)
            if el.tag in ("body", "html") or len(" ".join(el.text_content().split())) >= DATELINE_MAX:
                break
            if el.tag in DATELINE_TAGS:
                lines.append(el)
            el = el.getparent()
    return lines


@lru_cache(maxsize=4096)  # pages repeat the same few class strings on hundreds of elements
def _author_classed(names: str) -> bool:
    return bool(AUTHOR_CLASS.search(names)) and not AUTHOR_CLASS_EXCLUDE.search(names)


# A name's parts marked up in a byline: hCard's and microformats2's classes, schema.org microdata's properties.
GIVEN_NAME_PART = XPath(
    ".//*[contains(concat(' ', normalize-space(@class), ' '), ' given-name ') or "
    "contains(concat(' ', normalize-space(@class), ' '), ' p-given-name ') or @itemprop='givenName']"
)
FAMILY_NAME_PART = XPath(
    ".//*[contains(concat(' ', normalize-space(@class), ' '), ' family-name ') or "
    "contains(concat(' ', normalize-space(@class), ' '), ' p-family-name ') or @itemprop='familyName']"
)


def _visible_bylines(tree: HtmlElement) -> list[tuple[str, bool]]:
    """Texts of byline-looking elements (rel=author, itemprop=author, author/byline classes), each with whether it
    marks the name's parts up as a person's (a given name and a family name)."""
    found: list[tuple[str, bool]] = []
    links: dict[HtmlElement, int] = {}
    read: set[str] = set()
    for el in BYLINE_ELEMENTS(tree):
        if el.get("rel") == "author" or "author" in (el.get("itemprop") or ""):
            pass
        else:
            names = " ".join(
                [el.get("class") or "", el.get("id") or ""] + [el.get(n) or "" for n in COMPONENT_ATTRIBUTES]
            )
            if not _author_classed(names):
                continue
        outside = any(a.tag in ("footer", "nav") or is_comment_block(a) for a in el.iterancestors())
        if outside or _in_card_link(el, links):
            continue
        name_el = el.xpath(".//*[@itemprop='name']")
        text = _listed_names(el) or " ".join((name_el[0] if name_el else el).itertext())
        if text in read:
            continue  # found already, or no byline: 9,000 copies of one were each read (2 s)
        read.add(text)
        if clean_byline(text):
            found.append((text, bool(GIVEN_NAME_PART(el)) and bool(FAMILY_NAME_PART(el))))
        if len(found) >= 5:
            break
    return found


def _in_card_link(el: HtmlElement, counted: dict[HtmlElement, int]) -> bool:
    """Whether a byline element is inside a link that also carries a headline: another story's teaser card.

    Each link's letters are counted once, into `counted` (a search's own): counted again for each byline in it,
    a link of 3,000 bylines and words read its whole text 3,000 times, and held the parse for minutes.
    """
    for node in el.iterancestors("a"):
        if node.get("href"):
            if node not in counted:
                counted[node] = card_link_letters(node.text_content())
            return counted[node] - card_link_letters(el.text_content()) > CARD_LINK_LETTERS
    return False


def _listed_names(el: HtmlElement) -> str | None:
    """A byline block listing its authors one element each, with nothing between them: 'A; B'.

    Card layouts ('<div class="item"><div>LP</div><div>Luana Patriolino</div></div>'
    per author) read as one run of words; each child is one author.
    """
    if (el.text or "").strip() or any((child.tail or "").strip() for child in el):
        return None  # the outlet writes something between the names ("A, B & C"): the text as written says it
    names: list[str] = []
    outlet = False
    for child in el:
        if not isinstance(child.tag, str):
            continue
        name = clean_byline(" ".join(child.itertext()))
        if name and not looks_like_person(name) and _organisation_name(name):
            outlet = True  # the outlet the people write for, in its own element ('BBC News, London')
        elif name and not looks_like_person(name):
            return None
        elif name:
            names.append(name)
    return "; ".join(names) if len(names) >= 2 or (names and outlet) else None


# Distinct names read from links to author pages: a byline links a few people; comparing each name
# with every other takes minutes when a hostile page links 5,000.
MAX_PROFILE_LINKS = 10
# An author's own page: '/author/jane-doe/', '/staff/jane-doe', '/autoren/jane-doe.html', '/profil/X7/jane-doe'.
PROFILE_PATH = re.compile(
    r"/(?:authors?|autor(?:en|in)?|auteurs?|autore|autori|autores|staff|profile?s?|people|person|personen|"
    r"redakteur(?:e|in)?|journalists?|mitarbeiter(?:in)?|contributors?|writers?|penulis|team)/"
    r"(?:[^/?#]+/)*?([^/?#]+?)/?(?:[?#]|$)",
    re.I,
)


def _profile_links(tree: HtmlElement) -> list[str]:
    """Links to an author's page whose text is the name the address spells ('/staff/jane-doe/' -> 'Jane Doe').

    The address must spell the name, so a link to a team page or a
    'more from our writers' list says nothing.
    """
    found: list[str] = []
    for a in tree.iter("a"):
        href = (a.get("href") or "").split("#")[0]
        match = PROFILE_PATH.search(href) if href else None
        if not match:
            continue
        text = clean(a.text_content())
        if not text or not looks_like_person(text) or text in found:
            continue
        if any(x.tag in ("footer", "nav") or is_comment_block(x) for x in a.iterancestors()):
            continue
        name = _ascii_letters(text)
        if len(name) >= 5 and name in _ascii_letters(unquote(match[1])):
            found.append(text)
            if len(found) >= MAX_PROFILE_LINKS:
                break
    return found


def _ascii_letters(text: str) -> str:
    """'José Núñez' -> 'josenunez', the way an address spells a name."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "", text)
