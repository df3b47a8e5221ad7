"""The trained tagger: one committed file, loaded once per process, that tags source, cue and content tokens.

The file (attribution.model beside this module) is a build artifact, rebuilt
by `make model` (python -m tracker train-attribution) from the PolNeAR corpus.
It is gzip over a small container: a magic line, a JSON header (the cue and
source lexicons the features need, the labels, a SHA-256 of the weights, how
it was trained) and the CRF's weights as JSON: one row of label weights per
feature, and the label-to-label transitions. CRFsuite trains them; tagging
needs only numpy (scoring.py, viterbi.py), which is several times faster
than handing CRFsuite a feature string per feature per token. A missing or
damaged file is one named error with the command that rebuilds it, never a
traceback.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import struct
import threading
import zlib
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from tracker.attribution import tokens, viterbi
from tracker.attribution.scoring import Weights
from tracker.db import TrackerError

MODEL_PATH = Path(__file__).resolve().parent / "attribution.model"
MAGIC = b"newsroom-tracker attribution model 2\n"
REBUILD = "make model"
LABELS = ("O", "B-S", "I-S", "B-C", "I-C", "B-Q", "I-Q")


class ModelUnavailable(TrackerError):
    """The model file is missing or unreadable; the message names the command that rebuilds it."""

    status_code = 503


@dataclass
class Model:
    """The CRF's weights with the lexicons its features were trained with."""

    cues: dict[str, str]
    sources: dict[str, str]
    header: dict
    weights: Weights = field(repr=False)
    transitions: np.ndarray = field(repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def tag(
        self, text: str, certainty: bool = True, sentences: list[tuple[int, int]] | None = None
    ) -> list[tuple[tokens.Chunk, list[str], list[float] | None]]:
        """Each paragraph chunk of text with one label per token, and how sure the tagger is of each.

        The certainty is the label's marginal probability (1.0 for "O", which nothing downstream reads);
        None when not asked for, which saves most of the decoding time.
        """
        chunks = tokens.read(text, sentences)
        if not chunks:
            return []
        with self._lock:  # the per-word tables grow as new words are seen
            scores, lens = self.weights.scores(chunks)
        best = viterbi.best_labels(scores, lens, self.transitions)
        sure = viterbi.marginals(scores, lens, self.transitions, best).tolist() if certainty else None
        names = [LABELS[y] for y in best.tolist()]
        out = []
        begin = 0
        for chunk, size in zip(chunks, lens.tolist()):
            end = begin + size
            p = None if sure is None else [1.0 if y == "O" else v for y, v in zip(names[begin:end], sure[begin:end])]
            out.append((chunk, names[begin:end], p))
            begin = end
        return out


def dumps(
    state: dict[str, list[float]],
    transitions: list[list[float]],
    cues: dict[str, str],
    sources: dict[str, str],
    info: dict,
    labels: list[str] | tuple[str, ...] = LABELS,
) -> bytes:
    """The model file's bytes (deterministic: same inputs, same bytes).

    state: each feature's weight for each label (in LABELS order); transitions[a][b]: label a → label b;
    labels: those of LABELS the CRF was trained with (the others are never given).
    """
    weights = json.dumps(
        {
            "labels": [label for label in LABELS if label in labels],
            "state": {a: [w or 0 for w in v] for a, v in sorted(state.items())},
            "transitions": transitions,
        },
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
    ).encode("utf-8")
    header = {
        "labels": list(LABELS),
        "cues": dict(sorted(cues.items())),
        "sources": dict(sorted(sources.items())),
        "weights_sha256": hashlib.sha256(weights).hexdigest(),
        "info": info,
    }
    head = json.dumps(header, sort_keys=True, ensure_ascii=False).encode("utf-8")
    return gzip.compress(MAGIC + struct.pack("<I", len(head)) + head + weights, compresslevel=9, mtime=0)


def unpack(data: bytes, where: str = "the model file") -> tuple[dict, dict]:
    """The file's header and its weights: {"labels": [...], "state": {feature: [weight per label]}, "transitions"}."""
    damaged = f"{where} is damaged or not an attribution model; rebuild it with `{REBUILD}`."
    try:
        raw = gzip.decompress(data)
    except (OSError, EOFError, zlib.error) as e:
        raise ModelUnavailable(damaged) from e
    if not raw.startswith(MAGIC) or len(raw) < len(MAGIC) + 4:
        raise ModelUnavailable(damaged)
    (size,) = struct.unpack_from("<I", raw, len(MAGIC))
    at = len(MAGIC) + 4
    try:
        header = json.loads(raw[at : at + size].decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as e:
        raise ModelUnavailable(damaged) from e
    weights = raw[at + size :]
    if not isinstance(header, dict) or header.get("weights_sha256") != hashlib.sha256(weights).hexdigest():
        raise ModelUnavailable(damaged)
    if header.get("labels") != list(LABELS):
        raise ModelUnavailable(f"{where} was built for other labels; rebuild it with `{REBUILD}`.")
    try:
        body = json.loads(weights.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as e:
        raise ModelUnavailable(damaged) from e
    return header, body


def loads(data: bytes, where: str = "the model file") -> Model:
    """A Model from the file's bytes; ModelUnavailable when they are not a whole, current model."""
    header, body = unpack(data, where)
    try:
        transitions = np.array(body["transitions"], dtype=np.float64)
        state = body["state"]
        if transitions.shape != (len(LABELS), len(LABELS)) or any(len(v) != len(LABELS) for v in state.values()):
            raise ValueError("weights of the wrong shape")
        known = body["labels"]
        if not known or not set(known) <= set(LABELS):
            raise ValueError("labels the tagger does not know")
        table = Weights(state, LABELS, header["cues"], header["sources"], known)
    except (ValueError, KeyError, TypeError, AttributeError) as e:
        raise ModelUnavailable(
            f"{where} is damaged or was built with other features; rebuild it with `{REBUILD}`."
        ) from e
    return Model(cues=header["cues"], sources=header["sources"], header=header, weights=table, transitions=transitions)


_loaded: dict[Path, Model] = {}
_load_lock = threading.Lock()


def load(path: Path | None = None) -> Model:
    """The model, read from disk the first time it is needed in this process and kept."""
    path = Path(path or MODEL_PATH)
    model = _loaded.get(path)
    if model is not None:
        return model
    with _load_lock:
        if path not in _loaded:
            try:
                data = path.read_bytes()
            except FileNotFoundError as e:
                raise ModelUnavailable(f"The attribution model {path} is missing; rebuild it with `{REBUILD}`.") from e
            except OSError as e:
                raise ModelUnavailable(
                    f"The attribution model {path} cannot be read ({e.strerror}); rebuild it with `{REBUILD}`."
                ) from e
            _loaded[path] = loads(data, f"The attribution model {path}")
        return _loaded[path]
