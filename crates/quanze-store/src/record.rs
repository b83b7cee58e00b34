//! How each entity maps onto its table: the columns the database needs, beside the JSON doc.

use quanze_domain::{
    AdmissionRequest, ChangeRequest, DutyList, Id, Item, Jurisdiction, Leader, Uid, Unit, Version, Waiver,
};
use rusqlite::types::Value;
use serde::{de::DeserializeOwned, Deserialize, Serialize};

use crate::backend::Conn;

/// An entity that lives in one table. `columns` are the derived columns written beside `doc`;
/// the doc (the entity's JSON) is the source of truth and what the audit log records.
pub trait Record: Serialize + DeserializeOwned {
    const TABLE: &'static str;
    /// Name of the entity in the audit log, in Chinese as users read it.
    const ENTITY: &'static str;
    /// The table that holds the record's JSON document: its own, or (items) one of its own so
    /// that a scan of the rows does not read the documents.
    const DOC_TABLE: &'static str = Self::TABLE;
    /// Whether the row keeps the ids of the texts its document uses (`text_ids`, for search).
    const LISTS_TEXTS: bool = false;
    fn id(&self) -> Id;
    fn set_id(&mut self, id: Id);
    /// The entity's stable identity (see `quanze_domain::identity`); the store gives one to
    /// every record it inserts without, and keeps the row's own on every update.
    fn uid(&self) -> Option<&Uid>;
    fn set_uid(&mut self, uid: Uid);
    /// A short human label for the audit log (a name).
    fn label(&self) -> String;
    fn columns(&self) -> Vec<(&'static str, Value)>;
    /// Keep side tables that mirror parts of the doc (for foreign keys) in step.
    fn sync_side_tables(&self, _conn: Conn<'_>) -> crate::Result<()> {
        Ok(())
    }
}

/// `id`/`set_id` and `uid`/`set_uid` for the entities whose identities are their own fields.
macro_rules! plain_id {
    () => {
        fn id(&self) -> Id {
            self.id
        }
        fn set_id(&mut self, id: Id) {
            self.id = id;
        }
        fn uid(&self) -> Option<&Uid> {
            self.uid.as_ref()
        }
        fn set_uid(&mut self, uid: Uid) {
            self.uid = Some(uid);
        }
    };
}

fn opt_id(id: Option<Id>) -> Value {
    id.map_or(Value::Null, |id| Value::Integer(i64::from(id)))
}

fn opt_text(text: &Option<String>) -> Value {
    text.as_ref()
        .map_or(Value::Null, |t| Value::Text(t.clone()))
}

impl Record for Jurisdiction {
    const TABLE: &'static str = "jurisdictions";
    const ENTITY: &'static str = "辖区";
    plain_id!();
    fn label(&self) -> String {
        self.name.clone()
    }
    fn columns(&self) -> Vec<(&'static str, Value)> {
        vec![
            ("parent_id", opt_id(self.parent)),
            ("name", Value::Text(self.name.clone())),
            ("level", Value::Text(self.level.label().to_string())),
        ]
    }
}

impl Record for Unit {
    const TABLE: &'static str = "units";
    const ENTITY: &'static str = "机构";
    plain_id!();
    fn label(&self) -> String {
        self.name.clone()
    }
    fn columns(&self) -> Vec<(&'static str, Value)> {
        vec![
            ("jurisdiction_id", Value::Integer(i64::from(self.jurisdiction))),
            ("parent_id", opt_id(self.parent)),
            ("name", Value::Text(self.name.clone())),
        ]
    }
    fn sync_side_tables(&self, conn: Conn<'_>) -> crate::Result<()> {
        let unit = Value::Integer(i64::from(self.id));
        conn.execute("DELETE FROM unit_leaders_in_charge WHERE unit_id = ?1", &[unit.clone()])?;
        for leader in &self.leaders_in_charge {
            // `ON CONFLICT DO NOTHING` (SQLite's `INSERT OR IGNORE`, in the form both know).
            conn.execute(
                "INSERT INTO unit_leaders_in_charge(unit_id, leader_id) VALUES (?1, ?2) ON CONFLICT DO NOTHING",
                &[unit.clone(), Value::Integer(i64::from(*leader))],
            )?;
        }
        Ok(())
    }
}

impl Record for Leader {
    const TABLE: &'static str = "leaders";
    const ENTITY: &'static str = "班子成员";
    plain_id!();
    fn label(&self) -> String {
        format!("{}（{}）", self.name, self.post)
    }
    fn columns(&self) -> Vec<(&'static str, Value)> {
        vec![
            ("jurisdiction_id", Value::Integer(i64::from(self.jurisdiction))),
            ("name", Value::Text(self.name.clone())),
        ]
    }
}

/// A list's own record: the list without its items (items are rows of their own).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ListRecord(pub DutyList);

impl ListRecord {
    pub fn new(list: &DutyList) -> ListRecord {
        ListRecord(DutyList {
            items: Vec::new(),
            ..list.clone()
        })
    }
}

impl Record for ListRecord {
    const TABLE: &'static str = "lists";
    const ENTITY: &'static str = "清单";
    fn id(&self) -> Id {
        self.0.id
    }
    fn set_id(&mut self, id: Id) {
        self.0.id = id;
    }
    fn uid(&self) -> Option<&Uid> {
        self.0.uid.as_ref()
    }
    fn set_uid(&mut self, uid: Uid) {
        self.0.uid = Some(uid);
    }
    fn label(&self) -> String {
        self.0.name.clone()
    }
    fn columns(&self) -> Vec<(&'static str, Value)> {
        vec![
            ("jurisdiction_id", Value::Integer(i64::from(self.0.jurisdiction))),
            ("unit_id", opt_id(self.0.unit)),
            ("kind", Value::Text(self.0.kind.label().to_string())),
            ("name", Value::Text(self.0.name.clone())),
        ]
    }
}

/// An item with its place: which list, and where in it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ItemRecord {
    pub list: Id,
    pub position: u32,
    #[serde(flatten)]
    pub item: Item,
}

