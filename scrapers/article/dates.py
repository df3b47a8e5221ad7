"""Date strings as pages write them (ISO, RFC 822, '14. März 2026', a URL path) to ISO 8601.

Pure string work, no page tree: the page-level search is `scrapers.article.pagedates`.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import UTC, date, datetime, timedelta
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit

ISO_DATE = re.compile(
    r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})(?:[T\s]+(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?\s*"
    r"(Z|[+-]\d{2}:?\d{2}|UTC|GMT)?)?"
)
COMPACT_DATE = re.compile(r"^\s*((?:19|20)\d{2})(\d{2})(\d{2})(?:T?(\d{2})(\d{2})(\d{2})?)?\s*$")
# ISO 8601's basic format, with a time: "20261207T083000Z", "20261207T083000+0100" (iCalendar's, some CMSs').
BASIC_ISO_DATE = re.compile(
    r"^\s*((?:19|20)\d{2})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})?(?:[.,]\d+)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?\s*$"
)
# An offset written after "GMT" or "UTC" ("08:30 GMT+01:00", "GMT+1", "UTC+05:30", "GMT-0500"): the offset is the
# zone, "GMT" only its name. Written as "+0100", what both ISO 8601 and RFC 822 read.
NAMED_OFFSET = re.compile(r"(?<![^\W\d_])(?:GMT|UTC)\s*([+-])(\d{1,2})(?::?(\d{2}))?(?!\d)", re.I)
# The same in brackets after the clock ("08:30 (UTC+1)", "08:30 [GMT+05:30]"), or UTC alone so ("08:30 (GMT)"):
# the brackets kept both from being read, and the time stood on no clock.
BRACKETED_OFFSET = re.compile(r"\s*[(\[]\s*(?:GMT|UTC)\s*(?:([+-])(\d{1,2})(?::?(\d{2}))?)?\s*[)\]]", re.I)
# Seconds since 1970, or milliseconds, as text; a fraction after either ("1772443800.5", JavaScript's Date.now()/1000).
EPOCH_TEXT = re.compile(r"^\s*(?:\d{9,11}|1\d{12})(?:\.\d+)?\s*$")
DMY_DATE = re.compile(r"^\s*(\d{1,2})\.\s?(\d{1,2})\.\s?(\d{4})(?:\D+(\d{1,2}):(\d{2}))?")
SLASH_YMD = re.compile(r"^\s*(\d{4})/(\d{1,2})/(\d{1,2})")
_MONTH_NAMES = [
    # English, German, French, Spanish, Italian, Portuguese; Dutch, Polish and Russian genitives,
    # Scandinavian, Czech genitives, Romanian, Turkish, Hungarian; Ukrainian, Greek, Finnish, Slovak,
    # Slovene, Croatian and Serbian, Bulgarian, Lithuanian, Estonian, Catalan, Indonesian, Hindi and
    # Arabic (Egyptian and Levantine names); Hebrew, Bengali, Urdu, Swahili, Tagalog, Malay, Albanian,
    # Icelandic and Azerbaijani; Persian's spellings, Iran's (after French: ژانویه, مه, اوت) and
    # Afghanistan's (after English: فبروری, سپتمبر); then the short forms newsrooms print that are not a
    # name's first three letters ("févr.", "avr.", "juil.", "dic.", "Şub", "Haz", "июн"): each month is one string.
    "jan january januar janvier enero gennaio janeiro jän jänner januari stycznia января ledna ianuarie"
    " ocak január січня ιανουαρίου ιανουάριος tammikuuta januára januarja siječnja януари јануар"
    " январь sausio jaanuar gener जनवरी يناير"
    " ינואר জানুয়ারি জানুয়ারী جنوری janar yanvar ژانویه"
    " ene gen ian oca янв",
    "feb february februar février febrero febbraio fevereiro februari lutego февраля února februarie"
    " şubat subat február лютого φεβρουαρίου φεβρουάριος helmikuuta februára februarja veljače"
    " февруари фебруар февраль vasario veebruar febrer फ़रवरी फरवरी فبراير شباط"
    " פברואר ফেব্রুয়ারি ফেব্রুয়ারী فروری pebrero shkurt fevral فوریه فبروری"
    " fev sub фев",
    "mar march märz maerz mars marzo março maart marca марта března martie mart március березня"
    " μαρτίου μάρτιος maaliskuuta marec ožujka март marts kovo märts març maret मार्च مارس آذار"
    " מרץ মার্চ مارچ machi marso mac"
    " mrt",
    "apr april avril abril aprile kwietnia апреля dubna aprilie nisan április квітня απριλίου απρίλιος"
    " huhtikuuta apríla aprila travnja април апрель balandžio aprill अप्रैल أبريل إبريل نيسان"
    " אפריל এপ্রিল اپریল aprili prill aprel آوریل"
    " avr abr nis",
    "may mai mayo maggio maio mei maja мая maj května mayıs mayis május травня μαΐου μάιος toukokuuta"
    " mája svibnja май мај gegužės maig मई مايو أيار"
    " מאי মে مئی مه می",
    "jun june juni juin junio giugno junho czerwca июня června iunie haziran június червня ιουνίου"
    " ιούνιος kesäkuuta júna junij junija lipnja юни јун июнь birželio juuni juny जून يونيو يونيه حزيران"
    " יוני জুন جون hunyo qershor iyun ژوئن"
    " giu iun haz июн",
    "jul july juli juillet julio luglio julho lipca июля července iulie temmuz július липня ιουλίου"
    " ιούλιος heinäkuuta júla julij julija srpnja юли јул июль liepos juuli juliol जुलाई يوليو يوليه تموز"
    " יולי জুলাই جولائی julai hulyo korrik iyul ژوئیه ژوییه جولای"
    " juil lug iul tem июл",
    "aug august août aout agosto augustus sierpnia августа augusti srpna ağustos agustos augusztus"
    " серпня αυγούστου αύγουστος elokuuta augusta avgust avgusta kolovoza август rugpjūčio agost agustus"
    " अगस्त أغسطس"
    " אוגוסט আগস্ট اگست agosti ogos gusht ágúst avqust اوت آگوست آب"
    " ago agu авг",
    "sep sept september septembre septiembre settembre setembro września сентября září septembrie eylül"
    " eylul szeptember вересня σεπτεμβρίου σεπτέμβριος syyskuuta septembra septembar rujna септември"
    " септембар сентябрь rugsėjo setembre सितंबर सितम्बर سبتمبر أيلول"
    " ספטמבר সেপ্টেম্বর ستمبر septemba setyembre shtator sentyabr سپتامبر سپتمبر"
    " set eyl сен",
    "oct october oktober octobre octubre ottobre outubro okt października октября října octombrie ekim"
    " október жовтня οκτωβρίου οκτώβριος lokakuuta októbra oktobra oktobar октомври октобар октябрь"
    " spalio oktoober अक्टूबर أكتوبر"
    " אוקטובר অক্টোবর اکتوبر oktoba oktubre tetor oktyabr اکتبر"
    " ott out eki окт",
    "nov november novembre noviembre novembro listopada ноября listopadu noiembrie kasım kasim листопада"
    " νοεμβρίου νοέμβριος marraskuuta novembra novembar studenoga studenog ноември новембар ноябрь"
    " lapkričio नवंबर नवम्बर نوفمبر"
    " נובמבר নভেম্বর نومبر novemba nobyembre nëntor noyabr نوامبر"
    " kas ноя",
    "dec december dezember décembre decembre diciembre dicembre dezembro dez grudnia декабря prosince"
    " decembrie aralık aralik грудня δεκεμβρίου δεκέμβριος joulukuuta decembra decembar prosinca"
    " декември децембар декабрь gruodžio detsember desembre desember दिसंबर दिसम्बर ديسمبر"
    " דצמבר ডিসেম্বর دسمبر desemba disyembre disember dhjetor dekabr دسامبر"
    " dic ara дек",
]


# Marathi, Gujarati, Punjabi (Gurmukhi), Tamil, Telugu, Kannada, Malayalam, Georgian (and its "on the 7th"
# form, დეკემბერს) and Armenian (the genitive dates are written in).
_MONTH_NAMES_MORE = [
    "जानेवारी જાન્યુઆરી ਜਨਵਰੀ ஜனவரி జనవరి ಜನವರಿ ജനുവരി იანვარი იანვარს հունվարի",
    "फेब्रुवारी ફેબ્રુઆરી ਫ਼ਰਵਰੀ ਫਰਵਰੀ பிப்ரவரி ఫిబ్రవరి ಫೆಬ್ರವರಿ ഫെബ്രുവരി თებერვალი თებერვალს փետրվարի",
    "માર્ચ ਮਾਰਚ மார்ச் మార్చి ಮಾರ್ಚ್ മാർച്ച് მარტი მარტს մարտի",
    "एप्रिल એપ્રિલ ਅਪ੍ਰੈਲ ஏப்ரல் ఏప్రిల్ ಏಪ್ರಿಲ್ ഏപ്രിൽ აპრილი აპრილს ապրիլի",
    "મે ਮਈ மே మే ಮೇ മേയ് მაისი მაისს մայիսի",
    "જૂન ਜੂਨ ஜூன் జూన్ ಜೂನ್ ജൂൺ ივნისი ივნისს հունիսի",
    "जुलै જુલાઈ ਜੁਲਾਈ ஜூலை జూలై ಜುಲೈ ജൂലൈ ივლისი ივლისს հուլիսի",
    "ऑगस्ट ઓગસ્ટ ਅਗਸਤ ஆகஸ்ட் ఆగస్టు ಆಗಸ್ಟ್ ഓഗസ്റ്റ് აგვისტო აგვისტოს օգոստոսի",
    "सप्टेंबर સપ્ટેમ્બર ਸਤੰਬਰ செப்டம்பர் సెప్టెంబర్ ಸೆಪ್ಟೆಂಬರ್ സെപ്റ്റംബർ სექტემბერი სექტემბერს սեպտեմբերի",
    "ऑक्टोबर ઓક્ટોબર ਅਕਤੂਬਰ அக்டோபர் అక్టోబర్ ಅಕ್ಟೋಬರ್ ഒക്ടോബർ ოქტომბერი ოქტომბერს հոկտեմբերի",
    "नोव्हेंबर નવેમ્બર ਨਵੰਬਰ நவம்பர் నవంబర్ ನವೆಂಬರ್ നവംബർ ნოემბერი ნოემბერს նոյեմբերի",
    "डिसेंबर ડિસેમ્બર ਦਸੰਬਰ டிசம்பர் డిసెంబర్ ಡಿಸೆಂಬರ್ ഡിസംബർ დეკემბერი დეკემბერს դեկտեմբերի",
]

# Persian pages write ی and ک; some write them as Arabic's ي and ك.
_ARABIC_LETTERS = str.maketrans("يك", "یک")


def month_key(name: str) -> str:
    """A month name as looked up: lower case, accents off ("Μαΐου", "MÄRZ", "fevrier" all match).

    Arabic's ي and ك are Persian's ی and ک, which Persian pages write either way ("ژانويه", "ژانویه").
    """
    name = name.lower().translate(_ARABIC_LETTERS)
    return "".join(c for c in unicodedata.normalize("NFD", name) if not unicodedata.combining(c))


MONTHS = {
    month_key(name): number
    for month_names in (_MONTH_NAMES, _MONTH_NAMES_MORE)
    for number, names in enumerate(month_names, start=1)
    for name in names.split()
}
# Short forms that are a month only as the whole word ("Des", "Des."): Indonesian and Norwegian "des", Indonesian
# "agt", Malay "dis", Polish, Ukrainian and Greek; Russian, Bulgarian and Serbian (Cyrillic) as Unicode CLDR shortens
# them ("мар.", "апр.", "яну", "сеп", "ное", "дец"). As the first letters of a longer word they are another word's
# ("designs", "lists", "sieges", "маршрут"), so they are not looked up by a word's start as the names above are.
_WHOLE_WORD_MONTHS = [
    "sty січ ιαν яну јан",
    "lut лют φεβ феб",
    "бер μαρ мар",
    "kwi квіт απρ апр",
    "трав μαι",
    "cze черв ιουν",
    "lip лип ιουλ",
    "agt sie серп αυγ",
    "wrz вер σεπ сеп",
    "paź жовт οκτ",
    "lis лист νοε ное нов",
    "des dis gru груд δεκ дец",
]
WHOLE_WORD_MONTHS = {
    month_key(name): number for number, names in enumerate(_WHOLE_WORD_MONTHS, start=1) for name in names.split()
}


# The Levantine names of two words (Syrian, Lebanese, Jordanian and Iraqi pages), read only whole.
TWO_WORD_MONTHS = {
    month_key(name): number
    for name, number in (("كانون الثاني", 1), ("تشرين الأول", 10), ("تشرين الثاني", 11), ("كانون الأول", 12))
}


def month_number(name: str) -> int | None:
    """The month a written name means, whole ("maaliskuuta") or by its first letters ("Sept", "juil").

    Hebrew writes "in May" as one word ("במאי"): the name after the prefix counts. Arabic pages name a
    month twice ("ديسمبر/كانون الأول"): the first name counts, and a name of two words only whole.
    """
    key = " ".join(month_key(name).split("/", 1)[0].split())
    if " " in key:
        return TWO_WORD_MONTHS.get(key)
    month = MONTHS.get(key) or WHOLE_WORD_MONTHS.get(key) or MONTHS.get(key[:3]) or MONTHS.get(key[:4])
    if month is None and key.startswith("ב") and len(key) > 3:
        month = MONTHS.get(key[1:])
    return month


# Digits of other scripts (Arabic-Indic, Persian, Devanagari, Bengali, Thai, full-width, ...) read as
# ASCII ones, one character for one so that positions in the text stay the same.
_DIGITS = {
    base + i: str(i)
    for base in (0x660, 0x6F0, 0x7C0, 0x966, 0x9E6, 0xA66, 0xAE6, 0xB66, 0xBE6, 0xC66, 0xCE6, 0xD66, 0xE50, 0xFF10)
    for i in range(10)
}


def ascii_digits(text: str) -> str:
    return text.translate(_DIGITS)


# Thai dates ("14 มีนาคม 2565", "3 พ.ค. 65" is not read: two-digit years) count years in the Buddhist
# era, 543 ahead; the names hold vowel signs, which are not letters to `\w`, so they are listed whole.
THAI_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("มกราคม", "ม.ค."),
            ("กุมภาพันธ์", "ก.พ."),
            ("มีนาคม", "มี.ค."),
            ("เมษายน", "เม.ย."),
            ("พฤษภาคม", "พ.ค."),
            ("มิถุนายน", "มิ.ย."),
            ("กรกฎาคม", "ก.ค."),
            ("สิงหาคม", "ส.ค."),
            ("กันยายน", "ก.ย."),
            ("ตุลาคม", "ต.ค."),
            ("พฤศจิกายน", "พ.ย."),
            ("ธันวาคม", "ธ.ค."),
        ],
        start=1,
    )
    for name in names
}
BUDDHIST_ERA = 543
# Years counted from an era's start (its first year is 1, written 元 in Japanese): Japan's Reiwa and Heisei,
# the Republic of China's Minguo (民國, Taiwan's official calendar).
ERAS = {"令和": 2018, "平成": 1988, "民國": 1911, "民国": 1911}

# The calendar a page's numbers are counted in, when its language says (`page_calendar`): GREGORIAN for a page
# in any other named language, None when the page names none (then only a date's own script or month names
# tell, never a guess from its year alone).
GREGORIAN = "gregorian"
PERSIAN = "persian"  # Solar Hijri, Iran's and Afghanistan's: 1401/02/13 is 3 May 2022
THAI = "thai"  # years of the Buddhist era: 2565 is 2022
# Years read in a calendar only inside these bounds: a Gregorian year on the same page (2022) is left as it is.
SOLAR_HIJRI_YEARS = range(1300, 1500)
BUDDHIST_YEARS = range(2400, 2700)
PERSIAN_DIGIT = re.compile("[\u06f0-\u06f9]")  # ۰-۹; Arabic's own (٠-٩) are U+0660-0669
# Iran's names, then Afghanistan's: Dari pages name the same months after the zodiac.
_PERSIAN_MONTH_NAMES = [
    ("فروردین", "حمل"),
    ("اردیبهشت", "ثور"),
    ("خرداد", "جوزا", "جوزای"),
    ("تیر", "سرطان"),
    ("مرداد", "امرداد", "اسد"),
    ("شهریور", "سنبله"),
    ("مهر", "میزان"),
    ("آبان", "عقرب"),
    ("آذر", "قوس"),
    ("دی", "جدی"),
    ("بهمن", "دلو"),
    ("اسفند", "حوت"),
]
PERSIAN_MONTHS = {
    spelling: number
    for number, names in enumerate(_PERSIAN_MONTH_NAMES, start=1)
    for name in names
    for spelling in (name, name.replace("ی", "ي").replace("ک", "ك"))
}
_PERSIAN_MONTH = "|".join(sorted(PERSIAN_MONTHS, key=len, reverse=True))
# The years (counted in the Solar Hijri era) at which the 33-year cycles of leap years break, as the
# Iranian calendar's astronomical rule falls out (Borkowski's arithmetic, as `jalaali` uses it).
_SOLAR_HIJRI_BREAKS = (-61, 9, 38, 199, 426, 686, 756, 818, 1111, 1181, 1210, 1635, 2060, 2097, 2192, 2262, 2324,
                       2394, 2456, 3178)  # fmt: skip


def page_calendar(language: str | None, locale: str | None = None) -> str | None:
    """The calendar a page's dates are counted in, by its language tag or, failing one, its og:locale."""
    tag = (language or locale or "").strip().lower().replace("_", "-")
    if not tag:
        return None
    primary = tag.split("-", 1)[0]
    return PERSIAN if primary in ("fa", "prs") else THAI if primary == "th" else GREGORIAN


