//! End-to-end tests: the real app binary, in a real WebKitGTK window, driven through WebDriver
//! (tauri-driver in front of WebKitWebDriver), on a throwaway database given by `QUANZE_DB`.
//!
//! Needs: the app built with `--features custom-protocol` (so it loads `ui/dist`, built by
//! `npm run build` in `ui/`), `tauri-driver` on PATH or in `~/.cargo/bin`, `WebKitWebDriver`
//! (Debian package webkit2gtk-driver), and a display: `$DISPLAY`, or `xvfb-run`, which the test
//! then starts itself. Outside CI a missing tauri-driver skips the tests with a printed message;
//! under `CI=true` it fails them, and any other missing piece fails them everywhere.
//! See tests/e2e/README.md at the repository root.
//!
//! Screenshots go to `tests/artifacts/` at the repository root.

use std::io::{BufRead, BufReader};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use fantoccini::elements::Element;
use fantoccini::key::Key;
use fantoccini::{Client, ClientBuilder, Locator};
use quanze_api::Api;
use serde_json::{json, Value};

const APP: &str = env!("CARGO_BIN_EXE_quanze-desktop");
const WAIT: Duration = Duration::from_secs(60);

/// One app window at a time: two cores, and one Xvfb each is plenty.
static SERIAL: Mutex<()> = Mutex::new(());

type TestResult<T = ()> = Result<T, Box<dyn std::error::Error>>;

/// `assert!` that returns an error instead of panicking, so that a failing test still takes
/// its screenshot, closes its session and ends the processes it started.
macro_rules! check {
    ($cond:expr, $($msg:tt)+) => {
        if !$cond {
            return Err(format!($($msg)+).into());
        }
    };
}

macro_rules! check_eq {
    ($left:expr, $right:expr $(,)?) => {{
        let (left, right) = (&$left, &$right);
        check!(left == right, "{} == {}: {left:?} != {right:?}", stringify!($left), stringify!($right));
    }};
    ($left:expr, $right:expr, $($msg:tt)+) => {{
        let (left, right) = (&$left, &$right);
        check!(left == right, "{}: {left:?} != {right:?}", format!($($msg)+));
    }};
}

fn under_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "0" && v != "false")
}

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
}

fn find_program(name: &str) -> Option<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::env::var_os("PATH")
        .map(|p| std::env::split_paths(&p).collect())
        .unwrap_or_default();
    if let Some(home) = std::env::var_os("CARGO_HOME") {
        dirs.push(PathBuf::from(home).join("bin"));
    }
    if let Some(home) = std::env::var_os("HOME") {
        dirs.push(PathBuf::from(home).join(".cargo").join("bin"));
    }
    dirs.into_iter().map(|d| d.join(name)).find(|p| p.is_file())
}

/// What the tests need.
struct Setup {
    tauri_driver: PathBuf,
    /// `None`: use `$DISPLAY`; `Some`: start tauri-driver under this `xvfb-run`.
    xvfb_run: Option<PathBuf>,
}

/// `Some(setup)` to run, `None` to skip. The one reason to skip is a missing tauri-driver
/// outside CI (a developer without the WebDriver tools); under `CI=true` that fails too, and
/// anything else missing fails always, with what to do about it.
fn setup_or_skip(test: &str) -> Option<Setup> {
    let Some(tauri_driver) = find_program("tauri-driver") else {
        let why = "tauri-driver not found on PATH or in ~/.cargo/bin \
                   (`cargo install tauri-driver --version '^2' --locked`)";
        if under_ci() {
            panic!("{test}: cannot run the end-to-end test under CI: {why}");
        }
        // Straight to stderr, past the test harness's capture, so that the skip is seen even
        // though the test counts as passed.
        use std::io::Write;
        let _ = writeln!(
            std::io::stderr(),
            "SKIPPED {test}: {why}; under CI=true this fails instead"
        );
        return None;
    };
    let custom_protocol = cfg!(feature = "custom-protocol");
    assert!(
        custom_protocol,
        "{test}: the app was built without the `custom-protocol` feature, so it would load the \
         Vite dev server instead of ui/dist: run `cargo test -p quanze-desktop --features \
         custom-protocol`"
    );
    assert!(
        repo_root().join("ui/dist/index.html").is_file(),
        "{test}: ui/dist/index.html is missing: run `npm ci && npm run build` in ui/, then \
         build the app again"
    );
    assert!(
        find_program("WebKitWebDriver").is_some(),
        "{test}: WebKitWebDriver not found: `apt-get install webkit2gtk-driver`"
    );
    let has_display = std::env::var_os("DISPLAY").is_some_and(|d| !d.is_empty())
        || std::env::var_os("WAYLAND_DISPLAY").is_some_and(|d| !d.is_empty());
    let xvfb_run = if has_display {
        None
    } else {
        let found = find_program("xvfb-run");
        assert!(
            found.is_some(),
            "{test}: no display ($DISPLAY unset) and no xvfb-run: `apt-get install xvfb xauth`"
        );
        found
    };
    Some(Setup {
        tauri_driver,
        xvfb_run,
    })
}

