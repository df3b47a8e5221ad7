"""Documents: real PDFs made in the test, read per page, stored as coverage, quoted by page, kept as received."""

from __future__ import annotations

import contextlib
import hashlib
import tracemalloc
import zlib

import pytest

from scrapers import documents as readers
from scrapers import pdfstreams
from tests import pdfs
from tests.sites import fetcher
from tracker import captures, claims, config, documents
from tracker.captures import Received
from tracker.ingest import ingest_targets


def settings(**changes) -> config.Settings:
    return config.Settings().replace(**changes)


def test_every_page_of_a_multi_page_pdf_is_read_in_order(tmp_path):
    made = pdfs.multi_page_pdf(tmp_path / "report.pdf", 4)
    text = readers.read_document(made.data, readers.PDF, max_pages=10)
    assert len(text.pages) == 4
    assert text.text_pages == 4
    for expected, got in zip(made.pages, text.pages):
        for paragraph in expected:
            assert paragraph in got


def test_two_columns_drawn_line_by_line_come_out_column_by_column(tmp_path):
    made = pdfs.two_column_pdf(tmp_path / "columns.pdf")
    page = readers.read_document(made.data, readers.PDF, max_pages=10).pages[0]
    left, right = made.pages[0]
    assert left in page and right in page
    assert page.index(left) < page.index(right)


def _scattered(cells: list[tuple[float, float, str]], size: tuple[float, float]) -> bytes:
    import io

    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    page = canvas.Canvas(out, pagesize=size)
    for x, y, text in cells:
        page.drawString(x, y, text)
    page.showPage()
    page.save()
    return out.getvalue()


def test_a_table_page_with_hundreds_of_cells_is_read_row_by_row():
    """pdfminer's search for columns costs the square of a page's text boxes and more (1,000 took 28 s), and
    finds none in a table: past MAX_GROUPED_BOXES a page is read top to bottom, each row left to right."""
    rows, columns = 30, 12
    cells = [(40 + 90 * c, 1150 - 30 * r, f"r{r}c{c}") for r in range(rows) for c in range(columns)]
    assert len(cells) > readers.MAX_GROUPED_BOXES
    page = readers.read_document(_scattered(cells, (1200, 1200)), readers.PDF, max_pages=10).pages[0]
    assert page.split() == [f"r{r}c{c}" for r in range(rows) for c in range(columns)]


def test_a_page_of_a_thousand_scattered_words_is_read_whole():
    import random

    rnd = random.Random(3)
    words = [(rnd.uniform(0, 1950), rnd.uniform(0, 1990), f"w{n}") for n in range(1000)]
    page = readers.read_document(_scattered(words, (2000, 2000)), readers.PDF, max_pages=10).pages[0]
    assert sorted(page.split()) == sorted(text for _, _, text in words)


def test_hyphenated_words_are_joined_across_lines(tmp_path):
    made = pdfs.hyphenated_pdf(tmp_path / "hyphens.pdf")
    page = readers.read_document(made.data, readers.PDF, max_pages=10).pages[0]
    assert made.pages[0][0] in page


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda p: pdfs.text_pdf(p, [["Secret words."]], encrypt="hunter2"), "encrypted with a password"),
        (lambda p: pdfs.truncated_pdf(p, pdfs.multi_page_pdf(p.with_suffix(".full.pdf"), 3)), "truncated"),
    ],
    ids=["encrypted", "truncated"],
)
def test_unreadable_pdfs_are_refused_with_one_line_and_nothing_is_stored(db, story, tmp_path, build, message):
    made = build(tmp_path / "bad.pdf")
    with pytest.raises(readers.DocumentError, match=message) as refused:
        documents.store_document(db, story, made.data, Received(how="upload", filename="bad.pdf"))
    assert "\n" not in str(refused.value)
    assert db.execute("SELECT count(*) FROM coverage").fetchone()[0] == 0
    assert db.execute("SELECT count(*) FROM captures").fetchone()[0] == 0


def test_a_pdf_whose_trailer_keyword_is_garbled_is_refused_as_damaged(tmp_path):
    """pdfminer checks the keyword after the xref table with an assert, which no except of ours caught."""
    data = pdfs.text_pdf(tmp_path / "memo.pdf", [["Acme memo."]]).data.replace(b"\ntrailer\n", b"\ntrailerx\n")
    with pytest.raises(readers.DocumentError, match="damaged"):
        readers.read_document(data, readers.PDF, max_pages=10)


