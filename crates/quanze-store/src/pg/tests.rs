//! Tests of the PostgreSQL backend against a real server: the one `QUANZE_TEST_PG` names
//! (`scripts/pg-throwaway.sh start` makes one; `cargo xtask test` does it for CI). Each test
//! makes a database of its own there and drops it afterwards. Without `QUANZE_TEST_PG` the
//! server tests say so and pass, except under `CI=true`, where a missing server fails them.

use std::collections::BTreeSet;

use postgres::Client;

use super::test_database::TestDatabase;
use super::*;
use crate::Store;

/// Prepare the schema of the database at `url` through a connection of its own.
fn prepare(url: &str) -> Result<i32> {
    PgConnection::connect(url).expect("connect").prepare_schema()
}

/// (table, column, NOT NULL) of every column of SQLite's current schema.
fn sqlite_columns(store: &Store) -> BTreeSet<(String, String, bool)> {
    let mut statement = store
        .sqlite()
        .expect("sqlite")
        .prepare(
            "SELECT m.name, p.name, p.\"notnull\" OR p.pk FROM sqlite_master m, pragma_table_info(m.name) p \
             WHERE m.type = 'table'",
        )
        .expect("prepare");
    let rows = statement
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .expect("query");
    rows.map(|r| r.expect("row")).collect()
}

/// PostgreSQL's columns, but for its own tables: `schema_version` (SQLite's PRAGMAs) and
/// `role_scopes` (the server's accounts; a file has none).
fn pg_columns(client: &mut Client) -> BTreeSet<(String, String, bool)> {
    client
        .query(
            "SELECT table_name::text, column_name::text, is_nullable = 'NO' FROM information_schema.columns \
             WHERE table_schema = current_schema() AND table_name NOT IN ('schema_version', 'role_scopes')",
            &[],
        )
        .expect("columns")
        .iter()
        .map(|row| (row.get(0), row.get(1), row.get(2)))
        .collect()
}

/// (table, column, referenced table) of every foreign key, and whether each is deferred.
fn sqlite_foreign_keys(store: &Store) -> BTreeSet<(String, String, String)> {
    let mut statement = store
        .sqlite()
        .expect("sqlite")
        .prepare("SELECT m.name, f.\"from\", f.\"table\" FROM sqlite_master m, pragma_foreign_key_list(m.name) f WHERE m.type = 'table'")
        .expect("prepare");
    let rows = statement
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .expect("query");
    rows.map(|r| r.expect("row")).collect()
}

fn pg_foreign_keys(client: &mut Client) -> BTreeSet<(String, String, String)> {
    let rows = client
        .query(
            "SELECT t.relname::text, a.attname::text, r.relname::text, c.condeferrable AND c.condeferred \
             FROM pg_constraint c \
             JOIN pg_class t ON t.oid = c.conrelid \
             JOIN pg_class r ON r.oid = c.confrelid \
             JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1] \
             WHERE c.contype = 'f' AND t.relnamespace = current_schema()::regnamespace AND t.relname <> 'role_scopes'",
            &[],
        )
        .expect("foreign keys");
    rows.iter()
        .map(|row| {
            let (table, column): (String, String) = (row.get(0), row.get(1));
            assert!(row.get::<_, bool>(3), "{table}.{column}: foreign keys are DEFERRABLE INITIALLY DEFERRED, as in SQLite");
            (table, column, row.get(2))
        })
        .collect()
}

fn sqlite_index_names(store: &Store) -> BTreeSet<String> {
    let mut statement = store
        .sqlite()
        .expect("sqlite")
        .prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL")
        .expect("prepare");
    let rows = statement.query_map([], |r| r.get(0)).expect("query");
    rows.map(|r| r.expect("row")).collect()
}

fn pg_index_names(client: &mut Client) -> BTreeSet<String> {
    client
        .query("SELECT indexname::text FROM pg_indexes WHERE schemaname = current_schema()", &[])
        .expect("indexes")
        .iter()
        .map(|row| row.get(0))
        .collect()
}

/// A session sorts in memory up to 64 MB (`SESSION_OPTIONS`: reading every item in list order
/// went to disk with the server's 4 MB), and options in the address still win.
#[test]
fn a_session_sorts_in_memory_unless_the_address_says_otherwise() {
    let Some(database) = TestDatabase::new("session_options") else { return };
    let work_mem = |url: &str| -> String { connect(url).expect("connect").query_one("SHOW work_mem", &[]).expect("show").get(0) };
    assert_eq!(work_mem(&database.url), "64MB");
    let joiner = if database.url.contains('?') { '&' } else { '?' };
    assert_eq!(work_mem(&format!("{}{joiner}options=-c%20work_mem%3D8MB", database.url)), "8MB");
}

