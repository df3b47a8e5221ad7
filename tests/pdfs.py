"""Real PDF files made on the spot, with the text each page is known to hold.

The tests and bench/documents.py build their documents here rather than
keeping binary fixtures: each builder writes a real PDF (reportlab's canvas,
or for the very large file a few objects written by hand so 50 MB of image
data streams to disk without being held in memory) and returns what a
faithful reader should get back, page by page.

Layouts that trouble PDF readers are made on purpose: two columns whose lines
are drawn alternately (a reader following the content stream interleaves
them), words hyphenated across lines, ligature glyphs (U+FB01 "fi" in a
TrueType font), a scanned page with no text layer, an encrypted file, a
truncated download.
"""

from __future__ import annotations

import io
import os
import random
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

WIDTH, HEIGHT = A4
MARGIN = 56
LEADING = 14
FONT_SIZE = 10.5
LIGATURE_FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")

WORDS = (
    "the company said its staff were told to record activity in the new system each week and that managers "
    "reviewed the figures before the quarterly meeting where the board approved a budget for further "
    "investment while the regulator asked for documents about the programme and a spokesperson declined "
    "to comment on the internal review which began in March according to two people familiar with it"
).split()


@dataclass
class Made:
    """A PDF written to `path`, and the paragraphs each of its pages holds (empty for an image-only page)."""

    path: Path
    pages: list[list[str]] = field(default_factory=list)

    @property
    def data(self) -> bytes:
        return self.path.read_bytes()


def sentences(seed: int, count: int, words: int = 14) -> list[str]:
    """Deterministic plain sentences (no hyphens, no ligature characters) for a page's paragraphs."""
    rng = random.Random(seed)
    out = []
    for _ in range(count):
        picked = [rng.choice(WORDS) for _ in range(words)]
        out.append(" ".join(picked).capitalize() + ".")
    return out


def _wrap(text: str, width: float, font: str, size: float) -> list[str]:
    lines, line = [], ""
    for word in text.split():
        trial = f"{line} {word}".strip()
        if pdfmetrics.stringWidth(trial, font, size) > width and line:
            lines.append(line)
            line = word
        else:
            line = trial
    if line:
        lines.append(line)
    return lines


def _paragraphs(c: canvas.Canvas, paragraphs: list[str], *, font: str = "Helvetica", x: float = MARGIN) -> None:
    c.setFont(font, FONT_SIZE)
    y = HEIGHT - MARGIN
    for paragraph in paragraphs:
        for line in _wrap(paragraph, WIDTH - 2 * MARGIN, font, FONT_SIZE):
            c.drawString(x, y, line)
            y -= LEADING
        y -= LEADING  # a blank line between paragraphs


def text_pdf(path: Path, pages: list[list[str]], *, encrypt: str | None = None, title: str = "") -> Made:
    """One page per entry of `pages`, each paragraph wrapped in one column of Helvetica."""
    c = canvas.Canvas(str(path), pagesize=A4, encrypt=encrypt, invariant=1)
    if title:
        c.setTitle(title)
    for paragraphs in pages:
        _paragraphs(c, paragraphs)
        c.showPage()
    c.save()
    return Made(Path(path), [list(p) for p in pages])


def multi_page_pdf(path: Path, count: int, *, seed: int = 1, per_page: int = 3) -> Made:
    """`count` pages of plain paragraphs, each page's sentences different."""
    return text_pdf(path, [sentences(seed * 1000 + n, per_page) for n in range(count)])


def two_column_pdf(path: Path, *, seed: int = 7, interleaved: bool = True) -> Made:
    """One page, two columns of one paragraph each; drawn line by line across the columns when `interleaved`."""
    left, right = sentences(seed, 2, words=40)
    column = (WIDTH - 2 * MARGIN - 24) / 2
    lines_left = _wrap(left, column, "Helvetica", FONT_SIZE)
    lines_right = _wrap(right, column, "Helvetica", FONT_SIZE)
    c = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    c.setFont("Helvetica", FONT_SIZE)
    xs = (MARGIN, MARGIN + column + 24)
    if interleaved:
        for i in range(max(len(lines_left), len(lines_right))):
            for x, lines in zip(xs, (lines_left, lines_right)):
                if i < len(lines):
                    c.drawString(x, HEIGHT - MARGIN - i * LEADING, lines[i])
    else:
        for x, lines in zip(xs, (lines_left, lines_right)):
            for i, line in enumerate(lines):
                c.drawString(x, HEIGHT - MARGIN - i * LEADING, line)
    c.showPage()
    c.save()
    return Made(Path(path), [[left, right]])


