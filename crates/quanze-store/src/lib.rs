//! # quanze-store
//!
//! The one crate that owns SQLite (rusqlite, bundled). Everything Quanze keeps is here:
//!
//! - [`Store::open`] creates or migrates a database (`user_version` steps in one transaction,
//!   see [`schema`]), turns on WAL and foreign keys, and refuses a database written by a newer
//!   Quanze or a SQLite file that is not Quanze's.
//! - **Every change goes through [`Store::write`]**: it opens a transaction, hands out a
//!   [`Writer`], and every `put`/`delete` of the writer records an audit-log entry (entity,
//!   before, after, actor, time, reason) in that same transaction. There is no other way to
//!   change a row; if the closure fails, nothing is written, audit entries included.
//! - Reads ([`Reader`]) return domain types; full-text search uses FTS5 with the trigram
//!   tokenizer and falls back to `LIKE` for one- and two-character queries. The index is filled
//!   in batches ([`search_index`]): at the end of every small write, and after a big import by
//!   [`Store::index_pending_items`]; queued items are found with `LIKE` meanwhile.
//! - A whole [`quanze_domain::Bundle`] can be loaded (one transaction) and dumped.
//! - [`backup`]: verified backups with SQLite's online backup API (written to a temporary file,
//!   checked, synced, renamed), the rotating automatic ones beside the database, and restore
//!   into the open connection. [`Store::open`] backs up an older non-empty file before migrating.

pub mod backup;
mod bundle_io;
mod read;
pub mod record;
pub mod schema;
pub mod search_index;

use std::path::{Path, PathBuf};

use chrono::{Local, SecondsFormat};
use quanze_domain::{Id, Uid};
use rusqlite::{Connection, OpenFlags, OptionalExtension, Transaction, TransactionBehavior};
use serde::Serialize;

pub use backup::{backup_folder, inspect_backup, list_backups, BackupFile, BackupReason, KEEP_AUTOMATIC_BACKUPS};
pub use bundle_io::LoadCounts;
/// Re-exported so that callers can classify [`StoreError::Sqlite`] without depending on
/// rusqlite themselves.
pub use rusqlite::{Error as SqliteError, ErrorCode as SqliteErrorCode};
pub use read::{AuditEntry, ItemTally, Reader, SearchHit, VersionSummary};
pub use record::{ItemRecord, ListRecord, Record};
pub use search_index::IndexProgress;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("数据库文件 {path} 是由更新版本的 Quanze 写入的（结构版本 {found}，本程序支持到 {supported}），请升级 Quanze 后再打开")]
    TooNew {
        path: String,
        found: i32,
        supported: i32,
    },
    #[error("{path} 不是 Quanze 数据库文件")]
    NotQuanze { path: String },
    #[error("数据库文件 {path} 是只读的（没有写入权限，或在只读的位置上）：可以查看，不能修改。如需修改，请把它复制到可写的文件夹后再打开")]
    ReadOnly { path: String },
    #[error("数据库文件 {path} 的结构较旧（版本 {found}），需要升级后才能打开，但文件是只读的：请把它复制到可写的文件夹后再打开")]
    ReadOnlyNeedsUpgrade { path: String, found: i32 },
    #[error("无法打开数据库 {path}：{source}")]
    Open {
        path: String,
        source: rusqlite::Error,
    },
    #[error("数据库错误：{0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("数据库中的记录已损坏（{table} #{id}）：{message}")]
    Corrupt {
        table: &'static str,
        id: i64,
        message: String,
    },
    #[error("找不到{entity} #{id}")]
    NotFound { entity: &'static str, id: Id },
    #[error("{0}")]
    Invalid(String),
    #[error("{path} 不能用于恢复：{reason}")]
    BadBackup { path: String, reason: String },
    #[error("无法{action} {path}：{source}")]
    Io {
        action: &'static str,
        path: String,
        source: std::io::Error,
    },
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// An open Quanze database.
pub struct Store {
    conn: Connection,
    path: PathBuf,
    access: Access,
}

/// Whether an open database can be changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    ReadWrite,
    /// The file (or its folder) cannot be written: on a read-only share, a CD, or without
    /// permission. Reads work; [`Store::write`] refuses with [`StoreError::ReadOnly`].
    ReadOnly,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store").field("path", &self.path).finish()
    }
}

