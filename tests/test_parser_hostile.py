"""Hostile and pathological pages: the article reader and claim extraction finish, with bounded output."""

import json

import lxml.html
import pytest

from scrapers.article import normalise_date, parse_article
from scrapers.article.boilerplate import _few_elements
from scrapers.article.bylines import MAX_LD_AUTHORS, MAX_PROFILE_LINKS, _ld_authors, _profile_links
from scrapers.article.names import clean_byline
from scrapers.article.parse import parse_tree
from scrapers.article.scriptstate import PAGE_CELLS_MAX, Budget, _script_value, states
from scrapers.records import OUTLET_MAX, SUMMARY_MAX, TITLE_MAX, Author
from tests.conftest import python_output

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
    assert found[0][:2] == ("Jane A Doe", "person")
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


@pytest.mark.parametrize("title", [", Staff Writer", " - Senior Reporter", ", Chief Political Correspondent"])
def test_a_byline_of_thousands_of_titles_not_at_its_end_is_read_to_a_bound(title):
    # The titles' run was tried from each title to the "!" that ends the text, each try reading to it:
    # 2,000 titles took 10 s, 20,000 most of an hour. Only a byline's first BYLINE_CHARS are read.
    raw = "Jane Doe" + title * 20_000 + "!"
    # Its first 1,000 characters are the name and titles; whether the last is cut inside a title decides which.
    assert clean_byline(raw) in {"Jane Doe", None}
    assert clean_byline("Jane Doe" + title + " " + "x" * 5_000) == "Jane Doe"
    page = f'<html><head><meta name="author" content="{raw}"></head><body>{BODY}</body></html>'
    assert parse_article(page.encode(), url="https://example.com/x").byline in {"Jane Doe", None}


@pytest.mark.parametrize("part", ["Jane Doe in London and ", "Jane Doe in London, ", "Jane Doe / dpa in Rome; "])
def test_a_byline_of_thousands_of_places_is_read(part):
    # Each place after "in" is kept or taken off by the name before it: reading back to the byline's start for
    # each took a byline of 5,000 places about a minute.
    assert clean_byline(part * 5000) is None  # no name of ten words or fewer
    page = f'<html><head><meta name="author" content="{part * 2000}"></head><body>{BODY}</body></html>'
    assert parse_article(page.encode(), url="https://example.com/x").byline is None


def test_a_long_word_in_a_date_field_is_read_once():
    # A month name could start at every letter of a word, and each start read the word to its end:
    # a 200 KB word in a date tag held the parse for over ten minutes.
    word = "a" * 200_000
    assert normalise_date(word) is None
    assert normalise_date(f"{word} 14, 2026") is None
    head = f'<meta property="article:published_time" content="{word}">'
    article = parse_article(
        f"<html><head>{head}</head><body>{BODY}</body></html>".encode(), url="https://example.com/x"
    )
    assert article.published is None
    assert "Westbury council" in article.text


def test_a_date_whose_year_no_datetime_holds_is_no_date_and_the_page_is_read():
    """An RFC 822 date of year 99999999999 made the email parser raise OverflowError: ingest showed a traceback."""
    value = "Thu, 01 Jan 99999999999 00:00:00 GMT"
    assert normalise_date(value) is None
    head = f'<meta property="article:published_time" content="{value}">'
    article = parse_article(
        f"<html><head>{head}</head><body>{BODY}</body></html>".encode(), url="https://example.com/x"
    )
    assert article.published is None
    assert "Westbury council" in article.text


def test_a_long_word_in_a_byline_is_read_once():
    # "March 5, 2020" after the name could start at every letter of a word, each start reading the word
    # to its end: a 200 KB word in an author tag held the parse for over ten minutes.
    word = "a" * 200_000
    assert clean_byline(word) is None
    head = f'<meta name="author" content="{word}">'
    article = parse_article(
        f"<html><head>{head}</head><body>{BODY}</body></html>".encode(), url="https://example.com/x"
    )
    assert article.byline is None
    assert "Westbury council" in article.text


