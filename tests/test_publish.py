"""The public build: only the allow-list reaches public.db, and it is swapped in safely."""

from __future__ import annotations

import _sqlite3
import ctypes
import dataclasses
import shutil
import sqlite3
import struct
import threading
import zlib
from pathlib import Path

import pytest
from click.testing import CliRunner

import tracker.publish
from tracker import captures, claims, config, coverage, migrations, public_ids, reporting, store, stories, users
from tracker.cli import cli
from tracker.db import TrackerError, connect, one, transaction
from tracker.public_tables import (
    EVENT_KINDS,
    PREPARE,
    PUBLIC_TABLES,
    QUOTE_MAX,
    PublicTable,
    plain_link,
    public_link,
    short_quote,
)
from tracker.publish import (
    NEW_PAGE_SIZE,
    PublishError,
    _check_foreign_keys,
    built,
    check_public_file,
    given_ids_sql,
    publish,
    unseen_ids_sql,
)
from tracker.publish_log import publish_and_log

# The public contract, written out by hand: changing what we publish means changing this test too.
EXPECTED_SCHEMA = {
    "stories": [
        "slug",
        "title",
        "description",
        "claims",
        "confirmed",
        "denied",
        "unclear",
        "unreviewed",
        "last_event_at",
    ],
    "claims": [
        "id",
        "story",
        "text",
        "claimant",
        "claimant_type",
        "status",
        "status_changed_at",
        "status_rationale",
        "first_reported_at",
        "first_reported_precision",
        "independent_sources",
        "outlets_repeating",
        "first_reported_local",
    ],
    "coverage": [
        "id",
        "story",
        "kind",
        "outlet",
        "title",
        "url",
        "published_at",
        "published_precision",
        "revisions",
        "last_revised_at",
        "claims",
        "is_copy",
        "first_seen_at",
        "published_local",
    ],
    "archived_copies": [
        "id",
        "coverage_id",
        "received_at",
        "sha256",
        "size",
        "media_type",
        "body",
        "metadata_removed",
        "metadata_kept",
    ],
    "evidence": [
        "id",
        "claim_id",
        "coverage_id",
        "quote",
        "stance",
        "outlet",
        "title",
        "url",
        "published_at",
        "published_precision",
        "coverage_kind",
        "page",
        "seen_at",
        "archived_copy_id",
        "published_local",
    ],
    "status_history": ["id", "claim_id", "at", "from_status", "to_status", "public_rationale", "is_correction"],
    "events": [
        "id",
        "story",
        "date",
        "date_precision",
        "kind",
        "claim_id",
        "claim",
        "claimant",
        "status",
        "from_status",
        "to_status",
        "source_url",
        "outlet",
        "detail",
        "coverage_id",
        "claim_ids",
        "position",
        "date_local",
    ],
    "withdrawn_events": ["id", "older"],
    "withdrawn_claims": ["id"],
    "claims_fts": ["text", "claimant"],
    "evidence_fts": ["quote", "title", "outlet"],
    "questions": [
        "id",
        "story",
        "position",
        "question",
        "answer",
        "answer_reviewed_at",
        "answer_changed_at",
        "stale",
    ],
    "question_claims": ["question_id", "claim_id", "stance", "status", "status_changed_at"],
    "developments": [
        "id",
        "story",
        "position",
        "text",
        "expected_date",
        "expectation",
        "state",
        "state_changed_at",
        "state_note",
        "claim_id",
        "source_outlet",
        "source_title",
        "source_url",
        "evidence_outlet",
        "evidence_title",
        "evidence_url",
        "evidence_published_at",
        "evidence_published_precision",
        "evidence_published_local",
    ],
    "coverage_counts": ["story", "unit", "bucket", "outlet", "kind", "items"],
    "claim_status_counts": ["story", "unit", "bucket", "confirmed", "denied", "unclear", "unreviewed"],
    "story_spans": ["story", "first", "last"],
}
FTS_SHADOWS = {f"{t}_fts_{s}" for t in ("claims", "evidence") for s in ("data", "idx", "docsize", "config")}

# Distinct markers planted in every private place of the working database.
SECRET_IDENTITY = "Quill-4821 who works in the finance office"
SECRET_NOTE = "Heron-7730: call back after the board meeting"
UNPUBLISHED_TEXT = "Otter-5512 plant closes next spring"
PRIVATE_RATIONALE = "Lynx-2267 internal: the source's cousin confirmed by phone"
BODY_SENTENCE = "Marten-9043 is a sentence only found in the article body."
BYLINE = "Finch-6104 Staffwriter"
SUMMARY = "Ibis-2281 a feed summary we keep for triage"
KEYWORDS = "Wren-3391"
UNPUBLISHED_STORY = "Embargoed story Badger-8817"
USERNAME = "kestrel9.desk"
PASSWORD = "Tern-5150-password"
# The tail of an over-long evidence quote: cut off before publishing.
QUOTE_TAIL = "Pika-3059 is past the published length"
LONG_QUOTE = ("The engineer described every step of the kettle test schedule at length, " * 5) + QUOTE_TAIL + "."
# A saved file's path names the reporter's machine; credentials in a URL are credentials.
FILE_PATH = "/home/rita/Leaks-Stoat-4410/memo.html"
URL_PASSWORD = "Gecko-7781"
CREDENTIAL_URL = f"https://desk:{URL_PASSWORD}@docs.acme.example/kettle-report"
# Coverage nobody cited in a published claim: what the newsroom monitors stays in the newsroom.
UNCITED_TITLE = "Mole-6620 an item we are still looking into"
STATEMENT_EDIT = "Newt-1187 the wording the company later added"
SOURCE_URL = "https://tips.example/Vole-3302/feed.xml"
FETCH_ERROR = "Shrew-9921 connection refused"
CANDIDATE_TEXT = "Dormouse-4471 a candidate nobody accepted"
# Alerts: a destination URL holds a token, subscriptions name what the desk watches.
ALERT_TOKEN = "Puffin6630Token"
ALERT_KEYWORD = "Marmot-5581"
# The newsroom's own reporting: who, the notes, an attribution nobody approved, words of an unapproved note.
INTERVIEW_IDENTITY = "Axolotl-5093 deputy head of compliance"
INTERVIEW_NOTES = "Capybara-2716 met at the cafe, do not call her office"
UNAPPROVED_ATTRIBUTION = "Jackal-8842 a person close to the board"
UNAPPROVED_WORDS = "Okapi-3371 the audit found nothing unusual"
APPROVED_WORDS = "The kettle tests were never run in 2025."
ATTACHMENT_NAME = "Salamander-6634-call-notes.txt"
ATTACHMENT_BODY = b"Tapir-1950 what the source said off the record"
# Items kept as received: headers, the raw page (markup the text never shows), its file path.
RAW_MARKUP = "Quokka-4127 hidden in the page markup"
RAW_HEADER = "Narwhal-9305"
# A second file of the post that no editor chose to publish: neither its name nor its bytes go out.
UNPUBLISHED_FILE_NAME = "Pangolin-5528-saved-thread.html"
UNPUBLISHED_FILE_BODY = b"Marmot-6180 the thread as a reporter saved it"

PUBLIC_QUOTE = "A former engineer said the kettle tests were skipped."


