//! # quanze-import
//!
//! Import of legacy duty-list workbooks (`.xls` incl. WPS, `.xlsx`, `.xlsb`, `.ods`, `.csv`
//! in UTF-8 or GBK) without losing a cell. The rules are in `docs/import.md`.
//!
//! Stages:
//! 1. [`read_workbook_file`] / [`read_workbook_bytes`]: bytes → raw sheets (format sniffed
//!    from the bytes; limits checked before calamine allocates; never panics).
//! 2. [`sheet::map_sheet`]: header row and column mapping by the synonym table
//!    (`templates/import/synonyms.yaml`), continuation rows merged, inferences made; every
//!    non-empty cell below the header lands in an item or in the report.
//!
//! This crate never touches the database: it returns items with provenance ([`ImportPlan`])
//! and the report; `quanze-api` writes them (finding or creating jurisdiction, unit and list)
//! in one audited transaction.
//!
//! Entry points for callers (CLI, desktop shell, via `quanze-api`):
//! - [`preview`]: what a file would give, with the user's corrections ([`PreviewOptions`]);
//! - [`plan_import`] / [`plan_import_observed`]: every file read and mapped, ready to write;
//! - [`render_report`]: the report as the CLI prints it.

mod csv_text;
mod error;
mod guard;
mod part_scan;
mod raw;
pub mod report;
pub mod sheet;
pub mod synonyms;
pub mod text;
pub mod workbook;

use std::path::{Path, PathBuf};

use quanze_domain::{Item, ListKind};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

pub use error::ImportError;
pub use report::{
    render_report, ColumnMapping, FileReport, ImportReport, Inference, InheritedRow, ListUpdate,
    MergedRow, PreambleRow, SheetReport, SkippedFile, SkippedRow,
};
pub use sheet::{ColumnOverride, SheetOverride, INFERRED_HEADER};
pub use synonyms::{Field, Synonyms};
pub use text::place_prefix;
pub use workbook::{read_workbook_bytes, read_workbook_file, Format, Limits, RawWorkbook};

use sheet::{department_from_title, find_header, map_sheet, SheetContext};

/// What the user chose for an import (serializable, so that the UI can send it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct ImportOptions {
    /// Jurisdiction to file the items under (found by name, created when missing). Without
    /// it: the only top-level jurisdiction of the database, else the place named by the
    /// department ("克拉玛依市…局" → 克拉玛依市), else 未指定辖区.
    pub jurisdiction: Option<String>,
    /// Unit (department) whose list receives the items (found or created). Without it: the
    /// department inferred from each file.
    pub unit: Option<String>,
    pub list_kind: ListKind,
    /// Plan and report only; write nothing.
    pub dry_run: bool,
    /// The user's corrections (header row, column fields, sheets left out).
    pub sheets: Vec<SheetOverride>,
    /// Limits of the import (not settable from the UI; defaults).
    #[serde(skip)]
    pub limits: Limits,
}

impl Default for ImportOptions {
    fn default() -> Self {
        ImportOptions {
            jurisdiction: None,
            unit: None,
            list_kind: ListKind::Power,
            dry_run: false,
            sheets: Vec::new(),
            limits: Limits::default(),
        }
    }
}

/// Options of a preview.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct PreviewOptions {
    /// Corrections to apply (re-preview after the user changed a header row or a column).
    #[serde(default)]
    pub sheets: Vec<SheetOverride>,
    /// How many items per sheet to return (default 20).
    #[serde(default)]
    pub sample_items: Option<u32>,
}

/// One sheet as it would be imported.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct SheetPreview {
    /// Header row, mapping (with the synonym that matched), counts, merges, skips, warnings.
    pub report: SheetReport,
    /// The first items as they would be imported (with provenance).
    pub items: Vec<Item>,
    /// Why the sheet cannot be imported as it is (no recognizable header …): the user can
    /// set its header row or leave it out.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// The first rows of the sheet as raw text (row number, cells by column letter), so that
    /// a user can pick the header row.
    pub raw_rows: Vec<RawRowPreview>,
}

