//! Reads. They return domain types decoded from each row's JSON doc.

use std::collections::HashMap;

use quanze_domain::{
    AdmissionRequest, DutyList, Id, Item, Jurisdiction, Leader, Unit, Version, Waiver,
};
use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension};
use serde::Serialize;
use ts_rs::TS;

use crate::record::{ItemRecord, ListRecord, Record};
use crate::{Result, StoreError};

/// How many items of one list share a 权力类型 (as written) and a 承办机构 unit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ItemTally {
    pub list: Id,
    pub power_type: Option<String>,
    pub handling_unit: Option<Id>,
    pub count: u32,
}

/// A published version of a list, without its items (see [`Reader::version_summaries`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize, TS)]
pub struct VersionSummary {
    pub id: Id,
    pub list: Id,
    /// 1, 2, 3 … per list.
    pub number: u32,
    /// `YYYY-MM-DD`
    pub published_on: String,
    pub doc_no: Option<String>,
    pub note: Option<String>,
    pub item_count: u32,
}

/// One entry of the audit log.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct AuditEntry {
    pub id: u32,
    /// Local time, RFC 3339.
    pub at: String,
    pub actor: String,
    /// 新增 / 修改 / 删除
    pub action: String,
    /// 辖区 / 机构 / 清单 / 事项 …
    pub entity: String,
    pub entity_id: Id,
    /// A name for the entity, as it was.
    pub label: String,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
    pub reason: Option<String>,
}

/// An item found by search, with the list it is in.
#[derive(Debug, Clone, PartialEq)]
pub struct SearchHit {
    pub list: Id,
    pub item: Item,
}

/// Read access over a connection or an open transaction.
pub struct Reader<'c> {
    conn: &'c Connection,
}

fn decode<R: Record>(id: i64, doc: &str) -> Result<R> {
    serde_json::from_str(doc).map_err(|e| StoreError::Corrupt {
        table: R::TABLE,
        id,
        message: e.to_string(),
    })
}

/// Escape `%`, `_` and `\` for a `LIKE … ESCAPE '\'` pattern.
fn like_pattern(text: &str) -> String {
    let mut pattern = String::from("%");
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            pattern.push('\\');
        }
        pattern.push(c);
    }
    pattern.push('%');
    pattern
}

impl<'c> Reader<'c> {
    pub(crate) fn new(conn: &'c Connection) -> Self {
        Reader { conn }
    }

