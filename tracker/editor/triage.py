"""Triage: the story's claim candidates, one decision each — accept, merge into a claim, or dismiss.

Reporters and editors both triage. Every action is a plain POST form, so the
queue works without JavaScript; static/triage.js only adds the keys a, m, d,
j and k. After a decision the queue reopens at the next candidate.
"""

from __future__ import annotations

import json
import re

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from markupsafe import Markup, escape

from tracker import candidates, claims, echoes, extraction, stories
from tracker.checkworthy import store as checkworthiness
from tracker.db import TrackerError, unknown_order
from tracker.editor import display
from tracker.editor.auth import current_row
from tracker.editor.db import get_db
from tracker.editor.evidence import highlight
from tracker.editor.forms import is_digits, kept, numbered_page_start, position_from_link, position_link
from tracker.vocab import CANDIDATE_STATES

bp = Blueprint("triage", __name__, url_prefix="/stories/<slug>/triage")

PAGE_SIZE = 10
SUGGESTIONS = 3  # per candidate; any other claim can be given by number
KIND_LABELS = {
    "quote": "Quote",
    "claim": "Reported claim",
    "denial": "Denial",
    "confirmation": "Confirmation",
    "no_comment": "No comment",
    "hedged": "Hedged",
}
# The word beside each check-worthiness score (colour AND word).
CHECK_LEVELS = {"high": "High", "medium": "Medium", "low": "Low", "unscored": "Not scored"}
STATE_LABELS = {"pending": "Waiting", "accepted": "Accepted", "merged": "Merged", "dismissed": "Dismissed"}
DISMISS_REASONS = (
    "Not about this story",
    "Not a claim",
    "Already covered by another claim",
    "Boilerplate or navigation text",
    "Opinion, not a factual claim",
)
# The quotes a merge added, named in its message; the message rides in the session cookie to the next page, and a
# long sentence quoted in many small pieces listed whole pushed that cookie past the 4 KB browsers keep.
MERGED_QUOTES_SHOWN = 3
MAX_CLAIM_REF = 500  # a number, or a claim's address in the editor
_CLAIM_REF = re.compile(r"^\s*(?:claim\s*)?#?\s*(\d{1,18})\s*$|/claims/(\d{1,18})(?:[/?#]|$)", re.I)


@bp.app_context_processor
def _template_context() -> dict:
    """`echo_sources(claim_id)` for the claim page's "independent sources" panel (triage/_sources.html)."""
    return {"echo_sources": lambda claim_id: echoes.claim_sources(get_db(), claim_id)}


@bp.route("")
def queue(slug: str) -> ResponseReturnValue:
    if "page" in request.args and not request.args.get("at"):
        return _page_link(slug)
    return _render_queue(slug)


def _page_link(slug: str) -> ResponseReturnValue:
    """A link from before pages started at a candidate (`?page=3`): the same page as a link of today
    (forms.numbered_page_start), which holds still from there."""
    if _filter_error():
        return _render_queue(slug)
    db = get_db()
    story = stories.get_story(db, slug)
    state = request.args.get("state", "pending")
    view = _view()
    upto = _upto()
    if upto is None:
        upto = candidates.newest_id(db, story["id"], state)
    order = {"state": state, "sort": view["sort"], "high_only": bool(view["high"]), "upto": upto}
    shown = _shown(db, story["id"], state, bool(view["high"]), upto)
    start = numbered_page_start(request.args.get("page", ""), shown, PAGE_SIZE)
    found = candidates.list_queue(db, story["id"], 1, start, **order) if start else []
    at = position_link(candidates.queue_key(found[0], state, view["sort"])) if found else None
    return redirect(
        url_for(
            "triage.queue",
            slug=story["slug"],
            state=None if state == "pending" else state,
            **view,
            upto=upto,
            at=at,
        )
    )


def _shown(db, story_id: int, state: str, high_only: bool, upto: int) -> int:
    """How many candidates the queue's pages hold: those of the view stored up to `upto`."""
    total = checkworthiness.high_count(db, story_id, state) if high_only else candidates.counts(db, story_id)[state]
    return total - candidates.arrived_since(db, story_id, state, upto, high_only=high_only)