def solar_hijri_to_gregorian(year: int, month: int, day: int) -> date | None:
    """The Gregorian day of a Solar Hijri date (1 Farvardin 1401 is 21 March 2022); None for no such day.

    Months 1-6 have 31 days, 7-11 have 30, Esfand 29, or 30 in a leap year.
    """
    if not (_SOLAR_HIJRI_BREAKS[0] <= year < _SOLAR_HIJRI_BREAKS[-1] and 1 <= month <= 12 and day >= 1):
        return None
    leap, nowruz = _solar_hijri_year(year)
    length = 31 if month <= 6 else 30 if month <= 11 else 30 if leap else 29
    if day > length:
        return None
    offset = (month - 1) * 31 if month <= 6 else 186 + (month - 7) * 30
    return nowruz + timedelta(days=offset + day - 1)


def _solar_hijri_year(year: int) -> tuple[bool, date]:
    """Whether a Solar Hijri year is a leap year, and the Gregorian day of its first day (Nowruz)."""
    gregorian = year + 621
    leaps = -14
    previous = _SOLAR_HIJRI_BREAKS[0]
    jump = 0
    for current in _SOLAR_HIJRI_BREAKS[1:]:
        jump = current - previous
        if year < current:
            break
        leaps += jump // 33 * 8 + jump % 33 // 4
        previous = current
    n = year - previous
    leaps += n // 33 * 8 + (n % 33 + 3) // 4
    if jump % 33 == 4 and jump - n == 4:
        leaps += 1
    gregorian_leaps = gregorian // 4 - (gregorian // 100 + 1) * 3 // 4 - 150
    march = 20 + leaps - gregorian_leaps
    if jump - n < 6:
        n = n - jump + (jump + 4) // 33 * 33
    cycle = (n + 1) % 33 - 1
    leap = cycle >= 0 and cycle % 4 == 0
    return leap, date(gregorian, 3, 1) + timedelta(days=march - 1)