def _png_chunk(name: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + name + body + struct.pack(">I", zlib.crc32(name + body))


def _grey_png(row: bytes) -> bytes:
    """A real one-row greyscale PNG without metadata whose pixels are `row`, stored uncompressed (found as is)."""
    header = struct.pack(">IIBBBBB", len(row), 1, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", header)
        + _png_chunk(b"IDAT", zlib.compress(b"\x00" + row, 0))
        + _png_chunk(b"IEND", b"")
    )


# A screenshot with no metadata, published as it came (a photo's metadata is left out: tests/test_photos.py).
ARCHIVED_BYTES = _grey_png(b"Aardwolf-7070 the screenshot an editor chose to publish")
ARTICLE = (
    "Acme Widgets faces questions about its kettles.\n"
    f"{PUBLIC_QUOTE}\n"
    f"{BODY_SENTENCE}\n"
    "The company said its products are safe.\n"
    f"{UNPUBLISHED_TEXT} according to a second source.\n"
    f"{LONG_QUOTE}\n"
)
STATEMENT = "We stand by our kettles. No recall is planned at this time."
STATEMENT_V2 = f"We stand by our kettles. No recall is planned at this time. {STATEMENT_EDIT}."
MEMO = "Internal memo: the kettle tests were postponed twice."


def private_markers(info: dict) -> list[str]:
    """Every value planted in a private place; none may reach public.db or any public response."""
    return [
        SECRET_IDENTITY,
        SECRET_NOTE,
        UNPUBLISHED_TEXT,
        PRIVATE_RATIONALE,
        BODY_SENTENCE,
        BYLINE,
        SUMMARY,
        KEYWORDS,
        UNPUBLISHED_STORY,
        USERNAME,
        PASSWORD,
        QUOTE_TAIL,
        "Leaks-Stoat-4410",
        URL_PASSWORD,
        UNCITED_TITLE,
        STATEMENT_EDIT,
        "Vole-3302",
        FETCH_ERROR,
        CANDIDATE_TEXT,
        ALERT_TOKEN,
        ALERT_KEYWORD,
        "Desk Slack Vicuna-4040",
        INTERVIEW_IDENTITY,
        INTERVIEW_NOTES,
        UNAPPROVED_ATTRIBUTION,
        UNAPPROVED_WORDS,
        ATTACHMENT_NAME,
        ATTACHMENT_BODY.decode(),
        RAW_MARKUP,
        RAW_HEADER,
        UNPUBLISHED_FILE_NAME,
        UNPUBLISHED_FILE_BODY.decode(),
        info["password_hash"],
        info["token"],
        info["token_hash"],
    ]


@pytest.fixture(scope="module")
def newsroom_template(tmp_path_factory) -> tuple[Path, dict]:
    """Built once per module (password hashing is slow on purpose); each test gets a copy."""
    path = tmp_path_factory.mktemp("newsroom") / "tracker.db"
    db = connect(path)
    migrations.apply(db)
    try:
        return path, build_newsroom(db)
    finally:
        db.close()


@pytest.fixture
def newsroom(newsroom_template, tmp_path) -> dict:
    """A story with a published, ruled claim, an unpublished one, and secrets everywhere."""
    template, info = newsroom_template
    path = tmp_path / "tracker.db"
    shutil.copy(template, path)
    db = connect(path, create=False)
    yield {**info, "db": db, "path": path}
    db.close()


def build_newsroom(db) -> dict:
    """A working database with published claims, and a distinct marker in every private place."""
    editor = users.add_user(db, "edith.editor", PASSWORD, "editor")
    desk = users.add_user(db, USERNAME, PASSWORD, "reporter")
    token = users.create_token(db, USERNAME)
    story = stories.create_story(
        db, "acme-kettles", "Acme kettles", "Questions about Acme Widgets' kettles.", keywords_include=KEYWORDS
    )
    stories.create_story(db, "embargoed", UNPUBLISHED_STORY)
    article = coverage.upsert_item(
        db,
        story["id"],
        "https://news.example.com/acme-kettles",
        outlet="Example News",
        title="Acme faces kettle questions",
        byline=BYLINE,
        summary=SUMMARY,
        published_at="2025-11-20T09:00:00Z",
    )
    article_rev, _ = coverage.add_revision(db, article, ARTICLE, fetched_at="2025-11-20T09:30:00Z")
    statement = coverage.upsert_item(
        db,
        story["id"],
        "https://acme.example/press/kettles",
        kind="statement",
        outlet="Acme Widgets",
        title="Statement on kettles",
        published_at="2025-11-21T12:00:00Z",
    )
    statement_rev, _ = coverage.add_revision(db, statement, STATEMENT, fetched_at="2025-11-21T12:10:00Z")
    coverage.add_revision(db, statement, STATEMENT_V2, fetched_at="2025-11-23T08:00:00Z")
    memo = coverage.upsert_item(db, story["id"], "file://" + FILE_PATH, outlet="", title="Kettle memo")
    memo_rev, _ = coverage.add_revision(db, memo, MEMO, fetched_at="2025-11-22T10:00:00Z")
    leaked = coverage.upsert_item(db, story["id"], CREDENTIAL_URL, outlet="Acme docs", title="Kettle report")
    leaked_rev, _ = coverage.add_revision(db, leaked, "The kettle report is due in March.")
    uncited = coverage.upsert_item(db, story["id"], "https://news.example.com/lead", title=UNCITED_TITLE)
    coverage.add_revision(db, uncited, "Nothing to see yet.")

    skipped = claims.log_claim(
        db,
        story["id"],
        "Kettle safety tests were skipped.",
        "a former engineer",
        "anonymous",
        desk,
        source_identity=SECRET_IDENTITY,
        internal_notes=SECRET_NOTE,
    )
    claims.add_evidence(db, skipped, article_rev, PUBLIC_QUOTE, "supports", desk)
    claims.add_evidence(db, skipped, statement_rev, "We stand by our kettles.", "contradicts", desk)
    claims.add_evidence(db, skipped, article_rev, LONG_QUOTE, "context", desk)
    claims.add_evidence(db, skipped, memo_rev, "the kettle tests were postponed twice", "supports", desk)
    claims.add_evidence(db, skipped, leaked_rev, "The kettle report is due in March.", "context", desk)
    claims.set_status(
        db,
        skipped,
        "unclear",
        editor,
        PRIVATE_RATIONALE,
        claims.get_claim(db, skipped)["version"],
        public_rationale="One source so far; the company disputes it.",
    )
    _publish_claim(db, skipped, editor)

    no_recall = claims.log_claim(db, story["id"], "No recall is planned.", "Acme Widgets", "organization", desk)
    claims.add_evidence(db, no_recall, statement_rev, "No recall is planned", "supports", desk)
    _publish_claim(db, no_recall, editor)

    hidden = claims.log_claim(db, story["id"], UNPUBLISHED_TEXT, "a second source", "anonymous", desk)
    claims.add_evidence(db, hidden, article_rev, UNPUBLISHED_TEXT, "supports", desk)

    # The newsroom's own reporting, cited by a published claim: one note approved, one not.
    settings = config.Settings().replace(outlet_name="The Kettle Ledger")
    approved = reporting.log_reporting(
        db,
        story["id"],
        how="call",
        at="2025-11-24T15:00:00Z",
        words=f"She said: {APPROVED_WORDS}",
        user=desk,
        identity=INTERVIEW_IDENTITY,
        notes=INTERVIEW_NOTES,
        settings=settings,
    )
    reporting.set_attribution(db, approved, "a company compliance officer", editor, approve=True)
    reporting.attach_file(db, approved, ATTACHMENT_BODY, filename=ATTACHMENT_NAME, media_type="text/plain", user=desk)
    unapproved = reporting.log_reporting(
        db,
        story["id"],
        how="email",
        at="2025-11-25T09:00:00Z",
        words=UNAPPROVED_WORDS,
        user=desk,
        attribution=UNAPPROVED_ATTRIBUTION,
        settings=settings,
    )
    claims.add_evidence(db, skipped, coverage.latest_revision_id(db, approved), APPROVED_WORDS, "supports", desk)
    claims.add_evidence(db, skipped, coverage.latest_revision_id(db, unapproved), UNAPPROVED_WORDS, "context", desk)
    # A page kept as received (headers, markup the text never shows), cited; and a post whose screenshot
    # an editor chose to publish as an archived copy.
    page = store.ingest_page(
        db,
        story,
        "https://news.example.com/acme-sales",
        f"<html><head><title>Acme kettle sales</title></head><body><article><!-- {RAW_MARKUP} -->"
        "<p>Acme Widgets sold more kettles this year, the company said on Tuesday.</p>"
        "</article></body></html>".encode(),
        received=captures.Received(
            how="fetched",
            url="https://news.example.com/acme-sales",
            status=200,
            headers={"set-cookie": f"session={RAW_HEADER}", "content-type": "text/html"},
            received_at="2025-11-26T08:00:00Z",
        ),
    )
    claims.add_evidence(db, no_recall, page["revision_id"], "sold more kettles this year", "supports", desk)
    post, post_rev = reporting.log_post(
        db,
        story["id"],
        url="https://social.example/@acme/1",
        handle="@acmewidgets",
        text="Our kettles are safe. Always.",
        user=desk,
        posted_at="2025-11-22T10:00:00Z",
    )
    screenshot = reporting.attach_file(
        db, post, ARCHIVED_BYTES, filename="post.png", media_type="image/png", user=desk, role="screenshot"
    )
    captures.set_published(db, screenshot, True, editor)
    reporting.attach_file(
        db, post, UNPUBLISHED_FILE_BODY, filename=UNPUBLISHED_FILE_NAME, media_type="text/html", user=desk
    )
    claims.add_evidence(db, no_recall, post_rev, "Our kettles are safe.", "supports", desk)

    # The private working tables the public build must never read from.
    source_id = db.execute(
        "INSERT INTO sources (story_id, kind, url, created_at) VALUES (?, 'feed', ?, '2025-11-19T00:00:00Z')",
        [story["id"], SOURCE_URL],
    ).lastrowid
    db.execute(
        "INSERT INTO fetches (source_id, url, at, outcome, error) VALUES (?, ?, '2025-11-19T00:00:00Z', 'failed', ?)",
        [source_id, SOURCE_URL, FETCH_ERROR],
    )
    db.execute(
        """INSERT INTO candidates (story_id, revision_id, kind, text, start, "end", fingerprint, created_at)
           VALUES (?, ?, 'claim', ?, 0, 10, 'fp', '2025-11-20T10:00:00Z')""",
        [story["id"], article_rev, CANDIDATE_TEXT],
    )
    db.conn.commit()
    from tracker.alerts import destinations, router, subscriptions

    destinations.add(db, desk, "Desk Slack Vicuna-4040", f"slack://T1JJ3T3L2/A1BRTD4JD/{ALERT_TOKEN}")
    subscriptions.save(db, desk, {"kinds": ["ruling", "statement_new"], "keywords": ALERT_KEYWORD})
    router.route(db)  # notifications and queued items, with the events' subjects, in the working file

    return {
        "story": story,
        "editor": editor,
        "skipped": skipped,
        "no_recall": no_recall,
        "hidden": hidden,
        "article": article,
        "statement": statement,
        "memo": memo,
        "leaked": leaked,
        "token": token,
        "password_hash": one(db, "SELECT password_hash FROM users WHERE username = ?", [USERNAME])["password_hash"],
        "token_hash": users.hash_token(token),
        "approved_reporting": approved,
        "unapproved_reporting": unapproved,
        "post": post,
        "screenshot": screenshot,
    }


def _publish_claim(db, claim_id: int, editor: dict, published: bool = True) -> None:
    claims.set_published(db, claim_id, published, editor, claims.get_claim(db, claim_id)["version"])


def _schema(path: Path) -> dict[str, list[str]]:
    conn = sqlite3.connect(path)
    try:
        names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        return {name: [r[1] for r in conn.execute(f"PRAGMA table_info([{name}])")] for name in names}
    finally:
        conn.close()


def _query(path: Path, sql: str, params=()) -> list[tuple]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


def test_public_db_holds_exactly_the_allow_list(newsroom, tmp_path):
    db = newsroom["db"]
    out = tmp_path / "public.db"
    publish(db, out)
    schema = _schema(out)
    assert {k: v for k, v in schema.items() if k not in FTS_SHADOWS} == EXPECTED_SCHEMA
    assert set(schema) - set(EXPECTED_SCHEMA) == FTS_SHADOWS
    views_and_triggers = _query(out, "SELECT type, name FROM sqlite_master WHERE type IN ('view', 'trigger')")
    assert views_and_triggers == []
    assert _query(out, "PRAGMA integrity_check") == [("ok",)]


def test_no_private_value_reaches_the_file(newsroom, tmp_path):
    db = newsroom["db"]
    out = tmp_path / "public.db"
    publish(db, out)
    markers = private_markers(newsroom)
    vacuumed = tmp_path / "vacuumed.db"
    shutil.copy(out, vacuumed)
    conn = sqlite3.connect(vacuumed)
    conn.execute("VACUUM")
    conn.close()
    for path in (out, vacuumed):
        data = path.read_bytes()
        # The published claim and its quote are there, so the file is not simply empty.
        assert b"Kettle safety tests were skipped." in data
        assert PUBLIC_QUOTE.encode() in data
        assert APPROVED_WORDS.encode() in data  # quoted from approved reporting, with its public line
        assert ARCHIVED_BYTES in data  # the archived copy an editor chose to publish
        leaked = [m for m in markers if m.encode() in data]
        assert leaked == [], f"private values in {path.name}"


def test_only_published_claims_with_their_evidence_and_public_history(newsroom, tmp_path):
    db = newsroom["db"]
    out = tmp_path / "public.db"
    summary = publish(db, out)
    published = {newsroom["skipped"], newsroom["no_recall"]}
    assert {r[0] for r in _query(out, "SELECT id FROM claims")} == published
    assert {r[0] for r in _query(out, "SELECT claim_id FROM evidence")} == published
    assert _query(out, "SELECT slug, claims, confirmed, denied, unclear, unreviewed, last_event_at FROM stories") == [
        ("acme-kettles", 2, 0, 0, 1, 1, _query(out, "SELECT max(date) FROM events")[0][0])
    ]
    assert _query(
        out, "SELECT claim_id, from_status, to_status, public_rationale, is_correction FROM status_history"
    ) == [(newsroom["skipped"], "unreviewed", "unclear", "One source so far; the company disputes it.", 0)]
    assert _query(out, "SELECT outlet, url, coverage_kind FROM evidence WHERE quote = ?", [PUBLIC_QUOTE]) == [
        ("Example News", "https://news.example.com/acme-kettles", "article")
    ]
    assert _query(out, "SELECT status, status_rationale FROM claims WHERE id = ?", [newsroom["skipped"]]) == [
        ("unclear", "One source so far; the company disputes it.")
    ]
    assert summary["path"] == str(out)
    assert summary["claims"] == 2
    assert summary["events"] == _query(out, "SELECT count(*) FROM events")[0][0]


def test_long_quotes_are_cut_at_a_word(newsroom, tmp_path):
    db = newsroom["db"]
    out = tmp_path / "public.db"
    publish(db, out)
    (quote,) = _query(out, "SELECT quote FROM evidence WHERE stance = 'context' AND quote LIKE 'The engineer%'")[0]
    assert len(quote) <= QUOTE_MAX
    assert quote.endswith("…")
    assert LONG_QUOTE.startswith(quote[:-1])
    assert LONG_QUOTE[len(quote) - 1] in " ,.;"  # cut between words
    assert short_quote("short") == "short"
    assert short_quote(None) is None


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://news.example.com/a?b=1", "https://news.example.com/a?b=1"),
        ("HTTP://news.example.com/", "http://news.example.com/"),
        ("https://desk:secret@docs.example/report", "https://docs.example/report"),
        ("file:///home/rita/memo.html", None),
        ("/home/rita/memo.html", None),
        ("javascript:alert(1)", None),
        ("  javascript:alert(1)", None),
        ("data:text/html,<script>alert(1)</script>", None),
        ("https://", None),
        ("", None),
        (None, None),
    ],
)
def test_only_web_links_are_published(url, expected):
    assert public_link(url) == expected


