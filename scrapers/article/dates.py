"""Date strings as pages write them (ISO, RFC 822, '14. März 2026', a URL path) to ISO 8601.

Pure string work, no page tree: the page-level search is `scrapers.article.pagedates`.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

ISO_DATE = re.compile(
    r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})(?:[T\s]+(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?\s*"
    r"(Z|[+-]\d{2}:?\d{2}|UTC|GMT)?)?"
)
COMPACT_DATE = re.compile(r"^\s*((?:19|20)\d{2})(\d{2})(\d{2})(?:T?(\d{2})(\d{2})(\d{2})?)?\s*$")
DMY_DATE = re.compile(r"^\s*(\d{1,2})\.\s?(\d{1,2})\.\s?(\d{4})(?:\D+(\d{1,2}):(\d{2}))?")
SLASH_YMD = re.compile(r"^\s*(\d{4})/(\d{1,2})/(\d{1,2})")
MONTHS = {
    m: i
    for i, names in enumerate(
        [
            "jan january januar janvier enero gennaio janeiro jän jänner",
            "feb february februar février fevrier febrero febbraio fevereiro",
            "mar march märz maerz mars marzo março",
            "apr april avril abril aprile",
            "may mai mayo maggio maio",
            "jun june juni juin junio giugno junho",
            "jul july juli juillet julio luglio julho",
            "aug august août aout agosto",
            "sep sept september septembre septiembre settembre setembro",
            "oct october oktober octobre octubre ottobre outubro okt",
            "nov november novembre noviembre novembro",
            "dec december dezember décembre decembre diciembre dicembre dezembro dez",
        ],
        start=1,
    )
    for m in names.split()
}
# Dutch, Polish and Russian genitives, Scandinavian, Czech genitives, Romanian, Turkish and Hungarian.
for _i, _names in enumerate(
    [
        "januari stycznia января ledna ianuarie ocak január",
        "februari lutego февраля února februarie şubat subat február",
        "maart marca марта března martie mart március",
        "kwietnia апреля dubna aprilie nisan április",
        "mei maja мая maj května mayıs mayis május",
        "czerwca июня června iunie haziran június",
        "lipca июля července iulie temmuz július",
        "augustus sierpnia августа augusti srpna ağustos agustos augusztus",
        "września сентября září septembrie eylül eylul szeptember",
        "października октября října octombrie ekim október",
        "listopada ноября listopadu noiembrie kasım kasim",
        "grudnia декабря prosince decembrie aralık aralik",
    ],
    start=1,
):
    MONTHS.update(dict.fromkeys(_names.split(), _i))
# Written dates: 14.3.2026; 2026-03-14, 2026.03.14 and 2026年3月14日; 14 March 2026 and "14 de marzo de 2026";
# March 14, 2026; 14/03/2026 (or 03/14/2026 on American pages).
TEXT_DATE = re.compile(
    r"(?<!\d)(?P<d1>\d{1,2})\.\s?(?P<m1>\d{1,2})\.\s?(?P<y1>(?:19|20)\d{2})(?!\d)"
    r"|(?<!\d)(?P<y2>(?:19|20)\d{2})(?:-(?P<m2>\d{2})-(?P<d2>\d{2})|\.\s?(?P<m3>\d{1,2})\.\s?(?P<d3>\d{1,2})\.?"
    r"|\s*[年년]\s*(?P<m4>\d{1,2})\s*[月월]\s*(?P<d4>\d{1,2}))(?!\d)"
    r"|(?<!\d)(?P<d5>\d{1,2})(?:\.|º|°)?\s+(?:de\s+)?(?P<n5>[^\W\d_]{3,12})\.?,?\s+(?:de\s+|del\s+)?(?P<y5>(?:19|20)\d{2})(?!\d)"
    r"|\b(?P<n6>[^\W\d_]{3,12})\.?\s+(?P<d6>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<y6>(?:19|20)\d{2})(?!\d)"
    r"|(?<![\d/])(?P<a7>\d{1,2})/(?P<b7>\d{1,2})/(?P<y7>(?:19|20)\d{2})(?![\d/])"
)
WORDY_DATE = re.compile(
    r"(\d{1,2})\.?\s+(?:de\s+)?([^\W\d_]+)\.?,?\s+(?:de\s+|del\s+)?(\d{4})|([^\W\d_]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})"
)
URL_DATE = re.compile(r"/((?:19|20)\d{2})[/-](0?[1-9]|1[0-2])[/-](0?[1-9]|[12]\d|3[01])(?:/|[-_]|\.html?|$)")


def normalise_date(value) -> str | None:
    """Any date a page gives to ISO 8601: a datetime with its offset when the page has one, else a date."""
    if isinstance(value, list):
        value = next((v for v in value if isinstance(v, str) and v.strip()), None)
    if isinstance(value, dict):
        value = value.get("@value")
    if isinstance(value, int | float) and 10**9 < value < 10**11:
        return datetime.fromtimestamp(value, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    if not isinstance(value, str):
        return None
    value = " ".join(value.split())
    if not value:
        return None
    match = ISO_DATE.match(value)
    if match:
        year, month, day, hour, minute, second, zone = match.groups()
        date = _valid(int(year), int(month), int(day))
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
        return _valid(int(match[3]), int(match[2]), int(match[1]))
    match = SLASH_YMD.match(value)
    if match:
        return _valid(int(match[1]), int(match[2]), int(match[3]))
    if re.match(r"^\s*\d{9,11}\s*$", value):
        return normalise_date(int(value))
    try:
        parsed = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
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
        month = MONTHS.get(month_name) or MONTHS.get(month_name[:3])
        if month:
            return _valid(int(year), month, int(day))
    written = dates_in_text(value)  # 2026年3月14日, 2026.03.14 and the like
    return written[0][1] if written else None


def _valid(year: int, month: int, day: int, *, plausible: bool = False) -> str | None:
    """The date as YYYY-MM-DD if it exists; `plausible` also keeps out years no web page was written in.

    A field that says it is a date is read whatever its year, so that a bogus
    one (1970-01-01, 2099-12-31) can be seen and doubted; a date merely
    written in a URL or text counts only in plausible years.
    """
    try:
        date = datetime(year, month, day)
    except ValueError:
        return None
    low, high = (1990, datetime.now(UTC).year + 1) if plausible else (1900, 2100)
    if not low <= year <= high:
        return None
    return date.strftime("%Y-%m-%d")


def date_in_url(url: str | None) -> str | None:
    match = URL_DATE.search(url or "")
    if not match:
        return None
    year, month, day = (int(g) for g in match.groups())
    return _valid(year, month, day, plausible=True)


def dates_in_text(text: str, month_first: bool = False) -> list[tuple[str, str]]:
    """Every full date written in a text, each with the words before it (which often say what the date is).

    A slashed date is day first ("17/02/2022") unless it cannot be, or the
    page is in American English (`month_first`) and it can be month first.
    """
    found: list[tuple[str, str]] = []
    for m in TEXT_DATE.finditer(text):
        if m["y7"]:
            first, second, year = int(m["a7"]), int(m["b7"]), int(m["y7"])
            month_first_possible = first <= 12 and (month_first or second > 12)
            day, month = (second, first) if month_first_possible else (first, second)
            date = _valid(year, month, day, plausible=True)
        elif m["y1"]:
            date = _valid(int(m["y1"]), int(m["m1"]), int(m["d1"]), plausible=True)
        elif m["y2"]:
            month, day = (m["m2"], m["d2"]) if m["m2"] else (m["m3"], m["d3"]) if m["m3"] else (m["m4"], m["d4"])
            date = _valid(int(m["y2"]), int(month), int(day), plausible=True)
        else:
            name, day, year = (m["n5"], m["d5"], m["y5"]) if m["y5"] else (m["n6"], m["d6"], m["y6"])
            month = MONTHS.get(name.lower()) or MONTHS.get(name.lower()[:3])
            date = _valid(int(year), month, int(day), plausible=True) if month else None
        if date:
            found.append((text[max(0, m.start() - 60) : m.start()], date))
    return found
