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
//! - Every string of every document is stored once, in `texts`, and documents refer to it
//!   (module `texts`): real lists repeat the same paragraphs under hundreds of items.
//!   An update's audit entry holds the fields that changed; a run of items written at once (an
//!   import, a load) is one entry ([`Writer::insert_items`]).
//! - Reads ([`Reader`]) return domain types. Search scans the distinct texts and follows
//!   `item_texts` to the items that use them: any length of query, no index to build, so an
//!   import is searchable the moment it commits.
//! - A whole [`quanze_domain::Bundle`] can be loaded (one transaction) and dumped.
//! - [`backup`]: verified backups with SQLite's online backup API (written to a temporary file,
//!   checked, synced, renamed), the rotating automatic ones beside the database, and restore
//!   into the open connection. [`Store::open`] backs up an older non-empty file before migrating.

pub mod backup;
mod backend;
mod backend_copy;
mod bundle_io;
mod change_feed;
pub mod exchange;
mod item_columns;
mod item_order;
pub mod pg;
mod read;
pub mod record;
pub mod schema;
mod texts;

use std::path::{Path, PathBuf};

use chrono::{Local, SecondsFormat};
use quanze_domain::{Id, Uid};
use rusqlite::{Connection, OpenFlags, Transaction, TransactionBehavior};
use serde::Serialize;

