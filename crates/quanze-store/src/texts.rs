//! Texts stored once (schema version 4).
//!
//! Real lists repeat themselves: the same 责任事项 and 追责情形 paragraphs stand under hundreds of
//! items, the same law under thousands. Every string of an entity's JSON document is therefore
//! kept once, in `texts` (content-addressed: a 64-bit FNV-1a hash finds candidates, the body
//! decides), and the document holds a *reference* in its place: `~` followed by the text's id.
//! The same goes for the audit log's before/after and for the item copies in published
//! versions, so an audit entry or a version costs a few bytes per field, not a second copy.
//! A body longer than [`COMPRESS_ABOVE`] bytes is kept deflated (a BLOB) when that is smaller:
//! Chinese paragraphs shrink by about 40 %; shorter ones stay TEXT.
//!
//! What stays inline: empty strings, and the values of `uid` (unique per entity, so sharing
//! gains nothing) and `seq` (序号, mostly unique too, and not searched). Every other string of
//! a stored document is a reference — the writer stores every one — so a string is read as a
//! reference by where it stands, not by what it holds.
//! Texts are never deleted: a text no row uses any more is a few bytes, and a published
//! version or an audit entry may still need it.
//!
//! Each item row lists the texts its current document uses (`items.text_ids`, packed by
//! [`pack_text_ids`]). Search scans the distinct texts (a few megabytes even for 50,000 items)
//! for the query, then the items' short rows for those texts: there is no second copy of the
//! content and no index to catch up after an import.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use serde_json::Value;

use crate::backend::{self, Conn};
use crate::{Result, StoreError};

/// First character of a reference to a stored text.
pub(crate) const REFERENCE: char = '~';

/// Object keys whose strings stay inline (see the module documentation).
const INLINE_KEYS: [&str; 2] = ["uid", "seq"];

/// Bodies longer than this many bytes are kept deflated when that is smaller.
pub(crate) const COMPRESS_ABOVE: usize = 64;

/// A body as stored: TEXT, or a deflated BLOB when that is smaller. On PostgreSQL always text:
/// its trigram index must read the words, and the server compresses long values itself.
pub(crate) fn stored_body(conn: Conn<'_>, body: &str) -> rusqlite::types::Value {
    if body.len() > COMPRESS_ABOVE && !conn.is_postgres() {
        if let Some(packed) = deflate_if_smaller(body.as_bytes()) {
            return rusqlite::types::Value::Blob(packed);
        }
    }
    rusqlite::types::Value::Text(body.to_string())
}

/// `bytes` as a raw deflate stream, if that is shorter than `bytes`.
fn deflate_if_smaller(bytes: &[u8]) -> Option<Vec<u8>> {
    DEFLATER.with(|deflater| {
        let mut deflater = deflater.borrow_mut();
        deflater.reset();
        // Room for the worst case (stored blocks): deflating into too small a buffer is a
        // path zlib-rs does not survive.
        let mut out = Vec::with_capacity(bytes.len() + bytes.len() / 8 + 256);
        loop {
            let consumed = usize::try_from(deflater.total_in()).ok()?;
            let before = (deflater.total_in(), deflater.total_out());
            let status = deflater.compress_vec(bytes.get(consumed..)?, &mut out, flate2::FlushCompress::Finish).ok()?;
            if status == flate2::Status::StreamEnd {
                return (out.len() < bytes.len()).then_some(out);
            }
            if (deflater.total_in(), deflater.total_out()) == before {
                return None;
            }
            if out.len() == out.capacity() {
                out.reserve(out.capacity());
            }
        }
    })
}

thread_local! {
    /// One deflater per thread, reset for each body: its state is hundreds of kilobytes that
    /// a new one allocates and zeroes — per text, that was most of a 50,000-item load's time
    /// whenever the allocator handed the state back to the system between texts.
    static DEFLATER: std::cell::RefCell<flate2::Compress> =
        std::cell::RefCell::new(flate2::Compress::new(flate2::Compression::default(), false));

    /// One inflater per thread, reset for each body: search inflates thousands of short bodies,
    /// and setting one up costs more than inflating a paragraph.
    static INFLATER: std::cell::RefCell<flate2::Decompress> = std::cell::RefCell::new(flate2::Decompress::new(false));
}

