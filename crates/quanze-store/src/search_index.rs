//! Keeping the trigram search index in step with the items, in batches.
//!
//! Writing an item only queues its id in `items_fts_pending` (schema version 2). The queue is
//! drained here with one `INSERT … SELECT` per batch, which lets FTS5 build its segments once
//! instead of once per row. Small changes — an edit, a paste, a short list — are indexed
//! inside the transaction that made them ([`IMMEDIATE_LIMIT`]), so the index is exact after
//! every ordinary write. A big import commits first and is indexed afterwards in batches the
//! caller drives (a background thread in the app, a progress line in the CLI). Until then,
//! search still finds queued items: [`crate::Reader::search`] matches them with `LIKE`.

use rusqlite::Connection;

use crate::Result;

/// A write that leaves at most this many items queued indexes them before it commits.
/// About 0.4 s of indexing on this project's 2-core reference machine.
pub const IMMEDIATE_LIMIT: i64 = 2_000;

/// Items still waiting for the search index.
pub(crate) fn pending_count(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row("SELECT count(*) FROM items_fts_pending", [], |r| r.get(0))?)
}

/// Index up to `limit` queued items (lowest ids first) on `conn`, which the caller has inside
/// a transaction. Returns how many were indexed.
pub(crate) fn index_pending(conn: &Connection, limit: i64) -> Result<i64> {
    conn.execute_batch(
        "CREATE TEMP TABLE IF NOT EXISTS fts_batch (item_id INTEGER PRIMARY KEY);
         DELETE FROM fts_batch;",
    )?;
    let taken = conn.execute(
        "INSERT INTO fts_batch(item_id) SELECT item_id FROM items_fts_pending ORDER BY item_id LIMIT ?1",
        [limit],
    )?;
    if taken == 0 {
        return Ok(0);
    }
    conn.execute_batch(
        "INSERT INTO items_fts(rowid, name, search_text)
             SELECT items.id, items.name, items.search_text
             FROM fts_batch JOIN items ON items.id = fts_batch.item_id;
         DELETE FROM items_fts_pending WHERE item_id IN (SELECT item_id FROM fts_batch);
         DELETE FROM fts_batch;",
    )?;
    i64::try_from(taken).map_err(|_| crate::StoreError::Invalid("索引批次过大".to_string()))
}

/// Progress of [`crate::Store::index_pending_items`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IndexProgress {
    /// Items indexed by this call.
    pub indexed: i64,
    /// Items still queued after it.
    pub remaining: i64,
}
