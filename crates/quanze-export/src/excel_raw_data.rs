//! The 原始数据 sheet: one row per item with every field it has, laid out so that the Quanze
//! importer (`quanze-import`) reads it back into the same items.
//!
//! Columns, left to right:
//! 1. `导出·编号` (the item's id, a number) and `导出·分组` (the section it was printed in).
//!    Column A is never empty, which keeps the importer from reading a row whose only other
//!    cell is a name like "一、行政许可" as a section title or "注：…" as a footer note.
//! 2. The standard fields the importer maps, under the importer's own labels (序号, 事项编码,
//!    事项名称 … 工作方式; [`IMPORTED_FIELDS`], labels from `quanze_domain::ITEM_FIELDS`): a column only when some item has a value,
//!    except 事项名称 and 行使主体, always present (without a 行使主体 column the importer
//!    would infer one from the title and add it to every item).
//! 3. Standard fields the importer has no column for (证明事项, the 协助 group: 提出部门, 经费,
//!    人员); they come back as extra fields under these headers ([`UNMAPPED_FIELDS`]).
//! 4. Every extra field under its original header, one column per header and occurrence (an
//!    item with two "附件" extras fills two "附件" columns), in order of first appearance.
//! 5. Provenance: `导出·来源文件`, `导出·来源工作表`, `导出·来源行号`, `导出·来源续行`.
//!
//! The `导出·` columns are bookkeeping: on import they become extra fields under those headers
//! (the importer keeps every cell), and a later export does not write an item's `导出·`
//! extras again as extra columns (it writes fresh bookkeeping instead), so they never pile up.
//!
//! The sheet is hidden, so that printing the whole workbook prints the notice alone; the
//! first notice sheet carries a note saying where the raw data is.
//!
//! What cannot come back, and why, is listed in `docs/export.md`.

use std::borrow::Cow;
use std::collections::HashMap;

use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, IgnoreError, Worksheet};

use quanze_domain::{Item, ItemField};

use crate::xlsx_cells::{
    set_print_layout, write_text_cell, NoticePage, NoticeStyles, MAX_SHEET_COLUMNS, MAX_SHEET_ROWS,
};
use crate::text_measure::widest_line;
use crate::ExportError;

/// Name of the raw-data sheet.
pub const RAW_DATA_SHEET: &str = "原始数据";
/// Headers of the bookkeeping columns start with this; the exporter owns such extra fields.
pub const BOOKKEEPING_PREFIX: &str = "导出·";
/// Header of the item-id column.
pub const ID_HEADER: &str = "导出·编号";
/// Header of the section column.
pub const SECTION_HEADER: &str = "导出·分组";
/// Headers of the provenance columns: file, sheet, first row, continuation rows.
pub const PROVENANCE_HEADERS: [&str; 4] = [
    "导出·来源文件",
    "导出·来源工作表",
    "导出·来源行号",
    "导出·来源续行",
];
/// Widest raw-data column; longer text wraps.
const MAX_RAW_COLUMN_WIDTH: usize = 40;

/// The items of one section of a notice, for the raw-data sheet.
#[derive(Debug, Clone, Copy)]
pub struct RawSection<'a> {
    /// The section's name as the notice prints it (e.g. "基本履职事项"); goes in `导出·分组`.
    pub name: &'a str,
    pub items: &'a [Item],
}

/// Standard fields the importer maps, written under their labels (the importer's synonym table
/// matches these exactly) — in the importer's field order.
pub const IMPORTED_FIELDS: [ItemField; 22] = [
    ItemField::Seq,
    ItemField::Code,
    ItemField::Name,
    ItemField::SubItem,
    ItemField::PowerType,
    ItemField::Category,
    ItemField::Basis,
    ItemField::Subject,
    ItemField::HandlingUnit,
    ItemField::LevelAndAuthority,
    ItemField::DepartmentDuty,
    ItemField::Responsibility,
    ItemField::ResponsibilityBasis,
    ItemField::AccountableScope,
    ItemField::AccountabilityCases,
    ItemField::Remarks,
    ItemField::SupervisionPhone,
    ItemField::LeadUnit,
    ItemField::SuperiorDuty,
    ItemField::StreetDuty,
    ItemField::ReceivingUnit,
    ItemField::WorkingMethod,
];

/// Standard fields the importer has no column for: written under these headers, read back as
/// extra fields.
pub const UNMAPPED_FIELDS: [&str; 6] = [
    "证明事项可否出具",
    "提出部门",
    "经费（万元/年）",
    "经费来源",
    "配套人员（名）",
    "配套人员说明",
];

