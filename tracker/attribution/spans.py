"""From one label per token to attributions: content pieces tied to their cue, the cue to its source.

The tagger says which tokens are source, cue and content, not which belong
together. A reader ties them by nearness: content goes with the nearest cue
(in its own sentence first), the cue with the nearest source beside it. Two
content runs on either side of one cue ("“We will appeal,” she said, “and we
will win.”") are one attribution in two pieces.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass

from tracker.attribution.rules import OCCASIONS_AFTER
from tracker.attribution.tokens import Chunk

# A content run this many tokens or more away from any cue in its paragraph is left out: nothing says who said it.
MAX_CUE_DISTANCE = 40


@dataclass
class Tagged:
    """One attribution the tagger found; offsets are into the text, pieces in reading order."""

    content: list[tuple[int, int]]
    cue: tuple[int, int] | None
    source: tuple[int, int] | None
    confidence: float = 1.0  # the tagger's mean certainty over the content and cue tokens


@dataclass
class _Run:
    role: str
    first: int  # token indexes, inclusive
    last: int


def runs(labels: list[str]) -> list[_Run]:
    out: list[_Run] = []
    for i in [i for i, label in enumerate(labels) if label != "O"]:  # most tokens are "O": skip them in C
        label = labels[i]
        tag, role = label[0], label[2:]
        if tag == "I" and out and out[-1].role == role and out[-1].last == i - 1:
            out[-1].last = i
        else:
            out.append(_Run(role, i, i))
    return out


def _gap(a: _Run, b: _Run) -> int:
    """Tokens between two runs (0 when they touch)."""
    if a.last < b.first:
        return b.first - a.last - 1
    if b.last < a.first:
        return a.first - b.last - 1
    return 0


def assemble(chunk: Chunk, labels: list[str], sure: list[float] | None = None) -> list[Tagged]:
    """The attributions in one tagged chunk, in order of their first content piece."""
    found = runs(labels)
    if not found:
        return []
    cues = [r for r in found if r.role == "C"]
    sources = [r for r in found if r.role == "S"]
    contents = [r for r in found if r.role == "Q" and r.last > r.first or r.role == "Q" and _is_word(chunk, r)]
    sent = chunk.sentence_of

    def sentence_gap(a: _Run, b: _Run) -> int:
        return abs(sent[a.first] - sent[b.first])

    by_cue: dict[int, list[_Run]] = {}
    orphans: list[_Run] = []
    firsts = [c.first for c in cues]  # in token order, as runs() finds them
    source_firsts = [r.first for r in sources]
    for q in contents:
        if not cues:
            orphans.append(q)
            continue
        # Only the cues either side of q have no other cue between them and it (_crosses is 0), so the nearest
        # is one of those two: a look at every cue of the chunk for every content run grew with its square.
        after = bisect_right(firsts, q.first)
        beside = [k for k in (after - 1, after) if 0 <= k < len(cues)]
        best = min(beside, key=lambda k: (_crosses(cues[k], q, firsts), sentence_gap(cues[k], q), _gap(cues[k], q)))
        if _gap(cues[best], q) >= MAX_CUE_DISTANCE:
            orphans.append(q)
            continue
        by_cue.setdefault(best, []).append(q)

    def confidence(parts: list[_Run]) -> float:
        if sure is None:
            return 1.0
        values = [sure[i] for r in parts for i in range(r.first, r.last + 1)]
        return sum(values) / len(values)

    out: list[Tagged] = []
    cue_firsts = set(firsts)
    for k, pieces in list(by_cue.items()):
        if _after_closing_cue(chunk, cues[k], pieces):
            own = _clause_content(chunk, cues[k], sources, source_firsts, cue_firsts)
            if own:  # "The ferry is unsafe, they say. The council voted …": the words before the comma are theirs
                out.append(own)
                if not _quotation_opens(chunk, cues[k], pieces):
                    orphans += pieces
                    del by_cue[k]
    for k, pieces in by_cue.items():
        cue = cues[k]
        source = None
        near = [
            s
            for s in _sources_near(sources, source_firsts, sent, cue)
            if sent[s.first] == sent[cue.first] or _gap(s, cue) <= 2
        ]
        if near:
            source = min(near, key=lambda s: (_gap(s, cue), s.first))
        out.append(
            Tagged(
                content=[(chunk.starts[p.first], chunk.ends[p.last]) for p in pieces],
                cue=(chunk.starts[cue.first], chunk.ends[cue.last]),
                source=(chunk.starts[source.first], chunk.ends[source.last]) if source else None,
                confidence=min(confidence(pieces), confidence([cue])),
            )
        )
    for q in orphans:
        out.append(Tagged([(chunk.starts[q.first], chunk.ends[q.last])], None, None, confidence([q])))
    for k, cue in enumerate(cues):
        if k not in by_cue:
            found_clause = _clause_content(chunk, cue, sources, source_firsts, cue_firsts)
            if found_clause:
                out.append(found_clause)
    out.sort(key=lambda t: t.content[0][0])
    return out


def _clause_content(
    chunk: Chunk, cue: _Run, sources: list[_Run], source_firsts: list[int], cue_firsts: set[int]
) -> Tagged | None:
    """A cue and its source opening or closing a sentence, set off by a comma, with no content tagged:
    "According to the ministry, the border will reopen." The rest of the sentence is the content. A closing
    one may be followed by the same speaker's next claim ("…, the board said, adding that …")."""
    sent = chunk.sentence_of
    k = sent[cue.first]
    near = _sources_near(sources, source_firsts, sent, cue)
    source = next((s for s in near if sent[s.first] == k and _gap(s, cue) == 0), None)
    if source is None:
        return None
    lo, hi = min(cue.first, source.first), max(cue.last, source.last)
    first = lo
    while first > 0 and sent[first - 1] == k:
        first -= 1
    last = hi
    while last + 1 < len(sent) and sent[last + 1] == k:
        last += 1

    def word(i: int) -> bool:
        return chunk.ends[i] - chunk.starts[i] > 1

    def is_comma(i: int) -> bool:
        return 0 <= i < len(sent) and sent[i] == k and not word(i) and chunk.ends[i] - chunk.starts[i] == 1

    span = None
    if lo == first and is_comma(hi + 1) and hi + 2 <= last:
        span = (hi + 2, last)
    elif (
        (
            _only_when_after(chunk, hi, last, told=_told(chunk, cue))
            or is_comma(hi + 1)
            and _participle_cue(chunk, hi + 2, cue_firsts)
        )
        and is_comma(lo - 1)
        and lo - 2 >= first
    ):
        span = (first, lo - 2)
    if span is None:
        return None
    a, b = span
    while b > a and not word(b):
        b -= 1  # the full stop
    return Tagged(
        content=[(chunk.starts[a], chunk.ends[b])],
        cue=(chunk.starts[cue.first], chunk.ends[cue.last]),
        source=(chunk.starts[source.first], chunk.ends[source.last]),
    )


