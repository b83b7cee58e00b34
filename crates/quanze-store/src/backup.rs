//! Backups of the database and restore from them, with SQLite's online backup API.
//!
//! - **Writing a backup** ([`Store::backup_to`]): the pages are copied from the open connection
//!   into a hidden temporary file beside the final name (`.名称.<pid>.partial`) in one
//!   `sqlite3_backup_step(-1)`: one read transaction, so the copy is one consistent snapshot and
//!   is never restarted by another connection's write (in WAL mode a reader blocks no writer).
//!   The copy is switched out of WAL (one self-contained file), checked (`quick_check`,
//!   `application_id`, `user_version`), synced to disk, and only then renamed over the final
//!   name; the folder is synced after the rename. A process killed at any point leaves either
//!   no file or the earlier file under the final name (at most a hidden `.partial` beside it),
//!   and the live database is only read.
//! - **Automatic backups** ([`Store::automatic_backup`]) go to the folder beside the database
//!   named `<数据库文件名>.备份` ([`backup_folder`]), one file per backup named by time and
//!   reason (`2026-12-04_18-43-12-345_导入前.db`, to the millisecond); after each one only the newest
//!   [`KEEP_AUTOMATIC_BACKUPS`] automatic files are kept. Backups made by hand (reason 手动, or
//!   any file elsewhere) are never deleted. An empty database and an in-memory one are not
//!   backed up.
//! - **Restore** ([`Store::restore_from`]): see there.

use std::fs::File;
use std::path::{Path, PathBuf};

use chrono::{Local, NaiveDateTime};
use rusqlite::backup::{Backup, StepResult};
use rusqlite::{Connection, OpenFlags, OptionalExtension};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::{schema, Result, Store, StoreError};

/// How many automatic backups the folder keeps (the newest); older ones are deleted.
pub const KEEP_AUTOMATIC_BACKUPS: usize = 10;

/// The extension of a backup file: a backup is an ordinary Quanze database, so 打开数据库 can
/// open it too.
const BACKUP_EXTENSION: &str = "db";

/// Time in a backup's file name, to the millisecond (sorts as it reads).
const NAME_TIME_FORMAT: &str = "%Y-%m-%d_%H-%M-%S-%3f";
/// Its length: `2026-12-04_18-43-12-345`.
const NAME_TIME_LEN: usize = 23;

/// Why a backup was taken. Serialized as the word the file name and the user see.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
pub enum BackupReason {
    #[serde(rename = "导入前")]
    BeforeImport,
    #[serde(rename = "载入前")]
    BeforeLoad,
    #[serde(rename = "迁移前")]
    BeforeMigration,
    #[serde(rename = "定时")]
    Scheduled,
    #[serde(rename = "恢复前")]
    BeforeRestore,
    /// 立即备份 / `quanze backup`: never rotated away.
    #[serde(rename = "手动")]
    Manual,
}

impl BackupReason {
    const ALL: [BackupReason; 6] = [
        BackupReason::BeforeImport,
        BackupReason::BeforeLoad,
        BackupReason::BeforeMigration,
        BackupReason::Scheduled,
        BackupReason::BeforeRestore,
        BackupReason::Manual,
    ];

    pub fn label(self) -> &'static str {
        match self {
            BackupReason::BeforeImport => "导入前",
            BackupReason::BeforeLoad => "载入前",
            BackupReason::BeforeMigration => "迁移前",
            BackupReason::Scheduled => "定时",
            BackupReason::BeforeRestore => "恢复前",
            BackupReason::Manual => "手动",
        }
    }

    fn from_label(label: &str) -> Option<BackupReason> {
        BackupReason::ALL.into_iter().find(|r| r.label() == label)
    }

    /// Automatic backups are rotated; manual ones are kept until the user deletes them.
    pub fn is_automatic(self) -> bool {
        self != BackupReason::Manual
    }
}

/// A backup in the backup folder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct BackupFile {
    /// Full path of the file.
    pub path: String,
    pub file_name: String,
    /// Local time it was taken, `2026-12-04 18:43:12`.
    pub created_at: String,
    pub reason: BackupReason,
    /// Size in bytes.
    #[ts(type = "number")]
    pub bytes: u64,
}

/// What [`inspect_backup`] found in a file that can be restored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BackupCheck {
    /// Its `user_version` (older ones are migrated after the restore).
    pub schema_version: i32,
}

