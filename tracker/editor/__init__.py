"""The editor: where reporters log claims with evidence and editors rule on them.

A thin Flask layer over the domain modules (tracker.stories, tracker.claims,
tracker.coverage, tracker.sources, tracker.users, tracker.publish). Secure by
default: every page needs a signed-in account unless listed in
PUBLIC_ENDPOINTS, every POST needs a CSRF token (except JSON API requests that
authenticate with a bearer token, which carry no cookie to forge), every
response carries a strict Content-Security-Policy.
"""

from __future__ import annotations

import functools
import secrets
import sqlite3
import time
import unicodedata
from collections.abc import Callable
from pathlib import Path

from flask import (
    Flask,
    Request,
    current_app,
    flash,
    g,
    has_request_context,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.sessions import SecureCookieSessionInterface
from flask.typing import ResponseReturnValue
from flask_limiter import Limiter
from flask_login import LoginManager, current_user, login_url
from flask_wtf.csrf import CSRFError, CSRFProtect
from werkzeug.exceptions import HTTPException, InternalServerError, RequestEntityTooLarge
from werkzeug.utils import cached_property
from werkzeug.wrappers import Response
from werkzeug.wsgi import LimitedStream, get_input_stream

from scrapers.records import size_in_words
from scrapers.timestamps import when, when_date
from tracker import config, migrations
from tracker.db import (
    DatabaseBusy,
    DiskFull,
    FileSizeLimit,
    ReadOnlyDatabase,
    StorageError,
    TrackerError,
    WriterWaitTimeout,
    connect,
    damaged,
    database_error,
    missing_table,
    opens_read_only,
    read_only_outdated,
    storage_error,
)
from tracker.editor import (
    admin,
    alerts,
    api,
    auth,
    claims,
    coverage,
    dashboard,
    display,
    documents,
    drafts,
    evidence,
    forms,
    livedemo,
    login_limits,
    publishing,
    reporting,
    resume,
    sources,
    stories,
    triage,
)
from tracker.editor import questions as questions_pages
from tracker.editor.db import close_db
from tracker.ingest import default_fetcher
from tracker.sources import SourceNotFound
from tracker.stories import StoryNotFound

# Endpoints an anonymous visitor may reach; everything else redirects to the login page
# (the JSON API answers 401 instead, see tracker/editor/api/auth.py).
# alerts.unsubscribe: an alert email's List-Unsubscribe link, which the mailbox provider POSTs (RFC 8058).
PUBLIC_ENDPOINTS = frozenset({"auth.login", "static", "api.openapi", "alerts.unsubscribe"})

SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "frame-ancestors 'none'; form-action 'self'; base-uri 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}

# Served over HTTPS (TRACKER_HTTPS=1, which also makes the session cookie Secure): a browser that has been here
# once never tries plain HTTP, where the sign-in page could be kept from upgrading and the password read.
HSTS = "max-age=63072000; includeSubDomains"

# What a person sees instead of werkzeug's terse defaults.
FRIENDLY_HTTP = {
    400: ("Something was wrong with that request", "Go back, reload the page and try again."),
    403: ("Not allowed", "Your account does not have permission to do that."),
    404: ("Not found", "There is nothing at this address. It may have been mistyped, or the item does not exist."),
    405: ("Not allowed here", "This address does not accept that kind of request."),
    413: ("Too large", "That submission is too large: over the {size} limit. Shorten it and try again."),
    429: ("Too many attempts", "Too many attempts from here in a short time. Wait a minute and try again."),
    500: ("Something went wrong", "The editor hit an unexpected problem. Nothing was saved. Try again in a moment."),
}


def create_app(
    test_config: dict | None = None,
    *,
    settings: config.Settings | None = None,
    fetcher_factory: Callable[[], object] | None = None,
    rate_clock: Callable[[], float] | None = None,
) -> Flask:
    """Build the editor app; settings (the environment, read here once) < instance/config.py < test_config.

    fetcher_factory makes the HTTP client that fetches an evidence URL
    (default: the project's polite fetcher with the settings' politeness and
    address guard; tests give one that may fetch their loopback servers).
    rate_clock is the clock of the limits counted in memory per client
    address (the unsubscribe link's; default time.monotonic): tests hold it
    still, so a bucket they empty is not refilled by a slow machine.
    """
    settings = settings or config.Settings.from_env()
    app = Flask(__name__, instance_relative_config=True)
    app.request_class = _Request
    app.session_interface = _SessionCookies()
    app.url_map.converters["int"] = forms.RowIdConverter  # before any route is added
    app.extensions[evidence.FETCHER_FACTORY] = fetcher_factory or functools.partial(default_fetcher, settings)
    app.extensions[documents.SETTINGS] = settings
    app.extensions[alerts.RATE_CLOCK] = rate_clock or time.monotonic
    app.config.from_mapping(
        DATABASE=settings.db,
        PUBLIC_DB=settings.public_db,
        # Where readers find a published claim: its page's "Readers see it at" link (tracker/public_ids.py).
        PUBLIC_SITE_URL=settings.public_site_url,
        # From the environment where a deployment keeps its secrets; else generated into instance/.
        SECRET_KEY=settings.secret_key,
        PASSWORD_METHOD=settings.password_method,
        SESSION_IDLE_SECONDS=round(settings.session_idle_hours * 3600),
        SESSION_MAX_SECONDS=round(settings.session_max_days * 86400),
        SESSION_COOKIE_NAME="tracker_session",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=settings.https,
        # A token that expires after an hour would throw away a half-written claim;
        # the token is bound to the session, which ends when the browser closes.
        WTF_CSRF_TIME_LIMIT=None,
        RATELIMIT_ENABLED=True,
        # None: counters in the tracker database, shared by every worker process (login_limits.py).
        RATELIMIT_STORAGE_URI=None,
        # Failed logins only (a successful one counts for nothing): per address, against one
        # address trying many accounts; per account and address, against guessing one password,
        # without letting a guesser elsewhere lock the account's owner out.
        LOGIN_LIMIT_PER_ADDRESS="10/minute",
        LOGIN_LIMIT_PER_ACCOUNT_ADDRESS="5/minute;20/hour",
        # Retry-After (and X-RateLimit-*) on the login form's answers.
        RATELIMIT_HEADERS_ENABLED=True,
        # An alert email's unsubscribe link, which anyone may POST to: requests per minute from one client
        # address (each worker process counts its own), and how many addresses are remembered (client_rate.py).
        UNSUBSCRIBE_PER_MINUTE=10,
        UNSUBSCRIBE_CLIENTS=10_000,
        MAX_CONTENT_LENGTH=2 * 1024 * 1024,
        # Reuse one connection per server thread (tracker/editor/db.py); None = on unless TESTING.
        DB_POOL=None,
        # `serve --live-demo` plays the live demo beside us: its Next stage control shows (editor/livedemo.py).
        LIVE_DEMO=bool(settings.demo_hosts),
        DEMO_PACE=settings.demo_pace,
    )
    if test_config is None:
        app.config.from_pyfile("config.py", silent=True)
    else:
        app.config.from_mapping(test_config)
    if app.config["DB_POOL"] is None:
        app.config["DB_POOL"] = not app.testing
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = instance_secret_key(Path(app.instance_path))
    elif not app.testing:
        config.refuse_weak_secret_key(app.config["SECRET_KEY"])

    if settings.trusted_proxies:
        # The client's address and scheme as the newsroom's own proxies saw them (TRACKER_PROXIES):
        # the login limits count per reader's address, not per proxy. Only that many hops are believed.
        from werkzeug.middleware.proxy_fix import ProxyFix

        n = settings.trusted_proxies
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n)

    _prepare_database(app.config["DATABASE"])
    app.teardown_appcontext(close_db)

    # Before CSRFProtect's own hook, which reads the form: someone not signed in is sent to sign in before any
    # body is read (an upload route's body may be 100 MB), and the upload routes' larger limit must apply first.
    app.before_request(_refuse_control_characters)
    app.before_request(_require_login)
    app.before_request(documents.upload_limits)
    csrf = CSRFProtect(app)
    # The API checks CSRF itself, only for cookie-authenticated writes (tracker/editor/api/auth.py).
    csrf.exempt(api.bp)
    # An alert email's one-click unsubscribe is POSTed by the mailbox provider, which holds no token (RFC 8058);
    # it only ever stops the one destination its signed token names (tracker/alerts/unsubscribe.py).
    csrf.exempt(alerts.unsubscribe)
    _init_login(app)
    for blueprint in (
        auth,
        stories,
        claims,
        coverage,
        sources,
        dashboard,
        publishing,
        triage,
        admin,
        api,
        questions_pages,
        alerts,
        documents,
        reporting,
        livedemo,
    ):
        app.register_blueprint(blueprint.bp)
    app.config.setdefault("PUBLIC_ENDPOINTS", PUBLIC_ENDPOINTS)
    if settings.bench_floor:
        # Bare routes for bench/editor.py's floor only; never registered in normal runs.
        from tracker.editor import bench_floor

        bench_floor.register(app, csrf)
    _init_rate_limits(app)

    app.after_request(_security_headers)
    app.after_request(drafts.note_saved)
    _init_errors(app)
    _init_templates(app)
    return app


