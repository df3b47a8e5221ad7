"""Account → Alert settings: a person's destinations and subscriptions, editors' story defaults, and the in-app list.

Thin over tracker.alerts: every form posts to a domain function and comes
back here with a flashed line; a refused destination URL is one line, and
what was typed stays in the form (except the URL, which may hold a secret
and is never echoed back into a page).
"""

from __future__ import annotations

import logging
import math
import sqlite3

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from werkzeug.exceptions import TooManyRequests

from tracker import stories
from tracker.alerts import destinations, notifications, subscriptions
from tracker.alerts import unsubscribe as unsubscribing
from tracker.db import NotFound, TrackerError, database_error
from tracker.db import damaged as database_damaged
from tracker.editor import drafts, forms
from tracker.editor.auth import current_row, limit_address, require_admin, require_editor
from tracker.editor.client_rate import RateLimit
from tracker.editor.db import get_db
from tracker.vocab import ALERT_KINDS, ALERT_MODES

bp = Blueprint("alerts", __name__)
log = logging.getLogger(__name__)
# The app's extension holding the clock of the unsubscribe limit (create_app's rate_clock: time.monotonic unless a
# test holds it still).
RATE_CLOCK = "tracker_rate_clock"

ZONES = ("UTC", "Europe/London", "Europe/Berlin", "Europe/Paris", "America/New_York", "America/Chicago",
         "America/Los_Angeles", "Asia/Tokyo", "Asia/Kolkata", "Australia/Sydney")  # fmt: skip


@bp.app_context_processor
def unread_alerts() -> dict:
    """The header's badge: unread notifications of the signed-in person (one indexed count per page)."""
    if not current_user.is_authenticated:
        return {}
    try:
        unread = notifications.unread_count(get_db(), current_user.id)
    except sqlite3.DatabaseError as e:
        # Every page draws the badge, the one saying the database is damaged too: a damaged alerts table took each
        # one down past every handler. The badge is left out (logged for whoever runs the tracker); a page reading
        # those rows itself (the notifications) meets the damage and says so.
        if not database_damaged(e):
            raise
        log.error(
            "The unread notifications could not be counted: %s", database_error(e, current_app.config["DATABASE"])
        )
        return {}
    return {"unread_alerts": unread}


@bp.route("/account/alerts")
def settings() -> ResponseReturnValue:
    """Where alerts go, which ones, and when; what was sent and what failed."""
    return _settings_page()


def _settings_page(
    typed: dict | None = None, error: str | None = None, status: int = 200, field: str | None = None
) -> ResponseReturnValue:
    db = get_db()
    user = current_row()
    return (
        render_template(
            "account/alerts.html",
            destinations=destinations.list_for(db, user["id"]),
            stopped=destinations.stopped_for(db, user["id"]),
            everyone=destinations.list_for(db) if user["role"] == "admin" else [],
            subscriptions=subscriptions.list_own(db, user["id"]),
            defaults=subscriptions.story_defaults(db),
            deliveries=destinations.recent_deliveries(db, user["id"]),
            stories=stories.list_stories(db),
            kinds=ALERT_KINDS,
            kind_labels=subscriptions.KIND_LABELS,
            modes=ALERT_MODES,
            mode_labels=subscriptions.MODE_LABELS,
            zones=ZONES,
            typed=typed or {},
            error=error,
            field=field,
        ),
        status,
    )


def _fields() -> dict:
    form = request.form
    return {
        "story_id": _story_choice(form.get("story_id")),
        "kinds": form.getlist("kinds"),
        "keywords": form.get("keywords", ""),
        "claimants": form.get("claimants", ""),
        "mode": form.get("mode", "immediate"),
        "daily_at": form.get("daily_at", ""),
        "quiet_start": form.get("quiet_start", ""),
        "quiet_end": form.get("quiet_end", ""),
        "timezone": form.get("timezone", "UTC"),
    }


def _story_choice(value: str | None) -> int | str | None:
    """The chosen story's id as a number, or the text sent when it is none.

    Not refused here: read before a view's `try`, a refusal gave the error page
    and lost the form; _chosen_story refuses it inside, so the form comes back.
    """
    try:
        return forms.form_int(value) if value else None
    except TrackerError:
        return value


