"""Article pages: exact metadata and text for our fictional fixtures, and the awkward inputs real sites send."""

import gzip
import json
import random
from pathlib import Path

import pytest
from click.testing import CliRunner

from scrapers.article import decode_html, normalise_date, parse_article, parse_tree
from scrapers.article.boilerplate import drop_boilerplate
from scrapers.records import ParseError
from tests.conftest import python_output
from tracker.cli import cli

FIXTURES = Path(__file__).parent / "fixtures" / "articles"
EXPECTED = json.loads((FIXTURES / "expected.json").read_text(encoding="utf-8"))
METADATA = ("title", "byline", "outlet", "published", "modified", "canonical_url", "language")
# The seed story's kind of affiliate noise, as it appears in our fixtures.
NOISE = (
    "As an affiliate",
    "qualifying purchases",
    "shop.example",
    "Binoculars",
    "Route Planner Pro",
    "Optimise Everything",
    "Stay organised on every run",
    "Cut waste from every delivery",
    "Related stories",
    "Harbour fees to rise",
    "Haulier profits fall",
    "About time someone asked",
    "Not surprised at all",
    "Sign up for",
    "Share on X",
    "Teilen mit",
    "Hafenfest",
    "Home",
    "All rights reserved",
)


def page(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_fixture_metadata_and_text_are_exactly_as_expected(name):
    expected = EXPECTED[name]
    article = parse_article(page(name), url=expected["url"])
    assert {key: getattr(article, key) for key in METADATA} == {key: expected[key] for key in METADATA}
    assert article.text.splitlines() == expected["lines"]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_affiliate_blurbs_navigation_related_links_and_comments_never_survive(name):
    text = parse_article(page(name)).text
    for noise in NOISE:
        assert noise not in text


def test_affiliate_noise_is_really_in_the_fixtures():
    html = page("gazette-jsonld.html").decode() + page("ledger-affiliate-noise.html").decode()
    assert html.count("As an affiliate, we earn on qualifying purchases.") == 5
    assert "Route Planner Pro" in html and "About time someone asked" in html


@pytest.mark.parametrize(
    "line",
    [
        "Agents who receive a commission on each sale must now tell buyers how much it is, the regulator said.",
        "The watchdog said influencers must label every affiliate link in their posts from March.",
        "Shops that earn a small commission on each referral were fined, the court heard.",
    ],
)
def test_a_story_s_sentence_about_commissions_or_affiliate_links_is_no_disclosure(line):
    # A disclosure is the page speaking of itself ("we earn a commission", "this post contains affiliate links").
    story = "".join(f"<p>Paragraph {i}: the regulator fined three estate agents on Monday.</p>" for i in range(6))
    html = f"<html><body><article><h1>Regulator fines agents</h1>{story}<p>{line}</p>{story}</article></body></html>"
    assert line in parse_article(html).text.splitlines()


@pytest.mark.parametrize(
    "disclosure",
    [
        "We may earn a commission when you buy through links on our site.",
        "This post contains affiliate links.",
        "As an Amazon Associate I earn from qualifying purchases.",
    ],
)
def test_a_product_blurb_with_the_page_s_own_disclosure_still_goes(disclosure):
    story = "".join(f"<p>Paragraph {i}: the regulator fined three estate agents on Monday.</p>" for i in range(6))
    blurb = f"<div><p><a href='https://shop.example/kettle'>Kettle, 29 euros</a></p><p>{disclosure}</p></div>"
    html = f"<html><body><article><h1>Regulator fines agents</h1>{story}{blurb}{story}</article></body></html>"
    text = parse_article(html).text
    assert "Kettle" not in text and disclosure not in text


@pytest.mark.parametrize(
    "block",
    [
        '<div class="wp-block-media-text alignwide"><figure class="wp-block-media-text__media"><img src="/b.jpg">'
        '</figure><div class="wp-block-media-text__content"><p>{line}</p></div></div>',
        '<div class="ce-textpic ce-right ce-intext"><div class="ce-gallery"><img src="/b.jpg"></div>'
        '<div class="ce-bodytext"><p>{line}</p></div></div>',
        '<div class="textmedia"><img src="/b.jpg"><p>{line}</p></div>',
    ],
)
def test_a_passage_set_beside_its_picture_is_the_story_not_a_caption(block):
    line = "Inspectors found cracks in two of the piers, the council's engineer said on Tuesday."
    story = "".join(f"<p>Paragraph {i}: the council closed the old bridge to lorries.</p>" for i in range(6))
    caption = '<div class="image-box"><img src="/a.jpg"><p class="bildtext">The bridge in 1930. Town archive</p></div>'
    html = f"<html><body><article><h1>Bridge closes</h1>{story}{block.format(line=line)}{caption}{story}</article>"
    text = parse_article(html + "</body></html>").text
    assert line in text.splitlines()
    assert "Town archive" not in text


def test_script_inside_article_content_never_appears_in_text():
    article = parse_article(page("gazette-jsonld.html"))
    assert "INLINE-SCRIPT-MARKER" not in article.text and "document.write" not in article.text
    html = """<html><body><article><h1>Ferry timetable changes</h1>
    <p>The island ferry will run every two hours from June. <script>var leak = "SCRIPT-IN-PARAGRAPH";</script>
    The operator said the change follows a drop in winter traffic.</p>
    <script type="application/ld+json">{"@type": "NewsArticle", "headline": "LD-IN-BODY"}</script>
    <noscript><p>NOSCRIPT-MARKER enable JavaScript</p></noscript>
    <p>Tickets bought before May remain valid on all sailings.</p></article></body></html>"""
    text = parse_article(html).text
    assert "The island ferry will run every two hours from June." in text
    assert "Tickets bought before May remain valid on all sailings." in text
    for marker in ("SCRIPT-IN-PARAGRAPH", "var leak", "LD-IN-BODY", "@type", "NOSCRIPT-MARKER"):
        assert marker not in text


def test_a_page_served_inside_noscript_is_read_not_dropped():
    # Some sites put the whole page in <noscript> for readers without JavaScript; that is the page.
    story = "".join(
        f"<p>Paragraph {i}: the island ferry will run every two hours from June, the operator said on Monday.</p>"
        for i in range(30)
    )
    html = f"""<html><body><div id="app"></div><noscript><div class="page"><h1>Ferry timetable changes</h1>
    {story}</div></noscript><noscript><p>NOSCRIPT-MARKER enable JavaScript</p></noscript></body></html>"""
    text = parse_article(html).text
    assert "Paragraph 0: the island ferry will run every two hours from June" in text
    assert "Paragraph 29:" in text
    assert "NOSCRIPT-MARKER" not in text


def test_the_standfirst_in_the_page_header_is_kept_before_the_body():
    paragraphs = "".join(
        f"<p>Paragraph {i} about the fictional Westbury council, which met on Thursday to agree a budget.</p>"
        for i in range(6)
    )
    html = f"""<html><body><header class="article-header"><h1>Westbury agrees its budget</h1>
    <p class="article-lead">The council backed a 3 percent rise after a meeting that ran past midnight.</p>
    <div class="byline">By Lee Park</div></header><div class="article-body">{paragraphs}</div>
    <aside class="sidebar"><p class="teaser-text">A teaser for another story that should not be taken as the lead.</p>
    </aside></body></html>"""
    lines = parse_article(html).text.splitlines()
    assert lines[0] == "The council backed a 3 percent rise after a meeting that ran past midnight."
    assert lines[1].startswith("Paragraph 0 about")
    assert not any("teaser for another story" in line for line in lines)


def test_a_standfirst_marked_only_by_schema_org_microdata_is_kept_before_the_body():
    paragraphs = "".join(
        f"<p>Paragraph {i} about the fictional Westbury council, which met on Thursday to agree a budget.</p>"
        for i in range(6)
    )
    lead = "The council backed a 3 percent rise after a meeting that ran past midnight."
    html = f"""<html><body><div itemscope itemtype="https://schema.org/NewsArticle">
    <div class="top"><h1 itemprop="headline">Westbury agrees its budget</h1>
    <div class="large bold"><h2 class="large bold" itemprop="description">{lead}</h2></div></div>
    <div class="text">{paragraphs}</div></div></body></html>"""
    lines = parse_article(html).text.splitlines()
    assert lines[0] == lead
    assert lines[1].startswith("Paragraph 0 about")


def test_a_standfirst_with_no_mark_but_the_page_s_description_is_kept_before_the_body():
    # No class or microdata says which block is the standfirst; the page's description has its words.
    paragraphs = "".join(
        f"<p>Paragraph {i} about the fictional Westbury council, which met on Thursday to agree a budget.</p>"
        for i in range(6)
    )
    lead = "The council backed a 3 percent rise after a meeting that ran past midnight."
    html = f"""<html><head><meta name="description" content="{lead}"></head><body>
    <header class="top"><h1>Westbury agrees its budget</h1><div class="box-3"><p>{lead}</p></div>
    <p class="box-4">A paragraph of the page header that no description names, not taken for a standfirst.</p>
    </header><div class="text">{paragraphs}</div></body></html>"""
    lines = parse_article(html).text.splitlines()
    assert lines[0] == lead
    assert lines[1].startswith("Paragraph 0 about")
    assert not any("no description names" in line for line in lines)


def test_a_standfirst_that_only_the_sharing_description_says_word_for_word_is_kept_before_the_body():
    # The meta description is written for search results; OpenGraph's is the standfirst itself.
    paragraphs = "".join(
        f"<p>Paragraph {i} about the fictional Westbury council, which met on Thursday to agree a budget.</p>"
        for i in range(6)
    )
    lead = "The council backed a 3 percent rise after a meeting that ran past midnight."
    html = f"""<html><head><meta name="description" content="Westbury budget: all you need to know. Read now!">
    <meta property="og:description" content="{lead}"></head><body>
    <header class="top"><h1>Westbury agrees its budget</h1><div class="box-3"><strong>{lead}</strong></div>
    </header><div class="text">{paragraphs}</div></body></html>"""
    lines = parse_article(html).text.splitlines()
    assert lines[0] == lead
    assert lines[1].startswith("Paragraph 0 about")


def test_the_standfirst_is_looked_for_after_the_heading_that_carries_the_headline():
    # The page's first <h1> is its logo; the article's headline is an <h2> that the og:title names.
    paragraphs = "".join(
        f"<p>Paragraph {i} about the fictional Westbury council, which met on Thursday to agree a budget.</p>"
        for i in range(6)
    )
    html = f"""<html><head><meta property="og:title" content="Westbury agrees its budget"></head><body>
    <h1 class="logo">Westbury Post</h1><nav><ul>{"<li><a href='/s'>Section</a></li>" * 90}</ul></nav>
    <main><h2>Westbury agrees its budget</h2>
    <div class="standfirst">The council backed a 3 percent rise after a meeting that ran past midnight.</div>
    <div class="article-body">{paragraphs}</div></main></body></html>"""
    lines = parse_article(html).text.splitlines()
    assert "The council backed a 3 percent rise after a meeting that ran past midnight." in lines


def test_the_standfirst_is_kept_on_a_page_whose_wrapper_says_it_has_no_sidebar():
    # Themes mark the page itself "no-sidebar" (or "has-sidebar"); that names the layout, not a sidebar
    # around the standfirst. A real sidebar's teaser is still no standfirst.
    paragraphs = "".join(
        f"<p>Paragraph {i} about the fictional Westbury council, which met on Thursday to agree a budget.</p>"
        for i in range(6)
    )
    lead = "The council backed a 3 percent rise after a meeting that ran past midnight."
    for wrapper in ("no-sidebar", "has-sidebar layout"):
        html = f"""<html><body class="single {wrapper}"><div class="page-wrap without-sidebar">
        <header><h1>Westbury agrees its budget</h1><div class="lead">{lead}</div></header>
        <div class="article-body">{paragraphs}</div></div></body></html>"""
        assert parse_article(html).text.splitlines()[0] == lead, wrapper
    html = f"""<html><body class="no-sidebar"><h1>Westbury agrees its budget</h1>
    <div class="sidebar-right"><p class="lead">A teaser for another story that should not be taken as the lead.</p>
    </div><div class="article-body">{paragraphs}</div></body></html>"""
    assert "teaser for another story" not in parse_article(html).text


@pytest.mark.parametrize(
    "box",
    [
        '<div class="newsletter-form__wrapper"><h2>The Westbury Briefing</h2>'
        "<p>The best of the week, picked by our editors, in your inbox every Friday.</p></div>",
        '<div class="more-about__card --related"><a href="/s"><p>Westbury harbour fees rise for the third year '
        "in a row as the port seeks new investors</p></a></div>",
        '<div id="kb-comments-add"><p>To post your view on this story please log in with your reader account '
        "first.</p></div>",
    ],
)
def test_newsletter_boxes_related_cards_and_comment_forms_inside_the_story_are_dropped(box):
    # Dropped from the tree before any extractor reads it: trafilatura's own class rules are undone on pages
    # where they would prune too much (a wrapper classed "widget"), ours are not.
    paragraphs = [
        f"<p>Paragraph {i} about the fictional Westbury council, which met on Thursday to agree a budget.</p>"
        for i in range(6)
    ]
    html = f"""<html><body><article><h1>Westbury agrees its budget</h1><div class="article-body">
    {"".join(paragraphs[:3])}{box}{"".join(paragraphs[3:])}</div></article></body></html>"""
    tree = parse_tree(html)
    drop_boilerplate(tree)
    text = tree.text_content()
    assert "Paragraph 0 about" in text and "Paragraph 5 about" in text
    for words in ("Westbury Briefing", "in your inbox", "harbour fees", "reader account"):
        assert words not in text
    assert "reader account" not in parse_article(html).text


def test_a_standfirst_in_a_column_classed_sidebar_is_kept_when_the_page_s_description_says_it():
    # A layout that sets the standfirst in its side column: the description vouches for it, where a
    # lead-classed block in a sidebar is still taken for another story's teaser.
    paragraphs = "".join(
        f"<p>Paragraph {i} about the fictional Westbury council, which met on Thursday to agree a budget.</p>"
        for i in range(6)
    )
    lead = "The council backed a 3 percent rise after a meeting that ran past midnight."
    html = f"""<html><head><meta property="og:description" content="{lead}"></head><body>
    <h1>Westbury agrees its budget</h1><div class="row"><div class="sidebar"><div class="sidebar__item--header">
    <p class="lead">A teaser for another story that should not be taken as the lead.</p><p>{lead}</p></div></div>
    <div class="text">{paragraphs}</div></div></body></html>"""
    lines = parse_article(html).text.splitlines()
    assert lines[0] == lead
    assert not any("teaser for another story" in line for line in lines)


PRECEDENCE = """<html><head>
<title>Title element headline | Example Post</title>
<meta property="og:title" content="OpenGraph headline">
<meta property="og:site_name" content="OpenGraph Outlet">
<meta property="article:published_time" content="2026-01-02T09:00:00Z">
<meta property="article:modified_time" content="2026-01-03T09:00:00Z">
<meta name="author" content="Meta Author">
<link rel="canonical" href="https://post.example/canonical-from-link">
<script type="application/ld+json">{
  "@context": "https://schema.org", "@type": "NewsArticle",
  "headline": "JSON-LD headline",
  "author": {"@type": "Person", "name": "Ld Author"},
  "publisher": {"@type": "Organization", "name": "LD Outlet"},
  "datePublished": "2026-01-01T08:00:00+01:00",
  "dateModified": "2026-01-01T12:00:00+01:00"
}</script>
</head><body>%s<p>The Example Post reports on the fictional town of Westbury, where the council met on Thursday
to discuss the budget for the coming year and agreed to publish its minutes.</p></body></html>"""


def test_json_ld_takes_precedence_over_opengraph_and_meta_tags():
    article = parse_article(PRECEDENCE % "")
    assert article.title == "JSON-LD headline"
    assert article.byline == "Ld Author"
    assert article.outlet == "LD Outlet"
    # Two published dates from the same kind of source: a third witness decides (tests/test_article_dates.py).
    dated = parse_article(PRECEDENCE % '<p class="date">1 January 2026</p>')
    assert dated.published == "2026-01-01T08:00:00+01:00"
    assert set(dated.published_from) == {"json-ld datePublished", "text"}
    assert dated.modified == "2026-01-01T12:00:00+01:00"
    assert article.canonical_url == "https://post.example/canonical-from-link"


def test_a_canonical_link_that_is_not_an_address_leaves_the_page_its_own_url():
    page = PRECEDENCE.replace("https://post.example/canonical-from-link", "http://[oops/a") % ""
    assert parse_article(page, url="https://post.example/a").canonical_url == "https://post.example/a"


def test_a_saved_page_whose_canonical_link_is_not_an_address_is_read_without_one():
    page = (
        '<html><head><link rel="canonical" href="http://[oops/a">'
        '<meta property="article:published_time" content="2026-01-02T09:00:00Z"></head>'
        "<body><h1>Council agrees budget</h1><p>The council met on Thursday to discuss the budget for the "
        "coming year and agreed to publish its minutes.</p></body></html>"
    )
    article = parse_article(page)
    assert article.canonical_url is None
    assert (article.title, article.published) == ("Council agrees budget", "2026-01-02T09:00:00Z")


def test_the_visible_headline_wins_when_opengraph_confirms_it():
    # Readers see the <h1>; JSON-LD headlines are often shortened or rewritten for search engines.
    article = parse_article(PRECEDENCE % "<h1>OpenGraph headline</h1>")
    assert article.title == "OpenGraph headline"
    assert article.byline == "Ld Author"


def test_opengraph_and_meta_tags_fill_in_without_json_ld():
    html = PRECEDENCE.replace('<script type="application/ld+json">', "<template>").replace("</script>", "</template>")
    article = parse_article(html % "")
    assert article.title == "OpenGraph headline"
    assert article.byline == "Meta Author"
    assert article.outlet == "OpenGraph Outlet"
    assert article.published == "2026-01-02T09:00:00Z"
    assert article.modified == "2026-01-03T09:00:00Z"


HEADLINE_PAGE = """<html><head><meta property="og:title" content="%s">
<meta property="og:site_name" content="Westbury Post"></head><body>
<header><a href="/">Westbury Post</a></header><main>%s
<p>The Westbury council agreed its budget on Thursday after a long debate about road repairs and libraries.</p>
</main></body></html>"""


@pytest.mark.parametrize(
    "og_title,heading,expected",
    [
        # The kicker over a headline is no part of it, whether or not the shared title repeats it.
        (
            "Budget - Council agrees a 3% rise | Westbury Post",
            '<h1><span class="article__kicker">Budget</span><span class="sr-only"> - </span>'
            "<span>Council agrees a 3% rise</span></h1>",
            "Council agrees a 3% rise",
        ),
        # A small line opening the heading, before the headline's words, is a kicker too ...
        (
            "Budget - council agrees rise | Westbury Post",
            '<h1><span class="h1small">Budget</span> Council agrees a 3% rise</h1>',
            "Council agrees a 3% rise",
        ),
        (
            "Budget - council agrees rise | Westbury Post",
            "<h1><small>Budget</small><br>Council agrees a 3% rise</h1>",
            "Council agrees a 3% rise",
        ),
        # ... but one after them is the headline's own small print, and read with the rest.
        (
            "Council agrees a 3% rise in the budget",
            "<h1>Council agrees a 3% rise <small>in the budget</small></h1>",
            "Council agrees a 3% rise in the budget",
        ),
        # A heading carrying a label or a dateline beside the headline: the run the shared title names.
        (
            "Council agrees a 3% rise",
            "<h1><span class='label'>Update</span> Council agrees a 3% rise"
            "<br><small>12.03.2026 • Politics</small></h1>",
            "Council agrees a 3% rise",
        ),
        # A shared title rewritten for search, the visible headline saying the same in other words: the visible one.
        (
            "Budget rise agreed by council - what it means for rates",
            "<h1>Council agrees 3% budget rise: what it means for your rates</h1>",
            "Council agrees 3% budget rise: what it means for your rates",
        ),
        # A site's slogan in an <h1> shares nothing with the shared title: the shared title.
        (
            "Council agrees a 3% rise in the budget",
            "<h1>News from the heart of Westbury</h1>",
            "Council agrees a 3% rise in the budget",
        ),
    ],
)
def test_the_visible_headline_is_chosen_by_agreement_with_the_shared_title(og_title, heading, expected):
    html = HEADLINE_PAGE % (og_title, heading)
    assert parse_article(html, url="https://westburypost.example/news/budget").title == expected


@pytest.mark.parametrize(
    "title,site,expected",
    [
        ("Council agrees budget | Westbury Post", "Westbury Post", "Council agrees budget"),
        ("Council agrees budget - Westbury Post", "Westbury Post", "Council agrees budget"),
        ("Council agrees budget – westburypost.example", None, "Council agrees budget"),
        ("Westbury Post: Council agrees budget", "Westbury Post", "Council agrees budget"),
        ("Budget: council agrees a 3% rise", "Westbury Post", "Budget: council agrees a 3% rise"),
        ("Council agrees budget &amp; rates", "Westbury Post", "Council agrees budget & rates"),
        ("市议会通过预算_西伯里邮报", "西伯里邮报", "市议会通过预算"),  # a Chinese portal's underscore
        ("市議会が予算を可決｜ウェストベリー・ポスト", "ウェストベリー・ポスト", "市議会が予算を可決"),  # full-width
        ("Council explains its budget_v2 spreadsheet", "Westbury Post", "Council explains its budget_v2 spreadsheet"),
    ],
)
def test_outlet_names_are_stripped_from_titles(title, site, expected):
    site_meta = f'<meta property="og:site_name" content="{site}">' if site else ""
    html = f"""<html><head><title>{title}</title>{site_meta}</head><body>
    <p>The Westbury council agreed its budget on Thursday after a long debate about road repairs and libraries.</p>
    </body></html>"""
    assert parse_article(html, url="https://westburypost.example/news/budget").title == expected


@pytest.mark.parametrize(
    "title,site,expected",
    [
        # Japanese and Chinese sites join their name with a full-width colon or in lenticular brackets, either side.
        ("市議会が予算を可決：ウェストベリー・ポスト", "ウェストベリー・ポスト", "市議会が予算を可決"),
        ("【ウェストベリー・ポスト】市議会が予算を可決", "ウェストベリー・ポスト", "市議会が予算を可決"),
        ("市议会通过预算【西伯里邮报】", "西伯里邮报", "市议会通过预算"),
        # ... or with a dash or wave dash, spaced or not.
        ("市议会通过预算-西伯里邮报", "西伯里邮报", "市议会通过预算"),
        ("市议会通过预算——西伯里邮报", "西伯里邮报", "市议会通过预算"),
        ("市議会が予算を可決 〜 ウェストベリー・ポスト", "ウェストベリー・ポスト", "市議会が予算を可決"),
        ("市議会が予算を可決～ウェストベリー・ポスト", "ウェストベリー・ポスト", "市議会が予算を可決"),
        # The outlet in parentheses or square brackets after the headline; other words in them stay.
        ("Council agrees budget (Westbury Post)", "Westbury Post", "Council agrees budget"),
        ("Council agrees budget [Westbury Post]", "Westbury Post", "Council agrees budget"),
        ("Council agrees budget (video)", "Westbury Post", "Council agrees budget (video)"),
        # ... and the brackets and colon of a headline's own words stay: a label, a speaker.
        ("【独家】市议会通过预算 - 西伯里邮报", "西伯里邮报", "【独家】市议会通过预算"),
        ("首相：予算を可決｜ウェストベリー・ポスト", "ウェストベリー・ポスト", "首相：予算を可決"),
        # Single guillemets as breadcrumbs' separators.
        ("Council agrees budget › Westbury Post", "Westbury Post", "Council agrees budget"),
        ("Westbury Post ‹ Council agrees budget", "Westbury Post", "Council agrees budget"),
        # A direction mark beside the separator of a right-to-left title.
        ("מועצת העיר אישרה את התקציב \u200e- וסטברי פוסט", "וסטברי פוסט", "מועצת העיר אישרה את התקציב"),
    ],
)
def test_outlet_names_are_stripped_after_the_separators_of_other_scripts(title, site, expected):
    html = f"""<html><head><title>{title}</title><meta property="og:site_name" content="{site}"></head><body>
    <p>The Westbury council agreed its budget on Thursday after a long debate about road repairs and libraries.</p>
    </body></html>"""
    assert parse_article(html, url="https://westburypost.example/news/budget").title == expected


@pytest.mark.parametrize(
    "title,expected",
    [
        # A section between the headline and the outlet, joined as the outlet is: no part of the headline.
        (
            "Council agrees budget after long debate | Politics | Westbury Post",
            "Council agrees budget after long debate",
        ),
        (
            "Council agrees budget after long debate - Local news - Westbury Post",
            "Council agrees budget after long debate",
        ),
        (
            "Floods close the ring road – in pictures | Art and design | Westbury Post",
            "Floods close the ring road – in pictures",
        ),
        ("市議会が予算を可決：政治：ウェストベリー・ポスト", "市議会が予算を可決"),
        # ... but a headline's own parts, joined otherwise or saying more than a section's name, stay.
        ("Budget | what it means for you | Westbury Post", "Budget | what it means for you"),
        ("Council - and mayor - agree budget | Westbury Post", "Council - and mayor - agree budget"),
        ("Vote 2026 - Council agrees budget - Westbury Post", "Vote 2026 - Council agrees budget"),
    ],
)
def test_a_section_between_the_headline_and_the_outlet_is_cut_with_it(title, expected):
    site = "ウェストベリー・ポスト" if "ウェストベリー" in title else "Westbury Post"
    html = f"""<html><head><title>{title}</title><meta property="og:site_name" content="{site}"></head><body>
    <p>The Westbury council agreed its budget on Thursday after a long debate about road repairs and libraries.</p>
    </body></html>"""
    assert parse_article(html, url="https://westburypost.example/news/budget").title == expected


@pytest.mark.parametrize(
    "heading",
    [
        '<h1><span class="h1small">Energy</span> Free electricity checks for homes</h1>',
        '<h1><span class="kicker">Energy</span> Free electricity checks for homes</h1>',
    ],
)
def test_a_page_s_one_heading_loses_its_kicker_with_no_shared_title_beside_it(heading):
    # Only a <title> that is the headline in other words, and one <h1>: the page is trusted, without the kicker.
    html = f"""<html><head><title>Energy - free checks | Westbury Post</title></head><body>{heading}
    <p>The Westbury council agreed its budget on Thursday after a long debate about road repairs and libraries.</p>
    </body></html>"""
    title = parse_article(html, url="https://westburypost.example/news/energy").title
    assert title == "Free electricity checks for homes"


@pytest.mark.parametrize(
    "inside",
    [
        '<span class="visually-hidden">Article: </span>',
        '<span class="screen-reader-text">Article: </span>',
        '<i class="icon" aria-hidden="true">▶</i> ',
        "<span hidden>Westbury Post</span>",
        '<span style="display: none">Advert</span>',
        "<script>var shown = 1;</script>",
        "<style>h1 { color: red }</style>",
    ],
)
@pytest.mark.parametrize("head", ["", '<meta property="og:title" content="Council agrees budget after a long debate">'])
def test_what_a_heading_holds_but_never_shows_is_no_part_of_the_headline(inside, head):
    html = f"""<html><head>{head}</head><body><h1>{inside}Council agrees budget after a long debate</h1>
    <p>The Westbury council agreed its budget on Thursday after a long debate about road repairs and libraries.</p>
    </body></html>"""
    title = parse_article(html, url="https://westburypost.example/news/budget").title
    assert title == "Council agrees budget after a long debate"


@pytest.mark.parametrize("mark", ["hidden", 'aria-hidden="true"'])
def test_what_the_markup_hides_is_in_neither_the_headline_nor_the_story(mark):
    # One test of what is hidden for the headline reader and the story's text: the same element is out of both.
    html = f"""<html><body><article>
    <h1><span {mark}>Westbury Post: </span>Council agrees budget after a long debate</h1>
    <p>The Westbury council agreed its budget on Thursday after a long debate about road repairs and libraries.</p>
    <div {mark}><p>A map of the forty roads to be repaired opens in a panel beside the story at a press.</p></div>
    <p>The budget sets aside money for three new libraries and the repair of forty roads across the town.</p>
    </article></body></html>"""
    article = parse_article(html, url="https://westburypost.example/news/budget")
    assert article.title == "Council agrees budget after a long debate"
    assert "three new libraries" in article.text
    assert "Westbury Post:" not in article.text and "A map of the forty roads" not in article.text


@pytest.mark.parametrize(
    "head,heading,expected",
    [
        # Zero-width spaces, a byte-order mark or a word joiner are invisible and no part of the headline's words.
        ("<title>\ufeffCouncil agrees\u200b budget\u2060 | Westbury Post</title>", "", "Council agrees budget"),
        (
            '<meta property="og:title" content="Council agrees budget">',
            "<h1>\u200bCouncil agrees budget\u200b</h1>",
            "Council agrees budget",
        ),
        # A direction mark at the edge of a right-to-left headline says nothing its letters do not.
        (
            "<title>\u200fمجلس المدينة يوافق على الميزانية\u200f | Westbury Post</title>",
            "",
            "مجلس المدينة يوافق على الميزانية",
        ),
        # ... but one that places a title opening in Latin letters in a right-to-left line is kept.
        ("<title>\u200fBBC تقول إن المجلس وافق</title>", "", "\u200fBBC تقول إن المجلس وافق"),
    ],
)
def test_invisible_characters_at_a_headlines_edges_and_between_its_words_are_dropped(head, heading, expected):
    html = f"""<html><head>{head}<meta property="og:site_name" content="Westbury Post"></head><body>{heading}
    <p>The Westbury council agreed its budget on Thursday after a long debate about road repairs and libraries.</p>
    </body></html>"""
    assert parse_article(html, url="https://westburypost.example/news/budget").title == expected


@pytest.mark.parametrize(
    "head,heading",
    [
        # A visible headline holding a bar is the headline: only an outlet's name is cut from it.
        (
            '<meta property="og:title" content="Budget | what it means for you">',
            "<h1>Budget | what it means for you</h1>",
        ),
        ("<title>Budget | what it means for you - WP</title>", "<h1>Budget | what it means for you</h1>"),
    ],
)
def test_a_visible_headline_holding_a_bar_stays_whole(head, heading):
    html = f"""<html><head>{head}</head><body>{heading}
    <p>The Westbury council agreed its budget on Thursday after a long debate about road repairs and libraries.</p>
    </body></html>"""
    assert parse_article(html, url="https://westburypost.example/news/budget").title == "Budget | what it means for you"


LONG_HEADLINE = (
    "Council agrees budget after a long debate about road repairs, libraries, swimming pools and the future of the "
    "town centre market"
)


@pytest.mark.parametrize("cut", [LONG_HEADLINE[:110], LONG_HEADLINE[:107] + "...", LONG_HEADLINE[:109] + "…"])
def test_a_headline_cut_short_in_json_ld_gives_way_to_the_whole_one(cut):
    # Some publishing systems cut JSON-LD's headline at 110 characters (schema.org's old advice); the page's
    # shared title and <title> still hold it whole.
    ld = json.dumps({"@type": "NewsArticle", "headline": cut})
    html = f"""<html><head><script type="application/ld+json">{ld}</script>
    <meta property="og:title" content="{LONG_HEADLINE}"><title>{LONG_HEADLINE} | Westbury Post</title></head><body>
    <p>The Westbury council agreed its budget on Thursday after a long debate about road repairs and libraries.</p>
    </body></html>"""
    assert parse_article(html, url="https://westburypost.example/news/budget").title == LONG_HEADLINE


@pytest.mark.parametrize("kicker", ["EXCLUSIVE:", "LIVE", "ANALYSIS", "Analysis |", "Breaking:", "Update –"])
def test_a_kicker_written_into_the_headline_s_text_is_left_out_when_the_shared_title_leaves_it_out(kicker):
    # Not in an element of its own: "<h1>EXCLUSIVE: Council agrees budget</h1>", the shared title without it.
    html = f"""<html><head><meta property="og:title" content="Council agrees budget after a long debate">
    </head><body><h1>{kicker} Council agrees budget after a long debate</h1>
    <p>The Westbury council agreed its budget on Thursday after a long debate about road repairs and libraries.</p>
    </body></html>"""
    title = parse_article(html, url="https://westburypost.example/news/budget").title
    assert title == "Council agrees budget after a long debate"


@pytest.mark.parametrize(
    "heading",
    [
        "<h1>Council agrees budget<br>after a long debate</h1>",
        "<h1><div>Council agrees budget</div>after a long debate</h1>",
    ],
)
def test_a_headline_broken_over_lines_keeps_a_space_between_its_words(heading):
    # The line break is a space to the reader: "budget<br>after" had read "budgetafter".
    html = f"""<html><head><meta property="og:title" content="Council agrees new budget after debate"></head>
    <body>{heading}
    <p>The Westbury council agreed its budget on Thursday after a long debate about road repairs and libraries.</p>
    </body></html>"""
    title = parse_article(html, url="https://westburypost.example/news/budget").title
    assert title == "Council agrees budget after a long debate"


def test_a_headline_opening_with_a_word_the_shared_title_leaves_out_stays_whole():
    # "Why ..." is the headline's own word, in its case and without a separator: the shared title was shortened.
    html = """<html><head><meta property="og:title" content="Council agrees budget after a long debate">
    </head><body><h1>Why Council agrees budget after a long debate</h1>
    <p>The Westbury council agreed its budget on Thursday after a long debate about road repairs and libraries.</p>
    </body></html>"""
    title = parse_article(html, url="https://westburypost.example/news/budget").title
    assert title == "Why Council agrees budget after a long debate"


@pytest.mark.parametrize(
    "author,expected",
    [
        ("By Jane Doe", "Jane Doe"),
        ("Von Anna Weber", "Anna Weber"),
        ("Jane Doe, Staff Writer", "Jane Doe"),
        # No person signs the page: its publisher does (an organisation, see test_bylines.py).
        ("https://social.example/janedoe", "Westbury Post"),
        ("Westbury Post", "Westbury Post"),
    ],
)
def test_bylines_are_reduced_to_names(author, expected):
    html = f"""<html><head><meta name="author" content="{author}"><meta property="og:site_name" content="Westbury Post">
    </head><body><p>The Westbury council agreed its budget on Thursday after a long debate about road repairs.</p>
    </body></html>"""
    assert parse_article(html).byline == expected


@pytest.mark.parametrize(
    "html",
    [
        "<title>Broken page</title><p>First paragraph of a page with no body tag at all, which browsers accept anyway."
        "<p>Second paragraph, never closed, <b>bold and never closed either",
        "<html><head><title>Broken page</title><body><div><p>First paragraph of a page with no body tag at all, "
        "which browsers accept anyway.<div><p>Second paragraph, never closed, <i>bold and never closed either</div>",
    ],
)
def test_broken_html_still_yields_its_text(html):
    article = parse_article(html)
    assert article.title == "Broken page"
    assert "First paragraph of a page with no body tag at all, which browsers accept anyway." in article.text
    assert "Second paragraph, never closed," in article.text


# A sentence long enough to be read as the story's text.
_STORY_PARAGRAPH = "<p>" + "The council voted on Tuesday to close the old bridge to lorries next month. " * 6 + "</p>"


def test_control_characters_never_reach_a_title_or_the_text():
    # Printed by `watch` and `candidates`, "\x1b]0;...\x07" retitles the terminal and "\x1b[2J" clears it.
    page = (
        b"<html><head><title>Acme \x1b]0;owned\x07recall \x1b[2J</title>"
        b'<meta name="author" content="Jane Doe\x07"></head><body><article>'
        + _STORY_PARAGRAPH.replace("Tuesday", "Tuesday \x1b[2J\x08").encode()
        + b"</article></body></html>"
    )
    article = parse_article(page, url="https://council.example/bridge")
    for value in (article.title, article.byline, article.text):
        assert value and not any(ch in value for ch in "\x1b\x07\x08")
    assert "The council voted on Tuesday" in article.text


@pytest.mark.parametrize("nesting", ["[" * 50_000, '{"a":' * 50_000, "[" * 3_000 + '"x"' + "]" * 3_000])
def test_json_ld_nested_beyond_the_json_parser_is_skipped_not_fatal(nesting):
    html = (
        f'<html><head><title>Page with broken data</title><script type="application/ld+json">{nesting}</script>'
        '<script type="application/ld+json">{"@type": "NewsArticle", "datePublished": "2024-05-02"}</script>'
        f"</head><body>{_STORY_PARAGRAPH}</body></html>"
    )
    article = parse_article(html, url="https://broken.example/story")
    assert article.published and article.published.startswith("2024-05-02")
    assert "The council voted on Tuesday" in article.text


_LD_ITEM = (
    '{"@type": "NewsArticle", "author": {"@type": "Person", "name": "Jo Example"}, %s"datePublished": "2026-12-03"}'
)


@pytest.mark.parametrize(
    "block",
    [
        '{"@type": "Organization", "name": "Post"}\n' + _LD_ITEM % "",  # two blocks written into one script
        '[{"@type": "WebSite"}]' + _LD_ITEM % "",
        _LD_ITEM % r'"headline": "It\'s agreed", ',  # PHP's addslashes: an escape JSON does not have
        _LD_ITEM % r'"headline": "Windows C:\budget\2026", ',
        _LD_ITEM % "" + ";",  # a template's statement end
        "<!-- ld -->" + _LD_ITEM % "",
    ],
)
def test_json_ld_written_loosely_by_a_cms_is_still_read(block):
    html = (
        f'<html><head><script type="application/ld+json">{block}</script></head><body>{_STORY_PARAGRAPH}</body></html>'
    )
    article = parse_article(html, url="https://post.example/budget")
    assert "json-ld datePublished" in article.published_from
    assert article.byline == "Jo Example"


@pytest.mark.parametrize("kind", ["schema:NewsArticle", "https://schema.org/NewsArticle", "http://schema.org/Article"])
def test_a_json_ld_type_written_as_a_full_or_prefixed_name_is_that_type(kind):
    block = _LD_ITEM.replace('"NewsArticle"', f'"{kind}"') % ""
    head = f'<head><script type="application/ld+json">{block}</script></head>'
    article = parse_article(f"<html>{head}<body>{_STORY_PARAGRAPH}</body></html>", url="https://post.example/budget")
    assert "json-ld datePublished" in article.published_from
    assert article.byline == "Jo Example"


def test_json_ld_with_a_valid_escaped_backslash_keeps_it():
    block = _LD_ITEM % r'"headline": "A \\ B \"quoted\"", '
    html = (
        f'<html><head><script type="application/ld+json">{block}</script></head><body>{_STORY_PARAGRAPH}</body></html>'
    )
    assert parse_article(html, url="https://post.example/budget").title == 'A \\ B "quoted"'


def test_a_lone_surrogate_escaped_in_json_ld_never_reaches_the_article():
    """JSON allows "\\ud83d" alone (half an emoji cut off by a CMS); Python reads it, but no UTF-8 text,
    and so no SQLite column, can hold it."""
    ld = {
        "@type": "NewsArticle",
        "headline": "Acme recall \ud83d widens",
        "author": {"@type": "Person", "name": "Jane \udc00Doe"},
        "publisher": {"@type": "Organization", "name": "The \ud800Ledger"},
        "description": "Recall \udfff widens",
    }
    html = (
        f'<html><head><script type="application/ld+json">{json.dumps(ld)}</script></head>'
        f"<body>{_STORY_PARAGRAPH}</body></html>"
    )
    article = parse_article(html, url="https://ledger.example/recall")
    assert (article.title, article.byline, article.outlet, article.description) == (
        "Acme recall widens",
        "Jane Doe",
        "The Ledger",
        "Recall widens",
    )
    assert [author.name for author in article.authors] == ["Jane Doe"]


@pytest.mark.parametrize("data", [b"", b"   \n  ", "", "<html></html>"])
def test_empty_pages_give_an_empty_article_not_an_error(data):
    article = parse_article(data, url="https://empty.example/")
    assert article.text == "" and article.canonical_url == "https://empty.example/"


CP1252_PAGE = """<html><head>%s<title>Café owners “relieved” by rent freeze</title></head><body><article>
<h1>Café owners “relieved” by rent freeze</h1>
<p>Owners of the fictional Café Zoë in Westbury said they were “relieved” that the council froze rents at €1,200
a month – the first freeze since the café opened, its owner said on Tuesday.</p></article></body></html>"""


@pytest.mark.parametrize(
    "declaration,http_charset",
    [
        ('<meta charset="utf-8">', None),  # wrong declaration in the page
        ("", None),  # no declaration at all
        ('<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1">', None),  # Latin-1 label
        ("", "ISO-8859-1"),  # the server's label, which means windows-1252 in practice
        ('<meta charset="utf-8">', "utf-8"),  # wrong everywhere
    ],
)
def test_windows_1252_page_decodes_correctly_whatever_it_claims(declaration, http_charset):
    data = (CP1252_PAGE % declaration).encode("cp1252")
    assert decode_html(data, http_charset) == CP1252_PAGE % declaration
    article = parse_article(data, charset=http_charset)
    assert article.title == "Café owners “relieved” by rent freeze"
    assert "fictional Café Zoë in Westbury said they were “relieved”" in article.text
    assert "€1,200 a month – the first freeze" in article.text


def test_utf8_page_with_a_stray_byte_stays_utf8():
    text = CP1252_PAGE % '<meta charset="iso-8859-1">'
    data = text.replace("Tuesday", "Tuesday\x00").encode("utf-8").replace(b"\x00", b"\xff")
    article = parse_article(data)
    assert article.title == "Café owners “relieved” by rent freeze"


@pytest.mark.parametrize(
    "data",
    [
        b"\x89PNG\r\n\x1a\n" + bytes(range(256)),
        b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj",
        gzip.compress(b"<html><body><p>compressed</p></body></html>"),
        b"PK\x03\x04\x14\x00\x06\x00" + bytes(100),
        bytes(range(256)) * 4,
        b"\x00\x01\x02\x03binary\x00\x00<html>",
        bytes(random.Random(7).choices(range(1, 256), k=4096)),  # no NUL byte, still not text
    ],
)
def test_binary_bytes_raise_parse_error(data):
    with pytest.raises(ParseError, match="binary"):
        parse_article(data)


@pytest.mark.parametrize(
    "value,expected",
    [
        ("2026-03-14", "2026-03-14"),
        ("2026-03-14T08:30:00+01:00", "2026-03-14T08:30:00+01:00"),
        ("2026-03-14T08:30:00+0100", "2026-03-14T08:30:00+01:00"),
        ("2026-03-14T08:30:00.123Z", "2026-03-14T08:30:00Z"),
        ("2026-03-14 08:30", "2026-03-14T08:30:00"),
        ("Sat, 14 Mar 2026 08:30:00 GMT", "2026-03-14T08:30:00Z"),
        ("Sat, 14 Mar 2026 08:30:00 +0100", "2026-03-14T08:30:00+01:00"),
        ("14.03.2026", "2026-03-14"),
        ("14. März 2026", "2026-03-14"),
        ("March 14, 2026", "2026-03-14"),
        ("2026/03/14", "2026-03-14"),
        ("20260314", "2026-03-14"),
        ("3 de mayo de 2026", "2026-05-03"),  # Spanish and Portuguese join day, month and year with "de"
        ("2026年3月14日 08:30", "2026-03-14"),
        ("2026년 3월 14일", "2026-03-14"),
        ("2026. 03. 14.", "2026-03-14"),
        ("14 augusti 2026", "2026-08-14"),
        (1773477000, "2026-03-14T08:30:00Z"),
        (1773477000000, "2026-03-14T08:30:00Z"),  # milliseconds, as JavaScript's Date.getTime() writes them
        ("1773477000000", "2026-03-14T08:30:00Z"),
        ("2026-02-30", None),
        ("yesterday", None),
        ("", None),
        (None, None),
    ],
)
def test_dates_are_normalised_to_iso_8601(value, expected):
    assert normalise_date(value) == expected


def test_published_date_falls_back_to_the_url_and_then_the_page():
    body = "<p>The Westbury council agreed its budget on Thursday after a long debate about road repairs.</p>"
    from_url = parse_article(f"<html><body>{body}</body></html>", url="https://post.example/2026/03/14/budget")
    assert from_url.published == "2026-03-14"
    written = parse_article(
        f"<html><body><article><p class='date'>Published 14.03.2026</p>{body}</article></body></html>"
    )
    assert written.published == "2026-03-14"


def test_extract_prints_one_json_line_per_file():
    files = [str(FIXTURES / "gazette-jsonld.html"), str(FIXTURES / "ledger-affiliate-noise.html")]
    result = CliRunner().invoke(cli, ["extract", *files])
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["file"] for r in records] == files
    keys = [
        "file",
        "title",
        "byline",
        "authors",
        "published",
        "published_from",
        "modified",
        "date_doubts",
        "outlet",
        "canonical_url",
        "text",
    ]
    assert all(list(r) == keys for r in records)
    assert records[0]["title"] == EXPECTED["gazette-jsonld.html"]["title"]
    assert records[1]["text"].splitlines() == EXPECTED["ledger-affiliate-noise.html"]["lines"]
    assert result.stderr == ""