def test_a_pdf_whose_object_references_loop_is_refused_as_damaged():
    """1 0 R names 2 0 R, which names 1 0 R: pdfminer followed the chain for ever (this test hung)."""
    objects = [b"1 0 obj\n2 0 R\nendobj\n", b"2 0 obj\n1 0 R\nendobj\n"]
    data = b"%PDF-1.4\n"
    offsets = []
    for obj in objects:
        offsets.append(len(data))
        data += obj
    xref = len(data)
    data += b"xref\n0 3\n0000000000 65535 f \n" + b"".join(b"%010d 00000 n \n" % o for o in offsets)
    data += b"trailer\n<< /Size 3 /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % xref
    with pytest.raises(readers.DocumentError, match="references that loop"):
        readers.read_document(data, readers.PDF, max_pages=10)


def test_a_document_over_the_page_limit_is_refused(db, story, tmp_path):
    made = pdfs.multi_page_pdf(tmp_path / "long.pdf", 5)
    with pytest.raises(readers.DocumentError, match="5 pages, over the limit of 3") as refused:
        documents.store_document(
            db, story, made.data, Received(how="upload", filename="long.pdf"), settings=settings(document_max_pages=3)
        )
    # A reporter reads it on the upload page: what they can do, and what to ask of whoever runs the tracker.
    assert "split it, or ask whoever runs the tracker to raise TRACKER_DOCUMENT_MAX_PAGES" in str(refused.value)


def test_a_document_over_the_size_limit_is_refused(db, story, tmp_path):
    made = pdfs.multi_page_pdf(tmp_path / "long.pdf", 2)
    with pytest.raises(documents.DocumentTooLarge, match="over the 10 bytes limit") as refused:
        documents.store_document(
            db, story, made.data, Received(how="upload", filename="long.pdf"), settings=settings(document_max_bytes=10)
        )
    assert "split the file, or ask whoever runs the tracker to raise TRACKER_DOCUMENT_MAX_MB" in str(refused.value)


def test_a_scan_without_text_is_stored_and_flagged_then_transcribed_by_hand(db, story, accounts, tmp_path):
    made = pdfs.scanned_pdf(tmp_path / "scan.pdf", pages=2)
    stored = documents.store_document(db, story, made.data, Received(how="upload", filename="scan.pdf"))
    assert stored.text_pages == 0
    assert stored.flag == "no text: quote by hand or OCR"
    assert documents.get_document(db, stored.revision_id)["flag"] == documents.NO_TEXT
    assert captures.raw_bytes(db, stored.capture_id) == made.data

    revision_id = documents.transcribe_page(
        db, stored.coverage_id, 2, "Acme will close the plant in May.", accounts["reporter"]
    )
    claim_id = claims.log_claim(db, story["id"], "Acme will close the plant", "Acme", "organization", None)
    evidence_id = claims.add_evidence(db, claim_id, revision_id, "close the plant in May", "supports", None)
    assert db.execute("SELECT page FROM evidence WHERE id = ?", [evidence_id]).fetchone()[0] == 2
    pages = documents.page_list(db, revision_id)
    assert [p["transcribed_by_name"] for p in pages] == [None, "reporter"]
    # The scan as received and its first revision are untouched.
    assert documents.get_document(db, stored.revision_id)["text_pages"] == 0


def test_a_quote_on_page_3_is_anchored_to_page_3(db, story, tmp_path):
    made = pdfs.multi_page_pdf(tmp_path / "filing.pdf", 5, seed=4)
    stored = documents.store_document(db, story, made.data, Received(how="upload", filename="filing.pdf"))
    quote = made.pages[2][1]
    claim_id = claims.log_claim(db, story["id"], "What the filing says", "Acme", "document", None)
    evidence_id = claims.add_evidence(db, claim_id, stored.revision_id, quote, "supports", None)
    row = db.execute('SELECT page, start, "end" FROM evidence WHERE id = ?', [evidence_id]).fetchone()
    assert row[0] == 3
    start, end = documents.page_span(db, stored.revision_id, 3)
    assert start <= row[1] < row[2] <= end
    # Asking for the quote on page 1 finds nothing there.
    with pytest.raises(claims.QuoteNotFound, match="page 1 of"):
        claims.add_evidence(db, claim_id, stored.revision_id, quote, "context", None, page=1)


