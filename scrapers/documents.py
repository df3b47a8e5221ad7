"""Documents to text, page by page: PDF, plain text, HTML saved from a browser, Word (.docx). No database.

Bytes (or a file on disk, for large PDFs) in, a DocumentText out: the text of
each page, its title, and which reader made it. Quotes are later anchored to
a page and offsets in this text, so what matters most is that a sentence of
the document comes out as one run of words in reading order.

Why pdfminer.six and not pypdf (bench/documents.py measures both on PDFs
made by tests/pdfs.py, each with a known text): on a two-column page whose
lines are drawn alternately across the columns (common in reports and
filings) pdfminer's layout analysis kept 12 of 12 six-word runs in order,
pypdf 8 of 12 (it follows the content stream and interleaves the columns);
both read single columns, hyphenation and ligatures alike once the fixes
below are applied. pypdf is about 6× faster (100 against 15 pages/s on this
machine), which a newsroom's documents of tens or hundreds of pages can
afford; a quote that cannot be found is the costlier failure. Peak memory is
about twice the file for image-heavy PDFs (pdfminer reads each image stream
whole), so the size limit bounds it (tracker/config.py); a compressed stream is
inflated only up to a bound (pdfstreams.py), so a small file that would
inflate to gigabytes is refused instead.

What every reader's text gets (normalize_page): the ligature characters
(U+FB00..FB06) spelled out, a word hyphenated across a line break joined
when the next line starts in lower case, a text block's lines joined by
spaces, blocks separated by a blank line.
"""

from __future__ import annotations

import codecs
import functools
import io
import lzma
import re
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO
from xml.etree import ElementTree
from xml.sax.saxutils import escape as xml_escape

from scrapers import pdfstreams
from scrapers.article import without_controls
from scrapers.article.charset import LATIN1_LABELS
from scrapers.records import ParseError

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
HTML = "text/html"
TEXT = "text/plain"
MEDIA_TYPES = (PDF, DOCX, HTML, TEXT)
LIGATURES = str.maketrans(
    {"\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl", "\ufb05": "st", "\ufb06": "st"}
)
# The tail a complete PDF ends with; a download cut short lacks it.
PDF_EOF = b"%%EOF"
TAIL_BYTES = 2048
# Titles PDF producers write when the author gave none: the file's name is more use.
PLACEHOLDER_TITLES = {"untitled", "untitled document", "(anonymous)", "microsoft word - document1", "document1"}
# What Word, scanners and printers-to-PDF write where a title goes: the file's name ("Microsoft Word -
# interview-jane.docx"), or its path. It is not what the document calls itself, and can name a source.
FILE_NAME_TITLE = re.compile(
    r"^(?:microsoft (?:word|excel|powerpoint) - |[a-z]:\\|/|~/)"
    r"|\.(?:docx?|pdf|xlsx?|pptx?|odt|ods|odp|rtf|txt|pages|key|numbers|jpe?g|png|tiff?)$",
    re.I,
)
# A .docx part larger than this once inflated is refused (a ZIP bomb would be far larger).
DOCX_MAX_XML = 64 * 1024 * 1024
# The properties part (title, author) is a few hundred bytes in any real file.
DOCX_MAX_PROPERTIES = 1024 * 1024
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


class DocumentError(ParseError):
    """A document we cannot read; the message is one line saying why and what to do."""


@dataclass(frozen=True)
class DocumentText:
    """A document's text per page (page 1 first), its title when it declares one, and the reader used."""

    media_type: str
    pages: tuple[str, ...]
    title: str | None
    extractor: str
    # What the file's properties record that can name people (reveals_of): never in its text, but in its bytes.
    reveals: tuple[str, ...] = ()

    @property
    def text_pages(self) -> int:
        """Pages with any text: 0 means a scan without a text layer ("no text: quote by hand or OCR")."""
        return sum(1 for page in self.pages if page.strip())


def media_type_of(head: bytes, filename: str | None = None, declared: str | None = None) -> str | None:
    """Which document type the first bytes (and, for text, the name or declared type) say this is, or None."""
    name = (filename or "").lower()
    declared = (declared or "").split(";")[0].strip().lower()
    pdf_at = head[:1024].find(b"%PDF-")
    named_as_text = name.endswith((".html", ".htm", ".txt", ".text", ".md")) or declared in (HTML, TEXT)
    markup = head[:1024].lstrip().lower().startswith((b"<!doctype", b"<html", b"<?xml", b"<head", b"<body"))
    # PDF readers accept the header anywhere in the first kilobyte (after a gateway's junk); a page or a
    # note that merely mentions it there is what its markup or its name says it is.
    if pdf_at == 0 or (pdf_at > 0 and not head.startswith(b"PK") and not markup and not named_as_text):
        return PDF
    if head.startswith(b"PK\x03\x04"):
        return DOCX if name.endswith(".docx") or declared == DOCX or b"word/" in head else None
    if b"\x00" in head[:1024] and not head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return None  # binary; UTF-16 text, all NUL bytes, names itself by its mark (Notepad's "Unicode")
    if name.endswith((".html", ".htm")) or declared in (HTML, "application/xhtml+xml"):
        return HTML
    sample = head[:1024].lstrip().lower()
    if sample.startswith((b"<!doctype html", b"<html")):
        return HTML
    if name.endswith((".txt", ".text", ".md")) or declared == TEXT:
        return TEXT
    return None