fn now() -> String {
    Local::now().to_rfc3339_opts(SecondsFormat::Secs, false)
}

/// How long a write waits for another connection's write to finish before giving up. A large
/// import holds the lock for seconds; an edit waiting behind it should wait, not fail.
const BUSY_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(60);

impl Store {
    /// Open (creating it if missing) the database at `path` and bring its schema up to date.
    /// A database that exists but cannot be written is opened read-only (see [`Access`]).
    pub fn open(path: &Path) -> Result<Store> {
        let shown = path.display().to_string();
        let exists = path.is_file();
        if !exists {
            if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                std::fs::create_dir_all(dir).map_err(|e| StoreError::Open {
                    path: shown.clone(),
                    source: rusqlite::Error::ToSqlConversionFailure(Box::new(e)),
                })?;
            }
        }
        let opened = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE
                | OpenFlags::SQLITE_OPEN_CREATE
                | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        );
        let conn = match opened {
            Ok(conn) => conn,
            Err(_) if exists => return Store::open_read_only(path),
            Err(source) => return Err(StoreError::Open { path: shown, source }),
        };
        // SQLite quietly opens a write-protected file read-only; say so instead of failing later.
        if exists && conn.is_readonly(rusqlite::MAIN_DB).unwrap_or(false) {
            drop(conn);
            return Store::open_read_only(path);
        }
        let mut store = Store {
            conn,
            path: path.to_path_buf(),
            access: Access::ReadWrite,
        };
        match store.prepare(&shown) {
            // The file is readable but its folder is not writable, so WAL cannot make its
            // side files: read it without them.
            Err(StoreError::Open { source, .. }) if exists && is_not_writable(&source) => {
                drop(store);
                Store::open_read_only(path)
            }
            Err(error) => Err(error),
            Ok(()) => Ok(store),
        }
    }

    /// Open an existing database for reading only: nothing is written, not even WAL side
    /// files when the folder forbids them (then the file is read as immutable, which is exact
    /// as long as no `-wal` file holds changes not yet in the database — checked first).
    pub fn open_read_only(path: &Path) -> Result<Store> {
        let shown = path.display().to_string();
        let open_error = |source| StoreError::Open {
            path: shown.clone(),
            source,
        };
        let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX | OpenFlags::SQLITE_OPEN_URI;
        let mut conn = Connection::open_with_flags(path, flags).map_err(open_error)?;
        if let Err(error) = conn.query_row("PRAGMA application_id", [], |r| r.get::<_, i32>(0)) {
            if !is_not_writable(&error) || side_file(path, "-wal").exists() {
                return Err(classify_first_read(&shown, error));
            }
            conn = Connection::open_with_flags(immutable_uri(path), flags).map_err(open_error)?;
        }
        let (application_id, version, table_count) =
            identify(&conn).map_err(|error| classify_first_read(&shown, error))?;
        if application_id != schema::APPLICATION_ID || table_count == 0 {
            return Err(StoreError::NotQuanze { path: shown });
        }
        if version > schema::SCHEMA_VERSION {
            return Err(StoreError::TooNew {
                path: shown,
                found: version,
                supported: schema::SCHEMA_VERSION,
            });
        }
        if version < schema::SCHEMA_VERSION {
            return Err(StoreError::ReadOnlyNeedsUpgrade { path: shown, found: version });
        }
        conn.busy_timeout(BUSY_TIMEOUT)?;
        Ok(Store {
            conn,
            path: path.to_path_buf(),
            access: Access::ReadOnly,
        })
    }

    /// A private in-memory database (tests, dry runs).
    pub fn open_in_memory() -> Result<Store> {
        let mut store = Store {
            conn: Connection::open_in_memory()?,
            path: PathBuf::from(":memory:"),
            access: Access::ReadWrite,
        };
        store.prepare(":memory:")?;
        Ok(store)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Whether this database can be changed (see [`Access`]).
    pub fn access(&self) -> Access {
        self.access
    }

    /// Refuse a write to a database opened read-only, with a message that says why.
    fn ensure_writable(&self) -> Result<()> {
        match self.access {
            Access::ReadWrite => Ok(()),
            Access::ReadOnly => Err(StoreError::ReadOnly {
                path: self.path.display().to_string(),
            }),
        }
    }

    fn prepare(&mut self, shown: &str) -> Result<()> {
        // A file that is not a database at all fails here, on the first read.
        let (application_id, version, table_count) =
            identify(&self.conn).map_err(|error| classify_first_read(shown, error))?;
        if application_id != schema::APPLICATION_ID && (application_id != 0 || table_count > 0) {
            return Err(StoreError::NotQuanze {
                path: shown.to_string(),
            });
        }
        if version > schema::SCHEMA_VERSION {
            return Err(StoreError::TooNew {
                path: shown.to_string(),
                found: version,
                supported: schema::SCHEMA_VERSION,
            });
        }
        // Another writer (the app and the CLI, two imports) waits its turn instead of failing.
        self.conn.busy_timeout(BUSY_TIMEOUT)?;
        self.conn.pragma_update(None, "foreign_keys", true)?;
        if self.path != Path::new(":memory:") {
            self.conn.pragma_update(None, "journal_mode", "WAL")?;
            self.conn.pragma_update(None, "synchronous", "NORMAL")?;
        }
        if version == schema::SCHEMA_VERSION {
            return Ok(());
        }
        // An older file with content is backed up (迁移前) before its schema changes.
        if version > 0 {
            self.automatic_backup(backup::BackupReason::BeforeMigration)?;
        }
        self.migrate_to_current()
    }

    /// Create the schema of an empty file, or migrate an older one, in one transaction.
    fn migrate_to_current(&mut self) -> Result<()> {
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        // Another process may have migrated while this one waited for the lock.
        let version: i32 = tx.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        if version == schema::SCHEMA_VERSION {
            return Ok(());
        }
        if version == 0 {
            tx.execute_batch(schema::CURRENT_SCHEMA)?;
        } else {
            migrate(&tx, version)?;
        }
        tx.pragma_update(None, "application_id", schema::APPLICATION_ID)?;
        tx.pragma_update(None, "user_version", schema::SCHEMA_VERSION)?;
        tx.commit()?;
        Ok(())
    }

    /// The schema version of the open database.
    pub fn schema_version(&self) -> Result<i32> {
        Ok(self
            .conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))?)
    }

    /// Reads over the committed state.
    pub fn reader(&self) -> Reader<'_> {
        Reader::new(&self.conn)
    }

    /// The only way to change the database: `change` runs inside one transaction, and every
    /// write it makes through the [`Writer`] is recorded in the audit log under `actor` (and
    /// `reason`, when given). If `change` returns an error, nothing at all is written.
    pub fn write<T>(
        &mut self,
        actor: &str,
        reason: Option<&str>,
        change: impl FnOnce(&mut Writer<'_>) -> Result<T>,
    ) -> Result<T> {
        // IMMEDIATE takes the write lock at the start, waiting (busy timeout) while another
        // connection holds it. A deferred transaction that reads first cannot wait when it then
        // writes: SQLite answers "database is locked" at once.
        self.ensure_writable()?;
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let mut writer = Writer {
            tx,
            actor: actor.to_string(),
            reason: reason.map(str::to_string),
            at: now(),
        };
        let value = change(&mut writer)?;
        let pending = search_index::pending_count(&writer.tx)?;
        if pending > 0 && pending <= search_index::IMMEDIATE_LIMIT {
            search_index::index_pending(&writer.tx, pending)?;
        }
        writer.tx.commit()?;
        Ok(value)
    }

    /// Items written but not yet in the search index (after a big import or load).
    pub fn search_index_backlog(&self) -> Result<i64> {
        search_index::pending_count(&self.conn)
    }

    /// Index up to `batch` queued items in one short transaction. Call it repeatedly (from a
    /// background thread with its own connection, or with progress in the CLI) until
    /// `remaining` is 0. Not audited: the index is derived data, not a change of content.
    pub fn index_pending_items(&mut self, batch: i64) -> Result<IndexProgress> {
        self.ensure_writable()?;
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let indexed = search_index::index_pending(&tx, batch.max(1))?;
        let remaining = search_index::pending_count(&tx)?;
        tx.commit()?;
        Ok(IndexProgress { indexed, remaining })
    }
}

