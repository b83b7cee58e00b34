//! Paths the user types or picks in the app: where to save a notice or posters, which database
//! to open or create. They must be absolute: a relative path would land wherever the app
//! happened to be started, which the user cannot see. (The CLI takes relative paths: there the
//! working directory is the user's own.)

use std::path::{Path, PathBuf};

use crate::{ApiError, ErrorCode};

/// What a typed path is for, which decides the words of the refusal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TypedPath {
    /// A file or folder to write (a notice, the posters' folder).
    Output,
    /// A database file to open or create.
    Database,
}

/// The path the user typed, trimmed, or a refusal in Chinese when it is empty or relative.
pub fn absolute_typed_path(text: &str, purpose: TypedPath) -> Result<PathBuf, ApiError> {
    let path = PathBuf::from(text.trim());
    if !path.as_os_str().is_empty() && path.is_absolute() {
        return Ok(path);
    }
    let what = match purpose {
        TypedPath::Output => "请填写完整的保存位置",
        TypedPath::Database => "请填写数据库文件的完整路径",
    };
    let example = if cfg!(windows) { "如 D:\\公示\\清单.pdf" } else { "以 / 开头，如 /home/用户/公示" };
    Err(ApiError::invalid_input(format!("{what}（绝对路径，{example}）")))
}

/// A file the user typed the path of is not replaced without asking: `replace` says the user
/// was asked (or chose the path in the system's save dialog, which asks itself). Refused with
/// [`ErrorCode::FileExists`] otherwise, so that the window can ask and write again.
pub fn refuse_unasked_replace(path: &Path, replace: bool) -> Result<(), ApiError> {
    if replace || !path.exists() {
        return Ok(());
    }
    Err(ApiError::new(
        ErrorCode::FileExists,
        format!("已有文件 {}，要替换它吗？", path.display()),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_existing_file_is_replaced_only_when_asked() {
        let dir = tempfile::tempdir().expect("temporary folder");
        let path = dir.path().join("公示.pdf");
        assert_eq!(refuse_unasked_replace(&path, false), Ok(()), "a new file is written");
        std::fs::write(&path, b"old").expect("write");
        let Err(error) = refuse_unasked_replace(&path, false) else {
            panic!("an existing file was replaced without asking");
        };
        assert_eq!(error.code, ErrorCode::FileExists);
        assert!(error.message.contains("公示.pdf"), "{}", error.message);
        assert_eq!(refuse_unasked_replace(&path, true), Ok(()));
    }

    #[test]
    fn an_absolute_path_is_taken_trimmed() {
        let root = std::env::temp_dir();
        let typed = format!("  {}  ", root.join("公示.pdf").display());
        let path = absolute_typed_path(&typed, TypedPath::Output).ok();
        assert_eq!(path, Some(root.join("公示.pdf")));
    }

    #[test]
    fn an_empty_or_relative_path_is_refused_in_chinese() {
        for typed in ["", "   ", "公示.pdf", "./quanze.db"] {
            for purpose in [TypedPath::Output, TypedPath::Database] {
                let Err(error) = absolute_typed_path(typed, purpose) else {
                    panic!("{typed:?} was taken");
                };
                assert_eq!(error.code, ErrorCode::InvalidInput);
                assert!(error.message.contains("绝对路径"), "{}", error.message);
            }
        }
        let Err(error) = absolute_typed_path("q.db", TypedPath::Database) else {
            panic!("a relative database path was taken");
        };
        assert!(error.message.contains("数据库"), "{}", error.message);
    }
}
