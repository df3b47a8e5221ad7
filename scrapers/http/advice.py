"""What a fetch error advises, said for whom the fetch was made: one place for each piece of advice.

A source is polled on a schedule: it is tried again on a later pass, and
whoever reads its health can fix its address or remove it. An address a
person gave just now (`ingest URL`, evidence or a document by address) is
no source and has no later pass: they check the address, or try again
themselves. A re-check of an item a source already brought (an article
fetched again to see whether it changed) is about that one page: a failure
says nothing about the source, and what was stored of the page stays.
The sentences in guard.py, exchange.py and fetcher.py name what failed and
take their advice from here, told the context by the caller of
`Fetcher.get` (or by a `Request`'s context in a stream).
"""

from __future__ import annotations

SOURCE = "source"  # a scheduled source (or one of its pages), fetched again on a later pass
ADDRESS = "address"  # an address a person gave just now, fetched once
ITEM = "item"  # a page a source brought, re-checked on its own schedule (tracker/scrape/rechecks.py)
CONTEXTS = (SOURCE, ADDRESS, ITEM)

_ADVICE = {
    "gone": {
        SOURCE: "the page is gone; check the address or remove the source",
        ADDRESS: "there is no page at that address: check it for typos, or open it in a browser",
        ITEM: "the page is gone from the site; its stored revisions are kept",
    },
    "later": {
        SOURCE: "it will be tried again on a later pass",
        ADDRESS: "try again in a few minutes",
        ITEM: "it will be checked again on a later pass",
    },
    "down": {
        SOURCE: "the site may be down; it will be tried again on a later pass",
        ADDRESS: "the site may be down or the address wrong: open it in a browser, or try again later",
        ITEM: "the site may be down; the page will be checked again on a later pass",
    },
    "check": {
        SOURCE: "check the source URL",
        ADDRESS: "check the address",
        ITEM: "check the address its source gave",
    },
    "own network": {
        SOURCE: "Sources may not point into the newsroom's own network; if this one really should be fetched",
        ADDRESS: "Addresses in the newsroom's own network are not fetched; if this one really should be",
        ITEM: "Pages in the newsroom's own network are not fetched, whichever source names them; if this one should be",
    },
    "unasked": {
        SOURCE: "tell the site, or remove the source",
        ADDRESS: "tell the site, or save the page from a browser and add the file",
        ITEM: "tell the site, or save the page from a browser and add the file; its stored revisions are kept",
    },
    "too large": {
        SOURCE: "no page or feed is that large: check the address in a browser, or remove the source",
        ADDRESS: "no page or feed is that large: check the address in a browser",
        ITEM: "no page is that large: check the address in a browser; its stored revisions are kept",
    },
    "binary": {
        SOURCE: "Check that the source URL points to an HTML page or a feed (RSS, Atom or JSON Feed)",
        ADDRESS: "Check that the address is of a web page, a feed or a document (PDF, .docx)",
        ITEM: "Its stored revisions are kept, and it will be checked again on a later pass",
    },
}


def advice(what: str, context: str) -> str:
    """The advice for one kind of failure (a key of _ADVICE), in the words of the context; no final stop."""
    return _ADVICE[what][context if context in CONTEXTS else SOURCE]
