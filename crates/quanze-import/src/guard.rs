//! What is checked before a workbook is handed to calamine.
//!
//! - The format comes from the bytes: an OLE compound file is `.xls` (or an encrypted
//!   OOXML file, which is refused), a zip is `.xlsx`/`.xlsb`/`.ods` by its parts, text is CSV.
//!   A `.xlsx` that is really an OLE `.xls` inside is read as `.xls`.
//! - calamine opens an `.xls` by building a dense grid for every sheet: its bounding box is
//!   computed here from the BIFF record headers (the DIMENSIONS record and the row/column of
//!   each cell record, walking the records as calamine does) and refused beyond
//!   [`Limits::max_xls_area`]. This is a bounds check over record headers, not a parser.
//! - In zipped formats, a part's declared uncompressed size and the shared-string count that
//!   calamine reserves memory for are checked; then the work itself is budgeted: each part
//!   the reader parses is inflated once, streaming (`part_scan`), and its bytes, XML elements,
//!   shared strings and cells (empty ones too) are counted against the budgets below, so that
//!   a 2 MB file that inflates to a gigabyte is refused in well under a second.
//!
//! Every limit of an import is a constant here, with the reason for its number; [`Limits`]
//! carries them (tests and callers may lower them). `docs/import.md` lists them with the
//! measured cost of the files that hit them.

use std::io::Cursor;

use crate::error::ImportError;
use crate::part_scan::{count_bytes, scan_tags, ScanStop};
use crate::raw::{column_letters, read_prefix, Format, Limits};

/// Largest file accepted: real lists are under 5 MB; the 50,000-row benchmark workbook
/// (`scripts/bench-import.sh`) is about 10 MB.
pub const MAX_FILE_BYTES: u64 = 100 * 1024 * 1024;
/// Highest row a sheet may declare or use: 4× the 50,000-row benchmark; real lists have a few
/// thousand rows.
pub const MAX_ROWS: u32 = 200_000;
/// Highest column a sheet may declare or use: sheets 255 columns wide occur; 16,384 does not.
pub const MAX_COLS: u32 = 1_024;
/// Most non-empty cells in one file: keeps the import's memory well under 300 MB.
pub const MAX_CELLS: u64 = 5_000_000;
/// Largest dense area of an `.xls` sheet: calamine allocates the whole area when it opens one.
pub const MAX_XLS_AREA: u64 = 4_000_000;
/// Largest declared size of one zipped part (any part, read or not): zip bombs.
pub const MAX_PART_BYTES: u64 = 1024 * 1024 * 1024;
/// Bytes the parts a reader parses may inflate to, all parts of one file together, counted as
/// they inflate (a declared size may lie). A sheet's XML takes about 50 bytes a cell, so the
/// 50,000-row benchmark (700,000 cells) inflates to some 35 MB; 256 MB is seven times that,
/// and inflating up to it to refuse a file costs well under a second.
pub const MAX_UNZIPPED_BYTES: u64 = 256 * 1024 * 1024;
/// XML elements in the parts of one file: every element costs the reader time (calamine reads a
/// sheet twice: cells, then merged ranges), empty or not. The benchmark's sheet has about
/// 1.45 M (a row element, and a cell and its value for each of 14 columns, per row).
pub const MAX_XML_ELEMENTS: u64 = 8_000_000;
/// Cells written in the sheets of one file, empty cells (`<c r="A2"/>`) included: 4× the
/// benchmark's 700,000 (a formatted but empty range of 65,536 rows × 26 columns still fits).
pub const MAX_CELL_ELEMENTS: u64 = 2_800_000;
/// Strings in an `.xlsx` shared-string table, declared or not: calamine keeps each as its own
/// allocation (53 M empty strings cost 3 GB). A string serves at least one cell, so the cell
/// budget is also the string budget.
pub const MAX_SHARED_STRINGS: u64 = MAX_CELL_ELEMENTS;

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_file_bytes: MAX_FILE_BYTES,
            max_rows: MAX_ROWS,
            max_cols: MAX_COLS,
            max_cells: MAX_CELLS,
            max_xls_area: MAX_XLS_AREA,
            // One limit for every way in: a bundle value has the same (docs/bundle-format.md).
            max_cell_chars: quanze_domain::input_limits::MAX_TEXT_CHARS,
            max_part_bytes: MAX_PART_BYTES,
            max_unzipped_bytes: MAX_UNZIPPED_BYTES,
            max_xml_elements: MAX_XML_ELEMENTS,
            max_cell_elements: MAX_CELL_ELEMENTS,
            max_shared_strings: MAX_SHARED_STRINGS,
        }
    }
}

