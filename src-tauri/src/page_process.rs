//! When WebKit's web process ends on its own (a crash, or WebKit's memory limit), the shell loads
//! the page again with a marker the page shows the user a message for (`quanze_api::page_restart`:
//! why, and at most three times a minute); the data is in the database, every edit having been
//! saved when it was made. An end the shell asked for (the app closing) is left alone. Both steps
//! are written to standard error (the E2E test `e2e_page_restart` reads them).

/// Watch the window's web view for its web process ending (Linux: WebKitGTK).
#[cfg(target_os = "linux")]
pub fn reload_page_when_its_process_ends(window: &tauri::WebviewWindow) {
    let watched = window.with_webview(|webview| {
        use quanze_api::page_restart::RestartBudget;
        use std::cell::{Cell, RefCell};
        use std::rc::Rc;
        use webkit2gtk::{LoadEvent, WebProcessTerminationReason, WebViewExt};
        let view = webview.inner();
        let reloading = Rc::new(Cell::new(false));
        let reloading_seen = reloading.clone();
        let budget = RefCell::new(RestartBudget::default());
        view.connect_web_process_terminated(move |view, reason| {
            if reason == WebProcessTerminationReason::TerminatedByApi {
                return;
            }
            if !budget.borrow_mut().allow(std::time::Instant::now()) {
                eprintln!("窗口页面的进程一分钟内多次意外结束（{reason:?}），不再重新载入");
                return;
            }
            eprintln!("窗口页面的进程意外结束（{reason:?}），重新载入页面");
            reloading.set(true);
            match view.uri() {
                Some(current) => view.load_uri(&quanze_api::page_restart::address_after_page_restart(&current)),
                None => view.reload(),
            }
        });
        view.connect_load_changed(move |_, event| {
            if event == LoadEvent::Finished && reloading_seen.replace(false) {
                eprintln!("页面已重新载入");
            }
        });
    });
    if let Err(error) = watched {
        eprintln!("无法监视窗口页面的进程：{error}");
    }
}

#[cfg(not(target_os = "linux"))]
pub fn reload_page_when_its_process_ends(_window: &tauri::WebviewWindow) {}

/// A renewal of the page (quanze_api::page_renewal): end the window's web process and load the
/// page again in a new one — or, with `in_new_process` false, in the same one (the E2E test of
/// what a renewal keeps: WebDriver's session ends with the process). A reload in the same process
/// gives back almost nothing of what the screens piled up (docs/benchmarks.md, "Renewing the
/// page"); a new process starts from nothing. The end is asked for, so the watch above leaves it
/// alone (`TerminatedByApi`).
#[cfg(target_os = "linux")]
pub fn load_page_anew(window: &tauri::WebviewWindow, in_new_process: bool) {
    let renewed = window.with_webview(move |webview| {
        use webkit2gtk::WebViewExt;
        let view = webview.inner();
        let address = view.uri();
        if in_new_process {
            view.terminate_web_process();
        }
        match address {
            Some(address) => view.load_uri(&address),
            None => view.reload(),
        }
        eprintln!("页面正在{}网页进程中载入", if in_new_process { "新的" } else { "原来的" });
    });
    if let Err(error) = renewed {
        eprintln!("无法重新载入页面：{error}");
    }
}

/// Elsewhere the web view's memory is not read, so no renewal is advised; a reload, should one
/// be asked for.
#[cfg(not(target_os = "linux"))]
pub fn load_page_anew(window: &tauri::WebviewWindow, _in_new_process: bool) {
    if let Err(error) = window.eval("location.reload()") {
        eprintln!("无法重新载入页面：{error}");
    }
}
