//! Editing a list's items: an [`EditBatch`] of item edits, applied in one audited transaction,
//! which gives back the batch that undoes it.
//!
//! Why batches: one user action in the editor (typing into a cell, setting 承办机构 on 30 selected
//! rows, pasting a block copied from Excel, deleting rows) must land whole or not at all, and be
//! undone as one. So the UI's undo and redo stacks hold nothing but batches: applying a batch
//! returns its inverse, and undo is applying that inverse (recorded in the audit log with the
//! reason "撤销：…"), which in turn returns the batch that redoes it.
//!
//! Items keep dense positions `0..n` within their list (bundles and imports write them so, and an
//! import appends at `n`): inserting, deleting or moving renumbers the items behind the change,
//! each renumbered item through the audited `put` like any other change.

use std::collections::hash_map::Entry;
use std::collections::{HashMap, HashSet};

use quanze_domain::{DutyList, ExtraField, Id, Item, PowerType, Unit};
use quanze_store::{ItemRecord, StoreError, Writer};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::{Api, ApiError, ErrorCode};

/// A standard field of an item that the editor sets from text (a grid column).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ItemField {
    Seq,
    Code,
    Name,
    SubItem,
    Category,
    PowerType,
    Basis,
    Subject,
    /// 承办机构: the text as written; matched to a unit of that exact name when there is one.
    HandlingUnit,
    LevelAndAuthority,
    DepartmentDuty,
    /// 主责部门 of a 配合履职 item (matched to a unit like 承办机构).
    LeadUnit,
    SuperiorDuty,
    StreetDuty,
    /// 承接部门 of a 收回 item.
    ReceivingUnit,
    WorkingMethod,
    /// 申请部门 of a 协助 item.
    RequestingUnit,
    /// 经费（万元/年）: a number; "20万元" is read as 20.
    FundingAmount,
    FundingSource,
    /// 人员数: a whole number; "2人" is read as 2.
    StaffCount,
    StaffNote,
    /// 可否出具: 可出具 / 不得出具 (also 是 / 否).
    Certificate,
    Responsibility,
    ResponsibilityBasis,
    AccountableScope,
    AccountabilityCases,
    SupervisionPhone,
    Remarks,
}

impl ItemField {
    pub const ALL: [ItemField; 28] = [
        ItemField::Seq,
        ItemField::Code,
        ItemField::Name,
        ItemField::SubItem,
        ItemField::Category,
        ItemField::PowerType,
        ItemField::Basis,
        ItemField::Subject,
        ItemField::HandlingUnit,
        ItemField::LevelAndAuthority,
        ItemField::DepartmentDuty,
        ItemField::LeadUnit,
        ItemField::SuperiorDuty,
        ItemField::StreetDuty,
        ItemField::ReceivingUnit,
        ItemField::WorkingMethod,
        ItemField::RequestingUnit,
        ItemField::FundingAmount,
        ItemField::FundingSource,
        ItemField::StaffCount,
        ItemField::StaffNote,
        ItemField::Certificate,
        ItemField::Responsibility,
        ItemField::ResponsibilityBasis,
        ItemField::AccountableScope,
        ItemField::AccountabilityCases,
        ItemField::SupervisionPhone,
        ItemField::Remarks,
    ];

    /// The column header users know.
    pub fn label(self) -> &'static str {
        match self {
            ItemField::Seq => "序号",
            ItemField::Code => "事项编码",
            ItemField::Name => "事项名称",
            ItemField::SubItem => "子项名称",
            ItemField::Category => "类别",
            ItemField::PowerType => "权力类型",
            ItemField::Basis => "实施依据",
            ItemField::Subject => "行使主体",
            ItemField::HandlingUnit => "承办机构",
            ItemField::LevelAndAuthority => "实施层级及权限",
            ItemField::DepartmentDuty => "部门职责",
            ItemField::LeadUnit => "主责部门",
            ItemField::SuperiorDuty => "上级部门职责",
            ItemField::StreetDuty => "街道配合职责",
            ItemField::ReceivingUnit => "承接部门",
            ItemField::WorkingMethod => "工作方式",
            ItemField::RequestingUnit => "申请部门",
            ItemField::FundingAmount => "经费（万元/年）",
            ItemField::FundingSource => "经费来源",
            ItemField::StaffCount => "人员数",
            ItemField::StaffNote => "人员说明",
            ItemField::Certificate => "可否出具",
            ItemField::Responsibility => "责任事项内容",
            ItemField::ResponsibilityBasis => "责任事项依据",
            ItemField::AccountableScope => "追责对象范围",
            ItemField::AccountabilityCases => "追责情形",
            ItemField::SupervisionPhone => "监督电话",
            ItemField::Remarks => "备注",
        }
    }
}

