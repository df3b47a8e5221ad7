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
    "MAX_TEXT_CHARS",
    "attributions",
    "cut_notice",
    "extract_candidates",
    "fingerprint",
    "normalize",
    "readable",
    "split_sentences",
]

# Characters of one text read for candidates. A news article or a statement is a few tens of thousands, a long
# report's text a few hundred thousand; a document may be 100 MB, and reading a 3 MB text took minutes and
# 290 MB. Past this, the text's first part is read and whoever asked is told so (cut_notice).
MAX_TEXT_CHARS = 1_000_000


def readable(text: str) -> str:
    """The part of text read for candidates: all of it within MAX_TEXT_CHARS, else its start up to the last
    paragraph break before the limit (no sentence read half), or to the limit when no break is in its second half.

    A prefix, so every offset a candidate gives still points into the whole text.
    """
    limit = MAX_TEXT_CHARS
    if len(text) <= limit:
        return text
    cut = text.rfind("\n", limit // 2, limit)
    return text[: cut if cut > 0 else limit]


def cut_notice(read: int, total: int) -> str:
    """What a reader of the candidates is told when only the first part of a text was read (readable)."""
    return f"only the first {read:,} of {total:,} characters were read for candidates: split the document"


def attributions(text: str) -> list[dict]:
    """Who said what in text, as {"speaker", "content", "cue"}: the candidates that carry attributed words.

    The shape attribution scorers take (PolNeAR's score.py: `--func tracker.attribution:attributions`);
    a "declined to comment" or a bare "reportedly" has no content and is not listed.
    """
    return [{"speaker": c.claimant, "content": c.content, "cue": c.cue} for c in extract_candidates(text) if c.content]
