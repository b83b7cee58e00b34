//! The types of an edit that cross the boundary: which field, which change, the batch, and
//! what applying it did.

pub use quanze_domain::ItemField;
use quanze_domain::{Id, Item};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

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
    /// A field as people write it: its label (实施依据), its English key (basis), or an extra
    /// column as `extra:原表头` (or `附加:原表头`).
    pub fn parse(text: &str) -> Result<FieldRef, crate::ApiError> {
        let text = text.trim();
        if let Some(header) = text.strip_prefix("extra:").or_else(|| text.strip_prefix("附加:")) {
            return Ok(FieldRef::Extra { header: header.trim().to_string(), index: 0 });
        }
        let by_id = serde_json::from_value::<ItemField>(serde_json::Value::String(text.to_string())).ok();
        by_id
            .or_else(|| ItemField::ALL.into_iter().find(|f| f.label() == text))
            .map(FieldRef::Standard)
            .ok_or_else(|| {
                crate::ApiError::invalid_input(format!(
                    "未知的字段“{text}”，可用：{}；附加字段写 extra:原表头",
                    ItemField::ALL.map(ItemField::label).join("、")
                ))
            })
    }

    /// The field's value in `item`, as text (none when empty).
    pub fn value_in(&self, item: &Item) -> Option<String> {
        match self {
            FieldRef::Standard(field) => field.format(item),
            FieldRef::Extra { header, index } => item
                .extra
                .iter()
                .filter(|e| &e.header == header)
                .nth(usize::try_from(*index).unwrap_or(usize::MAX))
                .map(|e| e.value.clone()),
        }
    }

    pub(crate) fn label(&self) -> String {
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
    /// The item this one follows. While that item is in the list, the new one goes right after
    /// it, wherever it is now, and `at` is not used; when it is gone, `at` is, taken no further
    /// than the list's end. The undo of a deletion carries it: rows another user inserted or
    /// deleted above since would otherwise put the restored row in another row's place.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub after: Option<Id>,
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
        /// The field's text as the user saw it before the edit (trimmed; empty: it was empty).
        /// When the item now holds another text there — another user changed the same field
        /// meanwhile — nothing is saved and the edit fails with [`crate::ErrorCode::EditConflict`],
        /// showing both values (unless the other user wrote the same text). Absent: not
        /// compared, the edit sets the field whatever it holds now. Either way the other
        /// fields of the item are the ones stored now: another user's change of them is kept.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[ts(optional)]
        was: Option<String>,
    },
    /// Put an item back as given (what undoing a `Set` does). Its place is kept.
    Replace {
        item: Box<Item>,
        /// The item as the edit being taken back left it (the batches Quanze returns as inverses
        /// carry it). Then only what that edit changed is put back: a field another user changed
        /// since keeps their value, and a field both changed is refused with
        /// [`crate::ErrorCode::EditConflict`] and both values. Absent: the item is put back whole.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[ts(optional)]
        expected: Option<Box<Item>>,
    },
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
                    was: None,
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
