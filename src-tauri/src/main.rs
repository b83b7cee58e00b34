//! 权责清单编辑器 — the desktop shell.
//!
//! Every command is a thin wrapper over [`quanze_api::Api`]: it takes the lock, calls one
//! method and returns its result. Errors cross to the UI as `ApiError { code, message }`.
//! The database is `quanze_api::default_database_path()` (`$QUANZE_DB` when set).
//!
//! Work that can take seconds (an edit that renumbers a long list, checks, import) runs on
//! tokio's blocking pool (`on_blocking_pool`), so that the runtime's few worker threads stay free
//! for IPC and the window never waits on it; quick reads run as `async` commands directly.

#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

use std::path::PathBuf;
use std::sync::Mutex;

use quanze_api::{
    Api, ApiError, AuditEntry, CheckRequest, EditBatch, EditOutcome, ErrorCode, ImportOptions,
    ImportPreview, ImportReport, ItemLocation, ItemPage, LoadCounts, Overview, PreviewOptions,
    Report, SearchHit,
};
use quanze_domain::Waiver;
use tauri::{AppHandle, Manager, State};

/// The open database, or why it could not be opened (shown by the UI on every call).
struct Database(Mutex<Result<Api, ApiError>>);

impl Database {
    fn with<T>(&self, f: impl FnOnce(&mut Api) -> Result<T, ApiError>) -> Result<T, ApiError> {
        let mut guard = self.0.lock().map_err(|_| {
            ApiError::new(
                ErrorCode::Internal,
                "数据库连接因先前的错误不可用，请重启程序",
            )
        })?;
        match guard.as_mut() {
            Ok(api) => f(api),
            Err(error) => Err(error.clone()),
        }
    }
}

/// Run `f` on the open database on tokio's blocking pool.
async fn on_blocking_pool<T: Send + 'static>(
    app: AppHandle,
    f: impl FnOnce(&mut Api) -> Result<T, ApiError> + Send + 'static,
) -> Result<T, ApiError> {
    tauri::async_runtime::spawn_blocking(move || app.state::<Database>().with(f))
        .await
        .map_err(|error| ApiError::new(ErrorCode::Internal, format!("后台任务意外中止：{error}")))?
}

#[tauri::command(async)]
fn overview(db: State<'_, Database>) -> Result<Overview, ApiError> {
    db.with(|api| api.overview())
}

#[tauri::command(async)]
fn list_items(
    db: State<'_, Database>,
    list: u32,
    offset: u32,
    limit: u32,
) -> Result<ItemPage, ApiError> {
    db.with(|api| api.list_items(list, offset, limit))
}

#[tauri::command(async)]
fn search(db: State<'_, Database>, query: String, limit: u32) -> Result<Vec<SearchHit>, ApiError> {
    db.with(|api| api.search(&query, limit))
}

#[tauri::command(async)]
fn history(db: State<'_, Database>, limit: u32) -> Result<Vec<AuditEntry>, ApiError> {
    db.with(|api| api.history(limit))
}

#[tauri::command(async)]
fn load_sample_district(db: State<'_, Database>) -> Result<LoadCounts, ApiError> {
    db.with(|api| api.load_sample_district(&quanze_api::default_actor()))
}

#[tauri::command(async)]
fn item_history(
    db: State<'_, Database>,
    item: u32,
    limit: u32,
) -> Result<Vec<AuditEntry>, ApiError> {
    db.with(|api| api.item_history(item, limit))
}

#[tauri::command(async)]
fn item_location(db: State<'_, Database>, item: u32) -> Result<ItemLocation, ApiError> {
    db.with(|api| api.item_location(item))
}

#[tauri::command]
async fn edit_items(app: AppHandle, batch: EditBatch) -> Result<EditOutcome, ApiError> {
    on_blocking_pool(app, move |api| {
        api.edit(&batch, &quanze_api::default_actor())
    })
    .await
}

#[tauri::command]
async fn run_checks(app: AppHandle, jurisdiction: Option<u32>) -> Result<Report, ApiError> {
    let request = CheckRequest {
        jurisdiction,
        ..CheckRequest::default()
    };
    on_blocking_pool(app, move |api| api.check(&request)).await
}

#[tauri::command]
async fn waive(app: AppHandle, finding_key: String, reason: String) -> Result<Waiver, ApiError> {
    on_blocking_pool(app, move |api| {
        api.waive(&finding_key, &reason, &quanze_api::default_actor())
    })
    .await
}

#[tauri::command]
async fn import_preview(
    app: AppHandle,
    path: String,
    options: PreviewOptions,
) -> Result<ImportPreview, ApiError> {
    on_blocking_pool(app, move |api| {
        api.import_preview(&PathBuf::from(path), &options)
    })
    .await
}

#[tauri::command]
async fn import_files(
    app: AppHandle,
    paths: Vec<String>,
    options: ImportOptions,
) -> Result<ImportReport, ApiError> {
    let paths: Vec<PathBuf> = paths.into_iter().map(PathBuf::from).collect();
    on_blocking_pool(app, move |api| {
        api.import_files(&paths, &options, &quanze_api::default_actor())
    })
    .await
}

fn main() {
    let path = quanze_api::default_database_path();
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        // Api::open reports a missing directory as an error the UI shows; try to make it first.
        let _ = std::fs::create_dir_all(dir);
    }
    let api = Api::open(&path);
    if let Err(error) = &api {
        eprintln!("无法打开数据库 {}：{}", path.display(), error.message);
    }
    tauri::Builder::default()
        .manage(Database(Mutex::new(api)))
        .invoke_handler(tauri::generate_handler![
            overview,
            list_items,
            search,
            history,
            load_sample_district,
            item_history,
            item_location,
            edit_items,
            run_checks,
            waive,
            import_preview,
            import_files
        ])
        .run(tauri::generate_context!())
        .unwrap_or_else(|error| {
            eprintln!("权责清单编辑器无法启动：{error}");
            std::process::exit(1);
        });
}
