"""What a page says about itself for machines (meta tags and JSON-LD), gathered once.

Title, byline, dates and outlet are all read from the same tags in the same
order of trust; gathering them here once lets each reader ask by key.
"""

from __future__ import annotations

from collections.abc import Iterable

from lxml.html import HtmlElement

from scrapers.article.cleaning import clean
from scrapers.article.jsonld import json_ld, ld_text, ld_types
from scrapers.article.tree import first_headline, in_readers_item, outside_items_or_in, story_article, story_item

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


class Sources:
    """Everything the page says about itself, gathered once."""

    def __init__(self, tree: HtmlElement):
        self.tree = tree
        self.meta: dict[str, list[str]] = {}
        # How many of a key's values, the last ones (`story_first`), another item's itemprops gave.
        self.elsewhere: dict[str, int] = {}
        # The story's headline and <article>, found once: the microdata item below and the date readers use both.
        self.headline = first_headline(tree)
        self.article = story_article(tree, self.headline)
        self.item = story_item(self.headline, self.article)
        metas = self.story_first(list(tree.iter("meta")))
        for el in metas:
            key = (el.get("property") or el.get("name") or el.get("itemprop") or el.get("http-equiv") or "").strip()
            content = el.get("content")
            if el.get("itemprop") and in_readers_item(el):
                continue  # a reader's comment marked up as its own item: its date and name are the reader's
            if key and content and content.strip():
                self.meta.setdefault(key.lower(), []).append(clean(content))
                if el.get("itemprop") and self.item is not None and not outside_items_or_in(el, self.item):
                    self.elsewhere[key.lower()] = self.elsewhere.get(key.lower(), 0) + 1
        self.ld_items = list(json_ld(tree))
        self.articles = [i for i in self.ld_items if ld_types(i) & ARTICLE_TYPES]
        self.pages = [i for i in self.ld_items if ld_types(i) & PAGE_TYPES]

    def story_first(self, elements: list[HtmlElement]) -> list[HtmlElement]:
        """Elements in page order, those marked (`itemprop`) as part of another item than the story's last.

        Cards of other stories often carry items of their own (a NewsArticle with its `datePublished`), and
        one above the story came first on the page.
        """
        if self.item is None:
            return elements
        return sorted(
            elements, key=lambda el: el.get("itemprop") is not None and not outside_items_or_in(el, self.item)
        )

    def own_meta(self, key: str) -> list[str]:
        """A meta key's values the page gives of itself, without those of another item's card."""
        values = self.meta.get(key, [])
        return values[: len(values) - self.elsewhere.get(key, 0)]

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

    def language(self) -> str | None:
        """The page's language tag ("de", "es-AR"), from JSON-LD, <html lang> or meta, in that order."""
        root_lang = self.tree.get("lang") or self.tree.get("xml:lang")
        value = (
            ld_text(self.ld("inLanguage"))
            or (root_lang.strip() if root_lang and root_lang.strip() else None)
            or self.first_meta("content-language", "language", "dc.language", "og:locale")
        )
        return value.replace("_", "-") if value else None
