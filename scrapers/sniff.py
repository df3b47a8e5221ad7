"""Is this a binary file? Answered from the first bytes, whatever the server or file name claims.

Shared by the HTTP client (refuse before parsing) and ingest of saved files.
"""

from __future__ import annotations

SNIFF_BYTES = 1024
MAGIC_NUMBERS = [
    (b"%PDF-", "a PDF document"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"RIFF", "a RIFF media file (WebP, WAV or AVI)"),
    (b"PK\x03\x04", "a ZIP archive"),
    (b"\x1f\x8b", "gzip-compressed data"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"Rar!\x1a\x07", "a RAR archive"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an Office document"),
    (b"\x7fELF", "an executable"),
    (b"OggS", "an Ogg media file"),
    (b"ID3", "an MP3 file"),
    (b"fLaC", "a FLAC file"),
    (b"wOFF", "a web font"),
    (b"wOF2", "a web font"),
]
TEXT_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")
# C0 control characters text does not use (tab, newline, form feed, carriage return and escape
# are left out: some pages have them). Random bytes are an eighth of these; a page almost none.
CONTROLS = bytes(c for c in range(32) if c not in (9, 10, 12, 13, 27))
CONTROL_SHARE = 0.05


def binary_kind(data: bytes, charset: str | None = None) -> str | None:
    """What kind of binary file the bytes are ('a PDF document'), or None if they look like text."""
    head = data[:SNIFF_BYTES]
    for magic, what in MAGIC_NUMBERS:
        if head.startswith(magic):
            return what
    if head[4:8] == b"ftyp":
        return "an MP4 or QuickTime video"
    if head.startswith(TEXT_BOMS):
        return None
    if charset and charset.lower().replace("-", "").startswith(("utf16", "utf32")):
        return None
    if b"\x00" not in head:
        if len(head) - len(head.translate(None, CONTROLS)) <= CONTROL_SHARE * len(head):
            return None
        return "binary data (control characters in its first kilobyte)"
    if _looks_like_utf16(head):
        return None
    return "binary data with NUL bytes in its first kilobyte"


def _looks_like_utf16(head: bytes) -> bool:
    """UTF-16 text without a byte-order mark: mostly-ASCII text puts a NUL in every other byte."""
    even, odd = head[0::2], head[1::2]
    if not even or not odd:
        return False
    even_nuls, odd_nuls = even.count(0) / len(even), odd.count(0) / len(odd)
    return (even_nuls > 0.7 and odd_nuls < 0.1) or (odd_nuls > 0.7 and even_nuls < 0.1)
