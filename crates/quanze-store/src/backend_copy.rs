//! Moving a whole database from one backend to the other (`quanze migrate`, issue 19): an
//! office's SQLite file onto its new PostgreSQL server, or a server's database back into a file.
//!
//! Every row of every table goes across with its id, its version and its history: the copy is
//! the tables themselves, column by column, not the domain's entities (which would renumber and
//! lose the audit log). Both databases must be at the same schema version (opening them brings
//! both to this build's). The target must be empty. The copy is one transaction on the target,
//! and before it commits, both databases are read back table by table in key order into a
//! digest of their values (SHA-256; JSON documents compared as values, since PostgreSQL's
//! `jsonb` reorders keys; a text body compared as its text, since SQLite deflates long ones). A
//! difference rolls the copy back.
//!
//! On PostgreSQL the copy needs an account that sees every row and keeps the audit log's actors:
//! a superuser or the owner of the tables (`migrations/pg/0008.sql`: row-level security does
//! not apply to them, and the actor trigger leaves their entries as written). The accounts
//! (`role_scopes`) stay on the server: a file has none.

use sha2::{Digest, Sha256};

use crate::backend::{Conn, Value};
use crate::{texts, Database, Result, Store, StoreError};

/// The tables that hold an office's data, on both backends. (A test checks the list against
/// SQLite's schema, so that a new table cannot be left behind.)
pub(crate) const COPIED_TABLES: [&str; 14] = [
    "jurisdictions",
    "leaders",
    "units",
    "unit_leaders_in_charge",
    "lists",
    "admission_requests",
    "items",
    "item_documents",
    "waivers",
    "versions",
    "audit_log",
    "texts",
    "exchange_packages",
    "change_requests",
];

/// Columns that hold JSON documents: compared as values, not as text.
const JSON_COLUMNS: [&str; 3] = ["doc", "before", "after"];

/// Rows read per statement: memory stays bounded on a 50,000-item list.
const BATCH: i64 = 1_000;

/// One table moved: its rows and the digest both databases gave for it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct TableCopied {
    pub table: String,
    pub rows: u64,
    /// SHA-256 of the table's values in key order, the same on both sides.
    pub digest: String,
}

/// What a copy between backends did.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct CopyReport {
    pub from: String,
    pub to: String,
    pub tables: Vec<TableCopied>,
}

impl Store {
    /// Copy every table of this database into `target`, which must be empty (see the module
    /// documentation). `progress` hears each table's name and rows copied so far.
    pub fn copy_into(&self, target: &mut Store, progress: &mut dyn FnMut(&str, u64)) -> Result<CopyReport> {
        target.ensure_writable()?;
        let (from_version, to_version) = (self.schema_version()?, target.schema_version()?);
        if from_version != to_version {
            return Err(StoreError::Invalid(format!(
                "两个数据库的结构版本不同（{from_version} 与 {to_version}）：请先用这一版 Quanze 分别打开它们"
            )));
        }
        may_copy(self.db(), "读取")?;
        may_copy(target.db(), "写入")?;
        for table in COPIED_TABLES {
            if count(target.db(), table)? > 0 {
                return Err(StoreError::Invalid(format!(
                    "目标数据库 {} 不是空的（{table} 中已有数据）：迁移只写入新建的空数据库",
                    target.path().display()
                )));
            }
        }
        let report = CopyReport {
            from: self.path().display().to_string(),
            to: target.path().display().to_string(),
            tables: Vec::new(),
        };
        let source = self.db();
        match &mut target.db {
            Database::Sqlite(conn) => {
                let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
                let report = copy_tables(source, Conn::Sqlite(&tx), report, progress)?;
                tx.commit()?;
                Ok(report)
            }
            Database::Postgres(pg) => pg.transaction(|conn| {
                let report = copy_tables(source, conn, report, progress)?;
                move_sequences_past_ids(conn)?;
                Ok(report)
            }),
        }
    }
}