    fn query<R: Record>(&self, sql: &str, params: impl rusqlite::Params) -> Result<Vec<R>> {
        let mut statement = self.conn.prepare_cached(sql)?;
        let rows = statement.query_map(params, |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))?;
        let mut out = Vec::new();
        for row in rows {
            let (id, doc) = row?;
            out.push(decode(id, &doc)?);
        }
        Ok(out)
    }

    fn all<R: Record>(&self) -> Result<Vec<R>> {
        self.query(&format!("SELECT id, doc FROM {} ORDER BY id", R::TABLE), [])
    }

    fn one<R: Record>(&self, id: Id) -> Result<R> {
        let doc: Option<String> = self
            .conn
            .query_row(
                &format!("SELECT doc FROM {} WHERE id = ?1", R::TABLE),
                [id],
                |r| r.get(0),
            )
            .optional()?;
        match doc {
            Some(doc) => decode(i64::from(id), &doc),
            None => Err(StoreError::NotFound {
                entity: R::ENTITY,
                id,
            }),
        }
    }

    /// True when the database holds no jurisdiction at all (a fresh file).
    pub fn is_empty(&self) -> Result<bool> {
        let count: i64 = self
            .conn
            .query_row("SELECT count(*) FROM jurisdictions", [], |r| r.get(0))?;
        Ok(count == 0)
    }

    pub fn jurisdictions(&self) -> Result<Vec<Jurisdiction>> {
        self.all()
    }

    pub fn jurisdiction(&self, id: Id) -> Result<Jurisdiction> {
        self.one(id)
    }

    pub fn units(&self) -> Result<Vec<Unit>> {
        self.all()
    }

    pub fn unit(&self, id: Id) -> Result<Unit> {
        self.one(id)
    }

    pub fn leaders(&self) -> Result<Vec<Leader>> {
        self.all()
    }

    /// Every list, without items.
    pub fn lists(&self) -> Result<Vec<DutyList>> {
        Ok(self.all::<ListRecord>()?.into_iter().map(|l| l.0).collect())
    }

    /// One list, without items.
    pub fn list(&self, id: Id) -> Result<DutyList> {
        Ok(self.one::<ListRecord>(id)?.0)
    }

    /// Number of items of every list that has any.
    pub fn item_counts(&self) -> Result<HashMap<Id, u32>> {
        let mut statement = self
            .conn
            .prepare_cached("SELECT list_id, count(*) FROM items GROUP BY list_id")?;
        let rows = statement.query_map([], |r| Ok((r.get::<_, Id>(0)?, r.get::<_, u32>(1)?)))?;
        let mut counts = HashMap::new();
        for row in rows {
            let (list, count) = row?;
            counts.insert(list, count);
        }
        Ok(counts)
    }

    /// A page of a list's items, in list order.
    pub fn items(&self, list: Id, offset: u32, limit: u32) -> Result<Vec<Item>> {
        Ok(self
            .query::<ItemRecord>(
                "SELECT id, doc FROM items WHERE list_id = ?1 ORDER BY position, id LIMIT ?2 OFFSET ?3",
                rusqlite::params![list, limit, offset],
            )?
            .into_iter()
            .map(|r| r.item)
            .collect())
    }

    /// Item counts per list, 权力类型 as written and 承办机构 unit: what statistics need,
    /// counted by SQLite instead of decoding every item.
    pub fn item_tallies(&self) -> Result<Vec<ItemTally>> {
        let mut statement = self.conn.prepare_cached(
            "SELECT list_id, power_type, handling_unit_id, count(*) FROM items \
             GROUP BY list_id, power_type, handling_unit_id",
        )?;
        let rows = statement.query_map([], |r| {
            Ok(ItemTally {
                list: r.get(0)?,
                power_type: r.get(1)?,
                handling_unit: r.get(2)?,
                count: r.get(3)?,
            })
        })?;
        Ok(rows.collect::<std::result::Result<_, _>>()?)
    }

    /// One list's items with their places, in list order.
    pub fn list_item_records(&self, list: Id) -> Result<Vec<ItemRecord>> {
        self.query(
            "SELECT id, doc FROM items WHERE list_id = ?1 ORDER BY position, id",
            [list],
        )
    }

    pub fn item(&self, id: Id) -> Result<ItemRecord> {
        self.one(id)
    }

    /// Every item with its place, ordered by list and position.
    pub fn all_items(&self) -> Result<Vec<ItemRecord>> {
        self.query(
            "SELECT id, doc FROM items ORDER BY list_id, position, id",
            [],
        )
    }

    pub fn admission_requests(&self) -> Result<Vec<AdmissionRequest>> {
        self.all()
    }

    pub fn waivers(&self) -> Result<Vec<Waiver>> {
        self.all()
    }

    pub fn versions(&self) -> Result<Vec<Version>> {
        self.all()
    }

    /// The published versions of one list with their items, oldest first.
    pub fn versions_of_list(&self, list: Id) -> Result<Vec<Version>> {
        self.query("SELECT id, doc FROM versions WHERE list_id = ?1 ORDER BY number", [list])
    }

    /// One published version with its frozen items.
    pub fn version(&self, id: Id) -> Result<Version> {
        self.one(id)
    }

    /// The versions of one list without their items, newest first. A version holds a copy of
    /// every item, so the summaries are read with SQLite's JSON functions instead of decoding
    /// whole snapshots (a 50,000-item list published a few times would take seconds).
    pub fn version_summaries(&self, list: Id) -> Result<Vec<VersionSummary>> {
        let mut statement = self.conn.prepare_cached(
            "SELECT id, list_id, number, published_on, json_extract(doc, '$.doc_no'), \
             json_extract(doc, '$.note'), json_array_length(doc, '$.items') \
             FROM versions WHERE list_id = ?1 ORDER BY number DESC",
        )?;
        let rows = statement.query_map([list], |r| {
            Ok(VersionSummary {
                id: r.get(0)?,
                list: r.get(1)?,
                number: r.get(2)?,
                published_on: r.get(3)?,
                doc_no: r.get(4)?,
                note: r.get(5)?,
                item_count: r.get::<_, Option<u32>>(6)?.unwrap_or(0),
            })
        })?;
        Ok(rows.collect::<std::result::Result<_, _>>()?)
    }

    /// The newest `limit` audit entries, newest first; only those about one entity when
    /// `entity` is given (e.g. `("事项", 12)`).
    pub fn audit_log(&self, limit: u32, entity: Option<(&str, Id)>) -> Result<Vec<AuditEntry>> {
        let (filter, entity_name, entity_id) = match entity {
            Some((name, id)) => ("WHERE entity = ?2 AND entity_id = ?3", name, id),
            None => ("WHERE ?2 = ?2 AND ?3 = ?3", "", 0),
        };
        let mut statement = self.conn.prepare_cached(&format!(
            "SELECT id, at, actor, action, entity, entity_id, label, before, after, reason
             FROM audit_log {filter} ORDER BY id DESC LIMIT ?1"
        ))?;
        let rows = statement.query_map(rusqlite::params![limit, entity_name, entity_id], |r| {
            Ok((
                AuditEntry {
                    id: r.get(0)?,
                    at: r.get(1)?,
                    actor: r.get(2)?,
                    action: r.get(3)?,
                    entity: r.get(4)?,
                    entity_id: r.get(5)?,
                    label: r.get(6)?,
                    before: None,
                    after: None,
                    reason: r.get(9)?,
                },
                r.get::<_, Option<String>>(7)?,
                r.get::<_, Option<String>>(8)?,
            ))
        })?;
        let parse = |id: u32, text: Option<String>| -> Result<Option<serde_json::Value>> {
            text.map(|t| {
                serde_json::from_str(&t).map_err(|e| StoreError::Corrupt {
                    table: "audit_log",
                    id: i64::from(id),
                    message: e.to_string(),
                })
            })
            .transpose()
        };
        let mut out = Vec::new();
        for row in rows {
            let (mut entry, before, after) = row?;
            entry.before = parse(entry.id, before)?;
            entry.after = parse(entry.id, after)?;
            out.push(entry);
        }
        Ok(out)
    }

    pub fn audit_count(&self) -> Result<i64> {
        Ok(self
            .conn
            .query_row("SELECT count(*) FROM audit_log", [], |r| r.get(0))?)
    }

    /// Items whose name or content contains every whitespace-separated term of `query`.
    /// Terms of three or more characters use the trigram index; shorter ones (common in
    /// Chinese: 消防, 低保) are matched with `LIKE`, which the trigram tokenizer cannot serve.
    pub fn search(&self, query: &str, limit: u32) -> Result<Vec<SearchHit>> {
        let terms: Vec<&str> = query.split_whitespace().collect();
        if terms.is_empty() {
            return Ok(Vec::new());
        }
        let (long, short): (Vec<&str>, Vec<&str>) =
            terms.into_iter().partition(|t| t.chars().count() >= 3);
        let mut conditions = Vec::new();
        let mut params: Vec<Value> = Vec::new();
        if !long.is_empty() {
            let phrase = long
                .iter()
                .map(|t| format!("\"{}\"", t.replace('"', "\"\"")))
                .collect::<Vec<_>>()
                .join(" AND ");
            params.push(Value::Text(phrase));
            let fts = params.len();
            // Items still queued for the index (after a big import) are matched the slow way.
            let mut queued = Vec::new();
            for term in &long {
                params.push(Value::Text(like_pattern(term)));
                let n = params.len();
                queued.push(format!(
                    "(items.name LIKE ?{n} ESCAPE '\\' OR items.search_text LIKE ?{n} ESCAPE '\\')"
                ));
            }
            conditions.push(format!(
                "(items.id IN (SELECT rowid FROM items_fts WHERE items_fts MATCH ?{fts})
                  OR (items.id IN (SELECT item_id FROM items_fts_pending) AND {}))",
                queued.join(" AND ")
            ));
        }
        for term in short {
            params.push(Value::Text(like_pattern(term)));
            let n = params.len();
            conditions.push(format!(
                "(items.name LIKE ?{n} ESCAPE '\\' OR items.search_text LIKE ?{n} ESCAPE '\\')"
            ));
        }
        params.push(Value::Integer(i64::from(limit)));
        let sql = format!(
            "SELECT items.id, items.doc FROM items WHERE {}
             ORDER BY (instr(items.name, ?{q}) = 0), items.list_id, items.position
             LIMIT ?{l}",
            conditions.join(" AND "),
            q = params.len() + 1,
            l = params.len()
        );
        // Hits whose name contains the whole query come first.
        params.push(Value::Text(query.trim().to_string()));
        Ok(self
            .query::<ItemRecord>(&sql, rusqlite::params_from_iter(params.iter()))?
            .into_iter()
            .map(|r| SearchHit {
                list: r.list,
                item: r.item,
            })
            .collect())
    }
}
