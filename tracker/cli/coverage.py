"""Getting coverage in: `ingest` files and URLs now, `scrape` once, `watch` on a schedule, `candidates`."""

from __future__ import annotations

import contextlib
import logging
import math
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

import click

from scrapers.schedule import MAX_EVERY
from tracker.cli.common import (
    exit_partly_failed,
    open_db,
    resolve_db_path,
    settings_of,
    shown,
    story_argument,
    with_db,
)

if TYPE_CHECKING:  # imported where used: `--help` should not load the scrapers
    from tracker.ingest import IngestResult, IngestSummary


@click.command()
@story_argument()
@click.argument("targets", nargs=-1, required=True, metavar="PATH_OR_URL...")
@click.option(
    "--document",
    "as_document",
    is_flag=True,
    help="Store text and HTML files as documents (their whole text, page by page) rather than as articles.",
)
@with_db
def ingest(ctx: click.Context, story: str, targets: tuple[str, ...], as_document: bool, db_path: str | None) -> None:
    """Ingest saved files or URLs into STORY now; feeds, pages and documents are told apart by their content.

    A PDF or Word (.docx) file is stored as a document: its text read page by
    page, the file kept as received with its SHA-256. A scan without text is
    stored and flagged "no text: quote by hand or OCR".

    \b
    Examples:
        python -m tracker ingest amazon-ai-activity data/demo/feed.xml
        python -m tracker ingest amazon-ai-activity https://news.example.com/story.html
        python -m tracker ingest amazon-ai-activity statement.pdf https://example.com/report.pdf
        python -m tracker ingest amazon-ai-activity --document memo.txt
    """
    from tracker.cli.stop_signals import Terminated, terminate_as_interrupt
    from tracker.ingest import default_fetcher, ingest_targets

    settings = settings_of(ctx)
    db = open_db(ctx, db_path)
    done: list[IngestResult] = []

    def on_result(result: IngestResult) -> None:
        done.append(result)
        print_ingested(result)

    try:
        with terminate_as_interrupt(), default_fetcher(settings, db) as fetcher:
            summary = ingest_targets(
                db,
                story,
                list(targets),
                fetcher=fetcher,
                on_result=on_result,
                as_document=as_document,
                settings=settings,
                extract_progress=_reading(story),  # minutes, for many long pages: said as it goes
            )
    except KeyboardInterrupt as e:
        # Each target is stored in its own transaction: those listed above are kept, the one in hand rolled back.
        # Claim extraction runs once every target is done, so theirs waits.
        extract = f"`python -m tracker candidates {story} --extract`"
        how = "SIGTERM" if isinstance(e, Terminated) else "Ctrl-C"
        if len(done) == len(targets):
            raise click.ClickException(
                f"Stopped ({how}) while reading the {len(done)} target(s) listed above for claims; they are kept, "
                f"and {extract} reads them."
            ) from None
        raise click.ClickException(
            f"Stopped ({how}) after {len(done)} of {len(targets)} target(s), listed above and kept; the rest were "
            f"not ingested: run ingest again with them, and {extract} to read the kept ones for claims."
        ) from None
    print_warnings(summary.warnings)
    if summary.error is not None:  # the counts first, then why it stopped, as the last line
        click.echo(", ".join(f"{k}: {v}" for k, v in summary.counts.items()))
        raise summary.error
    failed = summary.counts["failed"]
    if failed and failed == len(targets):
        ctx.exit(1)  # nothing ingested; each target's reason is already on its own line
    click.echo(", ".join(f"{k}: {v}" for k, v in summary.counts.items()))
    if failed:
        why = f"{failed} of {len(targets)} target(s) could not be ingested (the failed: lines say why)"
        exit_partly_failed(ctx, why)


