"""Copies of one text on several outlets become one cluster, the original (earliest published) first."""

from __future__ import annotations

from tests.sites import RECALL, article, fetcher, rss
from tracker import clusters, coverage, sources
from tracker.scrape import run_pass
from tracker.store import ingest_page

INDEPENDENT = [
    "A reporter for the Example Herald visited the Acme Widgets factory on Tuesday, where workers "
    "described months of complaints about the wiring of the toaster line before the recall.",
    "Two employees, who asked not to be named, said managers had been told about overheating units "
    "in the autumn but decided to keep the production line running until after the holidays.",
    "Acme Widgets said it would recall 10,000 toasters sold since January after reports that a "
    "wiring fault could cause them to overheat, but declined to comment on the employees' account.",
]
OTHER_STORY = [
    "The fictional Exampleton city council approved a new cycle lane on Main Street on Wednesday "
    "after a debate that lasted more than four hours and drew a large crowd of residents.",
    "Supporters said the lane would make the town centre safer for children cycling to school, "
    "while shop owners worried about losing parking spaces in front of their stores.",
]


def text(paragraphs: list[str]) -> str:
    return "\n".join(paragraphs)


def test_identical_and_lightly_edited_copies_are_copies_and_independent_reports_are_not():
    original, size = clusters.sketch(text(RECALL))
    wire_with_tagline = clusters.sketch(text([*RECALL, "This story was distributed by Example Wire."]))
    cut_to_first_paragraphs = clusters.sketch(text(RECALL[:2]))
    independent = clusters.sketch(text(INDEPENDENT))  # shares one sentence with the original
    unrelated = clusters.sketch(text(OTHER_STORY))
    assert clusters.similarity(original, original) == 1.0
    assert clusters.is_copy(original, size, *wire_with_tagline)
    assert clusters.is_copy(original, size, *cut_to_first_paragraphs)
    assert not clusters.is_copy(original, size, *independent)
    assert not clusters.is_copy(original, size, *unrelated)
    assert clusters.similarity(original, unrelated[0]) == 0.0


def test_short_texts_are_never_called_copies():
    headline = clusters.sketch("Acme recalls 10,000 toasters after wiring fault")
    assert headline[1] < clusters.MIN_SHINGLES
    assert not clusters.is_copy(*headline, *headline)


def _outlet(site, name: str, slug: str, paragraphs: list[str], published: str) -> tuple[str, str]:
    """An outlet with a feed linking one page; the page carries the published date."""
    page = site.put(
        f"/{slug}/story.html", article(f"Acme recall ({name})", paragraphs, outlet=name, published=published)
    )
    feed = site.put(f"/{slug}/feed.xml", rss(name, [{"link": page, "title": "Acme recall"}]))
    return page, feed


def test_wire_copy_on_two_outlets_is_one_cluster_with_the_original_first(db, story, site):
    # The Gazette's feed is read first, but the Herald published the text an hour earlier.
    gazette, gazette_feed = _outlet(
        site, "Example Gazette", "gazette", [*RECALL, "Distributed by Example Wire."], "2026-03-02T15:30:00Z"
    )
    herald, herald_feed = _outlet(site, "Example Herald", "herald", RECALL, "2026-03-02T14:30:00Z")
    own, own_feed = _outlet(site, "Example Times", "times", INDEPENDENT, "2026-03-03T09:00:00Z")
    for feed in (gazette_feed, herald_feed, own_feed):
        sources.add_source(db, story["id"], feed, "feed")
    with fetcher() as f:
        run_pass(db, story["slug"], fetcher=f)
    items = {i["canonical_url"]: i for i in coverage.list_items(db, story["id"])}
    assert items[gazette]["cluster_id"] == items[herald]["cluster_id"] is not None
    assert items[gazette]["cluster_size"] == items[herald]["cluster_size"] == 2
    assert items[herald]["is_original"] and not items[gazette]["is_original"]
    assert items[gazette]["cluster_original_id"] == items[herald]["id"]
    assert items[own]["cluster_id"] is None and items[own]["cluster_size"] == 1 and items[own]["is_original"]
    (cluster,) = clusters.clusters(db, story["id"])
    assert [m["canonical_url"] for m in cluster["members"]] == [herald, gazette]
    assert cluster["original"]["outlet"] == "Example Herald"
    assert cluster["outlets"] == ["Example Gazette", "Example Herald"]


def _page(db, story, url: str, paragraphs: list[str], published: str) -> int:
    html = article("Acme recall", paragraphs, published=published, outlet=url.split("/")[2]).encode()
    return ingest_page(db, story, url, html)["coverage_id"]


def test_an_earlier_copy_arriving_later_becomes_the_original(db, story):
    late = _page(db, story, "https://gazette.example/a", RECALL, "2026-03-03T10:00:00Z")
    early = _page(db, story, "https://herald.example/b", RECALL, "2026-03-02T08:00:00Z")
    (cluster,) = clusters.clusters(db, story["id"])
    assert [m["id"] for m in cluster["members"]] == [early, late]
    assert cluster["cluster_id"] == min(early, late)


def test_a_text_copying_two_clusters_merges_them(db, story):
    a = _page(db, story, "https://one.example/a", RECALL, "2026-03-02T08:00:00Z")
    b = _page(db, story, "https://two.example/b", RECALL, "2026-03-02T09:00:00Z")
    c = _page(db, story, "https://three.example/c", OTHER_STORY * 2, "2026-03-02T10:00:00Z")
    d = _page(db, story, "https://four.example/d", OTHER_STORY * 2, "2026-03-02T11:00:00Z")
    assert len(clusters.clusters(db, story["id"])) == 2
    roundup = _page(db, story, "https://five.example/e", [*RECALL, *OTHER_STORY], "2026-03-02T12:00:00Z")
    (merged,) = clusters.clusters(db, story["id"])
    assert {m["id"] for m in merged["members"]} == {a, b, c, d, roundup}
    assert merged["original"]["id"] == a


