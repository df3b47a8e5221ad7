"""Every table, index, trigger and full-text index of the working database.

One owner for the schema: numbered, named sqlite-utils migrations, applied by
`python -m tracker init`, the editor, every CLI command and the test fixtures.
Only ever append a migration; never edit one that has shipped.

A shipped migration is history, not code: it keeps its own literals (the
statuses in a CHECK constraint are written out, not read from
tracker/vocab.py) and plain SQL, and imports nothing of the application, so
an old database upgrades the same way forever. tests/test_migrations.py pins
the schema they build. Adding a word to tracker/vocab.py therefore needs a
new migration for the constraint, and a test there says so.

Values derived by a rule that lives in the application (the echo counts of
tracker/echoes.py) are not a migration's to compute: a backfill, in its own
named set recorded in the same _sqlite_migrations table, runs today's rule
once after the schema is up to date.
"""

from __future__ import annotations

import re
import sqlite3
import struct

import sqlite_utils
from sqlite_utils.migrations import Migrations

migrations = Migrations("tracker")


@migrations(name="0001_core")
def m0001_core(db: sqlite_utils.Database) -> None:
    db.executescript(
        """
        CREATE TABLE users (
            id INTEGER PRIMARY KEY,
            username TEXT NOT NULL UNIQUE COLLATE NOCASE,
            password_hash TEXT NOT NULL,
            role TEXT NOT NULL CHECK (role IN ('reporter', 'editor', 'admin')),
            active INTEGER NOT NULL DEFAULT 1,
            created_at TEXT NOT NULL
        );
        CREATE TABLE api_tokens (
            id INTEGER PRIMARY KEY,
            user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            token_hash TEXT NOT NULL UNIQUE,
            created_at TEXT NOT NULL,
            last_used_at TEXT
        );
        CREATE TABLE stories (
            id INTEGER PRIMARY KEY,
            slug TEXT NOT NULL UNIQUE,
            title TEXT NOT NULL,
            description TEXT NOT NULL DEFAULT '',
            keywords_include TEXT NOT NULL DEFAULT '',
            keywords_exclude TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL
        );
        CREATE TABLE sources (
            id INTEGER PRIMARY KEY,
            story_id INTEGER NOT NULL REFERENCES stories(id),
            kind TEXT NOT NULL CHECK (kind IN ('feed', 'page', 'statement')),
            url TEXT NOT NULL,
            outlet TEXT,
            config TEXT NOT NULL DEFAULT '{}',
            etag TEXT,
            last_modified TEXT,
            trust_validators INTEGER NOT NULL DEFAULT 1,
            last_fetched_at TEXT,
            next_poll_at TEXT,
            failures INTEGER NOT NULL DEFAULT 0,
            last_error TEXT,
            created_at TEXT NOT NULL,
            UNIQUE (story_id, url)
        );
        CREATE TABLE fetches (
            id INTEGER PRIMARY KEY,
            source_id INTEGER REFERENCES sources(id),
            url TEXT NOT NULL,
            at TEXT NOT NULL,
            status INTEGER,
            outcome TEXT NOT NULL,
            bytes INTEGER,
            ms INTEGER,
            error TEXT
        );
        CREATE INDEX fetches_source ON fetches(source_id, at);
        CREATE TABLE coverage (
            id INTEGER PRIMARY KEY,
            story_id INTEGER NOT NULL REFERENCES stories(id),
            source_id INTEGER REFERENCES sources(id),
            kind TEXT NOT NULL DEFAULT 'article' CHECK (kind IN ('article', 'statement')),
            canonical_url TEXT NOT NULL,
            outlet TEXT,
            title TEXT,
            byline TEXT,
            summary TEXT,
            language TEXT,
            published_at TEXT,
            modified_at TEXT,
            cluster_id INTEGER,
            first_seen_at TEXT NOT NULL,
            last_checked_at TEXT,
            next_check_at TEXT,
            UNIQUE (story_id, canonical_url)
        );
        CREATE INDEX coverage_story_published ON coverage(story_id, published_at);
        CREATE TABLE revisions (
            id INTEGER PRIMARY KEY,
            coverage_id INTEGER NOT NULL REFERENCES coverage(id),
            fetched_at TEXT NOT NULL,
            content_hash TEXT NOT NULL,
            text TEXT NOT NULL,
            diff TEXT
        );
        CREATE INDEX revisions_coverage ON revisions(coverage_id, id);
        CREATE TABLE claims (
            id INTEGER PRIMARY KEY,
            story_id INTEGER NOT NULL REFERENCES stories(id),
            text TEXT NOT NULL CHECK (length(trim(text)) > 0),
            claimant TEXT NOT NULL DEFAULT '',
            claimant_type TEXT NOT NULL DEFAULT 'unattributed'
                CHECK (claimant_type IN ('named', 'anonymous', 'organization', 'outlet', 'document', 'unattributed')),
            status TEXT NOT NULL DEFAULT 'unreviewed' CHECK (status IN ('unreviewed', 'confirmed', 'denied', 'unclear')),
            status_changed_at TEXT,
            version INTEGER NOT NULL DEFAULT 1,
            published INTEGER NOT NULL DEFAULT 0 CHECK (published IN (0, 1)),
            first_reported_at TEXT,
            source_identity TEXT NOT NULL DEFAULT '',
            internal_notes TEXT NOT NULL DEFAULT '',
            created_by INTEGER REFERENCES users(id),
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE INDEX claims_story_status ON claims(story_id, status);
        CREATE TABLE evidence (
            id INTEGER PRIMARY KEY,
            claim_id INTEGER NOT NULL REFERENCES claims(id),
            revision_id INTEGER NOT NULL REFERENCES revisions(id),
            quote TEXT NOT NULL,
            start INTEGER NOT NULL CHECK (start >= 0),
            "end" INTEGER NOT NULL CHECK ("end" > start),
            stance TEXT NOT NULL DEFAULT 'supports' CHECK (stance IN ('supports', 'contradicts', 'context')),
            added_by INTEGER REFERENCES users(id),
            added_at TEXT NOT NULL,
            UNIQUE (claim_id, revision_id, start, "end")
        );
        CREATE INDEX evidence_claim ON evidence(claim_id);
        CREATE INDEX evidence_revision ON evidence(revision_id);
        CREATE TABLE status_history (
            id INTEGER PRIMARY KEY,
            claim_id INTEGER NOT NULL REFERENCES claims(id),
            from_status TEXT NOT NULL CHECK (from_status IN ('unreviewed', 'confirmed', 'denied', 'unclear')),
            to_status TEXT NOT NULL CHECK (to_status IN ('unreviewed', 'confirmed', 'denied', 'unclear')),
            rationale TEXT NOT NULL CHECK (length(trim(rationale)) > 0),
            public_rationale TEXT NOT NULL DEFAULT '',
            is_correction INTEGER NOT NULL DEFAULT 0,
            editor_id INTEGER REFERENCES users(id),
            at TEXT NOT NULL
        );
        CREATE INDEX status_history_claim ON status_history(claim_id, id);
        CREATE TRIGGER status_history_no_update BEFORE UPDATE ON status_history
        BEGIN
            SELECT RAISE(ABORT, 'status_history is append-only');
        END;
        CREATE TRIGGER status_history_no_delete BEFORE DELETE ON status_history
        BEGIN
            SELECT RAISE(ABORT, 'status_history is append-only');
        END;
        """  # noqa: E501 - the statements as they shipped, byte for byte: they are the stored schema
    )
    db["claims"].enable_fts(["text", "claimant"], fts_version="FTS5", create_triggers=True)
    db["revisions"].enable_fts(["text"], fts_version="FTS5", create_triggers=True)


@migrations(name="0002_candidates")
def m0002_candidates(db: sqlite_utils.Database) -> None:
    """Claim candidates found in coverage, waiting for a reporter's triage."""
    db.executescript(
        """
        CREATE TABLE candidates (
            id INTEGER PRIMARY KEY,
            story_id INTEGER NOT NULL REFERENCES stories(id),
            revision_id INTEGER NOT NULL REFERENCES revisions(id),
            kind TEXT NOT NULL,
            text TEXT NOT NULL,
            quote TEXT,
            claimant TEXT,
            claimant_type TEXT,
            start INTEGER NOT NULL,
            "end" INTEGER NOT NULL,
            fingerprint TEXT NOT NULL,
            state TEXT NOT NULL DEFAULT 'pending'
                CHECK (state IN ('pending', 'accepted', 'merged', 'dismissed')),
            claim_id INTEGER REFERENCES claims(id),
            reason TEXT,
            decided_by INTEGER REFERENCES users(id),
            decided_at TEXT,
            created_at TEXT NOT NULL,
            UNIQUE (revision_id, start, "end")
        );
        CREATE INDEX candidates_story_state ON candidates(story_id, state, id);
        CREATE INDEX candidates_fingerprint ON candidates(story_id, fingerprint);
        """
    )


@migrations(name="0003_scraping")
def m0003_scraping(db: sqlite_utils.Database) -> None:
    """What the scrape loop needs: source health and schedule, item re-checks, clusters, change events.

    sources: `state` (gone after repeated 404/410), poll counters for the
    occasional unconditional fetch, the hash of the last body (a 200 with the
    same bytes is not parsed again). coverage: validators and a re-check
    schedule per item, a flagged future date kept apart from published_at, and
    the shingle count of its MinHash sketch (the sketch itself, a few hashes
    per item, is in coverage_sketches so near-duplicates are an index lookup).
    coverage_events: an item first seen and each later revision ('changed'),
    the events the editor and the public timeline show.
    """
    db.executescript(
        """
        ALTER TABLE sources ADD COLUMN state TEXT NOT NULL DEFAULT 'active' CHECK (state IN ('active', 'paused', 'gone'));
        ALTER TABLE sources ADD COLUMN last_status INTEGER;
        ALTER TABLE sources ADD COLUMN last_outcome TEXT;
        ALTER TABLE sources ADD COLUMN last_ok_at TEXT;
        ALTER TABLE sources ADD COLUMN poll_count INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE sources ADD COLUMN polls_since_full INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE sources ADD COLUMN last_full_at TEXT;
        ALTER TABLE sources ADD COLUMN body_hash TEXT;
        ALTER TABLE sources ADD COLUMN missing_count INTEGER NOT NULL DEFAULT 0;
        CREATE INDEX sources_due ON sources(state, next_poll_at);
        ALTER TABLE coverage ADD COLUMN etag TEXT;
        ALTER TABLE coverage ADD COLUMN last_modified TEXT;
        ALTER TABLE coverage ADD COLUMN check_count INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE coverage ADD COLUMN check_failures INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE coverage ADD COLUMN check_error TEXT;
        ALTER TABLE coverage ADD COLUMN gone_at TEXT;
        ALTER TABLE coverage ADD COLUMN claimed_published_at TEXT;
        ALTER TABLE coverage ADD COLUMN date_flag TEXT;
        ALTER TABLE coverage ADD COLUMN shingles INTEGER;
        CREATE INDEX coverage_due ON coverage(next_check_at) WHERE source_id IS NOT NULL AND gone_at IS NULL;
        CREATE INDEX coverage_cluster ON coverage(cluster_id) WHERE cluster_id IS NOT NULL;
        CREATE INDEX coverage_source ON coverage(source_id);
        CREATE TABLE coverage_sketches (
            coverage_id INTEGER NOT NULL REFERENCES coverage(id),
            story_id INTEGER NOT NULL REFERENCES stories(id),
            hash INTEGER NOT NULL
        );
        CREATE INDEX coverage_sketches_lookup ON coverage_sketches(story_id, hash);
        CREATE INDEX coverage_sketches_item ON coverage_sketches(coverage_id);
        CREATE VIEW coverage_events AS
            SELECT CASE WHEN EXISTS (SELECT 1 FROM revisions p WHERE p.coverage_id = r.coverage_id AND p.id < r.id)
                        THEN 'changed' ELSE 'first_seen' END AS event,
                   r.id AS revision_id, r.coverage_id, c.story_id, c.kind, c.outlet, c.title, c.canonical_url,
                   r.fetched_at AS at, c.published_at, r.diff
            FROM revisions r JOIN coverage c ON c.id = r.coverage_id;
        """  # noqa: E501 - the statements as they shipped, byte for byte: they are the stored schema
    )


@migrations(name="0004_editor")
def m0004_editor(db: sqlite_utils.Database) -> None:
    """What the editor's workflow needs: cited evidence on rulings, a publish log, fast claim lists.

    status_history_evidence: the evidence items a ruling cites, append-only
    like the history itself. publish_log: each "Publish now" with what it
    changed. The claim indexes carry the list's sort keys (the expression is
    the one tracker.claim_queries sorts by), so a page of 50 out of 100,000 claims is
    an index range, not a sort. claims_fts_vocab: how many claims contain each
    word (tracker.candidates suggests merges on rare words). claim_counts:
    claims per story and status, kept by triggers, so the counts on every
    claims page are a lookup rather than a scan of 100,000 index entries.
    """
    db.executescript(
        """
        CREATE TABLE status_history_evidence (
            history_id INTEGER NOT NULL REFERENCES status_history(id),
            evidence_id INTEGER NOT NULL REFERENCES evidence(id),
            PRIMARY KEY (history_id, evidence_id)
        ) WITHOUT ROWID;
        CREATE INDEX status_history_evidence_evidence ON status_history_evidence(evidence_id);
        CREATE TRIGGER status_history_evidence_no_update BEFORE UPDATE ON status_history_evidence
        BEGIN
            SELECT RAISE(ABORT, 'status_history_evidence is append-only');
        END;
        CREATE TRIGGER status_history_evidence_no_delete BEFORE DELETE ON status_history_evidence
        BEGIN
            SELECT RAISE(ABORT, 'status_history_evidence is append-only');
        END;
        CREATE TABLE publish_log (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            user_id INTEGER REFERENCES users(id),
            claims INTEGER NOT NULL,
            added INTEGER NOT NULL,
            removed INTEGER NOT NULL,
            status_changed INTEGER NOT NULL,
            text_changed INTEGER NOT NULL,
            changes TEXT NOT NULL DEFAULT '[]'
        );
        CREATE INDEX claims_story_reported ON claims(story_id, coalesce(first_reported_at, created_at), id);
        CREATE INDEX claims_story_status_reported
            ON claims(story_id, status, coalesce(first_reported_at, created_at), id);
        CREATE INDEX claims_story_updated ON claims(story_id, updated_at, id);
        CREATE INDEX claims_story_claimant ON claims(story_id, claimant COLLATE NOCASE, id);
        CREATE INDEX coverage_story_outlet ON coverage(story_id, outlet);
        CREATE VIRTUAL TABLE claims_fts_vocab USING fts5vocab(claims_fts, row);
        CREATE TABLE claim_counts (
            story_id INTEGER NOT NULL,
            status TEXT NOT NULL,
            n INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (story_id, status)
        ) WITHOUT ROWID;
        INSERT INTO claim_counts (story_id, status, n)
            SELECT story_id, status, count(*) FROM claims GROUP BY story_id, status;
        CREATE TRIGGER claim_counts_insert AFTER INSERT ON claims
        BEGIN
            INSERT INTO claim_counts (story_id, status, n) VALUES (new.story_id, new.status, 1)
                ON CONFLICT (story_id, status) DO UPDATE SET n = n + 1;
        END;
        CREATE TRIGGER claim_counts_delete AFTER DELETE ON claims
        BEGIN
            UPDATE claim_counts SET n = n - 1 WHERE story_id = old.story_id AND status = old.status;
        END;
        CREATE TRIGGER claim_counts_update AFTER UPDATE OF status, story_id ON claims
            WHEN old.status != new.status OR old.story_id != new.story_id
        BEGIN
            UPDATE claim_counts SET n = n - 1 WHERE story_id = old.story_id AND status = old.status;
            INSERT INTO claim_counts (story_id, status, n) VALUES (new.story_id, new.status, 1)
                ON CONFLICT (story_id, status) DO UPDATE SET n = n + 1;
        END;
        """
    )