def ingest_lines(result: IngestResult) -> list[str]:
    """What one ingested target did, for people: a line, and a second for a malformed feed's warning.

    The target as typed is shown shortened: an address pasted with a page of text after it stays one line; and
    shown, not run (tracker.cli.common.shown): a file's name is not always ours.
    """
    from scrapers.http.guard import shorten

    target = shown(shorten(result.target))
    if result.kind == "failed":
        return [f"failed: {target}: {result.problem}"]
    if result.kind == "page":
        return [f"{target}: page, {result.status} item {result.canonical_url}"]
    if result.kind == "document":
        line = (
            f"{target}: document, {result.status}, {result.pages} page{'s' if result.pages != 1 else ''}"
            f" ({result.text_pages} with text), sha256 {result.sha256}"
        )
        return [line] + ([f"{target}: warning: {result.flag}"] if result.flag else [])
    title = f" {result.title!r}" if result.title else ""
    counts = result.counts
    line = f"feed{title}, {counts['new']} new, {counts['unchanged']} already known, {counts['skipped']} skipped"
    if result.skipped_reasons:
        reasons = ", ".join(f"{n} {reason}" for reason, n in sorted(result.skipped_reasons.items()))
        line += f" ({reasons})"
    lines = [f"{target}: {line}"]
    if result.problem:
        lines.append(f"{target}: warning: {result.problem}")
    return lines


def print_ingested(result: IngestResult) -> None:
    """One target's lines, as soon as it is done."""
    for line in ingest_lines(result):
        click.echo(line)


def print_warnings(warnings: list[tuple[str, str]]) -> None:
    """The texts claim extraction could not read (the pages themselves are stored)."""
    for url, reason in warnings:
        click.echo(f"warning: {url}: {reason}")


def report_ingest(summary: IngestSummary) -> None:
    """Everything an ingest did, target by target, then extraction's warnings (the demo prints this)."""
    for result in summary.results:
        print_ingested(result)
    print_warnings(summary.warnings)


class _Said(logging.Handler):
    """Warnings logged during a pass (the pacing store unwritable, say), said through the progress: one line each."""

    def __init__(self, progress: _Progress) -> None:
        super().__init__(logging.WARNING)
        self.progress = progress

    def emit(self, record: logging.LogRecord) -> None:
        try:
            self.progress.say(self.format(record))
        except Exception:
            self.handleError(record)


class _Progress:
    """A progress bar per phase of a scrape pass on standard error; counted lines when it is not a terminal."""

    def __init__(self) -> None:
        self.bar = None
        self.phase: str | None = None
        self.done = self.total = self.planned = 0
        self.robots: dict[str, int] = {}  # per phase, the requests robots.txt kept out (heard before the phase's first)
        self.tty = sys.stderr.isatty()

    def __call__(self, phase: str, done: int, total: int, line: str | None) -> None:
        if phase != self.phase:
            self.close()
            self.phase, self.done, self.total, self.planned = phase, 0, total, total
            if self.tty:
                self.bar = click.progressbar(length=total, label=f"{phase:<8}", file=sys.stderr, show_pos=True)
                self.bar.__enter__()
        if total != self.total:  # requests a host's share of the pass left for the next one
            self.total = total
            if self.bar is not None:
                self.bar.length = total
        if self.bar is not None:
            self.bar.update(done - self.done)
        self.done = done

    def kept_out_by_robots(self, phase: str) -> None:
        """One of the phase's requests was not made: its site's robots.txt kept it out (done, not fetched)."""
        self.robots[phase] = self.robots.get(phase, 0) + 1

    def say(self, message: str) -> None:
        """A line of its own on standard error: a bar being drawn has its line ended first (its next update is
        drawn below), or the message would follow the bar on its line."""
        if self.bar is not None:
            click.echo("", err=True)
        click.echo(message, err=True)

    def close(self) -> None:
        put_off = self.planned - self.total if self.phase is not None else 0
        deferred = f", {put_off} deferred to the next pass" if put_off else ""
        robots = self.robots.pop(self.phase, 0) if self.phase is not None else 0
        deferred += f", {robots} skipped for robots.txt" if robots else ""
        fetched = self.done - robots
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar = None
            if deferred:
                click.echo(f"{self.phase}: {fetched} fetched{deferred}", err=True)
        elif self.phase is not None and not self.tty:
            done = "read for claims" if self.phase == "claims" else "fetched"
            click.echo(f"{self.phase}: {fetched}/{self.planned} {done}{deferred}", err=True)
        self.phase = None


