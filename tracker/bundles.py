"""Evidence bundles for legal review: per claim or per story, a zip of every item kept as received.

What is in one bundle (editors only; built into a temporary file, streamed):

- items/<capture id>-<name>: each item's bytes exactly as received (the pages,
  documents, screenshots and attachments the evidence rests on);
- web.warc.gz: the items fetched from the web as WARC 1.1 response records
  (warcio), each with the HTTP status and headers we received, the time we
  received it, and its URL, so standard web-archive tools can replay them.
  The transport decoded any Content-Encoding, so the records carry the
  decoded body with Content-Encoding and Transfer-Encoding dropped and a
  Content-Length that matches;
- manifest.json: when it was made, the claim(s) and their evidence (quote,
  page, offsets, the SHA-256 of the item each rests on), and every item with
  its SHA-256, size, when and how it came; SHA256SUMS: the same digests in the
  form `sha256sum -c` checks.

A manifest's SHA-256 is of the bytes as received, so anyone can check a file
in the bundle against it, and against the hash the editor showed at the time.
"""

from __future__ import annotations

import hashlib
import json
import re
import tempfile
import zipfile
from dataclasses import dataclass
from typing import BinaryIO

import sqlite_utils

from scrapers.urls import is_http_url
from tracker import captures, claims
from tracker.db import now, rows

WARC_NAME = "web.warc.gz"
DROPPED_HEADERS = {"content-encoding", "transfer-encoding", "content-length"}
SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")
EXTENSIONS = {
    "application/pdf": ".pdf",
    "text/html": ".html",
    "text/plain": ".txt",
    "image/png": ".png",
    "image/jpeg": ".jpg",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
}


@dataclass(frozen=True)
class Bundle:
    """A bundle written to `file` (positioned at its start), with its download name and how many items it holds."""

    file: BinaryIO
    filename: str
    items: int


def claim_bundle(db: sqlite_utils.Database, claim_id: int) -> Bundle:
    """The bundle of one claim: every item its evidence cites, as received."""
    claim = claims.get_claim(db, claim_id)
    items = captures.captures_for(db, claim_id=claim_id)
    items += [c for c in _attachments(db, [c["coverage_id"] for c in items]) if c["id"] not in {i["id"] for i in items}]
    evidence = claims.evidence_for(db, claim_id)
    subject = {
        "claim": {"id": claim["id"], "text": claim["text"], "status": claim["status"], "story": claim["story_slug"]}
    }
    return _write(db, subject, items, evidence, f"evidence-claim-{claim_id}.zip")


def story_bundle(db: sqlite_utils.Database, story: dict) -> Bundle:
    """The bundle of a story: every item any of its claims' evidence cites, as received."""
    claim_ids = [r[0] for r in db.execute("SELECT id FROM claims WHERE story_id = ? ORDER BY id", [story["id"]])]
    items: dict[int, dict] = {}
    evidence: list[dict] = []
    for claim_id in claim_ids:
        for capture in captures.captures_for(db, claim_id=claim_id):
            items.setdefault(capture["id"], capture)
        evidence += claims.evidence_for(db, claim_id)
    for capture in _attachments(db, sorted({c["coverage_id"] for c in items.values()})):
        items.setdefault(capture["id"], capture)
    subject = {"story": {"slug": story["slug"], "title": story["title"], "claims": claim_ids}}
    return _write(db, subject, list(items.values()), evidence, f"evidence-{story['slug']}.zip")


def _attachments(db: sqlite_utils.Database, coverage_ids: list[int]) -> list[dict]:
    out: list[dict] = []
    for coverage_id in coverage_ids:
        out += [c for c in captures.captures_for(db, coverage_id=coverage_id) if c["revision_id"] is None]
    return out


