"""A small network over a sentence's pooled word vectors, blended with the linear model.

The linear model (model.py) weighs n-grams one by one; this one reads the
sentence's pooled word vectors (wordvectors.py), so it can combine what
several words say together ("the rate fell" vs "the rate will fall") and
generalise to words the labels never showed. Alone it ranks worse than the
linear model; their blend ranks better than either (cross-validation inside
train, docs/checkworthiness.md), because they err on different sentences.

Shape: standardised input, one hidden layer of ReLU units, a logistic
output; SEEDS copies fitted from different starting weights, their
probabilities averaged (one copy's ranking varies with its start). Scoring
is three matrix products in numpy; fitting uses scikit-learn (training only).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

HIDDEN = 128
# The size (rows × inputs × hidden units) of each matrix product. A bigger product makes
# OpenBLAS start its threads, which spin while they wait: on 804 sentences that cost 7
# times the CPU of a loop of small single-threaded products, on a machine whose cores
# are shared. 16 rows of 128 inputs stayed single-threaded, 16 rows of 256 did not
# (3 times the CPU of the whole score), so the rows per product follow the input's width.
PRODUCT = 16 * 128 * HIDDEN
ALPHA = 3.0  # L2 penalty: strong, the input is dense and the data small
SEEDS = 3


@dataclass
class Layer:
    """One fitted copy: hidden weights and biases, output weights and bias."""

    w1: np.ndarray
    b1: np.ndarray
    w2: np.ndarray
    b2: float


@dataclass
class Network:
    """Input standardisation, the fitted copies, and the share of the blend this network's log-odds carry."""

    mean: np.ndarray
    scale: np.ndarray
    copies: list[Layer]
    share: float = 1.0

    def probabilities(self, x: np.ndarray) -> np.ndarray:
        """Mean probability of the copies for a batch of pooled vectors."""
        z = (x - self.mean) / self.scale
        p = np.zeros(len(x))
        for c in self.copies:
            out = np.empty(len(x))
            rows = max(1, PRODUCT // c.w1.size)
            for i in range(0, len(x), rows):
                out[i : i + rows] = np.maximum(z[i : i + rows] @ c.w1 + c.b1, 0.0) @ c.w2
            p += 1.0 / (1.0 + np.exp(-np.clip(out + c.b2, -60.0, 60.0)))
        return p / len(self.copies)

    def margins(self, x: np.ndarray) -> np.ndarray:
        """This network's part of the blended log-odds: share × logit of its probability."""
        p = np.clip(self.probabilities(x), 1e-6, 1 - 1e-6)
        return self.share * np.log(p / (1.0 - p))


def fit(
    x: np.ndarray, labels: np.ndarray, *, hidden: int = HIDDEN, alpha: float = ALPHA, seeds: int = SEEDS
) -> Network:
    """Fit the copies with Adam from fixed seeds (deterministic); share 1 until the blend is chosen.

    The network sees the corpus's prior (a quarter check-worthy); its output
    bias is moved by the log of the class ratio so its scores, like the
    class-balanced linear model's, read as if both classes were equally common.
    """
    import warnings

    from sklearn.exceptions import ConvergenceWarning
    from sklearn.neural_network import MLPClassifier

    positives = int(np.sum(labels))
    prior = float(np.log((len(labels) - positives) / positives))
    mean = x.mean(axis=0)
    scale = x.std(axis=0) + 1e-9
    z = (x - mean) / scale
    copies = []
    for seed in range(seeds):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            m = MLPClassifier((hidden,), alpha=alpha, max_iter=200, random_state=seed).fit(z, labels)
        copies.append(Layer(m.coefs_[0], m.intercepts_[0], m.coefs_[1][:, 0], float(m.intercepts_[1][0]) + prior))
    return Network(mean, scale, copies)