/// The bytes a raw deflate stream holds.
fn inflate(packed: &[u8]) -> std::result::Result<Vec<u8>, String> {
    INFLATER.with(|inflater| {
        let mut inflater = inflater.borrow_mut();
        inflater.reset(false);
        let mut out = Vec::with_capacity(packed.len() * 3);
        loop {
            let (before_in, before_out) = (inflater.total_in(), inflater.total_out());
            let consumed = usize::try_from(before_in).map_err(|e| e.to_string())?;
            if out.len() == out.capacity() {
                out.reserve(out.capacity().max(256));
            }
            let status = inflater
                .decompress_vec(packed.get(consumed..).unwrap_or_default(), &mut out, flate2::FlushDecompress::None)
                .map_err(|e| e.to_string())?;
            if status == flate2::Status::StreamEnd {
                return Ok(out);
            }
            if inflater.total_in() == before_in && inflater.total_out() == before_out {
                return Err("压缩数据不完整".to_string());
            }
        }
    })
}

/// A stored body back as text.
pub(crate) fn read_body(id: i64, stored: rusqlite::types::ValueRef<'_>) -> Result<String> {
    let bad = |message: String| StoreError::Corrupt {
        table: "texts",
        id,
        message,
    };
    match stored {
        rusqlite::types::ValueRef::Text(bytes) => String::from_utf8(bytes.to_vec()).map_err(|e| bad(e.to_string())),
        rusqlite::types::ValueRef::Blob(packed) => {
            let bytes = inflate(packed).map_err(|e| bad(format!("压缩文本无法读出：{e}")))?;
            String::from_utf8(bytes).map_err(|e| bad(e.to_string()))
        }
        _ => Err(bad("文本的类型不对".to_string())),
    }
}

