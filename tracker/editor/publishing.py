"""Publish: every change readers would see, with its diff, and a "Publish now" that carries exactly that list.

What changes is computed by tracker.publish_review from a real build of the
next public file, compared with the one readers see; this module shows it,
grouped by claim, question, development and story, with who made each
wording change. The form carries the list's digest: if anyone changes
something readers would see between the editor opening this page and
pressing Publish, nothing is published and the page lists the changes again.
"""

from __future__ import annotations

import contextlib
import sqlite3
import tempfile
import threading
from pathlib import Path

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from tracker import public_ids
from tracker.db import DiskFull, NotFound, ReadOnlyDatabase, TrackerError, one, opens_read_only, rows, storage_error
from tracker.editor.auth import current_row, require_editor
from tracker.editor.db import get_db
from tracker.publish_log import publish_and_log, published_already, settle_interrupted
from tracker.publish_review import (
    FIELD_LABELS,
    KIND_LABELS,
    Change,
    Review,
    ReviewChanged,
    counts,
    logged_changes,
    not_built,
    review,
    word_diff,
    worded,
)

bp = Blueprint("publishing", __name__)

ITEM_LABELS = {"story": "Story", "claim": "Claim", "question": "Key question", "development": "What's next"}
# Fields shown as a word diff; the rest as old -> new.
PROSE = frozenset({"text", "claimant", "status_rationale", "quote", "title", "description", "question", "answer"})
PART_LABELS = {"evidence": "Evidence", "link": "Linked claim"}
MAX_SHOWN = 300
# A publish is logged, and keeps the public ids it gives, in the working database: from one that is read-only here
# none can be made. Said to the editor in the browser; the command line's advice (a copy, --db) is not theirs to use.
READ_ONLY = (
    "this database is read-only here, and a publish is recorded in it; tell whoever runs the tracker if it should "
    "take changes."
)


# The read-only review builds a whole public database on each visit: one at a time in a process, however many
# editors open the page, or each visitor's build slowed every other's and filled the temporary folder with copies.
REVIEW_APART = threading.Lock()
BEING_BUILT = "The changes waiting are being listed for someone else right now: open this page again shortly."


@bp.before_request
def _editors_only() -> None:
    require_editor("publish")


@bp.route("/publish")
def index() -> ResponseReturnValue:
    db, public = get_db(), current_app.config["PUBLIC_DB"]
    if opens_read_only(current_app.config["DATABASE"]):
        return _review_page(_review_apart(db, public), refused=f"Nothing can be published: {READ_ONLY}")
    try:
        found = review(db, public, option=None)
    except TrackerError as e:
        found = not_built(f"Publishing would fail: {e}")
    except sqlite3.Error as e:  # a file SQLite cannot read past its first page (a damaged public file)
        found = not_built(unreadable(e))
    # A "Publish now" whose worker died after its swap (a timeout in the merge that follows it, a deploy) left
    # its row pending: readers see it, so it is listed here, with its alert, not only after the next publish.
    # Waits only as long as the review above did, for a publish of the file running meanwhile.
    with contextlib.suppress(sqlite3.Error, OSError):  # a database or file that cannot be written now: next time
        settle_interrupted(db, public)
    return _review_page(found)


@bp.route("/publish", methods=("POST",))
def publish_now() -> ResponseReturnValue:
    db = get_db()
    reviewed = request.form.get("reviewed")
    if reviewed is None:
        raise TrackerError("Open the Publish page and review the changes before publishing.")
    if opens_read_only(current_app.config["DATABASE"]):
        # Refused before the build, which takes the publish lock beside the public file (a file left there).
        flash(f"Nothing was published: {READ_ONLY}", "error")
        return redirect(url_for("publishing.index"))
    try:
        summary, log_id, _ = publish_and_log(
            db, current_app.config["PUBLIC_DB"], current_row(), reviewed=reviewed, option=None
        )
    except ReviewChanged as e:
        done = None if e.review.changes else published_already(db, current_row(), reviewed)
        if done is None:
            return _review_page(e.review, changed_since=str(e), code=409)
        # The same list sent twice (a double click): the first send published it, and nothing has changed since.
        flash("Already published: these changes went out with the first send; nothing is left to publish.", "success")
        return redirect(url_for("publishing.index"))
    except TrackerError as e:
        flash(f"Nothing was published: {e}", "error")
        return redirect(url_for("publishing.index"))
    except sqlite3.Error as e:
        # The build and the swap say their own failures as TrackerError: this is the log's write after the swap
        # (a full disk), so readers see the new file already. Said so, not "Nothing was saved": publishing again
        # would change nothing for them. Its row, left pending, is listed once the database takes writes again.
        problem = storage_error(e, current_app.config["DATABASE"]) or e
        flash(
            f"Published: readers see the new public file, but the publish log could not be written, so it is "
            f"not listed below yet. {problem}",
            "error",
        )
        return redirect(url_for("publishing.index"))
    flash(f"Published: {summary['claims']} claims are public now.", "success")
    return redirect(url_for("publishing.result", log_id=log_id))


