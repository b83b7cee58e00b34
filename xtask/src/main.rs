//! # xtask
//!
//! The project's two front doors, so that a fresh Debian/Ubuntu machine with a Rust toolchain
//! needs nothing else typed by hand:
//!
//! - `cargo xtask run`  — install what is missing, build the UI and the app, load the sample
//!   district into the default database when it is empty, and open the app on it.
//! - `cargo xtask test` — install what is missing and run every test: the Rust workspace (unit,
//!   integration, CLI contract, bindings staleness; the store against a throwaway PostgreSQL
//!   cluster too), the fuzz targets replaying their seeds, the UI's Vitest tests and type
//!   check, and the end-to-end test that drives the real app window under Xvfb.
//!
//! Each step prints what it runs. Installation uses apt (through sudo when not root), npm and
//! `cargo install`, and is skipped when the thing is already there.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

/// Debian packages needed to build the desktop app (`docs/domain.md` §8).
const BUILD_PACKAGES: &[&str] = &[
    "libwebkit2gtk-4.1-dev",
    "libgtk-3-dev",
    "librsvg2-dev",
    "libayatana-appindicator3-dev",
    "libxdo-dev",
    "libssl-dev",
    "build-essential",
    "pkg-config",
    "file",
];

/// Debian packages needed to run the app and its end-to-end tests: a virtual display, the
/// WebKit WebDriver, and CJK fonts (without them Chinese renders as boxes).
const TEST_PACKAGES: &[&str] = &[
    "xvfb",
    "xauth",
    "webkit2gtk-driver",
    "fonts-noto-cjk",
    // 楷体 for the "（一）" headings of PDF notices (AR PL UKai CN), GB/T 9704 §7.3.3.
    "fonts-arphic-ukai",
    "fonts-wqy-microhei",
    // Liberation Sans, metric-compatible with Arial 10, the default font of the Excel notices:
    // LibreOffice converts a column's width (in digits of that font) to points with it. Without
    // it DejaVu Sans's wider digits made every column wider, and fit-to-width printed a real
    // list at 79 % (print_with_libreoffice.rs; seen on a machine without the package).
    "fonts-liberation2",
    // pdftotext / pdffonts / pdfinfo / pdftoppm check the PDF notices in tests.
    "poppler-utils",
    // Independent renderers the export tests print through: the org-chart SVG (rsvg-convert),
    // the Excel notice (LibreOffice), the HTML notice (Chromium's print to PDF).
    "librsvg2-bin",
    "libreoffice-calc-nogui",
    "chromium",
    // The store's tests run against PostgreSQL too (a throwaway cluster, scripts/pg-throwaway.sh;
    // pg_trgm is in contrib).
    "postgresql",
    "postgresql-contrib",
];

type Outcome = Result<(), String>;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
}

fn show(command: &Command) -> String {
    let mut text = command.get_program().to_string_lossy().into_owned();
    for arg in command.get_args() {
        text.push(' ');
        text.push_str(&arg.to_string_lossy());
    }
    text
}

fn run(command: &mut Command) -> Outcome {
    eprintln!("\n==> {}", show(command));
    let status = command
        .status()
        .map_err(|e| format!("无法运行 {}：{e}", show(command)))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("命令失败（{status}）：{}", show(command)))
    }
}

fn succeeds(program: &str, args: &[&str]) -> bool {
    Command::new(program)
        .args(args)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

fn on_path(program: &str) -> bool {
    succeeds("sh", &["-c", &format!("command -v {program}")])
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

fn apt_install(packages: &[&str]) -> Outcome {
    let missing: Vec<&str> = packages
        .iter()
        .copied()
        .filter(|p| {
            !Command::new("dpkg-query")
                .args(["-W", "-f=${Status}", p])
                .output()
                .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).contains("install ok installed"))
        })
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    if !on_path("apt-get") {
        return Err(format!(
            "缺少系统软件包 {}，且本机没有 apt-get：请用系统的包管理器安装它们",
            missing.join(" ")
        ));
    }
    let apt = |args: &[&str]| -> Command {
        let mut command = if is_root() {
            Command::new("apt-get")
        } else {
            let mut sudo = Command::new("sudo");
            sudo.arg("apt-get");
            sudo
        };
        command.args(args).env("DEBIAN_FRONTEND", "noninteractive");
        command
    };
    run(&mut apt(&["update", "-q"]))?;
    let mut install = apt(&["install", "-y", "-q", "--no-install-recommends"]);
    install.args(&missing);
    run(&mut install)
}

