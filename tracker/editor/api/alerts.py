"""Alerts in the JSON API: your subscriptions, destinations (masked) and notifications; story defaults for editors.

A destination's URL goes in once and never comes back out: answers carry
only its masked form. A URL Apprise cannot use, or one that points into the
newsroom's network, is refused with a one-line message (400).
"""

from __future__ import annotations

from flask import jsonify
from flask.typing import ResponseReturnValue

from tracker import stories
from tracker.alerts import destinations, notifications, subscriptions
from tracker.editor.api import schemas
from tracker.editor.api.routing import api_user, endpoint
from tracker.editor.db import get_db
from tracker.vocab import ALERT_KINDS, ALERT_MODES

STR, ID, STAMP, NULLABLE_STR = schemas.STR, schemas.ID, schemas.STAMP, schemas.NULLABLE_STR
CLOCK = {"type": ["string", "null"], "maxLength": 5, "description": "A time of day, HH:MM."}
KINDS = {"type": "array", "maxItems": len(ALERT_KINDS), "items": {"type": "string", "enum": list(ALERT_KINDS)}}
# `before` pages as the inbox does; a bad one was ignored and the newest page came back as if it were older.
NOTIFICATION_PARAMS = {"before": {**ID, "description": "Only notifications older than this id (the last one shown)."}}
SUB_FIELDS = {
    "story": {**NULLABLE_STR, "description": "A story's slug; null for every story."},
    "kinds": {**KINDS, "description": "Event kinds to hear about; empty mutes the story."},
    "keywords": {"type": "string", "maxLength": 1300, "description": "Comma-separated; only events mentioning one."},
    "claimants": {"type": "string", "maxLength": 1300, "description": "Comma-separated parts of claimant names."},
    "mode": {"type": "string", "enum": list(ALERT_MODES)},
    "daily_at": CLOCK,
    "quiet_start": CLOCK,
    "quiet_end": CLOCK,
    "timezone": {"type": "string", "maxLength": 60, "description": "IANA name, e.g. Europe/London."},
}
SCHEMAS = {
    "Subscription": schemas.obj({"id": ID, **SUB_FIELDS, "default": {"type": "boolean"}, "updated_at": STAMP}),
    "SubscriptionList": schemas.obj(
        {
            "subscriptions": {"type": "array", "items": schemas.ref("Subscription")},
            "defaults": {"type": "array", "items": schemas.ref("Subscription")},
        }
    ),
    "SubscriptionCreate": schemas.obj(SUB_FIELDS, required=["kinds"]),
    "Destination": schemas.obj(
        {
            "id": ID,
            "label": STR,
            "url_masked": {"type": "string", "description": "Never the full URL: it holds secrets."},
            "internal": {"type": "boolean", "description": "An admin allowed internal notes here."},
            "per_minute": ID,
            "failures": {"type": "integer", "minimum": 0, "description": "Failed sends in a row."},
            "last_error": NULLABLE_STR,
            "last_ok_at": NULLABLE_STR,
        }
    ),
    "DestinationList": schemas.obj({"destinations": {"type": "array", "items": schemas.ref("Destination")}}),
    "DestinationCreate": schemas.obj(
        {
            "label": {"type": "string", "minLength": 1, "maxLength": 80},
            "url": {"type": "string", "minLength": 1, "maxLength": 2000, "description": "An Apprise URL."},
            "per_minute": {"type": "integer", "minimum": 1, "maximum": 600, "default": 30},
        },
        required=["label", "url"],
    ),
    "Notification": schemas.obj(
        {
            "id": ID,
            "kind": STR,
            "subject": STR,
            "story": NULLABLE_STR,
            "at": STAMP,
            "read": {"type": "boolean"},
            "path": {"type": "string", "description": "The editor page, relative to the editor's address."},
        }
    ),  # fmt: skip
    "NotificationList": schemas.obj(
        {
            "unread": {"type": "integer", "minimum": 0},
            "notifications": {"type": "array", "items": schemas.ref("Notification")},
        }
    ),  # fmt: skip
    "MarkRead": schemas.obj(
        {"ids": {"type": "array", "maxItems": 500, "items": ID, "description": "Omit to mark all read."}},
        required=[],
    ),
    "Count": schemas.obj({"count": {"type": "integer", "minimum": 0}}),
}
WRITE_ERRORS = {400: "Error", 401: "Error", 404: "Error", 422: "Error"}
# What no schema can state (listed in each operation's x-rules; docs/api.md says why).
SUBSCRIPTION_RULE = "a time zone that is not an IANA name, or a time that is not HH:MM"
DESTINATION_RULE = "a URL of a service the alerts cannot send to, or an address the fetch guard refuses"
DELETE_DESTINATION = {"operationId": "delete_destination", "parameters": {"destination_id": "$response.body#/id"}}


def _fields(db, body: dict) -> dict:
    story = body.get("story")
    return {**body, "story_id": stories.get_story(db, story)["id"] if story else None}


