"""What a fetch error advises, said for whom the fetch was made: one place for each piece of advice.

A source is polled on a schedule: it is tried again on a later pass, and
whoever reads its health can fix its address or remove it. An address a
person gave just now (`ingest URL`, evidence or a document by address) is
no source and has no later pass: they check the address, or try again
themselves. A re-check of an item a source already brought (an article
fetched again to see whether it changed) is about that one page: a failure
says nothing about the source, and what was stored of the page stays. An
item's first fetch (a page a feed or listing named, nothing of it stored
yet) is about that page too, and has no stored revisions to speak of.
The sentences in guard.py, exchange.py and fetcher.py name what failed and
take their advice from here, told the context by the caller of
`Fetcher.get` (or by a `Request`'s context in a stream).
"""

from __future__ import annotations

SOURCE = "source"  # a scheduled source (or one of its pages), fetched again on a later pass
ADDRESS = "address"  # an address a person gave just now, fetched once
ITEM = "item"  # a page a source brought, re-checked on its own schedule (tracker/scrape/rechecks.py)
NEW_ITEM = "new item"  # a page a source brought, not stored yet: fetched for the first time, or failing since
CONTEXTS = (SOURCE, ADDRESS, ITEM, NEW_ITEM)
_PAGES_OWN = "Pages in the newsroom's own network are not fetched, whichever source names them; if this one should be"

_ADVICE = {
    "gone": {
        SOURCE: "the page is gone; check the address or remove the source",
        ADDRESS: "there is no page at that address: check it for typos, or open it in a browser",
        ITEM: "the page is gone from the site; its stored revisions are kept",
        NEW_ITEM: "the page its source names is not on the site: check the address in a browser",
    },
    "later": {
        SOURCE: "it will be tried again on a later pass",
        ADDRESS: "try again in a few minutes",
        ITEM: "it will be checked again on a later pass",
        NEW_ITEM: "it will be checked again on a later pass",
    },
    "down": {
        SOURCE: "the site may be down; it will be tried again on a later pass",
        ADDRESS: "the site may be down or the address wrong: open it in a browser, or try again later",
        ITEM: "the site may be down; the page will be checked again on a later pass",
        NEW_ITEM: "the site may be down; the page will be checked again on a later pass",
    },
    "check": {
        SOURCE: "check the source URL",
        ADDRESS: "check the address",
        ITEM: "check the address its source gave",
        NEW_ITEM: "check the address its source gave",
    },
    "own network": {
        SOURCE: "Sources may not point into the newsroom's own network; if this one really should be fetched",
        ADDRESS: "Addresses in the newsroom's own network are not fetched; if this one really should be",
        ITEM: _PAGES_OWN,
        NEW_ITEM: _PAGES_OWN,
    },
    "unasked": {
        SOURCE: "tell the site, or remove the source",
        ADDRESS: "tell the site, or save the page from a browser and add the file",
        ITEM: "tell the site, or save the page from a browser and add the file; its stored revisions are kept",
        NEW_ITEM: "tell the site, or save the page from a browser and add the file",
    },
    "too large": {
        SOURCE: "no page or feed is that large: check the address in a browser, or remove the source",
        ADDRESS: "no page or feed is that large: check the address in a browser",
        ITEM: "no page is that large: check the address in a browser; its stored revisions are kept",
        NEW_ITEM: "no page is that large: check the address in a browser",
    },
    "binary": {
        SOURCE: "Check that the source URL points to an HTML page or a feed (RSS, Atom or JSON Feed)",
        ADDRESS: "Check that the address is of a web page, a feed or a document (PDF, .docx)",
        ITEM: "Its stored revisions are kept, and it will be checked again on a later pass",
        NEW_ITEM: "It will be checked again on a later pass",
    },
    # A bot check, a sign-in or subscription wall, an app shell: the scraper cannot pass it, a person can.
    "wall": {
        SOURCE: "it will be tried again on a later pass; if the site keeps turning the scraper away, remove the source",
        ADDRESS: "open it in a browser, or save the page from a browser and add the file",
        ITEM: "it will be checked again on a later pass; meanwhile, save the page from a browser and add the file; "
        "its stored revisions are kept",
        NEW_ITEM: "it will be checked again on a later pass; meanwhile, save the page from a browser and add the file",
    },
}


def advice(what: str, context: str) -> str:
    """The advice for one kind of failure (a key of _ADVICE), in the words of the context; no final stop."""
    return _ADVICE[what][context if context in CONTEXTS else SOURCE]
