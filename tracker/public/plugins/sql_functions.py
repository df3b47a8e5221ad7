"""SQL functions the canned queries call: `tracker_fts(q)`, a reader's words as a safe FTS5 query.

Loaded by Datasette from --plugins-dir as a bare module, so it imports
nothing from `tracker`.
"""

from __future__ import annotations

import functools
import re
import sqlite3
import sys
import unicodedata

from datasette import hookimpl

FTS_MAX_WORDS = 16
# Searches whose words are kept worked out (_search_of): a page and its queries ask about one search, a few pages
# at once a few; each is at most the longest address the site takes (request_guard.py), about 300 kB.
SEARCHES_KEPT = 16
# Letters and digits, as the index's tokenizer reads a word: an underscore parts words (tracker/search.py).
WORD = re.compile(r"[^\W_]+")


# The characters unicode61 reads as spaces though Python calls them letters or digits: asked once per process.
_spaces: str | None = None


def unicode61_spaces() -> str:
    """The letters and digits (as Python calls them) that unicode61 reads as spaces (tracker/search.py's
    _tokenizer_word says why they matter), asked of the tokenizer the first time, when the site starts (startup,
    below): each letter between two digits in one row of an in-memory index, 0.25 s of CPU."""
    global _spaces
    if _spaces is None:
        letters = [chr(c) for c in range(0x80, sys.maxunicode + 1) if chr(c).isalnum()]
        conn = sqlite3.connect(":memory:")
        try:
            conn.execute("CREATE VIRTUAL TABLE t USING fts5(x, tokenize='unicode61')")
            conn.execute("CREATE VIRTUAL TABLE v USING fts5vocab(t, instance)")
            conn.execute("INSERT INTO t(x) VALUES (?)", [" ".join(f"0{ch}0" for ch in letters)])
            terms = iter([row[0] for row in conn.execute("SELECT term FROM v ORDER BY offset")])
        finally:
            conn.close()
        _spaces = "".join(ch for ch in letters if next(terms) == "0" and next(terms) == "0")
    return _spaces


def known_spaces(spaces: str) -> None:
    """unicode61_spaces() as the site's process found it, handed to a visitors' SQL worker (sql_worker.py) as it
    starts: asked there, the first query calling `tracker_fts()` on a non-ASCII word paid for it within its time
    limit, in each worker, again after each idle exit."""
    global _spaces
    _spaces = spaces
    tokenizer_word.cache_clear()
    _search_of.cache_clear()  # worked out with the letters read as spaces before


@functools.cache
def tokenizer_word() -> re.Pattern:
    """WORD, also parted at each of unicode61_spaces()."""
    return re.compile(r"[^\W_" + "".join(re.escape(ch) for ch in unicode61_spaces()) + r"]+")


def word_pattern(text: str) -> re.Pattern:
    """What a word of `text` is, as the index splits it."""
    return WORD if text.isascii() else tokenizer_word()


def split_words(q: str) -> list[str]:
    """The words of q as the index splits them."""
    return word_pattern(q).findall(q)


def fold(word: str) -> str:
    """A word as unicode61 indexes it: lower case, accents removed."""
    decomposed = unicodedata.normalize("NFD", word.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def left_out(q: str | None) -> list[str]:
    """The one-letter words of q that fts_query leaves out (beside a longer word), as typed, each once."""
    return list(_search_of(q or "")[1])


def fts_query(q: str | None) -> str:
    """Every word of q as a quoted prefix term: "kettle tests" -> `"kettle"* "tests"*` (all must match).

    Quoting makes FTS5 syntax typed into a search box (quotes, AND, NEAR,
    column filters, a lone `*`) plain words, so a search never errors. Text
    with no words at all becomes `""`, which matches nothing. Each word
    counts once, and a word another typed word starts with adds nothing
    ("kettle kettles" is "kettles"), so a repeated word costs nothing. A
    one-letter word counts only when all are one letter, and then as itself
    (`"a"`): as a prefix it was every word starting with that letter.
    """
    words = search_words(q)
    if not words:
        return '""'
    return " ".join(f'"{w}"*' if len(fold(w)) > 1 else f'"{w}"' for w in words)


def search_words(q: str | None) -> list[str]:
    """The words of q a search looks for, as typed (fts_query says which are left out): each matches the words of
    a text it starts, folded, or a one-letter one only itself; the reader pages mark them (template_filters.py)."""
    return list(_search_of(q or "")[0])


@functools.lru_cache(maxsize=SEARCHES_KEPT)
def _search_of(q: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(search_words, left_out) of q, worked out once for each search rather than once for each use.

    The timeline marks a search's words in each of its cards' claim and quote
    (template_filters.mark_words), and the page's SQL asks tracker_fts() for
    each part of its query: worked out from the whole search each time, a
    search of 60,000 characters of words on a page of 50 cards held the event
    loop 12 s, every reader's. The cost is now the search's length once."""
    first: dict[str, str] = {}
    for word in split_words(q):
        first.setdefault(fold(word), word)
    dropped = [word for key, word in first.items() if len(key) == 1] if any(len(key) > 1 for key in first) else []
    ordered = sorted(first)
    implied = {a for a, b in zip(ordered, ordered[1:], strict=False) if b.startswith(a)}
    implied |= {fold(word) for word in dropped}
    kept = [word for key, word in first.items() if key not in implied][:FTS_MAX_WORDS]
    return tuple(kept), tuple(dropped)


@hookimpl
def startup(datasette):
    """Ask the tokenizer before the site answers anyone (0.25 s of CPU, once per process). Asked by the first
    search holding a non-ASCII character, it ran inside `tracker_fts()`, within one SQLite step of that search and
    its time limit: 0.3 s quiet, 3 s under load, past the limit. Visitors' SQL workers (sql_worker.py) are handed
    the answer as they start (known_spaces), and the reader pages' `left_out` filter (template_filters.py) reads
    words with this module, so nothing asks again."""
    tokenizer_word()


@hookimpl
def prepare_connection(conn):
    conn.create_function("tracker_fts", 1, fts_query, deterministic=True)