/// A raw row for the header-row picker.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct RawRowPreview {
    pub row: u32,
    pub cells: Vec<(String, String)>,
}

/// What a file would give.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct ImportPreview {
    pub path: String,
    pub format: Format,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub encoding: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub department: Option<Inference>,
    pub sheets: Vec<SheetPreview>,
    /// Items the whole file would give.
    pub items: u32,
}

/// One file, read and mapped (nothing written yet).
#[derive(Debug, Clone)]
pub struct FilePlan {
    pub report: FileReport,
    /// SHA-256 of the file's bytes (lowercase hex), for the audit log.
    pub sha256: String,
    /// The department found for the file (unit to file it under, without `--unit`).
    pub department: Option<String>,
    /// Every item of every sheet, in order, with provenance.
    pub items: Vec<Item>,
}

/// A whole import, read and mapped, ready to be written (by `quanze-api`).
#[derive(Debug, Clone)]
pub struct ImportPlan {
    pub options: ImportOptions,
    pub files: Vec<FilePlan>,
    /// Non-table files left out of a multi-file import (see [`plan_import`]).
    pub skipped: Vec<SkippedFile>,
}

impl ImportPlan {
    /// The report of the plan (what a dry run prints).
    pub fn report(&self, dry_run: bool) -> ImportReport {
        ImportReport {
            items: self.files.iter().map(|f| f.report.items).sum(),
            dry_run,
            created_jurisdictions: Vec::new(),
            created_units: Vec::new(),
            files: self.files.iter().map(|f| f.report.clone()).collect(),
            skipped_files: self.skipped.clone(),
            updates: Vec::new(),
        }
    }

    /// The place named by the first department that names one ("克拉玛依市…局" → 克拉玛依市):
    /// the jurisdiction to file the items under when the user chose none and the database
    /// does not settle it.
    pub fn place_of_departments(&self) -> Option<String> {
        self.files
            .iter()
            .find_map(|f| f.department.as_deref().and_then(place_prefix))
    }
}

/// The department a workbook is about: a "部门名称：" row, else the title row, else the file name.
fn infer_department(workbook: &RawWorkbook, headers: &[Option<usize>]) -> Option<Inference> {
    let found = |value: String, source: String| Inference {
        field: "部门".to_string(),
        value,
        source,
        items: 0,
    };
    let preambles = workbook
        .sheets
        .iter()
        .zip(headers)
        .filter_map(|(s, h)| h.map(|h| (s, h)));
    let mut title: Option<Inference> = None;
    for (sheet, header) in preambles {
        for row in sheet.rows.iter().take(header) {
            for cell in &row.cells {
                let key = text::normalize_header(&cell.text);
                if ["部门名称", "单位名称", "填报单位"]
                    .iter()
                    .any(|p| key.starts_with(p))
                {
                    if let Some(d) = department_from_title(&cell.text) {
                        return Some(found(
                            d,
                            format!("第 {} 行“{}”", row.row + 1, text::clean_short(&cell.text)),
                        ));
                    }
                }
                if title.is_none() {
                    if let Some(d) = department_from_title(&cell.text) {
                        title = Some(found(
                            d,
                            format!("标题行“{}”", text::clean_short(&cell.text)),
                        ));
                    }
                }
            }
        }
    }
    if title.is_some() {
        return title;
    }
    let stem = Path::new(&workbook.file)
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    department_from_title(&stem).map(|d| found(d, format!("文件名“{}”", workbook.file)))
}

fn override_for<'a>(
    sheets: &'a [SheetOverride],
    file: &str,
    sheet: &str,
) -> Option<&'a SheetOverride> {
    sheets
        .iter()
        .find(|o| o.sheet == sheet && o.file.as_deref().is_none_or(|f| f == file))
}

/// A mapped workbook: its report, each sheet's report, items and (preview) error, and the
/// department found.
type MappedWorkbook = (
    FileReport,
    Vec<(SheetReport, Vec<Item>, Option<String>)>,
    Option<Inference>,
);

