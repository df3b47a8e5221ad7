"""Every date a page offers, each with where it came from and what it claims to be.

Gathering is kept apart from choosing (`scrapers.article.datechoice`): a page
typically carries the same date three or four times (JSON-LD, OpenGraph, a
<time>, the URL) and sometimes a different one in one of them (a modification
date in a "published" field, a copyright line, a related article's date). The
choice is only as good as what it can compare, so this module reads every
place a date can be, and labels each find with its source and role rather
than stopping at the first.

Roles: "published" (the field or the words around it say so), "modified"
(updated, last changed, as of), "unknown" (a date on the page that says
nothing of what it is).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from copy import deepcopy
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta, tzinfo
from html import unescape
from itertools import islice
from urllib.parse import urlsplit

import lxml.etree
from lxml.html import HtmlElement

from scrapers.article.dates import (
    ISO_DATE,
    TEXT_DATE,
    ascii_digits,
    date_in_url,
    dates_at,
    dates_in_text,
    normalise_date,
    page_calendar,
    relative_date,
    year_of,
    yearless_date,
)
from scrapers.article.jsonld import ld_types
from scrapers.article.scriptstate import state_date, state_objects, states
from scrapers.article.structured import Sources
from scrapers.article.tree import (
    CARD_LINK_LETTERS,
    card_link_letters,
    following,
    in_readers_item,
    is_comment_block,
)
from scrapers.article.zones import COUNTRY_ZONES, outlet_zone, to_local, zone_written

PUBLISHED = "published"
MODIFIED = "modified"
UNKNOWN = "unknown"


@dataclass(frozen=True)
class DateCandidate:
    """One date found on a page: ISO 8601 value, where it was found, and what it claims to be."""

    value: str
    source: str  # e.g. "json-ld datePublished", "meta article:published_time", "time", "url", "text"
    role: str  # PUBLISHED, MODIFIED or UNKNOWN
    shown: str = field(default="", compare=False)  # the words a "relative" date was counted from ("vor 3 Stunden")

    @property
    def day(self) -> str:
        return self.value[:10]

    @property
    def family(self) -> str:
        """Sources that are one field written twice (JSON-LD and meta from the same CMS) share a family."""
        return self.source.split(" ", 1)[0]


# Sources that are the page's fields for machines, often one CMS field written several times; "state" is a
# script framework's copy of them (`_state_dates`), "rdfa" the attributes of RDFa (`_rdfa_dates`).
STRUCTURED_FAMILIES = frozenset(("json-ld", "json-ld-page", "meta", "microdata", "rdfa", "state"))
PUBLISHED_META = (
    "article:published_time",
    "og:article:published_time",
    "og:published_time",
    "datepublished",
    "article.published",
    "published_time",
    "publish-date",
    "publishdate",
    "pubdate",
    "parsely-pub-date",
    "sailthru.date",
    "dc.date.issued",
    "dcterms.issued",
    "dc.date",
    "dcterms.date",
    "dc.date.created",
    "dcterms.created",
    "datecreated",
    "citation_publication_date",
    "citation_date",
    "date",
    "article:published",
    "release_date",
    "uploaddate",
    # More names publishers' tags give the publication (those htmldate reads, but for the loose "meta",
    # "timestamp" and "gentime", the page's generation): Cxense's, Bonnier's, Chinese portals' "ptime", ...
    "article:published_date",
    "article:post_date",
    "article:publicationdate",
    "article.created",
    "article_date_original",
    "og:article:published",
    "og:datepublished",
    "og:pubdate",
    "og:publish_date",
    "cxenseparse:recs:publishtime",
    "bt:pubdate",
    "rbpubdate",
    "rnews:datepublished",
    "dc.date.publication",
    "dc:date",
    "dc:created",
    "dcsext.articlefirstpublished",
    "originalpublicationdate",
    "date_published",
    "published_date",
    "published-date",
    "publisheddate",
    "publication_date",
    "publish_date",
    "publish_time",
    "dateposted",
    "displaydate",
    "pdate",
    "ptime",
    "vr:published_time",
    "mediator_published_time",
    "shareaholic:article_published_time",
    "twt-published-at",
)
MODIFIED_META = (
    "article:modified_time",
    "og:updated_time",
    "datemodified",
    "last-modified",
    "dc.date.modified",
    "dcterms.modified",
    "article.updated",
    "lastmod",
    # Less common names CMSs give the last change; htmldate reads some of them ("modified") as any date.
    "article:modified",
    "article:updated_time",
    "modified",
    "updated",
    "revised",
    "date.modified",
    "dcterms.datemodified",
    "last_updated_date",
    "last-update",
    "lastupdate",
    "article:modified_date",
    "article:post_modified",
    "og:modified_time",
    "og:article:modified_time",
    "modified_time",
    "modificationdate",
    "lastmodified",
    "dc.modified",
    "bt:moddate",
    "utime",
)
LD_FIELDS = (
    ("datePublished", PUBLISHED),
    ("dateCreated", PUBLISHED),
    ("uploadDate", PUBLISHED),
    ("dateModified", MODIFIED),
)
# Words before a date that say which date it is, in the languages of the pages we read; then, as pages
# write them, a preposition ("Updated on", "Aktualisiert am", "Mis à jour le") and a weekday ("Published:
# Tuesday, March 3") between the word and the date.
WEEKDAYS = (
    r"(?:mon|tues?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)(?:day)?|montag|dienstag|mittwoch|donnerstag|freitag|"
    r"samstag|sonnabend|sonntag|lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|lunes|martes|mi[ée]rcoles|"
    r"jueves|viernes|s[áa]bado|domingo|luned[ìi]|marted[ìi]|mercoled[ìi]|gioved[ìi]|venerd[ìi]|sabato|domenica|"
    r"(?:segunda|ter[çc]a|quarta|quinta|sexta)(?:-feira)?|maandag|dinsdag|woensdag|donderdag|vrijdag|zaterdag|zondag"
)
# A clock may come first ("Updated 10:32 AM EST, Sat December 5", "Aktualisiert: 10:00 Uhr, 05.12.", "Mis à jour à
# 10h00, le 5", "Cập nhật lúc 10:00 5/12"), its zone written in capitals.
CLOCK_BEFORE = (
    r"(?:(?:at|um|à|a\s+las|alle|às|om|kl|klo|lúc|в|o)\W+)?\d{1,2}[:.h]\d{2}"
    r"(?:\s*(?:[ap]\.?\s?m\b\.?|uhr\b|h\b))?(?:\s+(?-i:[A-Z]{2,5})\b)?\W+"
)
BEFORE_DATE = (
    rf"\W*(?:{CLOCK_BEFORE})?(?:(?:on|at|am|um|vom|le|el|il|em|op|den|la|dne|më|στις|في|ngày)\W+)?"
    rf"(?:(?:{WEEKDAYS})\W+)?$"
)
# A field's name after the role word: "Publication date:", "Published date", "Publicatiedatum:", "Güncelleme tarihi:".
FIELD = r"(?:\W*(?:date|time|datum|tarihi))?"
# A role word starts a word of an alphabetic script ("Wasserstand:" is no "Stand:", "unreleased" no
# "released"); CJK and Hangul words have no spaces to start after, so they are not held to it.
WORD_START = r"(?<![A-Za-zÀ-ɏͰ-ӿ])"
MODIFIED_WORDS = re.compile(
    WORD_START + r"(?:updated|update|last (?:changed|modified|edited|reviewed)|modified|revised|as of|"
    r"aktualisiert|aktualisierung|zuletzt|geändert|änderung|überarbeitet|stand|"
    r"mis à jour|mise à jour|modifié|modification|actualisé|actualizado|actualización|modificado|modificación|"
    r"atualizado|atualização|modificação|aggiornato|aggiornamento|modificato|modifica|bijgewerkt|gewijzigd|"
    r"uppdaterad|opdateret|oppdatert|päivitetty|aktualizováno|aktualizacja|zaktualizowano|обновлено|"
    r"güncellendi|güncelleme|actualizat|frissítve|módosítva|更新(?:日|日期|日時|时间|時間)?|수정|"
    r"оновлено|ενημ[εέ]ρ[ωώ]ση|ενημερ[ωώ]θηκε|aktualizované|ažurirano|posodobljeno|обновено|актуализирано|"
    r"atnaujinta|uuendatud|actualitzat|diperbarui|अपडेट|अद्यतन|تحديث|cập nhật|อัปเดต|อัพเดท|แก้ไขล่าสุด|ปรับปรุง|"
    r"עודכן|আপডেট|হালনাগাদ|اپ ڈیٹ|imesasishwa|na-update|përditësuar|uppfært|yenilənib|"
    # A correction's or an edit's date ("Correction: March 18", "Last edited", "Editado:"), Korean's and
    # Hindi's loanwords for "updated".
    r"correction|corrected|edited|editado|업데이트|अपडेटेड|"
    # More of the same languages' words, as their news sites write them ("Изменено:", "Güncellenme Tarihi:",
    # "Data actualizării:", "Dikemas kini", "修改时间", "به‌روزرسانی", "محدث", "Обновена", "Atjaunots").
    r"изменено|обновлен[оа]?|обновена|güncellenme|actualizării|actualizare|dikemas\s+kini|kemas\s+kini|"
    r"修改(?:日期|时间|時間)?|به\u200c?\s?روز\s?رسانی|بروزرسانی|محدث|atjaunots|atjaunināts)" + FIELD + BEFORE_DATE,
    re.I,
)
PUBLISHED_WORDS = re.compile(
    WORD_START + r"(?:published|posted|first published|released|veröffentlicht|erschienen|erstellt|publiziert|"
    r"publié|publicado|pubblicato|gepubliceerd|opublikowano|"
    r"publicerad|publiceret|publisert|julkaistu|publikováno|опубликовано|yayınlanma|yayımlanma|publicat|"
    r"közzétéve|(?:公開|公开|发布|發布|發佈)(?:日|日期|日時|时间|時間)?|발행|입력|"
    r"опубліковано|δημοσ[ιί]ευση|δημοσιε[υύ](?:θηκε|τηκε)|publikované|objavljeno|публикувано|paskelbta|"
    r"avaldatud|diterbitkan|dipublikasikan|publikálva|प्रकाशित|نشر|تاريخ النشر|ngày đăng|đăng lúc|เผยแพร่|"
    r"פורסם|প্রকাশিত|شائع|imechapishwa|inilathala|publikuar|birt|dərc edilib|"
    # The noun where a field is named "Date de publication", "Fecha de publicación", "Erstveröffentlichung",
    # "Data publikacji", "Дата публикации", "投稿日", "发表时间".
    r"publish|publication|publicación|publicação|pubblicazione|publicatie|publikacji|публикации|veröffentlichung|"
    r"erstveröffentlichung|veröffentlichungsdatum|erscheinungsdatum|publikationsdatum|"
    r"投稿(?:日|日時)?|(?:发表|發表)(?:日期|时间|時間)?|"
    # More of the same languages' words ("Geplaatst:", "Yayın Tarihi:", "Oluşturulma:", "Data publicării:",
    # "Megjelent:", "Đăng ngày", "등록", "配信日時", "发稿时间", "تاریخ انتشار", "Публикувана", "Publicēts").
    r"geplaatst|yayın|oluşturulma|publicării|megjelent|megjelenés|đăng ngày|등록|(?:配信|掲載)(?:日|日時)?|"
    r"(?:发稿|發稿)(?:日期|时间|時間)?|انتشار|публикуван[аое]?|publicēts)" + FIELD + BEFORE_DATE,
    re.I,
)
COPYRIGHT_WORDS = re.compile(r"(?:©|\(c\)|copyright)\W*$", re.I)
DATE_CLASS = re.compile(
    r"date|time|datum|published|pubdate|byline|dateline|posted|meta|updated|modified|fecha|tarih|tanggal", re.I
)
BYLINE_CLASS = re.compile(r"byline|author|autor|dateline", re.I)
# Page furniture, and quotations: a <blockquote> holds another text, often an embedded post (a tweet, an
# Instagram picture) with that post's date.
OUTSIDE_STORY = ("nav", "footer", "aside", "blockquote")
SKIPPED_TAGS = ("script", "style", *OUTSIDE_STORY, "noscript", "template")
# A masthead's clock or "today is" widget, named so by a whole class or the id: it shows the day the page was
# served ("Donnerstag, 16. Februar 2012" on a story of the 14th), never the story's. An icon font's
# "fa-clock-o" beside a story's date is no such name, nor a bare "today": themes mark today's posts so,
# and a page fetched on the day it was published would lose its own date.
CLOCK_NAMES = frozenset(
    (
        "clock",
        "uhr",
        "current-date",
        "currentdate",
        "current_date",
        "date-today",
        "today-date",
        "todays-date",
        "tagesdatum",
        "fecha-hoy",
        "fecha-actual",
        "date-du-jour",
        "data-oggi",
        "data-atual",
        "data-hoje",
        # Named for "now" (a masthead's "Thứ hai, 7/12/2026" above the story).
        "time-now",
        "timenow",
        "date-now",
        "datenow",
        "current-time",
        "currenttime",
        "current_time",
    )
)
DIGIT = re.compile(r"\d")


def _outside_story(el: HtmlElement) -> bool:
    """Whether el holds no date of the story: a reader's comment, page furniture, a quotation, a clock."""
    return is_comment_block(el) or el.tag in OUTSIDE_STORY or _is_clock(el)


