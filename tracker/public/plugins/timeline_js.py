"""The timeline as TimelineJS JSON (https://timeline.knightlab.com/docs/json-format.html), at /public/timeline-js.json.

A newsroom embeds the timeline with Knight Lab's viewer: its `text` fields
are HTML, so every value is escaped before it goes in. Loaded by Datasette
from --plugins-dir as a bare module: standard library and Datasette only, and
statuses.py loaded by its path (the readers' words for each status).
"""

from __future__ import annotations

import html
import importlib.util
import json
import re
from pathlib import Path

from datasette import hookimpl
from datasette.utils.asgi import Response

DATABASE = "public"
TIMELINE_JS_PATH = "/public/timeline-js.json"
TIMELINE_JS_MAX_EVENTS = 500
# The longest name a story can have (tracker.stories.SLUG_MAX, as atom_feeds.py's STORY_MAX; a test keeps them in
# step): a longer `story` names none, and is refused before it is looked up. Neither it nor a `status` is echoed:
# an answer once repeated up to 4,096 characters of whatever was sent, markup and all, to a page showing the error.
STORY_MAX = 80
# The newest :limit events, oldest first. One story's are read through its (story, position) index: written
# `:story = '' or story = :story`, SQLite tested every story's events newest first until :limit were the story's
# (all of them, 206,000 at 100,000 claims, for a small story).
EVENTS_SQL = """with filtered as not materialized (
           select id, position, story, date, date_precision, date_local, kind, claim_id, claim, claimant, status,
                  from_status, to_status, source_url, outlet, detail,
                  case when kind = 'statement_changed' then (
                      select json_group_array(json_object('id', c.id, 'text', c.text, 'status', c.status))
                      from json_each('[' || claim_ids || ']') j join claims c on c.id = j.value) end as bears_on
           from events
           where date is not null
             and (:status = '' or status = :status
                  or (kind = 'statement_changed' and exists (
                        select 1 from evidence e join claims c on c.id = e.claim_id
                        where e.coverage_id = events.coverage_id and c.status = :status))))
       select * from (
           select * from (select * from filtered where :story = '' order by position desc limit :limit)
           union all
           select * from (select * from filtered where :story != '' and story = :story
                          order by position desc limit :limit))
       order by position"""


