//! Reads. They return domain types decoded from each row's JSON doc, with the stored texts put
//! back in place of their references (see `crate::texts`).

use std::collections::HashMap;

use quanze_domain::{
    AdmissionRequest, DutyList, Id, Item, Jurisdiction, Leader, Unit, Version, Waiver,
};
use rusqlite::Connection;
use serde::Serialize;
use ts_rs::TS;

use crate::record::{ItemRecord, ListRecord, Record};
use crate::backend::{Conn, Row, Value};
use crate::texts::TextBodies;
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
    /// For an entry about a run of entities written at once (an import's items): the last of
    /// them (`entity_id` is the first).
    #[ts(optional)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub entity_id_last: Option<Id>,
    /// A name for the entity, as it was.
    pub label: String,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
    pub reason: Option<String>,
}

/// An item found by search, with the list it is in, the field where the query was found and a
/// snippet of that field around it.
#[derive(Debug, Clone, PartialEq)]
pub struct SearchHit {
    pub list: Id,
    pub item: Item,
    /// The field's label as the editor shows it (事项名称, 实施依据, an extra column's header).
    pub field: String,
    /// The field's text around the first match, at most [`SNIPPET_CHARS`] characters, with `…`
    /// where it was cut.
    pub snippet: String,
}

/// Characters of a search hit's snippet.
pub const SNIPPET_CHARS: usize = 60;

/// Read access over a connection or an open transaction.
pub struct Reader<'c> {
    db: Conn<'c>,
    texts: TextBodies,
}

/// An id column (an entity id, a count) as the `u32` the domain uses.
fn small(row: &Row, index: usize) -> Result<u32> {
    let value = row.integer(index)?;
    u32::try_from(value).map_err(|_| StoreError::Invalid(format!("第 {} 列的值 {value} 超出范围", index + 1)))
}

fn optional_small(row: &Row, index: usize) -> Result<Option<u32>> {
    match row.value(index) {
        Value::Null => Ok(None),
        _ => small(row, index).map(Some),
    }
}

fn id_value(id: Id) -> Value {
    Value::Integer(i64::from(id))
}

fn corrupt(table: &'static str, id: i64, error: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt {
        table,
        id,
        message: error.to_string(),
    }
}

/// Documents decoded together on a server: their texts are fetched in one go.
const DOCUMENTS_PER_TEXT_FETCH: usize = 1_000;

/// Items read by id in one statement ([`Reader::items_in_order`]): an `IN` list of this many
/// parameters stays far below both backends' limits (SQLite 32,766; PostgreSQL 65,535).
const ITEMS_PER_STATEMENT: usize = 500;

impl<'c> Reader<'c> {
    pub(crate) fn new(db: Conn<'c>) -> Self {
        Reader {
            db,
            texts: TextBodies::default(),
        }
    }

