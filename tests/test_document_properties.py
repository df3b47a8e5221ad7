"""A document's own properties in the copy readers get: who wrote it, who last saved it, their company.

Every file is built here as the programs that write them lay it out: a .docx
(zip parts docProps/core.xml, app.xml, custom.xml as Word writes them), an .odt
(meta.xml as LibreOffice writes it) and PDFs (reportlab's Info dictionary, an
XMP packet by hand). The newsroom keeps each as received; the public copy
leaves the properties out.
"""

from __future__ import annotations

import io
import zipfile
from xml.etree import ElementTree

import pytest

from scrapers.documents import XMP_WORDS, reveals_of
from tests.pdfs import laid_out, object_stream_pdf
from tests.test_photos import OWNER
from tests.test_photos_in_documents import DOCUMENT_XML
from tracker import documents, photos

EDITOR_NAME = "Marten Quayle"
COMPANY = "Acme Widgets QA Lab"
TEMPLATE_PATH = "C:\\Users\\jane.whistleblower\\AppData\\Roaming\\Microsoft\\Templates\\Normal.dotm"
SOURCE_NOTE = "from Marten in QA"
TITLE = "Kettle test schedule"
SECRETS = (OWNER, EDITOR_NAME, COMPANY, "jane.whistleblower", SOURCE_NOTE)

