"""Links that carry a key (signed storage URLs, Drive and Dropbox sharing links): the reporter is warned, and no
reader ever gets the key."""

from __future__ import annotations

import html
import sqlite3

import pytest

from tests import pdfs
from tests.conftest import csrf_from
from tests.test_api import Api
from tests.test_editor_workflow import fetching
from tracker import claims, reporting, stories, users
from tracker.public_tables import link_key, public_link
from tracker.publish import publish

SIGNED_QUERY = (
    "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAEXAMPLE%2F20261201%2Fus-east-1%2Fs3%2Faws4_request"
    "&X-Amz-Date=20261201T000000Z&X-Amz-Expires=604800&X-Amz-SignedHeaders=host"
    "&X-Amz-Signature=5f1b2c3d4e5f60718293a4b5c6d7e8f90112233445566778899aabbccddeeff0"
)
KEYED = [
    ("https://newsroom-leaks.s3.amazonaws.com/memo.pdf?" + SIGNED_QUERY, "X-Amz-Signature"),
    ("https://storage.googleapis.com/b/memo.pdf?X-Goog-Algorithm=GOOG4-RSA-SHA256&X-Goog-Signature=ab12", "X-Goog"),
    ("https://acct.blob.core.windows.net/c/memo.pdf?sv=2022-11-02&se=2026-12-31&sp=r&sig=abc%3D", "sig"),
    ("https://d111111abcdef8.cloudfront.net/memo.pdf?Expires=1767225600&Signature=abc&Key-Pair-Id=K2", "Signature"),
    ("https://docs.google.com/document/d/1aBcD_eFgHiJkLmNoPqRsTuVwXyZ/edit?usp=sharing", "Google"),
    ("https://drive.google.com/file/d/1aBcD_eFgHiJkLmNoPqRsTuVwXyZ/view?resourcekey=0-abc", "Google"),
    ("https://drive.google.com/open?id=1aBcD_eFgHiJkLmNoPqRsTuVwXyZ", "Google"),
    ("https://www.dropbox.com/scl/fi/abc123/memo.pdf?rlkey=xyz789&dl=0", "Dropbox"),
    ("https://www.dropbox.com/s/abc123xyz/memo.pdf?dl=1", "Dropbox"),
    ("https://example.com/files/memo.pdf?access_token=eyJhbGciOi", "access_token"),
]
PLAIN = [
    "https://news.example.com/2026/12/01/acme-kettles?page=2",
    "https://www.google.com/search?q=acme",
    "https://blog.example.org/keys-to-the-kingdom",
    "https://example.com/article?id=42&sort=new",
]


@pytest.mark.parametrize(("url", "named"), KEYED)
def test_a_link_carrying_a_key_is_named_and_never_public(url, named):
    reason = link_key(url)
    assert reason is not None and named in reason, reason
    assert public_link(url) is None


@pytest.mark.parametrize("url", PLAIN)
def test_an_ordinary_link_stays_public(url):
    assert link_key(url) is None
    assert public_link(url) == url


def _published_urls(path) -> list[str]:
    with sqlite3.connect(path) as conn:
        rows = conn.execute(
            "SELECT url FROM coverage UNION ALL SELECT url FROM evidence UNION ALL SELECT source_url FROM events"
        ).fetchall()
    return [u for (u,) in rows if u]


def test_a_post_at_a_sharing_link_is_published_without_it(db, tmp_path):
    editor = users.add_user(db, "edith.editor", "correct-horse-battery", "editor")
    story = stories.create_story(db, "acme-kettles", "Acme kettles", "Questions about Acme Widgets' kettles.")
    shared = "https://docs.google.com/document/d/1aBcD_eFgHiJkLmNoPqRsTuVwXyZ/edit?usp=sharing"
    post, post_rev = reporting.log_post(db, story["id"], url=shared, handle="@acme", text="Our memo.", user=editor)
    public = "https://news.example.com/acme"
    other, other_rev = reporting.log_post(db, story["id"], url=public, handle="@acme", text="Safe.", user=editor)
    claim_id = claims.log_claim(db, story["id"], "Acme wrote a memo", "Acme Widgets", "organization", editor)
    claims.add_evidence(db, claim_id, post_rev, "Our memo.", "supports", editor)
    claims.add_evidence(db, claim_id, other_rev, "Safe.", "supports", editor)
    claims.set_published(db, claim_id, True, editor, claims.get_claim(db, claim_id)["version"])
    publish(db, tmp_path / "public.db")
    urls = _published_urls(tmp_path / "public.db")
    assert public in urls
    assert not [u for u in urls if "1aBcD" in u]


