"""Hostile and broken feeds: every one is read, or refused, in time growing no faster than its size.

Each case is run in a fresh interpreter (tests.conftest.python_output) so that a regression fails at its guard
instead of hanging the suite; the inputs are large enough that the code before each fix took minutes on them.
"""

import pytest

from scrapers.feeds import MARKUP_TAGS_MAX, html_to_text, parse_feed
from tests.conftest import python_output
from tests.test_feeds import _calls

ITEM = "<item><title>Acme recalls toasters</title><link>https://acme.example/recall</link>{}</item>"
# A byline of letters without a space, as kept: a space after each BYLINE_RUN_MAX, cut to TITLE_MAX at a space.
CUT_LETTERS = " ".join(["a" * 64] * 7) + "…"


def rss(entry: str = "", channel: str = "", head: str = '<?xml version="1.0" encoding="utf-8"?>\n') -> str:
    """A feed of one entry (with `entry` inside it), as Python source for a child process to build."""
    return head + f'<rss version="2.0"><channel><title>Gazette</title>{channel}{ITEM.format(entry)}</channel></rss>'


def read_in_child(build: str) -> str:
    """What parse_feed reads from the bytes the Python expression `build` makes: the entries' links, authors and
    the feed's problem, one line each, printed by a fresh interpreter."""
    code = (
        "from scrapers.feeds import parse_feed\n"
        f"ITEM = {ITEM!r}\n"
        f"feed = parse_feed({build}, url='https://acme.example/feed')\n"
        "print(len(feed.entries), feed.entries[0].link if feed.entries else None)\n"
        "print(feed.entries[0].author if feed.entries else None)\n"
        "print(feed.problem)\n"
    )
    return python_output(code)


@pytest.mark.parametrize(
    "element",
    [
        "<author>{}</author>",
        "<author><![CDATA[{}]]></author>",
        "<dc:creator xmlns:dc='http://purl.org/dc/elements/1.1/'>{}</dc:creator>",
        "<author>{}<x/>{}</author>",
        "<itunes:author xmlns:itunes='http://www.itunes.com/dtds/podcast-1.0.dtd'>{}</itunes:author>",
    ],
)
def test_a_byline_of_a_million_letters_is_read_to_a_byline_s_length(element):
    # feedparser looks for an e-mail address in an author's text with a regex that reads on from every letter to the
    # end of their run: 100,000 letters took it over 20 s, growing with the square of their number.
    letters = "'a' * 1_000_000"
    build = f"{rss()!r}.replace('<link>', {element!r}.format({letters}, {letters}) + '<link>').encode()"
    count, author, problem = read_in_child(build).splitlines()
    assert count == "1 https://acme.example/recall"
    assert author == CUT_LETTERS
    assert problem == "None"


def test_a_channel_s_editor_and_webmaster_of_a_million_letters_leave_the_entries_read():
    channel = "<managingEditor>{0}</managingEditor><webMaster>{0}</webMaster>"
    build = f"{rss()!r}.replace('</title><item>', '</title>' + {channel!r}.format('a.' * 500_000) + '<item>').encode()"
    count, author, problem = read_in_child(build).splitlines()
    assert count == "1 https://acme.example/recall" and problem == "None"


def test_an_author_of_ordinary_length_is_read_as_before():
    parsed = parse_feed(rss("<author>jo@gazette.com (Jo Example)</author>").encode())
    assert parsed.entries[0].author == "Jo Example"
    long_name = "Jo " + "Example " * 300  # past BYLINE_ELEMENT_MAX: the byline is cut, as it always was
    parsed = parse_feed(rss(f"<author>{long_name}</author>").encode())
    assert parsed.entries[0].author.startswith("Jo Example Example") and parsed.entries[0].author.endswith("…")


def test_a_summary_of_a_hundred_thousand_tags_is_read_to_a_bound():
    # BeautifulSoup builds an object for each tag, and <b> never closed leaves no text to stop at: 300 KB of them
    # took 3 s of CPU (7-13 s on a busy machine), growing faster than their number. The tags read are bounded.
    def feed(tags: int) -> bytes:
        return rss(f"<description><![CDATA[<p>Acme recalls toasters.</p>{'<b>' * tags}]]></description>").encode()

    assert parse_feed(feed(100_000)).entries[0].summary == "Acme recalls toasters."
    assert _calls(html_to_text, "<b>" * 100_000) < 2 * _calls(html_to_text, "<b>" * MARKUP_TAGS_MAX)
    assert _calls(parse_feed, feed(100_000)) < 2 * _calls(parse_feed, feed(MARKUP_TAGS_MAX))


def test_text_after_thousands_of_tags_is_still_found():
    figures = "<figure><img src='/a.jpg'><figcaption></figcaption></figure>" * 500  # 2,000 tags before the text
    assert html_to_text(f"{figures}<p>Acme recalls toasters.</p>") == "Acme recalls toasters."


