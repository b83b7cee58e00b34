//! The same store code on both backends: the sample district loaded, edited and read back
//! through [`Store`] on SQLite and on PostgreSQL gives the same dump, audit log and tallies.

use quanze_domain::Item;

use super::test_database::TestDatabase;
use crate::{ItemRecord, ItemRun, Store, StoreError};

/// What a scenario saw, as JSON text, step by step (so that a difference names its step).
type Seen = Vec<(&'static str, String)>;

fn json(value: &impl serde::Serialize) -> String {
    serde_json::to_string_pretty(value).expect("json")
}

/// Load the sample district, edit it the ways the app does, and read everything back.
fn scenario(store: &mut Store) -> Seen {
    let mut seen: Seen = Vec::new();
    let sample = with_fixed_uids(quanze_sample_gen::generate().bundle);
    let counts = store.write("测试", Some("载入示例"), |w| w.load_bundle(&sample)).expect("load");
    seen.push(("load", format!("{counts:?}")));
    let dump = store.reader().dump().expect("dump");
    assert!(dump.lists.iter().map(|l| l.items.len()).sum::<usize>() > 1_000, "the sample district is loaded");
    seen.push(("dump after load", json(&dump)));

    let lists = store.reader().lists().expect("lists");
    let list = lists.iter().max_by_key(|l| (l.id % 7, l.id)).expect("a list").id;
    let records = store.reader().list_item_records(list).expect("items");
    let first = records.first().expect("an item").item.id;
    let last = records.last().expect("an item").item.id;
    let end = u32::try_from(records.len()).expect("count");
    store
        .write("张三", Some("改名"), |w| {
            let mut record: ItemRecord = w.reader().item(first)?;
            record.item.name.push_str("（修订）");
            record.item.remarks = Some("同一段文字".into());
            w.put(&mut record)?;
            w.shift_item_positions(list, 1, end, 1)?;
            w.delete::<ItemRecord>(last)?;
            let added: Vec<Item> = (0..20)
                .map(|n| Item {
                    uid: quanze_domain::Uid::parse(&format!("00000000-0000-7000-9000-{n:012}")).ok(),
                    name: format!("新增事项{n}"),
                    remarks: Some("同一段文字".into()),
                    ..Item::default()
                })
                .collect();
            let run = ItemRun {
                source: "导入 测试.xlsx".into(),
                details: vec![("行数".into(), "20".into())],
            };
            let ids = w.insert_items(list, end + 1, &added, &run)?;
            let mut order = w.reader().list_item_ids(list)?;
            order.reverse();
            w.renumber_items(list, &order, "导入后重排")?;
            Ok(ids)
        })
        .expect("edit");
    let created = store.reader().list_item_ids(list).expect("ids");
    seen.push(("item as created", json(&store.reader().item_as_created(created[0]).expect("as created"))));

    // A write that fails leaves nothing, audit entries included.
    let audit_before = store.reader().audit_count().expect("count");
    let failed: Result<(), StoreError> = store.write("张三", None, |w| {
        let mut record: ItemRecord = w.reader().item(first)?;
        record.item.name = "不应留下".into();
        w.put(&mut record)?;
        Err(StoreError::Invalid("中途失败".into()))
    });
    assert!(failed.is_err());
    assert_eq!(store.reader().audit_count().expect("count"), audit_before, "nothing of a failed write stays");

    let reader = store.reader();
    let mut log = reader.audit_log(u32::MAX, None).expect("log");
    assert!(log.len() > 3 && log.iter().any(|e| e.entity_id_last.is_some()), "the scenario wrote a run, an edit, a deletion");
    log.iter_mut().for_each(|entry| entry.at.clear());
    seen.push(("audit log", json(&log)));
    let mut counts: Vec<_> = reader.item_counts().expect("counts").into_iter().collect();
    counts.sort_unstable();
    seen.push(("item counts", json(&counts)));
    seen.push(("item tallies", format!("{:?}", sorted(reader.item_tallies().expect("tallies")))));
    seen.push(("withdrawal tallies", format!("{:?}", sorted(reader.withdrawal_tallies().expect("withdrawals")))));
    let summaries: Vec<_> = lists.iter().map(|l| reader.version_summaries(l.id).expect("summaries")).collect();
    seen.push(("version summaries", json(&summaries)));
    seen.push(("page", json(&reader.items(list, 5, 10).expect("page"))));
    // Items read by id (a search's hits) come in the order asked for, across statements of
    // 500; one deleted since is left out.
    let mut wanted: Vec<_> = reader.all_items().expect("all").iter().map(|r| r.item.id).collect();
    wanted.reverse();
    wanted.insert(1, last);
    let read: Vec<_> = reader.items_in_order(&wanted).expect("in order").iter().map(|r| r.item.id).collect();
    wanted.remove(1);
    assert!(wanted.len() > 500, "{} items: more than one statement's worth", wanted.len());
    assert_eq!(read, wanted);
    for query in ["许可", "许", "食品 经营", "修订", "abc", "50%", "新增事项1"] {
        let hits: Vec<String> = reader
            .search(query, 40)
            .expect("search")
            .iter()
            .map(|hit| format!("{} #{} {} {}", hit.list, hit.item.id, hit.field, hit.snippet))
            .collect();
        assert!(query != "许可" || hits.len() == 40, "a common word finds a full page: {hits:?}");
        seen.push(("search", format!("{query}: {hits:#?}")));
    }
    seen.push(("dump after edits", json(&reader.dump().expect("dump"))));
    seen
}

/// The sample with a fixed uid on every entity (the store would give new random ones, and the
/// two backends' dumps could not be compared).
fn with_fixed_uids(mut bundle: quanze_domain::Bundle) -> quanze_domain::Bundle {
    let mut n = 0_u64;
    let mut next = |uid: &mut Option<quanze_domain::Uid>| {
        n += 1;
        *uid = Some(quanze_domain::Uid::parse(&format!("00000000-0000-7000-8000-{n:012}")).expect("uid"));
    };
    bundle.jurisdictions.iter_mut().for_each(|e| next(&mut e.uid));
    bundle.units.iter_mut().for_each(|e| next(&mut e.uid));
    bundle.leaders.iter_mut().for_each(|e| next(&mut e.uid));
    for list in &mut bundle.lists {
        next(&mut list.uid);
        list.items.iter_mut().for_each(|e| next(&mut e.uid));
    }
    bundle.admission_requests.iter_mut().for_each(|e| next(&mut e.uid));
    bundle.waivers.iter_mut().for_each(|e| next(&mut e.uid));
    bundle.versions.iter_mut().for_each(|e| next(&mut e.uid));
    bundle.change_requests.iter_mut().for_each(|e| next(&mut e.uid));
    bundle
}

fn sorted<T: std::fmt::Debug>(mut values: Vec<T>) -> Vec<T> {
    values.sort_by_key(|v| format!("{v:?}"));
    values
}

#[test]
fn the_store_gives_the_same_on_postgresql_as_on_sqlite() {
    let Some(database) = TestDatabase::new("store") else { return };
    let mut sqlite = Store::open_in_memory().expect("sqlite");
    let on_sqlite = scenario(&mut sqlite);
    let mut server = Store::open(std::path::Path::new(&database.url)).expect("open the PostgreSQL database");
    assert!(server.is_server());
    assert_eq!(server.schema_version().expect("version"), crate::schema::SCHEMA_VERSION);
    let on_server = scenario(&mut server);
    for ((step, a), (_, b)) in on_sqlite.iter().zip(&on_server) {
        assert!(a == b, "{step} differs:\n{}", first_difference(a, b));
    }
    assert_eq!(on_sqlite.len(), on_server.len());

    // Exchange runs on the server too (pg::exchange_tests); Quanze's own backups do not (the
    // server's are pg_dump's), and that says so instead of failing obscurely.
    assert_eq!(server.reader().last_received_jurisdiction().expect("exchange"), None);
    let folder = tempfile::tempdir().expect("temp");
    let refused = server.backup_to(&folder.path().join("备份.db")).expect_err("backups are SQLite's");
    assert!(refused.to_string().contains("PostgreSQL"), "{refused}");
}

/// Where two texts first differ, with a few lines of each around it.
fn first_difference(a: &str, b: &str) -> String {
    let (a, b): (Vec<&str>, Vec<&str>) = (a.lines().collect(), b.lines().collect());
    let at = a.iter().zip(&b).position(|(x, y)| x != y).unwrap_or(a.len().min(b.len()));
    let around = |lines: &[&str]| lines[at.saturating_sub(8)..(at + 4).min(lines.len())].join("\n");
    format!("line {at}\nSQLite:\n{}\nPostgreSQL:\n{}", around(&a), around(&b))
}
