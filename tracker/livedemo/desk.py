"""The demo's own newsroom desk: at each stage it logs and rules a few claims, then publishes.

It works the way a reporter and an editor work in the editor, through the
same domain functions: a claim is accepted from its triage candidate (the
sentence the scraper's extraction found) or, when extraction found none,
logged with the exact quote as evidence; a ruling cites the evidence it
rests on, with a public reason; the claim is marked publishable and the
public site rebuilt. Each action waits until the page it quotes has been
scraped in the version it quotes, so the desk never runs ahead of the
tracker. Every action checks what is already done (a claim with that text,
a claim already at that status), so running the desk again changes nothing.
It acts as the account demo-desk, so its work is told apart from yours.
"""

from __future__ import annotations

import contextlib
import secrets
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

import sqlite_utils

from tracker import candidates, claims, coverage, stories, users
from tracker.db import TrackerError, one, path_of, rows, storage_error, transaction
from tracker.livedemo.world import DeskAction, World
from tracker.publish_log import publish_and_log, settle_interrupted

DESK_USER = "demo-desk"


@dataclass
class DeskReport:
    done: list[str] = field(default_factory=list)  # one line per action taken, for the demo's output
    waiting: list[DeskAction] = field(default_factory=list)
    published: bool = False
    problem: str | None = None  # why the publish (or its log) failed, one line; the next run publishes again


def desk_user(db: sqlite_utils.Database) -> dict:
    """The demo desk's editor account, created once with a password nobody is shown (it never signs in)."""
    user = users.find_user(db, DESK_USER)
    if user is None:
        user = users.add_user(db, DESK_USER, secrets.token_urlsafe(24), "editor")
    return user


def run_desk(db: sqlite_utils.Database, world: World, stage: int, public_db: str | Path | None) -> DeskReport:
    """Do what the stages reached so far ask of the desk and is not done yet; publish if anything was."""
    report = DeskReport()
    if stage < 1:
        return report
    story = stories.get_story(db, world.story.slug)
    user = desk_user(db)
    for step in world.stages[:stage]:
        for action in step.desk:
            line = _act(db, world, story, user, action)
            if line is None:
                report.waiting.append(action)
            elif line:
                report.done.append(line)
    if public_db is None:
        return report
    # A turn whose publish reached readers but not its log left the row pending: settled first (as the Publish
    # page does), it counts as the desk's publish, and the file readers already have is not published again.
    with contextlib.suppress(sqlite3.Error, OSError):  # a database that cannot be written now: next turn
        settle_interrupted(db, public_db)
    if report.done or _publish_owed(db, user):
        try:
            publish_and_log(db, public_db, user)
            report.published = True
        except TrackerError as e:  # a full or read-only disk: the rulings are kept, and published next time
            report.problem = str(e)
        except sqlite3.Error as e:
            # The build and the swap say their own failures as TrackerError: this is the log's write after the swap
            # (a full disk), so readers see the new file already. Its row, left pending, is settled at the next
            # turn, which then owes no publish for it.
            report.published = True
            report.problem = (
                "Readers see the new public file, but the publish log could not be written. "
                f"{storage_error(e, path_of(db)) or e}"
            )
    return report


def _publish_owed(db: sqlite_utils.Database, user: dict) -> bool:
    """Whether the desk changed claims after its last publish that readers saw (that publish failed).

    Once its actions are done the desk has nothing left to do at a stage, so
    a publish that failed (a full or read-only disk) would otherwise leave its
    rulings off the public site for good.
    """
    row = db.execute(
        """SELECT max(at) FROM (
               SELECT at FROM status_history WHERE editor_id = :desk
               UNION ALL SELECT created_at FROM claims WHERE created_by = :desk
           ) HAVING max(at) > coalesce(
               (SELECT max(at) FROM publish_log WHERE user_id = :desk AND pending_out IS NULL), '')""",
        {"desk": user["id"]},
    ).fetchone()
    return row is not None


def _act(db: sqlite_utils.Database, world: World, story: dict, user: dict, action: DeskAction) -> str | None:
    """'' when already done, a line saying what was done, or None when its page is not scraped yet."""
    claim = one(
        db, "SELECT id, status, published FROM claims WHERE story_id = ? AND text = ?", [story["id"], action.claim]
    )
    if action.action == "log" and claim is not None:
        return ""
    if action.action == "rule" and (claim is None or claim["status"] == action.status):
        return "" if claim is not None else None
    revision = _revision_quoting(db, story, world.document(action.source).url, action.quote)
    if revision is None:
        return None
    with transaction(db):
        if action.action == "log":
            claim_id, evidence_id, how = _log(db, story, user, action, revision)
        else:
            claim_id, how = claim["id"], "ruled"
            evidence_id = claims.add_evidence(db, claim_id, revision["id"], action.quote, action.stance, user)
        current = claims.get_claim(db, claim_id)
        if current["status"] != action.status:
            current = claims.set_status(
                db,
                claim_id,
                action.status,
                user,
                action.reason,
                current["version"],
                public_rationale=action.reason,
                evidence_ids=[evidence_id],
            )
        if not current["published"]:
            claims.set_published(db, claim_id, True, user, current["version"])
    return f"{how} “{action.claim}”: {action.status}"


def _log(
    db: sqlite_utils.Database, story: dict, user: dict, action: DeskAction, revision: dict
) -> tuple[int, int, str]:
    """Accept the triage candidate holding the quote, as a reporter would; log it directly if there is none.

    Returns the claim, its evidence (the candidate's sentence, or the quote) and how it was made.
    """
    found = one(
        db,
        """SELECT id FROM candidates WHERE story_id = ? AND revision_id = ? AND state = 'pending'
             AND instr(text, ?) > 0 ORDER BY id LIMIT 1""",
        [story["id"], revision["id"], action.quote],
    )
    if found is not None:
        claim_id = candidates.accept(
            db, found["id"], user, text=action.claim, claimant=action.claimant, claimant_type=action.claimant_type
        )
        evidence_id = db.execute("SELECT min(id) FROM evidence WHERE claim_id = ?", [claim_id]).fetchone()[0]
        return claim_id, evidence_id, "accepted from triage"
    claim_id = claims.log_claim(db, story["id"], action.claim, action.claimant, action.claimant_type, user)
    evidence_id = claims.add_evidence(db, claim_id, revision["id"], action.quote, action.stance, user)
    return claim_id, evidence_id, "logged"


def _revision_quoting(db: sqlite_utils.Database, story: dict, url: str, quote: str) -> dict | None:
    """The latest revision of the page at url whose text holds the quote, once read for claims; or None.

    Waiting for extraction (extracted_at) is waiting for the triage queue:
    a reporter accepts the candidate the sentence became, so does the desk.
    """
    item = coverage.find_item(db, story["id"], url)
    if item is None:
        return None
    found = rows(
        db,
        """SELECT id FROM revisions WHERE coverage_id = ? AND instr(text, ?) > 0 AND extracted_at IS NOT NULL
           ORDER BY id DESC LIMIT 1""",
        [item, quote],
    )
    return coverage.get_revision(db, found[0]["id"]) if found else None
