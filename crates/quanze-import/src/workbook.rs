//! Stage 1: bytes → raw sheets (non-empty cells as text, with their positions, and merged
//! ranges). Format is sniffed from the bytes, never from the file name. Everything that could
//! make calamine allocate without bound is checked first (see [`Limits`] and `guard`).
//!
//! Cells are kept sparse: a sheet 16,384 columns wide with 14 used costs 14 columns.

use std::io::Cursor;
use std::panic::{catch_unwind, AssertUnwindSafe};

use calamine::{Data, DataRef, Dimensions, Reader, Xls, XlsOptions, Xlsb, Xlsx};

use crate::csv_text;
use crate::error::ImportError;
use crate::guard;
pub use crate::raw::{column_letters, Format, Limits, Merge, RawCell, RawRow, RawSheet, RawWorkbook};

/// Read a file from disk (size checked before reading it).
pub fn read_workbook_file(
    path: &std::path::Path,
    limits: &Limits,
) -> Result<RawWorkbook, ImportError> {
    let shown = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string());
    let io = |e: std::io::Error| ImportError::Io {
        file: shown.clone(),
        message: crate::error::io_reason(&e),
    };
    let meta = std::fs::metadata(path).map_err(io)?;
    if meta.is_dir() {
        return Err(ImportError::NotSpreadsheet {
            file: shown,
            what: "这是一个文件夹".into(),
        });
    }
    if meta.len() > limits.max_file_bytes {
        return Err(ImportError::FileTooLarge {
            file: shown,
            size_mb: meta.len() / (1024 * 1024),
            limit_mb: limits.max_file_bytes / (1024 * 1024),
        });
    }
    let bytes = std::fs::read(path).map_err(io)?;
    read_workbook_bytes(&shown, &bytes, limits)
}

/// Read a workbook from its bytes: sniff the format, check the limits, read every sheet.
/// Never panics on bad input: a panic inside a reader is turned into an error naming the file.
pub fn read_workbook_bytes(
    file: &str,
    bytes: &[u8],
    limits: &Limits,
) -> Result<RawWorkbook, ImportError> {
    if bytes.len() as u64 > limits.max_file_bytes {
        return Err(ImportError::FileTooLarge {
            file: file.to_string(),
            size_mb: bytes.len() as u64 / (1024 * 1024),
            limit_mb: limits.max_file_bytes / (1024 * 1024),
        });
    }
    match catch_unwind(AssertUnwindSafe(|| read_inner(file, bytes, limits))) {
        Ok(result) => result,
        Err(panic) => {
            let message = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "读取器异常".to_string());
            Err(ImportError::Corrupt {
                file: file.to_string(),
                format: "读取时出错".into(),
                message,
            })
        }
    }
}

fn read_inner(file: &str, bytes: &[u8], limits: &Limits) -> Result<RawWorkbook, ImportError> {
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(ImportError::EmptyFile {
            file: file.to_string(),
        });
    }
    let format = guard::sniff(file, bytes)?;
    let mut cells_seen: u64 = 0;
    let (sheets, encoding) = match format {
        Format::Xls => (read_xls(file, bytes, limits, &mut cells_seen)?, None),
        Format::Xlsx => (read_xlsx(file, bytes, limits, &mut cells_seen)?, None),
        Format::Xlsb => (read_xlsb(file, bytes, limits, &mut cells_seen)?, None),
        Format::Ods => (read_ods(file, bytes, limits, &mut cells_seen)?, None),
        Format::Csv => {
            let (sheet, encoding) = csv_text::read_csv(file, bytes, limits)?;
            (vec![sheet], Some(encoding))
        }
    };
    Ok(RawWorkbook {
        file: file.to_string(),
        sha256: sha256_hex(bytes),
        format,
        encoding,
        sheets,
    })
}

fn corrupt(file: &str, format: Format, message: impl std::fmt::Display) -> ImportError {
    ImportError::Corrupt {
        file: file.to_string(),
        format: format.label().to_string(),
        message: message.to_string(),
    }
}

