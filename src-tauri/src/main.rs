//! 权责清单编辑器 — the desktop shell.
//!
//! Every command is a thin wrapper over [`quanze_api::Api`]: it takes the lock, calls one
//! method and returns its result. Errors cross to the UI as `ApiError { code, message }`.
//! The database at start is `$QUANZE_DB` when set, else the newest recent file that still
//! exists, else `quanze_api::default_database_path()`. The user can then open or create another
//! (打开数据库 / 新建数据库): the `Api` in the shell's state is swapped, the file is remembered in
//! the recent files (`quanze_api::workspace`, in `workspace::default_config_dir()`), and the
//! window title names it. 连接服务器… opens a database on a PostgreSQL server instead
//! (`connect_server`, over `Api::connect_server`; remembered without its password), and while it
//! is open a thread forwards what other people commit to the window as `server-change` events
//! (`ServerListener`, over `quanze_api::ServerChanges`); it stops when another database opens.
//! A lost listening connection is tried again every few seconds (`listen_again`); when it
//! answers, `server-feed-back` has the window read everything again.
//!
//! Work that can take seconds (an edit that renumbers a long list, checks, import) runs on
//! tokio's blocking pool (`on_blocking_pool`), so that the runtime's few worker threads stay free
//! for IPC and the window never waits on it; quick reads run as `async` commands directly.

#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

mod memory_env;
mod page_process;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use quanze_api::{
    absolute_typed_path, refuse_unasked_replace, TypedPath,
    AdmissionApplication, AdmissionDecision, AdmissionOutcome, Api, ApiError, AuditEntry, CheckRequest, EditBatch, EditOutcome, ErrorCode, ImportOptions,
    ImportPreview, ImportReport, ItemLocation, ItemPage, LoadCounts, LongWork, WorkProgress, NoticeFormat, NoticePreview,
    NoticeRequest, Overview, PostersWritten, PreviewOptions, Report, SearchHit,
    PublishRequest, Statistics, Organization, UnitStaffingEdit, VersionComparison,
    VersionSummary, WrittenFiles, PrintJob, PrintRequest, PrintService, Printer,
    BackupFile, RestoreOutcome, ExportRequest, ExportSummary, MergeOptions, MergeReport,
    ServerChanges, ServerLogin, FieldRef, ListFind, ListOutline,
};
use quanze_api::workspace::{self, RecentFile};
use quanze_api::page_renewal::PageRenewalAdvice;
use quanze_api::PosterChoices;
use quanze_domain::notice::PosterSettings;
use quanze_domain::{AdmissionRequest, CommitteeSeat, DutyList, Jurisdiction, Leader, ListKind, Unit, UnitKind, Waiver};
use quanze_api::{ListDeleted, NewList};
use tauri::ipc::Channel;
use tauri::{AppHandle, Emitter, Manager, State};

/// The database file in use, and the open database or why it could not be opened (shown by the
/// UI on every call).
struct OpenDatabase {
    path: PathBuf,
    api: Result<Api, ApiError>,
}

struct Database(Mutex<OpenDatabase>);

/// Where the recent files (and the window state) are kept.
struct ConfigDir(PathBuf);

fn poisoned() -> ApiError {
    ApiError::new(
        ErrorCode::Internal,
        "数据库连接因先前的错误不可用，请重启程序",
    )
}

/// A database on a server is reached through the `postgres` crate's blocking client, which runs
/// each call on a small runtime of its own and panics when called on one of the async runtime's
/// worker threads (where the `async` commands run: "Cannot start a runtime from within a
/// runtime"). There the work is marked as blocking (`block_in_place`: the worker's other tasks
/// move to another thread meanwhile); on any other thread, and for a file, it just runs.
fn allow_blocking<T>(on_server: bool, work: impl FnOnce() -> T) -> T {
    if on_server {
        tokio::task::block_in_place(work)
    } else {
        work()
    }
}

/// A command that ran this long gives the memory it freed back to the system afterwards.
const LONG_WORK: std::time::Duration = std::time::Duration::from_millis(300);

impl Database {
    fn with<T>(&self, f: impl FnOnce(&mut Api) -> Result<T, ApiError>) -> Result<T, ApiError> {
        let mut guard = self.0.lock().map_err(|_| poisoned())?;
        let started = std::time::Instant::now();
        let result = match guard.api.as_mut() {
            Ok(api) => allow_blocking(api.on_server(), || f(api)),
            Err(error) => Err(error.clone()),
        };
        drop(guard);
        // Long work (the checks, an import, an export) allocates much and frees it again; glibc
        // would keep it for the rest of the session (quanze-os-memory). Short requests (a page
        // of rows) are left alone: trimming after each would only add page faults.
        if started.elapsed() >= LONG_WORK {
            quanze_os_memory::return_freed_memory_to_system();
        }
        result
    }

    /// Use another database from now on (the previous one is closed: on a server, closing
    /// talks to it, see `allow_blocking`).
    fn replace(&self, path: PathBuf, api: Api) -> Result<(), ApiError> {
        let mut guard = self.0.lock().map_err(|_| poisoned())?;
        let previous = std::mem::replace(&mut *guard, OpenDatabase { path, api: Ok(api) });
        drop(guard);
        allow_blocking(previous.api.as_ref().is_ok_and(Api::on_server), move || drop(previous));
        Ok(())
    }

    fn path(&self) -> Result<PathBuf, ApiError> {
        Ok(self.0.lock().map_err(|_| poisoned())?.path.clone())
    }
}

/// Who the audit log names for the window's changes (操作人): the name chosen in the app and
/// kept in the settings folder (`workspace::operator`), else the OS user name. Process-wide, as
/// the OS user name it stands for: every command that writes needs it, most of them holding only
/// the `Database`. Set at start and by 设置操作人.
static OPERATOR: Mutex<String> = Mutex::new(String::new());

fn operator_name() -> String {
    match OPERATOR.lock() {
        Ok(name) if !name.is_empty() => name.clone(),
        _ => quanze_api::default_actor(),
    }
}

