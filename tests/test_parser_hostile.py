"""Hostile and pathological pages: the article reader and claim extraction finish, with bounded output."""

import json

import pytest

from scrapers.article import parse_article
from scrapers.article.bylines import MAX_LD_AUTHORS, MAX_PROFILE_LINKS, _ld_authors, _profile_links
from scrapers.article.names import clean_byline
from scrapers.article.parse import parse_tree
from scrapers.records import Author

BODY = (
    "<p>The Westbury council agreed its budget on Thursday after a long debate about road repairs, "
    "library hours and the cost of keeping the harbour open through the winter months.</p>"
)


def ld_page(data: object, body: str = BODY) -> bytes:
    script = f'<script type="application/ld+json">{json.dumps(data)}</script>'
    return f"<html><head>{script}</head><body><article><h1>Budget agreed</h1>{body}</article></body></html>".encode()


def test_circular_author_reference_in_json_ld_is_not_fatal():
    # An author whose name refers back to the author itself: followed naively, it never ends.
    graph = {
        "@graph": [
            {"@type": "NewsArticle", "headline": "Budget agreed", "author": {"@id": "#a"}},
            {"@id": "#a", "@type": "Person", "name": {"@id": "#a"}},
        ]
    }
    article = parse_article(ld_page(graph), url="https://example.com/budget")
    assert article.title == "Budget agreed"
    assert "Westbury council" in article.text
    assert article.authors == []


def _letters(i: int) -> str:
    """A name-like word for i, with no digits (a digit makes a name no person's)."""
    return "".join(chr(ord("a") + int(d)) for d in str(i)).capitalize()


def test_a_json_ld_author_list_is_read_only_to_a_bound():
    # Each author was checked against every one kept before it: 100,000 authors took minutes.
    authors = [{"@type": "Person", "name": f"Jane {_letters(i)} Doe"} for i in range(20000)]
    found = _ld_authors(authors, [])
    assert 1 <= len(found) <= MAX_LD_AUTHORS
    assert found[0] == ("Jane A Doe", "person")
    article = parse_article(ld_page({"@type": "NewsArticle", "author": authors}), url="https://example.com/budget")
    assert 1 <= len(article.authors) <= MAX_LD_AUTHORS


def test_links_to_author_pages_are_read_only_to_a_bound():
    # Every name found was weighed against every other: 5,000 distinct author links took two minutes.
    link = '<a href="/author/jane-{}-doe/">Jane {} Doe</a> '
    links = "".join(link.format(_letters(i).lower(), _letters(i)) for i in range(2000))
    tree = parse_tree(f"<html><body><p>{links}</p>{BODY}</body></html>")
    found = _profile_links(tree)
    assert 1 <= len(found) <= MAX_PROFILE_LINKS
    assert found[0] == "Jane A Doe"
    article = parse_article(f"<html><body><p>{links}</p>{BODY}</body></html>".encode(), url="https://example.com/x")
    assert article.authors == [Author("Jane A Doe", "person")]


@pytest.mark.parametrize("words", ["Staff", "Staff Writer", "Senior Staff", ", Staff"])
def test_a_byline_of_repeated_job_titles_is_read(words):
    # Each "Staff" could be a title or the start of "Staff Writer": the ways to read 30 of them grew
    # exponentially, and a byline of 60 held the parse for hours.
    raw = " ".join([words] * 60) + " x"
    assert clean_byline(f"Jane Doe {raw}") is None  # no name of ten words or fewer in it
    assert clean_byline("Jane Doe, " + " ".join([words] * 60)) == "Jane Doe"
    page = f'<html><head><meta name="author" content="{raw}"></head><body>{BODY}</body></html>'
    assert parse_article(page.encode(), url="https://example.com/x").byline is None
