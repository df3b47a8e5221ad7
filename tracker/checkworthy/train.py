"""Fit the check-worthiness model from the labelled ClaimBuster sentences.

Run by ``make checkworthy-model``::

    python -m tracker.checkworthy.train ../shared/corpora/checkworthy-dev/sentences.jsonl \
        --unlabelled ../shared/corpora/attribution-dev

Only the ``train`` split is fitted; everything is chosen by five-fold
cross-validation inside it (fixed folds), never on ``dev``: the linear model's
parameters, the blend of the linear model and the word-vector network (by
pooled out-of-fold average precision), and the decision threshold. ``dev`` is
scored once at the end, whole and in two fixed halves by a hash of the
sentence id, and the figures are written into the model file so the docs and
the bench quote what was built. Deterministic: fixed folds, deterministic
solvers and seeds, sorted output, gzip without a timestamp.

The threshold. How many of the sentences the model meets are check-worthy
is not known: a quarter in this corpus, half in the balanced set the project
is judged on, something else again in a newsroom's triage queue. The
threshold maximises the mean of two F1s of the pooled out-of-fold scores: as
counted (a quarter check-worthy) and on a class-balanced view (negatives
weighted by positives ÷ negatives, the F1 a balanced set of such sentences
would give). The balanced F1 is nearly flat over a wide range of thresholds
while the F1 as counted is not, so a threshold chosen on the balanced view
alone gave up F1 at the corpus's own share for almost nothing; both are
reported.

The word vectors (wordvectors.py) are learned from the unlabelled articles of
``--unlabelled`` (the attribution corpus) and the train split's sentences;
without it, from the train sentences alone.

Needs numpy, scipy and scikit-learn (requirements-train.txt, which the make
target installs); scoring does not.
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import json
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from tracker.checkworthy import metrics, network, ngrams, wordvectors
from tracker.checkworthy.features import CUE_NAMES, Sentence, analyse
from tracker.checkworthy.model import MODEL_PATH, Model, read

# The grid cross-validated inside train: regularisation, how much the named
# cues count beside the n-grams, and how rare an n-gram may be and still be kept.
# With the dictionary features this replaced, a wider grid (C 1-30, cue scale 0-1,
# min_df 2-3) was flat within 0.004 AP around C 3-5 and cue scale 0.5; on the hashed
# table cue scale 1.0 was 0.001 AP below 0.5, so the grid is kept to what matters.
GRID = {
    "C": (3.0, 5.0),
    "cue_scale": (0.5,),
    "min_df": (2,),
}
# The network's share of the blended log-odds, chosen by pooled out-of-fold AP (0: linear alone).
SHARES = (0.0, 0.2, 0.3, 0.4, 0.5)
# Thresholds tried for the decision, on the blended score.
THRESHOLDS = tuple(round(0.05 + 0.01 * i, 2) for i in range(91))
FOLDS = 5
SOURCE = (
    "ClaimBuster check-worthy factual claims (Arslan, Hassan, Li and Tremayne, ICWSM 2020), "
    "CC BY 4.0; fitted on its train split"
)
VECTORS_SOURCE = (
    "word vectors learned here from the articles of PolNeAR v1.0.0 (Newell, Margolin and Ruths, LREC 2018; "
    "train and dev splits, unlabelled) and the train sentences"
)


def load(path: str) -> list[dict]:
    """The corpus rows: id, split, label, text; a line training cannot read ends the run with one line naming it."""
    rows = []
    with open(path, "rb") as f:
        for number, raw in enumerate(f, 1):
            if not raw.strip():
                continue
            try:
                row = json.loads(raw.decode("utf-8"))
            except ValueError:  # UnicodeDecodeError is one
                row = None
            if not (
                isinstance(row, dict)
                and "id" in row
                and isinstance(row.get("split"), str)
                and row.get("label") in (0, 1)
                and isinstance(row.get("text"), str)
            ):
                raise SystemExit(
                    f"error: {path}: line {number} is not a sentence row in UTF-8 JSON "
                    '({"id", "split", "label": 0 or 1, "text"}); nothing was written'
                )
            rows.append(row)
    return rows


def dev_half(row_id: int | str) -> str:
    """A fixed half of dev, by a hash of the id: "A" or "B"."""
    return "A" if hashlib.sha1(str(row_id).encode()).digest()[0] % 2 == 0 else "B"


def fit(sentences: list[Sentence], labels: list[int], *, C: float, cue_scale: float, min_df: int) -> Model:
    """One model: bucket idf from these sentences, class-balanced logistic regression.

    The matrix is exactly what ``Model.margins`` computes: per group, idf of
    each n-gram occurrence divided by the group's √Σ idf², so the fitted
    weights score new sentences as they scored these.
    """
    import numpy as np
    from scipy.sparse import csr_matrix, hstack
    from sklearn.linear_model import LogisticRegression

    n, size = len(sentences), 1 << ngrams.BITS
    g = ngrams.hashed([s.tokens for s in sentences])
    # Document frequency of each bucket: in how many sentences it occurs at least once.
    df = np.bincount(np.unique(g.row * size + g.bucket) % size, minlength=size)
    idf = np.where(df >= min_df, ngrams.smoothed_idf(df, n), 0.0).astype(np.float32).astype(np.float64)
    ngram_part = csr_matrix((n, size))
    for group in (ngrams.WORDS, ngrams.CHARS):
        sel = g.group == group
        rows, buckets = g.row[sel], g.bucket[sel]
        sq = np.bincount(rows, weights=idf[buckets] ** 2, minlength=n)
        norm = np.sqrt(np.where(sq > 0, sq, 1.0))
        m = csr_matrix((idf[buckets] / norm[rows], (rows, buckets)), shape=(n, size))
        ngram_part = ngram_part + m
    cue_index = {c: i for i, c in enumerate(CUE_NAMES)}
    rows, cols = [], []
    for r, s in enumerate(sentences):
        for c in s.cues:
            rows.append(r)
            cols.append(cue_index[c])
    cues = csr_matrix((np.full(len(rows), cue_scale), (rows, cols)), shape=(n, len(CUE_NAMES)))
    X = hstack([ngram_part, cues]).tocsr()
    lr = LogisticRegression(C=C, class_weight="balanced", max_iter=10000, solver="liblinear", random_state=0)
    lr.fit(X, np.asarray(labels))
    coef = lr.coef_[0]
    # The two groups share one table (a word and a character n-gram may meet in a bucket),
    # each normalised on its own, so the matrix is their sum.
    weight = np.where(idf > 0, coef[:size], 0.0)
    cue_w = {c: float(coef[size + i]) * cue_scale for i, c in enumerate(CUE_NAMES)}
    return Model(bias=float(lr.intercept_[0]), idf=idf, weight=weight, cues=cue_w)


def measure(model: Model, sentences: list[Sentence], labels: list[int], *, balanced: bool = False) -> dict:
    """F1 of the check-worthy class at the model's threshold, and average precision of its scores."""
    return metrics.measure(labels, model.scores_of(sentences), model.threshold, balanced=balanced)


