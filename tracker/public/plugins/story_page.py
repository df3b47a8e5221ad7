"""Datasette hook for the public story page (templates/pages/stories/{slug}.html).

The page follows the order of the bundled article: summary, timeline, what
remains unclear, what's next, key questions. Everything it reads was
decided at publish time (tracker/publish.py): only published questions and
developments, and only published claims linked to them; the `stale` flag
was computed from those claims alone. Loaded from --plugins-dir as a bare
module, so it imports nothing from `tracker`.
"""

from __future__ import annotations

import json

from datasette import hookimpl

DATABASE = "public"
TIMELINE_EVENTS = 8
# The story's newest events, in the timeline's order: `position`, each event's place in time (a publish numbers
# them in date order, an undated one first; an event's id stays with it, so an earlier one published later has a
# higher id). Read through the (story, position) index it stops after the few shown, where sorting read every
# event of the story (0.3 s for 69,000 events).
LATEST_EVENTS_SQL = "select * from events where story = ? order by position desc limit ?"
# Open claims listed on the page, newest first; the rest are one link away (the claims table, filtered). Listing
# them all made a story of about 18,000 claims a page larger than the site serves, so readers got an error.
OPEN_CLAIMS_SHOWN = 100
# Unclear first (most recently ruled first), then unreviewed (most recently reported first). The ones shown are
# chosen on the claims' (story, status, status_changed_at, first_reported_at) index alone, then only their rows
# read: sorting whole rows read every open claim of the story (29 ms for 22,000 of them, ~70 ms under load).
OPEN_CLAIMS_ORDER = "status = 'unreviewed', coalesce(status_changed_at, first_reported_at) desc, id desc"
OPEN_CLAIMS_SQL = f"""select id, text, claimant, status, status_changed_at, first_reported_at, status_rationale
   from claims
   where id in (select id from claims where story = ? and status in ('unclear', 'unreviewed')
                order by {OPEN_CLAIMS_ORDER} limit ?)
   order by {OPEN_CLAIMS_ORDER}"""
# The same for the claims a key question rests on (the most recently linked, in the order they were linked) and
# for a story's developments (the most recently added, in reading order): a question resting on 20,000 claims
# made the page too large as well, and so would about 17,000 developments.
QUESTION_CLAIMS_SHOWN = 100
DEVELOPMENTS_SHOWN = 100
STANCE_LABELS = {"answers_yes": "Points to yes", "answers_no": "Points to no", "context": "Context"}
STATE_LABELS = {"not_yet": "Not yet", "happened": "Happened", "did_not_happen": "Did not happen"}


async def _rows(datasette, sql: str, params) -> list[dict]:
    def run(conn):
        cursor = conn.execute(sql, params)
        columns = [d[0] for d in cursor.description]
        return [dict(zip(columns, row)) for row in cursor.fetchall()]

    return await datasette.get_database(DATABASE).execute_fn(run)


async def _has_table(datasette, name: str) -> bool:
    found = await _rows(datasette, "select 1 from sqlite_master where type = 'table' and name = ?", [name])
    return bool(found)


async def story_page(datasette, slug) -> dict | None:
    """Everything the story page shows, or None when no published story has this slug."""
    if DATABASE not in datasette.databases or not isinstance(slug, str):
        return None
    found = await _rows(datasette, "select * from stories where slug = ?", [slug])
    if not found:
        return None
    story = found[0]
    events = await _rows(
        datasette,
        LATEST_EVENTS_SQL,
        [slug, TIMELINE_EVENTS],
    )
    questions: list[dict] = []
    developments: list[dict] = []
    developments_count = 0
    if await _has_table(datasette, "questions"):  # a public file published before issue 7 has none
        questions = await _rows(datasette, "select * from questions where story = ? order by position, id", [slug])
        links = await _rows(
            datasette,
            """select question_id, claim_id, stance, status, status_changed_at, claim, claimant, linked
               from (select qc.question_id, qc.claim_id, qc.stance, qc.status, qc.status_changed_at,
                            c.text as claim, c.claimant, qc.rowid as link_order,
                            row_number() over (partition by qc.question_id order by qc.rowid desc) as newest,
                            count(*) over (partition by qc.question_id) as linked
                     from question_claims qc join claims c on c.id = qc.claim_id
                     join questions q on q.id = qc.question_id
                     where q.story = ?)
               where newest <= ? order by question_id, link_order""",
            [slug, QUESTION_CLAIMS_SHOWN],
        )
        by_question: dict[int, list[dict]] = {}
        for link in links:
            by_question.setdefault(link["question_id"], []).append(link)
        for question in questions:
            question["claims"] = by_question.get(question["id"], [])
            question["claims_count"] = question["claims"][0]["linked"] if question["claims"] else 0
        developments = await _rows(
            datasette,
            """select * from developments where story = ?
                 and id in (select id from developments where story = ? order by id desc limit ?)
               order by position, id""",
            [slug, slug, DEVELOPMENTS_SHOWN],
        )
        counted = await _rows(datasette, "select count(*) as n from developments where story = ?", [slug])
        developments_count = counted[0]["n"]
    # What remains unclear: open claims, under the first question (in reading order) they bear on.
    open_claims = await _rows(datasette, OPEN_CLAIMS_SQL, [slug, OPEN_CLAIMS_SHOWN])
    first_question: dict[int, dict] = {}
    if questions:
        # Read from question_claims, not from the questions' lists: an open claim may be linked past their cut.
        bearing = await _rows(
            datasette,
            "select question_id, claim_id from question_claims where claim_id in (select value from json_each(?))",
            [json.dumps([claim["id"] for claim in open_claims])],
        )
        reading_order = {question["id"]: n for n, question in enumerate(questions)}
        for link in sorted(bearing, key=lambda link: reading_order.get(link["question_id"], len(questions))):
            if link["question_id"] in reading_order:
                first_question.setdefault(link["claim_id"], questions[reading_order[link["question_id"]]])
    groups: dict = {}
    for claim in open_claims:
        question = first_question.get(claim["id"])
        groups.setdefault(question["id"] if question else None, {"question": question, "claims": []})["claims"].append(
            claim
        )
    unclear = [groups[q["id"]] for q in questions if q["id"] in groups]
    if None in groups:
        unclear.append(groups[None])
    return {
        "story": story,
        "events": events,
        "unclear": unclear,
        "open_count": (story["unclear"] or 0) + (story["unreviewed"] or 0),
        "open_shown": len(open_claims),
        "developments": developments,
        "developments_count": developments_count,
        "questions": questions,
    }


@hookimpl
def extra_template_vars(datasette):
    async def load(slug) -> dict | None:
        return await story_page(datasette, slug)

    return {"story_page": load, "stance_labels": STANCE_LABELS, "state_labels": STATE_LABELS}
