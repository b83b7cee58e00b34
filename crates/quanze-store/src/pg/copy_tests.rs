//! `quanze migrate` on a real server: a file with the sample district and a history of edits
//! moved to PostgreSQL and back into a file gives the same tables, row for row, the same
//! dump and the same audit log; the server's id sequences continue past the copied ids; an
//! account that row-level security limits may not copy.

use std::path::Path;

use quanze_domain::Item;

use super::test_database::TestDatabase;
use crate::{ItemRecord, ItemRun, Store, StoreError};

/// The sample district and a few edits of each kind (an update, a deletion, a run of new items).
fn file_with_history() -> Store {
    let mut store = Store::open_in_memory().expect("file");
    let sample = quanze_sample_gen::generate().bundle;
    store.write("王芳", Some("载入示例"), |w| w.load_bundle(&sample)).expect("load");
    let list = store.reader().lists().expect("lists").iter().find(|l| l.id % 3 == 1).expect("a list").id;
    let records = store.reader().list_item_records(list).expect("items");
    let (first, last) = (records[0].item.id, records[records.len() - 1].item.id);
    let end = u32::try_from(records.len()).expect("count");
    store
        .write("李明", Some("修订"), |w| {
            let mut record: ItemRecord = w.reader().item(first)?;
            record.item.name.push_str("（修订）");
            w.put(&mut record)?;
            w.delete::<ItemRecord>(last)?;
            let added: Vec<Item> = (0..5).map(|n| Item { name: format!("新增事项{n}"), ..Item::default() }).collect();
            let run = ItemRun { source: "导入 测试.xlsx".into(), details: Vec::new() };
            w.insert_items(list, end, &added, &run)
        })
        .expect("edits");
    store
}

fn json(value: &impl serde::Serialize) -> serde_json::Value {
    serde_json::to_value(value).expect("json")
}

#[test]
fn a_file_moved_to_the_server_and_back_is_the_same_row_for_row() {
    let Some(database) = TestDatabase::new("copy_round_trip") else { return };
    let original = file_with_history();
    let mut server = Store::open(Path::new(&database.url)).expect("server");
    let there = original.copy_into(&mut server, &mut |_, _| {}).expect("file → server");
    let mut back = Store::open_in_memory().expect("file");
    let returned = server.copy_into(&mut back, &mut |_, _| {}).expect("server → file");

    assert_eq!(there.tables, returned.tables, "every table's rows and digest, the same on the way back");
    assert!(there.tables.iter().any(|t| t.table == "audit_log" && t.rows >= 2));
    assert_eq!(json(&original.reader().dump().expect("dump")), json(&back.reader().dump().expect("dump")));
    assert_eq!(json(&original.reader().dump().expect("dump")), json(&server.reader().dump().expect("dump")));
    let log = |store: &Store| json(&store.reader().audit_log(u32::MAX, None).expect("log"));
    assert_eq!(log(&original), log(&back), "the history with its actors and times");
    assert_eq!(log(&original), log(&server));

    // New rows on the server get ids past the copied ones.
    let list = server.reader().lists().expect("lists")[0].id;
    let largest = original.reader().all_items().expect("items").iter().map(|r| r.item.id).max().expect("items");
    let mut added = ItemRecord { list, position: 10_000, item: Item { name: "迁移后新增".into(), ..Item::default() } };
    let id = server.write("王芳", None, |w| w.put(&mut added)).expect("a new item after the move");
    assert!(id > largest, "{id} after {largest}");
}

#[test]
fn only_the_owner_of_the_tables_may_copy_a_server_database() {
    let Some(database) = TestDatabase::new("copy_refused") else { return };
    drop(Store::open(Path::new(&database.url)).expect("schema"));
    let role = format!("{}_bianban", database.url.rsplit('/').next().unwrap_or("x"));
    let mut admin = database.client();
    admin.batch_execute(&format!("DROP ROLE IF EXISTS {role}; CREATE ROLE {role} LOGIN IN ROLE quanze_bianban")).expect("role");
    let (scheme, rest) = database.url.split_once("://").expect("url");
    let url = format!("{scheme}://{role}@{}", rest.split_once('@').map_or(rest, |(_, h)| h));
    let mut as_bianban = Store::open(Path::new(&url)).expect("open as 编办");
    let refused = file_with_history().copy_into(&mut as_bianban, &mut |_, _| {});
    assert!(matches!(&refused, Err(StoreError::Denied { message, .. }) if message.contains("表的所有者")), "{refused:?}");
    drop(as_bianban);
    let _ = admin.batch_execute(&format!("DROP ROLE IF EXISTS {role}"));
}
