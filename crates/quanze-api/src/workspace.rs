//! The user's workspace outside any database: which database files were opened lately.
//!
//! The list lives in `recent-files.json` in the configuration folder
//! ([`default_config_dir`]), newest first, at most [`RECENT_FILES_LIMIT`] entries. A file that
//! has since gone away stays in the list, marked `exists: false`, so the user sees what
//! happened (a moved USB stick, a renamed folder) and removes it deliberately.
//!
//! A damaged list file is not worth an error dialog on every start: it is read as empty and
//! overwritten on the next open.
//!
//! A database on a server is kept there too, by its address without the password
//! ([`remember_recent_server`]): reopening it asks for the password again.
//!
//! Also kept there: the operator (操作人) the audit log names for the app's changes, chosen
//! once on this computer (`operator.json`); until then the OS user name, which on a shared
//! office PC says nothing (本机用户, Administrator).

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::{ApiError, ServerAddress};

/// How many recent files are kept.
pub const RECENT_FILES_LIMIT: usize = 10;

const RECENT_FILES_NAME: &str = "recent-files.json";

/// One database file opened lately.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct RecentFile {
    pub path: String,
    /// When it was last opened, local time, `YYYY-MM-DD HH:MM`.
    pub opened_at: String,
    /// Whether the file is still there (computed on reading, not stored; a server's entry
    /// counts as there: whether it answers is seen when connecting).
    #[serde(default)]
    pub exists: bool,
    /// A database on a server (then `path` is [`ServerAddress::shown`]): its address, without
    /// the password, which the app asks for again.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub server: Option<ServerAddress>,
}

/// Where Quanze keeps its settings: `$QUANZE_CONFIG_DIR` when set; otherwise
/// `%APPDATA%\Quanze` on Windows, `$XDG_CONFIG_HOME/quanze` (default `~/.config/quanze`)
/// elsewhere.
pub fn default_config_dir() -> PathBuf {
    let env = |name: &str| std::env::var_os(name).filter(|v| !v.is_empty());
    if let Some(dir) = env("QUANZE_CONFIG_DIR") {
        return PathBuf::from(dir);
    }
    if cfg!(windows) {
        if let Some(appdata) = env("APPDATA") {
            return PathBuf::from(appdata).join("Quanze");
        }
    }
    env("XDG_CONFIG_HOME")
        .map(PathBuf::from)
        .or_else(|| env("HOME").map(|home| PathBuf::from(home).join(".config")))
        .unwrap_or_else(|| PathBuf::from("."))
        .join("quanze")
}

const OPERATOR_NAME: &str = "operator.json";

/// Longest operator name kept (a name, maybe with a post: 王芳（机构编制科）).
pub const MAX_OPERATOR_CHARS: usize = 40;

/// Who the audit log names for the app's changes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Operator {
    pub name: String,
    /// Whether a name was chosen in the app (else `name` is the OS user name).
    pub chosen: bool,
}

#[derive(Serialize, Deserialize)]
struct StoredOperator {
    name: String,
}

/// The operator chosen on this computer, else the OS user name ([`crate::default_actor`]). A
/// damaged or unreadable file counts as no choice.
pub fn operator(config_dir: &Path) -> Operator {
    std::fs::read_to_string(config_dir.join(OPERATOR_NAME))
        .ok()
        .and_then(|text| serde_json::from_str::<StoredOperator>(&text).ok())
        .map(|stored| stored.name.trim().to_string())
        .filter(|name| !name.is_empty())
        .map_or_else(|| Operator { name: crate::default_actor(), chosen: false }, |name| Operator { name, chosen: true })
}

/// Choose the operator's name (trimmed; empty goes back to the OS user name) and answer it.
pub fn set_operator(config_dir: &Path, name: &str) -> Result<Operator, ApiError> {
    let name = name.trim();
    if name.chars().count() > MAX_OPERATOR_CHARS {
        return Err(ApiError::invalid_input(format!("操作人姓名过长（最多 {MAX_OPERATOR_CHARS} 个字）")));
    }
    if name.chars().any(char::is_control) {
        return Err(ApiError::invalid_input("操作人姓名不能含换行或控制字符"));
    }
    let path = config_dir.join(OPERATOR_NAME);
    if name.is_empty() {
        match std::fs::remove_file(&path) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(ApiError::write(&path, &e)),
        }
        return Ok(operator(config_dir));
    }
    std::fs::create_dir_all(config_dir).map_err(|e| ApiError::write(config_dir, &e))?;
    let text = serde_json::to_string(&StoredOperator { name: name.to_string() })
        .map_err(|e| ApiError::new(crate::ErrorCode::Internal, format!("无法保存操作人：{e}")))?;
    crate::atomic_file::write_bytes_atomically(&path, text.as_bytes()).map_err(|e| ApiError::write(&path, &e))?;
    Ok(operator(config_dir))
}