/// Which value of an item an edit sets: a standard field, or an extra field kept from an
/// import, named by its original header and, since headers may repeat, which of the fields
/// with that header (0 for the first). Naming the next index after the last adds the field.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum FieldRef {
    Standard(ItemField),
    Extra { header: String, index: u32 },
}

impl FieldRef {
    fn label(&self) -> String {
        match self {
            FieldRef::Standard(field) => field.label().to_string(),
            FieldRef::Extra { header, .. } => format!("“{header}”列"),
        }
    }
}

/// A field and the text to set it to (empty text clears it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct FieldValue {
    pub field: FieldRef,
    pub value: String,
}

/// An item to insert at index `at` of the list. A new item has `id` 0 (the store assigns one);
/// an undo restores a deleted item with its old id. `values` are set on `item` first, with the
/// same reading and checks as [`ItemEdit::Set`] (a pasted row below the list's end).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct NewItem {
    pub at: u32,
    pub item: Item,
    #[serde(default)]
    pub values: Vec<FieldValue>,
}

/// Where an item goes in a move: index `to` of the list after the move.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Placement {
    pub item: Id,
    pub to: u32,
}

/// One change to a list's items.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum ItemEdit {
    /// Set one field of one item from text (trimmed; empty clears the field).
    Set {
        item: Id,
        field: FieldRef,
        value: String,
    },
    /// Put an item back exactly as given (what undoing a `Set` does). Its place is kept.
    Replace { item: Box<Item> },
    /// Insert items, each at its index `at`, taken in ascending order of `at`.
    Insert { items: Vec<NewItem> },
    /// Delete items; the items behind them move up.
    Delete { items: Vec<Id> },
    /// Take the items out, then put each at its index `to`, in ascending order of `to`. Moving
    /// rows 5–7 up one is `[(r5, 4), (r6, 5), (r7, 6)]`.
    Move { items: Vec<Placement> },
}

/// Edits of one list that form one user action: applied in one transaction, audited under
/// `reason` (e.g. "修改事项名称", "粘贴 3 行 × 2 列"), undone as one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct EditBatch {
    pub list: Id,
    pub reason: String,
    pub edits: Vec<ItemEdit>,
}

impl EditBatch {
    /// Set `field` to `value` on every item of `items` (a bulk edit of the selected rows).
    pub fn set_field(list: Id, items: &[Id], field: &FieldRef, value: &str) -> EditBatch {
        EditBatch {
            list,
            reason: format!("批量设置{}（{} 项）", field.label(), items.len()),
            edits: items
                .iter()
                .map(|&item| ItemEdit::Set {
                    item,
                    field: field.clone(),
                    value: value.to_string(),
                })
                .collect(),
        }
    }
}

/// An item with its index in the list.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct PlacedItem {
    pub position: u32,
    pub item: Item,
}

/// What applying a batch did.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct EditOutcome {
    /// The batch that undoes this one (apply it to undo; what that returns redoes).
    pub inverse: EditBatch,
    /// Items whose content changed or that were inserted, as they are now, with their index.
    pub changed: Vec<PlacedItem>,
    /// Items deleted.
    pub removed: Vec<Id>,
    /// Whether items already in the list other than `changed` ones changed their index (after
    /// an insert, delete or move in the middle): the UI then reloads the list.
    pub reordered: bool,
    /// Items in the list now.
    pub total: u32,
}

/// Where an item is: for jumping from a finding or a search hit to its row.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct ItemLocation {
    pub item: Id,
    pub list: Id,
    pub jurisdiction: Id,
    pub position: u32,
}

