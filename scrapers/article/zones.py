"""The outlet's clock: which time zone a page's readers read its dates in.

A page that stores "2022-11-06T23:00:00Z" was published on 7 November for a
reader in Berlin; the day its readers saw is the one that matters. The page's
own timestamps with an offset tell its zone best (one "+01:00" anywhere says
where the newsroom is); then one moment written twice, in UTC and as a local
time without a zone; otherwise the country of its domain or of its language
tag ("es-AR"), and for languages spoken in one time zone, the
language itself. A page we cannot place keeps UTC.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import datetime, timedelta, timezone, tzinfo
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from scrapers.article.dates import FURTHEST_OFFSET, utc_offset

# Country (ccTLD or language-tag region) to the zone most of its newsrooms are in.
COUNTRY_ZONES = {
    "de": "Europe/Berlin",
    "at": "Europe/Vienna",
    "ch": "Europe/Zurich",
    "li": "Europe/Vaduz",
    "fr": "Europe/Paris",
    "be": "Europe/Brussels",
    "lu": "Europe/Luxembourg",
    "nl": "Europe/Amsterdam",
    "it": "Europe/Rome",
    "es": "Europe/Madrid",
    "pt": "Europe/Lisbon",
    "uk": "Europe/London",
    "gb": "Europe/London",
    "ie": "Europe/Dublin",
    "dk": "Europe/Copenhagen",
    "se": "Europe/Stockholm",
    "no": "Europe/Oslo",
    "fi": "Europe/Helsinki",
    "pl": "Europe/Warsaw",
    "cz": "Europe/Prague",
    "sk": "Europe/Bratislava",
    "hu": "Europe/Budapest",
    "si": "Europe/Ljubljana",
    "hr": "Europe/Zagreb",
    "ro": "Europe/Bucharest",
    "bg": "Europe/Sofia",
    "gr": "Europe/Athens",
    "tr": "Europe/Istanbul",
    "ua": "Europe/Kyiv",
    "ru": "Europe/Moscow",
    "il": "Asia/Jerusalem",
    "in": "Asia/Kolkata",
    "cn": "Asia/Shanghai",
    "hk": "Asia/Hong_Kong",
    "tw": "Asia/Taipei",
    "jp": "Asia/Tokyo",
    "kr": "Asia/Seoul",
    "sg": "Asia/Singapore",
    "nz": "Pacific/Auckland",
    "za": "Africa/Johannesburg",
    "ar": "America/Argentina/Buenos_Aires",
    "uy": "America/Montevideo",
    "cl": "America/Santiago",
    "br": "America/Sao_Paulo",
    "pe": "America/Lima",
    "co": "America/Bogota",
    "ve": "America/Caracas",
    "ec": "America/Guayaquil",
    "mx": "America/Mexico_City",
    "pa": "America/Panama",
    "cr": "America/Costa_Rica",
    "gt": "America/Guatemala",
    "ni": "America/Managua",
    "cu": "America/Havana",
    "do": "America/Santo_Domingo",
    "pr": "America/Puerto_Rico",
    "bo": "America/La_Paz",
    "py": "America/Asuncion",
    "sv": "America/El_Salvador",
    "hn": "America/Tegucigalpa",
    "lt": "Europe/Vilnius",
    "lv": "Europe/Riga",
    "ee": "Europe/Tallinn",
    "rs": "Europe/Belgrade",
    "ba": "Europe/Sarajevo",
    "mk": "Europe/Skopje",
    "al": "Europe/Tirane",
    "by": "Europe/Minsk",
    "md": "Europe/Chisinau",
    "is": "Atlantic/Reykjavik",
    "cy": "Asia/Nicosia",
    "mt": "Europe/Malta",
    "ge": "Asia/Tbilisi",
    "az": "Asia/Baku",
    "ph": "Asia/Manila",
    "my": "Asia/Kuala_Lumpur",
    "th": "Asia/Bangkok",
    "vn": "Asia/Ho_Chi_Minh",
    "pk": "Asia/Karachi",
    "bd": "Asia/Dhaka",
    "lk": "Asia/Colombo",
    "np": "Asia/Kathmandu",
    "ir": "Asia/Tehran",
    "af": "Asia/Kabul",
    "iq": "Asia/Baghdad",
    "sa": "Asia/Riyadh",
    "ae": "Asia/Dubai",
    "qa": "Asia/Qatar",
    "kw": "Asia/Kuwait",
    "jo": "Asia/Amman",
    "lb": "Asia/Beirut",
    "eg": "Africa/Cairo",
    "ma": "Africa/Casablanca",
    "dz": "Africa/Algiers",
    "tn": "Africa/Tunis",
    "ng": "Africa/Lagos",
    "gh": "Africa/Accra",
    "ke": "Africa/Nairobi",
    # Countries of several zones, placed where most of their newsrooms are.
    "us": "America/New_York",
    "ca": "America/Toronto",
    "au": "Australia/Sydney",
    "id": "Asia/Jakarta",
}
# Languages read almost only in one time zone (so a ".com" page in them can still be placed).
LANGUAGE_ZONES = {
    "de": "Europe/Berlin",
    "nl": "Europe/Amsterdam",
    "it": "Europe/Rome",
    "pl": "Europe/Warsaw",
    "cs": "Europe/Prague",
    "da": "Europe/Copenhagen",
    "sv": "Europe/Stockholm",
    "nb": "Europe/Oslo",
    "fi": "Europe/Helsinki",
    "hu": "Europe/Budapest",
    "el": "Europe/Athens",
    "ja": "Asia/Tokyo",
    "ko": "Asia/Seoul",
    "tr": "Europe/Istanbul",
    "uk": "Europe/Kyiv",
    "he": "Asia/Jerusalem",
    "ro": "Europe/Bucharest",
    "bg": "Europe/Sofia",
    "hr": "Europe/Zagreb",
    "sl": "Europe/Ljubljana",
    "sk": "Europe/Bratislava",
    "lt": "Europe/Vilnius",
    "lv": "Europe/Riga",
    "et": "Europe/Tallinn",
    "is": "Atlantic/Reykjavik",
    "ka": "Asia/Tbilisi",
    "sr": "Europe/Belgrade",
    "mk": "Europe/Skopje",
    "sq": "Europe/Tirane",
    "ca": "Europe/Madrid",
    "eu": "Europe/Madrid",
    "gl": "Europe/Madrid",
    "hi": "Asia/Kolkata",
    "th": "Asia/Bangkok",
    "vi": "Asia/Ho_Chi_Minh",
    "id": "Asia/Jakarta",
    "ms": "Asia/Kuala_Lumpur",
    "zh": "Asia/Shanghai",  # China, Taiwan, Hong Kong, Singapore and Malaysia all keep UTC+8
    "fa": "Asia/Tehran",  # Persian as Iran writes it; Afghanistan's is tagged "fa-AF" or "prs" (Dari)
    "prs": "Asia/Kabul",
    # Read in several zones, written for most readers in one: Russian news in Moscow's, Bengali in Dhaka's
    # (Kolkata's is half an hour behind), Urdu in Pakistan's, Swahili in East Africa's single zone.
    "ru": "Europe/Moscow",
    "be": "Europe/Minsk",
    "no": "Europe/Oslo",
    "nn": "Europe/Oslo",
    "bs": "Europe/Sarajevo",
    "lb": "Europe/Luxembourg",
    "mt": "Europe/Malta",
    "hy": "Asia/Yerevan",
    "az": "Asia/Baku",
    "uz": "Asia/Tashkent",
    "mn": "Asia/Ulaanbaatar",
    "bn": "Asia/Dhaka",
    "ur": "Asia/Karachi",
    "ne": "Asia/Kathmandu",
    "si": "Asia/Colombo",
    "ta": "Asia/Kolkata",
    "te": "Asia/Kolkata",
    "ml": "Asia/Kolkata",
    "mr": "Asia/Kolkata",
    "gu": "Asia/Kolkata",
    "kn": "Asia/Kolkata",
    "pa": "Asia/Kolkata",
    "or": "Asia/Kolkata",
    "as": "Asia/Kolkata",
    "my": "Asia/Yangon",
    "km": "Asia/Phnom_Penh",
    "lo": "Asia/Vientiane",
    "tl": "Asia/Manila",
    "fil": "Asia/Manila",
    "sw": "Africa/Nairobi",
    "am": "Africa/Addis_Ababa",
}
OFFSET = re.compile(r"T\d\d:\d\d(?::\d\d)?([+-]\d\d:\d\d)$")


def outlet_zone(
    values: list[str], url: str | None, language: str | None, written: tzinfo | None = None
) -> tzinfo | None:
    """The zone the page's dates are read in; None when nothing places it.

    `written` is the zone the page names beside the clock of its date line (`zone_written`): after the
    page's own offsets, before a guess from its country or language.
    """
    offsets = Counter(m[1] for v in values if (m := OFFSET.search(v)) and m[1] not in ("+00:00", "-00:00"))
    if offsets:
        offset = offsets.most_common(1)[0][0]
        hours, minutes = offset[1:].split(":")
        delta = timedelta(hours=int(hours), minutes=int(minutes))
        return timezone(-delta if offset[0] == "-" else delta)
    shown = _offset_shown(values)
    if shown is not None:
        return shown
    if written is not None:
        return written
    region = None
    if language and "-" in language:
        region = language.split("-")[-1].lower()
    host = urlsplit(url).hostname if url else None
    tld = host.rsplit(".", 1)[-1].lower() if host and "." in host else None
    base = language.split("-")[0].lower() if language else None
    name = COUNTRY_ZONES.get(tld or "") or COUNTRY_ZONES.get(region or "") or LANGUAGE_ZONES.get(base or "")
    if not name:
        return None
    try:
        return ZoneInfo(name)
    except ZoneInfoNotFoundError:  # pragma: no cover - tzdata is installed (requirements.txt)
        return None


# Zones a page names beside its clock ("11:30 p.m. ET", "10.15 GMT", "00:30 Uhr MEZ"): a region's generic name
# (ET, PT) as its zone, whose clock changes in summer; a standard or summer time's name as its offset. Names of
# two places are not read: CST (Chicago, China), IST (India, Ireland, Israel), AST (Atlantic, Arabia).
REGION_NAMES = {
    "ET": "America/New_York",
    "CT": "America/Chicago",
    "MT": "America/Denver",
    "PT": "America/Los_Angeles",
    "AET": "Australia/Sydney",
}
FIXED_NAMES = {
    "UTC": 0, "GMT": 0, "WET": 0, "WEZ": 0, "BST": 60, "WEST": 60, "CET": 60, "MEZ": 60, "CEST": 120, "MESZ": 120,
    "EET": 120, "OEZ": 120, "EEST": 180, "OESZ": 180, "MSK": 180, "SGT": 480, "HKT": 480, "AWST": 480, "JST": 540,
    "KST": 540, "ACST": 570, "AEST": 600, "ACDT": 630, "AEDT": 660, "NZST": 720, "NZDT": 780, "HST": -600,
    "AKST": -540, "AKDT": -480, "PST": -480, "PDT": -420, "MST": -420, "MDT": -360, "CDT": -300, "EST": -300,
    "EDT": -240, "SAST": 120, "WIB": 420, "WITA": 480, "WIT": 540, "PHT": 480,
}  # fmt: skip
# A clock ("11:30", "10.15", "11 p.m.", "23:30 Uhr") and the zone's name right after it, in capitals, with the
# offset a page may write after UTC or GMT ("08:30 UTC+1", "(GMT-03:00)", "UTC+0545"; "\u2212" is a minus sign).
CLOCK_ZONE = re.compile(
    r"(?<![\d:.])\d{1,2}(?:[:.]\d\d(?::\d\d)?\s*(?:[aApP]\.?\s?[mM]\.?|Uhr|h)?|\s*[aApP]\.?\s?[mM]\.?)"
    r"\s*\(?(?P<name>[A-Z]{2,4})"
    r"(?P<offset>[+\-\u2212](?:[0-9]{1,2}(?::[0-9]{2})?|[0-9]{4})(?![0-9]))?(?![\w:]|[+\-\u2212][0-9])"
)
OFFSET_NAMES = {"UTC", "GMT"}  # the names a page writes an offset after


def zone_written(text: str) -> tzinfo | None:
    """The zone named beside a clock in a page's date line ("Dec. 7, 2026 11:30 p.m. ET"); None for none read."""
    for match in CLOCK_ZONE.finditer(text):
        name = match["name"]
        if name in REGION_NAMES:
            try:
                return ZoneInfo(REGION_NAMES[name])
            except ZoneInfoNotFoundError:  # pragma: no cover - tzdata is installed (requirements.txt)
                return None
        if name in OFFSET_NAMES and match["offset"]:
            return _offset_after_utc(match["offset"])
        if name in FIXED_NAMES:
            return timezone(timedelta(minutes=FIXED_NAMES[name]))
    return None


