"""Sentences → hashed word and character n-grams, for a whole batch at once with numpy.

The model's table is indexed by a hash of each n-gram, not by a vocabulary:
a few hundred thousand strings in a dict cost a cache miss per look-up and
several megabytes, while a dense array of 2^BITS weights is read with one
vectorised gather. Collisions share a weight; with the table four to eight
times the number of n-grams kept, they cost nothing measurable (see
docs/performance.md).

The hashes must be the same in training and scoring, on every machine and in
every process, so Python's own ``hash()`` (randomised per process) is not
used. Instead the batch's token strings are laid end to end as code points,
and the hash of any span is a polynomial of its code points modulo 2^64,
computed for all spans at once from prefix sums (``_Spans``). A span's hash
is then mixed with its kind (word, word pair, character n-gram of length k)
and its top BITS bits pick the bucket.

What is hashed, per sentence (its tokens, as ``features.tokens`` makes them,
joined by single spaces):

- ``WORDS`` group: every token and every pair of neighbouring tokens;
- ``CHARS`` group: the character 2–5-grams inside each token padded with a
  space on each side (" cut", "ut ", "<num>"), which carry inflections,
  spelling variants and names never seen whole.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

BITS = 18
WORDS, CHARS = 0, 1
CHAR_LENGTHS = (2, 3, 4, 5)

_P = np.uint64(1_000_003)  # the polynomial's base: odd, so it has an inverse modulo 2^64
_P_INV = np.uint64(pow(1_000_003, -1, 2**64))
_MIX = np.uint64(0x9E3779B97F4A7C15)  # Fibonacci hashing: the top bits of h × this are well spread
_SALT = {"word": 0x51ED27, "pair": 0x2C9277B5, **{f"char{k}": 0x7FEB352D * k for k in CHAR_LENGTHS}}
_SPACE = 32


@dataclass(frozen=True)
class NGrams:
    """Every n-gram occurrence of a batch: its sentence, its bucket in the table and its group."""

    row: np.ndarray  # int64, the sentence's index in the batch
    bucket: np.ndarray  # int64 in [0, 2^BITS)
    group: np.ndarray  # int8, WORDS or CHARS


class _Spans:
    """Polynomial hashes of arbitrary spans of one code-point array, all from one prefix sum.

    hash(a, b) = Σ c[j]·P^(b-1-j) for a ≤ j < b  (mod 2^64)
               = P^(b-1) · (G[b] - G[a]),  where G[i] = Σ_{j<i} c[j]·P^-j,
    so each span costs a subtraction and a multiplication, whatever its length.
    Unsigned 64-bit arithmetic in numpy wraps, which is exactly modulo 2^64.
    """

    def __init__(self, codes: np.ndarray) -> None:
        n = len(codes)
        with np.errstate(over="ignore"):
            inv = np.full(n, _P_INV, dtype=np.uint64)
            inv[0] = 1
            inv_pow = np.cumprod(inv, dtype=np.uint64)  # P^-j
            fwd = np.full(n + 1, _P, dtype=np.uint64)
            fwd[0] = 1
            self.pow = np.cumprod(fwd, dtype=np.uint64)  # P^j
            self.prefix = np.zeros(n + 1, dtype=np.uint64)
            np.cumsum((codes + np.uint64(1)) * inv_pow, dtype=np.uint64, out=self.prefix[1:])

    def hash(self, start: np.ndarray, end: np.ndarray) -> np.ndarray:
        with np.errstate(over="ignore"):
            return self.pow[end - 1] * (self.prefix[end] - self.prefix[start])


def smoothed_idf(df: np.ndarray, n: int) -> np.ndarray:
    """Inverse document frequency of terms seen in `df` of `n` sentences, smoothed as scikit-learn does.

    log((1 + n) / (1 + df)) + 1: a term no sentence shows weighs most, and
    none weighs zero. The linear model's n-grams and the word vectors'
    weighted mean both use it.
    """
    return np.log((1 + n) / (1 + np.asarray(df, dtype=np.float64))) + 1


def _bucket(h: np.ndarray, kind: str) -> np.ndarray:
    with np.errstate(over="ignore"):
        h = h ^ np.uint64(_SALT[kind])
        h ^= h >> np.uint64(31)
        return ((h * _MIX) >> np.uint64(64 - BITS)).astype(np.int64)


def hashed(token_strings: list[str]) -> NGrams:
    """The n-grams of each sentence, given as its tokens joined by single spaces (``features.tokens``)."""
    padded = [f" {t} " for t in token_strings]
    lengths = np.fromiter((len(p) for p in padded), dtype=np.int64, count=len(padded))
    text = "".join(padded)
    if not text:
        empty = np.zeros(0, dtype=np.int64)
        return NGrams(empty, empty, np.zeros(0, dtype=np.int8))
    codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    row_of = np.repeat(np.arange(len(padded), dtype=np.int64), lengths)
    spans = _Spans(codes)
    space = codes == _SPACE
    rows, buckets, groups = [], [], []

    # Tokens: a token starts after a space and ends before one; each sentence is
    # padded with a space on both sides, so spaces bound every token.
    starts = np.flatnonzero(~space[1:] & space[:-1]) + 1
    ends = np.flatnonzero(~space[:-1] & space[1:]) + 1
    rows.append(row_of[starts])
    buckets.append(_bucket(spans.hash(starts, ends), "word"))
    # Neighbouring tokens of the same sentence: "a b" from a's start to b's end.
    same = row_of[starts[1:]] == row_of[starts[:-1]]
    rows.append(row_of[starts[1:]][same])
    buckets.append(_bucket(spans.hash(starts[:-1][same], ends[1:][same]), "pair"))
    groups.append(np.full(len(rows[0]) + len(rows[1]), WORDS, dtype=np.int8))

    # Character n-grams inside " token ": no space inside the n-gram except at its ends,
    # and not two spaces (which is where two sentences meet).
    inner_spaces = np.concatenate(([0], np.cumsum(space, dtype=np.int64)))
    for k in CHAR_LENGTHS:
        a = np.arange(len(codes) - k + 1, dtype=np.int64)
        b = a + k
        ok = inner_spaces[b - 1] - inner_spaces[a + 1] == 0
        if k == 2:
            ok &= ~(space[a] & space[a + 1])
        a, b = a[ok], b[ok]
        rows.append(row_of[a])
        buckets.append(_bucket(spans.hash(a, b), f"char{k}"))
        groups.append(np.full(len(a), CHARS, dtype=np.int8))
    # Each n-gram counts once in a sentence, however often it occurs (a repeat says little).
    key = (np.concatenate(rows) * 2 + np.concatenate(groups)) << BITS | np.concatenate(buckets)
    key.sort()
    first = np.ones(len(key), dtype=bool)
    first[1:] = key[1:] != key[:-1]
    key = key[first]
    return NGrams(key >> (BITS + 1), key & ((1 << BITS) - 1), ((key >> BITS) & 1).astype(np.int8))
