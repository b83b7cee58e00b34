//! Texts stored once (schema version 4).
//!
//! Real lists repeat themselves: the same 责任事项 and 追责情形 paragraphs stand under hundreds of
//! items, the same law under thousands. Every string of an entity's JSON document is therefore
//! kept once, in `texts` (content-addressed: a 64-bit FNV-1a hash finds candidates, the body
//! decides), and the document holds a *reference* in its place: the string `"\u{1}"` followed
//! by the text's id. The same goes for the audit log's before/after and for the item copies in
//! published versions, so an audit entry or a version costs a few bytes per field, not a second
//! copy of the text.
//!
//! What stays inline: empty strings and `uid`s (unique per entity, so sharing gains nothing).
//! Neither can begin with `\u{1}`, so a string beginning with it is always a reference.
//! Texts are never deleted: a text no row uses any more is a few bytes, and a published
//! version or an audit entry may still need it.
//!
//! `item_texts` maps each text to the items whose current document uses it: search scans the
//! distinct texts (a few megabytes even for 50,000 items) and follows this table to the items,
//! so there is no second copy of the content and no index to catch up after an import.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use rusqlite::{Connection, OptionalExtension};
use serde_json::Value;

use crate::{Result, StoreError};

/// First character of a reference to a stored text.
pub(crate) const REFERENCE: char = '\u{1}';

/// The object key whose strings stay inline (see the module documentation).
const INLINE_KEY: &str = "uid";

/// The object key whose texts are stored but not searched: an item's source file and sheet
/// (searching for a department would otherwise find every item imported from its workbook).
const UNSEARCHED_KEY: &str = "provenance";

/// FNV-1a, 64 bits: stable across builds and platforms (it is stored), fast, and good enough to
/// find candidates — the body is always compared.
pub(crate) fn text_hash(body: &str) -> i64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in body.bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    i64::from_ne_bytes(hash.to_ne_bytes())
}

/// The reference string for text `id`.
pub(crate) fn reference(id: i64) -> String {
    format!("{REFERENCE}{id}")
}

/// The text id a string refers to, if it is a reference.
pub(crate) fn referenced_id(text: &str) -> Option<i64> {
    text.strip_prefix(REFERENCE).and_then(|digits| digits.parse().ok())
}

/// Ids of the texts one writer has stored or found, so that a text repeated under thousands of
/// imported items is looked up once.
#[derive(Default)]
pub(crate) struct TextIds {
    known: HashMap<Box<str>, i64>,
}

impl TextIds {
    /// The id of `body`, storing it when the database does not hold it yet.
    pub(crate) fn id_of(&mut self, conn: &Connection, body: &str) -> Result<i64> {
        if let Some(id) = self.known.get(body) {
            return Ok(*id);
        }
        let hash = text_hash(body);
        let mut candidates = conn.prepare_cached("SELECT id, body FROM texts WHERE hash = ?1")?;
        let mut rows = candidates.query([hash])?;
        let mut found = None;
        while let Some(row) = rows.next()? {
            if row.get_ref(1)?.as_str().map_err(rusqlite::Error::from)? == body {
                found = Some(row.get(0)?);
                break;
            }
        }
        drop(rows);
        let id = match found {
            Some(id) => id,
            None => {
                conn.prepare_cached("INSERT INTO texts(hash, body) VALUES (?1, ?2)")?
                    .execute(rusqlite::params![hash, body])?;
                conn.last_insert_rowid()
            }
        };
        self.known.insert(body.into(), id);
        Ok(id)
    }

    /// Replace every string of `value` (except empty ones and uids) by a reference to its stored
    /// text; the ids used are appended to `used` (for `item_texts`; not those of a provenance).
    pub(crate) fn store_strings(&mut self, conn: &Connection, value: &mut Value, used: &mut Vec<i64>) -> Result<()> {
        match value {
            Value::String(text) if !text.is_empty() => {
                let id = self.id_of(conn, text)?;
                used.push(id);
                *text = reference(id);
            }
            Value::Array(values) => {
                for value in values {
                    self.store_strings(conn, value, used)?;
                }
            }
            Value::Object(fields) => {
                for (key, value) in fields.iter_mut() {
                    match key.as_str() {
                        INLINE_KEY => {}
                        UNSEARCHED_KEY => self.store_strings(conn, value, &mut Vec::new())?,
                        _ => self.store_strings(conn, value, used)?,
                    }
                }
            }
            _ => {}
        }
        Ok(())
    }
}

/// Text bodies one reader has fetched: a list of 50,000 items uses a few thousand distinct texts,
/// each fetched once.
#[derive(Default)]
pub(crate) struct TextBodies {
    known: RefCell<HashMap<i64, Rc<str>>>,
}

impl TextBodies {
    pub(crate) fn body(&self, conn: &Connection, id: i64) -> Result<Rc<str>> {
        if let Some(body) = self.known.borrow().get(&id) {
            return Ok(Rc::clone(body));
        }
        let body: Rc<str> = conn
            .prepare_cached("SELECT body FROM texts WHERE id = ?1")?
            .query_row([id], |r| r.get::<_, String>(0))
            .optional()?
            .ok_or_else(|| StoreError::Corrupt {
                table: "texts",
                id,
                message: "文档引用的文本不存在".to_string(),
            })?
            .into();
        self.known.borrow_mut().insert(id, Rc::clone(&body));
        Ok(body)
    }

