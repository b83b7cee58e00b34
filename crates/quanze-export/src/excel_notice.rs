//! The notice as a print-ready workbook: the 公示 sheet(s) a clerk prints, then the 原始数据
//! sheet the importer reads back (see [`crate::excel_raw_data`]).
//!
//! Layout of a 公示 sheet: merged title row; a line with 发文机关 / 文号 / 日期 when given; the
//! introduction paragraphs; then per section an optional heading row, the header row (styled,
//! repeated at the top of every printed page, frozen on screen) and the data rows (borders,
//! wrapped text, heights from the estimated number of lines). A4 with the GB/T 9704 版心, fit
//! to one page wide, footer "第 &P 页 共 &N 页".
//!
//! Each sheet picks its page and column widths like the PDF sizes its table
//! ([`crate::excel_column_widths`]): the columns share the 版心's width (long texts wrap), so
//! the table prints at full size instead of being shrunk to the page. A landscape notice prints
//! every sheet landscape; a portrait one keeps a sheet portrait unless its wrapped columns would
//! get too narrow there (a street's 配合 and 收回 tables, with three long texts side by side),
//! then that sheet is turned.
//!
//! The 原始数据 sheet is hidden: printing the whole workbook prints the notice alone. A note on
//! the title cell says where the raw data is.
//!
//! Excel repeats exactly one band of rows per sheet on printed pages. Sections with the same
//! columns therefore share one sheet and one header; when the sections of a notice have
//! different columns (a street's 基本/配合/收回 lists), each section gets its own sheet
//! ("公示（一）", "公示（二）" …) so that every printed page carries its own table's header.

use rust_xlsxwriter::{DocProperties, Format, IgnoreError, Note, Workbook, Worksheet};

use quanze_domain::notice::{Notice, NoticeSection};

use crate::excel_column_widths::{row_height, sheet_layout, SheetLayout, MAX_ROW_HEIGHT};
use crate::excel_raw_data::{write_raw_data_sheet, RawSection, RAW_DATA_SHEET};
use crate::xlsx_cells::{
    check_cell_length, default_cell_format, set_print_layout, starts_like_formula, write_text_cell,
    NoticeStyles, BODY_SIZE, DEFAULT_COLUMN_PX, DEFAULT_ROW_PX, MAX_SHEET_ROWS,
    TITLE_SIZE,
};
use crate::text_measure::display_width;
use crate::ExportError;

/// Name of the notice sheet when the notice fits on one sheet.
pub const NOTICE_SHEET: &str = "公示";
/// The note on the first sheet's title cell (not printed) about the hidden sheet.
fn raw_data_note() -> String {
    format!(
        "本工作簿另有一张隐藏的工作表“{RAW_DATA_SHEET}”：每个事项一行、全部字段，\
         供重新导入 Quanze 使用，不随公示打印。需要查看时，右键单击工作表标签，选择“取消隐藏”。"
    )
}

