"""Which of a page's candidate dates is when it was published, and which when it was last modified.

The choice is a vote over independent witnesses, not a first-found order:
each candidate day gets, from each family of sources (the structured fields,
the URL, a <time>, the byline, the written text, htmldate's reading, the feed
entry), the weight of that family's best witness for it. A family is one
witness however often it repeats itself: JSON-LD, OpenGraph and microdata are
usually one CMS field written three times, so their agreement proves little,
while the URL or the written byline agreeing with them proves much. The
weights are how often each kind of source named the right day on the half of
the extraction corpus the rules are written on (docs/scraping.md).

Before voting, dates that cannot be right are doubted, recorded with the
reason, and left out: dates in the future, dates before 1995 (older than
news on the web; usually an empty field's default), and, when the page came
from a feed, dates weeks away from the feed entry's own. Modification dates
never vote for publication; they are chosen among themselves.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from scrapers.article.datecandidates import (
    FUTURE_SLACK,
    MODIFIED,
    PUBLISHED,
    RELATIVE,
    STRUCTURED_FAMILIES,
    UNKNOWN,
    DateCandidate,
)
from scrapers.records import DateDoubt

EARLIEST = "1995-01-01"
FEED_TOLERANCE = timedelta(days=14)  # a page's date further than this from its feed entry's is doubted
# Weight of one witness, by source family and role: the log-odds of how often that kind of source named the
# right day on the half of the extraction corpus rules are written on (docs/scraping.md has the counts).
WEIGHTS = {
    ("url", PUBLISHED): 3.04,
    ("time", PUBLISHED): 2.59,
    ("time", UNKNOWN): 2.59,
    ("text", PUBLISHED): 2.26,
    ("structured", PUBLISHED): 2.07,
    ("htmldate", PUBLISHED): 1.93,
    # htmldate's day found only in a script's state (its last resort, the raw source's first stamp) or only in a
    # field the page names its last change: too rare on the corpus to measure, set below every witness the page
    # shows, so that it decides only where nothing is shown.
    ("htmldate", UNKNOWN): 1.0,
    ("byline", PUBLISHED): 1.89,
    ("byline", UNKNOWN): 1.89,
    ("text", UNKNOWN): 1.54,
    # Not measurable on the corpus (no feeds): taken as strong as the URL, the other date fixed at publication.
    ("feed", PUBLISHED): 3.04,
}
# Whose value is kept for the chosen day: a time of day first, and the page's own fields before the feed's.
VALUE_ORDER = ("structured", "time", "feed", "byline", "url", "text", "htmldate")
SECONDARY = 0.25  # weight of a family's dates other than its first choice
# Modified dates, most trusted first.
MODIFIED_ORDER = ("structured", "time", "byline", "text")


@dataclass
class DateDecision:
    """The chosen dates, which sources agreed on each, and what was doubted."""

    published: str | None = None
    published_sources: tuple[str, ...] = ()
    modified: str | None = None
    modified_sources: tuple[str, ...] = ()
    doubts: list[DateDoubt] = field(default_factory=list)


def family(candidate: DateCandidate) -> str:
    return "structured" if candidate.family in STRUCTURED_FAMILIES else candidate.family


def choose(candidates: list[DateCandidate], today: date | None = None) -> DateDecision:
    """Doubt the impossible dates, then vote for the published day and pick the modified date."""
    today = today or datetime.now(UTC).date()
    decision = DateDecision()
    usable = _without_doubted(candidates, today, decision.doubts)
    published = _vote(usable)
    if published:
        decision.published, decision.published_sources = published
    else:
        _how_long_ago(usable, decision)
    modified = _modified(usable, decision.published)
    if modified:
        decision.modified, decision.modified_sources = modified
    return decision


def _without_doubted(candidates: list[DateCandidate], today: date, doubts: list[DateDoubt]) -> list[DateCandidate]:
    """The candidates that can be right; the others go to `doubts` with the reason.

    A date merely written in the text (a historical date, an event) is not
    the page's claim about itself, so it is dropped without a doubt recorded.
    """
    latest = (today + FUTURE_SLACK).isoformat()

    def impossible(c: DateCandidate) -> str | None:
        if c.day > latest:
            return "in the future"
        if c.day < EARLIEST:
            return f"before {EARLIEST[:4]}"
        return None

    feed_days = [date.fromisoformat(c.day) for c in candidates if c.source == "feed" and not impossible(c)]
    kept: list[DateCandidate] = []
    for c in candidates:
        reason = impossible(c)
        if reason is None and feed_days and c.source != "feed":
            gap = min(abs(date.fromisoformat(c.day) - d) for d in feed_days)
            if gap > FEED_TOLERANCE:
                reason = f"{gap.days} days from the feed entry's date"
        if reason is None:
            kept.append(c)
        elif c.role != UNKNOWN or family(c) != "text":
            doubt = DateDoubt(c.value, c.source, reason)
            if doubt not in doubts:
                doubts.append(doubt)
    return kept


def _how_long_ago(candidates: list[DateCandidate], decision: DateDecision) -> None:
    """For want of any date the page writes, the day it says how long ago it was published, doubted as approximate.

    Counted back from when the page was fetched, it is as near as the page's own label ("vor 3 Stunden"),
    which the page rounds and rewrites as time passes: an editor sees it among the doubts.
    """
    for c in candidates:
        if family(c) == RELATIVE and c.role != MODIFIED:
            decision.published, decision.published_sources = c.value, (c.source,)
            reason = f'approximate: "{c.shown}" counted back from when the page was fetched'
            decision.doubts.append(DateDoubt(c.value, c.source, reason))
            return


def _vote(candidates: list[DateCandidate]) -> tuple[str, tuple[str, ...]] | None:
    """The day with the most weight from independent families; its most precise value and its witnesses.

    Each family votes with its own first choice (its most trusted source, then
    the first found); its other dates count a quarter, enough to break a tie.
    Ties left go to the day found first.
    """
    leaders: dict[str, DateCandidate] = {}
    for c in candidates:
        weight = WEIGHTS.get((family(c), c.role), 0.0)
        leader = leaders.get(family(c))
        if weight and (leader is None or weight > WEIGHTS[(family(leader), leader.role)]):
            leaders[family(c)] = c
    votes: dict[tuple[str, str], float] = {}  # (day, family) -> that family's vote for the day
    for c in candidates:
        weight = WEIGHTS.get((family(c), c.role), 0.0)
        if weight:
            weight *= 1.0 if c.day == leaders[family(c)].day else SECONDARY
            votes[(c.day, family(c))] = max(votes.get((c.day, family(c)), 0.0), weight)
    if not votes:
        return None
    totals: dict[str, float] = {}
    for (day, _), weight in votes.items():
        totals[day] = totals.get(day, 0.0) + weight
    first_seen = {c.day: -i for i, c in reversed(list(enumerate(candidates)))}
    day = max(totals, key=lambda d: (totals[d], first_seen[d]))
    witnesses = [c for c in candidates if WEIGHTS.get((family(c), c.role)) and c.day == day]
    value = min(witnesses, key=lambda c: (len(c.value) <= 10, VALUE_ORDER.index(family(c)))).value
    return value, tuple(dict.fromkeys(c.source for c in witnesses))


def _modified(candidates: list[DateCandidate], published: str | None) -> tuple[str, tuple[str, ...]] | None:
    """The most trusted modification date that is not before the publication.

    Within a family the first found is the most trusted (JSON-LD before
    OpenGraph before microdata; on the page, the first written).
    """
    floor = (published or "")[:10]
    for fam in MODIFIED_ORDER:
        found = [c for c in candidates if c.role == MODIFIED and family(c) == fam and c.day >= floor]
        if found:
            return found[0].value, tuple(dict.fromkeys(c.source for c in found if c.day == found[0].day))
    return None
