//! The PDF notice of every real published list (`../shared/real-lists`) gives back every item
//! name whole, judged by poppler — tools we did not write — the way a clerk's viewer search, a
//! citizen's copy, a screen reader and a website's full-text index read it:
//!
//! - `pdftotext` (poppler's layout analysis, as evince search and copy use it) and
//!   `pdftotext -raw` (content-stream order): every name is found once the text's line breaks
//!   are removed — its wrapped lines follow each other, with nothing from a neighbouring cell
//!   between them. Before stop 25 one name in three was interleaved with the 序号, type and
//!   basis cells of its row, and names of rows split across pages were cut in two.
//! - `pdfinfo -struct-text` (the tagged PDF's structure tree): every name is the text of one
//!   `TD` of the table, exactly.
//!
//! Whitespace inside a name is not compared (a source's "禁 猎（渔）区" may print its spaces
//! differently). Missing real-lists or poppler: a failure under CI, a printed note otherwise.
#![allow(clippy::unwrap_used)]

#[path = "../../quanze-import/tests/common/mod.rs"]
mod common;

use std::process::Command;

use quanze_api::{Api, NoticeFormat, NoticeRequest};
use quanze_import::ImportOptions;

fn poppler_available() -> bool {
    let ok = Command::new("pdftotext").arg("-v").output().is_ok();
    if !ok {
        assert!(std::env::var_os("CI").is_none(), "pdftotext (poppler-utils) is required under CI");
        eprintln!("skipping: pdftotext (poppler-utils) is not installed");
    }
    ok
}

fn without_whitespace(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

fn run(tool: &str, args: &[&str]) -> String {
    let output = Command::new(tool).args(args).output().unwrap();
    assert!(output.status.success(), "{tool} {args:?}: {}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout).unwrap()
}

/// The text of each `TD` element that `pdfinfo -struct-text` prints: the quoted lines under a
/// `TD` line, joined (one per page a split cell is on).
fn table_cells(structure: &str) -> Vec<String> {
    let mut cells = Vec::new();
    let mut current: Option<(usize, String)> = None;
    for line in structure.lines() {
        let indent = line.len() - line.trim_start().len();
        let trimmed = line.trim();
        if let Some((cell_indent, text)) = current.as_mut() {
            if indent > *cell_indent && trimmed.starts_with('"') {
                text.push_str(trimmed.trim_matches('"'));
                continue;
            }
            cells.push(std::mem::take(text));
            current = None;
        }
        if trimmed == "TD" {
            current = Some((indent, String::new()));
        }
    }
    if let Some((_, text)) = current {
        cells.push(text);
    }
    cells
}

#[test]
fn every_item_name_of_the_real_lists_reads_whole_in_the_pdf_notice() {
    let Some(dir) = common::real_lists() else {
        return;
    };
    if !poppler_available() {
        return;
    }
    let files = common::workbooks(&dir);
    let db = tempfile::tempdir().unwrap();
    let mut api = Api::open(&db.path().join("q.db")).unwrap();
    api.import_files(&files, &ImportOptions::default(), "测试").unwrap();
    let mut checked = 0usize;
    let mut report = Vec::new();
    for list in api.lists().unwrap() {
        let items = api.list_items(list.id, 0, 100_000).unwrap().items;
        let names: Vec<String> =
            items.iter().map(|item| without_whitespace(&item.name)).filter(|name| !name.is_empty()).collect();
        let pdf = db.path().join(format!("notice-{}.pdf", list.id));
        api.write_notice(&NoticeRequest { lists: vec![list.id], ..NoticeRequest::default() }, NoticeFormat::Pdf, &pdf, None)
            .unwrap();
        let pdf = pdf.to_str().unwrap();
        for mode in [None, Some("-raw")] {
            let mut args: Vec<&str> = mode.into_iter().collect();
            args.extend([pdf, "-"]);
            let text = without_whitespace(&run("pdftotext", &args));
            let broken: Vec<&String> = names.iter().filter(|name| !text.contains(name.as_str())).collect();
            if !broken.is_empty() {
                report.push(format!(
                    "{}: pdftotext {}: {} of {} names not whole, e.g. {:?}",
                    list.name,
                    mode.unwrap_or("(default)"),
                    broken.len(),
                    names.len(),
                    broken.iter().take(3).collect::<Vec<_>>()
                ));
            }
        }
        let cells: std::collections::HashSet<String> =
            table_cells(&run("pdfinfo", &["-struct-text", pdf])).iter().map(|cell| without_whitespace(cell)).collect();
        let untagged: Vec<&String> = names.iter().filter(|name| !cells.contains(name.as_str())).collect();
        if !untagged.is_empty() {
            report.push(format!(
                "{}: {} of {} names are not one TD of the structure tree, e.g. {:?}",
                list.name,
                untagged.len(),
                names.len(),
                untagged.iter().take(3).collect::<Vec<_>>()
            ));
        }
        assert!(run("pdfinfo", &[pdf]).contains("Tagged:          yes"), "{}: not a tagged PDF", list.name);
        checked += names.len();
    }
    assert!(checked > 1_000, "the corpus has over a thousand items, {checked} checked");
    assert!(report.is_empty(), "{}", report.join("\n"));
}
