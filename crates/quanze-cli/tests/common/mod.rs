//! Running the built `quanze` from the CLI's integration tests: one copy of the helpers every
//! test file needs (`mod common;`), so that they run the binary and read its answer alike.

#![allow(dead_code)] // each test file uses the part it needs

use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;

/// `quanze --db DB --actor 测试员 ARGS…`, run to its end.
pub fn quanze(db: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_quanze"))
        .arg("--db")
        .arg(db)
        .arg("--actor")
        .arg("测试员")
        .args(args)
        .output()
        .expect("run quanze")
}

pub fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Its stdout, after asserting it exited 0 (both streams shown when not).
pub fn ok(output: Output) -> String {
    assert_eq!(output.status.code(), Some(0), "stdout: {}\nstderr: {}", stdout(&output), stderr(&output));
    stdout(&output)
}

/// Its stdout as JSON, after asserting it exited 0.
pub fn json(output: Output) -> Value {
    let text = ok(output);
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
}

/// A new database in a temporary folder with the sample district loaded (the folder lives as
/// long as the first value).
pub fn sample_db() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("sample.db");
    ok(quanze(&db, &["load-sample"]));
    (dir, db)
}

/// The id of the list named `name`, as `lists --json` gives it.
pub fn list_id(db: &Path, name: &str) -> u64 {
    json(quanze(db, &["lists", "--json"]))
        .as_array()
        .and_then(|ls| ls.iter().find(|l| l["name"] == name))
        .and_then(|l| l["id"].as_u64())
        .unwrap_or_else(|| panic!("the database has the list {name}"))
}

/// The items of list `list` in their order, as `dump --format json` gives them (none when the
/// list is not there).
pub fn list_items(db: &Path, list: u64) -> Vec<Value> {
    let dump = json(quanze(db, &["dump", "--format", "json"]));
    dump["lists"]
        .as_array()
        .and_then(|ls| ls.iter().find(|l| l["id"].as_u64() == Some(list)))
        .and_then(|l| l["items"].as_array())
        .cloned()
        .unwrap_or_default()
}
