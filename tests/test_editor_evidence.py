"""The editor's documents, reporting and posts pages through the Flask client: uploads, refusals, downloads."""

from __future__ import annotations

import hashlib
import html
import io
import json
import zipfile

import pytest

from tests import pdfs
from tests.conftest import csrf_from, upload_document
from tests.test_editor_workflow import fetching
from tracker import attribution, captures, claims, config, coverage, documents, reporting


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


def test_a_document_longer_than_is_read_for_claims_is_stored_whole_and_says_so(
    client, auth, accounts, story, db, monkeypatch
):
    """An upload's text is read for candidates in the request: past attribution.MAX_TEXT_CHARS only its first
    part is, and the reporter is told on the next page (the limit is lowered here rather than sending megabytes)."""
    monkeypatch.setattr(attribution, "MAX_TEXT_CHARS", 300)
    text = "\n".join(f"Contoso said depot {i} will open in June." for i in range(40))
    auth.login("reporter")
    response = upload_document(client, story, text.encode(), "depots.txt")
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    page = html.unescape(client.get(response.headers["Location"]).get_data(as_text=True))
    read = text.rfind("\n", 0, 300)
    assert f"only the first {read:,} of {len(text):,} characters were read for candidates: split the" in page
    (stored,) = db.execute("SELECT text FROM revisions").fetchone()
    assert stored.strip() == text  # the document itself is kept whole
    lines = len(text[:read].splitlines())  # one candidate a line, up to the cut
    assert db.execute('SELECT count(*), max("end") <= ? FROM candidates', [read]).fetchone() == (lines, 1)


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