#[test]
fn the_postgresql_schema_has_sqlites_tables_columns_keys_and_indexes() {
    let Some(database) = TestDatabase::new("schema") else { return };
    let mut client = database.client();
    assert_eq!(prepare(&database.url).expect("create"), 0);
    let sqlite = Store::open_in_memory().expect("sqlite");
    assert_eq!(pg_columns(&mut client), sqlite_columns(&sqlite), "same tables, columns and NOT NULLs");
    assert_eq!(pg_foreign_keys(&mut client), sqlite_foreign_keys(&sqlite), "same foreign keys");
    let pg_indexes = pg_index_names(&mut client);
    let missing: Vec<String> = sqlite_index_names(&sqlite).into_iter().filter(|n| !pg_indexes.contains(n)).collect();
    assert!(missing.is_empty(), "SQLite's indexes missing on PostgreSQL: {missing:?}");
    assert!(pg_indexes.contains("texts_body_trigrams"));
    let version: i32 = client.query_one("SELECT version FROM schema_version", &[]).expect("version").get(0);
    assert_eq!(version, schema::SCHEMA_VERSION, "PostgreSQL's steps reach the version SQLite's do");
    assert_eq!(MIGRATIONS.last().map(|m| m.0), Some(schema::SCHEMA_VERSION));
}

#[test]
fn a_prepared_database_is_left_alone_and_others_are_refused() {
    let Some(database) = TestDatabase::new("recognise") else { return };
    let mut client = database.client();
    assert_eq!(prepare(&database.url).expect("create"), 0);
    client
        .execute("INSERT INTO texts (hash, body) VALUES (1, '留下')", &[])
        .expect("insert");
    assert_eq!(prepare(&database.url).expect("again"), schema::SCHEMA_VERSION);
    let kept: i64 = client.query_one("SELECT count(*) FROM texts", &[]).expect("count").get(0);
    assert_eq!(kept, 1, "preparing a current database changes nothing");

    client
        .execute("UPDATE schema_version SET version = $1", &[&(schema::SCHEMA_VERSION + 1)])
        .expect("newer");
    assert!(matches!(prepare(&database.url), Err(StoreError::TooNew { .. })));

    let Some(other) = TestDatabase::new("foreign") else { return };
    let mut other_client = other.client();
    other_client.batch_execute("CREATE TABLE accounts (id int)").expect("foreign table");
    assert!(matches!(prepare(&other.url), Err(StoreError::NotQuanze { .. })));
}

#[test]
fn search_finds_texts_of_any_length_of_query_and_uses_trigrams_from_three() {
    let Some(database) = TestDatabase::new("search") else { return };
    let mut client = database.client();
    prepare(&database.url).expect("create");
    let bodies = ["行政许可事项", "城市管理 50% 的事项", "a_b", "ab", "审批"];
    let mut ids = Vec::new();
    for body in bodies {
        let row = client
            .query_one(
                "INSERT INTO texts (hash, body) VALUES ($1, $2) RETURNING id",
                &[&crate::texts::text_hash(body), &body],
            )
            .expect("insert");
        ids.push(row.get::<_, i64>(0));
    }
    client
        .execute(
            "INSERT INTO texts (hash, body) SELECT g, '第' || g || '条 其他内容' FROM generate_series(1, 2000) g",
            &[],
        )
        .expect("filler");
    client.batch_execute("ANALYZE texts").expect("analyze");
    let connection = PgConnection::connect(&database.url).expect("connect");
    let find = |query: &str| {
        let mut ids = texts_containing(Conn::Postgres(&connection), query).expect("search");
        ids.sort_unstable();
        ids
    };
    assert_eq!(find("许"), vec![ids[0]], "one character");
    assert_eq!(find("事项"), vec![ids[0], ids[1]], "two characters");
    assert_eq!(find("许可事"), vec![ids[0]], "three characters");
    assert_eq!(find("可管"), Vec::<i64>::new());
    assert_eq!(find("%"), vec![ids[1]], "% is a character, not a wildcard");
    assert_eq!(find("_"), vec![ids[2]], "_ is a character, not a wildcard");
    assert_eq!(find("A_B"), vec![ids[2]], "ASCII letters in either case, as in a file's search");

    // The trigram index can answer a Chinese query of three characters (the database's
    // LC_CTYPE classes CJK as letters); the planner is told not to prefer a scan of this
    // small table, so that the plan shows whether the index is usable at all.
    client.batch_execute("SET enable_seqscan = off").expect("set");
    let plan: Vec<String> = client
        .query("EXPLAIN SELECT id FROM texts WHERE body LIKE $1", &[&contains_pattern("许可事")])
        .expect("explain")
        .iter()
        .map(|row| row.get(0))
        .collect();
    assert!(plan.iter().any(|line| line.contains("texts_body_trigrams")), "{plan:#?}");
}