const OLE_MAGIC: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

fn not_spreadsheet(file: &str, what: &str) -> ImportError {
    ImportError::NotSpreadsheet {
        file: file.to_string(),
        what: what.to_string(),
    }
}

/// Find the format of a file from its first bytes and, for containers, their parts.
pub fn sniff(file: &str, bytes: &[u8]) -> Result<Format, ImportError> {
    if bytes.starts_with(&OLE_MAGIC) {
        return sniff_ole(file, bytes);
    }
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06") {
        return sniff_zip(file, bytes);
    }
    let head = &bytes[..bytes.len().min(2048)];
    let lower: Vec<u8> = head.iter().map(u8::to_ascii_lowercase).collect();
    let has = |needle: &[u8]| lower.windows(needle.len()).any(|w| w == needle);
    if head.starts_with(b"%PDF") {
        return Err(not_spreadsheet(file, "这是 PDF 文件"));
    }
    if head.starts_with(b"\x89PNG")
        || head.starts_with(b"\xFF\xD8\xFF")
        || head.starts_with(b"GIF8")
    {
        return Err(not_spreadsheet(file, "这是图片文件"));
    }
    if head.starts_with(b"{\\rtf") {
        return Err(not_spreadsheet(file, "这是 RTF 文档"));
    }
    if has(b"<html") || has(b"<!doctype html") || has(b"<table") {
        return Err(not_spreadsheet(
            file,
            "这是网页（HTML）文件，只是扩展名像电子表格；请在 Excel/WPS 中打开后另存为 .xlsx 再导入",
        ));
    }
    if has(b"<?xml") && has(b"urn:schemas-microsoft-com:office:spreadsheet") {
        return Err(not_spreadsheet(
            file,
            "这是 Excel 2003 XML 表格；请在 Excel/WPS 中打开后另存为 .xlsx 再导入",
        ));
    }
    if crate::csv_text::looks_like_text(bytes) {
        return Ok(Format::Csv);
    }
    // Text with control characters in it looks binary; say which character, on which line.
    if let Some(text) = crate::csv_text::recheck_as_text(file, bytes) {
        return text.map(|()| Format::Csv);
    }
    Err(not_spreadsheet(file, "无法识别的二进制文件"))
}

fn sniff_ole(file: &str, bytes: &[u8]) -> Result<Format, ImportError> {
    let compound =
        cfb::CompoundFile::open(Cursor::new(bytes)).map_err(|e| ImportError::Corrupt {
            file: file.to_string(),
            format: "OLE 复合文档".into(),
            message: e.to_string(),
        })?;
    let exists = |name: &str| compound.is_stream(name);
    if exists("/EncryptionInfo") || exists("/EncryptedPackage") {
        return Err(ImportError::Encrypted {
            file: file.to_string(),
        });
    }
    if exists("/Workbook") || exists("/Book") {
        return Ok(Format::Xls);
    }
    if exists("/WordDocument") {
        return Err(not_spreadsheet(file, "这是 Word 文档（.doc）"));
    }
    if exists("/PowerPoint Document") {
        return Err(not_spreadsheet(file, "这是 PowerPoint 演示文稿（.ppt）"));
    }
    Err(not_spreadsheet(file, "OLE 复合文档中没有工作簿"))
}

