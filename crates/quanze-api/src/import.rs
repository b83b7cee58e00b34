//! Importing legacy workbooks: preview (with the user's corrections), then import in one
//! audited transaction. `quanze_import` reads and maps the files into items with provenance
//! (an [`ImportPlan`]) and never touches the database; this module checks the destination,
//! writes the plan through the store's audited path — finding or creating jurisdiction, units
//! and lists (`lookup`), and each file's items in one run (`Writer::insert_items`: prepared
//! statements, one audit entry naming the file, its SHA-256 and its rows).

use std::path::{Path, PathBuf};

use quanze_domain::{Jurisdiction, Level};
use quanze_import::{
    FilePlan, ImportError, ImportOptions, ImportPlan, ImportPreview, ImportReport, ImportStage, PreviewOptions,
};
use quanze_store::{ItemRun, StoreError, Writer};

use crate::lookup::{find_or_create_jurisdiction, find_or_create_list, find_or_create_unit};
use crate::{Api, ApiError, ErrorCode, LongWork};

impl From<ImportError> for ApiError {
    fn from(error: ImportError) -> ApiError {
        let code = match &error {
            ImportError::Internal { .. } | ImportError::Synonyms(_) => ErrorCode::Internal,
            ImportError::Io { .. } => ErrorCode::Io,
            ImportError::Cancelled => ErrorCode::Cancelled,
            _ => ErrorCode::InvalidInput,
        };
        ApiError::new(code, error.to_string())
    }
}

/// The database refused the import's reads or writes: an internal error, and nothing written.
fn write_failed(error: StoreError) -> ApiError {
    ApiError::new(ErrorCode::Internal, format!("写入数据库失败，未做任何改动：{error}"))
}

fn cancelled() -> ApiError {
    ApiError::from(ImportError::Cancelled)
}

fn file_label(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}

impl Api {
    /// What a workbook would give: sheets, header rows, column mappings, first items, warnings.
    pub fn import_preview(&self, path: &Path, options: &PreviewOptions) -> Result<ImportPreview, ApiError> {
        Ok(quanze_import::preview(path, options)?)
    }

    /// Import workbooks in one transaction (or, with `options.dry_run`, only report). The
    /// items are searchable when it returns: search needs no index built afterwards.
    pub fn import_files(&mut self, paths: &[PathBuf], options: &ImportOptions, actor: &str) -> Result<ImportReport, ApiError> {
        self.import_files_observed(paths, options, actor, &mut |_| true)
    }

    /// [`Api::import_files`] with a progress step per file read and one for the write, and
    /// cancellation up to the write (the database is then untouched).
    pub fn import_files_with_progress(
        &mut self,
        paths: &[PathBuf],
        options: &ImportOptions,
        actor: &str,
        work: &LongWork<'_>,
    ) -> Result<ImportReport, ApiError> {
        let total = paths.len() + 1;
        let mut observer = |stage: ImportStage<'_>| match stage {
            ImportStage::Reading { index, total: files, path } => {
                work.step(format!("正在读取 {}（{}/{files}）", file_label(path), index + 1), index, total)
            }
            ImportStage::Writing { items } => work.step(format!("正在写入数据库：{items} 个事项"), total - 1, total),
        };
        let report = self.import_files_observed(paths, options, actor, &mut observer)?;
        work.step("导入完成".to_string(), total, total);
        Ok(report)
    }

    /// Check the destination, read and map every file (asking `observer` before each), then
    /// write in one transaction recorded in the audit log. Once writing has begun it runs to
    /// its end: the transaction is short next to the reading, and stopping halfway would only
    /// roll it back.
    fn import_files_observed(
        &mut self,
        paths: &[PathBuf],
        options: &ImportOptions,
        actor: &str,
        observer: &mut dyn FnMut(ImportStage<'_>) -> bool,
    ) -> Result<ImportReport, ApiError> {
        self.check_import_destination(options)?;
        let plan = quanze_import::plan_import_observed(paths, options, observer)?;
        if options.dry_run {
            return Ok(plan.report(true));
        }
        self.backup_before(quanze_store::BackupReason::BeforeImport)?;
        let items = plan.files.iter().map(|f| f.items.len()).sum();
        if !observer(ImportStage::Writing { items }) {
            return Err(cancelled());
        }
        let names: Vec<String> = paths.iter().map(|p| file_label(p)).collect();
        self.write_import(&plan, &format!("导入 {}", names.join("、")), actor)
    }

    /// Write a planned import in one audited transaction with `reason`: the jurisdiction, the
    /// units and the lists are found or created, and each file's items go after the list's
    /// existing ones. Lands whole or not at all.
    /// A plan without a single item is refused before the transaction (see [`refuse_empty`]).
    pub fn write_import(&mut self, plan: &ImportPlan, reason: &str, actor: &str) -> Result<ImportReport, ApiError> {
        refuse_empty(plan)?;
        self.store
            .write(actor, Some(reason), |writer| commit(writer, plan))
            .map_err(write_failed)
    }

    /// Street and community lists go to an existing street or community: say so before reading
    /// any file (the store would refuse it inside the transaction, as an internal-looking error).
    fn check_import_destination(&self, options: &ImportOptions) -> Result<(), ApiError> {
        let Some(level) = options.list_kind.expected_level() else {
            return Ok(());
        };
        let Some(name) = options.jurisdiction.as_deref().map(str::trim) else {
            return Err(ImportError::Options(format!(
                "导入“{}”需要指定所属的{}（--jurisdiction）",
                options.list_kind.label(),
                level.label()
            ))
            .into());
        };
        let found = self
            .store
            .reader()
            .jurisdictions()
            .map_err(write_failed)?
            .into_iter()
            .any(|j| j.name == name && j.level == level);
        if found {
            Ok(())
        } else {
            Err(ImportError::Options(format!(
                "找不到{}“{name}”：导入“{}”前请先建立它",
                level.label(),
                options.list_kind.label()
            ))
            .into())
        }
    }
}

