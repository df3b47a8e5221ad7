"""What readers see of documents, posts, the newsroom's own reporting and archived copies."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from tests.test_public import get, publish_into
from tests.test_publish import (
    APPROVED_WORDS,
    ARCHIVED_BYTES,
    INTERVIEW_IDENTITY,
    INTERVIEW_NOTES,
    UNAPPROVED_WORDS,
    build_newsroom,
)
from tracker.public import make_datasette


@pytest.fixture(scope="module")
def published(tmp_path_factory) -> dict:
    folder, info = publish_into(tmp_path_factory, "evidence-kinds", build_newsroom)
    return {"folder": folder, "info": info}


def _claim_page(ds, claim_id: int) -> BeautifulSoup:
    response = get(ds, f"/public/claims/{claim_id}")
    assert response.status_code == 200
    return BeautifulSoup(response.text, "html.parser")


def test_reporting_reads_told_outlet_on_date_and_never_who(published):
    ds = make_datasette(str(published["folder"] / "public.db"))
    page = _claim_page(ds, published["info"]["skipped"])
    text = page.get_text(" ", strip=True)
    assert "A company compliance officer told The Kettle Ledger on 24 November 2025" in text
    assert APPROVED_WORDS in text
    # The approved line is the whole source: no outlet before it, no date after it (both are in it).
    (line,) = [p for p in page.select(".evidence-source") if "told" in p.get_text()]
    assert (
        line.get_text(" ", strip=True)
        == "supports A company compliance officer told The Kettle Ledger on 24 November 2025"
    )
    for secret in (INTERVIEW_IDENTITY, INTERVIEW_NOTES, UNAPPROVED_WORDS):
        assert secret not in text


def test_evidence_shows_when_we_saw_it_and_the_archived_copy_only_with_a_public_address(published, monkeypatch):
    claim_id = published["info"]["no_recall"]
    plain = make_datasette(str(published["folder"] / "public.db"))
    page = _claim_page(plain, claim_id)
    assert "We saw it on Nov 26, 2025" in page.get_text(" ", strip=True)
    assert not page.select("a[href*='archived_copies']")

    monkeypatch.setenv("TRACKER_PUBLIC_URL", "https://tracker.example")
    configured = make_datasette(str(published["folder"] / "public.db"))
    links = _claim_page(configured, claim_id).select("a[href*='archived_copies']")
    assert len(links) == 1
    href = links[0]["href"]
    assert href.startswith("https://tracker.example/public/archived_copies/")
    copy = get(configured, href.removeprefix("https://tracker.example"))
    assert copy.status_code == 200 and copy.content == ARCHIVED_BYTES
    assert copy.headers["content-disposition"].startswith("attachment")
    assert not copy.headers["content-type"].startswith("text/html")