/// Why an edit was refused. Crosses the boundary as an [`ApiError`] with the code of
/// [`EditError::code`] and a message that names the edit, the item and the field.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
enum EditError {
    #[error("找不到事项 #{0}（可能已被删除）")]
    ItemNotFound(Id),
    #[error("事项“{name}”不在清单“{list}”中")]
    ItemNotInList { name: String, list: String },
    #[error("事项“{name}”没有“{header}”列（第 {index} 个）")]
    UnknownExtraField {
        name: String,
        header: String,
        index: u32,
    },
    #[error("“{value}”不是十类权力类型之一（{}）", PowerType::ALL.map(|p| p.label()).join("、"))]
    NotAPowerType { value: String },
    #[error("事项名称不能为空")]
    EmptyName,
    #[error("{field}应为数字，“{value}”不是")]
    NotANumber { field: &'static str, value: String },
    #[error("可否出具应为“可出具”或“不得出具”，“{value}”不是")]
    NotACertificateAnswer { value: String },
    #[error("位置 {at} 超出清单范围（清单现有 {len} 项）")]
    PositionOutOfRange { at: u32, len: usize },
    #[error("事项“{name}”在一次操作中出现了两次")]
    Repeated { name: String },
    #[error("事项 #{0} 已存在，不能再次插入")]
    ItemExists(Id),
    #[error("没有要保存的修改")]
    Empty,
    /// A failure of the store itself, kept as it is.
    #[error("{0}")]
    Store(String),
}

impl EditError {
    fn code(&self) -> ErrorCode {
        match self {
            EditError::ItemNotFound(_) => ErrorCode::NotFound,
            EditError::Store(_) => ErrorCode::Database,
            _ => ErrorCode::InvalidInput,
        }
    }
}

/// An edit that failed, with where it stands in the batch.
struct Refusal {
    index: usize,
    item: Option<String>,
    field: Option<String>,
    error: EditError,
}

impl Refusal {
    fn into_api_error(self, batch_len: usize) -> ApiError {
        let mut context = Vec::new();
        if batch_len > 1 {
            context.push(format!("第 {} 处修改", self.index + 1));
        }
        if let Some(item) = self.item {
            context.push(format!("事项“{item}”"));
        }
        if let Some(field) = self.field {
            context.push(field);
        }
        let message = if context.is_empty() {
            self.error.to_string()
        } else {
            format!("{}：{}", context.join("，"), self.error)
        };
        ApiError::new(self.error.code(), format!("未保存。{message}"))
    }
}

fn store_error(error: StoreError) -> EditError {
    match error {
        StoreError::NotFound { id, .. } => EditError::ItemNotFound(id),
        other => EditError::Store(other.to_string()),
    }
}

/// The reason an inverse batch is audited under: undo of "X" is "撤销：X", and undoing that
/// again (a redo) is "重做：X".
fn inverse_reason(reason: &str) -> String {
    if let Some(rest) = reason.strip_prefix("撤销：") {
        format!("重做：{rest}")
    } else if let Some(rest) = reason.strip_prefix("重做：") {
        format!("撤销：{rest}")
    } else {
        format!("撤销：{reason}")
    }
}

fn item_label(item: &Item) -> String {
    match &item.sub_item {
        Some(sub) => format!("{}（{sub}）", item.name),
        None => item.name.clone(),
    }
}

/// A slot of the list's order while a structural edit runs: the record, and the position it
/// has in the database (`None` for an item not written yet).
struct Slot {
    record: ItemRecord,
    stored: Option<u32>,
}

/// One batch being applied inside the store's transaction.
struct Session<'w, 'a> {
    writer: &'w mut Writer<'a>,
    list: DutyList,
    units: Option<Vec<Unit>>,
    inverse: Vec<ItemEdit>,
    changed: Vec<Id>,
    removed: Vec<Id>,
    reordered: bool,
}

impl<'w, 'a> Session<'w, 'a> {
    fn record(&self, id: Id) -> Result<ItemRecord, EditError> {
        let record = self.writer.reader().item(id).map_err(store_error)?;
        if record.list != self.list.id {
            return Err(EditError::ItemNotInList {
                name: item_label(&record.item),
                list: self.list.name.clone(),
            });
        }
        Ok(record)
    }

    /// The list's items in order, with the positions they have in the database.
    fn order(&self) -> Result<Vec<Slot>, EditError> {
        let records = self
            .writer
            .reader()
            .list_item_records(self.list.id)
            .map_err(store_error)?;
        Ok(records
            .into_iter()
            .map(|record| Slot {
                stored: Some(record.position),
                record,
            })
            .collect())
    }

    /// Write the new order: every slot whose position differs from its index (and every new
    /// item) is put. Returns the ids of the new items, in order of index.
    fn write_order(&mut self, order: Vec<Slot>) -> Result<Vec<Id>, EditError> {
        // The longest run of items that all move by the same number of places (everything
        // behind an inserted or deleted row) is moved in one statement with one audit entry,
        // before any other write, while the stored positions still describe the database.
        let shifted = longest_shifted_run(&order)?;
        if let Some(run) = &shifted {
            self.writer
                .shift_item_positions(self.list.id, run.from, run.to, run.delta)
                .map_err(store_error)?;
            self.reordered = true;
        }
        let mut created = Vec::new();
        for (index, mut slot) in order.into_iter().enumerate() {
            let index = u32::try_from(index).map_err(|_| EditError::Store("清单过长".into()))?;
            match slot.stored {
                Some(stored) if stored == index => {}
                Some(stored) if shifted.as_ref().is_some_and(|run| run.contains(stored, index)) => {}
                Some(_) => {
                    slot.record.position = index;
                    self.reordered = true;
                    self.writer.put(&mut slot.record).map_err(store_error)?;
                }
                None => {
                    slot.record.position = index;
                    let id = self.writer.put(&mut slot.record).map_err(store_error)?;
                    created.push(id);
                    self.changed.push(id);
                }
            }
        }
        Ok(created)
    }