fn use_operator(operator: &workspace::Operator) {
    if let Ok(mut name) = OPERATOR.lock() {
        name.clone_from(&operator.name);
    }
}

/// 操作人: who the audit log names for this window's changes, and whether it was chosen.
#[tauri::command(async)]
fn operator(config: State<'_, ConfigDir>) -> Result<workspace::Operator, ApiError> {
    Ok(workspace::operator(&config.0))
}

/// 设置操作人: kept on this computer; an empty name goes back to the OS user name.
#[tauri::command(async)]
fn set_operator(config: State<'_, ConfigDir>, name: String) -> Result<workspace::Operator, ApiError> {
    let chosen = workspace::set_operator(&config.0, &name)?;
    use_operator(&chosen);
    Ok(chosen)
}

/// The cancellation flag of the work under way: 取消 sets it, the work checks it between steps.
/// Each new run gets a fresh flag, so a late 取消 of the previous one cannot stop it.
#[derive(Default)]
struct CancelFlag(Mutex<Arc<AtomicBool>>);

impl CancelFlag {
    /// A fresh flag for a new run; with `stop_previous`, the run before it is asked to stop.
    fn start(&self, stop_previous: bool) -> Result<Arc<AtomicBool>, ApiError> {
        let flag = Arc::new(AtomicBool::new(false));
        let previous = std::mem::replace(&mut *self.0.lock().map_err(|_| poisoned())?, Arc::clone(&flag));
        if stop_previous {
            previous.store(true, Ordering::Relaxed);
        }
        Ok(flag)
    }

    fn cancel(&self) -> Result<(), ApiError> {
        self.0.lock().map_err(|_| poisoned())?.store(true, Ordering::Relaxed);
        Ok(())
    }
}

/// The long work under way (an import, posters).
#[derive(Default)]
struct CurrentWork(CancelFlag);

/// The checks under way. Not `CurrentWork`'s flag: checks re-run by themselves after edits, and
/// must neither replace nor set the flag of an import or posters running at the same time. A
/// new run stops the one before: the UI keeps only the newest run's answer, and the older one
/// would hold the database until it finished.
#[derive(Default)]
struct CurrentChecks(CancelFlag);

/// Progress of long work, sent to the window on its channel (a closed window drops it).
fn forward_to(channel: &Channel<WorkProgress>) -> impl Fn(&WorkProgress) + Sync + '_ {
    move |progress: &WorkProgress| {
        let _ = channel.send(progress.clone());
    }
}

/// When the window's page is loaded again to let go of WebKit's memory (quanze_api::page_renewal):
/// one for the window, outliving the page's loads.
struct WindowPageRenewal(Mutex<quanze_api::page_renewal::PageRenewal>);

/// The place the page handed over for its next load (a renewal), handed out once, and when.
#[derive(Default)]
struct KeptPagePlace(Mutex<Option<(String, std::time::Instant)>>);

/// The page changes screen and could be loaded again now: whether it should. A renewal advised
/// is written to standard error (the E2E test of the renewal and the memory bench read it).
#[tauri::command]
fn page_renewal_advice(renewal: State<'_, WindowPageRenewal>) -> Result<PageRenewalAdvice, ApiError> {
    let reading = quanze_api::page_renewal::this_programs_web_process_mb();
    // A poisoned lock holds a valid policy (two numbers and an instant): it is used as it is.
    let advice = renewal.0.lock().unwrap_or_else(|e| e.into_inner()).advise(reading, std::time::Instant::now());
    if advice.renew {
        eprintln!(
            "页面重新载入以释放内存：网页进程 {} MB，本次最低 {} MB，界限 {} MB",
            advice.web_process_mb.unwrap_or(0),
            advice.lowest_mb.unwrap_or(0),
            advice.growth_bound_mb.unwrap_or(0)
        );
    }
    Ok(advice)
}

/// Renew the page: keep `place`, end the web process, load the page in a new one
/// (`page_process::load_page_anew`).
#[tauri::command]
fn renew_page(
    window: tauri::WebviewWindow,
    renewal: State<'_, WindowPageRenewal>,
    kept: State<'_, KeptPagePlace>,
    place: String,
) -> Result<(), ApiError> {
    if place.len() > quanze_api::page_renewal::MAX_PLACE_BYTES {
        return Err(ApiError::new(ErrorCode::InvalidInput, "页面的当前位置过大，未重新载入页面"));
    }
    *kept.0.lock().unwrap_or_else(|e| e.into_inner()) = Some((place, std::time::Instant::now()));
    let in_new_process = renewal.0.lock().unwrap_or_else(|e| e.into_inner()).in_new_process();
    page_process::load_page_anew(&window, in_new_process);
    Ok(())
}

/// The place the last renewal kept, handed out once (`None` at a start). Taking it is written to
/// standard error with the time since the renewal was asked for (the E2E test of a renewal in a
/// new process and scripts/probe_renewal_tour.py read it).
#[tauri::command]
fn take_page_place(kept: State<'_, KeptPagePlace>) -> Result<Option<String>, ApiError> {
    let taken = kept.0.lock().unwrap_or_else(|e| e.into_inner()).take();
    Ok(taken.map(|(place, asked)| {
        eprintln!("重新载入的页面已取回原来的位置（{} ms）", asked.elapsed().as_millis());
        place
    }))
}

/// 取消: ask the long work under way to stop at its next step.
#[tauri::command]
fn cancel_long_work(work: State<'_, CurrentWork>) -> Result<(), ApiError> {
    work.0.cancel()
}

const WINDOW_STATE: tauri_plugin_window_state::StateFlags =
    tauri_plugin_window_state::StateFlags::SIZE
        .union(tauri_plugin_window_state::StateFlags::POSITION)
        .union(tauri_plugin_window_state::StateFlags::MAXIMIZED);

/// Tells the saver thread that the window was resized or moved.
struct WindowStateSaver(Mutex<std::sync::mpsc::Sender<()>>);

