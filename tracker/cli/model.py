"""`train-attribution`: rebuild the attribution model from an annotated corpus (what `make model` runs)."""

from __future__ import annotations

from pathlib import Path

import click

from scrapers.records import size_in_words
from tracker.cli.common import handle_errors
from tracker.db import TrackerError


@click.command("train-attribution")
@click.argument("corpus", type=click.Path(file_okay=False), metavar="CORPUS_DIR")
@click.option(
    "--out",
    type=click.Path(dir_okay=False),
    default=None,
    help="Where to write the model (default: over the model the tracker loads, so the next run uses it).",
)
@handle_errors
def train_attribution(corpus: str, out: str | None) -> None:
    """Retrain the attribution model from an annotated corpus and write the model file.

    CORPUS_DIR holds train.jsonl.gz in PolNeAR's form (one article a line with
    its attributions: source, cue and content spans). Training is deterministic:
    the same corpus gives the same file. It takes several minutes on one core;
    `make model` runs it with the corpus the project is built from. No database
    is needed.

    \b
    Examples:
        python -m tracker train-attribution corpus/polnear
        python -m tracker train-attribution corpus/polnear --out /tmp/attribution.model
    """
    from tracker.attribution import model, training

    if Path(corpus).exists() and not Path(corpus).is_dir():  # a device or a pipe: click refuses only a file
        raise TrackerError(f"{corpus} is not a folder; give the folder that holds train.jsonl.gz.")
    target = Path(out) if out else model.MODEL_PATH
    if not target.parent.is_dir():  # said now, not after the minutes of training that would end in it
        raise TrackerError(f"{target.parent}: no such folder for the model; create it or give another --out.")
    result = training.train(Path(corpus), target, progress=click.echo)
    click.echo(f"Wrote {result['path']} ({size_in_words(result['bytes'])}).")
