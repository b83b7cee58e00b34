//! The one error that crosses the boundary to the UI and the CLI.

use std::path::Path;

use quanze_domain::BundleError;
use quanze_store::StoreError;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// What went wrong, as a closed set the UI can branch on. Never branch on the message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// The thing asked for does not exist (a list id, an item id).
    NotFound,
    /// The request itself is wrong (an empty name, a bad value).
    InvalidInput,
    /// A bundle file is malformed or inconsistent; the message names file, line and problem.
    InvalidBundle,
    /// The database was written by a newer Quanze.
    DatabaseTooNew,
    /// The file is not a Quanze database.
    NotADatabase,
    /// The database was opened read-only (no write permission, a read-only share): it can be
    /// read, not changed; the message says how to get a writable copy.
    ReadOnly,
    /// The procedure does not allow this step now (a change not yet reviewed, a list with
    /// unwaived red findings to publish, a second open request on one item); the message says
    /// why and how to go on.
    ProcedureRefused,
    /// A file could not be read or written.
    Io,
    /// A file to write is already there and replacing it was not asked for: the window asks
    /// whether to replace it, then writes again saying so.
    FileExists,
    /// The database refused an operation or is damaged.
    Database,
    /// No font that can print Chinese is installed; the message says what to install.
    FontMissing,
    /// A notice, poster or chart could not be rendered or written.
    Export,
    /// The user stopped long work (取消); what that leaves behind is in the message.
    Cancelled,
    /// Printing from the app is not possible here: no print service, a printer that is gone, a
    /// job the service refused. The UI then points to 打开 (print from the system's reader).
    Printing,
    /// 准入 refused: the work is on the community's 负面清单, is a certificate it may not
    /// issue, or comes without the funding or staff the rule pack requires. The message gives
    /// every reason; the decision may be repeated with an override reason, which is recorded.
    AdmissionRefused,
    /// Another user changed the same field of the same entity since this user read it
    /// (several people editing one database on a server): nothing was saved; the message
    /// shows both values, the one now stored and the one refused.
    EditConflict,
    /// On a shared database (PostgreSQL), the server refused the account: a street's account
    /// writing outside its street, an account that is no Quanze role, a schema upgrade by an
    /// account that does not own the tables. The message names the account and what it may do.
    PermissionDenied,
    /// A fault in Quanze itself.
    Internal,
}

impl ErrorCode {
    /// Whether the fault lies in what the user gave (exit status 1) rather than in Quanze or
    /// the machine (exit status 2).
    pub fn is_user_error(self) -> bool {
        !matches!(self, ErrorCode::Database | ErrorCode::Internal | ErrorCode::Export)
    }
}

/// A failure: its code, and a message in Chinese for the user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, thiserror::Error)]
#[error("{message}")]
pub struct ApiError {
    pub code: ErrorCode,
    pub message: String,
    /// The separate reasons the message joins, when a refusal has several (each objection of
    /// the admission gate), so that a window can list them without reading the sentence apart.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub reasons: Option<Vec<String>>,
}

impl ApiError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> ApiError {
        ApiError {
            code,
            message: message.into(),
            reasons: None,
        }
    }

    /// The error with the separate reasons its message joins.
    pub fn with_reasons(mut self, reasons: Vec<String>) -> ApiError {
        self.reasons = Some(reasons).filter(|r| !r.is_empty());
        self
    }

    pub fn invalid_input(message: impl Into<String>) -> ApiError {
        ApiError::new(ErrorCode::InvalidInput, message)
    }

    pub fn invalid_bundle(source: &str, error: &BundleError) -> ApiError {
        ApiError::new(ErrorCode::InvalidBundle, format!("{source}：{error}"))
    }

    /// A file or folder could not be read: "无法读取 路径：原因".
    pub fn read(path: &Path, error: &std::io::Error) -> ApiError {
        ApiError::io("读取", path, error)
    }

    /// A file or folder could not be written (created, written or renamed over):
    /// "无法写入 路径：原因".
    pub fn write(path: &Path, error: &std::io::Error) -> ApiError {
        ApiError::io("写入", path, error)
    }

    fn io(action: &str, path: &Path, error: &std::io::Error) -> ApiError {
        let what = match error.kind() {
            std::io::ErrorKind::NotFound => "文件不存在".to_string(),
            std::io::ErrorKind::PermissionDenied => "没有访问权限".to_string(),
            std::io::ErrorKind::InvalidData => "文件不是 UTF-8 文本".to_string(),
            _ => error.to_string(),
        };
        ApiError::new(ErrorCode::Io, format!("无法{action} {}：{what}", path.display()))
    }
}

impl From<StoreError> for ApiError {
    fn from(error: StoreError) -> ApiError {
        let code = match &error {
            StoreError::TooNew { .. } => ErrorCode::DatabaseTooNew,
            StoreError::NotQuanze { .. } => ErrorCode::NotADatabase,
            StoreError::ReadOnly { .. } | StoreError::ReadOnlyNeedsUpgrade { .. } => ErrorCode::ReadOnly,
            StoreError::Open { .. } => ErrorCode::Io,
            StoreError::NotFound { .. } => ErrorCode::NotFound,
            StoreError::EditConflict { .. } => ErrorCode::EditConflict,
            StoreError::Invalid(_) | StoreError::BadBackup { .. } => ErrorCode::InvalidInput,
            StoreError::Io { .. } => ErrorCode::Io,
            StoreError::Denied { .. } => ErrorCode::PermissionDenied,
            StoreError::Sqlite(rusqlite_error) if is_constraint(rusqlite_error) => {
                return ApiError::new(
                    ErrorCode::InvalidInput,
                    "操作违反数据完整性：所引用的辖区、机构、清单或事项不存在，或仍被其他记录引用",
                );
            }
            StoreError::Sqlite(_) | StoreError::Server { .. } | StoreError::Corrupt { .. } => ErrorCode::Database,
        };
        ApiError::new(code, error.to_string())
    }
}

fn is_constraint(error: &quanze_store::SqliteError) -> bool {
    error.sqlite_error_code() == Some(quanze_store::SqliteErrorCode::ConstraintViolation)
}
