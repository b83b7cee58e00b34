//! The raw shapes every reader produces and every later stage reads: a workbook of sheets of
//! non-empty cells with their positions and merged ranges, the format found in the bytes, and
//! the limits of one import. The readers (`workbook`, `csv_text`) and the guards (`guard`)
//! share them here, so that none of those files needs another's.

use std::io::Read;

use serde::Serialize;
use ts_rs::TS;

/// Limits of one import, checked before and while reading. The defaults, each with the reason
/// for its number, are the constants of `guard.rs` (documented in `docs/import.md`); real duty
/// lists are far below them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Largest file accepted, in bytes.
    pub max_file_bytes: u64,
    /// Highest row number (1-based) a sheet may declare or use.
    pub max_rows: u32,
    /// Highest column number (1-based) a sheet may declare or use.
    pub max_cols: u32,
    /// Most non-empty cells in one file (all sheets).
    pub max_cells: u64,
    /// Largest dense area (rows × columns) a legacy .xls sheet may span: calamine allocates
    /// the whole area of an .xls sheet when it opens the file.
    pub max_xls_area: u64,
    /// Longest text of one cell, in characters (Excel's own limit is 32,767).
    pub max_cell_chars: usize,
    /// Largest declared uncompressed part of a zipped workbook (.xlsx/.xlsb/.ods), in bytes.
    pub max_part_bytes: u64,
    /// Most bytes the parts a reader parses inflate to, one file's parts together, counted.
    pub max_unzipped_bytes: u64,
    /// Most XML elements in those parts, one file together.
    pub max_xml_elements: u64,
    /// Most cells written in the sheets of one file, empty ones included.
    pub max_cell_elements: u64,
    /// Most strings in an .xlsx shared-string table.
    pub max_shared_strings: u64,
}

/// The format of a file, as found in its bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
pub enum Format {
    /// Legacy Excel (BIFF8, also as saved by WPS), an OLE compound file.
    #[serde(rename = "xls")]
    Xls,
    #[serde(rename = "xlsx")]
    Xlsx,
    #[serde(rename = "xlsb")]
    Xlsb,
    #[serde(rename = "ods")]
    Ods,
    #[serde(rename = "csv")]
    Csv,
}

impl Format {
    pub fn label(self) -> &'static str {
        match self {
            Format::Xls => "xls",
            Format::Xlsx => "xlsx",
            Format::Xlsb => "xlsb",
            Format::Ods => "ods",
            Format::Csv => "csv",
        }
    }
}

/// One non-empty cell: 0-based column and its text (numbers already as text).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawCell {
    pub col: u32,
    pub text: String,
}

/// A row with at least one non-empty cell; `row` is 0-based.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawRow {
    pub row: u32,
    pub cells: Vec<RawCell>,
}

impl RawRow {
    pub fn get(&self, col: u32) -> Option<&str> {
        self.cells
            .binary_search_by_key(&col, |c| c.col)
            .ok()
            .and_then(|i| self.cells.get(i))
            .map(|c| c.text.as_str())
    }
}

/// A merged range, 0-based and inclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Merge {
    pub first_row: u32,
    pub first_col: u32,
    pub last_row: u32,
    pub last_col: u32,
}

/// One sheet as read: only rows with content, sorted; cells sorted by column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawSheet {
    pub name: String,
    pub rows: Vec<RawRow>,
    pub merges: Vec<Merge>,
    /// Why a sheet was not read as a worksheet (a chart sheet …), if so.
    pub note: Option<String>,
}

impl RawSheet {
    pub fn cell_count(&self) -> usize {
        self.rows.iter().map(|r| r.cells.len()).sum()
    }
}

/// A whole file as read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawWorkbook {
    /// The file's name as shown in messages and provenance.
    pub file: String,
    /// SHA-256 of the file's bytes (lowercase hex).
    pub sha256: String,
    pub format: Format,
    /// Text encoding, for CSV ("UTF-8", "GBK", "UTF-16LE" …).
    pub encoding: Option<String>,
    pub sheets: Vec<RawSheet>,
}

/// Column letters of a 0-based column index: 0 → A, 25 → Z, 26 → AA.
pub fn column_letters(col: u32) -> String {
    let mut n = u64::from(col) + 1;
    let mut out = Vec::new();
    while n > 0 {
        let rem = ((n - 1) % 26) as u8;
        out.push(char::from(b'A' + rem));
        n = (n - 1) / 26;
    }
    out.iter().rev().collect()
}

/// Read up to `limit` bytes of a reader (used by the guards).
pub(crate) fn read_prefix(mut reader: impl Read, limit: usize) -> std::io::Result<Vec<u8>> {
    let mut buf = Vec::new();
    reader.by_ref().take(limit as u64).read_to_end(&mut buf)?;
    Ok(buf)
}
