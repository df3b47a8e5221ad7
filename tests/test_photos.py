"""Photos as evidence: kept as received with their metadata, the reporter told what it reveals, never published.

Real photos are made with Pillow (installed for the tests with reportlab); the
tracker itself reads the metadata markers without it (tracker/photos.py).
"""

from __future__ import annotations

import hashlib
import io
import sqlite3

import pytest
from PIL import Image

from tracker import captures, claims, photos, reporting, stories, users
from tracker.db import TrackerError
from tracker.publish import publish

OWNER = "Jane Whistleblower"
SERIAL = "SN-4471-0099"


def photo(fmt: str = "JPEG", *, orientation: int | None = None) -> bytes:
    """A small real photo whose EXIF holds a GPS position, the camera's serial number and its owner's name."""
    image = Image.new("RGB", (32, 24))
    image.putdata([(x * 7 % 256, y * 11 % 256, (x + y) % 256) for y in range(24) for x in range(32)])
    exif = Image.Exif()
    exif[0x010F] = "Acme"
    exif[0x0110] = "PhoneCam 9"
    if orientation:
        exif[0x0112] = orientation
    exif.get_ifd(0x8769).update({0xA430: OWNER, 0xA431: SERIAL})
    exif.get_ifd(0x8825).update({1: "N", 2: (51.0, 30.0, 12.5), 3: "W", 4: (0.0, 7.0, 39.0)})
    out = io.BytesIO()
    image.save(out, fmt, exif=exif.tobytes(), **({"quality": 95} if fmt == "JPEG" else {}))
    return out.getvalue()


def _pixels(data: bytes) -> bytes:
    with Image.open(io.BytesIO(data)) as image:
        return image.convert("RGB").tobytes()


@pytest.fixture
def newsroom(db):
    editor = users.add_user(db, "edith.editor", "correct-horse-battery", "editor")
    desk = users.add_user(db, "dan.desk", "correct-horse-battery", "reporter")
    story = stories.create_story(db, "acme-kettles", "Acme kettles", "Questions about Acme Widgets' kettles.")
    post, post_rev = reporting.log_post(
        db,
        story["id"],
        url="https://social.example/@acme/1",
        handle="@acmewidgets",
        text="Our kettles are safe. Always.",
        user=desk,
        posted_at="2025-11-22T10:00:00Z",
    )
    claim_id = claims.log_claim(db, story["id"], "Acme kettles are safe", "Acme Widgets", "organization", desk)
    claims.add_evidence(db, claim_id, post_rev, "Our kettles are safe.", "supports", desk)
    claims.set_published(db, claim_id, True, editor, claims.get_claim(db, claim_id)["version"])
    return {"db": db, "editor": editor, "desk": desk, "story": story, "post": post, "claim": claim_id}


def _copies(path) -> list[tuple]:
    with sqlite3.connect(path) as conn:
        return conn.execute("SELECT id, sha256, size, body FROM archived_copies ORDER BY id").fetchall()


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
def test_a_published_photo_reaches_readers_without_its_metadata_and_is_kept_as_received(newsroom, tmp_path, fmt):
    db = newsroom["db"]
    original = photo(fmt)
    assert OWNER.encode() in original and SERIAL.encode() in original
    kept = reporting.attach_file(
        db, newsroom["post"], original, filename="IMG_0042.jpg", media_type=None, user=newsroom["desk"]
    )
    captures.set_published(db, kept, True, newsroom["editor"])
    publish(db, tmp_path / "public.db")

    ((copy_id, sha256, size, body),) = _copies(tmp_path / "public.db")
    assert copy_id == kept
    for secret in (OWNER.encode(), SERIAL.encode(), b"PhoneCam", b"Exif\x00\x00", b"eXIf"):
        assert secret not in body
    assert photos.reveals(body) == []
    assert _pixels(body) == _pixels(original)  # the same image, not a re-encoding
    assert sha256 == hashlib.sha256(body).hexdigest() and size == len(body)  # the copy readers download
    # The newsroom keeps the photo as received: same bytes, same SHA-256 as when it came.
    assert captures.raw_bytes(db, kept) == original and captures.verify(db, kept)
    assert captures.get_capture(db, kept)["sha256"] == hashlib.sha256(original).hexdigest()


def test_what_a_photo_reveals_is_said_in_words():
    found = photos.reveals(photo())
    assert found[0] == "where it was taken (GPS position)"
    assert "the camera's serial number" in found
    assert "its owner's name (camera owner)" in found
    assert "the make and model of the camera or phone" in found
    message = photos.warning(found)
    assert message.startswith("This photo records where it was taken (GPS position), ")
    assert "a copy published for readers leaves all of its metadata out" in message
    plain = io.BytesIO()
    Image.new("RGB", (4, 4)).save(plain, "PNG")
    assert photos.reveals(plain.getvalue()) == [] and photos.warning([]) is None
    assert photos.reveals(b"%PDF-1.7 not a photo") == []


