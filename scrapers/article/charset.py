"""Page bytes to text: the charset a page really uses, whatever it declares.

Apart from the article parser because statement listings and `tracker extract`
decode pages too, and because charset guessing (BOM, UTF-8 validity, the
declared label, <meta charset>, sniffing) is its own set of rules.
"""

from __future__ import annotations

import codecs
import re

from bs4.dammit import EncodingDetector

from scrapers.article.cleaning import without_controls
from scrapers.records import ParseError
from scrapers.sniff import binary_kind

# WHATWG: these labels mean windows-1252 in practice.
LATIN1_LABELS = {"iso-8859-1", "iso8859-1", "latin-1", "latin1", "l1", "ascii", "us-ascii", "cp819", "iso-ir-100"}
C1_CONTROLS = re.compile("[\x80-\x9f]")


def decode_html(data: bytes, declared: str | None = None) -> str:
    """Bytes to text (see _decode), without control characters: they reach titles, text and terminals."""
    return without_controls(_decode(data, declared))


def _decode(data: bytes, declared: str | None = None) -> str:
    """Bytes to text: a BOM, valid UTF-8, the declared charset, <meta charset>, then sniffing.

    Valid UTF-8 wins over a declaration because mislabelled pages are common
    and non-UTF-8 text with accented letters almost never validates as UTF-8;
    a declaration that decodes to C1 control characters is taken as the
    windows-1252 it almost certainly is.
    """
    if not isinstance(data, bytes | bytearray):
        raise ParseError("expected the page's bytes")
    data = bytes(data)
    kind = binary_kind(data, declared)
    if kind:
        raise ParseError(f"binary content ({kind}), not an HTML page")
    for bom, encoding in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            return data.decode(encoding, errors="replace")
    head = data[:4096]
    if b"\x00" in head:  # UTF-16 without a byte-order mark (binary_kind let it through as text)
        little_endian = head[1::2].count(0) > head[0::2].count(0)
        return data.decode("utf-16-le" if little_endian else "utf-16-be", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    mostly = _mostly_utf8(data)
    if mostly is not None:
        return mostly
    candidates = [declared, EncodingDetector.find_declared_encoding(data[:16384], is_html=True)]
    for label in candidates:
        text = _try_decode(data, label)
        if text is not None:
            return text
    sniffed = _sniff(data)
    text = _try_decode(data, sniffed) if sniffed else None
    return text if text is not None else data.decode("cp1252", errors="replace")


def _mostly_utf8(data: bytes) -> str | None:
    """A UTF-8 page with a few stray bytes (a pasted snippet, a truncated character) is still UTF-8."""
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    multibyte = sum(1 for c in text if "\u0080" <= c and c != "\ufffd")
    return text if multibyte >= 5 and bad * 5 <= multibyte else None


def text_codec(label: str) -> str | None:
    """Python's name for the text encoding a label names; None for an unknown label or one of no text.

    A page or feed may name anything: Python also knows codecs from bytes to
    bytes ("base64", "rot13") and "undefined", which fails on every use.
    """
    try:
        codec = codecs.lookup(label)
    except (LookupError, ValueError):  # ValueError: a NUL in the label
        return None
    return codec.name if codec._is_text_encoding and codec.name != "undefined" else None


def _try_decode(data: bytes, label: str | None) -> str | None:
    if not label:
        return None
    label = label.strip().strip("\"'").lower()
    if label in LATIN1_LABELS:
        label = "cp1252"
    codec = text_codec(label)
    if codec is None or codec in ("utf-8", "utf-16", "utf-32"):
        return None  # already tried (UTF-8), or a label no real page means
    try:
        text = data.decode(codec)
    except UnicodeError:
        return None
    if codec != "cp1252" and C1_CONTROLS.search(text):
        return _try_decode(data, "cp1252")
    return text


def _sniff(data: bytes) -> str | None:
    """charset_normalizer's guess, except that windows-1252 wins whenever it is about as plausible.

    Short Western pages fit several single-byte code pages equally well, and
    windows-1252 is by far the most common undeclared one (it is the web's default).
    """
    try:
        from charset_normalizer import from_bytes
    except ImportError:  # pragma: no cover - installed with trafilatura
        return None
    matches = list(from_bytes(data[:20000]))
    if not matches:
        return None
    best = min(m.chaos for m in matches)
    for match in matches:
        if match.chaos <= best + 0.05 and {"cp1252", "latin_1"} & set(match.could_be_from_charset):
            return "cp1252"
    return matches[0].encoding
