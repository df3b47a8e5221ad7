"""The one command line: `python -m tracker [--db PATH] COMMAND`.

Each command is a few lines over a domain function; domain errors become one
clear line and a non-zero exit, never a traceback.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from pathlib import Path

import click

from tracker import config
from tracker.db import TrackerError, connect


def db_option(f: Callable) -> Callable:
    """Every command takes --db, so it works before or after the command name."""
    return click.option(
        "--db",
        "db_path",
        default=None,
        metavar="PATH",
        help="Working database (default: $TRACKER_DB or data/tracker.db).",
    )(f)


def handle_errors(f: Callable) -> Callable:
    @functools.wraps(f)
    def wrapper(*args, **kwargs):
        try:
            return f(*args, **kwargs)
        except TrackerError as e:
            raise click.ClickException(str(e)) from None
        except OSError as e:
            raise click.ClickException(f"{e.strerror or e}: {e.filename or ''}".strip(": ")) from None

    return wrapper


def resolve_db_path(ctx: click.Context, db_path: str | None) -> str:
    """The database named on the command, else on the group, else the default."""
    return db_path or ctx.find_root().params.get("db_path") or config.default_db()


def open_db(ctx: click.Context, db_path: str | None, *, create: bool = False):
    """Open and migrate the working database.

    Commands other than init and demo refuse to silently create an empty database.
    """
    from tracker import migrations

    db = connect(resolve_db_path(ctx, db_path), create=create)
    migrations.apply(db)
    return db


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@db_option
@click.version_option(package_name=None, version=__import__("tracker").__version__)
def cli(db_path: str | None) -> None:
    """Newsroom Tracker: follow a developing story from coverage to a public evidence timeline.

    \b
    Start with the bundled demo story:
        python -m tracker init
        python -m tracker demo
        python -m tracker publish
        python -m tracker serve
    """


@cli.command()
@db_option
@click.pass_context
@handle_errors
def init(ctx: click.Context, db_path: str | None) -> None:
    """Create the working database, or bring it up to date.

    \b
    Example:
        python -m tracker init --db data/tracker.db
    """
    from tracker import migrations

    path = resolve_db_path(ctx, db_path)
    applied = migrations.apply(connect(path, create=True))
    if applied:
        click.echo(f"{path}: applied {len(applied)} migration(s): {', '.join(applied)}")
    else:
        click.echo(f"{path}: up to date")


@cli.group()
def users() -> None:
    """Manage accounts: reporters, editors and admins."""


@users.command("add")
@click.argument("username")
@click.option("--role", default="reporter", show_default=True, help="reporter, editor or admin.")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@db_option
@click.pass_context
@handle_errors
def users_add(ctx: click.Context, username: str, role: str, password_stdin: bool, db_path: str | None) -> None:
    """Add an account; the password is prompted for, or read with --password-stdin.

    \b
    Examples:
        python -m tracker users add ana --role editor
        echo "$PASSWORD" | python -m tracker users add ben --role reporter --password-stdin
    """
    from tracker.users import add_user

    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    user = add_user(open_db(ctx, db_path), username, password, role)
    click.echo(f"Added {user['role']} {user['username']}.")


@users.command("token")
@click.argument("username")
@db_option
@click.pass_context
@handle_errors
def users_token(ctx: click.Context, username: str, db_path: str | None) -> None:
    """Create an API token for USERNAME and print it once, as the last line.

    \b
    Example:
        python -m tracker users token ana
    """
    from tracker.users import create_token

    token = create_token(open_db(ctx, db_path), username)
    click.echo("Store this token now; it is not shown again:", err=True)
    click.echo(token)


@users.command("list")
@db_option
@click.pass_context
@handle_errors
def users_list(ctx: click.Context, db_path: str | None) -> None:
    """List accounts with their roles.

    \b
    Example:
        python -m tracker users list
    """
    from tracker.users import list_users

    for user in list_users(open_db(ctx, db_path)):
        state = "" if user["active"] else "  (deactivated)"
        click.echo(f"{user['username']:<24} {user['role']:<9} since {user['created_at'][:10]}{state}")


@users.command("passwd")
@click.argument("username")
@click.option("--password-stdin", is_flag=True, help="Read the new password from standard input.")
@db_option
@click.pass_context
@handle_errors
def users_passwd(ctx: click.Context, username: str, password_stdin: bool, db_path: str | None) -> None:
    """Set a new password for USERNAME (e.g. the demo editor's, if its first print was lost).

    \b
    Example:
        python -m tracker users passwd demo-editor
    """
    from tracker.users import set_password

    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("New password", hide_input=True, confirmation_prompt=True)
    set_password(open_db(ctx, db_path), username, password)
    click.echo(f"Password changed for {username}.")


@cli.group(invoke_without_command=True)
@db_option
@click.pass_context
@handle_errors
def stories(ctx: click.Context, db_path: str | None) -> None:
    """List stories (slug, claims by status); `stories add` creates one.

    \b
    Example:
        python -m tracker stories
    """
    if ctx.invoked_subcommand is not None:
        return
    from tracker.stories import list_stories

    rows = list_stories(open_db(ctx, db_path))
    if not rows:
        click.echo("No stories yet: `python -m tracker stories add SLUG --title TITLE`, or `python -m tracker demo`.")
    for s in rows:
        click.echo(
            f"{s['slug']:<28} {s['claims']:>4} claims  {s['confirmed'] or 0} confirmed, {s['denied'] or 0} denied, "
            f"{s['unclear'] or 0} unclear, {s['unreviewed'] or 0} unreviewed  — {s['title']}"
        )


@stories.command("add")
@click.argument("slug")
@click.option("--title", required=True, help="Headline-style title shown to staff and readers.")
@click.option("--description", default="", help="One or two sentences on what the story is.")
@click.option("--keywords", default="", help="Comma-separated words an item must contain to belong.")
@click.option("--exclude", default="", help="Comma-separated words that keep an item out.")
@db_option
@click.pass_context
@handle_errors
def stories_add(
    ctx: click.Context, slug: str, title: str, description: str, keywords: str, exclude: str, db_path: str | None
) -> None:
    """Create a story to follow.

    \b
    Example:
        python -m tracker stories add acme-recall --title "Acme recalls toasters" --keywords "Acme, toaster"
    """
    from tracker.stories import create_story

    story = create_story(open_db(ctx, db_path), slug, title, description, keywords, exclude)
    click.echo(f"Created story {story['slug']!r}.")


@cli.command()
@db_option
@click.pass_context
@handle_errors
def demo(ctx: click.Context, db_path: str | None) -> None:
    """Load the bundled demo story from data/demo/, offline. Running it twice changes nothing.

    \b
    Example:
        python -m tracker demo
    """
    from tracker.demo import load_demo

    result = load_demo(open_db(ctx, db_path, create=True), echo=click.echo)
    if result.get("password"):
        click.echo(
            f"Demo editor account created: username {result['username']!r}, password {result['password']!r} "
            "(shown once; it is not stored in plain text)."
        )
    else:
        click.echo(f"Demo story {result['slug']!r} already loaded; nothing changed.")


@cli.command()
@click.argument("story")
@click.argument("targets", nargs=-1, required=True, metavar="PATH_OR_URL...")
@db_option
@click.pass_context
@handle_errors
def ingest(ctx: click.Context, story: str, targets: tuple[str, ...], db_path: str | None) -> None:
    """Ingest saved files or URLs into STORY now; feeds and pages are told apart by their content.

    \b
    Examples:
        python -m tracker ingest amazon-ai-activity data/demo/feed.xml
        python -m tracker ingest amazon-ai-activity https://news.example.com/story.html
    """
    from tracker.ingest import ingest_targets

    summary = ingest_targets(open_db(ctx, db_path), story, list(targets), echo=click.echo)
    if summary.get("failed") and summary.get("failed") == len(targets):
        ctx.exit(1)  # nothing ingested; each target's reason is already on its own line
    click.echo(", ".join(f"{k}: {v}" for k, v in summary.items()))


@cli.command()
@click.option("--out", default=None, metavar="PATH", help="Public database (default: data/public.db).")
@db_option
@click.pass_context
@handle_errors
def publish(ctx: click.Context, out: str | None, db_path: str | None) -> None:
    """Build the public database from the allow-list and swap it in atomically.

    Logged like the editor's "Publish now", so the editor's publish page lists it.

    \b
    Example:
        python -m tracker publish --out data/public.db
    """
    from tracker.publish_log import publish_and_log

    db = open_db(ctx, db_path)
    summary, _ = publish_and_log(db, out or config.default_public_db())
    click.echo(f"Published {summary['claims']} claim(s), {summary['events']} timeline event(s) to {summary['path']}.")


@cli.command()
@click.argument("path", type=click.Path(dir_okay=False))
@db_option
@click.pass_context
@handle_errors
def backup(ctx: click.Context, path: str, db_path: str | None) -> None:
    """Write a consistent copy of the working database to PATH, safe while others write.

    \b
    Example:
        python -m tracker backup backups/tracker-2026-11-25.db
    """
    from tracker.db import backup as do_backup

    dest = do_backup(open_db(ctx, db_path), path)
    click.echo(f"Backed up to {dest} ({Path(dest).stat().st_size:,} bytes).")


@cli.command()
@click.option("--editor-port", default=5000, show_default=True, envvar="EDITOR_PORT", type=int)
@click.option("--public-port", default=8001, show_default=True, envvar="PUBLIC_PORT", type=int)
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--public-db", default=None, metavar="PATH", help="Public database (default: data/public.db).")
@click.option(
    "--workers",
    type=click.IntRange(1, 64),
    envvar="EDITOR_WORKERS",
    help="Editor worker processes, 2 threads each (default: two per core, at most 8).",
)
@db_option
@click.pass_context
@handle_errors
def serve(
    ctx: click.Context,
    editor_port: int,
    public_port: int,
    host: str,
    public_db: str | None,
    workers: int | None,
    db_path: str | None,
) -> None:
    """Run the editor (gunicorn) and the public site (Datasette) together until Ctrl-C.

    \b
    Example:
        python -m tracker serve --editor-port 5000 --public-port 8001
    """
    from tracker.serve import serve_both

    path = resolve_db_path(ctx, db_path)
    open_db(ctx, path)
    serve_both(path, public_db or config.default_public_db(), host, editor_port, public_port, workers, echo=click.echo)


@cli.command()
@click.argument("files", nargs=-1, required=True, metavar="FILE...")
def extract(files: tuple[str, ...]) -> None:
    """Print each saved HTML page's metadata and main text as one JSON object per line.

    No database is needed. A file that cannot be read or is not HTML gets one
    line on standard error; the others are still printed, and the exit status
    is non-zero at the end.

    \b
    Examples:
        python -m tracker extract data/demo/article.html
        python -m tracker extract pages/*.html | jq -r .title
    """
    import json

    from scrapers.article import parse_article
    from scrapers.records import ParseError

    failed = 0
    for file in files:
        try:
            article = parse_article(Path(file).read_bytes())
        except (OSError, ParseError) as e:
            reason = e.strerror if isinstance(e, OSError) and e.strerror else str(e)
            click.echo(f"Error: {file}: {reason}", err=True)
            failed += 1
            continue
        record = {
            "file": file,
            "title": article.title,
            "byline": article.byline,
            "published": article.published,
            "modified": article.modified,
            "outlet": article.outlet,
            "canonical_url": article.canonical_url,
            "text": article.text,
        }
        click.echo(json.dumps(record, ensure_ascii=False))
    if failed:
        raise click.exceptions.Exit(1)


@cli.command("extract-claims")
@click.argument("files", nargs=-1, required=True, metavar="FILE...")
def extract_claims(files: tuple[str, ...]) -> None:
    """Print the claim candidates in plain-text or HTML files, one JSON object per candidate per line.

    HTML is told apart by its content and reduced to the article's main text
    first; start and end are offsets into that text. No database is needed.

    \b
    Examples:
        python -m tracker extract-claims ../shared/seed/000_3cdc51a5f04b0230.txt
        python -m tracker extract-claims data/demo/article.html | jq -r '[.kind, .claimant] | @tsv'
    """
    import json
    import re

    from scrapers.article import decode_html, parse_article
    from scrapers.records import ParseError
    from scrapers.sniff import binary_kind
    from tracker.attribution import extract_candidates

    looks_like_html = re.compile(r"<(?:!doctype\s+html|html|head|body|article|main|p|div|section|title|meta)\b", re.I)
    failed = 0
    for file in files:
        try:
            data = Path(file).read_bytes()
            binary = binary_kind(data)
            if binary:
                raise ParseError(f"{binary}, not text or HTML")
            text = decode_html(data)
            if looks_like_html.search(text[:4096]):
                text = parse_article(text).text or ""
        except (OSError, ParseError) as e:
            reason = e.strerror if isinstance(e, OSError) and e.strerror else str(e)
            click.echo(f"Error: {file}: {reason}", err=True)
            failed += 1
            continue
        for c in extract_candidates(text):
            record = {
                "file": file,
                "kind": c.kind,
                "text": c.text,
                "quote": c.quote,
                "claimant": c.claimant,
                "claimant_type": c.claimant_type,
                "start": c.start,
                "end": c.end,
            }
            click.echo(json.dumps(record, ensure_ascii=False))
    if failed:
        raise click.exceptions.Exit(1)


class _SourcesGroup(click.Group):
    """`sources [STORY]` lists, `sources add ...` adds: a first word that is not a subcommand names the story."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        i = 0
        while i < len(args) and args[i].startswith("-"):
            i += 1 if "=" in args[i] or args[i] in ("-h", "--help") else 2
        if i < len(args) and args[i] not in self.commands:
            args = [*args[:i], "list", *args[i:]]
        return super().parse_args(ctx, args)


@cli.group(cls=_SourcesGroup, invoke_without_command=True)
@db_option
@click.pass_context
@handle_errors
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
@click.argument("story", required=False)
@db_option
@click.pass_context
@handle_errors
def sources_list(ctx: click.Context, story: str | None, db_path: str | None) -> None:
    """Each source's health: last fetch, its result, failures in a row, items, next poll.

    \b
    Example:
        python -m tracker sources acme-recall
    """
    from tracker.sources import list_sources
    from tracker.stories import get_story

    db = open_db(ctx, db_path)
    found = list_sources(db, get_story(db, story)["id"] if story else None)
    if not found:
        click.echo("No sources yet: `python -m tracker sources add STORY URL --kind feed|page|statement`.")
        return
    click.echo(
        f"{'id':>4}  {'story':<20} {'kind':<9} {'state':<7} {'last fetched':<17} {'result':<13} "
        f"{'fails':>5} {'items':>6}  {'next poll':<17} url"
    )
    for s in found:
        result = "-" if not s["last_outcome"] else f"{s['last_outcome']} {s['last_status'] or ''}".strip()
        if not s["trust_validators"]:
            result += "*"
        click.echo(
            f"{s['id']:>4}  {s['story_slug'][:20]:<20} {s['kind']:<9} {s['state']:<7} "
            f"{_when(s['last_fetched_at']):<17} {result:<13} {s['failures']:>5} {s['items']:>6}  "
            f"{_when(s['next_poll_at']) if s['state'] == 'active' else '-':<17} {s['url']}"
            + (f"  ({s['outlet']})" if s["outlet"] else "")
        )
        if s["last_error"]:
            click.echo(f"{'':>6}{s['last_error']}")
    if any(not s["trust_validators"] for s in found):
        click.echo("* validators (ETag / Last-Modified) not trusted: this source is always fetched in full.")


def _when(value: str | None) -> str:
    return value.replace("T", " ")[:16] + "Z" if value else "-"


@sources.command("add")
@click.argument("story")
@click.argument("url")
@click.option("--kind", required=True, type=click.Choice(["feed", "page", "statement"]), help="What the URL is.")
@click.option("--outlet", default=None, help="Outlet or organisation name (required for statements).")
@click.option("--pattern", default=None, help="Statements: a regular expression the statement links must match.")
@db_option
@click.pass_context
@handle_errors
def sources_add(
    ctx: click.Context,
    story: str,
    url: str,
    kind: str,
    outlet: str | None,
    pattern: str | None,
    db_path: str | None,
) -> None:
    """Add a feed, a watched page or an organisation's statement listing to STORY.

    \b
    Examples:
        python -m tracker sources add acme-recall https://gazette.example/feed.xml --kind feed
        python -m tracker sources add acme-recall https://acme.example/newsroom/ --kind statement \\
            --outlet "Acme Widgets" --pattern '/newsroom/\\d{4}/'
    """
    from tracker.sources import add_source
    from tracker.stories import get_story

    db = open_db(ctx, db_path)
    source = add_source(db, get_story(db, story)["id"], url, kind, outlet, {"pattern": pattern} if pattern else None)
    click.echo(f"Added {source['kind']} source {source['id']} to {story!r}: {source['url']}")


class _Progress:
    """A progress bar per phase of a scrape pass on standard error; counted lines when it is not a terminal."""

    def __init__(self) -> None:
        self.bar = None
        self.phase: str | None = None
        self.done = self.total = 0
        self.tty = sys.stderr.isatty()

    def __call__(self, phase: str, done: int, total: int, line: str | None) -> None:
        if phase != self.phase:
            self.close()
            self.phase, self.done, self.total = phase, 0, total
            if self.tty:
                self.bar = click.progressbar(length=total, label=f"{phase:<8}", file=sys.stderr, show_pos=True)
                self.bar.__enter__()
        if self.bar is not None:
            self.bar.update(done - self.done)
        self.done = done

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar = None
        elif self.phase is not None and not self.tty:
            done = "read for claims" if self.phase == "claims" else "fetched"
            click.echo(f"{self.phase}: {self.done}/{self.total} {done}", err=True)
        self.phase = None


def _report_pass(db, result: dict) -> None:
    from tracker.coverage import get_item
    from tracker.ingest import COUNTS

    for change in result["changes"]:
        item = get_item(db, change["coverage_id"])
        title = item["title"] or item["canonical_url"]
        click.echo(f"changed: {title} ({item['outlet'] or 'unknown outlet'}) {item['canonical_url']}")
    for url, reason in result["problems"]:
        click.echo(f"problem: {reason if reason.startswith(url) else f'{url}: {reason}'}", err=True)
    for note in result["notes"]:
        click.echo(f"note: {note}", err=True)
    if result["waiting"]:
        click.echo(f"{result['waiting']} failing source(s) backing off; `python -m tracker sources` shows when.")
    click.echo(", ".join(f"{k}: {result[k]}" for k in (*COUNTS, "candidates")))


@cli.command()
@click.argument("story", required=False)
@db_option
@click.pass_context
@handle_errors
def scrape(ctx: click.Context, story: str | None, db_path: str | None) -> None:
    """One pass now over STORY's sources (every story's without one), then over items due for a re-check.

    Ends with the counts new, updated, unchanged, skipped, failed, and the
    claim candidates found in the texts stored (waiting in the triage queue).

    \b
    Examples:
        python -m tracker scrape acme-recall
        python -m tracker scrape
    """
    from tracker.scrape import run_pass

    db = open_db(ctx, db_path)
    progress = _Progress()
    try:
        result = run_pass(db, story, progress=progress)
    finally:
        progress.close()
    if not result["sources"] and not result["items"] and not result["waiting"]:
        click.echo("Nothing to fetch: add sources with `python -m tracker sources add STORY URL --kind feed`.")
    _report_pass(db, result)


def parse_duration(text: str) -> float:
    """'90s', '10m', '1h', '1d' or plain seconds → seconds."""
    units = {"s": 1, "m": 60, "h": 3600, "d": 86400}
    text = (text or "").strip().lower()
    number, unit = (text[:-1], text[-1]) if text[-1:] in units else (text, "s")
    try:
        seconds = float(number) * units[unit]
    except ValueError:
        raise click.BadParameter(f"{text!r} is not a duration; use e.g. 90s, 10m or 1h.") from None
    if seconds < 1:
        raise click.BadParameter("the interval must be at least one second.")
    return seconds


@cli.command()
@click.argument("story", required=False)
@click.option("--every", default="10m", show_default=True, help="Time between passes: 90s, 10m, 1h.")
@db_option
@click.pass_context
@handle_errors
def watch(ctx: click.Context, story: str | None, every: str, db_path: str | None) -> None:
    """Scrape what is due every --every until Ctrl-C or SIGTERM.

    Stopping finishes the item in hand and leaves the database consistent;
    the next run resumes with what is still due. A second Ctrl-C stops at
    once (the item in hand is rolled back).

    \b
    Example:
        python -m tracker watch acme-recall --every 10m
    """
    import os
    import signal
    import threading

    from tracker.db import now
    from tracker.scrape import watch as run_watch

    seconds = parse_duration(every)
    db = open_db(ctx, db_path)
    stop = threading.Event()
    # The handler only writes to a pipe: setting an Event or printing from a signal handler can
    # deadlock on a lock the interrupted code holds. A thread turns the byte into stop.set().
    wake_read, wake_write = os.pipe()
    signalled: list[int] = []

    def on_signal(signum, frame) -> None:
        if signalled:
            raise KeyboardInterrupt
        signalled.append(signum)
        os.write(wake_write, b"x")

    def relay() -> None:
        try:
            if os.read(wake_read, 1) == b"x":
                click.echo("Stopping after the item in hand (Ctrl-C again to stop now)...", err=True)
                stop.set()
        finally:
            os.close(wake_read)

    threading.Thread(target=relay, daemon=True, name="stop-relay").start()

    def on_pass(result: dict) -> None:
        click.echo(f"{now()} pass done", err=True)
        _report_pass(db, result)

    previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGINT, signal.SIGTERM)}
    click.echo(f"Watching {story or 'every story'} every {every}; Ctrl-C to stop.", err=True)
    try:
        passes = run_watch(db, story, every=seconds, stop=stop, echo=click.echo, on_pass=on_pass)
    except KeyboardInterrupt:
        passes = None
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        if not signalled:
            os.write(wake_write, b".")  # let the relay thread end
        os.close(wake_write)
    done = f" after {passes} pass(es)" if passes is not None else ""
    click.echo(f"Stopped{done}; the next `scrape` or `watch` resumes with what is still due.", err=True)


@cli.command("candidates")
@click.argument("story", required=False)
@click.option(
    "--extract",
    "--backfill",
    "extract",
    is_flag=True,
    help="First run claim extraction over the stored texts still waiting for it.",
)
@db_option
@click.pass_context
@handle_errors
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
    from tracker import candidates
    from tracker.stories import get_story, list_stories

    db = open_db(ctx, db_path)
    chosen = [get_story(db, story)] if story else list_stories(db)
    if not chosen:
        click.echo("No stories yet: `python -m tracker stories add SLUG --title TITLE`, or `python -m tracker demo`.")
    for s in chosen:
        if extract:
            done = candidates.extract_waiting(db, s["id"])
            for _, url, reason in done["problems"]:
                click.echo(f"problem: {url}: {reason}", err=True)
            click.echo(f"{s['slug']}: {done['added']} candidate(s) added from {done['revisions']} revision(s).")
        c = candidates.counts(db, s["id"])
        waiting = candidates.waiting_count(db, s["id"])
        later = f"  ({waiting} text(s) not yet read for claims: --extract)" if waiting else ""
        click.echo(
            f"{s['slug']:<28} {c['pending']:>5} pending  {c['accepted']} accepted, {c['merged']} merged, "
            f"{c['dismissed']} dismissed{later}"
        )


@sources.command("pause")
@click.argument("source_id", type=int)
@db_option
@click.pass_context
@handle_errors
def sources_pause(ctx: click.Context, source_id: int, db_path: str | None) -> None:
    """Stop polling a source (its items are no longer re-checked either) until `sources resume`.

    \b
    Example:
        python -m tracker sources pause 3
    """
    from tracker.sources import set_state

    source = set_state(open_db(ctx, db_path), source_id, "paused")
    click.echo(f"Paused source {source['id']}: {source['url']}")


@sources.command("resume")
@click.argument("source_id", type=int)
@db_option
@click.pass_context
@handle_errors
def sources_resume(ctx: click.Context, source_id: int, db_path: str | None) -> None:
    """Poll a paused or gone source again, starting with the next pass; its failure count starts afresh.

    \b
    Example:
        python -m tracker sources resume 3
    """
    from tracker.sources import set_state

    source = set_state(open_db(ctx, db_path), source_id, "active")
    click.echo(f"Resumed source {source['id']}: {source['url']}")


@cli.group()
def alerts() -> None:
    """Send alerts: new statements, changes, rulings, candidates, source trouble (see docs/alerts.md)."""


@alerts.command("send-pending")
@db_option
@click.pass_context
@handle_errors
def alerts_send_pending(ctx: click.Context, db_path: str | None) -> None:
    """Send every alert that is due now, then exit (for cron); digests and rate-limited ones wait.

    \b
    Example (every minute from cron):
        * * * * *  cd /srv/tracker && .venv/bin/python -m tracker alerts send-pending
    """
    from tracker.alerts.sender import send_pending

    result = send_pending(open_db(ctx, db_path))
    click.echo(f"Sent {result['sent']} message(s); {result['failed']} failed (see Account → Alerts).")
    if result["failed"] and not result["sent"]:
        ctx.exit(1)


@alerts.command("run")
@click.option("--poll", default=0.5, show_default=True, help="Seconds between looks at the outbox when idle.")
@db_option
@click.pass_context
@handle_errors
def alerts_run(ctx: click.Context, poll: float, db_path: str | None) -> None:
    """Send alerts as they happen until Ctrl-C or SIGTERM (`serve` starts this beside the editor).

    Run it beside `watch` when the editor is served some other way. Messages
    in flight when it stops are finished and recorded first.

    \b
    Example:
        python -m tracker alerts run
    """
    import os
    import signal
    import threading

    from tracker.alerts.sender import Sender

    db = open_db(ctx, db_path)
    stop = threading.Event()
    wake_read, wake_write = os.pipe()

    def relay() -> None:
        os.read(wake_read, 1)
        stop.set()

    threading.Thread(target=relay, daemon=True, name="stop-relay").start()
    previous = {
        sig: signal.signal(sig, lambda signum, frame: os.write(wake_write, b"x"))
        for sig in (signal.SIGINT, signal.SIGTERM)
    }
    sender = Sender(db)
    click.echo(f"Sending alerts (links to {sender.editor_url}); Ctrl-C to stop.", err=True)
    try:
        sender.run(stop, poll=max(0.05, poll))
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    click.echo(f"Stopped: {sender.sent} sent, {sender.failed} failed.", err=True)
