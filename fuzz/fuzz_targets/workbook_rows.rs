//! Workbook → raw rows → mapped items must never panic, abort or allocate without bound,
//! whatever the bytes. The first byte picks the name the bytes are given (so that the
//! name-independence of format sniffing is exercised too).
//!
//! Run from this directory: `cargo +nightly fuzz run workbook_rows corpus/workbook_rows`
//! (copy `seeds/*` into `corpus/workbook_rows/` first). Findings go to
//! `crates/quanze-import/tests/fixtures/fuzz/` as regression inputs.
#![no_main]

use libfuzzer_sys::fuzz_target;
use quanze_import::{sheet, Limits, Synonyms};

static QUIET_PANICS: std::sync::Once = std::sync::Once::new();

fuzz_target!(|data: &[u8]| {
    // The importer catches a panic inside calamine and reports the file as damaged, so such a
    // panic is not a crash of the app: let it unwind to that catch instead of libFuzzer's
    // abort-on-panic hook. A panic anywhere else still reaches libfuzzer-sys's own
    // catch_unwind and is reported as a crash; aborts and out-of-memory always are.
    QUIET_PANICS.call_once(|| {
        std::panic::set_hook(Box::new(|info| {
            if !info
                .location()
                .is_some_and(|l| l.file().contains("calamine"))
            {
                eprintln!("{info}");
            }
        }))
    });
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
            let ctx = sheet::SheetContext {
                file: name,
                synonyms: &synonyms,
                department: None,
            };
            for s in workbook.sheets {
                let _ = sheet::map_sheet(&ctx, s, None);
            }
        }
    }
});
