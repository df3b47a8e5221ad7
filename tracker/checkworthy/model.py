"""The committed check-worthiness model: loaded once, lazily, and scored in bulk with numpy.

The score is the logistic function of a blend of two parts' log-odds:

- a linear model over hashed n-grams (``ngrams.py``) and named cues
  (``features.py``): per group (word n-grams, character n-grams) the sum of
  idf×weight over the n-grams present, divided by the group's L2 norm
  (√Σ idf² over the same n-grams), plus a weight per cue and a bias. The
  table is two dense arrays indexed by bucket, so a batch of sentences is
  scored with a handful of vectorised gathers and sums instead of a dict
  look-up per n-gram; keeping it linear also lets each cue's weight explain
  a score;
- a small network over the sentence's pooled word vectors (``network.py``,
  ``wordvectors.py``), which carries what the words mean together.

The blend's shares are folded into the stored weights (the linear part's
weights are already multiplied by its share), so a cue's weight is exactly
what it adds to the final log-odds, which is what a reason reports.
"""

from __future__ import annotations

import base64
import functools
import gzip
import json
import os
import zlib
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from tracker.checkworthy import ngrams
from tracker.checkworthy.features import Sentence, analyse
from tracker.checkworthy.network import Layer, Network
from tracker.checkworthy.wordvectors import Vectors
from tracker.db import TrackerError

MODEL_PATH = Path(__file__).with_name("model.json.gz")
FORMAT = 4  # 4: four poolings of the word vectors, with a weight per word


class ModelMissing(TrackerError):
    """The model file is absent or unreadable; ``make checkworthy-model`` rebuilds it."""


@dataclass(frozen=True)
class Margins:
    """A batch's log-odds before the logistic function, with the parts that have no name apart.

    ``ngrams`` is the linear model's n-gram part, ``network`` the network's
    share; what is left of ``total`` is the bias and the named cues.
    """

    ngrams: np.ndarray
    network: np.ndarray
    total: np.ndarray


