//! The exchange's merge rule as a property (exchange issue, tests): the district sends a
//! street's package, both sides then edit at random — different fields of the items, the
//! street also adding and deleting items — and merging the street's package back gives
//! exactly what applying both sides' edits gives, with no conflict; merging it again changes
//! nothing. A second property: when both sides change the same field differently, the merge
//! stops with that conflict and writes nothing.

use std::collections::{BTreeMap, BTreeSet};

use proptest::prelude::*;
use quanze_domain::{Bundle, DutyList, Id, Item, Jurisdiction, Level, ListKind, Uid, Unit, UnitKind};
use quanze_store::exchange::{Direction, ExportScope, MergeOptions, Producer};
use quanze_store::{ItemRecord, Store};

const ITEMS: u32 = 8;
/// The fields either side may change, by index in [`set_field`].
const FIELDS: usize = 4;

fn district() -> Bundle {
    let items = (1..=ITEMS)
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

fn producer(office: &str) -> Producer {
    Producer { office: office.to_string(), actor: "测试".to_string(), made_at: "2026-12-05T09:00:00+08:00".to_string() }
}

fn set_field(item: &mut Item, field: usize, value: &str) {
    let value = value.to_string();
    match field {
        0 => item.name = value,
        1 => item.basis = Some(value),
        2 => item.remarks = Some(value),
        _ => item.subject = Some(value),
    }
}

/// The street's list in a store, by uid, in order.
fn list_items(store: &Store) -> Vec<Item> {
    let dump = store.reader().dump().expect("dump");
    let list = dump.lists.into_iter().find(|l| l.name.starts_with("青溪街道")).expect("list");
    list.items
}

fn export(store: &mut Store, office: &str) -> Bundle {
    store
        .write("测试", None, |w| {
            let street = w.reader().jurisdictions()?.into_iter().find(|j| j.name == "青溪街道").map(|j| j.id).unwrap_or(0);
            let package = w.reader().package(&ExportScope { jurisdiction: street, lists: Vec::new() }, &producer(office))?;
            w.record_package(&package, Direction::Sent)?;
            Ok(package)
        })
        .expect("export")
}

fn edit(store: &mut Store, uid: &Uid, field: usize, value: &str) {
    let id: Id = list_items(store).iter().find(|i| i.uid.as_ref() == Some(uid)).map(|i| i.id).expect("item");
    store
        .write("测试", None, |w| {
            let mut record: ItemRecord = w.reader().item(id)?;
            set_field(&mut record.item, field, value);
            w.put(&mut record).map(drop)
        })
        .expect("edit");
}

/// The district and the street's own database made from the district's package. `shifted`:
/// the street's database held other rows first, so the two number their rows differently (the
/// merge then cannot take the shortcut for what the street left alone).
fn two_offices(shifted: bool) -> (Store, Store) {
    let mut district_store = Store::open_in_memory().expect("open");
    district_store.write("测试", None, |w| w.load_bundle(&district())).expect("load");
    let sent = export(&mut district_store, "青川区委编办");
    let mut street_store = Store::open_in_memory().expect("open");
    if shifted {
        let mut other = district();
        other.jurisdictions.truncate(1);
        other.jurisdictions[0].name = "别的区".to_string();
        other.units.clear();
        other.lists[0].jurisdiction = 1;
        other.lists[0].kind = ListKind::Power;
        other.lists[0].name = "别的清单".to_string();
        street_store.write("测试", None, |w| w.load_bundle(&other)).expect("other rows");
    }
    street_store
        .write("测试", None, |w| {
            w.load_bundle(&sent)?;
            w.record_package(&sent, Direction::Received)
        })
        .expect("street loads");
    (district_store, street_store)
}

#[derive(Debug, Clone)]
struct Edits {
    /// (item index, field, value, street's side?)
    fields: Vec<(usize, usize, String, bool)>,
    /// Items the street deletes (indexes), and how many it adds (at the end of the list).
    deleted: BTreeSet<usize>,
    added: usize,
}

fn edits() -> impl Strategy<Value = Edits> {
    let field_edit = (0..ITEMS as usize, 0..FIELDS, "[甲乙丙丁]{1,4}", any::<bool>());
    (
        prop::collection::vec(field_edit, 0..12),
        prop::collection::btree_set(0..ITEMS as usize, 0..3),
        0..3usize,
    )
        .prop_map(|(fields, deleted, added)| {
            // Each (item, field) belongs to one side; the district does not touch what the
            // street deletes (that would be a conflict, tested on its own).
            let mut owner: BTreeMap<(usize, usize), bool> = BTreeMap::new();
            let fields = fields
                .into_iter()
                .filter(|(item, field, _, street)| *owner.entry((*item, *field)).or_insert(*street) == *street)
                .filter(|(item, _, _, street)| *street || !deleted.contains(item))
                .collect();
            Edits { fields, deleted, added }
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn merging_edits_of_different_fields_equals_applying_both(edits in edits(), shifted in any::<bool>()) {
        let (mut district_store, mut street_store) = two_offices(shifted);
        let original = list_items(&street_store);
        let uid_of = |index: usize| original[index].uid.clone().expect("uid");
        let mut expected: BTreeMap<Uid, Item> = original.iter().map(|i| (i.uid.clone().expect("uid"), i.clone())).collect();
        for (index, field, value, street) in &edits.fields {
            let store = if *street { &mut street_store } else { &mut district_store };
            edit(store, &uid_of(*index), *field, value);
            set_field(expected.get_mut(&uid_of(*index)).expect("item"), *field, value);
        }
        for index in &edits.deleted {
            let id = list_items(&street_store).iter().find(|i| i.uid == Some(uid_of(*index))).map(|i| i.id).expect("id");
            street_store.write("测试", None, |w| w.delete::<ItemRecord>(id).map(drop)).expect("delete");
            expected.remove(&uid_of(*index));
        }
        for n in 0..edits.added {
            let name = format!("街道新增{n}");
            street_store.write("测试", None, |w| {
                let list = w.reader().lists()?.into_iter().find(|l| l.name.starts_with("青溪街道")).map(|l| l.id).unwrap_or(0);
                let count = u32::try_from(w.reader().items(list, 0, u32::MAX)?.len()).unwrap_or(0);
                w.insert_items(list, count, &[Item { name, ..Item::default() }], &quanze_store::ItemRun { source: "测试".into(), details: Vec::new() })
                    .map(drop)
            }).expect("add");
        }
        for item in list_items(&street_store).into_iter().filter(|i| i.name.starts_with("街道新增")) {
            expected.insert(item.uid.clone().expect("uid"), item);
        }
        let back = export(&mut street_store, "青溪街道");
        let report = district_store
            .write("测试", Some("合并"), |w| w.merge_package(&back, &MergeOptions::default()))
            .expect("merge");
        prop_assert!(report.conflicts.is_empty(), "{:?}", report.conflicts);
        prop_assert!(report.applied);
        let merged: BTreeMap<Uid, Item> = list_items(&district_store)
            .into_iter()
            .map(|mut i| { i.id = 0; (i.uid.clone().expect("uid"), i) })
            .collect();
        let expected: BTreeMap<Uid, Item> = expected.into_iter().map(|(u, mut i)| { i.id = 0; (u, i) }).collect();
        prop_assert_eq!(&merged, &expected);
        // The district holds the street's order.
        let order = |store: &Store| list_items(store).into_iter().map(|i| i.uid).collect::<Vec<_>>();
        prop_assert_eq!(order(&district_store), order(&street_store));
        // Merging again changes nothing.
        let again = district_store
            .write("测试", Some("合并"), |w| w.merge_package(&back, &MergeOptions::default()))
            .expect("merge again");
        prop_assert!(again.is_empty(), "{:?}", again);
    }

    #[test]
    fn the_same_field_changed_differently_on_both_sides_is_a_conflict_and_nothing_is_written(
        index in 0..ITEMS as usize, field in 0..FIELDS, shifted in any::<bool>(),
    ) {
        let (mut district_store, mut street_store) = two_offices(shifted);
        let uid = list_items(&street_store)[index].uid.clone().expect("uid");
        edit(&mut street_store, &uid, field, "街道的值");
        edit(&mut district_store, &uid, field, "区里的值");
        let back = export(&mut street_store, "青溪街道");
        let before = district_store.reader().dump().expect("dump");
        let report = district_store
            .write("测试", Some("合并"), |w| w.merge_package(&back, &MergeOptions::default()))
            .expect("merge");
        prop_assert_eq!(report.conflicts.len(), 1);
        prop_assert!(!report.applied);
        prop_assert_eq!(district_store.reader().dump().expect("dump"), before);
    }
}
