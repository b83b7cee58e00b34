//! A database opened read-only (issue 13, item 8): reads work, every write is refused with
//! `StoreError::ReadOnly`, and one that would need migrating says so instead of failing later.
//! (Whether `Store::open` falls back to this on a write-protected file is tested through the
//! CLI as an unprivileged user: root ignores file permissions.)

use quanze_domain::{Bundle, Jurisdiction, Level};
use quanze_store::{Access, Store, StoreError};

fn saved(dir: &std::path::Path) -> std::path::PathBuf {
    let path = dir.join("区.db");
    let mut store = Store::open(&path).expect("create");
    let mut bundle = Bundle::default();
    bundle
        .jurisdictions
        .push(Jurisdiction::new(1, None, "青川区", Level::District));
    store
        .write("测试", None, |w| w.load_bundle(&bundle))
        .expect("load");
    path
}

#[test]
fn a_read_only_store_reads_and_refuses_every_write() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = saved(dir.path());
    let mut store = Store::open_read_only(&path).expect("open read-only");
    assert_eq!(store.access(), Access::ReadOnly);
    assert_eq!(store.reader().dump().expect("dump").jurisdictions.len(), 1);

    let refused = store.write("测试", None, |w| w.load_bundle(&Bundle::default()));
    assert!(
        matches!(refused, Err(StoreError::ReadOnly { .. })),
        "{refused:?}"
    );
    assert!(store.reader().search("示例", 10).is_ok(), "search writes nothing, so it works read-only");
    assert!(Store::open(&path).expect("reopen").access() == Access::ReadWrite);
}

#[test]
fn a_read_only_store_that_needs_migrating_says_so() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = saved(dir.path());
    rusqlite::Connection::open(&path)
        .expect("raw")
        .pragma_update(None, "user_version", 1)
        .expect("pretend an old schema");
    match Store::open_read_only(&path) {
        Err(error @ StoreError::ReadOnlyNeedsUpgrade { .. }) => {
            assert!(error.to_string().contains("复制到可写的文件夹"), "{error}")
        }
        other => panic!("expected ReadOnlyNeedsUpgrade, got {other:?}"),
    }
}

#[test]
fn a_read_only_open_of_a_foreign_file_is_refused_as_foreign() {
    let dir = tempfile::tempdir().expect("tempdir");
    let text = dir.path().join("notes.db");
    std::fs::write(&text, "这不是数据库".repeat(200)).expect("write");
    assert!(matches!(
        Store::open_read_only(&text),
        Err(StoreError::NotQuanze { .. })
    ));
}

#[test]
fn a_read_only_store_takes_no_automatic_backup_and_refuses_a_restore_as_read_only() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = saved(dir.path());
    let copy = dir.path().join("副本.db");
    Store::open(&path).expect("open").backup_to(&copy).expect("backup");
    let mut store = Store::open_read_only(&path).expect("open read-only");
    let backup = store.automatic_backup(quanze_store::BackupReason::BeforeImport);
    assert!(matches!(backup, Ok(None)), "{backup:?}");
    assert!(matches!(store.scheduled_backup(), Ok(None)));
    let refused = store.restore_from(&copy);
    assert!(matches!(refused, Err(StoreError::ReadOnly { .. })), "{refused:?}");
    assert!(!quanze_store::backup_folder(&path).exists(), "no backup folder was made");
}