def _too_many_pages(what: str, pages: str, max_pages: int) -> DocumentError:
    """A document over the page limit: what a reporter can do, and what to ask of whoever runs the tracker."""
    return DocumentError(
        f"{what} has {pages}, over the limit of {max_pages:,}; split it, or ask whoever runs the tracker to raise "
        "TRACKER_DOCUMENT_MAX_PAGES"
    )


def read_document(
    source: bytes | BinaryIO, media_type: str, *, max_pages: int, url: str | None = None, charset: str | None = None
) -> DocumentText:
    """The document's text per page; DocumentError (one line) when it cannot be read or is over max_pages.

    `charset`: the one a server declared for it (plain text only: a page's own declaration is read from it)."""
    if media_type == PDF:
        stream = io.BytesIO(source) if isinstance(source, bytes | bytearray) else source
        return read_pdf(stream, max_pages=max_pages)
    data = source if isinstance(source, bytes | bytearray) else source.read()
    if media_type == DOCX:
        return read_docx(bytes(data), max_pages=max_pages)
    if media_type == HTML:
        return read_html(bytes(data), url=url)
    if media_type == TEXT:
        return read_text(bytes(data), max_pages=max_pages, charset=charset)
    raise DocumentError(f"cannot read {media_type} documents; give a PDF, .docx, HTML or plain-text file")


# -- PDF -------------------------------------------------------------------------------------


def read_pdf(stream: BinaryIO, *, max_pages: int) -> DocumentText:
    """A PDF's text per page with pdfminer.six's layout analysis, read from a seekable stream (never all at once)."""
    pdfstreams.install()
    _check_complete(stream)
    with pdfstreams.budget():  # pdfminer keeps the streams it inflates until the document is read
        return _read_pdf(stream, max_pages)


def _read_pdf(stream: BinaryIO, max_pages: int) -> DocumentText:
    from pdfminer.converter import PDFPageAggregator
    from pdfminer.layout import LAParams, LTTextContainer
    from pdfminer.pdfdocument import PDFDocument, PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdfparser import PDFParser
    from pdfminer.psexceptions import PSException

    try:
        document = PDFDocument(PDFParser(stream), password="")
    except PDFPasswordIncorrect:
        raise DocumentError(
            "the PDF is encrypted with a password; ask the source for an unlocked copy, or print it to a new PDF"
        ) from None
    except PDFEncryptionError as e:
        raise DocumentError(f"the PDF's encryption cannot be read ({_short(e)}); ask for an unlocked copy") from None
    except pdfstreams.StreamTooLarge as e:
        raise DocumentError(f"the PDF is not read: it has {e} (a damaged or hostile file)") from None
    except (PSException, ValueError, KeyError, TypeError, AttributeError, IndexError, RecursionError) as e:
        raise DocumentError(f"the PDF is damaged ({_short(e)}); download it again or ask for a new copy") from None
    except AssertionError:  # pdfminer asserts the keyword after the xref table is "trailer"
        raise DocumentError(
            "the PDF is damaged (its trailer cannot be read); download it again or ask for a new copy"
        ) from None
    count = _page_count(document)
    if count is not None and count > max_pages:
        raise _too_many_pages("the PDF", f"{count:,} pages", max_pages)
    manager = PDFResourceManager(caching=True)
    device = _aggregator(PDFPageAggregator)(manager, laparams=LAParams())
    interpreter = PDFPageInterpreter(manager, device)
    pages: list[str] = []
    try:
        for page in PDFPage.create_pages(document):
            if len(pages) >= max_pages:
                more = f"more than {max_pages:,} page{'s' if max_pages != 1 else ''}"  # a limit of 1: "1 page"
                raise _too_many_pages("the PDF", more, max_pages)
            interpreter.process_page(page)
            blocks = [el.get_text() for el in device.get_result() if isinstance(el, LTTextContainer)]
            pages.append(normalize_page(blocks))
    except DocumentError:
        raise
    except pdfstreams.StreamTooLarge as e:
        raise DocumentError(f"the PDF is not read: page {len(pages) + 1} has {e} (a damaged or hostile file)") from None
    except PageTooLarge as e:
        raise DocumentError(f"the PDF is not read: page {len(pages) + 1} {e} (a damaged or hostile file)") from None
    except (PSException, ValueError, KeyError, TypeError, AttributeError, IndexError, RecursionError) as e:
        raise DocumentError(
            f"the PDF is damaged at page {len(pages) + 1} ({_short(e)}); download it again or ask for a new copy"
        ) from None
    if not pages:
        raise DocumentError("the PDF has no pages; download it again or ask for a new copy")
    return DocumentText(PDF, tuple(pages), _pdf_title(document), "pdfminer.six", _pdf_reveals(document))