def _is_clock(el: HtmlElement) -> bool:
    return not CLOCK_NAMES.isdisjoint(f"{el.get('class') or ''} {el.get('id') or ''}".lower().split())


# How far past UTC's today a page's date may be: a page east of us is already on tomorrow (Tokyo's 08:30 is
# 23:30 UTC the day before). Every witness is held to it alike, htmldate too (`datechoice` doubts the rest).
FUTURE_SLACK = timedelta(days=1)
TEXT_DATES = 3  # written dates kept from each part of the page: the page's own come first
HEADLINE_REACH = 400  # elements after the headline searched for a written date


def gather(
    src: Sources, url: str | None, feed_date: str | None = None, fetched_at: datetime | None = None
) -> list[DateCandidate]:
    """All candidate dates of a page, in no particular order of trust (the choice weighs them).

    `fetched_at`, when the page was fetched just now, dates a page that says only how long ago it was
    published ("vor 3 Stunden"): a "relative" candidate, which never votes (`datechoice`).
    """
    found: list[DateCandidate] = []
    month_first = _month_first(src.language(), url, src.first_meta("og:locale"))
    calendar = page_calendar(src.language())

    def add(value, source: str, role: str) -> None:
        iso = normalise_date(value, month_first, calendar)
        if iso:
            candidate = DateCandidate(iso, source, role)
            if candidate not in found:
                found.append(candidate)

    for items, label in ((_dated_items(src), "json-ld"), (src.pages, "json-ld-page")):
        for item in items:
            for key, role in LD_FIELDS:
                add(item.get(key), f"{label} {key}", role)
    last_change = _last_change_meta(src)
    for keys, role in ((PUBLISHED_META, PUBLISHED), (MODIFIED_META, MODIFIED)):
        for key in keys:
            for value in src.meta.get(key, ())[:1]:
                add(value, f"meta {key}", MODIFIED if key in last_change else role)
    for value in src.meta.get("parsely-page", ())[:1]:
        add(_parsely_date(value), "meta parsely-page", PUBLISHED)
    for value, key, role in _state_dates(src, url):
        add(value, f"state {key}", role)
    for prop, role in (("datePublished", PUBLISHED), ("dateCreated", PUBLISHED), ("dateModified", MODIFIED)):
        marked = src.story_first(
            [el for el in src.tree.xpath(f"//*[@itemprop='{prop}'][not(self::meta)]") if not in_readers_item(el)]
        )
        for el in islice(marked, 1):
            value = el.get("datetime") or el.get("content") or _title_stamp(el) or _data_stamp(el) or el.text_content()
            add(value, f"microdata {prop}", role)
    for value, term, role in _rdfa_dates(src):
        add(value, f"rdfa {term}", role)
    headline, article = src.headline, src.article
    for value, role in _story_times(src.tree, article, headline):
        add(value, "time", role)
    add(date_in_url(url), "url", PUBLISHED)
    for value, role in _byline_dates(src.tree, month_first, calendar):
        add(value, "byline", role)
    for value, role in _written_dates(src.tree, article, headline, month_first, calendar):
        add(value, "text", role)
    htmldate = _htmldate(src.tree, url)
    if htmldate and not _misread(htmldate, found):
        add(htmldate, "htmldate", _htmldate_role(htmldate, found, src.tree, url))
    add(feed_date, "feed", PUBLISHED)
    for value, role in _yearless_dates(src.tree if article is None else article, found, fetched_at):
        add(value, "text", role)
    if fetched_at is not None:
        found.extend(_relative_dates(src.tree if article is None else article, fetched_at))
    stamps = [c.value for c in found if c.family not in ("text", "feed", RELATIVE)]
    zone = outlet_zone(stamps, url, src.language(), _zone_in_date_line(src.tree if article is None else article))
    return [_on_the_outlets_clock(c, found, zone) for c in found]