/// The database the app opens at start: `$QUANZE_DB` when set, else the newest recent file
/// that still exists, else [`crate::default_database_path`]. A server is not opened at start:
/// it needs its password (连接服务器… or 最近打开… ask for it).
pub fn database_to_open_at_start(config_dir: &Path) -> PathBuf {
    if std::env::var_os("QUANZE_DB").is_some_and(|v| !v.is_empty()) {
        return crate::default_database_path();
    }
    recent_files(config_dir)
        .ok()
        .and_then(|files| files.into_iter().find(|f| f.exists && f.server.is_none()))
        .map_or_else(crate::default_database_path, |f| PathBuf::from(f.path))
}

/// The recent files, newest first.
pub fn recent_files(config_dir: &Path) -> Result<Vec<RecentFile>, ApiError> {
    let mut files = read_list(config_dir)?;
    for file in &mut files {
        file.exists = file.server.is_some() || Path::new(&file.path).is_file();
    }
    Ok(files)
}

/// Put `database` at the top of the recent files (it was just opened) and return the list.
pub fn remember_recent_file(config_dir: &Path, database: &Path) -> Result<Vec<RecentFile>, ApiError> {
    remember_recent(config_dir, absolute_text(database), None)
}

/// Put the server database at `address` at the top of the recent files (just connected), by
/// its address: no password is written.
pub fn remember_recent_server(config_dir: &Path, address: &ServerAddress) -> Result<Vec<RecentFile>, ApiError> {
    remember_recent(config_dir, address.shown(), Some(address.clone()))
}

/// Put the entry `shown` at the top of the recent files, once, and return the list.
fn remember_recent(config_dir: &Path, shown: String, server: Option<ServerAddress>) -> Result<Vec<RecentFile>, ApiError> {
    let mut files = read_list(config_dir)?;
    files.retain(|f| f.path != shown);
    files.insert(
        0,
        RecentFile {
            path: shown,
            opened_at: chrono::Local::now().format("%Y-%m-%d %H:%M").to_string(),
            exists: true,
            server,
        },
    );
    files.truncate(RECENT_FILES_LIMIT);
    write_list(config_dir, &files)?;
    recent_files(config_dir)
}

/// Take `database` off the recent files (the file itself is not touched).
pub fn forget_recent_file(config_dir: &Path, database: &Path) -> Result<Vec<RecentFile>, ApiError> {
    let shown = absolute_text(database);
    let mut files = read_list(config_dir)?;
    files.retain(|f| f.path != shown && f.path != database.display().to_string());
    write_list(config_dir, &files)?;
    recent_files(config_dir)
}

/// The same file must not appear twice because it was once opened as `./a.db` and once as
/// `/home/x/a.db`; the absolute form is stored (without resolving symlinks, which a user does
/// not think of as a different file).
fn absolute_text(path: &Path) -> String {
    std::path::absolute(path)
        .unwrap_or_else(|_| path.to_path_buf())
        .display()
        .to_string()
}

fn read_list(config_dir: &Path) -> Result<Vec<RecentFile>, ApiError> {
    let path = config_dir.join(RECENT_FILES_NAME);
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(ApiError::read(&path, &e)),
    };
    // A damaged settings file is read as empty (see the module docs).
    Ok(serde_json::from_str(&text).unwrap_or_default())
}

