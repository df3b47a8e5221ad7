"""Coverage: each article, statement, document or post; its revisions, what changed, who cites it, what came in."""

from __future__ import annotations

from flask import Blueprint, jsonify, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from tracker import captures, claims, coverage, reporting, stories
from tracker.db import NotFound, unknown_order
from tracker.editor.db import get_db
from tracker.editor.evidence import found_choices
from tracker.editor.forms import (
    MAX_SQLITE_INT,
    is_unicode,
    numbered_page_start,
    position_from_link,
    position_link,
)

bp = Blueprint("coverage", __name__)

PAGE_SIZE = 100
ORDER_LABELS = {"published": "Newest published", "changed": "Recently changed"}


@bp.route("/stories/<slug>/coverage")
def index(slug: str) -> ResponseReturnValue:
    """A page of the story's coverage in the chosen order, from the item its link names (`?at=`, as triage)."""
    db = get_db()
    story = stories.get_story(db, slug)
    order = request.args.get("order", "") or "published"
    if order not in coverage.ITEM_ORDERS:  # said in one line, as the claims list and the triage queue say theirs
        return render_template(
            "coverage/index.html",
            story=story,
            items=[],
            total=coverage.count_items(db, story["id"]),
            order_error=unknown_order(order, coverage.ITEM_ORDERS),
            ORDER_LABELS=ORDER_LABELS,
        ), 400
    if "page" in request.args and not request.args.get("at"):
        return _numbered_page(story, order)
    position = _position(request.args.get("at", ""))
    items = coverage.list_items(db, story["id"], order, limit=PAGE_SIZE + 1, at=position)
    if not items and position:
        # Past the end (the page's items were moved or removed): the last page.
        items = coverage.list_items(db, story["id"], order, limit=PAGE_SIZE, before=position)
    following = position_link(coverage.item_key(items.pop())) if len(items) > PAGE_SIZE else None
    before, earlier = 0, None
    if items:
        first = coverage.item_key(items[0])
        before = coverage.count_items(db, story["id"], order, before=first)
        if before > PAGE_SIZE:
            previous = coverage.list_items(db, story["id"], order, limit=PAGE_SIZE, before=first)
            earlier = position_link(coverage.item_key(previous[0]))
    return render_template(
        "coverage/index.html",
        story=story,
        items=items,
        total=coverage.count_items(db, story["id"]),
        before=before,
        following=following,
        earlier=earlier,
        order=order,
        ORDER_LABELS=ORDER_LABELS,
    )


def _numbered_page(story: dict, order: str) -> ResponseReturnValue:
    """A link that numbers the page (`?page=3`): the same page as a link of today, from its first item as the
    list is now (forms.numbered_page_start)."""
    db = get_db()
    start = numbered_page_start(request.args.get("page", ""), coverage.count_items(db, story["id"]), PAGE_SIZE)
    first = coverage.list_items(db, story["id"], order, limit=1, offset=start) if start else []
    at = position_link(coverage.item_key(first[0])) if first else None
    return redirect(url_for("coverage.index", slug=story["slug"], order=None if order == "published" else order, at=at))


@bp.route("/stories/<slug>/coverage/choices")
def choices(slug: str) -> ResponseReturnValue:
    """The story's coverage a quote can come from, matching `?q=` (title, outlet, address): the evidence
    select's search box asks here for items older than the ones it lists (static/editor.js)."""
    db = get_db()
    story = stories.get_story(db, slug)
    found, more = found_choices(db, story["id"], request.args.get("q", ""))
    return jsonify(choices=[{"revision_id": c["revision_id"], "label": c["label"]} for c in found], more=more)


def _position(raw: str) -> list | None:
    """The item a page link starts at, as [sort key, id]; None (the first page) when damaged."""
    values = position_from_link(raw)
    if values is None or len(values) != 2:
        return None
    key, item_id = values
    if not (isinstance(key, str) and is_unicode(key) and type(item_id) is int and 0 <= item_id <= MAX_SQLITE_INT):
        return None
    return values


