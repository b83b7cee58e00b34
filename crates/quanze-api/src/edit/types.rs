//! The types of an edit that cross the boundary: which field, which change, the batch, and
//! what applying it did.

use quanze_domain::{Id, Item};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

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
    pub(super) fn label(&self) -> String {
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

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;

    #[test]
    fn every_field_is_listed_once_with_its_own_label() {
        let fields: HashSet<ItemField> = ItemField::ALL.into_iter().collect();
        let labels: HashSet<&str> = ItemField::ALL.into_iter().map(ItemField::label).collect();
        assert_eq!(fields.len(), ItemField::ALL.len());
        assert_eq!(labels.len(), ItemField::ALL.len());
    }
}
