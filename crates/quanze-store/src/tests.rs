use quanze_domain::{
    Bundle, DutyList, Item, Jurisdiction, Level, ListKind, Unit, UnitKind,
};

use super::*;

pub(crate) fn jurisdiction(id: Id, parent: Option<Id>, name: &str, level: Level) -> Jurisdiction {
    Jurisdiction::new(id, parent, name, level)
}

fn unit(id: Id, jurisdiction: Id, name: &str) -> Unit {
    Unit::new(id, jurisdiction, name, UnitKind::Administrative)
}

pub(crate) fn item(id: Id, name: &str, basis: &str) -> Item {
    Item {
        id,
        name: name.into(),
        basis: Some(basis.into()),
        power_type: Some("行政处罚".into()),
        handling_unit: Some(1),
        ..Item::default()
    }
}

/// A fixed identity, so that a dump can be compared with the bundle it came from.
fn uid(n: u32) -> Option<quanze_domain::Uid> {
    Some(quanze_domain::Uid::parse(&format!("00000000-0000-7000-8000-{n:012}")).expect("uid"))
}

pub(crate) fn small_bundle() -> Bundle {
    let mut bundle = Bundle {
        jurisdictions: vec![
            jurisdiction(1, None, "示例区", Level::District),
            jurisdiction(2, Some(1), "东湖街道", Level::Street),
        ],
        units: vec![unit(1, 1, "区应急管理局"), unit(2, 1, "区市场监督管理局")],
        lists: vec![DutyList {
            uid: None,
            id: 1,
            jurisdiction: 1,
            unit: Some(1),
            kind: ListKind::Power,
            name: "区应急管理局权责清单".into(),
            note: None,
            items: vec![
                item(1, "对生产经营单位未按规定开展安全生产教育培训的处罚", "【法律】《中华人民共和国安全生产法》第九十七条"),
                item(2, "对消防设施未保持完好有效的处罚", "【法律】《中华人民共和国消防法》第六十条"),
                item(3, "危险化学品经营许可", "【法规】《危险化学品安全管理条例》第三十三条"),
            ],
        }],
        ..Bundle::default()
    };
    let mut n = 0;
    let mut next = || {
        n += 1;
        uid(n)
    };
    bundle.jurisdictions.iter_mut().for_each(|j| j.uid = next());
    bundle.units.iter_mut().for_each(|u| u.uid = next());
    for list in &mut bundle.lists {
        list.uid = next();
        list.items.iter_mut().for_each(|i| i.uid = next());
    }
    bundle
}

fn loaded() -> Store {
    let mut store = Store::open_in_memory().expect("open");
    store
        .write("测试", None, |w| w.load_bundle(&small_bundle()))
        .expect("load");
    store
}

/// Every schema object with its SQL, spacing normalized: `ALTER TABLE … ADD COLUMN` (a
/// migration) stores the new column as `\n, uid TEXT)`, where `schema.sql` writes it on a line
/// of its own; the words and their order must still be equal.
fn schema_of(conn: &Connection) -> Vec<(String, String)> {
    let mut statement = conn
        .prepare("SELECT name, coalesce(sql, '') FROM sqlite_master ORDER BY name")
        .expect("prepare");
    let rows = statement
        .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))
        .expect("query");
    rows.map(|r| r.expect("row"))
        .map(|(name, sql)| {
            let spaced = sql.split_whitespace().collect::<Vec<_>>().join(" ");
            (name, spaced.replace(" ,", ",").replace("( ", "(").replace(" )", ")"))
        })
        .collect()
}

#[test]
fn a_migrated_database_equals_a_fresh_one() {
    let fresh = Store::open_in_memory().expect("fresh");
    let migrated = Connection::open_in_memory().expect("open");
    for step in schema::MIGRATIONS {
        migrated.execute_batch(step.sql).expect("step");
    }
    assert_eq!(schema_of(fresh.sqlite().expect("sqlite")), schema_of(&migrated));
    assert_eq!(
        schema::MIGRATIONS.len(),
        usize::try_from(schema::SCHEMA_VERSION).unwrap_or(0),
        "one migration step per schema version"
    );
}

