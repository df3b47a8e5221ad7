"""Every table, index, trigger and full-text index of the working database.

One owner for the schema: numbered, named sqlite-utils migrations, applied by
`python -m tracker init` and by the test fixtures. Only ever append a
migration; never edit one that has shipped.
"""

from __future__ import annotations

import sqlite_utils
from sqlite_utils.migrations import Migrations

migrations = Migrations("tracker")

STATUSES = ("unreviewed", "confirmed", "denied", "unclear")
CLAIMANT_TYPES = ("named", "anonymous", "organization", "outlet", "document", "unattributed")
STANCES = ("supports", "contradicts", "context")
ROLES = ("reporter", "editor", "admin")
SOURCE_KINDS = ("feed", "page", "statement")
COVERAGE_KINDS = ("article", "statement")


def _in(values: tuple[str, ...]) -> str:
    return "(" + ", ".join(f"'{v}'" for v in values) + ")"


@migrations(name="0001_core")
def m0001_core(db: sqlite_utils.Database) -> None:
    db.executescript(
        f"""
        CREATE TABLE users (
            id INTEGER PRIMARY KEY,
            username TEXT NOT NULL UNIQUE COLLATE NOCASE,
            password_hash TEXT NOT NULL,
            role TEXT NOT NULL CHECK (role IN {_in(ROLES)}),
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
            kind TEXT NOT NULL CHECK (kind IN {_in(SOURCE_KINDS)}),
            url TEXT NOT NULL,
            outlet TEXT,
            config TEXT NOT NULL DEFAULT '{{}}',
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
            kind TEXT NOT NULL DEFAULT 'article' CHECK (kind IN {_in(COVERAGE_KINDS)}),
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
                CHECK (claimant_type IN {_in(CLAIMANT_TYPES)}),
            status TEXT NOT NULL DEFAULT 'unreviewed' CHECK (status IN {_in(STATUSES)}),
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
            stance TEXT NOT NULL DEFAULT 'supports' CHECK (stance IN {_in(STANCES)}),
            added_by INTEGER REFERENCES users(id),
            added_at TEXT NOT NULL,
            UNIQUE (claim_id, revision_id, start, "end")
        );
        CREATE INDEX evidence_claim ON evidence(claim_id);
        CREATE INDEX evidence_revision ON evidence(revision_id);
        CREATE TABLE status_history (
            id INTEGER PRIMARY KEY,
            claim_id INTEGER NOT NULL REFERENCES claims(id),
            from_status TEXT NOT NULL CHECK (from_status IN {_in(STATUSES)}),
            to_status TEXT NOT NULL CHECK (to_status IN {_in(STATUSES)}),
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
        """
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


def apply(db: sqlite_utils.Database) -> list[str]:
    """Apply pending migrations; return the names applied (empty when up to date)."""
    pending = [m.name for m in migrations.pending(db)]
    migrations.apply(db)
    return pending