def _in_calendar(year: int, month: int, day: int, calendar: str | None) -> tuple[int, int, int] | None:
    """A date counted in a page's calendar as Gregorian year, month and day (a Gregorian year passes as it is)."""
    if calendar == PERSIAN and year in SOLAR_HIJRI_YEARS:
        found = solar_hijri_to_gregorian(year, month, day)
        return (found.year, found.month, found.day) if found else None
    if calendar == THAI and year in BUDDHIST_YEARS:
        return year - BUDDHIST_ERA, month, day
    return year, month, day


# An Arabic month of two words ("كانون الأول") or named twice ("ديسمبر/كانون الأول"): `month_number` reads the first.
_ARABIC_WORD = r"[\u0621-\u064A\u064B-\u065F\u0670-\u06D3]{2,12}"
_ARABIC_MONTH = rf"{_ARABIC_WORD}(?:\s+ال{_ARABIC_WORD})?(?:\s*/\s*{_ARABIC_WORD}(?:\s+ال{_ARABIC_WORD})?)?"
_THAI_MONTH = "|".join(re.escape(name) for name in sorted(THAI_MONTHS, key=len, reverse=True))
# A month's name: letters, and the vowel signs of Devanagari, Bengali, Gurmukhi, Gujarati, Tamil, Telugu, Kannada
# and Malayalam and Arabic's marks (harakat, the hamza of Persian's ezafe: "ژانویهٔ"), which are not letters to
# `\w` (those scripts' digits are ASCII ones by then).
_NAME = r"(?:[^\W\d_]|[\u0900-\u0963\u0971-\u097F\u0980-\u09E3\u09F0-\u0D7F\u064B-\u065F\u0670])"
# Written dates: 14.3.2026; 2026-03-14, 2026.03.14, 2026/03/14 and 2026年3月14日; 14 March 2026, "3rd of May
# 2026", "1er mai 2026", "14 de marzo de 2026", "14 d'abril de 2026", "14 كانون الأول 2026", 14-Mar-2026, 14.mar.2026;
# March 14, 2026; "2026. március 14.", "2026 m. kovo 14 d." and "2026. gada 14. marts"; "14 tháng 3 năm
# 2026"; "14 มีนาคม 2569"; 14/03/2026 and 14-03-2026 (or 03/14/2026 on American pages); 令和8年3月14日 and
# 民國115年3月14日 in their eras.
# A year of two digits ("07.12.26", "7/12/26", "14 Gennaio 26") is read only where the date ends its label: at
# the end of the text, before a closing bracket, a separator or the clock. Followed by words, the two digits
# are a count ("7 December 20 people"), a ratio ("the 7/12/26 split") or a version ("1.12.20 fixes"). After a
# month's name a comma goes on a sentence too ("14 January 20, ..."), so it does not end one there.
_SHORT_YEAR_ENDS = r"(?=\s*(?:$|[)\]|·•,;–—]|[-/]\s|\d{1,2}[:.h]\d{2}(?!\d)))"
_SHORT_YEAR_ENDS_NAMED = r"(?=\s*(?:$|[)\]|·•;–—]|[-/]\s|\d{1,2}[:.h]\d{2}(?!\d)))"
# After a Thai month's name ("7 ธ.ค. 67"), the clock, "เวลา" (at the time) or a bracket opening on the clock
# ends the date too; Thai writes no comma there.
_SHORT_YEAR_ENDS_THAI = r"(?=\s*(?:$|[()\]|·•,;–—-]|เวลา|\d{1,2}[:.]\d{2}(?!\d)))"
TEXT_DATE = re.compile(
    r"(?<!\d)(?P<d1>\d{1,2})\.\s?(?P<m1>\d{1,2})\.\s?(?P<y1>(?:19|20)\d{2})(?!\d)"
    r"|(?<!\d)(?P<y2>(?:19|20)\d{2})(?:-(?P<m2>\d{2})-(?P<d2>\d{2})|\.\s?(?P<m3>\d{1,2})\.\s?(?P<d3>\d{1,2})\.?"
    r"|/(?P<m11>\d{1,2})/(?P<d11>\d{1,2})"
    r"|\s*[年년]\s*(?P<m4>\d{1,2})\s*[月월]\s*(?P<d4>\d{1,2}))(?!\d)"
    r"|(?<!\d)(?P<d5>\d{1,2})(?:(?:\.|º|°|ª|st|nd|rd|th|er)?\s+(?:of\s+|de\s+|d['’]\s*)?|[-.](?=[^\W\d_]))"
    rf"(?P<n5>{_ARABIC_MONTH}|{_NAME}{{2,12}})(?:\.?[,،]?\s+(?:de\s+|del\s+)?|-|\.(?=\d))(?P<y5>(?:19|20)\d{{2}})(?!\d)"
    rf"|(?<!\w)(?P<n6>{_NAME}{{3,12}})(?:\.\s*|\s+)(?P<d6>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y6>(?:19|20)\d{{2}})(?!\d)"
    r"|(?<![\d/-])(?P<a7>\d{1,2})(?P<s7>[/-])(?P<b7>\d{1,2})(?P=s7)(?P<y7>(?:19|20|25)\d{2})(?![\d/-])"
    rf"|(?<!\d)(?P<y15>(?:19|20)\d{{2}})\.\s*gada\s+(?P<d15>\d{{1,2}})\.\s*(?P<n15>{_NAME}{{3,12}})"
    rf"|(?<!\d)(?P<y8>(?:19|20)\d{{2}})(?:\.|\s+m\.)\s*(?P<n8>{_NAME}{{3,12}})\.?\s+(?P<d8>\d{{1,2}})(?!\d)"
    r"|(?<!\d)(?P<d9>\d{1,2})\s+tháng\s+(?P<m9>\d{1,2})(?:\s+năm|,)\s+(?P<y9>(?:19|20)\d{2})(?!\d)"
    rf"|(?<!\d)(?P<d10>\d{{1,2}})\s*(?P<n10>{_THAI_MONTH})\s*(?:พ\.ศ\.\s*)?(?P<y10>25\d{{2}}|(?:19|20)\d{{2}})(?!\d)"
    r"|(?P<era>令和|平成|民國|民国)\s*(?P<y12>\d{1,3}|元)\s*年\s*(?P<m12>\d{1,2})\s*月\s*(?P<d12>\d{1,2})(?!\d)"
    rf"|(?<!\d)(?P<d13>\d{{1,2}})\s*(?P<n13>{_PERSIAN_MONTH})(?:\u200c?\s*ماه)?\s*(?P<y13>1[34]\d{{2}})(?!\d)"
    r"|(?<![\d/])(?P<y14>1[34]\d{2})/(?P<m14>\d{1,2})/(?P<d14>\d{1,2})(?![\d/])"
    rf"|(?<![\w.])(?P<d16>\d{{1,2}})\.(?P<m16>\d{{1,2}})\.(?P<y16>\d{{2}})(?![\d.]){_SHORT_YEAR_ENDS}"
    rf"|(?<![\w/-])(?P<a17>\d{{1,2}})/(?P<b17>\d{{1,2}})/(?P<y17>\d{{2}})(?![\d/-]){_SHORT_YEAR_ENDS}"
    rf"|(?<!\d)(?P<d18>\d{{1,2}})\.?\s+(?P<n18>{_NAME}{{3,12}})\.?\s+['’]?(?P<y18>\d{{2}})(?!\d){_SHORT_YEAR_ENDS_NAMED}"
    rf"|(?<!\d)(?P<d19>\d{{1,2}})\s*(?P<n19>{_THAI_MONTH})\s*(?P<y19>\d{{2}})(?!\d){_SHORT_YEAR_ENDS_THAI}"
)
# A month's name is tried from the first letter of a word only: tried from every letter, a long word
# was read to its end once per letter (a 200 KB word in a date field: minutes).
WORDY_DATE = re.compile(
    r"(\d{1,2})\.?\s+(?:de\s+)?([^\W\d_]+)\.?,?\s+(?:de\s+|del\s+)?(\d{4})"
    r"|(?<![^\W\d_])([^\W\d_]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})"
)
# "/2022/05/03/", "/2022-05-03-title", "/2022-05/03/". A day after a slash ends the path part: in
# "/2022/05/10-tips-for-spring/" (the year-and-month permalinks of many blogs) 10 is the title's, not a day.
URL_DATE = re.compile(
    r"/((?:19|20)\d{2})[/-](0?[1-9]|1[0-2])"
    r"(?:/(0?[1-9]|[12]\d|3[01])(?:/|_|\.html?|$)|-(0?[1-9]|[12]\d|3[01])(?:/|[-_]|\.html?|$))"
)
# "/20220503/", "_20220503.html": eight digits as a path part of their own or its start.
COMPACT_URL_DATE = re.compile(r"[/_-]((?:19|20)\d{2})(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])(?=[/_.-]|$)")
# "/2026/dec/07/" (the Guardian's), "/2026/1207/" (year, then month and day as one part: Chinese portals').
NAMED_URL_DATE = re.compile(r"/((?:19|20)\d{2})/([a-z]{3,9})/(0?[1-9]|[12]\d|3[01])(?:/|$)", re.I)
YEAR_MONTH_DAY_URL_DATE = re.compile(r"/((?:19|20)\d{2})/(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])/")


