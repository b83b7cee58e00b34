//! Schema and migrations.
//!
//! Two paths lead to the current schema and a test proves they meet: a new database is created
//! from [`CURRENT_SCHEMA`] in one step, an older one is brought forward by [`MIGRATIONS`], one
//! step per `user_version`, all in one transaction. When the schema changes, both change:
//! `CURRENT_SCHEMA` is edited and a step is appended to `MIGRATIONS`.
//!
//! Design: every entity is stored as its JSON document (`doc`, the source of truth, the same
//! text the audit log keeps) plus the columns that the database must understand — references
//! (with foreign keys, deferred to commit so that cycles such as request ↔ admitted item can be
//! written in any order), names and order for listing, and the text for search.

/// `PRAGMA application_id` of a Quanze database ("QZE1"), so a foreign SQLite file is refused.
pub const APPLICATION_ID: i32 = 0x515A_4531;

/// The `user_version` this build writes.
pub const SCHEMA_VERSION: i32 = 2;

// The schema is written once per piece and assembled with `concat!`, so that a fresh database
// and a migrated one are built from the very same SQL text (the migration test compares the
// text SQLite keeps in `sqlite_master`).

macro_rules! tables_v1 {
    () => {
        r#"
CREATE TABLE jurisdictions (
    id INTEGER PRIMARY KEY,
    parent_id INTEGER REFERENCES jurisdictions(id) DEFERRABLE INITIALLY DEFERRED,
    name TEXT NOT NULL,
    level TEXT NOT NULL,
    doc TEXT NOT NULL
);
CREATE INDEX jurisdictions_parent ON jurisdictions(parent_id);

CREATE TABLE leaders (
    id INTEGER PRIMARY KEY,
    jurisdiction_id INTEGER NOT NULL REFERENCES jurisdictions(id) DEFERRABLE INITIALLY DEFERRED,
    name TEXT NOT NULL,
    doc TEXT NOT NULL
);
CREATE INDEX leaders_jurisdiction ON leaders(jurisdiction_id);

CREATE TABLE units (
    id INTEGER PRIMARY KEY,
    jurisdiction_id INTEGER NOT NULL REFERENCES jurisdictions(id) DEFERRABLE INITIALLY DEFERRED,
    parent_id INTEGER REFERENCES units(id) DEFERRABLE INITIALLY DEFERRED,
    name TEXT NOT NULL,
    doc TEXT NOT NULL
);
CREATE INDEX units_jurisdiction ON units(jurisdiction_id);

CREATE TABLE unit_leaders_in_charge (
    unit_id INTEGER NOT NULL REFERENCES units(id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
    leader_id INTEGER NOT NULL REFERENCES leaders(id) DEFERRABLE INITIALLY DEFERRED,
    PRIMARY KEY (unit_id, leader_id)
) WITHOUT ROWID;
CREATE INDEX unit_leaders_in_charge_leader ON unit_leaders_in_charge(leader_id);

CREATE TABLE lists (
    id INTEGER PRIMARY KEY,
    jurisdiction_id INTEGER NOT NULL REFERENCES jurisdictions(id) DEFERRABLE INITIALLY DEFERRED,
    unit_id INTEGER REFERENCES units(id) DEFERRABLE INITIALLY DEFERRED,
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    doc TEXT NOT NULL
);
CREATE INDEX lists_jurisdiction ON lists(jurisdiction_id);

CREATE TABLE items (
    id INTEGER PRIMARY KEY,
    list_id INTEGER NOT NULL REFERENCES lists(id) DEFERRABLE INITIALLY DEFERRED,
    position INTEGER NOT NULL,
    name TEXT NOT NULL,
    code TEXT,
    power_type TEXT,
    handling_unit_id INTEGER REFERENCES units(id) DEFERRABLE INITIALLY DEFERRED,
    lead_unit_id INTEGER REFERENCES units(id) DEFERRABLE INITIALLY DEFERRED,
    receiving_unit_id INTEGER REFERENCES units(id) DEFERRABLE INITIALLY DEFERRED,
    requesting_unit_id INTEGER REFERENCES units(id) DEFERRABLE INITIALLY DEFERRED,
    admission_request_id INTEGER REFERENCES admission_requests(id) DEFERRABLE INITIALLY DEFERRED,
    search_text TEXT NOT NULL,
    doc TEXT NOT NULL
);
CREATE INDEX items_list ON items(list_id, position);

CREATE TABLE admission_requests (
    id INTEGER PRIMARY KEY,
    community_id INTEGER NOT NULL REFERENCES jurisdictions(id) DEFERRABLE INITIALLY DEFERRED,
    applicant_unit_id INTEGER REFERENCES units(id) DEFERRABLE INITIALLY DEFERRED,
    admitted_item_id INTEGER REFERENCES items(id) DEFERRABLE INITIALLY DEFERRED,
    state TEXT NOT NULL,
    doc TEXT NOT NULL
);
CREATE INDEX admission_requests_community ON admission_requests(community_id);

CREATE TABLE waivers (
    id INTEGER PRIMARY KEY,
    finding_key TEXT NOT NULL UNIQUE,
    rule TEXT NOT NULL,
    doc TEXT NOT NULL
);

CREATE TABLE versions (
    id INTEGER PRIMARY KEY,
    list_id INTEGER NOT NULL REFERENCES lists(id) DEFERRABLE INITIALLY DEFERRED,
    number INTEGER NOT NULL,
    published_on TEXT NOT NULL,
    doc TEXT NOT NULL,
    UNIQUE (list_id, number)
);

CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    entity TEXT NOT NULL,
    entity_id INTEGER NOT NULL,
    label TEXT NOT NULL,
    before TEXT,
    after TEXT,
    reason TEXT
);
CREATE INDEX audit_log_entity ON audit_log(entity, entity_id);

"#
    };
}