impl Record for ItemRecord {
    const TABLE: &'static str = "items";
    const ENTITY: &'static str = "事项";
    const DOC_TABLE: &'static str = "item_documents";
    const LISTS_TEXTS: bool = true;
    fn id(&self) -> Id {
        self.item.id
    }
    fn set_id(&mut self, id: Id) {
        self.item.id = id;
    }
    fn uid(&self) -> Option<&Uid> {
        self.item.uid.as_ref()
    }
    fn set_uid(&mut self, uid: Uid) {
        self.item.uid = Some(uid);
    }
    fn label(&self) -> String {
        self.item.label()
    }
    fn columns(&self) -> Vec<(&'static str, Value)> {
        let item = &self.item;
        vec![
            ("list_id", Value::Integer(i64::from(self.list))),
            ("position", Value::Integer(i64::from(self.position))),
            ("name", Value::Text(item.name.clone())),
            ("code", opt_text(&item.code)),
            ("power_type", opt_text(&item.power_type)),
            ("handling_unit_id", opt_id(item.handling_unit)),
            (
                "lead_unit_id",
                opt_id(item.coordination.as_ref().and_then(|c| c.lead_unit)),
            ),
            (
                "receiving_unit_id",
                opt_id(item.withdrawal.as_ref().and_then(|w| w.receiving_unit)),
            ),
            (
                "requesting_unit_id",
                opt_id(item.assistance.as_ref().and_then(|a| a.requesting_unit)),
            ),
            (
                "admission_request_id",
                opt_id(item.assistance.as_ref().and_then(|a| a.admission_request)),
            ),
        ]
    }
}

impl Record for AdmissionRequest {
    const TABLE: &'static str = "admission_requests";
    const ENTITY: &'static str = "准入申请";
    plain_id!();
    fn label(&self) -> String {
        self.item_name.clone()
    }
    fn columns(&self) -> Vec<(&'static str, Value)> {
        vec![
            ("community_id", Value::Integer(i64::from(self.community))),
            ("applicant_unit_id", opt_id(self.applicant_unit)),
            ("admitted_item_id", opt_id(self.admitted_item)),
            ("state", Value::Text(self.state.label().to_string())),
        ]
    }
}

impl Record for Waiver {
    const TABLE: &'static str = "waivers";
    const ENTITY: &'static str = "豁免";
    plain_id!();
    fn label(&self) -> String {
        self.finding_key.clone()
    }
    fn columns(&self) -> Vec<(&'static str, Value)> {
        vec![
            ("finding_key", Value::Text(self.finding_key.clone())),
            ("rule", Value::Text(self.rule.clone())),
        ]
    }
}

impl Record for Version {
    const TABLE: &'static str = "versions";
    const ENTITY: &'static str = "版本";
    plain_id!();
    fn label(&self) -> String {
        format!("第 {} 版", self.number)
    }
    fn columns(&self) -> Vec<(&'static str, Value)> {
        vec![
            ("list_id", Value::Integer(i64::from(self.list))),
            ("number", Value::Integer(i64::from(self.number))),
            ("published_on", Value::Text(self.published_on.to_string())),
        ]
    }
}

impl Record for ChangeRequest {
    const TABLE: &'static str = "change_requests";
    const ENTITY: &'static str = "调整申请";
    plain_id!();
    fn label(&self) -> String {
        format!("{}：{}", self.action.label(), self.item_label)
    }
    fn columns(&self) -> Vec<(&'static str, Value)> {
        vec![
            ("list_id", Value::Integer(i64::from(self.list))),
            ("to_list_id", opt_id(self.to_list)),
            ("item_id", opt_id(self.item)),
            ("action", Value::Text(self.action.label().to_string())),
            ("state", Value::Text(self.state.label().to_string())),
        ]
    }
}
