"""Article pages in the real markup of publishing systems' templates: the story's text and none of the furniture.

Each page below follows one public template's structure and class names (cited beside it), with a story of our
own and the furniture news pages carry around it: a pull quote, an embedded post, a picture with its caption,
other stories, a newsletter sign-up, share buttons, the author's bio, tags, readers' comments, a "read more"
list and a cookie banner. The story's paragraphs and subheadings must come out in order, each on its line, and
none of the furniture; the headline, byline and date where the template gives them. Captions, the pull quote and
the embedded post are left unasserted: whether they are the story's words is a choice pages make both ways.
"""

import pytest

from scrapers.article import parse_article

TITLE = "Harbour board delays vote on Westbury ferry terminal"
AUTHOR = "Mara Quill"
DATE = "2026-12-01"
URL = "https://westburycourier.example/news/2026/12/01/harbour-board-delays-ferry-terminal-vote/"
STANDFIRST = "Two members said they had not seen the final cost report for the new terminal on the north quay."
STORY = (
    "The Westbury harbour board put off a vote on the new ferry terminal on Tuesday evening, after two members "
    "said they had not seen the final cost report.",
    "The terminal, planned for the north quay since 2023, would replace a ticket hall that floods several times "
    "each winter, according to the board's own survey of the building.",
    "Questions over the cost",
    "Board member Alys Penrose said the estimate had risen by a third since the spring, and that the public "
    "deserved to see why before any money was committed to the project.",
    "\u201cWe are not against the terminal, we are against signing a cheque we have not read,\u201d she told the "
    "meeting, which ran for almost four hours in the old customs house.",
    "What happens next",
    "The chair, Tomasz Wren, said the report would be published within a fortnight and a special meeting called "
    "to vote on it before the end of January.",
    "Ferry operators have warned that any further delay could cost them the summer timetable, which must be filed "
    "with the port authority by the middle of March.",
)
P1, P2, H1, P3, P4, H2, P5, P6 = STORY
PULL_QUOTE = "We are against signing a cheque we have not read."
TWEET = "Long night at the harbour board. Vote on the ferry terminal pushed back to January. More soon."
CAPTION = "The north quay ticket hall after the floods of last February."
# Words of the furniture: none may reach the text.
RELATED = ("Council approves new bus lanes on the coast road", "Lifeboat crew honoured for a winter rescue")
READ_MORE = ("Storm closes the coast road for a second night", "Schools reopen after heating repairs")
NEWSLETTER = "Get the Westbury Morning Brief in your inbox every weekday"
BIO = "Mara Quill covers transport and the harbour for the Westbury Courier. She previously reported from Cardiff."
COMMENT = "I have used that ticket hall for years and it is a disgrace every single winter."
COOKIES = "We use cookies to improve your experience. By continuing to browse you agree to our use of cookies."
FURNITURE = (
    *RELATED,
    *READ_MORE,
    NEWSLETTER,
    BIO,
    COMMENT,
    COOKIES,
    "Share on Facebook",
    "Share on X",
    "Copy link",
    "Accept all",
    "Skip to content",
    "Leave a Reply",
    "Ferry politics",
    "Local government",
    "Subscribe",
    "Sign up",
    "Home",
)

COOKIE_BANNER = f"""<div id="cookie-notice" role="dialog" class="cookie-notice-container">
<span id="cn-notice-text" class="cn-text-container">{COOKIES}</span>
<span id="cn-notice-buttons" class="cn-buttons-container"><a href="#" id="cn-accept-cookie" class="cn-set-cookie
cn-button">Accept all</a></span></div>"""
TWEET_EMBED = f"""<blockquote class="twitter-tweet"><p lang="en" dir="ltr">{TWEET}</p>&mdash; Westbury Courier
(@westburycourier) <a href="https://twitter.com/westburycourier/status/1">December 1, 2026</a></blockquote>
<script async src="https://platform.twitter.com/widgets.js" charset="utf-8"></script>"""


def paragraphs(*texts: str) -> str:
    return "\n".join(f"<p>{t}</p>" for t in texts)


def twentytwentyfour() -> str:
    """WordPress's Twenty Twenty-Four block theme (WordPress/twentytwentyfour, templates/single.html, the
    post-meta and comments patterns), with core blocks in the post and Jetpack's sharing and related posts."""
    return f"""<!DOCTYPE html><html lang="en-GB"><head><meta charset="UTF-8"><title>{TITLE} &#8211; Westbury
Courier</title><link rel="canonical" href="{URL}"></head>
<body class="post-template-default single single-post postid-41 single-format-standard wp-embed-responsive">
<div class="wp-site-blocks"><a class="skip-link screen-reader-text" href="#wp--skip-link--target">Skip to content</a>
<header class="wp-block-template-part"><div class="wp-block-group alignwide"><p class="wp-block-site-title"><a
href="/" rel="home">Westbury Courier</a></p><nav class="is-responsive wp-block-navigation" aria-label="Header
navigation"><ul class="wp-block-navigation__container"><li class="wp-block-navigation-item"><a
class="wp-block-navigation-item__content" href="/"><span class="wp-block-navigation-item__label">Home</span></a></li>
<li class="wp-block-navigation-item"><a class="wp-block-navigation-item__content" href="/news/"><span
class="wp-block-navigation-item__label">News</span></a></li></ul></nav></div></header>
<div class="wp-block-group" style="padding-top:var(--wp--preset--spacing--50)">
<figure class="wp-block-post-featured-image"><img src="/quay.jpg" alt="" class="wp-post-image"></figure>
<div class="wp-block-group"><div class="wp-block-group"><h1 class="has-x-large-font-size wp-block-post-title">{TITLE}
</h1></div>
<div class="wp-block-template-part"><div class="wp-block-group"><div class="wp-block-group"><div
class="wp-block-post-date"><time datetime="{DATE}T18:40:00+00:00"><a href="{URL}">December 1, 2026</a></time></div>
<p class="has-contrast-2-color has-text-color">by</p><div class="wp-block-post-author-name"><a
href="/author/mquill/" class="wp-block-post-author-name__link">{AUTHOR}</a></div>
<p class="has-contrast-2-color has-text-color">in</p><div class="taxonomy-category wp-block-post-terms"><a
href="/category/news/" rel="tag">News</a></div></div></div></div></div></div>
<main class="wp-block-group alignfull" id="wp--skip-link--target">
<div class="entry-content alignfull wp-block-post-content has-global-padding is-layout-constrained">
{paragraphs(P1, P2)}
<h2 class="wp-block-heading">{H1}</h2>
{paragraphs(P3)}
<figure class="wp-block-pullquote"><blockquote><p>{PULL_QUOTE}</p><cite>Alys Penrose</cite></blockquote></figure>
{paragraphs(P4)}
<figure class="wp-block-embed is-type-rich is-provider-twitter wp-block-embed-twitter"><div
class="wp-block-embed__wrapper">{TWEET_EMBED}</div></figure>
<h2 class="wp-block-heading">{H2}</h2>
<figure class="wp-block-image size-large"><img src="/hall.jpg" alt=""><figcaption class="wp-element-caption">{CAPTION}
</figcaption></figure>
{paragraphs(P5, P6)}
<div class="wp-block-jetpack-subscriptions__container"><div class="wp-block-jetpack-subscriptions"><p>{NEWSLETTER}
</p><form action="#" method="post"><p><input type="email" name="email" placeholder="Type your email…"></p><p><button
type="submit" class="wp-block-button__link">Subscribe</button></p></form></div></div>
<div class="sharedaddy sd-sharing-enabled"><div class="robots-nocontent sd-block sd-social sd-social-icon-text
sd-sharing"><h3 class="sd-title">Share this:</h3><div class="sd-content"><ul><li class="share-facebook"><a
class="share-facebook sd-button share-icon" href="{URL}?share=facebook"><span>Share on Facebook</span></a></li><li
class="share-twitter"><a class="share-twitter sd-button share-icon" href="{URL}?share=twitter"><span>Share on
X</span></a></li></ul></div></div></div>
<div id="jp-relatedposts" class="jp-relatedposts"><h3 class="jp-relatedposts-headline"><em>Related</em></h3><div
class="jp-relatedposts-items jp-relatedposts-items-visual"><div class="jp-relatedposts-post"><h4
class="jp-relatedposts-post-title"><a href="/news/bus-lanes/">{RELATED[0]}</a></h4></div><div
class="jp-relatedposts-post"><h4 class="jp-relatedposts-post-title"><a href="/news/lifeboat/">{RELATED[1]}</a>
</h4></div></div></div>
</div></main>
<div class="wp-block-group" style="padding-bottom:var(--wp--preset--spacing--50)">
<div class="taxonomy-post_tag wp-block-post-terms"><a href="/tag/ferries/" rel="tag">Ferry politics</a><span
class="wp-block-post-terms__separator">  </span><a href="/tag/council/" rel="tag">Local government</a></div>
<div class="wp-block-group"><div style="height:var(--wp--preset--spacing--40)" aria-hidden="true"
class="wp-block-spacer"></div>
<div class="wp-block-comments"><h2 class="wp-block-heading">Comments</h2>
<ol class="wp-block-comment-template"><li id="comment-7" class="comment even thread-even depth-1"><div
class="wp-block-group"><div class="wp-block-comment-author-name"><a href="#">Pat Hollis</a></div><div
class="wp-block-comment-date"><time datetime="2026-12-02T08:00:00+00:00">December 2, 2026</time></div><div
class="wp-block-comment-content"><p>{COMMENT}</p></div><div class="wp-block-comment-reply-link"><a
class="comment-reply-link" href="#respond">Reply</a></div></div></li></ol>
<div id="respond" class="comment-respond wp-block-post-comments-form"><h3 id="reply-title"
class="comment-reply-title">Leave a Reply</h3><form action="/wp-comments-post.php" method="post" id="commentform"
class="comment-form"><p class="comment-notes">Your email address will not be published.</p><p
class="comment-form-comment"><label for="comment">Comment</label><textarea id="comment" name="comment"></textarea></p>
<p class="form-submit wp-block-button"><input name="submit" type="submit" class="wp-block-button__link"
value="Post Comment"></p></form></div></div>
<div class="wp-block-group"><div class="post-navigation-link-previous wp-block-post-navigation-link"><span
class="wp-block-post-navigation-link__arrow-previous">←</span><a href="/news/storm/" rel="prev">{READ_MORE[0]}</a>
</div><div class="post-navigation-link-next wp-block-post-navigation-link"><a href="/news/schools/"
rel="next">Next: {READ_MORE[1]}</a></div></div></div></div>
<footer class="wp-block-template-part"><div class="wp-block-group"><p class="has-small-font-size">Designed with
WordPress</p></div></footer></div>
{COOKIE_BANNER}
</body></html>"""


