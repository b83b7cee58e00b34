//! Writes the hostile files of issue 13 at the tester's sizes, to measure the release CLI on
//! them (`docs/import.md`, "Work budgets"): `cargo run --release -p quanze-import --example
//! hostile_files -- /tmp/quanze-hostile`, then `quanze import` each file.
#![allow(clippy::unwrap_used)]

#[path = "../tests/common/hostile.rs"]
mod hostile;

/// A file name and how to build the file.
type Hostile = (&'static str, fn() -> Vec<u8>);

fn main() {
    let dir = std::path::PathBuf::from(
        std::env::args()
            .nth(1)
            .unwrap_or_else(|| "/tmp/quanze-hostile".to_string()),
    );
    std::fs::create_dir_all(&dir).unwrap();
    let files: [Hostile; 6] = [
        // 53 M strings without uniqueCount (the tester's 2.3 MB file).
        ("共享字符串.xlsx", || {
            hostile::shared_strings_bomb(53_000_000)
        }),
        // 900 MB of `<c r="A2"/>` (11 bytes each).
        ("空单元格.xlsx", || {
            hostile::empty_cells_bomb(900_000_000 / 11)
        }),
        // A 950 MB content.xml of empty cells (19 bytes each).
        ("大内容.ods", || {
            hostile::ods_content_bomb(950_000_000 / 19)
        }),
        ("百万行.csv", || hostile::csv_rows(1_000_000)),
        ("控制字符.csv", || {
            hostile::csv_with_control_characters(12)
        }),
        // A header and no data rows: 0 items.
        ("零事项.xlsx", || hostile::plain_xlsx(0)),
    ];
    for (name, build) in files {
        let bytes = build();
        let path = dir.join(name);
        std::fs::write(&path, &bytes).unwrap();
        println!("{}\t{} bytes", path.display(), bytes.len());
    }
}
