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


def test_the_feeds_a_page_declares_in_its_order_absolute_and_once_rss_and_atom_before_json():
    assert feed_links(PAGE, "https://example.org/business/") == [
        "https://example.org/business/rss.xml",
        "https://example.org/atom.xml",
        "https://example.org/feed.json",
    ]


def test_a_json_feed_is_followed_when_the_page_names_no_rss_or_atom_and_comes_after_them_when_it_does():
    """A page naming both is followed to its RSS or Atom feed, whatever the order: the same stories, and a broken
    XML feed still gives its entries up to the error where one slip in a JSON Feed loses them all."""
    json_first = b"""<html><head><link rel="alternate" type="application/feed+json" href="/feed.json">
    <link rel="alternate" type="application/atom+xml" href="/atom.xml"></head></html>"""
    assert feed_links(json_first, "https://blog.example/") == [
        "https://blog.example/atom.xml",
        "https://blog.example/feed.json",
    ]
    # JSON Feed 1.0 named its type application/json; WordPress names its REST API so on every page, which is no feed.
    only_json = b"""<html><head>
    <link rel="alternate" type="application/json" href="https://blog.example/wp-json/wp/v2/posts/12">
    <link rel="alternate" type="application/json" title="JSON Feed" href="/micro.json">
    <link rel="alternate" type="application/json" href="/feeds/all.json">
    <link rel="alternate" type="application/feed+json; charset=utf-8" href="/feed.json"></head></html>"""
    assert feed_links(only_json, "https://blog.example/") == [
        "https://blog.example/micro.json",
        "https://blog.example/feeds/all.json",
        "https://blog.example/feed.json",
    ]


def test_a_page_without_feeds_or_without_markup_names_none():
    assert feed_links(b"<html><head><title>x</title></head></html>", "https://example.org/") == []
    assert feed_links(b"", "https://example.org/") == []
    assert feed_links(b"\x00\x01 binary", "https://example.org/") == []
