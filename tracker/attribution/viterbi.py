"""The best label sequence of each chunk, and how sure the model is of each label, with numpy.

The same decoding CRFsuite does (first-order, no start or end weights; on a
tie the first label wins), for many chunks at once: the chunks are sorted by
length and stepped through together, so a text costs as many numpy steps as
its longest paragraph has tokens, not as its tokens altogether.
"""

from __future__ import annotations

import numpy as np


def best_labels(scores: np.ndarray, lens: np.ndarray, transitions: np.ndarray) -> np.ndarray:
    """The highest-scoring label index of every token; scores is (tokens × labels), chunks end to end."""
    n, labels = scores.shape
    out = np.zeros(n, dtype=np.intp)
    keep = np.flatnonzero(lens > 0)
    if not len(keep):
        return out
    begins = np.cumsum(lens) - lens
    order = keep[np.argsort(-lens[keep], kind="stable")]
    size = lens[order]
    first = begins[order]  # each chunk's first token, longest chunk first
    longest = int(size[0])
    # chunks still going at each step: a prefix, by the sort. Each step's back-pointers are kept only for
    # those, end to end, so the tables grow with the tokens, never with the chunks × the longest one
    # (a page of short lines beside one long paragraph padded to gigabytes).
    active = np.searchsorted(-size, -np.arange(longest), side="left")
    at = np.concatenate(([0], np.cumsum(active)))
    back = np.zeros((int(at[-1]), labels), dtype=np.intp)
    delta = scores[first]
    work = np.empty((len(order), labels, labels))
    for t in range(1, longest):
        k = active[t]
        step = work[:k]
        np.add(delta[:k, :, None], transitions, out=step)
        step.argmax(1, out=back[at[t] : at[t + 1]])
        delta[:k] = step.max(1) + scores[first[:k] + t]
    label = delta.argmax(1)
    for t in range(longest - 1, 0, -1):
        k = active[t]
        out[first[:k] + t] = label[:k]
        label[:k] = back[at[t] + np.arange(k), label[:k]]
    out[first] = label
    return out


def marginals(scores: np.ndarray, lens: np.ndarray, transitions: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """The probability of the given label of every token (forward-backward, one chunk at a time)."""
    out = np.ones(len(scores))
    begin = 0
    for size in lens.tolist():
        if size:
            e = scores[begin : begin + size]
            alpha = np.empty_like(e)
            beta = np.zeros_like(e)
            alpha[0] = e[0]
            for t in range(1, size):
                alpha[t] = _logsumexp(alpha[t - 1][:, None] + transitions, 0) + e[t]
            for t in range(size - 2, -1, -1):
                beta[t] = _logsumexp(transitions + (e[t + 1] + beta[t + 1])[None, :], 1)
            z = _logsumexp(alpha[-1], 0)
            y = labels[begin : begin + size]
            out[begin : begin + size] = np.exp(alpha[np.arange(size), y] + beta[np.arange(size), y] - z)
        begin += size
    return out


def _logsumexp(x: np.ndarray, axis: int) -> np.ndarray:
    top = x.max(axis=axis, keepdims=True)
    return np.squeeze(top, axis=axis) + np.log(np.exp(x - top).sum(axis=axis))
