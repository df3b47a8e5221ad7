"""What a search box's words mean, and the snippet that shows where they matched.

The rule, one for the editor and the public site: every word typed matches
the words that start with it, and all of them must match ("kettle tests"
is `"kettle"* "tests"*`, and finds "kettles tested"). A one-letter word
counts only when every word typed is one letter, and then as the word
itself (`"a"`, not every word starting with a). Readers and reporters
type the start of a word and expect its forms; a reporter searching
"resign" wants "resigned" and "resignation" too. Each word is quoted, so
FTS5 syntax typed into the box (quotes, AND, NEAR, column filters, a lone
`*`) is plain words and a search never errors. Each word counts once (a
word repeated, or one another typed word starts with, adds nothing) and at
most MAX_WORDS words count, which bounds what one search can cost. The public site's Datasette
plugin (tracker/public/plugins/, loaded without this package) keeps a copy
of fts_query as its `tracker_fts()` SQL function; tests/test_search.py
checks the two give the same query for the same words.

Snippets are made here in Python from the rows already fetched: FTS5's
snippet() has to look each shown row up in the index again, which
cost 8-13 ms for a page of 50 claims at 100,000 claims (and, ordered by rank,
ran for every match before the LIMIT). The claims' text is already in hand,
so the words are marked here instead, splitting and folding words the way
the index's tokenizer (unicode61: letters and digits, lower case, accents
removed) does, and choosing the window the way FTS5's snippet() does.
"""

from __future__ import annotations

import functools
import re
import sqlite3
import sys
import unicodedata

# Private-use characters around matched words; the page escapes the snippet and
# only then turns matched pairs into <mark> (tracker/editor/stories.py).
MARK_START, MARK_END = "\ue000", "\ue001"
ELLIPSIS = "…"
MAX_WORDS = 16
# The query for a search box with no words in it: valid FTS5 that matches nothing.
NOTHING = '""'
# A word as the index's tokenizer reads it: letters and digits. An underscore parts words there, so it parts
# them here too: "x_a" typed as one word was `"x_a"*`, the phrase "x" then every word starting with a.
# Exact for ASCII text; other text is split by word_pattern() on what the tokenizer itself reads as a space.
_WORD = re.compile(r"[^\W_]+")


@functools.cache
def _tokenizer_word() -> re.Pattern:
    """_WORD, also parted at every character Python calls a letter or digit that unicode61 reads as a space.

    SQLite's tokenizer uses Unicode tables of its own, which do not always
    agree with Python's (New Tai Lue's vowel signs U+19B0-19C9, U+1CF2-3): a
    word holding one was one prefix term here and a phrase ending in a
    one-letter prefix there (`x\u19b0a` searched for "x" then every word
    starting with a). So the tokenizer is asked, once per process and only
    when a non-ASCII text comes: each such character between two digits, in
    one row of an in-memory index; a character read as a space leaves the
    two digits as two words.
    """
    letters = [chr(c) for c in range(0x80, sys.maxunicode + 1) if chr(c).isalnum()]
    conn = sqlite3.connect(":memory:")
    try:
        conn.execute("CREATE VIRTUAL TABLE t USING fts5(x, tokenize='unicode61')")
        conn.execute("CREATE VIRTUAL TABLE v USING fts5vocab(t, instance)")
        conn.execute("INSERT INTO t(x) VALUES (?)", [" ".join(f"0{ch}0" for ch in letters)])
        terms = iter([row[0] for row in conn.execute("SELECT term FROM v ORDER BY offset")])
    finally:
        conn.close()
    spaces = [ch for ch in letters if next(terms) == "0" and next(terms) == "0"]
    return re.compile(r"[^\W_" + "".join(re.escape(ch) for ch in spaces) + r"]+")


def word_pattern(text: str) -> re.Pattern:
    """The pattern of a word of `text` as the index splits it (the ASCII one when the text is ASCII)."""
    return _WORD if text.isascii() else _tokenizer_word()