def _prepare_database(path: str) -> None:
    """Create the working database or bring it up to date, before any request; a read-only one (a copy on a
    read-only share: tracker.db.opens_read_only) is only checked to need no upgrade, and served read-only.

    Opened for writing there, SQLite could not even read it (no -shm can be made in a read-only folder):
    the editor did not start, and one already running answered 503 to every page.
    """
    if opens_read_only(path):
        db = connect(path, readonly=True)
        try:
            pending = migrations.pending_names(db)
        finally:
            db.close()
        if pending:
            raise read_only_outdated(path, len(pending))
        return
    db = connect(path)
    try:
        migrations.apply(db)
    finally:
        db.close()


def instance_secret_key(instance_path: Path) -> str:
    """The instance's secret key, generated on first run and kept out of the repository."""
    return config.instance_key(
        instance_path,
        "secret_key",
        lambda: secrets.token_hex(32),
        when_empty="delete it and start the editor again to generate a new key.",
    )


def _init_login(app: Flask) -> None:
    manager = LoginManager(app)
    manager.login_view = "auth.login"
    manager.login_message = "Sign in to continue."
    manager.login_message_category = "info"
    manager.session_protection = "basic"
    manager.user_loader(auth.load_user)


def _init_rate_limits(app: Flask) -> None:
    """Slow down password guessing: failed logins per address, and per account from one address;
    wrong current passwords on the Account page per account.

    Only failures count (a successful login answers 302). A limit per account
    alone would let anyone lock its owner out with a few wrong passwords from
    anywhere; per account and address, the owner signing in from their own
    address is never slowed by someone guessing from another. The limiter
    belongs to this app (not the module) so each app, and each test, counts
    on its own.
    """
    uri = app.config["RATELIMIT_STORAGE_URI"] or _login_counters(app.config["DATABASE"])
    limiter = Limiter(auth.limit_address, app=app, storage_uri=uri)
    login = app.view_functions["auth.login"]
    for limit, key in (
        (app.config["LOGIN_LIMIT_PER_ADDRESS"], auth.limit_address),
        (app.config["LOGIN_LIMIT_PER_ACCOUNT_ADDRESS"], auth.login_account_key),
    ):
        login = limiter.limit(limit, key_func=key, methods=["POST"], deduct_when=_failed)(login)
    app.view_functions["auth.login"] = login
    # The Account page's current password is a password check too: a session left open on a shared
    # machine must not try passwords there faster than at the sign-in form, to take the account over.
    app.view_functions["auth.change_password"] = limiter.limit(
        app.config["LOGIN_LIMIT_PER_ACCOUNT_ADDRESS"],
        key_func=auth.password_change_key,
        methods=["POST"],
        deduct_when=lambda response: bool(g.get("wrong_password")),
    )(app.view_functions["auth.change_password"])
    app.extensions["tracker_limiter"] = limiter


