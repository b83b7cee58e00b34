//! The building blocks both sheets of a notice workbook use (the 公示 sheets of
//! [`crate::excel_notice`] and the 原始数据 sheet of [`crate::excel_raw_data`]): Excel's limits,
//! the cell formats, writing a text cell safely (never a formula, formula-like text quoted,
//! too-long text refused with the cell named) and the A4 print layout.

use rust_xlsxwriter::{Color, Format, FormatAlign, FormatBorder, Worksheet};

use crate::ExportError;

/// Rows of one Excel sheet.
pub(crate) const MAX_SHEET_ROWS: usize = 1_048_576;
/// Columns of one Excel sheet.
pub(crate) const MAX_SHEET_COLUMNS: usize = 16_384;
/// Excel's limit for the text of one cell, in UTF-16 code units.
const MAX_CELL_UTF16: usize = 32_767;

/// True when a spreadsheet or a CSV consumer could take the text for a formula or a command:
/// it starts with `=`, `+`, `-`, `@`, a tab, a carriage return or a line feed (OWASP's list for
/// CSV injection). Such cells keep their exact text and get the `quote_prefix` format (see
/// `docs/export.md`, "Formula injection").
pub fn starts_like_formula(text: &str) -> bool {
    matches!(
        text.chars().next(),
        Some('=' | '+' | '-' | '@' | '\t' | '\r' | '\n')
    )
}

/// The formats of a notice sheet. Each text format has a twin with `quote_prefix` for texts
/// that look like formulas.
pub(crate) struct NoticeStyles {
    pub(crate) title: Format,
    pub(crate) meta: Format,
    pub(crate) intro: Format,
    pub(crate) heading: Format,
    pub(crate) header: Format,
    pub(crate) body_left: Format,
    pub(crate) body_center: Format,
    /// The body formats aligned to the top, for rows at Excel's height limit.
    pub(crate) body_left_top: Format,
    pub(crate) body_center_top: Format,
}

/// Body text face of the notice (the usual face of Chinese office spreadsheets); spreadsheets
/// substitute an installed CJK face when it is missing.
const BODY_FONT: &str = "宋体";
const HEADER_FONT: &str = "黑体";
/// GB/T 9704 title face.
const TITLE_FONT: &str = "方正小标宋简体";
pub(crate) const BODY_SIZE: f64 = 11.0;
pub(crate) const TITLE_SIZE: f64 = 18.0;

impl NoticeStyles {
    pub(crate) fn new() -> NoticeStyles {
        let body = Format::new()
            .set_font_name(BODY_FONT)
            .set_font_size(BODY_SIZE)
            .set_text_wrap()
            .set_align(FormatAlign::VerticalCenter)
            .set_border(FormatBorder::Thin);
        NoticeStyles {
            title: Format::new()
                .set_font_name(TITLE_FONT)
                .set_font_size(TITLE_SIZE)
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter)
                .set_text_wrap(),
            meta: Format::new()
                .set_font_name(BODY_FONT)
                .set_font_size(BODY_SIZE)
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter),
            intro: Format::new()
                .set_font_name(BODY_FONT)
                .set_font_size(BODY_SIZE)
                .set_align(FormatAlign::Left)
                .set_align(FormatAlign::VerticalCenter)
                .set_text_wrap(),
            heading: Format::new()
                .set_font_name(HEADER_FONT)
                .set_font_size(12)
                .set_bold()
                .set_align(FormatAlign::Left)
                .set_align(FormatAlign::VerticalCenter),
            header: Format::new()
                .set_font_name(HEADER_FONT)
                .set_font_size(BODY_SIZE)
                .set_bold()
                .set_text_wrap()
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter)
                .set_border(FormatBorder::Thin)
                .set_background_color(Color::RGB(0xD9E1F2)),
            body_left: body.clone().set_align(FormatAlign::Left),
            body_center: body.clone().set_align(FormatAlign::Center),
            body_left_top: body
                .clone()
                .set_align(FormatAlign::Left)
                .set_align(FormatAlign::Top),
            body_center_top: body
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::Top),
        }
    }
}

/// Write a text cell: always a string cell; a formula-like text keeps its exact value and gets
/// the format's `quote_prefix` twin; a text beyond Excel's limit is an error naming the cell.
pub(crate) fn write_text_cell(
    sheet: &mut Worksheet,
    sheet_name: &str,
    row: u32,
    col: u16,
    column_label: &str,
    text: &str,
    format: &Format,
) -> Result<(), ExportError> {
    check_cell_length(sheet_name, row, column_label, text)?;
    if starts_like_formula(text) {
        sheet.write_string_with_format(row, col, text, &format.clone().set_quote_prefix())?;
    } else {
        sheet.write_string_with_format(row, col, text, format)?;
    }
    Ok(())
}

