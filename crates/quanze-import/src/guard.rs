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
//!   calamine reserves memory for are checked.

use std::io::{Cursor, Read};

use crate::error::ImportError;
use crate::raw::{column_letters, read_prefix, Format, Limits};

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

/// Refuse zipped workbooks whose parts are absurdly large, or whose shared-string table
/// declares more strings than the cell limit allows (calamine reserves memory for that count).
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
    let mut shared_strings = None;
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
        if name.to_ascii_lowercase().ends_with("sharedstrings.xml") {
            shared_strings = Some(i);
        }
    }
    if let Some(i) = shared_strings {
        let entry = archive.by_index(i).map_err(|e| corrupt(e.to_string()))?;
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

/// An `.ods` is read whole by calamine, repeated rows and columns expanded. Estimate the cells
/// it would create from the repeat attributes of `content.xml` and refuse absurd ones.
pub fn check_ods_content(file: &str, bytes: &[u8], limits: &Limits) -> Result<(), ImportError> {
    let corrupt = |message: String| ImportError::Corrupt {
        file: file.to_string(),
        format: "ods".into(),
        message,
    };
    let mut archive =
        zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| corrupt(e.to_string()))?;
    let entry = match archive.by_name("content.xml") {
        Ok(entry) => entry,
        Err(e) => return Err(corrupt(e.to_string())),
    };
    let mut text = Vec::new();
    entry
        .take(limits.max_part_bytes)
        .read_to_end(&mut text)
        .map_err(|e| corrupt(e.to_string()))?;
    // Rough but safe: every repeat count, multiplied by the repeat count of its row, summed.
    let mut estimate: u64 = 0;
    let mut row_repeat: u64 = 1;
    let mut at = 0;
    while let Some(offset) = text
        .get(at..)
        .and_then(|t| t.iter().position(|b| *b == b'<'))
    {
        at += offset + 1;
        let tag_end = text
            .get(at..)
            .and_then(|t| t.iter().position(|b| *b == b'>'))
            .map_or(text.len(), |e| at + e);
        let tag = &text[at..tag_end];
        if tag.starts_with(b"table:table-row") {
            row_repeat = attribute_number(tag, b"table:number-rows-repeated=")
                .unwrap_or(1)
                .max(1);
        } else if tag.starts_with(b"table:table-cell")
            || tag.starts_with(b"table:covered-table-cell")
        {
            let has_value =
                tag.windows(17).any(|w| w == b"office:value-type") || !tag.ends_with(b"/");
            if has_value {
                let cols = attribute_number(tag, b"table:number-columns-repeated=")
                    .unwrap_or(1)
                    .max(1);
                estimate = estimate.saturating_add(cols.saturating_mul(row_repeat));
            }
        }
        at = tag_end;
    }
    if estimate > limits.max_cells.saturating_mul(4) {
        return Err(ImportError::TooManyCells {
            file: file.to_string(),
            cells: estimate,
            limit: limits.max_cells,
        });
    }
    Ok(())
}
