"""Machine-readable exports of the public site: ClaimReview JSON-LD on claim pages, and the timeline for TimelineJS.

Loaded by Datasette from --plugins-dir as a bare module, like public_site.py:
standard library, Datasette and MarkupSafe only.

ClaimReview (https://schema.org/ClaimReview) lets search engines and
fact-check aggregators read our rulings; only a confirmed or denied claim is
a review with a verdict, so unclear and unreviewed claims carry none.
The TimelineJS export (https://timeline.knightlab.com/docs/json-format.html)
lets a newsroom embed the timeline with Knight Lab's viewer: its `text`
fields are HTML, so every value is escaped before it goes in.
"""

from __future__ import annotations

import html
import json
import re

from datasette import hookimpl
from datasette.utils.asgi import Response
from markupsafe import Markup

DATABASE = "public"
CONFIG = "newsroom-tracker"
TIMELINE_JS_PATH = "/public/timeline-js.json"
TIMELINE_JS_MAX_EVENTS = 500
STATUSES = ("unreviewed", "confirmed", "denied", "unclear")
# schema.org Rating for a verdict: 5 = true (confirmed), 1 = false (denied).
RATINGS = {"confirmed": (5, "Confirmed"), "denied": (1, "Denied")}
PERSON_TYPES = ("named", "anonymous")
KIND_LABELS = {
    "first_reported": "First reported",
    "statement": "Statement issued",
    "statement_changed": "Statement changed",
    "status_changed": "Ruling",
    "correction": "Correction",
}
_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?")


def site_url(datasette, request) -> str:
    """The configured `public_url`, else the address the request came in at (no trailing slash)."""
    configured = (datasette.plugin_config(CONFIG) or {}).get("public_url")
    if configured:
        return str(configured).rstrip("/")
    return datasette.absolute_url(request, datasette.urls.path("/")).rstrip("/")


def web_url(value) -> str | None:
    url = str(value or "").strip()
    return url if re.match(r"^https?://[^\s]+$", url, re.I) else None


def script_json(data) -> Markup:
    """JSON safe inside <script type="application/ld+json">: no `</script>`, `<!--` or `&` can break out."""
    text = json.dumps(data, ensure_ascii=False, indent=1)
    for char, code in (
        ("<", "\\u003c"),
        (">", "\\u003e"),
        ("&", "\\u0026"),
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
    ):
        text = text.replace(char, code)
    return Markup(text)


def claim_review(claim: dict, url: str, publisher: str, publisher_url: str) -> dict | None:
    """The ClaimReview for a confirmed or denied claim (None otherwise).

    `claim` is a claims row with `evidence` (the claim's evidence rows, oldest
    first) and `history` (its status history, oldest first).
    """
    rating = RATINGS.get(claim.get("status"))
    if rating is None:
        return None
    value, name = rating
    claimant = (claim.get("claimant") or "").strip() or "Unattributed"
    author_type = "Person" if claim.get("claimant_type") in PERSON_TYPES else "Organization"
    appearances = []
    seen = set()
    for item in claim.get("evidence") or ():
        link = web_url(item.get("url"))
        if not link or link in seen or item.get("stance") == "contradicts":
            continue
        seen.add(link)
        work = {"@type": "CreativeWork", "url": link}
        if item.get("title"):
            work["headline"] = item["title"]
        if item.get("published_at"):
            work["datePublished"] = item["published_at"]
        if item.get("outlet"):
            work["publisher"] = {"@type": "Organization", "name": item["outlet"]}
        appearances.append(work)
    item_reviewed = {
        "@type": "Claim",
        "author": {"@type": author_type, "name": claimant},
        "appearance": appearances,
    }
    if appearances:
        item_reviewed["firstAppearance"] = appearances[0]
    if claim.get("first_reported_at"):
        item_reviewed["datePublished"] = claim["first_reported_at"]
    review = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": url,
        "claimReviewed": claim.get("text") or "",
        "datePublished": (claim.get("status_changed_at") or claim.get("first_reported_at") or "")[:10],
        "author": {"@type": "Organization", "name": publisher, "url": publisher_url},
        "reviewRating": {
            "@type": "Rating",
            "ratingValue": value,
            "bestRating": 5,
            "worstRating": 1,
            "alternateName": name,
        },
        "itemReviewed": item_reviewed,
    }
    rationale = (claim.get("status_rationale") or "").strip()
    if rationale:
        review["reviewBody"] = rationale
    return review


