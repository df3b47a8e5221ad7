"""What each URL of the fictional web answers at a given stage: pure functions, no server, no clock.

The dates on the pages are the times the stages were reached (`reached`,
stage number -> ISO time), so an article "published" at stage 2 carries the
moment stage 2 began, and a correction the moment of its own stage: the
story's dates are as live as its arrival. The same inputs always give the
same bytes, which is what lets the server answer conditional GETs and the
tests compare pages.
"""

from __future__ import annotations

import functools
import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

from tracker.livedemo.world import Document, Site, Version, World

TEMPLATES = Path(__file__).resolve().parent / "templates"
HTML = "text/html; charset=utf-8"
TYPES = {"rss": "application/rss+xml; charset=utf-8", "atom": "application/atom+xml; charset=utf-8"}
# A story that is reprinted is dated this long before its stage began, and its reprint when the stage began: the
# original is the earlier of the two, as the tracker's clusters count it (earliest published first), whichever
# feed it polls first, and no page is dated after the moment it appeared (a reprint dated 30 s later was fetched
# "before it was published", and drawn in the chart's next minute).
COPY_LAG = timedelta(seconds=5)


@dataclass(frozen=True)
class Answer:
    status: int
    content_type: str
    body: bytes

    @property
    def etag(self) -> str:
        return '"' + hashlib.sha256(self.body).hexdigest()[:20] + '"'


@functools.cache
def _env() -> Environment:
    return Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html", "xml"]))


def current_stage(reached: dict[int, str]) -> int:
    """The latest stage reached (0 before the demo starts)."""
    return max(reached, default=0)


def answer(world: World, reached: dict[int, str], host: str, path: str) -> Answer:
    """The fictional site `host`'s answer for `path` (query string ignored) at the stage reached."""
    site = world.sites.get(host)
    if site is None:
        return _text(421, f"{host} is not one of the live demo's fictional sites.\n")
    stage = current_stage(reached)
    path = path.split("?", 1)[0] or "/"
    if path == "/robots.txt":
        return Answer(200, "text/plain; charset=utf-8", site.robots.encode("utf-8"))
    if path == "/demo.css":
        return Answer(200, "text/css; charset=utf-8", (TEMPLATES / "demo.css").read_bytes())
    if f"{host}{path}" in (world.stages[stage - 1].down if stage else ()):
        return _text(503, "Service temporarily unavailable. Please try again later.\n")
    if path == site.feed_path:
        return _feed(world, reached, site, stage)
    if path in ("/", site.newsroom_path):
        heading = "Newsroom" if path == site.newsroom_path and site.organisation else "Latest"
        docs = world.visible(stage, host)
        dates = {d.id: _dated(world, reached, d, world.first_stage(d)) for d in docs}
        return _html("listing.html", site=site, stage=stage, heading=heading, docs=docs, dates=dates)
    for doc in world.documents:
        if doc.site == host and doc.path == path:
            version = world.version_at(doc, stage)
            if version is not None:
                return _article(world, reached, site, doc, version, stage)
    return _text(404, "Not found.\n")


def preview(world: World, reached: dict[int, str]) -> Answer:
    """The index a person sees at the demo server's own address: the stage, and every page as it stands."""
    stage = current_stage(reached)
    docs = {host: world.visible(stage, host) for host in world.sites}
    current = world.stages[stage - 1] if stage else None
    return _html("preview.html", world=world, stage=stage, current=current, docs=docs)


def _article(world: World, reached: dict[int, str], site: Site, doc: Document, version: Version, stage: int) -> Answer:
    published = _dated(world, reached, doc, world.first_stage(doc))
    modified = _dated(world, reached, doc, version.stage)
    jsonld = {
        "@context": "https://schema.org",
        "@type": "NewsArticle" if doc.kind == "article" else "Article",
        "headline": doc.title,
        "datePublished": published,
        "dateModified": modified,
        "publisher": {"@type": "Organization", "name": site.name},
        "mainEntityOfPage": doc.url,
    }
    if doc.byline:
        jsonld["author"] = {"@type": "Person" if "," not in doc.byline else "Organization", "name": doc.byline}
    return _html(
        "article.html",
        site=site,
        stage=stage,
        doc=doc,
        version=version,
        published=published,
        modified=modified,
        published_words=_words(published),
        modified_words=_words(modified),
        jsonld=jsonld,
    )


def _feed(world: World, reached: dict[int, str], site: Site, stage: int) -> Answer:
    entries = []
    for doc in world.visible(stage, site.host):
        version = world.version_at(doc, stage)
        published = _dated(world, reached, doc, world.first_stage(doc))
        entries.append(
            {
                "doc": doc,
                "published": published,
                "modified": _dated(world, reached, doc, version.stage),
                "rfc822": format_datetime(_parse(published), usegmt=True),
                "summary": version.paragraphs[0],
            }
        )
    updated = max((e["modified"] for e in entries), default=_when(reached, 0))
    body = _env().get_template(f"{site.feed_format}.xml").render(site=site, entries=entries, updated=updated)
    return Answer(200, TYPES[site.feed_format], body.encode("utf-8"))


def _html(template: str, **values) -> Answer:
    return Answer(200, HTML, _env().get_template(template).render(**values).encode("utf-8"))


def _text(status: int, text: str) -> Answer:
    return Answer(status, "text/plain; charset=utf-8", text.encode("utf-8"))


def _when(reached: dict[int, str], stage: int) -> str:
    """When a stage was reached; a stage not reached yet (never shown) or 0 borrows the earliest time."""
    return reached.get(stage) or min(reached.values(), default="1970-01-01T00:00:00Z")


def _dated(world: World, reached: dict[int, str], doc: Document, stage: int) -> str:
    """A document's date for a stage: when the stage was reached, COPY_LAG earlier for one that is reprinted."""
    when = _when(reached, stage)
    if not any(other.copy_of == doc.id for other in world.documents):
        return when
    return (_parse(when) - COPY_LAG).strftime("%Y-%m-%dT%H:%M:%SZ")


def _parse(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone(UTC)


def _words(value: str) -> str:
    return _parse(value).strftime("%-d %B %Y, %H:%M UTC")
