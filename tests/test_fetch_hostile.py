"""Servers we do not control, answering as a hostile or broken one would: every fetch stays bounded and says why.

Each test serves its answer from a real server on 127.0.0.1 (tests/sites.py, tests/http/local_server.py)
and goes through the fetcher, the parsers and the ingest the commands use.
"""

from __future__ import annotations

from scrapers.feeds import OUTLET_MAX, TITLE_MAX
from tests.sites import fetcher, rss
from tracker import coverage
from tracker.ingest import ingest_url


def test_a_feed_title_of_megabytes_is_not_copied_into_every_item(db, story, site):
    """The feed's title names the outlet of each of its entries: 2 MB of it once made 20 items hold 40 MB."""
    entries = [{"link": site.url(f"/a/{n}.html"), "title": "Acme " + "recall " * 50_000} for n in range(20)]
    feed = rss("Acme Gazette " * 170_000, entries)
    url = site.put("/feed.xml", feed, content_type="application/rss+xml")
    result = ingest_url(db, story["slug"], url, fetcher=fetcher())
    assert (result.kind, result.counts["new"]) == ("feed", 20)
    assert result.title.startswith("Acme Gazette Acme Gazette") and len(result.title) <= OUTLET_MAX + 1
    items = coverage.list_items(db, story["id"])
    assert len(items) == 20
    assert all(item["outlet"] == result.title for item in items)
    assert all(item["title"].startswith("Acme recall recall") and len(item["title"]) <= TITLE_MAX + 1 for item in items)