/// The folder of the automatic backups of the database at `database`: `<文件名>.备份` beside it.
pub fn backup_folder(database: &Path) -> PathBuf {
    let name = database.file_name().map_or_else(
        || "quanze.db".to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    database.with_file_name(format!("{name}.备份"))
}

/// The backups in the backup folder of `database`, newest first (files named otherwise are
/// left out). A missing folder has none.
pub fn list_backups(database: &Path) -> Result<Vec<BackupFile>> {
    let folder = backup_folder(database);
    let entries = match std::fs::read_dir(&folder) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(io_error("读取", &folder, e)),
    };
    let mut found = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|e| io_error("读取", &folder, e))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some((created_at, reason, n)) = parse_backup_name(&name) else {
            continue;
        };
        let Ok(meta) = entry.metadata() else { continue };
        if !meta.is_file() {
            continue;
        }
        found.push((
            created_at,
            n,
            BackupFile {
                path: entry.path().display().to_string(),
                file_name: name,
                created_at: created_at.format("%Y-%m-%d %H:%M:%S").to_string(),
                reason,
                bytes: meta.len(),
            },
        ));
    }
    found.sort_by_key(|(time, n, _)| std::cmp::Reverse((*time, *n)));
    Ok(found.into_iter().map(|(_, _, file)| file).collect())
}

/// `2026-12-04_18-43-12-345_导入前.db` or `…_导入前-2.db` → its time, reason and number
/// within the millisecond (1 when none).
fn parse_backup_name(name: &str) -> Option<(NaiveDateTime, BackupReason, u32)> {
    let stem = name.strip_suffix(&format!(".{BACKUP_EXTENSION}"))?;
    let time = stem.get(..NAME_TIME_LEN)?;
    let rest = stem.get(NAME_TIME_LEN..)?.strip_prefix('_')?;
    let (label, n) = match rest.split_once('-') {
        Some((label, n)) => (label, n.parse().ok()?),
        None => (rest, 1),
    };
    let created_at = NaiveDateTime::parse_from_str(time, NAME_TIME_FORMAT).ok()?;
    Some((created_at, BackupReason::from_label(label)?, n))
}

/// A new file name in `folder` for a backup taken now for `reason` (never an existing one).
fn new_backup_path(folder: &Path, reason: BackupReason) -> PathBuf {
    let time = Local::now().format(NAME_TIME_FORMAT);
    let mut path = folder.join(format!("{time}_{}.{BACKUP_EXTENSION}", reason.label()));
    let mut n = 2;
    while path.exists() {
        path = folder.join(format!("{time}_{}-{n}.{BACKUP_EXTENSION}", reason.label()));
        n += 1;
    }
    path
}

fn io_error(action: &'static str, path: &Path, source: std::io::Error) -> StoreError {
    StoreError::Io {
        action,
        path: path.display().to_string(),
        source,
    }
}

fn bad_backup(path: &Path, reason: impl Into<String>) -> StoreError {
    StoreError::BadBackup {
        path: path.display().to_string(),
        reason: reason.into(),
    }
}

/// Check that `path` is a whole Quanze database this build can read: a SQLite file, Quanze's
/// `application_id`, a schema version not newer than this build's, and `integrity_check` ok
/// (`quick_check` when `thorough` is false). The file is opened read-only.
pub fn inspect_backup(path: &Path, thorough: bool) -> Result<BackupCheck> {
    let meta = std::fs::metadata(path).map_err(|e| io_error("读取", path, e))?;
    if !meta.is_file() {
        return Err(bad_backup(path, "不是文件"));
    }
    if meta.len() == 0 {
        return Err(bad_backup(path, "文件是空的"));
    }
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(|e| bad_backup(path, format!("无法打开（{e}）")))?;
    let damaged =
        |e: rusqlite::Error| bad_backup(path, format!("不是 Quanze 数据库，或文件已损坏（{e}）"));
    let application_id: i32 = conn
        .query_row("PRAGMA application_id", [], |r| r.get(0))
        .map_err(damaged)?;
    let version: i32 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .map_err(damaged)?;
    if application_id != schema::APPLICATION_ID || version == 0 {
        return Err(StoreError::NotQuanze {
            path: path.display().to_string(),
        });
    }
    if version > schema::SCHEMA_VERSION {
        return Err(StoreError::TooNew {
            path: path.display().to_string(),
            found: version,
            supported: schema::SCHEMA_VERSION,
        });
    }
    let check = if thorough {
        "PRAGMA integrity_check"
    } else {
        "PRAGMA quick_check"
    };
    let problems: Vec<String> = conn
        .prepare(check)
        .and_then(|mut s| s.query_map([], |r| r.get::<_, String>(0))?.collect())
        .map_err(damaged)?;
    if problems.as_slice() != ["ok"] {
        let first = problems.first().cloned().unwrap_or_default();
        return Err(bad_backup(path, format!("文件已损坏（{first}）")));
    }
    Ok(BackupCheck {
        schema_version: version,
    })
}

