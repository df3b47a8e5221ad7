"""Tokens with their offsets, grouped in paragraphs and sentences, as the model sees text.

The model tags tokens, and every tag must map back to exact characters of the
input (content, cue and source offsets are stored and highlighted), so a token
is never a normalised copy: it is a (start, end) pair into the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import accumulate

from tracker.attribution.rules import MAX_SENTENCE, mask_tags, split_sentences

# A word (with inner apostrophes, hyphens and dots: "don't", "co-founder", "U.S"), or one other character.
TOKEN = re.compile(r"[^\W_]+(?:[’'.\-][^\W_]+)*|[^\w\s]|_+")
_SPLIT = re.compile(f"({TOKEN.pattern})")
# The tagger reads curly quotation marks and apostrophes as straight ones (model.tag), so the same
# sentence typed either way, or copied through a tool that straightens them, gets the same tags; read
# raw, a third of the tagger's candidates on real pages changed with them. One character for one, so
# every offset stays where it was. Training reads the corpus through the same read(), so the model
# learns from text as it will see it.
STRAIGHTEN = str.maketrans(dict.fromkeys("“”„‟", '"') | dict.fromkeys("‘’‚‛", "'"))
# A paragraph longer than this is tagged in pieces of whole sentences: the tagger is linear in the
# length of what it is given, and a run-on scrape is no paragraph a reporter reads as one.
MAX_CHUNK = 4000


def straighten(text: str) -> str:
    """Curly quotation marks and apostrophes made straight, one character for one."""
    return text.translate(STRAIGHTEN)


def read(text: str, sentences: list[tuple[int, int]] | None = None) -> list[Chunk]:
    """The text's chunks as the tagger reads them, in training and in use alike, so the model learns from
    what it will be given: sentences as the rules split the text as written, tokens with straight marks.

    sentences: split_sentences(text), when the caller has it already.
    """
    return chunks(straighten(text), split_sentences(text) if sentences is None else sentences)


@dataclass
class Chunk:
    """One paragraph (or a piece of a long one): its tokens and where each sentence starts."""

    starts: list[int]
    ends: list[int]
    sentence_of: list[int]  # sentence index (within the chunk) of each token
    text: str = ""  # the whole text the offsets point into
    words: list[str] = field(default_factory=list)  # text[start:end] of each token


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
            current = Chunk([], [], [], text, [])
            out.append(current)
            size = 0
            sentence = -1
        sentence += 1
        size += b - a
        # gap, token, gap, token, ..., gap: the pieces cover the sentence, so their running lengths are
        # the tokens' offsets (all in C; a match object per token was most of the tokenising time)
        pieces = _SPLIT.split(masked[a:b])
        at = list(accumulate(map(len, pieces), initial=a))
        words = pieces[1::2]
        current.words += words
        current.starts += at[1:-1:2]
        current.ends += at[2::2]
        current.sentence_of += [sentence] * len(words)
    return [c for c in out if c.starts]
