"""The bundled story: the files in data/demo/, loaded the way a newsroom would load a real one.

The files go through ingest_targets like any source; the claims are the ones
a reporter would log from that single article, each with its exact quote, and
the rulings are what an editor could defend on that article alone. Nothing
here adds facts the article does not contain. Loading twice changes nothing.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass

import sqlite_utils

from tracker import claims, config, coverage, developments, questions, stories, users
from tracker.db import TrackerError, one, transaction
from tracker.ingest import IngestSummary, ingest_targets

SLUG = "amazon-ai-activity"
TITLE = "Amazon staff pressed to show AI activity"
DESCRIPTION = (
    "Reports that Amazon workers are being pressed to show more “AI activity” and that some have "
    "made up tasks to meet the numbers. Amazon has not commented."
)
KEYWORDS = "Amazon, AI"
EDITOR = "demo-editor"
FILES = ("article.html", "feed.xml")
ARTICLE_URL = "https://techdaily.example/2026/11/24/amazon-workers-ai-activity-fake-tasks/"


@dataclass(frozen=True)
class DemoClaim:
    text: str
    claimant: str
    claimant_type: str
    evidence: tuple[tuple[str, str], ...]  # (exact quote from the article, stance)
    status: str
    rationale: str
    internal_notes: str = ""


SINGLE_SOURCE = "Reported by a single outlet"
CLAIMS = (
    DemoClaim(
        text="Amazon workers are pressed to show more AI activity, and many are making up tasks to meet the numbers.",
        claimant="Anonymous Amazon employee",
        claimant_type="anonymous",
        evidence=(
            (
                "We’re told to show more AI activity, but many of us are just making up tasks to meet the numbers.",
                "supports",
            ),
        ),
        status="unclear",
        rationale=(
            f"{SINGLE_SOURCE}, quoting one employee it does not name; no documents and no second source. "
            "Amazon has not commented. Stays unclear until independently corroborated."
        ),
        internal_notes="Seek a second source in AWS before any change of status.",
    ),
    DemoClaim(
        text="Such practices, if confirmed, could undermine trust in reported AI progress.",
        claimant="Industry analyst",
        claimant_type="anonymous",
        evidence=(
            (
                "Such practices, if confirmed, could undermine trust in reported AI progress and highlight the "
                "darker side of rapid technological push.",
                "supports",
            ),
        ),
        status="unclear",
        rationale=(
            "A conditional opinion from an analyst the article does not name, so their standing cannot be weighed; "
            "it depends on the practices being confirmed, and they are not."
        ),
    ),
    DemoClaim(
        text="Amazon has not publicly commented on the claims.",
        claimant="Amazon",
        claimant_type="organization",
        evidence=(
            ("Amazon has not publicly commented on these claims", "supports"),
            ("Amazon has not confirmed or denied the claims publicly", "supports"),
        ),
        status="confirmed",
        rationale=(
            "The article (24 Nov 2026) reports no comment from Amazon, and no Amazon statement on these reports is "
            "among this story's sources as of that date. Ruled on this article alone; a desk would also check "
            "Amazon's own newsroom and ask its press office. Any statement would reopen this."
        ),
    ),
    DemoClaim(
        text="Investigations by Amazon are reportedly underway to assess the extent of the reports.",
        claimant="Unnamed reports",
        claimant_type="unattributed",
        evidence=(
            ("Investigations by Amazon are reportedly underway to assess the extent of these reports.", "supports"),
            ("reports suggest internal investigations are underway to determine the scope of the issue", "supports"),
            ("Details about internal responses or investigations are still emerging", "context"),
        ),
        status="unclear",
        rationale=(
            "Hedged (“reportedly”) and unattributed: the article names no source for it, and Amazon has "
            "not confirmed any investigation."
        ),
    ),
    DemoClaim(
        text="Some Amazon employees have admitted fabricating AI-related tasks to meet management expectations.",
        claimant="Anonymous sources",
        claimant_type="anonymous",
        evidence=(
            (
                "some employees have admitted to fabricating tasks or activities related to AI to fulfill these "
                "expectations, as confirmed by anonymous sources",
                "supports",
            ),
            (
                "According to anonymous sources, some employees have admitted to inventing tasks to meet management "
                "expectations for AI activity.",
                "supports",
            ),
            ("It is not yet clear how widespread these practices are within Amazon", "context"),
        ),
        status="unclear",
        rationale=(
            f"{SINGLE_SOURCE}, from anonymous sources only; the article itself says it is unclear how widespread "
            "this is, and Amazon has not confirmed. Needs independent corroboration."
        ),
    ),
    DemoClaim(
        text="Amazon management is pressing workers to significantly increase their AI-related activity.",
        claimant="Sources familiar with the situation",
        claimant_type="anonymous",
        evidence=(
            (
                "Amazon workers are reportedly being pressured to significantly increase their AI-related activities",
                "supports",
            ),
            (
                "Multiple Amazon employees have indicated that management is emphasizing the importance of AI "
                "integration into their workflows",
                "supports",
            ),
        ),
        status="unclear",
        rationale=(
            f"{SINGLE_SOURCE}, from sources and employees it does not name; no documents or on-record comment. "
            "Unclear until a second outlet or Amazon confirms it."
        ),
    ),
)


def load_demo(
    db: sqlite_utils.Database,
    echo: Callable[[str], object] = print,
    report: Callable[[IngestSummary], object] | None = None,
) -> dict:
    """Load the demo story, its coverage, claims and rulings; returns slug, username and a new password.

    `password` is set only when the demo editor account was created by this
    call (it is stored hashed, so it can be shown once). Everything happens in
    one transaction: a failure leaves the database as it was. `report` gets
    what ingesting the demo files did (the CLI prints it), once committed:
    before, a full disk at COMMIT followed lines saying items were stored.
    """
    with transaction(db):
        editor, password = _demo_editor(db)
        story = _demo_story(db)
        if _is_complete(db, story):
            _load_questions(db, story, editor)
            return {"slug": SLUG, "username": EDITOR, "password": password}
        targets = [str(config.DEMO_DIR / name) for name in FILES]
        summary = ingest_targets(db, SLUG, targets)
        if summary.counts["failed"]:
            if report is not None:
                report(summary)  # which file failed, for the error below
            raise TrackerError(
                f"The demo files in {config.DEMO_DIR} could not be ingested (see above); restore them from the "
                "repository and run `python -m tracker demo` again."
            )
        revision = _article_revision(db, story)
        logged = sum(_log(db, story, revision, editor, spec) for spec in CLAIMS)
        asked = _load_questions(db, story, editor)
    if report is not None:
        report(summary)
    statuses = ", ".join(f"{sum(c.status == s for c in CLAIMS)} {s}" for s in ("confirmed", "unclear"))
    echo(f"Demo story {SLUG!r}: {logged} claim(s) logged with evidence; rulings: {statuses}; all marked to publish.")
    if asked:
        echo(f"Key questions and expected developments from the article: {asked} added, answered, marked to publish.")
    echo("Readers see them once the public file is built: `python -m tracker publish`.")
    return {"slug": SLUG, "username": EDITOR, "password": password}


def _demo_editor(db: sqlite_utils.Database) -> tuple[dict, str | None]:
    user = users.find_user(db, EDITOR)
    if user is not None:
        if not users.can_rule(user):
            raise TrackerError(f"User {EDITOR!r} exists but is a {user['role']}; the demo needs it to be an editor.")
        return user, None
    password = secrets.token_urlsafe(12)
    return users.add_user(db, EDITOR, password, "editor"), password


def _demo_story(db: sqlite_utils.Database) -> dict:
    """The demo's story, made if missing; a story of the newsroom's own under its short name is refused.

    A newsroom following the real story may well call it amazon-ai-activity, and the demo's fictional
    article and published claims must never land there. The demo's story is the one holding the demo
    article (ARTICLE_URL, on a reserved .example site no real page lives on): load_demo stores it in the
    same transaction that creates the story, so a story without it was made by someone else.
    """
    try:
        story = stories.get_story(db, SLUG)
    except stories.StoryNotFound:
        return stories.create_story(db, SLUG, TITLE, DESCRIPTION, keywords_include=KEYWORDS)
    if coverage.find_item(db, story["id"], ARTICLE_URL) is None:
        raise TrackerError(
            f"A story named {SLUG!r} already exists and is not the demo's (it does not hold the demo article), so "
            "the demo was not loaded and nothing changed. Load it into a database of its own: "
            "python -m tracker demo --db data/demo.db"
        )
    return story


def _is_complete(db: sqlite_utils.Database, story: dict) -> bool:
    for spec in CLAIMS:
        claim = _find_claim(db, story, spec)
        if claim is None or claim["status"] != spec.status or not claim["published"]:
            return False
    return True


def _find_claim(db: sqlite_utils.Database, story: dict, spec: DemoClaim) -> dict | None:
    return one(
        db,
        "SELECT id, status, published, version FROM claims WHERE story_id = ? AND text = ? ORDER BY id LIMIT 1",
        [story["id"], spec.text],
    )


def _article_revision(db: sqlite_utils.Database, story: dict) -> dict:
    item = coverage.find_item(db, story["id"], ARTICLE_URL)
    revision = coverage.latest_revision(db, item) if item else None
    if revision is None:
        raise TrackerError(f"The demo article was not stored as {ARTICLE_URL}; check data/demo/article.html.")
    return revision


def _log(db: sqlite_utils.Database, story: dict, revision: dict, editor: dict, spec: DemoClaim) -> int:
    """Log one claim with its evidence, ruling and publication, skipping what is already there; 1 if new."""
    found = _find_claim(db, story, spec)
    if found is None:
        claim_id = claims.log_claim(
            db, story["id"], spec.text, spec.claimant, spec.claimant_type, editor, internal_notes=spec.internal_notes
        )
    else:
        claim_id = found["id"]
    for quote, stance in spec.evidence:
        claims.add_evidence(db, claim_id, revision["id"], quote, stance, editor)  # QuoteNotFound if not verbatim
    claim = claims.get_claim(db, claim_id)
    if claim["status"] == "unreviewed":
        claim = claims.set_status(
            db, claim_id, spec.status, editor, spec.rationale, claim["version"], public_rationale=spec.rationale
        )
    if not claim["published"]:
        claims.set_published(db, claim_id, True, editor, claim["version"])
    return int(found is None)


# The article's own "Key Questions" with its short answers (its words, as the editor's answer), each
# linked to the claims it rests on by claimant (the article's claims above), with the stance.
@dataclass(frozen=True)
class DemoQuestion:
    text: str
    answer: str
    claims: tuple[tuple[str, str], ...]  # (claimant of a CLAIMS entry, stance)


QUESTIONS = (
    DemoQuestion(
        "Are Amazon employees actually making up tasks related to AI?",
        "According to anonymous sources, some employees have admitted to inventing tasks to meet management "
        "expectations for AI activity. Amazon has not officially confirmed these claims.",
        (("Anonymous sources", "answers_yes"), ("Anonymous Amazon employee", "answers_yes"), ("Amazon", "context")),
    ),
    DemoQuestion(
        "Why is Amazon pressuring workers to increase AI usage?",
        "Amazon aims to position itself as a leader in AI technology, and increasing reported AI activity is seen "
        "as a way to demonstrate progress and attract investor interest.",
        (("Sources familiar with the situation", "context"),),
    ),
    DemoQuestion(
        "Could this affect Amazon’s reputation?",
        "Yes, if these practices are confirmed, they could harm Amazon’s credibility and raise questions about "
        "transparency in its AI initiatives.",
        (("Industry analyst", "answers_yes"), ("Anonymous sources", "context")),
    ),
    DemoQuestion(
        "What is Amazon doing in response?",
        "Details are still emerging, but reports suggest internal investigations are underway to determine the "
        "scope of the issue.",
        (("Unnamed reports", "context"), ("Amazon", "context")),
    ),
    DemoQuestion(
        "Will this impact Amazon’s AI projects?",
        "Potentially, if the pressure to inflate activity continues, it could lead to a reassessment of how AI "
        "progress is reported and managed within the company.",
        (("Sources familiar with the situation", "context"), ("Industry analyst", "context")),
    ),
)

# The article's "What's Next": (what is expected, the expectation in its words, claimant of the claim it comes from).
DEVELOPMENTS = (
    (
        "Investigations by Amazon are reportedly underway to assess the extent of these reports.",
        "reportedly underway",
        "Unnamed reports",
    ),
    ("Further disclosures are expected as internal reviews progress.", "as internal reviews progress", None),
    (
        "Industry observers will monitor whether similar issues arise in other companies emphasizing AI adoption.",
        "ongoing",
        None,
    ),
)


def _load_questions(db: sqlite_utils.Database, story: dict, editor: dict) -> int:
    """The article's key questions and expected developments, answered and published; skips what is there."""
    article = coverage.find_item(db, story["id"], ARTICLE_URL)
    by_claimant = {spec.claimant: _find_claim(db, story, spec)["id"] for spec in CLAIMS}
    added = 0
    for position, spec in enumerate(QUESTIONS, start=1):
        if one(db, "SELECT id FROM questions WHERE story_id = ? AND text = ?", [story["id"], spec.text]):
            continue
        question_id = questions.create_question(db, story["id"], spec.text, editor, position=position)
        for claimant, stance in spec.claims:
            questions.link_claim(db, question_id, by_claimant[claimant], stance, editor)
        question = questions.get_question(db, question_id)
        question = questions.write_answer(db, question_id, spec.answer, editor, question["version"])
        questions.set_question_published(db, question_id, True, editor, question["version"])
        added += 1
    for text, expectation, claimant in DEVELOPMENTS:
        if one(db, "SELECT id FROM developments WHERE story_id = ? AND text = ?", [story["id"], text]):
            continue
        development_id = developments.create_development(
            db,
            story["id"],
            text,
            editor,
            expectation=expectation,
            claim_id=by_claimant[claimant] if claimant else None,
            coverage_id=article,
        )
        version = developments.get_development(db, development_id)["version"]
        developments.set_development_published(db, development_id, True, editor, version)
        added += 1
    return added
