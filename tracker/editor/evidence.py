"""Evidence in the editor: the coverage a quote can come from, quotes shown in context, citing a URL.

Shared by the claim pages, the triage queue, the questions pages and the
JSON API. A URL given instead of a coverage item is fetched and stored
through the same ingest as the CLI (tracker.ingest.ingest_url) before the
quote is checked against its text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import parse_qs, urlsplit

from flask import current_app, flash, request
from markupsafe import Markup, escape

from scrapers.timestamps import local_time
from tracker import claims, coverage, ingest, reporting, stories
from tracker.db import NotFound, TrackerError
from tracker.editor.auth import current_row
from tracker.editor.display import host, kind_label
from tracker.editor.forms import MAX_SQLITE_INT, FieldError, form_int, is_digits, is_unicode
from tracker.public_tables import key_warning

# Characters of revision text shown on each side of a quote.
CONTEXT_CHARS = 150
# The coverage select lists the newest items; older ones are cited from their coverage page or by URL.
MAX_COVERAGE_CHOICES = 100
# Items a search of the story's coverage offers at once (the select's search box, for the older ones).
MAX_FOUND_CHOICES = 50
# An item's page in the editor, as a reporter copies its address: /coverage/12 (?rev=34).
_EDITOR_ITEM = re.compile(r"/coverage/(\d{1,18})/?")
# app.extensions key of the fetcher factory create_app was given, or made from its settings.
FETCHER_FACTORY = "tracker_fetcher_factory"


def coverage_choices(
    db, story_id: int, selected: str | int | None = None, *, items_chosen: Iterable[int | None] = ()
) -> list[dict]:
    """The story's newest coverage with text to quote, labelled for a select box (plus the ones chosen).

    `selected` is a revision (a quote's); `items_chosen` are coverage items a saved form links to (a
    development's source or evidence): one older than the newest would not be in the select, which then
    sends "None", so saving the form unchanged would drop the link.
    """
    items = coverage.quotable_items(db, story_id, MAX_COVERAGE_CHOICES)
    chosen = str(selected or "")
    if is_digits(chosen) and all(str(i["latest_revision_id"]) != chosen for i in items):
        try:
            revision = coverage.get_revision(db, int(chosen))
        except (NotFound, OverflowError):
            revision = None
        if revision is not None and revision["story_id"] == story_id:
            items.insert(0, {**coverage.get_item(db, revision["coverage_id"]), "latest_revision_id": revision["id"]})
    for item_id in dict.fromkeys(i for i in items_chosen if i):
        if all(i["id"] != item_id for i in items):
            try:
                item = coverage.get_item(db, item_id)
            except NotFound:
                continue
            if item["story_id"] == story_id:
                items.insert(0, {**item, "latest_revision_id": coverage.latest_revision_id(db, item_id)})
    return labelled(items)


def found_choices(db, story_id: int, typed: str) -> tuple[list[dict], bool]:
    """The story's quotable coverage matching what was typed in the select's search box, labelled as in the
    select, and whether there were more than were listed."""
    if not is_unicode(typed):
        return [], False
    items = coverage.find_quotable(db, story_id, typed, MAX_FOUND_CHOICES + 1)
    return labelled(items[:MAX_FOUND_CHOICES]), len(items) > MAX_FOUND_CHOICES


def labelled(items: list[dict]) -> list[dict]:
    """Coverage items (with latest_revision_id) as a select offers them: outlet, title, kind and date in one line."""
    choices = []
    for item in items:
        # An uploaded document has neither outlet nor web address (urn:sha256:, 75 characters): its kind says it.
        where = item["outlet"] or host(item["canonical_url"]) or kind_label(item)
        label = f"{where} — {item['title'] or item['canonical_url']}"
        if item["kind"] == "statement":
            label = f"Statement: {label}"
        if item["published_at"]:
            # The day the source printed (on its own clock where its offset is known), as the list shows it.
            day = local_time(item["published_at"], item.get("published_offset")) or item["published_at"]
            label = f"{label} ({day[:10]})"
        choices.append({**item, "label": label, "revision_id": item["latest_revision_id"]})
    return choices


def highlight(text: str, start: int, end: int, quote: str = "", context: int = CONTEXT_CHARS) -> Markup:
    """The quote in <mark> inside its surrounding text; each part escaped on its own."""
    if quote and text[start:end] != quote:
        start = text.find(quote)
        if start < 0:
            return Markup("<mark>") + escape(quote) + Markup("</mark>")
        end = start + len(quote)
    lo, hi = max(0, start - context), min(len(text), end + context)
    if lo > 0:
        space = text.find(" ", lo, start)
        lo = space + 1 if space >= 0 else lo
    if hi < len(text):
        space = text.rfind(" ", end, hi)
        hi = space if space >= 0 else hi
    before = ("…" if lo > 0 else "") + text[lo:start]
    after = text[end:hi] + ("…" if hi < len(text) else "")
    return Markup("").join(
        [escape(before), Markup("<mark>"), escape(text[start:end]), Markup("</mark>"), escape(after)]
    )


def fetch_into_story(db, slug: str, url: str, *, as_document: bool = False) -> ingest.IngestResult:
    """Fetch one address into the story with the app's fetcher (the same ingest as the CLI), then close it.

    The editor's forms and the API fetch through this one place, so a test's
    loopback fetcher (create_app's fetcher_factory) serves all of them.
    """
    fetcher = current_app.extensions[FETCHER_FACTORY]()
    try:
        result = ingest.ingest_url(db, slug, url, fetcher=fetcher, as_document=as_document)
    finally:
        close = getattr(fetcher, "close", None)
        if close is not None:
            close()
    return result


def extraction_warnings(reasons) -> list[str]:
    """What claim extraction said of a text just added (only its first part read, candidates left out), one line
    each, as the editor's pages and the API's answers say it: the text is stored, and a claim further on is logged
    by hand."""
    return [f"Claim candidates: {reason}" for reason in reasons]


def warn_of_extraction(reasons) -> None:
    """Tell whoever added a text on the editor's forms what claim extraction said of it (extraction_warnings)."""
    for line in extraction_warnings(reasons):
        flash(line, "warning")


def warn_of_key(url: str) -> None:
    """Tell whoever saved a link that carries a key (a signed or sharing link) that readers never get it (the
    editor's forms; the API answers with link_key instead)."""
    if warning := key_warning(url):
        flash(warning, "warning")


def ingest_for_evidence(db, slug: str, url: str) -> int:
    """Fetch an article by URL into the story (the same ingest as the CLI) and return the revision to quote.

    Every refusal comes back as a message the reporter can act on: a bad
    address, a fetch error, a feed instead of an article. A page is stored whatever the story's keywords:
    they filter what feeds bring, not what a reporter points to.
    """
    from scrapers.urls import http_url_problem

    stored = stored_revision(db, slug, url)
    if stored is not None:
        return stored
    problem = http_url_problem(url, "the article's")
    if problem:
        raise FieldError(problem, "url")
    result = fetch_into_story(db, slug, url)
    if result.kind == "failed":
        raise FieldError(f"Nothing was taken from that address. {result.problem}", "url")
    warn_of_key(url)
    warn_of_extraction(result.warnings)
    if result.kind == "feed":
        raise FieldError(
            "That address is a feed, not an article: open the story's coverage and cite one of its items, "
            "or give the article's own address.",
            "url",
        )
    return result.revision_id


def stored_revision(db, slug: str, address: str) -> int | None:
    """The revision an address names when the story already holds it, so it is quoted without a fetch.

    An item's page in the editor (`/coverage/12`, `?rev=` for one revision, or the same on this editor's
    host) names that item of the story, or is refused; an article's address the story stored (as
    given or in its canonical form) names its latest revision. None: an address to fetch.
    """
    from scrapers.urls import canonical_url
    from tracker.editor.documents import settings as documents_settings

    story_id = stories.get_story(db, slug)["id"]
    parts = urlsplit(address.strip())
    editor_hosts = {request.host.lower(), urlsplit(documents_settings().editor_url).netloc.lower()}
    match = _EDITOR_ITEM.fullmatch(parts.path) if not parts.netloc or parts.netloc.lower() in editor_hosts else None
    if match:
        item_id = int(match.group(1))
        try:
            item = coverage.get_item(db, item_id) if item_id <= MAX_SQLITE_INT else None
        except NotFound:
            item = None
        latest = coverage.latest_revision_id(db, item_id) if item and item["story_id"] == story_id else None
        if latest is None:
            raise FieldError("That coverage is not part of this story, or has no stored text; choose another.", "url")
        wanted = (parse_qs(parts.query).get("rev") or [""])[0]
        if is_digits(wanted) and len(wanted) <= 18:
            revision = one_revision(db, int(wanted))
            if revision is not None and revision["coverage_id"] == item_id:
                return revision["id"]
        return latest
    if not address.startswith(("http://", "https://")):
        return None
    for url in dict.fromkeys((address.strip(), canonical_url(address.strip()))):
        item_id = coverage.find_item(db, story_id, url)
        latest = coverage.latest_revision_id(db, item_id) if item_id else None
        if latest is not None:
            return latest
    return None


def one_revision(db, revision_id: int) -> dict | None:
    try:
        return coverage.get_revision(db, revision_id)
    except NotFound:
        return None


def attach_evidence(db, story_id: int, claim_id: int, typed: dict, *, required: bool) -> None:
    """The quote typed on a claim form as evidence of the claim; without `required`, an empty form adds none."""
    has_quote = bool(typed["quote"].strip())
    if not typed["revision_id"] and not has_quote and not required:
        return
    if not typed["revision_id"]:
        raise FieldError("Choose the coverage the quote comes from, or give its web address.", "revision_id")
    if not has_quote:
        raise FieldError("Paste the exact quote from the coverage.", "quote")
    try:
        revision = coverage.get_revision(db, form_int(typed["revision_id"]))
    except NotFound:
        revision = None
    if revision is None or revision["story_id"] != story_id:
        raise FieldError("That coverage is not part of this story; choose another.", "revision_id")
    claims.add_evidence(db, claim_id, revision["id"], typed["quote"], typed["stance"], current_row())


def field_for(e: TrackerError) -> str | None:
    """The form field a domain error belongs to: a quote not found in the text points at the quote."""
    return "quote" if isinstance(e, claims.QuoteNotFound) else None


def source_text(db, story_id: int, revision_id: str) -> str | None:
    """The text a refused quote was checked against, so the reporter can copy the exact words."""
    try:
        revision = coverage.get_revision(db, form_int(revision_id))
    except TrackerError:
        return None
    return revision["text"] if revision["story_id"] == story_id else None


def evidence_in_context(db, claim_id: int) -> list[dict]:
    """The claim's evidence, each quote highlighted in its revision, flagged when a later revision dropped it."""
    texts: dict[int, str] = {}
    changed = {row["evidence_id"]: row for row in claims.changed_evidence(db, claim_id=claim_id)}
    evidence = []
    for item in claims.evidence_for(db, claim_id):
        if item["revision_id"] not in texts:
            texts[item["revision_id"]] = coverage.get_revision(db, item["revision_id"])["text"]
        text = texts[item["revision_id"]]
        evidence.append(
            {
                **item,
                "in_context": highlight(text, item["start"], item["end"], item["quote"]),
                "told": reporting.public_line(item["attribution"] or "", item["outlet"], item["reported_at"])
                if item["coverage_kind"] == "reporting"
                else None,
                "changed": changed.get(item["id"]),
            }
        )
    return evidence
