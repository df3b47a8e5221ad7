"""Which stages of the live demo have been reached, and when: the demo_stages table (migration 0015).

The demo runner reaches the first stage when it starts and each next one
once its `after` seconds have passed since the previous stage began; the
editor's "Next stage" button reaches the next one at once. Each stage is a
row inserted once (its number is the key), so a button press and the timer
racing for the same stage reach it once.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlite_utils

from scrapers.schedule import later
from scrapers.timestamps import parse_time
from tracker.db import now, rows, transaction
from tracker.livedemo.world import Stage, World


@dataclass(frozen=True)
class Progress:
    """Where the live story stands: the stage reached (0: not started) and when each began."""

    stage: int
    reached: dict[int, str]
    current: Stage | None
    next: Stage | None
    next_at: str | None  # when the timer reaches the next stage

    @property
    def finished(self) -> bool:
        return self.current is not None and self.next is None


def reached(db: sqlite_utils.Database) -> dict[int, str]:
    """Stage number -> when it was reached."""
    return {r["stage"]: r["reached_at"] for r in rows(db, "SELECT stage, reached_at FROM demo_stages ORDER BY stage")}


def progress(db: sqlite_utils.Database, world: World, pace: float = 1.0) -> Progress:
    """Where the story stands; next_at is None when the timer will not move it (the end, or pace 0)."""
    times = reached(db)
    stage = max(times, default=0)
    current = world.stages[stage - 1] if stage else None
    following = world.stages[stage] if stage < world.last_stage else None
    next_at = later(times[stage], following.after * pace) if following is not None and stage and pace > 0 else None
    return Progress(stage, times, current, following, next_at)


def advance(
    db: sqlite_utils.Database, world: World, how: str, at: str | None = None, after: int | None = None
) -> int | None:
    """Reach the next stage now; returns its number, or None when the story is already at its end.

    `after`: the stage the story was at when the button was pressed. Past it already (the same press sent twice,
    or the timer first), nothing moves and None is returned: a double click skipped a stage.
    """
    with transaction(db):
        stage = db.execute("SELECT coalesce(max(stage), 0) FROM demo_stages").fetchone()[0]
        if stage >= world.last_stage or (after is not None and stage != after):
            return None
        db.execute(
            "INSERT INTO demo_stages (stage, reached_at, reached_by) VALUES (?, ?, ?)",
            [stage + 1, at or now(), "start" if stage == 0 else how],
        )
    return stage + 1


def advance_if_due(db: sqlite_utils.Database, world: World, at: str | None = None, pace: float = 1.0) -> int | None:
    """The timer: reach the first stage, or the next once its time has come; the stage reached, or None.

    pace stretches (2: twice as slow) or shrinks each stage's wait; 0 stops the timer after the first
    stage, so only the Next stage button moves the story (a presenter, a test).
    """
    at = at or now()
    state = progress(db, world, pace)
    if state.stage == 0:
        return advance(db, world, "start", at)
    if state.next_at is None or parse_time(state.next_at) > parse_time(at):
        return None
    return advance(db, world, "timer", at)