def _login_counters(database: str) -> str:
    """Where failed sign-ins are counted: the working database (login_limits.py), or, on one opened read-only
    (tracker.db.opens_read_only), each worker process's memory.

    A read-only copy cannot store a count: every wrong password failed past the sign-in page with "attempt
    to write a readonly database". Counted in memory, a guesser still meets the limits, only once per worker.
    """
    return "memory://" if opens_read_only(database) else login_limits.storage_uri(database)


def _refuse_control_characters() -> None:
    """A control character in a query parameter is never meant: 400, before any view sees it.

    A NUL in a search reached SQLite, and CR/LF in the login form's `next`
    reached a Location header; both answered 500. One rule for every page and
    API call, instead of a check in each.
    """
    for name, value in request.args.items(multi=True):
        if any(unicodedata.category(ch) == "Cc" for ch in name + value):
            raise TrackerError(f"The query parameter {name[:40]!r} holds a control character; remove it and try again.")


def _failed(response: Response) -> bool:
    """A login that did not sign anyone in; one that did answers 302, or 200 with a form to save (resume.py).

    One the tracker could not check (a 5xx: the accounts unreadable, the database busy) guessed nothing, and
    counted, it turned the page saying what was wrong into "too many attempts" after a few tries."""
    return response.status_code != 302 and response.status_code < 500 and not g.get("signed_in")