@migrations(name="0005_questions")
def m0005_questions(db: sqlite_utils.Database) -> None:
    """Story questions ("Key questions") tied to the claims that answer them, and "What's next".

    questions: an editor's short answer with when it was last written or
    reviewed; `answer_history_mark` / `answer_link_mark` are the highest
    status_history and question_claims ids when it was, so "a linked claim
    changed after the answer" is an id comparison, exact even within one
    second. developments: an expected development, where the expectation
    comes from (a claim and/or coverage), and whether it happened, with the
    coverage that shows it.
    """
    db.executescript(
        """
        CREATE TABLE questions (
            id INTEGER PRIMARY KEY,
            story_id INTEGER NOT NULL REFERENCES stories(id),
            text TEXT NOT NULL CHECK (length(trim(text)) > 0),
            answer TEXT NOT NULL DEFAULT '',
            answer_written_at TEXT,
            answer_changed_at TEXT,
            answered_by INTEGER REFERENCES users(id),
            answer_history_mark INTEGER NOT NULL DEFAULT 0,
            answer_link_mark INTEGER NOT NULL DEFAULT 0,
            published INTEGER NOT NULL DEFAULT 0 CHECK (published IN (0, 1)),
            position INTEGER NOT NULL DEFAULT 0,
            version INTEGER NOT NULL DEFAULT 1,
            created_by INTEGER REFERENCES users(id),
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE INDEX questions_story ON questions(story_id, position, id);
        CREATE TABLE question_claims (
            id INTEGER PRIMARY KEY,
            question_id INTEGER NOT NULL REFERENCES questions(id),
            claim_id INTEGER NOT NULL REFERENCES claims(id),
            stance TEXT NOT NULL CHECK (stance IN ('answers_yes', 'answers_no', 'context')),
            added_by INTEGER REFERENCES users(id),
            added_at TEXT NOT NULL,
            UNIQUE (question_id, claim_id)
        );
        CREATE INDEX question_claims_claim ON question_claims(claim_id);
        CREATE TABLE developments (
            id INTEGER PRIMARY KEY,
            story_id INTEGER NOT NULL REFERENCES stories(id),
            text TEXT NOT NULL CHECK (length(trim(text)) > 0),
            expected_date TEXT,
            expectation TEXT NOT NULL DEFAULT '',
            claim_id INTEGER REFERENCES claims(id),
            coverage_id INTEGER REFERENCES coverage(id),
            state TEXT NOT NULL DEFAULT 'not_yet' CHECK (state IN ('not_yet', 'happened', 'did_not_happen')),
            state_changed_at TEXT,
            state_note TEXT NOT NULL DEFAULT '',
            evidence_coverage_id INTEGER REFERENCES coverage(id),
            published INTEGER NOT NULL DEFAULT 0 CHECK (published IN (0, 1)),
            position INTEGER NOT NULL DEFAULT 0,
            version INTEGER NOT NULL DEFAULT 1,
            created_by INTEGER REFERENCES users(id),
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE INDEX developments_story ON developments(story_id, position, id);
        """
    )


@migrations(name="0006_echo_counts")
def m0006_echo_counts(db: sqlite_utils.Database) -> None:
    """claims.independent_sources / outlets_repeating: the stored echo counts (tracker/echoes.py).

    NULL means no outlet carries the claim yet (or not computed). Kept up to
    date by echoes.refresh wherever evidence, triage decisions or clusters
    change. The counts of claims that already have evidence are derived
    data, filled in by the "echo_counts" backfill below with today's rule.
    """
    db.executescript(
        """
        ALTER TABLE claims ADD COLUMN independent_sources INTEGER;
        ALTER TABLE claims ADD COLUMN outlets_repeating INTEGER;
        """
    )


@migrations(name="0007_extraction_queue")
def m0007_extraction_queue(db: sqlite_utils.Database) -> None:
    """revisions.extracted_at: claim candidates are found after a revision is stored, not while.

    NULL means the revision waits for tracker.extraction.extract_waiting,
    which every scrape pass, watch pass and ingest runs once its pages are
    stored. Storing a page then costs only its own writes, and a rule that
    trips on one odd text can no longer keep that page out of the database.
    Revisions stored before this migration were extracted at ingest; the
    latest revision of an item without candidates is left waiting (coverage
    stored before extraction existed, what `candidates --backfill` used to
    find, or a text with none, which finding again does no harm).
    The full-text triggers on revisions and claims re-indexed a row on any
    update (sqlite-utils writes them so); they now fire only when the
    indexed text changes, not on a status change, an echo count or this
    stamp. Also indexes candidates by claim, which the echo counts look up.
    """
    db.executescript(
        """
        DROP TRIGGER revisions_au;
        CREATE TRIGGER revisions_au AFTER UPDATE OF text ON revisions BEGIN
          INSERT INTO revisions_fts (revisions_fts, rowid, text) VALUES ('delete', old.rowid, old.text);
          INSERT INTO revisions_fts (rowid, text) VALUES (new.rowid, new.text);
        END;
        DROP TRIGGER claims_au;
        CREATE TRIGGER claims_au AFTER UPDATE OF text, claimant ON claims BEGIN
          INSERT INTO claims_fts (claims_fts, rowid, text, claimant)
          VALUES ('delete', old.rowid, old.text, old.claimant);
          INSERT INTO claims_fts (rowid, text, claimant) VALUES (new.rowid, new.text, new.claimant);
        END;
        ALTER TABLE revisions ADD COLUMN extracted_at TEXT;
        UPDATE revisions SET extracted_at = fetched_at
        WHERE EXISTS (SELECT 1 FROM candidates k WHERE k.revision_id = revisions.id)
           OR EXISTS (SELECT 1 FROM revisions later WHERE later.coverage_id = revisions.coverage_id
                      AND later.id > revisions.id);
        CREATE INDEX revisions_waiting ON revisions(id) WHERE extracted_at IS NULL;
        CREATE INDEX candidates_claim ON candidates(claim_id) WHERE claim_id IS NOT NULL;
        """
    )


@migrations(name="0008_login_limits")
def m0008_login_limits(db: sqlite_utils.Database) -> None:
    """login_limits: the login rate limit's counters, shared by every editor process.

    `python -m tracker serve` runs the editor in several worker processes; a
    counter kept in each process's memory would let a password guesser try
    that many times more. One row per limited key (an address or an
    account, with the window), gone once its window ends.
    """
    db.executescript(
        """
        CREATE TABLE login_limits (
          key TEXT PRIMARY KEY,
          hits INTEGER NOT NULL,
          expires_at REAL NOT NULL
        ) WITHOUT ROWID;
        """
    )


@migrations(name="0009_sketch_blobs")
def m0009_sketch_blobs(db: sqlite_utils.Database) -> None:
    """Whole sketches on their items; only each sketch's 16 smallest values in the lookup table.

    The lookup table held all 32 values of every sketch, with a rowid and two
    indexes: three b-tree writes per value, on random pages, for each new
    text. Now each item keeps its sketch in coverage.sketch (packed signed
    64-bit integers, smallest first) and the table, keyed on what the lookup
    reads, holds its 16 smallest (tracker/clusters.py, INDEXED). Existing
    sketches move over as they are: the hash values do not change.
    """
    db.executescript(
        """
        ALTER TABLE coverage ADD COLUMN sketch BLOB;
        CREATE TABLE coverage_sketches_new (
            story_id INTEGER NOT NULL REFERENCES stories(id),
            hash INTEGER NOT NULL,
            coverage_id INTEGER NOT NULL REFERENCES coverage(id),
            PRIMARY KEY (story_id, hash, coverage_id)
        ) WITHOUT ROWID;
        INSERT INTO coverage_sketches_new (story_id, hash, coverage_id)
            SELECT story_id, hash, coverage_id FROM (
                SELECT story_id, hash, coverage_id,
                       row_number() OVER (PARTITION BY coverage_id ORDER BY hash) AS position
                FROM coverage_sketches
            ) WHERE position <= 16;
        """
    )
    sketches: dict[int, list[int]] = {}
    for coverage_id, value in db.execute("SELECT coverage_id, hash FROM coverage_sketches ORDER BY coverage_id, hash"):
        sketches.setdefault(coverage_id, []).append(value)
    db.conn.executemany(
        "UPDATE coverage SET sketch = ? WHERE id = ?",
        [(struct.pack(f"<{len(values)}q", *values), coverage_id) for coverage_id, values in sketches.items()],
    )
    db.executescript(
        """
        DROP TABLE coverage_sketches;
        ALTER TABLE coverage_sketches_new RENAME TO coverage_sketches;
        """
    )


@migrations(name="0010_sessions_and_review")
def m0010_sessions_and_review(db: sqlite_utils.Database) -> None:
    """Sessions that end, and a record of edits to what readers see.

    users.session_version is part of every signed-in session; bumping it
    (sign-out, password or role change, deactivation) ends every session the
    account has, on every device. claim_edits keeps each change to a claim's
    public wording or attribution (append-only, like status_history): the
    publish page names who made it, and an answer linked to a claim edited
    after the answer was last reviewed (questions.answer_edit_mark) is
    possibly stale.
    """
    db.executescript(
        """
        ALTER TABLE users ADD COLUMN session_version INTEGER NOT NULL DEFAULT 0;
        CREATE TABLE claim_edits (
            id INTEGER PRIMARY KEY,
            claim_id INTEGER NOT NULL REFERENCES claims(id),
            user_id INTEGER REFERENCES users(id),
            at TEXT NOT NULL,
            field TEXT NOT NULL CHECK (field IN ('text', 'claimant', 'claimant_type')),
            old TEXT NOT NULL,
            new TEXT NOT NULL
        );
        CREATE INDEX claim_edits_claim ON claim_edits (claim_id, id);
        CREATE TRIGGER claim_edits_no_update BEFORE UPDATE ON claim_edits
        BEGIN SELECT RAISE(ABORT, 'claim_edits is append-only'); END;
        CREATE TRIGGER claim_edits_no_delete BEFORE DELETE ON claim_edits
        BEGIN SELECT RAISE(ABORT, 'claim_edits is append-only'); END;
        ALTER TABLE questions ADD COLUMN answer_edit_mark INTEGER NOT NULL DEFAULT 0;
        """
    )


@migrations(name="0011_candidate_spans")
def m0011_candidate_spans(db: sqlite_utils.Database) -> None:
    """What a candidate attributes, and where: content, cue and source offsets into its revision's text.

    content is the attributed words alone (quotation marks stripped);
    content_spans is a JSON list of [start, end] pieces when a quotation is
    split by "she said"; cue is the reporting words ("said", "according
    to"); source_start/source_end mark where the source is named in the
    text (a pronoun, when the claimant was resolved from it). All NULL for
    candidates found before this existed, and for those with no content
    (a "declined to comment").
    """
    db.executescript(
        """
        ALTER TABLE candidates ADD COLUMN content TEXT;
        ALTER TABLE candidates ADD COLUMN content_start INTEGER;
        ALTER TABLE candidates ADD COLUMN content_end INTEGER;
        ALTER TABLE candidates ADD COLUMN content_spans TEXT;
        ALTER TABLE candidates ADD COLUMN cue TEXT;
        ALTER TABLE candidates ADD COLUMN cue_start INTEGER;
        ALTER TABLE candidates ADD COLUMN cue_end INTEGER;
        ALTER TABLE candidates ADD COLUMN source_start INTEGER;
        ALTER TABLE candidates ADD COLUMN source_end INTEGER;
        """
    )


@migrations(name="0012_check_worthiness")
def m0012_check_worthiness(db: sqlite_utils.Database) -> None:
    """candidates.check_score (0-1) and check_reasons (JSON list): how worth checking first a candidate is.

    Written when a candidate is stored (tracker/checkworthy/store.py); NULL
    for candidates stored before, until `python -m tracker score-candidates`
    scores them. The index serves the triage queue's default order, best
    first within a story and state (NULLs sort last in a DESC order).
    """
    db.executescript(
        """
        ALTER TABLE candidates ADD COLUMN check_score REAL;
        ALTER TABLE candidates ADD COLUMN check_reasons TEXT;
        CREATE INDEX candidates_check ON candidates(story_id, state, check_score DESC, id);
        """
    )


@migrations(name="0013_crawl_faults")
def m0013_crawl_faults(db: sqlite_utils.Database) -> None:
    """Politeness that outlives a process, and cheap checks that a feed's 304s tell the truth.

    host_pacing: the latest request start claimed for each host (seconds
    since the epoch), the delay it was made under and which process claimed
    it, so a restarted
    `watch`, or a second process, starts no request to that host before the
    delay has passed (scrapers/http/fetcher.py). sources.probe_*: where the
    newest entry sits in the feed's last full body (byte offset, length)
    and the hash of those bytes; a ranged GET of them every few polls shows
    whether the feed changed although its validators say it did not
    (scrapers/http/verify.py).
    """
    db.executescript(
        """
        CREATE TABLE host_pacing (
            host TEXT PRIMARY KEY,
            last_start_at REAL NOT NULL,
            delay_seconds REAL NOT NULL,
            claimed_by TEXT NOT NULL
        ) WITHOUT ROWID;
        ALTER TABLE sources ADD COLUMN probe_offset INTEGER;
        ALTER TABLE sources ADD COLUMN probe_length INTEGER;
        ALTER TABLE sources ADD COLUMN probe_hash TEXT;
        """
    )


