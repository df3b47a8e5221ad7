import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scrapers.feeds import html_to_text, iso_utc, looks_like_feed, parse_feed
from scrapers.records import ParseError

FEEDS = Path(__file__).parent / "fixtures" / "feeds"
PAGES = Path(__file__).parent / "fixtures" / "ingest"


def feed(name: str, url: str | None = None):
    return parse_feed((FEEDS / name).read_bytes(), url=url)


def test_rss_entries_have_utc_dates_plain_summaries_and_authors():
    parsed = feed("rss.xml")
    assert parsed.title == "Example Gazette"
    assert parsed.link == "https://gazette.example/"
    assert parsed.problem is None
    first, second = parsed.entries
    assert first.title == "Acme Widgets recalls 10,000 toasters"
    assert first.link.startswith("https://gazette.example/2026/03/02/acme-recall/?utm_source=rss")
    assert first.published == "2026-03-02T14:30:00Z"  # 09:30 -0500
    assert first.author == "Jo Example"
    assert first.guid == "gazette-1001"
    assert first.summary == "Acme Widgets said on Monday it is recalling toasters.\nRead the story"
    assert second.published == "2026-03-01T18:00:00Z"
    assert second.author is None


def test_atom_entries_resolve_relative_links_and_use_content_when_no_summary():
    parsed = feed("atom.xml")
    assert parsed.title == "Acme Widgets Newsroom"
    statement, repair = parsed.entries
    assert statement.link == "https://acme.test/newsroom/statements/toaster-recall"
    assert statement.title == "Statement on the toaster recall"  # type="html" title, markup gone
    assert statement.published == "2026-03-02T09:00:00Z"  # 10:00 +01:00
    assert statement.updated == "2026-03-03T08:00:00Z"
    assert statement.author == "Acme Press Office"
    assert statement.summary == "Acme Widgets is recalling toasters made in 2025.\nCustomers should stop using them."
    assert repair.published is None and repair.updated == "2026-02-20T12:00:00Z"
    assert repair.summary == "Repairs are free & take two days."


def test_relative_links_resolve_against_the_url_the_feed_came_from():
    parsed = feed("atom.xml", url="https://mirror.acme.test/feeds/atom.xml")
    assert parsed.entries[0].link == "https://mirror.acme.test/feeds/statements/toaster-recall"


def test_malformed_feed_still_yields_entries_and_says_why():
    parsed = feed("malformed.xml")
    assert [e.link for e in parsed.entries] == [
        "https://wire.example/acme-shares",
        "https://wire.example/acme-safety-chief",
    ]
    assert parsed.entries[1].summary == "The company & its board agreed on Tuesday."
    assert parsed.problem and parsed.problem.startswith("malformed feed")
    assert "line" in parsed.problem or ":" in parsed.problem  # names where it broke


@pytest.mark.parametrize("declaration", ['<?xml version="1.0"?>', '<?xml version="1.0" encoding="utf-8"?>'])
def test_a_feed_not_in_the_encoding_it_declares_is_read_whole_and_said_so_not_called_malformed(declaration):
    """Windows-1252 bytes in a feed declaring UTF-8 (or nothing, which XML reads as UTF-8): every entry was read,
    yet its health said "malformed feed, read 3 entries up to the error", at every pass, as if some were lost."""
    items = "".join(
        f"<item><title>Caf\u00e9 Acme\u2019s recall, part {n}</title><link>https://a.example/{n}</link></item>"
        for n in range(3)
    )
    data = f'{declaration}<rss version="2.0"><channel><title>G</title>{items}</channel></rss>'.encode("cp1252")
    parsed = parse_feed(data, url="https://a.example/feed.xml")
    assert [e.title for e in parsed.entries] == [f"Caf\u00e9 Acme\u2019s recall, part {n}" for n in range(3)]
    assert parsed.problem == "its bytes are not the UTF-8 it declares (or XML assumes); read as windows-1252"


def test_entries_without_usable_links_are_kept_out_and_counted():
    parsed = feed("no-links.xml")
    assert [e.link for e in parsed.entries] == ["https://wire.example/acme-update"]
    assert parsed.skipped == {"no link": 2, "link is not an http(s) URL": 1}
    assert parsed.problem is None


@pytest.mark.parametrize("name", ["windows-1252.xml", "latin-1-mislabelled.xml"])
def test_windows_1252_and_latin_1_declared_feeds_decode_like_a_browser(name):
    assert b"\x93" in (FEEDS / name).read_bytes()  # the fixture really is single-byte encoded
    parsed = feed(name)
    assert parsed.title == "Café Gazette"
    (entry,) = parsed.entries
    assert entry.title == "Acme Widgets “recall” – €100 refunds"
    assert entry.summary == "Señora Placeholder’s café reopens."


def test_scripts_styles_and_event_handlers_never_reach_summary_or_title():
    parsed = feed("hostile.xml")
    (entry,) = parsed.entries
    assert entry.summary == "Acme Widgets recalls toasters here."
    assert entry.title == "Acme Widgets recall"
    assert parsed.title == "Example Wire"
    for text in (entry.summary, entry.title, parsed.title):
        for bad in ("<", "alert", "onerror", "onclick", "javascript", "color:red", "evil.example"):
            assert bad not in text