fn sniff_zip(file: &str, bytes: &[u8]) -> Result<Format, ImportError> {
    let archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| ImportError::Corrupt {
        file: file.to_string(),
        format: "zip".into(),
        message: e.to_string(),
    })?;
    let names: Vec<String> = archive
        .file_names()
        .filter_map(|n| n.ok())
        .map(|n| n.to_ascii_lowercase())
        .collect();
    let has = |n: &str| names.iter().any(|x| x == n);
    if has("xl/workbook.xml") {
        return Ok(Format::Xlsx);
    }
    if has("xl/workbook.bin") {
        return Ok(Format::Xlsb);
    }
    if has("content.xml") && (has("mimetype") || has("meta-inf/manifest.xml")) {
        let mut archive = archive;
        if let Ok(entry) = archive.by_name("mimetype") {
            let head = read_prefix(entry, 200).unwrap_or_default();
            let text = String::from_utf8_lossy(&head);
            if text.contains("opendocument.text") {
                return Err(not_spreadsheet(file, "这是 ODF 文字文档（.odt）"));
            }
            if text.contains("opendocument.presentation") {
                return Err(not_spreadsheet(file, "这是 ODF 演示文稿（.odp）"));
            }
        }
        return Ok(Format::Ods);
    }
    if has("word/document.xml") {
        return Err(not_spreadsheet(file, "这是 Word 文档（.docx）"));
    }
    if has("ppt/presentation.xml") {
        return Err(not_spreadsheet(file, "这是 PowerPoint 演示文稿（.pptx）"));
    }
    Err(not_spreadsheet(file, "zip 压缩包中没有工作簿"))
}

fn too_large(file: &str, sheet: &str, what: String, limit: String) -> ImportError {
    ImportError::TooLarge {
        file: file.to_string(),
        sheet: sheet.to_string(),
        what,
        limit,
    }
}

fn u16_at(data: &[u8], at: usize) -> Option<u32> {
    data.get(at..at + 2)
        .map(|b| u32::from(u16::from_le_bytes([b[0], b[1]])))
}

fn u32_at(data: &[u8], at: usize) -> Option<u32> {
    data.get(at..at + 4)
        .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
}

/// BIFF records as calamine walks them: (type, data), CONTINUE records skipped.
fn records(mut stream: &[u8]) -> impl Iterator<Item = (u16, &[u8])> {
    std::iter::from_fn(move || loop {
        if stream.len() < 4 {
            return None;
        }
        let typ = u16::from_le_bytes([stream[0], stream[1]]);
        let len = usize::from(u16::from_le_bytes([stream[2], stream[3]]));
        if stream.len() < len + 4 {
            return None;
        }
        let (record, rest) = stream.split_at(len + 4);
        stream = rest;
        if typ == 0x003C {
            continue;
        }
        return Some((typ, &record[4..]));
    })
}

