"""What is never the story: scripts, affiliate and product boxes, related links, share bars, comments, captions.

Removed from the tree before extraction, and as lines after it: a final line
filter drops the boilerplate lines that survive any layout (affiliate
disclosures, "Read more:" teasers, subscription prompts).
"""

from __future__ import annotations

import re
from functools import lru_cache
from itertools import islice
from urllib.parse import urlsplit

import lxml.etree
from lxml.html import HtmlElement

from scrapers.article.bylines import PROFILE_PATH
from scrapers.article.cleaning import unmarked
from scrapers.article.names import EDITOR_LABELS_ZH, SOURCE_LABELS_ZH, looks_like_person
from scrapers.article.tree import INLINE, hidden

DROP_TAGS = ("script", "style", "noscript", "template", "svg", "iframe", "object", "embed", "canvas", "dialog")
BOILERPLATE_WORDS = frozenset(
    """affiliate affiliates advert adverts advertisement advertising ads adslot sponsored sponsor promo promos
    recommended recommendations related share sharing shares comment comments commentlist
    subscribe subscription newsletter cookie cookies consent outbrain taboola
    teaserlist morestories productcard productbox products""".split()
)
# Wrapper classes that mention a word without being that thing: "has-sidebar", "no-share", "without-sidebar",
# "with-share" (JNews's story column, which holds its floating share bar).
NEGATING_PARTS = frozenset("has no with without".split())
NEVER_BOILERPLATE = {"html", "body", "article", "main"}
# Characters: a <noscript> holding fewer is a notice ("Please enable JavaScript to see the comments"), never the page,
# however little else the page holds. A short story is longer: three paragraphs are about 400.
NOSCRIPT_NOTICE = 200
# Whole lines that are never the story, one pattern per kind of line (each measured in bench/extraction.py).
LINE_PATTERNS = (
    # affiliate and sponsorship disclosures
    r"As an (?:Amazon Associate|affiliate),? (?:I|we) earn (?:from|on) qualifying purchases\.?",
    r"(?:This|Our) (?:post|article|page|story|site) (?:contains|may contain|includes) "
    r"(?:affiliate links?|references to products|sponsored).*",
    r".{0,160}\b(?:we|I) (?:may )?(?:earn|receive|get) (?:a )?(?:small |affiliate )?"
    r"(?:commission|compensation)\b.{0,160}",
    r"We recommend the best products.*",
    r"Advertisement|Anzeige|Werbung|Publicité|Publicidad|Sponsored|Gesponsert|Ad|Pubblicità|Publicidade|"
    r"Advertentie|Annons|Annonse|Annonce|Mainos|Reklama|Reklam|Реклама|Διαφήμιση|Iklan|Quảng cáo|إعلان|"
    r"विज्ञापन|広告|광고|广告|פרסומת|تبلیغات|آگهی|اشتہار",
    # share bars, photo credits, loaders
    r"Share this(?: article| story)?:?|Teilen(?: mit)?:?|Partager|Compartir|Compartilhe|Condividi|Delen|Dela|"
    r"Jaa|Udostępnij|Sdílet|Paylaş|Поделиться|Поділитися|Bagikan|Chia sẻ|مشاركة|शेयर करें|שתפו|שתף|اشتراک ?گذاری|"
    r"شیئر کریں",
    r"[(\[]?(?:Photo|Foto|Fotos|Bild|Image|Credits?|Crédits? photos?|Titelbild|Bildquelle|Copyright|Fotocredits?|"
    r"(?:Photo|Image) credits?|Bildnachweis|Fotonachweis|Bildrechte|Beitragsbild|Featured image)\s*:.{0,120}",
    r"(?:©|Copyright\s*(?:©|\d{4})).{0,80}",  # a credit or notice alone on its line: "© DTB", "Copyright 2020 X"
    # a reproduction notice: led by the copyright holder, as Korean outlets write it
    # ("<저작권자(c) 연합뉴스, 무단 전재 및 재배포 금지>", "ⓒ 한겨레신문 : 무단전재 및 재배포 금지"), or short and in
    # the words every outlet of its language prints: "무단 전재 및 재배포 금지" (no reproduction or redistribution),
    # 無断転載を禁じます, 未经授权不得转载
    r"[<\[【(]?\s*(?:ⓒ|저작권자).{0,100}",
    r".{0,20}(?:무단\s?전재|無断(?:転載|複製)|未[经經](?:授[权權]|许可|許可)|版[权權]所有).{0,40}",
    # a credit for a table's or a passage's source ("Source:", Arabic "المصدر :", Russian "Источник:", 来源：, and
    # Chinese portals' 本文来源：, this article's source)
    r"[(（]?(?:Quelle|Quellen|Source|Fuente|Fonte|Bron|Källa|Kilde|Źródło|Zdroj|Kaynak|Sumber|Источник|Джерело|"
    rf"المصدر|स्रोत|출처|出典|出所|{SOURCE_LABELS_ZH})\s*[:：].{{0,80}}",
    # the editor in charge, signed under every story of a Chinese portal: "责任编辑：李明", "（责编：王伟、李明）"
    rf"[(（]?(?:{EDITOR_LABELS_ZH}|编辑|編輯)\s*[:：].{{0,40}}",
    r"(?:Wird geladen|Loading)\W*",
    r"(?:View|Show|Load|Read) (?:all )?(?:\d+ )?comments?\W*|Kommentare?(?: insgesamt)?:?\s*\d*",
    # teasers for other stories, in the languages we meet
    r"(?:Read|See) (?:more|also)(?::.*|)|Related(?: articles| stories)?:.*|More from .{1,40}:.*",
    r"Mehr zum Thema:?.*|Mehr Themen:?.*|Auch lesen:.*|Lesen Sie (?:auch|mehr):?.*|Weiterlesen|Schon gelesen\?",
    r".{0,40}könnte (?:dich|Sie|euch) (?:auch )?interessieren:?.*",
    r"Lea(?: también| más)?:.*|Lee(?: también| más)?:.*|Vea también:.*|Mire:.*|Mira:.*|Notas relacionadas",
    r"Leia (?:também|mais):.*|Lire aussi:.*|À lire aussi:.*|Leggi anche:.*|Czytaj (?:też|także).*",
    r"(?:Veja|Ver) também:.*|Saiba mais:.*|Lire également:.*|Vedi anche:.*|Siehe auch:.*|Llegiu també:.*|"
    r"Lees (?:ook|meer):.*|Läs (?:också|mer):.*|Les også:.*|Læs også:.*|Lue myös:.*|Baca [Jj]uga\s*:.*|"
    r"Читайте (?:также|також)\s*:.*|Διαβάστε (?:επίσης|ακόμα|ακόμη)\s*:.*|(?:Čtěte|Přečtěte si) (?:také|též):.*|"
    r"Čítajte (?:aj|tiež):.*|Pročitajte (?:još|i|također):.*|Preberite tudi:.*|Citește și:.*|"
    r"Ezt is olvassa el:.*|İlgili (?:haber|haberler)\s*:.*|Ayrıca (?:bakınız|okuyun)\s*:.*|"
    r"اقرأ (?:أيضا|أيضاً)\s*:.*|यह भी पढ़ें\s*[:\-–].*|(?:Xem|Đọc) thêm\s*:.*|קראו (?:גם|עוד)\s*:.*|"
    r"(?:بیشتر |همچنین )?بخوانید\s*:.*|(?:یہ بھی|مزید) پڑھیں\s*[:\-–].*|"
    r"(?:あわせて読みたい|関連記事|相关阅读|延伸阅读|相關閱讀|延伸閱讀|관련기사)\s*[:：]?.*",
    # subscription prompts
    r"Sign up for (?:our|the) .{0,40}newsletter.*|Subscribe (?:now |today )?to .*|Subscribe now.*",
    r"To (?:view|read|continue reading) the full (?:story|article).*|Pour (?:lire la suite|accéder en illimité).*",
)