def test_html_to_text_keeps_words_and_block_breaks_only():
    html = '<div><p>One <b>bold</b> word</p><img src=x onerror="alert(1)"><script>steal()</script><p>Two</p></div>'
    assert html_to_text(html) == "One bold word\nTwo"
    assert html_to_text("Plain &amp; simple") == "Plain & simple"
    assert html_to_text(None) == ""


def _calls(fn, *args) -> int:
    """How many Python and C function calls fn(*args) makes: a measure of work that does not depend on the clock."""
    count = 0

    def profile(frame, event, arg):
        nonlocal count
        if event in ("call", "c_call"):
            count += 1

    sys.setprofile(profile)
    try:
        fn(*args)
    finally:
        sys.setprofile(None)
    return count


def test_a_summary_of_deeply_nested_blocks_costs_work_in_proportion_to_its_size():
    # A hostile feed's summary of 50,000 nested <div>s once took minutes: each line break
    # inserted beside a block walked everything inside it, so the work grew with the square.
    def nested(n: int) -> str:
        return "<div>" * n + "Acme recalls toasters." + "</div>" * n

    assert html_to_text(nested(3000)) == "Acme recalls toasters."
    small, large = _calls(html_to_text, nested(1000)), _calls(html_to_text, nested(4000))
    assert large < 6 * small  # 4 times the blocks: about 4 times the work, not 16


def test_an_entry_s_long_content_costs_little_more_than_the_summary_kept_of_it():
    """A 10 MB feed took 35 s a poll: feedparser sanitized and resolved the links of every entry's whole
    content (also past the entries read), and the text of each was read to 256 KB of markup to keep 1,000
    characters of it. The work now follows the entries, not the size of their markup."""
    paragraph = "<p>Acme Widgets said on <b>Monday</b> it is recalling <a href='/t'>toasters</a> &amp; kettles.</p>"

    def feed(paragraphs: int) -> bytes:
        items = "".join(
            f"<item><title>Acme {n}</title><link>https://a.example/{n}</link>"
            f"<description><![CDATA[{paragraph * paragraphs}]]></description></item>"
            for n in range(5)
        )
        return f'<rss version="2.0"><channel><title>G</title>{items}</channel></rss>'.encode()

    short, long = parse_feed(feed(20)), parse_feed(feed(2000))
    assert [e.summary for e in long.entries] == [e.summary for e in short.entries]
    assert long.entries[0].summary.endswith("\u2026")  # cut to SUMMARY_MAX
    assert _calls(parse_feed, feed(2000)) < 2 * _calls(parse_feed, feed(20))  # 100 times the markup


def test_control_characters_never_reach_an_entry_s_title_or_summary():
    feed = (
        b'<rss version="2.0"><channel><title>Acme &#x1b;[2Jnews</title><item><title>Recall &#x1b;]0;owned&#x07;</title>'
        b"<link>https://acme.example/recall</link><description>Kettles &#x1b;[31mrecalled</description></item>"
        b"</channel></rss>"
    )
    parsed = parse_feed(feed)
    entry = parsed.entries[0]
    for value in (parsed.title, entry.title, entry.summary):
        assert value and "\x1b" not in value and "\x07" not in value


def test_html_to_text_reads_the_same_text_the_whole_way_through_a_page():
    html = (
        "<!DOCTYPE html><html><head><title>Dropped</title><style>p{}</style></head><body>"
        "<p>First <a href='#'>linked</a> words.<!-- a comment --></p>tail text<ul><li>one</li><li>two</li></ul>"
        "<template>hidden</template><svg><text>drawn</text></svg><table><tr><td>a</td><td>b</td></tr></table>"
        "<![CDATA[kept]]>end</body></html>"
    )
    assert html_to_text(html) == "First linked words.\ntail text\none\ntwo\nab\nend"


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"   ",
        b"<!DOCTYPE html><html><body><p>Not a feed</p></body></html>",
        b'{"items": []}',
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
    ],
)
def test_what_is_not_a_feed_raises_parse_error(data):
    with pytest.raises(ParseError):
        parse_feed(data)


@pytest.mark.parametrize(
    "data",
    [
        b'<rss version="2.0"><channel><title>T&#99999999;</title><item><link>https://e.example/a</link></item>',
        b'<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.\xa0/"><channel><item>'
        b"<link>https://e.example/a</link><dc:creator>A</dc:creator></item></channel></rss>",
        b'<rss version="2.0"><channel><item><link></item></link></channel></rss>',
    ],
)
def test_bytes_the_feed_parser_itself_fails_on_raise_parse_error(data):
    with pytest.raises(ParseError, match="cannot be read"):
        parse_feed(data)


def test_emoji_written_as_utf16_halves_are_read_and_a_lone_half_is_dropped():
    """Some publishing systems write an emoji as two references to its UTF-16 halves; feedparser failed on the
    whole feed for them."""
    feed = parse_feed(
        b'<?xml version="1.0"?><rss version="2.0"><channel><title>Acme &#xd800;news</title>'
        b"<item><title>Recall &#xD83D;&#xDE00; &#55357;&#56832; done &#xdc00;&#38;&#xD83D;&#xDE00;</title>"
        b"<link>https://e.example/a</link></item></channel></rss>"
    )
    assert feed.title == "Acme news"
    assert [e.title for e in feed.entries] == ["Recall \U0001f600 \U0001f600 done &\U0001f600"]


