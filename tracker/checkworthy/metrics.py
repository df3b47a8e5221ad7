"""The corpus's two measures, in plain Python so the bench and the tests need no numpy.

F1 of the check-worthy class at the model's own threshold, and average
precision of the scores: the mean of the precision at each rank where a
check-worthy sentence turns up, which is how a ranked triage queue feels.
Both agree with scikit-learn's f1_score and average_precision_score (tied
scores form one step, as there).

The project is judged on a balanced set (half check-worthy) while the dev
split is a quarter check-worthy, so each measure can also be taken on a
class-balanced view: every negative weighted by positives ÷ negatives, which
is what the same sentences would score if both classes were equally common
(scikit-learn's ``sample_weight``).
"""

from __future__ import annotations

from collections.abc import Sequence


def balancing(labels: Sequence[int]) -> list[float]:
    """Weights that make the two classes count equally: 1 for a positive, positives ÷ negatives for a negative."""
    positives = sum(1 for y in labels if y)
    negatives = len(labels) - positives
    w = positives / negatives if positives and negatives else 1.0
    return [1.0 if y else w for y in labels]


def prf(
    labels: Sequence[int], predicted: Sequence[int], weights: Sequence[float] | None = None
) -> tuple[float, float, float]:
    """Precision, recall and F1 of class 1 (each sentence counting its weight, 1 by default)."""
    ws = weights or [1.0] * len(labels)
    tp = sum(w for y, p, w in zip(labels, predicted, ws) if y and p)
    fp = sum(w for y, p, w in zip(labels, predicted, ws) if p and not y)
    fn = sum(w for y, p, w in zip(labels, predicted, ws) if y and not p)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def average_precision(labels: Sequence[int], scores: Sequence[float], weights: Sequence[float] | None = None) -> float:
    """Σ (recall step) × precision over the distinct score thresholds, highest first (weighted as ``prf``)."""
    ws = weights or [1.0] * len(labels)
    positives = sum(w for y, w in zip(labels, ws) if y)
    if not positives:
        return 0.0
    triples = sorted(zip(scores, labels, ws), key=lambda p: -p[0])
    ap = tp = seen = 0.0
    i = 0
    while i < len(triples):
        j = i
        while j < len(triples) and triples[j][0] == triples[i][0]:
            j += 1
        step = sum(w for _, y, w in triples[i:j] if y)
        tp += step
        seen += sum(w for _, _, w in triples[i:j])
        if step:
            ap += (step / positives) * (tp / seen)
        i = j
    return ap


def measure(labels: Sequence[int], scores: Sequence[float], threshold: float, *, balanced: bool = False) -> dict:
    """n, F1, precision, recall at the threshold, and average precision, rounded to 4 places.

    ``balanced``: on the class-balanced view (``balancing``).
    """
    ws = balancing(labels) if balanced else None
    p, r, f1 = prf(labels, [int(s >= threshold) for s in scores], ws)
    return {
        "n": len(labels),
        "f1": round(f1, 4),
        "precision": round(p, 4),
        "recall": round(r, 4),
        "ap": round(average_precision(labels, scores, ws), 4),
    }