    /// The SQLite connection, for the reads that run on SQLite only so far (search, exchange).
    pub(crate) fn sqlite(&self) -> Result<&'c Connection> {
        match self.db {
            Conn::Sqlite(conn) => Ok(conn),
            Conn::Postgres(_) => Err(crate::not_on_server("这项查询")),
        }
    }

    /// The stored text `id` (read once per reader).
    pub(crate) fn text_body(&self, id: i64) -> Result<std::rc::Rc<str>> {
        self.texts.body(self.db(), id)
    }

    /// Where this reader's SQL runs.
    pub(crate) fn db(&self) -> Conn<'c> {
        self.db
    }

    /// A stored document as the record it is, its texts put back.
    fn decode<R: Record>(&self, id: i64, doc: &str) -> Result<R> {
        let mut value: serde_json::Value = serde_json::from_str(doc).map_err(|e| corrupt(R::TABLE, id, e))?;
        self.texts.restore_strings(self.db(), &mut value)?;
        serde_json::from_value(value).map_err(|e| corrupt(R::TABLE, id, e))
    }

    /// A stored audit document, its texts put back.
    fn decode_audit(&self, id: u32, text: Option<String>) -> Result<Option<serde_json::Value>> {
        text.map(|text| {
            let mut value: serde_json::Value = serde_json::from_str(&text).map_err(|e| corrupt("audit_log", i64::from(id), e))?;
            self.texts.restore_strings(self.db(), &mut value)?;
            Ok(value)
        })
        .transpose()
    }

    fn query<R: Record>(&self, sql: &str, params: &[Value]) -> Result<Vec<R>> {
        if self.db.is_postgres() {
            return self.query_from_server(sql, params);
        }
        let mut out = Vec::new();
        self.db().for_each_row(sql, params, |mut row| {
            out.push(self.decode(row.integer(0)?, &row.take_text(1)?)?);
            Ok(())
        })?;
        Ok(out)
    }

    /// [`Reader::query`] on a server, [`DOCUMENTS_PER_TEXT_FETCH`] rows at a time: their
    /// documents parsed, the texts they refer to fetched in a few statements
    /// ([`TextBodies::fetch`]), then the texts put back — where a file looks each text up as it
    /// decodes a row (a local read). Parsed documents are held a chunk at a time only.
    fn query_from_server<R: Record>(&self, sql: &str, params: &[Value]) -> Result<Vec<R>> {
        let rows = self.db().query(sql, params)?;
        let mut out = Vec::with_capacity(rows.len());
        let mut rows = rows.into_iter().peekable();
        while rows.peek().is_some() {
            let mut documents = Vec::with_capacity(DOCUMENTS_PER_TEXT_FETCH);
            let mut referenced = Vec::new();
            for mut row in rows.by_ref().take(DOCUMENTS_PER_TEXT_FETCH) {
                let id = row.integer(0)?;
                let value: serde_json::Value = serde_json::from_str(&row.take_text(1)?).map_err(|e| corrupt(R::TABLE, id, e))?;
                crate::texts::referenced_ids(&value, &mut referenced);
                documents.push((id, value));
            }
            self.texts.fetch(self.db(), &referenced)?;
            for (id, mut value) in documents {
                self.texts.restore_strings(self.db(), &mut value)?;
                out.push(serde_json::from_value(value).map_err(|e| corrupt(R::TABLE, id, e))?);
            }
        }
        Ok(out)
    }

    fn all<R: Record>(&self) -> Result<Vec<R>> {
        self.query(&format!("SELECT id, doc FROM {} ORDER BY id", R::DOC_TABLE), &[])
    }

    pub(crate) fn one<R: Record>(&self, id: Id) -> Result<R> {
        let row = self
            .db()
            .query_opt(&format!("SELECT doc FROM {} WHERE id = ?1", R::DOC_TABLE), &[id_value(id)])?;
        match row {
            Some(mut row) => self.decode(i64::from(id), &row.take_text(0)?),
            None => Err(StoreError::NotFound {
                entity: R::ENTITY,
                id,
            }),
        }
    }

    /// Whether a row of `table` has this uid (a load and a merge recognise entities by it).
    pub(crate) fn holds_uid(&self, table: &str, uid: &quanze_domain::Uid) -> Result<bool> {
        let row = self
            .db()
            .query_opt(&format!("SELECT EXISTS (SELECT 1 FROM {table} WHERE uid = ?1)"), &[Value::Text(uid.as_str().to_string())])?;
        Ok(row.map(|row| row.integer(0)).transpose()?.unwrap_or(0) != 0)
    }

    /// True when the database holds no jurisdiction at all (a fresh file).
    pub fn is_empty(&self) -> Result<bool> {
        Ok(self.count("SELECT count(*) FROM jurisdictions", &[])? == 0)
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
        let mut counts = HashMap::new();
        for row in self.db().query("SELECT list_id, count(*) FROM items GROUP BY list_id", &[])? {
            counts.insert(small(&row, 0)?, small(&row, 1)?);
        }
        Ok(counts)
    }

    /// Number of items of one list (what [`Reader::item_counts`] says of it, without counting
    /// every other list's).
    pub fn list_item_count(&self, list: Id) -> Result<u32> {
        let count = self.count("SELECT count(*) FROM items WHERE list_id = ?1", &[id_value(list)])?;
        u32::try_from(count).map_err(|_| StoreError::Invalid(format!("事项数 {count} 超出范围")))
    }

    /// A page of a list's items, in list order.
    pub fn items(&self, list: Id, offset: u32, limit: u32) -> Result<Vec<Item>> {
        Ok(self
            .query::<ItemRecord>(
                "SELECT items.id, d.doc FROM items JOIN item_documents d ON d.id = items.id \
                 WHERE list_id = ?1 ORDER BY position, items.id LIMIT ?2 OFFSET ?3",
                &[id_value(list), Value::Integer(i64::from(limit)), Value::Integer(i64::from(offset))],
            )?
            .into_iter()
            .map(|r| r.item)
            .collect())
    }

    /// Item counts per list, 权力类型 as written and 承办机构 unit: what statistics need,
    /// counted by SQLite instead of decoding every item.
    pub fn item_tallies(&self) -> Result<Vec<ItemTally>> {
        let rows = self.db().query(
            "SELECT list_id, power_type, handling_unit_id, count(*) FROM items \
             GROUP BY list_id, power_type, handling_unit_id",
            &[],
        )?;
        rows.iter()
            .map(|row| {
                Ok(ItemTally {
                    list: small(row, 0)?,
                    power_type: row.optional_text(1)?,
                    handling_unit: optional_small(row, 2)?,
                    count: small(row, 3)?,
                })
            })
            .collect()
    }

    /// How many items of each list name each unit as their 承接部门 (a 收回 item's receiving
    /// department): (list, unit, count), counted by SQLite.
    pub fn withdrawal_tallies(&self) -> Result<Vec<(Id, Id, u32)>> {
        let rows = self.db().query(
            "SELECT list_id, receiving_unit_id, count(*) FROM items \
             WHERE receiving_unit_id IS NOT NULL GROUP BY list_id, receiving_unit_id",
            &[],
        )?;
        rows.iter().map(|row| Ok((small(row, 0)?, small(row, 1)?, small(row, 2)?))).collect()
    }

    /// The items that name `unit` as their 承接部门 (taken back from a street), by list and place.
    pub fn items_withdrawn_to(&self, unit: Id) -> Result<Vec<ItemRecord>> {
        self.query(
            "SELECT items.id, d.doc FROM items JOIN item_documents d ON d.id = items.id \
             WHERE receiving_unit_id = ?1 ORDER BY list_id, position, items.id",
            &[id_value(unit)],
        )
    }

    /// How many items name `unit` in any of their unit fields (承办机构, 主责部门, 承接部门,
    /// 申请单位): a unit they name cannot be deleted.
    pub fn items_naming_unit(&self, unit: Id) -> Result<u32> {
        let count = self.count(
            "SELECT count(*) FROM items WHERE handling_unit_id = ?1 OR lead_unit_id = ?1 \
             OR receiving_unit_id = ?1 OR requesting_unit_id = ?1",
            &[id_value(unit)],
        )?;
        u32::try_from(count).map_err(|_| StoreError::Invalid(format!("事项数 {count} 超出范围")))
    }

    /// The ids of a list's items, in list order (no document decoded).
    pub fn list_item_ids(&self, list: Id) -> Result<Vec<Id>> {
        let rows = self
            .db()
            .query("SELECT id FROM items WHERE list_id = ?1 ORDER BY position, id", &[id_value(list)])?;
        rows.iter().map(|row| small(row, 0)).collect()
    }

    /// One list's items with their places, in list order.
    pub fn list_item_records(&self, list: Id) -> Result<Vec<ItemRecord>> {
        self.query(
            "SELECT items.id, d.doc FROM items JOIN item_documents d ON d.id = items.id \
             WHERE list_id = ?1 ORDER BY position, items.id",
            &[id_value(list)],
        )
    }

    pub fn item(&self, id: Id) -> Result<ItemRecord> {
        self.one(id)
    }

    /// The items `ids` in that order, read [`ITEMS_PER_STATEMENT`] to a statement. On a server
    /// an item read alone is a round trip for its document and one for each text it refers to
    /// (a search's 200 hits were ~700 statements: docs/benchmarks/server.md). An id no longer
    /// there (deleted by another user since it was found) is left out.
    pub fn items_in_order(&self, ids: &[Id]) -> Result<Vec<ItemRecord>> {
        let mut by_id: HashMap<Id, ItemRecord> = HashMap::with_capacity(ids.len());
        for chunk in ids.chunks(ITEMS_PER_STATEMENT) {
            let values: Vec<Value> = chunk.iter().map(|id| id_value(*id)).collect();
            let sql = format!(
                "SELECT items.id, d.doc FROM items JOIN item_documents d ON d.id = items.id WHERE items.id IN {}",
                crate::backend::value_tuples(1, values.len())
            );
            for record in self.query::<ItemRecord>(&sql, &values)? {
                by_id.insert(record.id(), record);
            }
        }
        Ok(ids.iter().filter_map(|id| by_id.remove(id)).collect())
    }

    /// Every item with its place, ordered by list and position.
    pub fn all_items(&self) -> Result<Vec<ItemRecord>> {
        self.query(
            "SELECT items.id, d.doc FROM items JOIN item_documents d ON d.id = items.id \
             ORDER BY list_id, position, items.id",
            &[],
        )
    }

    pub fn admission_requests(&self) -> Result<Vec<AdmissionRequest>> {
        self.all()
    }

    pub fn waivers(&self) -> Result<Vec<Waiver>> {
        self.all()
    }

    /// One change request.
    pub fn change_request(&self, id: Id) -> Result<quanze_domain::ChangeRequest> {
        self.one(id)
    }

    /// Every change request (调整申请), oldest first.
    pub fn change_requests(&self) -> Result<Vec<quanze_domain::ChangeRequest>> {
        self.all()
    }

    /// The change requests that concern a list: made to it, or moving an item into it.
    pub fn change_requests_of_list(&self, list: Id) -> Result<Vec<quanze_domain::ChangeRequest>> {
        self.query(
            "SELECT id, doc FROM change_requests WHERE list_id = ?1 OR to_list_id = ?1 ORDER BY id",
            &[id_value(list)],
        )
    }

    pub fn versions(&self) -> Result<Vec<Version>> {
        self.all()
    }

    /// The published versions of one list with their items, oldest first.
    pub fn versions_of_list(&self, list: Id) -> Result<Vec<Version>> {
        self.query("SELECT id, doc FROM versions WHERE list_id = ?1 ORDER BY number", &[id_value(list)])
    }

    /// One published version with its frozen items.
    pub fn version(&self, id: Id) -> Result<Version> {
        self.one(id)
    }

    /// The versions of one list without their items, newest first. A version holds a copy of
    /// every item, so the summaries are read with SQLite's JSON functions instead of decoding
    /// whole snapshots (a 50,000-item list published a few times would take seconds).
    pub fn version_summaries(&self, list: Id) -> Result<Vec<VersionSummary>> {
        let db = self.db();
        let sql = if db.is_postgres() {
            "SELECT id, list_id, number, published_on, doc->>'doc_no', doc->>'note', \
             CASE jsonb_typeof(doc->'items') WHEN 'array' THEN jsonb_array_length(doc->'items') END \
             FROM versions WHERE list_id = ?1 ORDER BY number DESC"
        } else {
            "SELECT id, list_id, number, published_on, json_extract(doc, '$.doc_no'), \
             json_extract(doc, '$.note'), json_array_length(doc, '$.items') \
             FROM versions WHERE list_id = ?1 ORDER BY number DESC"
        };
        let mut summaries = Vec::new();
        for row in db.query(sql, &[id_value(list)])? {
            summaries.push(VersionSummary {
                id: small(&row, 0)?,
                list: small(&row, 1)?,
                number: small(&row, 2)?,
                published_on: row.text(3)?,
                doc_no: self.texts.restore_column(db, row.optional_text(4)?)?,
                note: self.texts.restore_column(db, row.optional_text(5)?)?,
                item_count: optional_small(&row, 6)?.unwrap_or(0),
            });
        }
        Ok(summaries)
    }

    /// The newest `limit` audit entries, newest first; only those about one entity when
    /// `entity` is given (e.g. `("事项", 12)`) — including an entry for a run of entities written
    /// at once (an import) that it belongs to.
    pub fn audit_log(&self, limit: u32, entity: Option<(&str, Id)>) -> Result<Vec<AuditEntry>> {
        let columns = "SELECT id, at, actor, action, entity, entity_id, label, before, after, reason, entity_id_last FROM audit_log";
        let limit = Value::Integer(i64::from(limit));
        let rows = match entity {
            Some((name, id)) => self.db().query(
                &format!(
                    "{columns} WHERE entity = ?2 AND (entity_id = ?3 \
                     OR (entity_id_last IS NOT NULL AND entity_id_last >= ?3 AND entity_id <= ?3)) \
                     ORDER BY id DESC LIMIT ?1"
                ),
                &[limit, Value::Text(name.to_string()), id_value(id)],
            )?,
            None => self.db().query(&format!("{columns} ORDER BY id DESC LIMIT ?1"), &[limit])?,
        };
        let mut out = Vec::with_capacity(rows.len());
        for row in rows {
            let id = small(&row, 0)?;
            out.push(AuditEntry {
                id,
                at: row.text(1)?,
                actor: row.text(2)?,
                action: row.text(3)?,
                entity: row.text(4)?,
                entity_id: small(&row, 5)?,
                entity_id_last: optional_small(&row, 10)?,
                label: row.text(6)?,
                before: self.decode_audit(id, row.optional_text(7)?)?,
                after: self.decode_audit(id, row.optional_text(8)?)?,
                reason: row.optional_text(9)?,
            });
        }
        Ok(out)
    }

    /// The version of row `id` of `R`'s table: 1 when it was written first, one more with
    /// every write of it since (schema version 7; see `Writer::lock`).
    pub fn row_version<R: Record>(&self, id: Id) -> Result<i64> {
        self.db
            .query_opt(&format!("SELECT version FROM {} WHERE id = ?1", R::TABLE), &[Value::Integer(i64::from(id))])?
            .ok_or(StoreError::NotFound { entity: R::ENTITY, id })?
            .integer(0)
    }

    pub fn audit_count(&self) -> Result<i64> {
        self.count("SELECT count(*) FROM audit_log", &[])
    }

    /// The one integer a counting query returns.
    fn count(&self, sql: &str, params: &[Value]) -> Result<i64> {
        self.db().query_opt(sql, params)?.map_or(Ok(0), |row| row.integer(0))
    }

    /// Items whose name or content contains every whitespace-separated term of `query` (any
    /// length: 1- and 2-character terms are common in Chinese — 消防, 低保), with the field and a
    /// snippet of the first term's match. Two passes: the distinct texts that contain each term
    /// (ASCII letters in either case), then the items that use a matching text for every term.
    /// In a file both are scans (the texts, then the items' short rows — name and `text_ids` — in
    /// list order); on a server the texts are found by the trigram index and the short rows are
    /// read from the server (`search_on_server`).
    /// Items whose name holds the whole query come first, then list and position order.
    pub fn search(&self, query: &str, limit: u32) -> Result<Vec<SearchHit>> {
        let terms: Vec<&str> = query.split_whitespace().collect();
        let Some(first_term) = terms.first().copied() else {
            return Ok(Vec::new());
        };
        if limit == 0 {
            return Ok(Vec::new());
        }
        let found = if self.db.is_postgres() {
            self.search_on_server(&terms, query.trim(), limit)?
        } else {
            self.search_in_file(&terms, query.trim(), limit)?
        };
        let mut hits = Vec::with_capacity(found.len());
        for record in self.items_in_order(&found)? {
            let (field, snippet) = match_in_item(&record.item, first_term);
            hits.push(SearchHit {
                list: record.list,
                item: record.item,
                field,
                snippet,
            });
        }
        Ok(hits)
    }

    /// [`Store::search`]'s items on PostgreSQL: per term the texts that contain it (the trigram
    /// index for three characters and more, a scan of the distinct texts below that; ILIKE when
    /// the term has ASCII letters), then the items' short rows — name and packed `text_ids`, in
    /// list order — read from the server and decided as a file's search decides them. Row-level
    /// security applies as to every read: a street account finds its own items only. (Schema
    /// step 9 put the second half in the server, behind a GIN index; measured slower on a
    /// 50,000-item list and a cost to every import, it was dropped in step 10:
    /// docs/benchmarks/server.md.)
    fn search_on_server(&self, terms: &[&str], whole: &str, limit: u32) -> Result<Vec<Id>> {
        let mut matching: Vec<TextSet> = Vec::with_capacity(terms.len());
        for term in terms {
            let mut set = TextSet::default();
            for id in crate::pg::texts_containing(self.db, term)? {
                set.insert(id);
            }
            if set.is_empty() {
                return Ok(Vec::new());
            }
            matching.push(set);
        }
        let limit = usize::try_from(limit).unwrap_or(usize::MAX);
        let (mut by_name, mut others) = (Vec::new(), Vec::new());
        let scan = "SELECT id, name, text_ids FROM items ORDER BY list_id, position, id";
        self.db.for_each_row(scan, &[], |row| {
            let packed = match row.value(2) {
                Value::Blob(packed) => packed.as_slice(),
                _ => &[],
            };
            let uses_all = matching.iter().all(|set| crate::texts::any_packed_text_id(packed, |id| set.contains(id)));
            if uses_all && by_name.len() < limit {
                let id = small(&row, 0)?;
                if row.text(1)?.contains(whole) {
                    by_name.push(id);
                } else if others.len() < limit {
                    others.push(id);
                }
            }
            Ok(())
        })?;
        by_name.extend(others);
        by_name.truncate(limit);
        Ok(by_name)
    }

    /// [`Store::search`]'s items in a SQLite file: the texts scanned for each term, then the
    /// items' short rows in list order.
    fn search_in_file(&self, terms: &[&str], whole: &str, limit: u32) -> Result<Vec<Id>> {
        let matching = self.texts_containing(terms)?;
        if matching.iter().any(TextSet::is_empty) {
            return Ok(Vec::new());
        }
        let limit = usize::try_from(limit).unwrap_or(usize::MAX);
        let (mut by_name, mut others) = (Vec::new(), Vec::new());
        let scan = "SELECT id, name, text_ids FROM items ORDER BY list_id, position, id";
        {
            let mut statement = self.sqlite()?.prepare_cached(scan)?;
            let mut rows = statement.query([])?;
            while let Some(row) = rows.next()? {
                let packed = row.get_ref(2)?.as_blob_or_null().map_err(rusqlite::Error::from)?.unwrap_or_default();
                let uses_all = matching
                    .iter()
                    .all(|set| crate::texts::any_packed_text_id(packed, |id| set.contains(id)));
                if !uses_all {
                    continue;
                }
                let id: Id = row.get(0)?;
                if row.get_ref(1)?.as_str().map_err(rusqlite::Error::from)?.contains(whole) {
                    by_name.push(id);
                    if by_name.len() == limit {
                        break;
                    }
                } else if others.len() < limit {
                    others.push(id);
                }
            }
        }
        by_name.extend(others);
        by_name.truncate(limit);
        Ok(by_name)
    }

    /// For each term, the stored texts of a file that contain it (ASCII letters in either case).
    fn texts_containing(&self, terms: &[&str]) -> Result<Vec<TextSet>> {
        let needles: Vec<String> = terms.iter().map(|t| t.to_ascii_lowercase()).collect();
        let fold_case = needles.iter().any(|n| n.bytes().any(|b| b.is_ascii_lowercase()));
        let mut found: Vec<TextSet> = needles.iter().map(|_| TextSet::default()).collect();
        let mut statement = self.sqlite()?.prepare_cached("SELECT id, body FROM texts")?;
        let mut rows = statement.query([])?;
        while let Some(row) = rows.next()? {
            let id: i64 = row.get(0)?;
            let body: std::rc::Rc<str> = crate::texts::read_body(id, row.get_ref(1)?)?.into();
            let folded = fold_case.then(|| body.to_ascii_lowercase());
            let haystack = folded.as_deref().unwrap_or(&body);
            for (needle, set) in needles.iter().zip(found.iter_mut()) {
                if haystack.contains(needle.as_str()) {
                    set.insert(id);
                }
            }
            // The hits' documents are read next: their texts need no second lookup.
            self.texts.remember(id, body);
        }
        Ok(found)
    }

    /// An item as it was created: as it is now (or as its deletion left it), with the changes
    /// of every later audit entry about it taken back, newest first. This is how an item
    /// written in a run (an import: one audit entry for all its items) is reconstructed; the
    /// position is the one it was created at only as far as no row was inserted above it
    /// (such shifts are recorded on the list). `None` when the log holds nothing about it.
    pub fn item_as_created(&self, item: Id) -> Result<Option<serde_json::Value>> {
        let entries = self.audit_log(u32::MAX, Some(("事项", item)))?;
        let current = self
            .db()
            .query_opt("SELECT doc FROM item_documents WHERE id = ?1", &[id_value(item)])?
            .map(|row| row.text(0))
            .transpose()?;
        let mut document = match current {
            Some(doc) => {
                let mut value: serde_json::Value = serde_json::from_str(&doc).map_err(|e| corrupt("items", i64::from(item), e))?;
                self.texts.restore_strings(self.db(), &mut value)?;
                value
            }
            None => match entries.iter().find(|e| e.action == "删除") {
                Some(deletion) => deletion.before.clone().unwrap_or_default(),
                None => return Ok(None),
            },
        };
        for entry in &entries {
            match entry.action.as_str() {
                "修改" => take_back(&mut document, entry.before.as_ref(), entry.after.as_ref()),
                "新增" => return Ok(Some(document)),
                _ => {}
            }
        }
        Ok(None)
    }
}