@bp.route("/coverage/<int:coverage_id>")
def item(coverage_id: int) -> ResponseReturnValue:
    """One item: its text (a chosen revision, quotes marked), its revisions, a diff between two, the citing claims."""
    db = get_db()
    item = coverage.get_item(db, coverage_id)
    if item["kind"] == "reporting":
        return redirect(url_for("reporting.note", coverage_id=coverage_id))
    story = stories.get_story_by_id(db, item["story_id"])
    revisions = coverage.list_revisions(db, coverage_id)
    ids = [r["id"] for r in revisions]
    shown = shown_revision(coverage_id, ids, url_for("coverage.item", coverage_id=coverage_id))
    text = coverage.get_revision(db, shown)["text"] if shown else ""
    citing = claims.claims_citing(db, coverage_id)
    diff = None
    old = new = None
    if len(ids) > 1:
        new = _pick(request.args.get("to"), ids, ids[-1])
        old = _pick(request.args.get("from"), ids, ids[max(0, ids.index(new) - 1)] if new in ids else ids[-2])
        if old != new:
            diff = coverage.diff_texts(coverage.get_revision(db, old)["text"], coverage.get_revision(db, new)["text"])
    changed_ids = {row["evidence_id"] for row in claims.changed_evidence(db, story_id=item["story_id"])}
    by_claim: dict[int, dict] = {}
    for c in citing:
        entry = by_claim.setdefault(c["id"], {**c, "changed": False})
        entry["changed"] = entry["changed"] or c["evidence_id"] in changed_ids
    return render_template(
        "coverage/item.html",
        story=story,
        item=item,
        provenance=coverage.item_provenance(item),
        revisions=revisions,
        moves=coverage.list_moves(db, coverage_id),
        shown=shown,
        segments=marked_segments(text, [c for c in citing if c["revision_id"] == shown]),
        citing=list(by_claim.values()),
        diff=diff,
        diff_from=old,
        diff_to=new,
        received=received_list(db, coverage_id),
        post=reporting.get_post(db, coverage_id) if item["kind"] == "post" else None,
    )


class RevisionNotFound(NotFound):
    """A link to a revision the item does not have: a 404 naming it, with a link to the latest (`latest_url`)."""

    def __init__(self, coverage_id: int, wanted: str, latest_url: str) -> None:
        super().__init__(f"Coverage item {coverage_id} has no revision {wanted[:40]}.")
        self.latest_url = latest_url


def shown_revision(coverage_id: int, ids: list[int], latest_url: str) -> int | None:
    """The revision `?rev=` asks for (the latest without one), for every page that shows one revision.

    A stale or mistyped link is a 404 naming it, never another revision's
    text in its place: a reader quoting "revision 3" must be reading it.
    """
    wanted = request.args.get("rev", "")
    if wanted and _pick(wanted, ids, None) is None:
        raise RevisionNotFound(coverage_id, wanted, latest_url)
    return _pick(wanted, ids, ids[-1] if ids else None)


def _pick(value: str | None, ids: list[int], default: int | None) -> int | None:
    """A revision id from the query string if it belongs to this item, else the default."""
    try:
        wanted = int(value or "")
    except ValueError:
        return default
    return wanted if wanted in ids else default


def marked_segments(text: str, cited: list[dict]) -> list[dict]:
    """The revision text cut into plain and quoted pieces ({"text", "claims"}), for the template to escape."""
    spans = []
    for c in cited:
        start = text.find(c["quote"]) if c["quote"] else -1
        if start >= 0:
            spans.append((start, start + len(c["quote"]), c["id"]))
    spans.sort()
    segments, pos = [], 0
    for start, end, claim_id in spans:
        if start < pos:  # overlapping quotes: extend the current mark
            if segments and segments[-1]["claims"]:
                extra = text[pos:end] if end > pos else ""
                segments[-1]["text"] += extra
                segments[-1]["claims"].append(claim_id)
                pos = max(pos, end)
            continue
        if start > pos:
            segments.append({"text": text[pos:start], "claims": []})
        segments.append({"text": text[start:end], "claims": [claim_id]})
        pos = end
    if pos < len(text):
        segments.append({"text": text[pos:], "claims": []})
    return segments


def received_list(db, coverage_id: int) -> list[dict]:
    """A coverage item's captures for documents/_received.html, each with what a photo's metadata, or the photos
    inside a document, record (read when it was kept) and whether publishing its copy needs confirming."""
    return [
        {
            **k,
            "reveals": captures.reveals(db, k),
            "inside_note": captures.inside_note(k),
            "needs_confirming": captures.needs_confirming(k),
            "as_received": captures.cannot_be_cleaned(k),
        }
        for k in captures.captures_for(db, coverage_id=coverage_id)
    ]


def photo_warning(db, capture_id: int | None) -> str | None:
    """The sentence a reporter is shown on keeping a photo whose metadata says where or by whom it was taken, or
    a document holding such photos."""
    return None if capture_id is None else captures.reveals_note(captures.get_capture(db, capture_id))