def _require_login() -> ResponseReturnValue | None:
    if request.endpoint in current_app.config["PUBLIC_ENDPOINTS"] or current_user.is_authenticated:
        return None
    if _is_api():
        return None  # the API authenticates each request itself and answers 401 in JSON
    lapsed = g.get("session_lapsed")
    if request.method in ("GET", "HEAD"):
        if lapsed:
            flash(f"{lapsed}. Sign in again to continue.", "info")
            return redirect(login_url(current_app.login_manager.login_view, request.url))  # type: ignore[attr-defined]
        return current_app.login_manager.unauthorized()  # type: ignore[attr-defined]
    changed = auth.password_changed_before()  # a password form sent twice: the first's change ended this session
    if changed is not None:
        return changed
    unsaved = resume.offer()
    if unsaved is not None:  # what was typed is shown, and offered to save once signed in
        return auth.login_page(unsaved, status=401)
    # Coming back to a form action after signing in would only give a 405; start from the login page.
    flash(f"{lapsed or 'Your session has ended'}, so nothing was saved. Sign in and try again.", "info")
    return redirect(url_for("auth.login"))


class _CappedStream(LimitedStream):
    """A body without Content-Length (Transfer-Encoding: chunked) read up to the request's size limit; past it, a 413.

    Werkzeug's own stream stops at the limit without a word when the whole
    body is read at once (a urlencoded form, JSON): a 3 MB form was handled as
    its first 2 MB, and JSON cut mid-value answered "Send a JSON object".
    Reaching the limit here looks one byte further, and a body that goes on is
    too large, as one whose Content-Length says so is.
    """

    def readinto(self, b: bytearray) -> int | None:  # type: ignore[override]
        if self.is_exhausted:
            self._refuse_more()
            return 0
        return super().readinto(b)

    def readall(self) -> bytes:
        data = super().readall()
        if self.is_exhausted:
            self._refuse_more()
        return data

    def _refuse_more(self) -> None:
        try:
            more = self._stream.read(1)
        except (OSError, ValueError):
            more = b""
        if more:
            raise RequestEntityTooLarge()


class _Request(Request):
    """Flask's request, with a chunked body held to the size limit (_CappedStream)."""

    @cached_property
    def stream(self):  # type: ignore[override]
        limit = self.max_content_length
        if limit is not None and self.content_length is None and "wsgi.input_terminated" in self.environ:
            return _CappedStream(self.environ["wsgi.input"], limit, is_max=True)
        return get_input_stream(self.environ, max_content_length=limit)


