"""`www.acme.example/x` and `acme.example/x`: one item when the site says so (a redirect, a canonical link), else two.

Two fixture servers on 127.0.0.1 play the bare host and the www host (the
fetcher pins each name to its port, as the live demo's hosts are pinned), so
the bare host can send its readers to www as real sites do.
"""

from __future__ import annotations

import pytest

from tests.sites import RECALL, Site, article, fetcher, rss
from tracker import coverage, sources
from tracker.db import rows
from tracker.scrape import run_pass

BARE, WWW = "acme.example", "www.acme.example"
PATH = "/news/recall.html"


@pytest.fixture
def hosts():
    bare, www = Site(), Site()
    yield {"bare": bare, "www": www, "map": {BARE: ("127.0.0.1", bare.httpd.server_address[1]),
                                             WWW: ("127.0.0.1", www.httpd.server_address[1])}}  # fmt: skip
    bare.close()
    www.close()


def _page(canonical: str | None = None) -> str:
    link = f'<link rel="canonical" href="{canonical}">' if canonical else ""
    return article("Acme recalls toasters", RECALL).replace("</head>", f"{link}</head>")


def _two_passes(db, story, hosts, first: str, then: str) -> list[dict]:
    """A feed (on the www host) links `first`; the feed then links `then` too, from a second entry."""
    feed = hosts["www"].put("/feed.xml", rss("Acme", [{"link": first, "title": "Acme recalls toasters"}]))
    sources.add_source(db, story["id"], feed, "feed")
    with fetcher(host_map=hosts["map"]) as f:
        run_pass(db, story["slug"], fetcher=f)
        entries = [{"link": first, "title": "Acme recalls toasters"}, {"link": then, "title": "Acme recalls"}]
        hosts["www"].put("/feed.xml", rss("Acme", entries))
        db.execute("UPDATE sources SET next_poll_at = NULL")
        db.conn.commit()
        run_pass(db, story["slug"], fetcher=f)
    return coverage.list_items(db, story["id"])


def test_a_bare_host_that_redirects_to_www_is_the_same_page(db, story, hosts):
    hosts["www"].put(PATH, _page())
    hosts["bare"].put(PATH, b"", status=301, headers={"Location": f"http://{WWW}{PATH}"})
    (item,) = _two_passes(db, story, hosts, f"http://{BARE}{PATH}", f"http://{WWW}{PATH}")
    assert item["canonical_url"] == f"http://{BARE}{PATH}" and item["revision_count"] == 1
    assert not rows(db, "SELECT id FROM alert_events WHERE dedupe_key LIKE 'coverage_moved:%'")  # no news


def test_once_the_bare_host_redirected_to_www_its_other_pages_are_the_www_ones_too(db, story, hosts):
    """Stored under www first (nothing said then that the bare host is the same site), then linked bare."""
    for path in (PATH, "/news/other.html"):
        hosts["www"].put(path, _page())
        hosts["bare"].put(path, b"", status=301, headers={"Location": f"http://{WWW}{path}"})
    feed = hosts["www"].put("/feed.xml", rss("Acme", [{"link": f"http://{BARE}/news/other.html", "title": "Acme"}]))
    sources.add_source(db, story["id"], feed, "feed")
    page = sources.add_source(db, story["id"], f"http://{WWW}{PATH}", "page")
    with fetcher(host_map=hosts["map"]) as f:
        run_pass(db, story["slug"], fetcher=f)  # the other page is followed from bare to www: the site's evidence
        entries = [{"link": f"http://{BARE}{PATH}", "title": "Acme recalls toasters"}]
        hosts["www"].put("/feed.xml", rss("Acme", entries))
        db.execute("UPDATE sources SET next_poll_at = NULL WHERE kind = 'feed'")
        db.conn.commit()
        assert run_pass(db, story["slug"], fetcher=f)["new"] == 0
    by_url = {i["canonical_url"]: i for i in coverage.list_items(db, story["id"])}
    assert set(by_url) == {f"http://{BARE}/news/other.html", f"http://{WWW}{PATH}"}
    assert by_url[f"http://{WWW}{PATH}"]["source_id"] == page["id"]


def test_a_canonical_link_naming_the_www_address_makes_them_one(db, story, hosts):
    hosts["bare"].put(PATH, _page(canonical=f"http://{WWW}{PATH}"))  # served on both, the bare one naming www
    hosts["www"].put(PATH, _page(canonical=f"http://{WWW}{PATH}"))
    items = _two_passes(db, story, hosts, f"http://{BARE}{PATH}", f"http://{WWW}{PATH}")
    assert [i["revision_count"] for i in items] == [1], (items, rows(db, "SELECT fetch_url FROM coverage"))


def test_www_and_the_bare_host_are_two_sites_when_nothing_says_otherwise(db, story, hosts):
    """Different hosts can be different sites (a company's www and a blog on its bare name): not merged blindly."""
    hosts["bare"].put(PATH, _page())
    hosts["www"].put(PATH, _page())
    items = _two_passes(db, story, hosts, f"http://{BARE}{PATH}", f"http://{WWW}{PATH}")
    assert sorted(i["canonical_url"] for i in items) == [f"http://{BARE}{PATH}", f"http://{WWW}{PATH}"]


def test_a_stored_page_whose_bare_host_starts_sending_readers_to_www_has_not_moved(db, story, hosts):
    """The same page under www is no news for a reporter: followed there without a "moved" alert."""
    hosts["bare"].put(PATH, _page())
    feed = hosts["www"].put("/feed.xml", rss("Acme", [{"link": f"http://{BARE}{PATH}", "title": "Acme recalls"}]))
    sources.add_source(db, story["id"], feed, "feed")
    with fetcher(host_map=hosts["map"]) as f:
        run_pass(db, story["slug"], fetcher=f)
        hosts["www"].put(PATH, _page())
        hosts["bare"].put(PATH, b"", status=301, headers={"Location": f"http://{WWW}{PATH}"})
        (item,) = coverage.list_items(db, story["id"])
        run_pass(db, story["slug"], fetcher=f, at=item["next_check_at"])
    assert rows(db, "SELECT fetch_url FROM coverage") == [{"fetch_url": f"http://{WWW}{PATH}"}]
    assert not rows(db, "SELECT id FROM alert_events WHERE dedupe_key LIKE 'coverage_moved:%'")