fn ensure_node() -> Outcome {
    if on_path("node") && on_path("npm") {
        return Ok(());
    }
    apt_install(&["nodejs", "npm"])
}

fn ui_dir() -> PathBuf {
    root().join("ui")
}

fn npm(args: &[&str]) -> Command {
    let mut command = Command::new("npm");
    command.args(args).current_dir(ui_dir());
    command
}

/// `npm ci` when node_modules is missing or older than the lock file.
fn ensure_ui_dependencies() -> Outcome {
    ensure_node()?;
    let modified = |p: &Path| std::fs::metadata(p).and_then(|m| m.modified()).ok();
    let lock = modified(&ui_dir().join("package-lock.json"));
    let installed = modified(&ui_dir().join("node_modules").join(".package-lock.json"));
    match (lock, installed) {
        (Some(lock), Some(installed)) if installed >= lock => Ok(()),
        _ => run(npm(&["ci", "--no-audit", "--no-fund"]).arg("--loglevel=error")),
    }
}

fn cargo() -> Command {
    let mut command = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    command.current_dir(root());
    command
}

fn cargo_bin_dir() -> PathBuf {
    std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")))
        .unwrap_or_else(|| PathBuf::from(".cargo"))
        .join("bin")
}

fn ensure_tauri_driver() -> Outcome {
    if on_path("tauri-driver") || cargo_bin_dir().join("tauri-driver").exists() {
        return Ok(());
    }
    run(cargo().args(["install", "tauri-driver", "--version", "^2", "--locked"]))
}

/// PATH with cargo's bin directory first, so a freshly installed tauri-driver is found.
fn path_with_cargo_bin() -> std::ffi::OsString {
    let mut paths = vec![cargo_bin_dir()];
    if let Some(path) = std::env::var_os("PATH") {
        paths.extend(std::env::split_paths(&path));
    }
    std::env::join_paths(paths).unwrap_or_default()
}

const DESKTOP_FEATURES: &str = "custom-protocol";

/// A throwaway PostgreSQL cluster for the store's tests (`scripts/pg-throwaway.sh`,
/// docs/server.md), stopped and deleted when dropped. When `QUANZE_TEST_PG` is set already, that
/// server is used and nothing is started.
struct TestServer {
    url: String,
    folder: Option<String>,
}

impl TestServer {
    fn start() -> Result<TestServer, String> {
        if let Some(url) = std::env::var("QUANZE_TEST_PG").ok().filter(|u| !u.is_empty()) {
            return Ok(TestServer { url, folder: None });
        }
        let script = root().join("scripts").join("pg-throwaway.sh");
        eprintln!("\n==> {} start", script.display());
        let output = Command::new(&script)
            .arg("start")
            .stderr(std::process::Stdio::inherit())
            .output()
            .map_err(|e| format!("无法运行 {}：{e}", script.display()))?;
        if !output.status.success() {
            return Err(format!("无法启动测试用的 PostgreSQL（{}）", output.status));
        }
        let printed = String::from_utf8_lossy(&output.stdout);
        let value = |key: &str| {
            printed
                .lines()
                .find_map(|line| line.strip_prefix(key).and_then(|rest| rest.strip_prefix('=')))
                .map(str::to_string)
        };
        match (value("QUANZE_TEST_PG"), value("QUANZE_TEST_PG_DIR")) {
            (Some(url), Some(folder)) => Ok(TestServer { url, folder: Some(folder) }),
            _ => Err(format!("{} 没有给出 QUANZE_TEST_PG：{printed}", script.display())),
        }
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        if let Some(folder) = &self.folder {
            let script = root().join("scripts").join("pg-throwaway.sh");
            let _ = run(Command::new(script).arg("stop").arg(folder));
        }
    }
}

fn build_ui() -> Outcome {
    ensure_ui_dependencies()?;
    run(&mut npm(&["run", "build"]))
}

