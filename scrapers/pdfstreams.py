"""Bounded inflation of a PDF's compressed streams, for pdfminer.six.

pdfminer inflates a FlateDecode stream with ``zlib.decompress`` whole, and a
damaged one a byte at a time onto a growing ``bytes``. A PDF of under 1 MB can
hold a stream that inflates to gigabytes (1 GB of spaces compresses to about
1 MB): reading it took 1.9 GB of memory, and a scraped or uploaded document
must not be able to exhaust the machine. A damaged stream of a few megabytes
took time growing with the square of its size.

``install()`` swaps pdfminer's inflating and LZW-decoding functions for ones
that stop at MAX_INFLATED bytes (raising StreamTooLarge, which pdfminer does
not catch, so the reader can say why) and take time linear in the stream,
keeping what pdfminer kept. pdfminer looks each up in its module's globals
when it decodes a stream, so replacing them there is enough. pdfminer has no
setting for this; the tests pin the behaviour, so an upgrade that renames
one fails them rather than silently lifting the bound.
"""

from __future__ import annotations

import contextlib
import contextvars
import io
import logging
import zlib
from collections.abc import Iterator

from scrapers.records import size_in_words

log = logging.getLogger(__name__)

# No content, font or cross-reference stream of a real document comes near this once inflated;
# pdfminer does not inflate image streams to lay out text.
MAX_INFLATED = 128 * 1024 * 1024
# pdfminer keeps each stream it has inflated for as long as it reads the document, so a file of many streams,
# each under MAX_INFLATED, is bounded by this (within `budget()`): ten 120 MB streams in 1.2 MB took 1.3 GB.
MAX_INFLATED_IN_ALL = 4 * MAX_INFLATED
_CHUNK = 64 * 1024
_inflated: contextvars.ContextVar[list[int] | None] = contextvars.ContextVar("pdf_inflated", default=None)


class StreamTooLarge(Exception):
    """A compressed stream inflates past MAX_INFLATED bytes, or a document's streams past MAX_INFLATED_IN_ALL."""


def _check(total: int) -> None:
    if total > MAX_INFLATED:
        raise StreamTooLarge(f"a compressed part that inflates to more than {size_in_words(MAX_INFLATED)}")


def _spent(inflated: bytes) -> bytes:
    """Count a stream just inflated against the document's budget, if one is open."""
    spent = _inflated.get()
    if spent is not None:
        spent[0] += len(inflated)
        if spent[0] > MAX_INFLATED_IN_ALL:
            raise StreamTooLarge(
                f"compressed parts that inflate to more than {size_in_words(MAX_INFLATED_IN_ALL)} in all"
            )
    return inflated


@contextlib.contextmanager
def budget() -> Iterator[None]:
    """Within it (one document read by this thread), the streams inflated add up to MAX_INFLATED_IN_ALL at most."""
    token = _inflated.set([0])
    try:
        yield
    finally:
        _inflated.reset(token)


def inflate(data: bytes) -> bytes:
    """zlib.decompress, stopping at MAX_INFLATED; a truncated or damaged stream raises zlib.error as it does."""
    d = zlib.decompressobj()
    out = d.decompress(data, MAX_INFLATED + 1)
    _check(len(out))
    if not d.eof:
        raise zlib.error("incomplete or truncated stream")
    return _spent(out)


def inflate_damaged(data: bytes) -> bytes:
    """What can be inflated of a damaged stream, as pdfminer's ``decompress_corrupted`` keeps it.

    Its rule: an error within the last three bytes (the checksum) keeps what
    was inflated before it; an earlier one is raised. Read a chunk at a time,
    and a byte at a time only within the chunk that fails.
    """
    d = zlib.decompressobj()
    parts: list[bytes] = []
    total = 0
    for start in range(0, len(data), _CHUNK):
        chunk = data[start : start + _CHUNK]
        before = d.copy()
        try:
            out = d.decompress(chunk)
        except zlib.error:
            d = before
            for j in range(len(chunk)):
                try:
                    out = d.decompress(chunk[j : j + 1])
                except zlib.error:
                    if start + j < len(data) - 3:
                        raise
                    log.warning("Data-loss while decompressing corrupted data")
                    return _spent(b"".join(parts))
                parts.append(out)
                total += len(out)
                _check(total)
            continue
        parts.append(out)
        total += len(out)
        _check(total)
    return _spent(b"".join(parts))


def lzw_inflate(data: bytes) -> bytes:
    """pdfminer's ``lzwdecode``, stopping at MAX_INFLATED (an LZW code can stand for thousands of bytes).

    Its decoder's loop also copies the whole code table for a debug message
    on every code, even with debugging off: time growing with the square of
    the stream. The same decoder, read by a loop without that line.
    """
    from pdfminer.lzw import CorruptDataError, LZWDecoder

    decoder = LZWDecoder(io.BytesIO(data))
    parts: list[bytes] = []
    total = 0
    while True:
        try:
            code = decoder.readbits(decoder.nbits)
        except EOFError:
            break
        try:
            part = decoder.feed(code)
        except CorruptDataError:
            break
        parts.append(part)
        total += len(part)
        _check(total)
    return _spent(b"".join(parts))


class _Zlib:
    """The ``zlib`` pdfminer's stream decoder sees: bounded ``decompress``, everything else zlib's own."""

    error = zlib.error

    @staticmethod
    def decompress(data: bytes, *args: object) -> bytes:
        return inflate(data)

    def __getattr__(self, name: str) -> object:
        return getattr(zlib, name)


_ZLIB = _Zlib()


# A reference to a reference is rare, a chain of more than a few is a loop ("1 0 obj 2 0 R endobj
# 2 0 obj 1 0 R endobj"), which pdfminer's resolve1 followed for ever: a 173-byte file hung the reader.
MAX_REFERENCE_CHAIN = 32


def _bounded_resolvers() -> tuple:
    from pdfminer.pdfparser import PDFSyntaxError
    from pdfminer.pdftypes import PDFObjRef

    def resolve1(x: object, default: object = None) -> object:
        for _ in range(MAX_REFERENCE_CHAIN):
            if not isinstance(x, PDFObjRef):
                return x
            x = x.resolve(default=default)
        if isinstance(x, PDFObjRef):
            raise PDFSyntaxError(f"object references that loop (through object {x.objid})")
        return x

    def resolve_all(x: object, default: object = None) -> object:
        x = resolve1(x, default)
        if isinstance(x, list):
            x = [resolve_all(v, default) for v in x]
        elif isinstance(x, dict):
            for k, v in x.items():
                x[k] = resolve_all(v, default)
        return x

    return resolve1, resolve_all


def install() -> None:
    """From now on, in this process, pdfminer inflates streams only up to MAX_INFLATED and follows
    chains of references only up to MAX_REFERENCE_CHAIN (idempotent)."""
    from pdfminer import pdffont, pdfinterp, pdfpage, pdftypes

    pdftypes.zlib = _ZLIB
    pdftypes.decompress_corrupted = inflate_damaged
    pdftypes.lzwdecode = lzw_inflate
    resolve1, resolve_all = _bounded_resolvers()
    # Each module imported them by name: each one's globals are where it looks them up.
    for module in (pdftypes, pdffont, pdfinterp, pdfpage):
        module.resolve1 = resolve1
        if hasattr(module, "resolve_all"):
            module.resolve_all = resolve_all