@pytest.mark.parametrize(
    "url",
    [
        "https://news.example.com/a/b",
        "http://news.example.com/",
        "https://drive.google.com/file/d/1AbC/view",
        "https://Drive.Google.com/file/d/1AbC/view",
        "https://DOCS.GOOGLE.COM/document/d/1AbC/edit",
        "https://www.DropBox.com/s/abc/memo.pdf",
        "https://1DRV.MS/b/s!AbC",
        "https://We.TL/t-AbC",
        "https://desk:secret@news.example.com/",
        "https://news.example.com/a?key=1",
        "https://news.example.com/a;key=1",
        "https://news.example.com/a b",
        "https://news.example.com/a\tb",
        "https://news.example.com/a\nb",
        "https://news.example.com/a\x00https://drive.google.com/file/d/1AbC",
    ],
)
def test_a_link_published_without_the_link_check_is_one_the_check_keeps_as_it_is(url):
    # plain_link is the build's shortcut past public_link for ordinary web links: it must never let through a
    # link public_link would change or withhold (a sharing link's key, in whatever case its host is written).
    conn = sqlite3.connect(":memory:")
    try:
        (plain,) = conn.execute(f"SELECT {plain_link('?1')}", [url]).fetchone()
    finally:
        conn.close()
    assert not plain or public_link(url) == url


def test_links_without_a_public_address_are_left_out(newsroom, tmp_path):
    db = newsroom["db"]
    out = tmp_path / "public.db"
    publish(db, out)
    rows = _query(out, "SELECT id, title, url FROM coverage ORDER BY id")
    by_id = {r[0]: r[1:] for r in rows}
    assert by_id[newsroom["memo"]] == ("Kettle memo", None)
    assert by_id[newsroom["leaked"]] == ("Kettle report", "https://docs.acme.example/kettle-report")
    # The memo (a file path) and the newsroom's own reporting (no address at all).
    assert _query(out, "SELECT count(*) FROM evidence WHERE url IS NULL") == [(2,)]


def test_coverage_index_holds_only_cited_coverage(newsroom, tmp_path):
    db = newsroom["db"]
    out = tmp_path / "public.db"
    publish(db, out)
    rows = _query(out, "SELECT id, kind, outlet, title, published_at, revisions, last_revised_at, claims FROM coverage")
    # Readers know each item by its public id (tracker/public_ids.py), which the publish kept.
    public = dict(db.execute("SELECT id, public_id FROM public_ids WHERE kind = 'coverage'").fetchall())
    by_id = {r[0]: r[1:] for r in rows}
    cited = {newsroom[k] for k in ("article", "statement", "memo", "leaked", "approved_reporting", "post")}
    page = db.execute("SELECT id FROM coverage WHERE canonical_url = 'https://news.example.com/acme-sales'").fetchone()
    assert set(by_id) == {public[i] for i in cited | {page[0]}} == set(range(1, len(cited) + 2))
    assert by_id[public[newsroom["statement"]]] == (
        "statement",
        "Acme Widgets",
        "Statement on kettles",
        "2025-11-21T12:00:00Z",
        2,
        "2025-11-23T08:00:00Z",
        2,
    )
    # The article is cited by the published claim only; the unpublished claim citing it does not count.
    assert by_id[public[newsroom["article"]]][4:] == (1, None, 1)
    assert UNCITED_TITLE not in {r[3] for r in rows}


def test_the_stored_echo_counts_are_published(newsroom, tmp_path):
    db = newsroom["db"]
    out = tmp_path / "public.db"
    publish(db, out)
    stored = dict(
        (r[0], tuple(r[1:])) for r in db.execute("SELECT id, independent_sources, outlets_repeating FROM claims")
    )
    published = _query(out, "SELECT id, independent_sources, outlets_repeating FROM claims")
    assert published and all(stored[r[0]] == tuple(r[1:]) for r in published)
    db.execute("UPDATE claims SET independent_sources = 3, outlets_repeating = 7 WHERE id = ?", [newsroom["skipped"]])
    db.conn.commit()
    publish(db, out)
    assert _query(
        out, "SELECT independent_sources, outlets_repeating FROM claims WHERE id = ?", [newsroom["skipped"]]
    ) == [(3, 7)]


