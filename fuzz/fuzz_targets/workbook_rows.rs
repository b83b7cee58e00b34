//! Thin libFuzzer entry: the body is `quanze_fuzz::workbook_rows` (see its documentation), so
//! that `cargo test` in `fuzz/` replays `seeds/workbook_rows/` without libFuzzer.
//!
//! Run from `fuzz/`: `RUSTC_BOOTSTRAP=1 cargo fuzz run -j 1 workbook_rows corpus/workbook_rows seeds/workbook_rows`.
//! Findings go to `crates/quanze-import/tests/fixtures/fuzz/` as regression inputs.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| quanze_fuzz::workbook_rows(data));
