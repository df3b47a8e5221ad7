"""Data the reader templates ask for: the claims' evidence and history, stories, counts, what remains unclear.

Each helper runs its query only when a template calls it. Loaded by Datasette
from --plugins-dir as a bare module, so it imports nothing from `tracker` and loads
statuses.py by its path.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

from datasette import hookimpl
from datasette.utils.asgi import NotFound

DATABASE = "public"
CONFIG = "newsroom-tracker"


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
EVIDENCE_PER_CARD = 4
# Claimants "Who claimed what" draws, the most prolific first; its JSON and CSV hold every row of the query (500).
# Each drawn with its latest claims, all 500 were 744 kB and 0.55-0.83 s on the event loop, and every search for
# part of a name is a page of its own to the page cache: drawn afresh for each.
CLAIMANTS_SHOWN = 100


class Rows:
    """Query results as a list of dicts, shaped like Datasette's Results (`.rows`)."""

    def __init__(self, rows: list[dict]):
        self.rows = rows


async def run_query(datasette, sql: str, params=None) -> Rows:
    """Run one of the reader pages' own queries.

    These are bounded by design (index lookups, small LIMITs), so they run
    without the public sql_time_limit_ms: that limit is there for visitors'
    SQL, and applied to a page's own queries it would turn a busy moment
    into an error page instead of a slower one.
    """

    def run(conn):
        cursor = conn.execute(sql, params if params is not None else {})
        columns = [d[0] for d in cursor.description]
        return Rows([dict(zip(columns, row)) for row in cursor.fetchall()])

    return await datasette.get_database(DATABASE).execute_fn(run)


def _ids(rows_or_ids) -> list[int]:
    ids = set()
    for item in rows_or_ids or ():
        value = item if isinstance(item, int | str) else item["claim_id"]
        try:
            ids.add(int(value))
        except (TypeError, ValueError):
            continue
    return sorted(ids)


