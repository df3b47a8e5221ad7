"""The ids readers know published claims, quotes, items and events by: given once, in the order readers first see them.

A claim's working id counts every claim logged, published or not, so readers
were never shown it: the gaps between /public/claims/57 and /public/claims/60
said how many claims the newsroom held back, and when (the evidence
table's, how many quotes were gathered for them). The public build
(tracker/public_tables.py, PREPARE) numbers each published claim with no
public id yet after the highest ever given; a publish records those just
before its file reaches readers (tracker/publish.py), and the table refuses
any change or removal (migration 0036), so an address readers bookmarked,
subscribed to or were sent in an alert opens the same claim in every later
publish, and a withdrawn claim's id is never given to another. A quote
(kind 'evidence'), a coverage item (kind 'coverage', whose working ids
counted every item collected) and an archived copy (kind 'archived_copy':
a capture's, every page and file kept), a ruling (kind 'ruling', whose
working ids counted the rulings on held claims), a key question (kind 'question') and a
development (kind 'development', whose working ids counted every one written, published or not)
are numbered the same way (migration 0039). Claims, quotes and
items stored before 0036 kept their working id as their public id.

A timeline event (kind 'event', migration 0040) is numbered the same way, under the row it records
(event_key): events are built by each publish and stored nowhere else, and were numbered afresh in time
order, so an event earlier than the last one readers had moved every later address. The new ones of a
publish are numbered in time order; the timeline is read in that order by the public events table's
`position`, not by id.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Mapping

import sqlite_utils

from tracker.db import transaction

# Ids asked for per statement: well under SQLite's limit on bound parameters.
CHUNK = 500

# The rows a timeline event records, in the order their number is kept in an event's key (event_key).
EVENT_SOURCES = ("claim", "evidence", "revision", "ruling")


def event_key(source: str, working_id: str) -> str:
    """The SQL of an event's key in public_ids (kind 'event'): the working id of the row it records (SQL),
    times the number of EVENT_SOURCES, plus that row's place among them, so a claim's first report (`claim`),
    a statement cited by one piece of evidence (`evidence`), a statement's revision (`revision`) and a ruling
    (`ruling`) never share a key, whatever their working ids. Kept in the working database only, never published.

    A key rather than a number derived from the public ids of what an event records: a revision has no public
    id (its working one counts every revision collected), and every address readers had would have changed."""
    return f"(({working_id}) * {len(EVENT_SOURCES)} + {EVENT_SOURCES.index(source)})"


# The rows of a kind a publish shows readers, for the kinds whose new ids the editor's review names (next_ids):
# published claims, every ruling of one, and published questions and developments.
PUBLISHED = {
    "claim": "SELECT c.id FROM {schema}claims c WHERE c.published = 1",
    "ruling": "SELECT h.id FROM {schema}status_history h JOIN {schema}claims c ON c.id = h.claim_id "
    "WHERE c.published = 1",
    # An answered published question and a published development, of a story readers see (one with a published
    # claim: the public stories table's rule).
    "question": "SELECT q.id FROM {schema}questions q WHERE q.published = 1 AND trim(q.answer) != '' "
    "AND EXISTS (SELECT 1 FROM {schema}claims c WHERE c.story_id = q.story_id AND c.published = 1)",
    "development": "SELECT d.id FROM {schema}developments d WHERE d.published = 1 "
    "AND EXISTS (SELECT 1 FROM {schema}claims c WHERE c.story_id = d.story_id AND c.published = 1)",
}


def next_ids(kind: str, schema: str = "") -> str:
    """The SQL of (working id, public id) for each published row of `kind` (PUBLISHED) readers have not been given an
    id for: the ids after the highest ever given, in the order the rows were made. `schema` is "src." in the build.

    The build numbers claims and rulings with it, and the editor's review of a publish reads it to tell which claim
    a new public id will be, so both give the same answer."""
    rows = PUBLISHED[kind].format(schema=schema)
    return f"""SELECT n.id, (SELECT coalesce(max(public_id), 0) FROM {schema}public_ids WHERE kind = '{kind}')
                      + row_number() OVER (ORDER BY n.id)
               FROM ({rows}) n
               WHERE NOT EXISTS (SELECT 1 FROM {schema}public_ids p WHERE p.kind = '{kind}' AND p.id = n.id)"""


def kept_ids(kind: str, schema: str = "") -> str:
    """The SQL of (working id, public id) for each published row of `kind` (PUBLISHED) already given one; with
    next_ids, every row a publish shows readers, each with the id they know it by."""
    rows = PUBLISHED[kind].format(schema=schema)
    return f"""SELECT n.id, p.public_id FROM ({rows}) n
               JOIN {schema}public_ids p ON p.kind = '{kind}' AND p.id = n.id"""


def record(db: sqlite_utils.Database, given: dict[str, Iterable[tuple[int, int]]]) -> None:
    """Keep the (working id, public id) pairs a build gave, per kind, in one transaction; kept ones stay as they are.

    One statement per kind, the pairs handed over as one JSON array: the first publish after an upgrade keeps
    700,000 ids at 100,000 claims, and a statement per pair cost seconds of Python. Each is also marked unseen
    (public_ids_unseen, migration 0046) until seen() is told a file showing it reached readers, or the next publish
    finds it in the file in place (seen_in): the withdrawn lists (tracker/public_tables.py) name only ids readers
    were shown."""
    per_kind = {kind: [[working, public] for working, public in rows] for kind, rows in given.items()}
    if not any(per_kind.values()):
        return
    with transaction(db):
        for kind, pairs in per_kind.items():
            if pairs:
                params = {"kind": kind, "pairs": json.dumps(pairs)}
                # Only the ids given now are unseen: one kept before was shown by the publish that gave it.
                db.conn.execute(
                    """INSERT OR IGNORE INTO public_ids_unseen (kind, id)
                       SELECT :kind, p.value ->> 0 FROM json_each(:pairs) p
                       WHERE NOT EXISTS (SELECT 1 FROM public_ids WHERE kind = :kind AND id = p.value ->> 0)""",
                    params,
                )
                db.conn.execute(
                    """INSERT INTO public_ids (kind, id, public_id)
                       SELECT :kind, p.value ->> 0, p.value ->> 1 FROM json_each(:pairs) p
                       WHERE NOT EXISTS (SELECT 1 FROM public_ids WHERE kind = :kind AND id = p.value ->> 0)""",
                    params,
                )


def seen(db: sqlite_utils.Database, shown: dict[str, Iterable[int]]) -> None:
    """Note that readers now have a file showing these rows (working ids, per kind): their ids are no longer unseen.

    Called once a publish's swap is done, with the ids it gave and the unseen ones its file showed again."""
    per_kind = {kind: list(ids) for kind, ids in shown.items()}
    if not any(per_kind.values()):
        return
    with transaction(db):
        for kind, ids in per_kind.items():
            if ids:
                db.conn.execute(
                    "DELETE FROM public_ids_unseen WHERE kind = ? AND id IN (SELECT value FROM json_each(?))",
                    (kind, json.dumps(ids)),
                )


