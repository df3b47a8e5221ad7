"""Publication dates on pages in other languages and calendars, written as those countries' major CMSs write them.

Each page carries no JSON-LD and no meta date: the date the page shows its readers is the only witness (with the
URL, where the site puts one there), as on the many pages whose structured data is missing or wrong. The markup's
shape is the site's own, as scrapers published for it read it (the source is named beside each).
"""

from __future__ import annotations

import pytest

from scrapers.article import parse_article
from scrapers.article.dates import dates_in_text

BODY = {
    "ko": "<p>서울시는 5일 내년도 예산안을 발표했다. 시는 도로 보수와 도서관 운영 시간 연장, 겨울철 항만 운영 비용을 "
    "놓고 긴 논의를 거쳐 예산을 확정했다고 밝혔다. 시의회는 다음 주 본회의에서 예산안을 심의할 예정이다.</p>",
    "ja": "<p>東京都は5日、来年度の予算案を発表した。道路の補修や図書館の開館時間の延長、冬季の港の運営費をめぐる"
    "長い議論の末に予算をまとめたという。都議会は来週の本会議で予算案を審議する予定だ。</p>",
    "zh": "<p>北京市政府5日公布了明年的预算草案。经过关于道路维修、图书馆开放时间和冬季港口运营费用的长时间讨论，"
    "预算最终确定。市人大将在下周的全体会议上审议预算草案。</p>",
    "fa": "<p>شورای شهر تهران روز سه‌شنبه بودجه سال آینده را پس از بحثی طولانی درباره تعمیر جاده‌ها، ساعات کار "
    "کتابخانه‌ها و هزینه باز نگه داشتن بندر در ماه‌های زمستان تصویب کرد و آن را برای بررسی نهایی فرستاد.</p>",
    "ar": "<p>وافق مجلس المدينة على ميزانيته يوم الثلاثاء بعد نقاش طويل حول إصلاح الطرق وساعات عمل المكتبات وتكلفة "
    "إبقاء الميناء مفتوحا خلال أشهر الشتاء، وأحال الميزانية إلى المراجعة النهائية في الأسبوع المقبل.</p>",
    "he": "<p>מועצת העיר אישרה ביום שלישי את התקציב לאחר דיון ארוך על תיקון כבישים, שעות הפתיחה של הספריות "
    "ועלות החזקת הנמל פתוח בחודשי החורף, והעבירה אותו לבדיקה סופית בשבוע הבא.</p>",
    "ru": "<p>Городской совет во вторник утвердил бюджет после долгих споров о ремонте дорог, часах работы "
    "библиотек и стоимости содержания порта открытым в зимние месяцы. Окончательное чтение пройдет на неделе.</p>",
    "uk": "<p>Міська рада у вівторок затвердила бюджет після довгої дискусії про ремонт доріг, години роботи "
    "бібліотек і вартість утримання порту відкритим у зимові місяці. Остаточне читання відбудеться за тиждень.</p>",
    "tr": "<p>Belediye meclisi salı günü yol onarımları, kütüphane çalışma saatleri ve limanın kış aylarında açık "
    "tutulmasının maliyeti üzerine uzun bir tartışmanın ardından bütçeyi onayladı ve son incelemeye gönderdi.</p>",
    "id": "<p>Dewan kota menyetujui anggaran pada hari Selasa setelah perdebatan panjang tentang perbaikan jalan, "
    "jam buka perpustakaan, dan biaya menjaga pelabuhan tetap buka selama musim dingin, lalu mengirimnya "
    "untuk ditinjau.</p>",
    "vi": "<p>Hội đồng thành phố đã thông qua ngân sách vào thứ Ba sau cuộc tranh luận dài về sửa chữa đường sá, giờ "
    "mở cửa thư viện và chi phí giữ cảng hoạt động trong những tháng mùa đông, rồi gửi đi xem xét lần cuối.</p>",
    "de": "<p>Der Stadtrat hat am Dienstag nach langer Debatte über Straßenreparaturen, die Öffnungszeiten der "
    "Bibliotheken und die Kosten für den Winterbetrieb des Hafens den Haushalt beschlossen und weitergeleitet.</p>",
}


