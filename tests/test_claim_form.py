"""The new-claim and evidence forms: reaching any stored coverage, and stored text kept as it was."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from tests.conftest import csrf_from
from tracker import coverage, stories


def no_fetching():
    raise AssertionError("the form fetched an address it already holds")


no_fetch = pytest.mark.parametrize("app_options", [{"fetcher_factory": no_fetching}])


@pytest.fixture
def archive(db, story) -> list[dict]:
    """150 stored articles, oldest first; the form's list holds only the newest 100."""
    items = []
    for i in range(150):
        url = f"https://ledger.example/2026/plant-{i}"
        item_id = coverage.upsert_item(
            db,
            story["id"],
            url,
            outlet="Daily Ledger",
            title="Harbour crane report" if i == 0 else f"Plant report number {i}",
            published_at="2026-01-01T00:00:00Z" if i == 0 else f"2026-02-{1 + i // 10:02d}T{i % 10:02d}:00:00Z",
        )
        revision_id, _ = coverage.add_revision(db, item_id, f"Acme said plant {i} will close in March.")
        items.append({"id": item_id, "url": url, "revision_id": revision_id})
    return items


def _options(html: str) -> list[str]:
    return [o["value"] for o in BeautifulSoup(html, "html.parser").select("select#revision_id option") if o["value"]]


def _new_claim(client, story, **fields):
    page = client.get(f"/stories/{story['slug']}/claims/new").get_data(as_text=True)
    data = {"csrf_token": csrf_from(page), "text": "Plant 0 closes", "claimant": "Acme"}
    data |= {"claimant_type": "organization", "stance": "supports", **fields}
    return client.post(f"/stories/{story['slug']}/claims/new", data=data)


def test_the_form_lists_the_newest_and_finds_any_older_item(client, auth, accounts, story, db, archive):
    auth.login("reporter")
    html = client.get(f"/stories/{story['slug']}/claims/new").get_data(as_text=True)
    listed = _options(html)
    assert len(listed) == 100 and str(archive[0]["revision_id"]) not in listed
    search = BeautifulSoup(html, "html.parser").select_one("[data-coverage-search]")
    assert search is not None and search["data-coverage-search"]
    found = client.get(search["data-coverage-search"], query_string={"q": "CRANE harbour"}).get_json()
    assert [c["revision_id"] for c in found["choices"]] == [archive[0]["revision_id"]]
    assert "Harbour crane report" in found["choices"][0]["label"]
    # By address, outlet, several words in any order; never more than a page of them.
    by_url = client.get(search["data-coverage-search"], query_string={"q": "plant-3"}).get_json()["choices"]
    assert archive[3]["revision_id"] in [c["revision_id"] for c in by_url]
    many = client.get(search["data-coverage-search"], query_string={"q": "ledger report"}).get_json()
    assert len(many["choices"]) == 50 and many["more"] is True
    for hostile in ("%25", "_", "%5C", "'", "x" * 5000, "%ED%A0%80"):
        response = client.get(f"{search['data-coverage-search']}?q={hostile}")
        assert response.status_code == 200 and response.get_json()["choices"] == [], hostile


def test_a_claim_cites_an_older_item_chosen_from_a_search(client, auth, accounts, story, db, archive):
    auth.login("reporter")
    response = _new_claim(client, story, revision_id=archive[0]["revision_id"], quote="plant 0 will close")
    assert response.status_code == 302, response.get_data(as_text=True)[:400]
    [evidence] = db.execute("SELECT revision_id FROM evidence").fetchall()
    assert evidence[0] == archive[0]["revision_id"]


@no_fetch
@pytest.mark.parametrize("how", ["url", "editor_link", "editor_path"])
def test_an_older_item_is_cited_by_its_address_without_fetching_it(client, auth, accounts, story, db, archive, how):
    """Without scripts, the address of an article the story holds (or of its coverage page) picks it."""
    auth.login("reporter")
    old = archive[0]
    typed = {
        "url": old["url"],
        "editor_link": f"http://localhost/coverage/{old['id']}",
        "editor_path": f"/coverage/{old['id']}?rev={old['revision_id']}",
    }[how]
    response = _new_claim(client, story, url=typed, quote="plant 0 will close")
    assert response.status_code == 302, response.get_data(as_text=True)[:400]
    assert db.execute("SELECT revision_id FROM evidence").fetchall() == [(old["revision_id"],)]


@no_fetch
def test_a_coverage_page_of_another_story_is_refused_in_one_line(client, auth, accounts, story, db, archive):
    other = stories.create_story(db, "other-story", "Other")
    item = coverage.upsert_item(db, other["id"], "https://other.example/a", title="Other")
    coverage.add_revision(db, item, "Acme said plant 0 will close in March.")
    auth.login("reporter")
    response = _new_claim(client, story, url=f"/coverage/{item}", quote="plant 0 will close")
    assert response.status_code == 422
    assert "not part of this story" in response.get_data(as_text=True)
    assert db.execute("SELECT count(*) FROM claims").fetchone()[0] == 0