def _report_pass(db, result: dict, share: float = 0) -> None:
    """What a pass did, its counts last; `share` is TRACKER_HOST_SHARE, to say where a host's share came from."""
    from scrapers.http import DISALLOWED
    from tracker.coverage import get_item
    from tracker.store import COUNTS

    for change in result["changes"]:
        item = get_item(db, change["coverage_id"])
        title = item["title"] or item["canonical_url"]
        click.echo(f"changed: {title} ({item['outlet'] or 'unknown outlet'}) {item['canonical_url']}")
    for url, reason in result["problems"]:
        click.echo(f"problem: {reason if reason.startswith(url) else f'{url}: {reason}'}", err=True)
    for note in result["notes"]:
        click.echo(f"note: {note}", err=True)
    for kept in result.get("robots", []):
        if kept["why"] == DISALLOWED:
            click.echo(
                f"skipped: {kept['pages']} page(s) on {kept['host']} that its robots.txt disallows; the site asks "
                "crawlers not to fetch them (not an error: their feed entries are kept)."
            )
        else:
            click.echo(f"skipped: {kept['pages']} page(s) on {kept['host']}: {kept['why']}")
    if result["waiting"]:
        click.echo(
            f"{result['waiting']} failing source(s) backing off; `python -m tracker sources` shows when. "
            "Fixed what failed? `python -m tracker sources resume ID` polls one on the next pass."
        )
    for put_off in result.get("deferred", []):
        why = "TRACKER_HOST_SHARE" if put_off["share"] == share else "half the time between passes"
        click.echo(
            f"deferred: {put_off['host']} used its share of the pass ({put_off['share']:g} s, {why}); "
            f"{put_off['requests']} request(s) to it are left due for the next pass."
        )
    if result.get("late"):
        click.echo(f"{result['late']} page(s) listed on an earlier pass but not fetched then were stored now.")
    click.echo(", ".join(f"{k}: {result[k]}" for k in (*COUNTS, "candidates")))


@click.command()
@story_argument(required=False)
@with_db
def scrape(ctx: click.Context, story: str | None, db_path: str | None) -> None:
    """One pass now over STORY's sources (every story's without one), then over items due for a re-check.

    Ends with the counts new, updated, unchanged, skipped, failed, and the
    claim candidates found in the texts stored (waiting in the triage queue).

    \b
    Examples:
        python -m tracker scrape acme-recall
        python -m tracker scrape
    """
    from tracker.cli.stop_signals import stop_on_signals
    from tracker.ingest import default_fetcher
    from tracker.scrape import Progress, run_pass
    from tracker.sources import fetch_mark

    db = open_db(ctx, db_path)
    settings = settings_of(ctx)
    progress = _Progress()
    started = fetch_mark(db)

    def stopping() -> None:
        progress.say("Stopping after the item in hand (Ctrl-C again to stop now)...")

    # Without logging set up, a warning went to standard error after the bar, on its line (logging.lastResort).
    said = _Said(progress) if not logging.getLogger().handlers else None
    if said is not None:
        logging.getLogger().addHandler(said)
    # Ctrl-C or SIGTERM as in `watch`: the pass stops between items and says what it stored
    # (it used to end on "Aborted!", with no word of the pages and candidates already kept).
    try:
        with stop_on_signals(stopping) as stop, default_fetcher(settings, db, stop) as fetcher:
            told = Progress(progress, progress.kept_out_by_robots)
            result = run_pass(db, story, fetcher=fetcher, progress=told, stop=stop, share=settings.host_share)
    finally:
        progress.close()
        if said is not None:
            logging.getLogger().removeHandler(said)
    if not result["sources"] and not result["items"] and not result["waiting"] and not result.get("stopped"):
        click.echo("Nothing to fetch: add sources with `python -m tracker sources add STORY URL --kind feed`.")
    _report_pass(db, result, settings.host_share)
    _say_placeholder_contact(db, started, settings)
    if result.get("stopped"):
        click.echo(
            "Stopped before the pass was done; the next `scrape` or `watch` resumes with what is still due.", err=True
        )
    if result["error"] is not None:  # after the counts of what was stored: the last line says why it stopped
        raise result["error"]
    if result["failed"]:
        tried = result["sources"] + result["items"]
        exit_partly_failed(ctx, f"{result['failed']} of {tried} fetch(es) failed (the problem: lines say why)")