/// Copy and verify every table inside the target's open transaction.
fn copy_tables(source: Conn<'_>, target: Conn<'_>, mut report: CopyReport, progress: &mut dyn FnMut(&str, u64)) -> Result<CopyReport> {
    for table in COPIED_TABLES {
        let columns = columns(source, table)?;
        let target_columns = columns_sorted(target, table)?;
        let mut sorted = columns.clone();
        sorted.sort();
        if sorted != target_columns {
            return Err(StoreError::Invalid(format!(
                "{table} 的列在两个数据库中不同（{} 与 {}）",
                sorted.join("、"),
                target_columns.join("、")
            )));
        }
        let placeholders: Vec<String> = (1..=columns.len()).map(|n| format!("?{n}")).collect();
        let insert = format!("INSERT INTO {table} ({}) VALUES ({})", columns.join(", "), placeholders.join(", "));
        let body = columns.iter().position(|c| table == "texts" && c == "body");
        let mut rows = 0_u64;
        for_each_batch(source, table, &columns, &mut |mut values| {
            if let Some(index) = body {
                let id = text_id(&values);
                let text = texts::read_stored_body(id, &values[index])?;
                values[index] = texts::stored_body(target, &text);
            }
            target.execute(&insert, &values)?;
            rows += 1;
            if rows % 5_000 == 0 {
                progress(table, rows);
            }
            Ok(())
        })?;
        progress(table, rows);
        let (from_digest, from_rows) = table_digest(source, table, &columns)?;
        let (to_digest, to_rows) = table_digest(target, table, &columns)?;
        if from_digest != to_digest || from_rows != rows || to_rows != rows {
            return Err(StoreError::Invalid(format!(
                "迁移后核对不一致：{table} 原有 {from_rows} 行，写入 {rows} 行，目标读回 {to_rows} 行，内容摘要{}；迁移已撤销，目标数据库未改动",
                if from_digest == to_digest { "相同" } else { "不同" }
            )));
        }
        report.tables.push(TableCopied {
            table: table.to_string(),
            rows,
            digest: from_digest,
        });
    }
    Ok(report)
}

/// The digest of a table's values in key order, and its row count (see the module
/// documentation for what is compared as what).
pub(crate) fn table_digest(conn: Conn<'_>, table: &str, columns: &[String]) -> Result<(String, u64)> {
    let mut hasher = Sha256::new();
    let mut rows = 0_u64;
    let json: Vec<bool> = columns.iter().map(|c| JSON_COLUMNS.contains(&c.as_str())).collect();
    let body = columns.iter().position(|c| table == "texts" && c == "body");
    for_each_batch(conn, table, columns, &mut |values| {
        rows += 1;
        for (index, value) in values.iter().enumerate() {
            let canonical = if Some(index) == body {
                Value::Text(texts::read_stored_body(text_id(&values), value)?)
            } else {
                value.clone()
            };
            digest_value(&mut hasher, &canonical, json[index]);
        }
        hasher.update(b"\n");
        Ok(())
    })?;
    Ok((hasher.finalize().iter().map(|b| format!("{b:02x}")).collect(), rows))
}

fn digest_value(hasher: &mut Sha256, value: &Value, is_json: bool) {
    match value {
        Value::Null => hasher.update(b"N;"),
        Value::Integer(n) => hasher.update(format!("I{n};")),
        Value::Real(x) => hasher.update(format!("R{};", x.to_bits())),
        Value::Text(text) if is_json => match serde_json::from_str::<serde_json::Value>(text) {
            Ok(document) => hasher.update(format!("J{};", canonical_json(&document))),
            Err(_) => hasher.update(format!("T{}:{text};", text.len())),
        },
        Value::Text(text) => hasher.update(format!("T{}:{text};", text.len())),
        Value::Blob(bytes) => {
            hasher.update(format!("B{}:", bytes.len()));
            hasher.update(bytes);
            hasher.update(b";");
        }
    }
}

/// JSON with every object's keys sorted: the same document gives the same text whichever
/// backend kept it.
fn canonical_json(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            let fields: Vec<String> = keys
                .into_iter()
                .map(|key| format!("{}:{}", serde_json::Value::String(key.clone()), canonical_json(&map[key])))
                .collect();
            format!("{{{}}}", fields.join(","))
        }
        serde_json::Value::Array(items) => format!("[{}]", items.iter().map(canonical_json).collect::<Vec<_>>().join(",")),
        other => other.to_string(),
    }
}

fn text_id(values: &[Value]) -> i64 {
    match values.first() {
        Some(Value::Integer(id)) => *id,
        _ => 0,
    }
}

/// Every row of `table` in key order, `BATCH` at a time (tables keyed by `id`), or at once (the
/// one table without: `unit_leaders_in_charge`, two ids a row).
fn for_each_batch(conn: Conn<'_>, table: &str, columns: &[String], each: &mut dyn FnMut(Vec<Value>) -> Result<()>) -> Result<()> {
    let list = columns.join(", ");
    if !columns.iter().any(|c| c == "id") {
        let order = columns.join(", ");
        for row in conn.query(&format!("SELECT {list} FROM {table} ORDER BY {order}"), &[])? {
            each(row.0)?;
        }
        return Ok(());
    }
    let id_index = columns.iter().position(|c| c == "id").unwrap_or(0);
    let sql = format!("SELECT {list} FROM {table} WHERE id > ?1 ORDER BY id LIMIT ?2");
    let mut last = i64::MIN;
    loop {
        let rows = conn.query(&sql, &[Value::Integer(last), Value::Integer(BATCH)])?;
        let Some(end) = rows.last() else { return Ok(()) };
        last = end.integer(id_index)?;
        for row in rows {
            each(row.0)?;
        }
    }
}