/// The SHA-256 of every released migration step. A step is what existing databases went
/// through: it is never edited, only followed by a new one (add its file and its hash here).
const FROZEN_MIGRATIONS: &[(&str, &str)] = &[
    ("0001.sql", "0d039260c8d86148767c1e66029a0a912b7ac03d3f648348f856afb736ab78d0"),
    ("0002.sql", "dad8edf612625d357e52d9879bf420f844ef2789ac7e7652037c1b5fa19813b0"),
    ("0003.sql", "5d0fdd6512e7adced5912f49902a54ea269fa86b3b1665d7ffb10215cd5659fb"),
    ("0004.sql", "e008ce9a5fb32d5788c9779c3a0fdd63d7b2dd3022fa40ae1688d60a40475dc2"),
    ("0005.sql", "6add7c1ebbb94a1a9479bd2eac468b20d706bed81afb06d6d6de80460c41cd8e"),
    ("0006.sql", "bd95e85ea2793e3457b7461860f1d4ea6c5c686cb050fb2ae4610a1a18b1973c"),
    ("0007.sql", "81f476a1c391aa41319e571dde3ed64ff5c1c964280eb1bb955779ea83388ff7"),
    ("0008.sql", "140d9dfdb301b3b27fcc639c30efa47a0e6e9448039852e7de9be812bf857cb1"),
    ("0009.sql", "80063a6fe7a338735b1d02e2b5060e543b194e8231961fc31d5d45f93d55e106"),
    ("0010.sql", "771b101492682fb95c1368ef0c8159c4f126546e13caf5794d2086442d3fa4ee"),
    ("0011.sql", "756ed8ac1026a7e10ae4086309bf59a72e9ad8e318350dda4146d3ef6a3e3a5b"),
];

#[test]
fn released_migration_steps_are_never_edited() {
    use sha2::{Digest, Sha256};
    let listed: Vec<(&str, String)> = schema::MIGRATIONS
        .iter()
        .map(|m| {
            let digest = Sha256::digest(m.sql.as_bytes());
            (m.file, digest.iter().map(|b| format!("{b:02x}")).collect())
        })
        .collect();
    let pinned: Vec<(&str, String)> = FROZEN_MIGRATIONS.iter().map(|(f, h)| (*f, h.to_string())).collect();
    assert_eq!(listed, pinned, "a migration step was edited, or added without pinning its hash");
    // Steps are numbered by the version they lead to, and every file in the folder is a step.
    for (index, migration) in schema::MIGRATIONS.iter().enumerate() {
        assert_eq!(migration.file, format!("{:04}.sql", index + 1));
    }
    let folder = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations");
    let mut files: Vec<String> = std::fs::read_dir(&folder)
        .expect("migrations folder")
        .map(|entry| entry.expect("entry"))
        // migrations/pg/ holds PostgreSQL's steps (pinned in `pg::tests`).
        .filter(|entry| entry.file_type().is_ok_and(|t| t.is_file()))
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    let steps: Vec<&str> = schema::MIGRATIONS.iter().map(|m| m.file).collect();
    assert_eq!(files, steps, "every file under migrations/ is a step of MIGRATIONS");
}

#[test]
fn a_new_file_gets_wal_foreign_keys_and_the_current_version() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("sub").join("q.db");
    let store = Store::open(&path).expect("open");
    assert_eq!(store.schema_version().expect("version"), schema::SCHEMA_VERSION);
    let mode: String = store
        .sqlite()
        .expect("sqlite")
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .expect("mode");
    assert_eq!(mode, "wal");
    let fk: i64 = store
        .sqlite()
        .expect("sqlite")
        .query_row("PRAGMA foreign_keys", [], |r| r.get(0))
        .expect("fk");
    assert_eq!(fk, 1);
    drop(store);
    // Reopening an up-to-date file changes nothing.
    let again = Store::open(&path).expect("reopen");
    assert!(again.reader().is_empty().expect("empty"));
}

#[test]
fn a_database_from_a_newer_quanze_is_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("new.db");
    drop(Store::open(&path).expect("create"));
    {
        let conn = Connection::open(&path).expect("raw");
        conn.pragma_update(None, "user_version", schema::SCHEMA_VERSION + 1)
            .expect("bump");
    }
    match Store::open(&path) {
        Err(error @ StoreError::TooNew { .. }) => {
            assert!(error.to_string().contains("请升级"), "{error}")
        }
        other => panic!("expected TooNew, got {other:?}"),
    }
}

