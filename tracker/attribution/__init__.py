"""Text → claim candidates: who said what, with the cue and the attributed words.

Two parts find attributions and one puts them together:

- rules.py: hand-written rules for the conventions newsrooms share (a quotation
  with "— Name" on the next line, "declined to comment", "according to").
- model.py: a CRF trained on annotated news (PolNeAR) that tags source, cue and
  content tokens (features.py, tokens.py; spans.py ties the tags together;
  training.py rebuilds it); it finds the paraphrased and indirect attributions
  the rules miss.
- combine.py: one candidate per attribution, kinds and claimant types assigned.

Everything here is pure (text in, candidates out), so it runs the same in the
scraper, the CLI and the tests.
"""

from __future__ import annotations

from tracker.attribution.combine import extract as extract_candidates
from tracker.attribution.model import ModelUnavailable
from tracker.attribution.rules import (
    CLAIMANT_TYPES,
    KINDS,
    OUTLET_WORDS,
    Candidate,
    fingerprint,
    normalize,
    split_sentences,
)

__all__ = [
    "CLAIMANT_TYPES",
    "KINDS",
    "OUTLET_WORDS",
    "Candidate",
    "ModelUnavailable",
    "attributions",
    "extract_candidates",
    "fingerprint",
    "normalize",
    "split_sentences",
]


def attributions(text: str) -> list[dict]:
    """Who said what in text, as {"speaker", "content", "cue"}: the candidates that carry attributed words.

    The shape attribution scorers take (PolNeAR's score.py: `--func tracker.attribution:attributions`);
    a "declined to comment" or a bare "reportedly" has no content and is not listed.
    """
    return [{"speaker": c.claimant, "content": c.content, "cue": c.cue} for c in extract_candidates(text) if c.content]
