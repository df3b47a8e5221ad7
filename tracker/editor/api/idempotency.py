"""Idempotency-Key on the API's creating operations: a POST sent again after its answer was lost makes nothing twice.

A tool on a flaky connection cannot tell a request that never arrived from
one whose answer was lost, so it sends it again, and a claim, a note or a
file was made twice. As the field does (Stripe's `Idempotency-Key`), the tool
names each request with a key of its own; the first answer to a key is kept
a day (KEPT_FOR) for the account that sent it, and the same key with the same
request (method, path and JSON body) gets that answer again, status, body and
Location, with `Idempotent-Replayed: true`, and makes nothing. The same key with
another request is refused (422): a key names one request. A key whose first
request is still being answered (both sent at once) is 409: wait, then send
again. Refusals are kept too (a refused quote is refused again, never run twice);
a 5xx is not ("nothing was saved"), so its retry runs.

Only what a replay needs is kept. An answer holding confidential fields (a claim's
source and internal notes, a ruling's rationale, a reporting note's who and notes)
keeps no body: its operation names the resource it showed (`shows`), and the replay
reads it again (`rereads`) as GET shows it now, to an account whose token still
works. A day of copies of a source's name beside the account is gone, and one
cleared from the claim is not shown again by a retry. Every other answer (evidence,
a document, a development...) is kept as it was, with no field of CONFIDENTIAL in it.

The record is made before the operation runs and completed after it, each in its
own short transaction: the operation may fetch a URL or read a large file, which
must not hold the writers' queue. A server stopped between the two leaves a
record with no answer; its key answers 409 until it expires, so a request that
may have been made is never made again unseen: check, and send with a new key.

An operation whose body holds a secret (an alert destination's address) takes
no key: a digest of it would be a hash of the secret, kept a day beside the account.
"""

from __future__ import annotations

import hashlib
import json
import re
import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from flask import Response, current_app, g, jsonify, request
from flask.typing import ResponseReturnValue
from werkzeug.exceptions import HTTPException

from scrapers.timestamps import format_time
from tracker.db import TrackerError, now, path_of, storage_error, transaction
from tracker.editor.db import get_db

HEADER = "Idempotency-Key"
# Printable ASCII without spaces, as a header carries it unchanged; a UUID or a random token fits.
KEY = re.compile(r"[!-~]{1,255}")
KEY_SCHEMA = {
    "type": "string",
    "minLength": 1,
    "maxLength": 255,
    "pattern": "^[!-~]+$",
    "description": "A key of your own naming this request (a UUID): sent again with the same request within a day, "
    "it gets the first answer again and makes nothing; with another request, 422.",
}
KEPT_FOR = timedelta(hours=24)
# How many expired records one new key removes, oldest first: each request adds at most one.
EXPIRED_PER_KEY = 50
# What the document lists under 422 and 409 (x-rules): refusals a request that fits the schema can get.
REUSED_RULE = f"an {HEADER} sent within a day with another request (a key names one request)"
BUSY_RULE = f"an {HEADER} whose first request is still being answered"
REPLAYED = "Idempotent-Replayed"
# The fields of an answer that are never published (the API's document says so of each): no kept answer holds one.
CONFIDENTIAL = frozenset({"source_identity", "internal_notes", "identity", "notes", "rationale"})
# Each resource kind an answer can name (`shows`), and how its replay reads it again: (db, *ids) -> JSON.
_READERS: dict[str, Callable[..., object]] = {}
_SHOWN = "idempotent_resource"


class KeyRefused(TrackerError):
    """A malformed key, a key reused for another request, or one whose first request is still being answered."""

    def __init__(self, message: str, status_code: int):
        super().__init__(message)
        self.status_code = status_code


def rereads(kind: str) -> Callable[[Callable[..., object]], Callable[..., object]]:
    """Register how a replay reads a `kind` of resource again: `reader(db, *ids)`, the answer's JSON as it is now."""

    def register(reader: Callable[..., object]) -> Callable[..., object]:
        _READERS[kind] = reader
        return reader

    return register


def shows(kind: str, *ids: int) -> None:
    """The answer being made shows this resource: a keyed request keeps its name, not the answer's body."""
    if kind not in _READERS:
        raise ValueError(f"no reader registered for {kind!r}")
    setattr(g, _SHOWN, [kind, *ids])


def sent_key() -> str | None:
    """The request's Idempotency-Key, or None without one; a malformed one is refused before anything is made."""
    key = request.headers.get(HEADER)
    if key is None:
        return None
    if not KEY.fullmatch(key):
        raise KeyRefused(f"{HEADER} must be 1 to 255 printable ASCII characters without spaces (a UUID fits).", 400)
    return key


