//! Files written whole or not at all. A notice, a poster, a chart, the recent-files list: each
//! is written to a temporary file beside its final name, flushed to disk, then renamed over it.
//! A process killed mid-write, a full disk or any error leaves the earlier file as it was and
//! no truncated file under the final name (a rename within one folder is atomic).

use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};

/// The temporary name beside `path`: hidden, unique to this process, never a final name.
fn partial_path(path: &Path) -> PathBuf {
    let name = path.file_name().map_or_else(|| "file".into(), |n| n.to_string_lossy().into_owned());
    path.with_file_name(format!(".{name}.{}.partial", std::process::id()))
}

/// Write `path` through `write`, atomically. On any failure the temporary file is removed and
/// `path` is untouched.
pub fn write_atomically(path: &Path, write: impl FnOnce(&mut File) -> std::io::Result<()>) -> std::io::Result<()> {
    let partial = partial_path(path);
    let result = (|| {
        let mut file = File::create(&partial)?;
        write(&mut file)?;
        file.flush()?;
        file.sync_all()?;
        drop(file);
        std::fs::rename(&partial, path)?;
        // The rename itself reaches the disk with the folder.
        if let Some(folder) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            if let Ok(dir) = File::open(folder) {
                let _ = dir.sync_all();
            }
        }
        Ok(())
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&partial);
    }
    result
}

/// [`write_atomically`] of a byte buffer.
pub fn write_bytes_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    write_atomically(path, |file| file.write_all(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Regression (issue 13, item 3): notices were written in place, so a kill or a full disk
    /// left a truncated PDF under the final name, over a good earlier one.
    #[test]
    fn a_failed_write_leaves_the_earlier_file_and_no_partial_one() {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("公示.pdf");
        write_bytes_atomically(&path, b"%PDF-1.7 good %%EOF").expect("first");
        let failed = write_atomically(&path, |file| {
            file.write_all(b"%PDF-1.7 half")?;
            Err(std::io::Error::other("disk full"))
        });
        assert!(failed.is_err());
        assert_eq!(std::fs::read(&path).expect("read"), b"%PDF-1.7 good %%EOF");
        let left: Vec<_> = std::fs::read_dir(dir.path()).expect("list").map(|e| e.expect("entry").file_name()).collect();
        assert_eq!(left.len(), 1, "only the final file: {left:?}");
        write_bytes_atomically(&path, b"%PDF-1.7 new %%EOF").expect("replace");
        assert_eq!(std::fs::read(&path).expect("read"), b"%PDF-1.7 new %%EOF");
    }
}