def _after_closing_cue(chunk: Chunk, cue: _Run, pieces: list[_Run]) -> bool:
    """Is all the content tied to this cue in sentences after the cue's? A cue closing its sentence ("…, they
    say.") was tied so to the next sentence, which reports no one, quoted words inside it or not ("The council
    voted to close the “unsafe” quay."), unless a quotation opens it (_quotation_opens). Either way the words
    before the comma are what the cue's own sentence says: "…, residents say. “We have nowhere else to go.”" gave
    a first candidate with no content, the tagger having tied "say" to the quotation alone."""
    sent = chunk.sentence_of
    return sent[pieces[0].first] > sent[cue.first] and pieces[0].first >= cue.first


def _quotation_opens(chunk: Chunk, cue: _Run, pieces: list[_Run]) -> bool:
    """Does a quotation open the content after a closing cue? It may be the same speaker going on, and stays
    theirs."""
    return '"' in chunk.text[chunk.ends[cue.last] : chunk.starts[pieces[0].first] + 1]


def _participle_cue(chunk: Chunk, i: int, cue_firsts: set[int]) -> bool:
    """Does a cue such as "adding" or "saying" start at token i: the same speaker going on?"""
    return i in cue_firsts and chunk.text[chunk.starts[i] : chunk.ends[i]].lower().endswith("ing")


