"""A candidate's check-worthiness: the sentence model plus what the tracker knows, with reasons.

The model (model.py) reads only the sentence, and it learned from debate
sentences. The tracker knows more about a candidate: who said it and how
(a denial by the company the story is about is the thing to check first),
whether it names anyone, how many outlets carry the same sentence, and
whether a claim already holds it. Those facts move the model's log-odds by
the fixed amounts in ADJUSTMENTS; the result goes back through the logistic
function, so the score stays in 0–1 and the model's own decision (at its
threshold) is still what the sentence alone says.

The amounts are set by hand, not fitted: there is no labelled news data to
fit them on. Each is small beside the model's range (its log-odds span about
-6 to +6 on news sentences), so context reorders near neighbours and lifts
a denial or a widely carried sentence, but cannot turn "we'll see" into a
claim. docs/checkworthiness.md shows what they do to the bundled story.

Every score comes with its two or three biggest reasons, each something a
reporter reads at a glance: "states a figure", "denial by Amazon",
"opinion wording", with the direction it moved the score.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from tracker.checkworthy.features import analyse, is_english, says
from tracker.checkworthy.model import ModelMissing, load

# A candidate scoring at least this is "high": the editor's filter, the
# dashboard count. Chosen on the dev split's half A (precision 0.87 there),
# see docs/checkworthiness.md.
HIGH = 0.7
MAX_REASONS = 3
# A reason must move the log-odds at least this much to be worth a reporter's attention.
MIN_EFFECT = 0.25
# How much the wording (the n-grams and the word-vector network together) must lean
# one way before "wording like ..." is a reason.
WORDING_EFFECT = 1.0

ADJUSTMENTS = {
    "central_denial": 1.2,  # a denial or confirmation by the organisation the story is about
    "denial": 0.6,  # a denial or confirmation by anyone else
    "no_comment": -3.0,  # "declined to comment": nothing in it to check, however factual it reads
    "hedged": -0.4,  # "it is unclear whether...": the outlet itself is unsure
    "named_claimant": 0.4,  # someone named stands behind it: there is a person or body to ask
    "unattributed": -0.3,  # no one is said to have said it
    "echo_per_outlet": 0.3,  # each further outlet carrying the same sentence ...
    "echo_max": 0.9,  # ... up to this much
    "logged": -0.8,  # already held by a claim: being checked already
}


@dataclass(frozen=True)
class Reason:
    """One thing that moved a score: what a reporter reads, and which way (+1 raised, -1 lowered)."""

    text: str
    direction: int
    effect: float = field(default=0.0, compare=False)

    def as_dict(self) -> dict:
        return {"text": self.text, "direction": "raises" if self.direction > 0 else "lowers"}


@dataclass(frozen=True)
class Context:
    """What the tracker knows about a candidate beyond its sentence; every field optional."""

    kind: str | None = None
    claimant: str | None = None
    claimant_type: str | None = None
    centre: tuple[str, ...] = ()  # the story's include keywords: who the story is about
    outlets: int = 1  # distinct outlets carrying this sentence in the story
    logged_claim_id: int | None = None  # a claim that already holds this sentence
    language: str | None = None  # the page's language tag ("de", "en-GB"); None: not known, read as English


@dataclass(frozen=True)
class Ranking:
    """A score in 0–1, the model's own decision on the sentence alone, and the reasons, biggest first."""

    score: float
    check_worthy: bool
    reasons: tuple[Reason, ...]

    @property
    def high(self) -> bool:
        return self.score >= HIGH


def medium() -> float:
    """Below HIGH, a score at least this is "medium", under it "low": the model's own decision threshold.

    Stored scores are shown without the model; while its file cannot be read (scraping and ingest say so,
    naming the command that rebuilds it), the midpoint stands in: scores read as if both classes were
    equally common.
    """
    try:
        return load().threshold
    except ModelMissing:
        return 0.5


def _sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(-60.0, min(60.0, z))))


def _mentions(claimant: str, names: tuple[str, ...]) -> str | None:
    for name in names:
        if re.search(r"(?<!\w)" + re.escape(name) + r"(?:['’]s)?(?!\w)", claimant, re.I):
            return name
    return None


def _effect(text: str, value: float) -> Reason:
    """A reason from a signed change of the log-odds."""
    return Reason(text, 1 if value > 0 else -1, abs(value))


def _context_effects(ctx: Context) -> list[Reason]:
    out: list[Reason] = []
    a = ADJUSTMENTS
    claimant = (ctx.claimant or "").strip()
    if ctx.kind in ("denial", "confirmation"):
        central = _mentions(claimant, ctx.centre) if claimant else None
        if central:
            out.append(_effect(f"{ctx.kind} by {central}", a["central_denial"]))
        else:
            out.append(_effect(f"a {ctx.kind}" + (f" by {claimant[:40]}" if claimant else ""), a["denial"]))
    elif ctx.kind == "no_comment":
        out.append(_effect("declines to comment: nothing to check", a["no_comment"]))
    elif ctx.kind == "hedged":
        out.append(_effect("the outlet itself is unsure", a["hedged"]))
    if ctx.claimant_type in ("named", "organization", "document") and claimant and ctx.kind != "no_comment":
        out.append(_effect(f"attributed to {claimant[:40]}", a["named_claimant"]))
    elif ctx.claimant_type == "unattributed" or (ctx.claimant_type is None and not claimant and ctx.kind):
        out.append(_effect("no one is named as saying it", a["unattributed"]))
    if ctx.outlets > 1:
        bump = min(a["echo_max"], a["echo_per_outlet"] * (ctx.outlets - 1))
        out.append(_effect(f"carried by {ctx.outlets} outlets", bump))
    if ctx.logged_claim_id is not None:
        out.append(_effect(f"already logged as claim {ctx.logged_claim_id}", a["logged"]))
    return out


def rank(text: str, ctx: Context | None = None) -> Ranking:
    """Score one sentence in its context and say why."""
    return rank_many([text], [ctx])[0]


def rank_many(texts: list[str], contexts: list[Context | None] | None = None) -> list[Ranking]:
    """Score a batch of sentences, each in its context (or none), and say why: one model call for all."""
    model = load()
    sentences = [
        analyse(t, is_english(contexts[i].language if contexts and contexts[i] else None)) for i, t in enumerate(texts)
    ]
    margins = model.margins(sentences)
    out = []
    for i, s in enumerate(sentences):
        z = float(margins.total[i])
        check_worthy = _sigmoid(z) >= model.threshold
        reasons: list[Reason] = []
        for cue in s.cues:
            w = model.cues.get(cue, 0.0)
            if abs(w) >= MIN_EFFECT:
                reasons.append(_effect(says(cue), w))
        ctx = contexts[i] if contexts else None
        if ctx is not None:
            for r in _context_effects(ctx):
                z += r.direction * r.effect
                reasons.append(r)
        reasons.sort(key=lambda r: -r.effect)
        reasons = reasons[:MAX_REASONS]
        # The n-grams and the network explain little in words ("wording like ..."),
        # so they are said only when fewer than two concrete reasons were found.
        wording = float(margins.ngrams[i] + margins.network[i])
        if len(reasons) < 2 and abs(wording) >= WORDING_EFFECT:
            reasons.append(
                _effect("wording like checkable claims" if wording > 0 else "wording like talk, not fact", wording)
            )
        out.append(Ranking(round(_sigmoid(z), 4), check_worthy, tuple(reasons)))
    return out