/// Collects cells of one sheet, enforcing the limits as it goes.
struct SheetBuilder<'a> {
    file: &'a str,
    sheet: String,
    limits: &'a Limits,
    cells: Vec<(u32, u32, String)>,
}

impl<'a> SheetBuilder<'a> {
    fn new(file: &'a str, sheet: &str, limits: &'a Limits) -> Self {
        SheetBuilder {
            file,
            sheet: sheet.to_string(),
            limits,
            cells: Vec::new(),
        }
    }

    fn too_large(&self, what: String, limit: String) -> ImportError {
        ImportError::TooLarge {
            file: self.file.to_string(),
            sheet: self.sheet.clone(),
            what,
            limit,
        }
    }

    /// Refuse a sheet whose declared size is beyond the limits (before reading any cell).
    fn check_declared(&self, dims: Dimensions) -> Result<(), ImportError> {
        if dims.start == (0, 0) && dims.end == (0, 0) {
            return Ok(());
        }
        let rows = u64::from(dims.end.0) + 1;
        let cols = u64::from(dims.end.1) + 1;
        if rows > u64::from(self.limits.max_rows) || cols > u64::from(self.limits.max_cols) {
            return Err(self.too_large(
                format!(
                    "声明的范围为 {}{}:{}{}（{} 行 × {} 列）",
                    column_letters(dims.start.1),
                    u64::from(dims.start.0) + 1,
                    column_letters(dims.end.1),
                    rows,
                    rows,
                    cols
                ),
                format!("{} 行 × {} 列", self.limits.max_rows, self.limits.max_cols),
            ));
        }
        Ok(())
    }

    fn push(
        &mut self,
        row: u32,
        col: u32,
        text: String,
        seen: &mut u64,
    ) -> Result<(), ImportError> {
        if text.trim().is_empty() {
            return Ok(());
        }
        if row >= self.limits.max_rows || col >= self.limits.max_cols {
            return Err(self.too_large(
                format!("在 {}{} 有内容", column_letters(col), u64::from(row) + 1),
                format!("{} 行 × {} 列", self.limits.max_rows, self.limits.max_cols),
            ));
        }
        let chars = text.chars().count();
        if chars > self.limits.max_cell_chars {
            return Err(ImportError::CellTooLong {
                file: self.file.to_string(),
                sheet: self.sheet.clone(),
                row: row + 1,
                column: column_letters(col),
                chars,
                limit: self.limits.max_cell_chars,
            });
        }
        *seen += 1;
        if *seen > self.limits.max_cells {
            return Err(ImportError::TooManyCells {
                file: self.file.to_string(),
                cells: *seen,
                limit: self.limits.max_cells,
            });
        }
        self.cells.push((row, col, text));
        Ok(())
    }

    fn finish(mut self, merges: Vec<Merge>, note: Option<String>) -> RawSheet {
        self.cells.sort_by_key(|(r, c, _)| (*r, *c));
        self.cells.dedup_by_key(|(r, c, _)| (*r, *c));
        let mut rows: Vec<RawRow> = Vec::new();
        for (r, c, text) in self.cells {
            match rows.last_mut() {
                Some(last) if last.row == r => last.cells.push(RawCell { col: c, text }),
                _ => rows.push(RawRow {
                    row: r,
                    cells: vec![RawCell { col: c, text }],
                }),
            }
        }
        RawSheet {
            name: self.sheet,
            rows,
            merges,
            note,
        }
    }
}

/// Text of a whole number without ".0"; other numbers in their shortest exact form.
pub fn number_text(f: f64) -> String {
    if f.is_finite() && f.fract() == 0.0 && f.abs() < 1e15 {
        format!("{}", f as i64)
    } else {
        format!("{f}")
    }
}

