"""The alerts outbox: one row per thing that happened, written in the transaction that made it happen.

Each write path (ingest, rulings, candidates, source health, publish,
questions) calls one function here inside its own transaction, so the event
commits with the change or not at all: a crash can neither lose an event
whose change was stored nor announce a change that rolled back. Nothing here
sends anything; tracker/alerts/router.py and sender.py read the outbox.

A payload carries what a message needs (the quote, the diff, the editor
path), so a message says what changed even if the row changes again before
it goes out. Anything that must not leave the newsroom unless a destination
is marked internal (an internal rationale, internal notes) goes under the
payload's "internal" key and nowhere else; tracker/alerts/messages.py drops
it for every other destination.
"""

from __future__ import annotations

import json
import time

import sqlite_utils

from tracker.db import now

QUOTE_MAX = 400  # characters of a statement or candidate sentence kept in the payload
DIFF_MAX = 4000  # characters of changed lines kept; a message shows less and links to the full diff
CANDIDATES_LISTED = 20  # candidate sentences kept in one event; the count covers the rest
FAILING_AFTER = 3  # failures in a row before a source is reported failing


def record(
    db: sqlite_utils.Database,
    kind: str,
    subject: str,
    *,
    story_id: int | None = None,
    payload: dict | None = None,
    dedupe_key: str | None = None,
) -> int | None:
    """Add an event to the outbox inside the caller's open transaction; its id, or None when deduplicated.

    Refuses to run outside a transaction: an event written in a transaction
    of its own could commit without its change, or the change without it.
    `dedupe_key` makes a repeated condition one event (INSERT OR IGNORE).
    """
    if not db.conn.in_transaction:
        raise RuntimeError("alert events are written inside the transaction of the change they announce")
    cur = db.execute(
        """INSERT OR IGNORE INTO alert_events (kind, story_id, subject, payload, dedupe_key, at, stored)
           VALUES (?, ?, ?, ?, ?, ?, ?)""",
        [kind, story_id, subject[:300], json.dumps(payload or {}), dedupe_key, now(), time.time()],
    )
    return cur.lastrowid if cur.rowcount else None


def revision_stored(
    db: sqlite_utils.Database, coverage_id: int, revision_id: int, text: str, previous: str | None, diff: str | None
) -> None:
    """A new revision: a first statement text is news, a changed text is news, and so is a cited quote gone."""
    item = db.execute(
        "SELECT story_id, kind, title, outlet, canonical_url FROM coverage WHERE id = ?", [coverage_id]
    ).fetchone()
    story_id, kind, title, outlet, url = item
    if previous is None and kind != "statement":
        return  # a new article is not an alert of its own: its candidates and echoes are
    name = title or url
    base = {"title": title, "outlet": outlet, "url": url, "claimant": outlet or "", "path": f"/coverage/{coverage_id}"}
    if previous is None:
        record(
            db,
            "statement_new",
            f"New statement from {outlet or 'an organisation'}: {name}",
            story_id=story_id,
            payload={**base, "quote": _cut(text, QUOTE_MAX), "text": text[:2000]},
            dedupe_key=f"statement_new:{coverage_id}",
        )
        return
    changed, truncated = changed_lines(diff or "")
    what = "Statement" if kind == "statement" else "Article"
    record(
        db,
        "coverage_changed",
        f"{what} changed: {name}" + (f" ({outlet})" if outlet else ""),
        story_id=story_id,
        payload={
            **base,
            "kind": kind,
            "diff": changed,
            "diff_truncated": truncated,
            "text": changed,
            "path": f"/coverage/{coverage_id}?to={revision_id}",
        },
        dedupe_key=f"coverage_changed:{revision_id}",
    )
    gone: dict[int, dict] = {}
    for claim_id, claim_text, claimant, quote in db.execute(
        """SELECT e.claim_id, c.text, c.claimant, e.quote
           FROM revisions r JOIN evidence e ON e.revision_id = r.id JOIN claims c ON c.id = e.claim_id
           WHERE r.coverage_id = ? AND r.id < ? ORDER BY e.claim_id, e.id""",
        [coverage_id, revision_id],
    ):
        # Gone in this change: in the text before it, not after (an old loss is not news again).
        if quote in previous and quote not in text:
            gone.setdefault(claim_id, {"claim_text": claim_text, "claimant": claimant, "quotes": []})["quotes"].append(
                _cut(quote, QUOTE_MAX)
            )
    for claim_id, found in gone.items():
        record(
            db,
            "evidence_changed",
            f"Evidence changed under claim {claim_id}: {_cut(found['claim_text'], 120)}",
            story_id=story_id,
            payload={
                "claim_text": found["claim_text"],
                "claimant": found["claimant"],
                "quote": found["quotes"][0],
                "quotes": found["quotes"],
                "title": title,
                "outlet": outlet,
                "text": f"{found['claim_text']}\n{' '.join(found['quotes'])}",
                "path": f"/claims/{claim_id}",
            },
            dedupe_key=f"evidence_changed:{claim_id}:{revision_id}",
        )