def line_filter(patterns: tuple[str, ...]) -> re.Pattern:
    return re.compile("^(?:" + "|".join(patterns) + ")$", re.I)


BOILERPLATE_LINES = line_filter(LINE_PATTERNS)


def drop_boilerplate(tree: HtmlElement) -> None:
    """Remove what is never the story. An element holding most of the page's text is a wrapper, whatever its class."""
    for el in list(tree.iter(*(t for t in DROP_TAGS if t != "noscript"))):
        _remove(el)
    body = tree.find("body")
    size = len(body.text_content()) if body is not None else 0
    for el in list(tree.iter("noscript")):
        if len(el.text_content()) >= max(NOSCRIPT_NOTICE, 0.5 * size):
            _drop_scripted_copies(tree, el)
            el.drop_tag()  # most of the page, as served without JavaScript: the page itself, not a fallback
        else:
            _remove(el)
    wrapper_size = max(1500, 0.4 * len(body.text_content())) if body is not None else 1500
    for el in list(tree.iter(lxml.etree.Element)):
        if el.tag in NEVER_BOILERPLATE or el.getparent() is None:
            continue
        if hidden(el):
            _remove(el)
            continue
        names = f"{el.get('class') or ''} {el.get('id') or ''}"
        if names.strip() and _names_boilerplate(names) and len(el.text_content()) < wrapper_size:
            _remove(el)
    if body is not None:
        _drop_affiliate_boxes(body)
        _drop_image_boxes(body, len(" ".join(body.text_content().split())))
        _drop_teaser_runs(body)
        _drop_plea_boxes(body)
        _drop_signup_forms(body)
        _drop_pointed_links(body)
        _drop_labelled_links(body)
        _drop_contents_lists(body)


