"""Titles: the headline without the outlet's name and what a site's template writes around it."""

import pytest

from scrapers.article import parse_article

BODY = "<p>The Westbury council agreed its budget on Thursday after a long debate about road repairs and libraries.</p>"


def title_of(title: str, site: str | None = "Westbury Post") -> str | None:
    """The headline read from a page whose only title is its <title>."""
    site_meta = f'<meta property="og:site_name" content="{site}">' if site else ""
    html = f"<html><head><title>{title}</title>{site_meta}</head><body>{BODY}</body></html>"
    return parse_article(html, url="https://westburypost.example/news/2026/budget").title


@pytest.mark.parametrize(
    "title,expected",
    [
        # A headline quoted in guillemets keeps its closing one: a quotation's mark, not a separator.
        ("«Council agrees budget» - Westbury Post", "«Council agrees budget»"),
        ("Mayor: «We agreed the budget» | Westbury Post", "Mayor: «We agreed the budget»"),
        ("«Вестбери» принял бюджет — Westbury Post", "«Вестбери» принял бюджет"),
        # Guillemets between parts, spaced or between two words, still separate them.
        ("Council agrees budget » Westbury Post", "Council agrees budget"),
        ("Council agrees budget»Westbury Post", "Council agrees budget"),
    ],
)
def test_a_headline_in_guillemets_keeps_them(title, expected):
    assert title_of(title) == expected


@pytest.mark.parametrize(
    "title,site,expected",
    [
        # The outlet's name between the headline and its tagline or place: both after it are the outlet's.
        ("Council agrees budget – Westbury Post – Local news from Westbury", "Westbury Post", "Council agrees budget"),
        ("Council agrees budget - Westbury Post - Westbury, UK", "Westbury Post", "Council agrees budget"),
        ("Council agrees budget - Westbury Post | Local news and sport", None, "Council agrees budget"),
        # A section's name alone before it is no headline: the parts stay as they are.
        (
            "Review - Westbury Post - Council agrees budget",
            "Westbury Post",
            "Review - Westbury Post - Council agrees budget",
        ),
    ],
)
def test_the_outlets_tagline_after_its_name_goes_with_it(title, site, expected):
    assert title_of(title, site) == expected


HEADLINE = "Harbour board delays vote on Westbury ferry terminal"
STORY = f"<p>{BODY}</p><p>The board's chair said the cost report would be published within a fortnight.</p>"
BLOG = "https://harbourletter.blogspot.com"


def blogger_contempo(title: str) -> str:
    """Blogger's Contempo layout on a post page without og:title: the blog's name in the banner's <h1>, a link to
    the blog's home page, the post's title in an <h3 class="post-title entry-title">, <title> "Blog: Post"."""
    return f"""<!DOCTYPE html><html dir="ltr" lang="en"><head><meta charset="UTF-8"><title>The Harbour Letter:
{title}</title><link href="{BLOG}/2026/12/ferry.html" rel="canonical"></head><body class="version-1-3-3">
<header class="centered-top-container" role="banner"><div class="centered-top"><div class="blog-name"><div
class="section" id="header"><div class="widget Header" id="Header1"><div class="header-widget"><h1><a
href="{BLOG}/">The Harbour Letter</a></h1><p>Notes from the Westbury waterfront</p></div></div></div></div></div>
</header><main class="centered-bottom" id="main" role="main"><div class="blog-posts hfeed container"><article
class="post-outer-container"><div class="post-outer"><div class="post"><a name="41"></a>
<h3 class="post-title entry-title">{title}</h3><div class="post-body entry-content float-container"
id="post-body-41" itemprop="description articleBody">{STORY}</div></div></div></article></div></main></body></html>"""


def blogger_classic(title: str) -> str:
    """Blogger's classic layouts (Simple, Minima): the Header widget's <h1 class="title"> linking home, the date
    header, and the post in "post hentry" with its <h3 class="post-title entry-title" itemprop="name">."""
    return f"""<html><head><title>The Harbour Letter: {title}</title></head><body><div class="header-outer"><div
class="section" id="header"><div class="widget Header" id="Header1"><div id="header-inner"><div
class="titlewrapper"><h1 class="title"><a href="{BLOG}/">The Harbour Letter</a></h1></div><div
class="descriptionwrapper"><p class="description"><span>Notes from the Westbury waterfront</span></p></div></div>
</div></div></div><div class="main-outer"><div class="blog-posts hfeed"><div class="date-outer"><h2
class="date-header"><span>Tuesday, 1 December 2026</span></h2><div class="date-posts"><div class="post-outer"><div
class="post hentry uncustomized-post-template" itemprop="blogPost" itemscope itemtype="http://schema.org/BlogPosting">
<a name="41"></a><h3 class="post-title entry-title" itemprop="name">{title}</h3><div class="post-header"></div><div
class="post-body entry-content" id="post-body-41" itemprop="description articleBody">{STORY}</div></div></div>
</div></div></div></div></body></html>"""


