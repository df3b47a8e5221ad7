"""The records every parser returns: the one small interface between scraping and storing."""

from __future__ import annotations

from dataclasses import dataclass, field


class ParseError(Exception):
    """Input we cannot read at all; the message says what is wrong and what to do."""


@dataclass
class Article:
    """An article or statement page: metadata and main text, boilerplate removed."""

    url: str | None = None
    canonical_url: str | None = None
    title: str | None = None
    byline: str | None = None
    outlet: str | None = None
    published: str | None = None  # ISO 8601
    modified: str | None = None
    language: str | None = None
    description: str | None = None
    text: str = ""


@dataclass
class FeedEntry:
    link: str | None
    title: str | None = None
    published: str | None = None  # ISO 8601 UTC
    updated: str | None = None
    author: str | None = None
    summary: str | None = None  # plain text, markup removed
    guid: str | None = None


@dataclass
class Feed:
    title: str | None = None
    link: str | None = None
    entries: list[FeedEntry] = field(default_factory=list)
    problem: str | None = None  # why a malformed feed was only partly read