/// A stored body, as the backend returned it, back as text.
pub(crate) fn read_stored_body(id: i64, stored: &backend::Value) -> Result<String> {
    read_body(id, rusqlite::types::ValueRef::from(stored))
}

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
    pub(crate) fn id_of(&mut self, conn: Conn<'_>, body: &str) -> Result<i64> {
        if let Some(id) = self.known.get(body) {
            return Ok(*id);
        }
        let hash = text_hash(body);
        let mut found = None;
        for row in conn.query("SELECT id, body FROM texts WHERE hash = ?1", &[backend::Value::Integer(hash)])? {
            let id = row.integer(0)?;
            if read_stored_body(id, row.value(1))? == body {
                found = Some(id);
                break;
            }
        }
        let id = match found {
            Some(id) => id,
            None => conn.insert_returning_id(
                "INSERT INTO texts(hash, body) VALUES (?1, ?2)",
                &[backend::Value::Integer(hash), stored_body(conn, body)],
            )?,
        };
        self.known.insert(body.into(), id);
        Ok(id)
    }

    /// Look up, and store when missing, the texts `bodies` in statements of [`PREFETCH_BATCH`]
    /// texts each, so that the [`TextIds::id_of`] calls that follow find them known. On a server
    /// every statement is a round trip: an import of 50,000 items would otherwise look up each
    /// new text on its own (docs/benchmarks/server.md).
    pub(crate) fn prefetch(&mut self, conn: Conn<'_>, bodies: &[String]) -> Result<()> {
        let mut seen = std::collections::HashSet::new();
        let wanted: Vec<&str> = bodies
            .iter()
            .map(String::as_str)
            .filter(|body| !body.is_empty() && !self.known.contains_key(*body) && seen.insert(*body))
            .collect();
        for chunk in wanted.chunks(PREFETCH_BATCH) {
            let hashes: Vec<backend::Value> = chunk.iter().map(|body| backend::Value::Integer(text_hash(body))).collect();
            let list = backend::value_tuples(1, hashes.len());
            let mut found: HashMap<String, i64> = HashMap::new();
            for row in conn.query(&format!("SELECT id, body FROM texts WHERE hash IN {list}"), &hashes)? {
                let id = row.integer(0)?;
                found.entry(read_stored_body(id, row.value(1))?).or_insert(id);
            }
            let missing: Vec<&str> = chunk.iter().copied().filter(|body| !found.contains_key(*body)).collect();
            if !missing.is_empty() {
                let values: Vec<backend::Value> = missing
                    .iter()
                    .flat_map(|body| [backend::Value::Integer(text_hash(body)), stored_body(conn, body)])
                    .collect();
                let tuples = backend::value_tuples(missing.len(), 2);
                let rows = conn.query(&format!("INSERT INTO texts(hash, body) VALUES {tuples} RETURNING id, body"), &values)?;
                for row in rows {
                    let id = row.integer(0)?;
                    found.insert(read_stored_body(id, row.value(1))?, id);
                }
            }
            for body in chunk {
                let id = *found.get(*body).ok_or_else(|| StoreError::Invalid(format!("文本未能存入：{body}")))?;
                self.known.insert((*body).into(), id);
            }
        }
        Ok(())
    }

    /// Replace every string of `value` (except empty ones and inline keys') by a reference to its stored
    /// text; the ids used are appended to `used` (for `item_texts`; not those of a provenance).
    pub(crate) fn store_strings(&mut self, conn: Conn<'_>, value: &mut Value, used: &mut Vec<i64>) -> Result<()> {
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
                        key if INLINE_KEYS.contains(&key) => {}
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

/// Texts looked up or stored per statement by [`TextIds::prefetch`].
const PREFETCH_BATCH: usize = 500;

/// Every string [`TextIds::store_strings`] would store for `value`, in the same walk.
pub(crate) fn collect_strings(value: &Value, into: &mut Vec<String>) {
    match value {
        Value::String(text) if !text.is_empty() => into.push(text.clone()),
        Value::Array(values) => values.iter().for_each(|value| collect_strings(value, into)),
        Value::Object(fields) => {
            for (key, value) in fields {
                if !INLINE_KEYS.contains(&key.as_str()) {
                    collect_strings(value, into);
                }
            }
        }
        _ => {}
    }
}

/// Text bodies one reader has fetched: a list of 50,000 items uses a few thousand distinct texts,
/// each fetched once.
#[derive(Default)]
pub(crate) struct TextBodies {
    known: RefCell<HashMap<i64, Rc<str>>>,
}

impl TextBodies {
    /// Keep a body already read (search reads them all; the hits' documents then need no lookup).
    pub(crate) fn remember(&self, id: i64, body: Rc<str>) {
        self.known.borrow_mut().insert(id, body);
    }

    pub(crate) fn body(&self, conn: Conn<'_>, id: i64) -> Result<Rc<str>> {
        if let Some(body) = self.known.borrow().get(&id) {
            return Ok(Rc::clone(body));
        }
        let row = conn
            .query_opt("SELECT body FROM texts WHERE id = ?1", &[backend::Value::Integer(id)])?
            .ok_or_else(|| StoreError::Corrupt {
                table: "texts",
                id,
                message: "文档引用的文本不存在".to_string(),
            })?;
        let body: Rc<str> = read_stored_body(id, row.value(0))?.into();
        self.known.borrow_mut().insert(id, Rc::clone(&body));
        Ok(body)
    }

    /// Read the bodies of `ids` not known yet, [`PREFETCH_BATCH`] to a statement, so that the
    /// [`TextBodies::restore_strings`] calls that follow find them known. On a server every
    /// statement is a round trip: a page of 200 items refers to a thousand or more texts, which
    /// one at a time cost ~70 ms a page on loopback (docs/benchmarks/clients.md).
    pub(crate) fn fetch(&self, conn: Conn<'_>, ids: &[i64]) -> Result<()> {
        let mut wanted: Vec<i64> = {
            let known = self.known.borrow();
            ids.iter().copied().filter(|id| !known.contains_key(id)).collect()
        };
        wanted.sort_unstable();
        wanted.dedup();
        for chunk in wanted.chunks(PREFETCH_BATCH) {
            let list = backend::value_tuples(1, chunk.len());
            let values: Vec<backend::Value> = chunk.iter().map(|id| backend::Value::Integer(*id)).collect();
            for row in conn.query(&format!("SELECT id, body FROM texts WHERE id IN {list}"), &values)? {
                let id = row.integer(0)?;
                let body: Rc<str> = read_stored_body(id, row.value(1))?.into();
                self.known.borrow_mut().insert(id, body);
            }
        }
        Ok(())
    }

    /// Put the stored texts back in place of every reference in `value`.
    pub(crate) fn restore_strings(&self, conn: Conn<'_>, value: &mut Value) -> Result<()> {
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
                for (key, value) in fields.iter_mut() {
                    if !INLINE_KEYS.contains(&key.as_str()) {
                        self.restore_strings(conn, value)?;
                    }
                }
            }
            _ => {}
        }
        Ok(())
    }

    /// A column that may hold a reference (a version's 文号 read with `json_extract`).
    pub(crate) fn restore_column(&self, conn: Conn<'_>, text: Option<String>) -> Result<Option<String>> {
        match text.as_deref().and_then(referenced_id) {
            Some(id) => Ok(Some(self.body(conn, id)?.to_string())),
            None => Ok(text),
        }
    }
}