@bp.route("/accept", methods=("POST",))
def accept(slug: str) -> ResponseReturnValue:
    """A new claim from the candidate, optionally reworded first; its sentence becomes the evidence."""
    db = get_db()
    story, candidate = _candidate(db, slug)
    typed = {k: request.form.get(k) for k in ("text", "claimant", "claimant_type")}
    # Words the card showed and nobody changed are the candidate's own, bidi controls and all (forms.kept).
    shown_text = {"text": candidates.default_text(candidate), "claimant": candidate["claimant"] or ""}
    typed |= {k: kept(typed[k], shown_text[k]) for k in shown_text if typed[k] is not None}
    try:
        copies = candidates.pending_copies(db, candidate["id"])
        claim_id = candidates.accept(
            db,
            candidate["id"],
            current_row(),
            text=typed["text"],
            claimant=typed["claimant"],
            claimant_type=typed["claimant_type"] or None,
        )
    except candidates.AlreadyDecided as e:
        asked = {k: typed[k] for k in ("text", "claimant")} | {"claimant_type": typed["claimant_type"] or None}
        if not candidates.decided_already(db, e.candidate, current_row(), "accepted", **asked):
            return _refused(story, candidate, e, typed)
        flash(f"Already accepted as claim {e.candidate['claim_id']}: nothing changed.", "success")
        return _next(story)
    except TrackerError as e:
        return _refused(story, candidate, e, typed)
    note = _copies_note(copies, "merged")
    flash(f"Accepted as claim {claim_id}, with the sentence as its evidence.{note}", "success")
    return _next(story)


@bp.route("/merge", methods=("POST",))
def merge(slug: str) -> ResponseReturnValue:
    """The candidate's sentence becomes evidence for a suggested claim, or any claim given by number."""
    db = get_db()
    story, candidate = _candidate(db, slug)
    typed = {"claim_id": request.form.get("claim_id", ""), "claim_ref": request.form.get("claim_ref", "")}
    try:
        claim_id = _claim_ref(typed["claim_ref"]) if typed["claim_ref"].strip() else _claim_ref(typed["claim_id"])
        copies = candidates.pending_copies(db, candidate["id"])
        merged = candidates.merge(db, candidate["id"], claim_id, current_row())
    except candidates.AlreadyDecided as e:
        if not candidates.decided_already(db, e.candidate, current_row(), "merged", claim_id=claim_id):
            return _refused(story, candidate, e, typed)
        flash(f"Already merged into claim {claim_id}: nothing changed.", "success")
        return _next(story)
    except TrackerError as e:
        return _refused(story, candidate, e, typed)
    if not merged.added:  # the evidence is there already: the merge decided the candidate and added nothing
        said = f"Merged: the sentence is already cited by claim {claim_id}, so no evidence was added."
    elif merged.already:
        quotes = [e["quote"] for e in claims.evidence_for(db, claim_id) if e["id"] in merged.added]
        named = ", ".join(display.quoted(q, 120) for q in quotes[:MERGED_QUOTES_SHOWN])
        more = len(quotes) - MERGED_QUOTES_SHOWN
        said = (
            f"Merged into claim {claim_id}: it already quoted part of this sentence, so only the rest was added "
            f"({named}{f' and {more} more' if more > 0 else ''})."
        )
    else:
        said = f"Merged into claim {claim_id} as more evidence."
    flash(f"{said}{_copies_note(copies, 'merged')}", "success")
    return _next(story)


@bp.route("/dismiss", methods=("POST",))
def dismiss(slug: str) -> ResponseReturnValue:
    db = get_db()
    story, candidate = _candidate(db, slug)
    typed = {"reason": request.form.get("reason", "")}
    try:
        copies = candidates.pending_copies(db, candidate["id"])
        candidates.dismiss(db, candidate["id"], current_row(), typed["reason"])
    except candidates.AlreadyDecided as e:
        if not candidates.decided_already(db, e.candidate, current_row(), "dismissed", reason=typed["reason"]):
            return _refused(story, candidate, e, typed)
        flash("Already dismissed, for that reason: nothing changed.", "success")
        return _next(story)
    except TrackerError as e:
        return _refused(story, candidate, e, typed)
    reason = " ".join(typed["reason"].split())
    stop = "" if reason.endswith((".", "!", "?", "…")) else "."  # a reason typed as a sentence keeps its own
    flash(f"Dismissed: {reason}{stop}{_copies_note(copies, 'dismissed')}", "success")
    return _next(story)