CORE_XML = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" \
xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" \
xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\
<dc:title>{TITLE}</dc:title><dc:subject></dc:subject><dc:creator>{OWNER}</dc:creator>\
<cp:keywords>{SOURCE_NOTE}</cp:keywords><dc:description></dc:description>\
<cp:lastModifiedBy>{EDITOR_NAME}</cp:lastModifiedBy><cp:revision>3</cp:revision>\
<dcterms:created xsi:type="dcterms:W3CDTF">2025-11-20T09:12:00Z</dcterms:created>\
<dcterms:modified xsi:type="dcterms:W3CDTF">2025-11-21T16:40:00Z</dcterms:modified></cp:coreProperties>""".encode()
APP_XML = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" \
xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"><Template>{TEMPLATE_PATH}</Template>\
<TotalTime>14</TotalTime><Pages>1</Pages><Words>7</Words><Application>Microsoft Office Word</Application>\
<Manager>{EDITOR_NAME}</Manager><Company>{COMPANY}</Company><AppVersion>16.0000</AppVersion></Properties>""".encode()
CUSTOM_XML = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" \
xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">\
<property fmtid="{{D5CDD505-2E9C-101B-9397-08002B2CF9AE}}" pid="2" name="Source">\
<vt:lpwstr>{SOURCE_NOTE}</vt:lpwstr></property></Properties>""".encode()
META_XML = f"""<?xml version="1.0" encoding="UTF-8"?>
<office:document-meta xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" \
xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" xmlns:dc="http://purl.org/dc/elements/1.1/" \
xmlns:xlink="http://www.w3.org/1999/xlink" office:version="1.3"><office:meta>\
<meta:initial-creator>{OWNER}</meta:initial-creator><dc:creator>{EDITOR_NAME}</dc:creator>\
<meta:printed-by>{EDITOR_NAME}</meta:printed-by><dc:title>{TITLE}</dc:title>\
<meta:template xlink:type="simple" xlink:href="file:///home/jane.whistleblower/Templates/memo.ott"/>\
<meta:user-defined meta:name="Source">{SOURCE_NOTE}</meta:user-defined>\
<meta:generator>LibreOffice/7.5.3.2$Linux_X86_64</meta:generator></office:meta></office:document-meta>""".encode()


def word_file(*extra: tuple[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", b'<?xml version="1.0"?><Types/>')
        archive.writestr("docProps/core.xml", CORE_XML)
        archive.writestr("docProps/app.xml", APP_XML)
        archive.writestr("docProps/custom.xml", CUSTOM_XML)
        archive.writestr("word/document.xml", DOCUMENT_XML)
        for name, data in extra:
            archive.writestr(name, data)
    return out.getvalue()


def opendocument_file() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("mimetype", b"application/vnd.oasis.opendocument.text", zipfile.ZIP_STORED)
        archive.writestr("content.xml", b"<office:document-content/>", zipfile.ZIP_DEFLATED)
        archive.writestr("meta.xml", META_XML, zipfile.ZIP_DEFLATED)
        archive.writestr("META-INF/manifest.xml", b"<manifest:manifest/>", zipfile.ZIP_DEFLATED)
    return out.getvalue()


def _members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def test_a_word_files_properties_are_left_out_of_its_public_copy_and_its_title_kept():
    original = word_file()
    assert reveals_of(io.BytesIO(original), documents.DOCX)  # the author, whoever last saved it, the company
    copy = photos.public_copy(original)
    before, after = _members(original), _members(copy)
    assert list(after) == list(before)  # the same parts, in the same order
    assert after["word/document.xml"] == before["word/document.xml"]
    everything = b"".join(after.values()).decode()
    assert [secret for secret in SECRETS if secret in everything] == []
    assert reveals_of(io.BytesIO(copy), documents.DOCX) == ()
    for name in ("docProps/core.xml", "docProps/app.xml", "docProps/custom.xml"):
        assert ElementTree.fromstring(after[name]).tag == ElementTree.fromstring(before[name]).tag
    read = documents.read_document(io.BytesIO(copy), documents.DOCX, max_pages=10)
    assert read.title == TITLE and read.pages == ("The kettle tests were skipped in November.",)


def test_an_opendocument_files_properties_are_left_out_of_its_public_copy():
    original = opendocument_file()
    copy = photos.public_copy(original)
    after = _members(copy)
    assert [secret for secret in SECRETS if secret in after["meta.xml"].decode()] == []
    meta = ElementTree.fromstring(after["meta.xml"])
    assert meta.get("{urn:oasis:names:tc:opendocument:xmlns:office:1.0}version") == "1.3"
    assert meta.find(".//{http://purl.org/dc/elements/1.1/}title").text == TITLE
    assert copy[30:38] == b"mimetype" and after["content.xml"] == _members(original)["content.xml"]


def test_a_signed_word_file_is_published_unchanged_properties_and_all():
    signed = word_file(("_xmlsignatures/sig1.xml", b"<Signature/>"))
    assert photos.public_copy(signed, as_received=True) == signed
    assert photos.public_copy(signed) is None  # only as received, by an editor's choice


def test_the_editor_is_told_a_word_files_properties_are_left_out_and_readers_never_get_them(
    client, auth, accounts, story, db, tmp_path
):
    import sqlite3

    from tests.conftest import csrf_from, upload_document
    from tracker import captures, claims, coverage
    from tracker.publish import publish

    auth.login("editor")
    response = upload_document(client, story, word_file(), "memo.docx")
    assert response.status_code == 302
    shown = client.get(response.headers["Location"]).get_data(as_text=True).replace("&#39;", "'")
    assert "This document's properties record its author's name" in shown
    assert "a copy published for readers leaves them out" in shown and OWNER not in shown
    (capture_id,) = [k["id"] for k in captures.captures_for(db, coverage_id=1)]
    done = client.post(
        f"/captures/{capture_id}/publish",
        data={"csrf_token": csrf_from(shown), "published": "1"},
        follow_redirects=True,
    )
    told = done.get_data(as_text=True).replace("&#39;", "'")
    assert "a copy published for readers leaves them out" in told and "cannot" not in told
    revision = coverage.latest_revision(db, 1)
    claim_id = claims.log_claim(db, story["id"], "Kettle tests were skipped", "Acme Widgets", "organization", None)
    claims.add_evidence(db, claim_id, revision["id"], "The kettle tests were skipped", "supports", None)
    claims.set_published(db, claim_id, True, accounts["editor"], claims.get_claim(db, claim_id)["version"])
    publish(db, tmp_path / "public.db")
    with sqlite3.connect(tmp_path / "public.db") as conn:
        ((body, removed),) = conn.execute("SELECT body, metadata_removed FROM archived_copies").fetchall()
    assert removed == 1 and [s for s in SECRETS if s in b"".join(_members(body).values()).decode()] == []
    assert captures.raw_bytes(db, capture_id) == word_file() or captures.verify(db, capture_id)


# -- PDFs: the Info dictionary, the document's XMP, an image's own XMP ------------------------------------------

XMP_PACKET = f"""<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:exif="http://ns.adobe.com/exif/1.0/"
 xmlns:aux="http://ns.adobe.com/exif/1.0/aux/" xmlns:xmp="http://ns.adobe.com/xap/1.0/">