def seen_in(db: sqlite_utils.Database, public: sqlite3.Connection, tables: Mapping[str, str]) -> int:
    """Note as seen each unseen id the public file in place holds (`public`, a connection to it; `tables`: each
    kind's public table there, whose `id` is that kind's public id); how many.

    What readers were shown is what that file holds, whoever swapped it in: a publish killed after its swap and
    before seen() left the ids it gave unseen, and a claim of them withdrawn before the next publish was not
    listed as withdrawn (its address answered 404, not 410). The next publish asks the file first, so a kill at
    any point leaves the state the file says. Reads nothing from it when no id is unseen, as after every publish
    that ran to its end; raises sqlite3.Error for a file that cannot be read as a public one."""
    unseen: dict[str, dict[int, int]] = {}
    for kind, working, public_id in db.execute(
        "SELECT u.kind, u.id, p.public_id FROM public_ids_unseen u JOIN public_ids p ON p.kind = u.kind AND p.id = u.id"
    ):
        unseen.setdefault(kind, {})[public_id] = working
    if not unseen:
        return 0
    shown: dict[str, list[int]] = {}
    for kind, ids in unseen.items():
        if kind in tables:
            held = public.execute(
                f"SELECT id FROM [{tables[kind]}] WHERE id IN (SELECT value FROM json_each(?))", [json.dumps(list(ids))]
            )
            shown[kind] = [ids[public_id] for (public_id,) in held]
    seen(db, shown)
    return sum(len(ids) for ids in shown.values())


def public_id(db: sqlite_utils.Database, kind: str, working_id: int) -> int | None:
    """The id readers know an item by, or None while no publish has given it one."""
    row = db.execute("SELECT public_id FROM public_ids WHERE kind = ? AND id = ?", [kind, working_id]).fetchone()
    return row[0] if row else None


def working_ids(db: sqlite_utils.Database, kind: str, public: Iterable[int | str]) -> dict[int, int]:
    """Each public id given (as a number or its text) to the working id of its item; ids never given are left out.

    The publish review and the publish log name claims as readers see them, by public id: the editor's links and
    the alerts' lookups need the working one. A claim the next publish will give its first id is found too.
    """
    wanted = sorted({int(p) for p in public if str(p).isdigit()})
    found: dict[int, int] = {}
    for start in range(0, len(wanted), CHUNK):
        chunk = wanted[start : start + CHUNK]
        marks = ", ".join("?" for _ in chunk)
        sql = f"SELECT public_id, id FROM public_ids WHERE kind = ? AND public_id IN ({marks})"
        found.update(db.execute(sql, [kind, *chunk]))
    if kind in PUBLISHED and len(found) < len(wanted):  # rows the next publish gives their first public id
        missing = set(wanted) - set(found)
        for working, given in db.execute(next_ids(kind)):
            if given in missing:
                found[given] = working
    return found