fn unmapped_value(item: &Item, index: usize) -> Option<Cow<'_, str>> {
    let assistance = item.assistance.as_ref();
    match index {
        0 => item
            .certificate_allowed
            .map(|allowed| Cow::Borrowed(if allowed { "可出具" } else { "不得出具" })),
        1 => assistance
            .and_then(|a| a.requesting_unit_text.as_deref())
            .map(Cow::Borrowed),
        2 => assistance
            .and_then(|a| a.funding.amount_wan)
            .map(|amount| Cow::Owned(amount.to_string())),
        3 => assistance
            .and_then(|a| a.funding.source.as_deref())
            .map(Cow::Borrowed),
        4 => assistance
            .and_then(|a| a.staff.count)
            .map(|count| Cow::Owned(count.to_string())),
        5 => assistance
            .and_then(|a| a.staff.note.as_deref())
            .map(Cow::Borrowed),
        _ => None,
    }
}

/// What fills a raw-data column.
#[derive(Debug, Clone, PartialEq, Eq)]
enum RawColumn {
    Id,
    Section,
    Imported(usize),
    Unmapped(usize),
    /// The n-th (0-based) extra field under this header on an item.
    Extra(String, usize),
    Provenance(usize),
}

fn present(value: Option<&str>) -> Option<&str> {
    value.filter(|v| !v.is_empty())
}

/// Extra fields an export writes: all but the exporter's own bookkeeping.
fn exported_extras(item: &Item) -> impl Iterator<Item = &quanze_domain::ExtraField> {
    item.extra
        .iter()
        .filter(|e| !e.header.starts_with(BOOKKEEPING_PREFIX))
}