def test_a_quote_copied_across_a_line_break_is_found_with_the_stored_spacing(db, story, tmp_path):
    made = pdfs.text_pdf(tmp_path / "memo.pdf", [["Acme said the review was complete.", "Staff were told."]])
    stored = documents.store_document(db, story, made.data, Received(how="upload", filename="memo.pdf"))
    claim_id = claims.log_claim(db, story["id"], "The review is complete", "Acme", "organization", None)
    evidence_id = claims.add_evidence(db, claim_id, stored.revision_id, "review was\n  complete.", "supports", None)
    assert db.execute("SELECT quote FROM evidence WHERE id = ?", [evidence_id]).fetchone()[0] == "review was complete."


def test_the_same_file_uploaded_twice_is_one_item_named_by_its_sha256(db, story, tmp_path):
    made = pdfs.multi_page_pdf(tmp_path / "a.pdf", 2)
    first = documents.store_document(db, story, made.data, Received(how="upload", filename="a.pdf"))
    again = documents.store_document(db, story, made.data, Received(how="upload", filename="copy.pdf"))
    assert again.coverage_id == first.coverage_id
    assert again.status == "unchanged"
    assert first.canonical_url == "urn:sha256:" + hashlib.sha256(made.data).hexdigest()
    assert db.execute("SELECT count(*) FROM captures").fetchone()[0] == 1


def test_a_pdf_from_a_local_web_server_is_ingested_with_its_headers_and_hash(db, story, site, tmp_path):
    made = pdfs.multi_page_pdf(tmp_path / "statement.pdf", 3)
    url = site.put("/acme/statement.pdf", made.data, content_type="application/pdf")
    with fetcher() as client:
        summary = ingest_targets(db, story["slug"], [url], fetcher=client)
    (result,) = summary.results
    assert result.kind == "document", result.problem
    assert (result.pages, result.text_pages) == (3, 3)
    assert result.sha256 == hashlib.sha256(made.data).hexdigest()
    capture = captures.get_capture(db, db.execute("SELECT id FROM captures").fetchone()[0])
    assert capture["how"] == "fetched" and capture["url"] == url and capture["status"] == 200
    assert capture["headers"]["content-type"] == "application/pdf"
    assert captures.verify(db, capture["id"])
    assert db.execute("SELECT kind FROM coverage WHERE id = ?", [result.item_id]).fetchone()[0] == "document"


def test_ingest_reads_a_local_pdf_and_a_text_file_as_documents(db, story, tmp_path):
    made = pdfs.multi_page_pdf(tmp_path / "local.pdf", 2)
    note = tmp_path / "memo.txt"
    note.write_text("Page one says Acme.\fPage two says more about Acme.")
    pdf = ingest_targets(db, story["slug"], [str(made.path)]).results[0]
    assert (pdf.kind, pdf.pages) == ("document", 2)
    text = ingest_targets(db, story["slug"], [str(note)], as_document=True).results[0]
    assert (text.kind, text.pages) == ("document", 2)


@pytest.mark.parametrize(
    "declared",
    [
        "Microsoft Word - interview-jane-doe.docx",
        "Microsoft Word - Interview Jane Doe",
        "interview_jane_doe_v2.docx",
        "C:\\Users\\jdoe\\Documents\\source notes.doc",
        "/Users/jdoe/Desktop/whistleblower memo.pdf",
        "Scan 2026-12-01 10.42.pdf",
    ],
)
def test_a_title_that_is_a_file_name_or_path_is_no_title(tmp_path, declared):
    # Word and scanners write the file name (and sometimes its folder) where a title goes; a file name
    # can name a confidential source, and it is not what the document calls itself.
    made = pdfs.text_pdf(tmp_path / "doc.pdf", [["Acme memo, the only page."]], title=declared)
    assert readers.read_document(made.data, readers.PDF, max_pages=10).title is None


def test_a_title_that_mentions_a_file_format_is_kept(tmp_path):
    for declared in ("Guidance on PDF accessibility", "Kettle audit v2.1", "Annual report 2025. Summary"):
        made = pdfs.text_pdf(tmp_path / "doc.pdf", [["Acme memo, the only page."]], title=declared)
        assert readers.read_document(made.data, readers.PDF, max_pages=10).title == declared


