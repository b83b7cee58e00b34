//! End-to-end (issue 18): when WebKit's web process dies under the window (a crash; here it is
//! killed), the shell loads the page again in a new one, instead of a blank window that answers
//! nothing; and a renewal of the page (crates/quanze-api/src/page_renewal.rs) loads it in a new
//! web process that takes the page's place back (src-tauri/src/page_process.rs). Run with
//! `cargo test -p quanze-desktop --features custom-protocol --test e2e_page_restart` after
//! `npm run build` in ui/ (see tests/common/mod.rs for what it needs).

mod common;

use std::path::Path;
use std::process::Command;

use common::{app_output, config_dir_of, element, in_window, in_window_with, poll, TestResult};
use quanze_api::Api;

const SCREEN: &str = "1280x800";

/// The WebKitWebProcess processes of the app started with the settings folder `config`: they
/// inherit the app's environment, which names the folder (another app on the machine does not).
fn web_processes_of(config: &Path) -> Vec<u32> {
    let wanted = format!("QUANZE_CONFIG_DIR={}", config.display()).into_bytes();
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    let mut found: Vec<u32> = entries
        .filter_map(|entry| entry.ok()?.file_name().to_str()?.parse::<u32>().ok())
        .filter(|pid| {
            let comm = std::fs::read_to_string(format!("/proc/{pid}/comm")).unwrap_or_default();
            comm.trim_end() == "WebKitWebProces"
                && std::fs::read(format!("/proc/{pid}/environ"))
                    .is_ok_and(|environ| environ.split(|byte| *byte == 0).any(|pair| pair == wanted.as_slice()))
        })
        .collect();
    found.sort_unstable();
    found
}

/// Wait until the app has written a line holding `text`.
async fn app_says(what: &str, text: &str) -> TestResult {
    poll(what, async || app_output().iter().any(|line| line.contains(text)).then_some(())).await
}

/// Wait until the app has one web process again, another than `before`; its pid.
async fn a_new_web_process(config: &Path, before: &[u32]) -> TestResult<Vec<u32>> {
    poll("a new web process", async || {
        let now = web_processes_of(config);
        (now.len() == 1 && now != before).then_some(now)
    })
    .await
}

#[test]
fn the_page_is_loaded_again_when_its_web_process_dies() -> TestResult {
    let dir = tempfile::tempdir()?;
    let db = dir.path().join("quanze.db");
    Api::open(&db)?.load_sample_district("e2e")?;
    let config = config_dir_of(&db);
    in_window("the_page_is_loaded_again_when_its_web_process_dies", &db, SCREEN, async |client| {
        element(client, "[data-testid=jurisdiction-tree] .el-tree-node").await?;
        let before = web_processes_of(&config);
        check!(before.len() == 1, "one web process for the window: {before:?}");
        let killed = Command::new("kill").args(["-KILL", &before[0].to_string()]).status()?;
        check!(killed.success(), "kill -KILL {}", before[0]);
        // WebKitWebDriver ends its session with the page's process ("session deleted because
        // of page crash"), so from here the test watches the app from outside: what the shell
        // writes, and WebKit's processes. What the page then shows the user (the message, the
        // marker taken out of its address) is ui/src/lib/pageRestart.test.ts.
        let crashed = client.execute("return 1", vec![]).await;
        check!(crashed.is_err(), "the page's process is gone: the session answered {crashed:?}");
        app_says("the shell loading the page again", "页面已重新载入").await?;
        let after = a_new_web_process(&config, &before).await?;
        // Still there a moment later: the new page did not die in turn.
        tokio::time::sleep(std::time::Duration::from_secs(2)).await;
        check!(web_processes_of(&config) == after, "the new web process stays: {after:?}");
        let said: Vec<String> = app_output().into_iter().filter(|line| line.contains("页面")).collect();
        eprintln!("web process {before:?} killed, the page loaded again in {after:?}; the app said {said:?}");
        Ok(())
    })
}

/// A renewal ends the web process and loads the page in a new one, which takes back the place
/// the page handed over. WebKitWebDriver's session ends with the process (as above), so this is
/// watched from outside; what the new page restores is the E2E test
/// `a_renewed_page_keeps_the_screen_the_rows_in_view_the_item_shown_and_undo` (e2e.rs, with the
/// renewal kept in one process).
#[test]
fn a_renewal_loads_the_page_in_a_new_web_process_that_takes_its_place_back() -> TestResult {
    let dir = tempfile::tempdir()?;
    let db = dir.path().join("quanze.db");
    Api::open(&db)?.load_sample_district("e2e")?;
    let config = config_dir_of(&db);
    let renew_at_once = [("QUANZE_PAGE_RENEWAL_MB", "0")];
    in_window_with("a_renewal_loads_the_page_in_a_new_web_process", &db, SCREEN, &renew_at_once, async |client| {
        element(client, "[data-testid=jurisdiction-tree] .el-tree-node").await?;
        let before = web_processes_of(&config);
        check!(before.len() == 1, "one web process for the window: {before:?}");
        // The change of screen the renewal waits for; the click's own answer may already be lost
        // with the process.
        let switch = element(client, "[data-testid=view-stats]").await?;
        let _ = switch.click().await;
        app_says("the shell loading the page in a new web process", "页面正在新的网页进程中载入").await?;
        let after = a_new_web_process(&config, &before).await?;
        app_says("the new page taking its place back", "重新载入的页面已取回原来的位置").await?;
        tokio::time::sleep(std::time::Duration::from_secs(2)).await;
        check!(web_processes_of(&config) == after, "the new web process stays: {after:?}");
        let crashed = app_output().iter().any(|line| line.contains("意外结束"));
        check!(!crashed, "a renewal is no crash: the watch of unexpected ends stays silent");
        Ok(())
    })
}
