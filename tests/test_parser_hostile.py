"""Hostile and pathological pages: the article reader and claim extraction finish, with bounded output."""

import json

from scrapers.article import parse_article

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