pub use backend::PgConnection;
pub use backup::{backup_folder, inspect_backup, list_backups, BackupFile, BackupReason, KEEP_AUTOMATIC_BACKUPS};
pub use backend_copy::{CopyReport, TableCopied};
pub use bundle_io::LoadCounts;
pub use change_feed::{ChangeFeed, DatabaseChange, CHANNEL as CHANGES_CHANNEL};
/// Re-exported so that callers can classify [`StoreError::Sqlite`] without depending on
/// rusqlite themselves.
pub use rusqlite::{Error as SqliteError, ErrorCode as SqliteErrorCode};
pub use item_columns::ColumnsInUse;
pub use read::{AuditEntry, ItemTally, Reader, SearchHit, VersionSummary, SNIPPET_CHARS};
pub use record::{ItemRecord, ListRecord, Record};

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
    /// An error of the PostgreSQL server or of the connection to it (see [`pg`]).
    #[error("数据库服务器 {target} 出错：{}", server_detail(source))]
    Server {
        target: String,
        source: postgres::Error,
    },
    /// The server's permissions or row-level security refused the account this connection
    /// logged in as (`migrations/pg/0008.sql`); `message` says what, in words a clerk reads.
    #[error("数据库账号「{account}」{message}")]
    Denied { account: String, message: String },
    #[error("数据库中的记录已损坏（{table} #{id}）：{message}")]
    Corrupt {
        table: &'static str,
        id: i64,
        message: String,
    },
    #[error("找不到{entity} #{id}")]
    NotFound { entity: &'static str, id: Id },
    /// Another user changed the same field since this user read it (issue 19: several people
    /// editing one database): nothing was written, and both values are here — the one now
    /// stored (`theirs`) and the one refused (`yours`).
    #[error("{}", conflict_message(entity, label, field, theirs, yours))]
    EditConflict {
        entity: &'static str,
        /// The entity as users name it (an item's name).
        label: String,
        /// The field as users name it (事项名称, 实施依据).
        field: String,
        theirs: String,
        yours: String,
    },
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

/// The sentence of [`StoreError::EditConflict`]. When the other user made the very change this
/// one asked for (two people admitting one request at once), it says so instead of showing the
/// same value twice as theirs and yours.
fn conflict_message(entity: &str, label: &str, field: &str, theirs: &str, yours: &str) -> String {
    if theirs == yours {
        format!("另一位用户已把{entity}“{label}”的「{field}」改为「{}」，与您要做的修改相同，无需再次保存", shown_value(theirs))
    } else {
        format!("另一位用户已把{entity}“{label}”的「{field}」改为「{}」，您的修改「{}」未保存", shown_value(theirs), shown_value(yours))
    }
}

/// A value as a conflict's message shows it: an empty one as （空）.
fn shown_value(value: &str) -> &str {
    if value.trim().is_empty() {
        "（空）"
    } else {
        value
    }
}

/// An open Quanze database.
pub struct Store {
    db: Database,
    /// The file, or for a PostgreSQL database its URL without the password.
    path: PathBuf,
    access: Access,
}

/// Where a [`Store`] keeps its data: a SQLite file (the embedded default) or a PostgreSQL
/// database (issue 19; `docs/server.md`). The store's SQL runs on either through
/// `backend::Conn`; what is not ported yet says so on PostgreSQL ([`not_on_server`]).
enum Database {
    Sqlite(Connection),
    Postgres(backend::PgConnection),
}

/// The refusal of a part of the store that runs on SQLite only so far.
fn not_on_server(what: &str) -> StoreError {
    StoreError::Invalid(format!("{what}尚不支持 PostgreSQL 数据库（开发中，见 docs/server.md）"))
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

/// Rows a multi-row `INSERT` writes on a server ([`Writer::insert_items`]): few round trips,
/// and well under PostgreSQL's 65,535 parameters a statement (items have 16 columns).
const ROWS_PER_STATEMENT: usize = 500;

/// How long a write waits for another connection's write to finish before giving up. A large
/// import holds the lock for seconds; an edit waiting behind it should wait, not fail.
const BUSY_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(60);

impl Store {
    /// Open (creating it if missing) the database at `path` and bring its schema up to date.
    /// A database that exists but cannot be written is opened read-only (see [`Access`]).
    /// A `postgresql://…` URL in place of the path opens that PostgreSQL database instead
    /// (see [`Store::open_server`]).
    pub fn open(path: &Path) -> Result<Store> {
        if let Some(url) = path.to_str().filter(|text| pg::is_server_url(text)) {
            return Store::open_server(url);
        }
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
            db: Database::Sqlite(conn),
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
        if path.to_str().is_some_and(pg::is_server_url) {
            return Err(not_on_server("只读打开"));
        }
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
            db: Database::Sqlite(conn),
            path: path.to_path_buf(),
            access: Access::ReadOnly,
        })
    }

    /// A private in-memory database (tests, dry runs).
    pub fn open_in_memory() -> Result<Store> {
        let mut store = Store {
            db: Database::Sqlite(Connection::open_in_memory()?),
            path: PathBuf::from(":memory:"),
            access: Access::ReadWrite,
        };
        store.prepare(":memory:")?;
        Ok(store)
    }

    /// Open the PostgreSQL database at `url` (`postgresql://user@host/database`), creating
    /// its schema when it is empty (see [`backend::PgConnection::open`]).
    pub fn open_server(url: &str) -> Result<Store> {
        let connection = backend::PgConnection::open(url)?;
        Ok(Store {
            path: PathBuf::from(connection.shown()),
            db: Database::Postgres(connection),
            access: Access::ReadWrite,
        })
    }

    /// The server account (PostgreSQL role) this store is connected as; `None` for a file.
    pub fn account(&self) -> Option<&str> {
        match &self.db {
            Database::Sqlite(_) => None,
            Database::Postgres(pg) => Some(pg.account()),
        }
    }

    /// On a server, the server process of this store's connection (`pg_backend_pid()`), which
    /// every change notice it causes carries ([`DatabaseChange::connection`]): how an app tells
    /// its own changes from those of the same account on another computer. `None` for a file.
    pub fn server_connection(&self) -> Result<Option<i32>> {
        if !self.is_server() {
            return Ok(None);
        }
        let row = self.db().query_opt("SELECT pg_backend_pid()", &[])?;
        let pid = row.map(|row| row.integer(0)).transpose()?;
        Ok(pid.and_then(|pid| i32::try_from(pid).ok()))
    }

    /// On a server, a second connection that hears the changes other people commit (see
    /// [`ChangeFeed`]); `None` for a file, which has one user at a time.
    pub fn change_feed(&self) -> Result<Option<ChangeFeed>> {
        match &self.db {
            Database::Sqlite(_) => Ok(None),
            Database::Postgres(pg) => pg.change_feed().map(Some),
        }
    }

    /// Whether this store is a PostgreSQL database (not a SQLite file).
    pub fn is_server(&self) -> bool {
        matches!(self.db, Database::Postgres(_))
    }

    /// The SQLite connection, for the parts of the store that run on SQLite only so far.
    fn sqlite(&self) -> Result<&Connection> {
        match &self.db {
            Database::Sqlite(conn) => Ok(conn),
            Database::Postgres(_) => Err(not_on_server("这项操作")),
        }
    }

    fn sqlite_mut(&mut self) -> Result<&mut Connection> {
        match &mut self.db {
            Database::Sqlite(conn) => Ok(conn),
            Database::Postgres(_) => Err(not_on_server("这项操作")),
        }
    }

    fn db(&self) -> backend::Conn<'_> {
        match &self.db {
            Database::Sqlite(conn) => backend::Conn::Sqlite(conn),
            Database::Postgres(pg) => backend::Conn::Postgres(pg),
        }
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
            identify(self.sqlite()?).map_err(|error| classify_first_read(shown, error))?;
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
        let in_memory = self.path == Path::new(":memory:");
        let conn = self.sqlite()?;
        conn.busy_timeout(BUSY_TIMEOUT)?;
        conn.pragma_update(None, "foreign_keys", true)?;
        if !in_memory {
            conn.pragma_update(None, "journal_mode", "WAL")?;
            conn.pragma_update(None, "synchronous", "NORMAL")?;
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
        let tx = self.sqlite_mut()?.transaction_with_behavior(TransactionBehavior::Immediate)?;
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
        match &self.db {
            Database::Sqlite(conn) => Ok(conn.query_row("PRAGMA user_version", [], |r| r.get(0))?),
            Database::Postgres(_) => {
                let version = self
                    .db()
                    .query_opt("SELECT version FROM schema_version", &[])?
                    .map_or(Ok(0), |row| row.integer(0))?;
                i32::try_from(version).map_err(|_| StoreError::Invalid(format!("无效的结构版本 {version}")))
            }
        }
    }

    /// Reads over the committed state.
    pub fn reader(&self) -> Reader<'_> {
        Reader::new(self.db())
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
        // On PostgreSQL a write is one transaction at the server's default isolation (READ
        // COMMITTED) and several run at once: new ids come from the sequences
        // ([`Writer::next_id`]), and a read-modify-write of a row locks it first
        // ([`Writer::lock`]) so that no other writer's change of the row is lost.
        self.ensure_writable()?;
        let tx = match &mut self.db {
            Database::Sqlite(conn) => WriteTransaction::Sqlite(conn.transaction_with_behavior(TransactionBehavior::Immediate)?),
            Database::Postgres(pg) => {
                pg.begin()?;
                WriteTransaction::Postgres(pg)
            }
        };
        let mut writer = Writer {
            tx,
            actor: actor.to_string(),
            reason: reason.map(str::to_string),
            at: now(),
            texts: texts::TextIds::default(),
        };
        match change(&mut writer) {
            Ok(value) => {
                writer.tx.commit()?;
                Ok(value)
            }
            Err(error) => {
                writer.tx.rollback();
                Err(error)
            }
        }
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
        if let Some(then) = migration.then {
            then(tx)?;
        }
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

/// The transaction a [`Writer`] writes in.
enum WriteTransaction<'a> {
    Sqlite(Transaction<'a>),
    /// BEGIN has been sent on this connection.
    Postgres(&'a backend::PgConnection),
}

impl WriteTransaction<'_> {
    fn conn(&self) -> backend::Conn<'_> {
        match self {
            WriteTransaction::Sqlite(tx) => backend::Conn::Sqlite(tx),
            WriteTransaction::Postgres(pg) => backend::Conn::Postgres(pg),
        }
    }

    fn commit(self) -> Result<()> {
        match self {
            WriteTransaction::Sqlite(tx) => Ok(tx.commit()?),
            WriteTransaction::Postgres(pg) => pg.commit(),
        }
    }

    /// SQLite's transaction rolls back when dropped; PostgreSQL's is told to.
    fn rollback(self) {
        if let WriteTransaction::Postgres(pg) = self {
            pg.rollback();
        }
    }
}

