//! Importing legacy workbooks: preview (with the user's corrections), then import in one
//! audited transaction. `quanze_import` reads and maps the files into items with provenance
//! (an [`ImportPlan`]) and never touches the database; this module checks the destination,
//! writes the plan through the store's audited path — finding or creating jurisdiction, units
//! and lists (`lookup`), and each file's items in one run (`Writer::insert_items`: prepared
//! statements, one audit entry naming the file, its SHA-256 and its rows). A list that already
//! has items is updated to the workbooks' content instead (`reimport`), in the write as in a
//! dry run.

use std::path::{Path, PathBuf};

use quanze_domain::{Id, Item, Jurisdiction, Level, ListKind};
use quanze_import::{
    FilePlan, ImportError, ImportOptions, ImportPlan, ImportPreview, ImportReport, ImportStage, ListUpdate,
    PreviewOptions,
};
use quanze_store::{ItemRun, Reader, StoreError, Writer};

use crate::lookup::{
    find_or_create_jurisdiction, find_or_create_list, find_or_create_unit, jurisdiction_named, list_owned, unit_named,
};
use crate::import_undo::Existing;
use crate::reimport::{self, Incoming};
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
            let mut report = plan.report(true);
            report.updates = self.planned_updates(&plan)?;
            return Ok(report);
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
    /// units and the lists are found or created; a new or empty list gets each file's items in
    /// one run, a list with items becomes what its workbooks say (`reimport`). Lands whole or
    /// not at all.
    /// A plan without a single item is refused before the transaction (see [`refuse_empty`]).
    pub fn write_import(&mut self, plan: &ImportPlan, reason: &str, actor: &str) -> Result<ImportReport, ApiError> {
        refuse_empty(plan)?;
        // A refusal found inside the transaction (an admitted item the workbook would delete)
        // rolls it back through an error; this keeps its message and its code (bad input).
        let mut refused: Option<ApiError> = None;
        let (report, undo) = self
            .store
            .write(actor, Some(reason), |writer| {
                let existed = Existing::read(&writer.reader())?;
                let mut lists_before = Vec::new();
                let report = commit(writer, plan, &mut refused, &mut lists_before)?;
                let undo = existed.undo_of(&writer.reader(), lists_before, reason)?;
                Ok((report, undo))
            })
            .map_err(|error| refused.take().unwrap_or_else(|| write_failed(error)))?;
        self.remember_import(undo);
        Ok(report)
    }

    /// What writing `plan` would do to the lists that already have items, read without writing:
    /// a dry run creates no jurisdiction, unit or list, so a destination that does not exist yet
    /// is a new list (reported as today, without an update).
    fn planned_updates(&self, plan: &ImportPlan) -> Result<Vec<ListUpdate>, ApiError> {
        let reader = self.store.reader();
        let name = jurisdiction_name(&reader, plan)?;
        let Some(jurisdiction) = jurisdiction_named(&reader, &name)? else {
            return Ok(Vec::new());
        };
        let mut destinations: Vec<Destination<'_>> = Vec::new();
        for file in plan.files.iter().filter(|f| !f.items.is_empty()) {
            let unit = match owner_of(&plan.options, file) {
                Owner::Jurisdiction => None,
                Owner::Unit(unit_name) => match unit_named(&reader, jurisdiction, &unit_name)? {
                    Some(unit) => Some(unit),
                    None => continue,
                },
            };
            let found = list_owned(&reader, jurisdiction, unit, plan.options.list_kind)?;
            if let Some((list, list_name)) = found {
                add_destination(&mut destinations, list, list_name, file);
            }
        }
        let mut updates = Vec::new();
        for destination in &destinations {
            let existing = reader.list_item_records(destination.list)?;
            if existing.is_empty() {
                continue;
            }
            let incoming = destination.incoming();
            let comparison = reimport::compare(destination.list, &destination.name, &existing, &incoming);
            if let Some(refusal) = reimport::refusal(&reader, &comparison, &existing)? {
                return Err(refusal);
            }
            updates.push(comparison.update);
        }
        Ok(updates)
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

/// Where a file's items go, by name: the jurisdiction's own list (a street or community list
/// without `--unit`) or the list of a unit (`--unit`, else the file's department).
enum Owner {
    Jurisdiction,
    Unit(String),
}

fn owner_of(options: &ImportOptions, file: &FilePlan) -> Owner {
    let unit_name = options
        .unit
        .as_deref()
        .map(str::trim)
        .map(str::to_string)
        .or_else(|| file.department.clone());
    match (unit_name, options.list_kind.expected_level()) {
        // Street and community lists belong to the jurisdiction unless a unit is named.
        (_, Some(_)) if options.unit.is_none() => Owner::Jurisdiction,
        (Some(name), _) => Owner::Unit(name),
        (None, _) => Owner::Unit("未指定部门".to_string()),
    }
}

/// The jurisdiction the items are filed under: the one chosen; else the database's only
/// top-level one (for district lists); else the place the departments name; else 未指定辖区.
fn jurisdiction_name(reader: &Reader<'_>, plan: &ImportPlan) -> Result<String, StoreError> {
    if let Some(name) = &plan.options.jurisdiction {
        return Ok(name.trim().to_string());
    }
    let level = plan.options.list_kind.expected_level().unwrap_or(Level::District);
    let roots: Vec<Jurisdiction> = reader.jurisdictions()?.into_iter().filter(|j| j.parent.is_none()).collect();
    if roots.len() == 1 && level == Level::District {
        return Ok(roots[0].name.clone());
    }
    Ok(plan.place_of_departments().unwrap_or_else(|| "未指定辖区".to_string()))
}

/// One list an import writes, and the files going to it, in the order given: together they
/// are the list's new content.
struct Destination<'p> {
    list: Id,
    name: String,
    files: Vec<&'p FilePlan>,
}

