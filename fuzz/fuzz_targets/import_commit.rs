//! Thin libFuzzer entry: the body is `quanze_fuzz::import_commit` (see its documentation), so that
//! `cargo test` in `fuzz/` replays `seeds/import_commit/` without libFuzzer.
//!
//! Run from `fuzz/`: `RUSTC_BOOTSTRAP=1 cargo fuzz run -j 1 import_commit corpus/import_commit seeds/import_commit`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| quanze_fuzz::import_commit(data));
