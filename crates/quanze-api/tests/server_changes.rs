//! 连接服务器… and other people's changes reaching the open app (issue 19), on the PostgreSQL
//! server `QUANZE_TEST_PG` names (without it each test says so and passes, except under
//! `CI=true`, where it fails).
//!
//! - `Api::connect_server` opens a database from the dialog's fields (the password travels in
//!   the URL the api builds); a missing database and a database of another program are refused
//!   in Chinese with their codes.
//! - `Api::server_changes`, the feed the desktop shell loops over: another account's edit of an
//!   item arrives as a change of its list under that account, not marked `mine`; the app's own
//!   edit arrives marked `mine`; a file has no feed.

mod backends;

use std::time::{Duration, Instant};

use backends::{two_lists_bundle, TestDatabase, ITEM, LIST, OTHER_ITEM, OTHER_LIST};
use quanze_api::{Api, EditBatch, ErrorCode, FieldRef, ItemEdit, ItemField, ServerChange};
use quanze_domain::Id;

fn rename(item: Id, list: Id, to: &str) -> EditBatch {
    EditBatch {
        list,
        reason: "修改事项名称".into(),
        edits: vec![ItemEdit::Set {
            item,
            field: FieldRef::Standard(ItemField::Name),
            value: to.to_string(),
            was: None,
        }],
    }
}

/// Everything the feed says until `enough` holds of it, or 10 s pass.
fn heard_until(changes: &mut quanze_api::ServerChanges, enough: impl Fn(&[ServerChange]) -> bool) -> Vec<ServerChange> {
    let mut heard = Vec::new();
    let start = Instant::now();
    while !enough(&heard) && start.elapsed() < Duration::from_secs(10) {
        heard.extend(changes.next(Duration::from_millis(200)).expect("the feed"));
    }
    heard
}

#[test]
fn another_accounts_edit_reaches_the_app_and_its_own_is_marked_mine() {
    let Some(mut database) = TestDatabase::new("feed") else { return };
    // The owner (the test cluster's superuser) connects as the dialog would and fills the
    // database; then a 编办 account of its own for 张三.
    let mut app = Api::connect_server(&database.login(&database.admin_user, "任意密码")).expect("connect as the owner");
    app.load_bundle_text(&two_lists_bundle(), "fixture", "测试").expect("load");
    let zhang = database.add_account("zhang", "quanze_bianban");
    let mut other = Api::connect_server(&database.login(&zhang, "")).expect("connect as 张三");

    let mut changes = app.server_changes().expect("listen").expect("a server has a feed");
    assert_eq!(changes.account(), database.admin_user);

    other.edit(&rename(ITEM, LIST, "张三改的名称"), "张三").expect("张三's edit");
    let heard = heard_until(&mut changes, |h| h.iter().any(|c| c.table == "items"));
    let expected = ServerChange { table: "items".into(), ids: Some(vec![LIST]), by: zhang.clone(), mine: false };
    assert!(heard.contains(&expected), "{heard:?}");

    app.edit(&rename(OTHER_ITEM, OTHER_LIST, "自己改的名称"), "测试").expect("the app's own edit");
    let heard = heard_until(&mut changes, |h| h.iter().any(|c| c.mine));
    let own = ServerChange { table: "items".into(), ids: Some(vec![OTHER_LIST]), by: database.admin_user.clone(), mine: true };
    assert!(heard.contains(&own), "{heard:?}");
    assert!(heard.iter().all(|c| c.mine), "nobody else wrote: {heard:?}");

    assert!(Api::open_in_memory().expect("memory").server_changes().expect("no error").is_none(), "a file has no feed");
}

/// The same account logged in on two computers: the other computer's edit is not the app's
/// own, so the window reads it. Regression: changes were told apart by account only, and the
/// second computer's edit was marked `mine` and never shown.
#[test]
fn the_same_account_on_another_computer_is_not_mine() {
    let Some(database) = TestDatabase::new("same_account") else { return };
    let login = database.login(&database.admin_user, "任意密码");
    let mut app = Api::connect_server(&login).expect("connect");
    app.load_bundle_text(&two_lists_bundle(), "fixture", "测试").expect("load");
    let mut second_computer = Api::connect_server(&login).expect("the same account again");
    let mut changes = app.server_changes().expect("listen").expect("a server has a feed");

    second_computer.edit(&rename(ITEM, LIST, "另一台电脑改的名称"), "测试").expect("the other computer's edit");
    let heard = heard_until(&mut changes, |h| h.iter().any(|c| c.table == "items"));
    let expected = ServerChange { table: "items".into(), ids: Some(vec![LIST]), by: database.admin_user.clone(), mine: false };
    assert!(heard.contains(&expected), "{heard:?}");

    app.edit(&rename(OTHER_ITEM, OTHER_LIST, "本机改的名称"), "测试").expect("this computer's edit");
    let heard = heard_until(&mut changes, |h| h.iter().any(|c| c.table == "items"));
    assert!(heard.iter().all(|c| c.mine), "this computer's own edit: {heard:?}");
}

#[test]
fn connecting_to_a_missing_or_foreign_database_says_why() {
    let Some(database) = TestDatabase::new("refusals") else { return };
    let mut missing = database.login(&database.admin_user, "");
    missing.address.database = format!("{}_missing", database.name);
    let error = Api::connect_server(&missing).expect_err("no such database");
    assert_eq!(error.code, ErrorCode::NotFound);
    assert!(error.message.contains(&format!("上没有数据库「{}_missing」", database.name)), "{}", error.message);

    database.client().batch_execute("CREATE TABLE payroll (id integer)").expect("another program's table");
    let error = Api::connect_server(&database.login(&database.admin_user, "")).expect_err("not Quanze's");
    assert_eq!(error.code, ErrorCode::NotADatabase);
    assert!(error.message.contains("不是 Quanze 数据库"), "{}", error.message);
}