/// The plugin writes the window state when the app exits normally; a thread of its own also
/// writes it after each burst of resizes and moves has been quiet for 0.7 s, so the state
/// survives the app being killed or the machine going down.
fn start_window_state_saver(app: AppHandle) -> WindowStateSaver {
    use tauri_plugin_window_state::AppHandleExt;
    let (changed, changes) = std::sync::mpsc::channel::<()>();
    std::thread::spawn(move || {
        while changes.recv().is_ok() {
            while changes.recv_timeout(std::time::Duration::from_millis(700)).is_ok() {}
            let _ = app.save_window_state(WINDOW_STATE);
        }
    });
    WindowStateSaver(Mutex::new(changed))
}

/// 打开 / 打开所在文件夹: a file this session wrote, or its folder, in the system's own program
/// (the user prints from there).
#[tauri::command]
fn open_written_file(written: State<'_, WrittenFiles>, path: String, folder: bool) -> Result<(), ApiError> {
    written.open(Path::new(&path), folder)
}

/// The printers of the system's print service, the default first (打印… form).
#[tauri::command(async)]
fn printers() -> Result<Vec<Printer>, ApiError> {
    PrintService::system().printers()
}

/// 打印: files this session wrote, as one job; any other path is refused.
#[tauri::command(async)]
fn print_files(written: State<'_, WrittenFiles>, request: PrintRequest) -> Result<PrintJob, ApiError> {
    PrintService::system().print_written(&written, &request)
}

/// A window at a size the screen it is on cannot show (its state saved on a larger monitor,
/// then restored on a 1366×768 laptop) is shrunk to the screen's work area and centred, so that
/// its title bar and lower edge can be reached. Called at start and after every resize: the
/// window-state plugin's restored size reaches GTK only later, as a resize.
fn fit_window_to_screen(window: &tauri::Window) {
    if window.is_maximized().unwrap_or(false) || window.is_fullscreen().unwrap_or(false) {
        return;
    }
    let monitor = window.current_monitor().ok().flatten().or_else(|| window.primary_monitor().ok().flatten());
    let (Some(monitor), Ok(outer), Ok(inner)) = (monitor, window.outer_size(), window.inner_size()) else {
        return;
    };
    let area = monitor.work_area();
    let (room, origin) = (area.size, area.position);
    if outer.width <= room.width && outer.height <= room.height {
        return;
    }
    // The frame (title bar, borders) stays; the content gets what is left.
    let frame = (outer.width.saturating_sub(inner.width), outer.height.saturating_sub(inner.height));
    let width = inner.width.min(room.width.saturating_sub(frame.0));
    let height = inner.height.min(room.height.saturating_sub(frame.1));
    eprintln!("窗口（{}×{}）大于屏幕可用区域（{}×{}），已缩小", outer.width, outer.height, room.width, room.height);
    let _ = window.set_size(tauri::PhysicalSize::new(width, height));
    // Centred by the new size (`center()` would still use the old one, placing the top above
    // the screen).
    let left = i32::try_from(room.width.saturating_sub(width + frame.0) / 2).unwrap_or(0);
    let top = i32::try_from(room.height.saturating_sub(height + frame.1) / 2).unwrap_or(0);
    let _ = window.set_position(tauri::PhysicalPosition::new(origin.x + left, origin.y + top));
}

/// The window title names the database, so two windows or a screenshot say which file is open.
fn show_database_in_title(app: &AppHandle, path: &Path) {
    if let Some(window) = app.get_webview_window("main") {
        let name = path
            .file_name()
            .map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned());
        let _ = window.set_title(&format!("{name}（{}）— 权责清单编辑器", path.display()));
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
fn list_outline(db: State<'_, Database>, list: u32) -> Result<ListOutline, ApiError> {
    db.with(|api| api.list_outline(list))
}

#[tauri::command(async)]
fn find_in_list(
    db: State<'_, Database>,
    list: u32,
    query: String,
    fields: Vec<FieldRef>,
) -> Result<ListFind, ApiError> {
    db.with(|api| api.find_in_list(list, &query, &fields))
}

#[tauri::command(async)]
fn search(db: State<'_, Database>, query: String, limit: u32) -> Result<Vec<SearchHit>, ApiError> {
    db.with(|api| api.search(&query, limit))
}

#[tauri::command(async)]
fn history(db: State<'_, Database>, limit: u32) -> Result<Vec<AuditEntry>, ApiError> {
    db.with(|api| api.history(limit))
}

/// Seconds of work (check, back up, write every list): on the blocking pool, like an import.
#[tauri::command]
async fn load_sample_district(app: AppHandle) -> Result<LoadCounts, ApiError> {
    on_blocking_pool(app, |api| api.load_sample_district(&operator_name())).await
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
        api.edit(&batch, &operator_name())
    })
    .await
}

/// 取消 in the checks panel: the checks under way stop before their next rule.
#[tauri::command]
fn cancel_checks(checks: State<'_, CurrentChecks>) -> Result<(), ApiError> {
    checks.0.cancel()
}

#[tauri::command]
async fn run_checks(
    app: AppHandle,
    jurisdiction: Option<u32>,
    on_progress: Channel<WorkProgress>,
) -> Result<Report, ApiError> {
    let request = CheckRequest {
        jurisdiction,
        // The admission time limits are counted to the local date (overdue requests).
        today: Some(quanze_api::local_today()),
        ..CheckRequest::default()
    };
    let cancelled = app.state::<CurrentChecks>().0.start(true)?;
    on_blocking_pool(app, move |api| {
        let forward = forward_to(&on_progress);
        api.check_with_progress(&request, &LongWork::new(&cancelled, &forward))
    })
    .await
}

#[tauri::command]
async fn waive(app: AppHandle, finding_key: String, reason: String) -> Result<Waiver, ApiError> {
    on_blocking_pool(app, move |api| {
        api.waive(&finding_key, &reason, &operator_name())
    })
    .await
}

