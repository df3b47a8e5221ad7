"""What the next publish changes for readers, field by field: the list an editor reviews before publishing.

The public file is the record of what readers see, so the changes are found
by building the next public file (tracker.publish.built) and comparing it,
table by table, with the one being served: every changed word of a claim,
its claimant and claimant type, its evidence, a question, an answer, a
development's note, a story's title. A reporter may edit anything; nothing
reaches readers until an editor publishes, and an editor publishes exactly
the list they were shown: the list has a digest, the Publish form carries the
digest of the list the editor saw, and a publish whose changes no longer
match it (someone edited in between) is refused, nothing swapped in. That is
how a newsroom's CMS works (changes to published content wait for an
editor's publish, which lists each pending change with its diff), with the
list computed from the real build, so no change can be missing from it.

Derived values (timeline events, counts, the coverage index, search tables)
follow from what is listed and are not listed themselves. A column one of
the two files does not have (an upgrade adding a public column) is not a
change for readers.
"""

from __future__ import annotations

import hashlib
import json
import re
import sqlite3
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from urllib.parse import quote

import sqlite_utils

from scrapers.timestamps import DAY, utc_offset, when
from tracker.claim_queries import READERS_KEEP_RULED_WORDING, ruled_wording_sql
from tracker.coverage import diff_opcodes
from tracker.db import TrackerError, rows
from tracker.publish import built
from tracker.vocab import CORRECTION_LABEL, DEVELOPMENT_STATE_LABELS, STATUS_LABELS


@dataclass(frozen=True)
class Tracked:
    """A public table whose rows readers see: the item they belong to and the fields an editor reviews."""

    table: str
    item: str  # "story", "claim", "question" or "development"
    key: tuple[str, ...]
    fields: tuple[str, ...]
    parent: str | None = None  # the column naming the item, for a part of one (evidence, links)
    part: str = ""  # "" for the item's own row, else what the row is: "evidence", "link"
    # (field, its precision column): a time whose source gave only its day is reviewed as that date alone
    precisions: tuple[tuple[str, str], ...] = ()
    # (field, its *_local column): a time reviewed on its source's own clock, as readers are shown it, where known
    clocks: tuple[tuple[str, str], ...] = ()


TRACKED: tuple[Tracked, ...] = (
    Tracked("stories", "story", ("slug",), ("title", "description")),
    Tracked("claims", "claim", ("id",), ("text", "claimant", "claimant_type", "status", "status_rationale")),
    Tracked(
        "evidence",
        "claim",
        ("id",),
        ("quote", "stance", "outlet", "title", "url"),
        parent="claim_id",
        part="evidence",
    ),
    Tracked("questions", "question", ("id",), ("question", "answer", "position", "stale")),
    Tracked("question_claims", "question", ("question_id", "claim_id"), ("stance",), "question_id", "link"),
    Tracked(
        "developments",
        "development",
        ("id",),
        # Its source and evidence as readers see them: an item without a web address shows only its outlet
        # and title, so relinking one to another changes no link.
        (
            "text",
            "expected_date",
            "expectation",
            "state",
            "state_note",
            "claim_id",
            "source_outlet",
            "source_title",
            "source_url",
            "evidence_outlet",
            "evidence_title",
            "evidence_url",
            "evidence_published_at",
        ),
        precisions=(("evidence_published_at", "evidence_published_precision"),),
        clocks=(("evidence_published_at", "evidence_published_local"),),
    ),
)
# What the Publish page and `publish` call each field readers see.
FIELD_LABELS = {
    "text": "Wording",
    "claimant": "Claimant",
    "claimant_type": "Claimant type",
    "status": "Status",
    "status_rationale": "Public reason",
    "quote": "Quote",
    "stance": "Stance",
    "outlet": "Outlet",
    "title": "Title",
    "url": "Link",
    "description": "Description",
    "question": "Question",
    "answer": "Answer",
    "position": "Order",
    "stale": "Possibly stale",
    "expected_date": "Expected date",
    "expectation": "Expectation",
    "state": "State",
    "state_note": "Note",
    "claim_id": "Linked claim",
    "source_outlet": "Source outlet",
    "source_title": "Source title",
    "source_url": "Source link",
    "evidence_outlet": "Evidence outlet",
    "evidence_title": "Evidence title",
    "evidence_url": "Evidence link",
    "evidence_published_at": "Evidence date",
}
# The field that names an item in the list.
TITLES = {"story": "title", "claim": "text", "question": "question", "development": "text"}
WORDING = ("text", "claimant", "claimant_type")
# What a change is called on the Publish page, a past publish's page and in `publish`'s list: one word each,
# a corrected ruling as readers see it labelled (CORRECTION_LABEL).
KIND_LABELS = {"added": "Goes public", "removed": "Withdrawn", "changed": "Changed", "correction": CORRECTION_LABEL}
# A part of an item (evidence, a linked claim): "Evidence added".
PART_KIND_LABELS = {"added": "added", "removed": "removed", "changed": "changed"}


