"""Rules and the trained tagger together: one candidate per attribution, with content, cue and source spans.

What each part is trusted with was measured on the PolNeAR dev split (see
docs/extraction.md): the rules keep the kind, the claimant and its type where
they fire, since they were written for exactly those conventions (and the
bundled article's candidates stay what they were); the tagger supplies where
the attributed content and the cue are, and finds the paraphrased and
indirect attributions the rules never see.

A sentence holding one attribution gives one candidate whose text is the
sentence. A sentence holding several ("X said A, while Y said B") gives one
candidate each, whose text is that attribution's part of the sentence, so the
triage queue can accept one and dismiss the other.
"""

from __future__ import annotations

from bisect import bisect_right

from tracker.attribution import rules
from tracker.attribution.model import load
from tracker.attribution.rules import Candidate
from tracker.attribution.spans import Tagged, assemble

PERSON_PRONOUNS = frozenset(("he", "she"))
GROUP_PRONOUNS = frozenset(("they", "it"))
PRONOUNS = PERSON_PRONOUNS | GROUP_PRONOUNS | frozenset(("i", "we", "you", "him", "her", "them"))
STRIP = " \t\n\"'“”‘’«»„,;:—–-"
# A named speaker stays the referent of "he"/"she" this many paragraphs later, if no one else spoke since.
PRONOUN_REACH = 2


def extract(text: str, *, use_rules: bool = True, use_model: bool = True) -> list[Candidate]:
    """Claim candidates in text (one paragraph per line), in reading order.

    use_rules / use_model leave one part out, to measure what each contributes (bench/claims.py --parts).
    """
    if not text or not isinstance(text, str):
        return []
    found = rules.extract_candidates(text) if use_rules else []
    tagged = [t for chunk, labels in load().tag(text) for t in assemble(chunk, labels)] if use_model else []
    sentences = rules.split_sentences(text)
    starts = [a for a, _ in sentences]

    def sentence_of(pos: int) -> int:
        return bisect_right(starts, pos) - 1

    by_sentence: dict[int, list[Tagged]] = {}
    for t in tagged:
        anchor = t.cue[0] if t.cue else t.content[0][0]
        by_sentence.setdefault(sentence_of(anchor), []).append(t)
    ruled = {sentence_of(c.start): c for c in found}

    out: list[Candidate] = []
    for k in sorted(set(by_sentence) | set(ruled)):
        a, b = sentences[k] if k >= 0 else (0, len(text))
        rule = ruled.get(k)
        parts = by_sentence.get(k, [])
        if not parts:
            out.append(_rule_only(text, rule))
            continue
        for i, t in enumerate(parts):
            if len(parts) == 1:
                lo, hi = a, b
            else:
                lo, hi = _clause(text, t, a, b)
            cand = _from_tagged(text, t, lo, hi)
            if i == 0 and rule is not None:
                _keep_rule(cand, rule, text)
            out.append(cand)
    out.sort(key=lambda c: (c.start, c.end))
    unique: list[Candidate] = []
    for c in out:
        if unique and (unique[-1].start, unique[-1].end) == (c.start, c.end):
            continue
        unique.append(c)
    _resolve_pronouns(text, unique)
    return unique


def _clause(text: str, t: Tagged, a: int, b: int) -> tuple[int, int]:
    """The part of the sentence one of its attributions takes: from its first to its last piece."""
    points = [p for piece in t.content for p in piece]
    for span in (t.cue, t.source):
        if span:
            points.extend(span)
    lo, hi = max(a, min(points)), min(b, max(points))
    while hi < b and text[hi] in ".!?”’\"')":
        hi += 1
    return lo, hi


def _strip(text: str, lo: int, hi: int) -> tuple[int, int]:
    """A content piece without its quotation marks and the punctuation that joins it to the cue."""
    while lo < hi and text[lo] in STRIP:
        lo += 1
    while hi > lo and text[hi - 1] in STRIP:
        hi -= 1
    return lo, hi