/// Take one update back: its fields get their values from before it (a field absent before it
/// was empty, so it goes).
fn take_back(document: &mut serde_json::Value, before: Option<&serde_json::Value>, after: Option<&serde_json::Value>) {
    let Some(fields) = document.as_object_mut() else { return };
    if let Some(after) = after.and_then(|a| a.as_object()) {
        for key in after.keys() {
            fields.remove(key);
        }
    }
    if let Some(before) = before.and_then(|b| b.as_object()) {
        for (key, value) in before {
            fields.insert(key.clone(), value.clone());
        }
    }
}

/// Where in `item` the search term was found: the first field (in the editor's order, then the
/// extra columns) whose text holds it, and a snippet around it. ASCII letters match in either
/// case, as in the search itself; a match only in an unsearched part falls back to the name.
fn match_in_item(item: &Item, term: &str) -> (String, String) {
    let needle = term.to_ascii_lowercase();
    let standard = quanze_domain::ItemField::ALL
        .iter()
        .filter_map(|field| field.format(item).map(|text| (field.label().to_string(), text)));
    let extra = item.extra.iter().map(|e| (e.header.clone(), e.value.clone()));
    for (label, text) in standard.chain(extra) {
        if let Some(at) = text.to_ascii_lowercase().find(&needle) {
            return (label, snippet(&text, at, needle.len()));
        }
    }
    (quanze_domain::ItemField::Name.label().to_string(), snippet(&item.name, 0, 0))
}