@dataclass(frozen=True)
class FieldChange:
    field: str
    old: object
    new: object


@dataclass(frozen=True)
class Change:
    """One row readers will see added, removed or changed; `fields` holds what changed (all fields when added)."""

    item: str
    item_id: str
    kind: str  # "added", "removed" or "changed"
    part: str = ""
    part_id: str = ""
    title: str = ""
    fields: tuple[FieldChange, ...] = field(default_factory=tuple)
    # A claim's new ruling readers will see labelled "Correction": they were shown one of its rulings before.
    correction: bool = False

    def changed(self, name: str) -> FieldChange | None:
        return next((f for f in self.fields if f.field == name), None)

    @property
    def label(self) -> str:
        """What this change is called for the newsroom (KIND_LABELS, PART_KIND_LABELS). A kind with no label (a
        publish log row from another version, or edited by hand) is called a change."""
        if self.part:
            return PART_KIND_LABELS.get(self.kind, PART_KIND_LABELS["changed"])
        return KIND_LABELS.get(
            "correction" if self.correction and self.kind == "changed" else self.kind, KIND_LABELS["changed"]
        )


@dataclass
class Review:
    """The changes the next publish makes for readers, and their digest (what the Publish form carries)."""

    changes: list[Change]
    digest: str
    problem: str | None = None
    summary: dict = field(default_factory=dict)
    # Publishable claims reworded after their ruling (held_back): no change for readers, listed apart.
    held: list[dict] = field(default_factory=list)
    built: bool = True


def not_built(problem: str) -> Review:
    """A review that could not be built, and `problem`, the one line saying why. Shown as counts, its empty list read
    "0 changes in all", as if nothing were waiting, under the line saying it could not be listed."""
    return Review([], "", problem, built=False)


class ReviewChanged(TrackerError):
    """The changes differ from the list the editor reviewed; nothing was published."""

    status_code = 409

    def __init__(self, review: Review):
        self.review = review
        super().__init__(
            "What would change for readers is no longer what you reviewed (someone edited or published since): "
            "nothing was published. Review the list again."
        )