@migrations(name="0014_alerts")
def m0014_alerts(db: sqlite_utils.Database) -> None:
    """Alerts: an outbox of events, who wants which, where to send them, and what was sent.

    alert_events: the outbox, one row per thing that happened, written in the
    same transaction as the change (tracker/alerts/events.py); `dedupe_key`
    keeps a condition (a source silent, an answer stale) to one event until
    it clears; `stored` is the commit clock in seconds (latency, digests).
    alert_subscriptions: a person's choice of stories, kinds, words and
    timing; a row without a person is an editor's default for a story.
    alert_destinations: where a person's messages go, the Apprise URL
    encrypted (`url_secret`, Fernet) and shown only masked; `internal` is an
    admin's decision that private details may go there; `sent_through` is
    how far along its person's notifications its deliveries have taken what
    was due at once (a digest's rows are passed over, alert_queue carries
    them). alert_notifications:
    a row per person and event, keyed by both (a person's events are one
    range of the key; it arrived when its event was routed): the in-app list,
    and the outbox of that person's destinations. An event due at once
    (`due` NULL) goes to each destination whose `sent_through` is below it,
    so routing an event to a thousand people writes a thousand rows, not a
    row per destination as well. It has no REFERENCES because the router,
    its only writer, takes both ids from rows it reads in the same
    transaction, and the two checks per row doubled the cost of routing.
    alert_queue: events that wait for a digest or the end of quiet hours,
    one row per destination and due time, the event ids as a JSON array.
    alert_deliveries: one message to one destination with the events it
    carries (`event_ids`, a JSON array: a link table would be a row per
    destination and event again), claimed by a sender with a lease and
    recorded when accepted. alert_rules_version: a counter
    the triggers below move whenever subscriptions, destinations or active
    accounts change, so a running sender reloads its routing rules only then.
    """
    db.executescript(
        """
        CREATE TABLE alert_events (
            id INTEGER PRIMARY KEY,
            kind TEXT NOT NULL,
            story_id INTEGER REFERENCES stories(id),
            subject TEXT NOT NULL,
            payload TEXT NOT NULL DEFAULT '{}',
            dedupe_key TEXT UNIQUE,
            at TEXT NOT NULL,
            stored REAL NOT NULL,
            routed_at TEXT
        );
        CREATE INDEX alert_events_unrouted ON alert_events(id) WHERE routed_at IS NULL;
        CREATE INDEX alert_events_story ON alert_events(story_id, id);
        CREATE TABLE alert_subscriptions (
            id INTEGER PRIMARY KEY,
            user_id INTEGER REFERENCES users(id),
            story_id INTEGER REFERENCES stories(id),
            kinds TEXT NOT NULL DEFAULT '',
            keywords TEXT NOT NULL DEFAULT '',
            claimants TEXT NOT NULL DEFAULT '',
            mode TEXT NOT NULL DEFAULT 'immediate' CHECK (mode IN ('immediate', 'hourly', 'daily')),
            daily_at TEXT NOT NULL DEFAULT '08:00',
            quiet_start TEXT,
            quiet_end TEXT,
            timezone TEXT NOT NULL DEFAULT 'UTC',
            created_by INTEGER REFERENCES users(id),
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            CHECK (user_id IS NOT NULL OR story_id IS NOT NULL)
        );
        CREATE UNIQUE INDEX alert_subscriptions_default ON alert_subscriptions(story_id) WHERE user_id IS NULL;
        CREATE INDEX alert_subscriptions_user ON alert_subscriptions(user_id, story_id);
        CREATE TABLE alert_destinations (
            id INTEGER PRIMARY KEY,
            user_id INTEGER NOT NULL REFERENCES users(id),
            label TEXT NOT NULL,
            scheme TEXT NOT NULL,
            url_masked TEXT NOT NULL,
            url_secret BLOB NOT NULL,
            internal INTEGER NOT NULL DEFAULT 0 CHECK (internal IN (0, 1)),
            active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
            per_minute INTEGER NOT NULL DEFAULT 30 CHECK (per_minute > 0),
            failures INTEGER NOT NULL DEFAULT 0,
            retry_at REAL,
            last_sent REAL,
            last_ok_at TEXT,
            last_error TEXT,
            last_error_at TEXT,
            sent_through INTEGER NOT NULL DEFAULT 0,
            created_at TEXT NOT NULL
        );
        CREATE INDEX alert_destinations_user ON alert_destinations(user_id, active);
        CREATE TABLE alert_notifications (
            user_id INTEGER NOT NULL,
            event_id INTEGER NOT NULL,
            read_at TEXT,
            due REAL,
            PRIMARY KEY (user_id, event_id)
        ) WITHOUT ROWID;
        CREATE INDEX alert_notifications_unread ON alert_notifications(user_id, event_id) WHERE read_at IS NULL;
        CREATE TABLE alert_queue (
            id INTEGER PRIMARY KEY,
            destination_id INTEGER NOT NULL REFERENCES alert_destinations(id),
            due REAL NOT NULL,
            event_ids TEXT NOT NULL
        );
        CREATE INDEX alert_queue_destination ON alert_queue(destination_id, due);
        CREATE INDEX alert_queue_due ON alert_queue(due);
        CREATE TABLE alert_deliveries (
            id INTEGER PRIMARY KEY,
            destination_id INTEGER NOT NULL REFERENCES alert_destinations(id),
            title TEXT NOT NULL,
            body TEXT NOT NULL,
            events INTEGER NOT NULL,
            event_ids TEXT NOT NULL DEFAULT '[]',
            state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sent', 'failed')),
            attempts INTEGER NOT NULL DEFAULT 0,
            next_attempt REAL NOT NULL,
            lease_owner TEXT,
            lease_until REAL,
            last_error TEXT,
            created REAL NOT NULL,
            created_at TEXT NOT NULL,
            sent REAL,
            sent_at TEXT
        );
        CREATE INDEX alert_deliveries_ready ON alert_deliveries(next_attempt) WHERE state = 'pending';
        CREATE INDEX alert_deliveries_destination ON alert_deliveries(destination_id, id);
        CREATE INDEX alert_deliveries_waiting ON alert_deliveries(destination_id) WHERE state = 'pending';
        CREATE TABLE alert_rules_version (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            n INTEGER NOT NULL
        );
        INSERT INTO alert_rules_version (id, n) VALUES (1, 0);
        CREATE TRIGGER alert_rules_subscription_added AFTER INSERT ON alert_subscriptions
            BEGIN UPDATE alert_rules_version SET n = n + 1; END;
        CREATE TRIGGER alert_rules_subscription_changed AFTER UPDATE ON alert_subscriptions
            BEGIN UPDATE alert_rules_version SET n = n + 1; END;
        CREATE TRIGGER alert_rules_subscription_removed AFTER DELETE ON alert_subscriptions
            BEGIN UPDATE alert_rules_version SET n = n + 1; END;
        CREATE TRIGGER alert_rules_destination_added AFTER INSERT ON alert_destinations
            BEGIN UPDATE alert_rules_version SET n = n + 1; END;
        CREATE TRIGGER alert_rules_destination_changed AFTER UPDATE OF user_id, active ON alert_destinations
            BEGIN UPDATE alert_rules_version SET n = n + 1; END;
        CREATE TRIGGER alert_rules_destination_removed AFTER DELETE ON alert_destinations
            BEGIN UPDATE alert_rules_version SET n = n + 1; END;
        CREATE TRIGGER alert_rules_user_added AFTER INSERT ON users
            BEGIN UPDATE alert_rules_version SET n = n + 1; END;
        CREATE TRIGGER alert_rules_user_changed AFTER UPDATE OF active ON users
            BEGIN UPDATE alert_rules_version SET n = n + 1; END;
        CREATE TRIGGER alert_rules_user_removed AFTER DELETE ON users
            BEGIN UPDATE alert_rules_version SET n = n + 1; END;
        """
    )


@migrations(name="0015_demo_stages")
def m0015_demo_stages(db: sqlite_utils.Database) -> None:
    """demo_stages: how far the live demo's fictional story has gone, and when each stage began.

    Kept in the working database, not in the demo server's memory, so a
    restarted `make run` resumes the story where it stopped instead of
    replaying pages the tracker has already stored (an article "uncorrected"
    would become a new revision), and so the editor's "Next stage" button is
    one insert that the demo picks up. Stage numbers start at 1.
    """
    db.executescript(
        """
        CREATE TABLE demo_stages (
            stage INTEGER PRIMARY KEY CHECK (stage >= 1),
            reached_at TEXT NOT NULL,
            reached_by TEXT NOT NULL CHECK (reached_by IN ('start', 'timer', 'button'))
        );
        """
    )


@migrations(name="0016_evidence_kinds", transactional=False)
def m0016_evidence_kinds(db: sqlite_utils.Database) -> None:
    """Evidence beyond scraped pages: documents by page, the newsroom's own reporting, posts, bytes as received.

    coverage.kind widens to 'document' (a PDF, text, saved HTML or .docx
    file, its text per page in document_pages), 'post' (a social post a
    reporter logged by hand: posts holds its network, handle and time) and
    'reporting' (an interview, email or call by staff: reporting holds who,
    confidential, and the attribution an editor approved for publication).
    SQLite cannot widen a CHECK constraint in place, so the table is rebuilt
    the documented way (new table, copy, drop, rename, with foreign keys off
    and checked after); the rebuild starts from the stored CREATE statement,
    so columns added by any earlier migration are kept as they are.

    captures: every item as it was received (a fetched page or document, an
    upload, an attachment or screenshot), with its response headers, when
    and how it came, its SHA-256 and size; the bytes themselves, compressed,
    once per distinct SHA-256 in capture_blobs. evidence.page: the document
    page a quote is on (NULL for other coverage).

    Not transactional at the migration level because PRAGMA foreign_keys
    cannot change inside a transaction; the work below is one transaction of
    its own, and a rerun after it committed finds `captures` and stops.
    """
    conn = db.conn
    if conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'captures'").fetchone():
        return
    conn.execute("PRAGMA foreign_keys = OFF")
    try:
        conn.execute("BEGIN IMMEDIATE")
        try:
            _m0016_rebuild_coverage(conn)
            for statement in M0016_STATEMENTS:
                conn.execute(statement)
            problems = conn.execute("PRAGMA foreign_key_check").fetchall()
            if problems:
                raise sqlite3.IntegrityError(f"foreign keys broken by 0016: {problems[:5]}")
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:  # SQLite rolls back itself on a full disk: ROLLBACK then hides why
                conn.execute("ROLLBACK")
            raise
    finally:
        conn.execute("PRAGMA foreign_keys = ON")


M0016_OLD_KINDS = "CHECK (kind IN ('article', 'statement'))"
M0016_NEW_KINDS = "CHECK (kind IN ('article', 'statement', 'document', 'post', 'reporting'))"

M0016_STATEMENTS = (
    """CREATE TABLE capture_blobs (
        id INTEGER PRIMARY KEY,
        sha256 TEXT NOT NULL UNIQUE,
        size INTEGER NOT NULL,
        compression TEXT NOT NULL CHECK (compression IN ('zlib', 'none')),
        stored INTEGER NOT NULL,
        body BLOB NOT NULL
    )""",
    """CREATE TABLE captures (
        id INTEGER PRIMARY KEY,
        coverage_id INTEGER NOT NULL REFERENCES coverage(id),
        revision_id INTEGER REFERENCES revisions(id),
        role TEXT NOT NULL CHECK (role IN ('page', 'document', 'attachment', 'screenshot')),
        how TEXT NOT NULL CHECK (how IN ('fetched', 'file', 'upload')),
        url TEXT,
        filename TEXT,
        status INTEGER,
        headers TEXT NOT NULL DEFAULT '{}',
        media_type TEXT,
        received_at TEXT NOT NULL,
        blob_id INTEGER NOT NULL REFERENCES capture_blobs(id),
        sha256 TEXT NOT NULL,
        size INTEGER NOT NULL,
        added_by INTEGER REFERENCES users(id),
        published INTEGER NOT NULL DEFAULT 0 CHECK (published IN (0, 1)),
        published_by INTEGER REFERENCES users(id),
        published_at TEXT
    )""",
    "CREATE INDEX captures_coverage ON captures(coverage_id, id)",
    "CREATE INDEX captures_revision ON captures(revision_id) WHERE revision_id IS NOT NULL",
    "CREATE INDEX captures_blob ON captures(blob_id)",
    """CREATE TABLE documents (
        revision_id INTEGER PRIMARY KEY REFERENCES revisions(id),
        media_type TEXT NOT NULL,
        pages INTEGER NOT NULL,
        text_pages INTEGER NOT NULL,
        extractor TEXT NOT NULL,
        capture_id INTEGER REFERENCES captures(id)
    )""",
    """CREATE TABLE document_pages (
        revision_id INTEGER NOT NULL REFERENCES revisions(id),
        page INTEGER NOT NULL CHECK (page >= 1),
        start INTEGER NOT NULL CHECK (start >= 0),
        "end" INTEGER NOT NULL CHECK ("end" >= start),
        transcribed_by INTEGER REFERENCES users(id),
        PRIMARY KEY (revision_id, page)
    ) WITHOUT ROWID""",
    """CREATE TABLE reporting (
        coverage_id INTEGER PRIMARY KEY REFERENCES coverage(id),
        how TEXT NOT NULL CHECK (how IN ('interview', 'email', 'call', 'message', 'other')),
        at TEXT NOT NULL,
        identity TEXT NOT NULL DEFAULT '',
        notes TEXT NOT NULL DEFAULT '',
        attribution TEXT NOT NULL DEFAULT '',
        attribution_approved_by INTEGER REFERENCES users(id),
        attribution_approved_at TEXT,
        reporter_id INTEGER REFERENCES users(id),
        created_at TEXT NOT NULL
    )""",
    """CREATE TABLE posts (
        coverage_id INTEGER PRIMARY KEY REFERENCES coverage(id),
        network TEXT NOT NULL DEFAULT '',
        handle TEXT NOT NULL CHECK (length(trim(handle)) > 0),
        posted_at TEXT,
        logged_by INTEGER REFERENCES users(id),
        created_at TEXT NOT NULL
    )""",
    "ALTER TABLE evidence ADD COLUMN page INTEGER",
)