def parse_duration(text: str, *, shortest: float = 1, longest: float = MAX_EVERY) -> float:
    """'90s', '10m', '1h', '1d' or plain seconds → seconds, from `shortest` to `longest` (what the command takes).

    One rule for the shortest and the longest: `sources add --every 0.5s` said "at least one second" and `--every
    1s` "the shortest interval is 5s"; a source is polled every 5 s at most, and a day at least."""
    units = {"s": 1, "m": 60, "h": 3600, "d": 86400}
    text = (text or "").strip().lower()
    number, unit = (text[:-1], text[-1]) if text[-1:] in units else (text, "s")
    not_one = click.BadParameter(f"{text!r} is not a duration; use e.g. 90s, 10m or 1h.", param_hint="--every")
    try:
        seconds = float(number) * units[unit]
    except ValueError:
        raise not_one from None
    if not math.isfinite(seconds):  # nan would make `watch` pass after pass with no wait; inf, never again
        raise not_one
    if seconds < shortest:
        raise click.BadParameter(
            f"the shortest interval is {shortest:g}s: give --every {shortest:g}s or longer (e.g. --every 2m).",
            param_hint="--every",
        )
    if seconds > longest:
        raise click.BadParameter("the longest interval is a day: give --every 1d or shorter.", param_hint="--every")
    return seconds