def tumblr(title: str) -> str:
    """A Tumblr theme's text post: the blog's name in the header's <h1> linking home, the post's title in an
    <h2> (hAtom's entry-title in many themes), <title> "Blog — Post"."""
    return f"""<html><head><title>The Harbour Letter — {title}</title></head><body><header id="header"><h1
class="blog-title"><a href="/">The Harbour Letter</a></h1><p class="description">Notes from the Westbury
waterfront</p></header><section id="posts"><article class="post text hentry"><h2 class="entry-title"><a
href="https://harbourletter.tumblr.com/post/41/ferry">{title}</a></h2><div class="entry-content">{STORY}</div>
</article></section></body></html>"""


def logo_heading(title: str) -> str:
    """A Japanese news site whose logo is an <h1> linking home on every page, the article's title an <h2>."""
    return f"""<html lang="ja"><head><title>{title}｜西部新聞</title></head><body><header class="site-header"><h1
class="logo"><a href="https://seibu.example/">西部新聞</a></h1></header><main><article><h2
class="article-title">{title}</h2>{STORY}</article></main></body></html>"""


@pytest.mark.parametrize(
    "template,url,title",
    [
        (blogger_contempo, f"{BLOG}/2026/12/ferry.html", HEADLINE),
        (blogger_classic, f"{BLOG}/2026/12/ferry.html", HEADLINE),
        (tumblr, "https://harbourletter.tumblr.com/post/41/ferry", HEADLINE),
        (logo_heading, "https://seibu.example/articles/41", "港湾委員会、フェリーターミナルの採決を延期"),
    ],
)
def test_a_heading_linking_home_is_the_sites_name_not_the_headline(template, url, title):
    assert parse_article(template(title), url=url).title == title


@pytest.mark.parametrize(
    "title,expected",
    [
        # Breadcrumbs' order: the outlet, its section, then the headline; the section goes with the outlet.
        ("Westbury Post | Local News | Council agrees budget", "Council agrees budget"),
        ("Westbury Post - Politics - Council agrees budget after debate", "Council agrees budget after debate"),
    ],
)
def test_the_section_after_the_outlets_name_goes_with_it(title, expected):
    assert title_of(title) == expected


@pytest.mark.parametrize(
    "title,expected",
    [
        # The outlet's name, then a headline with a colon of its own: the words before that colon are the headline's.
        ("Westbury Post | Mayor: «We agreed the budget»", "Mayor: «We agreed the budget»"),
        ("Westbury Post - Budget: council agrees", "Budget: council agrees"),
        # The outlet's name before a colon is still the outlet's.
        ("Westbury Post: Council agrees budget", "Council agrees budget"),
    ],
)
def test_a_headline_after_the_outlet_keeps_the_words_before_its_colon(title, expected):
    assert title_of(title) == expected


@pytest.mark.parametrize(
    "heading",
    [
        '<span class="line">Harbour board delays vote</span><span class="line">on Westbury ferry terminal</span>',
        '<div class="headline__line">Harbour board delays vote</div><div class="headline__line">on Westbury ferry'
        " terminal</div>",
        "Harbour board delays vote<br>on Westbury ferry terminal",
    ],
)
def test_a_headline_set_in_lines_reads_with_a_space_between_them(heading):
    html = f"""<html><head><title>{HEADLINE} | Westbury Post</title><meta property="og:title" content="{HEADLINE}">
</head><body><article><h1 class="headline">{heading}</h1>{STORY}</article></body></html>"""
    assert parse_article(html, url="https://westburypost.example/news/ferry").title == HEADLINE


@pytest.mark.parametrize(
    "title,expected",
    [
        ("港湾委員会、フェリーターミナルの採決を延期｜西部新聞", "港湾委員会、フェリーターミナルの採決を延期"),
        ("港湾委員会、採決を延期｜地域｜西部新聞", "港湾委員会、採決を延期"),
        ("Council agrees budget | Local | Harbour Letter", "Council agrees budget"),
        # In breadcrumbs' order the first part is too short for a headline: the first part that is not is.
        ("Harbour Letter | Local | Council agrees budget", "Council agrees budget"),
        ("西部新聞｜地域｜港湾委員会、採決を延期", "港湾委員会、採決を延期"),
    ],
)
def test_a_title_naming_no_known_outlet_is_cut_at_its_bars(title, expected):
    assert title_of(title, site=None) == expected