def test_claims_and_evidence_are_searchable(newsroom, tmp_path):
    db = newsroom["db"]
    out = tmp_path / "public.db"
    publish(db, out)
    found = _query(out, "SELECT rowid FROM claims_fts WHERE claims_fts MATCH 'kettle* AND engineer'")
    assert found == [(newsroom["skipped"],)]
    quotes = _query(out, "SELECT quote FROM evidence_fts WHERE evidence_fts MATCH 'recall'")
    assert quotes == [("No recall is planned",)]
    # The build's larger in-memory term buffer is not left in the file: its search indexes carry FTS5's defaults.
    for table in ("claims_fts", "evidence_fts"):
        assert _query(out, f"SELECT k, v FROM {table}_config") == [("version", 4)]
        assert _query(out, f"INSERT INTO {table} ({table}) VALUES ('integrity-check')") == []


def test_events_form_the_timeline(newsroom, tmp_path):
    db = newsroom["db"]
    out = tmp_path / "public.db"
    publish(db, out)
    events = _query(
        out, "SELECT kind, claim_id, date, status, source_url, outlet, detail FROM events ORDER BY date DESC, id DESC"
    )
    skipped, no_recall = newsroom["skipped"], newsroom["no_recall"]
    by_kind = {(kind, claim_id): rest for kind, claim_id, *rest in events}
    assert set(by_kind) == {
        ("status_changed", skipped),
        ("statement_changed", skipped),
        ("first_reported", skipped),
        ("statement", skipped),
        ("first_reported", no_recall),
    }
    # The statement is where "no recall" was first reported, so it is not listed twice.
    assert by_kind[("first_reported", no_recall)] == [
        "2025-11-21T12:00:00Z",
        "unreviewed",
        "https://acme.example/press/kettles",
        "Acme Widgets",
        "No recall is planned",
    ]
    assert by_kind[("first_reported", skipped)][:4] == [
        "2025-11-20T09:00:00Z",
        "unclear",
        "https://news.example.com/acme-kettles",
        "Example News",
    ]
    assert by_kind[("statement", skipped)][0] == "2025-11-21T12:00:00Z"
    # A statement fetched again with new text is one event, under the first published claim citing it,
    # naming every one of them.
    assert by_kind[("statement_changed", skipped)] == [
        "2025-11-23T08:00:00Z",
        "unclear",
        "https://acme.example/press/kettles",
        "Acme Widgets",
        "The statement was revised (version 2 of 2).",
    ]
    assert _query(out, "SELECT claim_ids FROM events WHERE kind = 'statement_changed'") == [
        (f"{min(skipped, no_recall)},{max(skipped, no_recall)}",)
    ]
    assert by_kind[("status_changed", skipped)][3:] == ["Example News", "One source so far; the company disputes it."]
    dates = [e[2] for e in events]
    assert dates == sorted(dates, reverse=True)
    ids = [r[0] for r in _query(out, "SELECT id FROM events ORDER BY date DESC, id DESC")]
    assert ids == sorted(ids, reverse=True), "event ids follow time, so the timeline can page by id"
    assert set(EVENT_KINDS) >= {e[0] for e in events}


def test_a_changed_published_ruling_is_a_correction(newsroom, tmp_path):
    db = newsroom["db"]
    skipped, editor = newsroom["skipped"], newsroom["editor"]
    out = tmp_path / "public.db"
    publish_and_log(db, out, editor)  # readers are shown "unclear"
    claims.set_status(
        db, skipped, "confirmed", editor, "docs seen", claims.get_claim(db, skipped)["version"], "Documents confirm it."
    )
    publish(db, out)
    assert _query(out, "SELECT kind, detail FROM events WHERE kind = 'correction'") == [
        ("correction", "Documents confirm it.")
    ]
    assert _query(out, "SELECT status FROM claims WHERE id = ?", [skipped]) == [("confirmed",)]


def test_second_publish_replaces_content_under_open_readers(newsroom, tmp_path):
    db = newsroom["db"]
    out = tmp_path / "public.db"
    publish(db, out)
    inode = out.stat().st_ino
    reader = sqlite3.connect(f"file:{out}?mode=ro", uri=True)
    assert reader.execute("SELECT count(*) FROM claims").fetchone() == (2,)

    _publish_claim(db, newsroom["hidden"], newsroom["editor"])
    _publish_claim(db, newsroom["no_recall"], newsroom["editor"], published=False)
    publish(db, out)

    ids = {r[0] for r in reader.execute("SELECT id FROM claims")}
    assert ids == {newsroom["skipped"], newsroom["hidden"]}
    assert reader.execute("SELECT count(*) FROM events WHERE claim_id = ?", [newsroom["no_recall"]]).fetchone() == (0,)
    reader.close()
    assert out.stat().st_ino == inode, "an existing file is overwritten in place, not renamed over"
    check_public_file(out, journal_mode="wal")
    # The reader was the last to close, read-only: it leaves the (empty) WAL and its index for the next one.
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("public.db")) == [
        "public.db",
        "public.db-publish-lock",
        "public.db-shm",
        "public.db-wal",
    ]
    assert Path(f"{out}-wal").stat().st_size == 0


def test_the_served_public_file_is_in_wal_mode_and_left_without_a_wal(newsroom, tmp_path):
    db = newsroom["db"]
    out = tmp_path / "public.db"
    publish(db, out)  # a first publish renames a finished file into place
    assert out.read_bytes()[18:20] == b"\x02\x02", "file format 2 is WAL"
    publish(db, out)  # later ones copy into it
    assert out.read_bytes()[18:20] == b"\x02\x02"
    assert not Path(f"{out}-wal").exists(), "the new pages were merged into the file and the WAL removed"
    check_public_file(out, journal_mode="wal")


def test_a_first_publish_flushes_its_file_to_the_disk_while_the_file_is_checked(newsroom, tmp_path, monkeypatch):
    """A new public file is renamed into place only once its pages are on the disk (_swap_in). They are flushed while
    the finished file is checked, so the publish no longer waits for the disk after the check: here the check waits
    for the flush to start, which came only after the check before."""
    flushing = threading.Event()
    real_fsync, real_check_pages = tracker.publish.fsync_path, tracker.publish._check_pages

    def fsync_path(path):
        if tracker.publish.TMP_INFIX in Path(path).name:
            flushing.set()
        real_fsync(path)

    def check_pages(path, fresh):
        assert flushing.wait(timeout=10), "the new file was not being flushed while it was checked"
        real_check_pages(path, fresh)

    monkeypatch.setattr(tracker.publish, "fsync_path", fsync_path)
    monkeypatch.setattr(tracker.publish, "_check_pages", check_pages)
    out = tmp_path / "public.db"
    publish(newsroom["db"], out)
    assert out.read_bytes()[18:20] == b"\x02\x02", "file format 2 is WAL"
    check_public_file(out, journal_mode="wal")


def test_only_a_file_renamed_into_place_is_flushed(newsroom, tmp_path, monkeypatch):
    """The Publish page's build (built) is thrown away, and a later publish copies its pages into the served file
    (which SQLite syncs): neither flushes the temporary file, which would only be disk writes of 300 MB at
    100,000 claims for nothing."""
    db, out = newsroom["db"], tmp_path / "public.db"
    publish(db, out)
    flushed = []
    real_fsync = tracker.publish.fsync_path
    monkeypatch.setattr(tracker.publish, "fsync_path", lambda path: flushed.append(Path(path).name) or real_fsync(path))
    with built(db, tmp_path) as (path, counts):
        assert counts["claims"] == 2
    publish(db, out)
    assert [name for name in flushed if tracker.publish.TMP_INFIX in name] == []
    check_public_file(out, journal_mode="wal")


def test_a_public_file_with_a_rollback_journal_is_switched_to_wal(newsroom, tmp_path):
    db = newsroom["db"]
    out = tmp_path / "public.db"
    publish(db, out)
    conn = sqlite3.connect(out)
    conn.execute("PRAGMA journal_mode = DELETE")  # as an older version left it
    conn.close()
    assert out.read_bytes()[18] == 1
    publish(db, out)
    assert out.read_bytes()[18] == 2
    check_public_file(out, journal_mode="wal")


def test_a_public_file_keeps_its_page_size_and_a_new_one_gets_the_larger(newsroom, tmp_path):
    db = newsroom["db"]
    new, old = tmp_path / "new.db", tmp_path / "old.db"
    publish(db, new)
    assert _query(new, "PRAGMA page_size") == [(NEW_PAGE_SIZE,)]
    publish(db, old)
    conn = sqlite3.connect(old, isolation_level=None)
    conn.execute("PRAGMA journal_mode = DELETE")
    conn.execute("PRAGMA page_size = 4096")  # as an older version built it
    conn.execute("VACUUM")
    conn.execute("PRAGMA journal_mode = WAL")
    conn.close()
    assert _query(old, "PRAGMA page_size") == [(4096,)]
    reader = sqlite3.connect(f"file:{old}?mode=ro", uri=True)  # a site serving it, which a move aside would break
    publish(db, old)  # not refused: the build takes the file's own page size
    assert _query(old, "PRAGMA page_size") == [(4096,)]
    assert reader.execute("SELECT count(*) FROM claims").fetchone() == _query(new, "SELECT count(*) FROM claims")[0]
    reader.close()
    check_public_file(old, journal_mode="wal")
    for table in PUBLIC_TABLES:
        assert _query(old, f"SELECT * FROM [{table}]") == _query(new, f"SELECT * FROM [{table}]"), table


