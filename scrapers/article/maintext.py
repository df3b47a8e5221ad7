"""The article's main text.

The main text is trafilatura's (it measured best on the extraction corpus, see
bench/extraction.py), run on a tree from which we first drop what is never the
story (see scrapers.article.boilerplate), without the lines its precision mode leaves out where
that mode only trims the page's furniture. The standfirst, which extractors tend to drop
with the page header, is put back. Pages too small for trafilatura fall back to
our own block walk.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import lxml.etree
import lxml.html
from lxml.html import HtmlElement

from scrapers.article.boilerplate import NEVER_BOILERPLATE, drop_boilerplate, filter_lines, names_say
from scrapers.article.cleaning import KEPT_INVISIBLES, clean, fold
from scrapers.article.tree import INLINE, block_spaced_text, first_headline, following, story_article, unwrap


def main_text(tree: HtmlElement, title: str | None = None, descriptions: Iterable[str] = ()) -> str:
    """The article's own blocks, one per line, boilerplate removed.

    `title` is the headline the metadata readers chose: the heading that
    carries it anchors the search for the standfirst (the first <h1> is often
    the site's logo or an empty or hidden element, and some pages have none).
    `descriptions` are the page's own summaries (its description, OpenGraph's,
    Twitter's): a block that says one word for word is the standfirst,
    whatever its markup.
    Mutates the tree (metadata must be read first).
    """
    drop_boilerplate(tree)
    _join_source_lines(tree)
    headline = _title_heading(tree, title)
    if headline is None:
        headline = first_headline(tree)
    standfirst = _lead(headline, descriptions) if headline is not None else None
    # Metadata, the headline and the standfirst are found on the page as written; the text is read as shown.
    _unwrap_in_lines(tree)
    _quoted_blocks_as_paragraphs(tree)
    _correction_lines_as_paragraphs(tree)
    lead = clean(block_spaced_text(standfirst)) if standfirst is not None else None
    stood_in = _stand_in_for_invisibles(tree)
    if _element_count(tree) > HUGE_TREE:
        # trafilatura's work grows faster than the page: 200,000 paragraphs took 73 s
        text = _block_text(tree, headline)
    else:
        _flatten_crowded_lines(tree)
        text = _trafilatura_text(tree) if _has_body_text(tree) else ""
    if len(text) < 200:
        # Small or unusual pages trafilatura declines: our plain block walk is better than nothing.
        ours = _block_text(tree, headline)
        if len(ours) > 2 * len(text):
            text = ours
    elif "\n" not in text.strip() and len(text) <= FLATTENED_MAX:
        text = _unflattened(text, _block_text(tree, headline))
    if stood_in:
        text = text.translate(PUT_BACK)
    text = filter_lines(text)  # the lines as they are kept, without the extractor's list markers ("- ")
    if lead and _squash(lead) not in _squash(text):
        # The standfirst sits apart from the body, and extractors tend to drop it with the header.
        lines = text.splitlines()
        at = 1 if lines and headline is not None and _squash(lines[0]) == _squash(headline.text_content()) else 0
        text = "\n".join([*lines[:at], lead, *lines[at:]])
    return filter_lines(text)


# The share of a one-line text that the page's own blocks must say, for them to be read in its place.
FLATTENED_SHARE = 0.5
# Characters past which a one-line text is left as it is: the extractor's fallback gives a short story's <article>
# (the longest one-line text of half A is 4,311), and each of the page's blocks is looked for in the whole line.
FLATTENED_MAX = 10_000


def _unflattened(text: str, ours: str) -> str:
    """The page's blocks, one per line, in place of a text the extractor ran together into one line.

    On a short story (under its minimum of 250 characters, which three paragraphs of Japanese or Chinese are)
    trafilatura falls back to the whole text of the page's <article> as one line: the headline, the outlet, the
    date line and the buttons after the story ran into its paragraphs. Our block walk reads the same <article>
    block by block; when it finds two blocks or more, each word for word in that line, and together at least
    FLATTENED_SHARE of it, they are the story the line was made of.
    """
    flat = _squash(text)
    lines = ours.splitlines()
    if len(lines) < 2 or sum(len(line) for line in lines) < FLATTENED_SHARE * len(flat):
        return text
    return ours if all(_squash(line) in flat for line in lines) else text


# The text extractor drops KEPT_INVISIBLES as unprintable, though they change what a reader sees (Persian's spelling,
# emoji sequences, Indic conjuncts, numbers in right-to-left text; see cleaning.BIDI_CONTROLS for the marks). Each
# goes through it as a printable stand-in, a symbol of an ancient Chinese text that no news page writes, and is put
# back.
STAND_INS = "".join(chr(0x1D300 + i) for i in range(len(KEPT_INVISIBLES)))
STAND_IN = str.maketrans(KEPT_INVISIBLES, STAND_INS)
PUT_BACK = str.maketrans(STAND_INS, KEPT_INVISIBLES)
INVISIBLE = re.compile(f"[{KEPT_INVISIBLES}]")
A_STAND_IN = re.compile(f"[{STAND_INS}]")


def _stand_in_for_invisibles(tree: HtmlElement) -> bool:
    """KEPT_INVISIBLES in the page's text replaced by their STAND_INS, for the text to be read with PUT_BACK.

    False, and nothing replaced, on a page with none of them, or one that writes a stand-in itself (it would come
    back as a joiner or a mark).
    """
    shown = tree.text_content()  # one pass in C: most pages have none, and are not walked
    if not INVISIBLE.search(shown) or A_STAND_IN.search(shown):
        return False
    found = [(el, side) for el in tree.iter() for side in ("text", "tail") if INVISIBLE.search(getattr(el, side) or "")]
    for el, side in found:
        setattr(el, side, getattr(el, side).translate(STAND_IN))
    return bool(found)


# Where a browser shows the source's line breaks as they are: preformatted text and code, elements styled to keep
# them, and what is never shown (scripts, styles).
VERBATIM = frozenset({"pre", "code", "textarea", "listing", "xmp", "plaintext", "script", "style"})
VERBATIM_STYLE = re.compile(r"white-space\s*:\s*(?:pre|break-spaces)", re.I)
# A run of spaces holding a line break, tried only from the run's start: tried from every space, a run without a
# break was read to its end once per space (40,000 spaces before a break in one paragraph: 8 s, growing with the
# square of the run).
SOURCE_BREAK = re.compile(r"(?<![ \t\f])[ \t\f]*[\r\n][ \t\f\r\n]*")


def _join_source_lines(tree: HtmlElement) -> None:
    """Line breaks in the page's source, inside a line of text, read as the space a browser shows them as.

    A page that wraps its markup mid-sentence ("plus one on\\n<a>her</a>\\nbirthday") is one paragraph on screen;
    trafilatura keeps the source's breaks in a paragraph that also holds a <br> or a child such as <code>, so
    each piece became a line of its own in our text, and a sentence cut over lines lost its quote or speaker
    to the claim extractor. A break beside a block, a <br> or the edge of a block is left as it is: there the
    line ends anyway, and trafilatura reads some of those breaks (between <div>s it flattens, after a <br>
    it joins) as the only line end it keeps. Nothing in VERBATIM elements is touched.
    """
    stack: list[tuple[HtmlElement, bool]] = [(tree, False)]
    while stack:
        el, verbatim = stack.pop()
        verbatim = verbatim or el.tag in VERBATIM or bool(VERBATIM_STYLE.search(el.get("style") or ""))
        children = list(el)
        if not verbatim:
            inside = el.tag in INLINE
            el.text = _joined(el.text, inside, inside if not children else _inline(children[0]))
            for child, after in zip(children, [*children[1:], None]):
                child.tail = _joined(child.tail, _inline(child), inside if after is None else _inline(after))
        stack.extend((child, verbatim) for child in children if isinstance(child.tag, str))


def _inline(node: HtmlElement) -> bool:
    """Whether a line of text goes on across this node (comments and processing instructions are not shown)."""
    return not isinstance(node.tag, str) or node.tag in INLINE


def _joined(text: str | None, open_before: bool, open_after: bool) -> str | None:
    """text with its source line breaks made spaces, but at an end that meets a line's end (not open)."""
    if not text or ("\n" not in text and "\r" not in text):
        return text

    def space(m: re.Match[str]) -> str:
        at_start, at_end = m.start() == 0, m.end() == len(text)
        if (at_start and not open_before) or (at_end and not open_after):
            return m.group()
        return " "

    return SOURCE_BREAK.sub(space, text)


# Inline elements the text extractor does not read as words of their line: it drops a <time>, <label> or <output>
# with its text ("The vote was on and passed.", "The fare rises to for adults.") and reads a <q> as a block quotation
# of its own, cutting a quote from its speaker.
UNREAD_INLINE = ("time", "q", "label", "output")
QUOTE_MARKS = ("\u201c", "\u201d"), ("\u2018", "\u2019")  # as a browser shows <q>, and a <q> inside one
QUOTE_CHARS = "\"'\u00ab\u00bb\u2018\u2019\u201a\u201b\u201c\u201d\u201e\u201f\u2039\u203a"
WORD = re.compile(r"\w")


def _unwrap_in_lines(tree: HtmlElement) -> None:
    """An UNREAD_INLINE element inside a line of text becomes plain words (a <q> between quotation marks), as shown.

    Only in a line that has words of its own besides them and besides links: a date alone on its line, or beside
    another story's linked headline, is a stamp the extractor is right to drop. The date readers have read every
    <time> before this (metadata is read before the text).
    """
    lines: dict[HtmlElement, bool] = {}
    found = []
    for el in tree.iter(*UNREAD_INLINE):
        block = next((a for a in el.iterancestors() if a.tag not in INLINE), None)
        if block is None:
            continue
        if block not in lines:
            lines[block] = _has_own_words(block)
        if lines[block]:
            found.append((el, sum(1 for a in el.iterancestors("q"))))
    for el, depth in found:
        if el.tag == "q":
            _quote(el, *QUOTE_MARKS[depth % 2])
        else:
            _spaced(el)
    unwrap(el for el, _ in found)


# Inline elements besides links past which a block's are read as their words: trafilatura strips spans and bold and
# reads the loose pieces of text they leave in time growing with the square of their number (one paragraph of 20,000
# <span>s: 27 s of CPU, of 29,000 about a minute). The most in one block of a page of the extraction corpus is 81.
CROWDED_LINE = 1_000


def _flatten_crowded_lines(tree: HtmlElement) -> None:
    """In a block holding more than CROWDED_LINE inline elements besides links, those elements become their text.

    The words stay as they were shown; their tags, which the extractor drops anyway, go in one pass per parent.
    Links stay: how much of a block is links tells a list of other stories from a paragraph.
    """
    inline: dict[HtmlElement, list[HtmlElement]] = {}
    stack = [(tree, tree)]
    while stack:
        el, block = stack.pop()
        for child in el:
            if not isinstance(child.tag, str):
                continue
            if child.tag in INLINE:
                if child.tag != "a":
                    inline.setdefault(block, []).append(child)
                stack.append((child, block))
            else:
                stack.append((child, child))
    crowded = [el for found in inline.values() if len(found) > CROWDED_LINE for el in found]
    if crowded:
        unwrap(crowded)


def _has_own_words(block: HtmlElement) -> bool:
    """Whether the block's line has words outside links and UNREAD_INLINE elements (nested blocks are not its line)."""
    stack = [block]
    while stack:
        el = stack.pop()
        if el.text and WORD.search(el.text):
            return True
        for child in el:
            if child.tail and WORD.search(child.tail):
                return True
            if isinstance(child.tag, str) and child.tag in INLINE and child.tag not in ("a", *UNREAD_INLINE):
                stack.append(child)
    return False


def _before(el: HtmlElement) -> str:
    """The text just before el in its line: up through the inline elements it opens, past empty ones."""
    while True:
        previous = el.getprevious()
        while previous is not None:
            text = previous.tail or (previous.text_content() if isinstance(previous.tag, str) else "")
            if text:
                return text
            previous = previous.getprevious()
        parent = el.getparent()
        if parent.text or parent.tag not in INLINE or parent.getparent() is None:
            return parent.text or ""
        el = parent


def _after(el: HtmlElement) -> str:
    """The text just after el in its line: up through the inline elements it closes, past empty ones."""
    while True:
        if el.tail:
            return el.tail
        following = el.getnext()
        while following is not None:
            text = (following.text_content() if isinstance(following.tag, str) else "") or following.tail
            if text:
                return text
            following = following.getnext()
        parent = el.getparent()
        if parent.tag not in INLINE or parent.getparent() is None:
            return ""
        el = parent


def _spaced(el: HtmlElement) -> None:
    """A space where el's words would touch the words beside it: a date is a value of its own, shown apart
    ("3 de mayo de 2022<time>21:25</time>" is set apart by the page's styles, not run together)."""
    words = el.text_content()
    if WORD.match(words[:1]) and WORD.match(_before(el)[-1:]):
        el.text = " " + (el.text or "")
    if WORD.match(words[-1:]) and WORD.match(_after(el)[:1]):
        el.tail = " " + (el.tail or "")


def _quote(q: HtmlElement, opening: str, closing: str) -> None:
    """Quotation marks around a <q>'s words, unless the page already writes them."""
    words = q.text_content().strip()
    if _before(q).rstrip()[-1:] in QUOTE_CHARS or (words[:1] and words[0] in QUOTE_CHARS):
        return
    q.text = opening + (q.text or "")
    if len(q):
        q[-1].tail = (q[-1].tail or "") + closing
    else:
        q.text += closing


# Blocks the text extractor runs together inside a quotation: "Lee Park said:The crossing ...".
QUOTED_LINE_BLOCKS = frozenset({"div", "section", "article"})


def _quoted_blocks_as_paragraphs(tree: HtmlElement) -> None:
    """Inside a <blockquote>, a <div> (or <section>, <article>) holding only a line of text is read as a paragraph.

    The extractor separates a quotation's paragraphs but not its <div>s, so a forum post's "X said:" and its
    quote, or a quotation's lines, ran together with no space between them.
    """
    for el in list(tree.iter(*QUOTED_LINE_BLOCKS)):
        if any(True for _ in el.iterancestors("blockquote")) and _holds_only_inline(el):
            el.tag = "p"


def _holds_only_inline(el: HtmlElement) -> bool:
    """Whether an element holds only text and inline elements: a line."""
    return all(not isinstance(d.tag, str) or d.tag in INLINE for d in el.iterdescendants())


# Class and id words of a newsroom's notice of a correction to the story (Arc XP's `<section class="correction">`,
# a WordPress plugin's `corrections`, a "clarification"): the newsroom's own words about the story, and part of it.
CORRECTION_WORDS = frozenset("correction corrections clarification clarifications erratum errata".split())


def _correction_lines_as_paragraphs(tree: HtmlElement) -> None:
    """In a correction's box (named by CORRECTION_WORDS), a <div> (or <section>) holding only a line of text is read
    as a paragraph, and so is the box itself when it holds only a line.

    Arc XP sets a correction as `<section class="correction"><h6>Correction</h6><div>An earlier version ...</div>`:
    the extractor reads no loose <div> among a page's paragraphs, and the correction was lost. Any <div> holding a
    line among paragraphs read so brought a newsletter's plea and a cross-reference in with it (bench/extraction.py);
    a box that names itself a correction holds the newsroom's words about the story.
    """
    for el in list(tree.iter(*QUOTED_LINE_BLOCKS)):
        names = f"{el.get('class') or ''} {el.get('id') or ''}"
        if not names_say(names, CORRECTION_WORDS):
            continue
        for block in (el, *el.iterdescendants(*QUOTED_LINE_BLOCKS)):
            if _holds_only_inline(block):
                block.tag = "p"


def _title_heading(tree: HtmlElement, title: str | None) -> HtmlElement | None:
    """The first <h1>-<h3> whose text is the page's headline."""
    if not title:
        return None
    wanted = _squash(title).casefold()
    for el in tree.iter("h1", "h2", "h3"):
        if _squash(el.text_content()).casefold() == wanted:
            return el
    return None


def _squash(text: str) -> str:
    return " ".join(text.replace("\u00ad", "").split())


LEAD_CLASS = re.compile(
    r"(?:^|[\s_-])(?:lead|intro|abstract|excerpt|chapo|deck|standfirst|summary|subtitle|bajada)(?:$|[\s_-])",
    re.I,
)


# schema.org's microdata for the standfirst, where a site marks it up.
LEAD_ITEMPROPS = frozenset({"description", "abstract"})
SIDEBAR = frozenset({"sidebar"})


def _lead(headline: HtmlElement, descriptions: Iterable[str] = ()) -> HtmlElement | None:
    """The standfirst's block: the first lead-classed block after the headline, outside sidebars and navigation.

    Or the first that schema.org microdata names the article's description: a site that marks it so
    may give it no class at all, or one that says only how it looks ("verylarge bold"). Or, with no
    mark at all, the first whose text is one of the page's descriptions (40 characters or more), word for word:
    that one is the standfirst even in a column classed "sidebar", where a lead-classed block is another
    story's teaser.
    """
    described = {fold(d) for d in descriptions if len(d) >= 40}
    for distance, el in enumerate(following(headline)):
        if distance > 80:
            break
        if el.tag not in ("p", "div", "h2", "h3", "span", "strong"):
            continue
        names = f"{el.get('class') or ''} {el.get('id') or ''}"
        says_description = any(_says(el, d) for d in described)
        if (
            not says_description
            and not LEAD_CLASS.search(names)
            and (el.get("itemprop") or "").strip() not in LEAD_ITEMPROPS
        ):
            continue
        if any(
            a.tag in ("aside", "nav", "footer", "li", "a")
            or (not says_description and a.tag not in NEVER_BOILERPLATE and names_say(a.get("class") or "", SIDEBAR))
            for a in el.iterancestors()
        ):
            continue
        text = clean(block_spaced_text(el))
        return el if text and 40 <= len(text) <= 1200 else None
    return None


def _says(el: HtmlElement, folded: str) -> bool:
    """Whether el's text is `folded` (a fold()ed text); read no further than thrice its length (wrappers are long)."""
    size = 0
    for piece in el.itertext():
        size += len(piece)
        if size > 3 * len(folded):
            return False
    return fold(clean(block_spaced_text(el)) or "") == folded


# Elements past which a page is read by our own block walk, whose work grows with the page, not trafilatura:
# the largest page of the extraction corpus has under 7,000; one of 200,000 paragraphs took trafilatura 73 s.
HUGE_TREE = 30_000


def _element_count(tree: HtmlElement) -> int:
    return sum(1 for _ in tree.iter())


def _has_body_text(tree: HtmlElement) -> bool:
    body = tree.find("body")
    return body is not None and bool((body.text_content() or "").strip())


# The share of the text that trafilatura's precision mode must keep for its trimming to be taken (measured on
# half A of bench/extraction.py: 0.93, 0.95 and 0.97 all raise body F1; at 0.90 it loses a recipe's and a
# forum post's lines).
PRECISE_SHARE = 0.95
HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
# Under this much text in a page's <p>s, trafilatura's balanced mode also reads the loose text of <div>s as
# paragraphs and its precision mode does not (three times and once its minimum of 250 characters): the two
# modes read different blocks, and what precision leaves out is the story's text ("Why is that so?<br>...").
PARAGRAPHS_READ_ALIKE = 750


def _trafilatura_text(tree: HtmlElement) -> str:
    """trafilatura's text (balanced), without the lines its precision mode leaves out, where that only trims.

    Precision mode drops more of what sits around a story (a tag list's label, a sidebar's box of other
    posts, a magazine's advertisement line, a byline or date line) but, on some pages, the story's own
    lists, captions and subheadings with it. See `_trimmed` for when its cuts are taken; on a page whose
    paragraphs hold under PARAGRAPHS_READ_ALIKE characters, never.
    """
    balanced = _extracted(tree)  # the extractor works on its own copy of the tree
    if not balanced or sum(len(t) for t in tree.xpath("//p//text()")) < PARAGRAPHS_READ_ALIKE:
        return balanced
    headings = {_squash(block_spaced_text(h)) for h in tree.iter(*HEADINGS)}
    return _trimmed(balanced, _extracted(tree, favor_precision=True), headings)


def _trimmed(balanced: str, precise: str, headings: set[str]) -> str:
    """The balanced text without the lines the precise text left out, when it only left out furniture.

    Taken only when the precise text adds no line of its own (it read the same part of the page) and keeps
    PRECISE_SHARE of the balanced text's characters: cutting more, it cuts into the story (a recipe's
    ingredients, a journal's guidelines, a gallery's captions). A heading it dropped stays when it heads a
    line that stays (precision mode drops headlines and subheadings); one heading only what goes (a
    sidebar's "Recommended" over its links) goes with it.
    """
    if len(precise) < PRECISE_SHARE * len(balanced):
        return balanced
    lines = balanced.splitlines()
    staying = {_squash(line) for line in precise.splitlines()}
    if not staying <= {_squash(line) for line in lines}:
        return balanced
    kept = []
    for at, line in enumerate(lines):
        key = _squash(line)
        if key in staying or (key in headings and _heads_staying(lines[at + 1 :], staying, headings)):
            kept.append(line)
    return "\n".join(kept)


def _heads_staying(after: list[str], staying: set[str], headings: set[str]) -> bool:
    """Whether a line that stays comes before the next heading (the lines a heading heads)."""
    for line in after:
        key = _squash(line)
        if key in staying:
            return True
        if key in headings:
            return False
    return False


def _extracted(tree: HtmlElement, favor_precision: bool = False) -> str:
    import trafilatura

    try:
        text = trafilatura.extract(
            tree,
            include_comments=False,
            include_tables=True,
            include_images=False,
            include_links=False,
            deduplicate=False,
            favor_precision=favor_precision,
        )
    except (ValueError, TypeError, lxml.etree.LxmlError):
        return ""
    return text or ""


BLOCKS = ("p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre", "figcaption", "dt", "dd", "td", "th")
# The page's furniture, never read by our own walk: menus, header and footer, sidebars, forms.
FURNITURE = frozenset({"nav", "footer", "header", "aside", "form"})


def _block_text(tree: HtmlElement, headline: HtmlElement | None = None) -> str:
    """Innermost block elements in document order, inside the story's <article> or <main> if there is one.

    The story's <article> is the one around its headline, or one holding most of the page's text: a page's first
    is often a teaser card of another story, and a live blog sets each update in an <article> of its own under a
    headline outside them all (the longest update is not the story). With no block to walk, the text's loose
    lines, outside the page's furniture.
    """
    headline = headline if headline is not None else first_headline(tree)
    article = story_article(tree, headline)
    if article is not None and (headline is None or article not in headline.iterancestors()):
        body = tree.find("body")
        if len(article.text_content()) < 0.5 * len((body if body is not None else tree).text_content()):
            article = None
    roots = [article] if article is not None else tree.xpath("//main") or tree.xpath("//*[@role='main']")
    root = roots[0] if roots else (tree.find("body") if tree.find("body") is not None else tree)
    lines: list[str] = []
    for el in root.iter(*BLOCKS):
        if any(True for _ in el.iterdescendants(*BLOCKS)):
            continue
        if any(a.tag in FURNITURE for a in el.iterancestors()):
            continue
        text = clean(el.text_content())
        if text:
            lines.append(text)
    if not lines:
        lines = _loose_lines(root)
    return "\n".join(lines)


def _loose_lines(root: HtmlElement) -> list[str]:
    """root's text outside FURNITURE, a line wherever a block or a <br> ends one, as a browser shows it.

    Read as one string, a shell's menu and footer ran together ("HomeNewsSportCopyright 2026 ...").
    """
    parts = [root.text or ""]

    def walk(el: HtmlElement) -> None:
        for child in el:
            if isinstance(child.tag, str) and child.tag not in FURNITURE:
                ends_line = child.tag not in INLINE
                parts.extend(("\n" if ends_line else "", child.text or ""))
                walk(child)
                parts.append("\n" if ends_line else "")
            parts.append(child.tail or "")

    walk(root)
    return [line for line in map(clean, "".join(parts).split("\n")) if line]


# Under this much text the markup holds no story (an app's shell, a page its scripts build): the
# article's text as the page gives it for machines, JSON-LD's articleBody, is read instead when it is long.
SHELL_TEXT = 200
STRUCTURED_BODY_MIN = 500
MARKUP_IN_BODY = re.compile(r"<(?:p|br|div|h[1-6]|li|blockquote)\b", re.I)


def teaser_of(text: str, body: str) -> bool:
    """Whether the markup's text is the opening of the story articleBody holds in full: a paywall's teaser.

    The body must be at least twice as long, and the text's sentences (lines of five words or more) mostly
    found in it word for word: then it is the same story, and the markup only its first paragraphs.
    """
    if len(body) < 2 * len(text):
        return False
    flat = " ".join(body.split())
    lines = [" ".join(line.split()) for line in text.splitlines() if len(line.split()) >= 5]
    size = sum(len(line) for line in lines)
    return bool(lines) and sum(len(line) for line in lines if line in flat) >= 0.8 * size


def shell_of(text: str, body: str, title: str | None) -> bool:
    """Whether the markup's text is a page's frame around a story only articleBody holds: header, byline, bio.

    The body must be at least three times as long, and about the page's headline: most of the headline's
    words (of four letters or more) are in it. Another story's body (a template's leftover) is not.
    """
    if not title or len(body) < 3 * len(text):
        return False
    words = set(re.findall(r"\w{4,}", title.casefold()))
    found = set(re.findall(r"\w{4,}", body.casefold()))
    return bool(words) and len(words & found) >= 0.6 * len(words)


def structured_body(value: object) -> str:
    """JSON-LD articleBody as lines of text: paragraphs on their lines, markup (some sites write HTML) read."""
    if isinstance(value, list):
        value = next((v for v in value if isinstance(v, str)), None)
    if not isinstance(value, str) or not value.strip():
        return ""
    if MARKUP_IN_BODY.search(value):
        try:
            fragment = lxml.html.fragment_fromstring(value, create_parent="div")
        except (lxml.etree.LxmlError, ValueError):
            return ""
        return filter_lines(_block_text(fragment))
    lines = (clean(line) for line in re.split(r"\n\s*", value))
    return filter_lines("\n".join(line for line in lines if line))
