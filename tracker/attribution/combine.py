"""Rules and the trained tagger together: one candidate per attribution, with content, cue and source spans.

What each part is trusted with was measured on the PolNeAR dev split (see
docs/attribution.md): the rules keep the kind, the claimant and its type where
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

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable
from functools import cache, lru_cache

from tracker.attribution import rules
from tracker.attribution.model import load
from tracker.attribution.rules import Candidate
from tracker.attribution.spans import Tagged, assemble

PERSON_PRONOUNS = frozenset(("he", "she", *rules.PRONOUNS_ABROAD))  # "…, sagte er."
GROUP_PRONOUNS = frozenset(("they", "it"))
# Whom a pronoun is: "Mrs. Ana Ruiz …. He said …" is not hers (rules.GENDER_OF_TITLE).
PERSON_PRONOUNS_GENDER = {"he": "he", "she": "she", **rules.PRONOUNS_ABROAD}
PRONOUNS = PERSON_PRONOUNS | GROUP_PRONOUNS | frozenset(("i", "we", "you", "him", "her", "them"))
STRIP = " \t\n\"'“”‘’«»„,;:—–-"
# Attributions the tagger is less sure of than this are left out. On dev half A every floor tried
# (0.5 to 0.8) bought precision with more recall than it gave F1, so none is set; raise it to trade.
MIN_CONFIDENCE = 0.0
# Content shorter than this, unquoted, is a phrase ("citing privacy rules"), not something said.
MIN_WORDS = 3
# A named speaker stays the referent of "he"/"she" this many paragraphs later, if no one else spoke since.
PRONOUN_REACH = 2


def extract(text: str, *, use_rules: bool = True, use_model: bool = True) -> list[Candidate]:
    """Claim candidates in text (one paragraph per line), in reading order.

    use_rules / use_model leave one part out, to measure what each contributes (bench/claims.py --parts).
    """
    if not text or not isinstance(text, str):
        return []
    _forget_previous_text()
    sentences = rules.split_sentences(text)
    found = rules.extract_candidates(text, sentences) if use_rules else []
    tagged = []
    if use_model:
        read = _without_anonymity_clauses(text)
        for chunk, labels, sure in load().tag(read, certainty=MIN_CONFIDENCE > 0, sentences=sentences):
            tagged += [t for t in assemble(chunk, labels, sure) if t.confidence >= MIN_CONFIDENCE]
        tagged = [part for t in tagged for part in _coordinated(text, t)]
        tagged = [part for t in tagged for part in _participle_after_occasion(text, t)]
        tagged = [part for t in tagged for part in _participle_after_speaker(text, t)]
    starts = [a for a, _ in sentences]

    def sentence_of(pos: int) -> int:
        return bisect_right(starts, pos) - 1

    by_sentence: dict[int, list[Tagged]] = {}
    for t in tagged:
        t.source = _without_contraction(text, t.source)
        t.source = _without_predicate(text, t.source)
        if t.source:
            t.source = _before_dashes(text, t.source, sentences[sentence_of(t.source[0])][0])
        t.source, t.cue = _with_name_after_title(text, t.source, t.cue)
        _occasion_before_that(text, t)
        if t.cue and _asked_of(text, t.cue):
            t.source = None  # "Tom Hale said when asked whether …": the question was put to him, not asked by him
        if t.cue and len(t.content) > 1:
            _within_cue_sentence(text, t, sentences[sentence_of(t.cue[0])])
        if t.cue and t.content:
            _clause_out_of_cue(text, t)
            _unquoted_within_sentence(text, t, sentences, starts)
        if t.content:
            k = sentence_of(t.content[-1][0])
            _past_relative_clause(text, t, sentences[k][1] if k >= 0 else len(text))
            _past_opening_clause(text, t, sentences[k][1] if k >= 0 else len(text))
        if not _plausible(text, t):
            continue
        # the cue's sentence, unless the content is all elsewhere ("Damon Otter said:" and the quotation below)
        anchor = t.content[0][0]
        if t.cue:
            k = sentence_of(t.cue[0])
            if any(sentence_of(a) <= k <= sentence_of(max(a, b - 1)) for a, b in t.content):
                anchor = t.cue[0]
        by_sentence.setdefault(sentence_of(anchor), []).append(t)
    ruled = {sentence_of(c.start): c for c in found}

    out: list[Candidate] = []
    for k in sorted(set(by_sentence) | set(ruled)):
        a, b = sentences[k] if k >= 0 else (0, len(text))
        rule = ruled.get(k)
        parts = by_sentence.get(k, [])
        opening = None
        if k >= 0:
            opening = (
                _according_opening(text, a, b)
                or _according_closing(text, a, b, parts)
                or _inverted_closing(text, a, b)
                or _asked_opening(text, a, b)
            )
        if opening:  # the tagger's own reading of the same cue gives way; one of a verb in the rest is nested
            parts = [opening] + [t for t in parts if not (t.cue and _overlap([t.cue], opening.content + [opening.cue]))]
            parts = [t for t in parts if t is opening or not _overlap(t.content, opening.content)]
        if not parts:
            out.append(_rule_only(text, rule))
            continue
        if len(parts) > 1:  # "X said Y believes Z": Y's attribution is part of what X said
            parts = [t for t in parts if not any(o is not t and t.cue and _inside(t.cue, o.content) for o in parts)]
            parts = _one_per_source_and_content(parts)
        ruling = _ruled_part(text, parts, rule)
        first_of_sentence = len(out)
        for i, t in enumerate(parts):
            if len(parts) == 1:
                lo, hi = a, b
            else:
                lo, hi = _clause(text, t, a, b)
            same = rule is not None and (rule.start, rule.end) == (lo, hi)
            cand = _from_tagged(text, t, lo, hi, rule.fingerprint if same else "")
            _unclosed_quotation(text, cand)
            if (
                cand.claimant is None
                and t.cue
                and t.cue[0] > a
                and not _subject_in_verb(t)
                and not _asked_of(text, t.cue)
            ):
                _subject_as_claimant(cand, text, a, t.cue[0])
            elif cand.claimant and cand.claimant.lower() in rules.RELATIVE_PRONOUNS:
                _antecedent_as_claimant(cand, text, a)
            if i == ruling:
                _keep_rule(cand, rule, text)
            if cand.cue is None and cand.claimant:
                _cue_beside_source(text, cand)  # "„…“, sagte Anna Weber.": the tagger read the words, not the verb
            out.append(cand)
        _same_speaker_going_on(text, out[first_of_sentence:])
    out.sort(key=lambda c: (c.start, c.end))
    unique: list[Candidate] = []
    for c in out:
        if unique and (unique[-1].start, unique[-1].end) == (c.start, c.end):
            continue
        unique.append(c)
    for c in unique:
        _without_stray_marks(text, c)
        _content_without_source(text, c)
        _cue_without_occasion(text, c)
        _content_with_when(text, c)
        _refusal_content(text, c)
    _surnames_as_named(text, unique)
    _quotation_paragraphs_going_on(text, unique)
    _resolve_pronouns(text, unique)
    return unique


# "…, and human rights groups warned that …", "… and warned North Korea to …": a second reporting verb joined to
# what was said, with its own subject or none (the same speaker's). Past tense, as narration coordinates it.
_COORDINATED = re.compile(
    r",?[^\S\n]+and[^\S\n]+(?P<subject>(?:[\w’'.-]+[^\S\n]+){0,4}?)(?P<verb>said|warned|accused|added|insisted|"
    r"argued|noted|urged|told|claimed|denied|vowed|promised|pledged|stressed|emphasi[sz]ed|acknowledged|admitted|"
    r"predicted|cautioned|asserted|complained|charged)\b(?:[^\S\n]+that\b)?"
)
_SAME_SUBJECT = frozenset(("also", "then", "later", "again", "repeatedly", "quickly", "publicly", "has", "have", "had"))


def _coordinated(text: str, t: Tagged) -> list[Tagged]:
    """ "Republicans said they are convinced the inquiry was mishandled and Democrats accused the GOP of …": the
    tagger read one attribution to the sentence's end, so Democrats' accusation was the Republicans' claim. A
    reporting verb after "and" in the content ends it, and opens an attribution of its own: the words between
    "and" and the verb are its speaker ("Democrats", "human rights groups"), or none ("and warned North Korea to
    …") for the same speaker. Not inside a quotation (an odd number of marks before it), not when the words
    before it would be too few to be a statement, nor when the words between are no noun phrase ("and the board
    then told")."""
    if not t.cue or not t.content:
        return [t]
    a, b = t.content[-1]
    m = _COORDINATED.search(text, a, b)
    if m is None or len(_ANY_QUOTE_MARK.findall(text, a, m.start())) % 2:
        return [t]  # inside a quotation: the speaker's own words
    words = m.group("subject").split()
    if any(w.lower() in rules.FINITE_VERBS or w.lower() in rules.VERBISH for w in words):
        return [t]
    if len(_WORD.findall(text, a, m.start())) < MIN_WORDS + 1 or len(_WORD.findall(text, m.end(), b)) < MIN_WORDS:
        return [t]
    same = all(w.lower() in _SAME_SUBJECT for w in words)
    # the same speaker: no source of its own, so the sentence's subject is taken as for any second verb
    source = None if same else _strip(text, m.start("subject"), m.end("subject"))
    first = Tagged(content=t.content[:-1] + [(a, m.start())], cue=t.cue, source=t.source, confidence=t.confidence)
    second = Tagged(content=[(m.end(), b)], cue=m.span("verb"), source=source, confidence=t.confidence)
    return [first, second]


# "said no final decision had been made about": a verb of saying, then a clause with its own verb
_CUE_WITH_CLAUSE = re.compile(
    r"(?P<verb>said|says|say|told|added|wrote|writes)[^\S\n]+(?P<clause>(?:[\w’'-]+[^\S\n]+){1,6}?"
    r"(?:is|are|was|were|has|have|had|will|would|could|can|may|might|must|should)\b[^\n]*)\Z",
    re.I,
)


def _clause_out_of_cue(text: str, t: Tagged) -> None:
    """ "Tom Hale said no final decision had been made about whether to appeal" had the cue "said no final
    decision had been made about" and the content "whether to appeal": the tagger took what was said, up to its
    last word before the content, for the cue. A cue that is a verb of saying and then a clause with its own
    auxiliary ("had been made", "was taken") is the verb; the clause opens the content."""
    m = _CUE_WITH_CLAUSE.fullmatch(text, *t.cue)
    if m is None or m.group("clause").split()[0].lower() in rules.PREPOSITIONS:
        return  # "said in a statement that …": when or where it was said stays out of the content
    if _WORD.search(text, t.cue[1], t.content[0][0]):
        return  # the content does not follow the cue directly
    t.content[0] = (m.start("clause"), t.content[0][1])
    t.cue = m.span("verb")


# ", putting 40 jobs at risk", ", including Tom Hale" after what was said: the writer going on, not the speaker.
# Not the participles that qualify what was said, as prepositions do ("41 percent, excluding the military").
_PARTICIPLE_AFTER = re.compile(
    r",[^\S\n]+(?!(?:excluding|depending|assuming|regarding|concerning|following|pending|barring|according|"
    r"considering|counting|beginning|starting|ending|notwithstanding|during|nothing|something|anything|"
    r"everything|king|spring|string|thing)\b)(?:[a-z]{3,}ing|including)\b"
)


def _unquoted_within_sentence(text: str, t: Tagged, sentences: list[tuple[int, int]], starts: list[int]) -> None:
    """ "Hale … downplayed the risk of storms for ferries. He’s given airtime to …" had the content "the risk of
    storms for ferries. He’s given airtime …": words after the cue that the tagger ran on into the next
    sentence. What was said without quotation marks ends with its sentence; a quotation may go on (its marks, or
    "''", in the piece or just before it)."""
    pieces = []
    for a, b in t.content:
        k = bisect_right(starts, a) - 1
        end = sentences[k][1] if k >= 0 else b
        if a >= t.cue[1] and not _ANY_QUOTE_MARK.search(text, max(0, a - 2), b):
            if end < b:
                b = end
                while b > a and (text[b - 1].isspace() or text[b - 1] in ".!?"):
                    b -= 1
            after = _PARTICIPLE_AFTER.search(text, a, b)
            if after and len(_WORD.findall(text, a, after.start())) >= MIN_WORDS:
                b = after.start()
        pieces.append((a, b))
    t.content = pieces


# "said at a news conference announcing", "said in a statement announcing": the verb, when and where, and a
# participle of what the occasion was for
_OCCASION_PARTICIPLE = re.compile(
    r"(?P<verb>\w+)[^\S\n]+(?:at|in|during)[^\S\n]+[^\n]{1,60}?[^\S\n](?P<participle>[a-z]{2,}ing)\Z"
)


def _participle_after_occasion(text: str, t: Tagged) -> list[Tagged]:
    """ "“We will rebuild the quay,” she said at a news conference announcing that the council was suing
    Fabrikam": the tagger read "said at a news conference announcing" as one cue, and the quotation and what the
    conference announced as one content. The participle is a second attribution of the same speaker, with the
    words after it; the verb keeps the words before it."""
    if not t.cue or len(t.content) < 2:
        return [t]
    m = _OCCASION_PARTICIPLE.fullmatch(text, *t.cue)
    if m is None:
        return [t]
    before = [(x, y) for x, y in t.content if y <= t.cue[0]]
    after = [(x, y) for x, y in t.content if x >= t.cue[1]]
    if not before or not after or len(before) + len(after) != len(t.content):
        return [t]
    first = Tagged(content=before, cue=m.span("verb"), source=t.source, confidence=t.confidence)
    second = Tagged(content=after, cue=m.span("participle"), source=t.source, confidence=t.confidence)
    return [first, second]


# a participle opening a clause between pieces: ", going on to contrast …", ", suggesting a few questions, including, "
_PARTICIPLE_IN_GAP = re.compile(r",[^\S\n]+[a-z]{2,}ing\b")


def _participle_after_speaker(text: str, t: Tagged) -> list[Tagged]:
    """ "“…,” Hale said, going on to contrast the plan with the mayor’s. “So I would say …”" was one attribution,
    the quotation before "said" joined to the one after the participle's words. A quotation interrupted by "she
    said" goes on after it ("“We will appeal,” she said, “and we will win.”"); one after a participle (", going on
    to …", ", suggesting a few questions, including, “…”") is the same speaker's next attribution. Each piece that
    follows one starts an attribution of its own. (A piece that is itself the participle's words stays: measured on
    dev half A, splitting those off took a book's title from the words after it.)"""
    if not t.cue or len(t.content) < 2 or t.content[0][1] > t.cue[0]:
        return [t]
    end = max(t.cue[1], t.source[1] if t.source else 0)
    groups: list[list[tuple[int, int]]] = [[]]
    last = end
    for a, b in t.content:
        if a >= end and _PARTICIPLE_IN_GAP.search(text, last, a):
            groups.append([])
        groups[-1].append((a, b))
        last = max(last, b)
    if len(groups) == 1:
        return [t]
    first = Tagged(content=groups[0], cue=t.cue, source=t.source, confidence=t.confidence)
    rest = [Tagged(content=g, cue=None, source=t.source, confidence=t.confidence) for g in groups[1:]]
    return [first, *rest]


_ANY_QUOTE_MARK = re.compile("[\"“”„«»]|''")


def _within_cue_sentence(text: str, t: Tagged, sentence: tuple[int, int]) -> None:
    """ "The panel held him in contempt. His lawyer said he would not answer questions." had the content "the panel
    held him in contempt … he would not answer questions": the tagger tied words of the sentence before, which
    reports no one, to the next sentence's cue. A piece wholly in another sentence is left out, unless a quotation
    mark stands between it and the cue (a quotation of several sentences before "she said" is hers, whichever
    marks it is typed with) or the cue's sentence has no piece. When all the cue's own words follow it, the cue
    opens an attribution of its own ("“We will not back down.” The council voted to approve the plan."), and a
    quotation in a sentence before it is not what it reports, marks or not."""
    a, b = sentence
    own = [(x, y) for x, y in t.content if x < b and a < y]
    if not own or len(own) == len(t.content):
        return
    cue_a, cue_b = t.cue or sentence
    opens = all(x >= cue_b for x, _ in own)
    t.content = [
        (x, y)
        for x, y in t.content
        if (x < b and a < y) or not (opens and y <= a) and _ANY_QUOTE_MARK.search(text, min(x, cue_a), max(y, cue_b))
    ]


_PARAGRAPH_BREAK = re.compile(r"[^\S\n]*\n\s*")


def _quotation_paragraphs_going_on(text: str, found: list[Candidate]) -> None:
    """A paragraph that is a quotation alone, right after a paragraph that ends with someone's quotation, goes on
    with that speaker: news copy types a quotation of several paragraphs so ("“…,” said Ana Ruiz." and "“Every
    winter the ferry stops …" under it), and the paragraphs after the first had no speaker. A paragraph of
    narration between, or a "— Name" line under the quotation (which names its speaker), leaves it as it is."""
    for before, cand in zip(found, found[1:]):
        if cand.claimant or cand.kind != "quote" or not before.claimant or before.kind != "quote":
            continue
        if not _PARAGRAPH_BREAK.fullmatch(text, before.end, cand.start) or not rules.opens_quotation(text, cand.start):
            continue
        cand.claimant, cand.claimant_type = before.claimant, before.claimant_type


_OPENING = re.compile(r"[\s“\"‘']*")
_SOURCE_WORDS = 10  # "According to X, …": X is a noun phrase, not a clause


def _according_opening(text: str, a: int, b: int) -> Tagged | None:
    """ "According to a council spokesperson, the city had been warned about corrosion.": the cue opening the
    sentence, the noun phrase after it to the comma is the source, and the rest of the sentence is the content.

    The tagger tied the content to the nearest verb of the rest ("had been warned about") and made that the cue.
    """
    m = rules.ATTRIBUTION.match(text, _OPENING.match(text, a, b).end(), b)
    if not m:
        return None
    comma = text.find(",", m.end(), b)
    if comma < 0:
        return None
    source = _strip(text, m.end(), comma)
    np = text[source[0] : source[1]]
    if not np or len(np.split()) > _SOURCE_WORDS or any(q in np for q in '“”"\n'):
        return None
    second = text.find(",", comma + 1, b)
    if second > 0 and _is_apposition(text[comma + 1 : second], rules.is_person_name(rules.clean_np(np))):
        comma = second  # "According to Jane Roe, a lawyer for the union, the plant will close"
    elif second > 0 and rules.name_after_role(text, np, comma + 1, second, b):
        source = _strip(text, comma + 1, second)  # "According to Fabrikam’s chief executive, Jane Roe, the plant …"
        comma = second
    lo, hi = _strip(text, comma + 1, b)
    while hi > lo and text[hi - 1] in ".!":
        hi -= 1
    if len(_WORD.findall(text, lo, hi)) < MIN_WORDS:
        return None
    cue = (m.start(), _end_of_words(text, m.end()))
    return Tagged(content=[(lo, hi)], cue=cue, source=source)


# "…, according to a poll released last week.": the attribution closing the sentence, to its end.
_ACCORDING_CLOSING = re.compile(
    r",[^\S\n]+(?P<cue>according[^\S\n]+to)[^\S\n]+(?P<source>[^“”\"\n]{2,200}?)[.!]?[\s”\"’']*\Z", re.I
)
_CONNECTIVE_OPENING = re.compile(r"(?:And|But|So|Yet)[^\S\n]+(?=\S)")
# The relative clause "according to" closes ("Pressure is building on Tom Hale, who was greeted …, according to
# the union"; "… - which it often is, according to Scott"): a comma or a dash, then "who" or "which".
_LAST_RELATIVE_CLAUSE = re.compile(r"(?:,|[^\S\n]+[-–—])[^\S\n]+(?=(?:who|which)\b)(?!.*,)", re.S)


def _according_closing(text: str, a: int, b: int, parts: list[Tagged]) -> Tagged | None:
    """ "Ms. Ruiz now holds a lead over the board's nominee, Tom Hale, among riders, according to a poll.": the
    cue closing the sentence, the noun phrase after it (to an apposition's comma) the source, and the sentence
    before it the content, or the relative clause just before it.

    The tagger sometimes ended the content at the sentence's last comma ("among riders") or took the sentence's
    subject for the source of a clause after a dash. Not when the tagger read a reporting verb in the sentence
    before it ("Tom Hale said the quay will close, according to the Ledger"): that attribution is left as read."""
    m = _ACCORDING_CLOSING.search(text, a, b)
    if not m or any(q in text[a : m.start()] for q in '“”"'):
        return None
    comma = text.find(",", m.end("cue"), m.end("source"))
    source = _strip(text, m.start("source"), comma if comma > 0 else m.end("source"))
    if len(text[source[0] : source[1]].split()) > _SOURCE_WORDS:
        return None
    lo = _OPENING.match(text, a, m.start()).end()
    lo = _CONNECTIVE_OPENING.match(text, lo, m.start()).end() if _CONNECTIVE_OPENING.match(text, lo) else lo
    clause = _LAST_RELATIVE_CLAUSE.search(text, lo, m.start())
    if clause:
        lo = clause.end()
    lo, hi = _strip(text, lo, m.start())
    if len(_WORD.findall(text, lo, hi)) < MIN_WORDS:
        return None
    if any(t.cue and lo <= t.cue[0] < hi and not _overlap([t.cue], [m.span("cue")]) for t in parts):
        return None
    return Tagged(content=[(lo, hi)], cue=m.span("cue"), source=source)


# "Asked whether the plant would close, Ana Ruiz said: …": the question, then the speaker and the verb.
_ASKED_OPENING = re.compile(
    r"[\s“\"‘']*Asked\b[^,\n]{1,150},[^\S\n]+(?P<source>[^,;:\n“”\"]{1,60}?)[^\S\n]+"
    r"(?P<verb>said|says|replied|responded|answered)\b[:,]?[^\S\n]*"
)


def _asked_opening(text: str, a: int, b: int) -> Tagged | None:
    """ "Asked whether the plant would close, Ana Ruiz said: “That decision has not been made.”": the tagger took
    "Asked" for the cue and the rest of the sentence, speaker and verb included, for the content. The question
    put to the speaker opens the sentence; the speaker's verb is the cue and what follows it the content."""
    m = _ASKED_OPENING.match(text, a, b)
    if not m or rules.head_type(rules.clean_np(m.group("source"))) is None:
        return None
    lo, hi = _strip(text, m.end(), b)
    while hi > lo and text[hi - 1] in ".!" and not _quote_mark_at(text, m.end(), b):
        hi -= 1
    if len(_WORD.findall(text, lo, hi)) < MIN_WORDS:
        return None
    return Tagged(content=[(lo, hi)], cue=m.span("verb"), source=m.span("source"))


def _inverted_closing(text: str, a: int, b: int) -> Tagged | None:
    """ "The ferry will not sail on Sunday, said Mayor Ana Ruiz.": the verb after the last comma is the cue, the
    noun phrase after it the source and the sentence before the comma the content (rules.inverted_closing).

    The tagger, which saw few titles before a name there, took "Mayor Ana Ruiz" for what was said."""
    _, masked = rules.quotations_masked(rules.mask_tags(text[a:b]))  # as the rules read it: kept from them
    found = rules.inverted_closing(masked)
    if not found:
        return None
    verb_start, verb_end, source_start, source_end = (a + i for i in found)
    comma = text.rfind(",", a, verb_start)
    lo, hi = _strip(text, a, comma)
    if len(_WORD.findall(text, lo, hi)) < MIN_WORDS:
        return None
    return Tagged(content=[(lo, hi)], cue=(verb_start, verb_end), source=(source_start, source_end))


def _subject_in_verb(t: Tagged) -> bool:
    """ "…, dijo.": the source is empty, as the subject is in the verb (rules.subject_in_verb), and the sentence's
    first name ("Valencia cerrará el muelle, dijo.") is not the speaker."""
    return t.source is not None and t.source[0] == t.source[1]


_APPOSITION_OPENERS = frozenset(("a", "an", "the", "its", "his", "her", "their"))


def _is_apposition(seg: str, after_name: bool) -> bool:
    """ ", an engineer for the port,", ", 52,", ", which the council released on Monday,": said of the source
    before it, not the start of what the source said. A noun phrase is taken for a role only after a person's name:
    in "According to the ministry, the new bridge, a two-lane span, will open" it is the subject of the claim."""
    words = seg.split()
    if not words or len(words) > _SOURCE_WORDS or any(q in seg for q in '“”"'):
        return False
    first = words[0].lower()
    if first in ("who", "which", "whose") or words[0][0].isdigit():
        return True
    return after_name and first in _APPOSITION_OPENERS and not any(w.lower() in rules.VERBISH for w in words)


# How a source is kept anonymous, set off by commas after the source: ", who asked not to be named for fear of …,",
# ", speaking on condition of anonymity,". The closing comma (or the full stop) ends it.
_ANONYMITY_CLAUSE = re.compile(
    r",[^\S\n]+(?:who|speaking|because)\b[^,;:\n“”\"]{0,60}?"
    r"(?:not[^\S\n]+to[^\S\n]+be[^\S\n]+(?:named|identified|quoted)|anonymity|"
    r"not[^\S\n]+authori[sz]ed[^\S\n]+to[^\S\n]+(?:speak|discuss|comment))\b[^,;:\n“”\"]{0,80}?(?:,|(?=[.!?]))",
    re.I,
)


def _without_anonymity_clauses(text: str) -> str:
    """The text as the tagger reads it: a clause that says how a source is kept anonymous (", who asked not to be
    named,") blanked, offsets kept. The tagger read it as an attribution of its own ("who" asked "not to be
    named"), dropped as such (_ANONYMITY), and took the quotation before it or the speaker with it:
    "“…,” a fisherman, who asked not to be named, said." gave no candidate."""
    if "anonym" not in text and " named" not in text and " identified" not in text and "authori" not in text:
        return text
    return _ANONYMITY_CLAUSE.sub(lambda m: " " * len(m.group()), text)


def _without_contraction(text: str, span: tuple[int, int] | None) -> tuple[int, int] | None:
    """The pronoun alone when a source is a contracted one (one token to the tagger: "He’s claiming"), so it
    is resolved and typed as the pronoun it is."""
    m = rules.CONTRACTED_PRONOUN.fullmatch(text, *span) if span else None
    return (span[0], m.end(1)) if m else span


_SOURCE_WORD = re.compile(r"\S+")
_CAPITAL_THEN_LOWER = re.compile(r"[A-Z]\S*\s+[a-z]")


_CLOSING_DASH = re.compile(r"(--|[—–])\s*\Z")


def _before_dashes(text: str, span: tuple[int, int], lo: int) -> tuple[int, int]:
    """ "Tom Hale — the harbour master, who retired in May — said …": the tagger took the words after the comma,
    up to the closing dash, for the source. What dashes set off is said of the speaker before the opening one."""
    closing = _CLOSING_DASH.search(text, span[0], span[1])
    if closing is None:
        return span
    opening = text.rfind(closing.group(1), lo, span[0])
    if opening < 0:
        return span
    np = rules._pick_subject(text[lo:opening]).strip(" ,")
    at = text.rfind(np, lo, opening) if np else -1
    return (at, at + len(np)) if at >= 0 else span


def _without_predicate(text: str, span: tuple[int, int] | None) -> tuple[int, int] | None:
    """A source that runs past a name into the name's own verb phrase ends before the verb: "Anna Weber toured the
    plant, promising …" and "Anna Weber visited the harbour on Monday and said …" are Anna Weber's.

    The tagger, which learned long sources ("a person familiar with the campaign's thinking"), sometimes took
    the predicate of the sentence's subject into the source of a second verb, and the claimant was no name.
    A verb is a finite one (rules.FINITE_VERBS, a lower-case "-ed" word, or a present tense with its object:
    _present_tense) right after a capitalised word; one that says which people ("briefed", rules.HEAD_STOP) or
    opens a phrase ("conducted by", "a study by Harvard published in", "Officials stationed in") is a participle
    describing the noun and stays, unless it follows the person's name the source opens with ("Anna Weber arrived
    at the quay"), which a participle rarely describes.
    """
    if not span or not _CAPITAL_THEN_LOWER.search(text, *span):
        return span  # "he", "Mr. Clarke", "officials": most sources, with no word after a capitalised one
    words = list(_SOURCE_WORD.finditer(text, *span))
    for k, (prev, word, nxt) in enumerate(zip(words, words[1:], [*words[2:], None])):
        w, before = word.group(), prev.group()
        if not before[0].isupper() or before.endswith((",", "’s", "'s")) or rules._tok(before) in rules.STOP_CAPS:
            continue  # "The embattled mayor", "Fabrikam’s revised plan", "Jessie Elkins, 70, served": no verb here
        if not w.isalpha() or not w.islower() or w in rules.HEAD_STOP:
            continue
        if w in rules.FINITE_VERBS or (len(w) > 4 and w.endswith("ed") and not w.endswith("eed")):
            after = rules._tok(nxt.group()) if nxt is not None else ""
            if w not in rules.FINITE_VERBS and (
                after == "by" or after in rules.PREPOSITIONS and not _opens_with_name(words[: k + 1])
            ):
                continue  # "a poll conducted by Gallup", "a study by Harvard published in …": a participle
            return span[0], prev.end()
        if _present_tense(w, nxt):
            return span[0], prev.end()
    return span


_OBJECT_OPENERS = frozenset(("the", "a", "an", "his", "her", "their", "its", "our"))


def _present_tense(word: str, nxt: re.Match | None) -> bool:
    """ "Anna Weber tours the plant": a lower-case "-s" word before an article or a possessive is a verb in the
    present tense with its object. Without one it is most often a plural noun ("Fabrikam officials in Kabul",
    "NATO members this week"), which says which people are meant and stays."""
    if nxt is None or len(word) < 4 or not word.endswith("s") or word.endswith(("ss", "us", "is")):
        return False
    return nxt.group().lower() in _OBJECT_OPENERS


def _opens_with_name(words: list[re.Match]) -> bool:
    """Are these words, the source's first, a person's name (perhaps after a title: "Mayor Anna Weber")?"""
    run = " ".join(m.group() for m in words)
    return rules.is_person_name(run) or rules.named_after_title(run) is not None


# The capitalised words after a title: "Grayling" in "Mr Grayling used his speech to say …".
_NAME_AFTER_TITLE = re.compile(r"[^\S\n]+([A-Z][\w’'-]*(?:[^\S\n]+[A-Z][\w’'-]*)*)")


def _with_name_after_title(
    text: str, source: tuple[int, int] | None, cue: tuple[int, int] | None
) -> tuple[tuple[int, int] | None, tuple[int, int] | None]:
    """A source that is a title alone ("Mr") takes the name after it, and the cue gives the name up.

    British copy writes "Mr Grayling" without a full stop; the tagger learned titles from "Mr. Grayling"
    and, in "Mr Grayling used his speech to warn …", tagged "Mr" as the source and "Grayling used his
    speech to warn" as the cue, so the claimant was "Mr".
    """
    if not source or text[source[0] : source[1]].lower() not in rules.HONORIFICS:
        return source, cue
    m = _NAME_AFTER_TITLE.match(text, source[1])
    if not m:
        return source, cue
    end = m.end(1)
    if cue and cue[0] < end and cue[1] > source[1]:
        rest = len(text) - len(text[end:].lstrip())
        cue = (rest, cue[1]) if rest < cue[1] else None
    return (source[0], end), cue


def _one_per_source_and_content(parts: list[Tagged]) -> list[Tagged]:
    """One attribution where the tagger tied the same source and words to two cues ("Said Ellis: “…”" has
    "Said" and ":"), the first."""
    kept: list[Tagged] = []
    for t in parts:
        if not any(o.source == t.source and _overlap(o.content, t.content) for o in kept):
            kept.append(t)
    return kept


def _overlap(a: list[tuple[int, int]], b: list[tuple[int, int]]) -> bool:
    return any(x < y2 and x2 < y for x, y in a for x2, y2 in b) if a and b else False


def _inside(span: tuple[int, int], pieces: list[tuple[int, int]]) -> bool:
    return any(a <= span[0] and span[1] <= b for a, b in pieces)


def _ruled_part(text: str, parts: list[Tagged], rule: Candidate | None) -> int | None:
    """Which of the sentence's attributions the rules read: the one whose source names their claimant, else the
    first whose cue follows the claimant and whose content does not hold it ("Tom Hale emphasized that …, and
    human rights groups warned that …" is the groups' "warned", not the first verb), else the first."""
    if rule is None or not parts:
        return None
    if rule.claimant:
        name = rule.claimant.lower()
        for i, t in enumerate(parts):
            if t.source and (name in text[t.source[0] : t.source[1]].lower()):
                return i
        at = _claimant_at(text, rule.claimant, rule.start, rule.end)
        if at:
            after = [i for i, t in enumerate(parts) if t.cue and t.cue[0] >= at[1] and not _inside(at, t.content)]
            if after:
                return min(after, key=lambda i: parts[i].cue[0])
    return 0


def _plausible(text: str, t: Tagged) -> bool:
    """Is this tagged attribution one a reporter would want? Each test here was measured on dev half A."""
    if (
        not _quote_mark_at(text, *t.content[0])
        and sum(len(_WORD.findall(text, a, b)) for a, b in t.content) < MIN_WORDS
    ):
        return False  # "citing privacy rules", "who asked not to be named": a phrase, not something said
    if _boilerplate_line(text, *_line_bounds(text, t.content[0][0])):
        return False  # an image link, a product blurb, navigation: lines the rules skip as no part of the story
    if _ANONYMITY.search(text, t.content[0][0], t.content[-1][1]):
        return False  # "who asked not to be named": how the source is kept anonymous, not a claim
    if t.cue is None and rules.looks_like_title(text[t.content[0][0] : t.content[-1][1]]):
        return False  # “An Experimental Study of Diversity”: a title
    if t.cue is None and not _quote_mark_at(text, *t.content[0]) and _speaker_nearby(text, *t.content[0]) is None:
        return False  # words with no cue, no quotation marks and no one named beside them
    if t.cue:
        cue = text[t.cue[0] : t.cue[1]].lower()
        if cue.startswith(("reject", "dismiss")) and not rules.CLAIM_OBJECT.match(text, t.cue[1]):
            return False  # "the court dismissed the lawsuit": a decision, not a denial of a claim
    if t.source and t.cue and _occasion_read_as_attribution(text, t):
        return False  # "Tom Hale in" + "an interview with": when the speaker spoke, read as a second attribution
    if t.source and text[t.source[0] : t.source[1]].lower() in ("i", "we"):
        quoted = _marks_before(text, "“", t.source[0]) > _marks_before(text, "”", t.source[0])
        return quoted  # the writer's own narration, unless inside someone's quotation
    return True


_ASKED_OF = frozenset(
    ("when", "if", "once", "after", "before", "as", "was", "were", "is", "are", "be", "been", "being")
)
_BEFORE_CUE = 30  # characters before the cue where the word before "asked" is looked for


def _asked_of(text: str, cue: tuple[int, int]) -> bool:
    """Is the cue "asked" in the passive ("was asked", "when asked about", "Asked whether …," opening a sentence)?
    Its subject was asked, and what follows is the question, not something the subject said: the attribution has
    no speaker (who asked is not said), as PolNeAR marks it ("Lawmakers also asked whether …" is the lawmakers'
    question, and keeps them)."""
    words = text[cue[0] : cue[1]].split()
    low = [w.lower() for w in words]
    if "asked" not in low:
        return False
    i = low.index("asked")
    if i > 0:
        return low[i - 1] in _ASKED_OF
    before = text[max(0, cue[0] - _BEFORE_CUE) : cue[0]].split()
    if not before or before[-1][-1] in '.!?:"”':
        return words[0] == "Asked"  # opening the sentence: "Asked whether the plant would close, Ana Ruiz said …"
    return before[-1].lower() in _ASKED_OF


def _occasion_read_as_attribution(text: str, t: Tagged) -> bool:
    """ "said Tom Hale in an interview with the Harbour Ledger": the tagger took "Tom Hale in" for a source,
    "an interview with" for its cue and the outlet for what was said. A source ending in a preposition that
    opens when or where someone spoke, running over the cue and the content, is that."""
    last = text[t.source[0] : t.source[1]].split()[-1]
    if last.lower() not in rules.PREPOSITIONS:
        return False
    at = t.source[1] - len(last)
    return rules.OCCASIONS_AFTER.fullmatch(" " + text[at : t.content[-1][1]].rstrip(".")) is not None


_AUXILIARY = r"(?:is|are|was|were|has|have|had|will|would|could|can|may|might|must|should|did|does|do)\b"
_RELATIVE_CLAUSE = re.compile(r",\s+(?:who|which)\b")
# the clause: a relative one (", who was not named,") or a participle's (", run by the port authority,", ", built
# in 1985,"): a past participle, regular or one of the irregular ones news copy puts there
_CLAUSE_OPENER = r"(?:who|which|[a-z]{2,}ed|run|built|made|held|led|set|known|founded|based|owned|chosen|written)"
_AFTER_RELATIVE_CLAUSE = re.compile(rf"(,\s+{_CLAUSE_OPENER}\b[^,;:\n“”\"]{{1,120}}?)?,\s+{_AUXILIARY}")
_ATTRIBUTED_REST = re.compile(r"\baccording\s+to\b|[\"“”]", re.I)  # the rest is someone else's, or a quotation


def _past_relative_clause(text: str, t: Tagged, end: int) -> None:
    """ "Police said the driver, who was not named, was taken to hospital": the tagger ended what was said at the
    comma of the relative clause ("the driver, who was not named", or "the driver" before it), or of a participle's
    ("Fishermen say the quay, run by the port authority since 1990, has cost …" had "the quay"). When the clause's
    noun has its own verb after it (an auxiliary: "was taken", "would be paid", "has been sold") and the rest of
    the sentence reports no one (", according to the union" does), the content goes on to the sentence's end."""
    a, b = t.content[-1]
    if not text.startswith(",", b):
        return  # most contents: both readings open with the comma after the content
    after = _AFTER_RELATIVE_CLAUSE.match(text, b)
    if after is None or after.group(1) is None and not _RELATIVE_CLAUSE.search(text, a, b):
        return
    rest = text[after.end() : end]
    if _REPORTING_VERB.search(rest) or _ATTRIBUTED_REST.search(rest):
        return
    stop = end
    while stop > after.end() and text[stop - 1] in " \t\n.!\"”’'":
        stop -= 1
    t.content[-1] = (a, stop)


# "that if the board fails to pay the crews": a condition or a time opening what was said, which goes on after its
# comma ("…, the ferry could stop"). A date or place phrase ("that in 2019,") opens it the same way.
_OPENING_CLAUSE = re.compile(
    r"(?:that\s+)?(?:if|when|while|although|though|unless|because|once|after|before|since|until|in|on|by|during)\b"
    r"[^,;:\n“”\"]{1,120}\Z",
    re.I,
)


_SHORT_PART = 6  # words: "Tom Hale said on Monday"


def _past_opening_clause(text: str, t: Tagged, end: int) -> None:
    """ "Harbour leaders warn that if the board fails to ensure safety for its crews, it could fall apart" had the
    content "that if the board fails to ensure safety for its crews": the tagger ended it at the comma that closes
    the condition. When the content is only such an opening ("if …", "when …", "in 2019") and the rest of the
    sentence reports no one, it goes on to the sentence's end: the condition alone is not what was said."""
    if len(t.content) != 1:
        return
    a, b = t.content[0]
    if not text.startswith(",", b) or not _OPENING_CLAUSE.match(text[a:b]):
        return
    rest = text[b:end]
    if _ATTRIBUTED_REST.search(rest) or not _WORD.search(rest):
        return
    # "…, Tom Hale said.": a short part of the rest with a reporting verb is someone's attribution; a verb inside a
    # long one ("…, the board allowed the public to think that …") is part of what was said
    if any(len(part.split()) <= _SHORT_PART and _REPORTING_VERB.search(part) for part in rest[1:].split(",")):
        return
    stop = end
    while stop > b and text[stop - 1] in " \t\n.!\"”’'":
        stop -= 1
    t.content[0] = (a, stop)


_THAT = re.compile(r"\s+(that)\b", re.I)


def _occasion_before_that(text: str, t: Tagged) -> None:
    """ "Tom Hale said in an interview with the Ledger that …": the tagger took "the Ledger" for the start of what
    was said. When, where or how it was said (rules.OCCASIONS_AFTER) between the verb and "that" belongs to the
    cue, and the content starts at "that", as after "said on Twitter that"."""
    if not t.cue or not t.content:
        return
    words = text[t.cue[0] : t.cue[1]].split()
    verb = t.cue[0] + len(words[0]) if words else t.cue[1]  # the end of the reporting verb
    first_a, first_b = t.content[0]
    if t.cue[1] > first_a:
        return
    that = _THAT.search(text, first_a, first_b)
    if that and rules.OCCASIONS_AFTER.fullmatch(text, verb, that.start()):
        t.cue = (t.cue[0], that.start())
        t.content[0] = (that.start(1), first_b)


def _cue_without_occasion(text: str, cand: Candidate) -> None:
    """ "said in an interview with the Ledger", "said at a press conference on Tuesday": the cue is the reporting
    words ("said", "told reporters"); when, where or how they were said (rules.OCCASIONS_AFTER) is left out."""
    if cand.cue_start is None:
        return
    tail = rules.OCCASION_TAIL.search(text, cand.cue_start, cand.cue_end)
    if tail and tail.start() > cand.cue_start:
        cand.cue_end = tail.start()
        cand.cue = text[cand.cue_start : cand.cue_end]


# A day or time ending the sentence after the content, and a verb in the content that looks ahead to it
_WHEN_AFTER = re.compile(
    rf"\s+(?:(?:on\s+)?(?-i:{'|'.join(d.capitalize() for d in rules._DAY.split('|')[:7])})(?:\s+(?:morning|afternoon|"
    rf"evening|night))?|(?:next|this)\s+(?:week|month|year|weekend)|tomorrow|tonight)[\s.!?]*",
    re.I,
)
_LOOKS_AHEAD = re.compile(r"\b(?:will|would|could|can|may|might|should|shall|must|to)\s+(?:not\s+)?\w+", re.I)


def _content_with_when(text: str, cand: Candidate) -> None:
    """ "Ana Ruiz said the ferry would resume service on Monday": the tagger left the day out, as it does for when
    something was said ("…, the board said on Friday"). After the verb and a content that looks ahead ("would
    resume", "will reopen", "plans to"), the day ending the sentence is when that happens, part of what was said."""
    if cand.content_end is None or cand.cue_start is None or cand.cue_start > cand.content_start:
        return
    m = _WHEN_AFTER.match(text, cand.content_end)
    if m is None or m.end() < cand.end or not _LOOKS_AHEAD.search(text, cand.content_start, cand.content_end):
        return
    end = cand.content_end + len(m.group().rstrip(" .!?\n"))
    cand.content += text[cand.content_end : end]
    cand.content_end = end
    if cand.content_spans:
        cand.content_spans[-1] = (cand.content_spans[-1][0], end)


# What a refusal to comment left unanswered: "requests for comment", "a request", "calls seeking comment", "emails"
# ("questions about the ferry" says what was asked, and is left as the tagger read it).
_UNANSWERED = re.compile(
    r"(?:to\s+)?(?:(?:a|an|the|our|their|several|repeated|multiple|written|further|phone)\s+)*"
    r"(?:requests?|calls?|e-?mails?|messages?|inquiries|enquiries)"
    r"(?:\s+(?:for|seeking)\s+(?:comment|a\s+comment|an\s+interview))?",
    re.I,
)
_TO = re.compile(r"[^\S\n]+to[^\S\n]+")


def _refusal_content(text: str, cand: Candidate) -> None:
    """A refusal to comment reads the same however it is written: the tagger read "didn't respond to requests for
    comment" (cue "didn't respond to", content "requests for comment") but not "did not respond to requests for
    comment", which the rules alone gave, without content, so the two forms were two different candidates. Both
    now have the refusal as cue ("did not respond", "didn't respond") and what it left unanswered as content.
    Measured on PolNeAR dev: half A 0.7275 unchanged, half B 0.6927 to 0.6933; leaving the request out of both
    instead (no content) took half B to 0.6923."""
    if cand.kind != "no_comment":
        return
    refusal = rules.NO_COMMENT_CUE.search(text, cand.start, cand.end)
    if not refusal:
        return
    m = _TO.match(text, refusal.end(), cand.end)
    if not m:
        return
    obj = _UNANSWERED.match(text, m.end(), cand.end)
    if not obj:
        return
    cand.content, cand.content_start, cand.content_end = obj.group(), obj.start(), obj.end()
    cand.content_spans = [obj.span()]
    cand.cue, (cand.cue_start, cand.cue_end) = refusal.group(), refusal.span()


_WORD = re.compile(r"\w+")
_NEWLINE = re.compile("\n")
_ANONYMITY = re.compile(
    r"\b(?:not\s+to\s+be\s+(?:named|identified|quoted)|anonymity|not\s+authori[sz]ed\s+to\s+(?:speak|discuss|comment))\b",
    re.I,
)


def _quote_mark_at(text: str, a: int, b: int) -> bool:
    """Does the piece open with a quotation mark (or right after one)?"""
    return rules.opens_quotation(text, a) or (a > 0 and rules.opens_quotation(text, a - 1))


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


def _locate(text: str, name: str, lo: int, hi: int) -> tuple[int, int] | None:
    """Where a cleaned claimant stands in text[lo:hi], whatever spaces the text has between its words
    ("Dr.\u00a0Ana\u00a0Ruiz" is cleaned to "Dr. Ana Ruiz"), and as a word of its own: "it" is not in "benefit"."""
    if not name:
        return None
    if name.islower() and " " not in name:
        # a pronoun is kept in lower case: "he" is the "He" opening "He told reporters the ferry was unsafe", and
        # the first one in the sentence ("She told the Ledger she had not been paid": the speaker, not the second)
        m = re.compile(rf"(?<!\w){re.escape(name)}(?!\w)", re.I).search(text, lo, hi)
        return m.span() if m else None
    at = text.find(name, lo, hi)
    while at > 0 and name[0].isalnum() and _WORD_CHAR.match(text, at - 1):
        at = text.find(name, at + 1, hi)  # "it" is no part of "benefit"
    if at >= 0:
        return at, at + len(name)
    m = re.compile(r"(?<!\w)" + r"\s+".join(map(re.escape, name.split()))).search(text, lo, hi)
    return m.span() if m else None


_WORD_CHAR = re.compile(r"\w")


def _strip(text: str, lo: int, hi: int) -> tuple[int, int]:
    """A content piece without its quotation marks and the punctuation that joins it to the cue."""
    while lo < hi and text[lo] in STRIP:
        lo += 1
    while hi > lo and text[hi - 1] in STRIP:
        hi -= 1
    return lo, hi


def _from_tagged(text: str, t: Tagged, lo: int, hi: int, fingerprint: str = "") -> Candidate:
    """fingerprint: the candidate's, when known already (the rules' candidate for the same sentence)."""
    pieces = [p for p in (_strip(text, a, b) for a, b in t.content) if p[1] > p[0]]
    cand = Candidate(kind="claim", text=text[lo:hi], start=lo, end=hi, fingerprint=fingerprint)
    if pieces:
        cand.content_spans = pieces
        cand.content = " ".join(text[a:b] for a, b in pieces)
        cand.content_start, cand.content_end = pieces[0][0], pieces[-1][1]
    if t.cue:
        cand.cue_start, cand.cue_end = t.cue
        cand.cue = text[t.cue[0] : t.cue[1]]
    source = t.source or _speaker_nearby(text, lo, hi)
    if source:
        s_lo, s_hi = _strip(text, *source)
        name = rules.clean_np(text[s_lo:s_hi])
        at = _locate(text, name, s_lo, s_hi)
        if at:
            cand.claimant, (cand.source_start, cand.source_end) = name, at
            cand.claimant_type = _claimant_type(name)
    cand.kind = _kind(cand, text)
    quoted = [(a, b) for a, b in t.content if _quote_mark_at(text, a, b)]
    if quoted:
        qa, qb = _strip(text, *quoted[0])
        cand.quote, cand.quote_start, cand.quote_end = text[qa:qb], qa, qb
    return cand


# "“We deserve better.” ― Ana Ruiz" and transcripts ("WALLACE: Governor, …"): speakers without a cue.
_DASH_SPEAKER = re.compile(r"[”\"]\s*[―—–]\s*([A-Z][^\n,;:()]{1,60}?)[.\s]*$")
_TRANSCRIPT_SPEAKER = re.compile(r"[\"“]?([A-Z][A-Z.'\- ]{1,40}[A-Z]):\s")


def _speaker_nearby(text: str, lo: int, hi: int) -> tuple[int, int] | None:
    """Where a speaker is named by a dash after the quotation, or in capitals opening a transcript line."""
    m = _DASH_SPEAKER.search(text, lo, hi)
    if m:
        return m.span(1)
    line = _line_bounds(text, lo)[0]
    m = _TRANSCRIPT_SPEAKER.match(text, line, hi)
    if m:
        return m.span(1)
    return None


# A sentence opening with a name or a personal pronoun ("Jane Roe smiled and asked the crowd …"), perhaps after an
# opening phrase ("Hours later, Trump returned …") or with an apposition ("Jessie Elkins, 70, served …").
_SUBJECT = re.compile(
    # One way to read each capitalised word ("A." is one), so a run of initials cannot backtrack for ever.
    r"[\s“\"‘']*(?:[A-Z][^,\n]{0,60},\s+)?"
    r"((?:(?:Mr|Mrs|Ms|Dr|Sen|Gov|Rep|Gen)\.\s+)?[A-Z][\w’'-]*(?:\s+[A-Z][\w’'.-]*)*)(?=\s+[a-z]|,\s[^,\n]{1,80},\s+[a-z])"
)


# A name right before the cue, past a party tag, an aside between dashes or an apposition or relative clause
# between commas: "Gov. Mike Pence (R-IN) said", "Kall -- co-editor of a book on the debates -- said",
# "Robert Mercer, the GOP donor who once backed Cruz, is launching".
_NAME_BEFORE_CUE = re.compile(
    r"((?:(?:Mr|Mrs|Ms|Dr|Sen|Gov|Rep|Gen)\.\s+)?[A-Z][\w’'-]*(?:\s+[A-Z][\w’'.-]*)*)"
    r"(?:\s*\([^()\n]{1,40}\)|\s+--[^-\n]{1,120}--|\s*[—–][^—–\n]{1,120}[—–]|,\s+(?:who|which|a|an|the)\s[^,\n]{1,120},)?\s*\Z"
)


# Where a sentence's subject starts: past an opening phrase ("Hours later, "), as for _SUBJECT.
# Opening marks, and a dateline opening a story's first paragraph ("ATLANTIC CITY — ", "MYRTLE BEACH, S.C. - ",
# "WASHINGTON, June 24 (UPI) — ", "Philadelphia (AFP) – "): neither is part of the subject.
_OPENING_MARKS = re.compile(
    r"[\s“\"‘']*(?:(?:[A-Z][A-Z.'\- ]*[A-Z.](?:,[^\n—–()]{1,25}?)?(?:\s*\([A-Za-z]{2,12}\))?"
    r"|[A-Z][\w.' ]{1,30}?\s*\([A-Z]{2,12}\))\s*(?:—|–|--?)\s+)?"
)
_OPENING_PHRASE = re.compile(r"[\s“\"‘']*(?:[A-Z][^,\n]{0,60},\s+)?")
_WORD_AT = re.compile(r"\S+")
_MODIFIER = re.compile(r"[A-Z][\w’'.-]*")
_ROLE_WORD = re.compile(r"[a-z][a-z’'-]*")
_ARTICLES = frozenset(("the", "a", "an"))
_ROLE_WORDS = 3  # lower-case words between a capitalised modifier and the name: "vice-presidential nominee"


def _role_and_name(text: str, lo: int, hi: int) -> tuple[int, int] | None:
    """The subject read to the head of its noun phrase, where capitalised modifiers and a lower-case role stand
    before a name ("Republican vice-presidential nominee Mike Pence", "Former Secretary of State Jane Roe"): the
    span from the first modifier to the name's end, or None. Taken only when the claimant cleaned from it is a
    person's name and the words between are no verb's, so "Obama met reporters …" is never read as a role."""
    bare = _OPENING_MARKS.match(text, lo, hi).end()
    opened = _OPENING_PHRASE.match(text, lo, hi).end()
    return _role_and_name_at(text, bare, hi) or (_role_and_name_at(text, opened, hi) if opened > bare else None)


def _role_and_name_at(text: str, start: int, hi: int) -> tuple[int, int] | None:
    words = [text[m.start() : m.end()] for _, m in zip(range(12), _WORD_AT.finditer(text, start, hi))]
    if len(words) < 2 or rules._tok(words[0]) in rules.STOP_CAPS - _ARTICLES:
        return None  # "She brought Old Hollywood glamour …": a pronoun is the subject itself
    run = _capitalised_run(words, 0)
    if not run:
        return None
    if words[run - 1][-1] == "," and (run == len(words) or words[run][0].isupper()):
        return None  # "…, New Hampshire, Trump went": a place or a list, not a subject before its verb
    for k in range(run, min(run + _ROLE_WORDS, len(words))):
        word = words[k]
        low = word.lower()
        if word[0].isupper() or not _ROLE_WORD.fullmatch(word) or low in rules.VERBISH:
            break
        if low in rules.CLAUSE_OPENERS or low.endswith(("ed", "ing")) and "-" not in low:
            break  # "Obama visited volunteers", "Clinton, meeting voters": a verb, not a role
    else:
        k = min(run + _ROLE_WORDS, len(words))
    if run < k < len(words) and words[k][0].isupper():
        k = _capitalised_run(words, k) or run  # the role and the name after it
    else:
        k = run  # the capitalised words alone: "US President Barack Obama"
    span = _span_of(text, start, hi, words[:k])
    name = rules.clean_np(text[span[0] : span[1]])
    return span if name and rules.is_person_name(name) else None


def _capitalised_run(words: list[str], k: int) -> int:
    """The index after the capitalised words from k (a comma ends the run); 0 when a word is no name's."""
    i = k
    while i < len(words) and words[i][0].isupper():
        word = words[i].rstrip(",")
        if not _MODIFIER.fullmatch(word) or (i > k and rules._tok(word) in rules.STOP_CAPS):
            return 0  # "Recently, Tom …", "In Ohio": no modifier of a name
        i += 1
        if words[i - 1].endswith(","):
            break
    return i if i > k else 0


def _span_of(text: str, start: int, hi: int, words: list[str]) -> tuple[int, int]:
    """Where the first len(words) words from start stand in text, without a trailing comma."""
    ms = [m for _, m in zip(range(len(words)), _WORD_AT.finditer(text, start, hi))]
    lo, end = ms[0].start(), ms[-1].end()
    while end > lo and text[end - 1] in ",;:":
        end -= 1
    return lo, end


# A participle opening the sentence, before a lower-case word: "Chastened by …", "Speaking at …". It is no subject.
_PARTICIPLE_OPENING = re.compile(r"[\s“\"‘']*[A-Z][a-z]{2,}(?:ing|ed)\s+(?=[a-z])")
_NAME_AFTER_COMMA = re.compile(r",\s+(?=[A-Z])")


def _subject_as_claimant(cand: Candidate, text: str, a: int, cue: int) -> None:
    """A cue the tagger tied to no source takes the sentence's subject, when the sentence opens with a name, a
    personal pronoun ("He arrived in May and voted against …") or a role with its article ("The mayor toured the
    plant, promising …", _role_subject).

    On dev half A half of the wrong speakers were no speaker at all, mostly a second verb of the subject's
    ("… and said", ", saying"); this took e2e F1 from 0.666 to 0.679. A pronoun is resolved afterwards.
    When the sentence opens with no name ("On Sunday, … Gov. Mike Pence (R-IN) said"), the name right before
    the cue is taken (_NAME_BEFORE_CUE).
    """
    participle = _PARTICIPLE_OPENING.match(text, a, cue)
    if participle:
        # "Chastened by the audit, …, Fabrikam revised", "Speaking in Salem, Oregon, Jane Roe": read from the
        # phrase's first comma before a capital (_SUBJECT reads past one more opening phrase)
        comma = _NAME_AFTER_COMMA.search(text, participle.end(), cue)
        if not comma:
            return
        a = comma.end()
    spans = (m.span(1) if m else None for m in (_SUBJECT.match(text, a, cue), _NAME_BEFORE_CUE.search(text, a, cue)))
    for span in (_role_and_name(text, a, cue), *spans):
        if not span:
            continue
        lo, hi = _without_contraction(text, span)
        first = text[lo:hi].split()[0].lower()
        if first in rules.STOP_CAPS and first not in ("he", "she", "they"):
            continue
        name = rules.clean_np(text[lo:hi])
        at = _locate(text, name, lo, hi)
        if at:
            cand.claimant, (cand.source_start, cand.source_end) = name, at
            cand.claimant_type = _claimant_type(name)
            return
    role = _role_subject(text, a, cue)
    if role:
        cand.claimant, (cand.source_start, cand.source_end) = text[role[0] : role[1]], role
        cand.claimant_type = _claimant_type(cand.claimant)


_ROLE_OPENING = re.compile(r"[\s“\"‘']*(?:The|A|An)\b")
_NOT_IN_A_ROLE = rules.VERBISH | rules.FINITE_VERBS | rules.PREPOSITIONS | rules.DETERMINERS | rules.CLAUSE_OPENERS


def _role_subject(text: str, a: int, cue: int) -> tuple[int, int] | None:
    """ "The mayor toured the plant, promising …", "The deputy fire chief visited …": an article and the lower-case
    words up to a noun that speaks (a role, a kind of person or organisation: rules._noun_type), before the
    sentence's first verb, is its subject. "The plant closed …" has no such noun and no subject."""
    m = _ROLE_OPENING.match(text, a, cue)
    if not m:
        return None
    start = m.end() - len(m.group().lstrip(" \t\n“\"‘'"))
    end = None
    for _, w in zip(range(_ROLE_WORDS + 1), _WORD_AT.finditer(text, m.end(), cue)):
        word = w.group()
        comma = word.endswith(",")  # "The mayor, speaking at a town hall, promised …": the noun phrase ends here
        word = word[:-1] if comma else word
        if not _ROLE_WORD.fullmatch(word) or word in _NOT_IN_A_ROLE or word.endswith(("ed", "ing")):
            break  # "The mayor toured", "The mayor’s office": the noun phrase ends
        if rules._noun_type(word):
            end = w.end() - comma
        if comma:
            break
    return (start, end) if end else None


def _antecedent_as_claimant(cand: Candidate, text: str, a: int) -> None:
    """A relative pronoun speaker ("Jane Roe, who said …") is the noun phrase it stands for, where that is
    certain; otherwise it stays the pronoun, unattributed like an unresolved "he".

    PolNeAR marks "who" as the source, so the tagger tags it; as a claimant it said nothing to a reporter
    and was typed anonymous.
    """
    pronoun = cand.claimant.lower()
    span = rules.relative_antecedent(text[a : cand.source_start], pronoun)
    name = rules.clean_np(text[a + span[0] : a + span[1]]) if span else ""
    at = _locate(text, name, a + span[0], a + span[1]) if span else None
    if not at:
        cand.claimant_type = "unattributed"
        return
    cand.claimant, (cand.source_start, cand.source_end) = name, at
    cand.claimant_type = _claimant_type(name)
    if pronoun == "who" and cand.claimant_type == "organization" and " " not in name:
        cand.claimant_type = "named"  # "Cruz, who": a person, though one word alone reads as a name of anything


_AND_BEFORE = re.compile(r"(?<![\w’'])and[^\S\n]+\Z")


def _same_speaker_going_on(text: str, sentence: list[Candidate]) -> None:
    """ "…, said Gov. Ana Ruiz, adding that the ferry would sail on Monday.": a participle cue ("adding", "saying",
    "noting") with no speaker of its own is the same speaker's next claim, a candidate of its own with the
    claimant of the attribution before it in the sentence. So is a verb right after "and" ("Even Contoso, the
    port's only ally, said it was opposed to the sale and warned Fabrikam to …"), whatever the sentence's opening
    words gave it."""
    for k, cand in enumerate(sentence):
        if cand.cue_start is None or not cand.cue:
            continue
        before = [c for c in sentence[:k] if c.claimant and c.cue_end is not None and c.cue_end <= cand.cue_start]
        # "… and warned": its speaker, if any, was read from before the first verb, not beside its own
        joined = (
            before
            and _AND_BEFORE.search(text[max(0, cand.cue_start - 8) : cand.cue_start]) is not None
            and (cand.source_end is None or cand.source_end <= max(c.cue_start or 0 for c in before))
        )
        if not joined and (cand.claimant or not cand.cue.lower().endswith("ing")):
            continue
        if before:
            c = max(before, key=lambda c: c.cue_end)
            cand.claimant, cand.claimant_type = c.claimant, c.claimant_type
            cand.source_start, cand.source_end = c.source_start, c.source_end


def _claimant_type(name: str) -> str:
    low = name.lower()
    if low in PRONOUNS:
        return "unattributed"
    return rules.head_type(name) or ("named" if rules.is_person_name(name) else "anonymous")


def _kind(cand: Candidate, text: str) -> str:
    """The kind an attribution's cue and content make (the rules' own kind wins where they fired)."""
    cue = (cand.cue or "").lower()
    deny = rules.DENY_WORD.search(cue)
    confirm = None if deny else rules.CONFIRM_WORD.search(cue)
    verb = deny or confirm
    if verb and rules.not_asserted(text, cand.cue_start + verb.start()):
        deny = confirm = None  # "if these practices are confirmed": supposed, or what was confirmed, not who did
    if deny:
        return "denial"
    if rules.NO_COMMENT_CUE.search(cue):
        return "no_comment"
    if confirm:
        return "confirmation"
    if cand.content_spans and all(_quoted(text, a, b) for a, b in cand.content_spans):
        return "no_comment" if rules.NO_COMMENT_QUOTE.fullmatch(cand.content) else "quote"
    if cand.claimant is None and rules.HEDGE.search(cand.text):
        return "hedged"
    return "claim"


def _opening_mark(text: str, a: int) -> int | None:
    """The quotation mark just before a content piece at a, if there is one."""
    q = a - 1
    while q >= 0 and text[q] in " \t":
        q -= 1
    return q if q >= 0 and rules.opens_quotation(text, q) else None


def _set_content(text: str, cand: Candidate, pieces: list[tuple[int, int]]) -> None:
    cand.content_spans = pieces
    cand.content = " ".join(text[a:b] for a, b in pieces) if pieces else None
    cand.content_start, cand.content_end = (pieces[0][0], pieces[-1][1]) if pieces else (None, None)


def _unclosed_quotation(text: str, cand: Candidate) -> None:
    """A content piece opening a quotation that its paragraph never closes.

    When the next paragraph opens with a quotation mark, the quotation goes on there, as news copy
    types a quotation of several paragraphs: the quoted words run to the paragraph's end, and the
    candidate's text with them, so the triage view shows all of them. Otherwise a closing mark was left
    out and where the quotation ends is not known (it may swallow the "…, said X" after it): the piece
    is no part of the content. Both were measured on dev half A (0.6987 either way; leaving out every
    such piece, continued or not, 0.6947).
    """
    for k, (a, _) in enumerate(cand.content_spans):
        mark = _opening_mark(text, a)
        end = rules.unclosed_quotation(text, mark) if mark is not None else None
        if end is None:
            continue
        after = end
        while after < len(text) and text[after].isspace():
            after += 1  # not text[end:].lstrip(): a copy of the rest of the page for every such piece
        if not (after < len(text) and rules.opens_quotation(text, after)):
            _set_content(text, cand, cand.content_spans[:k])
            if cand.quote_start is not None and cand.quote_start >= a:
                cand.quote = cand.quote_start = cand.quote_end = None
            return
        lo, hi = _strip(text, a, end)
        _set_content(
            text, cand, [*cand.content_spans[:k], (lo, hi), *(p for p in cand.content_spans[k + 1 :] if p[0] >= end)]
        )
        if cand.quote_start == a:
            cand.quote, cand.quote_end = text[lo:hi], hi
        if end > cand.end:
            cand.end, cand.text = end, text[cand.start : end]
            cand.fingerprint = rules.fingerprint(cand.text)
        cand.kind = _kind(cand, text)
        return


_DOUBLE_MARK = re.compile('[“”„‟"«»]')


def _without_stray_marks(text: str, cand: Candidate) -> None:
    """A quotation mark inside the content whose partner is outside it is cut out: 'would “rebuild every dock,”
    adding …' gave the content 'would “rebuild every dock' (its closing mark is stripped with the comma), and a
    closing mark left out gave 'would “rebuild the pier by spring'. The content is then the words on either side,
    'would rebuild every dock'. A quotation whole inside the content keeps both its marks."""
    pieces = []
    for a, b in cand.content_spans:
        paired = rules._quote_spans(text, a, b)
        cuts = [
            m.start() for m in _DOUBLE_MARK.finditer(text, a, b) if not any(qa <= m.start() <= qb for qa, qb in paired)
        ]
        if not cuts:
            pieces.append((a, b))
            continue
        for lo, hi in zip([a] + [q + 1 for q in cuts], cuts + [b]):
            lo, hi = _strip(text, lo, hi)
            if hi > lo:
                pieces.append((lo, hi))
    if pieces != cand.content_spans:
        _set_content(text, cand, pieces)


def _content_without_source(text: str, cand: Candidate) -> None:
    """The speaker is no second piece of what was said: in "“We will close the quay,” said the harbour master." the
    tagger read "the harbour master" as a piece of the content after the quotation, and in "“The harbour was
    closed,” insisted the mayor." (a paragraph of its own) "insisted the mayor". A piece that is the source, or
    inside it, or inside the source with its cue beside it, is left out when another piece remains. (A content
    that runs over its source is left as it is: on dev half A that source was mostly the wrong one, a
    transcript's "PENCE:" or a name inside the words.)"""
    lo, hi = cand.source_start, cand.source_end
    if lo is None or hi is None or hi <= lo or len(cand.content_spans or []) < 2:
        return
    cue_lo, cue_hi = cand.cue_start, cand.cue_end
    if cue_lo is not None and cue_hi is not None:
        if cue_hi <= lo and not text[cue_hi:lo].strip():
            lo = cue_lo  # "insisted the mayor"
        elif hi <= cue_lo and not text[hi:cue_lo].strip():
            hi = cue_hi  # "the mayor insisted"
    pieces = [(a, b) for a, b in cand.content_spans if not (lo <= a and b <= hi)]
    if pieces and pieces != cand.content_spans:
        _set_content(text, cand, pieces)


def _quoted(text: str, a: int, b: int) -> bool:
    if not (a > 0 and rules.opens_quotation(text, a - 1, '“"«„‘')):
        return False
    return b < len(text) and text[b] in '”"»“’,.' or rules.unclosed_quotation(text, a - 1) is not None


def _keep_rule(cand: Candidate, rule: Candidate, text: str) -> None:
    """The rules' reading of the sentence (kind, claimant, type, quotation) over the tagger's."""
    cand.kind = rule.kind
    if rule.kind == "hedged":
        cand.claimant, cand.claimant_type = None, "unattributed"  # "is said to", "reportedly": nobody named
        cand.source_start = cand.source_end = None
    elif rule.claimant:
        cand.claimant, cand.claimant_type = rule.claimant, rule.claimant_type
        at = _claimant_at(text, rule.claimant, cand.start, cand.end)
        if at:
            cand.source_start, cand.source_end = at
    if rule.quote is not None:
        cand.quote, cand.quote_start, cand.quote_end = rule.quote, rule.quote_start, rule.quote_end


def _claimant_at(text: str, claimant: str, lo: int, hi: int) -> tuple[int, int] | None:
    """Where the rules' claimant stands in text[lo:hi]; for one resolved from a Spanish verb with no subject
    ("…, dijo." after "Ana Ruiz visitó el puerto."), the verb, which stands for its subject as "she" does in a
    resolved "she said". Else None: the name is not in the sentence and no word there stands for it."""
    at = _locate(text, claimant, lo, hi)
    if at or not rules.SUBJECT_IN_VERB_CLOSING.search(text, lo, hi):
        return at  # most resolved speakers: "she said", not a sentence closing with "dijo"
    closing = _inverted_closing(text, lo, hi)
    return closing.cue if closing and _subject_in_verb(closing) else None


_PERSONAL_PRONOUN = re.compile(r"(?<!\w)(?:he|she|they)(?!\w)", re.I)


def _resolved_pronoun_at(text: str, rule: Candidate) -> tuple[int, int] | None:
    """Where the pronoun the rules resolved to a name stands, outside the sentence's quotations: "He" in "Tom Hale
    toured the quay. He told reporters the ferry was unsafe." Without it the candidate had no source to read the
    content after, and showed none."""
    if rule.claimant_type != "named" and rule.claimant_type != "organization":
        return None
    quoted = rules._quote_spans(text, rule.start, rule.end)
    for m in _PERSONAL_PRONOUN.finditer(text, rule.start, rule.end):
        if not any(qa <= m.start() <= qb for qa, qb in quoted):
            return m.span()
    return None


def _rule_only(text: str, rule: Candidate) -> Candidate:
    """A rule candidate the tagger has nothing for stays a candidate, without content.

    Measured on dev half A, giving these their quotation as content cost precision (0.718 → 0.658)
    for no recall: they are mostly pieces of longer quotations the tagger already has, and sentences
    the annotators did not count as attributed. Their quotation is still in `quote`.
    """
    if rule.claimant:
        at = _claimant_at(text, rule.claimant, rule.start, rule.end) or _resolved_pronoun_at(text, rule)
        if at:
            rule.source_start, rule.source_end = at
        _interposed_content(text, rule)
        if rule.cue is None:
            _cue_beside_source(text, rule)
        _complement_content(text, rule)
    return rule


def _after_determiner(text: str, at: int) -> bool:
    """ "after the report Jane Roe …": a noun, not a reporting verb."""
    words = text[max(0, at - 12) : at].split()
    return bool(words) and words[-1].lower() in rules.DETERMINERS


_CUE_REACH = 60  # characters after the source where its verb may stand ("on Monday denied", "told reporters")


def _cue_beside_source(text: str, cand: Candidate) -> None:
    """The reporting words nearest a rule candidate's source, outside its quotations: "told" in "the health
    authority told reporters on Wednesday", "according to the ministry", "was confirmed by the bank". Without them
    a candidate named its speaker and showed no cue. A speaker resolved from "she" takes the sentence's first.
    Also for a tagged attribution whose cue the tagger missed."""
    quoted = rules._quote_spans(text, cand.start, cand.end)
    lo, hi = (cand.source_start, cand.source_end) if cand.source_start is not None else (cand.start, cand.start)
    best = None
    located = cand.source_start is not None
    for rank, pattern in enumerate((rules.VERB_SCAN, rules.ATTRIBUTION, rules.QUOTE_VERB_ANY)):
        for m in pattern.finditer(text, cand.start, cand.end):
            a, b = m.start(), _end_of_words(text, m.end())
            if a < hi and lo < b or any(qa <= a <= qb for qa, qb in quoted) or _after_determiner(text, a):
                continue
            distance = max(0, a - hi, lo - b)
            key = (distance, a - b) if located else (rank, distance, a - b)  # "Asked again, she declined to comment"
            if distance <= _CUE_REACH and (best is None or key < best[0]):
                best = key, (a, b)
    if best:
        cand.cue_start, cand.cue_end = best[1]
        cand.cue = text[cand.cue_start : cand.cue_end]


def _interposed_content(text: str, cand: Candidate) -> None:
    """ "Lenox was a juggernaut, Mr. Clarke said, until it went bankrupt": the sentence around the attribution
    is what was said. The tagger often leaves these without content; the rules find the speaker."""
    m = rules.INTERPOSED.search(text, cand.start, cand.end)
    if not m or len(m.group("source").split()) > 6:
        return
    pieces = [p for p in (_strip(text, cand.start, m.start()), _strip(text, m.end(), cand.end)) if p[1] > p[0]]
    hi = pieces[-1][1] if pieces else 0
    while pieces and hi > pieces[-1][0] and text[hi - 1] in ".!?":
        hi -= 1
    if len(pieces) < 2 or sum(len(_WORD.findall(text, a, b)) for a, b in pieces) < MIN_WORDS:
        return
    pieces[-1] = (pieces[-1][0], hi)
    cand.content_spans = pieces
    cand.content = " ".join(text[a:b] for a, b in pieces)
    cand.content_start, cand.content_end = pieces[0][0], pieces[-1][1]
    cand.cue, cand.cue_start, cand.cue_end = m.group("verb"), m.start("verb"), m.end("verb")


# A clause a reporting verb introduces: "that", "dass", "que", "qu’", after a comma in German ("sagte, dass").
_COMPLEMENT = re.compile(r",?\s+((?:that|dass|daß|que)\b|qu[’'](?=\w))", re.I)
_RECIPIENT_WORD = re.compile(r"\s+[\w’'-]+")  # "told reporters", "told the Harbour Ledger": up to four words
_RECIPIENT_WORDS = 4


def _complement_content(text: str, cand: Candidate) -> None:
    """ "Ana Ruiz said on Tuesday that the ferry will sail", "Anne Leroy a déclaré que …", "Anna Weber sagte, dass …":
    the clause the reporting verb introduces is the content, right after the verb or past when or where it was said
    (rules.OCCASIONS_AFTER) and, after "told", whom it was told. The tagger had the speaker and the verb only."""
    if cand.content is not None or cand.cue_end is None or cand.source_end is None or cand.source_end > cand.cue_start:
        return
    told = cand.cue.lower().startswith("told")
    m = _COMPLEMENT.search(text, cand.cue_end, cand.end)
    if m and _only_occasion(text, cand.cue_end, m.start(), told=told):
        start = m.start(1)
    elif told and (start := _clause_after_recipient(text, cand.cue_end, cand.end)) is not None:
        pass  # "Jane Roe told the Ledger she had not been paid": "that" left out
    elif cand.cue.lower() in _SAYS and (start := _clause_after_occasion(text, cand.cue_end, cand.end)) is not None:
        pass  # "Ana Ruiz said on Tuesday the ferry would sail"
    else:
        return
    lo, hi = _strip(text, start, cand.end)
    while hi > lo and text[hi - 1] in ".!?":
        hi -= 1
    if len(_WORD.findall(text, lo, hi)) >= MIN_WORDS:
        _set_content(text, cand, [(lo, hi)])


# A clause with its subject and verb, "that" left out after whom it was told: "she had not been paid", "the ferry
# would sail" (a pronoun or an article, at most five words, then an auxiliary or a past tense).
_BARE_CLAUSE = re.compile(
    r"(?:he|she|it|they|we|I|there|the|a|an|his|her|its|their)[^\S\n]+(?:[\w’'-]+[^\S\n]+){0,5}?"
    rf"(?:{_AUXILIARY}|won[’']t|[a-z]+ed\b)"
)


def _clause_after_recipient(text: str, lo: int, hi: int) -> int | None:
    """Where a clause starts after "told" and whom it was told (four words at most, perhaps with when or where:
    "told reporters on Tuesday"), "that" left out; None when no such clause follows ("told the story of …")."""
    at = lo
    for _ in range(_RECIPIENT_WORDS):
        word = _RECIPIENT_WORD.match(text, at, hi)
        if not word:
            return None
        at = word.end()
        if word.group().strip().lower() in rules.DETERMINERS | rules.PREPOSITIONS:
            continue  # "told the …": whom it was told goes on
        occasion = rules.OCCASIONS_AFTER.match(text, at, hi)
        start = occasion.end() if occasion else _SPACE.match(text, at, hi).end()
        if _BARE_CLAUSE.match(text, start, hi):
            return start
    return None


_SPACE = re.compile(r"[^\S\n]*")
_SAYS = frozenset(("said", "says", "added", "wrote", "writes", "noted", "stated", "explained", "argued", "insisted"))


def _clause_after_occasion(text: str, lo: int, hi: int) -> int | None:
    """Where a clause starts after "said" and when or where it was said ("said on Tuesday the ferry would sail"),
    "that" left out. Right after the verb it is the tagger's to read, and it reads it."""
    occasion = rules.OCCASIONS_AFTER.match(text, lo, hi)
    if occasion is None or not _BARE_CLAUSE.match(text, occasion.end(), hi):
        return None
    return occasion.end()


def _only_occasion(text: str, lo: int, hi: int, told: bool) -> bool:
    """Is text[lo:hi] nothing, or when or where something was said, perhaps after whom it was told?"""
    if lo == hi or rules.OCCASIONS_AFTER.fullmatch(text, lo, hi):
        return True
    for _ in range(_RECIPIENT_WORDS if told else 0):
        word = _RECIPIENT_WORD.match(text, lo, hi)
        if not word:
            return False
        lo = word.end()
        if lo == hi or rules.OCCASIONS_AFTER.fullmatch(text, lo, hi):
            return True
    return False


# A run of capitalised words that may be a person's name ("Marcus Tan", "Dr. Connie Mariano", "Joseph R. Biden").
_NAME_RUN = re.compile(
    r"(?<![\w’'.-])(?:(?:Mr|Mrs|Ms|Dr)\.?\s+)?[A-Z][\w’'-]+(?:[^\S\n]+[A-Z]\.)*[^\S\n]+[A-Z][\w’'-]+(?![\w’'-]|[^\S\n]+[A-Z])"
)


def _surnames(text: str, found: list[Candidate]) -> set[str]:
    """The surnames, casefolded, of everyone the text names in full ("Tan" after "Marcus Tan"): a speaker's
    name of two words or more, or a run of capitalised words inside a sentence, read as a person's name, whose
    first word the text never writes in lower case ("Multiple Amazon employees" opening a sentence, "Even China",
    "Fellow Republicans" are no names)."""
    out = {c.claimant.split()[-1].casefold() for c in found if c.claimant_type == "named" and " " in c.claimant}
    for start, run, titled in _name_runs(text):
        # "Mayor Ana Ruiz" opening a sentence names her
        if titled and rules.looks_like_title(_line_of(text, start)):
            titled = None  # "Retired General Reveals Experience …": a headline, every word capitalised
        words = (titled or run).split()
        if not titled and (not _mid_sentence(text, start) or not rules.is_person_name(run)):
            continue
        if words[-1].endswith("."):
            continue
        if words[0].lower() not in _lower_case_words(text):
            out.add(words[-1].casefold())
    # "Virginia Democrats" beside "a Democrat": the plural of a word is a group, not a family name
    return {w for w in out if not (w.endswith("s") and re.search(rf"\b{re.escape(w[:-1])}\b", text, re.I))}


@lru_cache(maxsize=4)
def _name_runs(text: str) -> list[tuple[int, str, str | None]]:
    """Each run of capitalised words that may be a person's name (_NAME_RUN), as (where, the run, the name after a
    title in it: rules.named_after_title). _surnames and _persons_mentioned both read them, and the search of the
    whole text is much of what they cost; kept for the text being read now (_forget_previous_text)."""
    return [(m.start(), m.group(), rules.named_after_title(m.group())) for m in _NAME_RUN.finditer(text)]


@lru_cache(maxsize=4)
def _lower_case_words(text: str) -> frozenset[str]:
    """Every word text writes starting in lower case: a capitalised word also written so is no name."""
    return frozenset(re.findall(r"\b[a-z][\w’'-]*", text))


def _forget_previous_text() -> None:
    """What was kept of the texts read before, dropped as a new one starts: only this text's readings are asked
    for again, and a text read twice costs the same both times (bench/claims.py times one text repeatedly)."""
    rules.forget_readings()
    _name_runs.cache_clear()
    _lower_case_words.cache_clear()


def _line_of(text: str, at: int) -> str:
    lo, hi = _line_bounds(text, at)
    return text[lo:hi]


# A few of these are kept, for the texts being read now (one a thread), and no more: a watch that runs for days
# must not hold on to every page it read. A text's hash is kept with it, so a look-up costs no reading.
@lru_cache(maxsize=4)
def _newlines(text: str) -> list[int]:
    """Where text's line breaks are."""
    return [m.start() for m in re.finditer("\n", text)]


def _line_bounds(text: str, at: int) -> tuple[int, int]:
    """Where the line holding text[at] starts and ends (before its line break), found by search: a scan back to
    the last line break crossed the whole of a page that has none, for every attribution on it."""
    breaks = _newlines(text)
    k = bisect_left(breaks, at)
    return (breaks[k - 1] + 1 if k else 0), (breaks[k] if k < len(breaks) else len(text))


@lru_cache(maxsize=16)
def _boilerplate_line(text: str, lo: int, hi: int) -> bool:
    return rules._is_boilerplate(text[lo:hi])


@lru_cache(maxsize=8)
def _marks(text: str, mark: str) -> list[int]:
    return [m.start() for m in re.finditer(re.escape(mark), text)]


def _marks_before(text: str, mark: str, at: int) -> int:
    """text.count(mark, 0, at) for a one-character mark, by search rather than by a count from the start."""
    return bisect_left(_marks(text, mark), at)


def _end_of_words(text: str, end: int) -> int:
    """len(text[:end].rstrip()), without copying everything before end."""
    while end > 0 and text[end - 1].isspace():
        end -= 1
    return end


def _mid_sentence(text: str, at: int) -> bool:
    """Does a lower-case word or a comma come just before text[at] on its line, where only a name is capitalised?"""
    before = text[max(0, at - 40) : at].rstrip(" \t\u00a0")
    return bool(before) and (before[-1] == "," or before[-1].islower())


def _surnames_as_named(text: str, found: list[Candidate]) -> None:
    """A one-word claimant that is the surname of someone the text names ("Tan", "TAN:" in a transcript) is a
    person: alone, one capitalised word was read as an organisation's name, and "he" never resolved to it. So is
    one the next speaker calls "he" or "she" (_called_he_or_she): "Roe wrote …. She said …"."""
    single = [c for c in found if c.claimant_type == "organization" and c.claimant and " " not in c.claimant]
    if not single:
        return
    surnames = _surnames(text, found)
    # where each candidate stands, and who the narration names (once, when first asked): looked up for each
    # candidate, they grew with the square of a long text's length
    position = {id(c): i for i, c in enumerate(found)}
    mentioned = cache(lambda: _persons_mentioned(text, found))
    written = cache(lambda word: _written_in_lower_case(text, word))
    for c in single:
        if c.claimant.strip(".,:;").casefold() in surnames or _called_he_or_she(
            text, found, position[id(c)], mentioned, written
        ):
            c.claimant_type = "named"


def _written_in_lower_case(text: str, word: str) -> bool:
    """Does text write word in lower case, itself or without its plural "s", as a word of its own?

    Searched from the first place the shorter one stands (it opens the other): a search of the whole text for
    each one-word claimant took minutes on a long text naming hundreds of them.
    """
    stem = word.removesuffix("s")
    at = text.find(stem)
    return at >= 0 and re.compile(rf"\b(?:{re.escape(word)}|{re.escape(stem)})\b").search(text, at) is not None


def _called_he_or_she(
    text: str,
    found: list[Candidate],
    i: int,
    mentioned: Callable[[], list[tuple[int, str]]],
    written: Callable[[str], bool],
) -> bool:
    """Is the next claimant after found[i] "he" or "she", within PRONOUN_REACH paragraphs, with no person named in
    the narration between them (mentioned(): _persons_mentioned)? A company is "it"; with nothing after it, one
    word stays an organisation's name, as "Contoso said" is. A word the text also writes in lower case, itself or
    without its plural "s" (written: _written_in_lower_case), is a noun opening a sentence ("Delegates said …"),
    not a name."""
    c = found[i]
    after = next((found[j] for j in range(i + 1, len(found)) if found[j].claimant), None)
    if after is None or after.claimant.lower() not in PERSON_PRONOUNS or c.source_end is None:
        return False
    if written(c.claimant.strip(".,:;").lower()):
        return False
    if text.count("\n", c.start, after.start) > PRONOUN_REACH:
        return False
    at = after.source_start if after.source_start is not None else after.start
    mentions = mentioned()
    k = bisect_left(mentions, (c.source_end, ""))  # mentions are in reading order: the first at or after the name
    return not (k < len(mentions) and mentions[k][0] < at)


_JOINED_NAMES = re.compile(r"\s(?:and|&)\s")
_REPORTING_VERB = re.compile(rf"\b(?:{rules.VERB_SCAN.pattern}|{rules.QUOTE_VERB_ANY.pattern})", re.I)
_BETWEEN_SUBJECT_AND_VERB = 3  # "it has since denied", "it on Monday said"


def _reports(text: str, c: Candidate) -> bool:
    """Is the pronoun the subject of a reporting verb ("it said", "it has denied", "it declined to comment")?
    "For the industry, it underscores the risks": "it" is the situation, not the company named before."""
    if not c.cue or not _REPORTING_VERB.search(c.cue) or c.source_end is None:
        return False
    verb = re.compile(rf"[^\S\n]+(?:[\w’']+[^\S\n]+){{0,{_BETWEEN_SUBJECT_AND_VERB}}}?{re.escape(c.cue)}\b")
    return verb.match(text, c.source_end) is not None


def _resolve_pronouns(text: str, found: list[Candidate]) -> None:
    """'he said' → the last named speaker when no other person spoke or was named in between, within PRONOUN_REACH
    paragraphs. "Ana Ruiz said …. Later Tom Hale arrived at the quay. He said …": "he" may be either of them, so it
    stays the pronoun (_named_between)."""
    last_person: tuple[str, int, int] | None = None  # (name, paragraph number, where its source ends)
    last_group: tuple[str, int] | None = None
    line_starts: list[int] = [0] + [m.end() for m in _NEWLINE.finditer(text)] if len(found) else []
    mentions: list[tuple[int, str]] | None = None
    genders: dict[str, str] = {}  # surname → "he" / "she", where the text said so (a title, a resolved pronoun)
    paragraph = 0
    for c in found:
        paragraph = bisect_right(line_starts, c.start)
        name = c.claimant
        low = (name or "").lower()
        if name and c.claimant_type == "named":
            # "Jane Roe and Marcus Tan": two people, so a "she" after them is neither for certain
            end = c.source_end if c.source_end is not None else c.start
            last_person = None if _JOINED_NAMES.search(name) else (name, paragraph, end)
            said = text[c.source_start : c.source_end].lower() if c.source_start is not None else ""
            gender = rules.GENDER_OF_TITLE.get(name.split()[0].lower()) or (said if said in ("he", "she") else None)
            if gender:
                genders[name.split()[-1]] = gender  # "Mrs. Ana Ruiz said", a "he" resolved to Tom Hale
        elif name and c.claimant_type == "organization" and low not in GROUP_PRONOUNS:
            last_group = (name, paragraph)
        elif low in PERSON_PRONOUNS and last_person and paragraph - last_person[1] <= PRONOUN_REACH:
            if mentions is None:
                mentions = _persons_mentioned(text, found)
            at = c.source_start if c.source_start is not None else c.start
            gender = genders.get(last_person[0].split()[-1], PERSON_PRONOUNS_GENDER.get(low))
            if gender == PERSON_PRONOUNS_GENDER.get(low) and not _named_between(
                mentions, last_person[0], last_person[2], at
            ):
                c.claimant, c.claimant_type = last_person[0], "named"  # source_start/end still point at "he"
                if gender:
                    genders[last_person[0].split()[-1]] = gender
        elif low == "it" and last_group and paragraph - last_group[1] <= PRONOUN_REACH and _reports(text, c):
            c.claimant, c.claimant_type = last_group[0], "organization"


def _persons_mentioned(text: str, found: list[Candidate]) -> list[tuple[int, str]]:
    """Where the narration names a person in full, in reading order, as (position, surname casefolded): a run of
    capitalised words read as a person's name (after a title: "Secretary General Ban Ki-moon") whose first word
    the text never writes in lower case ("Fair Sentencing Act" is not, where "fair" is written so), and not after a
    preposition (_after_preposition). Names inside quotations and inside what a candidate says are what was said
    about someone, not someone the story moved on to, and are left out."""
    said = _Covered(span for c in found for span in (c.content_spans or []))
    quoted: dict[int, _Covered] = {}
    out: list[tuple[int, str]] = []
    for start, run, titled in _name_runs(text):
        words = (titled or run).split()
        if words[-1].endswith(".") or not titled and not rules.is_person_name(run):
            continue
        if start in said or _after_preposition(text, start):
            continue
        if words[0].lower() in _lower_case_words(text):
            continue
        line, end = _line_bounds(text, start)
        if line not in quoted:
            quoted[line] = _Covered(rules._quote_spans(text, line, end))
        if start not in quoted[line]:
            out.append((start, words[-1].casefold()))
    return out


def _after_preposition(text: str, at: int) -> bool:
    """ "the Peterson Institute for International Economics", "with the Contoso Group": a name after a preposition
    or an article is where someone works or what was met, not a person the story moved on to."""
    words = text[max(0, at - 20) : at].split()
    return bool(words) and words[-1].lower() in _BEFORE_A_PLACE


_BEFORE_A_PLACE = rules.PREPOSITIONS | rules.DETERMINERS


def _named_between(mentions: list[tuple[int, str]], speaker: str, lo: int, hi: int) -> bool:
    """Is a person other than the speaker named in the narration between lo and hi?"""
    own = speaker.split()[-1].casefold()
    for i in range(bisect_right(mentions, (lo, "\uffff")), len(mentions)):  # only those up to hi: not every later one
        at, word = mentions[i]
        if at >= hi:
            return False
        if word != own:
            return True
    return False


class _Covered:
    """The positions inside any of some (start, end) spans, end excluded, each looked up by a search: a page of
    many names and quotations asked every span of the text for every name (400 KB: 40 s, growing with the square
    of the text)."""

    def __init__(self, spans: Iterable[tuple[int, int]]) -> None:
        self.starts: list[int] = []
        self.ends: list[int] = []
        for a, b in sorted(spans):
            if b <= a:
                continue
            if self.ends and a <= self.ends[-1]:
                self.ends[-1] = max(self.ends[-1], b)
            else:
                self.starts.append(a)
                self.ends.append(b)

    def __contains__(self, at: int) -> bool:
        i = bisect_right(self.starts, at) - 1
        return i >= 0 and at < self.ends[i]
