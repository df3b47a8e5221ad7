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
}
OFFSET = re.compile(r"T\d\d:\d\d(?::\d\d)?([+-]\d\d:\d\d)$")


def outlet_zone(values: list[str], url: str | None, language: str | None) -> tzinfo | None:
    """The zone the page's dates are read in; None when nothing places it."""
    offsets = Counter(m[1] for v in values if (m := OFFSET.search(v)) and m[1] not in ("+00:00", "-00:00"))
    if offsets:
        offset = offsets.most_common(1)[0][0]
        hours, minutes = offset[1:].split(":")
        delta = timedelta(hours=int(hours), minutes=int(minutes))
        return timezone(-delta if offset[0] == "-" else delta)
    shown = _offset_shown(values)
    if shown is not None:
        return shown
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


# A time of day to the second written with no zone ("2023-11-08T23:30:59"), and one in UTC ("...Z").
CLOCK_STAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?$")
UTC_STAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z$")
FURTHEST_OFFSET = timedelta(hours=14)
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
    """A UTC timestamp as the outlet's readers' clock shows it; anything else unchanged."""
    if zone is None or len(value) <= 10 or not value.endswith("Z"):
        return value
    try:
        when = datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone(zone)
    except ValueError:
        return value
    return when.isoformat()