<dc:creator><rdf:Seq><rdf:li>{OWNER}</rdf:li></rdf:Seq></dc:creator>
<exif:GPSLatitude>51,30.2N</exif:GPSLatitude><aux:SerialNumber>SN-4471-0099</aux:SerialNumber>
<xmp:CreatorTool>{COMPANY} scanner</xmp:CreatorTool>
</rdf:Description></rdf:RDF></x:xmpmeta>
{" " * 200}
<?xpacket end="w"?>""".encode()


def hand_made_pdf(*, document_xmp: bytes | None = None, image_xmp: bytes | None = None, xmp_filter: str = "") -> bytes:
    """A one-page PDF drawing a JPEG with no metadata of its own, an Info dictionary naming its author, and
    XMP packets for the document (the catalog's /Metadata) and for the image (its own /Metadata), as InDesign
    and Acrobat write them; `xmp_filter` "/FlateDecode" compresses them."""
    from PIL import Image

    plain = io.BytesIO()
    Image.new("RGB", (16, 12), (90, 120, 200)).save(plain, "JPEG")
    jpeg = plain.getvalue()

    def metadata(packet: bytes) -> bytes:
        body = __import__("zlib").compress(packet) if xmp_filter else packet
        flt = f" /Filter {xmp_filter}".encode() if xmp_filter else b""
        return b"<< /Type /Metadata /Subtype /XML%s /Length %d >>\nstream\n" % (flt, len(body)) + body + b"\nendstream"

    content = b"q 100 0 0 75 72 600 cm /Im1 Do Q BT /F1 12 Tf 72 560 Td (The kettle tests were skipped.) Tj ET"
    image_meta = b" /Metadata 9 0 R" if image_xmp else b""
    catalog_meta = b" /Metadata 8 0 R" if document_xmp else b""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R%s >>" % catalog_meta,
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /XObject << /Im1 5 0 R >> /Font << /F1 6 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /XObject /Subtype /Image /Width 16 /Height 12 /ColorSpace /DeviceRGB /BitsPerComponent 8 "
        b"/Filter /DCTDecode%s /Length %d >>\nstream\n" % (image_meta, len(jpeg)) + jpeg + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Title (Kettle test schedule) /Author (%s) /Creator (Microsoft Word for %s) "
        b"/Producer (Acme PDF \\(%s\\)) /CreationDate (D:20251120091200Z) >>"
        % (OWNER.encode(), COMPANY.encode(), EDITOR_NAME.encode()),
        metadata(document_xmp) if document_xmp else b"<< >>",
        metadata(image_xmp) if image_xmp else b"<< >>",
    ]
    return laid_out(objects, b" /Info 7 0 R")


def _pdf_secrets(data: bytes) -> list[str]:
    return [s for s in (OWNER, EDITOR_NAME, COMPANY, "SN-4471-0099", "51,30.2N") if s.encode() in data]


def test_a_pdfs_info_and_its_xmp_are_blanked_in_place_and_its_pages_still_read():
    original = hand_made_pdf(document_xmp=XMP_PACKET)
    assert set(reveals_of(io.BytesIO(original), documents.PDF)) >= {"its author's name", XMP_WORDS}
    copy = photos.public_copy(original)
    assert len(copy) == len(original)  # every offset of the cross-reference table still holds
    assert _pdf_secrets(copy) == []
    assert reveals_of(io.BytesIO(copy), documents.PDF) == ()
    read = documents.read_document(io.BytesIO(copy), documents.PDF, max_pages=10)
    assert "The kettle tests were skipped." in read.pages[0]
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(copy), strict=True)
    assert not (reader.metadata or {}).get("/Author") and "kettle" in reader.pages[0].extract_text()


def _object_stream(pdf: bytes) -> bytes:
    """The inflated object stream of a PDF made by object_stream_pdf."""
    import re
    import zlib

    found = re.search(rb"/Type /ObjStm [^>]*/Length (\d+) >>\nstream\n", pdf)
    return zlib.decompress(pdf[found.end() : found.end() + int(found[1])])


@pytest.mark.parametrize("level", [1, 6, 9])
def test_a_pdfs_info_in_a_compressed_object_stream_is_blanked_in_place(level):
    from pypdf import PdfReader

    info = b"/Title (Kettle test schedule) /Author (%s) /Creator (Microsoft Word for %s) /Producer (Acme \\(%s\\))" % (
        OWNER.encode(),
        COMPANY.encode(),
        EDITOR_NAME.encode(),
    )
    original = object_stream_pdf(info, level=level)
    assert reveals_of(io.BytesIO(original), documents.PDF) == ("its author's name",)
    assert _pdf_secrets(_object_stream(original)) == [OWNER, EDITOR_NAME, COMPANY]
    copy = photos.public_copy(original)
    assert len(copy) == len(original)  # re-compressed to its length: every offset of the cross-reference holds
    inflated = _object_stream(copy)
    assert _pdf_secrets(inflated) == [] and len(inflated) == len(_object_stream(original))
    assert reveals_of(io.BytesIO(copy), documents.PDF) == ()
    reader = PdfReader(io.BytesIO(copy), strict=True)
    assert not (reader.metadata or {}).get("/Author") and "kettle" in reader.pages[0].extract_text()
    read = documents.read_document(io.BytesIO(copy), documents.PDF, max_pages=10)
    assert read.pages == ("The kettle tests were skipped.",)
    assert photos.public_copy(copy) == copy  # cleaned again: the same bytes


def test_a_pdf_images_own_xmp_is_a_photos_metadata_cleaned_in_place():
    original = hand_made_pdf(image_xmp=XMP_PACKET)
    found = photos.inside(original)
    assert found.photos == 1 and found.cleanable and found.words[0] == "where it was taken (GPS position)"
    assert "the camera's serial number" in found.words
    copy = photos.public_copy(original)
    assert len(copy) == len(original) and _pdf_secrets(copy) == []
    assert photos.inside(copy).photos == 0
    # Encrypted, its XMP cannot be read: the image is said unread, once, and nothing goes to readers unless an
    # editor chooses to publish it as received.
    locked = original.replace(b"/Root 1 0 R", b"/Root 1 0 R /Encrypt 99 0 R")
    found = photos.inside(locked)
    assert found.photos == 1 and photos.UNREAD_WORDS in found.words and not found.cleanable
    assert found.as_received == photos.ENCRYPTED_AS_RECEIVED and photos.public_copy(locked) is None
    copy = photos.public_copy(locked, as_received=True)  # its Info emptied all the same; its image's XMP as it was
    assert len(copy) == len(locked) and b"/Author" not in copy and copy.count(b"51,30.2N") == 1
    assert documents.metadata_kept(copy) == "an encrypted file's"


def test_a_compressed_xmp_on_an_image_needs_an_editors_confirmation_and_on_the_document_is_told():
    image = hand_made_pdf(image_xmp=XMP_PACKET, xmp_filter="/FlateDecode")
    found = photos.inside(image)
    assert found.photos == 1 and not found.cleanable
    assert "XMP metadata in a compressed PDF stream" in photos.inside_warning(found)
    copy = photos.public_copy(image)  # once an editor confirms: its compressed XMP as received, the rest cleaned
    assert len(copy) == len(image) and _pdf_secrets(copy.split(b"/Type /Metadata")[0]) == []
    assert copy.split(b"/Type /Metadata")[1] == image.split(b"/Type /Metadata")[1]
    assert documents.metadata_kept(copy) == "an image's compressed XMP"

    document = hand_made_pdf(document_xmp=XMP_PACKET, xmp_filter="/FlateDecode")
    assert photos.inside(document).photos == 0
    copy = photos.public_copy(document)
    assert OWNER.encode() not in copy.split(b"/Metadata")[0]  # the Info dictionary is blanked all the same
    kept = reveals_of(io.BytesIO(copy), documents.PDF)
    assert kept == (XMP_WORDS,)
    told = documents.properties_warning(reveals_of(io.BytesIO(document), documents.PDF), kept)
    assert "a copy published for readers still records XMP metadata, which may name its author" in told


def test_a_reportlab_pdf_is_published_without_its_author():
    from reportlab.pdfgen import canvas

    made = io.BytesIO()
    pdf = canvas.Canvas(made)
    pdf.setAuthor(OWNER)
    pdf.setTitle("Microsoft Word - complaint-from-jane.docx")
    pdf.drawString(72, 720, "The kettle tests were skipped in November.")
    pdf.save()
    original = made.getvalue()
    copy = photos.public_copy(original)
    assert len(copy) == len(original) and OWNER.encode() not in copy and b"complaint-from-jane" not in copy
    assert reveals_of(io.BytesIO(copy), documents.PDF) == ()
    read = documents.read_document(io.BytesIO(copy), documents.PDF, max_pages=10)
    assert "The kettle tests were skipped in November." in read.pages[0]


def test_a_signed_pdf_keeps_its_properties():
    signed = hand_made_pdf(document_xmp=XMP_PACKET).replace(b"/Type /Catalog", b"/Type /Catalog /ByteRange [0 1 2 3]")
    assert photos.public_copy(signed, as_received=True) == signed
    assert photos.public_copy(signed) is None  # only as received, by an editor's choice


# -- Comments and tracked changes: who wrote them ---------------------------------------------------------------

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W15_NS = "http://schemas.microsoft.com/office/word/2012/wordml"
USER_ID = "S-1-5-21-3623811015-3361044348-30300820-1013"
WORD_ROOT = (
    f'xmlns:w="{W_NS}" xmlns:w14="http://schemas.microsoft.com/office/word/2010/wordml" xmlns:w15="{W15_NS}" '
    'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" mc:Ignorable="w14 w15"'
)
TRACKED_XML = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document {WORD_ROOT}><w:body>\
<w:p w:rsidR="00A1B2C3"><w:r><w:t xml:space="preserve">The kettle tests were </w:t></w:r>\
<w:del w:id="1" w:author="{OWNER}" w:date="2025-11-21T02:13:00Z"><w:r><w:delText>not </w:delText></w:r></w:del>\
<w:ins w:id="2" w:author="{EDITOR_NAME}" w:date="2025-11-21T02:14:00Z"><w:r><w:t>skipped</w:t></w:r></w:ins>\
<w:commentRangeStart w:id="0"/><w:r><w:t xml:space="preserve"> in November.</w:t></w:r><w:commentRangeEnd w:id="0"/>\
<w:r><w:commentReference w:id="0"/></w:r></w:p>\
<w:p><w:pPr><w:rPr><w:ins w:id="3" w:author="{OWNER}" w:date="2025-11-21T02:15:00Z"/></w:rPr></w:pPr></w:p>\
</w:body></w:document>""".encode()
COMMENTS_XML = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:comments {WORD_ROOT}>\
<w:comment w:id="0" w:author="{EDITOR_NAME}" w:date="2025-11-21T09:00:00Z" w:initials="MQ">\
<w:p><w:r><w:t>Check the dates with the lab.</w:t></w:r></w:p></w:comment>\
<w:comment w:id="1" w:author="{OWNER}" w:date="2025-11-21T09:05:00Z" w:initials="JW">\
<w:p><w:r><w:t>Done.</w:t></w:r></w:p></w:comment></w:comments>""".encode()
PEOPLE_XML = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w15:people {WORD_ROOT}>\
<w15:person w15:author="{OWNER}"><w15:presenceInfo w15:providerId="AD" w15:userId="{USER_ID}"/></w15:person>\
<w15:person w15:author="{EDITOR_NAME}">\
<w15:presenceInfo w15:providerId="Windows Live" w15:userId="quayle@example.org"/></w15:person></w15:people>""".encode()


def test_a_word_files_comments_and_tracked_changes_reach_readers_by_author_not_by_name():
    from lxml import etree

    original = word_file(
        ("word/comments.xml", COMMENTS_XML), ("word/people.xml", PEOPLE_XML), ("word/footer1.xml", TRACKED_XML)
    )
    original = _replaced(original, "word/document.xml", TRACKED_XML)
    copy = photos.public_copy(original)
    before, after = _members(original), _members(copy)
    assert list(after) == list(before)
    everything = b"".join(after.values()).decode()
    assert [s for s in (*SECRETS, USER_ID, "quayle@example.org", "2025-11-21T02") if s in everything] == []
    for name in ("word/document.xml", "word/footer1.xml", "word/comments.xml", "word/people.xml"):
        was, now_ = etree.fromstring(before[name]), etree.fromstring(after[name])  # each part still reads as XML
        assert now_.nsmap == was.nsmap  # the same prefixes: mc:Ignorable still names declared ones
        authors = [v for e in now_.iter() for k, v in e.attrib.items() if k.endswith("}author")]
        assert authors and set(authors) == {"Author"}
    comments = etree.fromstring(after["word/comments.xml"])
    assert [c.get(f"{{{W_NS}}}initials") for c in comments] == ["A", "A"]
    assert "".join(comments.itertext()) == "Check the dates with the lab.Done."  # what they say stays
    document = etree.fromstring(after["word/document.xml"])
    assert len(document.findall(f".//{{{W_NS}}}ins")) == 2 and len(document.findall(f".//{{{W_NS}}}del")) == 1
    assert document.findall(f".//{{{W_NS}}}p")[0].get(f"{{{W_NS}}}rsidR") == "00A1B2C3"  # rsids say no one
    read = documents.read_document(io.BytesIO(copy), documents.DOCX, max_pages=10)
    assert read.pages == documents.read_document(io.BytesIO(original), documents.DOCX, max_pages=10).pages
    assert after["[Content_Types].xml"] == before["[Content_Types].xml"]
    # The reporter is told on upload, and the editor publishing it that the copy names no one.
    assert "the names of whoever wrote its comments or tracked changes" in reveals_of(
        io.BytesIO(original), documents.DOCX
    )
    assert reveals_of(io.BytesIO(copy), documents.DOCX) == () and documents.metadata_kept(copy) is None


def test_a_word_file_without_comments_or_tracked_changes_keeps_its_text_byte_for_byte():
    original = word_file(("word/styles.xml", b'<?xml version="1.0"?><w:styles xmlns:w="%s"/>' % W_NS.encode()))
    after = _members(photos.public_copy(original))
    assert (
        after["word/document.xml"] == DOCUMENT_XML and after["word/styles.xml"] == _members(original)["word/styles.xml"]
    )


ODF_ROOT = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" xmlns:dc="http://purl.org/dc/elements/1.1/" '
    'office:version="1.3"'
)
ODF_CONTENT = f"""<?xml version="1.0" encoding="UTF-8"?>
<office:document-content {ODF_ROOT}><office:body><office:text>\
<text:tracked-changes><text:changed-region text:id="ct1"><text:insertion><office:change-info>\
<dc:creator>{EDITOR_NAME}</dc:creator><dc:date>2025-11-21T02:14:00</dc:date></office:change-info>\
</text:insertion></text:changed-region></text:tracked-changes>\
<text:p>The kettle tests were <text:change-start text:change-id="ct1"/>skipped<text:change-end text:change-id="ct1"/>\
<office:annotation><dc:creator>{OWNER}</dc:creator><dc:date>2025-11-21T09:05:00</dc:date>\
<meta:creator-initials>JW</meta:creator-initials><text:p>Check with the lab.</text:p></office:annotation>\
 in November.</text:p></office:text></office:body></office:document-content>""".encode()
