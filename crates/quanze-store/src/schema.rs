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
//!
//! Version 4 sized the store to its text: every string of every document is kept once in
//! `texts` and documents refer to it (see `crate::texts`); search scans the distinct texts
//! instead of a trigram index over a second copy; an audit entry may stand for a run of items.
//! Its step is SQL (`0004.sql`) and then Rust ([`rewrite_documents_for_version_4`]), since
//! hashing and walking JSON are not SQL's work; the Rust half is frozen like the file.
//!
//! Version 5 keeps the packages exchanged with other offices (`exchange_packages`), the bases
//! that returning packages are merged against (see `crate::exchange`).
//!
//! Version 6 keeps change requests (`change_requests`, 调整申请): a list changes by request,
//! review and approval, and the version that publishes a change names it.
//!
//! Version 7 gives every entity row a `version` that every write of the row increments (issue
//! 19: several people editing one database on a PostgreSQL server; see `docs/server.md`). On
//! PostgreSQL the same step also moves each id sequence past the largest id, since from then on
//! new ids come from the sequences (`Writer::next_id`).
//!
//! Version 8 changes nothing in a SQLite file: its number is PostgreSQL's step that makes the
//! server's accounts, row-level security and change notices (`migrations/pg/0008.sql`,
//! docs/server.md).
//!
//! Version 9 changes nothing in a SQLite file either: PostgreSQL's step 9 indexes the texts
//! each item uses (`quanze_text_ids`), so that the server finds the items a search matches.
//! Version 10, likewise: PostgreSQL's step 10 drops that index again (measured slower, and a
//! cost to every import: docs/benchmarks/server.md).
//! Version 11, likewise: PostgreSQL's step 11 keeps items' documents as `json` text instead of
//! `jsonb` (parsed on every write and printed on every read for nothing: the store reads them
//! whole).

/// `PRAGMA application_id` of a Quanze database ("QZE1"), so a foreign SQLite file is refused.
pub const APPLICATION_ID: i32 = 0x515A_4531;

/// The `user_version` this build writes.
pub const SCHEMA_VERSION: i32 = 11;

/// The whole current schema, for a new database.
pub const CURRENT_SCHEMA: &str = include_str!("../schema.sql");

/// Steps from one `user_version` to the next: `MIGRATIONS[n]` takes a database from version
/// `n` to `n + 1`. Version 0 is an empty file; its step is the first schema. Each is a frozen
/// file (see the module documentation), named by the version it leads to.
pub const MIGRATIONS: &[Migration] = &[
    Migration {
        file: "0001.sql",
        sql: include_str!("../migrations/0001.sql"),
        then: None,
    },
    Migration {
        file: "0002.sql",
        sql: include_str!("../migrations/0002.sql"),
        then: None,
    },
    Migration {
        file: "0003.sql",
        sql: include_str!("../migrations/0003.sql"),
        then: None,
    },
    Migration {
        file: "0004.sql",
        sql: include_str!("../migrations/0004.sql"),
        then: Some(rewrite_documents_for_version_4),
    },
    Migration {
        file: "0005.sql",
        sql: include_str!("../migrations/0005.sql"),
        then: None,
    },
    Migration {
        file: "0006.sql",
        sql: include_str!("../migrations/0006.sql"),
        then: None,
    },
    Migration {
        file: "0007.sql",
        sql: include_str!("../migrations/0007.sql"),
        then: None,
    },
    Migration {
        file: "0008.sql",
        sql: include_str!("../migrations/0008.sql"),
        then: None,
    },
    Migration {
        file: "0009.sql",
        sql: include_str!("../migrations/0009.sql"),
        then: None,
    },
    Migration {
        file: "0010.sql",
        sql: include_str!("../migrations/0010.sql"),
        then: None,
    },
    Migration {
        file: "0011.sql",
        sql: include_str!("../migrations/0011.sql"),
        then: None,
    },
];

