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

It publishes only its own story's changes, as an editor publishes the list
the Publish page showed them: it builds the next public file, reads which
stories its changes belong to, and publishes that list (its digest, as the
Publish form carries it) only when every change is the demo story's. A
newsroom's own story may share the database; while it has changes waiting
for an editor's review, the desk holds its publish (HELD) and plays on, and
publishes once an editor has published them (or they are undone). One
public file is built from the whole working database, so a file with only
the demo's changes new would be a file no build makes and no editor saw
listed: the desk waits instead.
"""

from __future__ import annotations

import contextlib
import secrets
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

import sqlite_utils

from scrapers.schedule import later
from scrapers.timestamps import parse_time
from tracker import candidates, claims, coverage, stories, users
from tracker.db import TrackerError, now, one, path_of, read_only_uri, rows, storage_error, transaction
from tracker.livedemo.world import DeskAction, World
from tracker.publish import built
from tracker.publish_log import publish_and_log, settle_interrupted
from tracker.publish_review import TRACKED, Change, Review, ReviewChanged, compare_files

DESK_USER = "demo-desk"
HELD = "held: other stories have changes waiting for an editor's review on Publish"
# While held, the change list is built again at once after an editor's publish, else at most this often: it
# is a whole public build, and the desk's turn comes every second. (Changes undone are seen this late.)
HELD_RECHECK = 60
# The public table of each kind of item the change list tracks, each row with the story it belongs to (a story's
# own changes are the story's: _stories_of reads their slug). A kind whose table has no story is another story's.
ITEM_TABLES = {t.item: t.table for t in TRACKED if not t.part}


@dataclass
class DeskReport:
    done: list[str] = field(default_factory=list)  # one line per action taken, for the demo's output
    waiting: list[DeskAction] = field(default_factory=list)
    published: bool = False
    problem: str | None = None  # why the publish (or its log) failed, one line; the next run publishes again
    held: bool = False  # other stories' changes wait for an editor's review: nothing was published (HELD)
    held_began: bool = False  # the hold began at this turn (said once, not at every turn)


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
        _publish(db, world, public_db, user, report)
    else:
        _release(db)
    return report


def _publish(db: sqlite_utils.Database, world: World, public_db: str | Path, user: dict, report: DeskReport) -> None:
    """Publish the change list if every change in it is the demo story's; else hold (report.held)."""
    if not report.done and _hold_stands(db):
        report.held = True
        return
    try:
        found, others = own_story_review(db, public_db, world.story.slug)
    except TrackerError as e:  # the build failed (a full or read-only disk): published next time
        report.problem = str(e)
        return
    if others:
        report.held = True
        report.held_began = _hold(db)
        return
    try:
        # The list just read, and nothing else: an edit elsewhere since is refused (ReviewChanged), and looked at
        # again at the next turn.
        publish_and_log(db, public_db, user, reviewed=found.digest)
        report.published = True
    except ReviewChanged:  # someone edited between the two builds: nothing was published
        pass
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
    if report.published:
        with contextlib.suppress(sqlite3.Error):  # a database that cannot be written now: let go at the next turn
            _release(db)


def own_story_review(db: sqlite_utils.Database, public_db: str | Path, slug: str) -> tuple[Review, set[str]]:
    """The change list the next publish makes (as the Publish page lists it), and the stories other than `slug`
    that any change in it belongs to.

    Built as tracker.publish_review.review builds it, the new file kept while the stories are read from it.
    """
    public = Path(public_db).absolute()
    with built(db, public.parent, public.name) as (tmp, _):
        found = compare_files(public, tmp)
        owners = _stories_of(found.changes, tmp, public)
    return found, {owner or "(unknown)" for owner in owners} - {slug}


def _stories_of(changes: list[Change], new: Path, old: Path) -> set[str | None]:
    """The story (slug) of each change's item, read in the new public file, else in the one readers have (an
    item withdrawn); None for an item found in neither, which counts as another story's."""
    owners: set[str | None] = set()
    files = [sqlite3.connect(read_only_uri(new), uri=True)]
    with contextlib.suppress(sqlite3.Error):
        if old.exists():  # one that cannot be read was compared as no file: nothing was withdrawn from it
            files.append(sqlite3.connect(read_only_uri(old), uri=True))
    try:
        for change in changes:
            if change.item == "story":
                owners.add(change.item_id)
            else:
                owners.add(_story_of(files, ITEM_TABLES.get(change.item), change.item_id))
    finally:
        for conn in files:
            conn.close()
    return owners


def _story_of(files: list[sqlite3.Connection], table: str | None, item_id: str) -> str | None:
    """The story of the item `item_id` of `table`, from the first of the public files that has it."""
    for conn in files if table else ():
        with contextlib.suppress(sqlite3.Error):
            row = conn.execute(f"SELECT story FROM [{table}] WHERE id = ?", [item_id]).fetchone()
            if row is not None:
                return row[0]
    return None


def held_since(db: sqlite_utils.Database) -> str | None:
    """When the desk's current hold began (HELD), or None when it is not holding its publish."""
    row = db.execute("SELECT since FROM demo_desk_hold").fetchone()
    return row[0] if row else None


def _latest_publish(db: sqlite_utils.Database) -> int:
    """The publish log's latest settled row (0: none): a newer one is a publish since the desk last looked."""
    return db.execute("SELECT coalesce(max(id), 0) FROM publish_log WHERE pending_out IS NULL").fetchone()[0]


def _hold_stands(db: sqlite_utils.Database) -> bool:
    """Whether the hold found at a recent turn still stands without building again: nobody published since,
    and it was looked at less than HELD_RECHECK seconds ago."""
    row = db.execute("SELECT checked_at, publish_id FROM demo_desk_hold").fetchone()
    if row is None or row[1] != _latest_publish(db):
        return False
    return parse_time(later(row[0], HELD_RECHECK)) > parse_time(now())


def _hold(db: sqlite_utils.Database) -> bool:
    """Record the hold, looked at now; whether it began at this turn."""
    at = now()
    with transaction(db):
        began = held_since(db) is None
        db.execute(
            """INSERT INTO demo_desk_hold (id, since, checked_at, publish_id) VALUES (1, ?, ?, ?)
               ON CONFLICT (id) DO UPDATE SET checked_at = excluded.checked_at, publish_id = excluded.publish_id""",
            [at, at, _latest_publish(db)],
        )
    return began


def _release(db: sqlite_utils.Database) -> None:
    """The desk holds no more (written only when it held: this runs every turn)."""
    if held_since(db) is not None:
        with transaction(db):
            db.execute("DELETE FROM demo_desk_hold")


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