# A fact check's item: its own dates are the page's; the claim it reviews, nested in it, keeps the claim's.
REVIEW_TYPES = frozenset(("claimreview",))


def _dated_items(src: Sources) -> list[dict]:
    """The JSON-LD items whose dates are the page's: its articles', and a fact check's review (a ClaimReview)."""
    return src.articles + [item for item in src.ld_items if ld_types(item) & REVIEW_TYPES and item not in src.articles]


def _on_the_outlets_clock(candidate: DateCandidate, found: list[DateCandidate], zone: tzinfo | None) -> DateCandidate:
    """A candidate as the outlet's readers saw it: a UTC stamp on their clock, and htmldate's day with it.

    htmldate gives the day a stamp is written with: "2022-11-06T23:00:00Z" on a German page is the 6th to
    it and the 7th to the page's readers (and to us). When its day is the written day of the page's UTC
    stamps and each of them falls on another day locally, it read one of them, and witnesses its local day.
    """
    if candidate.source != "htmldate":
        return replace(candidate, value=to_local(candidate.value, zone))
    read = [
        to_local(c.value, zone)[:10]
        for c in found
        if c.family not in ("text", "feed", RELATIVE, "htmldate") and c.day == candidate.day
    ]
    if read and candidate.day not in read:
        return replace(candidate, value=read[0])
    return candidate


DATE_LINE_MAX = 200  # characters of an element read for the zone beside its clock: a date line, not a paragraph


def _zone_in_date_line(scope: HtmlElement) -> tzinfo | None:
    """The zone the story's date line names beside its clock ("Dec. 7, 2026 11:30 p.m. ET", "00:30 Uhr MEZ").

    Read in a <time>, a byline or a date-classed element of the story, never in its sentences ("the vote
    is due at 9 p.m. PT"), a reader's comment or another story's teaser.
    """
    links: dict[HtmlElement, bool] = {}
    for el in scope.iter(lxml.etree.Element):
        names = f"{el.get('class') or ''} {el.get('id') or ''}"
        if el.tag not in TIME_TAGS and not (DATE_CLASS.search(names) or BYLINE_CLASS.search(names)):
            continue
        text = " ".join(el.text_content().split())
        if not DIGIT.search(text) or len(text) > DATE_LINE_MAX:
            continue
        if any(_outside_story(a) for a in (el, *el.iterancestors())) or _in_teaser_link(el, links):
            continue
        zone = zone_written(text)
        if zone is not None:
            return zone
    return None


