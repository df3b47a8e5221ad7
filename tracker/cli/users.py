"""`users`: accounts and roles, passwords and API tokens."""

from __future__ import annotations

import sys

import click

from tracker.cli.common import db_option, gone_readers, open_db, output_error, settings_of, with_db


@click.group()
@db_option
def users(db_path: str | None) -> None:
    """Manage accounts: reporters, editors and admins.

    \b
    Examples:
        python -m tracker users add ana --role editor
        python -m tracker users list
    """


def _password(prompt: str, from_stdin: bool) -> str:
    """The password typed at a prompt, or the first line of standard input; refused when there is no input at all,
    and a prompt refused when standard input is no terminal."""
    if sys.stdin is None:  # `<&-`: Python leaves sys.stdin None, and reading it was an AttributeError
        raise click.ClickException(
            "Standard input is closed, so no password was read; nothing was changed. Pipe it in with "
            "--password-stdin, or run the command at a terminal."
        )
    if from_stdin:
        return _password_from_stdin()
    if not sys.stdin.isatty():
        # A pipe or a file (`echo "$PASSWORD" | users add ana`, forgetting the flag): getpass warned that the
        # password may be echoed, then read a second line to confirm it, found none and said only "Aborted!".
        raise click.ClickException(
            "No terminal to type the password at, so nothing was changed: pipe it in with --password-stdin, or "
            "run the command at a terminal."
        )
    try:
        return click.prompt(prompt, hide_input=True, confirmation_prompt=True)
    except click.exceptions.Abort:  # Ctrl-C or Ctrl-D at the prompt: click said only "Aborted!"
        raise click.ClickException(
            "Stopped at the password prompt, so nothing was changed; run the command again to type it."
        ) from None


def _password_from_stdin() -> str:
    """The first line of standard input, as bytes: decoded as text, non-UTF-8 fails or smuggles in surrogates.

    Read only up to the longest password's bytes (and its line break): a runaway pipe is refused, not held.
    """
    from tracker.users import MAX_PASSWORD, TOO_LONG

    most = MAX_PASSWORD * 4 + 2  # four bytes a character at most in UTF-8, and "\r\n"
    line = sys.stdin.buffer.readline(most + 1)
    if len(line) > most:
        raise click.ClickException(TOO_LONG)
    try:
        return line.decode("utf-8").rstrip("\r\n")
    except UnicodeDecodeError:
        raise click.ClickException(
            "The password on standard input is not UTF-8 text; nothing was changed. Type it at the prompt instead "
            "(leave out --password-stdin)."
        ) from None


@users.command("add")
@click.argument("username")
@click.option("--role", default="reporter", show_default=True, help="reporter, editor or admin.")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@with_db
def users_add(ctx: click.Context, username: str, role: str, password_stdin: bool, db_path: str | None) -> None:
    """Add an account; the password is prompted for, or read with --password-stdin.

    \b
    Examples:
        python -m tracker users add ana --role editor
        echo "$PASSWORD" | python -m tracker users add ben --role reporter --password-stdin
    """
    from tracker.users import add_user, check_new_user

    db = open_db(ctx, db_path)
    check_new_user(db, username, role)  # before the password is typed twice
    password = _password("Password", password_stdin)
    user = add_user(db, username, password, role, method=settings_of(ctx).password_method)
    click.echo(f"Added {user['role']} {user['username']}.")


NO_TOKEN = (
    "The token was deleted unseen, so no token was created; make room there or send the output elsewhere, then run "
    "it again."
)


@users.command("token")
@click.argument("username")
@with_db
def users_token(ctx: click.Context, username: str, db_path: str | None) -> None:
    """Create an API token for USERNAME and print it once, as the last line.

    \b
    Example:
        python -m tracker users token ana
    """
    from tracker.users import create_token, discard_token

    if sys.stdout is None:  # `>&-`: click.echo drops the line, and the token would be stored but never seen
        raise click.ClickException("Standard output is closed, so the token could not be shown; none was created.")
    db = open_db(ctx, db_path)
    token = create_token(db, username)
    try:
        click.echo("Store this token now; it is not shown again:", err=True)
        click.echo(token)
    except OSError as e:  # `> /dev/full`, a reader gone: a working token no one has seen must not stay
        discard_token(db, token)
        if gone_readers(e):
            raise  # not an error to report: the command group ends the command quietly
        if problem := output_error(e, outcome=NO_TOKEN):
            raise click.ClickException(str(problem)) from None
        raise


@users.command("end-sessions")
@click.option("--all", "everyone", is_flag=True, help="Every account's sessions (the only choice for now).")
@with_db
def users_end_sessions(ctx: click.Context, everyone: bool, db_path: str | None) -> None:
    """Sign everyone out of the editor on every device: run it once a restored backup is in place.

    A backup keeps the session versions of its day, so restoring one brings
    back the sessions signed out (or ended by a password change) since.

    \b
    Example:
        python -m tracker users end-sessions --all
    """
    from tracker.users import end_all_sessions

    if not everyone:
        raise click.UsageError("Give --all: every account's sessions end, and everyone signs in again.")
    click.echo(f"Ended every session of {end_all_sessions(open_db(ctx, db_path))} account(s); everyone signs in again.")


@users.command("list")
@with_db
def users_list(ctx: click.Context, db_path: str | None) -> None:
    """List accounts with their roles.

    \b
    Example:
        python -m tracker users list
    """
    from tracker.users import list_users

    for user in list_users(open_db(ctx, db_path, write=False)):
        state = "" if user["active"] else "  (deactivated)"
        click.echo(f"{user['username']:<24} {user['role']:<9} since {user['created_at'][:10]}{state}")


@users.command("passwd")
@click.argument("username")
@click.option("--password-stdin", is_flag=True, help="Read the new password from standard input.")
@click.option(
    "--revoke-tokens/--keep-tokens",
    default=True,
    show_default=True,
    help="Also revoke the account's API tokens (after a compromise, one an intruder made would outlive the "
    "new password), or keep them working.",
)
@with_db
def users_passwd(
    ctx: click.Context, username: str, password_stdin: bool, revoke_tokens: bool, db_path: str | None
) -> None:
    """Set a new password for USERNAME (e.g. the demo editor's, if its first print was lost).

    Its API tokens are revoked with it, as the editor's password forms do by
    default; --keep-tokens keeps them working.

    \b
    Examples:
        python -m tracker users passwd demo-editor
        python -m tracker users passwd ana --keep-tokens
    """
    from tracker.db import NotFound
    from tracker.users import find_user, list_tokens, set_password, tokens_revoked

    db = open_db(ctx, db_path)
    user = find_user(db, username)
    if user is None:  # said before the password is typed twice
        raise NotFound(f"No user named {username!r}.")
    password = _password("New password", password_stdin)
    revoked = set_password(db, username, password, method=settings_of(ctx).password_method, revoke_tokens=revoke_tokens)
    if revoked:
        said = tokens_revoked(revoked)
    elif revoke_tokens:
        said = " No API tokens to revoke."
    elif kept := len(list_tokens(db, user["id"])):
        work = "API tokens still work" if kept != 1 else "API token still works"
        said = f" Its {kept} {work} (--revoke-tokens revokes {'them' if kept != 1 else 'it'})."
    else:
        said = ""
    click.echo(f"Password changed for {username}.{said}")