MAX_GROUPED_BOXES = 200  # text boxes on a page put in reading order by pdfminer's grouping; more are read row by row
# Characters on one page: a dense page of small print has some 10,000. pdfminer keeps an object of
# about 700 bytes per character until the page is laid out, so a few kilobytes of PDF showing one
# line of a million characters took 730 MB; past this a page is refused.
MAX_PAGE_CHARS = 100_000
# Characters in a whole document: pdfminer lays out some 90,000 a second, and pages can all draw one
# stream, so 240 KB of 2,000 pages of 99,999 characters would take 37 minutes. A long filing has 2,000 pages
# of a few thousand.
MAX_DOCUMENT_CHARS = 20_000_000


class PageTooLarge(Exception):
    """A page shows more than MAX_PAGE_CHARS characters, or takes the document past MAX_DOCUMENT_CHARS."""


@functools.cache  # the classes once per process, not once per document
def _aggregator(base: type) -> type:
    """pdfminer's page aggregator, whose pages group at most MAX_GROUPED_BOXES text boxes into columns
    and hold at most MAX_PAGE_CHARS characters, MAX_DOCUMENT_CHARS in all (PageTooLarge past either).

    Finding the reading order of a page's text boxes (columns, sidebars)
    costs pdfminer the square of their number and more: 500 boxes took 2 s,
    1,000 took 28 s, so a 17 KB PDF of scattered words, or a real page of a
    dense table, held an editor's request or a pass for minutes. Past the
    limit a page's boxes are read top to bottom and left to right, as the
    rows of a table are; prose in columns has a few dozen boxes a page.
    """
    from pdfminer.layout import LTPage, LTTextBoxVertical, LTTextGroup

    def rows(box) -> tuple:  # pdfminer's own order when it does not group (LAParams boxes_flow=None)
        return (0, -box.x1, -box.y0) if isinstance(box, LTTextBoxVertical) else (1, -box.y0, box.x0)

    class Page(LTPage):
        def group_textboxes(self, laparams, boxes):
            if len(boxes) <= MAX_GROUPED_BOXES:
                return super().group_textboxes(laparams, boxes)
            return [LTTextGroup(sorted(boxes, key=rows))]  # a plain group keeps the order it is given

    class Aggregator(base):
        total = 0  # characters in the document so far (an aggregator reads one document)

        def begin_page(self, page, ctm) -> None:
            super().begin_page(page, ctm)
            self.cur_item = Page(self.cur_item.pageid, self.cur_item.bbox)
            self.chars = 0

        def render_char(self, *args, **kwargs) -> float:
            self.chars += 1
            self.total += 1
            if self.chars > MAX_PAGE_CHARS:
                raise PageTooLarge(f"has more than {MAX_PAGE_CHARS:,} characters")
            if self.total > MAX_DOCUMENT_CHARS:
                raise PageTooLarge(f"takes it past {MAX_DOCUMENT_CHARS:,} characters in all")
            return super().render_char(*args, **kwargs)

    return Aggregator


def _check_complete(stream: BinaryIO) -> None:
    """A PDF cut short (no %%EOF near its end) is refused before parsing: partial text would mislead."""
    stream.seek(0, io.SEEK_END)
    size = stream.tell()
    stream.seek(max(0, size - TAIL_BYTES))
    tail = stream.read()
    stream.seek(0)
    if PDF_EOF not in tail:
        raise DocumentError("the PDF is truncated (it ends before its last line); download it again")


def _page_count(document) -> int | None:
    from pdfminer.pdftypes import resolve1

    try:
        pages = resolve1(document.catalog.get("Pages"))
        count = resolve1(pages.get("Count")) if isinstance(pages, dict) else None
    except Exception:  # noqa: BLE001 - a damaged page tree: the page loop below reports it with its page number
        return None
    return count if isinstance(count, int) else None


def _pdf_title(document) -> str | None:
    from pdfminer.pdftypes import resolve1

    for info in document.info or []:
        title = resolve1(info.get("Title")) if isinstance(info, dict) else None
        if isinstance(title, bytes):
            if title.startswith((b"\xfe\xff", b"\xff\xfe")):
                title = title.decode("utf-16", errors="replace")
            else:
                title = title.decode("latin-1")
        if isinstance(title, str):
            return _declared_title(title)
    return None


