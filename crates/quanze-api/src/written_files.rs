//! Opening what Quanze wrote (打开 / 打开所在文件夹 beside an exported notice or posters) in
//! the system's own program, from which the user prints.
//!
//! Only a file written in this session may be opened: the window asks for a path, and a window
//! that could make the app open any path would be a way to run whatever a file association
//! starts. [`WrittenFiles`] remembers the paths the exports returned; [`WrittenFiles::open`]
//! refuses any other.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use crate::{ApiError, ErrorCode};

/// The files this session wrote (notices, posters).
#[derive(Debug, Default)]
pub struct WrittenFiles(Mutex<HashSet<PathBuf>>);

impl WrittenFiles {
    /// Remember files an export has just written.
    pub fn remember(&self, paths: impl IntoIterator<Item = PathBuf>) {
        if let Ok(mut written) = self.0.lock() {
            written.extend(paths);
        }
    }

    /// Whether `path` may be opened: refused unless this session wrote it.
    pub fn check(&self, path: &Path) -> Result<(), ApiError> {
        let written = self
            .0
            .lock()
            .map_err(|_| ApiError::new(ErrorCode::Internal, "导出文件的记录因先前的错误不可用，请重启程序"))?;
        if written.contains(path) {
            Ok(())
        } else {
            Err(ApiError::invalid_input(format!("只能打开本次导出的文件：{}", path.display())))
        }
    }

    /// Open `path` — or, with `folder`, the folder holding it — in the system's program, once
    /// [`WrittenFiles::check`] allows it.
    pub fn open(&self, path: &Path, folder: bool) -> Result<(), ApiError> {
        self.check(path)?;
        let target = if folder { path.parent().unwrap_or(path) } else { path };
        open_with_system_program(target)
    }
}

/// Hand `target` to the desktop's opener (xdg-open, explorer, open) without waiting for it.
fn open_with_system_program(target: &Path) -> Result<(), ApiError> {
    let program = if cfg!(windows) {
        "explorer"
    } else if cfg!(target_os = "macos") {
        "open"
    } else {
        "xdg-open"
    };
    let mut child = std::process::Command::new(program)
        .arg(target)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .map_err(|error| {
            ApiError::new(ErrorCode::Io, format!("无法用系统程序打开 {}（{program}）：{error}", target.display()))
        })?;
    // Reap it when it ends, so no zombie is left behind.
    std::thread::spawn(move || {
        let _ = child.wait();
    });
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_files_written_in_this_session_may_be_opened() {
        let written = WrittenFiles::default();
        written.remember([PathBuf::from("/tmp/导出/公示.pdf")]);
        assert!(written.check(Path::new("/tmp/导出/公示.pdf")).is_ok());
        let refused = written.check(Path::new("/etc/passwd"));
        assert!(matches!(refused, Err(ref e) if e.code == ErrorCode::InvalidInput), "{refused:?}");
        assert!(written.check(Path::new("/tmp/导出/公示.pdf.bak")).is_err());
        assert!(written.open(Path::new("/etc/passwd"), true).is_err(), "nor its folder");
    }
}