class _SessionCookies(SecureCookieSessionInterface):
    """The session cookie is Secure under TRACKER_HTTPS, and on any request that came over HTTPS.

    Behind a TLS-terminating proxy (TRACKER_PROXIES, which says whose X-Forwarded-Proto to believe) with
    TRACKER_HTTPS forgotten, the cookie went without Secure, and a browser sent it on the next plain-HTTP
    request for anyone on the network to read. Plain HTTP (a laptop's demo) still gets a cookie it sends back.
    """

    def get_cookie_secure(self, app: Flask) -> bool:
        return super().get_cookie_secure(app) or (has_request_context() and request.is_secure)


def _security_headers(response: Response) -> Response:
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    if current_app.config["SESSION_COOKIE_SECURE"]:
        response.headers.setdefault("Strict-Transport-Security", HSTS)
    if request.endpoint != "static":
        # Pages show confidential identities: keep them out of shared caches and the back-button cache.
        response.headers["Cache-Control"] = "no-store"
    return response


def _is_api() -> bool:
    return request.blueprint == "api" or request.path == "/api" or request.path.startswith("/api/")


def _storage_page(problem: StorageError) -> tuple[str, int]:
    """The 503 page for a full or read-only disk, said to the reporter in front of it.

    The disk's own message (which file, what to free or remount, the commands) is for
    whoever runs the tracker: a reporter cannot act on it, but can pass it on.
    """
    if isinstance(problem, FileSizeLimit):  # the disk may have room: the database file may not grow any larger
        said = (
            "The tracker's database has reached the largest file size it may have here, so this change was not saved."
        )
    elif isinstance(problem, DiskFull):
        said = "The disk the tracker saves to is full, so this change was not saved."
    elif isinstance(problem, ReadOnlyDatabase):  # a copy on a read-only share, or a disk that went read-only
        return _error_page(
            503,
            "Nothing was saved",
            "This database is read-only here, so this change was not saved (its pages can still be read and "
            "searched); tell whoever runs the tracker if it should take changes.",
            detail=str(problem),
        )
    else:
        said = "The tracker's database cannot be written to right now, so this change was not saved."
    message = f"{said} Tell whoever runs the tracker; once it is sorted, send your change again."
    return _error_page(503, "Nothing was saved", message, detail=str(problem))


DAMAGED = (
    "The tracker's database is damaged, so {outcome}; tell whoever runs the tracker, who can restore it from a backup."
)
# A sign-in saves nothing anyone typed: what failed is checking the password, and no retry gets past the same file.
SIGN_IN_UNREAD = (
    "Your sign-in could not be checked because the tracker's database cannot be read; tell whoever runs the tracker, "
    "who can check it and restore it from a backup."
)


def _damaged_page(e: BaseException) -> ResponseReturnValue | None:
    """The 503 for a working database SQLite finds damaged ("database disk image is malformed"), or None for any
    other error. It was the unexpected error's "Try again in a moment", and trying again meets the same page: the
    reporter is told to pass it on, whoever runs the tracker reads SQLite's words and how to restore beneath.

    A sign-in is told that it could not be checked (not that a change was not saved), and so when the accounts'
    table is gone: the sign-in cannot be checked without it, and trying again meets the same file."""
    signing_in = request.endpoint == "auth.login" and request.method == "POST"
    if not (damaged(e) or (signing_in and missing_table(e))):
        return None
    detail = str(database_error(e, current_app.config["DATABASE"]))
    current_app.logger.error("%s %s: %s", request.method, request.path, detail)
    if signing_in:
        return _error_page(503, "Your sign-in could not be checked", SIGN_IN_UNREAD, detail=detail)
    read = request.method in ("GET", "HEAD")
    said = DAMAGED.format(outcome="this could not be read" if read else "this change was not saved")
    if _is_api():
        refused = TrackerError(said)
        refused.status_code = 503
        return api.error_response(refused)
    return _error_page(503, "The database is damaged", said, detail=detail)