@bp.route("/publish/<int:log_id>")
def result(log_id: int) -> ResponseReturnValue:
    db = get_db()
    entry = one(
        db,
        "SELECT p.*, u.username FROM publish_log p LEFT JOIN users u ON u.id = p.user_id "
        "WHERE p.id = ? AND p.pending_out IS NULL",
        [log_id],
    )
    if entry is None:
        raise NotFound(f"No publish number {log_id}.")
    changes = logged_changes(entry["changes"])
    shown = sum(1 for c in changes if not c.part)
    return render_template(
        "publishing/result.html",
        entry={**entry, "corrections": counts(changes)["corrections"]},
        groups=describe(db, changes, since=None),
        truncated=shown < entry["added"] + entry["removed"] + entry["status_changed"] + entry["text_changed"],
        **_labels(),
    )


def _review_apart(db, public: str) -> Review:
    """What the next publish would change for readers, built in a folder of its own (removed after), for a working
    database that is read-only here: nothing can be published from it, but the editor can still see what waits.

    Built beside the public file, as a publish's review is, it would take the publish lock there and leave its lock
    file (and, killed, its build) in a folder a read-only setup may not own. Apart, it needs no lock: nothing it
    does can meet a publish, and the public file is only read. The public ids it gives new rows are not kept (the
    working database cannot be written), as with any build from a read-only database.

    One is built at a time (REVIEW_APART): a visitor while another's is built is told so (BEING_BUILT). A file
    SQLite cannot read (a damaged public file) is said in one line, as a build's own failures are.
    """
    if not REVIEW_APART.acquire(blocking=False):
        return not_built(BEING_BUILT)
    try:
        try:
            made = tempfile.TemporaryDirectory(prefix="tracker-review-")
        except OSError as e:
            return not_built(_no_folder(_folder_refused(e)))
        with made as folder:
            return review(db, public, option=None, folder=folder)
    except (TrackerError, OSError, sqlite3.Error) as e:
        return not_built(_why_not_built(e))
    finally:
        REVIEW_APART.release()


def _why_not_built(error: BaseException) -> str:
    """The one line for a read-only review whose build failed: the temporary folder's disk (full, read-only), said
    as the folder (_no_folder) whether the build said it as a publish's failure (a PublishError, its SQLite or file
    error behind it) or not at all; a file SQLite could not read (unreadable); else the build's own line."""
    behind = error.__context__ if isinstance(error, TrackerError) else error
    refused = _folder_refused(behind) if behind is not None else None
    if refused:
        return _no_folder(refused)
    if isinstance(error, sqlite3.Error):
        return unreadable(error)
    return f"The changes waiting could not be listed: {error}"


def _folder_refused(error: BaseException) -> DiskFull | ReadOnlyDatabase | None:
    """The temporary folder's disk refusing the read-only review's build (full, read-only), or None."""
    refused = storage_error(error, tempfile.gettempdir())
    return refused if isinstance(refused, (DiskFull, ReadOnlyDatabase)) else None


def _no_folder(refused: DiskFull | ReadOnlyDatabase | None) -> str:
    """The one line for a read-only review that could not be built in the temporary folder (`refused`: why, as
    _folder_refused reads it), in an editor's words: the file system's own ("[Errno 30] Read-only file system:
    '/tmp/tracker-review-x1y2'") named a folder that was never made, and the command line's advice (remount, --db)
    is not the editor's to follow."""
    what = "is full" if isinstance(refused, DiskFull) else "is read-only" if refused else "cannot be written"
    return (
        f"The changes waiting could not be listed: they are built in the temporary folder "
        f"{tempfile.gettempdir()}, which {what}; tell whoever runs the tracker."
    )


def unreadable(error: sqlite3.Error) -> str:
    """The one line for a review that SQLite could not read a file for (a damaged page: "database disk image is
    malformed"): either file may be the one, and the error does not say which."""
    return (
        f"The changes waiting could not be listed: the public file or the working database could not be read "
        f"({str(error).rstrip('.')})."
    )