fn free_port() -> TestResult<u16> {
    Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

/// tauri-driver (and the Xvfb it may run under), in a process group of its own so that
/// everything it started is ended with it.
struct Driver {
    child: Child,
    port: u16,
}

impl Driver {
    fn start(setup: &Setup, db: &Path) -> TestResult<Driver> {
        use std::os::unix::process::CommandExt;
        let port = free_port()?;
        let native_port = free_port()?;
        let driver_args = [
            "--port".to_string(),
            port.to_string(),
            "--native-port".to_string(),
            native_port.to_string(),
        ];
        let mut command = match &setup.xvfb_run {
            Some(xvfb_run) => {
                let mut c = Command::new(xvfb_run);
                c.args(["-a", "-s", "-screen 0 1440x900x24"])
                    .arg(&setup.tauri_driver)
                    .args(&driver_args);
                c
            }
            None => {
                let mut c = Command::new(&setup.tauri_driver);
                c.args(&driver_args);
                c
            }
        };
        command
            .env("QUANZE_DB", db)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .process_group(0);
        let mut child = command.spawn()?;
        // Relay the driver's (and the app's) output to the test's, for failures.
        for stream in [
            child
                .stdout
                .take()
                .map(|s| Box::new(s) as Box<dyn std::io::Read + Send>),
            child
                .stderr
                .take()
                .map(|s| Box::new(s) as Box<dyn std::io::Read + Send>),
        ]
        .into_iter()
        .flatten()
        {
            std::thread::spawn(move || {
                for line in BufReader::new(stream).lines().map_while(Result::ok) {
                    eprintln!("  [app/driver] {line}");
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

    async fn session(&self) -> TestResult<Client> {
        let mut caps = serde_json::Map::new();
        caps.insert("browserName".into(), json!("wry"));
        caps.insert("tauri:options".into(), json!({ "application": APP }));
        eprintln!("e2e: opening a WebDriver session on port {}", self.port);
        let client = ClientBuilder::native()
            .capabilities(caps)
            .connect(&format!("http://127.0.0.1:{}", self.port))
            .await?;
        Ok(client)
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        // End the whole group we started (tauri-driver, WebKitWebDriver, the app, Xvfb).
        let group = format!("-{}", self.child.id());
        for signal in ["-TERM", "-KILL"] {
            let _ = Command::new("kill")
                .args([signal, "--", &group])
                .stderr(Stdio::null())
                .status();
            if matches!(self.child.try_wait(), Ok(Some(_))) {
                break;
            }
            std::thread::sleep(Duration::from_millis(500));
        }
        let _ = self.child.wait();
    }
}

fn css(selector: &str) -> Locator<'_> {
    Locator::Css(selector)
}

/// Poll until `probe` gives `Some`, or fail naming `what`.
async fn poll<T>(what: &str, mut probe: impl AsyncFnMut() -> Option<T>) -> TestResult<T> {
    let deadline = Instant::now() + WAIT;
    loop {
        match tokio::time::timeout(Duration::from_secs(10), probe()).await {
            Ok(Some(found)) => return Ok(found),
            Ok(None) => {}
            Err(_) => eprintln!("e2e: a WebDriver call for {what} took over 10 s"),
        }
        if Instant::now() > deadline {
            return Err(format!("timed out after {WAIT:?} waiting for {what}").into());
        }
        tokio::time::sleep(Duration::from_millis(150)).await;
    }
}

async fn element(client: &Client, selector: &str) -> TestResult<Element> {
    eprintln!("e2e: waiting for {selector}");
    poll(&format!("element `{selector}`"), async || {
        client.find(css(selector)).await.ok()
    })
    .await
}

/// Text of the element, once it is non-empty.
async fn text_of(client: &Client, selector: &str) -> TestResult<String> {
    eprintln!("e2e: reading {selector}");
    poll(&format!("text in `{selector}`"), async || {
        let el = client.find(css(selector)).await.ok()?;
        let text = el.text().await.ok()?;
        (!text.trim().is_empty()).then(|| text.trim().to_string())
    })
    .await
}

async fn click(client: &Client, selector: &str) -> TestResult {
    element(client, selector).await?.click().await?;
    Ok(())
}

async fn screenshot(client: &Client, name: &str) -> TestResult<PathBuf> {
    let dir = repo_root().join("tests").join("artifacts");
    std::fs::create_dir_all(&dir)?;
    let path = dir.join(format!("{name}.png"));
    let png = tokio::time::timeout(Duration::from_secs(30), client.screenshot())
        .await
        .map_err(|_| "taking a screenshot took over 30 s (did the app exit?)")??;
    std::fs::write(&path, png)?;
    eprintln!("screenshot: {}", path.display());
    Ok(path)
}

/// The page the app serves must be the ui/dist on disk: a stale embedded copy otherwise shows
/// a blank window (its script is gone) or an old UI, and the failure would be misleading.
async fn check_current_ui(client: &Client) -> TestResult {
    let on_disk = std::fs::read_to_string(repo_root().join("ui/dist/index.html"))?;
    let served = poll("the page's module script", async || {
        let value = client
            .execute(
                "const s = document.querySelector('script[type=module]'); \
                 return s ? s.getAttribute('src') : null",
                vec![],
            )
            .await
            .ok()?;
        value.as_str().map(str::to_string)
    })
    .await?;
    check!(
        on_disk.contains(&format!("src=\"{served}\"")),
        "the app embeds a stale ui/dist (it serves {served}, ui/dist/index.html differs): \
         rebuild the app after `npm run build` (touch src-tauri/src/main.rs if cargo does not)"
    );
    Ok(())
}

async fn assert_no_csp_violations(client: &Client) -> TestResult {
    let seen = client
        .execute("return window.__quanzeCspViolations ?? null", vec![])
        .await?;
    check_eq!(seen, json!([]), "CSP violations recorded by the page");
    Ok(())
}

/// In the window: select the list's jurisdiction, open the list, and return the first item's
/// name as the table shows it.
async fn open_list(client: &Client, jurisdiction: u32, list: u32) -> TestResult<String> {
    click(client, &format!("[data-testid=tree-node-{jurisdiction}]")).await?;
    click(client, &format!("[data-testid=list-entry-{list}]")).await?;
    text_of(client, "[data-testid=item-table] [data-testid=item-name]").await
}

/// In the window: search for `query` and return the names of the hits shown, once the result
/// count the window states matches `expected`.
async fn search(client: &Client, query: &str, expected: usize) -> TestResult<Vec<String>> {
    let input = element(client, "input[data-testid=search-input]").await?;
    input.clear().await?;
    input
        .send_keys(&format!("{query}{}", char::from(Key::Enter)))
        .await?;
    element(client, "[data-testid=search-results]").await?;
    poll(
        &format!("{expected} search hits for {query:?}"),
        async || {
            let hits = client
                .find_all(css("[data-testid=search-hit-name]"))
                .await
                .ok()?;
            if hits.len() != expected {
                return None;
            }
            let mut names = Vec::new();
            for hit in hits {
                names.push(hit.text().await.ok()?);
            }
            Some(names)
        },
    )
    .await
}

/// A list with items, and a two-character query taken from one of its item names, as the
/// database itself (read through the same API the app uses) says.
struct Probe {
    jurisdiction: u32,
    list: u32,
    first_item: String,
    query: String,
    /// Names of the items the API finds for `query`, in its order.
    hits: Vec<String>,
}

fn probe(db: &Path) -> TestResult<Option<Probe>> {
    let api = Api::open(db)?;
    let overview = api.overview()?;
    let Some(list) = overview.lists.iter().find(|l| l.items > 0) else {
        return Ok(None);
    };
    let page = api.list_items(list.id, 0, 1)?;
    let first_item = page
        .items
        .first()
        .ok_or("list without its items")?
        .name
        .clone();
    let query: String = first_item
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_ascii_punctuation())
        .take(2)
        .collect();
    let hits = api
        .search(&query, 200)?
        .into_iter()
        .map(|hit| hit.item.name)
        .collect();
    Ok(Some(Probe {
        jurisdiction: list.jurisdiction,
        list: list.id,
        first_item,
        query,
        hits,
    }))
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("tokio runtime")
}

/// First run: an empty database shows the first-run panel; "载入示例辖区" loads the sample
/// district; the tree appears; a list opens; a two-character search finds items.
#[test]
fn first_run_loads_the_sample_district_then_browses_and_searches() -> TestResult {
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let Some(setup) = setup_or_skip("first_run_loads_the_sample_district") else {
        return Ok(());
    };
    let dir = tempfile::tempdir()?;
    let db = dir.path().join("quanze.db");
    let driver = Driver::start(&setup, &db)?;
    runtime().block_on(async {
        let client = driver.session().await?;
        let outcome = async {
            check_current_ui(&client).await?;
            check_eq!(
                text_of(&client, "[data-testid=app-title]").await?,
                "权责清单编辑器"
            );
            element(&client, "[data-testid=first-run]").await?;
            screenshot(&client, "desktop-first-run").await?;
            click(&client, "[data-testid=load-sample]").await?;
            element(&client, "[data-testid=jurisdiction-tree]").await?;

            let api = Api::open(&db)?;
            let overview = api.overview()?;
            check!(!overview.empty, "the sample district was not loaded");
            let root = overview.tree.first().ok_or("sample has no jurisdiction")?;
            let shown = text_of(
                &client,
                &format!(
                    "[data-testid=tree-node-{}] [data-testid=tree-node-name]",
                    root.id
                ),
            )
            .await?;
            check_eq!(shown, root.name);

            let p = probe(&db)?.ok_or("the sample district has no list with items")?;
            let name = open_list(&client, p.jurisdiction, p.list).await?;
            check_eq!(
                name,
                p.first_item,
                "first item of list {} in the window",
                p.list
            );
            screenshot(&client, "desktop-sample-list").await?;
            let hits = search(&client, &p.query, p.hits.len()).await?;
            check!(!hits.is_empty(), "no hit for {:?}", p.query);
            // The window lists what the API finds, in the same order ("name（sub-item）").
            for (shown, name) in hits.iter().zip(&p.hits) {
                check!(
                    shown.starts_with(name.as_str()),
                    "hit {shown:?} is not {name:?}"
                );
            }
            screenshot(&client, "desktop-sample-search").await?;
            assert_no_csp_violations(&client).await?;
            TestResult::Ok(())
        }
        .await;
        if outcome.is_err() {
            let _ = screenshot(&client, "desktop-first-run-FAILED").await;
        }
        let _ = client.close().await;
        outcome
    })
}

/// A hostile item name, to prove the window shows workbook text as text.
const HOSTILE: &str = "<img src=x onerror=\"document.title='pwned'\">违法建设查处";

/// A bundle with more items than one page, extra fields, and hostile text.
fn fixture_bundle() -> Value {
    let mut items = vec![json!({
        "id": 1, "seq": "1", "name": HOSTILE, "power_type": "行政处罚",
        "basis": "【法规】《城乡规划法》第六十四条",
        "extra": [{ "header": "职权编码", "value": "990100207XK016" }]
    })];
    for n in 2..=230u32 {
        items.push(json!({
            "id": n,
            "seq": n.to_string(),
            "name": if n % 10 == 0 { format!("消防安全检查第{n}项") } else { format!("城市管理事项第{n}项") },
            "power_type": if n % 2 == 0 { "行政检查" } else { "行政处罚" },
            "handling_unit": 1
        }));
    }
    json!({
        "format": "quanze-bundle",
        "format_version": 1,
        "jurisdictions": [
            { "id": 1, "name": "夹具区", "level": "区" },
            { "id": 2, "parent": 1, "name": "东湖街道", "level": "街道" },
            { "id": 3, "parent": 2, "name": "石桥村", "level": "社区", "designation": "村" }
        ],
        "units": [{ "id": 1, "jurisdiction": 1, "name": "区应急管理局", "kind": "行政" }],
        "lists": [
            { "id": 1, "jurisdiction": 1, "unit": 1, "kind": "权责清单", "name": "区应急管理局权责清单", "items": items },
            { "id": 2, "jurisdiction": 2, "kind": "配合履职", "name": "东湖街道配合履职事项清单", "items": [
                { "id": 1001, "name": "消防宣传进社区", "coordination": {
                    "lead_unit": 1, "superior_duty": "制定宣传计划", "street_duty": "组织居民参加" } }
            ]}
        ]
    })
}

/// Browsing and searching a database prepared through the API: the table shows what the
/// database holds, paging works, hostile text stays text, a two-character search finds items.
#[test]
fn browses_lists_and_searches_with_two_characters() -> TestResult {
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let Some(setup) = setup_or_skip("browses_lists_and_searches") else {
        return Ok(());
    };
    let dir = tempfile::tempdir()?;
    let db = dir.path().join("quanze.db");
    {
        let mut api = Api::open(&db)?;
        api.load_bundle_text(&fixture_bundle().to_string(), "e2e-fixture", "e2e")?;
    }
    let expected_hits = Api::open(&db)?.search("消防", 200)?.len();
    check_eq!(
        expected_hits,
        24,
        "fixture: 23 items + 1 coordination item contain 消防"
    );

    let driver = Driver::start(&setup, &db)?;
    runtime().block_on(async {
        let client = driver.session().await?;
        let outcome = async {
            check_current_ui(&client).await?;
            // The district is selected on start; its department's list is offered.
            element(&client, "[data-testid=tree-node-3]").await?;
            let town = text_of(&client, "[data-testid=tree-node-3]").await?;
            check!(
                town.contains("石桥村") && town.contains('村'),
                "tree node: {town}"
            );
            let name = open_list(&client, 1, 1).await?;
            check_eq!(name, HOSTILE, "hostile text must show literally");
            check_eq!(
                text_of(&client, "[data-testid=item-total]").await?,
                "共 230 项"
            );
            let images = client.find_all(css("[data-testid=item-table] img")).await?;
            check!(images.is_empty(), "item text was rendered as HTML");
            let title = client.execute("return document.title", vec![]).await?;
            check_eq!(title, json!("权责清单编辑器"));
            element(&client, "[data-testid=item-pager]").await?;
            // The first row's details show every field, the extra column kept from the
            // workbook included.
            click(&client, "[data-testid=item-table] .el-table__expand-icon").await?;
            let details = text_of(&client, "[data-testid=item-details]").await?;
            check!(
                details.contains("职权编码") && details.contains("990100207XK016"),
                "details: {details}"
            );
            screenshot(&client, "desktop-fixture-list").await?;

            let hits = search(&client, "消防", expected_hits).await?;
            check!(hits.iter().all(|h| h.contains("消防")), "hits: {hits:?}");
            let lists = client
                .find_all(css("[data-testid=search-hit-list]"))
                .await?;
            let mut where_found = Vec::new();
            for el in lists {
                where_found.push(el.text().await?);
            }
            check!(
                where_found.iter().any(|w| w.contains("区应急管理局"))
                    && where_found.iter().any(|w| w.contains("东湖街道")),
                "each hit names its list and unit: {where_found:?}"
            );
            screenshot(&client, "desktop-fixture-search").await?;

            // Opening a hit shows its list.
            let hit = client.find(css("[data-testid=search-hit]")).await?;
            hit.click().await?;
            text_of(&client, "[data-testid=item-list-title]").await?;
            assert_no_csp_violations(&client).await?;
            TestResult::Ok(())
        }
        .await;
        if outcome.is_err() {
            let _ = screenshot(&client, "desktop-fixture-FAILED").await;
        }
        let _ = client.close().await;
        outcome
    })
}

/// A file that is not a Quanze database: the window says so (the backend's ApiError message)
/// instead of showing an empty or broken screen.
#[test]
fn a_file_that_is_not_a_database_is_reported_in_the_window() -> TestResult {
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let Some(setup) = setup_or_skip("a_file_that_is_not_a_database") else {
        return Ok(());
    };
    let dir = tempfile::tempdir()?;
    let db = dir.path().join("notes.db");
    std::fs::write(&db, "这不是数据库，只是一段文字。".repeat(200))?;
    let expected = match Api::open(&db) {
        Ok(_) => return Err("a text file opened as a database".into()),
        Err(error) => error.message,
    };
    let driver = Driver::start(&setup, &db)?;
    runtime().block_on(async {
        let client = driver.session().await?;
        let outcome = async {
            check_current_ui(&client).await?;
            let shown = text_of(&client, "[data-testid=fatal-error]").await?;
            check!(shown.contains("无法使用数据库"), "fatal panel: {shown}");
            check!(shown.contains(&expected), "{shown:?} lacks {expected:?}");
            screenshot(&client, "desktop-not-a-database").await?;
            TestResult::Ok(())
        }
        .await;
        if outcome.is_err() {
            let _ = screenshot(&client, "desktop-not-a-database-FAILED").await;
        }
        let _ = client.close().await;
        outcome
    })
}
