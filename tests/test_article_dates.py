"""A page's dates: every candidate gathered with its source, the published day chosen by agreement, doubts kept."""

import json
from datetime import UTC, date, datetime, timedelta, timezone
from html import escape as html_escape

import lxml.html
import pytest

from scrapers.article import parse_article
from scrapers.article.datecandidates import (
    MODIFIED,
    PUBLISHED,
    UNKNOWN,
    DateCandidate,
    _without_threads_and_clocks,
    gather,
)
from scrapers.article.datechoice import choose
from scrapers.article.dates import (
    GREGORIAN,
    PERSIAN,
    THAI,
    date_in_url,
    dates_in_text,
    normalise_date,
    solar_hijri_to_gregorian,
)
from scrapers.article.structured import Sources
from scrapers.article.tree import is_comment_block
from scrapers.article.zones import zone_written
from scrapers.records import DateDoubt
from scrapers.timestamps import parse_time

BODY = (
    "<p>The Westbury council agreed its budget on Thursday after a long debate about road repairs, "
    "library hours and the cost of keeping the harbour open through the winter months.</p>"
)
TODAY = date(2026, 3, 20)


def page(head: str = "", body: str = "", lang: str = "en") -> str:
    article = f"<article><h1>Budget agreed</h1>{body}{BODY}</article>"
    return f'<html lang="{lang}"><head>{head}</head><body>{article}</body></html>'


def ld(**fields: str) -> str:
    items = ", ".join(f'"{k}": "{v}"' for k, v in fields.items())
    return f'<script type="application/ld+json">{{"@type": "NewsArticle", {items}}}</script>'


def test_every_source_of_a_date_is_gathered_with_where_it_came_from():
    html = page(
        ld(datePublished="2026-03-14T08:30:00+01:00", dateModified="2026-03-15T10:00:00+01:00")
        + '<meta property="article:published_time" content="2026-03-14T07:30:00Z">',
        '<p class="byline">By Jo Example, 14.03.2026</p><time datetime="2026-03-14">14 March</time>'
        '<p class="updated">Updated 15 March 2026</p>',
    )
    article = parse_article(html, url="https://post.example/2026/03/14/budget")
    assert article.published == "2026-03-14T08:30:00+01:00"
    assert set(article.published_from) >= {
        "json-ld datePublished",
        "meta article:published_time",
        "time",
        "url",
        "byline",
    }
    assert article.modified == "2026-03-15T10:00:00+01:00"
    assert article.modified_from == ("json-ld dateModified",)
    assert article.date_doubts == []


def test_independent_witnesses_outvote_one_structured_field():
    # The CMS re-saved the page and wrote the save time as datePublished; URL, <time> and the byline agree on the 2nd.
    html = page(
        ld(datePublished="2026-03-18T09:00:00+01:00"),
        '<p class="byline">By Jo Example</p><time datetime="2026-03-02">2 March 2026</time>',
    )
    article = parse_article(html, url="https://post.example/news/2026/03/02/budget")
    assert article.published[:10] == "2026-03-02"
    assert "json-ld datePublished" not in article.published_from


def test_a_wordpress_date_marked_both_published_and_updated_is_the_publication():
    # A post never edited carries one <time class="entry-date published updated">.
    html = page(body='<time class="entry-date published updated" datetime="2026-03-03T10:00:00+01:00">3 March</time>')
    article = parse_article(html, url="https://blog.example.de/budget")
    assert article.published == "2026-03-03T10:00:00+01:00"


# tagDiv's Newspaper and Newsmag themes (td_module::get_date) write the post's date as
# `<span class="td-post-date"><time class="entry-date updated td-module-date" datetime="...">`: hAtom's `updated`,
# on the publication, the only date of the line.
TAGDIV_DATE_LINE = (
    '<div class="td-module-meta-info"><div class="td-post-author-name"><div class="td-author-by">By</div> '
    '<a href="/author/jo/">Jo Example</a><div class="td-author-line">-</div></div>'
    '<span class="td-post-date"><time class="entry-date updated td-module-date" '
    'datetime="2026-03-02T08:30:00+00:00" >{shown}</time></span></div>'
)


@pytest.mark.parametrize("shown", ["March 2, 2026", "2 weeks ago"])
def test_hatoms_updated_alone_on_a_date_line_is_the_entrys_date_not_its_change(shown):
    html = page(
        '<meta property="article:modified_time" content="2026-03-10T09:00:00+00:00">',
        TAGDIV_DATE_LINE.format(shown=shown),
    )
    article = parse_article(html, url="https://news.example/budget-agreed/")
    assert article.published == "2026-03-02T08:30:00Z"
    assert "time" in article.published_from
    assert article.modified == "2026-03-10T09:00:00Z"


def test_hatoms_updated_beside_the_publication_is_still_the_change():
    # _s (Underscores) and the themes built on it: both dates in one link, `updated` the second.
    line = (
        '<span class="posted-on">Posted on <a href="/budget" rel="bookmark"><time class="entry-date published" '
        'datetime="2026-03-02T08:30:00+00:00">March 2, 2026</time><time class="updated" '
        'datetime="2026-03-10T09:00:00+00:00">March 10, 2026</time></a></span>'
    )
    article = parse_article(page(body=line), url="https://news.example/budget-agreed/")
    assert (article.published, article.modified) == ("2026-03-02T08:30:00Z", "2026-03-10T09:00:00Z")


def test_the_words_a_page_shows_say_more_than_its_class_names():
    # A template's "published-date" box that reads "Updated ...": the words are the page's own account.
    html = page(
        ld(datePublished="2026-03-03T09:00:00+01:00"),
        '<p class="timestamp published-date">Updated Mar 18, 2026 @ 10:42 am</p>'
        '<p>Posted <time class="updated" datetime="2026-03-03T09:00:00+01:00">3 March</time></p>',
    )
    article = parse_article(html, url="https://news.example.de/budget")
    assert article.published == "2026-03-03T09:00:00+01:00"
    assert article.modified == "2026-03-18"


def test_published_and_modified_dates_written_on_the_page_stay_apart():
    html = page(body='<p class="meta">Last updated 18 March 2026</p><p class="meta">Published 2 March 2026</p>')
    article = parse_article(html)
    assert article.published == "2026-03-02"
    assert article.modified == "2026-03-18"


@pytest.mark.parametrize(
    "published,modified",
    [
        ("Published: Tuesday, 3 March 2026", "Updated on 18 March 2026"),
        ("Veröffentlicht am Dienstag, 03.03.2026", "Aktualisiert am 18.03.2026"),
        ("Publié le mardi 3 mars 2026", "Mis à jour le 18 mars 2026"),
        ("Publicado el martes, 3 de marzo de 2026", "Actualizado el 18 de marzo de 2026"),
        ("Publicado em 3 de março de 2026", "Atualizado em 18 de março de 2026"),
        ("Publicerad 3 mars 2026", "Uppdaterad 18 mars 2026"),
        ("Yayınlanma: 3 Mart 2026", "Güncelleme: 18 Mart 2026"),
        ("公開日：2026年3月3日", "更新日：2026年3月18日"),
        ("Опубліковано 3 березня 2026", "Оновлено 18 березня 2026"),
        ("Δημοσίευση: 3 Μαρτίου 2026", "ΕΝΗΜΕΡΩΣΗ: 18 ΜΑΡΤΙΟΥ 2026"),
        ("Julkaistu 3. maaliskuuta 2026", "Päivitetty 18. maaliskuuta 2026"),
        ("Objavljeno 3. ožujka 2026.", "Ažurirano 18. ožujka 2026."),
        ("Diterbitkan 3 Maret 2026", "Diperbarui 18 Maret 2026"),
        ("Publikálva: 2026. március 3.", "Frissítve: 2026. március 18."),
        ("نشر في ٣ مارس ٢٠٢٦", "آخر تحديث ١٨ مارس ٢٠٢٦"),
        ("प्रकाशित 3 मार्च 2026", "अपडेट 18 मार्च 2026"),
        ("Ngày đăng 3 tháng 3 năm 2026", "Cập nhật ngày 18 tháng 3 năm 2026"),
        ("เผยแพร่ 3 มีนาคม 2569", "อัปเดต 18 มี.ค. 2569"),  # Thai years count from 543 BC
        # The noun where pages write "Last change:" rather than "changed".
        ("Erschienen am: 03.03.2026", "Letzte Änderung: 18.03.2026 - 14:49:39"),
        ("Erstellt am 03.03.2026", "Letzte Aktualisierung: 18.03.2026"),
        ("Publié le 3 mars 2026", "Dernière modification le 18 mars 2026"),
        ("Publicado el 3 de marzo de 2026", "Última modificación: 18 de marzo de 2026"),
        ("Publicado em 3 de março de 2026", "Última atualização: 18 de março de 2026"),
        ("Pubblicato il 3 marzo 2026", "Ultimo aggiornamento: 18 marzo 2026"),
        ("Gepubliceerd op 3 maart 2026", "Laatst gewijzigd op 18 maart 2026"),
        ("פורסם 3 במרץ 2026", "עודכן 18 במרץ 2026"),
        ("প্রকাশিত ৩ মার্চ ২০২৬", "আপডেট ১৮ মার্চ ২০২৬"),
        ("Imechapishwa 3 Machi 2026", "Imesasishwa 18 Machi 2026"),
        ("Publikuar më 3 mars 2026", "Përditësuar më 18 mars 2026"),
        ("Birt 3. mars 2026", "Uppfært 18. mars 2026"),
        # A noun and a field's name where pages write "Publication date:" rather than "published".
        ("Erstveröffentlichung: 03.03.2026", "Aktualisiert: 18.03.2026"),
        ("Veröffentlichungsdatum: 03.03.2026", "Stand vom 18.03.2026"),
        ("Publication date: 3 March 2026", "Correction: 18 March 2026"),
        ("Published date: March 3, 2026", "Last edited: March 18, 2026"),
        ("Date de publication : 3 mars 2026", "Dernière mise à jour : 18 mars 2026"),
        ("Fecha de publicación: 3 de marzo de 2026", "Editado: 18 de marzo de 2026"),
        ("Data de publicação: 03/03/2026", "Atualizado: 18/03/2026"),
        ("Data di pubblicazione: 3 marzo 2026", "Ultima modifica: 18 marzo 2026"),
        ("Publicatiedatum: 3 maart 2026", "Laatst bijgewerkt: 18 maart 2026"),
        ("Data publikacji: 3 marca 2026", "Aktualizacja: 18 marca 2026"),
        ("Дата публикации: 3 марта 2026", "Обновлено: 18 марта 2026"),
        ("Yayınlanma tarihi: 3 Mart 2026", "Güncelleme tarihi: 18 Mart 2026"),
        ("投稿日：2026年3月3日", "最終更新日：2026年3月18日"),
        ("发表时间：2026年3月3日", "更新时间：2026年3月18日"),
        ("입력 2026.03.03", "업데이트 2026.03.18"),
    ],
)
def test_the_words_before_a_written_date_say_which_date_it_is_with_a_preposition_or_weekday_between(
    published, modified
):
    # The modified line comes first, as many pages write it: read as "unknown" it would outvote publication.
    html = page(body=f'<p class="meta">{modified}</p><p class="meta">{published}</p>', lang="xx")
    article = parse_article(html)
    assert article.published == "2026-03-03"
    assert article.modified == "2026-03-18"


@pytest.mark.parametrize(
    "published,modified",
    [
        # The clock before the date, as CNN's and many other templates write it.
        ("Published 8:30 AM EST, Tue March 3, 2026", "Updated 10:32 AM EST, Wed March 18, 2026"),
        ("Erstellt: 08:30 Uhr, 03.03.2026", "Aktualisiert: 10:00 Uhr, 18.03.2026"),
        ("Publié à 08h30, le 3 mars 2026", "Mis à jour à 10h00, le 18 mars 2026"),
        ("Опубликовано 08:30, 3 марта 2026", "Обновлено 10:00, 18 марта 2026"),
        ("Đăng lúc 08:30 3/3/2026", "Cập nhật lúc 10:00 18/3/2026"),
        # Words of the languages whose month names are read, as their news sites write them.
        ("Дата публикации: 3 марта 2026", "Изменено: 18 марта 2026"),
        ("Публикувана: 3 март 2026", "Обновена: 18 март 2026"),
        ("Geplaatst: 3 maart 2026", "Laatste update: 18 maart 2026"),
        ("Yayın Tarihi: 03.03.2026", "Güncellenme Tarihi: 18.03.2026"),
        ("Oluşturulma: 03.03.2026 08:30", "Son güncelleme: 18.03.2026 10:00"),
        ("Data publicării: 03.03.2026", "Data actualizării: 18.03.2026"),
        ("Megjelent: 2026.03.03.", "Módosítva: 2026.03.18."),
        ("Diterbitkan: 3 Mac 2026", "Dikemas kini: 18 Mac 2026"),
        ("Đăng ngày: 3/3/2026", "Cập nhật: 18/3/2026"),
        ("등록 2026-03-03", "업데이트 2026-03-18"),
        ("配信日時：2026/03/03", "最終更新：2026/03/18"),
        ("发稿时间：2026-03-03", "修改时间：2026-03-18"),
        ("تاریخ انتشار: ۱۲ اسفند ۱۴۰۴", "به‌روزرسانی: ۲۷ اسفند ۱۴۰۴"),
        ("نشر في: 3 مارس 2026", "محدث: 18 مارس 2026"),
        ("Publicēts: 03.03.2026", "Atjaunots: 18.03.2026"),
    ],
)
def test_the_words_before_a_written_date_say_which_date_it_is_with_a_clock_between_and_in_more_languages(
    published, modified
):
    # The update comes first: read as "unknown" (a clock between, or a word not known), it outvoted publication.
    html = page(body=f'<p class="meta">{modified}</p><p class="meta">{published}</p>', lang="xx")
    article = parse_article(html)
    assert article.published[:10] == "2026-03-03"
    assert (article.modified or "")[:10] == "2026-03-18"


@pytest.mark.parametrize(
    "line,modified",
    [
        ("Wasserstand: 18.03.2026", None),
        ("Stand: 18.03.2026", "2026-03-18"),
        ("The album, unreleased 18.03.2026", None),
        ("Geändert 18.03.2026", "2026-03-18"),
        ("更新日：2026年3月18日", "2026-03-18"),
    ],
)
def test_a_role_word_is_a_whole_word_not_the_end_of_another(line, modified):
    # "Wasserstand" (a river's level) ends in "Stand" (as of): it made the level's day the page's update.
    html = page(body=f'<p class="meta">Veröffentlicht am 03.03.2026</p><p>{line}</p>', lang="xx")
    article = parse_article(html)
    assert article.published == "2026-03-03"
    assert article.modified == modified


def test_the_dates_read_are_the_storys_own_article_not_a_teaser_card_before_it():
    # The page's first <article> is a teaser for another story, with its own <time> and written date.
    teaser = (
        '<article class="card"><a href="/other">Harbour fees to rise</a>'
        '<time datetime="2026-02-11">11 February 2026</time><p class="date">11.02.2026</p></article>'
    )
    story = (
        '<article><h1>Budget agreed</h1><time datetime="2026-03-02">2 March 2026</time>'
        f'<p class="date">Published 2 March 2026</p>{BODY}</article>'
    )
    article = parse_article(f'<html lang="en"><body><header>{teaser}</header><main>{story}</main></body></html>')
    assert article.published == "2026-03-02"


def test_the_published_day_is_the_one_the_outlets_readers_saw():
    # Midnight in Berlin stored in UTC: the 7th for the readers of a German page, not the 6th.
    html = page('<meta property="article:published_time" content="2022-11-06T23:00:00Z">', lang="de")
    assert parse_article(html, url="https://magazin.example.de/a").published == "2022-11-07T00:00:00+01:00"
    # The page's own offset elsewhere tells its zone; without one, an English .com page stays in UTC.
    offset = page(
        '<meta property="article:published_time" content="2022-11-06T23:00:00Z">'
        '<meta property="article:modified_time" content="2022-11-07T09:00:00-05:00">'
    )
    assert parse_article(offset, url="https://news.example.com/a").published == "2022-11-06T18:00:00-05:00"
    plain = page('<meta property="article:published_time" content="2022-11-06T23:00:00Z">')
    assert parse_article(plain, url="https://news.example.com/a").published == "2022-11-06T23:00:00Z"


@pytest.mark.parametrize(
    "text,month_first,expected",
    [
        ("Familie 17/02/2022 Ihre Tochter", False, "2022-02-17"),
        ("posted 03/04/2022", False, "2022-04-03"),
        ("posted 03/04/2022", True, "2022-03-04"),
        ("posted 03/14/2022", False, "2022-03-14"),  # cannot be day first
        ("version 1/2/3/2022", False, None),
    ],
)
def test_slashed_dates_are_read_day_first_unless_the_page_is_american(text, month_first, expected):
    found = dates_in_text(text, month_first)
    assert (found[0][1] if found else None) == expected