/// One frozen migration step.
#[derive(Debug, Clone, Copy)]
pub struct Migration {
    /// Its file under `crates/quanze-store/migrations/`.
    pub file: &'static str,
    pub sql: &'static str,
    /// Work the step does after its SQL, in the same transaction.
    pub then: Option<fn(&rusqlite::Connection) -> crate::Result<()>>,
}

/// Tables whose rows are entities, each with the table that holds their JSON documents.
const DOCUMENT_TABLES: [(&str, &str); 8] = [
    ("jurisdictions", "jurisdictions"),
    ("leaders", "leaders"),
    ("units", "units"),
    ("lists", "lists"),
    ("items", "item_documents"),
    ("admission_requests", "admission_requests"),
    ("waivers", "waivers"),
    ("versions", "versions"),
];

/// Rows rewritten per batch by [`rewrite_documents_for_version_4`] (memory stays bounded).
const REWRITE_BATCH: i64 = 2_000;

/// The Rust half of step 4: every document's strings (entities, published versions, audit
/// before/after) moved into `texts`, and each item row's `text_ids` filled. Audit entries keep
/// their whole documents (only new entries are field by field), so history reads as before.
pub fn rewrite_documents_for_version_4(conn: &rusqlite::Connection) -> crate::Result<()> {
    let mut texts = crate::texts::TextIds::default();
    for (table, document_table) in DOCUMENT_TABLES {
        let mut last = 0_i64;
        loop {
            let rows: Vec<(i64, String)> = conn
                .prepare(&format!("SELECT id, doc FROM {document_table} WHERE id > ?1 ORDER BY id LIMIT ?2"))?
                .query_map([last, REWRITE_BATCH], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<rusqlite::Result<_>>()?;
            let Some((end, _)) = rows.last() else { break };
            last = *end;
            for (id, doc) in rows {
                let mut document: serde_json::Value = serde_json::from_str(&doc).map_err(|e| crate::StoreError::Corrupt {
                    table: "migration",
                    id,
                    message: e.to_string(),
                })?;
                let mut used = Vec::new();
                texts.store_strings(crate::backend::Conn::Sqlite(conn), &mut document, &mut used)?;
                conn.execute(&format!("UPDATE {document_table} SET doc = ?1 WHERE id = ?2"), rusqlite::params![document.to_string(), id])?;
                if table == "items" {
                    conn.execute("UPDATE items SET text_ids = ?1 WHERE id = ?2", rusqlite::params![crate::texts::pack_text_ids(&used), id])?;
                }
            }
        }
    }
    rewrite_audit_documents(conn, &mut texts)
}

fn rewrite_audit_documents(conn: &rusqlite::Connection, texts: &mut crate::texts::TextIds) -> crate::Result<()> {
    let mut last = 0_i64;
    loop {
        let rows: Vec<(i64, Option<String>, Option<String>)> = conn
            .prepare("SELECT id, before, after FROM audit_log WHERE id > ?1 ORDER BY id LIMIT ?2")?
            .query_map([last, REWRITE_BATCH], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
            .collect::<rusqlite::Result<_>>()?;
        let Some((end, _, _)) = rows.last() else { break };
        last = *end;
        for (id, before, after) in rows {
            let mut stored = |text: Option<String>| -> crate::Result<Option<String>> {
                text.map(|text| {
                    let mut value: serde_json::Value = serde_json::from_str(&text).map_err(|e| crate::StoreError::Corrupt {
                        table: "audit_log",
                        id,
                        message: e.to_string(),
                    })?;
                    texts.store_strings(crate::backend::Conn::Sqlite(conn), &mut value, &mut Vec::new())?;
                    Ok(value.to_string())
                })
                .transpose()
            };
            let (before, after) = (stored(before)?, stored(after)?);
            conn.execute("UPDATE audit_log SET before = ?1, after = ?2 WHERE id = ?3", rusqlite::params![before, after, id])?;
        }
    }
    Ok(())
}
