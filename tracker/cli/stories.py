"""`stories`: the stories the newsroom follows, with their claims by status."""

from __future__ import annotations

import click

from tracker.cli.common import StoryFirstGroup, open_db, story_argument, with_db


@click.group(cls=StoryFirstGroup, invoke_without_command=True)
@with_db
def stories(ctx: click.Context, db_path: str | None) -> None:
    """List stories (slug, claims by status), or STORY's; `stories add` creates one.

    \b
    Examples:
        python -m tracker stories
        python -m tracker stories acme-recall
    """
    if ctx.invoked_subcommand is None:
        ctx.invoke(stories_list, story=None, db_path=db_path)


@stories.command("list")
@story_argument(required=False)
@with_db
def stories_list(ctx: click.Context, story: str | None, db_path: str | None) -> None:
    """Each story (or STORY alone) with its claims by status.

    \b
    Example:
        python -m tracker stories acme-recall
    """
    from tracker.stories import get_story, list_stories

    db = open_db(ctx, db_path, write=False)
    rows = list_stories(db)
    if story:
        slug = get_story(db, story)["slug"]  # a name that is no story's is said, with the one meant
        rows = [s for s in rows if s["slug"] == slug]
    if not rows:
        click.echo("No stories yet: `python -m tracker stories add SLUG --title TITLE`, or `python -m tracker demo`.")
    for s in rows:
        claims = f"{s['claims']:>4} claim{'s' if s['claims'] != 1 else ' '}"  # one claim: a space keeps the columns
        click.echo(
            f"{s['slug']:<28} {claims}  {s['confirmed'] or 0} confirmed, {s['denied'] or 0} denied, "
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
