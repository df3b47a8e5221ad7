"""Who wants which alerts: a person's subscriptions, and the defaults editors set for a story.

A subscription names a story (or every story), the kinds of event, optional
keywords and claimants that narrow it, and its timing: immediate, or an
hourly or daily digest, with quiet hours, in the person's time zone
(tracker/alerts/timing.py). An editor's default for a story is a
subscription without a person: it applies to every active account that has
no subscription of its own for that story (one with no kinds mutes it).

Matching is one function, `matches`, used by the router for every event.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import sqlite_utils

from tracker.alerts import timing
from tracker.claims import PermissionDenied
from tracker.db import NotFound, TrackerError, now, one, refuse_control_chars, rows, transaction
from tracker.users import can_rule
from tracker.vocab import ALERT_KINDS, ALERT_MODES

KIND_LABELS = {
    "statement_new": "New official statement",
    "coverage_changed": "Statement or article changed (with the diff)",
    "evidence_changed": "Evidence changed under a claim",
    "ruling": "A ruling on a claim",
    "correction": "A correction of a ruling readers saw",
    "claim_logged": "A claim logged, waiting for a ruling",
    "candidates_new": "New claim candidates",
    "source_failing": "A source failing",
    "source_silent": "A source silent longer than usual",
    "publish": "A publish that changed the story",
    "question_stale": "An answer that may be stale",
}
MODE_LABELS = {"immediate": "At once", "hourly": "Hourly digest", "daily": "Daily digest"}
MAX_TERMS = 20
MAX_TERM = 60
FIELDS = ("story_id", "kinds", "keywords", "claimants", "mode", "daily_at", "quiet_start", "quiet_end", "timezone")


class SubscriptionNotFound(NotFound):
    def __init__(self, subscription_id: int):
        super().__init__(f"No alert subscription with id {subscription_id}.")


def clean(fields: dict) -> dict:
    """A subscription's fields checked and normalised; a one-line TrackerError names the first problem."""
    kinds = fields.get("kinds", list(ALERT_KINDS))
    if isinstance(kinds, str):
        kinds = kinds.replace(",", " ").split()
    unknown = [k for k in kinds if k not in ALERT_KINDS]
    if unknown:
        raise TrackerError(
            f"Unknown alert kind {unknown[0][:40]!r}; choose from: {', '.join(ALERT_KINDS)}.", field="kinds"
        )
    mode = (fields.get("mode") or "immediate").strip()
    if mode not in ALERT_MODES:
        raise TrackerError(
            f"Unknown delivery mode {mode[:20]!r}; choose one of: {', '.join(ALERT_MODES)}.", field="mode"
        )
    quiet_start = _clock(fields, "quiet_start", "The start of quiet hours")
    quiet_end = _clock(fields, "quiet_end", "The end of quiet hours")
    if bool(quiet_start) != bool(quiet_end):
        raise TrackerError(
            "Quiet hours need both a start and an end (e.g. 22:00 to 07:00), or neither.",
            field="quiet_end" if quiet_start else "quiet_start",
        )
    timezone = (fields.get("timezone") or "UTC").strip()
    try:
        timing.zone(timezone)
    except TrackerError as e:
        e.field = "timezone"
        raise
    return {
        "story_id": fields.get("story_id") or None,
        "kinds": " ".join(k for k in ALERT_KINDS if k in set(kinds)),
        "keywords": _terms(fields.get("keywords"), "keywords"),
        "claimants": _terms(fields.get("claimants"), "claimants"),
        "mode": mode,
        "daily_at": _clock(fields, "daily_at", "The daily digest time") or "08:00",
        "quiet_start": quiet_start,
        "quiet_end": quiet_end,
        "timezone": timezone,
    }


def _clock(fields: dict, key: str, what: str) -> str | None:
    """A time of day from the form; an error names its field."""
    try:
        return timing.parse_clock(fields.get(key), what)
    except TrackerError as e:
        e.field = key
        raise