def test_a_turned_photo_keeps_which_way_up_it_is_and_nothing_else():
    cleaned = photos.without_metadata(photo(orientation=6))
    with Image.open(io.BytesIO(cleaned)) as image:
        exif = image.getexif()
        assert dict(exif) == {0x0112: 6}
    assert photos.reveals(cleaned) == []


def test_metadata_cut_short_or_past_what_was_read_is_said_so():
    data = photo()
    assert photos.UNREAD_WORDS in photos.reveals(data[:40], complete=False)
    assert photos.without_metadata(data[:40]) is None


def test_a_photo_that_cannot_be_cleaned_is_never_published(newsroom, tmp_path):
    db = newsroom["db"]
    heic = b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"GPS " + OWNER.encode()
    kept = reporting.attach_file(db, newsroom["post"], heic, filename="IMG_0043.HEIC", media_type=None, user=None)
    with pytest.raises(TrackerError, match="cannot leave its metadata out"):
        captures.set_published(db, kept, True, newsroom["editor"])
    # Marked published all the same (before this rule, or by hand): the build leaves it out.
    db.execute("UPDATE captures SET published = 1 WHERE id = ?", [kept])
    publish(db, tmp_path / "public.db")
    assert _copies(tmp_path / "public.db") == []


def test_the_reporter_is_told_on_attaching_and_the_api_says_it_too(client, auth, accounts, story, db):
    from tests.conftest import csrf_from
    from tests.test_api import Api

    auth.login("reporter")
    page = client.get(f"/stories/{story['slug']}/posts/new")
    response = client.post(
        f"/stories/{story['slug']}/posts/new",
        data={
            "csrf_token": csrf_from(page.get_data(as_text=True)),
            "url": "https://social.example/@acme/7",
            "handle": "@acme",
            "text": "Acme is hiring.",
            "file": (io.BytesIO(photo()), "IMG_0042.jpg"),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    shown = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "This photo records where it was taken (GPS position), " in shown  # the flash, once
    assert "Kept as received for the newsroom only" in shown  # beside the file, every time
    assert OWNER not in shown and SERIAL not in shown

    item_id = int(response.headers["Location"].rsplit("/", 1)[1])
    api = Api(client, users.create_token(db, "reporter"))
    attached = api.call(
        "POST",
        f"/coverage/{item_id}/attachments",
        json={"filename": "IMG_0043.jpg", "content_base64": __import__("base64").b64encode(photo("PNG")).decode()},
    )
    assert attached.status_code == 201
    assert attached.get_json()["reveals"][0] == "where it was taken (GPS position)"
    listed = api.call("GET", f"/coverage/{item_id}/captures").get_json()["captures"]
    assert all(c["reveals"] for c in listed)


def test_a_documents_properties_naming_people_are_told_on_upload_and_when_its_copy_is_published(
    client, auth, accounts, story, db
):
    from reportlab.pdfgen import canvas

    from tests.conftest import csrf_from, upload_document

    made = io.BytesIO()
    pdf = canvas.Canvas(made)
    pdf.setAuthor(OWNER)
    pdf.setTitle("Microsoft Word - complaint-from-jane.docx")
    pdf.drawString(72, 720, "The kettle tests were skipped in November.")
    pdf.save()
    auth.login("reporter")
    response = upload_document(client, story, made.getvalue(), "c.pdf")
    assert response.status_code == 302
    told = "This document's properties record its author's name and the name of the file it was made from."
    shown = client.get(response.headers["Location"]).get_data(as_text=True).replace("&#39;", "'")
    assert told in shown and OWNER not in shown

    auth.logout()
    auth.login("editor")
    (capture_id,) = [k["id"] for k in captures.captures_for(db, coverage_id=1)]
    page = client.get(response.headers["Location"])
    assert page.status_code == 200, page.get_data(as_text=True)[:300]
    published = client.post(
        f"/captures/{capture_id}/publish",
        data={"csrf_token": csrf_from(page.get_data(as_text=True)), "published": "1"},
        follow_redirects=True,
    )
    assert told in published.get_data(as_text=True).replace("&#39;", "'")


def test_a_progressive_photo_with_a_trailer_is_cleaned_to_its_image_alone():
    image = Image.new("RGB", (64, 48))
    image.putdata([(x * 3 % 256, y * 5 % 256, 90) for y in range(48) for x in range(64)])
    made = io.BytesIO()
    exif = Image.Exif()
    exif.get_ifd(0x8825).update({1: "N", 2: (51.0, 30.0, 12.5)})
    image.save(made, "JPEG", progressive=True, exif=exif.tobytes())
    motion = b"\x00\x00\x00\x18ftypmp42" + b"GPS " + OWNER.encode()  # a phone's motion video appended
    original = made.getvalue() + motion
    found = photos.reveals(original)
    assert "where it was taken (GPS position)" in found and photos.TRAILER_WORDS in found
    cleaned = photos.without_metadata(original)
    assert OWNER.encode() not in cleaned and cleaned.endswith(b"\xff\xd9")
    assert _pixels(cleaned) == _pixels(original) and photos.reveals(cleaned) == []


def test_the_claim_page_says_which_copy_is_as_received_and_which_left_metadata_out(newsroom, tmp_path, monkeypatch):
    from bs4 import BeautifulSoup

    from tests.test_public import get
    from tests.test_publish import ARCHIVED_BYTES
    from tracker.public import make_datasette

    db = newsroom["db"]
    kept = reporting.attach_file(db, newsroom["post"], photo(), filename="IMG_0042.jpg", media_type=None, user=None)
    captures.set_published(db, kept, True, newsroom["editor"])
    publish(db, tmp_path / "public.db")
    monkeypatch.setenv("TRACKER_PUBLIC_URL", "https://tracker.example")
    page = get(make_datasette(str(tmp_path / "public.db")), f"/public/claims/{newsroom['claim']}")
    (link,) = BeautifulSoup(page.text, "html.parser").select("a[href*='archived_copies']")
    assert link.get_text() == "archived copy, without the photo's metadata"
    with sqlite3.connect(tmp_path / "public.db") as conn:
        assert conn.execute("SELECT metadata_removed FROM archived_copies").fetchall() == [(1,)]

    captures.set_published(db, kept, False, newsroom["editor"])
    plain = reporting.attach_file(db, newsroom["post"], ARCHIVED_BYTES, filename="s.png", media_type=None, user=None)
    captures.set_published(db, plain, True, newsroom["editor"])
    publish(db, tmp_path / "public.db")
    page = get(make_datasette(str(tmp_path / "public.db")), f"/public/claims/{newsroom['claim']}")
    (link,) = BeautifulSoup(page.text, "html.parser").select("a[href*='archived_copies']")
    assert link.get_text() == "archived copy, as we received it"


def jpeg_tiff(strip: bytes) -> bytes:
    """A TIFF whose one strip is JPEG-compressed (compression 7) and holds `strip`, a whole JPEG file, as scanners
    and converters that copy a camera's JPEG into a TIFF write it: its EXIF (GPS, serial, owner) inside the strip."""
    import struct

    with Image.open(io.BytesIO(strip)) as image:
        width, height = image.size
    entries = [(256, 3, 1, width), (257, 3, 1, height), (258, 3, 3, 0), (259, 3, 1, 7), (262, 3, 1, 6)]
    entries += [(273, 4, 1, 0), (277, 3, 1, 3), (278, 3, 1, height), (279, 4, 1, len(strip)), (284, 3, 1, 1)]
    bits_at = 8 + 2 + 12 * len(entries) + 4
    out = b"II*\x00" + struct.pack("<IH", 8, len(entries))
    for tag, kind_, count, value in entries:
        value = {258: bits_at, 273: bits_at + 6}.get(tag, value)
        out += struct.pack("<HHI", tag, kind_, count) + struct.pack(
            "<HH" if kind_ == 3 and count == 1 else "<I", *((value, 0) if kind_ == 3 and count == 1 else (value,))
        )
    return out + struct.pack("<I", 0) + struct.pack("<HHH", 8, 8, 8) + strip


def test_a_tiffs_jpeg_strips_are_cleaned_of_the_exif_inside_them():
    original = jpeg_tiff(photo())
    assert OWNER.encode() in original and SERIAL.encode() in original
    found = photos.reveals(original)
    assert found[0] == "where it was taken (GPS position)" and "the camera's serial number" in found
    copy = photos.without_metadata(original)
    assert copy is not None and len(copy) == len(original)  # cleaned in place: every offset still holds
    assert OWNER.encode() not in copy and SERIAL.encode() not in copy and b"PhoneCam" not in copy
    assert photos.reveals(copy) == [] and _pixels(copy) == _pixels(original)


def test_a_tiff_written_with_jpeg_compression_keeps_its_pixels():
    from PIL import TiffImagePlugin

    image = Image.open(io.BytesIO(photo())).convert("RGB")
    info = TiffImagePlugin.ImageFileDirectory_v2()
    info[315] = OWNER  # Artist
    out = io.BytesIO()
    image.save(out, "TIFF", tiffinfo=info, compression="jpeg")  # libtiff: tables in JPEGTables, strips abbreviated
    original = out.getvalue()
    copy = photos.without_metadata(original)
    assert copy is not None and OWNER.encode() not in copy and photos.reveals(copy) == []
    assert _pixels(copy) == _pixels(original)