# RDFa's terms for a story's dates, without their vocabulary's prefix or address ("dc:created", "schema:dateCreated",
# "http://purl.org/dc/terms/modified"): Drupal's RDF module writes its node's creation so, in Dublin Core (Drupal 7:
# "dc:date dc:created") or schema.org's terms.
RDFA_TERMS = {
    "datepublished": PUBLISHED,
    "datecreated": PUBLISHED,
    "created": PUBLISHED,
    "issued": PUBLISHED,
    "date": PUBLISHED,
    "datemodified": MODIFIED,
    "modified": MODIFIED,
}
RDFA_DATED = lxml.etree.XPath("//*[@property][@content][not(self::meta)]")


def _rdfa_dates(src: Sources) -> list[tuple[str, str, str]]:
    """The story's dates in RDFa attributes (`<span property="dc:date dc:created" content="...">`): (value, term, role).

    The first of each role in the story's <article> (or, on a page without one, after its headline first, as
    `_story_times` reads), never a reader's comment's (Drupal marks each comment's creation the same way) nor
    page furniture's. Of the terms of one attribute, the last of its role names it ("dc:date dc:created").
    """
    marked = RDFA_DATED(src.article if src.article is not None else src.tree)
    if src.article is None and src.headline is not None:
        after = set(islice(following(src.headline), HEADLINE_REACH))
        marked = sorted(marked, key=lambda el: el not in after)
    out: list[tuple[str, str, str]] = []
    for el in marked:
        terms = [(t, RDFA_TERMS[_rdfa_term(t)]) for t in el.get("property").split() if _rdfa_term(t) in RDFA_TERMS]
        if not terms or any(role == terms[0][1] for _, _, role in out):
            continue
        if any(_outside_story(a) for a in (el, *el.iterancestors())):
            continue
        role = terms[0][1]
        out.append((el.get("content"), [t for t, r in terms if r == role][-1], role))
    return out


def _rdfa_term(term: str) -> str:
    """An RDFa term without its vocabulary ("dc:created", "http://purl.org/dc/terms/created": "created")."""
    return re.split(r"[:/#]", term)[-1].lower()


def _parsely_date(value: str) -> str | None:
    """The publication in Parse.ly's older tag, one JSON object in a meta tag ({"pub_date": "2026-03-02T09:30:00Z"})."""
    try:
        data = json.loads(value)
    except ValueError:
        return None
    found = data.get("pub_date") if isinstance(data, dict) else None
    return found if isinstance(found, str) else None


# The keys frameworks' and headless CMSs' story objects name their dates with, as in JSON-LD and beyond: Arc XP's
# ANS and Prismic name the first publication so (ANS's `publish_date` is the last one, its `created_date` the
# draft's), and the first is listed first; WordPress's post (its REST API's, WPGraphQL's) names it `date` (in the
# site's time; `date_gmt` is UTC without saying so) and its last change `modified`; Substack's post `post_date`;
# Astro's content collections (its blog template's schema) `pubDate` and `updatedDate`.
STATE_DATE_KEYS = (
    *((key, PUBLISHED) for key in ("first_publish_date", "first_publication_date", "datePublished", "publishedAt",
                                   "published_at", "publishDate", "publish_date", "publicationDate",
                                   "publishedDate", "firstPublishedAt", "first_published_at", "post_date", "pubDate",
                                   "date")),
    *((key, MODIFIED) for key in ("dateModified", "updatedAt", "updated_at", "modifiedAt", "lastModified",
                                  "last_updated_date", "last_publication_date", "updatedDate", "modified")),
)  # fmt: skip
# ANS names the headline under `headlines` ({"basic": "..."}), WordPress's REST API under `title` ({"rendered": ...}).
STATE_TITLE_KEYS = ("headline", "title", "seoTitle", "name", "headlines")
STATE_TITLE_WRAPPERS = ("basic", "rendered")
STATE_ADDRESS_KEYS = ("url", "canonicalUrl", "canonical", "canonical_url", "website_url", "path", "permalink", "slug",
                      "href", "uri", "link")  # fmt: skip
STATE_TITLE_MIN = 8  # a shorter title ("News", "Home") names a section, not the story


def _state_dates(src: Sources, url: str | None) -> list[tuple[object, str, str]]:
    """The story's own dates in the state a script framework keeps of the page: (value, key, role).

    Such a page shows its date only once its scripts run, and htmldate's last resort, the first stamp in the
    raw source, is any component's save time. The story's object is told from the others in the state (a
    related story's, the header's) by its title, which the page's headline or title gives, or by its
    address, which the page's URL holds; a state with no object so named dates nothing.
    """
    titles = _page_titles(src)
    path = (urlsplit(url).path.rstrip("/") if url else "").lower()
    out: list[tuple[object, str, str]] = []
    for state in states(src.tree):
        for item in state_objects(state):
            if not _names_the_story(item, titles, path):
                continue
            for key, role in STATE_DATE_KEYS:
                if isinstance(item.get(key), str | int | float) and not isinstance(item.get(key), bool):
                    out.append((state_date(item[key]), key, role))
            if out:
                return out
    return out


def _unwrapped_title(value: object) -> object:
    """A state's title as written: ANS's {"basic": ...} and WordPress's {"rendered": ...} hold it."""
    if isinstance(value, dict):
        return next((value[k] for k in STATE_TITLE_WRAPPERS if k in value), None)
    return value


def _page_titles(src: Sources) -> set[str]:
    """The page's names for its story, as compared: its headline, its OpenGraph and <title> titles."""
    found = [src.headline.text_content() if src.headline is not None else None]
    found += [src.first_meta("og:title"), src.first_meta("twitter:title"), src.tree.findtext(".//title")]
    return {_title_key(t) for t in found if t and len(_title_key(t)) >= STATE_TITLE_MIN}


def _title_key(title: str) -> str:
    return " ".join(title.split()).casefold()


def _names_the_story(item: dict, titles: set[str], path: str) -> bool:
    """Whether a state's object is the story: its title is the page's, or its address the page's own."""
    for key in STATE_TITLE_KEYS:
        value = _unwrapped_title(item.get(key))
        if isinstance(value, str) and len(_title_key(value)) >= STATE_TITLE_MIN:
            own = _title_key(unescape(value))  # WordPress's REST API writes its titles as HTML
            if any(t == own or t.startswith(own + " ") for t in titles):
                return True
    for key in STATE_ADDRESS_KEYS:
        value = item.get(key)
        if not isinstance(value, str) or len(value.strip("/")) < STATE_TITLE_MIN or not path:
            continue
        own = (urlsplit(value).path if "//" in value else value).rstrip("/").lower()
        if own and (path == own or (key == "slug" and path.endswith("/" + own.lstrip("/")))):
            return True
    return False


RELATIVE = "relative"
RELATIVE_TEXT_MAX = 80  # characters of an element read for "how long ago": a date's label, not a paragraph