def _only_when_after(chunk: Chunk, hi: int, last: int, told: bool = False) -> bool:
    """Do only full stops (or nothing) follow token hi to the sentence's last token, perhaps after when the
    attribution was made ("…, the county office said on Friday.") or, after "told", whom it was told ("…, Tom Hale
    told Reuters.", "…, a spokesman told The Associated Press on Tuesday.")?"""
    stops = last + 1
    while stops > hi + 1 and chunk.ends[stops - 1] - chunk.starts[stops - 1] == 1 and _is_stop(chunk, stops - 1):
        stops -= 1
    if stops == hi + 1:
        return True
    end = chunk.starts[stops] if stops <= last else chunk.ends[last]
    if OCCASIONS_AFTER.fullmatch(chunk.text, chunk.ends[hi], end):
        return True
    for i in range(hi + 1, min(stops, hi + 1 + _RECIPIENT_TOKENS) if told else hi + 1):
        if chunk.ends[i] - chunk.starts[i] == 1 and not chunk.text[chunk.starts[i]].isalnum():
            return False  # a comma or a mark: more than whom it was told
        if i + 1 == stops or OCCASIONS_AFTER.fullmatch(chunk.text, chunk.ends[i], end):
            return True
    return False


_RECIPIENT_TOKENS = 4  # whom it was told: "reporters", "Reuters", "The Associated Press", "the Harbour Ledger"


def _told(chunk: Chunk, cue: _Run) -> bool:
    """Is the cue "told" or "tells", which whom it was told may follow?"""
    return chunk.text[chunk.starts[cue.first] : chunk.ends[cue.last]].lower() in ("told", "tells")


def _is_stop(chunk: Chunk, i: int) -> bool:
    """Is token i a full stop (or ! or a closing mark), as opposed to a colon that announces what follows?"""
    return chunk.text[chunk.starts[i]] in '.!”"’)'


def _is_word(chunk: Chunk, r: _Run) -> bool:
    return chunk.ends[r.first] - chunk.starts[r.first] > 1


def _sources_near(sources: list[_Run], firsts: list[int], sent: list[int], cue: _Run) -> list[_Run]:
    """The sources (firsts: where each starts, in order) that may be in the cue's sentence or within two tokens of
    it, in order: a sentence's tokens are consecutive, so these are found by search, not by a look at them all."""
    lo, hi = cue.first, cue.last
    while lo > 0 and sent[lo - 1] == sent[cue.first]:
        lo -= 1
    while hi + 1 < len(sent) and sent[hi + 1] == sent[cue.first]:
        hi += 1
    # one more before: a long run that starts earlier may still end beside the cue
    return sources[
        max(0, bisect_left(firsts, min(lo, cue.first - 3)) - 1) : bisect_right(firsts, max(hi, cue.last + 3))
    ]


def _crosses(cue: _Run, q: _Run, firsts: list[int]) -> int:
    """1 when another cue stands between this cue and the content: that content is the other cue's.

    firsts: where each cue of the chunk starts, in order. A search rather than a look at every cue: a
    paragraph of many quotations has as many cues as contents, and this runs for every pair of them.
    """
    lo, hi = (cue.last, q.first) if cue.last < q.first else (q.last, cue.first)
    return int(bisect_left(firsts, hi) > bisect_right(firsts, lo))