def _error_page(
    status: int,
    title: str,
    message: str,
    unsaved: resume.Resume | None = None,
    detail: str | None = None,
    back: str | None = None,
    latest: str | None = None,
) -> tuple[str, int]:
    """The error page; `back`: the form a refused post came from, whose copy in the tab offers what was typed;
    `latest`: the latest revision's page, for a link to a revision that does not exist."""
    typed = [] if unsaved else _typed_back(status)
    try:
        current_user.is_authenticated  # noqa: B018 - loads the account the page's menu names
    except sqlite3.Error:
        # The database could not even be opened (its disk went read-only): the page, with what the form
        # sent, is shown signed out; loading the account again while rendering would fail past every handler.
        current_app.login_manager._update_request_context_with_user()  # type: ignore[attr-defined]
    page = render_template(
        "error.html",
        status=status,
        title=title,
        message=message,
        detail=detail,
        typed=typed,
        unsaved=unsaved,
        back=back,
        latest=latest,
        refused_copy=drafts.refused_name(status),
        files_sent=[] if unsaved else _files_sent(status),
    )
    return page, status


def _files_sent(status: int) -> list[str]:
    """The names of the files a form sent that could not be saved (503), which no page can hand back.

    A document or an attachment sent onto a full or read-only disk got a page saying to send the change
    again, with nothing about the file: the reporter is told which to choose again.
    """
    if status != 503 or request.method != "POST":
        return []
    try:
        return [f.filename for f in request.files.values() if f.filename]
    except HTTPException:  # a body that cannot be read at all: no names to give
        return []


def _typed_back(status: int) -> list[tuple[str, str]]:
    """What a form sent that could not be saved (503: a full or read-only disk, a busy database), to copy.

    The error page replaces the form, and a reporter's paragraph must not go
    with it. Only after a 503, a request that could not be saved: a refused
    one (a forged post without its CSRF token is a 400) gets no page of its
    own text.
    """
    if status != 503 or request.method != "POST" or request.endpoint in resume.SECRET_FORMS:
        return []
    sent = request.form.items(multi=True)
    if request.endpoint == "auth.login":  # the sign-in's own fields are never shown; the form it carried is
        carried = resume.carried()
        sent = carried.fields if carried is not None else ()
    return resume.shown_fields((name, value) for name, value in sent if name not in resume.UNSHOWN_FIELDS)


