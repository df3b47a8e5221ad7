import pytest

from scrapers.urls import canonical_url, is_http_url, is_unresolvable_wrapper, unwrapped


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
        # Session ids and the campaign tags of feed links (AT Internet's xtor and at_*, comScore's ns_*), which
        # change from one fetch to the next, and jQuery's cache-buster: none names another article.
        ("https://news.example.com/a?id=7&jsessionid=A1&PHPSESSID=b2&sessionid=c3", "https://news.example.com/a?id=7"),
        ("https://news.example.com/a;jsessionid=A1B2C3?id=7", "https://news.example.com/a?id=7"),
        ("https://news.example.com/a?xtor=RSS-3208&at_medium=RSS&at_campaign=KARANGA", "https://news.example.com/a"),
        (
            "https://news.example.com/a?ns_mchannel=rss&ns_source=PublicRSS20-sa&ns_campaign=x",
            "https://news.example.com/a",
        ),
        ("https://news.example.com/a?_=1733500611", "https://news.example.com/a"),
        ("https://news.example.com/forum.php?sid=12&v=3", "https://news.example.com/forum.php?sid=12&v=3"),  # ids
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


def google_news_link(target: str) -> str:
    """A Google News feed link in its older form: base64 of a protobuf message holding the address."""
    import base64

    data = target.encode()
    length = bytes([len(data)]) if len(data) < 128 else bytes([(len(data) & 0x7F) | 0x80, len(data) >> 7])
    message = b"\x08\x13\x22" + length + data + b"\xd2\x01\x00"
    return "https://news.google.com/rss/articles/" + base64.urlsafe_b64encode(message).decode().rstrip("=") + "?oc=5"


ARTICLE = "https://www.reuters.com/technology/amazon-staff-ai-activity-2026-11-20/"


@pytest.mark.parametrize(
    "wrapped",
    [
        "http://www.bing.com/news/apiclick.aspx?ref=FexRss&aid=&tid=A1&url=https%3a%2f%2fwww.reuters.com%2ftechnology"
        "%2famazon-staff-ai-activity-2026-11-20%2f&c=123&mkt=en-us",
        "https://www.google.com/url?sa=t&url=https%3A%2F%2Fwww.reuters.com%2Ftechnology%2Famazon-staff-ai-activity-2026-11-20%2F",
        "https://www.google.com/url?q=https://www.reuters.com/technology/amazon-staff-ai-activity-2026-11-20/&sa=D",
        "https://l.facebook.com/l.php?u=https%3A%2F%2Fwww.reuters.com%2Ftechnology%2Famazon-staff-ai-activity-2026-11-20%2F",
        "https://eur01.safelinks.protection.outlook.com/?url=https%3A%2F%2Fwww.reuters.com%2Ftechnology%2F"
        "amazon-staff-ai-activity-2026-11-20%2F&data=05%7C01",
        google_news_link(ARTICLE),
    ],
    ids=["bing-news", "google-url", "google-q", "facebook", "outlook-safelinks", "google-news"],
)
def test_a_link_wrapper_carrying_the_article_s_address_comes_to_that_address(wrapped):
    """Fetching the wrapper stored the wrapper's page (or met its robots.txt); two wrappers of one article were
    two items."""
    assert unwrapped(wrapped) == ARTICLE
    assert canonical_url(wrapped) == canonical_url(ARTICLE)


def test_a_long_address_in_a_google_news_link_is_read_whole():
    long = "https://www.example.org/" + "section/" * 20 + "story.html"
    assert len(long) > 127 and unwrapped(google_news_link(long)) == long


@pytest.mark.parametrize(
    "url",
    [
        "https://www.google.com/url?q=javascript:alert(1)",  # not a web address: the wrapper stays
        "https://www.bing.com/news/apiclick.aspx?ref=FexRss",  # nothing carried
        "https://www.bing.com/search?q=amazon&url=https://example.org/",  # not a wrapper's path
        "https://news.google.com/rss/articles/CBMiAU_yqLOabc123defghijklmnop?oc=5",  # a token, no address
        "https://news.google.com/rss/articles/!!!notbase64",
    ],
)
def test_anything_else_is_left_as_it_is(url):
    assert unwrapped(url) == url


def test_a_google_news_link_without_the_address_is_told_apart():
    assert is_unresolvable_wrapper("https://news.google.com/rss/articles/CBMiAU_yqLOabc123defghijklmnop?oc=5")
    assert not is_unresolvable_wrapper(google_news_link(ARTICLE))
    assert not is_unresolvable_wrapper("https://news.google.com/topstories")
    assert not is_unresolvable_wrapper(ARTICLE)
