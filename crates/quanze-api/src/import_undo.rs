//! Undoing the last import (撤销导入, issue 18): an import filed under the wrong department, or
//! a workbook imported into the wrong list, is taken back from the app in one audited write.
//!
//! The import itself remembers what it found (`ImportUndo`): each list it wrote with its items
//! as they were (none for a new or empty list), and the jurisdictions, units and lists it
//! created. Undoing puts every such list back as it was through the grid's edit session (the
//! items the import added deleted, the ones it changed or deleted put back with their ids, the
//! old order), then deletes what the import created — all in one transaction, audited as
//! "撤销导入 …". It is offered only while nothing else has been written since the import (the
//! newest audit entry is still the import's): undoing then returns exactly to the state before.
//! Later, the automatic backup taken before the import (导入前) is the way back.

use std::collections::HashSet;

use quanze_domain::{Id, Jurisdiction, Unit};
use quanze_store::{ItemRecord, ListRecord, Reader, StoreError};
use serde::Serialize;
use ts_rs::TS;

use crate::edit::{apply_within, ItemEdit, NewItem, Placement};
use crate::{Api, ApiError, ErrorCode};

/// What undoes one import.
#[derive(Debug, Clone)]
pub(crate) struct ImportUndo {
    /// The import's audit reason ("导入 a.xls"): the undo's is "撤销导入 a.xls".
    reason: String,
    /// Each list the import wrote, with its items before (empty for a new or empty list).
    lists: Vec<(Id, Vec<ItemRecord>)>,
    created_lists: Vec<Id>,
    created_units: Vec<Id>,
    created_jurisdictions: Vec<Id>,
    /// The newest audit entry once the import was written: the undo is refused when it is not
    /// the newest any more.
    mark: Option<(u32, String)>,
}

/// The jurisdictions, units and lists there were before an import (by id).
pub(crate) struct Existing {
    jurisdictions: HashSet<Id>,
    units: HashSet<Id>,
    lists: HashSet<Id>,
}

impl Existing {
    pub(crate) fn read(reader: &Reader<'_>) -> Result<Existing, StoreError> {
        Ok(Existing {
            jurisdictions: reader.jurisdictions()?.into_iter().map(|j| j.id).collect(),
            units: reader.units()?.into_iter().map(|u| u.id).collect(),
            lists: reader.lists()?.into_iter().map(|l| l.id).collect(),
        })
    }

    /// The undo of an import that wrote `lists` (each with its items before) and created
    /// whatever `reader` shows beyond what existed.
    pub(crate) fn undo_of(
        &self,
        reader: &Reader<'_>,
        lists: Vec<(Id, Vec<ItemRecord>)>,
        reason: &str,
    ) -> Result<ImportUndo, StoreError> {
        let new = |ids: Vec<Id>, old: &HashSet<Id>| -> Vec<Id> { ids.into_iter().filter(|id| !old.contains(id)).collect() };
        Ok(ImportUndo {
            reason: reason.to_string(),
            lists,
            created_lists: new(reader.lists()?.into_iter().map(|l| l.id).collect(), &self.lists),
            created_units: new(reader.units()?.into_iter().map(|u| u.id).collect(), &self.units),
            created_jurisdictions: new(
                reader.jurisdictions()?.into_iter().map(|j| j.id).collect(),
                &self.jurisdictions,
            ),
            mark: None,
        })
    }
}

/// What 撤销导入 did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ImportUndone {
    /// The import undone ("导入 a.xls").
    pub import: String,
    /// The lists put back as they were before the import (deleted ones included).
    pub lists: Vec<Id>,
    /// Names of the lists, units and jurisdictions the import had created, now deleted.
    pub deleted_lists: Vec<String>,
    pub deleted_units: Vec<String>,
    pub deleted_jurisdictions: Vec<String>,
}

/// The newest audit entry, as (id, time).
fn newest_entry(reader: &Reader<'_>) -> Result<Option<(u32, String)>, StoreError> {
    Ok(reader.audit_log(1, None)?.into_iter().next().map(|e| (e.id, e.at)))
}

impl Api {
    /// Keep `undo` as the undo of the import just written (marked with the newest audit entry).
    pub(crate) fn remember_import(&mut self, mut undo: ImportUndo) {
        undo.mark = newest_entry(&self.store.reader()).ok().flatten();
        self.last_import = Some(undo);
    }

    /// The import that 撤销导入 would take back ("导入 a.xls"), if there is one and nothing has
    /// been written since.
    pub fn undoable_import(&self) -> Option<String> {
        let undo = self.last_import.as_ref()?;
        let now = newest_entry(&self.store.reader()).ok()?;
        (undo.mark.is_some() && now == undo.mark).then(|| undo.reason.clone())
    }