def _from_tagged(text: str, t: Tagged, lo: int, hi: int) -> Candidate:
    pieces = [p for p in (_strip(text, a, b) for a, b in t.content) if p[1] > p[0]]
    cand = Candidate(kind="claim", text=text[lo:hi], start=lo, end=hi)
    if pieces:
        cand.content_spans = pieces
        cand.content = " ".join(text[a:b] for a, b in pieces)
        cand.content_start, cand.content_end = pieces[0][0], pieces[-1][1]
    if t.cue:
        cand.cue_start, cand.cue_end = t.cue
        cand.cue = text[t.cue[0] : t.cue[1]]
    if t.source:
        s_lo, s_hi = _strip(text, *t.source)
        name = rules.clean_np(text[s_lo:s_hi])
        at = text.find(name, s_lo, s_hi) if name else -1
        if at >= 0:
            cand.claimant, cand.source_start, cand.source_end = name, at, at + len(name)
            cand.claimant_type = _claimant_type(name)
    cand.kind = _kind(cand, text)
    quoted = [(a, b) for a, b in t.content if text[a] in "“\"«„" or (a > 0 and text[a - 1] in "“\"«„")]
    if quoted:
        qa, qb = _strip(text, *quoted[0])
        cand.quote, cand.quote_start, cand.quote_end = text[qa:qb], qa, qb
    return cand


def _claimant_type(name: str) -> str:
    low = name.lower()
    if low in PRONOUNS:
        return "unattributed"
    return rules.head_type(name) or ("named" if rules.is_person_name(name) else "anonymous")


def _kind(cand: Candidate, text: str) -> str:
    """The kind an attribution's cue and content make (the rules' own kind wins where they fired)."""
    cue = (cand.cue or "").lower()
    if rules.DENY_WORD.search(cue):
        return "denial"
    if rules.NO_COMMENT_CUE.search(cue):
        return "no_comment"
    if rules.CONFIRM_WORD.search(cue):
        return "confirmation"
    if cand.content_spans and all(_quoted(text, a, b) for a, b in cand.content_spans):
        return "quote"
    if cand.claimant is None and rules.HEDGE.search(cand.text):
        return "hedged"
    return "claim"


def _quoted(text: str, a: int, b: int) -> bool:
    return a > 0 and text[a - 1] in "“\"«„‘" and b < len(text) and text[b] in "”\"»“’,."


def _keep_rule(cand: Candidate, rule: Candidate, text: str) -> None:
    """The rules' reading of the sentence (kind, claimant, type, quotation) over the tagger's."""
    cand.kind = rule.kind
    if rule.claimant:
        cand.claimant, cand.claimant_type = rule.claimant, rule.claimant_type
        at = text.find(rule.claimant, cand.start, cand.end)
        cand.source_start, cand.source_end = (at, at + len(rule.claimant)) if at >= 0 else (None, None)
    if rule.quote is not None:
        cand.quote, cand.quote_start, cand.quote_end = rule.quote, rule.quote_start, rule.quote_end


def _rule_only(text: str, rule: Candidate) -> Candidate:
    """A rule candidate the tagger has nothing for: its quotation is its content, if it has one."""
    if rule.quote is not None:
        qa, qb = _strip(text, rule.quote_start, rule.quote_end)
        if qb > qa:
            rule.content, rule.content_start, rule.content_end = text[qa:qb], qa, qb
            rule.content_spans = [(qa, qb)]
    if rule.claimant:
        at = text.find(rule.claimant, rule.start, rule.end)
        if at >= 0:
            rule.source_start, rule.source_end = at, at + len(rule.claimant)
    return rule


def _resolve_pronouns(text: str, found: list[Candidate]) -> None:
    """'he said' → the last named speaker when no other person spoke in between, within PRONOUN_REACH paragraphs."""
    last_person: tuple[str, int] | None = None  # (name, paragraph number)
    last_group: tuple[str, int] | None = None
    line_starts: list[int] = [0] + [i + 1 for i, ch in enumerate(text) if ch == "\n"] if len(found) else []
    paragraph = 0
    for c in found:
        paragraph = bisect_right(line_starts, c.start)
        name = c.claimant
        low = (name or "").lower()
        if name and c.claimant_type == "named":
            last_person = (name, paragraph)
        elif name and c.claimant_type == "organization" and low not in GROUP_PRONOUNS:
            last_group = (name, paragraph)
        elif low in PERSON_PRONOUNS and last_person and paragraph - last_person[1] <= PRONOUN_REACH:
            c.claimant, c.claimant_type = last_person[0], "named"  # source_start/end still point at "he"
        elif low == "it" and last_group and paragraph - last_group[1] <= PRONOUN_REACH:
            c.claimant, c.claimant_type = last_group[0], "organization"