def digest(changes: list[Change]) -> str:
    text = json.dumps([asdict(c) for c in changes], sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def review(
    db: sqlite_utils.Database,
    public_path: str | Path,
    *,
    option: str | None = "--out",
    folder: str | Path | None = None,
) -> Review:
    """Build the next public file beside the served one (or in `folder`) and list what it changes for readers.

    `option` names the public file in the advice of a build that fails (None on the editor's page). `folder` is
    for a review that must leave nothing beside the public file (the editor's on a read-only database).
    """
    public = Path(public_path).absolute()
    where = Path(folder) if folder is not None else public.parent
    with built(db, where, public.name, option=option) as (tmp, summary):
        found = compare_files(public, tmp)
    found.summary = summary
    found.held = held_back(db)
    return found


def held_back(db: sqlite_utils.Database) -> list[dict]:
    """Publishable claims whose wording or claimant changed after their latest ruling, each with `line` to list.

    Readers keep the wording the editor ruled on (the public build's RULED_WORDING) until an editor rules again,
    so the new wording is no change for readers, and without this the edit would go unmentioned. Each is named
    by the id readers know it by, or its working id before a publish gave it one.
    """
    held = rows(
        db,
        f"""SELECT w.claim_id, coalesce(p.public_id, w.claim_id) AS item_id, w.text AS ruled_text, w.now_text AS text
            FROM ({ruled_wording_sql(scope="x.claim_id IN (SELECT id FROM claims WHERE published = 1)")}) w
            LEFT JOIN public_ids p ON p.kind = 'claim' AND p.id = w.claim_id ORDER BY w.claim_id""",
    )
    for claim in held:
        claim["line"] = f"claim {claim['item_id']}: {READERS_KEEP_RULED_WORDING}"
    return held


def compare_files(old_path: str | Path, new_path: str | Path) -> Review:
    """The changes from the public file at old_path (may be missing) to the one at new_path.

    A current file that cannot be read, at its opening or part-way through its rows (a damaged page of its
    claims), is compared as no file, and the review says so: publishing replaces it. Read part-way, its error
    escaped the review and the publish, and the editor's Publish said "Published" of a file never swapped in.
    An error of the new file is raised again by the comparison with no old file.
    """
    new = _open(new_path)
    old, problem = None, None
    try:
        if Path(old_path).exists():
            try:
                old = _open(old_path)
                old.execute("SELECT 1 FROM sqlite_master").fetchall()
            except sqlite3.Error as e:
                old, problem = None, _unreadable(e)
        try:
            changes = compare(old, new)
        except sqlite3.Error as e:
            if old is None:
                raise
            old.close()
            old, problem = None, _unreadable(e)
            changes = compare(None, new)
    finally:
        new.close()
        if old is not None:
            old.close()
    return Review(changes, digest(changes), problem)


def _unreadable(error: sqlite3.Error) -> str:
    return f"The current public file could not be read ({error}); publishing replaces it."


def compare(old: sqlite3.Connection | None, new: sqlite3.Connection) -> list[Change]:
    """Every tracked row added, removed or changed between two public files, in item order."""
    changes: list[Change] = []
    for tracked in TRACKED:
        new_columns = _columns(new, tracked.table)
        old_columns = _columns(old, tracked.table) if old is not None else set()
        fields = [f for f in tracked.fields if f in new_columns and (not old_columns or f in old_columns)]
        # Read in both files, or in neither (one built before the column was): an upgrade alone changes nothing.
        precisions, clocks = (
            tuple(
                (f, p) for f, p in pairs if f in fields and p in new_columns and (not old_columns or p in old_columns)
            )
            for pairs in (tracked.precisions, tracked.clocks)
        )
        before = _rows(old, tracked, old_columns, fields, precisions, clocks) if old_columns else {}
        after = _rows(new, tracked, new_columns, fields, precisions, clocks)
        for key in sorted(after.keys() - before.keys(), key=_order):
            row = after[key]
            changes.append(_change(tracked, key, "added", row, [FieldChange(f, None, row[f]) for f in fields]))
        for key in sorted(before.keys() - after.keys(), key=_order):
            row = before[key]
            changes.append(_change(tracked, key, "removed", row, [FieldChange(f, row[f], None) for f in fields]))
        for key in sorted(before.keys() & after.keys(), key=_order):
            moved = [FieldChange(f, before[key][f], after[key][f]) for f in fields if before[key][f] != after[key][f]]
            if moved:
                changes.append(_change(tracked, key, "changed", after[key], moved))
    corrected = _corrected_claims(old, new)
    changes = [
        replace(c, correction=True)
        if c.item == "claim" and not c.part and c.kind == "changed" and c.item_id in corrected
        else c
        for c in changes
    ]
    rank = {t.item: i for i, t in enumerate(TRACKED) if not t.part}
    return sorted(changes, key=lambda c: (rank[c.item], _order(c.item_id), c.part != "", c.part, _order(c.part_id)))


def _corrected_claims(old: sqlite3.Connection | None, new: sqlite3.Connection) -> set[str]:
    """The claims (their public ids) with a ruling in the new file, not in the old, that readers see labelled
    "Correction" (its is_correction, set when the ruling was made: tracker.claims.set_status)."""
    if not {"id", "claim_id", "is_correction"} <= _columns(new, "status_history"):
        return set()
    shown = (
        {i for (i,) in old.execute("SELECT id FROM status_history")}
        if old is not None and "id" in _columns(old, "status_history")
        else set()
    )
    return {
        str(claim_id)
        for ruling_id, claim_id in new.execute("SELECT id, claim_id FROM status_history WHERE is_correction")
        if ruling_id not in shown
    }


def counts(changes: list[Change]) -> dict[str, int]:
    """The publish log's figures: claims going public, withdrawn, with a new status (of which corrections),
    reworded, and the other changes."""
    claims = [c for c in changes if c.item == "claim" and not c.part]
    status = [c for c in claims if c.kind == "changed" and c.changed("status") is not None]
    text = [c for c in claims if c.kind == "changed" and any(c.changed(f) for f in WORDING)]
    counted = {id(c) for c in claims if c.kind in ("added", "removed")} | {id(c) for c in status + text}
    return {
        "added": sum(c.kind == "added" for c in claims),
        "removed": sum(c.kind == "removed" for c in claims),
        "status": len(status),
        "corrections": sum(c.label == KIND_LABELS["correction"] for c in claims),
        "text": len(text),
        # Everything the figures above leave out (evidence, questions, developments, the story, a claim's other
        # fields), so the Publish page's figures account for its "changes in all".
        "other": sum(id(c) not in counted for c in changes),
    }


def edits_to_public_items(changes: list[Change]) -> list[Change]:
    """Changes to items readers already see (as opposed to items going public or withdrawn)."""
    new_or_gone = {(c.item, c.item_id) for c in changes if not c.part and c.kind in ("added", "removed")}
    return [c for c in changes if (c.item, c.item_id) not in new_or_gone]


def worded(field: str, value: object) -> str | None:
    """A value as a person reads it, the same on the Publish page and in `publish`'s list; None for one shown as
    it is (free text, a link, a number). A flag is yes or no, a state or status its label, a time a date."""
    if field == "stale":
        return "yes" if value and str(value) != "0" else "no"
    if value is None or value == "":
        return None
    if field == "state":
        return DEVELOPMENT_STATE_LABELS.get(str(value), str(value))
    if field in ("status", "to_status"):
        return STATUS_LABELS.get(str(value), str(value))
    if field == "evidence_published_at":  # on the clock its value is written with (a *_local column's), else UTC
        return when(str(value), None, utc_offset(str(value)))
    return None


def one_line(change: Change, width: int = 70) -> str:
    """A change as one line for the command line: `~ claim 12: Claimant: 'A' -> 'B'; Status: Unclear -> Confirmed`."""

    def short(name: str, value: object) -> str:
        if (words := worded(name, value)) is not None:
            return words
        if value is None or value == "":
            return "(empty)"
        text = " ".join(str(value).split())
        return repr(text if len(text) <= width else text[: width - 1] + "…")

    mark = {"added": "+", "removed": "-", "changed": "~"}[change.kind]
    what = f"{change.item} {change.item_id}" + (f" {change.part} {change.part_id}" if change.part else "")
    verb = change.label.lower()
    if change.kind != "changed":
        return f"{mark} {what} {verb}" + (f": {short('title', change.title)}" if change.title else "")
    moved = "; ".join(
        f"{FIELD_LABELS.get(f.field, f.field)}: {short(f.field, f.old)} -> {short(f.field, f.new)}"
        for f in change.fields
    )
    return f"{mark} {what} {verb}: {moved}"


def word_diff(old: object, new: object) -> list[tuple[str, str]]:
    """[(op, text)] with op "same", "del" or "ins": what an editor reads as the change to a text.

    Between the words both texts start and end with, a passage written anew (eight words or more, fewer than a
    third of them kept) is the old one struck out whole, then the new one: marked word by word, the few words
    they share interleave the two and neither can be read.
    """
    before, after = re.findall(r"\S+|\s+", str(old or "")), re.findall(r"\S+|\s+", str(new or ""))
    opcodes = diff_opcodes(before, after)
    lead = opcodes[:1] if opcodes and opcodes[0][0] == "equal" and opcodes[0][1] == 0 else []
    tail = (
        opcodes[-1:] if len(opcodes) > len(lead) and opcodes[-1][0] == "equal" and opcodes[-1][2] == len(before) else []
    )
    middle = opcodes[len(lead) : len(opcodes) - len(tail)]
    if middle:
        i1, i2, j1, j2 = middle[0][1], middle[-1][2], middle[0][3], middle[-1][4]
        kept = sum(not w.isspace() for op, a1, a2, _, _ in middle if op == "equal" for w in before[a1:a2])
        longest = max(sum(not w.isspace() for w in before[i1:i2]), sum(not w.isspace() for w in after[j1:j2]))
        if longest >= 8 and kept * 3 < longest:
            out = [("same", "".join(before[:i1]))] if i1 else []
            out += [("del", "".join(before[i1:i2])), ("ins", "".join(after[j1:j2]))]
            return out + ([("same", "".join(before[i2:]))] if i2 < len(before) else [])
    out: list[tuple[str, str]] = []
    for op, i1, i2, j1, j2 in opcodes:
        if op == "equal":
            out.append(("same", "".join(before[i1:i2])))
            continue
        if i2 > i1:
            out.append(("del", "".join(before[i1:i2])))
        if j2 > j1:
            out.append(("ins", "".join(after[j1:j2])))
    return out


def from_log(entries: object) -> list[Change]:
    """Changes as the publish log stored them (older entries: {"id", "change"} for claims only).

    A row from another version, or edited by hand, never fails: a key this version does not know is left out, a
    value is read as text, and what is not a change at all (not an object, no item or no id) is skipped.
    """
    changes = []
    for entry in entries if isinstance(entries, list) else ():
        if not isinstance(entry, dict):
            continue
        if "item" in entry:
            if entry.get("item_id") in (None, ""):
                continue
            fields = tuple(
                FieldChange(str(f.get("field") or ""), f.get("old"), f.get("new"))
                for f in (entry["fields"] if isinstance(entry.get("fields"), list) else ())
                if isinstance(f, dict)
            )
            changes.append(
                Change(
                    str(entry["item"]),
                    str(entry["item_id"]),
                    str(entry.get("kind") or "changed"),
                    str(entry.get("part") or ""),
                    str(entry.get("part_id") or ""),
                    str(entry.get("title") or ""),
                    fields,
                    entry.get("correction") is True,
                )
            )
            continue
        kind = {"added": "added", "removed": "removed"}.get(str(entry.get("change")), "changed")
        fields: tuple[FieldChange, ...] = ()
        if entry.get("change") == "status":
            fields = (FieldChange("status", entry.get("from"), entry.get("to")),)
        elif entry.get("change") == "text":
            fields = (FieldChange("text", None, None),)
        changes.append(Change("claim", str(entry.get("id")), kind, fields=fields))
    return changes


def logged_changes(text: str | None) -> list[Change]:
    """The changes a publish log row holds (its `changes` column); none for one that is not JSON."""
    try:
        return from_log(json.loads(text or "[]"))
    except ValueError:
        return []


def _change(tracked: Tracked, key: tuple, kind: str, row: dict, fields: list[FieldChange]) -> Change:
    part_id = "/".join(str(k) for k in key) if tracked.part else ""
    item_id = str(row[tracked.parent]) if tracked.parent else str(key[0])
    title = "" if tracked.part else str(row.get(TITLES[tracked.item]) or "")
    return Change(tracked.item, item_id, kind, tracked.part, part_id, title, tuple(fields))


def _order(value) -> tuple:
    text = str(value[0] if isinstance(value, tuple) else value)
    return (0, int(text), "") if text.isdigit() else (1, 0, text)


def _open(path: str | Path) -> sqlite3.Connection:
    return sqlite3.connect(f"file:{quote(str(Path(path).absolute()))}?mode=ro", uri=True)


def _columns(conn: sqlite3.Connection | None, table: str) -> set[str]:
    if conn is None:
        return set()
    return {row[1] for row in conn.execute("SELECT * FROM pragma_table_info(?)", [table])}


def _rows(
    conn: sqlite3.Connection,
    tracked: Tracked,
    columns: set[str],
    fields: list[str],
    precisions: tuple[tuple[str, str], ...] = (),
    clocks: tuple[tuple[str, str], ...] = (),
) -> dict[tuple, dict]:
    """Each row's key and fields; a time of `precisions` whose source gave only its day as that date alone, a time
    of `clocks` on its source's own clock where its *_local column has it (what readers are shown), else in UTC."""
    parent = [tracked.parent] if tracked.parent else []
    extra = [*(p for _, p in precisions), *(c for _, c in clocks)]
    wanted = list(dict.fromkeys([*tracked.key, *parent, *fields, *extra]))
    if not set(wanted) <= columns:
        return {}
    cursor = conn.execute(f"SELECT {', '.join(f'[{c}]' for c in wanted)} FROM [{tracked.table}]")
    found = {}
    for values in cursor:
        row = dict(zip(wanted, values))
        days = {name for name, precision in precisions if row.pop(precision) == DAY and row[name]}
        for name, clock in clocks:  # a day as written is that day on any clock
            if (shown := row.pop(clock)) and row[name] and name not in days:
                row[name] = shown
        for name in days:
            row[name] = str(row[name])[:10]
        found[tuple(row[k] for k in tracked.key)] = row
    return found