def _declared_title(value: str) -> str | None:
    """A title a file declares, unless it is a placeholder or the file's own name or path."""
    title = " ".join(without_controls(value).split())
    if not title or title.lower() in PLACEHOLDER_TITLES or FILE_NAME_TITLE.search(title):
        return None
    return title[:500]


# -- other formats ------------------------------------------------------------------------------


def read_text(data: bytes, *, max_pages: int, charset: str | None = None) -> DocumentText:
    """Plain text (decode_text's rule; `charset` as a server declared it): form feeds separate pages (as
    `pdftotext` and many printers write them)."""
    text = decode_text(data, charset)
    pages = tuple(normalize_text(page) for page in text.split("\f"))
    if not any(pages):  # NO_TEXT's "quote by hand or OCR" is for a scan; a text file saved empty is refused
        raise DocumentError("no text in the file, only blank lines; save it again with its text")
    if len(pages) > max_pages:
        raise _too_many_pages("the text", f"{len(pages):,} pages (form feeds)", max_pages)
    return DocumentText(TEXT, pages, None, "text")


def read_html(data: bytes, *, url: str | None = None) -> DocumentText:
    """A page saved from a browser: its main text as one page, by the same reader as scraped articles."""
    from scrapers.article import parse_article

    try:
        article = parse_article(data, url=url)
    except ParseError as e:  # binary bytes under an .html name: the uploader sees why, not a server error
        raise DocumentError(f"the HTML file is not readable: {e}") from None
    text = normalize_text(article.text)
    if not text:
        raise DocumentError("no text found in the HTML file; save the page again from the browser")
    return DocumentText(HTML, (text,), article.title, "html")


def read_docx(data: bytes, *, max_pages: int) -> DocumentText:
    """A Word file's paragraphs from word/document.xml; page breaks the file records start new pages."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            info = archive.getinfo("word/document.xml")
            if info.file_size > DOCX_MAX_XML:
                raise DocumentError("the .docx text is too large to read; save it as PDF and try that")
            with archive.open(info) as xml:
                pages = _docx_pages(xml)
            title = _docx_title(archive)
            reveals = _docx_reveals(archive)
    except DocumentError:
        raise
    except (zipfile.BadZipFile, KeyError, OSError, EOFError, ValueError, zlib.error, lzma.LZMAError) as e:
        raise DocumentError(f"the .docx file is damaged ({_short(e)}); save it again from Word") from None
    except NotImplementedError as e:  # a compression method zipfile does not know
        raise DocumentError(f"the .docx file is damaged ({_short(e)}); save it again from Word") from None
    except RuntimeError:  # zipfile's word for an encrypted part
        raise DocumentError("the .docx file is encrypted; ask the source for an unlocked copy") from None
    except ElementTree.ParseError as e:
        raise DocumentError(f"the .docx file is damaged ({_short(e)}); save it again from Word") from None
    texts = tuple(normalize_text("\n\n".join(p for p in page if p.strip())) for page in pages)
    texts = tuple(t for t in texts if t) or ("",)
    if len(texts) > max_pages:
        raise _too_many_pages("the .docx", f"{len(texts):,} pages", max_pages)
    return DocumentText(DOCX, texts, title, "docx", reveals)


# Elements open at once in word/document.xml: tables in tables in a real file are a few dozen deep.
DOCX_MAX_DEPTH = 256
# Paragraphs open at once: a text box's inside its anchor's is two; Word nests no text box in another. Each word
# counts in every paragraph open around it: 250 nested paragraphs around 200,000 tabs (1.6 MB inflated, a few KB in
# the file) took 3 s and 460 MB; the 64 MB a part may inflate to would take two minutes and some 18 GB.
DOCX_MAX_PARAGRAPH_DEPTH = 8
PAGE_BREAK = object()


class _DocxReader:
    """An XMLParser target: each page's paragraphs, read as the part inflates, with no tree built.

    Built whole, the tree took some 100 bytes per element: 64 MB of empty
    paragraphs (88 KB zipped) took 1 GB. A paragraph's text, tabs, breaks
    and page breaks are kept as it is read; a paragraph inside another (a
    text box) counts in both, the outer one first.
    """

    def __init__(self) -> None:
        self.pages: list[list[str]] = [[]]
        self.depth = 0
        self.open_paragraphs: list[list] = []
        self.paragraphs: list[list] = []  # an outermost paragraph and those inside it, in the order they start
        self.text: list[str] | None = None  # the words of a w:t being read

    def start(self, tag: str, attrib: dict) -> None:
        self.depth += 1
        if self.depth > DOCX_MAX_DEPTH:
            raise DocumentError(
                f"the .docx file is damaged (elements nested over {DOCX_MAX_DEPTH} deep); save it again from Word"
            )
        if tag == f"{W}p":
            if len(self.open_paragraphs) >= DOCX_MAX_PARAGRAPH_DEPTH:
                raise DocumentError(
                    f"the .docx file is damaged (paragraphs nested over {DOCX_MAX_PARAGRAPH_DEPTH} deep); "
                    "save it again from Word"
                )
            self.open_paragraphs.append([])
            self.paragraphs.append(self.open_paragraphs[-1])
        elif tag == f"{W}t":
            self.text = []
        elif tag == f"{W}tab":
            self._add("\t")
        elif (tag == f"{W}br" and attrib.get(f"{W}type") == "page") or tag == f"{W}lastRenderedPageBreak":
            self._add(PAGE_BREAK)
        elif tag == f"{W}br":
            self._add("\n")

    def data(self, text: str) -> None:
        if self.text is not None:
            self.text.append(text)

    def end(self, tag: str) -> None:
        self.depth -= 1
        if tag == f"{W}t" and self.text is not None:
            words, self.text = "".join(self.text), None
            if words:
                self._add(words)
        elif tag == f"{W}p":
            self.open_paragraphs.pop()
            if not self.open_paragraphs:
                for paragraph in self.paragraphs:
                    _docx_paragraph(paragraph, self.pages)
                self.paragraphs = []

    def close(self) -> list[list[str]]:
        return self.pages

    def _add(self, token: object) -> None:
        for paragraph in self.open_paragraphs:
            paragraph.append(token)


def _docx_pages(xml: BinaryIO) -> list[list[str]]:
    """Each page's paragraphs of word/document.xml, fed to the parser a piece at a time."""
    parser = ElementTree.XMLParser(target=_DocxReader())
    while piece := xml.read(64 * 1024):
        parser.feed(piece)
    return parser.close()