impl<'p> Destination<'p> {
    fn incoming(&self) -> Vec<Incoming<'p>> {
        self.files
            .iter()
            .flat_map(|file| file.items.iter().map(move |item| Incoming { file, item }))
            .collect()
    }
}

fn add_destination<'p>(destinations: &mut Vec<Destination<'p>>, list: Id, name: String, file: &'p FilePlan) {
    match destinations.iter_mut().find(|d| d.list == list) {
        Some(destination) => destination.files.push(file),
        None => destinations.push(Destination { list, name, files: vec![file] }),
    }
}

/// Write `plan` with `writer`, inside the caller's transaction: first every file's list found
/// or created, then each list written — appended to when it had no items (as every import did
/// before), updated to its workbooks' content when it had some. A file without items among
/// files with items creates nothing (no unit, no list); its report names no list. A refusal
/// (see `reimport::refusal`) is put in `refused` and rolls the transaction back.
/// `lists_before` gets each destination list with its items as they were, for the undo.
fn commit(
    writer: &mut Writer<'_>,
    plan: &ImportPlan,
    refused: &mut Option<ApiError>,
    lists_before: &mut Vec<(Id, Vec<quanze_store::ItemRecord>)>,
) -> Result<ImportReport, StoreError> {
    let options = &plan.options;
    let kind: ListKind = options.list_kind;
    let level = kind.expected_level().unwrap_or(Level::District);
    let mut created_jurisdictions = Vec::new();
    let mut created_units = Vec::new();

    let jurisdiction_name = jurisdiction_name(&writer.reader(), plan)?;
    let jurisdiction = find_or_create_jurisdiction(
        writer,
        &jurisdiction_name,
        level,
        &mut created_jurisdictions,
    )?;

    let mut report = plan.report(false);
    report.items = 0;
    let mut destinations: Vec<Destination<'_>> = Vec::new();
    for (file, file_report) in plan.files.iter().zip(report.files.iter_mut()) {
        if file.items.is_empty() {
            continue;
        }
        let (unit, owner) = match owner_of(options, file) {
            Owner::Jurisdiction => (None, jurisdiction_name.clone()),
            Owner::Unit(name) => {
                let unit = find_or_create_unit(writer, jurisdiction, &name, &mut created_units)?;
                (Some(unit), writer.reader().unit(unit)?.name)
            }
        };
        let (list, list_name) = find_or_create_list(
            writer,
            jurisdiction,
            unit,
            kind,
            format!("{owner}{}", kind.label()),
        )?;
        file_report.jurisdiction = Some(jurisdiction_name.clone());
        file_report.unit = unit.map(|_| owner.clone());
        file_report.list = Some(list_name.clone());
        file_report.list_id = Some(list);
        report.items += file_report.items;
        add_destination(&mut destinations, list, list_name, file);
    }
    for destination in &destinations {
        let existing = writer.reader().list_item_records(destination.list)?;
        lists_before.push((destination.list, existing.clone()));
        if existing.is_empty() {
            for file in &destination.files {
                let position = writer.reader().item_counts()?.get(&destination.list).copied().unwrap_or(0);
                writer.insert_items(destination.list, position, &file.items, &item_run(file, &file.items))?;
            }
            continue;
        }
        let incoming = destination.incoming();
        let comparison = reimport::compare(destination.list, &destination.name, &existing, &incoming);
        if let Some(refusal) = reimport::refusal(&writer.reader(), &comparison, &existing)? {
            let message = refusal.message.clone();
            *refused = Some(refusal);
            return Err(StoreError::Invalid(message));
        }
        report.updates.push(reimport::write(writer, destination.list, &existing, &incoming, comparison)?);
    }
    report.created_jurisdictions = created_jurisdictions;
    report.created_units = created_units;
    Ok(report)
}

/// What the audit log says of a run of one file's items (one entry for all of them): the
/// file, its SHA-256 (which copy of the workbook it was) and the rows the items came from.
pub(crate) fn item_run(file: &FilePlan, items: &[Item]) -> ItemRun {
    let mut details = vec![
        ("文件".to_string(), file.report.path.clone()),
        ("SHA-256".to_string(), file.sha256.clone()),
    ];
    let mut sheets: Vec<(String, u32, u32)> = Vec::new();
    for provenance in items.iter().filter_map(|item| item.provenance.as_ref()) {
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
