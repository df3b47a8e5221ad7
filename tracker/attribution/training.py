"""Train the attribution tagger from an annotated corpus (PolNeAR's JSON lines) and write the model file.

Deterministic by construction: documents are read in file order, the lexicons
are sorted, CRFsuite's L-BFGS has no random state, and the file is written
without a timestamp; the same corpus gives the same bytes.

Labels are BIO over three roles: S (source), C (cue) and Q (content). PolNeAR
nests a few attributions inside others ("X said Y believes Z"); one token gets
one label, so the inner attribution (the shorter content) wins inside the outer.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import tempfile
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from tracker.attribution import features, tokens
from tracker.attribution.model import LABELS, MODEL_PATH, dumps
from tracker.db import TrackerError

# L1 prunes most features to zero: c1 0.3 left a 3.5 MB file, 1.0 leaves 1.9 MB and scored no worse on
# dev half A; L2 keeps the rest smooth. 100 iterations: the loss changes by under 1% a step by then.
PARAMS = {
    "c1": 1.0,
    "c2": 0.01,
    "max_iterations": 100,
    "feature.minfreq": 2,
    "feature.possible_transitions": True,
}
# A word is a cue (or source) word in the lexicon when it is one this often in training.
LEXICON_LEVELS = ((0.5, "3"), (0.2, "2"), (0.05, "1"))
LEXICON_MIN_COUNT = 3


class CorpusError(TrackerError):
    pass


def read_corpus(path: Path) -> list[dict]:
    """Articles of one PolNeAR split file (train.jsonl.gz): text and attributions."""
    try:
        with gzip.open(path, "rt", encoding="utf-8") as f:
            docs = [json.loads(line) for line in f if line.strip()]
    except FileNotFoundError as e:
        raise CorpusError(f"{path}: no such file; give the folder that holds train.jsonl.gz.") from e
    except (OSError, EOFError, ValueError) as e:
        raise CorpusError(f"{path}: not gzipped JSON lines ({e}).") from e
    for i, d in enumerate(docs, 1):
        if not isinstance(d, dict) or "text" not in d or "attributions" not in d:
            raise CorpusError(f"{path}: a line without text and attributions; is this the PolNeAR corpus?")
        problem = _malformed(d)
        if problem:
            name = str(d.get("doc") or "")[:80]
            where = f"article {i}" + (f" ({name})" if name else "")
            raise CorpusError(f"{path}: {where} has {problem}; nothing was written. Is this the PolNeAR corpus?")
    return docs


def _is_spans(spans: object) -> bool:
    return isinstance(spans, list) and all(
        isinstance(s, list) and len(s) == 2 and all(isinstance(x, int) for x in s) for s in spans
    )


def _malformed(doc: dict) -> str | None:
    """What in one article's annotations training cannot read, or None; checked up front so a bad line is one
    message naming it, before minutes of training and before anything is written."""
    if not isinstance(doc["text"], str):
        return "a text that is not a string"
    if not isinstance(doc["attributions"], list):
        return "attributions that are not a list"
    for a in doc["attributions"]:
        if (
            not isinstance(a, dict)
            or not isinstance(a.get("content"), dict)
            or not _is_spans(a["content"].get("spans"))
        ):
            return "an attribution without content spans as [start, end] pairs"
        for key in ("source", "cue"):
            part = a.get(key)
            if part is not None and not (isinstance(part, dict) and _is_spans(part.get("spans", []))):
                return f"an attribution whose {key} is not spans as [start, end] pairs"
    return None


def char_labels(doc: dict) -> tuple[list[str], list[int]]:
    """A role (S, C, Q or '') and an attribution number for every character of the article."""
    n = len(doc["text"])
    role = [""] * n
    owner = [-1] * n

    def content_size(attribution: dict) -> int:
        return sum(hi - lo for lo, hi in attribution["content"]["spans"])

    ordered = sorted(enumerate(doc["attributions"]), key=lambda item: -content_size(item[1]))
    for k, a in ordered:
        for key, mark in (("content", "Q"), ("source", "S"), ("cue", "C")):
            part = a.get(key)
            for lo, hi in (part or {}).get("spans", []):
                for i in range(max(0, lo), min(n, hi)):
                    role[i], owner[i] = mark, k
    return role, owner


def token_labels(chunk: tokens.Chunk, role: list[str], owner: list[int]) -> list[str]:
    out = []
    previous = ("", -1)
    for a in chunk.starts:
        r, o = role[a], owner[a]
        if not r:
            out.append("O")
        else:
            out.append(("I-" if previous == (r, o) else "B-") + r)
        previous = (r, o)
    return out


def lexicons(docs: Iterable[dict]) -> tuple[dict[str, str], dict[str, str]]:
    """Cue words and source words: the share of a word's occurrences that are inside a cue (a source)."""
    seen: Counter = Counter()
    as_cue: Counter = Counter()
    as_source: Counter = Counter()
    for d in docs:
        text = tokens.straighten(d["text"])  # the words as the tagger will look them up
        role, _ = char_labels(d)
        for m in tokens.TOKEN.finditer(text):
            w = m.group().lower()
            seen[w] += 1
            r = role[m.start()]
            if r == "C":
                as_cue[w] += 1
            elif r == "S":
                as_source[w] += 1

    def levels(counts: Counter, prefix: str) -> dict[str, str]:
        out = {}
        for w, k in counts.items():
            if k < LEXICON_MIN_COUNT:
                continue
            share = k / seen[w]
            for floor, level in LEXICON_LEVELS:
                if share >= floor:
                    out[w] = prefix + level
                    break
        return out

    return levels(as_cue, "c"), levels(as_source, "s")