@pytest.mark.parametrize(
    "head",
    ["'\\n' * 300_000", "'\\r\\n' * 150_000", "'<!ENTITY\\n' * 30_000", "'<!DOCTYPE\\n' * 30_000", "' \\n' * 150_000"],
)
def test_a_head_of_hundreds_of_thousands_of_lines_before_the_root_is_read_in_linear_time(head):
    # feedparser reads the bytes before the root element with regexes anchored at every line's start, each reading on
    # through the blank lines or to the next ">" after it: 30,000 blank lines took 3.6 s, 30,000 "<!ENTITY" lines
    # minutes, growing with the square of their number.
    build = f"({head} + {rss(head='')!r}).encode()"
    count, _author, _problem = read_in_child(build).splitlines()
    assert count == "1 https://acme.example/recall"


def test_blank_lines_and_a_doctype_before_the_root_are_read_as_before():
    head = '<?xml version="1.0"?>\n\n\n<!DOCTYPE rss [\n<!ENTITY nbsp "&#160;">\n]>\n'
    parsed = parse_feed(rss(head=head).replace("Acme recalls", "Acme&nbsp;recalls").encode())
    assert parsed.entries[0].title == "Acme recalls toasters" and parsed.problem is None  # nbsp read, then a space


@pytest.mark.parametrize(
    "first_line",
    [
        "'<?xml version=\"1.0\" ' + \"encoding='\" * 30_000 + '\\n'",
        '\'<?xml version="1.0" encoding="utf-8"?>\' + "<!-- encoding=\'" + "\'" * 300_000 + \' -->\'',
    ],
)
def test_a_first_line_of_encodings_and_quotes_is_read_in_linear_time(first_line):
    # feedparser reads the declaration's encoding from the first line with ^<\?.*encoding=['"](.*?)['"].*\?>, read
    # again from every "encoding=" and quote when no "?>" follows: 3,000 "encoding='" took over a minute.
    build = f"({first_line} + {rss(head='')!r}).encode()"
    count, _author, _problem = read_in_child(build).splitlines()
    assert count == "1 https://acme.example/recall"


def test_a_minified_feed_s_declaration_is_read_as_before():
    parsed = parse_feed(
        rss(head='<?xml version="1.0" encoding="iso-8859-1"?>').replace("toasters", "t\xf6asters").encode("latin-1")
    )
    assert parsed.entries[0].title == "Acme recalls töasters" and parsed.problem is None


def test_an_xml_declaration_of_a_million_spaces_is_read_in_linear_time():
    # Our own reading of the declared encoding tried the run of spaces from each of its spaces: 40,000 took 3.4 s.
    build = f"('<?xml' + ' ' * 1_000_000 + 'version=\"1.0\" encoding=\"utf-8\"?>' + {rss(head='')!r}).encode()"
    count, _author, _problem = read_in_child(build).splitlines()
    assert count == "1 https://acme.example/recall"


def test_a_feed_declaring_tens_of_thousands_of_namespaces_is_refused_at_once():
    # feedparser names an element of a namespace it does not know by looking through every prefix declared so far:
    # 10,000 prefixes each with an element of its own took 3 s, growing with the square of their number.
    code = (
        "from scrapers.feeds import parse_feed\n"
        "from scrapers.records import ParseError\n"
        "elements = ''.join(f\"<n{i}:x xmlns:n{i}='https://ns.example/{i}'/>\" for i in range(100_000))\n"
        f"feed = {rss()!r}.replace('<title>Gazette</title>', '<title>Gazette</title>' + elements).encode()\n"
        "try:\n"
        "    parse_feed(feed)\n"
        "except ParseError as e:\n"
        "    print(e)\n"
    )
    assert "more than 100 namespace prefixes" in python_output(code)


def test_a_feed_declaring_a_namespace_on_every_entry_is_read():
    dc = "<dc:creator xmlns:dc='http://purl.org/dc/elements/1.1/'>Jo Example</dc:creator>"
    feed = rss(channel=ITEM.format(dc) * 300).encode()
    parsed = parse_feed(feed)
    assert len(parsed.entries) == 301 and parsed.entries[0].author == "Jo Example"


def test_a_docx_of_paragraphs_nested_hundreds_deep_is_refused_before_its_words_multiply():
    # Each word counts in every paragraph open around it: 250 nested paragraphs around 200,000 tabs (1.6 MB inflated,
    # a few KB in the file) took 3 s and 460 MB, and the 64 MB a part may inflate to would take tens of GB.
    from scrapers import documents
    from tests.test_documents import _docx, _peak_memory

    data = _docx(b"<w:p>" * 250 + b"<w:r><w:t>Acme</w:t>" + b"<w:tab/>" * 200_000 + b"</w:r>" + b"</w:p>" * 250)
    with _peak_memory() as peak, pytest.raises(documents.DocumentError, match="paragraphs nested over 8 deep"):
        documents.read_document(data, documents.DOCX, max_pages=10)
    assert peak.bytes < 20_000_000
    boxed = b"<w:p><w:r><w:txbxContent><w:p><w:r><w:t>boxed</w:t></w:r></w:p></w:txbxContent></w:r></w:p>"
    assert documents.read_document(_docx(boxed), documents.DOCX, max_pages=10).pages == ("boxed\n\nboxed",)