fn test() -> Outcome {
    apt_install(BUILD_PACKAGES)?;
    apt_install(TEST_PACKAGES)?;
    ensure_ui_dependencies()?;
    ensure_tauri_driver()?;

    // 1. The Tauri-free workspace: domain, store, api (with the bindings staleness test), CLI,
    //    and the web process's memory limit (WebKitGTK; its test starts an Xvfb of its own).
    //    The store's PostgreSQL tests use a throwaway cluster, stopped right after.
    let server = TestServer::start()?;
    let workspace = run(cargo()
        .args(["test", "--workspace", "--exclude", "quanze-desktop", "--exclude", "xtask"])
        .env("QUANZE_TEST_PG", &server.url));
    // 1a. The API's tests that open their database through `backends::fresh_api` run again,
    //     each on a database of its own on the server (issue 19: both backends pass the same
    //     suite; crates/quanze-api/tests/backends/mod.rs).
    let on_server = workspace.and_then(|()| {
        run(cargo()
            .args(["test", "-p", "quanze-api"])
            .args(api_tests_on_both_backends()?.iter().flat_map(|name| ["--test", name.as_str()]))
            .env("QUANZE_TEST_PG", &server.url)
            .env("QUANZE_TEST_BACKEND", "postgresql"))
    });
    drop(server);
    on_server?;
    // 1b. The fuzz targets' bodies replay their committed seeds (`fuzz/seeds/<target>/`) on
    //     stable Rust, without libFuzzer (`docs/fuzzing.md`). fuzz/ is a project of its own;
    //     built into the workspace's target folder with the same lock file versions and dev
    //     profile, it reuses most of what step 1 compiled.
    run(cargo()
        .args(["test", "--manifest-path", "fuzz/Cargo.toml", "--no-default-features", "--locked"])
        .env("CARGO_TARGET_DIR", root().join("target")))?;
    // 2. The UI: unit tests, then type check and production build (also what the app loads).
    run(&mut npm(&["test"]))?;
    build_ui()?;
    // 3. The real app under a virtual display, driven through WebDriver.
    run(cargo()
        .args(["test", "-p", "quanze-desktop", "--features", DESKTOP_FEATURES])
        .env("PATH", path_with_cargo_bin()))?;
    Ok(())
}

/// The API test files that open their database through `backends::fresh_api` (found by
/// reading them, so that a new one is run on both backends without being listed here).
fn api_tests_on_both_backends() -> Result<Vec<String>, String> {
    let folder = root().join("crates").join("quanze-api").join("tests");
    let entries = std::fs::read_dir(&folder).map_err(|e| format!("{}：{e}", folder.display()))?;
    let mut names = Vec::new();
    for entry in entries {
        let path = entry.map_err(|e| e.to_string())?.path();
        let is_test_file = path.extension().is_some_and(|e| e == "rs");
        if is_test_file && std::fs::read_to_string(&path).is_ok_and(|text| text.contains("backends::fresh_api")) {
            if let Some(stem) = path.file_stem().and_then(|s| s.to_str()) {
                names.push(stem.to_string());
            }
        }
    }
    names.sort();
    if names.is_empty() {
        return Err(format!("{} 中没有使用 backends::fresh_api 的测试", folder.display()));
    }
    Ok(names)
}

fn app_run() -> Outcome {
    apt_install(BUILD_PACKAGES)?;
    apt_install(&["fonts-noto-cjk"])?;
    build_ui()?;
    // Load the sample district into the default database when it has nothing yet, so the app
    // opens on real-looking data.
    let db = std::env::var_os("QUANZE_DB").map(PathBuf::from);
    let mut cli = cargo();
    cli.args(["run", "-q", "-p", "quanze-cli", "--"]);
    if let Some(db) = &db {
        cli.arg("--db").arg(db);
    }
    let lists = cli
        .arg("lists")
        .arg("--json")
        .output()
        .map_err(|e| format!("无法运行 quanze：{e}"))?;
    if String::from_utf8_lossy(&lists.stdout).trim() == "[]" {
        let mut load = cargo();
        load.args(["run", "-q", "-p", "quanze-cli", "--"]);
        if let Some(db) = &db {
            load.arg("--db").arg(db);
        }
        run(load.arg("load-sample"))?;
    }
    let mut app = cargo();
    app.args(["run", "-p", "quanze-desktop", "--features", DESKTOP_FEATURES]);
    if std::env::var_os("DISPLAY").is_none() && std::env::var_os("WAYLAND_DISPLAY").is_none() {
        eprintln!("没有图形显示（DISPLAY 未设置）：在虚拟显示 Xvfb 中启动。");
        apt_install(&["xvfb", "xauth"])?;
        let mut wrapped = Command::new("xvfb-run");
        wrapped.arg("-a").arg(app.get_program()).args(app.get_args()).current_dir(root());
        return run(&mut wrapped);
    }
    run(&mut app)
}

fn main() -> ExitCode {
    let task = std::env::args().nth(1).unwrap_or_default();
    let outcome = match task.as_str() {
        "test" => test(),
        "run" => app_run(),
        _ => Err("用法：cargo xtask run | cargo xtask test".to_string()),
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("\n失败：{message}");
            ExitCode::FAILURE
        }
    }
}
