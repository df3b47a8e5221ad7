"""The stories a newsroom follows, and each story's claims: filtered, searched, sorted, paged."""

from __future__ import annotations

import contextlib
import sqlite3

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from markupsafe import Markup, escape

from tracker import claim_queries, stories
from tracker.claims import PermissionDenied, reworded_since_ruling
from tracker.db import TrackerError
from tracker.editor import drafts
from tracker.editor.db import get_db
from tracker.editor.forms import is_digits, kept, numbered_page_start
from tracker.search import MARK_END, MARK_START

bp = Blueprint("stories", __name__)

PAGE_SIZE = 50
SORT_LABELS = {
    "relevance": "Best match",
    "newest": "Newest reported",
    "oldest": "Oldest reported",
    "updated": "Recently changed",
    "claimant": "Claimant A–Z",
}
FILTERS = ("status", "claimant_type", "outlet", "since", "until", "evidence", "q", "sort")
# /stories/new is this page, so a story cannot be called "new".
RESERVED_SLUGS = {"new"}
STORY_FIELDS = ("slug", "title", "description", "keywords_include", "keywords_exclude")
EDIT_FIELDS = STORY_FIELDS[1:]


@bp.route("/")
def index() -> ResponseReturnValue:
    """Every story with its counts, its latest ruling and how many changes came in since this person last looked
    at it (stories.new_since_looked: one query for every story)."""
    db = get_db()
    return render_template(
        "stories/index.html",
        stories=stories.list_stories(db),
        rulings=stories.latest_rulings(db),
        looked=stories.new_since_kept_look(db, current_user.id),
        **seen_in_words(),
    )


@bp.route("/stories/new", methods=("GET", "POST"))
def new() -> ResponseReturnValue:
    """Any staff member can open a story; its slug is its permanent public address.

    Left empty, the slug is made from the title (stories.free_slug); the
    typed values stay as typed, so a refused form shows the empty field again.
    """
    typed = {k: request.form.get(k, "") for k in STORY_FIELDS}
    error = field = None
    if request.method == "POST":
        try:
            if typed["slug"].strip() in RESERVED_SLUGS:
                raise TrackerError(
                    f"{typed['slug'].strip()!r} is a word the editor's addresses use; choose another.", field="slug"
                )

            def create() -> str:
                slug = typed["slug"].strip() or stories.free_slug(get_db(), typed["title"], RESERVED_SLUGS)
                return url_for("sources.index", slug=stories.create_story(get_db(), **{**typed, "slug": slug})["slug"])

            location, created = drafts.once(get_db(), create)
        except TrackerError as e:
            error, field = str(e), e.field
        else:
            if created:
                flash("Story created. Add its sources next, so coverage starts arriving.", "success")
            else:
                flash("This form's story was already created (it was sent twice); here it is.", "success")
            return redirect(location)
    return render_template("stories/new.html", typed=typed, error=error, field=field), (422 if error else 200)


@bp.route("/stories/<slug>/edit", methods=("GET", "POST"))
def edit(slug: str) -> ResponseReturnValue:
    """Editors and admins only: the keywords decide what every later ingest keeps, and the title is public.

    The slug is not editable: it is the story's public URL.
    """
    if not current_user.can_rule:
        raise PermissionDenied("Only editors can change a story's title, description or keywords.")
    db = get_db()
    story = stories.get_story(db, slug)
    error = field = current = None
    if request.method == "POST":
        typed = {k: kept(request.form.get(k, ""), story[k]) for k in EDIT_FIELDS}
        page = url_for("stories.story", slug=slug)

        def save() -> str:
            stories.update_story(db, slug, **typed, seen=request.form.get("seen", ""))
            return page

        try:
            _, saved = drafts.once(db, save)
        except stories.StaleStory as e:
            error, current = str(e), e.current
        except TrackerError as e:
            error, field = str(e), e.field
        else:
            if not saved:
                flash("This form's edit was already saved (it was sent twice); here is the story.", "success")
            else:
                flash("Story saved. Readers see the new title and description after the next publish.", "success")
            return redirect(page)
    else:
        typed = {k: story[k] for k in EDIT_FIELDS}
    seen = stories.story_seen(current or story)  # after a refusal for someone else's save: theirs, now seen
    return render_template(
        "stories/edit.html", story=current or story, typed=typed, error=error, field=field, current=current, seen=seen
    ), (409 if current else 422 if error else 200)


