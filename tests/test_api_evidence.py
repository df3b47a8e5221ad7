"""Documents, items kept as received, the newsroom's reporting and posts through the JSON API."""

from __future__ import annotations

import base64
import hashlib
import io
import json
import zipfile

from tests import pdfs
from tests.test_api import Api
from tests.test_editor_workflow import fetching
from tests.test_publish import ARCHIVED_BYTES
from tracker import attribution, users


def exercise_evidence_kinds_api(api, editor: str, slug: str, claim_id: int, tmp_path, site_url: str | None = None):
    """Every operation of tracker/editor/api/documents.py and reporting.py, each checked against the document."""
    made = pdfs.multi_page_pdf(tmp_path / "api-filing.pdf", 3, seed=9)
    body = {"filename": "filing.pdf", "content_base64": base64.b64encode(made.data).decode()}
    document = api.call("POST", f"/stories/{slug}/documents", json=body)
    assert document.status_code == 201, document.get_json()
    document = document.get_json()
    assert len(document["pages"]) == 3 and document["flag"] is None
    assert document["received"][0]["sha256"] == hashlib.sha256(made.data).hexdigest()
    coverage_id = document["coverage_id"]
    assert api.call("GET", f"/documents/{coverage_id}").get_json()["revision_id"] == document["revision_id"]
    page = api.call("GET", f"/documents/{coverage_id}/pages/3").get_json()
    assert made.pages[2][0] in page["text"]
    quote = made.pages[2][0][:40]
    evidence = api.call(
        "POST",
        f"/claims/{claim_id}/evidence",
        json={"revision_id": document["revision_id"], "quote": quote, "page": 3},
    ).get_json()
    assert evidence["page"] == 3 and evidence["coverage_kind"] == "document"
    assert evidence["sha256"] == hashlib.sha256(made.data).hexdigest()
    wrong_page = api.call(
        "POST", f"/claims/{claim_id}/evidence", json={"revision_id": document["revision_id"], "quote": quote, "page": 1}
    )
    assert wrong_page.status_code == 422
    for beyond in ({"page": 2**63}, {"start": 2**63}):  # numbers SQLite cannot hold: a page was a 500
        refused = api.call(
            "POST",
            f"/claims/{claim_id}/evidence",
            json={"revision_id": document["revision_id"], "quote": quote, **beyond},
        )
        assert refused.status_code == 422 and "at most" in refused.get_json()["message"]

    refused = api.call("POST", f"/stories/{slug}/documents", json={"filename": "x.pdf", "content_base64": "%%%"})
    assert refused.status_code == 422
    encrypted = pdfs.text_pdf(tmp_path / "locked.pdf", [["Locked."]], encrypt="pw")
    locked = api.call(
        "POST",
        f"/stories/{slug}/documents",
        json={"filename": "locked.pdf", "content_base64": base64.b64encode(encrypted.data).decode()},
    )
    assert locked.status_code == 422 and "encrypted" in locked.get_json()["message"]

    scan = pdfs.scanned_pdf(tmp_path / "api-scan.pdf", pages=1)
    scanned = api.call(
        "POST",
        f"/stories/{slug}/documents",
        json={"filename": "scan.pdf", "content_base64": base64.b64encode(scan.data).decode()},
    ).get_json()
    assert scanned["flag"] == "no text: quote by hand or OCR"
    typed = api.call(
        "POST", f"/documents/{scanned['coverage_id']}/pages/1/transcription", json={"text": "Acme will appeal."}
    ).get_json()
    assert typed["pages"][0]["transcribed_by"] == "reporter" and typed["text_pages"] == 1

    captures = api.call("GET", f"/coverage/{coverage_id}/captures").get_json()["captures"]
    detail = api.call("GET", f"/captures/{captures[0]['id']}").get_json()
    assert base64.b64decode(detail["content_base64"]) == made.data

    note = api.call(
        "POST",
        f"/stories/{slug}/reporting",
        json={
            "how": "email",
            "at": "2026-01-02T10:00:00Z",
            "words": "We will not comment on the audit.",
            "identity": "Pat Example, head of press",
            "notes": "Replied within the hour.",
        },
    )
    assert note.status_code == 201
    note = note.get_json()
    assert note["identity"] == "Pat Example, head of press" and note["public_line"] is None
    attached = api.call(
        "POST",
        f"/coverage/{note['coverage_id']}/attachments",
        json={"filename": "reply.eml", "content_base64": base64.b64encode(b"From: press").decode()},
    )
    assert attached.status_code == 201 and attached.get_json()["role"] == "attachment"
    proposal = {"attribution": "a company spokesperson", "approve": True}
    assert api.call("POST", f"/reporting/{note['coverage_id']}/attribution", json=proposal).status_code == 403
    approved = api.call("POST", f"/reporting/{note['coverage_id']}/attribution", json=proposal, token=editor).get_json()
    assert approved["public_line"].startswith("A company spokesperson told ")
    assert api.call("GET", f"/reporting/{note['coverage_id']}").get_json()["approved_by"] == "editor"

    post = api.call(
        "POST",
        f"/stories/{slug}/posts",
        json={
            "url": "https://social.example/@acme/42",
            "handle": "@acme",
            "posted_at": "2026-01-03T08:00:00Z",
            "text": "We stand by our plant.",
            "screenshot": {"filename": "post.png", "content_base64": base64.b64encode(ARCHIVED_BYTES).decode()},
        },
    )
    assert post.status_code == 201
    post = post.get_json()
    assert post["network"] == "social.example" and post["files"][0]["role"] == "screenshot"
    screenshot = post["files"][0]["id"]
    assert api.call("POST", f"/captures/{screenshot}/publish", json={"published": True}).status_code == 403
    assert api.call("POST", f"/captures/{screenshot}/publish", json={"published": True}, token=editor).get_json()[
        "published"
    ]

    assert api.call("GET", f"/claims/{claim_id}/bundle").status_code == 403
    bundle = api.call("GET", f"/claims/{claim_id}/bundle", token=editor).get_json()
    data = base64.b64decode(bundle["content_base64"])
    assert hashlib.sha256(data).hexdigest() == bundle["sha256"]
    manifest = json.loads(zipfile.ZipFile(io.BytesIO(data)).read("manifest.json"))
    assert any(i["sha256"] == hashlib.sha256(made.data).hexdigest() for i in manifest["items"])
    story_bundle = api.call("GET", f"/stories/{slug}/bundle", token=editor).get_json()
    assert story_bundle["items"] >= 1


