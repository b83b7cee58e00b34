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

mod errors;
mod merge;
mod parse;
mod session;
mod types;

use std::collections::HashSet;

use quanze_domain::Id;
use quanze_store::StoreError;

use crate::{Api, ApiError};
use errors::{EditError, Refusal};
use session::Session;
pub use types::{
    EditBatch, EditOutcome, FieldRef, FieldValue, ItemEdit, ItemField, ItemLocation, NewItem, PlacedItem,
    Placement,
};

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

/// Apply `edits` to `list` inside a transaction the caller holds: an approved change request
/// (调整申请) writes its edit and itself at once, through the same session as the grid's edits.
/// Gives the items changed or inserted; a refused edit gives its error, and the caller's
/// transaction must then fail.
pub(crate) fn apply_within(writer: &mut quanze_store::Writer<'_>, list: Id, edits: &[ItemEdit]) -> Result<Vec<Id>, ApiError> {
    let list = writer.reader().list(list)?;
    let mut session = Session::new(writer, list);
    for edit in edits {
        session.apply(edit).map_err(|error| ApiError::new(error.code(), error.to_string()))?;
    }
    Ok(std::mem::take(&mut session.changed))
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
            let mut session = Session::new(writer, list);
            let mut index = 0;
            while index < batch.edits.len() {
                // Consecutive sets are one run: an item is written once for all its cells.
                let mut sets = Vec::new();
                while let Some(ItemEdit::Set { item, field, value, was }) =
                    batch.edits.get(index + sets.len())
                {
                    sets.push((index + sets.len(), *item, field, value.as_str(), was.as_deref()));
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
}