/// Check every sheet of an `.xls` against the limits before calamine builds its grids.
pub fn check_xls(file: &str, bytes: &[u8], limits: &Limits) -> Result<(), ImportError> {
    let mut compound =
        cfb::CompoundFile::open(Cursor::new(bytes)).map_err(|e| ImportError::Corrupt {
            file: file.to_string(),
            format: "xls".into(),
            message: e.to_string(),
        })?;
    let name = if compound.is_stream("/Workbook") {
        "/Workbook"
    } else {
        "/Book"
    };
    let stream = {
        let reader = compound
            .open_stream(name)
            .map_err(|e| ImportError::Corrupt {
                file: file.to_string(),
                format: "xls".into(),
                message: e.to_string(),
            })?;
        read_prefix(reader, bytes.len().saturating_mul(2).max(1 << 20)).map_err(|e| {
            ImportError::Corrupt {
                file: file.to_string(),
                format: "xls".into(),
                message: e.to_string(),
            }
        })?
    };
    // Globals: the BoundSheet8 records give each sheet's offset and name.
    let mut sheets: Vec<(usize, String)> = Vec::new();
    for (typ, data) in records(&stream) {
        match typ {
            0x0085 => {
                // calamine reads bytes 4 and 5 (state, type) without checking the length.
                if data.len() < 8 {
                    return Err(ImportError::Corrupt {
                        file: file.to_string(),
                        format: "xls".into(),
                        message: "工作表目录（BOUNDSHEET）记录过短".into(),
                    });
                }
                if let Some(pos) = u32_at(data, 0) {
                    let label = sheet_label(data)
                        .unwrap_or_else(|| format!("第 {} 个工作表", sheets.len() + 1));
                    sheets.push((pos as usize, label));
                }
            }
            // ExternSheet: calamine reads a count from the first two bytes unchecked.
            0x0017 if data.len() < 2 => {
                return Err(ImportError::Corrupt {
                    file: file.to_string(),
                    format: "xls".into(),
                    message: "外部工作表（EXTERNSHEET）记录过短".into(),
                });
            }
            0x000A => break,
            _ => {}
        }
    }
    for (pos, sheet) in sheets {
        // calamine slices the stream at this offset without checking it.
        let Some(sub) = stream.get(pos..) else {
            return Err(ImportError::Corrupt {
                file: file.to_string(),
                format: "xls".into(),
                message: format!(
                    "工作表“{sheet}”的位置超出了工作簿数据（{pos} > {}）",
                    stream.len()
                ),
            });
        };
        check_xls_sheet(file, &sheet, sub, limits)?;
    }
    Ok(())
}

/// The sheet name of a BoundSheet8 record, best effort (for messages only).
fn sheet_label(data: &[u8]) -> Option<String> {
    let len = usize::from(*data.get(6)?);
    let flags = *data.get(7)?;
    let raw = data.get(8..)?;
    if flags & 1 == 1 {
        let units: Vec<u16> = raw
            .chunks_exact(2)
            .take(len)
            .map(|c| u16::from_le_bytes([c[0], c[1]]))
            .collect();
        Some(String::from_utf16_lossy(&units))
    } else {
        Some(raw.iter().take(len).map(|b| char::from(*b)).collect())
    }
}