/// The hidden temporary name beside `path`, unique to this process.
fn partial_path(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map_or_else(|| "backup".into(), |n| n.to_string_lossy().into_owned());
    path.with_file_name(format!(".{name}.{}.partial", std::process::id()))
}

/// Copy every page of `from` into `to` in one step (one transaction on each side), retrying a
/// while when the other side is busy.
fn copy_pages(from: &Connection, to: &mut Connection) -> rusqlite::Result<()> {
    let backup = Backup::new(from, to)?;
    let mut waits = 0;
    loop {
        match backup.step(-1)? {
            StepResult::Done => return Ok(()),
            StepResult::More => {}
            // Another connection holds a lock the copy needs (the busy timeout already waited).
            _ if waits < 50 => {
                waits += 1;
                std::thread::sleep(std::time::Duration::from_millis(100));
            }
            _ => {
                return Err(rusqlite::Error::SqliteFailure(
                    rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_BUSY),
                    None,
                ))
            }
        }
    }
}

/// Sync a folder so that a rename in it reaches the disk (not possible on every system).
fn sync_folder(folder: &Path) {
    if let Ok(dir) = File::open(folder) {
        let _ = dir.sync_all();
    }
}

impl Store {
    /// Whether the database holds anything worth a backup: a jurisdiction, or any history.
    pub fn has_content(&self) -> Result<bool> {
        Ok(self.sqlite()?.query_row(
            "SELECT EXISTS (SELECT 1 FROM jurisdictions) OR EXISTS (SELECT 1 FROM audit_log)",
            [],
            |r| r.get(0),
        )?)
    }

    fn in_memory(&self) -> bool {
        self.path == Path::new(":memory:")
    }

    /// Write a verified backup of the database to `out`, atomically (see the module
    /// documentation); an existing file at `out` is replaced only once the new one is whole,
    /// and only when it is a Quanze database itself (a mistyped name never overwrites another
    /// kind of file, nor the live database). Returns the size written.
    pub fn backup_to(&self, out: &Path) -> Result<u64> {
        if let Some(folder) = out
            .parent()
            .filter(|p| !p.as_os_str().is_empty() && !p.is_dir())
        {
            return Err(io_error(
                "写入",
                out,
                std::io::Error::new(
                    std::io::ErrorKind::NotFound,
                    format!("文件夹 {} 不存在", folder.display()),
                ),
            ));
        }
        if out.exists() {
            if same_file(out, &self.path) {
                return Err(StoreError::Invalid(format!(
                    "不能把数据库备份到它自身：{}",
                    out.display()
                )));
            }
            if inspect_backup(out, false).is_err() {
                return Err(StoreError::Invalid(format!(
                    "{} 已存在且不是完好的 Quanze 数据库或备份，未覆盖。请换一个文件名。",
                    out.display()
                )));
            }
        }
        let partial = partial_path(out);
        let result = self.write_partial(&partial).and_then(|()| {
            std::fs::rename(&partial, out).map_err(|e| io_error("写入", out, e))?;
            if let Some(folder) = out.parent().filter(|p| !p.as_os_str().is_empty()) {
                sync_folder(folder);
            }
            std::fs::metadata(out)
                .map(|m| m.len())
                .map_err(|e| io_error("读取", out, e))
        });
        if result.is_err() {
            for leftover in [
                partial.clone(),
                crate::side_file(&partial, "-journal"),
                crate::side_file(&partial, "-wal"),
                crate::side_file(&partial, "-shm"),
            ] {
                let _ = std::fs::remove_file(leftover);
            }
        }
        result
    }