    /// 撤销导入: put back what the last import of this session changed and delete what it
    /// created, in one audited write. Refused (`procedure_refused`) once anything else has been
    /// written since the import, and `not_found` when this session imported nothing.
    pub fn undo_import(&mut self, actor: &str) -> Result<ImportUndone, ApiError> {
        let Some(undo) = self.last_import.clone() else {
            return Err(ApiError::new(ErrorCode::NotFound, "本次运行中没有可撤销的导入"));
        };
        if undo.mark.is_none() || newest_entry(&self.store.reader())? != undo.mark {
            return Err(ApiError::new(
                ErrorCode::ProcedureRefused,
                format!(
                    "“{}”之后数据库又有修改，不能再撤销这次导入。如需回到导入前，请在“文件 → 备份与恢复”中恢复“导入前”的自动备份",
                    undo.reason
                ),
            ));
        }
        let reason = format!("撤销{}", undo.reason);
        let mut refused: Option<ApiError> = None;
        let done = self
            .store
            .write(actor, Some(&reason), |writer| {
                for (list, before) in &undo.lists {
                    let current = writer.reader().list_item_records(*list)?;
                    let edits = edits_back(&current, before);
                    if edits.is_empty() {
                        continue;
                    }
                    if let Err(error) = apply_within(writer, *list, &edits) {
                        let message = error.message.clone();
                        refused = Some(error);
                        return Err(StoreError::Invalid(message));
                    }
                }
                let mut done = ImportUndone {
                    import: undo.reason.clone(),
                    lists: undo.lists.iter().map(|(list, _)| *list).collect(),
                    deleted_lists: Vec::new(),
                    deleted_units: Vec::new(),
                    deleted_jurisdictions: Vec::new(),
                };
                for &list in &undo.created_lists {
                    done.deleted_lists.push(writer.delete::<ListRecord>(list)?.0.name);
                }
                for &unit in &undo.created_units {
                    done.deleted_units.push(writer.delete::<Unit>(unit)?.name);
                }
                for &jurisdiction in &undo.created_jurisdictions {
                    done.deleted_jurisdictions.push(writer.delete::<Jurisdiction>(jurisdiction)?.name);
                }
                Ok(done)
            })
            .map_err(|error| refused.take().unwrap_or_else(|| ApiError::from(error)))?;
        self.last_import = None;
        Ok(done)
    }
}

/// The edits that make a list holding `current` hold `before` again: the items not in `before`
/// deleted, the changed ones put back, the deleted ones inserted again with their ids, and the
/// whole list moved into the old order when it differs.
fn edits_back(current: &[ItemRecord], before: &[ItemRecord]) -> Vec<ItemEdit> {
    let was: HashSet<Id> = before.iter().map(|r| r.item.id).collect();
    let now: HashSet<Id> = current.iter().map(|r| r.item.id).collect();
    let mut edits = Vec::new();
    let added: Vec<Id> = current.iter().map(|r| r.item.id).filter(|id| !was.contains(id)).collect();
    if !added.is_empty() {
        edits.push(ItemEdit::Delete { items: added });
    }
    for record in before {
        if let Some(now) = current.iter().find(|c| c.item.id == record.item.id && c.item != record.item) {
            edits.push(ItemEdit::Replace {
                item: Box::new(record.item.clone()),
                expected: Some(Box::new(now.item.clone())),
            });
        }
    }
    // The order after the deletes and inserts, to compare with the old one.
    let mut order: Vec<Id> = current.iter().map(|r| r.item.id).filter(|id| was.contains(id)).collect();
    let mut sorted: Vec<&ItemRecord> = before.iter().collect();
    sorted.sort_by_key(|r| r.position);
    let missing: Vec<NewItem> = sorted
        .iter()
        .filter(|r| !now.contains(&r.item.id))
        .map(|r| {
            let at = usize::try_from(r.position).unwrap_or(usize::MAX).min(order.len());
            order.insert(at, r.item.id);
            NewItem { at: r.position, after: None, item: r.item.clone(), values: Vec::new() }
        })
        .collect();
    if !missing.is_empty() {
        edits.push(ItemEdit::Insert { items: missing });
    }
    let old_order: Vec<Id> = sorted.iter().map(|r| r.item.id).collect();
    if order != old_order {
        edits.push(ItemEdit::Move {
            items: sorted.iter().map(|r| Placement { item: r.item.id, to: r.position }).collect(),
        });
    }
    edits
}