def _m0016_rebuild_coverage(conn: sqlite3.Connection) -> None:
    """coverage with its kind CHECK widened: same columns, rows, indexes, and the views and triggers that read it."""
    (table_sql,) = conn.execute("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'coverage'").fetchone()
    if M0016_OLD_KINDS not in table_sql:
        raise sqlite3.DatabaseError("0016: coverage.kind has an unexpected CHECK constraint; rebuild it by hand.")
    dependents = conn.execute(
        """SELECT type, name, sql FROM sqlite_master
           WHERE sql IS NOT NULL AND name != 'coverage'
             AND ((type = 'index' AND tbl_name = 'coverage')
                  OR (type IN ('view', 'trigger') AND sql LIKE '%coverage%'))
           ORDER BY CASE type WHEN 'index' THEN 0 WHEN 'view' THEN 1 ELSE 2 END, name"""
    ).fetchall()
    for kind, name, _ in dependents:
        if kind in ("view", "trigger"):
            conn.execute(f"DROP {kind.upper()} [{name}]")
    new_sql = table_sql.replace(M0016_OLD_KINDS, M0016_NEW_KINDS)
    new_sql = re.sub(r"^CREATE TABLE (\[?\"?)coverage(\]?\"?)", "CREATE TABLE coverage_0016", new_sql, count=1)
    conn.execute(new_sql)
    conn.execute("INSERT INTO coverage_0016 SELECT * FROM coverage")
    conn.execute("DROP TABLE coverage")
    conn.execute("ALTER TABLE coverage_0016 RENAME TO coverage")
    for _, _, sql in dependents:
        conn.execute(sql)


@migrations(name="0017_page_dates_and_authors")
def m0017_page_dates_and_authors(db: sqlite_utils.Database) -> None:
    """What a page's date and byline decisions leave behind, beside the values chosen.

    coverage.feed_published_at: the date the feed entry gave, kept apart from
    published_at so the page's own decision can weigh it when the page is
    fetched. published_from: the sources that agreed on published_at (JSON
    array of names such as "url", "json-ld datePublished"). date_doubts: the
    dates the page gave that were not used, with why (JSON array of objects
    value, source, reason). authors: the byline as a list (JSON array of
    objects name, kind), kind "person" or "organisation".
    """
    db.executescript(
        """
        ALTER TABLE coverage ADD COLUMN feed_published_at TEXT;
        ALTER TABLE coverage ADD COLUMN published_from TEXT;
        ALTER TABLE coverage ADD COLUMN date_doubts TEXT;
        ALTER TABLE coverage ADD COLUMN authors TEXT;
        """
    )


@migrations(name="0018_alert_audiences")
def m0018_alert_audiences(db: sqlite_utils.Database) -> None:
    """Notifications due at once to everyone following a story: one row per event, not one per person.

    Routing an event to the thousand people who follow its story wrote a
    thousand alert_notifications rows; most of routing's time was that
    write. An event now names its audience (alert_events.audience_id): a
    set of people fixed when it was routed (alert_audiences, keyed by a hash
    of its sorted members; alert_audience_members, one row per person and
    audience, rarely more than a few per person since a set changes only
    when subscriptions do). A person's notifications are their
    alert_notifications rows (words to look for, digests, quiet hours: as
    before) together with the events of their audiences, which are as fixed
    as rows would be: a later change of subscription makes a new audience
    and leaves the old events where they were.

    Read state of audience notifications: alert_reads (one row per person and
    event marked read one by one) and alert_read_through (everything up to
    this event id read: "mark all read"). Existing alert_notifications rows
    stay as they are, so nothing is rewritten.
    """
    db.executescript(
        """
        CREATE TABLE alert_audiences (
            id INTEGER PRIMARY KEY,
            members_key TEXT NOT NULL UNIQUE,
            size INTEGER NOT NULL
        );
        CREATE TABLE alert_audience_members (
            user_id INTEGER NOT NULL,
            audience_id INTEGER NOT NULL REFERENCES alert_audiences(id),
            PRIMARY KEY (user_id, audience_id)
        ) WITHOUT ROWID;
        ALTER TABLE alert_events ADD COLUMN audience_id INTEGER REFERENCES alert_audiences(id);
        CREATE INDEX alert_events_audience ON alert_events(audience_id, id) WHERE audience_id IS NOT NULL;
        CREATE TABLE alert_reads (
            user_id INTEGER NOT NULL,
            event_id INTEGER NOT NULL,
            read_at TEXT NOT NULL,
            PRIMARY KEY (user_id, event_id)
        ) WITHOUT ROWID;
        CREATE TABLE alert_read_through (
            user_id INTEGER PRIMARY KEY,
            event_id INTEGER NOT NULL,
            read_at TEXT NOT NULL
        );
        """
    )


@migrations(name="0019_alert_delivery_accepted")
def m0019_alert_delivery_accepted(db: sqlite_utils.Database) -> None:
    """alert_deliveries.accepted: the parts of a message its destination's targets accepted (JSON array).

    A destination may name several targets (to=a,b; several channels).
    When one refused, the delivery was tried again whole, and the targets
    that had accepted it got it again at every attempt. Apprise skips what
    was accepted when it is told; kept here, that holds from one attempt to
    the next, whichever sender makes it.
    """
    db.executescript("ALTER TABLE alert_deliveries ADD COLUMN accepted TEXT NOT NULL DEFAULT '[]';")


@migrations(name="0020_publish_log_pending")
def m0020_publish_log_pending(db: sqlite_utils.Database) -> None:
    """publish_log.pending_out: the public file a publish is being swapped into, until it is known to be there.

    A publish killed between swapping the public file in and writing its
    log row left readers seeing a publish the log never mentioned. The row
    is now written first, with this column set, and cleared once the swap
    is done; a row a killed publish left is settled by the next one
    (tracker.publish_log.settle_interrupted). NULL: a publish readers saw.
    """
    db.executescript("ALTER TABLE publish_log ADD COLUMN pending_out TEXT;")


@migrations(name="0021_robots_kept")
def m0021_robots_kept(db: sqlite_utils.Database) -> None:
    """robots_kept: each origin's robots.txt as last read (NULL: there was none, allow all) and when it expires.

    Kept in memory alone, it was asked again by every process: a `scrape`
    run from cron made robots.txt its first request to a site every time,
    and with a Crawl-delay longer than a pass waits, the site's pages never
    had a turn (tracker/pacing.py keeps it, scrapers/http/fetcher.py reads it).
    """
    db.executescript(
        """
        CREATE TABLE robots_kept (
            origin TEXT PRIMARY KEY,
            body BLOB,
            expires_at REAL NOT NULL
        ) WITHOUT ROWID;
        """
    )


@migrations(name="0022_question_link_changes")
def m0022_question_link_changes(db: sqlite_utils.Database) -> None:
    """question_link_changes: each change of a linked claim's stance on a question, and each unlink (append-only).

    An answer rests on its links as much as on their rulings: "answers yes"
    turned "answers no", or a claim taken off the question, may undo it, and
    an unlink leaves no question_claims row to compare with the answer's
    link mark. A change after the answer was last reviewed
    (questions.answer_relink_mark: the highest id here then) makes the
    answer possibly stale. `link_id` is the question_claims row changed, so
    a change to a link made after the answer (a reason already) adds none.
    `to_stance` NULL: unlinked. The stances are copied from question_claims,
    whose CHECK constraint holds them.
    """
    db.executescript(
        """
        CREATE TABLE question_link_changes (
            id INTEGER PRIMARY KEY,
            question_id INTEGER NOT NULL REFERENCES questions(id),
            claim_id INTEGER NOT NULL REFERENCES claims(id),
            link_id INTEGER NOT NULL,
            from_stance TEXT NOT NULL,
            to_stance TEXT,
            user_id INTEGER REFERENCES users(id),
            at TEXT NOT NULL
        );
        CREATE INDEX question_link_changes_question ON question_link_changes (question_id, id);
        CREATE TRIGGER question_link_changes_no_update BEFORE UPDATE ON question_link_changes
        BEGIN SELECT RAISE(ABORT, 'question_link_changes is append-only'); END;
        CREATE TRIGGER question_link_changes_no_delete BEFORE DELETE ON question_link_changes
        BEGIN SELECT RAISE(ABORT, 'question_link_changes is append-only'); END;
        ALTER TABLE questions ADD COLUMN answer_relink_mark INTEGER NOT NULL DEFAULT 0;
        """
    )


@migrations(name="0023_append_only_no_replace")
def m0023_append_only_no_replace(db: sqlite_utils.Database) -> None:
    """The append-only tables refuse a row whose key is already there, so REPLACE cannot rewrite one.

    INSERT OR REPLACE (and REPLACE INTO, sqlite-utils' insert(replace=True))
    deletes the row it conflicts with before inserting, and SQLite fires
    DELETE triggers for that only with PRAGMA recursive_triggers on:
    tracker.db.connect has it on, a plain connection (the sqlite3 shell, a
    script) does not, and there a ruling, an edit or a stance change was
    rewritten in place with no error. A BEFORE INSERT trigger runs before
    any conflict is resolved, whatever the connection. A new row's id is
    not known yet there (SQLite gives -1), so the app's own inserts pass.
    """
    db.executescript(
        """
        CREATE TRIGGER status_history_no_replace BEFORE INSERT ON status_history
        WHEN EXISTS (SELECT 1 FROM status_history WHERE id = NEW.id)
        BEGIN SELECT RAISE(ABORT, 'status_history is append-only'); END;
        CREATE TRIGGER status_history_evidence_no_replace BEFORE INSERT ON status_history_evidence
        WHEN EXISTS (
            SELECT 1 FROM status_history_evidence WHERE history_id = NEW.history_id AND evidence_id = NEW.evidence_id
        )
        BEGIN SELECT RAISE(ABORT, 'status_history_evidence is append-only'); END;
        CREATE TRIGGER claim_edits_no_replace BEFORE INSERT ON claim_edits
        WHEN EXISTS (SELECT 1 FROM claim_edits WHERE id = NEW.id)
        BEGIN SELECT RAISE(ABORT, 'claim_edits is append-only'); END;
        CREATE TRIGGER question_link_changes_no_replace BEFORE INSERT ON question_link_changes
        WHEN EXISTS (SELECT 1 FROM question_link_changes WHERE id = NEW.id)
        BEGIN SELECT RAISE(ABORT, 'question_link_changes is append-only'); END;
        """
    )


@migrations(name="0024_candidate_put_backs")
def m0024_candidate_put_backs(db: sqlite_utils.Database) -> None:
    """candidate_put_backs: each dismissed candidate returned to the queue, with the dismissal it undid (append-only).

    A dismissal is undone by putting the candidate (and the copies of its
    sentence dismissed with it) back to waiting, which clears its decision
    columns; the dismissal itself (reason, who, when) and who put it back,
    when, stay here, so the queue's history is never rewritten.
    """
    db.executescript(
        """
        CREATE TABLE candidate_put_backs (
            id INTEGER PRIMARY KEY,
            candidate_id INTEGER NOT NULL REFERENCES candidates(id),
            story_id INTEGER NOT NULL REFERENCES stories(id),
            state TEXT NOT NULL,
            reason TEXT,
            decided_by INTEGER REFERENCES users(id),
            decided_at TEXT,
            put_back_by INTEGER NOT NULL REFERENCES users(id),
            put_back_at TEXT NOT NULL
        );
        CREATE INDEX candidate_put_backs_candidate ON candidate_put_backs (candidate_id, id);
        CREATE TRIGGER candidate_put_backs_no_update BEFORE UPDATE ON candidate_put_backs
        BEGIN SELECT RAISE(ABORT, 'candidate_put_backs is append-only'); END;
        CREATE TRIGGER candidate_put_backs_no_delete BEFORE DELETE ON candidate_put_backs
        BEGIN SELECT RAISE(ABORT, 'candidate_put_backs is append-only'); END;
        CREATE TRIGGER candidate_put_backs_no_replace BEFORE INSERT ON candidate_put_backs
        WHEN EXISTS (SELECT 1 FROM candidate_put_backs WHERE id = NEW.id)
        BEGIN SELECT RAISE(ABORT, 'candidate_put_backs is append-only'); END;
        """
    )


@migrations(name="0025_source_titles")
def m0025_source_titles(db: sqlite_utils.Database) -> None:
    """sources.title: the name a feed gives itself (its <title>), kept from the latest pass that read it.

    A feed added by its address alone was shown by its host ("127.0.0.1",
    "feeds.example.net") on the Sources page; the outlet a reporter types
    still comes first (tracker/editor/display.source_name).
    """
    db.execute("ALTER TABLE sources ADD COLUMN title TEXT")


@migrations(name="0026_first_reported_evidence")
def m0026_first_reported_evidence(db: sqlite_utils.Database) -> None:
    """claims.first_reported_evidence_id: the evidence item that set first_reported_at (NULL: none did).

    The public timeline credited the first report to the evidence with the
    earliest publication date, while first_reported_at could come from other
    evidence (words a later revision of a statement added) or from the date
    the claim was logged with: readers were told one outlet's date and
    another's name. Claims keep the first_reported_at they have. Until this
    migration every first_reported_at set by evidence was its item's
    publication date, or when its revision was fetched for an item without
    one, so the evidence that set it is the first (by id) with that date;
    a claim none matches (a date given when it was logged) credits nobody.
    """
    db.executescript(
        """
        ALTER TABLE claims ADD COLUMN first_reported_evidence_id INTEGER REFERENCES evidence(id);
        UPDATE claims SET first_reported_evidence_id = (
            SELECT min(e.id) FROM evidence e
            JOIN revisions r ON r.id = e.revision_id
            JOIN coverage cov ON cov.id = r.coverage_id
            WHERE e.claim_id = claims.id AND coalesce(cov.published_at, r.fetched_at) = claims.first_reported_at)
        WHERE first_reported_at IS NOT NULL;
        """
    )