#[test]
fn a_foreign_sqlite_file_and_a_text_file_are_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let foreign = dir.path().join("other.db");
    Connection::open(&foreign)
        .expect("raw")
        .execute_batch("CREATE TABLE t(x)")
        .expect("table");
    assert!(matches!(Store::open(&foreign), Err(StoreError::NotQuanze { .. })));

    let text = dir.path().join("notes.db");
    std::fs::write(&text, "这不是数据库".repeat(200)).expect("write");
    assert!(matches!(Store::open(&text), Err(StoreError::NotQuanze { .. })));
}

#[test]
fn every_write_is_audited_with_before_and_after() {
    let mut store = loaded();
    let before_count = store.reader().audit_count().expect("count");
    // 2 jurisdictions + 2 units + 1 list + 1 for the list's 3 items
    assert_eq!(before_count, 6);

    let mut record = store.reader().item(2).expect("item");
    record.item.name = "对消防设施、器材未保持完好有效的处罚".into();
    store
        .write("张三", Some("依据新修订条文调整名称"), |w| w.put(&mut record))
        .expect("update");

    let log = store.reader().audit_log(1, None).expect("log");
    let entry = &log[0];
    assert_eq!(entry.action, "修改");
    assert_eq!(entry.entity, "事项");
    assert_eq!(entry.entity_id, 2);
    assert_eq!(entry.actor, "张三");
    assert_eq!(entry.reason.as_deref(), Some("依据新修订条文调整名称"));
    let before = entry.before.as_ref().expect("before");
    let after = entry.after.as_ref().expect("after");
    assert_eq!(before["name"], "对消防设施未保持完好有效的处罚");
    assert_eq!(after["name"], "对消防设施、器材未保持完好有效的处罚");
    assert!(after.get("basis").is_none(), "only the fields that changed: {after}");

    // Writing the same content again records nothing new.
    store.write("张三", None, |w| w.put(&mut record)).expect("same");
    assert_eq!(store.reader().audit_count().expect("count"), before_count + 1);

    let deleted: ItemRecord = store
        .write("张三", Some("事项取消"), |w| w.delete(3))
        .expect("delete");
    assert_eq!(deleted.item.name, "危险化学品经营许可");
    let log = store.reader().audit_log(1, Some(("事项", 3))).expect("log");
    assert_eq!(log[0].action, "删除");
    assert!(log[0].after.is_none());
}

#[test]
fn a_failed_change_writes_nothing_not_even_audit() {
    let mut store = loaded();
    let audit = store.reader().audit_count().expect("count");
    let result: Result<()> = store.write("李四", None, |w| {
        let mut record = w.reader().item(1)?;
        record.item.name = "改了一半".into();
        w.put(&mut record)?;
        Err(StoreError::Invalid("中途失败".into()))
    });
    assert!(result.is_err());
    assert_eq!(store.reader().audit_count().expect("count"), audit);
    assert_eq!(
        store.reader().item(1).expect("item").item.name,
        "对生产经营单位未按规定开展安全生产教育培训的处罚"
    );
}

#[test]
fn a_dangling_reference_is_refused_by_foreign_keys_at_commit() {
    let mut store = loaded();
    let mut record = store.reader().item(1).expect("item");
    record.item.handling_unit = Some(999);
    let result = store.write("王五", None, |w| w.put(&mut record));
    assert!(matches!(result, Err(StoreError::Sqlite(_))), "{result:?}");
    assert_eq!(store.reader().item(1).expect("item").item.handling_unit, Some(1));
}

