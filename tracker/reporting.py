"""The newsroom's own reporting (interviews, emails, calls) and social posts, as coverage a claim can cite.

Both are coverage items, so a quote from them is evidence like a quote from
an article: anchored in the item's text, with a stance, cited by rulings.

Reporting (kind `reporting`): the exact words a source said or wrote are the
revision's text; who said them (`identity`) and the reporter's notes stay in
the `reporting` table and are never published. What readers see is one line,
"[attribution] told [outlet] on DATE", and only once an editor has approved
the attribution ("a company spokesperson"); until then the evidence is left
out of the public build entirely. Editing the attribution withdraws the
approval. The item has no web address, so it is named `urn:uuid:…`.

Posts (kind `post`): a post a reporter saw, logged by hand with its URL,
author handle, posted time and text, plus a screenshot or saved file if they
have one (kept as received). Nothing here fetches a social network.
"""

from __future__ import annotations

import uuid
from typing import BinaryIO
from urllib.parse import urlsplit

import sqlite_utils

from scrapers.records import size_in_words
from scrapers.timestamps import format_time, parse_time
from scrapers.urls import canonical_url, http_url_problem
from tracker import captures, config, coverage
from tracker.db import NotFound, TrackerError, now, one, refuse_control_chars, transaction
from tracker.users import can_rule
from tracker.vocab import REPORTING_HOWS

# Longest text a reporter can log as the exact words, or a post's text.
WORDS_MAX = 20_000
# Largest file attached to reporting or a post (a screenshot, an email saved as a file, a recording's transcript).
ATTACHMENT_MAX_BYTES = 25 * 1024 * 1024
URN_PREFIX = "urn:uuid:"


class ReportingNotFound(NotFound):
    def __init__(self, coverage_id: int):
        super().__init__(f"No reporting note with id {coverage_id}.")


def _when(value: str | None, what: str, field: str) -> str:
    when = parse_time((value or "").strip())
    try:
        stamp = None if when is None else format_time(when)
    except OverflowError:  # 9999-12-31T23:59-12:00 is in year 10000 once in UTC
        stamp = None
    if stamp is None:
        raise TrackerError(f"Give {what} as a date and time, e.g. 2026-12-02T15:30 (UTC).", field=field)
    if stamp > now():
        raise TrackerError(f"{what.capitalize()} is in the future; check the date.", field=field)
    return stamp


def _typed(value: str | None, what: str, field: str) -> None:
    """refuse_control_chars for one field of these forms, the error on that field."""
    try:
        refuse_control_chars(what, value, plural=what == "notes")
    except TrackerError as e:
        raise TrackerError(str(e), field=field) from None


def _words(text: str | None, what: str, field: str) -> str:
    text = (text or "").strip()
    _typed(text, what, field)
    if not text:
        raise TrackerError(f"Give {what}: the exact words, as said or written.", field=field)
    if len(text) > WORDS_MAX:
        raise TrackerError(
            f"{what.capitalize()} is over {WORDS_MAX:,} characters; keep the part that matters.", field=field
        )
    return text


def log_reporting(
    db: sqlite_utils.Database,
    story_id: int,
    *,
    how: str,
    at: str,
    words: str,
    user: dict | None,
    identity: str = "",
    notes: str = "",
    attribution: str = "",
    settings: config.Settings | None = None,
) -> int:
    """Record an interview, email or call by staff; returns its coverage id. Identity and notes stay private."""
    if how not in REPORTING_HOWS:
        raise TrackerError(
            f"Unknown kind of reporting {how!r}; choose one of: {', '.join(REPORTING_HOWS)}.", field="how"
        )
    stamp = _when(at, "when it happened", "at")
    words = _words(words, "what was said", "words")
    for value, what, field in ((identity, "identity", "identity"), (notes, "notes", "notes"),
                               (attribution, "attribution", "attribution")):  # fmt: skip
        _typed(value, what, field)
    if len((attribution or "").strip()) > 300:  # was cut to 300 without a word
        raise TrackerError("Keep the attribution under 300 characters.", field="attribution")
    outlet = (settings or config.settings()).outlet_name
    if not db.execute("SELECT 1 FROM stories WHERE id = ?", [story_id]).fetchone():
        raise NotFound(f"No story with id {story_id}.")
    with transaction(db):
        coverage_id = coverage.save_item(
            db,
            story_id,
            URN_PREFIX + str(uuid.uuid4()),
            None,
            kind="reporting",
            outlet=outlet,
            title=f"{how.capitalize()}, {stamp[:10]}",
            published_at=stamp,
        )
        coverage.add_revision(db, coverage_id, words, fetched_at=now())
        db.execute(
            """INSERT INTO reporting (coverage_id, how, at, identity, notes, attribution, reporter_id, created_at)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?)""",
            [
                coverage_id,
                how,
                stamp,
                (identity or "").strip(),
                (notes or "").strip(),
                (attribution or "").strip()[:300],
                user["id"] if user else None,
                now(),
            ],
        )
    return coverage_id


def get_reporting(db: sqlite_utils.Database, coverage_id: int) -> dict:
    """A reporting note with its confidential fields (for the newsroom only), its words and who approved what."""
    note = one(
        db,
        """SELECT p.*, c.story_id, c.outlet, c.title, u.username AS reporter, a.username AS approved_by,
                  (SELECT r.text FROM revisions r WHERE r.coverage_id = c.id ORDER BY r.id DESC LIMIT 1) AS words,
                  (SELECT r.id FROM revisions r WHERE r.coverage_id = c.id ORDER BY r.id DESC LIMIT 1) AS revision_id
           FROM reporting p JOIN coverage c ON c.id = p.coverage_id
           LEFT JOIN users u ON u.id = p.reporter_id LEFT JOIN users a ON a.id = p.attribution_approved_by
           WHERE p.coverage_id = ?""",
        [coverage_id],
    )
    if note is None:
        raise ReportingNotFound(coverage_id)
    note["public_line"] = public_line(note["attribution"], note["outlet"], note["at"]) if note["approved_by"] else None
    return note