def test_extract_reports_missing_and_binary_files_and_carries_on(tmp_path):
    binary = tmp_path / "photo.html"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(64))
    missing = tmp_path / "missing.html"
    good = str(FIXTURES / "statement-pressrelease.html")
    result = CliRunner().invoke(cli, ["extract", str(missing), str(binary), good])
    assert result.exit_code == 1
    errors = result.stderr.splitlines()
    assert len(errors) == 2
    assert str(missing) in errors[0] and "No such file" in errors[0]
    assert str(binary) in errors[1] and "binary" in errors[1]
    assert "Traceback" not in result.output
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["file"] for r in records] == [good]
    assert records[0]["byline"] == "Contoso Marine Works"


def test_extract_needs_no_database(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("TRACKER_DB", str(tmp_path / "nowhere" / "tracker.db"))
    result = CliRunner().invoke(cli, ["extract", str(FIXTURES / "blog-microdata.html")])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["byline"] == "Anna Weber"
    assert not (tmp_path / "nowhere").exists()


def test_utf16_without_a_byte_order_mark_is_decoded_not_refused():
    html = "<html><body><article><p>Zoë Quill said the Fabrikam plant reopens on Monday.</p></article></body></html>"
    for codec in ("utf-16-le", "utf-16-be"):
        assert "Zoë Quill said" in parse_article(html.encode(codec)).text


def test_a_copy_in_the_web_archive_is_read_with_the_archived_sites_name():
    html = """<html><head><title>Harbour Notes » Ferry timetable changes in June</title></head><body>
    <h1>Harbour Notes</h1><div class="post"><h2>Ferry timetable changes in June</h2>
    <p>The island ferry will run every two hours from June, the operator said on Thursday.</p></div></body></html>"""
    url = "https://web.archive.org/web/20140226054445/http://www.harbournotes.example/2013/08/07/ferry/"
    article = parse_article(html, url=url)
    assert article.title == "Ferry timetable changes in June"
    assert article.outlet == "harbournotes.example"


def test_markup_nested_past_any_real_page_is_read_as_text_within_a_bounded_depth():
    """The text extractor's work grows with elements times depth: 1 MB nested 250 deep took 18 s, 10 MB minutes."""
    from scrapers.article.parse import MAX_DEPTH, parse_tree

    said = "Acme said the kettles were safe, a spokesperson told reporters on Monday."
    chunk = "<div>" * 250 + f"<p>{said}</p><script>var tracking = 1;</script>" + "</div>" * 250
    page = f"<html><head><title>Deep</title></head><body>{chunk * 20}</body></html>"
    tree = parse_tree(page)
    deepest = max(sum(1 for _ in element.iterancestors()) + 1 for element in tree.iter())
    assert deepest <= MAX_DEPTH
    article = parse_article(page.encode(), "https://deep.example/story")
    assert article.text.count(said) == 20
    assert "tracking" not in article.text


def test_real_nesting_is_left_as_it_is():
    from scrapers.article.parse import parse_tree

    page = "<html><body>" + "<div class='wrap'>" * 40 + "<p>Text</p>" + "</div>" * 40 + "</body></html>"
    tree = parse_tree(page)
    assert len(tree.xpath("//div[@class='wrap']")) == 40 and tree.xpath("//p/text()") == ["Text"]


@pytest.mark.parametrize(
    "line",
    [
        "Quelle: Statistisches Landesamt",
        "Source: Office for National Statistics",
        "Baca juga: Harga cabai naik jelang Lebaran",
        "Читайте также: Как изменится бюджет города",
        "Lees ook: Gemeente stemt in met begroting",
        "Läs också: Så blir budgeten",
        "Διαβάστε επίσης: Ο προϋπολογισμός εγκρίθηκε",
        "Přečtěte si také: Rozpočet schválen",
        "İlgili haber: Bütçe onaylandı",
        "اقرأ أيضاً: الميزانية الجديدة",
        "\u200fاقرأ أيضاً: الميزانية الجديدة",  # a right-to-left mark, kept in the text, is no part of the label
        "\u200fإعلان\u200f",
        "קראו גם: התקציב אושר",
        "פרסומת",
        "بیشتر بخوانید: بودجه تصویب شد",
        "تبلیغات",
        "یہ بھی پڑھیں: بجٹ منظور ہو گیا",
        "اشتہار",
        "यह भी पढ़ें- बजट को मंजूरी",
        "Xem thêm: Ngân sách được thông qua",
        "関連記事：予算が承認された",
        "Реклама",
        "Iklan",
        "Bagikan",
        "Paylaş",
    ],
)
def test_teasers_share_labels_and_ad_labels_in_the_wider_webs_languages_are_not_the_story(line):
    story = [
        f"<p>Paragraph {i}: the island ferry will run every two hours from June, the operator said on Monday.</p>"
        for i in range(6)
    ]
    story.insert(3, f"<p>{line}</p>")
    text = parse_article(
        f"<html><body><article><h1>Ferry timetable changes</h1>{''.join(story)}</article></body></html>"
    ).text
    assert "Paragraph 2:" in text and "Paragraph 3:" in text
    assert line not in text


@pytest.mark.parametrize(
    "line",
    [
        "(Bild: Jane Doe)",
        "[Foto: Harbour Photos]",
        "Copyright: Jane Doe",
        "Bildnachweis: Harbour Photos / Jane Doe",
        "Fotocredit: Jane Doe",
        "Featured image: Jane Doe via a picture library",
        "© Harbour Photos",
        "Copyright © 2020 Westbury Gazette. All rights reserved.",
    ],
)
def test_a_picture_credit_or_copyright_notice_alone_on_its_line_is_not_the_story(line):
    story = [
        f"<p>Paragraph {i}: the island ferry will run every two hours from June, the operator said on Monday.</p>"
        for i in range(6)
    ]
    story.insert(3, f"<p>{line}</p>")
    story.insert(5, "<p>Copyright law protects the harbour's old maps, the archivist said.</p>")
    lines = parse_article(
        f"<html><body><article><h1>Ferry timetable changes</h1>{''.join(story)}</article></body></html>"
    ).text.splitlines()
    assert line not in lines
    assert "Copyright law protects the harbour's old maps, the archivist said." in lines
    assert sum(line.startswith("Paragraph ") for line in lines) == 6


def test_a_caption_or_credit_in_a_picture_s_box_is_not_the_story():
    # Outside <figure>: the caption sits in a <div> beside the picture, in a box named for an image.
    story = "".join(
        f"<p>Paragraph {i}: the island ferry will run every two hours from June, the operator said on Monday.</p>"
        for i in range(6)
    )
    html = f"""<html><body><article><h1>Ferry timetable changes</h1>
    <div class="media media-image"><img src="/ferry.jpg" alt="">
    <div class="media__description">The harbour at dusk, seen from the upper deck of the ferry.</div></div>
    {story}<p class="image-copyright"><img src="/quay.jpg" alt="">© Jane Doe/Harbour Photos</p>
    </article></body></html>"""
    text = parse_article(html).text
    assert "Paragraph 0:" in text and "Paragraph 5:" in text
    assert "The harbour at dusk" not in text and "Jane Doe" not in text


def test_a_photo_page_whose_only_words_are_its_caption_keeps_them():
    html = """<html><body><h1>Harbour at dusk</h1><div class="photo-main"><img src="/harbour.jpg" alt="">
    <p class="photo-caption">The ferry leaves the harbour at dusk on its last crossing of the winter timetable.</p>
    </div></body></html>"""
    assert "The ferry leaves the harbour at dusk" in parse_article(html).text


def test_a_picture_header_that_carries_the_headline_keeps_it():
    story = "".join(
        f"<p>Paragraph {i}: the island ferry will run every two hours from June, the operator said on Monday.</p>"
        for i in range(6)
    )
    html = f"""<html><body><article><div class="header-image"><h1>Ferry timetable changes</h1>
    <img src="/ferry.jpg" alt=""></div>{story}</article></body></html>"""
    article = parse_article(html)
    assert article.title == "Ferry timetable changes"
    assert article.text.splitlines()[0] == "Ferry timetable changes"


def test_a_column_named_for_its_pictures_that_holds_the_story_keeps_its_text():
    story = "".join(
        f"<p>Paragraph {i}: the island ferry will run every two hours from June, the operator said on Monday.</p>"
        for i in range(6)
    )
    html = f"""<html><body><div class="media-body"><h1>Ferry timetable changes</h1>
    <img src="/ferry.jpg" alt="">{story}</div></body></html>"""
    text = parse_article(html).text
    assert "Paragraph 0:" in text and "Paragraph 5:" in text


@pytest.mark.parametrize(
    ("label", "links"),
    [
        (
            "<h2>Read more:</h2>",
            '<p><a href="/a">Harbour fees to rise in spring</a></p><p><a href="/b">New pier opens in May</a></p>',
        ),
        (
            "<h3>Weiterlesen</h3>",
            '<ul><li><a href="/a">Hafengebühren steigen im Frühjahr</a></li>'
            '<li><a href="/b">Neuer Anleger öffnet im Mai</a></li></ul>',
        ),
        (
            '<div class="box-title"><h4>Saiba mais</h4></div>',
            '<div class="cards"><a href="/a"><img src="/a.jpg" alt=""><strong>Economia</strong>'
            '<span>Taxas do porto sobem na primavera</span></a><a href="/b"><img src="/b.jpg" alt="">'
            "<span>Novo cais abre em maio</span></a></div>",
        ),
        ("<p><strong>Lea también:</strong></p>", '<p><a href="/a">Las tasas del puerto suben en primavera</a></p>'),
        ("<h3>\u200fקראו גם\u200f</h3>", '<p><a href="/a">אגרות הנמל יעלו באביב</a></p>'),
        ("<h3>بیشتر بخوانید</h3>", '<ul><li><a href="/a">عوارض بندر در بهار افزایش می\u200cیابد</a></li></ul>'),
    ],
)
def test_a_teaser_label_and_the_links_under_it_are_not_the_story(label, links):
    story = [
        f"<p>Paragraph {i}: the island ferry will run every two hours from June, the operator said on Monday.</p>"
        for i in range(6)
    ]
    story.insert(4, label + links)
    text = parse_article(
        f"<html><body><article><h1>Ferry timetable changes</h1>{''.join(story)}</article></body></html>"
    ).text
    assert "Paragraph 3:" in text and "Paragraph 4:" in text and "Paragraph 5:" in text
    for gone in ("Read more", "Weiterlesen", "Saiba mais", "Lea también", "fees", "Anleger", "Taxas", "cais", "tasas"):
        assert gone not in text
    for gone in ("קראו גם", "הנמל", "بخوانید", "بندر"):
        assert gone not in text


def test_a_teaser_label_over_text_of_its_own_keeps_that_text():
    # "See also" over a paragraph that only mentions a link, and a "Related" heading over prose, are the story.
    story = "".join(
        f"<p>Paragraph {i}: the island ferry will run every two hours from June, the operator said on Monday.</p>"
        for i in range(6)
    )
    html = f"""<html><body><article><h1>Ferry timetable changes</h1>{story}
    <h2>See also</h2><p>The council's <a href="/minutes">minutes</a> of the March meeting record the vote on the
    timetable, with the names of the members who asked for an hourly service.</p>
    <h3>Related</h3><p>Fares on the mainland buses rise by a tenth in June, the transport authority said.</p>
    </article></body></html>"""
    text = parse_article(html).text
    assert "minutes of the March meeting" in text
    assert "Fares on the mainland buses" in text


def test_a_story_line_that_opens_with_follow_and_names_a_network_is_kept():
    line = "Follow the money on Facebook's advertising network, the investigators told the committee on Monday."
    story = "".join(
        f"<p>Paragraph {i}: the island ferry will run every two hours from June, the operator said on Monday.</p>"
        for i in range(6)
    )
    html = f"<html><body><article><h1>Ferry adverts</h1>{story}<p>{line}</p></article></body></html>"
    assert line in parse_article(html).text


STORY_PARAGRAPHS = [
    "The island ferry will run every two hours from June, the operator said on Monday, after a winter of cuts.",
    "Tickets bought before May remain valid on all sailings, and season passes will be extended by a month.",
    "The operator said the change follows a drop in winter traffic and the cost of fuel, which rose by a third.",
    "Islanders had asked for an hourly service; the council will discuss the timetable at its next meeting.",
    "A spokesperson for the harbour said the new timetable had been agreed with the operator two weeks ago.",
]


def _shell(article_body: str, extra: str = "") -> str:
    ld = json.dumps({"@context": "https://schema.org", "@type": "NewsArticle", "headline": "Ferry timetable changes",
                     "articleBody": article_body})  # fmt: skip
    return f"""<!doctype html><html lang="en"><head><title>Ferry timetable changes</title>
    <script type="application/ld+json">{ld}</script><script defer src="/static/app.4f2a.js"></script></head>
    <body><noscript>You need to enable JavaScript to run this app.</noscript><div id="root"></div>{extra}
    </body></html>"""


@pytest.mark.parametrize(
    "article_body",
    ["\n\n".join(STORY_PARAGRAPHS), "".join(f"<p>{p}</p>" for p in STORY_PARAGRAPHS)],
    ids=["plain", "markup"],
)
def test_a_page_built_by_scripts_is_read_from_the_story_it_carries_for_machines(article_body):
    # An app's shell: no text in the markup, the whole story in JSON-LD's articleBody.
    article = parse_article(_shell(article_body), url="https://ferry.example/news/timetable")
    assert article.text.splitlines() == STORY_PARAGRAPHS
    assert article.title == "Ferry timetable changes"


def test_the_markup_s_own_text_is_kept_when_it_has_one():
    markup = "".join(f"<p>{p}</p>" for p in STORY_PARAGRAPHS[:3])
    html = _shell("\n".join(STORY_PARAGRAPHS), extra=f"<article><h1>Ferry timetable changes</h1>{markup}</article>")
    lines = parse_article(html).text.splitlines()
    assert all(p in lines for p in STORY_PARAGRAPHS[:3]) and not any(p in lines for p in STORY_PARAGRAPHS[3:])


def test_a_paywall_teaser_gives_way_to_the_whole_story_the_page_carries_for_machines():
    # The markup shows the first two paragraphs and a prompt; JSON-LD's articleBody has all five.
    teaser = "".join(f"<p>{p}</p>" for p in STORY_PARAGRAPHS[:2])
    prompt = "<p>Subscribe to keep reading: your first month is free, cancel at any time.</p>"
    html = _shell(
        "\n\n".join(STORY_PARAGRAPHS), extra=f"<article><h1>Ferry timetable changes</h1>{teaser}{prompt}</article>"
    )
    assert parse_article(html).text.splitlines() == STORY_PARAGRAPHS
    # Another story's body (a template's leftover) does not replace the page's own text.
    other = [
        f"The museum reopens its east wing in week {n}, after a long repair of the roof and the stairs."
        for n in range(9)
    ]
    html = _shell("\n\n".join(other), extra=f"<article><h1>Ferry timetable changes</h1>{teaser}</article>")
    lines = parse_article(html).text.splitlines()
    assert all(p in lines for p in STORY_PARAGRAPHS[:2]) and not set(other) & set(lines)


def test_a_page_whose_markup_is_only_the_frame_of_the_story_is_read_from_the_story_it_carries_for_machines():
    # The markup has the header, the byline and the author's bio; the paragraphs are drawn by scripts from
    # JSON-LD's articleBody, which holds them all.
    frame = """<article><h1>Ferry timetable changes</h1>
    <p class="standfirst">Two-hourly sailings from June as the operator trims its winter losses.</p>
    <div class="author-card"><p>Lee Park</p><p>Lee Park has covered the islands and their harbours for the
    Post since 2008, and before that wrote about shipping for a trade weekly.</p></div></article>"""
    more = [f"Paragraph {i} of the story: the operator will publish the summer timetable in May." for i in range(6)]
    html = _shell("\n\n".join(STORY_PARAGRAPHS + more), extra=frame)
    lines = parse_article(html).text.splitlines()
    assert lines == STORY_PARAGRAPHS + more
    # Another story's body, however long, does not replace the page's own text.
    other = [
        f"The museum reopens its east wing in week {n}, after a long repair of the roof and stairs." for n in range(20)
    ]
    lines = parse_article(_shell("\n\n".join(other), extra=frame)).text.splitlines()
    assert not set(other) & set(lines) and any("Lee Park has covered" in line for line in lines)


def test_a_short_article_body_is_no_story():
    assert parse_article(_shell("Ferry timetable changes. Read more in the app.")).text == ""


@pytest.mark.parametrize(
    "title,host",
    [
        # A host writes the outlet's name without accents or umlauts: "Nestlé" as nestle, "Ökologisch" as oekologisch.
        ("Council agrees budget │ Münsterländer Bote", "muensterlaender-bote.example"),
        ("Council agrees budget | Café Gazette", "cafe-gazette.example"),
        ("Council agrees budget - Straßenbote", "strassenbote.example"),
    ],
)
def test_the_outlets_name_is_known_in_its_host_without_accents(title, host):
    html = f"""<html><head><title>{title}</title></head><body>
    <p>The Westbury council agreed its budget on Thursday after a long debate about road repairs and libraries.</p>
    </body></html>"""
    assert parse_article(html, url=f"https://{host}/news/budget").title == "Council agrees budget"


def test_a_paragraph_wrapped_in_the_page_s_source_reads_as_one_line_and_real_lines_stay_apart():
    # A hand-written or templated page wraps its source lines anywhere, even around a word in a link or a
    # span; a browser shows the paragraph as one, and a sentence cut over lines loses its speaker or quote.
    story = "".join(
        f"<p>Paragraph {i}: the island ferry will run every two hours from June, the operator said on Monday.</p>"
        for i in range(5)
    )
    html = f"""<html><body><article><h1>Ferry timetable changes</h1>{story}
    <p>Passengers may bring one bicycle (two on
    <span class="day">their</span>
    birthday), said
    <a href="/people/harbour-master">the harbour master</a>,
    who called the change "long
    overdue".<br>Bookings open on Friday.</p>
    <ul><li><code>ROUTE_ID</code>, the crossing's number, as printed on
    the ticket</li><li>Second item</li></ul>
    <h2>Fares</h2><table><tr><td>Adult</td><td>12 euros</td></tr></table>
    <div class="tip">
        Why is that so?<br>
        The tide was low.
    </div>
    <pre>line one
    line two</pre></article></body></html>"""
    lines = parse_article(html).text.splitlines()
    assert (
        "Passengers may bring one bicycle (two on their birthday), said the harbour master, who called the change"
        ' "long overdue".'
    ) in lines
    assert "Bookings open on Friday." in lines
    assert "ROUTE_ID, the crossing's number, as printed on the ticket" in lines
    assert "Second item" in lines
    assert "Fares" in lines
    assert "Why is that so?" in lines and "The tide was low." in lines
    assert any("line one" in line for line in lines) and not any("line two" in line for line in lines if "one" in line)
    assert [line for line in lines if line.startswith("Paragraph ")] == [
        f"Paragraph {i}: the island ferry will run every two hours from June, the operator said on Monday."
        for i in range(5)
    ]


def test_source_line_breaks_are_spaces_inside_a_line_and_left_where_a_line_ends_anyway():
    # trafilatura reads some breaks beside blocks and <br> as the only line end it keeps (between <div>s it
    # flattens, after a <br> inside a link), and whitespace-only text between blocks sways which part of a
    # page it takes: those are left exactly as they are.
    from scrapers.article.maintext import _join_source_lines

    tree = parse_tree(
        "<html><body><div>\n  <p>one on\n<a href='/x'>her</a>\n birthday<br>\nnext\n</p>\n  <div>\n  quoted\n"
        "</div>\n<pre>keep\n  this</pre><p style='white-space: pre-line'>and\nthis</p></div></body></html>"
    )
    _join_source_lines(tree)
    div = tree.find(".//body/div")
    p, inner, pre, styled = div
    assert div.text == "\n  " and p.tail == "\n  " and inner.text == "\n  quoted\n" and inner.tail == "\n"
    assert p.text == "one on " and p[0].tail == " birthday" and p[1].tail == "\nnext\n"
    assert pre.text == "keep\n  this" and styled.text == "and\nthis"


def test_a_page_of_a_long_run_of_spaces_before_a_line_break_is_read_in_linear_time():
    """The source-line-break rewrite looked for a break from every space of a run: 40,000 spaces then a
    line break inside one paragraph took 8 s, growing with the square of the run, so a scraped page of
    one long run would hold the scrape for hours. A child process runs it so that a regression fails the
    suite instead of hanging it (the limit is a guard, not the measure)."""
    code = (
        "from scrapers.article import parse_article\n"
        "html = ('<html><body><article><h1>Ferry</h1><p>The island ferry will run every two hours' + ' ' * 300_000"
        " + 'x\\nfrom June, the operator said.</p></article></body></html>')\n"
        "print(parse_article(html).text.splitlines()[-1].split())\n"
    )
    assert python_output(code).strip() == str(
        "The island ferry will run every two hours x from June, the operator said.".split()
    )


FERRY_STORY = "".join(
    f"<p>Paragraph {i}: the island ferry will run every two hours from June, the operator said on Monday.</p>"
    for i in range(5)
)


def test_a_date_or_short_quotation_inside_a_sentence_keeps_its_words_and_the_date_is_still_read():
    # The text extractor drops a <time> with its words and reads an inline <q> as a block quotation of its own:
    # "The vote was on and passed.", a claim's quote cut from its speaker.
    html = f"""<html><body><article><h1>Ferry vote</h1>{FERRY_STORY}
    <p>The vote was on <time datetime="2026-03-02">2 March</time> and passed.</p>
    <p>The harbour master, Lee Park, called the change <q>long overdue, as <q>everyone</q> knows</q> on Monday.</p>
    <p>Tickets went on sale <em>from <a href="/t"><time>9 March</time></a></em>, the operator said.</p>
    <p>Lee Park said „<q>we are ready</q>“ after the vote.</p>
    <p>The result came on <span class="when"><time>3 March</time><time>21:25</time></span>after the count.</p>
    </article></body></html>"""
    article = parse_article(html)
    lines = article.text.splitlines()
    assert "The vote was on 2 March and passed." in lines
    assert "The harbour master, Lee Park, called the change “long overdue, as ‘everyone’ knows” on Monday." in lines
    assert "Tickets went on sale from 9 March, the operator said." in lines
    assert "Lee Park said „we are ready“ after the vote." in lines
    assert "The result came on 3 March 21:25 after the count." in lines  # a date's words stay apart from the line's
    assert article.published == "2026-03-02"  # the date readers see the page's <time> as it was


def test_a_date_with_no_words_of_its_own_line_is_left_to_the_extractor():
    # A time alone on its line, or beside another story's linked headline, is a stamp, not words of the story.
    teasers = "".join(f'<li><a href="/s{i}">Another story number {i}</a> <time>14:0{i}</time></li>' for i in range(4))
    html = f"""<html><body><article><h1>Ferry vote</h1>{FERRY_STORY}<p><time>2 March 2026</time></p>
    <ul>{teasers}</ul></article></body></html>"""
    text = parse_article(html).text
    assert "2 March 2026" not in text and "14:0" not in text


def test_blocks_inside_a_quotation_are_lines_of_their_own():
    html = f"""<html><body><article><h1>Ferry vote</h1>{FERRY_STORY}
    <blockquote><div>Lee Park said:</div><div>The crossing will close in May.</div></blockquote>
    <blockquote>
      <div>Ana Ruiz wrote:</div>
      <div><div>Fares rise in June.</div><div>Bikes <b>stay</b> free.</div></div>
    </blockquote>
    <p>Last paragraph of the story, after the quotations.</p></article></body></html>"""
    lines = parse_article(html).text.splitlines()
    for line in ("Lee Park said:", "The crossing will close in May.", "Ana Ruiz wrote:", "Fares rise in June."):
        assert line in lines
    assert "Bikes stay free." in lines


def test_a_standfirst_quoting_someone_is_kept_once_with_its_quotation_marks():
    html = f"""<html><body><article><h1>Ferry vote</h1>
    <p class="lead">The harbour master calls the new timetable <q>long overdue</q> and says fares will not rise.</p>
    {FERRY_STORY}</article></body></html>"""
    lines = parse_article(html).text.splitlines()
    assert [line for line in lines if "harbour master" in line] == [
        "The harbour master calls the new timetable “long overdue” and says fares will not rise."
    ]


def _ferry_page(paragraphs: int, after: str) -> str:
    paras = [
        f"<p>Paragraph {i}: the island ferry will run every two hours from June, the operator said at the harbour"
        " office on Monday morning.</p>"
        for i in range(paragraphs)
    ]
    half = paragraphs // 2
    return f"""<html><head><title>Ferry timetable changes</title></head><body><article>
    <header><h1>Ferry timetable changes</h1></header>
    {"".join(paras[:half])}<h2>What changes for cyclists</h2>{"".join(paras[half:])}
    {after}</article></body></html>"""


PROMO_LINK = '<p><a href="/region/island-news">All the news from the island and the harbour towns in one place</a></p>'


def test_a_promotion_line_after_the_story_goes_and_its_headline_and_subheadings_stay():
    # trafilatura's precision mode drops the line (one long link), and the headline in its <header> with it.
    lines = parse_article(_ferry_page(20, PROMO_LINK)).text.splitlines()
    assert not any("All the news" in line for line in lines)
    assert lines[0] == "Ferry timetable changes"
    assert "What changes for cyclists" in lines
    assert sum(line.startswith("Paragraph ") for line in lines) == 20


def test_a_short_story_keeps_what_only_precision_mode_would_drop():
    # Six paragraphs: what precision mode leaves out is more than a twentieth of the text, a cut into the story.
    lines = parse_article(_ferry_page(6, PROMO_LINK)).text.splitlines()
    assert any("All the news" in line for line in lines)


def test_precision_modes_cuts_are_taken_only_when_they_trim_furniture():
    from scrapers.article.maintext import _trimmed

    story = [f"Paragraph {i}: the ferry will run every two hours from June, the operator said." for i in range(30)]
    balanced = "\n".join(["Ferry timetable changes", *story[:15], "Cyclists", *story[15:], "Recommended", "Tags: x"])
    headings = {"Ferry timetable changes", "Cyclists", "Recommended"}
    precise = "\n".join(story)
    # The headline and a subheading head lines that stay; "Recommended" heads only what goes.
    assert _trimmed(balanced, precise, headings).splitlines() == [
        "Ferry timetable changes",
        *story[:15],
        "Cyclists",
        *story[15:],
    ]
    # A line of its own: precision read another part of the page.
    assert _trimmed(balanced, precise + "\nA teaser of another story", headings) == balanced
    # A cut of more than a twentieth: into the story.
    assert _trimmed(balanced, "\n".join(story[:27]), headings) == balanced


def test_a_label_or_output_inside_a_sentence_keeps_its_words_and_a_forms_label_stays_out():
    # The text extractor drops <label> and <output> with their words, like <time>.
    story = "".join(f"<p>Paragraph {i}: the island ferry will run every two hours from June.</p>" for i in range(6))
    html = f"""<html><body><article><h1>Ferry timetable changes</h1>{story}
    <p>The fare rises to <output>12 euros</output> for adults, the operator said.</p>
    <p><label>Harbour master:</label> Lee Park spoke on Friday at the quay.</p>
    <div><label for="q">Search the timetable</label><input id="q"></div>
    </article></body></html>"""
    lines = parse_article(html).text.splitlines()
    assert "The fare rises to 12 euros for adults, the operator said." in lines
    assert "Harbour master: Lee Park spoke on Friday at the quay." in lines
    assert not any("Search the timetable" in line for line in lines)


def test_ruby_keeps_its_base_text_and_math_its_alternative_text():
    story = "".join(f"<p>Paragraph {i}: the island ferry will run every two hours from June.</p>" for i in range(6))
    html = f"""<html><body><article><h1>Ferry timetable changes</h1>{story}
    <p>The ferry leaves from <ruby>東京<rp>(</rp><rt>とうきょう</rt><rp>)</rp></ruby> twice a day.</p>
    <p>Its deck measures <math alttext="x squared"><msup><mi>x</mi><mn>2</mn></msup></math> metres.</p>
    </article></body></html>"""
    text = parse_article(html).text
    assert "The ferry leaves from 東京 twice a day." in text.splitlines()  # the reading is shown above, not read
    assert "x squared" in text


PLEA_STORY = [
    f"<p>Paragraph {i}: the island ferry will run every two hours from June, the operator said on Monday.</p>"
    for i in range(6)
]


@pytest.mark.parametrize(
    "plea",
    [
        "<div><h3>Keep local news alive</h3><p>Readers like you pay for the reporting on this site: the ferry, the"
        ' council and the schools.</p><p><a href="/support-us/">Give what you can</a></p></div>',
        '<p>¿Ya sabías que tenemos canal de Telegram? Únete en este <a href="https://t.me/westburygazette">enlace</a>.</p>',
        '<p><span><strong>Die Gazette jetzt digital!</strong><a href="https://kiosk.example/registrierung">'
        "Hier klicken und registrieren!</a></span></p>",
        "<p>Already a subscriber? You can <a href='https://gazette.example/my-account/'>log in</a> to read on.</p>",
        '<div><p>Every Friday in your inbox.</p><a href="https://newsletter.gazette.example/">Sign me up</a></div>',
    ],
)
def test_a_plea_around_a_link_to_a_subscription_membership_or_donation_page_is_not_the_story(plea):
    story = [*PLEA_STORY]
    story.insert(3, plea)
    text = parse_article(
        f"<html><body><article><h1>Ferry timetable changes</h1>{''.join(story)}</article></body></html>"
    ).text
    assert sum(line.startswith("Paragraph ") for line in text.splitlines()) == 6
    for gone in ("local news", "Readers like you", "Give what", "Telegram", "digital", "registrieren", "subscriber"):
        assert gone not in text
    assert "inbox" not in text and "Sign me up" not in text


def test_a_paragraph_linking_a_newsletter_in_passing_or_a_story_about_one_stays():
    long_one = (
        "<p>The operator announced the change in its <a href='/newsletter/'>newsletter</a> on Monday, saying the"
        " island ferry will run every two hours from June, with an extra crossing on Friday evenings in the"
        " summer months, and that fares for residents, cyclists and foot passengers will stay as they are until"
        " the end of the year at least.</p>"
    )
    short_one = (
        "<p>Readers wrote in about <a href='/2026/03/gazette-newsletter-moves-to-friday'>our newsletter</a>.</p>"
    )
    story = [*PLEA_STORY]
    story[2:2] = [long_one, short_one]
    lines = parse_article(
        f"<html><body><article><h1>Ferry timetable changes</h1>{''.join(story)}</article></body></html>"
    ).text.splitlines()
    assert any(line.startswith("The operator announced the change in its newsletter") for line in lines)
    assert "Readers wrote in about our newsletter." in lines


@pytest.mark.parametrize(
    "head",
    [
        '<link rel="canonical" href="https://www.gazette.example/ferry">',
        '<meta property="og:url" content="https://gazette.example/ferry">',
    ],
)
def test_a_story_citing_another_site_s_sign_up_or_donation_page_keeps_the_sentence(head):
    cited = [
        "<p>Islanders who want a say can <a href='https://council.example/consultation/register'>register for"
        " the consultation</a> until Friday, the council said.</p>",
        "<p>The food bank, which lost its ferry grant, is appealing for help on"
        " <a href='https://foodbank.example/donate/'>its donation page</a>.</p>",
    ]
    pleas = [
        "<p>Support the Gazette: <a href='https://abo.gazette.example/'>subscribe</a> from 1 euro a month.</p>",
        "<div><p>Unterstütze uns!</p><p><a href='https://www.paypal.com/donate/?id=7'>Jetzt spenden</a></p></div>",
    ]
    story = [*PLEA_STORY]
    story[2:2] = [*cited, *pleas]
    html = f"<html><head>{head}</head><body><article><h1>Ferry timetable changes</h1>{''.join(story)}</article>"
    lines = parse_article(html + "</body></html>", url="https://www.gazette.example/ferry").text.splitlines()
    assert "Islanders who want a say can register for the consultation until Friday, the council said." in lines
    assert "The food bank, which lost its ferry grant, is appealing for help on its donation page." in lines
    assert not any("Gazette" in line or "Unterstütze" in line or "spenden" in line for line in lines)


def _story_paragraphs(count: int = 5) -> str:
    return "".join(
        f"<p>Paragraph {i}: the council voted on Tuesday to close the old bridge to lorries next month, after "
        "inspectors found cracks in two of its piers.</p>"
        for i in range(count)
    )


@pytest.mark.parametrize("attribute", ['shadowrootmode="open"', 'shadowrootmode="closed"', 'shadowroot="open"'])
def test_a_story_in_a_declarative_shadow_root_is_read_as_the_browser_shows_it(attribute):
    # A web component rendered on the server puts its markup in <template shadowrootmode>: browsers show it in place.
    html = f"""<html><head><title>Bridge to close to lorries</title></head><body>
    <nav><a href="/">Home</a> <a href="/news">News</a></nav>
    <news-story><template {attribute}><style>p {{ margin: 0 }}</style><article>
    <h1>Bridge to close to lorries</h1>{_story_paragraphs()}</article></template></news-story>
    <template id="card"><p>TEMPLATE-MARKER: an inert template is never shown.</p></template>
    <footer><p>Copyright 2026 Example Gazette</p></footer></body></html>"""
    text = parse_article(html, url="https://gazette.example/news/bridge").text
    assert "Paragraph 0: the council voted on Tuesday" in text
    assert "Paragraph 4:" in text
    assert "TEMPLATE-MARKER" not in text and "margin" not in text


def test_an_app_shell_s_menu_and_footer_are_not_read_as_its_text_run_together():
    # The story is built by scripts the scraper does not run; the walk of last resort read every word left on the
    # page as one line ("HomeNewsSportCopyright 2026 ..."), menu and footer included, and that outweighed the
    # little the text extractor found (the menu's words, a line each).
    html = """<html><head><title>Bridge to close to lorries</title></head><body>
    <nav><a href="/">Home</a><a href="/news">News</a><a href="/sport">Sport</a></nav><div id="app"></div>
    <footer><p>Copyright 2026 Example Gazette. All rights reserved.</p><a href="/privacy">Privacy</a></footer>
    </body></html>"""
    text = parse_article(html, url="https://gazette.example/news/bridge").text
    assert "HomeNews" not in text and "Copyright" not in text


def test_a_short_story_served_inside_noscript_is_read_not_dropped():
    # A brief of three paragraphs is a page too: only the <noscript> holding most of a page of 1,500 characters
    # or more was read, so a short story a script renders lost every word.
    html = f"""<html><head><title>Bridge to close to lorries</title></head><body>
    <nav><a href="/">Home</a><a href="/news">News</a></nav><div id="app"></div>
    <noscript><article><h1>Bridge to close to lorries</h1>{_story_paragraphs(3)}</article></noscript>
    <noscript><p>NOSCRIPT-MARKER: please enable JavaScript to read the comments.</p></noscript>
    <footer><p>Copyright 2026 Example Gazette</p></footer></body></html>"""
    text = parse_article(html, url="https://gazette.example/news/bridge").text
    assert "Paragraph 0: the council voted on Tuesday" in text
    assert "Paragraph 2:" in text
    assert "NOSCRIPT-MARKER" not in text


def test_joiners_and_direction_marks_in_the_text_are_kept_as_the_page_writes_them():
    # The text extractor drops every character it cannot print: Persian's zero-width non-joiner ("می‌خواهم" became
    # "میخواهم", another spelling), the joiner inside an emoji sequence or an Indic conjunct, and the marks that place
    # a number or a Latin name in right-to-left text, which the project keeps on purpose (see cleaning).
    persian = (
        "شورای شهر روز سه\u200cشنبه تصمیم گرفت پل قدیمی را به روی کامیون\u200cها ببندد، زیرا بازرسان در دو پایه"
        " آن ترک\u200cهایی پیدا کرده\u200cاند و تعمیرات از بهار آغاز می\u200cشود."
    )
    hebrew = "ראש העירייה אמר כי העבודות יעלו \u200f4.5\u200f מיליון שקלים, וכי הגשר ייסגר לשנה לפחות בגלל הסדקים."
    family = (
        "The council's notice ends with a family emoji, \U0001f468\u200d\U0001f469\u200d\U0001f467, for the school run."
    )
    html = f"""<html lang="fa" dir="rtl"><head><title>پل به روی کامیون\u200cها بسته می\u200cشود</title></head><body>
    <article><h1>پل به روی کامیون\u200cها بسته می\u200cشود</h1><p>{persian}</p><p>{hebrew}</p><p>{family}</p>
    <p>{persian}</p></article></body></html>"""
    lines = parse_article(html, url="https://gazette.example/fa/bridge").text.splitlines()
    assert persian in lines and hebrew in lines and family in lines


def test_a_page_that_writes_the_stand_in_symbols_keeps_them_as_written():
    # The marks go through the extractor as Tai Xuan Jing symbols; a page that writes one keeps its symbol.
    said = "The scholar wrote the symbol \U0001d300 beside the word sh\u200cow in her notes on the old book."
    html = f"<html><body><article><h1>Old book</h1><p>{said}</p>{_story_paragraphs()}</article></body></html>"
    text = parse_article(html, url="https://gazette.example/books").text
    assert "symbol \U0001d300 beside" in text  # not turned into a joiner on the way back


def test_a_page_in_noscript_beside_its_scripted_opening_is_read_once():
    # The scripts render the story's first paragraphs and load the rest; the <noscript> holds it all. Both were kept,
    # so the opening paragraphs came twice.
    paragraphs = [
        f"Paragraph {i}: the council voted on Tuesday to close the old bridge to lorries next month, after inspectors "
        "found cracks in two of its piers."
        for i in range(12)
    ]
    shown = "".join(f"<p>{p}</p>" for p in paragraphs[:2])
    served = "".join(f"<p>{p}</p>" for p in paragraphs)
    html = f"""<html><head><title>Bridge to close to lorries</title></head><body><article>
    <h1>Bridge to close to lorries</h1>{shown}<div class="more"></div><noscript>{served}</noscript></article>
    </body></html>"""
    text = parse_article(html, url="https://gazette.example/news/bridge").text
    assert all(text.count(p) == 1 for p in paragraphs)