def test_a_docx_file_is_read_page_by_page(tmp_path):
    import zipfile

    body = (
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
        "<w:p><w:r><w:t>Acme memo, first page.</w:t></w:r></w:p>"
        '<w:p><w:r><w:br w:type="page"/><w:t>Second page: the plant closes.</w:t></w:r></w:p>'
        "</w:body></w:document>"
    )
    path = tmp_path / "memo.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("word/document.xml", body)
    data = path.read_bytes()
    assert readers.media_type_of(data[:4096], "memo.docx") == readers.DOCX
    text = readers.read_document(data, readers.DOCX, max_pages=10)
    assert text.pages == ("Acme memo, first page.", "Second page: the plant closes.")


def _damaged_docx(how: str) -> bytes:
    import io
    import struct
    import zipfile

    body = (
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
        "<w:p><w:r><w:t>Acme memo, the only page.</w:t></w:r></w:p></w:body></w:document>"
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", body)
    data = bytearray(out.getvalue())
    central = data.index(b"PK\x01\x02")
    if how == "corrupt deflate":
        start = 30 + len("word/document.xml")
        data[start : start + 8] = b"\xff" * 8  # a reserved block type
    elif how == "unknown compression":
        struct.pack_into("<H", data, 8, 99)
        struct.pack_into("<H", data, central + 10, 99)
    elif how == "encrypted":
        struct.pack_into("<H", data, 6, 1)
        struct.pack_into("<H", data, central + 8, 1)
    return bytes(data)


@pytest.mark.parametrize(
    ("how", "message"),
    [("corrupt deflate", "damaged"), ("unknown compression", "damaged"), ("encrypted", "encrypted")],
)
def test_a_docx_whose_zip_cannot_be_inflated_is_refused_in_one_line_and_nothing_is_stored(db, story, how, message):
    with pytest.raises(readers.DocumentError, match=message) as refused:
        documents.store_document(db, story, _damaged_docx(how), Received(how="upload", filename="memo.docx"))
    assert "\n" not in str(refused.value)
    assert db.execute("SELECT count(*) FROM coverage").fetchone()[0] == 0


def test_an_html_file_full_of_control_characters_is_refused_as_a_document(db, story):
    data = b"<html><body><p>" + b"\x01\x02" * 200 + b"</p></body></html>"
    with pytest.raises(readers.DocumentError, match="binary") as refused:
        documents.store_document(db, story, data, Received(how="upload", filename="page.html"))
    assert "\n" not in str(refused.value)
    assert db.execute("SELECT count(*) FROM coverage").fetchone()[0] == 0


def test_a_docx_whose_properties_part_inflates_to_hundreds_of_megabytes_is_read_without_inflating_it(tmp_path):
    import zipfile

    body = (
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
        "<w:p><w:r><w:t>Acme memo, the only page.</w:t></w:r></w:p></w:body></w:document>"
    )
    path = tmp_path / "bomb.docx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", body)
        archive.writestr("docProps/core.xml", b"<a>" + b" " * 200_000_000 + b"</a>")
    data = path.read_bytes()
    assert len(data) < 1_000_000
    with _peak_memory() as peak:
        text = readers.read_document(data, readers.DOCX, max_pages=10)
    assert text.pages == ("Acme memo, the only page.",) and text.title is None
    assert peak.bytes < 20_000_000


def _docx(body: bytes) -> bytes:
    import io
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "word/document.xml",
            b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
            + body
            + b"</w:body></w:document>",
        )
    return out.getvalue()


@pytest.mark.parametrize(
    "filler",
    [b"<w:p/>", b"<w:r/>", b"<w:tab/>"],
    ids=["empty paragraphs", "empty runs in one paragraph", "tabs in one paragraph"],
)
def test_a_docx_of_millions_of_tiny_elements_is_read_within_bounded_memory(filler):
    # Under the 64 MB limit on its text part: ten million empty paragraphs in 88 KB took 1 GB as a tree,
    # these half a million 50 MB.
    body = b"<w:p><w:r><w:t>Acme memo.</w:t></w:r></w:p>"
    if filler == b"<w:p/>":
        body += filler * 500_000
    else:
        body += b"<w:p>" + filler * 500_000 + b"<w:r><w:t>End.</w:t></w:r></w:p>"
    data = _docx(body)
    assert len(data) < 100_000
    with _peak_memory() as peak:
        text = readers.read_document(data, readers.DOCX, max_pages=10)
    assert text.pages[0].startswith("Acme memo.")
    assert peak.bytes < 20_000_000