def _relative_dates(scope: HtmlElement, fetched_at: datetime) -> list[DateCandidate]:
    """The first "how long ago" a page shows of its publication, counted back from when it was fetched.

    Read in a <time> without a stamp, a byline, or a date-classed element of the story (never in a
    reader's comment, page furniture or another story's teaser), not in the story's sentences. One
    of the update ("Updated 1 hour ago") dates nothing and is passed over: shown first, it hid the
    publication's beside it ("· Published 3 hours ago").
    """
    links: dict[HtmlElement, bool] = {}
    for el, where in _relative_places(scope):
        text = " ".join(el.text_content().split())
        if not text or len(text) > RELATIVE_TEXT_MAX:
            continue
        if any(_outside_story(a) for a in (el, *el.iterancestors())):
            continue
        offset = 0
        while (found := relative_date(text[offset:], fetched_at)) is not None and not _in_teaser_link(el, links):
            value, shown, start = found
            role = _role_from_words(_text_before(el) + " " + text[: offset + start])
            if role != MODIFIED:
                return [DateCandidate(value, f"{RELATIVE} {where}", role, shown)]
            offset += start + max(len(shown), 1)
    return []


def _relative_places(scope: HtmlElement) -> Iterator[tuple[HtmlElement, str]]:
    """Where a page shows how long ago it was published: <time> elements without a stamp, bylines, date labels."""
    for el in scope.iter("time", "amp-timeago"):
        if not (el.get("datetime") or _title_stamp(el) or _data_stamp(el)):
            yield el, "time"
    for where, names in (("byline", BYLINE_CLASS), ("text", DATE_CLASS)):
        for el in scope.iter(lxml.etree.Element):
            if names.search(f"{el.get('class') or ''} {el.get('id') or ''}"):
                yield el, where


# A page without one of these has no year-less CJK date to look for: 月, 월, or a weekday ("12/1(火)").
YEARLESS_MARKS = frozenset("月월火水木金土日")


def _yearless_dates(
    scope: HtmlElement, found: list[DateCandidate], fetched_at: datetime | None
) -> list[tuple[str, str]]:
    """The story's date shown without its year ("12月7日 8時30分"), in the year the page's other dates or its
    fetching say (`year_of`): at most one, the first not of an update.

    Read where "how long ago" is (a <time> without a stamp, a byline, a date label of the story), never in its
    sentences, and only where no full date is written.
    """
    if YEARLESS_MARKS.isdisjoint(scope.text_content()):
        return []
    near = sorted({date.fromisoformat(c.day) for c in found if c.family != RELATIVE})
    fetched = fetched_at.replace(tzinfo=fetched_at.tzinfo or UTC).astimezone(UTC).date() if fetched_at else None
    links: dict[HtmlElement, bool] = {}
    for el, _ in _relative_places(scope):
        text = _spaced_text(el)
        if not text or len(text) > RELATIVE_TEXT_MAX or dates_at(text):
            continue
        written = yearless_date(text)
        if written is None or any(_outside_story(a) for a in (el, *el.iterancestors())) or _in_teaser_link(el, links):
            continue
        month, day, start = written
        role = _role_from_words(_text_before(el) + " " + text[:start])
        value = year_of(month, day, near, fetched)
        if value and role != MODIFIED:
            return [(value, role)]
    return []


def _misread(htmldate: str, found: list[DateCandidate]) -> bool:
    """Whether htmldate's date is one we read differently: a modification date, or a slashed date swapped.

    htmldate reads the same page without the words around a date or the
    page's language, so a date the page calls "updated", or 03/04 read the
    other way round, is no second witness for publication.
    """
    day = htmldate[:10]
    ours = {c.day for c in found if c.role in (PUBLISHED, UNKNOWN)}
    if day in ours:
        return False
    swapped = {f"{c.day[:4]}-{c.day[8:10]}-{c.day[5:7]}" for c in found if c.family in ("text", "byline")}
    return day in swapped


# Where English writes the month first (03/04/2022 is the 4th of March); the other countries of
# COUNTRY_ZONES write the day first, and a generic domain (.com, .org) is taken as American.
MONTH_FIRST_COUNTRIES = {"us", "ph", "ca"}


def _month_first(language: str | None, url: str | None, locale: str | None = None) -> bool:
    """Whether 03/04/2022 is the 4th of March: on pages in American English (or English on a .com).

    A page tagged only "en" on a generic domain is read as its OpenGraph locale says ("en_GB": day first).
    """
    if not language or not language.lower().startswith("en"):
        return False
    region = language.lower().split("-")[1] if "-" in language else None
    host = (urlsplit(url).hostname or "") if url else ""
    if region is not None:
        return region in MONTH_FIRST_COUNTRIES
    tld = host.rsplit(".", 1)[-1]
    if tld in COUNTRY_ZONES:
        return tld in MONTH_FIRST_COUNTRIES
    locale = (locale or "").lower().replace("_", "-")
    if locale.startswith("en-"):
        return locale[3:] in MONTH_FIRST_COUNTRIES
    return True


def _role_from_words(before: str, default: str = UNKNOWN) -> str:
    before = before[-40:]
    if COPYRIGHT_WORDS.search(before):
        return "copyright"
    if MODIFIED_WORDS.search(before):
        return MODIFIED
    if PUBLISHED_WORDS.search(before):
        return PUBLISHED
    return default


def _role_from_names(el: HtmlElement, default: str) -> str:
    names = f"{el.get('class') or ''} {el.get('id') or ''} {el.get('itemprop') or ''}".lower()
    # WordPress marks a post never edited `class="entry-date published updated"`: one date, both roles,
    # first of all the publication.
    if re.search(r"published|pubdate|created|posted", names, re.I) or el.get("pubdate") is not None:
        return PUBLISHED
    if re.search(r"modified|lastmod", names, re.I):
        return MODIFIED
    if "updated" in names:
        # hAtom's class alone ("updated"), not a theme's own name for the change ("updated-date", "last-updated").
        hatom = [name for name in names.split() if "updated" in name] == ["updated"]
        return default if hatom and _alone_on_its_date_line(el) else MODIFIED
    return default


def _alone_on_its_date_line(el: HtmlElement) -> bool:
    """Whether el holds the only date of its date line: no other date written or stamped in the small block
    around it (its parent, and the parent's parent while that is still a line, not a paragraph).

    hAtom requires an entry's `updated` date and makes `published` optional, so themes that show one date mark
    it `updated`, on the publication: tagDiv's Newspaper and Newsmag write
    `<time class="entry-date updated td-module-date">` so. Beside another date (_s's `entry-date published`
    then `updated`, a hidden `updated` stamp next to the date shown) it is the change.
    """
    own = " ".join(el.text_content().split())
    for wrapper in islice(el.iterancestors(), 2):
        text = " ".join(wrapper.text_content().split())
        if len(text) > DATE_LINE_MAX:
            return True
        if any(other is not el and other.get("datetime") for other in wrapper.iter(*TIME_TAGS)):
            return False
        if dates_at(text.replace(own, " ", 1) if own else text):
            return False
    return True