def test_a_sitemap_of_hundreds_of_thousands_of_urls_is_read_to_the_protocol_s_bound():
    # Each URL was read (its address resolved, its dates parsed) before the newest 1,000 were chosen, some 20 us
    # apiece: 10 MB of short ones took 4 s of CPU. The sitemaps protocol allows 50,000; past them they are counted.
    from scrapers.feeds import BEYOND_MAX, BEYOND_SITEMAP_MAX, SITEMAP_URLS_MAX

    url = "<url><loc>/s{}</loc><n:news><n:title>Story {}</n:title></n:news></url>"
    urls = "".join(url.format(n, n) for n in range(200_000))
    sitemap = (
        '<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        f'xmlns:n="http://www.google.com/schemas/sitemap-news/0.9">{urls}</urlset>'
    ).encode()
    parsed = parse_feed(sitemap, url="https://acme.example/news-sitemap.xml")
    assert parsed.skipped == {BEYOND_SITEMAP_MAX: 150_000, BEYOND_MAX: SITEMAP_URLS_MAX - 1000}
    assert parsed.entries[0].link == "https://acme.example/s0" and parsed.entries[-1].title == "Story 999"


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-be", "utf-16-le", "utf-32", "utf-32-le", "cp037"])
def test_a_feed_in_utf16_utf32_or_ebcdic_without_a_byte_order_mark_gets_the_same_bounds(codec):
    # feedparser tells these encodings from the first bytes, a byte-order mark or "<?" in them; the bounds above read
    # markup as ASCII bytes and only UTF-16 with its mark was read as text first: a byline of 40,000 letters in
    # UTF-16 without a mark took 6.6 s, and nested entity declarations ("billion laughs") reached expat again.
    head = f'<?xml version="1.0" encoding="{codec}"?>'
    build = f"{rss(head=head)!r}.replace('<link>', '<author>' + 'a' * 1_000_000 + '</author><link>').encode({codec!r})"
    count, author, problem = read_in_child(build).splitlines()
    assert count == "1 https://acme.example/recall" and author == CUT_LETTERS and problem == "None"
    names = ["a" * n for n in range(1, 11)]
    laughs = '<!ENTITY a "lol">' + "".join(
        f'<!ENTITY {name} "{("&" + inner + ";") * 10}">' for inner, name in zip(names, names[1:])
    )
    feed = rss(head=f"{head}<!DOCTYPE rss [{laughs}]>").replace("Acme recalls", "&aaaaaaaaaa; recalls")
    parsed = parse_feed(feed.encode(codec))
    assert parsed.problem.endswith("a reference to one is kept as written")


def test_thousands_of_long_bylines_before_one_end_tag_are_bounded_in_one_pass():
    # Each byline element over the bound looked for its end tag, and for an entry between, through the rest of the
    # feed: 4,000 of 2,100 letters each before one end tag took 75 s. The search now moves only forward.
    from scrapers.feeds import BYLINE_ELEMENT_MAX, BYLINE_RUN_MAX, _bounded_bylines

    data = (b"<author>" + b"a" * 2100) * 6000 + b"<item></item></author>"
    code = (
        "from scrapers.feeds import _bounded_bylines\n"
        "data = (b'<author>' + b'a' * 2100) * 6000 + b'<item></item></author>'\n"
        "print(len(_bounded_bylines(data)))\n"
    )
    spaces = BYLINE_ELEMENT_MAX // BYLINE_RUN_MAX  # one after each run of letters kept
    assert int(python_output(code)) == len(data) - 6000 * (2100 - BYLINE_ELEMENT_MAX - spaces)
    assert _bounded_bylines(b"<author>jo@gazette.com (Jo)</author>") == b"<author>jo@gazette.com (Jo)</author>"


def test_a_thousand_bylines_each_just_under_the_bound_reach_feedparser_in_short_runs():
    # feedparser's e-mail regex reads a run of letters from each of them: within the 2 KB an element keeps, 1,000
    # entries of 2,000 letters each took 15 s (a malformed feed's every entry is read: 3,000 took 45 s). Its runs are
    # broken after BYLINE_RUN_MAX letters, in text and CDATA but not in tags; a name or address is far shorter.
    import re

    from scrapers.feeds import BYLINE_RUN_MAX, _bounded_bylines

    entry = "<author>{0}</author><dc:creator><![CDATA[{0}]]></dc:creator><author>{1}<x a='{1}'/>{1}</author>"
    feed = rss(channel=ITEM.format(entry.format("a" * 2000, "a" * 600)) * 1000).encode()
    handed = _bounded_bylines(feed)
    runs = [len(run) for run in re.findall(rb"a{%d,}" % (BYLINE_RUN_MAX + 1), handed)]
    assert runs == [600] * 1000  # only the attributes' letters, untouched
    assert parse_feed(feed).entries[0].author == CUT_LETTERS
    plain = rss(channel=ITEM.format("<author>jo.example@gazette-news.com (Jo Example)</author>") * 1000).encode()
    assert _bounded_bylines(plain) == plain
