"""Search snippets made in Python match what SQLite's own snippet() would show."""

from __future__ import annotations

import random
import sqlite3

import pytest

from tracker.claims import fts_query
from tracker.snippets import MARK_END, MARK_START, snippet

WORDS = (
    "the Recall would cost more. Élan café: naïve pilots fault were never told O'Brien's e-mail 2026 "
    "harbour board approved merger in secret ÜBER straße"
).split()
QUERIES = ["recall", "pilots fault", "cafe", "ÉLAN", "o'brien", "e-mail", "secret merger", "2026", "more board", "uber"]


def _texts() -> list[str]:
    rng = random.Random(11)
    texts = []
    for _ in range(400):
        text = " ".join(rng.choice(WORDS) for _ in range(rng.choice([1, 3, 8, 23, 24, 25, 30, 60])))
        if rng.random() < 0.5:
            text = f'"{text}," she said.'
        texts.append(text)
    return texts


@pytest.mark.parametrize("q", QUERIES)
def test_snippets_match_fts5_snippet(q):
    texts = _texts()
    db = sqlite3.connect(":memory:")
    db.execute("CREATE TABLE c (id INTEGER PRIMARY KEY, text TEXT)")
    db.execute("CREATE VIRTUAL TABLE f USING fts5(text, content='c')")
    db.executemany("INSERT INTO c (id, text) VALUES (?, ?)", enumerate(texts, start=1))
    db.execute("INSERT INTO f (rowid, text) SELECT id, text FROM c")
    found = db.execute(
        f"SELECT rowid, snippet(f, 0, '{MARK_START}', '{MARK_END}', '…', 24) FROM f WHERE f MATCH ?", [fts_query(q)]
    ).fetchall()
    assert found, "the query should match some texts"
    for rowid, expected in found:
        assert snippet(texts[rowid - 1], q) == expected, texts[rowid - 1]


def test_a_text_without_the_words_shows_its_start():
    text = " ".join(f"word{i}" for i in range(40))
    assert snippet(text, "absent") == " ".join(f"word{i}" for i in range(24)) + "…"
    assert snippet("Short text.", "absent") == "Short text."


def test_marks_typed_into_a_claim_cannot_open_a_highlight():
    shown = snippet(f"Plant {MARK_START}closed{MARK_END} early, the recall notice says", "recall")
    assert shown.count(MARK_START) == shown.count(MARK_END) == 1
    assert f"{MARK_START}recall{MARK_END}" in shown