/// 撤销豁免: the finding counts again; answers the waiver withdrawn.
#[tauri::command]
async fn withdraw_waiver(app: AppHandle, finding_key: String) -> Result<Waiver, ApiError> {
    on_blocking_pool(app, move |api| api.withdraw_waiver(&finding_key, &operator_name())).await
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
    on_progress: Channel<WorkProgress>,
) -> Result<ImportReport, ApiError> {
    let paths: Vec<PathBuf> = paths.into_iter().map(PathBuf::from).collect();
    let cancelled = app.state::<CurrentWork>().0.start(false)?;
    on_blocking_pool(app, move |api| {
        let forward = forward_to(&on_progress);
        let work = LongWork::new(&cancelled, &forward);
        api.import_files_with_progress(&paths, &options, &operator_name(), &work)
    })
    .await
}

/// 撤销导入: the last import of this session taken back.
#[tauri::command]
async fn undo_import(app: AppHandle) -> Result<quanze_api::ImportUndone, ApiError> {
    on_blocking_pool(app, move |api| api.undo_import(&operator_name())).await
}

#[tauri::command]
fn notice_fields(kind: ListKind) -> quanze_api::NoticeFields {
    quanze_api::notice_fields(kind)
}

#[tauri::command(async)]
fn notice_lists_of(db: State<'_, Database>, jurisdiction: u32) -> Result<Vec<u32>, ApiError> {
    db.with(|api| api.notice_lists_of(jurisdiction))
}

#[tauri::command]
async fn notice_preview(app: AppHandle, request: NoticeRequest) -> Result<NoticePreview, ApiError> {
    on_blocking_pool(app, move |api| api.notice_preview(&request)).await
}

/// Writes the notice and answers the path written; an existing file only when `replace` says
/// the user agreed (else code `file_exists`, and the window asks).
#[tauri::command]
async fn write_notice(
    app: AppHandle,
    request: NoticeRequest,
    format: NoticeFormat,
    path: String,
    replace: bool,
) -> Result<String, ApiError> {
    let out = absolute_typed_path(&path, TypedPath::Output)?;
    refuse_unasked_replace(&out, replace)?;
    let written = on_blocking_pool(app.clone(), move |api| {
        api.write_notice(&request, format, &out, None)?;
        Ok(out)
    })
    .await?;
    app.state::<WrittenFiles>().remember([written.clone()]);
    Ok(written.display().to_string())
}

/// 打印… in the 公示 screen: the notice as PDF in a temporary folder, remembered as written so
/// that the print form may send it; answers its path.
#[tauri::command]
async fn write_notice_for_printing(app: AppHandle, request: NoticeRequest) -> Result<String, ApiError> {
    let written = on_blocking_pool(app.clone(), move |api| api.write_notice_for_printing(&request)).await?;
    app.state::<WrittenFiles>().remember([written.clone()]);
    Ok(written.display().to_string())
}

#[tauri::command]
async fn write_posters(
    app: AppHandle,
    jurisdiction: u32,
    folder: String,
    single_file: bool,
    settings: Option<PosterSettings>,
    on_progress: Channel<WorkProgress>,
) -> Result<PostersWritten, ApiError> {
    let out = absolute_typed_path(&folder, TypedPath::Output)?;
    let cancelled = app.state::<CurrentWork>().0.start(false)?;
    let written = on_blocking_pool(app.clone(), move |api| {
        let forward = forward_to(&on_progress);
        let work = LongWork::new(&cancelled, &forward);
        api.write_posters_with_progress(jurisdiction, &out, single_file, settings.as_ref(), &work)
    })
    .await?;
    app.state::<WrittenFiles>()
        .remember(written.files.iter().map(PathBuf::from));
    Ok(written)
}

/// What a street's posters show (its saved settings or the default) and what can be chosen.
#[tauri::command(async)]
fn poster_choices(db: State<'_, Database>, jurisdiction: u32) -> Result<PosterChoices, ApiError> {
    db.with(|api| api.poster_choices(jurisdiction))
}

/// Keep poster settings as the street's own (`None`: back to the default).
#[tauri::command(async)]
fn save_poster_settings(
    db: State<'_, Database>,
    street: u32,
    settings: Option<PosterSettings>,
) -> Result<PosterChoices, ApiError> {
    db.with(|api| api.set_poster_settings(street, settings.as_ref(), &operator_name()))
}

#[tauri::command(async)]
fn street_organization(db: State<'_, Database>, street: u32) -> Result<Organization, ApiError> {
    // `street` is a street or a community (the command kept its first name).
    db.with(|api| api.organization(street))
}

#[tauri::command(async)]
fn org_chart_svg(db: State<'_, Database>, street: u32) -> Result<String, ApiError> {
    db.with(|api| api.org_chart_svg(street))
}

#[tauri::command(async)]
fn create_street(db: State<'_, Database>, district: u32, name: String) -> Result<Jurisdiction, ApiError> {
    db.with(|api| api.create_street(district, &name, &operator_name()))
}

#[tauri::command(async)]
fn create_units_from_template(
    db: State<'_, Database>,
    street: u32,
    template: String,
) -> Result<Organization, ApiError> {
    db.with(|api| api.create_units_from_template(street, &template, &operator_name()))
}

#[tauri::command(async)]
fn update_unit_staffing(db: State<'_, Database>, unit: u32, edit: UnitStaffingEdit) -> Result<Unit, ApiError> {
    db.with(|api| api.update_unit_staffing(unit, &edit, &operator_name()))
}

#[tauri::command(async)]
fn add_leader(
    db: State<'_, Database>,
    jurisdiction: u32,
    name: String,
    post: String,
    seats: Option<Vec<CommitteeSeat>>,
) -> Result<Leader, ApiError> {
    let seats = seats.unwrap_or_default();
    db.with(|api| api.add_leader(jurisdiction, &name, &post, &seats, &operator_name()))
}

/// 新增下级辖区 (a district at the top when `parent` is none).
#[tauri::command(async)]
fn create_jurisdiction(
    db: State<'_, Database>,
    parent: Option<u32>,
    name: String,
    designation: Option<String>,
) -> Result<Jurisdiction, ApiError> {
    db.with(|api| api.create_jurisdiction(parent, &name, designation.as_deref(), &operator_name()))
}