def newspack() -> str:
    """Newspack's classic theme (Automattic/newspack-theme: single.php, template-parts/header/entry-header.php,
    template-parts/content/content-single.php, the author bio), with Newspack's newsletter and post blocks."""
    return f"""<!DOCTYPE html><html lang="en-US"><head><meta charset="UTF-8"><title>{TITLE} - Westbury Courier
</title><meta property="og:title" content="{TITLE}"><meta property="article:published_time"
content="{DATE}T18:40:00+00:00"></head>
<body class="post-template-default single single-post single-featured-image-default has-sidebar">
<div id="page" class="site"><a class="skip-link screen-reader-text" href="#main">Skip to content</a>
<header id="masthead" class="site-header hide-header-search"><div class="middle-header-contain"><div
class="wrapper"><div class="site-branding"><p class="site-title"><a href="/" rel="home">Westbury Courier</a></p>
</div><nav class="main-navigation nav1" aria-label="Top Menu"><ul id="menu-primary" class="main-menu"><li><a
href="/">Home</a></li><li><a href="/news/">News</a></li></ul></nav></div></div></header>
<div id="content" class="site-content">
<section id="primary" class="content-area category-news">
<main id="main" class="site-main">
<header class="entry-header">
<span class="cat-links"><span class="screen-reader-text">Posted in</span><a href="/category/news/"
rel="category tag">News</a></span>
<h1 class="entry-title entry-title--with-subtitle">{TITLE}</h1>
<div class="newspack-post-subtitle">{STANDFIRST}</div>
<div class="entry-subhead"><div class="entry-meta"><span class="author-avatar"><img alt="" src="/a.jpg"
class="avatar"></span><span class="byline"><span>by</span> <span class="author vcard"><a class="url fn n"
href="/author/mquill/">{AUTHOR}</a></span></span><span class="posted-on"><time class="entry-date published"
datetime="{DATE}T18:40:00+00:00">December 1, 2026</time><time class="updated"
datetime="2026-12-02T09:00:00+00:00">December 2, 2026</time></span></div><!-- .meta-info -->
<div class="sharedaddy sd-sharing-enabled"><div class="robots-nocontent sd-block sd-social sd-social-icon
sd-sharing"><div class="sd-content"><ul><li class="share-facebook"><a class="share-facebook sd-button share-icon
no-text" href="{URL}?share=facebook" title="Click to share on Facebook"><span>Share on Facebook</span></a></li>
<li class="share-twitter"><a class="share-twitter sd-button share-icon no-text" href="{URL}?share=twitter"><span>Share
on X</span></a></li></ul></div></div></div></div>
</header>
<div class="main-content">
<figure class="post-thumbnail"><img src="/quay.jpg" class="attachment-newspack-featured-image wp-post-image"
alt=""><figcaption><span class="image-caption">{CAPTION}</span></figcaption></figure>
<article id="post-41" class="post-41 post type-post status-publish format-standard has-post-thumbnail
category-news tag-ferries entry">
<div class="entry-content">
{paragraphs(P1, P2)}
<h2 class="wp-block-heading">{H1}</h2>
{paragraphs(P3)}
<div class="wp-block-newspack-newsletters-subscribe newspack-newsletters-subscribe" data-success-message="Thank
you!"><form><div class="newspack-newsletters-email-input"><input type="email" name="npe"
placeholder="Email address"><input type="submit" value="Sign up"></div></form><p>{NEWSLETTER}</p></div>
{paragraphs(P4)}
<figure class="wp-block-pullquote"><blockquote><p>{PULL_QUOTE}</p><cite>Alys Penrose</cite></blockquote></figure>
<h2 class="wp-block-heading">{H2}</h2>
{paragraphs(P5)}
<div class="wp-block-newspack-blocks-homepage-articles wpnbha show-image image-alignleft"><div
data-posts="" data-current-post-id="41"><article data-post-id="40" class="tag-transport category-news
post-has-image"><figure class="post-thumbnail"><a href="/news/bus-lanes/"><img src="/bus.jpg" alt=""></a></figure>
<div class="entry-wrapper"><h3 class="entry-title"><a href="/news/bus-lanes/" rel="bookmark">{RELATED[0]}</a></h3>
</div></article><article data-post-id="39" class="category-news"><div class="entry-wrapper"><h3
class="entry-title"><a href="/news/lifeboat/" rel="bookmark">{RELATED[1]}</a></h3></div></article></div></div>
{paragraphs(P6)}
</div><!-- .entry-content -->
<footer class="entry-footer"><span class="tags-links"><span>Tagged:</span> <a href="/tag/ferries/" rel="tag">Ferry
politics</a>, <a href="/tag/council/" rel="tag">Local government</a></span></footer>
<div class="author-bio"><img alt="" src="/a.jpg" class="avatar"><div class="author-bio-text"><div
class="author-bio-header"><div><h2 class="accent-header">{AUTHOR}</h2><div class="author-meta"><a class="author-email"
href="mailto:mara@westburycourier.example">mara@westburycourier.example</a></div></div></div><p>{BIO} <a
class="author-link" href="/author/mquill/">More by {AUTHOR}</a></p></div></div>
</article>
<nav class="navigation post-navigation" aria-label="Posts"><h2 class="screen-reader-text">Post navigation</h2><div
class="nav-links"><div class="nav-previous"><a href="/news/storm/" rel="prev"><span class="meta-nav">Previous</span>
<span class="post-title">{READ_MORE[0]}</span></a></div><div class="nav-next"><a href="/news/schools/"
rel="next"><span class="meta-nav">Next</span> <span class="post-title">{READ_MORE[1]}</span></a></div></div></nav>
<div id="comments" class="comments-area"><h3 class="comments-title">Join the Conversation</h3><ol
class="comment-list"><li id="comment-7" class="comment even thread-even depth-1"><article id="div-comment-7"
class="comment-body"><footer class="comment-meta"><div class="comment-author vcard"><b class="fn">Pat Hollis</b>
</div></footer><div class="comment-content"><p>{COMMENT}</p></div></article></li></ol><div id="respond"
class="comment-respond"><h3 id="reply-title" class="comment-reply-title">Leave a Reply</h3><form
id="commentform" class="comment-form"><textarea name="comment"></textarea></form></div></div>
</div><!-- .main-content -->
<aside id="secondary" class="widget-area"><section class="widget widget_recent_entries"><h2
class="widget-title">Recent Posts</h2><ul><li><a href="/news/storm/">{READ_MORE[0]}</a></li><li><a
href="/news/schools/">{READ_MORE[1]}</a></li></ul></section></aside>
</main></section></div>
<footer id="colophon" class="site-footer"><div class="site-info"><div class="wrapper site-info-contain"><span
class="copyright">&copy; 2026 Westbury Courier.</span></div></div></footer></div>
{COOKIE_BANNER}</body></html>"""