#[test]
fn search_finds_long_and_short_terms_in_names_and_content_with_the_field() {
    let store = loaded();
    let reader = store.reader();
    let names = |q: &str| -> Vec<String> {
        reader
            .search(q, 50)
            .expect("search")
            .into_iter()
            .map(|h| h.item.name)
            .collect()
    };
    assert_eq!(names("消防设施"), vec!["对消防设施未保持完好有效的处罚"]);
    assert_eq!(names("消防"), vec!["对消防设施未保持完好有效的处罚"]);
    // One character, found in content (实施依据) not only in names.
    assert_eq!(names("条").len(), 3);
    // Terms are ANDed; a short and a long one together.
    assert_eq!(names("许可 危险化学品"), vec!["危险化学品经营许可"]);
    // LIKE wildcards in a query are literal.
    assert!(names("%").is_empty());
    assert!(names("   ").is_empty());
    // Content: a law name found only in 实施依据, with the field and a snippet.
    let hits = reader.search("安全生产法", 10).expect("search");
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].field, "实施依据");
    assert_eq!(hits[0].snippet, "【法律】《中华人民共和国安全生产法》第九十七条");
    let by_name = reader.search("消防", 10).expect("search");
    assert_eq!(by_name[0].field, "事项名称");
    // ASCII letters in either case, as before.
    assert_eq!(names("XYZ"), Vec::<String>::new());
}

#[test]
fn a_snippet_is_cut_around_the_match_with_ellipses() {
    let text: String = (0..200).map(|n| if n == 120 { '法' } else { '字' }).collect();
    let cut = read::tests_support::snippet(&text, text.char_indices().nth(120).map(|(i, _)| i).expect("at"), 3);
    assert!(cut.starts_with('…') && cut.ends_with('…'), "{cut}");
    assert!(cut.contains('法'));
    assert_eq!(cut.chars().filter(|c| *c != '…').count(), read::SNIPPET_CHARS);
}

#[test]
fn search_follows_updates_and_deletes() {
    let mut store = loaded();
    let mut record = store.reader().item(3).expect("item");
    record.item.name = "烟花爆竹经营许可".into();
    store.write("测试", None, |w| w.put(&mut record)).expect("update");
    assert!(store.reader().search("危险化学品经营", 10).expect("s").is_empty());
    assert_eq!(store.reader().search("烟花爆竹", 10).expect("s").len(), 1);
    store.write("测试", None, |w| w.delete::<ItemRecord>(3)).expect("delete");
    assert!(store.reader().search("烟花爆竹", 10).expect("s").is_empty());
}

#[test]
fn a_bundle_loaded_into_an_empty_store_dumps_back_identically() {
    let store = loaded();
    assert_eq!(store.reader().dump().expect("dump"), small_bundle());
}

#[test]
fn a_bundle_loaded_twice_gets_fresh_ids_and_keeps_its_references() {
    let mut store = loaded();
    let counts = store
        .write("测试", None, |w| w.load_bundle(&small_bundle()))
        .expect("second load");
    assert_eq!(counts.items, 3);
    let dump = store.reader().dump().expect("dump");
    assert_eq!(dump.jurisdictions.len(), 4);
    let second = &dump.lists[1];
    // The copy is a second entity: its own identity, not the first's.
    assert!(second.uid.is_some() && second.uid != dump.lists[0].uid);
    assert!(second.items[0].uid.is_some() && second.items[0].uid != dump.lists[0].items[0].uid);
    assert_eq!(second.id, 2);
    assert_eq!(second.unit, Some(3));
    assert_eq!(second.items[0].id, 4);
    assert_eq!(second.items[0].handling_unit, Some(3));
    assert_eq!(dump.jurisdictions[3].parent, Some(3));
    assert!(dump.problems().is_empty());
}

#[test]
fn an_invalid_bundle_changes_nothing() {
    let mut store = loaded();
    let mut bad = small_bundle();
    bad.lists[0].items[0].handling_unit = Some(42);
    let audit = store.reader().audit_count().expect("count");
    let result = store.write("测试", None, |w| w.load_bundle(&bad));
    assert!(matches!(result, Err(StoreError::Invalid(_))), "{result:?}");
    assert_eq!(store.reader().audit_count().expect("count"), audit);
    assert_eq!(store.reader().jurisdictions().expect("j").len(), 2);
}

#[test]
fn leaders_in_charge_are_mirrored_for_foreign_keys() {
    let mut bundle = small_bundle();
    bundle.leaders.push(quanze_domain::Leader {
        uid: None,
        id: 1,
        jurisdiction: 1,
        name: "赵六".into(),
        post: "副区长".into(),
        seats: Vec::new(),
    });
    bundle.units[0].leaders_in_charge = vec![1];
    let mut store = Store::open_in_memory().expect("open");
    store.write("测试", None, |w| w.load_bundle(&bundle)).expect("load");
    // Removing a leader who is still in charge of a unit breaks a foreign key.
    let result = store.write("测试", None, |w| w.delete::<quanze_domain::Leader>(1));
    assert!(result.is_err());
}

