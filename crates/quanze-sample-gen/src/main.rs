//! `cargo run -p quanze-sample-gen [-- --legacy] [-- --check]`
//!
//! Writes `sample-data/sample-district.yaml` and `sample-data/README.md`; with `--legacy`
//! also the workbooks under `sample-data/legacy/`. With `--check`, writes nothing and fails
//! when a committed file differs from what would be written.

use std::process::ExitCode;

use quanze_sample_gen::{
    generate, readme, repo_root, sample_yaml, summarize, README_PATH, SAMPLE_PATH,
};

fn main() -> Result<ExitCode, Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let check = args.iter().any(|a| a == "--check");
    let legacy = args.iter().any(|a| a == "--legacy");
    let root = repo_root();

    let generated = generate();
    let yaml = sample_yaml(&generated)?;
    let readme = readme(&generated, &yaml);
    let files = [(SAMPLE_PATH, yaml), (README_PATH, readme)];

    if check {
        let mut stale = Vec::new();
        for (path, text) in &files {
            let on_disk = std::fs::read_to_string(root.join(path)).unwrap_or_default();
            if &on_disk != text {
                stale.push(*path);
            }
        }
        if stale.is_empty() {
            println!("sample data is up to date");
            return Ok(ExitCode::SUCCESS);
        }
        eprintln!(
            "out of date: {} — run `cargo run -p quanze-sample-gen`",
            stale.join(", ")
        );
        return Ok(ExitCode::FAILURE);
    }

    for (path, text) in &files {
        let target = root.join(path);
        if let Some(dir) = target.parent() {
            std::fs::create_dir_all(dir)?;
        }
        std::fs::write(&target, text)?;
        println!("wrote {path} ({} bytes)", text.len());
    }
    // Re-read what was written: it must load.
    let written = std::fs::read_to_string(root.join(SAMPLE_PATH))?;
    quanze_domain::Bundle::from_yaml(&written)?;

    let s = summarize(&generated.bundle);
    println!("jurisdictions: {:?}", s.jurisdictions);
    println!(
        "units: {} {:?}; leaders: {}",
        s.units, s.units_by_level, s.leaders
    );
    for (kind, (lists, items)) in &s.lists {
        println!("  {kind}: {lists} lists, {items} items");
    }
    println!("items: {}", s.items);
    println!("权力类型: {:?}", s.power_types);
    println!("准入申请: {:?}", s.requests);
    println!("versions: {}, waivers: {}", s.versions, s.waivers);
    println!("planted problems: {}", generated.planted.len());

    if legacy {
        for path in quanze_sample_gen::legacy::write_all(&root, &generated.bundle)? {
            println!("wrote {path}");
        }
    }
    Ok(ExitCode::SUCCESS)
}
