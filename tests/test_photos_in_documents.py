"""Photos inside documents: a Word or OpenDocument file's pictures, a PDF's images, and what readers get of them.

Every file is built here: a .docx and an .odt (zip files whose media hold a
JPEG with GPS EXIF, the camera's serial and its owner's name), and a PDF
written by hand around the same JPEG as a DCTDecode image (as Word, phones
and scanners write them), or ASCII85-encoded as reportlab writes it.
"""

from __future__ import annotations

import io
import re
import sqlite3
import tracemalloc
import zipfile
import zlib

import pytest
from PIL import Image

from scrapers.documents import read_document
from tests.pdfs import laid_out
from tests.test_photos import OWNER, SERIAL, _pixels, photo
from tracker import captures, claims, documents, photos, reporting, stories, users
from tracker.db import TrackerError
from tracker.publish import publish

GPS = "where it was taken (GPS position)"
SECRETS = (OWNER.encode(), SERIAL.encode(), b"PhoneCam")
DOCUMENT_XML = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
    b"<w:p><w:r><w:t>The kettle tests were skipped in November.</w:t></w:r></w:p></w:body></w:document>"
)


@pytest.fixture
def newsroom(db):
    """An editor, and a published claim resting on a post that files are attached to."""
    editor = users.add_user(db, "edith.editor", "correct-horse-battery", "editor")
    story = stories.create_story(db, "acme-kettles", "Acme kettles", "Questions about Acme Widgets' kettles.")
    post, post_rev = reporting.log_post(
        db, story["id"], url="https://social.example/@acme/1", handle="@acme", text="Kettles are safe.", user=editor
    )
    claim_id = claims.log_claim(db, story["id"], "Acme kettles are safe", "Acme Widgets", "organization", editor)
    claims.add_evidence(db, claim_id, post_rev, "Kettles are safe.", "supports", editor)
    claims.set_published(db, claim_id, True, editor, claims.get_claim(db, claim_id)["version"])
    return {"db": db, "editor": editor, "post": post, "claim": claim_id}


