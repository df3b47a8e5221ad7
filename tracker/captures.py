"""Items kept as received: the raw bytes (zlib-compressed), response headers, when and how, and a SHA-256.

Every page revision stored from a fetch or a file, every document, and every
file attached to the newsroom's reporting or to a post keeps one capture:
the bytes exactly as they came, so when an outlet edits or deletes an
article the tracker can show, and prove, what it received. The bytes live
once per distinct SHA-256 in capture_blobs (a page fetched again unchanged,
or one file attached twice, costs one row of metadata); they are compressed
with zlib (standard library, level 6: HTML shrinks four- to eightfold, PDFs
little, and bench/documents.py reports the bytes kept per byte of text as
raw_storage_ratio).

Large files never sit in memory whole: prepare() reads a stream in 1 MiB
pieces, hashing and compressing into a temporary file, and keep() writes that
into the blob with SQLite's incremental blob I/O; reading back streams the
same way (chunks()).
"""

from __future__ import annotations

import hashlib
import json
import mmap
import tempfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import BinaryIO

import sqlite_utils

from scrapers.article import without_controls
from scrapers.documents import DOCX, PDF, reveals_of
from tracker import photos
from tracker.db import NotFound, TrackerError, now, one, rows, transaction
from tracker.users import can_rule
from tracker.vocab import CAPTURE_ROLES

CHUNK = 1 << 20
HEAD_PIECE = 64 << 10  # compressed bytes read at a time for the start of an item
LEVEL = 6
# A temporary file holds a compressed item in memory up to this size, then spills to disk.
SPOOL_BYTES = 8 << 20
# Response headers kept: all of them, up to this many (a hostile server could send thousands).
MAX_HEADERS = 200
# Characters of the name a file was uploaded or saved under that a capture keeps (the public build
# matches documents titled by it: tracker/public_tables.py).
FILENAME_MAX = 255
SHOWN_NAME = 80  # characters of a file's name a message quotes
ROLES = CAPTURE_ROLES
HOWS = ("fetched", "file", "upload")


class CaptureNotFound(NotFound):
    def __init__(self, capture_id: int):
        super().__init__(f"No item kept as received with id {capture_id}.")


@dataclass(frozen=True)
class Received:
    """How an item came to us: fetched (with the HTTP answer), read from a file, or uploaded.

    `filename` is kept as file_name() reads it: the name, never the folders a client sent with it.
    """

    how: str
    url: str | None = None
    filename: str | None = None
    status: int | None = None
    headers: dict[str, str] = field(default_factory=dict)
    media_type: str | None = None
    received_at: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "filename", file_name(self.filename))

    @property
    def shown(self) -> str:
        """The file's name as a one-line message opens with it: cut to SHOWN_NAME, or "That file" for none."""
        name = self.filename or "That file"
        return name if len(name) <= SHOWN_NAME else name[: SHOWN_NAME - 1] + "…"


def file_name(name: str | None) -> str | None:
    """The name a file was uploaded or saved under, as the tracker keeps and shows it; None for none.

    A client may send any name: its folders ("C:\\Users\\jane.doe\\Desktop\\memo.pdf", "../../memo.pdf"),
    line breaks, escape codes. What is kept is the last part, on one line, without control characters:
    it titles a document with no title of its own in the editor, in alerts and on terminals, and a
    folder names whoever saved it.
    """
    name = " ".join(without_controls((name or "").replace("\\", "/").rsplit("/", 1)[-1]).split())
    return name or None


@dataclass
class Prepared:
    """An item hashed and compressed, ready to keep: its digest, size, and the compressed bytes in a spool file."""

    sha256: str
    size: int
    stored: int
    spool: tempfile.SpooledTemporaryFile

    def close(self) -> None:
        self.spool.close()