@pytest.mark.parametrize("when", ["0001-01-01T00:00:00+14:00", "Thu, 01 Jan 99999999999 00:00:00 GMT"])
def test_an_entry_dated_beyond_what_a_datetime_holds_is_kept_without_a_date(when):
    """An RFC 822 year of eleven digits made the email parser raise OverflowError: the whole feed failed."""
    feed = parse_feed(
        b'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title><item><title>Acme</title>'
        b"<link>https://e.example/a</link><pubDate>" + when.encode() + b"</pubDate></item>"
        b"<item><title>Acme two</title><link>https://e.example/b</link></item></channel></rss>"
    )
    assert [(e.link, e.published) for e in feed.entries] == [
        ("https://e.example/a", None),
        ("https://e.example/b", None),
    ]


def test_a_feed_listing_more_entries_than_any_real_one_keeps_the_first_max_entries():
    """100,000 entries would be 100,000 items, whose pages the next passes fetch one by one for a day and more."""
    from scrapers.feeds import MAX_ENTRIES

    items = "".join(f"<item><title>Acme {i}</title><link>/a/{i}</link></item>" for i in range(MAX_ENTRIES + 30))
    data = f'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>{items}</channel></rss>'.encode()
    feed = parse_feed(data, url="https://news.example/feed.xml")
    assert len(feed.entries) == MAX_ENTRIES
    assert feed.entries[0].link == "https://news.example/a/0"  # feeds list the newest first: those are kept
    assert feed.skipped == {f"beyond the first {MAX_ENTRIES} entries of the feed": 30}


@pytest.fixture
def given_to_feedparser(monkeypatch) -> list[bytes]:
    """The bytes of every document feedparser is handed from here on (it still parses them)."""
    import feedparser

    real, seen = feedparser.parse, []

    def parse(data, *args, **kwargs):
        seen.append(data.getvalue() if hasattr(data, "getvalue") else data)  # handed as a stream
        return real(data, *args, **kwargs)

    monkeypatch.setattr(feedparser, "parse", parse)
    return seen


def _long_feed(total: int, *, root: str = "", after: str = "", entry=None) -> bytes:
    """An RSS feed of `total` entries whose channel title comes after them, as some publishing systems write it."""
    entry = entry or (lambda i: f"<item><title>Acme {i}</title><link>/a/{i}</link><dc:creator>Jo</dc:creator></item>")
    items = "\n".join(entry(i) for i in range(total))
    root = root or '<?xml version="1.0" encoding="utf-8"?>'
    return (
        f"{root}\n"
        '<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><link>https://news.example/</link>\n'
        f"{items}\n<!-- listed by the archive -->\n<title>Example Gazette</title>{after}</channel></rss>"
    ).encode()


def test_a_long_feed_from_a_site_is_parsed_only_as_far_as_its_first_max_entries(site, given_to_feedparser):
    """feedparser read every entry of a 5,000-entry feed (seconds of work) of which the first 1,000 are kept."""
    from scrapers.feeds import BEYOND_MAX, MAX_ENTRIES
    from tests.sites import fetcher

    url = site.put("/feed.xml", _long_feed(MAX_ENTRIES + 700), content_type="application/rss+xml")
    with fetcher() as client:
        response = client.get(url)
    feed = parse_feed(response.body, url=response.url, charset=response.charset)
    assert [e.link for e in feed.entries[:2]] == [site.url("/a/0"), site.url("/a/1")]
    assert feed.entries[-1].link == site.url(f"/a/{MAX_ENTRIES - 1}") and len(feed.entries) == MAX_ENTRIES
    assert feed.entries[0].author == "Jo"
    assert feed.skipped == {BEYOND_MAX: 700}
    assert feed.title == "Example Gazette", "what comes after the entries is still read"
    assert feed.problem is None
    (given,) = given_to_feedparser
    assert given.count(b"<item>") == MAX_ENTRIES
    assert b"<title>Example Gazette</title>" in given


@pytest.mark.parametrize(
    "kind",
    ["malformed at the end", "a DOCTYPE", "Latin-1", "an undeclared prefix", "an entry inside an entry"],
)
def test_a_long_feed_is_parsed_whole_when_cutting_it_short_could_change_what_is_read(kind, given_to_feedparser):
    """The first MAX_ENTRIES of a feed are read exactly as before: when the rest cannot be set aside with
    certainty (not well-formed, an encoding or DOCTYPE feedparser reads its own way), feedparser gets it all."""
    from scrapers.feeds import BEYOND_MAX, MAX_ENTRIES

    total = MAX_ENTRIES + 20
    late = MAX_ENTRIES + 10  # one entry among those set aside is unusual

    def entry(i: int) -> str:
        body = f"<title>Acme {i}</title><link>/a/{i}</link>"
        if i == late and kind == "an undeclared prefix":
            body += "<media:thumbnail url='/t.jpg'/>"
        if i == late and kind == "an entry inside an entry":
            body += "<source><item>quoted</item></source>"
        if i == late and kind == "Latin-1":
            body += "<description>caf\xe9</description>"
        return f"<item>{body}</item>"

    root = {
        "a DOCTYPE": '<?xml version="1.0"?>\n<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" '
        '"http://my.netscape.com/publish/formats/rss-0.91.dtd">',
        "Latin-1": '<?xml version="1.0" encoding="iso-8859-1"?>',
    }.get(kind, "")
    data = _long_feed(total, root=root, entry=entry, after="<item>" if kind == "malformed at the end" else "")
    if kind == "Latin-1":
        data = data.decode("utf-8").encode("latin-1")
    feed = parse_feed(data, url="https://news.example/feed.xml")
    assert [e.link for e in feed.entries[:1]] == ["https://news.example/a/0"] and len(feed.entries) == MAX_ENTRIES
    assert feed.skipped.get(BEYOND_MAX) in (20, 21)
    (given,) = given_to_feedparser
    assert given.count(b"<item>") >= total