def _offset_after_utc(offset: str) -> tzinfo | None:
    """The zone "UTC+1" names: read as plain UTC, its page's day and hour were an hour off; None past any clock."""
    digits = offset[1:].replace(":", "")
    hours, minutes = (int(digits[:-2]), int(digits[-2:])) if len(digits) > 2 else (int(digits), 0)
    shift = utc_offset(offset[0], hours, minutes)
    return None if shift is None else timezone(shift)


# A time of day to the second written with no zone ("2023-11-08T23:30:59"), and one in UTC ("...Z").
CLOCK_STAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?$")
CLOCK_TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d(?::\d\d(?:\.\d+)?)?$")  # to the minute or second, no zone
UTC_STAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z$")
OFFSET_STEP = timedelta(minutes=15)


def _offset_shown(values: list[str]) -> tzinfo | None:
    """The page's clock when it writes one moment twice: in UTC, and as its readers' time without a zone.

    A field's "2023-11-09T05:30:59Z" beside a <time>'s "2023-11-08T23:30:59" is the same second six hours
    apart: the newsroom is at UTC-6 (Minnesota), where a guess from a .com domain said New York. A
    midnight without a zone is a date's default, not a clock, and says nothing.
    """
    utc = [datetime.fromisoformat(v[:-1]) for v in values if UTC_STAMP.match(v)]
    for value in values:
        if not CLOCK_STAMP.match(value) or value[11:19] == "00:00:00":
            continue
        local = datetime.fromisoformat(value)
        for moment in utc:
            delta = local - moment
            if delta and abs(delta) <= FURTHEST_OFFSET and delta % OFFSET_STEP == timedelta(0):
                return timezone(delta)
    return None


def to_local(value: str, zone: tzinfo | None) -> str:
    """A UTC timestamp as the outlet's readers' clock shows it, a time without a zone on that clock; else unchanged.

    A CMS writing its local time without a zone ("2026-03-07T08:00:00" on a Tokyo paper) means its readers'
    clock: read as UTC, it was stored nine hours late, "after it was first seen" when fetched that morning.
    """
    if zone is None or len(value) <= 10:
        return value
    try:
        if value.endswith("Z"):
            return datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone(zone).isoformat()
        if CLOCK_TIME.match(value):
            return datetime.fromisoformat(value).replace(tzinfo=zone).isoformat()
    except ValueError:
        return value
    return value