def _docx_paragraph(tokens: list, pages: list[list[str]]) -> None:
    words: list[str] = []
    for token in tokens:
        if token is PAGE_BREAK:
            if any(p.strip() for p in pages[-1]) or words:
                pages[-1].append("".join(words))
                words = []
                pages.append([])
        else:
            words.append(token)
    text = "".join(words)
    if text.strip():  # blank paragraphs are left out of the page's text in any case
        pages[-1].append(text)


# What a document's properties can record that names people or where it came from, in words a reporter reads.
AUTHOR_WORDS = "its author's name"
EDITOR_WORDS = "the name of whoever last saved it"
COMPANY_WORDS = "a company or manager's name"
FILE_WORDS = "the name of the file it was made from"
XMP_WORDS = "XMP metadata, which may name its author and its editing history"
DOCX_PROPERTIES = {
    "{http://purl.org/dc/elements/1.1/}creator": AUTHOR_WORDS,
    "{http://schemas.openxmlformats.org/package/2006/metadata/core-properties}lastModifiedBy": EDITOR_WORDS,
    "{http://schemas.openxmlformats.org/officeDocument/2006/extended-properties}Company": COMPANY_WORDS,
    "{http://schemas.openxmlformats.org/officeDocument/2006/extended-properties}Manager": COMPANY_WORDS,
}


def reveals_of(stream: BinaryIO, media_type: str) -> tuple[str, ...]:
    """What a PDF's or .docx file's properties record that can name people, without reading its pages; () for
    other files or a file that cannot be opened (read_document says why)."""
    try:
        if media_type == PDF:
            from pdfminer.pdfdocument import PDFDocument
            from pdfminer.pdfparser import PDFParser

            pdfstreams.install()
            with pdfstreams.budget():  # the XMP packet is inflated (bounded) to see whether it records anything
                return _pdf_reveals(PDFDocument(PDFParser(stream), password=""))
        if media_type == DOCX:
            with zipfile.ZipFile(stream) as archive:
                return _docx_reveals(archive)
    except Exception:  # noqa: BLE001 - a file that cannot be opened has nothing to report here
        return ()
    return ()


def _pdf_reveals(document) -> tuple[str, ...]:
    from pdfminer.pdftypes import resolve1

    found = []
    for info in document.info or []:
        if not isinstance(info, dict):
            continue
        if _text(resolve1(info.get("Author"))):
            found.append(AUTHOR_WORDS)
        title = _text(resolve1(info.get("Title")))
        if title and FILE_NAME_TITLE.search(title):
            found.append(FILE_WORDS)
    try:
        metadata = resolve1((document.catalog or {}).get("Metadata"))
        # A packet that records nothing (what a copy for readers is left with: tracker/photos.py) says nothing.
        if metadata is not None and b"rdf:Description" in _packet(metadata):
            found.append(XMP_WORDS)
    except Exception:  # noqa: BLE001 - a damaged catalog entry: nothing to report
        pass
    return tuple(dict.fromkeys(found))


def _packet(metadata) -> bytes:
    try:
        return metadata.get_data()
    except Exception:  # noqa: BLE001 - damaged, or inflating past the bound: assume it records something
        return b"rdf:Description"


def _text(value) -> str:
    if isinstance(value, bytes):
        value = value.decode("utf-16" if value.startswith((b"\xfe\xff", b"\xff\xfe")) else "latin-1", "replace")
    return value.strip() if isinstance(value, str) else ""