@bp.route("/put-back", methods=("POST",))
def put_back(slug: str) -> ResponseReturnValue:
    """Undo a dismissal: the candidate and the copies dismissed with it wait in the queue again."""
    db = get_db()
    story, candidate = _candidate(db, slug)
    try:
        returned = candidates.put_back(db, candidate["id"], current_row())
    except candidates.NotDismissed as e:
        if not candidates.put_back_already(e, current_row()):
            return _refused(story, candidate, e, {})
        flash(f"Already put back in the queue: {display.quoted(candidate['text'], 120)}", "success")
        return _next(story, "dismissed")
    except TrackerError as e:
        return _refused(story, candidate, e, {})
    said = display.quoted(candidate["text"], 120)
    flash(f"Put back in the queue: {said}{_copies_note(returned - 1, 'put back')}", "success")
    return _next(story, "dismissed")


def _candidate(db, slug: str) -> tuple[dict, dict]:
    """The story and the candidate the form names; a candidate of another story is not found here."""
    story = stories.get_story(db, slug)
    raw = request.form.get("candidate_id", "")
    if not is_digits(raw) or len(raw) > 18:
        raise TrackerError("That form did not say which candidate it was for; reload the page and try again.")
    candidate = candidates.get_candidate(db, int(raw))
    if candidate["story_id"] != story["id"]:
        raise candidates.CandidateNotFound(int(raw))
    return story, candidate


def _claim_ref(value: str) -> int:
    """'12', '#12', 'claim 12' or a claim's address in the editor -> 12.

    Anything longer than MAX_CLAIM_REF is no reference and is not matched:
    the pattern's runs of spaces can share them, which costs the square of
    the length (20,000 spaces took 11 s; a 2 MB form would hold a worker for hours).
    """
    value = (value or "").strip()
    match = _CLAIM_REF.search(value) if len(value) <= MAX_CLAIM_REF else None
    if not match:
        if not (value or "").strip():
            raise TrackerError("Choose the claim to merge into: a suggestion, or a claim number.")
        raise TrackerError(f"“{value.strip()[:60]}” is not a claim number; give a number like 12.")
    return int(match.group(1) or match.group(2))


def _copies_note(copies: int, state: str) -> str:
    if not copies:
        return ""
    return f" {copies} cop{'y' if copies == 1 else 'ies'} of the same sentence in other coverage {state} with it."


def _view() -> dict:
    """The queue's order and filter, from the address or the posted form: {"sort": ..., "high": "1" or None}.

    None where the address gives nothing (or nonsense): the state's default
    order, no filter; links then leave the parameter out.
    """
    sort = request.values.get("sort", "")
    return {
        "sort": sort if sort in candidates.SORTS else None,
        "high": "1" if request.values.get("high") == "1" else None,
    }


def _at(state: str) -> str | None:
    """The page's position as its link gives it ("at"), when it is one for this queue; None: from the top.

    A page starts at a candidate's place in the order (candidates.queue_key), not at an offset: a
    colleague deciding candidates of earlier pages moved the rest up, and "Next" jumped past as many.
    """
    raw = request.values.get("at", "")
    return raw if raw and _position(raw, state) is not None else None


def _position(raw: str, state: str) -> list | None:
    """The queue position a page link holds (see position_link); None when it is damaged or of another order."""
    sort = _view()["sort"] or candidates.default_sort(state)
    values = position_from_link(raw)
    return None if values is None else candidates.queue_position(values, state, sort)