/// The text ids a stored document refers to.
pub(crate) fn referenced_ids(value: &Value, ids: &mut Vec<i64>) {
    match value {
        Value::String(text) => ids.extend(referenced_id(text)),
        Value::Array(values) => values.iter().for_each(|v| referenced_ids(v, ids)),
        Value::Object(fields) => fields
            .iter()
            .filter(|(key, _)| !INLINE_KEYS.contains(&key.as_str()))
            .for_each(|(_, v)| referenced_ids(v, ids)),
        _ => {}
    }
}

/// Text ids as an item row keeps them: sorted, without repeats, each the difference from the
/// one before as a LEB128 varint (a dozen texts take about 30 bytes).
pub(crate) fn pack_text_ids(ids: &[i64]) -> Vec<u8> {
    let mut sorted: Vec<u64> = ids.iter().filter_map(|id| u64::try_from(*id).ok()).collect();
    sorted.sort_unstable();
    sorted.dedup();
    let mut packed = Vec::with_capacity(sorted.len() * 3);
    let mut previous = 0;
    for id in sorted {
        let mut delta = id - previous;
        previous = id;
        loop {
            let byte = u8::try_from(delta & 0x7f).unwrap_or(0);
            delta >>= 7;
            if delta == 0 {
                packed.push(byte);
                break;
            }
            packed.push(byte | 0x80);
        }
    }
    packed
}