/// What a database file says it is: its application id, schema version and table count.
fn identify(conn: &Connection) -> rusqlite::Result<(i32, i32, i64)> {
    let application_id = conn.query_row("PRAGMA application_id", [], |r| r.get(0))?;
    let version = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    let table_count = conn.query_row("SELECT count(*) FROM sqlite_master WHERE type = 'table'", [], |r| r.get(0))?;
    Ok((application_id, version, table_count))
}

/// The first read of a file tells what it is: SQLite says "not a database" for any other
/// file; anything else (no permission, a folder that forbids WAL's side files) is an opening
/// failure, reported as such — not as a foreign file.
fn classify_first_read(shown: &str, error: rusqlite::Error) -> StoreError {
    match error.sqlite_error_code() {
        Some(rusqlite::ErrorCode::NotADatabase) => StoreError::NotQuanze {
            path: shown.to_string(),
        },
        _ => StoreError::Open {
            path: shown.to_string(),
            source: error,
        },
    }
}

/// Whether SQLite failed because it may not write (the file, or WAL's side files beside it).
fn is_not_writable(error: &rusqlite::Error) -> bool {
    matches!(
        error.sqlite_error_code(),
        Some(rusqlite::ErrorCode::CannotOpen | rusqlite::ErrorCode::ReadOnly | rusqlite::ErrorCode::PermissionDenied)
    )
}