def test_copies_in_different_stories_are_not_clustered_together(db, story):
    from tracker import stories

    other = stories.create_story(db, "other-story", "Other", keywords_include="Acme")
    _page(db, story, "https://gazette.example/a", RECALL, "2026-03-02T08:00:00Z")
    _page(db, other, "https://herald.example/b", RECALL, "2026-03-02T09:00:00Z")
    assert clusters.clusters(db, story["id"]) == [] and clusters.clusters(db, other["id"]) == []


def test_an_edited_item_keeps_its_cluster_and_its_sketch_is_refreshed(db, story):
    a = _page(db, story, "https://gazette.example/a", RECALL, "2026-03-02T08:00:00Z")
    b = _page(db, story, "https://herald.example/b", RECALL, "2026-03-02T09:00:00Z")
    _page(db, story, "https://herald.example/b", [*RECALL, "Acme later apologised to its customers."], "")
    items = {i["id"]: i for i in coverage.list_items(db, story["id"])}
    assert items[a]["cluster_id"] == items[b]["cluster_id"] == a
    values, _ = clusters.sketch(coverage.latest_revision(db, b)["text"])
    (stored,) = db.execute("SELECT sketch FROM coverage WHERE id = ?", [b]).fetchone()
    assert clusters.unpack(stored) == values and len(values) == clusters.K
    indexed = db.execute("SELECT hash FROM coverage_sketches WHERE coverage_id = ? ORDER BY hash", [b]).fetchall()
    assert [h for (h,) in indexed] == values[: clusters.INDEXED]  # the old text's values are gone


def test_shingle_hashes_are_those_of_each_run_of_words_joined_with_spaces():
    """Stored sketches depend on these exact values: slicing the joined text must not change them."""
    import random
    import zlib

    from tracker.clusters import _GOLDEN, _MASK, _MASK64, _WORD, SHINGLE

    def by_join(text: str) -> set[int]:
        words = _WORD.findall(text.lower())[: clusters.MAX_WORDS]
        hashes = set()
        for i in range(len(words) - SHINGLE + 1):
            h = (zlib.crc32(" ".join(words[i : i + SHINGLE]).encode("utf-8")) * _GOLDEN) & _MASK64
            hashes.add((h ^ (h >> 29)) & _MASK)
        return hashes

    rng = random.Random(5)
    vocab = "the plant will close Élan café naïve straße Ünited 2026 workers said über 東京".split()
    for n in (0, 4, 5, 6, 120, 900):
        text = " ".join(rng.choice(vocab) for _ in range(n))
        assert clusters.shingles(text) == by_join(text)


def test_a_page_of_the_coverage_list_counts_each_cluster_whole(db, story):
    """Clusters are counted for a page's items only: a member on another page (or none of them on this one) still
    counts, and the original is the cluster's earliest wherever it is listed."""
    from tracker import stories

    other = stories.create_story(db, "other-story", "Other", keywords_include="Acme")
    made = {}
    for where in (story, other):
        for i in range(40):
            published = None if i % 9 == 0 else f"2026-03-{1 + i % 28:02d}T{i % 24:02d}:00:00Z"
            item = coverage.upsert_item(
                db, where["id"], f"https://o{i}.example/a", outlet=f"O{i}", published_at=published
            )
            if i % 5:
                coverage.add_revision(db, item, f"Text {i}", fetched_at=f"2026-04-{1 + i % 20:02d}T10:00:00Z")
            made[where["slug"], i] = item
    for members in ([0, 7, 19, 33, 38], [3, 4], [10, 25, 39]):  # spread over pages of 6, in either order
        ids = [made[story["slug"], i] for i in members]
        db.execute(f"UPDATE coverage SET cluster_id = ? WHERE id IN ({','.join('?' * len(ids))})", [min(ids), *ids])
    copy = made[other["slug"], 7]  # another story's item naming one of this story's clusters counts for neither
    db.execute("UPDATE coverage SET cluster_id = ? WHERE id = ?", [made[story["slug"], 0], copy])
    db.conn.commit()
    for order in coverage.ITEM_ORDERS:
        whole = coverage.list_items(db, story["id"], order)
        paged, at = [], None
        while True:
            page = coverage.list_items(db, story["id"], order, limit=7, at=at)
            paged += page[:6]
            if len(page) < 7:
                break
            at = coverage.item_key(page[6])
        assert [i["id"] for i in paged] == [i["id"] for i in whole]
        fields = ("cluster_size", "cluster_original_id", "is_original", "revision_count", "latest_revision_id")
        assert [{k: i[k] for k in fields} for i in paged] == [{k: i[k] for k in fields} for i in whole]
        sizes = {i["id"]: i["cluster_size"] for i in whole}
        assert sizes[made[story["slug"], 7]] == 5 and sizes[made[story["slug"], 4]] == 2
        assert sizes[made[story["slug"], 1]] == 1
        last = coverage.list_items(db, story["id"], order, limit=6, before=coverage.item_key(whole[-6]))
        assert [i["id"] for i in last] == [i["id"] for i in whole[-12:-6]]
        assert [i["cluster_size"] for i in last] == [i["cluster_size"] for i in whole[-12:-6]]