/// Call `each` with every id [`pack_text_ids`] packed; stops early when it answers `true`, and
/// answers whether it did. Bytes cut short end the walk.
pub(crate) fn any_packed_text_id(packed: &[u8], mut each: impl FnMut(u64) -> bool) -> bool {
    let (mut id, mut delta, mut shift) = (0_u64, 0_u64, 0_u32);
    for byte in packed {
        delta |= u64::from(byte & 0x7f) << shift.min(63);
        if byte & 0x80 == 0 {
            id = id.wrapping_add(delta);
            if each(id) {
                return true;
            }
            (delta, shift) = (0, 0);
        } else {
            shift += 7;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;
    use rusqlite::Connection;

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
            "seq": "~3",
            "basis": "《中华人民共和国城乡规划法》第六十四条",
            "remarks": "",
            "extra": [{"header": "备注", "value": "《中华人民共和国城乡规划法》第六十四条"}],
            "position": 3
        });
        let original = doc.clone();
        let mut used = Vec::new();
        ids.store_strings(Conn::Sqlite(&conn), &mut doc, &mut used).expect("store");
        let count: i64 = conn.query_row("SELECT count(*) FROM texts", [], |r| r.get(0)).expect("count");
        // name, basis (= the extra value), 备注 header: three distinct texts.
        assert_eq!(count, 3);
        assert_eq!(doc["uid"], original["uid"], "a uid stays inline");
        assert_eq!(doc["seq"], "~3", "so does a 序号, even one that looks like a reference");
        assert_eq!(doc["remarks"], "", "an empty string stays inline");
        assert_eq!(doc["basis"], doc["extra"][0]["value"]);
        // A second writer finds the stored text instead of storing it again.
        let mut fresh = TextIds::default();
        let mut again = original.clone();
        fresh.store_strings(Conn::Sqlite(&conn), &mut again, &mut Vec::new()).expect("again");
        assert_eq!(again, doc);
        TextBodies::default().restore_strings(Conn::Sqlite(&conn), &mut doc).expect("restore");
        assert_eq!(doc, original);
    }

    #[test]
    fn texts_whose_hashes_collide_are_told_apart_by_their_bodies() {
        let conn = connection();
        conn.execute("INSERT INTO texts(hash, body) VALUES (?1, '另一段文字')", [text_hash("追责情形")])
            .expect("planted collision");
        let id = TextIds::default().id_of(Conn::Sqlite(&conn), "追责情形").expect("id");
        assert_ne!(id, 1);
        assert_eq!(&*TextBodies::default().body(Conn::Sqlite(&conn), id).expect("body"), "追责情形");
    }

    #[test]
    fn a_long_body_is_kept_deflated_and_a_short_one_as_text() {
        let conn = connection();
        let long = "因不履行或不正确履行行政职责，有下列情形的，行政机关及相关工作人员应承担相应的责任：".repeat(3);
        let mut ids = TextIds::default();
        let (long_id, short_id) = (ids.id_of(Conn::Sqlite(&conn), &long).expect("long"), ids.id_of(Conn::Sqlite(&conn), "行政处罚").expect("short"));
        let kind = |id: i64| -> String {
            conn.query_row("SELECT typeof(body) FROM texts WHERE id = ?1", [id], |r| r.get(0)).expect("type")
        };
        assert_eq!((kind(long_id).as_str(), kind(short_id).as_str()), ("blob", "text"));
        let bodies = TextBodies::default();
        assert_eq!(&*bodies.body(Conn::Sqlite(&conn), long_id).expect("long"), long.as_str());
        // Found again by its body, not stored twice.
        assert_eq!(TextIds::default().id_of(Conn::Sqlite(&conn), &long).expect("again"), long_id);
    }

    #[test]
    fn text_ids_pack_small_and_unpack_sorted_without_repeats() {
        let ids = [300_i64, 5, 70_000, 5, 301];
        let packed = pack_text_ids(&ids);
        assert_eq!(packed.len(), 1 + 2 + 1 + 3);
        let mut seen = Vec::new();
        assert!(!any_packed_text_id(&packed, |id| {
            seen.push(id);
            false
        }));
        assert_eq!(seen, [5, 300, 301, 70_000]);
        assert!(any_packed_text_id(&packed, |id| id == 301));
    }

    #[test]
    fn a_cut_deflated_body_is_reported_not_looped_over() {
        let long = "追责情形".repeat(40);
        let conn = connection();
        let rusqlite::types::Value::Blob(packed) = stored_body(Conn::Sqlite(&conn), &long) else {
            panic!("a long body is deflated")
        };
        let cut = &packed[..packed.len() / 2];
        let error = read_body(9, rusqlite::types::ValueRef::Blob(cut)).expect_err("cut");
        assert!(error.to_string().contains("texts #9"), "{error}");
        assert_eq!(read_body(9, rusqlite::types::ValueRef::Blob(&packed)).expect("whole"), long);
    }

    #[test]
    fn texts_are_stored_once_on_postgresql_too_and_long_ones_stay_readable_by_the_index() {
        let Some(database) = crate::pg::test_database::TestDatabase::new("texts") else { return };
        let mut client = database.client();
        let pg = crate::backend::PgConnection::open(&database.url).expect("open");
        let long = "因不履行或不正确履行行政职责，有下列情形的，行政机关及相关工作人员应承担相应的责任：".repeat(3);
        let original = serde_json::json!({
            "uid": "0190a5d6-0000-7000-8000-000000000001",
            "name": "对违法建设的处罚",
            "duties": [long.clone(), "对违法建设的处罚"],
            "remarks": ""
        });
        let mut doc = original.clone();
        let mut used = Vec::new();
        pg.transaction(|conn| TextIds::default().store_strings(conn, &mut doc, &mut used)).expect("store");
        assert_eq!(doc["name"], doc["duties"][1], "one text for both");
        let mut again = original.clone();
        pg.transaction(|conn| TextIds::default().store_strings(conn, &mut again, &mut Vec::new())).expect("again");
        assert_eq!(again, doc, "a second writer finds the stored texts");
        let kinds = client
            .query("SELECT count(*), count(*) FILTER (WHERE body = $1) FROM texts", &[&long])
            .expect("count");
        assert_eq!((kinds[0].get::<_, i64>(0), kinds[0].get::<_, i64>(1)), (2, 1), "the long body is kept as text");
        let mut restored = doc.clone();
        pg.transaction(|conn| TextBodies::default().restore_strings(conn, &mut restored)).expect("restore");
        assert_eq!(restored, original);
        let mut missing = serde_json::json!({ "name": reference(4242) });
        let error = pg
            .transaction(|conn| TextBodies::default().restore_strings(conn, &mut missing))
            .expect_err("missing");
        assert!(error.to_string().contains("texts #4242"), "{error}");
    }

    #[test]
    fn a_missing_text_is_reported_as_corruption() {
        let conn = connection();
        let mut doc = serde_json::json!({ "name": reference(42) });
        let error = TextBodies::default().restore_strings(Conn::Sqlite(&conn), &mut doc).expect_err("missing");
        assert!(error.to_string().contains("texts #42"), "{error}");
    }
}