@bp.route("/stories/<slug>")
def story(slug: str) -> ResponseReturnValue:
    """The story's claims, under what changed last and what is new since this person last looked; once the page
    is drawn, this look becomes their last (_record_look)."""
    if "page" in request.args and not any(request.args.get(k) for k in ("after", "before", "offset")):
        return _numbered_page(slug)
    db = get_db()
    story = stories.get_story(db, slug)
    args = {k: (request.args.get(k) or "").strip()[:200] for k in FILTERS}
    active = {k: v for k, v in args.items() if v and k != "sort"}
    panel = not active and not _paged()
    mark = stories.look_mark(db) if panel else None
    error = field = None
    try:
        page = claim_queries.find_claims(db, story["id"], **_query(args), limit=PAGE_SIZE)
    except TrackerError as e:
        error, field = str(e), e.field
        page = {"claims": [], "next": None, "prev": None, "sort": args["sort"] or "newest"}
    reworded = {r["claim_id"] for r in reworded_since_ruling(db, story_id=story["id"])}
    for c in page["claims"]:
        c["snippet_html"] = snippet_html(c.get("snippet"))
        c["reworded"] = c["id"] in reworded
    html = render_template(
        "stories/story.html",
        story=story,
        claims=page["claims"],
        next_page=_pager(page["next"]),
        prev_page=_pager(page["prev"]),
        sort=page["sort"],
        matches=page.get("matches"),
        matches_counted=claim_queries.MATCHES_COUNTED,
        unranked=bool(args["q"]) and args["sort"] in ("", "relevance") and page["sort"] != "relevance",
        args=args,
        active=active,
        error=error,
        field=field,
        counts=claim_queries.status_counts(db, story["id"]),
        latest=latest_in(db, story["id"]) if panel else None,
        outlets=claim_queries.outlets(db, story["id"]),
        sorts=claim_queries.SEARCH_SORTS if args["q"] else tuple(claim_queries.SORTS),
        SORT_LABELS=SORT_LABELS,
        **seen_in_words(),
    )
    if mark is not None and not error:
        _record_look(db, story["id"], mark)
    return html, (400 if error else 200)


def latest_in(db, story_id: int) -> dict:
    """The story's latest ruling, claim, waiting candidates and scraped coverage, for the top of its page, and what
    came in since this person last looked (`new`: None the first time; `recorded`: False on a read-only database,
    where no look is kept, so nothing is said of one).

    Shown on the story's first page as it opens, not over a search, a filter or a later page: those ask
    about some claims, and the panel's links would sit among the claims that answer them.
    """
    return stories.latest_panel(db, story_id, current_user.id)


# Headers a browser sends with a page it fetches before anyone asked to see it (link prefetch, prerender).
PREFETCH_HEADERS = (("Sec-Purpose", "prefetch"), ("Purpose", "prefetch"), ("X-Moz", "prefetch"))


def _record_look(db, story_id: int, mark: dict) -> None:
    """Keep this look at the story's page as the person's last (stories.record_look), once the page is drawn.

    Only a GET someone sees: a HEAD or a prefetch shows nobody the page, and recorded, the next visit would say
    "nothing new" of changes never seen; a read-only database keeps nothing. Writing on a GET is no CSRF hole:
    another site making a signed-in browser load this page (the session cookie is SameSite=Lax, so only by a
    top-level link) can at most mark the Latest panel seen for that person: nothing is changed that anyone
    else sees or that is published, and the changes themselves are all still listed. A look that cannot be
    written (a full disk, or another writer holding the lock past db.SHORT_WAIT_S, as the page is drawn already) is
    dropped, and next time shows more as new.
    """
    if request.method != "GET" or not stories.keeps_looks(db):
        return
    if any(word in request.headers.get(name, "").lower() for name, word in PREFETCH_HEADERS):
        return
    with contextlib.suppress(sqlite3.Error, TrackerError):
        stories.record_look(db, current_user.id, story_id, mark, wait=False)


def changes_in_words(new: dict) -> str:
    """'at least 1 ruling, 2 claims logged, 14 candidates, 1 coverage item': the kinds with something new, in the
    panel's order (the rows' tags say each count again beside its row). "At least" goes before each count that is
    of the newest ids only (`capped`: stories.NEW_COUNTED, the last look was long ago), not before the whole line:
    the candidates waiting are always counted whole."""
    kinds = (
        ("rulings", "ruling", "rulings"),
        ("claims", "claim logged", "claims logged"),
        ("candidates", "candidate", "candidates"),
        ("coverage", "coverage item", "coverage items"),
    )
    capped = new.get("capped") or ()
    return ", ".join(
        f"{'at least ' if k in capped else ''}{new[k]:,} {one if new[k] == 1 else many}"
        for k, one, many in kinds
        if new[k]
    )