@dataclass
class Model:
    """Weights of the linear model: ``idf[b]`` and ``weight[b]`` of each hash bucket b, and one per cue."""

    bias: float
    idf: np.ndarray
    weight: np.ndarray
    cues: dict[str, float]
    threshold: float = 0.5
    about: dict = field(default_factory=dict)
    vectors: Vectors | None = None
    network: Network | None = None

    def __post_init__(self) -> None:
        self.idf = np.asarray(self.idf, dtype=np.float32)
        self.weight = np.asarray(self.weight, dtype=np.float32)
        if self.idf.shape != (1 << ngrams.BITS,) or self.weight.shape != self.idf.shape:
            raise ModelMissing(f"a table of {len(self.idf)} buckets, expected {1 << ngrams.BITS}")
        # What scoring reads: idf×weight, and idf² for the norm (float64 sums, so a batch's
        # order and size never change a score).
        self._iw = (self.idf.astype(np.float64) * self.weight).astype(np.float64)
        self._idf2 = self.idf.astype(np.float64) ** 2

    def margins(self, sentences: list[Sentence]) -> Margins:
        """Linear scores of a batch of analysed sentences."""
        n = len(sentences)
        g = ngrams.hashed([s.tokens for s in sentences])
        part = np.zeros(n)
        for group in (ngrams.WORDS, ngrams.CHARS):
            sel = g.group == group
            rows, buckets = g.row[sel], g.bucket[sel]
            num = np.bincount(rows, weights=self._iw[buckets], minlength=n)
            sq = np.bincount(rows, weights=self._idf2[buckets], minlength=n)
            part += np.divide(num, np.sqrt(sq), out=np.zeros(n), where=sq > 0)
        cues = self.cues
        named = np.fromiter((sum(cues.get(c, 0.0) for c in s.cues) for s in sentences), dtype=np.float64, count=n)
        dense = np.zeros(n)
        if self.network is not None and self.vectors is not None and n:
            dense = self.network.margins(self.vectors.pool(sentences))
        return Margins(part, dense, self.bias + part + named + dense)

    def scores(self, texts: list[str]) -> list[float]:
        """Probability-like scores in [0, 1] of a batch, as if both classes were equally common."""
        return self.scores_of([analyse(t) for t in texts])

    def scores_of(self, sentences: list[Sentence]) -> list[float]:
        """The same for sentences already analysed (training measures these)."""
        z = self.margins(sentences).total
        return (1.0 / (1.0 + np.exp(-np.clip(z, -60.0, 60.0)))).tolist()

    def score(self, text: str) -> float:
        """Score of one sentence."""
        return self.scores([text])[0]

    def save(self, path: Path) -> None:
        """Write deterministically: sorted keys, float32 tables, gzip without a timestamp.

        Written beside the file and swapped in, so a save stopped half-way (Ctrl-C, a full disk)
        leaves the model in use whole rather than a file cut short.
        """
        doc = {
            "format": FORMAT,
            "about": self.about,
            "threshold": self.threshold,
            "bias": round(float(self.bias), 6),
            "cues": {c: round(float(w), 6) for c, w in sorted(self.cues.items())},
            "bits": ngrams.BITS,
            "idf": _pack(self.idf),
            "weight": _pack(self.weight),
        }
        if self.vectors is not None and self.network is not None:
            doc["vectors"] = {
                "vocab": list(self.vectors.vocab),
                "matrix": _pack(self.vectors.matrix, "<f2"),
                "idf": _pack(self.vectors.idf),
            }
            net = self.network
            doc["network"] = {
                "share": round(float(net.share), 6),
                "mean": _pack(net.mean),
                "scale": _pack(net.scale),
                "copies": [
                    {"w1": _pack(c.w1), "b1": _pack(c.b1), "w2": _pack(c.w2), "b2": round(float(c.b2), 6)}
                    for c in net.copies
                ],
            }
        raw = json.dumps(doc, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")
        path = Path(path)
        tmp = path.with_name(f".{path.name}.tmp")
        try:
            with open(tmp, "wb") as out, gzip.GzipFile(filename="", mode="wb", fileobj=out, mtime=0) as gz:
                gz.write(raw)
            os.replace(tmp, path)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise


def _pack(a: np.ndarray, dtype: str = "<f4") -> str:
    """An array's values as base64 (its shape is the reader's to know); row-major."""
    return base64.b64encode(np.ascontiguousarray(a, dtype=dtype).tobytes()).decode("ascii")


def _unpack(s: str, dtype: str = "<f4") -> np.ndarray:
    return np.frombuffer(base64.b64decode(s), dtype=dtype).astype(np.float32)


def _read_dense(doc: dict) -> tuple[Vectors | None, Network | None]:
    """The word vectors and the network, if the file has them (both or neither)."""
    if "vectors" not in doc and "network" not in doc:
        return None, None
    vocab = tuple(doc["vectors"]["vocab"])
    matrix = _unpack(doc["vectors"]["matrix"], "<f2").reshape(len(vocab), -1)
    idf = _unpack(doc["vectors"]["idf"])
    net = doc["network"]
    mean = _unpack(net["mean"]).astype(np.float64)
    width = len(mean)
    copies = []
    for c in net["copies"]:
        w2 = _unpack(c["w2"]).astype(np.float64)
        w1 = _unpack(c["w1"]).astype(np.float64).reshape(width, len(w2))
        copies.append(Layer(w1, _unpack(c["b1"]).astype(np.float64), w2, float(c["b2"])))
    network = Network(mean, _unpack(net["scale"]).astype(np.float64), copies, float(net["share"]))
    return Vectors(vocab, matrix, idf), network


def read(path: Path) -> Model:
    """Read a model file; a missing or foreign file raises ModelMissing with what to do."""
    try:
        with gzip.open(path, "rt", encoding="utf-8") as f:
            doc = json.load(f)
    except (OSError, EOFError, zlib.error, ValueError) as e:  # EOFError, zlib.error: a file cut short or garbled
        raise ModelMissing(
            f"{path}: cannot read the check-worthiness model ({e}); rebuild it with `make checkworthy-model`"
        ) from None
    if not isinstance(doc, dict) or doc.get("format") != FORMAT or doc.get("bits") != ngrams.BITS:
        raise ModelMissing(
            f"{path}: not a check-worthiness model of format {FORMAT}; rebuild it with `make checkworthy-model`"
        )
    try:
        vectors, network = _read_dense(doc)
        return Model(
            bias=doc["bias"],
            idf=_unpack(doc["idf"]),
            weight=_unpack(doc["weight"]),
            cues=doc["cues"],
            threshold=doc["threshold"],
            about=doc["about"],
            vectors=vectors,
            network=network,
        )
    except (KeyError, TypeError, ValueError, ModelMissing) as e:
        raise ModelMissing(
            f"{path}: a damaged check-worthiness model ({e}); rebuild it with `make checkworthy-model`"
        ) from None


@functools.cache
def load(path: Path = MODEL_PATH) -> Model:
    """The model, read on first use and kept for the life of the process."""
    return read(path)