ODF_SETTINGS = f"""<?xml version="1.0" encoding="UTF-8"?>
<office:document-settings {ODF_ROOT} xmlns:config="urn:oasis:names:tc:opendocument:xmlns:config:1.0">\
<office:settings><config:config-item-set config:name="ooo:configuration-settings">\
<config:config-item config:name="PrinterName" config:type="string">QA-Floor3 ({COMPANY})</config:config-item>\
<config:config-item config:name="PrinterSetup" config:type="base64Binary">\
{__import__("base64").b64encode(f"QA-Floor3 jane.whistleblower {COMPANY}".encode()).decode()}</config:config-item>\
<config:config-item config:name="PrinterPaperFromSetup" config:type="boolean">false</config:config-item>\
</config:config-item-set></office:settings></office:document-settings>""".encode()


def test_an_opendocument_files_comments_tracked_changes_and_printer_name_no_one():
    from lxml import etree

    original = _replaced(opendocument_file(), "content.xml", ODF_CONTENT, ("settings.xml", ODF_SETTINGS))
    copy = photos.public_copy(original)
    after = _members(copy)
    everything = b"".join(after.values())
    assert [s for s in (*SECRETS, "QA-Floor3", "2025-11-21T") if s.encode() in everything] == []
    import base64

    assert b"jane.whistleblower" not in b"".join(
        base64.b64decode(e.text or "")
        for e in etree.fromstring(after["settings.xml"]).iter()
        if "base64" in str(e.get("{urn:oasis:names:tc:opendocument:xmlns:config:1.0}type"))
    )
    content = etree.fromstring(after["content.xml"])
    creators = [e.text for e in content.iter("{http://purl.org/dc/elements/1.1/}creator")]
    assert creators == ["Author", "Author"]
    assert "Check with the lab." in "".join(content.itertext())
    info = content.find(".//{urn:oasis:names:tc:opendocument:xmlns:office:1.0}change-info")
    assert [child.tag.split("}")[1] for child in info] == ["creator", "date"]  # still valid: both are required
    assert copy[30:38] == b"mimetype"


