"""The committed check-worthiness model: loaded once, lazily, and scored in pure Python.

The model is a linear one over the features of ``features.py``: per group
(word n-grams, character n-grams) the sum of idf×weight of the n-grams present,
divided by the group's L2 norm, plus a weight per cue and a bias, through the
logistic function. Keeping it linear keeps the runtime to dictionary look-ups
(no numpy at run time) and lets each cue's weight explain a score.
"""

from __future__ import annotations

import functools
import gzip
import json
import math
from dataclasses import dataclass, field
from pathlib import Path

from tracker.checkworthy.features import Features, featurize
from tracker.db import TrackerError

MODEL_PATH = Path(__file__).with_name("model.json.gz")
FORMAT = 1


class ModelMissing(TrackerError):
    """The model file is absent or unreadable; ``make checkworthy-model`` rebuilds it."""


@dataclass
class Model:
    """Weights of the linear model; ``groups[g][ngram] = (idf, weight)``."""

    bias: float
    groups: dict[str, dict[str, tuple[float, float]]]
    cues: dict[str, float]
    threshold: float = 0.5
    about: dict = field(default_factory=dict)

    def margin(self, f: Features) -> float:
        """The linear score before the logistic function."""
        z = self.bias + self.margin_of_ngrams(f)
        cues = self.cues
        for c in f.cues:
            z += cues.get(c, 0.0)
        return z

    def margin_of_ngrams(self, f: Features) -> float:
        """What the word and character n-grams add to the margin (the part without a name)."""
        z = 0.0
        for g, present in (("words", f.words), ("chars", f.chars)):
            table = self.groups[g]
            num = sq = 0.0
            for t in present:
                hit = table.get(t)
                if hit is not None:
                    idf, w = hit
                    num += idf * w
                    sq += idf * idf
            if sq:
                z += num / math.sqrt(sq)
        return z

    def score_features(self, f: Features) -> float:
        """Probability-like score in [0, 1] (class-balanced, so 0.5 is the natural cut)."""
        z = self.margin(f)
        return 1.0 / (1.0 + math.exp(-z)) if z > -500 else 0.0

    def score(self, text: str) -> float:
        """Score of one sentence."""
        return self.score_features(featurize(text))

    def save(self, path: Path) -> None:
        """Write deterministically: sorted keys, rounded weights, gzip without a timestamp."""
        doc = {
            "format": FORMAT,
            "about": self.about,
            "threshold": self.threshold,
            "bias": round(self.bias, 6),
            "cues": {c: round(w, 6) for c, w in sorted(self.cues.items())},
            "groups": {
                g: {t: [round(i, 4), round(w, 5)] for t, (i, w) in sorted(table.items())}
                for g, table in self.groups.items()
            },
        }
        raw = json.dumps(doc, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")
        with open(path, "wb") as out, gzip.GzipFile(filename="", mode="wb", fileobj=out, mtime=0) as gz:
            gz.write(raw)


def read(path: Path) -> Model:
    """Read a model file; a missing or foreign file raises ModelMissing with what to do."""
    try:
        with gzip.open(path, "rt", encoding="utf-8") as f:
            doc = json.load(f)
    except (OSError, ValueError) as e:
        raise ModelMissing(
            f"{path}: cannot read the check-worthiness model ({e}); rebuild it with `make checkworthy-model`"
        ) from None
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise ModelMissing(
            f"{path}: not a check-worthiness model of format {FORMAT}; rebuild it with `make checkworthy-model`"
        )
    return Model(
        bias=doc["bias"],
        groups={g: {t: (v[0], v[1]) for t, v in table.items()} for g, table in doc["groups"].items()},
        cues=doc["cues"],
        threshold=doc["threshold"],
        about=doc["about"],
    )


@functools.cache
def load(path: Path = MODEL_PATH) -> Model:
    """The model, read on first use and kept for the life of the process."""
    return read(path)
