//! Every real published workbook of `../shared/real-lists` imports into the database, with a
//! golden summary per sheet (items, merged rows, inherited rows, skipped rows), and every
//! non-empty cell's text is found again in the database, checked by an independent path
//! (calamine's dense `Range` API and a text conversion written here, not the importer's
//! streaming reader and mapping). The importer's own report checks stay in
//! `crates/quanze-import/tests/real_lists.rs`.
//!
//! Missing real-lists: a failure under CI, a printed note otherwise. Regenerate the golden
//! file on purpose with `UPDATE_GOLDEN=1 cargo test -p quanze-api --test import_real_lists`.
#![allow(clippy::unwrap_used)]

#[path = "../../quanze-import/tests/common/mod.rs"]
mod common;

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use calamine::{open_workbook_auto, Data, Reader};
use quanze_api::Api;
use quanze_import::{ImportOptions, ImportReport};
use quanze_store::Store;

const GOLDEN: &str = "tests/golden/real-lists.json";

fn summary(report: &ImportReport) -> serde_json::Value {
    let mut files = BTreeMap::new();
    for f in &report.files {
        let mut sheets = BTreeMap::new();
        for s in &f.sheets {
            sheets.insert(
                s.name.clone(),
                serde_json::json!({
                    "header_row": s.header_row,
                    "items": s.items,
                    "merged": s.merged_rows.len(),
                    "inherited": s.inherited_rows.len(),
                    "skipped": s.skipped.len(),
                    "cells": s.cells,
                }),
            );
        }
        files.insert(
            f.path.clone(),
            serde_json::json!({
                "format": f.format.label(),
                "department": f.department.as_ref().map(|d| d.value.clone()),
                "items": f.items,
                "sheets": sheets,
            }),
        );
    }
    serde_json::json!({ "items": report.items, "files": files })
}

/// Text of a cell as a person reads it, written independently of the importer.
fn cell_text(value: &Data) -> Option<String> {
    let text = match value {
        Data::Empty => return None,
        Data::String(s) => s.clone(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Int(i) => i.to_string(),
        Data::Bool(b) => b.to_string().to_uppercase(),
        other => other.to_string(),
    };
    let text = common::squash(&text);
    (!text.is_empty()).then_some(text)
}

#[test]
fn real_lists_import_with_golden_summary_and_every_cell_in_the_dump() {
    let Some(dir) = common::real_lists() else {
        return;
    };
    let files = common::workbooks(&dir);
    assert_eq!(files.len(), 8, "the corpus has eight workbooks");
    let db = tempfile::tempdir().expect("tempdir");
    let mut api = Api::open(&db.path().join("q.db")).expect("api");
    let report = api
        .import_files(&files, &ImportOptions::default(), "测试")
        .expect("import");
    let store = Store::open(&db.path().join("q.db")).expect("store");

    // Golden summary.
    let actual = summary(&report);
    let golden_path = Path::new(env!("CARGO_MANIFEST_DIR")).join(GOLDEN);
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::create_dir_all(golden_path.parent().unwrap()).unwrap();
        std::fs::write(
            &golden_path,
            serde_json::to_string_pretty(&actual).unwrap() + "\n",
        )
        .unwrap();
    }
    let golden: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(&golden_path).expect("golden file (UPDATE_GOLDEN=1 to create)"),
    )
    .expect("golden json");
    assert_eq!(actual, golden, "import summary differs from {GOLDEN}");

    // The database holds what the report says.
    let records = store.reader().all_items().expect("items");
    assert_eq!(records.len() as u32, report.items);
    assert!(report.items > 1000, "the corpus has over a thousand items");

    // Index the dump: (file, sheet, row) → squashed text of the item that holds that row.
    let mut by_row: HashMap<(String, String, u32), String> = HashMap::new();
    for r in &records {
        let p = r.item.provenance.as_ref().expect("provenance");
        let text = common::squash(&serde_json::to_string(&r.item).unwrap().replace("\\n", ""));
        for row in std::iter::once(p.row).chain(p.merged_rows.iter().copied()) {
            by_row
                .entry((p.file.clone(), p.sheet.clone(), row))
                .or_default()
                .push_str(&text);
        }
    }
    let mut checked = 0usize;
    for path in &files {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let file_report = report
            .files
            .iter()
            .find(|f| f.path == name)
            .expect("file in report");
        let mut book = open_workbook_auto(path).expect("calamine opens the file");
        for sheet_name in book.sheet_names() {
            let range = book.worksheet_range(&sheet_name).expect("sheet");
            let sheet = file_report
                .sheets
                .iter()
                .find(|s| s.name == sheet_name)
                .expect("sheet in report");
            let Some(header_row) = sheet.header_row else {
                assert!(
                    range.used_cells().all(|(_, _, v)| cell_text(v).is_none()),
                    "{name}/{sheet_name}: skipped sheet has content"
                );
                continue;
            };
            let (r0, c0) = range.start().unwrap_or((0, 0));
            for (r, c, value) in range.used_cells() {
                let Some(text) = cell_text(value) else {
                    continue;
                };
                let row = r as u32 + r0 + 1;
                let col = c as u32 + c0;
                if row < header_row {
                    assert!(
                        sheet
                            .preamble
                            .iter()
                            .any(|p| common::squash(&p.text).contains(&text)),
                        "{name}/{sheet_name} row {row}: title text not in the report: {text}"
                    );
                } else if row == header_row {
                    assert!(
                        sheet.mapping.iter().any(|m| m.index == col + 1),
                        "{name}/{sheet_name}: header column {col} unmapped"
                    );
                } else if let Some(item_text) = by_row.get(&(name.clone(), sheet_name.clone(), row))
                {
                    let wanted = text.replace('\n', "");
                    let json_escaped = common::squash(&serde_json::to_string(&wanted).unwrap());
                    let json_escaped = json_escaped.trim_matches('"');
                    assert!(
                        item_text.contains(json_escaped),
                        "{name}/{sheet_name} row {row} col {col}: cell text not in its item: {text}"
                    );
                } else {
                    assert!(
                        sheet.skipped.iter().any(|s| s.row == row && common::squash(&s.text).contains(&text)),
                        "{name}/{sheet_name} row {row} col {col}: cell in no item and not reported: {text}"
                    );
                }
                checked += 1;
            }
        }
    }
    assert!(checked > 10_000, "checked {checked} cells");

    // One transaction, audited: one entry per jurisdiction, unit and list written, and one per
    // file for its items (issue 14), which covers every item imported.
    let log = store.reader().audit_log(u32::MAX, Some(("事项", 1))).expect("audit");
    assert!(!log.is_empty(), "the first item's import is in the audit log");
    let all = store.reader().audit_log(u32::MAX, None).expect("audit");
    let covered: u32 = all
        .iter()
        .filter(|e| e.entity == "事项" && e.action == "新增")
        .map(|e| e.entity_id_last.unwrap_or(e.entity_id) - e.entity_id + 1)
        .sum();
    assert_eq!(covered, report.items, "the runs in the audit log cover every item once");
}