#[tauri::command(async)]
fn rename_jurisdiction(
    db: State<'_, Database>,
    jurisdiction: u32,
    name: String,
    designation: Option<String>,
) -> Result<Jurisdiction, ApiError> {
    db.with(|api| api.rename_jurisdiction(jurisdiction, &name, designation.as_deref(), &operator_name()))
}

#[tauri::command(async)]
fn delete_jurisdiction(db: State<'_, Database>, jurisdiction: u32) -> Result<Jurisdiction, ApiError> {
    db.with(|api| api.delete_jurisdiction(jurisdiction, &operator_name()))
}

/// The units of one jurisdiction (a district's departments too).
#[tauri::command(async)]
fn units_of(db: State<'_, Database>, jurisdiction: u32) -> Result<Vec<Unit>, ApiError> {
    db.with(|api| api.units_of(jurisdiction))
}

#[tauri::command(async)]
fn create_unit(db: State<'_, Database>, jurisdiction: u32, name: String, kind: UnitKind) -> Result<Unit, ApiError> {
    db.with(|api| api.create_unit(jurisdiction, &name, kind, &operator_name()))
}

#[tauri::command(async)]
fn rename_unit(db: State<'_, Database>, unit: u32, name: String) -> Result<Unit, ApiError> {
    db.with(|api| api.rename_unit(unit, &name, &operator_name()))
}

#[tauri::command(async)]
fn delete_unit(db: State<'_, Database>, unit: u32) -> Result<Unit, ApiError> {
    db.with(|api| api.delete_unit(unit, &operator_name()))
}

#[tauri::command(async)]
fn create_list(db: State<'_, Database>, list: NewList) -> Result<DutyList, ApiError> {
    db.with(|api| api.create_list(&list, &operator_name()))
}

#[tauri::command(async)]
fn rename_list(db: State<'_, Database>, list: u32, name: String) -> Result<DutyList, ApiError> {
    db.with(|api| api.rename_list(list, &name, &operator_name()))
}

/// A list with its items; on the blocking pool, as a long list deletes thousands of rows.
#[tauri::command]
async fn delete_list(app: AppHandle, list: u32) -> Result<ListDeleted, ApiError> {
    let operator = operator_name();
    on_blocking_pool(app, move |api| api.delete_list(list, &operator)).await
}

/// Admission requests, oldest first (one community's when given).
#[tauri::command(async)]
fn admission_requests(
    db: State<'_, Database>,
    community: Option<u32>,
) -> Result<Vec<AdmissionRequest>, ApiError> {
    db.with(|api| api.admission_requests(community))
}

#[tauri::command]
async fn apply_for_admission(
    app: AppHandle,
    application: AdmissionApplication,
) -> Result<AdmissionRequest, ApiError> {
    on_blocking_pool(app, move |api| {
        api.apply_for_admission(application, &operator_name())
    })
    .await
}

#[tauri::command]
async fn decide_admission(
    app: AppHandle,
    decision: AdmissionDecision,
) -> Result<AdmissionOutcome, ApiError> {
    on_blocking_pool(app, move |api| {
        api.decide_admission(decision, &operator_name())
    })
    .await
}

/// One application for several communities or a whole street: one request per community.
#[tauri::command]
async fn apply_for_admissions(
    app: AppHandle,
    application: AdmissionApplication,
) -> Result<quanze_api::AdmissionApplied, ApiError> {
    on_blocking_pool(app, move |api| {
        api.apply_for_admissions(application, &operator_name())
    })
    .await
}

/// The requests waiting for a decision across communities, overdue counted to the local date.
#[tauri::command(async)]
fn pending_admissions(db: State<'_, Database>) -> Result<Vec<quanze_api::PendingAdmission>, ApiError> {
    db.with(|api| api.pending_admissions(quanze_api::local_today()))
}

/// A request's 社区工作事项准入审批表 as PDF to a path the user gives; remembered as written.
#[tauri::command]
async fn write_admission_form(app: AppHandle, request: u32, path: String) -> Result<String, ApiError> {
    let out = absolute_typed_path(&path, TypedPath::Output)?;
    let written = on_blocking_pool(app.clone(), move |api| {
        api.write_admission_form(request, &out)?;
        Ok(out)
    })
    .await?;
    app.state::<WrittenFiles>().remember([written.clone()]);
    Ok(written.display().to_string())
}

#[tauri::command]
async fn publish_version(app: AppHandle, request: PublishRequest) -> Result<VersionSummary, ApiError> {
    on_blocking_pool(app, move |api| {
        api.publish_version(request, &operator_name())
    })
    .await
}

#[tauri::command(async)]
fn versions_of(db: State<'_, Database>, list: u32) -> Result<Vec<VersionSummary>, ApiError> {
    db.with(|api| api.versions_of(list))
}

#[tauri::command]
async fn compare_with_version(app: AppHandle, version: u32) -> Result<VersionComparison, ApiError> {
    on_blocking_pool(app, move |api| api.compare_with_version(version)).await
}

/// Two versions of a list compared (the older one is the base), or one with the list now.
#[tauri::command]
async fn compare_versions(app: AppHandle, from: u32, to: Option<u32>) -> Result<VersionComparison, ApiError> {
    on_blocking_pool(app, move |api| api.compare_versions(from, to)).await
}

/// The 调整公告 between two versions of a list, written to a path the user gives; remembered
/// as written. Answers the path.
#[tauri::command]
async fn write_adjustment_notice(
    app: AppHandle,
    request: quanze_api::AdjustmentNoticeRequest,
    format: NoticeFormat,
    path: String,
) -> Result<String, ApiError> {
    let out = absolute_typed_path(&path, TypedPath::Output)?;
    let written = on_blocking_pool(app.clone(), move |api| {
        api.write_adjustment_notice(&request, format, &out, None)?;
        Ok(out)
    })
    .await?;
    app.state::<WrittenFiles>().remember([written.clone()]);
    Ok(written.display().to_string())
}