/// Writes inside one transaction; each one is audited. Obtained only from [`Store::write`].
pub struct Writer<'a> {
    tx: WriteTransaction<'a>,
    actor: String,
    reason: Option<String>,
    at: String,
    texts: texts::TextIds,
}

/// Where a run of items written at once came from (see [`Writer::insert_items`]): what the
/// audit log says instead of one entry per item.
#[derive(Debug, Clone, PartialEq)]
pub struct ItemRun {
    /// What wrote them, as users read it: `导入 住建局.xlsx`, `载入 示例区.qzb.yaml`.
    pub source: String,
    /// Further facts for the audit entry (the file's SHA-256, its rows …), as field → value.
    pub details: Vec<(String, String)>,
}

/// Fields an update's audit entry keeps even when they did not change: which entity (`id`)
/// and, for an item, which list (the app's history of a list goes by it).
const AUDIT_IDENTIFYING_FIELDS: [&str; 2] = ["id", "list"];

/// The top-level fields in which `before` and `after` differ, as two partial documents (a field
/// absent on one side was empty there), plus the identifying fields.
fn changed_fields(before: &serde_json::Value, after: &serde_json::Value) -> (serde_json::Value, serde_json::Value) {
    let (Some(old), Some(new)) = (before.as_object(), after.as_object()) else {
        return (before.clone(), after.clone());
    };
    let mut old_changed = serde_json::Map::new();
    let mut new_changed = serde_json::Map::new();
    let keys: std::collections::BTreeSet<&String> = old.keys().chain(new.keys()).collect();
    for key in keys {
        let (was, is) = (old.get(key), new.get(key));
        if was != is || AUDIT_IDENTIFYING_FIELDS.contains(&key.as_str()) {
            if let Some(was) = was {
                old_changed.insert(key.clone(), was.clone());
            }
            if let Some(is) = is {
                new_changed.insert(key.clone(), is.clone());
            }
        }
    }
    (serde_json::Value::Object(old_changed), serde_json::Value::Object(new_changed))
}

/// Three-way merge of an entity's JSON: `now` (stored), `base` (what a writer read), `mine`
/// (what it wants to write). Objects merge key by key; anything else is taken whole. Gives the
/// merged value, or the path of the first field that both changed to different values.
pub fn merge_documents(
    path: &mut Vec<String>,
    now: Option<&serde_json::Value>,
    base: Option<&serde_json::Value>,
    mine: Option<&serde_json::Value>,
) -> std::result::Result<Option<serde_json::Value>, Vec<String>> {
    use serde_json::Value;
    if mine == base {
        return Ok(now.cloned());
    }
    if now == base || now == mine {
        return Ok(mine.cloned());
    }
    let (Some(Value::Object(now)), Some(Value::Object(base)), Some(Value::Object(mine))) = (now, base, mine) else {
        return Err(path.clone());
    };
    let keys: std::collections::BTreeSet<&String> = now.keys().chain(base.keys()).chain(mine.keys()).collect();
    let mut merged = serde_json::Map::new();
    for key in keys {
        path.push(key.clone());
        let value = merge_documents(path, now.get(key), base.get(key), mine.get(key))?;
        path.pop();
        if let Some(value) = value {
            merged.insert(key.clone(), value);
        }
    }
    Ok(Some(Value::Object(merged)))
}

/// A field of an entity's document as users name it, for a conflict's message.
fn field_label(key: &str) -> String {
    let label = match key {
        "name" => "名称",
        "designation" => "称谓",
        "note" => "备注",
        "post" => "职务",
        "seats" => "两委职务",
        "staffing" => "编制",
        "leaders_in_charge" => "分管领导",
        "posts" => "岗位",
        "kind" => "类型",
        "unit" => "所属机构",
        "parent" => "上级",
        other => return other.to_string(),
    };
    label.to_string()
}

/// From how many new ids on a server takes them as one block (see [`Writer::new_ids`]): an
/// import's or a long paste's, not a clerk's single new row, which should never wait for another
/// writer's transaction.
const IDS_TAKEN_AS_A_BLOCK: i64 = 1_000;