def ruling_recorded(
    db: sqlite_utils.Database,
    claim: dict,
    history_id: int,
    to_status: str,
    *,
    rationale: str,
    public_rationale: str,
    is_correction: bool,
) -> None:
    """A ruling (or a public correction), and every answered question whose answer it may have made stale."""
    kind = "correction" if is_correction else "ruling"
    label = "Public correction" if is_correction else "Ruled"
    record(
        db,
        kind,
        f"{label}: claim {claim['id']} {claim['status']} → {to_status}: {_cut(claim['text'], 120)}",
        story_id=claim["story_id"],
        payload={
            "claim_text": claim["text"],
            "claimant": claim["claimant"],
            "from_status": claim["status"],
            "to_status": to_status,
            "public_rationale": public_rationale,
            "text": f"{claim['text']}\n{public_rationale}",
            "path": f"/claims/{claim['id']}",
            "internal": {"rationale": rationale, "notes": claim.get("internal_notes") or ""},
        },
        dedupe_key=f"{kind}:{history_id}",
    )
    for question_id, question_text, history_mark, link_mark, relink_mark in db.execute(
        """SELECT q.id, q.text, q.answer_history_mark, q.answer_link_mark, q.answer_relink_mark
           FROM question_claims qc JOIN questions q ON q.id = qc.question_id
           WHERE qc.claim_id = ? AND q.answer != '' AND qc.id <= q.answer_link_mark""",
        [claim["id"]],
    ):
        question_stale(
            db,
            claim["story_id"],
            question_id,
            question_text,
            f"claim {claim['id']} moved from {claim['status']} to {to_status}",
            mark=f"{history_mark}:{link_mark}:{relink_mark}",  # as tracker.questions.stale_mark
        )


def question_stale(
    db: sqlite_utils.Database, story_id: int, question_id: int, question_text: str, reason: str, *, mark: str
) -> None:
    """An answered question whose answer may no longer hold; one event until an editor reviews the answer.

    `mark` is what the answer had seen when last written or reviewed (its
    history, link and relink marks): a review moves it, so the next change alerts again.
    """
    record(
        db,
        "question_stale",
        f"Answer may be stale: {_cut(question_text, 140)}",
        story_id=story_id,
        payload={
            "question": question_text,
            "reason": reason,
            "text": question_text,
            "path": f"/questions/{question_id}",
        },
        dedupe_key=f"question_stale:{question_id}:{mark}",
    )


