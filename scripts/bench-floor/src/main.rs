//! An empty Tauri 2 window: the floor the desktop app's memory is compared with
//! (`docs/benchmarks/app.md`). No commands, no plugins, a page of a few lines.

#![forbid(unsafe_code)]

fn main() {
    if let Err(error) = tauri::Builder::default().run(tauri::generate_context!()) {
        eprintln!("空窗口无法启动：{error}");
        std::process::exit(1);
    }
}