/// A list of `count` items whose names are all distinct, for the search tests.
fn bundle_with_many_items(count: u32) -> Bundle {
    let mut bundle = small_bundle();
    bundle.lists[0].items = (1..=count)
        .map(|n| item(n, &format!("第{n}号事项的行政检查"), &format!("《示例条例》第{n}条")))
        .collect();
    bundle
}

fn search_ids(store: &Store, query: &str) -> Vec<Id> {
    let mut ids: Vec<Id> = store
        .reader()
        .search(query, 100_000)
        .expect("search")
        .into_iter()
        .map(|hit| hit.item.id)
        .collect();
    ids.sort_unstable();
    ids
}

/// Each item row's `text_ids` are exactly the texts its document refers to (provenance
/// aside): what search relies on.
fn assert_item_texts_match_the_documents(store: &Store) {
    let mut statement = store
        .sqlite()
        .expect("sqlite")
        .prepare("SELECT items.id, d.doc, items.text_ids FROM items JOIN item_documents d ON d.id = items.id")
        .expect("prepare");
    let rows = statement
        .query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?, r.get::<_, Vec<u8>>(2)?)))
        .expect("query");
    let mut checked = 0;
    for row in rows {
        let (id, doc, packed) = row.expect("row");
        let mut value: serde_json::Value = serde_json::from_str(&doc).expect("json");
        if let Some(fields) = value.as_object_mut() {
            fields.remove("provenance");
        }
        let mut used = Vec::new();
        texts::referenced_ids(&value, &mut used);
        assert_eq!(packed, texts::pack_text_ids(&used), "item {id}");
        checked += 1;
    }
    assert!(checked > 0);
}

#[test]
fn a_big_load_is_searchable_the_moment_it_commits() {
    let count = 2_500;
    let mut store = Store::open_in_memory().expect("open");
    store
        .write("测试", None, |w| w.load_bundle(&bundle_with_many_items(count)))
        .expect("load");
    assert_eq!(search_ids(&store, "第2345号事项"), vec![2345]);
    assert_eq!(search_ids(&store, "示例条例").len(), count as usize);
    assert_item_texts_match_the_documents(&store);

    let mut changed = store.reader().item(7).expect("item 7");
    changed.item.name = "改过名字的事项".into();
    store
        .write("测试", Some("改名"), |w| {
            w.put(&mut changed)?;
            w.delete::<ItemRecord>(8)?;
            Ok(())
        })
        .expect("edit");
    assert_eq!(search_ids(&store, "改过名字"), vec![7]);
    assert!(search_ids(&store, "第7号事项").is_empty(), "the old name is no longer found");
    assert!(search_ids(&store, "第8号事项").is_empty(), "a deleted item is gone from search");
    assert_eq!(search_ids(&store, "示例条例").len(), count as usize - 1);
    assert_item_texts_match_the_documents(&store);
}

#[test]
fn a_text_repeated_under_many_items_is_stored_once() {
    let mut bundle = bundle_with_many_items(500);
    let paragraph = "因不履行或不正确履行行政职责，有下列情形的，行政机关及相关工作人员应承担相应的责任：1.没有法律和事实依据实施行政处罚的。";
    for item in &mut bundle.lists[0].items {
        item.accountability_cases = Some(paragraph.into());
    }
    let mut store = Store::open_in_memory().expect("open");
    store.write("测试", None, |w| w.load_bundle(&bundle)).expect("load");
    let stored: i64 = store
        .sqlite()
        .expect("sqlite")
        .query_row("SELECT count(*) FROM texts WHERE hash = ?1", [texts::text_hash(paragraph)], |r| r.get(0))
        .expect("count");
    assert_eq!(stored, 1);
    let documents_with_it: i64 = store
        .sqlite()
        .expect("sqlite")
        .query_row("SELECT count(*) FROM item_documents WHERE instr(doc, ?1) > 0", ["因不履行"], |r| r.get(0))
        .expect("count");
    assert_eq!(documents_with_it, 0, "documents hold a reference, not the text");
    assert_eq!(
        store.reader().item(250).expect("item").item.accountability_cases.as_deref(),
        Some(paragraph)
    );
}