def every_option(shortest: float) -> Callable[[click.Context, click.Parameter, str | None], str | None]:
    """--every's check (parse_duration), run while the command line is read: a bad interval is refused in one line
    before the command loads the scrapers and the alert sender (a second or two, for a typo). The text is kept, as
    typed, for the command to say back."""

    def check(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
        if value is not None:
            parse_duration(value, shortest=shortest)
        return value

    return check


@click.command()
@story_argument(required=False)
@click.option(
    "--every", default="10m", show_default=True, callback=every_option(1), help="Time between passes: 90s, 10m, 1h."
)
@click.option("--quiet", is_flag=True, help="Report only passes that stored, changed or failed something.")
@click.option(
    "--alerts/--no-alerts",
    "send_alerts",
    default=True,
    show_default=True,
    help="Also send alerts as they happen, on a thread of this process (`serve` sends them too; both may run).",
)
@with_db
def watch(
    ctx: click.Context, story: str | None, every: str, quiet: bool, send_alerts: bool, db_path: str | None
) -> None:
    """Scrape what is due every --every until Ctrl-C or SIGTERM, sending alerts as they happen.

    Stopping finishes the item in hand and leaves the database consistent;
    the next run resumes with what is still due. A second Ctrl-C stops at
    once (the item in hand is rolled back). A source given its own interval
    (`sources add --every`) is polled that often whatever --every says.

    \b
    Example:
        python -m tracker watch acme-recall --every 10m
    """
    from tracker.alerts.sender import sending_beside
    from tracker.cli.stop_signals import stop_on_signals
    from tracker.db import now
    from tracker.ingest import default_fetcher
    from tracker.scrape import pass_interval
    from tracker.scrape import watch as run_watch
    from tracker.sources import fetch_mark
    from tracker.stories import get_story

    seconds = parse_duration(every)  # checked already (every_option)
    db = open_db(ctx, db_path)
    story_id = get_story(db, story)["id"] if story else None  # an unknown slug is said before "Watching ..."
    checked, contact_said = fetch_mark(db), False

    def on_pass(result: dict) -> None:
        nonlocal checked, contact_said  # said once per run, after the first pass that asked a public site
        if not contact_said:
            # Each pass's fetches are looked at once; the mark is taken again after the pass's pruning of the
            # fetch log (which, left with no row past the old mark, numbers the next ones from below it).
            after, checked = checked, fetch_mark(db)
            contact_said = _say_placeholder_contact(db, after, settings_of(ctx))
        if quiet and not (
            result["new"] or result["updated"] or result["texts"] or result["problems"] or result["deferred"]
        ):
            return
        click.echo(f"{now()} pass done", err=True)
        _report_pass(db, result, settings_of(ctx).host_share)

    def stopping() -> None:
        click.echo("Stopping after the item in hand (Ctrl-C again to stop now)...", err=True)

    alerts = sending_beside(resolve_db_path(ctx, db_path)) if send_alerts else contextlib.nullcontext()
    with stop_on_signals(stopping) as stop, default_fetcher(settings_of(ctx), db, stop) as fetcher, alerts:
        shown = every.strip() + ("" if every.strip()[-1:].lower() in ("s", "m", "h", "d") else "s")  # bare: seconds
        quickest = pass_interval(db, story_id, seconds)  # a source's own interval (the live demo's 10 s) sets the pace
        if quickest < seconds:
            shown = f"{_seconds(quickest)} (a source's own interval; --every {shown} for sources without one)"
        click.echo(f"Watching {story or 'every story'} every {shown}; Ctrl-C to stop.", err=True)
        try:
            passes = run_watch(
                db,
                story,
                every=seconds,
                fetcher=fetcher,
                stop=stop,
                echo=click.echo,
                on_pass=on_pass,
                share=settings_of(ctx).host_share,
            )
        except KeyboardInterrupt:
            passes = None
    done = f" after {passes} pass(es)" if passes is not None else ""
    click.echo(f"Stopped{done}; the next `scrape` or `watch` resumes with what is still due.", err=True)


def _say_placeholder_contact(db, after: int, settings) -> bool:
    """Say the User-Agent's placeholder contact (config.placeholder_contact_note) when the fetches logged after the
    fetch_mark `after` asked a public site; True when said. A newsroom trying the tracker on its own machine is not
    told."""
    from tracker.config import placeholder_contact_note
    from tracker.sources import asked_public_host

    note = placeholder_contact_note(settings)
    if note is None or not asked_public_host(db, after, settings):
        return False
    click.echo(note, err=True)
    return True


def _seconds(seconds: float) -> str:
    """A whole interval in the unit `--every` takes it in: 10s, 2m, 1h."""
    for unit, size in (("h", 3600), ("m", 60)):
        if seconds >= size and seconds % size == 0:
            return f"{seconds / size:g}{unit}"
    return f"{seconds:g}s"


@click.command("candidates")
@story_argument(required=False)
@click.option(
    "--extract",
    "--backfill",
    "extract",
    is_flag=True,
    help="First run claim extraction over the stored texts still waiting for it.",
)
@with_db
def candidates_command(ctx: click.Context, story: str | None, extract: bool, db_path: str | None) -> None:
    """Claim candidates waiting for triage, per story; --extract first reads the texts still waiting.

    Every scrape pass, watch pass and ingest reads the texts it stored for
    claims once it has stored them; a pass stopped early leaves the rest
    waiting, and coverage stored before extraction existed waits too.
    --extract reads them now. Running it twice adds nothing.

    \b
    Examples:
        python -m tracker candidates
        python -m tracker candidates amazon-ai-activity --extract
    """
    from tracker import candidates, extraction
    from tracker.cli.stop_signals import stop_on_signals
    from tracker.stories import get_story, list_stories

    db = open_db(ctx, db_path, write=extract)
    chosen = [get_story(db, story)] if story else list_stories(db)
    if not chosen:
        click.echo("No stories yet: `python -m tracker stories add SLUG --title TITLE`, or `python -m tracker demo`.")

    def stopping() -> None:
        click.echo("Stopping after the text in hand (Ctrl-C again to stop now)...", err=True)

    # Reading thousands of texts takes minutes: progress as it goes, and Ctrl-C or SIGTERM as in `scrape`, stopping
    # between texts and saying what was added (it ended on "Aborted!", with no word of the candidates kept).
    with stop_on_signals(stopping) if extract else contextlib.nullcontext() as stop:
        for s in chosen:
            if extract:
                done = extraction.extract_waiting(db, s["id"], stop=stop, progress=_reading(s["slug"]))
                for _, url, reason in done["problems"]:
                    click.echo(f"problem: {url}: {reason}", err=True)
                click.echo(f"{s['slug']}: {done['added']} candidate(s) added from {done['revisions']} revision(s).")
                if done["error"] is not None:
                    raise done["error"]
            c = candidates.counts(db, s["id"])
            waiting = extraction.waiting_count(db, s["id"])
            later = f"  ({waiting} text(s) not yet read for claims: --extract)" if waiting else ""
            click.echo(
                f"{s['slug']:<28} {c['pending']:>5} pending  {c['accepted']} accepted, {c['merged']} merged, "
                f"{c['dismissed']} dismissed{later}"
            )
            if stop is not None and stop.is_set():
                click.echo(
                    "Stopped before every text was read for claims; what was added is kept, and "
                    "`python -m tracker candidates --extract` reads the rest.",
                    err=True,
                )
                break


def _reading(slug: str):
    """Progress of claim extraction on standard error: the first text, then about every twentieth, and the last."""

    def progress(done: int, total: int) -> None:
        if done == 1 or done == total or done % max(1, total // 20) == 0:
            click.echo(f"{slug}: read {done} of {total} text(s) for claims", err=True)

    return progress