    fn units(&mut self) -> Result<&[Unit], EditError> {
        if self.units.is_none() {
            self.units = Some(self.writer.reader().units().map_err(store_error)?);
        }
        Ok(self.units.as_deref().unwrap_or_default())
    }

    /// The unit a name written in a cell refers to: the one unit of that exact name in the
    /// list's jurisdiction, else the one unit of that name anywhere; none when ambiguous.
    fn resolve_unit(&mut self, name: Option<&str>) -> Result<Option<Id>, EditError> {
        let Some(name) = name else { return Ok(None) };
        let jurisdiction = self.list.jurisdiction;
        let units = self.units()?;
        let named: Vec<&Unit> = units.iter().filter(|u| u.name == name).collect();
        let local: Vec<&&Unit> = named
            .iter()
            .filter(|u| u.jurisdiction == jurisdiction)
            .collect();
        Ok(match (local.as_slice(), named.as_slice()) {
            ([one], _) => Some(one.id),
            ([], [one]) => Some(one.id),
            _ => None,
        })
    }

    /// Set one field of `item` from text.
    fn set_value(
        &mut self,
        item: &mut Item,
        field: &FieldRef,
        value: &str,
    ) -> Result<(), EditError> {
        let text = value.trim();
        let opt = (!text.is_empty()).then(|| text.to_string());
        let field = match field {
            FieldRef::Standard(field) => *field,
            FieldRef::Extra { header, index } => {
                return set_extra(item, header, *index, opt);
            }
        };
        match field {
            ItemField::Seq => item.seq = opt,
            ItemField::Code => item.code = opt,
            ItemField::Name => item.name = opt.ok_or(EditError::EmptyName)?,
            ItemField::SubItem => item.sub_item = opt,
            ItemField::Category => item.category = opt,
            ItemField::PowerType => {
                item.power_type = match opt {
                    None => None,
                    Some(written) => Some(
                        PowerType::parse(&written)
                            .ok_or(EditError::NotAPowerType { value: written })?
                            .label()
                            .to_string(),
                    ),
                }
            }
            ItemField::Basis => item.basis = opt,
            ItemField::Subject => item.subject = opt,
            ItemField::HandlingUnit => {
                item.handling_unit = self.resolve_unit(opt.as_deref())?;
                item.handling_unit_text = opt;
            }
            ItemField::LevelAndAuthority => item.level_and_authority = opt,
            ItemField::DepartmentDuty => item.department_duty = opt,
            ItemField::LeadUnit => {
                let unit = self.resolve_unit(opt.as_deref())?;
                let group = item.coordination.get_or_insert_with(Default::default);
                group.lead_unit = unit;
                group.lead_unit_text = opt;
            }
            ItemField::SuperiorDuty => {
                item.coordination
                    .get_or_insert_with(Default::default)
                    .superior_duty = opt;
            }
            ItemField::StreetDuty => {
                item.coordination
                    .get_or_insert_with(Default::default)
                    .street_duty = opt;
            }
            ItemField::ReceivingUnit => {
                let unit = self.resolve_unit(opt.as_deref())?;
                let group = item.withdrawal.get_or_insert_with(Default::default);
                group.receiving_unit = unit;
                group.receiving_unit_text = opt;
            }
            ItemField::WorkingMethod => {
                item.withdrawal
                    .get_or_insert_with(Default::default)
                    .working_method = opt;
            }
            ItemField::RequestingUnit => {
                let unit = self.resolve_unit(opt.as_deref())?;
                let group = item.assistance.get_or_insert_with(Default::default);
                group.requesting_unit = unit;
                group.requesting_unit_text = opt;
            }
            ItemField::FundingAmount => {
                let amount = opt.as_deref().map(parse_amount).transpose()?;
                item.assistance
                    .get_or_insert_with(Default::default)
                    .funding
                    .amount_wan = amount;
            }
            ItemField::FundingSource => {
                item.assistance
                    .get_or_insert_with(Default::default)
                    .funding
                    .source = opt;
            }
            ItemField::StaffCount => {
                let count = opt.as_deref().map(parse_count).transpose()?;
                item.assistance
                    .get_or_insert_with(Default::default)
                    .staff
                    .count = count;
            }
            ItemField::StaffNote => {
                item.assistance
                    .get_or_insert_with(Default::default)
                    .staff
                    .note = opt;
            }
            ItemField::Certificate => {
                item.certificate_allowed = opt.as_deref().map(parse_certificate).transpose()?;
            }
            ItemField::Responsibility => item.responsibility = opt,
            ItemField::ResponsibilityBasis => item.responsibility_basis = opt,
            ItemField::AccountableScope => item.accountable_scope = opt,
            ItemField::AccountabilityCases => item.accountability_cases = opt,
            ItemField::SupervisionPhone => item.supervision_phone = opt,
            ItemField::Remarks => item.remarks = opt,
        }
        // A group left with nothing in it is no group: the item reads as it did before.
        if item
            .coordination
            .as_ref()
            .is_some_and(|g| *g == Default::default())
        {
            item.coordination = None;
        }
        if item
            .withdrawal
            .as_ref()
            .is_some_and(|g| *g == Default::default())
        {
            item.withdrawal = None;
        }
        if item
            .assistance
            .as_ref()
            .is_some_and(|g| *g == Default::default())
        {
            item.assistance = None;
        }
        Ok(())
    }

