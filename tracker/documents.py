"""Documents as coverage: a PDF, text, saved HTML or .docx file stored as an item of kind `document`.

The text of every page is read by scrapers/documents.py; the revision's text
is the pages joined by a blank line, and document_pages records where each
page starts and ends in it, so a quote is anchored by page and offsets (the
page is found from the offset, or the quote looked for within a page). The
file itself is kept as received (tracker/captures.py). A scan without a
text layer is stored all the same and flagged NO_TEXT; a reporter can type
what a page says (transcribe_page), which adds a revision whose page text
is marked as transcribed, and quotes are then anchored in that.

An uploaded file has no web address, so its item is named by its SHA-256
(`urn:sha256:…`): the same file uploaded twice is one item.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import BinaryIO

import sqlite_utils

from scrapers.documents import (
    DOCX,
    PDF,
    DocumentError,
    DocumentText,
    comments_and_changes,
    media_type_of,
    normalize_text,
    page_spans,
    read_document,
    reveals_of,
)
from scrapers.records import size_in_words
from scrapers.urls import canonical_url, is_http_url, url_file_name
from tracker import captures, clusters, config, coverage, photos
from tracker.db import NotFound, TrackerError, now, one, rows, transaction
from tracker.store import credited_outlet

PAGE_SEPARATOR = "\n\n"
NO_TEXT = "no text: quote by hand or OCR"
URN_PREFIX = "urn:sha256:"
HEAD_BYTES = 4096


class DocumentTooLarge(TrackerError):
    status_code = 413


@dataclass(frozen=True)
class StoredDocument:
    """What storing a document did: its item and revision, pages, whether it has text, its SHA-256."""

    coverage_id: int
    revision_id: int
    status: str  # new, updated or unchanged
    created: bool
    canonical_url: str
    title: str | None
    media_type: str
    pages: int
    text_pages: int
    sha256: str
    capture_id: int | None
    reveals: tuple[str, ...] = ()

    @property
    def flag(self) -> str | None:
        return NO_TEXT if self.text_pages == 0 else None


def is_document(head: bytes, filename: str | None = None, declared: str | None = None) -> bool:
    """True for bytes that read as a PDF or .docx (text and HTML files are pages unless sent as documents)."""
    return media_type_of(head, filename, declared) in (PDF, DOCX)


def store_document(
    db: sqlite_utils.Database,
    story: dict,
    source: bytes | BinaryIO,
    received: captures.Received,
    *,
    user: dict | None = None,
    settings: config.Settings | None = None,
) -> StoredDocument:
    """Read a document's pages, then store it as coverage with its text, page offsets and the file as received.

    `source` is the bytes or a seekable binary file (an upload spooled to
    disk): nothing here reads a large file into memory whole. Refuses (one
    line) an unknown type, a file over the size or page limit, an encrypted
    or damaged PDF; nothing is stored then.
    """
    settings = settings or config.settings()
    stream = io.BytesIO(source) if isinstance(source, bytes | bytearray) else source
    size = _size(stream)
    if size == 0:
        raise DocumentError("the file is empty; save or download it again")
    if size > settings.document_max_bytes:
        raise DocumentTooLarge(
            f"the file is {size_in_words(size)}, over the {size_in_words(settings.document_max_bytes)} limit "
            "for documents; split the file, or ask whoever runs the tracker to raise TRACKER_DOCUMENT_MAX_MB"
        )
    head = stream.read(HEAD_BYTES)
    stream.seek(0)
    media_type = media_type_of(head, received.filename or url_file_name(received.url), received.media_type)
    if media_type is None:
        raise DocumentError("not a document the tracker reads; give a PDF, .docx, HTML or plain-text file")
    prepared = captures.prepare(stream)
    try:
        stream.seek(0)
        parsed = read_document(
            stream,
            media_type,
            max_pages=settings.document_max_pages,
            url=received.url,
            charset=_declared_charset(received),
        )
        return _store(db, story, parsed, prepared, received, user)
    finally:
        prepared.close()


def _declared_charset(received: captures.Received) -> str | None:
    """The charset the server that sent the file declared (Content-Type), or None (a file, an upload)."""
    from scrapers.http import parse_content_type

    for name, value in received.headers.items():
        if name.lower() == "content-type":
            return parse_content_type(value)[1]
    return None


def _store(
    db: sqlite_utils.Database,
    story: dict,
    parsed: DocumentText,
    prepared: captures.Prepared,
    received: captures.Received,
    user: dict | None,
) -> StoredDocument:
    url = received.url if is_http_url(received.url) else None
    canonical = canonical_url(url) if url else URN_PREFIX + prepared.sha256
    title = parsed.title or received.filename or url_file_name(url) or "Untitled document"
    text = PAGE_SEPARATOR.join(parsed.pages)
    with transaction(db):
        existing = coverage.find_item(db, story["id"], canonical)
        coverage_id = coverage.save_item(
            db,
            story["id"],
            canonical,
            existing,
            kind="document",
            outlet=credited_outlet(db, story["id"], url),
            title=title[:500],
        )
        revision_id, created = coverage.add_revision(db, coverage_id, text, fetched_at=received.received_at)
        capture_id = None
        known = db.execute(
            "SELECT id FROM captures WHERE coverage_id = ? AND sha256 = ?", [coverage_id, prepared.sha256]
        ).fetchone()
        if known is None:
            capture_id = captures.keep(
                db, coverage_id, prepared, received, role="document", revision_id=revision_id, user=user
            )
        if created:
            _record_pages(db, revision_id, parsed.pages, parsed.media_type, parsed.extractor, capture_id)
            if text.strip():
                clusters.assign(db, coverage_id, story["id"], text)
    status = "new" if existing is None else ("updated" if created else "unchanged")
    return StoredDocument(
        coverage_id,
        revision_id,
        status,
        created,
        canonical,
        title,
        parsed.media_type,
        len(parsed.pages),
        parsed.text_pages,
        prepared.sha256,
        capture_id,
        parsed.reveals,
    )


def properties_warning(
    reveals: tuple[str, ...] | list[str], kept: tuple[str, ...] | list[str] | None = None
) -> str | None:
    """What the reporter or editor is told of a document whose properties name people (scrapers reveals_of).

    `kept` is what a copy published for readers still records (copy_reveals), None before anyone asked (on upload).
    """
    if not reveals:
        return None
    told = f"This document's properties record {photos.listed(list(reveals))}. They are not in its text or quotes"
    if not kept:
        return f"{told}, and a copy published for readers leaves them out" + (
            " (the editor who publishes one is told if any cannot be)." if kept is None else "."
        )
    return (
        f"{told}, but a copy published for readers still records {photos.listed(list(kept))}: that cannot be "
        "removed without rewriting the whole file (or breaking its digital signature), so anyone who downloads it "
        "gets them. Publish a copy saved without them if that matters."
    )


def copy_reveals(
    capture: dict, data: bytes, copy: Callable[[], bytes | None]
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """What a document kept as received (`data`) records in its properties, and what its copy for readers still
    records (`copy()`, photos.public_copy of it, made only when the first records something), without its pages."""
    media_type = media_type_of(data[:HEAD_BYTES], capture.get("filename") or url_file_name(capture.get("url")))
    as_received = reveals_of(io.BytesIO(data), media_type) if media_type else ()
    if not as_received:
        return (), ()
    public = copy()
    return as_received, (as_received if public is None else reveals_of(io.BytesIO(public), media_type))


PROPERTIES_KEPT = "its properties"


def comments_note(data: bytes) -> str | None:
    """What the editor publishing a copy of a Word or OpenDocument file is told of its comments and tracked
    changes: readers get what they say (by "Author", no name), which the tracker's text of it leaves out."""
    comments, changes = comments_and_changes(data) if data[:4] == b"PK\x03\x04" else (0, 0)
    if not comments and not changes:
        return None
    held = [f"{n} {what}{'' if n == 1 else 's'}" for n, what in ((comments, "comment"), (changes, "tracked change"))]
    return (
        f"This document holds {photos.listed([h for h in held if not h.startswith('0 ')])}. Readers of its copy "
        'see what they say (by "Author": no one\'s name), though the text the tracker reads from it leaves them '
        "out: read them in the file as received before the next publish, and withdraw the copy if they say too much."
    )


