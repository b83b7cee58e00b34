//! The overlap checks judged on labeled real data (issue 11). Run with:
//!
//! ```sh
//! cargo run --release -p quanze-checks --example overlap_evaluation
//! ```
//!
//! It imports the real lists of `../shared/real-lists`, scores the labeled pairs of
//! `tests/data/overlap-pairs.yaml` (recall, precision, different-duty pairs flagged, per split)
//! and counts the overlap findings on the eight lists as published. The figures go to stdout
//! and `docs/benchmarks/checks-evaluation.md`.

#[path = "../tests/evaluation/mod.rs"]
mod evaluation;

use std::fmt::Write as _;

use evaluation::*;

fn main() {
    let Some(dir) = real_lists_dir() else {
        eprintln!("../shared/real-lists 不存在：无法评估");
        std::process::exit(1);
    };
    let started = std::time::Instant::now();
    let workbooks = import_real_lists(&dir);
    let result = evaluate(&workbooks);
    let mut md = String::new();
    let _ = writeln!(md, "# Overlap checks on labeled real lists\n");
    let _ = writeln!(md, "Produced by `cargo run --release -p quanze-checks --example overlap_evaluation` (issue 11). Do not edit by hand.\n");
    let _ = writeln!(md, "Labels: `tests/data/overlap-pairs.yaml` — pairs of items of the {} real lists in `../shared/real-lists/`, each read with its 实施依据 by a person and labeled *same*, *possible* or *different*; the rule pack was tuned on `dev` only. A pair is flagged when one `overlap.exact`, `overlap.near` or `overlap.sector` finding names both items.\n", workbooks.len());
    let _ = writeln!(md, "| split | same flagged (recall) | different flagged (false alarms) | precision | possible flagged |");
    let _ = writeln!(md, "| --- | --- | --- | --- | --- |");
    for (split, t) in &result.tallies {
        let _ = writeln!(
            md,
            "| {split} | {}/{} ({:.2}) | {}/{} ({:.2}) | {:.2} | {}/{} |",
            t.same.0, t.same.1, t.recall(), t.different.0, t.different.1, t.false_alarm_rate(), t.precision(), t.possible.0, t.possible.1
        );
    }
    let _ = writeln!(md, "\nEach labeled pair:\n");
    let _ = writeln!(md, "| label | split | flagged by | left | right | reason |");
    let _ = writeln!(md, "| --- | --- | --- | --- | --- | --- |");
    for (pair, rule) in &result.outcomes {
        let _ = writeln!(
            md,
            "| {:?} | {} | {} | {}（{}） | {}（{}） | {} |",
            pair.label, pair.split, rule.as_deref().unwrap_or("—"),
            pair.left.name, pair.left.file, pair.right.name, pair.right.file, pair.reason
        );
    }
    let findings = &result.city_findings.findings;
    let _ = writeln!(md, "\nThe {} lists as published, one department per file ({} items): {} overlap findings ({:.1} per 1,000 items).\n", workbooks.len(), result.city_items, findings.len(), findings.len() as f64 * 1000.0 / result.city_items.max(1) as f64);
    for f in findings {
        let _ = writeln!(md, "- `{}` {}", f.rule, f.message);
    }
    let _ = writeln!(md, "\nImport and evaluation took {:.1} s.", started.elapsed().as_secs_f64());
    print!("{md}");
    let path = repository_root().join("docs/benchmarks/checks-evaluation.md");
    if let Err(e) = std::fs::write(&path, md) {
        eprintln!("无法写入 {}：{e}", path.display());
        std::process::exit(1);
    }
}
