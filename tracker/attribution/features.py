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


# The feature strings that depend on the word alone, made once per word: building them for every token
# was two thirds of the feature time. Cleared when it grows past CACHE_SIZE (hostile input).
_by_word: dict[str, tuple[str, ...]] = {}
CACHE_SIZE = 100_000


def _word_strings(w: str) -> tuple[str, ...]:
    found = _by_word.get(w)
    if found is None:
        if len(_by_word) >= CACHE_SIZE:
            _by_word.clear()
        found = _by_word[w] = (
            "w=" + w,
            "w-1=" + w,
            "w+1=" + w,
            "w-2=" + w,
            "w+2=" + w,
            "p3=" + w[-3:] if len(w) > 3 else "",
        )
    return found


def _bucket(d: int) -> str:
    return str(d) if d <= 3 else "5" if d <= 5 else "9" if d <= 9 else "f"


def _joined(prefix: str) -> dict[str, str]:
    """prefix + value, made once per value: the small vocabularies (shapes, classes, quote states) repeat."""

    class Joined(dict):
        def __missing__(self, value: str) -> str:
            self[value] = prefix + value
            return self[value]

    return Joined()


_SH, _SH_L, _SH_R = _joined("sh="), _joined("sh-1="), _joined("sh+1=")
_Q, _Q_L, _Q_R = _joined("q="), _joined("q-1="), _joined("q+1=")
_CD, _SCD, _CQ = _joined("cd="), _joined("scd="), _joined("cq=")
_CX = {d: _joined(f"cx{d:+d}=") for d in (-3, -2, -1, 1, 2, 3)}
_SX_L, _SX_R = _joined("sx-1="), _joined("sx+1=")
_CX0, _SX0 = _joined("cx="), _joined("sx=")
_shapes: dict[str, str] = {}


def sequence(text: str, chunk: Chunk, cues: dict[str, str], sources: dict[str, str]) -> list[list[str]]:
    """The feature strings of each token of one chunk, for the CRF."""
    words = [text[a:b] for a, b in zip(chunk.starts, chunk.ends)]
    low = [w.lower() for w in words]
    if len(_shapes) > CACHE_SIZE:
        _shapes.clear()
    shapes = [_shapes.get(w) or _shapes.setdefault(w, shape(w)) for w in words]
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
    has_quote = {sent[i] for i in range(n) if quote[i] in ("qo", "qc")}
    strong = [c == "c3" or c == "c2" for c in cue]

    # the nearest strong cue word in the same sentence: one pass from each side (ties go to the left one)
    left = [-1] * n
    seen = -1
    for i in range(n):
        if first[i]:
            seen = -1
        if strong[i]:
            seen = i
        left[i] = seen
    right = [-1] * n
    seen = -1
    for i in range(n - 1, -1, -1):
        if last[i]:
            seen = -1
        if strong[i]:
            seen = i
        right[i] = seen
    rel = []
    for i in range(n):
        lo, hi = left[i], right[i]
        if lo < 0 and hi < 0:
            rel.append("none")
            continue
        best = lo if hi < 0 or (lo >= 0 and i - lo <= hi - i) else hi
        rel.append("at" if best == i else ("L" if i < best else "R") + _bucket(abs(best - i)))

    pad, end = ["<s>"] * 3, ["</s>"] * 3
    strings = [_word_strings(w) for w in low]
    edge = (("", "w-1=<s>", "w+1=<s>", "w-2=<s>", "w+2=<s>", ""),) * 3
    edge_end = (("", "w-1=</s>", "w+1=</s>", "w-2=</s>", "w+2=</s>", ""),) * 3
    ws = list(edge) + strings + list(edge_end)
    lw = pad + low + end
    sh = pad + shapes + end
    cx = pad + cue + end
    sx = pad + src + end
    qs = pad + quote + end
    cxm3, cxm2, cxm1, cxp1, cxp2, cxp3 = (_CX[d] for d in (-3, -2, -1, 1, 2, 3))
    out = []
    for i in range(n):
        k = i + 3
        w = low[i]
        mine = strings[i]
        r = rel[i]
        f = [
            "b",
            mine[0],
            _SH[shapes[i]],
            _Q[quote[i]],
            _CD[r],
            ws[k - 1][1],
            ws[k + 1][2],
            ws[k - 2][3],
            ws[k + 2][4],
            _SH_L[sh[k - 1]],
            _SH_R[sh[k + 1]],
            cxm1[cx[k - 1]],
            cxp1[cx[k + 1]],
            cxm2[cx[k - 2]],
            cxp2[cx[k + 2]],
            cxm3[cx[k - 3]],
            cxp3[cx[k + 3]],
            _SX_L[sx[k - 1]],
            _SX_R[sx[k + 1]],
            _SCD[shapes[i] + "|" + r],
            _Q_L[qs[k - 1]],
            _Q_R[qs[k + 1]],
            "ww=" + lw[k - 1] + "|" + w,
            _CQ[r + "|" + quote[i]],
        ]
        if mine[5]:
            f.append(mine[5])
        if cue[i]:
            f.append(_CX0[cue[i]])
        if src[i]:
            f.append(_SX0[src[i]])
        if first[i]:
            f.append("first")
        if last[i]:
            f.append("last")
        if sent[i] in has_quote:
            f.append("sq")
        out.append(f)
    return out