def folds(labels: list[int]) -> list[tuple[np.ndarray, np.ndarray]]:
    """The fixed stratified folds of train: (fitted, held out) index arrays."""
    from sklearn.model_selection import StratifiedKFold

    return list(StratifiedKFold(FOLDS, shuffle=True, random_state=0).split(np.zeros(len(labels)), labels))


def cross_validate(sentences: list[Sentence], labels: list[int], params: dict) -> np.ndarray:
    """Pooled out-of-fold log-odds of the linear model over the fixed folds."""
    z = np.zeros(len(labels))
    for a, b in folds(labels):
        m = fit([sentences[i] for i in a], [labels[i] for i in a], **params)
        z[b] = m.margins([sentences[i] for i in b]).total
    return z


def cross_validate_network(pooled: np.ndarray, labels: list[int]) -> np.ndarray:
    """Pooled out-of-fold log-odds of the network over the same folds."""
    y = np.asarray(labels)
    z = np.zeros(len(labels))
    for a, b in folds(labels):
        z[b] = network.fit(pooled[a], y[a]).margins(pooled[b])
    return z


def _sigmoid(z: np.ndarray) -> list[float]:
    return (1.0 / (1.0 + np.exp(-np.clip(z, -60.0, 60.0)))).tolist()


def _figures(labels: list[int], z: np.ndarray, threshold: float) -> dict:
    """F1 and AP as measured, and on the class-balanced view."""
    scores = _sigmoid(z)
    m, b = metrics.measure(labels, scores, threshold), metrics.measure(labels, scores, threshold, balanced=True)
    return {"f1": m["f1"], "ap": m["ap"], "balanced_f1": b["f1"], "balanced_ap": b["ap"]}


def choose_threshold(labels: list[int], z: np.ndarray) -> float:
    """The threshold with the best mean of F1 as counted and on the class-balanced view (lowest of ties)."""
    scores = _sigmoid(z)
    weights = metrics.balancing(labels)

    def both(t: float) -> float:
        decided = [int(s >= t) for s in scores]
        return (metrics.prf(labels, decided)[2] + metrics.prf(labels, decided, weights)[2]) / 2

    return max(THRESHOLDS, key=lambda t: (round(both(t), 6), -t))