/// An import of no item at all is refused: writing it would still find or create the
/// jurisdiction, the unit and an empty list (issue 13: a sheet of empty cells left a new unit
/// and an empty list behind), a change nobody asked for.
fn refuse_empty(plan: &ImportPlan) -> Result<(), ApiError> {
    if plan.files.iter().any(|f| !f.items.is_empty()) {
        return Ok(());
    }
    let files: Vec<&str> = plan.files.iter().map(|f| f.report.path.as_str()).collect();
    Err(ImportError::NoItems {
        files: format!("文件 {}", files.join("、")),
    }
    .into())
}

/// Write `plan` with `writer`, inside the caller's transaction. A file without items among
/// files with items creates nothing (no unit, no list); its report names no list.
fn commit(writer: &mut Writer<'_>, plan: &ImportPlan) -> Result<ImportReport, StoreError> {
    let options = &plan.options;
    let kind = options.list_kind;
    let level = kind.expected_level().unwrap_or(Level::District);
    let mut created_jurisdictions = Vec::new();
    let mut created_units = Vec::new();

    let jurisdiction_name = match &options.jurisdiction {
        Some(name) => name.trim().to_string(),
        None => {
            let roots: Vec<Jurisdiction> = writer
                .reader()
                .jurisdictions()?
                .into_iter()
                .filter(|j| j.parent.is_none())
                .collect();
            if roots.len() == 1 && level == Level::District {
                roots[0].name.clone()
            } else {
                plan.place_of_departments()
                    .unwrap_or_else(|| "未指定辖区".to_string())
            }
        }
    };
    let jurisdiction = find_or_create_jurisdiction(
        writer,
        &jurisdiction_name,
        level,
        &mut created_jurisdictions,
    )?;

    let mut report = plan.report(false);
    report.items = 0;
    for (file, file_report) in plan.files.iter().zip(report.files.iter_mut()) {
        if file.items.is_empty() {
            continue;
        }
        let unit_name = options
            .unit
            .as_deref()
            .map(str::trim)
            .map(str::to_string)
            .or_else(|| file.department.clone());
        let unit = match (&unit_name, kind.expected_level()) {
            // Street and community lists belong to the jurisdiction unless a unit is named.
            (_, Some(_)) if options.unit.is_none() => None,
            (Some(name), _) => Some(find_or_create_unit(
                writer,
                jurisdiction,
                name,
                &mut created_units,
            )?),
            (None, _) => Some(find_or_create_unit(
                writer,
                jurisdiction,
                "未指定部门",
                &mut created_units,
            )?),
        };
        let owner = match unit {
            Some(u) => writer.reader().unit(u)?.name,
            None => jurisdiction_name.clone(),
        };
        let (list, list_name) = find_or_create_list(
            writer,
            jurisdiction,
            unit,
            kind,
            format!("{owner}{}", kind.label()),
        )?;
        let position = writer.reader().item_counts()?.get(&list).copied().unwrap_or(0);
        writer.insert_items(list, position, &file.items, &item_run(file))?;
        file_report.jurisdiction = Some(jurisdiction_name.clone());
        file_report.unit = unit.map(|_| owner.clone());
        file_report.list = Some(list_name);
        file_report.list_id = Some(list);
        report.items += file_report.items;
    }
    report.created_jurisdictions = created_jurisdictions;
    report.created_units = created_units;
    Ok(report)
}

/// What the audit log says of one file's items (one entry for all of them): the file, its
/// SHA-256 (which copy of the workbook it was) and the rows the items came from.
fn item_run(file: &FilePlan) -> ItemRun {
    let mut details = vec![
        ("文件".to_string(), file.report.path.clone()),
        ("SHA-256".to_string(), file.sha256.clone()),
    ];
    let mut sheets: Vec<(String, u32, u32)> = Vec::new();
    for provenance in file.items.iter().filter_map(|item| item.provenance.as_ref()) {
        let last_row = provenance.merged_rows.iter().copied().chain([provenance.row]).max().unwrap_or(provenance.row);
        match sheets.iter_mut().find(|(sheet, _, _)| *sheet == provenance.sheet) {
            Some((_, first, last)) => {
                *first = (*first).min(provenance.row);
                *last = (*last).max(last_row);
            }
            None => sheets.push((provenance.sheet.clone(), provenance.row, last_row)),
        }
    }
    if !sheets.is_empty() {
        let rows: Vec<String> = sheets
            .iter()
            .map(|(sheet, first, last)| format!("{sheet} 第 {first}–{last} 行"))
            .collect();
        details.push(("行".to_string(), rows.join("；")));
    }
    ItemRun {
        source: format!("导入 {}", file.report.path),
        details,
    }
}
