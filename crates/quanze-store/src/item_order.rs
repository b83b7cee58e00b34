//! Putting a list's items in a given order after a change that added, removed or moved many of
//! them at once (a merge, a workbook imported again): only the rows whose place changes are
//! rewritten, and the list gets one audit entry for the whole reordering, as
//! [`Writer::shift_item_positions`] does.

use std::collections::HashMap;

use quanze_domain::Id;

use crate::backend::Value;
use crate::{AuditAction, Result, StoreError, Writer};

impl Writer<'_> {
    /// Give the items of `list` the positions `0..n` in `order` (every item of the list, each
    /// once): rows whose position changes are rewritten (column and document alike), the others
    /// are left alone, so an order that is already right writes nothing. When any moved, the
    /// list gets one audit entry "`why`（N 项）" (合并后重排, 导入后重排): the items' content did
    /// not change, so one entry per item would only bury the real changes. Returns how many
    /// moved.
    pub fn renumber_items(&mut self, list: Id, order: &[Id], why: &str) -> Result<usize> {
        let conn = self.conn();
        let mut now: HashMap<i64, i64> = HashMap::new();
        for row in conn.query("SELECT id, position FROM items WHERE list_id = ?1", &[Value::Integer(i64::from(list))])? {
            now.insert(row.integer(0)?, row.integer(1)?);
        }
        let set_position = if conn.is_postgres() {
            // Documents are `json` text (migrations/pg/0011.sql): rewritten through jsonb here.
            "UPDATE item_documents SET doc = jsonb_set(doc::jsonb, '{position}', to_jsonb(?1::bigint))::json WHERE id = ?2"
        } else {
            "UPDATE item_documents SET doc = json_set(doc, '$.position', ?1) WHERE id = ?2"
        };
        let mut moved = 0usize;
        for (position, id) in order.iter().enumerate() {
            let position = u32::try_from(position).map_err(|_| StoreError::Invalid("清单事项过多".to_string()))?;
            if now.get(&i64::from(*id)) == Some(&i64::from(position)) {
                continue;
            }
            let (position, id) = (Value::Integer(i64::from(position)), Value::Integer(i64::from(*id)));
            let changed = conn.execute(
                "UPDATE items SET position = ?1 WHERE id = ?2 AND list_id = ?3",
                &[position.clone(), id.clone(), Value::Integer(i64::from(list))],
            )?;
            if changed > 0 {
                conn.execute(set_position, &[position, id])?;
                moved += 1;
            }
        }
        if moved > 0 {
            let name = self.list_name(list)?;
            let after = self.stored_value(serde_json::json!({ "事项顺序": format!("{why}（{moved} 项）") }))?;
            self.audit(AuditAction::Update, "清单", (list, None), &name, None, Some(after))?;
        }
        Ok(moved)
    }
}
