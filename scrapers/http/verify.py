"""Checking that a feed's 304s tell the truth, for the price of a few hundred bytes.

A conditional GET trusts the server: a feed whose ETag or Last-Modified
stays put while its content changes answers 304 Not Modified and hides every
new story. Fetching it in full now and then catches that, but only as often
as one can afford a whole feed; a quiet feed polled every ten minutes would
cost many times its real traffic to be checked every third poll.

What changes when a story is added is the feed's first entry (feeds list
the newest first): scrapers.feeds.newest_entry_window finds the bytes that
name it in the last full body, and a ranged GET of just those bytes (a
Window) shows whether they are still the same. When they are, the poll is
done: unchanged, and checked. When they are not, the poll goes on as a
conditional GET would have: an honest server answers it with the new feed
(the check cost one small request), a lying one with 304 again, which
proves the lie; then the feed is fetched in full and its validators are no
longer trusted (tracker/scrape/polling.py). A server that ignores ranges
sends the feed from the start, and reading stops where the window ends.

The window misses an edit deep in an older entry; edits to articles are
seen when their own pages are re-checked (tracker/scrape/rechecks.py).
"""

from __future__ import annotations

import dataclasses
import hashlib
from dataclasses import dataclass

from scrapers.http.fetcher import Fetcher, Response


@dataclass(frozen=True)
class Window:
    """The bytes of a feed that name its newest entry: where they are, and the hash of what they were."""

    offset: int
    length: int
    digest: str


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def window_of(body: bytes, span: tuple[int, int] | None) -> Window | None:
    """The Window of `span` (offset, length) in a full body, or None when there is none to check."""
    if span is None:
        return None
    offset, length = span
    return Window(offset, length, digest(body[offset : offset + length]))


def verified_get(
    fetcher: Fetcher,
    url: str,
    etag: str | None,
    last_modified: str | None,
    window: Window,
    validated_at: str | None = None,
) -> Response:
    """A poll that checks the validators: the window's bytes first, then what they call for.

    Returns `verified` (the window is unchanged: nothing more was fetched),
    the conditional GET's answer (the window changed and the server
    answered honestly, or the check could not be made), or the full feed
    with `validators_lied` set (the window changed, yet the server still
    answered 304 to the old validators). validated_at: where the validators were answered from (Fetcher.get).
    """
    probe = fetcher.get(url, byte_range=(window.offset, window.length))
    probed = probe.ok and probe.status in (200, 206)
    changed = probed and digest(probe.body) != window.digest
    if probed and not changed:
        return dataclasses.replace(probe, body=b"", not_modified=True, verified=True, probe_bytes=len(probe.body))
    response = fetcher.get(url, etag=etag, last_modified=last_modified, validated_at=validated_at)
    if changed and response.not_modified:
        full = fetcher.get(url)
        return dataclasses.replace(full, validators_lied=True, probe_bytes=len(probe.body))
    return dataclasses.replace(response, probe_bytes=len(probe.body))