def _docx_reveals(archive: zipfile.ZipFile) -> tuple[str, ...]:
    found = []
    for _, text in _text_parts(archive):  # comments and tracked changes by name (without_authors leaves them out)
        if any(value != AUTHOR.encode() for _, value in AUTHOR_ATTRIBUTE.findall(text)):
            found.append(COMMENT_WORDS)
            break
    for part in ("docProps/core.xml", "docProps/app.xml"):
        try:
            info = archive.getinfo(part)
            if info.file_size > DOCX_MAX_PROPERTIES:
                continue
            root = ElementTree.fromstring(archive.read(info))
        except (KeyError, ElementTree.ParseError):
            continue
        for node in root.iter():
            words = DOCX_PROPERTIES.get(node.tag)
            if words and node.text and node.text.strip():
                found.append(words)
            elif node.tag == "{http://purl.org/dc/elements/1.1/}title" and FILE_NAME_TITLE.search(node.text or ""):
                found.append(FILE_WORDS)
    return tuple(dict.fromkeys(found))


# The parts of a Word or OpenDocument file that hold its properties, by the root element each must have, and what a
# copy without them keeps of each: its title (unless it is a file's name or path) and language, nothing else. The
# author, whoever last saved or printed it, company, manager, template path, custom properties, keywords, comments,
# dates, editing time and the program that wrote it are all left out.
DC, CP = (
    "{http://purl.org/dc/elements/1.1/}",
    "{http://schemas.openxmlformats.org/package/2006/metadata/core-properties}",
)
OFFICE, META = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}", "{urn:oasis:names:tc:opendocument:xmlns:meta:1.0}"
EXTENDED = "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"
CUSTOM = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
VT = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
PROPERTY_PARTS = {
    "docProps/core.xml": CP + "coreProperties",
    "docProps/app.xml": f"{{{EXTENDED}}}Properties",
    "docProps/custom.xml": f"{{{CUSTOM}}}Properties",
    "meta.xml": OFFICE + "document-meta",
}
XML_DECLARATION = b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'


def _xml(text: str) -> bytes:
    return xml_escape(text, {'"': "&quot;"}).encode()


def without_properties(name: str, data: bytes) -> bytes | None:
    """A properties part of a Word or OpenDocument file (PROPERTY_PARTS) with only its title and language kept;
    None for any other part, or one whose root is not a properties part's (it is then no business of this).

    A part too large (DOCX_MAX_PROPERTIES) or damaged to read is replaced all the same, by one that keeps nothing.
    """
    root_tag = PROPERTY_PARTS.get(name)
    if root_tag is None:
        return None
    root = None
    if len(data) <= DOCX_MAX_PROPERTIES:
        try:
            root = ElementTree.fromstring(data)
        except ElementTree.ParseError:
            root = None
        if root is not None and root.tag != root_tag:
            return None
    elif not data.lstrip().startswith(b"<"):
        return None
    kept = b""
    if root is not None:
        for tag in ("title", "language"):
            node = root.find(f".//{DC}{tag}")
            text = (node.text or "").strip() if node is not None else ""
            if text and not (tag == "title" and FILE_NAME_TITLE.search(text)):
                kept += b"<dc:%s>%s</dc:%s>" % (tag.encode(), _xml(text), tag.encode())
    if name == "docProps/core.xml":
        return (
            XML_DECLARATION
            + b'<cp:coreProperties xmlns:cp="%s" xmlns:dc="%s" xmlns:dcterms="http://purl.org/dc/terms/" '
            b'xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
            % (CP[1:-1].encode(), DC[1:-1].encode())
            + kept
            + b"</cp:coreProperties>"
        )
    if name == "meta.xml":
        version = root.get(OFFICE + "version") if root is not None else None  # as the file declared it, if it did
        return (
            XML_DECLARATION.replace(b' standalone="yes"', b"")
            + b'<office:document-meta xmlns:office="%s" xmlns:meta="%s" xmlns:dc="%s"%s>'
            % (
                OFFICE[1:-1].encode(),
                META[1:-1].encode(),
                DC[1:-1].encode(),
                b' office:version="%s"' % _xml(version) if version else b"",
            )
            + b"<office:meta>"
            + kept
            + b"</office:meta></office:document-meta>"
        )
    space = EXTENDED if name == "docProps/app.xml" else CUSTOM
    return XML_DECLARATION + b'<Properties xmlns="%s" xmlns:vt="%s"/>' % (space.encode(), VT.encode())


