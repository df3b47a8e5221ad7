"""Echo or independent: how many outlets carry a claim, and how many of them only repeat another's report.

Ten outlets carrying a claim are not ten confirmations when nine of them
rewrote the first one's article. An outlet carries a claim when a coverage
item of it supports the claim: supporting evidence, or a candidate sentence
accepted or merged into the claim (copies of a decided sentence are merged
automatically, see tracker/candidates.py). A carrying item only repeats
another outlet's report when

- it is a copy: in the same cluster (coverage.cluster_id, tracker/clusters.py)
  as an earlier item of another outlet; a NULL cluster means no copy was found;
- or its sentence hands the claim to another outlet: "according to a report
  by X", "as first reported by X", "X first reported", "citing a report in
  X", a sentence the extractor attributes to an outlet (claimant type
  outlet), or a claim publicly attributed to an outlet other than this one.

An outlet is independent when at least one of its carrying items is; the
rest are repeating. Contradicting and context evidence do not carry a claim.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from urllib.parse import urlsplit

import sqlite_utils

from tracker.attribution import OUTLET_WORDS, split_sentences
from tracker.attribution.rules import STOP_CAPS
from tracker.db import NotFound, rows, transaction

_NAME = r"(?:[Tt]he\s+)?[A-Z][\w&.'’-]*(?:\s+(?:of\s+|for\s+|&\s+|and\s+)?[A-Z][\w&.'’-]*){0,5}"
_REPORT = r"(?:report|reports|story|stories|article|articles|investigation|reporting|analysis|interview|exclusive)"
_CUES = [
    # "according to a report by X", "according to an earlier story in X", "citing a report from X"
    re.compile(
        rf"(?i:according\s+to|citing|cited|based\s+on|as\s+detailed\s+in)\s+(?i:(?:a|an|the)\s+)?"
        rf"(?i:(?:earlier|recent|new|initial|original|exclusive|published|\w+'s)\s+)?(?i:{_REPORT})\s+"
        rf"(?i:(?:by|in|from|on|published\s+by|published\s+in|first\s+published\s+by)\s+)(?P<name>{_NAME})"
    ),
    # "as first reported by X", "first reported in X", "originally reported by X"
    re.compile(
        rf"(?i:(?:as\s+)?(?:first|originally|initially|previously|earlier|exclusively)\s+reported|as\s+reported)\s+"
        rf"(?i:by|in)\s+(?P<name>{_NAME})"
    ),
    # "X first reported", "X reported earlier" (only when X looks like an outlet)
    re.compile(
        rf"(?P<name>{_NAME})\s+(?i:(?:first|originally|initially|previously|earlier|exclusively)\s+reported"
        rf"|reported\s+(?:earlier|first|this\s+week|on\s+\w+|last\s+\w+)|(?:had\s+)?reported\s+that|broke\s+the\s+news)"
    ),
    # "a report by X said"
    re.compile(rf"(?i:(?:a|an|the)\s+)(?i:{_REPORT})\s+(?i:by|in|from)\s+(?P<name>{_NAME})"),
]
# Only "reported by X" names an outlet by itself; elsewhere X must look like one ("according to a report by
# the World Bank" is an institution's report, which the outlet reports on its own account).
_ANY_NAME = {1}
_ARTICLE = re.compile(r"^the\s+", re.I)
_WORD = re.compile(r"\w+")


def claim_sources(db: sqlite_utils.Database, claim_id: int) -> dict:
    """{"independent": N, "repeating": M, "outlets": [...]} for one claim.

    Each outlet is {"outlet", "independent", "items": [{"coverage_id", "title",
    "canonical_url", "published_at", "repeats", "why"}]}: `repeats` names the
    outlet an item repeats (None when it reports independently) and `why`
    says how that was found. Independent outlets come first, then by date.
    """
    claim = db.execute("SELECT id, story_id FROM claims WHERE id = ?", [claim_id]).fetchone()
    if claim is None:
        raise NotFound(f"No claim with id {claim_id}.")
    judged = _judged(db, claim[1], [claim_id])
    if not judged:
        return {"independent": 0, "repeating": 0, "outlets": []}
    items = judged.pop("_items")
    outlets: dict[str, dict] = {}
    for (_, coverage_id), (repeats, why) in sorted(judged.items()):
        item = items[coverage_id]
        outlet = outlets.setdefault(item["key"], {"outlet": item["outlet"], "independent": False, "items": []})
        outlet["items"].append(
            {
                "coverage_id": coverage_id,
                "title": item["title"],
                "canonical_url": item["canonical_url"],
                "published_at": item["published_at"],
                "repeats": repeats,
                "why": why,
            }
        )
        outlet["independent"] = outlet["independent"] or repeats is None
    ordered = list(outlets.values())
    for outlet in ordered:
        outlet["items"].sort(key=lambda i: (i["published_at"] or "", i["coverage_id"]))
    ordered.sort(key=lambda o: (not o["independent"], o["items"][0]["published_at"] or "", o["outlet"]))
    independent = sum(1 for o in ordered if o["independent"])
    return {"independent": independent, "repeating": len(ordered) - independent, "outlets": ordered}


def refresh(db: sqlite_utils.Database, claim_ids) -> None:
    """Recompute and store claims.independent_sources / outlets_repeating for these claims.

    Runs inside the caller's transaction (a savepoint when there is one). A
    claim no outlet carries gets NULL: its counts are unknown, not zero.
    """
    ids = sorted({int(i) for i in claim_ids if i is not None})
    if not ids:
        return
    with transaction(db):
        by_story: dict[int, list[int]] = {}
        for chunk in range(0, len(ids), 500):
            part = ids[chunk : chunk + 500]
            for claim_id, story_id in db.execute(
                f"SELECT id, story_id FROM claims WHERE id IN ({', '.join('?' for _ in part)})", part
            ):
                by_story.setdefault(story_id, []).append(claim_id)
        for story_id, story_ids in by_story.items():
            for chunk in range(0, len(story_ids), 500):
                part = story_ids[chunk : chunk + 500]
                counts = _counts(db, story_id, part)
                db.conn.executemany(
                    """UPDATE claims SET independent_sources = ?, outlets_repeating = ? WHERE id = ?
                       AND (independent_sources IS NOT ? OR outlets_repeating IS NOT ?)""",
                    [(*counts.get(c, (None, None)), c, *counts.get(c, (None, None))) for c in part],
                )


def refresh_story(db: sqlite_utils.Database, story_id: int) -> None:
    """Recompute the stored counts of every claim of a story (backfill)."""
    counts = _counts(db, story_id, None)
    with transaction(db):
        db.conn.executemany(
            """UPDATE claims SET independent_sources = ?, outlets_repeating = ? WHERE id = ?
               AND (independent_sources IS NOT ? OR outlets_repeating IS NOT ?)""",
            [
                (*counts.get(c, (None, None)), c, *counts.get(c, (None, None)))
                for (c,) in db.execute("SELECT id FROM claims WHERE story_id = ?", [story_id]).fetchall()
            ],
        )


def refresh_cluster(db: sqlite_utils.Database, coverage_id: int) -> None:
    """Recompute the claims citing the item or any copy in its cluster: its arrival can make them echoes."""
    claim_ids = [
        r[0]
        for r in db.execute(
            """WITH items AS (
                   SELECT id FROM coverage WHERE id = ?1
                   UNION SELECT id FROM coverage
                   WHERE cluster_id = (SELECT cluster_id FROM coverage WHERE id = ?1) AND cluster_id IS NOT NULL
               ), revs AS (SELECT r.id FROM revisions r WHERE r.coverage_id IN (SELECT id FROM items))
               SELECT claim_id FROM evidence WHERE revision_id IN (SELECT id FROM revs)
               UNION SELECT claim_id FROM candidates
               WHERE revision_id IN (SELECT id FROM revs) AND claim_id IS NOT NULL
                 AND state IN ('accepted', 'merged')""",
            [coverage_id],
        )
    ]
    refresh(db, claim_ids)


def _counts(db: sqlite_utils.Database, story_id: int, claim_ids: list[int] | None) -> dict[int, tuple[int, int]]:
    judged = _judged(db, story_id, claim_ids)
    if not judged:
        return {}
    items = judged.pop("_items")
    outlets: dict[int, dict[str, bool]] = {}
    for (claim_id, coverage_id), (repeats, _) in judged.items():
        seen = outlets.setdefault(claim_id, {})
        key = items[coverage_id]["key"]
        seen[key] = seen.get(key, False) or repeats is None
    result = {}
    for claim_id, seen in outlets.items():
        independent = sum(seen.values())
        result[claim_id] = (independent, len(seen) - independent)
    return result


def _judged(db: sqlite_utils.Database, story_id: int, claim_ids: list[int] | None) -> dict:
    """{(claim_id, coverage_id): (repeats, why)} for every item carrying a claim, plus "_items": the items."""
    only = ""
    params: list = [story_id]
    if claim_ids is not None:
        only = f" AND c.id IN ({', '.join('?' for _ in claim_ids)})"
        params += claim_ids
    # Claims publicly attributed to an outlet: every other outlet carrying them repeats it.
    outlet_claims = dict(
        db.execute(
            f"""SELECT c.id, c.claimant FROM claims c
                WHERE c.story_id = ? AND c.claimant_type = 'outlet' AND c.claimant != ''{only}""",
            params,
        ).fetchall()
    )
    known = _KnownOutlets(db, story_id)
    carried = _carried(db, story_id, only, params, known)
    if not carried:
        return {}
    items = _items(db, story_id, sorted({coverage_id for _, coverage_id in carried}))
    judged: dict = {}
    for (claim_id, coverage_id), cues in carried.items():
        item = items[coverage_id]
        claimant = outlet_claims.get(claim_id)
        repeats = why = None
        if item["copy_of"]:
            repeats, why = item["copy_of"], f"a copy of {item['copy_of']}'s text (same cluster)"
        elif all(cues):
            others = [c for c in cues if not _same_outlet(c, item["outlet"])]
            if len(others) == len(cues):
                repeats, why = others[0], f"attributes it to {others[0]}"
        if repeats is None and claimant and not _same_outlet(claimant, item["outlet"]):
            repeats, why = claimant, f"the claim is {claimant}'s report"
        judged[(claim_id, coverage_id)] = (repeats, why)
    judged["_items"] = items
    return judged


def _carried(db: sqlite_utils.Database, story_id: int, only: str, params: list, known) -> dict:
    """{(claim_id, coverage_id): [the outlet each carrying sentence credits, or None]}.

    Evidence is read grouped by revision, so each revision's text is read
    and split into sentences once, and only when it holds a word that could
    credit another outlet.
    """
    carried: dict[tuple[int, int], list[str | None]] = {}
    by_revision: dict[int, list[tuple[int, int, int]]] = {}
    for claim_id, revision_id, start, end in db.execute(
        f"""SELECT e.claim_id, e.revision_id, e.start, e."end" FROM evidence e
            WHERE e.claim_id IN (SELECT c.id FROM claims c WHERE c.story_id = ?{only}) AND e.stance = 'supports'""",
        params,
    ):
        by_revision.setdefault(revision_id, []).append((claim_id, start, end))
    revision_ids = sorted(by_revision)
    for chunk in range(0, len(revision_ids), 500):
        ids = revision_ids[chunk : chunk + 500]
        marks = ", ".join("?" for _ in ids)
        outlet_said: dict[int, list[tuple[int, int, str]]] = {}
        for revision_id, start, end, claimant in db.execute(
            f"""SELECT revision_id, start, "end", claimant FROM candidates
                WHERE revision_id IN ({marks}) AND claimant_type = 'outlet' AND coalesce(claimant, '') != ''""",
            ids,
        ):
            outlet_said.setdefault(revision_id, []).append((start, end, claimant))
        for revision_id, coverage_id, text in db.execute(
            f"SELECT id, coverage_id, text FROM revisions WHERE id IN ({marks})", ids
        ):
            said = outlet_said.get(revision_id)
            spans = split_sentences(text) if _may_credit(text) else None
            if not said and not spans:  # nothing here can credit another outlet
                for claim_id, _, _ in by_revision[revision_id]:
                    carried.setdefault((claim_id, coverage_id), []).append(None)
                continue
            starts = [a for a, _ in spans] if spans else []
            for claim_id, start, end in by_revision[revision_id]:
                cue = next((name for a, b, name in said or () if a < end and start < b), None)
                if cue is None and spans:
                    cue = _cited_outlet(_sentence_at(text, spans, starts, start, end), known)
                carried.setdefault((claim_id, coverage_id), []).append(cue)
    for claim_id, coverage_id, text, claimant, claimant_type in db.execute(
        f"""SELECT k.claim_id, r.coverage_id, k.text, k.claimant, k.claimant_type
            FROM candidates k JOIN claims c ON c.id = k.claim_id JOIN revisions r ON r.id = k.revision_id
            WHERE k.story_id = ?1 AND k.state IN ('accepted', 'merged') AND c.story_id = ?1{only}""",
        params,
    ):
        cue = claimant if claimant_type == "outlet" and claimant else _cited_outlet(text, known)
        carried.setdefault((claim_id, coverage_id), []).append(cue)
    return carried


def _items(db: sqlite_utils.Database, story_id: int, coverage_ids: list[int]) -> dict[int, dict]:
    """The carrying items with their outlet names and, for copies, the outlet of the earlier item they copy."""
    marks = ", ".join("?" for _ in coverage_ids)
    items = {
        i["id"]: i
        for i in rows(
            db,
            f"""SELECT id, outlet, title, canonical_url, published_at, first_seen_at, cluster_id
                FROM coverage WHERE id IN ({marks})""",
            coverage_ids,
        )
    }
    clusters = sorted({i["cluster_id"] for i in items.values() if i["cluster_id"] is not None})
    members: dict[int, list[dict]] = {}
    if clusters:
        for m in rows(
            db,
            f"""SELECT id, outlet, canonical_url, published_at, first_seen_at, cluster_id FROM coverage
                WHERE story_id = ? AND cluster_id IN ({", ".join("?" for _ in clusters)})
                ORDER BY coalesce(published_at, first_seen_at), id""",
            [story_id, *clusters],
        ):
            m["outlet"] = _outlet_name(m)
            members.setdefault(m["cluster_id"], []).append(m)
    # An item copies the cluster's earliest member of another outlet, when that member came first. Which
    # member that is depends on the item's outlet name only, so it is found once per name, looking at
    # each name's first member: a site posting one text a thousand times is not a thousand comparisons
    # with every earlier copy, at every arrival.
    firsts: dict[int, list[dict]] = {}
    for cluster_id, ms in members.items():
        by_name: dict[str, dict] = {}
        for m in ms:
            by_name.setdefault(m["outlet"], m)
        firsts[cluster_id] = list(by_name.values())  # in the members' order
    earliest: dict[tuple[int, str], dict | None] = {}
    for item in items.values():
        item["outlet"] = _outlet_name(item)
        item["key"] = _outlet_key(item["outlet"])
        item["copy_of"] = None
        if item["cluster_id"] not in firsts:
            continue
        key = (item["cluster_id"], item["outlet"])
        if key not in earliest:
            others = (m for m in firsts[item["cluster_id"]] if not _same_outlet(m["outlet"], item["outlet"]))
            earliest[key] = next(others, None)
        m = earliest[key]
        here = (item["published_at"] or item["first_seen_at"], item["id"])
        if m is not None and (m["published_at"] or m["first_seen_at"], m["id"]) < here:
            item["copy_of"] = m["outlet"]
    return items


def _outlet_name(item: dict) -> str:
    name = (item.get("outlet") or "").strip()
    if name:
        return name
    try:
        host = urlsplit(item.get("canonical_url") or "").hostname or ""
    except ValueError:
        host = ""
    return host.removeprefix("www.") or "unknown outlet"


def _outlet_key(name: str) -> str:
    return _ARTICLE.sub("", " ".join((name or "").split()).casefold()).removeprefix("www.")


def _same_outlet(a: str, b: str) -> bool:
    """One outlet under two names: "The Daily Ledger" and "Daily Ledger", or a name and its site's host."""
    ka, kb = _outlet_key(a), _outlet_key(b)
    if not ka or not kb:
        return False
    if ka == kb:
        return True
    la, lb = _site_label(ka), _site_label(kb)
    if la or lb:
        squash_a, squash_b = la or ka.replace(" ", ""), lb or kb.replace(" ", "")
        shorter, longer = sorted((squash_a, squash_b), key=len)
        return shorter == longer or (len(shorter) >= 5 and shorter in longer)
    wa, wb = set(_WORD.findall(ka)), set(_WORD.findall(kb))
    return bool(wa and wb) and (wa <= wb or wb <= wa)


