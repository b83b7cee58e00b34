//! Stable identities (issue 14, item 1): every entity gets a uid once, keeps it through
//! updates, dump and load — also into a database that already holds other data, where row ids
//! shift — and a schema-2 database gets uids for its existing rows when it is migrated.

use quanze_domain::{Bundle, DutyList, Item, Jurisdiction, Level, ListKind, Uid, Unit, UnitKind};
use quanze_store::{ItemRecord, Store};

fn bundle(place: &str) -> Bundle {
    let item = Item {
        name: format!("{place}的事项"),
        ..Item::default()
    };
    Bundle {
        jurisdictions: vec![Jurisdiction::new(1, None, place, Level::District)],
        units: vec![Unit::new(1, 1, format!("{place}应急管理局"), UnitKind::Administrative)],
        lists: vec![DutyList {
            uid: None,
            id: 1,
            jurisdiction: 1,
            unit: Some(1),
            kind: ListKind::Power,
            name: format!("{place}清单"),
            note: None,
            items: vec![Item { id: 1, ..item }],
        }],
        ..Bundle::default()
    }
}

fn loaded(place: &str) -> Store {
    let mut store = Store::open_in_memory().expect("open");
    store.write("测试", None, |w| w.load_bundle(&bundle(place))).expect("load");
    store
}

/// Every uid of a bundle with the name of its entity.
fn uids(bundle: &Bundle) -> Vec<(String, Option<Uid>)> {
    let mut all = Vec::new();
    all.extend(bundle.jurisdictions.iter().map(|j| (j.name.clone(), j.uid.clone())));
    all.extend(bundle.units.iter().map(|u| (u.name.clone(), u.uid.clone())));
    for list in &bundle.lists {
        all.push((list.name.clone(), list.uid.clone()));
        all.extend(list.items.iter().map(|i| (i.name.clone(), i.uid.clone())));
    }
    all
}

#[test]
fn every_entity_written_without_a_uid_gets_one() {
    let dump = loaded("青川区").reader().dump().expect("dump");
    let all = uids(&dump);
    assert_eq!(all.len(), 4);
    assert!(all.iter().all(|(_, uid)| uid.is_some()), "{all:?}");
}

#[test]
fn uids_survive_dump_and_load_into_a_database_that_holds_other_data() {
    let sent = loaded("青川区").reader().dump().expect("dump");
    let mut receiving = loaded("白沙区");
    receiving.write("测试", None, |w| w.load_bundle(&sent)).expect("load");
    let received = receiving.reader().dump().expect("dump");
    // Row ids shifted (白沙区 holds id 1 of everything) …
    assert_eq!(received.jurisdictions[1].name, "青川区");
    assert_eq!(received.jurisdictions[1].id, 2);
    // … identities did not.
    let received_uids = uids(&received);
    for entity in uids(&sent) {
        assert!(received_uids.contains(&entity), "{entity:?} lost its identity");
    }
}

#[test]
fn an_update_keeps_the_uid_even_when_the_caller_sends_none() {
    let mut store = loaded("青川区");
    let mut record: ItemRecord = store.reader().item(1).expect("item");
    let identity = record.item.uid.clone();
    record.item.uid = None;
    record.item.name = "改过的名称".into();
    store.write("测试", None, |w| w.put(&mut record)).expect("update");
    let after = store.reader().item(1).expect("item");
    assert_eq!(after.item.name, "改过的名称");
    assert_eq!(after.item.uid, identity);
    // And a caller cannot change it either.
    record.item.uid = Some(Uid::generate());
    store.write("测试", None, |w| w.put(&mut record)).expect("update");
    assert_eq!(store.reader().item(1).expect("item").item.uid, identity);
}

#[test]
fn a_bundle_that_repeats_a_uid_is_refused_with_both_places() {
    let mut twice = bundle("青川区");
    let uid = Some(Uid::generate());
    twice.units[0].uid = uid.clone();
    twice.lists[0].items[0].uid = uid;
    let problems = twice.problems();
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert_eq!(problems[0].path, "lists[0].items[0].uid");
    assert!(problems[0].message.contains("units[0]"), "{}", problems[0].message);
}

#[test]
fn migrating_a_schema_2_database_gives_every_row_a_uid_in_column_and_document() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("二版.db");
    {
        let conn = rusqlite::Connection::open(&path).expect("open");
        for step in &quanze_store::schema::MIGRATIONS[..2] {
            conn.execute_batch(step.sql).expect("step");
        }
        conn.execute_batch(
            r#"INSERT INTO jurisdictions (id, parent_id, name, level, doc)
                   VALUES (1, NULL, '青川区', '区', '{"id":1,"name":"青川区","level":"区"}');
               INSERT INTO units (id, jurisdiction_id, parent_id, name, doc)
                   VALUES (1, 1, NULL, '应急管理局', '{"id":1,"jurisdiction":1,"name":"应急管理局","kind":"行政"}');"#,
        )
        .expect("rows of version 2");
        conn.pragma_update(None, "application_id", quanze_store::schema::APPLICATION_ID).expect("id");
        conn.pragma_update(None, "user_version", 2).expect("version");
    }
    let store = Store::open(&path).expect("migrate");
    assert_eq!(store.schema_version().expect("version"), quanze_store::schema::SCHEMA_VERSION);
    let jurisdiction = &store.reader().jurisdictions().expect("read")[0];
    let unit = &store.reader().units().expect("read")[0];
    let (Some(a), Some(b)) = (&jurisdiction.uid, &unit.uid) else {
        panic!("no uid after migration: {jurisdiction:?} {unit:?}")
    };
    assert_ne!(a, b);
    drop(store);
    let conn = rusqlite::Connection::open(&path).expect("open");
    let column: String = conn.query_row("SELECT uid FROM units WHERE id = 1", [], |r| r.get(0)).expect("uid");
    assert_eq!(&column, b.as_str(), "column and document agree");
}
