//! Thin libFuzzer entry: the body is `quanze_fuzz::exporters` (see its documentation), so that
//! `cargo test` in `fuzz/` replays `seeds/exporters/` without libFuzzer.
//!
//! Run from `fuzz/`: `RUSTC_BOOTSTRAP=1 cargo fuzz run -j 1 exporters corpus/exporters seeds/exporters`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| quanze_fuzz::exporters(data));
