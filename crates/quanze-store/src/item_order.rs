//! Putting a list's items in a given order after a change that added, removed or moved many of
//! them at once (a merge, a workbook imported again): only the rows whose place changes are
//! rewritten, and the list gets one audit entry for the whole reordering, as
//! [`Writer::shift_item_positions`] does.

use std::collections::HashMap;

use quanze_domain::Id;
use rusqlite::OptionalExtension;

use crate::{AuditAction, Result, StoreError, Writer};

impl Writer<'_> {
    /// Give the items of `list` the positions `0..n` in `order` (every item of the list, each
    /// once): rows whose position changes are rewritten (column and document alike), the others
    /// are left alone, so an order that is already right writes nothing. When any moved, the
    /// list gets one audit entry "`why`（N 项）" (合并后重排, 导入后重排): the items' content did
    /// not change, so one entry per item would only bury the real changes. Returns how many
    /// moved.
    pub fn renumber_items(&mut self, list: Id, order: &[Id], why: &str) -> Result<usize> {
        let now: HashMap<Id, u32> = self
            .tx
            .prepare_cached("SELECT id, position FROM items WHERE list_id = ?1")?
            .query_map([list], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        let mut moved = 0usize;
        for (position, id) in order.iter().enumerate() {
            let position = u32::try_from(position).map_err(|_| StoreError::Invalid("清单事项过多".to_string()))?;
            if now.get(id) == Some(&position) {
                continue;
            }
            let changed = self
                .tx
                .prepare_cached("UPDATE items SET position = ?1 WHERE id = ?2 AND list_id = ?3")?
                .execute(rusqlite::params![position, id, list])?;
            if changed > 0 {
                self.tx
                    .prepare_cached("UPDATE item_documents SET doc = json_set(doc, '$.position', ?1) WHERE id = ?2")?
                    .execute(rusqlite::params![position, id])?;
                moved += 1;
            }
        }
        if moved > 0 {
            let name: String = self
                .tx
                .prepare_cached("SELECT name FROM lists WHERE id = ?1")?
                .query_row([list], |r| r.get(0))
                .optional()?
                .ok_or(StoreError::NotFound { entity: "清单", id: list })?;
            let after = self.stored_value(serde_json::json!({ "事项顺序": format!("{why}（{moved} 项）") }))?;
            self.audit(AuditAction::Update, "清单", (list, None), &name, None, Some(after))?;
        }
        Ok(moved)
    }
}