@hookimpl
def extra_template_vars(datasette, request):
    def claim_review_jsonld(claim: dict | None) -> Markup:
        """The <script type="application/ld+json"> block for a claim page, or nothing."""
        if not claim or request is None:
            return Markup("")
        base = site_url(datasette, request)
        url = base + datasette.urls.row(DATABASE, "claims", str(claim["id"]))[len(datasette.urls.path("/")) - 1 :]
        publisher = (datasette.plugin_config(CONFIG) or {}).get("publisher") or "Newsroom Tracker"
        review = claim_review(claim, url, publisher, base + "/")
        if review is None:
            return Markup("")
        return Markup('<script type="application/ld+json">\n{}\n</script>').format(script_json(review))

    return {"claim_review_jsonld": claim_review_jsonld}


# --- TimelineJS --------------------------------------------------------------------------------


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
    start = tl_date(event.get("date"))
    if start is None:
        return None
    kind = KIND_LABELS.get(event.get("kind"), event.get("kind") or "Event")
    status = event.get("status") or "unreviewed"
    parts = [f"<p><strong>{_e(kind)}</strong> · now <strong>{_e(status)}</strong></p>"]
    if event.get("kind") in ("status_changed", "correction"):
        parts.append(f"<p>Status changed from {_e(event.get('from_status'))} to {_e(event.get('to_status'))}.</p>")
        if event.get("detail"):
            parts.append(f"<p>{_e(event['detail'])}</p>")
    elif event.get("detail"):
        parts.append(f"<blockquote>{_e(event['detail'])}</blockquote>")
    if event.get("claimant"):
        parts.append(f"<p>Claimed by {_e(event['claimant'])}.</p>")
    links = []
    source = web_url(event.get("source_url"))
    if source:
        links.append(f'<a href="{_e(source)}" rel="nofollow noopener">{_e(event.get("outlet") or "Source")}</a>')
    links.append(f'<a href="{_e(claim_url)}">Evidence and history</a>')
    parts.append(f"<p>{' · '.join(links)}</p>")
    headline = event.get("claim") or kind
    if len(headline) > 140:
        headline = headline[:139].rstrip() + "…"
    return {
        "start_date": start,
        "text": {"headline": _e(headline), "text": "".join(parts)},
        "group": kind,
        "unique_id": f"event-{event.get('id')}",
        "autolink": False,
    }


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
    """A bounded query of our own, without the time limit meant for visitors' SQL (see public_site.run_query)."""

    def run(conn):
        cursor = conn.execute(sql, params if params is not None else {})
        columns = [d[0] for d in cursor.description]
        return [dict(zip(columns, row)) for row in cursor.fetchall()]

    return await datasette.get_database(DATABASE).execute_fn(run)


async def _timeline_js_view(datasette, request):
    if DATABASE not in datasette.databases:
        return Response.json({"error": "No public database"}, status=404)
    story_slug = request.args.get("story") or ""
    status = request.args.get("status") or ""
    if status and status not in STATUSES:
        return Response.json({"error": f"Unknown status {status!r}; use one of {', '.join(STATUSES)}."}, status=400)
    stories = await _rows(datasette, "select slug, title, description from stories order by title")
    by_slug = {r["slug"]: r for r in stories}
    if story_slug and story_slug not in by_slug:
        return Response.json({"error": f"No published story {story_slug!r}."}, status=404)
    story = by_slug.get(story_slug) or (next(iter(by_slug.values())) if len(by_slug) == 1 else None)
    rows = await _rows(
        datasette,
        """select * from (
               select id, story, date, kind, claim_id, claim, claimant, status, from_status, to_status,
                      source_url, outlet, detail
               from events
               where date is not null and (:story = '' or story = :story) and (:status = '' or status = :status)
               order by id desc limit :limit)
           order by id""",
        {"story": story_slug, "status": status, "limit": TIMELINE_JS_MAX_EVENTS},
    )
    base = site_url(datasette, request)
    prefix = len(datasette.urls.path("/")) - 1

    def claim_url(claim_id):
        return base + datasette.urls.row(DATABASE, "claims", str(claim_id))[prefix:]

    headers = {"Access-Control-Allow-Origin": "*"} if datasette.cors else {}
    return Response.json(timeline_js(story, rows, claim_url), headers=headers)


@hookimpl
def register_routes():
    return [(r"^" + re.escape(TIMELINE_JS_PATH) + r"$", _timeline_js_view)]