def test_an_entry_whose_link_is_not_an_address_is_skipped_and_the_others_kept():
    feed = parse_feed(
        b'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>'
        b"<item><title>Broken</title><link>//[oops/a</link></item>"
        b"<item><title>Fine</title><link>/b</link></item></channel></rss>",
        url="https://news.example/feed.xml",
    )
    assert [e.link for e in feed.entries] == ["https://news.example/b"]
    assert feed.skipped == {"link is not an http(s) URL": 1}


@pytest.mark.parametrize(
    "data,expected",
    [
        ((FEEDS / "rss.xml").read_bytes(), True),
        ((FEEDS / "atom.xml").read_bytes(), True),
        ((FEEDS / "malformed.xml").read_bytes(), True),
        (b'<?xml version="1.0"?>\n<!-- generated -->\n<?xml-stylesheet href="s.xsl"?>\n<rss version="2.0">', True),
        (b'\xef\xbb\xbf<feed xmlns="http://www.w3.org/2005/Atom">', True),
        (b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">', True),
        ('<?xml version="1.0" encoding="utf-16"?><rss version="2.0">'.encode("utf-16"), True),
        ((PAGES / "acme-recall.html").read_bytes(), False),
        (
            b'<?xml version="1.0"?><!DOCTYPE html><html xmlns="http://www.w3.org/1999/xhtml"><body>rss</body></html>',
            False,
        ),
        (b"<html><body><pre>&lt;rss&gt;</pre></body></html>", False),
        (b"rss feed", False),
        (b"", False),
    ],
)
def test_looks_like_feed_decides_by_content(data, expected):
    assert looks_like_feed(data) is expected


@pytest.mark.parametrize(
    "value,expected",
    [
        ("2026-03-02T09:30:00-05:00", "2026-03-02T14:30:00Z"),
        ("2026-03-02T14:30:00Z", "2026-03-02T14:30:00Z"),
        ("2026-03-02T14:30:00.123+00:00", "2026-03-02T14:30:00Z"),
        ("2026-03-02T14:30", "2026-03-02T14:30:00Z"),  # no zone: taken as UTC
        ("2026-03-02", "2026-03-02T00:00:00Z"),
        ("Mon, 02 Mar 2026 09:30:00 -0500", "2026-03-02T14:30:00Z"),
        ("Mon, 02 Mar 2026 14:30:00 GMT", "2026-03-02T14:30:00Z"),
        ("2026-13-45", None),
        ("0001-01-01T00:00:00+14:00", None),  # before the first UTC second there is
        ("9999-12-31T23:59:59-01:00", None),  # after the last
        ("0000", None),  # feedparser reads it as year 0, which no datetime holds
        ("yesterday-ish", None),
        ("", None),
        (None, None),
    ],
)
def test_iso_utc_normalises_dates(value, expected):
    assert iso_utc(value) == expected


def test_the_newest_entry_window_is_the_element_naming_the_first_entry():
    from scrapers.feeds import newest_entry_window

    def window(body: bytes) -> bytes:
        offset, length = newest_entry_window(body)
        return body[offset : offset + length]

    rss_body = (
        b'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title><link>https://a.example/</link>'
        b"<item><title>Newest</title><link>https://a.example/1</link><description>long</description></item>"
        b"<item><title>Older</title><link>https://a.example/0</link></item></channel></rss>"
    )
    assert window(rss_body) == b"<link>https://a.example/1</link>"
    atom = (
        b'<feed xmlns="http://www.w3.org/2005/Atom"><title>T</title><updated>2026-03-02T10:00:00Z</updated>'
        b'<entry><title>Newest</title><link rel="alternate" href="https://a.example/1"/><id>tag:a,1</id></entry></feed>'
    )
    assert window(atom) == b'<link rel="alternate" href="https://a.example/1"/>'
    guid_first = b"<rss><channel><item><guid isPermaLink='false'>abc-123</guid><title>x</title></item></channel></rss>"
    assert window(guid_first) == b"<guid isPermaLink='false'>abc-123</guid>"
    # A story added on top puts other bytes where the old window was.
    added = rss_body.replace(b"<item>", b"<item><title>Added</title><link>https://a.example/2</link></item><item>", 1)
    offset, length = newest_entry_window(rss_body)
    assert added[offset : offset + length] != window(rss_body)
    assert newest_entry_window(b"<rss><channel><title>Empty</title></channel></rss>") is None


def test_an_aggregator_s_entry_keeps_its_own_outlet_and_a_title_without_it():
    """A Google News search feed's title is the search's; each entry names its outlet in <source>."""
    feed = b"""<rss version="2.0"><channel><title>"amazon ai activity" - Google News</title>
    <item><title>Amazon staff made up tasks to meet AI targets - Reuters</title>
      <link>https://www.reuters.com/technology/amazon-ai-2026-11-20/</link>
      <source url="https://www.reuters.com">Reuters</source></item>
    <item><title>Plain entry</title><link>https://gazette.example/a</link></item>
    </channel></rss>"""
    parsed = parse_feed(feed, "https://news.google.com/rss/search?q=amazon")
    first, second = parsed.entries
    assert (first.outlet, first.title) == ("Reuters", "Amazon staff made up tasks to meet AI targets")
    assert (second.outlet, second.title) == (None, "Plain entry")


def test_a_google_news_entry_whose_link_only_google_can_resolve_is_skipped_with_the_way_on():
    feed = b"""<rss version="2.0"><channel><title>amazon - Google News</title>
    <item><title>Amazon AI - The Verge</title>
      <link>https://news.google.com/rss/articles/CBMiAU_yqLOabc123defghijklmnop?oc=5</link>
      <source url="https://www.theverge.com">The Verge</source></item>
    </channel></rss>"""
    parsed = parse_feed(feed, "https://news.google.com/rss/search?q=amazon")
    assert parsed.entries == []
    [(reason, count)] = parsed.skipped.items()
    assert count == 1 and "Google News" in reason and "outlet's own feed" in reason


NEWS_SITEMAP = b"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
        xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"
        xmlns:image="http://www.google.com/schemas/sitemap-image/1.1">
  <url><loc>https://wire.example/business/acme-recall-2026-11-20/</loc>
    <lastmod>2026-11-20T12:00:00Z</lastmod>
    <news:news><news:publication><news:name>Example Wire</news:name><news:language>en</news:language></news:publication>
      <news:publication_date>2026-11-20T09:30:00+00:00</news:publication_date>
      <news:title>Acme recalls 10,000 toasters</news:title></news:news>
    <image:image><image:loc>https://wire.example/img/1.jpg</image:loc><image:title>A toaster</image:title></image:image>
  </url>
  <url><loc>https://wire.example/world/unrelated/</loc></url>
  <url><loc>/business/acme-cost-2026-11-21/</loc>
    <news:news><news:publication><news:name>Example Wire</news:name></news:publication>
      <news:publication_date>2026-11-21T08:00:00Z</news:publication_date>
      <news:title>Acme puts the recall's cost at $4m</news:title></news:news></url>
</urlset>"""


def test_a_news_sitemap_is_read_as_a_feed_newest_first_with_its_outlet():
    """Wire services and papers without RSS publish news sitemaps of their last two days for search engines."""
    assert looks_like_feed(NEWS_SITEMAP)
    feed = parse_feed(NEWS_SITEMAP, "https://wire.example/news-sitemap.xml")
    assert feed.title == "Example Wire"
    assert [(e.link, e.title, e.published, e.outlet) for e in feed.entries] == [
        ("https://wire.example/business/acme-cost-2026-11-21/", "Acme puts the recall's cost at $4m",
         "2026-11-21T08:00:00Z", "Example Wire"),
        ("https://wire.example/business/acme-recall-2026-11-20/", "Acme recalls 10,000 toasters",
         "2026-11-20T09:30:00Z", "Example Wire"),
    ]  # fmt: skip
    [(reason, count)] = feed.skipped.items()
    assert count == 1 and "without a news title" in reason


def test_a_sitemap_entry_is_followed_by_the_same_rule_as_a_feed_entry():
    # The same reasons as a feed's: no address, not http(s), a Google News link only Google can resolve.
    entries = "".join(
        f"<url><loc>{loc}</loc><news:news><news:title>Acme {i}</news:title></news:news></url>"
        for i, loc in enumerate(
            ["", "javascript:alert(1)", "https://news.google.com/rss/articles/CBMiAU_yqLOabc123defghijklmnop?oc=5"]
        )
    )
    sitemap = (
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        f'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">{entries}</urlset>'
    ).encode()
    feed = parse_feed(sitemap, "https://wire.example/news-sitemap.xml")
    assert feed.entries == []
    reasons = " | ".join(feed.skipped)
    assert "no link" in reasons and "not an http(s) URL" in reasons and "Google News" in reasons


def test_a_sitemap_index_is_refused_naming_its_first_sitemap():
    index = b"""<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
      <sitemap><loc>https://wire.example/sitemap-news.xml</loc></sitemap></sitemapindex>"""
    with pytest.raises(ParseError, match="sitemap index.*https://wire.example/sitemap-news.xml"):
        parse_feed(index)


def test_a_sitemap_declaring_entities_is_read_without_expanding_them():
    lol = b"""<?xml version="1.0"?><!DOCTYPE urlset [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">
    <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>
    <urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
    <url><loc>https://wire.example/a</loc><news:news><news:title>Acme &c;</news:title></news:news></url></urlset>"""
    parsed = parse_feed(lol)
    assert [entry.link for entry in parsed.entries] == ["https://wire.example/a"]
    assert "aaaa" not in parsed.entries[0].title
    assert parsed.problem.startswith("it declares XML entities that are not expanded")


JSON_FEED_1_0 = rb"""{"version": "https:\/\/jsonfeed.org\/version\/1", "title": "Acme Blog",
  "home_page_url": "https:\/\/blog.acme.test\/", "author": {"name": "Acme Press Office"},
  "items": [{"id": "tag:acme,1", "url": "posts/recall", "title": "Acme recalls toasters",
             "summary": "Plain summary", "date_published": "2026-11-20T10:00:00+01:00"},
            {"id": "tag:acme,2", "url": "https://blog.acme.test/posts/repair", "title": "Repairs",
             "author": {"name": "Jo Example"}, "content_text": "Repairs are free."}]}"""


def test_a_json_feed_is_read_like_rss_dates_in_utc_authors_and_plain_summaries():
    parsed = feed("jsonfeed.json", url="https://newsroom.example/feed.json")
    assert parsed.title == "Example Newsroom & Wire"
    assert parsed.link == "https://newsroom.example/"
    assert parsed.problem is None
    recall, shares = parsed.entries
    assert recall.link == "https://newsroom.example/2026/11/20/acme-recall/?utm_source=jsonfeed"
    assert recall.title == "Acme Widgets recalls 10,000 toasters"
    assert recall.published == "2026-11-20T14:30:00Z"  # 09:30 -05:00
    assert recall.updated == "2026-11-21T08:00:00Z"
    assert recall.author == "Jo Example, Sam Placeholder"
    assert recall.guid == "https://newsroom.example/?p=1002"
    assert recall.summary == "Acme Widgets said on Monday it is recalling toasters.\nRead the story"  # no script
    # An item without a title (a short post) keeps none, as in RSS; its id, a number, is read as text.
    assert (shares.title, shares.guid, shares.updated) == (None, "1001", None)
    assert shares.summary == "Shares of Acme Widgets fell 3% & recovered."
    assert shares.author == "Newsroom Desk"  # the feed's authors are its items' unless an item names its own
    assert shares.outlet is None


def test_json_feed_items_without_their_own_page_are_kept_out_and_counted():
    """`url` is the item's own page; an item with only `external_url` is a link to someone else's article, which
    would be stored under this feed's outlet."""
    parsed = feed("jsonfeed.json", url="https://newsroom.example/feed.json")
    assert len(parsed.entries) == 2
    assert parsed.skipped == {
        "an item linking only elsewhere (external_url), not to a page of its own; add that outlet's feed or page": 1,
        "no link": 1,
        "link is not an http(s) URL": 1,
    }


def test_json_feed_1_0_with_escaped_slashes_and_relative_urls():
    assert looks_like_feed(JSON_FEED_1_0)
    parsed = parse_feed(JSON_FEED_1_0, url="https://mirror.acme.test/feeds/feed.json")
    assert parsed.title == "Acme Blog" and parsed.link == "https://blog.acme.test/"
    recall, repair = parsed.entries
    assert recall.link == "https://mirror.acme.test/feeds/posts/recall"
    assert (recall.published, recall.author, recall.summary) == (
        "2026-11-20T09:00:00Z",
        "Acme Press Office",
        "Plain summary",
    )
    assert (repair.author, repair.summary, repair.published) == ("Jo Example", "Repairs are free.", None)
    # Without the address it came from, relative links resolve against the feed's own home page.
    assert parse_feed(JSON_FEED_1_0).entries[0].link == "https://blog.acme.test/posts/recall"
    # A raw tab in a string is not JSON, but some publishing systems write one: read like a space.
    assert parse_feed(b'{"version": "https://jsonfeed.org/version/1", "title": "Acme\tBlog", "items": []}').title == (
        "Acme Blog"
    )


@pytest.mark.parametrize(
    "data",
    [
        (FEEDS / "jsonfeed.json").read_bytes(),
        b"\xef\xbb\xbf  " + JSON_FEED_1_0,
        JSON_FEED_1_0.decode().encode("utf-16"),
        b'{"items": [], "version": "https://jsonfeed.org/version/1.1"}',  # the version need not come first
    ],
)
def test_looks_like_feed_knows_a_json_feed_by_its_version(data):
    assert looks_like_feed(data)
    assert parse_feed(data).title in ("Example Newsroom & Wire", "Acme Blog", None)


@pytest.mark.parametrize(
    "data,reason",
    [
        (b'{"items": []}', "not an RSS, Atom or JSON feed"),
        (b'{"version": "https://example.org/version/1", "items": []}', "not an RSS, Atom or JSON feed"),
        (b'{"version": "https://jsonfeed.org/version/2", "items": []}', "version"),
        (b'{"version": "https://jsonfeed.org/version/1.1", "items": 5}', "items"),
        (b'{"version": "https://jsonfeed.org/version/1.1", "title": "T"}', "items"),
        (b'{"version": "https://jsonfeed.org/version/1.1", "items": [', "cannot be read"),
        (b'{"version": "https://jsonfeed.org/version/1.1", "items": [' + b"[" * 100_000, "cannot be read"),
        (b'{"version": "https://jsonfeed.org/version/1.1", "items": ' + b"[" * 5000 + b"]" * 5000 + b"}", "nested"),
        (b'{"a": ' * 5000 + b"1" + b"}" * 5000, "nested"),
        (b'{"version": "https://jsonfeed.org/version/1.1", "items": []', "cannot be read"),
    ],
)
def test_json_that_is_not_a_readable_json_feed_raises_a_clear_parse_error(data, reason):
    with pytest.raises(ParseError, match=reason) as refused:
        parse_feed(data)
    assert len(str(refused.value)) < 400 and "\n" not in str(refused.value)


def test_json_that_is_not_a_json_feed_does_not_look_like_one():
    for data in (b'{"items": []}', b"[1, 2]", b"{", b'{"version": 1}', b'{"a": ' * 5000 + b"1" + b"}" * 5000):
        assert not looks_like_feed(data)


def _sound(feed) -> None:
    """Every string of a parsed feed can be stored and shown: UTF-8 text without control characters or surrogates."""
    from scrapers.article.cleaning import CONTROLS
    from scrapers.urls import is_http_url

    values = [feed.title, feed.link, *feed.skipped]
    for entry in feed.entries:
        assert is_http_url(entry.link)
        values += [entry.link, entry.title, entry.published, entry.updated, entry.author, entry.summary, entry.guid]
        values.append(entry.outlet)
    for value in values:
        assert value is None or isinstance(value, str)
        if value is not None:
            value.encode("utf-8")
            assert not CONTROLS.search(value), value
    assert all(isinstance(n, int) and n > 0 for n in feed.skipped.values())


HOSTILE_VALUES = [
    None, True, 0, -1, 7, 1e308, float("nan"), float("inf"), 10**60, "", " ", "\ud800", "a\ud83d", "x\x00\x1b[2J",
    "javascript:alert(1)", "//[oops/a", "<script>alert(1)</script>", {}, [], {"name": 5}, [{"name": "\udc00"}],
    [[[[[[[[[[["deep"]]]]]]]]]]], {"a": {"b": {"c": []}}},
]  # fmt: skip
ITEM_FIELDS = (
    "id url external_url title summary content_text content_html date_published date_modified authors author".split()
)
FEED_FIELDS = "title home_page_url feed_url authors author".split()


def _json_feed(item_changes: dict | None = None, feed_changes: dict | None = None) -> bytes:
    """A small JSON Feed of two items (one with a relative url), with some fields replaced."""
    import json

    item = {"id": "1", "url": "https://e.example/a", "title": "Acme", "date_published": "2026-11-20T10:00:00Z"}
    body = {"version": "https://jsonfeed.org/version/1.1", "title": "T", "items": [{**item, **(item_changes or {})}]}
    body["items"].append({"url": "/b"})
    return json.dumps({**body, **(feed_changes or {})}, allow_nan=True).encode()


@pytest.mark.parametrize("value", HOSTILE_VALUES, ids=repr)
def test_a_json_feed_with_any_field_of_the_wrong_type_or_hostile_text_is_read_never_crashes(value):
    """Each field of the feed and of an item given each hostile value: a sound feed, the item kept or skipped with a
    reason; a lone surrogate ("\\ud800") must never reach the database, which cannot store it."""
    for data in [_json_feed(item_changes={k: value}) for k in ITEM_FIELDS] + [
        _json_feed(feed_changes={k: value}) for k in FEED_FIELDS
    ]:
        parsed = parse_feed(data, url="https://e.example/feed.json")
        _sound(parsed)
        assert len(parsed.entries) + sum(parsed.skipped.values()) == 2
        assert "https://e.example/b" in [e.link for e in parsed.entries]


@pytest.mark.parametrize("value", HOSTILE_VALUES, ids=repr)
def test_a_json_feed_whose_items_are_anything_but_objects_is_refused_or_skips_them(value):
    data = _json_feed(feed_changes={"items": value})
    try:
        parsed = parse_feed(data)
    except ParseError as e:
        assert not isinstance(value, list) and "items" in str(e)
        return
    _sound(parsed)
    assert parsed.entries == [] and sum(parsed.skipped.values()) == len(value)
    for element in (value, [value]):
        _sound(parse_feed(_json_feed(feed_changes={"items": [element]})))


JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | st.text(st.characters(categories=["Cs", "Cc", "L", "N", "P", "S", "Z"]), max_size=20)
    | st.sampled_from(["https://e.example/x", "/rel", "2026-11-20T10:00:00Z", "\ud800", "<b>x</b>"]),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.sampled_from(["name", "url", "x"]), inner, max_size=3)
    ),
    max_leaves=12,
)