fn date_text(dt: &calamine::ExcelDateTime) -> String {
    if dt.is_duration() {
        return number_text(dt.as_f64());
    }
    match dt.as_datetime() {
        Some(v) => {
            if v.time() == chrono::NaiveTime::MIN {
                v.date().format("%Y-%m-%d").to_string()
            } else {
                v.format("%Y-%m-%d %H:%M:%S").to_string()
            }
        }
        None => number_text(dt.as_f64()),
    }
}

fn data_ref_text(value: &DataRef<'_>) -> Option<String> {
    Some(match value {
        DataRef::Empty => return None,
        DataRef::Int(i) => i.to_string(),
        DataRef::Float(f) => number_text(*f),
        DataRef::String(s) => s.clone(),
        DataRef::SharedString(s) => (*s).to_string(),
        DataRef::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_string(),
        DataRef::DateTime(dt) => date_text(dt),
        DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => s.clone(),
        DataRef::Error(e) => e.to_string(),
    })
}

fn data_text(value: &Data) -> Option<String> {
    Some(match value {
        Data::Empty => return None,
        Data::Int(i) => i.to_string(),
        Data::Float(f) => number_text(*f),
        Data::String(s) => s.clone(),
        Data::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_string(),
        Data::DateTime(dt) => date_text(dt),
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Error(e) => e.to_string(),
    })
}

fn to_merges(dims: &[Dimensions]) -> Vec<Merge> {
    dims.iter()
        .filter(|d| d.end.0 >= d.start.0 && d.end.1 >= d.start.1)
        .map(|d| Merge {
            first_row: d.start.0,
            first_col: d.start.1,
            last_row: d.end.0,
            last_col: d.end.1,
        })
        .collect()
}

fn read_xls(
    file: &str,
    bytes: &[u8],
    limits: &Limits,
    seen: &mut u64,
) -> Result<Vec<RawSheet>, ImportError> {
    guard::check_xls(file, bytes, limits)?;
    let mut book =
        Xls::new_with_options(Cursor::new(bytes), XlsOptions::default()).map_err(|e| match e {
            calamine::XlsError::Password => ImportError::Encrypted {
                file: file.to_string(),
            },
            other => corrupt(file, Format::Xls, other),
        })?;
    let names = book.sheet_names();
    let mut sheets = Vec::new();
    for name in names {
        let range = book
            .worksheet_range(&name)
            .map_err(|e| ImportError::SheetUnreadable {
                file: file.to_string(),
                sheet: name.clone(),
                message: e.to_string(),
            })?;
        let mut builder = SheetBuilder::new(file, &name, limits);
        for (row, col, value) in range.used_cells() {
            if let Some(text) = data_text(value) {
                let (r0, c0) = range.start().unwrap_or((0, 0));
                let row = u32::try_from(row).unwrap_or(u32::MAX).saturating_add(r0);
                let col = u32::try_from(col).unwrap_or(u32::MAX).saturating_add(c0);
                builder.push(row, col, text, seen)?;
            }
        }
        let merges = book.merge_cells_by_sheet_name(&name).unwrap_or_default();
        sheets.push(builder.finish(to_merges(&merges), None));
    }
    Ok(sheets)
}

fn read_xlsx(
    file: &str,
    bytes: &[u8],
    limits: &Limits,
    seen: &mut u64,
) -> Result<Vec<RawSheet>, ImportError> {
    guard::check_zip_parts(file, Format::Xlsx, bytes, limits)?;
    let mut book = Xlsx::new(Cursor::new(bytes)).map_err(|e| corrupt(file, Format::Xlsx, e))?;
    let names = book.sheet_names();
    let mut sheets = Vec::new();
    for name in names {
        let mut builder = SheetBuilder::new(file, &name, limits);
        let note = {
            match book.worksheet_cells_reader(&name) {
                Ok(mut reader) => {
                    builder.check_declared(reader.dimensions())?;
                    loop {
                        let cell =
                            reader
                                .next_cell()
                                .map_err(|e| ImportError::SheetUnreadable {
                                    file: file.to_string(),
                                    sheet: name.clone(),
                                    message: e.to_string(),
                                })?;
                        let Some(cell) = cell else { break };
                        let (row, col) = cell.get_position();
                        if let Some(text) = data_ref_text(cell.get_value()) {
                            builder.push(row, col, text, seen)?;
                        }
                    }
                    None
                }
                Err(calamine::XlsxError::NotAWorksheet(typ)) => {
                    Some(format!("不是工作表（{typ}），未读取"))
                }
                Err(e) => {
                    return Err(ImportError::SheetUnreadable {
                        file: file.to_string(),
                        sheet: name.clone(),
                        message: e.to_string(),
                    })
                }
            }
        };
        let merges = book.merge_cells_by_sheet_name(&name).unwrap_or_default();
        sheets.push(builder.finish(to_merges(&merges), note));
    }
    Ok(sheets)
}