fn write_list(config_dir: &Path, files: &[RecentFile]) -> Result<(), ApiError> {
    std::fs::create_dir_all(config_dir).map_err(|e| ApiError::write(config_dir, &e))?;
    let path = config_dir.join(RECENT_FILES_NAME);
    let text = serde_json::to_string_pretty(files)
        .map_err(|e| ApiError::new(crate::ErrorCode::Internal, format!("无法保存最近打开的文件列表：{e}")))?;
    // Written beside and renamed over, so a crash never leaves half a file.
    crate::atomic_file::write_bytes_atomically(&path, text.as_bytes()).map_err(|e| ApiError::write(&path, &e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn newest_first_without_duplicates_and_capped() -> Result<(), ApiError> {
        let dir = tempfile::tempdir().map_err(|e| ApiError::write(Path::new("tmp"), &e))?;
        let config = dir.path().join("config");
        for n in 0..12 {
            let db = dir.path().join(format!("{n}.db"));
            std::fs::write(&db, b"x").map_err(|e| ApiError::write(&db, &e))?;
            remember_recent_file(&config, &db)?;
        }
        let again = dir.path().join("5.db");
        let files = remember_recent_file(&config, &again)?;
        assert_eq!(files.len(), RECENT_FILES_LIMIT);
        assert_eq!(files[0].path, again.display().to_string());
        assert_eq!(files.iter().filter(|f| f.path.ends_with("/5.db")).count(), 1);
        assert_eq!(files[1].path, dir.path().join("11.db").display().to_string());
        assert!(!files.iter().any(|f| f.path.ends_with("/0.db")), "the oldest fell off");
        assert!(files.iter().all(|f| f.exists));
        Ok(())
    }

    #[test]
    fn a_vanished_file_stays_listed_as_missing_until_forgotten() -> Result<(), ApiError> {
        let dir = tempfile::tempdir().map_err(|e| ApiError::write(Path::new("tmp"), &e))?;
        let db = dir.path().join("gone.db");
        std::fs::write(&db, b"x").map_err(|e| ApiError::write(&db, &e))?;
        remember_recent_file(dir.path(), &db)?;
        std::fs::remove_file(&db).map_err(|e| ApiError::write(&db, &e))?;
        let files = recent_files(dir.path())?;
        assert_eq!(files.len(), 1);
        assert!(!files[0].exists);
        assert!(forget_recent_file(dir.path(), &db)?.is_empty());
        Ok(())
    }

    #[test]
    fn a_list_that_cannot_be_written_says_so() -> Result<(), ApiError> {
        let dir = tempfile::tempdir().map_err(|e| ApiError::write(Path::new("tmp"), &e))?;
        // The list is written beside and renamed over; a folder in the way of the partial file
        // makes the write fail, after the (missing) list was read without trouble.
        let partial = dir.path().join(format!(".{RECENT_FILES_NAME}.{}.partial", std::process::id()));
        std::fs::create_dir(&partial).map_err(|e| ApiError::write(&partial, &e))?;
        let error = remember_recent_file(dir.path(), &dir.path().join("a.db")).expect_err("refused");
        assert_eq!(error.code, crate::ErrorCode::Io);
        assert!(error.message.starts_with("无法写入 "), "{}", error.message);
        Ok(())
    }

    #[test]
    fn the_chosen_operator_is_kept_and_an_empty_name_goes_back_to_the_system_user() -> Result<(), ApiError> {
        let dir = tempfile::tempdir().map_err(|e| ApiError::write(Path::new("tmp"), &e))?;
        let config = dir.path().join("config");
        assert_eq!(operator(&config), Operator { name: crate::default_actor(), chosen: false });
        let chosen = set_operator(&config, "  王芳（机构编制科） ")?;
        assert_eq!(chosen, Operator { name: "王芳（机构编制科）".into(), chosen: true });
        assert_eq!(operator(&config), chosen, "read back from the file");
        assert!(set_operator(&config, &"长".repeat(MAX_OPERATOR_CHARS + 1)).is_err());
        assert!(set_operator(&config, "王\n芳").is_err());
        assert_eq!(operator(&config), chosen, "a refused name changes nothing");
        assert!(!set_operator(&config, " ")?.chosen);
        std::fs::write(config.join(OPERATOR_NAME), "{ damaged").map_err(|e| ApiError::write(&config, &e))?;
        assert!(!operator(&config).chosen, "a damaged file is no choice");
        Ok(())
    }

    #[test]
    fn a_server_is_kept_without_its_password_and_not_opened_at_start() -> Result<(), ApiError> {
        let dir = tempfile::tempdir().map_err(|e| ApiError::write(Path::new("tmp"), &e))?;
        let db = dir.path().join("a.db");
        std::fs::write(&db, b"x").map_err(|e| ApiError::write(&db, &e))?;
        remember_recent_file(dir.path(), &db)?;
        let login = crate::ServerLogin {
            address: ServerAddress {
                host: "192.168.1.10".into(),
                port: 5432,
                database: "quanze_district".into(),
                account: "li_ming".into(),
            },
            password: "s3cret:密码".into(),
        };
        let files = remember_recent_server(dir.path(), &login.address)?;
        assert_eq!(files[0].path, "postgresql://li_ming@192.168.1.10:5432/quanze_district");
        assert_eq!(files[0].server.as_ref(), Some(&login.address));
        assert!(files[0].exists, "a server counts as there");
        let stored = std::fs::read_to_string(dir.path().join(RECENT_FILES_NAME)).map_err(|e| ApiError::read(dir.path(), &e))?;
        assert!(!stored.contains("s3cret") && !stored.contains("密码"), "{stored}");
        assert_eq!(remember_recent_server(dir.path(), &login.address)?.len(), 2, "once in the list");
        // Without its password a server cannot be opened at start: the newest file is.
        if std::env::var_os("QUANZE_DB").is_none() {
            assert_eq!(database_to_open_at_start(dir.path()), db);
        }
        let files = forget_recent_file(dir.path(), Path::new("postgresql://li_ming@192.168.1.10:5432/quanze_district"))?;
        assert_eq!(files.len(), 1, "移除 takes the server off");
        Ok(())
    }

    #[test]
    fn a_damaged_list_reads_as_empty_and_is_replaced() -> Result<(), ApiError> {
        let dir = tempfile::tempdir().map_err(|e| ApiError::write(Path::new("tmp"), &e))?;
        let list = dir.path().join(RECENT_FILES_NAME);
        std::fs::write(&list, "{ not json").map_err(|e| ApiError::write(&list, &e))?;
        assert!(recent_files(dir.path())?.is_empty());
        let db = dir.path().join("a.db");
        assert_eq!(remember_recent_file(dir.path(), &db)?.len(), 1);
        Ok(())
    }
}
