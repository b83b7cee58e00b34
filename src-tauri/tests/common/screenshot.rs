//! A WebDriver screenshot of the window into `tests/artifacts/<name>.png`, shared by `e2e.rs`
//! (through `#[path]`) and the harness in `common/mod.rs`.
//!
//! The app runs WebKitGTK without accelerated compositing (src-tauri/src/memory_env.rs). In that
//! mode WebKitWebDriver's screenshot waits for the page's next drawing, and an idle page may not
//! draw again: the screenshot then never returns (docs/benchmarks.md, "What grows over the tour";
//! `scripts/probe_screenshot_repaint.py`). So the page is kept repainting while the shot is taken:
//! `<body>`'s outline toggles between none and a transparent one every 50 ms, which changes no
//! pixel and no layout.

use std::path::{Path, PathBuf};
use std::time::Duration;

use fantoccini::Client;

/// Starts the repaints, then waits two animation frames and a moment: a cell in the DOM is not
/// yet a painted cell, and a screenshot taken at once showed the sample list's grid still blank.
const BEFORE_THE_SHOT: &str = "const done = arguments[arguments.length - 1]; \
    clearInterval(window.__quanzeShotRepaint); \
    window.__quanzeShotRepaint = setInterval(() => { const s = document.body.style; \
        s.outline = s.outline ? '' : '1px solid transparent'; }, 50); \
    requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(done, 300)));";

const AFTER_THE_SHOT: &str = "clearInterval(window.__quanzeShotRepaint); \
    delete window.__quanzeShotRepaint; document.body.style.outline = '';";

/// Takes the screenshot into `<repo>/tests/artifacts/<name>.png` and returns its path.
pub async fn screenshot_into(
    client: &Client,
    repo_root: &Path,
    name: &str,
) -> Result<PathBuf, Box<dyn std::error::Error>> {
    let dir = repo_root.join("tests").join("artifacts");
    std::fs::create_dir_all(&dir)?;
    let path = dir.join(format!("{name}.png"));
    let _ = client.execute_async(BEFORE_THE_SHOT, vec![]).await;
    let shot = tokio::time::timeout(Duration::from_secs(30), client.screenshot()).await;
    let _ = client.execute(AFTER_THE_SHOT, vec![]).await;
    let png = shot.map_err(|_| "taking a screenshot took over 30 s (did the app exit?)")??;
    std::fs::write(&path, png)?;
    eprintln!("screenshot: {}", path.display());
    Ok(path)
}