    /// The copy, its checks and its sync, all under the temporary name.
    fn write_partial(&self, partial: &Path) -> Result<()> {
        match std::fs::remove_file(partial) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                return Err(io_error("写入", partial, e))
            }
            _ => {}
        }
        {
            let mut copy = Connection::open(partial).map_err(|source| StoreError::Open {
                path: partial.display().to_string(),
                source,
            })?;
            copy_pages(self.sqlite()?, &mut copy)?;
            // The pages say WAL, as the live database is; a backup is one file on its own.
            let mode: String = copy.query_row("PRAGMA journal_mode = DELETE", [], |r| r.get(0))?;
            if !mode.eq_ignore_ascii_case("delete") {
                return Err(bad_backup(partial, format!("无法切换日志模式（{mode}）")));
            }
        }
        inspect_backup(partial, false)?;
        File::open(partial)
            .and_then(|f| f.sync_all())
            .map_err(|e| io_error("写入", partial, e))
    }

    /// A backup into the backup folder, named by the time and `reason`; automatic ones are
    /// then rotated. Made even of an empty database (a manual backup is asked for).
    pub fn backup_into_folder(&self, reason: BackupReason) -> Result<BackupFile> {
        if self.in_memory() {
            return Err(StoreError::Invalid(
                "内存中的数据库没有备份文件夹".to_string(),
            ));
        }
        let folder = backup_folder(&self.path);
        std::fs::create_dir_all(&folder).map_err(|e| io_error("创建", &folder, e))?;
        let path = new_backup_path(&folder, reason);
        let bytes = self.backup_to(&path)?;
        if reason.is_automatic() {
            rotate(&self.path, KEEP_AUTOMATIC_BACKUPS)?;
        }
        let file_name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let created_at = parse_backup_name(&file_name)
            .map(|(t, _, _)| t.format("%Y-%m-%d %H:%M:%S").to_string())
            .unwrap_or_default();
        Ok(BackupFile {
            path: path.display().to_string(),
            file_name,
            created_at,
            reason,
            bytes,
        })
    }

    /// The automatic backup before a risky operation (or on the schedule): none for an
    /// in-memory or empty database, nor for one opened read-only (it cannot change; the write
    /// that follows is refused with the read-only message, not a backup folder's error), nor
    /// for a PostgreSQL database (its backups are the server's: pg_dump, docs/server.md).
    pub fn automatic_backup(&self, reason: BackupReason) -> Result<Option<BackupFile>> {
        if self.is_server() || self.in_memory() || self.access == crate::Access::ReadOnly || !self.has_content()? {
            return Ok(None);
        }
        self.backup_into_folder(reason).map(Some)
    }

    /// The scheduled backup: taken only when the database changed since the newest backup in
    /// the folder (compared by the last audit-log entry, its id and time).
    pub fn scheduled_backup(&self) -> Result<Option<BackupFile>> {
        if self.is_server() || self.in_memory() || self.access == crate::Access::ReadOnly || !self.has_content()? {
            return Ok(None);
        }
        let now = last_change(self.sqlite()?)?;
        if let Some(newest) = list_backups(&self.path)?.first() {
            let then = Connection::open_with_flags(&newest.path, OpenFlags::SQLITE_OPEN_READ_ONLY)
                .ok()
                .and_then(|conn| last_change(&conn).ok());
            if then == Some(now) {
                return Ok(None);
            }
        }
        self.automatic_backup(BackupReason::Scheduled)
    }

    /// Replace the whole database with the backup at `file`; returns the automatic backup of
    /// what was there before (恢复前), so that a restore can itself be undone.
    ///
    /// The file is checked first (a Quanze database, not newer than this build, integrity_check
    /// ok); a refused file changes nothing. The pages are then copied with the backup API *into
    /// this open connection*, in one step: one write transaction on the live database, so other
    /// connections (the search-index thread, the CLI) see the old content or the new, never a
    /// mix, and a kill midway rolls back from the WAL to the old content. Copying the file over
    /// the live one instead would bypass the WAL and the locks of the open connections. A
    /// backup of an older schema is then migrated as [`Store::open`] would.
    pub fn restore_from(&mut self, file: &Path) -> Result<Option<BackupFile>> {
        self.ensure_writable()?;
        if same_file(file, &self.path) {
            return Err(StoreError::Invalid(format!(
                "{} 就是当前打开的数据库，无需恢复",
                file.display()
            )));
        }
        inspect_backup(file, true)?;
        let before = self.automatic_backup(BackupReason::BeforeRestore)?;
        let source = Connection::open_with_flags(
            file,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(|e| bad_backup(file, format!("无法打开（{e}）")))?;
        copy_pages(&source, self.sqlite_mut()?)?;
        drop(source);
        self.sqlite()?.flush_prepared_statement_cache();
        self.migrate_to_current()?;
        Ok(before)
    }
}

/// The id and time of the newest audit-log entry: what changed last.
fn last_change(conn: &Connection) -> Result<Option<(i64, String)>> {
    Ok(conn
        .query_row(
            "SELECT id, at FROM audit_log ORDER BY id DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?)
}

/// Delete the automatic backups of `database` beyond the newest `keep`.
fn rotate(database: &Path, keep: usize) -> Result<()> {
    let automatic = list_backups(database)?
        .into_iter()
        .filter(|b| b.reason.is_automatic());
    for old in automatic.skip(keep) {
        match std::fs::remove_file(&old.path) {
            // Another writer (a second import at the same time) rotated it away first.
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            other => other.map_err(|e| io_error("删除", Path::new(&old.path), e))?,
        }
    }
    Ok(())
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}