def _review_page(
    found: Review, *, changed_since: str | None = None, code: int = 200, refused: str | None = None
) -> ResponseReturnValue:
    """The Publish page: the review, the form that carries its digest and the recent publishes. `refused` is why
    nothing can be published from here (a read-only database): the review is shown, its button disabled beside it."""
    db = get_db()
    public_path = current_app.config["PUBLIC_DB"]
    log = rows(
        db,
        """SELECT p.*, u.username FROM publish_log p LEFT JOIN users u ON u.id = p.user_id
           WHERE p.pending_out IS NULL ORDER BY p.id DESC LIMIT 10""",
    )
    for entry in log:
        entry["corrections"] = _corrections(entry)
    return render_template(
        "publishing/index.html",
        groups=describe(db, found.changes[:MAX_SHOWN], since=log[0]["at"] if log else None),
        more=max(0, len(found.changes) - MAX_SHOWN),
        counts=counts(found.changes),
        total=len(found.changes),
        digest=found.digest,
        problem=found.problem,
        held=found.held,
        built=found.built,
        changed_since=changed_since,
        public_exists=Path(public_path).exists(),
        refused=refused,
        log=log,
        **_labels(),
    ), code


def _corrections(entry: dict) -> int:
    """How many of a logged publish's new statuses readers saw labelled "Correction" (the changes it logged)."""
    return counts(logged_changes(entry["changes"]))["corrections"]


def _labels() -> dict:
    return {
        "ITEM_LABELS": ITEM_LABELS,
        "FIELD_LABELS": FIELD_LABELS,
        "PART_LABELS": PART_LABELS,
        "worded": worded,
    }


def describe(db, changes: list[Change], since: str | None) -> list[dict]:
    """Changes grouped by the item they belong to, in order, each with its current title, link and word diffs.

    `since` (the last publish's time) names who edited each claim's wording
    since then, from the claim_edits log; None skips that (a past publish).
    """
    groups: dict[tuple[str, str], dict] = {}
    for change in changes:
        group = groups.setdefault(
            (change.item, change.item_id),
            {
                "item": change.item,
                "item_id": change.item_id,
                # An item type this version has no label for (a log row from another version) is named as logged.
                "what": ITEM_LABELS.get(change.item, change.item),
                "title": "",
                "kind": "changed",
                "label": KIND_LABELS["changed"],
                "entries": [],
                "by": [],
            },
        )
        if not change.part:
            group["kind"] = change.kind
            group["label"] = change.label
            group["title"] = change.title
        group["entries"].append(
            {
                "change": change,
                "fields": [
                    {**vars(f), "diff": word_diff(f.old, f.new) if f.field in PROSE else None} for f in change.fields
                ],
            }
        )
    _current_titles(db, groups)
    if since is not None:
        _editors_since(db, groups, since)
    return list(groups.values())


_TITLE_SQL = {
    "claim": "SELECT id, text FROM claims WHERE id IN ({})",
    "question": "SELECT id, text FROM questions WHERE id IN ({})",
    "development": "SELECT id, text FROM developments WHERE id IN ({})",
    "story": "SELECT slug, title FROM stories WHERE slug IN ({})",
}


def _current_titles(db, groups: dict) -> None:
    """Titles from the working database for groups that only have parts listed (evidence, links), and links.

    A claim, question or development is listed by the id readers know it by (tracker/public_ids.py): `working_id`
    is the editor's."""
    working = {
        item: public_ids.working_ids(db, item, [g["item_id"] for g in groups.values() if g["item"] == item])
        for item in ("claim", "question", "development")
    }
    for group in groups.values():
        if group["item"] in working:
            found = working[group["item"]]
            group["working_id"] = found.get(int(group["item_id"])) if group["item_id"].isdigit() else None
    for group in groups.values():
        if group["item"] not in _TITLE_SQL:  # an item type this version does not know: named by its logged id
            group["title"] = group["title"] or group["item_id"]
            group["exists"] = False
    for item, sql in _TITLE_SQL.items():
        keys = [g["working_id"] if item != "story" else g["item_id"] for g in groups.values() if g["item"] == item]
        keys = [key for key in keys if key is not None]
        found: dict = {}
        for start in range(0, len(keys), 500):
            chunk = keys[start : start + 500]
            found.update(db.execute(sql.format(", ".join("?" for _ in chunk)), chunk).fetchall())
        for group in groups.values():
            if group["item"] == item:
                current = found.get(group["item_id"] if item == "story" else group["working_id"])
                # No title logged and no working row: the id alone, after the type the heading already names.
                group["title"] = group["title"] or current or group["item_id"]
                group["exists"] = current is not None


def _editors_since(db, groups: dict, since: str) -> None:
    by_working = {g["working_id"]: g for g in groups.values() if g["item"] == "claim" and g["working_id"] is not None}
    claim_ids = list(by_working)
    for start in range(0, len(claim_ids), 500):
        chunk = claim_ids[start : start + 500]
        for claim_id, username in db.execute(
            f"""SELECT DISTINCT e.claim_id, u.username FROM claim_edits e LEFT JOIN users u ON u.id = e.user_id
                WHERE e.at >= ? AND e.claim_id IN ({", ".join("?" for _ in chunk)}) ORDER BY e.id""",
            [since, *chunk],
        ):
            by_working[claim_id]["by"].append(username or "the command line")
