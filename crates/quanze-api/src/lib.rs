//! # quanze-api
//!
//! Everything Quanze can do, as plain functions over an open database, with inputs and outputs
//! that serialize to JSON. The `quanze` CLI and the desktop shell's `#[tauri::command]`s are
//! thin callers of this crate, so any behaviour of the app can be tested without a window.
//!
//! - [`Api`]: one open database; reads (overview, pages of items, search, history, dump) and
//!   writes (load a bundle or the sample district), every write audited by the store.
//! - [`ApiError`]: the one error that crosses the boundary: a closed [`ErrorCode`] the UI
//!   branches on, and a Chinese message it shows.
//! - [`bindings`]: the TypeScript declarations of every type that crosses the boundary, written
//!   to `ui/src/api/bindings.ts`; a test fails when that file is stale.

mod adjustment_notice;
mod admission;
mod admission_form;
mod admission_pending;
pub mod atomic_file;
mod backend_move;
mod backup;
mod change_requests;
pub mod bindings;
mod checks;
mod edit;
mod error;
mod exchange;
mod import;
mod list_outline;
mod lookup;
mod reimport;
mod server;
mod notice;
mod org_chart;
mod org_setup;
pub mod page_restart;
pub mod page_renewal;
mod posters;
mod printing;
mod progress;
mod publishing;
mod statistics;
pub mod structure;
mod typed_paths;
mod import_undo;
mod versions;
mod views;
pub mod workspace;
mod written_files;

use std::path::{Path, PathBuf};

use quanze_domain::{Bundle, Id};
pub use quanze_store::AuditEntry;
use quanze_store::Store;

pub use adjustment_notice::AdjustmentNoticeRequest;
pub use admission::{AdmissionApplication, AdmissionApplied, AdmissionDecision, AdmissionOutcome};
pub use admission_pending::PendingAdmission;
pub use backend_move::migrate_database;
pub use quanze_store::{CopyReport, TableCopied};
pub use backup::{backup_folder, RestoreOutcome, KEEP_AUTOMATIC_BACKUPS};
pub use import_undo::ImportUndone;
pub use quanze_store::{remove_database_files, BackupFile, BackupReason};
pub use change_requests::{ChangeProposal, ChangeReview};
pub use checks::{local_today, shipped_calendar, shipped_org_templates, CheckRequest, SHIPPED_CALENDAR_YAML};
pub use error::{ApiError, ErrorCode};
pub use exchange::{
    read_package_file, Conflict, ConflictDecision, EntityChange, ExportRequest, ExportSummary, FieldChange, MergeOptions,
    MergeReport, PackageSummary, Side, WHOLE_ENTITY,
};
pub use edit::{
    EditBatch, EditOutcome, FieldRef, FieldValue, ItemEdit, ItemField, ItemLocation, NewItem,
    PlacedItem, Placement,
};
pub use quanze_checks::{Finding, Report};
pub use quanze_import::{
    render_report, ImportOptions, ImportPreview, ImportReport, ListUpdate, PreviewOptions, SheetOverride,
};
pub use notice::{
    default_notice_fields, notice_field_header, notice_fields, NoticeFields, NoticeFormat, NoticePreview,
    NoticeRequest, notice_columns, NOTICE_PREVIEW_CSS_HREF,
};
pub use posters::{checked_poster_settings, PosterChoices, PostersWritten};
pub use progress::{LongWork, WorkProgress};
pub use org_setup::{Organization, UnitStaffingEdit};
pub use printing::{PrintJob, PrintRequest, PrintService, Printer, MAX_COPIES};
pub use quanze_store::LoadCounts;
pub use statistics::{Count, ReceivedWithdrawal, Statistics, STATISTICS_UNIT_LIMIT};
pub use publishing::PublishRequest;
pub use structure::{ListDeleted, NewList};
pub use versions::{ChangeReason, ChangedItem, FieldDifference, TransferredItem, VersionComparison, VersionSummary};
pub use written_files::WrittenFiles;
pub use server::{ServerAddress, ServerChange, ServerChanges, ServerLogin, DEFAULT_PORT};
pub use typed_paths::{absolute_typed_path, refuse_unasked_replace, TypedPath};
pub use list_outline::{ExtraHeader, FoundRow, ListFind, ListOutline, MAX_FIND_CHARS, MAX_FIND_FIELDS};
pub use views::{ItemPage, JurisdictionNode, ListSummary, Overview, SearchHit};

