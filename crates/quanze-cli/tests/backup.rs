//! `quanze backup`, `backups` and `restore` from the outside, and the promise that matters
//! most: a `quanze backup --out X` killed at any moment leaves at X either nothing, the earlier
//! file, or a complete verified backup — never a truncated one — and the live database intact.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use rusqlite::Connection;

fn quanze_command(db: &Path, args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_quanze"));
    command
        .arg("--db")
        .arg(db)
        .arg("--actor")
        .arg("测试员")
        .args(args);
    command
}

fn quanze(db: &Path, args: &[&str]) -> Output {
    quanze_command(db, args).output().expect("run quanze")
}

fn ok(output: Output) -> String {
    let text = String::from_utf8_lossy(&output.stdout).into_owned();
    assert_eq!(
        output.status.code(),
        Some(0),
        "stdout: {text}\nstderr: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    text
}

fn fixture() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/every-kind.yaml")
}

fn path_str(path: &Path) -> &str {
    path.to_str().expect("utf-8 path")
}

/// `PRAGMA integrity_check` of a file (or `quick_check`), and its Quanze application id.
fn check(path: &Path, pragma: &str) -> (String, i32) {
    let conn = Connection::open(path).expect("open");
    let result: String = conn
        .query_row(&format!("PRAGMA {pragma}"), [], |r| r.get(0))
        .expect("check");
    let id: i32 = conn
        .query_row("PRAGMA application_id", [], |r| r.get(0))
        .expect("id");
    (result, id)
}

/// Guards: `backup`, `backups` and `restore` as a clerk uses them: a restore without `--yes`
/// changes nothing and says so (exit 1), with `--yes` brings the backup back and keeps a
/// 恢复前 backup; `--json` lists time, reason, size and path.
#[test]
fn backup_list_and_restore_from_the_command_line() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("q.db");
    ok(quanze(&db, &["load", path_str(&fixture())]));
    let dump = ok(quanze(&db, &["dump"]));
    let text = ok(quanze(&db, &["backup"]));
    assert!(
        text.contains("已备份") && text.contains("q.db.备份"),
        "{text}"
    );
    let more = dir.path().join("more.yaml");
    let bundle = "format: quanze-bundle\nformat_version: 1\njurisdictions:\n  - id: 1\n    name: 新区\n    level: 区\n";
    std::fs::write(&more, bundle).expect("write");
    ok(quanze(&db, &["load", path_str(&more)]));
    assert_ne!(ok(quanze(&db, &["dump"])), dump);

    let listed: serde_json::Value =
        serde_json::from_str(&ok(quanze(&db, &["backups", "--json"]))).expect("json");
    let listed = listed.as_array().expect("array");
    let reasons: Vec<&str> = listed.iter().filter_map(|b| b["reason"].as_str()).collect();
    assert_eq!(reasons, ["载入前", "手动"], "{listed:?}");
    for key in ["path", "file_name", "created_at", "reason", "bytes"] {
        assert!(listed[0].get(key).is_some(), "{key}: {}", listed[0]);
    }
    let manual = listed[1]["path"].as_str().expect("path").to_string();

    let refused = quanze(&db, &["restore", &manual]);
    assert_eq!(refused.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("--yes"));
    assert_ne!(
        ok(quanze(&db, &["dump"])),
        dump,
        "nothing restored without --yes"
    );

    let text = ok(quanze(&db, &["restore", &manual, "--yes"]));
    assert!(text.contains("恢复前的内容已备份到"), "{text}");
    assert_eq!(ok(quanze(&db, &["dump"])), dump);
    assert!(ok(quanze(&db, &["backups"])).contains("恢复前"));

    let junk = dir.path().join("junk.db");
    std::fs::write(&junk, "不是数据库").expect("write");
    let refused = quanze(&db, &["restore", path_str(&junk), "--yes"]);
    assert_eq!(refused.status.code(), Some(1));
    assert_eq!(ok(quanze(&db, &["dump"])), dump);
}

/// A database of about 120 MB: the fixture, plus audit entries of incompressible text written
/// straight into the file (test data only; the app writes through the audited path).
fn big_database(dir: &Path) -> PathBuf {
    let db = dir.join("big.db");
    ok(quanze(&db, &["load", path_str(&fixture())]));
    let conn = Connection::open(&db).expect("open");
    conn.execute_batch(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 15000)
         INSERT INTO audit_log(at, actor, action, entity, entity_id, label, before, after, reason)
         SELECT '2026-01-01T00:00:00+08:00', '测试', '修改', '辖区', 1, '填充',
                json_object('填充', hex(randomblob(4000))), NULL, '测试数据' FROM n;",
    )
    .expect("fill");
    drop(conn);
    db
}

/// Guards (issue 13): a kill during `quanze backup --out X` never leaves a truncated file
/// under X: X is the earlier backup, untouched, or a complete verified new one; the live
/// database passes integrity_check after every kill.
#[cfg(unix)]
#[test]
fn a_backup_killed_midway_leaves_the_earlier_file_or_a_complete_one() {
    let started = Instant::now();
    let dir = tempfile::tempdir().expect("dir");
    let small = dir.path().join("small.db");
    ok(quanze(&small, &["load", path_str(&fixture())]));
    let out = dir.path().join("X.db");
    ok(quanze(&small, &["backup", "--out", path_str(&out)]));
    let earlier = std::fs::read(&out).expect("earlier");
    let db = big_database(dir.path());
    let live_size = std::fs::metadata(&db).expect("size").len();
    assert!(live_size > 100_000_000, "{live_size}");

    // No file at the name before: after a kill there is none, or a complete one.
    let fresh = dir.path().join("Y.db");
    let mut child = quanze_command(&db, &["backup", "--out", path_str(&fresh)])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn");
    std::thread::sleep(Duration::from_millis(150));
    let _ = child.kill();
    let _ = child.wait();
    if fresh.exists() {
        assert_eq!(
            check(&fresh, "quick_check"),
            ("ok".to_string(), 0x515A_4531)
        );
    }

    // From a kill long before the rename to one after the backup finished (about 0.7 s alone).
    let (mut untouched, mut replaced) = (0, 0);
    let mut previous = earlier;
    for delay in [20, 100, 300, 600, 1000, 2500] {
        let mut child = quanze_command(&db, &["backup", "--out", path_str(&out)])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn");
        std::thread::sleep(Duration::from_millis(delay));
        // SIGKILL: no destructor, no cleanup runs.
        let _ = child.kill();
        let _ = child.wait();
        let now = std::fs::read(&out).expect("X is never missing once it existed");
        if now == previous {
            untouched += 1;
        } else {
            replaced += 1;
            assert!(
                now.len() as u64 > live_size / 2,
                "the new backup is the big database"
            );
        }
        let good = ("ok".to_string(), 0x515A_4531);
        assert_eq!(
            check(&out, "quick_check"),
            good,
            "X after a kill at {delay} ms"
        );
        assert_eq!(
            check(&db, "integrity_check"),
            good,
            "live database after {delay} ms"
        );
        previous = now;
    }
    assert!(
        untouched > 0,
        "at least one kill landed midway (untouched {untouched}, replaced {replaced})"
    );
    assert!(
        started.elapsed() < Duration::from_secs(60),
        "took {:?}",
        started.elapsed()
    );
    eprintln!("kill during backup: {untouched} left the earlier file, {replaced} a complete new one, {:?}", started.elapsed());
}
