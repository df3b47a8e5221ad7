"""One exchange: size caps, binary files refused, Content-Type read (scrapers/http/exchange.py)."""

from __future__ import annotations

import gzip

import pytest

from scrapers.http import parse_content_type
from tests.http.local_server import PNG


def test_a_gzip_bomb_is_cut_at_the_size_cap_after_decoding(server, make_fetcher):
    bomb = gzip.compress(b"<p>" + b" " * 50_000_000)  # 50 MB that arrive as about 50 KB
    url = server.reply("/bomb", bomb, Content_Encoding="gzip")
    response = make_fetcher(max_bytes=1_000_000).get(url)
    assert "response larger than 1000000 bytes" in response.error
    assert response.body == b""  # refused: nothing of it is kept


@pytest.mark.parametrize("length", [True, False], ids=["content-length", "until-close"])
def test_oversize_body_is_cut_with_an_error(server, make_fetcher, length):
    url = server.reply("/huge", b"<p>" + b"x" * 5000, length=length)
    response = make_fetcher(max_bytes=1000).get(url)
    assert not response.ok
    assert "response larger than 1000 bytes" in response.error
    assert response.body == b""


@pytest.mark.parametrize(
    "body, why",
    [(PNG, "PNG image"), (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "PDF"), (b"<html>\x00\x01\x02\x03" * 50, "NUL bytes")],
)
def test_binary_served_as_text_html_is_refused(server, make_fetcher, body, why):
    url = server.reply("/file", body, content_type="text/html")
    response = make_fetcher().get(url)
    assert not response.ok
    assert "binary file" in response.error
    assert why in response.error
    assert "served as text/html" in response.error


@pytest.mark.parametrize("content_type", ["image/png", "application/pdf", "application/octet-stream"])
def test_declared_binary_types_are_refused(server, make_fetcher, content_type):
    url = server.reply("/file", PNG, content_type=content_type)
    response = make_fetcher().get(url)
    assert f"declared as {content_type}" in response.error


@pytest.mark.parametrize(
    "body, content_type",
    [
        ('<?xml version="1.0" encoding="utf-16"?><rss><channel/></rss>'.encode("utf-16"), "application/rss+xml"),
        ("<rss><channel><title>Acme</title></channel></rss>".encode("utf-16-le"), "text/xml; charset=utf-16"),
        ("<rss><channel><title>Acme</title></channel></rss>".encode("utf-16-be"), "text/xml"),
    ],
)
def test_utf16_feeds_are_not_mistaken_for_binary(server, make_fetcher, body, content_type):
    url = server.reply("/feed", body, content_type=content_type)
    response = make_fetcher().get(url)
    assert response.ok, response.error
    assert response.body == body


@pytest.mark.parametrize(
    "value, expected",
    [
        (None, (None, None)),
        ("text/html", ("text/html", None)),
        ("Text/HTML; Charset=UTF-8", ("text/html", "utf-8")),
        ("application/rss+xml; charset='windows-1252'", ("application/rss+xml", "windows-1252")),
        ("text/html; charset=", ("text/html", None)),
    ],
)
def test_parse_content_type(value, expected):
    assert parse_content_type(value) == expected


def test_a_page_fetched_where_documents_are_welcome_stays_within_the_page_limit(server, make_fetcher):
    """Documents may be larger than pages; a page (here a gzip bomb of HTML) may not, wherever it is fetched."""
    pdf = server.reply("/report.pdf", b"%PDF-1.7\n" + b"0" * 5000, content_type="application/pdf")
    bomb = server.reply("/page", gzip.compress(b"<p>" + b" " * 5_000_000), Content_Encoding="gzip")
    fetcher = make_fetcher(max_bytes=1000, max_document_bytes=10_000_000)
    assert fetcher.get(pdf, documents=True).ok
    response = fetcher.get(bomb, documents=True)
    assert not response.ok
    assert "response larger than 1000 bytes" in response.error


def test_the_advice_for_an_oversize_answer_names_a_setting_that_exists(server, make_fetcher):
    """It said to raise "the maximum response size in the configuration", which no setting is: a page or feed
    past 10 MB is no page; a document may be raised past its limit (TRACKER_DOCUMENT_MAX_MB)."""
    pdf = server.reply("/report.pdf", b"%PDF-1.7\n" + b"0" * 5000, content_type="application/pdf")
    page = server.reply("/page", b"<p>" + b"x" * 5000)
    fetcher = make_fetcher(max_bytes=1000, max_document_bytes=2000)
    assert fetcher.get(page).error.endswith(
        "no page or feed is that large: check the address in a browser, or remove the source."
    )
    assert fetcher.get(pdf, documents=True).error.endswith(
        "if the document really is that large, raise TRACKER_DOCUMENT_MAX_MB."
    )
