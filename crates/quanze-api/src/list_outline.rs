//! What the list editor holds of a long list without holding its items (issue 18): the list's
//! order (item ids by position) and the columns its items need, and a find over the cells as
//! the grid shows them. The editor then reads the items it shows by page (`Api::list_items`),
//! so that a 50,000-item list does not sit in the page twice (docs/benchmarks/app.md).

use std::collections::HashMap;

use quanze_domain::{Id, Item, ItemField};
use quanze_store::Reader;
use serde::Serialize;
use ts_rs::TS;

use crate::views::{unit_names, ListSummary, Names};
use crate::{ApiError, FieldRef, MAX_PAGE};

/// Longest text the find box sends (a find is a scan of every cell of the list).
pub const MAX_FIND_CHARS: usize = 200;
/// Most columns one find looks in (a list shows the 28 standard fields and its extra columns).
pub const MAX_FIND_FIELDS: usize = 512;

/// A list's order and columns, without the items' contents.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct ListOutline {
    pub list: ListSummary,
    /// The items' ids by position: `ids.length` is the list's length.
    pub ids: Vec<Id>,
    /// Standard fields that hold a value in at least one item (a unit field also by its unit).
    pub fields_used: Vec<ItemField>,
    /// Extra columns kept from imports: each header with the most times one item repeats it,
    /// in order of first appearance.
    pub extra_headers: Vec<ExtraHeader>,
    /// Every 类别 written in the list, once each (the 类别 cell's choices).
    pub categories: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ExtraHeader {
    pub header: String,
    pub count: u32,
}

/// The rows of a list holding the find box's text, in list order.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct ListFind {
    /// The list's length when it was read (the editor compares it with its own).
    pub total: u32,
    pub rows: Vec<FoundRow>,
}

/// A row with a match: its position, its item, and which of the asked fields match (indexes
/// into the request's `fields`, ascending).
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct FoundRow {
    pub position: u32,
    pub item: Id,
    pub fields: Vec<u32>,
}

pub(crate) fn list_outline(reader: &Reader<'_>, list: Id) -> Result<ListOutline, ApiError> {
    let names = Names::read(reader)?;
    let summary = names.summary(&reader.list(list)?);
    let ids = reader.list_item_ids(list)?;
    // From the stored documents, without their texts: the editor asks this at every open.
    let columns = reader.columns_in_use(list)?;
    let extra_headers = columns.extra_headers.into_iter().map(|(header, count)| ExtraHeader { header, count }).collect();
    Ok(ListOutline { list: summary, ids, fields_used: columns.fields, extra_headers, categories: columns.categories })
}

pub(crate) fn find_in_list(
    reader: &Reader<'_>,
    list: Id,
    query: &str,
    fields: &[FieldRef],
) -> Result<ListFind, ApiError> {
    if query.chars().count() > MAX_FIND_CHARS {
        return Err(ApiError::invalid_input(format!("查找的文字太长（最多 {MAX_FIND_CHARS} 个字）")));
    }
    if fields.len() > MAX_FIND_FIELDS {
        return Err(ApiError::invalid_input(format!("查找的列太多（最多 {MAX_FIND_FIELDS} 列）")));
    }
    // Reading the list says it exists; its count alone (not every list's, as `Names` counts).
    reader.list(list)?;
    let total = reader.list_item_count(list)?;
    let units = unit_names(reader)?;
    // As the grid's own find (ui/src/lib/grid.ts `cellMatches`): trimmed, case-insensitive.
    let wanted = query.trim().to_lowercase();
    let mut rows = Vec::new();
    if wanted.is_empty() {
        return Ok(ListFind { total, rows });
    }
    for_each_item(reader, list, |position, item| {
        let matching: Vec<u32> = (0u32..)
            .zip(fields)
            .filter(|(_, field)| field_text(item, field, &units).to_lowercase().contains(&wanted))
            .map(|(k, _)| k)
            .collect();
        if !matching.is_empty() {
            rows.push(FoundRow { position, item: item.id, fields: matching });
        }
    })?;
    Ok(ListFind { total, rows })
}

/// Every item of a list with its position, read a page at a time; a short page is the end.
fn for_each_item(reader: &Reader<'_>, list: Id, mut each: impl FnMut(u32, &Item)) -> Result<(), ApiError> {
    let mut offset = 0u32;
    loop {
        let page = reader.items(list, offset, MAX_PAGE)?;
        for (k, item) in (offset..).zip(&page) {
            each(k, item);
        }
        let read = u32::try_from(page.len()).unwrap_or(u32::MAX);
        if read < MAX_PAGE {
            return Ok(());
        }
        offset = offset.saturating_add(read);
    }
}

/// A cell's text as the grid shows it (ui/src/lib/grid.ts `fieldText`): a unit field's written
/// text, else the name of its unit.
fn cell_text(item: &Item, field: ItemField, units: &HashMap<Id, String>) -> String {
    match field.format(item).filter(|text| !text.is_empty()) {
        Some(text) => text,
        None => field.unit(item).and_then(|id| units.get(&id).cloned()).unwrap_or_default(),
    }
}

fn field_text(item: &Item, field: &FieldRef, units: &HashMap<Id, String>) -> String {
    match field {
        FieldRef::Standard(field) => cell_text(item, *field, units),
        FieldRef::Extra { header, index } => item
            .extra
            .iter()
            .filter(|extra| &extra.header == header)
            .nth(*index as usize)
            .map(|extra| extra.value.clone())
            .unwrap_or_default(),
    }
}