/// 调整申请 of a list (made to it, or moving an item into it), or of all lists; only one
/// state's when given.
#[tauri::command(async)]
fn change_requests(
    db: State<'_, Database>,
    list: Option<u32>,
    state: Option<quanze_domain::ChangeState>,
) -> Result<Vec<quanze_domain::ChangeRequest>, ApiError> {
    db.with(|api| api.change_requests(list, state))
}

#[tauri::command]
async fn propose_change(
    app: AppHandle,
    proposal: quanze_api::ChangeProposal,
) -> Result<quanze_domain::ChangeRequest, ApiError> {
    on_blocking_pool(app, move |api| api.propose_change(&proposal, &operator_name())).await
}

/// A review step; 同意 applies the change to the list(s) in the same transaction.
#[tauri::command]
async fn review_change(
    app: AppHandle,
    review: quanze_api::ChangeReview,
) -> Result<quanze_domain::ChangeRequest, ApiError> {
    on_blocking_pool(app, move |api| api.review_change(&review, &operator_name())).await
}

#[tauri::command]
async fn statistics(app: AppHandle, jurisdiction: Option<u32>) -> Result<Statistics, ApiError> {
    on_blocking_pool(app, move |api| api.statistics(jurisdiction)).await
}

/// 导出数据包…: a package of a jurisdiction written to `out` (and kept here as the base its
/// return is merged against); remembered as written, for 打开所在文件夹.
#[tauri::command]
async fn export_package(app: AppHandle, request: ExportRequest, out: String) -> Result<ExportSummary, ApiError> {
    let out = absolute_typed_path(&out, TypedPath::Output)?;
    let summary = on_blocking_pool(app.clone(), move |api| {
        api.export_package(&request, &out, &operator_name())
    })
    .await?;
    app.state::<WrittenFiles>().remember([PathBuf::from(&summary.path)]);
    Ok(summary)
}

/// 合并数据包…: the three-way report of the package in `path`, applied unless
/// `options.dry_run` or a conflict is left undecided.
#[tauri::command]
async fn merge_package(app: AppHandle, path: String, options: MergeOptions) -> Result<MergeReport, ApiError> {
    on_blocking_pool(app, move |api| {
        api.merge_package_file(&PathBuf::from(path), &options, &operator_name())
    })
    .await
}

/// The 发出单位 a package names when the user gives none.
#[tauri::command(async)]
fn default_office(db: State<'_, Database>) -> Result<String, ApiError> {
    db.with(|api| api.default_office())
}

/// The database file in use (also when it could not be opened).
#[tauri::command(async)]
fn database_path(db: State<'_, Database>) -> Result<String, ApiError> {
    Ok(db.path()?.display().to_string())
}

#[tauri::command(async)]
fn recent_files(config: State<'_, ConfigDir>) -> Result<Vec<RecentFile>, ApiError> {
    workspace::recent_files(&config.0)
}

#[tauri::command(async)]
fn forget_recent_file(config: State<'_, ConfigDir>, path: String) -> Result<Vec<RecentFile>, ApiError> {
    workspace::forget_recent_file(&config.0, Path::new(&path))
}

/// Switch to `api` at `path`: swap it in, remember the file, name it in the title.
fn switch_database(app: &AppHandle, path: PathBuf, api: Api) -> Result<Vec<RecentFile>, ApiError> {
    app.state::<ServerListener>().stop();
    app.state::<Database>().replace(path.clone(), api)?;
    show_database_in_title(app, &path);
    workspace::remember_recent_file(&app.state::<ConfigDir>().0, &path)
}

/// 打开数据库: an existing Quanze database file; answers the recent files.
#[tauri::command]
async fn open_database(app: AppHandle, path: String) -> Result<Vec<RecentFile>, ApiError> {
    let path = absolute_typed_path(&path, TypedPath::Database)?;
    let api = tauri::async_runtime::spawn_blocking({
        let path = path.clone();
        move || Api::open_existing(&path)
    })
    .await
    .map_err(|error| ApiError::new(ErrorCode::Internal, format!("后台任务意外中止：{error}")))??;
    switch_database(&app, path, api)
}

/// The event that carries one of other people's changes (`quanze_api::ServerChange`) to the window.
const SERVER_CHANGE_EVENT: &str = "server-change";
/// The event that says the connection that listens was lost (an `ApiError`): changes are no
/// longer shown as they happen.
const SERVER_FEED_LOST_EVENT: &str = "server-feed-lost";
/// The event that says changes are heard again after `server-feed-lost`: what others changed
/// meanwhile was not heard, so the window reads everything it shows again.
const SERVER_FEED_BACK_EVENT: &str = "server-feed-back";
/// How long the listening thread waits for a change before it looks whether it should stop.
const SERVER_LISTEN_WAIT: std::time::Duration = std::time::Duration::from_millis(500);
/// How often a lost listening connection is tried again (a restart of the office's server
/// takes seconds; trying more often only adds refused connections to its log).
const SERVER_RETRY_EVERY: std::time::Duration = std::time::Duration::from_secs(5);

/// The thread that forwards other people's changes of the open server database to the window,
/// by its stop flag (none while a file is open).
#[derive(Default)]
struct ServerListener(Mutex<Option<Arc<AtomicBool>>>);

impl ServerListener {
    /// The previous thread stops within its next wait, and its connection closes.
    fn stop(&self) {
        if let Some(flag) = self.0.lock().ok().and_then(|mut running| running.take()) {
            flag.store(true, Ordering::Relaxed);
        }
    }

    fn start(&self, app: AppHandle, mut changes: ServerChanges) {
        self.stop();
        let stop = Arc::new(AtomicBool::new(false));
        if let Ok(mut running) = self.0.lock() {
            *running = Some(Arc::clone(&stop));
        }
        std::thread::spawn(move || {
            while !stop.load(Ordering::Relaxed) {
                match changes.next(SERVER_LISTEN_WAIT) {
                    Ok(heard) => {
                        for change in heard.into_iter().take_while(|_| !stop.load(Ordering::Relaxed)) {
                            let _ = app.emit(SERVER_CHANGE_EVENT, change);
                        }
                    }
                    Err(error) => {
                        if stop.load(Ordering::Relaxed) {
                            return;
                        }
                        eprintln!("不再收到服务器上的修改：{}", error.message);
                        let _ = app.emit(SERVER_FEED_LOST_EVENT, error);
                        let Some(again) = listen_again(&app, &stop) else { return };
                        changes = again;
                        let _ = app.emit(SERVER_FEED_BACK_EVENT, ());
                    }
                }
            }
        });
    }
}