@pytest.mark.parametrize(
    "text,expected",
    [
        ("Publicado el martes, 3 de mayo de 2022 a las 21:25", "2022-05-03"),
        ("Atualizado em 1º de março de 2022", "2022-03-01"),
        ("公開日：2022年5月3日", "2022-05-03"),
        ("입력 2022.05.03. 오후 3:10", "2022-05-03"),
        ("Yayınlanma: 5 Kasım 2021", "2021-11-05"),
        ("Publicerad 12 augusti 2021", "2021-08-12"),
        ("the 3 best of 2022", None),
        # Ordinals, and the languages of the wider web
        ("Published 3rd May 2022", "2022-05-03"),
        ("on the 2nd of May, 2022", "2022-05-02"),
        ("Publié le 1er mai 2022", "2022-05-01"),
        ("Опубліковано 14 березня 2022", "2022-03-14"),
        ("14 ΜΑΡΤΙΟΥ 2022", "2022-03-14"),
        ("Δημοσίευση: 3 Μαΐου 2022", "2022-05-03"),
        ("Julkaistu 14. maaliskuuta 2022", "2022-03-14"),
        ("Publikované 3. mája 2022", "2022-05-03"),
        ("Objavljeno 3. ožujka 2022.", "2022-03-03"),
        ("Публикувано 14 март 2022", "2022-03-14"),
        ("Publikálva: 2022. május 3.", "2022-05-03"),
        ("Paskelbta 2022 m. gegužės 3 d.", "2022-05-03"),
        ("Avaldatud 14. märts 2022", "2022-03-14"),
        ("Publicat el 14 d'abril de 2022", "2022-04-14"),
        ("Diterbitkan 3 Desember 2022", "2022-12-03"),
        ("प्रकाशित 14 मार्च 2022", "2022-03-14"),
        ("نشر في ١٤ مارس ٢٠٢٢", "2022-03-14"),
        ("Cập nhật ngày 14 tháng 3 năm 2022", "2022-03-14"),
        ("公開日：２０２２年５月３日", "2022-05-03"),
        ("เผยแพร่ 14 มีนาคม 2565", "2022-03-14"),
        ("วันที่ 1 ม.ค. พ.ศ. 2566", "2023-01-01"),
        ("In 2022 May 5 people came", None),  # a year before a name is read only as "2022." or "2022 m."
        # Year first with slashes (Japanese, Chinese, Korean pages), day first with dashes (Dutch, Indian)
        ("投稿日：2022/05/03 10:15", "2022-05-03"),
        ("Gepubliceerd: 03-05-2022", "2022-05-03"),
        ("Posted 05-03-2022 by the desk", "2022-03-05"),
        ("3-May-2022", "2022-05-03"),
        ("Updated: 14-Mar-2022 09:00 IST", "2022-03-14"),
        # Months as newsrooms shorten them
        ("publié le 3 févr. 2022", "2022-02-03"),
        ("le 14 avr. 2022", "2022-04-14"),
        ("le 14 juil. 2022", "2022-07-14"),
        ("3 dic. 2022", "2022-12-03"),
        ("3 ene. 2022", "2022-01-03"),
        ("14 giu 2022", "2022-06-14"),
        ("3 ott 2022", "2022-10-03"),
        ("3 set. 2022", "2022-09-03"),
        ("3 out. 2022", "2022-10-03"),
        ("3 mrt 2022", "2022-03-03"),
        ("3 iun. 2022", "2022-06-03"),
        ("3 Şub 2022", "2022-02-03"),
        ("3 Haz 2022 10:00", "2022-06-03"),
        ("14 Ağu 2022", "2022-08-14"),
        ("3 июн 2022", "2022-06-03"),
        ("3 дек. 2022 г.", "2022-12-03"),
        # Short forms that are a month only as the whole word: Indonesian and Norwegian "Des", Indonesian
        # "Agt", Malay "Dis", Polish, Ukrainian and Greek; as a longer word's start they are another word
        ("Senin, 07 Des 2026 10:15 WIB", "2026-12-07"),
        ("07 Agt 2026", "2026-08-07"),
        ("7. des. 2026 kl. 10.15", "2026-12-07"),
        ("7 Dis 2026", "2026-12-07"),
        ("7 gru 2026", "2026-12-07"),
        ("7 paź 2026", "2026-10-07"),
        ("7 груд. 2026", "2026-12-07"),
        ("7 Δεκ 2026", "2026-12-07"),
        ("7 Ιουν 2026", "2026-06-07"),
        ("the 10 Designs 2026 brought", None),
        ("Top 5 Lists 2026", None),
        # Written closer than the rules read: Arabic's comma after the month, "Dec.7", a short Hungarian month
        ("7 ديسمبر، 2026", "2026-12-07"),
        ("Dec.7, 2026", "2026-12-07"),
        ("2026. dec. 7.", "2026-12-07"),
        # Month names of more languages: Hebrew (with "in"), Hindi's short May, Bengali, Urdu, Swahili,
        # Tagalog, Malay, Albanian, Icelandic, Azerbaijani
        ("פורסם 3 במאי 2022", "2022-05-03"),
        ("3 ביוני 2022", "2022-06-03"),
        ("3 मई 2022", "2022-05-03"),
        ("প্রকাশিত ৩ মে ২০২২", "2022-05-03"),
        ("১৪ মার্চ ২০২২", "2022-03-14"),
        ("3 جون 2022", "2022-06-03"),
        ("14 مارچ 2022", "2022-03-14"),
        ("3 Machi 2022", "2022-03-03"),
        ("Marso 3, 2022", "2022-03-03"),
        ("3 Ogos 2022", "2022-08-03"),
        ("3 qershor 2022", "2022-06-03"),
        ("3. ágúst 2022", "2022-08-03"),
        ("3 iyun 2022", "2022-06-03"),
        ("3 de 2022", None),
        # The Levantine months of Syrian, Lebanese, Jordanian and Iraqi sites, two of them two words, and the
        # double names Arabic pages write ("ديسمبر/كانون الأول"); Latvian's "2026. gada 7. decembris"
        ("7 كانون الأول 2026", "2026-12-07"),
        ("الاثنين 7 كانون الثاني 2026", "2026-01-07"),
        ("نشر في 7 تشرين الأول 2026", "2026-10-07"),
        ("7 تشرين الثاني 2026", "2026-11-07"),
        ("7 آب 2026", "2026-08-07"),
        ("7 ديسمبر/كانون الأول 2026", "2026-12-07"),
        ("7 كانون الأول/ديسمبر 2026", "2026-12-07"),
        ("7 مارس الماضي 2026", None),
        # Marathi, Gujarati, Punjabi, Tamil, Telugu, Kannada and Malayalam, Georgian and Armenian month names
        ("7 डिसेंबर 2026", "2026-12-07"),
        ("7 नोव्हेंबर 2026", "2026-11-07"),
        ("7 ડિસેમ્બર 2026", "2026-12-07"),
        ("7 ਦਸੰਬਰ 2026", "2026-12-07"),
        ("7 டிசம்பர் 2026", "2026-12-07"),
        ("டிசம்பர் 7, 2026", "2026-12-07"),
        ("7 ஜூன் 2026", "2026-06-07"),
        ("7 డిసెంబర్ 2026", "2026-12-07"),
        ("7 ಡಿಸೆಂಬರ್ 2026", "2026-12-07"),
        ("7 ഡിസംബർ 2026", "2026-12-07"),
        ("7 ഒക്ടോബർ 2026", "2026-10-07"),
        ("7 დეკემბერი 2026", "2026-12-07"),
        ("7 დეკემბერს 2026", "2026-12-07"),
        ("7 դեկտեմբերի 2026", "2026-12-07"),
        ("7 մայիսի 2026", "2026-05-07"),
        # Folha de S.Paulo's dotted "7.dez.2026 às 8h30"
        ("7.dez.2026 às 8h30", "2026-12-07"),
        ("Atualizado: 9.dez.2026 às 10h00", "2026-12-09"),
        ("Kapitel 3.Teil.2026", None),
        ("Publicēts 2026. gada 7. decembrī", "2026-12-07"),
        ("2026. gada 7. decembris", "2026-12-07"),
        ("2026. gada 7. septembris", "2026-09-07"),
        # Years counted in an era: Japan's Reiwa and Heisei (the first year written 元), Taiwan's Minguo
        ("公開日：令和4年5月3日", "2022-05-03"),
        ("令和元年5月1日", "2019-05-01"),
        ("平成31年4月30日 10時15分", "2019-04-30"),
        ("發布日期：民國111年5月3日", "2022-05-03"),
        ("中华民国111年5月3日", "2022-05-03"),
        ("令和 4 年 13 月 3 日", None),
    ],
)
def test_dates_are_read_in_the_forms_many_languages_write_them(text, expected):
    found = dates_in_text(text)
    assert (found[0][1] if found else None) == expected


def test_other_scripts_digits_keep_the_words_before_the_date():
    # The words before a date say what it is; reading Arabic-Indic digits must not shift them.
    found = dates_in_text("آخر تحديث ١٤ مارس ٢٠٢٢")
    assert found == [("آخر تحديث ", "2022-03-14")]


def test_a_date_in_a_wider_webs_language_is_the_pages_published_date():
    greek = page(body='<h1>Τίτλος</h1><p class="date">Δημοσίευση: 3 Μαΐου 2022</p><p>Κείμενο.</p>', lang="el")
    assert parse_article(greek).published == "2022-05-03"
    arabic = page(body="<h1>عنوان</h1><time>١٤ مارس ٢٠٢٢</time><p>نص.</p>", lang="ar")
    assert parse_article(arabic).published == "2022-03-14"


def test_an_american_page_reads_slashed_dates_month_first():
    html = page(body='<p class="date">03/04/2022</p>', lang="en-US")
    assert parse_article(html).published == "2022-03-04"
    assert parse_article(page(body='<p class="date">03/04/2022</p>', lang="en-GB")).published == "2022-04-03"
    # English on a country's domain is read as that country writes it; a generic domain stays American.
    slashed = page(body='<p class="date">03/04/2022</p>', lang="en")
    assert parse_article(slashed, url="https://news.example.com.au/a").published == "2022-04-03"
    assert parse_article(slashed, url="https://news.example.co.ke/a").published == "2022-04-03"
    assert parse_article(slashed, url="https://news.example.com.ph/a").published == "2022-03-04"
    assert parse_article(slashed, url="https://news.example.com/a").published == "2022-03-04"
    assert parse_article(slashed, url="https://news.example.io/a").published == "2022-03-04"
    # On a generic domain, a page tagged only "en" says its country in its OpenGraph locale.
    british = page('<meta property="og:locale" content="en_GB">', '<p class="date">03/04/2022</p>')
    assert parse_article(british, url="https://news.example.com/a").published == "2022-04-03"
    american = page('<meta property="og:locale" content="en_US">', '<p class="date">03/04/2022</p>')
    assert parse_article(american, url="https://news.example.com/a").published == "2022-03-04"
    # A country's domain says more than a locale left at a platform's default.
    assert parse_article(american, url="https://news.example.co.uk/a").published == "2022-04-03"


@pytest.mark.parametrize(
    "lang,url,published",
    [
        ("en-US", "https://news.example.com/a", "2022-11-06T21:00:00-05:00"),
        ("en-AU", "https://news.example.com/a", "2022-11-07T13:00:00+11:00"),
        ("en", "https://news.example.com.au/a", "2022-11-07T13:00:00+11:00"),
        ("en", "https://news.example.com.ng/a", "2022-11-07T03:00:00+01:00"),
        ("tr", "https://haber.example.com/a", "2022-11-07T05:00:00+03:00"),
        ("uk", "https://novyny.example.com/a", "2022-11-07T04:00:00+02:00"),
        ("vi", "https://tintuc.example.com/a", "2022-11-07T09:00:00+07:00"),
        ("zh", "https://xinwen.example.com/a", "2022-11-07T10:00:00+08:00"),
        ("fr", "https://nouvelles.example.com/a", "2022-11-07T02:00:00Z"),  # French is read in many zones
        # Languages whose news is written almost all in one zone, or for most of its readers in one
        ("ru", "https://novosti.example.com/a", "2022-11-07T05:00:00+03:00"),
        ("no", "https://nyheter.example.com/a", "2022-11-07T03:00:00+01:00"),
        ("ta", "https://seithi.example.com/a", "2022-11-07T07:30:00+05:30"),
        ("ne", "https://samachar.example.com/a", "2022-11-07T07:45:00+05:45"),
        ("tl", "https://balita.example.com/a", "2022-11-07T10:00:00+08:00"),
        ("sw", "https://habari.example.com/a", "2022-11-07T05:00:00+03:00"),
        ("hy", "https://lurer.example.com/a", "2022-11-07T06:00:00+04:00"),
        ("bn", "https://khobor.example.com/a", "2022-11-07T08:00:00+06:00"),
    ],
)
def test_the_outlets_zone_comes_from_its_country_or_a_language_read_in_one_zone(lang, url, published):
    # 02:00 UTC on the 7th: still the 6th in New York, already mid-day in Sydney.
    html = page('<meta property="article:published_time" content="2022-11-07T02:00:00Z">', lang=lang)
    assert parse_article(html, url=url).published == published


def test_a_dotted_date_with_a_months_name_is_the_pages_published_and_modified_date():
    html = page(
        body='<time class="c-more-options__published-date" itemprop="datePublished">3.dez.2026 às 8h30</time>'
        '<p class="c-more-options__modified-date">Atualizado: 5.dez.2026 às 10h00</p>',
        lang="pt-BR",
    )
    article = parse_article(html, url="https://news.example.com.br/poder/2026/12/budget.shtml")
    assert article.published == "2026-12-03"
    assert article.modified == "2026-12-05"


def test_a_page_east_of_utc_dated_its_own_today_keeps_its_day_when_utc_is_still_on_yesterday():
    # A Tokyo paper's story of 08:30 on the 8th, fetched at 23:45 UTC on the 7th: htmldate, told no date can be
    # after UTC's today, threw the page's day out and fell back to the month it read, "the 1st", which outvoted
    # the day the page shows. A day ahead is allowed to every witness alike.
    tomorrow = (datetime.now(UTC) + timedelta(days=1)).date()
    shown = f"{tomorrow.year}.{tomorrow.month:02d}.{tomorrow.day:02d} 08:30"
    html = page(body=f'<span class="date">{shown}</span>', lang="ja")
    article = parse_article(html, url="https://news.example.jp/articles/123")
    assert article.published[:10] == tomorrow.isoformat()


def test_a_future_date_is_doubted_and_recorded_not_used():
    html = page(ld(datePublished="2099-01-01T00:00:00Z"), '<p class="date">14 March 2026</p>')
    article = parse_article(html)
    assert article.published == "2026-03-14"
    assert DateDoubt("2099-01-01T00:00:00Z", "json-ld datePublished", "in the future") in article.date_doubts


@pytest.mark.parametrize(
    "stamp", ["2026-03-14T10:00:00+24:00", "2026-03-14T10:00:00-05:99", "2026-03-14T10:00:99Z", "2026-03-14T10:00:60Z"]
)
def test_a_time_with_an_impossible_offset_or_second_keeps_only_its_day(stamp):
    article = parse_article(page(f'<meta property="article:published_time" content="{stamp}">'))
    assert article.published == "2026-03-14"


def test_a_date_before_1995_is_doubted_and_recorded():
    article = parse_article(page('<meta property="article:published_time" content="1970-01-01T00:00:00Z">'))
    assert article.published is None
    assert article.date_doubts == [DateDoubt("1970-01-01T00:00:00Z", "meta article:published_time", "before 1995")]


def test_a_page_date_weeks_from_its_feed_entry_is_doubted_and_the_feed_date_used():
    html = page(ld(datePublished="2026-01-20T10:00:00+01:00"))
    article = parse_article(html, url="https://post.example/budget", feed_date="2026-03-02T14:30:00Z")
    assert article.published == "2026-03-02T15:30:00+01:00"  # the feed's time, on the page's clock
    assert article.published_from == ("feed",)
    assert {d.source for d in article.date_doubts} == {"json-ld datePublished", "htmldate"}
    assert {d.reason for d in article.date_doubts} == {"41 days from the feed entry's date"}


def test_a_page_date_agreeing_with_its_feed_entry_gives_the_precise_value():
    html = page(ld(datePublished="2026-03-02T15:30:00+01:00"))
    article = parse_article(html, url="https://post.example/budget", feed_date="2026-03-02T14:30:00Z")
    assert article.published == "2026-03-02T15:30:00+01:00"
    assert set(article.published_from) >= {"json-ld datePublished", "feed"}
    assert article.date_doubts == []


def test_historical_dates_in_the_text_are_not_doubts():
    html = page(body="<p>The harbour opened on 9 November 1989, and the budget passed on 14 March 2026.</p>")
    article = parse_article(html)
    assert article.published == "2026-03-14"
    assert article.date_doubts == []


def candidate(value: str, source: str, role: str = PUBLISHED) -> DateCandidate:
    return DateCandidate(value, source, role)


def test_one_family_repeating_itself_is_one_witness():
    # JSON-LD, OpenGraph and microdata are one CMS field: three of them do not outvote the URL and a <time>.
    decision = choose(
        [
            candidate("2026-03-10", "json-ld datePublished"),
            candidate("2026-03-10", "meta article:published_time"),
            candidate("2026-03-10", "microdata datePublished"),
            candidate("2026-03-02", "url"),
            candidate("2026-03-02", "time", UNKNOWN),
        ],
        TODAY,
    )
    assert decision.published == "2026-03-02"
    assert decision.published_sources == ("url", "time")


def test_the_most_trusted_source_of_a_family_speaks_for_it():
    decision = choose(
        [
            candidate("2026-03-01T08:00:00+01:00", "json-ld datePublished"),
            candidate("2026-03-03T09:00:00Z", "meta article:published_time"),
        ],
        TODAY,
    )
    assert decision.published == "2026-03-01T08:00:00+01:00"


