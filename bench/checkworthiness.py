"""Check-worthiness: F1 and average precision of the committed model on the corpus's dev split, and its speed.

The model was fitted on the train split only, with its parameters chosen by
cross-validation inside train; dev is measured here, whole and in two fixed
halves (by a hash of the sentence id), so a figure that only one half likes
shows. Dev is a quarter check-worthy while the project is judged on a balanced
set, so both measures are also given on a class-balanced view of dev
(negatives weighted by positives ÷ negatives, ``metrics.balancing``).
Speed is CPU time on one core (this process) for analysing, hashing
and scoring every dev sentence in one batch (as the tracker scores a batch of
stored candidates; nothing is cached between rounds), the median of several
rounds, beside a floor measured in the same run: lower-casing and
splitting each sentence and looking every word up in a dict, the least any
word-based scorer must do. The machine is shared, so the ratio is the figure
to compare between runs.

    .venv/bin/python bench/checkworthiness.py [--quick] [--corpus PATH]

Also called by bench/claims.py, whose last JSON line carries
checkworthy_dev_f1, checkworthy_dev_ap and checkworthy_sentences_per_s.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tracker.checkworthy import metrics, model  # noqa: E402
from tracker.checkworthy.train import dev_half  # noqa: E402

DEFAULT_CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "checkworthy-dev" / "sentences.jsonl"


def _cpu(fn) -> float:
    t0 = time.process_time()
    fn()
    return time.process_time() - t0


def measure(corpus: Path = DEFAULT_CORPUS, rounds: int = 7, log=print) -> dict:
    """Figures on dev, each half, and speed; the keys bench/claims.py adds to its JSON line."""
    rows = [json.loads(line) for line in corpus.read_text(encoding="utf-8").splitlines() if line.strip()]
    dev = [r for r in rows if r["split"] == "dev"]
    m = model.load()
    scores = m.scores([r["text"] for r in dev])
    labels = [int(r["label"]) for r in dev]
    whole = metrics.measure(labels, scores, m.threshold)
    balanced = metrics.measure(labels, scores, m.threshold, balanced=True)
    halves, balanced_halves = {}, {}
    for half in ("A", "B"):
        idx = [i for i, r in enumerate(dev) if dev_half(r["id"]) == half]
        hl, hs = [labels[i] for i in idx], [scores[i] for i in idx]
        halves[half] = metrics.measure(hl, hs, m.threshold)
        balanced_halves[half] = metrics.measure(hl, hs, m.threshold, balanced=True)
    texts = [r["text"] for r in dev]

    def score_all() -> None:
        m.scores(texts)

    vocab = {w: 1.0 for t in texts for w in t.lower().split()}

    def floor() -> None:
        for t in texts:
            sum(vocab.get(w, 0.0) for w in t.lower().split())

    model_s = statistics.median(_cpu(score_all) for _ in range(rounds))
    floor_s = statistics.median(_cpu(floor) for _ in range(rounds))
    per_s = len(texts) / model_s
    log(
        f"dev ({whole['n']}) at threshold {m.threshold}: F1 {whole['f1']} (P {whole['precision']}, "
        f"R {whole['recall']}), AP {whole['ap']}; class-balanced view: F1 {balanced['f1']} "
        f"(P {balanced['precision']}), AP {balanced['ap']}"
    )
    for half, f in halves.items():
        b = balanced_halves[half]
        log(f"  half {half} ({f['n']}): F1 {f['f1']}, AP {f['ap']}; balanced F1 {b['f1']}, AP {b['ap']}")
    log(f"  as fitted (cv inside train): {m.about.get('cv')}")
    log(
        f"speed: {per_s:,.0f} sentences/s on one core (CPU, median of {rounds}); "
        f"floor {len(texts) / floor_s:,.0f}/s; model costs {model_s / floor_s:.1f}x the floor"
    )
    return {
        "checkworthy_dev_f1": whole["f1"],
        "checkworthy_dev_ap": whole["ap"],
        "checkworthy_dev_half_a_ap": halves["A"]["ap"],
        "checkworthy_dev_half_b_ap": halves["B"]["ap"],
        "checkworthy_dev_balanced_f1": balanced["f1"],
        "checkworthy_dev_balanced_ap": balanced["ap"],
        "checkworthy_dev_half_a_balanced_f1": balanced_halves["A"]["f1"],
        "checkworthy_dev_half_b_balanced_f1": balanced_halves["B"]["f1"],
        "checkworthy_sentences_per_s": round(per_s),
        "checkworthy_floor_ratio": round(model_s / floor_s, 1),
    }


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--quick", action="store_true", help="3 speed rounds instead of 7")
    p.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    a = p.parse_args()
    if not a.corpus.is_file():
        sys.exit(f"{a.corpus}: corpus not found; it lives in ../shared/corpora/checkworthy-dev beside the repository")
    print(json.dumps(measure(a.corpus, 3 if a.quick else 7)))


if __name__ == "__main__":
    main()
