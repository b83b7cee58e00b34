//! Every IPC command is named once, in `src/ipc_commands.rs`: the shell's handler and Tauri's
//! app manifest (`build.rs`) are built from that list. The two places that cannot be built from
//! it are compared with it here: the main window's capability file (one `allow-<command>`
//! permission each) and the UI's callers in `ui/src/api/index.ts`. And every
//! `#[tauri::command]` function of `main.rs` is in the list (a listed name that is no command
//! already fails to compile).
//!
//! Run alone with `cargo test -p quanze-desktop --test ipc_commands`.

use std::collections::BTreeSet;
use std::path::Path;

fn read(relative: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(relative);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

/// The names of `src/ipc_commands.rs`, in order.
fn listed(source: &str) -> Vec<String> {
    let start = source.find("ipc_commands![").expect("the ipc_commands![ … ] call") + "ipc_commands![".len();
    let end = source[start..].find(']').expect("the closing ]") + start;
    source[start..end]
        .lines()
        .map(|line| line.split("//").next().unwrap_or_default().trim().trim_end_matches(',').trim())
        .filter(|name| !name.is_empty())
        .map(str::to_string)
        .collect()
}

/// The commands the capability file allows: `allow-list-items` is `list_items`; plugin
/// permissions (`dialog:…`, `core:…`) are not ours.
fn allowed(capability: &str) -> BTreeSet<String> {
    let json: serde_json::Value = serde_json::from_str(capability).expect("capability JSON");
    json["permissions"]
        .as_array()
        .expect("permissions")
        .iter()
        .filter_map(|p| p.as_str())
        .filter(|p| !p.contains(':'))
        .map(|p| p.strip_prefix("allow-").unwrap_or(p).replace('-', "_"))
        .collect()
}

/// The commands `index.ts` calls: `call<T>('name', …)`.
fn called(index_ts: &str) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    for (at, _) in index_ts.match_indices("call<") {
        let rest = &index_ts[at..];
        let Some(open) = rest.find('(') else { continue };
        if let Some(quoted) = rest[open + 1..].strip_prefix('\'') {
            if let Some(close) = quoted.find('\'') {
                names.insert(quoted[..close].to_string());
            }
        }
    }
    names
}

/// The functions of `main.rs` marked `#[tauri::command]`.
fn command_functions(main_rs: &str) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    let mut marked = false;
    for line in main_rs.lines().map(str::trim) {
        if line.starts_with("#[tauri::command") {
            marked = true;
        } else if marked {
            let signature = line.trim_start_matches("pub ").trim_start_matches("async ");
            if let Some(rest) = signature.strip_prefix("fn ") {
                let name: String = rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
                names.insert(name);
                marked = false;
            }
        }
    }
    names
}

#[test]
fn the_command_list_matches_the_capability_file_the_ui_and_the_command_functions() {
    let list = listed(&read("src/ipc_commands.rs"));
    let set: BTreeSet<String> = list.iter().cloned().collect();
    assert_eq!(set.len(), list.len(), "a command is listed twice in src/ipc_commands.rs");
    assert!(set.len() > 30, "the list was read: {list:?}");
    assert_eq!(
        allowed(&read("capabilities/default.json")),
        set,
        "capabilities/default.json allows other commands than src/ipc_commands.rs lists"
    );
    assert_eq!(
        called(&read("../ui/src/api/index.ts")),
        set,
        "ui/src/api/index.ts calls other commands than src/ipc_commands.rs lists"
    );
    assert_eq!(
        command_functions(&read("src/main.rs")),
        set,
        "main.rs has #[tauri::command] functions that src/ipc_commands.rs does not list"
    );
}

#[test]
fn the_readers_find_what_they_look_for() {
    assert_eq!(listed("x\nipc_commands![\n    a, // note\n    b_c,\n]\n"), ["a", "b_c"]);
    let capability = r#"{"permissions": ["core:default", "allow-list-items", "dialog:allow-open"]}"#;
    assert_eq!(allowed(capability), BTreeSet::from(["list_items".to_string()]));
    let ts = "async function call<T>(command: string) {}\n  a: () => call<Item[]>('list_items', { list }),";
    assert_eq!(called(ts), BTreeSet::from(["list_items".to_string()]));
    let rs = "#[tauri::command(async)]\nfn overview(db: State) {}\n#[tauri::command]\nasync fn edit_items() {}\nfn helper() {}";
    assert_eq!(
        command_functions(rs),
        BTreeSet::from(["edit_items".to_string(), "overview".to_string()])
    );
}