    /// A run of `Set` edits: each item is read once, changed, and written once (one audit
    /// entry per item however many of its cells changed).
    fn apply_sets(&mut self, sets: &[(usize, Id, &FieldRef, &str)]) -> Result<(), Refusal> {
        let mut order: Vec<Id> = Vec::new();
        let mut work: HashMap<Id, (ItemRecord, Item)> = HashMap::new();
        for &(index, id, field, value) in sets {
            let refuse = |error: EditError, item: Option<&Item>| Refusal {
                index,
                item: item.map(item_label),
                field: Some(field.label()),
                error,
            };
            if let Entry::Vacant(slot) = work.entry(id) {
                let record = self.record(id).map_err(|e| refuse(e, None))?;
                let item = record.item.clone();
                slot.insert((record, item));
                order.push(id);
            }
            let Some((record, mut item)) = work.remove(&id) else {
                continue;
            };
            let result = self.set_value(&mut item, field, value);
            if let Err(error) = result {
                return Err(refuse(
                    match error {
                        EditError::UnknownExtraField { header, index, .. } => {
                            EditError::UnknownExtraField {
                                name: item_label(&record.item),
                                header,
                                index,
                            }
                        }
                        other => other,
                    },
                    Some(&record.item),
                ));
            }
            work.insert(id, (record, item));
        }
        for id in order {
            let Some((record, item)) = work.remove(&id) else {
                continue;
            };
            if record.item == item {
                continue;
            }
            let mut updated = ItemRecord {
                item,
                ..record.clone()
            };
            self.writer.put(&mut updated).map_err(|e| Refusal {
                index: sets.first().map_or(0, |s| s.0),
                item: Some(item_label(&record.item)),
                field: None,
                error: store_error(e),
            })?;
            self.inverse.push(ItemEdit::Replace {
                item: Box::new(record.item),
            });
            self.changed.push(id);
        }
        Ok(())
    }

    fn apply(&mut self, edit: &ItemEdit) -> Result<(), EditError> {
        match edit {
            ItemEdit::Set { item, field, value } => self
                .apply_sets(&[(0, *item, field, value.as_str())])
                .map_err(|refused| refused.error),
            ItemEdit::Replace { item } => {
                let record = self.record(item.id)?;
                if item.name.trim().is_empty() {
                    return Err(EditError::EmptyName);
                }
                if record.item == **item {
                    return Ok(());
                }
                let mut updated = ItemRecord {
                    item: item.as_ref().clone(),
                    ..record.clone()
                };
                self.writer.put(&mut updated).map_err(store_error)?;
                self.inverse.push(ItemEdit::Replace {
                    item: Box::new(record.item),
                });
                self.changed.push(item.id);
                Ok(())
            }
            ItemEdit::Insert { items } => self.insert(items),
            ItemEdit::Delete { items } => self.delete(items),
            ItemEdit::Move { items } => self.move_items(items),
        }
    }

    fn insert(&mut self, items: &[NewItem]) -> Result<(), EditError> {
        let mut order = self.order()?;
        let mut sorted: Vec<&NewItem> = items.iter().collect();
        sorted.sort_by_key(|n| n.at);
        let mut restored: HashSet<Id> = HashSet::new();
        for new in sorted {
            let at = usize::try_from(new.at).unwrap_or(usize::MAX);
            if at > order.len() {
                return Err(EditError::PositionOutOfRange {
                    at: new.at,
                    len: order.len(),
                });
            }
            let mut item = new.item.clone();
            if item.id != 0 {
                let exists = self.writer.reader().item(item.id).is_ok();
                if exists || !restored.insert(item.id) {
                    return Err(EditError::ItemExists(item.id));
                }
            }
            for value in &new.values {
                self.set_value(&mut item, &value.field, &value.value)?;
            }
            if item.name.trim().is_empty() {
                return Err(EditError::EmptyName);
            }
            if item.id == 0 {
                // A new item typed or pasted in: its 权力类型 must be one of the ten, as when set.
                if let Some(written) = item.power_type.clone() {
                    item.power_type = Some(
                        PowerType::parse(&written)
                            .ok_or(EditError::NotAPowerType { value: written })?
                            .label()
                            .to_string(),
                    );
                }
            }
            order.insert(
                at,
                Slot {
                    record: ItemRecord {
                        list: self.list.id,
                        position: new.at,
                        item,
                    },
                    stored: None,
                },
            );
        }
        let created = self.write_order(order)?;
        self.inverse.push(ItemEdit::Delete { items: created });
        Ok(())
    }