def test_a_docx_nested_thousands_deep_is_refused_as_damaged():
    data = _docx(b"<w:p>" * 100_000 + b"</w:p>" * 100_000)
    with pytest.raises(readers.DocumentError, match="damaged") as refused:
        readers.read_document(data, readers.DOCX, max_pages=10)
    assert "\n" not in str(refused.value)


def test_a_docx_text_box_inside_a_paragraph_and_page_breaks_read_as_before():
    body = (
        b"<w:p><w:r><w:t>Outer</w:t></w:r><w:r><w:txbxContent><w:p><w:r><w:t>boxed</w:t><w:tab/>"
        b"<w:t>words</w:t></w:r></w:p></w:txbxContent></w:r></w:p>"
        b"<w:tbl><w:tr><w:tc><w:p><w:r><w:t>In a cell</w:t><w:br/><w:t>two lines</w:t></w:r></w:p>"
        b"</w:tc></w:tr></w:tbl>"
        b'<w:p><w:r><w:br w:type="page"/><w:t>Page two.</w:t><w:lastRenderedPageBreak/><w:t>Three.</w:t></w:r></w:p>'
    )
    text = readers.read_document(_docx(body), readers.DOCX, max_pages=10)
    assert text.pages == ("Outerboxed words\n\nboxed words\n\nIn a cell\ntwo lines", "Page two.", "Three.")


def test_a_text_document_of_millions_of_short_lines_is_read_within_bounded_memory():
    # Two lists of every line: 20 MB of line breaks took 340 MB, the 100 MB limit some 1.7 GB.
    data = b"Acme memo.\n" + b"\n" * 2_000_000 + b"The end.\n"
    with _peak_memory() as peak:
        text = readers.read_document(data, readers.TEXT, max_pages=10)
    assert text.pages == ("Acme memo.\n\nThe end.",)
    assert peak.bytes < 5 * len(data)


def test_a_text_document_is_read_in_the_charset_its_server_declares_and_otherwise_must_be_utf8(db, story):
    # A text file names no encoding: Windows-1252 was guessed for one that is not UTF-8 (extract-claims refused
    # the same notes). A server's Content-Type does name one, and a file fetched with it is read by it.
    memo = "Acme's caf\u00e9 memo.".encode("latin-1")
    assert readers.read_document(memo, readers.TEXT, max_pages=10, charset="ISO-8859-1").pages == (
        "Acme's caf\u00e9 memo.",
    )
    with pytest.raises(readers.DocumentError, match=r"not UTF-8 text \(byte 10\); save it as UTF-8"):
        readers.read_document(memo, readers.TEXT, max_pages=10)
    fetched = Received(
        how="fetched", url="https://acme.example/memo.txt", headers={"Content-Type": "text/plain; charset=latin1"}
    )
    assert documents.store_document(db, story, memo, fetched).title is not None
    assert db.execute("SELECT text FROM revisions ORDER BY id DESC LIMIT 1").fetchone()[0] == "Acme's caf\u00e9 memo."
    with pytest.raises(readers.DocumentError, match="not UTF-8 text"):
        documents.store_document(db, story, memo + b" 2", Received(how="upload", filename="memo.txt"))


def test_a_pdf_whose_stream_inflates_to_gigabytes_is_refused_within_bounded_memory(tmp_path):
    # Under 1 MB on disk, 512 MB once inflated: read whole it took twice that in memory.
    made = pdfs.compressed_pdf(
        tmp_path / "bomb.pdf", pdfs.inflating("Acme memo", 4 * pdfstreams.MAX_INFLATED), "Acme memo"
    )
    assert len(made.data) < 1_000_000
    with _peak_memory() as peak, pytest.raises(readers.DocumentError, match=REFUSED_BOMB):
        readers.read_document(made.data, readers.PDF, max_pages=10)
    assert peak.bytes < 2.5 * pdfstreams.MAX_INFLATED