#[test]
fn urls_are_told_from_paths_and_shown_without_passwords() {
    assert!(is_server_url("postgresql://编办@db.local/quanze"));
    assert!(is_server_url("postgres://u@h/d"));
    assert!(!is_server_url("/home/a/quanze.db"));
    assert!(!is_server_url("postgresql.db"));
    assert_eq!(shown_url("postgresql://zhang:secret@db:5432/quanze"), "postgresql://zhang@db:5432/quanze");
    assert_eq!(shown_url("postgresql://zhang@db/quanze"), "postgresql://zhang@db/quanze");
    assert_eq!(contains_pattern(r"5%_\"), r"%5\%\_\\%");
}

/// Step 10 drops step 9's search index and its function: a database brought forward holds
/// neither (search reads the items' short rows; docs/benchmarks/server.md says why).
#[test]
fn step_ten_leaves_no_search_index_on_items() {
    let Some(database) = TestDatabase::new("step_ten") else { return };
    let mut client = database.client();
    prepare(&database.url).expect("create");
    let leftovers: i64 = client
        .query_one(
            "SELECT (SELECT count(*) FROM pg_indexes WHERE indexname = 'items_text_ids') \
             + (SELECT count(*) FROM pg_proc WHERE proname = 'quanze_text_ids')",
            &[],
        )
        .expect("count")
        .get(0);
    assert_eq!(leftovers, 0);
}

/// A server error names what the server said. Regression: the message ended in "db error"
/// (postgres::Error's own Display), so a clerk — and whoever they asked — saw nothing of it.
#[test]
fn a_server_error_says_what_the_server_said() {
    let Some(database) = TestDatabase::new("error_text") else { return };
    let connection = PgConnection::connect(&database.url).expect("connect");
    let error = texts_containing(Conn::Postgres(&connection), "许可").expect_err("no texts table before the schema");
    let text = error.to_string();
    assert!(text.starts_with(&format!("数据库服务器 {} 出错：", shown_url(&database.url))), "{text}");
    assert!(text.contains("relation \"texts\" does not exist") && text.contains("42P01"), "{text}");
}

/// The SHA-256 of every released PostgreSQL step (like SQLite's in `crate::tests`).
const FROZEN_PG_STEPS: &[(&str, &str)] = &[
    ("0006.sql", "210e4d169f188b4e5cd84558464f7e17e6ef33ecaf1e2c48f3c2018aaff2407c"),
    ("0007.sql", "189e8fe81b30f90754f42e21fce9daefa12a9f3cc9590ac01f7badf44c1d54e2"),
    ("0008.sql", "6b98e23ed0fff0183be884a85c98b4719e53d3d6b7417c90ee3e7e2b5fdb3476"),
    ("0009.sql", "9d4041f11711b8a73a45ef6108310af28eb996c8dd2290db3b55bd105542aafc"),
    ("0010.sql", "89a074f0120a2af1afa75943a458cbaba3bcb090677a45c411eba021acaf8e88"),
    ("0011.sql", "814c3e4db895ceff17ae05932a768548819aaccc0d449f8a2e908a66d5d9db5d"),
];

#[test]
fn postgresql_steps_are_pinned_and_every_file_is_a_step() {
    use sha2::{Digest, Sha256};
    let listed: Vec<(&str, String)> = MIGRATIONS
        .iter()
        .map(|(_, file, sql)| (*file, Sha256::digest(sql.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()))
        .collect();
    let pinned: Vec<(&str, String)> = FROZEN_PG_STEPS.iter().map(|(f, h)| (*f, h.to_string())).collect();
    assert_eq!(listed, pinned, "a PostgreSQL step was edited, or added without pinning its hash");
    for (version, file, _) in MIGRATIONS {
        assert_eq!(*file, format!("{version:04}.sql"));
    }
    let folder = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations").join("pg");
    let mut files: Vec<String> = std::fs::read_dir(&folder)
        .expect("migrations/pg")
        .map(|entry| entry.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    let steps: Vec<&str> = MIGRATIONS.iter().map(|(_, file, _)| *file).collect();
    assert_eq!(files, steps);
}
