"""Tokens with their offsets, grouped in paragraphs and sentences, as the model sees text.

The model tags tokens, and every tag must map back to exact characters of the
input (content, cue and source offsets are stored and highlighted), so a token
is never a normalised copy: it is a (start, end) pair into the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tracker.attribution.rules import MAX_SENTENCE, mask_tags, split_sentences

# A word (with inner apostrophes, hyphens and dots: "don't", "co-founder", "U.S"), or one other character.
TOKEN = re.compile(r"[^\W_]+(?:[’'.\-][^\W_]+)*|[^\w\s]|_+")
# A paragraph longer than this is tagged in pieces of whole sentences: the tagger is linear in the
# length of what it is given, and a run-on scrape is no paragraph a reporter reads as one.
MAX_CHUNK = 4000


@dataclass
class Chunk:
    """One paragraph (or a piece of a long one): its tokens and where each sentence starts."""

    starts: list[int]
    ends: list[int]
    sentence_of: list[int]  # sentence index (within the chunk) of each token
    text: str = ""  # the whole text the offsets point into


def chunks(text: str, sentences: list[tuple[int, int]] | None = None) -> list[Chunk]:
    """The text's paragraphs as token sequences; sentences longer than rules.MAX_SENTENCE are left out.

    sentences: split_sentences(text), when the caller has it already.
    """
    masked = mask_tags(text)
    out: list[Chunk] = []
    current: Chunk | None = None
    line_end = -1
    size = 0
    sentence = -1
    for a, b in split_sentences(text) if sentences is None else sentences:
        if b - a > MAX_SENTENCE:
            current = None  # a data dump or run-on scrape: not prose; the paragraph resumes after it
            continue
        new_line = a > line_end
        if new_line:
            nl = text.find("\n", a)
            line_end = len(text) if nl < 0 else nl
        if current is None or new_line or size + (b - a) > MAX_CHUNK:
            current = Chunk([], [], [], text)
            out.append(current)
            size = 0
            sentence = -1
        sentence += 1
        size += b - a
        for m in TOKEN.finditer(masked, a, b):
            current.starts.append(m.start())
            current.ends.append(m.end())
            current.sentence_of.append(sentence)
    return [c for c in out if c.starts]