def received_from_response(response, how: str = "fetched") -> Received:
    """A Received for an HTTP answer of scrapers.http (its final URL, status, headers and type)."""
    headers = dict(list((getattr(response, "headers", None) or {}).items())[:MAX_HEADERS])
    return Received(
        how=how,
        url=getattr(response, "url", None),
        status=getattr(response, "status", None),
        headers=headers,
        media_type=getattr(response, "content_type", None),
        received_at=now(),
    )


def prepare(source: bytes | BinaryIO) -> Prepared:
    """Hash and compress bytes or a readable stream in one pass, 1 MiB at a time."""
    digest = hashlib.sha256()
    compressor = zlib.compressobj(LEVEL)
    spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)
    size = 0
    for piece in _pieces(source):
        digest.update(piece)
        size += len(piece)
        spool.write(compressor.compress(piece))
    spool.write(compressor.flush())
    stored = spool.tell()
    spool.seek(0)
    return Prepared(digest.hexdigest(), size, stored, spool)


def keep(
    db: sqlite_utils.Database,
    coverage_id: int,
    item: Prepared | bytes | BinaryIO,
    received: Received,
    *,
    role: str,
    revision_id: int | None = None,
    user: dict | None = None,
) -> int:
    """Keep an item as received for a coverage item (and revision); returns the capture's id.

    Call prepare() first, outside the write transaction, for anything large:
    the lock is then held only to copy compressed bytes into the blob.
    """
    if role not in ROLES:
        raise TrackerError(f"Unknown capture role {role!r}.")
    if received.how not in HOWS:
        raise TrackerError(f"Unknown way of receiving {received.how!r}.")
    prepared = item if isinstance(item, Prepared) else prepare(item)
    try:
        examined = _examine_prepared(prepared) if role != "page" else None
        with transaction(db):
            blob_id = _blob(db, prepared)
            cur = db.execute(
                """INSERT INTO captures (coverage_id, revision_id, role, how, url, filename, status, headers,
                       media_type, received_at, blob_id, sha256, size, added_by, reveals)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                [
                    coverage_id,
                    revision_id,
                    role,
                    received.how,
                    received.url,
                    (received.filename or "")[:FILENAME_MAX] or None,
                    received.status,
                    json.dumps(received.headers, ensure_ascii=False, sort_keys=True),
                    received.media_type,
                    received.received_at or now(),
                    blob_id,
                    prepared.sha256,
                    prepared.size,
                    user["id"] if user else None,
                    examined,
                ],
            )
            return cur.lastrowid
    finally:
        if prepared is not item:
            prepared.close()


def _blob(db: sqlite_utils.Database, prepared: Prepared) -> int:
    """The blob row holding these bytes: the existing one for a known SHA-256, else a new one written in pieces."""
    found = db.execute("SELECT id FROM capture_blobs WHERE sha256 = ?", [prepared.sha256]).fetchone()
    if found:
        return found[0]
    cur = db.execute(
        "INSERT INTO capture_blobs (sha256, size, compression, stored, body) VALUES (?, ?, 'zlib', ?, zeroblob(?))",
        [prepared.sha256, prepared.size, prepared.stored, prepared.stored],
    )
    blob_id = cur.lastrowid
    if prepared.stored:
        prepared.spool.seek(0)
        with db.conn.blobopen("capture_blobs", "body", blob_id) as blob:
            while piece := prepared.spool.read(CHUNK):
                blob.write(piece)
    return blob_id


def _pieces(source: bytes | BinaryIO) -> Iterator[bytes]:
    if isinstance(source, bytes | bytearray | memoryview):
        view = memoryview(source)
        for start in range(0, len(view), CHUNK):
            yield bytes(view[start : start + CHUNK])
        return
    while piece := source.read(CHUNK):
        yield piece


def get_capture(db: sqlite_utils.Database, capture_id: int) -> dict:
    """One capture's record (headers decoded), without its bytes."""
    capture = one(
        db,
        """SELECT k.*, b.stored, c.story_id, c.kind AS coverage_kind, c.title, c.outlet, c.canonical_url
           FROM captures k JOIN capture_blobs b ON b.id = k.blob_id
           JOIN coverage c ON c.id = k.coverage_id WHERE k.id = ?""",
        [capture_id],
    )
    if capture is None:
        raise CaptureNotFound(capture_id)
    capture["headers"] = json.loads(capture["headers"] or "{}")
    return capture


def chunks(db: sqlite_utils.Database, capture_id: int) -> Iterator[bytes]:
    """The capture's bytes as received, decompressed piece by piece (a 50 MB PDF never whole in memory)."""
    blob_id = db.execute("SELECT blob_id FROM captures WHERE id = ?", [capture_id]).fetchone()
    if blob_id is None:
        raise CaptureNotFound(capture_id)
    decompressor = zlib.decompressobj()
    with db.conn.blobopen("capture_blobs", "body", blob_id[0], readonly=True) as blob:
        while piece := blob.read(CHUNK):
            out = decompressor.decompress(piece)
            if out:
                yield out
    tail = decompressor.flush()
    if tail:
        yield tail


def reveals(db: sqlite_utils.Database, capture: dict) -> list[str]:
    """What a kept photo's metadata, or the photos inside a kept document, record, in words (tracker/photos.py);
    [] for anything else. Read once when the item was kept (examine()), never again on a view."""
    return _examined(capture)["words"]


def reveals_note(capture: dict) -> str | None:
    """The sentence a reporter or editor is shown of a photo or a document holding photos, or of a file that cannot
    be cleaned at all; None for nothing."""
    found = _examined(capture)
    if found.get("as_received"):
        return photos.as_received_warning(found["as_received"], found.get("records", ()))
    if not found["words"]:
        return None
    if found.get("photo"):
        return photos.warning(found["words"])
    return photos.inside_warning(
        photos.Inside(
            found["photos"], tuple(found["words"]), found["cleanable"], found["signed"], tuple(found.get("why", ()))
        )
    )


def inside_note(capture: dict) -> str | None:
    """The sentence shown beside a document holding photos whose metadata records anything; None otherwise."""
    return None if _examined(capture).get("photo") else reveals_note(capture)


def needs_confirming(capture: dict) -> str | None:
    """Why a document's copy can be published only once an editor confirms (some of its photos' metadata cannot
    be left out of it, though all the rest is; or nothing at all can be: cannot_be_cleaned); None when it can be
    published without that."""
    found = _examined(capture)
    if found.get("as_received") or found["words"] and not found.get("photo") and not found["cleanable"]:
        return reveals_note(capture)
    return None


def cannot_be_cleaned(capture: dict) -> str | None:
    """Why nothing at all can be cleaned of a file's copy (signed, an encrypted PDF, a file that could not be read,
    a compound Office file: tracker/photos.py Inside.as_received), so readers get it only as received, when an
    editor chose that; None for any other file."""
    return _examined(capture).get("as_received") or None


def _examined(capture: dict) -> dict:
    stored = capture.get("reveals")
    return json.loads(stored) if isinstance(stored, str) else {"words": []}


def examine(data: bytes | mmap.mmap) -> str | None:
    """What a file records that can identify who took its photos, where and with what, as captures.reveals keeps
    it (JSON), or None for nothing: a photo's own metadata, or what the photos inside a document record. A file
    that cannot be cleaned at all also keeps why (`as_received`) and what it records (`records`: its properties'
    words and its photos'), for the editor who would publish it as received."""
    if photos.kind(data[:16]) is not None:
        words = photos.reveals(bytes(data))
        return json.dumps({"photo": True, "words": words}) if words else None
    found = photos.inside(data)
    if not found.photos and not found.as_received:
        return None
    record = {
        "words": list(found.words),
        "photos": found.photos,
        "cleanable": found.cleanable,
        "signed": found.signed,
        "why": list(found.why),
    }
    if found.as_received:
        media_type = DOCX if data[:4] == b"PK\x03\x04" else PDF if photos.is_container(data) else None
        properties = reveals_of(photos.reader(data), media_type) if media_type else ()
        if found.as_received == photos.SIGNED_AS_RECEIVED:
            properties = (photos.SIGNER_WORDS, *properties)
        record["as_received"] = found.as_received
        record["records"] = list(dict.fromkeys([*properties, *(w for w in found.words if w != photos.UNREAD_WORDS)]))
    return json.dumps(record)


def _examine_prepared(prepared: Prepared) -> str | None:
    """examine() of a prepared item's bytes; only photos, zips and PDFs are inflated whole (uploads are bounded
    by their size limits: tracker/config.py, tracker/reporting.py)."""
    prepared.spool.seek(0)
    inflater = zlib.decompressobj()
    start = inflater.decompress(prepared.spool.read(HEAD_PIECE), 1024)
    if photos.kind(start[:16]) is None and not photos.is_container(start) and not photos.is_compound(start):
        prepared.spool.seek(0)
        return None
    prepared.spool.seek(0)
    # Inflated to a file and mapped, not into memory: a 50 MB PDF is read while its pages' text is held too.
    with tempfile.TemporaryFile() as raw:
        for piece in _inflated(prepared.spool):
            raw.write(piece)
        raw.flush()
        prepared.spool.seek(0)
        with mmap.mmap(raw.fileno(), 0, access=mmap.ACCESS_READ) as data:
            return examine(data)


def _inflated(spool) -> Iterator[bytes]:
    decompressor = zlib.decompressobj()
    while piece := spool.read(CHUNK):
        yield decompressor.decompress(piece)
    yield decompressor.flush()


def raw_bytes(db: sqlite_utils.Database, capture_id: int) -> bytes:
    """The whole capture as received (for small items: pages, screenshots)."""
    return b"".join(chunks(db, capture_id))


def verify(db: sqlite_utils.Database, capture_id: int) -> bool:
    """True when the bytes kept still hash to the SHA-256 recorded when they were received."""
    digest = hashlib.sha256()
    for piece in chunks(db, capture_id):
        digest.update(piece)
    return digest.hexdigest() == get_capture(db, capture_id)["sha256"]


def captures_for(
    db: sqlite_utils.Database, *, coverage_id: int | None = None, claim_id: int | None = None
) -> list[dict]:
    """Captures of one coverage item, or of every item a claim's evidence cites (with the revision each keeps)."""
    if claim_id is not None:
        where = """k.coverage_id IN (SELECT r.coverage_id FROM evidence e JOIN revisions r ON r.id = e.revision_id
                                     WHERE e.claim_id = :claim_id)"""
    else:
        where = "k.coverage_id = :coverage_id"
    return rows(
        db,
        f"""SELECT k.id, k.coverage_id, k.revision_id, k.role, k.how, k.url, k.filename, k.status, k.media_type,
                   k.received_at, k.sha256, k.size, k.published, k.published_at, k.reveals, b.stored,
                   c.title, c.outlet, c.canonical_url, c.kind AS coverage_kind
            FROM captures k JOIN capture_blobs b ON b.id = k.blob_id JOIN coverage c ON c.id = k.coverage_id
            WHERE {where} ORDER BY k.coverage_id, k.id""",
        {"claim_id": claim_id, "coverage_id": coverage_id},
    )


def for_revisions(db: sqlite_utils.Database, revision_ids: list[int]) -> dict[int, dict]:
    """The capture kept with each of these revisions (the bytes that revision's text was read from)."""
    if not revision_ids:
        return {}
    marks = ", ".join("?" for _ in revision_ids)
    found = rows(
        db,
        f"""SELECT revision_id, id, received_at, sha256, size, how, url, published FROM captures
            WHERE revision_id IN ({marks}) ORDER BY id""",
        list(revision_ids),
    )
    return {row["revision_id"]: row for row in found}


def set_published(
    db: sqlite_utils.Database, capture_id: int, published: bool, user: dict | None, *, confirmed: bool = False
) -> dict:
    """An editor's choice to publish (or withdraw) the archived copy of an item on the public site.

    A document holding photos whose metadata cannot be left out of its copy
    (needs_confirming) is published only when the editor `confirmed` it,
    having been told what those photos record: its copy leaves out all the
    rest (tracker/photos.py public_copy). A file nothing can be cleaned of
    (cannot_be_cleaned) is published as received, and only so confirmed.
    Every choice is kept in archived_copy_choices (append-only): who, when,
    publish or withdraw, whether as received, and what they were told; the
    public build publishes such a file only on a choice to publish it as
    received (tracker/public_tables.py).
    """
    if not can_rule(user):
        from tracker.claims import PermissionDenied

        raise PermissionDenied("Only editors decide which archived copies are published.")
    capture = get_capture(db, capture_id)
    if capture["coverage_kind"] == "reporting":
        raise TrackerError("Files of the newsroom's own reporting are never published.")
    if published:
        from tracker.publish import public_value_limit

        limit = public_value_limit()
        if capture["size"] > limit:  # a publish would then be refused until the copy is withdrawn
            raise TrackerError(
                f"This copy is {capture['size']:,} bytes; the public site serves copies up to {limit:,} "
                "(max_value_bytes in metadata.yml). Link to the original instead; the copy stays in the archive."
            )
        data = raw_bytes(db, capture_id)
        if photos.kind(data[:16]) is not None and photos.public_copy(data) is None:  # metadata that cannot go
            raise TrackerError(
                "This image's copy cannot leave its metadata out (where, when and by whom it was taken), so it is "
                "never published: attach a JPEG, PNG, WebP, GIF or TIFF copy of it (a screenshot) and publish that."
            )
        told = needs_confirming(capture)
        as_received = cannot_be_cleaned(capture) is not None
        if told and not confirmed:
            raise TrackerError(f"{told} Confirm to publish it {'as received' if as_received else 'all the same'}.")
    else:
        told, as_received = None, False
    at = now()
    with transaction(db):
        db.execute(
            "UPDATE captures SET published = ?, published_by = ?, published_at = ? WHERE id = ?",
            [int(bool(published)), user["id"], at if published else None, capture_id],
        )
        record_choice(db, capture_id, published, as_received=as_received, told=told, user=user, at=at)
    return get_capture(db, capture_id)


def record_choice(
    db: sqlite_utils.Database,
    capture_id: int,
    published: bool,
    *,
    as_received: bool,
    told: str | None,
    user: dict | None,
    at: str | None = None,
) -> None:
    """One row of archived_copy_choices (append-only): a copy published or withdrawn, by whom (None: the tracker
    itself), whether as received, and what the editor was told and confirmed (or why the tracker withdrew it)."""
    db.execute(
        """INSERT INTO archived_copy_choices (capture_id, published, as_received, told, by, at)
           VALUES (?, ?, ?, ?, ?, ?)""",
        [
            capture_id,
            int(bool(published)),
            int(bool(published and as_received)),
            told,
            user and user["id"],
            at or now(),
        ],
    )


def storage(db: sqlite_utils.Database) -> dict:
    """Bytes kept for raw page captures against the bytes of the text read from them (raw_storage_ratio)."""
    stored, received, text = db.execute(
        """SELECT coalesce(sum(b.stored), 0), coalesce(sum(b.size), 0), coalesce(sum(length(CAST(r.text AS BLOB))), 0)
           FROM captures k JOIN capture_blobs b ON b.id = k.blob_id JOIN revisions r ON r.id = k.revision_id
           WHERE k.role = 'page'"""
    ).fetchone()
    return {"stored_bytes": stored, "received_bytes": received, "text_bytes": text}