/// At most [`SNIPPET_CHARS`] characters of `text` around the byte range `at..at + len` (which
/// lies on character boundaries: ASCII lowercasing keeps them), on one line.
fn snippet(text: &str, at: usize, len: usize) -> String {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let start = chars.iter().position(|(i, _)| *i >= at).unwrap_or(0);
    let matched = text.get(at..at + len).map_or(0, |m| m.chars().count());
    let before = SNIPPET_CHARS.saturating_sub(matched) / 3;
    let first = start.saturating_sub(before);
    let last = (first + SNIPPET_CHARS).min(chars.len());
    let mut out = String::new();
    if first > 0 {
        out.push('…');
    }
    out.extend(chars[first..last].iter().map(|(_, c)| if c.is_control() { ' ' } else { *c }));
    if last < chars.len() {
        out.push('…');
    }
    out
}

/// Private helpers the store's tests reach.
#[cfg(test)]
pub(crate) mod tests_support {
    pub(crate) fn snippet(text: &str, at: usize, len: usize) -> String {
        super::snippet(text, at, len)
    }
}

/// Text ids as a bit set (ids are dense row ids, so a set of all 50,000 takes 6 KB).
#[derive(Default)]
struct TextSet {
    words: Vec<u64>,
    count: usize,
}

impl TextSet {
    fn insert(&mut self, id: i64) {
        let Ok(id) = usize::try_from(id) else { return };
        let word = id / 64;
        if self.words.len() <= word {
            self.words.resize(word + 1, 0);
        }
        let bit = 1_u64 << (id % 64);
        if self.words[word] & bit == 0 {
            self.words[word] |= bit;
            self.count += 1;
        }
    }

    fn contains(&self, id: u64) -> bool {
        let Ok(id) = usize::try_from(id) else { return false };
        self.words.get(id / 64).is_some_and(|w| w & (1_u64 << (id % 64)) != 0)
    }

    fn is_empty(&self) -> bool {
        self.count == 0
    }
}
