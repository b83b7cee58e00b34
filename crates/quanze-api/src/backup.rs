//! Backups and restore for the app and the CLI, over the store's online backups
//! (`quanze_store::backup`): automatic ones before an import, a load and a migration, on the
//! app's schedule and before a restore, into `<数据库文件名>.备份` beside the database (the
//! newest [`KEEP_AUTOMATIC_BACKUPS`] automatic ones kept); manual ones there or to any file.

use std::path::Path;

use quanze_store::{BackupFile, BackupReason};
use serde::Serialize;
use ts_rs::TS;

use crate::{Api, ApiError};

pub use quanze_store::{backup_folder, KEEP_AUTOMATIC_BACKUPS};

/// What a restore did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct RestoreOutcome {
    /// The backup file now in the database.
    pub restored: String,
    /// The automatic backup (恢复前) of what the database held before, so the restore can
    /// itself be undone; none when the database was empty.
    pub previous: Option<BackupFile>,
}

impl Api {
    /// The automatic backup before a risky operation; none for an empty or in-memory database.
    /// A backup that fails stops the operation, with nothing changed.
    pub(crate) fn backup_before(&self, reason: BackupReason) -> Result<(), ApiError> {
        self.store
            .automatic_backup(reason)
            .map(drop)
            .map_err(|error| {
                let error = ApiError::from(error);
                ApiError::new(
                    error.code,
                    format!(
                        "{}自动备份数据库失败，操作未进行，数据库未改动：{}",
                        reason.label(),
                        error.message
                    ),
                )
            })
    }

    /// 立即备份 / `quanze backup`: a verified backup to `out`, or (none given) a file named by
    /// the time in the backup folder (reason 手动, never rotated away).
    pub fn backup_now(&self, out: Option<&Path>) -> Result<BackupFile, ApiError> {
        let Some(out) = out else {
            return Ok(self.store.backup_into_folder(BackupReason::Manual)?);
        };
        let bytes = self.store.backup_to(out)?;
        Ok(BackupFile {
            path: out.display().to_string(),
            file_name: out
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
            created_at: chrono::Local::now().format("%Y-%m-%d %H:%M:%S").to_string(),
            reason: BackupReason::Manual,
            bytes,
        })
    }

    /// The backups in the backup folder, newest first.
    pub fn backups(&self) -> Result<Vec<BackupFile>, ApiError> {
        if self.database_path() == Path::new(":memory:") {
            return Ok(Vec::new());
        }
        Ok(quanze_store::list_backups(self.database_path())?)
    }

    /// The app's scheduled backup: taken only when the database changed since the newest
    /// backup in the folder; answers it, or none.
    pub fn scheduled_backup(&self) -> Result<Option<BackupFile>, ApiError> {
        Ok(self.store.scheduled_backup()?)
    }

    /// Replace the whole database with the backup at `file` after checking it (a file that is
    /// not a whole Quanze database of this or an older version is refused and nothing
    /// changes), and after an automatic backup of the current content (恢复前).
    pub fn restore_backup(&mut self, file: &Path) -> Result<RestoreOutcome, ApiError> {
        let previous = self.store.restore_from(file)?;
        // The content an import's undo refers to is gone.
        self.last_import = None;
        Ok(RestoreOutcome {
            restored: file.display().to_string(),
            previous,
        })
    }
}
