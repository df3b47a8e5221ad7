"""The one command line: `python -m tracker [--db PATH] COMMAND`.

Each command is a few lines over a domain function; domain errors become one
clear line and a non-zero exit, never a traceback (tracker/cli/common.py).
The commands live in one module per group of work and are added to the
group here, and only here.
"""

from __future__ import annotations

import click

from tracker.cli import (
    alerts,
    checkworthiness,
    coverage,
    database,
    files,
    livedemo,
    model,
    site,
    sources,
    stories,
    users,
)
from tracker.cli.common import db_option, gone_readers, output_error, settings_of, stop_quietly
from tracker.cli.coverage import ingest_lines
from tracker.db import TrackerError

__all__ = ["cli", "ingest_lines"]


class OneLineUsageError(click.ClickException):
    """A usage error said in one line, with the exit status (2) click gives usage errors."""

    exit_code = 2


def one_line(e: click.UsageError) -> OneLineUsageError:
    """click's usage error (usage, a "Try ..." line, a blank line, the error) as the one line the README promises."""
    help_of = f" (see `{e.ctx.command_path} --help`)" if e.ctx is not None else ""
    return OneLineUsageError(f"{e.format_message()}{help_of}")


class Tracker(click.Group):
    """The command line's group: every command's usage errors pass through here, on their way out, and so does
    every write whose reader stopped reading (`| head`), which ends the command quietly as it ends Unix tools,
    and every write to a full output (`> /dev/full`), said in one line."""

    def make_context(self, *args, **kwargs) -> click.Context:
        try:
            return super().make_context(*args, **kwargs)
        except click.exceptions.NoArgsIsHelpError:
            raise  # a group given no command: its help, as click shows it, not "Error: Usage: ..." (see --help)
        except click.UsageError as e:
            raise one_line(e) from None
        except OSError as e:  # --help read by `| head -1`
            if gone := gone_readers(e):
                raise stop_quietly(gone) from None
            if problem := output_error(e):
                raise click.ClickException(str(problem)) from None
            raise

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except click.exceptions.NoArgsIsHelpError:
            raise
        except click.UsageError as e:
            raise one_line(e) from None
        except OSError as e:
            if gone := gone_readers(e):
                raise stop_quietly(gone) from None
            if problem := output_error(e):
                raise click.ClickException(str(problem)) from None
            raise


@click.group(cls=Tracker, context_settings={"help_option_names": ["-h", "--help"]})
@db_option
@click.version_option(package_name=None, version=__import__("tracker").__version__)
@click.pass_context
def cli(ctx: click.Context, db_path: str | None) -> None:
    """Newsroom Tracker: follow a developing story from coverage to a public evidence timeline.

    \b
    Start with the bundled demo story:
        python -m tracker init
        python -m tracker demo
        python -m tracker publish
        python -m tracker serve
    """
    try:
        settings_of(ctx)  # the environment, read once for the whole command
    except TrackerError as e:
        raise click.ClickException(str(e)) from None


COMMANDS = (
    database.init,
    database.demo,
    livedemo.demo_live,
    livedemo.demo_live_hosts,
    database.backup,
    users.users,
    stories.stories,
    sources.sources,
    coverage.ingest,
    coverage.scrape,
    coverage.watch,
    coverage.candidates_command,
    files.extract,
    files.extract_claims,
    checkworthiness.check_worthiness,
    checkworthiness.score_candidates,
    model.train_attribution,
    site.publish,
    site.serve,
    alerts.alerts,
)
for command in COMMANDS:
    cli.add_command(command)
