"""Files whose copy for readers cannot be cleaned: published only as received, and only by an editor's choice.

A signed file (removing anything breaks its signature), an encrypted PDF, a
damaged Word file and an Office file locked with a password (an OLE2 compound
file the tracker does not read) can each record who wrote the file and where
its photos were taken. Each is built here as its writer lays it out. The
newsroom keeps every one as received; readers get it only once an editor,
told plainly what it may reveal, chose to publish it as received, and that
choice stays in the append-only history archived_copy_choices.
"""

from __future__ import annotations

import io
import sqlite3
import struct

import pytest

from tests import test_photos_in_documents
from tests.pdfs import signed_pdf
from tests.test_document_properties import EDITOR_NAME, word_file
from tests.test_photos import OWNER, photo
from tests.test_photos_in_documents import docx
from tracker import captures, migrations, photos, reporting
from tracker.db import TrackerError
from tracker.publish import publish

newsroom = test_photos_in_documents.newsroom  # an editor, and a published claim resting on a post


def compound_file(streams: dict[str, bytes]) -> bytes:
    """An OLE2 compound file (version 3, 512-byte sectors) holding `streams`, each padded to 4096 bytes or more
    so it lives in ordinary sectors: how Office keeps a file locked with a password ("EncryptionInfo",
    "EncryptedPackage") and how Word 97-2003 keeps a .doc."""
    end, free, fat_sector = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD
    bodies = [body.ljust(max(4096, -(-len(body) // 512) * 512), b"\x00") for body in streams.values()]
    fat = [fat_sector, end]  # sector 0: the allocation table; sector 1: the directory
    starts = []
    for body in bodies:
        starts.append(len(fat))
        count = len(body) // 512
        fat += [len(fat) + i + 1 for i in range(count - 1)] + [end]
    assert len(fat) <= 128
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(16) + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6)
    header += bytes(6) + struct.pack("<IIIIIIIII", 0, 1, 1, 0, 4096, end, 0, end, 0)
    header += struct.pack("<I", 0) + struct.pack("<I", free) * 108

    def entry(name: str, kind: int, child: int, right: int, start: int, size: int) -> bytes:
        encoded = (name + "\x00").encode("utf-16-le")
        return (
            encoded.ljust(64, b"\x00")
            + struct.pack("<HBB", len(encoded), kind, 1)
            + struct.pack("<III", free, right, child)
            + bytes(16 + 4 + 16)
            + struct.pack("<IIxxxx", start, size)
        )

    names = list(streams)
    directory = entry("Root Entry", 5, 1, free, end, 0)
    for i, (name, body) in enumerate(zip(names, streams.values())):
        directory += entry(name, 2, free, i + 2 if i + 1 < len(names) else free, starts[i], len(body))
    directory = directory.ljust(512, b"\x00")
    table = b"".join(struct.pack("<I", n) for n in fat).ljust(512, b"\xff")
    return header + table + directory + b"".join(bodies)


def locked_office_file() -> bytes:
    """A Word file locked with a password, as Office saves it: its parts encrypted inside a compound file."""
    info = struct.pack("<HHI", 4, 4, 0x40) + b'<?xml version="1.0"?><encryption/>'
    return compound_file({"EncryptionInfo": info, "EncryptedPackage": struct.pack("<Q", 9000) + bytes(9000)})


def encrypted_pdf() -> bytes:
    """A PDF reportlab encrypts (an owner password: it opens without one), its Info naming its author."""
    from reportlab.lib import pdfencrypt
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    pdf = canvas.Canvas(out, encrypt=pdfencrypt.StandardEncryption("", ownerPassword="owner", canPrint=1))
    pdf.setAuthor(OWNER)
    pdf.drawString(72, 720, "The kettle tests were skipped in November.")
    pdf.save()
    return out.getvalue()


def damaged_word_file() -> bytes:
    """A Word file with a photo, cut short as a download that stopped: its zip directory is gone."""
    whole = docx(("word/media/image1.jpeg", photo()))
    return whole[: len(whole) - 40]


FILES = {
    "signed PDF": (lambda: signed_pdf(OWNER, EDITOR_NAME), "contract.pdf", "digitally signed"),
    "signed Word file": (lambda: word_file(("_xmlsignatures/sig1.xml", b"<Signature/>")), "memo.docx", "signed"),
    "encrypted PDF": (encrypted_pdf, "report.pdf", "encrypted"),
    "damaged Word file": (damaged_word_file, "memo.docx", "could not read it in full"),
    "locked Office file": (locked_office_file, "memo.docx", "locked with a password"),
}


# What readers are told the copy still records ("archived copy, as we received it, metadata included").
KEPT = {
    "signed PDF": "a signed file's and its properties",
    "signed Word file": "a signed file's and its properties",
    "encrypted PDF": "an encrypted file's",
    "damaged Word file": "a part that could not be read",
    "locked Office file": "a part that could not be read",
}


def _choices(db, capture_id: int) -> list[tuple]:
    return db.execute(
        "SELECT published, as_received, by FROM archived_copy_choices WHERE capture_id = ? ORDER BY id", [capture_id]
    ).fetchall()


def _published_bodies(path) -> list[bytes]:
    with sqlite3.connect(path) as conn:
        return [body for (body,) in conn.execute("SELECT body FROM archived_copies")]


@pytest.mark.parametrize("what", list(FILES))
def test_a_file_that_cannot_be_cleaned_reaches_readers_only_as_received_by_an_editors_choice(newsroom, tmp_path, what):
    made, filename, why = FILES[what]
    original = made()
    db, editor = newsroom["db"], newsroom["editor"]
    kept = reporting.attach_file(db, newsroom["post"], original, filename=filename, media_type=None, user=None)
    capture = captures.get_capture(db, kept)
    told = captures.needs_confirming(capture)
    assert told is not None and told.startswith("This file cannot be cleaned") and why in told
    assert "Readers would get it as received" in told
    assert captures.inside_note(capture) == told  # said beside the file, before anyone publishes it
    assert photos.public_copy(original) is None  # nothing for readers unless chosen
    with pytest.raises(TrackerError, match="Confirm to publish it as received"):
        captures.set_published(db, kept, True, editor)
    assert not captures.get_capture(db, kept)["published"] and _choices(db, kept) == []

    captures.set_published(db, kept, True, editor, confirmed=True)
    assert _choices(db, kept) == [(1, 1, editor["id"])]
    publish(db, tmp_path / "public.db")
    (body,) = _published_bodies(tmp_path / "public.db")
    assert body == photos.public_copy(original, as_received=True)
    with sqlite3.connect(tmp_path / "public.db") as conn:
        (kept_words,) = conn.execute("SELECT metadata_kept FROM archived_copies").fetchone()
    assert kept_words == KEPT[what]  # what readers are told beside the link
    assert captures.raw_bytes(db, kept) == original and captures.verify(db, kept)  # the original, always

    captures.set_published(db, kept, False, editor)
    assert _choices(db, kept) == [(1, 1, editor["id"]), (0, 0, editor["id"])]
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        db.execute("UPDATE archived_copy_choices SET as_received = 0")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        db.execute("DELETE FROM archived_copy_choices")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        db.execute(
            "INSERT OR REPLACE INTO archived_copy_choices (id, capture_id, published, as_received, at) "
            "SELECT id, capture_id, 1, 0, at FROM archived_copy_choices"
        )


def test_the_editor_is_told_what_a_signed_file_records_and_publishes_it_only_as_received(newsroom):
    original = signed_pdf(OWNER, EDITOR_NAME)
    kept = reporting.attach_file(
        newsroom["db"], newsroom["post"], original, filename="contract.pdf", media_type=None, user=None
    )
    told = captures.needs_confirming(captures.get_capture(newsroom["db"], kept))
    assert "the name of whoever signed it" in told and "its author's name" in told
    assert OWNER not in told and EDITOR_NAME not in told  # said in words, never the names themselves
    unread = reporting.attach_file(
        newsroom["db"], newsroom["post"], locked_office_file(), filename="memo.docx", media_type=None, user=None
    )
    told = captures.needs_confirming(captures.get_capture(newsroom["db"], unread))
    assert "assume it names who wrote it" in told


def test_a_copy_published_before_the_rule_is_withdrawn_on_upgrade_and_left_out_of_the_build(newsroom, tmp_path):
    db, editor = newsroom["db"], newsroom["editor"]
    original = signed_pdf(OWNER, EDITOR_NAME)
    kept = reporting.attach_file(db, newsroom["post"], original, filename="contract.pdf", media_type=None, user=None)
    # As an older version left it: published with a click, nothing read of it, no choice recorded.
    db.execute("UPDATE captures SET published = 1, published_by = ?, reveals = NULL WHERE id = ?", [editor["id"], kept])
    publish(db, tmp_path / "public.db")
    assert _published_bodies(tmp_path / "public.db") == []  # the build never publishes it without the choice

    migrations.b_capture_reveals_as_received(db)
    capture = captures.get_capture(db, kept)
    assert not capture["published"] and captures.needs_confirming(capture).startswith("This file cannot be cleaned")
    assert _choices(db, kept) == [(0, 0, None)]
    (note,) = db.execute("SELECT told FROM archived_copy_choices").fetchone()
    assert note.startswith("Withdrawn by the tracker")


def test_the_editor_confirms_publishing_a_signed_file_as_received_on_its_page(client, auth, accounts, story, db):
    from tests.conftest import csrf_from, upload_document

    auth.login("editor")
    response = upload_document(client, story, signed_pdf(OWNER, EDITOR_NAME), "contract.pdf")
    assert response.status_code == 302
    shown = client.get(response.headers["Location"]).get_data(as_text=True).replace("&#39;", "'")
    assert "This file cannot be cleaned" in shown and "Publish it as received" in shown
    assert "leaves them out" not in shown  # the copy does not: it is the file as received
    (capture_id,) = [k["id"] for k in captures.captures_for(db, coverage_id=1)]
    token = csrf_from(shown)
    refused = client.post(f"/captures/{capture_id}/publish", data={"csrf_token": token, "published": "1"})
    assert "Confirm to publish it as received." in refused.get_data(as_text=True).replace("&#39;", "'")
    assert not captures.get_capture(db, capture_id)["published"]
    done = client.post(
        f"/captures/{capture_id}/publish",
        data={"csrf_token": token, "published": "1", "confirmed": "1"},
        follow_redirects=True,
    )
    assert "Readers get it as received, as you chose" in done.get_data(as_text=True).replace("&#39;", "'")
    assert captures.get_capture(db, capture_id)["published"]


def test_the_api_says_a_file_cannot_be_cleaned_and_publishes_it_only_as_received_when_confirmed(
    client, accounts, story, db
):
    from tests.test_api import Api
    from tracker import users

    api = Api(client, users.create_token(db, "editor"))
    post = reporting.log_post(db, story["id"], url="https://social.example/@a/2", handle="@a", text="t", user=None)[0]
    kept = reporting.attach_file(db, post, signed_pdf(OWNER, EDITOR_NAME), filename="c.pdf", media_type=None, user=None)
    refused = api.call("POST", f"/captures/{kept}/publish", json={"published": True})
    assert refused.status_code == 400 and "Confirm to publish it as received." in refused.get_json()["message"]
    assert _choices(db, kept) == []
    done = api.call("POST", f"/captures/{kept}/publish", json={"published": True, "confirmed": True})
    assert done.status_code == 200 and done.get_json()["published"] is True
    assert done.get_json()["cannot_be_cleaned"] == photos.SIGNED_AS_RECEIVED
    assert _choices(db, kept) == [(1, 1, users.find_user(db, "editor")["id"])]


def test_upgrading_withdraws_a_signed_copy_an_older_version_published(tmp_path):
    from tests.test_migrations import old_db_holding_a_file

    data = signed_pdf(OWNER, EDITOR_NAME)
    db = old_db_holding_a_file(tmp_path, "0035_archived_copy_choices", data)
    db.execute(
        "INSERT INTO captures (id, coverage_id, role, how, received_at, blob_id, sha256, size, published) "
        "VALUES (1, 1, 'attachment', 'upload', '2026-01-01T00:00:00Z', 1, 'x', ?, 1)",
        [len(data)],
    )
    migrations.apply(db)
    capture = captures.get_capture(db, 1)
    assert not capture["published"] and captures.cannot_be_cleaned(capture) == photos.SIGNED_AS_RECEIVED
    assert _choices(db, 1) == [(0, 0, None)]