pub(crate) fn check_cell_length(
    sheet_name: &str,
    row: u32,
    column_label: &str,
    text: &str,
) -> Result<(), ExportError> {
    let length = text.encode_utf16().count();
    if length > MAX_CELL_UTF16 {
        return Err(ExportError::CellTooLong {
            sheet: sheet_name.to_string(),
            row: row + 1,
            column: column_label.to_string(),
            length,
        });
    }
    Ok(())
}

/// The workbook's default (Normal style) font, Arial 10. Spreadsheets measure column widths in
/// digits of this font: Calibri, rust_xlsxwriter's default, is missing where LibreOffice runs
/// without Microsoft's fonts, and its stand-in (DejaVu Sans) has digits a third wider, so every
/// column printed a third wider than planned and fit-to-width shrank the page to about 75 %.
/// Arial is on every Windows and Mac, and LibreOffice ships Liberation Sans with the same
/// metrics; its digit is 7 px like Calibri 11's. Every cell of a notice has its own font (宋体,
/// 黑体), so only the width unit changes.
pub(crate) fn default_cell_format() -> Format {
    Format::new().set_font_name("Arial").set_font_size(10)
}
/// Arial 10's default row height and column width in pixels (Excel on Windows).
pub(crate) const DEFAULT_ROW_PX: u32 = 17;
pub(crate) const DEFAULT_COLUMN_PX: u32 = 64;

/// A printed page of a notice sheet: A4 with the GB/T 9704 版心 the PDF notice uses
/// (`docs/domain.md` §7), turned for landscape. The sheet's columns are sized to the 版心's
/// width, so that fit-to-width leaves the table at (nearly) full size.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum NoticePage {
    /// 210 × 297 mm; 版心 156 × 225 mm, 28 mm from the left and 37 mm from the top.
    Portrait,
    /// 297 × 210 mm; 版心 225 × 156 mm, centred across, 28 mm from the top (as in the PDF).
    Landscape,
}

/// Millimetres in an inch (Excel's margins are in inches).
const MM_PER_INCH: f64 = 25.4;
/// Screen pixels in an inch: Excel's column widths are pixels at 96 dpi.
const PX_PER_INCH: f64 = 96.0;

impl NoticePage {
    /// Margins in millimetres: left, right, top, bottom, and the footer's distance from the
    /// bottom edge (the page number sits about 7 mm below the 版心, as GB/T 9704 puts it).
    fn margins_mm(self) -> [f64; 5] {
        match self {
            NoticePage::Portrait => [28.0, 26.0, 37.0, 35.0, 22.0],
            NoticePage::Landscape => [36.0, 36.0, 28.0, 26.0, 13.0],
        }
    }

    /// Width of the 版心, in Excel's column pixels.
    pub(crate) fn printable_width_px(self) -> f64 {
        let text_width_mm = match self {
            NoticePage::Portrait => 156.0,
            NoticePage::Landscape => 225.0,
        };
        text_width_mm / MM_PER_INCH * PX_PER_INCH
    }
}

/// A4, fit to one page wide and as many tall as needed, centred, page numbers in the footer.
/// Columns sized within [`NoticePage::printable_width_px`] print at 100 %; wider ones are
/// shrunk by the spreadsheet to the page width.
pub(crate) fn set_print_layout(sheet: &mut Worksheet, page: NoticePage) {
    sheet.set_paper_size(9);
    match page {
        NoticePage::Landscape => sheet.set_landscape(),
        NoticePage::Portrait => sheet.set_portrait(),
    };
    sheet.set_print_fit_to_pages(1, 0);
    sheet.set_print_center_horizontally(true);
    let [left, right, top, bottom, footer] = page.margins_mm().map(|mm| mm / MM_PER_INCH);
    sheet.set_margins(left, right, top, bottom, 0.5, footer);
    sheet.set_footer("&C第 &P 页 共 &N 页");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_like_texts_are_recognized_by_their_first_character() {
        for text in ["=1+1", "+86 0990", "-", "@SUM(A1)", "\tcmd", "\r=x", "\n=x"] {
            assert!(starts_like_formula(text), "{text:?}");
        }
        for text in ["事项", " =1", "１", "＝1", ""] {
            assert!(!starts_like_formula(text), "{text:?}");
        }
    }
}