fn raw_columns(raw: &[RawSection<'_>]) -> Vec<(RawColumn, String)> {
    let items = || raw.iter().flat_map(|s| s.items.iter());
    let mut columns = vec![
        (RawColumn::Id, ID_HEADER.to_string()),
        (RawColumn::Section, SECTION_HEADER.to_string()),
    ];
    for (index, field) in IMPORTED_FIELDS.iter().enumerate() {
        let always = matches!(field, ItemField::Name | ItemField::Subject);
        if always || items().any(|item| field.format(item).is_some_and(|v| !v.is_empty())) {
            columns.push((RawColumn::Imported(index), field.label().to_string()));
        }
    }
    for (index, label) in UNMAPPED_FIELDS.iter().enumerate() {
        if items().any(|item| unmapped_value(item, index).is_some()) {
            columns.push((RawColumn::Unmapped(index), label.to_string()));
        }
    }
    let mut extra_columns: Vec<(String, usize)> = Vec::new();
    let mut known: HashMap<(&str, usize), ()> = HashMap::new();
    for item in items() {
        let mut seen: HashMap<&str, usize> = HashMap::new();
        for extra in exported_extras(item) {
            let occurrence = seen.entry(extra.header.as_str()).or_insert(0);
            if known
                .insert((extra.header.as_str(), *occurrence), ())
                .is_none()
            {
                extra_columns.push((extra.header.clone(), *occurrence));
            }
            *occurrence += 1;
        }
    }
    for (header, occurrence) in extra_columns {
        columns.push((RawColumn::Extra(header.clone(), occurrence), header));
    }
    for (index, header) in PROVENANCE_HEADERS.iter().enumerate() {
        columns.push((RawColumn::Provenance(index), header.to_string()));
    }
    columns
}

/// The text of one cell (`None`: empty). Numbers (id, row) are returned as text too and
/// written as numbers by the caller.
fn cell<'a>(column: &RawColumn, section: &'a str, item: &'a Item) -> Option<Cow<'a, str>> {
    match column {
        RawColumn::Id => Some(Cow::Owned(item.id.to_string())),
        RawColumn::Section => present(Some(section)).map(Cow::Borrowed),
        RawColumn::Imported(index) => IMPORTED_FIELDS
            .get(*index)
            .and_then(|field| field.format(item))
            .filter(|v| !v.is_empty())
            .map(Cow::Owned),
        RawColumn::Unmapped(index) => unmapped_value(item, *index),
        RawColumn::Extra(header, occurrence) => exported_extras(item)
            .filter(|e| &e.header == header)
            .nth(*occurrence)
            .map(|e| e.value.as_str())
            .and_then(|v| present(Some(v)))
            .map(Cow::Borrowed),
        RawColumn::Provenance(index) => {
            let provenance = item.provenance.as_ref()?;
            match index {
                0 => present(Some(provenance.file.as_str())).map(Cow::Borrowed),
                1 => present(Some(provenance.sheet.as_str())).map(Cow::Borrowed),
                2 => Some(Cow::Owned(provenance.row.to_string())),
                _ => (!provenance.merged_rows.is_empty()).then(|| {
                    Cow::Owned(
                        provenance
                            .merged_rows
                            .iter()
                            .map(u32::to_string)
                            .collect::<Vec<_>>()
                            .join("、"),
                    )
                }),
            }
        }
    }
}

/// Write the 原始数据 sheet into `sheet`.
pub(crate) fn write_raw_data_sheet(
    sheet: &mut Worksheet,
    raw: &[RawSection<'_>],
) -> Result<(), ExportError> {
    sheet.set_name(RAW_DATA_SHEET)?;
    let columns = raw_columns(raw);
    if columns.len() > MAX_SHEET_COLUMNS {
        return Err(ExportError::TooManyColumns {
            sheet: RAW_DATA_SHEET.to_string(),
            columns: columns.len(),
        });
    }
    let item_count: usize = raw.iter().map(|s| s.items.len()).sum();
    if item_count + 1 > MAX_SHEET_ROWS {
        return Err(ExportError::TooManyRows {
            sheet: RAW_DATA_SHEET.to_string(),
            rows: item_count + 1,
        });
    }
    let styles = NoticeStyles::new();
    // No wrapping: the raw sheet is a table to filter and sort, one line per item.
    let body = Format::new()
        .set_align(FormatAlign::Top)
        .set_border(FormatBorder::Thin);
    let mut widths: Vec<usize> = columns.iter().map(|(_, h)| widest_line(h) + 2).collect();
    for (col, (_, header)) in columns.iter().enumerate() {
        write_text_cell(
            sheet,
            RAW_DATA_SHEET,
            0,
            col as u16,
            header,
            header,
            &styles.header,
        )?;
    }
    let mut row: u32 = 1;
    for section in raw {
        for item in section.items {
            for (col, (column, header)) in columns.iter().enumerate() {
                let Some(text) = cell(column, section.name, item) else {
                    continue;
                };
                let col16 = col as u16;
                let numeric = matches!(column, RawColumn::Id | RawColumn::Provenance(2));
                match text.parse::<f64>() {
                    Ok(number) if numeric => {
                        sheet.write_number_with_format(row, col16, number, &body)?;
                    }
                    _ => write_text_cell(sheet, RAW_DATA_SHEET, row, col16, header, &text, &body)?,
                }
                if let Some(width) = widths.get_mut(col) {
                    *width = (*width).max(widest_line(&text) + 2);
                }
            }
            row += 1;
        }
    }
    for (col, width) in widths.iter().enumerate() {
        sheet.set_column_width(col as u16, (*width).min(MAX_RAW_COLUMN_WIDTH) as f64)?;
    }
    let last_col = (columns.len() - 1) as u16;
    sheet.set_freeze_panes(1, 0)?;
    sheet.autofilter(0, 0, row - 1, last_col)?;
    if row > 1 {
        sheet.ignore_error_range(1, 0, row - 1, last_col, IgnoreError::NumberStoredAsText)?;
    }
    sheet.set_repeat_rows(0, 0)?;
    // Someone who shows the sheet again and prints it gets a usable page setup.
    set_print_layout(sheet, NoticePage::Landscape);
    // Hidden: printing the whole workbook gives the notice only (a spreadsheet prints no
    // hidden sheet), while the importer reads every sheet, hidden or not.
    sheet.set_hidden(true);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use quanze_domain::{Assistance, ExtraField, Provenance};

    fn item(name: &str, extra: &[(&str, &str)]) -> Item {
        Item {
            id: 7,
            name: name.to_string(),
            extra: extra
                .iter()
                .map(|(h, v)| ExtraField {
                    header: h.to_string(),
                    value: v.to_string(),
                })
                .collect(),
            ..Item::default()
        }
    }

    #[test]
    fn columns_cover_present_fields_each_extra_occurrence_and_provenance() {
        let mut first = item(
            "甲",
            &[("附件", "a"), ("附件", "b"), ("导出·来源文件", "旧.xlsx")],
        );
        first.basis = Some("【法律】".to_string());
        first.assistance = Some(Assistance {
            requesting_unit_text: Some("区民政局".to_string()),
            ..Assistance::default()
        });
        let second = item("乙", &[("办理时限", "5日"), ("附件", "c")]);
        let items = [first, second];
        let raw = [RawSection {
            name: "基本履职事项",
            items: &items,
        }];
        let headers: Vec<String> = raw_columns(&raw).into_iter().map(|(_, h)| h).collect();
        assert_eq!(
            headers,
            [
                "导出·编号",
                "导出·分组",
                "事项名称",
                "实施依据",
                "行使主体",
                "提出部门",
                "附件",
                "附件",
                "办理时限",
                "导出·来源文件",
                "导出·来源工作表",
                "导出·来源行号",
                "导出·来源续行",
            ]
        );
        let columns = raw_columns(&raw);
        let second_attachment = &columns[7].0;
        assert_eq!(cell(second_attachment, "", &items[0]).as_deref(), Some("b"));
        assert_eq!(cell(second_attachment, "", &items[1]), None);
    }

    #[test]
    fn provenance_and_unmapped_fields_are_written_as_text() {
        let mut it = item("甲", &[]);
        it.provenance = Some(Provenance {
            file: "a.xls".to_string(),
            sheet: "Sheet1".to_string(),
            row: 5,
            merged_rows: vec![6, 7],
        });
        it.certificate_allowed = Some(false);
        assert_eq!(
            cell(&RawColumn::Provenance(3), "", &it).as_deref(),
            Some("6、7")
        );
        assert_eq!(
            cell(&RawColumn::Provenance(2), "", &it).as_deref(),
            Some("5")
        );
        assert_eq!(
            cell(&RawColumn::Unmapped(0), "", &it).as_deref(),
            Some("不得出具")
        );
    }
}