def _chosen_story(fields: dict, required: bool = False) -> dict | None:
    """The story chosen in the form, or None for "every story"; one in the list, else a refusal marking the choice.

    A whole number SQLite can hold (a larger one failed in the query, a 500) and a story that exists.
    """
    story_id = fields["story_id"]
    if story_id is None and not required:
        return None
    try:
        if not isinstance(story_id, int):
            raise NotFound("No such story.")
        return stories.get_story_by_id(get_db(), story_id)
    except NotFound:
        raise TrackerError("Choose a story from the list.", field="story_id") from None


@bp.route("/account/alerts/subscriptions", methods=("POST",))
def add_subscription() -> ResponseReturnValue:
    fields = _fields()
    db = get_db()

    def subscribe() -> str:
        subscriptions.save(db, current_row(), fields)
        return url_for("alerts.settings") + "#subscriptions"

    try:
        _chosen_story(fields)
        location, saved = drafts.once(db, subscribe)
    except TrackerError as e:
        return _settings_page({"subscription": fields}, str(e), 422, e.field)
    # Sent twice, a second subscription alike would send each alert twice.
    flash(
        "Subscription saved." if saved else "This form's subscription was already saved (it was sent twice).", "success"
    )
    return redirect(location)


@bp.route("/account/alerts/subscriptions/<int:subscription_id>", methods=("POST",))
def update_subscription(subscription_id: int) -> ResponseReturnValue:
    fields = _fields()
    try:
        _chosen_story(fields)
        subscriptions.save(get_db(), current_row(), fields, subscription_id)
    except TrackerError as e:
        if e.status_code == 404:
            raise
        return _settings_page({"subscription": fields, "editing": subscription_id}, str(e), 422, e.field)
    flash("Subscription updated.", "success")
    return redirect(url_for("alerts.settings") + "#subscriptions")


@bp.route("/account/alerts/subscriptions/<int:subscription_id>/delete", methods=("POST",))
def delete_subscription(subscription_id: int) -> ResponseReturnValue:
    db = get_db()

    def remove() -> str:
        subscriptions.delete(db, current_row(), subscription_id)
        return url_for("alerts.settings") + "#subscriptions"

    # Sent twice (a double click), the second send found nothing to remove: a 404 for what had just been done.
    location, removed = drafts.once(db, remove)
    flash("Subscription removed." if removed else "This subscription was already removed (sent twice).", "success")
    return redirect(location)


@bp.route("/account/alerts/defaults", methods=("POST",))
def story_default() -> ResponseReturnValue:
    """Editors: what everyone without their own subscription for this story receives."""
    require_editor("set a story's default alerts")
    db = get_db()
    fields = _fields()
    try:
        story = _chosen_story(fields, required=True)
        subscriptions.set_story_default(db, current_row(), story["id"], fields)
    except TrackerError as e:
        return _settings_page({"default": fields}, str(e), 422, e.field)
    flash(f"Default alerts for “{story['title']}” saved: they reach everyone without their own.", "success")
    return redirect(url_for("alerts.settings") + "#defaults")


@bp.route("/account/alerts/destinations", methods=("POST",))
def add_destination() -> ResponseReturnValue:
    label = request.form.get("label", "")
    per_minute = forms.whole_number(request.form.get("per_minute") or "30") or 0  # not a number: refused as 0
    db = get_db()

    def add() -> str:
        destinations.add(db, current_row(), label, request.form.get("url", ""), per_minute=per_minute)
        return url_for("alerts.settings") + "#destinations"

    try:
        # Sent twice, a second destination alike would get each alert twice. Its address stays out of the record.
        location, added = drafts.once(db, add, unhashed=("url",))
    except TrackerError as e:
        typed = {"label": label, "per_minute": request.form.get("per_minute", "")}  # as typed, not as read
        return _settings_page({"destination": typed}, str(e), 422, e.field)
    shown = " ".join(label.split())
    flash(
        f"Destination “{shown}” added. Its address is stored encrypted and shown masked."
        if added
        else f"This form's destination “{shown}” was already added (it was sent twice).",
        "success",
    )
    return redirect(location)


@bp.route("/account/alerts/destinations/<int:destination_id>/delete", methods=("POST",))
def delete_destination(destination_id: int) -> ResponseReturnValue:
    db = get_db()

    def remove() -> str:
        destinations.remove(db, current_row(), destination_id)
        return url_for("alerts.settings") + "#destinations"

    location, removed = drafts.once(db, remove)  # sent twice: said done, not "not found"
    flash(
        "Destination removed; nothing more is sent there."
        if removed
        else "This destination was already removed (sent twice); nothing more is sent there.",
        "success",
    )
    return redirect(location)


