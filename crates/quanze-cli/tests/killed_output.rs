//! Regression (issue 13, item 3): a notice killed while it is written never leaves a truncated
//! PDF under its name. The tester saw 6 of 8 killed runs leave a PDF without `%%EOF` when the
//! file was written in place; now it is written to a temporary file, synced and renamed, so the
//! name holds the earlier notice or a complete new one.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

fn quanze(db: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_quanze"));
    command.arg("--db").arg(db);
    command
}

fn notice_args(out: &Path) -> Vec<String> {
    ["notice", "--jurisdiction", "青溪街道", "--format", "pdf", "--out"]
        .into_iter()
        .map(str::to_string)
        .chain([out.to_string_lossy().into_owned()])
        .collect()
}

fn is_complete_pdf(bytes: &[u8]) -> bool {
    let tail = &bytes[bytes.len().saturating_sub(32)..];
    bytes.starts_with(b"%PDF-") && tail.windows(5).any(|w| w == b"%%EOF")
}

#[test]
fn a_notice_killed_midway_leaves_the_earlier_file_or_a_complete_one() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("区.db");
    let loaded = quanze(&db).arg("load-sample").output().expect("load");
    assert!(loaded.status.success(), "{}", String::from_utf8_lossy(&loaded.stderr));
    let out = dir.path().join("公示.pdf");
    let first = quanze(&db).args(notice_args(&out)).output().expect("notice");
    if !first.status.success() {
        // No Chinese font on this machine: the notice cannot be made at all (CI installs one).
        let message = String::from_utf8_lossy(&first.stderr);
        assert!(std::env::var_os("CI").is_none() && message.contains("字体"), "{message}");
        return;
    }
    let mut previous = std::fs::read(&out).expect("first notice");
    assert!(is_complete_pdf(&previous));
    let (mut untouched, mut replaced) = (0, 0);
    for delay in [30, 120, 300, 600, 1200] {
        let mut child = quanze(&db)
            .args(notice_args(&out))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn");
        std::thread::sleep(Duration::from_millis(delay));
        let _ = child.kill();
        let _ = child.wait();
        let now = std::fs::read(&out).expect("the notice is never missing once it existed");
        assert!(is_complete_pdf(&now), "killed after {delay} ms: a truncated PDF under the name");
        if now == previous {
            untouched += 1;
        } else {
            replaced += 1;
        }
        previous = now;
    }
    eprintln!("{untouched} kills left the earlier notice, {replaced} left a complete new one");
}
