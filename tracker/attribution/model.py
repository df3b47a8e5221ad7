"""The trained tagger: one committed file, loaded once per process, that tags source, cue and content tokens.

The file (attribution.model beside this module) is a build artifact, rebuilt
by `make model` (python -m tracker train-attribution) from the PolNeAR corpus.
It is gzip over a small container: a magic line, a JSON header (the cue and
source lexicons the features need, the labels, a SHA-256 of the CRF weights,
how it was trained) and the CRFsuite model itself. A missing or damaged file
is one named error with the command that rebuilds it, never a traceback.
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

from tracker.attribution import features, tokens
from tracker.db import TrackerError

MODEL_PATH = Path(__file__).resolve().parent / "attribution.model"
MAGIC = b"newsroom-tracker attribution model 1\n"
REBUILD = "make model"
LABELS = ("O", "B-S", "I-S", "B-C", "I-C", "B-Q", "I-Q")


class ModelUnavailable(TrackerError):
    """The model file is missing or unreadable; the message names the command that rebuilds it."""

    status_code = 503


@dataclass
class Model:
    """The CRF with the lexicons its features were trained with."""

    cues: dict[str, str]
    sources: dict[str, str]
    header: dict
    crf: bytes = field(repr=False)
    _tagger: object = field(default=None, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def tag(
        self, text: str, certainty: bool = True, sentences: list[tuple[int, int]] | None = None
    ) -> list[tuple[tokens.Chunk, list[str], list[float] | None]]:
        """Each paragraph chunk of text with one label per token, and how sure the tagger is of each.

        The certainty is the label's marginal probability (1.0 for "O", which nothing downstream reads);
        None when not asked for, which saves a tenth of the tagging time.
        """
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            text = text.encode("utf-8", "replace").decode("utf-8")  # lone surrogates → "?", offsets kept
        out = []
        for chunk in tokens.chunks(text, sentences):
            xseq = features.sequence(text, chunk, self.cues, self.sources)
            with self._lock:  # a CRFsuite tagger is not safe to share between threads mid-call
                crf = self._crf()
                labels = crf.tag(xseq)
                sure = [1.0 if y == "O" else crf.marginal(y, i) for i, y in enumerate(labels)] if certainty else None
            out.append((chunk, labels, sure))
        return out

    def _crf(self):
        if self._tagger is None:
            import pycrfsuite

            tagger = pycrfsuite.Tagger()
            tagger.open_inmemory(self.crf)
            self._tagger = tagger
        return self._tagger


def dumps(crf: bytes, cues: dict[str, str], sources: dict[str, str], info: dict) -> bytes:
    """The model file's bytes (deterministic: same inputs, same bytes)."""
    header = {
        "labels": list(LABELS),
        "cues": dict(sorted(cues.items())),
        "sources": dict(sorted(sources.items())),
        "crf_sha256": hashlib.sha256(crf).hexdigest(),
        "info": info,
    }
    head = json.dumps(header, sort_keys=True, ensure_ascii=False).encode("utf-8")
    return gzip.compress(MAGIC + struct.pack("<I", len(head)) + head + crf, compresslevel=9, mtime=0)


def loads(data: bytes, where: str = "the model file") -> Model:
    """A Model from the file's bytes; ModelUnavailable when they are not a whole, current model."""
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
    crf = raw[at + size :]
    if not isinstance(header, dict) or header.get("crf_sha256") != hashlib.sha256(crf).hexdigest():
        raise ModelUnavailable(damaged)
    if header.get("labels") != list(LABELS):
        raise ModelUnavailable(f"{where} was built for other labels; rebuild it with `{REBUILD}`.")
    model = Model(cues=header["cues"], sources=header["sources"], header=header, crf=crf)
    try:
        model._crf()
    except (ValueError, OSError) as e:
        raise ModelUnavailable(damaged) from e
    return model


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