# The names a Word or OpenDocument file's text parts carry beside its text: who wrote each comment and made each
# tracked change (and when), the people Word lists for them with their account IDs, and an OpenDocument's
# printer. A copy for readers keeps the comments and tracked changes and what they say, but names no one in them:
# every author is AUTHOR, every set of initials "A", each date left out where the format allows it and NEUTRAL_DATE
# where it requires one (an OpenDocument change's), Word's presenceInfo (an account: "S-1-5-21-…", an address)
# left out, and the printer's name and setup emptied. rsid values (which editing session, not whose) stay.
AUTHOR = "Author"
NEUTRAL_DATE = "1970-01-01T00:00:00"
WORD_SPACES = ("http://schemas.openxmlformats.org/wordprocessingml/", "http://schemas.microsoft.com/office/word/")
TEXT_PARTS = ("content.xml", "styles.xml", "settings.xml")  # OpenDocument's; a Word file's are word/*.xml
NAMES_MARKERS = (
    b"author",
    b"dateUtc",
    b"presenceInfo",
    b"creator",
    b"sender-initials",
    b"PrinterName",
    b"PrinterSetup",
)
ODF_DC_DATE, ODF_ANNOTATION = DC + "date", OFFICE + "annotation"
ODF_CONFIG = "{urn:oasis:names:tc:opendocument:xmlns:config:1.0}"
COMMENT_WORDS = "the names of whoever wrote its comments or tracked changes"
PRINTER_ITEMS = ("PrinterName", "PrinterSetup")
AUTHOR_ATTRIBUTE = re.compile(rb"""[\s:]author\s*=\s*(["'])(.*?)\1""")


def names_people(name: str) -> bool:
    """True for a Word or OpenDocument part whose comments, tracked changes or settings can name people."""
    return name in TEXT_PARTS or name.startswith("word/") and name.endswith(".xml")


def without_authors(name: str, data: bytes) -> bytes | None:
    """A text part of a Word or OpenDocument file (names_people) with its comments' and tracked changes' authors,
    initials and dates, Word's people's accounts and the printer's name left out (above); None when it names no
    one, or cannot be read as XML (it is then left as it is, and reveals_of still says what it records)."""
    if not names_people(name) or not any(marker in data for marker in NAMES_MARKERS):
        return None
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, load_dtd=False, no_network=True, remove_comments=False)
    try:
        tree = etree.parse(io.BytesIO(data), parser)
    except etree.XMLSyntaxError:
        return None
    changed = False
    for node in list(tree.getroot().iter()):
        if not isinstance(node.tag, str):
            continue  # a comment or processing instruction
        space, _, local = node.tag[1:].rpartition("}")
        if space.startswith(WORD_SPACES):
            if local == "presenceInfo":
                node.getparent().remove(node)
                changed = True
                continue
            for key in list(node.attrib):
                key_space, _, key_local = key[1:].rpartition("}")
                if not key_space.startswith(WORD_SPACES):
                    continue
                if key_local in ("date", "dateUtc"):
                    del node.attrib[key]
                    changed = True
                elif key_local in ("author", "initials"):
                    changed = _neutral(node, AUTHOR if key_local == "author" else "A", key) or changed
        elif node.tag == DC + "creator":
            changed = _neutral(node, AUTHOR) or changed
        elif local in ("creator-initials", "sender-initials"):
            changed = _neutral(node, "A") or changed
        elif node.tag == ODF_DC_DATE and node.getparent() is not None:
            if node.getparent().tag == ODF_ANNOTATION:
                node.getparent().remove(node)
                changed = True
            else:  # an office:change-info requires one
                changed = _neutral(node, NEUTRAL_DATE) or changed
        elif node.tag == ODF_CONFIG + "config-item" and node.get(ODF_CONFIG + "name") in PRINTER_ITEMS:
            changed = _neutral(node, None) or changed
    if not changed:
        return None
    return etree.tostring(tree, xml_declaration=True, encoding="UTF-8", standalone=tree.docinfo.standalone)


COMMENT_TAGS = re.compile(rb"<(?:w:comment|office:annotation)[\s>/]")
CHANGE_TAGS = re.compile(rb"<(?:w:ins|w:del|w:moveFrom|w:moveTo|text:changed-region)[\s>/]")


def comments_and_changes(data: bytes) -> tuple[int, int]:
    """How many comments and tracked changes a Word or OpenDocument file holds (as Word and LibreOffice write
    them); (0, 0) for anything else, or a file that cannot be opened."""
    comments = changes = 0
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for name, text in _text_parts(archive):
                comments += len(COMMENT_TAGS.findall(text)) if name != "settings.xml" else 0
                changes += len(CHANGE_TAGS.findall(text))
    except Exception:  # noqa: BLE001 - not a zip, or a damaged one: nothing to count
        return 0, 0
    return comments, changes


def _text_parts(archive: zipfile.ZipFile) -> Iterator[tuple[str, bytes]]:
    """Each part of a Word or OpenDocument file that can name people (names_people), as bytes, up to
    DOCX_MAX_XML inflated in all (declared sizes, checked before reading): a hostile zip of many large parts is
    read no further."""
    left = DOCX_MAX_XML
    for info in archive.infolist():
        if names_people(info.filename):
            left -= info.file_size
            if left < 0:
                return
            yield info.filename, archive.read(info)