def _replaced(data: bytes, name: str, body: bytes, *extra: tuple[str, bytes]) -> bytes:
    """The zip with part `name` holding `body` (its place and compression kept) and `extra` parts added."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as before, zipfile.ZipFile(out, "w") as archive:
        for info in before.infolist():
            archive.writestr(info, body if info.filename == name else before.read(info))
        for extra_name, extra_body in extra:
            archive.writestr(extra_name, extra_body, zipfile.ZIP_DEFLATED)
    return out.getvalue()


def test_a_copy_cleaned_again_is_the_same_bytes():
    original = _replaced(opendocument_file(), "content.xml", ODF_CONTENT, ("settings.xml", ODF_SETTINGS))
    once = photos.public_copy(original)
    assert photos.public_copy(once) == once
    word = _replaced(word_file(("word/comments.xml", COMMENTS_XML)), "word/document.xml", TRACKED_XML)
    once = photos.public_copy(word)
    assert photos.public_copy(once) == once


def test_the_editor_publishing_a_word_file_is_told_readers_get_its_comments_and_tracked_changes(
    client, auth, accounts, story, db
):
    from tests.conftest import csrf_from, upload_document
    from tracker import captures

    original = _replaced(word_file(("word/comments.xml", COMMENTS_XML)), "word/document.xml", TRACKED_XML)
    auth.login("editor")
    response = upload_document(client, story, original, "memo.docx")
    shown = client.get(response.headers["Location"]).get_data(as_text=True).replace("&#39;", "'")
    assert "the names of whoever wrote its comments or tracked changes" in shown and OWNER not in shown
    (capture_id,) = [k["id"] for k in captures.captures_for(db, coverage_id=1)]
    done = client.post(
        f"/captures/{capture_id}/publish",
        data={"csrf_token": csrf_from(shown), "published": "1"},
        follow_redirects=True,
    )
    told = done.get_data(as_text=True).replace("&#39;", "'").replace("&#34;", '"').replace("&quot;", '"')
    assert "This document holds 2 comments and 3 tracked changes. Readers of its copy see what they say" in told
    assert "but a copy published for readers still records" not in told  # the names are left out of it
    assert captures.raw_bytes(db, capture_id) == original  # kept byte for byte


def test_a_zip_of_many_large_text_parts_is_read_no_further_than_the_bound():
    from scrapers import documents as reader
    from tests.test_photos_in_documents import _bomb

    bomb = _bomb(48 << 20).replace(b"word/media/image1.jpeg", b"word/comments0001.xml")
    many = _replaced(word_file(), "word/document.xml", DOCUMENT_XML, *((f"word/c{i}.xml", b"") for i in range(3)))
    assert reader.comments_and_changes(bomb) == (0, 0)  # zeros: no comment, read within the bound
    assert reader.comments_and_changes(many) == (0, 0)
    over = io.BytesIO()
    with zipfile.ZipFile(over, "w", zipfile.ZIP_DEFLATED) as archive:
        for i in range(3):
            archive.writestr(f"word/comments{i}.xml", b"<w:comment " + b" " * (30 << 20))
    assert reader.comments_and_changes(over.getvalue()) == (2, 0)  # the third is past the bound: not read
