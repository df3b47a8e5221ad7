"""Text as pages give it to text fit to store or compare.

Shared by every metadata reader and the main-text extractor: `clean` for what
we keep, `fold` for comparing (case, dashes, quotes and Unicode forms ignored).
"""

from __future__ import annotations

import html as htmllib
import re
import unicodedata


def clean(value: str | None) -> str | None:
    """Unescape (publishers double-escape entities in meta tags), drop tags and collapse whitespace."""
    if not value:
        return None
    if "&" in value:
        value = htmllib.unescape(htmllib.unescape(value))
    if "<" in value:
        value = re.sub(r"<[^>]{1,200}>", " ", value)
    value = " ".join(value.replace("\u00ad", "").split())
    return value or None


def fold(value: str) -> str:
    value = unicodedata.normalize("NFKC", value).casefold()
    value = re.sub(r"[\u2010-\u2015\u2212]", "-", value)
    value = re.sub(r"[\u2018\u2019\u201a\u201b`´]", "'", value)
    value = re.sub(r"[\u201c\u201d\u201e\u201f«»]", '"', value)
    return " ".join(value.split())
