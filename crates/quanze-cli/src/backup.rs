//! `quanze backup`, `backups` and `restore`: backups of the database (SQLite's online backup,
//! verified before it gets its name) and restore from one. Automatic backups are taken by the
//! api before a load, an import and a migration; they and `quanze backup` without `--out` go to
//! the folder `<数据库文件名>.备份` beside the database.

use std::path::Path;

use quanze_api::{backup_folder, Api, ApiError, BackupFile, KEEP_AUTOMATIC_BACKUPS};

use crate::output::text_or_json;

/// `1234567` → `1.2 MB`.
fn size(bytes: u64) -> String {
    const UNITS: [&str; 4] = ["B", "KB", "MB", "GB"];
    let mut value = bytes as f64;
    let mut unit = 0;
    while value >= 1024.0 && unit + 1 < UNITS.len() {
        value /= 1024.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{bytes} B")
    } else {
        format!("{value:.1} {}", UNITS[unit])
    }
}

/// `quanze backup [--out FILE]`.
pub fn backup(api: &Api, out: Option<&Path>) -> Result<String, ApiError> {
    let file = api.backup_now(out)?;
    Ok(format!(
        "已备份（{}，已校验）：{}\n",
        size(file.bytes),
        file.path
    ))
}

/// `quanze backups [--json]`: the backups in the backup folder, newest first.
pub fn list(api: &Api, json: bool) -> Result<String, ApiError> {
    let backups = api.backups()?;
    let folder = backup_folder(api.database_path());
    text_or_json(json, &backups, |backups: &Vec<BackupFile>| {
        if backups.is_empty() {
            return format!("还没有备份（备份文件夹：{}）\n", folder.display());
        }
        let mut text = format!(
            "备份文件夹：{}（自动备份保留最近 {KEEP_AUTOMATIC_BACKUPS} 个，手动备份不删除）\n",
            folder.display()
        );
        for b in backups {
            text.push_str(&format!(
                "{}\t{}\t{}\t{}\n",
                b.created_at,
                b.reason.label(),
                size(b.bytes),
                b.path
            ));
        }
        text
    })
}

/// `quanze restore FILE [--yes]`: without `--yes`, only says what would happen (exit 1).
pub fn restore(api: &mut Api, file: &Path, yes: bool) -> Result<String, ApiError> {
    if !yes {
        return Err(ApiError::invalid_input(format!(
            "恢复会用备份 {} 替换数据库 {} 的全部内容（当前内容先自动备份到 {}）。确认恢复请加 --yes 再运行一次。",
            file.display(),
            api.database_path().display(),
            backup_folder(api.database_path()).display()
        )));
    }
    let outcome = api.restore_backup(file)?;
    let mut text = format!("已从备份恢复：{}\n", outcome.restored);
    match outcome.previous {
        Some(previous) => text.push_str(&format!(
            "恢复前的内容已备份到：{}（可用 quanze restore 撤销这次恢复）\n",
            previous.path
        )),
        None => text.push_str("恢复前数据库为空，未另做备份\n"),
    }
    Ok(text)
}