def metadata_kept(copy: bytes | None) -> str | None:
    """What a copy published for readers (photos.public_copy) still records that can name or place someone, read
    from the copy itself, in the words readers see beside it ("a HEIC photo's", "its properties"): what could
    not be cleaned. None for nothing, no copy, or anything but a document."""
    if copy is None or photos.kind(copy[:16]) is not None:
        return None
    if not photos.is_container(copy) and not photos.is_compound(copy):
        return None
    words = photos.kept_words(photos.inside(copy))
    if not photos.is_compound(copy) and reveals_of(io.BytesIO(copy), DOCX if copy[:4] == b"PK\x03\x04" else PDF):
        words.append(PROPERTIES_KEPT)
    return photos.listed(words) if words else None


def _record_pages(
    db: sqlite_utils.Database,
    revision_id: int,
    pages: tuple[str, ...] | list[str],
    media_type: str,
    extractor: str,
    capture_id: int | None,
    transcribed: dict[int, int | None] | None = None,
) -> None:
    db.conn.executemany(
        'INSERT INTO document_pages (revision_id, page, start, "end", transcribed_by) VALUES (?, ?, ?, ?, ?)',
        [
            (revision_id, number, start, end, (transcribed or {}).get(number))
            for number, start, end in page_spans(pages, PAGE_SEPARATOR)
        ],
    )
    db.execute(
        """INSERT INTO documents (revision_id, media_type, pages, text_pages, extractor, capture_id)
           VALUES (?, ?, ?, ?, ?, ?)""",
        [revision_id, media_type, len(pages), sum(1 for p in pages if p.strip()), extractor, capture_id],
    )