    /// Take `ids` out of `order`, giving each with the index it had (ascending by index).
    fn take_out(
        &self,
        order: &mut Vec<Slot>,
        ids: &[Id],
    ) -> Result<Vec<(u32, ItemRecord)>, EditError> {
        let mut wanted: HashSet<Id> = HashSet::new();
        for &id in ids {
            let record = self.record(id)?;
            if !wanted.insert(id) {
                return Err(EditError::Repeated {
                    name: item_label(&record.item),
                });
            }
        }
        let mut taken = Vec::new();
        let mut kept = Vec::with_capacity(order.len());
        for (index, slot) in std::mem::take(order).into_iter().enumerate() {
            if wanted.contains(&slot.record.item.id) {
                let index =
                    u32::try_from(index).map_err(|_| EditError::Store("清单过长".into()))?;
                taken.push((index, slot.record));
            } else {
                kept.push(slot);
            }
        }
        *order = kept;
        Ok(taken)
    }

    fn delete(&mut self, ids: &[Id]) -> Result<(), EditError> {
        let mut order = self.order()?;
        let taken = self.take_out(&mut order, ids)?;
        for (_, record) in &taken {
            self.writer
                .delete::<ItemRecord>(record.item.id)
                .map_err(store_error)?;
            self.removed.push(record.item.id);
        }
        self.write_order(order)?;
        self.inverse.push(ItemEdit::Insert {
            items: taken
                .into_iter()
                .map(|(at, record)| NewItem {
                    at,
                    item: record.item,
                    values: Vec::new(),
                })
                .collect(),
        });
        Ok(())
    }

    fn move_items(&mut self, placements: &[Placement]) -> Result<(), EditError> {
        let mut order = self.order()?;
        let ids: Vec<Id> = placements.iter().map(|p| p.item).collect();
        let taken = self.take_out(&mut order, &ids)?;
        let back: Vec<Placement> = taken
            .iter()
            .map(|(at, record)| Placement {
                item: record.item.id,
                to: *at,
            })
            .collect();
        let mut by_id: HashMap<Id, ItemRecord> = taken
            .into_iter()
            .map(|(at, record)| {
                let _ = at;
                (record.item.id, record)
            })
            .collect();
        let mut sorted: Vec<&Placement> = placements.iter().collect();
        sorted.sort_by_key(|p| p.to);
        for placement in sorted {
            let to = usize::try_from(placement.to).unwrap_or(usize::MAX);
            if to > order.len() {
                return Err(EditError::PositionOutOfRange {
                    at: placement.to,
                    len: order.len(),
                });
            }
            let record = by_id
                .remove(&placement.item)
                .ok_or(EditError::ItemNotFound(placement.item))?;
            let stored = record.position;
            order.insert(
                to,
                Slot {
                    record,
                    stored: Some(stored),
                },
            );
        }
        self.write_order(order)?;
        self.inverse.push(ItemEdit::Move { items: back });
        Ok(())
    }
}

/// Set an extra field. Clearing the last field of a header removes it; clearing an earlier one
/// of a repeated header leaves it empty, so that the later ones keep their index.
fn set_extra(
    item: &mut Item,
    header: &str,
    index: u32,
    value: Option<String>,
) -> Result<(), EditError> {
    let at: Vec<usize> = item
        .extra
        .iter()
        .enumerate()
        .filter(|(_, e)| e.header == header)
        .map(|(i, _)| i)
        .collect();
    let wanted = usize::try_from(index).unwrap_or(usize::MAX);
    match (at.get(wanted), value) {
        (Some(&i), Some(value)) => item.extra[i].value = value,
        (Some(&i), None) if wanted + 1 == at.len() => {
            item.extra.remove(i);
        }
        (Some(&i), None) => item.extra[i].value = String::new(),
        (None, Some(value)) if wanted == at.len() => item.extra.push(ExtraField {
            header: header.to_string(),
            value,
        }),
        (None, None) if wanted == at.len() => {}
        (None, _) => {
            return Err(EditError::UnknownExtraField {
                name: item_label(item),
                header: header.to_string(),
                index,
            });
        }
    }
    Ok(())
}

fn strip_suffixes<'t>(text: &'t str, suffixes: &[&str]) -> &'t str {
    let mut rest = text.trim();
    for suffix in suffixes {
        if let Some(stripped) = rest.strip_suffix(suffix) {
            rest = stripped.trim_end();
        }
    }
    rest
}