@settings(derandomize=True, database=None, max_examples=300, deadline=None)
@given(
    item=st.dictionaries(st.sampled_from(ITEM_FIELDS), JSON_VALUES, max_size=6),
    top=st.dictionaries(st.sampled_from(FEED_FIELDS), JSON_VALUES, max_size=3),
)
def test_any_json_feed_made_of_arbitrary_values_parses_to_storable_text_or_a_parse_error(item, top):
    import json

    body = {"version": "https://jsonfeed.org/version/1", "items": [item, {"url": "https://e.example/b"}], **top}
    parsed = parse_feed(json.dumps(body, allow_nan=True).encode(), url="https://e.example/feed.json")
    _sound(parsed)
    assert len(parsed.entries) + sum(parsed.skipped.values()) == 2


def test_the_newest_entry_window_of_a_json_feed_is_its_first_item_s_id_or_url():
    """The ranged GET that checks a feed's 304s needs the bytes naming its newest entry; in a JSON Feed the XML
    search found none, or one inside an item's HTML."""
    import json

    from scrapers.feeds import newest_entry_window

    def window(body: bytes) -> bytes:
        offset, length = newest_entry_window(body)
        return body[offset : offset + length]

    item = {"id": "a-1", "url": "https://a.example/1", "content_html": "<item><link>https://x.example/</link></item>"}
    body = json.dumps(
        {"version": "https://jsonfeed.org/version/1.1", "title": "Café <item>", "items": [item]}, ensure_ascii=False
    ).encode()
    assert window(body) == b'"id": "a-1"'
    assert window(
        b'\xef\xbb\xbf{"items": [ {"title": "x", "url" : "/1"}], "version": "https://jsonfeed.org/version/1"}'
    ) == (b'"url" : "/1"')
    # A story added on top puts other bytes where the old window was; so does a longer title before it.
    offset, length = newest_entry_window(body)
    for changed in (
        body.replace(b'"items": [', b'"items": [{"id": "a-2", "url": "https://a.example/2"}, ', 1),
        body.replace("Café".encode(), "Cafés".encode(), 1),
    ):
        assert changed[offset : offset + length] != window(body)
    # Without an id or url in the first item: its first bytes, as for RSS.
    assert window(b'{"items": [{"title": "x"}]}') == b'{"title": "x"}'
    for none in (
        b'{"version": "https://jsonfeed.org/version/1.1", "items": []}',
        b'{"version": "https://jsonfeed.org/version/1.1", "items": [5]}',
        b'{"version": "https://jsonfeed.org/version/1.1", "items": "<item><link>x</link></item>"}',
        b'{"version": "https://jsonfeed.org/version/1.1", "items": [{"id": "1"',
        b'{"a": ' * 5000 + b"1" + b"}" * 5000,
        json.dumps({"items": [{"id": "x"}]}).encode("utf-16"),
    ):
        assert newest_entry_window(none) is None, none[:80]