def _neutral(node, value: str | None, attribute: str | None = None) -> bool:
    """Set the node's text (or `attribute`) to `value`; False when it already was (a copy cleaned again is the
    same bytes)."""
    was = node.get(attribute) if attribute else (node.text or None)
    if was == value:
        return False
    if attribute:
        node.set(attribute, value)
    else:
        node.text = value
    return True


def _docx_title(archive: zipfile.ZipFile) -> str | None:
    """The title in the file's properties; None when absent, damaged or implausibly large (a small
    upload can hold a huge compressed properties part, which must not be read into memory)."""
    try:
        info = archive.getinfo("docProps/core.xml")
        if info.file_size > DOCX_MAX_PROPERTIES:
            return None
        core = ElementTree.fromstring(archive.read(info))
    except (KeyError, ElementTree.ParseError):
        return None
    for node in core.iter("{http://purl.org/dc/elements/1.1/}title"):
        if node.text and node.text.strip():
            return _declared_title(node.text)
    return None


def decode_text(data: bytes, charset: str | None = None) -> str:
    """A plain text file's bytes as text: the one rule for every reader of a reporter's text file.

    A byte-order mark names its encoding (UTF-8, or Notepad's "Unicode", UTF-16); so does a charset a server
    declared for it (`charset`, from Content-Type). Anything else must be UTF-8: a text file names no encoding,
    and a guessed one (Windows-1252 was guessed here for `ingest --document` and the editor's upload, while
    `extract-claims` refused the same notes) turns quotes and accents into other letters, and every offset
    quoted in them, without a word. The refusal (DocumentError, a ParseError) says which byte and how to fix it.
    A saved HTML page is not this: it declares its charset, and scrapers.article.decode_html reads it by that.
    """
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="replace")
    if data.startswith(codecs.BOM_UTF8):
        return data.decode("utf-8-sig", errors="replace")
    codec = _declared_codec(charset)
    if codec is not None:
        return data.decode(codec, errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise DocumentError(
            f"not UTF-8 text (byte {e.start}); save it as UTF-8 and try again (a text editor's Save As offers "
            "the encoding; or iconv -f WINDOWS-1252 -t UTF-8)"
        ) from None


def _declared_codec(charset: str | None) -> str | None:
    """The codec a declared charset names (a Latin-1 label meaning Windows-1252, as browsers read it), or None."""
    if not charset:
        return None
    label = charset.strip().strip("\"'").lower()
    if label in LATIN1_LABELS:
        return "cp1252"
    try:
        return codecs.lookup(label).name
    except (LookupError, ValueError):
        return None


# -- normalising -----------------------------------------------------------------------------------

HYPHEN_BREAK = re.compile(r"(\w)-\n(?=[a-z])")
SPACES = re.compile(r"[ \t\u00a0]+")


def normalize_page(blocks: list[str]) -> str:
    """Text blocks of a page → one paragraph each (lines joined, hyphenation undone), a blank line between."""
    paragraphs = []
    for block in blocks:
        block = without_controls(block.translate(LIGATURES).replace("\r", ""))
        block = HYPHEN_BREAK.sub(r"\1", block)
        line = SPACES.sub(" ", " ".join(part.strip() for part in block.split("\n") if part.strip()))
        if line:
            paragraphs.append(line)
    return "\n\n".join(paragraphs)


def normalize_text(text: str) -> str:
    """Plain text → paragraphs kept as they are (lines and blank lines), ligatures spelled out, spaces tidied.

    Control characters go, as they do from scraped pages (scrapers/article/cleaning.py): a file's words are
    its maker's to write, and an escape sequence among them would run on the terminal they are read on.
    """
    text = without_controls(text.translate(LIGATURES).replace("\r\n", "\n").replace("\r", "\n"))
    lines = (SPACES.sub(" ", line).strip() for line in _lines(text))
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    return "\n".join(out).strip()


def _lines(text: str) -> Iterator[str]:
    """The text split at line breaks, one line at a time: a list of every line of a file of line
    breaks takes eight bytes a byte (20 MB of them took 340 MB)."""
    start = 0
    while (end := text.find("\n", start)) >= 0:
        yield text[start:end]
        start = end + 1
    yield text[start:]


def _short(e: BaseException) -> str:
    return " ".join(str(e).split())[:160] or type(e).__name__


def page_spans(pages: tuple[str, ...] | list[str], separator: str = "\n\n") -> Iterator[tuple[int, int, int]]:
    """(page number, start, end) of each page in the pages joined by `separator`: where a quote's page is found."""
    pos = 0
    for number, page in enumerate(pages, start=1):
        yield number, pos, pos + len(page)
        pos += len(page) + len(separator)
