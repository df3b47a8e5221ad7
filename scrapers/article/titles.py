"""The headline, and the outlet's names that must be stripped from it.

Structured titles carry outlet suffixes, kickers and section names; the visible
<h1> is usually the headline itself. The site-name logic (is this part the
outlet?) lives here too, because bylines use it to drop an outlet from a name.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urlsplit

from lxml.html import HtmlElement

from scrapers.article.cleaning import clean, fold
from scrapers.article.jsonld import ld_names, ld_text, ld_types
from scrapers.article.structured import Sources
from scrapers.article.tree import SPACED_TAGS
from scrapers.article.tree import unseen as _unseen
from scrapers.urls import join_url

# Between a headline and its site's name: spaced dashes, bars, slashes, colons and guillemets (a direction mark
# beside the spaces of a right-to-left title counts as space); bars and bullets spaced or not, and a guillemet
# between two words ("Headline»Outlet": after a word and before a space it closes a quotation, "«Budget agreed» -
# Outlet"); the full-width bar and colon of Japanese and Chinese titles, and the underscore of Chinese portals'
# between two characters beyond ASCII ("…活动_新浪网", never "budget_v2" or a "mein_blog" site name), and dashes and
# wave dashes between two Chinese, Japanese or Korean characters, spaced or not ("…预算——新华网", "…可決～日経").
_SP = r"[\s\u200e\u200f\u061c]"
_CJK = r"[\u3000-\u9fff\uac00-\ud7af\uff00-\uffef]"
CJK_CHAR = re.compile(_CJK)
TITLE_SEPARATORS = re.compile(
    rf"{_SP}+[|\-–—·•»«‹›:~〜～⋆/\\]+{_SP}+|\s*[|·•⋆│｜：]\s*|(?<=\S)»(?=\S)|(?<=[^\x00-\x7f])_(?=[^\x00-\x7f])"
    r"|\s+::\s+"
    rf"|(?<={_CJK})[-–—〜～]+(?={_CJK})"
)
# A Japanese or Chinese site's name in lenticular brackets before or after the headline ("【日経】…", "…【新浪】"),
# or in full-width parentheses after it ("…を延期（西部新聞）", as Yahoo! News Japan credits each outlet); any
# site's in parentheses or square brackets after it ("Headline (Outlet)").
BRACKETED_EDGE = re.compile(
    r"^\s*【([^】]{1,40})】|【([^】]{1,40})】\s*$|（([^）]{1,40})）\s*$|\s[(\[]([^)\]]{2,40})[)\]]\s*$"
)
TITLE_PREFIX = re.compile(r"^\s*([^:]{2,40}?)\s*:\s+(.+)$")
LEADING_DATE = re.compile(r"^\s*\d{1,4}[./-]\d{1,2}[./-]\d{1,4}\s*[-–—|:]\s*")


def find_title(src: Sources, outlet: str | None, base: str | None) -> str | None:
    """The headline: the visible one when a machine-readable title agrees with it, else the cleanest such title."""
    structured = [
        ld_text(src.ld("headline")),
        src.first_meta("og:title"),
        src.first_meta("twitter:title"),
        src.first_meta("headline", "title", "dc.title", "dcterms.title", "parsely-title", "sailthru.title"),
        ld_text(src.ld("name")),
        ld_text(src.ld("headline", src.pages)),
    ]
    structured = [visible(t) for t in structured]
    title_el = src.tree.find(".//title")
    html_title = visible(clean(title_el.text_content())) if title_el is not None else None
    known = list(dict.fromkeys(t for t in [*structured, html_title] if t))
    sites = site_names(src, outlet, base) + banner_names(src.tree, base)
    headings = [
        Heading(text, heading.parts, heading.tag, heading.marked)
        for heading in _headings(src.tree)
        if (text := _strip_site(heading.text, sites, guess=False))
    ]
    # The visible headline, when a machine-readable title confirms it (in their order of trust); when it
    # confirms only one run of the heading's text, that run: the rest is a kicker, a label or a dateline.
    for candidate in known:
        whole = fold(_strip_site(candidate, sites) or candidate)
        for at, heading in enumerate(headings):
            if _confirms(heading.text, candidate, sites):
                return _best_confirmed(headings[at:], candidate, whole, sites)
            part = next((p for p in heading.parts if fold(p) == whole and len(p.split()) >= 2), None)
            if part:
                return part
            if lines := _spaced_runs(heading, whole):
                return lines
            if unkicked := _without_written_kicker(heading.text, whole):
                return unkicked
    h1s = [h for h in (_heading(el).text for el in src.tree.iter("h1")) if h]
    if not any(structured) and len(h1s) == 1 and not is_site(fold(h1s[0]), sites):
        # Only the <title> (often just the site or section) and one headline: trust the page (without its kicker).
        return next((h.text for h in headings if h.tag == "h1"), None) or _strip_site(h1s[0], sites, guess=False)
    for candidate in known:
        cleaned = _strip_site(candidate, sites)
        if cleaned and not is_site(fold(cleaned), sites) and fold(cleaned) not in GENERIC_TITLES:
            cleaned = _uncut(cleaned, [s for t in known if (s := _strip_site(t, sites))])
            # Structured titles are often rewritten for search and sharing; a visible headline that says
            # mostly the same thing in other words is the one readers saw.
            h1 = next((h.text for h in headings if h.tag == "h1"), None)
            return h1 if h1 and _shares_words(h1, cleaned) else cleaned
    headline = next((h.text for h in headings if not is_site(fold(h.text), sites)), None)
    return headline or (known[0] if known else None)


def banner_names(tree: HtmlElement, base: str | None) -> list[str]:
    """The names of headings that are wholly a link to the site's home page ("<h1><a href="/">The Harbour
    Letter</a></h1>"): a blog's or an outlet's name in its banner, which Blogger's, Tumblr's and many themes'
    templates put in an <h1> on every page, above a post whose own title is a smaller heading."""
    names = []
    for heading in tree.xpath("//h1 | //h2 | //h3"):
        links = heading.findall(".//a")
        text = clean(heading.text_content())
        if len(links) == 1 and text and fold(clean(links[0].text_content()) or "") == fold(text):
            if _links_home(links[0], base) and fold(text) not in GENERIC_TITLES:  # a menu's "Home" names nothing
                names.append(fold(text))
    return names


def _links_home(link: HtmlElement, base: str | None) -> bool:
    """Whether a link leads to its site's home page: marked rel="home", or to the root of the page's own site."""
    if "home" in (link.get("rel") or "").lower().split():
        return True
    href = (link.get("href") or "").strip()
    target = join_url(base, href) if base else href
    archived = ARCHIVED.match(target or "")
    parts = urlsplit(archived[1] if archived else target or "")
    own = not parts.netloc or not base or bare_host(target) == bare_host(base)
    return bool(href) and own and parts.path in ("", "/") and not parts.query


# Zero-width spaces, the byte-order mark (a zero-width no-break space) and the word joiner: invisible, and in a
# headline only an editor's or a template's leftovers ("\u200bCouncil agrees budget"), which no reader sees or types.
ZERO_WIDTH = re.compile("[\u200b\ufeff\u2060]")
MARKS = "\u200e\u200f\u061c"


def visible(title: str | None) -> str | None:
    """A title without zero-width characters, and without the direction marks at its edges that say nothing its
    letters do not: one at the end of a line alone, one at its start before a right-to-left letter (a mark before a
    title opening in Latin letters or digits sets the line's direction, and is kept)."""
    if not title:
        return title
    title = " ".join(ZERO_WIDTH.sub("", title).split()).rstrip(MARKS + " ")
    stripped = title.lstrip(MARKS + " ")
    if stripped != title and stripped and unicodedata.bidirectional(stripped[0]) in ("R", "AL"):
        title = stripped
    return title or None


CUT_MARK = re.compile(r"\s*(?:…|\.\.\.)$")
CUT_AT = range(100, 111)  # lengths a headline cut without a mark has: schema.org's old limit of 110, or a word before


def _uncut(title: str, others: list[str]) -> str:
    """The whole headline another of the page's titles holds, when this one was cut short: publishing systems cut
    JSON-LD's headline at 110 characters, with or without an ellipsis, while og:title and <title> keep it whole."""
    stem = CUT_MARK.sub("", title)
    if stem == title and len(title) not in CUT_AT:
        return title
    start = fold(stem)
    return next((o for o in others if len(o) > len(stem) and fold(o).startswith(start) and o != title), title)


@dataclass(frozen=True)
class Heading:
    """A visible headline's text, and its runs of text as the markup separates them (kicker, headline, date)."""

    text: str
    parts: tuple[str, ...] = ()
    tag: str = "h1"
    marked: bool = False  # marked up as the headline: itemprop="headline", hAtom's entry-title, a headline class


WORD = re.compile(r"\w+")
SHARED_WORDS = 0.5  # share of the shorter title's words the other must have for the two to say the same thing


def _shares_words(heading: str, title: str) -> bool:
    """Whether a heading and a structured title say mostly the same thing, in other words or another order."""
    h, t = set(WORD.findall(fold(heading))), set(WORD.findall(fold(title)))
    if len(h) < 3 or len(t) < 3:
        return False
    return len(h & t) >= SHARED_WORDS * min(len(h), len(t))


GENERIC_TITLES = {"home", "startseite", "news", "blog", "aktuelles", "accueil", "inicio", "index", "page", "menu"}
HEADLINE_CLASS = re.compile(r"(?:post|entry|article|page|story|content|news)[-_]?(?:title|headline)|headline", re.I)


KICKER_CLASS = re.compile(
    r"kicker|topline|overline|roofline|dachzeile|spitzmarke|eyebrow|supertitle|overtitle|antetitulo|surtitre|occhiello",
    re.I,
)


def _headings(tree: HtmlElement) -> list[Heading]:
    """Candidate visible headlines: <h1>s, then headline-classed headings, then <h1>s in navigation."""
    first: list[Heading] = []
    last: list[Heading] = []
    for el in tree.xpath("//h1 | //h2 | //h3 | //*[@itemprop='headline'][not(self::meta)]"):
        if el.tag != "h1" and el.get("itemprop") != "headline":
            if not HEADLINE_CLASS.search(f"{el.get('class') or ''} {el.get('id') or ''}"):
                continue
        heading = _heading(el)
        if not heading.text or len(heading.text) < 3:
            continue
        in_nav = any(a.tag in ("nav", "footer") for a in el.iterancestors())
        (last if in_nav else first).append(heading)
    seen: set[str] = set()
    return [h for h in first + last if not (h.text in seen or seen.add(h.text))][:8]


EDGE_PUNCTUATION = " |-–—·•:/"  # what separates a kicker from its headline, left at the start of the rest


def _small_lead(node: HtmlElement, el: HtmlElement) -> bool:
    """Whether node is a small line opening the heading el before the headline's words ("<h1><small>Budget</small>
    Council agrees...</h1>", class "h1small"): a kicker by its look. Small print after the words is their own."""
    if node.getparent() is not el or node.getprevious() is not None or (el.text or "").strip():
        return False
    if node.tag != "small" and "small" not in (node.get("class") or "").lower():
        return False
    return bool(clean(node.tail) or any(clean(s.text_content()) or clean(s.tail) for s in node.itersiblings()))


def _heading(el: HtmlElement) -> Heading:
    """A heading's text without its kicker (the small line over a headline), and its separate runs of text."""
    parts: list[str] = []
    words: list[str] = []
    kicked: list[HtmlElement] = []

    def walk(node: HtmlElement) -> None:
        if node is not el and _unseen(node):
            return
        if (
            isinstance(node.tag, str)
            and node is not el
            and (KICKER_CLASS.search(node.get("class") or "") or _small_lead(node, el))
        ):
            kicked.append(node)
            return
        if node.tag in SPACED_TAGS:  # a line break or a block: a space to the reader ("budget<br>after")
            words.append(" ")
        if node.text:
            parts.append(node.text)
            words.append(node.text)
        for child in node:
            parts.append("\n")
            if isinstance(child.tag, str):
                walk(child)
            parts.append("\n")
            if child.tag in SPACED_TAGS:
                words.append(" ")
            if child.tail:
                parts.append(child.tail)
                words.append(child.tail)

    walk(el)
    runs = [r for r in (visible(clean(r)) for r in "".join(parts).split("\n")) if r and WORD.search(r)]
    text = visible(clean("".join(words))) or ""
    if kicked:
        text = text.strip(EDGE_PUNCTUATION)
    marked = el.get("itemprop") == "headline" or bool(
        HEADLINE_CLASS.search(f"{el.get('class') or ''} {el.get('id') or ''}")
    )
    return Heading(text, tuple(runs) if len(runs) > 1 else (), el.tag, marked)


def _spaced_runs(heading: Heading, whole: str) -> str | None:
    """The heading's runs joined by spaces, when that is the structured title (folded, whole): a headline set in
    lines of their own ("<span class="line">Harbour board delays vote</span><span class="line">on ...</span>",
    shown one under the other by the stylesheet) reads with a space where the markup has none."""
    spaced = " ".join(heading.parts)
    return spaced if heading.parts and fold(spaced) == whole and spaced != heading.text else None


KICKER_WORDS = 3  # most words a label written before a headline in the same run of text has ("EXCLUSIVE:", "LIVE")


def _without_written_kicker(heading: str, whole: str) -> str | None:
    """The headline after a label written into the heading's own text ("EXCLUSIVE: Council agrees budget",
    "LIVE Council agrees budget") when the structured title (folded, whole) is the rest: the label ends in a
    separator or is in capitals, so a headline's own first word ("Why ...") stays."""
    words = heading.split()
    if len(whole.split()) < 3:
        return None
    for n in range(1, min(KICKER_WORDS, len(words) - 3) + 1):
        rest = " ".join(words[n:])
        if fold(rest) != whole:
            continue
        label = " ".join(words[:n])
        letters = [ch for ch in label if ch.isalpha()]
        if label[-1] in EDGE_PUNCTUATION or (len(letters) >= 2 and label.isupper() and not rest.isupper()):
            return rest
    return None


def _best_confirmed(headings: list[Heading], candidate: str, whole: str, sites: list[str]) -> str:
    """Of the headings a structured title confirms (the first of them leading), the headline: the one the title
    names whole (outlet aside), else the one marked up as the headline when it holds no less of the title than the
    first. A blog's name in an <h1> with no link home is confirmed by "Blog: Post title" too, beside the post's own
    title in hAtom's entry-title heading; a related story's shorter entry-title is no headline over the <h1>."""
    confirmed = [h for h in headings if _confirms(h.text, candidate, sites)]
    exact = next((h for h in confirmed if fold(h.text) == whole), None)
    first = confirmed[0]
    marked = next((h for h in confirmed if h.marked and len(fold(h.text)) >= len(fold(first.text))), None)
    return (exact or marked or first).text


def _unspaced_headline(text: str) -> bool:
    """Whether text is a headline of a script written without spaces ("港湾委員会、採決を延期"): one run of a few
    Chinese or Japanese characters says as much as three words do."""
    return len(text) >= HEADLINE_CHARS and bool(CJK_CHAR.search(text))


def _confirms(heading: str, candidate: str, sites: list[str]) -> bool:
    h = fold(heading)
    if len(h) < 4 or is_site(h, sites) or h in GENERIC_TITLES:
        return False
    c = fold(candidate)
    if h == c:
        return True
    if h in _folded(TITLE_SEPARATORS.split(candidate)):
        return True
    return (len(h.split()) >= 3 or _unspaced_headline(h)) and h in c


def _folded(parts: list[str]) -> list[str]:
    """fold() of each part, folding them all in one call: one call per part (three regexes and a normalisation
    each) took a JSON-LD headline of 150,000 separators 1 s of CPU (2-4 s on a busy machine). Joined by a NUL,
    which no folding joins to its neighbours or turns into anything else, they fold to the same parts."""
    if len(parts) < 8 or any("\x00" in part for part in parts):
        return [fold(part) for part in parts]
    return [part.strip() for part in fold("\x00".join(parts)).split("\x00")]


def site_names(src: Sources, outlet: str | None, base: str | None) -> list[str]:
    names = [
        outlet,
        src.first_meta("og:site_name"),
        src.first_meta("application-name"),
        src.first_meta("twitter:site"),
        ld_names(src.ld("publisher")),
        bare_host(base),
    ]
    for item in src.ld_items:
        if ld_types(item) & {"website", "organization", "newsmediaorganization"}:
            names.append(ld_text(item.get("name")))
    return [fold(n.lstrip("@")) for n in names if n]


NOT_LETTERS = re.compile(r"[\W_]+")


def is_site(part: str, sites: list[str]) -> bool:
    """Whether a title part names the outlet ('ZEIT ONLINE', 'zeit.de', 'Die Zeit')."""
    if not NOT_LETTERS.sub("", part):
        return True
    for site in sites:
        roots = [site]
        if "." in site:
            roots.append(site.rsplit(".", 1)[0])
        for root_name in roots:
            for compact, root in zip(_spellings(part), _spellings(root_name), strict=True):
                if len(root) < 3:
                    continue
                if compact == root:
                    return True
                if len(compact) >= 4 and compact in root:
                    return True
                if root in compact and len(compact) <= len(root) + 8:
                    return True
    return False


UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue"})


@lru_cache(maxsize=4096)
def _spellings(name: str) -> tuple[str, str, str]:
    """A name's letters as written, without accents ('nestlé' -> 'nestle') and with umlauts as a host writes them
    ('ökologisch' -> 'oekologisch'): host names hold no accents, so 'Nestlé Marktplatz' is nestle-marktplatz.de."""
    compact = re.sub(r"[\W_]+", "", name)
    plain = "".join(ch for ch in unicodedata.normalize("NFKD", compact) if not unicodedata.combining(ch))
    return compact, plain, compact.translate(UMLAUTS)


# The author's byline as a part of a title after the headline, as Substack ("Headline - by Mara Quill") and Medium
# ("Headline | by Mara Quill | Publication | Medium") write their <title>: a few words, between spaced separators.
BYLINE_PART = re.compile(r"\s+[|\-–—·•]\s+by\s+\S+(?:\s+\S+){0,5}?(?=\s+[|\-–—·•]\s+|$)", re.I)


def _strip_site(title: str, sites: list[str], guess: bool = True) -> str | None:
    """'Headline | Outlet', 'Headline - Outlet' or 'Outlet: Headline' to 'Headline'. With guess, a structured title
    loses an author's byline part and, naming no known outlet, is cut at its bars; a visible headline (guess=False)
    is one the reader saw whole."""
    title = clean(LEADING_DATE.sub("", title)) or title
    if guess:
        title = BYLINE_PART.sub("", title)
    title = re.sub(r"\s+[|\-–—·•»:~⋆/\\│｜]+$", "", title)
    prefix = TITLE_PREFIX.match(title)
    # "Outlet: Headline"; in "Outlet | Mayor: «...»" the words before the colon are more than the outlet's name.
    if prefix and not TITLE_SEPARATORS.search(prefix[1]) and is_site(fold(prefix[1]), sites):
        title = prefix[2]
    for bracketed in BRACKETED_EDGE.finditer(title):
        if is_site(fold(next(g for g in bracketed.groups() if g)), sites):
            title = clean(title.replace(bracketed[0], "", 1)) or title
    parts = [p for p in TITLE_SEPARATORS.split(title) if p.strip()]
    if len(parts) < 2:
        return title
    folded = _folded(parts)
    # The site's parts at either end are counted, then cut once: cut one at a time, each cut copied the parts
    # left, and a title of 100,000 separators (each a part no word is in, which names the site) took minutes.
    first, last = 0, len(parts)
    while last - first > 1 and is_site(folded[last - 1], sites):
        last -= 1
    while last - first > 1 and is_site(folded[first], sites):
        first += 1
    changed = (first, last) != (0, len(parts))
    parts, folded = parts[first:last], folded[first:last]
    middle = next((i for i in range(1, len(parts) - 1) if is_site(folded[i], sites)), None) if not changed else None
    if middle is not None and _headline_long(" ".join(parts[:middle])):
        # "Headline - Outlet - Local news from Westbury": what follows the outlet's name is its tagline or place.
        parts, folded, changed = parts[:middle], folded[:middle], True
    if not changed:
        # "Headline | Section | Outlet" without a known outlet: the pipe is rarely part of a headline, nor the
        # full-width bar Japanese and Chinese titles set unspaced ("見出し｜西部新聞").
        return _guessed_headline(title) if guess else title
    # Rebuild from the original string so separators inside the headline survive.
    start = title.find(parts[0])
    end = title.rfind(parts[-1]) + len(parts[-1])
    if start < 0 or end <= start:
        return clean(" ".join(parts))
    kept = title[start:end]
    after = TITLE_SEPARATORS.match(title, end)
    before = next(reversed(list(TITLE_SEPARATORS.finditer(title, 0, start))), None)
    if before is not None and before.end() == start:
        kept = _without_leading_section(kept, before.group().strip())
    return clean(_without_section(kept, after.group().strip()) if after else kept)


GUESSED_BAR = re.compile(r" \| |｜")


def _guessed_headline(title: str) -> str:
    """The headline of a title naming no known outlet, cut at its bars: the first part ("Headline | Section |
    Outlet"), unless it is too short for a headline and a later one is not ("Outlet | Section | Headline")."""
    barred = [p for p in (clean(p) for p in GUESSED_BAR.split(title)) if p]
    if len(barred) < 2:
        return title
    if _headline_long(barred[0]):
        return barred[0]
    return next((p for p in barred[1:] if _headline_long(p)), barred[0])


SECTION_WORDS = 3  # most words a section's name has ("Politics", "Local news", "Art and design")
SECTION_CHARS = 20
HEADLINE_CHARS = 6  # fewest characters of a headline in a script written without spaces


def _headline_long(head: str) -> bool:
    """Whether text is long enough to be a headline rather than a section's name: three words, or a few characters
    of a script written without spaces."""
    words = head.split()
    return len(words) >= 3 or (len(words) == 1 and len(head) >= HEADLINE_CHARS and not head.isascii())


def _beside_headline(section: str, head: str) -> bool:
    """Whether a part joined to a headline as the outlet is reads as a section's name beside it: a few words, short,
    next to a headline long enough to be one."""
    return _headline_long(head) and len(section.split()) <= SECTION_WORDS and len(section) <= SECTION_CHARS


def _without_section(title: str, site_separator: str) -> str:
    """'Headline | Section' (what was left of 'Headline | Section | Outlet') to 'Headline': the last part is a
    section's name when it is joined as the outlet was and is short beside a headline of three words or more."""
    last = next(reversed(list(TITLE_SEPARATORS.finditer(title))), None)
    if last is None or last.group().strip() != site_separator:
        return title
    head, section = title[: last.start()], title[last.end() :]
    return head if _beside_headline(section, head) else title


def _without_leading_section(title: str, site_separator: str) -> str:
    """'Section | Headline' (what was left of 'Outlet | Section | Headline', the order of breadcrumbs) to 'Headline':
    the first part is a section's name when it is joined as the outlet was and is short beside a headline of three
    words or more."""
    first = TITLE_SEPARATORS.search(title)
    if first is None or first.group().strip() != site_separator:
        return title
    section, head = title[: first.start()], title[first.end() :]
    return head if _beside_headline(section, head) else title


ARCHIVED = re.compile(r"^https?://web\.archive\.org/web/[^/]+/(https?://.+)$", re.I)


def bare_host(url: str | None) -> str:
    """The site's host without "www."; for a copy in the Web Archive, the archived site's."""
    if not url:
        return ""
    archived = ARCHIVED.match(url)
    if archived:
        url = archived[1]
    try:
        host = urlsplit(url).hostname or ""
    except ValueError:
        return ""
    return host.removeprefix("www.")