/// See [`Writer::claim_ids`]; `table` is an entity table with an identity column.
pub(crate) fn claim_ids(conn: backend::Conn<'_>, table: &str, top: Id) -> Result<()> {
    if !conn.is_postgres() {
        return Ok(());
    }
    let handed_out = |conn: backend::Conn<'_>| -> Result<i64> {
        conn.query_opt(
            "SELECT coalesce(pg_sequence_last_value(pg_get_serial_sequence(?1, 'id')::regclass), 0)",
            &[backend::Value::Text(table.to_string())],
        )?
        .map_or(Ok(0), |row| row.integer(0))
    };
    if i64::from(top) <= handed_out(conn)? {
        return Ok(());
    }
    lock_sequence(conn, table)?;
    if i64::from(top) > handed_out(conn)? {
        conn.query("SELECT setval(pg_get_serial_sequence(?1, 'id'), ?2)", &[backend::Value::Text(table.to_string()), id_value(top)])?;
    }
    Ok(())
}

/// Lock `table`'s id sequence until the transaction ends (PostgreSQL only): `ALTER SEQUENCE`
/// takes a lock that every other transaction's `nextval` waits for, so that what the sequence
/// has handed out can be read and moved without another writer taking an id in between.
pub(crate) fn lock_sequence(conn: backend::Conn<'_>, table: &str) -> Result<()> {
    let name = conn
        .query_opt("SELECT pg_get_serial_sequence(?1, 'id')", &[backend::Value::Text(table.to_string())])?
        .ok_or_else(|| StoreError::Invalid(format!("{table} 没有编号序列")))?
        .text(0)?;
    // The name comes quoted where it must be (pg_get_serial_sequence's result).
    conn.execute(&format!("ALTER SEQUENCE {name} NO CYCLE"), &[])?;
    Ok(())
}

/// What a server error says: for an error the server reported, its own message and
/// SQLSTATE (postgres::Error's Display says only "db error"), with its detail when it gives
/// one; otherwise the client's description (a refused connection, a closed socket).
fn server_detail(source: &postgres::Error) -> String {
    if pg::connection_lost(source) {
        // What the clerk can do about it: the store opens a new connection by itself.
        return format!("与服务器的连接已断开，这次操作没有完成；再做一次时会自动重新连接（{source}）");
    }
    match source.as_db_error() {
        Some(error) => match error.detail() {
            Some(detail) => format!("{}（{}；{detail}）", error.message(), error.code().code()),
            None => format!("{}（{}）", error.message(), error.code().code()),
        },
        None => source.to_string(),
    }
}

/// An entity id as a statement parameter.
fn id_value(id: Id) -> backend::Value {
    backend::Value::Integer(i64::from(id))
}

fn corrupt(table: &'static str, id: i64, error: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt {
        table,
        id,
        message: error.to_string(),
    }
}