def docx(*media: tuple[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", b'<?xml version="1.0"?><Types/>')
        archive.writestr("word/document.xml", DOCUMENT_XML)
        for name, data in media:
            archive.writestr(name, data)
    return out.getvalue()


def odt(picture: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("mimetype", b"application/vnd.oasis.opendocument.text", zipfile.ZIP_STORED)
        archive.writestr("content.xml", b"<office:document-content/>", zipfile.ZIP_DEFLATED)
        archive.writestr("Pictures/10000000000000200000001.jpg", picture, zipfile.ZIP_DEFLATED)
        archive.writestr("META-INF/manifest.xml", b"<manifest:manifest/>", zipfile.ZIP_DEFLATED)
    return out.getvalue()


def pdf_with_image(jpeg: bytes, *, filters: str = "/DCTDecode", body: bytes | None = None) -> bytes:
    """A one-page PDF drawing `jpeg` as an image XObject, with a correct cross-reference table."""
    with Image.open(io.BytesIO(jpeg)) as image:
        width, height = image.size
    stream = jpeg if body is None else body
    content = b"q 100 0 0 75 72 600 cm /Im1 Do Q BT /F1 12 Tf 72 560 Td (The kettle tests were skipped.) Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /XObject << /Im1 5 0 R >> /Font << /F1 6 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceRGB /BitsPerComponent 8 "
        b"/Filter %s /Length %d >>\nstream\n"
        % (width, height, filters.encode(), len(stream))
        + stream
        + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    return laid_out(objects)


def _image_stream(pdf: bytes) -> bytes:
    start = pdf.index(b"/Subtype /Image")
    start = pdf.index(b"stream\n", start) + len(b"stream\n")
    return pdf[start : pdf.index(b"\nendstream", start)]


def test_a_word_files_photos_are_told_and_readers_get_them_without_their_metadata():
    original = docx(("word/media/image1.jpeg", photo()), ("word/media/image2.png", photo("PNG")))
    found = photos.inside(original)
    assert found.photos == 2 and found.cleanable
    assert found.words[0] == GPS and "the camera's serial number" in found.words
    told = photos.inside_warning(found)
    assert told.startswith(
        "This document holds 2 photos whose metadata records, for one or more of them, "
        "where it was taken (GPS position)"
    )
    assert "a copy published for readers leaves it out" in told

    copy = photos.public_copy(original)
    assert all(secret not in copy for secret in SECRETS)
    with zipfile.ZipFile(io.BytesIO(original)) as before, zipfile.ZipFile(io.BytesIO(copy)) as after:
        assert after.namelist() == before.namelist()
        assert after.read("word/document.xml") == before.read("word/document.xml")  # the text byte for byte
        for name in ("word/media/image1.jpeg", "word/media/image2.png"):
            assert photos.reveals(after.read(name)) == []
            assert _pixels(after.read(name)) == _pixels(before.read(name))  # the same pictures, not re-encoded
    assert photos.inside(copy).photos == 0
    assert read_document(io.BytesIO(copy), documents.DOCX, max_pages=10).pages == (
        "The kettle tests were skipped in November.",
    )


def test_an_opendocument_file_keeps_its_uncompressed_mimetype_first():
    original = odt(photo())
    assert photos.inside(original).words[0] == GPS
    copy = photos.public_copy(original)
    assert OWNER.encode() not in copy
    assert copy[30:38] == b"mimetype" and copy[38:77] == b"application/vnd.oasis.opendocument.text"
    with zipfile.ZipFile(io.BytesIO(copy)) as after:
        assert after.infolist()[0].compress_type == zipfile.ZIP_STORED


def test_a_document_without_photo_metadata_is_published_byte_for_byte():
    plain = io.BytesIO()
    Image.new("RGB", (8, 8)).save(plain, "PNG")
    original = docx(("word/media/image1.png", plain.getvalue()))
    assert photos.inside(original).photos == 0
    assert photos.public_copy(original) is original or photos.public_copy(original) == original


def test_a_pdfs_jpeg_is_cleaned_in_place_so_every_offset_still_holds():
    original = pdf_with_image(photo())
    found = photos.inside(original)
    assert found.photos == 1 and found.cleanable and found.words[0] == GPS
    copy = photos.public_copy(original)
    assert len(copy) == len(original)  # the cross-reference table's offsets are all still true
    assert all(secret not in copy for secret in SECRETS)
    image = _image_stream(copy)
    assert photos.reveals(image) == [] and _pixels(image) == _pixels(_image_stream(original))
    assert photos.inside(copy).photos == 0
    read = read_document(io.BytesIO(copy), documents.PDF, max_pages=10)
    assert "The kettle tests were skipped." in read.pages[0]


def test_a_published_word_file_reaches_readers_without_its_photos_metadata(newsroom, tmp_path):
    db = newsroom["db"]
    original = docx(("word/media/image1.jpeg", photo()))
    kept = reporting.attach_file(db, newsroom["post"], original, filename="memo.docx", media_type=None, user=None)
    captures.set_published(db, kept, True, newsroom["editor"])
    publish(db, tmp_path / "public.db")
    with sqlite3.connect(tmp_path / "public.db") as conn:
        ((body, removed),) = conn.execute("SELECT body, metadata_removed FROM archived_copies").fetchall()
    assert OWNER.encode() not in body and removed == 1
    assert captures.raw_bytes(db, kept) == original and captures.verify(db, kept)  # the newsroom keeps it as is


def _bomb(size: int) -> bytes:
    """A zip whose one member inflates to `size` zero bytes (a two-hundredth of that zipped)."""
    compressor = zlib.compressobj(1, zlib.DEFLATED, -15)
    piece, body = bytes(1 << 20), bytearray()
    for _ in range(size >> 20):
        body += compressor.compress(piece)
    body += compressor.flush()
    crc = 0
    for _ in range(size >> 20):
        crc = zlib.crc32(piece, crc)
    name = b"word/media/image1.jpeg"
    local = b"PK\x03\x04" + (20).to_bytes(2, "little") + bytes(2) + (8).to_bytes(2, "little") + bytes(4)
    sizes = crc.to_bytes(4, "little") + len(body).to_bytes(4, "little") + size.to_bytes(4, "little")
    local += sizes + len(name).to_bytes(2, "little") + bytes(2) + name
    central = b"PK\x01\x02" + (20).to_bytes(2, "little") * 2 + bytes(2) + (8).to_bytes(2, "little") + bytes(4)
    central += sizes + len(name).to_bytes(2, "little") + bytes(12) + (0).to_bytes(4, "little") + name
    end = b"PK\x05\x06" + bytes(4) + (1).to_bytes(2, "little") * 2 + len(central).to_bytes(4, "little")
    end += (len(local) + len(body)).to_bytes(4, "little") + bytes(2)
    return local + bytes(body) + central + end


def _nested(depth: int) -> bytes:
    data = docx(("word/media/image1.jpeg", photo()))
    for _ in range(depth):
        data = docx(("word/embeddings/inner.docx", data))
    return data


def test_a_zip_bomb_is_not_inflated_and_is_said_to_be_unread():
    bomb = _bomb(256 << 20)  # 256 MB of zeros in about 1 MB
    assert len(bomb) < 2 << 20
    tracemalloc.start()
    try:
        found = photos.inside(bomb)
        copy = photos.public_copy(bomb, as_received=True)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert photos.UNREAD_WORDS in found.words and not found.cleanable and found.as_received
    assert copy == bomb  # nothing to clean it with: published as received only once an editor chose that
    assert photos.public_copy(bomb) is None
    assert peak < 16 << 20, f"{peak / 1048576:.0f} MB"
    # Under the bound, a part that is no photo is copied a piece at a time, never held whole.
    zeros = _bomb(48 << 20)
    tracemalloc.start()
    try:
        assert photos.inside(zeros).photos == 0
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 16 << 20, f"{peak / 1048576:.0f} MB"


def test_a_member_that_lies_about_its_size_and_too_many_members_are_refused():
    lying = bytearray(_bomb(64 << 20))
    # Declare 1 KB in both headers: zipfile stops there and the check of its CRC fails.
    for header in (b"PK\x03\x04", b"PK\x01\x02"):
        at = lying.index(header) + (22 if header == b"PK\x03\x04" else 24)
        lying[at : at + 4] = (1024).to_bytes(4, "little")
    assert photos.UNREAD_WORDS in photos.inside(bytes(lying)).words
    many = io.BytesIO()
    with zipfile.ZipFile(many, "w") as archive:
        for i in range(photos.ZIP_MAX_MEMBERS + 1):
            archive.writestr(f"m/{i}", b"")
    assert photos.UNREAD_WORDS in photos.inside(many.getvalue()).words


def test_photos_nested_in_embedded_documents_are_found_to_a_bounded_depth():
    inner = _nested(1)
    assert photos.inside(inner).words[0] == GPS
    assert OWNER.encode() not in _deep_members(photos.public_copy(inner))
    deep = _nested(photos.ZIP_MAX_DEPTH + 1)
    found = photos.inside(deep)
    assert photos.UNREAD_WORDS in found.words and not found.cleanable


def _deep_members(data: bytes) -> bytes:
    """Every member's bytes, nested zips opened (for looking for a secret anywhere in a copy)."""
    out = bytearray()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            member = archive.read(name)
            out += _deep_members(member) if member.startswith(b"PK\x03\x04") else member
    return bytes(out)


def test_a_signed_pdf_is_not_changed():
    original = pdf_with_image(photo()).replace(b"/Type /Catalog", b"/Type /Catalog /Perms << >> /ByteRange [0 1 2 3]")
    found = photos.inside(original)
    assert not found.cleanable and photos.public_copy(original, as_received=True) == original
    assert photos.public_copy(original) is None  # only as received, by an editor's choice
    assert re.search(rb"signature", photos.inside_warning(found).encode())


def test_what_a_file_reveals_is_read_once_when_kept_not_on_every_view(newsroom):
    from tracker.editor.coverage import received_list

    db = newsroom["db"]
    photo_id = reporting.attach_file(db, newsroom["post"], photo(), filename="IMG_1.jpg", media_type=None, user=None)
    memo = docx(("word/media/image1.jpeg", photo("PNG")))
    memo_id = reporting.attach_file(db, newsroom["post"], memo, filename="memo.docx", media_type=None, user=None)
    # The bytes kept are no longer read for it: a page of fifty photos read 2.7 MB of each on every view.
    db.execute("UPDATE capture_blobs SET body = ?", [zlib.compress(b"gone")])
    listed = {k["id"]: k for k in received_list(db, newsroom["post"])}
    assert listed[photo_id]["reveals"][0] == GPS
    assert listed[memo_id]["reveals"][0] == GPS
    assert listed[memo_id]["inside_note"].startswith("This document holds a photo whose metadata records where")
    assert listed[photo_id]["inside_note"] is None


def test_a_pdf_photo_that_cannot_be_cleaned_in_place_is_told_and_published_only_once_confirmed(newsroom, tmp_path):
    import base64

    encoded = base64.a85encode(photo(), wrapcol=72) + b"~>"
    original = pdf_with_image(photo(), filters="[/ASCII85Decode /DCTDecode]", body=encoded)
    found = photos.inside(original)
    assert found.photos == 1 and not found.cleanable and found.words[0] == GPS
    told = photos.inside_warning(found)
    assert "cannot be removed" in told and "an editor must confirm" in told

    db = newsroom["db"]
    kept = reporting.attach_file(db, newsroom["post"], original, filename="report.pdf", media_type=None, user=None)
    with pytest.raises(TrackerError, match="cannot be removed"):
        captures.set_published(db, kept, True, newsroom["editor"])
    assert not captures.get_capture(db, kept)["published"]
    captures.set_published(db, kept, True, newsroom["editor"], confirmed=True)
    publish(db, tmp_path / "public.db")
    with sqlite3.connect(tmp_path / "public.db") as conn:
        ((body, removed),) = conn.execute("SELECT body, metadata_removed FROM archived_copies").fetchall()
    assert body == original and removed == 0  # nothing else to clean: as received, as the editor confirmed
    assert documents.metadata_kept(body) == "an encoded photo's"


def test_the_reporter_is_told_on_uploading_a_document_with_photos(client, auth, accounts, story, db):
    from tests.conftest import upload_document

    auth.login("reporter")
    response = upload_document(client, story, docx(("word/media/image1.jpeg", photo())), "memo.docx")
    assert response.status_code == 302
    shown = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "This document holds a photo whose metadata records where it was taken (GPS position)" in shown
    assert shown.count("whose metadata records where it was taken") == 2  # the flash, and beside the file
    assert OWNER not in shown and SERIAL not in shown


@pytest.mark.parametrize(
    ("made", "filename"),
    [(lambda: pdf_with_image(photo()), "report.pdf"), (lambda: docx(("word/media/image1.jpeg", photo())), "memo.docx")],
)
def test_a_document_cleaned_is_said_to_have_left_its_photos_metadata_out(
    newsroom, tmp_path, monkeypatch, made, filename
):
    from bs4 import BeautifulSoup

    from tests.test_public import get
    from tracker.public import make_datasette

    db = newsroom["db"]
    original = made()
    kept = reporting.attach_file(db, newsroom["post"], original, filename=filename, media_type=None, user=None)
    captures.set_published(db, kept, True, newsroom["editor"])
    publish(db, tmp_path / "public.db")
    with sqlite3.connect(tmp_path / "public.db") as conn:
        ((body, removed),) = conn.execute("SELECT body, metadata_removed FROM archived_copies").fetchall()
    assert OWNER.encode() not in body and removed == 1
    if filename.endswith(".pdf"):
        assert len(body) == len(original)
    monkeypatch.setenv("TRACKER_PUBLIC_URL", "https://tracker.example")
    page = get(make_datasette(str(tmp_path / "public.db")), f"/public/claims/{newsroom['claim']}")
    (link,) = BeautifulSoup(page.text, "html.parser").select("a[href*='archived_copies']")
    assert link.get_text() == "archived copy, without its metadata"


def test_the_editor_confirms_publishing_a_document_whose_photos_cannot_be_cleaned(client, auth, accounts, story, db):
    import base64

    from tests.conftest import csrf_from, upload_document

    encoded = base64.a85encode(photo(), wrapcol=72) + b"~>"
    original = pdf_with_image(photo(), filters="[/ASCII85Decode /DCTDecode]", body=encoded)
    auth.login("editor")
    response = upload_document(client, story, original, "report.pdf")
    assert response.status_code == 302
    shown = client.get(response.headers["Location"]).get_data(as_text=True).replace("&#39;", "'")
    assert "That metadata cannot be removed from it" in shown
    assert 'name="confirmed"' in shown
    (capture_id,) = [k["id"] for k in captures.captures_for(db, coverage_id=1)]
    token = csrf_from(shown)
    refused = client.post(f"/captures/{capture_id}/publish", data={"csrf_token": token, "published": "1"})
    assert "Confirm to publish it all the same." in refused.get_data(as_text=True)
    assert not captures.get_capture(db, capture_id)["published"]
    done = client.post(
        f"/captures/{capture_id}/publish",
        data={"csrf_token": token, "published": "1", "confirmed": "1"},
        follow_redirects=True,
    )
    told = done.get_data(as_text=True).replace("&#39;", "'")
    assert "Readers get it as received, as you confirmed; what could not be removed: an encoded photo's." in told
    assert captures.get_capture(db, capture_id)["published"]


def test_the_api_publishes_such_a_document_only_when_confirmed(client, accounts, story, db):
    import base64

    from tests.test_api import Api

    encoded = base64.a85encode(photo(), wrapcol=72) + b"~>"
    original = pdf_with_image(photo(), filters="[/ASCII85Decode /DCTDecode]", body=encoded)
    api = Api(client, users.create_token(db, "editor"))
    post = reporting.log_post(db, story["id"], url="https://social.example/@a/2", handle="@a", text="t", user=None)[0]
    kept = reporting.attach_file(db, post, original, filename="report.pdf", media_type=None, user=None)
    refused = api.call("POST", f"/captures/{kept}/publish", json={"published": True})
    assert refused.status_code == 400 and "Confirm to publish it all the same." in refused.get_json()["message"]
    done = api.call("POST", f"/captures/{kept}/publish", json={"published": True, "confirmed": True})
    assert done.status_code == 200 and done.get_json()["published"] is True
    assert done.get_json()["reveals"][0] == GPS


def test_pdfs_attached_to_pdfs_a_thousand_deep_are_said_to_be_unread():
    data = pdf_with_image(photo())
    for _ in range(1000):
        data = (
            b"%%PDF-1.4\n1 0 obj\n<< /Type /EmbeddedFile /Filter /FlateDecode /Length %d >>\nstream\n" % len(data)
            + zlib.compress(data)
            + b"\nendstream\nendobj\n%EOF\n"
        )
    found = photos.inside(data)
    assert photos.UNREAD_WORDS in found.words and not found.cleanable
    assert photos.inside_warning(found).startswith("Part of it could not be read in full")
    assert photos.public_copy(data) == data


def gif_with_comment() -> bytes:
    """A real two-frame GIF (Pillow) with a comment naming its owner, and an XMP packet as Photoshop writes it."""
    frames = [Image.new("P", (16, 12), color) for color in (1, 2)]
    for frame in frames:
        frame.putpalette([0, 0, 0, 200, 30, 30, 30, 200, 30] + [0] * 759)
    out = io.BytesIO()
    frames[0].save(out, "GIF", save_all=True, append_images=frames[1:], loop=0, duration=100, comment=OWNER.encode())
    data = out.getvalue()
    xmp = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><exif:GPSLatitude>51,30.2N</exif:GPSLatitude>'
    xmp += b"<aux:SerialNumber>" + SERIAL.encode() + b"</aux:SerialNumber></x:xmpmeta>"
    # An application extension "XMP DataXMP": the packet as it is, then the "magic trailer" of the XMP
    # specification (part 3), which leads a reader taking it for sub-blocks to their end.
    extension = b"\x21\xff\x0bXMP DataXMP" + xmp + b"\x01" + bytes(range(0xFF, -1, -1)) + b"\x00"
    first_image = data.index(b"\x21\xf9")  # before the first frame's graphic control extension
    return data[:first_image] + extension + data[first_image:]


def tiff_with_tags() -> bytes:
    """A real two-page TIFF (Pillow): its tags name the photographer and describe the picture, with GPS EXIF, XMP."""
    from PIL import TiffImagePlugin

    image = Image.new("RGB", (32, 24))
    image.putdata([(x * 7 % 256, y * 11 % 256, (x + y) % 256) for y in range(24) for x in range(32)])
    info = TiffImagePlugin.ImageFileDirectory_v2()
    info[315] = OWNER  # Artist
    info[270] = "Kettle line, taken by Jane from the QA office"  # ImageDescription
    info[271], info[272] = "Acme", "PhoneCam 9"
    info[700] = b"<x:xmpmeta><aux:SerialNumber>" + SERIAL.encode() + b"</aux:SerialNumber></x:xmpmeta>"
    info[0x8825] = {1: "N", 2: (51.0, 30.0, 12.5), 3: "W", 4: (0.0, 7.0, 39.0)}  # GPS
    info[0x8769] = {0xA430: OWNER, 0xA431: SERIAL}  # EXIF: the camera's owner and serial number
    out = io.BytesIO()
    second = Image.new("RGB", (8, 6), (200, 30, 30))  # a second page
    image.save(out, "TIFF", tiffinfo=info, save_all=True, append_images=[second])
    return out.getvalue()


def test_a_gif_and_a_tiff_inside_a_word_file_are_cleaned_and_need_no_confirmation():
    gif, tiff = gif_with_comment(), tiff_with_tags()
    assert OWNER.encode() in gif and SERIAL.encode() in gif and OWNER.encode() in tiff
    original = docx(("word/media/image1.gif", gif), ("word/media/image2.tiff", tiff))
    found = photos.inside(original)
    assert found.photos == 2 and found.cleanable, found
    assert GPS in found.words and "the name of whoever took or edited it (Artist)" in found.words
    assert "a description or comment" in found.words
    copy = photos.public_copy(original)
    assert all(secret not in _deep_members(copy) for secret in (OWNER.encode(), SERIAL.encode(), b"PhoneCam"))
    with zipfile.ZipFile(io.BytesIO(copy)) as after:
        for name, before in (("word/media/image1.gif", gif), ("word/media/image2.tiff", tiff)):
            cleaned = after.read(name)
            assert photos.reveals(cleaned) == []
            with Image.open(io.BytesIO(cleaned)) as image, Image.open(io.BytesIO(before)) as was:
                assert getattr(image, "n_frames", 1) == getattr(was, "n_frames", 1)
                for frame in range(getattr(was, "n_frames", 1)):
                    image.seek(frame)
                    was.seek(frame)
                    assert image.convert("RGB").tobytes() == was.convert("RGB").tobytes()  # the same pictures
    assert photos.inside(copy).photos == 0


def test_a_gif_without_a_comment_says_nothing_and_a_photo_cut_short_is_said_so():
    plain = io.BytesIO()
    Image.new("P", (8, 8)).save(plain, "GIF")
    assert photos.reveals(plain.getvalue()) == []
    assert photos.without_metadata(plain.getvalue()) == plain.getvalue()
    assert photos.UNREAD_WORDS in photos.reveals(gif_with_comment()[:60])
    assert photos.without_metadata(tiff_with_tags()[:200]) is None


def test_a_heic_photo_inside_a_word_file_still_needs_an_editors_confirmation_and_says_why(newsroom):
    heic = b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"\x00\x00\x00\x10meta" + OWNER.encode()[:4]
    original = docx(("word/media/image1.jpeg", photo()), ("word/media/image2.heic", heic))
    found = photos.inside(original)
    assert found.photos == 2 and not found.cleanable
    told = photos.inside_warning(found)
    assert "a HEIC or HEIF photo, which the tracker cannot clean" in told and "an editor must confirm" in told
    db = newsroom["db"]
    kept = reporting.attach_file(db, newsroom["post"], original, filename="memo.docx", media_type=None, user=None)
    with pytest.raises(TrackerError, match="a HEIC or HEIF photo, which the tracker cannot clean"):
        captures.set_published(db, kept, True, newsroom["editor"])
    captures.set_published(db, kept, True, newsroom["editor"], confirmed=True)


def test_a_confirmed_document_reaches_readers_with_all_it_can_be_cleaned_of_cleaned(newsroom, tmp_path, monkeypatch):
    """A Word file holding a HEIC photo (which cannot be cleaned) and a GPS-tagged JPEG, and naming its author:
    once an editor confirms, readers get the JPEG without its metadata and the file without its author; only
    the HEIC photo is as received, and the label says so."""
    from bs4 import BeautifulSoup

    from tests.test_document_properties import CORE_XML, _members
    from tests.test_public import get
    from tracker.public import make_datasette

    heic = b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"\x00\x00\x00\x10meta" + OWNER.encode()[:4]
    original = docx(
        ("docProps/core.xml", CORE_XML), ("word/media/image1.jpeg", photo()), ("word/media/image2.heic", heic)
    )
    copy = photos.public_copy(original)
    before, after = _members(original), _members(copy)
    assert list(after) == list(before)
    assert photos.reveals(after["word/media/image1.jpeg"]) == []
    assert _pixels(after["word/media/image1.jpeg"]) == _pixels(before["word/media/image1.jpeg"])
    assert after["word/media/image2.heic"] == heic  # the one part that cannot be cleaned, as received
    assert OWNER.encode() not in after["docProps/core.xml"] and after["word/document.xml"] == DOCUMENT_XML
    assert documents.metadata_kept(copy) == "a HEIC photo's"

    db = newsroom["db"]
    kept = reporting.attach_file(db, newsroom["post"], original, filename="memo.docx", media_type=None, user=None)
    with pytest.raises(TrackerError, match="the rest of its metadata removed"):
        captures.set_published(db, kept, True, newsroom["editor"])
    captures.set_published(db, kept, True, newsroom["editor"], confirmed=True)
    publish(db, tmp_path / "public.db")
    with sqlite3.connect(tmp_path / "public.db") as conn:
        ((body, removed, left),) = conn.execute(
            "SELECT body, metadata_removed, metadata_kept FROM archived_copies"
        ).fetchall()
    assert body == copy and removed == 1 and left == "a HEIC photo's"
    assert captures.raw_bytes(db, kept) == original and captures.verify(db, kept)  # the newsroom keeps it as is
    monkeypatch.setenv("TRACKER_PUBLIC_URL", "https://tracker.example")
    page = get(make_datasette(str(tmp_path / "public.db")), f"/public/claims/{newsroom['claim']}")
    (link,) = BeautifulSoup(page.text, "html.parser").select("a[href*='archived_copies']")
    assert link.get_text() == "archived copy, metadata partly removed: a HEIC photo's could not be"


def test_the_editor_confirming_a_word_file_with_a_heic_photo_is_told_all_else_is_cleaned(
    client, auth, accounts, story, db
):
    from tests.conftest import csrf_from, upload_document

    heic = b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"\x00\x00\x00\x10meta" + OWNER.encode()[:4]
    original = docx(("word/media/image1.jpeg", photo()), ("word/media/image2.heic", heic))
    auth.login("editor")
    response = upload_document(client, story, original, "memo.docx")
    shown = client.get(response.headers["Location"]).get_data(as_text=True).replace("&#39;", "'")
    assert "before a copy is published with that left in and the rest of its metadata removed" in shown
    (capture_id,) = [k["id"] for k in captures.captures_for(db, coverage_id=1)]
    done = client.post(
        f"/captures/{capture_id}/publish",
        data={"csrf_token": csrf_from(shown), "published": "1", "confirmed": "1"},
        follow_redirects=True,
    )
    told = done.get_data(as_text=True).replace("&#39;", "'")
    assert (
        "Readers get it with its metadata removed, as you confirmed, but for what could not be: a HEIC photo's" in told
    )
    assert "as received, as you confirmed" not in told