#[test]
fn a_load_is_one_audit_entry_per_list_and_each_item_is_reconstructible_from_it() {
    let mut store = loaded();
    let original = serde_json::to_value(store.reader().item(2).expect("item")).expect("json");
    for name in ["第一次改名", "第二次改名"] {
        let mut record = store.reader().item(2).expect("item");
        record.item.name = name.into();
        record.item.remarks = Some(format!("{name}的备注"));
        store.write("张三", Some(name), |w| w.put(&mut record)).expect("update");
    }
    let history = store.reader().audit_log(10, Some(("事项", 2))).expect("history");
    let actions: Vec<&str> = history.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(actions, ["修改", "修改", "新增"]);
    let run = &history[2];
    assert_eq!((run.entity_id, run.entity_id_last), (1, Some(3)), "one entry for the list's three items");
    let after = run.after.as_ref().expect("after");
    assert_eq!(after["事项"], "#1–#3（3 项）");
    // An update records only what changed (and which item, in which list).
    let update = &history[0];
    let changed: Vec<&String> = update.after.as_ref().and_then(|a| a.as_object()).expect("after").keys().collect();
    assert_eq!(changed, ["id", "list", "name", "remarks"]);
    assert_eq!(store.reader().item_as_created(2).expect("reconstruct"), Some(original));
    assert_eq!(store.reader().item_as_created(99).expect("nothing"), None);
}

#[test]
fn a_version_3_database_migrates_with_its_texts_stored_once_and_stays_searchable() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("v3.db");
    let item_doc = serde_json::json!({
        "list": 1, "position": 0, "id": 1, "uid": "00000000-0000-4000-8000-000000000001",
        "name": "对违法排污的处罚", "basis": "《环境保护法》第五十九条", "extra": [{"header": "备注", "value": "无"}]
    });
    {
        // A version-3 file as the previous release wrote it: whole documents everywhere.
        let conn = Connection::open(&path).expect("open");
        for step in &schema::MIGRATIONS[..3] {
            conn.execute_batch(step.sql).expect("old schema");
        }
        conn.pragma_update(None, "application_id", schema::APPLICATION_ID).expect("id");
        conn.pragma_update(None, "user_version", 3).expect("version");
        conn.execute_batch(
            r#"INSERT INTO jurisdictions(id, name, level, doc) VALUES (1, '示例区', '区', '{"id":1,"name":"示例区","level":"区"}');
               INSERT INTO lists(id, jurisdiction_id, kind, name, doc)
                   VALUES (1, 1, '权责清单', '清单', '{"id":1,"jurisdiction":1,"kind":"权责清单","name":"清单"}');"#,
        )
        .expect("rows");
        conn.execute(
            "INSERT INTO items(id, list_id, position, name, search_text, doc, uid) VALUES (1, 1, 0, '对违法排污的处罚', '', ?1, ?2)",
            rusqlite::params![item_doc.to_string(), "00000000-0000-4000-8000-000000000001"],
        )
        .expect("item");
        conn.execute(
            "INSERT INTO audit_log(at, actor, action, entity, entity_id, label, after) VALUES ('2026-01-01T00:00:00+08:00', '测试', '新增', '事项', 1, '对违法排污的处罚', ?1)",
            [item_doc.to_string()],
        )
        .expect("audit");
    }
    let store = Store::open(&path).expect("migrates");
    assert_eq!(store.schema_version().expect("version"), schema::SCHEMA_VERSION);
    assert_eq!(
        serde_json::to_value(store.reader().item(1).expect("item")).expect("json"),
        item_doc,
        "the item reads back as it was"
    );
    let log = store.reader().audit_log(1, None).expect("log");
    assert_eq!(log[0].after.as_ref(), Some(&item_doc), "the audit entry reads back as it was");
    assert_eq!(search_ids(&store, "环境保护"), vec![1]);
    assert_eq!(search_ids(&store, "排污"), vec![1]);
    assert_item_texts_match_the_documents(&store);
}

