"""A story's coverage in the JSON API: cursor pages, as the claims list's, whose cost does not grow with the story."""

from __future__ import annotations

from tests.test_api import Api, newsroom  # noqa: F401 (a fixture)
from tracker import coverage


def _add(db, story_id: int, n: int, day: int, start: int = 0) -> list[int]:
    """n articles published on March `day`, an hour apart, with a few tied hours and clusters of copies."""
    ids = []
    for i in range(start, start + n):
        item = coverage.upsert_item(
            db,
            story_id,
            f"https://news.example/{day}/{i}",
            outlet="News Example",
            title=f"Item {day}/{i}",
            published_at=f"2026-03-{day:02d}T{(i // 2) % 24:02d}:00:00Z",
        )
        if ids and i % 3 == 0:  # a copy of an earlier item: listed with its cluster's size and original
            db.execute("UPDATE coverage SET cluster_id = ? WHERE id = ?", [ids[0], item])
        ids.append(item)
    db.conn.commit()
    return ids


def _order(db, story_id: int) -> list[int]:
    """The story's items as the API's order says: newest published first, the larger id first on a tie."""
    return [i["id"] for i in coverage.list_items(db, story_id)]


def test_coverage_comes_in_cursor_pages_each_item_once_in_order_with_items_added_between_pages(
    client,
    db,
    story,
    newsroom,  # noqa: F811
):
    api = Api(client, newsroom["tokens"]["reporter"])
    _add(db, story["id"], 10, day=10)
    listed, cursor, pages = [], None, 0
    present = set(_order(db, story["id"]))
    while True:
        answer = api.call("GET", f"/stories/test-story/coverage?limit=4{'&cursor=' + cursor if cursor else ''}").json
        assert len(answer["coverage"]) <= 4
        listed += [i["id"] for i in answer["coverage"]]
        cursor, pages = answer["next_cursor"], pages + 1
        if cursor is None:
            break
        # Meanwhile a scrape stores items newer than every page (not in the pages to come) and older (in them).
        _add(db, story["id"], 2, day=20, start=pages * 2)
        _add(db, story["id"], 2, day=9 - pages, start=pages * 2)  # each older than the last
    assert pages >= 4
    assert len(listed) == len(set(listed)), "an item was listed twice"
    assert present <= set(listed), "an item present from the first page on was skipped"
    expected = [i for i in _order(db, story["id"]) if i in set(listed)]
    assert listed == expected, "the pages are not in the list's order"
    older = {i["id"] for i in coverage.list_items(db, story["id"]) if (i["published_at"] or "z") < "2026-03-10"}
    assert older <= set(listed), "an older item stored between pages was not on the pages still to come"


def test_a_coverage_page_holds_the_limit_and_refuses_a_bad_limit_or_cursor_as_claims_do(client, db, story, newsroom):  # noqa: F811
    api = Api(client, newsroom["tokens"]["reporter"])
    _add(db, story["id"], 5, day=10)
    first = api.call("GET", "/stories/test-story/coverage?limit=1").json
    assert len(first["coverage"]) == 1 and first["next_cursor"]
    whole = api.call("GET", "/stories/test-story/coverage").json
    assert len(whole["coverage"]) == 6 and whole["next_cursor"] is None  # the default limit holds them all
    # Items with no stored text are listed too (null revision), as the operation's summary no longer denies.
    assert sum(i["latest_revision_id"] is None for i in whole["coverage"]) == 5
    assert "stored text" not in api.operation("GET", "/stories/test-story/coverage")[1]["summary"]
    for query in ("limit=0", "limit=201", "limit=two", "cursor=not-ours", "cursor=%25%25", "page=2"):
        claims = api.call("GET", f"/stories/test-story/claims?{query}")
        listed = api.call("GET", f"/stories/test-story/coverage?{query}")
        assert listed.status_code == claims.status_code == 400, query
        assert listed.json.keys() == claims.json.keys(), query


def test_listing_a_story_reads_rows_in_proportion_to_its_size_not_its_square(db, story):
    """Every item listed without a limit: the clusters' sizes were read again for each item (a scan per row)."""

    def steps(n_items: int) -> int:
        db.execute("DELETE FROM coverage")
        _add(db, story["id"], n_items, day=10)
        counted = [0]

        def step() -> int:
            counted[0] += 1
            return 0

        db.conn.set_progress_handler(step, 100)
        try:
            assert len(coverage.list_items(db, story["id"])) == n_items
        finally:
            db.conn.set_progress_handler(None, 0)
        return counted[0]

    small, large = steps(200), steps(800)
    assert large < 6 * small, (small, large)  # four times the items: four times the steps, sixteen if squared