def subscription_json(sub: dict) -> dict:
    return {
        "id": sub["id"],
        "story": sub.get("story_slug"),
        "kinds": (sub["kinds"] or "").split(),
        "keywords": sub["keywords"],
        "claimants": sub["claimants"],
        "mode": sub["mode"],
        "daily_at": sub["daily_at"],
        "quiet_start": sub["quiet_start"],
        "quiet_end": sub["quiet_end"],
        "timezone": sub["timezone"],
        "default": sub["user_id"] is None,
        "updated_at": sub["updated_at"],
    }


def destination_json(d: dict) -> dict:
    keys = ("id", "label", "url_masked", "per_minute", "failures", "last_error", "last_ok_at")
    return {**{k: d[k] for k in keys}, "internal": bool(d["internal"])}


@endpoint("GET", "/alerts/subscriptions", "Your alert subscriptions, and the story defaults",
          {200: "SubscriptionList", 401: "Error"})  # fmt: skip
def list_subscriptions() -> ResponseReturnValue:
    db = get_db()
    return jsonify(
        {
            "subscriptions": [subscription_json(s) for s in subscriptions.list_own(db, api_user()["id"])],
            "defaults": [subscription_json(s) for s in subscriptions.story_defaults(db)],
        }
    )


@endpoint("POST", "/alerts/subscriptions", "Subscribe to alerts", {201: "Subscription", **WRITE_ERRORS},
          body="SubscriptionCreate", rules={400: SUBSCRIPTION_RULE})  # fmt: skip
def create_subscription(body: dict) -> ResponseReturnValue:
    db = get_db()
    sub = subscriptions.save(db, api_user(), _fields(db, body))
    return jsonify(subscription_json(sub)), 201


@endpoint("POST", "/alerts/subscriptions/{subscription_id}/delete", "Remove one of your subscriptions",
          {200: "Count", 401: "Error", 403: "Error", 404: "Error"})  # fmt: skip
def delete_subscription(subscription_id: int) -> ResponseReturnValue:
    subscriptions.delete(get_db(), api_user(), subscription_id)
    return jsonify({"count": 1})


@endpoint("POST", "/stories/{slug}/alerts-default", "Set what everyone without their own subscription receives",
          {200: "Subscription", 403: "Error", **WRITE_ERRORS}, body="SubscriptionCreate", editors_only=True,
          rules={400: SUBSCRIPTION_RULE},
          forbidden="Only editors and admins set a story's default alerts.")  # fmt: skip
def set_story_default(slug: str, body: dict) -> ResponseReturnValue:
    db = get_db()
    story = stories.get_story(db, slug)
    sub = subscriptions.set_story_default(db, api_user(), story["id"], {k: v for k, v in body.items() if k != "story"})
    return jsonify(subscription_json(sub))


@endpoint("GET", "/alerts/destinations", "Where your alerts go (masked)", {200: "DestinationList", 401: "Error"})
def list_destinations() -> ResponseReturnValue:
    found = destinations.list_for(get_db(), api_user()["id"])
    return jsonify({"destinations": [destination_json(d) for d in found]})


@endpoint(
    "POST",
    "/alerts/destinations",
    "Add a destination (an Apprise URL, stored encrypted)",
    {201: "Destination", **WRITE_ERRORS},
    body="DestinationCreate",
    rules={400: DESTINATION_RULE},
    keyed=False,
    links={"Delete": DELETE_DESTINATION},
)  # fmt: skip  (its address holds a password: no Idempotency-Key record keeps it, even hashed)
def create_destination(body: dict) -> ResponseReturnValue:
    saved = destinations.add(get_db(), api_user(), body["label"], body["url"], per_minute=body.get("per_minute", 30))
    return jsonify(destination_json(saved)), 201


@endpoint("POST", "/alerts/destinations/{destination_id}/delete", "Stop sending to a destination",
          {200: "Count", 401: "Error", 404: "Error"})  # fmt: skip
def delete_destination(destination_id: int) -> ResponseReturnValue:
    destinations.remove(get_db(), api_user(), destination_id)
    return jsonify({"count": 1})


@endpoint("GET", "/alerts/notifications", "Your notifications, newest first, with the unread count",
          {200: "NotificationList", 400: "Error", 401: "Error"}, params=NOTIFICATION_PARAMS)  # fmt: skip
def list_notifications(query: dict) -> ResponseReturnValue:
    db = get_db()
    user_id = api_user()["id"]
    found = notifications.latest(db, user_id, limit=100, before=query.get("before"))
    return jsonify(
        {
            "unread": notifications.unread_count(db, user_id),
            "notifications": [
                {
                    "id": n["id"],
                    "kind": n["kind"],
                    "subject": n["subject"],
                    "story": n["story_slug"],
                    "at": n["at"],
                    "read": n["read_at"] is not None,
                    "path": n["path"],
                }
                for n in found
            ],  # fmt: skip
        }
    )


@endpoint("POST", "/alerts/notifications/read", "Mark notifications read (all of them without ids)",
          {200: "Count", **WRITE_ERRORS}, body="MarkRead")  # fmt: skip
def mark_notifications_read(body: dict) -> ResponseReturnValue:
    return jsonify({"count": notifications.mark_read(get_db(), api_user()["id"], body.get("ids"))})