def generatepress() -> str:
    """GeneratePress (tomusborne/generatepress: content-single.php, inc/structure/post-meta.php and comments),
    with a recent-posts widget in its right sidebar."""
    return f"""<!DOCTYPE html><html lang="en-GB"><head><meta charset="UTF-8"><title>{TITLE} &#8211; Westbury
Courier</title></head>
<body class="post-template-default single single-post right-sidebar nav-float-right separate-containers"
itemtype="https://schema.org/Blog" itemscope>
<a class="screen-reader-text skip-link" href="#content" title="Skip to content">Skip to content</a>
<header class="site-header has-inline-mobile-toggle" id="masthead" itemtype="https://schema.org/WPHeader"
itemscope><div class="inside-header grid-container"><div class="site-branding"><p class="main-title"
itemprop="headline"><a href="/" rel="home">Westbury Courier</a></p></div><nav class="main-navigation sub-menu-right"
id="site-navigation" itemtype="https://schema.org/SiteNavigationElement" itemscope><div class="inside-navigation
grid-container"><div id="primary-menu" class="main-nav"><ul id="menu-main" class="menu sf-menu"><li
class="menu-item"><a href="/">Home</a></li><li class="menu-item"><a href="/news/">News</a></li></ul></div></div></nav>
</div></header>
<div class="site grid-container container hfeed" id="page"><div class="site-content" id="content">
<div class="content-area" id="primary"><main class="site-main" id="main">
<article id="post-41" class="post-41 post type-post status-publish format-standard hentry category-news"
itemtype="https://schema.org/CreativeWork" itemscope>
<div class="inside-article">
<header class="entry-header"><h1 class="entry-title" itemprop="headline">{TITLE}</h1>
<div class="entry-meta"><span class="posted-on"><time class="entry-date published" datetime="{DATE}T18:40:00+00:00"
itemprop="datePublished">December 1, 2026</time></span> <span class="byline">by <span class="author vcard"
itemprop="author" itemtype="https://schema.org/Person" itemscope><a class="url fn n" href="/author/mquill/"
title="View all posts by {AUTHOR}" rel="author" itemprop="url"><span class="author-name"
itemprop="name">{AUTHOR}</span></a></span></span></div></header>
<div class="featured-image page-header-image-single"><img src="/quay.jpg" class="attachment-full wp-post-image"
alt="" itemprop="image"></div>
<div class="entry-content" itemprop="text">
{paragraphs(P1, P2)}
<h2 class="wp-block-heading">{H1}</h2>
{paragraphs(P3, P4)}
<blockquote class="wp-block-quote"><p>{PULL_QUOTE}</p><cite>Alys Penrose</cite></blockquote>
<figure class="wp-block-image size-full"><img src="/hall.jpg" alt=""><figcaption class="wp-element-caption">{CAPTION}
</figcaption></figure>
<h2 class="wp-block-heading">{H2}</h2>
{paragraphs(P5, P6)}
<p><strong>Read more:</strong></p>
<ul class="wp-block-list"><li><a href="/news/storm/">{READ_MORE[0]}</a></li><li><a
href="/news/schools/">{READ_MORE[1]}</a></li></ul>
</div>
<footer class="entry-meta" aria-label="Entry meta"><span class="cat-links"><span class="screen-reader-text">Categories
</span><a href="/category/news/" rel="category tag">News</a></span> <span class="tags-links"><span
class="screen-reader-text">Tags </span><a href="/tag/ferries/" rel="tag">Ferry politics</a>, <a href="/tag/council/"
rel="tag">Local government</a></span>
<nav id="nav-below" class="post-navigation" aria-label="Posts"><div class="nav-previous"><span class="prev"><a
href="/news/bus-lanes/" rel="prev">{RELATED[0]}</a></span></div><div class="nav-next"><span class="next"><a
href="/news/lifeboat/" rel="next">{RELATED[1]}</a></span></div></nav></footer>
</div></article>
<div class="comments-area"><div id="comments"><h3 class="comments-title">One thought on &ldquo;{TITLE}&rdquo;</h3>
<ol class="comment-list"><li id="comment-7" class="comment even thread-even depth-1"><article class="comment-body"
id="div-comment-7" itemtype="https://schema.org/Comment" itemscope><footer class="comment-meta"><div
class="comment-author-info"><div class="comment-author vcard" itemprop="author"><cite itemprop="name"
class="fn">Pat Hollis</cite></div></div></footer><div class="comment-content" itemprop="text"><p>{COMMENT}</p></div>
</article></li></ol>
<div id="respond" class="comment-respond"><h3 id="reply-title" class="comment-reply-title">Leave a Reply</h3><form
id="commentform" class="comment-form"><p class="comment-form-comment"><label for="comment"
class="screen-reader-text">Comment</label><textarea id="comment" name="comment"></textarea></p></form></div></div>
</div></main></div>
<div class="widget-area sidebar is-right-sidebar" id="right-sidebar"><div class="inside-right-sidebar"><aside
id="mc4wp_form_widget-2" class="widget inner-padding widget_mc4wp_form_widget"><h2 class="widget-title">Newsletter</h2>
<form id="mc4wp-form-1" class="mc4wp-form mc4wp-form-7" method="post"><div class="mc4wp-form-fields"><p>{NEWSLETTER}
</p><p><input type="email" name="EMAIL" placeholder="Your email address" required><input type="submit" value="Sign
up"></p></div></form></aside></div></div>
</div></div>
<div class="site-footer"><footer class="site-info" aria-label="Site" itemtype="https://schema.org/WPFooter"
itemscope><div class="inside-site-info grid-container"><div class="copyright-bar">&copy; 2026 Westbury Courier &bull;
Built with GeneratePress</div></div></footer></div>
{COOKIE_BANNER}</body></html>"""


