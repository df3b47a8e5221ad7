"""Commands on saved files, no database needed: `extract` (article metadata and text), `extract-claims`.

Both read each file, print what they found as one JSON object per line, and
report a file they cannot read on standard error without stopping: the
loop is `_print_records`, each command only says what a file yields.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable

import click

from tracker.cli.common import handle_errors, read_input, shown
from tracker.db import not_utf8_at

LOOKS_LIKE_HTML = re.compile(r"<(?:!doctype\s+html|html|head|body|article|main|p|div|section|title|meta)\b", re.I)


def _refuse_a_feed(data: bytes) -> None:
    """A feed read as a page runs its entries' titles, dates and links together into one text: refuse it."""
    from scrapers.feeds import looks_like_feed
    from scrapers.records import ParseError

    if looks_like_feed(data):
        raise ParseError("a feed, not a page; `python -m tracker ingest STORY FILE` reads its entries")


def _print_records(files: tuple[str, ...], records_of: Callable[[str, bytes], Iterable[dict]]) -> None:
    """Each file's records as JSON lines; an unreadable file is one line on stderr, and exit 1 at the end.

    records_of(file, data) gets the name too, for a note on standard error about the file it reads.
    """
    from scrapers.records import ParseError

    failed = 0
    for file in files:
        try:
            records = list(records_of(file, read_input(file)))
        except (OSError, ParseError) as e:
            reason = e.strerror if isinstance(e, OSError) and e.strerror else str(e)
            click.echo(f"Error: {shown(file)}: {reason}" if file.strip() else f"Error: {reason}", err=True)
            failed += 1
            continue
        # A file named in another encoding (Latin-1 "café") is opened by its bytes; its name's stand-in for the byte
        # is no UTF-8 a standard output takes, so its lines are ASCII JSON, which json.loads gives back exactly.
        ascii_only = not_utf8_at(file) is not None
        for record in records:
            click.echo(json.dumps({"file": file, **record}, ensure_ascii=ascii_only))
    if failed:
        raise click.exceptions.Exit(1)


@click.command()
@click.argument("files", nargs=-1, required=True, metavar="FILE...")
def extract(files: tuple[str, ...]) -> None:
    """Print each saved HTML page's metadata and main text as one JSON object per line.

    No database is needed. A file that cannot be read, is binary or is a
    feed gets one line on standard error; the others are still printed, and
    the exit status is non-zero at the end.

    \b
    Examples:
        python -m tracker extract data/demo/article.html
        python -m tracker extract pages/*.html | jq -r .title
    """
    from dataclasses import asdict

    from scrapers.article import parse_article
    from scrapers.records import ParseError

    def article_of(file: str, data: bytes) -> list[dict]:
        if not data.strip():  # a page that failed to save: an all-empty record would pass for one with no metadata
            raise ParseError("an empty file, not an HTML page")
        _refuse_a_feed(data)
        article = parse_article(data)
        return [
            {
                "title": article.title,
                "byline": article.byline,
                "authors": [asdict(author) for author in article.authors],
                "published": article.published,
                "published_from": list(article.published_from),
                "modified": article.modified,
                "date_doubts": [asdict(doubt) for doubt in article.date_doubts],
                "outlet": article.outlet,
                "canonical_url": article.canonical_url,
                "text": article.text,
            }
        ]

    _print_records(files, article_of)


@click.command("extract-claims")
@click.argument("files", nargs=-1, required=True, metavar="FILE...")
@handle_errors
def extract_claims(files: tuple[str, ...]) -> None:
    """Print the claim candidates in plain-text or HTML files, one JSON object per candidate per line.

    HTML is told apart by its content and reduced to the article's main text
    first (read in the charset the page declares); start and end (and the
    content, cue and source offsets) point into that text. A plain text file
    must be UTF-8, as for check-worthiness. No database is needed. Of a text
    longer than a million characters the first million are read (to a
    paragraph break), and a line on standard error says so.

    \b
    Examples:
        python -m tracker extract-claims notes/statement.txt
        python -m tracker extract-claims data/demo/article.html | jq -r '[.kind, .claimant] | @tsv'
    """
    from scrapers.article import decode_html, parse_article
    from scrapers.documents import decode_text
    from scrapers.records import ParseError
    from scrapers.sniff import binary_kind
    from tracker.attribution import cut_notice, extract_candidates, readable

    def candidates_of(file: str, data: bytes) -> list[dict]:
        binary = binary_kind(data)
        if binary:
            raise ParseError(f"{binary}, not text or HTML")
        _refuse_a_feed(data)
        text = decode_html(data)
        if LOOKS_LIKE_HTML.search(text[:4096]):
            text = parse_article(text).text or ""
        else:
            decode_text(data)  # plain text is UTF-8, as check-worthiness reads it: a guessed encoding is refused
        part = readable(text)
        if len(part) < len(text):  # said before its candidates, so a long run's reader knows at once
            click.echo(f"Note: {shown(file)}: {cut_notice(len(part), len(text))}.", err=True)
        return [
            {
                "kind": c.kind,
                "text": c.text,
                "quote": c.quote,
                "claimant": c.claimant,
                "claimant_type": c.claimant_type,
                "start": c.start,
                "end": c.end,
                "content": c.content,
                "content_start": c.content_start,
                "content_end": c.content_end,
                "content_spans": [list(p) for p in c.content_spans],
                "cue": c.cue,
                "cue_start": c.cue_start,
                "cue_end": c.cue_end,
                "source_start": c.source_start,
                "source_end": c.source_end,
            }
            for c in extract_candidates(part)
        ]

    _print_records(files, candidates_of)