/// Map every sheet of a read workbook. `strict`: a non-empty sheet without a header is an
/// error (import); otherwise it is reported on the sheet (preview).
/// Sheet names and the bookkeeping header of notice workbooks written by Quanze
/// (`quanze_export::RAW_DATA_SHEET`, `NOTICE_SHEET`, `ID_HEADER`; this crate does not depend on
/// the exporter, and the export crate's round-trip test holds the two in step).
const QUANZE_RAW_DATA_SHEET: &str = "原始数据";
const QUANZE_NOTICE_SHEET_PREFIX: &str = "公示";
const QUANZE_ID_HEADER: &str = "导出·编号";

/// Whether `sheet` is the 原始数据 sheet of a Quanze notice workbook: its name, and the
/// exporter's id column in its header row.
fn is_quanze_raw_data_sheet(sheet: &raw::RawSheet, header: Option<usize>) -> bool {
    sheet.name == QUANZE_RAW_DATA_SHEET
        && header
            .and_then(|h| sheet.rows.get(h))
            .is_some_and(|row| row.cells.iter().any(|c| c.text.trim() == QUANZE_ID_HEADER))
}

fn map_workbook(
    workbook: RawWorkbook,
    synonyms: &Synonyms,
    overrides: &[SheetOverride],
    strict: bool,
) -> Result<MappedWorkbook, ImportError> {
    for o in overrides
        .iter()
        .filter(|o| o.file.as_deref().is_none_or(|f| f == workbook.file))
    {
        if !workbook.sheets.iter().any(|s| s.name == o.sheet) && o.file.is_some() {
            return Err(ImportError::NoSuchSheet {
                file: workbook.file.clone(),
                sheet: o.sheet.clone(),
            });
        }
    }
    let headers: Vec<Option<usize>> = workbook
        .sheets
        .iter()
        .map(|s| {
            match override_for(overrides, &workbook.file, &s.name).and_then(|o| o.header_row) {
                Some(row) => s.rows.iter().position(|r| r.row + 1 == row),
                None => find_header(s, synonyms),
            }
        })
        .collect();
    let department = infer_department(&workbook, &headers);
    let all_empty = workbook.sheets.iter().all(|s| s.rows.is_empty());
    let RawWorkbook {
        file,
        sha256: _,
        format,
        encoding,
        sheets: raw_sheets,
    } = workbook;
    let workbook_file = file;
    let ctx = SheetContext {
        file: &workbook_file,
        synonyms,
        department: department.as_ref(),
    };
    let exported_by_quanze = raw_sheets
        .iter()
        .zip(&headers)
        .any(|(sheet, header)| is_quanze_raw_data_sheet(sheet, *header));
    let mut sheets = Vec::new();
    for sheet in raw_sheets {
        let o = override_for(overrides, &workbook_file, &sheet.name);
        // A notice workbook written by Quanze holds every item twice: formatted for print in
        // the 公示 sheet(s), and whole in 原始数据. Only the latter is read; the print sheets'
        // cells are still listed in the report, so nothing disappears silently.
        let print_copy = exported_by_quanze && sheet.name.starts_with(QUANZE_NOTICE_SHEET_PREFIX);
        if o.is_some_and(|o| o.skip) || (print_copy && o.is_none()) {
            let (note, reason) = if print_copy && !o.is_some_and(|o| o.skip) {
                (
                    "Quanze 导出的公示表：事项按“原始数据”表导入",
                    "公示表的内容与“原始数据”表相同，按“原始数据”表导入",
                )
            } else {
                ("按用户选择未导入", "工作表未导入（用户选择）")
            };
            let mut report = SheetReport::empty(&sheet.name);
            report.note = Some(note.to_string());
            let n = sheet.cell_count();
            if n > 0 {
                report.skipped = sheet
                    .rows
                    .iter()
                    .map(|r| SkippedRow {
                        row: r.row + 1,
                        reason: reason.to_string(),
                        text: r
                            .cells
                            .iter()
                            .map(|c| c.text.trim())
                            .collect::<Vec<_>>()
                            .join(" | "),
                    })
                    .collect();
            }
            sheets.push((report, Vec::new(), None));
            continue;
        }
        let sheet_name = sheet.name.clone();
        match map_sheet(&ctx, sheet, o) {
            Ok(result) => sheets.push((result.report, result.items, None)),
            Err(e @ (ImportError::NoHeader { .. } | ImportError::BadHeaderRow { .. }))
                if !strict =>
            {
                let mut report = SheetReport::empty(&sheet_name);
                report.note = Some(e.to_string());
                sheets.push((report, Vec::new(), Some(e.to_string())));
            }
            Err(e) => return Err(e),
        }
    }
    if all_empty {
        return Err(ImportError::EmptyWorkbook {
            file: workbook_file,
        });
    }
    let report = FileReport {
        path: workbook_file,
        format,
        encoding,
        department: department.clone().map(|mut d| {
            d.items = sheets
                .iter()
                .map(|(_, items, _)| u32::try_from(items.len()).unwrap_or(u32::MAX))
                .sum();
            d
        }),
        jurisdiction: None,
        unit: None,
        list: None,
        list_id: None,
        items: sheets.iter().map(|(r, _, _)| r.items).sum(),
        sheets: sheets.iter().map(|(r, _, _)| r.clone()).collect(),
    };
    Ok((report, sheets, department))
}