def candidates_found(db: sqlite_utils.Database, story_id: int, revision_id: int, found: list[dict]) -> None:
    """New claim candidates waiting for triage from one revision, as one event (a page brings many at once).

    Each listed candidate carries its id, so a filter on a per-candidate
    score (check-worthiness) can be added to subscriptions without changing
    the event: tracker/alerts/subscriptions.py matches candidates one by one.
    """
    if not found:
        return
    item = db.execute(
        """SELECT c.id, c.title, c.outlet, s.slug FROM revisions r JOIN coverage c ON c.id = r.coverage_id
           JOIN stories s ON s.id = c.story_id WHERE r.id = ?""",
        [revision_id],
    ).fetchone()
    coverage_id, title, outlet, slug = item
    listed = [
        {
            "id": c["id"],
            "kind": c["kind"],
            "claimant": c.get("claimant") or "",
            "text": _cut(c["text"], QUOTE_MAX),
            **({"score": c["score"]} if c.get("score") is not None else {}),
        }
        for c in found[:CANDIDATES_LISTED]
    ]
    record(
        db,
        "candidates_new",
        f"{len(found)} new claim candidate{'s' if len(found) != 1 else ''} in {title or outlet or 'coverage'}",
        story_id=story_id,
        payload={
            "count": len(found),
            "candidates": listed,
            "title": title,
            "outlet": outlet,
            "quote": listed[0]["text"],
            "claimant": " ".join(c["claimant"] for c in listed),
            "text": "\n".join(c["text"] for c in listed),
            "path": f"/stories/{slug}/triage",
            "coverage_id": coverage_id,
        },
        dedupe_key=f"candidates_new:{revision_id}",
    )


def source_failing(db: sqlite_utils.Database, source: dict, failures: int, reason: str, *, gone: bool) -> None:
    """A source failed FAILING_AFTER times in a row, or was marked gone; one event per failing streak."""
    if not gone and failures != FAILING_AFTER:
        return
    state = "marked gone" if gone else f"failing ({failures} times in a row)"
    record(
        db,
        "source_failing",
        f"Source {state}: {source.get('outlet') or source['url']}",
        story_id=source["story_id"],
        payload={"url": source["url"], "reason": _cut(reason, 500), "gone": gone, "path": f"/sources/{source['id']}"},
        dedupe_key=f"source_failing:{source['id']}:{source.get('last_ok_at') or source.get('created_at')}:{gone}",
    )


def source_silent(db: sqlite_utils.Database, source: dict) -> None:
    """A source that answers but has brought nothing new for longer than its usual rhythm (sources.silent_sources)."""
    record(
        db,
        "source_silent",
        f"Source silent since {source['last_new_at']}: {source.get('outlet') or source['url']}",
        story_id=source["story_id"],
        payload={
            "url": source["url"],
            "last_new_at": source["last_new_at"],
            "usual_gap_hours": round(source["usual_gap"] / 3600, 1),
            "path": f"/sources/{source['id']}",
        },
        dedupe_key=f"source_silent:{source['id']}:{source['last_new_at']}",
    )


def published(db: sqlite_utils.Database, log_id: int, counts: dict, claims: int, user: dict | None) -> None:
    """A publish of the public site: what changed for readers."""
    parts = [
        f"{counts[k]} {label}"
        for k, label in (("added", "new"), ("removed", "withdrawn"), ("status", "ruled"), ("text", "reworded"))
        if counts.get(k)
    ]
    record(
        db,
        "publish",
        f"Published {claims} claim(s)" + (f": {', '.join(parts)}" if parts else ", nothing changed for readers"),
        payload={
            "counts": counts,
            "claims": claims,
            "by": (user or {}).get("username") or "command line",
            "path": "/publish",
        },
        dedupe_key=f"publish:{log_id}",
    )


def changed_lines(diff: str, limit: int = DIFF_MAX) -> tuple[str, bool]:
    """The removed and added lines of a unified diff (no headers or context), cut to `limit`; (text, truncated)."""
    lines = [line for line in diff.splitlines() if line[:1] in "+-" and not line.startswith(("+++", "---"))]
    text = "\n".join(lines)
    if len(text) <= limit:
        return text, False
    return text[:limit].rsplit("\n", 1)[0], True


def _cut(text: str | None, limit: int) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"
