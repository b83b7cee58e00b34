//! Tauri's build step, with an application manifest listing our commands (read from
//! `src/ipc_commands.rs`, the one list of them): Tauri then generates an `allow-<command>`
//! permission for each, and only the capabilities in `capabilities/` decide which window may
//! call which (no command is reachable by default).

/// The names of `src/ipc_commands.rs`, the one list of the shell's commands.
macro_rules! ipc_commands {
    ($($command:ident),* $(,)?) => {
        &[$(stringify!($command)),*]
    };
}

const COMMANDS: &[&str] = include!("src/ipc_commands.rs");

fn main() {
    // `generate_context!` embeds ui/dist when this crate compiles, and cargo alone notices
    // changed asset files but not new ones (Vite names them by content hash): rerunning this
    // script whenever ui/dist changes makes cargo recompile the crate with the new assets.
    println!("cargo:rerun-if-changed=../ui/dist");
    println!("cargo:rerun-if-changed=src/ipc_commands.rs");
    let manifest = tauri_build::AppManifest::new().commands(COMMANDS);
    if let Err(error) =
        tauri_build::try_build(tauri_build::Attributes::new().app_manifest(manifest))
    {
        panic!("tauri-build failed: {error:#}");
    }
}
