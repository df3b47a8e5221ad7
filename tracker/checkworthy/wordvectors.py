"""Word vectors learned here from unlabelled news text, and a sentence's pooled vector.

The 7,172 labelled sentences teach a linear model each word on its own: a
word seen twice in training says almost nothing, one never seen says
nothing. Vectors learned from how words are used in ~850,000 words of
unlabelled news (the attribution corpus's articles) and the training
sentences themselves put "unemployment" near "inflation" and "poverty", and
"billion" near "trillion" and "deficit", so what the labels teach about one
word reaches its neighbours. No pretrained weights: the vectors are built at
training time from ``../shared`` data only.

How (``build``, training only, needs scipy and scikit-learn): counts of
words within WINDOW tokens of each other (weighted 1/distance), positive
pointwise mutual information with the context distribution smoothed to the
power 0.75, reduced to DIM dimensions by a randomised SVD with a fixed seed
(Levy, Goldberg and Dagan 2015: as good as word2vec at this size of text).

A sentence's vector (``Vectors.pool``, numpy only) is four poolings of its
known words' vectors side by side: their unit-length mean says what the
sentence is about; their element-wise maximum and minimum keep a single
telling word ("percent", "billion") from being averaged away, in either
direction of each dimension; and their unit-length mean weighted by each
word's inverse document frequency in the training sentences lets the rare,
specific words outweigh "the", "we" and "that". Cross-validated inside train,
the minimum and the weighted mean together raised the blend's average
precision by 0.004 (docs/checkworthiness.md).
"""

from __future__ import annotations

import gzip
import json
import zlib
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from tracker.checkworthy import ngrams
from tracker.checkworthy.features import Sentence, analyse

WINDOW = 4
DIM = 64
MIN_COUNT = 5


@dataclass
class Vectors:
    """One row of ``matrix`` per word of ``vocab`` (unit length), and each word's weight in the weighted mean.

    ``idf`` is the words' inverse document frequency in the training
    sentences (``with_idf``); until it is set every word weighs 1.
    """

    vocab: tuple[str, ...]
    matrix: np.ndarray
    idf: np.ndarray | None = None
    index: dict[str, int] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.matrix = np.asarray(self.matrix, dtype=np.float32)
        if self.matrix.ndim != 2 or self.matrix.shape[0] != len(self.vocab):
            raise ValueError(f"{self.matrix.shape} vectors for {len(self.vocab)} words")
        self.idf = np.ones(len(self.vocab), dtype=np.float32) if self.idf is None else np.asarray(self.idf, np.float32)
        if self.idf.shape != (len(self.vocab),):
            raise ValueError(f"{self.idf.shape} weights for {len(self.vocab)} words")
        self.index = {w: i for i, w in enumerate(self.vocab)}

    @property
    def dim(self) -> int:
        return self.matrix.shape[1]

    def with_idf(self, sentences: list[Sentence]) -> Vectors:
        """The same vectors weighted by each word's inverse document frequency in these sentences.

        The same smoothing as the linear model's n-grams (ngrams.smoothed_idf), so a word of the
        vocabulary the sentences never show weighs most.
        """
        df = np.zeros(len(self.vocab))
        get = self.index.get
        for s in sentences:
            known = [i for i in map(get, set(s.tokens.split())) if i is not None]
            df[known] += 1
        idf = ngrams.smoothed_idf(df, len(sentences))
        return Vectors(self.vocab, self.matrix, idf.astype(np.float32))

    def pool(self, sentences: list[Sentence]) -> np.ndarray:
        """(n, 4·dim): unit mean, max, min and unit idf-weighted mean of each sentence's known words; zeros if none."""
        n, d = len(sentences), self.dim
        out = np.zeros((n, 4 * d), dtype=np.float64)
        get = self.index.get
        ids, counts = [], np.zeros(n, dtype=np.int64)
        for r, s in enumerate(sentences):
            known = [i for i in map(get, s.tokens.split()) if i is not None]
            ids.extend(known)
            counts[r] = len(known)
        rows = np.flatnonzero(counts)
        if not len(rows):
            return out
        at = np.asarray(ids, dtype=np.int64)
        v = self.matrix[at].astype(np.float64)
        starts = np.concatenate(([0], np.cumsum(counts[rows])[:-1]))
        for k, part in enumerate(
            (
                np.add.reduceat(v, starts, axis=0),
                np.maximum.reduceat(v, starts, axis=0),
                np.minimum.reduceat(v, starts, axis=0),
                np.add.reduceat(v * self.idf[at, None].astype(np.float64), starts, axis=0),
            )
        ):
            if k in (0, 3):  # the means: unit length (a sentence's length is not what they say)
                part /= np.linalg.norm(part, axis=1, keepdims=True) + 1e-9
            out[rows, k * d : (k + 1) * d] = part
        return out