def _init_errors(app: Flask) -> None:
    @app.errorhandler(TrackerError)
    def tracker_error(e: TrackerError) -> ResponseReturnValue:
        if _is_api():
            return api.error_response(e)
        status = getattr(e, "status_code", 400)
        title = FRIENDLY_HTTP.get(status, FRIENDLY_HTTP[400])[0]
        if isinstance(e, StoryNotFound):  # its message names the command line's slug and `stories` command
            return _error_page(status, title, f"No story has the short name {e.slug!r}; the Stories page lists them.")
        if isinstance(e, SourceNotFound):  # and this one the `sources` command
            return _error_page(
                status, title, f"No source has the number {e.source_id}; each story's Sources tab lists its sources."
            )
        if isinstance(e, StorageError):  # raised as such where a write failed (the disk's message names files)
            return _storage_page(e)
        return _error_page(status, title, str(e), latest=getattr(e, "latest_url", None))

    @app.errorhandler(CSRFError)
    def csrf_error(e: CSRFError) -> ResponseReturnValue:
        if _is_api():
            return api.error_response(
                TrackerError("Missing or wrong CSRF token: send X-CSRFToken, or use a bearer token instead.")
            )
        changed = auth.password_changed_before()  # the same form sent again: its change renewed the session
        if changed is not None:
            return changed
        unsaved = resume.offer() if current_user.is_authenticated else None
        if unsaved is not None:  # a page from before signing in again: same text, a fresh token
            return _error_page(
                400,
                "This form has expired",
                "The form came from a page opened before you last signed in, so nothing was saved yet. "
                "Check what you sent below and save it now.",
                unsaved,
            )
        return _error_page(
            400,
            "This form has expired",
            "The form was sent without its security token, or from an old page. Nothing was saved. "
            "Go back, reload the page, and submit again.",
        )

    @app.errorhandler(HTTPException)
    def http_error(e: HTTPException) -> ResponseReturnValue:
        if e.code is None or e.code < 400:
            return e
        if e.code == 413:  # the limit and what to do, on a page and in the API alike
            e.description = documents.too_large() or FRIENDLY_HTTP[413][1].format(
                size=size_in_words(request.max_content_length or 0)
            )
        if _is_api():
            return api.error_response(e)
        title, message = FRIENDLY_HTTP.get(e.code, (e.name, e.description or ""))
        back = None
        if e.code == 413:
            message, back = e.description, resume.form_page()
        if e.code == 429 and request.endpoint == "auth.login" and request.method == "POST":
            # Too many wrong passwords: a form carried through the sign-in (resume.py) must not go with them.
            unsaved = resume.carried()
            if unsaved is not None:
                return auth.login_page(unsaved, error=message, status=429)
        page = make_response(_error_page(e.code, title, message, back=back))
        if getattr(e, "retry_after", None) is not None:  # a refusal that says when to come back (RFC 9110)
            page.headers["Retry-After"] = dict(e.get_headers())["Retry-After"]
        return page

    @app.errorhandler(sqlite3.OperationalError)
    def busy(e: sqlite3.OperationalError) -> ResponseReturnValue:
        disk = storage_error(e, current_app.config["DATABASE"])
        if disk is not None:  # a full or read-only disk: nothing was saved, and the reason is worth reading
            if _is_api():
                return api.error_response(disk)
            return _storage_page(disk)
        if "locked" not in str(e) and "busy" not in str(e):
            page = _damaged_page(e)  # a sign-in whose accounts' table is gone
            if page is None:
                raise e
            return page
        if isinstance(e, WriterWaitTimeout):  # another tracker process stopped (Ctrl-Z) or hung inside a write
            said = e.explain("this change was not saved", current_app.config["DATABASE"])
            if _is_api():
                return api.error_response(DatabaseBusy(said))
            return _error_page(
                503,
                "Nothing was saved",
                f"Another tracker program has kept the database busy for {e.seconds:g} s, so this change was not "
                "saved. Tell whoever runs the tracker; once it is sorted, send your change again.",
                detail=said,
            )
        if _is_api():
            busy_error = TrackerError("The database is busy; nothing was lost, try again.")
            busy_error.status_code = 503
            return api.error_response(busy_error)
        return _error_page(503, "The database is busy", "Another change is being saved. Nothing was lost: try again.")

    @app.errorhandler(sqlite3.DatabaseError)
    def damaged(e: sqlite3.DatabaseError) -> ResponseReturnValue:
        page = _damaged_page(e)
        if page is None:
            raise e
        return page

    @app.errorhandler(InternalServerError)
    def server_error(e: InternalServerError) -> ResponseReturnValue:
        # A full or read-only disk met after the view answered (the login limits count a failed sign-in then)
        # comes here, past the handler above: it is still that disk, and what the form sent is still shown.
        disk = storage_error(e.original_exception, current_app.config["DATABASE"]) if e.original_exception else None
        if disk is not None:
            return api.error_response(disk) if _is_api() else _storage_page(disk)
        page = _damaged_page(e.original_exception) if e.original_exception else None
        if page is not None:  # met while the answer was drawn, past the handler above
            return page
        if _is_api():
            return api.error_response(e)
        return _error_page(500, *FRIENDLY_HTTP[500])


def _init_templates(app: Flask) -> None:
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    app.jinja_env.finalize = display.shown
    app.add_template_filter(when)
    app.add_template_filter(when_date)
    app.add_template_filter(display.unquoted)
    app.add_template_filter(display.quoted)
    # Globals, not a context processor: templates import _macros.html without context, so it is compiled once.
    app.jinja_env.globals.update(display.template_context())
    app.jinja_env.globals["MAX_COVERAGE_CHOICES"] = evidence.MAX_COVERAGE_CHOICES  # the evidence form says it
    app.jinja_env.globals["saved_draft"] = drafts.saved_draft
    app.jinja_env.globals["new_copy_name"] = drafts.new_name
    app.jinja_env.globals["drafts_to_forget"] = drafts.drafts_to_forget
    # Every page says so on a database opened read-only (tracker/editor/db.py): browsing works, changes do not.
    app.context_processor(lambda: {"read_only_database": opens_read_only(app.config["DATABASE"])})
