"""Walking an lxml page tree: block-spaced text, what follows an element, the headline, comment blocks.

Shared by the title, byline and date readers and the main-text extractor,
which all look at the same landmarks of a page.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from lxml.html import HtmlElement

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

# Elements that sit inside a line of text. Any other element (a block, a <br>, a tag we do not know) ends a line.
INLINE = frozenset(
    {
        "a", "abbr", "acronym", "b", "bdi", "bdo", "big", "cite", "code", "data", "del", "dfn", "em", "font", "i",
        "img", "ins", "kbd", "label", "mark", "output", "q", "s", "samp", "small", "span", "strike", "strong", "sub",
        "sup", "time", "tt", "u", "var", "wbr",
    }
)  # fmt: skip


# Elements a browser never shows: scripts, styles, inert templates, and what it shows only without JavaScript.
UNSEEN_TAGS = {"script", "style", "template", "noscript"}
# Text for screen readers only, hidden from the eye: "<span class='visually-hidden'>Article: </span>".
SCREEN_READER_CLASS = re.compile(r"sr-only|visually-?hidden|screen-?reader|a11y-hidden|element-invisible", re.I)
HIDING_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)


def hidden(el: HtmlElement) -> bool:
    """Whether the markup hides el from every reader: the `hidden` attribute, or `aria-hidden="true"`.

    What the page says of the element itself, whatever its styles do; the narrowest sense of "not shown",
    and the one both the headline and the story's text leave out.
    """
    return el.get("hidden") is not None or el.get("aria-hidden") == "true"


def unseen(node: HtmlElement) -> bool:
    """Whether an element is never shown: a script or style, `hidden`, for screen readers only, or styled out of view.

    The headline's test for what a heading holds. The story's text leaves out only what is `hidden`: measured on
    the extraction corpus, screen-reader text ("(link is external)") is annotated as the story's, and blocks styled
    out of view are as often a tab or a product's details a reader opens as a consent dialog (docs/performance.md).
    """
    if node.tag in UNSEEN_TAGS or hidden(node):
        return True
    return bool(SCREEN_READER_CLASS.search(node.get("class") or "") or HIDING_STYLE.search(node.get("style") or ""))


def block_spaced_text(el: HtmlElement) -> str:
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


def unwrap(elements: Iterable[HtmlElement]) -> None:
    """The elements' tags dropped, their text and children kept in their place, in time linear in the page.

    lxml's drop_tag() copies the text it joins: dropping each of 25,000 dates in one paragraph took 24 s. Here
    each parent's text is joined once, the deepest parents first (a <time> inside a <q>).
    """
    drop = set(elements)
    parents = {el.getparent() for el in drop}
    for parent in sorted(parents, key=lambda el: -sum(1 for _ in el.iterancestors())):
        slots: list[list[str]] = [[parent.text or ""]]  # the parent's text, then each kept child's tail
        kept: list[HtmlElement] = []
        for child in parent:
            if child not in drop:
                kept.append(child)
                slots.append([child.tail or ""])
                continue
            slots[-1].append(child.text or "")
            for inner in child:
                kept.append(inner)
                slots.append([inner.tail or ""])
            slots[-1].append(child.tail or "")
        parent.text = "".join(slots[0]) or None
        for child in list(parent):
            parent.remove(child)
        for el, slot in zip(kept, slots[1:]):
            parent.append(el)
            el.tail = "".join(slot) or None


def following(el: HtmlElement) -> Iterator[HtmlElement]:
    """Elements after el in document order (its descendants excluded)."""
    node = el
    while node is not None:
        for sibling in node.itersiblings():
            yield sibling
            yield from sibling.iterdescendants()
        node = node.getparent()


def first_headline(tree: HtmlElement) -> HtmlElement | None:
    """The first <h1> outside navigation, sidebars and footers."""
    for h1 in tree.iter("h1"):
        if not any(a.tag in ("nav", "footer", "aside") for a in h1.iterancestors()):
            return h1
    return None


# A class saying whether a page takes comments or has any ("comments-open", "no-comments", "has-comments",
# WordPress themes' post and body classes): a state of the page around the story, not a thread.
COMMENTS_STATE = re.compile(
    r"(?:no|has|with|without|allow|disable[ds]?|enable[ds]?)[-_]?comments?"
    r"|comments?[-_](?:open|closed|on|off|enabled|disabled|allowed)"
)


def is_comment_block(el: HtmlElement) -> bool:
    """A reader's comment or a thread of them: named so, or marked up as a schema.org Comment (or Answer).

    A name is one class (or the id): "kb-comments" and "commentlist" are threads, "comments-open" is not.
    """
    names = f"{el.get('class') or ''} {el.get('id') or ''}".lower().split()
    return any("comment" in n and not COMMENTS_STATE.fullmatch(n) for n in names) or _is_readers_item(el)


# Microdata items that are a reader's words, not the page's: their datePublished or author is the reader's.
READERS_ITEMS = {"comment", "answer", "usercomments"}


def _is_readers_item(el: HtmlElement) -> bool:
    if el.get("itemscope") is None:
        return False
    types = (el.get("itemtype") or "").split()
    return any(t.rstrip("/").rsplit("/", 1)[-1].lower() in READERS_ITEMS for t in types)


def in_readers_item(el: HtmlElement) -> bool:
    """Whether el's nearest microdata item (`itemscope`) is a reader's comment or answer, by its `itemtype`."""
    node = next((a for a in el.iterancestors() if a.get("itemscope") is not None), None)
    return node is not None and _is_readers_item(node)


def story_item(headline: HtmlElement | None, article: HtmlElement | None) -> HtmlElement | None:
    """The microdata item (`itemscope`) the story's headline (`first_headline`) is in, or its <article>
    (`story_article`); None when it is in none."""
    for start in (headline, article):
        if start is not None:
            found = next((a for a in (start, *start.iterancestors()) if a.get("itemscope") is not None), None)
            if found is not None:
                return found
    return None


def outside_items_or_in(el: HtmlElement, item: HtmlElement) -> bool:
    """Whether el is in `item`, or in no item at all (a `<meta itemprop>` of the page's <head>)."""
    items = [a for a in el.iterancestors() if a.get("itemscope") is not None]
    return not items or item in items


# A link holding more letters than this besides what an element says of itself (its date, its byline) carries a
# headline: a teaser card of another story ("12.11.2021 Artikel Eine Stimme für Afghanistan ..."), whose date
# and author are that story's.
CARD_LINK_LETTERS = 20
LETTER = re.compile(r"[^\W\d_]")


def card_link_letters(text: str) -> int:
    """The letters of a text, as the card-link rule counts them."""
    return len(LETTER.findall(text))


CARD_SHARE = 0.05  # an <article> holding less of the page's text than this, away from the headline, is a card


def story_article(tree: HtmlElement, headline: HtmlElement | None) -> HtmlElement | None:
    """The <article> that holds the story: the one around the headline, else the one with the most text.

    A page's first <article> is often a teaser card in the header or a related story, each with its
    own <time>; the story's own is the one its headline (`first_headline`) is in. When the headline is in
    none and even the longest holds a sliver of the page's text, they are all cards of other stories and
    the story is in no <article> (None).
    """
    articles = tree.xpath("//article")
    if not articles:
        return None
    around = None if headline is None else next(headline.iterancestors("article"), None)
    if around is not None:
        return around
    longest = max(articles, key=lambda a: len(a.text_content()))
    body = tree.find("body")
    if (
        headline is not None
        and body is not None
        and len(longest.text_content()) < CARD_SHARE * len(body.text_content())
    ):
        return None  # cards of other stories: the story is in no <article>
    return longest