def blog_name_unlinked(title: str, og: bool) -> str:
    """A Blogger theme whose banner heading is the blog's name without a link home (as on its home page, and in
    themes that link the logo beside it), and a post page whose <title> is "Blog: Post"."""
    og_title = f'<meta property="og:title" content="The Harbour Letter: {title}">' if og else ""
    return f"""<html><head><title>The Harbour Letter: {title}</title>{og_title}</head><body><div id="header-inner">
<a href="/" class="logo"><img src="/logo.png" alt=""></a><h1 class="title">The Harbour Letter</h1></div><div
class="blog-posts hfeed"><div class="post hentry" itemprop="blogPost"><h3 class="post-title entry-title"
itemprop="name">{title}</h3><div class="post-body entry-content">{STORY}</div></div></div></body></html>"""


@pytest.mark.parametrize("og", [False, True])
def test_of_two_headings_a_title_holds_the_one_marked_as_the_entrys_title_is_the_headline(og):
    html = blog_name_unlinked(HEADLINE, og)
    assert parse_article(html, url="https://notes.example/2026/12/ferry.html").title == HEADLINE


def test_of_two_headings_a_title_holds_the_one_it_names_whole_is_the_headline():
    """A story package's name in an <h1> over each of its stories: the title holds it, and the story's headline."""
    html = f"""<html><head><title>{HEADLINE} | Westbury Post</title></head><body><div class="package-header"><h1
class="package-name"><a href="/topics/ferry-terminal">Westbury ferry terminal</a></h1></div><article><h1>{HEADLINE}
</h1>{STORY}</article></body></html>"""
    assert parse_article(html, url="https://westburypost.example/news/ferry").title == HEADLINE


@pytest.mark.parametrize(
    "title,site,expected",
    [
        # Substack's and Medium's <title>: the author's byline after the headline is no part of it.
        ("Council agrees budget - by Mara Quill", None, "Council agrees budget"),
        ("Council agrees budget | by Mara Quill | Westbury Post | Medium", "Medium", "Council agrees budget"),
        ("Council agrees budget - by Jean-Luc Ferry and Mara Quill", None, "Council agrees budget"),
        # "by" inside a headline's own words stays.
        (
            "Budget passed by council after long debate - Westbury Post",
            "Westbury Post",
            "Budget passed by council after long debate",
        ),
        ("Stand by me - a ferry song | Westbury Post", "Westbury Post", "Stand by me - a ferry song"),
    ],
)
def test_the_authors_byline_in_a_title_is_no_part_of_the_headline(title, site, expected):
    assert title_of(title, site) == expected


def headline_of(head: str, heading: str = "", url: str = "https://westburypost.example/news/ferry") -> str | None:
    """The headline read from a page with these head tags and this heading over the story."""
    html = f"<html><head>{head}</head><body><article>{heading}{STORY}</article></body></html>"
    return parse_article(html, url=url).title


JAPANESE = "港湾委員会、フェリーターミナルの採決を延期"
CHINESE = "港务局：暂缓表决渡轮码头方案"