def _title_stamp(el: HtmlElement) -> str | None:
    """The timestamp an element keeps in its title for a date it shows otherwise.

    hAtom and Blogger show "8:15 AM" in an <abbr> titled with the full stamp;
    a <time> without `datetime` shows "vor 3 Stunden", "hace 2 días" or "2 hours ago"
    and keeps the stamp as its tooltip.
    """
    title = el.get("title") or ""
    return title if ISO_DATE.match(ascii_digits(title)) else None


# Where scripts keep the stamp of a date they show as "2 hours ago" or "Monday" (Facebook's `data-utime`, news
# themes' `data-timestamp`): seconds or milliseconds since 1970 (a fraction after either: "1772443800.5"), or an
# ISO 8601 date. These first; then any data attribute named for a date or a time (Naver News's `data-date-time`
# and `data-modify-date-time`, "2024-03-05 10:20:01" beside "2024.03.05. 오전 10:20"), whose name may say its role.
DATA_STAMPS = (
    "data-timestamp",
    "data-time",
    "data-utime",
    "data-date",
    "data-datetime",
    "data-published",
    "data-publish-date",
    "data-pubdate",
    "data-published-at",
)
DATA_STAMP_NAME = re.compile(
    r"^data-(?:[a-z]+-)*(?:date|time|datetime|timestamp|published|modified|updated)(?:-[a-z]+)*$"
)
MODIFIED_STAMP_NAME = re.compile(r"modif|updat|edit", re.I)
STAMP = re.compile(r"^\s*(?:(?:\d{10}|\d{13})(?:\.\d+)?|\d{4}-\d{2}-\d{2}(?:[T ][\d:.+-]+Z?)?)\s*$")
TIME_TAGS = ("time", "abbr", "amp-timeago")
# The attributes themselves, not every element tested for each: a third of the time on a page of thousands. A
# stamp in a `title` (jQuery timeago on any element) or a `datetime` outside a <time> is read as one too.
STAMP_ATTRIBUTES = lxml.etree.XPath(
    " | ".join(f".//@{name}" for name in ("title", "datetime"))
    + " | .//@*[starts-with(name(), 'data-') and (contains(name(), 'date') or contains(name(), 'time')"
    " or contains(name(), 'published') or contains(name(), 'modified') or contains(name(), 'updated'))]"
)


def _own_stamp(el: HtmlElement) -> str | None:
    """The stamp an element keeps for the date it shows: in its `datetime`, its title or its data; else None."""
    stamp = el.get("datetime")
    if stamp and ISO_DATE.match(ascii_digits(stamp)):
        return stamp
    return _title_stamp(el) or _data_stamp(el)


def _data_stamp(el: HtmlElement) -> str | None:
    """The timestamp an element keeps in its data for the date it shows; None when it keeps none."""
    found = _data_stamp_attribute(el)
    return found[1] if found else None


def _data_stamp_attribute(el: HtmlElement) -> tuple[str, str] | None:
    """The data attribute (its name, its stamp) an element keeps the stamp of the date it shows in; None for none."""
    names = [*DATA_STAMPS, *(name for name in el.attrib if name not in DATA_STAMPS and DATA_STAMP_NAME.match(name))]
    for name in names:
        value = el.get(name)
        if value and STAMP.match(value):
            return name, value.strip()
    return None


def _stamp_role(el: HtmlElement) -> str:
    """The role an element's names give its date, or, failing them, the name of the data attribute its stamp is in
    (`data-modify-date-time`)."""
    role = _role_from_names(el, UNKNOWN)
    if role != UNKNOWN or el.get("datetime") or _title_stamp(el):
        return role
    found = _data_stamp_attribute(el)
    return MODIFIED if found and MODIFIED_STAMP_NAME.search(found[0]) else UNKNOWN


def _story_times(tree: HtmlElement, article: HtmlElement | None, headline: HtmlElement | None) -> list[tuple[str, str]]:
    """The story's <time> elements: its <article>'s; on a page with none, those after the headline first.

    A column of other stories' teasers before the story, each <time> beside its link, held the page's
    first <time>; the story's own follows its headline.
    """
    if article is not None:
        return _time_elements(article)
    after = set(islice(following(headline), HEADLINE_REACH)) if headline is not None else set()
    return (after and _time_elements(tree, within=after)) or _time_elements(tree)


def _time_elements(scope: HtmlElement, within: set[HtmlElement] | None = None) -> list[tuple[str, str]]:
    """The first <time> elements of the story's article (or the page), skipping comments and related lists.

    An <abbr> with a timestamp in its title is one too, and so is AMP's <amp-timeago>; after them, an
    element named as a date (`class="timestamp"`, `class="timeago"`) that keeps its stamp in its data, its
    title or a `datetime`: a stamp of any other element (a `<body>`'s render time, a player's position, a
    link's tooltip) says nothing of the story.
    """
    out: list[tuple[str, str]] = []
    links: dict[HtmlElement, bool] = {}
    stamped = dict.fromkeys(a.getparent() for a in STAMP_ATTRIBUTES(scope))
    for el in [*scope.iter(*TIME_TAGS), *(el for el in stamped if el.tag not in TIME_TAGS)]:
        if within is not None and el not in within:
            continue
        if el.tag == "abbr" and not (_title_stamp(el) or _data_stamp(el)):
            continue
        if el.tag not in TIME_TAGS:
            names = f"{el.get('class') or ''} {el.get('id') or ''}"
            if not (DATE_CLASS.search(names) and _own_stamp(el)):
                continue
        if any(_outside_story(a) for a in el.iterancestors()):
            continue
        value = (el.get("datetime") if el.tag in TIME_TAGS else None) or _own_stamp(el) or el.text_content()
        if not value or not value.strip() or _in_teaser_link(el, links):
            continue
        out.append((value, _role_from_words(_text_before(el), _stamp_role(el))))
        if len(out) >= TEXT_DATES:
            break
    return out


def _in_teaser_link(el: HtmlElement, judged: dict[HtmlElement, bool]) -> bool:
    """Whether el is inside a link that says more than a date: another story's teaser, its headline linked.

    A permalink around a post's own date ("Posted on <a><time>...</time></a>"),
    a link to the day's archive or a comment's "18. Oktober 2019 um 15:05 Uhr"
    holds a date and a few words and is not one.

    Each link is judged once, into `judged` (a search's own): judged again for each of its dates, a link of
    3,000 dates and words read its whole text 3,000 times, and held the parse for minutes.
    """
    for node in (el, *el.iterancestors()):
        if node.tag == "a" and node.get("href"):
            if node not in judged:
                words = TEXT_DATE.sub(" ", ascii_digits(node.text_content()))
                judged[node] = card_link_letters(words) > CARD_LINK_LETTERS
            return judged[node]
    return False


