//! The end-to-end harness for test files other than `e2e.rs`: the app binary in a real
//! WebKitGTK window under Xvfb, driven through tauri-driver, on a throwaway database and
//! settings folder. A smaller copy of `e2e.rs`'s harness (which is not shared, to leave that
//! file as it is), with the screen size as a parameter: a test about small screens runs on a
//! 1366×768 one. Needs what `e2e.rs` needs (see tests/e2e/README.md); outside CI a missing
//! tauri-driver skips the test with a message, under `CI=true` it fails it.

#![allow(dead_code)] // each test file uses the part it needs

use std::io::{BufRead, BufReader};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::json;

mod screenshot;

pub const APP: &str = env!("CARGO_BIN_EXE_quanze-desktop");
pub const WAIT: Duration = Duration::from_secs(60);

/// One app window at a time within a test binary.
pub static SERIAL: Mutex<()> = Mutex::new(());

/// What the app and tauri-driver of the current run wrote (standard output and error, a line
/// each): emptied when a driver starts.
static APP_OUTPUT: Mutex<Vec<String>> = Mutex::new(Vec::new());

/// The lines the app and tauri-driver of the current run wrote so far.
pub fn app_output() -> Vec<String> {
    APP_OUTPUT.lock().unwrap_or_else(|e| e.into_inner()).clone()
}

pub type TestResult<T = ()> = Result<T, Box<dyn std::error::Error>>;

/// `assert!` that returns an error, so that a failing test still closes its window.
#[macro_export]
macro_rules! check {
    ($cond:expr, $($msg:tt)+) => {
        if !$cond {
            return Err(format!($($msg)+).into());
        }
    };
}

pub fn under_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "0" && v != "false")
}

pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().map(Path::to_path_buf).unwrap_or_else(|| PathBuf::from("."))
}

fn find_program(name: &str) -> Option<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::env::var_os("PATH").map(|p| std::env::split_paths(&p).collect()).unwrap_or_default();
    if let Some(home) = std::env::var_os("CARGO_HOME") {
        dirs.push(PathBuf::from(home).join("bin"));
    }
    if let Some(home) = std::env::var_os("HOME") {
        dirs.push(PathBuf::from(home).join(".cargo").join("bin"));
    }
    dirs.into_iter().map(|d| d.join(name)).find(|p| p.is_file())
}

/// What a run needs: tauri-driver and xvfb-run (these tests always start their own Xvfb, for
/// its screen size).
pub struct Setup {
    tauri_driver: PathBuf,
    xvfb_run: PathBuf,
}

/// `Some(setup)` to run, `None` to skip (tauri-driver missing outside CI).
pub fn setup_or_skip(test: &str) -> Option<Setup> {
    let Some(tauri_driver) = find_program("tauri-driver") else {
        let why = "tauri-driver not found on PATH or in ~/.cargo/bin";
        if under_ci() {
            panic!("{test}: cannot run the end-to-end test under CI: {why}");
        }
        use std::io::Write;
        let _ = writeln!(std::io::stderr(), "SKIPPED {test}: {why}; under CI=true this fails instead");
        return None;
    };
    assert!(
        cfg!(feature = "custom-protocol"),
        "{test}: build with `--features custom-protocol` so that the app loads ui/dist"
    );
    assert!(repo_root().join("ui/dist/index.html").is_file(), "{test}: ui/dist is missing: `npm run build` in ui/");
    assert!(find_program("WebKitWebDriver").is_some(), "{test}: WebKitWebDriver not found");
    let xvfb_run = find_program("xvfb-run").unwrap_or_else(|| panic!("{test}: xvfb-run not found"));
    Some(Setup { tauri_driver, xvfb_run })
}

/// The settings folder of a run (`QUANZE_CONFIG_DIR`): beside its database.
pub fn config_dir_of(db: &Path) -> PathBuf {
    db.parent().unwrap_or(Path::new(".")).join("quanze-config")
}