/// Try every [`SERVER_RETRY_EVERY`] to hear the open server database's changes again, until it
/// answers (the new feed) or the listener is stopped or another database is opened (`None`).
/// The feed comes from the app's `Api`, so it knows the app's own connection as it is now
/// (a lost one is opened anew by the store: a new server process, a new id).
fn listen_again(app: &AppHandle, stop: &AtomicBool) -> Option<ServerChanges> {
    loop {
        let waited = std::time::Instant::now();
        while waited.elapsed() < SERVER_RETRY_EVERY {
            if stop.load(Ordering::Relaxed) {
                return None;
            }
            std::thread::sleep(SERVER_LISTEN_WAIT);
        }
        match app.state::<Database>().with(|api| api.server_changes()) {
            Ok(Some(changes)) if !stop.load(Ordering::Relaxed) => return Some(changes),
            Ok(_) => return None,
            Err(error) => eprintln!("仍未连上服务器：{}", error.message),
        }
    }
}

/// 连接服务器…: the Quanze database on a PostgreSQL server becomes the app's database; other
/// people's changes come to the window from now on. Answers the recent files, where the server
/// is kept without its password.
#[tauri::command]
async fn connect_server(app: AppHandle, login: ServerLogin) -> Result<Vec<RecentFile>, ApiError> {
    let address = login.address.checked()?;
    let (api, changes) = tauri::async_runtime::spawn_blocking(move || {
        let api = Api::connect_server(&login)?;
        let changes = api.server_changes()?;
        Ok::<_, ApiError>((api, changes))
    })
    .await
    .map_err(|error| ApiError::new(ErrorCode::Internal, format!("后台任务意外中止：{error}")))??;
    app.state::<ServerListener>().stop();
    app.state::<Database>().replace(PathBuf::from(address.shown()), api)?;
    if let Some(window) = app.get_webview_window("main") {
        let _ = window.set_title(&format!("{} — 权责清单编辑器", address.label()));
    }
    if let Some(changes) = changes {
        app.state::<ServerListener>().start(app.clone(), changes);
    }
    workspace::remember_recent_server(&app.state::<ConfigDir>().0, &address)
}

/// 新建数据库: a new empty database file (an existing file is refused); answers the recent files.
#[tauri::command]
async fn create_database(app: AppHandle, path: String) -> Result<Vec<RecentFile>, ApiError> {
    let path = absolute_typed_path(&path, TypedPath::Database)?;
    let api = Api::create_new(&path)?;
    switch_database(&app, path, api)
}

/// 备份与恢复: the backups in the folder beside the database, newest first.
#[tauri::command]
async fn backups(app: AppHandle) -> Result<Vec<BackupFile>, ApiError> {
    on_blocking_pool(app, |api| api.backups()).await
}

/// 立即备份: a verified backup into the backup folder (reason 手动, never rotated away).
#[tauri::command]
async fn backup_now(app: AppHandle) -> Result<BackupFile, ApiError> {
    on_blocking_pool(app, |api| api.backup_now(None)).await
}

/// 恢复所选…: the backup replaces the database after an automatic 恢复前 backup of it.
#[tauri::command]
async fn restore_backup(app: AppHandle, path: String) -> Result<RestoreOutcome, ApiError> {
    let path = absolute_typed_path(&path, TypedPath::Database)?;
    on_blocking_pool(app, move |api| api.restore_backup(&path)).await
}

/// How often the scheduled backup looks whether the database changed since the newest backup.
const SCHEDULED_BACKUP_EVERY: std::time::Duration = std::time::Duration::from_secs(30 * 60);

/// The scheduled automatic backup (定时) while the app runs: every 30 minutes, when the open
/// database changed since its newest backup (`Api::scheduled_backup`); a failure is logged.
fn start_scheduled_backups(app: AppHandle) {
    std::thread::spawn(move || loop {
        std::thread::sleep(SCHEDULED_BACKUP_EVERY);
        if let Err(error) = app.state::<Database>().with(|api| api.scheduled_backup()) {
            eprintln!("定时备份未能完成：{}", error.message);
        }
    });
}

/// `quanze-desktop --check-embedded-assets`: unpacks every file of the UI embedded in this
/// binary and prints `<bytes>\t<path>` for each on stdout; exits with 1 when one does not unpack.
///
/// Why: Tauri compresses each UI file into a cache shared by every compilation of this crate
/// and skips a file that already exists there, so two compilations running at once (the binary
/// and its test harness under `cargo test`) could embed a half-written file. The window then
/// stays empty because the main script does not load; three runs (one of them CI) failed so. The
/// end-to-end tests run this check first and compare the sizes with `ui/dist`.
fn check_embedded_assets(context: &tauri::Context<tauri::Wry>) -> i32 {
    let assets = context.assets();
    let mut broken = 0;
    for (key, _) in assets.iter() {
        match assets.get(&tauri::utils::assets::AssetKey::from(key.as_ref())) {
            Some(bytes) => println!("{}\t{key}", bytes.len()),
            None => {
                eprintln!("界面文件已损坏，无法解压：{key}");
                broken += 1;
            }
        }
    }
    i32::from(broken > 0)
}

/// The handler of the commands listed in `ipc_commands.rs` (see there).
macro_rules! ipc_commands {
    ($($command:ident),* $(,)?) => {
        tauri::generate_handler![$($command),*]
    };
}