@migrations(name="0027_public_rulings")
def m0027_public_rulings(db: sqlite_utils.Database) -> None:
    """public_rulings: each ruling readers were shown, with the publish that first showed it.

    A ruling was recorded as a public correction once the claim was marked
    publishable and had been ruled on, even when no publish had ever shown
    readers the ruling it changed. A publish now records the rulings its file
    holds, with its publish_log row (a row a killed publish leaves is removed
    with its records), and a correction is a ruling made after readers were
    shown an earlier ruling of the claim. Nothing is recorded for publishes
    before this migration: the public file of those is not the working
    database's to read, and the next publish records what it shows.
    """
    db.executescript(
        """
        CREATE TABLE public_rulings (
            history_id INTEGER PRIMARY KEY REFERENCES status_history(id),
            publish_id INTEGER NOT NULL REFERENCES publish_log(id) ON DELETE CASCADE
        );
        CREATE INDEX public_rulings_publish ON public_rulings(publish_id);
        """
    )


@migrations(name="0028_chart_marks")
def m0028_chart_marks(db: sqlite_utils.Database) -> None:
    """chart_marks: a mark per story that changes with every write its charts count.

    The editor's dashboard counted a story's chart rows on every view (about
    0.4 s for 20,000 claims and 20,000 items); each server process now keeps
    the rows it counted with the story's mark and reuses them while the mark
    is unchanged (tracker/charts/data.py). The triggers fire on every write
    to what the charts read: an item added, removed or changed in its story,
    kind, outlet, dates or cluster; a claim added, removed, moved to another
    story or re-dated; a ruling. The mark is a fresh random number, not a
    count: a counter could come back to a value already seen with other rows
    (a write rolled back after it was counted, a backup restored), a random
    64-bit number does not. A migration that rebuilds coverage, claims or
    status_history must create these triggers again.
    """
    bump = (
        "INSERT INTO chart_marks (story_id, mark) VALUES ({story}, random()) "
        "ON CONFLICT (story_id) DO UPDATE SET mark = random();"
    )
    coverage_changed = " OR ".join(
        f"old.{c} IS NOT new.{c}"
        for c in ("story_id", "kind", "outlet", "published_at", "first_seen_at", "cluster_id", "id")
    )
    claim_changed = " OR ".join(
        f"old.{c} IS NOT new.{c}" for c in ("story_id", "first_reported_at", "created_at", "id")
    )
    story_of_claim = "(SELECT story_id FROM claims WHERE id = new.claim_id)"
    db.executescript(
        f"""
        CREATE TABLE chart_marks (
            story_id INTEGER PRIMARY KEY,
            mark INTEGER NOT NULL
        );
        INSERT INTO chart_marks (story_id, mark) SELECT id, random() FROM stories;
        CREATE TRIGGER chart_marks_coverage_insert AFTER INSERT ON coverage
        BEGIN {bump.format(story="new.story_id")} END;
        CREATE TRIGGER chart_marks_coverage_delete AFTER DELETE ON coverage
        BEGIN {bump.format(story="old.story_id")} END;
        CREATE TRIGGER chart_marks_coverage_update
            AFTER UPDATE OF story_id, kind, outlet, published_at, first_seen_at, cluster_id, id ON coverage
            WHEN {coverage_changed}
        BEGIN {bump.format(story="old.story_id")} {bump.format(story="new.story_id")} END;
        CREATE TRIGGER chart_marks_claims_insert AFTER INSERT ON claims
        BEGIN {bump.format(story="new.story_id")} END;
        CREATE TRIGGER chart_marks_claims_delete AFTER DELETE ON claims
        BEGIN {bump.format(story="old.story_id")} END;
        CREATE TRIGGER chart_marks_claims_update
            AFTER UPDATE OF story_id, first_reported_at, created_at, id ON claims
            WHEN {claim_changed}
        BEGIN {bump.format(story="old.story_id")} {bump.format(story="new.story_id")} END;
        CREATE TRIGGER chart_marks_status_history_insert AFTER INSERT ON status_history
        BEGIN {bump.format(story=story_of_claim)} END;
        """
    )


@migrations(name="0029_evidence_words_from")
def m0029_evidence_words_from(db: sqlite_utils.Database) -> None:
    """evidence.words_from: when a later revision than the item's first added the quoted words.

    NULL when the item held them from its first revision, so the item's own
    publication dates them. The public timeline's "statement cited" event was
    dated by the statement's publication even when the words cited were only
    added by an edit hours later. Filled for older evidence by the backfill
    below (the live rule, tracker/claims.py words_added_at).
    """
    db.execute("ALTER TABLE evidence ADD COLUMN words_from TEXT")


@migrations(name="0030_alert_delivery_markup")
def m0030_alert_delivery_markup(db: sqlite_utils.Database) -> None:
    """alert_deliveries.markup: the markup its body was written in (messages.MARKUPS), sent as that.

    The sender told Apprise a body's format by its destination's scheme, as
    the current code writes it: a message made by earlier code and still
    waiting (a destination retrying through an upgrade) was sent as a format
    it was not written in, a Matrix message's plain text read as HTML. NULL:
    made before this column, and made again from its events when a sender
    starts (sender.rewrite_unmarked).
    """
    db.execute("ALTER TABLE alert_deliveries ADD COLUMN markup TEXT")


@migrations(name="0031_capture_reveals")
def m0031_capture_reveals(db: sqlite_utils.Database) -> None:
    """captures.reveals: what a kept photo's metadata, or the photos inside a kept document, record (JSON).

    Read once when the item is kept (tracker/captures.py), not on every
    view: a coverage page of 40 photos of 2.7 MB read each again, 2.3 s a
    view. NULL for an item that records none of it, and for pages. Filled
    for older items by the backfill below.
    """
    db.execute("ALTER TABLE captures ADD COLUMN reveals TEXT")


@migrations(name="0032_revisions_by_fetch_time")
def m0032_revisions_by_fetch_time(db: sqlite_utils.Database) -> None:
    """An index of each item's revisions by when they were stored: its latest revision time in one seek.

    The editor's coverage list sorted by "Recently changed" reads that time
    for every item of the story; through revisions(coverage_id, id) it was a
    seek into each revision's row (5.0 s for a story of 333,000 items).
    """
    db.execute("CREATE INDEX revisions_coverage_fetched_at ON revisions(coverage_id, fetched_at)")


@migrations(name="0033_date_precision")
def m0033_date_precision(db: sqlite_utils.Database) -> None:
    """How precise a publication date and a claim's first report are: 'day' when the source gave only the date.

    A page dated "5 December 2026" was stored at 00:00 UTC: readers were
    shown "first reported 00:00 UTC", a time the source never gave, and it
    sorted before that morning's timed reports. Now such a date keeps its
    day and stands within it at when we first saw the item (no earlier than
    the day's first second, no later than its last), and pages show the date
    alone. Until now every date-only page was stored at exactly midnight
    UTC, so those items (and a claim whose first report one of them dates)
    become day-only here; a report really published at 00:00:00 UTC is read
    as its day too, which loses a clock but never the date.
    """
    stored_key = (
        "min(max(cov.first_seen_at, substr(cov.published_at, 1, 10) || 'T00:00:00Z'), "
        "substr(cov.published_at, 1, 10) || 'T23:59:59Z')"
    )
    midnight = "cov.published_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T00:00:00Z'"
    db.executescript(
        f"""
        ALTER TABLE coverage ADD COLUMN published_precision TEXT CHECK (published_precision IN ('day'));
        ALTER TABLE claims ADD COLUMN first_reported_precision TEXT CHECK (first_reported_precision IN ('day'));
        -- Claims first, while their items still hold the midnight their first report was dated with
        -- (not by words a later revision added: those date from that revision, to the second).
        CREATE TEMP TABLE day_reported AS
            SELECT c.id, {stored_key} AS at
            FROM claims c JOIN evidence e ON e.id = c.first_reported_evidence_id
            JOIN revisions r ON r.id = e.revision_id
            JOIN coverage cov ON cov.id = r.coverage_id
            WHERE {midnight} AND e.words_from IS NULL AND c.first_reported_at = cov.published_at;
        UPDATE claims SET first_reported_precision = 'day',
                          first_reported_at = (SELECT d.at FROM temp.day_reported d WHERE d.id = claims.id)
        WHERE id IN (SELECT id FROM temp.day_reported);
        DROP TABLE temp.day_reported;
        UPDATE coverage AS cov SET published_precision = 'day', published_at = {stored_key} WHERE {midnight};
        """
    )


@migrations(name="0034_alert_unsubscribes")
def m0034_alert_unsubscribes(db: sqlite_utils.Database) -> None:
    """alert_destinations.unsubscribed_at: when an email destination was stopped from its own messages.

    Every alert email carries a List-Unsubscribe link (RFC 2369, and RFC
    8058's one-click POST) for its destination (tracker/alerts/unsubscribe.py).
    Following it retires the destination as removing it does (active = 0),
    but keeps its sealed address, so its owner sees it stopped under Alert
    settings and can send there again without typing the address (and its
    password) anew.
    """
    db.execute("ALTER TABLE alert_destinations ADD COLUMN unsubscribed_at TEXT")


@migrations(name="0035_archived_copy_choices")
def m0035_archived_copy_choices(db: sqlite_utils.Database) -> None:
    """archived_copy_choices: each editor's choice to publish or withdraw an item's archived copy (append-only).

    captures.published says only what is chosen now. A file nothing can be
    cleaned of (signed, an encrypted PDF, one that could not be read: its
    author's name and its photos' GPS go to readers with it) is published
    only as received, by an editor who was told so and chose it: `as_received`
    is that choice, `told` what they were told and confirmed (or why the
    tracker itself withdrew a copy, `by` NULL). The public build reads the
    latest choice of each copy (tracker/public_tables.py).
    """
    db.executescript(
        """
        CREATE TABLE archived_copy_choices (
            id INTEGER PRIMARY KEY,
            capture_id INTEGER NOT NULL REFERENCES captures(id),
            published INTEGER NOT NULL CHECK (published IN (0, 1)),
            as_received INTEGER NOT NULL DEFAULT 0 CHECK (as_received IN (0, 1)),
            told TEXT,
            by INTEGER REFERENCES users(id),
            at TEXT NOT NULL
        );
        CREATE INDEX archived_copy_choices_capture ON archived_copy_choices (capture_id, id);
        CREATE TRIGGER archived_copy_choices_no_update BEFORE UPDATE ON archived_copy_choices
        BEGIN SELECT RAISE(ABORT, 'archived_copy_choices is append-only'); END;
        CREATE TRIGGER archived_copy_choices_no_delete BEFORE DELETE ON archived_copy_choices
        BEGIN SELECT RAISE(ABORT, 'archived_copy_choices is append-only'); END;
        CREATE TRIGGER archived_copy_choices_no_replace BEFORE INSERT ON archived_copy_choices
        WHEN EXISTS (SELECT 1 FROM archived_copy_choices WHERE id = NEW.id)
        BEGIN SELECT RAISE(ABORT, 'archived_copy_choices is append-only'); END;
        """
    )


@migrations(name="0036_public_ids")
def m0036_public_ids(db: sqlite_utils.Database) -> None:
    """The id readers know each published claim, quote and coverage item by, given once and kept for good.

    Readers' claim ids were the working ids, so the gaps between
    /public/claims/57 and /public/claims/60 counted the claims the newsroom
    held back (the evidence table's, the quotes gathered for them; the
    coverage index's, every item collected and cited nowhere; the archived
    copies', every page and file kept; status_history's, every ruling on
    a held claim, dated by its neighbours). A claim, a quote, an item, a
    copy or a ruling now gets the next public id of its kind when a publish
    first shows it to readers, and keeps it whether it is withdrawn or
    published again; no id is given twice. Every claim and quote logged
    (every item, copy and ruling) before this migration keeps its working id as its public id, so every
    address readers already have (bookmarks, feeds, alerts) still opens
    the same claim.
    """
    db.executescript(
        """
        CREATE TABLE public_ids (
            kind TEXT NOT NULL CHECK (kind IN ('claim', 'evidence', 'coverage', 'archived_copy', 'ruling')),
            id INTEGER NOT NULL,
            public_id INTEGER NOT NULL CHECK (public_id > 0),
            PRIMARY KEY (kind, id),
            UNIQUE (kind, public_id)
        ) WITHOUT ROWID;
        INSERT INTO public_ids (kind, id, public_id) SELECT 'claim', id, id FROM claims;
        INSERT INTO public_ids (kind, id, public_id) SELECT 'evidence', id, id FROM evidence;
        INSERT INTO public_ids (kind, id, public_id) SELECT 'coverage', id, id FROM coverage;
        INSERT INTO public_ids (kind, id, public_id) SELECT 'archived_copy', id, id FROM captures;
        INSERT INTO public_ids (kind, id, public_id) SELECT 'ruling', id, id FROM status_history;
        CREATE TRIGGER public_ids_no_update BEFORE UPDATE ON public_ids
        BEGIN SELECT RAISE(ABORT, 'public_ids is append-only'); END;
        CREATE TRIGGER public_ids_no_delete BEFORE DELETE ON public_ids
        BEGIN SELECT RAISE(ABORT, 'public_ids is append-only'); END;
        CREATE TRIGGER public_ids_no_replace BEFORE INSERT ON public_ids
        WHEN EXISTS (SELECT 1 FROM public_ids WHERE kind = NEW.kind AND id = NEW.id)
          OR EXISTS (SELECT 1 FROM public_ids WHERE kind = NEW.kind AND public_id = NEW.public_id)
        BEGIN SELECT RAISE(ABORT, 'public_ids is append-only'); END;
        """
    )