def normalise_date(value, month_first: bool = False, calendar: str | None = None) -> str | None:
    """Any date a page gives to ISO 8601: a datetime with its offset when the page has one, else a date.

    A slashed date ("03/04/2026") is read as the page's written dates are (`dates_in_text`); years are
    counted in the page's `calendar` (`page_calendar`), else in the one the date's own digits say.
    """
    if isinstance(value, list):
        value = next((v for v in value if isinstance(v, str) and v.strip()), None)
    if isinstance(value, dict):
        value = value.get("@value")
    if isinstance(value, int | float) and 10**12 < value < 10**14:
        value /= 1000  # milliseconds, as JavaScript's Date.getTime() writes them
    if isinstance(value, int | float) and 10**9 < value < 10**11:
        return datetime.fromtimestamp(value, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    if not isinstance(value, str):
        return None
    calendar = calendar or (PERSIAN if PERSIAN_DIGIT.search(value) else None)
    value = ascii_digits(" ".join(value.split()))
    if not value:
        return None
    value = NAMED_OFFSET.sub(_offset_after_name, BRACKETED_OFFSET.sub(_offset_in_brackets, value))
    basic = BASIC_ISO_DATE.match(value)
    if basic:
        year, month, day, hour, minute, second, zone = basic.groups()
        zone = zone if not zone or zone == "Z" or len(zone) > 3 else f"{zone}00"
        value = f"{year}-{month}-{day}T{hour}:{minute}:{second or '00'}{zone or ''}"
    match = ISO_DATE.match(value)
    if match:
        year, month, day, hour, minute, second, zone = match.groups()
        date = _valid(int(year), int(month), int(day), calendar=calendar)
        if not date:
            return None
        if hour is None:
            return date
        if not (0 <= int(hour) < 24 and 0 <= int(minute) < 60 and int(second or 0) < 60):
            return date
        stamp = f"{date}T{int(hour):02d}:{minute}:{second or '00'}"
        if zone in ("Z", "UTC", "GMT"):
            return stamp + "Z"
        if zone:
            zone = zone if ":" in zone else f"{zone[:3]}:{zone[3:]}"
            if not (int(zone[1:3]) < 24 and int(zone[4:]) < 60):
                return date  # "+24:00", "-05:99": no clock is there, and datetime refuses the stamp
            return stamp + ("Z" if zone in ("+00:00", "-00:00") else zone)
        return stamp
    match = COMPACT_DATE.match(value)
    if match:
        return _valid(int(match[1]), int(match[2]), int(match[3]))
    match = DMY_DATE.match(value)
    if match:
        return _valid(int(match[3]), int(match[2]), int(match[1]), calendar=calendar)
    match = SLASH_YMD.match(value)
    if match:
        return _valid(int(match[1]), int(match[2]), int(match[3]), calendar=calendar)
    if EPOCH_TEXT.match(value):
        return normalise_date(float(value))
    try:
        parsed = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):  # OverflowError: a year no datetime holds
        parsed = None
    if parsed is not None:
        if parsed.tzinfo is None:
            return parsed.strftime("%Y-%m-%dT%H:%M:%S")
        return parsed.isoformat().replace("+00:00", "Z")
    for match in WORDY_DATE.finditer(value.lower()):
        if match[1]:
            day, month_name, year = match[1], match[2], match[3]
        else:
            month_name, day, year = match[4], match[5], match[6]
        month = month_number(month_name)
        if month:
            return _valid(int(year), month, int(day))
    written = dates_in_text(value, month_first, calendar)  # 2026年3月14日, 2026.03.14, 03/04/2026 and the like
    return written[0][1] if written else None