def once(user_id: int, key: str, answer: Callable[[], ResponseReturnValue]) -> ResponseReturnValue:
    """The answer to this request under `key`: the first one again if it was answered, else `answer()`'s, kept."""
    db = get_db()
    sent = _request_digest()
    with transaction(db):
        _remove_expired(db)
        row = db.execute(
            "SELECT request, status, response, location, resource FROM api_idempotency_keys "
            "WHERE user_id = ? AND key = ? AND created_at >= ?",
            [user_id, key, _expired_before()],
        ).fetchone()
        if row is None:
            db.execute(
                "INSERT OR REPLACE INTO api_idempotency_keys (user_id, key, request, created_at) VALUES (?, ?, ?, ?)",
                [user_id, key, sent, now()],
            )
    if row is not None:
        return _earlier(row, sent)
    try:
        response = current_app.make_response(answer())
    except (TrackerError, HTTPException) as e:  # a refusal: kept, so its retry is refused alike
        from tracker.editor.api.errors import error_response  # errors.py imports the operations' modules

        response = current_app.make_response(error_response(e))
    except BaseException:  # a 5xx is answered by the app ("nothing was saved"): its retry runs again
        _forget(db, user_id, key)
        raise
    shown = g.pop(_SHOWN, None)
    if 200 <= response.status_code < 300 and shown is not None:
        kept, resource = None, json.dumps(shown)
    else:
        kept, resource = _without_confidential(response.get_data(as_text=True)), None
    if response.status_code >= 500:
        _forget(db, user_id, key)
        return response
    try:
        _settle(
            db,
            "UPDATE api_idempotency_keys SET status = ?, response = ?, location = ?, resource = ? "
            "WHERE user_id = ? AND key = ?",
            [response.status_code, kept, response.headers.get("Location"), resource, user_id, key],
        )
    except sqlite3.Error as e:
        if storage_error(e, path_of(db)) is None:
            raise
        # Made, but the disk took no record of the answer: a 503 ("not saved") would be untrue. The answer
        # is given; the record stays without one, so a retry is told to check whether it was made (409).
    return response


def _forget(db, user_id: int, key: str) -> None:
    """Remove the record of a request that made nothing (a 5xx), so its retry runs."""
    _settle(db, "DELETE FROM api_idempotency_keys WHERE user_id = ? AND key = ?", [user_id, key])


def _settle(db, sql: str, params: list) -> None:
    """Write a key's outcome, on a full disk too where that can be done.

    The operation that met a full disk (or filled it) may leave no room in the
    -wal for the record's page: the record would stay without an answer, and
    its retry would be a 409 for a day, though nothing was made. A checkpoint
    copies the -wal into the file (whose pages already hold the record), so the
    next write starts the -wal over in room it already has: tried once more.
    """
    for attempt in range(2):
        try:
            with transaction(db):
                db.execute(sql, params)
            return
        except sqlite3.Error as e:
            if attempt or storage_error(e, path_of(db)) is None:
                raise
            db.execute("PRAGMA wal_checkpoint(RESTART)")


def _without_confidential(body: str) -> str:
    """A kept answer without any CONFIDENTIAL field, at any depth: the last guard, should an operation that
    shows one not name its resource (each that does is tested)."""
    try:
        parsed = json.loads(body)
    except ValueError:
        return body

    def strip(value: object) -> object:
        if isinstance(value, dict):
            return {k: strip(v) for k, v in value.items() if k not in CONFIDENTIAL}
        if isinstance(value, list):
            return [strip(v) for v in value]
        return value

    return json.dumps(strip(parsed), ensure_ascii=False)


def _earlier(row: tuple, sent: str) -> Response:
    request_digest, status, body, location, resource = row
    if request_digest != sent:
        raise KeyRefused(
            f"This {HEADER} was sent with another request; a key names one request, so send a new key with this one.",
            422,
        )
    if status is None:
        raise KeyRefused(
            f"The first request with this {HEADER} is still being answered (or was cut off); wait, check whether "
            "it was made, and send again.",
            409,
        )
    if resource is not None:  # read again as it is now, under the rule its GET follows
        kind, *ids = json.loads(resource)
        response = jsonify(_READERS[kind](get_db(), *ids))
        response.status_code = status
    else:
        response = Response(body, status=status, mimetype="application/json")
    if location:
        response.headers["Location"] = location
    response.headers[REPLAYED] = "true"
    return response


def _request_digest() -> str:
    """The request a key names: method, path and query, and the JSON body as parsed (spacing and order aside)."""
    body = request.get_json(silent=True)
    sent = json.dumps([request.method, request.path, request.query_string.decode("latin-1"), body], sort_keys=True)
    return hashlib.sha256(sent.encode("utf-8", "surrogatepass")).hexdigest()


def _expired_before() -> str:
    return format_time(datetime.now(UTC) - KEPT_FOR)


def _remove_expired(db) -> None:
    """Records older than KEPT_FOR, of any account, at most EXPIRED_PER_KEY of them, oldest first."""
    db.execute(
        """DELETE FROM api_idempotency_keys WHERE (user_id, key) IN (
               SELECT user_id, key FROM api_idempotency_keys WHERE created_at < ? ORDER BY created_at LIMIT ?)""",
        [_expired_before(), EXPIRED_PER_KEY],
    )