impl Writer<'_> {
    /// Reads that see this transaction's own writes.
    pub fn reader(&self) -> Reader<'_> {
        Reader::new(self.tx.conn())
    }


    /// Insert (`id == 0`: a new id is assigned and set on `record`; or an id that is not yet
    /// used) or update (an existing id). Returns the id. An update's audit entry holds the
    /// fields that changed, before and after; an insert's the whole new document.
    pub fn put<R: Record>(&mut self, record: &mut R) -> Result<Id> {
        let existing: Option<(String, Option<String>)> = if record.id() == 0 {
            None
        } else {
            // On PostgreSQL the row is locked, so that `before` (the audit entry's) is what this
            // write replaces; a caller that read the row to change it locked it already
            // ([`Writer::lock`]).
            let lock = if self.conn().is_postgres() { " FOR UPDATE OF r" } else { "" };
            self.conn()
                .query_opt(
                    &format!("SELECT d.doc, r.uid FROM {} r JOIN {} d ON d.id = r.id WHERE r.id = ?1{lock}", R::TABLE, R::DOC_TABLE),
                    &[id_value(record.id())],
                )?
                .map(|row| Ok::<_, StoreError>((row.text(0)?, row.optional_text(1)?)))
                .transpose()?
        };
        let (before, row_uid) = existing.map_or((None, None), |(doc, uid)| (Some(doc), uid));
        // An identity never changes: an update keeps the row's uid whatever the caller sent
        // (a form may send the entity back without it); a new row without one gets one.
        match row_uid.map(|uid| Uid::parse(&uid)) {
            Some(Ok(uid)) => record.set_uid(uid),
            Some(Err(error)) => return Err(corrupt(R::TABLE, i64::from(record.id()), error)),
            None if record.uid().is_none() => record.set_uid(Uid::generate()),
            None => {}
        }
        if record.id() == 0 {
            record.set_id(self.next_id::<R>()?);
        } else if before.is_none() {
            // A new row with an id of its own (a bundle's, an undone deletion's).
            self.claim_ids::<R>(record.id())?;
        }
        let (document, used) = self.stored_document(record)?;
        let doc = document.to_string();
        let before: Option<serde_json::Value> = before
            .map(|text| serde_json::from_str(&text).map_err(|e| corrupt(R::TABLE, i64::from(record.id()), e)))
            .transpose()?;
        // Compared as values: a document written in a run has its keys in another order.
        if before.as_ref() == Some(&document) {
            return Ok(record.id());
        }
        match before {
            Some(before) => {
                self.update_row(record, &doc, &used)?;
                record.sync_side_tables(self.conn())?;
                let (was, is) = changed_fields(&before, &document);
                self.audit(AuditAction::Update, R::ENTITY, (record.id(), None), &record.label(), Some(was), Some(is))?;
            }
            None => {
                self.insert_row(record, &doc, &used)?;
                record.sync_side_tables(self.conn())?;
                self.audit(AuditAction::Create, R::ENTITY, (record.id(), None), &record.label(), None, Some(document))?;
            }
        }
        Ok(record.id())
    }

    /// [`Writer::put`] of `record`, an entity read as `base` before this transaction and
    /// changed since, over what other writers changed in its row meanwhile (issue 19: several
    /// people on one server). The row is locked and read again; field by field (nested objects
    /// key by key), a field only this change touched takes its value, a field only others
    /// touched keeps theirs, and a field both changed to different values refuses the write
    /// with [`StoreError::EditConflict`] (both values; nothing written). `record` is left as
    /// written. A new record (id 0) is simply put.
    pub fn put_over<R: Record>(&mut self, record: &mut R, base: &R) -> Result<Id> {
        let id = record.id();
        if id == 0 {
            return self.put(record);
        }
        self.lock::<R>(id)?;
        let now: R = self.reader().one(id)?;
        let json = |value: &R| serde_json::to_value(value).map_err(|e| corrupt(R::TABLE, i64::from(id), e));
        let (now_value, base_value, mine_value) = (json(&now)?, json(base)?, json(record)?);
        let mut path = Vec::new();
        match merge_documents(&mut path, Some(&now_value), Some(&base_value), Some(&mine_value)) {
            Ok(merged) => {
                *record = serde_json::from_value(merged.unwrap_or(serde_json::Value::Null))
                    .map_err(|e| corrupt(R::TABLE, i64::from(id), e))?;
                self.put(record)
            }
            Err(path) => {
                let at = |value: &serde_json::Value| match path.iter().try_fold(value, |v, key| v.get(key)) {
                    Some(serde_json::Value::String(text)) => text.clone(),
                    Some(serde_json::Value::Null) | None => String::new(),
                    Some(other) => other.to_string(),
                };
                Err(StoreError::EditConflict {
                    entity: R::ENTITY,
                    label: now.label(),
                    field: field_label(path.last().map_or("", String::as_str)),
                    theirs: at(&now_value),
                    yours: at(&mine_value),
                })
            }
        }
    }

    /// Write many new items of one list at once, in order from `first_position`: prepared
    /// statements, no reads of the rows, and **one** audit entry naming `run` (the import and
    /// its file) and the run of item ids, instead of one entry per item. Each created item stays
    /// reconstructible from the log: the item as it is now, with the later entries' changes
    /// taken back (see [`Reader::item_as_created`]). An item keeps its id and uid when it has
    /// them (a load: then one entry per stretch of consecutive ids, so that an entry never
    /// covers another list's item) and gets new ones otherwise (an import). Returns the ids.
    pub fn insert_items(&mut self, list: Id, first_position: u32, items: &[quanze_domain::Item], run: &ItemRun) -> Result<Vec<Id>> {
        let list_name = self.list_name(list)?;
        let mut ids = Vec::with_capacity(items.len());
        // SQLite: the ids after the largest, past every id the run brings along. PostgreSQL:
        // the sequence's, all taken at once; the run's own ids are claimed from it.
        let on_server = self.conn().is_postgres();
        let (mut next, mut fresh) = if on_server {
            let wanted = items.iter().filter(|item| item.id == 0).count();
            (0, self.new_ids::<ItemRecord>(wanted)?.into_iter())
        } else {
            (self.next_id::<ItemRecord>()?, Vec::new().into_iter())
        };
        if on_server {
            if let Some(top) = items.iter().map(|item| item.id).max().filter(|top| *top > 0) {
                self.claim_ids::<ItemRecord>(top)?;
            }
        }
        let mut position = first_position;
        let mut records = Vec::with_capacity(items.len());
        for item in items {
            let mut record = ItemRecord {
                list,
                position,
                item: item.clone(),
            };
            if record.id() == 0 {
                let id = if on_server { fresh.next() } else { Some(next) };
                record.set_id(id.ok_or_else(|| StoreError::Invalid("事项编号不足".to_string()))?);
            }
            next = next.max(record.id()).checked_add(1).ok_or_else(|| StoreError::Invalid("事项编号已用尽".to_string()))?;
            if record.uid().is_none() {
                record.set_uid(Uid::generate());
            }
            ids.push(record.id());
            records.push(record);
            position = position.saturating_add(1);
        }
        if on_server {
            // On a server every statement is a round trip: a chunk's texts are looked up and
            // stored a few hundred at a time, and its rows written in one statement. Each
            // document is serialised once; a chunk's documents are all that is held at once.
            for chunk in records.chunks(ROWS_PER_STATEMENT) {
                let mut documents = Vec::with_capacity(chunk.len());
                let mut bodies = Vec::new();
                for record in chunk {
                    let document = serde_json::to_value(record).map_err(|e| corrupt("items", i64::from(record.id()), e))?;
                    texts::collect_strings(&document, &mut bodies);
                    documents.push(document);
                }
                self.texts.prefetch(self.tx.conn(), &bodies)?;
                let mut rows = Vec::with_capacity(chunk.len());
                for mut document in documents {
                    let mut used = Vec::new();
                    self.texts.store_strings(self.tx.conn(), &mut document, &mut used)?;
                    rows.push((document.to_string(), used));
                }
                self.insert_rows(chunk, rows)?;
            }
        } else {
            for record in &records {
                let (document, used) = self.stored_document(record)?;
                self.insert_row(record, &document.to_string(), &used)?;
            }
        }
        for stretch in ids.chunk_by(|a, b| a.checked_add(1) == Some(*b)) {
            let (Some(first), Some(last)) = (stretch.first().copied(), stretch.last().copied()) else {
                continue;
            };
            let count = stretch.len();
            let mut after = serde_json::Map::new();
            after.insert("list".to_string(), serde_json::Value::from(list));
            after.insert("来源".to_string(), serde_json::Value::from(run.source.clone()));
            after.insert("事项".to_string(), serde_json::Value::from(format!("#{first}–#{last}（{count} 项）")));
            for (field, value) in &run.details {
                after.insert(field.clone(), serde_json::Value::from(value.clone()));
            }
            let label = format!("{list_name}：{}（{count} 项）", run.source);
            let after = self.stored_value(serde_json::Value::Object(after))?;
            // A run of one item keeps `entity_id_last` too: it tells a run's entry from an item's.
            self.audit(AuditAction::Create, "事项", (first, Some(last)), &label, None, Some(after))?;
        }
        Ok(ids)
    }

    /// A new id of `R`'s table. On SQLite the write transaction excludes every other writer,
    /// so the id after the largest is free. On PostgreSQL several writers run at once (READ
    /// COMMITTED), and `max(id) + 1` gave two of them the same id: the id comes from the
    /// table's identity sequence, which never hands one out twice (a rolled-back transaction
    /// leaves a gap).
    fn next_id<R: Record>(&self) -> Result<Id> {
        if self.conn().is_postgres() {
            return self
                .new_ids::<R>(1)?
                .pop()
                .ok_or_else(|| StoreError::Invalid(format!("{}编号不足", R::ENTITY)));
        }
        let next = self
            .conn()
            .query_opt(&format!("SELECT coalesce(max(id), 0) + 1 FROM {}", R::TABLE), &[])?
            .map_or(Ok(1), |row| row.integer(0))?;
        Id::try_from(next).map_err(|_| StoreError::Invalid(format!("{}编号已用尽", R::ENTITY)))
    }

    /// `count` new ids of `R`'s table from its sequence, in one statement (PostgreSQL only;
    /// ascending, consecutive unless another writer took some in between). From
    /// [`IDS_TAKEN_AS_A_BLOCK`] on, the ids are one block: the sequence is locked
    /// ([`lock_sequence`]: other writers' new rows of this table wait until this transaction
    /// ends — an import, seconds), gives its next id, and is moved past the block — where a
    /// `nextval` per id cost an import of 50,000 items 0.2 s on the server.
    fn new_ids<R: Record>(&self, count: usize) -> Result<Vec<Id>> {
        if count == 0 {
            return Ok(Vec::new());
        }
        let count = i64::try_from(count).map_err(|e| StoreError::Invalid(e.to_string()))?;
        if count >= IDS_TAKEN_AS_A_BLOCK {
            return self.new_id_block::<R>(count);
        }
        let mut ids = self
            .conn()
            .query(
                "SELECT nextval(pg_get_serial_sequence(?1, 'id')) FROM generate_series(1, ?2::integer)",
                &[backend::Value::Text(R::TABLE.to_string()), backend::Value::Integer(count)],
            )?
            .iter()
            .map(|row| {
                let id = row.integer(0)?;
                Id::try_from(id).map_err(|_| StoreError::Invalid(format!("{}编号已用尽", R::ENTITY)))
            })
            .collect::<Result<Vec<Id>>>()?;
        ids.sort_unstable();
        Ok(ids)
    }

    /// [`Writer::new_ids`] as one block of `count` consecutive ids, the sequence locked.
    fn new_id_block<R: Record>(&self, count: i64) -> Result<Vec<Id>> {
        let table = backend::Value::Text(R::TABLE.to_string());
        lock_sequence(self.conn(), R::TABLE)?;
        // nextval, not the sequence's last value: it knows whether that value was handed out.
        let first = self
            .conn()
            .query_opt("SELECT nextval(pg_get_serial_sequence(?1, 'id'))", std::slice::from_ref(&table))?
            .ok_or_else(|| StoreError::Invalid(format!("{}编号不足", R::ENTITY)))?
            .integer(0)?;
        let used_up = || StoreError::Invalid(format!("{}编号已用尽", R::ENTITY));
        let last = first.checked_add(count - 1).ok_or_else(used_up)?;
        let (Ok(first_id), Ok(last_id)) = (Id::try_from(first), Id::try_from(last)) else {
            return Err(used_up());
        };
        self.conn()
            .query("SELECT setval(pg_get_serial_sequence(?1, 'id'), ?2)", &[table, backend::Value::Integer(last)])?;
        Ok((first_id..=last_id).collect())
    }

    /// On PostgreSQL, make sure `R`'s sequence never hands out `top` or an id below it: a row
    /// is being written under an id of its own (a bundle's, an undone deletion's). An id the
    /// sequence has passed costs one read; otherwise the sequence is locked ([`lock_sequence`]:
    /// other writers' `nextval` waits until this transaction ends) and moved past `top`.
    pub(crate) fn claim_ids<R: Record>(&self, top: Id) -> Result<()> {
        claim_ids(self.conn(), R::TABLE, top)
    }

    /// The row `id` of `R`'s table locked until this transaction ends, and its version (see
    /// [`Reader::row_version`]). A write that reads a row to change it calls this first: on
    /// PostgreSQL (`SELECT … FOR UPDATE`) another writer's change of the same row then waits
    /// for this one to commit, and reads its result, so that neither change is lost. On
    /// SQLite the write transaction already excludes every other writer.
    pub fn lock<R: Record>(&self, id: Id) -> Result<i64> {
        let lock = if self.conn().is_postgres() { " FOR UPDATE" } else { "" };
        self.conn()
            .query_opt(&format!("SELECT version FROM {} WHERE id = ?1{lock}", R::TABLE), &[id_value(id)])?
            .ok_or(StoreError::NotFound { entity: R::ENTITY, id })?
            .integer(0)
    }

    /// The reason the audit entries written from now on in this transaction give, for a write
    /// whose reason names what it read inside the transaction (the number a published version
    /// gets).
    pub fn set_reason(&mut self, reason: &str) {
        self.reason = Some(reason.to_string());
    }

    /// Serialise, until this transaction ends, the writers that may create the row `key` names
    /// — a row no existing row can be locked for, such as the waiver of a finding that has none
    /// yet: a second writer with the same key waits here and then reads the first one's row.
    /// PostgreSQL only (a transaction-scoped advisory lock on the key's hash; an unrelated key
    /// with the same hash merely waits too); on SQLite the write transaction already excludes
    /// every other writer.
    pub fn lock_key(&self, key: &str) -> Result<()> {
        if self.conn().is_postgres() {
            self.conn()
                .execute("SELECT pg_advisory_xact_lock(hashtextextended(?1, 0))", &[backend::Value::Text(key.to_string())])?;
        }
        Ok(())
    }

    /// `record` as stored: its JSON with every string replaced by a reference to its text
    /// (see [`texts`]), and the ids of those texts.
    fn stored_document<R: Record>(&mut self, record: &R) -> Result<(serde_json::Value, Vec<i64>)> {
        let mut document = serde_json::to_value(record).map_err(|e| corrupt(R::TABLE, i64::from(record.id()), e))?;
        let mut used = Vec::new();
        self.texts.store_strings(self.tx.conn(), &mut document, &mut used)?;
        Ok((document, used))
    }

    /// Where this writer's SQL runs: its transaction.
    fn conn(&self) -> backend::Conn<'_> {
        self.tx.conn()
    }

    /// The name of list `list`, which must exist.
    fn list_name(&self, list: Id) -> Result<String> {
        self.conn()
            .query_opt("SELECT name FROM lists WHERE id = ?1", &[id_value(list)])?
            .ok_or(StoreError::NotFound { entity: "清单", id: list })?
            .text(0)
    }

    /// The row's columns and values: the record's own, its uid, and (when the row keeps them)
    /// the ids of the texts its document uses.
    fn row_values<R: Record>(record: &R, used: &[i64]) -> (Vec<&'static str>, Vec<rusqlite::types::Value>) {
        let mut columns = record.columns();
        let uid = record.uid().map(|u| u.as_str().to_string());
        columns.push(("uid", uid.map_or(rusqlite::types::Value::Null, rusqlite::types::Value::Text)));
        if R::LISTS_TEXTS {
            columns.push(("text_ids", rusqlite::types::Value::Blob(texts::pack_text_ids(used))));
        }
        columns.into_iter().unzip()
    }

    /// Insert the record's row and its document (in the row, or in the table of documents).
    fn insert_row<R: Record>(&self, record: &R, doc: &str, used: &[i64]) -> Result<()> {
        let (mut names, mut values) = Self::row_values(record, used);
        let own_document = R::DOC_TABLE == R::TABLE;
        if own_document {
            names.push("doc");
            values.push(rusqlite::types::Value::Text(doc.to_string()));
        }
        names.push("id");
        values.push(id_value(record.id()));
        let placeholders: Vec<String> = (1..=names.len()).map(|i| format!("?{i}")).collect();
        let conn = self.conn();
        conn.execute(&format!("INSERT INTO {} ({}) VALUES ({})", R::TABLE, names.join(", "), placeholders.join(", ")), &values)?;
        if !own_document {
            conn.execute(
                &format!("INSERT INTO {} (id, doc) VALUES (?1, ?2)", R::DOC_TABLE),
                &[id_value(record.id()), backend::Value::Text(doc.to_string())],
            )?;
        }
        Ok(())
    }

    /// Insert many new rows of `R` and their documents (`rows[n]` is `records[n]`'s document
    /// and text ids), a few statements in all: one multi-row `INSERT` per table.
    fn insert_rows<R: Record>(&self, records: &[R], rows: Vec<(String, Vec<i64>)>) -> Result<()> {
        let own_document = R::DOC_TABLE == R::TABLE;
        let mut names = Vec::new();
        let mut values = Vec::new();
        let mut documents = Vec::new();
        // The documents are moved into the statement's values, not copied (50,000 of them in
        // an import).
        for (record, (doc, used)) in records.iter().zip(rows) {
            let (mut row_names, mut row_values) = Self::row_values(record, &used);
            if own_document {
                row_names.push("doc");
                row_values.push(rusqlite::types::Value::Text(doc));
            } else {
                documents.extend([id_value(record.id()), backend::Value::Text(doc)]);
            }
            row_names.push("id");
            row_values.push(id_value(record.id()));
            names = row_names;
            values.extend(row_values);
        }
        if records.is_empty() {
            return Ok(());
        }
        let conn = self.conn();
        let rows = backend::value_tuples(records.len(), names.len());
        conn.execute(&format!("INSERT INTO {} ({}) VALUES {rows}", R::TABLE, names.join(", ")), &values)?;
        if !own_document {
            conn.execute(&format!("INSERT INTO {} (id, doc) VALUES {}", R::DOC_TABLE, backend::value_tuples(records.len(), 2)), &documents)?;
        }
        Ok(())
    }

    /// Update the record's row and its document.
    fn update_row<R: Record>(&self, record: &R, doc: &str, used: &[i64]) -> Result<()> {
        let (mut names, mut values) = Self::row_values(record, used);
        let own_document = R::DOC_TABLE == R::TABLE;
        if own_document {
            names.push("doc");
            values.push(rusqlite::types::Value::Text(doc.to_string()));
        }
        values.push(id_value(record.id()));
        let mut assignments: Vec<String> = names.iter().enumerate().map(|(i, n)| format!("{n} = ?{}", i + 1)).collect();
        assignments.push("version = version + 1".to_string());
        let conn = self.conn();
        conn.execute(&format!("UPDATE {} SET {} WHERE id = ?{}", R::TABLE, assignments.join(", "), names.len() + 1), &values)?;
        if !own_document {
            conn.execute(
                &format!("UPDATE {} SET doc = ?1 WHERE id = ?2", R::DOC_TABLE),
                &[backend::Value::Text(doc.to_string()), id_value(record.id())],
            )?;
        }
        Ok(())
    }

    /// Move the items of `list` at positions `from..to` by `delta` places, in one statement:
    /// the items behind a row inserted into or deleted from a long list. Their content does not
    /// change, so instead of one audit entry per item (50,000 for a row inserted at the top of
    /// a 50,000-item list) the list gets one entry naming the positions that moved. The
    /// position is rewritten in the column and in the document alike (the document stays the
    /// truth).
    /// Returns how many items moved.
    pub fn shift_item_positions(&mut self, list: Id, from: u32, to: u32, delta: i64) -> Result<usize> {
        if from >= to || delta == 0 {
            return Ok(0);
        }
        if i64::from(from) + delta < 0 {
            return Err(StoreError::Invalid(format!("事项位置不能移到第 1 项之前（第 {} 项前移 {}）", from + 1, -delta)));
        }
        let conn = self.conn();
        let params = [
            backend::Value::Integer(delta),
            id_value(list),
            backend::Value::Integer(i64::from(from)),
            backend::Value::Integer(i64::from(to)),
        ];
        let shift_documents = if conn.is_postgres() {
            // Documents are `json` text (migrations/pg/0011.sql): rewritten through jsonb here.
            "UPDATE item_documents SET doc = jsonb_set(doc::jsonb, '{position}', to_jsonb((doc->>'position')::bigint + ?1))::json \
             WHERE id IN (SELECT id FROM items WHERE list_id = ?2 AND position >= ?3 AND position < ?4)"
        } else {
            "UPDATE item_documents SET doc = json_set(doc, '$.position', json_extract(doc, '$.position') + ?1) \
             WHERE id IN (SELECT id FROM items WHERE list_id = ?2 AND position >= ?3 AND position < ?4)"
        };
        conn.execute(shift_documents, &params)?;
        let moved = conn.execute(
            "UPDATE items SET position = position + ?1, version = version + 1 WHERE list_id = ?2 AND position >= ?3 AND position < ?4",
            &params,
        )?;
        let name = self.list_name(list)?;
        let range = |shift: i64| {
            let first = i64::from(from) + shift + 1;
            let last = i64::from(to) + shift;
            serde_json::json!({ "事项顺序": format!("第 {first}–{last} 项（{moved} 项）") })
        };
        let (was, is) = (self.stored_value(range(0))?, self.stored_value(range(delta))?);
        self.audit(AuditAction::Update, "清单", (list, None), &name, Some(was), Some(is))?;
        Ok(moved)
    }

    /// Delete a row by id; the audit log keeps what it was.
    pub fn delete<R: Record>(&mut self, id: Id) -> Result<R> {
        let before = self
            .conn()
            .query_opt(&format!("SELECT doc FROM {} WHERE id = ?1", R::DOC_TABLE), &[id_value(id)])?
            .ok_or(StoreError::NotFound { entity: R::ENTITY, id })?
            .text(0)?;
        let stored: serde_json::Value = serde_json::from_str(&before).map_err(|e| corrupt(R::TABLE, i64::from(id), e))?;
        let mut restored = stored.clone();
        texts::TextBodies::default().restore_strings(self.tx.conn(), &mut restored)?;
        let record: R = serde_json::from_value(restored).map_err(|e| corrupt(R::TABLE, i64::from(id), e))?;
        if R::DOC_TABLE != R::TABLE {
            self.conn().execute(&format!("DELETE FROM {} WHERE id = ?1", R::DOC_TABLE), &[id_value(id)])?;
        }
        self.conn().execute(&format!("DELETE FROM {} WHERE id = ?1", R::TABLE), &[id_value(id)])?;
        self.audit(AuditAction::Delete, R::ENTITY, (id, None), &record.label(), Some(stored), None)?;
        Ok(record)
    }

    /// `value` with its strings stored as texts, as documents and audit entries keep them.
    fn stored_value(&mut self, mut value: serde_json::Value) -> Result<serde_json::Value> {
        self.texts.store_strings(self.tx.conn(), &mut value, &mut Vec::new())?;
        Ok(value)
    }

    /// One audit entry about entity `ids.0` (through `ids.1` for a run written at once).
    /// `before` and `after` are stored documents (their strings already references to texts).
    fn audit(
        &mut self,
        action: AuditAction,
        entity: &str,
        ids: (Id, Option<Id>),
        label: &str,
        before: Option<serde_json::Value>,
        after: Option<serde_json::Value>,
    ) -> Result<()> {
        use backend::Value;
        let text = |t: Option<String>| t.map_or(Value::Null, Value::Text);
        self.conn().execute(
            "INSERT INTO audit_log(at, actor, action, entity, entity_id, entity_id_last, label, before, after, reason)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            &[
                Value::Text(self.at.clone()),
                Value::Text(self.actor.clone()),
                Value::Text(action.label().to_string()),
                Value::Text(entity.to_string()),
                id_value(ids.0),
                ids.1.map_or(Value::Null, id_value),
                Value::Text(label.to_string()),
                text(before.map(|v| v.to_string())),
                text(after.map(|v| v.to_string())),
                text(self.reason.clone()),
            ],
        )?;
        Ok(())
    }
}

#[cfg(test)]
pub(crate) mod tests;