def ghost_source() -> str:
    """Ghost's Source theme (post.hbs: gh-article, gh-content, the "Read more" feed of post cards) with Koenig
    cards in the post (kg-image-card, kg-embed-card, kg-signup-card) and Ghost's comments and portal."""
    return f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{TITLE}</title>
<meta property="og:type" content="article"><meta property="article:published_time"
content="{DATE}T18:40:00.000Z"></head>
<body class="post-template tag-news has-sans-title has-sans-body"><div class="gh-viewport">
<header id="gh-navigation" class="gh-navigation is-left-logo gh-outer"><div class="gh-navigation-inner gh-inner"><div
class="gh-navigation-brand"><a class="gh-navigation-logo is-title" href="/">Westbury Courier</a></div><nav
class="gh-navigation-menu"><ul class="nav"><li class="nav-home nav-current"><a href="/">Home</a></li><li
class="nav-news"><a href="/tag/news/">News</a></li></ul></nav><div class="gh-navigation-actions"><div
class="gh-navigation-members"><a href="#/portal/signin" data-portal="signin">Sign in</a> <a class="gh-button"
href="#/portal/signup" data-portal="signup">Subscribe</a></div></div></div></header>
<main class="gh-main">
<article class="gh-article post tag-news">
<header class="gh-article-header gh-canvas">
<a class="gh-article-tag" href="/tag/news/">News</a>
<h1 class="gh-article-title is-title">{TITLE}</h1>
<p class="gh-article-excerpt is-body">{STANDFIRST}</p>
<div class="gh-article-meta"><div class="gh-article-author-image instapaper_ignore"><a href="/author/mara/"><img
class="author-profile-image" src="/a.jpg" alt="{AUTHOR}"></a></div><div class="gh-article-meta-wrapper"><h4
class="gh-article-author-name"><a href="/author/mara/">{AUTHOR}</a></h4><div class="gh-article-meta-content"><time
class="gh-article-meta-date" datetime="{DATE}">01 Dec 2026</time><span class="gh-article-meta-length"><span
class="bull">&mdash;</span> 3 min read</span></div></div></div>
<figure class="gh-article-image"><img src="/quay.jpg" alt="{TITLE}"><figcaption><span
style="white-space: pre-wrap;">{CAPTION}</span></figcaption></figure>
</header>
<section class="gh-content gh-canvas is-body">
{paragraphs(P1, P2)}
<h2 id="questions-over-the-cost">{H1}</h2>
{paragraphs(P3)}
<blockquote class="kg-blockquote-alt">{PULL_QUOTE}</blockquote>
{paragraphs(P4)}
<figure class="kg-card kg-embed-card">{TWEET_EMBED}</figure>
<div class="kg-card kg-signup-card kg-width-regular" data-lexical-signup-form style="background-color: #F0F0F0;">
<div class="kg-signup-card-content"><div class="kg-signup-card-text"><h2 class="kg-signup-card-heading">Sign up for
Westbury Courier</h2><p class="kg-signup-card-subheading">{NEWSLETTER}</p><form class="kg-signup-card-form"
data-members-form="signup"><div class="kg-signup-card-fields"><input class="kg-signup-card-input" type="email"
placeholder="Your email" required data-members-email><button class="kg-signup-card-button" type="submit"><span
class="kg-signup-card-button-default">Subscribe</span></button></div></form><p
class="kg-signup-card-disclaimer">No spam. Unsubscribe anytime.</p></div></div></div>
<h2 id="what-happens-next">{H2}</h2>
{paragraphs(P5, P6)}
</section>
</article>
<div class="gh-comments gh-canvas"><div id="ghost-comments-root" data-ghost-comments="/members/api/comments/"
data-title="{COMMENT}"></div></div>
</main>
<section class="gh-container is-grid gh-outer"><div class="gh-container-inner gh-inner"><h2
class="gh-container-title">Read more</h2><div class="gh-feed">
<article class="gh-card post"><a class="gh-card-link" href="/storm/"><figure class="gh-card-image"><img src="/s.jpg"
alt=""></figure><div class="gh-card-wrapper"><h3 class="gh-card-title is-title">{READ_MORE[0]}</h3><p
class="gh-card-excerpt is-body">The coast road stayed shut overnight as crews cleared fallen trees.</p><footer
class="gh-card-meta"><span class="gh-card-author">By {AUTHOR}</span><time class="gh-card-date"
datetime="2026-11-30">30 Nov 2026</time></footer></div></a></article>
<article class="gh-card post"><a class="gh-card-link" href="/schools/"><div class="gh-card-wrapper"><h3
class="gh-card-title is-title">{READ_MORE[1]}</h3><footer class="gh-card-meta"><time class="gh-card-date"
datetime="2026-11-29">29 Nov 2026</time></footer></div></a></article>
</div></div></section>
<footer class="gh-footer gh-outer"><div class="gh-footer-inner gh-inner"><div class="gh-footer-bar"><span
class="gh-footer-logo is-title">Westbury Courier</span><nav class="gh-footer-menu"><ul class="nav"><li><a
href="/privacy/">Privacy</a></li></ul></nav><div class="gh-footer-copyright">Powered by <a
href="https://ghost.org/">Ghost</a></div></div><div class="gh-footer-signup"><h2 class="gh-footer-signup-header
is-title">Westbury Courier</h2><p class="gh-footer-signup-subhead is-body">{NEWSLETTER}</p><form
class="gh-form" data-members-form><input class="gh-form-input" type="email" placeholder="jamie@example.com"
required data-members-email><button class="gh-button gh-form-input" type="submit">Subscribe</button></form></div>
</div></footer></div>
{COOKIE_BANNER}</body></html>"""


def olivero() -> str:
    """Drupal's Olivero theme (core/themes/olivero: page.html.twig, node.html.twig, field--comment.html.twig,
    the tags field's template), with a Drupal block of related stories in the sidebar region."""
    return f"""<!DOCTYPE html><html lang="en" dir="ltr"><head><meta charset="utf-8"><title>{TITLE} |
Westbury Courier</title></head>
<body class="path-node page-node-type-article"><a href="#main-content" class="visually-hidden focusable
skip-link">Skip to main content</a>
<div class="dialog-off-canvas-main-canvas" data-off-canvas-main-canvas><div id="page-wrapper" class="page-wrapper">
<div id="page"><header id="header" class="site-header" data-drupal-selector="site-header" role="banner"><div
class="site-header__fixable"><div class="site-header__inner"><div class="site-header__inner__container
container"><div id="block-olivero-site-branding" class="site-branding block block-system
block-system-branding-block"><div class="site-branding__inner"><div class="site-branding__text"><div
class="site-branding__name"><a href="/" title="Home" rel="home">Westbury Courier</a></div></div></div></div>
<div class="header-nav-overlay" data-drupal-selector="header-nav-overlay"></div><div class="mobile-buttons"></div>
<div id="header-nav" class="header-nav"><nav role="navigation" aria-labelledby="block-olivero-main-menu-menu"
id="block-olivero-main-menu" class="primary-nav block block-menu navigation menu--main"><h2
class="visually-hidden block__title" id="block-olivero-main-menu-menu">Main navigation</h2><ul
class="menu primary-nav__menu primary-nav__menu--level-1"><li class="primary-nav__menu-item"><a href="/"
class="primary-nav__menu-link">Home</a></li></ul></nav></div></div></div></div></header>
<div id="main-wrapper" class="layout-main-wrapper layout-container"><div id="main" class="layout-main"><div
class="main-content"><a id="main-content" tabindex="-1"></a><div class="main-content__container container">
<div class="region region--highlighted grid-full layout--pass--content-medium"><div data-drupal-messages-fallback
class="hidden messages-list"></div></div>
<div class="region region--content-above grid-full layout--pass--content-medium"><div
id="block-olivero-page-title" class="block block-core block-page-title-block"><h1 class="title
page-title"><span class="field field--name-title field--type-string field--label-hidden">{TITLE}</span></h1></div>
</div>
<div class="sidebar-grid grid-full"><main role="main" class="site-main"><div
class="region region--content grid-full layout--pass--content-medium" id="content"><div
id="block-olivero-content" class="block block-system block-system-main-block"><div class="block__content">
<article data-history-node-id="41" class="node node--type-article node--promoted node--view-mode-full">
<header class=""><div class="node__meta"><span class="node__author-image"><article class="profile"><div
class="field field--name-user-picture"><img loading="lazy" src="/a.jpg" alt="Profile picture for user mquill">
</div></article></span><div><span><span class="field field--name-uid field--type-entity-reference
field--label-hidden"><span>{AUTHOR}</span></span></span><span class="node__meta--date"><span class="field
field--name-created field--type-created field--label-hidden"><time datetime="{DATE}T18:40:00Z"
title="Tuesday, December 1, 2026 - 18:40" class="datetime">Tue, 12/01/2026 - 18:40</time></span></span></div></div>
</header>
<div class="node__content">
<div class="field field--name-field-image field--type-image field--label-hidden field__item"><img loading="lazy"
src="/quay.jpg" alt="{CAPTION}"></div>
<div class="text-content clearfix field field--name-body field--type-text-with-summary field--label-hidden
field__item">
{paragraphs(P1, P2)}
<h2>{H1}</h2>
{paragraphs(P3, P4)}
<blockquote class="pull-quote"><p>{PULL_QUOTE}</p></blockquote>
<h2>{H2}</h2>
{paragraphs(P5, P6)}
</div>
<div class="field field--name-field-tags field--type-entity-reference field--label-above field--tags"><h3
class="field__label field--tags__label">Tags</h3><ul class="links field__items field--tags__items"><li
class="field--tags__item"><a href="/taxonomy/term/3" hreflang="en">Ferry politics</a></li><li
class="field--tags__item"><a href="/taxonomy/term/4" hreflang="en">Local government</a></li></ul></div>
<section data-drupal-selector="comments" class="comments"><h2 class="comments__title">Comments</h2>
<article data-comment-user-id="0" id="comment-7" class="comment js-comment single-comment"><div
class="comment__picture-wrapper"></div><div class="comment__text-wrapper"><footer class="comment__meta"><p
class="comment__author">Pat Hollis</p><p class="comment__time">Wed, 12/02/2026 - 08:00</p></footer><div
class="comment__content"><div class="clearfix text-formatted field field--name-comment-body"><p>{COMMENT}</p></div>
</div></div></article>
<div class="comment-form__title-wrapper"><h2 class="comment-form__title">Add new comment</h2></div><form
class="comment-comment-form comment-form" data-drupal-selector="comment-form" action="/comment/reply/node/41/comment"
method="post"><div class="js-form-item form-item"><label for="edit-comment-body" class="form-item__label
js-form-required form-required">Comment</label><textarea id="edit-comment-body"
class="form-textarea"></textarea></div></form></section>
</div></article></div></div></div></main>
<aside class="region region--sidebar" role="complementary"><div class="views-element-container block block-views
block-views-blockcontent-recent-block-1" id="block-olivero-views-block-content-recent-block-1"><h2
class="block__title">Recent content</h2><div class="block__content"><div class="view view-content-recent"><div
class="view-content"><div class="item-list"><ul><li><div class="views-field views-field-title"><span
class="field-content"><a href="/node/40" hreflang="en">{RELATED[0]}</a></span></div></li><li><div
class="views-field views-field-title"><span class="field-content"><a href="/node/39"
hreflang="en">{RELATED[1]}</a></span></div></li></ul></div></div></div></div></div>
<div id="block-newsletter" class="block block-simplenews block-simplenews-subscription-block"><h2
class="block__title">Westbury Morning Brief</h2><div class="block__content"><form
class="simplenews-subscriptions-block-form"><p>{NEWSLETTER}</p><input type="email" class="form-email"><input
type="submit" value="Subscribe" class="button form-submit"></form></div></div></aside>
</div></div></div></div></div>
<footer class="site-footer"><div class="site-footer__inner container"><div class="region region--footer-top
grid-full layout--pass--content-medium"><div class="block block-system block-system-powered-by-block"><span>Powered by
<a href="https://www.drupal.org">Drupal</a></span></div></div></div></footer></div></div></div>
{COOKIE_BANNER}</body></html>"""