def fold(word: str) -> str:
    """A word as unicode61 indexes it: lower case, accents removed."""
    if word.isascii():
        return word.lower()
    decomposed = unicodedata.normalize("NFD", word.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def index_words(text: str | None) -> list[str]:
    """The words of text as unicode61 indexes them: parted where it parts them, lower case, accents removed.
    Folded before it is split, so an accent written as a combining mark ("Mu\u0308ller") parts no word."""
    folded = fold(text or "")
    return word_pattern(folded).findall(folded)


def query_words(q: str | None) -> list[str]:
    """The words of q that count, in the order typed, at most MAX_WORDS of them.

    Each word counts once ("Kettle kettle" is one word), and a word that
    another typed word starts with adds nothing ("kettle kettles" is
    "kettles": every text it finds, "kettle" finds), so a word repeated
    costs nothing and leaves room for the words typed after it.
    """
    first: dict[str, str] = {}
    q = q or ""
    for word in word_pattern(q).findall(q):
        first.setdefault(fold(word), word)
    # In sorted order, a word that starts another sits just before a word it starts.
    ordered = sorted(first)
    implied = {a for a, b in zip(ordered, ordered[1:], strict=False) if b.startswith(a)}
    # A one-letter word ("a", the "o" of o'brien, "plan B") beside a longer one narrows the search by almost
    # nothing, and as a prefix it is every word starting with that letter: the index merged thousands of lists.
    if any(len(key) > 1 for key in first):
        implied |= {key for key in first if len(key) == 1}
    return [word for key, word in first.items() if key not in implied][:MAX_WORDS]


def is_prefix(word: str) -> bool:
    """Does this kept word find the words it starts? All but a one-letter word (kept only when all are)."""
    return len(fold(word)) > 1


def fts_query(q: str | None) -> str:
    """The FTS5 query for what was typed: each word a quoted prefix term (a one-letter word: the word itself),
    all required; NOTHING when no words."""
    kept = query_words(q)
    if not kept:
        return NOTHING
    return " ".join(f'"{w}"*' if is_prefix(w) else f'"{w}"' for w in kept)


def term(word: str) -> str:
    """One indexed word as an exact FTS5 term, for queries the code builds itself (related claims, suggestions)."""
    return '"' + word.replace('"', '""') + '"'


def query_phrases(q: str) -> list[list[str]]:
    """The words of fts_query(q) as FTS5 reads them: each a phrase of folded tokens, the last one a prefix
    (a one-letter word's: the token itself)."""
    phrases = [[fold(t) for t in word_pattern(word).findall(word)] for word in query_words(q)]
    return [p for p in phrases if p]


def snippet(text: str, q: str, tokens: int = 24) -> str:
    """Up to `tokens` words of text around the best cluster of matches, each match between the marks.

    Like FTS5's snippet(): the window with the most different phrases wins,
    matches are centred in it, and "…" shows where text was cut.
    """
    text = (text or "").replace(MARK_START, "").replace(MARK_END, "")
    words = [m.span() for m in word_pattern(text).finditer(text)]
    if not words:
        return text
    lowered = text.lower() if text.isascii() else None
    folded = [lowered[a:b] if lowered is not None else fold(text[a:b]) for a, b in words]
    # Every phrase occurrence as (first token, last token + 1, phrase number).
    hits = []
    for n, phrase in enumerate(query_phrases(q)):
        size, head, last = len(phrase), phrase[:-1], phrase[-1]
        exact = size == 1 and not is_prefix(last)
        for i in range(len(folded) - size + 1):
            found = folded[i + size - 1]
            if (found == last if exact else found.startswith(last)) and folded[i : i + size - 1] == head:
                hits.append((i, i + size, n))
    hits.sort()
    start = _window(hits, _sentence_starts(text, words), len(words), tokens) if len(words) > tokens and hits else 0
    end = min(len(words), start + tokens)
    out = [ELLIPSIS if start > 0 else text[: words[0][0]]]
    pos = words[start][0]
    for first, last, _ in hits:
        if first < start or first >= end or words[first][0] < pos:
            continue  # outside the window, or overlapping the previous mark
        last = min(last, end)  # a phrase cut by the window's end is marked as far as it shows
        out += [text[pos : words[first][0]], MARK_START, text[words[first][0] : words[last - 1][1]], MARK_END]
        pos = words[last - 1][1]
    out.append(text[pos : words[end - 1][1]])
    out.append(text[words[-1][1] :] if end == len(words) else ELLIPSIS)
    return "".join(out)


def _sentence_starts(text: str, words: list[tuple[int, int]]) -> list[int]:
    """Sentences start at the first word and after a '.' or ':' followed by a space, as FTS5 sees them."""
    starts = [0]
    for i in range(1, len(words)):
        gap = text[words[i - 1][1] : words[i][0]]
        trimmed = gap.rstrip(" \t\n\r")
        if trimmed != gap and trimmed[-1:] in (".", ":"):
            starts.append(i)
    return starts


def _window(hits: list[tuple[int, int, int]], starts: list[int], size: int, tokens: int) -> int:
    """The first token of the window, chosen as FTS5's snippet() chooses it.

    A window scores 1000 for each different phrase in it and 1 for each
    repeat; the matches are centred, and a window that starts at the sentence
    holding a match gets 100 more (120 at the start of the text).
    """
    if size <= tokens or not hits:
        return 0
    best_score, best_start = 0, 0
    for at, _, _ in hits:
        score, first, last = _score(hits, at, tokens)
        if score > best_score:
            best_score, best_start = score, max(0, min(first - (tokens - (last - first)) // 2, size - tokens))
        sentence = max(s for s in starts if s <= at)
        if sentence < at:
            score = _score(hits, sentence, tokens)[0] + (120 if sentence == 0 else 100)
            if score > best_score:
                best_score, best_start = score, sentence
    return best_start


def _score(hits: list[tuple[int, int, int]], at: int, tokens: int) -> tuple[int, int, int]:
    seen: set[int] = set()
    score, first, last = 0, -1, 0
    for h_first, h_last, n in hits:
        if at <= h_first < at + tokens:
            score += 1 if n in seen else 1000
            seen.add(n)
            first = h_first if first < 0 else first
            last = h_last
    return score, first, last