def _site_label(key: str) -> str | None:
    """The first label of an outlet known only by its host: dailyledger.example -> dailyledger."""
    if " " in key or "." not in key:
        return None
    return key.split(".")[0] or None


def _cited_outlet(sentence: str | None, known=()) -> str | None:
    """The outlet a sentence credits with the report ("according to a report by X"), or None."""
    if not sentence or not _may_credit(sentence):
        return None
    for index, cue in enumerate(_CUES):
        for match in cue.finditer(sentence):
            name = _without_opening_words(match.group("name").strip(" .,;:'’"))
            if name and (index in _ANY_NAME or _looks_like_outlet(name, known)):
                return name
    return None


def _without_opening_words(name: str) -> str:
    """The name without the capitalised words a sentence opens with ("As", "Yesterday"); "" for a date.

    A name is any run of capitalised words, so "As Coastline News first reported" reads "As Coastline
    News", and "first reported in March" reads "March": neither names an outlet as written.
    """
    words = name.split()
    while words and words[0].lower() != "the" and words[0].lower() in STOP_CAPS:
        words.pop(0)
    if all(w.lower() in STOP_CAPS for w in words):
        return ""
    return " ".join(words)


# Words without which a sentence cannot credit another outlet: a cheap test before the cues.
_MAYBE = ("report", "stor", "article", "according", "citing", "cited", "broke")