def test_modified_dates_are_chosen_among_themselves_and_never_before_publication():
    decision = choose(
        [
            candidate("2026-03-05T08:00:00Z", "json-ld datePublished"),
            candidate("2026-03-04T08:00:00Z", "json-ld dateModified", MODIFIED),
            candidate("2026-03-06", "text", MODIFIED),
        ],
        TODAY,
    )
    assert decision.published == "2026-03-05T08:00:00Z"
    assert decision.modified == "2026-03-06"
    assert decision.modified_sources == ("text",)


def test_nothing_to_go_on_gives_no_date_rather_than_a_guess():
    decision = choose([candidate("2031-05-01", "url"), candidate("1960-01-01", "text", UNKNOWN)], TODAY)
    assert decision.published is None and decision.modified is None
    assert decision.doubts == [DateDoubt("2031-05-01", "url", "in the future")]


def test_readers_comments_are_no_witness_for_the_pages_date():
    # A comment thread carries dates in the same markup as an article's own; htmldate cannot tell them apart.
    comments = "".join(
        f'<div class="kb-comment"><time datetime="2020-09-{day}T1{i}:19:06+02:00">{day}.09.20</time>'
        f'<a href="/user/{i}">Leser{i}</a><p>Danke für den Tipp, klappt super!</p></div>'
        for i, day in enumerate(("23", "22", "22", "21"))
    )
    story = "<p>Mit einem scharfen Messer gelingt es am besten, die Tomaten in gleiche Scheiben zu schneiden.</p>"
    html = f"""<html lang="de"><head><title>Tomaten richtig schneiden</title></head><body>
    <div class="tip"><h1>Tomaten richtig schneiden</h1>
    <span class="profile">von <a href="/user/m">Marianne</a><br>am 20.09.2020</span>{story * 6}</div>
    <div id="kb-comments">{comments}</div></body></html>"""
    article = parse_article(html, url="https://kochen.example.de/tipp/tomaten")
    assert article.published == "2020-09-20"


@pytest.mark.parametrize("name", ["fecha", "tarih", "tanggal"])
def test_an_element_named_date_in_another_language_is_read_before_dates_in_the_prose(name):
    # The law of 1 January 2020 is what the story is about, not when it was written.
    html = page(
        body="<p>La ley de 1 de enero de 2020 fijó el marco del presupuesto municipal para los años siguientes.</p>"
        f'<div class="{name}">3 de mayo de 2022</div>',
        lang="es",
    )
    assert parse_article(html).published == "2022-05-03"


@pytest.mark.parametrize(
    "url,expected",
    [
        ("https://post.example/article/20260314/NEWS/311039909/budget", "2026-03-14"),
        ("https://post.example/actualidad/20260314/budget-agreed", "2026-03-14"),
        ("https://post.example/reden/2026/03/20260314_Rede2.html", "2026-03-14"),
        ("https://post.example/view/AKR20260314000100", None),  # eight digits inside an id are no date
        ("https://post.example/id/20261399/", None),  # no such day
        ("https://post.example/budget?d=20260314", None),  # a query is no part of the path
    ],
)
def test_a_date_written_as_eight_digits_in_the_path_is_the_url_s_date(url, expected):
    body = "<p>The Westbury council agreed its budget on Thursday after a long debate about road repairs.</p>"
    assert parse_article(f"<html><body>{body}</body></html>", url=url).published == expected
    assert date_in_url("http://[broken/20260314/") is None  # an address that cannot be split has no path


def test_a_teaser_cards_microdata_before_the_story_is_that_storys_date_not_the_pages():
    # A "latest news" strip above the story, each card its own NewsArticle item with a <meta> date: the first
    # itemprop on the page was taken as the page's.
    card = (
        '<div class="card" itemscope itemtype="https://schema.org/NewsArticle"><a href="/other-{0}">'
        '<h3 itemprop="headline">Harbour fees to rise again next spring {0}</h3></a>'
        '<meta itemprop="datePublished" content="2026-02-1{0}"><meta itemprop="author" content="Sam Other"></div>'
    )
    story = (
        '<article itemscope itemtype="https://schema.org/NewsArticle"><h1 itemprop="headline">Budget agreed</h1>'
        '<meta itemprop="datePublished" content="2026-03-03T08:30:00+01:00">'
        f'<meta itemprop="author" content="Jo Example">{BODY}</article>'
    )
    cards = "".join(card.format(i) for i in range(3))
    html = f'<html lang="en"><body><div class="latest">{cards}</div><main>{story}</main></body></html>'
    article = parse_article(html, url="https://post.example/news/budget-agreed")
    assert article.published == "2026-03-03T08:30:00+01:00"
    assert article.byline == "Jo Example"
    # The same with the dates shown in elements marked as the item's date.
    shown = html.replace('<meta itemprop="datePublished" content="2026-02-1', '<span itemprop="datePublished">1')
    shown = shown.replace('<meta itemprop="datePublished" content="2026-03-03T08:30:00+01:00">', "")
    shown = shown.replace(
        "<h1 itemprop", '<span itemprop="datePublished" content="2026-03-03">3 March 2026</span><h1 itemprop'
    )
    shown = shown.replace('"><meta itemprop="author" content="Sam Other">', " February 2026</span>")
    assert parse_article(shown, url="https://post.example/news/budget-agreed").published == "2026-03-03"


def test_a_teasers_date_inside_its_linked_headline_is_that_storys_not_the_pages():
    # A box of other stories inside the article, each teaser one link; the page's own date is written plainly.
    teasers = (
        '<ul class="more"><li><a href="/news/aashti/2495132"><em class="teaser__subline-pubdate">04.11.2021</em>'
        " Artikel: Eine Stimme für Afghanistan</a></li>"
        '<li><a href="/news/biathlon/19">19.01.2021 - Die besten Biathleten der Welt sind eingetroffen</a></li></ul>'
    )
    html = page(body=f"<p>Berlin, 12.11.2021</p>{teasers}", lang="de")
    article = parse_article(html, url="https://amt.example.de/reise/italien")
    assert article.published == "2021-11-12"


def test_a_posts_date_inside_its_permalink_is_still_read():
    html = page(
        body='<p class="posted-on">Posted on <a href="https://blog.example/budget/" rel="bookmark">'
        '<time class="entry-date published" datetime="2026-03-03T10:00:00+01:00">3 March 2026</time></a></p>'
    )
    article = parse_article(html, url="https://blog.example/budget/")
    assert article.published == "2026-03-03T10:00:00+01:00"
    assert "time" in article.published_from


def test_a_readers_comment_gives_the_page_no_date():
    comments = (
        '<div class="comments"><p>Jo Reader am 9. März 2026 um 13:22</p><p>Vielen Dank, gut zusammengefasst.</p>'
        "<p>Sam Reader am 10. März 2026 um 15:26</p><p>Gibt es Zahlen dazu?</p></div>"
    )
    html = page(body=comments, lang="de")
    assert parse_article(html, url="https://blog.example.de/budget").published is None


def test_a_web_address_written_out_gives_the_page_no_date():
    sources = "<ol><li>Quelle: socialmedia.example/2019/07/19/interview-mit-jo</li></ol>"
    html = page(body=sources, lang="de")
    assert parse_article(html, url="https://blog.example.de/budget").published is None
    assert dates_in_text("am 19.07.2019 in Köln, siehe socialmedia.example/2019/07/20/jo") == [("am ", "2019-07-19")]


@pytest.mark.parametrize(
    "url,expected",
    [
        ("https://blog.example/2021/03/10-tips-for-spring/", None),  # the title's number, not a day
        ("https://blog.example/2021/03/5-ways-to-save/", None),
        ("https://blog.example/2021/03/10/tips-for-spring/", "2021-03-10"),
        ("https://blog.example/2021/03/10.html", "2021-03-10"),
        ("https://post.example/2021-03-10-tips-for-spring", "2021-03-10"),
        ("http://www.he.xinhuanet.example/news/2012-06/04/content_25340717.htm", "2012-06-04"),
    ],
)
def test_a_number_starting_the_title_after_a_year_and_month_is_no_day(url, expected):
    assert date_in_url(url) == expected


@pytest.mark.parametrize(
    "url,expected",
    [
        ("https://post.example/world/2026/dec/07/budget-agreed", "2026-12-07"),  # the Guardian's month names
        ("https://post.example/uk-news/2026/Sep/7/budget", "2026-09-07"),
        ("https://post.example/2026/dec/10-tips-for-winter", None),  # the title's number, not a day
        ("https://post.example/2026/best/07/budget", None),
        ("https://post.example/n1/2026/1207/c1002-40000000.html", "2026-12-07"),  # year, then month and day
        ("https://post.example/n1/2026/1399/c1002-40000000.html", None),  # no such day
        ("https://post.example/photos/2026/1207-budget", None),
    ],
)
def test_a_url_writes_its_date_with_a_month_name_or_month_and_day_as_one_part(url, expected):
    assert date_in_url(url) == expected


def test_a_quoted_or_embedded_posts_date_is_not_the_pages():
    embeds = (
        '<blockquote class="twitter-tweet"><p>The budget is agreed.</p>&mdash; Westbury Council (@westbury) '
        '<a href="https://twitter.example/westbury/status/1">March 9, 2026</a></blockquote>'
        '<blockquote class="instagram-media"><p>A photo shared by Westbury Harbour '
        '<time datetime="2026-03-08T12:00:00+00:00">Mar 8, 2026</time></p></blockquote>'
    )
    html = page(body=embeds)
    article = parse_article(html, url="https://post.example/budget")
    # htmldate, a witness of its own, may still read the embed; none of our readers does.
    assert not {"time", "text"} & set(article.published_from)


def test_a_dates_role_comes_from_the_element_it_is_written_in_before_the_block_around_it():
    # A theme's meta block carries a hidden "updated" stamp first, then the visible publication date.
    meta = (
        '<div class="fusion-meta-info"><span class="updated rich-snippet-hidden">2026-03-18T10:10:52+01:00</span>'
        "Von Jo Example | 3. März 2026</div>"
    )
    html = page(ld(datePublished="2026-03-03T12:00:02+01:00"), body=meta, lang="de")
    url = "https://magazin.example.de/budget"
    written = [(c.day, c.role) for c in gather(Sources(lxml.html.fromstring(html)), url) if c.source == "text"]
    # The text's first choice is the visible date, not the stamp the block holds first.
    assert written[:2] == [("2026-03-18", MODIFIED), ("2026-03-03", UNKNOWN)]
    article = parse_article(html, url=url)
    assert article.published == "2026-03-03T12:00:02+01:00"
    assert article.modified == "2026-03-18"


def test_a_card_of_another_story_marked_as_an_article_is_not_the_story():
    # The story is in a plain <div>; the only <article>s are small cards of other stories, each with its <time>.
    cards = "".join(
        f'<article class="card"><a href="/news/{i}">Harbour</a><time datetime="2026-02-0{i}">{i} Feb</time></article>'
        for i in (1, 2)
    )
    html = (
        '<html lang="en"><body><div class="post"><h1>Budget agreed</h1>'
        f'<time datetime="2026-03-14">14 March 2026</time>{BODY * 4}</div><div class="more">{cards}</div></body></html>'
    )
    article = parse_article(html, url="https://post.example/budget")
    assert article.published == "2026-03-14"
    assert "time" in article.published_from


def test_the_word_before_a_link_around_a_time_says_which_date_it_is():
    html = page(
        ld(datePublished="2026-03-03T09:00:00+01:00"),
        '<p>Updated <a href="https://post.example/budget"><time datetime="2026-03-18">18 March</time></a></p>',
    )
    article = parse_article(html, url="https://post.example/budget")
    assert article.published == "2026-03-03T09:00:00+01:00"
    assert article.modified == "2026-03-18"
    assert article.modified_from == ("time",)


@pytest.mark.parametrize(
    "lang,url,expected",
    [
        ("en-US", "https://news.example.com/budget", "2026-03-04"),
        ("en", "https://news.example.com/budget", "2026-03-04"),  # English on a generic domain: American
        ("en-GB", "https://news.example.co.uk/budget", "2026-04-03"),
        ("de", "https://news.example.de/budget", "2026-04-03"),
    ],
)
def test_a_slashed_date_in_a_field_or_time_is_read_in_the_pages_order_like_a_written_one(lang, url, expected):
    html = page('<meta name="pubdate" content="03/04/2026">', "<time>03/04/2026</time>", lang=lang)
    article = parse_article(html, url=url)
    assert article.published == expected
    assert {"meta pubdate", "time"} <= set(article.published_from)


def test_a_blog_templates_date_in_an_abbreviations_title_is_read():
    # Blogger and hAtom themes show the time of day and keep the full stamp in the <abbr>'s title.
    post = (
        "<p>Der Frühjahrsmarkt am 12. März 2021 war gut besucht, sagt der Verein im Rückblick.</p>"
        '<p class="post-footer">Eingestellt von Jo um <abbr class="published" itemprop="datePublished"'
        ' title="2021-07-09T08:15:00+02:00">8:15 AM</abbr></p>'
    )
    article = parse_article(page(body=post, lang="de"), url="https://verein.example.de/rueckblick.html")
    assert article.published[:10] == "2021-07-09"
    assert "microdata datePublished" in article.published_from
    hatom = '<p>Posted by Jo at <abbr class="published" title="2021-07-09T08:15:00-04:00">8:15 AM</abbr></p>'
    other = parse_article(page(body=hatom), url="https://club.example.com/look-back.html")
    assert "time" in other.published_from
    assert "time" not in parse_article(page(body='<abbr title="European Union">EU</abbr>')).published_from


def test_a_readers_comment_marked_as_one_gives_its_date_to_no_one():
    # The theme marks each comment as a schema.org Comment with its own datePublished; the post itself has none.
    comment = (
        '<ol><li itemprop="comment" itemscope itemtype="https://schema.org/Comment">'
        '<span itemprop="author">Sam Reader</span> <time itemprop="datePublished" datetime="2026-03-19T21:04:00Z">'
        '19 March</time><meta itemprop="dateCreated" content="2026-03-19T21:04:00Z">'
        '<p itemprop="text">Thanks, a clear summary.</p></li></ol>'
    )
    html = page(body=f"<p>Westbury, 2 March 2026</p><section>{comment}</section>")
    article = parse_article(html, url="https://blog.example.com/budget")
    assert article.published == "2026-03-02"
    assert not any(source.startswith(("microdata", "meta")) for source in article.published_from)


@pytest.mark.parametrize("shown", ["vor 3 Stunden", "hace 2 días", "2 hours ago", "il y a 5 minutes"])
def test_a_time_that_shows_how_long_ago_is_read_from_its_titles_stamp(shown):
    # No datetime attribute; the relative label is rewritten by a script, the stamp kept as the tooltip.
    html = page(body=f'<p>Westbury <time title="2026-03-02T09:30:00+01:00">{shown}</time></p>')
    article = parse_article(html, url="https://news.example.de/budget")
    assert article.published == "2026-03-02T09:30:00+01:00"
    assert "time" in article.published_from


@pytest.mark.parametrize(
    "shown",
    [
        '<span class="timeago" title="2026-03-02T09:30:00+01:00">vor 3 Stunden</span>',  # jQuery timeago on a span
        '<span class="date" datetime="2026-03-02T09:30:00+01:00">hace 2 días</span>',
    ],
)
def test_an_element_named_as_a_date_keeps_its_stamp_in_its_title_or_datetime_like_a_time(shown):
    html = page(body=f"<p>Westbury {shown}</p>")
    article = parse_article(html, url="https://news.example.de/budget")
    assert article.published == "2026-03-02T09:30:00+01:00"
    assert "time" in article.published_from


def test_an_amp_pages_time_element_is_read_like_a_time():
    # AMP writes its relative "3 hours ago" label with <amp-timeago>, the stamp in its datetime attribute.
    html = page(
        body='<p><amp-timeago width="160" height="20" datetime="2026-03-02T09:30:00Z" layout="fixed">'
        "2 March</amp-timeago></p>"
    )
    article = parse_article(html, url="https://news.example.com/amp/budget")
    assert article.published == "2026-03-02T09:30:00Z"
    assert "time" in article.published_from


# Solar Hijri (Persian) dates: the first day of each year (Nowruz) and days of leap and common years, as the
# Iranian calendar gives them.
@pytest.mark.parametrize(
    "year,month,day,expected",
    [
        (1395, 1, 1, date(2016, 3, 20)),
        (1396, 1, 1, date(2017, 3, 21)),
        (1399, 1, 1, date(2020, 3, 20)),
        (1400, 1, 1, date(2021, 3, 21)),
        (1401, 1, 1, date(2022, 3, 21)),
        (1402, 1, 1, date(2023, 3, 21)),
        (1403, 1, 1, date(2024, 3, 20)),
        (1404, 1, 1, date(2025, 3, 21)),
        (1401, 2, 13, date(2022, 5, 3)),
        (1401, 7, 1, date(2022, 9, 23)),
        (1401, 10, 1, date(2022, 12, 22)),
        (1357, 11, 22, date(1979, 2, 11)),
        (1399, 12, 30, date(2021, 3, 20)),  # 1399 is a leap year: Esfand has 30 days
        (1403, 12, 30, date(2025, 3, 20)),
        (1402, 12, 30, None),  # 1402 is not
        (1401, 6, 31, date(2022, 9, 22)),
        (1401, 7, 31, None),  # the second half of the year has months of 30 days
        (1401, 13, 1, None),
    ],
)
def test_a_solar_hijri_date_is_its_gregorian_day(year, month, day, expected):
    assert solar_hijri_to_gregorian(year, month, day) == expected