def test_the_ids_a_build_gave_are_found_through_their_index_not_by_reading_every_event(db_path, db):
    """A publish asks which events it gave their first id: read through the events' public_id index, the rows past
    the highest id kept, not every event the build made (206,000 at 100,000 claims, to find none new)."""
    conn = sqlite3.connect(":memory:")
    conn.execute("ATTACH DATABASE ? AS src", [str(db_path)])
    conn.execute(next(s for s in PUBLIC_TABLES["events"].prepare if s.startswith("CREATE TEMP TABLE event_rows")))
    conn.executemany(
        "INSERT INTO temp.event_rows (key, public_id, story, date) VALUES (?, ?, 's', ?)",
        [(key, key, f"2026-01-{1 + key % 28:02}") for key in range(1, 200)],
    )
    plan = [row[3] for row in conn.execute(f"EXPLAIN QUERY PLAN {given_ids_sql('event_rows', 'key')}", ["event"])]
    conn.close()
    assert any(step.startswith("SEARCH m USING INDEX") and "(public_id>?)" in step for step in plan), plan


def _steps(conn: sqlite3.Connection, sql: str, params: list) -> tuple[list, int]:
    """The rows of sql and the SQLite virtual machine steps it took (counted, never timed)."""
    steps = 0

    def count() -> int:
        nonlocal steps
        steps += 1
        return 0

    conn.set_progress_handler(count, 1)
    try:
        return conn.execute(sql, params).fetchall(), steps
    finally:
        conn.set_progress_handler(None, 1)


def test_the_unseen_events_are_looked_up_without_reading_every_event(db_path, db):
    """A publish asks which events it shows were kept by a publish that never reached readers (mostly none): the
    events (206,000 at 100,000 claims) are read only when some event is unseen, and their keys are indexed only for a
    build that withdrew one (keeping that index as the rows were made cost 0.14 s of CPU at that size)."""
    assert not any("key INTEGER NOT NULL UNIQUE" in s for s in PUBLIC_TABLES["events"].prepare)
    assert any("ON event_rows (key)" in statement for statement in PUBLIC_TABLES["withdrawn_events"].prepare)
    with transaction(db):
        db.execute("INSERT INTO public_ids_unseen (kind, id) VALUES ('claim', 7)")
    conn = sqlite3.connect(":memory:", isolation_level=None)
    conn.execute("ATTACH DATABASE ? AS src", [str(db_path)])
    conn.execute(next(s for s in PUBLIC_TABLES["events"].prepare if s.startswith("CREATE TEMP TABLE event_rows")))
    steps = []
    for events in (200, 2000):
        conn.execute("DELETE FROM temp.event_rows")
        conn.executemany(
            "INSERT INTO temp.event_rows (key, public_id, story, date) VALUES (?, ?, 's', ?)",
            [(key, key, f"2026-01-{1 + key % 28:02}") for key in range(1, events + 1)],
        )
        rows, taken = _steps(conn, unseen_ids_sql("event_rows", "key"), ["event"])
        assert rows == []
        steps.append(taken)
    assert steps[1] < steps[0] * 2, steps  # ten times the events: about the same work, not ten times it
    with transaction(db):
        db.execute("INSERT INTO public_ids_unseen (kind, id) VALUES ('event', 7), ('event', 4000)")
    assert conn.execute(unseen_ids_sql("event_rows", "key"), ["event"]).fetchall() == [(7,)]
    conn.close()


def test_the_cited_items_claims_are_counted_from_an_index_of_the_quotes_items_not_a_sort(db_path):
    """Each cited item's claims are counted from the quotes in item order: read from an index of (item, claim), not
    sorted for the grouping (0.09 s of CPU less at 100,000 claims), and the quotes are still read in their own order
    for the evidence table, each item looked up, not sorted back."""
    conn = sqlite3.connect(":memory:")
    conn.create_function("short_quote", 1, short_quote)
    conn.execute("ATTACH DATABASE ? AS src", [str(db_path)])
    for statement in PREPARE:
        if "cited_evidence" in statement and statement.lstrip().startswith("CREATE"):
            conn.execute(statement)
    prepare = PUBLIC_TABLES["coverage"].prepare
    count = next(i for i, s in enumerate(prepare) if s.lstrip().startswith("INSERT INTO temp.cited"))
    for statement in prepare[:count]:
        conn.execute(statement)
    plan = [row[3] for row in conn.execute(f"EXPLAIN QUERY PLAN {prepare[count]}")]
    assert not any("TEMP B-TREE" in step for step in plan) and any("COVERING INDEX" in step for step in plan), plan
    for statement in prepare[count:]:
        conn.execute(statement)
    for name in ("archived_copies", "coverage", "evidence"):
        conn.execute(PUBLIC_TABLES[name].create_sql())
    select = PUBLIC_TABLES["evidence"].insert_sql().split("\n", 1)[1]
    plan = [row[3] for row in conn.execute(f"EXPLAIN QUERY PLAN {select}")]
    conn.close()
    assert plan[0] == "SCAN e USING INDEX cited_evidence_public_id" and not any("TEMP B-TREE" in s for s in plan), plan


def _sqlite_allocations(reset: bool = False) -> tuple[int, int]:
    """(held now, the most held at once since the last reset) of SQLite's allocations in this process
    (sqlite3_status64's SQLITE_STATUS_MALLOC_COUNT), read from the library Python's sqlite3 module runs on.

    Process-wide: connections earlier tests left open hold their page caches (one allocation a page), so a
    measure is the rise over what was held at the reset, not the high-water mark itself."""
    status = ctypes.CDLL(_sqlite3.__file__).sqlite3_status64
    status.argtypes = [ctypes.c_int, ctypes.POINTER(ctypes.c_int64), ctypes.POINTER(ctypes.c_int64), ctypes.c_int]
    current, highest = ctypes.c_int64(), ctypes.c_int64()
    assert status(9, ctypes.byref(current), ctypes.byref(highest), int(reset)) == 0  # 9: SQLITE_STATUS_MALLOC_COUNT
    return current.value, highest.value


def test_the_build_sorts_its_rows_in_blocks_not_one_allocation_a_row(tmp_path):
    """The build's indexes, groupings and orderings are sorted by SQLite's sorter, which holds the rows it sorts in
    a few large blocks, except when temporary storage is set to memory: then it allocates each row apart (and frees
    each after), every allocation counted under SQLite's one process-wide lock. At 100,000 claims the build sorts
    some five million rows that way."""
    (tmp_path / "public.db").touch()  # as _built makes it
    conn = tracker.publish._build_connection(tmp_path / "public.db", NEW_PAGE_SIZE)
    try:
        conn.execute("BEGIN")
        conn.execute(
            "CREATE TABLE quotes AS WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20000) "
            "SELECT i AS id, i * 7919 % 20000 AS coverage_id, 'quote ' || i AS quote FROM n"
        )
        before, _ = _sqlite_allocations(reset=True)
        conn.execute("CREATE INDEX quotes_coverage_id ON quotes (coverage_id)")
        conn.execute("CREATE TEMP TABLE ordered AS SELECT * FROM quotes ORDER BY coverage_id")
        held = _sqlite_allocations()[1] - before
        conn.execute("ROLLBACK")
    finally:
        conn.close()
    assert held < 5000, held


def test_the_claims_local_first_reports_read_the_items_in_their_order_not_each_claim_s_revision(db_path, tmp_path):
    """A claim's first report on its source's clock (first_reported_local) comes from the item its dating quote
    cites: found before the claims, for the cited quotes from the item each already carries, in the items' order.
    Asked per claim, each claim looked up its quote's revision and then the item, in no order of theirs (0.35 s of
    the claims' 0.45 s of CPU at 100,000 claims)."""
    (tmp_path / "public.db").touch()
    conn = tracker.publish._build_connection(tmp_path / "public.db", NEW_PAGE_SIZE)
    try:
        conn.execute("ATTACH DATABASE ? AS src", [str(db_path)])
        for statement in (*PREPARE, PUBLIC_TABLES["claims"].create_sql(), *PUBLIC_TABLES["claims"].prepare):
            conn.execute(statement)
        select = PUBLIC_TABLES["claims"].insert_sql().split("\n", 1)[1]
        plan = [row[3] for row in conn.execute(f"EXPLAIN QUERY PLAN {select}")]
    finally:
        conn.close()
    assert not any(step.startswith(("SEARCH r ", "SEARCH cov ", "SEARCH e ")) for step in plan), plan


def test_the_reporting_and_documents_are_found_through_an_index_not_by_reading_every_item(db_path):
    """A build looks at the newsroom's reporting and the documents among the coverage (a few): found through the
    working database's index of those two kinds, where it read every item collected (1,000,000 at 100,000 claims,
    a tenth of a second of CPU)."""
    conn = sqlite3.connect(":memory:")
    conn.execute("ATTACH DATABASE ? AS src", [str(db_path)])
    create, fill = (s for s in PREPARE if "reporting_and_documents" in s.split("\n", 1)[0])
    conn.execute(create)
    plan = [row[3] for row in conn.execute(f"EXPLAIN QUERY PLAN {fill}")]
    conn.close()
    assert any(step.startswith("SEARCH src.coverage USING INDEX") for step in plan), plan