INLINE_WRAPPERS = ("a", "span", "em", "strong", "b", "i", "small")


def _text_before(el: HtmlElement) -> str:
    """The words just before an element inside its parent ("Updated <time>...").

    A date alone in a link or an inline wrapper ("Updated <a href=...><time>")
    takes the words before that wrapper.
    """
    parent = el.getparent()
    while parent is not None:
        parts = [parent.text or ""]
        for child in parent:
            if child is el:
                break
            parts.append(child.text_content() if isinstance(child.tag, str) else "")
            parts.append(child.tail or "")
        before = " ".join("".join(parts).split())
        if before or parent.tag not in INLINE_WRAPPERS:
            return before
        el, parent = parent, parent.getparent()
    return ""


def _byline_dates(tree: HtmlElement, month_first: bool, calendar: str | None) -> list[tuple[str, str]]:
    """Dates written in the byline or dateline ("By Jane Doe | 14 March 2026")."""
    out: list[tuple[str, str]] = []
    for el in tree.xpath("//body//*[@class or @id]"):
        names = f"{el.get('class') or ''} {el.get('id') or ''}"
        if not BYLINE_CLASS.search(names) or len(el.text_content()) > 300:
            continue
        if any(_outside_story(a) for a in el.iterancestors()):
            continue
        for before, found in dates_in_text(_spaced_text(el), month_first, calendar):
            out.append((found, _role_from_words(before, PUBLISHED)))
        if out:
            break
    return out[:TEXT_DATES]


def _spaced_text(el: HtmlElement) -> str:
    """An element's words, whitespace collapsed, with a space where two of its elements' numbers would meet.

    Themes put the publication and the update side by side with nothing between them
    (`<span>28. Juni 2019</span><span>14. Januar 2020</span>`): read as one text, "201914" was no year, and
    neither date was read. A date split over inline elements ("<b>28</b>.<b>06</b>.2019") still joins.
    """
    parts: list[str] = []
    for _, _, piece in _pieces(el):
        if piece and parts and _digits_meet(parts[-1][-1], piece):
            parts.append(" ")
        if piece:
            parts.append(piece)
    return " ".join("".join(parts).split())


def _digits_meet(last: str, piece: str) -> bool:
    return last.isdigit() and piece[:1].isdigit()


def _dated_element(el: HtmlElement, month_first: bool, calendar: str | None) -> list[tuple[str, str]]:
    """The dates written in a date-classed element, each with its role.

    The words before a date say most; failing them, the names of the element
    the date is written in, nearest first: a theme's "posted-on" wrapper holds
    both `<time class="entry-date published">` and `<time class="updated">`,
    and the second is the modification, whatever the wrapper is called.
    """
    chars: list[str] = []
    owners: list[HtmlElement] = []

    def add(text: str | None, owner: HtmlElement) -> None:
        if text and chars and _digits_meet(chars[-1], text):
            chars.append(" ")
            owners.append(owner)
        for ch in text or "":
            if not ch.isspace():
                chars.append(ch)
                owners.append(owner)
            elif chars and chars[-1] != " ":
                chars.append(" ")
                owners.append(owner)

    def walk(node: HtmlElement) -> None:
        add(node.text, node)
        for child in node:
            if isinstance(child.tag, str):
                walk(child)
            add(child.tail, node)

    walk(el)
    text = "".join(chars)
    out: list[tuple[str, str]] = []
    for start, found in dates_at(text, month_first, calendar):
        default = UNKNOWN
        for node in (owners[start], *owners[start].iterancestors()):
            default = _role_from_names(node, UNKNOWN)
            if default != UNKNOWN or node is el:
                break
        out.append((found, _role_from_words(text[max(0, start - 60) : start], default)))
    return out


def _written_dates(
    tree: HtmlElement,
    article: HtmlElement | None,
    headline: HtmlElement | None,
    month_first: bool,
    calendar: str | None,
) -> list[tuple[str, str]]:
    """Dates written on the page: date-classed elements first, then any text, near the headline first.

    The regions are searched in order (the article, after the headline, the
    whole body) and the first region with a date gives them all; starting
    from the headline skips the "today is ..." widgets at the top of many
    pages.
    """
    body = tree.find("body")
    if body is None:
        return []
    regions: list[list[HtmlElement]] = []
    scope = article if article is not None else next(iter(tree.xpath("//main")), None)
    if scope is not None:
        regions.append(list(scope.iter(lxml.etree.Element)))
    if headline is not None:
        regions.append(list(islice(following(headline), HEADLINE_REACH)))
    regions.append(list(body.iter(lxml.etree.Element)))
    # Navigation, asides and comment threads, found once: the regions below overlap.
    skipped: set[HtmlElement] = set()
    in_comments: set[HtmlElement] = set()
    for el in body.iter(*SKIPPED_TAGS):
        skipped.update(el.iter(lxml.etree.Element))
    links: dict[HtmlElement, bool] = {}
    prose: dict[HtmlElement, dict[tuple[HtmlElement, bool], int]] = {}
    read: dict[tuple[HtmlElement, bool], tuple[str, list[tuple[int, str]]]] = {}
    for el in body.iter(lxml.etree.Element):
        if el not in in_comments and is_comment_block(el):
            in_comments.update(el.iterdescendants(lxml.etree.Element))
        elif el not in skipped and _is_clock(el):
            skipped.update(el.iter(lxml.etree.Element))
    for elements in regions:
        out: list[tuple[str, str]] = []
        for el in elements:
            names = f"{el.get('class') or ''} {el.get('id') or ''}"
            if not names.strip() or not DATE_CLASS.search(names) or el in in_comments:
                continue
            if (el in skipped and el.tag not in SKIPPED_TAGS) or len(el.text_content()) >= 200:
                continue
            if _in_teaser_link(el, links):
                continue
            out.extend(_dated_element(el, month_first, calendar))
            if len(out) >= TEXT_DATES:
                break
        for el in elements:
            if len(out) >= 2 * TEXT_DATES:
                break
            if el in skipped or el in in_comments:
                continue
            for text, owner in ((el.text, el), (el.tail, el.getparent())):
                if (el, owner is not el) not in read:  # the regions overlap: each text is read for dates once
                    text = " ".join(text.split()) if text and DIGIT.search(text) else ""
                    read[el, owner is not el] = (text, dates_at(text, month_first, calendar) if text else [])
                text, written = read[el, owner is not el]
                if written and not (owner is not None and _in_teaser_link(owner, links)):
                    opens = _offset_in_prose(el, owner is not el, prose)
                    # Only as many as are kept are weighed: a heading of 27,000 dates weighed each (2.4 s).
                    kept = (
                        (start, found) for start, found in written if opens is None or opens + start <= PROSE_OPENING
                    )
                    out.extend(
                        (found, _role_from_words(text[max(0, start - 60) : start]))
                        for start, found in islice(kept, 2 * TEXT_DATES - len(out))
                    )
        if out:
            return out[: 2 * TEXT_DATES]
    return []