def hyphenated_pdf(path: Path, *, seed: int = 11) -> Made:
    """One page whose lines break inside words with a hyphen, as justified print does."""
    words = ["information", "investigation", "spokesperson", "management", "programme", "regulator"]
    rng = random.Random(seed)
    paragraph = " ".join(rng.choice(WORDS + words) for _ in range(120)).capitalize() + "."
    c = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    c.setFont("Helvetica", FONT_SIZE)
    y, line, width = HEIGHT - MARGIN, "", 260
    for word in paragraph.split():
        trial = f"{line} {word}".strip()
        if pdfmetrics.stringWidth(trial, "Helvetica", FONT_SIZE) > width and line:
            if len(word) >= 8:  # split the long word across the line break
                head, tail = word[: len(word) // 2], word[len(word) // 2 :]
                c.drawString(MARGIN, y, f"{line} {head}-")
                line = tail
            else:
                c.drawString(MARGIN, y, line)
                line = word
            y -= LEADING
        else:
            line = trial
    c.drawString(MARGIN, y, line)
    c.showPage()
    c.save()
    return Made(Path(path), [[paragraph]])


def ligature_pdf(path: Path, *, seed: int = 13) -> Made | None:
    """One page set in a TrueType font with the "fi"/"fl" ligature glyphs (None where the font is missing)."""
    if not LIGATURE_FONT.exists():
        return None
    if "DejaVuSans" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("DejaVuSans", str(LIGATURE_FONT)))
    rng = random.Random(seed)
    plain = [rng.choice(WORDS + ["financial", "filed", "office", "official", "fly", "reflect"]) for _ in range(60)]
    paragraph = " ".join(plain).capitalize() + "."
    printed = paragraph.replace("fi", "\ufb01").replace("fl", "\ufb02")
    c = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    _paragraphs(c, [printed], font="DejaVuSans")
    c.showPage()
    c.save()
    return Made(Path(path), [[paragraph]])


def scanned_pdf(path: Path, pages: int = 2) -> Made:
    """Pages that are only a picture (grey noise standing in for a scan): no text layer at all."""
    from PIL import Image

    c = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    rng = random.Random(3)
    for _ in range(pages):
        image = Image.frombytes("L", (200, 280), bytes(rng.randrange(180, 256) for _ in range(200 * 280)))
        buffer = io.BytesIO()
        image.save(buffer, format="PNG")
        buffer.seek(0)
        from reportlab.lib.utils import ImageReader

        c.drawImage(ImageReader(buffer), MARGIN, MARGIN, WIDTH - 2 * MARGIN, HEIGHT - 2 * MARGIN)
        c.showPage()
    c.save()
    return Made(Path(path), [[] for _ in range(pages)])


def truncated_pdf(path: Path, source: Made, keep: float = 0.6) -> Made:
    """The first `keep` share of another PDF's bytes: a download cut short."""
    data = source.data
    Path(path).write_bytes(data[: int(len(data) * keep)])
    return Made(Path(path), [])