fn free_port() -> TestResult<u16> {
    Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

/// tauri-driver under its own Xvfb, in a process group of its own, ended with everything it
/// started when dropped.
pub struct Driver {
    child: Child,
    port: u16,
}

impl Driver {
    /// Start on a screen of `screen` (e.g. "1366x768") with the database `db`.
    pub fn start(setup: &Setup, db: &Path, screen: &str) -> TestResult<Driver> {
        Self::start_with(setup, db, screen, &[])
    }

    /// Started with `variables` set for the app besides the run's own.
    pub fn start_with(setup: &Setup, db: &Path, screen: &str, variables: &[(&str, &str)]) -> TestResult<Driver> {
        use std::os::unix::process::CommandExt;
        let port = free_port()?;
        let native_port = free_port()?;
        let run = db.parent().unwrap_or(Path::new(".")).to_path_buf();
        APP_OUTPUT.lock().unwrap_or_else(|e| e.into_inner()).clear();
        let mut child = Command::new(&setup.xvfb_run)
            .args(["-a", "-s", &format!("-screen 0 {screen}x24")])
            .arg(&setup.tauri_driver)
            .args(["--port", &port.to_string(), "--native-port", &native_port.to_string()])
            .env("QUANZE_DB", db)
            .env("QUANZE_CONFIG_DIR", config_dir_of(db))
            .env("XDG_DATA_HOME", run.join("xdg-data"))
            .env("XDG_CACHE_HOME", run.join("xdg-cache"))
            // No renewal of the page in the middle of a test's steps (e2e.rs tests it).
            .env("QUANZE_PAGE_RENEWAL_MB", "off")
            .envs(variables.iter().copied())
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .process_group(0)
            .spawn()?;
        for stream in [
            child.stdout.take().map(|s| Box::new(s) as Box<dyn std::io::Read + Send>),
            child.stderr.take().map(|s| Box::new(s) as Box<dyn std::io::Read + Send>),
        ]
        .into_iter()
        .flatten()
        {
            std::thread::spawn(move || {
                for line in BufReader::new(stream).lines().map_while(Result::ok) {
                    eprintln!("  [app/driver] {line}");
                    APP_OUTPUT.lock().unwrap_or_else(|e| e.into_inner()).push(line);
                }
            });
        }
        let driver = Driver { child, port };
        let deadline = Instant::now() + Duration::from_secs(30);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            if Instant::now() > deadline {
                return Err("tauri-driver did not start listening within 30 s".into());
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        Ok(driver)
    }

    pub async fn session(&self) -> TestResult<Client> {
        let mut caps = serde_json::Map::new();
        caps.insert("browserName".into(), json!("wry"));
        caps.insert("tauri:options".into(), json!({ "application": APP }));
        Ok(ClientBuilder::native().capabilities(caps).connect(&format!("http://127.0.0.1:{}", self.port)).await?)
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        let group = format!("-{}", self.child.id());
        for signal in ["-TERM", "-KILL"] {
            let _ = Command::new("kill").args([signal, "--", &group]).stderr(Stdio::null()).status();
            if matches!(self.child.try_wait(), Ok(Some(_))) {
                break;
            }
            std::thread::sleep(Duration::from_millis(500));
        }
        let _ = self.child.wait();
    }
}

pub fn css(selector: &str) -> Locator<'_> {
    Locator::Css(selector)
}

/// Poll until `probe` gives `Some`, or fail naming `what`.
pub async fn poll<T>(what: &str, mut probe: impl AsyncFnMut() -> Option<T>) -> TestResult<T> {
    let deadline = Instant::now() + WAIT;
    loop {
        if let Ok(Some(found)) = tokio::time::timeout(Duration::from_secs(10), probe()).await {
            return Ok(found);
        }
        if Instant::now() > deadline {
            return Err(format!("timed out after {WAIT:?} waiting for {what}").into());
        }
        tokio::time::sleep(Duration::from_millis(150)).await;
    }
}

pub async fn element(client: &Client, selector: &str) -> TestResult<Element> {
    poll(&format!("element `{selector}`"), async || client.find(css(selector)).await.ok()).await
}

/// Click an element once it is there, holds still and is not covered: its box read twice,
/// 120 ms apart, the same both times, and the point at its centre inside it. A click on an
/// Element Plus menu item while the menu was still fading in was lost (CI of stop 33,
/// e2e_navigation: 所选清单改名… clicked, the menu left open, no dialog). After 3 s an element
/// that never passes the hit test is clicked anyway. `e2e.rs` has its own, which also knows the grid.
pub async fn click_when_still(client: &Client, selector: &str) -> TestResult {
    const BOX: &str = "const el = document.querySelector(arguments[0]); if (!el) return null; \
        const r = el.getBoundingClientRect(); if (r.width === 0 || r.height === 0) return null; \
        const at = document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2); \
        return [r.x, r.y, r.width, r.height, !!at && (at === el || el.contains(at))];";
    let started = Instant::now();
    poll(&format!("a click on `{selector}`"), async || {
        let first = client.execute(BOX, vec![json!(selector)]).await.ok()?;
        tokio::time::sleep(Duration::from_millis(120)).await;
        let second = client.execute(BOX, vec![json!(selector)]).await.ok()?;
        let still = !second.is_null() && first == second;
        let reached = second.get(4) == Some(&json!(true)) || started.elapsed() > Duration::from_secs(3);
        if !(still && reached) {
            return None;
        }
        client.find(css(selector)).await.ok()?.click().await.ok()
    })
    .await
}

/// Run JavaScript and read its value.
pub async fn script(client: &Client, source: &str) -> TestResult<serde_json::Value> {
    Ok(client.execute(source, vec![]).await?)
}

pub async fn screenshot(client: &Client, name: &str) -> TestResult<PathBuf> {
    screenshot::screenshot_into(client, &repo_root(), name).await
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().expect("tokio runtime")
}

/// Run `body` in the app's window on a `screen`-sized display with the database `db`; a
/// failure leaves a screenshot named after the test in tests/artifacts/.
pub fn in_window(test: &str, db: &Path, screen: &str, body: impl AsyncFnOnce(&Client) -> TestResult) -> TestResult {
    in_window_with(test, db, screen, &[], body)
}

/// [`in_window`] with `variables` set for the app ([`Driver::start_with`]).
pub fn in_window_with(
    test: &str,
    db: &Path,
    screen: &str,
    variables: &[(&str, &str)],
    body: impl AsyncFnOnce(&Client) -> TestResult,
) -> TestResult {
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let Some(setup) = setup_or_skip(test) else {
        return Ok(());
    };
    let driver = Driver::start_with(&setup, db, screen, variables)?;
    runtime().block_on(async {
        let client = driver.session().await?;
        let outcome = body(&client).await;
        if outcome.is_err() {
            let _ = screenshot(&client, &format!("{test}-FAILED")).await;
        }
        let _ = client.close().await;
        outcome
    })
}