def _write(db: sqlite_utils.Database, subject: dict, items: list[dict], evidence: list[dict], name: str) -> Bundle:
    out = tempfile.SpooledTemporaryFile(max_size=16 << 20)
    manifest_items = []
    warc_file = tempfile.TemporaryFile()
    from warcio.warcwriter import WARCWriter

    writer = WARCWriter(warc_file, gzip=True, warc_version="WARC/1.1")
    writer.write_record(
        writer.create_warcinfo_record(WARC_NAME, {"software": "Newsroom Tracker", "format": "WARC File Format 1.1"})
    )
    web = 0
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
        for item in sorted(items, key=lambda c: c["id"]):
            path = f"items/{item['id']}-{item_name(item)}"
            digest = hashlib.sha256()
            size = 0
            with archive.open(path, "w", force_zip64=True) as member, tempfile.SpooledTemporaryFile(8 << 20) as body:
                for piece in captures.chunks(db, item["id"]):
                    digest.update(piece)
                    size += len(piece)
                    member.write(piece)
                    body.write(piece)
                if item["how"] == "fetched" and is_http_url(item["url"]):
                    body.seek(0)
                    _warc_response(writer, db, item, body, size)
                    web += 1
            manifest_items.append(
                {
                    "path": path,
                    "sha256": digest.hexdigest(),
                    "recorded_sha256": item["sha256"],
                    "size": size,
                    "received_at": item["received_at"],
                    "how": item["how"],
                    "url": item["url"] if item["how"] == "fetched" else None,
                    "filename": item["filename"],
                    "status": item["status"],
                    "media_type": item["media_type"],
                    "role": item["role"],
                    "coverage_id": item["coverage_id"],
                    "revision_id": item["revision_id"],
                    "in_warc": item["how"] == "fetched" and is_http_url(item["url"]),
                }
            )
        warc_file.seek(0)
        warc_digest = hashlib.sha256()
        with archive.open(WARC_NAME, "w", force_zip64=True) as member:
            while piece := warc_file.read(captures.CHUNK):
                warc_digest.update(piece)
                member.write(piece)
        warc_file.close()
        by_revision = {c["revision_id"]: c["sha256"] for c in items if c["revision_id"]}
        manifest = {
            "generated_at": now(),
            **subject,
            "evidence": [
                {
                    "id": e["id"],
                    "claim_id": e["claim_id"],
                    "quote": e["quote"],
                    "stance": e["stance"],
                    "revision_id": e["revision_id"],
                    "page": e["page"],
                    "start": e["start"],
                    "end": e["end"],
                    "added_at": e["added_at"],
                    "item_sha256": by_revision.get(e["revision_id"]),
                }
                for e in evidence
            ],
            "items": manifest_items,
            "warc": {"path": WARC_NAME, "sha256": warc_digest.hexdigest(), "records": web},
        }
        archive.writestr("manifest.json", json.dumps(manifest, indent=2, ensure_ascii=False))
        sums = [f"{i['sha256']}  {i['path']}" for i in manifest_items] + [f"{warc_digest.hexdigest()}  {WARC_NAME}"]
        archive.writestr("SHA256SUMS", "\n".join(sums) + "\n")
    out.seek(0)
    return Bundle(out, name, len(manifest_items))


def _warc_response(writer, db: sqlite_utils.Database, item: dict, body: BinaryIO, size: int) -> None:
    from warcio.statusandheaders import StatusAndHeaders

    headers = captures.get_capture(db, item["id"])["headers"]
    kept = [(k, str(v)) for k, v in headers.items() if k.lower() not in DROPPED_HEADERS]
    kept.append(("Content-Length", str(size)))
    status = item["status"] or 200
    http_headers = StatusAndHeaders(f"{status} {_reason(status)}", kept, protocol="HTTP/1.1")
    record = writer.create_warc_record(
        item["url"],
        "response",
        payload=body,
        length=size,
        http_headers=http_headers,
        warc_headers_dict={"WARC-Date": item["received_at"]},
    )
    writer.write_record(record)


def _reason(status: int) -> str:
    from http import HTTPStatus

    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Unknown"


def item_name(item: dict) -> str:
    """A safe file name for an item in a bundle or a download: its own name or URL's last part, and an extension."""
    base = item["filename"] or (item["url"] or "").rstrip("/").rsplit("/", 1)[-1] or item["role"]
    base = SAFE_NAME.sub("_", base)[:80].strip("._") or item["role"]
    extension = EXTENSIONS.get((item["media_type"] or "").split(";")[0].strip().lower(), "")
    if extension and not base.lower().endswith(extension):
        base += extension
    return base


def bundle_rows(db: sqlite_utils.Database, claim_id: int) -> list[dict]:
    """What a claim's bundle would hold, for the claim page: each item's name, SHA-256 and when it came."""
    return rows(
        db,
        """SELECT k.id, k.role, k.received_at, k.sha256, k.size FROM captures k
           WHERE k.coverage_id IN (SELECT r.coverage_id FROM evidence e JOIN revisions r ON r.id = e.revision_id
                                   WHERE e.claim_id = ?) ORDER BY k.id""",
        [claim_id],
    )