fn check_xls_sheet(
    file: &str,
    sheet: &str,
    stream: &[u8],
    limits: &Limits,
) -> Result<(), ImportError> {
    let mut seen_bof = false;
    let mut depth = 0usize;
    let mut bounds: Option<(u32, u32, u32, u32)> = None;
    let mut include = |row: u32, col: u32| {
        bounds = Some(match bounds {
            None => (row, row, col, col),
            Some((r0, r1, c0, c1)) => (r0.min(row), r1.max(row), c0.min(col), c1.max(col)),
        });
    };
    let limit_text = format!("{} 个单元格的区域", limits.max_xls_area);
    for (typ, data) in records(stream) {
        if depth > 0 {
            match typ {
                0x0809 => depth += 1,
                0x000A => depth -= 1,
                _ => {}
            }
            continue;
        }
        match typ {
            0x0809 => {
                if seen_bof {
                    depth += 1;
                } else {
                    seen_bof = true;
                }
            }
            0x000A => break,
            0x0200 => {
                // DIMENSIONS, interpreted as calamine does.
                let (rf, rl, cf, cl) = match data.len() {
                    10 => (
                        u16_at(data, 0),
                        u16_at(data, 2),
                        u16_at(data, 4),
                        u16_at(data, 6),
                    ),
                    14 | 16 => (
                        u32_at(data, 0),
                        u32_at(data, 4),
                        u16_at(data, 8),
                        u16_at(data, 10),
                    ),
                    _ => continue, // calamine refuses the file itself
                };
                let (Some(rf), Some(rl), Some(mut cf), Some(cl)) = (rf, rl, cf, cl) else {
                    continue;
                };
                if 0xFF < cf || cl < cf {
                    cf = 0;
                }
                if rl >= 1 && cl >= 1 {
                    let (end_r, end_c) = (rl - 1, cl - 1);
                    if end_r < rf || end_c < cf {
                        return Err(ImportError::Corrupt {
                            file: file.to_string(),
                            format: "xls".into(),
                            message: format!("工作表“{sheet}”的 DIMENSIONS 记录无效"),
                        });
                    }
                    let rows = u64::from(end_r - rf) + 1;
                    let cols = u64::from(end_c - cf) + 1;
                    if rows.saturating_mul(cols) > limits.max_xls_area
                        || u64::from(rl) > u64::from(limits.max_rows)
                        || u64::from(cl) > u64::from(limits.max_cols)
                    {
                        return Err(too_large(
                            file,
                            sheet,
                            format!("声明的范围为 {rows} 行 × {cols} 列"),
                            format!(
                                "{} 行、{} 列、{}",
                                limits.max_rows, limits.max_cols, limit_text
                            ),
                        ));
                    }
                }
            }
            // MergeCells: a count, then 8 bytes per range; calamine trusts the count.
            0x00E5 => {
                let count = u16_at(data, 0).map_or(0, |c| c as usize);
                if data.len() < 2 || count > 8191 || data.len() < 2 + 8 * count {
                    return Err(ImportError::Corrupt {
                        file: file.to_string(),
                        format: "xls".into(),
                        message: format!("工作表“{sheet}”的合并单元格（MERGECELLS）记录不完整"),
                    });
                }
            }
            // Number, Label, RString, BoolErr, Rk, LabelSst, Formula: row, column first.
            0x0203 | 0x0204 | 0x00D6 | 0x0205 | 0x027E | 0x00FD | 0x0006 => {
                if let (Some(row), Some(col)) = (u16_at(data, 0), u16_at(data, 2)) {
                    include(row, col);
                }
            }
            // MulRk: row, first column … last column.
            0x00BD => {
                if let (Some(row), Some(first), Some(last)) = (
                    u16_at(data, 0),
                    u16_at(data, 2),
                    data.len().checked_sub(2).and_then(|at| u16_at(data, at)),
                ) {
                    if last < first {
                        // calamine computes last - first + 1 without checking.
                        return Err(ImportError::Corrupt {
                            file: file.to_string(),
                            format: "xls".into(),
                            message: format!(
                                "工作表“{sheet}”第 {} 行的 MULRK 记录列范围无效",
                                row + 1
                            ),
                        });
                    }
                    include(row, first);
                    include(row, last);
                }
            }
            _ => {}
        }
    }
    if let Some((r0, r1, c0, c1)) = bounds {
        let rows = u64::from(r1 - r0) + 1;
        let cols = u64::from(c1 - c0) + 1;
        if rows.saturating_mul(cols) > limits.max_xls_area
            || r1 >= limits.max_rows
            || c1 >= limits.max_cols
        {
            return Err(too_large(
                file,
                sheet,
                format!(
                    "的数据跨越 {}{}:{}{}（{} 行 × {} 列）",
                    column_letters(c0),
                    u64::from(r0) + 1,
                    column_letters(c1),
                    u64::from(r1) + 1,
                    rows,
                    cols
                ),
                format!(
                    "{} 行、{} 列、{}",
                    limits.max_rows, limits.max_cols, limit_text
                ),
            ));
        }
    }
    Ok(())
}

/// How a zipped part is looked at before calamine reads it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PartKind {
    /// XML the reader parses: inflated bytes and start tags counted.
    Xml,
    /// Binary records the reader parses (`.xlsb` sheets, shared strings): bytes counted.
    Binary,
    /// Not read by the reader (images, printer settings, macros): declared size only.
    Unread,
}

impl PartKind {
    fn of(format: Format, lower_name: &str) -> PartKind {
        if lower_name.ends_with(".xml") || lower_name.ends_with(".rels") {
            PartKind::Xml
        } else if format == Format::Xlsb && lower_name.ends_with(".bin") {
            PartKind::Binary
        } else {
            PartKind::Unread
        }
    }
}