def test_solar_hijri_days_follow_one_another_without_gap_or_overlap():
    day = solar_hijri_to_gregorian(1380, 1, 1)
    for year in range(1380, 1420):
        for month in range(1, 13):
            for d in range(1, 32):
                found = solar_hijri_to_gregorian(year, month, d)
                if found is None:
                    continue
                assert found == day, (year, month, d)
                day += timedelta(days=1)
    assert day == solar_hijri_to_gregorian(1420, 1, 1)


@pytest.mark.parametrize(
    "value,calendar,expected",
    [
        ("1401/02/13", PERSIAN, "2022-05-03"),
        ("1401-02-13T10:30:00+04:30", PERSIAN, "2022-05-03T10:30:00+04:30"),
        ("۱۴۰۱/۰۲/۱۳ - ۱۰:۳۰", PERSIAN, "2022-05-03"),
        ("2022-05-03T10:30:00+04:30", PERSIAN, "2022-05-03T10:30:00+04:30"),  # a Gregorian year stays
        ("۱۴۰۱/۰۲/۱۳", None, "2022-05-03"),  # Persian digits say which calendar
        ("۱۳ اردیبهشت ۱۴۰۱", None, "2022-05-03"),  # and so does a Persian month's name
        ("سه‌شنبه ۱۳ اردیبهشت‌ماه ۱۴۰۱ - ۱۰:۳۰", None, "2022-05-03"),
        ("22 بهمن 1401", None, "2023-02-11"),
        ("1401/02/13", None, None),  # a page in no known language: no calendar guessed
        ("1401/02/13", GREGORIAN, None),
        ("١٤٠١/٠٢/١٣", None, None),  # Arabic-Indic digits are Arabic's, whose Hijri years are lunar
        ("٣ مايو ٢٠٢٢", None, "2022-05-03"),
        ("2565-05-03T10:00:00+07:00", THAI, "2022-05-03T10:00:00+07:00"),
        ("03/05/2565", THAI, "2022-05-03"),
        ("๓ พฤษภาคม พ.ศ. ๒๕๖๕", None, "2022-05-03"),
        ("2565-05-03", None, None),
    ],
)
def test_dates_of_other_calendars_are_read_when_the_page_says_which(value, calendar, expected):
    assert normalise_date(value, calendar=calendar) == expected


@pytest.mark.parametrize(
    "head,lang,expected",
    [
        ('<meta property="article:published_time" content="1401/02/13">', "fa", "2022-05-03"),
        ('<meta property="article:published_time" content="1401/02/13">', "fa-IR", "2022-05-03"),
        (
            '<meta property="og:locale" content="fa_IR"><meta property="article:published_time" content="1401/02/13">',
            "",
            "2022-05-03",
        ),
        ('<meta property="article:published_time" content="1401/02/13">', "en", None),
        ('<meta property="article:published_time" content="1401/02/13">', "", None),
        (
            '<meta property="article:published_time" content="2565-05-03T10:00:00+07:00">',
            "th",
            "2022-05-03T10:00:00+07:00",
        ),
    ],
)
def test_a_page_in_persian_or_thai_has_its_dates_read_in_its_calendar(head, lang, expected):
    html = page(head, lang=lang).replace(' lang=""', "")
    article = parse_article(html, url="https://news.example/budget")
    assert article.published == expected
    assert article.date_doubts == []


def test_a_persian_pages_written_date_is_its_published_day():
    html = page(body='<p class="date">تاریخ انتشار: ۱۳ اردیبهشت ۱۴۰۱ - ۱۰:۳۰</p>', lang="fa")
    assert parse_article(html, url="https://news.example/fa/budget").published == "2022-05-03"
    written = page(body="<p>منتشر شده در ۱۴۰۱/۰۲/۱۳</p>", lang="fa")
    assert parse_article(written, url="https://news.example/fa/budget").published == "2022-05-03"


FETCHED = datetime(2026, 3, 20, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    "shown,lang,expected",
    [
        ("vor 3 Stunden", "de", FETCHED - timedelta(hours=3)),
        ("2 hours ago", "en", FETCHED - timedelta(hours=2)),
        ("il y a 1 minute", "fr", FETCHED - timedelta(minutes=1)),
        ("hace 2 días", "es", "2026-03-18"),
        ("yesterday", "en", "2026-03-19"),
        ("Gestern, 14:30 Uhr", "de", "2026-03-19"),
        ("3 giorni fa", "it", "2026-03-17"),
    ],
)
def test_a_page_dated_only_how_long_ago_is_dated_from_when_it_was_fetched_and_doubted(shown, lang, expected):
    html = page(body=f'<p class="meta"><time>{shown}</time></p>', lang=lang)
    article = parse_article(html, url="https://news.example/budget", fetched_at=FETCHED)
    if isinstance(expected, datetime):
        assert parse_time(article.published) == expected
    else:
        assert article.published == expected
    assert article.published_from == ("relative time",)
    (doubt,) = article.date_doubts
    assert doubt.value == article.published and doubt.source == "relative time"
    assert doubt.reason == f'approximate: "{shown}" counted back from when the page was fetched'


@pytest.mark.parametrize(
    "shown,lang,expected",
    [
        ("Сегодня, 14:30", "ru", "2026-03-20"),
        ("Вчера в 14:30", "ru", "2026-03-19"),
        ("вчора, 14:30", "uk", "2026-03-19"),
        ("wczoraj o 14:30", "pl", "2026-03-19"),
        ("Dzisiaj, 14:30", "pl", "2026-03-20"),
        ("včera 14:30", "cs", "2026-03-19"),
        ("Dün 14:30", "tr", "2026-03-19"),
        ("Bugün, 14:30", "tr", "2026-03-20"),
        ("i går kl. 14.30", "nb", "2026-03-19"),
        ("igår 14:30", "sv", "2026-03-19"),
        ("eilen klo 14.30", "fi", "2026-03-19"),
        ("tegnap 14:30", "hu", "2026-03-19"),
        ("χθες 14:30", "el", "2026-03-19"),
        ("kemarin, 14:30", "id", "2026-03-19"),
        ("Hôm qua lúc 14:30", "vi", "2026-03-19"),
        ("昨日 14:30", "ja", "2026-03-19"),
        ("昨天 14:30", "zh", "2026-03-19"),
        ("어제 14:30", "ko", "2026-03-19"),
        ("أمس 14:30", "ar", "2026-03-19"),
        ("אתמול 14:30", "he", "2026-03-19"),
    ],
)
def test_yesterday_and_today_are_read_in_the_wider_webs_languages(shown, lang, expected):
    html = page(body=f'<p class="meta"><time>{shown}</time></p>', lang=lang)
    article = parse_article(html, url="https://news.example/budget", fetched_at=FETCHED)
    assert article.published == expected
    assert article.published_from == ("relative time",)


def test_without_a_fetch_time_a_date_of_how_long_ago_gives_no_date():
    html = page(body='<p class="meta"><time>vor 3 Stunden</time></p>', lang="de")
    article = parse_article(html, url="https://news.example/budget")
    assert article.published is None and article.date_doubts == []


def test_a_date_of_how_long_ago_never_outvotes_a_date_the_page_writes():
    html = page(
        '<meta property="article:published_time" content="2026-03-02T10:30:00+01:00">',
        '<p class="meta"><time>vor 3 Stunden</time></p>',
        lang="de",
    )
    article = parse_article(html, url="https://news.example/budget", fetched_at=FETCHED)
    assert article.published == "2026-03-02T10:30:00+01:00"
    assert article.date_doubts == []


def test_a_bylines_how_long_ago_is_read_and_the_storys_own_words_are_not():
    byline = page(body='<p class="byline">Von Jo Example · vor 2 Stunden</p>', lang="de")
    article = parse_article(byline, url="https://news.example/budget", fetched_at=FETCHED)
    assert parse_time(article.published) == FETCHED - timedelta(hours=2)
    assert article.published_from == ("relative byline",)
    prose = page(body="<p>Vor 3 Tagen hatte der Rat die Sitzung gestern noch einmal verschoben.</p>", lang="de")
    assert parse_article(prose, url="https://news.example/budget", fetched_at=FETCHED).published is None
    updated = page(body='<p class="meta">Aktualisiert vor 2 Stunden</p>', lang="de")
    assert parse_article(updated, url="https://news.example/budget", fetched_at=FETCHED).published is None


@pytest.mark.parametrize(
    ("lang", "body"),
    [
        ("en", '<p class="date">Updated 1 hour ago</p><p class="date">Published 3 hours ago</p>'),
        ("en", '<p class="date">Updated 1 hour ago · Published 3 hours ago</p>'),
        ("de", '<span class="date">Aktualisiert vor 1 Stunde</span> <span class="date">vor 3 Stunden</span>'),
        ("en", "<time>Updated 1 hour ago</time> <time>3 hours ago</time>"),
    ],
)
def test_a_how_long_ago_of_the_update_shown_first_does_not_hide_the_publications(lang, body):
    # "Updated 1 hour ago" dates nothing; read first, it was the only "how long ago" looked at, and the
    # publication's beside it was never read.
    article = parse_article(page(body=body, lang=lang), url="https://news.example/budget", fetched_at=FETCHED)
    assert parse_time(article.published) == FETCHED - timedelta(hours=3)


@pytest.mark.parametrize("state", ["comments-open", "no-comments", "has-comments", "comments_closed"])
def test_a_page_marked_as_taking_comments_keeps_its_own_date_and_byline(state):
    # A theme names the post's wrapper by whether readers may comment: a state of the page, not a thread.
    html = (
        f'<html lang="en"><head><title>Budget agreed</title></head><body class="single {state}">'
        f'<article class="post {state}"><h1>Budget agreed</h1><p class="byline">By <span class="author">Jo Example'
        f'</span> <time datetime="2026-03-14T08:00:00Z">14 March 2026</time></p>{BODY}</article></body></html>'
    )
    article = parse_article(html, url="https://post.example/budget")
    assert article.published == "2026-03-14T08:00:00Z"
    assert "time" in article.published_from
    assert article.byline == "Jo Example"


@pytest.mark.parametrize("name", ["comments", "comment-list", "commentlist", "kb-comments", "comments-area"])
def test_a_thread_of_comments_is_still_one_by_its_name(name):
    el = lxml.html.fragment_fromstring(f'<div class="{name}"><p>Jo Reader, 9 March 2026</p></div>')
    assert is_comment_block(el)
    assert not is_comment_block(lxml.html.fragment_fromstring('<div class="post comments-open"><p>x</p></div>'))


# Afghanistan's Solar Hijri months, as Dari pages name them after the zodiac: Hamal is Farvardin.
@pytest.mark.parametrize(
    "text,lang,expected",
    [
        ("تاریخ نشر: ۱۳ ثور ۱۴۰۱", "prs", "2022-05-03"),
        ("۱ حمل ۱۴۰۱", "fa-AF", "2022-03-21"),
        ("۱ جدی ۱۴۰۱", "prs", "2022-12-22"),
        ("۲۲ دلو ۱۴۰۱", "prs", "2023-02-11"),
        ("۳۰ حوت ۱۳۹۹", "prs", "2021-03-20"),
        ("۱۵ سنبله ۱۴۰۰", "prs", "2021-09-06"),
    ],
)
def test_a_dari_pages_date_named_in_afghanistans_months_is_its_published_day(text, lang, expected):
    html = page(body=f'<p class="date">{text}</p>', lang=lang)
    assert parse_article(html, url="https://khabar.example.af/budget").published == expected


def test_a_dari_month_name_says_its_calendar_on_a_page_naming_no_language():
    assert normalise_date("۱۳ ثور ۱۴۰۱") == "2022-05-03"
    assert normalise_date("13 ثور 1401") == "2022-05-03"


@pytest.mark.parametrize(
    "lang,url,published",
    [
        ("prs", "https://khabar.example.com/a", "2022-11-07T06:30:00+04:30"),
        ("fa", "https://khabar.example.af/a", "2022-11-07T06:30:00+04:30"),
        ("fa-AF", "https://khabar.example.com/a", "2022-11-07T06:30:00+04:30"),
        ("fa", "https://khabar.example.com/a", "2022-11-07T05:30:00+03:30"),  # Persian alone: Iran's clock
    ],
)
def test_a_dari_or_afghan_pages_clock_is_kabuls(lang, url, published):
    html = page('<meta property="article:published_time" content="2022-11-07T02:00:00Z">', lang=lang)
    assert parse_article(html, url=url).published == published


# Gregorian months as Persian writes them (Iran's spellings, after French, and Afghanistan's, after English).
@pytest.mark.parametrize(
    "text,expected",
    [
        ("۱۴ ژانویه ۲۰۲۲", "2022-01-14"),
        ("۱۴ ژانويه ۲۰۲۲", "2022-01-14"),  # Arabic's ي for Persian's ی
        ("۳ فوریه ۲۰۲۲", "2022-02-03"),
        ("۱۴ مارس ۲۰۲۲", "2022-03-14"),
        ("۳ آوریل ۲۰۲۲", "2022-04-03"),
        ("۳ مه ۲۰۲۲", "2022-05-03"),
        ("۳ می ۲۰۲۲", "2022-05-03"),
        ("۳ ژوئن ۲۰۲۲", "2022-06-03"),
        ("۳ ژوئیه ۲۰۲۲", "2022-07-03"),
        ("۳ ژوییه ۲۰۲۲", "2022-07-03"),
        ("۳ جولای ۲۰۲۲", "2022-07-03"),
        ("۳ اوت ۲۰۲۲", "2022-08-03"),
        ("۳ آگوست ۲۰۲۲", "2022-08-03"),
        ("۳ سپتامبر ۲۰۲۲", "2022-09-03"),
        ("۳ اکتبر ۲۰۲۲", "2022-10-03"),
        ("۳ نوامبر ۲۰۲۲", "2022-11-03"),
        ("۲۵ دسامبر ۲۰۲۱", "2021-12-25"),
        ("۱۴ ژانویهٔ ۲۰۲۲", "2022-01-14"),  # the ezafe's hamza on the name
        ("۳ فبروری ۲۰۲۲", "2022-02-03"),
        ("۳ سپتمبر ۲۰۲۲", "2022-09-03"),
        ("۳ مهر ۲۰۲۲", None),  # a Solar Hijri month with a Gregorian year is no date
    ],
)
def test_gregorian_months_in_persian_spellings_are_read(text, expected):
    found = dates_in_text(text)
    assert (found[0][1] if found else None) == expected


def test_a_persian_pages_gregorian_date_is_its_published_day():
    html = page(body='<p class="date">انتشار: سه‌شنبه ۳ مه ۲۰۲۲</p>', lang="fa")
    assert parse_article(html, url="https://news.example/fa/budget").published == "2022-05-03"


@pytest.mark.parametrize(
    "shown,expected",
    [
        ("12h ago", FETCHED - timedelta(hours=12)),
        ("3d ago", "2026-03-17"),
        ("5m ago", FETCHED - timedelta(minutes=5)),
        ("2w ago", "2026-03-06"),
        ("5 mins ago", FETCHED - timedelta(minutes=5)),
        ("3 hrs ago", FETCHED - timedelta(hours=3)),
        ("vor 5 Min.", FETCHED - timedelta(minutes=5)),
        ("vor 2 Std.", FETCHED - timedelta(hours=2)),
        ("30 seconds ago", FETCHED),
        ("vor 20 Sekunden", FETCHED),
        ("just now", FETCHED),
        ("Just now", FETCHED),
        ("moments ago", FETCHED),
        ("gerade eben", FETCHED),
        ("soeben", FETCHED),
        ("à l'instant", FETCHED),
        ("hace un momento", FETCHED),
        ("agora mesmo", FETCHED),
        ("poco fa", FETCHED),
        ("zojuist", FETCHED),
    ],
)
def test_short_and_just_now_labels_are_dated_from_when_the_page_was_fetched(shown, expected):
    html = page(body=f'<p class="meta"><time>{shown}</time></p>')
    article = parse_article(html, url="https://news.example/budget", fetched_at=FETCHED)
    if isinstance(expected, datetime):
        assert parse_time(article.published) == expected
    else:
        assert article.published == expected
    assert article.published_from == ("relative time",)
    (doubt,) = article.date_doubts
    assert doubt.reason == f'approximate: "{shown.rstrip(".")}" counted back from when the page was fetched'


def test_just_now_in_a_sentence_or_an_update_gives_no_date():
    sentence = page(body='<p class="meta">The council has just now agreed to meet again</p>')
    assert parse_article(sentence, url="https://news.example/budget", fetched_at=FETCHED).published is None
    updated = page(body='<p class="meta">Updated just now</p>')
    assert parse_article(updated, url="https://news.example/budget", fetched_at=FETCHED).published is None
    short = page(body='<p class="meta">Updated 3h ago</p>')
    assert parse_article(short, url="https://news.example/budget", fetched_at=FETCHED).published is None
    written = page(
        '<meta property="article:published_time" content="2026-03-02T10:30:00+01:00">',
        '<p class="meta"><time>just now</time></p>',
    )
    article = parse_article(written, url="https://news.example/budget", fetched_at=FETCHED)
    assert article.published == "2026-03-02T10:30:00+01:00" and article.date_doubts == []


STAMP = 1772443800  # 2026-03-02T09:30:00Z


@pytest.mark.parametrize(
    "markup",
    [
        f'<span class="timestamp" data-timestamp="{STAMP}">vor 3 Stunden</span>',
        f'<span class="article-date" data-time="{STAMP}000">2 hours ago</span>',
        f'<time data-time="{STAMP}">2 hours ago</time>',
        f'<abbr class="timestamp" data-utime="{STAMP}">Monday</abbr>',
        '<span class="pubdate" data-date="2026-03-02T09:30:00Z">Monday</span>',
    ],
)
def test_a_dates_stamp_kept_in_a_data_attribute_is_read(markup):
    # A script rewrites the label ("2 hours ago"); the stamp it counts from is kept in the element's data.
    html = page(body=f"<p>Westbury · {markup}</p>")
    article = parse_article(html, url="https://news.example.com/budget")
    assert article.published == "2026-03-02T09:30:00Z"
    assert "time" in article.published_from