fn read_xlsb(
    file: &str,
    bytes: &[u8],
    limits: &Limits,
    seen: &mut u64,
) -> Result<Vec<RawSheet>, ImportError> {
    guard::check_zip_parts(file, Format::Xlsb, bytes, limits)?;
    let mut book = Xlsb::new(Cursor::new(bytes)).map_err(|e| match e {
        calamine::XlsbError::Password => ImportError::Encrypted {
            file: file.to_string(),
        },
        other => corrupt(file, Format::Xlsb, other),
    })?;
    let names = book.sheet_names();
    let mut sheets = Vec::new();
    for name in names {
        let mut builder = SheetBuilder::new(file, &name, limits);
        let mut reader =
            book.worksheet_cells_reader(&name)
                .map_err(|e| ImportError::SheetUnreadable {
                    file: file.to_string(),
                    sheet: name.clone(),
                    message: e.to_string(),
                })?;
        builder.check_declared(reader.dimensions())?;
        loop {
            let cell = reader
                .next_cell()
                .map_err(|e| ImportError::SheetUnreadable {
                    file: file.to_string(),
                    sheet: name.clone(),
                    message: e.to_string(),
                })?;
            let Some(cell) = cell else { break };
            let (row, col) = cell.get_position();
            if let Some(text) = data_ref_text(cell.get_value()) {
                builder.push(row, col, text, seen)?;
            }
        }
        drop(reader);
        // calamine reads no merged ranges from .xlsb.
        sheets.push(builder.finish(Vec::new(), None));
    }
    Ok(sheets)
}

fn read_ods(
    file: &str,
    bytes: &[u8],
    limits: &Limits,
    seen: &mut u64,
) -> Result<Vec<RawSheet>, ImportError> {
    guard::check_zip_parts(file, Format::Ods, bytes, limits)?;
    let mut book = calamine::Ods::new(Cursor::new(bytes)).map_err(|e| match e {
        calamine::OdsError::Password => ImportError::Encrypted {
            file: file.to_string(),
        },
        other => corrupt(file, Format::Ods, other),
    })?;
    let names = book.sheet_names();
    let mut sheets = Vec::new();
    for name in names {
        let range = book
            .worksheet_range(&name)
            .map_err(|e| ImportError::SheetUnreadable {
                file: file.to_string(),
                sheet: name.clone(),
                message: e.to_string(),
            })?;
        let mut builder = SheetBuilder::new(file, &name, limits);
        let (r0, c0) = range.start().unwrap_or((0, 0));
        for (row, col, value) in range.used_cells() {
            if let Some(text) = data_text(value) {
                let row = u32::try_from(row).unwrap_or(u32::MAX).saturating_add(r0);
                let col = u32::try_from(col).unwrap_or(u32::MAX).saturating_add(c0);
                builder.push(row, col, text, seen)?;
            }
        }
        // calamine reads no merged ranges from .ods.
        sheets.push(builder.finish(Vec::new(), None));
    }
    Ok(sheets)
}

/// The SHA-256 of the bytes read, as lowercase hex: which copy of a workbook an import came from.
fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}