/// The memory settings read when a process starts (`memory_env.rs`: glibc's arenas, JavaScriptCore's
/// heap sizing in WebKit's web process, WebKitGTK's compositing off): when one is not set, the
/// program starts itself again with it (same process id: `exec`; WebKit's processes inherit it).
/// `mallopt` would need unsafe code (forbidden here). Set a variable to opt out of it.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn set_memory_environment() {
    use std::os::unix::process::CommandExt;
    let missing = memory_env::missing_settings(|name| std::env::var_os(name));
    if missing.is_empty() {
        return;
    }
    let Ok(program) = std::env::current_exe() else {
        return;
    };
    let mut args = std::env::args_os();
    let name = args.next().unwrap_or_else(|| program.clone().into_os_string());
    let error = std::process::Command::new(&program)
        .arg0(name)
        .args(args)
        .envs(missing.iter().copied())
        .exec();
    // Only reached when the exec failed: go on as we are.
    eprintln!("无法以内存设置（{missing:?}）重新启动（{error}），继续运行");
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn set_memory_environment() {}

/// WebKit's memory limit for the web process (docs/benchmarks.md, "WebKit's memory limit"; the
/// 50,000-item list and every screen in turn, `scripts/probe_memory_limit.py`). Above 100 MB
/// (always, at work) WebKit makes its cheap release every 5 s: 7–20 MB less, no cost measured.
/// The strict release (caches, compiled code, garbage) only above 500 MB, a ceiling far above
/// the working size: made within it, it saved 20–80 MB but froze the page for up to 320 ms at
/// every look.
const WEB_PROCESS_MEMORY_LIMIT: quanze_webkit_memory::WebProcessMemoryLimit = quanze_webkit_memory::WebProcessMemoryLimit {
    limit_mb: 1000,
    conservative_fraction: 0.1,
    strict_fraction: 0.5,
    poll_seconds: 5.0,
};

/// WebKit's memory limit for the page's web process (crates/quanze-webkit-memory, issue 18): set
/// while Tauri builds the app, after GTK is up and before the window's web context is built.
/// `QUANZE_WEB_MEMORY_LIMIT` overrides it (`off`: WebKit's defaults; or `MB,温和,严格,秒`).
fn web_process_memory_limit<R: tauri::Runtime>() -> tauri::plugin::TauriPlugin<R> {
    use quanze_webkit_memory::WebProcessMemoryLimit;
    tauri::plugin::Builder::new("web-process-memory-limit")
        .setup(|_app, _api| {
            let limit = match std::env::var("QUANZE_WEB_MEMORY_LIMIT") {
                Err(_) => Some(WEB_PROCESS_MEMORY_LIMIT),
                Ok(setting) => WebProcessMemoryLimit::from_setting(&setting).unwrap_or_else(|message| {
                    eprintln!("{message}；使用默认的内存上限");
                    Some(WEB_PROCESS_MEMORY_LIMIT)
                }),
            };
            if let Some(limit) = limit {
                if let Err(message) = quanze_webkit_memory::apply_to_web_contexts_built_from_now(limit) {
                    eprintln!("无法设置网页进程的内存上限：{message}");
                }
            }
            Ok(())
        })
        .build()
}

fn main() {
    set_memory_environment();
    let context = tauri::generate_context!();
    if std::env::args().nth(1).as_deref() == Some("--check-embedded-assets") {
        std::process::exit(check_embedded_assets(&context));
    }
    let config_dir = workspace::default_config_dir();
    // The window-state file lives there too; the plugin does not create the folder itself.
    let _ = std::fs::create_dir_all(&config_dir);
    let path = workspace::database_to_open_at_start(&config_dir);
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        // Api::open reports a missing directory as an error the UI shows; try to make it first.
        let _ = std::fs::create_dir_all(dir);
    }
    let api = Api::open(&path);
    match &api {
        Ok(_) => {
            if let Err(error) = workspace::remember_recent_file(&config_dir, &path) {
                eprintln!("无法记录最近打开的文件：{}", error.message);
            }
        }
        Err(error) => eprintln!("无法打开数据库 {}：{}", path.display(), error.message),
    }
    use_operator(&workspace::operator(&config_dir));
    let window_state_file = config_dir.join("window-state.json").display().to_string();
    let title_path = path.clone();
    tauri::Builder::default()
        // Native open/save dialogs for the paths of exports: the window may ask for a path, and
        // the chosen path is then passed to our own commands (no file-system access from JS).
        .plugin(tauri_plugin_dialog::init())
        // Size, position and maximized state of the window are kept between runs; the plugin
        // saves them from Rust, so the window gets none of its commands.
        .plugin(
            tauri_plugin_window_state::Builder::new()
                .with_state_flags(WINDOW_STATE)
                // An absolute path: kept beside the recent files ($QUANZE_CONFIG_DIR in tests).
                .with_filename(window_state_file)
                .build(),
        )
        .plugin(web_process_memory_limit())
        .manage(Database(Mutex::new(OpenDatabase { path, api })))
        .manage(ConfigDir(config_dir))
        .manage(CurrentWork::default())
        .manage(CurrentChecks::default())
        .manage(WindowPageRenewal(Mutex::new(quanze_api::page_renewal::PageRenewal::from_environment())))
        .manage(KeptPagePlace::default())
        .manage(WrittenFiles::default())
        .manage(ServerListener::default())
        .setup(move |app| {
            show_database_in_title(app.handle(), &title_path);
            if let Some(window) = app.get_webview_window("main") {
                fit_window_to_screen(&window.as_ref().window());
                page_process::reload_page_when_its_process_ends(&window);
            }
            app.manage(start_window_state_saver(app.handle().clone()));
            start_scheduled_backups(app.handle().clone());
            Ok(())
        })
        .on_window_event(|window, event| {
            if matches!(event, tauri::WindowEvent::Resized(_)) {
                fit_window_to_screen(window);
            }
            if matches!(event, tauri::WindowEvent::Resized(_) | tauri::WindowEvent::Moved(_)) {
                if let Some(saver) = window.app_handle().try_state::<WindowStateSaver>() {
                    if let Ok(changed) = saver.0.lock() {
                        let _ = changed.send(());
                    }
                }
            }
        })
        .invoke_handler(include!("ipc_commands.rs"))
        .run(context)
        .unwrap_or_else(|error| {
            eprintln!("权责清单编辑器无法启动：{error}");
            std::process::exit(1);
        });
}
