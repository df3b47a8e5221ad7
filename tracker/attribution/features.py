"""What the tagger knows about each token: the word, its shape, its neighbours, and where it stands.

Attribution is mostly decided by a few things a reader also uses: is there a
reporting cue nearby ("said", "according to", "told reporters"), which side of
it is this word, is it inside quotation marks, is it capitalised like a name.
The cue and source lexicons are learned from the training annotations (how
often a word is part of a cue or a source there) and travel inside the model
file, so the features at tagging time are exactly the ones trained on.
"""

from __future__ import annotations

from tracker.attribution.tokens import Chunk

OPEN_QUOTES = frozenset("“«„‘")
CLOSE_QUOTES = frozenset("”»’")
STRAIGHT = frozenset("\"'")


def shape(word: str) -> str:
    """'Xx' for 'Trump', 'X' for 'NYPD', 'x' for 'said', 'd' for '2016', the mark itself otherwise."""
    if word.isalpha():
        if word.islower():
            return "x"
        if word.isupper():
            return "X" if len(word) > 1 else "Xs"
        return "Xx" if word[0].isupper() else "xX"
    if word.isdigit():
        return "d"
    if any(ch.isalpha() for ch in word):
        return "Xx." if word[0].isupper() else "x."
    if any(ch.isdigit() for ch in word):
        return "d."
    return word if len(word) == 1 else "p"


def _bucket(d: int) -> str:
    return str(d) if d <= 3 else "5" if d <= 5 else "9" if d <= 9 else "f"


def sequence(text: str, chunk: Chunk, cues: dict[str, str], sources: dict[str, str]) -> list[list[str]]:
    """The feature strings of each token of one chunk, for the CRF."""
    words = [text[a:b] for a, b in zip(chunk.starts, chunk.ends)]
    low = [w.lower() for w in words]
    shapes = [shape(w) for w in words]
    cue = [cues.get(w, "") for w in low]
    src = [sources.get(w, "") for w in low]
    n = len(words)
    sent = chunk.sentence_of

    # inside or outside a quotation, per token; opening and closing marks told apart
    quote = []
    inside = False
    for i, w in enumerate(words):
        if len(w) == 1 and (w in OPEN_QUOTES or w in CLOSE_QUOTES or w in STRAIGHT):
            prev_space = i == 0 or chunk.starts[i] > chunk.ends[i - 1]
            if w in OPEN_QUOTES and (w != "‘" or prev_space):
                inside, mark = True, "qo"
            elif w in CLOSE_QUOTES and (w != "’" or inside):
                inside, mark = False, "qc"
            elif w == '"':
                inside = not inside
                mark = "qo" if inside else "qc"
            else:
                mark = "qa"  # an apostrophe
            quote.append(mark)
        else:
            quote.append("in" if inside else "out")

    # per sentence: does it hold a quotation, and where are its strong cue words
    first = [i == 0 or sent[i] != sent[i - 1] for i in range(n)]
    last = [i == n - 1 or sent[i] != sent[i + 1] for i in range(n)]
    has_quote: dict[int, bool] = {}
    cue_at: dict[int, list[int]] = {}
    for i in range(n):
        if quote[i] in ("qo", "qc"):
            has_quote[sent[i]] = True
        if cue[i] in ("c3", "c2"):
            cue_at.setdefault(sent[i], []).append(i)

    rel = []
    for i in range(n):
        spots = cue_at.get(sent[i])
        if not spots:
            rel.append("none")
            continue
        best = min(spots, key=lambda j: abs(j - i))
        rel.append("at" if best == i else ("L" if i < best else "R") + _bucket(abs(best - i)))

    pad = ["<s>", "<s>"]
    lw = pad + low + ["</s>", "</s>"]
    sh = pad + shapes + ["</s>", "</s>"]
    cx = pad + cue + ["</s>", "</s>"]
    qs = pad + quote + ["</s>", "</s>"]
    out = []
    for i in range(n):
        k = i + 2
        w = low[i]
        f = [
            "b",
            "w=" + w,
            "sh=" + shapes[i],
            "q=" + quote[i],
            "cd=" + rel[i],
            "w-1=" + lw[k - 1],
            "w+1=" + lw[k + 1],
            "w-2=" + lw[k - 2],
            "w+2=" + lw[k + 2],
            "sh-1=" + sh[k - 1],
            "sh+1=" + sh[k + 1],
            "cx-1=" + cx[k - 1],
            "cx+1=" + cx[k + 1],
            "cx-2=" + cx[k - 2],
            "cx+2=" + cx[k + 2],
            "q-1=" + qs[k - 1],
            "q+1=" + qs[k + 1],
            "ww=" + lw[k - 1] + "|" + w,
            "cq=" + rel[i] + "|" + quote[i],
        ]
        if len(w) > 3:
            f.append("p3=" + w[-3:])
        if cue[i]:
            f.append("cx=" + cue[i])
        if src[i]:
            f.append("sx=" + src[i])
        if first[i]:
            f.append("first")
        if last[i]:
            f.append("last")
        if has_quote.get(sent[i]):
            f.append("sq")
        out.append(f)
    return out
