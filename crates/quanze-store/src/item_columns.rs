//! Which columns a list's items fill, read without putting their texts back.
//!
//! The list editor asks this each time a list opens, to choose its columns (issue 18). Decoding
//! every item with its texts restored took ~0.6 s for a 50,000-item list and left every
//! distinct text in the reader's cache. The stored documents answer the question by
//! themselves: an empty string is never stored as a reference and every other string is one
//! (`crate::texts`), so a field of a stored document holds a value exactly when the item's
//! field does. `Item` has no closed-set string (an enum) that a reference could stand in for,
//! so a stored document decodes as an `Item` whose strings are references; only the extra
//! columns' headers are looked up, once each.

use std::collections::{HashMap, HashSet};

use quanze_domain::{Id, Item, ItemField, ITEM_FIELDS};

use crate::backend::Value;
use crate::read::Reader;
use crate::texts::referenced_id;
use crate::{Result, StoreError};

/// Most distinct 类别 one list reports: a real list uses a dozen; a file with a different word
/// in every row is not to send them all to the cell's menu.
pub const MAX_CATEGORIES: usize = 200;

/// The columns a list's items fill (see [`Reader::columns_in_use`]).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ColumnsInUse {
    /// Standard fields with a value in at least one item, in `ITEM_FIELDS` order; a unit field
    /// also counts when only its unit is set (the grid then shows the unit's name).
    pub fields: Vec<ItemField>,
    /// Extra columns kept from imports: each header with the most times one item repeats it,
    /// in order of first appearance.
    pub extra_headers: Vec<(String, u32)>,
    /// Every 类别 written in the list (at most [`MAX_CATEGORIES`]), once each, in order of first appearance (the grid's
    /// 类别 cell offers them beside the common ones, though most rows are not in the page).
    pub categories: Vec<String>,
}

impl Reader<'_> {
    /// The columns the items of `list` fill, from their stored documents (module docs).
    pub fn columns_in_use(&self, list: Id) -> Result<ColumnsInUse> {
        let mut filled = [false; ITEM_FIELDS.len()];
        // Headers as stored (references), with their largest count in one item.
        let mut headers: Vec<(String, u32)> = Vec::new();
        // 类别 as stored (references), once each.
        let mut categories: Vec<String> = Vec::new();
        let mut seen_categories: HashSet<String> = HashSet::new();
        self.db().for_each_row(
            // In list order: extra columns and 类别 are reported in order of first appearance.
            "SELECT items.id, d.doc FROM items JOIN item_documents d ON d.id = items.id \
             WHERE list_id = ?1 ORDER BY position, items.id",
            &[Value::Integer(i64::from(list))],
            |mut row| {
                let id = row.integer(0)?;
                let item: Item = serde_json::from_str(&row.take_text(1)?).map_err(|e| StoreError::Corrupt {
                    table: "items",
                    id,
                    message: e.to_string(),
                })?;
                note_filled_fields(&item, &mut filled);
                note_extra_headers(&item, &mut headers);
                if let Some(category) = item.category.filter(|c| !c.is_empty()) {
                    if categories.len() < MAX_CATEGORIES && seen_categories.insert(category.clone()) {
                        categories.push(category);
                    }
                }
                Ok(())
            },
        )?;
        let fields = ITEM_FIELDS.iter().zip(filled).filter(|(_, used)| *used).map(|(spec, _)| spec.field).collect();
        let extra_headers = headers
            .into_iter()
            .map(|(stored, count)| Ok((self.stored_string(&stored)?, count)))
            .collect::<Result<_>>()?;
        let categories = categories.iter().map(|stored| self.stored_string(stored)).collect::<Result<_>>()?;
        Ok(ColumnsInUse { fields, extra_headers, categories })
    }

    /// A string of a stored document as written: a reference's text, else itself.
    fn stored_string(&self, stored: &str) -> Result<String> {
        match referenced_id(stored) {
            Some(id) => Ok(self.text_body(id)?.to_string()),
            None => Ok(stored.to_string()),
        }
    }
}

fn note_filled_fields(item: &Item, filled: &mut [bool; ITEM_FIELDS.len()]) {
    for (spec, used) in ITEM_FIELDS.iter().zip(filled.iter_mut()) {
        if !*used {
            *used = spec.field.unit(item).is_some() || spec.field.format(item).is_some_and(|text| !text.is_empty());
        }
    }
}

fn note_extra_headers(item: &Item, headers: &mut Vec<(String, u32)>) {
    // The times each header stood in the item so far.
    let mut seen: HashMap<&str, u32> = HashMap::new();
    for extra in &item.extra {
        let times = seen.entry(extra.header.as_str()).or_default();
        *times = times.saturating_add(1);
        let times = *times;
        match headers.iter_mut().find(|(header, _)| *header == extra.header) {
            Some((_, count)) => *count = (*count).max(times),
            None => headers.push((extra.header.clone(), times)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(extra: &[(&str, &str)]) -> Item {
        Item {
            extra: extra
                .iter()
                .map(|(header, value)| quanze_domain::ExtraField { header: header.to_string(), value: value.to_string() })
                .collect(),
            ..Item::default()
        }
    }

    #[test]
    fn an_extra_header_counts_its_most_repeats_in_one_item() {
        let mut headers = Vec::new();
        note_extra_headers(&item(&[("~1", "a"), ("~2", "b"), ("~1", "c")]), &mut headers);
        note_extra_headers(&item(&[("~2", "d"), ("~2", "e"), ("~2", "f"), ("~3", "g")]), &mut headers);
        assert_eq!(headers, vec![("~1".to_string(), 2), ("~2".to_string(), 3), ("~3".to_string(), 1)]);
    }

    #[test]
    fn a_unit_field_with_only_its_unit_is_filled() {
        let mut filled = [false; ITEM_FIELDS.len()];
        let only_unit = Item { handling_unit: Some(7), ..Item::default() };
        note_filled_fields(&only_unit, &mut filled);
        let used: Vec<ItemField> = ITEM_FIELDS.iter().zip(filled).filter(|(_, u)| *u).map(|(s, _)| s.field).collect();
        assert_eq!(used, vec![ItemField::HandlingUnit]);
    }
}