def test_quotes_are_looked_up_among_the_archived_copies_only_when_a_copy_is_published(tmp_path):
    """Each quote names its item's published archived copy: looked up per quote (300,000 at 100,000 claims, a tenth
    of a second of CPU) only when the file holds a copy, which one read of archived_copies tells; most hold none."""
    conn = sqlite3.connect(tmp_path / "plan.db")
    conn.create_function("short_quote", 1, short_quote)
    for name in ("archived_copies", "coverage", "evidence"):
        conn.execute(PUBLIC_TABLES[name].create_sql())
    conn.execute(PUBLIC_TABLES["archived_copies"].index_sql()[0])
    conn.execute(
        "CREATE TEMP TABLE cited_evidence (id INTEGER PRIMARY KEY, public_id, claim_id, coverage_id, quote, "
        "stance, page, seen_at, words_from)"
    )
    conn.execute("CREATE TEMP TABLE cited (coverage_id INTEGER PRIMARY KEY, public_id INTEGER, claims)")
    select = PUBLIC_TABLES["evidence"].insert_sql().split("\n", 1)[1]
    plan = [row[3] for row in conn.execute(f"EXPLAIN QUERY PLAN {select}")]
    conn.close()
    # Read once for the whole build (not correlated with a row), before any per-quote lookup.
    once = next(i for i, step in enumerate(plan) if step.startswith("SCALAR SUBQUERY"))
    per_quote = next(i for i, step in enumerate(plan) if step.startswith("CORRELATED SCALAR SUBQUERY"))
    assert once < per_quote and "archived_copies" in plan[once + 1], plan


def test_the_events_time_order_is_indexed_only_for_a_build_that_withdrew_an_event(db_path, db):
    """The index placing withdrawn events in time order (0.1 s of CPU at 100,000 claims) is made only when an event
    readers were given an id for is missing from the build, which the kept ids' count tells without reading them."""
    withdrawn = PUBLIC_TABLES["withdrawn_events"]
    assert any("event_rows_order" in statement for statement in withdrawn.prepare)
    public_ids.record(db, {"event": [(key, key) for key in range(1, 4)]})
    conn = sqlite3.connect(":memory:")
    conn.execute("ATTACH DATABASE ? AS src", [str(db_path)])
    conn.execute(next(s for s in PUBLIC_TABLES["events"].prepare if s.startswith("CREATE TEMP TABLE event_rows")))
    rows = [(key, key, "s", f"2026-01-0{key}") for key in range(1, 4)]
    conn.executemany("INSERT INTO temp.event_rows (key, public_id, story, date) VALUES (?, ?, ?, ?)", rows)
    conn.execute("INSERT INTO temp.event_rows (key, story, date) VALUES (9, 's', '2026-01-09')")  # a new event
    assert conn.execute(f"SELECT {withdrawn.prepare_if}").fetchone() == (0,)
    conn.execute("DELETE FROM temp.event_rows WHERE key = 2")
    assert conn.execute(f"SELECT {withdrawn.prepare_if}").fetchone() == (1,)
    conn.close()


def test_failed_build_leaves_previous_file_intact(newsroom, tmp_path, monkeypatch):
    db = newsroom["db"]
    out = tmp_path / "public.db"
    publish(db, out)
    before = out.read_bytes()
    broken = PublicTable("leak", {"id": "INTEGER"}, "SELECT id FROM src.no_such_table")
    monkeypatch.setitem(PUBLIC_TABLES, "leak", broken)
    _publish_claim(db, newsroom["hidden"], newsroom["editor"])
    with pytest.raises(PublishError, match="left unchanged.*no such table"):
        publish(db, out)
    assert out.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("public.db")) == [
        "public.db",
        "public.db-publish-lock",
    ]


def test_a_value_larger_than_the_public_site_reads_is_refused_and_the_file_kept(newsroom, tmp_path):
    """The public site's SQLite reads no value over max_value_bytes (metadata.yml): a published claim of
    1 MB (the form took it) made every page that reads it, the front page and the timeline included, a 500."""
    db = newsroom["db"]
    out = tmp_path / "public.db"
    publish(db, out)
    before = out.read_bytes()
    claim = claims.get_claim(db, newsroom["no_recall"])
    # Stored before claims had a length limit (the form took 1 MB then); a claim typed today cannot be this long.
    with transaction(db):
        db.execute("UPDATE claims SET text = ? WHERE id = ?", ["Acme " + "x" * 1_000_000, claim["id"]])
    with pytest.raises(PublishError, match=rf"claims {claim['id']}: its text .*max_value_bytes"):
        publish(db, out)
    assert out.read_bytes() == before


def test_a_value_over_a_small_limit_is_found_in_a_table_whose_rows_are_longer_than_the_limit(
    newsroom, tmp_path, monkeypatch
):
    """The size check reads a table row by row only where a row is longer than the limit (no value can be
    longer than its row): rows over it with every value under it pass, one value over it is refused by name."""
    import tracker.public_metadata

    metadata = tmp_path / "metadata.yml"
    metadata.write_text("plugins:\n  newsroom-tracker:\n    max_value_bytes: 400\n", encoding="utf-8")
    monkeypatch.setattr(tracker.public_metadata, "METADATA_PATH", metadata)
    db = newsroom["db"]
    claim = claims.get_claim(db, newsroom["no_recall"])
    with transaction(db):
        db.execute("UPDATE claims SET text = ?, claimant = ? WHERE id = ?", ["a" * 300, "b" * 300, claim["id"]])
    out = tmp_path / "public.db"
    publish(db, out)  # the claim's row is over 600 bytes, each of its values under 400
    assert _query(out, "SELECT length(text) + length(claimant) FROM claims WHERE id = ?", [claim["id"]]) == [(600,)]
    before = out.read_bytes()
    with transaction(db):
        db.execute("UPDATE claims SET text = ? WHERE id = ?", ["a" * 401, claim["id"]])
    with pytest.raises(
        PublishError, match=rf"claims {claim['id']}: its text is 401 bytes, more than the public site reads \(400,"
    ):
        publish(db, out)
    assert out.read_bytes() == before


def test_an_archived_copy_larger_than_the_public_site_serves_cannot_be_chosen_for_publishing(newsroom, tmp_path):
    # Chosen anyway, it would stop every publish until withdrawn; said where the editor chooses it.
    db = newsroom["db"]
    desk = users.find_user(db, USERNAME)
    big = reporting.attach_file(
        db,
        newsroom["post"],
        b"%PDF-1.7\n" + bytes(1_100_000),
        filename="filing.pdf",
        media_type="application/pdf",
        user=desk,
    )
    with pytest.raises(TrackerError, match=r"copy is 1,100,009 bytes; the public site serves copies up to 1,000,000"):
        captures.set_published(db, big, True, newsroom["editor"])
    assert captures.get_capture(db, big)["published"] == 0
    publish(db, tmp_path / "public.db")  # the other copies still go out
    assert _query(tmp_path / "public.db", "SELECT count(*) FROM archived_copies")[0][0] == 1


def test_publishing_from_an_uninitialised_database_fails_cleanly(tmp_path, newsroom):
    db = newsroom["db"]
    out = tmp_path / "public.db"
    publish(db, out)
    before = out.read_bytes()
    empty = connect(tmp_path / "empty.db")
    with pytest.raises(TrackerError, match="unchanged"):
        publish(empty, out)
    empty.close()
    assert out.read_bytes() == before


def test_missing_directory_is_a_clear_error(newsroom, tmp_path):
    db = newsroom["db"]
    with pytest.raises(TrackerError, match="does not exist"):
        publish(db, tmp_path / "nowhere" / "public.db")
    assert not (tmp_path / "nowhere").exists()


def test_refuses_to_overwrite_a_file_that_is_not_sqlite(newsroom, tmp_path):
    db = newsroom["db"]
    out = tmp_path / "public.db"
    out.write_text("my notes, not a database\n" * 50)
    with pytest.raises(TrackerError, match="Nothing was changed"):
        publish(db, out)
    assert out.read_text().startswith("my notes")


def test_refuses_the_working_database_as_output(newsroom):
    db = newsroom["db"]
    db_path = newsroom["path"]
    with pytest.raises(TrackerError, match="cannot be the working database"):
        publish(db, db_path)


def test_only_a_public_file_says_which_ids_readers_were_shown(newsroom, tmp_path):
    """A publish first notes as seen the unseen ids the file in place holds: the working database given as that file
    by mistake (its claims numbered by working id) is refused, and says nothing of what readers saw."""
    db = newsroom["db"]
    publish(db, tmp_path / "public.db")
    with transaction(db):  # as a publish whose swap failed leaves them
        db.execute("INSERT INTO public_ids_unseen (kind, id) SELECT kind, id FROM public_ids WHERE kind = 'claim'")
    unseen = db.execute("SELECT count(*) FROM public_ids_unseen").fetchone()[0]
    assert unseen > 0
    with pytest.raises(TrackerError, match="cannot be the working database"):
        publish(db, newsroom["path"])
    assert db.execute("SELECT count(*) FROM public_ids_unseen").fetchone()[0] == unseen


@pytest.mark.parametrize(
    ("tamper", "message"),
    [
        ("CREATE TABLE users (username TEXT)", "unexpected tables: users"),
        ("ALTER TABLE claims ADD COLUMN internal_notes TEXT", "internal_notes"),
        ("CREATE VIEW secrets AS SELECT 1", "view secrets"),
        ("DROP TABLE events", "missing tables: events"),
    ],
)
def test_check_refuses_anything_outside_the_allow_list(newsroom, tmp_path, tamper, message):
    db = newsroom["db"]
    out = tmp_path / "public.db"
    publish(db, out)
    conn = sqlite3.connect(out)
    conn.execute(tamper)
    conn.commit()
    conn.close()
    with pytest.raises(PublishError, match=message):
        check_public_file(out)