def test_a_stamp_in_data_of_no_date_element_is_not_the_pages_date():
    # A page's render time on its <body>, a video player's position: not when the story was published.
    html = (
        f'<html lang="en"><body data-timestamp="{STAMP}"><article><h1>Budget agreed</h1>'
        f'<div class="player" data-time="{STAMP}">Watch</div>{BODY}</article></body></html>'
    )
    assert parse_article(html, url="https://news.example.com/budget").published is None


def test_parselys_page_metadata_gives_the_published_date():
    # Parse.ly's older tag: one JSON object in a meta tag, its publication under "pub_date".
    meta = (
        '<meta name="parsely-page" content=\'{"title": "Budget agreed", "link": "https://news.example.com/budget",'
        ' "type": "post", "pub_date": "2026-03-02T09:30:00Z", "section": "Politics"}\'>'
    )
    article = parse_article(page(meta), url="https://news.example.com/budget")
    assert article.published == "2026-03-02T09:30:00Z"
    assert "meta parsely-page" in article.published_from
    broken = '<meta name="parsely-page" content="{not json">'
    assert parse_article(page(broken), url="https://news.example.com/budget").published is None


def test_a_posts_own_date_with_its_weekday_above_the_headline_is_still_read():
    # Blogger writes the post's day as a date header above its title: named as a date, it is the post's.
    html = (
        '<html lang="de"><body><div class="post-header"><div class="date-header">Freitag, 5. Juni 2015</div>'
        '</div><div class="box"><div class="boxHeader"><span>14. Februar 2012</span></div>'
        "<h1>Haushalt beschlossen</h1></div>"
        "<p>Der Rat von Westbury hat am Dienstag nach langer Debatte über Straßen, Bibliothek und Hafen "
        "seinen Haushalt beschlossen.</p></body></html>"
    )
    assert parse_article(html, url="https://news.example.de/haushalt").published == "2015-06-05"


@pytest.mark.parametrize(
    "shown,lang,expected",
    [
        ("3 часа назад", "ru", FETCHED - timedelta(hours=3)),
        ("2 дня назад", "ru", "2026-03-18"),
        ("5 хвилин тому", "uk", FETCHED - timedelta(minutes=5)),
        ("3 saat önce", "tr", FETCHED - timedelta(hours=3)),
        ("2 gün önce", "tr", "2026-03-18"),
        ("3 godziny temu", "pl", FETCHED - timedelta(hours=3)),
        ("2 dni temu", "pl", "2026-03-18"),
        ("för 3 timmar sedan", "sv", FETCHED - timedelta(hours=3)),
        ("for 2 dage siden", "da", "2026-03-18"),
        ("3 jam yang lalu", "id", FETCHED - timedelta(hours=3)),
        ("3 giờ trước", "vi", FETCHED - timedelta(hours=3)),
        ("منذ ٣ ساعات", "ar", FETCHED - timedelta(hours=3)),
        ("3時間前", "ja", FETCHED - timedelta(hours=3)),
        ("2日前", "ja", "2026-03-18"),
        ("5分钟前", "zh", FETCHED - timedelta(minutes=5)),
        ("3 小時前", "zh-TW", FETCHED - timedelta(hours=3)),
        ("3시간 전", "ko", FETCHED - timedelta(hours=3)),
        ("2주 전", "ko", "2026-03-06"),
        # Czech, Slovak, Romanian, Croatian, Serbian, Bulgarian, Greek, Hebrew, Finnish, Hungarian, Persian, Hindi
        ("před 3 hodinami", "cs", FETCHED - timedelta(hours=3)),
        ("před 2 dny", "cs", "2026-03-18"),
        ("pred 5 minútami", "sk", FETCHED - timedelta(minutes=5)),
        ("acum 3 ore", "ro", FETCHED - timedelta(hours=3)),
        ("acum 2 zile", "ro", "2026-03-18"),
        ("prije 3 sata", "hr", FETCHED - timedelta(hours=3)),
        ("pre 2 dana", "sr", "2026-03-18"),
        ("преди 3 часа", "bg", FETCHED - timedelta(hours=3)),
        ("πριν από 3 ώρες", "el", FETCHED - timedelta(hours=3)),
        ("πριν 2 ημέρες", "el", "2026-03-18"),
        ("לפני 3 שעות", "he", FETCHED - timedelta(hours=3)),
        ("3 tuntia sitten", "fi", FETCHED - timedelta(hours=3)),
        ("2 päivää sitten", "fi", "2026-03-18"),
        ("3 órája", "hu", FETCHED - timedelta(hours=3)),
        ("5 perce", "hu", FETCHED - timedelta(minutes=5)),
        ("۳ ساعت پیش", "fa", FETCHED - timedelta(hours=3)),
        ("3 घंटे पहले", "hi", FETCHED - timedelta(hours=3)),
        ("2 दिन पहले", "hi", "2026-03-18"),
    ],
)
def test_how_long_ago_is_read_in_the_wider_webs_languages(shown, lang, expected):
    html = page(body=f'<p class="meta"><time>{shown}</time></p>', lang=lang)
    article = parse_article(html, url="https://news.example/budget", fetched_at=FETCHED)
    if isinstance(expected, datetime):
        assert parse_time(article.published) == expected
    else:
        assert article.published == expected
    assert article.published_from == ("relative time",)
    (doubt,) = article.date_doubts
    assert f'"{shown.removeprefix("för ").removeprefix("for ")}"' in doubt.reason


def test_a_day_before_a_date_in_chinese_is_not_how_long_ago():
    # "3月3日前" is "before 3 March", not "three days ago".
    html = page(body='<p class="meta"><time>3月3日前</time></p>', lang="zh")
    assert parse_article(html, url="https://news.example/budget", fetched_at=FETCHED).published is None


def test_every_comment_thread_is_taken_out_before_htmldate_reads_the_page():
    # Several threads side by side: each removal used to shift the positions the next one was found by,
    # so a thread stayed and, where a story block followed, the story block went in its place.
    threads = "".join(f'<div class="comment">Leser {i}: 0{i}.01.2020</div>' for i in range(1, 4))
    html = f"<html><body><div><p>Story one</p>{threads}<p>Story two</p><p>Story three</p></div></body></html>"
    text = _without_threads_and_clocks(lxml.html.fromstring(html)).text_content()
    assert "Leser" not in text
    assert all(f"Story {n}" in text for n in ("one", "two", "three"))


@pytest.mark.parametrize(
    "clock",
    [
        '<span id="uhr">Donnerstag, 16. Februar 2012</span>',
        '<div class="header-bar clock">Donnerstag, 16. Februar 2012</div>',
        '<p class="current-date">Donnerstag, 16. Februar 2012</p>',
        '<span class="todays-date">Heute ist Donnerstag, 16. Februar 2012</span>',
        # Named for "now", as news sites in other languages name the masthead's day ("Thứ hai, 7/12/2026")
        '<span class="time-now">Donnerstag, 16. Februar 2012</span>',
        '<div class="date-now">Donnerstag, 16. Februar 2012</div>',
        '<div class="current-time">Donnerstag, 16. Februar 2012</div>',
        '<span class="data-atual">Donnerstag, 16. Februar 2012</span>',
    ],
)
def test_a_clock_showing_the_day_the_page_was_served_is_not_its_date(clock):
    # A masthead's "today is" widget, named as a clock, holds the day the page was served, not the story's.
    html = (
        f'<html lang="de"><body><h1><a href="/">Westbury Online</a></h1><div class="masthead">{clock}</div>'
        '<div class="box"><div class="boxHeader"><span>14. Februar 2012</span></div>'
        "<h2>Haushalt beschlossen</h2>"
        "<p>Der Rat von Westbury hat am Dienstag nach langer Debatte über Straßen, Bibliothek und Hafen "
        "seinen Haushalt beschlossen.</p></div></body></html>"
    )
    assert parse_article(html, url="https://news.example.de/haushalt").published == "2012-02-14"


def test_on_a_page_without_an_article_element_a_time_after_the_headline_is_read_before_a_teasers_above_it():
    # A "latest" column before the story, each teaser's <time> beside its link: the page's first <time> was
    # taken as the story's on a page whose story is in no <article>.
    latest = (
        '<div class="col-left"><ul><li><a href="/harbour">Harbour fees to rise</a> '
        '<time datetime="2026-02-11">11 February</time></li></ul></div>'
    )
    own = '<p>Westbury, <time datetime="2026-03-02">2 March</time></p>'
    story = f'<div class="content"><h1>Budget agreed</h1>{own}{BODY}</div>'
    html = f'<html lang="en"><body>{latest}{story}</body></html>'
    article = parse_article(html, url="https://post.example/budget")
    assert article.published == "2026-03-02"
    # With no <time> after the headline, the page's are read as before.
    early = f'<html lang="en"><body>{own}<h1>Budget agreed</h1>{BODY}</body></html>'
    assert parse_article(early, url="https://post.example/budget").published == "2026-03-02"


def test_a_day_in_the_sites_header_above_the_story_is_not_read_by_htmldate_as_its_date():
    # The site's <header> (no headline in it, outside the story) shows the day the page was served under a name
    # of no clock: htmldate took it, and outvoted the story's own unlabelled date.
    html = (
        '<html lang="vi"><body><header><div class="top"><span class="header__date">Thứ năm, 16/2/2012</span></div>'
        '<nav><a href="/">Trang chủ</a></nav></header><div class="container"><h1>Ngân sách được thông qua</h1>'
        '<span class="date">Thứ ba, 14/2/2012, 08:30 (GMT+7)</span>'
        "<p>Hội đồng thành phố đã thông qua ngân sách vào thứ Ba sau một cuộc tranh luận dài về đường sá.</p>"
        "</div></body></html>"
    )
    assert parse_article(html, url="https://news.example/ngan-sach-123.html").published == "2012-02-14"
    assert "16/2/2012" not in _without_threads_and_clocks(lxml.html.fromstring(html)).text_content()
    # A <header> holding the headline, or inside the story's <article>, is the story's own and stays.
    for story in (html.replace("<header>", "<header><h1>Ngân sách</h1>", 1), f"<article>{html}</article>"):
        assert "16/2/2012" in _without_threads_and_clocks(lxml.html.fromstring(story)).text_content()


@pytest.mark.parametrize(
    "dated",
    [
        '<p class="meta"><i class="fa fa-clock-o"></i> 14. Februar 2012</p>',
        # a theme marking a post of today: the story's own date, on the day it is fetched
        '<div class="entry-header"><span class="today">14. Februar 2012</span></div>',
    ],
)
def test_a_date_beside_a_clock_icon_or_marked_as_todays_is_still_read(dated):
    # Icon fonts name their clock "fa-clock-o": the date beside the icon is the story's own.
    html = page(body=dated, lang="de")
    assert parse_article(html, url="https://news.example.de/haushalt").published == "2012-02-14"


def test_htmldate_reading_a_utc_stamp_votes_for_the_day_on_the_outlets_clock():
    # htmldate takes the day a UTC stamp is written with: 23:30 UTC on the 6th is the 7th in Berlin, where
    # the page's own field is read; htmldate's witness is for the 7th too, not a vote for the 6th.
    html = page('<meta property="article:published_time" content="2026-03-06T23:30:00Z">', lang="de")
    found = gather(Sources(lxml.html.fromstring(html)), "https://zeitung.example.de/haushalt")
    assert [c.value for c in found if c.source == "htmldate"] == ["2026-03-07"]
    assert [c.value for c in found if c.source == "meta article:published_time"] == ["2026-03-07T00:30:00+01:00"]


def test_htmldate_keeps_its_day_when_no_utc_stamp_of_the_page_is_written_with_it():
    # A stamp of the same day on the outlet's clock, or a day htmldate found elsewhere, stays as it read it.
    html = page('<meta property="article:published_time" content="2026-03-06T10:30:00Z">', lang="de")
    found = gather(Sources(lxml.html.fromstring(html)), "https://zeitung.example.de/haushalt")
    assert [c.value for c in found if c.source == "htmldate"] == ["2026-03-06"]


def test_a_pages_local_stamp_beside_its_utc_one_says_its_clock():
    # A Minnesota paper's field says 05:30:59 UTC on the 9th and its <time> shows 23:30:59 on the 8th:
    # six hours behind UTC, not New York's five, so the story is of the 8th, as its readers saw it.
    html = (
        '<html lang="en-US"><head>'
        + ld(datePublished="2026-11-09T05:30:59Z")
        + '</head><body><article><h1>Budget agreed</h1><p class="meta"><time datetime="2026-11-08T23:30:59">'
        f"Nov. 8</time></p>{BODY}</article></body></html>"
    )
    found = gather(Sources(lxml.html.fromstring(html)), "https://paper.example.com/budget")
    assert [c.value for c in found if c.source == "json-ld datePublished"] == ["2026-11-08T23:30:59-06:00"]
    assert parse_article(html, url="https://paper.example.com/budget").published[:10] == "2026-11-08"


PROSE = (
    "Die Vereine der Region dürfen sich wieder auf mehr Zuschauer in ihren Hallen freuen, nachdem das Land "
    "seine Regeln gelockert hat. Laut der am 28.01.2022 beschlossenen Verordnung gilt die neue Grenze ab "
    "sofort für alle Spiele der Saison, auch für die Jugend."
)


@pytest.mark.parametrize(
    "paragraph",
    [
        f"<p>{PROSE}</p>",
        # after a link in the same paragraph: the date is in the link's tail
        f"<p>Die <a href='/vereine'>Vereine</a> der Region{PROSE[11:]}</p>",
        f"<ul><li><em>Zuschauer:</em> {PROSE}</li></ul>",
    ],
)
def test_a_date_in_the_middle_of_a_paragraph_is_a_mention_not_the_pages_date(paragraph):
    # "Laut der am 28.01.2022 beschlossenen Verordnung": an event the story tells of, deep in its prose.
    html = page(body=paragraph, lang="de")
    found = gather(Sources(lxml.html.fromstring(html)), "https://verein.example.de/zuschauer")
    assert [c.day for c in found if c.source == "text"] == []


def test_a_dateline_opening_a_paragraph_is_still_the_pages_date():
    # A press release opens its first paragraph with the place and day it was issued.
    html = page(body=f"<p>Stuttgart, 02.02.2022 – {PROSE}</p>", lang="de")
    found = gather(Sources(lxml.html.fromstring(html)), "https://verein.example.de/zuschauer")
    assert [c.day for c in found if c.source == "text"] == ["2022-02-02"]


# A framework's page state, as a content platform writes it into the page: every component stamped with
# when an editor last saved it, none of them the story's publication.
STATE = (
    '<script>window.__STATE__ = {"footer": {"fields": {"Disclaimer": {"value": "© Westbury"}, '
    '"__Updated": {"value": "2022-02-09T11:04:09Z"}}}}</script>'
)


def test_a_stamp_htmldate_finds_only_in_a_script_does_not_outvote_the_date_the_page_shows():
    # htmldate's last resort is the first stamp of the raw source, here a component's save time in the
    # framework's state; the page shows its own day, unlabelled, under the headline.
    html = page(body="<p>17.02.2022</p>", lang="de").replace("</body>", f"{STATE}</body>")
    found = gather(Sources(lxml.html.fromstring(html)), "https://familie.example.de/pubertaet")
    assert [(c.day, c.role) for c in found if c.source == "htmldate"] == [("2022-02-09", UNKNOWN)]
    assert parse_article(html, url="https://familie.example.de/pubertaet").published == "2022-02-17"


def test_a_stamp_only_in_a_script_still_dates_a_page_that_shows_no_date():
    # A page rendered by scripts may keep its date only in their state: with nothing shown, it decides.
    html = page(lang="de").replace("</body>", f"{STATE}</body>")
    assert parse_article(html, url="https://familie.example.de/pubertaet").published[:10] == "2022-02-09"


def test_htmldate_reading_a_date_the_page_shows_stays_a_witness_of_publication():
    # The same stamp in the script and in the page's text: htmldate read a date the page shows.
    html = page(body="<p>09.02.2022</p>", lang="de").replace("</body>", f"{STATE}</body>")
    found = gather(Sources(lxml.html.fromstring(html)), "https://familie.example.de/pubertaet")
    assert [(c.day, c.role) for c in found if c.source == "htmldate"] == [("2022-02-09", PUBLISHED)]


TYPO3 = '<meta name="generator" content="TYPO3 CMS"><meta name="date" content="2020-02-12">'


def test_a_typo3_pages_meta_date_is_its_last_change_not_its_publication():
    # TYPO3 sites write the page's last change (SYS_LASTCHANGED) as <meta name="date">, a week after the
    # news item's own date shown under its headline; htmldate reads that meta too, and is no second witness.
    html = page(TYPO3, '<div class="news-single-timedata">05.02.2020</div>', lang="de")
    found = gather(Sources(lxml.html.fromstring(html)), "https://jugendwerk.example.de/aktuell/lieferketten/")
    assert [(c.day, c.role) for c in found if c.source == "meta date"] == [("2020-02-12", MODIFIED)]
    article = parse_article(html, url="https://jugendwerk.example.de/aktuell/lieferketten/")
    assert article.published == "2020-02-05"
    assert article.modified == "2020-02-12"


