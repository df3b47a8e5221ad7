"""Copies of one text across outlets (wire stories, syndication) grouped as one cluster.

Ten outlets running the same agency copy are one report, not ten: later
work (claim counts, "independent sources") needs to tell echoes from
independent reporting. Canonical URLs catch the same page under several
addresses; this catches the same text under several outlets.

The measure is MinHash over the word 5-shingles of a text's first 800
words, in its bottom-k form: one hash per shingle, keep the K smallest. The
sketches of two texts estimate their Jaccard similarity. Each item keeps its
whole sketch (coverage.sketch, K packed integers); only its INDEXED smallest
values go in the lookup table (coverage_sketches), since near-duplicates
share many of their smallest hashes: candidates are an index lookup on those
few values rather than a comparison with every item, and are then compared
on their whole sketches. A shortened copy (the agency text cut to its first
paragraphs) is caught by containment: most of the short text's shingles are
in the long one.

Ingest stores a sketch with every new text, so the lookup table's writes
are most of clustering's cost: each value lands on a random page of the
index. Half the values, in one WITHOUT ROWID table keyed on what the lookup
reads, halve those pages; the candidates' recall barely moves, because the
threshold (MIN_SHARED) scales with them.

cluster_id is the smallest coverage id in the cluster, stable as members
join; which member is the original (earliest published, then first seen) is
computed when read, so a late-arriving earlier copy takes its place.
"""

from __future__ import annotations

import itertools
import re
import struct
import zlib

import sqlite_utils

from tracker.db import rows, transaction

K = 32  # hashes kept per text
SHINGLE = 5  # words per shingle
MAX_WORDS = 800  # copies share their opening; a long feature costs no more to sketch than a news story
MIN_SHINGLES = 25  # texts shorter than this are too short to call copies (headlines, captions)
INDEXED = 16  # a sketch's smallest values put in the lookup table (migration 0009 kept the same number)
MIN_SHARED = 2  # indexed values two texts must share before their whole sketches are compared
JACCARD = 0.5  # estimated similarity that makes two texts copies ...
CONTAINMENT = 0.8  # ... or this share of the shorter text found in the longer one
_WORD = re.compile(r"[^\W_]+")
_MASK = (1 << 63) - 1  # SQLite integers are signed 64-bit
_MASK64 = (1 << 64) - 1
_GOLDEN = 0x9E3779B97F4A7C15


def shingles(text: str) -> set[int]:
    """Hashes of every run of SHINGLE words, case and punctuation set aside.

    CRC-32 of the shingle, spread over 63 bits by a multiplication and a
    shift: stable across processes (sketches are stored), and about four
    times cheaper than a cryptographic hash, which ingest cannot afford per
    shingle. Changing this function means recomputing every stored sketch.
    """
    words = _WORD.findall((text or "").lower())[:MAX_WORDS]
    if len(words) < SHINGLE:
        return set()
    # Each shingle is a slice of the words joined once: the same bytes as joining its SHINGLE words
    # anew, a quarter cheaper.
    joined = " ".join(words).encode("utf-8")
    sizes = map(len, words) if joined.isascii() else (len(w.encode("utf-8")) for w in words)
    starts = [0, *itertools.accumulate(size + 1 for size in sizes)]
    hashed = set()
    for i in range(len(words) - SHINGLE + 1):
        h = (zlib.crc32(joined[starts[i] : starts[i + SHINGLE] - 1]) * _GOLDEN) & _MASK64
        hashed.add((h ^ (h >> 29)) & _MASK)
    return hashed


def sketch(text: str) -> tuple[list[int], int]:
    """The K smallest shingle hashes of a text, and how many shingles it has."""
    hashed = shingles(text)
    return sorted(hashed)[:K], len(hashed)


def similarity(a: list[int], b: list[int]) -> float:
    """Estimated Jaccard similarity of two texts from their bottom-K sketches."""
    if not a or not b:
        return 0.0
    union = sorted(set(a) | set(b))[:K]
    both = set(a) & set(b)
    return sum(1 for h in union if h in both) / len(union)


def containment(jaccard: float, size_a: int, size_b: int) -> float:
    """Share of the smaller text's shingles found in the larger, from Jaccard and the two set sizes."""
    if not size_a or not size_b:
        return 0.0
    shared = jaccard * (size_a + size_b) / (1 + jaccard)
    return min(1.0, shared / min(size_a, size_b))