# A paragraph of prose, and how far into it a date still opens it: a dateline ("Stuttgart, 2. Februar 2022 –")
# or a date heading a list item comes first; a date deep in a long paragraph is an event the story tells of
# ("Laut der am 28.01.2022 beschlossenen Verordnung ..."), not when the page was published.
PROSE_BLOCKS = ("p", "li", "dd", "td", "figcaption")
PROSE_LENGTH = 200
PROSE_OPENING = 100


def _offset_in_prose(
    el: HtmlElement, tail: bool, blocks: dict[HtmlElement, dict[tuple[HtmlElement, bool], int]]
) -> int | None:
    """How far into its paragraph of prose el's text (or its tail) starts; None when it is in no long paragraph.

    Each paragraph's offsets are counted once, into `blocks` (a search's own): counted again for each of its
    dates, a paragraph of 3,000 dates read itself 3,000 times (22 s).
    """
    start = el.getparent() if tail else el
    if start is None:
        return None
    block = next((a for a in (start, *start.iterancestors()) if a.tag in PROSE_BLOCKS), None)
    if block is None:
        return None
    if block not in blocks:
        offsets: dict[tuple[HtmlElement, bool], int] = {}
        if len(" ".join(block.text_content().split())) >= PROSE_LENGTH:
            offset = 0
            for owner, is_tail, piece in _pieces(block):
                offsets.setdefault((owner, is_tail), offset)
                offset += len(" ".join(piece.split()))
        blocks[block] = offsets
    return blocks[block].get((el, tail))


def _pieces(node: HtmlElement) -> Iterator[tuple[HtmlElement, bool, str]]:
    """The texts of node in reading order: (element, whether it is the element's tail, the text)."""
    yield node, False, node.text or ""
    for child in node:
        if isinstance(child.tag, str):
            yield from _pieces(child)
        yield child, True, child.tail or ""


def _htmldate_role(htmldate: str, found: list[DateCandidate], tree: HtmlElement, url: str | None) -> str:
    """PUBLISHED when htmldate read a date the page shows or gives as its publication; else UNKNOWN, a weak witness.

    htmldate takes any field or stamp it finds for the original date: a field
    the page names as its last change (TYPO3's `<meta name="date">`) is no second
    witness of publication, nor is its last resort, the first stamp in the raw
    source, scripts included: a framework's state stamps every component with
    when an editor last saved it (`"__Updated": "2022-02-09T11:04:09Z"`). A day
    another source found, or that htmldate finds again in the page without its
    scripts (structured data kept), was read from the page.
    """
    day = htmldate[:10]
    same_day = [c for c in found if c.day == day]
    if same_day:
        last_change = all(c.role == MODIFIED and c.family in STRUCTURED_FAMILIES for c in same_day)
        return UNKNOWN if last_change else PUBLISHED
    again = _htmldate(tree, url, scripts=False)
    return PUBLISHED if again is not None and again[:10] == day else UNKNOWN


def _last_change_meta(src: Sources) -> tuple[str, ...]:
    """Meta names that hold the page's last change on this page's CMS, though read elsewhere as its publication.

    TYPO3 sites write `<meta name="date">` from the page's SYS_LASTCHANGED, the
    last edit of any of its content elements: a story corrected a week on
    carries that week-later day.
    """
    generator = (src.first_meta("generator") or "").lower()
    return ("date",) if generator.startswith("typo3") else ()


# The scripts htmldate reads as data (JSON-LD and a CMS's settings); the others are code and framework state.
DATA_SCRIPTS = ("application/ld+json", "application/settings+json")


def _htmldate(tree: HtmlElement, url: str | None, scripts: bool = True) -> str | None:
    """htmldate's search for the original date: its own reading of the page, one more witness.

    It reads the page without its comment threads: a reader's comment carries
    a date in the same markup as the article's own, and htmldate cannot tell
    them apart; nor a masthead's clock, which it takes for the page's date
    when it finds it first. Without `scripts`, it reads the page without the
    scripts that are not structured data too.
    """
    try:
        from htmldate import find_date
    except ImportError:  # pragma: no cover - installed with trafilatura
        return None
    try:
        return find_date(
            _without_threads_and_clocks(tree, scripts),
            url=url,
            original_date=True,
            extensive_search=False,
            max_date=(datetime.now(UTC) + FUTURE_SLACK).strftime("%Y-%m-%d"),
        )
    except (ValueError, TypeError, lxml.etree.LxmlError):
        return None


def _without_threads_and_clocks(tree: HtmlElement, scripts: bool = True) -> HtmlElement:
    """A copy of the page without its comment threads and clocks (a block holding most of the page is neither),
    nor the site's <header> (one without a headline, outside the story's <article> or <main>), whose day is the
    day the page was served however it is named.

    Without `scripts`, also without the scripts that are not structured data.
    """
    body = tree.find("body")
    limit = 0.4 * len(body.text_content()) if body is not None else 0
    threads = [
        el
        for el in (body.iter(lxml.etree.Element) if body is not None else ())
        if el.tag not in ("body", "article", "main")
        and (is_comment_block(el) or _is_clock(el) or _is_site_header(el))
        and len(el.text_content()) < limit
    ]
    if not scripts:
        threads += [el for el in tree.iter("script") if (el.get("type") or "").strip().lower() not in DATA_SCRIPTS]
    if not threads:
        return tree
    copy = deepcopy(tree)
    return _drop_paths(copy, [tree.getroottree().getpath(el) for el in threads])


def _is_site_header(el: HtmlElement) -> bool:
    return (
        el.tag == "header"
        and next(el.iter("h1"), None) is None
        and next(el.iterancestors("article", "main"), None) is None
    )


def _drop_paths(tree: HtmlElement, paths: list[str]) -> HtmlElement:
    """Remove the elements at these paths, all found before any goes.

    Found one at a time, removing one sibling would shift the position of the
    next ("div[5]" becomes the old "div[6]"), and a story's paragraph would go
    in place of a comment thread.
    """
    root = tree.getroottree()
    for el in [found for path in paths for found in root.xpath(path)[:1]]:
        if el.getparent() is not None:
            el.getparent().remove(el)
    return tree
