//! Several writers on one PostgreSQL database at once (issue 19): new ids never collide, a
//! read-modify-write of a row keeps another writer's change of the same row, and a version 6
//! database migrates with its sequences moved past its ids. Each test opens two `Store`s on
//! the same URL (two connections), as two users' apps would.

use std::path::Path;
use std::sync::{Arc, Barrier};
use std::time::Duration;

use quanze_domain::{Level, Uid};

use super::test_database::TestDatabase;
use crate::tests::{item, jurisdiction, small_bundle};
use crate::{ItemRecord, Store};

fn open(url: &str) -> Store {
    Store::open(Path::new(url)).expect("open the server's database")
}

/// Regression: new ids were `max(id) + 1`, read inside each writer's transaction; two writers
/// at READ COMMITTED read the same maximum, and the second insert failed on the primary key
/// (or waited for the first and then failed). 2 threads × 200 inserts.
#[test]
fn two_writers_inserting_at_once_never_get_the_same_id() {
    let Some(database) = TestDatabase::new("ids") else { return };
    open(&database.url).write("测试", None, |w| w.load_bundle(&small_bundle())).expect("load");
    let start = Arc::new(Barrier::new(2));
    let writers: Vec<_> = ["甲", "乙"]
        .into_iter()
        .map(|actor| {
            let url = database.url.clone();
            let start = Arc::clone(&start);
            std::thread::spawn(move || -> (Vec<u32>, Vec<String>) {
                let mut store = open(&url);
                start.wait();
                let (mut ids, mut failures) = (Vec::new(), Vec::new());
                for k in 0..200 {
                    let written = store.write(actor, None, |w| {
                        let mut record = ItemRecord {
                            list: 1,
                            position: 10_000 + k,
                            item: item(0, &format!("{actor}新增事项{k}"), "【法律】《测试法》第一条"),
                        };
                        w.put(&mut record)
                    });
                    match written {
                        Ok(id) => ids.push(id),
                        Err(error) => failures.push(error.to_string()),
                    }
                }
                (ids, failures)
            })
        })
        .collect();
    let mut ids = Vec::new();
    for writer in writers {
        let (written, failures) = writer.join().expect("thread");
        assert!(failures.is_empty(), "{} of 200 inserts failed, first: {:?}", failures.len(), failures.first());
        ids.extend(written);
    }
    let distinct: std::collections::BTreeSet<u32> = ids.iter().copied().collect();
    assert_eq!(distinct.len(), 400, "every insert got an id of its own");
    assert!(distinct.iter().all(|id| *id > 3), "the loaded items' ids 1–3 are not handed out again");
    let reader_store = open(&database.url);
    let stored = reader_store.reader().list_item_records(1).expect("items");
    assert_eq!(stored.len(), 403);
}

/// An import takes its ids as one block (`Writer::new_ids` from 1,000 on: the sequence locked,
/// moved past the block), while another writer adds items one at a time: no id twice, each
/// import's ids consecutive, and the sequence goes on after the last block.
#[test]
fn an_imports_block_of_ids_and_another_writers_single_ids_never_meet() {
    let Some(database) = TestDatabase::new("id_blocks") else { return };
    open(&database.url).write("测试", None, |w| w.load_bundle(&small_bundle())).expect("load");
    let start = Arc::new(Barrier::new(2));
    let importer = {
        let (url, start) = (database.url.clone(), Arc::clone(&start));
        std::thread::spawn(move || -> Vec<Vec<u32>> {
            let mut store = open(&url);
            start.wait();
            (0..3)
                .map(|n| {
                    let items: Vec<_> = (0..1_200).map(|k| item(0, &format!("导入{n}事项{k}"), "【法律】《测试法》第一条")).collect();
                    let run = crate::ItemRun { source: format!("导入 测试{n}.xlsx"), details: Vec::new() };
                    store.write("甲", None, |w| w.insert_items(1, 20_000 + n * 2_000, &items, &run)).expect("import")
                })
                .collect()
        })
    };
    let single = {
        let (url, start) = (database.url.clone(), Arc::clone(&start));
        std::thread::spawn(move || -> Vec<u32> {
            let mut store = open(&url);
            start.wait();
            (0..100)
                .map(|k| {
                    let mut record = ItemRecord { list: 1, position: 10_000 + k, item: item(0, &format!("乙新增事项{k}"), "【法律】《测试法》第一条") };
                    store.write("乙", None, |w| w.put(&mut record)).expect("insert")
                })
                .collect()
        })
    };
    let blocks = importer.join().expect("importer");
    let singles = single.join().expect("single writer");
    for block in &blocks {
        assert_eq!(block.len(), 1_200);
        assert!(block.windows(2).all(|pair| pair[1] == pair[0] + 1), "an import's ids are one block");
    }
    let mut all: Vec<u32> = blocks.iter().flatten().copied().chain(singles.iter().copied()).collect();
    let count = all.len();
    all.sort_unstable();
    all.dedup();
    assert_eq!(all.len(), count, "no id handed out twice");
    assert!(all.iter().all(|id| *id > 3), "the loaded items' ids are not handed out again");
    let top = *all.last().expect("ids");
    let mut after = ItemRecord { list: 1, position: 30_000, item: item(0, "之后新增", "【法律】《测试法》第一条") };
    let next = open(&database.url).write("乙", None, |w| w.put(&mut after)).expect("insert after");
    assert!(next > top, "the sequence goes on after the blocks: {next} after {top}");
}