def large_pdf(path: Path, size: int = 50 * 1024 * 1024, text_pages: int = 3) -> Made:
    """A PDF of about `size` bytes: `text_pages` pages of text, then one page carrying an uncompressible image.

    Written object by object, the image data streamed from os.urandom in
    1 MiB pieces, so making it never holds the file in memory.
    """
    paragraphs = [sentences(5000 + n, 2) for n in range(text_pages)]
    image_bytes = max(0, size - 4096 * (text_pages + 2))
    side = int(image_bytes**0.5)
    image_bytes = side * side
    offsets: list[int] = []
    path = Path(path)
    with path.open("wb") as f:

        def obj(body: bytes) -> None:
            offsets.append(f.tell())
            f.write(f"{len(offsets)} 0 obj\n".encode() + body + b"\nendobj\n")

        f.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
        n_pages = text_pages + 1
        # 1 catalog, 2 pages, 3 font, then per text page: page + content; last: page, content, image.
        kids = " ".join(f"{4 + 2 * i} 0 R" for i in range(n_pages))
        obj(b"<< /Type /Catalog /Pages 2 0 R >>")
        obj(f"<< /Type /Pages /Kids [{kids}] /Count {n_pages} >>".encode())
        obj(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
        image_id = 4 + 2 * n_pages
        for i in range(n_pages):
            content_id = 5 + 2 * i
            resources = "/Font << /F1 3 0 R >>"
            if i == text_pages:
                resources += f" /XObject << /Im1 {image_id} 0 R >>"
                stream = b"q 400 0 0 400 96 300 cm /Im1 Do Q"
            else:
                lines, y = [], HEIGHT - MARGIN
                for paragraph in paragraphs[i]:
                    for line in _wrap(paragraph, WIDTH - 2 * MARGIN, "Helvetica", FONT_SIZE):
                        escaped = line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
                        lines.append(f"BT /F1 {FONT_SIZE} Tf {MARGIN} {y:.1f} Td ({escaped}) Tj ET")
                        y -= LEADING
                    y -= LEADING
                stream = zlib.compress("\n".join(lines).encode("latin-1"))
            f_filter = "" if i == text_pages else " /Filter /FlateDecode"
            obj(
                f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {WIDTH:.0f} {HEIGHT:.0f}] "
                f"/Resources << {resources} >> /Contents {content_id} 0 R >>".encode()
            )
            obj(f"<< /Length {len(stream)}{f_filter} >>\nstream\n".encode() + stream + b"\nendstream")
        offsets.append(f.tell())
        f.write(
            f"{image_id} 0 obj\n<< /Type /XObject /Subtype /Image /Width {side} /Height {side} "
            f"/ColorSpace /DeviceGray /BitsPerComponent 8 /Length {image_bytes} >>\nstream\n".encode()
        )
        left = image_bytes
        while left:
            chunk = min(left, 1 << 20)
            f.write(os.urandom(chunk))
            left -= chunk
        f.write(b"\nendstream\nendobj\n")
        xref = f.tell()
        f.write(f"xref\n0 {len(offsets) + 1}\n0000000000 65535 f \n".encode())
        for offset in offsets:
            f.write(f"{offset:010d} 00000 n \n".encode())
        f.write(f"trailer\n<< /Size {len(offsets) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode())
    return Made(path, paragraphs + [[]])


def compressed_pdf(path: Path, stream: bytes, text: str, *, packing: str = "FlateDecode", copies: int = 1) -> Made:
    """One page whose content stream is `stream`, given already compressed (`packing`), showing `text`.

    For streams a normal writer never makes: one that inflates to far more than the file (a
    decompression bomb), or one whose checksum is damaged. With `copies`, the page's contents are
    that many such streams, one after another (each shows `text`).
    """
    offsets: list[int] = []
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    contents = " ".join(f"{n} 0 R" for n in [4] + list(range(6, 5 + copies))).encode()
    packed = f"<< /Length {len(stream)} /Filter /{packing} >>\nstream\n".encode() + stream + b"\nendstream"
    for body in (
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents [" + contents + b"] "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        packed,
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        *[packed] * (copies - 1),
    ):
        offsets.append(out.tell())
        out.write(f"{len(offsets)} 0 obj\n".encode() + body + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(offsets) + 1}\n0000000000 65535 f \n".encode())
    for offset in offsets:
        out.write(f"{offset:010d} 00000 n \n".encode())
    out.write(f"trailer\n<< /Size {len(offsets) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode())
    Path(path).write_bytes(out.getvalue())
    return Made(Path(path), [[text]])


def shared_page_pdf(path: Path, text: str, pages: int) -> Made:
    """`pages` pages that all draw one compressed content stream showing `text`: a few bytes a page."""
    stream = zlib.compress(showing(text), 9)
    offsets: list[int] = []
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    kids = " ".join(f"{5 + n} 0 R" for n in range(pages)).encode()
    for body in (
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % pages,
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        *[
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 3 0 R "
            b"/Resources << /Font << /F1 4 0 R >> >> >>"
        ]
        * pages,
    ):
        offsets.append(out.tell())
        out.write(f"{len(offsets)} 0 obj\n".encode() + body + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(offsets) + 1}\n0000000000 65535 f \n".encode())
    for offset in offsets:
        out.write(f"{offset:010d} 00000 n \n".encode())
    out.write(f"trailer\n<< /Size {len(offsets) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode())
    Path(path).write_bytes(out.getvalue())
    return Made(Path(path), [[text]] * pages)


def showing(text: str) -> bytes:
    """A content stream drawing one line of text (plain ASCII) with the page's font."""
    return f"BT /F1 12 Tf 56 760 Td ({text}) Tj ET\n".encode()


def inflating(text: str, inflated: int) -> bytes:
    """A compressed content stream that shows `text` and then inflates to `inflated` bytes of spaces."""
    packer = zlib.compressobj(9)
    parts = [packer.compress(showing(text))]
    block = b" " * (8 << 20)
    left = inflated
    while left > 0:
        parts.append(packer.compress(block[: min(left, len(block))]))
        left -= len(block)
    parts.append(packer.flush())
    return b"".join(parts)


class _Bits:
    """Codes written most significant bit first, as PDF's LZW streams are."""

    def __init__(self) -> None:
        self.out, self.bits, self.count = bytearray(), 0, 0

    def put(self, code: int, size: int) -> None:
        self.bits, self.count = (self.bits << size) | code, self.count + size
        while self.count >= 8:
            self.count -= 8
            self.out.append((self.bits >> self.count) & 0xFF)
        self.bits &= (1 << self.count) - 1

    def end(self) -> bytes:
        if self.count:
            self.put(0, 8 - self.count)
        return bytes(self.out)


def lzw(data: bytes) -> bytes:
    """`data` as a PDF /LZWDecode stream (codes of 9 to 12 bits, early change, cleared when full)."""
    table, width, word = {bytes([i]): i for i in range(256)}, 9, b""
    w = _Bits()
    w.put(256, 9)
    for byte in data:
        grown = word + bytes([byte])
        if grown in table:
            word = grown
            continue
        w.put(table[word], width)
        table[grown] = len(table) + 2  # 256 and 257 are the clear and end codes
        if len(table) + 2 >= 4095:
            w.put(256, width)
            table, width = {bytes([i]): i for i in range(256)}, 9
        elif len(table) + 2 in (512, 1024, 2048):
            width += 1
        word = bytes([byte])
    if word:
        w.put(table[word], width)
    w.put(257, width)
    return w.end()


def lzw_bomb(inflated: int) -> bytes:
    """An LZW stream of a few kilobytes that decodes to at least `inflated` bytes of "a".

    Codes 258 to 4095 stand for ever longer runs of "a" (the last, 3,839 bytes); the
    stream then repeats code 4095, twelve bits for each 3,839 bytes, and never clears.
    """
    w = _Bits()
    w.put(256, 9)
    w.put(ord("a"), 9)
    size, width = 258, 9  # the decoder's table after the clear code and the first "a"
    for code in range(258, 4095):
        w.put(code, width)
        size += 1
        if size in (511, 1023, 2047):
            width += 1
    for _ in range(inflated // 3839 + 1):
        w.put(4095, 12)
    return w.end()


def laid_out(objects: list[bytes], trailer: bytes = b"") -> bytes:
    """A PDF of `objects` numbered from 1 (the first the catalog), with a correct cross-reference table;
    `trailer` adds entries to the trailer dictionary (b" /Info 7 0 R")."""
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R%s >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, trailer, xref)
    return bytes(out)


def signed_pdf(author: str, signer: str, text: str = "The kettle tests were skipped.") -> bytes:
    """A one-page PDF signed as Acrobat lays a signature out: a signature field whose value (/Type /Sig) covers
    the whole file but its /Contents (the /ByteRange around that hex string), and an Info dictionary naming
    `author`. /Contents holds the SHA-256 of the covered bytes where a signer puts its PKCS#7 (no key is used)."""
    import hashlib

    content = b"BT /F1 12 Tf 72 720 Td (%s) Tj ET" % text.encode()
    placeholder = b"/ByteRange [0 0000000000 0000000000 0000000000]"
    contents = b"<" + b"0" * 512 + b">"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [6 0 R] /SigFlags 3 >> >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Annots [6 0 R] "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /FT /Sig /Type /Annot /Subtype /Widget /Rect [0 0 0 0] /F 132 /T (Signature1) /V 7 0 R /P 3 0 R >>",
        b"<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /adbe.pkcs7.detached /Name (%s) "
        b"/M (D:20251121101500Z) %s /Contents %s >>" % (signer.encode(), placeholder, contents),
        b"<< /Author (%s) /Producer (Acme PDF Signer) /CreationDate (D:20251121101200Z) >>" % author.encode(),
    ]
    data = bytearray(laid_out(objects, b" /Info 8 0 R"))
    start = data.index(contents)
    end = start + len(contents)
    ranges = b"/ByteRange [0 %010d %010d %010d]" % (start, end, len(data) - end)
    at = data.index(placeholder)
    data[at : at + len(placeholder)] = ranges
    digest = hashlib.sha256(bytes(data[:start]) + bytes(data[end:])).hexdigest().encode()
    data[start + 1 : start + 1 + len(digest)] = digest
    return bytes(data)


def object_stream_pdf(info: bytes, text: str = "The kettle tests were skipped.", *, level: int = 6) -> bytes:
    """A one-page PDF 1.5 as Word, Acrobat and qpdf save it: its Info dictionary (`info`, the body between << and
    >>) and its catalog, pages and font compressed together in an object stream (/Type /ObjStm, FlateDecode at
    `level`), found through a cross-reference stream whose trailer names /Info; the page and its content stream
    (streams cannot be in an object stream) stand on their own."""
    content = b"BT /F1 12 Tf 72 720 Td (%s) Tj ET" % text.encode()
    packed = {
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        5: b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        7: b"<< " + info + b" >>",
    }
    offsets, bodies = [], b""
    for number, body in packed.items():
        offsets.append(b"%d %d" % (number, len(bodies)))
        bodies += body + b"\n"
    header = b" ".join(offsets) + b"\n"
    objstm = zlib.compress(header + bodies, level)
    out = bytearray(b"%PDF-1.5\n%\xe2\xe3\xcf\xd3\n")
    where: dict[int, int] = {}
    standalone = {
        3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        4: b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        6: b"<< /Type /ObjStm /N %d /First %d /Filter /FlateDecode /Length %d >>\nstream\n"
        % (len(packed), len(header), len(objstm))
        + objstm
        + b"\nendstream",
    }
    for number, body in standalone.items():
        where[number] = len(out)
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    rows = [b"\x00" + (0).to_bytes(4, "big") + b"\xff\xff"]  # object 0: the head of the free list
    index = {number: i for i, number in enumerate(packed)}
    for number in range(1, 9):
        if number in where:
            rows.append(b"\x01" + where[number].to_bytes(4, "big") + b"\x00\x00")
        elif number in index:
            rows.append(b"\x02" + (6).to_bytes(4, "big") + index[number].to_bytes(2, "big"))
        else:  # 8: the cross-reference stream itself
            rows.append(b"\x01" + len(out).to_bytes(4, "big") + b"\x00\x00")
    table = zlib.compress(b"".join(rows))
    xref = len(out)
    out += (
        b"8 0 obj\n<< /Type /XRef /Size 9 /W [1 4 2] /Root 1 0 R /Info 7 0 R /Filter /FlateDecode /Length %d >>\n"
        b"stream\n" % len(table) + table + b"\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n" % xref
    )
    return bytes(out)