macro_rules! items_fts_table {
    () => {
        r#"-- Trigram full-text index over item names and content, kept in step with `items` by triggers.
-- Trigrams match any substring of three or more characters, which suits Chinese (no spaces);
-- shorter queries fall back to LIKE in the search code.
CREATE VIRTUAL TABLE items_fts USING fts5(
    name, search_text, content='items', content_rowid='id', tokenize='trigram'
);
"#
    };
}

/// Version 1 indexed every item inside the transaction that wrote it. Kept verbatim: it is the
/// first migration step.
macro_rules! items_fts_triggers_v1 {
    () => {
        r#"CREATE TRIGGER items_fts_insert AFTER INSERT ON items BEGIN
    INSERT INTO items_fts(rowid, name, search_text) VALUES (new.id, new.name, new.search_text);
END;
CREATE TRIGGER items_fts_delete AFTER DELETE ON items BEGIN
    INSERT INTO items_fts(items_fts, rowid, name, search_text)
        VALUES ('delete', old.id, old.name, old.search_text);
END;
CREATE TRIGGER items_fts_update AFTER UPDATE OF name, search_text ON items BEGIN
    INSERT INTO items_fts(items_fts, rowid, name, search_text)
        VALUES ('delete', old.id, old.name, old.search_text);
    INSERT INTO items_fts(rowid, name, search_text) VALUES (new.id, new.name, new.search_text);
END;
"#
    };
}

/// Version 2: writing an item only queues it in `items_fts_pending`; the index is filled for a
/// whole batch at once, by `Store::write` for small changes and by
/// `Store::index_pending_items` after a big import (see `crate::search_index`). Trigram
/// indexing costs ~0.2 ms per item of ordinary length, so indexing 50,000 imported rows one
/// trigger at a time took 23 s of a 26 s import. A queued item that was never indexed must not
/// be "deleted" from the index (that would corrupt an external-content FTS5 table), hence the
/// `NOT EXISTS` guards.
macro_rules! items_fts_triggers_v2 {
    () => {
        r#"
CREATE TABLE items_fts_pending (item_id INTEGER PRIMARY KEY);
CREATE TRIGGER items_fts_insert AFTER INSERT ON items BEGIN
    INSERT OR IGNORE INTO items_fts_pending(item_id) VALUES (new.id);
END;
CREATE TRIGGER items_fts_delete AFTER DELETE ON items BEGIN
    INSERT INTO items_fts(items_fts, rowid, name, search_text)
        SELECT 'delete', old.id, old.name, old.search_text
        WHERE NOT EXISTS (SELECT 1 FROM items_fts_pending WHERE item_id = old.id);
    DELETE FROM items_fts_pending WHERE item_id = old.id;
END;
CREATE TRIGGER items_fts_update AFTER UPDATE OF name, search_text ON items BEGIN
    INSERT INTO items_fts(items_fts, rowid, name, search_text)
        SELECT 'delete', old.id, old.name, old.search_text
        WHERE NOT EXISTS (SELECT 1 FROM items_fts_pending WHERE item_id = old.id);
    INSERT OR IGNORE INTO items_fts_pending(item_id) VALUES (new.id);
END;
"#
    };
}

/// The whole current schema, for a new database.
pub const CURRENT_SCHEMA: &str = concat!(tables_v1!(), items_fts_table!(), items_fts_triggers_v2!());

/// The first schema (version 1).
const SCHEMA_V1: &str = concat!(tables_v1!(), items_fts_table!(), items_fts_triggers_v1!());

/// Version 1 → 2: search indexing leaves the item triggers (see [`items_fts_triggers_v2`]).
/// Items of a version-1 file are all indexed already, so the queue starts empty.
const STEP_V1_TO_V2: &str = concat!(
    "DROP TRIGGER items_fts_insert;\nDROP TRIGGER items_fts_delete;\nDROP TRIGGER items_fts_update;\n",
    items_fts_triggers_v2!()
);

/// Steps from one `user_version` to the next: `MIGRATIONS[n]` takes a database from version
/// `n` to `n + 1`. Version 0 is an empty file; its step is the first schema.
pub const MIGRATIONS: &[&str] = &[SCHEMA_V1, STEP_V1_TO_V2];
