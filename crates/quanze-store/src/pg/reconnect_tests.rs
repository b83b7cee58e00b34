//! A connection lost under an open store (the office's server restarted, the network
//! dropped, an administrator ended the session): the store opens a new one by itself where
//! nothing can be lost by it, and says so where something was. Each test ends the store's
//! session on the server with `pg_terminate_backend`, as a restart does (SQLSTATE 57P01).

use std::path::Path;

use super::test_database::TestDatabase;
use crate::tests::small_bundle;
use crate::Store;

fn open(url: &str) -> Store {
    Store::open(Path::new(url)).expect("open the server's database")
}

/// End the session of `store`'s connection from another connection, and wait until it is gone.
fn end_session_of(store: &Store, database: &TestDatabase) -> i32 {
    let pid = store.server_connection().expect("pid").expect("a server connection");
    let mut admin = database.client();
    let ended: bool = admin.query_one("SELECT pg_terminate_backend($1, 5000)", &[&pid]).expect("terminate").get(0);
    assert!(ended, "the session {pid} ended");
    pid
}

/// Regression: after the server ended the app's session, every read failed ("connection
/// closed") until the app was restarted. Now a read outside a transaction runs again on a new
/// connection, and a write begins on one.
#[test]
fn reads_and_writes_go_on_after_the_server_ended_the_session() {
    let Some(database) = TestDatabase::new("reconnect") else { return };
    let mut store = open(&database.url);
    store.write("测试", None, |w| w.load_bundle(&small_bundle())).expect("load");
    let before = store.reader().item(2).expect("item").item.name;

    let old = end_session_of(&store, &database);
    assert_eq!(store.reader().item(2).expect("the read after the session ended").item.name, before);
    let new = store.server_connection().expect("pid").expect("a server connection");
    assert_ne!(old, new, "a new session serves the store");

    end_session_of(&store, &database);
    store
        .write("测试", None, |w| {
            let mut record = w.reader().item(2)?;
            record.item.name = "断线后改的名称".into();
            w.put(&mut record)
        })
        .expect("the write after the session ended");
    assert_eq!(open(&database.url).reader().item(2).expect("item").item.name, "断线后改的名称");
}

/// A connection lost in the middle of a write takes the write with it: the store must not go
/// on with the rest on a new connection (the first half is gone), but fail it in words a clerk
/// reads — and the next write works.
#[test]
fn a_write_whose_connection_is_lost_midway_fails_in_chinese_and_the_next_one_works() {
    let Some(database) = TestDatabase::new("reconnect_midway") else { return };
    let mut store = open(&database.url);
    store.write("测试", None, |w| w.load_bundle(&small_bundle())).expect("load");
    let pid = store.server_connection().expect("pid").expect("a server connection");
    let url = database.url.clone();
    let failed = store
        .write("测试", None, |w| {
            let mut record = w.reader().item(2)?;
            record.item.name = "只写了一半".into();
            w.put(&mut record)?;
            let mut admin = postgres::Client::connect(&url, postgres::NoTls).expect("admin");
            admin.execute("SELECT pg_terminate_backend($1, 5000)", &[&pid]).expect("terminate");
            let mut other = w.reader().item(3)?;
            other.item.name = "后一半".into();
            w.put(&mut other)
        })
        .expect_err("the write lost its connection");
    let message = failed.to_string();
    assert!(message.contains("与服务器的连接已断开"), "{message}");
    let now = open(&database.url);
    assert_ne!(now.reader().item(2).expect("item").item.name, "只写了一半", "nothing of the lost write was kept");
    store
        .write("测试", None, |w| {
            let mut record = w.reader().item(3)?;
            record.item.name = "重连后改的名称".into();
            w.put(&mut record)
        })
        .expect("the next write");
    assert_eq!(now.reader().item(3).expect("item").item.name, "重连后改的名称");
}