# Blocks of text a page's scripts may show twice: rendered, and in the <noscript> served without them.
TEXT_BLOCKS = ("p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre", "dt", "dd")


def _drop_scripted_copies(tree: HtmlElement, page: HtmlElement) -> None:
    """Blocks outside `page` (a <noscript> read as the page) that say one of its blocks word for word go.

    They are the scripted view of the same story: its first paragraphs rendered, the rest loaded on demand,
    beside the whole story served without JavaScript. Kept with it, the opening paragraphs came twice.
    """
    said = {" ".join(b.text_content().split()) for b in page.iter(*TEXT_BLOCKS)} - {""}
    for block in list(tree.iter(*TEXT_BLOCKS)):
        if not any(a is page for a in block.iterancestors()) and " ".join(block.text_content().split()) in said:
            _remove(block)


# Class and id words of the box around a picture: its caption and credit go with it.
IMAGE_WORDS = frozenset(
    "image images img photo photos picture media figure foto fotos bild bilder gallery caption video".split()
)
IMAGE_BOX_SIZE = 300  # characters: past this an ancestor holds the story's text, not a caption


def _drop_image_boxes(body: HtmlElement, page_text: int) -> None:
    """A picture's box ("media-image", "header-image", "image-copyright") with its caption or credit.

    Captions in <figcaption> are left out by the text extractor already; the
    same words in a <div> or <p> beside the picture came through as lines of
    the story. The box is the outermost element named for an image that holds
    a picture and under IMAGE_BOX_SIZE characters, so a column that also holds
    the story's paragraphs is never one; nor is a box holding half the page's
    text (`page_text`, characters): a photo page whose only words are its caption;
    nor a header picture that carries the headline's <h1>.
    """
    for el in list(body.iter(lxml.etree.Element)):
        names = f"{el.get('class') or ''} {el.get('id') or ''}"
        if el.tag in ("html", "body", "main") or not names_say(names, IMAGE_WORDS) or _beside_text(names):
            continue
        if not any(a is body for a in el.iterancestors()):
            continue  # already removed with an outer box
        if _holds_text(el, IMAGE_BOX_SIZE):
            continue
        text = " ".join(el.text_content().split())
        if (
            text
            and len(text) < 0.5 * page_text
            and next(el.iter("img", "picture", "video"), None) is not None
            and next(el.iter("h1"), None) is None
        ):
            _remove(el)


@lru_cache(maxsize=4096)
def _beside_text(names: str) -> bool:
    """Whether a class or id names a block of text set beside a picture: WordPress's "Media & Text" block
    ("wp-block-media-text", "wp-block-media-text__content"), a token naming both media and text.

    Its words are a passage of the story, not a caption, however short.
    """
    for token in names.lower().split():
        parts = re.split(r"[-_]+", token)
        if "media" in parts and "text" in parts:
            return True
    return False


# The page speaking of itself: "As an affiliate", "we earn on qualifying purchases", "we may earn a commission", "this
# post contains affiliate links". A story's sentence about commissions or affiliate links ("Agents who receive a
# commission on each sale must tell buyers, the regulator said") names someone else, and is no disclosure.
AFFILIATE_DISCLOSURE = re.compile(
    r"\b(?:as an (?:amazon associate|affiliate)|(?:earn|earns) (?:from|on) qualifying purchases|"
    r"(?:we|I)\s+(?:may\s+|might\s+|can\s+)?(?:earn|receive|get|make)\s+(?:a\s+)?(?:small\s+)?(?:affiliate\s+)?"
    r"(?:commission|share of sales)|"
    r"(?:this|our)\s+(?:post|article|page|story|site|review|guide)\s+(?:contains|may contain|includes)\s+affiliate\s+"
    r"links?|(?:we|I)\s+(?:may\s+)?(?:use|include)\s+affiliate\s+links?)",
    re.I,
)
AFFILIATE_BOX_SIZE = 800


