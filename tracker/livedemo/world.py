"""The live demo's data files (data/demo/live/) as typed objects, checked once when loaded.

A mistake in a data file (a document on an unknown site, a desk action
citing a document that does not exist yet) is a clear error naming the
file and the entry, raised when the demo starts, not a page that breaks
half-way through the story.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from tracker import config
from tracker.db import TrackerError
from tracker.vocab import CLAIMANT_TYPES, RULINGS, STANCES

FEED_FORMATS = ("rss", "atom")
ACTIONS = ("log", "rule")


class WorldError(TrackerError):
    """A live demo data file is missing or wrong; the message names the file and the entry."""


@dataclass(frozen=True)
class Site:
    host: str
    name: str
    tagline: str
    robots: str
    feed_path: str | None = None
    feed_format: str = "rss"
    organisation: bool = False
    newsroom_path: str | None = None
    newsroom_pattern: str | None = None

    @property
    def base(self) -> str:
        return f"http://{self.host}"


@dataclass(frozen=True)
class Version:
    stage: int
    body: str
    note: str | None = None

    @property
    def paragraphs(self) -> list[str]:
        return [" ".join(p.split()) for p in self.body.split("\n\n") if p.strip()]


@dataclass(frozen=True)
class Document:
    id: str
    site: str
    path: str
    title: str
    byline: str | None
    kind: str  # article or statement
    versions: tuple[Version, ...]
    copy_of: str | None = None
    credit: str | None = None

    @property
    def url(self) -> str:
        return f"http://{self.site}{self.path}"


@dataclass(frozen=True)
class DeskAction:
    """log: a new claim from the words `quote` of document `source`; rule: a new status for claim `claim`."""

    action: str
    claim: str
    source: str
    quote: str
    status: str
    reason: str
    claimant: str = ""
    claimant_type: str = "unattributed"
    stance: str = "supports"


@dataclass(frozen=True)
class Stage:
    number: int  # 1-based, as people count them
    title: str
    after: float
    happens: str
    down: frozenset[str]  # "host/path" pages answering 503 during this stage
    desk: tuple[DeskAction, ...]


@dataclass(frozen=True)
class StorySpec:
    slug: str
    title: str
    description: str
    keywords: str
    poll_every: int
    sources: tuple[tuple[str, str], ...]  # (site host, source kind)


@dataclass(frozen=True)
class World:
    story: StorySpec
    sites: dict[str, Site]
    documents: tuple[Document, ...]
    stages: tuple[Stage, ...]

    def document(self, doc_id: str) -> Document:
        for doc in self.documents:
            if doc.id == doc_id:
                return doc
        raise KeyError(doc_id)

    def version_at(self, doc: Document, stage: int) -> Version | None:
        """The version of doc a reader sees at this stage (a copy shows its original's), None before it appears."""
        versions = self.document(doc.copy_of).versions if doc.copy_of else doc.versions
        shown = [v for v in versions if v.stage <= stage]
        return shown[-1] if shown else None

    def first_stage(self, doc: Document) -> int:
        versions = self.document(doc.copy_of).versions if doc.copy_of else doc.versions
        return versions[0].stage

    def visible(self, stage: int, site: str | None = None) -> list[Document]:
        """Documents published by this stage (of one site), newest first."""
        found = [d for d in self.documents if (site is None or d.site == site) and self.first_stage(d) <= stage]
        return sorted(found, key=lambda d: (-self.first_stage(d), self.documents.index(d)))

    def source_url(self, host: str, kind: str) -> str:
        site = self.sites[host]
        return site.base + (site.newsroom_path if kind == "statement" else site.feed_path)

    @property
    def last_stage(self) -> int:
        return len(self.stages)


@functools.cache
def load_world(directory: str | Path = config.LIVE_DEMO_DIR) -> World:
    """Read and check story.yml, sites.yml, documents.yml and stages.yml (cached: they ship with the code)."""
    folder = Path(directory)
    story = _story(_read(folder / "story.yml"), folder / "story.yml")
    sites = _sites(_read(folder / "sites.yml"), folder / "sites.yml")
    documents = _documents(_read(folder / "documents.yml"), folder / "documents.yml", sites)
    stages = _stages(_read(folder / "stages.yml"), folder / "stages.yml", documents)
    world = World(story, sites, documents, stages)
    for host, kind in story.sources:
        if host not in sites:
            raise WorldError(f"{folder / 'story.yml'}: source site {host!r} is not in sites.yml.")
        if (kind == "statement") != sites[host].organisation or (kind == "feed" and not sites[host].feed_path):
            raise WorldError(f"{folder / 'story.yml'}: {host} cannot be a {kind} source (see sites.yml).")
    for doc in documents:
        if world.first_stage(doc) > len(stages):
            raise WorldError(f"{folder / 'documents.yml'}: {doc.id} appears after the last stage.")
    return world


def _read(path: Path) -> dict:
    """The file's top-level mapping ({} when empty); a file that is not one is a WorldError naming it."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as e:
        raise WorldError(f"{path}: {e.strerror}; restore the live demo's data files from the repository.") from None
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        line = f" (line {mark.line + 1})" if mark is not None else ""
        raise WorldError(f"{path} is not valid YAML{line}; correct it or restore it from the repository.") from None
    return _mapping(data, str(path))


def _mapping(value, where: str) -> dict:
    """value as a mapping ({} for nothing): a list or text where `key: value` lines belong is a WorldError."""
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise WorldError(f"{where}: must be `key: value` lines, not {type(value).__name__}.")
    return value


def _list(value, where: str, key: str) -> list:
    """value as a list ([] for nothing): one entry where a list of them belongs is a WorldError."""
    if value is None:
        return []
    if not isinstance(value, list):
        raise WorldError(f"{where}: {key} must be a list (lines starting with '- ').")
    return value


def _need(entry: dict, key: str, where: str) -> str:
    value = entry.get(key) if isinstance(entry, dict) else None
    if not isinstance(value, str) or not value.strip():
        raise WorldError(f"{where}: {key!r} is missing or empty.")
    return value.strip()


def _story(data, path: Path) -> StorySpec:
    where = str(path)
    every = data.get("poll_every")
    if not isinstance(every, int) or every < 5:
        raise WorldError(f"{where}: poll_every must be a whole number of seconds, at least 5.")
    sources = tuple(
        (_need(s, "site", where), _need(s, "kind", where)) for s in _list(data.get("sources"), where, "sources")
    )
    return StorySpec(
        slug=_need(data, "slug", where),
        title=_need(data, "title", where),
        description=" ".join(_need(data, "description", where).split()),
        keywords=_need(data, "keywords", where),
        poll_every=every,
        sources=sources,
    )


def _sites(data, path: Path) -> dict[str, Site]:
    sites: dict[str, Site] = {}
    for i, entry in enumerate(_list(data.get("sites"), str(path), "sites"), 1):
        where = f"{path}, site {i}"
        host = _need(entry, "host", where).lower()
        if not host.endswith(config.DEMO_HOST_SUFFIX):
            raise WorldError(f"{where}: {host} must end in {config.DEMO_HOST_SUFFIX}, a name no real site can have.")
        feed = _mapping(entry.get("feed"), f"{where}, feed")
        newsroom = _mapping(entry.get("newsroom"), f"{where}, newsroom")
        robots = entry.get("robots") or "User-agent: *\nDisallow:\n"
        if not isinstance(robots, str):
            raise WorldError(f"{where}: robots must be the text of a robots.txt.")
        if feed and feed.get("format") not in FEED_FORMATS:
            raise WorldError(f"{where}: feed format must be one of {', '.join(FEED_FORMATS)}.")
        pattern = newsroom.get("pattern")
        if pattern:
            try:
                re.compile(pattern)
            except re.error as e:
                raise WorldError(f"{where}: newsroom pattern {pattern!r} is not a regular expression ({e}).") from None
        sites[host] = Site(
            host=host,
            name=_need(entry, "name", where),
            tagline=_need(entry, "tagline", where),
            robots=robots,
            feed_path=feed.get("path"),
            feed_format=feed.get("format", "rss"),
            organisation=bool(entry.get("organisation")),
            newsroom_path=newsroom.get("path"),
            newsroom_pattern=pattern,
        )
    if not sites:
        raise WorldError(f"{path}: no sites.")
    return sites


def _documents(data, path: Path, sites: dict[str, Site]) -> tuple[Document, ...]:
    docs: list[Document] = []
    ids: set[str] = set()
    for i, entry in enumerate(_list(data.get("documents"), str(path), "documents"), 1):
        where = f"{path}, document {i}"
        doc_id = _need(entry, "id", where)
        where = f"{path}, document {doc_id!r}"
        if doc_id in ids:
            raise WorldError(f"{where}: the id is used twice.")
        site = _need(entry, "site", where)
        if site not in sites:
            raise WorldError(f"{where}: unknown site {site!r}.")
        doc_path = _need(entry, "path", where)
        if not doc_path.startswith("/"):
            raise WorldError(f"{where}: path must start with /.")
        copy_of = entry.get("copy_of")
        if copy_of and copy_of not in ids:
            raise WorldError(f"{where}: copy_of {copy_of!r} must name a document listed before it.")
        versions = tuple(
            _version(v, f"{where}, version {j}")
            for j, v in enumerate(_list(entry.get("versions"), where, "versions"), 1)
        )
        if not copy_of and not versions:
            raise WorldError(f"{where}: a document needs versions (or copy_of).")
        if [v.stage for v in versions] != sorted({v.stage for v in versions}):
            raise WorldError(f"{where}: versions must be in stage order, one per stage.")
        kind = entry.get("kind", "article")
        if kind == "statement" and not sites[site].organisation:
            raise WorldError(f"{where}: only an organisation's site publishes statements.")
        docs.append(
            Document(
                id=doc_id,
                site=site,
                path=doc_path,
                title=_need(entry, "title", where),
                byline=entry.get("byline"),
                kind=kind,
                versions=versions,
                copy_of=copy_of,
                credit=entry.get("credit"),
            )
        )
        ids.add(doc_id)
    return tuple(docs)


def _stages(data, path: Path, documents: tuple[Document, ...]) -> tuple[Stage, ...]:
    by_id = {d.id: d for d in documents}
    stages: list[Stage] = []
    for number, entry in enumerate(_list(data.get("stages"), str(path), "stages"), 1):
        where = f"{path}, stage {number}"
        entry = _mapping(entry, where)
        after = entry.get("after", 0)
        if not isinstance(after, int | float) or after < 0:
            raise WorldError(f"{where}: after must be a number of seconds.")
        desk = tuple(
            _action(a, f"{where}, desk action {j}", by_id)
            for j, a in enumerate(_list(entry.get("desk"), where, "desk"), 1)
        )
        down = _list(entry.get("down"), where, "down")
        if not all(isinstance(page, str) for page in down):
            raise WorldError(f"{where}: each page in down is HOST/PATH, e.g. lantern-ledger.example/feed.xml.")
        stages.append(
            Stage(
                number=number,
                title=_need(entry, "title", where),
                after=float(after),
                happens=" ".join(_need(entry, "happens", where).split()),
                down=frozenset(down),
                desk=desk,
            )
        )
    if not stages:
        raise WorldError(f"{path}: no stages.")
    return tuple(stages)


def _version(entry, where: str) -> Version:
    """One version of a document: the stage it appears at (1 or later), its text and an optional note."""
    entry = _mapping(entry, where)
    stage = entry.get("stage")
    if not isinstance(stage, int) or isinstance(stage, bool) or stage < 1:
        raise WorldError(f"{where}: stage must be the number of a stage, 1 or more.")
    note = entry.get("note")
    if note is not None and not isinstance(note, str):
        raise WorldError(f"{where}: note must be text.")
    _need(entry, "body", where)
    return Version(stage, entry["body"], " ".join(note.split()) if note else None)


def _action(entry: dict, where: str, documents: dict[str, Document]) -> DeskAction:
    action = next((a for a in ACTIONS if a in (entry or {})), None)
    if action is None:
        raise WorldError(f"{where}: say `log: CLAIM` or `rule: CLAIM`.")
    source = _need(entry, "from", where)
    if source not in documents:
        raise WorldError(f"{where}: unknown document {source!r}.")
    status = _need(entry, "status", where)
    claimant_type = entry.get("claimant_type", "unattributed")
    stance = entry.get("stance", "supports")
    if status not in RULINGS or claimant_type not in CLAIMANT_TYPES or stance not in STANCES:
        raise WorldError(f"{where}: status, claimant_type or stance is not one the tracker knows.")
    return DeskAction(
        action=action,
        claim=" ".join(_need(entry, action, where).split()),
        source=source,
        quote=_need(entry, "quote", where),
        status=status,
        reason=" ".join(_need(entry, "reason", where).split()),
        claimant=entry.get("claimant", ""),
        claimant_type=claimant_type,
        stance=stance,
    )
