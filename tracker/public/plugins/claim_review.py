"""ClaimReview JSON-LD on claim pages (https://schema.org/ClaimReview).

Search engines and fact-check aggregators read our rulings from it; only a
confirmed or denied claim is a review with a verdict, so unclear and
unreviewed claims carry none. Loaded by Datasette from --plugins-dir as a
bare module: standard library, Datasette and MarkupSafe only.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable

from datasette import hookimpl
from markupsafe import Markup

DATABASE = "public"
CONFIG = "newsroom-tracker"
# schema.org Rating for a verdict: 5 = true (confirmed), 1 = false (denied).
RATINGS = {"confirmed": (5, "Confirmed"), "denied": (1, "Denied")}
PERSON_TYPES = ("named", "anonymous")


def site_url(datasette, request) -> str:
    """The site's address (no trailing slash), from a Host request_guard.py has made the site's own."""
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


def claim_review(
    claim: dict,
    url: str,
    publisher: str,
    publisher_url: str,
    shown: Callable[[dict, str, str], str],
) -> dict | None:
    """The ClaimReview for a confirmed or denied claim (None otherwise).

    `claim` is a claims row with `evidence` (the claim's evidence rows, oldest
    first) and `history` (its status history, oldest first). `shown(row, key,
    precision_key)` is a source's time as the page's <time datetime> gives it:
    on the source's own clock with its offset where known (RFC 3339 allows it,
    the same instant), the date alone for a day-only one.
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
            work["datePublished"] = shown(item, "published_at", "published_precision")
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
        # The date alone when the source gave no time of day (schema.org takes a Date or a DateTime).
        item_reviewed["datePublished"] = shown(claim, "first_reported_at", "first_reported_precision")
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
        filters = datasette.jinja_env.filters  # the site's own rule for a source's clock (template_filters.py)

        def shown(row: dict, key: str, precision_key: str) -> str:
            return filters["machine_time"](filters["local"](row, key), row.get(precision_key))

        review = claim_review(claim, url, publisher, base + "/", shown)
        if review is None:
            return Markup("")
        return Markup('<script type="application/ld+json">\n{}\n</script>').format(script_json(review))

    return {"claim_review_jsonld": claim_review_jsonld}
