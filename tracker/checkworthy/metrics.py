"""The corpus's two measures, in plain Python so the bench and the tests need no numpy.

F1 of the check-worthy class at the model's own threshold, and average
precision of the scores: the mean of the precision at each rank where a
check-worthy sentence turns up, which is how a ranked triage queue feels.
Both agree with scikit-learn's f1_score and average_precision_score (tied
scores form one step, as there).
"""

from __future__ import annotations

from collections.abc import Sequence


def prf(labels: Sequence[int], predicted: Sequence[int]) -> tuple[float, float, float]:
    """Precision, recall and F1 of class 1."""
    tp = sum(1 for y, p in zip(labels, predicted) if y and p)
    fp = sum(1 for y, p in zip(labels, predicted) if p and not y)
    fn = sum(1 for y, p in zip(labels, predicted) if y and not p)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def average_precision(labels: Sequence[int], scores: Sequence[float]) -> float:
    """Σ (recall step) × precision over the distinct score thresholds, highest first."""
    positives = sum(1 for y in labels if y)
    if not positives:
        return 0.0
    pairs = sorted(zip(scores, labels), key=lambda p: -p[0])
    ap = tp = seen = 0
    i = 0
    while i < len(pairs):
        j = i
        while j < len(pairs) and pairs[j][0] == pairs[i][0]:
            j += 1
        step = sum(1 for _, y in pairs[i:j] if y)
        tp += step
        seen = j
        if step:
            ap += (step / positives) * (tp / seen)
        i = j
    return ap


def measure(labels: Sequence[int], scores: Sequence[float], threshold: float) -> dict:
    """n, F1, precision, recall at the threshold, and average precision, rounded to 4 places."""
    p, r, f1 = prf(labels, [int(s >= threshold) for s in scores])
    return {
        "n": len(labels),
        "f1": round(f1, 4),
        "precision": round(p, 4),
        "recall": round(r, 4),
        "ap": round(average_precision(labels, scores), 4),
    }