def test_a_typo3_page_showing_no_date_is_still_dated_by_its_last_change():
    html = page(TYPO3, lang="de")
    assert parse_article(html, url="https://jugendwerk.example.de/aktuell/lieferketten/").published == "2020-02-12"


def test_a_meta_date_of_another_cms_is_still_a_publication():
    html = page('<meta name="date" content="2020-02-12">', '<div class="news-single-timedata">05.02.2020</div>')
    found = gather(Sources(lxml.html.fromstring(html)), "https://jugendwerk.example.de/aktuell/lieferketten/")
    assert [(c.day, c.role) for c in found if c.source == "meta date"] == [("2020-02-12", PUBLISHED)]


@pytest.mark.parametrize(
    ("stamp", "shown", "published"),
    [
        # A Californian paper on a ".com" in English: its field in UTC is the 13th, its readers' day the 12th.
        ("2026-03-13T06:30:00Z", "March 12, 2026 11:30 p.m. PT", "2026-03-12T23:30:00-07:00"),
        ("2026-03-13T06:30:00Z", "Published 11:30 PM PDT, Thu March 12, 2026", "2026-03-12T23:30:00-07:00"),
        ("2026-12-08T04:30:00Z", "Dec. 7, 2026 11:30 p.m. ET", "2026-12-07T23:30:00-05:00"),
        ("2026-12-08T04:00:00Z", "Dec. 7, 2026, 11 p.m. EST", "2026-12-07T23:00:00-05:00"),
        ("2026-12-07T13:30:00Z", "Dec 8, 2026 12:30am AEDT", "2026-12-08T00:30:00+11:00"),
        ("2026-12-07T23:30:00Z", "08.12.2026, 00:30 Uhr MEZ", "2026-12-08T00:30:00+01:00"),
        ("2026-12-07T17:30:00Z", "Selasa, 08 Des 2026 00:30 WIB", "2026-12-08T00:30:00+07:00"),
        ("2026-12-07T22:30:00Z", "8 December 2026, 00:30 SAST", "2026-12-08T00:30:00+02:00"),
    ],
)
def test_a_zone_written_beside_the_pages_clock_places_its_utc_stamps(stamp, shown, published):
    # A page in plain "en" on a ".com" names no country, and its fields write UTC: the zone its date line
    # names beside the time is its readers' clock, and their day is the page's.
    html = page(ld(datePublished=stamp), f'<p class="date">{shown}</p>')
    assert parse_article(html, url="https://news.example.com/council").published == published


@pytest.mark.parametrize(
    ("shown", "minutes"),
    [
        ("08:30 UTC+1", 60),
        ("08:30 (UTC+1)", 60),
        ("08:30 GMT-3", -180),
        ("08:30 GMT\u22123", -180),
        ("08:30 UTC+05:30", 330),
        ("08:30 UTC+0545", 345),
        ("08:30 GMT+8", 480),
        ("08:30 UTC", 0),
    ],
)
def test_an_offset_written_after_utc_or_gmt_is_the_zone(shown, minutes):
    # "08:30 UTC+1" is an hour ahead of UTC: reading only "UTC" placed the page's day an hour late.
    assert zone_written(shown) == timezone(timedelta(minutes=minutes))


def test_an_offset_no_clock_keeps_after_utc_places_nothing():
    # No zone is 15 hours from UTC: a number there is not an offset, and the page is not placed in plain UTC.
    assert zone_written("08:30 UTC+15") is None
    assert zone_written("08:30 UTC+123") is None


def test_an_offset_after_utc_places_the_pages_utc_stamps():
    html = page(ld(datePublished="2026-12-07T23:30:00Z"), '<p class="date">08.12.2026, 00:30 (UTC+1)</p>')
    assert parse_article(html, url="https://news.example.com/council").published == "2026-12-08T00:30:00+01:00"


def test_a_zone_named_in_the_storys_sentences_or_an_ambiguous_one_places_nothing():
    # "CST" is Chicago's and China's; a time in the story's own sentences is an event's, in any zone.
    for body in ('<p class="date">Dec 7, 2026 10:30 PM CST</p>', "<p>The vote is due at 9:00 p.m. PT on Monday.</p>"):
        html = page(ld(datePublished="2026-12-08T04:30:00Z"), body)
        found = gather(Sources(lxml.html.fromstring(html)), "https://news.example.com/c")
        assert [c.value for c in found if c.source == "json-ld datePublished"] == ["2026-12-08T04:30:00Z"]


@pytest.mark.parametrize(
    ("lang", "url", "published"),
    [
        ("ja", "https://news.example.jp/a", "2026-03-07T08:00:00+09:00"),
        ("de", "https://news.example.de/a", "2026-03-07T08:00:00+01:00"),
        ("en", "https://news.example.com/a", "2026-03-07T08:00:00"),  # placed nowhere: left as written
    ],
)
def test_a_time_written_without_a_zone_is_on_the_outlets_clock(lang, url, published):
    # A CMS writing its local time without a zone ("2026-03-07T08:00:00" on a Tokyo paper) was stored as if in
    # UTC: nine hours late, "after it was first seen" when fetched that morning. It is the readers' clock.
    html = page(ld(datePublished="2026-03-07T08:00:00"), lang=lang)
    assert parse_article(html, url=url).published == published


@pytest.mark.parametrize(
    "marker",
    [
        '<meta name="modified" content="2026-03-18">',
        '<meta property="article:modified" content="2026-03-18">',
        '<meta property="article:updated_time" content="2026-03-18T10:00:00Z">',
        '<meta name="updated" content="2026-03-18">',
        '<meta name="revised" content="2026-03-18">',
        '<meta name="date.modified" content="2026-03-18">',
        '<meta name="dcterms.dateModified" content="2026-03-18">',
        '<meta name="last_updated_date" content="2026-03-18">',
        '<meta name="last-update" content="2026-03-18">',
    ],
)
def test_a_cms_field_naming_the_last_change_is_the_modified_date_never_the_publication(marker):
    # Unread, such a field was htmldate's find (it reads "modified" as any date): a witness of publication
    # that outvoted the date the page shows, and the item was dated by its last change.
    article = parse_article(page(marker, '<p class="meta">3 March 2026</p>'), url="https://news.example.org/a")
    assert article.published == "2026-03-03"
    assert article.modified[:10] == "2026-03-18"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("7 Dec 2026 08:30 GMT+01:00", "2026-12-07T08:30:00+01:00"),
        ("7 Dec 2026 08:30 GMT+1", "2026-12-07T08:30:00+01:00"),
        ("Mon, 07 Dec 2026 08:30:00 UTC+05:30", "2026-12-07T08:30:00+05:30"),
        ("7 Dec 2026 08:30 GMT-0500", "2026-12-07T08:30:00-05:00"),
        ("2026-12-07T08:30:00 GMT+01:00", "2026-12-07T08:30:00+01:00"),
        ("2026-12-07 08:30 UTC+05:30", "2026-12-07T08:30:00+05:30"),
        ("2026-12-07 08:30 utc-3", "2026-12-07T08:30:00-03:00"),
        ("Mon, 07 Dec 2026 08:30:00 GMT", "2026-12-07T08:30:00Z"),  # GMT alone is still UTC
        ("7 Dec 2026 08:30 GMT+25", "2026-12-07T08:30:00"),  # no such offset: the zone is left unread
    ],
)
def test_an_offset_written_after_gmt_or_utc_is_the_times_zone(value, expected):
    # "GMT+01:00" after the clock was read as UTC (its "GMT", the offset ignored) or as no zone at all.
    assert normalise_date(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("7 Dec 2026 08:30 (UTC+1)", "2026-12-07T08:30:00+01:00"),
        ("2026-12-07 08:30 (GMT+01:00)", "2026-12-07T08:30:00+01:00"),
        ("Dec 7, 2026 08:30 ( UTC-05:00 )", "2026-12-07T08:30:00-05:00"),
        ("7 Dec 2026 08:30 [UTC+5:30]", "2026-12-07T08:30:00+05:30"),
        ("7 Dec 2026 08:30 (GMT)", "2026-12-07T08:30:00Z"),
        ("7 Dec 2026 08:30 (UTC)", "2026-12-07T08:30:00Z"),
    ],
)
def test_an_offset_written_in_brackets_after_the_clock_is_the_times_zone(value, expected):
    # "08:30 (UTC+1)": the brackets hid the offset, and the time was read as on no clock at all.
    assert normalise_date(value) == expected


def test_a_time_element_with_its_offset_after_gmt_is_read_on_that_clock():
    html = page(body='<p class="meta"><time>7 Mar 2026 00:30 GMT+01:00</time></p>')
    article = parse_article(html, url="https://news.example.com/budget")
    assert article.published == "2026-03-07T00:30:00+01:00"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("20261207T083000Z", "2026-12-07T08:30:00Z"),
        ("20261207T083000+0100", "2026-12-07T08:30:00+01:00"),
        ("20261207T083000-05", "2026-12-07T08:30:00-05:00"),
        ("20261207T0830", "2026-12-07T08:30:00"),
        ("20261207T083000.250Z", "2026-12-07T08:30:00Z"),
        ("20261207", "2026-12-07"),
        ("20261307T083000Z", None),  # no 13th month
    ],
)
def test_iso_8601_basic_format_is_read_with_its_time_and_offset(value, expected):
    assert normalise_date(value) == expected


def test_a_basic_format_stamp_in_meta_json_ld_and_time_is_the_pages_date():
    for head, body in (
        ('<meta property="article:published_time" content="20260302T093000Z">', ""),
        (ld(datePublished="20260302T103000+0100"), ""),
        ("", '<p class="meta"><time datetime="20260302T093000Z">2 March</time></p>'),
    ):
        article = parse_article(page(head, body), url="https://news.example.com/budget")
        assert parse_time(article.published) == datetime(2026, 3, 2, 9, 30, tzinfo=UTC), (head, body)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1772443800.5", "2026-03-02T09:30:00Z"),
        ("1772443800500", "2026-03-02T09:30:00Z"),
        ("1772443800500.25", "2026-03-02T09:30:00Z"),
        (" 1772443800 ", "2026-03-02T09:30:00Z"),
        ("1772443800.5.5", None),
    ],
)
def test_seconds_with_a_fraction_and_milliseconds_written_as_text_are_read(value, expected):
    assert normalise_date(value) == expected


@pytest.mark.parametrize(
    "markup",
    [
        f'<span class="timestamp" data-timestamp="{STAMP}.5">2 hours ago</span>',
        f'<span class="timestamp" data-timestamp="{STAMP}500">2 hours ago</span>',
        f'<abbr class="timestamp" data-utime="{STAMP}.123">Monday</abbr>',
    ],
)
def test_a_data_stamp_with_a_fraction_or_in_milliseconds_is_read(markup):
    article = parse_article(page(body=f"<p>Westbury · {markup}</p>"), url="https://news.example.com/budget")
    assert article.published == "2026-03-02T09:30:00Z"


@pytest.mark.parametrize(
    ("text", "month_first", "expected"),
    [
        ("07.12.26", False, "2026-12-07"),
        ("Stand: 07.12.26, 08:30 Uhr", False, "2026-12-07"),
        ("7/12/26", False, "2026-12-07"),
        ("7/12/26 | 08:30", True, "2026-07-12"),
        ("25/12/25", True, "2025-12-25"),  # no 25th month: day first on any page
        ("( Pescara, 14 Gennaio 26 )", False, "2026-01-14"),
        ("7 Dec 26 · 3 min read", False, "2026-12-07"),
        ("Posted 12.03.98", False, "1998-03-12"),
        ("28.01.22 / 0 Kommentare", False, "2022-01-28"),
    ],
)
def test_a_date_written_with_a_two_digit_year_is_read(text, month_first, expected):
    # "07.12.26", "7/12/26": the year's century left out, as many date lines write it, was not read at all.
    assert [found for _, found in dates_in_text(text, month_first)] == [expected]
    assert normalise_date(text.strip("( )"), month_first) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Am 14 Januar 20 Teilnehmer mehr als im Vorjahr",  # a count after a date without its year
        "On 7 December 20 people were hurt",
        "Version 1.12.20 fixes the bug",  # a version number
        "the 7/12/26 split of the vote was close",  # a ratio, followed by words
        "07.12.75",  # a year no web page was written in
    ],
)
def test_two_digits_after_a_day_and_month_are_a_year_only_where_the_date_ends(text):
    assert dates_in_text(text) == []


def test_a_dateline_with_a_two_digit_year_is_the_pages_date():
    html = page(body="<p><em>( Pescara, 14 Gennaio 26 )</em></p>", lang="it")
    assert parse_article(html, url="https://parco.example.it/dettaglio.php?id=58354").published == "2026-01-14"


# A page built by its scripts: the story's fields only in the framework's state, after another component's save
# time (the raw source's first stamp, which htmldate takes) and a related story's date.
NEXT_DATA = (
    '<script id="__NEXT_DATA__" type="application/json">{"props": {"pageProps": {'
    '"header": {"updatedAt": "2026-02-09T11:04:09Z"},'
    '"related": [{"title": "Harbour fees rise again", "publishedAt": "2026-03-01T09:00:00Z"}],'
    '"article": {"title": "Budget agreed", "slug": "budget-agreed", "publishedAt": "2026-03-14T08:30:00Z",'
    '"updatedAt": "2026-03-15T10:00:00Z"}}}}</script>'
)
APOLLO_STATE = (
    "<script>window.__APOLLO_STATE__ = {"
    '"Teaser:1": {"__typename": "Teaser", "headline": "Harbour fees rise again", "datePublished": 1772355600000},'
    '"Article:2": {"__typename": "Article", "headline": "Budget agreed", "datePublished": 1773477000000}};</script>'
)
# Nuxt 3's payload: one flat array, each object's values the places of theirs in it.
NUXT_DATA = (
    '<script type="application/json" id="__NUXT_DATA__">'
    '[["ShallowReactive", 1], {"data": 2}, {"story": 3, "more": 6},'
    ' {"title": 4, "firstPublishedAt": 5}, "Budget agreed", "2026-03-14T08:30:00Z",'
    ' {"title": 7, "firstPublishedAt": 8}, "Harbour fees rise again", "2026-03-01T09:00:00Z"]</script>'
)


@pytest.mark.parametrize(
    "state", [NEXT_DATA, APOLLO_STATE, NUXT_DATA, APOLLO_STATE.replace("<script>", "<script>window.dataLayer = [];")]
)
def test_a_page_built_by_scripts_is_dated_by_its_storys_own_field_in_their_state(state):
    html = page(lang="en").replace("</body>", f"{state}</body>")
    article = parse_article(html, url="https://news.example.com/budget-agreed")
    assert article.published[:10] == "2026-03-14"
    assert any(source.startswith("state ") for source in article.published_from)


def test_a_modification_in_the_state_is_the_modified_date():
    html = page(lang="en").replace("</body>", f"{NEXT_DATA}</body>")
    article = parse_article(html, url="https://news.example.com/budget-agreed")
    assert article.modified == "2026-03-15T10:00:00Z"


def test_a_story_in_the_state_is_told_by_its_address_when_its_title_differs():
    state = NEXT_DATA.replace('"title": "Budget agreed"', '"title": "Council budget: what it means"')
    html = page(lang="en").replace("</body>", f"{state}</body>")
    assert parse_article(html, url="https://news.example.com/budget-agreed").published[:10] == "2026-03-14"


def test_a_state_naming_no_item_of_the_story_dates_nothing():
    # Only another story's date in the state: it is not this page's.
    state = NEXT_DATA.replace('"title": "Budget agreed", "slug": "budget-agreed", ', "")
    state = state.replace('"publishedAt": "2026-03-14T08:30:00Z",', "")
    html = page(body="<p>17.03.2026</p>", lang="en").replace("</body>", f"{state}</body>")
    found = gather(Sources(lxml.html.fromstring(html)), "https://news.example.com/budget-agreed")
    assert not [c for c in found if c.source.startswith("state ") and c.role == PUBLISHED]


def test_a_nuxt_payload_naming_itself_is_read_to_its_end():
    # A value naming its own place (a cycle) is left out, and the story beside it still found.
    state = NUXT_DATA.replace('{"data": 2}', '{"data": 2, "self": 1}')
    html = page(lang="en").replace("</body>", f"{state}</body>")
    assert parse_article(html, url="https://news.example.com/budget-agreed").published[:10] == "2026-03-14"


@pytest.mark.parametrize(
    ("shown", "lang"),
    [
        ("3月7日 8時30分", "ja"),
        ("发布时间：3月07日 08:30", "zh"),
        ("입력 3월 7일 오전 8:30", "ko"),
    ],
)
def test_a_year_less_cjk_date_takes_its_year_from_when_the_page_was_fetched(shown, lang):
    # "3月7日" gives no year: it was not read, and a page showing only it had no date.
    html = page(body=f'<p class="date">{shown}</p>', lang=lang)
    fetched = datetime(2025, 3, 7, 10, 0, tzinfo=UTC)
    assert parse_article(html, url="https://news.example.jp/a/1", fetched_at=fetched).published == "2025-03-07"


def test_a_year_less_cjk_date_takes_its_year_from_the_pages_other_dates():
    # Its year is the one that puts it nearest the page's other dates: "12月30日" beside a change of 2 January.
    html = page('<meta property="article:modified_time" content="2026-01-02T09:00:00+09:00">',
                '<p class="date">12月30日 17時00分</p>', lang="ja")  # fmt: skip
    assert parse_article(html, url="https://news.example.jp/a/1").published == "2025-12-30"