def _drop_affiliate_boxes(body: HtmlElement) -> None:
    """A small box carrying an affiliate disclosure is a product blurb, whatever its markup: drop the box."""
    hits = [el for el in body.iter(lxml.etree.Element) if el.text and AFFILIATE_DISCLOSURE.search(el.text)]
    for el in hits:
        if el.getparent() is None or not any(a is body for a in el.iterancestors()):
            continue  # already removed with an earlier box
        box = el
        while (
            box.getparent() is not None
            and box.getparent() is not body
            and box.getparent().tag not in NEVER_BOILERPLATE
            and len(box.getparent().text_content()) < AFFILIATE_BOX_SIZE
        ):
            box = box.getparent()
        if box is el:
            # No box around it: the blurb is the run of product lines just before the disclosure.
            previous = el.getprevious()
            while previous is not None and _looks_like_blurb(previous):
                el, previous = previous, previous.getprevious()
                _remove(el)
        if len(box.text_content()) < AFFILIATE_BOX_SIZE:
            _remove(box)


def _holds_text(el: HtmlElement, size: int) -> bool:
    """Whether el holds `size` characters of text or more; reads no further (a page's wrapper holds megabytes)."""
    held = 0
    for piece in el.itertext():
        held += len(piece)
        if held >= size:
            return True
    return False


def _looks_like_blurb(el: HtmlElement) -> bool:
    """A product line: an image link, a line that is all link, a teaser cut off with an ellipsis, a disclosure."""
    if el.tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
        return False
    text = " ".join(el.text_content().split())
    if not text:
        return el.find(".//img") is not None
    if len(text) > 300:
        return False
    return _all_links(el) or text.endswith(("…", "...")) or bool(AFFILIATE_DISCLOSURE.search(text))


def _names_boilerplate(names: str) -> bool:
    """'related-posts', 'comment-list', 'affiliate_box': a class or id token led by a boilerplate word."""
    return names_say(names, BOILERPLATE_WORDS)


@lru_cache(maxsize=4096)  # pages repeat the same few class strings on hundreds of elements
def names_say(names: str, words: frozenset[str]) -> bool:
    """Whether a class or id token is led by one of `words`, not negated ("sidebar-left", not "no-sidebar").

    Wrappers name what they hold or lack ("has-sidebar", "with-share", "no-share"),
    so a word right after a negating part says nothing of the element itself.
    """
    for token in names.lower().split():
        parts = [p for p in re.split(r"[-_]+", token) if p]
        for i, part in enumerate(parts):
            joined = part + (parts[i + 1] if i + 1 < len(parts) else "")
            if (part in words or joined in words) and (i == 0 or parts[i - 1] not in NEGATING_PARTS):
                return True
    return False