#[test]
fn a_dump_can_leave_out_the_versions_of_lists_it_does_not_need() {
    let mut store = loaded();
    let items = store.reader().items(1, 0, 10).expect("items");
    for number in 1..=2 {
        let mut version = quanze_domain::Version {
            uid: None,
            id: 0,
            list: 1,
            number,
            published_on: chrono::NaiveDate::from_ymd_opt(2026, 1, number).expect("date"),
            doc_no: None,
            note: None,
            items: items.clone(),
            changes: Vec::new(),
            despite_findings: None,
        };
        store.write("测试", None, |w| w.put(&mut version)).expect("publish");
    }
    let all = store.reader().dump().expect("dump");
    assert_eq!(all.versions.iter().map(|v| v.number).collect::<Vec<_>>(), [1, 2]);
    assert_eq!(all.versions[0].items, items);
    let none = store.reader().dump_with_versions_of(|list| list.kind != ListKind::Power).expect("dump");
    assert!(none.versions.is_empty());
    assert_eq!(none.lists, all.lists, "everything else is the same");
    let headers = store.reader().version_summaries(1).expect("headers");
    assert_eq!(headers.iter().map(|h| (h.number, h.item_count)).collect::<Vec<_>>(), [(2, 3), (1, 3)]);
}

/// Regression (issue 13, item 2): two processes (here two connections) each making 20 edits
/// that read, then write: a deferred transaction cannot wait for the write lock when it
/// upgrades, so 14–20 of 40 failed at once with "database is locked". Every edit must wait its
/// turn and land, each in the audit log.
#[test]
fn two_writers_at_once_both_succeed_and_every_change_is_audited() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("two-writers.db");
    {
        let mut store = Store::open(&path).expect("open");
        store.write("测试", None, |w| w.load_bundle(&small_bundle())).expect("load");
    }
    let before = Store::open(&path).expect("open").reader().audit_count().expect("count");
    let writers: Vec<_> = ["甲", "乙"]
        .into_iter()
        .map(|actor| {
            let path = path.clone();
            std::thread::spawn(move || -> Vec<String> {
                let mut store = Store::open(&path).expect("open");
                (0..20)
                    .filter_map(|k| {
                        store
                            .write(actor, None, |w| {
                                let mut record = w.reader().item(2)?;
                                // Hold the read a moment, as an edit with more work would.
                                std::thread::sleep(std::time::Duration::from_millis(2));
                                record.item.name = format!("对消防设施未保持完好有效的处罚（{actor}{k}）");
                                w.put(&mut record)
                            })
                            .err()
                            .map(|e| e.to_string())
                    })
                    .collect()
            })
        })
        .collect();
    let failures: Vec<String> = writers.into_iter().flat_map(|w| w.join().expect("thread")).collect();
    assert!(failures.is_empty(), "{} of 40 edits failed: {:?}", failures.len(), failures.first());
    let after = Store::open(&path).expect("open").reader().audit_count().expect("count");
    assert_eq!(after, before + 40);
}

/// Schema version 7: every write of a row adds one to its version — an edit, a renumbering of
/// positions — and a write that changes nothing leaves it.
#[test]
fn every_write_of_a_row_adds_one_to_its_version() {
    let mut store = loaded();
    let version = |store: &Store, id| store.reader().row_version::<ItemRecord>(id).expect("version");
    assert_eq!(version(&store, 2), 1, "written once, by the load");
    store
        .write("测试", None, |w| {
            assert_eq!(w.lock::<ItemRecord>(2)?, 1);
            let mut record = w.reader().item(2)?;
            record.item.name = "对消防设施未保持完好有效的处罚（改）".into();
            w.put(&mut record)
        })
        .expect("edit");
    assert_eq!(version(&store, 2), 2);
    store
        .write("测试", None, |w| {
            let mut record = w.reader().item(2)?;
            w.put(&mut record)
        })
        .expect("unchanged");
    assert_eq!(version(&store, 2), 2, "nothing written, no new version");
    store.write("测试", None, |w| w.shift_item_positions(1, 0, 3, 1)).expect("shift");
    assert_eq!((version(&store, 1), version(&store, 2), version(&store, 3)), (2, 3, 2));
    let mut list = ListRecord::new(&store.reader().list(1).expect("list"));
    list.0.name = "区应急管理局权责清单（修订）".into();
    store.write("测试", None, |w| w.put(&mut list)).expect("rename");
    assert_eq!(store.reader().row_version::<ListRecord>(1).expect("version"), 2);
    assert!(matches!(
        store.write("测试", None, |w| w.lock::<ItemRecord>(99)),
        Err(StoreError::NotFound { id: 99, .. })
    ));
}