def test_a_year_less_date_of_last_december_fetched_in_january_is_last_years():
    html = page(body='<p class="date">12月30日</p>', lang="ja")
    fetched = datetime(2026, 1, 2, 10, 0, tzinfo=UTC)
    assert parse_article(html, url="https://news.example.jp/a/1", fetched_at=fetched).published == "2025-12-30"


@pytest.mark.parametrize("shown", ["12/1(火) 19:10", "12/1（火）19:10", "配信 12/1(火) 19:10"])
def test_a_year_less_japanese_month_and_day_before_its_weekday_takes_its_year_when_fetched(shown):
    # Yahoo! News Japan and the outlets it carries date a story "12/1(火) 19:10" (month/day, the weekday in
    # brackets) and nothing else on the page; the update below it is no publication.
    html = page(body=f"<time>{shown}</time><footer><p>最終更新:12/2(水) 08:00</p></footer>", lang="ja")
    fetched = datetime(2026, 12, 2, 10, 0, tzinfo=UTC)
    assert parse_article(html, url="https://news.example.jp/a/1", fetched_at=fetched).published == "2026-12-01"


@pytest.mark.parametrize("shown", ["12/1 19:10", "1/2(3)", "株価 12/1(月) 終値"])
def test_a_slashed_pair_without_a_weekday_or_in_the_storys_words_dates_nothing(shown):
    # "12/1" alone is a score, a fraction or a ratio as often as a date; only the weekday after it says it is one.
    html = page(body=f"<p>{shown}</p>", lang="ja")
    fetched = datetime(2026, 12, 2, 10, 0, tzinfo=UTC)
    assert parse_article(html, url="https://news.example.jp/a/1", fetched_at=fetched).published is None


def test_a_year_less_date_in_the_storys_sentences_dates_nothing():
    body = "<p>政府は12月7日に予算案を閣議決定した。</p>"
    html = page(body=body, lang="ja")
    fetched = datetime(2025, 12, 9, 10, 0, tzinfo=UTC)
    assert parse_article(html, url="https://news.example.jp/a/1", fetched_at=fetched).published is None


@pytest.mark.parametrize("where", ["post-meta", "byline"])
def test_dates_in_adjacent_elements_are_read_apart(where):
    # Themes write the publication and the update side by side with no space between: the text ran
    # "28. Juni 201914. Januar 2020", and neither date was read.
    meta = f'<div class="{where}"><span>28. Juni 2019</span><span class="updated">14. Januar 2020</span></div>'
    html = page(body=meta, lang="de")
    found = gather(Sources(lxml.html.fromstring(html)), "https://blog.example.de/frag")
    family = "byline" if where == "byline" else "text"
    assert {c.day for c in found if c.source == family} >= {"2019-06-28"}
    article = parse_article(html, url="https://blog.example.de/frag")
    assert (article.published, article.modified) == ("2019-06-28", "2020-01-14")


def test_a_date_split_over_inline_elements_is_still_one_date():
    html = page(body='<p class="date"><span>28</span>.<span>06</span>.<span>2019</span></p>', lang="de")
    assert parse_article(html, url="https://blog.example.de/frag").published == "2019-06-28"


# Nuxt 2's state as devalue writes it: a function called with the values the state holds more than once (the
# story's date, repeated as its creation; the section both stories are in, filled in by the function's
# statements; the menus' save time), its body giving the story's update and a related story's date first.
NUXT2_FUNCTION = (
    '<script>window.__NUXT__=(function(a,b,c,d){b.name="Politics";b.slug="politics";'
    'return {layout:"default",data:[{article:{id:4711,title:"Budget agreed",slug:"budget-agreed",'
    'updatedAt:"2026-03-15T10:00:00.000Z",publishedAt:c,createdAt:c,section:b,tags:[],readingTime:.5,'
    'related:[{id:4702,title:"Harbour fees rise again",slug:"harbour-fees-rise-again",'
    'publishedAt:"2026-03-01T09:00:00.000Z",section:b}]}}],fetch:{},error:a,'
    'state:{menu:{items:[{label:"News",path:"\\u002Fnews"}],updatedAt:d},footer:{updatedAt:d},'
    'auth:{user:a,loggedIn:false,expires:void 0}},serverRendered:true,routePath:"\\u002Fbudget-agreed",'
    'config:{_app:{basePath:"\\u002F",assetsPath:"\\u002F_nuxt\\u002F",cdnURL:a}}}}'
    '(null,{},"2026-03-14T08:30:00.000Z","2026-02-09T11:04:09.000Z"));</script>'
)
# Without a repeated value, devalue writes the object alone: JavaScript, its keys unquoted.
NUXT2_LITERAL = (
    '<script>window.__NUXT__={layout:"default",data:[{article:{title:"Budget agreed",'
    '"@type":"NewsArticle",publishedAt:new Date(1773477000000),related:[{title:"Harbour fees rise again",'
    "publishedAt:new Date(1772355600000)}]}}],error:null,serverRendered:true};</script>"
)


@pytest.mark.parametrize("state", [NUXT2_FUNCTION, NUXT2_LITERAL])
def test_a_page_built_by_nuxt_2_is_dated_by_its_storys_own_field_in_its_state(state):
    # Neither is JSON: the state was not read, and htmldate's first stamp in the scripts dated the page.
    html = page(lang="en").replace("</body>", f"{state}</body>")
    article = parse_article(html, url="https://news.example.com/budget-agreed")
    assert article.published[:10] == "2026-03-14"
    assert "state publishedAt" in article.published_from


def test_nuxt_2s_function_form_gives_the_storys_modification_too():
    html = page(lang="en").replace("</body>", f"{NUXT2_FUNCTION}</body>")
    assert parse_article(html, url="https://news.example.com/budget-agreed").modified[:10] == "2026-03-15"


@pytest.mark.parametrize(
    "script",
    [
        'window.__NUXT__=(function(a){return {title:/Budget agreed/g,publishedAt:a}}("2026-03-14"));',
        "window.__NUXT__=(function(a){return " + "[" * 5000 + "]" * 5000 + "}(1));",
        "window.__NUXT__=(function(a){a[0]=1;return {list:a}}(Array(1000000000)));",
        "window.__NUXT__=(function(a){return {title:'Budget agreed',publishedAt:a}}(\"2026-03-14\"));",
        'window.__NUXT__=(function(a){fetch(a);return {}}("/api"));',
        'window.__NUXT__=(function(a,b){return {title:"Budget agreed",publishedAt:a',
    ],
)
def test_a_nuxt_2_state_holding_more_than_data_is_passed_over(script):
    # A regular expression, nesting or an array past the bounds, quotes devalue never writes, a call, a cut page.
    html = page(lang="en").replace("</body>", f"<script>{script}</script></body>")
    found = gather(Sources(lxml.html.fromstring(html)), "https://news.example.com/budget-agreed")
    assert not [c for c in found if c.source.startswith("state ")]


def flight(rows: list[str], cuts: tuple[int, ...]) -> str:
    """Next.js app router's flight data: the rows as one text, cut at `cuts` into the scripts that push them."""
    data = "".join(rows)
    pieces = [data[a:b] for a, b in zip((0, *cuts), (*cuts, len(data)), strict=True)]
    pushes = [json.dumps([1, piece]).replace("<", "\\u003c") for piece in pieces]
    return "<script>(self.__next_f=self.__next_f||[]).push([0])</script>" + "".join(
        f"<script>self.__next_f.push({push})</script>" for push in pushes
    )


BODY_TEXT = "<p>Le conseil a adopté son budget — après un long débat.</p>\n<p>Suite…</p>"
FLIGHT_ROWS = [
    '1:"$Sreact.fragment"\n',
    '2:I[7341,["177","static/chunks/app/layout-1a2b.js"],"default"]\n',
    '3:HL["/_next/static/css/4b6c.css","style"]\n',
    '4:["$","header",null,{"children":["$","$L2",null,{"menu":{"items":[{"label":"News","href":"/news"}],'
    '"updatedAt":"$D2026-02-09T11:04:09.000Z"}}]}]\n',
    f"7:T{len(BODY_TEXT.encode()):x},{BODY_TEXT}",
    '8:["$","$L9",null,{"article":{"id":4711,"title":"Budget agreed","slug":"budget-agreed",'
    '"publishedAt":"$D2026-03-14T08:30:00.000Z","updatedAt":"$D2026-03-15T10:00:00.000Z","body":"$7"},'
    '"related":[{"title":"Harbour fees rise again","slug":"harbour-fees-rise-again",'
    '"publishedAt":"$D2026-03-01T09:00:00.000Z"}]}]\n',
    '0:{"P":null,"b":"bQ7xk","p":"","c":["","budget-agreed"],"i":false,"m":"$undefined","S":true}\n',
]


@pytest.mark.parametrize("cuts", [(), (150, 400), (410, 411, 600)])
def test_a_page_built_by_the_next_app_router_is_dated_by_its_storys_own_field_in_its_flight_data(cuts):
    # The rows are pushed in pieces cut anywhere, a long text row holding line ends among them.
    html = page(lang="en").replace("</body>", f"{flight(FLIGHT_ROWS, cuts)}</body>")
    article = parse_article(html, url="https://news.example.com/budget-agreed")
    assert (article.published[:16], article.modified[:16]) == ("2026-03-14T08:30", "2026-03-15T10:00")
    assert "state publishedAt" in article.published_from


def test_flight_data_naming_no_item_of_the_story_dates_nothing():
    rows = [row.replace('"title":"Budget agreed","slug":"budget-agreed",', "") for row in FLIGHT_ROWS]
    html = page(lang="en").replace("</body>", f"{flight(rows, (300,))}</body>")
    found = gather(Sources(lxml.html.fromstring(html)), "https://news.example.com/budget-agreed")
    assert not [c for c in found if c.source.startswith("state ")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("7 ธ.ค. 67", "2024-12-07"),  # Thairath, Thai PBS: the Buddhist era's year in two digits, 2567
        ("7 ธ.ค. 67 10:30 น.", "2024-12-07"),
        ("7 ธันวาคม 67 เวลา 10:30 น.", "2024-12-07"),
        ("07 ธ.ค. 67 (10:30 น.)", "2024-12-07"),
        ("7 ธ.ค. 67 | 10:30", "2024-12-07"),
        ("๗ ธ.ค. ๖๗", "2024-12-07"),  # in Thai digits
        ("7 ธ.ค. 24", "2024-12-07"),  # 2524 is 1981: a Gregorian year, as a Thai page's numbers can be
    ],
)
def test_a_thai_date_with_a_two_digit_year_is_of_the_buddhist_era(text, expected):
    # Two digits after a Thai month's name were not read: the page's date went unread.
    assert [date for _, date in dates_in_text(text)] == [expected]


@pytest.mark.parametrize(
    "text",
    [
        "7 ธ.ค. 67 ราย",  # followed by words, a count ("67 cases")
        "7 ธ.ค. 30",  # 2530 is 1987, a year no web page was written in, and 2030 is to come
        "7 ธ.ค. 6710",
    ],
)
def test_two_digits_after_a_thai_month_are_no_year_where_the_date_does_not_end(text):
    assert dates_in_text(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [("07/12/67", "2024-12-07"), ("7.12.67 10:30", "2024-12-07"), ("07/12/24", "2024-12-07")],
)
def test_a_thai_pages_two_digit_year_is_of_the_buddhist_era_where_that_is_a_year_of_the_web(text, expected):
    # 67 is 2567 (2024) on a Thai page; 24 there is as elsewhere, 2024 (2524 is 1981).
    assert [date for _, date in dates_in_text(text, calendar=THAI)] == [expected]
    assert [date for _, date in dates_in_text(text)] == ([] if text != "07/12/24" else [expected])


def test_a_thai_pages_publication_and_update_are_told_apart():
    # MGR Online's date line: "ปรับปรุง" (revised) is its update.
    line = '<p class="date">เผยแพร่: 7 ธ.ค. 67 10:30&nbsp;&nbsp; ปรับปรุง: 8 ธ.ค. 67 11:00</p>'
    article = parse_article(page(body=line, lang="th"), url="https://mgronline.example/detail/9670000115123")
    assert (article.published, article.modified) == ("2024-12-07", "2024-12-08")


# Arc XP's Fusion writes the story as ANS in its global content: the headline under `headlines.basic`, the address
# as `canonical_url`, the draft's creation and the last publication (`publish_date`) beside the first.
ARC_FUSION = (
    '<script type="application/javascript" id="fusion-metadata">window.Fusion=window.Fusion||{};'
    'Fusion.arcSite="westbury";Fusion.contextPath="/pf";Fusion.deployment="123";Fusion.globalContent={'
    '"_id":"ABCDEF","type":"story","version":"0.10.9","created_date":"2026-03-13T20:00:00.000Z",'
    '"last_updated_date":"2026-03-15T10:00:00.000Z","publish_date":"2026-03-15T10:00:00.000Z",'
    '"first_publish_date":"2026-03-14T08:30:00.000Z","display_date":"2026-03-14T08:30:00.000Z",'
    '"headlines":{"basic":"Budget agreed"},"canonical_url":"/news/budget-agreed/",'
    '"related_content":{"basic":[{"type":"story","headlines":{"basic":"Harbour fees rise again"},'
    '"first_publish_date":"2026-03-01T09:00:00.000Z"}]}};'
    'Fusion.globalContentConfig={"source":"content-api","query":{}};Fusion.lastModified=1773568800000;</script>'
)


@pytest.mark.parametrize("named", ["headline", "address"])
def test_an_arc_xp_page_is_dated_by_its_storys_first_publication_in_fusions_global_content(named):
    # Fusion's state was not read: htmldate's first stamp in it, the draft's creation, dated the page.
    state = ARC_FUSION if named == "headline" else ARC_FUSION.replace('"basic":"Budget agreed"', '"basic":"Budget"')
    html = page(lang="en").replace("</body>", f"{state}</body>")
    article = parse_article(html, url="https://westbury-times.example/news/budget-agreed/")
    assert (article.published[:16], article.modified[:16]) == ("2026-03-14T08:30", "2026-03-15T10:00")
    assert "state first_publish_date" in article.published_from


# Drupal's node as its RDF module writes it (Drupal 8 and later in schema.org terms, Drupal 7 in Dublin Core): the
# story's creation in an attribute, beside the "Submitted by" line in Drupal's default format, D, m/d/Y - H:i.
DRUPAL_RDFA = (
    '<article role="article" about="/node/12" typeof="schema:Article" class="node node--type-article">'
    '<h1><span property="schema:name" class="field field--name-title">Budget agreed</span></h1>'
    '<div class="node__meta"><span>Submitted by <span rel="schema:author" class="field field--name-uid">'
    '<span lang="" about="/user/1" typeof="schema:Person" property="schema:name" datatype="">admin</span></span>'
    ' on <span property="schema:dateCreated" content="2024-03-05T08:30:00+00:00" class="field field--name-created">'
    "Tue, 03/05/2024 - 08:30</span></span>"
    '<span property="schema:dateCreated" content="2024-03-05T08:30:00+00:00" class="rdf-meta hidden"></span></div>'
    f'<div class="node__content"><div property="schema:text" class="field field--name-body">{BODY}</div></div>'
    '<section class="comments"><article typeof="schema:Comment" about="/comment/3" class="comment">'
    '<span property="schema:dateCreated" content="2024-04-01T10:00:00+00:00" class="rdf-meta hidden"></span>'
    "<p>First!</p></article></section></article>"
)
DRUPAL7_RDFA = (
    '<div id="node-12" class="node node-article" about="/news/budget-agreed" typeof="sioc:Item foaf:Document">'
    '<h1 class="title">Budget agreed</h1><div class="submitted"><span property="dc:date dc:created" '
    'content="2024-03-05T08:30:00+01:00" datatype="xsd:dateTime" rel="sioc:has_creator">Submitted by '
    '<span class="username" property="foaf:name">admin</span> on Tue, 03/05/2024 - 08:30</span></div>'
    f'<div class="content"><div class="field-item even" property="content:encoded">{BODY}</div></div></div>'
)


@pytest.mark.parametrize(("markup", "term"), [(DRUPAL_RDFA, "schema:dateCreated"), (DRUPAL7_RDFA, "dc:created")])
def test_a_drupal_nodes_rdfa_date_is_a_structured_witness(markup, term):
    # The attribute was not read: on a British page "03/05/2024" was read day first, 3 May.
    html = f'<html lang="en-GB"><head><title>Budget agreed | Westbury</title></head><body>{markup}</body></html>'
    article = parse_article(html, url="https://westbury.example.gov.uk/news/budget-agreed")
    assert article.published[:10] == "2024-03-05"
    assert f"rdfa {term}" in article.published_from


@pytest.mark.parametrize(
    ("text", "month_first", "expected"),
    [
        ("Tue, 03/05/2024 - 08:30", False, "2024-03-05"),  # 3 May 2024 was a Friday
        ("Di., 03/05/2024 - 08:30", False, "2024-03-05"),
        ("Friday, 03/05/2024", True, "2024-05-03"),  # 5 March 2024 was a Tuesday
        ("vendredi 03/05/2024", False, "2024-05-03"),
        ("Tue, 03/12/2024 - 08:30", False, "2024-12-03"),  # 12 March and 3 December were Tuesdays: no help
        ("Tue, 03/12/2024 - 08:30", True, "2024-03-12"),
        ("Wed, 03/05/2024", False, "2024-05-03"),  # a weekday neither is: the page's own order
    ],
)
def test_a_weekday_before_a_slashed_date_tells_its_day_from_its_month(text, month_first, expected):
    # Drupal's default format writes the month first on pages of every country.
    assert [date for _, date in dates_in_text(text, month_first)] == [expected]