@pytest.mark.parametrize(
    "value,expected",
    [
        ("Jane Doe March 5, 2020", "Jane Doe"),
        ("Jane Doe, on Mar. 5 2020 10:00", "Jane Doe"),
        ("Jane Doe – Mai 5, 2020", "Jane Doe"),
    ],
)
def test_a_date_after_a_byline_is_still_cut(value, expected):
    assert clean_byline(value) == expected


@pytest.mark.parametrize(
    "value,expected",
    [
        ("Published March 14th, 2026", "2026-03-14"),
        ("14 de marzo de 2026", "2026-03-14"),
        ("le 3 mai 2026", "2026-05-03"),
    ],
)
def test_a_wordy_date_is_still_read(value, expected):
    assert normalise_date(value) == expected


def test_a_page_s_own_words_are_kept_to_the_length_of_real_ones():
    """A 2 MB site name, title, author or description is stored with every item and revision: cut to a line."""
    big = "Acme " * 400_000
    html = (
        f'<html lang="{"x" * 1000}"><head><title>{big}</title><meta property="og:site_name" content="{big}">'
        f'<meta name="author" content="{big}"><meta name="description" content="{big}"></head><body><article>'
        f"<h1>{big}</h1><p>The council met on Thursday and agreed the budget after a long debate.</p></article>"
        "</body></html>"
    )
    article = parse_article(html, url="https://acme.example/a")
    assert article.title.startswith("Acme Acme") and len(article.title) <= TITLE_MAX
    assert article.outlet.startswith("Acme Acme") and len(article.outlet) <= OUTLET_MAX
    assert len(article.byline or "") <= TITLE_MAX and all(len(a.name) <= OUTLET_MAX for a in article.authors)
    assert article.description.endswith("…") and len(article.description) <= SUMMARY_MAX
    assert article.language is None  # no language tag is a thousand characters long
    assert "The council met on Thursday" in article.text


def test_a_page_of_more_elements_than_any_real_one_is_read_by_the_linear_block_walk(monkeypatch):
    """trafilatura's work grows faster than the page (200,000 paragraphs took it 73 s, a 10 MB page of spans
    99 s): past HUGE_TREE elements the page is read by our own block walk, and every paragraph is kept. The walk
    reads the story's <article> (the one around its headline), not the page's first: a teaser card of another
    story in the header is one too."""
    import trafilatura

    from scrapers.article.maintext import HUGE_TREE

    def refuse(*args, **kwargs):
        raise AssertionError("trafilatura asked to read a page of more elements than any real one")

    monkeypatch.setattr(trafilatura, "extract", refuse)
    paragraphs = [f"Paragraph {n}: the council met and agreed the budget." for n in range(HUGE_TREE)]
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    card = '<header><article class="card"><h2><a href="/b">Harbour reopens</a></h2><p>Boats are back.</p></article>'
    html = f"<html><body>{card}</header><article><h1>Budget</h1>{body}</article></body></html>"
    lines = parse_article(html, url="https://acme.example/a").text.splitlines()
    assert lines == ["Budget", *paragraphs]


def test_a_paragraph_of_tens_of_thousands_of_inline_elements_is_read_in_linear_time():
    """trafilatura strips spans and bold and leaves their text as many loose pieces, which it then reads in time
    growing with the square of their number: one paragraph of 20,000 <span>s took it 27 s of CPU, of 29,000 (a
    page still under HUGE_TREE) about a minute. A child process runs it so that a regression fails the suite
    instead of hanging it (the limit is a guard, not the measure); every word is kept."""
    code = (
        "from scrapers.article import parse_article\n"
        "from scrapers.article.maintext import HUGE_TREE\n"
        "tags = ['span', 'b'] * ((HUGE_TREE - 1000) // 2)\n"
        "words = ''.join(f'<{t}>budget{n}</{t}> ' for n, t in enumerate(tags))\n"
        "html = f'<html><body><article><h1>Budget</h1><p>The council agreed {words}on Thursday.</p></article>'\n"
        "lines = parse_article(html, url='https://acme.example/a').text.splitlines()\n"
        "said = ' '.join(f'budget{n}' for n in range(len(tags)))\n"
        "print(len(tags), lines[-1] == f'The council agreed {said} on Thursday.')\n"
    )
    count, kept = python_output(code).split()
    assert int(count) > 20_000 and kept == "True"