def load_beside(name: str):
    """A file beside this one (Datasette loads plugins as bare modules: no package to import from)."""
    path = Path(__file__).resolve().with_name(name)
    spec = importlib.util.spec_from_file_location(f"newsroom_{path.stem}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# The statuses and the readers' words for them: one place with the other plugins' (statuses.py).
STATUS_WORDS = load_beside("statuses.py")
STATUSES, STATUS_LABELS = STATUS_WORDS.STATUSES, STATUS_WORDS.STATUS_LABELS

KIND_LABELS = {
    "first_reported": "First reported",
    "statement": "Statement cited",
    "statement_changed": "Statement changed",
    "status_changed": "Ruling",
    "correction": "Correction",
}
_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def web_url(value) -> str | None:
    url = str(value or "").strip()
    return url if re.match(r"^https?://[^\s]+$", url, re.I) else None


def tl_date(value) -> dict | None:
    """An ISO date as a TimelineJS date object (strings, as in Knight Lab's examples), or None."""
    match = _ISO.match(str(value or ""))
    if not match:
        return None
    year, month, day, hour, minute, second = match.groups()
    date = {"year": year, "month": str(int(month)), "day": str(int(day))}
    if hour is not None:
        date.update(hour=str(int(hour)), minute=str(int(minute)))
        if second is not None:
            date["second"] = str(int(second))
    return date


def _e(value) -> str:
    return html.escape(str(value or ""), quote=True)


def timeline_slide(event: dict, claim_url: str) -> dict | None:
    """One timeline event as a TimelineJS slide; None when it has no date TimelineJS can place."""
    start = tl_date(event.get("date_local") or event.get("date"))  # the day and clock the source printed
    if start is None:
        return None
    if event.get("date_precision") == "day":
        # The source gave only the day: its clock only places the slide within the day, so the viewer shows
        # the date alone (TimelineJS's display_date), never a time of day.
        start["display_date"] = f"{_MONTHS[int(start['month']) - 1]} {start['day']}, {start['year']}"
    kind = KIND_LABELS.get(event.get("kind"), event.get("kind") or "Event")
    status = STATUS_WORDS.status_label(event.get("status") or "unreviewed")
    bears = _bears_on(event)
    if bears:  # a statement's revision: one slide naming every claim it bears on, each with its status
        listed = "".join(
            f"<li>{_e(c.get('text'))} (now <strong>{_e(STATUS_WORDS.status_label(c.get('status')))}</strong>)</li>"
            for c in bears
        )
        parts = [f"<p><strong>{_e(kind)}</strong></p>", f"<p>{_e(event.get('detail'))}</p>"]
        parts.append(f"<p>It bears on {len(bears)} claim{'s' if len(bears) != 1 else ''}:</p><ul>{listed}</ul>")
    else:
        parts = [f"<p><strong>{_e(kind)}</strong> · now <strong>{_e(status)}</strong></p>"]
        if event.get("kind") in ("status_changed", "correction"):
            was, now = (STATUS_WORDS.status_label(event.get(k)) for k in ("from_status", "to_status"))
            parts.append(f"<p>Status changed from {_e(was)} to {_e(now)}.</p>")
            if event.get("detail"):
                parts.append(f"<p>{_e(event['detail'])}</p>")
        elif event.get("detail"):
            parts.append(f"<blockquote>{_e(event['detail'])}</blockquote>")
    if event.get("claimant") and not bears:
        parts.append(f"<p>Claimed by {_e(event['claimant'])}.</p>")
    links = []
    source = web_url(event.get("source_url"))
    if source:
        links.append(f'<a href="{_e(source)}" rel="nofollow noopener">{_e(event.get("outlet") or "Source")}</a>')
    links.append(f'<a href="{_e(claim_url)}">Evidence and history</a>')
    parts.append(f"<p>{' · '.join(links)}</p>")
    headline = f"{event.get('outlet') or 'The source'} revised its statement" if bears else event.get("claim") or kind
    if len(headline) > 140:
        headline = headline[:139].rstrip() + "…"
    return {
        "start_date": start,
        "text": {"headline": _e(headline), "text": "".join(parts)},
        "group": kind,
        "unique_id": f"event-{event.get('id')}",
        "autolink": False,
    }


def _bears_on(event: dict) -> list[dict]:
    """The claims a statement's revision bears on ({id, text, status}, from the query's `bears_on` JSON), else []."""
    if event.get("kind") != "statement_changed" or not event.get("bears_on"):
        return []
    try:
        found = json.loads(event["bears_on"])
    except (TypeError, ValueError):
        return []
    return [c for c in found if isinstance(c, dict)] if isinstance(found, list) else []


def timeline_js(story: dict | None, events: list[dict], claim_url) -> dict:
    """The TimelineJS document: a title slide and one slide per dated event, oldest first."""
    title = (story or {}).get("title") or "Timeline"
    description = (story or {}).get("description") or "Claims we follow, who made them, and what we have established."
    slides = [s for s in (timeline_slide(e, claim_url(e.get("claim_id"))) for e in events) if s]
    return {
        "title": {"text": {"headline": _e(title), "text": f"<p>{_e(description)}</p>"}},
        "events": slides,
    }


async def _rows(datasette, sql: str, params=None) -> list[dict]:
    """A bounded query of our own, without the time limit meant for visitors' SQL (see reader_data.run_query)."""

    def run(conn):
        cursor = conn.execute(sql, params if params is not None else {})
        columns = [d[0] for d in cursor.description]
        return [dict(zip(columns, row)) for row in cursor.fetchall()]

    return await datasette.get_database(DATABASE).execute_fn(run)


async def _timeline_js_view(datasette, request):
    headers = {"Access-Control-Allow-Origin": "*"} if datasette.cors else {}
    # A CORS preflight never gets here: request_guard.py answers every one (this once read up to 500 events for each).
    if DATABASE not in datasette.databases:
        return Response.json({"error": "No public database"}, status=404)
    story_slug = request.args.get("story") or ""
    status = request.args.get("status") or ""
    if status and status not in STATUSES:
        return Response.json({"error": f"Unknown status: use one of {', '.join(STATUSES)}."}, status=400)
    if len(story_slug) > STORY_MAX:
        message = f"A story's name is at most {STORY_MAX} characters; this one has {len(story_slug):,}."
        return Response.json({"error": message}, status=400)
    stories = await _rows(datasette, "select slug, title, description from stories order by title")
    by_slug = {r["slug"]: r for r in stories}
    if story_slug and story_slug not in by_slug:
        message = "No published story by that name: the front page lists the stories we follow."
        return Response.json({"error": message}, status=404)
    story = by_slug.get(story_slug) or (next(iter(by_slug.values())) if len(by_slug) == 1 else None)
    rows = await _rows(
        datasette,
        EVENTS_SQL,
        {"story": story_slug, "status": status, "limit": TIMELINE_JS_MAX_EVENTS},
    )
    # The Host was made the site's own by request_guard.py.
    base = datasette.absolute_url(request, datasette.urls.path("/")).rstrip("/")
    prefix = len(datasette.urls.path("/")) - 1

    def claim_url(claim_id):
        return base + datasette.urls.row(DATABASE, "claims", str(claim_id))[prefix:]

    return Response.json(timeline_js(story, rows, claim_url), headers=headers)


@hookimpl
def register_routes():
    return [(r"^" + re.escape(TIMELINE_JS_PATH) + r"$", _timeline_js_view)]