# The furthest a clock is from UTC (UTC+14, Kiribati): an offset past it names no zone.
FURTHEST_OFFSET = timedelta(hours=14)


def utc_offset(sign: str, hours: int, minutes: int) -> timedelta | None:
    """An offset written after UTC or GMT ("+", 5, 30) as a signed timedelta; None for one no clock has ("+25",
    "+1:75"). The one rule the date reader (`normalise_date`) and the zone reader (`zones.zone_written`) read by."""
    shift = timedelta(hours=hours, minutes=minutes)
    if shift > FURTHEST_OFFSET or minutes >= 60:
        return None
    return -shift if sign in "-\u2212" else shift


def _offset_after_name(match: re.Match) -> str:
    """ "GMT+1" as "+0100"; an offset no clock has ("GMT+25") is left as written, and so not read as a zone."""
    sign, hours, minutes = match[1], int(match[2]), int(match[3] or 0)
    if utc_offset(sign, hours, minutes) is None:
        return match[0]
    return f" {sign}{hours:02d}{minutes:02d}"


def _offset_in_brackets(match: re.Match) -> str:
    """ "(UTC+1)" read as "UTC+1" is (`_offset_after_name`); "(GMT)" alone is UTC, "+0000"."""
    if match[1] is None:
        return " +0000"
    return _offset_after_name(match)