@pytest.mark.parametrize(
    ("path", "fields"),
    [
        ("reporting/new", {"how": "call", "at": "2026-02-03T10:30", "words": "Acme will close the plant."}),
        ("posts/new", {"url": "https://social.example/@acme/8", "handle": "@acme", "text": "Acme is hiring."}),
    ],
)
def test_a_refused_file_keeps_what_was_typed_once_and_says_why(client, auth, accounts, story, db, path, fields):
    """The words are stored before the file is checked: a refused file must not invite a second, duplicate log."""
    auth.login("reporter")
    before = db.execute("select count(*) from coverage").fetchone()[0]
    token = _form(client, f"/stories/{story['slug']}/{path}")
    response = client.post(
        f"/stories/{story['slug']}/{path}",
        data={"csrf_token": token, **fields, "file": (io.BytesIO(b""), "empty.png")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    assert db.execute("select count(*) from coverage").fetchone()[0] == before + 1
    item_id = int(response.headers["Location"].rsplit("/", 1)[1])
    assert captures.captures_for(db, coverage_id=item_id) == []
    page = html.unescape(client.get(response.headers["Location"]).get_data(as_text=True))
    assert "Logged, but empty.png was not attached: The file is empty" in page
    assert 'enctype="multipart/form-data"' in page  # the item's own form to attach it again


@fetching
def test_a_document_is_fetched_from_its_address_on_the_form(client, auth, accounts, story, db, http_server, tmp_path):
    made = pdfs.multi_page_pdf(tmp_path / "report.pdf", 3, seed=5)
    http_server.route("/robots.txt", "", status=404)
    url = http_server.route("/regulator/report.pdf", made.data, content_type="application/pdf")
    auth.login("reporter")
    token = _form(client, f"/stories/{story['slug']}/documents/new")
    for bad, message in (("javascript:alert(1)", "full web address"), (http_server.url("/gone.pdf"), "HTTP 404")):
        refused = client.post(f"/stories/{story['slug']}/documents/new", data={"csrf_token": token, "url": bad})
        assert refused.status_code == 422, bad
        assert message in refused.get_data(as_text=True), bad
    assert db.execute("SELECT count(*) FROM coverage").fetchone()[0] == 0
    response = client.post(f"/stories/{story['slug']}/documents/new", data={"csrf_token": token, "url": url})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    capture = db.execute("SELECT how, url, status, sha256 FROM captures").fetchone()
    assert capture == ("fetched", url, 200, hashlib.sha256(made.data).hexdigest())
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Page 1 of 3" in page and "(fetched, HTTP 200)" in page
    assert made.pages[0][0] in html.unescape(page)


@fetching
def test_a_fetched_document_longer_than_is_read_for_claims_says_so(
    client, auth, accounts, story, db, http_server, monkeypatch
):
    """A document fetched from its address is read for candidates as it is stored (ingest_url, in the request):
    the warning comes back with the result, and the form's next page shows it."""
    monkeypatch.setattr(attribution, "MAX_TEXT_CHARS", 300)
    text = "\n".join(f"Contoso said depot {i} will open in June." for i in range(40))
    http_server.route("/robots.txt", "", status=404)
    url = http_server.route("/regulator/depots.txt", text.encode(), content_type="text/plain; charset=utf-8")
    auth.login("reporter")
    token = _form(client, f"/stories/{story['slug']}/documents/new")
    response = client.post(f"/stories/{story['slug']}/documents/new", data={"csrf_token": token, "url": url})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    page = html.unescape(client.get(response.headers["Location"]).get_data(as_text=True))
    assert "characters were read for candidates: split the document; the text is stored whole." in page
    assert page.count("characters were read for candidates") == 1  # said once, not by a second reading


def test_a_page_shows_its_quotes_marked_and_only_its_own(client, auth, accounts, story, db, tmp_path):
    made = pdfs.multi_page_pdf(tmp_path / "filing.pdf", 4, seed=8)
    stored = documents.store_document(db, story, made.data, captures.Received(how="upload", filename="filing.pdf"))
    quote = made.pages[2][1]
    claim_id = claims.log_claim(db, story["id"], "What page 3 says", "Acme", "organization", accounts["reporter"])
    claims.add_evidence(db, claim_id, stored.revision_id, quote, "supports", accounts["reporter"])
    auth.login("reporter")
    third = client.get(f"/coverage/{stored.coverage_id}/pages/3").get_data(as_text=True)
    assert f'<mark title="Cited by claim {claim_id}">{html.escape(quote)}</mark>' in third
    assert f'href="/claims/{claim_id}#evidence-' in third
    first = client.get(f"/coverage/{stored.coverage_id}/pages/1").get_data(as_text=True)
    assert "<mark" not in first and "No claim quotes this page yet." in first
    claim_page = client.get(f"/claims/{claim_id}").get_data(as_text=True)
    assert f'/coverage/{stored.coverage_id}/pages/3?rev={stored.revision_id}">page 3</a>' in claim_page
    assert f'sha256 <code title="{hashlib.sha256(made.data).hexdigest()}">' in claim_page
    assert client.get(f"/coverage/{stored.coverage_id}/pages/5").status_code == 404
    assert client.get(f"/coverage/{stored.coverage_id}/pages/0").status_code == 404


@pytest.mark.parametrize("rev", ["999", "abc", "other"])
def test_a_document_page_of_a_revision_it_does_not_have_is_not_found_with_a_link_to_the_latest(
    client, auth, accounts, story, db, rev
):
    """A stale or mistyped revision link shows no other revision's text in its place (the item page's rule)."""
    stored = documents.store_document(
        db, story, b"The plant is funded.", captures.Received(how="upload", filename="a.txt")
    )
    other = documents.store_document(db, story, b"Another memo.", captures.Received(how="upload", filename="b.txt"))
    rev = str(other.revision_id) if rev == "other" else rev
    auth.login("reporter")
    response = client.get(f"/coverage/{stored.coverage_id}/pages/1?rev={rev}")
    page = html.unescape(response.get_data(as_text=True))
    assert response.status_code == 404
    assert f"Coverage item {stored.coverage_id} has no revision {rev}." in page
    assert "The plant is funded." not in page and "Another memo." not in page
    assert f'href="/coverage/{stored.coverage_id}/pages/1">Read the latest revision</a>' in page
    assert client.get(f"/coverage/{stored.coverage_id}/pages/1?rev={stored.revision_id}").status_code == 200


def test_an_uploaded_document_is_offered_by_its_file_name_not_its_hash_address(client, auth, accounts, story, db):
    """An uploaded file has no outlet and no web address (its address is urn:sha256:, 75 characters): the
    coverage box offered it as that hash, cut off on a phone, the file name last."""
    stored = documents.store_document(
        db, story, b"Managers report AI counts.", captures.Received(how="upload", filename="memo.txt")
    )
    auth.login("reporter")
    form = html.unescape(client.get(f"/stories/{story['slug']}/claims/new").get_data(as_text=True))
    assert f'<option value="{stored.revision_id}">Document — memo.txt</option>' in form
    assert "urn:sha256:" not in form
    found = client.get(f"/stories/{story['slug']}/coverage/choices?q=memo").get_json()
    assert [c["label"] for c in found["choices"]] == ["Document — memo.txt"]


def test_a_scanned_page_is_flagged_and_transcribed_on_its_page(client, auth, accounts, story, db, tmp_path):
    scan = pdfs.scanned_pdf(tmp_path / "scan.pdf", pages=2)
    auth.login("reporter")
    token = _form(client, f"/stories/{story['slug']}/documents/new")
    response = client.post(
        f"/stories/{story['slug']}/documents/new",
        data={"csrf_token": token, "file": (io.BytesIO(scan.data), "scan.pdf")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    coverage_id = int(response.headers["Location"].split("/coverage/")[1].split("/")[0])
    page = client.get(f"/coverage/{coverage_id}/pages/2").get_data(as_text=True)
    assert "No text:" in page and "quote by hand or OCR" in page and "Type what page 2 says" in page
    empty = client.post(
        f"/coverage/{coverage_id}/pages/2/transcribe", data={"csrf_token": csrf_from(page), "text": " "}
    )
    assert "The transcription was not saved" in client.get(empty.headers["Location"]).get_data(as_text=True)
    typed = client.post(
        f"/coverage/{coverage_id}/pages/2/transcribe",
        data={"csrf_token": csrf_from(page), "text": "Acme will close the plant in May."},
    )
    assert typed.status_code == 302 and "rev=" in typed.headers["Location"]
    shown = client.get(typed.headers["Location"]).get_data(as_text=True)
    assert "Acme will close the plant in May." in shown and "Transcribed by reporter" in shown
    # The scan as received is still the one file kept, byte for byte.
    (kept,) = captures.captures_for(db, coverage_id=coverage_id)
    assert captures.raw_bytes(db, kept["id"]) == scan.data


def test_only_editors_publish_an_archived_copy_and_never_one_of_our_reporting(client, auth, accounts, story, db):
    post_id, _ = reporting.log_post(
        db, story["id"], url="https://social.example/@acme/9", handle="@acme", text="Deleted later.", user=None
    )
    shot = reporting.attach_file(
        db, post_id, b"\x89PNG shot", filename="shot.png", media_type="image/png", user=None, role="screenshot"
    )
    note_id = reporting.log_reporting(
        db, story["id"], how="email", at="2026-02-02T09:00:00Z", words="No comment.", user=None, identity="Sam"
    )
    private = reporting.attach_file(db, note_id, b"From: Sam", filename="reply.eml", media_type=None, user=None)
    auth.login("reporter")
    token = _form(client, f"/coverage/{post_id}")
    assert client.post(f"/captures/{shot}/publish", data={"csrf_token": token, "published": "1"}).status_code == 403
    assert captures.get_capture(db, shot)["published"] == 0
    auth.logout()
    auth.login("editor")
    token = _form(client, f"/coverage/{post_id}")
    done = client.post(
        f"/captures/{shot}/publish", data={"csrf_token": token, "published": "1", "next": "//evil.example/"}
    )
    assert done.status_code == 302 and done.headers["Location"] == f"/coverage/{post_id}"
    assert captures.get_capture(db, shot)["published"] == 1
    assert "Withdraw archived copy" in client.get(f"/coverage/{post_id}").get_data(as_text=True)
    refused = client.post(f"/captures/{private}/publish", data={"csrf_token": token, "published": "1"})
    assert refused.status_code == 400
    assert "never published" in refused.get_data(as_text=True)
    assert captures.get_capture(db, private)["published"] == 0
    note_page = client.get(f"/reporting/{note_id}").get_data(as_text=True)
    assert "reply.eml" in note_page and "Publish archived copy" not in note_page


@pytest.mark.parametrize("target", ["/\t/evil.example/", "/\n/evil.example/", "/coverage/1\r\nSet-Cookie: x=1"])
def test_publishing_an_archived_copy_never_redirects_off_site(client, auth, accounts, story, db, target):
    """Browsers drop tabs and newlines from a URL: "/<TAB>/evil.example" is "//evil.example", another site;
    and a newline in a Location header was a 500."""
    post_id, _ = reporting.log_post(
        db, story["id"], url="https://social.example/@acme/9", handle="@acme", text="Deleted later.", user=None
    )
    shot = reporting.attach_file(
        db, post_id, b"\x89PNG shot", filename="shot.png", media_type="image/png", user=None, role="screenshot"
    )
    auth.login("editor")
    token = _form(client, f"/coverage/{post_id}")
    done = client.post(f"/captures/{shot}/publish", data={"csrf_token": token, "published": "1", "next": target})
    assert done.status_code == 302 and done.headers["Location"] == f"/coverage/{post_id}"
    assert captures.get_capture(db, shot)["published"] == 1


def test_a_file_is_attached_to_a_post_from_its_page(client, auth, accounts, story, db):
    post_id, _ = reporting.log_post(
        db, story["id"], url="https://social.example/@acme/10", handle="@acme", text="Hello.", user=None
    )
    auth.login("reporter")
    token = _form(client, f"/coverage/{post_id}")
    nothing = client.post(f"/coverage/{post_id}/attachments", data={"csrf_token": token}, follow_redirects=True)
    assert "Choose a file to attach." in nothing.get_data(as_text=True)
    attached = client.post(
        f"/coverage/{post_id}/attachments",
        data={"csrf_token": token, "role": "screenshot", "file": (io.BytesIO(b"saved page"), "saved.html")},
        content_type="multipart/form-data",
        follow_redirects=True,
    )
    assert "saved.html attached, kept as received." in attached.get_data(as_text=True)
    (kept,) = captures.captures_for(db, coverage_id=post_id)
    assert (kept["role"], kept["how"], kept["filename"]) == ("screenshot", "upload", "saved.html")
    assert captures.raw_bytes(db, kept["id"]) == b"saved page"


def test_a_story_bundle_downloads_for_editors_with_hashes_that_verify(client, auth, accounts, story, db, tmp_path):
    made = pdfs.multi_page_pdf(tmp_path / "filing.pdf", 2, seed=3)
    stored = documents.store_document(db, story, made.data, captures.Received(how="upload", filename="filing.pdf"))
    claim_id = claims.log_claim(db, story["id"], "Filed", "Acme", "organization", accounts["reporter"])
    claims.add_evidence(db, claim_id, stored.revision_id, made.pages[1][0], "supports", accounts["reporter"])
    auth.login("reporter")
    assert client.get(f"/stories/{story['slug']}/bundle").status_code == 403
    auth.logout()
    auth.login("editor")
    response = client.get(f"/stories/{story['slug']}/bundle")
    assert response.status_code == 200 and response.mimetype == "application/zip"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    manifest = json.loads(archive.read("manifest.json"))
    (item,) = manifest["items"]
    assert item["sha256"] == hashlib.sha256(made.data).hexdigest()
    assert hashlib.sha256(archive.read(item["path"])).hexdigest() == item["sha256"]


def test_typed_and_received_markup_is_inert_on_the_evidence_pages(client, auth, accounts, story, db):
    xss = "<script>alert(1)</script>"
    note_id = reporting.log_reporting(
        db,
        story["id"],
        how="call",
        at="2026-02-02T09:00:00Z",
        words=f"Words {xss}",
        user=accounts["reporter"],
        identity=f"Who {xss}",
        notes=f"Notes {xss}",
        attribution=f"Line {xss}",
    )
    reporting.attach_file(db, note_id, b"x", filename=f"{xss}.txt", media_type=None, user=None)
    post_id, _ = reporting.log_post(
        db, story["id"], url="https://social.example/@x/1", handle=f"@{xss}", text=f"Post {xss}", user=None
    )
    stored = documents.store_document(
        db,
        story,
        f"<html><head><title>Title {xss}</title></head><body><p>Body {xss}</p></body></html>".encode(),
        # A file's name is kept without its folders: markup holding no slash survives as the name.
        captures.Received(how="upload", filename="<img src=x onerror=alert(1)>.html", media_type="text/html"),
    )
    auth.login("editor")
    for path in (f"/reporting/{note_id}", f"/coverage/{post_id}", f"/coverage/{stored.coverage_id}/pages/1"):
        response = client.get(path)
        assert response.status_code == 200, path
        page = response.get_data(as_text=True)
        assert "<script>alert" not in page and "<img src=x" not in page, path
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page or "&lt;img src=x onerror=alert(1)&gt;" in page, path


@pytest.mark.parametrize(
    "path",
    [
        "/stories/test-story/documents/new",
        "/stories/test-story/reporting/new",
        "/stories/test-story/posts/new",
        "/coverage/1/attachments",
    ],
)
def test_an_upload_from_someone_not_signed_in_is_sent_to_sign_in_unread(client, accounts, story, path):
    """The upload forms may take far more than the usual 2 MB; someone not signed in (with the login page's
    CSRF token, which anyone can have) had the whole body received and spooled to disk before being sent to
    the login page."""
    from flask import url_for

    with client.application.test_request_context():
        assert path in {
            url_for("documents.new", slug="test-story"),
            url_for("reporting.new_note", slug="test-story"),
            url_for("reporting.new_post", slug="test-story"),
            url_for("documents.attach", coverage_id=1),
        }
    token = csrf_from(client.get("/login").get_data(as_text=True))
    boundary = "----tracker-upload"
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="csrf_token"\r\n\r\n{token}\r\n'
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.pdf"\r\n'
        "Content-Type: application/pdf\r\n\r\n"
    ).encode()
    body = head + b"%PDF-1.4\n" + b"0" * (5 * 1024 * 1024) + f"\r\n--{boundary}--\r\n".encode()
    stream = io.BytesIO(body)
    response = client.post(
        path,
        input_stream=stream,
        content_type=f"multipart/form-data; boundary={boundary}",
        content_length=len(body),
    )
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")
    assert stream.tell() < 1024 * 1024, f"{stream.tell()} bytes read before the sign-in check"


@pytest.mark.parametrize(
    ("path", "limit", "says"),
    [
        ("/stories/test-story/documents/new", "over the 1 MB limit for documents", "TRACKER_DOCUMENT_MAX_MB"),
        ("/coverage/{note}/attachments", "over the 25 MB limit for attachments", "keep the part that matters"),
    ],
)
@pytest.mark.parametrize("app_options", [{"settings": config.Settings().replace(document_max_bytes=1 << 20)}])
def test_a_file_far_over_the_limit_is_refused_saying_the_limit_and_what_to_do(
    client, auth, accounts, story, db, path, limit, says
):
    """A file just over the limit got the limit and what to do; one far over it (most files that are too large)
    was cut off by the request's own limit, and got "That submission is too large. Shorten it and try again.",
    which names neither the limit nor what to do with a file."""
    note = reporting.log_reporting(
        db, story["id"], how="call", at="2026-02-02T09:00:00Z", words="Acme said it.", user=accounts["reporter"]
    )
    auth.login("reporter")
    token = _form(client, f"/stories/{story['slug']}/documents/new")
    size = 26 * 1024 * 1024 if "attachments" in path else 3 * 1024 * 1024
    before = db.execute("SELECT count(*) FROM captures").fetchone()[0]
    response = client.post(
        path.format(note=note),
        data={"csrf_token": token, "file": (io.BytesIO(b"%PDF-1.4\n" + b"0" * size), "big.pdf")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 413
    page = response.get_data(as_text=True)
    assert limit in page and says in page
    assert db.execute("SELECT count(*) FROM captures").fetchone()[0] == before


@pytest.mark.parametrize(
    "app_options", [{"settings": config.Settings().replace(document_max_bytes=512 * 1024, document_max_pages=1)}]
)
def test_the_document_form_says_a_limit_of_half_a_megabyte_and_one_page_as_set(client, auth, accounts, story):
    """TRACKER_DOCUMENT_MAX_MB=0.5 and TRACKER_DOCUMENT_MAX_PAGES=1: the form said "Up to 0 MB and 1 pages"."""
    auth.login("reporter")
    page = client.get(f"/stories/{story['slug']}/documents/new").get_data(as_text=True)
    assert "Up to 0.5 MB and 1 page." in page, page


@pytest.mark.parametrize(
    ("referrer", "back"),
    [("http://localhost/stories/{slug}/reporting/new", True), ("https://elsewhere.example/form", False), (None, False)],
    ids=["from-the-form", "from-another-site", "no-referrer"],
)
def test_a_note_refused_as_too_large_says_nothing_was_saved_and_leads_back_to_its_form(
    client, auth, accounts, story, referrer, back
):
    """A note of our reporting with a 27 MB file got "Too large ... keep the part that matters." and one way on,
    "Go to the stories": the reporter took the words typed beside the file for gone. Back on the form, this tab's
    copy (static/drafts.js) offers them again; the page now says so and leads there."""
    auth.login("reporter")
    form = f"/stories/{story['slug']}/reporting/new"
    token = _form(client, form)
    headers = {"Referer": referrer.format(slug=story["slug"])} if referrer else {}
    response = client.post(
        form,
        data={
            "csrf_token": token,
            "how": "call",
            "at": "2026-12-06T10:30",
            "words": "We never set quotas, the spokesperson said.",
            "file": (io.BytesIO(b"0" * (26 * 1024 * 1024)), "call.wav"),
        },
        content_type="multipart/form-data",
        headers=headers,
    )
    assert response.status_code == 413
    page = response.get_data(as_text=True)
    assert ("Nothing was saved" in page) is back
    assert (f'href="{form}"' in page and "Back to the form" in page) is back
    assert "elsewhere.example" not in page


@pytest.mark.parametrize(
    ("name", "data", "says"),
    [
        ("memo.txt", b"MEMO\n\nTargets are guidance, not quotas, Acme said.\n", "Plain-text file"),
        (
            "page.html",
            b"<html><title>Acme</title><body><p>Acme said targets are guidance.</p></body></html>",
            "saved web page",
        ),
    ],
    ids=["text", "html"],
)
def test_a_document_page_says_how_its_text_was_read_in_words(client, auth, accounts, story, name, data, says):
    """A plain-text memo's page said "Text read by text" (and a saved page "Text read by html"): the reader's
    internal name, not where the words came from."""
    auth.login("reporter")
    stored = upload_document(client, story, data, name)
    assert stored.status_code == 302
    page = client.get(stored.headers["Location"]).get_data(as_text=True)
    assert says in page and "Text read by" not in page