@migrations(name="0037_coverage_changed_at")
def m0037_coverage_changed_at(db: sqlite_utils.Database) -> None:
    """coverage.changed_at: when the item's latest revision was stored (NULL for an item with none), and each
    order of the editor's coverage list as an index.

    The list sorted by "Recently changed" read every item's latest revision
    time to sort, and both orders sorted every item of the story for one
    page (2.4 s for the first page at 333,000 items of one story, 3.0 s ten
    pages in). Now each order is an index on the story, its sort key and id,
    and a page reads its own items. The triggers here are the one place that
    keeps changed_at equal to max(revisions.fetched_at) of the item, whoever
    stores, moves or removes a revision.
    """
    latest = "(SELECT max(r.fetched_at) FROM revisions r WHERE r.coverage_id = {})"
    db.executescript(
        f"""
        ALTER TABLE coverage ADD COLUMN changed_at TEXT;
        UPDATE coverage SET changed_at = {latest.format("coverage.id")};
        CREATE TRIGGER coverage_changed_at_insert AFTER INSERT ON revisions BEGIN
          UPDATE coverage SET changed_at = NEW.fetched_at
          WHERE id = NEW.coverage_id AND (changed_at IS NULL OR changed_at < NEW.fetched_at);
        END;
        CREATE TRIGGER coverage_changed_at_update AFTER UPDATE OF coverage_id, fetched_at ON revisions BEGIN
          UPDATE coverage SET changed_at = {latest.format("coverage.id")}
          WHERE id IN (OLD.coverage_id, NEW.coverage_id);
        END;
        CREATE TRIGGER coverage_changed_at_delete AFTER DELETE ON revisions BEGIN
          UPDATE coverage SET changed_at = {latest.format("coverage.id")} WHERE id = OLD.coverage_id;
        END;
        CREATE INDEX coverage_story_changed ON coverage(story_id, coalesce(changed_at, first_seen_at), id);
        CREATE INDEX coverage_story_published_key ON coverage(story_id, coalesce(published_at, first_seen_at), id);
        """
    )


@migrations(name="0038_coverage_revision_count")
def m0038_coverage_revision_count(db: sqlite_utils.Database) -> None:
    """coverage.revision_count: how many revisions the item has, kept by triggers as 0037 keeps changed_at.

    The dashboard's "evidence changed" list starts from the items revised
    at least once, and found them by grouping every item's revisions (0.8 s
    of each view of a story of 333,000 items); an index of the revised items
    of each story holds them.
    """
    db.executescript(
        """
        ALTER TABLE coverage ADD COLUMN revision_count INTEGER NOT NULL DEFAULT 0;
        UPDATE coverage SET revision_count = (SELECT count(*) FROM revisions r WHERE r.coverage_id = coverage.id);
        CREATE TRIGGER coverage_revision_count_insert AFTER INSERT ON revisions BEGIN
          UPDATE coverage SET revision_count = revision_count + 1 WHERE id = NEW.coverage_id;
        END;
        CREATE TRIGGER coverage_revision_count_update AFTER UPDATE OF coverage_id ON revisions
        WHEN OLD.coverage_id != NEW.coverage_id BEGIN
          UPDATE coverage SET revision_count = revision_count - 1 WHERE id = OLD.coverage_id;
          UPDATE coverage SET revision_count = revision_count + 1 WHERE id = NEW.coverage_id;
        END;
        CREATE TRIGGER coverage_revision_count_delete AFTER DELETE ON revisions BEGIN
          UPDATE coverage SET revision_count = revision_count - 1 WHERE id = OLD.coverage_id;
        END;
        CREATE INDEX coverage_story_revised ON coverage(story_id) WHERE revision_count > 1;
        """
    )


@migrations(name="0039_question_development_public_ids")
def m0039_question_development_public_ids(db: sqlite_utils.Database) -> None:
    """Public ids (0036) for published key questions and developments, whose working ids counted every question asked
    and every development expected, published or not.

    The kinds of public_ids are checked, so the table is made again with the two new kinds, every id given so far
    copied as it was. Every question and development stored before this migration keeps its working id as its
    public id, so the feed entries and page anchors readers already have still name the same question.
    """
    db.executescript(
        """
        DROP TRIGGER public_ids_no_update;
        DROP TRIGGER public_ids_no_delete;
        DROP TRIGGER public_ids_no_replace;
        CREATE TABLE public_ids_0039 (
            kind TEXT NOT NULL CHECK (kind IN ('claim', 'evidence', 'coverage', 'archived_copy', 'ruling',
                                               'question', 'development')),
            id INTEGER NOT NULL,
            public_id INTEGER NOT NULL CHECK (public_id > 0),
            PRIMARY KEY (kind, id),
            UNIQUE (kind, public_id)
        ) WITHOUT ROWID;
        INSERT INTO public_ids_0039 (kind, id, public_id) SELECT kind, id, public_id FROM public_ids;
        DROP TABLE public_ids;
        ALTER TABLE public_ids_0039 RENAME TO public_ids;
        INSERT INTO public_ids (kind, id, public_id) SELECT 'question', id, id FROM questions;
        INSERT INTO public_ids (kind, id, public_id) SELECT 'development', id, id FROM developments;
        CREATE TRIGGER public_ids_no_update BEFORE UPDATE ON public_ids
        BEGIN SELECT RAISE(ABORT, 'public_ids is append-only'); END;
        CREATE TRIGGER public_ids_no_delete BEFORE DELETE ON public_ids
        BEGIN SELECT RAISE(ABORT, 'public_ids is append-only'); END;
        CREATE TRIGGER public_ids_no_replace BEFORE INSERT ON public_ids
        WHEN EXISTS (SELECT 1 FROM public_ids WHERE kind = NEW.kind AND id = NEW.id)
          OR EXISTS (SELECT 1 FROM public_ids WHERE kind = NEW.kind AND public_id = NEW.public_id)
        BEGIN SELECT RAISE(ABORT, 'public_ids is append-only'); END;
        """
    )


@migrations(name="0040_event_public_ids")
def m0040_event_public_ids(db: sqlite_utils.Database) -> None:
    """Public ids (0036) for the timeline's events, which each publish numbered afresh in time order: an event
    earlier than the last one readers had moved every later one up, so /public/events/N, the timeline's #event-N
    and its "Older events" page (before=N) opened another event after the next publish.

    An event is kept under the row it records (tracker/public_ids.py event_key): a claim's first report, the
    evidence citing a statement, a statement's revision or a ruling. The kinds of public_ids are checked, so the
    table is made again with the new kind, every id given so far copied as it was. No event is numbered here:
    the working database does not hold them, and the first publish after this numbers them in time order, as
    the publish before it did, so an unchanged story keeps every address readers have.
    """
    db.executescript(
        """
        DROP TRIGGER public_ids_no_update;
        DROP TRIGGER public_ids_no_delete;
        DROP TRIGGER public_ids_no_replace;
        CREATE TABLE public_ids_0040 (
            kind TEXT NOT NULL CHECK (kind IN ('claim', 'evidence', 'coverage', 'archived_copy', 'ruling',
                                               'question', 'development', 'event')),
            id INTEGER NOT NULL,
            public_id INTEGER NOT NULL CHECK (public_id > 0),
            PRIMARY KEY (kind, id),
            UNIQUE (kind, public_id)
        ) WITHOUT ROWID;
        INSERT INTO public_ids_0040 (kind, id, public_id) SELECT kind, id, public_id FROM public_ids;
        DROP TABLE public_ids;
        ALTER TABLE public_ids_0040 RENAME TO public_ids;
        CREATE TRIGGER public_ids_no_update BEFORE UPDATE ON public_ids
        BEGIN SELECT RAISE(ABORT, 'public_ids is append-only'); END;
        CREATE TRIGGER public_ids_no_delete BEFORE DELETE ON public_ids
        BEGIN SELECT RAISE(ABORT, 'public_ids is append-only'); END;
        CREATE TRIGGER public_ids_no_replace BEFORE INSERT ON public_ids
        WHEN EXISTS (SELECT 1 FROM public_ids WHERE kind = NEW.kind AND id = NEW.id)
          OR EXISTS (SELECT 1 FROM public_ids WHERE kind = NEW.kind AND public_id = NEW.public_id)
        BEGIN SELECT RAISE(ABORT, 'public_ids is append-only'); END;
        """
    )


@migrations(name="0041_chart_tallies")
def m0041_chart_tallies(db: sqlite_utils.Database) -> None:
    """chart_coverage_tallies and chart_claim_tallies: the dashboard's chart rows counted by the hour, and
    chart_ruling_spans, kept by triggers in the same transaction as every write they count.

    The first view of a story's dashboard after a change counted every item
    and claim of the story (9.8 s at 333,000 items): grouping the items by
    period, outlet and kind, and finding each cluster's original with a
    window over the story. The charts are drawn by the hour, day or week,
    and each of those buckets is made of whole hours, so the rows are kept
    per story and hour and the dashboard sums a few thousand of them.

    Coverage: items per (hour, outlet, kind), kind as the chart counts it:
    a statement; a copy, an item of a cluster that is not the cluster's
    original (its earliest by date, then id); else a report. Each trigger
    takes out what a row and the clusters it leaves or joins counted before
    the write and adds what they count after it, finding a cluster's
    original through an index, so whichever item a write makes the original
    is counted so.

    Claims: moves per (hour, status), as the claims chart sums them: a claim
    counts as unreviewed from its first report, its logging or its first
    ruling, whichever came first, then each ruling moves it from a status to
    another. `moves` counts the moves, so an hour in which they cancel out is
    kept as the bare count keeps it. A claim's moves are taken out before a
    write to it or a new ruling, and added back after.

    Rulings' span: the first and last ruling of each story's claims, which
    the charts' time axis starts and ends with when they are outside its
    coverage (0.1-0.2 s a view, reading every ruling of the story). Rulings
    are only ever added (status_history is append-only); a claim moved to
    another story, or removed with rulings, has both stories' spans read
    again.

    Times are bucketed by the same SQL the charts use; an hour no date
    function reads is kept as ''. Rows counting nothing are left, read as
    nothing. A migration that rebuilds coverage, claims or status_history must
    create these triggers again.
    """
    hour = "coalesce(strftime('%Y-%m-%dT%H:00:00Z', coalesce({r}.published_at, {r}.first_seen_at)), '')"
    tally = (
        "INSERT INTO chart_coverage_tallies (story_id, hour, outlet, kind, items) {select} "
        "ON CONFLICT (story_id, hour, outlet, kind) DO UPDATE SET items = items + excluded.items;"
    )

    def item(r: str, sign: int) -> str:
        return tally.format(
            select=f"""SELECT {r}.story_id, {hour.format(r=r)}, coalesce({r}.outlet, ''),
                       CASE WHEN {r}.kind = 'statement' THEN 'statement'
                            WHEN {r}.cluster_id IS NOT NULL THEN 'copy' ELSE 'report' END, {sign} WHERE true"""
        )

    def originals(clusters: str, sign: int) -> str:
        """Each cluster's original, counted as a copy by item(): a report instead (or back, with sign -1)."""
        return tally.format(
            select=f"""SELECT o.story_id, {hour.format(r="o")}, coalesce(o.outlet, ''), m.kind, {sign} * m.n
                FROM ({clusters}) p
                JOIN coverage o ON o.id = (SELECT f.id FROM coverage f WHERE f.story_id = p.s AND f.cluster_id = p.k
                                           ORDER BY coalesce(f.published_at, f.first_seen_at), f.id LIMIT 1)
                JOIN (SELECT 'copy' AS kind, -1 AS n UNION ALL SELECT 'report', 1) m
                WHERE o.kind != 'statement'"""
        )

    one = "SELECT {r}.story_id AS s, {r}.cluster_id AS k"
    both = "SELECT OLD.story_id AS s, OLD.cluster_id AS k UNION SELECT NEW.story_id, NEW.cluster_id"
    counted = ("story_id", "kind", "outlet", "published_at", "first_seen_at", "cluster_id", "id")
    item_changed = " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in counted)

    started = (
        "min(coalesce(c.first_reported_at, c.created_at), "
        "coalesce((SELECT min(h.at) FROM status_history h WHERE h.claim_id = c.id), '9999'))"
    )

    def claim(claim_id: str, sign: int) -> str:
        """Every move of one claim (read from its row and its rulings as they stand), added or taken out."""
        return f"""INSERT INTO chart_claim_tallies (story_id, hour, status, n, moves)
            SELECT story_id, coalesce(strftime('%Y-%m-%dT%H:00:00Z', at), ''), status,
                   {sign} * sum(n), {sign} * count(*)
            FROM (SELECT c.story_id, {started} AS at, 'unreviewed' AS status, 1 AS n
                  FROM claims c WHERE c.id = {claim_id}
                  UNION ALL
                  SELECT c.story_id, h.at, h.from_status, -1
                  FROM claims c JOIN status_history h ON h.claim_id = c.id WHERE c.id = {claim_id}
                  UNION ALL
                  SELECT c.story_id, h.at, h.to_status, 1
                  FROM claims c JOIN status_history h ON h.claim_id = c.id WHERE c.id = {claim_id})
            WHERE true GROUP BY 1, 2, 3
            ON CONFLICT (story_id, hour, status) DO UPDATE SET n = n + excluded.n, moves = moves + excluded.moves;"""

    def respan(stories: str) -> str:
        """The rulings' span of these stories read again from their rulings."""
        return f"""DELETE FROM chart_ruling_spans WHERE story_id IN ({stories});
            INSERT INTO chart_ruling_spans (story_id, first, last)
            SELECT c.story_id, min(h.at), max(h.at) FROM status_history h JOIN claims c ON c.id = h.claim_id
            WHERE c.story_id IN ({stories}) GROUP BY c.story_id;"""

    claim_counted = ("story_id", "first_reported_at", "created_at", "id")
    claim_changed = " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in claim_counted)
    db.executescript(
        f"""
        CREATE INDEX coverage_story_cluster_first
            ON coverage(story_id, cluster_id, coalesce(published_at, first_seen_at), id) WHERE cluster_id IS NOT NULL;
        CREATE TABLE chart_coverage_tallies (
            story_id INTEGER NOT NULL,
            hour TEXT NOT NULL,
            outlet TEXT NOT NULL,
            kind TEXT NOT NULL,
            items INTEGER NOT NULL,
            PRIMARY KEY (story_id, hour, outlet, kind)
        ) WITHOUT ROWID;
        CREATE TABLE chart_ruling_spans (
            story_id INTEGER PRIMARY KEY,
            first TEXT NOT NULL,
            last TEXT NOT NULL
        );
        INSERT INTO chart_ruling_spans (story_id, first, last)
        SELECT c.story_id, min(h.at), max(h.at) FROM status_history h JOIN claims c ON c.id = h.claim_id
        GROUP BY c.story_id;
        CREATE TABLE chart_claim_tallies (
            story_id INTEGER NOT NULL,
            hour TEXT NOT NULL,
            status TEXT NOT NULL,
            n INTEGER NOT NULL,
            moves INTEGER NOT NULL,
            PRIMARY KEY (story_id, hour, status)
        ) WITHOUT ROWID;

        INSERT INTO chart_coverage_tallies (story_id, hour, outlet, kind, items)
        SELECT story_id, hour, outlet,
               CASE WHEN kind = 'statement' THEN 'statement'
                    WHEN cluster_id IS NOT NULL AND original != id THEN 'copy' ELSE 'report' END, count(*)
        FROM (SELECT c.story_id, {hour.format(r="c")} AS hour, coalesce(c.outlet, '') AS outlet, c.kind, c.id,
                     c.cluster_id,
                     first_value(c.id) OVER (PARTITION BY c.story_id, c.cluster_id
                                             ORDER BY coalesce(c.published_at, c.first_seen_at), c.id) AS original
              FROM coverage c)
        GROUP BY 1, 2, 3, 4;

        INSERT INTO chart_claim_tallies (story_id, hour, status, n, moves)
        SELECT story_id, coalesce(strftime('%Y-%m-%dT%H:00:00Z', at), ''), status, sum(n), count(*)
        FROM (WITH started AS (SELECT c.id, c.story_id, {started} AS at FROM claims c)
              SELECT story_id, at, 'unreviewed' AS status, 1 AS n FROM started
              UNION ALL
              SELECT s.story_id, h.at, h.from_status, -1 FROM status_history h JOIN started s ON s.id = h.claim_id
              UNION ALL
              SELECT s.story_id, h.at, h.to_status, 1 FROM status_history h JOIN started s ON s.id = h.claim_id)
        GROUP BY 1, 2, 3;

        CREATE TRIGGER chart_tallies_coverage_before_insert BEFORE INSERT ON coverage
        WHEN NEW.cluster_id IS NOT NULL
        BEGIN {originals(one.format(r="NEW"), -1)} END;
        CREATE TRIGGER chart_tallies_coverage_after_insert AFTER INSERT ON coverage
        BEGIN {item("NEW", 1)} {originals(one.format(r="NEW"), 1)} END;
        CREATE TRIGGER chart_tallies_coverage_before_delete BEFORE DELETE ON coverage
        BEGIN {item("OLD", -1)} {originals(one.format(r="OLD"), -1)} END;
        CREATE TRIGGER chart_tallies_coverage_after_delete AFTER DELETE ON coverage
        WHEN OLD.cluster_id IS NOT NULL
        BEGIN {originals(one.format(r="OLD"), 1)} END;
        CREATE TRIGGER chart_tallies_coverage_before_update BEFORE UPDATE OF {", ".join(counted)} ON coverage
        WHEN {item_changed}
        BEGIN {item("OLD", -1)} {originals(both, -1)} END;
        CREATE TRIGGER chart_tallies_coverage_after_update AFTER UPDATE OF {", ".join(counted)} ON coverage
        WHEN {item_changed}
        BEGIN {item("NEW", 1)} {originals(both, 1)} END;

        CREATE TRIGGER chart_tallies_claims_after_insert AFTER INSERT ON claims
        BEGIN {claim("NEW.id", 1)} END;
        CREATE TRIGGER chart_tallies_claims_before_delete BEFORE DELETE ON claims
        BEGIN {claim("OLD.id", -1)} END;
        CREATE TRIGGER chart_tallies_claims_before_update BEFORE UPDATE OF {", ".join(claim_counted)} ON claims
        WHEN {claim_changed}
        BEGIN {claim("OLD.id", -1)} END;
        CREATE TRIGGER chart_tallies_claims_after_update AFTER UPDATE OF {", ".join(claim_counted)} ON claims
        WHEN {claim_changed}
        BEGIN {claim("NEW.id", 1)} END;
        CREATE TRIGGER chart_tallies_status_history_before_insert BEFORE INSERT ON status_history
        BEGIN {claim("NEW.claim_id", -1)} END;
        CREATE TRIGGER chart_tallies_status_history_after_insert AFTER INSERT ON status_history
        BEGIN
          {claim("NEW.claim_id", 1)}
          INSERT INTO chart_ruling_spans (story_id, first, last)
          SELECT story_id, NEW.at, NEW.at FROM claims WHERE id = NEW.claim_id
          ON CONFLICT (story_id) DO UPDATE SET first = min(first, excluded.first), last = max(last, excluded.last);
        END;
        CREATE TRIGGER chart_ruling_spans_claims_moved AFTER UPDATE OF story_id, id ON claims
        WHEN OLD.story_id IS NOT NEW.story_id OR OLD.id IS NOT NEW.id
        BEGIN {respan("OLD.story_id, NEW.story_id")} END;
        CREATE TRIGGER chart_ruling_spans_claims_delete AFTER DELETE ON claims
        WHEN EXISTS (SELECT 1 FROM status_history WHERE claim_id = OLD.id)
        BEGIN {respan("OLD.story_id")} END;
        """
    )


