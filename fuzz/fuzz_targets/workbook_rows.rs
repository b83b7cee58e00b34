//! Workbook → raw rows → mapped items must never panic, abort or allocate without bound,
//! whatever the bytes. The first byte picks the name the bytes are given (so that the
//! name-independence of format sniffing is exercised too).
#![no_main]

use libfuzzer_sys::fuzz_target;
use quanze_import::{sheet, Limits, Synonyms};

fuzz_target!(|data: &[u8]| {
    let names = ["f.xlsx", "f.xls", "f.csv", "f.ods", "f"];
    let name = names[usize::from(data.first().copied().unwrap_or(0)) % names.len()];
    let limits = Limits {
        max_file_bytes: 4 * 1024 * 1024,
        max_cells: 200_000,
        max_xls_area: 1_000_000,
        ..Limits::default()
    };
    if let Ok(workbook) = quanze_import::read_workbook_bytes(name, data, &limits) {
        if let Ok(synonyms) = Synonyms::builtin() {
            let ctx = sheet::SheetContext { file: name, synonyms: &synonyms, department: None };
            for s in workbook.sheets {
                let _ = sheet::map_sheet(&ctx, s, None);
            }
        }
    }
});