def get_document(db: sqlite_utils.Database, revision_id: int) -> dict | None:
    """A document revision's page count, text pages, reader and capture; None for other coverage."""
    document = one(db, "SELECT * FROM documents WHERE revision_id = ?", [revision_id])
    if document is not None:
        document["flag"] = NO_TEXT if document["text_pages"] == 0 else None
        document["empty_pages"] = [p["page"] for p in page_list(db, revision_id) if p["end"] == p["start"]]
    return document


def page_list(db: sqlite_utils.Database, revision_id: int) -> list[dict]:
    """Each page of a document revision: number, start and end offsets, who transcribed it (if anyone)."""
    return rows(
        db,
        """SELECT p.page, p.start, p."end", p.transcribed_by, u.username AS transcribed_by_name
           FROM document_pages p LEFT JOIN users u ON u.id = p.transcribed_by
           WHERE p.revision_id = ? ORDER BY p.page""",
        [revision_id],
    )


def page_span(db: sqlite_utils.Database, revision_id: int, page: int) -> tuple[int, int]:
    """Where page `page` starts and ends in the revision's text; NotFound for a page the document lacks."""
    found = db.execute(
        'SELECT start, "end" FROM document_pages WHERE revision_id = ? AND page = ?', [revision_id, page]
    ).fetchone()
    if found is None:
        raise NotFound(f"The document has no page {page}.")
    return found[0], found[1]


def page_at(db: sqlite_utils.Database, revision_id: int, offset: int) -> int | None:
    """The page holding character `offset` of a document revision's text (None for other coverage)."""
    found = db.execute(
        'SELECT page FROM document_pages WHERE revision_id = ? AND start <= ? AND ? <= "end" ORDER BY page LIMIT 1',
        [revision_id, offset, offset],
    ).fetchone()
    return found[0] if found else None


def transcribe_page(db: sqlite_utils.Database, coverage_id: int, page: int, text: str, user: dict | None) -> int:
    """A reporter's typing of what a page says (a scan has no text layer): a new revision with that page's text.

    The earlier revision and the file as received stay as they were; the
    page is marked as transcribed, by whom, so nobody mistakes it for text
    read from the file. Returns the new revision's id.
    """
    text = (text or "").strip()
    if not text:
        raise TrackerError("Type what the page says before saving the transcription.")
    item = coverage.get_item(db, coverage_id)
    if item["kind"] != "document":
        raise TrackerError("Only documents have pages to transcribe.")
    with transaction(db):
        latest = coverage.latest_revision(db, coverage_id)
        if latest is None:
            raise NotFound("The document has no text revision yet.")
        document = get_document(db, latest["id"])
        spans = page_list(db, latest["id"])
        if not any(p["page"] == page for p in spans):
            raise NotFound(f"The document has no page {page}.")
        pages = [latest["text"][p["start"] : p["end"]] for p in spans]
        pages[page - 1] = normalize_text(text)
        transcribed = {p["page"]: p["transcribed_by"] for p in spans}
        transcribed[page] = user["id"] if user else None
        revision_id, created = coverage.add_revision(db, coverage_id, PAGE_SEPARATOR.join(pages), fetched_at=now())
        if created:
            _record_pages(
                db,
                revision_id,
                pages,
                document["media_type"] if document else PDF,
                "transcribed by hand" if document is None else document["extractor"],
                document["capture_id"] if document else None,
                transcribed,
            )
    return revision_id


def _size(stream: BinaryIO) -> int:
    stream.seek(0, io.SEEK_END)
    size = stream.tell()
    stream.seek(0)
    return size