def seen_in_words() -> dict:
    """What the story list and page need besides the counts to say them: changes_in_words, and how many of the
    newest ids a count reads (stories.NEW_COUNTED), said when nothing counted but some went uncounted (`capped`
    with a total of 0), where "Nothing new" would be untrue."""
    return {"changes_in_words": changes_in_words, "new_counted": stories.NEW_COUNTED}


def _paged() -> bool:
    """Is this a later page of the list (a pager link's key or offset)?"""
    return any(request.args.get(k) for k in ("after", "before", "offset"))


def _numbered_page(slug: str) -> ResponseReturnValue:
    """A link that numbers the page (`?page=3`; the list pages from a claim): the same page as a link of today,
    counted in the list as it is now (forms.numbered_page_start). Filters that cannot be applied are said on
    the first page, as they would be."""
    db = get_db()
    story = stories.get_story(db, slug)
    args = {k: (request.args.get(k) or "").strip()[:200] for k in FILTERS}
    link: dict = {}
    try:
        query = _query(args)
        filters = {k: v for k, v in query.items() if k not in ("sort", "after", "before", "offset")}
        start = numbered_page_start(
            request.args.get("page", ""), claim_queries.count_claims(db, story["id"], **filters), PAGE_SIZE
        )
        if start:
            # The row just above the page: its "next" is the page's own link (an `after` key, or an offset).
            link = _pager(claim_queries.find_claims(db, story["id"], **query, offset=start - 1, limit=1)["next"]) or {}
    except TrackerError:
        pass
    kept_args = {k: v for k, v in args.items() if v}
    return redirect(url_for("stories.story", slug=story["slug"], **kept_args, **link))


def _query(args: dict) -> dict:
    """The page's query string as find_claims arguments; bad values become clear errors."""
    evidence = {"": None, "yes": True, "no": False}
    if args["evidence"] not in evidence:
        raise TrackerError("The evidence filter is yes or no.", field="evidence")
    query = {
        "status": args["status"] or None,
        "claimant_type": args["claimant_type"] or None,
        "outlet": args["outlet"] or None,
        "since": args["since"] or None,
        "until": args["until"] or None,
        "has_evidence": evidence[args["evidence"]],
        "q": args["q"] or None,
        "sort": args["sort"] or None,
    }
    after, before = request.args.get("after"), request.args.get("before")
    if request.args.get("offset"):
        query["offset"] = _offset(request.args.get("offset"))
    if after:
        query["after"] = parse_cursor(after)
    elif before:
        query["before"] = parse_cursor(before)
    return query


def parse_cursor(value: str) -> tuple[str, int]:
    """'KEY~ID' from a pager link; the id is after the last '~' so any key text survives."""
    key, sep, ident = (value or "").rpartition("~")
    if not sep or not is_digits(ident) or len(ident) > 18:
        raise TrackerError("That page link is damaged; go back to the first page.")
    return key, int(ident)


def _pager(page: dict | None) -> dict | None:
    """Query-string arguments of a pager link: {"after": "KEY~ID"}, {"before": ...} or {"offset": n}."""
    if page is None:
        return None
    return {k: (f"{v[0]}~{v[1]}" if isinstance(v, tuple) else v) for k, v in page.items()}


def _offset(value: str | None) -> int:
    try:
        return min(max(int(value or 0), 0), 100_000)
    except ValueError:
        return 0


def snippet_html(snippet: str | None) -> Markup | None:
    """An FTS snippet as safe HTML: escape everything, then turn the private-use marks into <mark>.

    The marks survive escaping untouched and only matched pairs become tags,
    so typed text can never open or close an element.
    """
    if not snippet:
        return None
    escaped = str(escape(snippet))
    out, pos = [], 0
    while True:
        start = escaped.find(MARK_START, pos)
        end = escaped.find(MARK_END, start + 1) if start >= 0 else -1
        if start < 0 or end < 0:
            out.append(escaped[pos:])
            break
        out.append(escaped[pos:start])
        out.append("<mark>" + escaped[start + 1 : end] + "</mark>")
        pos = end + 1
    html = "".join(out).replace(MARK_START, "").replace(MARK_END, "")
    return Markup(html)  # noqa: S704 - built from escaped text and our own <mark> tags only