@fetching
def test_a_document_is_fetched_through_the_api_from_a_local_server(client, db, accounts, story, http_server, tmp_path):
    made = pdfs.multi_page_pdf(tmp_path / "filing.pdf", 2, seed=12)
    http_server.route("/robots.txt", "", status=404)
    url = http_server.route("/court/filing.pdf", made.data, content_type="application/pdf")
    api = Api(client, users.create_token(db, "reporter"))
    slug = story["slug"]
    missing = api.call("POST", f"/stories/{slug}/documents", json={"url": http_server.url("/court/gone.pdf")})
    assert missing.status_code == 422 and "HTTP 404" in missing.get_json()["message"]
    not_web = api.call("POST", f"/stories/{slug}/documents", json={"url": "file:///etc/passwd"})
    assert not_web.status_code == 422
    assert db.execute("SELECT count(*) FROM coverage").fetchone()[0] == 0
    fetched = api.call("POST", f"/stories/{slug}/documents", json={"url": url})
    assert fetched.status_code == 201, fetched.get_json()
    document = fetched.get_json()
    assert len(document["pages"]) == 2
    (received,) = document["received"]
    assert (received["how"], received["url"], received["status"]) == ("fetched", url, 200)
    assert received["sha256"] == hashlib.sha256(made.data).hexdigest()


def test_a_file_name_sent_with_its_folders_and_control_codes_names_the_document_by_its_base_name(
    client, db, accounts, story, tmp_path
):
    """A client may send any file name: a Windows path ("C:\\Users\\jane\\..."), line breaks, escape codes.
    It became the document's title as sent, folders (a reporter's account name) and escape codes included,
    shown in the editor, in alerts and on terminals; the name kept with the file had them too."""
    made = pdfs.text_pdf(tmp_path / "memo.pdf", [["The kettle tests were postponed twice, the memo says."]])
    api = Api(client, users.create_token(db, "reporter"))
    name = "C:\\Users\\jane.doe\\Desktop\\interview-Marten\r\n\x1b[2J-7781.pdf"
    body = {"filename": name, "content_base64": base64.b64encode(made.data).decode()}
    response = api.call("POST", f"/stories/{story['slug']}/documents", json=body)
    assert response.status_code == 201, response.get_json()
    titles = db.execute("SELECT c.title, k.filename FROM coverage c JOIN captures k ON k.coverage_id = c.id")
    assert titles.fetchall() == [("interview-Marten [2J-7781.pdf", "interview-Marten [2J-7781.pdf")]
    for name in ("../../../etc/memo.txt", "/var/tmp/notes.txt"):
        text = base64.b64encode(f"Acme said it in {name}.".encode()).decode()
        note = api.call("POST", f"/stories/{story['slug']}/documents", json={"filename": name, "content_base64": text})
        assert note.status_code == 201, note.get_json()
    assert {r[0] for r in db.execute("SELECT filename FROM captures")} >= {"memo.txt", "notes.txt"}


