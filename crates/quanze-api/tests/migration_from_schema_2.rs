//! Issue 14, item 5: a schema-2 database holding the sample district migrates with nothing
//! lost — every entity and the whole audit history equal those of a fresh load, and every
//! entity has gained a stable identity.
//!
//! The schema-2 database is made from a fresh load by taking schema 3's step back with SQL:
//! the uid columns, their indexes and the uids in the JSON documents (and in the audit log's
//! copies) removed, `user_version` set to 2. That is what a database written by the previous
//! release holds; the test then opens it as a user would.

use quanze_api::Api;
use quanze_domain::Bundle;

const TABLES: [&str; 8] = [
    "jurisdictions",
    "leaders",
    "units",
    "lists",
    "items",
    "admission_requests",
    "waivers",
    "versions",
];

/// Turn a current database back into schema 2, as the previous release wrote it.
fn step_back_to_schema_2(path: &std::path::Path) {
    let conn = rusqlite::Connection::open(path).expect("open");
    for table in TABLES {
        conn.execute_batch(&format!(
            "DROP INDEX {table}_uid;
             UPDATE {table} SET doc = json_remove(doc, '$.uid');
             ALTER TABLE {table} DROP COLUMN uid;"
        ))
        .expect("step back");
    }
    conn.execute_batch(
        "UPDATE audit_log SET before = json_remove(before, '$.uid') WHERE before IS NOT NULL;
         UPDATE audit_log SET after = json_remove(after, '$.uid') WHERE after IS NOT NULL;
         PRAGMA user_version = 2;",
    )
    .expect("audit and version");
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

/// The audit history as users read it (`quanze history`), without the documents' uids.
fn history(api: &Api) -> Vec<(String, String, String, u32, String, Option<String>)> {
    let count = u32::try_from(api.audit_entry_count().expect("count")).expect("small");
    api.history(count)
        .expect("history")
        .into_iter()
        .map(|e| (e.actor, e.action, e.entity, e.entity_id, e.label, e.reason))
        .collect()
}

#[test]
fn a_schema_2_database_of_the_sample_district_migrates_with_nothing_lost() {
    let dir = tempfile::tempdir().expect("tempdir");
    let fresh_path = dir.path().join("fresh.db");
    let old_path = dir.path().join("old.db");
    {
        let mut api = Api::open(&fresh_path).expect("open");
        api.load_sample_district("测试").expect("load");
    }
    std::fs::copy(&fresh_path, &old_path).expect("copy");
    step_back_to_schema_2(&old_path);

    let fresh = Api::open(&fresh_path).expect("fresh");
    let migrated = Api::open(&old_path).expect("migrate");
    let (fresh_bundle, _) = without_uids(fresh.dump().expect("dump"));
    let (migrated_bundle, identified) = without_uids(migrated.dump().expect("dump"));
    assert!(identified, "an entity has no uid after the migration");
    assert!(migrated_bundle == fresh_bundle, "an entity changed in the migration");
    assert_eq!(history(&migrated), history(&fresh), "the audit history changed");
    // Identities were made anew (the old release had none), one per entity.
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
}