def _valid(year: int, month: int, day: int, *, plausible: bool = False, calendar: str | None = None) -> str | None:
    """The date as YYYY-MM-DD if it exists; `plausible` also keeps out years no web page was written in.

    A year of the page's `calendar` (1401 on a Persian page, 2565 on a Thai one) is read in it.

    A field that says it is a date is read whatever its year, so that a bogus
    one (1970-01-01, 2099-12-31) can be seen and doubted; a date merely
    written in a URL or text counts only in plausible years.
    """
    converted = _in_calendar(year, month, day, calendar)
    if converted is None:
        return None
    year, month, day = converted
    try:
        date = datetime(year, month, day)
    except ValueError:
        return None
    low, high = (1990, datetime.now(UTC).year + 1) if plausible else (1900, 2100)
    if not low <= year <= high:
        return None
    return date.strftime("%Y-%m-%d")


def date_in_url(url: str | None) -> str | None:
    """A date written in a URL's path in plausible years: "/2022/05/03/", "/2022-05-03-", "/20220503/", then
    "/2022/may/03/" and "/2022/0503/"."""
    try:
        path = urlsplit(url).path if url else ""
    except ValueError:  # "http://[broken": no path to read
        path = ""
    match = URL_DATE.search(url or "") or COMPACT_URL_DATE.search(path)
    if match:
        year, month, day = (int(g) for g in match.groups() if g)
        return _valid(year, month, day, plausible=True)
    named = NAMED_URL_DATE.search(path)
    if named:
        month = month_number(named[2])
        return _valid(int(named[1]), month, int(named[3]), plausible=True) if month else None
    match = YEAR_MONTH_DAY_URL_DATE.search(path)
    return _valid(int(match[1]), int(match[2]), int(match[3]), plausible=True) if match else None


def dates_in_text(text: str, month_first: bool = False, calendar: str | None = None) -> list[tuple[str, str]]:
    """Every full date written in a text, each with the words before it (which often say what the date is).

    A slashed or dashed date is day first ("17/02/2022") unless it cannot be, or the
    page is in American English (`month_first`) and it can be month first. A date named in a
    Persian month is Solar Hijri; its numbers alone are read so on a page in Persian (`calendar`),
    or, on a page naming no language, written in Persian digits.
    """
    return [(text[max(0, start - 60) : start], date) for start, date in dates_at(text, month_first, calendar)]


def dates_at(text: str, month_first: bool = False, calendar: str | None = None) -> list[tuple[int, str]]:
    """Every full date written in a text (as `dates_in_text` reads them), each with where it starts."""
    found: list[tuple[int, str]] = []
    written, text = text, ascii_digits(text)
    for m in TEXT_DATE.finditer(text):
        if text[m.start() - 1 : m.start()] == "/":
            continue  # part of an address written out ("example.org/2019/07/19/post"): another page's date
        if m["y7"]:
            before = text[max(0, m.start() - WEEKDAY_REACH) : m.start()]
            gregorian = int(m["y7"]) if _in_calendar(int(m["y7"]), 1, 1, calendar) == (int(m["y7"]), 1, 1) else None
            day, month = _day_and_month(int(m["a7"]), int(m["b7"]), month_first, gregorian, before)
            date = _valid(int(m["y7"]), month, day, plausible=True, calendar=calendar)
        elif m["y1"]:
            date = _valid(int(m["y1"]), int(m["m1"]), int(m["d1"]), plausible=True)
        elif m["y2"]:
            month, day = next((m[f"m{i}"], m[f"d{i}"]) for i in (2, 3, 4, 11) if m[f"m{i}"])
            date = _valid(int(m["y2"]), int(month), int(day), plausible=True)
        elif m["y9"]:
            date = _valid(int(m["y9"]), int(m["m9"]), int(m["d9"]), plausible=True)
        elif m["y12"]:
            year = ERAS[m["era"]] + (1 if m["y12"] == "元" else int(m["y12"]))
            date = _valid(year, int(m["m12"]), int(m["d12"]), plausible=True)
        elif m["y13"]:
            date = _valid(int(m["y13"]), PERSIAN_MONTHS[m["n13"]], int(m["d13"]), plausible=True, calendar=PERSIAN)
        elif m["y14"]:
            persian = calendar or (PERSIAN if PERSIAN_DIGIT.search(written[m.start() : m.end()]) else None)
            date = _valid(int(m["y14"]), int(m["m14"]), int(m["d14"]), plausible=True, calendar=persian)
            date = date if persian == PERSIAN else None
        elif m["y16"]:
            date = _valid(_full_year(m["y16"], calendar), int(m["m16"]), int(m["d16"]), plausible=True)
        elif m["y17"]:
            year = _full_year(m["y17"], calendar)
            before = text[max(0, m.start() - WEEKDAY_REACH) : m.start()]
            day, month = _day_and_month(int(m["a17"]), int(m["b17"]), month_first, year, before)
            date = _valid(year, month, day, plausible=True)
        elif m["y18"]:
            month = month_number(m["n18"])
            date = _valid(_full_year(m["y18"], calendar), month, int(m["d18"]), plausible=True) if month else None
        elif m["y19"]:
            date = _valid(_full_year(m["y19"], THAI), THAI_MONTHS[m["n19"]], int(m["d19"]), plausible=True)
        elif m["y10"]:
            year = int(m["y10"])
            year = year - BUDDHIST_ERA if year >= 2400 else year
            date = _valid(year, THAI_MONTHS[m["n10"]], int(m["d10"]), plausible=True)
        else:
            name, day, year = (
                (m["n5"], m["d5"], m["y5"])
                if m["y5"]
                else (m["n6"], m["d6"], m["y6"])
                if m["y6"]
                else (m["n15"], m["d15"], m["y15"])
                if m["y15"]
                else (m["n8"], m["d8"], m["y8"])
            )
            month = month_number(name)
            date = _valid(int(year), month, int(day), plausible=True) if month else None
        if date:
            found.append((m.start(), date))
    return found


def _day_and_month(
    first: int, second: int, month_first: bool, year: int | None = None, before: str = ""
) -> tuple[int, int]:
    """The day and month of a slashed date: as the weekday written `before` it says, when it is the weekday of one
    order only in the Gregorian `year`; else day first, unless it cannot be or the page writes the month first.

    Drupal's default format ("Tue, 03/05/2024 - 08:30") writes the month first on the pages of every country;
    its weekday tells 5 March (a Tuesday) from 3 May (a Friday).
    """
    weekday = _weekday_before(before)
    if weekday is not None and year is not None and first != second and first <= 12 and second <= 12:
        fits = [(d, m) for d, m in ((first, second), (second, first)) if _weekday(year, m, d) == weekday]
        if len(fits) == 1:
            return fits[0]
    if first <= 12 and (month_first or second > 12):
        return second, first
    return first, second