def test_check_refuses_rows_pointing_at_rows_the_file_does_not_hold(newsroom, tmp_path):
    out = tmp_path / "public.db"
    publish(newsroom["db"], out)
    conn = sqlite3.connect(out)
    conn.execute("UPDATE evidence SET coverage_id = -1 WHERE rowid = (SELECT min(rowid) FROM evidence)")
    conn.commit()
    conn.close()
    with pytest.raises(PublishError, match="rows pointing at rows it does not contain"):
        check_public_file(out, journal_mode="wal")


@pytest.mark.parametrize(
    "tamper",
    [
        # a column no index of the file holds, which may be NULL
        "UPDATE events SET coverage_id = -1 WHERE rowid = (SELECT min(rowid) FROM events WHERE coverage_id > 0)",
        # a key that is text, not a row id
        "UPDATE claims SET story = 'no-such-story' WHERE rowid = (SELECT max(rowid) FROM claims)",
        "UPDATE status_history SET claim_id = 999999 WHERE rowid = (SELECT min(rowid) FROM status_history)",
        "UPDATE events SET claim_id = 999999 WHERE rowid = (SELECT max(rowid) FROM events)",
    ],
    ids=["unindexed", "text", "ruling", "event"],
)
def test_check_refuses_any_key_pointing_at_a_row_the_file_does_not_hold(newsroom, tmp_path, tamper):
    """Every foreign key of every table is checked, whatever its column: indexed or not, a row id or text."""
    out = tmp_path / "public.db"
    publish(newsroom["db"], out)
    conn = sqlite3.connect(out)
    assert conn.execute(tamper).rowcount == 1
    conn.commit()
    conn.close()
    with pytest.raises(PublishError, match="rows pointing at rows it does not contain"):
        check_public_file(out, journal_mode="wal")


def test_check_lets_a_key_of_no_row_be_null(newsroom, tmp_path):
    """NULL points at no row (an event with no item): the file is accepted, as SQLite's own check accepts it."""
    out = tmp_path / "public.db"
    publish(newsroom["db"], out)
    conn = sqlite3.connect(out)
    assert conn.execute("UPDATE events SET coverage_id = NULL").rowcount > 0
    conn.commit()
    conn.close()
    check_public_file(out, journal_mode="wal")


@pytest.mark.parametrize(
    "table",
    ["notes", 'odd]"name'],
    ids=["plain", "quotes-and-brackets"],
)
def test_a_table_pointing_at_a_table_the_file_does_not_hold_is_refused_in_words(newsroom, tmp_path, table):
    """A file someone added a table to, naming one it does not hold, is refused with the check's words, not an
    error from SQLite (a snapshot is checked before it is deployed, and its tables may be anything)."""
    out = tmp_path / "public.db"
    publish(newsroom["db"], out)
    conn = sqlite3.connect(out)
    quoted = '"' + table.replace('"', '""') + '"'
    conn.execute(f"CREATE TABLE {quoted} (claim_id INTEGER REFERENCES internal_notes(id))")
    conn.execute(f"INSERT INTO {quoted} VALUES (1)")
    conn.commit()
    conn.close()
    with pytest.raises(PublishError, match="rows pointing at rows it does not contain|outside the allow-list"):
        check_public_file(out, journal_mode="wal")


def test_a_key_of_two_columns_is_checked_too(tmp_path):
    """A key of several columns (none in the allow-list now) is checked as SQLite checks it, not let through."""
    path = tmp_path / "two.db"
    conn = sqlite3.connect(path)
    conn.executescript(
        """CREATE TABLE parent (a INTEGER, b INTEGER, PRIMARY KEY (a, b));
           CREATE TABLE child (a INTEGER, b INTEGER, FOREIGN KEY (a, b) REFERENCES parent (a, b));
           INSERT INTO parent VALUES (1, 2);
           INSERT INTO child VALUES (1, 2), (NULL, 3);"""
    )
    conn.commit()
    _check_foreign_keys(path)
    conn.execute("INSERT INTO child VALUES (2, 1)")
    conn.commit()
    conn.close()
    with pytest.raises(PublishError, match="rows pointing at rows it does not contain"):
        _check_foreign_keys(path)


def test_a_build_whose_rows_point_at_rows_it_does_not_hold_is_refused_and_the_file_kept(
    newsroom, tmp_path, monkeypatch
):
    """The build's foreign keys are checked while its search indexes are built, apart from the rest of the check:
    a build breaking one is refused all the same, before its file reaches readers."""
    db = newsroom["db"]
    out = tmp_path / "public.db"
    publish(db, out)
    before = out.read_bytes()
    evidence = PUBLIC_TABLES["evidence"]
    pointing_nowhere = evidence.select.replace("e.claim_id, ci.public_id", "e.claim_id, -ci.public_id", 1)
    assert pointing_nowhere != evidence.select
    monkeypatch.setitem(PUBLIC_TABLES, "evidence", dataclasses.replace(evidence, select=pointing_nowhere))
    with pytest.raises(PublishError, match="rows pointing at rows it does not contain"):
        publish(db, out)
    assert out.read_bytes() == before


def test_check_says_a_damaged_file_is_damaged_whatever_else_its_damage_breaks(newsroom, tmp_path):
    """The checks run side by side; a damaged page is what is reported, not what reading it made the others find."""
    out = tmp_path / "public.db"
    publish(newsroom["db"], out)
    conn = sqlite3.connect(out)
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'claims'").fetchone()[0]
    conn.close()
    with open(out, "r+b") as f:  # the claims table's page, its cells overwritten
        f.seek((root - 1) * page_size + 8)
        f.write(b"\xff" * (page_size - 8))
    with pytest.raises(PublishError, match="failed its integrity check"):
        check_public_file(out, journal_mode="wal")


def test_cli_publish(newsroom, tmp_path):
    db_path = newsroom["path"]
    out = tmp_path / "public.db"
    result = CliRunner().invoke(cli, ["--db", str(db_path), "publish", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "Published 2 claim(s)" in result.output
    bad = CliRunner().invoke(cli, ["--db", str(db_path), "publish", "--out", str(tmp_path / "no" / "public.db")])
    assert bad.exit_code != 0
    assert bad.output.count("\n") == 1 and "does not exist" in bad.output


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ('title: "a title never closed\nplugins:\n  newsroom-tracker: {}\n', "is not valid YAML (line "),
        ("- a list\n- not settings\n", "must be a mapping"),
        ("plugins:\n  - newsroom-tracker\n", "plugins must be a mapping"),
        ("settings: [sql_time_limit_ms]\n", "settings must be a mapping"),
    ],
    ids=["yaml", "list", "plugins", "settings"],
)
def test_a_malformed_metadata_file_is_one_line_and_publishes_nothing(newsroom, tmp_path, monkeypatch, text, says):
    """metadata.yml is the admin's to edit: a slip in it was a traceback from publish and serve."""
    import tests.e2e.conftest as e2e
    import tracker.public
    import tracker.public_metadata

    db_path, out = newsroom["path"], tmp_path / "public.db"
    assert CliRunner().invoke(cli, ["--db", str(db_path), "publish", "--yes", "--out", str(out)]).exit_code == 0
    before = out.read_bytes()
    metadata = tmp_path / "metadata.yml"
    metadata.write_text(text, encoding="utf-8")
    monkeypatch.setattr(tracker.public, "METADATA_PATH", metadata)  # what serve hands Datasette
    monkeypatch.setattr(tracker.public_metadata, "METADATA_PATH", metadata)  # what publish and serve read
    _publish_claim(newsroom["db"], newsroom["hidden"], newsroom["editor"])

    for args in (
        ["publish", "--yes", "--out", str(out)],
        ["serve", "--public-db", str(out), "--editor-port", str(e2e.free_port())]
        + ["--public-port", str(e2e.free_port())],
    ):
        result = CliRunner().invoke(cli, ["--db", str(db_path), *args])
        assert result.exit_code == 1, (args[0], result.output, result.exception)
        assert result.output.count("\n") == 1 and result.output.startswith("Error: "), result.output
        assert str(metadata) in result.output and says in result.output, result.output
        assert out.read_bytes() == before


def test_a_value_limit_the_public_site_cannot_read_is_checked_at_the_site_s_default(newsroom, tmp_path, monkeypatch):
    """connection_limits.py reads the default when max_value_bytes is not a number; the publish's check did
    int() on it and ended in a traceback."""
    import tracker.public_metadata

    metadata = tmp_path / "metadata.yml"
    metadata.write_text("plugins:\n  newsroom-tracker:\n    max_value_bytes: one megabyte\n", encoding="utf-8")
    monkeypatch.setattr(tracker.public_metadata, "METADATA_PATH", metadata)
    out = tmp_path / "public.db"
    result = CliRunner().invoke(cli, ["--db", str(newsroom["path"]), "publish", "--yes", "--out", str(out)])
    assert result.exit_code == 0, (result.output, result.exception)
    assert _query(out, "SELECT count(*) FROM claims") == [(2,)]