def test_a_teaser_label_is_told_without_reading_a_wrapper_s_whole_subtree():
    # Every wrapper of a page is a candidate label: the test must stop after a few elements, or nested wrappers
    # of many empty elements cost their depth times their size.
    wrapper = parse_tree("<html><body><div><div>" + "<span></span>" * 5000 + "</div></div></body></html>").find("body")
    assert not _few_elements(wrapper[0])
    label = parse_tree("<html><body><div><h3><span>Related</span></h3></div></body></html>").find("body")
    assert _few_elements(label[0])


def test_a_teaser_label_over_thousands_of_links_leaves_the_story():
    links = "".join(f'<p><a href="/s{i}">Other story {i}</a></p>' for i in range(3000))
    html = f"<html><body><article><h1>Budget agreed</h1>{BODY * 3}<h2>Read more</h2>{links}</article></body></html>"
    text = parse_article(html.encode()).text
    assert "Westbury council" in text
    assert "Other story" not in text


def test_thousands_of_dates_and_quotations_in_one_paragraph_are_read_without_copying_the_line_each_time(monkeypatch):
    """lxml's drop_tag() joins an element's text to its line by copying the line: done for each of 25,000 dates
    in one paragraph it took 24 s. The dates' and quotations' tags are dropped in one pass per parent."""
    import lxml.html

    def refuse(*args, **kwargs):
        raise AssertionError("an inline element's tag dropped one at a time")

    monkeypatch.setattr(lxml.html.HtmlElement, "drop_tag", refuse)
    dates = "".join(f"<time>{n % 28 + 1} May</time>, <q>vote {n}</q>; " for n in range(5000))
    html = f"<html><body><article><h1>Budget agreed</h1>{BODY}<p>The council met on {dates}and agreed.</p>"
    text = parse_article((html + "</article></body></html>").encode()).text
    assert "The council met on 1 May, “vote 0”; 2 May, “vote 1”; " in text
    assert "16 May, “vote 4999”; and agreed." in text


def test_thousands_of_declarative_shadow_roots_are_unwrapped_in_one_pass(monkeypatch):
    """Each shadow root's <template> unwrapped by drop_tag() would copy its parent's line each time, as the
    dates above did; they are unwrapped in one pass per parent, and every component's words are kept."""
    import lxml.html

    def refuse(*args, **kwargs):
        raise AssertionError("a shadow root's template dropped one at a time")

    monkeypatch.setattr(lxml.html.HtmlElement, "drop_tag", refuse)
    cards = "".join(
        f'<x-vote><template shadowrootmode="open"><span>vote {n}</span></template></x-vote>, ' for n in range(5000)
    )
    html = f"<html><body><article><h1>Budget agreed</h1>{BODY}<p>The council held {cards}and agreed.</p>"
    text = parse_article((html + "</article></body></html>").encode()).text
    assert "The council held vote 0, vote 1, " in text
    assert "vote 4999, and agreed." in text