def test_a_pdf_page_of_millions_of_characters_in_a_few_kilobytes_is_refused_within_bounded_memory(db, story, tmp_path):
    # pdfminer keeps an object per character of a page: a 2 KB file showing one line of a million
    # characters took 730 MB and 13 s; a file of 20 KB would have taken gigabytes.
    line = "word " * (readers.MAX_PAGE_CHARS * 3 // 5)
    made = pdfs.compressed_pdf(tmp_path / "line.pdf", zlib.compress(pdfs.showing(line), 9), line)
    assert len(made.data) < 10_000
    with _peak_memory() as peak, pytest.raises(readers.DocumentError, match="page 1 has more than") as refused:
        documents.store_document(db, story, made.data, Received(how="upload", filename="line.pdf"))
    assert "\n" not in str(refused.value)
    assert peak.bytes < 100_000_000
    assert db.execute("SELECT count(*) FROM coverage").fetchone()[0] == 0


def test_a_pdf_past_the_characters_read_in_all_is_refused_at_the_page_that_passes_it(tmp_path, monkeypatch):
    # Two thousand pages drawing one stream of 99,999 characters, in 240 KB: 1.1 s a page, 37 minutes.
    monkeypatch.setattr(readers, "MAX_DOCUMENT_CHARS", 50_000)
    line = "word " * 4_000
    made = pdfs.shared_page_pdf(tmp_path / "many.pdf", line, 10)
    with pytest.raises(readers.DocumentError, match="page 3 takes it past 50,000 characters") as refused:
        readers.read_document(made.data, readers.PDF, max_pages=100)
    assert "\n" not in str(refused.value)
    monkeypatch.setattr(readers, "MAX_DOCUMENT_CHARS", 10 * len(line))
    assert readers.read_document(made.data, readers.PDF, max_pages=100).pages == (line.strip(),) * 10


def test_a_pdf_page_whose_text_is_all_one_long_line_is_read(tmp_path):
    line = " ".join(pdfs.sentences(5, 200))
    made = pdfs.compressed_pdf(tmp_path / "line.pdf", zlib.compress(pdfs.showing(line), 9), line)
    assert readers.read_document(made.data, readers.PDF, max_pages=10).pages == (line,)


def test_a_pdf_stream_under_the_bound_is_read_as_before(tmp_path):
    made = pdfs.compressed_pdf(tmp_path / "ok.pdf", pdfs.inflating("Acme memo", 20_000_000), "Acme memo")
    assert readers.read_document(made.data, readers.PDF, max_pages=10).pages == ("Acme memo",)


def test_a_pdf_stream_with_a_damaged_checksum_keeps_its_text(tmp_path):
    stream = bytearray(zlib.compress(pdfs.showing("Acme memo, checksum damaged")))
    stream[-1] ^= 0xFF
    made = pdfs.compressed_pdf(tmp_path / "crc.pdf", bytes(stream), "Acme memo, checksum damaged")
    assert readers.read_document(made.data, readers.PDF, max_pages=10).pages == ("Acme memo, checksum damaged",)


def test_damaged_streams_are_inflated_as_pdfminer_keeps_them_and_within_the_bound():
    text = b"".join(pdfs.showing(f"line {i} of the memo") for i in range(40_000))  # about 1.4 MB
    packed = zlib.compress(text)
    bad_checksum = packed[:-1] + bytes([packed[-1] ^ 0xFF])
    assert pdfstreams.inflate_damaged(bad_checksum) == text  # an error in the checksum keeps the text
    packed = packed[:20_000]  # pdfminer's own reader takes seconds on more
    assert pdfstreams.inflate_damaged(packed[: len(packed) // 2]) == zlib.decompressobj().decompress(
        packed[: len(packed) // 2]
    )  # cut short: what was there
    original = _pdfminer_decompress_corrupted()
    for n, damage in enumerate(range(50, len(packed) - 1, len(packed) // 7)):
        broken = bytearray(packed)
        broken[damage : damage + 16] = bytes(range(n, n + 16))
        try:
            expected = original(bytes(broken))
        except zlib.error:
            with pytest.raises(zlib.error):
                pdfstreams.inflate_damaged(bytes(broken))
        else:
            assert pdfstreams.inflate_damaged(bytes(broken)) == expected
    bomb = pdfs.inflating("x", 2 * pdfstreams.MAX_INFLATED)
    with pytest.raises(pdfstreams.StreamTooLarge):
        pdfstreams.inflate_damaged(bomb[:-1] + bytes([bomb[-1] ^ 0xFF]))


def test_an_lzw_stream_is_read_as_pdfminer_reads_it_and_an_lzw_bomb_is_refused(tmp_path):
    text = b"".join(pdfs.showing(f"line {i} of the memo") for i in range(3000))
    packed = pdfs.lzw(text)
    assert pdfstreams.lzw_inflate(packed) == _pdfminer_lzwdecode()(packed) == text
    made = pdfs.compressed_pdf(
        tmp_path / "lzw.pdf", pdfs.lzw(pdfs.showing("Acme memo")), "Acme memo", packing="LZWDecode"
    )
    assert readers.read_document(made.data, readers.PDF, max_pages=10).pages == ("Acme memo",)
    # A few kilobytes standing for hundreds of megabytes; pdfminer's decoder also copied its whole
    # code table on every code, so the time grew with the square of the stream.
    bomb = pdfs.compressed_pdf(
        tmp_path / "bomb.pdf", pdfs.lzw_bomb(2 * pdfstreams.MAX_INFLATED), "", packing="LZWDecode"
    )
    assert len(bomb.data) < 200_000
    with _peak_memory() as peak, pytest.raises(readers.DocumentError, match=REFUSED_BOMB):
        readers.read_document(bomb.data, readers.PDF, max_pages=10)
    assert peak.bytes < 3 * pdfstreams.MAX_INFLATED


REFUSED_BOMB = r"^the PDF is not read: page 1 has a compressed part"


class _Peak:
    bytes = 0


@contextlib.contextmanager
def _peak_memory():
    """The most Python held at once inside the block (tracemalloc), in `.bytes` once it ends, however it ends."""
    peak = _Peak()
    tracemalloc.start()
    try:
        yield peak
    finally:
        peak.bytes = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()


def _pdfminer_lzwdecode():
    from pdfminer.lzw import lzwdecode

    return lzwdecode


def _pdfminer_decompress_corrupted():
    """pdfminer's own reader of damaged streams, from a fresh copy of its module (the bound replaces it)."""
    import importlib.util

    import pdfminer.pdftypes

    spec = importlib.util.spec_from_file_location("pdftypes_as_shipped", pdfminer.pdftypes.__file__)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.decompress_corrupted


def test_a_50_mb_pdf_is_stored_and_read_back_without_holding_it_in_memory_whole(db, story, tmp_path):
    made = pdfs.large_pdf(tmp_path / "big.pdf")
    size = made.path.stat().st_size
    assert size > 50_000_000
    tracemalloc.start()
    try:
        with made.path.open("rb") as stream:
            stored = documents.store_document(db, story, stream, Received(how="upload", filename="big.pdf"))
        _, peak = tracemalloc.get_traced_memory()
        held, _ = tracemalloc.get_traced_memory()
        tracemalloc.reset_peak()
        digest = hashlib.sha256()
        for piece in captures.chunks(db, stored.capture_id):
            digest.update(piece)
        _, read_peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert (stored.pages, stored.text_pages) == (4, 3)
    assert digest.hexdigest() == stored.sha256 == hashlib.sha256(made.data).hexdigest()
    # The reader holds each image stream once (pdfminer reads a stream whole); nothing else copies the file.
    assert peak < 2.5 * size
    assert read_peak - held < 8 * captures.CHUNK


def test_a_web_page_or_text_that_mentions_the_pdf_header_near_its_top_is_read_as_what_it_is(db, story):
    # PDF readers look for '%PDF-' anywhere in the first kilobyte (after junk a mail gateway put in front),
    # but a page or a note about PDFs can write it there too: markup or a text file's name says otherwise.
    page = b"<!doctype html><html><head><title>Why %PDF-1.7 matters</title></head><body><p>Acme said no.</p></body>"
    assert readers.media_type_of(page, "page.html") == readers.HTML
    assert readers.media_type_of(page) == readers.HTML
    note = b"Notes: the file starts %PDF-1.4 then the trailer. Acme said no."
    assert readers.media_type_of(note, "notes.txt") == readers.TEXT
    stored = documents.store_document(db, story, page, Received(how="upload", filename="page.html"))
    assert (stored.media_type, stored.pages) == (readers.HTML, 1)
    # A PDF behind a few bytes of junk is still a PDF.
    assert readers.media_type_of(b"\r\nX-Junk: 1\r\n%PDF-1.4\n1 0 obj", "scan.pdf") == readers.PDF
    assert readers.media_type_of(b"%PDF-1.4\n<html>", "x.html") == readers.PDF


def test_an_unknown_file_type_is_refused(db, story):
    with pytest.raises(readers.DocumentError, match="not a document the tracker reads"):
        documents.store_document(db, story, b"\x89PNG\r\n\x1a\n" + b"\0" * 100, Received(how="upload"))


def test_cli_ingest_prints_a_document_line_and_refuses_an_encrypted_pdf_in_one_line(db_path, db, story, tmp_path):
    from click.testing import CliRunner

    from tracker.cli import cli

    good = pdfs.multi_page_pdf(tmp_path / "good.pdf", 2)
    locked = pdfs.text_pdf(tmp_path / "locked.pdf", [["Locked."]], encrypt="pw")
    runner = CliRunner()
    ok = runner.invoke(cli, ["ingest", story["slug"], str(good.path), "--db", str(db_path)])
    assert ok.exit_code == 0, ok.output
    assert f"document, new, 2 pages (2 with text), sha256 {hashlib.sha256(good.data).hexdigest()}" in ok.output
    refused = runner.invoke(cli, ["ingest", story["slug"], str(locked.path), "--db", str(db_path)])
    assert refused.exit_code == 1
    (line,) = [line for line in refused.output.splitlines() if line.startswith("failed:")]
    assert "encrypted with a password" in line and "Traceback" not in refused.output


def test_a_declared_title_and_a_text_file_s_words_are_stored_without_control_codes(db, story, tmp_path):
    """A PDF's title and a text file's words are whoever made the file's to write: an escape sequence in either
    was stored as read, and reached the terminal of anyone reading the document's candidates or its alerts
    there; a NUL made the title end early for SQLite. Scraped pages lose these as they are decoded."""
    titled = pdfs.text_pdf(
        tmp_path / "t.pdf", [["Acme will recall the kettles."]], title="\x1b]0;owned\x07Kettle\x00 audit"
    )
    stored = documents.store_document(db, story, titled.data, captures.Received(how="upload", filename="audit.pdf"))
    assert stored.title == "]0;ownedKettle audit"
    memo = b"Acme said\x1b[2J the recall\x07 starts\x08 Monday.\n\nThe board\x1b[31m agreed."
    stored = documents.store_document(
        db, story, memo, captures.Received(how="upload", filename="memo.txt", media_type="text/plain")
    )
    (text,) = db.execute("SELECT text FROM revisions WHERE id = ?", [stored.revision_id]).fetchone()
    assert text == "Acme said[2J the recall starts Monday.\n\nThe board[31m agreed."


def test_a_one_page_document_stored_in_the_editor_is_said_in_the_singular(client, auth, accounts, story):
    """Storing a note of one page said "Document stored: 1 pages, 1 with text."."""
    from tests.conftest import upload_document

    auth.login("reporter")
    response = upload_document(client, story, b"The recall covers 40,000 kettles, the company said.\n", "note.txt")
    assert response.status_code == 302, response.get_data(as_text=True)
    shown = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Document stored: 1 page, 1 with text." in shown and "1 pages" not in shown


def test_a_pdf_over_a_limit_of_one_page_says_page_not_pages():
    """A limit of one page, and a PDF whose page tree gives no count: "the PDF has more than 1 pages"."""
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>"
    data = pdfs.laid_out([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R 4 0 R] >>", page, page])
    with pytest.raises(readers.DocumentError) as refused:
        readers.read_document(data, readers.PDF, max_pages=1)
    assert "the PDF has more than 1 page, over the limit of 1;" in str(refused.value), refused.value


@pytest.mark.parametrize(
    "limit, says",
    [
        (512 * 1024, "over the 0.5 MB limit"),
        (1536 * 1024, "over the 1.5 MB limit"),
        (100 * 1024 * 1024, "over the 100 MB limit"),
        (10, "over the 10 bytes limit"),
    ],
)
def test_a_document_over_a_limit_that_is_not_whole_megabytes_says_the_limit_set(db, story, limit, says):
    """TRACKER_DOCUMENT_MAX_MB=0.5 refused a 600 KB file "over the 0 MB limit": a limit nobody set."""
    data = b"%PDF-1.4\n" + b"0" * (limit + 100 * 1024)
    with pytest.raises(documents.DocumentTooLarge) as refused:
        documents.store_document(
            db, story, data, Received(how="upload", filename="big.pdf"), settings=settings(document_max_bytes=limit)
        )
    assert says in str(refused.value), refused.value
