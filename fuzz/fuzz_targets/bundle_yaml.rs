//! Thin libFuzzer entry: the body is `quanze_fuzz::bundle_yaml` (see its documentation), so that
//! `cargo test` in `fuzz/` replays `seeds/bundle_yaml/` without libFuzzer.
//!
//! Run from `fuzz/`: `RUSTC_BOOTSTRAP=1 cargo fuzz run -j 1 bundle_yaml corpus/bundle_yaml seeds/bundle_yaml`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| quanze_fuzz::bundle_yaml(data));
