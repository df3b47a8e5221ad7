"""The records every parser returns: the one small interface between scraping and storing."""

from __future__ import annotations

from dataclasses import dataclass, field

# How much of a page's or feed's own words a record keeps: a title, a byline or an outlet's name longer
# than any real one is a broken or hostile page, and what is kept is stored with every item and revision.
TITLE_MAX = 500
OUTLET_MAX = 200
SUMMARY_MAX = 1000
LANGUAGE_MAX = 35  # the longest language tag in use ("zh-Hant-TW" and the like) is far shorter


def shorten(text: str | None, limit: int) -> str | None:
    """The text cut at a word before `limit` characters, with an ellipsis; None for no text."""
    if not text:
        return None
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(None, 1)[0]
    return cut.rstrip(" ,;:") + "…"


def size_in_words(size: int) -> str:
    """A size as people read it: "0.5 MB", "1.5 MB", "100 MB", "12 kB", "10 bytes", to two decimals at most.

    The one way sizes are said (a limit, a file over it): a limit of 0.5 MB said as `{mb:.0f}` was "0 MB",
    and 1.5 MB "2 MB", with a file of 1.6 MB "over the 2 MB limit". MB and kB count 1024s, as the limits do.
    """
    for unit, scale, least in (("MB", 1024 * 1024, 1024 * 1024 // 10), ("kB", 1024, 1024)):
        if size >= least:
            return f"{size / scale:,.2f}".rstrip("0").rstrip(".") + f" {unit}"
    return f"{size:,} byte{'s' if size != 1 else ''}"


class ParseError(Exception):
    """Input we cannot read at all; the message says what is wrong and what to do."""


@dataclass(frozen=True)
class Author:
    """One name from a byline: a person, or an organisation signing as one (a wire, "Staff", a press office)."""

    name: str
    kind: str = "person"  # or "organisation"


@dataclass(frozen=True)
class DateDoubt:
    """A date the page gives that was not used, and why (in the future, before 1995, weeks from its feed entry).

    Or used for want of any other, approximate: "2 hours ago" counted back from when the page was fetched.
    """

    value: str
    source: str
    reason: str


@dataclass
class Article:
    """An article or statement page: metadata and main text, boilerplate removed."""

    url: str | None = None
    canonical_url: str | None = None
    title: str | None = None
    byline: str | None = None  # the byline as one line, as the outlet writes it
    authors: list[Author] = field(default_factory=list)
    outlet: str | None = None
    published: str | None = None  # ISO 8601
    published_from: tuple[str, ...] = ()  # the sources that agreed on the published date
    modified: str | None = None
    modified_from: tuple[str, ...] = ()
    date_doubts: list[DateDoubt] = field(default_factory=list)
    language: str | None = None
    description: str | None = None
    text: str = ""


@dataclass
class FeedEntry:
    link: str | None
    title: str | None = None
    published: str | None = None  # ISO 8601 UTC
    published_offset: int | None = None  # minutes east of UTC the feed wrote `published` with (None: UTC, unknown)
    updated: str | None = None
    author: str | None = None
    summary: str | None = None  # plain text, markup removed
    guid: str | None = None
    outlet: str | None = None  # the publication the entry names as its source (an aggregator's feed)


@dataclass
class Feed:
    title: str | None = None
    link: str | None = None
    entries: list[FeedEntry] = field(default_factory=list)
    problem: str | None = None  # why a malformed feed was only partly read
