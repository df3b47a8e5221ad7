"""The feeds a web page names for itself (scrapers/discovery.py)."""

from __future__ import annotations

from scrapers.discovery import feed_links

PAGE = b"""<!DOCTYPE html><html><head><title>Business</title>
<link rel="stylesheet" href="/site.css">
<link rel="alternate" type="application/rss+xml" title="Business" href="/business/rss.xml">
<link rel="Alternate Home" type="application/atom+xml; charset=utf-8" href="https://example.org/atom.xml">
<link rel="alternate" type="application/rss+xml" href="/business/rss.xml">
<link rel="alternate" type="application/feed+json" href="/feed.json">
<link rel="alternate" type="application/rss+xml" href="javascript:alert(1)">
<link rel="alternate" hreflang="de" href="https://example.org/de/business/">
</head><body><a rel="alternate" type="application/rss+xml" href="/not-in-head.xml">RSS</a></body></html>"""


def test_the_rss_and_atom_feeds_a_page_declares_in_its_order_absolute_and_once():
    assert feed_links(PAGE, "https://example.org/business/") == [
        "https://example.org/business/rss.xml",
        "https://example.org/atom.xml",
    ]


def test_a_page_without_feeds_or_without_markup_names_none():
    assert feed_links(b"<html><head><title>x</title></head></html>", "https://example.org/") == []
    assert feed_links(b"", "https://example.org/") == []
    assert feed_links(b"\x00\x01 binary", "https://example.org/") == []