    /// Put the stored texts back in place of every reference in `value`.
    pub(crate) fn restore_strings(&self, conn: &Connection, value: &mut Value) -> Result<()> {
        match value {
            Value::String(text) => {
                if let Some(id) = referenced_id(text) {
                    *text = self.body(conn, id)?.to_string();
                }
            }
            Value::Array(values) => {
                for value in values {
                    self.restore_strings(conn, value)?;
                }
            }
            Value::Object(fields) => {
                for value in fields.values_mut() {
                    self.restore_strings(conn, value)?;
                }
            }
            _ => {}
        }
        Ok(())
    }

    /// A column that may hold a reference (a version's 文号 read with `json_extract`).
    pub(crate) fn restore_column(&self, conn: &Connection, text: Option<String>) -> Result<Option<String>> {
        match text.as_deref().and_then(referenced_id) {
            Some(id) => Ok(Some(self.body(conn, id)?.to_string())),
            None => Ok(text),
        }
    }
}

/// The text ids a stored document refers to (an item's, for `item_texts`).
pub(crate) fn referenced_ids(value: &Value, ids: &mut Vec<i64>) {
    match value {
        Value::String(text) => ids.extend(referenced_id(text)),
        Value::Array(values) => values.iter().for_each(|v| referenced_ids(v, ids)),
        Value::Object(fields) => fields.values().for_each(|v| referenced_ids(v, ids)),
        _ => {}
    }
}

/// Record that item `item` uses texts `ids` (duplicates are fine).
pub(crate) fn link_item_texts(conn: &Connection, item: i64, ids: &[i64]) -> Result<()> {
    let mut insert = conn.prepare_cached("INSERT OR IGNORE INTO item_texts(text_id, item_id) VALUES (?1, ?2)")?;
    for id in ids {
        insert.execute([*id, item])?;
    }
    Ok(())
}

/// Forget that item `item` uses texts `ids`.
pub(crate) fn unlink_item_texts(conn: &Connection, item: i64, ids: &[i64]) -> Result<()> {
    let mut delete = conn.prepare_cached("DELETE FROM item_texts WHERE text_id = ?1 AND item_id = ?2")?;
    for id in ids {
        delete.execute([*id, item])?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn connection() -> Connection {
        let conn = Connection::open_in_memory().expect("memory");
        conn.execute_batch(
            "CREATE TABLE texts (id INTEGER PRIMARY KEY, hash INTEGER NOT NULL, body TEXT NOT NULL);
             CREATE INDEX texts_hash ON texts(hash);",
        )
        .expect("schema");
        conn
    }

    #[test]
    fn a_text_is_stored_once_and_comes_back_whole() {
        let conn = connection();
        let mut ids = TextIds::default();
        let mut doc = serde_json::json!({
            "uid": "0190a5d6-0000-7000-8000-000000000001",
            "name": "对违法建设的处罚",
            "basis": "《中华人民共和国城乡规划法》第六十四条",
            "remarks": "",
            "extra": [{"header": "备注", "value": "《中华人民共和国城乡规划法》第六十四条"}],
            "position": 3
        });
        let original = doc.clone();
        let mut used = Vec::new();
        ids.store_strings(&conn, &mut doc, &mut used).expect("store");
        let count: i64 = conn.query_row("SELECT count(*) FROM texts", [], |r| r.get(0)).expect("count");
        // name, basis (= the extra value), 备注 header: three distinct texts.
        assert_eq!(count, 3);
        assert_eq!(doc["uid"], original["uid"], "a uid stays inline");
        assert_eq!(doc["remarks"], "", "an empty string stays inline");
        assert_eq!(doc["basis"], doc["extra"][0]["value"]);
        // A second writer finds the stored text instead of storing it again.
        let mut fresh = TextIds::default();
        let mut again = original.clone();
        fresh.store_strings(&conn, &mut again, &mut Vec::new()).expect("again");
        assert_eq!(again, doc);
        TextBodies::default().restore_strings(&conn, &mut doc).expect("restore");
        assert_eq!(doc, original);
    }

    #[test]
    fn texts_whose_hashes_collide_are_told_apart_by_their_bodies() {
        let conn = connection();
        conn.execute("INSERT INTO texts(hash, body) VALUES (?1, '另一段文字')", [text_hash("追责情形")])
            .expect("planted collision");
        let id = TextIds::default().id_of(&conn, "追责情形").expect("id");
        assert_ne!(id, 1);
        assert_eq!(&*TextBodies::default().body(&conn, id).expect("body"), "追责情形");
    }

    #[test]
    fn a_missing_text_is_reported_as_corruption() {
        let conn = connection();
        let mut doc = serde_json::json!({ "name": reference(42) });
        let error = TextBodies::default().restore_strings(&conn, &mut doc).expect_err("missing");
        assert!(error.to_string().contains("texts #42"), "{error}");
    }
}