/// 经费 in 万元 per year: "20", "20.5", "20万元", "20 万元/年".
/// Shorter runs than this are written item by item: their audit entries say exactly which
/// item moved, and they cost little.
const SHIFT_IN_ONE_STATEMENT: usize = 64;

/// Items at stored positions `from..to`, each moving by `delta`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct ShiftedRun {
    from: u32,
    to: u32,
    delta: i64,
}

impl ShiftedRun {
    fn contains(&self, stored: u32, index: u32) -> bool {
        (self.from..self.to).contains(&stored) && i64::from(index) - i64::from(stored) == self.delta
    }
}

/// The longest run of consecutive slots (in the new order) whose stored positions are
/// consecutive too and which all move by the same non-zero delta, when it is long enough to
/// be worth one statement.
fn longest_shifted_run(order: &[Slot]) -> Result<Option<ShiftedRun>, EditError> {
    let mut best: Option<(ShiftedRun, usize)> = None;
    let mut current: Option<(ShiftedRun, usize)> = None;
    for (index, slot) in order.iter().enumerate() {
        let index = i64::try_from(index).map_err(|_| EditError::Store("清单过长".into()))?;
        let step = slot.stored.map(|stored| (stored, index - i64::from(stored))).filter(|(_, delta)| *delta != 0);
        current = match (current, step) {
            (Some((run, len)), Some((stored, delta))) if run.delta == delta && run.to == stored => {
                Some((ShiftedRun { to: stored + 1, ..run }, len + 1))
            }
            (_, Some((stored, delta))) => Some((ShiftedRun { from: stored, to: stored + 1, delta }, 1)),
            (_, None) => None,
        };
        if let Some((run, len)) = current {
            if best.is_none_or(|(_, best_len)| len > best_len) {
                best = Some((run, len));
            }
        }
    }
    Ok(best.filter(|(_, len)| *len >= SHIFT_IN_ONE_STATEMENT).map(|(run, _)| run))
}

fn parse_amount(text: &str) -> Result<f64, EditError> {
    let number = strip_suffixes(text, &["/年", "每年", "元", "万"]);
    number
        .parse::<f64>()
        .ok()
        .filter(|n| n.is_finite() && *n >= 0.0)
        .ok_or(EditError::NotANumber {
            field: "经费（万元/年）",
            value: text.to_string(),
        })
}

/// 人员数: "2", "2人", "2 名".
fn parse_count(text: &str) -> Result<u32, EditError> {
    strip_suffixes(text, &["人", "名"])
        .parse::<u32>()
        .map_err(|_| EditError::NotANumber {
            field: "人员数",
            value: text.to_string(),
        })
}

fn parse_certificate(text: &str) -> Result<bool, EditError> {
    match text {
        "可出具" | "可以出具" | "可" | "是" | "能" => Ok(true),
        "不得出具" | "不可出具" | "不予出具" | "不可" | "否" | "不能" => Ok(false),
        _ => Err(EditError::NotACertificateAnswer {
            value: text.to_string(),
        }),
    }
}

