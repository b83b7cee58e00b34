//! Thin libFuzzer entry: the body is `quanze_fuzz::bundle_json` (see its documentation), so that
//! `cargo test` in `fuzz/` replays `seeds/bundle_json/` without libFuzzer.
//!
//! Run from `fuzz/`: `RUSTC_BOOTSTRAP=1 cargo fuzz run -j 1 bundle_json corpus/bundle_json seeds/bundle_json`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| quanze_fuzz::bundle_json(data));