/// The work a zipped workbook has cost so far, over all its parts (one budget per file).
#[derive(Debug, Default)]
struct Work {
    bytes: u64,
    elements: u64,
    shared_strings: u64,
    cells: u64,
    /// `.ods`: cells with a value, repeats multiplied out (calamine expands them).
    ods_expanded_cells: u64,
    ods_row_repeat: u64,
}

fn beyond_budget(file: &str, what: String, limit: String) -> ImportError {
    ImportError::BeyondBudget {
        file: file.to_string(),
        what,
        limit,
    }
}

impl Work {
    /// Count one start tag of part `part`; refuse as soon as a budget is spent.
    fn tag(
        &mut self,
        file: &str,
        part: &str,
        format: Format,
        tag: &[u8],
        limits: &Limits,
    ) -> Result<(), ImportError> {
        self.elements += 1;
        if self.elements > limits.max_xml_elements {
            return Err(beyond_budget(
                file,
                format!(
                    "的 XML 元素超过 {} 个（读到部件 {part} 时）",
                    limits.max_xml_elements
                ),
                format!("每个文件 {} 个 XML 元素", limits.max_xml_elements),
            ));
        }
        let name = crate::part_scan::local_name(tag);
        match (format, name) {
            (Format::Xlsx, b"si") => {
                self.shared_strings += 1;
                if self.shared_strings > limits.max_shared_strings {
                    return Err(beyond_budget(
                        file,
                        format!(
                            "的共享字符串表（{part}）有 {} 个以上的字符串",
                            limits.max_shared_strings
                        ),
                        format!("{} 个字符串", limits.max_shared_strings),
                    ));
                }
            }
            (Format::Xlsx, b"c") | (Format::Ods, b"table-cell" | b"covered-table-cell") => {
                self.cells += 1;
                if self.cells > limits.max_cell_elements {
                    return Err(beyond_budget(
                        file,
                        format!(
                            "有 {} 个以上的单元格（空单元格也计在内；读到部件 {part} 时）",
                            limits.max_cell_elements
                        ),
                        format!("每个文件 {} 个单元格", limits.max_cell_elements),
                    ));
                }
                if format == Format::Ods {
                    self.ods_cell(file, tag, limits)?;
                }
            }
            (Format::Ods, b"table-row") => {
                self.ods_row_repeat = attribute_number(tag, b"table:number-rows-repeated=")
                    .unwrap_or(1)
                    .max(1);
            }
            _ => {}
        }
        Ok(())
    }

    /// calamine expands an `.ods` cell's repeats (columns × the row's repeats) when the cell
    /// holds a value; self-closing cells without a value type are the trailing empty cells
    /// LibreOffice writes with huge repeats, which it skips.
    fn ods_cell(&mut self, file: &str, tag: &[u8], limits: &Limits) -> Result<(), ImportError> {
        let has_value = tag.windows(17).any(|w| w == b"office:value-type") || !tag.ends_with(b"/");
        if has_value {
            let cols = attribute_number(tag, b"table:number-columns-repeated=")
                .unwrap_or(1)
                .max(1);
            let row_repeat = self.ods_row_repeat.max(1);
            self.ods_expanded_cells = self
                .ods_expanded_cells
                .saturating_add(cols.saturating_mul(row_repeat));
            if self.ods_expanded_cells > limits.max_cells.saturating_mul(4) {
                return Err(ImportError::TooManyCells {
                    file: file.to_string(),
                    cells: self.ods_expanded_cells,
                    limit: limits.max_cells,
                });
            }
        }
        Ok(())
    }
}

