"""The words every layer agrees on: claim statuses, claimant types, kinds and states, one definition each.

The domain modules check input against these, the editor builds its select
boxes and the API its enums from them. The shipped migrations do not import
them: each keeps its own literals in its CHECK constraints (see
tracker/migrations.py), so a word added here is refused by the database
until a new migration widens the constraint; tests/test_migrations.py
checks the two agree. The public site's Datasette plugins keep their own
copy of STATUSES (they load without this package), kept in step by a test.
"""

from __future__ import annotations

# A claim's status; every claim starts unreviewed.
STATUSES = ("unreviewed", "confirmed", "denied", "unclear")
# A status as the newsroom reads it: the editor's pages, the Publish page and `publish`'s list.
STATUS_LABELS = {"unreviewed": "Unreviewed", "confirmed": "Confirmed", "denied": "Denied", "unclear": "Unclear"}
# The statuses an editor's ruling can set.
RULINGS = ("confirmed", "denied", "unclear")
# A ruling of a claim readers were shown a ruling of: its label for readers (the claim page, the timeline) and the
# word the newsroom reads for it (the claim's history, the ruling form, the Publish page, `publish`, alerts). An
# alert's title keeps it for a status turned round (REVERSALS) and otherwise says what changed ("Now confirmed (was
# unclear)"): an unclear claim confirmed is news, and "Correction" alone read as "we were wrong".
CORRECTION_LABEL = "Correction"
# The rulings that turn a status round: what was said true is now said false, or the other way.
REVERSALS = frozenset({("confirmed", "denied"), ("denied", "confirmed")})
# Who a claim is attributed to, as published.
CLAIMANT_TYPES = ("named", "anonymous", "organization", "outlet", "document", "unattributed")
# How a piece of evidence bears on its claim.
STANCES = ("supports", "contradicts", "context")
ROLES = ("reporter", "editor", "admin")
SOURCE_KINDS = ("feed", "page", "statement")
SOURCE_STATES = ("active", "paused", "gone")
# "refused": our own settings refuse the address (the newsroom's network, TRACKER_ALLOWED_HOSTS); nothing was asked.
FETCH_OUTCOMES = ("ok", "not_modified", "skipped", "error", "refused")
COVERAGE_KINDS = ("article", "statement", "document", "post", "reporting")
# A claim candidate in the triage queue.
CANDIDATE_STATES = ("pending", "accepted", "merged", "dismissed")
# How a linked claim bears on a story question.
QUESTION_STANCES = ("answers_yes", "answers_no", "context")
DEVELOPMENT_STATES = ("not_yet", "happened", "did_not_happen")
DEVELOPMENT_STATE_LABELS = {"not_yet": "Not yet", "happened": "Happened", "did_not_happen": "Did not happen"}
# What an alert can be about (tracker/alerts/events.py writes them; subscriptions choose among them).
ALERT_KINDS = (
    "statement_new",
    "coverage_changed",
    "evidence_changed",
    "ruling",
    "correction",
    "claim_logged",
    "candidates_new",
    "source_failing",
    "source_silent",
    "publish",
    "question_stale",
)
# When a subscription's messages go out: at once, or gathered into a digest.
ALERT_MODES = ("immediate", "hourly", "daily")
# How the newsroom's own reporting was done (tracker/reporting.py).
REPORTING_HOWS = ("interview", "email", "call", "message", "other")
# What an item kept as received is to its coverage (tracker/captures.py).
CAPTURE_ROLES = ("page", "document", "attachment", "screenshot")
