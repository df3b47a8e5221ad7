"""Sentence → what the check-worthiness model reads: tokens and named cues; pure Python.

The same function feeds training and scoring, so the committed weights mean
exactly what they meant when they were fitted:

- tokens: the casefolded sentence split into words, numbers reduced to their
  shape (``<num>``, ``<year>``) so "$4 billion" and "$7 billion" teach the
  same thing. ``ngrams.py`` hashes their words, word pairs and in-word
  character 2–5-grams for a whole batch at once;
- cues: a dozen named signals (a figure, a percentage, a comparison, opinion
  or promise wording, a question...). They are features like the others, and
  because each has a name a reporter understands, they also explain a score.

Cues are set look-ups on the tokens, not regexes over the text: about 50 µs a
sentence on one core, most of a score's cost.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tracker.attribution import normalize


@dataclass(frozen=True)
class Cue:
    """A named signal and how a reporter would say it.

    It fires when a token is one of ``words``, or the casefolded text contains
    one of ``phrases`` (padded with spaces, so whole words only).
    """

    name: str
    says: str
    words: frozenset[str] = frozenset()
    phrases: tuple[str, ...] = ()


def _set(words: str) -> frozenset[str]:
    return frozenset(words.split())


def _phrases(text: str) -> tuple[str, ...]:
    return tuple(f" {p.strip()} " for p in text.split(","))


CUES: tuple[Cue, ...] = (
    Cue(
        "figure",
        "states a figure",
        _set(
            "<num> <year> two three four five six seven eight nine ten eleven twelve fifteen twenty thirty "
            "forty fifty sixty seventy eighty ninety hundred hundreds thousand thousands million millions "
            "billion billions trillion dozen dozens half third quarter twice double doubled tripled halved"
        ),
    ),
    Cue("percent", "gives a percentage", _set("% percent percentage"), _phrases("per cent")),
    Cue(
        "money",
        "involves money",
        _set(
            "$ £ € dollar dollars euro euros pound pounds budget budgets deficit debt cost costs spent spend "
            "spending revenue revenues profit profits tax taxes salary salaries wages price prices"
        ),
    ),
    Cue(
        "date",
        "says when",
        _set(
            "<year> january february march april june july august september october november december "
            "yesterday ago decade decades"
        ),
        _phrases("last week, last month, last year, since"),
    ),
    Cue(
        "comparison",
        "makes a comparison",
        _set(
            "more less fewer most least higher lower largest biggest smallest highest lowest fastest record "
            "increase increased increases decrease decreased rise rose fell cut cuts grew grown doubled than "
            "only every none never first"
        ),
    ),
    Cue(
        "past_event",
        "reports something that happened",
        _set(
            "was were had did voted passed signed announced reported found showed lost created raised paid "
            "spent closed fired hired sold bought built killed died made took gave"
        ),
    ),
    Cue(
        "opinion",
        "opinion wording",
        _set(
            "frankly honestly great terrible wonderful horrible best worst wrong disaster tremendous "
            "ridiculous fantastic shame disgrace"
        ),
        _phrases("i think, i believe, i feel, in my opinion, i hope, i'm sure, i don't think, i do think, my view"),
    ),
    Cue(
        "promise",
        "a plan or promise, not a fact",
        _set("will we'll i'll gonna must should ought let's plan plans intend propose"),
        _phrases("going to, need to, needs to, want to, wants to, we need, let us, would like"),
    ),
    Cue(
        "hedge",
        "hedged wording",
        _set("might may maybe perhaps possibly probably could seems seem appears likely unclear"),
    ),
    Cue("question", "asks a question", _set("?")),
)
CUE_NAMES = tuple(c.name for c in CUES) + ("named", "short")
_SAYS = {c.name: c.says for c in CUES} | {"named": "names people or organisations", "short": "too short to check"}

_TOKEN = re.compile(r"\d+(?:[.,:/]\d+)*|[^\W\d_]+(?:['’][^\W\d_]+)?|[$£€%?]")
_YEAR = re.compile(r"(?:1[89]|20)\d\d")
# A capitalised word after the first that is not "I": a name of a person,
# place or organisation, which is what a checker would look up.
_NAME = re.compile(r"(?<=\S\s)(?!I\b)[A-Z][a-z]")


@dataclass(frozen=True)
class Sentence:
    """What the model reads of one sentence: its tokens joined by single spaces, and the cues shown."""

    tokens: str
    cues: tuple[str, ...]


def _shape(token: str) -> str:
    if token[0].isdigit():
        return "<year>" if _YEAR.fullmatch(token) else "<num>"
    return token


# What the cues read in a sentence of another language: numbers and marks, the same in any language. The
# words, phrases and capitals they also read are English ("will" is "wants" in German, and German
# capitalises every noun, so "names people or organisations" fired on nearly every German sentence).
_ANY_LANGUAGE = frozenset("<num> <year> % $ £ € ?".split())


def _cues(text: str, padded: str, tokens: list[str], english: bool = True) -> tuple[str, ...]:
    present = set(tokens)
    if not english:
        present &= _ANY_LANGUAGE
        return tuple(c.name for c in CUES if not c.words.isdisjoint(present)) + (("short",) if len(tokens) < 6 else ())
    found = [c.name for c in CUES if not c.words.isdisjoint(present) or any(p in padded for p in c.phrases)]
    if "past_event" not in found and any(len(t) > 4 and t.endswith("ed") for t in tokens):
        found.append("past_event")
    if _NAME.search(text):
        found.append("named")
    if len(tokens) < 6:
        found.append("short")
    return tuple(found)


def analyse(text: str, english: bool = True) -> Sentence:
    """Tokens (casefolded, numbers reduced to their shape) and cues of one sentence.

    english=False: the sentence is known to be in another language, so only the cues that read numbers and
    marks are given (the model was trained on English; a cue it cannot read must not become a reason).
    """
    low = normalize(text)
    tokens = [_shape(t) for t in _TOKEN.findall(low)]
    return Sentence(" ".join(tokens), _cues(text, f" {low} ", tokens, english))


def is_english(language: str | None) -> bool:
    """Whether the cues can read a text in this language (a page's tag: "en", "en-GB", "de"); unknown is English."""
    return not language or language.strip().lower()[:2] == "en"


def cues_of(text: str) -> tuple[str, ...]:
    """Names of the cues a sentence shows, for explaining a score."""
    return analyse(text).cues


def says(cue: str) -> str:
    """The reporter's words for a cue."""
    return _SAYS[cue]