def test_a_drupal_submitted_line_without_rdfa_is_read_by_its_weekday():
    markup = DRUPAL7_RDFA.replace(' property="dc:date dc:created" content="2024-03-05T08:30:00+01:00"', "")
    html = f'<html lang="de"><head><title>Budget agreed</title></head><body>{markup}</body></html>'
    assert parse_article(html, url="https://westbury.example.de/news/budget-agreed").published == "2024-03-05"


# Other frameworks' states, each after a component's save time and beside a related story's date: Remix's loader
# data; SvelteKit's copy of what the server fetched (the response's body, JSON as a string); Angular's transfer
# state, as JSON (Angular 16 and later) or with its own escapes for quotes (`&q;`, before).
REMIX = (
    '<script>window.__remixContext = {"url":"/budget-agreed","state":{"loaderData":{"root":{"menu":'
    '{"updatedAt":"2026-02-09T11:04:09.000Z"}},"routes/$slug":{"article":{"title":"Budget agreed",'
    '"slug":"budget-agreed","publishedAt":"2026-03-14T08:30:00.000Z"},"related":[{"title":"Harbour fees rise again",'
    '"publishedAt":"2026-03-01T09:00:00.000Z"}]}},"actionData":null,"errors":null},"future":{"v3_fetcherPersist":'
    'false},"isSpaMode":false};__remixContext.p = function(v,e,p,x) {};</script>'
)
SVELTEKIT = (
    '<script type="application/json" data-sveltekit-fetched data-url="https://cms.example.com/api/menu">'
    '{"status":200,"statusText":"OK","headers":{},"body":"{\\"updatedAt\\":\\"2026-02-09T11:04:09.000Z\\"}"}</script>'
    '<script type="application/json" data-sveltekit-fetched data-url="https://cms.example.com/api/articles/budget-agreed"'
    ' data-ttl="60">{"status":200,"statusText":"OK","headers":{"content-type":"application/json"},"body":'
    '"{\\"data\\":{\\"title\\":\\"Budget agreed\\",\\"publishedAt\\":\\"2026-03-14T08:30:00.000Z\\",\\"related\\":'
    '[{\\"title\\":\\"Harbour fees rise again\\",\\"publishedAt\\":\\"2026-03-01T09:00:00.000Z\\"}]}}"}</script>'
)
ANGULAR_STATE = (
    '{"menu":{"updatedAt":"2026-02-09T11:04:09.000Z"},"1457890344":{"b":{"title":"Budget agreed",'
    '"publishedAt":"2026-03-14T08:30:00.000Z","related":[{"title":"Harbour fees rise again",'
    '"publishedAt":"2026-03-01T09:00:00.000Z"}]},"h":{},"s":200,"st":"OK",'
    '"u":"https://cms.example.com/api/articles/budget-agreed","rt":"json"}}'
)
ANGULAR = f'<script id="ng-state" type="application/json">{ANGULAR_STATE}</script>'
ANGULAR_ESCAPED = (
    f'<script id="serverApp-state" type="application/json">{ANGULAR_STATE.replace(chr(34), "&q;")}</script>'
)


@pytest.mark.parametrize("state", [REMIX, SVELTEKIT, ANGULAR, ANGULAR_ESCAPED])
def test_a_page_built_by_remix_sveltekit_or_angular_is_dated_by_its_storys_own_field(state):
    # None of these states was read: htmldate's first stamp in the scripts, the menu's save time, dated the page.
    html = page(lang="en").replace("</body>", f"{state}</body>")
    article = parse_article(html, url="https://news.example.com/budget-agreed")
    assert article.published[:16] == "2026-03-14T08:30"
    assert "state publishedAt" in article.published_from


# Headless WordPress: Faust.js keeps WPGraphQL's post in Apollo's cache (`date`, `modified`, `uri`), Frontity the
# REST API's post (its title under `rendered`, its address as `link`), each beside a related post's.
FAUST_APOLLO = (
    '<script>window.__APOLLO_STATE__ = {"Post:cG9zdDoy":{"__typename":"Post","id":"cG9zdDoy","title":'
    '"Harbour fees rise again","date":"2026-03-01T09:00:00","uri":"/harbour-fees-rise-again/"},'
    '"Post:cG9zdDox":{"__typename":"Post","id":"cG9zdDox","title":"Budget agreed. What it means",'
    '"date":"2026-03-14T08:30:00","modified":"2026-03-15T10:00:00","uri":"/budget-agreed/"}};</script>'
)
FRONTITY = (
    '<script id="__FRONTITY_CONNECT_STATE__" type="application/json">{"router":{"link":"/budget-agreed/"},'
    '"source":{"post":{"2":{"id":2,"date":"2026-03-01T09:00:00","slug":"harbour-fees-rise-again",'
    '"link":"/harbour-fees-rise-again/","title":{"rendered":"Harbour fees rise again"}},'
    '"1":{"id":1,"date":"2026-03-14T08:30:00","date_gmt":"2026-03-14T07:30:00","modified":"2026-03-15T10:00:00",'
    '"slug":"budget-agreed-2","link":"/budget-agreed/","title":{"rendered":"Budget agreed"}}}}}</script>'
)


@pytest.mark.parametrize("state", [FAUST_APOLLO, FRONTITY])
def test_a_headless_wordpress_page_is_dated_by_its_posts_date_in_the_state(state):
    # WordPress names its publication `date`, which was not read, nor Frontity's state, nor WPGraphQL's `uri`.
    html = page(lang="en").replace("</body>", f"{state}</body>")
    article = parse_article(html, url="https://news.example.com/budget-agreed/")
    assert (article.published, article.modified) == ("2026-03-14T08:30:00", "2026-03-15T10:00:00")
    assert "state date" in article.published_from


@pytest.mark.parametrize(
    ("shown", "expected"),
    [
        ("3 ชั่วโมงที่แล้ว", FETCHED - timedelta(hours=3)),
        ("3 ชม.ที่แล้ว", FETCHED - timedelta(hours=3)),
        ("๕ นาทีที่แล้ว", FETCHED - timedelta(minutes=5)),
        ("30 วินาทีที่แล้ว", FETCHED.replace(second=0)),
        ("2 วันที่แล้ว", "2026-03-18"),
        ("1 สัปดาห์ที่ผ่านมา", "2026-03-13"),
        ("เมื่อวาน 14:30 น.", "2026-03-19"),
        ("เมื่อวานนี้", "2026-03-19"),
        ("วันนี้ เวลา 10:30 น.", "2026-03-20"),
    ],
)
def test_how_long_ago_is_read_in_thai(shown, expected):
    # Thai writes the unit and "ago" (ที่แล้ว) without a space between them: a Thai page so dated had no date.
    html = page(body=f'<p class="meta"><time>{shown}</time></p>', lang="th")
    article = parse_article(html, url="https://news.example/budget", fetched_at=FETCHED)
    if isinstance(expected, datetime):
        assert parse_time(article.published) == expected
    else:
        assert article.published == expected
    assert article.published_from == ("relative time",)


def test_a_thai_unit_is_read_whole():
    # วินาที (seconds) begins as วัน (days) does once its vowel signs are set aside.
    html = page(body='<p class="meta"><time>30 วินาทีที่แล้ว</time></p>', lang="th")
    assert parse_article(html, url="https://news.example/budget", fetched_at=FETCHED).published.startswith(
        "2026-03-20T"
    )


def test_a_weekday_is_matched_in_the_gregorian_year_of_a_buddhist_eras_date():
    # 1 August 2024 was a Thursday; 8 January of 2567, taken as a Gregorian year, was one too.
    assert [date for _, date in dates_in_text("Thu 01/08/2567", calendar=THAI)] == ["2024-08-01"]


def test_a_state_title_written_as_html_is_compared_as_the_page_shows_it():
    # WordPress's REST API gives the title as HTML ("Council&#8217;s budget"), which matched no headline.
    state = FRONTITY.replace('"link":"/budget-agreed/","title":{"rendered":"Budget agreed"}',
                             '"title":{"rendered":"Council&#8217;s budget agreed &#8211; at last"}')  # fmt: skip
    html = (
        page(lang="en")
        .replace("</body>", f"{state}</body>")
        .replace("Budget agreed", "Council’s budget agreed – at last")
    )
    article = parse_article(html, url="https://news.example.com/?p=1")
    assert "state date" in article.published_from


@pytest.mark.parametrize(
    "name", ["cXenseParse:recs:publishtime", "og:pubdate", "bt:pubdate", "ptime", "publication_date", "dc:date"]
)
def test_more_publishers_names_for_the_publication_are_read_with_their_time(name):
    # Only htmldate read them, which gives the day: the story lost its time of day on the timeline.
    html = page(f'<meta name="{name}" content="2026-03-14T08:30:00+01:00">', lang="de")
    article = parse_article(html, url="https://news.example.de/haushalt")
    assert article.published == "2026-03-14T08:30:00+01:00"
    assert article.published_from[0] == f"meta {name.lower()}"


@pytest.mark.parametrize("name", ["article:modified_date", "og:modified_time", "modified_time", "utime"])
def test_more_publishers_names_for_the_last_change_are_read(name):
    head = f'<meta name="{name}" content="2026-03-15T10:00:00+01:00">'
    html = page(head + '<meta property="article:published_time" content="2026-03-14T08:30:00+01:00">', lang="de")
    assert parse_article(html, url="https://news.example.de/haushalt").modified == "2026-03-15T10:00:00+01:00"


# A fact check as fact-checkers mark it up (schema.org's ClaimReview): the claim it reviews, with the claim's own
# date and where it appeared, written before the review's date.
CLAIM_REVIEW = (
    '<script type="application/ld+json">{"@context":"https://schema.org","@type":"ClaimReview",'
    '"url":"https://factcheck.example/budget-claim/","claimReviewed":"The council cut library hours by half",'
    '"itemReviewed":{"@type":"Claim","author":{"@type":"Person","name":"A Councillor"},"datePublished":"2026-03-01",'
    '"appearance":{"@type":"OpinionNewsArticle","url":"https://paper.example/opinion/libraries",'
    '"headline":"Libraries cut","datePublished":"2026-03-02"}},"author":{"@type":"Organization",'
    '"name":"Westbury Fact Check"},"reviewRating":{"@type":"Rating","ratingValue":1,"bestRating":5,"worstRating":1,'
    '"alternateName":"False"},"datePublished":"2026-03-14T08:30:00+00:00","dateModified":"2026-03-15T10:00:00+00:00"}'
    "</script>"
)


def test_a_fact_check_is_dated_by_its_review_not_by_the_claim_it_reviews():
    # The review's own date was not read (a ClaimReview is no article type): htmldate's first "datePublished" in
    # the raw source, the claim's, dated the fact check.
    article = parse_article(page(CLAIM_REVIEW), url="https://factcheck.example/budget-claim/")
    assert (article.published, article.modified) == ("2026-03-14T08:30:00Z", "2026-03-15T10:00:00Z")
    assert "json-ld datePublished" in article.published_from


@pytest.mark.parametrize("name", ["__INITIAL_DATA__", "__DATA__", "__APP_STATE__", "__SERVER_DATA__"])
def test_a_state_under_any_framework_name_is_read_for_the_storys_own_date(name):
    # Only five names were read; a site's own (window.__INITIAL_DATA__) left htmldate's first stamp to date it.
    state = NEXT_DATA.replace('<script id="__NEXT_DATA__" type="application/json">', f"<script>window.{name} = ")
    html = page(lang="en").replace("</body>", f"{state}</body>")
    article = parse_article(html, url="https://news.example.com/budget-agreed")
    assert article.published[:16] == "2026-03-14T08:30"
    assert "state publishedAt" in article.published_from


# Substack's state: JSON in a JavaScript string, parsed by the page (`JSON.parse("...")`); the publication's own
# save time before the post, whose date Substack names `post_date`.
SUBSTACK = (
    '<script>window._preloads        = JSON.parse("{\\"isEU\\":false,\\"pub\\":{\\"name\\":\\"Westbury Notes\\",'
    '\\"updated_at\\":\\"2026-02-09T11:04:09.000Z\\"},\\"post\\":{\\"id\\":1234,\\"title\\":\\"Budget agreed\\",'
    '\\"slug\\":\\"budget-agreed\\",\\"post_date\\":\\"2026-03-14T08:30:00.000Z\\",'
    '\\"canonical_url\\":\\"https://westbury.substack.com/p/budget-agreed\\"}}")</script>'
)


@pytest.mark.parametrize("quote", ['"', "'"])
def test_a_state_given_as_json_in_a_string_is_read(quote):
    state = SUBSTACK if quote == '"' else SUBSTACK.replace('JSON.parse("', "JSON.parse('").replace('")</', "')</")
    state = state if quote == '"' else state.replace('\\"', '"')
    html = page(lang="en").replace("</body>", f"{state}</body>")
    article = parse_article(html, url="https://westbury.substack.com/p/budget-agreed")
    assert article.published[:16] == "2026-03-14T08:30"
    assert "state post_date" in article.published_from


# React Router 7's loader data as turbo-stream writes it (jacob-ebey/turbo-stream, flatten.ts): a flat list whose
# first item is the root, each object's keys ("_7") and values places in the list, a Date ["D", milliseconds]; the
# page hands it to its scripts as JavaScript strings, `window.__reactRouterContext.streamController.enqueue("...")`.
TURBO_VALUES = [
    {"_1": 2},
    "loaderData",
    {"_3": 4, "_11": 12},
    "routes/news.$slug",
    {"_5": 6},
    "article",
    {"_7": 8, "_9": 10},
    "title",
    "Budget agreed",
    "publishedAt",
    ["D", 1773477000000],
    "root",
    {"_13": 14},
    "menuSavedAt",
    ["D", 1770635049000],
]


def test_react_routers_turbo_stream_state_is_read_for_the_storys_date():
    payload = json.dumps(TURBO_VALUES) + "\n"
    half = len(payload) // 2
    scripts = "".join(
        f"<script>window.__reactRouterContext.streamController.enqueue({json.dumps(part)});</script>"
        for part in (payload[:half], payload[half:])
    )
    html = page(lang="en").replace("</body>", f"{scripts}</body>")
    article = parse_article(html, url="https://news.example.com/news/budget-agreed")
    assert article.published == "2026-03-14T08:30:00Z"
    assert "state publishedAt" in article.published_from


# Astro's island props (withastro/astro, runtime/server/serialize.ts): each value as [type, value], 0 a plain value
# or object, 1 an array, 3 a Date as its ISO string; written HTML-escaped into the element's `props` attribute.
ASTRO_PROPS = {
    "post": [
        0,
        {
            "title": [0, "Budget agreed"],
            "tags": [1, [[0, "council"], [0, "budget"]]],
            "pubDate": [3, "2026-03-14T08:30:00.000Z"],
        },
    ],
    "builtAt": [3, "2026-02-09T11:04:09.000Z"],
}


def test_astros_island_props_are_read_for_the_storys_date():
    island = (
        '<astro-island uid="Z1dGtPm" prefix="r2" component-url="/_astro/ShareBar.BxQ2.js" component-export="default"'
        f' renderer-url="/_astro/client.Dc9V.js" props="{html_escape(json.dumps(ASTRO_PROPS))}" ssr="" '
        'client="idle"><div class="share"></div></astro-island>'
    )
    html = page(lang="en", body=island)
    article = parse_article(html, url="https://news.example.com/news/budget-agreed")
    assert article.published == "2026-03-14T08:30:00Z"
    assert "state pubDate" in article.published_from


# Qwik's paused state (QwikDev/qwik, core/container/serializers.ts and pause.ts): `<script type="qwik/json">`, whose
# "objs" is a flat list; an object's values are places in it in base 36, a Date a string after "\u0006".
QWIK_STATE = {
    "refs": {"8": "c"},
    "ctx": {},
    "objs": ["Budget agreed", "\u00062026-03-14T08:30:00.000Z", "\u00062026-02-09T11:04:09.000Z"]
    + [f"filler {i}" for i in range(9)]
    + [{"title": "0", "publishedAt": "1"}, {"savedAt": "2", "next": "\u0001"}],
    "subs": [],
}


def test_qwiks_paused_state_is_read_for_the_storys_date():
    script = f'<script type="qwik/json">{json.dumps(QWIK_STATE)}</script>'
    html = page(lang="en").replace("</body>", f"{script}</body>")
    article = parse_article(html, url="https://news.example.com/news/budget-agreed")
    assert article.published == "2026-03-14T08:30:00Z"
    assert "state publishedAt" in article.published_from


def test_flat_states_that_name_themselves_or_nest_without_end_are_read_finitely():
    # A turbo-stream object holding itself, a Qwik object naming itself, and Astro props nested past any story's.
    turbo = json.dumps([{"_1": 0, "_2": 3}, "self", "title", "Budget agreed"]) + "\n"
    qwik = {"objs": [{"self": "0", "title": "1"}, "Budget agreed"]}
    nested: list = [0, "Budget agreed"]
    for _ in range(300):
        nested = [0, {"inner": nested}]
    scripts = (
        f"<script>window.__reactRouterContext.streamController.enqueue({json.dumps(turbo)});</script>"
        f'<script type="qwik/json">{json.dumps(qwik)}</script>'
    )
    island = f'<astro-island props="{html_escape(json.dumps({"post": nested}))}"></astro-island>'
    html = page(lang="en", body=island).replace("</body>", f"{scripts}</body>")
    assert parse_article(html, url="https://news.example.com/news/budget-agreed").published is None