def test_a_live_blog_past_the_walk_s_size_is_read_entry_by_entry_not_one_entry():
    """A live blog sets each update in an <article> of its own, under a headline outside them all, and grows past
    HUGE_TREE elements: the walk read the longest entry as if it were the story, and left the other updates out."""
    from scrapers.article.maintext import HUGE_TREE

    spacers = "<br>" * (HUGE_TREE // 10)
    entries = "".join(
        f"<article><h2>Update {n}</h2><p>Entry {n}: the council met and agreed the budget.{spacers}</p></article>"
        for n in range(12)
    )
    html = f"<html><body><main><h1>Budget: live</h1>{entries}</main></body></html>"
    text = parse_article(html, url="https://acme.example/live").text
    assert all(f"Entry {n}: the council met" in text for n in range(12))


@pytest.mark.parametrize(
    "statement",
    ['window.__A{n}__={{"a":1,b}};', "window.__A{n}__={{a:1}};", 'self.__next_f.push([1,"a",b]);'],
)
def test_a_script_of_hundreds_of_thousands_of_states_is_read_to_a_bound(statement):
    # Each state that failed as JSON cost the script's length before it (the error counts its lines), and each
    # was read: 100,000 assignments in one script took 46 s. A page's scripts give at most STATE_READS_MAX.
    script = "".join(statement.format(n=n) for n in range(300_000))
    head = '<meta property="article:published_time" content="2026-03-04T10:00:00Z">'
    page = f"<html><head>{head}</head><body>{BODY}<script>{script}</script></body></html>"
    article = parse_article(page.encode(), url="https://example.com/x")
    assert article.published.startswith("2026-03-04")
    assert "Westbury council" in article.text


def test_a_page_s_states_make_at_most_a_page_s_array_cells():
    # `Array(n)` is a list of n places devalue's statements fill; each was bounded, not their sum: 300 of them
    # in 6 kB of script made 230 MB, and 100 kB would make 4 GB.
    script = "window.__A__={" + ",".join(f"a{n}:Array(100000)" for n in range(300)) + "}"
    tree = lxml.html.fromstring(f"<html><body><script>{script}</script></body></html>")
    made = sum(len(v) for state in states(tree) for v in state.values() if isinstance(v, list))
    assert made <= PAGE_CELLS_MAX
    one = "window.__NUXT__=(function(a){a[0]=1;return {x:a}}(Array(3)))"
    tree = lxml.html.fromstring(f"<html><body><script>{one}</script></body></html>")
    assert list(states(tree)) == [{"x": [1, None, None]}]


def test_a_page_s_scripts_are_read_to_one_budget_of_tokens():
    # Each script was bounded (SCRIPT_CHARS_MAX), not the page: a literal never closed fails as JSON and is read
    # token by token, and three of 3 MB took 10 s. The story's own date in its meta is still read.
    one = "<script>window.__A__=[" + "1," * 1_500_000 + "</script>"
    head = '<meta property="article:published_time" content="2026-03-04T10:00:00Z">'
    page = f"<html><head>{head}</head><body>{BODY}{one * 3}</body></html>"
    read = []
    budget = Budget()
    for _ in range(3):
        read.append(_script_value("[" + "1," * 1_500_000, 0, budget))
    assert read == [None, None, None] and budget.tokens < 0
    article = parse_article(page.encode(), url="https://example.com/x")
    assert article.published.startswith("2026-03-04")


def test_a_title_of_a_hundred_thousand_separators_is_read_in_one_pass():
    # Every part between two separators names no word, so each is the site's name and was cut off the end, one at a
    # time, each cut copying the parts left: 150,000 of them took 23 s, growing with the square of their number.
    title = ": " * 200_000 + "!"
    page = (
        f"<html><head><title>{title}</title></head><body><article><h1>Budget agreed</h1>{BODY}</article></body></html>"
    )
    article = parse_article(page.encode(), url="https://example.com/x")
    assert article.title == "Budget agreed"
    assert "Westbury council" in article.text


def test_a_json_ld_headline_of_a_hundred_thousand_separators_is_folded_once():
    # Each part between two separators was folded on its own (a normalisation and three regexes), in each of the
    # three readings of the title: a headline of 150,000 separators took 1 s of CPU (2-4 s on a busy machine), 32
    # calls a separator. Folded in one call, the headline's parts are the same, and each costs a few calls.
    from tests.test_feeds import _calls

    page = ld_page({"@type": "NewsArticle", "headline": ": " * 150_000 + "!"})
    article = parse_article(page, url="https://example.com/x")
    assert article.title == "Budget agreed"
    assert "Westbury council" in article.text
    assert _calls(parse_article, page) < 10 * 150_000


PUBLISHED_HEAD = '<meta property="article:published_time" content="2026-03-04T10:00:00Z">'


@pytest.mark.parametrize(
    "date", ["<time>3 May 2026</time>", '<span class="date">3 May 2026</span>', "<time>3 hours ago</time>"]
)
def test_thousands_of_dates_in_one_teaser_link_are_judged_by_the_link_once(date):
    # Whether a date is in another story's teaser was judged from its link's whole text, once for each date in it:
    # a link of 3,000 dates and words held the parse for minutes.
    from datetime import UTC, datetime

    link = '<a href="/other">' + f"{date} other story words " * 5000 + "</a>"
    page = f"<html><head>{PUBLISHED_HEAD}</head><body><article><h1>Budget agreed</h1>{BODY}{link}</article></body>"
    article = parse_article(page.encode(), url="https://example.com/x", fetched_at=datetime(2026, 3, 5, tzinfo=UTC))
    assert article.published.startswith("2026-03-04")
    assert "Westbury council" in article.text


def test_thousands_of_dates_deep_in_one_paragraph_are_placed_in_one_pass():
    # How far into its paragraph each date stands was counted from the paragraph's start for each: a paragraph of
    # 3,000 dates took 22 s, 5,000 about a minute.
    prose = "<p>" + "The council debated the harbour. " * 10 + "<b>vote</b> 3 May 2026 " * 5000 + "</p>"
    page = f"<html><head>{PUBLISHED_HEAD}</head><body><article><h1>Budget agreed</h1>{BODY}{prose}</article></body>"
    article = parse_article(page.encode(), url="https://example.com/x")
    assert article.published.startswith("2026-03-04")
    assert "vote 3 May 2026 vote" in article.text


def test_a_heading_of_tens_of_thousands_of_dates_gives_its_first():
    # Each of the heading's dates was weighed for its role, though six are kept, and the heading was read for dates
    # again in each of the page's regions: 27,000 dates took 2.4 s.
    heading = "<h2>" + "2026-03-05T" * 30_000 + "</h2>"
    page = f"<html><body><article><h1>Budget agreed</h1>{heading}{BODY}</article></body></html>"
    article = parse_article(page.encode(), url="https://example.com/x")
    assert article.published.startswith("2026-03-05")


def test_thousands_of_bylines_in_one_teaser_link_are_judged_by_the_link_once():
    # Whether a byline is in another story's teaser was judged from its link's whole text, once for each byline
    # in it: 3,000 bylines in one link took 22 s.
    link = '<a href="/other">' + '<span class="byline">By Jane Doe</span> other story words ' * 5000 + "</a>"
    page = f"<html><body><article><h1>Budget agreed</h1>{BODY}{link}</article></body></html>"
    article = parse_article(page.encode(), url="https://example.com/x")
    assert article.byline is None
    assert "Westbury council" in article.text


def test_a_nuxt_payload_of_lists_naming_each_other_is_searched_once_each():
    # Nuxt's payload shares a value among all that name it; the state's objects were searched from each place, so
    # 20 lists each naming all the others took 2.7 s, and each one more multiplied it.
    payload = [list(range(1, 60))] * 60 + [{"title": "Budget agreed", "datePublished": "2026-03-04T10:00:00Z"}]
    script = f'<script id="__NUXT_DATA__" type="application/json">{json.dumps(payload)}</script>'
    page = f"<html><body><article><h1>Budget agreed</h1>{BODY}</article>{script}</body></html>"
    article = parse_article(page.encode(), url="https://example.com/x")
    assert "Westbury council" in article.text


def test_thousands_of_copies_of_one_byline_are_read_once():
    # Each copy of a byline was read as a byline again, though it could only be found again or refused again:
    # 9,000 copies of one took 4 s.
    bylines = '<div class="byline">By Jane Doe</div>' * 9000
    page = f"<html><body><article><h1>Budget agreed</h1>{bylines}{BODY}</article></body></html>"
    article = parse_article(page.encode(), url="https://example.com/x")
    assert article.byline == "Jane Doe"
    assert article.authors == [Author("Jane Doe", "person")]