/// A file SQLite keeps beside a database: `suffix` is `-wal`, `-shm` or `-journal`.
pub(crate) fn side_file(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_os_string();
    name.push(suffix);
    PathBuf::from(name)
}

/// Remove a database file and the side files SQLite keeps beside it (a database a command
/// created, then failed to fill). Missing files are no error; nothing else is touched.
pub fn remove_database_files(path: &Path) {
    for suffix in ["-wal", "-shm", "-journal"] {
        let _ = std::fs::remove_file(side_file(path, suffix));
    }
    let _ = std::fs::remove_file(path);
}

/// `file:` URI of `path` opened as immutable (SQLite then neither locks nor looks for WAL side
/// files). `%`, `?` and `#` are escaped as the URI syntax requires; a Windows drive path gets
/// the leading slash SQLite expects.
fn immutable_uri(path: &Path) -> String {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let text = absolute.to_string_lossy().replace('\\', "/");
    let mut uri = String::from("file:");
    if !text.starts_with('/') {
        uri.push('/');
    }
    for c in text.chars() {
        match c {
            '%' => uri.push_str("%25"),
            '?' => uri.push_str("%3f"),
            '#' => uri.push_str("%23"),
            _ => uri.push(c),
        }
    }
    uri.push_str("?immutable=1");
    uri
}

/// Bring a database at `from` (>0) up to [`schema::SCHEMA_VERSION`], one step at a time.
fn migrate(tx: &Transaction<'_>, from: i32) -> Result<()> {
    for step in from..schema::SCHEMA_VERSION {
        let index = usize::try_from(step).map_err(|_| StoreError::Invalid(format!("无效的结构版本 {step}")))?;
        let migration = schema::MIGRATIONS
            .get(index)
            .ok_or_else(|| StoreError::Invalid(format!("缺少从结构版本 {step} 升级的步骤")))?;
        tx.execute_batch(migration.sql)?;
    }
    Ok(())
}