def paragraphs(doc: dict, cues: dict[str, str], sources: dict[str, str]) -> Iterator[tuple[list[list[str]], list[str]]]:
    """The article's paragraphs as the tagger reads them in use (tokens.read): features and labels of each."""
    role, owner = char_labels(doc)
    for chunk in tokens.read(doc["text"]):
        yield features.sequence(chunk.text, chunk, cues, sources), token_labels(chunk, role, owner)


def input_sha256(docs: list[dict], cues: dict[str, str], sources: dict[str, str]) -> str:
    """A digest of everything training gives the CRF, recorded in the model: when the code that splits,
    tokenises or describes text changes what it reads of the corpus, the committed model no longer
    matches it and a test says so in seconds, without the minutes of a rebuild."""
    digest = hashlib.sha256()
    digest.update(json.dumps([cues, sources], sort_keys=True, ensure_ascii=False).encode("utf-8"))
    for d in docs:
        for xs, ys in paragraphs(d, cues, sources):
            digest.update(json.dumps([xs, ys], ensure_ascii=False, separators=(",", ":")).encode("utf-8") + b"\n")
    return digest.hexdigest()


def train(
    corpus_dir: Path,
    out: Path = MODEL_PATH,
    params: dict | None = None,
    progress: Callable[[str], object] = print,
) -> dict:
    """Train on corpus_dir/train.jsonl.gz and write the model file; returns what was trained and its size."""
    path = Path(corpus_dir) / "train.jsonl.gz"
    docs = read_corpus(path)
    attributions = sum(len(d["attributions"]) for d in docs)
    progress(f"{len(docs)} articles, {attributions} attributions")
    if not attributions:  # a model learnt from nothing finds nothing: keep the one in use
        raise CorpusError(f"{path}: no attributions to learn from; nothing was written. Is the file complete?")
    cues, sources = lexicons(docs)
    progress(f"lexicons: {len(cues)} cue words, {len(sources)} source words")

    settings = {**PARAMS, **(params or {})}
    with tempfile.TemporaryDirectory() as tmp:
        crf_path = os.path.join(tmp, "crf")
        sequences = fit_crf(docs, cues, sources, settings, crf_path, progress)
        state, transitions, labels = crf_weights(crf_path)
    info = {
        "corpus": "PolNeAR v1.0.0 train split (Newell, Margolin and Ruths, LREC 2018)",
        "articles": len(docs),
        "paragraphs": sequences,
        "input_sha256": input_sha256(docs, cues, sources),
        "params": {k: settings[k] for k in sorted(settings)},
    }
    data = dumps(state, transitions, cues, sources, info, labels)
    out = Path(out)
    tmp_out = out.with_suffix(out.suffix + ".tmp")
    tmp_out.write_bytes(data)
    os.replace(tmp_out, out)
    return {**info, "path": str(out), "bytes": len(data)}


def crf_weights(crf_path: str) -> tuple[dict[str, list[float]], list[list[float]], list[str]]:
    """A trained CRFsuite model's weights: per feature, one weight per label (in LABELS order); transitions;
    and the labels it knows (a label never seen in training is not one it can give).

    Read through CRFsuite's own dump of the model, which prints each weight to six decimals; tagging with
    the rounded weights was checked to give the same labels as CRFsuite on every token of the dev split.
    """
    import pycrfsuite

    tagger = pycrfsuite.Tagger()
    tagger.open(crf_path)
    try:
        dump = tagger.info()
    finally:
        tagger.close()
    at = {label: i for i, label in enumerate(LABELS)}
    state: dict[str, list[float]] = {}
    for (attribute, label), weight in dump.state_features.items():
        state.setdefault(attribute, [0.0] * len(LABELS))[at[label]] = weight
    transitions = [[0.0] * len(LABELS) for _ in LABELS]
    for (a, b), weight in dump.transitions.items():
        transitions[at[a]][at[b]] = weight
    return state, transitions, [label for label in LABELS if label in dump.labels]


def fit_crf(
    docs: list[dict],
    cues: dict[str, str],
    sources: dict[str, str],
    settings: dict,
    crf_path: str,
    progress: Callable[[str], object] = print,
) -> int:
    """Train CRFsuite on the articles' paragraphs and write its model to crf_path; returns how many paragraphs."""
    import pycrfsuite

    class Trainer(pycrfsuite.Trainer):
        """CRFsuite's log, parsed; every tenth iteration reported (its hooks only run when it also prints)."""

        def message(self, message: str) -> None:
            if self.logparser.feed(message) == "iteration":
                info = self.logparser.last_iteration
                if info["num"] % 10 == 0:
                    loss, active = info.get("loss", 0), info.get("active_features")
                    progress(f"iteration {info['num']}: loss {loss:.0f}, {active} features")

    trainer = Trainer(verbose=False)
    trainer.set_params(settings)
    sequences = 0
    for i, d in enumerate(docs, 1):
        for xs, ys in paragraphs(d, cues, sources):
            trainer.append(xs, ys)
            sequences += 1
        if i % 200 == 0:
            progress(f"features: {i}/{len(docs)} articles")
    progress(f"training a CRF on {sequences} paragraphs ({settings['max_iterations']} iterations at most)")
    trainer.train(crf_path)
    return sequences
