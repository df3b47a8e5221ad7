"""`sources`: what each story follows (feeds, watched pages, statement listings) and their health."""

from __future__ import annotations

import contextlib
import re

import click

from scrapers.schedule import MIN_EVERY
from tracker.cli.common import StoryFirstGroup, WholeNumber, open_db, story_argument, with_db
from tracker.cli.coverage import every_option, parse_duration

NEGATIVE = re.compile(r"-\d+")


class SourceId(WholeNumber):
    """A source's id: a positive whole number, at most SQLite's largest integer (a larger one is an OverflowError
    when the query binds it). One below 1 is said so, not as click's "not in the range 1<=x<=9223372036854775807"."""

    def convert(self, value, param, ctx) -> int:
        with contextlib.suppress(ValueError):
            if int(str(value).strip()) < 1:
                self.fail(
                    f"a source's id is a positive whole number (`python -m tracker sources` lists them), not {value}.",
                    param,
                    ctx,
                )
        return super().convert(value, param, ctx)


ROW_ID = SourceId(1, 2**63 - 1)


class TakesNegativeNumbers(click.Command):
    """A command whose argument may be typed as a negative number: click reads `-1` as an option and said only
    "No such option: -1". Such a word (not an option's value) goes after `--`, where it is the argument, and the
    argument's type says what it takes; a real unknown option is still said to be one."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if "--" not in args:
            numbers = [
                i
                for i, arg in enumerate(args)
                if NEGATIVE.fullmatch(arg) and not (i and args[i - 1].startswith("--") and "=" not in args[i - 1])
            ]
            if numbers:
                args = [arg for i, arg in enumerate(args) if i not in numbers] + ["--"] + [args[i] for i in numbers]
        return super().parse_args(ctx, args)


@click.group(cls=StoryFirstGroup, invoke_without_command=True)
@with_db
def sources(ctx: click.Context, db_path: str | None) -> None:
    """Sources each story follows, with their health; `sources add` adds one.

    \b
    Examples:
        python -m tracker sources
        python -m tracker sources acme-recall
        python -m tracker sources add acme-recall https://news.example/feed.xml --kind feed
    """
    if ctx.invoked_subcommand is None:
        ctx.invoke(sources_list, story=None, db_path=db_path)


@sources.command("list")
@story_argument(required=False)
@with_db
def sources_list(ctx: click.Context, story: str | None, db_path: str | None) -> None:
    """Each source's health: last fetch, its result, failures in a row, items, next poll.

    \b
    Example:
        python -m tracker sources acme-recall
    """
    from tracker.sources import list_sources, watches_statement
    from tracker.stories import get_story

    db = open_db(ctx, db_path, write=False)
    found = list_sources(db, get_story(db, story)["id"] if story else None)
    if not found:
        click.echo("No sources yet: `python -m tracker sources add STORY URL --kind feed|page|statement`.")
        return
    click.echo(
        f"{'id':>4}  {'story':<20} {'kind':<9} {'state':<7} {'last fetched':<17} {'result':<17} "
        f"{'fails':>5} {'items':>6}  {'next poll':<17} url"
    )
    for s in found:
        result = "-" if not s["last_outcome"] else f"{s['last_outcome']} {s['last_status'] or ''}".strip()
        if not s["trust_validators"]:
            result += "*"
        click.echo(
            f"{s['id']:>4}  {s['story_slug'][:20]:<20} {s['kind']:<9} {s['state']:<7} "
            f"{_when(s['last_fetched_at']):<17} {result:<17} {s['failures']:>5} {s['items']:>6}  "
            f"{_when(s['next_poll_at']) if s['state'] == 'active' else '-':<17} {s['url']}"
            + (f"  ({s['outlet']})" if s["outlet"] else "")
            + ("  [a single statement]" if watches_statement(s) else "")
        )
        if s["last_error"]:
            click.echo(f"{'':>6}{s['last_error']}")
    if any(not s["trust_validators"] for s in found):
        click.echo("* validators (ETag / Last-Modified) not trusted: this source is always fetched in full.")


def _when(value: str | None) -> str:
    return value.replace("T", " ")[:16] + "Z" if value else "-"


@sources.command("add")
@story_argument()
@click.argument("url")
@click.option("--kind", required=True, type=click.Choice(["feed", "page", "statement"]), help="What the URL is.")
@click.option("--outlet", default=None, help="Outlet or organisation name (required for statements).")
@click.option("--pattern", default=None, help="Statements: a regular expression the statement links must match.")
@click.option(
    "--statement",
    is_flag=True,
    help="A page: it is one organisation's statement (give --outlet), stored and alerted as a statement.",
)
@click.option(
    "--every",
    default=None,
    callback=every_option(MIN_EVERY),
    help="Poll this source this often (e.g. 2m), whatever `watch --every` says.",
)
@with_db
def sources_add(
    ctx: click.Context,
    story: str,
    url: str,
    kind: str,
    outlet: str | None,
    pattern: str | None,
    statement: bool,
    every: str | None,
    db_path: str | None,
) -> None:
    """Add a feed, a watched page (a single statement: --statement) or an organisation's statement listing to STORY.

    \b
    Examples:
        python -m tracker sources add acme-recall https://gazette.example/feed.xml --kind feed
        python -m tracker sources add acme-recall https://acme.example/newsroom/ --kind statement \\
            --outlet "Acme Widgets" --pattern '/newsroom/\\d{4}/'
        python -m tracker sources add acme-recall https://wire.example/rss --kind feed --every 2m
        python -m tracker sources add acme-recall https://acme.example/newsroom/2026/recall.html --kind page \\
            --statement --outlet "Acme Widgets"
    """
    from scrapers.urls import without_credentials
    from tracker.db import shows_nothing
    from tracker.sources import add_source, refused_when_fetched, watches_statement
    from tracker.stories import get_story

    # The two rules whose reason is an option of this command, said in its own words (add_source's name the
    # editor form's fields).
    if kind == "statement" and shows_nothing(outlet):
        raise click.ClickException("A statement source needs the organisation whose statements these are (--outlet).")
    if pattern and kind != "statement":
        raise click.ClickException("A link pattern only applies to statement sources (--kind statement).")
    if statement and kind != "page":
        raise click.ClickException(
            "--statement marks a watched page (--kind page) as a single statement: a statement listing's links "
            "are statements already."
        )
    # add_source's refusal counts seconds; every_option said what to type
    seconds = parse_duration(every, shortest=MIN_EVERY) if every is not None else None
    settings = {"pattern": pattern, "every": seconds, "statement": statement}
    db = open_db(ctx, db_path)
    source = add_source(db, get_story(db, story)["id"], url, kind, outlet, {k: v for k, v in settings.items() if v})
    what = "page source (a single statement)" if watches_statement(source) else f"{source['kind']} source"
    click.echo(f"Added {what} {source['id']} to {story!r}: {source['url']}")
    if without_credentials(url.strip()) != url.strip():  # add_source drops them; named here, never printed
        click.echo(
            "note: the user name and password in the URL were dropped, not stored: the tracker follows public "
            "sources only.",
            err=True,
        )
    refusal = refused_when_fetched(source)
    if refusal:
        click.echo(f"note: {refusal}", err=True)


@sources.command("pause", cls=TakesNegativeNumbers)
@click.argument("source_id", type=ROW_ID)
@with_db
def sources_pause(ctx: click.Context, source_id: int, db_path: str | None) -> None:
    """Stop polling a source (its items are no longer re-checked either) until `sources resume`.

    \b
    Example:
        python -m tracker sources pause 3
    """
    from tracker.sources import get_source, set_state

    db = open_db(ctx, db_path)
    source = get_source(db, source_id)
    if source["state"] == "paused":
        click.echo(f"Source {source['id']} was already paused: {source['url']}")
        return
    source = set_state(db, source_id, "paused")
    click.echo(f"Paused source {source['id']}: {source['url']}")


@sources.command("resume", cls=TakesNegativeNumbers)
@click.argument("source_id", type=ROW_ID)
@with_db
def sources_resume(ctx: click.Context, source_id: int, db_path: str | None) -> None:
    """Poll a paused or gone source again, starting with the next pass; its failure count starts afresh.

    A source backing off after failures is polled on the next pass too: resume it once what failed is
    fixed (TRACKER_ALLOWED_HOSTS, say), rather than wait out its backoff.

    \b
    Example:
        python -m tracker sources resume 3
    """
    from tracker.sources import already_in, get_source, set_state

    db = open_db(ctx, db_path)
    source = get_source(db, source_id)
    if already_in(source, "active"):
        click.echo(
            f"Source {source['id']} is already active; nothing changed (next poll "
            f"{_when(source['next_poll_at']) if source['next_poll_at'] else 'on the next pass'}): "
            f"{source['url']}"
        )
        return
    backing_off = source["state"] == "active"
    source = set_state(db, source_id, "active")  # an active one backing off after failures is due at once too
    if backing_off:
        click.echo(f"Source {source['id']} was backing off after failures; polled on the next pass: {source['url']}")
    else:
        click.echo(f"Resumed source {source['id']}: {source['url']}")