/// The sample district written by this project (`sample-data/sample-district.yaml`), built in
/// so that the app can offer it on first run wherever it is installed.
pub const SAMPLE_DISTRICT_YAML: &str = include_str!("../../../sample-data/sample-district.yaml");

/// Largest page of items one call returns.
pub const MAX_PAGE: u32 = 5_000;

/// Where the app keeps its database unless told otherwise: `$QUANZE_DB` when set; otherwise
/// `%APPDATA%\Quanze\quanze.db` on Windows, `$XDG_DATA_HOME/quanze/quanze.db` (default
/// `~/.local/share/quanze/quanze.db`) elsewhere.
pub fn default_database_path() -> PathBuf {
    let env = |name: &str| std::env::var_os(name).filter(|v| !v.is_empty());
    if let Some(path) = env("QUANZE_DB") {
        return PathBuf::from(path);
    }
    if cfg!(windows) {
        if let Some(appdata) = env("APPDATA") {
            return PathBuf::from(appdata).join("Quanze").join("quanze.db");
        }
    }
    let data = env("XDG_DATA_HOME")
        .map(PathBuf::from)
        .or_else(|| env("HOME").map(|home| PathBuf::from(home).join(".local").join("share")))
        .unwrap_or_else(|| PathBuf::from("."));
    data.join("quanze").join("quanze.db")
}

/// An open Quanze database and the operations on it.
#[derive(Debug)]
pub struct Api {
    store: Store,
    /// What undoes the last import of this session (`import_undo.rs`), while nothing else has
    /// been written since.
    last_import: Option<import_undo::ImportUndo>,
}

impl Api {
    /// Open (creating and migrating as needed) the database at `path`.
    pub fn open(path: &Path) -> Result<Api, ApiError> {
        Ok(Api {
            store: Store::open(path)?,
            last_import: None,
        })
    }

    /// Open a database file the user picked (打开数据库): unlike [`Api::open`], a missing file is
    /// an error rather than a new empty database, so a mistyped or moved path is noticed.
    pub fn open_existing(path: &Path) -> Result<Api, ApiError> {
        if !path.is_file() {
            return Err(ApiError::new(
                ErrorCode::NotFound,
                format!("找不到数据库文件：{}", path.display()),
            ));
        }
        Api::open(path)
    }

    /// Create a new, empty database file (新建数据库). An existing file is refused, never
    /// overwritten or silently opened instead.
    pub fn create_new(path: &Path) -> Result<Api, ApiError> {
        if path.exists() {
            return Err(ApiError::invalid_input(format!(
                "文件已存在：{}。请换一个文件名，或用“打开数据库”打开它。",
                path.display()
            )));
        }
        Api::open(path)
    }

    /// A throwaway in-memory database (dry runs, tests).
    pub fn open_in_memory() -> Result<Api, ApiError> {
        Ok(Api {
            store: Store::open_in_memory()?,
            last_import: None,
        })
    }

    pub fn database_path(&self) -> &Path {
        self.store.path()
    }

    /// Whether the database was opened read-only (see [`quanze_store::Access`]): reads work,
    /// every change is refused with [`ErrorCode::ReadOnly`].
    pub fn read_only(&self) -> bool {
        self.store.access() == quanze_store::Access::ReadOnly
    }

    /// The jurisdiction tree with counts, every list, and whether the database is empty.
    pub fn overview(&self) -> Result<Overview, ApiError> {
        let overview = views::overview(&self.store.reader(), &self.store.path().display().to_string())?;
        Ok(Overview {
            read_only: self.read_only(),
            ..overview
        })
    }

    /// Every list with its jurisdiction, unit and item count.
    pub fn lists(&self) -> Result<Vec<ListSummary>, ApiError> {
        views::list_summaries(&self.store.reader())
    }

    /// A page of a list's items (at most [`MAX_PAGE`]).
    pub fn list_items(&self, list: Id, offset: u32, limit: u32) -> Result<ItemPage, ApiError> {
        views::item_page(&self.store.reader(), list, offset, limit.min(MAX_PAGE))
    }

