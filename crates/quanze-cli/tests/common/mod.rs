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