/// Two writers change different fields of one item at once. Each locks the row before reading
/// it (`Writer::lock`): the second waits for the first to commit, reads its result and keeps
/// it. Regression: without the lock the second read the item as it was, waited only at its
/// UPDATE, and wrote the first's field back to the old value.
#[test]
fn a_locked_read_keeps_another_writers_change_of_another_field() {
    let Some(database) = TestDatabase::new("lock") else { return };
    open(&database.url).write("测试", None, |w| w.load_bundle(&small_bundle())).expect("load");
    assert_eq!(open(&database.url).reader().row_version::<ItemRecord>(2).expect("version"), 1);
    let read = Arc::new(Barrier::new(2));
    let first = {
        let (url, read) = (database.url.clone(), Arc::clone(&read));
        std::thread::spawn(move || {
            open(&url)
                .write("甲", None, |w| {
                    w.lock::<ItemRecord>(2)?;
                    let mut record = w.reader().item(2)?;
                    read.wait();
                    // The other writer now reads the item while this one holds it.
                    std::thread::sleep(Duration::from_millis(400));
                    record.item.name = "甲改的事项名称".into();
                    w.put(&mut record)
                })
                .expect("first write")
        })
    };
    let second = {
        let (url, read) = (database.url.clone(), Arc::clone(&read));
        std::thread::spawn(move || {
            let mut store = open(&url);
            read.wait();
            store
                .write("乙", None, |w| {
                    w.lock::<ItemRecord>(2)?;
                    let mut record = w.reader().item(2)?;
                    record.item.basis = Some("【法律】乙改的实施依据".into());
                    w.put(&mut record)
                })
                .expect("second write")
        })
    };
    first.join().expect("first");
    second.join().expect("second");
    let store = open(&database.url);
    let now = store.reader().item(2).expect("item");
    assert_eq!(now.item.name, "甲改的事项名称", "the first writer's change is kept");
    assert_eq!(now.item.basis.as_deref(), Some("【法律】乙改的实施依据"), "the second writer's change is kept");
    assert_eq!(store.reader().row_version::<ItemRecord>(2).expect("version"), 3, "two writes, two versions more");
}

/// A database made at version 6 (ids written by Quanze, sequences never used) migrates to 7:
/// every row gets version 1, and new ids continue after the largest old one.
#[test]
fn a_version_6_database_migrates_and_new_ids_follow_the_old_ones() {
    let Some(database) = TestDatabase::new("from6") else { return };
    let mut client = database.client();
    client.batch_execute(super::SCHEMA_AT_6).expect("schema at 6");
    client
        .batch_execute(
            "INSERT INTO jurisdictions (id, name, level, doc, uid) VALUES (5, '旧区', '区', '{}', NULL); \
             INSERT INTO texts (id, hash, body) VALUES (40, 1, '旧文字');",
        )
        .expect("old rows");
    let mut store = open(&database.url);
    assert_eq!(store.schema_version().expect("version"), crate::schema::SCHEMA_VERSION);
    let version: i64 = client.query_one("SELECT version FROM jurisdictions WHERE id = 5", &[]).expect("row").get(0);
    assert_eq!(version, 1);
    let mut new = jurisdiction(0, None, "新区", Level::District);
    new.uid = Some(Uid::generate());
    let id = store.write("测试", None, |w| w.put(&mut new)).expect("put");
    assert_eq!(id, 6, "the sequence was moved past the old ids");
}

/// `Writer::put_over` on the server: see `crate::tests::an_entity_is_put_over_another_writers_change`.
#[test]
fn on_postgresql_an_entity_is_put_over_another_writers_change() {
    let Some(database) = TestDatabase::new("put_over") else { return };
    crate::tests::an_entity_is_put_over_another_writers_change(Path::new(&database.url));
}