impl Api {
    /// Apply a batch of edits to one list in one audited transaction. Returns its inverse and
    /// what changed; on any refused edit nothing is written and the error names the edit.
    pub fn edit(&mut self, batch: &EditBatch, actor: &str) -> Result<EditOutcome, ApiError> {
        if batch.edits.is_empty() {
            return Err(ApiError::new(
                EditError::Empty.code(),
                EditError::Empty.to_string(),
            ));
        }
        let reason = match batch.reason.trim() {
            "" => "编辑清单事项",
            given => given,
        };
        let mut refusal: Option<Refusal> = None;
        let result = self.store.write(actor, Some(reason), |writer| {
            let list = writer.reader().list(batch.list)?;
            let mut session = Session {
                writer,
                list,
                units: None,
                inverse: Vec::new(),
                changed: Vec::new(),
                removed: Vec::new(),
                reordered: false,
            };
            let mut index = 0;
            while index < batch.edits.len() {
                // Consecutive sets are one run: an item is written once for all its cells.
                let mut sets = Vec::new();
                while let Some(ItemEdit::Set { item, field, value }) =
                    batch.edits.get(index + sets.len())
                {
                    sets.push((index + sets.len(), *item, field, value.as_str()));
                }
                let outcome = if sets.is_empty() {
                    let edit = &batch.edits[index];
                    index += 1;
                    session.apply(edit).map_err(|error| Refusal {
                        index: index - 1,
                        item: None,
                        field: None,
                        error,
                    })
                } else {
                    index += sets.len();
                    session.apply_sets(&sets)
                };
                if let Err(refused) = outcome {
                    let message = refused.error.to_string();
                    refusal = Some(refused);
                    return Err(StoreError::Invalid(message));
                }
            }
            let changed_ids = std::mem::take(&mut session.changed);
            let reader = session.writer.reader();
            let mut changed = Vec::new();
            let mut seen = HashSet::new();
            for id in changed_ids {
                if !seen.insert(id) {
                    continue;
                }
                // An item changed and then deleted in the same batch is only "removed".
                if let Ok(record) = reader.item(id) {
                    changed.push(PlacedItem {
                        position: record.position,
                        item: record.item,
                    });
                }
            }
            let total = reader.item_counts()?.get(&batch.list).copied().unwrap_or(0);
            let mut inverse = std::mem::take(&mut session.inverse);
            inverse.reverse();
            Ok(EditOutcome {
                inverse: EditBatch {
                    list: batch.list,
                    reason: inverse_reason(reason),
                    edits: inverse,
                },
                changed,
                removed: session.removed,
                reordered: session.reordered,
                total,
            })
        });
        match (result, refusal) {
            (Ok(outcome), _) => Ok(outcome),
            (Err(_), Some(refused)) => Err(refused.into_api_error(batch.edits.len())),
            (Err(error), None) => Err(error.into()),
        }
    }

    /// Where an item is (its list, jurisdiction and index).
    pub fn item_location(&self, item: Id) -> Result<ItemLocation, ApiError> {
        let reader = self.store.reader();
        let record = reader.item(item)?;
        let list = reader.list(record.list)?;
        Ok(ItemLocation {
            item,
            list: list.id,
            jurisdiction: list.jurisdiction,
            position: record.position,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inverse_reasons_alternate_between_undo_and_redo() {
        assert_eq!(inverse_reason("修改事项名称"), "撤销：修改事项名称");
        assert_eq!(inverse_reason("撤销：修改事项名称"), "重做：修改事项名称");
        assert_eq!(inverse_reason("重做：修改事项名称"), "撤销：修改事项名称");
    }

    #[test]
    fn numbers_are_read_with_their_units() {
        assert_eq!(parse_amount("20"), Ok(20.0));
        assert_eq!(parse_amount("20.5万元"), Ok(20.5));
        assert_eq!(parse_amount("20 万元/年"), Ok(20.0));
        assert!(parse_amount("二十").is_err());
        assert!(parse_amount("-3").is_err());
        assert_eq!(parse_count("2人"), Ok(2));
        assert_eq!(parse_count("3 名"), Ok(3));
        assert!(parse_count("2.5").is_err());
        assert_eq!(parse_certificate("不得出具"), Ok(false));
        assert_eq!(parse_certificate("可出具"), Ok(true));
        assert!(parse_certificate("看情况").is_err());
    }

    #[test]
    fn extra_fields_with_a_repeated_header_keep_their_index() {
        let mut item = Item {
            name: "事项".into(),
            extra: vec![
                ExtraField {
                    header: "备用".into(),
                    value: "a".into(),
                },
                ExtraField {
                    header: "备用".into(),
                    value: "b".into(),
                },
            ],
            ..Item::default()
        };
        set_extra(&mut item, "备用", 0, None).expect("clear first");
        assert_eq!(item.extra[0].value, "");
        assert_eq!(item.extra[1].value, "b");
        set_extra(&mut item, "备用", 1, None).expect("clear last");
        assert_eq!(item.extra.len(), 1);
        set_extra(&mut item, "新列", 0, Some("x".into())).expect("add");
        assert_eq!(
            item.extra[1],
            ExtraField {
                header: "新列".into(),
                value: "x".into()
            }
        );
        assert!(matches!(
            set_extra(&mut item, "新列", 5, Some("y".into())),
            Err(EditError::UnknownExtraField { .. })
        ));
    }

    #[test]
    fn every_field_is_listed_once_with_its_own_label() {
        let fields: HashSet<ItemField> = ItemField::ALL.into_iter().collect();
        let labels: HashSet<&str> = ItemField::ALL.into_iter().map(ItemField::label).collect();
        assert_eq!(fields.len(), ItemField::ALL.len());
        assert_eq!(labels.len(), ItemField::ALL.len());
    }
}