def _remove(el: HtmlElement) -> None:
    parent = el.getparent()
    if parent is None:
        return
    tail = el.tail
    if tail and tail.strip():
        prev = el.getprevious()
        if prev is not None:
            prev.tail = (prev.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(el)


def filter_lines(text: str) -> str:
    lines = []
    for line in text.splitlines():
        line = " ".join(line.split()).removeprefix("- ")  # trafilatura's list-item marker
        if line and not BOILERPLATE_LINES.match(unmarked(line)):
            lines.append(line)
    return "\n".join(lines)


# The label over a run of links to other stories, alone in its element ("Weiterlesen:", "Related articles",
# "Lea también", "Saiba mais"). The line filter reads one line at a time: it may drop such a label, never
# the other stories' headlines on the lines under it.
TEASER_LABEL_PATTERNS = (
    r"(?:Read|See) (?:more|also)|Also read|Related(?: articles| stories| posts| content| coverage| news)?|"
    r"More (?:on|about) this(?: story| topic)?|Recommended(?: for you| articles| stories| reading)?|"
    r"You (?:may|might) also like|Further reading",
    r"Weiterlesen|Mehr zum Thema|Mehr Themen|Auch lesen|Lesen Sie (?:auch|mehr)|"
    r"Das könnte (?:Sie|dich) auch interessieren|Empfohlene (?:Artikel|Beiträge)|Ähnliche (?:Artikel|Beiträge)|"
    r"Siehe auch|Auch interessant|Lesetipps?",
    r"Lea (?:también|más)|Lee (?:también|más)|Vea también|Notas relacionadas|Noticias relacionadas|"
    r"(?:También )?te puede interesar|Mir[aá] también|"
    r"Leia (?:também|mais)|Saiba mais|Veja também|Notícias relacionadas|Lire aussi|À lire aussi|Lire également|"
    r"Sur le même sujet|Leggi anche|Vedi anche|Articoli correlati|Lees (?:ook|meer)|Gerelateerde artikelen|"
    r"Läs (?:också|mer)|Les også|Læs også|Lue myös|Czytaj (?:też|także)|Baca [Jj]uga|Читайте (?:также|також)|"
    r"Διαβάστε (?:επίσης|ακόμα|ακόμη)|(?:Čtěte|Přečtěte si) (?:také|též)|İlgili (?:haber|haberler)|"
    r"اقرأ (?:أيضا|أيضاً)|यह भी पढ़ें|(?:Xem|Đọc) thêm|קראו (?:גם|עוד)|(?:بیشتر |همچنین )?بخوانید|"
    r"(?:یہ بھی|مزید) پڑھیں|По теме|আরও পড়ুন|हेही वाचा|இதையும் படிக்க|ఇది కూడా చదవండి|આ પણ વાંચો|อ่านเพิ่มเติม",
    r"あわせて読みたい|関連記事|相关阅读|延伸阅读|相關閱讀|延伸閱讀|관련기사|相关新闻|相關新聞|相关报道|相關報導|推荐阅读|"
    r"推薦閱讀",
)
# Marks may stand on both sides of the label: brackets ("【関連記事】", "[Related]"), a bullet or arrow ("■関連記事",
# "▼ Mehr zum Thema"), a colon after it.
TEASER_LABEL = re.compile(r"^\W*(?:" + "|".join(TEASER_LABEL_PATTERNS) + r")\W*$", re.I)
HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
TEASER_LABEL_SIZE = 100  # characters of markup text, its indentation included: past this it is no label
TEASER_LABEL_ELEMENTS = 8  # a label and its wrappers are a few elements: <div><h3><span>Related</span></h3></div>
TEASER_RUN_SIZE = 3000  # characters: one element of the run holding more holds more than teasers


def _drop_teaser_runs(body: HtmlElement) -> None:
    """A teaser label ("Weiterlesen:", "Related articles") and the run of linked lines right after it.

    The label is an element whose whole text is the label (its wrappers that say nothing more count as the
    label); the run is its following siblings that are links and nothing else (a paragraph of one link,
    a list of links, a card of a picture and a link), up to the first that holds text of its own or a
    heading. A label with no link after it is left to the line filter.
    """
    for el in list(body.iter(*HEADINGS, "p", "div", "span", "strong", "b", "dt", "header")):
        if not _few_elements(el) or _holds_text(el, TEASER_LABEL_SIZE):
            continue  # no label: told without reading a wrapper's whole subtree
        text = " ".join(el.text_content().split())
        if not text or not TEASER_LABEL.match(unmarked(text)) or not any(a is body for a in el.iterancestors()):
            continue  # no label, or one already removed
        if next(el.iter("a"), None) is not None or any(a.tag == "a" for a in el.iterancestors()):
            continue  # a "Read more" link is a button, not a label
        label = el
        while (
            (parent := label.getparent()) is not None
            and parent is not body
            and parent.tag not in NEVER_BOILERPLATE
            and _few_elements(parent)
            and not _holds_text(parent, TEASER_LABEL_SIZE)
            and " ".join(parent.text_content().split()) == text
        ):
            label = parent
        if label.tail and label.tail.strip():
            continue
        run = []
        for sibling in label.itersiblings():
            if not isinstance(sibling.tag, str):
                continue
            if sibling.tag in HEADINGS or _holds_text(sibling, TEASER_RUN_SIZE) or not _all_links(sibling):
                break
            run.append(sibling)
            if sibling.tail and sibling.tail.strip():
                break
        if any(" ".join(s.text_content().split()) for s in run):
            for gone in (label, *run):
                _remove(gone)


# Marks that set a link apart as a pointer to another page: brackets around it, arrows, chevrons and bullets beside it.
POINTER_MARKS = re.compile(r"[\s\[\](){}<>«»‹›→⇒➔➜➝➞➤►▶▸▷·|:*\-–—]+")
POINTED_LINK_WORDS = 3  # a headline has a few words; "[ more ]" is a control the line filter and extractor handle


def _drop_pointed_links(body: HtmlElement) -> None:
    """A paragraph that is one link to another page and marks pointing at it is a teaser of another story.

    Arc XP's interstitial links ("[ Council approves bus lanes ]"), ">>> Headline", "► Headline", "Headline
    →": the marks say "go there", in no language. A link alone with no marks, or among a sentence's words, stays:
    it may be the story's own line (a document, a quoted headline), and dropping every paragraph that is all
    link cost half A of bench/extraction.py 0.9548 -> 0.9533. So does a link to a passage of the page itself,
    and a signature ("— Jane Marie Doe", `_signature`), kept as its words.
    """
    for p in list(body.iter("p")):
        links = list(p.iter("a"))
        if len(links) != 1 or (links[0].get("href") or "#").strip().startswith("#"):
            continue
        linked = " ".join(links[0].text_content().split())
        rest = " ".join(p.text_content().split()).replace(linked, " ", 1)
        if len(linked.split()) < POINTED_LINK_WORDS or not rest.strip() or not POINTER_MARKS.fullmatch(rest):
            continue
        if _signature(linked, links[0].get("href") or ""):
            links[0].drop_tag()  # the extractor drops a short line that is all link as a pointer elsewhere
        else:
            _remove(p)


def _signature(linked: str, href: str) -> bool:
    """Whether a link set apart by marks signs the story off: a person's name linking their author page.

    "— Jane Marie Doe" under the story's last paragraph points at its writer, not at another story. Both must
    hold: a headline in capitals ("Storm Closes Coast Road") is shaped as a name, and a story's address may
    pass through a section named for people ("/people/...").
    """
    return bool(PROFILE_PATH.search(href.split("#")[0])) and looks_like_person(linked)


# Characters past which a block holds more than a teaser label and its link: a paragraph of the story.
LABELLED_LINK_SIZE = 400


def _drop_labelled_links(body: HtmlElement) -> None:
    """A block that is a teaser label and links to other pages, and nothing else: "Lire aussi | Headline".

    Templates set the label inside the teaser's own paragraph, apart from its link by whatever mark they like (Le
    Monde's "Lire aussi |", Kompas's "Baca juga:", "Read more »", 関連記事：); the line filter reads only a label
    followed by a colon, and the teaser run only a label in an element of its own. The block's words outside its
    links must be a TEASER_LABEL (with its marks) and no more: a sentence of the story that links another
    story says more than a label, and stays.
    """
    for block in list(body.iter("p", "div", "li", "dd", *HEADINGS)):
        if not any(a is body for a in block.iterancestors()) or _holds_text(block, LABELLED_LINK_SIZE):
            continue  # removed with an earlier block, or longer than a label and a headline
        links = [a for a in block.iter("a") if not (a.get("href") or "#").strip().startswith("#")]
        if not links or not any(" ".join(a.text_content().split()) for a in links):
            continue
        outside = _text_outside_links(block)
        if outside and TEASER_LABEL.match(unmarked(outside)):
            _remove(block)


def _text_outside_links(el: HtmlElement) -> str:
    """el's words outside its links, whitespace collapsed (what follows a link in its line is outside it)."""
    parts: list[str] = []

    def walk(node: HtmlElement) -> None:
        parts.append(node.text or "")
        for child in node:
            if isinstance(child.tag, str) and child.tag != "a":
                walk(child)
            parts.append(child.tail or "")

    walk(el)
    return " ".join("".join(parts).split())


CONTENTS_LABEL_SIZE = 60  # characters outside its links a table of contents' box holds: a label ("Contents")


def _drop_contents_lists(body: HtmlElement) -> None:
    """A list whose every link goes to a passage of this page is its table of contents: drop it with its label.

    Its entries repeat the story's subheadings ahead of them, and its label ("Table of contents", "Inhalt",
    "Índice") is in every language; what tells it is where its links go. The box is the list and its ancestors
    while all their links go to passages of the page and they hold CONTENTS_LABEL_SIZE characters or fewer
    besides the links. Footnotes (words beside a back link) hold more than a label, and stay. Each ancestor is
    judged once: thousands of lists in one wrapper would each read the wrapper's whole subtree again.
    """
    judged: dict[HtmlElement, bool] = {}

    def in_box(el: HtmlElement) -> bool:
        if el not in judged:
            judged[el] = el.tag not in NEVER_BOILERPLATE and _contents(el) and _outside_links(el) <= CONTENTS_LABEL_SIZE
        return judged[el]

    for listing in list(body.iter("ul", "ol")):
        if not any(a is body for a in listing.iterancestors()):
            continue  # removed with an earlier box
        if not _contents(listing) or _outside_links(listing) > 0:
            continue
        box = listing
        while (parent := box.getparent()) is not None and parent is not body and in_box(parent):
            box = parent
        _remove(box)


def _contents(el: HtmlElement) -> bool:
    """Whether el holds two links or more and every one goes to a passage of the page ("#section")."""
    count = 0
    for a in el.iter("a"):
        href = (a.get("href") or "").strip()
        if len(href) < 2 or not href.startswith("#"):
            return False
        count += 1
    return count >= 2


def _outside_links(el: HtmlElement) -> int:
    """Characters of el's text outside its links, spaces aside."""
    inside = sum(len("".join(a.text_content().split())) for a in el.iter("a"))
    return len("".join(el.text_content().split())) - inside


# The pages a plea sends a reader to: a subscription, newsletter, registration, membership or donation page, a log-in
# for subscribers, a messenger channel. Named by a part of the address's path on its own (`/abo`, `/newsletter/`,
# `/registrieren`, `/support-us/`), or its host (`abo.example`, `t.me`): a story's slug that mentions a newsletter
# is no such page.
PLEA_PAGE_WORDS = (
    r"abo|abos|abonnements?|abonnemente|abonnieren|abbonamenti|abbonamento|abbonati|assinaturas?|assine|"
    r"suscripci[oó]n|suscripciones|suscribete|suscr[ií]bete|subscribe|subscriptions?|subscriber|newsletters?|"
    r"inscription|register|registrieren|registrierung|registration|signup|sign-up|join|join-us|membership|"
    r"memberships|become-a-member|mitglied-werden|mitgliedschaft|donate|donation|donations|spenden|spende|"
    r"support-us|unterstuetzen|unterst%c3%bctzen|login|log-in|my-account"
)
PLEA_PATH_PART = re.compile(rf"(?:{PLEA_PAGE_WORDS})(?:[-_][a-z0-9]+){{0,2}}(?:\.\w+)?", re.I)
PLEA_HOST = re.compile(r"(?:abo|subscribe|join|donate|spenden|newsletter)\.|(?:t|telegram)\.me$|chat\.whatsapp\.com$")
# A channel the reader is asked to follow, where the service gives a channel an address under a shared host: WhatsApp's
# channels (`whatsapp.com/channel/ID`, since 2023) and a publication's page on Google News (`news.google.com/
# publications/ID`, its "Follow" button). Read as host and path.
PLEA_CHANNEL = re.compile(r"(?:www\.)?whatsapp\.com/channel/|news\.google\.com/publications/")
PLEA_BOX_SIZE = 300  # characters: past this the block holds more than a plea (a paragraph of the story)


# A route in the address's fragment, which a page's scripts open as a page of their own: Ghost's members portal
# ("#/portal/signup", on every Ghost site), a single-page app's "#!/newsletter". A plain anchor ("#newsletter") is a
# passage of the same page.
FRAGMENT_ROUTE = re.compile(r"!?/")


def _plea_page(href: str) -> bool:
    """Whether a link goes to a page of PLEA_PAGE_WORDS (by its path, or its fragment's route), or a messenger
    channel (`_channel`)."""
    try:
        parts = urlsplit(href.strip())
    except ValueError:
        return False
    host = parts.hostname or ""
    if _channel(host, parts.path):
        return True
    route = parts.fragment if FRAGMENT_ROUTE.match(parts.fragment) else ""
    return any(PLEA_PATH_PART.fullmatch(part) for part in f"{parts.path}/{route}".split("/") if part)


def _channel(host: str, path: str) -> bool:
    """Whether an address is a messenger or news channel a plea asks the reader to follow (PLEA_HOST, PLEA_CHANNEL)."""
    return bool(PLEA_HOST.match(host) or PLEA_CHANNEL.match(f"{host}{path}"))


def _drop_plea_boxes(body: HtmlElement) -> None:
    """A short block around a link to a subscription, newsletter, membership or donation page is a plea.

    Each outlet words its own ("Unterstütze uns", "Join now", "Únete a nuestro canal"); where the plea goes
    is the same everywhere. The box is the link's block, and its ancestors while they stay under
    PLEA_BOX_SIZE characters: a plea's heading and its lines go with its button; a story's paragraph
    that links a newsletter in passing is longer, and stays.
    """
    links = [a for a in body.iter("a") if _plea_page(a.get("href") or "")]
    site = _page_site(body) if links else None
    for link in links:
        if not any(a is body for a in link.iterancestors()):
            continue  # already removed with an earlier box
        box = next((a for a in link.iterancestors() if a.tag not in INLINE), None)
        if box is None or box is body or box.tag in NEVER_BOILERPLATE or _holds_text(box, PLEA_BOX_SIZE):
            continue
        if not _own_plea(link, box, site):
            continue  # a sentence of the story citing another site's sign-up or donation page
        _remove(_plea_box(box, body))


def _plea_box(el: HtmlElement, body: HtmlElement, form: HtmlElement | None = None) -> HtmlElement:
    """el with its ancestors while they stay under PLEA_BOX_SIZE characters: a plea's heading and lines go with it.

    Around a sign-up `form`, an ancestor must also say no more than a pitch besides the form (`_pitch`): the
    story's paragraphs set in one wrapper with the form, a brief's included, are not the form's.
    """
    box = el
    while (
        (parent := box.getparent()) is not None
        and parent is not body
        and parent.tag not in NEVER_BOILERPLATE
        and not _holds_text(parent, PLEA_BOX_SIZE)
        and (form is None or _pitch(parent, form) <= SIGNUP_PITCH_SIZE)
    ):
        box = parent
    return box


def _drop_signup_forms(body: HtmlElement) -> None:
    """A field asking for the reader's email address, with the short box around it: a sign-up, never the story.

    Every newsletter, membership or log-in form asks for it (`<input type="email">`: Ghost's signup card,
    Jetpack's and Mailchimp's subscription forms, Substack's widget), whatever its classes say and in any
    language, and with no link to tell it by. The box is the field and its ancestors while they stay under
    PLEA_BOX_SIZE characters and say no more than a pitch besides the form, as `_plea_box` climbs: the form's
    heading and pitch go with it; a wrapper that also holds the story's paragraphs (a brief with a sign-up form
    a plugin appends, a page built inside one <form>) does not.
    """
    fields = [i for i in body.iter("input") if (i.get("type") or "").strip().lower() == "email"]
    for field in fields:
        if any(a is body for a in field.iterancestors()):  # not removed with an earlier box
            form = next(field.iterancestors("form"), None)
            if form is None or _holds_text(form, PLEA_BOX_SIZE):
                form = field  # no form of its own: a page-wide <form> holds the story too
            _remove(_plea_box(field, body, form))


# Characters a sign-up's own words hold outside its form, headings and labels aside: a pitch ("Get the Morning Brief
# in your inbox every weekday", 58) and a disclaimer ("No spam. Unsubscribe anytime."). A story's paragraph says more.
SIGNUP_PITCH_SIZE = 120
FORM_TITLES = (*HEADINGS, "label", "legend")


def _pitch(el: HtmlElement, form: HtmlElement) -> int:
    """Characters of el's text outside `form` and outside its headings and labels (the form's titles), spaces aside.

    An element inside the form says only the form's words: none.
    """
    if any(a is form for a in el.iterancestors()):
        return 0
    said = len("".join(el.text_content().split())) - len("".join(form.text_content().split()))
    for title in el.iter(*FORM_TITLES):
        if not any(a is form for a in title.iterancestors()):
            said -= len("".join(title.text_content().split()))
    return said


# The share of a block's text its link must be, for a link to another site's sign-up or donation page to be the
# block's button (a plea: "Jetzt spenden!"), not a few words of a sentence of the story that cites it.
PLEA_BUTTON_SHARE = 0.5


def _own_plea(link: HtmlElement, box: HtmlElement, site: str | None) -> bool:
    """Whether a link to a plea's page (`_plea_page`) in `box` is the page's own plea, not the story citing one.

    The outlet's plea sends the reader to its own site (a relative link, the page's site or its subdomains:
    `abo.example`), to a channel (`_channel`), or is the block's button. A story's sentence citing another site's
    registration or donation page ("The food bank is appealing for help on its donation page") is none.
    With the page's own site unknown, every plea page counts.
    """
    href = (link.get("href") or "").strip()
    try:
        parts = urlsplit(href)
    except ValueError:
        return False
    host = parts.hostname or ""
    if not host or site is None or _site_of(host) == site or _channel(host, parts.path):
        return True
    text = len(" ".join(box.text_content().split()))
    return len(" ".join(link.text_content().split())) >= PLEA_BUTTON_SHARE * text


def _page_site(body: HtmlElement) -> str | None:
    """The page's own site (`_site_of`), from its canonical link, OpenGraph address or <base>; None if it names none."""
    root = body.getroottree().getroot()
    for href in (
        *root.xpath("//link[contains(concat(' ', normalize-space(@rel), ' '), ' canonical ')]/@href"),
        *root.xpath("//meta[@property='og:url']/@content"),
        *root.xpath("//base/@href"),
    ):
        try:
            host = urlsplit(str(href).strip()).hostname
        except ValueError:
            continue
        if host:
            return _site_of(host)
    return None


def _site_of(host: str) -> str:
    """A host's site: its last two labels, three under a country's second level ("news.bbc.co.uk": "bbc.co.uk")."""
    labels = host.lower().rstrip(".").split(".")
    keep = 3 if len(labels) >= 3 and len(labels[-1]) == 2 and len(labels[-2]) <= 3 else 2
    return ".".join(labels[-keep:])


def _few_elements(el: HtmlElement) -> bool:
    """Whether el and its descendants are TEASER_LABEL_ELEMENTS elements or fewer; reads no further."""
    return next(islice(el.iter(), TEASER_LABEL_ELEMENTS, None), None) is None


def _all_links(el: HtmlElement) -> bool:
    """Whether el's text is all in links (or it has none: a spacer, a picture)."""
    text = " ".join(el.text_content().split())
    if not text:
        return True
    linked = sum(len(" ".join(a.text_content().split())) for a in el.iter("a"))
    return linked >= 0.8 * len(text)
