//! Opening and creating database files the way the app's 文件 menu does.

use quanze_api::{Api, ErrorCode};

#[test]
fn open_existing_refuses_a_missing_file_instead_of_creating_it() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("typo.db");
    let error = Api::open_existing(&path).expect_err("a missing file is an error");
    assert_eq!(error.code, ErrorCode::NotFound);
    assert!(error.message.contains("找不到数据库文件"), "{}", error.message);
    assert!(!path.exists(), "nothing was created");
}

#[test]
fn open_existing_refuses_a_file_that_is_not_a_database() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("notes.db");
    std::fs::write(&path, "这不是数据库，只是一段文字。".repeat(100)).expect("write");
    let error = Api::open_existing(&path).expect_err("not a database");
    assert_eq!(error.code, ErrorCode::NotADatabase);
}

#[test]
fn create_new_makes_an_empty_database_and_refuses_an_existing_file() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("新库.db");
    let mut api = Api::create_new(&path).expect("created");
    assert!(api.overview().expect("overview").empty);
    api.load_sample_district("测试").expect("sample");
    drop(api);

    let error = Api::create_new(&path).expect_err("exists");
    assert_eq!(error.code, ErrorCode::InvalidInput);
    assert!(error.message.contains("文件已存在"), "{}", error.message);
    let reopened = Api::open_existing(&path).expect("opens");
    assert!(!reopened.overview().expect("overview").empty, "the data survived the refusal");
}