/// Read and map one file for import (strict: any problem is an error naming file and sheet).
pub fn plan_file(
    path: &Path,
    options: &ImportOptions,
    synonyms: &Synonyms,
) -> Result<FilePlan, ImportError> {
    let workbook = read_workbook_file(path, &options.limits)?;
    plan_workbook(workbook, options, synonyms)
}

/// Map an already read workbook for import.
pub fn plan_workbook(
    workbook: RawWorkbook,
    options: &ImportOptions,
    synonyms: &Synonyms,
) -> Result<FilePlan, ImportError> {
    let sha256 = workbook.sha256.clone();
    let (report, sheets, department) = map_workbook(workbook, synonyms, &options.sheets, true)?;
    Ok(FilePlan {
        report,
        sha256,
        department: department.map(|d| d.value),
        items: sheets.into_iter().flat_map(|(_, items, _)| items).collect(),
    })
}

/// Extensions of documents that sit beside published lists (a README, the notice as PDF or
/// Word, a scan). Among several files, one of these that cannot be read as a table is left out
/// and reported; any other unreadable file is an error.
const DOCUMENT_EXTENSIONS: &[&str] = &[
    "md", "markdown", "pdf", "doc", "docx", "wps", "rtf", "png", "jpg", "jpeg", "gif", "bmp", "html", "htm",
];

fn named_as_document(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| DOCUMENT_EXTENSIONS.iter().any(|d| d.eq_ignore_ascii_case(e)))
}

/// Read and map every file. Fails on the first bad file, naming it; nothing is written.
/// Among several files (a folder dragged in, `import folder/*`), a document (README.md, a PDF,
/// see `DOCUMENT_EXTENSIONS`) that cannot be read as a table is left out and reported instead.
pub fn plan_import(paths: &[PathBuf], options: &ImportOptions) -> Result<ImportPlan, ImportError> {
    plan_import_observed(paths, options, &mut |_| true)
}

/// How far an import has got, for a progress bar; the observer's answer says whether to go on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportStage<'a> {
    /// About to read file `index` (0-based) of `total`.
    Reading { index: usize, total: usize, path: &'a Path },
    /// Every file is read and mapped; `items` are about to be written in one transaction
    /// (the last point at which stopping leaves the database untouched). Announced by the
    /// writer (`quanze-api`), not by [`plan_import_observed`].
    Writing { items: usize },
}

