//! Issue 14, item 5: a schema-2 database holding the sample district migrates with nothing
//! lost — every entity equals that of a fresh load, the whole audit history reads back exactly
//! as it was written (every document of every entry), and every entity has gained a stable
//! identity.
//!
//! The schema-2 database is written here as the release that made it wrote one: the frozen
//! steps 0001–0002 of the schema, then every entity of the sample district as a row (its
//! columns and its whole JSON document, without uid) with one audit entry per row holding that
//! document. The test then opens it as a user would, which runs steps 3 and 4.

use quanze_api::Api;
use quanze_domain::Bundle;
use quanze_store::record::{ItemRecord, ListRecord, Record};
use quanze_store::schema;
use rusqlite::types::Value;

const AT: &str = "2026-06-01T09:00:00+08:00";
const ACTOR: &str = "测试";
const REASON: &str = "载入 示例辖区";

/// Write `record` as the schema-2 writer did: its columns, `search_text` for an item (queued
/// for the old search index), its document; and its audit entry.
fn write_row<R: Record>(conn: &rusqlite::Connection, record: &R) {
    let doc = serde_json::to_string(record).expect("doc");
    let mut columns = record.columns();
    if R::TABLE == "items" {
        columns.push(("search_text", Value::Text(String::new())));
    }
    columns.push(("doc", Value::Text(doc.clone())));
    columns.push(("id", Value::Integer(i64::from(record.id()))));
    let names: Vec<&str> = columns.iter().map(|(n, _)| *n).collect();
    let marks: Vec<String> = (1..=names.len()).map(|i| format!("?{i}")).collect();
    conn.execute(
        &format!("INSERT INTO {} ({}) VALUES ({})", R::TABLE, names.join(", "), marks.join(", ")),
        rusqlite::params_from_iter(columns.into_iter().map(|(_, v)| v)),
    )
    .expect("row");
    conn.execute(
        "INSERT INTO audit_log(at, actor, action, entity, entity_id, label, before, after, reason)
         VALUES (?1, ?2, '新增', ?3, ?4, ?5, NULL, ?6, ?7)",
        rusqlite::params![AT, ACTOR, R::ENTITY, record.id(), record.label(), doc, REASON],
    )
    .expect("audit");
}

/// A schema-2 database at `path` holding `bundle` (without uids), as the previous release wrote it.
fn write_schema_2_database(path: &std::path::Path, bundle: &Bundle) {
    let conn = rusqlite::Connection::open(path).expect("open");
    for step in &schema::MIGRATIONS[..2] {
        conn.execute_batch(step.sql).expect("old schema");
    }
    conn.pragma_update(None, "application_id", schema::APPLICATION_ID).expect("id");
    conn.pragma_update(None, "user_version", 2).expect("version");
    conn.execute_batch("BEGIN").expect("begin");
    bundle.jurisdictions.iter().for_each(|r| write_row(&conn, r));
    bundle.leaders.iter().for_each(|r| write_row(&conn, r));
    for unit in &bundle.units {
        write_row(&conn, unit);
        for leader in &unit.leaders_in_charge {
            conn.execute("INSERT INTO unit_leaders_in_charge(unit_id, leader_id) VALUES (?1, ?2)", [unit.id, *leader])
                .expect("in charge");
        }
    }
    for list in &bundle.lists {
        write_row(&conn, &ListRecord::new(list));
        for (position, item) in list.items.iter().enumerate() {
            let position = u32::try_from(position).expect("position");
            write_row(&conn, &ItemRecord { list: list.id, position, item: item.clone() });
        }
    }
    bundle.admission_requests.iter().for_each(|r| write_row(&conn, r));
    bundle.waivers.iter().for_each(|r| write_row(&conn, r));
    bundle.versions.iter().for_each(|r| write_row(&conn, r));
    conn.execute_batch("COMMIT").expect("commit");
}

/// The bundle with every entity's uid taken out; and whether every entity had one.
fn without_uids(mut bundle: Bundle) -> (Bundle, bool) {
    let mut all_identified = true;
    for (_, uid) in bundle.uid_slots_mut() {
        all_identified &= uid.take().is_some();
    }
    for version in &mut bundle.versions {
        version.items.iter_mut().for_each(|i| i.uid = None);
    }
    (bundle, all_identified)
}

type Entry = (String, String, String, u32, String, Option<String>, Option<serde_json::Value>, Option<serde_json::Value>);

/// The audit log as the schema-2 file holds it, read with plain SQL.
fn written_history(path: &std::path::Path) -> Vec<Entry> {
    let conn = rusqlite::Connection::open(path).expect("open");
    let mut statement = conn
        .prepare("SELECT actor, action, entity, entity_id, label, reason, before, after FROM audit_log ORDER BY id DESC")
        .expect("prepare");
    let json = |text: Option<String>| text.map(|t| serde_json::from_str(&t).expect("json"));
    statement
        .query_map([], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, json(r.get(6)?), json(r.get(7)?)))
        })
        .expect("query")
        .map(|r| r.expect("row"))
        .collect()
}

/// The audit history as users read it (`quanze history`), newest first.
fn history(api: &Api) -> Vec<Entry> {
    let count = u32::try_from(api.audit_entry_count().expect("count")).expect("small");
    api.history(count)
        .expect("history")
        .into_iter()
        .map(|e| (e.actor, e.action, e.entity, e.entity_id, e.label, e.reason, e.before, e.after))
        .collect()
}

#[test]
fn a_schema_2_database_of_the_sample_district_migrates_with_nothing_lost() {
    let dir = tempfile::tempdir().expect("tempdir");
    let fresh_path = dir.path().join("fresh.db");
    let old_path = dir.path().join("old.db");
    {
        let mut api = Api::open(&fresh_path).expect("open");
        api.load_sample_district(ACTOR).expect("load");
    }
    let fresh = Api::open(&fresh_path).expect("fresh");
    let (fresh_bundle, _) = without_uids(fresh.dump().expect("dump"));
    write_schema_2_database(&old_path, &fresh_bundle);
    let written = written_history(&old_path);
    assert!(written.len() > 5_000, "the sample district, one entry per entity: {}", written.len());

    let migrated = Api::open(&old_path).expect("migrate");
    let (migrated_bundle, identified) = without_uids(migrated.dump().expect("dump"));
    assert!(identified, "an entity has no uid after the migration");
    assert!(migrated_bundle == fresh_bundle, "an entity changed in the migration");
    let read_back = history(&migrated);
    assert_eq!(read_back.len(), written.len());
    for (after, before) in read_back.iter().zip(&written) {
        // Every document of every entry exactly as written (step 4 moved their texts only).
        assert_eq!(after, before, "an audit entry changed in the migration");
    }
    let mut uids: Vec<_> = migrated
        .dump()
        .expect("dump")
        .uid_slots_mut()
        .into_iter()
        .filter_map(|(_, uid)| uid.clone())
        .collect();
    let total = uids.len();
    uids.sort();
    uids.dedup();
    assert_eq!(uids.len(), total, "two entities share a uid");
    let hits = migrated.search("安全生产", 5).expect("search");
    assert!(!hits.is_empty(), "the migrated items are searchable");
}