    /// A list's order (item ids by position) and the columns its items need, without the
    /// items: the list editor reads the rows it shows by page with [`Api::list_items`].
    pub fn list_outline(&self, list: Id) -> Result<ListOutline, ApiError> {
        list_outline::list_outline(&self.store.reader(), list)
    }

    /// The rows of a list whose cells in `fields` hold `query` (trimmed, case-insensitive), as
    /// the editor's find box shows them; at most [`MAX_FIND_CHARS`] and [`MAX_FIND_FIELDS`].
    pub fn find_in_list(&self, list: Id, query: &str, fields: &[FieldRef]) -> Result<ListFind, ApiError> {
        list_outline::find_in_list(&self.store.reader(), list, query, fields)
    }

    /// Items whose name or content contains every term of `query` (see the store's search).
    pub fn search(&self, query: &str, limit: u32) -> Result<Vec<SearchHit>, ApiError> {
        views::search(&self.store.reader(), query, limit.min(MAX_PAGE))
    }

    /// The newest audit-log entries, newest first.
    pub fn history(&self, limit: u32) -> Result<Vec<AuditEntry>, ApiError> {
        Ok(self.store.reader().audit_log(limit, None)?)
    }

    /// How many entries the audit log holds (every change ever made to this database).
    pub fn audit_entry_count(&self) -> Result<u64, ApiError> {
        Ok(u64::try_from(self.store.reader().audit_count()?).unwrap_or(0))
    }

    /// The audit log of one item.
    pub fn item_history(&self, item: Id, limit: u32) -> Result<Vec<AuditEntry>, ApiError> {
        Ok(self.store.reader().audit_log(limit, Some(("事项", item)))?)
    }

    /// Parse, validate and load a bundle (YAML, or JSON when `text` starts with `{`), in one
    /// transaction. `source` names the text in messages (a file name).
    pub fn load_bundle_text(
        &mut self,
        text: &str,
        source: &str,
        actor: &str,
    ) -> Result<LoadCounts, ApiError> {
        let parsed = if text.trim_start().starts_with('{') {
            Bundle::from_json(text)
        } else {
            Bundle::from_yaml(text)
        };
        let bundle = parsed.map_err(|e| ApiError::invalid_bundle(source, &e))?;
        // Entities already here (by uid) came back — a package sent and returned, a dump loaded
        // twice: loading would copy every jurisdiction and list. Merging recognises them.
        if self.store.reader().holds_any_of(&bundle)? {
            return Err(ApiError::invalid_input(format!(
                "{source} 中的内容本库已有（相同标识）：再次载入会产生副本。请用“合并数据包”（quanze merge）"
            )));
        }
        self.backup_before(BackupReason::BeforeLoad)?;
        let reason = format!("载入数据包 {source}");
        Ok(self.store.write(actor, Some(&reason), |w| {
            let counts = w.load_bundle(&bundle)?;
            // A package loaded into a new database (a street's first copy) is the base its
            // edits will be merged against when they go back.
            if bundle.package.is_some() {
                w.record_package(&bundle, quanze_store::exchange::Direction::Received)?;
            }
            Ok(counts)
        })?)
    }

    /// [`Api::load_bundle_text`] for a file.
    pub fn load_bundle_file(&mut self, path: &Path, actor: &str) -> Result<LoadCounts, ApiError> {
        let text = std::fs::read_to_string(path).map_err(|e| ApiError::read(path, &e))?;
        let name = path.display().to_string();
        self.load_bundle_text(&text, &name, actor)
    }

    /// Load the built-in sample district.
    pub fn load_sample_district(&mut self, actor: &str) -> Result<LoadCounts, ApiError> {
        self.load_bundle_text(SAMPLE_DISTRICT_YAML, "示例辖区", actor)
    }

    /// The whole database as a bundle.
    pub fn dump(&self) -> Result<Bundle, ApiError> {
        Ok(self.store.reader().dump()?)
    }
}

/// Who is acting, for the audit log, when the caller does not say: the OS user name.
pub fn default_actor() -> String {
    ["USER", "USERNAME", "LOGNAME"]
        .iter()
        .find_map(|name| std::env::var(name).ok().filter(|v| !v.is_empty()))
        .unwrap_or_else(|| "本机用户".to_string())
}
