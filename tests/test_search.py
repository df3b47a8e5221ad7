"""The search rule (every word a prefix, all required) and snippets that match what SQLite's snippet() shows."""

from __future__ import annotations

import importlib.util
import random
import re
import sqlite3
from pathlib import Path

import pytest

from tracker import claim_queries
from tracker.search import MARK_END, MARK_START, NOTHING, fts_query, query_phrases, snippet

WORDS = (
    "the Recall would cost more. Élan café: naïve pilots fault were never told O'Brien's e-mail 2026 "
    "harbour board approved merger in secret ÜBER straße"
).split()
QUERIES = [
    "recall",
    "pilots fault",
    "cafe",
    "ÉLAN",
    "o'brien",
    "e-mail",
    "secret merger",
    "2026",
    "more board",
    "uber",
    # Prefixes: the start of a word finds its forms.
    "pilot",
    "rec",
    "appro secr",
    "stra",
    "naiv",
    # One-letter words: left out beside longer ones; alone, a word of its own, never a prefix.
    "e",
    "board a",
    "o brien",
]


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


def _plugin():
    plugin = Path(__file__).resolve().parent.parent / "tracker" / "public" / "plugins" / "sql_functions.py"
    spec = importlib.util.spec_from_file_location("sql_functions_for_search_rule", plugin)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize(
    "q",
    [
        "kettle tests",
        "  Kettle   ",
        'recall" OR 1',
        "AND NEAR(*",
        "o'brien e-mail",
        "naïve ÜBER straße",
        "*",
        "",
        " ".join(f"w{i}" for i in range(30)),
        "col:umn -not ^start",
        "kettle a",
        "a b",
        "snake_case x_a",
        "x\u19b0a kettle \u1cf2b",
    ],
)
def test_the_public_site_searches_by_the_same_rule(q):
    """The Datasette plugin loads without this package, so it carries a copy of fts_query; they must agree."""
    assert _plugin().fts_query(q) == fts_query(q)


def test_every_word_is_a_quoted_prefix_and_a_box_without_words_matches_nothing():
    assert fts_query("kettle tests") == '"kettle"* "tests"*'
    assert fts_query('" * - ()') == NOTHING
    assert len(fts_query(" ".join(f"w{i}" for i in range(30))).split()) == 16


def test_each_word_counts_once_and_a_word_another_starts_adds_nothing():
    assert fts_query("kettle Kettle KETTLE") == '"kettle"*'
    assert fts_query("kettle kettles test") == '"kettles"* "test"*'
    assert fts_query("naïve naive") == '"naïve"*'
    assert fts_query("kettle " * 20 + "recall") == '"kettle"* "recall"*'
    assert query_phrases("kettle kettle tests") == [["kettle"], ["tests"]]


def test_a_one_letter_word_counts_only_alone_and_then_as_itself():
    """`"a"*` is every word starting with a: the index merges thousands of lists of matches (0.4-0.8 s on the
    public site), to narrow a search by almost nothing. Beside a longer word it is left out; alone it is
    the word itself."""
    assert fts_query("kettle a") == '"kettle"*'
    assert fts_query("O'Brien") == '"Brien"*'
    assert fts_query("plan B") == '"plan"*'
    assert fts_query("a") == '"a"'
    assert fts_query("x Y") == '"x" "Y"'
    assert query_phrases("kettle a") == [["kettle"]]
    assert snippet("a apple", "a") == f"{MARK_START}a{MARK_END} apple"


def test_a_one_letter_search_finds_the_word_and_beside_others_changes_nothing():
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE VIRTUAL TABLE f USING fts5(t)")
    texts = ["Plan B was approved", "an apple a day", "the board approved plan C", "apples approved"]
    conn.executemany("INSERT INTO f(t) VALUES (?)", [(t,) for t in texts])

    def found(q: str) -> list[str]:
        return [r[0] for r in conn.execute("SELECT t FROM f WHERE f MATCH ? ORDER BY rowid", [fts_query(q)])]

    assert found("a") == ["an apple a day"]
    assert found("b") == ["Plan B was approved"]
    assert found("plan a") == found("plan") == ["Plan B was approved", "the board approved plan C"]
    assert found("appro a") == ["Plan B was approved", "the board approved plan C", "apples approved"]


@pytest.mark.parametrize("q", ["_a", "x_a", "kettle _a", "plan_b"])
def test_an_underscore_cannot_make_a_one_letter_word_a_prefix(q):
    """The index reads an underscore as a space: `"x_a"*` is the phrase "x" then every word starting with a, the
    prefix a one-letter word never gets. An underscore parts words in the box as it does in the index."""
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE VIRTUAL TABLE f USING fts5(t)")
    conn.execute("CREATE VIRTUAL TABLE v USING fts5vocab(f, 'instance')")
    conn.execute("INSERT INTO f(t) VALUES (?)", [q])
    for query in (fts_query(q), _plugin().fts_query(q)):
        for phrase in re.findall(r'"([^"]*)"\*', query):  # each prefix term's last word, as the index splits it
            conn.execute("DELETE FROM f")
            conn.execute("INSERT INTO f(t) VALUES (?)", [phrase])
            last = conn.execute("SELECT term FROM v ORDER BY offset DESC LIMIT 1").fetchone()[0]
            assert len(last) > 1, (q, query)
    assert fts_query("snake_case kettle") == '"snake"* "case"* "kettle"*'
    assert query_phrases("x_a kettle") == [["kettle"]]