def test_reporting_is_published_only_as_told_outlet_on_date_once_approved(newsroom, tmp_path):
    out = tmp_path / "public.db"
    publish(newsroom["db"], out)
    rows = _query(
        out,
        "SELECT e.coverage_kind, e.outlet, e.title, e.url, e.published_at, e.quote FROM evidence e "
        "WHERE e.coverage_kind = 'reporting'",
    )
    assert rows == [
        (
            "reporting",
            "The Kettle Ledger",
            "A company compliance officer told The Kettle Ledger on 24 November 2025",
            None,
            "2025-11-24T15:00:00Z",
            APPROVED_WORDS,
        )
    ]
    ids = {r[0] for r in _query(out, "SELECT id FROM coverage")}
    # Readers know an item by its public id (tracker/public_ids.py); an item never published is given none.
    approved = public_ids.public_id(newsroom["db"], "coverage", newsroom["approved_reporting"])
    assert (
        approved in ids and public_ids.public_id(newsroom["db"], "coverage", newsroom["unapproved_reporting"]) is None
    )


def test_evidence_says_when_we_saw_it_and_links_the_archived_copy_an_editor_published(newsroom, tmp_path):
    out = tmp_path / "public.db"
    publish(newsroom["db"], out)
    seen = dict(_query(out, "SELECT quote, seen_at FROM evidence"))
    assert seen["sold more kettles this year"] == "2025-11-26T08:00:00Z"
    archived = _query(out, "SELECT id, coverage_id, sha256, body FROM archived_copies")
    post = public_ids.public_id(newsroom["db"], "coverage", newsroom["post"])  # as readers know the item
    assert archived == [
        (
            public_ids.public_id(newsroom["db"], "archived_copy", newsroom["screenshot"]),
            post,
            __import__("hashlib").sha256(ARCHIVED_BYTES).hexdigest(),
            ARCHIVED_BYTES,
        )
    ]
    linked = _query(out, "SELECT archived_copy_id FROM evidence WHERE coverage_id = ?", [post])
    assert linked == [(archived[0][0],)]
    # Withdrawn by the editor: gone at the next publish.
    captures.set_published(newsroom["db"], newsroom["screenshot"], False, newsroom["editor"])
    publish(newsroom["db"], out)
    assert _query(out, "SELECT count(*) FROM archived_copies") == [(0,)]


UPLOAD_NAME = "interview-Marten-7781.pdf"


@pytest.mark.parametrize("how", ["upload", "file"])
def test_a_document_titled_by_the_name_it_was_saved_under_is_published_untitled(newsroom, tmp_path, how):
    """A document with no title of its own is known in the editor by its file name, which a reporter
    chose ("interview-jane-doe.pdf"): file names are never published, so its public title is neutral."""
    from tests import pdfs
    from tracker import documents

    db = newsroom["db"]
    made = pdfs.text_pdf(tmp_path / "upload.pdf", [["The kettle tests were postponed twice, the memo says."]])
    received = captures.Received(how=how, filename=UPLOAD_NAME)
    stored = documents.store_document(db, newsroom["story"], made.data, received)
    assert stored.title == UPLOAD_NAME  # the newsroom still finds it by the name it was saved under
    claims.add_evidence(
        db,
        newsroom["skipped"],
        stored.revision_id,
        "The kettle tests were postponed twice",
        "supports",
        newsroom["editor"],
    )
    out = tmp_path / "public.db"
    publish(db, out)
    assert b"Marten-7781" not in out.read_bytes()
    assert _query(out, "SELECT title FROM coverage WHERE kind = 'document'") == [("Untitled document",)]
    assert _query(out, "SELECT title FROM evidence WHERE coverage_kind = 'document'") == [("Untitled document",)]
    # A document's own title is its public title, as a web page's is.
    titled = pdfs.text_pdf(tmp_path / "titled.pdf", [["Kettle audit findings, second draft."]], title="Kettle audit")
    cited = documents.store_document(db, newsroom["story"], titled.data, captures.Received(how=how, filename="x.pdf"))
    claims.add_evidence(
        db, newsroom["skipped"], cited.revision_id, "Kettle audit findings", "context", newsroom["editor"]
    )
    publish(db, out)
    assert ("Kettle audit",) in _query(out, "SELECT title FROM coverage WHERE kind = 'document'")


def test_a_development_names_the_newsroom_s_own_reporting_only_as_its_approved_public_line(newsroom, tmp_path):
    """A development may come from an interview or email: readers get the approved "[who] told [outlet] on
    DATE" line, never how it was done ("Call", "Email": the editor's title), and nothing at all of a note
    whose attribution no editor approved, not even that it exists."""
    from tracker import developments

    db, editor = newsroom["db"], newsroom["editor"]
    for text, source, evidence in (
        ("The board will review the kettle audit.", newsroom["approved_reporting"], None),
        ("The audit will be repeated.", newsroom["unapproved_reporting"], newsroom["unapproved_reporting"]),
    ):
        dev = developments.create_development(
            db, newsroom["story"]["id"], text, editor, expectation="soon", coverage_id=source
        )
        if evidence:
            version = developments.get_development(db, dev)["version"]
            developments.set_development_state(db, dev, "happened", editor, version, evidence_coverage_id=evidence)
        developments.set_development_published(db, dev, True, editor, developments.get_development(db, dev)["version"])
    out = tmp_path / "public.db"
    publish(db, out)
    rows = _query(
        out,
        "SELECT source_outlet, source_title, source_url, evidence_outlet, evidence_title, evidence_url, "
        "evidence_published_at FROM developments ORDER BY id",
    )
    assert rows == [
        (
            "The Kettle Ledger",
            "A company compliance officer told The Kettle Ledger on 24 November 2025",
            None,
            None,
            None,
            None,
            None,
        ),
        (None, None, None, None, None, None, None),
    ]
    data = out.read_bytes()
    assert b"Call, 2025-11-24" not in data and b"Email, 2025-11-25" not in data


def test_a_document_titled_by_a_file_name_longer_than_a_capture_keeps_is_published_untitled(newsroom, tmp_path):
    """A capture keeps the first 255 characters of the name a file was uploaded under, the title the first
    500: a longer name (a client may send any) must still be told to be the file name, and not published."""
    from tests import pdfs
    from tracker import documents

    db = newsroom["db"]
    name = "interview-Marten-7781-" + "notes-" * 50 + ".pdf"
    made = pdfs.text_pdf(tmp_path / "upload.pdf", [["The kettle tests were postponed twice, the memo says."]])
    stored = documents.store_document(db, newsroom["story"], made.data, captures.Received(how="upload", filename=name))
    assert len(name) > 255 and stored.title == name
    claims.add_evidence(
        db,
        newsroom["skipped"],
        stored.revision_id,
        "The kettle tests were postponed twice",
        "supports",
        newsroom["editor"],
    )
    out = tmp_path / "public.db"
    publish(db, out)
    assert b"Marten-7781" not in out.read_bytes()
    assert _query(out, "SELECT title FROM coverage WHERE kind = 'document'") == [("Untitled document",)]


def _one_cited_cluster_newest_first(path: Path, items: int) -> None:
    """A working database (bench/public.py's builder) whose every item is one wire text, stored newest first."""
    from bench.public import generate

    generate(path, claims=items, coverage_rows=items)
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute(
        """UPDATE coverage SET cluster_id = 1,
               published_at = strftime('%Y-%m-%dT%H:%M:%SZ', '2026-06-01', '-' || (id * 30) || ' seconds')"""
    )
    conn.close()


def test_is_copy_costs_steps_in_proportion_to_the_cluster_not_its_square(tmp_path, monkeypatch):
    """Whether an item is a copy asked every other member of its cluster whether it was earlier: one 5,000-item
    cluster stored newest first cost 2.0 s of a publish (twice the items, four times the work). Counted in SQLite
    steps on the build's connection, not timed; the rows stay the same (only the earliest item is no copy)."""
    connect_sqlite = sqlite3.connect
    counted = [0]

    def counting_connect(*args, **kwargs):
        conn = connect_sqlite(*args, **kwargs)
        conn.set_progress_handler(lambda: counted.__setitem__(0, counted[0] + 1) or 0, 1000)
        return conn

    steps = []
    for items in (500, 2000):
        source = tmp_path / f"work-{items}.db"
        _one_cited_cluster_newest_first(source, items)
        out = tmp_path / f"public-{items}.db"
        counted[0] = 0
        monkeypatch.setattr(sqlite3, "connect", counting_connect)
        work = connect(source)
        try:
            publish(work, out)
        finally:
            monkeypatch.setattr(sqlite3, "connect", connect_sqlite)
            work.close()
        steps.append(counted[0])
        earliest = _query(source, "SELECT id FROM coverage ORDER BY published_at, id LIMIT 1")[0][0]
        published = dict(_query(out, "SELECT id, is_copy FROM coverage WHERE kind != 'statement'"))
        assert len(published) > items // 2
        assert published == {id_: int(id_ != earliest) for id_ in published}  # only the earliest is no copy
    assert steps[1] < 6 * steps[0], steps  # four times the items: about four times the steps, not sixteen


def test_publishing_reads_the_value_limit_without_importing_datasette(tmp_path):
    """A publish (the CLI, or the editor's button in its own worker) read `max_value_bytes` through the
    module that runs Datasette, importing all of Datasette: about a second and its memory each time."""
    import subprocess
    import sys

    script = (
        "import sys\n"
        "from tracker.publish import public_value_limit\n"
        "limit = public_value_limit()\n"
        "print(limit, 'datasette' in sys.modules)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parents[1],
    )
    limit, imported = out.stdout.split()
    assert int(limit) > 0 and imported == "False"