def jekyll_minima() -> str:
    """Jekyll's minima theme (_layouts/post.html: h-entry microformats and schema.org BlogPosting,
    itemprop=articleBody), with Disqus comments and a related-posts include."""
    return f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{TITLE} | Westbury Courier</title>
</head><body><header class="site-header" role="banner"><div class="wrapper"><a class="site-title" rel="author"
href="/">Westbury Courier</a><nav class="site-nav"><div class="trigger"><a class="page-link"
href="/">Home</a><a class="page-link" href="/about/">About</a></div></nav></div></header>
<main class="page-content" aria-label="Content"><div class="wrapper">
<article class="post h-entry" itemscope itemtype="http://schema.org/BlogPosting">
<header class="post-header"><h1 class="post-title p-name" itemprop="name headline">{TITLE}</h1>
<p class="post-meta"><time class="dt-published" datetime="{DATE}T18:40:00+00:00" itemprop="datePublished">Dec 1,
2026</time> &bull; <span itemprop="author" itemscope itemtype="http://schema.org/Person"><span class="p-author
h-card" itemprop="name">{AUTHOR}</span></span></p></header>
<div class="post-content e-content" itemprop="articleBody">
{paragraphs(P1, P2)}
<h2 id="questions-over-the-cost">{H1}</h2>
{paragraphs(P3, P4)}
<p><img src="/hall.jpg" alt=""><br><em>{CAPTION}</em></p>
<h2 id="what-happens-next">{H2}</h2>
{paragraphs(P5, P6)}
</div>
<div class="share-page">Share this on &rarr; <a href="https://twitter.com/intent/tweet?text={TITLE}"
rel="nofollow" target="_blank" title="Share on X">Share on X</a> <a
href="https://facebook.com/sharer.php?u={URL}" rel="nofollow" target="_blank">Share on Facebook</a></div>
<div class="related"><h2>Related posts</h2><ul class="related-posts"><li><h3><a href="/bus-lanes/">{RELATED[0]}
<small><time datetime="2026-11-28">28 Nov 2026</time></small></a></h3></li><li><h3><a
href="/lifeboat/">{RELATED[1]}</a></h3></li></ul></div>
<div id="disqus_thread"></div>
<noscript>Please enable JavaScript to view the <a href="https://disqus.com/?ref_noscript">comments powered by
Disqus.</a></noscript>
<a class="u-url" href="{URL}" hidden></a>
</article></div></main>
<footer class="site-footer h-card"><data class="u-url" href="/"></data><div class="wrapper"><h2
class="footer-heading">Westbury Courier</h2><div class="footer-col-wrapper"><div class="footer-col footer-col-1"><ul
class="contact-list"><li class="p-name">Westbury Courier</li></ul></div></div></div></footer>
{COOKIE_BANNER}</body></html>"""


def amp_legacy() -> str:
    """The AMP plugin for WordPress's legacy "reader mode" template (amp-wp-article, amp-wp-meta), with AMP's
    own components: amp-img, amp-twitter, amp-social-share, amp-consent."""
    return f"""<!doctype html><html amp lang="en-GB"><head><meta charset="utf-8"><title>{TITLE} &#8211; Westbury