def build(corpus: str, out: Path, *, unlabelled: Path | None = None, grid: dict = GRID, log=print) -> dict:
    """Choose everything by cross-validation in train, fit on all of train, write the model, return figures."""
    rows = load(corpus)
    train = [r for r in rows if r["split"] == "train"]
    dev = [r for r in rows if r["split"] == "dev"]
    if not train or not dev:
        raise SystemExit(f"{corpus}: expected rows in both the train and dev splits")
    tf = [analyse(r["text"]) for r in train]
    ty = [int(r["label"]) for r in train]
    t0 = time.perf_counter()
    texts = itertools.chain(wordvectors.unlabelled_texts(unlabelled) if unlabelled else (), (r["text"] for r in train))
    vectors = wordvectors.build(texts).with_idf(tf)
    pooled = vectors.pool(tf)
    log(f"word vectors: {len(vectors.vocab):,} words × {vectors.dim} ({time.perf_counter() - t0:.0f}s)", flush=True)
    combos = [
        {"C": c, "cue_scale": s, "min_df": d} for c in grid["C"] for s in grid["cue_scale"] for d in grid["min_df"]
    ]
    best, best_key, best_z, cv_table = None, None, None, []
    for i, params in enumerate(combos, 1):
        t0 = time.perf_counter()
        z = cross_validate(tf, ty, params)
        cv = _figures(ty, z, 0.5)
        cv_table.append({**params, "f1": cv["f1"], "ap": cv["ap"]})
        log(
            f"[{i}/{len(combos)}] {params} cv F1 {cv['f1']:.3f} AP {cv['ap']:.3f} ({time.perf_counter() - t0:.0f}s)",
            flush=True,
        )
        key = (cv["ap"] + cv["f1"], cv["ap"])
        if best_key is None or key > best_key:
            best, best_key, best_z = params, key, z
    t0 = time.perf_counter()
    net_z = cross_validate_network(pooled, ty)
    log(f"network cv AP {_figures(ty, net_z, 0.5)['ap']:.3f} ({time.perf_counter() - t0:.0f}s)", flush=True)
    blends = {share: (1 - share) * best_z + share * net_z for share in SHARES}
    share = max(SHARES, key=lambda s: (_figures(ty, blends[s], 0.5)["ap"], -s))
    threshold = choose_threshold(ty, blends[share])
    cv = _figures(ty, blends[share], threshold)
    log(f"blend: network share {share}, threshold {threshold}; cv {cv}", flush=True)

    model = _scaled(fit(tf, ty, **best), 1 - share)
    if share:
        net = network.fit(pooled, np.asarray(ty))
        net.share = share
        model.vectors, model.network = vectors, net
    model.threshold = threshold
    with tempfile.TemporaryDirectory() as tmp:  # out is written once, whole, with its figures
        model.save(Path(tmp) / out.name)  # what is measured is what was written: float32 tables, float16 vectors
        model = read(Path(tmp) / out.name)
    df = [analyse(r["text"]) for r in dev]
    dy = [int(r["label"]) for r in dev]
    halves = {h: [i for i, r in enumerate(dev) if dev_half(r["id"]) == h] for h in ("A", "B")}
    model.about = {
        "source": SOURCE,
        **({"vectors": VECTORS_SOURCE} if share else {}),
        "params": {**best, "network_share": share, "threshold": threshold},
        "threshold_chosen_for": "mean of F1 as counted and balanced, pooled out-of-fold scores in train",
        "cv_linear": next(c for c in cv_table if all(c[k] == best[k] for k in best)),
        "cv": cv,
        "dev": measure(model, df, dy),
        "dev_balanced": measure(model, df, dy, balanced=True),
        **{f"dev_{h}": measure(model, [df[i] for i in idx], [dy[i] for i in idx]) for h, idx in halves.items()},
        **{
            f"dev_{h}_balanced": measure(model, [df[i] for i in idx], [dy[i] for i in idx], balanced=True)
            for h, idx in halves.items()
        },
    }
    model.save(out)
    log(f"dev {model.about['dev']}; balanced {model.about['dev_balanced']}")
    log(f"halves A {model.about['dev_A']} B {model.about['dev_B']}")
    log(f"wrote {out} ({out.stat().st_size:,} bytes)")
    return model.about


def _scaled(model: Model, share: float) -> Model:
    """The linear model with its log-odds multiplied by its share of the blend (so cue weights stay exact)."""
    return Model(
        bias=model.bias * share,
        idf=model.idf,
        weight=model.weight * share,
        cues={c: w * share for c, w in model.cues.items()},
    )


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m tracker.checkworthy.train", description=__doc__.split("\n\n")[0])
    p.add_argument("corpus", help="sentences.jsonl of the check-worthiness corpus")
    p.add_argument("--out", default=str(MODEL_PATH), help="model file to write (default: the committed one)")
    p.add_argument(
        "--unlabelled",
        help="folder of *.jsonl.gz articles to learn word vectors from (the attribution corpus)",
    )
    a = p.parse_args(argv)
    if not Path(a.corpus).is_file():
        print(f"error: {a.corpus}: no such corpus file", file=sys.stderr)
        return 2
    if a.unlabelled and not any(Path(a.unlabelled).glob("*.jsonl.gz")):
        print(f"error: {a.unlabelled}: no *.jsonl.gz articles there", file=sys.stderr)
        return 2
    import click

    from tracker.cli.common import output_error

    try:
        # Progress through the command line's one output path, whose failure output_error can name.
        build(a.corpus, Path(a.out), unlabelled=Path(a.unlabelled) if a.unlabelled else None, log=_say)
    except OSError as e:
        problem = output_error(e)
        if problem is None:
            raise
        click.echo(f"Error: {problem}", err=True)
        return 1
    return 0


def _say(line: str, flush: bool = False) -> None:
    """A progress line on standard output (click.echo flushes each one)."""
    import click

    click.echo(line)


if __name__ == "__main__":
    sys.exit(main())