@hookimpl
def extra_template_vars(datasette):
    """Async helpers for the reader templates; each runs its query only when a template calls it."""

    async def query(sql: str, params=None) -> Rows:
        return await run_query(datasette, sql, params)

    async def claim_details(rows_or_ids) -> dict:
        """{claim_id: {"sources": [...], "more_sources": n, "history": [...]}} for the claims on a page."""
        ids = _ids(rows_or_ids)
        details = {i: {"sources": [], "more_sources": 0, "history": []} for i in ids}
        if not ids or DATABASE not in datasette.databases:
            return details
        marks = ", ".join("?" for _ in ids)
        evidence = await query(
            f"""select claim_id, coverage_id, stance, outlet, title, url, published_at, coverage_kind
                from evidence where claim_id in ({marks})
                order by claim_id, published_at is null, published_at, id""",
            ids,
        )
        seen = set()
        for row in evidence.rows:
            key = (row["claim_id"], row["coverage_id"])
            if key in seen:
                continue
            seen.add(key)
            entry = details[row["claim_id"]]
            if len(entry["sources"]) < EVIDENCE_PER_CARD:
                entry["sources"].append(dict(row))
            else:
                entry["more_sources"] += 1
        history = await query(
            f"""select claim_id, at, from_status, to_status, public_rationale, is_correction
                from status_history where claim_id in ({marks}) order by claim_id, id""",
            ids,
        )
        for row in history.rows:
            details[row["claim_id"]]["history"].append(dict(row))
        return details

    async def bears_on(rows) -> dict:
        """{event id: [claims]} for the statement changes among rows: every claim each bears on (claim_ids)."""
        wanted: dict = {}
        for row in rows or ():
            if row["kind"] == "statement_changed":
                wanted[row["id"]] = _ids(str(row["claim_ids"] or row["claim_id"]).split(","))
        ids = sorted({i for found in wanted.values() for i in found})
        if not ids or DATABASE not in datasette.databases:
            return {}
        found = await query(
            "select id, text, claimant, status from claims where id in (select value from json_each(?))",
            [json.dumps(ids)],
        )
        by_id = {row["id"]: dict(row) for row in found.rows}
        return {event: [by_id[i] for i in claim_ids if i in by_id] for event, claim_ids in wanted.items()}

    async def claim_record(claim_id) -> dict | None:
        """One claim with its story, all its evidence and its history: the claim page.

        An evidence's `archived_copy_cleaned` says what its published copy left metadata out of: 'photo', or
        'document' (a zip, .docx or .odt, or a PDF, as tracker/photos.py is_container tells them: its properties
        and its photos' metadata were left out; the media type is not always known), or null for a copy as received.
        Its `archived_copy_kept` says what that copy still records that could not be removed ("a HEIC photo's",
        tracker/documents.py metadata_kept), or null.
        """
        try:
            claim_id = int(claim_id)
        except (TypeError, ValueError):
            return None
        claim = await query(
            """select c.*, s.title as story_title from claims c
               left join stories s on s.slug = c.story where c.id = ?""",
            [claim_id],
        )
        if not claim.rows:
            return None
        evidence = await query(
            """select id, coverage_id, quote, stance, outlet, title, url, published_at, published_precision,
                      published_local, coverage_kind, page, seen_at, archived_copy_id,
                      (select case when not a.metadata_removed then null
                                   when substr(a.body, 1, 4) = X'504B0304'
                                     or instr(substr(a.body, 1, 1024), X'255044462D') then 'document'
                                   else 'photo' end
                         from archived_copies a where a.id = archived_copy_id) as archived_copy_cleaned,
                      (select a.metadata_kept from archived_copies a where a.id = archived_copy_id)
                          as archived_copy_kept
               from evidence where claim_id = ? order by published_at is null, published_at, id""",
            [claim_id],
        )
        history = await query(
            "select at, from_status, to_status, public_rationale, is_correction from status_history "
            "where claim_id = ? order by id",
            [claim_id],
        )
        # Who reported it first is the timeline's "first reported" event's source: the evidence that dates it.
        first = await query(
            "select outlet from events where claim_id = ? and kind = 'first_reported' order by id limit 1", [claim_id]
        )
        return {
            **dict(claim.rows[0]),
            "evidence": [dict(r) for r in evidence.rows],
            "history": [dict(r) for r in history.rows],
            "first_reported_by": first.rows[0]["outlet"] if first.rows else None,
        }

    async def stories() -> list[dict]:
        """Every published story with its claims counted by status (counted once, by publish)."""
        if DATABASE not in datasette.databases:
            return []
        rows = await query(
            f"select slug, title, description, last_event_at, {', '.join(STATUSES)} from stories order by title"
        )
        return [
            {
                **dict(row),
                "counts": {status: row[status] for status in STATUSES},
                "total": sum(row[status] for status in STATUSES),
                "updated": row["last_event_at"],
            }
            for row in rows.rows
        ]

    async def status_counts(story: str = "") -> dict:
        """Claims per status (all stories, or one), for the filter chips."""
        sql = f"select {', '.join(f'coalesce(sum({s}), 0) as {s}' for s in STATUSES)} from stories"
        rows = await query(sql + (" where slug = ?" if story else ""), [story] if story else [])
        return {status: rows.rows[0][status] for status in STATUSES}

    async def open_claims(story: str = "", limit: int = 5) -> list[dict]:
        """The first rows of the `unclear` query (same order, same columns but `sources`), for side panels."""
        branch = """select id as claim_id, story, text as claim, claimant, claimant_type, status,
                           {since} as since, status_rationale as reason, first_reported_at, first_reported_local
                    from claims where status = '{status}' and (:story = '' or story = :story)
                    order by {since} desc, id desc limit :limit"""
        params = {"story": story, "limit": limit}
        unclear = await query(branch.format(status="unclear", since="status_changed_at"), params)
        found = [dict(r) for r in unclear.rows]
        if len(found) < limit:
            params["limit"] = limit - len(found)
            waiting = await query(branch.format(status="unreviewed", since="first_reported_at"), params)
            found += [dict(r) for r in waiting.rows]
        return found

    async def canned(name: str, **params) -> list[dict]:
        """Rows of one of metadata.yml's canned queries: the pages show what the JSON serves."""
        canned_query = await datasette.get_canned_query(DATABASE, name, None)
        if canned_query is None:
            return []
        results = await query(canned_query["sql"], params)
        return [dict(r) for r in results.rows]

    async def established(story: str = "", limit: int = 8) -> list[dict]:
        """The most recent confirmed and denied rulings: what we have established."""
        sql = """select id, story, text, claimant, claimant_type, status, status_changed_at, status_rationale
                 from claims where status = :status and (:story = '' or story = :story)
                 order by status_changed_at desc, id desc limit :limit"""
        found = []
        for status in ("confirmed", "denied"):
            rows = await query(sql, {"status": status, "story": story, "limit": limit})
            found += [dict(r) for r in rows.rows]
        found.sort(key=lambda r: (r["status_changed_at"] or "", r["id"]), reverse=True)
        return found[:limit]

    async def claimants_latest(rows, story: str = "", limit: int = 3) -> dict:
        """{(claimant, claimant_type): [its `limit` latest claims]} for the rows of `claims_by_claimant`, so its page
        shows each claimant's claims, not only their counts. One trip to a SQL thread for the page, each claimant
        read by the index claims_by_claimant reads (claimant, claimant_type, story...)."""
        keys = [(row["claimant"], row["claimant_type"]) for row in rows or ()]
        sql = """select id, text, status, first_reported_at, first_reported_precision from claims
                 where claimant is :claimant and claimant_type is :type and (:story = '' or story = :story)
                 order by first_reported_at desc, id desc limit :limit"""

        def run(conn):
            found = {}
            for claimant, kind in keys:
                params = {"claimant": claimant, "type": kind, "story": story or "", "limit": limit}
                cursor = conn.execute(sql, params)
                columns = [d[0] for d in cursor.description]
                found[(claimant, kind)] = [dict(zip(columns, row)) for row in cursor.fetchall()]
            return found

        if not keys or DATABASE not in datasette.databases:
            return {}
        return await datasette.get_database(DATABASE).execute_fn(run)

    def not_found(message: str = "") -> str:
        """A page's 404, raised from its template: a canned query's page always answers 200 in Datasette, and the
        template pages' own `raise_404` is not offered to it. Datasette's handle_exception (bad_input.py) renders
        it as the site's error page."""
        raise NotFound(message)

    def chosen_story(all_stories: list, slug: str | None) -> dict | None:
        """The story a reader's page is about: the one its `story` parameter names, or the only one the site
        holds when it names none; None for every story (or an unknown name). One rule for the timeline, the
        unclear claims and the claimant pages."""
        if slug:
            return next((s for s in all_stories if s["slug"] == slug), None)
        return all_stories[0] if len(all_stories) == 1 else None

    def archive_base() -> str | None:
        """Where archived copies are linked from: only once the site's public address is configured."""
        configured = (datasette.plugin_config(CONFIG) or {}).get("public_url")
        return str(configured).rstrip("/") if configured else None

    return {
        "claim_details": claim_details,
        "claim_record": claim_record,
        "bears_on": bears_on,
        "archive_base": archive_base,
        "not_found": not_found,
        "public_stories": stories,
        "chosen_story": chosen_story,
        "status_counts": status_counts,
        "open_claims": open_claims,
        "canned": canned,
        "established": established,
        "claimants_latest": claimants_latest,
        "claimants_shown": CLAIMANTS_SHOWN,
        "statuses": ["confirmed", "denied", "unclear", "unreviewed"],
        "status_labels": dict(STATUS_LABELS),
        "kind_labels": {
            "first_reported": "First reported",
            "statement": "Statement cited",
            "statement_changed": "Statement changed",
            "status_changed": "Ruling",
            "correction": "Correction",
        },
        "claimant_types": {
            "named": "named source",
            "anonymous": "anonymous source",
            "organization": "organisation",
            "outlet": "news outlet",
            "document": "document",
            "unattributed": "unattributed",
        },
    }
