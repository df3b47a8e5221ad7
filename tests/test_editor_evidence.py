"""The editor's documents, reporting and posts pages through the Flask client: uploads, refusals, downloads."""

from __future__ import annotations

import hashlib
import io

from tests import pdfs
from tests.conftest import csrf_from
from tracker import captures, claims, coverage, reporting


def _form(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200
    return csrf_from(response.get_data(as_text=True))


def test_a_document_larger_than_the_usual_request_limit_uploads(client, auth, accounts, story, db, tmp_path):
    auth.login("reporter")
    made = pdfs.large_pdf(tmp_path / "big.pdf", size=5 * 1024 * 1024, text_pages=2)
    token = _form(client, f"/stories/{story['slug']}/documents/new")
    response = client.post(
        f"/stories/{story['slug']}/documents/new",
        data={"csrf_token": token, "file": (io.BytesIO(made.data), "big.pdf")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    assert "/pages/1" in response.headers["Location"]
    (sha,) = db.execute("SELECT sha256 FROM captures").fetchone()
    assert sha == hashlib.sha256(made.data).hexdigest()
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Page 1" in page and "Kept as received" in page and sha[:16] in page


def test_an_encrypted_pdf_is_refused_on_the_form_with_one_line(client, auth, accounts, story, db, tmp_path):
    auth.login("reporter")
    locked = pdfs.text_pdf(tmp_path / "locked.pdf", [["Secret."]], encrypt="pw")
    token = _form(client, f"/stories/{story['slug']}/documents/new")
    response = client.post(
        f"/stories/{story['slug']}/documents/new",
        data={"csrf_token": token, "file": (io.BytesIO(locked.data), "locked.pdf")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    assert "locked.pdf: the PDF is encrypted with a password" in response.get_data(as_text=True)
    assert db.execute("SELECT count(*) FROM coverage").fetchone()[0] == 0


def test_an_item_as_received_downloads_and_never_renders_in_the_editor(client, auth, accounts, story, db):
    item = coverage.upsert_item(db, story["id"], "https://acme.example/a", title="A")
    hostile = b"<html><script>alert(document.cookie)</script>Acme</html>"
    capture_id = captures.keep(
        db, item, hostile, captures.Received(how="fetched", url="https://acme.example/a"), role="page"
    )
    auth.login("reporter")
    response = client.get(f"/captures/{capture_id}/raw")
    assert response.status_code == 200
    assert response.data == hostile
    assert response.headers["Content-Type"] == "application/octet-stream"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert "sandbox" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-SHA256"] == hashlib.sha256(hostile).hexdigest()


def test_bundles_are_for_editors_only(client, auth, accounts, story, db):
    claim_id = claims.log_claim(db, story["id"], "A claim", "Acme", "organization", None)
    auth.login("reporter")
    assert client.get(f"/claims/{claim_id}/bundle").status_code == 403
    auth.logout()
    auth.login("editor")
    response = client.get(f"/claims/{claim_id}/bundle")
    assert response.status_code == 200 and response.mimetype == "application/zip"
    assert response.data[:2] == b"PK"


def test_reporting_form_keeps_identity_private_and_an_editor_approves_the_line(client, auth, accounts, story, db):
    auth.login("reporter")
    token = _form(client, f"/stories/{story['slug']}/reporting/new")
    response = client.post(
        f"/stories/{story['slug']}/reporting/new",
        data={
            "csrf_token": token,
            "how": "interview",
            "at": "2026-02-03T10:30",
            "words": "Acme will close the plant.",
            "identity": "Robin Example, plant manager",
            "attribution": "a senior manager",
            "file": (io.BytesIO(b"recording transcript"), "transcript.txt"),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    coverage_id = int(response.headers["Location"].rsplit("/", 1)[1])
    note = reporting.get_reporting(db, coverage_id)
    assert note["identity"] == "Robin Example, plant manager" and note["approved_by"] is None
    assert [c["filename"] for c in captures.captures_for(db, coverage_id=coverage_id)] == ["transcript.txt"]
    token = _form(client, f"/reporting/{coverage_id}")
    refused = client.post(
        f"/reporting/{coverage_id}/attribution", data={"csrf_token": token, "attribution": "x", "approve": "1"}
    )
    assert refused.status_code == 403
    auth.logout()
    auth.login("editor")
    token = _form(client, f"/reporting/{coverage_id}")
    client.post(
        f"/reporting/{coverage_id}/attribution",
        data={"csrf_token": token, "attribution": "a senior manager", "approve": "1"},
    )
    assert reporting.get_reporting(db, coverage_id)["public_line"] == (
        "A senior manager told the newsroom on 3 February 2026"
    )


def test_a_post_is_logged_with_its_screenshot(client, auth, accounts, story, db):
    auth.login("reporter")
    token = _form(client, f"/stories/{story['slug']}/posts/new")
    response = client.post(
        f"/stories/{story['slug']}/posts/new",
        data={
            "csrf_token": token,
            "url": "https://social.example/@acme/7",
            "handle": "@acme",
            "posted_at": "2026-02-01T09:00",
            "text": "Acme is hiring.",
            "file": (io.BytesIO(b"\x89PNG screenshot"), "post.png"),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    item_id = int(response.headers["Location"].rsplit("/", 1)[1])
    (shot,) = captures.captures_for(db, coverage_id=item_id)
    assert shot["role"] == "screenshot" and captures.raw_bytes(db, shot["id"]) == b"\x89PNG screenshot"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Posted" in page and "@acme" in page