@migrations(name="0042_candidate_queue_keys")
def m0042_candidate_queue_keys(db: sqlite_utils.Database) -> None:
    """The triage queue's orders as indexes: waiting candidates by score (unscored last), decided ones by when.

    The queue sorts by coalesce(check_score, -1.0), which candidates_check
    (0012, on check_score itself) cannot give, so the first page of a story
    sorted every waiting candidate, and counted the ones before it by reading
    them all again (0.4 s of the page at 60,000 waiting); decided candidates
    sort by decided_at, which no index held. The dashboard's few worth
    checking first read the same index. A page's copies of its sentences
    still waiting are found by story, state and fingerprint together: with
    candidates_fingerprint and candidates_story_state each holding part of
    it, SQLite read every waiting candidate of the story to find them.
    """
    db.executescript(
        """
        CREATE INDEX candidates_story_state_score ON candidates(story_id, state, coalesce(check_score, -1.0), id);
        CREATE INDEX candidates_story_state_decided ON candidates(story_id, state, decided_at, id);
        CREATE INDEX candidates_story_state_fingerprint ON candidates(story_id, state, fingerprint);
        """
    )


@migrations(name="0043_waiting_texts")
def m0043_waiting_texts(db: sqlite_utils.Database) -> None:
    """waiting_texts: how many revisions of each story's coverage wait for claim extraction, kept by triggers.

    The triage page of a story with no candidate waiting says how many texts
    are still to be read, and counted them by joining every waiting revision
    of every story to its item (0.6 s with a million waiting). The triggers
    here are the one place that keeps the count equal to that join, whoever
    stores, reads, moves or removes a revision, or moves an item to another
    story (an item with revisions cannot be deleted: they reference it).
    """
    story_of = "(SELECT story_id FROM coverage WHERE id = {})"
    add = (
        "INSERT INTO waiting_texts (story_id, texts) SELECT story_id, {n} FROM coverage WHERE id = {item} "
        "ON CONFLICT (story_id) DO UPDATE SET texts = texts + excluded.texts;"
    )
    db.executescript(
        f"""
        CREATE TABLE waiting_texts (
            story_id INTEGER PRIMARY KEY,
            texts INTEGER NOT NULL
        );
        INSERT INTO waiting_texts (story_id, texts)
        SELECT cov.story_id, count(*) FROM revisions r JOIN coverage cov ON cov.id = r.coverage_id
        WHERE r.extracted_at IS NULL GROUP BY cov.story_id;
        CREATE TRIGGER waiting_texts_revision_insert AFTER INSERT ON revisions WHEN NEW.extracted_at IS NULL
        BEGIN {add.format(n=1, item="NEW.coverage_id")} END;
        CREATE TRIGGER waiting_texts_revision_update AFTER UPDATE OF extracted_at, coverage_id ON revisions
        WHEN (OLD.extracted_at IS NULL) != (NEW.extracted_at IS NULL) OR OLD.coverage_id IS NOT NEW.coverage_id
        BEGIN
          UPDATE waiting_texts SET texts = texts - 1
          WHERE OLD.extracted_at IS NULL AND story_id = {story_of.format("OLD.coverage_id")};
          {add.format(n="1", item="NEW.coverage_id AND NEW.extracted_at IS NULL")}
        END;
        CREATE TRIGGER waiting_texts_revision_delete AFTER DELETE ON revisions WHEN OLD.extracted_at IS NULL
        BEGIN
          UPDATE waiting_texts SET texts = texts - 1 WHERE story_id = {story_of.format("OLD.coverage_id")};
        END;
        CREATE TRIGGER waiting_texts_coverage_moved AFTER UPDATE OF story_id ON coverage
        WHEN OLD.story_id IS NOT NEW.story_id
        BEGIN
          UPDATE waiting_texts
          SET texts = texts - (SELECT count(*) FROM revisions WHERE coverage_id = NEW.id AND extracted_at IS NULL)
          WHERE story_id = OLD.story_id;
          {
            add.format(
                n="(SELECT count(*) FROM revisions WHERE coverage_id = NEW.id AND extracted_at IS NULL)", item="NEW.id"
            )
        }
        END;
        """
    )


@migrations(name="0044_alert_address_stops")
def m0044_alert_address_stops(db: sqlite_utils.Database) -> None:
    """alert_address_stops: the addresses of an email destination that left it by the unsubscribe link of their
    own emails.

    A destination naming several addresses (to=a,b) sends each its own
    message, and each message's List-Unsubscribe link now names its address
    (tracker/alerts/unsubscribe.py): following it stops that address alone,
    recorded here by its tag (an HMAC of the address: the address itself is
    sealed in alert_destinations, never stored in clear) and its masked form
    for its owner's Alert settings. The sender leaves these addresses out; when
    the last address has left, the destination is stopped as a whole
    (alert_destinations.unsubscribed_at, 0034). Sending there again deletes
    the destination's rows.
    """
    db.executescript(
        """
        CREATE TABLE alert_address_stops (
            destination_id INTEGER NOT NULL REFERENCES alert_destinations(id),
            tag TEXT NOT NULL,
            address_masked TEXT NOT NULL,
            stopped_at TEXT NOT NULL,
            PRIMARY KEY (destination_id, tag)
        ) WITHOUT ROWID;
        """
    )


@migrations(name="0045_saved_drafts")
def m0045_saved_drafts(db: sqlite_utils.Database) -> None:
    """saved_drafts: which of the browser's copies of a typed form (its `_draft` name) each account's saves kept,
    with a digest of what was sent and where each save went.

    The same copy sent twice (a double click, or Restore after a save whose answer never arrived) logged the
    same claim twice; the second send now finds the first save here and goes to it.
    """
    db.executescript(
        """
        CREATE TABLE saved_drafts (
            user_id INTEGER NOT NULL REFERENCES users(id),
            name TEXT NOT NULL,
            sent TEXT NOT NULL,
            location TEXT NOT NULL,
            saved_at TEXT NOT NULL,
            PRIMARY KEY (user_id, name)
        ) WITHOUT ROWID;
        CREATE INDEX saved_drafts_user_saved_at ON saved_drafts(user_id, saved_at);
        """
    )


@migrations(name="0046_public_ids_unseen")
def m0046_public_ids_unseen(db: sqlite_utils.Database) -> None:
    """public_ids_unseen: the public ids (0036) a publish kept whose file has not reached readers yet.

    A publish keeps the ids it gives before its swap, so one killed after the swap has kept every id readers were
    shown. One whose swap then failed kept ids readers never saw, and a claim (or event) of them withdrawn before
    the next publish was listed as withdrawn: its address told readers an editor took back something that never
    went out. An id is here from when it is kept until a file showing it is swapped in; ids kept before this
    migration are taken as seen.
    """
    db.executescript(
        """
        CREATE TABLE public_ids_unseen (
            kind TEXT NOT NULL,
            id INTEGER NOT NULL,
            PRIMARY KEY (kind, id)
        ) WITHOUT ROWID;
        """
    )


@migrations(name="0047_saved_drafts_by_age")
def m0047_saved_drafts_by_age(db: sqlite_utils.Database) -> None:
    """saved_drafts (0045) by age alone: records a week old are removed on any account's save, not only on the
    next save of the account that made them, so an account that stopped saving (someone who left) leaves none
    behind; the index lets each save find the oldest at once, a bounded number at a time.
    """
    db.executescript(
        """
        DROP INDEX saved_drafts_user_saved_at;
        CREATE INDEX saved_drafts_saved_at ON saved_drafts(saved_at);
        """
    )


@migrations(name="0048_coverage_feed_guid")
def m0048_coverage_feed_guid(db: sqlite_utils.Database) -> None:
    """coverage.feed_guid: the guid (RSS) or id (Atom, JSON Feed) of the feed entry that brought the item.

    An outlet that rewrites a headline often changes the article's address
    (its slug) and keeps the entry's guid: the entry was found again under
    its new link as a new article. A feed entry whose link is not known is
    looked up by its guid among the items its source brought (tracker/store.py).
    Items stored before this have none and are found by their address alone.
    """
    db.executescript(
        """
        ALTER TABLE coverage ADD COLUMN feed_guid TEXT;
        CREATE INDEX coverage_feed_guid ON coverage(source_id, feed_guid) WHERE feed_guid IS NOT NULL;
        """
    )


@migrations(name="0049_coverage_fetch_url")
def m0049_coverage_fetch_url(db: sqlite_utils.Database) -> None:
    """coverage.fetch_url: where an item's page is fetched from when a source now gives it another address.

    An item keeps the address it was first stored under (its revisions were
    fetched from it), but an article found again under a new link (its guid
    kept, its site moved to https, its session id dropped) lives at that
    link: an old address answering 404 had it marked gone. NULL: fetched
    from its own address, as every item stored before this.
    """
    db.execute("ALTER TABLE coverage ADD COLUMN fetch_url TEXT")


@migrations(name="0050_page_moves")
def m0050_page_moves(db: sqlite_utils.Database) -> None:
    """page_moves: each time an item's page answered that it moved for good (301, 308) to another address.

    A statement moved to a new address was read there through the redirect,
    but nothing recorded the move, and the listing linking the new address
    made it a second statement. The item keeps its name, is fetched from
    where it moved (coverage.fetch_url), and is found by that address too:
    the index on fetch_url is that look-up. A bare host's page moved to its
    www twin (or back) says the two hosts are one site: page_moves_from finds
    such a move by the host it left. Rows are never changed.
    """
    db.executescript(
        """
        CREATE TABLE page_moves (
            id INTEGER PRIMARY KEY,
            coverage_id INTEGER NOT NULL REFERENCES coverage(id),
            from_url TEXT NOT NULL,
            to_url TEXT NOT NULL,
            status INTEGER NOT NULL,
            at TEXT NOT NULL
        );
        CREATE INDEX page_moves_item ON page_moves(coverage_id, id);
        CREATE INDEX page_moves_from ON page_moves(from_url);
        CREATE INDEX coverage_story_fetch_url ON coverage(story_id, fetch_url) WHERE fetch_url IS NOT NULL;
        """
    )


