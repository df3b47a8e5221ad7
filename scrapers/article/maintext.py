"""The article's main text.

The main text is trafilatura's (it measured best on the extraction corpus, see
bench/extraction.py), run on a tree from which we first drop what is never the
story (see scrapers.article.boilerplate). The standfirst, which extractors tend to drop
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
from scrapers.article.cleaning import clean, fold
from scrapers.article.tree import block_spaced_text, first_headline, following


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
    headline = _title_heading(tree, title)
    if headline is None:
        headline = first_headline(tree)
    lead = _lead(headline, descriptions) if headline is not None else None
    if _element_count(tree) > HUGE_TREE:
        text = _block_text(tree)  # trafilatura's work grows faster than the page: 200,000 paragraphs took 73 s
    else:
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
    return filter_lines(text)


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
    r"(?:^|[\s_-])(?:lead|intro|introduction|teaser-text|abstract|excerpt|chapo|deck|standfirst|summary|preface|"
    r"subtitle|subheadline|sub-headline|bajada|kicker-text|article-lead|entry-excerpt|field--summary|descr)(?:$|[\s_-])",
    re.I,
)


# schema.org's microdata for the standfirst, where a site marks it up.
LEAD_ITEMPROPS = frozenset({"description", "abstract"})
SIDEBAR = frozenset({"sidebar"})


def _lead(headline: HtmlElement, descriptions: Iterable[str] = ()) -> str | None:
    """The standfirst: the first lead-classed block after the headline, outside sidebars and navigation.

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
        if text and 40 <= len(text) <= 1200:
            return text
        return None
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
        text = clean(el.text_content())
        if text:
            lines.append(text)
    if not lines:
        text = clean(root.text_content())
        lines = [text] if text else []
    return "\n".join(lines)


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