/// What kind of change an audit entry records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum AuditAction {
    Create,
    Update,
    Delete,
}

impl AuditAction {
    pub fn label(self) -> &'static str {
        match self {
            AuditAction::Create => "新增",
            AuditAction::Update => "修改",
            AuditAction::Delete => "删除",
        }
    }
}

/// Writes inside one transaction; each one is audited. Obtained only from [`Store::write`].
pub struct Writer<'a> {
    tx: Transaction<'a>,
    actor: String,
    reason: Option<String>,
    at: String,
}

impl Writer<'_> {
    /// Reads that see this transaction's own writes.
    pub fn reader(&self) -> Reader<'_> {
        Reader::new(&self.tx)
    }

    /// Insert (`id == 0`: a new id is assigned and set on `record`; or an id that is not yet
    /// used) or update (an existing id). Returns the id.
    pub fn put<R: Record>(&mut self, record: &mut R) -> Result<Id> {
        let existing: Option<(String, Option<String>)> = if record.id() == 0 {
            None
        } else {
            self.tx
                .prepare_cached(&format!("SELECT doc, uid FROM {} WHERE id = ?1", R::TABLE))?
                .query_row([record.id()], |r| Ok((r.get(0)?, r.get(1)?)))
                .optional()?
        };
        let (before, row_uid) = existing.map_or((None, None), |(doc, uid)| (Some(doc), uid));
        // An identity never changes: an update keeps the row's uid whatever the caller sent
        // (a form may send the entity back without it); a new row without one gets one.
        match row_uid.map(|uid| Uid::parse(&uid)) {
            Some(Ok(uid)) => record.set_uid(uid),
            Some(Err(error)) => {
                return Err(StoreError::Corrupt {
                    table: R::TABLE,
                    id: i64::from(record.id()),
                    message: error.to_string(),
                })
            }
            None if record.uid().is_none() => record.set_uid(Uid::generate()),
            None => {}
        }
        if record.id() == 0 {
            let next: i64 = self
                .tx
                .prepare_cached(&format!("SELECT coalesce(max(id), 0) + 1 FROM {}", R::TABLE))?
                .query_row([], |r| r.get(0))?;
            let next = Id::try_from(next)
                .map_err(|_| StoreError::Invalid(format!("{}编号已用尽", R::ENTITY)))?;
            record.set_id(next);
        }
        let doc = serde_json::to_string(record).map_err(|e| StoreError::Corrupt {
            table: R::TABLE,
            id: i64::from(record.id()),
            message: e.to_string(),
        })?;
        let mut columns = record.columns();
        let uid = record.uid().map(|u| u.as_str().to_string());
        columns.push(("uid", uid.map_or(rusqlite::types::Value::Null, rusqlite::types::Value::Text)));
        let names: Vec<&str> = columns.iter().map(|(n, _)| *n).collect();
        let mut values: Vec<rusqlite::types::Value> =
            columns.into_iter().map(|(_, v)| v).collect();
        values.push(rusqlite::types::Value::Text(doc.clone()));
        values.push(rusqlite::types::Value::Integer(i64::from(record.id())));
        let action = if before.is_some() {
            let assignments: Vec<String> = names
                .iter()
                .enumerate()
                .map(|(i, n)| format!("{n} = ?{}", i + 1))
                .collect();
            self.tx
                .prepare_cached(&format!(
                    "UPDATE {} SET {}, doc = ?{} WHERE id = ?{}",
                    R::TABLE,
                    assignments.join(", "),
                    names.len() + 1,
                    names.len() + 2
                ))?
                .execute(rusqlite::params_from_iter(values.iter()))?;
            AuditAction::Update
        } else {
            let placeholders: Vec<String> = (1..=names.len() + 2).map(|i| format!("?{i}")).collect();
            self.tx
                .prepare_cached(&format!(
                    "INSERT INTO {} ({}, doc, id) VALUES ({})",
                    R::TABLE,
                    names.join(", "),
                    placeholders.join(", ")
                ))?
                .execute(rusqlite::params_from_iter(values.iter()))?;
            AuditAction::Create
        };
        record.sync_side_tables(&self.tx)?;
        if before.as_deref() != Some(doc.as_str()) {
            self.audit(action, R::ENTITY, record.id(), &record.label(), before, Some(doc))?;
        }
        Ok(record.id())
    }

    /// Move the items of `list` at positions `from..to` by `delta` places, in one statement:
    /// the items behind a row inserted into or deleted from a long list. Their content does not
    /// change, so instead of one audit entry per item (50,000 for a row inserted at the top of
    /// a 50,000-item list) the list gets one entry naming the positions that moved. The
    /// position is rewritten in the column and in the `doc` alike (the doc stays the truth).
    /// Returns how many items moved.
    pub fn shift_item_positions(&mut self, list: Id, from: u32, to: u32, delta: i64) -> Result<usize> {
        if from >= to || delta == 0 {
            return Ok(0);
        }
        if i64::from(from) + delta < 0 {
            return Err(StoreError::Invalid(format!("事项位置不能移到第 1 项之前（第 {} 项前移 {}）", from + 1, -delta)));
        }
        let moved = self
            .tx
            .prepare_cached(
                "UPDATE items SET position = position + ?1, doc = json_set(doc, '$.position', position + ?1) \
                 WHERE list_id = ?2 AND position >= ?3 AND position < ?4",
            )?
            .execute(rusqlite::params![delta, list, from, to])?;
        let name: String = self
            .tx
            .prepare_cached("SELECT name FROM lists WHERE id = ?1")?
            .query_row([list], |r| r.get(0))
            .optional()?
            .ok_or(StoreError::NotFound { entity: "清单", id: list })?;
        let range = |shift: i64| {
            let first = i64::from(from) + shift + 1;
            let last = i64::from(to) + shift;
            serde_json::json!({ "事项顺序": format!("第 {first}–{last} 项（{moved} 项）") }).to_string()
        };
        self.audit(AuditAction::Update, "清单", list, &name, Some(range(0)), Some(range(delta)))?;
        Ok(moved)
    }

    /// Delete a row by id; the audit log keeps what it was.
    pub fn delete<R: Record>(&mut self, id: Id) -> Result<R> {
        let before: String = self
            .tx
            .query_row(
                &format!("SELECT doc FROM {} WHERE id = ?1", R::TABLE),
                [id],
                |r| r.get(0),
            )
            .optional()?
            .ok_or(StoreError::NotFound {
                entity: R::ENTITY,
                id,
            })?;
        let record: R = serde_json::from_str(&before).map_err(|e| StoreError::Corrupt {
            table: R::TABLE,
            id: i64::from(id),
            message: e.to_string(),
        })?;
        self.tx
            .execute(&format!("DELETE FROM {} WHERE id = ?1", R::TABLE), [id])?;
        self.audit(
            AuditAction::Delete,
            R::ENTITY,
            id,
            &record.label(),
            Some(before),
            None,
        )?;
        Ok(record)
    }

    fn audit(
        &self,
        action: AuditAction,
        entity: &str,
        id: Id,
        label: &str,
        before: Option<String>,
        after: Option<String>,
    ) -> Result<()> {
        self.tx
            .prepare_cached(
                "INSERT INTO audit_log(at, actor, action, entity, entity_id, label, before, after, reason)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            )?
            .execute(rusqlite::params![
                self.at,
                self.actor,
                action.label(),
                entity,
                id,
                label,
                before,
                after,
                self.reason
            ])?;
        Ok(())
    }
}

#[cfg(test)]
mod tests;
