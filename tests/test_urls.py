import pytest

from scrapers.urls import canonical_url, is_http_url


@pytest.mark.parametrize(
    "url,expected",
    [
        ("HTTPS://News.Example.COM/Story", "https://news.example.com/Story"),  # path case is kept
        ("https://news.example.com:443/a#comments", "https://news.example.com/a"),
        ("http://news.example.com:8080/a", "http://news.example.com:8080/a"),
        ("https://news.example.com", "https://news.example.com/"),
        (
            "https://news.example.com/a?utm_source=rss&utm_medium=feed&id=7&fbclid=x&gclid=y&mc_cid=1&mc_eid=2"
            "&ref=home&cmpid=abc",
            "https://news.example.com/a?id=7",
        ),
        ("https://news.example.com/a?b=2&a=1", "https://news.example.com/a?a=1&b=2"),
        ("https://news.example.com/2026/03/story/amp/", "https://news.example.com/2026/03/story/"),
        ("https://news.example.com/amp/2026/03/story", "https://news.example.com/2026/03/story"),
        ("https://news.example.com/2026/03/story.amp.html", "https://news.example.com/2026/03/story.html"),
        ("https://news.example.com/story?amp=1", "https://news.example.com/story"),
        ("https://news.example.com/story?outputType=amp", "https://news.example.com/story"),
        ("https://amp.news.example.com/story", "https://news.example.com/story"),
        ("https://m.news.example.com/story", "https://news.example.com/story"),
        ("https://mobile.example.com/story", "https://example.com/story"),
        ("https://m.example/story", "https://m.example/story"),  # nothing registrable would remain
        ("https://user:secret@news.example.com/a", "https://news.example.com/a"),
        ("  https://news.example.com/a  ", "https://news.example.com/a"),
        ("http://[::1]:8080/a?ref=x", "http://[::1]:8080/a"),
        ("file:///tmp/page.html#top", "file:///tmp/page.html"),
    ],
)
def test_canonical_url(url, expected):
    assert canonical_url(url) == expected


def test_canonical_url_is_idempotent():
    once = canonical_url("https://M.Example.com/amp/x.amp.html?utm_campaign=a&z=1#f")
    assert canonical_url(once) == once == "https://example.com/x.html?z=1"


@pytest.mark.parametrize("url", ["", "   ", "https:///no-host"])
def test_canonical_url_refuses_non_urls(url):
    with pytest.raises(ValueError):
        canonical_url(url)


@pytest.mark.parametrize(
    "url,expected",
    [
        ("https://news.example.com/a", True),
        ("http://127.0.0.1:8000/", True),
        ("HTTPS://NEWS.EXAMPLE.COM", True),
        ("ftp://news.example.com/a", False),
        ("javascript:alert(1)", False),
        ("/relative/path", False),
        ("data/demo/feed.xml", False),
        ("https://", False),
        ("http://[bad", False),
        ("http://exa mple.com/feed", False),
        ('https://news.example.com"onmouseover="x/', False),
        ("https://" + "a" * 250 + ".com/", False),
        ("https://bücher.example/a", True),
        ("http://[::1]:8000/", True),
        (None, False),
    ],
)
def test_is_http_url(url, expected):
    assert is_http_url(url) is expected