def _next(story: dict, state: str = "pending") -> ResponseReturnValue:
    """Back to the list (the queue, or the Dismissed view a dismissal was put back from) at the candidate that
    followed the one just handled on the page."""
    following = request.form.get("next", "")
    anchor = f"candidate-{following}" if is_digits(following) else None
    shown = None if state == "pending" else state
    return redirect(
        url_for(
            "triage.queue", slug=story["slug"], state=shown, at=_at(state), **_view(), upto=_upto(), _anchor=anchor
        ),
        code=303,
    )


def _refused(story: dict, candidate: dict, error: TrackerError, typed: dict) -> ResponseReturnValue:
    """The queue again, the message beside the candidate, and what the reporter typed kept."""
    if error.status_code == 403:
        raise error
    return _render_queue(
        story["slug"],
        error={
            "candidate_id": candidate["id"],
            "message": str(error),
            "action": request.endpoint.split(".")[-1],
            "field": error.field,
        },
        typed={candidate["id"]: typed},
        code=409 if isinstance(error, (candidates.AlreadyDecided, candidates.NotDismissed)) else 422,
    )


def _filter_error() -> str | None:
    """What is wrong with the state or order the address asks for, in one line; None when both are fine.

    A misspelt state once showed the waiting queue under the address of another, with no word of it.
    """
    state, sort = request.args.get("state"), request.args.get("sort")
    if state and state not in CANDIDATE_STATES:
        return f"Unknown candidate state “{state[:40]}”; choose one of: {', '.join(CANDIDATE_STATES)}."
    if sort and sort not in candidates.SORTS:
        return unknown_order(sort, candidates.SORTS)
    if "upto" in request.args and _upto() is None:
        return "That page link is damaged; go back to the first page."
    if request.args.get("at") and _at(request.args.get("state") or "pending") is None:
        return "That page link is damaged; go back to the first page."
    return None


def _upto() -> int | None:
    """The newest candidate id the reporter's pages hold still at (see candidates.arrived_since); None: now."""
    raw = request.values.get("upto", "")
    return int(raw) if is_digits(raw) and len(raw) <= 18 else None


def _render_queue(slug: str, *, error: dict | None = None, typed: dict | None = None, code: int = 200):
    db = get_db()
    story = stories.get_story(db, slug)
    filter_error = _filter_error() if request.method == "GET" else None
    state = request.args.get("state", "pending")
    if state not in CANDIDATE_STATES:
        state = "pending"
    view = _view()
    counts = candidates.counts(db, story["id"])
    high = checkworthiness.high_count(db, story["id"], state)
    upto = _upto()
    if upto is None:
        upto = candidates.newest_id(db, story["id"], state)
    arrived = candidates.arrived_since(db, story["id"], state, upto, high_only=bool(view["high"]))
    shown = (high if view["high"] else counts[state]) - arrived
    order = {
        "state": state,
        "sort": view["sort"] or candidates.default_sort(state),
        "high_only": bool(view["high"]),
        "upto": upto,
    }
    at = None if filter_error else _at(state)
    position = _position(at, state) if at else None
    found, following, before, earlier, after_page = [], None, 0, None, None
    if not filter_error:
        found = candidates.list_queue(db, story["id"], PAGE_SIZE + 1, at=position, **order)
        if not found and position:
            # The page's last candidates were just decided: show the ones before them.
            found = candidates.list_queue(db, story["id"], PAGE_SIZE, before=position, **order)[::-1]
        if len(found) > PAGE_SIZE:
            after_page = found.pop()
            following = position_link(candidates.queue_key(after_page, state, order["sort"]))
    if found:
        first = candidates.queue_key(found[0], state, order["sort"])
        before = candidates.count_before(db, story["id"], first, **order)
        if before:
            previous = candidates.list_queue(db, story["id"], PAGE_SIZE, before=first, **order)
            if before > PAGE_SIZE:
                earlier = position_link(candidates.queue_key(previous[-1], state, order["sort"]))
        at = position_link(first) if before else None
    suggested = candidates.suggestions(db, found, SUGGESTIONS) if state == "pending" else {}
    for i, c in enumerate(found):
        c["in_context"] = in_context(c)
        c["parts"] = said_parts(c)
        c["suggestions"] = suggested.get(c["id"], [])
        c["preselected"] = candidates.preselected(c["suggestions"])
        c["default_text"] = candidates.default_text(c)
        # The next card the decision leaves on the page: copies of the same sentence are settled with it. After
        # the page's last one, the first of the next page moves up onto it.
        later = [*found[i + 1 :], *([after_page] if after_page else [])]
        c["next_id"] = next((k["id"] for k in later if k["fingerprint"] != c["fingerprint"]), None)
        c["check_level"] = checkworthiness.level(c["check_score"])
    return render_template(
        "triage/queue.html",
        story=story,
        state=state,
        counts=counts,
        candidates=found,
        at=at,
        following=following,
        before=before,
        earlier=earlier,
        shown=shown,
        view=view,
        upto=upto,
        arrived=arrived,
        sort=order["sort"],
        default_sort=candidates.default_sort(state),
        high_count=high,
        unscored=checkworthiness.unscored(db, story["id"]),
        CHECK_LEVELS=CHECK_LEVELS,
        error=error,
        filter_error=filter_error,
        typed=typed or {},
        waiting_texts=extraction.waiting_count(db, story["id"]) if not found else 0,
        KIND_LABELS=KIND_LABELS,
        STATE_LABELS=STATE_LABELS,
        DISMISS_REASONS=DISMISS_REASONS,
        PART_LABELS=PART_LABELS,
        MATCH_WORDS=candidates.MATCH_WORDS,
    ), (400 if filter_error else code)


