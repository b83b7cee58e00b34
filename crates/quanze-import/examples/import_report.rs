//! Print the import report of files (dry run): `cargo run -p quanze-import --example
//! import_report -- FILE... [--json]`.
use std::path::PathBuf;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let json = args.iter().any(|a| a == "--json");
    let files: Vec<PathBuf> = args
        .iter()
        .filter(|a| !a.starts_with("--"))
        .map(PathBuf::from)
        .collect();
    let options = quanze_import::ImportOptions {
        dry_run: true,
        ..Default::default()
    };
    match quanze_import::plan_import(&files, &options) {
        Ok(plan) => {
            let report = plan.report(true);
            if json {
                println!(
                    "{}",
                    serde_json::to_string_pretty(&report).unwrap_or_default()
                );
            } else {
                print!("{}", quanze_import::render_report(&report));
            }
        }
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(1);
        }
    }
}