/// A file at schema version 6 migrates to 7 (step 0007): every row gets version 1.
#[test]
fn a_version_6_file_migrates_with_every_row_at_version_1() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("v6.db");
    {
        let conn = Connection::open(&path).expect("open");
        for step in &schema::MIGRATIONS[..6] {
            conn.execute_batch(step.sql).expect("step");
            if let Some(then) = step.then {
                then(&conn).expect("then");
            }
        }
        conn.pragma_update(None, "application_id", schema::APPLICATION_ID).expect("id");
        conn.pragma_update(None, "user_version", 6).expect("version");
        conn.execute("INSERT INTO jurisdictions (id, name, level, doc) VALUES (5, '旧区', '区', '{}')", [])
            .expect("old row");
    }
    let store = Store::open(&path).expect("migrate");
    assert_eq!(store.schema_version().expect("version"), schema::SCHEMA_VERSION);
    let version: i64 = store
        .sqlite()
        .expect("sqlite")
        .query_row("SELECT version FROM jurisdictions WHERE id = 5", [], |r| r.get(0))
        .expect("row");
    assert_eq!(version, 1);
}

/// `Writer::put_over` (issue 19): an entity read before the transaction and changed is written
/// over another writer's change of another field meanwhile (both kept); a change of the same
/// field is a conflict with both values, nothing written. Two stores on one database at `path`.
pub(crate) fn an_entity_is_put_over_another_writers_change(path: &Path) {
    let mut first = Store::open(path).expect("open");
    first.write("测试", None, |w| w.load_bundle(&small_bundle())).expect("load");
    let mut second = Store::open(path).expect("open again");

    let base = first.reader().jurisdiction(2).expect("street");
    let mut renamed = base.clone();
    renamed.name = "东湖新街道".into();
    let mut called = second.reader().jurisdiction(2).expect("street");
    called.designation = Some("镇".into());
    second.write("乙", None, |w| w.put(&mut called)).expect("another field, meanwhile");
    first.write("甲", None, |w| w.put_over(&mut renamed, &base)).expect("over it");
    let now = first.reader().jurisdiction(2).expect("street");
    assert_eq!((now.name.as_str(), now.designation.as_deref()), ("东湖新街道", Some("镇")), "both kept");
    assert_eq!(first.reader().row_version::<Jurisdiction>(2).expect("version"), 3);

    let base = now;
    let mut mine = base.clone();
    mine.name = "甲改的街道名".into();
    let mut theirs = base.clone();
    theirs.name = "乙改的街道名".into();
    second.write("乙", None, |w| w.put_over(&mut theirs, &base)).expect("the other writer first");
    let entries = first.reader().audit_count().expect("count");
    let refused = first.write("甲", None, |w| w.put_over(&mut mine, &base)).expect_err("the same field");
    assert_eq!(
        refused.to_string(),
        "另一位用户已把辖区“乙改的街道名”的「名称」改为「乙改的街道名」，您的修改「甲改的街道名」未保存"
    );
    assert_eq!(first.reader().jurisdiction(2).expect("street").name, "乙改的街道名", "nothing written");
    assert_eq!(first.reader().audit_count().expect("count"), entries);
}

#[test]
fn on_sqlite_an_entity_is_put_over_another_writers_change() {
    let dir = tempfile::tempdir().expect("dir");
    an_entity_is_put_over_another_writers_change(&dir.path().join("put-over.db"));
}

#[test]
fn a_conflict_over_the_same_change_says_so_instead_of_showing_one_value_twice() {
    let conflict = |theirs: &str, yours: &str| StoreError::EditConflict {
        entity: "准入申请",
        label: "协助开展走访".into(),
        field: "状态".into(),
        theirs: theirs.into(),
        yours: yours.into(),
    };
    assert_eq!(
        conflict("准入", "准入").to_string(),
        "另一位用户已把准入申请“协助开展走访”的「状态」改为「准入」，与您要做的修改相同，无需再次保存"
    );
    assert_eq!(
        conflict("准入", "不予准入").to_string(),
        "另一位用户已把准入申请“协助开展走访”的「状态」改为「准入」，您的修改「不予准入」未保存"
    );
}
