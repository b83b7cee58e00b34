//! Backups and restore at the store: what a backup holds, which files a restore refuses, the
//! rotation of the automatic backups, and the backup taken before a migration.

use std::path::{Path, PathBuf};

use quanze_domain::{Bundle, Jurisdiction, Level};
use quanze_store::{
    backup_folder, list_backups, schema, BackupReason, Store, StoreError, KEEP_AUTOMATIC_BACKUPS,
};
use rusqlite::Connection;

fn district(name: &str) -> Bundle {
    Bundle {
        jurisdictions: vec![Jurisdiction::new(1, None, name, Level::District)],
        ..Bundle::default()
    }
}

fn store_with(dir: &Path, names: &[&str]) -> (PathBuf, Store) {
    let path = dir.join("权责.db");
    let mut store = Store::open(&path).expect("open");
    for name in names {
        store
            .write("测试", None, |w| w.load_bundle(&district(name)))
            .expect("load");
    }
    (path, store)
}

fn names(store: &Store) -> Vec<String> {
    store
        .reader()
        .dump()
        .expect("dump")
        .jurisdictions
        .into_iter()
        .map(|j| j.name)
        .collect()
}

fn integrity_ok(path: &Path) {
    let conn = Connection::open(path).expect("open");
    let result: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .expect("check");
    assert_eq!(result, "ok", "{}", path.display());
}

/// Guards: a backup is a whole, self-contained database (no -wal beside it), and restoring it
/// brings back exactly what it held, with an automatic 恢复前 backup of what was replaced.
#[test]
fn a_backup_restores_what_it_held_and_the_restore_can_be_undone() {
    let dir = tempfile::tempdir().expect("dir");
    let (_, mut store) = store_with(dir.path(), &["甲区"]);
    let out = dir.path().join("手动.db");
    let bytes = store.backup_to(&out).expect("backup");
    assert!(bytes > 0);
    assert!(
        !dir.path().join("手动.db-wal").exists(),
        "a backup is one file"
    );
    integrity_ok(&out);
    store
        .write("测试", None, |w| w.load_bundle(&district("乙区")))
        .expect("load");
    assert_eq!(names(&store), ["甲区", "乙区"]);

    let before = store
        .restore_from(&out)
        .expect("restore")
        .expect("a 恢复前 backup");
    assert_eq!(before.reason, BackupReason::BeforeRestore);
    assert_eq!(names(&store), ["甲区"]);
    // Another connection sees the restored content.
    assert_eq!(names(&Store::open(store.path()).expect("reopen")), ["甲区"]);

    store
        .restore_from(Path::new(&before.path))
        .expect("undo the restore");
    assert_eq!(names(&store), ["甲区", "乙区"]);
}

/// Guards: a file that is not a whole Quanze database this build can read is refused before
/// anything changes — no 恢复前 backup, the live content as it was.
#[test]
fn a_corrupt_foreign_truncated_or_newer_file_is_refused_and_nothing_changes() {
    let dir = tempfile::tempdir().expect("dir");
    let (path, mut store) = store_with(dir.path(), &["甲区"]);
    let good = dir.path().join("好.db");
    store.backup_to(&good).expect("backup");
    let bytes = std::fs::read(&good).expect("read");

    let truncated = dir.path().join("截断.db");
    std::fs::write(&truncated, &bytes[..bytes.len() / 2]).expect("write");
    let corrupt = dir.path().join("损坏.db");
    let mut damaged = bytes.clone();
    for b in &mut damaged[4096 + 200..4096 * 2] {
        *b = 0x5A;
    }
    std::fs::write(&corrupt, &damaged).expect("write");
    let text = dir.path().join("文本.db");
    std::fs::write(&text, "这不是数据库").expect("write");
    let empty = dir.path().join("空.db");
    std::fs::write(&empty, "").expect("write");
    let foreign = dir.path().join("别的.sqlite");
    Connection::open(&foreign)
        .expect("open")
        .execute_batch("CREATE TABLE t(x); INSERT INTO t VALUES (1);")
        .expect("foreign");
    let newer = dir.path().join("更新.db");
    std::fs::copy(&good, &newer).expect("copy");
    Connection::open(&newer)
        .expect("open")
        .pragma_update(None, "user_version", schema::SCHEMA_VERSION + 1)
        .expect("version");

    for file in [
        &truncated,
        &corrupt,
        &text,
        &empty,
        &foreign,
        &newer,
        &dir.path().join("没有.db"),
        &path,
    ] {
        let error = store.restore_from(file).expect_err("refused");
        let message = error.to_string();
        assert!(
            !message.is_empty() && !message.is_ascii(),
            "a Chinese message: {message}"
        );
        if file == &newer {
            assert!(matches!(error, StoreError::TooNew { .. }), "{error:?}");
        }
        if file == &foreign {
            assert!(matches!(error, StoreError::NotQuanze { .. }), "{error:?}");
        }
        assert_eq!(names(&store), ["甲区"], "{}", file.display());
    }
    assert!(
        list_backups(&path).expect("list").is_empty(),
        "no 恢复前 backup for a refused file"
    );
    integrity_ok(&path);
}