# Weekdays as pages write them before a date, Monday first: English, German, French, Spanish, Italian, Portuguese
# and Dutch, whole or shortened ("Tue", "Di.", "mar.", "ter"); no short form means two days in these languages.
_WEEKDAY_NAMES = [
    "monday mon montag mo lundi lun lunes lunedi segunda seg maandag ma",
    "tuesday tue tues dienstag di mardi mar martes martedi terca ter dinsdag",
    "wednesday wed mittwoch mi mercredi mer miercoles mie mercoledi quarta qua woensdag wo",
    "thursday thu thur thurs donnerstag do jeudi jeu jueves jue giovedi gio quinta qui donderdag",
    "friday fri freitag fr vendredi ven viernes vie venerdi sexta sex vrijdag vr",
    "saturday sat samstag sonnabend sa samedi sam sabado sab zaterdag za",
    "sunday sun sonntag so dimanche dim domingo dom domenica zondag zo",
]
WEEKDAY_NUMBERS = {name: number for number, names in enumerate(_WEEKDAY_NAMES) for name in names.split()}
WEEKDAY_REACH = 20  # characters before a date searched for its weekday
# The word just before the date, after at most a dot, a comma, "-feira" (Portuguese) and spaces.
WEEKDAY_BEFORE = re.compile(r"(?<![^\W\d_])([^\W\d_]{2,12})(?:-feira)?\.?,?\s*$")


def _weekday_before(before: str) -> int | None:
    """The weekday (Monday 0) written just before a date, if any."""
    match = WEEKDAY_BEFORE.search(before)
    return WEEKDAY_NUMBERS.get(month_key(match[1])) if match else None


def _weekday(year: int, month: int, day: int) -> int | None:
    try:
        return datetime(year, month, day).weekday()
    except ValueError:
        return None


# A month and day without a year, as Japanese, Chinese and Korean date lines write them ("12月7日 8時30分",
# "12月07日 08:30", "12월 7일"): no year before them (that is a full date, TEXT_DATE's), and no "before" or
# "until" after them ("3月3日前", "3月3日まで", "3월 3일 전": a deadline). Japanese portals also write the month and
# day slashed with the weekday in brackets ("12/1(火) 19:10", Yahoo! News Japan's date line): the weekday is what
# makes "12/1" a date and not a score or a fraction, so it is required.
YEARLESS_CJK_DATE = re.compile(
    r"(?<![\d年년])(?<![年년]\s)(?:(\d{1,2})\s*[月월]\s*(\d{1,2})\s*[日일](?!\s*(?:前|以前|まで|までに|전|까지))"
    r"|(?<![\d/])(\d{1,2})/(\d{1,2})\s*[(（][月火水木金土日][)）])"
)


def yearless_date(text: str) -> tuple[int, int, int] | None:
    """The month and day of a year-less CJK date in a text, and where it starts; None for none."""
    match = YEARLESS_CJK_DATE.search(ascii_digits(text))
    if match is None:
        return None
    month, day = (int(match[1]), int(match[2])) if match[1] else (int(match[3]), int(match[4]))
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    return month, day, match.start()


def year_of(month: int, day: int, near: list[date], fetched: date | None = None) -> str | None:
    """A year-less month and day as a full date: in the year that puts it nearest the page's other dates (`near`),
    or, with none, the last of its days not after the day the page was fetched; None when neither tells.

    A story of 30 December beside a correction of 2 January is of the year before it.
    """
    options: list[tuple[timedelta, str]] = []
    for other in near:
        for year in (other.year - 1, other.year, other.year + 1):
            found = _valid(year, month, day, plausible=True)
            if found:
                options.append((abs(date.fromisoformat(found) - other), found))
    if options:
        return min(options)[1]
    if fetched is None:
        return None
    for year in (fetched.year, fetched.year - 1):
        found = _valid(year, month, day, plausible=True)
        if found and date.fromisoformat(found) <= fetched + timedelta(days=1):
            return found
    return None


def _full_year(short: str, calendar: str | None = None) -> int:
    """A year written in two digits in full: this century's up to next year ("26" is 2026), else the last's.

    In Thai (`calendar`), the Buddhist era's first where that is a year of the web ("67" is 2567, 2024): its
    years of the web (2533 to 2570) and the Gregorian ones (1990 to 2027) end in different digits, so a year
    is never read in both.
    """
    buddhist = 2500 + int(short) - BUDDHIST_ERA
    if calendar == THAI and 1990 <= buddhist <= datetime.now(UTC).year + 1:
        return buddhist
    year = 2000 + int(short)
    return year if year <= datetime.now(UTC).year + 1 else year - 100