@pytest.mark.parametrize(
    "head,heading,expected",
    [
        # Yoast SEO: og:title and <title> with the site's name appended, og:site_name and JSON-LD's WebSite name.
        (
            f'<title>{HEADLINE} - Westbury Post</title><meta property="og:title" content="{HEADLINE} - Westbury'
            ' Post"><meta property="og:site_name" content="Westbury Post">',
            "",
            HEADLINE,
        ),
        (
            f'<title>{HEADLINE} - Westbury Post - Local news</title><meta property="og:title" content="{HEADLINE}'
            ' - Westbury Post">'
            '<script type="application/ld+json">{"@graph": [{"@type": "WebSite", "name": "Westbury Post"}]}</script>',
            f'<h1 class="entry-title">{HEADLINE}</h1>',
            HEADLINE,
        ),
        # Kickers: one written into the heading stays when the titles keep it too, as the page shows it; a label
        # the structured title leaves out, or one in an element of its own, is not the headline's.
        (
            f'<meta property="og:title" content="EXCLUSIVE: {HEADLINE}">',
            f"<h1>EXCLUSIVE: {HEADLINE}</h1>",
            f"EXCLUSIVE: {HEADLINE}",
        ),
        (f'<meta property="og:title" content="{HEADLINE}">', f"<h1>EXCLUSIVE: {HEADLINE}</h1>", HEADLINE),
        (
            f'<meta property="og:title" content="{HEADLINE}">',
            f'<h1><span class="live-badge">Live</span>{HEADLINE}</h1>',
            HEADLINE,
        ),
        (f'<meta property="og:title" content="{HEADLINE}">', f"<h1>Opinion | {HEADLINE}</h1>", HEADLINE),
        (
            f'<title>Opinion | {HEADLINE} - Westbury Post</title><meta property="og:title" content="Opinion |'
            f' {HEADLINE}">',
            f"<h1>{HEADLINE}</h1>",
            HEADLINE,
        ),
        # Emoji and a trailing "(VIDEO)" are the headline's own.
        (f'<meta property="og:title" content="🚢 {HEADLINE}">', f"<h1>🚢 {HEADLINE}</h1>", f"🚢 {HEADLINE}"),
        (f"<title>{HEADLINE} 🚢 | Westbury Post</title>", "", f"{HEADLINE} 🚢"),
        (f"<title>{HEADLINE} (VIDEO) | Westbury Post</title>", "", f"{HEADLINE} (VIDEO)"),
        (f"<title>{HEADLINE} [VIDEO] - Westbury Post</title>", "", f"{HEADLINE} [VIDEO]"),
        # Full-width separators: the bar and colon between the headline and the site, a colon inside the headline.
        (f'<title>{JAPANESE}｜西部新聞</title><meta property="og:site_name" content="西部新聞">', "", JAPANESE),
        (f'<meta property="og:title" content="{JAPANESE}：西部新聞">', f"<h1>{JAPANESE}</h1>", JAPANESE),
        (f"<title>{CHINESE}_西部日报</title>", f"<h1>{CHINESE}</h1>", CHINESE),
        (f'<title>{CHINESE}｜西部日报</title><meta property="og:site_name" content="西部日报">', "", CHINESE),
        (
            '<title>西部日报｜港务局暂缓表决渡轮码头方案</title><meta property="og:site_name" content="西部日报">',
            "",
            "港务局暂缓表决渡轮码头方案",
        ),
    ],
)
def test_headlines_as_publishing_systems_write_them(head, heading, expected):
    assert headline_of(head, heading) == expected


@pytest.mark.parametrize(
    "head,heading,expected",
    [
        # Yahoo! News Japan: "Headline（Outlet） - Yahoo!ニュース" holds the page's headline, one run of characters.
        (
            f'<meta property="og:title" content="{JAPANESE}（西部新聞） - Yahoo!ニュース">',
            f"<h1>{JAPANESE}</h1>",
            JAPANESE,
        ),
        (
            "<title>港务局暂缓表决渡轮码头方案（图） - 西部网</title>",
            "<h1>港务局暂缓表决渡轮码头方案</h1>",
            "港务局暂缓表决渡轮码头方案",
        ),
    ],
)
def test_a_title_holding_a_headline_written_without_spaces_confirms_it(head, heading, expected):
    assert headline_of(head, heading, url="https://news.example.jp/articles/41") == expected


@pytest.mark.parametrize(
    "title,expected",
    [
        (f"{JAPANESE}（西部新聞）", JAPANESE),
        (f"【速報】{JAPANESE}（西部新聞）", f"【速報】{JAPANESE}"),
        # A parenthesis of the headline's own stays.
        ("港湾委員会、採決を延期（動画）｜西部新聞", "港湾委員会、採決を延期（動画）"),
    ],
)
def test_the_outlets_name_in_full_width_parentheses_after_the_headline_goes(title, expected):
    head = f'<title>{title}</title><meta property="og:site_name" content="西部新聞">'
    assert headline_of(head, url="https://seibu.example/articles/41") == expected


def test_a_heading_linking_home_named_home_names_no_site():
    """A menu's "Home" heading linking to the home page is no outlet's name: a headline containing the word stays."""
    html = f"""<html><head><title>Homecoming – Westbury Post</title></head><body><nav><h3><a href="/">Home</a></h3>
</nav>{STORY}</body></html>"""
    assert parse_article(html, url="https://westburypost.example/news/homecoming").title == "Homecoming"


def test_a_shorter_heading_marked_as_a_title_does_not_outrank_the_headline_a_title_holds():
    """A related story's entry-title the title happens to hold is no headline over the <h1> holding more of it."""
    html = f"""<html><head><meta property="og:title" content="LIVE: Council agrees budget after long debate"></head>
<body><article><h1>Council agrees budget after long debate</h1>{STORY}</article><aside class="related"><article
class="post hentry"><h3 class="entry-title"><a href="/news/budget-explained">Council agrees budget</a></h3></article>
</aside></body></html>"""
    title = parse_article(html, url="https://westburypost.example/news/budget").title
    assert title == "Council agrees budget after long debate"
