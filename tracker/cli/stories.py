"""`stories`: the stories the newsroom follows, with their claims by status."""

from __future__ import annotations

import click

from tracker.cli.common import open_db, with_db


@click.group(invoke_without_command=True)
@with_db
def stories(ctx: click.Context, db_path: str | None) -> None:
    """List stories (slug, claims by status); `stories add` creates one.

    \b
    Example:
        python -m tracker stories
    """
    if ctx.invoked_subcommand is not None:
        return
    from tracker.stories import list_stories

    rows = list_stories(open_db(ctx, db_path, write=False))
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
@with_db
def stories_add(
    ctx: click.Context, slug: str, title: str, description: str, keywords: str, exclude: str, db_path: str | None
) -> None:
    """Create a story to follow.

    \b
    Example:
        python -m tracker stories add acme-recall --title "Acme recalls toasters" --keywords "Acme, toaster"
    """
    from tracker.db import TrackerError
    from tracker.stories import create_story

    try:
        story = create_story(open_db(ctx, db_path), slug, title, description, keywords, exclude)
    except TrackerError as e:
        if e.field != "slug":
            raise
        raise TrackerError(f"SLUG: {e}", field=e.field) from None  # the editor's form calls it the short name
    click.echo(f"Created story {story['slug']!r}.")
