//! Schema and migrations.
//!
//! Two paths lead to the current schema and a test proves they meet: a new database is created
//! from [`CURRENT_SCHEMA`] (`schema.sql`) in one step, an older one is brought forward by
//! [`MIGRATIONS`] (`migrations/0001.sql`, `0002.sql`, …), one step per `user_version`, all in
//! one transaction. When the schema changes, both change: `schema.sql` is edited and a new step
//! file is added and listed here. A step file, once released, is never edited: it is what
//! older databases went through, so a test pins each file's SHA-256 (editing history fails it)
//! and another proves that the steps, applied in order, give exactly `schema.sql`.
//!
//! Design: every entity is stored as its JSON document (`doc`, the source of truth, the same
//! text the audit log keeps) plus the columns that the database must understand — references
//! (with foreign keys, deferred to commit so that cycles such as request ↔ admitted item can be
//! written in any order), names and order for listing, and the text for search.
//!
//! Version 2 took search indexing out of the item triggers: writing an item only queues it in
//! `items_fts_pending`, and the index is filled for a whole batch at once, by `Store::write`
//! for small changes and by `Store::index_pending_items` after a big import (see
//! `crate::search_index`). Trigram indexing costs ~0.2 ms per item of ordinary length, so
//! indexing 50,000 imported rows one trigger at a time took 23 s of a 26 s import.
//!
//! Version 3 gave every entity a stable identity (`uid`, a UUID; see `quanze_domain::Uid`)
//! beside its row id, which may shift when a bundle is loaded into a non-empty database.

/// `PRAGMA application_id` of a Quanze database ("QZE1"), so a foreign SQLite file is refused.
pub const APPLICATION_ID: i32 = 0x515A_4531;

/// The `user_version` this build writes.
pub const SCHEMA_VERSION: i32 = 3;

/// The whole current schema, for a new database.
pub const CURRENT_SCHEMA: &str = include_str!("../schema.sql");

/// Steps from one `user_version` to the next: `MIGRATIONS[n]` takes a database from version
/// `n` to `n + 1`. Version 0 is an empty file; its step is the first schema. Each is a frozen
/// file (see the module documentation), named by the version it leads to.
pub const MIGRATIONS: &[Migration] = &[
    Migration {
        file: "0001.sql",
        sql: include_str!("../migrations/0001.sql"),
    },
    Migration {
        file: "0002.sql",
        sql: include_str!("../migrations/0002.sql"),
    },
    Migration {
        file: "0003.sql",
        sql: include_str!("../migrations/0003.sql"),
    },
];

/// One frozen migration step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Migration {
    /// Its file under `crates/quanze-store/migrations/`.
    pub file: &'static str,
    pub sql: &'static str,
}
