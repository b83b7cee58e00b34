//! 权责清单编辑器 — the desktop shell.
//!
//! Every command is a thin wrapper over [`quanze_api::Api`]: it takes the lock, calls one
//! method and returns its result. Errors cross to the UI as `ApiError { code, message }`.
//! The database is `quanze_api::default_database_path()` (`$QUANZE_DB` when set).

#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

use std::sync::Mutex;

use quanze_api::{Api, ApiError, AuditEntry, ErrorCode, ItemPage, LoadCounts, Overview, SearchHit};
use tauri::State;

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
            load_sample_district
        ])
        .run(tauri::generate_context!())
        .unwrap_or_else(|error| {
            eprintln!("权责清单编辑器无法启动：{error}");
            std::process::exit(1);
        });
}