def test_a_refused_file_is_named_shortly_in_the_message_or_called_that_file(client, db, accounts, story, tmp_path):
    """A refusal opens with the file's name: a name of only folders ("scans/") read "None: the PDF is
    encrypted ...", and a name of thousands of characters was repeated whole in the one-line message."""
    locked = pdfs.text_pdf(tmp_path / "locked.pdf", [["Locked."]], encrypt="pw")
    api = Api(client, users.create_token(db, "reporter"))
    content = base64.b64encode(locked.data).decode()
    said = {}
    for name in ("scans/", "minutes-" * 30 + ".pdf"):
        response = api.call(
            "POST", f"/stories/{story['slug']}/documents", json={"filename": name, "content_base64": content}
        )
        assert response.status_code == 422
        said[name] = response.get_json()["message"]
    assert said["scans/"].startswith("That file: the PDF is encrypted")
    long_one = said["minutes-" * 30 + ".pdf"]
    assert long_one.startswith("minutes-minutes-") and "…: the PDF is encrypted" in long_one and len(long_one) < 300


def test_a_document_longer_than_is_read_for_claims_says_so_in_the_answer(client, db, accounts, story, monkeypatch):
    """The editor's form says when only the first part of a document was read for candidates; the API's answer
    said nothing, so a client could not know that claims further down were never looked for (the limit is
    lowered here rather than sending megabytes)."""
    monkeypatch.setattr(attribution, "MAX_TEXT_CHARS", 300)
    api = Api(client, users.create_token(db, "reporter"))
    text = "\n".join(f"Contoso said depot {i} will open in June." for i in range(40))
    body = {"filename": "depots.txt", "content_base64": base64.b64encode(text.encode()).decode()}
    response = api.call("POST", f"/stories/{story['slug']}/documents", json=body)
    assert response.status_code == 201, response.get_json()
    read = text.rfind("\n", 0, 300)
    (warning,) = response.get_json()["warnings"]
    assert f"only the first {read:,} of {len(text):,} characters were read for candidates" in warning
    assert warning.startswith("Claim candidates: ")
    (stored,) = db.execute("SELECT text FROM revisions").fetchone()
    assert stored.strip() == text  # the document itself is kept whole

    one = base64.b64encode(b"Contoso said depot 1 will open.").decode()
    short = {"filename": "one-depot.txt", "content_base64": one}
    answer = api.call("POST", f"/stories/{story['slug']}/documents", json=short).get_json()
    assert answer["warnings"] == []
    assert "warnings" not in api.call("GET", f"/documents/{answer['coverage_id']}").get_json()


@fetching
def test_a_fetched_document_longer_than_is_read_for_claims_says_so_in_the_answer(
    client, db, accounts, story, http_server, monkeypatch
):
    """A document fetched from an address is read for candidates as it is stored (ingest): the answer carries
    what that reading said, once."""
    monkeypatch.setattr(attribution, "MAX_TEXT_CHARS", 300)
    text = "\n".join(f"Contoso said depot {i} will open in June." for i in range(40))
    http_server.route("/robots.txt", "", status=404)
    url = http_server.route("/filings/depots.txt", text.encode(), content_type="text/plain; charset=utf-8")
    api = Api(client, users.create_token(db, "reporter"))
    response = api.call("POST", f"/stories/{story['slug']}/documents", json={"url": url})
    assert response.status_code == 201, response.get_json()
    (warning,) = response.get_json()["warnings"]
    assert warning.startswith("Claim candidates: only the first ") and "characters were read for candidates" in warning


def test_a_post_whose_screenshot_is_refused_is_not_logged(client, db, accounts, story):
    # A 422 changes nothing: the post and its screenshot are logged together or not at all.
    api = Api(client, users.create_token(db, "reporter"))
    post = {"url": "https://social.example/@acme/43", "handle": "@acme", "text": "We stand by our plant."}
    for screenshot in (
        {"filename": "post.png", "content_base64": "%%%"},
        {"filename": "post.png", "content_base64": ""},
    ):
        refused = api.call("POST", f"/stories/{story['slug']}/posts", json={**post, "screenshot": screenshot})
        assert refused.status_code == 422, refused.get_json()
        assert db.execute("SELECT count(*) FROM coverage WHERE kind = 'post'").fetchone()[0] == 0
        assert db.execute("SELECT count(*) FROM captures").fetchone()[0] == 0
    logged = api.call(
        "POST",
        f"/stories/{story['slug']}/posts",
        json={
            **post,
            "screenshot": {"filename": "post.png", "content_base64": base64.b64encode(ARCHIVED_BYTES).decode()},
        },
    )
    assert logged.status_code == 201 and len(logged.get_json()["files"]) == 1