# How long ago a page says it was published ("vor 3 Stunden", "2 hours ago", "hace 2 días", "il y a 1 minute",
# "3 giorni fa", "há 2 horas", "2 uur geleden", "3 часа назад", "3 saat önce", "3 godziny temu", "3 timmar
# sedan", "3 jam yang lalu", "3 giờ trước", "منذ 3 ساعات", "před 3 hodinami", "acum 3 ore", "prije 3 sata",
# "преди 3 часа", "πριν από 3 ώρες", "לפני 3 שעות", "3 tuntia sitten", "3 órája", "۳ ساعت پیش", "3 घंटे
# पहले"); the short forms of feeds and social sites ("12h ago", "3d ago", "5m ago": m is minutes there, months
# are "mo"); Japanese, Chinese and Korean ("3時間前", "5分钟前", "3시간 전"), where a day before 前 that follows
# a month (3月3日前) is "before 3 March".
_AGO_COUNT = r"\d{1,3}|an?|one|ein(?:e[mr]?)?|una?|uma?|een"
_AGO_AFTER = r"ago|fa|geleden|önce|назад|тому|temu|sedan|siden|yang\s+lalu|lalu|trước|sitten|پیش|पहले"
# Czech and Slovak, Romanian, Croatian and Serbian, Bulgarian, Greek and Hebrew say "before 3 hours".
_AGO_BEFORE = r"vor|hace|il\s+y\s+a|há|منذ|před|pred|acum|prije|pre|преди|пре|πριν(?:\s+από)?|לפני"
_CJK_UNITS = "秒|分钟|分鐘|分|小时|小時|時間|天|日|週間|周|週|초|분|시간|일|주"
# Hungarian says "its 3 hours" ("3 órája", "5 perce", "2 napja"), with no word for "ago" ("3 hete", its weeks,
# is also Dutch's "3 hot ...": left out).
_HUNGARIAN_AGO = r"másodperce|perce|órája|napja"
# Thai writes the unit and "ago" (ที่แล้ว, ที่ผ่านมา: "that has passed") as one word: "3 ชั่วโมงที่แล้ว", "3 ชม.ที่แล้ว".
_THAI_UNITS = "วินาที|นาที|ชั่วโมง|ชม|วัน|สัปดาห์"
RELATIVE_DATE = re.compile(
    rf"(?<!\w)(?:(?P<n1>{_AGO_COUNT})\s+(?P<u1>{_NAME}+)\.?\s+(?:{_AGO_AFTER})"
    r"|(?P<n3>\d{1,3})(?P<u3>s|m|h|d|w|min|mins|hr|hrs)\.?\s+ago"
    rf"|(?P<n5>\d{{1,3}})\s+(?P<u5>{_HUNGARIAN_AGO})"
    rf"|(?:{_AGO_BEFORE})\s+(?P<n2>{_AGO_COUNT})\s+(?P<u2>{_NAME}+))(?!\w)"
    rf"|(?<![\d月월])(?P<n4>\d{{1,3}})\s*(?P<u4>{_CJK_UNITS})\s*(?:前|전)"
    rf"|(?<!\d)(?P<n6>\d{{1,3}})\s*(?P<u6>{_THAI_UNITS})\.?\s*(?:ที่แล้ว|ที่ผ่านมา)",
    re.I,
)
# A unit by its first letters in those languages (seconds, minutes, hours, days, weeks), as `month_key` reads
# them; a stem shorter than three letters only as the whole word ("h", "hr", "Std.", 分, 주), and so is
# Vietnamese "giờ", which would otherwise take Italian's "giorni" for hours, and Thai's units, whose vowel signs
# `month_key` sets aside (วินาที, seconds, would begin as วัน, days, does).
_AGO_UNITS = tuple(
    (tuple(month_key(stem) for stem in stems.split()), step)
    for stems, step in (
        ("sec s sek seg 秒 초 másodperc วินาที", timedelta(seconds=1)),
        (
            "min m мин хвил dak menit phút دقيقة دقائق 分钟 分鐘 分 분 perc λεπτ דקות דקה دقیقه मिनट นาที",
            timedelta(minutes=1),
        ),
        (
            "hour h hr hrs std stunde hora heure ora ore uur час годин saat godz timm time timer jam giờ ساعة ساعات"
            " 小时 小時 時間 시간 hod sat сат ώρα ώρες שעות שעה tunt ساعت घंटे घंटा ชั่วโมง ชม",
            timedelta(hours=1),
        ),
        (
            "day d tag dia jour giorn dag день дня дней дні днів gün dni dzień hari ngày يوم أيام 天 日 일"
            " dny dnem zile dan дни μέρ ημέρ ימים יום päiv nap روز दिन วัน",
            timedelta(days=1),
        ),
        (
            "week w woche semana semaine settiman weken недел тиж hafta tydz tygod veck uge uke minggu tuần أسبوع"
            " أسابيع 周 週 週間 주 týdn sapt tjed nedelj седмиц εβδομ שבוע viik هفته सप्ताह สัปดาห์",
            timedelta(weeks=1),
        ),
    )
)
_WHOLE_WORD_UNITS = {month_key(unit) for unit in ("giờ", *_THAI_UNITS.split("|"))}
# A label saying the page is new this minute ("just now", "gerade eben", "à l'instant"), as the whole label or
# before a separator ("just now · 3 min read"): in a sentence ("has just now agreed") it dates nothing.
JUST_NOW = re.compile(
    r"(?<!\w)(?:just\s+now|(?:a\s+)?moments?\s+ago|(?:a\s+few\s+)?seconds\s+ago|gerade\s+eben|soeben|"
    r"vor\s+wenigen\s+sekunden|à\s+l['’]instant|il\s+y\s+a\s+quelques\s+secondes|hace\s+(?:un\s+)?momento|"
    r"hace\s+instantes|justo\s+ahora|agora\s+mesmo|há\s+instantes|poco\s+fa|proprio\s+ora|zojuist|net\s+nu)"
    r"(?=\s*(?:$|[·•|,/–—-]))",
    re.I,
)
# Yesterday's and today's words in the languages whose "how long ago" is read.
_YESTERDAY = (
    "yesterday", "gestern", "ayer", "hier", "ieri", "ontem", "gisteren", "вчера", "вчора", "wczoraj", "včera", "dün",
    "igår", "i går", "eilen", "tegnap", "χθες", "kemarin", "hôm qua", "昨日", "昨天", "어제", "أمس", "אתמול",
    "เมื่อวาน", "เมื่อวานนี้",
)  # fmt: skip
_TODAY = (
    "today", "heute", "hoy", "aujourd'hui", "aujourd’hui", "oggi", "hoje", "vandaag", "сегодня", "сьогодні",
    "dzisiaj", "dziś", "dnes", "bugün", "idag", "i dag", "tänään", "σήμερα", "hari ini", "hôm nay", "今日",
    "今天", "오늘", "اليوم", "היום", "วันนี้",
)  # fmt: skip
# A day named relative to today, alone or with its clock ("Gestern, 14:30 Uhr", "hier à 9h15", "Вчера в 14:30",
# "i går kl. 14.30"): as a word in a sentence it is no date ("hier" is also German for "here").
_DAY_WORDS = "|".join(word.replace(" ", r"\s+") for word in _YESTERDAY + _TODAY)
RELATIVE_DAY = re.compile(
    rf"^\W*(?P<day>{_DAY_WORDS})"
    r"(?:\W*(?:um|at|à|a\s+las|alle|às|om|в|o|kl\.?|klo|lúc|เวลา)?\s*\d{1,2}[:.h]\d{2}\s*(?:uhr|h|am|pm|น\.)?)?\W*$",
    re.I,
)


def relative_date(text: str, fetched_at: datetime) -> tuple[str, str, int] | None:
    """The date a "how long ago" text means, counted back from when the page was fetched; None for no such text.

    Returns the value (to the minute for seconds, minutes and hours, the day for days and weeks; "just
    now" is the minute it was fetched), the words as shown, and where they start in the text.
    """
    if fetched_at.tzinfo is None:
        fetched_at = fetched_at.replace(tzinfo=UTC)
    fetched_at = fetched_at.astimezone(UTC)
    day = RELATIVE_DAY.match(text)
    if day:
        back = 1 if " ".join(day["day"].lower().split()) in _YESTERDAY else 0
        return (fetched_at - timedelta(days=back)).date().isoformat(), day[0].strip(), day.start("day")
    written, text = text, ascii_digits(text)  # one character for one: "منذ ٣ ساعات" is shown as written
    for m in RELATIVE_DATE.finditer(text):
        count, unit = next((m[f"n{i}"], m[f"u{i}"]) for i in (1, 3, 5, 2, 4, 6) if m[f"n{i}"])
        unit = month_key(unit)
        step = next((step for stems, step in _AGO_UNITS if any(_unit_is(unit, stem) for stem in stems)), None)
        if step is None:
            continue
        then = fetched_at - (int(count) if count.isdigit() else 1) * step
        if step < timedelta(minutes=1):
            then = fetched_at  # seconds ago is the minute it was fetched: the value is kept to the minute
        shown = written[m.start() : m.end()]
        if step >= timedelta(days=1):
            return then.date().isoformat(), shown, m.start()
        return then.strftime("%Y-%m-%dT%H:%M:00Z"), shown, m.start()
    now = JUST_NOW.search(text)
    if now:
        return fetched_at.strftime("%Y-%m-%dT%H:%M:00Z"), now[0], now.start()
    return None


def _unit_is(word: str, stem: str) -> bool:
    return word == stem or (len(stem) >= 3 and stem not in _WHOLE_WORD_UNITS and word.startswith(stem))
