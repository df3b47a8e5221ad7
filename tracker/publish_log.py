"""The publish log: every publish, from the editor or the command line, with what it changed for readers.

What changed is found by tracker.publish_review, comparing the file about to
be swapped in with the one readers saw. Both the editor's "Publish now" and
`python -m tracker publish` go through publish_and_log, so the log on the
editor's publish page is complete, and both refuse changes nobody reviewed.

The log row is written before the swap, marked pending (pending_out names
the public file), and the new file carries the row's id in its header
(PRAGMA user_version). A publish killed after its swap, before it could
clear the mark, is then told from one killed before: the next publish of
that file (or `serve` starting) reads the id in the file readers see, keeps
the row whose id it is as a publish, with its alert, and drops the others.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
from dataclasses import asdict
from pathlib import Path

import sqlite_utils

from tracker import public_ids
from tracker import publish as build
from tracker.alerts import events
from tracker.db import TrackerError, now, path_of, read_only_uri, stopping_error, storage_error, transaction, writable
from tracker.publish_review import Change, Review, ReviewChanged, compare_files, counts, from_log

MAX_LOGGED_CHANGES = 500


def refuse_unlogged(db_path: str, out: str | Path, *, outcome: str, then: str) -> None:
    """Refuse, before the public file is touched, to build the file readers see from a working database that
    cannot be written: `publish` to it, and `serve` finding none yet to serve.

    That publish is logged (the editor's Publish page, its alert) and keeps the public ids it gives
    (tracker/public_ids.py) in the working database: swapped in without them, readers' ids were given again
    to other claims by the next publish, and nobody could see it had happened. A copy elsewhere (publish
    --out) is no file readers are pointed at, and is still built ("Not logged"). `outcome` says what did
    not happen, `then` what to run once the database takes writes.
    """
    why = "is read-only" if not writable(db_path) else "cannot be written (its disk is full)"
    raise TrackerError(
        f"{db_path} {why}, so {outcome}: a publish to the public file readers see is logged and keeps the public "
        "ids it gives in the working database. Make the database writable (or remount its disk read-write, or "
        f"free some space), then {then}."
    )


def publish_and_log(
    db: sqlite_utils.Database,
    out_path: str | Path,
    user: dict | None = None,
    *,
    reviewed: str | None = None,
    option: str | None = "--out",
) -> tuple[dict, int, list[Change]]:
    """Build the public file, swap it in and log what it changed; (build summary, log id, changes).

    `user` is the signed-in editor, or None for the command line (the log
    shows "command line"). `reviewed` is the digest of the change list the
    person publishing was shown (publish_review.Review.digest): when the
    build would change anything else, ReviewChanged is raised with the
    current list and nothing is swapped in. None publishes whatever the build
    holds (a first publish, or the command line's --yes). `option` names the
    public file in the advice of a failed publish (build.publish). A failed build
    raises before anything is logged; a log that cannot be written stops the
    publish before the swap (build.PublishError).
    """
    out = _out_key(out_path)
    seen: dict[str, Review] = {}
    log_ids: list[int] = []

    def check(new_file: Path, given: dict[str, list[tuple[int, int]]]) -> None:
        found = compare_files(out_path, new_file)
        if reviewed is not None and found.digest != reviewed:
            raise ReviewChanged(found)
        seen["review"] = found
        # The publish lock is held here, so a pending row of this file is a killed publish's, not a running one's.
        conn = sqlite3.connect(new_file, isolation_level=None)
        try:
            try:
                settle_interrupted(db, out, locked=True)
                claims = conn.execute("SELECT count(*) FROM claims").fetchone()[0]
                # The file names rulings as readers know them (tracker/public_ids.py), public_rulings by working id:
                # those given their first public id by this build are not kept yet, so the build says which they are.
                rulings = [public for (public,) in conn.execute("SELECT id FROM status_history")]
                new = {public: working for working, public in given.get("ruling", ())}
                shown = [new[public] for public in rulings if public in new] + list(
                    public_ids.working_ids(db, "ruling", [public for public in rulings if public not in new]).values()
                )
                log_ids.append(_log_pending(db, out, claims, found.changes, user, shown, reviewed))
            except sqlite3.Error as e:
                # A full or read-only disk, or a lock another program keeps (a sqlite3 shell inside a change):
                # which file and what to do, as every command says them.
                storage = stopping_error(e, path_of(db))
                raise build.PublishError(
                    f"Nothing was published and {out} was left unchanged: the publish log could not be written. "
                    f"{storage or e}"
                ) from None
            try:
                conn.execute(f"PRAGMA user_version = {log_ids[0]}")  # the new file says which row it is
            except sqlite3.Error as e:  # a write to the public file's disk, as the swap's are
                storage = storage_error(e, out)
                raise build.PublishError(f"Publishing failed and {out} was left unchanged. {storage or e}") from None
        finally:
            conn.close()

    settle_other_files(db, out)
    try:
        summary = build.publish(db, out_path, before_swap=check, option=option)
    except BaseException:
        if log_ids:
            # The swap failed (or was interrupted): the file readers see says whether it happened after all.
            with contextlib.suppress(sqlite3.Error, OSError):
                settle_interrupted(db, out, locked=False)
        raise
    log_id = log_ids[0]
    changes = seen["review"].changes
    _settle(db, log_id, at=now())
    return summary, log_id, changes


def published_already(db: sqlite_utils.Database, user: dict, reviewed: str) -> int | None:
    """The publish this person made of the list whose digest is `reviewed` (its log row's id), if they made one.

    The Publish form sent twice (a double click) carries the digest of a list the first send published: the
    second is refused as ReviewChanged, and this says it went out instead of "someone changed it since".
    """
    row = db.execute(
        "SELECT id FROM publish_log WHERE user_id = ? AND reviewed = ? ORDER BY id DESC LIMIT 1", [user["id"], reviewed]
    ).fetchone()
    return row[0] if row else None


def settle_other_files(db: sqlite_utils.Database, out: str) -> None:
    """Settle what killed publishes of other public files than `out` left pending, before a publish of `out`.

    The ids a publish killed after its swap gave are in its file, not yet noted as seen: a claim of them withdrawn
    since must be in every file's withdrawn lists (410, not 404), and a publish of another file (`--out` a
    replica's) would not find them in its own. Each other file's lock is taken and let go before `out`'s is
    taken, never both at once, so two publishes of two files cannot wait on each other. A file that cannot be
    read now (moved, its disk gone) keeps its rows pending for the next publish of it, or of any file, to settle.
    """
    others = {
        key
        for (pending_out,) in db.execute("SELECT pending_out FROM publish_log WHERE pending_out IS NOT NULL")
        if (key := _out_key(pending_out)) != out
    }
    for other in sorted(others):
        with contextlib.suppress(sqlite3.Error, OSError):
            settle_interrupted(db, other)


def settle_interrupted(db: sqlite_utils.Database, out_path: str | Path, *, locked: bool = False) -> int:
    """Settle the log rows killed publishes of out_path left pending; how many were readers' publishes.

    The row whose id the public file carries was swapped in: it is kept as a
    publish (and its alert recorded). Any other pending row's file never
    reached readers, so the row goes. `locked`: the caller holds the public
    file's publish lock (a running publish's row must not be judged); else
    it is taken here. Unreadable, the file leaves the rows as they are.
    """
    out = _out_key(out_path)
    # Compared as real paths, not in SQL: a row written before keys were real paths may name the file by a link.
    pending = [
        log_id
        for log_id, pending_out in db.execute(
            "SELECT id, pending_out FROM publish_log WHERE pending_out IS NOT NULL ORDER BY id"
        )
        if _out_key(pending_out) == out
    ]
    if not pending:
        return 0
    if not locked:
        with build.publish_lock(Path(out)):
            return settle_interrupted(db, out, locked=True)
    try:
        in_place = _carried_id(Path(out))
    except (sqlite3.Error, OSError):
        return 0
    # The ids the file in place shows are seen, whichever publish put them there (tracker/public_ids.py).
    build.note_shown(db, Path(out))
    kept = 0
    for log_id in pending:
        if log_id == in_place:
            _settle(db, log_id, at=None)
            kept += 1
        else:
            with transaction(db):
                db.execute("DELETE FROM publish_log WHERE id = ? AND pending_out IS NOT NULL", [log_id])
    return kept


def _log_pending(
    db: sqlite_utils.Database,
    out: str,
    claims: int,
    changes: list[Change],
    user: dict | None,
    shown: list[int],
    reviewed: str | None = None,
) -> int:
    """Write the log row of a publish about to be swapped in, marked pending; its id.

    `shown` are the ids of the rulings the new file holds: those not shown
    before are recorded with this row (public_rulings), so they count as
    shown to readers once the row is settled, and go with it if it is
    dropped (tracker.claims.readers_shown_a_ruling).
    """
    figures = counts(changes)
    recorded = {history_id for (history_id,) in db.execute("SELECT history_id FROM public_rulings")}
    with transaction(db):
        cur = db.execute(
            """INSERT INTO publish_log
                   (at, user_id, claims, added, removed, status_changed, text_changed, changes, pending_out,
                    reviewed)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            [
                now(),
                user["id"] if user else None,
                claims,
                figures["added"],
                figures["removed"],
                figures["status"],
                figures["text"],
                json.dumps([asdict(c) for c in changes[:MAX_LOGGED_CHANGES]], default=str, ensure_ascii=False),
                out,
                reviewed,
            ],
        )
        db.conn.executemany(
            "INSERT OR IGNORE INTO public_rulings (history_id, publish_id) VALUES (?, ?)",
            [(history_id, cur.lastrowid) for history_id in shown if history_id not in recorded],
        )
    return int(cur.lastrowid)


def _settle(db: sqlite_utils.Database, log_id: int, *, at: str | None) -> None:
    """Mark a pending row as a publish readers saw, with its alert, in one transaction."""
    with transaction(db):
        row = db.execute(
            """SELECT p.claims, p.added, p.removed, p.status_changed, p.text_changed, u.id, u.username, p.changes
               FROM publish_log p LEFT JOIN users u ON u.id = p.user_id WHERE p.id = ? AND p.pending_out IS NOT NULL""",
            [log_id],
        ).fetchone()
        if row is None:
            return
        claims, added, removed, status, text, user_id, username, changes = row
        db.execute("UPDATE publish_log SET pending_out = NULL, at = coalesce(?, at) WHERE id = ?", [at, log_id])
        logged = json.loads(changes or "[]")
        # Of the new rulings, the corrections, counted from the changes logged (as the past publishes page does).
        corrections = counts(from_log(logged))["corrections"]
        figures = {"added": added, "removed": removed, "status": status, "text": text, "corrections": corrections}
        user = {"id": user_id, "username": username} if user_id is not None else None
        events.published(db, log_id, figures, claims, user, logged)


def reached_readers(log_id: int, pending_out: str) -> bool:
    """Whether the publish of a pending row (pending_out: its public file) is what readers see now.

    The file readers see carries the id of the last publish swapped into it:
    a row still pending whose id it is was swapped in, by a publish killed
    before it could settle its row (or settling it this moment). Read only,
    without the publish lock: a running publish carries the old id until
    its swap commits, and readers see the new file from that moment too.
    """
    try:
        conn = sqlite3.connect(read_only_uri(pending_out), uri=True, timeout=30)
    except sqlite3.Error:
        return False
    try:
        return conn.execute("PRAGMA user_version").fetchone()[0] == log_id
    except sqlite3.Error:  # no file there (moved, never made), or one that cannot be read
        return False
    finally:
        conn.close()


def _carried_id(out: Path) -> int | None:
    """The log id the public file readers see carries (0 or None: none, or no file)."""
    if not out.exists():
        return None
    conn = sqlite3.connect(out, timeout=30)
    try:
        return conn.execute("PRAGMA user_version").fetchone()[0]
    finally:
        conn.close()


def _out_key(out_path: str | Path) -> str:
    """The public file's real path, as its publish lock has it, so a pending row is found by the next publish of
    that file whatever name it is given (a symlink, a linked folder)."""
    return str(build.real_path(out_path))
