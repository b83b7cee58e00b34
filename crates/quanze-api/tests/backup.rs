//! Backups through the api: the automatic ones before a load and an import, and a restore that
//! gives back every entity.

use std::path::Path;

use quanze_api::{Api, BackupReason, ErrorCode, ImportOptions};

fn reasons(api: &Api) -> Vec<BackupReason> {
    api.backups()
        .expect("backups")
        .iter()
        .map(|b| b.reason)
        .collect()
}

/// Guards: a backup of the sample district, restored over a changed database, gives back every
/// entity (the whole dump is equal), and the 恢复前 backup undoes the restore.
#[test]
fn backup_then_restore_returns_every_entity() {
    let dir = tempfile::tempdir().expect("dir");
    let mut api = Api::open(&dir.path().join("区.db")).expect("open");
    api.load_sample_district("测试").expect("load");
    let before = api.dump().expect("dump");
    let manual = api.backup_now(None).expect("backup");
    assert_eq!(manual.reason, BackupReason::Manual);

    api.load_bundle_text(
        "format: quanze-bundle\nformat_version: 1\njurisdictions:\n  - id: 1\n    name: 新区\n    level: 区\n",
        "新区.yaml",
        "测试",
    )
    .expect("second load");
    let changed = api.dump().expect("dump");
    assert_ne!(changed, before);

    let outcome = api
        .restore_backup(Path::new(&manual.path))
        .expect("restore");
    assert_eq!(api.dump().expect("dump"), before, "every entity as it was");
    let previous = outcome.previous.expect("a 恢复前 backup");
    assert_eq!(previous.reason, BackupReason::BeforeRestore);

    api.restore_backup(Path::new(&previous.path)).expect("undo");
    assert_eq!(api.dump().expect("dump"), changed);
    assert!(api.search("新区", 10).is_ok());
}

/// Guards: a load or an import into a database with content backs it up first (载入前,
/// 导入前); into an empty one, or a dry run, takes none.
#[test]
fn a_load_and_an_import_back_up_a_database_with_content_first() {
    let dir = tempfile::tempdir().expect("dir");
    let mut api = Api::open(&dir.path().join("区.db")).expect("open");
    api.load_bundle_text(
        "format: quanze-bundle\nformat_version: 1\njurisdictions:\n  - id: 1\n    name: 甲区\n    level: 区\n",
        "甲.yaml",
        "测试",
    )
    .expect("first load");
    assert!(
        reasons(&api).is_empty(),
        "an empty database is not backed up"
    );
    api.load_bundle_text(
        "format: quanze-bundle\nformat_version: 1\njurisdictions:\n  - id: 1\n    name: 乙区\n    level: 区\n",
        "乙.yaml",
        "测试",
    )
    .expect("second load");
    assert_eq!(reasons(&api), [BackupReason::BeforeLoad]);

    let csv = dir.path().join("表.csv");
    std::fs::write(
        &csv,
        "序号,事项名称,权力类型\n1,对违法排污的处罚,行政处罚\n",
    )
    .expect("write");
    let options = ImportOptions {
        jurisdiction: Some("甲区".into()),
        ..ImportOptions::default()
    };
    let dry = ImportOptions {
        dry_run: true,
        ..options.clone()
    };
    api.import_files(
        std::slice::from_ref(&csv),
        &dry,
        "测试")
    .expect("dry run");
    assert_eq!(
        reasons(&api).len(),
        1,
        "a dry run writes nothing, so no backup"
    );
    api.import_files(
        &[csv],
        &options,
        "测试")
    .expect("import");
    assert_eq!(
        reasons(&api),
        [BackupReason::BeforeImport, BackupReason::BeforeLoad]
    );
}

/// Guards: the api refuses a file that is no Quanze backup with a user error and a Chinese
/// message, and the database is unchanged.
#[test]
fn a_foreign_file_is_refused_as_a_user_error() {
    let dir = tempfile::tempdir().expect("dir");
    let mut api = Api::open(&dir.path().join("区.db")).expect("open");
    api.load_bundle_text(
        "format: quanze-bundle\nformat_version: 1\njurisdictions:\n  - id: 1\n    name: 甲区\n    level: 区\n",
        "甲.yaml",
        "测试",
    )
    .expect("load");
    let before = api.dump().expect("dump");
    let text = dir.path().join("说明.txt");
    std::fs::write(&text, "不是数据库").expect("write");
    let error = api.restore_backup(&text).expect_err("refused");
    assert!(error.code.is_user_error(), "{error:?}");
    assert!(error.message.contains("说明.txt"), "{}", error.message);
    assert_eq!(api.dump().expect("dump"), before);
    let missing = api
        .restore_backup(&dir.path().join("没有.db"))
        .expect_err("refused");
    assert_eq!(missing.code, ErrorCode::Io);
}