/// A table's columns in their order of definition.
fn columns(conn: Conn<'_>, table: &str) -> Result<Vec<String>> {
    let sql = if conn.is_postgres() {
        "SELECT column_name::text FROM information_schema.columns \
         WHERE table_schema = current_schema() AND table_name = ?1 ORDER BY ordinal_position"
    } else {
        "SELECT name FROM pragma_table_info(?1) ORDER BY cid"
    };
    let names = conn
        .query(sql, &[Value::Text(table.to_string())])?
        .iter()
        .map(|row| row.text(0))
        .collect::<Result<Vec<String>>>()?;
    if names.is_empty() {
        return Err(StoreError::Invalid(format!("数据库中没有表 {table}")));
    }
    Ok(names)
}

fn columns_sorted(conn: Conn<'_>, table: &str) -> Result<Vec<String>> {
    let mut names = columns(conn, table)?;
    names.sort();
    Ok(names)
}

fn count(conn: Conn<'_>, table: &str) -> Result<i64> {
    conn.query_opt(&format!("SELECT count(*) FROM {table}"), &[])?.map_or(Ok(0), |row| row.integer(0))
}

/// On PostgreSQL, refuse an account that would see only part of the rows (row-level security)
/// or whose audit entries the server would sign with its own name.
fn may_copy(conn: Conn<'_>, action: &str) -> Result<()> {
    if !conn.is_postgres() {
        return Ok(());
    }
    let row = conn
        .query_opt(
            "SELECT session_user::text, \
                    (SELECT rolsuper FROM pg_roles WHERE rolname = session_user) \
                    OR session_user = (SELECT pg_get_userbyid(relowner) FROM pg_class WHERE oid = 'audit_log'::regclass)",
            &[],
        )?
        .ok_or_else(|| StoreError::Invalid("无法读出数据库账号".to_string()))?;
    if row.integer(1)? == 0 {
        return Err(StoreError::Denied {
            account: row.text(0)?,
            message: format!(
                "不能{action}整个数据库：迁移须由表的所有者（设置数据库的账号）或超级用户进行——其他账号受行级安全限制只能看到部分数据，写入的操作记录也会被署上自己的名字"
            ),
        });
    }
    Ok(())
}

/// After rows came in with their ids, each table's id sequence continues past the largest.
fn move_sequences_past_ids(conn: Conn<'_>) -> Result<()> {
    for table in COPIED_TABLES {
        if !columns(conn, table)?.iter().any(|c| c == "id") {
            continue;
        }
        let sequence = conn
            .query_opt("SELECT pg_get_serial_sequence(?1, 'id')", &[Value::Text(table.to_string())])?
            .map(|row| row.optional_text(0))
            .transpose()?
            .flatten();
        if let Some(sequence) = sequence {
            // The name comes from the server (schema.table_id_seq); quoted all the same.
            let literal = sequence.replace('\'', "''");
            conn.query(&format!("SELECT setval('{literal}', coalesce((SELECT max(id) FROM {table}), 0) + 1, false)"), &[])?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_table_of_the_schema_is_copied() {
        let store = Store::open_in_memory().expect("store");
        let mut tables: Vec<String> = store
            .db()
            .query("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'", &[])
            .expect("tables")
            .iter()
            .map(|row| row.text(0).expect("name"))
            .collect();
        tables.sort();
        let mut copied: Vec<String> = COPIED_TABLES.iter().map(|t| t.to_string()).collect();
        copied.sort();
        assert_eq!(tables, copied, "a table missing from COPIED_TABLES would be left behind by quanze migrate");
    }

    #[test]
    fn documents_digest_alike_whatever_the_order_of_their_keys() {
        let digest = |text: &str| {
            let mut hasher = Sha256::new();
            digest_value(&mut hasher, &Value::Text(text.to_string()), true);
            hasher.finalize()
        };
        assert_eq!(digest(r#"{"b":1,"a":{"d":[1,2],"c":"x"}}"#), digest(r#"{"a": {"c": "x", "d": [1, 2]}, "b": 1}"#));
        assert_ne!(digest(r#"{"a":[1,2]}"#), digest(r#"{"a":[2,1]}"#));
    }

    #[test]
    fn a_file_is_copied_into_an_empty_file_with_every_row_and_a_full_one_is_refused() {
        let mut source = Store::open_in_memory().expect("source");
        let sample = quanze_sample_gen::generate().bundle;
        source.write("测试", None, |w| w.load_bundle(&sample)).expect("load");
        let mut target = Store::open_in_memory().expect("target");
        let report = source.copy_into(&mut target, &mut |_, _| {}).expect("copy");
        let items = report.tables.iter().find(|t| t.table == "items").expect("items");
        assert!(items.rows > 1_000, "{report:?}");
        assert_eq!(
            serde_json::to_value(source.reader().dump().expect("dump")).expect("json"),
            serde_json::to_value(target.reader().dump().expect("dump")).expect("json")
        );
        let again = source.copy_into(&mut target, &mut |_, _| {});
        assert!(matches!(again, Err(StoreError::Invalid(ref m)) if m.contains("不是空的")), "{again:?}");
    }
}