# Letters to Python that SQLite's tokenizer (its own Unicode tables) reads as spaces: New Tai Lue's vowel signs.
@pytest.mark.parametrize("q", ["x\u19b0a", "kettle x\u19c9a", "x\u1cf2a", "\u1cf3b plan", "ab\u19b5c\u19b7dd"])
def test_a_letter_the_index_reads_as_a_space_parts_words_in_the_box_too(q):
    """`x\u19b0a` was one word here and `"x"` then every word starting with a there: each quoted term of the
    query is one word of the index, and a one-letter one is never a prefix."""
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE VIRTUAL TABLE f USING fts5(t)")
    conn.execute("CREATE VIRTUAL TABLE v USING fts5vocab(f, 'instance')")
    for query in (fts_query(q), _plugin().fts_query(q)):
        for phrase, star in re.findall(r'"([^"]*)"(\*?)', query):
            conn.execute("DELETE FROM f")
            conn.execute("INSERT INTO f(t) VALUES (?)", [phrase])
            terms = [row[0] for row in conn.execute("SELECT term FROM v ORDER BY offset")]
            assert len(terms) == 1 and (len(terms[0]) > 1 or not star), (q, query, terms)
    assert all(len(phrase) == 1 for phrase in query_phrases(q))


def test_a_search_finds_the_forms_of_a_word_it_starts(db, story):
    from tracker import claims

    resigned = claims.log_claim(db, story["id"], "The mayor resigned on Monday.", "", "unattributed", None)
    claims.log_claim(db, story["id"], "The council met on Monday.", "", "unattributed", None)
    found = claim_queries.find_claims(db, story["id"], q="resign mon")
    assert [c["id"] for c in found["claims"]] == [resigned]
    assert f"{MARK_START}resigned{MARK_END}" in found["claims"][0]["snippet"]


def test_a_status_chip_and_the_list_it_opens_give_the_same_count(client, auth, accounts, db, story):
    """The chip said "Unreviewed 63" and the list it opened "50+ claims shown unreviewed", then "13 claims shown
    unreviewed": as if there were 13."""
    from bs4 import BeautifulSoup

    from tracker import claims

    for i in range(63):
        claims.log_claim(db, story["id"], f"Acme closes plant {i}", "Acme", "organization", accounts["reporter"])
    auth.login("reporter")
    url = f"/stories/{story['slug']}?status=unreviewed"
    page = BeautifulSoup(client.get(url).get_data(as_text=True), "html.parser")
    note = " ".join(page.select_one(".result-note").get_text(" ", strip=True).split())
    assert note.startswith("63 unreviewed claims · 50 shown ·"), note
    following = client.get(page.select_one(".pager a[rel=next]")["href"]).get_data(as_text=True)
    page = BeautifulSoup(following, "html.parser")
    note = " ".join(page.select_one(".result-note").get_text(" ", strip=True).split())
    assert note.startswith("63 unreviewed claims · 13 shown ·"), note


@pytest.mark.parametrize("text", ["snake_case harbour", "Müller’s café", "Mu\u0308ller", "abc\u19b0def harbour"])
def test_the_words_related_claims_and_suggestions_look_up_are_words_of_the_index(text):
    """Related claims and suggested claims look their words up as exact terms: "snake_case" was looked up as one
    word, which the index holds as two ("snake", "case")."""
    from tracker import candidates

    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE VIRTUAL TABLE f USING fts5(t)")
    conn.execute("CREATE VIRTUAL TABLE v USING fts5vocab(f, 'instance')")
    conn.execute("INSERT INTO f(t) VALUES (?)", [text])
    indexed = [row[0] for row in conn.execute("SELECT term FROM v ORDER BY offset")]
    expected = [w for w in dict.fromkeys(indexed) if len(w) > 2]
    assert claim_queries._terms(text) == expected
    assert candidates._words(text) == expected


def test_status_chips_under_a_search_do_not_give_the_whole_storys_counts_as_its(client, auth, accounts, db, story):
    """Searched for "plant", two claims matched, and the chips above said "All 5" and "Unreviewed 5": the story's
    counts, beside a list those links open with the search kept, of two. Under a search or a filter the chips name
    the statuses without the story's counts; the line under the search says how many match."""
    from bs4 import BeautifulSoup

    from tracker import claims

    for text in ("Acme closes plant in Ohio", "Acme closes plant in Texas", "Acme hires", "Acme sues", "Acme wins"):
        claims.log_claim(db, story["id"], text, "Acme", "organization", accounts["reporter"])
    auth.login("reporter")

    def chips(url: str) -> list[str]:
        page = BeautifulSoup(client.get(url).get_data(as_text=True), "html.parser")
        return [" ".join(chip.get_text(" ", strip=True).split()) for chip in page.select(".chips .chip")]

    assert chips(f"/stories/{story['slug']}")[:2] == ["All 5", "Unreviewed 5"]
    assert chips(f"/stories/{story['slug']}?status=unreviewed")[:2] == ["All 5", "Unreviewed 5"]
    assert chips(f"/stories/{story['slug']}?q=plant")[:2] == ["All", "Unreviewed"]
    assert chips(f"/stories/{story['slug']}?claimant_type=anonymous")[:2] == ["All", "Unreviewed"]