Courier</title><link rel="canonical" href="{URL}"><script async src="https://cdn.ampproject.org/v0.js"></script>
<style amp-custom>.amp-wp-header{{background:#000}}</style></head>
<body class="">
<amp-consent id="consent" layout="nodisplay"><script type="application/json">{{"consentInstanceId": "c"}}</script>
<div id="consent-ui" class="consent-ui"><p>{COOKIES}</p><button on="tap:consent.accept">Accept all</button>
</div></amp-consent>
<header id="top" class="amp-wp-header"><div><a href="/">Westbury Courier</a></div></header>
<article class="amp-wp-article">
<header class="amp-wp-article-header"><h1 class="amp-wp-title">{TITLE}</h1>
<div class="amp-wp-meta amp-wp-byline"><amp-img src="/a.jpg" alt="{AUTHOR}" width="24" height="24"
layout="fixed"></amp-img><span class="amp-wp-author author vcard">{AUTHOR}</span></div>
<div class="amp-wp-meta amp-wp-posted-on"><time datetime="{DATE}T18:40:00+00:00">3 days ago</time></div></header>
<figure class="amp-wp-article-featured-image wp-caption"><amp-img width="1200" height="800" src="/quay.jpg"
class="attachment-large size-large wp-post-image amp-wp-enforced-sizes" alt="" layout="intrinsic"></amp-img>
<p class="wp-caption-text">{CAPTION}</p></figure>
<div class="amp-wp-article-content">
{paragraphs(P1, P2)}
<h2>{H1}</h2>
{paragraphs(P3, P4)}
<amp-twitter width="375" height="472" layout="responsive" data-tweetid="1">{TWEET_EMBED}</amp-twitter>
<h2>{H2}</h2>
{paragraphs(P5, P6)}
<div class="amp-social-share-bar"><amp-social-share type="twitter" aria-label="Share on X"></amp-social-share>
<amp-social-share type="facebook" data-param-app_id="1" aria-label="Share on Facebook"></amp-social-share></div>
</div>
<footer class="amp-wp-article-footer"><div class="amp-wp-meta amp-wp-tax-category">Categories: <a
href="/category/news/" rel="category tag">News</a></div><div class="amp-wp-meta amp-wp-tax-tag">Tags: <a
href="/tag/ferries/" rel="tag">Ferry politics</a>, <a href="/tag/council/" rel="tag">Local government</a></div>
<div class="amp-wp-meta amp-wp-comments-link"><a href="{URL}#respond">Leave a Comment</a></div></footer>
</article>
<footer class="amp-wp-footer"><div><h2>Westbury Courier</h2><a href="#top" class="back-to-top">Back to top</a></div>
</footer></body></html>"""


def substack() -> str:
    """A Substack post page (its server-rendered markup: post-header, available-content, body markup,
    subscription-widget, captioned-image-container, the post footer's buttons and comments)."""
    return f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{TITLE}</title>
<meta property="og:title" content="{TITLE}"><meta name="author" content="{AUTHOR}"></head>
<body><div id="entry"><div id="main" class="main typography use-theme-bg"><div class="topbar"><div
class="navbar-title"><a href="/">The Harbour Letter</a></div><div class="navbar-buttons"><a class="button
primary subscribe-btn" href="/subscribe">Subscribe</a><a class="button sign-in-link" href="/sign-in">Sign
in</a></div></div>
<div class="container"><div class="single-post-container"><div class="single-post"><article class="typography
newsletter-post post">
<div class="post-header"><h1 class="post-title published" dir="auto">{TITLE}</h1><h3 class="subtitle"
dir="auto">{STANDFIRST}</h3><div class="post-meta-item"><div class="profile-hover-card-target"><a
href="https://substack.com/@maraquill">{AUTHOR}</a></div><div class="pencraft">Dec 01, 2026</div></div>
<div class="post-ufi"><a class="post-ufi-button like-button-container" role="button"><div class="label">42</div>
</a><a class="post-ufi-button post-ufi-comment-button" href="/p/ferry/comments"><div class="label">7</div></a><div
class="post-ufi-button share-button"><span>Share</span></div></div></div>
<div class="available-content"><div dir="auto" class="body markup">
{paragraphs(P1, P2)}
<div class="subscription-widget-wrap-editor" data-attrs="{{}}" data-component-name="SubscribeWidgetToDOM"><div
class="subscription-widget show-subscribe"><div class="preamble"><p class="cta-caption">{NEWSLETTER}</p></div><form
class="subscription-widget-subscribe"><input type="email" class="email-input" name="email" placeholder="Type your
email…"><input type="submit" class="button primary" value="Subscribe"></form></div></div>
<h2 class="header-anchor-post">{H1}</h2>
{paragraphs(P3, P4)}
<div class="captioned-image-container"><figure><a class="image-link image2" href="/hall.jpg"><div
class="image2-inset"><picture><img src="/hall.jpg" alt=""></picture></div></a><figcaption
class="image-caption">{CAPTION}</figcaption></figure></div>
<div class="tweet" data-attrs="{{}}" data-component-name="Twitter2ToDOM"><a class="tweet-link-top"
href="https://twitter.com/westburycourier/status/1"><div class="tweet-header"><span class="tweet-author-name">Westbury
Courier</span></div></a><div class="tweet-text">{TWEET}</div></div>
<h2 class="header-anchor-post">{H2}</h2>
{paragraphs(P5, P6)}
<p class="button-wrapper" data-attrs="{{}}" data-component-name="ButtonCreateButton"><a class="button primary"
href="https://harbourletter.example/p/ferry?utm_source=substack&amp;utm_medium=email&amp;action=share"><span>Share</span>
</a></p>
</div></div>
<div class="visibility-check"></div>
<div class="post-footer"><div class="post-ufi"><a class="post-ufi-button like-button-container" role="button"><div
class="label">42</div></a></div><div class="post-footer-share"><a href="https://www.facebook.com/sharer/sharer.php"
>Share on Facebook</a><a href="https://twitter.com/intent/tweet">Share on X</a><a href="#">Copy link</a></div></div>
</article></div>
<div class="post-page-discussion"><div class="comments-page"><div class="container"><h4>Discussion about this
post</h4><div class="comment-list"><div class="comment-list-item"><div class="comment"><div class="comment-content"><div
class="comment-meta"><a href="/@pat">Pat Hollis</a></div><div class="comment-body"><p>{COMMENT}</p></div></div></div>
</div></div></div></div></div>
<div class="post-page-recommendations"><h4 class="recommendations-header">Ready for more?</h4><div
class="portable-archive-list"><div class="post-preview"><a class="post-preview-title" href="/p/storm">{READ_MORE[0]}
</a></div><div class="post-preview"><a class="post-preview-title" href="/p/schools">{READ_MORE[1]}</a></div></div>
</div></div></div></div></div>
<div class="footer-wrap"><div class="footer"><div class="footer-buttons"><a href="/privacy">Privacy</a></div><div
class="footer-substack-cta">Substack is the home for great culture</div></div></div>
{COOKIE_BANNER}</body></html>"""


def arc_xp() -> str:
    """Arc XP's Fusion themes (WPMedia/arc-themes-blocks, article-body-block: an <article class="article-body">
    of body-paragraph blocks, headers, an interstitial link to another story between brackets, a correction)."""
    return f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{TITLE} - Westbury Courier</title>
<script type="application/ld+json">{{"@context":"https://schema.org","@type":"NewsArticle","headline":"{TITLE}",
"datePublished":"{DATE}T18:40:00Z","author":[{{"@type":"Person","name":"{AUTHOR}"}}]}}</script></head>
<body><div id="fusion-app" class="layout-section"><header class="page-header"><nav id="main-nav" class="news-theme-
navigation-container"><div class="nav-logo"><a href="/">Westbury Courier</a></div><div class="section-menu"><a
href="/">Home</a><a href="/news/">News</a></div></nav></header>
<section role="main" class="main"><div class="container layout-section"><div class="row"><div class="col-sm-12
col-md-xl-8 layout-section"><div class="overline-container"><a class="overline" href="/news/">News</a></div>
<h1 class="headline">{TITLE}</h1><h2 class="h4-primary sub-headline">{STANDFIRST}</h2>
<section class="byline"><span class="byline-names">By <a href="/people/mara-quill/">{AUTHOR}</a></span></section>
<div class="date-container"><time class="date" datetime="{DATE}T18:40:00Z">December 1, 2026 at 6:40 p.m. UTC</time>
</div>
<div class="share-bar"><button class="facebook-btn" aria-label="Share on Facebook">Share on Facebook</button>
<button class="twitter-btn" aria-label="Share on X">Share on X</button></div>
<figure class="lead-art"><img src="/quay.jpg" alt=""><figcaption><p class="caption">{CAPTION}</p></figcaption>
</figure>
<article class="article-body">
<p class="body-paragraph">WESTBURY &mdash; {P1}</p>
<p class="body-paragraph">{P2}</p>
<p class="interstitial-link"><span>[&nbsp;</span><a href="/news/bus-lanes/">{RELATED[0]}</a><span>&nbsp;]</span></p>
<h2>{H1}</h2>
<p class="body-paragraph">{P3}</p>
<p class="body-paragraph">{P4}</p>
<div class="pullquote"><blockquote><p>{PULL_QUOTE}</p><span class="citation">Alys Penrose</span></blockquote></div>
<div class="embed-responsive">{TWEET_EMBED}</div>
<h2>{H2}</h2>
<p class="body-paragraph">{P5}</p>
<p class="interstitial-link"><span>[&nbsp;</span><a href="/news/lifeboat/">{RELATED[1]}</a><span>&nbsp;]</span></p>
<p class="body-paragraph">{P6}</p>
</article>
<div class="tags-holder"><a class="tags" href="/tags/ferries/">Ferry politics</a><a class="tags"
href="/tags/council/">Local government</a></div>
<div class="author-bio"><section class="author"><a href="/people/mara-quill/"><h2 class="author-name">{AUTHOR}</h2>
</a><p class="author-description">{BIO}</p></section></div>
</div><div class="col-sm-12 col-md-xl-4 right-rail"><div class="list-container"><div class="list-title">Read
More</div><div class="list-item"><a href="/news/storm/" class="list-anchor"><h2 class="headline-text">{READ_MORE[0]}
</h2></a></div><div class="list-item"><a href="/news/schools/" class="list-anchor"><h2
class="headline-text">{READ_MORE[1]}</h2></a></div></div><div class="newsletter-signup"><p>{NEWSLETTER}</p><a
href="/newsletters/">Sign up</a></div></div></div></div></section>
<footer class="footer-section"><p class="copyright">&copy; 2026 Westbury Courier</p></footer></div>
{COOKIE_BANNER}</body></html>"""


def medium() -> str:
    """A Medium story page (its server-rendered markup: article > section, h1 data-testid=storyTitle,
    pw-subtitle-paragraph, pw-post-body-paragraph, the author's byline and follow button, claps and responses)."""
    return f"""<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{TITLE} | by {AUTHOR} | Medium</title>
<meta property="og:title" content="{TITLE}"><meta name="author" content="{AUTHOR}"><meta
property="article:published_time" content="{DATE}T18:40:00.000Z"></head>
<body><div id="root"><div class="a b c"><div class="d e f"><div class="l"><a href="/" aria-label="Homepage">Medium</a>
<a href="/m/signin">Sign in</a><a href="/m/signin?operation=register">Sign up</a></div></div>
<div class="l ab"><main class="fy"><div class="l"><article><div class="l"><div class="l"><section><div><div
class="gn go gp gq gr"></div><div class="ab ca"><div class="ch bg ew ex ey ez">
<div><h1 id="a1b2" class="pw-post-title gs gt gu bf gv" data-testid="storyTitle" data-selectable-paragraph="">{TITLE}
</h1></div>
<div><h2 id="c3d4" class="pw-subtitle-paragraph hj gt gu bf b" data-selectable-paragraph="">{STANDFIRST}</h2></div>
<div class="speechify-ignore ab cp"><div class="speechify-ignore bg l"><div class="ho hp"><div class="ab ic"><div
class="ab q id"><div data-testid="authorPhoto"><img alt="{AUTHOR}" src="/a.jpg"></div><div class="bm"><div
class="ab"><div class="bm"><a data-testid="authorName" class="af ag ah" href="/@maraquill">{AUTHOR}</a></div><div
class="ib"><button class="follow">Follow</button></div></div><div class="ab"><span data-testid="storyReadTime">3 min
read</span><span>·</span><span data-testid="storyPublishDate">Dec 1, 2026</span></div></div></div></div></div>
<div class="ab q ki kj"><div class="pw-multi-vote-count"><p class="bf b dy z dx"><button class="af ag">42</button>
</p></div><div class="ab q kk"><button aria-label="responses">7</button></div><button
aria-controls="postFooterSocialMenu" aria-label="Share Post" data-testid="headerSocialShareButton">Share</button>
</div></div></div>
<p id="e5f6" class="pw-post-body-paragraph lc ld gu le b lf" data-selectable-paragraph="">{P1}</p>
<p id="g7h8" class="pw-post-body-paragraph lc ld gu le b lf" data-selectable-paragraph="">{P2}</p>
<h2 id="i9j0" class="mk ml gu bf mm mn" data-selectable-paragraph="">{H1}</h2>
<p id="k1l2" class="pw-post-body-paragraph lc ld gu le b lf" data-selectable-paragraph="">{P3}</p>
<blockquote class="nc nd ne"><p id="m3n4" class="pw-post-body-paragraph lc ld nf le b lf"
data-selectable-paragraph="">{PULL_QUOTE}</p></blockquote>
<p id="o5p6" class="pw-post-body-paragraph lc ld gu le b lf" data-selectable-paragraph="">{P4}</p>
<figure class="ng nh ni nj nk nl"><div role="button" tabindex="0" class="nm nn ed no bg np"><picture><img alt=""
class="bg mz nq c" src="/hall.jpg"></picture></div><figcaption class="nr ff ns nd ne nt nu bf b bg z
dx" data-selectable-paragraph="">{CAPTION}</figcaption></figure>
<h2 id="q7r8" class="mk ml gu bf mm mn" data-selectable-paragraph="">{H2}</h2>
<p id="s9t0" class="pw-post-body-paragraph lc ld gu le b lf" data-selectable-paragraph="">{P5}</p>
<p id="u1v2" class="pw-post-body-paragraph lc ld gu le b lf" data-selectable-paragraph="">{P6}</p>
</div></div></section></div></div></article></div>
<div class="ab ca"><div class="ch bg"><div class="ab cp"><div class="ab"><a href="/tag/ferries" class="tag"><div
class="ol ed cx om">Ferry politics</div></a><a href="/tag/council" class="tag"><div class="ol ed cx om">Local
government</div></a></div></div>
<div class="ab"><h2 class="bf">Written by {AUTHOR}</h2><p class="bf b">{BIO}</p><button>Follow</button></div>
<div class="ab"><h2 class="bf">Responses (7)</h2><div class="pw-responses"><p>{COMMENT}</p></div></div>
<div class="ab"><h2 class="bf">More from {AUTHOR}</h2><div><a href="/p/storm"><h2>{READ_MORE[0]}</h2></a><a
href="/p/schools"><h2>{READ_MORE[1]}</h2></a></div></div>
<div class="ab"><h2 class="bf">Recommended from Medium</h2><div><a href="/p/bus"><h2>{RELATED[0]}</h2></a><a
href="/p/lifeboat"><h2>{RELATED[1]}</h2></a></div></div></div></div>
</main></div></div></div>
{COOKIE_BANNER}</body></html>"""


TEMPLATES = {
    "twentytwentyfour": twentytwentyfour,
    "newspack": newspack,
    "generatepress": generatepress,
    "ghost_source": ghost_source,
    "olivero": olivero,
    "jekyll_minima": jekyll_minima,
    "amp_legacy": amp_legacy,
    "substack": substack,
    "arc_xp": arc_xp,
    "medium": medium,
}


def story_lines(text: str) -> list[int]:
    """Where each of the story's paragraphs and subheadings is in the text's lines (-1: missing)."""
    lines = text.splitlines()
    return [next((i for i, line in enumerate(lines) if line.endswith(part)), -1) for part in STORY]


@pytest.mark.parametrize("name", sorted(TEMPLATES))
def test_the_story_s_paragraphs_and_subheadings_come_out_in_order(name):
    text = parse_article(TEMPLATES[name](), url=URL).text
    found = story_lines(text)
    assert -1 not in found, [part for part, at in zip(STORY, found) if at < 0]
    assert found == sorted(found)


# Faults these pages show that no rule fixes yet (strict: each passes once fixed, and must then lose its mark).
KNOWN_FURNITURE_FAULTS = {
    # An Arc XP "interstitial link" (another story's headline between brackets, in a paragraph of its own) is
    # kept: dropping every paragraph whose words are all one link cost half A body F1 0.9548 -> 0.9533 (a story's
    # own linked lines went with the teasers).
    "arc_xp": "another story's headline in a paragraph of its own among the story's is kept",
    # Medium's "Written by" bio and the responses after the story's <article> are read with it: the text
    # extractor reads the <main> around the <article>, and no class or word marks them.
    "medium": "the author's bio and the responses after the story's <article> are kept",
}
KNOWN_BYLINE_FAULTS = {
    # Drupal's author field (`field--name-uid`, Olivero's node__meta) is read by no byline source.
    "olivero": "Drupal's node author field is not read as the byline",
}


def marked(names: dict[str, str]) -> list:
    """Every template's name, those in `names` marked as a known fault."""
    return [
        pytest.param(n, marks=pytest.mark.xfail(strict=True, reason=names[n])) if n in names else n
        for n in sorted(TEMPLATES)
    ]


@pytest.mark.parametrize("name", marked(KNOWN_FURNITURE_FAULTS))
def test_none_of_the_page_s_furniture_comes_out_with_the_story(name):
    lines = parse_article(TEMPLATES[name](), url=URL).text.splitlines()
    for words in FURNITURE:
        assert not [line for line in lines if words in line], words


@pytest.mark.parametrize("name", marked(KNOWN_BYLINE_FAULTS))
def test_the_headline_byline_and_date_are_the_story_s(name):
    article = parse_article(TEMPLATES[name](), url=URL)
    assert article.title == TITLE
    assert article.byline == AUTHOR
    assert (article.published or "")[:10] == DATE


SIGNUP_BOXES = {
    # Ghost's signup card (Koenig), classed with no word we drop
    "ghost": '<div class="kg-card kg-signup-card"><div class="kg-signup-card-content">'
    '<h2 class="kg-signup-card-heading">Sign up for Westbury Courier</h2>'
    f'<p class="kg-signup-card-subheading">{NEWSLETTER}</p><form '
    'class="kg-signup-card-form" data-members-form="signup"><input class="kg-signup-card-input" type="email" '
    'placeholder="Your email" required><button type="submit">Subscribe</button></form></div></div>',
    # Jetpack's subscriptions block: its class says "subscriptions", its pitch sits outside the form
    "jetpack": f'<div class="wp-block-jetpack-subscriptions__container"><p>{NEWSLETTER}</p><form method="post"><p>'
    '<input type="email" name="email" placeholder="Type your email…"></p><p><button type="submit">Subscribe'
    "</button></p></form></div>",
    # a plain box in another language, with no class at all
    "unclassed": "<div><h3>Der Westbury-Newsletter</h3><p>Jeden Morgen die wichtigsten Nachrichten aus der Stadt.</p>"
    '<form><input type="EMAIL" name="mail"><input type="submit" value="Anmelden"></form></div>',
}


@pytest.mark.parametrize("name", sorted(SIGNUP_BOXES))
def test_a_box_asking_for_the_reader_s_email_address_is_a_sign_up_not_the_story(name):
    story = [f"<p>{part}</p>" for part in (P1, P2, P3, P4, P5, P6)]
    story.insert(3, SIGNUP_BOXES[name])
    html = f"<html><body><article><h1>{TITLE}</h1>{''.join(story)}</article></body></html>"
    text = parse_article(html, url=URL).text
    assert [line for line in text.splitlines() if line in STORY] == [P1, P2, P3, P4, P5, P6]
    for words in (NEWSLETTER, "Sign up for", "Westbury-Newsletter", "wichtigsten Nachrichten"):
        assert words not in text


def test_a_story_set_inside_a_page_wide_form_keeps_its_paragraphs():
    # ASP.NET pages set the whole page in one <form>, beside a search or sign-up field: the field's box stops
    # short of the story's paragraphs.
    story = "".join(f"<p>{part}</p>" for part in (P1, P2, P3, P4, P5, P6))
    html = f"""<html><body><form id="aspnetForm" method="post"><div class="page"><div class="masthead"><input
    type="email" name="ctl00$signup"><input type="submit" value="Go"></div><div class="story"><h1>{TITLE}</h1>
    {story}</div></div></form></body></html>"""
    text = parse_article(html, url=URL).text
    assert [line for line in text.splitlines() if line in STORY] == [P1, P2, P3, P4, P5, P6]
