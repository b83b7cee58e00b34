//! Putting an item back (an undo, a redo) over what other users changed since (issue 19:
//! several people editing one database). The edit to take back says what it left
//! (`ItemEdit::Replace::expected`); the item now is compared with that, field by field: a field
//! only the other users changed keeps their value, a field only the undo changes takes the
//! undo's, and a field both changed to different values is a conflict with both values —
//! nothing is written.

use quanze_domain::{Item, ItemField};
use quanze_store::StoreError;
use serde_json::Value;

use super::errors::EditError;

/// `wanted` (what the undo puts back) over `now` (the item as stored), where `expected` is
/// the item as the edit being undone left it.
pub(super) fn merge(now: &Item, expected: &Item, wanted: &Item) -> Result<Item, EditError> {
    let json = |item: &Item| serde_json::to_value(item).map_err(|e| EditError::Store(e.to_string()));
    let (now_value, expected_value, wanted_value) = (json(now)?, json(expected)?, json(wanted)?);
    let mut path = Vec::new();
    match quanze_store::merge_documents(&mut path, Some(&now_value), Some(&expected_value), Some(&wanted_value)) {
        Ok(merged) => serde_json::from_value(merged.unwrap_or(Value::Null)).map_err(|e| EditError::Store(e.to_string())),
        Err(conflict) => Err(conflict_error(now, wanted, &conflict)),
    }
}

/// The conflict on the field at `path`, named and shown as the grid shows it when it is one
/// of the standard fields (a unit's text and its id are one field, 承办机构).
fn conflict_error(now: &Item, wanted: &Item, path: &[String]) -> EditError {
    let key = path.last().map_or("", String::as_str);
    let field = serde_json::from_value::<ItemField>(Value::String(key.trim_end_matches("_text").to_string())).ok();
    let (label, theirs, yours) = match field {
        Some(field) => (
            field.label().to_string(),
            field.format(now).unwrap_or_default(),
            field.format(wanted).unwrap_or_default(),
        ),
        None => {
            let at = |item: &Item| {
                let value = serde_json::to_value(item).unwrap_or(Value::Null);
                let found = path.iter().try_fold(&value, |v, k| v.get(k)).cloned();
                match found {
                    Some(Value::String(text)) => text,
                    Some(other) => other.to_string(),
                    None => String::new(),
                }
            };
            let label = if key == "extra" { "附加字段".to_string() } else { key.to_string() };
            (label, at(now), at(wanted))
        }
    };
    let conflict = StoreError::EditConflict {
        entity: "事项",
        label: now.label(),
        field: label,
        theirs,
        yours,
    };
    EditError::Conflict(conflict.to_string())
}