@migrations(name="0051_publish_log_reviewed")
def m0051_publish_log_reviewed(db: sqlite_utils.Database) -> None:
    """publish_log.reviewed: the digest of the list of changes the editor reviewed and published (the Publish
    form's), so the same form sent twice (a double click) is told it went out, not that someone changed the list
    since. NULL: a publish from the command line, or from before this.
    """
    db.execute("ALTER TABLE publish_log ADD COLUMN reviewed TEXT")


@migrations(name="0052_api_idempotency_keys")
def m0052_api_idempotency_keys(db: sqlite_utils.Database) -> None:
    """api_idempotency_keys: each account's Idempotency-Key headers on the API's creating operations, with a digest
    of the request and the answer it got (status, JSON body, Location), kept a day.

    A tool that lost a POST's answer (a dropped connection) and sent it again made a second claim, note or file;
    the same key and request now get the first answer again. `status` is NULL while the first is being answered.
    """
    db.executescript(
        """
        CREATE TABLE api_idempotency_keys (
            user_id INTEGER NOT NULL REFERENCES users(id),
            key TEXT NOT NULL,
            request TEXT NOT NULL,
            status INTEGER,
            response TEXT,
            location TEXT,
            created_at TEXT NOT NULL,
            PRIMARY KEY (user_id, key)
        ) WITHOUT ROWID;
        CREATE INDEX api_idempotency_keys_created_at ON api_idempotency_keys(created_at);
        """
    )


@migrations(name="0053_validators_url")
def m0053_validators_url(db: sqlite_utils.Database) -> None:
    """coverage.validators_url, sources.validators_url: the address an item's or a source's ETag and
    Last-Modified were answered from, when a temporary redirect (302, 303, 307) led there from the address
    asked. Validators are never sent across a redirect (a tag matching at another page by chance hid its
    change), so such an item or feed was fetched whole at every check; they are sent to that page again, and to
    no other. NULL: the address asked answered itself.
    """
    db.executescript(
        """
        ALTER TABLE coverage ADD COLUMN validators_url TEXT;
        ALTER TABLE sources ADD COLUMN validators_url TEXT;
        """
    )


@migrations(name="0054_coverage_reporting_documents")
def m0054_coverage_reporting_documents(db: sqlite_utils.Database) -> None:
    """An index of the newsroom's own reporting and the documents among the coverage, the few items each publish
    looks at apart from the rest (tracker/public_tables.py: whose quotes stay out, which are titled by a file name):
    it read every item collected to find them, a tenth of a second of CPU at 1,000,000 items. Only those two kinds
    are in it, so storing any other item costs nothing more.
    """
    db.execute("CREATE INDEX coverage_reporting_documents ON coverage(kind) WHERE kind IN ('reporting', 'document')")


@migrations(name="0055_api_idempotency_resource")
def m0055_api_idempotency_resource(db: sqlite_utils.Database) -> None:
    """api_idempotency_keys.resource: the resource a kept answer showed (JSON: its kind and ids), read again for
    a replay instead of keeping the answer's body.

    A claim's, a reporting note's or an accepted candidate's answer holds confidential fields (a source's name,
    internal notes, rationales): kept whole, a day of copies of them sat beside the account, still there and still
    replayed after the claim's own field was cleared. Such an answer now keeps no body (`response` NULL, `resource`
    set). One kept before this has neither: it is dropped to a record answering 409 ("check whether it was made")
    until it expires within the day, so its request is never made twice unseen, and the copy is gone now.
    """
    db.executescript(
        """
        ALTER TABLE api_idempotency_keys ADD COLUMN resource TEXT;
        UPDATE api_idempotency_keys SET status = NULL, response = NULL
        WHERE response IS NOT NULL AND json_valid(response) AND EXISTS (
            SELECT 1 FROM json_tree(api_idempotency_keys.response)
            WHERE key IN ('source_identity', 'internal_notes', 'identity', 'notes', 'rationale')
        );
        """
    )


@migrations(name="0056_coverage_published_offset")
def m0056_coverage_published_offset(db: sqlite_utils.Database) -> None:
    """coverage.published_offset: the offset, in minutes east of UTC, the source wrote its publication time with.

    published_at stays the UTC instant everything is ordered by; the offset beside it gives back the day the
    outlet printed. A page published at 23:30 in New York (-05:00) was shown as published the next day, its
    UTC day. NULL where none is known (a UTC stamp, a date alone, an item stored before this): shown in UTC,
    as before.
    """
    db.execute(
        "ALTER TABLE coverage ADD COLUMN published_offset INTEGER "
        "CHECK (published_offset BETWEEN -1080 AND 1080 AND published_offset != 0)"
    )


@migrations(name="0057_story_looks")
def m0057_story_looks(db: sqlite_utils.Database) -> None:
    """story_looks: when each person last looked at a story's page, and how far each of its lists had got then.

    The story page named the latest ruling, claim, candidates and coverage whether or not the editor had seen
    them; what is new is what came in since their last look. Rulings, claims, candidates and revisions are
    never deleted and their ids only grow, so the largest id of each when the page was drawn (0: none yet)
    marks what was there, whatever any clock says; `looked_at` is for saying when.
    """
    db.executescript(
        """
        CREATE TABLE story_looks (
            user_id INTEGER NOT NULL REFERENCES users(id),
            story_id INTEGER NOT NULL REFERENCES stories(id),
            looked_at TEXT NOT NULL,
            last_ruling INTEGER NOT NULL DEFAULT 0,
            last_claim INTEGER NOT NULL DEFAULT 0,
            last_candidate INTEGER NOT NULL DEFAULT 0,
            last_revision INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (user_id, story_id)
        ) WITHOUT ROWID;
        """
    )


@migrations(name="0058_revisions_append_only")
def m0058_revisions_append_only(db: sqlite_utils.Database) -> None:
    """revisions refuse a rewrite or a removal as the other histories do; only the extraction stamp may change.

    A page's every fetched text is the record of what an outlet said when: evidence quotes it by offset, a
    changed statement is seen by comparing revisions, and the manual says they are never overwritten. That was
    a convention only: any UPDATE or DELETE (a script, the sqlite3 shell) went through. The app updates just
    `extracted_at` (the extraction pass's mark), so that one column stays writable.
    """
    db.executescript(
        """
        CREATE TRIGGER revisions_no_update BEFORE UPDATE OF id, coverage_id, fetched_at, content_hash, text, diff
        ON revisions
        BEGIN SELECT RAISE(ABORT, 'revisions is append-only'); END;
        CREATE TRIGGER revisions_no_delete BEFORE DELETE ON revisions
        BEGIN SELECT RAISE(ABORT, 'revisions is append-only'); END;
        CREATE TRIGGER revisions_no_replace BEFORE INSERT ON revisions
        WHEN EXISTS (SELECT 1 FROM revisions WHERE id = NEW.id)
        BEGIN SELECT RAISE(ABORT, 'revisions is append-only'); END;
        """
    )


@migrations(name="0059_ruling_edit_mark")
def m0059_ruling_edit_mark(db: sqlite_utils.Database) -> None:
    """status_history.edit_mark: the claim's last claim_edits id when the ruling was made (0: none yet).

    A verdict belongs to the words it was given on: an edit of the claim's wording or claimant after its latest
    ruling leaves that ruling on earlier wording, and readers keep the ruled wording until an editor rules
    again. Edit and ruling times are to the second, so an edit in the ruling's second could not be told
    before from after; ids only grow. Rulings made before this column have none: their edits are told by time.
    """
    db.execute("ALTER TABLE status_history ADD COLUMN edit_mark INTEGER")


@migrations(name="0060_demo_desk_hold")
def m0060_demo_desk_hold(db: sqlite_utils.Database) -> None:
    """demo_desk_hold: the live demo's desk is holding its publish (one row while it is; none otherwise).

    The desk publishes only its own story's changes: while other stories have changes waiting for an editor's
    review on Publish, it publishes nothing. The desk runs in the demo's process, the editor's dashboard in
    another, so the hold is kept here for the dashboard to say. `since`: when the hold began; `checked_at`
    and `publish_id` (the publish log's latest row then): when the desk last looked at the change list, which
    it looks at again once an editor has published or some time has passed, not at every turn of a second.
    """
    db.executescript(
        """
        CREATE TABLE demo_desk_hold (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            since TEXT NOT NULL,
            checked_at TEXT NOT NULL,
            publish_id INTEGER NOT NULL
        );
        """
    )


# Backfills: derived values recomputed once by today's code, after every schema migration has run.
backfills = Migrations("tracker_backfills")


@backfills(name="echo_counts")
def b_echo_counts(db: sqlite_utils.Database) -> None:
    """The echo counts of claims that had evidence before 0006 added them (or when the rule changes).

    A database created since 0006 has none to fill (each count is kept
    current as evidence arrives), so this reads one empty result; on one
    upgraded from before, it is what 0006 used to compute.
    """
    story_ids = [
        story_id
        for (story_id,) in db.execute(
            "SELECT DISTINCT c.story_id FROM claims c WHERE EXISTS (SELECT 1 FROM evidence e WHERE e.claim_id = c.id)"
        )
    ]
    if story_ids:
        from tracker import echoes  # the live rule, on the schema as it is now

        for story_id in story_ids:
            echoes.refresh_story(db, story_id)


@backfills(name="evidence_words_from")
def b_evidence_words_from(db: sqlite_utils.Database) -> None:
    """words_from for evidence added before 0029, quoting a revision that is not its item's first.

    Only such evidence can quote words a later revision added; a database
    with none reads one empty result.
    """
    rows = db.execute(
        """SELECT e.id, e.revision_id, e.quote FROM evidence e JOIN revisions r ON r.id = e.revision_id
           WHERE EXISTS (SELECT 1 FROM revisions p WHERE p.coverage_id = r.coverage_id AND p.id < r.id)"""
    ).fetchall()
    if rows:
        from tracker import claims  # the live rule, on the schema as it is now
        from tracker.coverage import get_revision

        for evidence_id, revision_id, quote in rows:
            added = claims.words_added_at(db, get_revision(db, revision_id), quote)
            db.execute("UPDATE evidence SET words_from = ? WHERE id = ?", [added, evidence_id])


@backfills(name="capture_reveals")
def b_capture_reveals(db: sqlite_utils.Database) -> None:
    """captures.reveals for items kept before 0031 (every one but pages, each read once)."""
    from tracker import captures  # the live rule, on the schema as it is now

    for (capture_id,) in db.execute("SELECT id FROM captures WHERE role != 'page' ORDER BY id").fetchall():
        found = captures.examine(captures.raw_bytes(db, capture_id))
        if found is not None:
            db.execute("UPDATE captures SET reveals = ? WHERE id = ?", [found, capture_id])


@backfills(name="capture_reveals_as_received")
def b_capture_reveals_as_received(db: sqlite_utils.Database) -> None:
    """captures.reveals read again for files whose copy cannot be cleaned at all (signed, an encrypted PDF, one
    that could not be read, a compound Office file), which it used to say nothing of: they were published as
    received with a click. Such a copy published before is withdrawn, the reason kept in archived_copy_choices;
    an editor who wants it for readers publishes it again, as received, told what it records."""
    from tracker import captures, photos  # the live rule, on the schema as it is now

    for capture_id, published in db.execute(
        "SELECT id, published FROM captures WHERE role != 'page' ORDER BY id"
    ).fetchall():
        pieces = captures.chunks(db, capture_id)
        head = next(pieces, b"")[:1024]
        pieces.close()
        if not photos.is_container(head) and not photos.is_compound(head):
            continue
        found = captures.examine(captures.raw_bytes(db, capture_id))
        db.execute("UPDATE captures SET reveals = ? WHERE id = ?", [found, capture_id])
        why = captures.cannot_be_cleaned({"reveals": found})
        if published and why:
            db.execute("UPDATE captures SET published = 0, published_at = NULL WHERE id = ?", [capture_id])
            captures.record_choice(
                db,
                capture_id,
                False,
                as_received=False,
                told=f"Withdrawn by the tracker: this file cannot be cleaned ({why}), and no editor had chosen to "
                "publish it as received.",
                user=None,
            )


def check_ours(db: sqlite_utils.Database) -> None:
    """Refuse a database these migrations must not touch, before anything is written to it (reads only).

    One a newer version has upgraded would be written to by code that does
    not know its schema; another program's SQLite file (the public
    database, say, given as --db by mistake) would get every table of the
    tracker added to it. An empty file is a new database.
    """
    from tracker.db import TrackerError, path_of

    name = path_of(db) or "The database"
    applied = [m.name for m in migrations.applied(db)] + [m.name for m in backfills.applied(db)]
    known = {m.name for m in migrations._migrations} | {m.name for m in backfills._migrations}
    newer = [applied_name for applied_name in applied if applied_name not in known]
    if newer:
        raise TrackerError(
            f"{name} was upgraded by a newer version of the tracker (migration {newer[-1]}), so this one leaves "
            "it unchanged: update this copy of the tracker (git pull), or use a backup made before the upgrade."
        )
    others = [table for table in db.table_names() if table != Migrations.migrations_table]
    if not applied and others:
        raise TrackerError(
            f"{name} is not a Newsroom Tracker database (it holds {', '.join(others[:3])}), so it was left "
            "unchanged: check --db, or create a new one with `python -m tracker init --db NEW.db`."
        )


def pending_names(db: sqlite_utils.Database) -> list[str]:
    """Migrations and backfills not applied yet (reads only: for a database that cannot be written)."""
    check_ours(db)
    return [m.name for m in migrations.pending(db)] + [m.name for m in backfills.pending(db)]


def apply(db: sqlite_utils.Database) -> list[str]:
    """Apply pending migrations, then pending backfills; return the migration names applied (empty when up to date).

    In the writers' queue (tracker.db.WriterLock): commands started together
    after an upgrade (`serve` and `watch`) each found the new migrations
    pending, and all but the first failed on tables or columns it had made.
    It waits for a writer that is still running however long it takes (a
    migration of a large database elsewhere), not for one that is stopped.
    """
    from tracker.db import patient_writer_lock

    with patient_writer_lock(db):
        check_ours(db)
        pending = [m.name for m in migrations.pending(db)]
        migrations.apply(db)
        backfills.apply(db)
    return pending