def _terms(value, what: str) -> str:
    """`what` is the field's name too (keywords, claimants)."""
    if isinstance(value, list):
        value = ", ".join(str(v) for v in value)
    try:
        refuse_control_chars(what, value, plural=True)
    except TrackerError as e:
        raise TrackerError(str(e), field=what) from None
    terms = [t.strip() for t in (value or "").split(",") if t.strip()]
    if len(terms) > MAX_TERMS:
        raise TrackerError(f"At most {MAX_TERMS} {what}, separated by commas.", field=what)
    long = [t for t in terms if len(t) > MAX_TERM]
    if long:
        raise TrackerError(
            f"{what.capitalize()} are at most {MAX_TERM} characters each ({long[0][:20]!r}…).", field=what
        )
    return ", ".join(dict.fromkeys(terms))


def save(db: sqlite_utils.Database, user: dict, fields: dict, subscription_id: int | None = None) -> dict:
    """Create (or, with an id, replace) one of the person's own subscriptions; returns it."""
    values = clean(fields)
    _story_exists(db, values["story_id"])
    stamp = now()
    with transaction(db):
        if subscription_id is None:
            cur = db.execute(
                f"""INSERT INTO alert_subscriptions (user_id, {", ".join(FIELDS)}, created_by, created_at, updated_at)
                    VALUES (?, {", ".join("?" for _ in FIELDS)}, ?, ?, ?)""",
                [user["id"], *values.values(), user["id"], stamp, stamp],
            )
            subscription_id = cur.lastrowid
        else:
            _own(db, user, subscription_id)
            db.execute(
                f"UPDATE alert_subscriptions SET {', '.join(f'{k} = ?' for k in FIELDS)}, updated_at = ? WHERE id = ?",
                [*values.values(), stamp, subscription_id],
            )
    return get(db, subscription_id)


def delete(db: sqlite_utils.Database, user: dict, subscription_id: int) -> None:
    """Remove one of the person's subscriptions (or, for an editor, a story default)."""
    with transaction(db):
        sub = get(db, subscription_id)
        if sub["user_id"] is None:
            if not can_rule(user):
                raise PermissionDenied("Only editors change a story's default alerts.")
        else:
            _own(db, user, subscription_id)
        db.execute("DELETE FROM alert_subscriptions WHERE id = ?", [subscription_id])


def set_story_default(db: sqlite_utils.Database, user: dict, story_id: int, fields: dict) -> dict:
    """An editor sets what everyone without a subscription of their own for this story receives."""
    if not can_rule(user):
        raise PermissionDenied("Only editors set a story's default alerts.")
    values = {**clean({**fields, "story_id": story_id}), "story_id": story_id}
    _story_exists(db, story_id)
    stamp = now()
    with transaction(db):
        existing = one(db, "SELECT id FROM alert_subscriptions WHERE user_id IS NULL AND story_id = ?", [story_id])
        if existing:
            db.execute(
                f"""UPDATE alert_subscriptions SET {", ".join(f"{k} = ?" for k in FIELDS)}, created_by = ?,
                    updated_at = ? WHERE id = ?""",
                [*values.values(), user["id"], stamp, existing["id"]],
            )
            return get(db, existing["id"])
        cur = db.execute(
            f"""INSERT INTO alert_subscriptions (user_id, {", ".join(FIELDS)}, created_by, created_at, updated_at)
                VALUES (NULL, {", ".join("?" for _ in FIELDS)}, ?, ?, ?)""",
            [*values.values(), user["id"], stamp, stamp],
        )
    return get(db, cur.lastrowid)


def get(db: sqlite_utils.Database, subscription_id: int) -> dict:
    sub = one(
        db,
        """SELECT a.*, s.slug AS story_slug, s.title AS story_title FROM alert_subscriptions a
           LEFT JOIN stories s ON s.id = a.story_id WHERE a.id = ?""",
        [subscription_id],
    )
    if sub is None:
        raise SubscriptionNotFound(subscription_id)
    return sub


def list_own(db: sqlite_utils.Database, user_id: int) -> list[dict]:
    """A person's own subscriptions, all-stories first."""
    return rows(
        db,
        """SELECT a.*, s.slug AS story_slug, s.title AS story_title FROM alert_subscriptions a
           LEFT JOIN stories s ON s.id = a.story_id WHERE a.user_id = ?
           ORDER BY a.story_id IS NOT NULL, s.title, a.id""",
        [user_id],
    )