/// Write the whole notice workbook: the 公示 sheet(s) from `notice`, then the 原始数据 sheet
/// from the items of `raw` (one row per item, every field, for the importer).
///
/// Every text is written as a string cell (never a formula). Returns the `.xlsx` bytes.
pub fn write_notice_xlsx(notice: &Notice, raw: &[RawSection<'_>]) -> Result<Vec<u8>, ExportError> {
    check_row_widths(notice)?;
    let mut workbook = Workbook::new();
    let base = default_cell_format();
    workbook.set_default_format(&base, DEFAULT_ROW_PX, DEFAULT_COLUMN_PX)?;
    workbook.set_properties(
        &DocProperties::new()
            .set_title(notice.heading.title.as_str())
            .set_subject("公示")
            .set_author(notice.heading.issuing_organ.as_deref().unwrap_or("")),
    );
    let styles = NoticeStyles::new();
    let groups = sheet_groups(notice);
    let names = notice_sheet_names(notice);
    for (index, (group, name)) in groups.iter().zip(&names).enumerate() {
        let mut sheet = Worksheet::new();
        sheet.set_default_format(&base, DEFAULT_ROW_PX, DEFAULT_COLUMN_PX)?;
        sheet.set_name(name)?;
        write_notice_sheet(&mut sheet, name, notice, group, index == 0, &styles)?;
        if index == 0 {
            sheet.insert_note(0, 0, &Note::new(raw_data_note()).set_author("Quanze"))?;
        }
        workbook.push_worksheet(sheet);
    }
    let mut raw_sheet = Worksheet::new();
    raw_sheet.set_default_format(&base, DEFAULT_ROW_PX, DEFAULT_COLUMN_PX)?;
    write_raw_data_sheet(&mut raw_sheet, raw)?;
    workbook.push_worksheet(raw_sheet);
    Ok(workbook.save_to_buffer()?)
}

/// The names of the 公示 sheets the notice gets, in order. An import of the workbook takes the
/// 原始数据 sheet and leaves these out (they hold the same items, formatted for print).
pub fn notice_sheet_names(notice: &Notice) -> Vec<String> {
    let groups = sheet_groups(notice);
    if groups.len() == 1 {
        return vec![NOTICE_SHEET.to_string()];
    }
    (1..=groups.len())
        .map(|n| format!("{NOTICE_SHEET}（{}）", chinese_number(n)))
        .collect()
}

/// Sections sharing a sheet: all of them when their columns are the same, else one each.
fn sheet_groups(notice: &Notice) -> Vec<Vec<&NoticeSection>> {
    let sections = &notice.sections;
    if sections
        .windows(2)
        .all(|pair| pair[0].columns == pair[1].columns)
    {
        vec![sections.iter().collect()]
    } else {
        sections.iter().map(|section| vec![section]).collect()
    }
}

fn chinese_number(n: usize) -> String {
    const DIGITS: [&str; 10] = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    match n {
        0..=9 => DIGITS[n].to_string(),
        10 => "十".to_string(),
        11..=19 => format!("十{}", DIGITS[n - 10]),
        20..=99 => {
            let ones = match n % 10 {
                0 => "",
                ones => DIGITS[ones],
            };
            format!("{}十{ones}", DIGITS[n / 10])
        }
        _ => n.to_string(),
    }
}

fn check_row_widths(notice: &Notice) -> Result<(), ExportError> {
    for (s, section) in notice.sections.iter().enumerate() {
        for (r, row) in section.rows.iter().enumerate() {
            if row.len() != section.columns.len() {
                return Err(ExportError::RowWidth {
                    section: s + 1,
                    row: r + 1,
                    found: row.len(),
                    expected: section.columns.len(),
                });
            }
        }
    }
    Ok(())
}

/// A text across all columns of a row (title, heading, paragraph), with a row height for its
/// estimated number of lines: spreadsheets do not fit a row's height to a merged cell.
#[allow(clippy::too_many_arguments)]
fn write_band(
    sheet: &mut Worksheet,
    sheet_name: &str,
    row: u32,
    columns: u16,
    (label, text): (&str, &str),
    format: &Format,
    font_size: f64,
    total_width: f64,
) -> Result<(), ExportError> {
    check_cell_length(sheet_name, row, label, text)?;
    let format = if starts_like_formula(text) {
        format.clone().set_quote_prefix()
    } else {
        format.clone()
    };
    if columns > 1 {
        sheet.merge_range(row, 0, row, columns - 1, text, &format)?;
    } else {
        sheet.write_string_with_format(row, 0, text, &format)?;
    }
    // One width unit is about one Latin digit of the 11 pt default font.
    let scale = font_size / BODY_SIZE;
    let lines: f64 = text
        .split('\n')
        .map(|line| {
            ((display_width(line) as f64 * scale) / total_width.max(1.0))
                .ceil()
                .max(1.0)
        })
        .sum();
    sheet.set_row_height(row, lines * font_size * 1.45 + 6.0)?;
    Ok(())
}

fn write_notice_sheet(
    sheet: &mut Worksheet,
    sheet_name: &str,
    notice: &Notice,
    sections: &[&NoticeSection],
    with_heading: bool,
    styles: &NoticeStyles,
) -> Result<(), ExportError> {
    let columns = sections
        .first()
        .map(|s| s.columns.as_slice())
        .unwrap_or(&[]);
    let column_count = u16::try_from(columns.len().max(1))
        .ok()
        .filter(|n| *n <= 16_384)
        .ok_or_else(|| ExportError::TooManyColumns {
            sheet: sheet_name.to_string(),
            columns: columns.len(),
        })?;
    let SheetLayout { page, widths } = sheet_layout(sections, notice.orientation);
    for (col, width) in widths.iter().enumerate() {
        sheet.set_column_width(col as u16, *width)?;
    }
    let total_width: f64 = widths.iter().sum::<f64>().max(20.0);
    let data_rows: usize = sections.iter().map(|s| s.rows.len() + 1).sum();
    if data_rows + 8 > MAX_SHEET_ROWS {
        return Err(ExportError::TooManyRows {
            sheet: sheet_name.to_string(),
            rows: data_rows,
        });
    }

    let mut row: u32 = 0;
    if with_heading {
        let heading = &notice.heading;
        write_band(
            sheet,
            sheet_name,
            row,
            column_count,
            ("标题", &heading.title),
            &styles.title,
            TITLE_SIZE,
            total_width,
        )?;
        row += 1;
        let meta: Vec<&str> = [&heading.issuing_organ, &heading.doc_no, &heading.date]
            .into_iter()
            .filter_map(|v| v.as_deref())
            .filter(|v| !v.trim().is_empty())
            .collect();
        if !meta.is_empty() {
            write_band(
                sheet,
                sheet_name,
                row,
                column_count,
                ("文号", &meta.join("　　")),
                &styles.meta,
                BODY_SIZE,
                total_width,
            )?;
            row += 1;
        }
        for paragraph in heading
            .intro
            .as_deref()
            .unwrap_or("")
            .split('\n')
            .map(str::trim)
            .filter(|p| !p.is_empty())
        {
            // Two ideographic spaces: the first-line indent of Chinese paragraphs.
            write_band(
                sheet,
                sheet_name,
                row,
                column_count,
                ("说明", &format!("\u{3000}\u{3000}{paragraph}")),
                &styles.intro,
                BODY_SIZE,
                total_width,
            )?;
            row += 1;
        }
    }

    let centred: Vec<bool> = widths.iter().map(|w| *w <= 8.0).collect();
    let mut header_row: Option<u32> = None;
    let mut first_data_row: Option<u32> = None;
    for section in sections {
        if let Some(heading) = section.heading.as_deref().filter(|h| !h.trim().is_empty()) {
            write_band(
                sheet,
                sheet_name,
                row,
                column_count,
                ("分组标题", heading),
                &styles.heading,
                12.0,
                total_width,
            )?;
            row += 1;
        }
        if header_row.is_none() && !columns.is_empty() {
            for (col, column) in columns.iter().enumerate() {
                write_text_cell(
                    sheet,
                    sheet_name,
                    row,
                    col as u16,
                    &column.header,
                    &column.header,
                    &styles.header,
                )?;
            }
            let headers: Vec<String> = columns.iter().map(|c| c.header.clone()).collect();
            sheet.set_row_height(row, row_height(&headers, &widths))?;
            header_row = Some(row);
            row += 1;
        }
        for cells in &section.rows {
            first_data_row.get_or_insert(row);
            let height = row_height(cells, &widths);
            // A row Excel cannot make tall enough cuts its text: top-aligned, the cut is at the
            // end (the cell holds the whole text), where a centred row would lose both ends.
            let cut = height >= MAX_ROW_HEIGHT;
            for (col, (text, column)) in cells.iter().zip(columns).enumerate() {
                let format = match (centred.get(col).copied().unwrap_or(false), cut) {
                    (true, false) => &styles.body_center,
                    (false, false) => &styles.body_left,
                    (true, true) => &styles.body_center_top,
                    (false, true) => &styles.body_left_top,
                };
                write_text_cell(
                    sheet,
                    sheet_name,
                    row,
                    col as u16,
                    &column.header,
                    text,
                    format,
                )?;
            }
            sheet.set_row_height(row, height)?;
            row += 1;
        }
    }

    if let Some(header) = header_row {
        sheet.set_repeat_rows(header, header)?;
        sheet.set_freeze_panes(header + 1, 0)?;
    }
    if let (Some(first), Some(last)) = (first_data_row, row.checked_sub(1)) {
        if first <= last {
            // 序号 "1", codes "650200207XK016": text on purpose, not a mistake to flag.
            sheet.ignore_error_range(
                first,
                0,
                last,
                column_count - 1,
                IgnoreError::NumberStoredAsText,
            )?;
        }
    }
    set_print_layout(sheet, page);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use quanze_domain::notice::NoticeColumn;

    fn section(headers: &[&str], rows: Vec<Vec<&str>>) -> NoticeSection {
        NoticeSection {
            heading: None,
            columns: headers
                .iter()
                .map(|h| NoticeColumn {
                    header: h.to_string(),
                    field: "name".to_string(),
                })
                .collect(),
            rows: rows
                .into_iter()
                .map(|r| r.into_iter().map(str::to_string).collect())
                .collect(),
        }
    }

    #[test]
    fn sections_with_different_columns_get_a_sheet_each() {
        let same = Notice {
            sections: vec![section(&["序号"], vec![]), section(&["序号"], vec![])],
            ..Notice::default()
        };
        assert_eq!(notice_sheet_names(&same), vec!["公示"]);
        let different = Notice {
            sections: vec![
                section(&["序号"], vec![]),
                section(&["事项名称"], vec![]),
                section(&["序号"], vec![]),
            ],
            ..Notice::default()
        };
        assert_eq!(
            notice_sheet_names(&different),
            vec!["公示（一）", "公示（二）", "公示（三）"]
        );
        assert_eq!(chinese_number(12), "十二");
        assert_eq!(chinese_number(30), "三十");
    }
}
