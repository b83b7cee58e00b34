//! Guards the typed IPC boundary: `ui/src/api/bindings.ts` must be exactly what the Rust types
//! generate, so the UI can never drift from the backend's shapes.

use std::path::PathBuf;

#[test]
fn typescript_bindings_are_current() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let path = root.join(quanze_api::bindings::BINDINGS_PATH);
    let generated = quanze_api::bindings::typescript();
    if std::env::var_os("UPDATE_BINDINGS").is_some() {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).expect("create ui/src/api");
        }
        std::fs::write(&path, &generated).expect("write bindings");
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "{} is stale: the Rust types changed. Run `UPDATE_BINDINGS=1 cargo test -p quanze-api --test bindings` and commit the result.",
        path.display()
    );
}

#[test]
fn bindings_declare_every_referenced_type() {
    // Every type name used must be declared in the file (or be a TypeScript builtin), and
    // declared once, so that the file compiles on its own.
    let text = quanze_api::bindings::typescript();
    let mut code = String::new();
    let mut in_comment = false;
    for line in text.lines() {
        let trimmed = line.trim_start();
        if trimmed.starts_with("/*") {
            in_comment = true;
        }
        if !in_comment && !trimmed.starts_with("//") {
            code.push_str(line);
            code.push('\n');
        }
        if trimmed.ends_with("*/") {
            in_comment = false;
        }
    }
    // Types, and the few generated constants (the admission moves).
    let declared: Vec<&str> = code
        .lines()
        .filter_map(|l| l.strip_prefix("export type ").or_else(|| l.strip_prefix("export const ")))
        .filter_map(|l| l.split([' ', '<', '=', ':']).next())
        .collect();
    let mut unique = declared.clone();
    unique.sort_unstable();
    unique.dedup();
    assert_eq!(unique.len(), declared.len(), "a type is declared twice");
    assert!(declared.contains(&"Item") && declared.contains(&"ApiError"));
    let without_strings: String = code
        .split('"')
        .enumerate()
        .filter(|(i, _)| i % 2 == 0)
        .map(|(_, s)| s)
        .collect();
    let builtins = ["Array", "ReadonlyArray"];
    for word in without_strings.split(|c: char| !c.is_alphanumeric() && c != '_') {
        if word.chars().next().is_some_and(|c| c.is_ascii_uppercase())
            && !builtins.contains(&word)
            && !declared.contains(&word)
        {
            panic!("type {word} is used but not declared in bindings.ts");
        }
    }
}