def story_defaults(db: sqlite_utils.Database) -> list[dict]:
    """Every story default editors have set."""
    return rows(
        db,
        """SELECT a.*, s.slug AS story_slug, s.title AS story_title FROM alert_subscriptions a
           JOIN stories s ON s.id = a.story_id WHERE a.user_id IS NULL ORDER BY s.title""",
    )


def _own(db: sqlite_utils.Database, user: dict, subscription_id: int) -> dict:
    sub = get(db, subscription_id)
    if sub["user_id"] != user["id"]:
        raise SubscriptionNotFound(subscription_id)  # someone else's: as if it did not exist
    return sub


def _story_exists(db: sqlite_utils.Database, story_id: int | None) -> None:
    if story_id is not None and not db.execute("SELECT 1 FROM stories WHERE id = ?", [story_id]).fetchone():
        raise NotFound(f"No story with id {story_id}.")


# --------------------------------------------------------------------------- matching


@dataclass
class Rule:
    """A subscription ready to match events against: kinds as a set, words compiled once."""

    id: int
    user_id: int
    story_id: int | None
    kinds: frozenset[str]
    keywords: re.Pattern | None
    claimants: tuple[str, ...]
    settings: dict  # mode, daily_at, quiet hours, timezone: what timing.due reads

    plain: bool = field(init=False)  # no words or claimants to look for: its kind and story decide
    at_once: bool = field(init=False)  # immediate, no quiet hours: what it matches is due when stored

    def __post_init__(self) -> None:
        s = self.settings
        self.plain = self.keywords is None and not self.claimants
        self.at_once = (s["mode"] or "immediate") == "immediate" and not (
            s["quiet_start"] and s["quiet_end"] and s["quiet_start"] != s["quiet_end"]
        )


def rule(sub: dict, user_id: int | None = None) -> Rule:
    words = [w for w in (sub["keywords"] or "").split(", ") if w]
    return Rule(
        id=sub["id"],
        user_id=user_id if user_id is not None else sub["user_id"],
        story_id=sub["story_id"],
        kinds=frozenset((sub["kinds"] or "").split()),
        keywords=re.compile(r"(?<!\w)(?:" + "|".join(re.escape(w) for w in words) + r")(?!\w)", re.I)
        if words
        else None,
        claimants=tuple(c.casefold() for c in (sub["claimants"] or "").split(", ") if c),
        settings={k: sub[k] for k in ("mode", "daily_at", "quiet_start", "quiet_end", "timezone")},
    )


def matches(r: Rule, event: dict, payload: dict) -> bool:
    """Does this event reach this subscription? Kind, story, then keywords and claimants if it names any.

    Keywords look in the event's subject and text (the changed lines, the
    quote, the claim); claimants in who made the claim or statement. An event
    kind without text (a publish, a failing source) never matches a
    subscription narrowed by words. New candidates match when any one
    candidate does.
    """
    if event["kind"] not in r.kinds:
        return False
    if r.story_id is not None and event["story_id"] is not None and r.story_id != event["story_id"]:
        return False
    if r.keywords is None and not r.claimants:
        return True
    if event["kind"] == "candidates_new":
        return any(_narrowed(r, c.get("text", ""), c.get("claimant", "")) for c in payload.get("candidates", []))
    text = "\n".join(str(payload.get(k) or "") for k in ("text", "quote", "claim_text", "title"))
    return _narrowed(r, f"{event['subject']}\n{text}", payload.get("claimant") or "")


def _narrowed(r: Rule, text: str, claimant: str) -> bool:
    if r.keywords is not None and not r.keywords.search(text):
        return False
    if r.claimants and not any(c in claimant.casefold() for c in r.claimants):
        return False
    return True


def rules_by_user(db: sqlite_utils.Database) -> list[Rule]:
    """Every active account's effective subscriptions: its own, plus story defaults it has not overridden."""
    active = {r[0] for r in db.execute("SELECT id FROM users WHERE active = 1")}
    subs = rows(db, "SELECT * FROM alert_subscriptions")
    own_stories = {(s["user_id"], s["story_id"]) for s in subs if s["user_id"] is not None}
    found = [rule(s) for s in subs if s["user_id"] in active]
    for default in (s for s in subs if s["user_id"] is None):
        found += [
            rule(default, user_id) for user_id in sorted(active) if (user_id, default["story_id"]) not in own_stories
        ]
    return found