@bp.route("/account/alerts/destinations/<int:destination_id>/resume", methods=("POST",))
def resume_destination(destination_id: int) -> ResponseReturnValue:
    """Send again to an email destination the unsubscribe link of its messages stopped."""
    found = destinations.resume(get_db(), current_row(), destination_id)
    flash(f"Alerts go to “{found['label']}” again, from now on.", "success")
    return redirect(url_for("alerts.settings") + "#destinations")


@bp.route(unsubscribing.PATH + "<token>", methods=("GET", "POST"))
def unsubscribe(token: str) -> ResponseReturnValue:
    """The List-Unsubscribe link of an alert email: a GET asks, a POST stops the address the email went to (the
    link of an email sent before each address had its own: its whole destination).

    No sign-in and no CSRF token (RFC 8058: the mailbox provider POSTs it),
    so it does nothing else, and answers alike whatever the token: whether
    a link is real, used already, or whose it is, is never said. The body
    is not read: RFC 8058's `List-Unsubscribe=One-Click` is all it may hold.
    Past UNSUBSCRIBE_PER_MINUTE requests from one address, a 429 with
    Retry-After, before the token is looked at: the same for every token.
    """
    wait = _unsubscribe_limit().take(limit_address())
    if wait:
        raise TooManyRequests(retry_after=math.ceil(wait))
    done = request.method == "POST"
    if done and unsubscribing.stop(get_db(), token):
        log.info("an alert email address was stopped by its unsubscribe link")
    # The question names who stops with this link (its address; an older link: a desk list's every reader); the
    # answer to a POST is the same for every token.
    stopping = {"shown": [], "blind": 0} if done else unsubscribing.addresses(get_db(), token)
    return render_template("account/unsubscribe.html", done=done, token=token, stopping=stopping)


@bp.after_request
def _unsubscribe_headers(response):
    """The unsubscribe page's answers, its 429 included: its address holds the token."""
    if request.endpoint == "alerts.unsubscribe":
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _unsubscribe_limit() -> RateLimit:
    """This app's count of unsubscribe requests per client address (made at the first one, from the config).

    A rate below 1 is read as 1: a link nobody could ever use would take every alert email's Unsubscribe button
    away, which mailbox providers hold against the sender.
    """
    limit = current_app.extensions.get("unsubscribe_limit")
    if limit is None:
        config = current_app.config
        limit = current_app.extensions.setdefault(
            "unsubscribe_limit",
            RateLimit(
                max(config["UNSUBSCRIBE_PER_MINUTE"], 1),
                clock=current_app.extensions[RATE_CLOCK],
                max_clients=config["UNSUBSCRIBE_CLIENTS"],
            ),
        )
    return limit


@bp.route("/account/alerts/destinations/<int:destination_id>/internal", methods=("POST",))
def set_internal(destination_id: int) -> ResponseReturnValue:
    """Admins: may internal notes and rationales go to this destination?"""
    require_admin()
    internal = request.form.get("internal") == "1"
    destinations.set_internal(get_db(), current_row(), destination_id, internal)
    flash("Marked internal: messages there include internal notes and rationales." if internal
          else "No longer internal: messages there leave out internal notes and rationales.", "success")  # fmt: skip
    return redirect(url_for("alerts.settings") + "#everyone")


@bp.route("/alerts")
def inbox() -> ResponseReturnValue:
    """Your notifications, newest first; opening the list does not mark them read, the button does.

    A `before` that is no notification's id (a link cut short or typed over) is said in one line above the first
    page (400, as the API answers it): shown silently, the newest page passed for the older one the link asked for.
    """
    db = get_db()
    raw = request.args.get("before", "")
    before = forms.query_id(raw) if raw else None
    damaged = bool(raw) and not before
    found = notifications.latest(db, current_user.id, limit=50, before=before)
    return render_template(
        "account/inbox.html",
        notes=found,
        kind_labels=subscriptions.KIND_LABELS,
        older=found[-1]["id"] if len(found) == 50 else None,
        damaged=damaged,
    ), (400 if damaged else 200)


@bp.route("/alerts/read", methods=("POST",))
def mark_read() -> ResponseReturnValue:
    ids = [int(i) for i in request.form.getlist("id") if forms.is_digits(i)]
    changed = notifications.mark_read(get_db(), current_user.id, ids or None)
    flash(f"{changed} notification{'s' if changed != 1 else ''} marked read.", "success")
    return redirect(url_for("alerts.inbox"))