# What each highlighted part of a candidate's sentence is, said in words as well as colour.
PART_LABELS = {"source": "Source", "cue": "Cue", "content": "What was said"}


def _parts(c: dict) -> list[tuple[int, int, str]]:
    """The candidate's source, cue and content pieces as (start, end, part), offsets into its paragraph."""
    base = c.get("paragraph_start", 0)
    found = []
    pieces = json.loads(c["content_spans"]) if c.get("content_spans") else []
    if not pieces and c.get("content_start") is not None:
        pieces = [[c["content_start"], c["content_end"]]]
    found += [(a, b, "content") for a, b in pieces]
    for part in ("cue", "source"):
        if c.get(f"{part}_start") is not None:
            found.append((c[f"{part}_start"], c[f"{part}_end"], part))
    lo, hi = c["sentence_start"], c["sentence_end"]
    inside = []
    for a, b, part in sorted(found):
        a, b = max(a - base, lo), min(b - base, hi)
        if a < b and (not inside or a >= inside[-1][1]):
            inside.append((a, b, part))
    return inside


def said_parts(c: dict) -> list[tuple[str, list[str]]]:
    """Each highlighted part, in the legend's order, with its words: what the legend says to a screen reader.

    The labels are said there, after the card's heading, rather than inside it, where they became part of the
    heading's name and the card's.
    """
    text = c["paragraph"]
    words: dict[str, list[str]] = {}
    for a, b, part in _parts(c):
        words.setdefault(part, []).append(text[a:b])
    return [(part, words[part]) for part in PART_LABELS if part in words]


def in_context(c: dict) -> Markup:
    """The candidate's paragraph with its sentence marked, and in it the source, cue and content, all escaped.

    Only colour and a tooltip mark the parts here: this is the card's heading, and its text is the card's name.
    The parts are named in words by the legend after it (said_parts).
    """
    parts = _parts(c)
    if not parts:
        return highlight(c["paragraph"], c["sentence_start"], c["sentence_end"], context=len(c["paragraph"]))
    text, lo, hi = c["paragraph"], c["sentence_start"], c["sentence_end"]
    out = [escape(text[:lo]), Markup('<mark class="attr-sentence">')]
    at = lo
    for a, b, part in parts:
        out.append(escape(text[at:a]))
        out.append(Markup('<mark class="attr attr--{}" title="{}">').format(part, PART_LABELS[part]))
        out.append(escape(text[a:b]))
        out.append(Markup("</mark>"))
        at = b
    out += [escape(text[at:hi]), Markup("</mark>"), escape(text[hi:])]
    return Markup("").join(out)