/// Guards: automatic backups keep the newest N and never delete a manual one; an empty or
/// in-memory database is not backed up.
#[test]
fn automatic_backups_keep_the_newest_and_never_a_manual_one() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("权责.db");
    let store = Store::open(&path).expect("open");
    assert_eq!(
        store
            .automatic_backup(BackupReason::BeforeImport)
            .expect("empty"),
        None
    );
    assert_eq!(
        Store::open_in_memory()
            .expect("memory")
            .automatic_backup(BackupReason::Scheduled)
            .expect("memory"),
        None
    );
    drop(store);
    let (path, store) = store_with(dir.path(), &["甲区"]);
    let manual = store
        .backup_into_folder(BackupReason::Manual)
        .expect("manual");
    let mut made = Vec::new();
    for _ in 0..KEEP_AUTOMATIC_BACKUPS + 3 {
        made.push(
            store
                .automatic_backup(BackupReason::BeforeLoad)
                .expect("backup")
                .expect("made")
                .path,
        );
    }
    let kept = list_backups(&path).expect("list");
    let automatic: Vec<_> = kept
        .iter()
        .filter(|b| b.reason != BackupReason::Manual)
        .map(|b| b.path.clone())
        .collect();
    made.reverse();
    assert_eq!(
        automatic,
        made[..KEEP_AUTOMATIC_BACKUPS],
        "the newest, newest first"
    );
    assert!(
        kept.iter().any(|b| b.path == manual.path),
        "the manual backup stays"
    );
    assert!(Path::new(&manual.path).starts_with(backup_folder(&path)));
    for backup in &kept {
        integrity_ok(Path::new(&backup.path));
    }
}

/// Guards: the scheduled backup is taken only when something changed since the newest one.
#[test]
fn the_scheduled_backup_is_taken_only_after_a_change() {
    let dir = tempfile::tempdir().expect("dir");
    let (_, mut store) = store_with(dir.path(), &["甲区"]);
    assert!(store.scheduled_backup().expect("first").is_some());
    assert_eq!(store.scheduled_backup().expect("unchanged"), None);
    store
        .write("测试", None, |w| w.load_bundle(&district("乙区")))
        .expect("load");
    let taken = store.scheduled_backup().expect("changed").expect("taken");
    assert_eq!(taken.reason, BackupReason::Scheduled);
}

/// Guards: an older non-empty database is backed up (迁移前) before its schema is migrated,
/// and the backup still holds the old version.
#[test]
fn an_older_database_is_backed_up_before_it_is_migrated() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("旧.db");
    {
        let conn = Connection::open(&path).expect("open");
        conn.execute_batch(schema::MIGRATIONS[0].sql)
            .expect("v1 schema");
        conn.pragma_update(None, "application_id", schema::APPLICATION_ID)
            .expect("id");
        conn.pragma_update(None, "user_version", 1)
            .expect("version");
        conn.execute(
            "INSERT INTO jurisdictions(id, name, level, doc) VALUES (1, '示例区', '区', '{}')",
            [],
        )
        .expect("row");
    }
    let store = Store::open(&path).expect("migrates");
    assert_eq!(
        store.schema_version().expect("version"),
        schema::SCHEMA_VERSION
    );
    let backups = list_backups(&path).expect("list");
    assert_eq!(backups.len(), 1, "{backups:?}");
    assert_eq!(backups[0].reason, BackupReason::BeforeMigration);
    let version: i32 = Connection::open(&backups[0].path)
        .expect("open")
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .expect("version");
    assert_eq!(version, 1);
    drop(store);
    assert_eq!(
        list_backups(&path).expect("list").len(),
        1,
        "no backup when nothing migrates"
    );
    let _ = Store::open(&path).expect("reopen");
    assert_eq!(list_backups(&path).expect("list").len(), 1);
}

/// Guards: `backup_to` never overwrites a file that is not a Quanze database, nor the live one.
#[test]
fn a_backup_never_overwrites_another_kind_of_file_or_the_database() {
    let dir = tempfile::tempdir().expect("dir");
    let (path, store) = store_with(dir.path(), &["甲区"]);
    let sheet = dir.path().join("报表.xlsx");
    std::fs::write(&sheet, b"PK not a database").expect("write");
    assert!(store.backup_to(&sheet).is_err());
    assert_eq!(std::fs::read(&sheet).expect("read"), b"PK not a database");
    assert!(store.backup_to(&path).is_err());
    let nowhere = store.backup_to(&dir.path().join("没有的文件夹").join("备份.db"));
    assert!(matches!(nowhere, Err(StoreError::Io { .. })), "{nowhere:?}");
    integrity_ok(&path);
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .expect("list")
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().ends_with(".partial"))
        .collect();
    assert!(leftovers.is_empty());
}
