"""Check-worthiness on the command line: score sentences in a file, or score the stored candidates."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator

import click

from tracker.cli.common import handle_errors, open_db, read_input, story_argument, with_db

# The model's memory grows with the words it scores at once (about 1.3 kB a word), so both a line and a batch are
# bounded: a news sentence is a few hundred characters, and a line past MAX_SENTENCE is a text saved without line
# breaks (6 MB in one line took over a minute and gigabytes), refused before anything is scored.
MAX_SENTENCE = 5_000
BATCH_LINES, BATCH_CHARACTERS = 1_000, 200_000


def batches(lines: Iterable[tuple[int, str]]) -> Iterator[list[tuple[int, str]]]:
    """The numbered lines in order, in batches of at most BATCH_LINES lines and BATCH_CHARACTERS characters.

    One model call a batch keeps scoring fast; the character bound keeps a batch of long lines from holding
    the memory of a thousand of them at once. A line longer than the bound goes in a batch of its own.
    """
    batch: list[tuple[int, str]] = []
    size = 0
    for number, text in lines:
        if batch and (len(batch) == BATCH_LINES or size + len(text) > BATCH_CHARACTERS):
            yield batch
            batch, size = [], 0
        batch.append((number, text))
        size += len(text)
    if batch:
        yield batch


@click.command("check-worthiness")
@click.argument("file", type=click.Path(dir_okay=False, allow_dash=True))
@handle_errors
def check_worthiness(file: str) -> None:
    """Score each line of FILE (one sentence a line) for check-worthiness; one JSON object per line.

    Each object has `line`, `text`, `score` (0-1, higher is more worth
    checking), `check_worthy` (the model's own decision, at its threshold) and
    `reasons`. The sentence alone is scored: no database is needed, and what
    the tracker knows about a candidate (who said it, how many outlets carry
    it) is not added. Blank lines are skipped; a line longer than 5,000
    characters is refused. FILE may be - for standard input.

    \b
    Examples:
        python -m tracker check-worthiness sentences.txt
        python -m tracker check-worthiness - < notes.txt | jq -r 'select(.check_worthy) | .text'
    """
    from scrapers.documents import decode_text
    from scrapers.records import ParseError
    from scrapers.sniff import binary_kind
    from tracker.checkworthy.ranking import rank_many

    try:
        raw = read_input(file)
    except OSError as e:
        raise click.ClickException(f"{file}: {e.strerror or e}" if file.strip() else str(e.strerror)) from None
    if binary_kind(raw):  # as extract-claims tells it: UTF-16 text has NUL bytes too
        raise click.ClickException(f"{file}: a binary file, not text with one sentence a line")
    try:
        text = decode_text(raw)
    except ParseError as e:
        raise click.ClickException(f"{file}: {e}") from None
    lines = [(number, line.strip()) for number, line in enumerate(text.splitlines(), 1) if line.strip()]
    for number, line in lines:
        if len(line) > MAX_SENTENCE:
            raise click.ClickException(
                f"{file}: line {number} is {len(line):,} characters long, longer than any sentence "
                f"(at most {MAX_SENTENCE:,}); put one sentence a line"
            )
    # Scored in batches (one model call each), output as each batch is done.
    for batch in batches(lines):
        for (number, sentence), r in zip(batch, rank_many([s for _, s in batch])):
            click.echo(
                json.dumps(
                    {
                        "line": number,
                        "text": sentence,
                        "score": r.score,
                        "check_worthy": r.check_worthy,
                        "reasons": [x.as_dict() for x in r.reasons],
                    },
                    ensure_ascii=False,
                )
            )


@click.command("score-candidates")
@story_argument(required=False)
@click.option("--all", "rescore", is_flag=True, help="Rescore every candidate, not only those without a score.")
@with_db
def score_candidates(ctx: click.Context, story: str | None, rescore: bool, db_path: str | None) -> None:
    """Give stored candidates their check-worthiness score and reasons (all stories, or STORY).

    New candidates are scored when they are stored; this scores the ones
    stored before scoring existed, and with --all rescores every one (after
    the model is rebuilt, say). It works in batches, each committed: a run
    stopped half-way keeps what it did, and running it again carries on.

    \b
    Examples:
        python -m tracker score-candidates
        python -m tracker score-candidates amazon-ai-activity --all
    """
    from tracker.checkworthy import store
    from tracker.stories import get_story

    db = open_db(ctx, db_path)
    story_id = get_story(db, story)["id"] if story else None

    def progress(done: int, total: int) -> None:
        click.echo(f"scored {done} of {total} candidate(s)", err=True)

    done = store.score_stored(db, story_id, rescore=rescore, progress=progress)
    click.echo(f"{done} candidate(s) scored." if done else "Every candidate already has a score (--all rescores).")
