"""Bare routes for bench/editor.py's floor: the same rows through the same server, nothing else.

Registered only when TRACKER_BENCH_FLOOR=1 (see create_app): no template,
no session, no login, no CSRF — each route calls the domain function the
real page calls and returns its rows as JSON, so the benchmark can say how
much the page itself adds. `python -m tracker serve` refuses to start with
the variable set, but `app.py` (gunicorn) does not; and behind a proxy on
this machine every request comes from 127.0.0.1. So a route answers only a
request from this machine carrying floor_key(SECRET_KEY): the benchmark set
that secret; a visitor cannot know it (and with it could forge sessions
anyway).
"""

from __future__ import annotations

import hashlib
import hmac

from flask import Blueprint, Flask, abort, current_app, jsonify, request
from flask.typing import ResponseReturnValue
from flask_wtf.csrf import CSRFProtect

from tracker import claim_queries, claims, coverage, stories, users
from tracker.editor.db import get_db

bp = Blueprint("bench_floor", __name__, url_prefix="/_bench")

KEY_HEADER = "X-Bench-Floor-Key"


def floor_key(secret_key: str) -> str:
    """The value of KEY_HEADER a floor request must carry: derived from the app's secret key, never the key."""
    return hmac.new(secret_key.encode(), b"bench-floor", hashlib.sha256).hexdigest()


def register(app: Flask, csrf: CSRFProtect) -> None:
    csrf.exempt(bp)
    app.register_blueprint(bp)
    app.config["PUBLIC_ENDPOINTS"] = frozenset(
        {*app.config["PUBLIC_ENDPOINTS"], *(f"bench_floor.{name}" for name in ("claims_page", "claim", "status"))}
    )


@bp.before_request
def _the_benchmark_only() -> None:
    given = request.headers.get(KEY_HEADER, "")
    if request.remote_addr not in ("127.0.0.1", "::1") or not hmac.compare_digest(
        given.encode(), floor_key(current_app.config["SECRET_KEY"]).encode()
    ):
        abort(404)


@bp.route("/stories/<slug>/claims")
def claims_page(slug: str) -> ResponseReturnValue:
    db = get_db()
    story = stories.get_story(db, slug)
    page = claim_queries.find_claims(db, story["id"], q=request.args.get("q") or None, limit=50)
    return jsonify({"claims": page["claims"], "counts": claim_queries.status_counts(db, story["id"])})


@bp.route("/claims/<int:claim_id>")
def claim(claim_id: int) -> ResponseReturnValue:
    db = get_db()
    found = claims.get_claim(db, claim_id)
    evidence = claims.evidence_for(db, claim_id)
    for e in evidence:
        e["text"] = coverage.get_revision(db, e["revision_id"])["text"]
    return jsonify(
        {
            "claim": found,
            "evidence": evidence,
            "history": claims.history(db, claim_id),
            "related": claim_queries.related_claims(db, found),
        }
    )


@bp.route("/claims/<int:claim_id>/status", methods=("POST",))
def status(claim_id: int) -> ResponseReturnValue:
    db = get_db()
    editor = users.find_user(db, request.form["editor"])
    ruled = claims.set_status(
        db,
        claim_id,
        request.form["status"],
        editor,
        request.form["rationale"],
        int(request.form["version"]),
        evidence_ids=[int(i) for i in request.form.getlist("evidence_ids")],
    )
    return jsonify({"id": ruled["id"], "status": ruled["status"], "version": ruled["version"]})