def set_attribution(
    db: sqlite_utils.Database, coverage_id: int, attribution: str, user: dict | None, *, approve: bool
) -> dict:
    """Word the public attribution; `approve` (editors only) lets the evidence be published with it.

    A reporter may propose wording, which withdraws any earlier approval: what
    readers see is always words an editor approved.
    """
    attribution = " ".join((attribution or "").split())
    _typed(attribution, "attribution", "attribution")
    if approve and not can_rule(user):
        from tracker.claims import PermissionDenied

        raise PermissionDenied("Only editors approve how the newsroom's reporting is attributed.")
    if approve and not attribution:
        raise TrackerError('Say how readers will see the source, e.g. "a company spokesperson".', field="attribution")
    if len(attribution) > 300:
        raise TrackerError("Keep the attribution under 300 characters.", field="attribution")
    get_reporting(db, coverage_id)
    with transaction(db):
        db.execute(
            """UPDATE reporting SET attribution = ?, attribution_approved_by = ?, attribution_approved_at = ?
               WHERE coverage_id = ?""",
            [attribution, user["id"] if approve else None, now() if approve else None, coverage_id],
        )
    return get_reporting(db, coverage_id)


def public_line(attribution: str, outlet: str | None, at: str | None) -> str:
    """ "A company spokesperson told The Ledger on 2 December 2026": the only way reporting reaches readers."""
    when = parse_time(at)
    date = f"{when.day} {when:%B %Y}" if when else "an unrecorded date"
    who = attribution.strip() or "A source"
    return f"{who[:1].upper()}{who[1:]} told {outlet or 'us'} on {date}"


def log_post(
    db: sqlite_utils.Database,
    story_id: int,
    *,
    url: str,
    handle: str,
    text: str,
    user: dict | None,
    posted_at: str | None = None,
    network: str = "",
) -> tuple[int, int]:
    """Record a social post as the reporter saw it; returns (coverage id, revision id).

    The same URL logged again with different text adds a revision (the post
    was edited), so what was cited before stays.
    """
    url = (url or "").strip()
    problem = http_url_problem(url, "the post's")
    if problem:
        raise TrackerError(problem, field="url")
    handle = " ".join((handle or "").split())
    try:
        refuse_control_chars("handle", handle)
    except TrackerError as e:
        raise TrackerError(str(e), field="handle") from None
    if not handle:
        raise TrackerError("Give the author's handle, as shown on the post (e.g. @company).", field="handle")
    text = _words(text, "the post's text", "text")
    stamp = _when(posted_at, "when it was posted", "posted_at") if (posted_at or "").strip() else None
    _typed(network, "network", "network")
    network = " ".join((network or "").split()) or (urlsplit(url).hostname or "").removeprefix("www.")
    if not db.execute("SELECT 1 FROM stories WHERE id = ?", [story_id]).fetchone():
        raise NotFound(f"No story with id {story_id}.")
    canonical = canonical_url(url)
    with transaction(db):
        existing = coverage.find_item(db, story_id, canonical)
        if existing is not None and coverage.get_item(db, existing)["kind"] != "post":
            raise TrackerError(
                "That address is already coverage of another kind in this story; cite it from there.", field="url"
            )
        coverage_id = coverage.save_item(
            db,
            story_id,
            canonical,
            existing,
            kind="post",
            outlet=network[:200],
            title=f"{handle[:100]} on {network[:100]}",
            byline=handle[:200],
            published_at=stamp,
        )
        revision_id, _ = coverage.add_revision(db, coverage_id, text, fetched_at=now())
        db.execute(
            """INSERT INTO posts (coverage_id, network, handle, posted_at, logged_by, created_at)
               VALUES (?, ?, ?, ?, ?, ?)
               ON CONFLICT (coverage_id) DO UPDATE SET posted_at = coalesce(excluded.posted_at, posted_at)""",
            [coverage_id, network[:200], handle[:200], stamp, user["id"] if user else None, now()],
        )
    return coverage_id, revision_id


def get_post(db: sqlite_utils.Database, coverage_id: int) -> dict | None:
    return one(db, "SELECT * FROM posts WHERE coverage_id = ?", [coverage_id])


def attach_file(
    db: sqlite_utils.Database,
    coverage_id: int,
    source: bytes | BinaryIO | captures.Prepared,
    *,
    filename: str,
    media_type: str | None,
    user: dict | None,
    role: str = "attachment",
) -> int:
    """A file attached to reporting or a post (a screenshot, a saved email), kept as received; returns its id.

    `source` may be prepared already (captures.prepare), so a caller that keeps it inside a transaction of its
    own hashes and compresses the file before taking the write lock.
    """
    item = coverage.get_item(db, coverage_id)
    if item["kind"] not in ("reporting", "post", "document"):
        raise TrackerError("Files are attached to the newsroom's reporting, posts and documents.")
    prepared = source if isinstance(source, captures.Prepared) else captures.prepare(source)
    try:
        if prepared.size == 0:
            raise TrackerError("The file is empty; choose it again.")
        if prepared.size > ATTACHMENT_MAX_BYTES:
            raise TrackerError(
                f"The file is {size_in_words(prepared.size)}, over the {size_in_words(ATTACHMENT_MAX_BYTES)} limit "
                "for attachments; keep the part that matters."
            )
        received = captures.Received(how="upload", filename=filename, media_type=media_type, received_at=now())
        return captures.keep(db, coverage_id, prepared, received, role=role, user=user)
    finally:
        prepared.close()