def test_a_json_feed_listing_more_items_than_any_real_one_keeps_the_first_max_entries():
    import json

    from scrapers.feeds import MAX_ENTRIES

    items = [{"id": str(i), "url": f"/a/{i}", "title": f"Acme {i}"} for i in range(MAX_ENTRIES + 30)]
    data = json.dumps({"version": "https://jsonfeed.org/version/1.1", "title": "T", "items": items}).encode()
    parsed = parse_feed(data, url="https://news.example/feed.json")
    assert len(parsed.entries) == MAX_ENTRIES and parsed.entries[0].link == "https://news.example/a/0"
    assert parsed.skipped == {f"beyond the first {MAX_ENTRIES} entries of the feed": 30}


@pytest.mark.parametrize("label", ["undefined", "base64", "rot13", "x-no-such-charset", "u\x00tf-8", "u\xddf-8"])
def test_a_feed_declaring_an_encoding_of_no_text_is_read_as_utf8_and_says_so(label):
    """A hand-rolled feed's XML declaration may name anything; feedparser failed the whole feed on it."""
    data = (
        b'<?xml version="1.0" encoding="'
        + label.encode("latin-1")
        + b'"?>\n'
        + '<rss version="2.0"><channel><title>Café Wire</title>'
        "<item><title>Déjà vu</title><link>https://example.org/a</link></item></channel></rss>".encode()
    )
    parsed = parse_feed(data)
    assert [(e.title, e.link) for e in parsed.entries] == [("Déjà vu", "https://example.org/a")]
    assert parsed.title == "Café Wire"
    assert parsed.problem and "which is no text encoding; read as UTF-8" in parsed.problem