@fetching
def test_a_document_fetched_from_a_signed_link_warns_the_reporter_and_publishes_no_link(
    client, auth, accounts, story, db, http_server, tmp_path
):
    made = pdfs.multi_page_pdf(tmp_path / "memo.pdf", 1, seed=3)
    http_server.route("/robots.txt", "", status=404)
    url = http_server.route("/leaks/memo.pdf?" + SIGNED_QUERY, made.data, content_type="application/pdf")
    auth.login("reporter")
    page = client.get(f"/stories/{story['slug']}/documents/new")
    response = client.post(
        f"/stories/{story['slug']}/documents/new",
        data={"csrf_token": csrf_from(page.get_data(as_text=True)), "url": url},
    )
    body = response.get_data(as_text=True)
    assert response.status_code == 302, body[body.find("<main") :][:1500]
    shown = html.unescape(client.get(response.headers["Location"]).get_data(as_text=True))
    assert "This link carries a key (an Amazon S3 signature, X-Amz-Signature)" in shown
    assert "the public site shows no link for it" in shown

    coverage_id = db.execute("SELECT id FROM coverage WHERE kind = 'document'").fetchone()[0]
    api = Api(client, users.create_token(db, "reporter"))
    document = api.call("GET", f"/documents/{coverage_id}").get_json()
    assert "X-Amz-Signature" in document["link_key"]

    revision_id = db.execute("SELECT max(id) FROM revisions").fetchone()[0]
    claim_id = claims.log_claim(db, story["id"], "A memo exists", "Acme", "organization", accounts["reporter"])
    quote = made.pages[0][0][:30]
    claims.add_evidence(db, claim_id, revision_id, quote, "supports", accounts["reporter"])
    claims.set_published(db, claim_id, True, accounts["editor"], claims.get_claim(db, claim_id)["version"])
    publish(db, tmp_path / "public.db")
    with sqlite3.connect(tmp_path / "public.db") as conn:
        (row,) = conn.execute("SELECT url, title FROM coverage").fetchall()
        # Its host names the bucket or storage account the link opens ("acme-hr-files.s3.amazonaws.com").
        assert conn.execute("SELECT outlet FROM coverage UNION ALL SELECT outlet FROM evidence").fetchall() == [
            (None,),
            (None,),
        ]
    # Titled by the name in its address (it declares none): that name is part of the private link too.
    assert db.execute("SELECT title FROM coverage WHERE id = ?", [coverage_id]).fetchone() == ("memo.pdf",)
    assert row == (None, "Untitled document")
    for data in ((tmp_path / "public.db").read_bytes(),):
        assert b"X-Amz-Signature" not in data and b"5f1b2c3d4e5f" not in data


def test_the_api_and_the_forms_take_addresses_up_to_the_same_length(client, auth, accounts, story, db):
    from scrapers.urls import MAX_URL

    api = Api(client, users.create_token(db, "reporter"))
    base = "https://social.example/@acme/1?thread="
    longest = base + "x" * (MAX_URL - len(base))
    post = {"handle": "@acme", "text": "Acme is hiring."}
    accepted = api.call("POST", f"/stories/{story['slug']}/posts", json={**post, "url": longest})
    assert accepted.status_code == 201, accepted.get_json()
    refused = api.call("POST", f"/stories/{story['slug']}/posts", json={**post, "url": longest + "x"})
    assert refused.status_code == 422
    auth.login("reporter")
    page = client.get(f"/stories/{story['slug']}/posts/new")
    token = csrf_from(page.get_data(as_text=True))
    form = client.post(f"/stories/{story['slug']}/posts/new", data={"csrf_token": token, **post, "url": longest + "x"})
    assert form.status_code == 422 and f"a web address is at most {MAX_URL:,}" in form.get_data(as_text=True)
    document = api.call("POST", f"/stories/{story['slug']}/documents", json={"url": longest + "x"})
    assert document.status_code == 422
    spec = client.get("/api/openapi.json").get_json()["components"]["schemas"]
    assert spec["DocumentCreate"]["properties"]["url"]["maxLength"] == MAX_URL
    assert spec["PostCreate"]["properties"]["url"]["maxLength"] == MAX_URL


@pytest.mark.parametrize(
    ("given", "published"),
    [
        ("https://x.com/acme/status/1864?s=46&t=Zq3xRk9bWm2PpLcVt8sYhA", "https://x.com/acme/status/1864"),
        ("https://twitter.com/acme/status/1864?t=Zq3xRk9b&s=19", "https://twitter.com/acme/status/1864"),
        ("https://youtu.be/dQw4w9WgXcQ?si=Kp2vN8xQ&t=42", "https://youtu.be/dQw4w9WgXcQ?t=42"),
        ("https://www.instagram.com/p/C0abc/?igsh=MWZ4dGxw", "https://www.instagram.com/p/C0abc/"),
        ("https://www.tiktok.com/@acme/video/73?_r=1&_t=8rXyZ", "https://www.tiktok.com/@acme/video/73"),
        ("https://www.facebook.com/acme/posts/1?mibextid=Zxz2cZ", "https://www.facebook.com/acme/posts/1"),
        ("https://news.example.com/story?t=42&s=2", "https://news.example.com/story?t=42&s=2"),
    ],
)
def test_a_share_id_naming_who_shared_a_post_is_left_out_of_its_public_link(given, published):
    assert public_link(given) == published


@fetching
def test_the_api_answers_with_the_reason_and_sets_no_cookie(client, db, accounts, story, http_server, tmp_path):
    made = pdfs.multi_page_pdf(tmp_path / "memo.pdf", 1, seed=4)
    http_server.route("/robots.txt", "", status=404)
    url = http_server.route("/leaks/memo.pdf?" + SIGNED_QUERY, made.data, content_type="application/pdf")
    api = Api(client, users.create_token(db, "reporter"))
    added = api.call("POST", f"/stories/{story['slug']}/documents", json={"url": url})
    assert added.status_code == 201 and "X-Amz-Signature" in added.get_json()["link_key"]
    assert "Set-Cookie" not in added.headers
