//! Exchange with a district kept on PostgreSQL (issue 19: exchange on both backends): the
//! district's server sends a street's package, the street (a file) edits, adds and deletes,
//! and the package it sends back merges into the server exactly as it does into a file; the
//! same field changed on both sides stops the merge with that conflict, nothing written.

use std::path::Path;

use quanze_domain::{Bundle, DutyList, Item, Jurisdiction, Level, ListKind, Uid, Unit, UnitKind};

use super::test_database::TestDatabase;
use crate::exchange::{Direction, ExportScope, MergeOptions, Producer};
use crate::{ItemRecord, ItemRun, Store};

fn district() -> Bundle {
    let items = (1..=6)
        .map(|i| Item { id: i, name: format!("事项{i}"), basis: Some(format!("依据{i}")), ..Item::default() })
        .collect();
    Bundle {
        jurisdictions: vec![
            Jurisdiction::new(1, None, "青川区", Level::District),
            Jurisdiction::new(2, Some(1), "青溪街道", Level::Street),
        ],
        units: vec![Unit::new(1, 2, "党政办公室", UnitKind::Administrative)],
        lists: vec![DutyList {
            uid: None,
            id: 1,
            jurisdiction: 2,
            unit: None,
            kind: ListKind::StreetBasic,
            name: "青溪街道基本履职事项清单".to_string(),
            note: None,
            items,
        }],
        ..Bundle::default()
    }
}

fn export(store: &mut Store, office: &str) -> Bundle {
    let producer = Producer { office: office.to_string(), actor: "测试".to_string(), made_at: "2026-12-06T09:00:00+08:00".to_string() };
    store
        .write("测试", None, |w| {
            let street = w.reader().jurisdictions()?.into_iter().find(|j| j.name == "青溪街道").map(|j| j.id).unwrap_or(0);
            let package = w.reader().package(&ExportScope { jurisdiction: street, lists: Vec::new() }, &producer)?;
            w.record_package(&package, Direction::Sent)?;
            Ok(package)
        })
        .expect("export")
}

fn items(store: &Store) -> Vec<Item> {
    store.reader().dump().expect("dump").lists.into_iter().find(|l| l.name.starts_with("青溪街道")).expect("list").items
}

fn edit(store: &mut Store, uid: &Uid, change: impl FnOnce(&mut Item)) {
    let id = items(store).iter().find(|i| i.uid.as_ref() == Some(uid)).map(|i| i.id).expect("item");
    store
        .write("测试", None, |w| {
            let mut record: ItemRecord = w.reader().item(id)?;
            change(&mut record.item);
            w.put(&mut record).map(drop)
        })
        .expect("edit");
}

/// The district on the server and the street's file made from the district's package.
fn two_offices(database: &TestDatabase) -> (Store, Store) {
    let mut server = Store::open(Path::new(&database.url)).expect("server");
    server.write("测试", None, |w| w.load_bundle(&district())).expect("load");
    let sent = export(&mut server, "青川区委编办");
    let mut street = Store::open_in_memory().expect("file");
    street
        .write("测试", None, |w| {
            w.load_bundle(&sent)?;
            w.record_package(&sent, Direction::Received)
        })
        .expect("street loads");
    (server, street)
}

#[test]
fn a_package_sent_back_merges_into_the_server_with_both_sides_edits() {
    let Some(database) = TestDatabase::new("exchange_merge") else { return };
    let (mut server, mut street) = two_offices(&database);
    let uids: Vec<Uid> = items(&street).iter().map(|i| i.uid.clone().expect("uid")).collect();
    edit(&mut street, &uids[0], |i| i.name = "街道改的名称".into());
    edit(&mut server, &uids[0], |i| i.basis = Some("区里改的依据".into()));
    edit(&mut server, &uids[1], |i| i.remarks = Some("区里的备注".into()));
    let gone = items(&street).iter().find(|i| i.uid.as_ref() == Some(&uids[5])).map(|i| i.id).expect("item");
    street.write("测试", None, |w| w.delete::<ItemRecord>(gone).map(drop)).expect("delete");
    street
        .write("测试", None, |w| {
            let list = w.reader().lists()?[0].id;
            let run = ItemRun { source: "测试".into(), details: Vec::new() };
            w.insert_items(list, 5, &[Item { name: "街道新增".into(), ..Item::default() }], &run).map(drop)
        })
        .expect("add");

    let back = export(&mut street, "青溪街道");
    let report = server.write("测试", Some("合并"), |w| w.merge_package(&back, &MergeOptions::default())).expect("merge");
    assert!(report.conflicts.is_empty() && report.applied, "{report:?}");
    let merged = items(&server);
    let first = merged.iter().find(|i| i.uid.as_ref() == Some(&uids[0])).expect("first");
    assert_eq!((first.name.as_str(), first.basis.as_deref()), ("街道改的名称", Some("区里改的依据")), "both sides' fields kept");
    assert_eq!(merged.iter().find(|i| i.uid.as_ref() == Some(&uids[1])).and_then(|i| i.remarks.as_deref()), Some("区里的备注"));
    assert!(merged.iter().all(|i| i.uid.as_ref() != Some(&uids[5])), "the street's deletion");
    let names = |list: &[Item]| list.iter().map(|i| i.name.clone()).collect::<Vec<_>>();
    assert_eq!(names(&merged), names(&items(&street)), "the street's items in the street's order");
    let again = server.write("测试", Some("合并"), |w| w.merge_package(&back, &MergeOptions::default())).expect("again");
    assert!(again.is_empty(), "merging again changes nothing: {again:?}");
}

#[test]
fn the_same_field_changed_on_both_sides_stops_the_merge_on_the_server() {
    let Some(database) = TestDatabase::new("exchange_conflict") else { return };
    let (mut server, mut street) = two_offices(&database);
    let uid = items(&street)[2].uid.clone().expect("uid");
    edit(&mut street, &uid, |i| i.name = "街道的名称".into());
    edit(&mut server, &uid, |i| i.name = "区里的名称".into());
    let before = server.reader().dump().expect("dump");
    let audit_before = server.reader().audit_count().expect("count");
    let back = export(&mut street, "青溪街道");
    let report = server.write("测试", Some("合并"), |w| w.merge_package(&back, &MergeOptions::default())).expect("merge");
    assert_eq!(report.conflicts.len(), 1, "{report:?}");
    assert!(!report.applied);
    assert_eq!(server.reader().dump().expect("dump"), before, "nothing written");
    assert_eq!(server.reader().audit_count().expect("count"), audit_before, "no audit entry either");
}