def test_a_feed_whose_body_is_a_path_on_this_machine_is_not_read_from_disk(tmp_path):
    """feedparser opens the bytes it is given as a file name when they name one: a site answering its feed URL
    with the path of a feed on the scraper's machine had that file's entries stored as its own (and a path
    like /dev/zero would be read for ever). The body is handed over as a stream, read as the feed itself."""
    local = tmp_path / "local.xml"
    local.write_bytes(
        b'<?xml version="1.0"?><rss version="2.0"><channel><title>On this machine</title>'
        b"<item><title>Local entry</title><link>https://local.example/a</link></item></channel></rss>"
    )
    with pytest.raises(ParseError, match="not an RSS, Atom or JSON feed"):
        parse_feed(str(local).encode(), "https://gazette.example/feed.xml")


@pytest.mark.parametrize("label", ["windows-1252", "iso-8859-15", "iso-8859-2"])
def test_a_utf8_feed_declaring_a_single_byte_encoding_is_read_as_utf8(site, label):
    """A publishing system that writes UTF-8 under a declaration (and a Content-Type) it was never set to, as pages
    are served: every title read "RÃ¼ckruf: JÃ¼rgen MÃ¼ller â€“ ..." and was stored so. Bytes that are valid UTF-8
    are UTF-8 whatever is declared, as for a page (scrapers/article/charset.py)."""
    from tests.sites import fetcher

    title = "Rückruf: Jürgen Müller – „Erklärung“ zu Łódź"
    body = (
        f'<?xml version="1.0" encoding="{label}"?><rss version="2.0"><channel><title>Acme Presse</title>'
        f"<item><title>{title}</title><link>/a</link></item></channel></rss>"
    ).encode()
    url = site.put("/feed.xml", body, content_type=f"application/rss+xml; charset={label}")
    with fetcher() as client:
        response = client.get(url)
    parsed = parse_feed(response.body, url=response.url, charset=response.charset)
    assert [e.title for e in parsed.entries] == [title]
    assert parsed.title == "Acme Presse" and parsed.problem is None