def _may_credit(text: str) -> bool:
    folded = text.lower()
    return any(word in folded for word in _MAYBE)


def _looks_like_outlet(name: str, known) -> bool:
    """A newspaper-ish name ("Daily Ledger", "Reuters") or an outlet the story's coverage comes from."""
    words = re.findall(r"[\w.]+", name.lower())
    return any(w.strip(".") in OUTLET_WORDS for w in words) or any(_same_outlet(name, k) for k in known)


class _KnownOutlets:
    """The outlets of the story's coverage, read only when a sentence names someone who might be one."""

    def __init__(self, db: sqlite_utils.Database, story_id: int) -> None:
        self.db, self.story_id, self.names = db, story_id, None

    def __iter__(self):
        if self.names is None:
            self.names = [
                r[0]
                for r in self.db.execute(
                    "SELECT DISTINCT outlet FROM coverage WHERE story_id = ? AND coalesce(outlet, '') != ''",
                    [self.story_id],
                )
            ]
        return iter(self.names)


def _sentence_at(text: str, spans: list[tuple[int, int]], starts: list[int], start: int, end: int) -> str:
    """The sentence(s) of text holding text[start:end]: where the attribution of a quote usually sits."""
    first = max(0, bisect_right(starts, start) - 1)
    chosen = [(a, b) for a, b in spans[first : bisect_right(starts, end - 1) + 1] if a < end and start < b]
    if not chosen:
        return text[start:end]
    return text[chosen[0][0] : chosen[-1][1]]
