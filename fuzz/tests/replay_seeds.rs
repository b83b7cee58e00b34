//! Replays every committed seed (`seeds/<target>/*`) through its target's body on stable Rust,
//! without libFuzzer: a crash found by fuzzing and saved as a seed stays fixed, and the
//! targets keep compiling and running. CI runs this through `cargo xtask test`.

use std::path::{Path, PathBuf};

fn seeds(target: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("seeds")
        .join(target);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.is_file())
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no seeds in {}", dir.display());
    files
}

fn replay(target: &str, body: fn(&[u8])) {
    for path in seeds(target) {
        let data = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        eprintln!("{target}: {}", path.display());
        body(&data);
    }
}

#[test]
fn workbook_rows_seeds_replay() {
    replay("workbook_rows", quanze_fuzz::workbook_rows);
}

#[test]
fn bundle_yaml_seeds_replay() {
    replay("bundle_yaml", quanze_fuzz::bundle_yaml);
}

#[test]
fn package_merge_seeds_replay() {
    replay("package_merge", quanze_fuzz::package_merge);
}

#[test]
fn bundle_json_seeds_replay() {
    replay("bundle_json", quanze_fuzz::bundle_json);
}

#[test]
fn import_commit_seeds_replay() {
    replay("import_commit", quanze_fuzz::import_commit);
}

#[test]
fn exporters_seeds_replay() {
    replay("exporters", quanze_fuzz::exporters);
}

/// The bundle seeds must be accepted, or the fuzzer would start from the error paths only
/// and the load-dump-reload property would go unexercised.
#[test]
fn bundle_seeds_are_accepted_bundles() {
    for path in seeds("bundle_yaml") {
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        if let Err(e) = quanze_domain::Bundle::from_yaml(&text) {
            panic!("{}: {e}", path.display());
        }
    }
    for path in seeds("bundle_json") {
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        if let Err(e) = quanze_domain::Bundle::from_json(&text) {
            panic!("{}: {e}", path.display());
        }
    }
}
