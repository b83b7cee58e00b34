//! Print the first items of a file as JSON (dry run): `cargo run -p quanze-import --example
//! peek_items -- FILE [N]`.
fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(file) = args.first() else { return };
    let n: usize = args.get(1).and_then(|v| v.parse().ok()).unwrap_or(3);
    let options = quanze_import::ImportOptions::default();
    match quanze_import::plan_import(&[std::path::PathBuf::from(file)], &options) {
        Ok(plan) => {
            for item in plan.files.iter().flat_map(|f| f.items.iter()).take(n) {
                println!("{}", serde_json::to_string_pretty(item).unwrap_or_default());
            }
        }
        Err(e) => eprintln!("{e}"),
    }
}