def unlabelled_texts(folder: Path) -> Iterable[str]:
    """Paragraphs of the articles in a folder of ``*.jsonl.gz`` (one JSON object with ``text`` a line).

    For the training command: a file or line it cannot read ends the run with one line naming it.
    """
    for path in sorted(folder.glob("*.jsonl.gz")):
        try:
            with gzip.open(path, "rt", encoding="utf-8") as f:
                for number, line in enumerate(f, 1):
                    if not line.strip():
                        continue
                    try:
                        text = json.loads(line).get("text", "")
                    except (ValueError, AttributeError):
                        text = None
                    if not isinstance(text, str):
                        raise SystemExit(f"error: {path}: line {number} is not an article with a text")
                    yield from (p for p in text.split("\n\n") if p.strip())
        except (OSError, EOFError, zlib.error, UnicodeDecodeError) as e:
            raise SystemExit(f"error: {path}: not gzipped UTF-8 JSON lines ({e})") from None


def build(texts: Iterable[str], *, window: int = WINDOW, dim: int = DIM, min_count: int = MIN_COUNT) -> Vectors:
    """PPMI-SVD vectors of the words seen at least ``min_count`` times; deterministic (sorted vocab, fixed seed)."""
    from scipy.sparse import coo_matrix, csr_matrix
    from sklearn.utils.extmath import randomized_svd

    docs = [analyse(t).tokens.split() for t in texts]
    counts = Counter(w for d in docs for w in d)
    vocab = tuple(sorted((w for w, c in counts.items() if c >= min_count), key=lambda w: (-counts[w], w)))
    index = {w: i for i, w in enumerate(vocab)}
    rows, cols, vals = [], [], []
    for d in docs:
        ids = [index.get(w, -1) for w in d]
        for i, a in enumerate(ids):
            if a < 0:
                continue
            for j in range(i + 1, min(len(ids), i + window + 1)):
                if ids[j] >= 0:
                    rows += (a, ids[j])
                    cols += (ids[j], a)
                    vals += (1.0 / (j - i),) * 2
    v = len(vocab)
    m = coo_matrix((vals, (rows, cols)), shape=(v, v)).tocsr().tocoo()  # duplicates summed
    total = m.data.sum()
    row_p = np.asarray(m.tocsr().sum(axis=1)).ravel() / total
    ctx = np.asarray(m.tocsc().sum(axis=0)).ravel() ** 0.75
    ctx /= ctx.sum()
    pmi = np.log(m.data / total / row_p[m.row] / ctx[m.col])
    keep = pmi > 0
    ppmi = csr_matrix((pmi[keep], (m.row[keep], m.col[keep])), shape=(v, v))
    u, s, _ = randomized_svd(ppmi, dim, n_iter=6, random_state=0)
    e = u * np.sqrt(s)
    # The sign of each singular vector is arbitrary; fix it so the build is the same everywhere.
    e *= np.where(e[np.abs(e).argmax(axis=0), np.arange(dim)] < 0, -1.0, 1.0)
    e /= np.linalg.norm(e, axis=1, keepdims=True) + 1e-9
    return Vectors(vocab, e.astype(np.float16).astype(np.float32))
