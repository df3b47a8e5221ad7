"""Feed links whose query carries a value new on every poll (`?sid=`, `?ts=`, `?cb=`): one article, one item."""

from __future__ import annotations

from tests.sites import RECALL, article, fetcher, rss
from tracker import coverage, sources
from tracker.scrape import run_pass

COST = [
    "Acme Widgets told investors on Tuesday that the recall would cost it about four million "
    "dollars, most of it in replacement units shipped to customers over the coming weeks.",
]


def serve_feed(site, entries: list[tuple[str, str]]) -> str:
    """The feed linking each (path with its query, title), its guid the link; each page served at its address."""
    for path, title in entries:
        site.put(path, article(title, RECALL if "recall" in path else COST))
    listed = [{"link": site.url(path), "guid": site.url(path), "title": title} for path, title in entries]
    return site.put("/feed.xml", rss("Example Gazette", listed), content_type="application/rss+xml")


def urls(db, story) -> list[str]:
    return sorted(item["canonical_url"] for item in coverage.list_items(db, story["id"]))


def test_a_query_new_on_every_poll_finds_the_same_item_and_fetches_nothing_again(db, story, site):
    feed = serve_feed(
        site, [("/recall.html?sid=1", "Acme recalls toasters"), ("/cost.html?ts=17001", "Acme puts cost at $4m")]
    )
    sources.add_source(db, story["id"], feed, "feed")
    with fetcher() as f:
        first = run_pass(db, story["slug"], fetcher=f)
        for poll in (2, 3):
            serve_feed(
                site,
                [
                    (f"/recall.html?sid={poll}", "Acme recalls toasters"),
                    (f"/cost.html?ts=1700{poll}", "Acme puts cost at $4m"),
                ],
            )
            later = run_pass(db, story["slug"], fetcher=f, force=True)
            assert later["new"] == 0
    assert first["new"] == 2
    assert urls(db, story) == [site.url("/cost.html?ts=17001"), site.url("/recall.html?sid=1")]
    assert site.hits("/recall.html?sid=3") == [] and site.hits("/cost.html?ts=17003") == []


def test_a_meaningful_query_stays_two_pages(db, story, site):
    """`?id=123` and `?id=124` are two pages: their titles differ, or both are linked at once."""
    feed = serve_feed(site, [("/news?id=123", "Acme recalls toasters"), ("/news?id=124", "Acme recalls toasters")])
    sources.add_source(db, story["id"], feed, "feed")
    with fetcher() as f:
        run_pass(db, story["slug"], fetcher=f)
        serve_feed(site, [("/news?id=125", "Acme puts cost at $4m"), ("/news?p=5", "Acme recalls more toasters")])
        second = run_pass(db, story["slug"], fetcher=f, force=True)
    assert second["new"] == 2
    assert len(urls(db, story)) == 4