/// [`plan_import`], asking `observer` before each file whether to go on; `false` stops with
/// [`ImportError::Cancelled`].
pub fn plan_import_observed(
    paths: &[PathBuf],
    options: &ImportOptions,
    observer: &mut dyn FnMut(ImportStage<'_>) -> bool,
) -> Result<ImportPlan, ImportError> {
    if paths.is_empty() {
        return Err(ImportError::Options("没有指定要导入的文件".to_string()));
    }
    let synonyms = Synonyms::builtin()?;
    let mut files = Vec::with_capacity(paths.len());
    let mut skipped = Vec::new();
    let mut first_error = None;
    for (index, path) in paths.iter().enumerate() {
        if !observer(ImportStage::Reading { index, total: paths.len(), path }) {
            return Err(ImportError::Cancelled);
        }
        match plan_file(path, options, &synonyms) {
            Ok(plan) => files.push(plan),
            Err(error) if paths.len() > 1 && named_as_document(path) => {
                skipped.push(SkippedFile {
                    path: path.display().to_string(),
                    reason: error.to_string(),
                });
                first_error.get_or_insert(error);
            }
            Err(error) => return Err(error),
        }
    }
    if files.is_empty() {
        if let Some(error) = first_error {
            return Err(error);
        }
    }
    Ok(ImportPlan {
        options: options.clone(),
        files,
        skipped,
    })
}

/// Preview one file: sheets, header rows, column mappings (with the synonym that matched),
/// the first items as they would be imported, warnings. A sheet without a recognizable
/// header is reported on the sheet (with its first raw rows), not as an error, so the user
/// can pick the header row and preview again.
pub fn preview(path: &Path, options: &PreviewOptions) -> Result<ImportPreview, ImportError> {
    let limits = Limits::default();
    let workbook = read_workbook_file(path, &limits)?;
    preview_workbook(workbook, options)
}

/// [`preview`] of an already read workbook.
pub fn preview_workbook(
    workbook: RawWorkbook,
    options: &PreviewOptions,
) -> Result<ImportPreview, ImportError> {
    let synonyms = Synonyms::builtin()?;
    let raw: Vec<Vec<RawRowPreview>> = workbook
        .sheets
        .iter()
        .map(|sheet| {
            sheet
                .rows
                .iter()
                .take(12)
                .map(|r| RawRowPreview {
                    row: r.row + 1,
                    cells: r
                        .cells
                        .iter()
                        .map(|c| {
                            (
                                raw::column_letters(c.col),
                                c.text.chars().take(80).collect(),
                            )
                        })
                        .collect(),
                })
                .collect()
        })
        .collect();
    let (report, sheets, _) = map_workbook(workbook, &synonyms, &options.sheets, false)?;
    let sample = options.sample_items.unwrap_or(20) as usize;
    let previews = sheets
        .into_iter()
        .zip(raw)
        .map(|((report, items, error), raw_rows)| SheetPreview {
            report,
            items: items.into_iter().take(sample).collect(),
            error,
            raw_rows,
        })
        .collect();
    Ok(ImportPreview {
        path: report.path.clone(),
        format: report.format,
        encoding: report.encoding.clone(),
        department: report.department.clone(),
        items: report.items,
        sheets: previews,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use ts_rs::{Config, TS};

    /// The types the lead adds to `ui/src/api/bindings.ts` declare cleanly.
    #[test]
    fn boundary_types_have_typescript_declarations() {
        let config = Config::default();
        let decls = [
            ImportReport::decl(&config),
            FileReport::decl(&config),
            SheetReport::decl(&config),
            ColumnMapping::decl(&config),
            ImportPreview::decl(&config),
            SheetPreview::decl(&config),
            PreviewOptions::decl(&config),
            ImportOptions::decl(&config),
            SheetOverride::decl(&config),
            Field::decl(&config),
            Format::decl(&config),
        ];
        assert!(decls[0].contains("items: number"), "{}", decls[0]);
        assert!(
            !decls[7].contains("limits"),
            "limits stay out of the boundary: {}",
            decls[7]
        );
        assert!(decls[9].contains("\"level_and_authority\""), "{}", decls[9]);
    }
}