def page(lang: str, header: str, headline: str = "예산안 발표") -> str:
    return (
        f'<html lang="{lang}"><head><title>{headline}</title></head><body>'
        f"<article><h1>{headline}</h1>{header}{BODY[lang]}</article></body></html>"
    )


# (language, the page's date line, its URL, the publication, the modification or None).
PAGES = [
    # Naver News (n.news.naver.com): the date line's stamps are in `data-date-time` and `data-modify-date-time`
    # (scrapers for it read `span._ARTICLE_DATE_TIME[data-date-time]`), shown "2024.03.05. 오전 10:20".
    (
        "ko",
        '<div class="media_end_head_info_datestamp"><div class="media_end_head_info_datestamp_bunch">'
        '<span class="media_end_head_info_datestamp_term">입력</span>'
        '<span class="media_end_head_info_datestamp_time _ARTICLE_DATE_TIME" data-date-time="2024-03-05 10:20:01">'
        "2024.03.05. 오전 10:20</span></div>"
        '<div class="media_end_head_info_datestamp_bunch"><span class="media_end_head_info_datestamp_term">수정</span>'
        '<span class="media_end_head_info_datestamp_time _ARTICLE_MODIFY_DATE_TIME" '
        'data-modify-date-time="2024-03-05 15:40:12">2024.03.05. 오후 3:40</span></div></div>',
        "https://n.news.naver.com/mnews/article/001/0014523456",
        "2024-03-05T10:20:01+09:00",
        "2024-03-05T15:40:12+09:00",
    ),
    # Yonhap (yna.co.kr): "송고시간" (the time the story was sent) glued to the stamp in `p.update-time` (scrapers
    # for it split the text on 송고시간); a class that says "update" on the publication, no date in the address.
    (
        "ko",
        '<p class="update-time">송고시간2024-03-05 10:20</p>',
        "https://www.yna.co.kr/view/AKR20240305012300001",
        "2024-03-05",
        None,
    ),
    # Xinhua (news.cn): year, month/day and clock in spans of `div.header-time left` (read so by Zotero's
    # translator for it: `span.year em`, `span.day`, `span.time`); the day is in the address ("/2024-03/05/").
    (
        "zh",
        '<div class="header-time left"><span class="year"><em> 2024</em></span><span class="day"><em> 03</em>/'
        '<em>05</em></span><span class="time"> 10:20:38</span></div>',
        "http://www.news.cn/politics/2024-03/05/c_1130031441.htm",
        "2024-03-05",
        None,
    ),
    # Lenta.ru: `time.topic-header__time`, the clock before the day and the month's genitive ("10:20, 5 марта 2024").
    (
        "ru",
        '<div class="topic-header__left"><time class="topic-header__item topic-header__time">'
        "10:20, 5 марта 2024</time></div>",
        "https://lenta.ru/news/budget/",
        "2024-03-05",
        None,
    ),
]


@pytest.mark.parametrize(("lang", "header", "url", "published", "modified"), PAGES)
def test_a_pages_own_date_line_in_its_language_dates_it(lang, header, url, published, modified):
    article = parse_article(page(lang, header), url=url)
    assert article.published == published
    assert article.modified == modified


# Short month names as Unicode CLDR gives them for each language (what ICU, Intl.DateTimeFormat(..., {month: "short"})
# and the CMSs built on them print): Russian "мар.", "апр."; Bulgarian "яну", "сеп", "ное"; Serbian (Cyrillic) "јан",
# "феб", "мар", "апр", "сеп", "нов", "дец". The others of these languages were read already.
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("5 мар. 2024 г., 10:20", "2024-03-05"),
        ("05 апр. 2024", "2024-04-05"),
        ("12 мар 2024, 10:20", "2024-03-12"),
        ("5 яну 2024", "2024-01-05"),
        ("5 сеп 2024", "2024-09-05"),
        ("5 ное 2024", "2024-11-05"),
        ("5 јан 2024", "2024-01-05"),
        ("5 феб 2024", "2024-02-05"),
        ("5 сеп 2024", "2024-09-05"),
        ("5 нов 2024", "2024-11-05"),
        ("5 дец 2024", "2024-12-05"),
    ],
)
def test_cldrs_short_month_names_are_read(text, expected):
    assert [found for _, found in dates_in_text(text)] == [expected]
