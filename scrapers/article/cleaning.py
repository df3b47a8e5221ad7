"""Text as pages give it to text fit to store or compare.

Shared by every metadata reader and the main-text extractor: `clean` for what
we keep, `fold` for comparing (case, dashes, quotes and Unicode forms ignored).
"""

from __future__ import annotations

import html as htmllib
import re
import unicodedata

# C0 and C1 control characters but tab, newline, form feed and carriage return. In a scraped title or
# text they are noise at best; printed to a terminal (watch's lines, `candidates`) an escape sequence
# can clear the screen or retitle the window. Lone surrogates too: JSON-LD may escape half an emoji
# ("\ud83d"), which Python reads but no UTF-8 text (and so no SQLite column) can hold.
CONTROLS = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


# Bidi embeddings, overrides and isolates (LRE, RLE, PDF, LRO, RLO; LRI, RLI, FSI, PDI) reorder everything after
# them until their end or the end of the paragraph: a title holding U+202E made "Acme \u202egnillacer ton" read
# "Acme not recalling" in a subject line, and a receiver's own text after it can be pulled in. Unicode's security
# guidance (UTS #39, TR #36) keeps them out of text shown as one line; they are dropped, as careful mail clients
# do. The marks (LRM, RLM, ALM) only place the characters beside them, and Arabic and Hebrew letters order
# themselves: both are kept, so right-to-left text still reads right.
BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")


# The zero-width non-joiner and joiner and the direction marks (LRM, RLM, ALM): invisible, and kept in the text (they
# are Persian's spelling, an emoji sequence's glue, a number's place in right-to-left text), but no part of the words
# a rule reads: "\u200fإعلان\u200f" is the line "إعلان".
KEPT_INVISIBLES = "\u200c\u200d\u200e\u200f\u061c"
_NO_INVISIBLES = str.maketrans("", "", KEPT_INVISIBLES)


def unmarked(text: str) -> str:
    """The text without KEPT_INVISIBLES, to be matched against a rule's words."""
    return text.translate(_NO_INVISIBLES)


def without_controls(text: str) -> str:
    """The text without control characters (CONTROLS)."""
    return CONTROLS.sub("", text) if CONTROLS.search(text) else text


def clean(value: str | None) -> str | None:
    """Unescape (publishers double-escape entities in meta tags); drop tags and control characters; collapse spaces."""
    if not value:
        return None
    if "&" in value:
        value = htmllib.unescape(htmllib.unescape(value))
    value = without_controls(value)
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