def is_copy(a: list[int], size_a: int, b: list[int], size_b: int) -> bool:
    if min(size_a, size_b) < MIN_SHINGLES:
        return False
    jaccard = similarity(a, b)
    return jaccard >= JACCARD or containment(jaccard, size_a, size_b) >= CONTAINMENT


def assign(db: sqlite_utils.Database, coverage_id: int, story_id: int, text: str) -> int | None:
    """Store the item's sketch and put it in the cluster of the copies it matches; returns its cluster_id.

    Called with each new revision, inside the caller's transaction. An item
    already in a cluster stays in it when its text is edited; only its
    sketch is refreshed.
    """
    values, size = sketch(text)
    keep = size >= MIN_SHINGLES
    with transaction(db):
        old, current = db.execute("SELECT sketch, cluster_id FROM coverage WHERE id = ?", [coverage_id]).fetchone()
        if old:
            indexed = unpack(old)[:INDEXED]
            db.execute(
                f"""DELETE FROM coverage_sketches
                    WHERE story_id = ? AND hash IN ({", ".join("?" for _ in indexed)}) AND coverage_id = ?""",
                [story_id, *indexed, coverage_id],
            )
        db.execute(
            "UPDATE coverage SET shingles = ?, sketch = ? WHERE id = ?",
            [size, pack(values) if keep else None, coverage_id],
        )
        if not keep:
            return current
        indexed = values[:INDEXED]
        db.conn.executemany(
            "INSERT INTO coverage_sketches (story_id, hash, coverage_id) VALUES (?, ?, ?)",
            [(story_id, h, coverage_id) for h in indexed],
        )
        candidates = db.execute(
            f"""SELECT coverage_id FROM coverage_sketches
                WHERE story_id = ? AND hash IN ({", ".join("?" for _ in indexed)}) AND coverage_id != ?
                GROUP BY coverage_id HAVING count(*) >= ? ORDER BY count(*) DESC LIMIT 50""",
            [story_id, *indexed, coverage_id, MIN_SHARED],
        ).fetchall()
        if not candidates:
            return current
        ids = [c[0] for c in candidates]
        matches = [
            (other, cluster_id)
            for other, shingles, cluster_id, theirs in db.execute(
                f"SELECT id, shingles, cluster_id, sketch FROM coverage WHERE id IN ({', '.join('?' for _ in ids)})",
                ids,
            )
            if theirs and is_copy(values, size, unpack(theirs), shingles or 0)
        ]
        if not matches:
            return current
        clusters = {cluster_id for _, cluster_id in matches if cluster_id} | ({current} if current else set())
        members = {coverage_id, *(other for other, _ in matches)}
        cluster_id = min(clusters | members)
        for old_id in clusters - {cluster_id}:
            db.execute("UPDATE coverage SET cluster_id = ? WHERE cluster_id = ?", [cluster_id, old_id])
        db.execute(
            f"UPDATE coverage SET cluster_id = ? WHERE id IN ({', '.join('?' for _ in members)})",
            [cluster_id, *members],
        )
        return cluster_id


def pack(values: list[int]) -> bytes:
    """A sketch as stored in coverage.sketch: signed 64-bit little-endian integers, smallest first."""
    return struct.pack(f"<{len(values)}q", *values)


def unpack(blob: bytes) -> list[int]:
    return list(struct.unpack(f"<{len(blob) // 8}q", blob))


def clusters(db: sqlite_utils.Database, story_id: int) -> list[dict]:
    """A story's clusters of copies, largest first; each lists its members with the original first."""
    members = rows(
        db,
        """SELECT id, cluster_id, outlet, title, canonical_url, published_at, first_seen_at
           FROM coverage WHERE story_id = ? AND cluster_id IS NOT NULL
           ORDER BY cluster_id, coalesce(published_at, first_seen_at), id""",
        [story_id],
    )
    grouped: dict[int, list[dict]] = {}
    for member in members:
        grouped.setdefault(member["cluster_id"], []).append(member)
    result = [
        {
            "cluster_id": cluster_id,
            "size": len(items),
            "original": items[0],
            "members": items,
            "outlets": sorted({i["outlet"] for i in items if i["outlet"]}),
        }
        for cluster_id, items in grouped.items()
        if len(items) > 1
    ]
    result.sort(key=lambda c: (-c["size"], c["cluster_id"]))
    return result
