"""Items kept as received: raw bytes, headers and SHA-256 of what evidence cites, and the bundles built from them."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile

from warcio.archiveiterator import ArchiveIterator

from tests import pdfs
from tests.sites import article, fetcher
from tracker import bundles, captures, claims, coverage, documents, reporting
from tracker.captures import Received
from tracker.ingest import ingest_targets

FIRST = ["Acme Widgets said on Monday that no kettles would be recalled.", "The company declined to say more."]
EDITED = ["Acme Widgets said on Monday that some kettles would be recalled.", "The company declined to say more."]


def test_a_page_edited_after_citation_keeps_the_cited_bytes_and_the_new_revision(db, story, site):
    first = article("Acme and its kettles", FIRST)
    url = site.put("/news/acme-kettles", first, headers={"X-Served-By": "edge-1"})
    with fetcher() as client:
        (ingested,) = ingest_targets(db, story["slug"], [url], fetcher=client).results
    claim_id = claims.log_claim(db, story["id"], "No kettles will be recalled", "Acme Widgets", "organization", None)
    claims.add_evidence(db, claim_id, ingested.revision_id, "no kettles would be recalled", "supports", None)

    edited = article("Acme and its kettles", EDITED)
    site.put("/news/acme-kettles", edited)
    with fetcher() as client:
        (again,) = ingest_targets(db, story["slug"], [url], fetcher=client).results
    assert again.status == "updated" and again.revision_id != ingested.revision_id

    kept = captures.for_revisions(db, [ingested.revision_id, again.revision_id])
    assert captures.raw_bytes(db, kept[ingested.revision_id]["id"]) == (
        first if isinstance(first, bytes) else first.encode()
    )
    assert captures.raw_bytes(db, kept[again.revision_id]["id"]) == (
        edited if isinstance(edited, bytes) else edited.encode()
    )
    cited = captures.get_capture(db, kept[ingested.revision_id]["id"])
    assert cited["headers"]["x-served-by"] == "edge-1"
    assert cited["sha256"] == hashlib.sha256(cited_bytes(first)).hexdigest()
    # The claim's evidence still names the bytes it was cited from, and says the quote changed later.
    (evidence,) = claims.evidence_for(db, claim_id)
    assert evidence["sha256"] == cited["sha256"] and evidence["received_at"] == cited["received_at"]
    assert [c["evidence_id"] for c in claims.changed_evidence(db, claim_id=claim_id)] == [evidence["id"]]


def cited_bytes(body: bytes | str) -> bytes:
    return body if isinstance(body, bytes) else body.encode()


def test_identical_bytes_are_stored_once(db, story):
    item = coverage.upsert_item(db, story["id"], "https://acme.example/a", title="A")
    data = b"<html>" + b"same bytes " * 1000 + b"</html>"
    one = captures.keep(db, item, data, Received(how="upload"), role="attachment")
    two = captures.keep(db, item, data, Received(how="upload"), role="attachment")
    assert one != two
    assert db.execute("SELECT count(*) FROM capture_blobs").fetchone()[0] == 1
    stored = db.execute("SELECT stored, size FROM capture_blobs").fetchone()
    assert stored[0] < stored[1] / 5  # compressed
    assert captures.verify(db, one) and captures.verify(db, two)


def test_a_claim_bundle_verifies_and_its_warc_opens_with_warcio(db, story, site, tmp_path, accounts):
    page_url = site.put("/news/acme", article("Acme and its kettles", FIRST), headers={"X-Served-By": "edge-2"})
    made = pdfs.multi_page_pdf(tmp_path / "statement.pdf", 3)
    pdf_url = site.put("/acme/statement.pdf", made.data, content_type="application/pdf")
    with fetcher() as client:
        page, document = ingest_targets(db, story["slug"], [page_url, pdf_url], fetcher=client).results
    note = reporting.log_reporting(
        db, story["id"], how="email", at="2026-01-05T10:00:00Z", words="We will not recall kettles.", user=None
    )
    reporting.attach_file(
        db, note, b"From: press@acme.example", filename="email.eml", media_type="message/rfc822", user=None
    )
    claim_id = claims.log_claim(db, story["id"], "No recall", "Acme Widgets", "organization", None)
    claims.add_evidence(db, claim_id, page.revision_id, "no kettles would be recalled", "supports", None)
    claims.add_evidence(db, claim_id, document.revision_id, made.pages[2][0], "supports", None)
    claims.add_evidence(
        db, claim_id, coverage.latest_revision_id(db, note), "We will not recall kettles.", "supports", None
    )

    bundle = bundles.claim_bundle(db, claim_id)
    archive = zipfile.ZipFile(io.BytesIO(bundle.file.read()))
    manifest = json.loads(archive.read("manifest.json"))
    assert manifest["claim"]["id"] == claim_id
    assert {e["page"] for e in manifest["evidence"]} == {None, 3}
    # The page, the PDF and the email attached to the reporting note (whose words are no file).
    assert sorted(i["role"] for i in manifest["items"]) == ["attachment", "document", "page"]
    for item in manifest["items"]:
        data = archive.read(item["path"])
        assert hashlib.sha256(data).hexdigest() == item["sha256"] == item["recorded_sha256"]
    pdf_item = next(i for i in manifest["items"] if i["role"] == "document")
    assert archive.read(pdf_item["path"]) == made.data
    sums = dict(reversed(line.split("  ", 1)) for line in archive.read("SHA256SUMS").decode().splitlines())
    assert hashlib.sha256(archive.read("web.warc.gz")).hexdigest() == sums["web.warc.gz"] == manifest["warc"]["sha256"]

    records = {}
    for record in ArchiveIterator(io.BytesIO(archive.read("web.warc.gz"))):
        if record.rec_type == "response":
            records[record.rec_headers.get_header("WARC-Target-URI")] = (
                record.http_headers.get_statuscode(),
                record.http_headers.get_header("X-Served-By"),
                record.content_stream().read(),
                record.rec_headers.get_header("WARC-Date"),
            )
    assert set(records) == {page_url, pdf_url}
    assert records[pdf_url][0] == "200" and records[pdf_url][2] == made.data
    assert records[page_url][1] == "edge-2"
    page_item = next(i for i in manifest["items"] if i["role"] == "page")
    assert records[page_url][3] == page_item["received_at"]


def test_a_story_bundle_holds_every_cited_item(db, story, tmp_path):
    made = pdfs.multi_page_pdf(tmp_path / "a.pdf", 2)
    stored = documents.store_document(db, story, made.data, Received(how="upload", filename="a.pdf"))
    for n in range(2):
        claim_id = claims.log_claim(db, story["id"], f"Claim {n}", "Acme", "document", None)
        claims.add_evidence(db, claim_id, stored.revision_id, made.pages[n][0], "supports", None)
    bundle = bundles.story_bundle(db, story)
    archive = zipfile.ZipFile(io.BytesIO(bundle.file.read()))
    manifest = json.loads(archive.read("manifest.json"))
    assert len(manifest["story"]["claims"]) == 2 and len(manifest["evidence"]) == 2
    assert [i["sha256"] for i in manifest["items"]] == [stored.sha256]
    assert manifest["warc"]["records"] == 0