/// Refuse zipped workbooks that would cost the reader more than the budgets: parts whose
/// declared size is absurd, a declared shared-string count beyond the budget, then — as each
/// part the reader will parse inflates — its bytes, its XML elements, its shared strings and
/// its cells (empty ones too), stopping at the first budget spent. Declared numbers are only
/// a first, cheap look: a file may declare nothing, or lie.
pub fn check_zip_parts(
    file: &str,
    format: Format,
    bytes: &[u8],
    limits: &Limits,
) -> Result<(), ImportError> {
    let corrupt = |message: String| ImportError::Corrupt {
        file: file.to_string(),
        format: format.label().to_string(),
        message,
    };
    let mut archive =
        zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| corrupt(e.to_string()))?;
    let mut parts: Vec<(usize, String, PartKind)> = Vec::new();
    for i in 0..archive.len() {
        let entry = archive
            .by_index_raw(i)
            .map_err(|e| corrupt(e.to_string()))?;
        let name = entry.name().map(|n| n.into_owned()).unwrap_or_default();
        if entry.size() > limits.max_part_bytes {
            return Err(too_large(
                file,
                &name,
                format!(
                    "（压缩包内的部件）解压后有 {} MB",
                    entry.size() / (1024 * 1024)
                ),
                format!("{} MB", limits.max_part_bytes / (1024 * 1024)),
            ));
        }
        let lower = name.to_ascii_lowercase();
        let kind = PartKind::of(format, &lower);
        // The shared strings first: their declared count is the cheapest refusal.
        if lower.ends_with("sharedstrings.xml") {
            parts.insert(0, (i, name, kind));
        } else if kind != PartKind::Unread {
            parts.push((i, name, kind));
        }
    }
    if let Some((i, _, _)) = parts
        .first()
        .filter(|(_, n, _)| n.to_ascii_lowercase().ends_with("sharedstrings.xml"))
    {
        let entry = archive.by_index(*i).map_err(|e| corrupt(e.to_string()))?;
        let head = read_prefix(entry, 4096).map_err(|e| corrupt(e.to_string()))?;
        if let Some(count) = attribute_number(&head, b"uniqueCount=") {
            if count > limits.max_cells {
                return Err(ImportError::TooManyCells {
                    file: file.to_string(),
                    cells: count,
                    limit: limits.max_cells,
                });
            }
        }
    }
    let mut work = Work::default();
    for (i, name, kind) in parts {
        let entry = archive.by_index(i).map_err(|e| corrupt(e.to_string()))?;
        let left = limits.max_unzipped_bytes.saturating_sub(work.bytes);
        let read = match kind {
            PartKind::Xml => scan_tags(entry, left, &mut |tag: &[u8]| {
                work.tag(file, &name, format, tag, limits)
            }),
            _ => count_bytes(entry, left),
        };
        work.bytes += match read {
            Ok(read) => read,
            Err(ScanStop::Caller(error)) => return Err(error),
            Err(ScanStop::Read(e)) => return Err(corrupt(format!("部件 {name}：{e}"))),
            Err(ScanStop::TagTooLong) => {
                return Err(corrupt(format!("部件 {name} 中有超过 64 KB 的 XML 标记")))
            }
            Err(ScanStop::Bytes) => {
                return Err(beyond_budget(
                    file,
                    format!(
                        "解压后的内容超过 {} MB（读到部件 {name} 时）",
                        limits.max_unzipped_bytes / (1024 * 1024)
                    ),
                    format!("每个文件 {} MB", limits.max_unzipped_bytes / (1024 * 1024)),
                ))
            }
        };
    }
    Ok(())
}

/// The number in `name="123"` within `text`, when present.
fn attribute_number(text: &[u8], name: &[u8]) -> Option<u64> {
    let at = text.windows(name.len()).position(|w| w == name)? + name.len();
    let rest = text.get(at..)?;
    let quote = *rest.first()?;
    if quote != b'"' && quote != b'\'' {
        return None;
    }
    let digits: Vec<u8> = rest[1..]
        .iter()
        .take_while(|b| b.is_ascii_digit())
        .copied()
        .collect();
    if digits.is_empty() {
        return None;
    }
    std::str::from_utf8(&digits)
        .ok()
        .and_then(|s| s.parse::<u64>().ok())
        .or(Some(u64::MAX))
}
